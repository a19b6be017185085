#pragma once
// What a plain SQL script says about its tables, learnt from the statements
// that precede the data (pg_dump writes every table definition, partition
// attachment and key before the first COPY), so rules on partition parents
// and column types apply to plain scripts as they do to archives.

#include "dump/archive_model.hpp"
#include "dump/schema_model.hpp"

#include <optional>
#include <string>
#include <string_view>

namespace pgscrub::scrub {

class PlainSchemaLearner {
public:
    // Each top-level statement of the script, in order (PlainVisitor::statement).
    void statement(std::string_view text);
    // The tables defined so far.
    const dump::SchemaModel& schema();
    // The script's client_encoding ("" until a SET names one).
    const std::string& encoding() const { return encoding_; }

private:
    static std::optional<std::string> ddl_kind(std::string_view sql);

    dump::ArchiveModel ddl_;
    dump::SchemaModel schema_;
    bool stale_ = true;
    int next_dump_id_ = 1;
    std::string encoding_;
};

// The encoding named by "SET client_encoding = 'X';" (an ENCODING entry's
// defn, or a plain script's statement); "" when `sql` is not that.
std::string client_encoding(std::string_view sql);

} // namespace pgscrub::scrub

#pragma once
// The rules file (version 1, docs/rules.md), parsed with the
// position of every node so each problem can name FILE:LINE:COL.

#include "anonymise/transform.hpp"
#include "rules/rules_error.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace pgscrub::rules {

enum class UnlistedTables { Fail, Keep, Truncate };
enum class UnlistedColumns { Fail, Keep, Null };
// What happens to the dump's large objects (uploaded files of any kind).
// Unset: they follow unlisted_tables (fail stops a dump that has any, keep
// keeps them, truncate drops them).
enum class LargeObjects { Unset, Keep, Drop };

// A table named by the rules: a bare name means schema "public"; otherwise
// "schema.table", split at the first dot, names as stored (case and spaces kept).
struct TableName {
    std::string schema;
    std::string name;
    static TableName parse(std::string_view text);
    std::string display() const { return schema + "." + name; }
    friend bool operator==(const TableName&, const TableName&) = default;
};

// `column: transform` under a table's columns:. A plain string is a
// transform without parameters; YAML null and "null" are the null transform.
struct ColumnRule {
    std::string column;
    SourcePosition where;
    anonymise::TransformConfig transform;
    std::optional<std::string> reviewed; // {transform: keep, reviewed: "why this is not personal"}
};

struct NamedPosition {
    std::string name;
    SourcePosition where;
    std::optional<std::string> reviewed; // keep: [{column: notes, reviewed: "..."}]
};

struct TableRule {
    TableName table;
    SourcePosition where;
    enum class Kind { Keep, Truncate, Columns } kind = Kind::Keep;
    std::vector<NamedPosition> keep_columns; // Kind::Columns: the keep: list
    std::vector<ColumnRule> columns;         // Kind::Columns: the columns: mapping
    // `reviewed: "reason"` on the table's mapping: a reviewer confirmed that
    // every column this rule keeps may hold what `pgscrub scan` finds there.
    std::optional<std::string> reviewed;
};

struct RulesFile {
    std::string path;
    std::string sha256; // of the file's bytes, so a report names exactly the rules it ran with
    int version = 1;
    std::string secret_env = "PGSCRUB_SECRET";
    UnlistedTables unlisted_tables = UnlistedTables::Fail;
    UnlistedColumns unlisted_columns = UnlistedColumns::Fail;
    LargeObjects large_objects = LargeObjects::Unset;
    SourcePosition large_objects_where; // the setting, or the top of the file when unset
    std::vector<TableRule> tables;
    SourcePosition tables_where; // the tables: key, for problems about tables no rule names

    // The rule naming exactly this table, or nullptr. Constant time: rules
    // files may name thousands of tables.
    const TableRule* rule_for(const std::string& schema, const std::string& name) const;

    // schema + '\x1f' + name -> index in `tables`; built by the parser.
    std::unordered_map<std::string, std::size_t> table_index;
};

// The largest rules file read: far beyond any real one (a rule per table of a
// 10,000-table schema is about 1 MB), small enough that parsing stays fast.
inline constexpr std::size_t kMaxRulesFileBytes = std::size_t{4} << 20;

// Reads and validates a rules file; throws RulesError with every problem found.
// "preset:NAME" reads a shipped preset (rules/presets.hpp).
RulesFile load_rules_file(const std::string& path);
RulesFile parse_rules(std::string_view yaml_text, const std::string& file_name);

} // namespace pgscrub::rules

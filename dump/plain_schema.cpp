#include "dump/plain_schema.hpp"

namespace pgscrub::dump {

std::string client_encoding(std::string_view sql) {
    std::string_view prefix = "SET client_encoding = '";
    std::size_t at = sql.find(prefix);
    if (at == std::string_view::npos) return "";
    std::size_t start = at + prefix.size();
    std::size_t end = sql.find('\'', start);
    return end == std::string_view::npos ? "" : std::string(sql.substr(start, end - start));
}

void PlainSchemaLearner::statement(std::string_view text) {
    if (std::string encoding = client_encoding(text); !encoding.empty()) encoding_ = encoding;
    std::optional<std::string> desc = ddl_kind(text);
    if (!desc) return;
    TocEntry entry;
    entry.dump_id = next_dump_id_++;
    entry.desc = desc;
    entry.defn = std::string(text);
    ddl_.entries.push_back(std::move(entry));
    stale_ = true;
}

void PlainSchemaLearner::table_data(const QualifiedName& table, const CopyStatement& copy) {
    TocEntry entry;
    entry.dump_id = next_dump_id_++;
    entry.desc = "TABLE DATA";
    entry.namespace_ = table.schema;
    entry.tag = table.name;
    std::string columns;
    for (const std::string& column : copy.columns) columns += (columns.empty() ? "" : ", ") + quote_identifier(column);
    entry.copy_stmt = "COPY " + table.display() + (copy.columns.empty() ? "" : " (" + columns + ")") + " FROM stdin;\n";
    data_.push_back(std::move(entry));
}

SchemaModel PlainSchemaLearner::schema_with_data() const {
    ArchiveModel whole = ddl_;
    whole.entries.insert(whole.entries.end(), data_.begin(), data_.end());
    return SchemaModel::from_archive(whole);
}

const SchemaModel& PlainSchemaLearner::schema() {
    if (stale_) {
        schema_ = SchemaModel::from_archive(ddl_);
        stale_ = false;
    }
    return schema_;
}

// The TOC desc pg_dump would have given a DDL statement the schema model reads.
std::optional<std::string> PlainSchemaLearner::ddl_kind(std::string_view sql) {
    auto starts = [&](std::string_view prefix) { return sql.substr(0, prefix.size()) == prefix; };
    auto has = [&](std::string_view word) { return sql.find(word) != std::string_view::npos; };
    if (starts("CREATE TABLE") || starts("CREATE UNLOGGED TABLE")) return "TABLE";
    if (starts("CREATE FOREIGN TABLE")) return "FOREIGN TABLE";
    if (starts("CREATE UNIQUE INDEX")) return "INDEX";
    if (!starts("ALTER TABLE")) return std::nullopt;
    if (has(" ATTACH PARTITION ")) return "TABLE ATTACH";
    if (has(" FOREIGN KEY ")) return "FK CONSTRAINT";
    if (has(" ADD CONSTRAINT ")) return "CONSTRAINT";
    if (has(" SET DEFAULT ")) return "DEFAULT";
    if (has(" ADD GENERATED ")) return "SEQUENCE";
    return std::nullopt;
}

} // namespace pgscrub::dump

// The SQL lexer and the schema model built from pg_dump's DDL. Any text:
//   - tokens lie inside the text, in order, without overlapping;
//   - statements are pieces of the text, in order;
//   - every identifier quotes and splits back to itself;
//   - the schema model, COPY statement and CREATE INDEX readers accept or
//     skip what they are given without failing, and the model's table
//     relations (children, descendants, roots) can be walked whatever the
//     DDL claims, cycles included.

#include "dump/archive_model.hpp"
#include "dump/schema_model.hpp"
#include "dump/sql_lexer.hpp"
#include "fuzz/fuzz_support.hpp"
#include "scrub/statistics_scrub.hpp"

#include <set>

using namespace pgscrub;

namespace {

// The entry kinds whose DDL the schema model reads, and TABLE DATA.
constexpr const char* kKinds[] = {"TABLE", "TABLE ATTACH", "DEFAULT", "CONSTRAINT", "FK CONSTRAINT",
                                  "INDEX", "SEQUENCE", "FOREIGN TABLE", "TABLE DATA"};

void check_lexer(std::string_view sql) {
    std::size_t previous_end = 0;
    for (const auto& token : dump::tokenize_sql(sql)) {
        PGSCRUB_FUZZ_EXPECT(token.offset >= previous_end);
        PGSCRUB_FUZZ_EXPECT(token.end() <= sql.size());
        previous_end = token.end();
        if (token.is_name() && !token.value.empty() && token.value.find('\0') == std::string::npos) {
            auto parts = dump::split_qualified_name(dump::quote_identifier(token.value));
            PGSCRUB_FUZZ_EXPECT(parts.size() == 1 && parts[0] == token.value);
        }
    }
    const char* previous = sql.data();
    for (std::string_view statement : dump::split_sql_statements(sql)) {
        PGSCRUB_FUZZ_EXPECT(statement.data() >= previous);
        PGSCRUB_FUZZ_EXPECT(statement.data() + statement.size() <= sql.data() + sql.size());
        previous = statement.data() + statement.size();
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    auto [kinds, sql] = fuzz::take_control(fuzz::as_text(data, size), 16);
    check_lexer(sql);

    dump::ArchiveModel model;
    int dump_id = 1;
    for (std::string_view statement : dump::split_sql_statements(sql)) {
        (void)dump::parse_copy_statement(statement);
        (void)scrub::parse_index_definition(statement);
        std::size_t index = static_cast<std::size_t>(dump_id - 1) < kinds.size()
                                ? static_cast<unsigned char>(kinds[dump_id - 1]) % std::size(kKinds)
                                : 0;
        dump::TocEntry entry;
        entry.dump_id = dump_id++;
        entry.desc = kKinds[index];
        entry.tag = "t";
        entry.namespace_ = "public";
        if (*entry.desc == std::string_view("TABLE DATA")) {
            entry.copy_stmt = std::string(statement) + ";\n";
            entry.had_dumper = true;
        } else {
            entry.defn = std::string(statement) + ";\n";
        }
        model.entries.push_back(std::move(entry));
    }
    auto schema = dump::SchemaModel::from_archive(model);
    (void)scrub::index_definitions(model);
    for (const auto& table : schema.tables()) {
        (void)schema.children_of(table.name);
        auto descendants = schema.descendants_of(table.name);
        std::set<const dump::Table*> unique(descendants.begin(), descendants.end());
        PGSCRUB_FUZZ_EXPECT(unique.size() == descendants.size());
        (void)schema.root_of(table.name);
    }
    return 0;
}

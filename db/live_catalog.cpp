#include "db/live_catalog.hpp"

#include "db/database_error.hpp"
#include "db/server_identity.hpp"
#include "dump/archive_error.hpp"
#include "dump/sql_lexer.hpp"

#include <pqxx/pqxx>

#include <map>

namespace pgscrub::db {

struct LiveDatabase::Impl {
    explicit Impl(const std::string& text) : connection(text) {}
    pqxx::connection connection;
    std::unique_ptr<pqxx::transaction<pqxx::repeatable_read, pqxx::read_only>> snapshot;

    pqxx::transaction<pqxx::repeatable_read, pqxx::read_only>& tx() {
        if (!snapshot) snapshot = std::make_unique<pqxx::transaction<pqxx::repeatable_read, pqxx::read_only>>(connection);
        return *snapshot;
    }
};

LiveDatabase::LiveDatabase(const DatabaseAddress& address) : address_(address) {
    try {
        impl_ = std::make_unique<Impl>(address.text());
    } catch (const std::exception& e) {
        throw DatabaseError("cannot connect: " + one_line_message(e.what()) +
                                     " — check the address, that the server runs, and the credentials",
                                 address.describe());
    }
}

LiveDatabase::~LiveDatabase() = default;

dump::SchemaModel LiveDatabase::read_catalog() {
    // relkind r = ordinary table or partition (holds rows); p = partitioned
    // parent (no rows of its own, but its rules govern its partitions).
    static const char* kColumns = R"SQL(
        SELECT n.nspname, c.relname, c.relkind, a.attname, format_type(a.atttypid, a.atttypmod),
               a.attnotnull, a.attgenerated <> '', a.attidentity <> ''
        FROM pg_class c
        JOIN pg_namespace n ON n.oid = c.relnamespace
        JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
        WHERE c.relkind IN ('r', 'p')
          AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\_toast%'
          AND n.nspname NOT LIKE 'pg\_temp%'
        ORDER BY n.nspname, c.relname, a.attnum)SQL";
    static const char* kParents = R"SQL(
        SELECT cn.nspname, c.relname, pn.nspname, p.relname
        FROM pg_inherits i
        JOIN pg_class c ON c.oid = i.inhrelid JOIN pg_namespace cn ON cn.oid = c.relnamespace
        JOIN pg_class p ON p.oid = i.inhparent JOIN pg_namespace pn ON pn.oid = p.relnamespace
        ORDER BY i.inhseqno)SQL";
    std::vector<dump::Table> tables;
    std::map<dump::QualifiedName, std::size_t> index;
    try {
        auto& tx = impl_->tx();
        for (const pqxx::row& r : tx.exec(kColumns)) {
            dump::QualifiedName name{r[0].c_str(), r[1].c_str()};
            auto [it, inserted] = index.emplace(name, tables.size());
            if (inserted) {
                dump::Table table;
                table.name = name;
                table.partitioned = std::string(r[2].c_str()) == "p";
                tables.push_back(std::move(table));
            }
            dump::Table& table = tables[it->second];
            dump::Column column;
            column.name = r[3].c_str();
            column.type = r[4].c_str();
            column.not_null = r[5].as<bool>();
            if (r[6].as<bool>()) column.generated_expr = "";
            column.identity = r[7].as<bool>();
            if (!column.generated_expr) table.copy_columns.push_back(column.name);
            table.columns.push_back(std::move(column));
        }
        for (const pqxx::row& r : tx.exec(kParents)) {
            auto child = index.find({r[0].c_str(), r[1].c_str()});
            if (child != index.end()) tables[child->second].parents.push_back({r[2].c_str(), r[3].c_str()});
        }
    } catch (const pqxx::failure& e) {
        throw DatabaseError("cannot read the database's catalog: " + one_line_message(e.what()),
                                 address_.describe());
    }
    int next_id = 1;
    for (dump::Table& table : tables) {
        if (!table.partitioned) table.data_dump_id = next_id++;
        else table.copy_columns.clear();
    }
    return dump::SchemaModel::from_tables(std::move(tables));
}

void LiveDatabase::copy_rows(const dump::QualifiedName& table, const std::function<void(const std::string&)>& on_row) {
    try {
        pqxx::stream_from stream(impl_->tx(), dump::quote_identifier(table.schema) + "." + dump::quote_identifier(table.name));
        std::string line;
        while (stream.get_raw_line(line)) {
            if (!line.empty() && line.back() == '\n') line.pop_back();
            on_row(line);
        }
        stream.complete();
    } catch (const pqxx::failure& e) {
        throw DatabaseError("cannot read table " + table.display() + ": " + one_line_message(e.what()),
                                 address_.describe());
    }
}

} // namespace pgscrub::db

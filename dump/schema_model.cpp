#include "dump/schema_model.hpp"

#include "dump/ddl_parser.hpp"
#include "dump/sql_lexer.hpp"

#include <algorithm>
#include <initializer_list>
#include <unordered_set>
#include <utility>

namespace pgscrub::dump {

std::string QualifiedName::display() const {
    if (schema.empty()) return quote_identifier(name);
    return quote_identifier(schema) + "." + quote_identifier(name);
}

std::size_t QualifiedNameHash::operator()(const QualifiedName& qualified) const noexcept {
    const std::size_t schema_hash = std::hash<std::string>{}(qualified.schema);
    const std::size_t name_hash = std::hash<std::string>{}(qualified.name);
    return schema_hash ^ (name_hash + 0x9e3779b97f4a7c15ULL + (schema_hash << 6) + (schema_hash >> 2));
}

const Column* Table::column(std::string_view column_name) const {
    for (const Column& c : columns)
        if (c.name == column_name) return &c;
    return nullptr;
}

SchemaModel SchemaModel::from_archive(const ArchiveModel& archive) {
    SchemaDdl ddl = read_schema_ddl(archive);
    SchemaModel model = from_tables(std::move(ddl.tables));
    model.skipped_ddl_ = std::move(ddl.skipped);
    return model;
}

SchemaModel SchemaModel::from_tables(std::vector<Table> tables) {
    SchemaModel model;
    model.tables_ = std::move(tables);
    for (std::size_t i = 0; i < model.tables_.size(); ++i) {
        const Table& table = model.tables_[i];
        model.by_name_.emplace(table.name, i);
        if (table.data_dump_id) model.by_data_dump_id_.emplace(*table.data_dump_id, i);
        for (const QualifiedName& parent : table.parents) model.children_[parent].push_back(i);
    }
    return model;
}

const Table* SchemaModel::find(const QualifiedName& name) const {
    const auto it = by_name_.find(name);
    return it == by_name_.end() ? nullptr : &tables_[it->second];
}

const Table* SchemaModel::table_for_data(int dump_id) const {
    const auto it = by_data_dump_id_.find(dump_id);
    return it == by_data_dump_id_.end() ? nullptr : &tables_[it->second];
}

std::vector<const Table*> SchemaModel::children_of(const QualifiedName& name) const {
    std::vector<const Table*> children;
    const auto it = children_.find(name);
    if (it == children_.end()) return children;
    for (const std::size_t index : it->second) children.push_back(&tables_[index]);
    return children;
}

std::vector<const Table*> SchemaModel::descendants_of(const QualifiedName& name) const {
    std::vector<const Table*> descendants;
    std::unordered_set<const Table*> seen; // multiple inheritance can reach a table twice
    std::vector<QualifiedName> frontier{name};
    for (std::size_t next = 0; next < frontier.size(); ++next) {
        for (const Table* child : children_of(frontier[next])) {
            if (!seen.insert(child).second) continue;
            descendants.push_back(child);
            frontier.push_back(child->name);
        }
    }
    return descendants;
}

QualifiedName SchemaModel::root_of(const QualifiedName& name) const {
    QualifiedName current = name;
    // Bounded by the number of tables, so a cycle in broken DDL cannot hang.
    for (std::size_t steps = 0; steps <= tables_.size(); ++steps) {
        const Table* table = find(current);
        if (!table || table->parents.empty()) return current;
        current = table->parents.front();
    }
    return current;
}

} // namespace pgscrub::dump

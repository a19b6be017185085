#include "scrub/statistics_scrub.hpp"

#include "dump/sql_lexer.hpp"
#include "dump/statistics_sql.hpp"
#include "rules/scrub_plan.hpp"
#include "rules/scrub_plan.hpp"

#include <algorithm>
#include <array>

namespace pgscrub::scrub {

namespace {

using Action = rules::ColumnDisposition::Action;

// Relation statistics are sizes; these are the ones a truncated table resets.
constexpr std::array<std::string_view, 4> kRelationSizeArguments = {"relpages", "reltuples", "relallvisible",
                                                                    "relallfrozen"};
constexpr std::array<std::string_view, 3> kRelationNameArguments = {"version", "schemaname", "relname"};

template <std::size_t N>
bool contains(const std::array<std::string_view, N>& list, std::string_view name) {
    return std::find(list.begin(), list.end(), name) != list.end();
}

// The tables whose rows a relation's statistics describe: itself, and with
// `inherited` its partitions or inheritance children too.
std::vector<const dump::Table*> covered_tables(const dump::SchemaModel& schema, const dump::QualifiedName& name,
                                               bool inherited) {
    std::vector<const dump::Table*> tables;
    if (const dump::Table* table = schema.find(name)) tables.push_back(table);
    if (inherited) {
        for (const dump::Table* child : schema.descendants_of(name)) tables.push_back(child);
    }
    return tables;
}

// '0'::integer for '123'::integer: the same argument, saying nothing is there.
std::string zero_like(const dump::StatisticsArgument& argument) {
    std::size_t cast = argument.sql.rfind("::");
    return "'0'" + (cast == std::string::npos ? std::string() : argument.sql.substr(cast));
}

} // namespace

std::optional<IndexDefinition> parse_index_definition(std::string_view sql) {
    std::vector<dump::SqlToken> t = dump::tokenize_sql(sql);
    std::size_t i = 0;
    auto keyword = [&](std::string_view word) {
        if (i < t.size() && t[i].is_keyword(word)) {
            ++i;
            return true;
        }
        return false;
    };
    if (!keyword("create")) return std::nullopt;
    keyword("unique");
    if (!keyword("index")) return std::nullopt;
    if (i >= t.size() || !t[i].is_name()) return std::nullopt;
    std::string index = t[i++].value;
    if (!keyword("on")) return std::nullopt;
    keyword("only");
    if (i + 2 >= t.size() || !t[i].is_name() || !t[i + 1].is_punctuation('.') || !t[i + 2].is_name()) return std::nullopt;
    IndexDefinition definition{{t[i].value, index}, {t[i].value, t[i + 2].value}, {}};
    for (i += 3; i < t.size(); ++i) {
        if (t[i].is_name()) definition.names.push_back(t[i].value);
    }
    return definition;
}

IndexDefinitions index_definitions(const dump::ArchiveModel& model) {
    IndexDefinitions indexes;
    for (const dump::TocEntry& e : model.entries) {
        if (e.desc != "INDEX" || !e.defn) continue;
        if (auto index = parse_index_definition(*e.defn)) indexes[index->index] = std::move(*index);
    }
    return indexes;
}

namespace {

// Learns every index as its CREATE INDEX passes (statistics of expression
// indexes name their columns through it), then tallies each statistics
// statement as scrub would rewrite it.
class StatisticsPlanner final : public dump::TableStreamVisitor {
public:
    explicit StatisticsPlanner(const rules::RulesFile& rules) : rules_(rules) {}

    void table(const dump::TableData&, const dump::SchemaModel&, dump::Payload&) override {}
    void sql_text(const std::string&, std::string_view sql) override {
        if (!sql.starts_with("CREATE ")) return;
        if (auto index = parse_index_definition(sql)) indexes_[index->index] = std::move(*index);
    }
    void statistics(const dump::StatisticsStatement& statement, const dump::SchemaModel& schema) override {
        if (plan.refused) return;
        StatisticsPolicy policy(rules_, schema, indexes_);
        try {
            scrub_statistics_sql(statement.sql, policy, plan.tally);
        } catch (const dump::StatisticsSqlError& error) {
            plan.refused.emplace(std::string(error.what()) + "; scrub will refuse it — use scrub --drop-statistics",
                                 statement.where);
        }
    }

    StatisticsPlan plan;

private:
    const rules::RulesFile& rules_;
    IndexDefinitions indexes_;
};

} // namespace

StatisticsPlan plan_statistics(dump::TableStream& stream, const rules::RulesFile& rules) {
    StatisticsPlanner planner(rules);
    stream.read(planner, dump::TableStream::Reach::DefinitionsOnly);
    return std::move(planner.plan);
}

StatisticsPolicy::StatisticsPolicy(const rules::RulesFile& rules, const dump::SchemaModel& schema,
                                   const IndexDefinitions& indexes)
    : rules_(rules), schema_(schema), indexes_(indexes) {}

bool StatisticsPolicy::column_kept(const dump::Table& table, const std::string& column, int depth) const {
    rules::ColumnDisposition d = rules::column_disposition(rules_, schema_, table.name, column);
    if (d.action != Action::Kept) return false;
    // A generated column is computed from others (no rule may name it): its
    // values are theirs, so it is kept only when every column it reads is.
    if (const dump::Column* c = table.column(column); c && c->generated_expr) {
        if (depth > 3) return false;
        for (const dump::SqlToken& t : dump::tokenize_sql(*c->generated_expr)) {
            if (t.is_name() && t.value != column && table.column(t.value) && !column_kept(table, t.value, depth + 1)) {
                return false;
            }
        }
        return true;
    }
    if (d.listed) return true;
    // No rule names it (a dump without the data, a table the rules do not
    // know): kept only where the rules keep what they do not name.
    const rules::TableRule* rule = rules::governing_rule(rules_, schema_, table.name);
    return rule ? rules_.unlisted_columns == rules::UnlistedColumns::Keep
                : rules_.unlisted_tables == rules::UnlistedTables::Keep;
}

bool StatisticsPolicy::column_kept_everywhere(const dump::QualifiedName& table, const std::string& column,
                                              bool inherited) const {
    for (const dump::Table* t : covered_tables(schema_, table, inherited)) {
        if (!column_kept(*t, column, 0)) return false;
    }
    return true;
}

bool StatisticsPolicy::truncated_everywhere(const dump::QualifiedName& table, bool inherited) const {
    std::vector<const dump::Table*> tables = covered_tables(schema_, table, inherited);
    for (const dump::Table* t : tables) {
        // A partitioned parent holds no rows of its own: its children decide.
        if (t->partitioned && inherited) continue;
        if (rules::column_disposition(rules_, schema_, t->name, "").action != Action::Truncated) return false;
    }
    return !tables.empty();
}

StatisticsPolicy::ColumnFate StatisticsPolicy::column(const dump::QualifiedName& relation,
                                                      const std::optional<std::string>& attname, bool inherited) const {
    if (schema_.find(relation)) {
        if (truncated_everywhere(relation, inherited)) return ColumnFate::Remove;
        if (!attname) return ColumnFate::StripValues; // tables have no expression statistics; be safe
        return column_kept_everywhere(relation, *attname, inherited) ? ColumnFate::Keep : ColumnFate::StripValues;
    }
    auto index = indexes_.find(relation);
    const dump::Table* t = index == indexes_.end() ? nullptr : schema_.find(index->second.table);
    if (!t) return ColumnFate::StripValues;
    // A partitioned table's index covers its partitions.
    if (truncated_everywhere(t->name, t->partitioned)) return ColumnFate::Remove;
    const std::vector<std::string>& names = index->second.names;
    auto named = [&](const std::string& name) { return std::find(names.begin(), names.end(), name) != names.end(); };
    // The table's own name in its index is the whole row: every column counts.
    bool whole_row = named(t->name.name);
    for (const dump::Column& c : t->columns) {
        if ((whole_row || named(c.name)) && !column_kept_everywhere(t->name, c.name, t->partitioned)) {
            return ColumnFate::StripValues;
        }
    }
    return ColumnFate::Keep;
}

bool StatisticsPolicy::emptied(const dump::QualifiedName& relation) const {
    if (const dump::Table* t = schema_.find(relation)) return truncated_everywhere(relation, t->partitioned);
    auto index = indexes_.find(relation);
    if (index == indexes_.end()) return false;
    const dump::Table* table = schema_.find(index->second.table);
    return table && truncated_everywhere(table->name, table->partitioned);
}

std::string scrub_statistics_sql(std::string_view sql, const StatisticsPolicy& policy, StatisticsTally& tally) {
    std::vector<dump::StatisticsCall> calls = dump::parse_statistics_sql(sql);
    ++tally.entries;
    bool changed = false;
    std::vector<dump::StatisticsCall> kept;
    for (dump::StatisticsCall& call : calls) {
        dump::QualifiedName relation{call.find("schemaname")->value, call.find("relname")->value};
        if (call.kind == dump::StatisticsCall::Kind::Relation) {
            bool emptied = policy.emptied(relation);
            if (emptied) ++tally.relations_emptied;
            for (dump::StatisticsArgument& a : call.arguments) {
                if (emptied && contains(kRelationSizeArguments, a.name)) {
                    std::string zero = zero_like(a);
                    if (zero != a.sql) {
                        a.sql = std::move(zero);
                        changed = true;
                    }
                }
            }
            // An argument a later version adds is not known to be a size: it goes.
            auto unknown = [](const dump::StatisticsArgument& a) {
                return !contains(kRelationSizeArguments, a.name) && !contains(kRelationNameArguments, a.name);
            };
            std::size_t before = call.arguments.size();
            std::erase_if(call.arguments, unknown);
            tally.value_arguments_removed += before - call.arguments.size();
            changed |= before != call.arguments.size();
            kept.push_back(std::move(call));
            continue;
        }
        ++tally.attribute_calls;
        const dump::StatisticsArgument* attname = call.find("attname");
        const dump::StatisticsArgument* inherited = call.find("inherited");
        if (inherited && inherited->value != "t" && inherited->value != "f") {
            throw dump::StatisticsSqlError("not the statistics SQL pg_dump writes: inherited is neither 't' nor 'f'", 0);
        }
        bool covers_children = inherited && inherited->value == "t";
        StatisticsPolicy::ColumnFate fate =
            policy.column(relation, attname ? std::optional<std::string>(attname->value) : std::nullopt, covers_children);
        if (fate == StatisticsPolicy::ColumnFate::Remove) {
            ++tally.attribute_calls_removed;
            changed = true;
            continue;
        }
        if (fate == StatisticsPolicy::ColumnFate::StripValues) {
            std::size_t before = call.arguments.size();
            std::erase_if(call.arguments, [](const dump::StatisticsArgument& a) { return dump::is_value_argument(a.name); });
            if (before != call.arguments.size()) {
                ++tally.attribute_calls_stripped;
                tally.value_arguments_removed += before - call.arguments.size();
                changed = true;
            }
        }
        kept.push_back(std::move(call));
    }
    if (!changed) return std::string(sql);
    ++tally.entries_changed;
    return dump::format_statistics_sql(kept);
}

} // namespace pgscrub::scrub

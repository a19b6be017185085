#include "scrub/plain_scrub.hpp"

#include "common/url_parts.hpp"
#include "dump/plain_format.hpp"
#include "dump/plain_schema.hpp"
#include "dump/sql_lexer.hpp"
#include "dump/statistics_sql.hpp"
#include "dump/table_stream.hpp"
#include "rules/rules_error.hpp"
#include "rules/scrub_plan.hpp"
#include "scrub/output_commit.hpp"
#include "scrub/scrub_refusals.hpp"
#include "scrub/statistics_scrub.hpp"
#include "scrub/table_scrub.hpp"

#include <cctype>
#include <chrono>

namespace pgscrub::scrub {

namespace {

// Plain scripts have no TOC: the scrubber learns the schema from the DDL
// statements that precede the data (pg_dump writes all table definitions and
// partition attachments first), so rules on partition parents apply here too.
class PlainScrubber final : public dump::PlainVisitor {
public:
    PlainScrubber(common::FileOutput& out, const rules::RulesFile& rules, const anonymise::KeyedHash& key,
                  const ScrubOptions& options, LeakVerifier* verifier, ScrubSummary& summary)
        : out_(out), rules_(rules), options_(options), summary_(summary),
          tables_(rules, key, options, verifier, summary, 0) {}

    void sql(std::string_view text) override { out_.write(text); }

    // Statements that can carry values (SELECT, INSERT, and whatever names
    // a large object) are held back until they are whole, then rewritten,
    // passed, dropped or refused (decide_held).
    void sql_line(std::string_view line, bool starts_statement, std::uint64_t line_number) override {
        if (holding_) {
            if (starts_statement) refuse_held("it does not end where pg_dump ends it");
            held_ += line;
            return;
        }
        if (starts_statement && may_carry_values(line)) {
            holding_ = true;
            held_.assign(line);
            held_at_line_ = line_number;
            return;
        }
        out_.write(line);
    }

    void statement(std::string_view text) override {
        learner_.statement(text);
        if (auto index = parse_index_definition(text)) indexes_[index->index] = std::move(*index);
        if (!holding_) return;
        holding_ = false;
        decide_held(text);
        held_.clear();
    }

    // pg_dump writes every statement on lines of its own; one that starts
    // after another's `;` would pass unscreened, so such a script is refused.
    void statements_share_line(std::uint64_t line_number) override {
        throw dump::ArchiveError("two statements share line " + std::to_string(line_number) +
                                     "; pg_dump writes each on lines of its own, and pgscrub does not pass on a "
                                     "statement it has not screened — dump again with pg_dump",
                                 dump::ErrorLocation{common::describe_url(options_.input), {}, {}, {}});
    }

    // After the whole script: a held statement that never ended.
    void finish() {
        if (holding_) refuse_held("the script ends inside it");
    }

    void copy_data(const dump::PlainCopyBlock& block, dump::Payload& payload) override {
        if (holding_) refuse_held("COPY data follows it");
        const dump::SchemaModel& schema = learner_.schema();
        dump::TableData data = dump::plain_table_data(block, schema);
        std::vector<rules::Diagnostic> problems;
        rules::TablePlan plan = rules::plan_table(rules_, schema, data.name, data.columns, problems);
        if (!problems.empty()) throw rules::RulesError(std::move(problems));
        if (plan.action == rules::TableAction::Transform) require_utf8(learner_.encoding(), options_.input);
        ScriptOutput out(out_);
        tables_.scrub(data, schema, &plan, payload, out);
    }

private:
    // The script itself: COPY text is its stored form.
    class ScriptOutput final : public TableDataOutput {
    public:
        explicit ScriptOutput(common::ByteSink& out) : out_(out) {}
        bool stores(const dump::Payload&) const override { return true; }
        void copy_stored(dump::Payload& payload) override { payload.copy_stored(out_); }
        common::ByteSink& begin() override { return out_; }
        void end() override {}
        // A script's data block ends at this line.
        std::string_view end_of_copy_data() const override { return "\\.\n"; }

    private:
        common::ByteSink& out_;
    };

    static bool starts_with_word(std::string_view line, std::string_view words) {
        std::size_t i = line.find_first_not_of(" \t");
        if (i == std::string_view::npos || line.size() - i < words.size()) return false;
        for (std::size_t k = 0; k < words.size(); ++k) {
            if (std::toupper(static_cast<unsigned char>(line[i + k])) != words[k]) return false;
        }
        return true;
    }
    static bool may_carry_values(std::string_view first_line) {
        for (std::string_view words : {"SELECT ", "INSERT ", "ALTER LARGE OBJECT ", "COMMENT ON LARGE OBJECT ",
                                       "SECURITY LABEL ", "GRANT ", "REVOKE "}) {
            if (starts_with_word(first_line, words)) return true;
        }
        return false;
    }
    // ALTER LARGE OBJECT, and COMMENT, SECURITY LABEL, GRANT or REVOKE whose
    // object (after the first ON) is a LARGE OBJECT: told by how the
    // statement begins, never by words inside its values.
    static bool on_large_object(std::string_view text) {
        std::vector<dump::SqlToken> t = dump::tokenize_sql(text.substr(0, 400));
        auto large_object_at = [&](std::size_t i) {
            return i + 1 < t.size() && t[i].is_keyword("large") && t[i + 1].is_keyword("object");
        };
        if (t.size() < 3) return false;
        if (t[0].is_keyword("alter")) return large_object_at(1);
        if (!(t[0].is_keyword("comment") || t[0].is_keyword("security") || t[0].is_keyword("grant") ||
              t[0].is_keyword("revoke"))) {
            return false;
        }
        for (std::size_t i = 1; i < t.size(); ++i) {
            if (t[i].is_keyword("on")) return large_object_at(i + 1);
        }
        return false;
    }
    static bool calls(std::string_view text, std::string_view function) {
        return starts_with_word(text, "SELECT PG_CATALOG." + std::string(function) + "(");
    }

    void decide_held(std::string_view text) {
        if (dump::is_statistics_sql(held_)) return scrub_held_statistics();
        bool large_object = on_large_object(text);
        for (std::string_view f : {"LO_CREATE", "LO_OPEN", "LOWRITE", "LO_CLOSE", "LO_UNLINK"}) large_object |= calls(text, f);
        if (large_object) {
            if (large_objects_ == rules::LargeObjects::Unset) {
                large_objects_ = large_object_policy(rules_, std::nullopt);
            }
            if (large_objects_ == rules::LargeObjects::Drop) {
                if (calls(text, "LO_CREATE")) ++summary_.large_objects_dropped;
                return;
            }
            if (calls(text, "LO_CREATE")) ++summary_.large_objects;
            return out_.write(held_);
        }
        if (starts_with_word(text, "INSERT ")) return decide_insert(text);
        if (!starts_with_word(text, "SELECT ") || calls(text, "SET_CONFIG") || calls(text, "SETVAL")) return out_.write(held_);
        throw dump::ArchiveError("a SELECT statement pgscrub does not know (not one pg_dump writes for a restore); it "
                                     "may carry values, so the script is not passed on — dump again with pg_dump, without "
                                     "--binary-upgrade",
                                 held_location());
    }

    // --inserts dumps: rows as INSERT statements, which pgscrub does not
    // rewrite; they pass only for tables whose rows the rules keep.
    void decide_insert(std::string_view text) {
        std::vector<dump::SqlToken> t = dump::tokenize_sql(text.substr(0, 1000));
        if (t.size() >= 5 && t[1].is_keyword("into") && t[2].is_name() && t[3].is_punctuation('.') && t[4].is_name()) {
            dump::QualifiedName table{t[2].value, t[4].value};
            const dump::Table* known = learner_.schema().find(table);
            std::vector<rules::Diagnostic> problems;
            if (!known) {
                throw dump::ArchiveError("an INSERT into " + table.display() + ", a table the script has not defined; it is "
                                         "not passed on — dump with the schema, and without --inserts",
                                         held_location());
            }
            rules::TablePlan plan = rules::plan_table(rules_, learner_.schema(), table, {}, problems);
            if (!problems.empty()) throw rules::RulesError(std::move(problems));
            if (plan.action == rules::TableAction::Keep) return out_.write(held_);
            if (plan.action == rules::TableAction::Truncate) return; // the row goes
            throw dump::ArchiveError("the rows of " + table.display() + ", which the rules change, are INSERT statements "
                                         "(pg_dump --inserts); pgscrub rewrites COPY data only — dump without --inserts "
                                         "or --column-inserts",
                                     held_location());
        }
        throw dump::ArchiveError("an INSERT statement pgscrub cannot place in a table; it is not passed on — dump without "
                                 "--inserts or --column-inserts",
                                 held_location());
    }

    void scrub_held_statistics() {
        if (options_.drop_statistics) {
            ++summary_.statistics.entries;
            ++summary_.statistics.entries_dropped;
            return;
        }
        StatisticsPolicy policy(rules_, learner_.schema(), indexes_);
        try {
            out_.write(scrub_statistics_sql(held_, policy, summary_.statistics));
        } catch (const dump::StatisticsSqlError& error) {
            refuse_statistics(error, held_location());
        }
    }

    dump::ErrorLocation held_location() const {
        return dump::ErrorLocation{common::describe_url(options_.input), {}, {},
                                   "statement at line " + std::to_string(held_at_line_)};
    }
    [[noreturn]] void refuse_held(const std::string& why) {
        throw dump::ArchiveError("a statement that may carry values is not the SQL pg_dump writes (" + why +
                                     "), so the script is not passed on",
                                 held_location());
    }

    common::FileOutput& out_;
    const rules::RulesFile& rules_;
    const ScrubOptions& options_;
    ScrubSummary& summary_;
    TableScrubber tables_;
    dump::PlainSchemaLearner learner_;
    IndexDefinitions indexes_;
    rules::LargeObjects large_objects_ = rules::LargeObjects::Unset; // decided at the first large object
    bool holding_ = false;
    std::string held_;
    std::uint64_t held_at_line_ = 0;
};

} // namespace

void scrub_plain(common::InputStream& in, const ScrubOptions& options, const rules::RulesFile& rules,
                 const anonymise::KeyedHash& key, LeakVerifier* verifier, ScrubSummary& summary,
                   std::chrono::steady_clock::time_point started) {
    if (options.format && *options.format != dump::ArchiveFormat::Plain) {
        throw dump::ArchiveError(std::string("a plain SQL input can only be written as plain SQL (it has no TOC to build a ") +
                                 dump::format_name(*options.format) + " archive from); drop --format or dump with pg_dump -Fc");
    }
    if (options.compression && options.compression->algorithm != dump::Compression::None) {
        throw dump::ArchiveError("plain SQL output is not compressed by pgscrub; pipe it through gzip or zstd instead");
    }
    summary.output_format = "plain";
    Companions companions(options);
    auto out = common::FileOutput::create(options.output);
    PlainScrubber scrubber(*out, rules, key, options, verifier, summary);
    dump::read_plain(in, scrubber);
    scrubber.finish();
    out->complete();
    name_outputs(out->pending_name(), [&] { out->commit(); }, companions, verifier, options, rules, summary, started);
}

} // namespace pgscrub::scrub

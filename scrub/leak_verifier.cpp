#include "scrub/leak_verifier.hpp"

#include "anonymise/name_lists.hpp"
#include "anonymise/synthetic.hpp"
#include "common/byte_stream.hpp"
#include "common/interrupts.hpp"
#include "dump/copy_text.hpp"
#include "dump/sql_lexer.hpp"
#include "rules/scrub_plan.hpp"
#include "scrub/table_walk.hpp"

#include <algorithm>
#include <chrono>

namespace pgscrub::scrub {

namespace {

constexpr std::size_t kMaxSurvivorGroups = 100;

std::string piece_place(const anonymise::Piece& piece) {
    if (piece.kind == anonymise::PieceKind::token && piece.pii)
        return std::string(anonymise::pii_kind_name(*piece.pii)) + " in text";
    return anonymise::piece_kind_name(piece.kind);
}

// Transforms that erase a column wholesale (set, null, template) say nothing
// about which of its values are personal: a log label column holds user
// names and group names alike. So do the name fakes: a lone given or family
// name identifies nobody. Of these columns only the personal data the
// detectors find is remembered (and the whole value when it holds some).
bool remembers_tokens_only(const std::string& transform) {
    return transform == "set" || transform == "null" || transform == "template" || transform == "fake_first_name" ||
           transform == "fake_last_name";
}

} // namespace

// Remembers the originals of one transformed table.
class LeakVerifier::Remember final : public ValueChangeObserver {
public:
    Remember(LeakVerifier& verifier, std::vector<std::uint32_t> sources, std::vector<bool> arrays,
             std::vector<bool> tokens_only)
        : verifier_(verifier), sources_(std::move(sources)), arrays_(std::move(arrays)),
          tokens_only_(std::move(tokens_only)) {}

    void value_changed(std::size_t column, std::string_view original, std::optional<std::string_view> output) override {
        bool array = column < arrays_.size() && arrays_[column];
        // What the output still holds is not a survivor of this value.
        kept_.clear();
        if (output) {
            explorer_.explore(*output, array, [&](const anonymise::Piece& p) {
                anonymise::canonical_piece(p, canonical_);
                kept_.push_back(verifier_.fingerprint_(canonical_));
            });
        }
        synthetic_.clear();
        pieces_.clear();
        bool tokens_only = column < tokens_only_.size() && tokens_only_[column];
        bool saw_token = false;
        explorer_.explore(original, array, [&](const anonymise::Piece& p) {
            if (p.kind == anonymise::PieceKind::token && p.synthetic) {
                synthetic_.emplace_back(p.text); // a reserved-range value is nobody's personal data
                return;
            }
            if (p.kind == anonymise::PieceKind::token)
                saw_token = true;
            else if (tokens_only && p.kind != anonymise::PieceKind::value)
                return;
            // A lone common given or family name (Ann, Summer, Smith) identifies
            // nobody, and tags, titles and words equal to one are everywhere.
            if (p.kind != anonymise::PieceKind::token && anonymise::is_listed_name(p.text)) return;
            anonymise::canonical_piece(p, canonical_);
            if (anonymise::distinctive_piece(canonical_)) pieces_.emplace_back(p.text, canonical_);
        });
        // Sorted once per value, looked up per piece: a value with a million
        // tokens (a 50 MB text) must not cost a million times a million.
        std::sort(kept_.begin(), kept_.end());
        std::sort(synthetic_.begin(), synthetic_.end());
        std::size_t looked_at = 0;
        for (const auto& [text, canonical] : pieces_) {
            if (++looked_at % 4096 == 0) common::throw_if_interrupted("--verify");
            if (std::binary_search(synthetic_.begin(), synthetic_.end(), text)) continue;
            if (!synthetic_.empty() && only_synthetic_inside(text)) continue;
            // Of a column erased wholesale, the whole value only when it holds personal data.
            if (tokens_only && !saw_token && text.size() == original.size()) continue;
            std::uint64_t fp = verifier_.fingerprint_(canonical);
            if (std::binary_search(kept_.begin(), kept_.end(), fp)) continue;
            verifier_.index_.insert(fp, sources_[column]);
        }
    }

private:
    // A changed text whose only personal data lies in reserved ranges (test
    // data: "call me on 07700 900123") is not remembered whole: fake_phone
    // writes into the same ranges, so another row's output may equal it.
    // The piece's own matches, found again in it (linear in its length,
    // where looking for every token of the value in it was quadratic).
    bool only_synthetic_inside(const std::string& text) const {
        thread_local std::vector<anonymise::Match> matches;
        anonymise::Detector::shared().find(text, anonymise::KindSet::all(), matches);
        bool synthetic = false;
        for (const anonymise::Match& m : matches) {
            if (m.offset == 0 && m.length == text.size()) continue; // the piece itself, not inside it
            if (!anonymise::is_synthetic(m, text)) return false;
            synthetic = true;
        }
        return synthetic;
    }

    LeakVerifier& verifier_;
    std::vector<std::uint32_t> sources_;
    std::vector<bool> arrays_;
    std::vector<bool> tokens_only_;
    anonymise::ValueExplorer explorer_{true};
    std::string canonical_;
    std::vector<std::uint64_t> kept_;
    std::vector<std::string> synthetic_;
    std::vector<std::pair<std::string, std::string>> pieces_;
};

// Reads the output back, looking up every piece of every field.
class LeakVerifier::ReadBack final : public RowVisitor {
public:
    ReadBack(const LeakVerifier& verifier, const rules::RulesFile& rules, VerifyResult& result)
        : verifier_(verifier), rules_(rules), result_(result), tally_(&rules) {}

    bool begin_table(const WalkedTable& table) override {
        table_ = table;
        tally_.begin_table(table);
        skip_.clear();
        arrays_.clear();
        transformed_.clear();
        static const dump::SchemaModel no_schema;
        for (std::size_t i = 0; i < table.columns.size(); ++i) {
            skip_.push_back(textless_type(table.types[i]));
            arrays_.push_back(array_type(table.types[i]));
            auto d = rules::column_disposition(rules_, table.schema ? *table.schema : no_schema, table.name,
                                               table.columns[i]);
            transformed_.push_back(d.action == rules::ColumnDisposition::Action::Transformed);
        }
        return true;
    }

    void row(const std::vector<std::string_view>& fields, std::uint64_t row_number) override {
        common::throw_if_interrupted("--verify");
        for (std::size_t i = 0; i < fields.size() && i < skip_.size(); ++i) {
            if (skip_[i] || dump::copy_text::is_null(fields[i])) continue;
            value_.clear();
            if (!dump::copy_text::decode_field(fields[i], value_)) continue;
            ++result_.fields_checked;
            ++result_.output_scan.values_scanned;
            result_.output_scan.bytes_scanned += value_.size();
            explorer_.explore(value_, arrays_[i], [&](const anonymise::Piece& p) { check_piece(i, p, row_number); });
            tally_.end_value(i);
        }
    }

    void end_table(std::uint64_t rows) override { tally_.end_table(rows, result_.output_scan); }

    // The SQL around the rows (every TOC entry's definition, or a plain
    // script's statements) can carry values too: statistics, comments,
    // defaults. Every string literal in it is explored like a field.
    void sql_text(const std::string& place, std::string_view sql) override {
        for (const dump::SqlToken& token : dump::tokenize_sql(sql)) {
            if (token.kind != dump::SqlTokenKind::String || token.value.size() < 3) continue;
            bool array = token.value.front() == '{' && token.value.back() == '}';
            explorer_.explore(token.value, array, [&](const anonymise::Piece& p) { check_text_piece(place, p); });
        }
    }

    void finish() {
        for (auto& [key, survivor] : groups_) result_.survivors.push_back(std::move(survivor));
        result_.passed = result_.survivors.empty();
    }

private:
    void check_piece(std::size_t column, const anonymise::Piece& piece, std::uint64_t row_number) {
        if (piece.kind == anonymise::PieceKind::token) {
            tally_.token(column, piece);
            if (piece.synthetic) return;
        }
        ++result_.pieces_checked;
        anonymise::canonical_piece(piece, canonical_);
        auto source = verifier_.index_.find(verifier_.fingerprint_(canonical_));
        if (!source) return;
        if (transformed_[column] && piece.kind != anonymise::PieceKind::token &&
            anonymise::could_be_fake_name(piece.text))
            return;
        std::string found_in = table_.display + "." + table_.columns[column];
        auto key = std::make_tuple(found_in, piece_place(piece), *source);
        auto it = groups_.find(key);
        if (it == groups_.end()) {
            if (groups_.size() >= kMaxSurvivorGroups) return;
            it =
                groups_.emplace(key, Survivor{found_in, piece_place(piece), row_number, 0, verifier_.sources_[*source]})
                    .first;
        }
        // Count rows, not pieces: one row may hold the value twice.
        if (it->second.count == 0 || last_row_[key] != row_number) ++it->second.count;
        last_row_[key] = row_number;
    }

    void check_text_piece(const std::string& place, const anonymise::Piece& piece) {
        if (piece.synthetic) return;
        ++result_.pieces_checked;
        anonymise::canonical_piece(piece, canonical_);
        auto source = verifier_.index_.find(verifier_.fingerprint_(canonical_));
        if (!source) return;
        auto key = std::make_tuple(place, piece_place(piece) + " in its SQL", *source);
        auto it = groups_.find(key);
        if (it == groups_.end()) {
            if (groups_.size() >= kMaxSurvivorGroups) return;
            it = groups_.emplace(key, Survivor{place, std::get<1>(key), 0, 0, verifier_.sources_[*source]}).first;
        }
        ++it->second.count;
    }

    const LeakVerifier& verifier_;
    const rules::RulesFile& rules_;
    VerifyResult& result_;
    FindingTally tally_;
    WalkedTable table_;
    std::vector<bool> skip_, arrays_, transformed_;
    anonymise::ValueExplorer explorer_{true};
    std::string value_, canonical_;
    std::map<std::tuple<std::string, std::string, std::uint32_t>, Survivor> groups_;
    std::map<std::tuple<std::string, std::string, std::uint32_t>, std::uint64_t> last_row_;
};

LeakVerifier::LeakVerifier(std::uint64_t memory_limit_bytes) : index_(memory_limit_bytes) {}
LeakVerifier::~LeakVerifier() = default;

std::uint32_t LeakVerifier::source_id(const std::string& column) {
    auto it = std::find(sources_.begin(), sources_.end(), column);
    if (it != sources_.end()) return static_cast<std::uint32_t>(it - sources_.begin());
    sources_.push_back(column);
    return static_cast<std::uint32_t>(sources_.size() - 1);
}

std::unique_ptr<ValueChangeObserver> LeakVerifier::observe(const rules::TablePlan& plan,
                                                           const std::vector<std::string>& types) {
    std::vector<std::uint32_t> sources;
    std::vector<bool> arrays, tokens_only;
    for (std::size_t i = 0; i < plan.columns.size(); ++i) {
        sources.push_back(source_id(plan.table + "." + plan.columns[i].name));
        arrays.push_back(i < types.size() && array_type(types[i]));
        tokens_only.push_back(remembers_tokens_only(plan.columns[i].transform_name));
    }
    return std::make_unique<Remember>(*this, std::move(sources), std::move(arrays), std::move(tokens_only));
}

VerifyResult LeakVerifier::check(const std::string& path, const rules::RulesFile& rules) {
    auto start = std::chrono::steady_clock::now();
    VerifyResult result;
    result.originals_remembered = index_.size();
    result.memory_bytes = index_.memory_bytes();
    ReadBack read_back(*this, rules, result);
    walk_dump(path, read_back); // rows, and the SQL around them
    read_back.finish();
    result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    result.output_scan.seconds = result.seconds;
    return result;
}

std::string describe_survivor(const Survivor& s) {
    // Rows are counted in table data; SQL text (first_row 0) has none.
    std::string rows = s.first_row == 0 ? std::string()
                                        : ", row " + std::to_string(s.first_row) +
                                              (s.count > 1 ? "; " + std::to_string(s.count) + " rows" : std::string());
    return s.found_in + " (" + s.where + rows + ") holds a value of " + s.source + " that the rules replaced";
}

} // namespace pgscrub::scrub

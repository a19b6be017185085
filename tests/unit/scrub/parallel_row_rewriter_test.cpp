// The row-parallel rewriter: chunks cut only where a row ends, outputs
// written in input order, the same bytes in the same writes for any number
// of workers and the same bytes as the sequential rewriter, exact counts, the
// first bad row's error with its absolute row number, and interrupts.
#include "anonymise/transform_registry.hpp"
#include "common/error.hpp"
#include "common/interrupts.hpp"
#include "scrub/copy_stream_rewriter.hpp"
#include "scrub/parallel_row_rewriter.hpp"

#include "column_plans.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <random>
#include <stdexcept>
#include <tuple>

using namespace pgscrub;

namespace {

// Throws on the value "boom", as a transform meeting a value it cannot handle.
class ThrowingTransform final : public anonymise::Transform {
public:
    bool apply_into(const std::optional<std::string_view>& value, const anonymise::TransformContext&,
                    std::string& out) const override {
        if (value && *value == "boom") throw std::runtime_error("cannot transform this value");
        if (!value) return false;
        out.assign(*value);
        out += '!';
        return true;
    }
};

rules::TablePlan three_column_plan() {
    rules::TablePlan plan;
    plan.action = rules::TableAction::Transform;
    plan.columns.push_back(test::column_plan("id", "keep"));
    plan.columns.push_back(test::column_plan("email", "fake_email"));
    plan.columns.push_back(test::column_plan("note", "redact"));
    return plan;
}

// Every write, kept apart: the write boundaries are part of the output
// (an uncompressed custom archive frames each write as a block).
struct RecordingSink final : common::ByteSink {
    void write(std::string_view bytes) override { writes.emplace_back(bytes); }
    std::string joined() const {
        std::string all;
        for (const std::string& w : writes) all += w;
        return all;
    }
    std::vector<std::string> writes;
};

struct Change {
    std::size_t column;
    std::string original;
    std::optional<std::string> output;
    bool operator==(const Change&) const = default;
};
struct RecordingObserver final : scrub::ValueChangeObserver {
    void value_changed(std::size_t column, std::string_view original, std::optional<std::string_view> output) override {
        changes.push_back(
            {column, std::string(original), output ? std::optional<std::string>(std::string(*output)) : std::nullopt});
    }
    std::vector<Change> changes;
};

struct Result {
    std::vector<std::string> writes;
    std::uint64_t rows = 0;
    std::vector<std::uint64_t> changed;
    std::vector<Change> changes;
};

// Feeds `input` in pieces of `piece` bytes.
Result parallel(const rules::TablePlan* plan, std::string_view input, int workers, std::size_t chunk_bytes,
                std::size_t piece = 4096) {
    anonymise::KeyedHash key("unit-test-key-0123456789");
    RecordingSink out;
    RecordingObserver observer;
    int columns = plan ? static_cast<int>(plan->columns.size()) : -1;
    scrub::ParallelRowRewriter rewriter(out, columns, plan, &key, {}, {workers, chunk_bytes});
    rewriter.observe_changes(&observer);
    for (std::size_t at = 0; at < input.size(); at += piece) rewriter.write(input.substr(at, piece));
    rewriter.finish();
    REQUIRE(rewriter.bytes_in() == input.size());
    return {out.writes, rewriter.rows(), rewriter.values_changed(), observer.changes};
}

Result sequential(const rules::TablePlan* plan, std::string_view input) {
    anonymise::KeyedHash key("unit-test-key-0123456789");
    RecordingSink out;
    RecordingObserver observer;
    int columns = plan ? static_cast<int>(plan->columns.size()) : -1;
    scrub::CopyStreamRewriter rewriter(out, columns, plan, &key, {});
    rewriter.observe_changes(&observer);
    rewriter.write(input);
    rewriter.finish();
    return {{out.joined()}, rewriter.rows(), rewriter.values_changed(), observer.changes};
}

std::string joined(const std::vector<std::string>& writes) {
    std::string all;
    for (const std::string& w : writes) all += w;
    return all;
}

// Rows with escapes (tab, backslash, newline), NULLs, multi-byte UTF-8 and
// the odd very long value, from a fixed seed.
std::string random_table(unsigned seed, int rows) {
    std::mt19937 random(seed);
    const std::vector<std::string> pieces = {"a", "Zoë", "日本", "\\t", "\\\\", "\\n", " ", "x@example.org", "😀", "0"};
    auto text = [&](int max) {
        std::string s;
        for (int n = static_cast<int>(random() % static_cast<unsigned>(max)); n > 0; --n)
            s += pieces[random() % pieces.size()];
        return s;
    };
    std::string out;
    for (int i = 1; i <= rows; ++i) {
        out += std::to_string(i) + "\t";
        out += random() % 7 == 0 ? std::string("\\N") : text(4) + "@example.com";
        out += "\t";
        out += random() % 5 == 0 ? std::string("\\N") : text(random() % 50 == 0 ? 400 : 12);
        out += "\n";
    }
    return out + "\\.\n\n\n";
}

} // namespace

TEST_CASE("parallel rewriter: same bytes, writes and counts as one thread for 1, 2 and 7 workers", "[scrub]") {
    rules::TablePlan plan = three_column_plan();
    const std::string input = random_table(GENERATE(1u, 2u, 3u), 600);
    const std::size_t chunk = GENERATE(std::size_t{1}, std::size_t{100}, std::size_t{4096}, std::size_t{1} << 20);
    const std::size_t piece = GENERATE(std::size_t{3}, std::size_t{65536});

    Result reference = sequential(&plan, input);
    Result one = parallel(&plan, input, 1, chunk, piece);
    REQUIRE(joined(one.writes) == reference.writes[0]);
    REQUIRE(one.rows == 600);
    REQUIRE(one.rows == reference.rows);
    REQUIRE(one.changed == reference.changed);
    REQUIRE(one.changes == reference.changes);
    for (int workers : {2, 7}) {
        Result many = parallel(&plan, input, workers, chunk, piece);
        REQUIRE(many.writes == one.writes);
        REQUIRE(many.rows == one.rows);
        REQUIRE(many.changed == one.changed);
        REQUIRE(many.changes == one.changes);
    }
}

TEST_CASE("parallel rewriter: chunks end only where a row ends, never inside an escape or a character", "[scrub]") {
    // Kept fields: each chunk's output is its input, so the writes show the cuts.
    const std::vector<std::string> rows = {
        "a\\\\\tb\\tc\n",            // an escaped backslash, then an escaped tab
        "Zo\u00eb\t\u65e5\u672c\n",  // multi-byte characters
        "x\\\ny\tz\n",               // `\` + newline: data inside the row, not its end
        "\U0001F600\\\\\\\\\t\\N\n", // an even run of backslashes before a tab
    };
    std::vector<std::size_t> ends;
    std::string all_rows;
    for (const std::string& row : rows) ends.push_back((all_rows += row).size());
    const std::string input = all_rows + "\\.\n\n\n";
    for (std::size_t chunk = 1; chunk <= input.size(); ++chunk) {
        for (int workers : {1, 2, 7}) {
            Result r = parallel(nullptr, input, workers, chunk, 1);
            REQUIRE(joined(r.writes) == input);
            REQUIRE(r.rows == 4);
            REQUIRE(r.writes.back() == "\\.\n\n\n");
            std::size_t at = 0;
            for (std::size_t i = 0; i + 1 < r.writes.size(); ++i) {
                at += r.writes[i].size();
                // Every cut is at the end of one of the four rows.
                REQUIRE(std::find(ends.begin(), ends.end(), at) != ends.end());
            }
        }
    }
}

TEST_CASE("parallel rewriter: a row longer than a chunk makes a bigger chunk, cut right after it", "[scrub]") {
    const std::string long_row = "1\t" + std::string(5000, 'x') + "\n";
    const std::string input = "0\ta\n" + long_row + "2\tb\n" + long_row + "\\.\n";
    for (int workers : {1, 2, 7}) {
        Result r = parallel(nullptr, input, workers, 16, 100);
        REQUIRE(r.writes == std::vector<std::string>{"0\ta\n" + long_row, "2\tb\n" + long_row, "\\.\n"});
    }
}

TEST_CASE("parallel rewriter: an empty table is its trailer alone; what follows \\. is kept verbatim", "[scrub]") {
    rules::TablePlan plan = three_column_plan();
    for (int workers : {1, 2, 7}) {
        Result empty = parallel(&plan, "\\.\n\n\n", workers, 8);
        REQUIRE(empty.writes == std::vector<std::string>{"\\.\n\n\n"});
        REQUIRE(empty.rows == 0);
        REQUIRE(empty.changed == std::vector<std::uint64_t>{0, 0, 0});

        Result tail = parallel(nullptr, "1\t2\n\\.\nnot\ta row\n\\.\n", workers, 1, 2);
        REQUIRE(joined(tail.writes) == "1\t2\n\\.\nnot\ta row\n\\.\n");
        REQUIRE(tail.rows == 1);
    }
}

TEST_CASE("parallel rewriter: a stream without its end marker is an error after its rows", "[scrub]") {
    anonymise::KeyedHash key("unit-test-key-0123456789");
    common::StringSink out;
    scrub::ParallelRowRewriter rewriter(out, 2, nullptr, &key, {}, {2, 4});
    rewriter.write("1\ta\n2\tb\n3\tc\n");
    REQUIRE_THROWS_WITH(rewriter.finish(), Catch::Contains("missing end-of-data marker"));
    REQUIRE(out.data == "1\ta\n2\tb\n3\tc\n");
}

TEST_CASE("parallel rewriter: a transform that throws on row N reports row N and column, never the value", "[scrub]") {
    rules::TablePlan plan;
    plan.action = rules::TableAction::Transform;
    plan.columns.push_back(test::column_plan("id", "keep"));
    rules::ColumnPlan c;
    c.name = "c";
    c.transform_name = "custom";
    c.transform = std::make_unique<ThrowingTransform>();
    plan.columns.push_back(std::move(c));
    std::string input;
    const int bad = GENERATE(1, 777, 2000);
    for (int i = 1; i <= 2000; ++i) input += std::to_string(i) + "\t" + (i == bad || i == 1500 ? "boom" : "v") + "\n";
    input += "\\.\n";
    // Row 1500 fails too: the first bad row is the one reported, whatever the timing.
    const int first = std::min(bad, 1500);
    for (int workers : {1, 2, 7}) {
        for (std::size_t chunk : {std::size_t{1}, std::size_t{64}, std::size_t{1} << 20}) {
            try {
                parallel(&plan, input, workers, chunk);
                FAIL("no error");
            } catch (const common::Error& e) {
                REQUIRE(e.kind() == common::ErrorKind::Input);
                REQUIRE(std::string(e.what()).rfind("row " + std::to_string(first) +
                                                        ", column \"c\" (custom): cannot transform this value",
                                                    0) == 0);
                REQUIRE(std::string(e.what()).find("boom") == std::string::npos);
            }
        }
    }
}

TEST_CASE("parallel rewriter: a row with the wrong number of fields names its row and byte", "[scrub]") {
    rules::TablePlan plan = three_column_plan();
    std::string input;
    for (int i = 1; i <= 300; ++i) input += i == 250 ? std::string("250\tx\n") : std::to_string(i) + "\t\\N\t\\N\n";
    input += "\\.\n";
    const std::size_t offset = input.find("250\tx\n");
    for (int workers : {1, 2, 7}) {
        REQUIRE_THROWS_WITH(parallel(&plan, input, workers, 32),
                            Catch::StartsWith("row 250 (byte " + std::to_string(offset) +
                                              " of the COPY data) has 2 fields, but the COPY statement lists 3"));
    }
}

TEST_CASE("parallel rewriter: an interrupt stops the workers and surfaces as Interrupted", "[scrub]") {
    rules::TablePlan plan = three_column_plan();
    const std::string input = random_table(9, 3000);
    common::simulate_interrupt(2);
    try {
        parallel(&plan, input, 2, 256);
        common::simulate_interrupt(0);
        FAIL("no error");
    } catch (const common::Error& e) {
        common::simulate_interrupt(0);
        REQUIRE(e.kind() == common::ErrorKind::Interrupted);
    }
}

// Run under the tsan preset, this is the audit of anonymise/ for state shared
// between threads: every kind of transform on 7 workers at once.
TEST_CASE("parallel rewriter: every kind of transform on 7 workers writes what one thread writes", "[scrub]") {
    rules::TablePlan plan;
    plan.action = rules::TableAction::Transform;
    plan.needs_row = true;
    plan.columns.push_back(test::column_plan("id", "keep"));
    plan.columns.push_back(test::column_plan("name", "fake_name"));
    plan.columns.push_back(test::column_plan("first", "fake_first_name"));
    plan.columns.push_back(test::column_plan("phone", "fake_phone"));
    plan.columns.push_back(test::column_plan("ip", "fake_ip"));
    plan.columns.push_back(test::column_plan("user", "pseudonym", {{"prefix", "user_"}}));
    plan.columns.push_back(test::column_plan("code", "mask", {{"keep_start", "1"}}));
    plan.columns.push_back(test::column_plan("ref", "regex_replace", {{"pattern", "[0-9]+"}, {"replacement", "N"}}));
    plan.columns.push_back(test::column_plan("bio", "redact"));
    plan.columns.push_back(test::column_plan("profile", "json", {}, {{"others", "mask"}}));
    plan.columns.push_back(test::column_plan("cc", "array", {}, {{"each", "fake_email"}}));
    plan.columns.push_back(test::column_plan("greeting", "template", {{"format", "Dear {first} ({id})"}}));
    std::string input;
    for (int i = 1; i <= 3000; ++i) {
        const std::string n = std::to_string(i);
        input += n + "\tZo\u00eb Smith" + n + "\tAnn\t+44 20 7946 0" + n + "\t10.0.0." + std::to_string(i % 250) +
                 "\tann" + n + "\tABC" + n + "\tref-" + n + "\tmail ann" + n + "@example.org or call 020 7946 0" + n +
                 "\t{\"k\": \"v" + n + "\", \"n\": [1, \"\u65e5\u672c\"]}\t{a" + n + "@example.org,b@example.org}\tx\n";
    }
    input += "\\.\n";
    Result reference = sequential(&plan, input);
    for (std::size_t chunk : {std::size_t{1}, std::size_t{700}}) {
        Result many = parallel(&plan, input, 7, chunk);
        REQUIRE(joined(many.writes) == reference.writes[0]);
        REQUIRE(many.changed == reference.changed);
        REQUIRE(many.changes == reference.changes);
    }
}

TEST_CASE("rewriter: a template reading a later template never sees that column's previous row", "[scrub]") {
    rules::TablePlan plan;
    plan.action = rules::TableAction::Transform;
    plan.needs_row = true;
    plan.columns.push_back(test::column_plan("a", "template", {{"format", "<{b}>"}}));
    plan.columns.push_back(test::column_plan("b", "template", {{"format", "b{id}"}}));
    plan.columns.push_back(test::column_plan("id", "keep"));
    const std::string input = "x\ty\t1\nx\ty\t2\n\\.\n";
    // Before its own turn, b reads as NULL in every row (it read "b1", row 1's b, in row 2).
    const std::string out = sequential(&plan, input).writes[0];
    REQUIRE(out == "<>\tb1\t1\n<>\tb2\t2\n\\.\n");
    REQUIRE(joined(parallel(&plan, input, 2, 1).writes) == out);
}

TEST_CASE("rewriter: a column's reused output buffer never carries over a previous row's value", "[scrub]") {
    // Each transformed column writes into one buffer kept from row to row: a
    // long value, then a short one, a NULL and an unchanged one must each come
    // out as themselves, and a template must read each row's own decoded value.
    rules::TablePlan plan;
    plan.action = rules::TableAction::Transform;
    plan.needs_row = true;
    plan.columns.push_back(test::column_plan("id", "keep"));
    rules::ColumnPlan bang;
    bang.name = "v";
    bang.transform_name = "custom";
    bang.transform = std::make_unique<ThrowingTransform>(); // appends '!'
    plan.columns.push_back(std::move(bang));
    plan.columns.push_back(test::column_plan("note", "regex_replace", {{"pattern", "secret"}, {"replacement", "x"}}));
    plan.columns.push_back(test::column_plan("t", "template", {{"format", "[{note}|{id}]"}}));
    const std::string input = "1\tlong value well past the inline size\ta secret here\tq\n"
                              "2\tb\tplain\tq\n"
                              "3\t\\N\t\\N\tq\n"
                              "4\tc\\td\tsecret\\tsecret\t\\N\n"
                              "\\.\n";
    const std::string expected = "1\tlong value well past the inline size!\ta x here\t[a x here|1]\n"
                                 "2\tb!\tplain\t[plain|2]\n"
                                 "3\t\\N\t\\N\t[|3]\n"
                                 "4\tc\\td!\tx\\tx\t\\N\n"
                                 "\\.\n";
    const Result one = sequential(&plan, input);
    REQUIRE(one.writes[0] == expected);
    // v changed in rows 1, 2 and 4; note in 1 and 4; t in 1, 2 and 3.
    REQUIRE(one.changed == std::vector<std::uint64_t>{0, 3, 2, 3});
    REQUIRE(one.changes[0] ==
            Change{1, "long value well past the inline size", std::string("long value well past the inline size!")});
    REQUIRE(one.changes.back() == Change{2, "secret\tsecret", std::string("x\tx")});
    REQUIRE(joined(parallel(&plan, input, 2, 1).writes) == expected);
}

// Tables scrubbed several at once (scrub/parallel_tables.hpp): largest first,
// at most `jobs` at a time, one of them at a time with its rows on every
// core, every table run once, and after a failure no table started, the
// failure of the first table in the order added rethrown, every thread
// joined.
#include "scrub/parallel_tables.hpp"

#include "archive_builders.hpp"
#include "archive_format_helpers.hpp"
#include "dump/directory_format.hpp"
#include "rules/rules_file.hpp"
#include "scrub/scrub_job.hpp"

#include <catch2/catch.hpp>

#include <atomic>
#include <chrono>
#include <mutex>
#include <stdexcept>
#include <thread>
#include <vector>

using namespace pgscrub::scrub;
using namespace std::chrono_literals;

TEST_CASE("one job: tables run largest first, ties in the order added", "[scrub][parallel]") {
    ParallelTables tables(1);
    std::vector<int> ran;
    const std::uint64_t sizes[] = {5, 40, 5, 900, 40};
    for (int i = 0; i < 5; ++i) {
        tables.add(sizes[i], [&ran, i](int row_workers) {
            CHECK(row_workers == 1);
            ran.push_back(i);
        });
    }
    tables.run();
    CHECK(ran == std::vector<int>{3, 1, 4, 0, 2});
}

TEST_CASE("several jobs: each table once, at most `jobs` at a time, one with its rows in parallel",
          "[scrub][parallel]") {
    constexpr int kJobs = 3;
    ParallelTables tables(kJobs);
    std::atomic<int> running{0}, most_running{0}, row_parallel{0}, most_row_parallel{0}, got_every_core{0};
    std::vector<std::atomic<int>> runs(20);
    for (int i = 0; i < 20; ++i) {
        tables.add(static_cast<std::uint64_t>(i % 7), [&, i](int row_workers) {
            int now = ++running;
            for (int seen = most_running; now > seen && !most_running.compare_exchange_weak(seen, now);) {
            }
            if (row_workers > 1) {
                CHECK(row_workers == kJobs);
                ++got_every_core;
                int parallel = ++row_parallel;
                for (int seen = most_row_parallel;
                     parallel > seen && !most_row_parallel.compare_exchange_weak(seen, parallel);) {
                }
            }
            ++runs[i];
            std::this_thread::sleep_for(2ms);
            if (row_workers > 1) --row_parallel;
            --running;
        });
    }
    tables.run();
    for (auto& count : runs) CHECK(count == 1);
    CHECK(most_running <= kJobs);
    CHECK(most_running > 1); // they did overlap
    CHECK(most_row_parallel == 1);
    CHECK(got_every_core >= 1);
}

TEST_CASE("a failure stops the tables not started and the first-added table's failure is rethrown",
          "[scrub][parallel]") {
    SECTION("one job: nothing after the failing table runs") {
        ParallelTables tables(1);
        std::vector<int> ran;
        tables.add(30, [&](int) { ran.push_back(0); });
        tables.add(20, [&](int) {
            ran.push_back(1);
            throw std::runtime_error("table 1 failed");
        });
        tables.add(10, [&](int) { ran.push_back(2); });
        CHECK_THROWS_WITH(tables.run(), "table 1 failed");
        CHECK(ran == std::vector<int>{0, 1});
    }
    SECTION("two jobs: a later table failing first does not hide the earlier table's failure") {
        // Table 0 is small and fails late; table 1 is larger, starts first
        // and fails at once. Table 0 still runs to its own failure, which is
        // the one reported, as the archive's order says.
        ParallelTables tables(2);
        std::atomic<bool> zero_started{false}, zero_finished{false}, one_failed{false};
        tables.add(1, [&](int) {
            zero_started = true;
            while (!one_failed) std::this_thread::yield();
            std::this_thread::sleep_for(5ms);
            zero_finished = true;
            throw std::runtime_error("table 0 failed");
        });
        tables.add(100, [&](int) {
            while (!zero_started) std::this_thread::yield();
            one_failed = true;
            throw std::runtime_error("table 1 failed");
        });
        CHECK_THROWS_WITH(tables.run(), "table 0 failed");
        CHECK(zero_finished); // joined before run() threw
    }
}

// The whole scrub, directory archive to directory archive: with -j 3 the
// tables go through ParallelTables (and, under scripts/tsan.sh, the
// directory writer, progress and outcome slots are checked for races); the
// files and the summary are the same as with -j 1.
TEST_CASE("scrub: directory to directory gives the same files and summary at -j 1 and -j 3", "[scrub][parallel]") {
    using namespace pgscrub;
    test::TempDir tmp;
    const test::SampleArchive a = test::sample_archive(dump::ArchiveVersion{1, 15, 0}, dump::Compression::Gzip, 4000);
    {
        auto reader = test::custom_from_memory(test::build_custom(a, 4096, true).bytes);
        auto writer = dump::make_directory_writer(
            tmp / "in", test::output_spec(dump::ArchiveFormat::Directory, dump::Compression::Gzip));
        test::copy_archive(*reader, *writer, true);
    }
    const rules::RulesFile rules = rules::parse_rules("version: 1\n"
                                                      "unlisted_tables: keep\n"
                                                      "large_objects: keep\n"
                                                      "tables:\n"
                                                      "  users:\n"
                                                      "    keep: [id]\n"
                                                      "    columns:\n"
                                                      "      name: fake_name\n",
                                                      "rules.yaml");
    std::vector<scrub::ScrubSummary> summaries;
    for (int jobs : {1, 3}) {
        scrub::ScrubOptions options;
        options.input = tmp / "in";
        options.output = tmp / ("out-" + std::to_string(jobs));
        options.jobs = jobs;
        options.key = "parallel-tables-test-key";
        summaries.push_back(scrub::run_scrub(options, rules));
    }
    for (const std::string& name : test::files_in(tmp / "out-1")) {
        CHECK(test::read_file(tmp / ("out-1/" + name)) == test::read_file(tmp / ("out-3/" + name)));
    }
    CHECK(test::files_in(tmp / "out-1") == test::files_in(tmp / "out-3"));
    REQUIRE(summaries[0].tables.size() == summaries[1].tables.size());
    REQUIRE(summaries[0].tables.size() >= 2);
    for (std::size_t i = 0; i < summaries[0].tables.size(); ++i) {
        const scrub::TableOutcome &one = summaries[0].tables[i], &three = summaries[1].tables[i];
        CHECK(one.name == three.name);
        CHECK(one.rows == three.rows);
        CHECK(one.stored_bytes_in == three.stored_bytes_in);
        REQUIRE(one.columns.size() == three.columns.size());
        for (std::size_t c = 0; c < one.columns.size(); ++c)
            CHECK(one.columns[c].values_changed == three.columns[c].values_changed);
    }
    const scrub::TableOutcome& users = summaries[1].tables.front();
    REQUIRE(users.name == "public.users");
    REQUIRE(users.columns.size() == 2);
    CHECK(users.rows == std::optional<std::uint64_t>(4003));
    CHECK(users.columns[1].values_changed > 3000); // names faked
}

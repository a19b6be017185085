// PostgreSQL 18 statistics SQL. Text is either refused with
// StatisticsSqlError (at an offset inside it) or read into calls that format
// back to SQL which reads as the same calls and formats identically.

#include "dump/statistics_sql.hpp"
#include "fuzz/fuzz_support.hpp"

using namespace pgscrub;

namespace {

bool same_calls(const std::vector<dump::StatisticsCall>& a, const std::vector<dump::StatisticsCall>& b) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i) {
        if (a[i].kind != b[i].kind || a[i].arguments.size() != b[i].arguments.size()) return false;
        for (std::size_t j = 0; j < a[i].arguments.size(); ++j) {
            const auto& x = a[i].arguments[j];
            const auto& y = b[i].arguments[j];
            if (x.name != y.name || x.value != y.value || x.sql != y.sql) return false;
        }
    }
    return true;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::string_view sql = fuzz::as_text(data, size);
    (void)dump::is_statistics_sql(sql);
    std::vector<dump::StatisticsCall> calls;
    try {
        calls = dump::parse_statistics_sql(sql);
    } catch (const dump::StatisticsSqlError& e) {
        PGSCRUB_FUZZ_EXPECT(e.offset() <= sql.size());
        return 0;
    }
    for (const auto& call : calls) (void)call.describe();
    std::string formatted = dump::format_statistics_sql(calls);
    std::vector<dump::StatisticsCall> again;
    try {
        again = dump::parse_statistics_sql(formatted);
    } catch (const dump::StatisticsSqlError&) {
        PGSCRUB_FUZZ_EXPECT(!"formatted statistics SQL reads back");
    }
    PGSCRUB_FUZZ_EXPECT(same_calls(calls, again));
    PGSCRUB_FUZZ_EXPECT(dump::format_statistics_sql(again) == formatted);
    return 0;
}

#include "common/utc_time.hpp"

#include <ctime>

namespace pgscrub::common {

namespace {

std::string now_formatted(const char* format) {
    std::time_t now = std::time(nullptr);
    std::tm utc{};
    gmtime_r(&now, &utc);
    char text[32];
    std::strftime(text, sizeof text, format, &utc);
    return text;
}

} // namespace

std::string utc_timestamp() { return now_formatted("%Y-%m-%dT%H:%M:%SZ"); }

std::string compact_utc_stamp() { return now_formatted("%Y%m%d_%H%M%S"); }

} // namespace pgscrub::common

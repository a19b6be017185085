#pragma once
// `pgscrub scan`: a leak audit of a dump. Streams every table's data, decodes
// each value (COPY escapes, JSON strings with \u escapes) and reports, per
// column and kind of personal data, how many rows hold some, with masked
// examples only — never a whole value.

#include <cstdint>
#include <string>
#include <vector>

namespace pgscrub::pipeline {

struct ScanOptions {
    std::string input = "-";
    bool json = false;
};

struct ScanFinding {
    std::string table;  // schema.table
    std::string column;
    std::string kind;   // email, phone, ip, card, iban, url_userinfo, uk_postcode
    std::uint64_t rows_with_kind = 0;
    std::uint64_t rows_scanned = 0;
    std::vector<std::string> examples; // at most two, masked (j***@g***.com)
};

struct ScanResult {
    std::vector<ScanFinding> findings;
    std::uint64_t values_scanned = 0;
    std::uint64_t bytes_scanned = 0;
};

ScanResult run_scan(const ScanOptions& options);
std::string format_scan(const ScanResult& result, const ScanOptions& options);

// `ann.baker@gmail.com` -> `a***@g***.com`; other kinds keep two characters.
std::string mask_example(std::string_view kind, std::string_view value);

} // namespace pgscrub::pipeline

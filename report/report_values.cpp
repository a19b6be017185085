#include "report/report_values.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <iterator>

namespace pgscrub::report::values {

const Value* get(const Value* object, std::string_view key) {
    const Value* found = object ? common::json::member(*object, key) : nullptr;
    return found && found->type != Type::null ? found : nullptr;
}

std::string scalar(const Value* v) {
    if (!v) return "";
    switch (v->type) {
    case Type::string:
    case Type::number: return v->text;
    case Type::boolean: return v->boolean ? "true" : "false";
    default: return "";
    }
}

const std::vector<Value>* list(const Value* v) { return v && v->type == Type::array ? &v->items : nullptr; }

std::optional<double> number(const Value* v) {
    if (!v || v->type != Type::number) return std::nullopt;
    double d = 0;
    const char* end = v->text.data() + v->text.size();
    auto [stop, error] = std::from_chars(v->text.data(), end, d);
    if (error != std::errc() || stop != end || !std::isfinite(d)) return std::nullopt;
    return d;
}

bool is_true(const Value* v) { return v && v->type == Type::boolean && v->boolean; }
bool is_false(const Value* v) { return v && v->type == Type::boolean && !v->boolean; }

std::string grouped(std::string_view literal) {
    const std::size_t start = literal.starts_with('-') ? 1 : 0;
    if (literal.size() == start) return std::string(literal);
    for (std::size_t i = start; i < literal.size(); ++i) {
        if (literal[i] < '0' || literal[i] > '9') return std::string(literal);
    }
    std::string out(literal.substr(0, start));
    const std::size_t digits = literal.size() - start;
    for (std::size_t i = 0; i < digits; ++i) {
        if (i && (digits - i) % 3 == 0) out += ',';
        out += literal[start + i];
    }
    return out;
}

std::string count_text(const Value* v) {
    if (!v) return "";
    if (v->type != Type::number) return scalar(v);
    std::string g = grouped(v->text);
    if (g != v->text || v->text.find_first_not_of("-0123456789") == std::string::npos) return g;
    // 3.0 or 1e3: an integer written another way.
    if (auto d = number(v); d && *d == std::floor(*d) && std::fabs(*d) < 1e15) {
        return grouped(std::to_string(static_cast<long long>(*d)));
    }
    return v->text;
}

namespace {
std::string format(const char* pattern, double value) {
    char buffer[64];
    std::snprintf(buffer, sizeof buffer, pattern, value);
    return buffer;
}
} // namespace

std::string bytes_text(double bytes) {
    if (bytes < 1000) return grouped(std::to_string(static_cast<long long>(std::max(bytes, 0.0)))) + " B";
    static const char* const units[] = {"kB", "MB", "GB", "TB", "PB", "EB"};
    std::size_t unit = 0;
    bytes /= 1000;
    while (bytes >= 999.95 && unit + 1 < std::size(units)) {
        bytes /= 1000;
        ++unit;
    }
    return format("%.1f", bytes) + " " + units[unit];
}

std::string seconds_text(double s) {
    if (s <= 0) return "0 s";
    if (s < 0.01) return "<0.01 s";
    if (s < 59.995) return format("%.2f", s) + " s";
    const long long whole = std::llround(s);
    char buffer[64];
    if (whole < 3600) std::snprintf(buffer, sizeof buffer, "%lld min %02lld s", whole / 60, whole % 60);
    else std::snprintf(buffer, sizeof buffer, "%lld h %02lld min", whole / 3600, whole % 3600 / 60);
    return buffer;
}

std::string percent_text(double share) {
    const double p = share * 100;
    if (p > 0 && p < 0.05) return "<0.1%";
    if (p > 99.95 && p < 100) return ">99.9%"; // never round a partial share up to all rows
    return format("%.1f", p) + "%";
}

std::string when_text(const std::string& t) {
    const bool shaped = t.size() >= 20 && t[4] == '-' && t[7] == '-' && t[10] == 'T' && t[13] == ':' &&
                        t[16] == ':' && t.back() == 'Z' && (t.size() == 20 || t[19] == '.');
    return shaped ? t.substr(0, 10) + " " + t.substr(11, 8) + " UTC" : t;
}

} // namespace pgscrub::report::values

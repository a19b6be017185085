#pragma once
// Reading a scrub report's JSON tolerantly, and its numbers as a person reads
// them: the words of the report page (report_html.cpp), with no HTML in them.
//
// A report may be older or newer than this pgscrub, or edited by hand: an
// absent, null or wrongly typed field reads as "not there" (nullptr, "" or
// std::nullopt), never as an error.

#include "common/json_text.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace pgscrub::report::values {

using common::json::Type;
using common::json::Value;

// Member `key` of an object (the last one when the key repeats, as browsers
// and Python read JSON); nullptr when it is absent or null, or when `object`
// is not an object at all.
const Value* get(const Value* object, std::string_view key);

// A scalar as text: a string as it is, a number as written, a boolean as
// true/false; "" for null, absent, arrays and objects.
std::string scalar(const Value* v);

// The elements of an array; nullptr for anything else.
const std::vector<Value>* list(const Value* v);

// A finite number; nullopt for anything else.
std::optional<double> number(const Value* v);

// Whether `v` is the boolean true (is_false: false); absent or another type is neither.
bool is_true(const Value* v);
bool is_false(const Value* v);

// "-1234567" -> "-1,234,567"; anything but an integer literal is returned as is.
std::string grouped(std::string_view literal);

// A count for display: integers grouped by thousands, other numbers and
// strings as written; "" when there is none.
std::string count_text(const Value* v);

// Decimal units, as disks and transfer tools show them: 1.2 MB.
std::string bytes_text(double bytes);

// 0.25 s, 12 min 05 s, 2 h 03 min.
std::string seconds_text(double s);

// A share of rows as a percentage that never rounds a partial share to 0% or 100%.
std::string percent_text(double share);

// 2026-11-24T07:00:00Z (or with a fraction) -> 2026-11-24 07:00:00 UTC.
std::string when_text(const std::string& t);

} // namespace pgscrub::report::values

#pragma once
// PostgreSQL array literals, as a value arrives from COPY text (COPY's own
// backslash doubling already undone): `{a,b}`, `{}`, `{"a b","c,d",NULL,"\"q\""}`,
// nested `{{1,2},{3,4}}`, bounds `[0:1]={x,y}`.
//
// Reading follows array_in: elements are quoted ("..." with \" and \\) or
// unquoted (backslash escapes allowed, white space around them ignored); an
// unquoted NULL in any case is SQL NULL. Writing follows array_out: an
// element is quoted when empty, equal to NULL in any case, or holding
// " \ { } , or white space. The delimiter is ',' (every type but box).
// Malformed literals throw TransformError (message without the value).

#include "anonymise/transform_error.hpp"

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace pgscrub::anonymise::array_literal {

// Gets each element's decoded text (nullopt for NULL), writes its new value
// into `result` (replacing what it held) and returns true, or returns false
// for NULL: the shape of Transform::apply_into, so `array` passes its
// element transform one buffer for all elements instead of a string each.
using ElementFunction = std::function<bool(const std::optional<std::string_view>&, std::string& result)>;

// Writes into `out` (replacing its content, keeping its capacity) the literal
// with every element replaced by `each`'s result, in canonical form (bounds
// prefix kept as written). `changed` tells whether any element's value
// differs from the original. `literal` must not point into `out`.
void rewrite(std::string_view literal, const ElementFunction& each, bool& changed, std::string& out);
std::string rewrite(std::string_view literal, const ElementFunction& each, bool& changed);

// Every element in order (nested arrays flattened), NULL as nullopt.
std::vector<std::optional<std::string>> elements(std::string_view literal);

// Appends one element as array_out writes it (quoted only when needed).
void append_element(std::string& out, std::string_view value);

} // namespace pgscrub::anonymise::array_literal

#pragma once
// A value a transform cannot process (malformed JSON in a json column, a
// malformed array literal). Transforms fail closed: they throw this rather
// than pass the value through unchanged. The message says what is wrong and
// where inside the value (a byte offset), never the value itself, so it can
// be shown and logged; the caller adds schema.table, column and row number.

#include <stdexcept>
#include <string>

namespace pgscrub::anonymise {

class TransformError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

} // namespace pgscrub::anonymise

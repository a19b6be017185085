#pragma once
// A transform rewrites one column value. Rules compile to Transform objects
// once per column; apply_into() then runs per row on the hot path, writing
// into a buffer the caller owns: the row rewriter keeps one per column and
// reuses it from row to row, so a transformed field costs no allocation once
// the buffer has grown (issue 13; bench/README.md, "Profile").
//
// Values are the decoded text form PostgreSQL uses in COPY (after COPY
// escapes are undone): '2024-01-02 03:04:05+00', '{a,b}', '{"k": "v"}',
// '\x00ff' for bytea. Transforms must return valid UTF-8 for text input.

#include "anonymise/keyed_hash.hpp"

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace pgscrub::anonymise {

// The other fields of the row being transformed, for `template`.
class RowAccess {
public:
    virtual ~RowAccess() = default;
    // The decoded value of `column` in the OUTPUT row, i.e. after that
    // column's own rule (a template must never copy an original personal
    // value into the output: "{first_name} {last_name}" combines the fake
    // names); nullopt for NULL or an unknown column (the rules layer checks
    // names before running). Kept columns give their input value. The view
    // is valid until the next call or until the row changes (it may point
    // into a decoding scratch buffer), so a caller appends it at once.
    virtual std::optional<std::string_view> value_of(std::string_view column) const = 0;
};

struct TransformContext {
    const KeyedHash& key;
    const RowAccess* row = nullptr; // set when a transform declared it needs the row
};

class Transform {
public:
    virtual ~Transform() = default;
    // Writes the new value for `value` into `out`, replacing what `out` held
    // (its capacity is kept: the caller reuses it row after row), and returns
    // true; returns false for SQL NULL (then `out`'s content is unspecified).
    // `value` is nullopt for a NULL input: most transforms keep NULL as NULL.
    // `value` never points into `out`.
    virtual bool apply_into(const std::optional<std::string_view>& value, const TransformContext& context,
                            std::string& out) const = 0;
    // The same as a new string (nullopt: NULL), for tests and cold callers.
    // Not virtual: implementations override apply_into() only.
    std::optional<std::string> apply(const std::optional<std::string_view>& value,
                                     const TransformContext& context) const {
        std::string out;
        if (!apply_into(value, context, out)) return std::nullopt;
        return out;
    }
    // True when apply_into() reads other columns of the row (template).
    virtual bool needs_row() const { return false; }
};

// A transform as written in a rules file, before it is built: name,
// scalar parameters, and nested transforms (json paths, json others,
// array each). Positions let errors point at FILE:LINE:COL.
struct NestedTransformConfig;

struct TransformConfig {
    struct Position {
        int line = 0;
        int column = 0;
    };
    std::string name;
    Position where;
    struct Scalar {
        std::string value;
        Position where;
        bool is_list = false;           // `kinds: [email, phone]`
        std::vector<std::string> items; // when is_list

        // A list parameter's names: the items of `[a, b]`, or of a plain
        // value the names between commas (`"a, b"`), trimmed, empty ones dropped.
        std::vector<std::string> names() const;
    };
    std::vector<std::pair<std::string, Scalar>> scalars; // in file order
    // Parameters that are transforms: "each", "others", and each JSON path
    // under "paths" (keys starting with '$', e.g. "$.email"). A plain string
    // (`each: redact`, `$.email: fake_email`) is a nested config with that
    // name and no parameters; such parameters never appear in `scalars`.
    std::vector<NestedTransformConfig> nested;
    Position paths_where; // where `paths:` is, if present (line 0: absent)

    // The first scalar / nested config named `key`, or nullptr.
    const Scalar* scalar(std::string_view key) const;
    const TransformConfig* nested_config(std::string_view key) const;
};

// One nested transform and the parameter it is given under. A named struct
// rather than std::pair, because a pair of an incomplete type cannot be a
// member of that type's own vector.
struct NestedTransformConfig {
    NestedTransformConfig(std::string key_, TransformConfig config_)
        : key(std::move(key_)), config(std::move(config_)) {}
    std::string key;
    TransformConfig config;
};

// A problem found while building a transform; the rules layer adds the file.
struct ConfigProblem {
    TransformConfig::Position where;
    std::string message; // "what is wrong — what would be valid"
};

} // namespace pgscrub::anonymise

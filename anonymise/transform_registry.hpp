#pragma once
// The one self-describing table of transforms: name, summary, parameters
// (types, defaults, docs), the column types each accepts, whether it keeps
// distinct values distinct, and its factory. Validation, `pgscrub transforms`
// and docs/transforms.md are all generated from it.

#include "anonymise/transform.hpp"

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace pgscrub::anonymise {

// String: one scalar. Integer: decimal, within [min_value, max_value].
// Character: one grapheme cluster. StringList: a YAML list (a single scalar
// counts as a one-item list). Transform: a nested transform (`each`,
// `others`). PathMap: a mapping from JSON path ("$...") to transform.
enum class ParamType { String, Integer, Character, StringList, Transform, PathMap };
const char* param_type_name(ParamType type); // "string", "integer", ...

struct ParamSpec {
    std::string name;
    ParamType type = ParamType::String;
    bool required = false;
    std::string default_value; // as text, for docs; "" when none
    std::string summary;
    std::optional<long long> min_value; // Integer only
    std::optional<long long> max_value; // Integer only
};

// Column type families a transform may be applied to.
enum class TypeFamily { Text, Json, Array, Inet, Bytea, Numeric, Temporal, Boolean, Other };

// The type as pg_dump writes it (format_type(): "character varying(150)",
// "timestamp with time zone", "public.citext", "text[]", "_int4") -> its
// family. Schema qualification and quotes are ignored; a name that is not a
// built-in type (an enum, a domain, a composite) is Other: resolve domains
// to their base type first if you know it.
TypeFamily type_family(std::string_view sql_type);
const char* type_family_name(TypeFamily family); // "text", "json", "array", ...

using TransformFactory = std::function<std::unique_ptr<Transform>(const TransformConfig& config,
                                                                  std::vector<ConfigProblem>& problems)>;

struct TransformSpec {
    std::string name;
    std::string summary;             // one line, for the listing
    std::vector<ParamSpec> params;
    std::vector<TypeFamily> accepts; // empty: any type
    bool injective = false;          // distinct inputs stay distinct (fit for UNIQUE columns)
    TransformFactory factory;
    std::string details;             // Markdown paragraphs for the reference: NULLs, edge cases
    std::string example;             // a flow-style YAML rule, e.g. {transform: set, value: "!"}
};

const std::vector<TransformSpec>& transform_registry();
const TransformSpec* find_transform(std::string_view name);
// True when `spec` may be applied to a column of `family` (accepts is empty or lists it).
bool accepts_type(const TransformSpec& spec, TypeFamily family);

// Validates `config` against the registry (unknown transform or parameter
// with "did you mean", missing required parameters, wrong types) and builds
// it, nested transforms included. nullptr when anything was wrong; every
// problem is appended. When the parameters are valid the factory builds the
// nested transforms (json and array call build_transform on them); when they
// are not, the nested configs are still validated so that every problem is
// reported at once.
std::unique_ptr<Transform> build_transform(const TransformConfig& config, std::vector<ConfigProblem>& problems);

// The closest of `candidates` to `word` by edit distance (case-insensitive,
// transpositions count 1), or "" if none is close; failing that, a candidate
// ending in "_word" ("email" -> "fake_email").
std::string did_you_mean(std::string_view word, const std::vector<std::string>& candidates);

// `pgscrub transforms` output, and the Markdown reference (docs/transforms.md).
std::string transforms_listing();
std::string transforms_reference_markdown();

} // namespace pgscrub::anonymise

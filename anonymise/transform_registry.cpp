// The registry of transforms (rules version 1): one entry per transform, the
// single source that validation (transform_validation.cpp), the
// `pgscrub transforms` listing and the Markdown reference (transform_docs.cpp)
// are generated from; and the column type families transforms accept.

#include "anonymise/transform_registry.hpp"

#include "anonymise/name_lists.hpp"
#include "anonymise/simple_transforms.hpp"
#include "anonymise/transform_text.hpp"
#include "anonymise/unicode_text.hpp"

#include "anonymise/structured_transforms.hpp"

#include <algorithm>
#include <cctype>
#include <set>

namespace pgscrub::anonymise {

using registry_text::lower_ascii;

namespace {

const TransformFactory redact_factory = make_redact;
const TransformFactory json_factory = make_json;
const TransformFactory array_factory = make_array;

using TF = TypeFamily;

ParamSpec param(std::string name, ParamType type, std::string default_value, std::string summary) {
    ParamSpec p;
    p.name = std::move(name);
    p.type = type;
    p.default_value = std::move(default_value);
    p.summary = std::move(summary);
    return p;
}

ParamSpec required_param(std::string name, ParamType type, std::string summary) {
    ParamSpec p = param(std::move(name), type, "", std::move(summary));
    p.required = true;
    return p;
}

ParamSpec integer_param(std::string name, long long default_value, long long low, long long high, std::string summary) {
    ParamSpec p = param(std::move(name), ParamType::Integer, std::to_string(default_value), std::move(summary));
    p.min_value = low;
    p.max_value = high;
    return p;
}

std::vector<TransformSpec> build_registry() {
    std::vector<TransformSpec> r;
    r.push_back({
        .name = "keep",
        .summary = "Copy the value unchanged.",
        .params = {},
        .accepts = {},
        .injective = true,
        .factory = make_keep,
        .details = "The same as listing the column under `keep:`. NULL stays NULL.",
        .example = "keep",
    });
    r.push_back({
        .name = "null",
        .summary = "Replace every value with NULL.",
        .params = {},
        .accepts = {},
        .injective = false,
        .factory = make_null,
        .details = "In YAML, an unquoted `null` and the string `\"null\"` both mean this transform. "
                   "`pgscrub check` refuses it on a NOT NULL column (use `set` there).",
        .example = "null",
    });
    r.push_back({
        .name = "set",
        .summary = "Replace every value, NULL included, with one constant.",
        .params = {required_param("value", ParamType::String,
                                  "the new value, as PostgreSQL reads it in COPY text: `\"!\"`, `\"0\"`, "
                                  "`\"false\"`, `\"2000-01-01\"`")},
        .accepts = {},
        .injective = false,
        .factory = make_set,
        .details = "Every row gets the value, rows that were NULL included: a constant says nothing about the "
                   "original, and a placeholder for a NOT NULL column is the usual reason to write `set` (use "
                   "`null` to blank a column). pgscrub does not check that the value suits the column's type; "
                   "`pg_restore` does.",
        .example = "{transform: set, value: \"!\"}",
    });
    r.push_back({
        .name = "pseudonym",
        .summary = "An opaque identifier: prefix + keyed hash + suffix, the same for the same value everywhere.",
        .params = {param("prefix", ParamType::String, "\"\"", "text before the hash, e.g. `user_`"),
                   param("suffix", ParamType::String, "\"\"", "text after the hash"),
                   integer_param("length", 12, 6, 52,
                                 "characters of hash (lower-case base32: `a`-`z`, `2`-`7`; 5 bits each)")},
        .accepts = {TF::Text},
        .injective = true,
        .factory = make_pseudonym,
        .details = "The hash is HMAC-SHA256 of the exact value under the key (no case or space normalisation: "
                   "`Ann` and `ann` stay distinct), so the same value gives the same pseudonym in every table and "
                   "column and joins on it survive. Distinct values stay distinct in practice: at the default "
                   "length 12 (60 bits) the chance of any collision is about 1 in 2 million among a million "
                   "values and 1 in 230 among 100 million; use `length: 16` (80 bits) for larger UNIQUE columns. "
                   "Lengths below 10 are for display only (at 6, collisions become likely beyond about 30 000 "
                   "values). NULL stays NULL; an empty or blank value is kept as it is.",
        .example = "{transform: pseudonym, prefix: \"user_\"}",
    });
    r.push_back({
        .name = "fake_email",
        .summary = "A fake address `user-<hash>@example.com`, the same for every spelling of one address.",
        .params = {param("domain", ParamType::String, "example.com",
                         "domain of the fake addresses; keep a reserved one (`example.com`, `example.org`, "
                         "`example.net`, `*.example`, `*.test`, `*.invalid`) so that no mail can reach a real "
                         "mailbox")},
        .accepts = {TF::Text},
        .injective = true,
        .factory = make_fake_email,
        .details = "The address is normalised first (Unicode NFC, case folding, surrounding white space "
                   "trimmed), so `Ann@Example.org` and ` ann@example.org` get the same fake, in every table and "
                   "column, inside JSON and arrays, and where `redact` finds the address in free text. The hash is "
                   "16 base32 characters (80 bits of HMAC-SHA256): a collision among 100 million addresses has a "
                   "probability of about 4 in a billion, so UNIQUE columns restore (addresses that differ only in "
                   "case become one fake, as they are one mailbox). A domain that is not reserved is accepted: "
                   "that is the rules author's choice. NULL stays NULL; an empty or blank value is kept as it is.",
        .example = "{transform: fake_email, domain: example.org}",
    });
    const std::string names_details =
        "Picked by keyed hash from built-in lists of common names in about 30 languages and many scripts "
        "(Latin with diacritics, Greek, Cyrillic, Georgian, Armenian, Hebrew, Arabic, Devanagari, Bengali, "
        "Tamil, Thai, Ethiopic, Han, Kana, Hangul). The original is case-folded and trimmed first, so `Ann` and "
        "`ANN ` get the same fake in every column. The fake keeps the script of the original (by ICU's script "
        "property: Latin stays Latin, Cyrillic stays Cyrillic, Han stays Han), so a first and a last name of one "
        "row look like one person; an original in a script no list is written in draws from all. `locales:` "
        "narrows the lists to the languages named. Not unique: many originals share a fake. NULL stays NULL; an "
        "empty or blank value is kept as it is.";
    const auto locales_param = [&] {
        std::string labels;
        for (const NameCulture& c : name_cultures()) labels += (labels.empty() ? "" : ", ") + std::string(c.label);
        return param("locales", ParamType::StringList, "all",
                     "the languages to draw names from, e.g. `[German, French]`: " + labels);
    };
    r.push_back({
        .name = "fake_first_name",
        .summary = "A first name from built-in lists of many languages and scripts.",
        .params = {locales_param()},
        .accepts = {TF::Text},
        .injective = false,
        .factory = make_fake_first_name,
        .details = names_details,
        .example = "fake_first_name",
    });
    r.push_back({
        .name = "fake_last_name",
        .summary = "A family name from built-in lists of many languages and scripts.",
        .params = {locales_param()},
        .accepts = {TF::Text},
        .injective = false,
        .factory = make_fake_last_name,
        .details = names_details,
        .example = "fake_last_name",
    });
    r.push_back({
        .name = "fake_name",
        .summary = "A full name: given and family name of one language, in its order.",
        .params = {locales_param()},
        .accepts = {TF::Text},
        .injective = false,
        .factory = make_fake_name,
        .details = names_details + " The order and spacing follow the language: `Léa Dubois`, `Nguyễn Thảo`, "
                                   "`王伟`.",
        .example = "fake_name",
    });
    r.push_back({
        .name = "fake_phone",
        .summary = "A phone number from a range reserved for fiction, shaped like the original.",
        .params = {},
        .accepts = {TF::Text},
        .injective = false,
        .factory = make_fake_phone,
        .details = "North American numbers (`+1 ...`, or 10 national digits) become `+1 NXX-555-01xx` "
                   "(555-0100 to 555-0199 are fictional in every area code); all others become the UK Ofcom "
                   "drama range `07700 900000`-`07700 900999` (`+44 7700 900xxx`). The shape follows the "
                   "original: international form with the same `+` or `00` prefix when the original has one, "
                   "digits only when the original is digits only, `(NXX) 555-01xx` when it used parentheses. "
                   "Picked by keyed hash of the digits, so spacing variants of one number agree. Not unique "
                   "(1000 UK numbers, about 80 000 North American ones). NULL stays NULL; an empty or blank value "
                   "is kept as it is.",
        .example = "fake_phone",
    });
    r.push_back({
        .name = "fake_ip",
        .summary = "An address from the documentation ranges, same family, /prefix kept.",
        .params = {},
        .accepts = {TF::Text, TF::Inet},
        .injective = false,
        .factory = make_fake_ip,
        .details = "IPv4 addresses become hosts `.1`-`.254` of `192.0.2.0/24`, `198.51.100.0/24` or "
                   "`203.0.113.0/24`; IPv6 addresses (anything with a `:`) become addresses in `2001:db8::/32`. "
                   "A `/prefix` (inet, cidr) is kept, narrowed to /24 (IPv4) or /32 (IPv6) when shorter so that "
                   "the value stays in a documentation range; an original without host bits under its prefix (a "
                   "cidr network) gives a fake without them, so cidr columns restore. Picked by keyed hash of the "
                   "address bytes, so spellings of one address agree. Not unique: IPv4 has only 762 fakes. NULL "
                   "stays NULL; an empty or blank value is kept as it is.",
        .example = "fake_ip",
    });
    r.push_back({
        .name = "mask",
        .summary = "Hide the middle of the value, keeping some characters at each end.",
        .params = {integer_param("keep_start", 0, 0, 1000000, "characters kept at the start"),
                   integer_param("keep_end", 0, 0, 1000000, "characters kept at the end"),
                   param("char", ParamType::Character, "\"*\"", "the character shown for each hidden character")},
        .accepts = {TF::Text},
        .injective = false,
        .factory = make_mask,
        .details = "Characters are grapheme clusters, what a reader sees as one character (`é` written as `e` "
                   "plus a combining accent, a flag, `👩‍👩‍👧`), so a mask never splits one and the output is "
                   "valid UTF-8; each hidden character becomes one `char`, so the length shows. A value with no "
                   "more characters than `keep_start + keep_end` is hidden entirely (it would otherwise be copied "
                   "unchanged). Invalid UTF-8 in the input becomes U+FFFD. Not keyed, not unique. NULL stays "
                   "NULL.",
        .example = "{transform: mask, keep_start: 1, keep_end: 4}",
    });
    r.push_back({
        .name = "redact",
        .summary = "Replace personal data found in free text with fakes of its kind; other words stay.",
        .params = {param("kinds", ParamType::StringList, "all",
                         "the kinds to look for, a list of `email`, `phone`, `ip`, `card`, `iban`, "
                         "`url_userinfo`, `uk_postcode`, `password_hash`, `secret`, or `all`"),
                   param("replacement", ParamType::String, "",
                         "a fixed text for every match, e.g. `\"[redacted]\"`; without it each match becomes a "
                         "fake of its kind")},
        .accepts = {TF::Text},
        .injective = false,
        .factory = redact_factory,
        .details = "Matches are found with RE2 and checked (cards by Luhn, IBANs by mod 97, known lengths and "
                   "prefixes, password hashes by the fields of their format, tokens by their prefix, a JWT's "
                   "header, or a key name such as `token`, `api_key`, `password` or `Authorization: Bearer` right "
                   "before a random-looking value); every byte around them is kept. Each match becomes a fake of "
                   "its kind: an e-mail address exactly the fake that `fake_email` gives (so references in text "
                   "agree with the e-mail columns), a phone number `fake_phone`'s, an IP address `fake_ip`'s, a "
                   "card a Luhn-valid test number of the same length and grouping, an IBAN a valid `GB` test IBAN, "
                   "URL user info `user-<hex>`, a UK postcode `ZZ99 nXX`, a password hash (Django's "
                   "`pbkdf2_sha256$...`, argon2, bcrypt, scrypt, unix crypt `$6$...`) `!redacted<32 hex>`, "
                   "which Django reads as an unusable password, and a secret (a JWT, an AWS, GitHub, Slack, "
                   "Stripe, Google or SendGrid key, a PEM private key block, a token after its key name) "
                   "`redacted-secret-<8 hex>`. Every match is replaced, even one already in a reserved or "
                   "fictional range (as its own column's fake would be). The fakes are keyed and deterministic. "
                   "Not unique. NULL stays NULL.",
        .example = "{transform: redact, kinds: [email, phone]}",
    });
    r.push_back({
        .name = "regex_replace",
        .summary = "Replace every match of a regular expression (RE2 syntax).",
        .params = {required_param("pattern", ParamType::String,
                                  "an RE2 regular expression (https://github.com/google/re2/wiki/Syntax), matched "
                                  "anywhere in the value; `(?i)` ignores case"),
                   required_param("replacement", ParamType::String,
                                  "the text for each match: `\\0` is the whole match, `\\1`-`\\9` its groups, "
                                  "`\\\\` a backslash; `\"\"` deletes the matches")},
        .accepts = {TF::Text},
        .injective = false,
        .factory = make_regex_replace,
        .details = "Not keyed: use it to reshape or blank out parts of values (`pattern: \"[0-9]\", "
                   "replacement: \"#\"`), and `redact` or a fake to replace personal data. The output is valid "
                   "UTF-8 (invalid bytes become U+FFFD). Not unique. NULL stays NULL.",
        .example = "{transform: regex_replace, pattern: \"^(.).*@\", replacement: \"\\\\1***@\"}",
    });
    r.push_back({
        .name = "template",
        .summary = "Build the value from other columns of the same row.",
        .params = {required_param("format", ParamType::String,
                                  "text with `{column}` for a column's value; `{{` and `}}` are literal braces")},
        .accepts = {TF::Text},
        .injective = false,
        .factory = make_template,
        .details = "`{column}` is that column's value in the output row, after its own rule, so "
                   "`\"{first_name} {last_name}\"` combines the fake names; a NULL column gives empty text. "
                   "Column names are as stored (case and spaces kept); `pgscrub check` verifies that they exist. "
                   "A row whose value was NULL keeps NULL. Not unique.",
        .example = "{transform: template, format: \"{first_name} {last_name}\"}",
    });
    r.push_back({
        .name = "json",
        .summary = "Apply transforms to parts of a JSON document, chosen by path.",
        .params = {param("paths", ParamType::PathMap, "",
                         "a mapping from JSON path to transform: `$.a.b`, `$.a[*]`, `$.*`, `$..key`"),
                   param("others", ParamType::Transform, "unchanged",
                         "the transform for every other string leaf, e.g. `redact`")},
        .accepts = {TF::Json, TF::Text},
        .injective = false,
        .factory = json_factory,
        .details = "The value (json, jsonb, or text holding JSON; `\\u` escapes decoded) is parsed, each "
                   "transform is applied to the leaves its path selects, `others` to every other string leaf, "
                   "and the result is written back as valid JSON (byte for byte when nothing changed). Values "
                   "are transformed exactly as in a column of their own, so a person's fake e-mail is the same "
                   "inside JSON. A path that selects an object or array applies its transform to every string "
                   "leaf below it; object keys are never changed. A value that is not valid JSON, or is nested "
                   "more than 5,000 arrays and objects deep, stops the run (fail closed) with its table, column and "
                   "row. NULL stays NULL.",
        .example = "{transform: json, paths: {$.email: fake_email}, others: redact}",
    });
    r.push_back({
        .name = "array",
        .summary = "Apply a transform to each element of a PostgreSQL array.",
        .params = {required_param("each", ParamType::Transform,
                                  "the transform for every element, e.g. `fake_email` or `{transform: redact}`")},
        .accepts = {TF::Array},
        .injective = false,
        .factory = array_factory,
        .details = "The array literal is parsed (quoting, NULL elements, nested arrays), `each` is applied to "
                   "every element as to a column value, and the literal is written back with PostgreSQL's "
                   "quoting. NULL stays NULL, and so do NULL elements unless `each` is `set`. A malformed literal "
                   "stops the run (fail closed) with its table, column and row.",
        .example = "{transform: array, each: fake_email}",
    });
    return r;
}

std::string collapse_spaces(std::string_view text) {
    std::string out;
    for (char c : text) {
        if (c == ' ' || c == '\t' || c == '\n') {
            if (!out.empty() && out.back() != ' ') out.push_back(' ');
        } else {
            out.push_back(c);
        }
    }
    while (!out.empty() && out.back() == ' ') out.pop_back();
    return out;
}

} // namespace

const char* param_type_name(ParamType type) {
    switch (type) {
    case ParamType::String: return "string";
    case ParamType::Integer: return "integer";
    case ParamType::Character: return "character";
    case ParamType::StringList: return "list of strings";
    case ParamType::Transform: return "transform";
    case ParamType::PathMap: return "mapping from JSON path to transform";
    }
    return "?";
}

const char* type_family_name(TypeFamily family) {
    switch (family) {
    case TypeFamily::Text: return "text";
    case TypeFamily::Json: return "json";
    case TypeFamily::Array: return "array";
    case TypeFamily::Inet: return "inet";
    case TypeFamily::Bytea: return "bytea";
    case TypeFamily::Numeric: return "numeric";
    case TypeFamily::Temporal: return "temporal";
    case TypeFamily::Boolean: return "boolean";
    case TypeFamily::Other: return "other";
    }
    return "other";
}

TypeFamily type_family(std::string_view sql_type) {
    std::string_view type = sql_type;
    while (!type.empty() && (type.front() == ' ' || type.front() == '\t')) type.remove_prefix(1);
    while (!type.empty() && (type.back() == ' ' || type.back() == '\t')) type.remove_suffix(1);
    if (type.empty()) return TypeFamily::Other;
    if (type.back() == ']') return TypeFamily::Array; // text[], integer[][], character varying(20)[]

    // Split off a schema at the last dot outside double quotes.
    std::size_t dot = std::string_view::npos;
    bool in_quotes = false;
    for (std::size_t i = 0; i < type.size(); ++i) {
        if (type[i] == '"') in_quotes = !in_quotes;
        else if (type[i] == '.' && !in_quotes) dot = i;
    }
    std::string schema;
    std::string_view name = type;
    if (dot != std::string_view::npos) {
        schema = lower_ascii(type.substr(0, dot));
        name = type.substr(dot + 1);
    }
    const bool builtin_schema = schema.empty() || schema == "pg_catalog";
    if (name.size() >= 2 && name.front() == '"' && name.back() == '"') {
        // Quoted: a user type, except pg_catalog's "char" (format_type quotes it).
        return name == "\"char\"" && builtin_schema ? TypeFamily::Text : TypeFamily::Other;
    }
    std::string base;
    {
        int depth = 0; // drop type modifiers: numeric(10,2), timestamp(3) with time zone
        for (char c : lower_ascii(name)) {
            if (c == '(') ++depth;
            else if (c == ')') depth = depth > 0 ? depth - 1 : 0;
            else if (depth == 0) base.push_back(c);
        }
        base = collapse_spaces(base);
    }
    if (base == "citext") return TypeFamily::Text; // an extension type: in any schema
    if (!builtin_schema) return TypeFamily::Other;
    if (base.size() > 1 && base.front() == '_') return TypeFamily::Array; // internal array names: _int4, _text

    static const std::set<std::string, std::less<>> text = {"text", "character varying", "varchar", "character",
                                                            "char", "bpchar", "name"};
    static const std::set<std::string, std::less<>> numeric = {
        "smallint", "integer", "bigint", "int", "int2", "int4", "int8", "numeric", "decimal",
        "real", "double precision", "float", "float4", "float8", "money", "oid"};
    static const std::set<std::string, std::less<>> temporal = {
        "date", "time", "time without time zone", "time with time zone", "timetz", "timestamp",
        "timestamp without time zone", "timestamp with time zone", "timestamptz"};
    if (text.count(base)) return TypeFamily::Text;
    if (base == "json" || base == "jsonb") return TypeFamily::Json;
    if (base == "inet" || base == "cidr") return TypeFamily::Inet;
    if (base == "bytea") return TypeFamily::Bytea;
    if (base == "boolean" || base == "bool") return TypeFamily::Boolean;
    if (numeric.count(base)) return TypeFamily::Numeric;
    if (temporal.count(base) || base == "interval" || base.starts_with("interval ")) return TypeFamily::Temporal;
    return TypeFamily::Other;
}

const std::vector<TransformSpec>& transform_registry() {
    static const std::vector<TransformSpec> registry = build_registry();
    return registry;
}

const TransformSpec* find_transform(std::string_view name) {
    for (const auto& spec : transform_registry())
        if (spec.name == name) return &spec;
    return nullptr;
}

bool accepts_type(const TransformSpec& spec, TypeFamily family) {
    return spec.accepts.empty() || std::find(spec.accepts.begin(), spec.accepts.end(), family) != spec.accepts.end();
}

} // namespace pgscrub::anonymise

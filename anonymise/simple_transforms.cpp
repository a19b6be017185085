#include "anonymise/simple_transforms.hpp"

#include "anonymise/fakes.hpp"
#include "anonymise/keyed_hash.hpp"
#include "anonymise/unicode_text.hpp"

#include <re2/re2.h>

#include <algorithm>
#include <charconv>
#include <stdexcept>
#include <utility>

namespace pgscrub::anonymise {

namespace {

constexpr std::string_view kPseudonymDomain = "pseudonym";

std::string quoted(std::string_view text) {
    std::string out = "\"";
    out.append(text);
    out.push_back('"');
    return out;
}

TransformConfig::Position where_of(const TransformConfig& config, std::string_view param) {
    if (const auto* scalar = config.scalar(param)) return scalar->where;
    return config.where;
}

std::string string_param(const TransformConfig& config, std::string_view name, std::string_view fallback) {
    const auto* scalar = config.scalar(name);
    return scalar && !scalar->is_list ? scalar->value : std::string(fallback);
}

// An integer parameter in [low, high]; reports and returns `fallback` otherwise.
long long integer_param(const TransformConfig& config, std::string_view name, long long fallback, long long low,
                        long long high, Problems& problems) {
    const auto* scalar = config.scalar(name);
    if (!scalar) return fallback;
    long long value = 0;
    const std::string& text = scalar->value;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (scalar->is_list || text.empty() || error != std::errc() || end != text.data() + text.size() || value < low ||
        value > high) {
        problems.push_back({scalar->where, "invalid " + std::string(name) + " " +
                                               quoted(scalar->is_list ? "[...]" : text) + " for " + config.name +
                                               " — expected an integer from " + std::to_string(low) + " to " +
                                               std::to_string(high)});
        return fallback;
    }
    return value;
}

bool blank(std::string_view value) {
    return trim_unicode_space(value).empty();
}

// `text` if it is valid UTF-8, else its repair (in a per-thread buffer).
std::string_view valid_text(std::string_view text) {
    if (is_valid_utf8(text)) return text;
    thread_local std::string repaired;
    repair_utf8(text, repaired);
    return repaired;
}

// ---- keep, null, set ---------------------------------------------------------

// A repaired copy of `out` back into `out`, keeping its buffer (the caller's, reused).
void repair_in_place(std::string& out) {
    if (is_valid_utf8(out)) return;
    thread_local std::string repaired;
    repair_utf8(out, repaired);
    out.assign(repaired);
}

class KeepTransform final : public Transform {
public:
    bool apply_into(const std::optional<std::string_view>& value, const TransformContext&,
                    std::string& out) const override {
        if (!value) return false;
        out.assign(*value);
        return true;
    }
};

class NullTransform final : public Transform {
public:
    bool apply_into(const std::optional<std::string_view>&, const TransformContext&, std::string&) const override {
        return false;
    }
};

class SetTransform final : public Transform {
public:
    explicit SetTransform(std::string value) : value_(std::move(value)) {}
    bool apply_into(const std::optional<std::string_view>&, const TransformContext&, std::string& out) const override {
        out.assign(value_);
        return true;
    }

private:
    std::string value_;
};

// ---- keyed fakes ---------------------------------------------------------------

class PseudonymTransform final : public Transform {
public:
    PseudonymTransform(std::string prefix, std::string suffix, std::size_t length)
        : prefix_(std::move(prefix)), suffix_(std::move(suffix)), length_(length) {}
    bool apply_into(const std::optional<std::string_view>& value, const TransformContext& context,
                    std::string& out) const override {
        if (!value) return false;
        if (blank(*value)) {
            out.assign(*value);
            return true;
        }
        const auto digest = context.key.digest(kPseudonymDomain, *value);
        out.clear();
        out.reserve(prefix_.size() + length_ + suffix_.size());
        out.append(prefix_);
        append_base32_lower(out, digest, length_);
        out.append(suffix_);
        return true;
    }

private:
    std::string prefix_;
    std::string suffix_;
    std::size_t length_;
};

// A transform that hands every non-blank value to one fakes.hpp append_fake_*
// function, which writes straight into the caller's buffer.
template <typename Fake>
class FakeTransform final : public Transform {
public:
    explicit FakeTransform(Fake fake) : fake_(std::move(fake)) {}
    bool apply_into(const std::optional<std::string_view>& value, const TransformContext& context,
                    std::string& out) const override {
        if (!value) return false;
        out.clear();
        if (blank(*value))
            out.append(*value);
        else
            fake_(out, context.key, *value);
        return true;
    }

private:
    Fake fake_;
};

template <typename Fake>
std::unique_ptr<Transform> make_fake(Fake fake) {
    return std::make_unique<FakeTransform<Fake>>(std::move(fake));
}

// ---- mask ------------------------------------------------------------------------

class MaskTransform final : public Transform {
public:
    MaskTransform(std::size_t keep_start, std::size_t keep_end, std::string mask)
        : keep_start_(keep_start), keep_end_(keep_end), mask_(std::move(mask)) {}
    bool apply_into(const std::optional<std::string_view>& value, const TransformContext&,
                    std::string& out) const override {
        if (!value) return false;
        const std::string_view text = valid_text(*value);
        const GraphemeEdges edges = grapheme_edges(text, keep_start_, keep_end_);
        const std::size_t clusters = edges.clusters;
        out.clear();
        if (clusters <= keep_start_ + keep_end_) {
            // Too short to keep both ends and still hide something: hide it all.
            out.reserve(clusters * mask_.size());
            for (std::size_t i = 0; i < clusters; ++i) out.append(mask_);
            return true;
        }
        const std::size_t head = edges.head;
        const std::size_t tail = edges.tail;
        const std::size_t masked = clusters - keep_start_ - keep_end_;
        out.reserve(head + masked * mask_.size() + (text.size() - tail));
        out.append(text.substr(0, head));
        for (std::size_t i = 0; i < masked; ++i) out.append(mask_);
        out.append(text.substr(tail));
        return true;
    }

private:
    std::size_t keep_start_;
    std::size_t keep_end_;
    std::string mask_;
};

// ---- regex_replace -----------------------------------------------------------------

class RegexReplaceTransform final : public Transform {
public:
    RegexReplaceTransform(std::unique_ptr<RE2> pattern, std::string replacement)
        : pattern_(std::move(pattern)), replacement_(std::move(replacement)) {}
    bool apply_into(const std::optional<std::string_view>& value, const TransformContext&,
                    std::string& out) const override {
        if (!value) return false;
        // GlobalReplace swaps a string of its own into the one it is given when
        // something matched, so it works on a per-thread copy and `out` (the
        // caller's reused buffer) gets the result.
        thread_local std::string work;
        work.assign(*value);
        RE2::GlobalReplace(&work, *pattern_, replacement_);
        out.assign(work);
        repair_in_place(out);
        return true;
    }

private:
    std::unique_ptr<RE2> pattern_;
    std::string replacement_;
};

// ---- template ------------------------------------------------------------------------

struct TemplatePart {
    bool is_column = false;
    std::string text; // literal text, or the column name
};

// Parses `{column}` placeholders with `{{` and `}}` as literal braces. Returns
// "" on success, else what is wrong.
std::string parse_template(std::string_view format, std::vector<TemplatePart>& parts) {
    parts.clear();
    std::string literal;
    auto flush = [&] {
        if (!literal.empty()) parts.push_back({false, std::move(literal)});
        literal.clear();
    };
    for (std::size_t i = 0; i < format.size(); ++i) {
        const char c = format[i];
        if (c == '{') {
            if (i + 1 < format.size() && format[i + 1] == '{') {
                literal.push_back('{');
                ++i;
                continue;
            }
            const std::size_t close = format.find_first_of("{}", i + 1);
            if (close == std::string_view::npos || format[close] == '{')
                return "unmatched \"{\" at character " + std::to_string(i + 1) +
                       " of format — write {column} for a column's value and {{ for a literal {";
            if (close == i + 1)
                return "empty {} at character " + std::to_string(i + 1) +
                       " of format — put a column name between the braces, or write {{}} for literal braces";
            flush();
            parts.push_back({true, std::string(format.substr(i + 1, close - i - 1))});
            i = close;
        } else if (c == '}') {
            if (i + 1 < format.size() && format[i + 1] == '}') {
                literal.push_back('}');
                ++i;
                continue;
            }
            return "unmatched \"}\" at character " + std::to_string(i + 1) + " of format — write }} for a literal }";
        } else {
            literal.push_back(c);
        }
    }
    flush();
    return {};
}

class TemplateTransform final : public Transform {
public:
    explicit TemplateTransform(std::vector<TemplatePart> parts) : parts_(std::move(parts)) {}
    bool needs_row() const override { return true; }
    bool apply_into(const std::optional<std::string_view>& value, const TransformContext& context,
                    std::string& out) const override {
        if (!value) return false;
        out.clear();
        for (const TemplatePart& part : parts_) {
            if (!part.is_column) {
                out.append(part.text);
                continue;
            }
            if (!context.row) throw std::logic_error("template transform applied without the row (RowAccess)");
            if (auto other = context.row->value_of(part.text)) out.append(*other);
        }
        repair_in_place(out);
        return true;
    }

private:
    std::vector<TemplatePart> parts_;
};

bool valid_domain_name(std::string_view domain) {
    if (domain.empty() || domain.size() > 253) return false;
    std::size_t label = 0;
    char previous = '.';
    for (const char c : domain) {
        const bool alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
        if (c == '.') {
            if (label == 0 || previous == '-') return false;
            label = 0;
        } else if (alnum || c == '-') {
            if (c == '-' && label == 0) return false;
            if (++label > 63) return false;
        } else {
            return false;
        }
        previous = c;
    }
    return label > 0 && previous != '-';
}

} // namespace

bool is_reserved_email_domain(std::string_view domain) {
    std::string lower(domain);
    for (char& c : lower)
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c + ('a' - 'A'));
    if (lower == "example.com" || lower == "example.org" || lower == "example.net") return true;
    for (std::string_view tld : {"example", "test", "invalid", "localhost"}) {
        if (lower == tld) return true;
        if (lower.size() > tld.size() + 1 && lower.ends_with(tld) && lower[lower.size() - tld.size() - 1] == '.')
            return true;
    }
    for (std::string_view parent : {".example.com", ".example.org", ".example.net"})
        if (lower.ends_with(parent)) return true;
    return false;
}

std::unique_ptr<Transform> make_keep(const TransformConfig&, Problems&) {
    return std::make_unique<KeepTransform>();
}

std::unique_ptr<Transform> make_null(const TransformConfig&, Problems&) {
    return std::make_unique<NullTransform>();
}

std::unique_ptr<Transform> make_set(const TransformConfig& config, Problems& problems) {
    const auto* value = config.scalar("value");
    if (!value) {
        problems.push_back(
            {config.where, "missing required parameter \"value\" for set — e.g. {transform: set, value: \"!\"}"});
        return nullptr;
    }
    return std::make_unique<SetTransform>(is_valid_utf8(value->value) ? value->value : repair_utf8(value->value));
}

std::unique_ptr<Transform> make_pseudonym(const TransformConfig& config, Problems& problems) {
    const std::size_t before = problems.size();
    const long long length = integer_param(config, "length", 12, 6, 52, problems);
    if (problems.size() != before) return nullptr;
    return std::make_unique<PseudonymTransform>(string_param(config, "prefix", ""), string_param(config, "suffix", ""),
                                                static_cast<std::size_t>(length));
}

std::unique_ptr<Transform> make_fake_email(const TransformConfig& config, Problems& problems) {
    std::string domain = string_param(config, "domain", "example.com");
    if (!valid_domain_name(domain)) {
        problems.push_back({where_of(config, "domain"),
                            "invalid domain " + quoted(domain) +
                                " for fake_email — expected a domain name such as example.com, example.org or "
                                "mail.test (reserved for examples)"});
        return nullptr;
    }
    // A domain that is not reserved is the rules author's choice: accepted.
    return make_fake([domain = std::move(domain)](std::string& out, const KeyedHash& key, std::string_view value) {
        append_fake_email(out, key, value, domain);
    });
}

namespace {
// `locales: [German, French]` (or "German, French"): the name cultures to draw
// from; every culture when absent. nullopt (with a problem) for an unknown one.
std::optional<NameChoice> name_choice(const TransformConfig& config, Problems& problems) {
    const auto* scalar = config.scalar("locales");
    if (!scalar) return NameChoice::all();
    std::vector<std::string> labels = scalar->names();
    std::string unknown;
    if (auto choice = NameChoice::of_locales(labels, unknown)) return choice;
    std::string known;
    for (const NameCulture& c : name_cultures()) known += (known.empty() ? "" : ", ") + std::string(c.label);
    problems.push_back(
        {scalar->where, (unknown.empty() ? std::string("locales: is empty") : "unknown locale \"" + unknown + "\"") +
                            " for " + config.name + " — expected a list of: " + known});
    return std::nullopt;
}
} // namespace

std::unique_ptr<Transform> make_fake_first_name(const TransformConfig& config, Problems& problems) {
    auto choice = name_choice(config, problems);
    if (!choice) return nullptr;
    return make_fake([choice = std::move(*choice)](std::string& out, const KeyedHash& key, std::string_view value) {
        append_fake_first_name(out, key, value, choice);
    });
}

std::unique_ptr<Transform> make_fake_last_name(const TransformConfig& config, Problems& problems) {
    auto choice = name_choice(config, problems);
    if (!choice) return nullptr;
    return make_fake([choice = std::move(*choice)](std::string& out, const KeyedHash& key, std::string_view value) {
        append_fake_last_name(out, key, value, choice);
    });
}

std::unique_ptr<Transform> make_fake_name(const TransformConfig& config, Problems& problems) {
    auto choice = name_choice(config, problems);
    if (!choice) return nullptr;
    return make_fake([choice = std::move(*choice)](std::string& out, const KeyedHash& key, std::string_view value) {
        append_fake_full_name(out, key, value, choice);
    });
}

std::unique_ptr<Transform> make_fake_phone(const TransformConfig&, Problems&) {
    return make_fake(
        [](std::string& out, const KeyedHash& key, std::string_view value) { append_fake_phone(out, key, value); });
}

std::unique_ptr<Transform> make_fake_ip(const TransformConfig&, Problems&) {
    return make_fake(
        [](std::string& out, const KeyedHash& key, std::string_view value) { append_fake_ip(out, key, value); });
}

std::unique_ptr<Transform> make_mask(const TransformConfig& config, Problems& problems) {
    const std::size_t before = problems.size();
    constexpr long long kMaxKeep = 1000000;
    const long long keep_start = integer_param(config, "keep_start", 0, 0, kMaxKeep, problems);
    const long long keep_end = integer_param(config, "keep_end", 0, 0, kMaxKeep, problems);
    const std::string mask = string_param(config, "char", "*");
    if (!is_valid_utf8(mask) || grapheme_count(mask) != 1)
        problems.push_back({where_of(config, "char"),
                            "invalid char " + quoted(mask) + " for mask — expected exactly one character, e.g. \"*\""});
    if (problems.size() != before) return nullptr;
    return std::make_unique<MaskTransform>(static_cast<std::size_t>(keep_start), static_cast<std::size_t>(keep_end),
                                           mask);
}

std::unique_ptr<Transform> make_regex_replace(const TransformConfig& config, Problems& problems) {
    const auto* pattern = config.scalar("pattern");
    const auto* replacement = config.scalar("replacement");
    if (!pattern || !replacement) {
        problems.push_back({config.where, std::string("missing required parameter \"") +
                                              (pattern ? "replacement" : "pattern") +
                                              "\" for regex_replace — e.g. {transform: regex_replace, pattern: "
                                              "\"[0-9]{4}\", replacement: \"####\"}"});
        return nullptr;
    }
    RE2::Options options;
    options.set_log_errors(false);
    auto re = std::make_unique<RE2>(pattern->value, options);
    if (!re->ok()) {
        problems.push_back({pattern->where, "invalid pattern " + quoted(pattern->value) +
                                                " for regex_replace: " + re->error() +
                                                " — expected an RE2 regular expression "
                                                "(https://github.com/google/re2/wiki/Syntax)"});
        return nullptr;
    }
    std::string error;
    if (!re->CheckRewriteString(replacement->value, &error)) {
        problems.push_back(
            {replacement->where, "invalid replacement " + quoted(replacement->value) + " for regex_replace: " + error +
                                     " — \\0 is the whole match, \\1 to \\" +
                                     std::to_string(re->NumberOfCapturingGroups()) + " its groups, \\\\ a backslash"});
        return nullptr;
    }
    return std::make_unique<RegexReplaceTransform>(std::move(re), replacement->value);
}

std::unique_ptr<Transform> make_template(const TransformConfig& config, Problems& problems) {
    const auto* format = config.scalar("format");
    if (!format) {
        problems.push_back({config.where, "missing required parameter \"format\" for template — e.g. "
                                          "{transform: template, format: \"{first_name} {last_name}\"}"});
        return nullptr;
    }
    std::vector<TemplatePart> parts;
    if (std::string error = parse_template(format->value, parts); !error.empty()) {
        problems.push_back({format->where, "invalid format for template: " + error});
        return nullptr;
    }
    return std::make_unique<TemplateTransform>(std::move(parts));
}

std::vector<std::string> template_columns(const TransformConfig& config) {
    std::vector<std::string> columns;
    if (config.name != "template") return columns;
    const auto* format = config.scalar("format");
    std::vector<TemplatePart> parts;
    if (!format || !parse_template(format->value, parts).empty()) return columns;
    for (const TemplatePart& part : parts)
        if (part.is_column && std::find(columns.begin(), columns.end(), part.text) == columns.end())
            columns.push_back(part.text);
    return columns;
}

} // namespace pgscrub::anonymise

#include "common/secret_masking.hpp"

#include "common/url_parts.hpp"

#include <algorithm>
#include <array>
#include <cctype>

// A hand-written scanner rather than std::regex, for three reasons:
//  - libpq's conninfo rules are not regular in the way a regex wants them:
//    a backslash escapes the next byte inside *and* outside quotes, and
//    whitespace may follow '=' (libpq's conninfo_parse); a pattern that gets
//    one of these wrong leaves the tail of a password behind (the std::regex
//    this replaces left " b" of password=a\ b, and "ss@host" of a URL
//    password holding a raw '@');
//  - libstdc++'s std::regex matches by recursion, one frame per byte of a
//    repeated group, and can run out of stack on a long line of a child's
//    stderr — an error path must not crash;
//  - the scanner says in code which bytes are secret, so a test can check
//    that none of them survives.

namespace pgscrub::common {

namespace {

constexpr std::string_view kMask = "***";

// Keys whose value is a secret, in a conninfo (libpq: password,
// sslpassword), a query string (signed S3 and Azure URLs, OAuth) or an
// environment assignment. Compared in lower case, leading '-' dropped, so
// --password=x and PGPASSWORD=x count too.
constexpr std::array<std::string_view, 18> kSecretKeys{
    "password",         "passwd",           "sslpassword",          "pgpassword",       "token",
    "access_token",     "auth_token",       "refresh_token",        "id_token",         "secret",
    "client_secret",    "sig",              "signature",            "x-amz-signature",  "x-amz-credential",
    "x-amz-security-token", "x-goog-signature", "x-goog-credential",
};

bool is_space(char c) { return std::isspace(static_cast<unsigned char>(c)) != 0; }

bool is_key_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-'; }

bool is_scheme_char(char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '+' || c == '-' || c == '.';
}

std::string lower(std::string_view text) {
    std::string out(text);
    for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

bool is_secret_key(std::string_view key) {
    while (!key.empty() && key.front() == '-') key.remove_prefix(1);
    const std::string name = lower(key);
    return std::find(kSecretKeys.begin(), kSecretKeys.end(), name) != kSecretKeys.end();
}

void replace_all(std::string& text, std::string_view needle, std::string_view replacement) {
    if (needle.empty()) return;
    for (std::size_t at = text.find(needle); at != std::string::npos; at = text.find(needle, at + replacement.size())) {
        text.replace(at, needle.size(), replacement);
    }
}

// parse_url, and no '@' after the authority: one there may end a password
// that held a raw '/', '?' or '#' and so cut the authority short
// (redis://:pa/ss@host puts "ss@host" in the path), so whatever follows the
// scheme may be secret.
bool parse_url_for_display(std::string_view text, UrlParts& parts) {
    if (!parse_url(text, parts)) return false;
    return parts.path.find('@') == std::string::npos && parts.query.find('@') == std::string::npos &&
           parts.fragment.find('@') == std::string::npos;
}

// The end of a conninfo value starting at `at`: a quoted one runs to its
// closing quote, an unquoted one to the next whitespace, and a backslash
// takes the byte after it along in both (libpq's conninfo_parse). A doubled
// quote inside quotes is read as an escaped one ('it''s'): libpq would end
// the value there and fail on the rest, but masking the whole is the safe
// reading. `in_query`: a value of a URL's query string, which also ends at
// '&' or '#'. An unclosed quote runs to the end of the text.
std::size_t value_end(std::string_view text, std::size_t at, bool in_query) {
    if (at < text.size() && (text[at] == '\'' || text[at] == '"')) {
        const char quote = text[at];
        for (std::size_t i = at + 1; i < text.size(); ++i) {
            if (text[i] == '\\') {
                ++i;
            } else if (text[i] == quote) {
                if (i + 1 < text.size() && text[i + 1] == quote) {
                    ++i;
                    continue;
                }
                return i + 1;
            }
        }
        return text.size();
    }
    std::size_t i = at;
    while (i < text.size() && !is_space(text[i]) && !(in_query && (text[i] == '&' || text[i] == '#'))) {
        i += text[i] == '\\' && i + 1 < text.size() ? 2 : 1;
    }
    return i;
}

// Appends the parameters of a query string or fragment ("a=1&password=x"),
// secret values masked.
void append_parameters(std::string& out, std::string_view params) {
    for (std::size_t start = 0; start <= params.size();) {
        std::size_t end = std::min(params.find('&', start), params.size());
        std::string_view pair = params.substr(start, end - start);
        std::size_t eq = pair.find('=');
        if (eq != std::string_view::npos && eq + 1 < pair.size() && is_secret_key(percent_decode(pair.substr(0, eq)))) {
            out.append(pair.substr(0, eq + 1)).append(kMask);
        } else {
            out.append(pair);
        }
        if (end == params.size()) break;
        out += '&';
        start = end + 1;
    }
}

// A postgresql:// URL (`url`, a whole word of the text) as a database
// address is shown: the user and the parameters that say which database
// stay, the password and secret parameters go. When an '@' follows the
// authority, the password may have held a raw '/', '?' or '#' and run up to
// it: everything before the last '@' goes.
void append_database_url(std::string& out, std::string_view url) {
    const std::size_t prefix = url_scheme_length(url);
    out.append(url.substr(0, prefix));
    std::string_view rest = url.substr(prefix);
    const std::size_t authority_end = std::min(rest.find_first_of("/?#"), rest.size());
    const std::size_t last_at = rest.rfind('@');
    if (last_at != std::string_view::npos && last_at >= authority_end) {
        out.append(kMask);
        rest.remove_prefix(last_at);
    } else if (last_at != std::string_view::npos) {
        std::string_view user_info = rest.substr(0, last_at);
        std::size_t colon = user_info.find(':');
        out.append(user_info.substr(0, colon));
        if (colon != std::string_view::npos) out.append(":").append(kMask);
        rest.remove_prefix(last_at);
    }
    // rest: ["@"]host[:port][/path][?query][#fragment]
    const std::size_t query_at = std::min(rest.find_first_of("?#"), rest.size());
    out.append(rest.substr(0, query_at));
    rest.remove_prefix(query_at);
    while (!rest.empty()) {
        out += rest.front(); // '?' or '#'
        rest.remove_prefix(1);
        std::size_t end = std::min(rest.find('#'), rest.size());
        append_parameters(out, rest.substr(0, end));
        rest.remove_prefix(end);
    }
}

bool is_database_scheme(std::string_view url) {
    const std::string scheme = lower(url.substr(0, url_scheme_length(url)));
    return scheme == "postgresql://" || scheme == "postgres://";
}

// Where the URLs of `text` are, [start, end): a scheme ending in "://",
// running to the next whitespace — a password may hold any other byte, and
// a masked URL may then eat trailing punctuation, the safe way to be wrong.
// Found by their "://" so a long run of letters is read once.
std::vector<std::pair<std::size_t, std::size_t>> find_urls(std::string_view text) {
    std::vector<std::pair<std::size_t, std::size_t>> urls;
    std::size_t floor = 0;
    for (std::size_t mark = text.find("://"); mark != std::string_view::npos; mark = text.find("://", mark + 3)) {
        if (mark < floor) continue;
        std::size_t start = mark;
        while (start > floor && is_scheme_char(text[start - 1])) --start;
        while (start < mark && !std::isalpha(static_cast<unsigned char>(text[start]))) ++start;
        if (start == mark) continue;
        std::size_t end = mark + 3;
        while (end < text.size() && !is_space(text[end])) ++end;
        urls.emplace_back(start, end);
        floor = end;
    }
    return urls;
}

// The scan of mask_secrets(): URLs and key=value pairs, left to right.
std::string mask_forms(std::string_view text) {
    const auto urls = find_urls(text);
    std::string out;
    out.reserve(text.size());
    std::size_t next = 0; // the first URL not yet passed
    std::size_t i = 0;
    while (i < text.size()) {
        while (next < urls.size() && urls[next].first < i) ++next; // inside a value already masked
        const std::size_t url_start = next < urls.size() ? urls[next].first : text.size();
        if (i == url_start) {
            std::string_view url = text.substr(i, urls[next].second - i);
            if (is_database_scheme(url)) append_database_url(out, url);
            else out.append(shown_url(url).str());
            i = urls[next].second;
            continue;
        }
        const bool key_start = i == 0 || !is_key_char(text[i - 1]);
        if (!key_start || !is_key_char(text[i])) {
            out += text[i++];
            continue;
        }
        std::size_t key_end = i;
        while (key_end < url_start && is_key_char(text[key_end])) ++key_end;
        std::size_t eq = key_end;
        while (eq < text.size() && (text[eq] == ' ' || text[eq] == '\t')) ++eq;
        if (eq < text.size() && text[eq] == '=' && is_secret_key(text.substr(i, key_end - i))) {
            // libpq skips whitespace after '=' (conninfo_parse).
            std::size_t value = eq + 1;
            while (value < text.size() && is_space(text[value])) ++value;
            const bool in_query = i > 0 && (text[i - 1] == '?' || text[i - 1] == '&');
            const std::size_t end = value_end(text, value, in_query);
            out.append(text.substr(i, value - i));
            if (end > value) out.append(kMask);
            i = end;
            continue;
        }
        out.append(text.substr(i, key_end - i));
        i = key_end;
    }
    return out;
}

} // namespace

ShownText shown_url(std::string_view text) {
    const std::size_t prefix = url_scheme_length(text);
    if (prefix == 0) return ShownText(std::string(text));
    UrlParts parts;
    if (!parse_url_for_display(text, parts)) return ShownText(std::string(text.substr(0, prefix)).append(kMask));
    std::string shown = parts.scheme + "://";
    if (parts.has_user_info) shown += "***@";
    shown += parts.ipv6 ? "[" + parts.host + "]" : parts.host;
    if (!parts.port.empty()) shown += ":" + parts.port;
    shown += parts.path;
    if (!parts.query.empty()) shown += "?***";
    if (!parts.fragment.empty()) shown += "#***";
    return ShownText(std::move(shown));
}

ShownText mask_secrets(std::string_view text, const KnownSecrets& known) {
    std::string out(text);
    for (const auto& [url, shown] : known.urls_) replace_all(out, url, shown);
    // Longest first, so a value inside a longer secret is not left half
    // replaced; before the scan, so a secret holding a space is still whole.
    std::vector<std::string_view> pieces(known.pieces_.begin(), known.pieces_.end());
    std::sort(pieces.begin(), pieces.end(), [](std::string_view a, std::string_view b) { return a.size() > b.size(); });
    for (std::string_view piece : pieces) replace_all(out, piece, kMask);
    return ShownText(mask_forms(out));
}

ShownText mask_secrets(std::string_view text) { return mask_secrets(text, KnownSecrets{}); }

void KnownSecrets::add(std::string_view secret) {
    if (secret.size() >= 4) pieces_.emplace_back(secret);
}

void KnownSecrets::add_url(std::string_view url) {
    urls_.emplace_back(std::string(url), shown_url(url).str());
    const std::size_t prefix = url_scheme_length(url);
    UrlParts parts;
    if (!parse_url_for_display(url, parts)) {
        // Shown as its scheme only: whatever follows it may be secret, and a
        // message may quote any piece of it.
        std::string_view rest = url.substr(prefix);
        add(rest);
        while (!rest.empty()) {
            std::size_t end = std::min(rest.find_first_of("/?#@:&="), rest.size());
            add(rest.substr(0, end));
            rest.remove_prefix(std::min(end + 1, rest.size()));
        }
        return;
    }
    add(parts.query);
    add(parts.fragment);
    add(parts.password);
    for (std::string_view query = parts.query; !query.empty();) {
        std::size_t amp = std::min(query.find('&'), query.size());
        std::string_view pair = query.substr(0, amp);
        std::size_t eq = pair.find('=');
        if (eq != std::string_view::npos) {
            add(pair.substr(eq + 1));
            add(percent_decode(pair.substr(eq + 1)));
        }
        query.remove_prefix(std::min(amp + 1, query.size()));
    }
    // The password as written, still percent-encoded.
    std::size_t colon = url.find(':', prefix);
    std::size_t at = url.rfind('@', std::min(url.find_first_of("/?#", prefix), url.size()));
    if (parts.has_password && colon != std::string_view::npos && at != std::string_view::npos && colon < at) {
        add(url.substr(colon + 1, at - colon - 1));
    }
}

} // namespace pgscrub::common

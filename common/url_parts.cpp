#include "common/url_parts.hpp"

#include "common/secret_masking.hpp"

#include <algorithm>
#include <cctype>

namespace pgscrub::common {

namespace {

bool is_scheme_char(char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '+' || c == '-' || c == '.';
}

bool all_digits(std::string_view text) {
    return std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

int hex_value(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

std::string lower(std::string_view text) {
    std::string out(text);
    for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

} // namespace

std::size_t url_scheme_length(std::string_view text) {
    if (text.empty() || !std::isalpha(static_cast<unsigned char>(text[0]))) return 0;
    std::size_t i = 1;
    while (i < text.size() && is_scheme_char(text[i])) ++i;
    return text.substr(i, 3) == "://" ? i + 3 : 0;
}

bool parse_url(std::string_view text, UrlParts& parts) {
    parts = UrlParts{};
    std::size_t prefix = url_scheme_length(text);
    if (prefix == 0) return false;
    parts.scheme = lower(text.substr(0, prefix - 3));
    std::string_view rest = text.substr(prefix);

    // The authority ends at the first '/', '?' or '#' (RFC 3986 §3.2), as
    // libcurl reads it; user info ends at the last '@' inside it.
    std::size_t authority_end = std::min(rest.find_first_of("/?#"), rest.size());
    std::string_view authority = rest.substr(0, authority_end);
    std::string_view tail = rest.substr(authority_end);

    std::size_t at = authority.rfind('@');
    std::string_view host_port = authority;
    if (at != std::string_view::npos) {
        parts.has_user_info = true;
        std::string_view user_info = authority.substr(0, at);
        host_port = authority.substr(at + 1);
        std::size_t colon = user_info.find(':');
        parts.user = percent_decode(user_info.substr(0, colon));
        if (colon != std::string_view::npos) {
            parts.has_password = true;
            parts.password = percent_decode(user_info.substr(colon + 1));
        }
    }

    std::string_view port;
    if (!host_port.empty() && host_port[0] == '[') {
        std::size_t close = host_port.find(']');
        if (close == std::string_view::npos) return false;
        parts.ipv6 = true;
        parts.host = std::string(host_port.substr(1, close - 1));
        std::string_view after = host_port.substr(close + 1);
        if (!after.empty() && after[0] != ':') return false;
        if (!after.empty()) port = after.substr(1);
    } else {
        std::size_t colon = host_port.find(':');
        parts.host = std::string(host_port.substr(0, colon));
        if (colon != std::string_view::npos) port = host_port.substr(colon + 1);
    }
    // Anything but digits after the host's ':' is not a port: most likely a
    // password with a raw '/', '?' or '#' that cut the authority short.
    if (!all_digits(port)) return false;
    parts.port = std::string(port);

    std::size_t query_at = tail.find('?');
    std::size_t fragment_at = tail.find('#');
    if (query_at != std::string_view::npos && fragment_at != std::string_view::npos && query_at > fragment_at) {
        query_at = std::string_view::npos; // a '?' inside the fragment
    }
    parts.path = std::string(tail.substr(0, std::min(query_at, fragment_at)));
    if (query_at != std::string_view::npos) {
        std::size_t end = fragment_at == std::string_view::npos ? tail.size() : fragment_at;
        parts.query = std::string(tail.substr(query_at + 1, end - query_at - 1));
    }
    if (fragment_at != std::string_view::npos) parts.fragment = std::string(tail.substr(fragment_at + 1));
    return true;
}

std::string describe_url(std::string_view text) { return shown_url(text).str(); }

bool is_http_url(std::string_view text) {
    std::string head = lower(text.substr(0, 8));
    return head.starts_with("http://") || head.starts_with("https://");
}

std::string percent_decode(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] == '%' && i + 2 < text.size() && hex_value(text[i + 1]) >= 0 && hex_value(text[i + 2]) >= 0) {
            out += static_cast<char>(hex_value(text[i + 1]) * 16 + hex_value(text[i + 2]));
            i += 2;
        } else {
            out += text[i];
        }
    }
    return out;
}

} // namespace pgscrub::common

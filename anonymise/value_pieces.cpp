#include "anonymise/value_pieces.hpp"

#include "anonymise/array_literal.hpp"
#include "anonymise/fakes.hpp"
#include "anonymise/synthetic.hpp"
#include "anonymise/unicode_text.hpp"
#include "common/interrupts.hpp"

#include <algorithm>
#include <array>

namespace pgscrub::anonymise {

namespace json = common::json;

const char* piece_kind_name(PieceKind kind) {
    switch (kind) {
    case PieceKind::value: return "value";
    case PieceKind::json_leaf: return "JSON leaf";
    case PieceKind::array_element: return "array element";
    case PieceKind::token: return "token";
    }
    return "value";
}

namespace {

bool ascii_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }

std::string_view trim_ascii(std::string_view text) {
    while (!text.empty() && ascii_space(text.front())) text.remove_prefix(1);
    while (!text.empty() && ascii_space(text.back())) text.remove_suffix(1);
    return text;
}

char ascii_lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }
char ascii_upper(char c) { return c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c; }
bool ascii_alnum(char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

int hex_value(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

// A form post kept as text (to=ann%40x.org&intro=Call+Ben): personal data
// hides behind percent-encoding there.
bool form_encoded(std::string_view text) {
    if (text.find('=') == std::string_view::npos) return false;
    for (std::size_t at = text.find('%'); at != std::string_view::npos && at + 2 < text.size(); at = text.find('%', at + 1)) {
        if (hex_value(text[at + 1]) >= 0 && hex_value(text[at + 2]) >= 0) return true;
    }
    return false;
}

void form_decode(std::string_view text, std::string& out) {
    out.clear();
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] == '+') {
            out.push_back(' ');
        } else if (text[i] == '%' && i + 2 < text.size() && hex_value(text[i + 1]) >= 0 && hex_value(text[i + 2]) >= 0) {
            out.push_back(static_cast<char>(hex_value(text[i + 1]) * 16 + hex_value(text[i + 2])));
            i += 2;
        } else {
            out.push_back(text[i]);
        }
    }
}

} // namespace

void canonical_piece(const Piece& piece, std::string& out) {
    out.clear();
    std::string_view text = trim_ascii(piece.text);
    if (piece.kind == PieceKind::token && piece.pii) {
        switch (*piece.pii) {
        case PiiKind::email: out = normalise_email(text); return;
        case PiiKind::phone:
        case PiiKind::card:
        case PiiKind::iban:
            // "+44 7911 123456", "07911-123456": the digits and letters are the value.
            for (char c : text)
                if (ascii_alnum(c)) out.push_back(ascii_upper(c));
            return;
        default: break;
        }
    }
    out.resize(text.size());
    char* to = out.data();
    for (std::size_t i = 0; i < text.size(); ++i) to[i] = ascii_lower(text[i]);
}

bool distinctive_piece(std::string_view canonical) {
    static constexpr std::array<std::string_view, 12> kCommonWords = {
        "true", "false", "null", "none", "yes", "no", "n/a", "nan", "unknown", "test", "admin", "user"};
    std::size_t characters = 0, letters = 0, digits = 0;
    for (unsigned char c : canonical) {
        if ((c & 0xc0) != 0x80) ++characters;
        if (c >= '0' && c <= '9') ++digits;
        else if ((c >= 'a' && c <= 'z') || c >= 0x80) ++letters;
    }
    if (characters < 3) return false;
    if (letters == 0) return digits >= 6; // a phone number or card, not a count or a year
    return std::find(kCommonWords.begin(), kCommonWords.end(), canonical) == kCommonWords.end();
}

void ValueExplorer::tokens(std::string_view text, const std::function<void(const Piece&)>& each) {
    // find() runs the cheap pre-checks and the one RE2::Set pass itself.
    // (`each` must not call back into this explorer: matches_ is reused.)
    Detector::shared().find(text, KindSet::all(), matches_);
    for (const Match& m : matches_) {
        common::stop_point();
        Piece piece;
        piece.kind = PieceKind::token;
        piece.text = m.in(text);
        piece.pii = m.kind;
        piece.synthetic = is_synthetic(m, text);
        each(piece);
    }
}

void ValueExplorer::json_leaves(const json::Value& v, const std::function<void(const Piece&)>& each) {
    common::stop_point();
    if (v.type == json::Type::string || v.type == json::Type::number) {
        each(Piece{PieceKind::json_leaf, v.text, std::nullopt, false});
        if (v.type == json::Type::string) tokens(v.text, each);
        return;
    }
    for (const json::Value& item : v.items) json_leaves(item, each);
}

void ValueExplorer::explore(std::string_view value, bool array_typed, const std::function<void(const Piece&)>& each) {
    if (structure_) each(Piece{PieceKind::value, value, std::nullopt, false});
    std::string_view trimmed = trim_ascii(value);
    char first = trimmed.empty() ? '\0' : trimmed.front();
    bool json_like = !array_typed && (first == '{' || first == '[');
    if (json_like && (structure_ || value.find("\\u") != std::string_view::npos)) {
        try {
            json::Value doc = json::parse(trimmed);
            if (doc.type == json::Type::object || doc.type == json::Type::array) {
                if (structure_) {
                    json_leaves(doc, each);
                } else {
                    // Tokens only: the leaves, decoded (a\u0040b.org is a@b.org).
                    json_leaves(doc, [&](const Piece& p) {
                        if (p.kind == PieceKind::token) each(p);
                    });
                }
                return;
            }
        } catch (const json::ParseError&) {
            // Not JSON after all: `{a,b}` is an array literal in a text column.
        }
    }
    if (first == '{' && structure_) {
        try {
            elements_ = array_literal::elements(trimmed);
            std::vector<std::optional<std::string>> elements = std::move(elements_);
            for (const auto& element : elements) {
                if (!element) continue;
                each(Piece{PieceKind::array_element, *element, std::nullopt, false});
                tokens(*element, each);
            }
            return;
        } catch (const TransformError&) {
            // Neither JSON nor an array: plain text that starts with a brace.
        }
    }
    tokens(value, each);
    if (form_encoded(value)) {
        std::string decoded;
        form_decode(value, decoded);
        tokens(decoded, each);
    }
}

} // namespace pgscrub::anonymise

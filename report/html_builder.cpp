#include "report/html_builder.hpp"

#include <algorithm>
#include <array>
#include <stdexcept>
#include <string>

namespace pgscrub::report::html {

namespace {

// Length of the valid UTF-8 sequence at s[i], or 0 when it is not one.
std::size_t utf8_sequence(std::string_view s, std::size_t i) {
    const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
    const unsigned char lead = byte(i);
    std::size_t length = 0;
    unsigned char low = 0x80, high = 0xBF; // allowed range of the second byte
    if (lead >= 0xC2 && lead <= 0xDF) length = 2;
    else if (lead >= 0xE0 && lead <= 0xEF) {
        length = 3;
        if (lead == 0xE0) low = 0xA0;  // overlong
        if (lead == 0xED) high = 0x9F; // surrogates
    } else if (lead >= 0xF0 && lead <= 0xF4) {
        length = 4;
        if (lead == 0xF0) low = 0x90;
        if (lead == 0xF4) high = 0x8F;
    } else {
        return 0;
    }
    if (i + length > s.size() || byte(i + 1) < low || byte(i + 1) > high) return 0;
    for (std::size_t k = 2; k < length; ++k) {
        if (byte(i + k) < 0x80 || byte(i + k) > 0xBF) return 0;
    }
    return length;
}

// Escapes the five characters that matter in HTML, and turns control
// characters and invalid UTF-8 (a name from the database may hold either)
// into U+FFFD, so whatever the report holds, it is shown as text. The same
// escaping serves element content and quoted attribute values.
void escape_into(std::string& out, std::string_view text) {
    for (std::size_t i = 0; i < text.size();) {
        const auto c = static_cast<unsigned char>(text[i]);
        switch (c) {
        case '&': out += "&amp;"; break;
        case '<': out += "&lt;"; break;
        case '>': out += "&gt;"; break;
        case '"': out += "&quot;"; break;
        case '\'': out += "&#39;"; break;
        case '\t':
        case '\n': out += static_cast<char>(c); break;
        default:
            if (c < 0x20 || c == 0x7F) {
                out += "\xEF\xBF\xBD";
            } else if (c < 0x80) {
                out += static_cast<char>(c);
            } else if (std::size_t n = utf8_sequence(text, i)) {
                out.append(text.substr(i, n));
                i += n;
                continue;
            } else {
                out += "\xEF\xBF\xBD";
            }
        }
        ++i;
    }
}

// The elements that have no content and no end tag (HTML Living Standard,
// 13.1.2 "Elements").
bool is_void_tag(std::string_view tag) {
    static constexpr std::array<std::string_view, 13> kVoid = {
        "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"};
    return std::find(kVoid.begin(), kVoid.end(), tag) != kVoid.end();
}

} // namespace

void detail::invalid_name(const char* why) { throw std::logic_error(why); }

std::string escape(std::string_view text) {
    std::string out;
    escape_into(out, text);
    return out;
}

Html text(std::string_view value) {
    Html html;
    escape_into(html.markup_, value);
    return html;
}

Html::Html(Entity entity) : markup_("&") {
    markup_ += entity.name();
    markup_ += ';';
}

Html::Html(const Element& element) : markup_(element.render()) {}

Element::Element(Name tag) : tag_(tag.text()), void_(is_void_tag(tag.text())) {}

Element& Element::attr(Name name, std::string_view value) {
    attributes_ += ' ';
    attributes_ += name.text();
    attributes_ += "=\"";
    escape_into(attributes_, value);
    attributes_ += '"';
    return *this;
}

Element& Element::attr(Name name) {
    attributes_ += ' ';
    attributes_ += name.text();
    return *this;
}

Element& Element::add(const Html& child) {
    if (void_) throw std::logic_error("a void element (<" + std::string(tag_) + ">) has no children");
    children_ += child;
    return *this;
}

Element& Element::line() {
    newline_after_end_ = true;
    return *this;
}

Element& Element::block() {
    newline_after_start_ = newline_after_end_ = true;
    return *this;
}

std::string Element::render() const {
    std::string out;
    out.reserve(tag_.size() * 2 + attributes_.size() + children_.str().size() + 8);
    out += '<';
    out += tag_;
    out += attributes_;
    out += '>';
    if (!void_) {
        if (newline_after_start_) out += '\n';
        out += children_.str();
        out += "</";
        out += tag_;
        out += '>';
    }
    if (newline_after_end_) out += '\n';
    return out;
}

} // namespace pgscrub::report::html

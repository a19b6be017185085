#include "report/report_html_parts.hpp"

#include <iterator>
#include <string>

namespace pgscrub::report::parts {

using values::get;
using values::scalar;

Html not_recorded() { return Element{"span"}.cls("none").text("not recorded"); }

Html or_not_recorded(const Html& content) { return content.empty() ? not_recorded() : content; }

Html ident(std::string_view name) {
    Html out;
    std::size_t start = 0, run = 0;
    const auto piece_then_break = [&](std::size_t end) {
        out += html::text(name.substr(start, end - start));
        out += Element{"wbr"};
        start = end;
        run = 0;
    };
    for (std::size_t i = 0; i < name.size(); ++i) {
        const char c = name[i];
        const bool continuation = (static_cast<unsigned char>(c) & 0xC0) == 0x80;
        if (!continuation && run >= 24) piece_then_break(i); // before a character, never inside a UTF-8 sequence
        if (!continuation) ++run;
        if (c == '.' || c == '_' || c == '/' || c == '-') piece_then_break(i + 1);
    }
    return out + html::text(name.substr(start));
}

Element name_span(const Html& name) { return Element{"span"}.cls("name").add(name); }

Html code(std::string_view text) { return Element{"code"}.text(text); }

Html code_ident(std::string_view name) { return Element{"code"}.add(ident(name)); }

namespace {
const char* badge_class(std::string_view word, BadgeKind kind) {
    if (kind == BadgeKind::finding) {
        if (word == "leak") return "c-leak";
        if (word == "unlisted") return "c-unlisted";
        if (word == "kept") return "c-kept";
        if (word == "confirmed") return "c-confirmed";
        return "b-other";
    }
    if (word == "transformed") return "b-transformed";
    if (word == "kept") return "b-kept";
    if (word == "truncated") return "b-truncated";
    if (word == "nulled") return "b-nulled";
    return "b-other";
}
} // namespace

Html badge(std::string_view word, BadgeKind kind) {
    if (word.empty()) return not_recorded();
    return Element{"span"}.cls(std::string("badge ") + badge_class(word, kind)).text(word);
}

Element cell(const Html& content, std::string_view cls) {
    Element td{"td"};
    if (!cls.empty()) td.cls(cls);
    td.add(content.empty() ? Html(Element{"span"}.cls("none").text("—")) : content);
    return td;
}

Element table_head(std::initializer_list<std::string_view> headings) {
    Element row{"tr"};
    for (std::string_view heading : headings) {
        Element th{"th"};
        if (heading.starts_with('#')) th.cls("num").text(heading.substr(1));
        else th.text(heading);
        row.add(th);
    }
    return Element{"thead"}.add(row).line();
}

Html join(const std::vector<Html>& parts, const Html& separator) {
    Html out;
    for (std::size_t i = 0; i < parts.size(); ++i) {
        if (i) out += separator;
        out += parts[i];
    }
    return out;
}

Html counted(std::size_t n, std::string_view one, std::string_view many) {
    return html::text(std::to_string(n) + " " + std::string(n == 1 ? one : many));
}

std::size_t class_rank(std::string_view name) {
    for (std::size_t i = 0; i < std::size(kClasses); ++i) {
        if (name == kClasses[i].name) return i;
    }
    return std::size(kClasses);
}

std::size_t count_class(const std::vector<Value>* findings, std::string_view name) {
    std::size_t n = 0;
    if (findings) {
        for (const Value& f : *findings) n += scalar(get(&f, "class")) == name ? 1 : 0;
    }
    return n;
}

} // namespace pgscrub::report::parts

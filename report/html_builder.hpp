#pragma once
// A small HTML element builder that escapes by construction, for the report
// page (report_html.cpp). Markup only ever comes from three places:
//
//   - Element: a tag and attribute names fixed at compile time, attribute
//     values and text escaped as they are added;
//   - Entity: a character reference (&middot;) whose name is checked at
//     compile time;
//   - TrustedHtml: raw markup, constructible only from a string literal or
//     another compile-time char array (the doctype, the style sheet embedded
//     from report/report.css).
//
// Html, the one type that holds markup, has no constructor from a run-time
// string: text from the report (table and column names come from the
// database and may hold anything) can only enter as escaped text. So a
// forgotten escape is a compile error rather than a hole in a signed page.
//
// The builder renders as it goes (an Element holds its children as Html
// already rendered), which keeps it tiny: no tree, and each nesting level
// copies its children's text once.

#include <cstddef>
#include <string>
#include <string_view>

namespace pgscrub::report::html {

namespace detail {
// Reached only from a consteval constructor given a bad name: calling a
// function that is not constexpr there stops the build (the error names the
// call, and `why` says what is wrong).
void invalid_name(const char* why);

template <std::size_t N>
consteval std::string_view checked_name(const char (&name)[N], bool entity) {
    if (N < 2 || name[N - 1] != '\0') invalid_name("a name must be a non-empty string literal");
    const bool number = entity && name[0] == '#';
    for (std::size_t i = number ? 1 : 0; i + 1 < N; ++i) {
        const char c = name[i];
        const bool digit = c >= '0' && c <= '9', lower = c >= 'a' && c <= 'z', upper = c >= 'A' && c <= 'Z';
        const bool ok = number ? digit : entity ? digit || lower || upper : digit || lower || c == '-';
        if (!ok) invalid_name("a tag, attribute or entity name holds a character it may not");
    }
    if (number && N < 3) invalid_name("a numeric character reference needs digits");
    return {name, N - 1};
}
} // namespace detail

// A tag or attribute name: lower-case letters, digits and '-', fixed at
// compile time (from a literal, implicitly: Element{"td"}).
class Name {
public:
    template <std::size_t N>
    consteval Name(const char (&name)[N]) : text_(detail::checked_name(name, false)) {}
    std::string_view text() const { return text_; }

private:
    std::string_view text_;
};

// A named or numeric character reference: Entity{"middot"} is &middot;,
// Entity{"#10003"} is &#10003;.
class Entity {
public:
    template <std::size_t N>
    explicit consteval Entity(const char (&name)[N]) : name_(detail::checked_name(name, true)) {}
    std::string_view name() const { return name_; }

private:
    std::string_view name_;
};

// The escape hatch: markup written into the program, never built at run
// time. A char array only (not a pointer, std::string or string_view), and
// consteval, so it cannot be handed a value read from anywhere.
class TrustedHtml {
public:
    template <std::size_t N>
    explicit consteval TrustedHtml(const char (&markup)[N]) : markup_(markup, N - 1) {
        if (markup[N - 1] != '\0') detail::invalid_name("trusted markup must be a string literal");
    }
    std::string_view markup() const { return markup_; }

private:
    std::string_view markup_;
};

class Element;

// A piece of markup that is safe by construction: escaped text, entities,
// trusted constants and rendered elements, and concatenations of those.
class Html {
public:
    Html() = default;
    Html(TrustedHtml trusted) : markup_(trusted.markup()) {}
    Html(Entity entity);
    Html(const Element& element);

    Html& operator+=(const Html& more) {
        markup_ += more.markup_;
        return *this;
    }

    bool empty() const { return markup_.empty(); }
    const std::string& str() const { return markup_; }

private:
    friend Html text(std::string_view);
    std::string markup_;
};

inline Html operator+(Html left, const Html& right) { return left += right; }

// Text shown as it is: & < > " ' become character references, control
// characters and invalid UTF-8 become U+FFFD.
Html text(std::string_view text);

// The escaping that text() and attribute values get, as a string.
std::string escape(std::string_view text);

// An element: Element{"td"}.cls("num").add(text(rows)). Void elements (br,
// col, meta, wbr, ...) take attributes but no children. Layout is only where
// the page's source breaks lines; it changes nothing a browser shows.
class Element {
public:
    explicit Element(Name tag);

    // A quoted attribute; the value is escaped.
    Element& attr(Name name, std::string_view value);
    // A boolean attribute (<details open>).
    Element& attr(Name name);
    Element& cls(std::string_view value) { return attr("class", value); }
    Element& id(std::string_view value) { return attr("id", value); }

    // Children, in order. Throws std::logic_error on a void element.
    Element& add(const Html& child);
    Element& text(std::string_view value) { return add(html::text(value)); }

    // A line break after the end tag (line) or after both tags (block).
    Element& line();
    Element& block();

    bool is_void() const { return void_; }
    std::string render() const;

private:
    std::string_view tag_;
    std::string attributes_; // rendered: ` class="x" open`
    Html children_;
    bool void_ = false;
    bool newline_after_start_ = false;
    bool newline_after_end_ = false;
};

} // namespace pgscrub::report::html

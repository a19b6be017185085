#include "report/html_builder.hpp"
#include "report/report_html.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>

using pgscrub::report::render_report_html;
using namespace pgscrub::report::html;

// The only ways in for raw markup are compile-time constants: nothing read at
// run time converts to Html, TrustedHtml, Entity or a tag or attribute Name.
static_assert(!std::is_constructible_v<Html, std::string>);
static_assert(!std::is_constructible_v<Html, std::string_view>);
static_assert(!std::is_constructible_v<Html, const char*>);
static_assert(!std::is_convertible_v<const char (&)[4], Html>);
static_assert(!std::is_constructible_v<TrustedHtml, std::string>);
static_assert(!std::is_constructible_v<TrustedHtml, std::string_view>);
static_assert(!std::is_constructible_v<TrustedHtml, const char*>);
static_assert(!std::is_convertible_v<const char (&)[4], TrustedHtml>); // it must be named
static_assert(!std::is_constructible_v<Entity, std::string>);
static_assert(!std::is_constructible_v<Entity, const char*>);
static_assert(!std::is_constructible_v<Name, std::string>);
static_assert(!std::is_constructible_v<Name, std::string_view>);
static_assert(!std::is_constructible_v<Name, const char*>);
static_assert(!std::is_constructible_v<Element, std::string>);

namespace {
std::string render(const Html& html) { return html.str(); }
} // namespace

TEST_CASE("html builder: text is escaped", "[html_builder]") {
    CHECK(render(text("<b>&\"'</b>")) == "&lt;b&gt;&amp;&quot;&#39;&lt;/b&gt;");
    CHECK(render(Element{"p"}.text("a < b && c > d")) == "<p>a &lt; b &amp;&amp; c &gt; d</p>");
    CHECK(render(Element{"td"}.text("\"><script>alert(1)</script>")) ==
          "<td>&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;</td>");
    // Entities are not passed through: text is text.
    CHECK(render(text("&middot;")) == "&amp;middot;");
    // Control characters and invalid UTF-8 become U+FFFD; valid UTF-8 stays.
    CHECK(render(text(std::string("a\x01\xC3(\xED\xA0\x80", 7))) ==
          "a\xEF\xBF\xBD\xEF\xBF\xBD(\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");
    CHECK(render(text("ü ß 😀 —")) == "ü ß 😀 —");
}

TEST_CASE("html builder: attribute values are escaped", "[html_builder]") {
    CHECK(render(Element{"span"}.attr("title", "\"><script>alert(1)</script>").text("x")) ==
          "<span title=\"&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;\">x</span>");
    CHECK(render(Element{"a"}.attr("href", "#t' onmouseover='x").text("t")) ==
          "<a href=\"#t&#39; onmouseover=&#39;x\">t</a>");
    CHECK(render(Element{"div"}.cls("a&b <c>").id("i\"d")) == "<div class=\"a&amp;b &lt;c&gt;\" id=\"i&quot;d\"></div>");
    CHECK(render(Element{"details"}.attr("open").cls("x")) == "<details open class=\"x\"></details>");
}

TEST_CASE("html builder: elements nest in order", "[html_builder]") {
    Element row{"tr"};
    row.add(Element{"td"}.text("a")).add(Element{"td"}.add(Element{"b"}.text("<b>")));
    const Html table = Element{"table"}.add(Element{"tbody"}.add(row));
    CHECK(render(table) == "<table><tbody><tr><td>a</td><td><b>&lt;b&gt;</b></td></tr></tbody></table>");
    CHECK(render(text("x") + Element{"i"}.text("y") + Entity{"middot"} + text("z")) == "x<i>y</i>&middot;z");
    CHECK(render(Element{"p"}.add(Html())) == "<p></p>");
    CHECK(Html().empty());
    CHECK(text("").empty());
}

TEST_CASE("html builder: void elements have no end tag and take no children", "[html_builder]") {
    CHECK(render(Element{"br"}) == "<br>");
    CHECK(render(Element{"meta"}.attr("charset", "utf-8").line()) == "<meta charset=\"utf-8\">\n");
    CHECK(render(Element{"col"}.attr("style", "width:19%")) == "<col style=\"width:19%\">");
    CHECK(render(text("a.") + Element{"wbr"} + text("b")) == "a.<wbr>b");
    CHECK(Element{"wbr"}.is_void());
    CHECK_FALSE(Element{"p"}.is_void());
    Element br{"br"};
    CHECK_THROWS_AS(br.text("x"), std::logic_error);
    CHECK_THROWS_AS(br.add(Element{"b"}), std::logic_error);
}

TEST_CASE("html builder: line and block only break the source's lines", "[html_builder]") {
    CHECK(render(Element{"p"}.text("x").line()) == "<p>x</p>\n");
    CHECK(render(Element{"ul"}.block().add(Element{"li"}.text("a").line())) == "<ul>\n<li>a</li>\n</ul>\n");
}

TEST_CASE("html builder: trusted markup and entities are the only raw paths", "[html_builder]") {
    CHECK(render(TrustedHtml{"<!DOCTYPE html>\n"}) == "<!DOCTYPE html>\n");
    CHECK(render(Element{"style"}.add(TrustedHtml{"a > b { color: red }"})) == "<style>a > b { color: red }</style>");
    CHECK(render(Entity{"nbsp"}) == "&nbsp;");
    CHECK(render(Entity{"#10003"}) == "&#10003;");
    // The same characters given as text, through any other door, come out escaped.
    const std::string markup = "<!DOCTYPE html>";
    CHECK(render(text(markup)) == "&lt;!DOCTYPE html&gt;");
    CHECK(render(Element{"style"}.text(markup)) == "<style>&lt;!DOCTYPE html&gt;</style>");
    CHECK(escape(markup) == "&lt;!DOCTYPE html&gt;");
}

TEST_CASE("report html: hostile names in a report come out as text, never as markup", "[report_html]") {
    // Table, column, rule and class names come from the database and the rules
    // file; each of these would open an element or an attribute if it were not escaped.
    const std::string hostile = R"(\"><script>alert(1)</script><img src=x onerror=alert(2)>')";
    const std::string json = R"({"report_version": 1, "pgscrub_version": ")" + hostile + R"(",
        "rules_file": ")" + hostile + R"(", "rules_sha256": ")" + hostile + R"(", "input": ")" + hostile + R"(",
        "input_format": ")" + hostile + R"(", "generated_at": ")" + hostile + R"(", "seconds": 1,
        "coverage": {"tables": ")" + hostile + R"(", "columns_unclassified": ")" + hostile + R"("},
        "tables": [{"table": ")" + hostile + R"(", "action": ")" + hostile + R"(", "rows": ")" + hostile + R"(",
                    "dump_id": ")" + hostile + R"(", "rule_table": ")" + hostile + R"(x",
                    "stored_bytes_in": ")" + hostile + R"(",
                    "columns": [{"column": ")" + hostile + R"(", "type": ")" + hostile + R"(",
                                 "action": ")" + hostile + R"(", "transform": ")" + hostile + R"(",
                                 "values_changed": ")" + hostile + R"(", "reviewed": ")" + hostile + R"(",
                                 "listed": false}]}],
        "scan": {"values_scanned": ")" + hostile + R"(", "findings": [{"table": ")" + hostile + R"(",
                 "column": ")" + hostile + R"(", "kind": ")" + hostile + R"(", "rows": ")" + hostile + R"(",
                 "rows_scanned": ")" + hostile + R"(", "examples": [")" + hostile + R"("],
                 "class": ")" + hostile + R"(", "reviewed": ")" + hostile + R"("}]},
        "verify": {"status": "failed", "survivors": [{"found_in": ")" + hostile + R"(", "where": ")" + hostile +
                                   R"(", "first_row": ")" + hostile + R"(", "count": ")" + hostile + R"(",
                                   "source": ")" + hostile + R"("}]}})";
    const std::string html = render_report_html(json);
    // No element but the page's own: no script, img, or a tag opened by a name.
    CHECK(html.find("<script") == std::string::npos);
    CHECK(html.find("<img") == std::string::npos);
    // Every '<' starts one of the page's own tags (or is the CSS's, inside
    // <style>), and every tag's attributes are whole: an even number of
    // quotes and no apostrophe, so no value closed its quotes early.
    const std::size_t style_start = html.find("<style>"), style_end = html.find("</style>");
    REQUIRE(style_start != std::string::npos);
    REQUIRE(style_end != std::string::npos);
    static const char* const kOwnTags[] = {
        "!DOCTYPE", "html", "head", "meta", "title", "style", "body", "main", "header", "div", "p", "h1", "h2", "h3",
        "nav", "a", "dl", "dt", "dd", "code", "span", "wbr", "br", "section", "ul", "li", "b", "table", "thead",
        "tbody", "tr", "th", "td", "colgroup", "col", "details", "summary", "footer"};
    std::size_t tags = 0;
    for (std::size_t at = html.find('<'); at != std::string::npos; at = html.find('<', at + 1)) {
        if (at > style_start && at < style_end) continue;
        const std::string tag = html.substr(at + 1, html.find('>', at) - at - 1);
        std::string name = tag.substr(0, tag.find(' '));
        if (name.starts_with('/')) name.erase(0, 1);
        bool own = false;
        for (const char* t : kOwnTags) own = own || name == t;
        INFO("a tag the page does not write: <" << tag << ">");
        CHECK(own);
        CHECK(std::count(tag.begin(), tag.end(), '"') % 2 == 0);
        CHECK(tag.find('\'') == std::string::npos);
        ++tags;
    }
    CHECK(tags > 100);
    // Each name appears, escaped, as text.
    CHECK(html.find("&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=alert(2)&gt;&#39;") !=
          std::string::npos);
}

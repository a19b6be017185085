#include "cli/roff.hpp"

#include <cctype>
#include <cstdio>
#include <vector>

namespace pgscrub::cli::roff {

namespace {

// The code point of the UTF-8 sequence at `at`, and its length; an invalid
// byte stands for itself (U+FFFD would hide it; the specs are valid UTF-8).
char32_t decode(std::string_view text, std::size_t at, std::size_t& length) {
    auto c = static_cast<unsigned char>(text[at]);
    length = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xe ? 3 : (c >> 3) == 0x1e ? 4 : 1;
    if (length == 1 || at + length > text.size()) {
        length = 1;
        return c;
    }
    char32_t code = c & (0x7f >> length);
    for (std::size_t k = 1; k < length; ++k) code = (code << 6) | (static_cast<unsigned char>(text[at + k]) & 0x3f);
    return code;
}

// Text escaped, lines not yet guarded.
std::string escape_chars(std::string_view text) {
    std::string out;
    for (std::size_t i = 0; i < text.size();) {
        std::size_t length = 1;
        char32_t c = decode(text, i, length);
        i += length;
        if (c == '\\') {
            out += "\\e";
        } else if (c == '-') {
            out += "\\-";
        } else if (c == '\t') {
            out += ' ';
        } else if (c >= 0x80) {
            char glyph[16];
            std::snprintf(glyph, sizeof glyph, "\\[u%04X]", static_cast<unsigned>(c));
            out += glyph;
        } else {
            out += static_cast<char>(c);
        }
    }
    return out;
}

// A line that starts with '.' or '\'' would be read as a request.
std::string guard_lines(std::string text) {
    for (std::size_t at = 0; at < text.size();
         at = text.find('\n', at) == std::string::npos ? text.size() : text.find('\n', at) + 1) {
        if (text[at] == '.' || text[at] == '\'') text.insert(at, "\\&");
    }
    return text;
}

std::string trimmed(std::string_view line) {
    std::size_t start = line.find_first_not_of(" \t");
    if (start == std::string_view::npos) return "";
    std::size_t end = line.find_last_not_of(" \t");
    return std::string(line.substr(start, end - start + 1));
}

// Markdown inline markup as roff, without the line guard.
std::string inline_unguarded(std::string_view md) {
    std::string out, plain;
    bool bold = false;
    auto flush = [&] {
        out += escape_chars(plain);
        plain.clear();
    };
    for (std::size_t i = 0; i < md.size(); ++i) {
        char c = md[i];
        if (c == '\\' && i + 1 < md.size() && std::ispunct(static_cast<unsigned char>(md[i + 1]))) {
            plain += md[++i]; // Markdown's escape: "\|" is a '|'
        } else if (c == '`') {
            std::size_t end = md.find('`', i + 1);
            if (end == std::string_view::npos) {
                plain += c;
                continue;
            }
            flush();
            out += "\\fB" + escape_chars(md.substr(i + 1, end - i - 1)) + (bold ? "" : "\\fR");
            i = end;
        } else if (c == '*' && i + 1 < md.size() && md[i + 1] == '*') {
            flush();
            bold = !bold;
            out += bold ? "\\fB" : "\\fR";
            ++i;
        } else if (c == '*' && i + 1 < md.size() && md[i + 1] != ' ' && md.find('*', i + 1) != std::string_view::npos &&
                   md[md.find('*', i + 1) - 1] != ' ') {
            std::size_t end = md.find('*', i + 1);
            flush();
            out += "\\fI" + inline_unguarded(md.substr(i + 1, end - i - 1)) + "\\fR";
            i = end;
        } else if (c == '[' && md.find("](", i) != std::string_view::npos &&
                   md.find(')', md.find("](", i)) != std::string_view::npos && md.find(']', i) == md.find("](", i)) {
            // A link reads as its text: the man page cannot follow it. A link
            // to the rules or transforms reference names pgscrub-rules(5).
            std::size_t close = md.find("](", i);
            std::string_view link_text = md.substr(i + 1, close - i - 1);
            flush();
            if (link_text == "rules.md" || link_text == "transforms.md")
                out += "\\fBpgscrub\\-rules\\fR(5)";
            else
                out += inline_unguarded(link_text);
            i = md.find(')', close);
        } else {
            plain += c;
        }
    }
    flush();
    if (bold) out += "\\fR";
    return out;
}

} // namespace

std::string escape(std::string_view text) {
    return guard_lines(escape_chars(text));
}

std::string inline_markdown(std::string_view md) {
    return guard_lines(inline_unguarded(md));
}

std::string markdown(std::string_view md) {
    std::string out, block;
    bool item = false, fenced = false;
    auto flush = [&] {
        if (!block.empty()) out += (item ? ".IP \\(bu 2\n" : ".PP\n") + inline_markdown(block) + "\n";
        block.clear();
        item = false;
    };
    std::size_t start = 0;
    while (start <= md.size()) {
        std::size_t end = md.find('\n', start);
        if (end == std::string_view::npos) end = md.size();
        std::string_view line = md.substr(start, end - start);
        start = end + 1;
        std::string text = trimmed(line);
        if (text.starts_with("```")) {
            flush();
            out += fenced ? ".fi\n.RE\n" : ".PP\n.RS 4\n.nf\n";
            fenced = !fenced;
        } else if (fenced) {
            out += escape(line) + "\n";
        } else if (text.empty()) {
            flush();
        } else if (text.starts_with("#")) {
            flush();
            out += ".SS " + inline_markdown(trimmed(text.substr(text.find_first_not_of('#')))) + "\n";
        } else if (text.starts_with("- ") || text.starts_with("* ")) {
            flush();
            item = true;
            block = text.substr(2);
        } else {
            block += (block.empty() ? "" : " ") + text;
        }
    }
    flush();
    if (fenced) out += ".fi\n.RE\n";
    return out;
}

std::string tagged(const std::string& tag_roff, const std::string& body_roff) {
    std::string body = body_roff;
    if (!body.empty() && body.back() != '\n') body += '\n';
    return ".TP\n" + tag_roff + "\n" + body;
}

std::string title(const std::string& name, int section, const std::string& version) {
    std::string upper;
    for (char c : name) upper += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return ".TH \"" + escape_chars(upper) + "\" \"" + std::to_string(section) + "\" \"\" \"pgscrub " +
           escape_chars(version) + "\" \"pgscrub manual\"\n";
}

} // namespace pgscrub::cli::roff

#pragma once
// Text for man pages in plain man(7) roff, made from the Markdown and plain
// text the specs and the transform registry hold (docs/commands.md
// "Manual pages and completion"). The output is ASCII: every other character
// becomes a \[uXXXX] glyph, so groff reads it the same with or without
// preconv, and `groff -ww` has nothing to warn about.

#include <string>
#include <string_view>

namespace pgscrub::cli::roff {

// Plain text as roff: backslashes, hyphens (\-), non-ASCII characters
// escaped; a '.' or '\'' that would start a line is guarded (\&). Line
// breaks are kept as breaks in the source (the filler joins the lines).
std::string escape(std::string_view text);

// One line of Markdown as roff text: `code` and **strong** in bold, *emphasis*
// in italics, [text](link) as its text; the rest escaped as escape() does.
std::string inline_markdown(std::string_view markdown);

// Markdown paragraphs as roff: blank lines start a paragraph (.PP), "- item"
// lines a bulleted one (.IP), ``` fences an unfilled, indented block.
// Continuation lines of a paragraph are joined.
std::string markdown(std::string_view markdown);

// `.TP` with a bold tag: "\fB\-\-rules\fR \fIRULES\fR" style tags are the
// caller's; this starts the item and puts `body` (already roff) under it.
std::string tagged(const std::string& tag_roff, const std::string& body_roff);

// A man page's header: .TH with no date (the package is reproducible: the
// page must not change from one build to the next), the version as source.
std::string title(const std::string& name, int section, const std::string& version);

} // namespace pgscrub::cli::roff

#pragma once
// YAML problems as diagnostics, shared by every YAML file pgscrub reads
// (rules files, run files): where a node is, and what yaml-cpp could not read.

#include "rules/rules_error.hpp"

#include <yaml-cpp/yaml.h>

#include <string>

namespace pgscrub::rules {

// FILE:LINE:COL of `node`, 1-based. A node with no place in the text (the
// document of a file holding only comments, a key that is missing) is at
// 1:1, so every diagnostic points somewhere an editor can go.
inline SourcePosition position_of(const YAML::Node& node, const std::string& file) {
    const YAML::Mark mark = node.Mark();
    if (mark.is_null() || mark.line < 0 || mark.column < 0) return {file, 1, 1};
    return {file, mark.line + 1, mark.column + 1};
}

// "invalid YAML: …" at the parser's position. (yaml-cpp's message may quote
// the offending character, a raw newline included; RulesError escapes it.)
inline Diagnostic invalid_yaml(const YAML::ParserException& e, const std::string& file) {
    SourcePosition where = e.mark.is_null() ? SourcePosition{file, 1, 1} : SourcePosition{file, e.mark.line + 1, e.mark.column + 1};
    return {where, "invalid YAML: " + e.msg};
}

} // namespace pgscrub::rules

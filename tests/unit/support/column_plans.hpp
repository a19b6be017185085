#pragma once
// One column of a table plan built the way the rules layer builds it
// (through the transform registry), for the tests and fuzz targets that
// drive the row rewriters without a rules file. Header-only, and free of
// Catch2, so that fuzz/ can use it too.

#include "anonymise/transform_registry.hpp"
#include "rules/scrub_plan.hpp"

#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace pgscrub::test {

// `transform` "keep" gives a column no transform. `params` are scalar
// parameters ({"prefix", "user_"}); `nested` are transforms given under a
// parameter ({"others", "mask"}). Throws std::logic_error when the registry
// refuses the configuration: a test that builds a wrong plan fails there.
inline rules::ColumnPlan column_plan(const std::string& name, const std::string& transform,
                                     std::vector<std::pair<std::string, std::string>> params = {},
                                     std::vector<std::pair<std::string, std::string>> nested = {}) {
    rules::ColumnPlan plan;
    plan.name = name;
    plan.transform_name = transform;
    if (transform == "keep") return plan;
    anonymise::TransformConfig config;
    config.name = transform;
    for (auto& [key, value] : params) config.scalars.push_back({key, {value, {}, false, {}}});
    for (auto& [key, inner] : nested) {
        anonymise::TransformConfig inner_config;
        inner_config.name = inner;
        config.nested.emplace_back(key, std::move(inner_config));
    }
    std::vector<anonymise::ConfigProblem> problems;
    plan.transform = anonymise::build_transform(config, problems);
    if (!problems.empty())
        throw std::logic_error("column plan " + name + " (" + transform + "): " + problems.front().message);
    return plan;
}

} // namespace pgscrub::test

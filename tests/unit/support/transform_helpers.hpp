#pragma once
// Helpers for the transform tests: the test key, configs as a rules file would
// give them (with positions, for the validation messages), building and
// running a transform, a row for {column} lookups, and an independent UTF-8
// check.

#include "anonymise/keyed_hash.hpp"
#include "anonymise/transform.hpp"
#include "anonymise/transform_registry.hpp"

#include <catch2/catch.hpp>

#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace pgscrub::test {

using namespace pgscrub::anonymise;

inline const KeyedHash kKey("unit-test key");

// An independent strict UTF-8 check (RFC 3629), not the one under test.
inline bool utf8_ok(std::string_view s) {
    std::size_t i = 0;
    while (i < s.size()) {
        const auto c = static_cast<unsigned char>(s[i]);
        std::size_t n;
        std::uint32_t cp;
        if (c < 0x80) {
            ++i;
            continue;
        }
        if (c >= 0xC2 && c <= 0xDF) {
            n = 1;
            cp = c & 0x1F;
        } else if (c >= 0xE0 && c <= 0xEF) {
            n = 2;
            cp = c & 0x0F;
        } else if (c >= 0xF0 && c <= 0xF4) {
            n = 3;
            cp = c & 0x07;
        } else
            return false;
        if (i + n >= s.size()) return false;
        for (std::size_t k = 1; k <= n; ++k) {
            const auto d = static_cast<unsigned char>(s[i + k]);
            if ((d & 0xC0) != 0x80) return false;
            cp = (cp << 6) | (d & 0x3F);
        }
        if ((n == 2 && cp < 0x800) || (n == 3 && (cp < 0x10000 || cp > 0x10FFFF)) || (cp >= 0xD800 && cp <= 0xDFFF))
            return false;
        i += n + 1;
    }
    return true;
}

inline TransformConfig config(std::string name, std::vector<std::pair<std::string, std::string>> scalars = {}) {
    TransformConfig c;
    c.name = std::move(name);
    c.where = {3, 12};
    int column = 20;
    for (auto& [key, value] : scalars) {
        TransformConfig::Scalar s;
        s.value = value;
        s.where = {3, column};
        column += 10;
        c.scalars.emplace_back(key, std::move(s));
    }
    return c;
}

inline std::unique_ptr<Transform> build_ok(const TransformConfig& c) {
    std::vector<ConfigProblem> problems;
    auto t = build_transform(c, problems);
    for (const auto& p : problems) UNSCOPED_INFO(p.message);
    REQUIRE(problems.empty());
    REQUIRE(t);
    return t;
}

inline std::vector<ConfigProblem> problems_of(const TransformConfig& c) {
    std::vector<ConfigProblem> problems;
    auto t = build_transform(c, problems);
    CHECK(!t);
    CHECK(!problems.empty());
    return problems;
}

inline std::string message_of(const TransformConfig& c) {
    auto problems = problems_of(c);
    return problems.empty() ? std::string() : problems.front().message;
}

inline std::optional<std::string> run(const Transform& t, std::optional<std::string_view> value,
                                      const KeyedHash& key = kKey, const RowAccess* row = nullptr) {
    TransformContext context{key, row};
    return t.apply(value, context);
}

inline std::string run_text(const Transform& t, std::string_view value, const KeyedHash& key = kKey) {
    auto out = run(t, value, key);
    REQUIRE(out);
    return *out;
}

class MapRow final : public RowAccess {
public:
    std::map<std::string, std::optional<std::string>, std::less<>> values;
    std::optional<std::string_view> value_of(std::string_view column) const override {
        auto it = values.find(column);
        if (it == values.end() || !it->second) return std::nullopt;
        return std::string_view(*it->second);
    }
};

} // namespace pgscrub::test

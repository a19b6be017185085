#include "media/verify_compare.hpp"

#include "common/error.hpp"

#include <algorithm>
#include <set>
#include <unordered_map>

namespace pgscrub::media {

std::optional<std::string> md5_of_etag(std::string_view etag) {
    if (etag.size() >= 2 && etag.front() == '"' && etag.back() == '"') etag = etag.substr(1, etag.size() - 2);
    if (etag.size() != 32) return std::nullopt;
    std::string md5;
    for (char c : etag) {
        if (c >= '0' && c <= '9')
            md5.push_back(c);
        else if (c >= 'a' && c <= 'f')
            md5.push_back(c);
        else if (c >= 'A' && c <= 'F')
            md5.push_back(static_cast<char>(c - 'A' + 'a'));
        else
            return std::nullopt;
    }
    return md5;
}

const std::string& ContentDigest::actual() {
    if (!actual_) actual_ = compute_();
    return *actual_;
}

bool same_content(ContentDigest& a, ContentDigest& b) {
    if (a.known() == b.known()) return true;
    return a.actual() == b.actual();
}

bool holds_content(ContentDigest& side, std::string_view md5) {
    if (side.known() == md5) return true;
    return side.actual() == md5;
}

VerifyPlan plan_verify(const std::vector<ListedObject>& source, const std::vector<ListedObject>& target,
                       const KeyFilter& filter) {
    std::unordered_map<std::string_view, const ListedObject*> in_target;
    in_target.reserve(target.size());
    for (const ListedObject& object : target) in_target.emplace(object.key, &object);
    std::unordered_map<std::string_view, bool> in_source;
    in_source.reserve(source.size());
    VerifyPlan plan;
    for (const ListedObject& object : source) {
        in_source.emplace(object.key, true);
        if (!filter.matches(object.key)) {
            ++plan.outside_filter;
            continue;
        }
        auto found = in_target.find(object.key);
        if (found == in_target.end())
            plan.missing.push_back(&object);
        else
            plan.both.push_back({&object, found->second});
    }
    for (const ListedObject& object : target) {
        if (filter.matches(object.key) && !in_source.contains(object.key)) plan.extra.push_back(&object);
    }
    auto by_key = [](const ListedObject* a, const ListedObject* b) { return a->key < b->key; };
    std::sort(plan.both.begin(), plan.both.end(),
              [](const auto& a, const auto& b) { return a.source->key < b.source->key; });
    std::sort(plan.missing.begin(), plan.missing.end(), by_key);
    std::sort(plan.extra.begin(), plan.extra.end(), by_key);
    return plan;
}

ExpectedColumn parse_expected_column(std::string_view text) {
    const std::size_t dot = text.rfind('.');
    if (dot == std::string_view::npos || dot == 0 || dot + 1 == text.size() ||
        text.find("..") != std::string_view::npos || text.front() == '.') {
        throw common::Error(common::ErrorKind::Usage,
                            "--expect \"" + common::printable_text(text, 120) +
                                "\" is not TABLE.COLUMN: name the column that holds media keys, e.g. "
                                "wagtailimages_image.file");
    }
    return ExpectedColumn{std::string(text.substr(0, dot)), std::string(text.substr(dot + 1))};
}

std::vector<std::string> keys_not_in(const std::vector<std::string>& values, const std::vector<ListedObject>& target) {
    std::vector<std::string> absent;
    std::set<std::string_view> seen;
    for (const std::string& value : values) {
        if (value.empty() || !seen.insert(value).second) continue;
        auto found =
            std::lower_bound(target.begin(), target.end(), value,
                             [](const ListedObject& object, const std::string& key) { return object.key < key; });
        if (found == target.end() || found->key != value) absent.push_back(value);
    }
    return absent;
}

} // namespace pgscrub::media

#include "media/sync_plan.hpp"

#include "common/error.hpp"

#include <algorithm>
#include <unordered_map>

namespace pgscrub::media {

bool KeyFilter::matches(std::string_view key) const {
    auto under = [&](const std::string& prefix) { return key.starts_with(prefix); };
    if (!include.empty() && std::none_of(include.begin(), include.end(), under)) return false;
    return std::none_of(exclude.begin(), exclude.end(), under);
}

KeyFilter preset_filter(std::string_view name) {
    if (name == "wagtail-originals") return KeyFilter{{"original_images/"}, {}};
    if (name == "wagtail-all") return KeyFilter{};
    throw common::Error(common::ErrorKind::Usage, "unknown media preset \"" + common::printable_text(name, 60) +
                                                      "\": the presets are wagtail-originals and wagtail-all");
}

SyncPlan plan_sync(const std::vector<ListedObject>& source, const std::vector<ListedObject>& target,
                   const KeyFilter& filter, bool delete_extra) {
    std::unordered_map<std::string_view, const ListedObject*> in_target;
    in_target.reserve(target.size());
    for (const ListedObject& object : target) in_target.emplace(object.key, &object);

    SyncPlan plan;
    std::unordered_map<std::string_view, bool> in_source;
    in_source.reserve(source.size());
    for (const ListedObject& object : source) {
        in_source.emplace(object.key, true);
        if (!filter.matches(object.key)) {
            ++plan.filtered_out;
            continue;
        }
        const char* why = nullptr;
        auto found = in_target.find(object.key);
        if (found == in_target.end()) {
            why = "missing";
        } else if (!found->second->recorded) {
            why = "not copied by pgscrub";
        } else {
            const ListedObject::Record& record = *found->second->recorded;
            if (record.source_etag != object.fingerprint || record.source_size != object.size) why = "source changed";
            else if (!record.target_fingerprint.empty() && record.target_fingerprint != found->second->fingerprint) {
                why = "target changed";
            }
        }
        if (!why) {
            ++plan.unchanged;
            continue;
        }
        plan.copies.push_back({object.key, object.size, why});
        plan.bytes_to_copy += object.size;
    }
    if (delete_extra) {
        for (const ListedObject& object : target) {
            if (filter.matches(object.key) && !in_source.contains(object.key)) plan.deletions.push_back(object.key);
        }
    }
    // Listings come in any order; plans read (and dry runs print) in key order.
    std::sort(plan.copies.begin(), plan.copies.end(), [](const auto& a, const auto& b) { return a.key < b.key; });
    std::sort(plan.deletions.begin(), plan.deletions.end());
    return plan;
}

} // namespace pgscrub::media

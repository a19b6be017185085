#include "media/media_verify.hpp"

#include "common/error.hpp"
#include "common/interrupts.hpp"
#include "common/json_writer.hpp"
#include "db/database_address.hpp"
#include "db/guardrails.hpp"
#include "db/live_queries.hpp"
#include "media/image_cleaner.hpp"
#include "media/image_reading.hpp"
#include "media/media_location.hpp"
#include "media/media_store.hpp"
#include "media/verify_compare.hpp"
#include "media/work_pool.hpp"
#include "net/content_md5.hpp"

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <mutex>
#include <optional>
#include <variant>

namespace pgscrub::media {

namespace {

std::string bytes_text(std::uint64_t n) {
    return std::to_string(n) + (n == 1 ? " byte" : " bytes");
}

struct Counters {
    std::atomic<std::uint64_t> objects_read{0};
    std::atomic<std::uint64_t> bytes_read{0};
};

// The MD5 of an object's bytes, streamed (an S3 object goes through the
// store's temporary file, never whole into memory).
std::string md5_of_object(MediaStore& store, const ListedObject& object, Counters& counters) {
    std::unique_ptr<common::InputStream> in = store.open(object);
    net::Md5 md5;
    std::uint64_t bytes = 0;
    for (;;) {
        std::string_view piece = in->peek(1 << 20);
        if (piece.empty()) break;
        md5.update(piece);
        bytes += piece.size();
        in->skip(piece.size(), "object bytes");
        common::stop_point();
    }
    ++counters.objects_read;
    counters.bytes_read += bytes;
    return md5.finish_hex();
}

ContentDigest digest_of(MediaStore& store, const ListedObject& object, Counters& counters) {
    return ContentDigest(store.listed_md5(object),
                         [&store, &object, &counters] { return md5_of_object(store, object, counters); });
}

// What one key came to.
struct KeyOutcome {
    std::optional<MediaVerifyProblem> problem;
    bool matched = false;
    bool cleaned = false;             // compared with the source image cleaned
    bool unstrippable_absent = false; // an image that cannot be cleaned, rightly absent
};

KeyOutcome problem(const ListedObject& object, std::string kind, std::string detail) {
    KeyOutcome outcome;
    outcome.problem = MediaVerifyProblem{object.key, std::move(kind), std::move(detail), {}};
    return outcome;
}

// The target must hold the source's bytes.
KeyOutcome compare_bytes(MediaStore& source, MediaStore& target, const ListedObject& from, const ListedObject& to,
                         Counters& counters, const char* what) {
    if (from.size != to.size) {
        return problem(to, "size",
                       bytes_text(to.size) + " in the target, " + bytes_text(from.size) + " in the source" + what);
    }
    ContentDigest source_digest = digest_of(source, from, counters);
    ContentDigest target_digest = digest_of(target, to, counters);
    if (same_content(source_digest, target_digest)) return KeyOutcome{{}, true, false, false};
    return problem(to, "content", "same size (" + bytes_text(to.size) + "), different bytes from the source" + what);
}

// A source image as the sync would see it: cleaned (its size and MD5), or
// why it cannot be, with the MD5 of the source when it was read whole.
struct ExaminedImage {
    std::optional<std::uint64_t> cleaned_size;
    std::string cleaned_md5;
    std::optional<Unstrippable> unstrippable;
    std::optional<std::string> source_md5;
};

ExaminedImage examine_image(MediaStore& source, const ListedObject& object, std::string_view head,
                            const MediaVerifyOptions& options, MemoryBudget& budget, Counters& counters) {
    ExaminedImage examined;
    // HEIC/AVIF are refused from their first bytes: no need to read them.
    if (sniff_image_format(head) == SniffedFormat::Heif) {
        examined.unstrippable = std::get<Unstrippable>(clean_image(head));
        return examined;
    }
    BudgetHold hold(budget, object.size, options.max_image_bytes);
    std::unique_ptr<common::InputStream> in = source.open(object);
    std::string bytes = read_image_bytes(*in, options.max_image_bytes);
    ++counters.objects_read;
    counters.bytes_read += bytes.size();
    if (bytes.size() <= options.max_image_bytes) examined.source_md5 = net::md5_hex(bytes);
    CleanResult result = clean_read_image(bytes, options.max_image_bytes);
    if (auto* cleaned = std::get_if<CleanedImage>(&result)) {
        examined.cleaned_size = cleaned->bytes.size();
        examined.cleaned_md5 = net::md5_hex(cleaned->bytes);
    } else {
        examined.unstrippable = std::get<Unstrippable>(std::move(result));
    }
    return examined;
}

std::string unstrippable_text(const Unstrippable& u) {
    return std::string(reason_name(u.reason)) + ": " + u.detail;
}

// A key both sides hold.
KeyOutcome verify_pair(MediaStore& source, MediaStore& target, const ListedObject& from, const ListedObject& to,
                       const MediaVerifyOptions& options, MemoryBudget& budget, Counters& counters) {
    std::string head = options.strip_metadata ? source.read_start(from, 64) : std::string();
    if (!options.strip_metadata || sniff_image_format(head) == SniffedFormat::Unknown) {
        return compare_bytes(source, target, from, to, counters, "");
    }
    ExaminedImage image = examine_image(source, from, head, options, budget, counters);
    if (image.unstrippable) {
        if (options.copy_unstrippable) {
            return compare_bytes(source, target, from, to, counters,
                                 " (an image that cannot be cleaned, expected copied unchanged)");
        }
        return problem(to, "unstrippable",
                       "an image pgscrub cannot clean (" + unstrippable_text(*image.unstrippable) +
                           ") is in the target and may carry personal metadata: remove it, or pass "
                           "--unstrippable copy if it was copied on purpose");
    }
    KeyOutcome outcome;
    outcome.cleaned = true;
    ContentDigest target_digest = digest_of(target, to, counters);
    if (to.size == *image.cleaned_size && holds_content(target_digest, image.cleaned_md5)) {
        outcome.matched = true;
        return outcome;
    }
    // The source image as it is, metadata included: the one difference that
    // leaks personal data, so it is named as such.
    if (to.size == from.size && image.source_md5 && holds_content(target_digest, *image.source_md5)) {
        outcome.problem =
            MediaVerifyProblem{to.key,
                               "not-cleaned",
                               "the target holds the source image with its metadata, not the cleaned image (" +
                                   bytes_text(*image.cleaned_size) + "): sync again to replace it",
                               {}};
        return outcome;
    }
    if (to.size != *image.cleaned_size) {
        outcome.problem = MediaVerifyProblem{to.key,
                                             "size",
                                             bytes_text(to.size) + " in the target, " +
                                                 bytes_text(*image.cleaned_size) + " expected (the source image, " +
                                                 bytes_text(from.size) + ", cleaned of its metadata)",
                                             {}};
    } else {
        outcome.problem =
            MediaVerifyProblem{to.key,
                               "content",
                               "same size (" + bytes_text(to.size) + "), different bytes from the source image cleaned",
                               {}};
    }
    return outcome;
}

// A key only the source holds: missing, unless it is an image the sync
// rightly refused.
KeyOutcome verify_missing(MediaStore& source, const ListedObject& from, const MediaVerifyOptions& options,
                          MemoryBudget& budget, Counters& counters) {
    if (options.strip_metadata && !options.copy_unstrippable) {
        std::string head = source.read_start(from, 64);
        if (sniff_image_format(head) != SniffedFormat::Unknown &&
            examine_image(source, from, head, options, budget, counters).unstrippable) {
            KeyOutcome outcome;
            outcome.unstrippable_absent = true;
            return outcome;
        }
    }
    return problem(from, "missing", "in the source (" + bytes_text(from.size) + "), not in the target");
}

// The keys each expected column names, read before any location is listed,
// so that a misspelt table or column fails at once.
struct ExpectedKeys {
    ExpectedColumn column;
    std::string shown; // as given on the command line
    std::vector<std::string> values;
};

std::vector<ExpectedKeys> read_expected_keys(const MediaVerifyOptions& options) {
    std::vector<ExpectedKeys> expected;
    if (options.expected_columns.empty() != options.database_url.empty()) {
        throw common::Error(
            common::ErrorKind::Usage,
            options.database_url.empty()
                ? "--expect needs --db URL: the database whose rows name the keys"
                : "--db needs at least one --expect TABLE.COLUMN naming the column that holds media keys");
    }
    for (const std::string& text : options.expected_columns) {
        expected.push_back({parse_expected_column(text), text, {}});
    }
    if (expected.empty()) return expected;
    const db::DatabaseAddress address = db::DatabaseAddress::parse(options.database_url);
    for (ExpectedKeys& e : expected) {
        auto values = db::existing_column_values(address, e.column.table, e.column.column);
        if (!values) {
            throw common::Error(common::ErrorKind::Usage,
                                "--expect " + common::printable_text(e.shown, 200) + ": " + address.describe().str() +
                                    " has no column \"" + common::printable_text(e.column.column, 100) +
                                    "\" in a table \"" + common::printable_text(e.column.table, 100) +
                                    "\" (a table without a schema is looked up in public); name an existing "
                                    "TABLE.COLUMN, e.g. wagtailimages_image.file");
        }
        e.values = std::move(*values);
    }
    return expected;
}

} // namespace

MediaVerifyResult run_media_verify(const MediaVerifyOptions& options) {
    const MediaLocation from = parse_location(options.from);
    const MediaLocation to = parse_location(options.to);
    // Read-only: no production-name guardrail; but a location compared with
    // itself or with one inside it compares keys with the wrong keys.
    if (locations_overlap(from, to)) {
        throw db::GuardrailRefusal("refusing to verify " + to.shown() + " against " + from.shown() +
                                   ": one is the other, lies inside it or contains it — name the source and the "
                                   "copy made from it");
    }
    std::vector<ExpectedKeys> expected = read_expected_keys(options);
    std::unique_ptr<MediaStore> source = open_store(from);
    std::unique_ptr<MediaStore> target = open_store(to);
    // A local directory that does not exist lists as empty (a sync creates
    // it); here it is a location that cannot be read.
    for (const MediaLocation* location : {&from, &to}) {
        std::error_code error;
        if (location->kind == MediaLocation::Kind::Local &&
            !std::filesystem::is_directory(location->directory, error)) {
            throw common::Error(common::ErrorKind::Input,
                                "is not a directory that can be read; name the media folder to verify",
                                common::ErrorLocation{location->directory, {}, {}, {}});
        }
    }
    const std::vector<ListedObject> source_objects = source->list();
    const std::vector<ListedObject> target_objects = target->list();

    MediaVerifyResult result;
    result.exact = options.exact;
    result.source_objects = source_objects.size();
    result.target_objects = target_objects.size();
    const VerifyPlan plan = plan_verify(source_objects, target_objects, options.filter);
    result.outside_filter = plan.outside_filter;
    result.compared = plan.both.size();

    // Both kinds of key on `jobs` threads; outcomes land at their index, so
    // the problems come out in key order whatever the threads did.
    const std::size_t work = plan.both.size() + plan.missing.size();
    std::vector<KeyOutcome> outcomes(work);
    MemoryBudget budget(options.image_memory_budget);
    Counters counters;
    run_on_threads(work, options.jobs, [&](std::size_t i) {
        const ListedObject& key_object =
            i < plan.both.size() ? *plan.both[i].source : *plan.missing[i - plan.both.size()];
        try {
            common::throw_if_interrupted(to.shown());
            outcomes[i] = i < plan.both.size() ? verify_pair(*source, *target, *plan.both[i].source,
                                                             *plan.both[i].target, options, budget, counters)
                                               : verify_missing(*source, key_object, options, budget, counters);
        } catch (common::Error& error) {
            error.add_context("key " + common::printable_text(key_object.key, 200));
            throw;
        }
    });
    result.objects_read = counters.objects_read.load();
    result.bytes_read = counters.bytes_read.load();
    std::vector<MediaVerifyProblem> problems;
    for (KeyOutcome& outcome : outcomes) {
        if (outcome.matched) ++result.matching;
        if (outcome.cleaned) ++result.images_cleaned;
        if (outcome.unstrippable_absent) ++result.unstrippable_absent;
        if (outcome.problem) problems.push_back(std::move(*outcome.problem));
    }
    std::stable_sort(problems.begin(), problems.end(), [](const auto& a, const auto& b) { return a.key < b.key; });
    result.problems = std::move(problems);
    for (const ListedObject* object : plan.extra) {
        result.extras.push_back({object->key,
                                 "extra",
                                 "only in the target (" + bytes_text(object->size) + ")" +
                                     (options.exact ? "" : "; allowed without --exact"),
                                 {}});
    }
    // The database's keys are relative to DST's location, like the listing,
    // and checked against all of it: the filter chooses what is compared with
    // the source, not which rows the site serves.
    for (const ExpectedKeys& e : expected) {
        std::vector<std::string> absent = keys_not_in(e.values, target_objects);
        MediaVerifyResult::ExpectedColumn summary{e.shown, 0, absent.size()};
        for (const std::string& value : e.values) summary.keys += value.empty() ? 0 : 1;
        result.expected.push_back(summary);
        for (std::string& key : absent) {
            result.problems.push_back({std::move(key), "expected-missing",
                                       "named by " + e.shown + " in the database, not in the target", e.shown});
        }
    }
    return result;
}

std::string format_media_verify(const MediaVerifyResult& result, const MediaVerifyOptions& options) {
    (void)options;
    std::string out;
    auto line = [&](const MediaVerifyProblem& p) {
        out += p.kind + " " + common::printable_text(p.key, 400) + ": " + p.detail + "\n";
    };
    for (const MediaVerifyProblem& p : result.problems) line(p);
    for (const MediaVerifyProblem& p : result.extras) line(p);
    std::uint64_t missing = 0, differ = 0, unstrippable = 0, expected = 0;
    for (const MediaVerifyProblem& p : result.problems) {
        if (p.kind == "missing")
            ++missing;
        else if (p.kind == "unstrippable")
            ++unstrippable;
        else if (p.kind == "expected-missing")
            ++expected;
        else
            ++differ;
    }
    out += "pgscrub media verify: " + std::to_string(result.source_objects) + " source objects, " +
           std::to_string(result.outside_filter) + " outside the filter; " + std::to_string(result.target_objects) +
           " target objects; " + std::to_string(result.compared) + " compared, " + std::to_string(result.matching) +
           " match (" + std::to_string(result.images_cleaned) + " images compared cleaned); " +
           std::to_string(missing) + " missing, " + std::to_string(differ) + " differ, " +
           std::to_string(unstrippable) + " uncleanable images present, " + std::to_string(result.unstrippable_absent) +
           " uncleanable images rightly absent, " + std::to_string(result.extras.size()) + " only in the target" +
           (result.exact ? "" : " (allowed)");
    if (!result.expected.empty()) out += ", " + std::to_string(expected) + " database keys missing";
    out += std::string(result.ok() ? ": OK" : ": DIFFERENCES FOUND") + "\n";
    return out;
}

std::string media_verify_report_json(const MediaVerifyResult& result, const MediaVerifyOptions& options) {
    common::JsonWriter json(2);
    auto problem_object = [&](const MediaVerifyProblem& p) {
        json.begin_object().key("key").value(p.key).key("kind").value(p.kind).key("detail").value(p.detail);
        if (!p.column.empty()) json.key("column").value(p.column);
        json.end_object();
    };
    json.begin_object();
    json.key("from").value(parse_location(options.from).shown());
    json.key("to").value(parse_location(options.to).shown());
    json.key("strip_metadata").value(options.strip_metadata);
    json.key("unstrippable").value(options.copy_unstrippable ? "copy" : "refuse");
    json.key("exact").value(options.exact);
    json.key("ok").value(result.ok());
    json.key("source_objects").value(result.source_objects);
    json.key("outside_filter").value(result.outside_filter);
    json.key("target_objects").value(result.target_objects);
    json.key("compared").value(result.compared);
    json.key("matching").value(result.matching);
    json.key("images_compared_cleaned").value(result.images_cleaned);
    json.key("unstrippable_absent").value(result.unstrippable_absent);
    json.key("objects_read").value(result.objects_read);
    json.key("bytes_read").value(result.bytes_read);
    json.key("problems").begin_array();
    for (const MediaVerifyProblem& p : result.problems) problem_object(p);
    json.end_array();
    json.key("only_in_target").begin_array();
    for (const MediaVerifyProblem& p : result.extras) problem_object(p);
    json.end_array();
    json.key("expected").begin_array();
    for (const auto& e : result.expected) {
        json.begin_object().key("column").value(e.column).key("keys").value(e.keys).key("missing").value(e.missing);
        json.end_object();
    }
    json.end_array();
    json.end_object();
    return json.text() + "\n";
}

} // namespace pgscrub::media

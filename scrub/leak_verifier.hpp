#pragma once
// `scrub --verify`: proof that no value the rules replaced survives anywhere
// in the output.
//
// While scrubbing, every value a transform changed is explored into pieces
// (anonymise/value_pieces.hpp: the value, its JSON leaves or array elements,
// the personal-data tokens inside) and each distinctive piece the output
// value no longer holds is remembered as a keyed fingerprint with its source
// column. Once the output is complete, and before it is given its final
// name, it is read back and every field of every table (text-bearing types)
// is explored the same way and looked up: a hit is an original that
// survived, in the same column or in any other table.
//
// Two kinds of names are left out, so that a failure means a copy and not a
// coincidence: a lone given or family name from pgscrub's name lists (Ann,
// Summer, Smith) is not remembered — alone it identifies nobody and equals
// many tags and titles; and in a column the rules transform, a value the
// name fakes could have written ("Maria Garcia") is not counted, since
// fake_name writes such values.

#include "anonymise/fingerprint.hpp"
#include "anonymise/value_pieces.hpp"
#include "rules/rules_file.hpp"
#include "rules/scrub_plan.hpp"
#include "scrub/copy_stream_rewriter.hpp"
#include "scrub/original_values.hpp"
#include "scrub/scan.hpp"

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <tuple>
#include <vector>

namespace pgscrub::scrub {

struct Survivor {
    std::string found_in;  // schema.table.column of the output
    std::string where;     // "value", "JSON leaf", "array element", "email in text", ...
    std::uint64_t first_row = 0; // 0 in SQL text, which has no rows
    std::uint64_t count = 0;
    std::string source;    // schema.table.column the original came from
};

struct VerifyResult {
    bool passed = true;
    std::uint64_t originals_remembered = 0;
    std::uint64_t memory_bytes = 0;
    std::uint64_t fields_checked = 0; // output fields read back
    std::uint64_t pieces_checked = 0; // values, leaves, elements and tokens looked up
    std::vector<Survivor> survivors;  // grouped by where found and source
    double seconds = 0;               // the read-back
    ScanResult output_scan;           // personal data the detectors see in the output
};

class LeakVerifier {
public:
    explicit LeakVerifier(std::uint64_t memory_limit_bytes);
    ~LeakVerifier();

    // An observer for one transformed table's rewriter: remembers the
    // originals of the columns `plan` transforms. `types`: per COPY column
    // ("" when unknown), to tell array literals from JSON.
    std::unique_ptr<ValueChangeObserver> observe(const rules::TablePlan& plan, const std::vector<std::string>& types);

    // Reads back the completed output at `path` (file or directory, any
    // format) and checks every field against the remembered originals.
    VerifyResult check(const std::string& path, const rules::RulesFile& rules);

    std::uint64_t originals_remembered() const { return index_.size(); }

private:
    class Remember;
    class ReadBack;
    std::uint32_t source_id(const std::string& column);

    anonymise::Fingerprinter fingerprint_;
    OriginalValueIndex index_;
    std::vector<std::string> sources_;
};

// "public.x.y (JSON leaf, row 3; 2 rows) holds a value of public.auth_user.email"
std::string describe_survivor(const Survivor& survivor);

} // namespace pgscrub::scrub

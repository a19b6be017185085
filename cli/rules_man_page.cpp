// pgscrub-rules(5): the rules file, version 1. The format's prose is held
// here as a template taken from docs/rules.md (the specs do not hold it);
// the TRANSFORMS section is generated from the transform registry, as
// `pgscrub transforms` and docs/transforms.md are.

#include "anonymise/transform_registry.hpp"
#include "cli/man_pages.hpp"
#include "cli/roff.hpp"
#include "common/version.hpp"

#include <iterator>

namespace pgscrub::cli {

namespace {

constexpr const char* kExample = R"(version: 1
secret_env: PGSCRUB_SECRET
unlisted_tables: fail        # fail | keep | truncate
unlisted_columns: fail       # fail | keep | null

tables:
  auth_user:                 # bare name = schema public
    keep: [id, last_login, is_staff, is_active, date_joined]
    columns:
      password: {transform: set, value: "!"}
      username: {transform: pseudonym, prefix: "user_"}
      email: fake_email      # a transform without parameters
      first_name: fake_first_name
  django_session: truncate   # keep the table, drop its rows
  wagtailcore_page: {keep: all, reviewed: "published pages only"}
  wagtailforms_formsubmission:
    keep: [id, submit_time, page_id]
    columns:
      form_data:
        transform: json
        paths:
          $.email_address: fake_email
        others: redact
)";

struct Item {
    const char* term;     // roff-free text, shown in bold
    const char* markdown; // its meaning
};

// docs/rules.md "Top-level keys".
constexpr Item kTopLevelKeys[] = {
    {"version", "required; `1`"},
    {"secret_env",
     "the environment variable holding the key for deterministic pseudonyms (default `PGSCRUB_SECRET`); "
     "`scrub --secret-file FILE` reads it from a file instead. `scrub` refuses to run without a key of at least 16 "
     "bytes (`openssl rand -hex 32` makes one). The key is never written to output, logs or reports."},
    {"unlisted_tables",
     "a table with data that no rule names: `fail` stops the run naming the table (an unreviewed table is never "
     "copied silently), `keep` copies it, `truncate` keeps the table and drops its rows"},
    {"unlisted_columns",
     "a column of a listed table that no rule names: `fail` stops the run naming the column (a column added by a "
     "migration and not yet reviewed), `keep`, or `null`"},
    {"large_objects",
     "the dump's large objects: `keep` copies them unchanged (review them first: `pgscrub scan` looks inside them), "
     "`drop` leaves them and their comments, labels and grants out, and the result still restores. When absent they "
     "follow `unlisted_tables`: `fail` stops a dump that has any (exit 2); `keep` keeps them; `truncate` drops them."},
    {"tables", "a mapping from table name to rule (below)"},
};

// docs/rules.md "Table rules".
constexpr Item kTableRules[] = {
    {"keep", "the data is copied unchanged (without decompressing where the output allows)"},
    {"truncate", "the table is created on restore but gets no rows"},
    {"a mapping",
     "`keep: [columns...]` lists columns copied unchanged; `columns:` maps each other column to a transform. Each "
     "column is named once. A `keep:` or `columns:` with nothing under it is an empty list."},
    {"{keep: all, reviewed: \"reason\"}", "the whole table kept, and a reviewer confirmed it (REVIEWED below)"},
};

constexpr const char* kTableNames =
    "A bare name is in schema `public`; otherwise `schema.table`, split at the first dot. Names are as stored in the "
    "database: case and spaces are kept (`CRM.Newsletter Signup`). A rule on a partitioned table or an inheritance "
    "parent applies to every child's data (a child's own rule, if it has one, wins).";

constexpr const char* kReviewed =
    "`pgscrub scan -r RULES` classes each finding of personal data by what the rules do to its column: in a kept "
    "column it is *kept*, and fails the audit until a reviewer confirms it with a reason.\n\n"
    "`reviewed:` goes on a keep entry written as `{column: NAME, reviewed: \"...\"}`, on a column rule "
    "`{transform: keep, reviewed: \"...\"}`, or on a table's mapping (it then covers every column that rule keeps). "
    "The reason must not be empty; `reviewed:` on a transformed column is an error. A confirmed finding is still "
    "listed by `scan`, marked `[confirmed: reason]`, and does not make it exit 1. `scrub --verify` does not consult "
    "`reviewed:`.";

constexpr const char* kTransformsIntro =
    "A transform is written as its name (`email: fake_email`), as a mapping with `transform:` and its parameters "
    "(`{transform: mask, keep_start: 1}`), or as YAML `null` for the `null` transform.\n\n"
    "Keyed transforms are deterministic: they use HMAC-SHA256 under the key named by `secret_env` (or "
    "`--secret-file`), so the same value gives the same output in every table, column, JSON leaf and array element, "
    "and joins on personal values survive; a different key gives unrelated output. Every transform except `null` and "
    "`set` keeps NULL as NULL. Text output is always valid UTF-8.\n\n"
    "*Unique-safe* transforms keep distinct values distinct, so they may be used on a column under a UNIQUE "
    "constraint; `pgscrub check` refuses the others there, and those that do not fit a column's type.";

constexpr const char* kChecking =
    "`pgscrub check -r RULES` reports every problem at once, each as `FILE:LINE:COL: error: what is wrong`, with "
    "\"did you mean\" for misspelt transforms, parameters, tables and columns, and exits 2. `pgscrub check -r RULES "
    "--dump IN` also reports, and exits 1 for, tables and columns that no rule covers, `null` on NOT NULL columns, "
    "transforms that can merge values on UNIQUE columns, and transforms that do not fit a column's type.";

constexpr const char* kPresets =
    "Wherever a rules file is named (`-r`, `rules:` in a run file), `preset:NAME` names a reviewed rules file "
    "shipped with pgscrub: `preset:wagtail` (Django's and Wagtail's tables) and `preset:django-axes` (django-axes' "
    "login attempts; copy its `tables:` next to the Wagtail preset's). They are `share/pgscrub/presets/NAME.yaml` "
    "beside the binary's `bin/` (`/usr/share/pgscrub/presets` from the package), found from the running binary. "
    "`pgscrub check -r preset:wagtail` prints the file's path: copy it to adapt it.";

std::string items(const Item* begin, const Item* end) {
    std::string text;
    for (const Item* i = begin; i != end; ++i)
        text += roff::tagged("\\fB" + roff::escape(i->term) + "\\fR", roff::inline_markdown(i->markdown));
    return text;
}

std::string accepted_types(const anonymise::TransformSpec& spec) {
    if (spec.accepts.empty()) return "any column type";
    std::string text;
    for (anonymise::TypeFamily f : spec.accepts)
        text += (text.empty() ? "" : ", ") + std::string(anonymise::type_family_name(f));
    return text;
}

std::string parameter_roff(const anonymise::ParamSpec& p) {
    std::string type = anonymise::param_type_name(p.type);
    if (p.type == anonymise::ParamType::Integer && p.min_value && p.max_value)
        type += " " + std::to_string(*p.min_value) + " to " + std::to_string(*p.max_value);
    std::string tag = "\\fB" + roff::escape(p.name) + "\\fR (" + roff::escape(type) +
                      (p.required                ? ", required"
                       : p.default_value.empty() ? ""
                                                 : ", default \\fB" + roff::escape(p.default_value) + "\\fR") +
                      ")";
    return roff::tagged(tag, roff::inline_markdown(p.summary));
}

std::string transform_roff(const anonymise::TransformSpec& spec) {
    std::string text = ".SS " + roff::escape(spec.name) + "\n" + roff::inline_markdown(spec.summary) +
                       (spec.summary.ends_with('.') ? "\n" : ".\n");
    text += roff::markdown(spec.details);
    text += ".PP\n" +
            roff::escape("Column types: " + accepted_types(spec) + ". Unique-safe: " + (spec.injective ? "yes" : "no") +
                         ".") +
            "\n";
    if (!spec.params.empty()) {
        text += ".PP\nParameters:\n";
        for (const anonymise::ParamSpec& p : spec.params) text += parameter_roff(p);
    }
    text += ".PP\nExample:\n.RS 4\n.nf\n" + roff::escape("columns:\n  some_column: " + spec.example) + "\n.fi\n.RE\n";
    return text;
}

} // namespace

ManPage rules_man_page() {
    ManPage page{"pgscrub-rules", 5, ""};
    std::string& t = page.text;
    t += roff::title(page.name, 5, version_string());
    t += ".SH NAME\npgscrub\\-rules \\- the rules file of pgscrub, version 1\n";
    t += ".SH DESCRIPTION\n" +
         roff::inline_markdown("A rules file says, table by table and column by column, what happens to the data of a "
                               "`pg_dump` archive. It is YAML; version 1 of the format is fixed, and other tools write "
                               "files in it. `pgscrub scrub`, `preview`, `check`, `scan` and `run` read it with "
                               "`-r RULES`.") +
         "\n.PP\n.RS 4\n.nf\n" + roff::escape(kExample) + ".fi\n.RE\n";
    t += ".SH \"TOP-LEVEL KEYS\"\n" + items(std::begin(kTopLevelKeys), std::end(kTopLevelKeys));
    t += ".SH \"TABLE NAMES\"\n" + roff::markdown(kTableNames);
    t += ".SH \"TABLE RULES\"\n" + items(std::begin(kTableRules), std::end(kTableRules));
    t += ".SH REVIEWED\n" + roff::markdown(kReviewed);
    t += ".SH TRANSFORMS\n" + roff::markdown(kTransformsIntro);
    for (const anonymise::TransformSpec& spec : anonymise::transform_registry()) t += transform_roff(spec);
    t += ".SH PRESETS\n" + roff::markdown(kPresets);
    t += ".SH \"CHECKING A RULES FILE\"\n" + roff::markdown(kChecking);
    t += ".SH \"SEE ALSO\"\n\\fBpgscrub\\fR(1), \\fBpgscrub\\-check\\fR(1), \\fBpgscrub\\-scrub\\fR(1), "
         "\\fBpgscrub\\-transforms\\fR(1), \\fBpgscrub\\-scan\\fR(1)\n";
    return page;
}

} // namespace pgscrub::cli

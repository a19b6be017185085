// pgscrub(1) and pgscrub-COMMAND(1) from the command specs (cli/man_pages.hpp).

#include "cli/man_pages.hpp"

#include "cli/roff.hpp"
#include "common/byte_stream.hpp"
#include "common/error.hpp"
#include "common/version.hpp"

#include <filesystem>
#include <map>
#include <vector>

namespace pgscrub::cli {

namespace {

// A spec's text with its '\n' continuation lines joined: the pager fills them.
std::string joined(std::string text) {
    for (char& c : text)
        if (c == '\n') c = ' ';
    return text;
}

// "\fB\-r\fR, \fB\-\-rules\fR \fIRULES\fR"
std::string option_tag(const OptionSpec& o) {
    std::string tag;
    if (o.short_name) tag += "\\fB" + roff::escape(std::string("-") + o.short_name) + "\\fR, ";
    tag += "\\fB" + roff::escape("--" + o.long_name) + "\\fR";
    if (o.kind != ValueKind::Flag) tag += " \\fI" + roff::escape(o.placeholder()) + "\\fR";
    return tag;
}

std::string option_body(const OptionSpec& o) {
    std::string body = o.doc.empty() ? roff::escape(joined(o.help)) : roff::inline_markdown(joined(o.doc));
    std::string note = value_note(o);
    if (!note.empty()) body += roff::escape(note);
    // The choices, unless the text already names each of them.
    bool named = true;
    for (const std::string& c : o.choices) named = named && body.find(roff::escape(c)) != std::string::npos;
    if (o.kind == ValueKind::Choice && !o.value_name.empty() && !named) {
        std::string choices;
        for (const std::string& c : o.choices)
            choices += (choices.empty() ? "" : ", ") + ("\\fB" + roff::escape(c) + "\\fR");
        body += ".\n" + roff::escape(o.placeholder()) + " is one of " + choices;
    }
    return body + "\n";
}

// The synopsis as --help shows it, continuation lines kept (unfilled); a
// line too long for an 80-column terminal is broken between bracketed
// groups, as the specs break their own.
std::string synopsis_roff(const CommandSpec& spec) {
    constexpr std::size_t kWidth = 70; // 80 columns less the section indent
    std::vector<std::string> words;    // the synopsis split at spaces outside brackets
    std::string word;
    int depth = 0;
    for (char c : spec.synopsis) {
        if (c == '[') ++depth;
        if (c == ']') --depth;
        if ((c == ' ' || c == '\n') && depth <= 0) {
            if (!word.empty()) words.push_back(word);
            word.clear();
        } else {
            word += c;
        }
    }
    if (!word.empty()) words.push_back(word);
    std::string text = ".nf\n\\fBpgscrub\\fR", line = "pgscrub";
    for (const std::string& w : words) {
        if (line.size() + 1 + w.size() > kWidth && line.size() > 8) {
            text += "\n        ";
            line = "       ";
        }
        text += " " + roff::escape(w);
        line += " " + w;
    }
    return text + "\n.fi\n";
}

std::string page_ref(const std::string& name, int section) {
    return "\\fB" + roff::escape(name) + "\\fR(" + std::to_string(section) + ")";
}

bool has_option(const CommandSpec& spec, const std::string& name) {
    for (const OptionSpec& o : spec.options)
        if (o.long_name == name) return true;
    return false;
}

std::string environment_roff() {
    return ".SH ENVIRONMENT\n" +
           roff::tagged(
               "\\fBPGSCRUB_SECRET\\fR",
               roff::escape("the key for the keyed transforms, at least 16 bytes (openssl rand -hex 32 makes one); the "
                            "rules file's secret_env names another variable, --secret-file FILE reads it from a file. "
                            "It is never written to output, logs or reports."));
}

} // namespace

std::string man_page_name(const CommandSpec& spec) {
    std::string name = "pgscrub-" + spec.name;
    for (char& c : name)
        if (c == ' ') c = '-';
    return name;
}

std::string exit_status_roff() {
    std::map<int, std::string> meanings{{0, "success"}, {1, "a check, scan or verification found problems"}};
    for (const common::ErrorKindInfo& kind : common::error_kinds()) {
        std::string& meaning = meanings[kind.exit_code()];
        meaning += (meaning.empty() ? "" : "; ") + std::string(kind.meaning);
    }
    std::string text = ".SH \"EXIT STATUS\"\n";
    for (const auto& [code, meaning] : meanings)
        text += roff::tagged("\\fB" + std::to_string(code) + "\\fR", roff::escape(meaning));
    return text;
}

ManPage command_man_page(const CommandSpec& spec) {
    ManPage page{man_page_name(spec), 1, ""};
    std::string& t = page.text;
    t += roff::title(page.name, 1, version_string());
    t += ".SH NAME\n" + roff::escape(page.name) + " \\- " + roff::escape(spec.brief) + "\n";
    t += ".SH SYNOPSIS\n" + synopsis_roff(spec);
    t += ".SH DESCRIPTION\n" + roff::escape(joined(spec.summary)) + "\n";
    t += ".SH OPTIONS\n";
    for (const OptionSpec& o : spec.options) t += roff::tagged(option_tag(o), option_body(o));
    t += roff::tagged(option_tag(help_option()), option_body(help_option()));
    t += exit_status_roff();
    if (has_option(spec, "secret-file")) t += environment_roff();
    t += ".SH \"SEE ALSO\"\n" + page_ref("pgscrub", 1);
    if (has_option(spec, "rules") || has_option(spec, "secret-file")) t += ",\n" + page_ref("pgscrub-rules", 5);
    // The other commands of a group ("media sync" and "media verify").
    if (auto space = spec.name.find(' '); space != std::string::npos) {
        for (const Command& c : all_commands()) {
            if (c.spec->name != spec.name && c.spec->name.starts_with(spec.name.substr(0, space + 1)))
                t += ",\n" + page_ref(man_page_name(*c.spec), 1);
        }
    }
    t += "\n";
    return page;
}

ManPage main_man_page() {
    ManPage page{"pgscrub", 1, ""};
    std::string& t = page.text;
    t += roff::title("pgscrub", 1, version_string());
    t += ".SH NAME\npgscrub \\- scrub personal data from pg_dump archives\n";
    t += ".SH SYNOPSIS\n.nf\n\\fBpgscrub\\fR \\fICOMMAND\\fR [\\fIOPTIONS\\fR]\n\\fBpgscrub\\fR \\fICOMMAND\\fR "
         "\\fB\\-\\-help\\fR\n"
         "\\fBpgscrub\\fR \\fB\\-\\-version\\fR\n.fi\n";
    t += ".SH DESCRIPTION\n" +
         roff::escape(
             "pgscrub streams a pg_dump archive (custom, directory, tar or plain format), rewrites the personal "
             "data in its tables by the rules of a rules file, and writes an archive that stock pg_restore "
             "restores. It also checks rules files against dumps, scans dumps and databases for personal data "
             "the rules miss, backs up and restores databases with guardrails, runs a whole refresh from a run "
             "file, and copies media (directories or S3) with image metadata removed.") +
         "\n.PP\n" +
         roff::escape("Messages go to stderr, one line each, naming the file, byte offset and TOC entry involved; data "
                      "goes to stdout. No secret or personal value is ever printed.") +
         "\n";
    t += ".SH COMMANDS\n";
    for (const Command& c : all_commands()) {
        t += roff::tagged("\\fB" + roff::escape(c.spec->name) + "\\fR",
                          roff::escape(c.spec->brief) + "; see " + page_ref(man_page_name(*c.spec), 1) + ".");
    }
    t += exit_status_roff() + environment_roff();
    t += ".SH \"SEE ALSO\"\n";
    for (const Command& c : all_commands()) t += page_ref(man_page_name(*c.spec), 1) + ",\n";
    t += page_ref("pgscrub-rules", 5) + ",\n" + page_ref("pg_dump", 1) + ",\n" + page_ref("pg_restore", 1) + "\n";
    return page;
}

std::vector<ManPage> all_man_pages() {
    std::vector<ManPage> pages{main_man_page()};
    for (const Command& c : all_commands()) pages.push_back(command_man_page(*c.spec));
    pages.push_back(rules_man_page());
    return pages;
}

std::size_t write_man_pages(const std::string& dir) {
    std::vector<ManPage> pages = all_man_pages();
    for (const ManPage& page : pages) {
        std::filesystem::path section = std::filesystem::path(dir) / ("man" + std::to_string(page.section));
        std::error_code error;
        std::filesystem::create_directories(section, error);
        if (error) {
            throw common::Error(common::ErrorKind::Output,
                                section.string() + ": cannot create the directory: " + error.message());
        }
        common::write_whole_file((section / page.file_name()).string(), page.text);
    }
    return pages.size();
}

} // namespace pgscrub::cli

#include "common/error.hpp"

#include <array>
#include <cstdio>

namespace pgscrub::common {

namespace {

constexpr std::array<ErrorKindInfo, 9> kKinds{{
    {ErrorKind::Usage, "usage", "a wrong command line"},
    {ErrorKind::Rules, "rules", "an error in the rules file or run file (each printed as FILE:LINE:COL: error: …)"},
    {ErrorKind::Refused, "refused", "a guardrail refused: nothing was touched"},
    {ErrorKind::Input, "input", "a corrupt, truncated or unreadable dump or input file"},
    {ErrorKind::Output, "output", "an output that cannot be written (a full disk, no permission)"},
    {ErrorKind::Database, "database", "a database that cannot be reached, or a statement or pg_dump/pg_restore that fails"},
    {ErrorKind::Network, "network", "an HTTP server or Redis that fails, stalls or refuses"},
    {ErrorKind::Interrupted, "interrupted", "Ctrl-C, SIGTERM or SIGHUP; partial output removed"},
    {ErrorKind::Internal, "internal", "a bug in pgscrub (please report it with the message)"},
}};

} // namespace

std::span<const ErrorKindInfo> error_kinds() { return kKinds; }

const ErrorKindInfo& error_kind_info(ErrorKind kind) { return kKinds[static_cast<std::size_t>(kind)]; }

std::string printable_text(std::string_view text, std::size_t max_bytes) {
    std::string out;
    for (std::size_t i = 0; i < text.size() && out.size() < max_bytes;) {
        auto c = static_cast<unsigned char>(text[i]);
        std::size_t length = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xe ? 3 : (c >> 3) == 0x1e ? 4 : 0;
        bool valid = length > 0 && i + length <= text.size();
        for (std::size_t k = 1; valid && k < length; ++k) valid = (static_cast<unsigned char>(text[i + k]) & 0xc0) == 0x80;
        if (!valid || c < 0x20 || c == 0x7f) {
            char escaped[8];
            std::snprintf(escaped, sizeof escaped, "\\x%02x", c);
            out += escaped;
            ++i;
            continue;
        }
        out.append(text.substr(i, length));
        i += length;
    }
    if (out.size() >= max_bytes) out += "...";
    return out;
}

std::string Error::describe() const {
    std::string text;
    for (const std::string& frame : context_) text += frame + ": ";
    if (!location_.file.empty()) text += location_.file + ": ";
    if (location_.offset) text += "offset " + std::to_string(*location_.offset) + ": ";
    std::string name = printable_text(location_.entry_name);
    if (location_.dump_id) {
        text += "TOC entry " + std::to_string(*location_.dump_id);
        if (!name.empty()) text += " (" + name + ")";
        text += ": ";
    } else if (!name.empty()) {
        text += name + ": ";
    }
    return text + what();
}

Failure describe_failure(std::exception_ptr failure, const std::string& prefix) {
    try {
        std::rethrow_exception(failure);
    } catch (const Error& e) {
        return {exit_code(e.kind()), {prefix + e.describe()}};
    } catch (const std::bad_alloc&) {
        return {exit_code(ErrorKind::Input), {prefix + "out of memory"}};
    } catch (const std::exception& e) {
        // Everything pgscrub expects is a common::Error: this is a bug. Said
        // plainly, with its own documented code, rather than aborting.
        return {exit_code(ErrorKind::Internal), {prefix + "internal error: " + printable_text(e.what(), 300) + " — please report it"}};
    } catch (...) {
        return {exit_code(ErrorKind::Internal), {prefix + "internal error: an exception of unknown type — please report it"}};
    }
}

void rethrow_with(Error& error, const ErrorLocation& outer) {
    ErrorLocation& where = error.location();
    const bool same_file = where.file.empty() || where.file == outer.file;
    if (where.file.empty()) where.file = outer.file;
    if (!where.offset && same_file) where.offset = outer.offset;
    if (!where.dump_id) where.dump_id = outer.dump_id;
    if (where.entry_name.empty()) where.entry_name = outer.entry_name;
    throw;
}

} // namespace pgscrub::common

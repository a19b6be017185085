// common/error: one error type whose kind decides the exit code, locations
// that belong to their file, context frames, and the last-resort mapping
// that turns anything else into an internal error instead of an abort.

#include "common/error.hpp"
#include "common/interrupts.hpp"

#include <catch2/catch.hpp>

#include <fstream>
#include <iterator>
#include <new>
#include <set>
#include <stdexcept>
#include <string>

using namespace pgscrub::common;

TEST_CASE("error kinds: every kind once, with the documented exit codes", "[common][error]") {
    std::set<int> seen;
    for (const ErrorKindInfo& info : error_kinds()) {
        CHECK(seen.insert(static_cast<int>(info.kind)).second);
        CHECK(&error_kind_info(info.kind) == &info);
        CHECK(std::string(info.meaning).size() > 10);
    }
    CHECK(seen.size() == 9);
    CHECK(exit_code(ErrorKind::Usage) == 2);
    CHECK(exit_code(ErrorKind::Rules) == 2);
    CHECK(exit_code(ErrorKind::Refused) == 2);
    for (ErrorKind k : {ErrorKind::Input, ErrorKind::Output, ErrorKind::Database, ErrorKind::Network, ErrorKind::Interrupted})
        CHECK(exit_code(k) == 3);
    CHECK(exit_code(ErrorKind::Internal) == 4);
}

TEST_CASE("errors: location, context frames and rethrow_with", "[common][error]") {
    Error error(ErrorKind::Input, "corrupt gzip data", ErrorLocation{"prod.dump", 28654, 3404, "TABLE DATA public.people"});
    error.add_context("step restore");
    error.add_context("run reset.yaml");
    CHECK(error.describe() ==
          "run reset.yaml: step restore: prod.dump: offset 28654: TOC entry 3404 (TABLE DATA public.people): corrupt gzip data");

    // rethrow_with fills in what the inner layer did not know and keeps the type.
    struct Derived : Error {
        Derived() : Error(ErrorKind::Output, "write failed", ErrorLocation{"out.dump", 100, {}, {}}) {}
    };
    try {
        try {
            throw Derived();
        } catch (Error& e) {
            rethrow_with(e, ErrorLocation{"in.dump", 5, 7, "TABLE DATA public.t"});
        }
    } catch (const Derived& e) {
        // An offset belongs to its file: the output's stays, the input's is not borrowed.
        CHECK(e.describe() == "out.dump: offset 100: TOC entry 7 (TABLE DATA public.t): write failed");
    } catch (...) {
        FAIL("rethrow_with changed the exception's type");
    }
    try {
        try {
            throw Error(ErrorKind::Input, "bad block");
        } catch (Error& e) {
            rethrow_with(e, ErrorLocation{"in.dump", 5, {}, {}});
        }
    } catch (const Error& e) {
        CHECK(e.describe() == "in.dump: offset 5: bad block");
    }
}

TEST_CASE("printable_text escapes control bytes and invalid UTF-8, and bounds the text", "[common][error]") {
    CHECK(printable_text("ann\n\tb\xff\xc3\xa9") == "ann\\x0a\\x09b\\xffé");
    CHECK(printable_text(std::string(200, 'x'), 10) == std::string(10, 'x') + "...");
}

TEST_CASE("describe_failure: every exception gets one line and its exit code", "[common][error]") {
    auto of = [](auto thrown) {
        try {
            throw thrown;
        } catch (...) {
            return describe_failure(std::current_exception(), "pgscrub scrub: ");
        }
    };
    Failure known = of(Error(ErrorKind::Network, "download failed", ErrorLocation{"https://x/***", {}, {}, {}}));
    CHECK(known.exit_code == 3);
    CHECK(known.lines == std::vector<std::string>{"pgscrub scrub: https://x/***: download failed"});

    Failure bug = of(std::logic_error("vector::_M_range_check: __n (which is 3)\nsecond line"));
    CHECK(bug.exit_code == 4);
    REQUIRE(bug.lines.size() == 1);
    CHECK(bug.lines[0] == "pgscrub scrub: internal error: vector::_M_range_check: __n (which is 3)\\x0asecond line — please report it");

    CHECK(of(std::bad_alloc()).exit_code == 3);
    CHECK(of(42).exit_code == 4);
    CHECK(of(42).lines[0] == "pgscrub scrub: internal error: an exception of unknown type — please report it");

    simulate_interrupt(15);
    Failure stopped = [] {
        try {
            throw_if_interrupted("out.dump");
        } catch (...) {
            return describe_failure(std::current_exception(), "");
        }
        return Failure{};
    }();
    simulate_interrupt(0);
    CHECK(stopped.exit_code == 3);
    CHECK(stopped.lines == std::vector<std::string>{"out.dump: interrupted by signal 15; partial output removed"});
}

TEST_CASE("docs/commands.md documents every exit code an error kind has", "[common][error][docs]") {
    std::ifstream in(std::string(PGSCRUB_SOURCE_DIR) + "/docs/commands.md");
    const std::string doc{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
    REQUIRE(!doc.empty());
    for (const ErrorKindInfo& info : error_kinds())
        CHECK(doc.find("\n| " + std::to_string(info.exit_code()) + " | ") != std::string::npos);
}

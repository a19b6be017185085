#pragma once
// The one masker: every address, URL, command line and foreign message that
// pgscrub prints, logs, reports or puts in an error goes through it, and what
// comes out is a ShownText — a type only this masker makes. Code that names a
// place in an error (common::Error, db::DatabaseError) takes a ShownText, so
// an address with its password cannot reach a message by accident: it does
// not compile. "No secret is ever printed" then depends on types, not on each
// author picking the right function.
//
// Two forms, one scanner:
//  - shown_url(): a URL as a *location* — an input, a Redis server, a page to
//    check. Scheme, host, port and path are kept; user info, query string and
//    fragment become *** (a signed S3 URL keeps its credentials in the query).
//  - mask_secrets(): any text — a database address (URL or libpq conninfo), a
//    command line, a child's stderr, a server's reply. Only the secrets go:
//    the password of a postgresql:// URL's user info, the value of every
//    password-like key (password=, sslpassword=, token=, X-Amz-Signature= …,
//    in a conninfo or a query string), every other URL as shown_url() shows
//    it, and the secrets the caller knows by value (KnownSecrets) wherever
//    they appear verbatim.
// The promise it keeps: docs/commands.md ("The URL is masked in every
// message") and docs/runbook.md ("Passwords never appear in output").

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace pgscrub::common {

class ShownText;
class KnownSecrets;

// A URL as a location: user info replaced by "***", a non-empty query by
// "?***", a non-empty fragment by "#***":
//   https://user:pw@host:8443/b/site.dump?X-Amz-Signature=abc
//   -> https://***@host:8443/b/site.dump?***
// Text without a "scheme://" prefix (a file name, "-") is returned unchanged.
// A URL whose authority cannot be parsed, or with an '@' after its authority
// (the rest of a password holding a raw '/', '?' or '#'), shows only its
// scheme: "https://***".
ShownText shown_url(std::string_view text);

// `text` with every secret masked (see above); the rest as it was, so a
// database address stays recognisable:
//   postgresql://app:pw@db:5432/x?sslmode=require -> postgresql://app:***@db:5432/x?sslmode=require
//   host=db password='it''s' user=app             -> host=db password=*** user=app
ShownText mask_secrets(std::string_view text, const KnownSecrets& known);
ShownText mask_secrets(std::string_view text);

// Text that has been through the masker: safe to print, log, report, or name
// in an error. Only shown_url() and mask_secrets() make one; reading it back
// as a string is free.
class ShownText {
public:
    ShownText() = default;
    const std::string& str() const noexcept { return text_; }
    const char* c_str() const noexcept { return text_.c_str(); }
    bool empty() const noexcept { return text_.empty(); }

    friend bool operator==(const ShownText&, const ShownText&) = default;
    // Into a message: the result is a plain string, as messages are.
    friend std::string operator+(std::string_view left, const ShownText& right) {
        return std::string(left) + right.text_;
    }
    friend std::string operator+(const ShownText& left, std::string_view right) {
        return left.text_ + std::string(right);
    }

private:
    explicit ShownText(std::string text) : text_(std::move(text)) {}
    friend ShownText shown_url(std::string_view text);
    friend ShownText mask_secrets(std::string_view text, const KnownSecrets& known);

    std::string text_;
};

// Secrets known by value, for text that came from elsewhere and may quote
// them in any form: a child's stderr may repeat its PGPASSWORD, libcurl's
// error a piece of the URL it was given. Pieces shorter than 4 bytes are not
// searched for: replacing them would garble ordinary words while hiding
// nothing a guess would not find (their URL and conninfo forms are masked all
// the same).
class KnownSecrets {
public:
    KnownSecrets() = default;
    // A password as handed over (PGPASSWORD, AUTH): masked verbatim.
    void add(std::string_view secret);
    // Every secret of `url`: the URL itself becomes shown_url(url); its
    // password and each query value, as written and percent-decoded, its
    // query and fragment whole become "***". A URL shown_url() cannot split
    // gives up everything after its scheme, piece by piece.
    void add_url(std::string_view url);
    static KnownSecrets of_url(std::string_view url) {
        KnownSecrets known;
        known.add_url(url);
        return known;
    }
    bool empty() const noexcept { return urls_.empty() && pieces_.empty(); }

private:
    friend ShownText mask_secrets(std::string_view text, const KnownSecrets& known);
    std::vector<std::pair<std::string, std::string>> urls_; // as given, as shown
    std::vector<std::string> pieces_;
};

} // namespace pgscrub::common

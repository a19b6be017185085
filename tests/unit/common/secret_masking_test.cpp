// The one masker (common/secret_masking.hpp): whatever an address, URL,
// command line or foreign message looks like, no byte of a secret survives,
// and what is not secret stays so the reader knows which server was meant.
//
// Secrets in the sweeps below are spelt with the letters Q, X, J and Z and
// punctuation; no other part of their inputs uses those letters, so "no
// byte survives" is checked as "none of those letters is left".

#include "common/error.hpp"
#include "common/secret_masking.hpp"

#include <catch2/catch.hpp>

#include <string>
#include <type_traits>
#include <vector>

using namespace pgscrub::common;

namespace {

std::string masked(std::string_view text) { return mask_secrets(text).str(); }

std::string masked_knowing(std::string_view text, std::string_view secret) {
    KnownSecrets known;
    known.add(secret);
    return mask_secrets(text, known).str();
}

bool has_secret_letters(const std::string& text) { return text.find_first_of("QXJZ") != std::string::npos; }

// As a conninfo value: single-quoted, \ and ' escaped (libpq's rules).
std::string conninfo_quoted(std::string_view value) {
    std::string out = "'";
    for (char c : value) {
        if (c == '\'' || c == '\\') out += '\\';
        out += c;
    }
    return out + "'";
}

std::string percent_encoded(std::string_view value) {
    static const char* hex = "0123456789ABCDEF";
    std::string out;
    for (char c : value) {
        auto u = static_cast<unsigned char>(c);
        if (std::isalnum(u) || c == '-' || c == '_' || c == '.') {
            out += c;
        } else {
            out += '%';
            out += hex[u >> 4];
            out += hex[u & 15];
        }
    }
    return out;
}

// Passwords a user may well have: every character that means something in a
// URL or a conninfo string.
const std::vector<std::string> kAwkwardPasswords = {
    "QXJZ",   "QX@JZ",   "QX:JZ",    "QX/JZ",    "QX?JZ",   "QX#JZ",        "QX%JZ",  "QX%4J",  "QX'JZ",
    "QX\"JZ", "QX\\JZ",  "Q@X:J/Z",  "Q?X#J@Z",  "QX''JZ",  "Q'X\\'J\\\\Z", "QX=JZ",  "QX&JZ",  "@QXJZ:",
    "QXJZ@",  "//QX",    "Q://XJZ",  "QX;JZ",    "Q,X(J)Z", "Q*X!J$Z",      "Q~X`Z",  "ZZZZZZZ", "QXJZ%%",
};

} // namespace

TEST_CASE("only the masker makes a ShownText", "[secrets]") {
    STATIC_REQUIRE_FALSE(std::is_constructible_v<ShownText, std::string>);
    STATIC_REQUIRE_FALSE(std::is_constructible_v<ShownText, const char*>);
    STATIC_REQUIRE_FALSE(std::is_convertible_v<std::string, ShownText>);
    // An error names a place only in that form.
    Error error(ErrorKind::Database, "cannot connect", mask_secrets("postgresql://app:QXJZ@db/x"));
    CHECK(error.describe() == "postgresql://app:***@db/x: cannot connect");
    CHECK(("to " + mask_secrets("host=db password=QXJZ") + ".") == "to host=db password=***.");
}

TEST_CASE("database URLs keep user, host and parameters; the password goes", "[secrets]") {
    CHECK(masked("postgresql://app:s3cr3t%40x@db.internal:6432/staging?sslmode=require") ==
          "postgresql://app:***@db.internal:6432/staging?sslmode=require");
    CHECK(masked("postgres://u:pw@h/d?password=also") == "postgres://u:***@h/d?password=***");
    CHECK(masked("postgresql://app:pw@[2001:db8::1]:5432/x") == "postgresql://app:***@[2001:db8::1]:5432/x");
    CHECK(masked("postgresql://app:pw@[::1]/x") == "postgresql://app:***@[::1]/x");
    // No password, an empty one, no user info at all.
    CHECK(masked("postgresql://app@db/x") == "postgresql://app@db/x");
    CHECK(masked("postgresql://app:@db/x") == "postgresql://app:***@db/x");
    CHECK(masked("postgresql://db:5432/x") == "postgresql://db:5432/x");
    CHECK(masked("postgresql:///x?host=/run/pg") == "postgresql:///x?host=/run/pg");
    // A raw '@' in the password: user info ends at the last '@'.
    CHECK(masked("postgresql://app:p@ss@db/x") == "postgresql://app:***@db/x");
    // A raw '/', '?' or '#' cuts the authority short: everything up to the
    // last '@' goes, the user with it.
    CHECK(masked("postgresql://app:pa/ss@db/x") == "postgresql://***@db/x");
    CHECK(masked("postgresql://app:p?ss@db/x") == "postgresql://***@db/x");
    CHECK(masked("postgresql://app:p#ss@db/x") == "postgresql://***@db/x");
    // Secret parameters of any kind; the others stay.
    CHECK(masked("postgresql://db/x?sslpassword=QX&sslmode=verify-full&application_name=pgscrub") ==
          "postgresql://db/x?sslpassword=***&sslmode=verify-full&application_name=pgscrub");
    CHECK(masked("postgresql://db/x?PassWord=QX&token=JZ") == "postgresql://db/x?PassWord=***&token=***");
    CHECK(masked("postgresql://db/x?pass%77ord=QXJZ") == "postgresql://db/x?pass%77ord=***");
    CHECK(masked("postgresql://db/x?password=") == "postgresql://db/x?password=");
}

TEST_CASE("other URLs in a text are shown as locations", "[secrets]") {
    CHECK(masked("GET https://b.s3.amazonaws.com/x.dump?X-Amz-Credential=QX%2F1&X-Amz-Signature=JZ failed") ==
          "GET https://b.s3.amazonaws.com/x.dump?*** failed");
    CHECK(masked("copy s3://QXKEY:ZJSECRET@bucket/site.dump") == "copy s3://***@bucket/site.dump");
    CHECK(masked("flush rediss://:QXJZ@cache.internal:6380/0 now") == "flush rediss://***@cache.internal:6380/0 now");
    CHECK(masked("redis://default:QX@[::1]:6379/2") == "redis://***@[::1]:6379/2");
    CHECK(masked("https://host/x?sig=QXJZ&se=2030") == "https://host/x?***");
    CHECK(masked("https://host/x#access_token=QXJZ") == "https://host/x#***");
    CHECK(masked("https://u:pa/ss@host/x") == "https://***");
    // A URL glued to a word is still found.
    CHECK(masked("(url=https://u:QXJZ@host/x)") == "(url=https://***@host/x)");
    CHECK(masked("-https://u:QXJZ@h") == "-https://***@h");
    CHECK(masked("no URL here: a://") == "no URL here: a://");
}

TEST_CASE("conninfo strings lose their password, wherever it is and however it is quoted", "[secrets]") {
    CHECK(masked("password=QXJZ host=db dbname=x") == "password=*** host=db dbname=x");
    CHECK(masked("host=db password=QXJZ dbname=x") == "host=db password=*** dbname=x");
    CHECK(masked("host=db dbname=x password=QXJZ") == "host=db dbname=x password=***");
    CHECK(masked("host=db password='it''s a QXJZ' user=app") == "host=db password=*** user=app");
    CHECK(masked("host=db password='it\\'s a \\\\QXJZ' user=app") == "host=db password=*** user=app");
    CHECK(masked("host=db password = 'Q X' user=app") == "host=db password = *** user=app");
    // libpq skips whitespace after '=', and a backslash escapes a space
    // outside quotes too: all of it is the password.
    CHECK(masked("host=db password=  QX\\ JZ user=app") == "host=db password=  *** user=app");
    CHECK(masked("host=db sslpassword='Q X J' sslkey=/k.pem") == "host=db sslpassword=*** sslkey=/k.pem");
    CHECK(masked("host=db password='unclosed QX JZ") == "host=db password=***");
    // No password, an empty one.
    CHECK(masked("host=db user=app") == "host=db user=app");
    CHECK(masked("host=db password=''") == "host=db password=***");
    CHECK(masked("host=db password=") == "host=db password=");
    // Not a key: a word that only contains one, or a key without '='.
    CHECK(masked("mypassword=x passwords are checked") == "mypassword=x passwords are checked");
    CHECK(masked("FATAL: password authentication failed for user \"app\"") ==
          "FATAL: password authentication failed for user \"app\"");
    // Command lines and environments.
    CHECK(masked("psql --password=QXJZ -d x") == "psql --password=*** -d x");
    CHECK(masked("PGPASSWORD=QXJZ pg_dump") == "PGPASSWORD=*** pg_dump");
}

TEST_CASE("several secrets in one text", "[secrets]") {
    CHECK(masked("from postgresql://a:QX@h1/x to postgresql://b:JZ@h2/y with password=ZQ sslpassword='X J'") ==
          "from postgresql://a:***@h1/x to postgresql://b:***@h2/y with password=*** sslpassword=***");
    CHECK(masked("password=QX\npassword='J\nZ'\ntoken=ZZ") == "password=***\npassword=***\ntoken=***");
    CHECK(masked("dbname=postgresql://u:QXJZ@h/d password=QX") == "dbname=postgresql://u:***@h/d password=***");
}

TEST_CASE("a secret known by value is masked wherever a child's stderr repeats it", "[secrets]") {
    CHECK(masked_knowing("FATAL: password authentication failed for user \"app\" (tried hunter22)", "hunter22") ==
          "FATAL: password authentication failed for user \"app\" (tried ***)");
    CHECK(masked_knowing("connection to postgresql://app:hunter22@db/x failed", "") ==
          "connection to postgresql://app:***@db/x failed");
    // Too short to mask verbatim without garbling words; its URL form still is.
    CHECK(masked_knowing("a table called pw", "pw") == "a table called pw");
    CHECK(masked_knowing("postgresql://app:pw@db/x", "pw") == "postgresql://app:***@db/x");
    // A known secret holding a space or quotes is replaced whole, before the
    // scan could cut it at the space.
    CHECK(masked_knowing("password=QX JZ then QX JZ again", "QX JZ") == "password=*** then *** again");
    CHECK(masked_knowing("pg_dump: error: QX'J\"Z rejected\nQX'J\"Z", "QX'J\"Z") ==
          "pg_dump: error: *** rejected\n***");
    // Overlapping repeats leave nothing behind.
    CHECK(masked_knowing("QXQXQXQX", "QXQX") == "******");
}

TEST_CASE("a URL's secrets are masked in foreign messages that quote it", "[secrets]") {
    const std::string url = "https://admin:hunter22@host/x.dump?X-Amz-Signature=abcd1234&X-Amz-Credential=AKIA%2Fkey";
    std::string text = mask_secrets("GET " + url +
                                        " failed; signature abcd1234 for AKIA/key; password hunter22; query "
                                        "X-Amz-Signature=abcd1234&X-Amz-Credential=AKIA%2Fkey",
                                    KnownSecrets::of_url(url))
                           .str();
    CHECK(text.find("hunter22") == std::string::npos);
    CHECK(text.find("abcd1234") == std::string::npos);
    CHECK(text.find("AKIA/key") == std::string::npos);
    CHECK(text.find("AKIA%2Fkey") == std::string::npos);
    CHECK(text.find("https://***@host/x.dump?***") != std::string::npos);
    CHECK(text.find("failed; signature") != std::string::npos);

    // An unparseable URL: everything after its scheme goes.
    CHECK(mask_secrets("cannot open https://u:pa/ss@h/", KnownSecrets::of_url("https://u:pa/ss@h/")).str() ==
          "cannot open https://***");
    CHECK(mask_secrets("no host ss (path /pw-secret@h/1)", KnownSecrets::of_url("redis://:p@ss/pw-secret@h/1")).str() ==
          "no host ss (path /***@h/1)");
    // The decoded password too.
    CHECK(mask_secrets("auth as p@ss:QXJZ", KnownSecrets::of_url("https://u:p%40ss%3AQXJZ@h/")).str() == "auth as ***");
}

TEST_CASE("no byte of an awkward password survives, in any form", "[secrets]") {
    for (const std::string& password : kAwkwardPasswords) {
        INFO("password: " << password);
        const std::string encoded = percent_encoded(password);
        // Forms that still name the server once masked.
        const std::vector<std::string> texts = {
            "postgresql://app:" + encoded + "@db.example:5432/site?sslmode=require",
            "postgresql://app:" + password + "@db.example:5432/site",
            "postgres://app:" + password + "@[2001:db8::1]:5432/example",
            "postgresql://db.example/site?password=" + encoded + "&sslmode=require",
            "host=db.example password=" + conninfo_quoted(password) + " dbname=site",
            "password=" + conninfo_quoted(password) + " host=db.example",
            "host=db.example dbname=site password=" + conninfo_quoted(password),
            "host=db.example sslpassword=" + conninfo_quoted(password) + " user=app",
            "connection to postgresql://app:" + password + "@db.example/site failed: timeout",
            "https://user:" + encoded + "@files.example/site.dump?X-Amz-Signature=" + encoded,
            "rediss://:" + encoded + "@cache.example:6380/0",
            "s3://key:" + encoded + "@example-bucket/site.dump",
        };
        for (const std::string& text : texts) {
            INFO("text: " << text);
            std::string shown = masked(text);
            CHECK_FALSE(has_secret_letters(shown));
            CHECK(shown.find("***") != std::string::npos);
            CHECK(shown.find("example") != std::string::npos); // the server is still named
        }
        // A raw password in a location URL may make it unsplittable: then
        // nothing after the scheme is shown.
        for (const std::string& text : {"rediss://:" + password + "@cache.example:6380/0",
                                        "see s3://key:" + password + "@bucket/site.dump?x=1 now"}) {
            INFO("text: " << text);
            CHECK_FALSE(has_secret_letters(masked(text)));
        }
        // Known by value, repeated in a child's stderr, raw and encoded.
        KnownSecrets known;
        known.add(password);
        std::string stderr_text = "pg_dump: error: authentication with \"" + password + "\" failed\n" + password + "\n";
        CHECK_FALSE(has_secret_letters(mask_secrets(stderr_text, known).str()));
    }
}

TEST_CASE("long lines are scanned without running out of stack or time", "[secrets]") {
    std::string run(1 << 20, 'a');
    CHECK(masked(run) == run);
    std::string keys;
    for (int i = 0; i < 20000; ++i) keys += "password=QX ";
    std::string shown = masked(keys);
    CHECK_FALSE(has_secret_letters(shown));
    std::string url = "postgresql://app:" + std::string(1 << 20, 'Q') + "@db/x";
    CHECK(masked(url) == "postgresql://app:***@db/x");
    std::string colons(1 << 16, ':');
    CHECK(masked(colons + "//" + colons) == colons + "//" + colons);
}

TEST_CASE("file names and ordinary text pass unchanged", "[secrets]") {
    for (const char* text : {"backups/site.dump", "-", "/tmp/a?b", "", "table public.users: 12 rows",
                             "C:\\dumps\\site.dump", "a=b c='d e'", "token", "sig"}) {
        CHECK(masked(text) == text);
        CHECK(shown_url(text).str() == text);
    }
}

#pragma once
// Recognisably fake replacement values, chosen deterministically from the
// original under the key. Shared by the fake_* transforms and by redact (an
// e-mail found inside free text gets the same fake as the e-mail column).
// Every function is thread-safe and returns valid UTF-8 for any input
// (invalid input bytes are repaired before hashing).

#include "anonymise/keyed_hash.hpp"
#include "anonymise/name_choice.hpp"

#include <string>
#include <string_view>

namespace pgscrub::anonymise {

// Unicode NFC, case folding, surrounding white space trimmed (ICU), so
// "Ann@X.org " and "ann@x.org" are the same person.
std::string normalise_email(std::string_view email);

// user-<hash>@<domain>: distinct normalised inputs give distinct outputs
// (16 base32 characters = 80 bits of HMAC: a collision among 100 million
// addresses has a probability of about 4e-9), so UNIQUE columns restore.
// `domain` defaults to the reserved example.com and is used as given.
std::string fake_email(const KeyedHash& key, std::string_view original, std::string_view domain = "example.com");
// Names from built-in lists covering several scripts and languages
// (anonymise/name_lists.hpp), picked by HMAC of the case-folded, trimmed
// original, so "Ann" and "ann " get the same fake. Not injective. The fake
// is in the original's script, from the cultures `choice` allows
// (anonymise/name_choice.hpp), so a first and a last name of one row look
// like one person.
std::string fake_first_name(const KeyedHash& key, std::string_view original,
                            const NameChoice& choice = NameChoice::all());
std::string fake_last_name(const KeyedHash& key, std::string_view original,
                           const NameChoice& choice = NameChoice::all());
// Given and family name of one culture, in that culture's order ("Léa
// Dubois", "Nguyễn Thảo", "王伟").
std::string fake_full_name(const KeyedHash& key, std::string_view original,
                           const NameChoice& choice = NameChoice::all());
// A number in a fictional range, shaped like the original: an original
// starting with + or 00 gives the international form with the same prefix,
// a digits-only original gives a digits-only fake. North American numbers
// (+1, or 10 national digits) get +1 NXX-555-01xx (reserved for fiction in
// every area code); all others get the UK Ofcom drama range, 07700 900000 to
// 07700 900999 (+44 7700 900xxx). Picked by HMAC of the digits, so spacing
// variants of one number agree. Not injective.
std::string fake_phone(const KeyedHash& key, std::string_view original);
// An address in the documentation ranges (192.0.2.0/24, 198.51.100.0/24,
// 203.0.113.0/24, hosts .1-.254; 2001:db8::/32), same family as the original
// (an original with ':' is IPv6). A /prefix in the original (inet/cidr) is
// kept, except that one shorter than /24 (IPv4) or /32 (IPv6) is narrowed to
// it so the value stays in a documentation range; when the original has no
// host bits under its prefix (a cidr network) neither has the fake. Picked by
// HMAC of the address bytes, so spellings of one address agree. IPv4 is not
// injective (762 addresses).
std::string fake_ip(const KeyedHash& key, std::string_view original);

// The same fakes appended to `out`: the fake_* transforms write into the row
// rewriter's reused per-column buffer and redact into the text it rebuilds,
// so neither allocates a string per value (issue 13).
void append_fake_email(std::string& out, const KeyedHash& key, std::string_view original,
                       std::string_view domain = "example.com");
void append_fake_first_name(std::string& out, const KeyedHash& key, std::string_view original,
                            const NameChoice& choice = NameChoice::all());
void append_fake_last_name(std::string& out, const KeyedHash& key, std::string_view original,
                           const NameChoice& choice = NameChoice::all());
void append_fake_full_name(std::string& out, const KeyedHash& key, std::string_view original,
                           const NameChoice& choice = NameChoice::all());
void append_fake_phone(std::string& out, const KeyedHash& key, std::string_view original);
void append_fake_ip(std::string& out, const KeyedHash& key, std::string_view original);

} // namespace pgscrub::anonymise

#pragma once
// What a column's name says it holds.
//
// The detectors find e-mail addresses, IP addresses and formatted phone
// numbers in any column, whatever it is called. Some personal data cannot be
// told from its value alone: `14033335568` is a phone number in a column
// called `phone` and an order number elsewhere; `Margaret O'Neill` is a
// person in `full_name` and a book title in `title`. For those, `scan` takes
// the column's name as a hint, matched word by word (snake_case, camelCase,
// spaces) in the languages of pgscrub's name lists, and never on a column
// whose name also says it is an id, a count, a flag, a code or a time of
// something else (phone_id, phone_count, phone_verified, zip_file).

#include <cstdint>
#include <string_view>

namespace pgscrub::anonymise {

enum class ColumnHint : std::uint8_t {
    none,
    phone,       // phone, mobile, tel, fax, telefon, teléfono, handy, …: 7-15 digits count, as written
    person_name, // first_name, last_name, full_name, surname, vorname, prénom, apellido, …
    address,     // address, street, addr, straße, rue, calle, indirizzo, … (not e-mail or IP addresses)
    postcode,    // postcode, postal_code, zip, plz, …
    birth_date,  // birth_date, date_of_birth, dob, birthday, geburtsdatum, …
};

ColumnHint column_hint(std::string_view column_name);

// The finding kind a hint reports: "phone", "name", "address", "postcode", "birth_date".
const char* hint_kind_name(ColumnHint hint);

// True when `value` (decoded text) looks like what the hint says and not like
// pgscrub's own output (a phone number in a range reserved for fiction, a
// name from its lists, a masked or constant placeholder).
bool value_fits_hint(ColumnHint hint, std::string_view value);

} // namespace pgscrub::anonymise

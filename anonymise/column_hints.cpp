#include "anonymise/column_hints.hpp"

#include "anonymise/detectors.hpp"
#include "anonymise/name_lists.hpp"
#include "anonymise/synthetic.hpp"

#include <algorithm>
#include <string>
#include <vector>

namespace pgscrub::anonymise {

namespace {

// The words of a column name, lower-cased: "homePhone_2" -> home, phone, 2;
// "Téléphone portable" -> téléphone, portable. Non-ASCII bytes stay in their word.
std::vector<std::string> name_words(std::string_view name) {
    std::vector<std::string> words;
    std::string word;
    auto flush = [&] {
        if (!word.empty()) words.push_back(std::move(word));
        word.clear();
    };
    char previous = 0;
    for (char c : name) {
        unsigned char u = static_cast<unsigned char>(c);
        if (c == '_' || c == '-' || c == ' ' || c == '.' || c == '/') {
            flush();
        } else if (u < 0x80 && (c >= 'A' && c <= 'Z')) {
            if (previous >= 'a' && previous <= 'z') flush(); // camelCase
            word += static_cast<char>(c - 'A' + 'a');
        } else {
            word += c;
        }
        previous = c;
    }
    flush();
    return words;
}

bool any_of_words(const std::vector<std::string>& words, std::initializer_list<std::string_view> list) {
    return std::any_of(words.begin(), words.end(), [&](const std::string& w) {
        return std::find(list.begin(), list.end(), w) != list.end();
    });
}

// A name that says the column holds something about the data, not the data
// itself: its id, a count, a flag, when it changed.
bool says_something_else(const std::vector<std::string>& words) {
    return any_of_words(words, {"id", "ids", "pk", "fk", "uuid", "count", "counter", "counts", "total", "verified",
                                "confirmed", "validated", "enabled", "visible", "is", "has", "flag", "type", "kind",
                                "status", "format", "template", "label", "at", "on", "created", "updated", "changed",
                                "sent", "file", "url", "link", "hash", "token", "length", "len", "size", "version",
                                "app", "provider", "carrier", "ok", "valid"});
}

bool all_digits_alike(const std::string& digits) {
    return std::all_of(digits.begin(), digits.end(), [&](char c) { return c == digits.front(); });
}

bool fits_phone(std::string_view value) {
    std::string digits;
    for (std::size_t i = 0; i < value.size(); ++i) {
        char c = value[i];
        if (c >= '0' && c <= '9') digits += c;
        else if (!(c == ' ' || c == '-' || c == '.' || c == '(' || c == ')' || (c == '+' && i == 0))) return false;
    }
    if (digits.size() < 7 || digits.size() > 15 || all_digits_alike(digits)) return false;
    // What fake_phone writes lies in ranges reserved for fiction.
    return !is_synthetic(Match{PiiKind::phone, 0, value.size()}, value);
}

bool has_ascii_digit(std::string_view value) {
    return std::any_of(value.begin(), value.end(), [](char c) { return c >= '0' && c <= '9'; });
}

bool has_letter(std::string_view value) {
    return std::any_of(value.begin(), value.end(), [](char c) {
        unsigned char u = static_cast<unsigned char>(c);
        return u >= 0x80 || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    });
}

// Placeholders a rule writes (set, mask, redact's markers) are not personal.
bool looks_placeholder(std::string_view value) {
    return value.find('*') != std::string_view::npos || value.find("redacted") != std::string_view::npos ||
           value.find("REDACTED") != std::string_view::npos;
}

bool fits_person_name(std::string_view value) {
    if (value.size() < 2 || value.size() > 80 || has_ascii_digit(value) || !has_letter(value)) return false;
    if (value.find_first_of("@/\\:;=<>{}[]|#$%&_") != std::string_view::npos || looks_placeholder(value)) return false;
    if (std::count(value.begin(), value.end(), ' ') > 4) return false;
    // pgscrub's name fakes are real names from its lists: a value they could
    // have written is not reported (so a scrubbed dump scans clean).
    return !could_be_fake_name(value);
}

bool fits_address(std::string_view value) {
    // A street and a house number: letters, a digit and at least two words.
    return value.size() >= 5 && value.size() <= 300 && has_letter(value) && has_ascii_digit(value) &&
           value.find(' ') != std::string_view::npos && value.find('@') == std::string_view::npos &&
           !looks_placeholder(value);
}

bool fits_postcode(std::string_view value) {
    // 3-10 letters, digits, spaces or dashes with at least three digits
    // (10115, 02139-4307, 1012 AB, SW1A 1AA, K1A 0B1); not a constant.
    if (value.size() < 3 || value.size() > 10 || looks_placeholder(value)) return false;
    std::string digits;
    for (char c : value) {
        if (c >= '0' && c <= '9') digits += c;
        else if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == ' ' || c == '-')) return false;
    }
    return digits.size() >= 3 && !all_digits_alike(digits);
}

bool fits_birth_date(std::string_view value) {
    // YYYY-MM-DD (what PostgreSQL writes for a date, also at the start of a
    // timestamp), DD/MM/YYYY, DD.MM.YYYY, MM/DD/YYYY; a year from 1900 on.
    auto digit = [&](std::size_t i) { return i < value.size() && value[i] >= '0' && value[i] <= '9'; };
    auto number = [&](std::size_t i, std::size_t n) {
        int v = 0;
        for (std::size_t k = 0; k < n; ++k) v = v * 10 + (value[i + k] - '0');
        return v;
    };
    int year = 0;
    if (value.size() >= 10 && digit(0) && digit(1) && digit(2) && digit(3) && value[4] == '-' && digit(5) && digit(6) &&
        value[7] == '-' && digit(8) && digit(9)) {
        year = number(0, 4);
    } else if (value.size() == 10 && digit(0) && digit(1) && (value[2] == '/' || value[2] == '.') && digit(3) &&
               digit(4) && value[5] == value[2] && digit(6) && digit(7) && digit(8) && digit(9)) {
        year = number(6, 4);
    } else {
        return false;
    }
    // 1900-01-01 and 1970-01-01 are what a `set` rule usually writes.
    return year > 1900 && year < 2100 && value.substr(0, 10) != "1970-01-01";
}

} // namespace

ColumnHint column_hint(std::string_view column_name) {
    std::vector<std::string> words = name_words(column_name);
    if (words.empty() || says_something_else(words)) return ColumnHint::none;
    std::string joined;
    for (const std::string& w : words) joined += w;
    bool about_time = any_of_words(words, {"date", "time", "timestamp", "when", "expires"});

    if (any_of_words(words, {"phone", "phones", "telephone", "tel", "telefon", "telefono", "teléfono", "telefone",
                             "telefoon", "téléphone", "mobile", "mobil", "mobiel", "cell", "cellphone", "cellular",
                             "celular", "movil", "móvil", "handy", "fax", "telefax", "gsm", "msisdn", "whatsapp",
                             "cellulare", "komórka", "komorka", "puhelin", "телефон"}) ||
        joined.find("phone") != std::string::npos) {
        // phone_country_code, phone_ext, fax_sent_date: about a number, not the number.
        if (about_time || any_of_words(words, {"code", "prefix", "country", "ext", "extension", "area"})) {
            return ColumnHint::none;
        }
        return ColumnHint::phone;
    }
    if (any_of_words(words, {"birth", "birthday", "birthdate", "dob", "born", "geburtsdatum", "geburtstag",
                             "naissance", "nacimiento", "nascita", "nascimento", "geboortedatum", "urodzenia"}) ||
        joined.find("dateofbirth") != std::string::npos) {
        return ColumnHint::birth_date;
    }
    if (about_time) return ColumnHint::none;
    if (any_of_words(words, {"postcode", "postcodes", "postal", "zip", "zipcode", "plz", "postleitzahl",
                             "postnummer", "postnr", "cep", "codigopostal", "codepostal"})) {
        return ColumnHint::postcode;
    }
    if (any_of_words(words, {"email", "mail", "ip", "mac", "web", "wallet", "server", "host", "remote", "client",
                             "code"})) {
        return ColumnHint::none; // e-mail and IP addresses: the detectors find them anywhere
    }
    if (any_of_words(words, {"address", "addresses", "addr", "street", "strasse", "straße", "rue", "calle",
                             "adresse", "direccion", "dirección", "indirizzo", "endereco", "endereço", "adres",
                             "adresa", "address1", "address2"})) {
        return ColumnHint::address;
    }
    bool qualified_name = any_of_words(words, {"name"}) &&
                          any_of_words(words, {"first", "last", "given", "family", "middle", "full", "maiden",
                                               "contact", "customer", "person", "owner", "author", "recipient",
                                               "sender", "patient", "guest", "member", "billing", "shipping",
                                               "legal", "real"});
    if (qualified_name ||
        any_of_words(words, {"firstname", "lastname", "fullname", "surname", "givenname", "familyname", "forename",
                             "middlename", "maidenname", "vorname", "nachname", "prenom", "prénom", "apellido",
                             "apellidos", "nombre", "cognome", "achternaam", "voornaam", "nazwisko", "imie", "imię",
                             "sobrenome", "efternamn", "förnamn", "fornavn", "etternavn", "имя", "фамилия"})) {
        return ColumnHint::person_name;
    }
    return ColumnHint::none;
}

const char* hint_kind_name(ColumnHint hint) {
    switch (hint) {
    case ColumnHint::phone: return "phone";
    case ColumnHint::person_name: return "name";
    case ColumnHint::address: return "address";
    case ColumnHint::postcode: return "postcode";
    case ColumnHint::birth_date: return "birth_date";
    case ColumnHint::none: break;
    }
    return "";
}

bool value_fits_hint(ColumnHint hint, std::string_view value) {
    switch (hint) {
    case ColumnHint::phone: return fits_phone(value);
    case ColumnHint::person_name: return fits_person_name(value);
    case ColumnHint::address: return fits_address(value);
    case ColumnHint::postcode: return fits_postcode(value);
    case ColumnHint::birth_date: return fits_birth_date(value);
    case ColumnHint::none: break;
    }
    return false;
}

} // namespace pgscrub::anonymise

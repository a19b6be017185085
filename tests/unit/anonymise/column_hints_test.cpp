#include "anonymise/column_hints.hpp"

#include <catch2/catch.hpp>

#include <string>

using namespace pgscrub::anonymise;

TEST_CASE("Column hints: names that say what a column holds", "[column_hints]") {
    for (const char* name : {"phone", "Phone", "phone_number", "homePhone", "mobile", "tel", "fax", "telefon",
                             "Teléfono", "handy", "cell_phone", "private_phone", "MobileNumber", "whatsapp"}) {
        CAPTURE(name);
        CHECK(column_hint(name) == ColumnHint::phone);
    }
    for (const char* name : {"first_name", "last_name", "lastName", "surname", "full_name", "Full Name", "vorname",
                             "nachname", "prénom", "apellido", "customer_name", "maiden_name"}) {
        CAPTURE(name);
        CHECK(column_hint(name) == ColumnHint::person_name);
    }
    for (const char* name : {"address", "address2", "street", "billing_address", "straße", "adresse", "street_address"}) {
        CAPTURE(name);
        CHECK(column_hint(name) == ColumnHint::address);
    }
    for (const char* name : {"postcode", "postal_code", "zip", "zipCode", "plz"}) {
        CAPTURE(name);
        CHECK(column_hint(name) == ColumnHint::postcode);
    }
    for (const char* name : {"birth_date", "date_of_birth", "dob", "birthday", "dateOfBirth", "geburtsdatum"}) {
        CAPTURE(name);
        CHECK(column_hint(name) == ColumnHint::birth_date);
    }
}

TEST_CASE("Column hints: ids, counts, flags, times and other addresses are not hints", "[column_hints]") {
    for (const char* name : {"phone_id", "phone_count", "phone_verified", "is_mobile", "mobile_app_version",
                             "phone_country_code", "phone_ext", "fax_sent_at", "zip_file", "address_id",
                             "email_address", "ip_address", "mac_address", "remote_addr", "name", "product_name",
                             "username", "postcode_format", "birth_date_visible", "name_length", "last_login",
                             "telemetry", "hotel", "district", "created_at", "id", ""}) {
        CAPTURE(name);
        CHECK(column_hint(name) == ColumnHint::none);
    }
}

TEST_CASE("Column hints: values that fit, and pgscrub's own output that does not", "[column_hints]") {
    // Pagila's address.phone, and other ways people write numbers.
    CHECK(value_fits_hint(ColumnHint::phone, "14033335568"));
    CHECK(value_fits_hint(ColumnHint::phone, "6172235589"));
    CHECK(value_fits_hint(ColumnHint::phone, "+4915112345678"));
    CHECK(value_fits_hint(ColumnHint::phone, "(617) 223-5589"));
    CHECK_FALSE(value_fits_hint(ColumnHint::phone, "123456"));           // too short
    CHECK_FALSE(value_fits_hint(ColumnHint::phone, "1234567890123456")); // too long
    CHECK_FALSE(value_fits_hint(ColumnHint::phone, "0000000000"));       // a placeholder
    CHECK_FALSE(value_fits_hint(ColumnHint::phone, "ask reception"));
    CHECK_FALSE(value_fits_hint(ColumnHint::phone, "+1 201-555-0123"));  // fake_phone's fictional range
    CHECK_FALSE(value_fits_hint(ColumnHint::phone, "07700 900123"));

    CHECK(value_fits_hint(ColumnHint::person_name, "Mattheüs"));
    CHECK(value_fits_hint(ColumnHint::person_name, "Quentrabbe-Oyelaran"));
    CHECK_FALSE(value_fits_hint(ColumnHint::person_name, "Olivia"));     // fake_first_name could write it
    CHECK_FALSE(value_fits_hint(ColumnHint::person_name, "M***"));       // masked
    CHECK_FALSE(value_fits_hint(ColumnHint::person_name, "user_4f2a"));
    CHECK_FALSE(value_fits_hint(ColumnHint::person_name, "ann@example.org"));

    CHECK(value_fits_hint(ColumnHint::address, "47 MySakila Drive"));
    CHECK_FALSE(value_fits_hint(ColumnHint::address, "redacted"));
    CHECK_FALSE(value_fits_hint(ColumnHint::address, "4*** M*** D***"));

    CHECK(value_fits_hint(ColumnHint::postcode, "10115"));
    CHECK(value_fits_hint(ColumnHint::postcode, "1012 AB"));
    CHECK(value_fits_hint(ColumnHint::postcode, "02139-4307"));
    CHECK_FALSE(value_fits_hint(ColumnHint::postcode, "00000"));
    CHECK_FALSE(value_fits_hint(ColumnHint::postcode, "n/a"));

    CHECK(value_fits_hint(ColumnHint::birth_date, "1987-06-14"));
    CHECK(value_fits_hint(ColumnHint::birth_date, "14.06.1987"));
    CHECK_FALSE(value_fits_hint(ColumnHint::birth_date, "1970-01-01"));
    CHECK_FALSE(value_fits_hint(ColumnHint::birth_date, "1900-01-01"));
    CHECK_FALSE(value_fits_hint(ColumnHint::birth_date, "June 1987"));
}

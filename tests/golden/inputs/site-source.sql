-- The database the golden tests of inspect and scan read (tests/golden/dumps.sh
-- loads it into the pg15 test cluster and dumps it in all four formats at test
-- time; no dump is committed).
-- A few rows per table, in the shapes pgscrub must walk: a quoted schema and
-- table, a partitioned table, inheritance, an empty table, a table with no
-- columns, arrays, jsonb, a sequence, a materialized view and large objects,
-- with personal data for scan to find. Every value is made up.
SET client_encoding = 'UTF8';

CREATE SCHEMA "CRM";
CREATE SCHEMA audit;

CREATE TYPE mood AS ENUM ('happy', 'sad', 'ok');

CREATE TABLE auth_user (
    id serial PRIMARY KEY,
    username varchar(150) NOT NULL UNIQUE,
    email varchar(254) NOT NULL,
    first_name varchar(150) NOT NULL,
    last_name varchar(150) NOT NULL,
    password varchar(128) NOT NULL,
    phone text,
    last_ip inet,
    tags text[],
    feeling mood,
    is_staff boolean NOT NULL DEFAULT false,
    date_joined timestamptz NOT NULL
);
INSERT INTO auth_user (username, email, first_name, last_name, password, phone, last_ip, tags, feeling, is_staff, date_joined) VALUES
 ('ann', 'ann.hargreave@mailbox-golden.net', 'Ann', 'Hargreave', 'pbkdf2_sha256$600000$goldensalt1$aGFzaGhhc2hoYXNoaGFzaA==', '07911 123456', '81.2.69.160', '{"staff","a b"}', 'happy', true, '2024-01-02 03:04:05+00'),
 ('bob', 'bob.tennant@mailbox-golden.net', 'Bob', 'Tennant', 'pbkdf2_sha256$600000$goldensalt2$c2FsdHNhbHRzYWx0c2FsdA==', '+44 7911 654321', '2a00:23c5::1', '{}', NULL, false, '2024-02-03 04:05:06+00'),
 ('zoë', 'zoe@example.org', 'Zoë', 'Tab	Name', '!unusable', NULL, NULL, NULL, 'ok', false, '2024-03-04 05:06:07+00'),
 ('dot', 'dot.backslash@mailbox-golden.net', E'\\.', E'back\\slash', '!unusable', '020 7946 0123', '192.0.2.1', '{"\\."}', 'sad', false, '2024-04-05 06:07:08+00');

CREATE TABLE django_session (
    session_key varchar(40) PRIMARY KEY,
    session_data text NOT NULL,
    expire_date timestamptz NOT NULL
);
INSERT INTO django_session VALUES
 ('k1', 'eyJ1c2VyX2lkIjoxfQ', '2025-01-01 00:00:00+00'),
 ('k2', 'eyJ1c2VyX2lkIjoyfQ', '2025-01-02 00:00:00+00');

CREATE TABLE wagtailforms_formsubmission (
    id serial PRIMARY KEY,
    form_data jsonb NOT NULL,
    submit_time timestamptz NOT NULL
);
INSERT INTO wagtailforms_formsubmission (form_data, submit_time) VALUES
 ('{"your_name": "Carol Mendes", "email_address": "carol.mendes@mailbox-golden.net", "message": "Call me on 07911 222333 or at SW1A 1AA"}', '2024-06-01 10:00:00+00'),
 ('{"your_name": "Dev Patel", "email_address": "dev@mailbox-golden.net", "card": "4539 1488 0343 6467"}', '2024-06-02 11:00:00+00');

CREATE TABLE "CRM"."Newsletter Signup" (
    "ID" integer PRIMARY KEY,
    "Email Address" text NOT NULL,
    "Full Name" text,
    consent boolean,
    cc_emails text[]
);
INSERT INTO "CRM"."Newsletter Signup" VALUES
 (1, 'ann.hargreave@mailbox-golden.net', 'Ann Hargreave', true, '{"erin@mailbox-golden.net","frank@mailbox-golden.net"}'),
 (2, 'ü@mailbox-golden.de', E'Zoë\t"Quoted"', false, NULL);

CREATE TABLE audit.events (
    id bigint GENERATED ALWAYS AS IDENTITY,
    user_id integer REFERENCES auth_user(id),
    happened date NOT NULL,
    detail text,
    PRIMARY KEY (id, happened)
) PARTITION BY RANGE (happened);
CREATE TABLE audit.events_2023 PARTITION OF audit.events FOR VALUES FROM ('2023-01-01') TO ('2024-01-01');
CREATE TABLE audit.events_2024 PARTITION OF audit.events FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
INSERT INTO audit.events (user_id, happened, detail) VALUES
 (1, '2023-06-01', 'login from 81.2.69.160'),
 (2, '2024-02-01', 'password changed'),
 (1, '2024-03-01', 'e-mail changed to ann.hargreave@mailbox-golden.net');

CREATE TABLE empty_table (id int, note text);
CREATE TABLE no_columns ();
INSERT INTO no_columns DEFAULT VALUES;

CREATE TABLE parent_inh (id int, name text);
CREATE TABLE child_inh (extra text) INHERITS (parent_inh);
INSERT INTO parent_inh VALUES (1, 'parent');
INSERT INTO child_inh VALUES (2, 'child', 'written by gus@mailbox-golden.net');

CREATE SEQUENCE standalone_seq START 42;
SELECT setval('standalone_seq', 1234);

CREATE MATERIALIZED VIEW user_count AS SELECT count(*) AS n FROM auth_user;

SELECT lo_from_bytea(16500, convert_to('an uploaded file', 'UTF8'));
SELECT lo_from_bytea(16501, '\x00010203'::bytea);

-- The awkward cases a pg_dump rewriter must carry through unchanged.
-- Loaded by tests/integration/lib.sh into a fresh database.
SET client_encoding = 'UTF8';

CREATE SCHEMA "CRM";
CREATE SCHEMA audit;

CREATE TYPE mood AS ENUM ('happy', 'sad', 'ok');

CREATE TABLE people (
    id serial PRIMARY KEY,
    username varchar(150) NOT NULL UNIQUE,
    email text,
    bio text,
    tags text[],
    avatar bytea,
    settings jsonb,
    raw_json json,
    ip inet,
    feeling mood,
    score numeric,
    ratio double precision,
    joined timestamptz DEFAULT now(),
    upper_name text GENERATED ALWAYS AS (upper(username)) STORED
);

INSERT INTO people (username, email, bio, tags, avatar, settings, raw_json, ip, feeling, score, ratio, joined) VALUES
 ('ann', 'Ann@Example.org', E'tab\there\nnewline\\backslash', '{"a b","c,d",NULL,"\"q\""}', '\x00ff10', '{"k": "v\t", "n": [1, 2]}', '{"email":"a\u0040b.org"}', '192.168.1.7', 'happy', 1.5, 'NaN', '2024-01-02 03:04:05+00'),
 ('bob', NULL, NULL, '{}', '\x', 'null', NULL, '2001:db8::1', NULL, NULL, 'Infinity', NULL),
 ('émoji😀', 'e@x.org', E'\\.', '{"\\."}', E'\\x5c2e', '"str"', '[]', NULL, 'ok', -0, '-0', '1999-12-31 23:59:59.999999+00'),
 ('cr', 'cr@x.org', E'carriage\rreturn\x01ctrl\x7fdel', '{{1,2},{3,4}}', NULL, '{}', E'{"tab":\t"x"}', '10.0.0.1/8', 'sad', 123456789012345678901234567890.5, 1e-300, 'infinity'),
 ('dot', 'dot@x.org', E'\\.\n\\.', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL);

-- Enough rows to span many compressed chunks, and one big value.
INSERT INTO people (username, email, bio)
SELECT 'user' || g, 'user' || g || '@example.com', repeat('lorem ipsum ' || g || E'\t', 5)
FROM generate_series(1, 20000) g;
INSERT INTO people (username, bio) VALUES ('big', repeat('0123456789abcdef', 65536));

CREATE TABLE "CRM"."Newsletter Signup" (
    "ID" integer PRIMARY KEY,
    "Email Address" text NOT NULL,
    "Full Name" text,
    consent boolean,
    cc_emails text[]
);
INSERT INTO "CRM"."Newsletter Signup" VALUES
 (1, 'Ann@Example.org', 'Ann Example', true, '{"x@y.org","z@y.org"}'),
 (2, 'ü@ß.de', E'Zoë\t"Quoted"', false, NULL);

CREATE TABLE audit.events (
    id bigint GENERATED ALWAYS AS IDENTITY,
    person_id integer REFERENCES people(id),
    happened date NOT NULL,
    detail text,
    PRIMARY KEY (id, happened)
) PARTITION BY RANGE (happened);
CREATE TABLE audit.events_2023 PARTITION OF audit.events FOR VALUES FROM ('2023-01-01') TO ('2024-01-01');
CREATE TABLE audit.events_2024 PARTITION OF audit.events FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
INSERT INTO audit.events (person_id, happened, detail)
SELECT 1 + (g % 5), DATE '2023-06-01' + (g % 400), 'event ' || g FROM generate_series(1, 3000) g;

CREATE TABLE empty_table (id int, note text);
CREATE TABLE no_columns ();
INSERT INTO no_columns DEFAULT VALUES;
INSERT INTO no_columns DEFAULT VALUES;

CREATE TABLE parent_inh (id int, name text);
CREATE TABLE child_inh (extra text) INHERITS (parent_inh);
INSERT INTO parent_inh VALUES (1, 'parent');
INSERT INTO child_inh VALUES (2, 'child', 'x');

CREATE SEQUENCE standalone_seq START 42;
SELECT setval('standalone_seq', 1234);

CREATE MATERIALIZED VIEW people_count AS SELECT count(*) AS n FROM people;

SELECT lo_from_bytea(0, convert_to(repeat('large object ', 10000), 'UTF8'));
SELECT lo_from_bytea(0, '\x00010203'::bytea);

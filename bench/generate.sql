-- Benchmark database for bench/generate.sh: a web-app-like schema whose data
-- is generated in SQL. psql variables (generate.sh derives them from SIZE_MB):
--   :part                        schema | users | events | documents | finish
--   :users, :events, :documents  row counts
--   :seed                        setseed() value, so every run builds the same data
-- Each table is loaded by one INSERT ... SELECT in its own session
-- (generate.sh runs them side by side on the available cores); INSERT never
-- runs in parallel workers, so setseed() makes random() reproducible.

\set ON_ERROR_STOP 1
SELECT :'part' = 'schema' AS is_schema, :'part' = 'users' AS is_users,
       :'part' = 'events' AS is_events, :'part' = 'documents' AS is_documents,
       :'part' = 'finish' AS is_finish \gset

\if :is_schema
-- Primary keys are added by the finish part, after the load: building an
-- index once is much cheaper than maintaining it row by row.
CREATE TABLE users (
    id          integer NOT NULL,
    name        text NOT NULL,
    email       text NOT NULL,
    bio         text,
    created_at  timestamptz NOT NULL,
    last_login  timestamptz,
    is_active   boolean NOT NULL,
    profile     jsonb
);
CREATE TABLE events (
    id          bigint NOT NULL,
    user_id     integer NOT NULL,
    kind        text NOT NULL,
    created_at  timestamptz NOT NULL,
    ip          inet
);
CREATE TABLE documents (
    id          integer NOT NULL,
    user_id     integer NOT NULL,
    title       text NOT NULL,
    body        text NOT NULL,
    created_at  timestamptz NOT NULL,
    updated_at  timestamptz NOT NULL
);
-- The text columns are slices of one corpus of pseudo-words. Word ranks
-- follow a Zipf-like 1/rank law over a 4000-word vocabulary (short words
-- frequent, long ones rare), with sentence and paragraph breaks, so gzip
-- compresses it about as well, and about as fast, as prose. (md5() hex text,
-- the obvious cheap choice, made zlib crawl at ~10 MB/s: 16 symbols give
-- endless 3-byte matches that never extend.) Slicing a bytea by byte offset
-- is O(1), unlike substr() on text, and the corpus is ASCII, so any slice is
-- valid UTF-8.
CREATE TABLE bench_corpus (c bytea NOT NULL);
SELECT setseed(:seed);
INSERT INTO bench_corpus
WITH vocab AS (
    SELECT r, left(translate(md5('word' || r), '0123456789', 'etaoinshrl'), 1 + least(9, (ln(r) * 0.9)::int) + r % 3) AS w
    FROM generate_series(1, 4000) AS r
), picks AS (
    SELECT i, floor(exp(random() * ln(4000)))::int AS r, random() AS p FROM generate_series(1, 250000) AS i
)
SELECT convert_to(string_agg(w || CASE WHEN p < 0.005 THEN E'.\n\n' WHEN p < 0.07 THEN '. ' WHEN p < 0.1 THEN ', ' ELSE ' ' END, '' ORDER BY i), 'UTF8')
FROM picks JOIN vocab USING (r);
-- bench_text(CORPUS, LEN): LEN bytes of the corpus from a random offset.
-- Callers pass (SELECT corpus FROM bench_corpus_plain): an uncorrelated
-- scalar subquery runs once per statement, and the concatenation in the view
-- hands over a detoasted in-memory copy instead of a TOAST pointer that every
-- call would decompress again.
CREATE VIEW bench_corpus_plain AS SELECT c || ''::bytea AS corpus FROM bench_corpus;
CREATE FUNCTION bench_text(corpus bytea, len integer) RETURNS text
LANGUAGE sql VOLATILE AS $$
    SELECT convert_from(substring(corpus FROM 1 + (random() * (length(corpus) - len))::int FOR len), 'UTF8')
$$;
\endif

\if :is_users
BEGIN;
-- New relfilenode in this transaction: with wal_level=minimal the load skips WAL.
TRUNCATE users;
SELECT setseed(:seed);
INSERT INTO users
SELECT i,
       f || ' ' || l,
       lower(translate(f, 'éëŁłøö', 'eeLloo')) || '.' || lower(translate(l, 'éëŁłøö', 'eeLloo')) || i || '@'
           || (ARRAY['example.com', 'mail.test', 'corp.example', 'inbox.test'])[1 + i % 4],
       CASE WHEN random() < 0.1 THEN NULL ELSE bench_text((SELECT corpus FROM bench_corpus_plain), 40 + (random() * 280)::int) END,
       c,
       CASE WHEN random() < 0.2 THEN NULL ELSE c + random() * (timestamptz '2024-06-01' - c) END,
       random() < 0.9,
       jsonb_build_object('theme', (ARRAY['light', 'dark', 'system'])[1 + (random() * 2)::int],
                          'lang', (ARRAY['en', 'de', 'fr', 'pl', 'es', 'ja'])[1 + (random() * 5)::int],
                          'newsletter', random() < 0.3,
                          'score', (random() * 1000)::int,
                          'tags', jsonb_build_array(md5('t' || i)::uuid, left(md5('u' || i), 8)))
FROM (SELECT i,
             (ARRAY['Anna', 'Ben', 'Chloé', 'David', 'Emma', 'Farid', 'Grace', 'Hiro', 'Ines', 'Jonas',
                    'Kasia', 'Liam', 'Maria', 'Noah', 'Olivia', 'Paweł', 'Quinn', 'Rosa', 'Sven', 'Zoë'])[1 + (random() * 19)::int] AS f,
             (ARRAY['Smith', 'Müller', 'García', 'Nowak', 'Rossi', 'Dubois', 'Tanaka', 'Jensen', 'Silva', 'Brown',
                    'Øberg', 'Kowalski', 'Martin', 'Łukasik', 'Novak', 'Moreau'])[1 + (random() * 15)::int] AS l,
             timestamptz '2019-01-01' + random() * interval '5 years' AS c
      FROM generate_series(1, :users) AS i) AS s;
COMMIT;
\endif

\if :is_events
-- Many narrow rows: the per-row cost of the COPY codec dominates here.
BEGIN;
-- New relfilenode in this transaction: with wal_level=minimal the load skips WAL.
TRUNCATE events;
SELECT setseed(:seed);
INSERT INTO events
SELECT i,
       1 + (random() * (:users - 1))::int,
       (ARRAY['page_view', 'page_view', 'page_view', 'click', 'search', 'login', 'logout', 'purchase', 'api_call'])[1 + (random() * 8)::int],
       timestamptz '2023-01-01' + random() * interval '1 year',
       CASE WHEN random() < 0.05 THEN NULL ELSE inet '10.0.0.0' + (random() * 16777215)::bigint END
FROM generate_series(1, :events) AS i;
COMMIT;
\endif

\if :is_documents
-- Wide rows (a few KB, TOASTed): throughput here is about bytes, not rows.
BEGIN;
-- New relfilenode in this transaction: with wal_level=minimal the load skips WAL.
TRUNCATE documents;
SELECT setseed(:seed);
INSERT INTO documents
SELECT i, u, initcap(translate(bench_text((SELECT corpus FROM bench_corpus_plain), 20 + (random() * 40)::int), E'\n.,', '   ')),
       bench_text((SELECT corpus FROM bench_corpus_plain), 1000 + (random() * 6000)::int), c, c + random() * interval '90 days'
FROM (SELECT i, 1 + (random() * (:users - 1))::int AS u, timestamptz '2020-01-01' + random() * interval '4 years' AS c
      FROM generate_series(1, :documents) AS i) AS s;
COMMIT;
\endif

\if :is_finish
ALTER TABLE users ADD PRIMARY KEY (id);
ALTER TABLE events ADD PRIMARY KEY (id);
ALTER TABLE documents ADD PRIMARY KEY (id);
CREATE INDEX ON events (user_id, created_at);
CREATE INDEX ON documents (user_id);
ALTER TABLE events ADD FOREIGN KEY (user_id) REFERENCES users;
ALTER TABLE documents ADD FOREIGN KEY (user_id) REFERENCES users;
-- The generator's helpers must not end up in the archives.
DROP FUNCTION bench_text;
DROP VIEW bench_corpus_plain;
DROP TABLE bench_corpus;
\endif

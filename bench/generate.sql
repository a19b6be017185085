-- Benchmark database for bench/generate.sh: a web-app-like schema whose data
-- is generated in SQL. psql variables (generate.sh derives them from SIZE_MB):
--   :part                        schema | users | events | documents | finish
--   :users, :events, :documents  row counts
--   :seed                        setseed() value, so every run builds the same data
-- Text comes from md5() of the row key with the hex digits translated to
-- letters and spaces: word-like, about as compressible under gzip as prose
-- with a large vocabulary, and cheap enough to build 1 GB in a few minutes.
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
-- bench_text(KEY, LEN, PARA): LEN characters of word-like text derived from
-- KEY; with PARA, a blank line every 8 chunks (~256 characters), so the COPY
-- text has \n escapes for the row codec to handle, like real documents.
CREATE FUNCTION bench_text(key text, len integer, para boolean DEFAULT false) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT left(string_agg(translate(md5(key || ':' || g), '0123456789abcdef', 'eta oinsh rdlu c'),
                           CASE WHEN para AND g % 8 = 0 THEN E'\n\n' ELSE '' END), len)
    FROM generate_series(1, (len + 31) / 32) AS g
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
       CASE WHEN random() < 0.1 THEN NULL ELSE bench_text('bio' || i, 40 + (random() * 280)::int) END,
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
SELECT i, u, initcap(bench_text('title' || i, 20 + (random() * 40)::int)),
       bench_text('body' || i, 1000 + (random() * 6000)::int, true), c, c + random() * interval '90 days'
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
\endif

-- Makes the Wagtail test site's invented people look real to a leak scan.
--
-- wagtail_data.sql uses reserved domains (example.org, example.net,
-- mail.test) and Ofcom drama phone ranges, which pgscrub treats as
-- synthetic: its own fakes come from there. To prove that `scan` finds
-- personal data in every hidden place, this script rewrites them, in every
-- text, JSON, array and inet column of every table (partitions included,
-- generated columns excepted), to ordinary-looking providers and numbers,
-- and records each column it changed in pgscrub_planted — the list of
-- places the scan must find. Loaded after wagtail_schema.sql and
-- wagtail_data.sql; the test dumps the database without pgscrub_planted.

CREATE TABLE pgscrub_planted (table_schema text, table_name text, column_name text);

DO $$
DECLARE
    c record;
    changed bigint;
    expr text;
BEGIN
    FOR c IN
        SELECT n.nspname, k.relname, a.attname, format_type(a.atttypid, a.atttypmod) AS type
        FROM pg_class k
        JOIN pg_namespace n ON n.oid = k.relnamespace
        JOIN pg_attribute a ON a.attrelid = k.oid AND a.attnum > 0 AND NOT a.attisdropped AND a.attgenerated = ''
        WHERE k.relkind = 'r' AND n.nspname NOT IN ('pg_catalog', 'information_schema')
          AND k.relname <> 'pgscrub_planted'
          AND format_type(a.atttypid, a.atttypmod) ~ '^(text|character varying|json|jsonb|inet)'
    LOOP
        -- Domains only after @ (also \u0040 in JSON text, %40 in form posts): a site's hostname stays.
        expr := format($f$regexp_replace(regexp_replace(regexp_replace(regexp_replace(regexp_replace(%I::text,
                    '(@|\\u0040|%%40)((?:[a-z0-9-]+\.)*)example\.org', '\1\2gmail.com', 'gi'),
                    '(@|\\u0040|%%40)((?:[a-z0-9-]+\.)*)example\.net', '\1\2outlook.com', 'gi'),
                    '(@|\\u0040|%%40)mail\.test', '\1posteo.de', 'gi'),
                    '7700([ +]?)900([ +]?)', '7911\1123\2', 'g'), '020([ +])7946([ +])', '020\18123\2', 'g')$f$,
                    c.attname);
        EXECUTE format('UPDATE %I.%I SET %I = (%s)::%s WHERE %I::text IS DISTINCT FROM %s',
                       c.nspname, c.relname, c.attname, expr, c.type, c.attname, expr);
        GET DIAGNOSTICS changed = ROW_COUNT;
        IF changed > 0 THEN
            INSERT INTO pgscrub_planted VALUES (c.nspname, c.relname, c.attname);
        END IF;
    END LOOP;
END
$$;

-- Places that already held realistic personal data: IP addresses (inet),
-- and the password hashes of auth_user.
INSERT INTO pgscrub_planted
SELECT DISTINCT n.nspname, k.relname, a.attname
FROM pg_class k
JOIN pg_namespace n ON n.oid = k.relnamespace
JOIN pg_attribute a ON a.attrelid = k.oid AND a.attnum > 0 AND NOT a.attisdropped
WHERE k.relkind = 'r' AND format_type(a.atttypid, a.atttypmod) = 'inet';
INSERT INTO pgscrub_planted VALUES ('public', 'auth_user', 'password');

-- A session token and an API key pasted where nobody looks.
UPDATE public.wagtailcore_comment
SET text = text || ' (token for the staging API: api_key=sk_live_4eC39HqLyjWDarjtT1zdp7dc)'
WHERE id = (SELECT min(id) FROM public.wagtailcore_comment);
INSERT INTO pgscrub_planted VALUES ('public', 'wagtailcore_comment', 'text');

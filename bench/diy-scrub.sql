-- The do-it-yourself equivalent of bench/scrub-rules.yaml, for
-- bench/scrub-targets.sh: what a user without pgscrub runs between
-- `pg_restore -d DB` and `pg_dump -Fc DB`. It changes the same columns to
-- comparable values, keyed by the same secret (psql variable :key):
--   users.name     fake_name: a given and a family name picked by a keyed hash
--                  of the case-folded, trimmed name
--   users.email    fake_email: user-<16 hex of the hash>@example.com of the
--                  NFC-normalised, case-folded, trimmed address
--   users.profile  json with others: mask keep_start 1: every string leaf
--                  masked after its first character, keys and other leaves kept
--   events.ip      fake_ip: a host of one of the IPv4 documentation ranges
--                  (2001:db8::/32 for IPv6), the prefix length kept
-- md5 stands in for pgscrub's HMAC-SHA256: it is cheaper, so the comparison
-- errs in the do-it-yourself path's favour. One UPDATE per table, as a user
-- would write it; the helpers live in pg_temp, so nothing of them is dumped.

\set ON_ERROR_STOP 1

-- The SQL helpers are single SELECTs without FROM, so PostgreSQL inlines them
-- into the UPDATE; with a FROM clause that computes the hash once, fake_ip took
-- 4.6x as long (a call of the SQL function executor per row). So the hash is
-- spelled out where it is used, as a user tuning this would do.
CREATE FUNCTION pg_temp.fake_name(v text, key text) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE WHEN btrim(v) = '' THEN v ELSE
        (ARRAY['Léa', 'Jonas', 'Zoë', 'Mateo', 'Aiko', 'Paweł', 'Ingrid', 'Chloé', 'Omar', 'Sofia',
               'Hannah', 'Lukas', 'Emma', 'Noah', 'Björn', 'Anaïs'])[1 + get_byte(decode(md5(key || lower(btrim(v))), 'hex'), 0) % 16]
        || ' ' ||
        (ARRAY['Dubois', 'Müller', 'García', 'Nowak', 'Rossi', 'Jensen', 'Silva', 'Øberg',
               'Tanaka', 'Kowalski', 'Martin', 'Łukasik', 'Novak', 'Moreau', 'Smith', 'Brown'])[1 + get_byte(decode(md5(key || lower(btrim(v))), 'hex'), 1) % 16]
    END
$$;

CREATE FUNCTION pg_temp.fake_email(v text, key text) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE WHEN btrim(v) = '' THEN v
                ELSE 'user-' || left(md5(key || lower(btrim(normalize(v, NFC)))), 16) || '@example.com' END
$$;

-- A recursive walk in PL/pgSQL: PostgreSQL 15 has no function that maps the
-- leaves of a jsonb value, and a recursive SQL-language version of this
-- function took 11x as long.
-- mask with keep_start 1: a string of one character is hidden entirely.
CREATE FUNCTION pg_temp.mask_leaves(doc jsonb) RETURNS jsonb
LANGUAGE plpgsql IMMUTABLE AS $$
DECLARE
    s text;
BEGIN
    CASE jsonb_typeof(doc)
    WHEN 'object' THEN
        RETURN coalesce((SELECT jsonb_object_agg(k, pg_temp.mask_leaves(v)) FROM jsonb_each(doc) AS e(k, v)), '{}');
    WHEN 'array' THEN
        RETURN coalesce((SELECT jsonb_agg(pg_temp.mask_leaves(v) ORDER BY i)
                         FROM jsonb_array_elements(doc) WITH ORDINALITY AS e(v, i)), '[]');
    WHEN 'string' THEN
        s := doc #>> '{}';
        IF length(s) <= 1 THEN
            RETURN to_jsonb(repeat('*', length(s)));
        END IF;
        RETURN to_jsonb(left(s, 1) || repeat('*', length(s) - 1));
    ELSE
        RETURN doc;
    END CASE;
END
$$;

CREATE FUNCTION pg_temp.fake_ip(v inet, key text) RETURNS inet
LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE WHEN family(v) = 4
        THEN set_masklen((ARRAY[inet '192.0.2.0', inet '198.51.100.0', inet '203.0.113.0'])[1 + get_byte(decode(md5(key || host(v)), 'hex'), 0) % 3]
                         + (1 + get_byte(decode(md5(key || host(v)), 'hex'), 1) % 254), greatest(masklen(v), 24))
        ELSE set_masklen(inet '2001:db8::' + ('x' || left(md5(key || host(v)), 8))::bit(32)::bigint, greatest(masklen(v), 32))
    END
$$;

UPDATE users
SET name = pg_temp.fake_name(name, :'key'),
    email = pg_temp.fake_email(email, :'key'),
    profile = pg_temp.mask_leaves(profile);

UPDATE events SET ip = pg_temp.fake_ip(ip, :'key') WHERE ip IS NOT NULL;

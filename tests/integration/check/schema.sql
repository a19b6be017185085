-- A small database for the golden tests of `pgscrub check --dump`.
CREATE TABLE customer (
    id serial PRIMARY KEY,
    email text NOT NULL UNIQUE,
    name text NOT NULL,
    phone text,
    score integer,
    created date
);
CREATE TABLE status (code text PRIMARY KEY);
CREATE TABLE orders (
    id serial PRIMARY KEY,
    customer_id integer REFERENCES customer(id),
    status text REFERENCES status(code),
    note text
);
CREATE TABLE audit (
    id integer,
    who text,
    who_domain text GENERATED ALWAYS AS (split_part(who, '@', 2)) STORED
);
CREATE TABLE newsletter (email text);
INSERT INTO customer (email, name, phone, score, created) VALUES ('a@b.org', 'Ann', '+44 20 7946 0000', 1, '2024-01-01');
INSERT INTO status VALUES ('new');
INSERT INTO orders (customer_id, status, note) VALUES (1, 'new', 'call back');
INSERT INTO audit (id, who) VALUES (1, 'a@b.org');
INSERT INTO newsletter VALUES ('a@b.org');
-- A partitioned table whose partitions have data and no rule: check suggests
-- one rule on the parent, not one per partition.
CREATE TABLE visits (id integer, seen date NOT NULL, ip text) PARTITION BY RANGE (seen);
CREATE TABLE visits_2024 PARTITION OF visits FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
CREATE TABLE visits_2025 PARTITION OF visits FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
INSERT INTO visits VALUES (1, '2024-05-01', '203.0.113.9'), (2, '2025-05-01', '203.0.113.10');

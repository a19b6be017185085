ÿ-- A small Django-style site with the personal data such sites hold. Used by
-- scripts/sample.sh; every value is made up.
CREATE TABLE auth_user (
    id serial PRIMARY KEY,
    username varchar(150) NOT NULL UNIQUE,
    email varchar(254) NOT NULL,
    first_name varchar(150) NOT NULL,
    last_name varchar(150) NOT NULL,
    password varchar(128) NOT NULL,
    is_staff boolean NOT NULL DEFAULT false,
    date_joined timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE django_session (
    session_key varchar(40) PRIMARY KEY,
    session_data text NOT NULL,
    expire_date timestamptz NOT NULL
);
CREATE TABLE wagtailcore_page (
    id serial PRIMARY KEY,
    title varchar(255) NOT NULL,
    slug varchar(255) NOT NULL,
    live boolean NOT NULL
);
CREATE TABLE wagtailforms_formsubmission (
    id serial PRIMARY KEY,
    form_data jsonb NOT NULL,
    page_id integer NOT NULL REFERENCES wagtailcore_page(id),
    submit_time timestamptz NOT NULL
);

INSERT INTO auth_user (username, email, first_name, last_name, password, is_staff, date_joined)
SELECT 'user' || g, 'person' || g || '@mail.example', 'Given' || g, 'Family' || g,
       'pbkdf2_sha256$600000$salt' || g || '$hash', g % 10 = 0, TIMESTAMPTZ '2024-01-01' + g * INTERVAL '1 hour'
FROM generate_series(1, 500) g;
INSERT INTO django_session
SELECT md5('session' || g), 'eyJ1c2VyX2lkIjo' || g, TIMESTAMPTZ '2025-01-01' + g * INTERVAL '1 minute'
FROM generate_series(1, 2000) g;
INSERT INTO wagtailcore_page (title, slug, live)
VALUES ('Home', 'home', true), ('Contact us', 'contact', true), ('Newsletter', 'newsletter', true);
INSERT INTO wagtailforms_formsubmission (form_data, page_id, submit_time)
SELECT jsonb_build_object('your_name', 'Given' || g || ' Family' || g, 'email_address', 'person' || g || '@mail.example',
                          'message', 'Please call me on 07700 900' || lpad(g::text, 3, '0')),
       2, TIMESTAMPTZ '2024-06-01' + g * INTERVAL '1 day'
FROM generate_series(1, 300) g;

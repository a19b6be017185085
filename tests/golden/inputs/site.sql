--
-- PostgreSQL database dump
--

\restrict ae85lxyaQ9drrQ9ez8MgphHeSoM2uX24ljjK3DtgBFANJtGETAAX0CaXKErcG6y

-- Dumped from database version 15.18 (Debian 15.18-0+deb12u1)
-- Dumped by pg_dump version 15.18 (Debian 15.18-0+deb12u1)

SET statement_timeout = 0;
SET lock_timeout = 0;
SET idle_in_transaction_session_timeout = 0;
SET client_encoding = 'UTF8';
SET standard_conforming_strings = on;
SELECT pg_catalog.set_config('search_path', '', false);
SET check_function_bodies = false;
SET xmloption = content;
SET client_min_messages = warning;
SET row_security = off;

--
-- Name: CRM; Type: SCHEMA; Schema: -; Owner: postgres
--

CREATE SCHEMA "CRM";


ALTER SCHEMA "CRM" OWNER TO postgres;

--
-- Name: audit; Type: SCHEMA; Schema: -; Owner: postgres
--

CREATE SCHEMA audit;


ALTER SCHEMA audit OWNER TO postgres;

--
-- Name: mood; Type: TYPE; Schema: public; Owner: postgres
--

CREATE TYPE public.mood AS ENUM (
    'happy',
    'sad',
    'ok'
);


ALTER TYPE public.mood OWNER TO postgres;

SET default_tablespace = '';

SET default_table_access_method = heap;

--
-- Name: Newsletter Signup; Type: TABLE; Schema: CRM; Owner: postgres
--

CREATE TABLE "CRM"."Newsletter Signup" (
    "ID" integer NOT NULL,
    "Email Address" text NOT NULL,
    "Full Name" text,
    consent boolean,
    cc_emails text[]
);


ALTER TABLE "CRM"."Newsletter Signup" OWNER TO postgres;

--
-- Name: events; Type: TABLE; Schema: audit; Owner: postgres
--

CREATE TABLE audit.events (
    id bigint NOT NULL,
    user_id integer,
    happened date NOT NULL,
    detail text
)
PARTITION BY RANGE (happened);


ALTER TABLE audit.events OWNER TO postgres;

--
-- Name: events_2023; Type: TABLE; Schema: audit; Owner: postgres
--

CREATE TABLE audit.events_2023 (
    id bigint NOT NULL,
    user_id integer,
    happened date NOT NULL,
    detail text
);


ALTER TABLE audit.events_2023 OWNER TO postgres;

--
-- Name: events_2024; Type: TABLE; Schema: audit; Owner: postgres
--

CREATE TABLE audit.events_2024 (
    id bigint NOT NULL,
    user_id integer,
    happened date NOT NULL,
    detail text
);


ALTER TABLE audit.events_2024 OWNER TO postgres;

--
-- Name: events_id_seq; Type: SEQUENCE; Schema: audit; Owner: postgres
--

ALTER TABLE audit.events ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY (
    SEQUENCE NAME audit.events_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);


--
-- Name: auth_user; Type: TABLE; Schema: public; Owner: postgres
--

CREATE TABLE public.auth_user (
    id integer NOT NULL,
    username character varying(150) NOT NULL,
    email character varying(254) NOT NULL,
    first_name character varying(150) NOT NULL,
    last_name character varying(150) NOT NULL,
    password character varying(128) NOT NULL,
    phone text,
    last_ip inet,
    tags text[],
    feeling public.mood,
    is_staff boolean DEFAULT false NOT NULL,
    date_joined timestamp with time zone NOT NULL
);


ALTER TABLE public.auth_user OWNER TO postgres;

--
-- Name: auth_user_id_seq; Type: SEQUENCE; Schema: public; Owner: postgres
--

CREATE SEQUENCE public.auth_user_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


ALTER TABLE public.auth_user_id_seq OWNER TO postgres;

--
-- Name: auth_user_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: postgres
--

ALTER SEQUENCE public.auth_user_id_seq OWNED BY public.auth_user.id;


--
-- Name: parent_inh; Type: TABLE; Schema: public; Owner: postgres
--

CREATE TABLE public.parent_inh (
    id integer,
    name text
);


ALTER TABLE public.parent_inh OWNER TO postgres;

--
-- Name: child_inh; Type: TABLE; Schema: public; Owner: postgres
--

CREATE TABLE public.child_inh (
    extra text
)
INHERITS (public.parent_inh);


ALTER TABLE public.child_inh OWNER TO postgres;

--
-- Name: django_session; Type: TABLE; Schema: public; Owner: postgres
--

CREATE TABLE public.django_session (
    session_key character varying(40) NOT NULL,
    session_data text NOT NULL,
    expire_date timestamp with time zone NOT NULL
);


ALTER TABLE public.django_session OWNER TO postgres;

--
-- Name: empty_table; Type: TABLE; Schema: public; Owner: postgres
--

CREATE TABLE public.empty_table (
    id integer,
    note text
);


ALTER TABLE public.empty_table OWNER TO postgres;

--
-- Name: no_columns; Type: TABLE; Schema: public; Owner: postgres
--

CREATE TABLE public.no_columns (
);


ALTER TABLE public.no_columns OWNER TO postgres;

--
-- Name: standalone_seq; Type: SEQUENCE; Schema: public; Owner: postgres
--

CREATE SEQUENCE public.standalone_seq
    START WITH 42
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


ALTER TABLE public.standalone_seq OWNER TO postgres;

--
-- Name: user_count; Type: MATERIALIZED VIEW; Schema: public; Owner: postgres
--

CREATE MATERIALIZED VIEW public.user_count AS
 SELECT count(*) AS n
   FROM public.auth_user
  WITH NO DATA;


ALTER TABLE public.user_count OWNER TO postgres;

--
-- Name: wagtailforms_formsubmission; Type: TABLE; Schema: public; Owner: postgres
--

CREATE TABLE public.wagtailforms_formsubmission (
    id integer NOT NULL,
    form_data jsonb NOT NULL,
    submit_time timestamp with time zone NOT NULL
);


ALTER TABLE public.wagtailforms_formsubmission OWNER TO postgres;

--
-- Name: wagtailforms_formsubmission_id_seq; Type: SEQUENCE; Schema: public; Owner: postgres
--

CREATE SEQUENCE public.wagtailforms_formsubmission_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


ALTER TABLE public.wagtailforms_formsubmission_id_seq OWNER TO postgres;

--
-- Name: wagtailforms_formsubmission_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: postgres
--

ALTER SEQUENCE public.wagtailforms_formsubmission_id_seq OWNED BY public.wagtailforms_formsubmission.id;


--
-- Name: events_2023; Type: TABLE ATTACH; Schema: audit; Owner: postgres
--

ALTER TABLE ONLY audit.events ATTACH PARTITION audit.events_2023 FOR VALUES FROM ('2023-01-01') TO ('2024-01-01');


--
-- Name: events_2024; Type: TABLE ATTACH; Schema: audit; Owner: postgres
--

ALTER TABLE ONLY audit.events ATTACH PARTITION audit.events_2024 FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');


--
-- Name: auth_user id; Type: DEFAULT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.auth_user ALTER COLUMN id SET DEFAULT nextval('public.auth_user_id_seq'::regclass);


--
-- Name: wagtailforms_formsubmission id; Type: DEFAULT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.wagtailforms_formsubmission ALTER COLUMN id SET DEFAULT nextval('public.wagtailforms_formsubmission_id_seq'::regclass);


--
-- Name: 16500; Type: BLOB; Schema: -; Owner: postgres
--

SELECT pg_catalog.lo_create('16500');


ALTER LARGE OBJECT 16500 OWNER TO postgres;

--
-- Name: 16501; Type: BLOB; Schema: -; Owner: postgres
--

SELECT pg_catalog.lo_create('16501');


ALTER LARGE OBJECT 16501 OWNER TO postgres;

--
-- Data for Name: Newsletter Signup; Type: TABLE DATA; Schema: CRM; Owner: postgres
--

COPY "CRM"."Newsletter Signup" ("ID", "Email Address", "Full Name", consent, cc_emails) FROM stdin;
1	ann.hargreave@mailbox-golden.net	Ann Hargreave	t	{erin@mailbox-golden.net,frank@mailbox-golden.net}
2	ü@mailbox-golden.de	Zoë\t"Quoted"	f	\N
\.


--
-- Data for Name: events_2023; Type: TABLE DATA; Schema: audit; Owner: postgres
--

COPY audit.events_2023 (id, user_id, happened, detail) FROM stdin;
1	1	2023-06-01	login from 81.2.69.160
\.


--
-- Data for Name: events_2024; Type: TABLE DATA; Schema: audit; Owner: postgres
--

COPY audit.events_2024 (id, user_id, happened, detail) FROM stdin;
2	2	2024-02-01	password changed
3	1	2024-03-01	e-mail changed to ann.hargreave@mailbox-golden.net
\.


--
-- Data for Name: auth_user; Type: TABLE DATA; Schema: public; Owner: postgres
--

COPY public.auth_user (id, username, email, first_name, last_name, password, phone, last_ip, tags, feeling, is_staff, date_joined) FROM stdin;
1	ann	ann.hargreave@mailbox-golden.net	Ann	Hargreave	pbkdf2_sha256$600000$goldensalt1$aGFzaGhhc2hoYXNoaGFzaA==	07911 123456	81.2.69.160	{staff,"a b"}	happy	t	2024-01-02 03:04:05+00
2	bob	bob.tennant@mailbox-golden.net	Bob	Tennant	pbkdf2_sha256$600000$goldensalt2$c2FsdHNhbHRzYWx0c2FsdA==	+44 7911 654321	2a00:23c5::1	{}	\N	f	2024-02-03 04:05:06+00
3	zoë	zoe@example.org	Zoë	Tab\tName	!unusable	\N	\N	\N	ok	f	2024-03-04 05:06:07+00
4	dot	dot.backslash@mailbox-golden.net	\\.	back\\slash	!unusable	020 7946 0123	192.0.2.1	{"\\\\."}	sad	f	2024-04-05 06:07:08+00
\.


--
-- Data for Name: child_inh; Type: TABLE DATA; Schema: public; Owner: postgres
--

COPY public.child_inh (id, name, extra) FROM stdin;
2	child	written by gus@mailbox-golden.net
\.


--
-- Data for Name: django_session; Type: TABLE DATA; Schema: public; Owner: postgres
--

COPY public.django_session (session_key, session_data, expire_date) FROM stdin;
k1	eyJ1c2VyX2lkIjoxfQ	2025-01-01 00:00:00+00
k2	eyJ1c2VyX2lkIjoyfQ	2025-01-02 00:00:00+00
\.


--
-- Data for Name: empty_table; Type: TABLE DATA; Schema: public; Owner: postgres
--

COPY public.empty_table (id, note) FROM stdin;
\.


--
-- Data for Name: no_columns; Type: TABLE DATA; Schema: public; Owner: postgres
--

COPY public.no_columns  FROM stdin;

\.


--
-- Data for Name: parent_inh; Type: TABLE DATA; Schema: public; Owner: postgres
--

COPY public.parent_inh (id, name) FROM stdin;
1	parent
\.


--
-- Data for Name: wagtailforms_formsubmission; Type: TABLE DATA; Schema: public; Owner: postgres
--

COPY public.wagtailforms_formsubmission (id, form_data, submit_time) FROM stdin;
1	{"message": "Call me on 07911 222333 or at SW1A 1AA", "your_name": "Carol Mendes", "email_address": "carol.mendes@mailbox-golden.net"}	2024-06-01 10:00:00+00
2	{"card": "4539 1488 0343 6467", "your_name": "Dev Patel", "email_address": "dev@mailbox-golden.net"}	2024-06-02 11:00:00+00
\.


--
-- Name: events_id_seq; Type: SEQUENCE SET; Schema: audit; Owner: postgres
--

SELECT pg_catalog.setval('audit.events_id_seq', 3, true);


--
-- Name: auth_user_id_seq; Type: SEQUENCE SET; Schema: public; Owner: postgres
--

SELECT pg_catalog.setval('public.auth_user_id_seq', 4, true);


--
-- Name: standalone_seq; Type: SEQUENCE SET; Schema: public; Owner: postgres
--

SELECT pg_catalog.setval('public.standalone_seq', 1234, true);


--
-- Name: wagtailforms_formsubmission_id_seq; Type: SEQUENCE SET; Schema: public; Owner: postgres
--

SELECT pg_catalog.setval('public.wagtailforms_formsubmission_id_seq', 2, true);


--
-- Data for Name: BLOBS; Type: BLOBS; Schema: -; Owner: -
--

BEGIN;

SELECT pg_catalog.lo_open('16500', 131072);
SELECT pg_catalog.lowrite(0, '\x616e2075706c6f616465642066696c65');
SELECT pg_catalog.lo_close(0);

SELECT pg_catalog.lo_open('16501', 131072);
SELECT pg_catalog.lowrite(0, '\x00010203');
SELECT pg_catalog.lo_close(0);

COMMIT;

--
-- Name: Newsletter Signup Newsletter Signup_pkey; Type: CONSTRAINT; Schema: CRM; Owner: postgres
--

ALTER TABLE ONLY "CRM"."Newsletter Signup"
    ADD CONSTRAINT "Newsletter Signup_pkey" PRIMARY KEY ("ID");


--
-- Name: events events_pkey; Type: CONSTRAINT; Schema: audit; Owner: postgres
--

ALTER TABLE ONLY audit.events
    ADD CONSTRAINT events_pkey PRIMARY KEY (id, happened);


--
-- Name: events_2023 events_2023_pkey; Type: CONSTRAINT; Schema: audit; Owner: postgres
--

ALTER TABLE ONLY audit.events_2023
    ADD CONSTRAINT events_2023_pkey PRIMARY KEY (id, happened);


--
-- Name: events_2024 events_2024_pkey; Type: CONSTRAINT; Schema: audit; Owner: postgres
--

ALTER TABLE ONLY audit.events_2024
    ADD CONSTRAINT events_2024_pkey PRIMARY KEY (id, happened);


--
-- Name: auth_user auth_user_pkey; Type: CONSTRAINT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.auth_user
    ADD CONSTRAINT auth_user_pkey PRIMARY KEY (id);


--
-- Name: auth_user auth_user_username_key; Type: CONSTRAINT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.auth_user
    ADD CONSTRAINT auth_user_username_key UNIQUE (username);


--
-- Name: django_session django_session_pkey; Type: CONSTRAINT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.django_session
    ADD CONSTRAINT django_session_pkey PRIMARY KEY (session_key);


--
-- Name: wagtailforms_formsubmission wagtailforms_formsubmission_pkey; Type: CONSTRAINT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.wagtailforms_formsubmission
    ADD CONSTRAINT wagtailforms_formsubmission_pkey PRIMARY KEY (id);


--
-- Name: events_2023_pkey; Type: INDEX ATTACH; Schema: audit; Owner: postgres
--

ALTER INDEX audit.events_pkey ATTACH PARTITION audit.events_2023_pkey;


--
-- Name: events_2024_pkey; Type: INDEX ATTACH; Schema: audit; Owner: postgres
--

ALTER INDEX audit.events_pkey ATTACH PARTITION audit.events_2024_pkey;


--
-- Name: events events_user_id_fkey; Type: FK CONSTRAINT; Schema: audit; Owner: postgres
--

ALTER TABLE audit.events
    ADD CONSTRAINT events_user_id_fkey FOREIGN KEY (user_id) REFERENCES public.auth_user(id);


--
-- Name: user_count; Type: MATERIALIZED VIEW DATA; Schema: public; Owner: postgres
--

REFRESH MATERIALIZED VIEW public.user_count;


--
-- PostgreSQL database dump complete
--

\unrestrict ae85lxyaQ9drrQ9ez8MgphHeSoM2uX24ljjK3DtgBFANJtGETAAX0CaXKErcG6y


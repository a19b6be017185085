SET client_encoding = 'UTF8';
COPY public.t (a, b) FROM stdin;
1	x\ty
2	\N
\.
SELECT pg_catalog.setval('public.t_id_seq', 2, true);
COPY public."Odd" FROM stdin;
\.

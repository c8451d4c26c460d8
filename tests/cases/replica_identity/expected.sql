-- create table public.c
CREATE TABLE public.c (
    id bigint NOT NULL,
    CONSTRAINT c_pkey PRIMARY KEY (id)
);
ALTER TABLE public.c REPLICA IDENTITY USING INDEX c_pkey;

-- create index a_code_key on public.a
CREATE UNIQUE INDEX a_code_key ON public.a USING btree (code);

-- set replica identity of public.a to a_code_key
ALTER TABLE public.a REPLICA IDENTITY USING INDEX a_code_key;

-- set replica identity of public.b to nothing
ALTER TABLE public.b REPLICA IDENTITY NOTHING;

-- create table public.c
CREATE TABLE public.c (
    id bigint NOT NULL,
    CONSTRAINT c_pkey PRIMARY KEY (id)
);
--   hazard blocks-reads: ACCESS EXCLUSIVE lock on public.c, briefly
--   hazard blocks-writes: ACCESS EXCLUSIVE lock on public.c, briefly
ALTER TABLE public.c REPLICA IDENTITY USING INDEX c_pkey;

-- create index a_code_key on public.a
--   hazard builds-index: builds a_code_key without blocking writes
CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS a_code_key ON public.a USING btree (code);  -- outside a transaction

-- set replica identity of public.a to a_code_key
--   hazard blocks-reads: ACCESS EXCLUSIVE lock on public.a, briefly
--   hazard blocks-writes: ACCESS EXCLUSIVE lock on public.a, briefly
ALTER TABLE public.a REPLICA IDENTITY USING INDEX a_code_key;

-- set replica identity of public.b to nothing
--   hazard blocks-reads: ACCESS EXCLUSIVE lock on public.b, briefly
--   hazard blocks-writes: ACCESS EXCLUSIVE lock on public.b, briefly
ALTER TABLE public.b REPLICA IDENTITY NOTHING;

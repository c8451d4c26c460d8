-- drop primary key events_a_pkey on public.events_a
--   hazard blocks-reads: ACCESS EXCLUSIVE lock on public.events_a, briefly
--   hazard blocks-writes: ACCESS EXCLUSIVE lock on public.events_a, briefly
--   hazard drops-index: the index of events_a_pkey goes with it
ALTER TABLE public.events_a DROP CONSTRAINT events_a_pkey;

-- create table public.archive
CREATE TABLE public.archive (
    id integer,
    note text
);

-- create table public.archive_2024
CREATE TABLE public.archive_2024 (
    archived_at timestamp with time zone
) INHERITS (public.archive);
ALTER TABLE public.archive_2024 ALTER COLUMN id SET NOT NULL;

-- create table public.events_d
CREATE TABLE public.events_d PARTITION OF public.events
FOR VALUES IN ('d');
ALTER TABLE public.events_d ALTER COLUMN note SET NOT NULL;

-- alter column public.events.body (not null)
--   hazard blocks-reads: ACCESS EXCLUSIVE lock on public.events, briefly
--   hazard blocks-writes: ACCESS EXCLUSIVE lock on public.events, briefly
ALTER TABLE public.events ALTER COLUMN body DROP NOT NULL;

-- alter column public.events_a.category (not null)
--   hazard blocks-reads: ACCESS EXCLUSIVE lock on public.events_a, briefly
--   hazard blocks-writes: ACCESS EXCLUSIVE lock on public.events_a, briefly
ALTER TABLE public.events_a ALTER COLUMN category DROP NOT NULL;

-- alter column public.events_a.id (not null)
--   hazard blocks-reads: ACCESS EXCLUSIVE lock on public.events_a, briefly
--   hazard blocks-writes: ACCESS EXCLUSIVE lock on public.events_a, briefly
ALTER TABLE public.events_a ALTER COLUMN id DROP NOT NULL;

-- alter column public.events_b.body (not null)
--   hazard blocks-reads: ACCESS EXCLUSIVE lock on public.events_b, briefly
--   hazard blocks-writes: ACCESS EXCLUSIVE lock on public.events_b, briefly
ALTER TABLE public.events_b ADD CONSTRAINT events_b_body_not_null CHECK (body IS NOT NULL) NOT VALID;
--   hazard scans-table: reads every row of public.events_b under SHARE UPDATE EXCLUSIVE
ALTER TABLE public.events_b VALIDATE CONSTRAINT events_b_body_not_null;  -- outside a transaction
--   hazard blocks-reads: ACCESS EXCLUSIVE lock on public.events_b, briefly
--   hazard blocks-writes: ACCESS EXCLUSIVE lock on public.events_b, briefly
ALTER TABLE public.events_b ALTER COLUMN body SET NOT NULL;
--   hazard blocks-reads: ACCESS EXCLUSIVE lock on public.events_b, briefly
--   hazard blocks-writes: ACCESS EXCLUSIVE lock on public.events_b, briefly
ALTER TABLE public.events_b DROP CONSTRAINT events_b_body_not_null;

-- alter column public.events_b.id (not null)
--   hazard blocks-reads: ACCESS EXCLUSIVE lock on public.events_b, briefly
--   hazard blocks-writes: ACCESS EXCLUSIVE lock on public.events_b, briefly
ALTER TABLE public.events_b ADD CONSTRAINT events_b_id_not_null CHECK (id IS NOT NULL) NOT VALID;
--   hazard scans-table: reads every row of public.events_b under SHARE UPDATE EXCLUSIVE
ALTER TABLE public.events_b VALIDATE CONSTRAINT events_b_id_not_null;  -- outside a transaction
--   hazard blocks-reads: ACCESS EXCLUSIVE lock on public.events_b, briefly
--   hazard blocks-writes: ACCESS EXCLUSIVE lock on public.events_b, briefly
ALTER TABLE public.events_b ALTER COLUMN id SET NOT NULL;
--   hazard blocks-reads: ACCESS EXCLUSIVE lock on public.events_b, briefly
--   hazard blocks-writes: ACCESS EXCLUSIVE lock on public.events_b, briefly
ALTER TABLE public.events_b DROP CONSTRAINT events_b_id_not_null;

-- alter column public.events_c.note (not null)
--   hazard blocks-reads: ACCESS EXCLUSIVE lock on public.events_c, briefly
--   hazard blocks-writes: ACCESS EXCLUSIVE lock on public.events_c, briefly
ALTER TABLE public.events_c ALTER COLUMN note DROP NOT NULL;

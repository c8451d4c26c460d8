-- drop column public.items.also_obsolete
--   hazard blocks-reads: ACCESS EXCLUSIVE lock on public.items, briefly
--   hazard blocks-writes: ACCESS EXCLUSIVE lock on public.items, briefly
--   hazard deletes-data: drops column public.items.also_obsolete and the data in it
--   hazard not-reversible: a downgrade recreates column public.items.also_obsolete empty
ALTER TABLE public.items DROP COLUMN also_obsolete;

-- drop column public.items.obsolete
--   hazard blocks-reads: ACCESS EXCLUSIVE lock on public.items, briefly
--   hazard blocks-writes: ACCESS EXCLUSIVE lock on public.items, briefly
--   hazard deletes-data: drops column public.items.obsolete and the data in it
--   hazard not-reversible: a downgrade recreates column public.items.obsolete empty
ALTER TABLE public.items DROP COLUMN obsolete;

-- add column public.items.name
--   hazard blocks-reads: ACCESS EXCLUSIVE lock on public.items, briefly
--   hazard blocks-writes: ACCESS EXCLUSIVE lock on public.items, briefly
ALTER TABLE public.items ADD COLUMN name text DEFAULT 'unnamed'::text NOT NULL;

-- add column public.items.created_at
--   hazard blocks-reads: ACCESS EXCLUSIVE lock on public.items, briefly
--   hazard blocks-writes: ACCESS EXCLUSIVE lock on public.items, briefly
ALTER TABLE public.items ADD COLUMN created_at timestamp with time zone DEFAULT now() NOT NULL;

-- add column public.items.score
--   hazard blocks-reads: ACCESS EXCLUSIVE lock on public.items, briefly
--   hazard blocks-writes: ACCESS EXCLUSIVE lock on public.items, briefly
ALTER TABLE public.items ADD COLUMN score double precision;

-- add column public.items.flags
--   hazard blocks-reads: ACCESS EXCLUSIVE lock on public.items, briefly
--   hazard blocks-writes: ACCESS EXCLUSIVE lock on public.items, briefly
ALTER TABLE public.items ADD COLUMN flags boolean[];

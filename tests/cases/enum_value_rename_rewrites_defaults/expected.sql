-- rename value 'a' of enum public.e to 'x'
ALTER TYPE public.e RENAME VALUE 'a' TO 'x';

-- drop column public.t.dropped
--   hazard blocks-reads: ACCESS EXCLUSIVE lock on public.t, briefly
--   hazard blocks-writes: ACCESS EXCLUSIVE lock on public.t, briefly
--   hazard deletes-data: drops column public.t.dropped and the data in it
--   hazard not-reversible: a downgrade recreates column public.t.dropped empty
ALTER TABLE public.t DROP COLUMN dropped;

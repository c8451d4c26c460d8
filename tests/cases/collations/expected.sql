-- create collation public.split
CREATE COLLATION public.split (provider = libc, lc_collate = 'C', lc_ctype = 'C.utf8');

-- add column public.t.c
--   hazard blocks-reads: ACCESS EXCLUSIVE lock on public.t, briefly
--   hazard blocks-writes: ACCESS EXCLUSIVE lock on public.t, briefly
ALTER TABLE public.t ADD COLUMN c text COLLATE public.split;

-- alter column public.t.b (collation)
--   hazard blocks-reads: ACCESS EXCLUSIVE lock on public.t, briefly
--   hazard blocks-writes: ACCESS EXCLUSIVE lock on public.t, briefly
--   hazard builds-index: indexes on b are rebuilt
ALTER TABLE public.t ALTER COLUMN b TYPE text COLLATE public.bytes USING b::text;

-- comment on collation public.bytes
COMMENT ON COLLATION public.bytes IS 'byte order';

-- drop collation public.posix
DROP COLLATION public.posix;

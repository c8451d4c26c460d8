-- drop view public.gone_view
--   hazard blocks-reads: ACCESS EXCLUSIVE lock on public.gone_view, briefly
--   hazard blocks-writes: ACCESS EXCLUSIVE lock on public.gone_view, briefly
DROP VIEW public.gone_view;

-- drop table public.gone
--   hazard blocks-reads: ACCESS EXCLUSIVE lock on public.gone, briefly
--   hazard blocks-writes: ACCESS EXCLUSIVE lock on public.gone, briefly
--   hazard deletes-data: drops table public.gone and the data in it
--   hazard not-reversible: a downgrade recreates table public.gone empty
--   hazard untracked-dependencies: function bodies may still use it; PostgreSQL does not track them
DROP TABLE public.gone;

-- drop column public.t.category
--   hazard blocks-reads: ACCESS EXCLUSIVE lock on public.t, briefly
--   hazard blocks-writes: ACCESS EXCLUSIVE lock on public.t, briefly
--   hazard deletes-data: drops column public.t.category and the data in it
--   hazard not-reversible: a downgrade recreates column public.t.category empty
ALTER TABLE public.t DROP COLUMN category;

-- add value 'c' to enum public.e
--   hazard not-reversible: PostgreSQL cannot remove an enum value: the downgrade recreates the type and fails while rows hold the value
ALTER TYPE public.e ADD VALUE 'c' BEFORE 'b';  -- outside a transaction

-- create table public.fresh
CREATE TABLE public.fresh (
    id integer,
    state public.e DEFAULT 'c'::public.e
);

-- alter column public.t.was_enum (type, default)
--   hazard blocks-reads: ACCESS EXCLUSIVE lock on public.t, briefly
--   hazard blocks-writes: ACCESS EXCLUSIVE lock on public.t, briefly
ALTER TABLE public.t ALTER COLUMN was_enum DROP DEFAULT;
--   hazard blocks-reads: ACCESS EXCLUSIVE lock on public.t, for the whole statement
--   hazard blocks-writes: ACCESS EXCLUSIVE lock on public.t, for the whole statement
--   hazard deletes-data: public.e to text may cut or round values of public.t.was_enum
--   hazard not-reversible: a downgrade cannot restore cut values
--   hazard rewrites-table: public.e to text has no binary-compatible cast
ALTER TABLE public.t ALTER COLUMN was_enum TYPE text USING was_enum::text;
--   hazard blocks-reads: ACCESS EXCLUSIVE lock on public.t, briefly
--   hazard blocks-writes: ACCESS EXCLUSIVE lock on public.t, briefly
ALTER TABLE public.t ALTER COLUMN was_enum SET DEFAULT 'a'::text;

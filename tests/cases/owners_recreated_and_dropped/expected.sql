SET check_function_bodies = false;

-- make the role running the plan owner of function public.add(a integer)
ALTER FUNCTION public.add(a integer) OWNER TO CURRENT_USER;

-- make the role running the plan owner of table public.gone
ALTER TABLE public.gone OWNER TO CURRENT_USER;

-- make the role running the plan owner of view public.item_ids
ALTER VIEW public.item_ids OWNER TO CURRENT_USER;

-- drop view public.item_ids
--   hazard blocks-reads: ACCESS EXCLUSIVE lock on public.item_ids, briefly
--   hazard blocks-writes: ACCESS EXCLUSIVE lock on public.item_ids, briefly
DROP VIEW public.item_ids;

-- drop table public.gone
--   hazard blocks-reads: ACCESS EXCLUSIVE lock on public.gone, briefly
--   hazard blocks-writes: ACCESS EXCLUSIVE lock on public.gone, briefly
--   hazard deletes-data: drops table public.gone and the data in it
--   hazard not-reversible: a downgrade recreates table public.gone empty
--   hazard untracked-dependencies: function bodies may still use it; PostgreSQL does not track them
DROP TABLE public.gone;

-- create function public.add(a integer, b integer)
--   hazard untracked-dependencies: PostgreSQL does not track what a function body uses; callers may break
CREATE OR REPLACE FUNCTION public.add(a integer, b integer)
 RETURNS integer
 LANGUAGE sql
AS $function$SELECT a + b$function$;

-- alter column public.items.id (type)
--   hazard blocks-reads: ACCESS EXCLUSIVE lock on public.items, for the whole statement
--   hazard blocks-writes: ACCESS EXCLUSIVE lock on public.items, for the whole statement
--   hazard rewrites-table: integer to bigint has no binary-compatible cast
ALTER TABLE public.items ALTER COLUMN id TYPE bigint USING id::bigint;

-- create view public.item_ids
CREATE VIEW public.item_ids AS
SELECT items.id
   FROM public.items;

-- make case_owner_a owner of function public.add(a integer, b integer)
ALTER FUNCTION public.add(a integer, b integer) OWNER TO case_owner_a;

-- make case_owner_b owner of view public.item_ids
ALTER VIEW public.item_ids OWNER TO case_owner_b;

-- drop function public.add(a integer)
--   hazard untracked-dependencies: PostgreSQL does not track what a function body uses; callers may break
DROP FUNCTION public.add(a integer);

-- make case_owner_b owner of domain public.positive
--   hazard changes-authorization: case_owner_b gets every privilege on domain public.positive
ALTER DOMAIN public.positive OWNER TO case_owner_b;

-- make case_owner_b owner of function public.twice(a integer)
--   hazard changes-authorization: case_owner_b gets every privilege on function public.twice(a integer)
ALTER FUNCTION public.twice(a integer) OWNER TO case_owner_b;

-- make case_owner_b owner of materialized view public.item_count
--   hazard blocks-reads: ACCESS EXCLUSIVE lock on public.item_count, briefly
--   hazard blocks-writes: ACCESS EXCLUSIVE lock on public.item_count, briefly
--   hazard changes-authorization: case_owner_b gets every privilege on materialized view public.item_count
ALTER MATERIALIZED VIEW public.item_count OWNER TO case_owner_b;

-- make case_owner_b owner of procedure public.nothing()
--   hazard changes-authorization: case_owner_b gets every privilege on procedure public.nothing()
ALTER PROCEDURE public.nothing() OWNER TO case_owner_b;

-- make case_owner_b owner of sequence public.tickets
--   hazard blocks-reads: ACCESS EXCLUSIVE lock on public.tickets, briefly
--   hazard blocks-writes: ACCESS EXCLUSIVE lock on public.tickets, briefly
--   hazard changes-authorization: case_owner_b gets every privilege on sequence public.tickets
ALTER SEQUENCE public.tickets OWNER TO case_owner_b;

-- make case_owner_b owner of table public.items
--   hazard blocks-reads: ACCESS EXCLUSIVE lock on public.items, briefly
--   hazard blocks-writes: ACCESS EXCLUSIVE lock on public.items, briefly
--   hazard changes-authorization: case_owner_b gets every privilege on table public.items
ALTER TABLE public.items OWNER TO case_owner_b;

-- make case_owner_b owner of type public.mood
--   hazard changes-authorization: case_owner_b gets every privilege on type public.mood
ALTER TYPE public.mood OWNER TO case_owner_b;

-- make case_owner_b owner of type public.pair
--   hazard changes-authorization: case_owner_b gets every privilege on type public.pair
ALTER TYPE public.pair OWNER TO case_owner_b;

-- make case_owner_b owner of view public.item_ids
--   hazard blocks-reads: ACCESS EXCLUSIVE lock on public.item_ids, briefly
--   hazard blocks-writes: ACCESS EXCLUSIVE lock on public.item_ids, briefly
--   hazard changes-authorization: case_owner_b gets every privilege on view public.item_ids
ALTER VIEW public.item_ids OWNER TO case_owner_b;

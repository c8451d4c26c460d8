-- revoke select on public.item_amounts from case_reader
--   hazard changes-authorization: takes a privilege from case_reader
REVOKE SELECT ON TABLE public.item_amounts FROM case_reader;

-- make the role running the plan owner of view public.item_amounts
ALTER VIEW public.item_amounts OWNER TO CURRENT_USER;

-- drop view public.item_amounts
--   hazard blocks-reads: ACCESS EXCLUSIVE lock on public.item_amounts, briefly
--   hazard blocks-writes: ACCESS EXCLUSIVE lock on public.item_amounts, briefly
DROP VIEW public.item_amounts;

-- alter column public.items.amount (type)
--   hazard blocks-reads: ACCESS EXCLUSIVE lock on public.items, for the whole statement
--   hazard blocks-writes: ACCESS EXCLUSIVE lock on public.items, for the whole statement
--   hazard rewrites-table: integer to bigint has no binary-compatible cast
ALTER TABLE public.items ALTER COLUMN amount TYPE bigint USING amount::bigint;

-- create view public.item_amounts
CREATE VIEW public.item_amounts AS
SELECT items.id,
    items.amount
   FROM public.items;

-- make case_owner_a owner of view public.item_amounts
ALTER VIEW public.item_amounts OWNER TO case_owner_a;

-- grant select on public.item_amounts to case_reader
--   hazard changes-authorization: gives case_reader a privilege
GRANT SELECT ON TABLE public.item_amounts TO case_reader;

-- rename table public.items to goods
--   hazard blocks-reads: ACCESS EXCLUSIVE lock on public.items, briefly
--   hazard blocks-writes: ACCESS EXCLUSIVE lock on public.items, briefly
ALTER TABLE public.items RENAME TO goods;

-- make case_owner_b owner of table public.goods
--   hazard blocks-reads: ACCESS EXCLUSIVE lock on public.goods, briefly
--   hazard blocks-writes: ACCESS EXCLUSIVE lock on public.goods, briefly
--   hazard changes-authorization: case_owner_b gets every privilege on table public.goods
ALTER TABLE public.goods OWNER TO case_owner_b;

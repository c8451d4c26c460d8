-- drop policy positive_rows on public.clinical_items
--   hazard blocks-reads: ACCESS EXCLUSIVE lock on public.clinical_items, briefly
--   hazard blocks-writes: ACCESS EXCLUSIVE lock on public.clinical_items, briefly
--   hazard changes-authorization: changes who may use rows of public.clinical_items
DROP POLICY positive_rows ON public.clinical_items;

-- drop policy own_positive_rows on public.items
--   hazard blocks-reads: ACCESS EXCLUSIVE lock on public.items, briefly
--   hazard blocks-writes: ACCESS EXCLUSIVE lock on public.items, briefly
--   hazard changes-authorization: changes who may use rows of public.items
DROP POLICY own_positive_rows ON public.items;

-- drop trigger clinical_items_positive on public.clinical_items
--   hazard blocks-reads: ACCESS EXCLUSIVE lock on public.clinical_items, briefly
--   hazard blocks-writes: ACCESS EXCLUSIVE lock on public.clinical_items, briefly
DROP TRIGGER clinical_items_positive ON public.clinical_items;

-- drop view public.positive_items
--   hazard blocks-reads: ACCESS EXCLUSIVE lock on public.positive_items, briefly
--   hazard blocks-writes: ACCESS EXCLUSIVE lock on public.positive_items, briefly
DROP VIEW public.positive_items;

-- alter column public.items.n (type)
--   hazard blocks-reads: ACCESS EXCLUSIVE lock on public.items, for the whole statement
--   hazard blocks-writes: ACCESS EXCLUSIVE lock on public.items, for the whole statement
--   hazard rewrites-table: integer to bigint has no binary-compatible cast
ALTER TABLE public.items ALTER COLUMN n TYPE bigint USING n::bigint;

-- create view public.positive_items
CREATE VIEW public.positive_items AS
SELECT clinical_items.id
   FROM public.clinical_items
  WHERE (clinical_items.n > 0);

-- create trigger clinical_items_positive on public.clinical_items
--   hazard blocks-writes: SHARE ROW EXCLUSIVE lock on public.clinical_items, briefly
CREATE TRIGGER clinical_items_positive BEFORE INSERT ON public.clinical_items FOR EACH ROW WHEN ((new.n > 0)) EXECUTE FUNCTION public.keep();

-- create policy positive_rows on public.clinical_items
--   hazard blocks-reads: ACCESS EXCLUSIVE lock on public.clinical_items, briefly
--   hazard blocks-writes: ACCESS EXCLUSIVE lock on public.clinical_items, briefly
--   hazard changes-authorization: changes who may use rows of public.clinical_items
CREATE POLICY positive_rows ON public.clinical_items USING ((n > 0));

-- create policy own_positive_rows on public.items
--   hazard blocks-reads: ACCESS EXCLUSIVE lock on public.items, briefly
--   hazard blocks-writes: ACCESS EXCLUSIVE lock on public.items, briefly
--   hazard changes-authorization: changes who may use rows of public.items
CREATE POLICY own_positive_rows ON public.items USING ((n > 0));

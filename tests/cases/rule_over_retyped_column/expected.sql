-- drop rule upsert on public.cui
--   hazard blocks-reads: ACCESS EXCLUSIVE lock on public.cui, briefly
--   hazard blocks-writes: ACCESS EXCLUSIVE lock on public.cui, briefly
DROP RULE upsert ON public.cui;

-- drop rule items_log on public.items
--   hazard blocks-reads: ACCESS EXCLUSIVE lock on public.items, briefly
--   hazard blocks-writes: ACCESS EXCLUSIVE lock on public.items, briefly
DROP RULE items_log ON public.items;

-- alter column public.cui.k (type)
--   hazard blocks-reads: ACCESS EXCLUSIVE lock on public.cui, briefly
--   hazard blocks-writes: ACCESS EXCLUSIVE lock on public.cui, briefly
ALTER TABLE public.cui ALTER COLUMN k TYPE text USING k::text;

-- alter column public.cui.v (type)
--   hazard blocks-reads: ACCESS EXCLUSIVE lock on public.cui, briefly
--   hazard blocks-writes: ACCESS EXCLUSIVE lock on public.cui, briefly
ALTER TABLE public.cui ALTER COLUMN v TYPE text USING v::text;

-- create rule upsert on public.cui
--   hazard blocks-reads: ACCESS EXCLUSIVE lock on public.cui, briefly
--   hazard blocks-writes: ACCESS EXCLUSIVE lock on public.cui, briefly
CREATE RULE upsert AS
    ON INSERT TO public.cui
   WHERE (EXISTS ( SELECT 1
           FROM public.cui cui_1
          WHERE (cui_1.k = new.k))) DO INSTEAD  UPDATE public.cui SET v = new.v
  WHERE (cui.k = new.k);
COMMENT ON RULE upsert ON public.cui IS 'FreeRADIUS''s upsert';

-- create rule items_log on public.items
--   hazard blocks-reads: ACCESS EXCLUSIVE lock on public.items, briefly
--   hazard blocks-writes: ACCESS EXCLUSIVE lock on public.items, briefly
CREATE RULE items_log AS
    ON UPDATE TO public.items DO  INSERT INTO public.cui (k, v)
  VALUES ((new.id)::text, new.name);
--   hazard blocks-reads: ACCESS EXCLUSIVE lock on public.items, briefly
--   hazard blocks-writes: ACCESS EXCLUSIVE lock on public.items, briefly
ALTER TABLE public.items DISABLE RULE items_log;

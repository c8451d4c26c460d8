-- drop rule upsert on public.cui
--   hazard blocks-reads: ACCESS EXCLUSIVE lock on public.cui, briefly
--   hazard blocks-writes: ACCESS EXCLUSIVE lock on public.cui, briefly
DROP RULE upsert ON public.cui;

-- rename column public.cui.v to value
--   hazard blocks-reads: ACCESS EXCLUSIVE lock on public.cui, briefly
--   hazard blocks-writes: ACCESS EXCLUSIVE lock on public.cui, briefly
ALTER TABLE public.cui RENAME COLUMN v TO value;

-- create rule upsert on public.cui
--   hazard blocks-reads: ACCESS EXCLUSIVE lock on public.cui, briefly
--   hazard blocks-writes: ACCESS EXCLUSIVE lock on public.cui, briefly
CREATE RULE upsert AS
    ON INSERT TO public.cui
   WHERE (EXISTS ( SELECT 1
           FROM public.cui cui_1
          WHERE (cui_1.k = new.k))) DO INSTEAD  UPDATE public.cui SET value = new.value
  WHERE (cui.k = new.k);

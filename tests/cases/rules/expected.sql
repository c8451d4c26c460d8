-- drop rule cui_keep on public.cui
--   hazard blocks-reads: ACCESS EXCLUSIVE lock on public.cui, briefly
--   hazard blocks-writes: ACCESS EXCLUSIVE lock on public.cui, briefly
DROP RULE cui_keep ON public.cui;

-- drop rule upsert on public.cui
--   hazard blocks-reads: ACCESS EXCLUSIVE lock on public.cui, briefly
--   hazard blocks-writes: ACCESS EXCLUSIVE lock on public.cui, briefly
DROP RULE upsert ON public.cui;

-- drop rule cv_insert on public.cv
--   hazard blocks-reads: ACCESS EXCLUSIVE lock on public.cv, briefly
--   hazard blocks-writes: ACCESS EXCLUSIVE lock on public.cv, briefly
DROP RULE cv_insert ON public.cv;

-- create table public.archive
CREATE TABLE public.archive (
    k text
);

-- create rule archive_once on public.archive
CREATE RULE archive_once AS
    ON INSERT TO public.archive
   WHERE (EXISTS ( SELECT 1
           FROM public.archive a
          WHERE (a.k = new.k))) DO INSTEAD NOTHING;
COMMENT ON RULE archive_once ON public.archive IS 'no duplicates';

-- create rule cui_log_delete on public.cui
--   hazard blocks-reads: ACCESS EXCLUSIVE lock on public.cui, briefly
--   hazard blocks-writes: ACCESS EXCLUSIVE lock on public.cui, briefly
CREATE RULE cui_log_delete AS
    ON DELETE TO public.cui DO ( INSERT INTO public.log (k)
  VALUES (old.k);
 UPDATE public.log SET at = now()
  WHERE (log.k = old.k);
);
--   hazard blocks-reads: ACCESS EXCLUSIVE lock on public.cui, briefly
--   hazard blocks-writes: ACCESS EXCLUSIVE lock on public.cui, briefly
ALTER TABLE public.cui ENABLE REPLICA RULE cui_log_delete;

-- create rule upsert on public.cui
--   hazard blocks-reads: ACCESS EXCLUSIVE lock on public.cui, briefly
--   hazard blocks-writes: ACCESS EXCLUSIVE lock on public.cui, briefly
CREATE RULE upsert AS
    ON INSERT TO public.cui
   WHERE (EXISTS ( SELECT 1
           FROM public.cui cui_1
          WHERE ((cui_1.k = new.k) AND (cui_1.v IS DISTINCT FROM new.v)))) DO INSTEAD  UPDATE public.cui SET v = new.v
  WHERE (cui.k = new.k);

-- create rule cv_delete on public.cv
--   hazard blocks-reads: ACCESS EXCLUSIVE lock on public.cv, briefly
--   hazard blocks-writes: ACCESS EXCLUSIVE lock on public.cv, briefly
CREATE RULE cv_delete AS
    ON DELETE TO public.cv DO INSTEAD  DELETE FROM public.cui
  WHERE (cui.k = old.k);

-- create rule cv_insert on public.cv
--   hazard blocks-reads: ACCESS EXCLUSIVE lock on public.cv, briefly
--   hazard blocks-writes: ACCESS EXCLUSIVE lock on public.cv, briefly
CREATE RULE cv_insert AS
    ON INSERT TO public.cv DO INSTEAD  INSERT INTO public.cui (k, v)
  VALUES (new.k, upper(new.v));

-- set rule cui_log on public.cui to disabled
--   hazard blocks-reads: ACCESS EXCLUSIVE lock on public.cui, briefly
--   hazard blocks-writes: ACCESS EXCLUSIVE lock on public.cui, briefly
ALTER TABLE public.cui DISABLE RULE cui_log;

-- comment on rule cui_log on public.cui
COMMENT ON RULE cui_log ON public.cui IS 'logging is off for now';

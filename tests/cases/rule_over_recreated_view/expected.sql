-- drop rule v_insert on public.v
DROP RULE v_insert ON public.v;

-- drop rule log_known on public.log
--   hazard blocks-reads: ACCESS EXCLUSIVE lock on public.log, briefly
--   hazard blocks-writes: ACCESS EXCLUSIVE lock on public.log, briefly
DROP RULE log_known ON public.log;

-- drop view public.v
--   hazard blocks-reads: ACCESS EXCLUSIVE lock on public.v, briefly
--   hazard blocks-writes: ACCESS EXCLUSIVE lock on public.v, briefly
DROP VIEW public.v;

-- create view public.v
CREATE VIEW public.v AS
SELECT (t.id)::bigint AS id,
    t.name
   FROM public.t;

-- create rule v_insert on public.v
CREATE RULE v_insert AS
    ON INSERT TO public.v DO INSTEAD  INSERT INTO public.t (id, name)
  VALUES (new.id, new.name);

-- create rule log_known on public.log
--   hazard blocks-reads: ACCESS EXCLUSIVE lock on public.log, briefly
--   hazard blocks-writes: ACCESS EXCLUSIVE lock on public.log, briefly
CREATE RULE log_known AS
    ON INSERT TO public.log
   WHERE (NOT (EXISTS ( SELECT 1
           FROM public.v
          WHERE (v.id = new.id)))) DO INSTEAD NOTHING;

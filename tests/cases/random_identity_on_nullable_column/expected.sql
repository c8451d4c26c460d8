-- alter column public.t.id (not null, identity)
--   hazard blocks-reads: ACCESS EXCLUSIVE lock on public.t, briefly
--   hazard blocks-writes: ACCESS EXCLUSIVE lock on public.t, briefly
ALTER TABLE public.t ADD CONSTRAINT t_id_not_null CHECK (id IS NOT NULL) NOT VALID;
--   hazard scans-table: reads every row of public.t under SHARE UPDATE EXCLUSIVE
ALTER TABLE public.t VALIDATE CONSTRAINT t_id_not_null;  -- outside a transaction
--   hazard blocks-reads: ACCESS EXCLUSIVE lock on public.t, briefly
--   hazard blocks-writes: ACCESS EXCLUSIVE lock on public.t, briefly
ALTER TABLE public.t ALTER COLUMN id SET NOT NULL;
--   hazard blocks-reads: ACCESS EXCLUSIVE lock on public.t, briefly
--   hazard blocks-writes: ACCESS EXCLUSIVE lock on public.t, briefly
ALTER TABLE public.t DROP CONSTRAINT t_id_not_null;
ALTER TABLE public.t ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY;

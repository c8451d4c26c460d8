-- add unique memberships_code_group_id_email_key on public.memberships
--   hazard builds-index: builds memberships_code_group_id_email_key without blocking writes
CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS memberships_code_group_id_email_key ON public.memberships USING btree (code, group_id) INCLUDE (email);  -- outside a transaction
--   hazard blocks-reads: ACCESS EXCLUSIVE lock on public.memberships, briefly
--   hazard blocks-writes: ACCESS EXCLUSIVE lock on public.memberships, briefly
ALTER TABLE public.memberships ADD CONSTRAINT memberships_code_group_id_email_key UNIQUE USING INDEX memberships_code_group_id_email_key DEFERRABLE INITIALLY DEFERRED;

-- add unique memberships_email_key on public.memberships
--   hazard builds-index: builds memberships_email_key without blocking writes
CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS memberships_email_key ON public.memberships USING btree (email) NULLS NOT DISTINCT;  -- outside a transaction
--   hazard blocks-reads: ACCESS EXCLUSIVE lock on public.memberships, briefly
--   hazard blocks-writes: ACCESS EXCLUSIVE lock on public.memberships, briefly
ALTER TABLE public.memberships ADD CONSTRAINT memberships_email_key UNIQUE USING INDEX memberships_email_key;

-- add primary key memberships_pk on public.memberships
--   hazard builds-index: builds memberships_pk without blocking writes
CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS memberships_pk ON public.memberships USING btree (user_id, group_id);  -- outside a transaction
--   hazard blocks-reads: ACCESS EXCLUSIVE lock on public.memberships, briefly
--   hazard blocks-writes: ACCESS EXCLUSIVE lock on public.memberships, briefly
ALTER TABLE public.memberships ADD CONSTRAINT memberships_pk PRIMARY KEY USING INDEX memberships_pk;

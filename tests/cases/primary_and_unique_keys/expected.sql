-- add unique memberships_code_group_id_email_key on public.memberships
--   hazard blocks-reads: ACCESS EXCLUSIVE lock on public.memberships, for the whole statement
--   hazard blocks-writes: ACCESS EXCLUSIVE lock on public.memberships, for the whole statement
--   hazard builds-index: builds the index of memberships_code_group_id_email_key
--   hazard scans-table: checks every row of public.memberships
ALTER TABLE public.memberships ADD CONSTRAINT memberships_code_group_id_email_key UNIQUE (code, group_id) INCLUDE (email) DEFERRABLE INITIALLY DEFERRED;

-- add unique memberships_email_key on public.memberships
--   hazard blocks-reads: ACCESS EXCLUSIVE lock on public.memberships, for the whole statement
--   hazard blocks-writes: ACCESS EXCLUSIVE lock on public.memberships, for the whole statement
--   hazard builds-index: builds the index of memberships_email_key
--   hazard scans-table: checks every row of public.memberships
ALTER TABLE public.memberships ADD CONSTRAINT memberships_email_key UNIQUE NULLS NOT DISTINCT (email);

-- add primary key memberships_pk on public.memberships
--   hazard blocks-reads: ACCESS EXCLUSIVE lock on public.memberships, for the whole statement
--   hazard blocks-writes: ACCESS EXCLUSIVE lock on public.memberships, for the whole statement
--   hazard builds-index: builds the index of memberships_pk
--   hazard scans-table: checks every row of public.memberships
ALTER TABLE public.memberships ADD CONSTRAINT memberships_pk PRIMARY KEY (user_id, group_id);

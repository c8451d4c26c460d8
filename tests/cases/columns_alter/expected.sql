-- alter column public.accounts.balance (type, default)
--   hazard blocks-reads: ACCESS EXCLUSIVE lock on public.accounts, briefly
--   hazard blocks-writes: ACCESS EXCLUSIVE lock on public.accounts, briefly
ALTER TABLE public.accounts ALTER COLUMN balance DROP DEFAULT;
--   hazard blocks-reads: ACCESS EXCLUSIVE lock on public.accounts, for the whole statement
--   hazard blocks-writes: ACCESS EXCLUSIVE lock on public.accounts, for the whole statement
--   hazard rewrites-table: numeric(10,2) to numeric(20,4) has no binary-compatible cast
ALTER TABLE public.accounts ALTER COLUMN balance TYPE numeric(20,4) USING balance::numeric(20,4);
--   hazard blocks-reads: ACCESS EXCLUSIVE lock on public.accounts, briefly
--   hazard blocks-writes: ACCESS EXCLUSIVE lock on public.accounts, briefly
ALTER TABLE public.accounts ALTER COLUMN balance SET DEFAULT 0.5;

-- alter column public.accounts.code (type, not null)
--   hazard blocks-reads: ACCESS EXCLUSIVE lock on public.accounts, briefly
--   hazard blocks-writes: ACCESS EXCLUSIVE lock on public.accounts, briefly
ALTER TABLE public.accounts ALTER COLUMN code TYPE character varying(50) USING code::character varying(50);
--   hazard blocks-reads: ACCESS EXCLUSIVE lock on public.accounts, briefly
--   hazard blocks-writes: ACCESS EXCLUSIVE lock on public.accounts, briefly
ALTER TABLE public.accounts ADD CONSTRAINT accounts_code_not_null CHECK (code IS NOT NULL) NOT VALID;
--   hazard scans-table: reads every row of public.accounts under SHARE UPDATE EXCLUSIVE
ALTER TABLE public.accounts VALIDATE CONSTRAINT accounts_code_not_null;  -- outside a transaction
--   hazard blocks-reads: ACCESS EXCLUSIVE lock on public.accounts, briefly
--   hazard blocks-writes: ACCESS EXCLUSIVE lock on public.accounts, briefly
ALTER TABLE public.accounts ALTER COLUMN code SET NOT NULL;
--   hazard blocks-reads: ACCESS EXCLUSIVE lock on public.accounts, briefly
--   hazard blocks-writes: ACCESS EXCLUSIVE lock on public.accounts, briefly
ALTER TABLE public.accounts DROP CONSTRAINT accounts_code_not_null;

-- alter column public.accounts.id (type)
--   hazard blocks-reads: ACCESS EXCLUSIVE lock on public.accounts, for the whole statement
--   hazard blocks-writes: ACCESS EXCLUSIVE lock on public.accounts, for the whole statement
--   hazard rewrites-table: integer to bigint has no binary-compatible cast
ALTER TABLE public.accounts ALTER COLUMN id TYPE bigint USING id::bigint;

-- alter column public.accounts.label (collation)
--   hazard blocks-reads: ACCESS EXCLUSIVE lock on public.accounts, briefly
--   hazard blocks-writes: ACCESS EXCLUSIVE lock on public.accounts, briefly
--   hazard builds-index: indexes on label are rebuilt
ALTER TABLE public.accounts ALTER COLUMN label TYPE text COLLATE "POSIX" USING label::text;

-- alter column public.accounts.note (default)
--   hazard blocks-reads: ACCESS EXCLUSIVE lock on public.accounts, briefly
--   hazard blocks-writes: ACCESS EXCLUSIVE lock on public.accounts, briefly
ALTER TABLE public.accounts ALTER COLUMN note DROP DEFAULT;

-- alter column public.accounts.status (not null, default)
--   hazard blocks-reads: ACCESS EXCLUSIVE lock on public.accounts, briefly
--   hazard blocks-writes: ACCESS EXCLUSIVE lock on public.accounts, briefly
ALTER TABLE public.accounts ALTER COLUMN status SET DEFAULT 'new'::text;
--   hazard blocks-reads: ACCESS EXCLUSIVE lock on public.accounts, briefly
--   hazard blocks-writes: ACCESS EXCLUSIVE lock on public.accounts, briefly
ALTER TABLE public.accounts ALTER COLUMN status DROP NOT NULL;

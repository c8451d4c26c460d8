-- rename constraint transfers_account_code_fkey on public.transfers to transfers_code_fk
--   hazard blocks-reads: ACCESS EXCLUSIVE lock on public.transfers, briefly
--   hazard blocks-writes: ACCESS EXCLUSIVE lock on public.transfers, briefly
ALTER TABLE public.transfers RENAME CONSTRAINT transfers_account_code_fkey TO transfers_code_fk;

-- drop foreign key transfers_code_fk on public.transfers
--   hazard blocks-reads: ACCESS EXCLUSIVE lock on public.transfers, briefly
--   hazard blocks-writes: ACCESS EXCLUSIVE lock on public.transfers, briefly
ALTER TABLE public.transfers DROP CONSTRAINT transfers_code_fk;

-- drop unique accounts_code_key on public.accounts
--   hazard blocks-reads: ACCESS EXCLUSIVE lock on public.accounts, briefly
--   hazard blocks-writes: ACCESS EXCLUSIVE lock on public.accounts, briefly
--   hazard drops-index: the index of accounts_code_key goes with it
ALTER TABLE public.accounts DROP CONSTRAINT accounts_code_key;

-- add unique accounts_code_key on public.accounts
--   hazard builds-index: builds accounts_code_key without blocking writes
CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS accounts_code_key ON public.accounts USING btree (code) NULLS NOT DISTINCT;  -- outside a transaction
--   hazard blocks-reads: ACCESS EXCLUSIVE lock on public.accounts, briefly
--   hazard blocks-writes: ACCESS EXCLUSIVE lock on public.accounts, briefly
ALTER TABLE public.accounts ADD CONSTRAINT accounts_code_key UNIQUE USING INDEX accounts_code_key;

-- add foreign key transfers_code_fk on public.transfers
--   hazard blocks-writes: SHARE ROW EXCLUSIVE lock on public.transfers and public.accounts, briefly
ALTER TABLE public.transfers ADD CONSTRAINT transfers_code_fk FOREIGN KEY (account_code) REFERENCES public.accounts (code) NOT VALID;
--   hazard scans-table: reads every row of public.transfers under SHARE UPDATE EXCLUSIVE
ALTER TABLE public.transfers VALIDATE CONSTRAINT transfers_code_fk;  -- outside a transaction

-- drop check payments_amount_positive on public.payments
--   hazard blocks-reads: ACCESS EXCLUSIVE lock on public.payments, briefly
--   hazard blocks-writes: ACCESS EXCLUSIVE lock on public.payments, briefly
ALTER TABLE public.payments DROP CONSTRAINT payments_amount_positive;

-- add unique accounts_code_key on public.accounts
--   hazard builds-index: builds accounts_code_key without blocking writes
CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS accounts_code_key ON public.accounts USING btree (code);  -- outside a transaction
--   hazard blocks-reads: ACCESS EXCLUSIVE lock on public.accounts, briefly
--   hazard blocks-writes: ACCESS EXCLUSIVE lock on public.accounts, briefly
ALTER TABLE public.accounts ADD CONSTRAINT accounts_code_key UNIQUE USING INDEX accounts_code_key;
COMMENT ON CONSTRAINT accounts_code_key ON public.accounts IS 'codes are shared with billing';

-- add check payments_amount_positive on public.payments
--   hazard blocks-reads: ACCESS EXCLUSIVE lock on public.payments, briefly
--   hazard blocks-writes: ACCESS EXCLUSIVE lock on public.payments, briefly
ALTER TABLE public.payments ADD CONSTRAINT payments_amount_positive CHECK ((amount >= (0)::numeric)) NOT VALID;
--   hazard scans-table: reads every row of public.payments under SHARE UPDATE EXCLUSIVE
ALTER TABLE public.payments VALIDATE CONSTRAINT payments_amount_positive;  -- outside a transaction
COMMENT ON CONSTRAINT payments_amount_positive ON public.payments IS 'no refunds here';

-- add foreign key payments_account_fkey on public.payments
--   hazard blocks-writes: SHARE ROW EXCLUSIVE lock on public.payments and public.accounts, briefly
ALTER TABLE public.payments ADD CONSTRAINT payments_account_fkey FOREIGN KEY (account_id) REFERENCES public.accounts (id) NOT VALID;
--   hazard scans-table: reads every row of public.payments under SHARE UPDATE EXCLUSIVE
ALTER TABLE public.payments VALIDATE CONSTRAINT payments_account_fkey;  -- outside a transaction
COMMENT ON CONSTRAINT payments_account_fkey ON public.payments IS 'every payment has an account';

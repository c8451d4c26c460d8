-- drop check prices_to_remove on public.prices
--   hazard blocks-reads: ACCESS EXCLUSIVE lock on public.prices, briefly
--   hazard blocks-writes: ACCESS EXCLUSIVE lock on public.prices, briefly
ALTER TABLE public.prices DROP CONSTRAINT prices_to_remove;

-- drop check prices_amount_positive on public.prices
--   hazard blocks-reads: ACCESS EXCLUSIVE lock on public.prices, briefly
--   hazard blocks-writes: ACCESS EXCLUSIVE lock on public.prices, briefly
ALTER TABLE public.prices DROP CONSTRAINT prices_amount_positive;

-- add check prices_amount_check on public.prices
--   hazard blocks-reads: ACCESS EXCLUSIVE lock on public.prices, briefly
--   hazard blocks-writes: ACCESS EXCLUSIVE lock on public.prices, briefly
ALTER TABLE public.prices ADD CONSTRAINT prices_amount_check CHECK ((amount < (1000000)::numeric)) NOT VALID;
--   hazard scans-table: reads every row of public.prices under SHARE UPDATE EXCLUSIVE
ALTER TABLE public.prices VALIDATE CONSTRAINT prices_amount_check;  -- outside a transaction

-- add check prices_currency_upper on public.prices
--   hazard blocks-reads: ACCESS EXCLUSIVE lock on public.prices, briefly
--   hazard blocks-writes: ACCESS EXCLUSIVE lock on public.prices, briefly
ALTER TABLE public.prices ADD CONSTRAINT prices_currency_upper CHECK (((currency)::text = upper((currency)::text))) NOT VALID;
--   hazard scans-table: reads every row of public.prices under SHARE UPDATE EXCLUSIVE
ALTER TABLE public.prices VALIDATE CONSTRAINT prices_currency_upper;  -- outside a transaction

-- add check prices_amount_positive on public.prices
--   hazard blocks-reads: ACCESS EXCLUSIVE lock on public.prices, briefly
--   hazard blocks-writes: ACCESS EXCLUSIVE lock on public.prices, briefly
ALTER TABLE public.prices ADD CONSTRAINT prices_amount_positive CHECK ((amount >= (0)::numeric)) NOT VALID;
--   hazard scans-table: reads every row of public.prices under SHARE UPDATE EXCLUSIVE
ALTER TABLE public.prices VALIDATE CONSTRAINT prices_amount_positive;  -- outside a transaction

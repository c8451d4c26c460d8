-- drop foreign key orders_customer_fk on public.orders
--   hazard blocks-reads: ACCESS EXCLUSIVE lock on public.orders, briefly
--   hazard blocks-writes: ACCESS EXCLUSIVE lock on public.orders, briefly
ALTER TABLE public.orders DROP CONSTRAINT orders_customer_fk;

-- add foreign key orders_region_code_fkey on public.orders
--   hazard blocks-writes: SHARE ROW EXCLUSIVE lock on public.orders and public.customers, briefly
ALTER TABLE public.orders ADD CONSTRAINT orders_region_code_fkey FOREIGN KEY (region, code) REFERENCES public.customers (region, code) MATCH FULL ON DELETE SET NULL NOT VALID;
--   hazard scans-table: reads every row of public.orders under SHARE UPDATE EXCLUSIVE
ALTER TABLE public.orders VALIDATE CONSTRAINT orders_region_code_fkey;  -- outside a transaction

-- add foreign key orders_customer_fk on public.orders
--   hazard blocks-writes: SHARE ROW EXCLUSIVE lock on public.orders and public.customers, briefly
ALTER TABLE public.orders ADD CONSTRAINT orders_customer_fk FOREIGN KEY (customer_id) REFERENCES public.customers (id) ON UPDATE RESTRICT ON DELETE CASCADE DEFERRABLE NOT VALID;
--   hazard scans-table: reads every row of public.orders under SHARE UPDATE EXCLUSIVE
ALTER TABLE public.orders VALIDATE CONSTRAINT orders_customer_fk;  -- outside a transaction

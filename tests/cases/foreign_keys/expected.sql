-- drop foreign key orders_customer_fk on public.orders
--   hazard blocks-reads: ACCESS EXCLUSIVE lock on public.orders, briefly
--   hazard blocks-writes: ACCESS EXCLUSIVE lock on public.orders, briefly
ALTER TABLE public.orders DROP CONSTRAINT orders_customer_fk;

-- add foreign key orders_region_code_fkey on public.orders
--   hazard blocks-writes: SHARE ROW EXCLUSIVE lock on public.orders and public.customers, for the whole statement
--   hazard scans-table: checks every row of public.orders
ALTER TABLE public.orders ADD CONSTRAINT orders_region_code_fkey FOREIGN KEY (region, code) REFERENCES public.customers (region, code) MATCH FULL ON DELETE SET NULL;

-- add foreign key orders_customer_fk on public.orders
--   hazard blocks-writes: SHARE ROW EXCLUSIVE lock on public.orders and public.customers, for the whole statement
--   hazard scans-table: checks every row of public.orders
ALTER TABLE public.orders ADD CONSTRAINT orders_customer_fk FOREIGN KEY (customer_id) REFERENCES public.customers (id) ON UPDATE RESTRICT ON DELETE CASCADE DEFERRABLE;

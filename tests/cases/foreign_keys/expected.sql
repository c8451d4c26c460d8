-- drop foreign key orders_customer_fk on public.orders
ALTER TABLE public.orders DROP CONSTRAINT orders_customer_fk;

-- add foreign key orders_region_code_fkey on public.orders
ALTER TABLE public.orders ADD CONSTRAINT orders_region_code_fkey FOREIGN KEY (region, code) REFERENCES public.customers (region, code) MATCH FULL ON DELETE SET NULL;

-- add foreign key orders_customer_fk on public.orders
ALTER TABLE public.orders ADD CONSTRAINT orders_customer_fk FOREIGN KEY (customer_id) REFERENCES public.customers (id) ON UPDATE RESTRICT ON DELETE CASCADE DEFERRABLE;

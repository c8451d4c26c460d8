-- drop statistics public.orders_legacy on public.orders
DROP STATISTICS public.orders_legacy;

-- drop statistics public.orders_zip on public.orders
DROP STATISTICS public.orders_zip;

-- drop column public.orders.legacy
--   hazard blocks-reads: ACCESS EXCLUSIVE lock on public.orders, briefly
--   hazard blocks-writes: ACCESS EXCLUSIVE lock on public.orders, briefly
--   hazard deletes-data: drops column public.orders.legacy and the data in it
--   hazard not-reversible: a downgrade recreates column public.orders.legacy empty
ALTER TABLE public.orders DROP COLUMN legacy;

-- create statistics public.orders_lower_city on public.orders
CREATE STATISTICS public.orders_lower_city ON region, lower(city) FROM public.orders;

-- create statistics public.orders_zip on public.orders
CREATE STATISTICS public.orders_zip (ndistinct, mcv) ON city, zip FROM public.orders;

-- set statistics target of public.orders_place to default
ALTER STATISTICS public.orders_place SET STATISTICS -1;

-- comment on statistics public.orders_place
COMMENT ON STATISTICS public.orders_place IS 'the city implies the region';

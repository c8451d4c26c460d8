-- set table public.region_totals without cluster
ALTER TABLE public.region_totals SET WITHOUT CLUSTER;

-- drop index region_totals_total on public.region_totals
--   hazard drops-index: queries that used region_totals_total may slow down
DROP INDEX CONCURRENTLY IF EXISTS public.region_totals_total;  -- outside a transaction

-- create index region_totals_total on public.region_totals
--   hazard builds-index: builds region_totals_total without blocking writes
CREATE INDEX CONCURRENTLY IF NOT EXISTS region_totals_total ON public.region_totals USING btree (total, region);  -- outside a transaction

-- set table public.region_totals to cluster on region_totals_total
ALTER TABLE public.region_totals CLUSTER ON region_totals_total;

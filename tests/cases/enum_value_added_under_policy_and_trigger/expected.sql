-- drop index counts_n_idx on public.counts
--   hazard drops-index: queries that used counts_n_idx may slow down
DROP INDEX CONCURRENTLY IF EXISTS public.counts_n_idx;  -- outside a transaction

-- add value 'c' to enum public.e
--   hazard not-reversible: PostgreSQL cannot remove an enum value: the downgrade recreates the type and fails while rows hold the value
ALTER TYPE public.e ADD VALUE 'c';  -- outside a transaction

-- create index counts_n_desc_idx on public.counts
--   hazard builds-index: builds counts_n_desc_idx without blocking writes
CREATE INDEX CONCURRENTLY IF NOT EXISTS counts_n_desc_idx ON public.counts USING btree (n DESC);  -- outside a transaction

-- set table public.events without cluster
ALTER TABLE public.events SET WITHOUT CLUSTER;

-- drop index events_at_idx on public.events
--   hazard drops-index: queries that used events_at_idx may slow down
DROP INDEX CONCURRENTLY IF EXISTS public.events_at_idx;  -- outside a transaction

-- create index events_at_idx on public.events
--   hazard builds-index: builds events_at_idx without blocking writes
CREATE INDEX CONCURRENTLY IF NOT EXISTS events_at_idx ON public.events USING btree (kind, at);  -- outside a transaction

-- set table public.events to cluster on events_at_idx
ALTER TABLE public.events CLUSTER ON events_at_idx;

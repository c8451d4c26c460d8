-- drop index events_key on public.events
--   hazard blocks-reads: ACCESS EXCLUSIVE lock on public.events, briefly
--   hazard blocks-writes: ACCESS EXCLUSIVE lock on public.events, briefly
--   hazard drops-index: queries that used events_key may slow down
DROP INDEX public.events_key;

-- create table public.events_b
CREATE TABLE public.events_b PARTITION OF public.events (
    CONSTRAINT b_key PRIMARY KEY (category, id)
)
FOR VALUES IN ('b');
CREATE INDEX b_by_id ON public.events_b USING btree (id);

-- create index events_by_id on public.events
--   hazard blocks-writes: SHARE lock on public.events, briefly
CREATE INDEX events_by_id ON ONLY public.events USING btree (id);
ALTER INDEX public.events_by_id ATTACH PARTITION public.b_by_id;

-- create index a_by_body on public.events_a
--   hazard builds-index: builds a_by_body without blocking writes
CREATE INDEX CONCURRENTLY IF NOT EXISTS a_by_body ON public.events_a USING btree (body);  -- outside a transaction

-- create index events_by_body on public.events
--   hazard blocks-writes: SHARE lock on public.events, for the whole statement
--   hazard builds-index: builds events_by_body over every row
CREATE INDEX events_by_body ON public.events USING btree (body);

-- create index events_key on public.events
--   hazard blocks-writes: SHARE lock on public.events, for the whole statement
--   hazard builds-index: builds events_key over every row
CREATE UNIQUE INDEX events_key ON public.events USING btree (category, id);

-- drop table public.events_a_low
--   hazard blocks-reads: ACCESS EXCLUSIVE lock on public.events_a, briefly
--   hazard blocks-writes: ACCESS EXCLUSIVE lock on public.events_a, briefly
ALTER TABLE public.events_a DETACH PARTITION public.events_a_low;
--   hazard blocks-reads: ACCESS EXCLUSIVE lock on public.events_a_low, briefly
--   hazard blocks-writes: ACCESS EXCLUSIVE lock on public.events_a_low, briefly
--   hazard deletes-data: drops table public.events_a_low and the data in it
--   hazard not-reversible: a downgrade recreates table public.events_a_low empty
--   hazard untracked-dependencies: function bodies may still use it; PostgreSQL does not track them
DROP TABLE public.events_a_low;

-- drop table public.events_a
--   hazard blocks-reads: ACCESS EXCLUSIVE lock on public.events, briefly
--   hazard blocks-writes: ACCESS EXCLUSIVE lock on public.events, briefly
ALTER TABLE public.events DETACH PARTITION public.events_a;
--   hazard blocks-reads: ACCESS EXCLUSIVE lock on public.events_a, briefly
--   hazard blocks-writes: ACCESS EXCLUSIVE lock on public.events_a, briefly
--   hazard deletes-data: drops table public.events_a and the data in it
--   hazard not-reversible: a downgrade recreates table public.events_a empty
--   hazard untracked-dependencies: function bodies may still use it; PostgreSQL does not track them
DROP TABLE public.events_a;

-- drop table public.events
--   hazard blocks-reads: ACCESS EXCLUSIVE lock on public.events, briefly
--   hazard blocks-writes: ACCESS EXCLUSIVE lock on public.events, briefly
--   hazard deletes-data: drops table public.events and the data in it
--   hazard not-reversible: a downgrade recreates table public.events empty
--   hazard untracked-dependencies: function bodies may still use it; PostgreSQL does not track them
DROP TABLE public.events;

-- create table public.events
CREATE TABLE public.events (
    id integer,
    category text,
    body text
) PARTITION BY LIST (body);

-- create table public.events_a
CREATE TABLE public.events_a PARTITION OF public.events
FOR VALUES IN ('a') PARTITION BY RANGE (id);

-- create table public.events_a_low
CREATE TABLE public.events_a_low PARTITION OF public.events_a
FOR VALUES FROM (0) TO (100);
ALTER TABLE public.events_a_low ALTER COLUMN id SET NOT NULL;

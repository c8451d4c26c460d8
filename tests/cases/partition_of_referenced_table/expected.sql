-- create table public.events_a
CREATE TABLE public.events_a PARTITION OF public.events
FOR VALUES IN ('a');

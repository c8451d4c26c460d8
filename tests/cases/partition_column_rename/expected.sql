-- rename column public.events.body to text
--   hazard blocks-reads: ACCESS EXCLUSIVE lock on public.events, briefly
--   hazard blocks-writes: ACCESS EXCLUSIVE lock on public.events, briefly
ALTER TABLE public.events RENAME COLUMN body TO text;

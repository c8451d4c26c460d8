-- drop foreign key children_parent_id_fkey on public.children
ALTER TABLE public.children DROP CONSTRAINT children_parent_id_fkey;

-- drop table public.children
--   hazard blocks-reads: ACCESS EXCLUSIVE lock on public.children, briefly
--   hazard blocks-writes: ACCESS EXCLUSIVE lock on public.children, briefly
--   hazard deletes-data: drops table public.children and the data in it
--   hazard drops-index: the indexes of public.children go with it
--   hazard not-reversible: a downgrade recreates table public.children empty
--   hazard untracked-dependencies: function bodies may still use it; PostgreSQL does not track them
DROP TABLE public.children;

-- drop foreign key children_parent_id_fkey on public.children
ALTER TABLE public.children DROP CONSTRAINT children_parent_id_fkey;

-- drop table public.children
DROP TABLE public.children;

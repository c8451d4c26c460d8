-- rename table public.people to persons
--   hazard blocks-reads: ACCESS EXCLUSIVE lock on public.people, briefly
--   hazard blocks-writes: ACCESS EXCLUSIVE lock on public.people, briefly
ALTER TABLE public.people RENAME TO persons;

-- rename column public.persons.full_name to name
--   hazard blocks-reads: ACCESS EXCLUSIVE lock on public.persons, briefly
--   hazard blocks-writes: ACCESS EXCLUSIVE lock on public.persons, briefly
ALTER TABLE public.persons RENAME COLUMN full_name TO name;

-- rename constraint people_pkey on public.persons to persons_pkey
--   hazard blocks-reads: ACCESS EXCLUSIVE lock on public.persons, briefly
--   hazard blocks-writes: ACCESS EXCLUSIVE lock on public.persons, briefly
ALTER TABLE public.persons RENAME CONSTRAINT people_pkey TO persons_pkey;

-- rename constraint people_email_key on public.persons to persons_email_key
--   hazard blocks-reads: ACCESS EXCLUSIVE lock on public.persons, briefly
--   hazard blocks-writes: ACCESS EXCLUSIVE lock on public.persons, briefly
ALTER TABLE public.persons RENAME CONSTRAINT people_email_key TO persons_email_key;

-- rename constraint people_name_present on public.persons to persons_name_not_empty
--   hazard blocks-reads: ACCESS EXCLUSIVE lock on public.persons, briefly
--   hazard blocks-writes: ACCESS EXCLUSIVE lock on public.persons, briefly
ALTER TABLE public.persons RENAME CONSTRAINT people_name_present TO persons_name_not_empty;

-- rename index public.people_full_name_idx to persons_name_idx
ALTER INDEX public.people_full_name_idx RENAME TO persons_name_idx;

-- rename value 'gone' of enum public.state to 'inactive'
ALTER TYPE public.state RENAME VALUE 'gone' TO 'inactive';

-- alter column public.persons.id (identity)
ALTER SEQUENCE public.people_id_seq RENAME TO persons_id_seq;

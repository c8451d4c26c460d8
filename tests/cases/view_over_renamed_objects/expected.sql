-- drop materialized view public.order_totals
--   hazard blocks-reads: ACCESS EXCLUSIVE lock on public.order_totals, briefly
--   hazard blocks-writes: ACCESS EXCLUSIVE lock on public.order_totals, briefly
DROP MATERIALIZED VIEW public.order_totals;

-- rename column public.orders.placed_by to person_id
--   hazard blocks-reads: ACCESS EXCLUSIVE lock on public.orders, briefly
--   hazard blocks-writes: ACCESS EXCLUSIVE lock on public.orders, briefly
ALTER TABLE public.orders RENAME COLUMN placed_by TO person_id;

-- drop view public.named_people_count
--   hazard blocks-reads: ACCESS EXCLUSIVE lock on public.named_people_count, briefly
--   hazard blocks-writes: ACCESS EXCLUSIVE lock on public.named_people_count, briefly
DROP VIEW public.named_people_count;

-- drop view public.people_names
--   hazard blocks-reads: ACCESS EXCLUSIVE lock on public.people_names, briefly
--   hazard blocks-writes: ACCESS EXCLUSIVE lock on public.people_names, briefly
DROP VIEW public.people_names;

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

-- create materialized view public.order_totals
--   hazard scans-table: computes the rows of public.order_totals once
CREATE MATERIALIZED VIEW public.order_totals AS
SELECT orders.person_id,
    sum(orders.amount) AS total
   FROM public.orders
  GROUP BY orders.person_id;

-- create view public.people_names
CREATE VIEW public.people_names AS
SELECT persons.id,
    persons.name
   FROM public.persons
  WHERE (persons.name <> ''::text);

-- create view public.named_people_count
CREATE VIEW public.named_people_count AS
SELECT count(*) AS n
   FROM public.people_names;

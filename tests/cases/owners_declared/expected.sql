-- create enum public.mood
CREATE TYPE public.mood AS ENUM ('ok');

-- create table public.orders
CREATE TABLE public.orders (
    id integer
);

-- create view public.order_ids
CREATE VIEW public.order_ids AS
SELECT orders.id
   FROM public.orders;

-- make case_owner_a owner of table public.items
--   hazard blocks-reads: ACCESS EXCLUSIVE lock on public.items, briefly
--   hazard blocks-writes: ACCESS EXCLUSIVE lock on public.items, briefly
--   hazard changes-authorization: case_owner_a gets every privilege on table public.items
ALTER TABLE public.items OWNER TO case_owner_a;

-- make case_owner_a owner of table public.orders
ALTER TABLE public.orders OWNER TO case_owner_a;

-- make case_owner_a owner of type public.mood
ALTER TYPE public.mood OWNER TO case_owner_a;

-- make case_owner_b owner of view public.order_ids
ALTER VIEW public.order_ids OWNER TO case_owner_b;

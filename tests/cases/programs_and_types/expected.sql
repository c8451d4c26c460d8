SET check_function_bodies = false;

-- drop trigger orders_touch on public.orders
--   hazard blocks-reads: ACCESS EXCLUSIVE lock on public.orders, briefly
--   hazard blocks-writes: ACCESS EXCLUSIVE lock on public.orders, briefly
DROP TRIGGER orders_touch ON public.orders;

-- drop materialized view public.order_stats
--   hazard blocks-reads: ACCESS EXCLUSIVE lock on public.order_stats, briefly
--   hazard blocks-writes: ACCESS EXCLUSIVE lock on public.order_stats, briefly
DROP MATERIALIZED VIEW public.order_stats;

-- drop view public.big_order_count
--   hazard blocks-reads: ACCESS EXCLUSIVE lock on public.big_order_count, briefly
--   hazard blocks-writes: ACCESS EXCLUSIVE lock on public.big_order_count, briefly
DROP VIEW public.big_order_count;

-- drop view public.big_orders
--   hazard blocks-reads: ACCESS EXCLUSIVE lock on public.big_orders, briefly
--   hazard blocks-writes: ACCESS EXCLUSIVE lock on public.big_orders, briefly
DROP VIEW public.big_orders;

-- alter domain public.email_address
--   hazard scans-table: checks every column of type public.email_address
ALTER DOMAIN public.email_address SET NOT NULL;

-- alter domain public.positive_amount
ALTER DOMAIN public.positive_amount SET DEFAULT 1;
--   hazard scans-table: checks every column using the domain
ALTER DOMAIN public.positive_amount ADD CONSTRAINT positive_amount_check1 CHECK ((VALUE < (1000000)::numeric));

-- alter type public.money_pair
ALTER TYPE public.money_pair ADD ATTRIBUTE rate numeric;

-- create procedure public.archive_orders(IN cutoff timestamp with time zone)
--   hazard untracked-dependencies: PostgreSQL does not track what a function body uses; callers may break
CREATE OR REPLACE PROCEDURE public.archive_orders(IN cutoff timestamp with time zone)
 LANGUAGE sql
AS $procedure$ DELETE FROM orders WHERE updated_at < cutoff $procedure$;

-- replace function public.concat_step(text, text)
--   hazard untracked-dependencies: PostgreSQL does not track what a function body uses; callers may break
CREATE OR REPLACE FUNCTION public.concat_step(text, text)
 RETURNS text
 LANGUAGE sql
 IMMUTABLE
AS $function$ SELECT $1 || ',' || $2 $function$;

-- replace function public.order_total(o public.orders)
--   hazard untracked-dependencies: PostgreSQL does not track what a function body uses; callers may break
CREATE OR REPLACE FUNCTION public.order_total(o public.orders)
 RETURNS numeric
 LANGUAGE sql
 STABLE
AS $function$ SELECT o.amount * 3 $function$;

-- replace function public.touch_updated_at()
--   hazard untracked-dependencies: PostgreSQL does not track what a function body uses; callers may break
CREATE OR REPLACE FUNCTION public.touch_updated_at()
 RETURNS trigger
 LANGUAGE plpgsql
AS $function$
BEGIN
  NEW.updated_at := clock_timestamp();
  RETURN NEW;
END
$function$;

-- create table public.events_2026
CREATE TABLE public.events_2026 PARTITION OF public.events
FOR VALUES FROM ('2026-01-01 00:00:00+00') TO ('2027-01-01 00:00:00+00');

-- alter table public.orders
--   hazard blocks-reads: ACCESS EXCLUSIVE lock on public.orders, briefly
--   hazard blocks-writes: ACCESS EXCLUSIVE lock on public.orders, briefly
--   hazard changes-authorization: changes who sees rows of public.orders
ALTER TABLE public.orders FORCE ROW LEVEL SECURITY;

-- alter column public.orders.note (type)
--   hazard blocks-reads: ACCESS EXCLUSIVE lock on public.orders, briefly
--   hazard blocks-writes: ACCESS EXCLUSIVE lock on public.orders, briefly
ALTER TABLE public.orders ALTER COLUMN note TYPE text USING note::text;

-- create view public.big_orders
CREATE VIEW public.big_orders AS
SELECT orders.id,
    orders.amount,
    orders.customer,
    orders.note
   FROM public.orders
  WHERE ((orders.amount)::numeric > (200)::numeric);
COMMENT ON VIEW public.big_orders IS 'the really big ones';

-- create materialized view public.order_stats
--   hazard scans-table: computes the rows of public.order_stats once
CREATE MATERIALIZED VIEW public.order_stats AS
SELECT orders.customer,
    sum((orders.amount)::numeric) AS total,
    count(*) AS orders
   FROM public.orders
  GROUP BY orders.customer;
CREATE UNIQUE INDEX order_stats_customer_idx ON public.order_stats USING btree (customer);

-- create view public.big_order_count
CREATE VIEW public.big_order_count AS
SELECT count(*) AS n
   FROM public.big_orders;

-- create trigger orders_touch on public.orders
--   hazard blocks-writes: SHARE ROW EXCLUSIVE lock on public.orders, briefly
CREATE TRIGGER orders_touch BEFORE INSERT OR UPDATE ON public.orders FOR EACH ROW EXECUTE FUNCTION public.touch_updated_at();
--   hazard blocks-writes: SHARE ROW EXCLUSIVE lock on public.orders, briefly
ALTER TABLE public.orders ENABLE ALWAYS TRIGGER orders_touch;

-- create policy customers_write_own on public.orders
--   hazard blocks-reads: ACCESS EXCLUSIVE lock on public.orders, briefly
--   hazard blocks-writes: ACCESS EXCLUSIVE lock on public.orders, briefly
--   hazard changes-authorization: changes who may use rows of public.orders
CREATE POLICY customers_write_own ON public.orders FOR INSERT WITH CHECK (((customer)::text = CURRENT_USER));

-- comment on type public.money_pair
COMMENT ON TYPE public.money_pair IS 'an amount in a currency';

-- comment on function public.order_total(o public.orders)
COMMENT ON FUNCTION public.order_total(o public.orders) IS 'triples it';

-- comment on policy customers_see_own on public.orders
COMMENT ON POLICY customers_see_own ON public.orders IS 'row ownership';

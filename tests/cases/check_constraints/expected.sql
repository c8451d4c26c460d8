-- drop check prices_to_remove on public.prices
ALTER TABLE public.prices DROP CONSTRAINT prices_to_remove;

-- drop check prices_amount_positive on public.prices
ALTER TABLE public.prices DROP CONSTRAINT prices_amount_positive;

-- add check prices_amount_check on public.prices
ALTER TABLE public.prices ADD CONSTRAINT prices_amount_check CHECK ((amount < (1000000)::numeric));

-- add check prices_currency_upper on public.prices
ALTER TABLE public.prices ADD CONSTRAINT prices_currency_upper CHECK (((currency)::text = upper((currency)::text)));

-- add check prices_amount_positive on public.prices
ALTER TABLE public.prices ADD CONSTRAINT prices_amount_positive CHECK ((amount >= (0)::numeric));

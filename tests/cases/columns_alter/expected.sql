-- alter column public.accounts.balance (type, default)
ALTER TABLE public.accounts ALTER COLUMN balance DROP DEFAULT;
ALTER TABLE public.accounts ALTER COLUMN balance TYPE numeric(20,4) USING balance::numeric(20,4);
ALTER TABLE public.accounts ALTER COLUMN balance SET DEFAULT 0.5;

-- alter column public.accounts.code (type, not null)
ALTER TABLE public.accounts ALTER COLUMN code TYPE character varying(50) USING code::character varying(50);
ALTER TABLE public.accounts ALTER COLUMN code SET NOT NULL;

-- alter column public.accounts.id (type)
ALTER TABLE public.accounts ALTER COLUMN id TYPE bigint USING id::bigint;

-- alter column public.accounts.label (collation)
ALTER TABLE public.accounts ALTER COLUMN label TYPE text COLLATE "POSIX" USING label::text;

-- alter column public.accounts.note (default)
ALTER TABLE public.accounts ALTER COLUMN note DROP DEFAULT;

-- alter column public.accounts.status (not null, default)
ALTER TABLE public.accounts ALTER COLUMN status SET DEFAULT 'new'::text;
ALTER TABLE public.accounts ALTER COLUMN status DROP NOT NULL;

-- drop column public.items.also_obsolete
ALTER TABLE public.items DROP COLUMN also_obsolete;

-- drop column public.items.obsolete
ALTER TABLE public.items DROP COLUMN obsolete;

-- add column public.items.name
ALTER TABLE public.items ADD COLUMN name text DEFAULT 'unnamed'::text NOT NULL;

-- add column public.items.created_at
ALTER TABLE public.items ADD COLUMN created_at timestamp with time zone DEFAULT now() NOT NULL;

-- add column public.items.score
ALTER TABLE public.items ADD COLUMN score double precision;

-- add column public.items.flags
ALTER TABLE public.items ADD COLUMN flags boolean[];

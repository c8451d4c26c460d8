-- set table public.readings without cluster
ALTER TABLE public.readings SET WITHOUT CLUSTER;

-- create table public.archive
CREATE TABLE public.archive (
    id bigint NOT NULL,
    note text,
    CONSTRAINT archive_pkey PRIMARY KEY (id)
);
ALTER TABLE public.archive CLUSTER ON archive_pkey;

-- alter column public.readings.sensor (options)
ALTER TABLE public.readings ALTER COLUMN sensor RESET (n_distinct);
ALTER TABLE public.readings ALTER COLUMN sensor SET (n_distinct_inherited=-0.5);

-- alter column public.readings.taken_at (options)
ALTER TABLE public.readings ALTER COLUMN taken_at SET (n_distinct=-1);

-- set table public.readings to cluster on readings_pkey
ALTER TABLE public.readings CLUSTER ON readings_pkey;

-- rename value 'b' of enum public.e to 'x'
ALTER TYPE public.e RENAME VALUE 'b' TO 'x';

-- add value 'y' to enum public.e
--   hazard not-reversible: PostgreSQL cannot remove an enum value: the downgrade recreates the type and fails while rows hold the value
ALTER TYPE public.e ADD VALUE 'y' BEFORE 'c';  -- outside a transaction

-- add value 'b' to enum public.e
--   hazard not-reversible: PostgreSQL cannot remove an enum value: the downgrade recreates the type and fails while rows hold the value
ALTER TYPE public.e ADD VALUE 'b';  -- outside a transaction

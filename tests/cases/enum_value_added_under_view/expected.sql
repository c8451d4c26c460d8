-- add value 'd' to enum public.e
--   hazard not-reversible: PostgreSQL cannot remove an enum value: the downgrade recreates the type and fails while rows hold the value
ALTER TYPE public.e ADD VALUE 'd';  -- outside a transaction

-- add value 'sent' to enum public.state
--   hazard not-reversible: PostgreSQL cannot remove an enum value: the downgrade recreates the type and fails while rows hold the value
ALTER TYPE public.state ADD VALUE 'sent' BEFORE 'paid';  -- outside a transaction

-- add value 'review' to enum public.state
--   hazard not-reversible: PostgreSQL cannot remove an enum value: the downgrade recreates the type and fails while rows hold the value
ALTER TYPE public.state ADD VALUE 'review' BEFORE 'published';  -- outside a transaction

-- add value 'archived' to enum public.state
--   hazard not-reversible: PostgreSQL cannot remove an enum value: the downgrade recreates the type and fails while rows hold the value
ALTER TYPE public.state ADD VALUE 'archived';  -- outside a transaction

-- comment on type public.state
COMMENT ON TYPE public.state IS 'Where a post is in its life';

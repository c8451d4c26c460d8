-- add value 'review' to enum public.state
ALTER TYPE public.state ADD VALUE 'review' BEFORE 'published';  -- outside a transaction

-- add value 'archived' to enum public.state
ALTER TYPE public.state ADD VALUE 'archived';  -- outside a transaction

-- comment on type public.state
COMMENT ON TYPE public.state IS 'Where a post is in its life';

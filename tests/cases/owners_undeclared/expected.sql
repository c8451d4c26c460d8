-- comment on table public.items
COMMENT ON TABLE public.items IS 'whoever owns it';

-- comment on table public.notes
COMMENT ON TABLE public.notes IS NULL;

-- comment on column public.notes.body
COMMENT ON COLUMN public.notes.body IS 'new column comment';

-- comment on column public.notes.id
COMMENT ON COLUMN public.notes.id IS 'It''s the key; quotes '' and backslashes \ and colons :x survive';

-- comment on constraint notes_body_not_empty on public.notes
COMMENT ON CONSTRAINT notes_body_not_empty ON public.notes IS NULL;

-- comment on index public.notes_body_idx
COMMENT ON INDEX public.notes_body_idx IS 'index comment: 100% useful';

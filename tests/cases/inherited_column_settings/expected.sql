-- alter column public.budget_notes.note_class (default)
--   hazard blocks-reads: ACCESS EXCLUSIVE lock on public.budget_notes, briefly
--   hazard blocks-writes: ACCESS EXCLUSIVE lock on public.budget_notes, briefly
ALTER TABLE public.budget_notes ALTER COLUMN note_class SET DEFAULT 1;

-- alter column public.file_notes.note_class (default)
--   hazard blocks-reads: ACCESS EXCLUSIVE lock on public.file_notes, briefly
--   hazard blocks-writes: ACCESS EXCLUSIVE lock on public.file_notes, briefly
ALTER TABLE public.file_notes ALTER COLUMN note_class SET DEFAULT 1;

-- alter column public.notes.note_class (default)
--   hazard blocks-reads: ACCESS EXCLUSIVE lock on public.notes, briefly
--   hazard blocks-writes: ACCESS EXCLUSIVE lock on public.notes, briefly
ALTER TABLE public.notes ALTER COLUMN note_class SET DEFAULT 2;

-- alter column public.budget_notes.note_class (default)
--   hazard blocks-reads: ACCESS EXCLUSIVE lock on public.budget_notes, briefly
--   hazard blocks-writes: ACCESS EXCLUSIVE lock on public.budget_notes, briefly
ALTER TABLE public.budget_notes ALTER COLUMN note_class SET DEFAULT 6;

-- alter column public.budget_notes.ref_key (default)
--   hazard blocks-reads: ACCESS EXCLUSIVE lock on public.budget_notes, briefly
--   hazard blocks-writes: ACCESS EXCLUSIVE lock on public.budget_notes, briefly
ALTER TABLE public.budget_notes ALTER COLUMN ref_key SET DEFAULT 0;

-- alter column public.events_2026.kind (default)
--   hazard blocks-reads: ACCESS EXCLUSIVE lock on public.events_2026, briefly
--   hazard blocks-writes: ACCESS EXCLUSIVE lock on public.events_2026, briefly
ALTER TABLE public.events_2026 ALTER COLUMN kind SET DEFAULT 'audit'::text;

-- comment on column public.budget_notes.body
COMMENT ON COLUMN public.budget_notes.body IS NULL;

-- comment on column public.budget_notes.ref_key
COMMENT ON COLUMN public.budget_notes.ref_key IS 'always 0';

-- comment on column public.events_2026.kind
COMMENT ON COLUMN public.events_2026.kind IS 'this year''s events are audited';

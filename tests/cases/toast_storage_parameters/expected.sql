-- alter table public.documents
ALTER TABLE public.documents RESET (fillfactor, toast.autovacuum_enabled);
ALTER TABLE public.documents SET (toast.autovacuum_vacuum_scale_factor=0.2);

-- make sequence public.tickets_legacy_seq owned by nothing
ALTER SEQUENCE public.tickets_legacy_seq OWNED BY NONE;

-- drop column public.tickets.legacy
--   hazard blocks-reads: ACCESS EXCLUSIVE lock on public.tickets, briefly
--   hazard blocks-writes: ACCESS EXCLUSIVE lock on public.tickets, briefly
--   hazard deletes-data: drops column public.tickets.legacy and the data in it
--   hazard not-reversible: a downgrade recreates column public.tickets.legacy empty
ALTER TABLE public.tickets DROP COLUMN legacy;

-- create sequence public.invoice_numbers
CREATE SEQUENCE public.invoice_numbers AS integer MINVALUE 10 MAXVALUE 99999;

-- create sequence public.tickets_ref_seq
CREATE SEQUENCE public.tickets_ref_seq;

-- alter sequence public.order_numbers
ALTER SEQUENCE public.order_numbers AS bigint INCREMENT BY 2 NO MINVALUE NO MAXVALUE START WITH 1000 CACHE 10 NO CYCLE;

-- add column public.tickets.ref (it goes last: PostgreSQL cannot put it before number as declared without rebuilding the table, as --column-order rebuild does)
--   hazard blocks-reads: ACCESS EXCLUSIVE lock on public.tickets, for the whole statement
--   hazard blocks-writes: ACCESS EXCLUSIVE lock on public.tickets, for the whole statement
--   hazard rewrites-table: the volatile default nextval('public.tickets_ref_seq'::regclass) is evaluated for every row
ALTER TABLE public.tickets ADD COLUMN ref bigint DEFAULT nextval('public.tickets_ref_seq'::regclass) NOT NULL;

-- add column public.tickets.invoice
--   hazard blocks-reads: ACCESS EXCLUSIVE lock on public.tickets, for the whole statement
--   hazard blocks-writes: ACCESS EXCLUSIVE lock on public.tickets, for the whole statement
--   hazard rewrites-table: the volatile default nextval('public.invoice_numbers'::regclass) is evaluated for every row
ALTER TABLE public.tickets ADD COLUMN invoice integer DEFAULT nextval('public.invoice_numbers'::regclass);

-- make sequence public.invoice_numbers owned by public.tickets.invoice
ALTER SEQUENCE public.invoice_numbers OWNED BY public.tickets.invoice;

-- make sequence public.tickets_ref_seq owned by public.tickets.ref
ALTER SEQUENCE public.tickets_ref_seq OWNED BY public.tickets.ref;

-- comment on sequence public.order_numbers
COMMENT ON SEQUENCE public.order_numbers IS 'printed on orders';

-- drop sequence public.old_numbers
--   hazard deletes-data: drops sequence public.old_numbers and the data in it
--   hazard not-reversible: a downgrade recreates sequence public.old_numbers empty
--   hazard untracked-dependencies: function bodies may still use it; PostgreSQL does not track them
DROP SEQUENCE public.old_numbers;

-- drop sequence public.tickets_legacy_seq
--   hazard deletes-data: drops sequence public.tickets_legacy_seq and the data in it
--   hazard not-reversible: a downgrade recreates sequence public.tickets_legacy_seq empty
--   hazard untracked-dependencies: function bodies may still use it; PostgreSQL does not track them
DROP SEQUENCE public.tickets_legacy_seq;

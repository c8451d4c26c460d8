-- create schema billing
CREATE SCHEMA billing;
COMMENT ON SCHEMA billing IS 'Money matters';

-- create enum billing.invoice_state
CREATE TYPE billing.invoice_state AS ENUM ('open', 'paid', 'void');

-- create table billing.invoices
CREATE TABLE billing.invoices (
    id bigint GENERATED ALWAYS AS IDENTITY NOT NULL,
    customer_id bigint NOT NULL,
    state billing.invoice_state DEFAULT 'open'::billing.invoice_state NOT NULL,
    total numeric(12,2) NOT NULL,
    CONSTRAINT invoices_pkey PRIMARY KEY (id)
);
CREATE INDEX invoices_open_idx ON billing.invoices USING btree (customer_id) WHERE (state = 'open'::billing.invoice_state);

-- create table public.customers
CREATE TABLE public.customers (
    id bigint GENERATED ALWAYS AS IDENTITY NOT NULL,
    "Display Name" text,
    "order" integer,
    CONSTRAINT customers_pkey PRIMARY KEY (id)
);
COMMENT ON COLUMN public.customers."Display Name" IS 'Mixed case and a space';
COMMENT ON COLUMN public.customers."order" IS 'a reserved word';

-- add foreign key invoices_customer_id_fkey on billing.invoices
--   hazard blocks-writes: SHARE ROW EXCLUSIVE lock on billing.invoices and public.customers, for the whole statement
ALTER TABLE billing.invoices ADD CONSTRAINT invoices_customer_id_fkey FOREIGN KEY (customer_id) REFERENCES public.customers (id) ON DELETE RESTRICT;

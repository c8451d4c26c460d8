-- revoke execute on public.add_one(i integer) from PUBLIC
--   hazard changes-authorization: takes a privilege from PUBLIC
REVOKE EXECUTE ON FUNCTION public.add_one(i integer) FROM PUBLIC;

-- revoke usage on public.level from PUBLIC
--   hazard changes-authorization: takes a privilege from PUBLIC
REVOKE USAGE ON TYPE public.level FROM PUBLIC;

-- create view public.public_docs
CREATE VIEW public.public_docs AS
SELECT docs.id,
    docs.body
   FROM public.docs;

-- grant update on public.docs.body to reporting_writer
--   hazard changes-authorization: gives reporting_writer a privilege
GRANT UPDATE (body) ON TABLE public.docs TO reporting_writer;

-- grant execute on public.add_one(i integer) to reporting_writer
--   hazard changes-authorization: gives reporting_writer a privilege
GRANT EXECUTE ON FUNCTION public.add_one(i integer) TO reporting_writer;

-- grant usage on public to reporting_reader
--   hazard changes-authorization: gives reporting_reader a privilege
GRANT USAGE ON SCHEMA public TO reporting_reader;

-- grant select on public.counter to reporting_writer
--   hazard changes-authorization: gives reporting_writer a privilege
GRANT SELECT ON SEQUENCE public.counter TO reporting_writer;

-- grant usage on public.counter to reporting_writer
--   hazard changes-authorization: gives reporting_writer a privilege
GRANT USAGE ON SEQUENCE public.counter TO reporting_writer;

-- grant delete on public.docs to reporting_writer
--   hazard changes-authorization: gives reporting_writer a privilege
GRANT DELETE ON TABLE public.docs TO reporting_writer WITH GRANT OPTION;

-- grant insert on public.docs to reporting_writer
--   hazard changes-authorization: gives reporting_writer a privilege
GRANT INSERT ON TABLE public.docs TO reporting_writer;

-- grant select on public.docs to reporting_writer
--   hazard changes-authorization: gives reporting_writer a privilege
GRANT SELECT ON TABLE public.docs TO reporting_writer;

-- grant select on public.public_docs to PUBLIC
--   hazard changes-authorization: gives PUBLIC a privilege
GRANT SELECT ON TABLE public.public_docs TO PUBLIC;

-- grant usage on public.level to reporting_writer
--   hazard changes-authorization: gives reporting_writer a privilege
GRANT USAGE ON TYPE public.level TO reporting_writer;

-- grant select on public.events to reporting_reader
--   hazard changes-authorization: gives reporting_reader a privilege
GRANT SELECT ON TABLE public.events TO reporting_reader;

-- drop trigger old_people_insert on public.old_people
DROP TRIGGER old_people_insert ON public.old_people;

-- drop trigger named_people_insert on public.named_people
DROP TRIGGER named_people_insert ON public.named_people;

-- drop view public.old_people
--   hazard blocks-reads: ACCESS EXCLUSIVE lock on public.old_people, briefly
--   hazard blocks-writes: ACCESS EXCLUSIVE lock on public.old_people, briefly
DROP VIEW public.old_people;

-- drop view public.named_people
--   hazard blocks-reads: ACCESS EXCLUSIVE lock on public.named_people, briefly
--   hazard blocks-writes: ACCESS EXCLUSIVE lock on public.named_people, briefly
DROP VIEW public.named_people;

-- create view public.all_people
CREATE VIEW public.all_people AS
SELECT people.id,
    people.name
   FROM public.people;

-- create view public.named_people
CREATE VIEW public.named_people AS
SELECT people.id,
    people.name
   FROM public.people
  WHERE (people.name <> ''::text);

-- create trigger all_people_insert on public.all_people
CREATE TRIGGER all_people_insert INSTEAD OF INSERT ON public.all_people FOR EACH ROW EXECUTE FUNCTION public.insert_person();

-- create trigger named_people_insert on public.named_people
CREATE TRIGGER named_people_insert INSTEAD OF INSERT ON public.named_people FOR EACH ROW EXECUTE FUNCTION public.insert_person();
COMMENT ON TRIGGER named_people_insert ON public.named_people IS 'writes through to people';

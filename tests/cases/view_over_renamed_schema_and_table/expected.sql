-- rename schema sales to crm
ALTER SCHEMA sales RENAME TO crm;

-- drop view crm.people_names
--   hazard blocks-reads: ACCESS EXCLUSIVE lock on crm.people_names, briefly
--   hazard blocks-writes: ACCESS EXCLUSIVE lock on crm.people_names, briefly
DROP VIEW crm.people_names;

-- rename table crm.people to persons
--   hazard blocks-reads: ACCESS EXCLUSIVE lock on crm.people, briefly
--   hazard blocks-writes: ACCESS EXCLUSIVE lock on crm.people, briefly
ALTER TABLE crm.people RENAME TO persons;

-- rename column crm.persons.full_name to name
--   hazard blocks-reads: ACCESS EXCLUSIVE lock on crm.persons, briefly
--   hazard blocks-writes: ACCESS EXCLUSIVE lock on crm.persons, briefly
ALTER TABLE crm.persons RENAME COLUMN full_name TO name;

-- create view crm.people_names
CREATE VIEW crm.people_names AS
SELECT persons.id,
    persons.name
   FROM crm.persons;

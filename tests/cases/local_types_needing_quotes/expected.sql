-- create enum Sales.mood
CREATE TYPE "Sales".mood AS ENUM ('calm', 'busy');

-- create enum Sales.order
CREATE TYPE "Sales"."order" AS ENUM ('first', 'second');

-- add value 'urgent' to enum Sales.Priority
--   hazard not-reversible: PostgreSQL cannot remove an enum value: the downgrade recreates the type and fails while rows hold the value
ALTER TYPE "Sales"."Priority" ADD VALUE 'urgent';  -- outside a transaction

-- add column Sales.tickets.kind
--   hazard blocks-reads: ACCESS EXCLUSIVE lock on Sales.tickets, briefly
--   hazard blocks-writes: ACCESS EXCLUSIVE lock on Sales.tickets, briefly
ALTER TABLE "Sales".tickets ADD COLUMN kind "Sales"."order" DEFAULT 'first'::"Sales"."order";

-- add column Sales.tickets.moods
--   hazard blocks-reads: ACCESS EXCLUSIVE lock on Sales.tickets, briefly
--   hazard blocks-writes: ACCESS EXCLUSIVE lock on Sales.tickets, briefly
ALTER TABLE "Sales".tickets ADD COLUMN moods "Sales".mood[];

-- add column Sales.tickets.history
--   hazard blocks-reads: ACCESS EXCLUSIVE lock on Sales.tickets, briefly
--   hazard blocks-writes: ACCESS EXCLUSIVE lock on Sales.tickets, briefly
ALTER TABLE "Sales".tickets ADD COLUMN history "Sales"."Priority"[];

-- The owner of every object the planner manages that can have its own: sequences owned by a
-- column, indexes and a table's parts follow their table, extension members their extension.
WITH objects AS (
    SELECT CASE c.relkind WHEN 'S' THEN 'SEQUENCE' WHEN 'v' THEN 'VIEW'
                          WHEN 'm' THEN 'MATERIALIZED VIEW' ELSE 'TABLE' END AS kind,
           n.nspname AS schema, c.relname AS name, '' AS member, c.relowner AS owner
    FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE c.relkind IN ('r', 'p', 'v', 'm', 'S')
      AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass
                      AND d.objid = c.oid AND d.objsubid = 0
                      AND (d.deptype = 'e' OR (c.relkind = 'S' AND d.deptype IN ('a', 'i'))))
    UNION ALL
    SELECT CASE p.prokind WHEN 'p' THEN 'PROCEDURE' WHEN 'a' THEN 'AGGREGATE' ELSE 'FUNCTION' END,
           n.nspname, p.proname, pg_get_function_identity_arguments(p.oid), p.proowner
    FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
    WHERE NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_proc'::regclass
                      AND d.objid = p.oid AND d.deptype = 'e')
    UNION ALL
    SELECT CASE t.typtype WHEN 'd' THEN 'DOMAIN' ELSE 'TYPE' END, n.nspname, t.typname, '', t.typowner
    FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
    WHERE (t.typtype IN ('e', 'd') OR (t.typtype = 'c' AND (SELECT c.relkind FROM pg_class c WHERE c.oid = t.typrelid) = 'c'))
      AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_type'::regclass
                      AND d.objid = t.oid AND d.deptype = 'e')
)
SELECT o.kind, o.schema, o.name, o.member, quote_ident(pg_get_userbyid(o.owner)) AS owner
FROM objects o
WHERE o.schema NOT IN ('pg_catalog', 'information_schema')
  AND o.schema NOT LIKE 'pg\_toast%%' AND o.schema NOT LIKE 'pg\_temp\_%%'
  AND (%(schemas)s::text[] IS NULL OR o.schema = ANY (%(schemas)s::text[]))
ORDER BY 1, 2, 3, 4

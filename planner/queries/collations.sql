-- Collations made with CREATE COLLATION. The ICU locale column is colliculocale before
-- PostgreSQL 17 and colllocale from 17 on; reading the row as JSON serves every version.
SELECT n.nspname AS schema,
       c.collname AS name,
       CASE c.collprovider WHEN 'i' THEN 'icu' WHEN 'b' THEN 'builtin' ELSE 'libc' END AS provider,
       coalesce(to_jsonb(c) ->> 'colllocale', to_jsonb(c) ->> 'colliculocale') AS locale,
       c.collcollate AS lc_collate,
       c.collctype AS lc_ctype,
       c.collisdeterministic AS deterministic,
       to_jsonb(c) ->> 'collicurules' AS rules,
       obj_description(c.oid, 'pg_collation') AS comment
FROM pg_collation c
JOIN pg_namespace n ON n.oid = c.collnamespace
WHERE n.nspname NOT IN ('pg_catalog', 'information_schema')
  AND NOT EXISTS (SELECT 1 FROM pg_depend d
                  WHERE d.classid = 'pg_collation'::regclass AND d.objid = c.oid AND d.deptype = 'e')
  AND (%(schemas)s::text[] IS NULL OR n.nspname = ANY (%(schemas)s::text[]))
ORDER BY n.nspname, c.collname

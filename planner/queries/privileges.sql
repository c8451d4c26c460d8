-- Privileges beyond the owner's own, for every object kind the planner manages. An object
-- whose ACL is still NULL has PostgreSQL's default privileges (acldefault), listed too.
-- Column ACLs are found by one scan of pg_attribute: reached from pg_class, they took an
-- index lookup per table (half of this query at 5,000 tables).
WITH column_acls AS MATERIALIZED (
    SELECT a.attrelid, a.attname, a.attacl FROM pg_attribute a
    WHERE a.attacl IS NOT NULL AND a.attnum > 0 AND NOT a.attisdropped
),
objects AS (
    SELECT CASE WHEN c.relkind = 'S' THEN 'SEQUENCE' ELSE 'TABLE' END AS kind,
           n.nspname AS schema, c.relname AS name, '' AS member, c.relowner AS owner,
           coalesce(c.relacl, acldefault((CASE WHEN c.relkind = 'S' THEN 's' ELSE 'r' END)::"char", c.relowner)) AS acl,
           c.relacl IS NOT NULL AS explicit
    FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE c.relkind IN ('r', 'p', 'v', 'm', 'S')
      -- A relation's default ACL grants nothing beyond its owner: one still NULL lists none.
      AND c.relacl IS NOT NULL
      -- objsubid = 0: a partitioned table's key columns depend internally on the table
      -- itself, which must not hide the table's own privileges.
      AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass
                      AND d.objid = c.oid AND d.objsubid = 0 AND d.deptype IN ('e', 'i'))
    UNION ALL
    SELECT 'COLUMN', n.nspname, c.relname, a.attname, c.relowner, a.attacl, true
    FROM column_acls a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE c.relkind IN ('r', 'p', 'v', 'm')
    UNION ALL
    SELECT CASE p.prokind WHEN 'p' THEN 'PROCEDURE' ELSE 'FUNCTION' END, n.nspname, p.proname,
           pg_get_function_identity_arguments(p.oid), p.proowner,
           coalesce(p.proacl, acldefault('f'::"char", p.proowner)), p.proacl IS NOT NULL
    FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
    WHERE NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_proc'::regclass
                      AND d.objid = p.oid AND d.deptype = 'e')
    UNION ALL
    SELECT CASE t.typtype WHEN 'd' THEN 'DOMAIN' ELSE 'TYPE' END, n.nspname, t.typname, '', t.typowner,
           coalesce(t.typacl, acldefault('T'::"char", t.typowner)), t.typacl IS NOT NULL
    FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
    WHERE (t.typtype IN ('e', 'd') OR (t.typtype = 'c' AND (SELECT c.relkind FROM pg_class c WHERE c.oid = t.typrelid) = 'c'))
      AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_type'::regclass
                      AND d.objid = t.oid AND d.deptype = 'e')
    UNION ALL
    SELECT 'SCHEMA', n.nspname, '', '', n.nspowner, coalesce(n.nspacl, acldefault('n'::"char", n.nspowner)),
           n.nspacl IS NOT NULL
    FROM pg_namespace n
    WHERE NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_namespace'::regclass
                      AND d.objid = n.oid AND d.deptype = 'e')
)
-- An object whose explicit ACL grants nothing beyond the owner (REVOKE … FROM PUBLIC) comes
-- out once, with no grantee: it is explicit all the same.
SELECT o.kind, o.schema, o.name, o.member,
       CASE WHEN x.grantee = 0 THEN 'PUBLIC' ELSE quote_ident(pg_get_userbyid(x.grantee)) END AS grantee,
       x.privilege_type AS privilege,
       coalesce(x.is_grantable, false) AS grantable,
       o.explicit
FROM objects o
LEFT JOIN LATERAL (
    SELECT * FROM aclexplode(o.acl) e
    WHERE e.grantee <> o.owner
      AND NOT (o.schema = 'public' AND o.kind = 'SCHEMA' AND e.grantee = 'pg_database_owner'::regrole)
) x ON true
WHERE (x.grantee IS NOT NULL OR o.explicit)
  AND o.schema NOT IN ('pg_catalog', 'information_schema')
  AND o.schema NOT LIKE 'pg\_toast%%' AND o.schema NOT LIKE 'pg\_temp\_%%'
  AND (%(schemas)s::text[] IS NULL OR o.schema = ANY (%(schemas)s::text[]))
ORDER BY 1, 2, 3, 4, 5, 6

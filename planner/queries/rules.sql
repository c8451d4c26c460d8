-- Rewrite rules of tables and views; a view's own '_RETURN' rule is the view itself.
SELECT r.ev_class AS table_oid,
       r.rulename AS name,
       -- PostgreSQL ends the statement with ';': the planner adds its own.
       rtrim(pg_get_ruledef(r.oid), ';') AS definition,
       r.ev_enabled AS enabled,
       -- Joined rather than obj_description(), which runs a query per row.
       de.description AS comment
FROM pg_rewrite r
JOIN pg_class c ON c.oid = r.ev_class
JOIN pg_namespace n ON n.oid = c.relnamespace
LEFT JOIN pg_description de ON de.objoid = r.oid AND de.classoid = 'pg_rewrite'::regclass
     AND de.objsubid = 0
WHERE r.rulename <> '_RETURN'
  AND n.nspname NOT IN ('pg_catalog', 'information_schema')
  AND n.nspname NOT LIKE 'pg\_toast%%' AND n.nspname NOT LIKE 'pg\_temp\_%%'
  AND (%(schemas)s::text[] IS NULL OR n.nspname = ANY (%(schemas)s::text[]))
  AND NOT EXISTS (SELECT 1 FROM pg_depend d
                  WHERE d.classid = 'pg_rewrite'::regclass AND d.objid = r.oid AND d.deptype = 'e')
ORDER BY r.ev_class, r.rulename

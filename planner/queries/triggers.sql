SELECT t.tgrelid AS table_oid,
       t.tgname AS name,
       pg_get_triggerdef(t.oid) AS definition,
       t.tgenabled AS enabled,
       -- Joined rather than obj_description(), which runs a query per row.
       de.description AS comment
FROM pg_trigger t
JOIN pg_class c ON c.oid = t.tgrelid
JOIN pg_namespace n ON n.oid = c.relnamespace
LEFT JOIN pg_description de ON de.objoid = t.oid AND de.classoid = 'pg_trigger'::regclass
     AND de.objsubid = 0
WHERE NOT t.tgisinternal
  AND t.tgparentid = 0
  AND n.nspname NOT IN ('pg_catalog', 'information_schema')
  AND n.nspname NOT LIKE 'pg\_toast%%' AND n.nspname NOT LIKE 'pg\_temp\_%%'
  AND (%(schemas)s::text[] IS NULL OR n.nspname = ANY (%(schemas)s::text[]))
ORDER BY t.tgrelid, t.tgname

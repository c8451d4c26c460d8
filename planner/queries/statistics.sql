-- Extended statistics (CREATE STATISTICS) on tables; those on materialized views are
-- reported by unsupported.sql.
SELECT s.stxrelid AS table_oid,
       n.nspname AS schema,
       s.stxname AS name,
       pg_get_statisticsobjdef(s.oid) AS definition,
       -- -1 (NULL from 17 on) is the default target.
       nullif(s.stxstattarget, -1) AS target,
       -- Joined rather than obj_description(), which runs a query per row.
       de.description AS comment
FROM pg_statistic_ext s
JOIN pg_namespace n ON n.oid = s.stxnamespace
JOIN pg_class c ON c.oid = s.stxrelid
JOIN pg_namespace cn ON cn.oid = c.relnamespace
LEFT JOIN pg_description de ON de.objoid = s.oid AND de.classoid = 'pg_statistic_ext'::regclass
     AND de.objsubid = 0
WHERE c.relkind IN ('r', 'p')
  AND cn.nspname NOT IN ('pg_catalog', 'information_schema')
  AND cn.nspname NOT LIKE 'pg\_toast%%' AND cn.nspname NOT LIKE 'pg\_temp\_%%'
  AND (%(schemas)s::text[] IS NULL OR cn.nspname = ANY (%(schemas)s::text[]))
ORDER BY s.stxrelid, n.nspname, s.stxname

SELECT n.nspname AS schema,
       c.relname AS name,
       c.relkind = 'm' AS materialized,
       rtrim(btrim(pg_get_viewdef(c.oid)), ';') AS query,
       coalesce(array(SELECT o FROM unnest(c.reloptions) o WHERE o NOT LIKE 'check\_option=%%'), '{}') AS options,
       (SELECT substr(o, length('check_option=') + 1) FROM unnest(c.reloptions) o
        WHERE o LIKE 'check\_option=%%') AS check_option,
       array(SELECT a.attname FROM pg_attribute a
             WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum) AS column_names,
       array(SELECT format_type(a.atttypid, a.atttypmod) FROM pg_attribute a
             WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum) AS column_types,
       -- Comments are joined rather than read by col_description() or obj_description(),
       -- which run a query per call.
       array(SELECT a.attname FROM pg_attribute a
             JOIN pg_description cd ON cd.objoid = c.oid AND cd.classoid = 'pg_class'::regclass
                  AND cd.objsubid = a.attnum
             WHERE a.attrelid = c.oid AND a.attnum > 0 ORDER BY a.attnum) AS commented_columns,
       array(SELECT cd.description FROM pg_attribute a
             JOIN pg_description cd ON cd.objoid = c.oid AND cd.classoid = 'pg_class'::regclass
                  AND cd.objsubid = a.attnum
             WHERE a.attrelid = c.oid AND a.attnum > 0 ORDER BY a.attnum) AS column_comments,
       c.oid AS table_oid,
       (SELECT ic.relname FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid
        WHERE i.indrelid = c.oid AND i.indisclustered) AS cluster_on,
       de.description AS comment
FROM pg_class c
JOIN pg_namespace n ON n.oid = c.relnamespace
LEFT JOIN pg_description de ON de.objoid = c.oid AND de.classoid = 'pg_class'::regclass
     AND de.objsubid = 0
WHERE c.relkind IN ('v', 'm')
  AND n.nspname NOT IN ('pg_catalog', 'information_schema')
  AND n.nspname NOT LIKE 'pg\_toast%%' AND n.nspname NOT LIKE 'pg\_temp\_%%'
  AND NOT EXISTS (SELECT 1 FROM pg_depend d
                  WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e')
  AND (%(schemas)s::text[] IS NULL OR n.nspname = ANY (%(schemas)s::text[]))
ORDER BY n.nspname, c.relname

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
       array(SELECT a.attname FROM pg_attribute a
             WHERE a.attrelid = c.oid AND a.attnum > 0 AND col_description(c.oid, a.attnum) IS NOT NULL
             ORDER BY a.attnum) AS commented_columns,
       array(SELECT col_description(c.oid, a.attnum) FROM pg_attribute a
             WHERE a.attrelid = c.oid AND a.attnum > 0 AND col_description(c.oid, a.attnum) IS NOT NULL
             ORDER BY a.attnum) AS column_comments,
       c.oid AS table_oid,
       obj_description(c.oid, 'pg_class') AS comment
FROM pg_class c
JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE c.relkind IN ('v', 'm')
  AND n.nspname NOT IN ('pg_catalog', 'information_schema')
  AND n.nspname NOT LIKE 'pg\_toast%%' AND n.nspname NOT LIKE 'pg\_temp\_%%'
  AND NOT EXISTS (SELECT 1 FROM pg_depend d
                  WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e')
  AND (%(schemas)s::text[] IS NULL OR n.nspname = ANY (%(schemas)s::text[]))
ORDER BY n.nspname, c.relname

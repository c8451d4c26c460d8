SELECT a.attrelid AS table_oid,
       a.attname AS name,
       a.attnum AS number,
       format_type(a.atttypid, a.atttypmod) AS type,
       a.attnotnull AS not_null,
       -- A default cannot refer to columns, so it is printed without its table: passing the
       -- table's oid makes PostgreSQL open the table (and build its cache entry) per row,
       -- 0.25 s of 0.35 s at 5,000 tables.
       CASE WHEN a.attgenerated = '' THEN pg_get_expr(ad.adbin, 0) END AS default,
       CASE WHEN a.attgenerated <> '' THEN pg_get_expr(ad.adbin, ad.adrelid) END AS generated,
       a.attidentity AS identity,
       CASE WHEN a.attcollation <> t.typcollation THEN
            CASE WHEN cn.nspname = 'pg_catalog' THEN quote_ident(co.collname)
                 ELSE quote_ident(cn.nspname) || '.' || quote_ident(co.collname) END
       END AS collation,
       -- Joined rather than col_description(), which runs a query per column.
       de.description AS comment,
       CASE WHEN a.attstorage <> t.typstorage THEN a.attstorage::text END AS storage,
       nullif(a.attcompression::text, '') AS compression,
       nullif(a.attstattarget, -1) AS statistics,
       a.attoptions AS options,
       a.attislocal AS is_local,
       a.attinhcount > 0 AND EXISTS (SELECT 1 FROM pg_inherits inh
               JOIN pg_attribute pa ON pa.attrelid = inh.inhparent AND pa.attname = a.attname
               WHERE inh.inhrelid = a.attrelid AND pa.attnotnull) AS parent_not_null,
       -- What an inherited column's default would be without a setting of the child's own.
       CASE WHEN a.attinhcount > 0 AND NOT a.attislocal THEN
            (SELECT pg_get_expr(pd.adbin, 0) FROM pg_inherits inh
             JOIN pg_attribute pa ON pa.attrelid = inh.inhparent AND pa.attname = a.attname
             LEFT JOIN pg_attrdef pd ON pd.adrelid = pa.attrelid AND pd.adnum = pa.attnum
             WHERE inh.inhrelid = a.attrelid ORDER BY inh.inhseqno LIMIT 1)
       END AS parent_default,
       format_type(s.seqtypid, NULL) AS identity_type,
       s.sequence_schema AS identity_sequence_schema,
       s.sequence_name AS identity_sequence_name,
       s.seqstart AS identity_start,
       s.seqincrement AS identity_increment,
       s.seqmin AS identity_minimum,
       s.seqmax AS identity_maximum,
       s.seqcache AS identity_cache,
       s.seqcycle AS identity_cycle
FROM pg_attribute a
JOIN pg_class c ON c.oid = a.attrelid
JOIN pg_namespace n ON n.oid = c.relnamespace
JOIN pg_type t ON t.oid = a.atttypid
LEFT JOIN pg_attrdef ad ON ad.adrelid = a.attrelid AND ad.adnum = a.attnum
LEFT JOIN pg_collation co ON co.oid = a.attcollation
LEFT JOIN pg_namespace cn ON cn.oid = co.collnamespace
LEFT JOIN pg_description de ON de.objoid = a.attrelid AND de.classoid = 'pg_class'::regclass
     AND de.objsubid = a.attnum
-- The identity sequence is looked up for identity columns only: OFFSET 0 keeps the subquery
-- from being flattened into a join, so `a.attidentity <> ''` gates it instead of being
-- checked after a pg_depend lookup for every column (0.2 s at 5,000 tables).
LEFT JOIN LATERAL (
    SELECT s.seqtypid, s.seqstart, s.seqincrement, s.seqmin, s.seqmax, s.seqcache, s.seqcycle,
           sn.nspname AS sequence_schema, sc.relname AS sequence_name
    FROM pg_depend idep
    JOIN pg_sequence s ON s.seqrelid = idep.objid
    JOIN pg_class sc ON sc.oid = s.seqrelid
    JOIN pg_namespace sn ON sn.oid = sc.relnamespace
    WHERE a.attidentity <> '' AND idep.refclassid = 'pg_class'::regclass
      AND idep.refobjid = a.attrelid AND idep.refobjsubid = a.attnum AND idep.deptype = 'i'
      AND idep.classid = 'pg_class'::regclass
    OFFSET 0
) s ON true
WHERE c.relkind IN ('r', 'p')
  AND a.attnum > 0 AND NOT a.attisdropped
  AND n.nspname NOT IN ('pg_catalog', 'information_schema')
  AND n.nspname NOT LIKE 'pg\_toast%%' AND n.nspname NOT LIKE 'pg\_temp\_%%'
  AND (%(schemas)s::text[] IS NULL OR n.nspname = ANY (%(schemas)s::text[]))
ORDER BY a.attrelid, a.attnum

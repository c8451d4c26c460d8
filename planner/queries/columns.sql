SELECT a.attrelid AS table_oid,
       a.attname AS name,
       format_type(a.atttypid, a.atttypmod) AS type,
       a.attnotnull AS not_null,
       CASE WHEN a.attgenerated = '' THEN pg_get_expr(ad.adbin, ad.adrelid) END AS default,
       CASE WHEN a.attgenerated <> '' THEN pg_get_expr(ad.adbin, ad.adrelid) END AS generated,
       a.attidentity AS identity,
       CASE WHEN a.attcollation <> t.typcollation THEN
            CASE WHEN cn.nspname = 'pg_catalog' THEN quote_ident(co.collname)
                 ELSE quote_ident(cn.nspname) || '.' || quote_ident(co.collname) END
       END AS collation,
       col_description(a.attrelid, a.attnum) AS comment,
       CASE WHEN a.attstorage <> t.typstorage THEN a.attstorage::text END AS storage,
       nullif(a.attcompression::text, '') AS compression,
       nullif(a.attstattarget, -1) AS statistics,
       a.attislocal AS is_local,
       EXISTS (SELECT 1 FROM pg_inherits inh
               JOIN pg_attribute pa ON pa.attrelid = inh.inhparent AND pa.attname = a.attname
               WHERE inh.inhrelid = a.attrelid AND pa.attnotnull) AS parent_not_null,
       format_type(s.seqtypid, NULL) AS identity_type,
       (SELECT sn.nspname FROM pg_class sc JOIN pg_namespace sn ON sn.oid = sc.relnamespace
        WHERE sc.oid = s.seqrelid) AS identity_sequence_schema,
       (SELECT sc.relname FROM pg_class sc WHERE sc.oid = s.seqrelid) AS identity_sequence_name,
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
LEFT JOIN pg_depend idep ON a.attidentity <> '' AND idep.refclassid = 'pg_class'::regclass
     AND idep.refobjid = a.attrelid AND idep.refobjsubid = a.attnum AND idep.deptype = 'i'
     AND idep.classid = 'pg_class'::regclass
LEFT JOIN pg_sequence s ON s.seqrelid = idep.objid
WHERE c.relkind IN ('r', 'p')
  AND a.attnum > 0 AND NOT a.attisdropped
  AND n.nspname NOT IN ('pg_catalog', 'information_schema')
  AND n.nspname NOT LIKE 'pg\_toast%%' AND n.nspname NOT LIKE 'pg\_temp\_%%'
  AND (%(schemas)s::text[] IS NULL OR n.nspname = ANY (%(schemas)s::text[]))
ORDER BY a.attrelid, a.attnum

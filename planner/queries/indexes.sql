SELECT i.indrelid AS table_oid,
       ic.relname AS name,
       i.indisunique AS unique,
       am.amname AS method,
       i.indnkeyatts AS key_count,
       array(SELECT coalesce(att.attname, pg_get_indexdef(i.indexrelid, k.position::int, true))
             FROM generate_series(1, i.indnkeyatts) k(position)
             LEFT JOIN pg_attribute att ON att.attrelid = i.indrelid
                  AND att.attnum = (i.indkey::int2[])[k.position - 1]
             ORDER BY k.position) AS keys,
       array(SELECT (i.indkey::int2[])[k.position - 1] = 0
             FROM generate_series(1, i.indnkeyatts) k(position) ORDER BY k.position) AS key_is_expression,
       array(SELECT CASE WHEN coll.oid IS NULL OR coll.oid = 0 THEN NULL
                         WHEN (i.indkey::int2[])[k.position - 1] <> 0
                              AND coll.oid = att.attcollation THEN NULL
                         WHEN (i.indkey::int2[])[k.position - 1] = 0 AND coll.collname = 'default' THEN NULL
                         WHEN colln.nspname = 'pg_catalog' THEN quote_ident(coll.collname)
                         ELSE quote_ident(colln.nspname) || '.' || quote_ident(coll.collname) END
             FROM generate_series(1, i.indnkeyatts) k(position)
             LEFT JOIN pg_collation coll ON coll.oid = (i.indcollation::oid[])[k.position - 1]
             LEFT JOIN pg_namespace colln ON colln.oid = coll.collnamespace
             LEFT JOIN pg_attribute att ON att.attrelid = i.indrelid
                  AND att.attnum = (i.indkey::int2[])[k.position - 1]
             ORDER BY k.position) AS key_collations,
       array(SELECT CASE WHEN opc.opcdefault THEN NULL
                         WHEN opcn.nspname = 'pg_catalog' THEN quote_ident(opc.opcname)
                         ELSE quote_ident(opcn.nspname) || '.' || quote_ident(opc.opcname) END
             FROM generate_series(1, i.indnkeyatts) k(position)
             JOIN pg_opclass opc ON opc.oid = (i.indclass::oid[])[k.position - 1]
             JOIN pg_namespace opcn ON opcn.oid = opc.opcnamespace
             ORDER BY k.position) AS key_opclasses,
       array(SELECT (i.indoption::int2[])[k.position - 1]
             FROM generate_series(1, i.indnkeyatts) k(position) ORDER BY k.position) AS key_options,
       array(SELECT a.attname FROM unnest(i.indkey::int2[]) WITH ORDINALITY k(attnum, position)
             JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum
             WHERE k.position > i.indnkeyatts ORDER BY k.position) AS include,
       pg_get_expr(i.indpred, i.indrelid, true) AS where,
       coalesce(i.indnullsnotdistinct, false) AS nulls_not_distinct,
       coalesce(ic.reloptions, '{}') AS storage_parameters,
       obj_description(ic.oid, 'pg_class') AS comment
FROM pg_index i
JOIN pg_class ic ON ic.oid = i.indexrelid
JOIN pg_class c ON c.oid = i.indrelid
JOIN pg_namespace n ON n.oid = c.relnamespace
JOIN pg_am am ON am.oid = ic.relam
WHERE c.relkind IN ('r', 'p', 'm')
  -- An index attached to a partitioned table's index is made by PostgreSQL with the partition.
  AND NOT EXISTS (SELECT 1 FROM pg_inherits inh WHERE inh.inhrelid = i.indexrelid)
  AND NOT EXISTS (SELECT 1 FROM pg_constraint con
                  WHERE con.conindid = i.indexrelid AND con.contype IN ('p', 'u', 'x'))
  AND n.nspname NOT IN ('pg_catalog', 'information_schema')
  AND n.nspname NOT LIKE 'pg\_toast%%' AND n.nspname NOT LIKE 'pg\_temp\_%%'
  AND (%(schemas)s::text[] IS NULL OR n.nspname = ANY (%(schemas)s::text[]))
ORDER BY i.indrelid, ic.relname

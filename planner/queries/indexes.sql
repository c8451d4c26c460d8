-- The indexes to list are chosen first (MATERIALIZED): the per-key arrays below are then
-- built only for them, not for the indexes that back constraints.
WITH listed AS MATERIALIZED (
    SELECT i.indexrelid, i.indrelid, i.indisunique, i.indnkeyatts, i.indkey, i.indcollation,
           i.indclass, i.indoption, i.indpred, i.indnullsnotdistinct
    FROM pg_index i
    JOIN pg_class c ON c.oid = i.indrelid
    JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE c.relkind IN ('r', 'p', 'm')
      -- An index attached to a partitioned table's index is made by PostgreSQL with the
      -- partition.
      AND NOT EXISTS (SELECT 1 FROM pg_inherits inh WHERE inh.inhrelid = i.indexrelid)
      AND NOT EXISTS (SELECT 1 FROM pg_constraint con
                      WHERE con.conindid = i.indexrelid AND con.contype IN ('p', 'u', 'x'))
      AND n.nspname NOT IN ('pg_catalog', 'information_schema')
      AND n.nspname NOT LIKE 'pg\_toast%%' AND n.nspname NOT LIKE 'pg\_temp\_%%'
      AND (%(schemas)s::text[] IS NULL OR n.nspname = ANY (%(schemas)s::text[]))
)
SELECT i.indrelid AS table_oid,
       ic.relname AS name,
       i.indisunique AS unique,
       am.amname AS method,
       i.indnkeyatts AS key_count,
       key.keys,
       key.key_is_expression,
       key.key_collations,
       key.key_opclasses,
       key.key_options,
       coalesce(key.include, '{}') AS include,
       pg_get_expr(i.indpred, i.indrelid, true) AS where,
       coalesce(i.indnullsnotdistinct, false) AS nulls_not_distinct,
       coalesce(ic.reloptions, '{}') AS storage_parameters,
       de.description AS comment
FROM listed i
JOIN pg_class ic ON ic.oid = i.indexrelid
JOIN pg_am am ON am.oid = ic.relam
LEFT JOIN pg_description de ON de.objoid = ic.oid AND de.classoid = 'pg_class'::regclass
     AND de.objsubid = 0
-- All per-key arrays from one pass over the index's columns (a subquery per array cost 0.7 s
-- at 5,000 tables), each catalog row looked up by its oid: joins here were planned as hash
-- joins rebuilt for every index. indcollation, indclass and indoption cover the key columns
-- only; unnest pads them with NULL for the included columns, which only `include` reads.
CROSS JOIN LATERAL (
    SELECT array_agg(coalesce(k.attname, pg_get_indexdef(i.indexrelid, k.position::int, true))
                     ORDER BY k.position) FILTER (WHERE k.is_key) AS keys,
           array_agg(k.attnum = 0 ORDER BY k.position) FILTER (WHERE k.is_key) AS key_is_expression,
           array_agg(CASE WHEN k.collation_oid = 0 THEN NULL
                          WHEN k.attnum <> 0 AND k.collation_oid = k.attcollation THEN NULL
                          ELSE (SELECT CASE WHEN k.attnum = 0 AND coll.collname = 'default' THEN NULL
                                            WHEN colln.nspname = 'pg_catalog' THEN quote_ident(coll.collname)
                                            ELSE quote_ident(colln.nspname) || '.' || quote_ident(coll.collname) END
                                FROM pg_collation coll
                                JOIN pg_namespace colln ON colln.oid = coll.collnamespace
                                WHERE coll.oid = k.collation_oid) END
                     ORDER BY k.position) FILTER (WHERE k.is_key) AS key_collations,
           array_agg((SELECT CASE WHEN opc.opcdefault THEN NULL
                                  WHEN opcn.nspname = 'pg_catalog' THEN quote_ident(opc.opcname)
                                  ELSE quote_ident(opcn.nspname) || '.' || quote_ident(opc.opcname) END
                      FROM pg_opclass opc JOIN pg_namespace opcn ON opcn.oid = opc.opcnamespace
                      WHERE opc.oid = k.opclass_oid)
                     ORDER BY k.position) FILTER (WHERE k.is_key) AS key_opclasses,
           array_agg(k.option ORDER BY k.position) FILTER (WHERE k.is_key) AS key_options,
           array_agg(k.attname ORDER BY k.position) FILTER (WHERE NOT k.is_key) AS include
    FROM (
        SELECT key.*, key.position <= i.indnkeyatts AS is_key, att.attname, att.attcollation
        FROM unnest(i.indkey::int2[], i.indcollation::oid[], i.indclass::oid[], i.indoption::int2[])
             WITH ORDINALITY key(attnum, collation_oid, opclass_oid, option, position)
        LEFT JOIN LATERAL (
            SELECT a.attname, a.attcollation FROM pg_attribute a
            WHERE a.attrelid = i.indrelid AND a.attnum = key.attnum
        ) att ON true
    ) k
) key
ORDER BY i.indrelid, ic.relname

-- Key columns are read as column numbers and operator classes as oids, both named in Python
-- from rows of other queries (a lookup per key here took 40 %% of this query at 5,000
-- tables); expressions, collations and the partial index predicate are printed here. Those
-- per-key arrays are subqueries over the index's keys alone, in WITH ORDINALITY order, which
-- needs no sort (joins there made PostgreSQL hash and sort per index).
SELECT i.indrelid AS table_oid,
       ic.relname AS name,
       i.indisunique AS unique,
       am.amname AS method,
       i.indnkeyatts AS key_count,
       i.indkey::int2[] AS column_numbers,
       -- Per key, its expression (NULL for a column), read only for an index with one.
       CASE WHEN 0 = ANY (i.indkey::int2[]) THEN
            array(SELECT CASE WHEN k.attnum = 0 THEN pg_get_indexdef(i.indexrelid, k.position::int, true) END
                  FROM unnest(i.indkey::int2[]) WITH ORDINALITY k(attnum, position)
                  WHERE k.position <= i.indnkeyatts ORDER BY k.position)
       END AS key_expressions,
       -- indcollation, indclass and indoption cover the key columns only.
       array(SELECT CASE WHEN k.collation_oid = 0 THEN NULL
                         WHEN k.attnum <> 0 AND k.collation_oid =
                              (SELECT att.attcollation FROM pg_attribute att
                               WHERE att.attrelid = i.indrelid AND att.attnum = k.attnum) THEN NULL
                         ELSE (SELECT CASE WHEN k.attnum = 0 AND coll.collname = 'default' THEN NULL
                                           WHEN colln.nspname = 'pg_catalog' THEN quote_ident(coll.collname)
                                           ELSE quote_ident(colln.nspname) || '.' || quote_ident(coll.collname) END
                               FROM pg_collation coll
                               JOIN pg_namespace colln ON colln.oid = coll.collnamespace
                               WHERE coll.oid = k.collation_oid) END
             FROM unnest(i.indcollation::oid[], i.indkey::int2[])
                  WITH ORDINALITY k(collation_oid, attnum, position)
             WHERE k.position <= i.indnkeyatts ORDER BY k.position) AS key_collations,
       i.indclass::oid[] AS key_opclass_oids,
       i.indoption::int2[] AS key_options,
       pg_get_expr(i.indpred, i.indrelid, true) AS where,
       coalesce(i.indnullsnotdistinct, false) AS nulls_not_distinct,
       ic.reloptions AS storage_parameters,
       -- Joined rather than obj_description(), which runs a query per row.
       de.description AS comment,
       -- The partitioned table's index this partition's index is attached to, and what
       -- tells whether PostgreSQL made it so by itself (planner/partition_indexes.py).
       c.relname AS table_name,
       pi.relname AS attached_to,
       pi.reloptions AS parent_storage_parameters,
       coalesce(pix.indisvalid, true) AS parent_valid,
       -- A partitioned table's index stays invalid while a partition has none attached.
       c.relkind = 'p' AND NOT i.indisvalid AS only
FROM pg_index i
JOIN pg_class ic ON ic.oid = i.indexrelid
JOIN pg_class c ON c.oid = i.indrelid
JOIN pg_namespace n ON n.oid = c.relnamespace
JOIN pg_am am ON am.oid = ic.relam
LEFT JOIN pg_description de ON de.objoid = ic.oid AND de.classoid = 'pg_class'::regclass
     AND de.objsubid = 0
LEFT JOIN pg_inherits inh ON inh.inhrelid = i.indexrelid
LEFT JOIN pg_class pi ON pi.oid = inh.inhparent
LEFT JOIN pg_index pix ON pix.indexrelid = inh.inhparent
WHERE c.relkind IN ('r', 'p', 'm')
  AND NOT EXISTS (SELECT 1 FROM pg_constraint con
                  WHERE con.conindid = i.indexrelid AND con.contype IN ('p', 'u', 'x'))
  AND n.nspname NOT IN ('pg_catalog', 'information_schema')
  AND n.nspname NOT LIKE 'pg\_toast%%' AND n.nspname NOT LIKE 'pg\_temp\_%%'
  AND (%(schemas)s::text[] IS NULL OR n.nspname = ANY (%(schemas)s::text[]))
ORDER BY i.indrelid, ic.relname

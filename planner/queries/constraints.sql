-- Column lists are read as column numbers, named in Python from the columns query (a lookup
-- per element here took a third of this query at 5,000 tables); only the columns of a
-- referenced table outside the schemas read are named here. The comment is joined rather
-- than fetched by obj_description(), a query per row.
SELECT con.conrelid AS table_oid,
       con.conname AS name,
       con.contype AS kind,
       con.conkey AS column_numbers,
       CASE WHEN con.contype = 'c' THEN pg_get_expr(con.conbin, con.conrelid)
            WHEN con.contype = 'x' THEN pg_get_constraintdef(con.oid) END AS expression,
       fn.nspname AS referenced_schema,
       fc.relname AS referenced_table,
       con.confrelid AS referenced_table_oid,
       con.confkey AS referenced_column_numbers,
       CASE WHEN %(schemas)s::text[] IS NOT NULL AND fn.nspname <> ALL (%(schemas)s::text[]) THEN
            array(SELECT (SELECT a.attname FROM pg_attribute a WHERE a.attrelid = con.confrelid AND a.attnum = k.attnum)
                  FROM unnest(con.confkey) WITH ORDINALITY k(attnum, position) ORDER BY k.position)
       END AS referenced_column_names,
       con.confupdtype AS on_update,
       con.confdeltype AS on_delete,
       con.confmatchtype AS match_type,
       con.confdelsetcols AS on_delete_column_numbers,
       con.condeferrable AS deferrable,
       con.condeferred AS initially_deferred,
       con.convalidated AS validated,
       con.connoinherit AS no_inherit,
       con.conislocal AS is_local,
       coalesce(i.indnullsnotdistinct, false) AS nulls_not_distinct,
       i.indkey::int2[] AS index_column_numbers,
       i.indnkeyatts AS index_key_count,
       ic.reloptions AS index_parameters,
       de.description AS comment,
       -- The partitioned table's index this key's index is attached to; `is_clone` when the
       -- key is attached to the partitioned table's own key (planner/partition_indexes.py).
       c.relname AS table_name,
       pi.relname AS attached_to,
       con.conparentid <> 0 AS is_clone,
       pi.reloptions AS parent_index_parameters,
       coalesce(pix.indisvalid, true) AS parent_valid,
       -- A partitioned table's key stays invalid while a partition has none attached.
       c.relkind = 'p' AND NOT coalesce(i.indisvalid, true) AS only
FROM pg_constraint con
JOIN pg_class c ON c.oid = con.conrelid
JOIN pg_namespace n ON n.oid = c.relnamespace
LEFT JOIN pg_class fc ON fc.oid = con.confrelid
LEFT JOIN pg_namespace fn ON fn.oid = fc.relnamespace
LEFT JOIN pg_index i ON i.indexrelid = con.conindid AND con.contype IN ('p', 'u')
LEFT JOIN pg_class ic ON ic.oid = i.indexrelid
LEFT JOIN pg_inherits inh ON inh.inhrelid = i.indexrelid
LEFT JOIN pg_class pi ON pi.oid = inh.inhparent
LEFT JOIN pg_index pix ON pix.indexrelid = inh.inhparent
LEFT JOIN pg_description de ON de.objoid = con.oid AND de.classoid = 'pg_constraint'::regclass
     AND de.objsubid = 0
WHERE c.relkind IN ('r', 'p')
  AND con.contype IN ('p', 'u', 'f', 'c', 'x')
  -- Clones of a partitioned table's constraint (per partition, or per referenced partition)
  -- are PostgreSQL's to make; a partition's key attached to its parent's key is read, and
  -- kept only when PostgreSQL would not have named it so by itself.
  AND (con.conparentid = 0 OR con.contype IN ('p', 'u'))
  AND n.nspname NOT IN ('pg_catalog', 'information_schema')
  AND n.nspname NOT LIKE 'pg\_toast%%' AND n.nspname NOT LIKE 'pg\_temp\_%%'
  AND (%(schemas)s::text[] IS NULL OR n.nspname = ANY (%(schemas)s::text[]))
ORDER BY con.conrelid, position(con.contype IN 'pufcx'), con.conname

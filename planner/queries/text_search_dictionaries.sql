-- Text search dictionaries (CREATE TEXT SEARCH DICTIONARY). The template is qualified by
-- hand: regproc-style output leaves pg_catalog's names bare. dictinitoption is the options'
-- text as PostgreSQL serialized it (`stopwords = 'english', accept = 'false'`).
SELECT n.nspname AS schema,
       d.dictname AS name,
       quote_ident(tn.nspname) || '.' || quote_ident(t.tmplname) AS template,
       d.dictinitoption AS options,
       -- Joined rather than obj_description(), which runs a query per row.
       de.description AS comment
FROM pg_ts_dict d
JOIN pg_namespace n ON n.oid = d.dictnamespace
JOIN pg_ts_template t ON t.oid = d.dicttemplate
JOIN pg_namespace tn ON tn.oid = t.tmplnamespace
LEFT JOIN pg_description de ON de.objoid = d.oid AND de.classoid = 'pg_ts_dict'::regclass
     AND de.objsubid = 0
WHERE n.nspname NOT IN ('pg_catalog', 'information_schema')
  AND n.nspname NOT LIKE 'pg\_toast%%' AND n.nspname NOT LIKE 'pg\_temp\_%%'
  AND NOT EXISTS (SELECT 1 FROM pg_depend x
                  WHERE x.classid = 'pg_ts_dict'::regclass AND x.objid = d.oid AND x.deptype = 'e')
  AND (%(schemas)s::text[] IS NULL OR n.nspname = ANY (%(schemas)s::text[]))
ORDER BY n.nspname, d.dictname

-- Text search configurations (CREATE TEXT SEARCH CONFIGURATION) with their mappings: one
-- JSON array [alias, [dictionary, …]] per mapped token type, in the parser's token order,
-- each token's dictionaries in the order they are consulted (mapseqno). Names are
-- qualified by hand: regdictionary output leaves pg_catalog's names bare.
SELECT n.nspname AS schema,
       c.cfgname AS name,
       quote_ident(pn.nspname) || '.' || quote_ident(p.prsname) AS parser,
       m.mappings,
       -- Joined rather than obj_description(), which runs a query per row.
       de.description AS comment
FROM pg_ts_config c
JOIN pg_namespace n ON n.oid = c.cfgnamespace
JOIN pg_ts_parser p ON p.oid = c.cfgparser
JOIN pg_namespace pn ON pn.oid = p.prsnamespace
LEFT JOIN LATERAL (
    SELECT json_agg(json_build_array(tt.alias, token.dictionaries) ORDER BY token.tokid)
           AS mappings
    FROM (SELECT cm.maptokentype AS tokid,
                 array_agg(quote_ident(dn.nspname) || '.' || quote_ident(d.dictname)
                           ORDER BY cm.mapseqno) AS dictionaries
          FROM pg_ts_config_map cm
          JOIN pg_ts_dict d ON d.oid = cm.mapdict
          JOIN pg_namespace dn ON dn.oid = d.dictnamespace
          WHERE cm.mapcfg = c.oid
          GROUP BY cm.maptokentype) token
    JOIN ts_token_type(c.cfgparser) tt ON tt.tokid = token.tokid
) m ON true
LEFT JOIN pg_description de ON de.objoid = c.oid AND de.classoid = 'pg_ts_config'::regclass
     AND de.objsubid = 0
WHERE n.nspname NOT IN ('pg_catalog', 'information_schema')
  AND n.nspname NOT LIKE 'pg\_toast%%' AND n.nspname NOT LIKE 'pg\_temp\_%%'
  AND NOT EXISTS (SELECT 1 FROM pg_depend x
                  WHERE x.classid = 'pg_ts_config'::regclass AND x.objid = c.oid AND x.deptype = 'e')
  AND (%(schemas)s::text[] IS NULL OR n.nspname = ANY (%(schemas)s::text[]))
ORDER BY n.nspname, c.cfgname

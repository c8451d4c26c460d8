-- User objects the planner does not model: reported, never silently skipped.
WITH user_namespaces AS (
    SELECT oid, nspname FROM pg_namespace
    WHERE nspname NOT IN ('pg_catalog', 'information_schema')
      AND nspname NOT LIKE 'pg\_toast%%' AND nspname NOT LIKE 'pg\_temp\_%%'
      AND (%(schemas)s::text[] IS NULL OR nspname = ANY (%(schemas)s::text[]))
),
extension_members AS (
    SELECT classid, objid FROM pg_depend WHERE deptype = 'e'
),
found AS (
    SELECT 'operator' AS kind, o.oid::regoperator::text AS identity, 'pg_operator'::regclass AS classid, o.oid
    FROM pg_operator o JOIN user_namespaces n ON n.oid = o.oprnamespace
    UNION ALL
    SELECT 'operator class', quote_ident(n.nspname) || '.' || quote_ident(c.opcname), 'pg_opclass'::regclass, c.oid
    FROM pg_opclass c JOIN user_namespaces n ON n.oid = c.opcnamespace
    UNION ALL
    SELECT 'operator family', quote_ident(n.nspname) || '.' || quote_ident(f.opfname), 'pg_opfamily'::regclass, f.oid
    FROM pg_opfamily f JOIN user_namespaces n ON n.oid = f.opfnamespace
    UNION ALL
    SELECT 'conversion', quote_ident(n.nspname) || '.' || quote_ident(c.conname), 'pg_conversion'::regclass, c.oid
    FROM pg_conversion c JOIN user_namespaces n ON n.oid = c.connamespace
    UNION ALL
    -- Text search configurations and dictionaries are modelled; parsers and templates need
    -- C functions.
    SELECT 'text search parser', quote_ident(n.nspname) || '.' || quote_ident(p.prsname), 'pg_ts_parser'::regclass, p.oid
    FROM pg_ts_parser p JOIN user_namespaces n ON n.oid = p.prsnamespace
    UNION ALL
    SELECT 'text search template', quote_ident(n.nspname) || '.' || quote_ident(t.tmplname), 'pg_ts_template'::regclass, t.oid
    FROM pg_ts_template t JOIN user_namespaces n ON n.oid = t.tmplnamespace
    UNION ALL
    SELECT CASE t.typtype WHEN 'r' THEN 'range type' WHEN 'b' THEN 'base type' ELSE 'type' END,
           quote_ident(n.nspname) || '.' || quote_ident(t.typname), 'pg_type'::regclass, t.oid
    FROM pg_type t JOIN user_namespaces n ON n.oid = t.typnamespace
    WHERE t.typtype IN ('b', 'r', 'p') AND t.typcategory <> 'A'
    UNION ALL
    SELECT CASE c.relkind WHEN 'f' THEN 'foreign table' ELSE 'typed table' END,
           quote_ident(n.nspname) || '.' || quote_ident(c.relname), 'pg_class'::regclass, c.oid
    FROM pg_class c JOIN user_namespaces n ON n.oid = c.relnamespace
    WHERE c.relkind = 'f' OR (c.relkind IN ('r', 'p') AND c.reloftype <> 0)
    UNION ALL
    -- A partition or inheriting table without the default its parent has on a column it
    -- inherits (its own default or comment on such a column is modelled).
    SELECT DISTINCT 'inherited column without its parent''s default',
           quote_ident(n.nspname) || '.' || quote_ident(c.relname) || '.' || quote_ident(a.attname),
           'pg_class'::regclass, c.oid
    FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
    JOIN user_namespaces n ON n.oid = c.relnamespace
    JOIN pg_inherits i ON i.inhrelid = c.oid
    JOIN pg_attribute pa ON pa.attrelid = i.inhparent AND pa.attname = a.attname
    JOIN pg_attrdef pd ON pd.adrelid = pa.attrelid AND pd.adnum = pa.attnum
    WHERE c.relkind IN ('r', 'p') AND NOT a.attislocal AND a.attnum > 0 AND NOT a.attisdropped
      AND a.attgenerated = ''
      AND NOT EXISTS (SELECT 1 FROM pg_attrdef d WHERE d.adrelid = a.attrelid AND d.adnum = a.attnum)
    UNION ALL
    -- A partition's clone of its parent's trigger, enabled differently from the parent's.
    SELECT 'state of a partition''s trigger', quote_ident(t.tgname) || ' on ' || t.tgrelid::regclass::text,
           'pg_trigger'::regclass, t.oid
    FROM pg_trigger t JOIN pg_trigger pt ON pt.oid = t.tgparentid
    JOIN pg_class c ON c.oid = t.tgrelid JOIN user_namespaces n ON n.oid = c.relnamespace
    WHERE t.tgenabled <> pt.tgenabled
    UNION ALL
    SELECT 'default of a view column',
           quote_ident(n.nspname) || '.' || quote_ident(c.relname) || '.' || quote_ident(a.attname),
           'pg_attrdef'::regclass, d.oid
    FROM pg_attrdef d JOIN pg_class c ON c.oid = d.adrelid
    JOIN pg_attribute a ON a.attrelid = d.adrelid AND a.attnum = d.adnum
    JOIN user_namespaces n ON n.oid = c.relnamespace
    WHERE c.relkind IN ('v', 'm')
    UNION ALL
    -- ALTER INDEX … ALTER COLUMN n SET STATISTICS (the default is -1, or NULL from 17 on).
    SELECT DISTINCT 'index column statistics', quote_ident(n.nspname) || '.' || quote_ident(c.relname),
           'pg_class'::regclass, c.oid
    FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
    JOIN user_namespaces n ON n.oid = c.relnamespace
    WHERE c.relkind IN ('i', 'I') AND a.attstattarget IS NOT NULL AND a.attstattarget <> -1
    UNION ALL
    -- Those on tables are modelled (statistics.sql).
    SELECT 'statistics object on a materialized view',
           quote_ident(n.nspname) || '.' || quote_ident(s.stxname), 'pg_statistic_ext'::regclass, s.oid
    FROM pg_statistic_ext s JOIN user_namespaces n ON n.oid = s.stxnamespace
    JOIN pg_class c ON c.oid = s.stxrelid
    WHERE c.relkind NOT IN ('r', 'p')
    UNION ALL
    SELECT 'cast', format('(%%s AS %%s)', format_type(c.castsource, NULL), format_type(c.casttarget, NULL)),
           'pg_cast'::regclass, c.oid
    FROM pg_cast c WHERE c.oid >= 16384
    UNION ALL
    SELECT 'event trigger', quote_ident(e.evtname), 'pg_event_trigger'::regclass, e.oid FROM pg_event_trigger e
    UNION ALL
    SELECT 'foreign server', quote_ident(s.srvname), 'pg_foreign_server'::regclass, s.oid FROM pg_foreign_server s
    UNION ALL
    SELECT 'foreign-data wrapper', quote_ident(w.fdwname), 'pg_foreign_data_wrapper'::regclass, w.oid
    FROM pg_foreign_data_wrapper w
    UNION ALL
    SELECT 'publication', quote_ident(p.pubname), 'pg_publication'::regclass, p.oid FROM pg_publication p
    UNION ALL
    -- ALTER DEFAULT PRIVILEGES: not modelled yet, and the grants they make would otherwise
    -- show up as drift on every new object.
    SELECT 'default privileges',
           'for role ' || quote_ident(r.rolname)
           || coalesce(' in schema ' || quote_ident(n.nspname), '')
           || ' on ' || CASE d.defaclobjtype WHEN 'r' THEN 'tables' WHEN 'S' THEN 'sequences'
                                             WHEN 'f' THEN 'functions' WHEN 'T' THEN 'types'
                                             WHEN 'n' THEN 'schemas' ELSE d.defaclobjtype::text END,
           'pg_default_acl'::regclass, d.oid
    FROM pg_default_acl d
    JOIN pg_roles r ON r.oid = d.defaclrole
    LEFT JOIN pg_namespace n ON n.oid = d.defaclnamespace
    WHERE d.defaclnamespace = 0 OR d.defaclnamespace IN (SELECT oid FROM user_namespaces)
    UNION ALL
    SELECT 'procedural language', quote_ident(l.lanname), 'pg_language'::regclass, l.oid
    FROM pg_language l WHERE l.oid >= 16384
)
SELECT f.kind, f.identity
FROM found f
WHERE NOT EXISTS (SELECT 1 FROM extension_members e WHERE e.classid = f.classid AND e.objid = f.oid)
ORDER BY f.kind, f.identity

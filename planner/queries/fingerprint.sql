-- One md5 over the structure of the user schema: relations, columns, constraints, indexes,
-- types, views, routines, triggers and rules, as PostgreSQL prints them (search_path empty).
WITH user_namespace AS (
    SELECT n.oid, n.nspname FROM pg_namespace n
    WHERE n.nspname NOT IN ('pg_catalog', 'information_schema')
      AND n.nspname NOT LIKE 'pg\_toast%' AND n.nspname NOT LIKE 'pg\_temp\_%'
),
relation AS (
    SELECT c.oid, c.relkind, n.nspname || '.' || c.relname AS name
    FROM pg_class c JOIN user_namespace n ON n.oid = c.relnamespace
    WHERE c.relkind IN ('r', 'p', 'v', 'm', 'S', 'c')
      AND c.relname <> 'alembic_version'
      AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass
                      AND d.objid = c.oid AND d.deptype = 'e')
),
line AS (
    SELECT 'relation ' || r.name || ' ' || r.relkind::text AS text FROM relation r
    UNION ALL
    SELECT 'column ' || r.name || '.' || a.attname || ' ' || format_type(a.atttypid, a.atttypmod)
           || CASE WHEN a.attnotnull THEN ' not null' ELSE '' END
           || coalesce(' default ' || pg_get_expr(d.adbin, d.adrelid), '')
           || CASE WHEN a.attidentity <> '' THEN ' identity ' || a.attidentity::text ELSE '' END
    FROM relation r JOIN pg_attribute a ON a.attrelid = r.oid AND a.attnum > 0 AND NOT a.attisdropped
    LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
    UNION ALL
    SELECT 'constraint ' || r.name || ' ' || con.conname || ' ' || pg_get_constraintdef(con.oid)
    FROM relation r JOIN pg_constraint con ON con.conrelid = r.oid
    UNION ALL
    SELECT 'index ' || pg_get_indexdef(i.indexrelid)
    FROM relation r JOIN pg_index i ON i.indrelid = r.oid
    UNION ALL
    SELECT 'view ' || r.name || ' ' || pg_get_viewdef(r.oid)
    FROM relation r WHERE r.relkind IN ('v', 'm')
    UNION ALL
    SELECT 'enum ' || n.nspname || '.' || t.typname || ' '
           || (SELECT string_agg(e.enumlabel, ',' ORDER BY e.enumsortorder) FROM pg_enum e
               WHERE e.enumtypid = t.oid)
    FROM pg_type t JOIN user_namespace n ON n.oid = t.typnamespace WHERE t.typtype = 'e'
    UNION ALL
    SELECT 'domain ' || n.nspname || '.' || t.typname || ' ' || format_type(t.typbasetype, t.typtypmod)
    FROM pg_type t JOIN user_namespace n ON n.oid = t.typnamespace WHERE t.typtype = 'd'
    UNION ALL
    SELECT 'routine ' || n.nspname || '.' || p.proname || '('
           || pg_get_function_identity_arguments(p.oid) || ') ' || md5(p.prosrc)
    FROM pg_proc p JOIN user_namespace n ON n.oid = p.pronamespace
    WHERE NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_proc'::regclass
                      AND d.objid = p.oid AND d.deptype = 'e')
    UNION ALL
    SELECT 'trigger ' || pg_get_triggerdef(t.oid)
    FROM relation r JOIN pg_trigger t ON t.tgrelid = r.oid WHERE NOT t.tgisinternal
    UNION ALL
    SELECT 'rule ' || pg_get_ruledef(w.oid) || ' ' || w.ev_enabled::text
    FROM relation r JOIN pg_rewrite w ON w.ev_class = r.oid WHERE w.rulename <> '_RETURN'
)
SELECT md5(coalesce(string_agg(text, E'\n' ORDER BY text), '')) AS fingerprint FROM line

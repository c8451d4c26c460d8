-- Who depends on whom among user objects, at the level the planner orders statements:
-- relations (tables, views, sequences), columns, types and functions.
WITH edges AS MATERIALIZED (
    SELECT d.classid, d.objid, d.objsubid, d.refclassid, d.refobjid, d.refobjsubid
    FROM pg_depend d
    WHERE d.deptype = 'n'
      AND d.classid IN ('pg_class'::regclass, 'pg_rewrite'::regclass, 'pg_proc'::regclass,
                        'pg_type'::regclass, 'pg_attrdef'::regclass, 'pg_constraint'::regclass,
                        'pg_trigger'::regclass, 'pg_policy'::regclass)
      AND d.refclassid IN ('pg_class'::regclass, 'pg_proc'::regclass, 'pg_type'::regclass)
      AND d.refobjid >= 16384
),
dependents AS MATERIALIZED (
    SELECT e.*,
           CASE e.classid
               WHEN 'pg_class'::regclass THEN e.objid
               WHEN 'pg_rewrite'::regclass THEN (SELECT r.ev_class FROM pg_rewrite r WHERE r.oid = e.objid)
               WHEN 'pg_attrdef'::regclass THEN (SELECT a.adrelid FROM pg_attrdef a WHERE a.oid = e.objid)
               WHEN 'pg_constraint'::regclass THEN (SELECT nullif(c.conrelid, 0) FROM pg_constraint c WHERE c.oid = e.objid)
               WHEN 'pg_trigger'::regclass THEN (SELECT t.tgrelid FROM pg_trigger t WHERE t.oid = e.objid)
               WHEN 'pg_policy'::regclass THEN (SELECT p.polrelid FROM pg_policy p WHERE p.oid = e.objid)
           END AS relation_oid,
           CASE e.classid
               WHEN 'pg_type'::regclass THEN e.objid
               WHEN 'pg_constraint'::regclass THEN (SELECT nullif(c.contypid, 0) FROM pg_constraint c WHERE c.oid = e.objid)
           END AS type_oid,
           CASE WHEN e.classid = 'pg_proc'::regclass THEN e.objid END AS function_oid,
           -- A rule other than a view's own '_RETURN' is a member of its relation.
           CASE WHEN e.classid = 'pg_rewrite'::regclass
                THEN (SELECT nullif(r.rulename, '_RETURN') FROM pg_rewrite r WHERE r.oid = e.objid)
           END AS rule_name
    FROM edges e
)
SELECT DISTINCT
    CASE WHEN rc.relkind = 'c' THEN 'type'
         WHEN dep.relation_oid IS NOT NULL THEN 'relation'
         WHEN dep.type_oid IS NOT NULL THEN 'type'
         ELSE 'function' END AS kind,
    coalesce(rn.nspname, tn.nspname, fn.nspname) AS schema,
    coalesce(CASE WHEN rc.relkind = 'c' THEN (SELECT t.typname FROM pg_type t WHERE t.typrelid = rc.oid) END,
             rc.relname, tt.typname, fp.proname) AS name,
    CASE WHEN dep.function_oid IS NOT NULL THEN pg_get_function_identity_arguments(dep.function_oid)
         WHEN dep.classid = 'pg_constraint'::regclass AND dep.relation_oid IS NOT NULL
              THEN 'constraint:' || (SELECT c.conname FROM pg_constraint c WHERE c.oid = dep.objid)
         WHEN dep.rule_name IS NOT NULL THEN 'rule:' || dep.rule_name
         WHEN dep.classid = 'pg_trigger'::regclass
              THEN 'trigger:' || (SELECT t.tgname FROM pg_trigger t WHERE t.oid = dep.objid)
         WHEN dep.classid = 'pg_policy'::regclass
              THEN 'policy:' || (SELECT p.polname FROM pg_policy p WHERE p.oid = dep.objid)
         WHEN dep.classid = 'pg_attrdef'::regclass
              THEN 'column:' || (SELECT a.attname FROM pg_attrdef d JOIN pg_attribute a
                                 ON a.attrelid = d.adrelid AND a.attnum = d.adnum WHERE d.oid = dep.objid)
         WHEN dep.classid = 'pg_class'::regclass AND dep.objsubid > 0
              THEN 'column:' || (SELECT a.attname FROM pg_attribute a
                                 WHERE a.attrelid = dep.objid AND a.attnum = dep.objsubid)
         ELSE '' END AS member,
    CASE WHEN dep.refclassid = 'pg_class'::regclass AND refc.relkind = 'c' THEN 'type'
         WHEN dep.refclassid = 'pg_class'::regclass AND dep.refobjsubid > 0 THEN 'column'
         WHEN dep.refclassid = 'pg_class'::regclass THEN 'relation'
         WHEN dep.refclassid = 'pg_type'::regclass AND reft.typrelid <> 0 AND refrel.relkind <> 'c' THEN 'relation'
         WHEN dep.refclassid = 'pg_type'::regclass THEN 'type'
         ELSE 'function' END AS referenced_kind,
    coalesce(refcn.nspname, reftn.nspname, refpn.nspname) AS referenced_schema,
    coalesce(CASE WHEN refc.relkind = 'c' THEN (SELECT t.typname FROM pg_type t WHERE t.typrelid = refc.oid) END,
             refc.relname,
             CASE WHEN reft.typrelid <> 0 THEN refrel.relname END,
             CASE WHEN reft.typelem <> 0 AND reft.typcategory = 'A' THEN (SELECT e.typname FROM pg_type e WHERE e.oid = reft.typelem) END,
             reft.typname, refp.proname) AS referenced_name,
    CASE WHEN dep.refclassid = 'pg_class'::regclass AND dep.refobjsubid > 0 AND refc.relkind <> 'c'
              THEN (SELECT a.attname FROM pg_attribute a WHERE a.attrelid = dep.refobjid AND a.attnum = dep.refobjsubid)
         WHEN dep.refclassid = 'pg_proc'::regclass THEN pg_get_function_identity_arguments(dep.refobjid)
         ELSE '' END AS referenced_member
FROM dependents dep
LEFT JOIN pg_class rc ON rc.oid = dep.relation_oid
LEFT JOIN pg_namespace rn ON rn.oid = rc.relnamespace
LEFT JOIN pg_type tt ON tt.oid = dep.type_oid
LEFT JOIN pg_namespace tn ON tn.oid = tt.typnamespace
LEFT JOIN pg_proc fp ON fp.oid = dep.function_oid
LEFT JOIN pg_namespace fn ON fn.oid = fp.pronamespace
LEFT JOIN pg_class refc ON dep.refclassid = 'pg_class'::regclass AND refc.oid = dep.refobjid
LEFT JOIN pg_namespace refcn ON refcn.oid = refc.relnamespace
LEFT JOIN pg_type reft ON dep.refclassid = 'pg_type'::regclass AND reft.oid = dep.refobjid
LEFT JOIN pg_class refrel ON refrel.oid = reft.typrelid
LEFT JOIN pg_namespace reftn ON reftn.oid = reft.typnamespace
LEFT JOIN pg_proc refp ON dep.refclassid = 'pg_proc'::regclass AND refp.oid = dep.refobjid
LEFT JOIN pg_namespace refpn ON refpn.oid = refp.pronamespace
WHERE coalesce(rn.nspname, tn.nspname, fn.nspname) IS NOT NULL
  -- What a relation uses of itself orders nothing, but a rule, trigger or policy using its
  -- own relation's columns must go before they change type (and come after they are added).
  AND NOT (dep.relation_oid IS NOT NULL AND dep.refclassid = 'pg_class'::regclass
           AND dep.refobjid = dep.relation_oid AND dep.rule_name IS NULL
           AND dep.classid NOT IN ('pg_trigger'::regclass, 'pg_policy'::regclass))
  AND NOT (dep.type_oid IS NOT NULL AND tt.typcategory = 'A')
  AND coalesce(refcn.nspname, reftn.nspname, refpn.nspname) NOT IN ('pg_catalog', 'information_schema')
ORDER BY 1, 2, 3, 4, 5, 6, 7, 8

-- Operator classes an index may name, as an index definition writes them: a default class is
-- left out. Index keys carry class oids, named from this list in Python (a lookup per key in
-- the indexes query scanned pg_opclass for each: a third of that query at 5,000 tables).
SELECT opc.oid AS oid,
       CASE WHEN n.nspname = 'pg_catalog' THEN quote_ident(opc.opcname)
            ELSE quote_ident(n.nspname) || '.' || quote_ident(opc.opcname) END AS name
FROM pg_opclass opc
JOIN pg_namespace n ON n.oid = opc.opcnamespace
WHERE NOT opc.opcdefault

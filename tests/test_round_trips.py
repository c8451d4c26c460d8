"""Small schemas that once lost something on the way through the planner: each is built in a
database, dumped to declarations, rendered onto an empty database and applied with Alembic;
both must then dump alike (`pg_dump --schema-only`) and a re-plan must be empty."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import psycopg
import pytest

from planner import migrations
from planner.dump import write_declarations
from planner.introspect import introspect
from tests.pairs import built_databases
from tests.peerkit import dump_difference
from tests.test_cli import invoke

ROLES = ("round_trip_reader", "round_trip_caller", "round_trip_owner")

SCHEMAS = {
    # Objects handed to another role keep it; grants by the old owner pass to the new one.
    "objects_owned_by_another_role": (
        "CREATE TABLE t (id serial PRIMARY KEY, v int);"
        "GRANT SELECT ON t TO round_trip_reader; ALTER TABLE t OWNER TO round_trip_owner;"
        "CREATE TABLE p (k int, v int) PARTITION BY RANGE (k);"
        "CREATE TABLE p1 PARTITION OF p FOR VALUES FROM (0) TO (10);"
        "ALTER TABLE p OWNER TO round_trip_owner; ALTER TABLE p1 OWNER TO round_trip_owner;"
        "GRANT SELECT ON p1 TO round_trip_reader;"
        "CREATE TABLE kept_by_creator (a int);"
        "CREATE VIEW v AS SELECT id FROM t; ALTER VIEW v OWNER TO round_trip_owner;"
        "GRANT SELECT ON v TO round_trip_reader;"
        "CREATE MATERIALIZED VIEW m AS SELECT id FROM t;"
        "ALTER MATERIALIZED VIEW m OWNER TO round_trip_owner;"
        "CREATE SEQUENCE s; ALTER SEQUENCE s OWNER TO round_trip_owner;"
        "GRANT USAGE ON SEQUENCE s TO round_trip_reader;"
        "CREATE FUNCTION f(a int) RETURNS int LANGUAGE sql AS 'SELECT a';"
        "ALTER FUNCTION f(int) OWNER TO round_trip_owner;"
        "REVOKE EXECUTE ON FUNCTION f(int) FROM PUBLIC;"
        "GRANT EXECUTE ON FUNCTION f(int) TO round_trip_caller;"
        "CREATE PROCEDURE pr() LANGUAGE sql AS 'SELECT 1';"
        "ALTER PROCEDURE pr() OWNER TO round_trip_owner;"
        "CREATE AGGREGATE total(int) (SFUNC = int4pl, STYPE = int);"
        "ALTER AGGREGATE total(int) OWNER TO round_trip_owner;"
        "CREATE TYPE e AS ENUM ('a'); ALTER TYPE e OWNER TO round_trip_owner;"
        "GRANT USAGE ON TYPE e TO round_trip_reader;"
        "CREATE DOMAIN d AS int; ALTER DOMAIN d OWNER TO round_trip_owner;"
        "CREATE TYPE c AS (x int); ALTER TYPE c OWNER TO round_trip_owner;"
    ),
    "cluster_on_an_index": (
        "CREATE TABLE t (a int PRIMARY KEY, b int); CREATE INDEX t_b ON t (b);"
        "ALTER TABLE t CLUSTER ON t_b;"
    ),
    "cluster_on_a_key": "CREATE TABLE t (a int PRIMARY KEY); ALTER TABLE t CLUSTER ON t_pkey;",
    "column_planner_settings": (
        "CREATE TABLE t (a int, b text);"
        "ALTER TABLE t ALTER COLUMN a SET (n_distinct = 100, n_distinct_inherited = -0.5);"
    ),
    "function_kept_from_public": (
        "CREATE FUNCTION sd() RETURNS int LANGUAGE sql SECURITY DEFINER AS 'SELECT 1';"
        "REVOKE EXECUTE ON FUNCTION sd() FROM PUBLIC;"
        "GRANT EXECUTE ON FUNCTION sd() TO round_trip_caller;"
        "CREATE PROCEDURE pr() LANGUAGE sql AS 'SELECT 1';"
        "REVOKE ALL ON PROCEDURE pr() FROM PUBLIC;"
    ),
    "types_kept_from_public": (
        "CREATE TYPE e AS ENUM ('a'); REVOKE USAGE ON TYPE e FROM PUBLIC;"
        "CREATE DOMAIN d AS int; REVOKE ALL ON DOMAIN d FROM PUBLIC;"
        "CREATE TYPE c AS (x int); REVOKE USAGE ON TYPE c FROM PUBLIC;"
    ),
    "public_schema_kept_from_public": "REVOKE ALL ON SCHEMA public FROM PUBLIC;",
    "type_grants": (
        "CREATE TYPE e AS ENUM ('a'); GRANT USAGE ON TYPE e TO round_trip_reader;"
        "CREATE DOMAIN d AS int; GRANT USAGE ON DOMAIN d TO round_trip_reader WITH GRANT OPTION;"
        "CREATE TYPE c AS (x int); GRANT USAGE ON TYPE c TO round_trip_reader;"
    ),
    "function_with_defaults_granted_and_commented": (
        "CREATE FUNCTION f(a int, b int DEFAULT 2, VARIADIC c int[] DEFAULT '{}') RETURNS int"
        " LANGUAGE sql AS 'SELECT a + b';"
        "GRANT EXECUTE ON FUNCTION f(int, int, int[]) TO round_trip_caller;"
        "REVOKE EXECUTE ON FUNCTION f(int, int, int[]) FROM PUBLIC;"
        "COMMENT ON FUNCTION f(int, int, int[]) IS 'adds';"
    ),
    "triggers_with_when_and_transition_tables": (
        "CREATE TABLE t (a int, b int);"
        "CREATE FUNCTION tf() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NULL; END $$;"
        "CREATE TRIGGER t_when AFTER UPDATE ON t FOR EACH ROW"
        " WHEN (OLD.a IS DISTINCT FROM NEW.a) EXECUTE FUNCTION tf();"
        "CREATE TRIGGER t_rows AFTER INSERT ON t REFERENCING NEW TABLE AS added"
        " FOR EACH STATEMENT EXECUTE FUNCTION tf();"
    ),
    # "Person.yaml" sorts before "_schema.yaml", where the schema's types are declared.
    "table_file_before_its_schemas_types": (
        "CREATE SCHEMA app; CREATE DOMAIN app.posint AS int CHECK (VALUE > 0);"
        "CREATE TYPE app.mood AS ENUM ('ok'); CREATE TYPE app.pair AS (a int, b int);"
        'CREATE TABLE app."Person" (id app.posint, moods app.mood[], pair app.pair);'
    ),
    "sequence_grants": (
        "CREATE SEQUENCE s; GRANT USAGE ON SEQUENCE s TO round_trip_reader;"
        "CREATE TABLE t (id serial, n bigserial);"
        "GRANT SELECT, USAGE ON SEQUENCE t_id_seq TO round_trip_reader;"
    ),
    "sql_standard_function_bodies": (
        "CREATE TABLE t (a int);"
        "CREATE FUNCTION n() RETURNS bigint LANGUAGE sql STABLE BEGIN ATOMIC"
        " SELECT count(*) FROM t; END;"
        "CREATE PROCEDURE p(x int) LANGUAGE sql BEGIN ATOMIC"
        " INSERT INTO t VALUES (CASE WHEN x > 0 THEN x END); DELETE FROM t WHERE a IS NULL; END;"
    ),
    "toast_storage_parameters": (
        "CREATE TABLE t (a text) WITH (fillfactor = 80, toast.autovacuum_enabled = false);"
        "CREATE TABLE u (a text); ALTER TABLE u SET (toast.vacuum_truncate = off);"
    ),
    # Django's UniqueConstraint(condition=Q(kind__in=[…])) on a varchar column.
    "varchar_in_list_in_index_predicate_and_key": (
        "CREATE TABLE t (kind varchar(20));"
        "CREATE UNIQUE INDEX t_kind ON t (kind) WHERE kind IN ('a', 'b');"
        "CREATE INDEX t_kind_in ON t ((kind IN ('a', 'b')));"
    ),
    # LedgerSMB: a quoted, upper-case field keeps its case in the stored expression.
    "extract_with_a_quoted_field": (
        "CREATE VIEW v AS SELECT extract('YEAR' FROM now()) AS y, extract(month FROM now()) AS m;"
    ),
    # LedgerSMB: children's own defaults and comments on the columns they inherit.
    "inherited_column_settings": (
        "CREATE TABLE note (id int, note_class int NOT NULL, ref_key int, body text DEFAULT 'x');"
        "CREATE TABLE budget_note () INHERITS (note);"
        "ALTER TABLE budget_note ALTER COLUMN note_class SET DEFAULT 6;"
        "CREATE TABLE file_note (extra int) INHERITS (note);"
        "COMMENT ON COLUMN file_note.ref_key IS 'always 0';"
        "ALTER TABLE file_note ALTER COLUMN body SET DEFAULT 'file';"
        "CREATE TABLE p (a int, b text DEFAULT 'p') PARTITION BY LIST (a);"
        "CREATE TABLE p1 PARTITION OF p (b DEFAULT 'p1') FOR VALUES IN (1) PARTITION BY LIST (b);"
        "CREATE TABLE p1x PARTITION OF p1 FOR VALUES IN ('x');"
        "CREATE TABLE p1y PARTITION OF p1 FOR VALUES IN ('y');"
        "ALTER TABLE p1y ALTER COLUMN b SET DEFAULT 'y'; COMMENT ON COLUMN p1x.a IS 'a of x';"
    ),
    "extended_statistics": (
        "CREATE SCHEMA st; CREATE TABLE t (a int, b int, c text);"
        "CREATE STATISTICS s1 ON a, b FROM t; ALTER STATISTICS s1 SET STATISTICS 500;"
        "COMMENT ON STATISTICS s1 IS 'a and b go together';"
        'CREATE STATISTICS st."S2" (ndistinct, mcv) ON a, (b + 1), lower(c) FROM t;'
        "CREATE TABLE p (a int, b int) PARTITION BY RANGE (a);"
        "CREATE STATISTICS p_ab (dependencies) ON a, b FROM p;"
    ),
    # AdventureWorks clusters materialized views on their indexes.
    "materialized_view_clustered": (
        "CREATE TABLE t (id int PRIMARY KEY, name text);"
        "CREATE MATERIALIZED VIEW mv AS SELECT id, name FROM t;"
        "CREATE UNIQUE INDEX mv_id ON mv (id); CLUSTER mv USING mv_id;"
    ),
    # earthdistance's SQL functions name `earth` unqualified: with the extensions outside
    # public (Supabase's `extensions` schema), an index calling ll_to_earth needs that schema
    # on the search path.
    "extension_function_in_an_index_from_another_schema": (
        "CREATE SCHEMA extensions; SET search_path = public, extensions;"
        "CREATE EXTENSION cube SCHEMA extensions; CREATE EXTENSION earthdistance SCHEMA extensions;"
        "CREATE TABLE place (id int PRIMARY KEY, coordinates point);"
        "CREATE INDEX place_geo ON place USING gist"
        " (extensions.ll_to_earth(coordinates[0], coordinates[1]));"
    ),
    # GNUmed: a SQL-standard function reading a column the table inherits comes after it.
    "function_over_inherited_columns": (
        "CREATE TABLE p (n integer); CREATE TABLE c (id integer) INHERITS (p);"
        "CREATE TABLE q (id integer, n integer) PARTITION BY RANGE (id);"
        "CREATE TABLE q1 PARTITION OF q FOR VALUES FROM (0) TO (10);"
        "CREATE FUNCTION f() RETURNS SETOF integer LANGUAGE sql BEGIN ATOMIC SELECT n FROM c; END;"
        "CREATE FUNCTION g() RETURNS SETOF integer LANGUAGE sql BEGIN ATOMIC SELECT n FROM q1; END;"
    ),
    # GNUmed grants SELECT on some columns of its views.
    "view_column_grants": (
        "CREATE TABLE t (id integer PRIMARY KEY, a integer, b text);"
        "CREATE VIEW v AS SELECT id, a, b FROM t; COMMENT ON COLUMN v.b IS 'bee';"
        "GRANT SELECT (a, b) ON v TO round_trip_reader;"
        "CREATE MATERIALIZED VIEW m AS SELECT id, a FROM t;"
        "GRANT SELECT (id) ON m TO round_trip_reader;"
    ),
    # GNUmed's schemas belong to its own role, which grants usage on them.
    "schema_owned_by_another_role": (
        "CREATE SCHEMA cfg AUTHORIZATION round_trip_owner; COMMENT ON SCHEMA cfg IS 'settings';"
        "GRANT USAGE ON SCHEMA cfg TO round_trip_reader;"
        "CREATE TABLE cfg.item (id int PRIMARY KEY);"
        "ALTER TABLE cfg.item OWNER TO round_trip_owner;"
    ),
    "restrictive_policies": (
        "CREATE TABLE t (owner text, v int); ALTER TABLE t ENABLE ROW LEVEL SECURITY;"
        "CREATE POLICY p1 ON t AS RESTRICTIVE FOR UPDATE TO round_trip_reader"
        " USING (owner = current_user) WITH CHECK (v > 0);"
        "CREATE POLICY p2 ON t FOR ALL USING (true); COMMENT ON POLICY p2 ON t IS 'all';"
    ),
    # FreeRADIUS's upsert: an INSTEAD rule with a condition, using its own table.
    "conditional_instead_rule": (
        "CREATE TABLE cui (k text PRIMARY KEY, v text);"
        "CREATE RULE upsert AS ON INSERT TO cui WHERE EXISTS (SELECT 1 FROM cui WHERE k = NEW.k)"
        " DO INSTEAD UPDATE cui SET v = NEW.v WHERE k = NEW.k;"
    ),
    "rule_on_a_view": (
        "CREATE TABLE t (id int PRIMARY KEY, name text);"
        "CREATE VIEW v AS SELECT id, name FROM t;"
        "CREATE RULE v_insert AS ON INSERT TO v DO INSTEAD INSERT INTO t VALUES (NEW.id, NEW.name);"
        "CREATE RULE v_delete AS ON DELETE TO v DO INSTEAD DELETE FROM t WHERE id = OLD.id;"
    ),
    "rule_with_several_actions": (
        "CREATE TABLE t (id int PRIMARY KEY, n int);"
        "CREATE TABLE audit (id int, n int, seen timestamptz);"
        "CREATE RULE t_audit AS ON UPDATE TO t DO ALSO ("
        " INSERT INTO audit VALUES (NEW.id, NEW.n, now());"
        " UPDATE audit SET seen = now() WHERE id = OLD.id);"
        "CREATE RULE t_quiet AS ON DELETE TO t DO INSTEAD NOTHING;"
    ),
    "disabled_and_replica_rules": (
        "CREATE TABLE t (id int); CREATE TABLE log (id int);"
        "CREATE RULE t_off AS ON INSERT TO t DO ALSO INSERT INTO log VALUES (NEW.id);"
        "ALTER TABLE t DISABLE RULE t_off;"
        "CREATE RULE t_replica AS ON DELETE TO t DO ALSO DELETE FROM log WHERE id = OLD.id;"
        "ALTER TABLE t ENABLE REPLICA RULE t_replica;"
        "CREATE RULE t_always AS ON UPDATE TO t DO ALSO NOTIFY t_changed;"
        "ALTER TABLE t ENABLE ALWAYS RULE t_always;"
    ),
    "commented_rule": (
        "CREATE TABLE t (id int);"
        'CREATE RULE "Keep Rows" AS ON DELETE TO t DO INSTEAD NOTHING;'
        "COMMENT ON RULE \"Keep Rows\" ON t IS 'rows are never deleted';"
    ),
    "rule_across_schemas": (
        "CREATE SCHEMA app; CREATE SCHEMA history;"
        "CREATE TABLE history.changes (id int, at timestamptz DEFAULT now());"
        "CREATE TABLE app.items (id int PRIMARY KEY, name text);"
        "CREATE RULE items_log AS ON UPDATE TO app.items"
        " DO ALSO INSERT INTO history.changes (id) VALUES (NEW.id);"
    ),
    # MusicBrainz's search: a dictionary of an extension's template, a configuration copied
    # from simple with some token types remapped, and an index naming it as a regconfig.
    "text_search_unaccent_configuration": (
        "CREATE EXTENSION unaccent;"
        "CREATE TEXT SEARCH DICTIONARY mb_unaccentdict (TEMPLATE = unaccent, RULES = 'unaccent');"
        "CREATE TEXT SEARCH CONFIGURATION mb_simple (COPY = pg_catalog.simple);"
        "ALTER TEXT SEARCH CONFIGURATION mb_simple ALTER MAPPING FOR word, numword, hword,"
        " numhword, hword_part, hword_numpart WITH mb_unaccentdict, simple;"
        "CREATE TABLE artist (id int PRIMARY KEY, name text NOT NULL);"
        "CREATE INDEX artist_fts ON artist"
        " USING gin (to_tsvector('public.mb_simple'::regconfig, name));"
    ),
    "text_search_dictionary_with_options": (
        "CREATE TEXT SEARCH DICTIONARY english_words"
        " (TEMPLATE = pg_catalog.simple, STOPWORDS = english, ACCEPT = false);"
        "COMMENT ON TEXT SEARCH DICTIONARY english_words IS 'drops English stop words';"
        'CREATE TEXT SEARCH DICTIONARY "Snow Ball" (TEMPLATE = snowball, LANGUAGE = english);'
        # Numbers stay numbers (`maxlen = 4`, not '4'): pg_dump tells them apart.
        "CREATE EXTENSION dict_int;"
        "CREATE TEXT SEARCH DICTIONARY short_ints"
        " (TEMPLATE = intdict_template, MAXLEN = 4, REJECTLONG = true);"
    ),
    "text_search_configuration_in_a_schema": (
        'CREATE SCHEMA search; CREATE SCHEMA "Other";'
        "CREATE TEXT SEARCH DICTIONARY search.simple (TEMPLATE = simple, STOPWORDS = english);"
        "CREATE TEXT SEARCH CONFIGURATION search.english (COPY = pg_catalog.english);"
        "ALTER TEXT SEARCH CONFIGURATION search.english"
        " ALTER MAPPING FOR asciiword WITH search.simple, pg_catalog.simple;"
        "ALTER TEXT SEARCH CONFIGURATION search.english DROP MAPPING FOR email, url;"
        "COMMENT ON TEXT SEARCH CONFIGURATION search.english IS 'English, fewer tokens';"
        'CREATE TEXT SEARCH CONFIGURATION "Other"."Mixed" (PARSER = default);'
        'ALTER TEXT SEARCH CONFIGURATION "Other"."Mixed" ADD MAPPING FOR "int", float'
        " WITH search.simple;"
        "CREATE TABLE search.doc (body text,"
        " words tsvector GENERATED ALWAYS AS (to_tsvector('search.english', body)) STORED);"
    ),
}


@pytest.fixture(scope="module")
def roles(pg_server: Any) -> None:
    with psycopg.connect(pg_server.conninfo(), autocommit=True) as connection:
        for role in ROLES:
            exists = connection.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [role])
            if exists.fetchone() is None:
                connection.execute(f"CREATE ROLE {role} NOLOGIN")


@pytest.mark.parametrize("name", sorted(SCHEMAS))
def test_schema_round_trips(name: str, pg_server: Any, roles: None, tmp_path: Path) -> None:
    with built_databases(pg_server, SCHEMAS[name], "") as (original, copy):
        with psycopg.connect(pg_server.conninfo(original)) as connection:
            write_declarations(introspect(connection), tmp_path / "schema")
        arguments = ["--schema-dir", str(tmp_path / "schema")]
        arguments += ["--migrations-dir", str(tmp_path / "migrations")]
        arguments += ["--database-url", pg_server.url(copy)]

        rendered = invoke("render", *arguments, "-m", "copy")
        assert rendered.exit_code == 0, rendered.output
        migrations.upgrade(tmp_path / "migrations", pg_server.url(copy))
        assert dump_difference(pg_server.url(original), pg_server.url(copy)) == ""
        replanned = invoke("plan", *arguments, "--exit-code")
        assert replanned.exit_code == 0, replanned.output

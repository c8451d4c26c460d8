"""Initial schema: users, wallets, blocks, transactions, jobs, events

Revision ID: f113e1483de2
Revises:Create Date: 2026-11-26 06:40:42

Written by schema-planner from the declarations; review it like code, then apply it with
`alembic upgrade head`.
"""

import sqlalchemy as sa
from alembic import op

revision = 'f113e1483de2'
down_revision = None
branch_labels = None
depends_on = None

# The schema this revision was planned against. upgrade() refuses to run on a database whose
# schema differs (it drifted since review). Set CHECK_STARTING_SCHEMA = False to run it anyway.
CHECK_STARTING_SCHEMA = True
EXPECTED_STARTING_SCHEMA = 'd41d8cd98f00b204e9800998ecf8427e'
SCHEMA_FINGERPRINT_QUERY = r"""
-- One md5 over the structure of the user schema: relations, columns, constraints, indexes,
-- types, views, routines and triggers, as PostgreSQL prints them (search_path empty).
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
)
SELECT md5(coalesce(string_agg(text, E'\n' ORDER BY text), '')) AS fingerprint FROM line
"""


def run(statement: str) -> None:
    # SQLAlchemy would read ":word" as a bind parameter; escaped, it reaches PostgreSQL as written.
    op.execute(sa.text(statement.replace(":", "\\:")))


def refuse_drifted_schema() -> None:
    if not CHECK_STARTING_SCHEMA or op.get_context().as_sql:
        return
    bind = op.get_bind()
    search_path = bind.execute(sa.text("SELECT current_setting('search_path')")).scalar()
    bind.execute(sa.text("SELECT set_config('search_path', '', true)"))
    found = bind.execute(sa.text(SCHEMA_FINGERPRINT_QUERY)).scalar()
    bind.execute(sa.text("SELECT set_config('search_path', :path, true)"), {"path": search_path})
    if found != EXPECTED_STARTING_SCHEMA:
        raise RuntimeError(
            f"revision {revision}: the database schema is not the one this revision was planned "
            f"against (fingerprint {found}, expected {EXPECTED_STARTING_SCHEMA}); it drifted "
            "since review. Plan again, or set CHECK_STARTING_SCHEMA = False in this file."
        )


def upgrade() -> None:
    refuse_drifted_schema()
    run("""SET lock_timeout = '3s'""")

    # create enum public.job_status
    run("""SET statement_timeout = '1min'""")
    run("""CREATE TYPE public.job_status AS ENUM ('pending', 'running', 'succeeded', 'failed', 'cancelled')""")
    run("""COMMENT ON TYPE public.job_status IS 'Life cycle of a queued job'""")

    # create enum public.transaction_status
    run("""CREATE TYPE public.transaction_status AS ENUM ('pending', 'confirmed', 'failed')""")
    run("""COMMENT ON TYPE public.transaction_status IS 'Life cycle of a blockchain transaction'""")

    # create enum public.user_role
    run("""CREATE TYPE public.user_role AS ENUM ('member', 'support', 'admin')""")
    run("""COMMENT ON TYPE public.user_role IS 'What a user may do in the back office'""")

    # create table public.blocks
    run("""
CREATE TABLE public.blocks (
    id bigint GENERATED ALWAYS AS IDENTITY NOT NULL,
    height bigint NOT NULL,
    hash bytea NOT NULL,
    parent_hash bytea,
    merkle_root bytea NOT NULL,
    nonce bigint NOT NULL,
    difficulty numeric(78,0) NOT NULL,
    transaction_count integer DEFAULT 0 NOT NULL,
    mined_at timestamp with time zone NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT blocks_pkey PRIMARY KEY (id),
    CONSTRAINT blocks_hash_key UNIQUE (hash),
    CONSTRAINT blocks_height_key UNIQUE (height),
    CONSTRAINT blocks_difficulty_positive CHECK ((difficulty > (0)::numeric)),
    CONSTRAINT blocks_genesis_has_no_parent CHECK (((height = 0) = (parent_hash IS NULL))),
    CONSTRAINT blocks_hash_length CHECK ((octet_length(hash) = 32)),
    CONSTRAINT blocks_height_non_negative CHECK ((height >= 0)),
    CONSTRAINT blocks_merkle_root_length CHECK ((octet_length(merkle_root) = 32)),
    CONSTRAINT blocks_parent_hash_length CHECK ((octet_length(parent_hash) = 32)),
    CONSTRAINT blocks_transaction_count_non_negative CHECK ((transaction_count >= 0))
)
""")
    run('CREATE INDEX blocks_mined_at_idx ON public.blocks USING btree (mined_at)')
    run('CREATE INDEX blocks_parent_hash_idx ON public.blocks USING btree (parent_hash)')
    run("""COMMENT ON INDEX public.blocks_parent_hash_idx IS 'Serves the foreign key when a block is deleted'""")
    run("""COMMENT ON TABLE public.blocks IS 'Blocks of the application''s own chain'""")
    run("""COMMENT ON COLUMN public.blocks.hash IS 'SHA-256 of the block header'""")
    run("""COMMENT ON COLUMN public.blocks.parent_hash IS 'NULL only for the genesis block'""")

    # create table public.events
    run("""
CREATE TABLE public.events (
    id bigint GENERATED ALWAYS AS IDENTITY NOT NULL,
    occurred_at timestamp with time zone DEFAULT now() NOT NULL,
    actor_user_id bigint,
    event_type text NOT NULL,
    entity_type text,
    entity_id text,
    payload jsonb DEFAULT '{}'::jsonb NOT NULL,
    ip_address inet,
    request_id uuid,
    CONSTRAINT events_pkey PRIMARY KEY (id),
    CONSTRAINT events_entity_type_length CHECK ((char_length(entity_type) <= 64)),
    CONSTRAINT events_event_type_length CHECK ((char_length(event_type) <= 100))
)
""")
    run('CREATE INDEX events_actor_idx ON public.events USING btree (actor_user_id, occurred_at DESC) WHERE (actor_user_id IS NOT NULL)')
    run('CREATE INDEX events_entity_idx ON public.events USING btree (entity_type, entity_id) WHERE (entity_type IS NOT NULL)')
    run('CREATE INDEX events_occurred_at_brin ON public.events USING brin (occurred_at)')
    run("""COMMENT ON INDEX public.events_occurred_at_brin IS 'Rows arrive in time order, so a BRIN index stays tiny'""")
    run("""COMMENT ON TABLE public.events IS 'Append-only audit and compliance log; rows are never updated or deleted'""")
    run("""COMMENT ON COLUMN public.events.actor_user_id IS 'NULL for system actions'""")

    # create table public.jobs
    run("""
CREATE TABLE public.jobs (
    id bigint GENERATED ALWAYS AS IDENTITY NOT NULL,
    queue text DEFAULT 'default'::text NOT NULL,
    kind text NOT NULL,
    payload jsonb DEFAULT '{}'::jsonb NOT NULL,
    status public.job_status DEFAULT 'pending'::public.job_status NOT NULL,
    priority smallint DEFAULT 0 NOT NULL,
    attempts integer DEFAULT 0 NOT NULL,
    max_attempts integer DEFAULT 5 NOT NULL,
    run_at timestamp with time zone DEFAULT now() NOT NULL,
    locked_at timestamp with time zone,
    locked_by text,
    last_error text,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    finished_at timestamp with time zone,
    CONSTRAINT jobs_pkey PRIMARY KEY (id),
    CONSTRAINT jobs_attempts_non_negative CHECK ((attempts >= 0)),
    CONSTRAINT jobs_attempts_within_max CHECK ((attempts <= max_attempts)),
    CONSTRAINT jobs_kind_length CHECK ((char_length(kind) <= 100)),
    CONSTRAINT jobs_max_attempts_positive CHECK ((max_attempts > 0)),
    CONSTRAINT jobs_queue_length CHECK ((char_length(queue) <= 64)),
    CONSTRAINT jobs_running_is_locked CHECK (((status = 'running'::public.job_status) = (locked_at IS NOT NULL)))
)
""")
    run("""CREATE INDEX jobs_locked_at_idx ON public.jobs USING btree (locked_at) WHERE (status = 'running'::public.job_status)""")
    run("""COMMENT ON INDEX public.jobs_locked_at_idx IS 'Finds jobs whose worker died'""")
    run("""CREATE INDEX jobs_pending_idx ON public.jobs USING btree (queue, priority DESC, run_at) WHERE (status = 'pending'::public.job_status)""")
    run("""COMMENT ON INDEX public.jobs_pending_idx IS 'What workers poll; stays small because finished jobs leave it'""")
    run("""COMMENT ON TABLE public.jobs IS 'Work queue; workers claim rows with FOR UPDATE SKIP LOCKED'""")
    run("""COMMENT ON COLUMN public.jobs.locked_by IS 'Worker id holding the job'""")

    # create table public.transactions
    run("""
CREATE TABLE public.transactions (
    id bigint GENERATED ALWAYS AS IDENTITY NOT NULL,
    hash bytea NOT NULL,
    block_id bigint,
    from_wallet_id uuid NOT NULL,
    to_address text NOT NULL,
    amount numeric(78,0) NOT NULL,
    fee numeric(78,0) DEFAULT 0 NOT NULL,
    nonce bigint NOT NULL,
    status public.transaction_status DEFAULT 'pending'::public.transaction_status NOT NULL,
    memo jsonb,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    confirmed_at timestamp with time zone,
    CONSTRAINT transactions_pkey PRIMARY KEY (id),
    CONSTRAINT transactions_hash_key UNIQUE (hash),
    CONSTRAINT transactions_wallet_nonce_key UNIQUE (from_wallet_id, nonce),
    CONSTRAINT transactions_amount_positive CHECK ((amount > (0)::numeric)),
    CONSTRAINT transactions_confirmed_in_block CHECK (((status = 'confirmed'::public.transaction_status) = ((block_id IS NOT NULL) AND (confirmed_at IS NOT NULL)))),
    CONSTRAINT transactions_fee_non_negative CHECK ((fee >= (0)::numeric)),
    CONSTRAINT transactions_hash_length CHECK ((octet_length(hash) = 32)),
    CONSTRAINT transactions_nonce_non_negative CHECK ((nonce >= 0)),
    CONSTRAINT transactions_to_address_length CHECK ((char_length(to_address) <= 64))
)
""")
    run('CREATE INDEX transactions_block_id_idx ON public.transactions USING btree (block_id)')
    run("""CREATE INDEX transactions_pending_idx ON public.transactions USING btree (created_at) WHERE (status = 'pending'::public.transaction_status)""")
    run("""COMMENT ON INDEX public.transactions_pending_idx IS 'The mempool, read by the block producer'""")
    run('CREATE INDEX transactions_to_address_idx ON public.transactions USING btree (to_address)')
    run("""COMMENT ON TABLE public.transactions IS 'Transactions, pending until a block confirms them'""")
    run("""COMMENT ON COLUMN public.transactions.block_id IS 'Set once a block includes the transaction'""")

    # create table public.users
    run("""
CREATE TABLE public.users (
    id bigint GENERATED ALWAYS AS IDENTITY NOT NULL,
    email text NOT NULL,
    username text NOT NULL,
    password_hash text NOT NULL,
    role public.user_role DEFAULT 'member'::public.user_role NOT NULL,
    display_name text,
    bio text,
    avatar_url text,
    is_active boolean DEFAULT true NOT NULL,
    email_verified_at timestamp with time zone,
    last_login_at timestamp with time zone,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT users_pkey PRIMARY KEY (id),
    CONSTRAINT users_username_key UNIQUE (username),
    CONSTRAINT users_display_name_length CHECK ((char_length(display_name) <= 100)),
    CONSTRAINT users_email_format CHECK ((POSITION(('@'::text) IN (email)) > 1)),
    CONSTRAINT users_password_hash_argon2 CHECK ((password_hash ~~ '$argon2id$%'::text)),
    CONSTRAINT users_username_format CHECK ((username ~ '^[a-z0-9_]{3,32}$'::text))
)
""")
    run('CREATE INDEX users_created_at_idx ON public.users USING btree (created_at)')
    run('CREATE UNIQUE INDEX users_email_lower_key ON public.users USING btree ((lower(email)))')
    run("""COMMENT ON INDEX public.users_email_lower_key IS 'One account per address, whatever its case'""")
    run("""COMMENT ON TABLE public.users IS 'Accounts, their credentials and public profile'""")
    run("""COMMENT ON COLUMN public.users.email IS 'Stored as typed; uniqueness ignores case'""")
    run("""COMMENT ON COLUMN public.users.password_hash IS 'Argon2id encoded hash ($argon2id$...)'""")

    # create table public.wallets
    run("""
CREATE TABLE public.wallets (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    user_id bigint NOT NULL,
    address text NOT NULL,
    label text,
    public_key bytea NOT NULL,
    encrypted_private_key bytea NOT NULL,
    key_nonce bytea NOT NULL,
    key_version smallint DEFAULT 1 NOT NULL,
    balance numeric(78,0) DEFAULT 0 NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    archived_at timestamp with time zone,
    CONSTRAINT wallets_pkey PRIMARY KEY (id),
    CONSTRAINT wallets_address_key UNIQUE (address),
    CONSTRAINT wallets_address_length CHECK ((char_length(address) <= 64)),
    CONSTRAINT wallets_balance_non_negative CHECK ((balance >= (0)::numeric)),
    CONSTRAINT wallets_key_nonce_length CHECK ((octet_length(key_nonce) = 12)),
    CONSTRAINT wallets_label_length CHECK ((char_length(label) <= 100)),
    CONSTRAINT wallets_public_key_length CHECK ((octet_length(public_key) = ANY (ARRAY[33, 65])))
)
""")
    run('CREATE INDEX wallets_user_id_idx ON public.wallets USING btree (user_id)')
    run("""COMMENT ON TABLE public.wallets IS 'Blockchain wallets; private keys are stored encrypted by the application'""")
    run("""COMMENT ON COLUMN public.wallets.address IS 'Public address as the chain prints it'""")
    run("""COMMENT ON COLUMN public.wallets.encrypted_private_key IS 'AES-256-GCM ciphertext of the private key; never logged, never returned by the API'""")
    run("""COMMENT ON COLUMN public.wallets.key_nonce IS 'GCM nonce used for encrypted_private_key'""")
    run("""COMMENT ON COLUMN public.wallets.key_version IS 'Which master key encrypted it'""")
    run("""COMMENT ON COLUMN public.wallets.balance IS 'Smallest units; 78 digits hold any uint256'""")

    # add foreign key blocks_parent_hash_fkey on public.blocks
    #   hazard blocks-writes: SHARE ROW EXCLUSIVE lock on public.blocks and public.blocks, for the whole statement
    run('ALTER TABLE public.blocks ADD CONSTRAINT blocks_parent_hash_fkey FOREIGN KEY (parent_hash) REFERENCES public.blocks (hash) ON DELETE RESTRICT')

    # add foreign key events_actor_user_id_fkey on public.events
    #   hazard blocks-writes: SHARE ROW EXCLUSIVE lock on public.events and public.users, for the whole statement
    run('ALTER TABLE public.events ADD CONSTRAINT events_actor_user_id_fkey FOREIGN KEY (actor_user_id) REFERENCES public.users (id) ON DELETE RESTRICT')
    run("""COMMENT ON CONSTRAINT events_actor_user_id_fkey ON public.events IS 'An audited user cannot be hard-deleted; deactivate it instead'""")

    # add foreign key transactions_block_id_fkey on public.transactions
    #   hazard blocks-writes: SHARE ROW EXCLUSIVE lock on public.transactions and public.blocks, for the whole statement
    run('ALTER TABLE public.transactions ADD CONSTRAINT transactions_block_id_fkey FOREIGN KEY (block_id) REFERENCES public.blocks (id) ON DELETE SET NULL')

    # add foreign key transactions_from_wallet_id_fkey on public.transactions
    #   hazard blocks-writes: SHARE ROW EXCLUSIVE lock on public.transactions and public.wallets, for the whole statement
    run('ALTER TABLE public.transactions ADD CONSTRAINT transactions_from_wallet_id_fkey FOREIGN KEY (from_wallet_id) REFERENCES public.wallets (id) ON DELETE RESTRICT')

    # add foreign key wallets_user_id_fkey on public.wallets
    #   hazard blocks-writes: SHARE ROW EXCLUSIVE lock on public.wallets and public.users, for the whole statement
    run('ALTER TABLE public.wallets ADD CONSTRAINT wallets_user_id_fkey FOREIGN KEY (user_id) REFERENCES public.users (id) ON DELETE CASCADE')


def downgrade() -> None:
    run("""SET lock_timeout = '3s'""")

    # drop foreign key wallets_user_id_fkey on public.wallets
    run("""SET statement_timeout = '1min'""")
    run('ALTER TABLE public.wallets DROP CONSTRAINT wallets_user_id_fkey')

    # drop foreign key transactions_from_wallet_id_fkey on public.transactions
    run('ALTER TABLE public.transactions DROP CONSTRAINT transactions_from_wallet_id_fkey')

    # drop foreign key transactions_block_id_fkey on public.transactions
    run('ALTER TABLE public.transactions DROP CONSTRAINT transactions_block_id_fkey')

    # drop foreign key events_actor_user_id_fkey on public.events
    run('ALTER TABLE public.events DROP CONSTRAINT events_actor_user_id_fkey')

    # drop foreign key blocks_parent_hash_fkey on public.blocks
    run('ALTER TABLE public.blocks DROP CONSTRAINT blocks_parent_hash_fkey')

    # drop table public.wallets
    #   hazard blocks-reads: ACCESS EXCLUSIVE lock on public.wallets, briefly
    #   hazard blocks-writes: ACCESS EXCLUSIVE lock on public.wallets, briefly
    #   hazard deletes-data: drops table public.wallets and the data in it
    #   hazard not-reversible: a downgrade recreates table public.wallets empty
    run('DROP TABLE public.wallets')

    # drop table public.users
    #   hazard blocks-reads: ACCESS EXCLUSIVE lock on public.users, briefly
    #   hazard blocks-writes: ACCESS EXCLUSIVE lock on public.users, briefly
    #   hazard deletes-data: drops table public.users and the data in it
    #   hazard not-reversible: a downgrade recreates table public.users empty
    run('DROP TABLE public.users')

    # drop table public.transactions
    #   hazard blocks-reads: ACCESS EXCLUSIVE lock on public.transactions, briefly
    #   hazard blocks-writes: ACCESS EXCLUSIVE lock on public.transactions, briefly
    #   hazard deletes-data: drops table public.transactions and the data in it
    #   hazard not-reversible: a downgrade recreates table public.transactions empty
    run('DROP TABLE public.transactions')

    # drop table public.jobs
    #   hazard blocks-reads: ACCESS EXCLUSIVE lock on public.jobs, briefly
    #   hazard blocks-writes: ACCESS EXCLUSIVE lock on public.jobs, briefly
    #   hazard deletes-data: drops table public.jobs and the data in it
    #   hazard not-reversible: a downgrade recreates table public.jobs empty
    run('DROP TABLE public.jobs')

    # drop table public.events
    #   hazard blocks-reads: ACCESS EXCLUSIVE lock on public.events, briefly
    #   hazard blocks-writes: ACCESS EXCLUSIVE lock on public.events, briefly
    #   hazard deletes-data: drops table public.events and the data in it
    #   hazard not-reversible: a downgrade recreates table public.events empty
    run('DROP TABLE public.events')

    # drop table public.blocks
    #   hazard blocks-reads: ACCESS EXCLUSIVE lock on public.blocks, briefly
    #   hazard blocks-writes: ACCESS EXCLUSIVE lock on public.blocks, briefly
    #   hazard deletes-data: drops table public.blocks and the data in it
    #   hazard not-reversible: a downgrade recreates table public.blocks empty
    run('DROP TABLE public.blocks')

    # drop enum public.user_role
    #   hazard deletes-data: drops type public.user_role and the data in it
    #   hazard not-reversible: a downgrade recreates type public.user_role empty
    run('DROP TYPE public.user_role')

    # drop enum public.transaction_status
    #   hazard deletes-data: drops type public.transaction_status and the data in it
    #   hazard not-reversible: a downgrade recreates type public.transaction_status empty
    run('DROP TYPE public.transaction_status')

    # drop enum public.job_status
    #   hazard deletes-data: drops type public.job_status and the data in it
    #   hazard not-reversible: a downgrade recreates type public.job_status empty
    run('DROP TYPE public.job_status')

"""Initial schema: users, wallets, blocks, transactions, jobs, events

Revision ID: 8f0da3e18394
Revises: 
Create Date: 2026-11-26 05:47:26

Written by schema-planner from the declarations; review it like code, then apply it with
`alembic upgrade head`.
"""

import sqlalchemy as sa
from alembic import op

revision = '8f0da3e18394'
down_revision = None
branch_labels = None
depends_on = None


def run(statement: str) -> None:
    # SQLAlchemy would read ":word" as a bind parameter; escaped, it reaches PostgreSQL as written.
    op.execute(sa.text(statement.replace(":", "\\:")))


def upgrade() -> None:
    # create enum public.job_status
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
    event_type character varying(100) NOT NULL,
    entity_type character varying(64),
    entity_id text,
    payload jsonb DEFAULT '{}'::jsonb NOT NULL,
    ip_address inet,
    request_id uuid,
    CONSTRAINT events_pkey PRIMARY KEY (id)
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
    queue character varying(64) DEFAULT 'default'::character varying NOT NULL,
    kind character varying(100) NOT NULL,
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
    CONSTRAINT jobs_max_attempts_positive CHECK ((max_attempts > 0)),
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
    to_address character varying(64) NOT NULL,
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
    CONSTRAINT transactions_nonce_non_negative CHECK ((nonce >= 0))
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
    username character varying(32) NOT NULL,
    password_hash text NOT NULL,
    role public.user_role DEFAULT 'member'::public.user_role NOT NULL,
    display_name character varying(100),
    bio text,
    avatar_url text,
    is_active boolean DEFAULT true NOT NULL,
    email_verified_at timestamp with time zone,
    last_login_at timestamp with time zone,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT users_pkey PRIMARY KEY (id),
    CONSTRAINT users_username_key UNIQUE (username),
    CONSTRAINT users_email_format CHECK ((POSITION(('@'::text) IN (email)) > 1)),
    CONSTRAINT users_password_hash_argon2 CHECK ((password_hash ~~ '$argon2id$%'::text)),
    CONSTRAINT users_username_format CHECK (((username)::text ~ '^[a-z0-9_]{3,32}$'::text))
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
    address character varying(64) NOT NULL,
    label character varying(100),
    public_key bytea NOT NULL,
    encrypted_private_key bytea NOT NULL,
    key_nonce bytea NOT NULL,
    key_version smallint DEFAULT 1 NOT NULL,
    balance numeric(78,0) DEFAULT 0 NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    archived_at timestamp with time zone,
    CONSTRAINT wallets_pkey PRIMARY KEY (id),
    CONSTRAINT wallets_address_key UNIQUE (address),
    CONSTRAINT wallets_balance_non_negative CHECK ((balance >= (0)::numeric)),
    CONSTRAINT wallets_key_nonce_length CHECK ((octet_length(key_nonce) = 12)),
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
    run('ALTER TABLE public.blocks ADD CONSTRAINT blocks_parent_hash_fkey FOREIGN KEY (parent_hash) REFERENCES public.blocks (hash) ON DELETE RESTRICT')

    # add foreign key events_actor_user_id_fkey on public.events
    run('ALTER TABLE public.events ADD CONSTRAINT events_actor_user_id_fkey FOREIGN KEY (actor_user_id) REFERENCES public.users (id) ON DELETE RESTRICT')
    run("""COMMENT ON CONSTRAINT events_actor_user_id_fkey ON public.events IS 'An audited user cannot be hard-deleted; deactivate it instead'""")

    # add foreign key transactions_block_id_fkey on public.transactions
    run('ALTER TABLE public.transactions ADD CONSTRAINT transactions_block_id_fkey FOREIGN KEY (block_id) REFERENCES public.blocks (id) ON DELETE SET NULL')

    # add foreign key transactions_from_wallet_id_fkey on public.transactions
    run('ALTER TABLE public.transactions ADD CONSTRAINT transactions_from_wallet_id_fkey FOREIGN KEY (from_wallet_id) REFERENCES public.wallets (id) ON DELETE RESTRICT')

    # add foreign key wallets_user_id_fkey on public.wallets
    run('ALTER TABLE public.wallets ADD CONSTRAINT wallets_user_id_fkey FOREIGN KEY (user_id) REFERENCES public.users (id) ON DELETE CASCADE')


def downgrade() -> None:
    # drop foreign key wallets_user_id_fkey on public.wallets
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
    run('DROP TABLE public.wallets')

    # drop table public.users
    run('DROP TABLE public.users')

    # drop table public.transactions
    run('DROP TABLE public.transactions')

    # drop table public.jobs
    run('DROP TABLE public.jobs')

    # drop table public.events
    run('DROP TABLE public.events')

    # drop table public.blocks
    run('DROP TABLE public.blocks')

    # drop enum public.user_role
    run('DROP TYPE public.user_role')

    # drop enum public.transaction_status
    run('DROP TYPE public.transaction_status')

    # drop enum public.job_status
    run('DROP TYPE public.job_status')

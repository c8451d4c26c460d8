-- drop index documents_owner_idx on public.documents
--   hazard drops-index: queries that used documents_owner_idx may slow down
DROP INDEX CONCURRENTLY IF EXISTS public.documents_owner_idx;  -- outside a transaction

-- drop index documents_title_idx on public.documents
--   hazard drops-index: queries that used documents_title_idx may slow down
DROP INDEX CONCURRENTLY IF EXISTS public.documents_title_idx;  -- outside a transaction

-- create index documents_created_brin on public.documents
--   hazard builds-index: builds documents_created_brin without blocking writes
CREATE INDEX CONCURRENTLY IF NOT EXISTS documents_created_brin ON public.documents USING brin (created_at) WITH (pages_per_range=32);  -- outside a transaction

-- create index documents_data_gin on public.documents
--   hazard builds-index: builds documents_data_gin without blocking writes
CREATE INDEX CONCURRENTLY IF NOT EXISTS documents_data_gin ON public.documents USING gin (data jsonb_path_ops);  -- outside a transaction

-- create index documents_location_gist on public.documents
--   hazard builds-index: builds documents_location_gist without blocking writes
CREATE INDEX CONCURRENTLY IF NOT EXISTS documents_location_gist ON public.documents USING gist (location);  -- outside a transaction

-- create index documents_lower_title_key on public.documents
--   hazard builds-index: builds documents_lower_title_key without blocking writes
CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS documents_lower_title_key ON public.documents USING btree ((lower(title))) WHERE (status <> 'deleted'::text);  -- outside a transaction

-- create index documents_owner_cover on public.documents
--   hazard builds-index: builds documents_owner_cover without blocking writes
CREATE INDEX CONCURRENTLY IF NOT EXISTS documents_owner_cover ON public.documents USING btree (owner_id, created_at DESC) INCLUDE (status, title);  -- outside a transaction

-- create index documents_owner_hash on public.documents
--   hazard builds-index: builds documents_owner_hash without blocking writes
CREATE INDEX CONCURRENTLY IF NOT EXISTS documents_owner_hash ON public.documents USING hash (owner_id);  -- outside a transaction

-- create index documents_tags_gin on public.documents
--   hazard builds-index: builds documents_tags_gin without blocking writes
CREATE INDEX CONCURRENTLY IF NOT EXISTS documents_tags_gin ON public.documents USING gin (tags);  -- outside a transaction

-- create index documents_title_c on public.documents
--   hazard builds-index: builds documents_title_c without blocking writes
CREATE INDEX CONCURRENTLY IF NOT EXISTS documents_title_c ON public.documents USING btree (title COLLATE "C" text_pattern_ops);  -- outside a transaction
COMMENT ON INDEX public.documents_title_c IS 'prefix search';

-- create index documents_title_idx on public.documents
--   hazard builds-index: builds documents_title_idx without blocking writes
CREATE INDEX CONCURRENTLY IF NOT EXISTS documents_title_idx ON public.documents USING btree (title DESC NULLS LAST, owner_id);  -- outside a transaction

-- drop index documents_owner_idx on public.documents
--   hazard blocks-reads: ACCESS EXCLUSIVE lock on public.documents, briefly
--   hazard blocks-writes: ACCESS EXCLUSIVE lock on public.documents, briefly
DROP INDEX public.documents_owner_idx;

-- drop index documents_title_idx on public.documents
--   hazard blocks-reads: ACCESS EXCLUSIVE lock on public.documents, briefly
--   hazard blocks-writes: ACCESS EXCLUSIVE lock on public.documents, briefly
DROP INDEX public.documents_title_idx;

-- create index documents_created_brin on public.documents
--   hazard blocks-writes: SHARE lock on public.documents, for the whole statement
--   hazard builds-index: builds documents_created_brin over every row
CREATE INDEX documents_created_brin ON public.documents USING brin (created_at) WITH (pages_per_range=32);

-- create index documents_data_gin on public.documents
--   hazard blocks-writes: SHARE lock on public.documents, for the whole statement
--   hazard builds-index: builds documents_data_gin over every row
CREATE INDEX documents_data_gin ON public.documents USING gin (data jsonb_path_ops);

-- create index documents_location_gist on public.documents
--   hazard blocks-writes: SHARE lock on public.documents, for the whole statement
--   hazard builds-index: builds documents_location_gist over every row
CREATE INDEX documents_location_gist ON public.documents USING gist (location);

-- create index documents_lower_title_key on public.documents
--   hazard blocks-writes: SHARE lock on public.documents, for the whole statement
--   hazard builds-index: builds documents_lower_title_key over every row
CREATE UNIQUE INDEX documents_lower_title_key ON public.documents USING btree ((lower(title))) WHERE (status <> 'deleted'::text);

-- create index documents_owner_cover on public.documents
--   hazard blocks-writes: SHARE lock on public.documents, for the whole statement
--   hazard builds-index: builds documents_owner_cover over every row
CREATE INDEX documents_owner_cover ON public.documents USING btree (owner_id, created_at DESC) INCLUDE (status, title);

-- create index documents_owner_hash on public.documents
--   hazard blocks-writes: SHARE lock on public.documents, for the whole statement
--   hazard builds-index: builds documents_owner_hash over every row
CREATE INDEX documents_owner_hash ON public.documents USING hash (owner_id);

-- create index documents_tags_gin on public.documents
--   hazard blocks-writes: SHARE lock on public.documents, for the whole statement
--   hazard builds-index: builds documents_tags_gin over every row
CREATE INDEX documents_tags_gin ON public.documents USING gin (tags);

-- create index documents_title_c on public.documents
--   hazard blocks-writes: SHARE lock on public.documents, for the whole statement
--   hazard builds-index: builds documents_title_c over every row
CREATE INDEX documents_title_c ON public.documents USING btree (title COLLATE "C" text_pattern_ops);
COMMENT ON INDEX public.documents_title_c IS 'prefix search';

-- create index documents_title_idx on public.documents
--   hazard blocks-writes: SHARE lock on public.documents, for the whole statement
--   hazard builds-index: builds documents_title_idx over every row
CREATE INDEX documents_title_idx ON public.documents USING btree (title DESC NULLS LAST, owner_id);

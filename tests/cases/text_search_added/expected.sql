-- create text search dictionary public.english_words
CREATE TEXT SEARCH DICTIONARY public.english_words (TEMPLATE = pg_catalog.simple, stopwords = 'english', accept = 'false');
COMMENT ON TEXT SEARCH DICTIONARY public.english_words IS 'drops English stop words';

-- create text search configuration public.plain
CREATE TEXT SEARCH CONFIGURATION public.plain (PARSER = pg_catalog."default");
ALTER TEXT SEARCH CONFIGURATION public.plain ADD MAPPING FOR asciiword, word WITH public.english_words, pg_catalog.simple;
ALTER TEXT SEARCH CONFIGURATION public.plain ADD MAPPING FOR "int", uint WITH pg_catalog.simple;
COMMENT ON TEXT SEARCH CONFIGURATION public.plain IS 'words without their stop words';

-- create index doc_words on public.doc
--   hazard builds-index: builds doc_words without blocking writes
CREATE INDEX CONCURRENTLY IF NOT EXISTS doc_words ON public.doc USING gin ((to_tsvector('public.plain'::regconfig, body)));  -- outside a transaction

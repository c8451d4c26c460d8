-- alter text search dictionary public.english_words (options)
--   hazard untracked-dependencies: tsvector values stored in columns or indexes keep what the old setting made
ALTER TEXT SEARCH DICTIONARY public.english_words (accept = 'true', stopwords);

-- alter text search configuration public.plain (mappings)
--   hazard untracked-dependencies: tsvector values stored in columns or indexes keep what the old setting made
ALTER TEXT SEARCH CONFIGURATION public.plain DROP MAPPING FOR "int";
--   hazard untracked-dependencies: tsvector values stored in columns or indexes keep what the old setting made
ALTER TEXT SEARCH CONFIGURATION public.plain ADD MAPPING FOR email WITH pg_catalog.simple;
--   hazard untracked-dependencies: tsvector values stored in columns or indexes keep what the old setting made
ALTER TEXT SEARCH CONFIGURATION public.plain ALTER MAPPING FOR asciiword WITH public.english_words, public.stems;

-- comment on text search dictionary public.english_words
COMMENT ON TEXT SEARCH DICTIONARY public.english_words IS 'keeps what it does not know';

-- drop text search configuration public.retired
DROP TEXT SEARCH CONFIGURATION public.retired;

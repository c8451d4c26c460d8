-- rename schema legacy to catalog
ALTER SCHEMA legacy RENAME TO catalog;

-- Representations written whole and read whole are kept as the JSON text we rendered
-- (`json`), not parsed into `jsonb`: a page of 100 zaken spent 1.7 of its 2.2 ms in
-- PostgreSQL turning jsonb back into text (EXPLAIN ANALYZE with and without the column,
-- BENCHMARKS.md), and every projected batch paid jsonb's parse on the way in. The columns
-- that filters and expression indexes look into (zaak_parts.resource) stay jsonb.
-- Values large enough to be compressed use lz4, which compresses and reads back faster
-- than the default pglz.
ALTER TABLE zaken
    ALTER COLUMN state TYPE json,
    ALTER COLUMN resource TYPE json,
    ALTER COLUMN state SET COMPRESSION lz4,
    ALTER COLUMN resource SET COMPRESSION lz4;
ALTER TABLE audit_trail
    ALTER COLUMN resource TYPE json,
    ALTER COLUMN resource SET COMPRESSION lz4;
ALTER TABLE zaak_parts ALTER COLUMN resource SET COMPRESSION lz4;

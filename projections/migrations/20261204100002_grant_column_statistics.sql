-- The columns every list is filtered on by the caller's grants (`type = ANY($urls)`, a
-- hundred URLs for a realistic client) keep a short list of most common values. With the
-- default of 100, planning a statement compared each granted URL with each of them: 1.45 ms
-- of planning for a 0.16 ms page of 100 zaken at a million zaken, and 0.96 ms for its count
-- (EXPLAIN ANALYZE, warm session; 0.23 and 0.31 ms with 10; BENCHMARKS.md). Ten most
-- common types, and the number of distinct ones, still give the planner the skew it needs.
ALTER TABLE zaken ALTER COLUMN zaaktype SET STATISTICS 10;
ALTER TABLE zaken_counts ALTER COLUMN zaaktype SET STATISTICS 10;
ALTER TABLE zaak_parts ALTER COLUMN zaaktype SET STATISTICS 10;
ALTER TABLE besluiten ALTER COLUMN besluittype SET STATISTICS 10;
ALTER TABLE besluitinformatieobjecten ALTER COLUMN besluittype SET STATISTICS 10;
ALTER TABLE document_versies ALTER COLUMN informatieobjecttype SET STATISTICS 10;
ALTER TABLE document_parts ALTER COLUMN informatieobjecttype SET STATISTICS 10;
-- The new targets count from the next analysis; a sample of those columns is quick.
ANALYZE zaken (zaaktype);
ANALYZE zaken_counts (zaaktype);
ANALYZE zaak_parts (zaaktype);
ANALYZE besluiten (besluittype);
ANALYZE besluitinformatieobjecten (besluittype);
ANALYZE document_versies (informatieobjecttype);
ANALYZE document_parts (informatieobjecttype);

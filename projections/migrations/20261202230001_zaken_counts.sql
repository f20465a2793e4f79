-- How many zaken each (zaaktype, vertrouwelijkheid rank) holds, kept by statement-level
-- triggers on `zaken` in the projection's own transaction, so a list's exact `count` under
-- the caller's grants (and an optional zaaktype filter) sums at most 8 rows per zaaktype
-- instead of counting up to a million rows (BENCHMARKS.md).
CREATE TABLE zaken_counts (
    zaaktype               text NOT NULL,
    vertrouwelijkheid_rank smallint NOT NULL,
    n                      bigint NOT NULL,
    PRIMARY KEY (zaaktype, vertrouwelijkheid_rank)
);

INSERT INTO zaken_counts
SELECT zaaktype, vertrouwelijkheid_rank, count(*) FROM zaken GROUP BY 1, 2;


CREATE FUNCTION zaken_counts_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO zaken_counts AS c
    SELECT zaaktype, vertrouwelijkheid_rank, count(*) FROM new_rows GROUP BY 1, 2
    ON CONFLICT (zaaktype, vertrouwelijkheid_rank) DO UPDATE SET n = c.n + EXCLUDED.n;
    RETURN NULL;
END $$;

CREATE FUNCTION zaken_counts_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE zaken_counts c SET n = c.n - d.n
    FROM (SELECT zaaktype, vertrouwelijkheid_rank, count(*) AS n FROM old_rows GROUP BY 1, 2) d
    WHERE c.zaaktype = d.zaaktype AND c.vertrouwelijkheid_rank = d.vertrouwelijkheid_rank;
    RETURN NULL;
END $$;

-- An update moves a zaak between groups only when its zaaktype or rank changed.
CREATE FUNCTION zaken_counts_updated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO zaken_counts AS c
    SELECT zaaktype, vertrouwelijkheid_rank, sum(delta) FROM (
        SELECT zaaktype, vertrouwelijkheid_rank, 1 AS delta FROM new_rows
        UNION ALL
        SELECT zaaktype, vertrouwelijkheid_rank, -1 FROM old_rows) moved
    GROUP BY 1, 2 HAVING sum(delta) <> 0
    ON CONFLICT (zaaktype, vertrouwelijkheid_rank) DO UPDATE SET n = c.n + EXCLUDED.n;
    RETURN NULL;
END $$;

CREATE FUNCTION zaken_counts_truncated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    TRUNCATE zaken_counts;
    RETURN NULL;
END $$;

CREATE TRIGGER zaken_counts_insert AFTER INSERT ON zaken
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION zaken_counts_inserted();
CREATE TRIGGER zaken_counts_update AFTER UPDATE ON zaken
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION zaken_counts_updated();
CREATE TRIGGER zaken_counts_delete AFTER DELETE ON zaken
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION zaken_counts_deleted();
CREATE TRIGGER zaken_counts_truncate AFTER TRUNCATE ON zaken
    FOR EACH STATEMENT EXECUTE FUNCTION zaken_counts_truncated();

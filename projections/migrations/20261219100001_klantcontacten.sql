-- The klantcontacten read model (Klantinteracties API 0.9): one row per klantcontact,
-- with a real column for each filter it serves. Rebuildable from the event log.
CREATE TABLE klantcontacten (
    uuid                    uuid PRIMARY KEY,
    -- Order of first projection: the stable order of lists.
    ordinal                 bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
    tenant                  text NOT NULL,
    nummer                  text,
    referentienummer        text,
    kanaal                  text NOT NULL,
    onderwerp               text NOT NULL,
    inhoud                  text NOT NULL,
    reactie                 text NOT NULL,
    indicatie_contact_gelukt boolean,
    vertrouwelijk           boolean NOT NULL,
    -- As rendered (RFC 3339, UTC).
    plaatsgevonden_op       text NOT NULL,
    -- Its betrokkenen, the partijen they were, its onderwerpobjecten.
    betrokkenen             uuid[] NOT NULL,
    was_partijen            uuid[] NOT NULL,
    onderwerpobjecten       uuid[] NOT NULL,
    -- Revision of the last event applied (handlers are idempotent).
    version                 bigint NOT NULL,
    state                   jsonb NOT NULL,
    resource                jsonb NOT NULL,
    etag                    text NOT NULL
);

CREATE INDEX klantcontacten_nummer ON klantcontacten (nummer) WHERE nummer IS NOT NULL;
CREATE INDEX klantcontacten_kanaal ON klantcontacten (kanaal);
CREATE INDEX klantcontacten_betrokkenen ON klantcontacten USING gin (betrokkenen);
CREATE INDEX klantcontacten_was_partijen ON klantcontacten USING gin (was_partijen);
CREATE INDEX klantcontacten_onderwerpobjecten ON klantcontacten USING gin (onderwerpobjecten);

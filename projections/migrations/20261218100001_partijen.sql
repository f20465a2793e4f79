-- The partijen read model (Klantinteracties API 0.9): one row per partij, kept by the
-- partijen projection with its identificatoren, digitale adressen and rekeningnummers in
-- the same transaction. Rebuildable from the event log.
CREATE TABLE partijen (
    uuid                    uuid PRIMARY KEY,
    -- Order of first projection: the stable order of lists.
    ordinal                 bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
    tenant                  text NOT NULL,
    soort_partij            text NOT NULL,
    nummer                  text,
    indicatie_actief        boolean NOT NULL,
    indicatie_geheimhouding boolean,
    bezoekadres_nummeraanduiding_id         text NOT NULL,
    bezoekadres_adresregel1                 text NOT NULL,
    bezoekadres_adresregel2                 text NOT NULL,
    bezoekadres_adresregel3                 text NOT NULL,
    bezoekadres_land                        text NOT NULL,
    correspondentieadres_nummeraanduiding_id text NOT NULL,
    correspondentieadres_adresregel1        text NOT NULL,
    correspondentieadres_adresregel2        text NOT NULL,
    correspondentieadres_adresregel3        text NOT NULL,
    correspondentieadres_land               text NOT NULL,
    -- The partijen this partij represents (its vertegenwoordigingen).
    vertegenwoordigden      uuid[] NOT NULL,
    -- Revision of the last event applied (handlers are idempotent).
    version                 bigint NOT NULL,
    state                   jsonb NOT NULL,
    resource                jsonb NOT NULL,
    etag                    text NOT NULL
);

CREATE INDEX partijen_nummer ON partijen (nummer) WHERE nummer IS NOT NULL;
CREATE INDEX partijen_vertegenwoordigden ON partijen USING gin (vertegenwoordigden);

-- A partij's identificatoren: the partijen filters `partijIdentificator__*` are EXISTS
-- conditions on this table (a partij is listed once however many match).
CREATE TABLE partij_identificatoren (
    uuid                        uuid PRIMARY KEY,
    ordinal                     bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
    partij_uuid                 uuid NOT NULL,
    andere_partij_identificator text NOT NULL,
    code_objecttype             text NOT NULL,
    code_soort_object_id        text NOT NULL,
    object_id                   text NOT NULL,
    code_register               text NOT NULL,
    sub_identificator_van       uuid,
    resource                    jsonb NOT NULL,
    etag                        text NOT NULL
);

CREATE INDEX partij_identificatoren_partij ON partij_identificatoren (partij_uuid);
CREATE INDEX partij_identificatoren_object_id
    ON partij_identificatoren (object_id, code_soort_object_id);
CREATE INDEX partij_identificatoren_sub ON partij_identificatoren (sub_identificator_van)
    WHERE sub_identificator_van IS NOT NULL;

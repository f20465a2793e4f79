-- The besluiten read model (Besluiten API): one row per besluit, kept by the besluiten
-- projection. Rebuildable from the event log.
CREATE TABLE besluiten (
    uuid                          uuid PRIMARY KEY,
    -- Order of first projection: the stable order of lists.
    ordinal                       bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
    tenant                        text NOT NULL,
    identificatie                 text NOT NULL,
    verantwoordelijke_organisatie text NOT NULL,
    -- The besluittype URL: a filter, and the grant column (brc grants are per besluittype).
    besluittype                   text NOT NULL,
    -- The zaak URL; '' for a besluit without zaak.
    zaak                          text NOT NULL,
    -- Revision of the last event applied (handlers are idempotent).
    version                       bigint NOT NULL,
    -- The aggregate state the next event is applied to.
    state                         jsonb NOT NULL,
    resource                      jsonb NOT NULL,
    etag                          text NOT NULL
);

CREATE INDEX besluiten_besluittype ON besluiten (besluittype, ordinal);
CREATE INDEX besluiten_identificatie ON besluiten (identificatie);
CREATE INDEX besluiten_verantwoordelijke ON besluiten (verantwoordelijke_organisatie);
CREATE INDEX besluiten_zaak ON besluiten (zaak) WHERE zaak <> '';

-- A besluit's besluitinformatieobjecten, replaced with the besluit in the same transaction.
CREATE TABLE besluitinformatieobjecten (
    uuid             uuid PRIMARY KEY,
    ordinal          bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
    besluit_uuid     uuid NOT NULL,
    -- The owning besluit's besluittype, for the same grant filter as the besluiten list.
    besluittype      text NOT NULL,
    informatieobject text NOT NULL,
    resource         jsonb NOT NULL,
    etag             text NOT NULL
);

CREATE INDEX besluitinformatieobjecten_besluit ON besluitinformatieobjecten (besluit_uuid, ordinal);
CREATE INDEX besluitinformatieobjecten_informatieobject
    ON besluitinformatieobjecten (informatieobject);

-- The number in a generated identificatie (`BESLUIT-{year}-{n}`); a claim stream keeps
-- identificatie unique per verantwoordelijkeOrganisatie.
CREATE SEQUENCE besluit_identificatie_seq;

-- The Documenten API's read model (projections/src/documenten): the folded state of each
-- document, one row per version of it, and one row per part it owns.
CREATE TABLE documenten (
    uuid    uuid PRIMARY KEY,
    tenant  text NOT NULL,
    -- Revision of the last event of `document-{uuid}` applied.
    version bigint NOT NULL,
    state   jsonb NOT NULL
);

CREATE TABLE document_versies (
    uuid                        uuid NOT NULL,
    versie                      integer NOT NULL,
    -- The version a plain GET and the lists show.
    is_latest                   boolean NOT NULL,
    identificatie               text NOT NULL,
    bronorganisatie             text NOT NULL,
    informatieobjecttype        text NOT NULL,
    vertrouwelijkheidaanduiding text NOT NULL,
    -- The vertrouwelijkheidaanduiding's rank, 0 = openbaar, for the grant filter.
    vertrouwelijkheid_rank      smallint NOT NULL,
    trefwoorden                 text[] NOT NULL,
    begin_registratie           timestamptz NOT NULL,
    -- beginRegistratie of version 1: the list order.
    created                     timestamptz NOT NULL,
    -- Where the version's content is (sha256/{hex} in object storage); null without.
    content_sha256              text,
    content_size                bigint,
    bestandsnaam                text NOT NULL,
    formaat                     text NOT NULL,
    resource                    jsonb NOT NULL,
    etag                        text NOT NULL,
    PRIMARY KEY (uuid, versie)
);
CREATE INDEX document_versies_latest ON document_versies (created, uuid) WHERE is_latest;
CREATE INDEX document_versies_identificatie ON document_versies (identificatie) WHERE is_latest;

-- Gebruiksrechten, objectinformatieobjecten, verzendingen and pending bestandsdelen, with
-- the grant columns of their document's latest version.
CREATE TABLE document_parts (
    uuid                   uuid PRIMARY KEY,
    document_uuid          uuid NOT NULL,
    kind                   text NOT NULL,
    informatieobjecttype   text NOT NULL,
    vertrouwelijkheid_rank smallint NOT NULL,
    seq                    bigint NOT NULL,
    resource               jsonb NOT NULL,
    etag                   text NOT NULL
);
CREATE INDEX document_parts_document ON document_parts (document_uuid);
CREATE INDEX document_parts_kind ON document_parts (kind, document_uuid, seq);

CREATE SEQUENCE document_identificatie_seq;

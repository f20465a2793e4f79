-- Read models and projection bookkeeping. Everything here can be dropped and rebuilt from
-- the event log (`zaakstroom rebuild`).

CREATE TABLE projection_checkpoints (
    name       text PRIMARY KEY,
    -- Global position of the last event applied: (commit, prepare) as in event_store::Position.
    commit_pos  bigint NOT NULL,
    prepare_pos bigint NOT NULL,
    updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE zaken (
    uuid                          uuid PRIMARY KEY,
    -- Insertion order; the stable default order of lists and GraphQL cursors.
    ordinal                       bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
    tenant                        text NOT NULL,
    identificatie                 text NOT NULL,
    bronorganisatie               text NOT NULL,
    zaaktype                      text NOT NULL,
    vertrouwelijkheidaanduiding   text NOT NULL,
    -- 0 (openbaar) .. 7 (zeer_geheim): for "at most" filters.
    vertrouwelijkheid_rank        smallint NOT NULL,
    registratiedatum              date NOT NULL,
    startdatum                    date NOT NULL,
    einddatum                     date,
    einddatum_gepland             date,
    uiterlijke_einddatum_afdoening date,
    archiefnominatie              text,
    archiefstatus                 text NOT NULL,
    archiefactiedatum             date,
    -- Revision of the zaak stream's last applied event: the ETag and the idempotency guard.
    version                       bigint NOT NULL,
    -- The aggregate state (domain::zaak::Zaak) the next event is applied to.
    state                         jsonb NOT NULL,
    -- The ZGW resource as a detail GET returns it, and its ETag (hash of that JSON).
    resource                      jsonb NOT NULL,
    etag                          text NOT NULL
);

CREATE INDEX zaken_zaaktype ON zaken (zaaktype, ordinal);
CREATE INDEX zaken_identificatie ON zaken (bronorganisatie, identificatie);
CREATE INDEX zaken_startdatum ON zaken (startdatum);
CREATE INDEX zaken_registratiedatum ON zaken (registratiedatum);
CREATE INDEX zaken_einddatum ON zaken (einddatum);
CREATE INDEX zaken_archiefactiedatum ON zaken (archiefactiedatum);

-- What the notifier needs of a zaak to address notifications of its parts.
CREATE TABLE notifier_zaken (
    uuid      uuid PRIMARY KEY,
    kenmerken jsonb NOT NULL
);

-- Numbers for generated identificaties (ZAAK-2026-0000000001); uniqueness itself is
-- guaranteed by claim streams in the event store.
CREATE SEQUENCE zaak_identificatie_seq;

-- What a zaak owns, one row per statussen/resultaat/rol/zaakobject/... resource, kept by
-- the zaken projection in the same transaction as the zaak itself (so read-your-writes on
-- `zaken` covers them). Rebuildable from the event log.
CREATE TABLE zaak_parts (
    uuid                   uuid PRIMARY KEY,
    -- Order of first projection: the stable order of lists.
    ordinal                bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
    zaak_uuid              uuid NOT NULL,
    -- 'status' or a PartKind (resultaat, rol, zaakobject, zaakeigenschap, ...).
    kind                   text NOT NULL,
    -- The owning zaak's zaaktype and vertrouwelijkheid rank, for the same grant filter as
    -- the zaken list (updated whenever the zaak changes).
    zaaktype               text NOT NULL,
    vertrouwelijkheid_rank smallint NOT NULL,
    -- The ZGW resource as a detail GET returns it, and its ETag.
    resource               jsonb NOT NULL,
    etag                   text NOT NULL
);

CREATE INDEX zaak_parts_zaak ON zaak_parts (zaak_uuid, kind, ordinal);
CREATE INDEX zaak_parts_kind ON zaak_parts (kind, ordinal);
-- Zaken of a person: GET /zaken?rol__betrokkeneIdentificatie__natuurlijkPersoon__inpBsn=
-- and GET /rollen?betrokkeneIdentificatie__natuurlijkPersoon__inpBsn=.
CREATE INDEX zaak_parts_rol_bsn ON zaak_parts ((resource #>> '{betrokkeneIdentificatie,inpBsn}'))
    WHERE kind = 'rol';
CREATE INDEX zaak_parts_rol_betrokkene ON zaak_parts ((resource ->> 'betrokkene'))
    WHERE kind = 'rol';

-- The hoofdzaak of a deelzaak (one of ours), so a hoofdzaak's `deelzaken` can be listed.
ALTER TABLE zaken ADD COLUMN hoofdzaak uuid;
CREATE INDEX zaken_hoofdzaak ON zaken (hoofdzaak, ordinal) WHERE hoofdzaak IS NOT NULL;

-- The ZGW audit trail (GET .../{uuid}/audittrail): one entry per event, with the resource
-- before and after it, kept by the projection of the owning aggregate in its transaction.
CREATE TABLE audit_trail (
    -- The event id: an event is audited once, however often it is applied.
    uuid         uuid PRIMARY KEY,
    ordinal      bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
    -- The component whose projection wrote it (zrc, brc, drc): what its rebuild replaces.
    bron         text NOT NULL,
    -- The hoofdObject's uuid (a zaak, later a besluit or document).
    hoofd_object uuid NOT NULL,
    -- The AuditTrail resource as the API returns it.
    resource     jsonb NOT NULL
);
CREATE INDEX audit_trail_hoofd_object ON audit_trail (hoofd_object, ordinal);

-- zaakgeometrie as a polygon of all its coordinates (a point: a polygon of one), for
-- POST /zaken/_zoek {"zaakgeometrie": {"within": ...}}: PostgreSQL's own geometry, no PostGIS.
ALTER TABLE zaken ADD COLUMN geometrie polygon;
CREATE INDEX zaken_geometrie ON zaken USING gist (geometrie);

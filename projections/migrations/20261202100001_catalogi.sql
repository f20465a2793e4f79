-- The catalogi read model (Catalogi API 1.3.1): every catalogus and catalogus object in one
-- table, rebuilt from the `catalogus` and `catalogusobject` streams like every read model.

CREATE TABLE catalogus_objecten (
    uuid             uuid PRIMARY KEY,
    -- Insertion order; the stable default order of lists.
    ordinal          bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
    -- 'catalogus' or an event_schemas::catalogus::ObjectKind ('zaaktype', 'statustype', ...).
    kind             text NOT NULL,
    -- The catalogus the row belongs to (a catalogus row: its own uuid).
    catalogus        uuid NOT NULL,
    -- URL of the owning zaaktype, for statustypen, roltypen, ... (null for the others).
    zaaktype         text,
    -- Not yet published: the row's own flag for zaaktypen, informatieobjecttypen and
    -- besluittypen, its zaaktype's for a zaaktype's children, false for a catalogus.
    concept          boolean NOT NULL,
    -- Of a zaaktype its identificatie; of its children the zaaktype's (zaaktypeIdentificatie).
    identificatie    text,
    omschrijving     text,
    -- Geldigheid: the row's own, or its zaaktype's when it has none (datumGeldigheid).
    begin_geldigheid date,
    einde_geldigheid date,
    -- Revision of the row's stream's last applied event: the idempotency guard.
    version          bigint NOT NULL,
    -- domain::catalogus::Catalogus or domain::catalogus_object::CatalogusObject.
    state            jsonb NOT NULL,
    -- The ZGW resource as a detail GET returns it (derived lists included), and its ETag.
    resource         jsonb NOT NULL,
    etag             text NOT NULL
);

CREATE INDEX catalogus_objecten_catalogus ON catalogus_objecten (catalogus, kind);
CREATE INDEX catalogus_objecten_kind ON catalogus_objecten (kind, ordinal);
CREATE INDEX catalogus_objecten_zaaktype ON catalogus_objecten (zaaktype, kind);

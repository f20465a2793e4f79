-- The read models of the objects without parts: Klantinteracties' internetaken, actoren,
-- categorieen and categorie-relaties, Contactgegevens' personen and organisaties. Each row:
-- the object's state and rendered resource, with a real column for every filter its list
-- serves. Rebuildable from the event log.
CREATE TABLE internetaken (
    uuid             uuid PRIMARY KEY,
    ordinal          bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
    tenant           text NOT NULL,
    nummer           text,
    referentienummer text,
    status           text NOT NULL,
    -- The aanleidinggevend klantcontact, the actoren it is assigned to (first first).
    klantcontact     uuid NOT NULL,
    actoren          uuid[] NOT NULL,
    -- As rendered (RFC 3339, UTC).
    toegewezen_op    text,
    version          bigint NOT NULL,
    state            jsonb NOT NULL,
    resource         jsonb NOT NULL,
    etag             text NOT NULL
);
CREATE INDEX internetaken_klantcontact ON internetaken (klantcontact);
CREATE INDEX internetaken_actoren ON internetaken USING gin (actoren);
CREATE INDEX internetaken_nummer ON internetaken (nummer) WHERE nummer IS NOT NULL;

CREATE TABLE actoren (
    uuid                    uuid PRIMARY KEY,
    ordinal                 bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
    tenant                  text NOT NULL,
    naam                    text NOT NULL,
    soort_actor             text,
    indicatie_actief        boolean NOT NULL,
    -- Its actoridentificator (blank when it has none).
    ai_object_id            text NOT NULL,
    ai_code_objecttype      text NOT NULL,
    ai_code_register        text NOT NULL,
    ai_code_soort_object_id text NOT NULL,
    version                 bigint NOT NULL,
    state                   jsonb NOT NULL,
    resource                jsonb NOT NULL,
    etag                    text NOT NULL
);
CREATE INDEX actoren_naam ON actoren (naam);

CREATE TABLE categorieen (
    uuid     uuid PRIMARY KEY,
    ordinal  bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
    tenant   text NOT NULL,
    naam     text NOT NULL,
    version  bigint NOT NULL,
    state    jsonb NOT NULL,
    resource jsonb NOT NULL,
    etag     text NOT NULL
);
CREATE INDEX categorieen_naam ON categorieen (naam);

CREATE TABLE categorie_relaties (
    uuid        uuid PRIMARY KEY,
    ordinal     bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
    tenant      text NOT NULL,
    partij      uuid,
    categorie   uuid,
    begin_datum date,
    eind_datum  date,
    version     bigint NOT NULL,
    state       jsonb NOT NULL,
    resource    jsonb NOT NULL,
    etag        text NOT NULL
);
CREATE INDEX categorie_relaties_partij ON categorie_relaties (partij);
CREATE INDEX categorie_relaties_categorie ON categorie_relaties (categorie);

CREATE TABLE contact_personen (
    uuid     uuid PRIMARY KEY,
    ordinal  bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
    tenant   text NOT NULL,
    version  bigint NOT NULL,
    state    jsonb NOT NULL,
    resource jsonb NOT NULL,
    etag     text NOT NULL
);

CREATE TABLE contact_organisaties (
    uuid     uuid PRIMARY KEY,
    ordinal  bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
    tenant   text NOT NULL,
    version  bigint NOT NULL,
    state    jsonb NOT NULL,
    resource jsonb NOT NULL,
    etag     text NOT NULL
);

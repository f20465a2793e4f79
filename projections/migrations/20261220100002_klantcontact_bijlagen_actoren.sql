-- The bijlagen and actorklantcontacten of klantcontacten (Klantinteracties API 0.9), kept
-- by the klantcontacten projection with their klantcontact; filter columns generated from
-- the resource, as for its other parts.
CREATE TABLE bijlagen (
    uuid              uuid PRIMARY KEY,
    ordinal           bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
    klantcontact_uuid uuid NOT NULL,
    resource          jsonb NOT NULL,
    etag              text NOT NULL,
    klantcontact      text
        GENERATED ALWAYS AS (resource -> 'wasBijlageVanKlantcontact' ->> 'uuid') STORED,
    object_id         text
        GENERATED ALWAYS AS (resource -> 'bijlageidentificator' ->> 'objectId') STORED,
    code_objecttype   text
        GENERATED ALWAYS AS (resource -> 'bijlageidentificator' ->> 'codeObjecttype') STORED,
    code_register     text
        GENERATED ALWAYS AS (resource -> 'bijlageidentificator' ->> 'codeRegister') STORED,
    code_soort_object_id text
        GENERATED ALWAYS AS (resource -> 'bijlageidentificator' ->> 'codeSoortObjectId') STORED
);
CREATE INDEX bijlagen_klantcontact ON bijlagen (klantcontact_uuid);
CREATE INDEX bijlagen_object_id ON bijlagen (object_id);

CREATE TABLE actorklantcontacten (
    uuid              uuid PRIMARY KEY,
    ordinal           bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
    klantcontact_uuid uuid NOT NULL,
    resource          jsonb NOT NULL,
    etag              text NOT NULL,
    klantcontact      text GENERATED ALWAYS AS (resource -> 'klantcontact' ->> 'uuid') STORED,
    actor             text GENERATED ALWAYS AS (resource -> 'actor' ->> 'uuid') STORED
);
CREATE INDEX actorklantcontacten_klantcontact ON actorklantcontacten (klantcontact_uuid);
CREATE INDEX actorklantcontacten_actor ON actorklantcontacten (actor);

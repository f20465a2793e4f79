-- The betrokkenen and onderwerpobjecten of klantcontacten (Klantinteracties API 0.9), kept
-- by the klantcontacten projection with their klantcontact. The filter columns are
-- generated from the resource, as for the partij parts.
CREATE TABLE betrokkenen (
    uuid              uuid PRIMARY KEY,
    ordinal           bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
    klantcontact_uuid uuid NOT NULL,
    resource          jsonb NOT NULL,
    etag              text NOT NULL,
    klantcontact      text GENERATED ALWAYS AS (resource -> 'hadKlantcontact' ->> 'uuid') STORED,
    was_partij        text GENERATED ALWAYS AS (resource -> 'wasPartij' ->> 'uuid') STORED,
    organisatienaam   text GENERATED ALWAYS AS (resource ->> 'organisatienaam') STORED,
    contactnaam_voorletters text
        GENERATED ALWAYS AS (resource -> 'contactnaam' ->> 'voorletters') STORED,
    contactnaam_voornaam text
        GENERATED ALWAYS AS (resource -> 'contactnaam' ->> 'voornaam') STORED,
    contactnaam_voorvoegsel_achternaam text
        GENERATED ALWAYS AS (resource -> 'contactnaam' ->> 'voorvoegselAchternaam') STORED,
    contactnaam_achternaam text
        GENERATED ALWAYS AS (resource -> 'contactnaam' ->> 'achternaam') STORED
);

CREATE INDEX betrokkenen_klantcontact ON betrokkenen (klantcontact_uuid);
CREATE INDEX betrokkenen_was_partij ON betrokkenen (was_partij);

CREATE TABLE onderwerpobjecten (
    uuid              uuid PRIMARY KEY,
    ordinal           bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
    klantcontact_uuid uuid NOT NULL,
    resource          jsonb NOT NULL,
    etag              text NOT NULL,
    klantcontact      text GENERATED ALWAYS AS (resource -> 'klantcontact' ->> 'uuid') STORED,
    was_klantcontact  text GENERATED ALWAYS AS (resource -> 'wasKlantcontact' ->> 'uuid') STORED,
    object_id         text
        GENERATED ALWAYS AS (resource -> 'onderwerpobjectidentificator' ->> 'objectId') STORED,
    code_objecttype   text
        GENERATED ALWAYS AS (resource -> 'onderwerpobjectidentificator' ->> 'codeObjecttype') STORED,
    code_register     text
        GENERATED ALWAYS AS (resource -> 'onderwerpobjectidentificator' ->> 'codeRegister') STORED,
    code_soort_object_id text
        GENERATED ALWAYS AS (resource -> 'onderwerpobjectidentificator' ->> 'codeSoortObjectId') STORED
);

CREATE INDEX onderwerpobjecten_klantcontact ON onderwerpobjecten (klantcontact_uuid);
CREATE INDEX onderwerpobjecten_object_id ON onderwerpobjecten (object_id);

-- The digitale adressen and rekeningnummers of partijen (Klantinteracties API 0.9), kept by
-- the partijen projection with their partij. The filter columns are generated from the
-- resource, so every part table is written alike.
CREATE TABLE digitale_adressen (
    uuid                 uuid PRIMARY KEY,
    ordinal              bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
    partij_uuid          uuid NOT NULL,
    resource             jsonb NOT NULL,
    etag                 text NOT NULL,
    adres                text GENERATED ALWAYS AS (resource ->> 'adres') STORED,
    soort_digitaal_adres text GENERATED ALWAYS AS (resource ->> 'soortDigitaalAdres') STORED,
    is_standaard_adres   boolean GENERATED ALWAYS AS ((resource -> 'isStandaardAdres')::boolean) STORED,
    omschrijving         text GENERATED ALWAYS AS (resource ->> 'omschrijving') STORED,
    referentie           text GENERATED ALWAYS AS (resource ->> 'referentie') STORED,
    -- ISO 8601 (yyyy-mm-dd): compared as text, which orders as the dates do.
    verificatie_datum    text GENERATED ALWAYS AS (resource ->> 'verificatieDatum') STORED
);

CREATE INDEX digitale_adressen_partij ON digitale_adressen (partij_uuid);
CREATE INDEX digitale_adressen_adres ON digitale_adressen (adres);

CREATE TABLE rekeningnummers (
    uuid        uuid PRIMARY KEY,
    ordinal     bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
    partij_uuid uuid NOT NULL,
    resource    jsonb NOT NULL,
    etag        text NOT NULL,
    iban        text GENERATED ALWAYS AS (resource ->> 'iban') STORED,
    bic         text GENERATED ALWAYS AS (resource ->> 'bic') STORED
);

CREATE INDEX rekeningnummers_partij ON rekeningnummers (partij_uuid);
CREATE INDEX rekeningnummers_iban ON rekeningnummers (iban);

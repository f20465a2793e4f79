-- The vertegenwoordigingen of partijen (Klantinteracties API 0.9), in the stream and with
-- the row key of the partij that represents; kept by the partijen projection.
CREATE TABLE vertegenwoordigingen (
    uuid                     uuid PRIMARY KEY,
    ordinal                  bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
    -- The vertegenwoordigende partij.
    partij_uuid              uuid NOT NULL,
    resource                 jsonb NOT NULL,
    etag                     text NOT NULL,
    vertegenwoordigde_partij text GENERATED ALWAYS AS
        (resource -> 'vertegenwoordigdePartij' ->> 'uuid') STORED
);

CREATE INDEX vertegenwoordigingen_partij ON vertegenwoordigingen (partij_uuid);
CREATE INDEX vertegenwoordigingen_vertegenwoordigde
    ON vertegenwoordigingen (vertegenwoordigde_partij);

-- The applicaties read model (Autorisaties API) and the grants the API checks on every
-- request. Rebuilt from the `applicatie` streams like every read model.

CREATE TABLE applicaties (
    uuid                    uuid PRIMARY KEY,
    ordinal                 bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
    client_ids              text[] NOT NULL,
    heeft_alle_autorisaties boolean NOT NULL,
    version                 bigint NOT NULL,
    -- domain::applicatie::Applicatie, the state the next event applies to.
    state                   jsonb NOT NULL,
    resource                jsonb NOT NULL,
    etag                    text NOT NULL
);

-- One row per client id: what a request's JWT `client_id` resolves to, in one lookup.
CREATE TABLE applicatie_clients (
    client_id   text PRIMARY KEY,
    applicatie  uuid NOT NULL REFERENCES applicaties (uuid) ON DELETE CASCADE
);
CREATE INDEX applicatie_clients_applicatie ON applicatie_clients (applicatie);

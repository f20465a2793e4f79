-- Open Klant's `Authorization: Token <key>`, for drop-in compatibility: a token an
-- administrator gave a client (setup file `tokens`), carrying that client's applicatie's
-- rights. Only a digest of the token is stored, never the token.
CREATE TABLE client_tokens (
    digest     bytea PRIMARY KEY,
    client_id  text NOT NULL UNIQUE,
    updated_at timestamptz NOT NULL DEFAULT now()
);

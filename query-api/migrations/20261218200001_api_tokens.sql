-- `Authorization: Token <key>` for the Klantinteracties and Contactgegevens APIs (issue 18):
-- Open Klant's clients authenticate so, with a key an administrator made. Here a key acts as
-- a client id, so it carries that client's applicatie's autorisaties (never all rights).
-- Only its SHA-256 is kept: a key is 32 random bytes, nothing to guess, and unlike a JWT
-- secret it never has to be read back (`zaakstroom applicatie create-token`).
CREATE TABLE api_tokens (
    digest     bytea PRIMARY KEY,
    client_id  text NOT NULL,
    label      text NOT NULL DEFAULT '',
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX api_tokens_client ON api_tokens (client_id);

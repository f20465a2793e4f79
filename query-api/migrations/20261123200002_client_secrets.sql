-- Client secrets (JWT-ZGW signing keys), encrypted with the server's secret key
-- (ChaCha20-Poly1305, the client id as associated data). Deliberately not events: a secret
-- must be replaceable and erasable, and never copied into the immutable log or its
-- projections. Managed by `zaakstroom applicatie secret ...` and the setup file.

CREATE TABLE client_secrets (
    client_id   text PRIMARY KEY,
    nonce       bytea NOT NULL,
    ciphertext  bytea NOT NULL,
    updated_at  timestamptz NOT NULL DEFAULT now()
);

-- The Notificaties API (issue 17).

-- Read models, rebuilt from the kanaal and abonnement streams.
CREATE TABLE nrc_kanalen (
    uuid      uuid PRIMARY KEY,
    ordinal   bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
    naam      text NOT NULL UNIQUE,
    filters   text[] NOT NULL,
    version   bigint NOT NULL,
    state     jsonb NOT NULL,
    resource  jsonb NOT NULL,
    etag      text NOT NULL
);

CREATE TABLE nrc_abonnementen (
    uuid              uuid PRIMARY KEY,
    ordinal           bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
    client_id         text,
    callback_url      text NOT NULL,
    send_cloudevents  boolean NOT NULL,
    version           bigint NOT NULL,
    state             jsonb NOT NULL,
    resource          jsonb NOT NULL,
    etag              text NOT NULL
);

-- The kenmerken of zaken, besluiten and documents as the notificaties projection last saw
-- them (their parts' events do not carry them).
CREATE TABLE nrc_kenmerken (
    uuid       uuid PRIMARY KEY,
    kenmerken  jsonb NOT NULL
);

-- Not read models: a rebuild keeps these.

-- The Authorization header each abonnement's callback expects, sealed with the server key
-- like client secrets (never an event: it can be changed and erased).
CREATE TABLE nrc_secrets (
    abonnement  uuid PRIMARY KEY,
    sealed      bytea NOT NULL,
    updated_at  timestamptz NOT NULL DEFAULT now()
);

-- One row per notification per abonnement, written by the projection in the transaction
-- of its checkpoint; delivered in `seq` order per (abonnement, hoofd_object).
CREATE TABLE nrc_deliveries (
    id               uuid PRIMARY KEY,
    seq              bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
    abonnement       uuid NOT NULL,
    -- The event's id: one per notification, the same for every abonnement and attempt.
    notification     uuid NOT NULL,
    kanaal           text NOT NULL,
    hoofd_object     text NOT NULL,
    cloudevent       boolean NOT NULL,
    body             jsonb NOT NULL,
    occurred_at      timestamptz NOT NULL,
    enqueued_at      timestamptz NOT NULL DEFAULT now(),
    state            text NOT NULL DEFAULT 'pending'
                     CHECK (state IN ('pending', 'delivered', 'dead')),
    attempts         integer NOT NULL DEFAULT 0,
    next_attempt_at  timestamptz NOT NULL DEFAULT now(),
    -- Set while one dispatcher sends it; a dispatcher that dies lets it lapse.
    lease_until      timestamptz,
    delivered_at     timestamptz,
    last_status      integer,
    last_error       text
);
CREATE INDEX nrc_deliveries_pending ON nrc_deliveries (abonnement, hoofd_object, seq)
    WHERE state = 'pending';
CREATE INDEX nrc_deliveries_abonnement ON nrc_deliveries (abonnement, seq);

-- Every attempt: when, the answer (or the error), how long it took.
-- `attempt` counts within a round: a dead letter sent again starts a new round.
CREATE TABLE nrc_attempts (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    delivery     uuid NOT NULL REFERENCES nrc_deliveries (id) ON DELETE CASCADE,
    attempt      integer NOT NULL,
    at           timestamptz NOT NULL,
    status       integer,
    duration_ms  integer NOT NULL,
    error        text
);
CREATE INDEX nrc_attempts_delivery ON nrc_attempts (delivery, id);

-- The circuit breaker per abonnement: consecutive failures, and until when nothing is
-- sent to it.
CREATE TABLE nrc_circuits (
    abonnement  uuid PRIMARY KEY,
    failures    integer NOT NULL DEFAULT 0,
    open_until  timestamptz
);

-- The event log of the PostgreSQL event-store adapter. Append-only: rows are never updated,
-- and deleted only by es_delete_stream() (destruction of a whole stream).

CREATE TABLE es_streams (
    stream   text PRIMARY KEY,
    -- Revision of the stream's last event (0-based).
    version  bigint NOT NULL,
    -- Hex SHA-256 of the stream's last event: the next event's prev_hash.
    last_hash text NOT NULL,
    -- A deleted stream keeps this row as its tombstone, so the name cannot be reused.
    deleted  boolean NOT NULL DEFAULT false
);

CREATE TABLE es_events (
    -- Commit-order key, part 1: the appending transaction's id (xid8 as bigint). Readers only
    -- see transactions below the oldest one still running (pg_snapshot_xmin), so an event
    -- that commits late can never appear behind a reader's checkpoint.
    tx_id          bigint NOT NULL DEFAULT (pg_current_xact_id()::text::bigint),
    -- Commit-order key, part 2: order within (and, for ids, across) transactions.
    seq            bigint GENERATED ALWAYS AS IDENTITY,
    stream         text NOT NULL,
    revision       bigint NOT NULL,
    event_id       uuid NOT NULL UNIQUE,
    event_type     text NOT NULL,
    schema_version smallint NOT NULL,
    occurred_at    timestamptz NOT NULL,
    tenant         text NOT NULL,
    -- {client_id, user_id, user_representation}
    actor          jsonb NOT NULL,
    correlation_id uuid NOT NULL,
    causation_id   uuid,
    payload        jsonb NOT NULL,
    prev_hash      text NOT NULL,
    hash           text NOT NULL,
    PRIMARY KEY (tx_id, seq),
    UNIQUE (stream, revision)
);

CREATE FUNCTION es_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' AND current_setting('zaakstroom.deleting_stream', true) = OLD.stream THEN
        RETURN OLD;
    END IF;
    RAISE EXCEPTION 'es_events is append-only (% refused)', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END $$;

CREATE TRIGGER es_events_append_only BEFORE UPDATE OR DELETE ON es_events
    FOR EACH ROW EXECUTE FUNCTION es_refuse_change();

CREATE FUNCTION es_refuse_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'es_events is append-only (TRUNCATE refused)'
        USING ERRCODE = 'insufficient_privilege';
END $$;

CREATE TRIGGER es_events_no_truncate BEFORE TRUNCATE ON es_events
    FOR EACH STATEMENT EXECUTE FUNCTION es_refuse_truncate();

-- The one guarded way to remove events: a whole stream, leaving its tombstone row.
CREATE FUNCTION es_delete_stream(p_stream text) RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE
    removed bigint;
BEGIN
    PERFORM set_config('zaakstroom.deleting_stream', p_stream, true);
    DELETE FROM es_events WHERE stream = p_stream;
    GET DIAGNOSTICS removed = ROW_COUNT;
    PERFORM set_config('zaakstroom.deleting_stream', '', true);
    UPDATE es_streams SET deleted = true WHERE stream = p_stream;
    RETURN removed;
END $$;

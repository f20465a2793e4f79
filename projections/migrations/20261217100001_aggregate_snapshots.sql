-- Snapshots for time travel (issue 19): an aggregate's state right after the event at
-- `revision` of `stream`, as its projection folded it (envelope stamps included), taken every
-- `projections::snapshots::EVERY` events. A cache of the log, never a source of truth: a
-- rebuild truncates and rewrites it, and a reader that cannot decode one folds from the start.
CREATE TABLE aggregate_snapshots (
    stream      text        NOT NULL,
    revision    bigint      NOT NULL,
    -- When the event at `revision` happened: a read as of an instant starts from the latest
    -- snapshot at or before it.
    occurred_at timestamptz NOT NULL,
    state       json        NOT NULL,
    PRIMARY KEY (stream, revision)
);

-- The tenant this database belongs to, recorded by the first `zaakstroom` command that
-- migrates it. The tenant travels in every event's envelope and NATS subject, but reads
-- and writes are not separated by it: until they are, every command refuses to run with
-- another tenant on this database. Not a read model: never rebuilt.
CREATE TABLE installation (
    -- Always true: the table holds one row at most.
    singleton   boolean PRIMARY KEY DEFAULT true CHECK (singleton),
    tenant      text NOT NULL,
    recorded_at timestamptz NOT NULL DEFAULT now()
);

-- List reads (issue 19): a page of a list (REST, _zoek, GraphQL) is one row naming every
-- object on it in `objects` (hoofd_object is then null), not a row per object: a page of 100
-- zaken costs one row to record. The audit trail of an object finds both kinds.
ALTER TABLE read_log
    ALTER COLUMN hoofd_object DROP NOT NULL,
    -- The standard's audit action: retrieve (one object) or list (a page).
    ADD COLUMN actie text NOT NULL DEFAULT 'retrieve',
    ADD COLUMN objects uuid[];
CREATE INDEX read_log_objects ON read_log USING gin (objects);

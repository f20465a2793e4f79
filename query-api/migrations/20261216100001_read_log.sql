-- Who read what (issue 19): every read of a zaak (and its parts) or a document, recorded off
-- the request path in batches (query-api/src/reads.rs). Not a read model: a rebuild keeps
-- it; rows older than the retention setting are pruned.
CREATE TABLE read_log (
    id                  bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at                  timestamptz NOT NULL,
    -- The component whose audit trail lists the read (zrc, drc), and its hoofdObject.
    bron                text NOT NULL,
    hoofd_object        uuid NOT NULL,
    hoofd_object_url    text NOT NULL,
    -- What was read: the resource (zaak, rol, enkelvoudiginformatieobject, ...) and URL.
    resource            text NOT NULL,
    resource_url        text NOT NULL,
    client_id           text NOT NULL,
    applicatie_weergave text NOT NULL,
    user_id             text NOT NULL,
    user_representation text NOT NULL,
    -- The request's X-Doelbinding (why the data was read), when given.
    purpose             text NOT NULL
);
CREATE INDEX read_log_object ON read_log (hoofd_object, at);
CREATE INDEX read_log_at ON read_log (at);

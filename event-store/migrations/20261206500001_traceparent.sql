-- The W3C trace context of the request that wrote the event (`traceparent`), part of the
-- envelope and covered by the event's hash when present; NULL when the writer was not
-- traced (and in every event written before it was recorded).
ALTER TABLE es_events ADD COLUMN traceparent text;

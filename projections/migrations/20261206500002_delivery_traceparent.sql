-- The W3C trace context of the event a delivery notifies (its envelope's `traceparent`):
-- each POST of it is a span in that trace and carries a `traceparent` header. NULL when the
-- event was not traced.
ALTER TABLE nrc_deliveries ADD COLUMN traceparent text;

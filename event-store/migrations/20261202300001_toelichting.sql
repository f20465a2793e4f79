-- The client's explanation of a change (the ZGW X-Audit-Toelichting header), part of the
-- envelope and covered by the event's hash when not empty.
ALTER TABLE es_events ADD COLUMN toelichting text NOT NULL DEFAULT '';

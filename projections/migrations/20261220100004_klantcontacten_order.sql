-- Klantcontacten are listed as Open Klant lists them: the latest plaatsgevondenOp first.
-- The text column holds it as rendered (its filter); this one orders.
ALTER TABLE klantcontacten ADD COLUMN plaatsgevonden timestamptz;
UPDATE klantcontacten SET plaatsgevonden = plaatsgevonden_op::timestamptz;
ALTER TABLE klantcontacten ALTER COLUMN plaatsgevonden SET NOT NULL;
CREATE INDEX klantcontacten_plaatsgevonden ON klantcontacten (plaatsgevonden DESC, ordinal DESC);

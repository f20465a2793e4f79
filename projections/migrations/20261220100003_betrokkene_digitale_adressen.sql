-- A digitaal adres given by a betrokkene of a klantcontact, without a partij, lives in the
-- klantcontact's stream: its row names the klantcontact instead of a partij. `owner_uuid`
-- is whichever owns it (the hoofdObject of its reads).
ALTER TABLE digitale_adressen ALTER COLUMN partij_uuid DROP NOT NULL;
ALTER TABLE digitale_adressen ADD COLUMN klantcontact_uuid uuid;
ALTER TABLE digitale_adressen ADD COLUMN owner_uuid uuid
    GENERATED ALWAYS AS (coalesce(partij_uuid, klantcontact_uuid)) STORED;
CREATE INDEX digitale_adressen_klantcontact ON digitale_adressen (klantcontact_uuid)
    WHERE klantcontact_uuid IS NOT NULL;

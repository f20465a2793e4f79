-- Parts of zaken removed since (issue 19, time travel): which zaak a status, rol, resultaat,
-- ... belonged to and when it went, so a read of it as of an earlier instant finds its
-- zaak's stream (zaak_parts only holds the parts there are now) and a later one is 410.
-- Written by the zaken projection for a removed part and for every part of a deleted zaak.
CREATE TABLE removed_zaak_parts (
    uuid       uuid PRIMARY KEY,
    kind       text NOT NULL,
    zaak_uuid  uuid NOT NULL,
    removed_at timestamptz NOT NULL
);

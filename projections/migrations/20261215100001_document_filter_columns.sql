-- The columns the list of enkelvoudiginformatieobjecten filters and sorts on (Open Zaak
-- 1.30's filters auteur, beschrijving, titel, creatiedatum__gte/__lte, locked,
-- objectinformatieobjecten__object/__objectType and its `ordering`). The projection fills
-- them (projections/src/documenten); here they are filled from each row's rendered
-- resource, so a read model built before them needs no rebuild.
ALTER TABLE document_versies
    ADD COLUMN titel          text,
    ADD COLUMN auteur         text,
    ADD COLUMN beschrijving   text,
    ADD COLUMN creatiedatum   date,
    ADD COLUMN status         text,
    -- Of this version's content; null while it has none.
    ADD COLUMN bestandsomvang bigint,
    -- Whether the document is locked now (a document's lock shows on every version).
    ADD COLUMN locked         boolean;

UPDATE document_versies SET
    titel = resource->>'titel',
    auteur = resource->>'auteur',
    beschrijving = resource->>'beschrijving',
    creatiedatum = (resource->>'creatiedatum')::date,
    status = resource->>'status',
    bestandsomvang = (resource->>'bestandsomvang')::bigint,
    locked = (resource->>'locked')::boolean;

ALTER TABLE document_versies
    ALTER COLUMN titel SET NOT NULL,
    ALTER COLUMN auteur SET NOT NULL,
    ALTER COLUMN beschrijving SET NOT NULL,
    ALTER COLUMN creatiedatum SET NOT NULL,
    ALTER COLUMN status SET NOT NULL,
    ALTER COLUMN locked SET NOT NULL;

CREATE INDEX document_versies_creatiedatum ON document_versies (creatiedatum) WHERE is_latest;
CREATE INDEX document_versies_informatieobjecttype ON document_versies (informatieobjecttype)
    WHERE is_latest;

-- The object (URL) and objectType of an objectinformatieobject; null for other parts.
ALTER TABLE document_parts
    ADD COLUMN object      text,
    ADD COLUMN object_type text;

UPDATE document_parts SET object = resource->>'object', object_type = resource->>'objectType'
    WHERE kind = 'objectinformatieobject';

CREATE INDEX document_parts_object ON document_parts (object, document_uuid)
    WHERE object IS NOT NULL;

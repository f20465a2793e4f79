//! Documenten API 1.4.2 representations, rendered from the document aggregate's state.

use domain::informatieobject::{Bestandsdeel, Document, Part, Version};
use serde_json::{json, Value};
use uuid::Uuid;

use crate::render::Urls;

/// One version of a document as `GET /enkelvoudiginformatieobjecten/{uuid}` returns it; the
/// lock and the pending bestandsdelen belong to the document, so every version shows them.
pub fn document(d: &Document, v: &Version, urls: &Urls) -> Value {
    let a = &v.attributes;
    let bestandsdelen: Vec<Value> = if Some(v.versie) == d.versions.last().map(|l| l.versie) {
        d.bestandsdelen
            .iter()
            .map(|b| bestandsdeel(b, urls))
            .collect()
    } else {
        vec![]
    };
    json!({
        "url": urls.document(d.uuid),
        "identificatie": a.identificatie,
        "bronorganisatie": a.bronorganisatie,
        "creatiedatum": a.creatiedatum,
        "titel": a.titel,
        "vertrouwelijkheidaanduiding": a.vertrouwelijkheidaanduiding.as_str(),
        "auteur": a.auteur,
        "status": a.status,
        "formaat": a.formaat,
        "taal": a.taal,
        "versie": v.versie,
        "beginRegistratie": v.begin_registratie,
        "bestandsnaam": a.bestandsnaam,
        "inhoud": v.content.as_ref().map(|_| urls.download(d.uuid, v.versie)),
        "bestandsomvang": v.bestandsomvang,
        "link": a.link,
        "beschrijving": a.beschrijving,
        "ontvangstdatum": a.ontvangstdatum,
        "verzenddatum": a.verzenddatum,
        "indicatieGebruiksrecht": a.indicatie_gebruiksrecht,
        "verschijningsvorm": a.verschijningsvorm,
        "ondertekening": a.ondertekening,
        "integriteit": a.integriteit,
        "informatieobjecttype": a.informatieobjecttype,
        "locked": d.is_locked(),
        "bestandsdelen": bestandsdelen,
        "trefwoorden": a.trefwoorden,
    })
}

/// A bestandsdeel as listed in its document.
pub fn bestandsdeel(b: &Bestandsdeel, urls: &Urls) -> Value {
    json!({
        "url": urls.bestandsdeel(b.uuid),
        "volgnummer": b.volgnummer,
        "omvang": b.omvang,
        "voltooid": b.voltooid(),
    })
}

/// A gebruiksrecht, objectinformatieobject or verzending: its attributes with url and
/// informatieobject.
pub fn part(d: &Document, uuid: Uuid, p: &Part, urls: &Urls) -> Value {
    let mut v = serde_json::Map::new();
    v.insert("url".into(), json!(urls.document_part(p.kind, uuid)));
    v.insert("informatieobject".into(), json!(urls.document(d.uuid)));
    v.extend(p.attributes.clone());
    Value::Object(v)
}

//! The rules of the Catalogi API that are decided on one object and the facts around it.

use chrono::NaiveDate;
use event_schemas::catalogus::{ObjectAttributes, ObjectKind};
use serde_json::Value;

use super::{Facts, ObjectError, Relation};

pub(crate) fn text<'a>(attributes: &'a ObjectAttributes, name: &str) -> &'a str {
    attributes
        .get(name)
        .and_then(Value::as_str)
        .unwrap_or_default()
}

fn date(attributes: &ObjectAttributes, name: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(text(attributes, name), "%Y-%m-%d").ok()
}

/// Whether an object of `kind` is frozen: a published type (`own_concept` false), a child
/// of a published zaaktype, a zaaktype-informatieobjecttype only when its
/// informatieobjecttype is published too. Ending a type's geldigheid is always allowed.
fn is_locked(kind: ObjectKind, own_concept: bool, facts: &Facts, only_einde: bool) -> bool {
    let zaaktype_published = facts.zaaktype_concept == Some(false);
    match kind {
        k if k.is_publishable() => !own_concept && !only_einde,
        ObjectKind::ZaaktypeInformatieobjecttype => {
            zaaktype_published
                && !facts
                    .relations
                    .iter()
                    .any(|r| r.field == "informatieobjecttype" && r.concept)
        }
        _ => zaaktype_published,
    }
}

fn lock_error(kind: ObjectKind) -> ObjectError {
    match kind {
        k if k.is_publishable() => ObjectError::NonConceptObject,
        ObjectKind::ZaaktypeInformatieobjecttype => ObjectError::NonConceptRelation,
        _ => ObjectError::NonConceptZaaktype,
    }
}

/// Whether the object may be created or change: when frozen only with the forcing scope.
/// `Ok(true)` when the change is forced.
pub(super) fn check_writable(
    kind: ObjectKind,
    own_concept: bool,
    facts: &Facts,
    only_einde_geldigheid: bool,
) -> Result<bool, ObjectError> {
    match (
        is_locked(kind, own_concept, facts, only_einde_geldigheid),
        facts.may_force,
    ) {
        (false, _) => Ok(false),
        (true, true) => Ok(true),
        (true, false) => Err(lock_error(kind)),
    }
}

/// A concept type related to a published type (either way: a besluittype's
/// informatieobjecttypen, the zaaktypen that name it, ...) is not changed or deleted
/// without the forcing scope (`non-concept-relation`, as Open Zaak's M2M concept
/// validators); ending its geldigheid stays allowed.
pub(super) fn check_related_published(
    kind: ObjectKind,
    facts: &Facts,
    only_einde: bool,
) -> Result<(), ObjectError> {
    const TYPE_FIELDS: [&str; 4] = [
        "besluittypen",
        "informatieobjecttypen",
        "zaaktypen",
        "informatieobjecttype",
    ];
    let published = |r: &Relation| !r.concept && TYPE_FIELDS.contains(&r.field.as_str());
    let related = facts.relations.iter().chain(&facts.related_by);
    if kind.is_publishable() && !only_einde && !facts.may_force && related.clone().any(published) {
        return Err(ObjectError::NonConceptRelation);
    }
    Ok(())
}

/// What the reference derives when not given: a zaaktype's identificatie
/// ([`generated_identificatie`]); a resultaattype's archiefnominatie (its
/// selectielijstklasse's waardering) and archiefactietermijn (its bewaartermijn). A
/// resultaattype's omschrijvingGeneriek is always its resultaattypeomschrijving's
/// omschrijving, when the Selectielijst API gave one.
pub(super) fn derive(
    kind: ObjectKind,
    mut attributes: ObjectAttributes,
    facts: &Facts,
) -> ObjectAttributes {
    if kind == ObjectKind::Zaaktype {
        if text(&attributes, "identificatie").is_empty() {
            let generated = generated_identificatie(&attributes, &facts.siblings);
            attributes.insert("identificatie".into(), generated.into());
        }
        return attributes;
    }
    if kind != ObjectKind::Resultaattype {
        return attributes;
    }
    if let Some(omschrijving) = &facts.resultaattypeomschrijving {
        attributes.insert("omschrijvingGeneriek".into(), omschrijving.clone());
    }
    let Some(klasse) = facts.selectielijstklasse.as_ref() else {
        return attributes;
    };
    if !is_given(attributes.get("archiefnominatie")) && !klasse.waardering.is_empty() {
        attributes.insert("archiefnominatie".into(), klasse.waardering.clone().into());
    }
    if let (false, Some(termijn)) = (
        is_given(attributes.get("archiefactietermijn")),
        &klasse.bewaartermijn,
    ) {
        attributes.insert("archiefactietermijn".into(), termijn.clone().into());
    }
    attributes
}

/// The rules on the attributes themselves and on their relations to the catalogus, every
/// one that fails reported: field-level problems first, then the object's (as the
/// reference's serializers report them).
///
/// `first` holds what the caller found before (a missing brondatumArchiefprocedure, the
/// overlap of a published type).
pub(super) fn check_attributes(
    kind: ObjectKind,
    attributes: &ObjectAttributes,
    facts: &Facts,
    first: Vec<ObjectError>,
) -> Result<(), ObjectError> {
    let mut errors = first;
    if kind == ObjectKind::Resultaattype {
        errors.extend(check_afleidingswijze(attributes).err());
    }
    if let Some(r) = facts
        .relations
        .iter()
        .find(|r| r.catalogus != facts.catalogus)
    {
        errors.push(ObjectError::RelationsIncorrectCatalogus {
            field: r.field.clone(),
        });
    }
    let own_zaaktype = attributes.get("zaaktype").and_then(Value::as_str);
    // Open Zaak checks this for an eigenschap's and a zaakobjecttype's statustype, not for a
    // zaaktype-informatieobjecttype's (RelationZaaktypeValidator).
    let checks_zaaktype =
        !kind.is_publishable() && kind != ObjectKind::ZaaktypeInformatieobjecttype;
    if let Some(r) = facts
        .relations
        .iter()
        .find(|r| checks_zaaktype && r.zaaktype.is_some() && r.zaaktype.as_deref() != own_zaaktype)
    {
        errors.push(ObjectError::RelationsIncorrectZaaktype {
            field: r.field.clone(),
        });
    }
    if kind == ObjectKind::Zaaktype {
        errors.extend(check_zaaktype(attributes).err());
    }
    let (begin, einde) = geldigheid(attributes);
    if let (Some(begin), Some(einde)) = (begin, einde) {
        if einde < begin {
            errors.push(ObjectError::DateMismatch);
        }
    }
    errors.extend(check_unique(kind, attributes, &facts.siblings).err());
    if let (ObjectKind::Resultaattype, Some(klasse)) = (kind, &facts.selectielijstklasse) {
        errors.extend(check_selectielijstklasse(attributes, klasse).err());
    }
    match errors.len() {
        0 => Ok(()),
        1 => Err(errors.remove(0)),
        _ => Err(ObjectError::Several(errors)),
    }
}

/// The selectielijstklasse is of the zaaktype's procestype (when the zaaktype has one),
/// and the afleidingswijze fits its procestermijn (`nihil`: afgehandeld;
/// `ingeschatte_bestaansduur_procesobject`: termijn; any other: not afgehandeld).
fn check_selectielijstklasse(
    attributes: &ObjectAttributes,
    klasse: &super::Selectielijstklasse,
) -> Result<(), ObjectError> {
    let procestype_matches = klasse
        .zaaktype_procestype
        .as_deref()
        .filter(|p| !p.is_empty())
        .is_none_or(|p| klasse.procestype == p);
    if !procestype_matches {
        return Err(ObjectError::ProcestypeMismatch);
    }
    let afleidingswijze = attributes
        .get("brondatumArchiefprocedure")
        .and_then(|p| p.get("afleidingswijze"))
        .and_then(Value::as_str)
        .unwrap_or_default();
    let termijn = klasse.procestermijn.as_str();
    if afleidingswijze.is_empty() || termijn.is_empty() {
        return Ok(());
    }
    let fits = match termijn {
        "nihil" => afleidingswijze == "afgehandeld",
        "ingeschatte_bestaansduur_procesobject" => afleidingswijze == "termijn",
        _ => afleidingswijze != "afgehandeld",
    };
    if fits {
        Ok(())
    } else {
        Err(ObjectError::ProcestermijnMismatch {
            procestermijn: termijn.to_owned(),
        })
    }
}

fn is_given(v: Option<&Value>) -> bool {
    !matches!(v, None | Some(Value::Null)) && v.and_then(Value::as_str) != Some("")
}

/// A zaaktype that may be extended says by how much; a bron is a catalogus and a zaaktype.
fn check_zaaktype(attributes: &ObjectAttributes) -> Result<(), ObjectError> {
    let verlenging = attributes.get("verlengingMogelijk") == Some(&Value::Bool(true));
    if verlenging && !is_given(attributes.get("verlengingstermijn")) {
        return Err(ObjectError::VerlengingMismatch);
    }
    if is_given(attributes.get("broncatalogus")) != is_given(attributes.get("bronzaaktype")) {
        return Err(ObjectError::BronMismatch);
    }
    Ok(())
}

fn geldigheid(attributes: &ObjectAttributes) -> (Option<NaiveDate>, Option<NaiveDate>) {
    (
        date(attributes, "beginGeldigheid"),
        date(attributes, "eindeGeldigheid"),
    )
}

/// The attribute that must be unique among a zaaktype's children of a kind.
fn unique_field(kind: ObjectKind) -> Option<(&'static str, &'static str)> {
    match kind {
        ObjectKind::Statustype => Some(("volgnummer", "zaaktype, volgnummer")),
        ObjectKind::ZaaktypeInformatieobjecttype => Some(("volgnummer", "zaaktype, volgnummer")),
        ObjectKind::Resultaattype => Some(("omschrijving", "zaaktype, omschrijving")),
        ObjectKind::Eigenschap => Some(("naam", "zaaktype, naam")),
        ObjectKind::Roltype => Some(("omschrijving", "zaaktype, omschrijving")),
        _ => None,
    }
}

fn check_unique(
    kind: ObjectKind,
    attributes: &ObjectAttributes,
    siblings: &[ObjectAttributes],
) -> Result<(), ObjectError> {
    let Some((field, fields)) = unique_field(kind) else {
        return Ok(());
    };
    let clash = siblings.iter().any(|s| {
        s.get("zaaktype") == attributes.get("zaaktype") && s.get(field) == attributes.get(field)
    });
    if clash {
        return Err(ObjectError::NotUnique { fields });
    }
    Ok(())
}

/// The attribute that identifies versions of a type within a catalogus.
fn version_key(kind: ObjectKind) -> Option<&'static str> {
    match kind {
        ObjectKind::Zaaktype => Some("identificatie"),
        ObjectKind::Informatieobjecttype | ObjectKind::Besluittype => Some("omschrijving"),
        _ => None,
    }
}

/// A published version of a type (same catalogus and key) may not be valid on a day another
/// published version is, as Open Zaak's GeldigheidValidator: checked when the type is
/// published or changes while published, never for a concept; periods that only touch
/// (one's einde is the other's begin) do not overlap. The problem is named `field`.
pub(super) fn check_overlap(
    kind: ObjectKind,
    attributes: &ObjectAttributes,
    facts: &Facts,
    field: &'static str,
) -> Result<(), ObjectError> {
    let Some(key) = version_key(kind) else {
        return Ok(());
    };
    let (Some(begin), einde) = geldigheid(attributes) else {
        return Ok(());
    };
    let value = text(attributes, key);
    let overlaps = facts
        .published_siblings
        .iter()
        .filter(|s| text(s, key) == value && s.get("catalogus") == attributes.get("catalogus"))
        .any(|s| {
            let (other_begin, other_einde) = geldigheid(s);
            other_einde.is_none_or(|e| e > begin)
                && match (other_begin, einde) {
                    (Some(b), Some(e)) => b < e,
                    _ => true,
                }
        });
    if overlaps {
        return Err(ObjectError::Overlap {
            kind: kind.as_str(),
            field,
        });
    }
    Ok(())
}

/// A resultaattype written whole without brondatumArchiefprocedure needs archiefnominatie
/// `blijvend_bewaren` (given, else the stored one), as Open Zaak's
/// BrondatumArchiefprocedureValidator: `brondatumArchiefprocedure` / `required`.
pub(super) fn check_brondatum_given(
    kind: ObjectKind,
    attributes: &ObjectAttributes,
    current: Option<&super::CatalogusObject>,
) -> Result<(), ObjectError> {
    if kind != ObjectKind::Resultaattype || is_given(attributes.get("brondatumArchiefprocedure")) {
        return Ok(());
    }
    let nominatie = match text(attributes, "archiefnominatie") {
        "" => current.map_or("", |c| c.text("archiefnominatie")),
        given => given,
    };
    if nominatie == "blijvend_bewaren" {
        return Ok(());
    }
    Err(ObjectError::Afleidingswijze(vec![(
        "brondatumArchiefprocedure".into(),
        "required",
    )]))
}

/// The identificatie Open Zaak gives a zaaktype without one: `ZAAKTYPE-{year of
/// versiedatum}-{n}`, n one past the highest of that year among the catalogus's zaaktypen,
/// ten digits.
fn generated_identificatie(attributes: &ObjectAttributes, siblings: &[ObjectAttributes]) -> String {
    let year = date(attributes, "versiedatum").map_or(0, |d| chrono::Datelike::year(&d));
    let prefix = format!("ZAAKTYPE-{year}-");
    let highest = siblings
        .iter()
        .filter_map(|s| text(s, "identificatie").strip_prefix(&prefix))
        .filter(|n| n.len() == 10 && n.bytes().all(|b| b.is_ascii_digit()))
        .filter_map(|n| n.parse::<u64>().ok())
        .max()
        .unwrap_or(0);
    format!("{prefix}{:010}", highest + 1)
}

const AFLEIDINGSWIJZE_FIELDS: [&str; 5] = [
    "procestermijn",
    "datumkenmerk",
    "einddatumBekend",
    "objecttype",
    "registratie",
];

/// Per afleidingswijze, which brondatumArchiefprocedure fields must be set (`Some(true)`),
/// must be empty (`Some(false)`) or are free (`None`), in the order of
/// [`AFLEIDINGSWIJZE_FIELDS`] — the standard's table, as Open Zaak applies it.
fn afleidingswijze_rule(afleidingswijze: &str) -> Option<[Option<bool>; 5]> {
    const F: Option<bool> = Some(false);
    const T: Option<bool> = Some(true);
    Some(match afleidingswijze {
        "afgehandeld" => [F, F, F, F, F],
        "ander_datumkenmerk" => [F, T, None, T, T],
        "zaakobject" => [F, T, None, T, F],
        "eigenschap" => [F, T, None, F, F],
        "termijn" => [T, F, F, F, F],
        "gerelateerde_zaak" | "hoofdzaak" | "ingangsdatum_besluit" | "vervaldatum_besluit" => {
            [F, F, None, F, F]
        }
        _ => return None,
    })
}

fn is_set(v: Option<&Value>) -> bool {
    match v {
        None | Some(Value::Null) | Some(Value::Bool(false)) => false,
        Some(Value::String(s)) => !s.is_empty(),
        Some(_) => true,
    }
}

fn check_afleidingswijze(attributes: &ObjectAttributes) -> Result<(), ObjectError> {
    let Some(Value::Object(procedure)) = attributes.get("brondatumArchiefprocedure") else {
        return Ok(());
    };
    let Some(rule) = afleidingswijze_rule(text(procedure, "afleidingswijze")) else {
        return Ok(());
    };
    let errors: Vec<(String, &'static str)> = AFLEIDINGSWIJZE_FIELDS
        .iter()
        .zip(rule)
        .filter_map(|(field, wanted)| {
            let wanted = wanted?;
            let name = format!("brondatumArchiefprocedure.{field}");
            match (wanted, is_set(procedure.get(*field))) {
                (true, false) => Some((name, "required")),
                (false, true) => Some((name, "must-be-empty")),
                _ => None,
            }
        })
        .collect();
    if errors.is_empty() {
        Ok(())
    } else {
        Err(ObjectError::Afleidingswijze(errors))
    }
}

/// A zaaktype is published with its besluittypen and informatieobjecttypen published
/// (Catalogi 1.3); where the installation asks for it (`publish_requires_children`), also
/// with at least one roltype, one resultaattype and two statustypen (Open Zaak's rule).
pub(super) fn check_publishable(kind: ObjectKind, facts: &Facts) -> Result<(), ObjectError> {
    if kind != ObjectKind::Zaaktype {
        return Ok(());
    }
    let mut reasons = Vec::new();
    if facts
        .relations
        .iter()
        .any(|r| r.concept && (r.field == "besluittypen" || r.field == "informatieobjecttypen"))
    {
        reasons.push((
            "nonFieldErrors",
            "All related resources should be published",
        ));
    }
    let c = &facts.children;
    if facts.publish_requires_children && c.roltypen < 1 {
        reasons.push((
            "roltypen",
            "Publishing a zaaktype requires at least one roltype to be defined.",
        ));
    }
    if facts.publish_requires_children && c.resultaattypen < 1 {
        reasons.push((
            "resultaattypen",
            "Publishing a zaaktype requires at least one resultaattype to be defined.",
        ));
    }
    if facts.publish_requires_children && c.statustypen < 2 {
        reasons.push((
            "statustypen",
            "Publishing a zaaktype requires at least two statustypes to be defined.",
        ));
    }
    if reasons.is_empty() {
        Ok(())
    } else {
        Err(ObjectError::PublishRefused(reasons))
    }
}

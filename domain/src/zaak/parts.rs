//! The rules for what a zaak owns besides its statussen: rollen, its resultaat,
//! zaakobjecten, zaakeigenschappen and the relations to documents, besluiten, contacts.

use event_schemas::zaak::{
    PartAddedV1, PartAttributes, PartKind, PartRemovedV1, PartUpdatedV1, ZaakEvent,
};
use uuid::Uuid;

use super::{Part, Zaak, ZaakError};

/// The attribute that must be unique among the zaak's parts of a kind; `None` for the
/// resultaat, of which a zaak has at most one.
fn unique_field(kind: PartKind) -> Option<Option<&'static str>> {
    match kind {
        PartKind::Resultaat => Some(None),
        PartKind::Zaakinformatieobject => Some(Some("informatieobject")),
        PartKind::Zaakbesluit => Some(Some("besluit")),
        _ => None,
    }
}

fn check_unique(
    zaak: &Zaak,
    kind: PartKind,
    except: Option<Uuid>,
    attributes: &PartAttributes,
) -> Result<(), ZaakError> {
    let Some(field) = unique_field(kind) else {
        return Ok(());
    };
    let clash = zaak.parts_of(kind).any(|(uuid, p)| {
        Some(*uuid) != except && field.is_none_or(|f| p.attributes.get(f) == attributes.get(f))
    });
    if clash {
        return Err(ZaakError::NotUnique {
            kind: kind.as_str(),
            field: field.unwrap_or("zaak"),
        });
    }
    Ok(())
}

/// What a new zaakobject needs (Open Zaak's ZaakObjectSerializer rules).
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum ZaakobjectRule {
    /// `invalid-zaakobject`
    #[error("object or objectIdentificatie must be provided")]
    NoObject,
    /// `missing-object-type-overige`
    #[error("Als `objectType` de waarde \"overige\" heeft, moet `objectTypeOverige` of `objectTypeOverigeDefinitie` van een waarde voorzien zijn.")]
    OverigeMissing,
    /// `invalid-object-type-overige-usage`
    #[error("Als `objectType` niet de waarde \"overige\" heeft, mag `objectTypeOverige` niet van een waarde voorzien zijn.")]
    OverigeMisused,
}

impl ZaakobjectRule {
    pub fn code(self) -> &'static str {
        match self {
            Self::NoObject => "invalid-zaakobject",
            Self::OverigeMissing => "missing-object-type-overige",
            Self::OverigeMisused => "invalid-object-type-overige-usage",
        }
    }
}

fn check_zaakobject(kind: PartKind, a: &PartAttributes) -> Result<(), ZaakError> {
    if kind != PartKind::Zaakobject {
        return Ok(());
    }
    let given = |name: &str| match a.get(name) {
        None | Some(serde_json::Value::Null) => false,
        Some(serde_json::Value::String(s)) => !s.is_empty(),
        Some(serde_json::Value::Object(o)) => !o.is_empty(),
        Some(_) => true,
    };
    let overige = a.get("objectType").and_then(|v| v.as_str()) == Some("overige");
    let rule = if !given("object") && !given("objectIdentificatie") {
        Some(ZaakobjectRule::NoObject)
    } else if overige && !given("objectTypeOverige") && !given("objectTypeOverigeDefinitie") {
        Some(ZaakobjectRule::OverigeMissing)
    } else if !overige && given("objectTypeOverige") {
        Some(ZaakobjectRule::OverigeMisused)
    } else {
        None
    };
    rule.map_or(Ok(()), |r| Err(ZaakError::Zaakobject(r)))
}

fn check_rol(kind: PartKind, a: &PartAttributes) -> Result<(), ZaakError> {
    if kind != PartKind::Rol {
        return Ok(());
    }
    super::rol::check(a).map_err(ZaakError::Rol)
}

/// The rollen of which a zaak has at most one, by omschrijvingGeneriek.
const ONE_PER_ZAAK: [&str; 2] = ["initiator", "zaakcoordinator"];

fn check_occurrences(
    zaak: &Zaak,
    kind: PartKind,
    except: Option<Uuid>,
    attributes: &PartAttributes,
) -> Result<(), ZaakError> {
    let generiek = |a: &PartAttributes| {
        a.get("omschrijvingGeneriek")
            .and_then(|v| v.as_str())
            .unwrap_or_default()
            .to_owned()
    };
    let wanted = generiek(attributes);
    if kind != PartKind::Rol || !ONE_PER_ZAAK.contains(&wanted.as_str()) {
        return Ok(());
    }
    let taken = zaak
        .parts_of(PartKind::Rol)
        .any(|(uuid, p)| Some(*uuid) != except && generiek(&p.attributes) == wanted);
    if taken {
        return Err(ZaakError::MaxOccurrences {
            omschrijving_generiek: wanted,
        });
    }
    Ok(())
}

fn check_open(zaak: &Zaak, may_force: bool) -> Result<(), ZaakError> {
    if zaak.is_closed() && !may_force {
        return Err(ZaakError::Closed);
    }
    Ok(())
}

pub(super) fn add(
    zaak: &Zaak,
    kind: PartKind,
    uuid: Uuid,
    attributes: PartAttributes,
    may_force: bool,
) -> Result<Vec<ZaakEvent>, ZaakError> {
    // Uniqueness first: a second resultaat on a closed zaak is `unique`, as in the reference.
    check_zaakobject(kind, &attributes)?;
    check_rol(kind, &attributes)?;
    check_unique(zaak, kind, None, &attributes)?;
    check_occurrences(zaak, kind, None, &attributes)?;
    check_open(zaak, may_force)?;
    Ok(vec![ZaakEvent::PartAdded(PartAddedV1 {
        kind,
        uuid,
        attributes,
    })])
}

pub(super) fn update(
    zaak: &Zaak,
    uuid: Uuid,
    attributes: PartAttributes,
    partial: bool,
    may_force: bool,
) -> Result<Vec<ZaakEvent>, ZaakError> {
    let part = zaak.parts.get(&uuid).ok_or(ZaakError::PartNotFound)?;
    check_rol(part.kind, &attributes)?;
    check_unique(zaak, part.kind, Some(uuid), &attributes)?;
    check_occurrences(zaak, part.kind, Some(uuid), &attributes)?;
    check_open(zaak, may_force)?;
    let changed: Vec<String> = attributes
        .iter()
        .filter(|(k, v)| part.attributes.get(*k) != Some(v))
        .map(|(k, _)| k.clone())
        .collect();
    if changed.is_empty() {
        return Ok(Vec::new());
    }
    Ok(vec![ZaakEvent::PartUpdated(PartUpdatedV1 {
        kind: part.kind,
        uuid,
        attributes,
        partial,
        changed,
    })])
}

pub(super) fn remove(
    zaak: &Zaak,
    uuid: Uuid,
    may_force: bool,
) -> Result<Vec<ZaakEvent>, ZaakError> {
    let part = zaak.parts.get(&uuid).ok_or(ZaakError::PartNotFound)?;
    check_open(zaak, may_force)?;
    Ok(vec![ZaakEvent::PartRemoved(PartRemovedV1 {
        kind: part.kind,
        uuid,
    })])
}

pub(super) fn evolve(mut zaak: Zaak, event: &ZaakEvent) -> Zaak {
    match event {
        ZaakEvent::PartAdded(e) => {
            zaak.parts.insert(
                e.uuid,
                Part {
                    kind: e.kind,
                    attributes: e.attributes.clone(),
                    seq: zaak.parts_added,
                },
            );
            zaak.parts_added += 1;
        }
        ZaakEvent::PartUpdated(e) => {
            if let Some(p) = zaak.parts.get_mut(&e.uuid) {
                p.attributes = e.attributes.clone();
            }
        }
        ZaakEvent::PartRemoved(e) => {
            zaak.parts.remove(&e.uuid);
        }
        _ => {}
    }
    zaak
}

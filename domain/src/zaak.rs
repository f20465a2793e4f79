//! The Zaak aggregate: a zaak and everything it owns, in one stream `zaak-{uuid}`.

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate, Utc};
use event_schemas::zaak::{
    Archiefnominatie, PartAttributes, PartKind, StatusAddedV1, ZaakAttributes, ZaakClosedV1,
    ZaakCreatedV1, ZaakDeletedV1, ZaakEvent, ZaakReopenedV1, ZaakUpdatedV1,
};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::Aggregate;

/// A zaak as its events made it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Zaak {
    pub uuid: Uuid,
    pub attributes: ZaakAttributes,
    pub einddatum: Option<NaiveDate>,
    /// Statussen in the order they were registered.
    pub statussen: Vec<Status>,
    /// Everything else the zaak owns (rollen, resultaat, zaakobjecten, ...), by uuid.
    #[serde(default)]
    pub parts: BTreeMap<Uuid, Part>,
    /// How many parts were ever added: the order of the next one.
    #[serde(default)]
    pub parts_added: u64,
    /// When the zaak or anything it owns last changed (but for laatstGeopend alone): Open
    /// Zaak's experimental `laatstGemuteerd`. Not derived by `evolve` (events carry no
    /// time); set from the envelopes by whoever folds them with their metadata (the zaken
    /// projection, a write's answer).
    #[serde(default)]
    pub laatst_gemuteerd: Option<DateTime<Utc>>,
    /// Whether the zaak has ever been suspended (opschorting.indicatie true in any version):
    /// the opschorting's read-only `eerdereOpschorting`.
    #[serde(default)]
    pub eerdere_opschorting: bool,
}

/// Whether `attributes` suspend the zaak.
fn opgeschort(attributes: &ZaakAttributes) -> bool {
    attributes.opschorting.as_ref().is_some_and(|o| o.indicatie)
}

/// Whether `event` changes what `laatstGemuteerd` tracks: all but an update of
/// laatstGeopend alone (as Open Zaak leaves it).
pub fn mutates(event: &ZaakEvent) -> bool {
    !matches!(event, ZaakEvent::ZaakUpdated(u) if u.changed == ["laatstGeopend"])
}

/// A rol, resultaat, zaakobject, ... of the zaak.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Part {
    pub kind: PartKind,
    pub attributes: PartAttributes,
    /// Order of addition within the zaak (list order).
    pub seq: u64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Status {
    pub uuid: Uuid,
    pub statustype: String,
    pub datum_status_gezet: DateTime<Utc>,
    pub statustoelichting: String,
    #[serde(default)]
    pub gezetdoor: String,
}

impl Zaak {
    pub fn is_closed(&self) -> bool {
        self.einddatum.is_some()
    }

    /// The status with the latest datumStatusGezet (the standard's
    /// indicatieLaatstGezetteStatus), whatever the order they were registered in.
    pub fn current_status(&self) -> Option<&Status> {
        self.statussen.iter().max_by_key(|s| s.datum_status_gezet)
    }

    pub fn parts_of(&self, kind: PartKind) -> impl Iterator<Item = (&Uuid, &Part)> {
        self.parts.iter().filter(move |(_, p)| p.kind == kind)
    }

    pub fn resultaat(&self) -> Option<(&Uuid, &Part)> {
        self.parts_of(PartKind::Resultaat).next()
    }
}

/// `None` until the zaak is created.
pub type ZaakState = Option<Zaak>;

#[derive(Debug, Clone, PartialEq)]
pub enum ZaakCommand {
    Create {
        uuid: Uuid,
        attributes: ZaakAttributes,
        outside: OutsideFacts,
    },
    /// Replace the writable attributes (PUT, or PATCH merged onto the current ones).
    Update {
        attributes: ZaakAttributes,
        /// A PATCH merged onto the current attributes, rather than a PUT.
        partial: bool,
        /// The caller holds zaken.geforceerd-bijwerken.
        may_force: bool,
        /// What the changed fields are checked against (only those the request names).
        outside: OutsideFacts,
    },
    AddStatus {
        uuid: Uuid,
        statustype: String,
        datum_status_gezet: DateTime<Utc>,
        statustoelichting: String,
        gezetdoor: String,
        /// The rol `gezetdoor` names when it is the URL of a rol of this zaak.
        gezetdoor_rol: Option<Uuid>,
        /// What the status is checked against beyond the zaak (its statustype, what
        /// closing needs).
        facts: Box<StatusFacts>,
        may_force: bool,
        /// The caller holds zaken.heropenen.
        may_reopen: bool,
    },
    AddPart {
        kind: PartKind,
        uuid: Uuid,
        attributes: PartAttributes,
        may_force: bool,
        /// The zaaktype of the type the part names (roltype, resultaattype, eigenschap).
        type_zaaktype: Option<String>,
    },
    UpdatePart {
        uuid: Uuid,
        attributes: PartAttributes,
        partial: bool,
        may_force: bool,
        /// The zaaktype of a type the change names.
        type_zaaktype: Option<String>,
    },
    RemovePart {
        uuid: Uuid,
        may_force: bool,
    },
    Delete,
}

/// The archive fields a zaak gets when it closes, derived from its resultaattype.
#[derive(Debug, Clone, PartialEq)]
pub struct Archief {
    pub archiefnominatie: Option<Archiefnominatie>,
    pub archiefactiedatum: Option<NaiveDate>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ZaakError {
    #[error("de zaak bestaat al")]
    AlreadyExists,
    #[error("de zaak bestaat niet")]
    NotFound,
    #[error("de zaak is afgesloten; wijzigen vereist de scope zaken.geforceerd-bijwerken")]
    Closed,
    #[error("identificatie en bronorganisatie van een zaak wijzigen niet")]
    IdentityChanged,
    #[error("heropenen van een afgesloten zaak vereist de scope zaken.heropenen")]
    ReopenNotAllowed,
    #[error("de zaak heeft geen resultaat; een eindstatus zetten kan pas met een resultaat")]
    ResultaatMissing,
    #[error("dit onderdeel bestaat niet bij deze zaak")]
    PartNotFound,
    #[error("de zaak heeft al een {kind} met deze {field}")]
    NotUnique {
        kind: &'static str,
        field: &'static str,
    },
    /// `max-occurences`: a zaak has at most one rol of omschrijvingGeneriek initiator, and
    /// one zaakcoordinator (Open Zaak's RolOccurenceValidator).
    #[error("Er is al een rol met omschrijvingGeneriek {omschrijving_generiek} bij deze zaak")]
    MaxOccurrences { omschrijving_generiek: String },
    /// A new zaakobject's fields do not fit together (its `code()`).
    #[error("{0}")]
    Zaakobject(parts::ZaakobjectRule),
    /// A rol's fields do not fit together (its `field()` and `code()`).
    #[error("{0}")]
    Rol(rol::RolRule),
    /// A rule with facts from outside the stream (its `field()` and `code()`).
    #[error("{0}")]
    Rule(rules::ZaakRule),
    /// Closing: the archiefactiedatum cannot be derived (`archiefactiedatum-error`).
    #[error("{0}")]
    Archief(archief::ArchiefError),
}

pub struct ZaakAggregate;

impl Aggregate for ZaakAggregate {
    type State = ZaakState;
    type Command = ZaakCommand;
    type Event = ZaakEvent;
    type Error = ZaakError;

    fn decide(state: &ZaakState, command: ZaakCommand) -> Result<Vec<ZaakEvent>, ZaakError> {
        match (state, command) {
            (Some(_), ZaakCommand::Create { .. }) => Err(ZaakError::AlreadyExists),
            (
                None,
                ZaakCommand::Create {
                    uuid,
                    attributes,
                    outside,
                },
            ) => {
                rules::check(uuid, &attributes, &outside)?;
                Ok(vec![ZaakEvent::ZaakCreated(ZaakCreatedV1 {
                    uuid,
                    attributes,
                })])
            }
            (None, _) => Err(ZaakError::NotFound),
            (
                Some(zaak),
                ZaakCommand::Update {
                    attributes,
                    partial,
                    may_force,
                    outside,
                },
            ) => {
                rules::check(zaak.uuid, &attributes, &outside)?;
                rules::check_archiving(&attributes, &outside)?;
                update(zaak, attributes, partial, may_force)
            }
            (Some(zaak), cmd @ ZaakCommand::AddStatus { .. }) => add_status(zaak, cmd),
            (
                Some(zaak),
                ZaakCommand::AddPart {
                    kind,
                    uuid,
                    attributes,
                    may_force,
                    type_zaaktype,
                },
            ) => {
                rules::same_zaaktype(zaak, type_zaaktype.as_deref())?;
                if kind == PartKind::Zaakinformatieobject {
                    rules::not_archived(zaak)?;
                }
                parts::add(zaak, kind, uuid, attributes, may_force)
            }
            (
                Some(zaak),
                ZaakCommand::UpdatePart {
                    uuid,
                    attributes,
                    partial,
                    may_force,
                    type_zaaktype,
                },
            ) => {
                rules::same_zaaktype(zaak, type_zaaktype.as_deref())?;
                let is_document = zaak
                    .parts
                    .get(&uuid)
                    .is_some_and(|p| p.kind == PartKind::Zaakinformatieobject);
                if is_document {
                    rules::not_archived(zaak)?;
                }
                parts::update(zaak, uuid, attributes, partial, may_force)
            }
            (Some(zaak), ZaakCommand::RemovePart { uuid, may_force }) => {
                parts::remove(zaak, uuid, may_force)
            }
            (Some(_), ZaakCommand::Delete) => Ok(vec![ZaakEvent::ZaakDeleted(ZaakDeletedV1 {})]),
        }
    }

    fn evolve(state: ZaakState, event: &ZaakEvent) -> ZaakState {
        match (state, event) {
            (_, ZaakEvent::ZaakCreated(e)) => Some(Zaak {
                uuid: e.uuid,
                attributes: e.attributes.clone(),
                einddatum: None,
                statussen: Vec::new(),
                parts: BTreeMap::new(),
                parts_added: 0,
                laatst_gemuteerd: None,
                eerdere_opschorting: opgeschort(&e.attributes),
            }),
            (Some(mut z), ZaakEvent::ZaakUpdated(e)) => {
                z.attributes = e.attributes.clone();
                z.eerdere_opschorting |= opgeschort(&e.attributes);
                Some(z)
            }
            (Some(mut z), ZaakEvent::StatusAdded(e)) => {
                z.statussen.push(Status {
                    uuid: e.uuid,
                    statustype: e.statustype.clone(),
                    datum_status_gezet: e.datum_status_gezet,
                    statustoelichting: e.statustoelichting.clone(),
                    gezetdoor: e.gezetdoor.clone(),
                });
                Some(z)
            }
            (Some(mut z), ZaakEvent::ZaakClosed(e)) => {
                z.einddatum = Some(e.einddatum);
                if e.archiefnominatie.is_some() {
                    z.attributes.archiefnominatie = e.archiefnominatie;
                }
                if e.archiefactiedatum.is_some() {
                    z.attributes.archiefactiedatum = e.archiefactiedatum;
                }
                Some(z)
            }
            (Some(mut z), ZaakEvent::ZaakReopened(_)) => {
                z.einddatum = None;
                z.attributes.archiefnominatie = None;
                z.attributes.archiefactiedatum = None;
                Some(z)
            }
            (
                Some(z),
                e @ (ZaakEvent::PartAdded(_)
                | ZaakEvent::PartUpdated(_)
                | ZaakEvent::PartRemoved(_)),
            ) => Some(parts::evolve(z, e)),
            (Some(_), ZaakEvent::ZaakDeleted(_)) => None,
            // Events before creation cannot be stored (decide refuses them).
            (None, _) => None,
        }
    }
}

fn update(
    zaak: &Zaak,
    attributes: ZaakAttributes,
    partial: bool,
    may_force: bool,
) -> Result<Vec<ZaakEvent>, ZaakError> {
    if zaak.is_closed() && !may_force {
        return Err(ZaakError::Closed);
    }
    let old = &zaak.attributes;
    if old.identificatie != attributes.identificatie
        || old.bronorganisatie != attributes.bronorganisatie
    {
        return Err(ZaakError::IdentityChanged);
    }
    let changed = changed_fields(old, &attributes);
    if changed.is_empty() {
        return Ok(Vec::new());
    }
    Ok(vec![ZaakEvent::ZaakUpdated(ZaakUpdatedV1 {
        attributes,
        partial,
        changed,
    })])
}

/// The ZGW names of the attributes that differ, compared in their stored JSON form.
fn changed_fields(old: &ZaakAttributes, new: &ZaakAttributes) -> Vec<String> {
    let (old, new) = (to_map(old), to_map(new));
    new.iter()
        .filter(|(k, v)| old.get(*k) != Some(v))
        .map(|(k, _)| k.clone())
        .collect()
}

fn to_map(a: &ZaakAttributes) -> serde_json::Map<String, serde_json::Value> {
    match serde_json::to_value(a) {
        Ok(serde_json::Value::Object(m)) => m,
        _ => serde_json::Map::new(),
    }
}

fn add_status(zaak: &Zaak, command: ZaakCommand) -> Result<Vec<ZaakEvent>, ZaakError> {
    let ZaakCommand::AddStatus {
        uuid,
        statustype,
        datum_status_gezet,
        statustoelichting,
        gezetdoor,
        gezetdoor_rol,
        facts,
        may_force,
        may_reopen,
    } = command
    else {
        unreachable!("add_status is only called with AddStatus");
    };
    let is_eindstatus = facts.is_eindstatus;
    rules::check_status(&facts)?;
    rules::same_zaaktype(zaak, Some(&facts.statustype_zaaktype))?;
    rules::not_archived(zaak)?;
    let is_rol = gezetdoor_rol.is_some_and(|rol| {
        zaak.parts
            .get(&rol)
            .is_some_and(|p| p.kind == PartKind::Rol)
    });
    if !gezetdoor.is_empty() && !is_rol {
        return Err(rules::ZaakRule::GezetdoorMismatch.into());
    }
    let archief = match (&facts.archief, is_eindstatus) {
        (Some(regels), true) => Some(
            archief::bij_afsluiten(zaak, datum_status_gezet.date_naive(), regels, &facts.buiten)
                .map_err(ZaakError::Archief)?,
        ),
        _ => None,
    };
    let reopens = zaak.is_closed() && !is_eindstatus;
    if reopens && !(may_reopen || may_force) {
        return Err(ZaakError::ReopenNotAllowed);
    }
    if zaak.is_closed() && is_eindstatus && !may_force {
        return Err(ZaakError::Closed);
    }
    if zaak
        .statussen
        .iter()
        .any(|s| s.datum_status_gezet == datum_status_gezet)
    {
        return Err(ZaakError::NotUnique {
            kind: "status",
            field: "datumStatusGezet",
        });
    }
    if is_eindstatus && zaak.resultaat().is_none() {
        return Err(ZaakError::ResultaatMissing);
    }
    let mut events = vec![ZaakEvent::StatusAdded(StatusAddedV1 {
        uuid,
        statustype,
        datum_status_gezet,
        statustoelichting,
        gezetdoor,
    })];
    if is_eindstatus {
        let archief = archief.unwrap_or(Archief {
            archiefnominatie: None,
            archiefactiedatum: None,
        });
        events.push(ZaakEvent::ZaakClosed(ZaakClosedV1 {
            einddatum: datum_status_gezet.date_naive(),
            archiefnominatie: archief.archiefnominatie,
            archiefactiedatum: archief.archiefactiedatum,
        }));
    } else if reopens {
        events.push(ZaakEvent::ZaakReopened(ZaakReopenedV1 {}));
    }
    Ok(events)
}

pub mod archief;
mod parts;
pub mod rol;
pub mod rules;
pub use archief::{ArchiefRegels, BuitenFeiten};
pub use parts::ZaakobjectRule;
pub use rules::{DocumentFacts, Hoofdzaak, OutsideFacts, StatusFacts, ZaakRule};
#[cfg(test)]
mod tests;

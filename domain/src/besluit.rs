//! The Besluit aggregate: a besluit and its besluitinformatieobjecten, in one stream
//! `besluit-{uuid}`. The catalogue and the zaak are facts resolved by the handler.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use event_schemas::besluit::{
    BesluitAttributes, BesluitCreatedV1, BesluitDeletedV1, BesluitEvent, BesluitUpdatedV1,
    BesluitinformatieobjectAddedV1, BesluitinformatieobjectRemovedV1,
};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::Aggregate;

/// A besluit as its events made it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Besluit {
    pub uuid: Uuid,
    pub attributes: BesluitAttributes,
    /// The besluitinformatieobjecten, by uuid.
    pub informatieobjecten: BTreeMap<Uuid, Besluitinformatieobject>,
    /// How many were ever added: the order of the next one.
    pub informatieobjecten_added: u64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Besluitinformatieobject {
    pub informatieobject: String,
    /// Order of addition within the besluit (list order).
    pub seq: u64,
}

/// `None` until the besluit is created.
pub type BesluitState = Option<Besluit>;

/// What the catalogue says of the besluit's besluittype (resolved by the handler).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Besluittype {
    pub concept: bool,
    /// The zaaktypen (URLs) that may have besluiten of this type.
    pub zaaktypen: Vec<String>,
}

impl From<&crate::catalogue_facts::BesluittypeFacts> for Besluittype {
    fn from(b: &crate::catalogue_facts::BesluittypeFacts) -> Self {
        Self {
            concept: b.concept,
            zaaktypen: b.zaaktypen.clone(),
        }
    }
}

/// The facts a create or update is decided on.
#[derive(Debug, Clone, PartialEq)]
pub struct Facts {
    pub today: NaiveDate,
    pub besluittype: Besluittype,
    /// The zaaktype (URL) of the besluit's zaak, when it has one.
    pub zaaktype_of_zaak: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum BesluitCommand {
    Create {
        uuid: Uuid,
        attributes: BesluitAttributes,
        facts: Facts,
    },
    /// Replace the writable attributes (PUT, or PATCH merged onto the current ones).
    Update {
        attributes: BesluitAttributes,
        partial: bool,
        facts: Facts,
    },
    AddInformatieobject {
        uuid: Uuid,
        informatieobject: String,
        /// The informatieobject's informatieobjecttype (URL), as its Documenten API says.
        informatieobjecttype: String,
        /// The informatieobjecttypen (URLs) of the besluit's besluittype.
        allowed_informatieobjecttypen: Vec<String>,
    },
    RemoveInformatieobject {
        uuid: Uuid,
    },
    Delete,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BesluitError {
    #[error("het besluit bestaat al")]
    AlreadyExists,
    #[error("het besluit bestaat niet")]
    NotFound,
    /// `not-published` on besluittype.
    #[error("Het besluittype is nog niet gepubliceerd.")]
    BesluittypeNotPublished,
    /// `zaaktype-mismatch`.
    #[error("De referentie hoort niet bij het zaaktype van de zaak.")]
    ZaaktypeMismatch,
    /// `future_not_allowed` on datum.
    #[error("De beslisdatum mag niet in de toekomst liggen.")]
    DatumInFuture,
    /// `wijzigen-niet-toegelaten` on the named field.
    #[error("Dit veld mag niet gewijzigd worden.")]
    Immutable { field: &'static str },
    /// `unique`: the combination besluit + informatieobject exists already.
    #[error("De velden besluit, informatieobject moeten een unieke set zijn.")]
    InformatieobjectNotUnique,
    /// `missing-besluittype-informatieobjecttype-relation`.
    #[error("Het informatieobjecttype hoort niet bij het besluittype van de besluit.")]
    InformatieobjecttypeMismatch,
    #[error("dit besluitinformatieobject bestaat niet bij dit besluit")]
    InformatieobjectNotFound,
    /// More than one field-level rule failed: each of them, in field order.
    #[error("{}", .0.iter().map(ToString::to_string).collect::<Vec<_>>().join(" "))]
    Several(Vec<BesluitError>),
}

pub struct BesluitAggregate;

impl Aggregate for BesluitAggregate {
    type State = BesluitState;
    type Command = BesluitCommand;
    type Event = BesluitEvent;
    type Error = BesluitError;

    fn decide(
        state: &BesluitState,
        command: BesluitCommand,
    ) -> Result<Vec<BesluitEvent>, BesluitError> {
        match (state, command) {
            (Some(_), BesluitCommand::Create { .. }) => Err(BesluitError::AlreadyExists),
            (
                None,
                BesluitCommand::Create {
                    uuid,
                    attributes,
                    facts,
                },
            ) => {
                check(None, &attributes, &facts)?;
                Ok(vec![BesluitEvent::BesluitCreated(BesluitCreatedV1 {
                    uuid,
                    attributes,
                })])
            }
            (None, _) => Err(BesluitError::NotFound),
            (
                Some(besluit),
                BesluitCommand::Update {
                    attributes,
                    partial,
                    facts,
                },
            ) => update(besluit, attributes, partial, &facts),
            (
                Some(besluit),
                BesluitCommand::AddInformatieobject {
                    uuid,
                    informatieobject,
                    informatieobjecttype,
                    allowed_informatieobjecttypen,
                },
            ) => {
                if besluit
                    .informatieobjecten
                    .values()
                    .any(|b| b.informatieobject == informatieobject)
                {
                    return Err(BesluitError::InformatieobjectNotUnique);
                }
                if !allowed_informatieobjecttypen.contains(&informatieobjecttype) {
                    return Err(BesluitError::InformatieobjecttypeMismatch);
                }
                Ok(vec![BesluitEvent::BesluitinformatieobjectAdded(
                    BesluitinformatieobjectAddedV1 {
                        uuid,
                        informatieobject,
                    },
                )])
            }
            (Some(besluit), BesluitCommand::RemoveInformatieobject { uuid }) => {
                if !besluit.informatieobjecten.contains_key(&uuid) {
                    return Err(BesluitError::InformatieobjectNotFound);
                }
                Ok(vec![BesluitEvent::BesluitinformatieobjectRemoved(
                    BesluitinformatieobjectRemovedV1 { uuid },
                )])
            }
            (Some(_), BesluitCommand::Delete) => {
                Ok(vec![BesluitEvent::BesluitDeleted(BesluitDeletedV1 {})])
            }
        }
    }

    fn evolve(state: BesluitState, event: &BesluitEvent) -> BesluitState {
        match (state, event) {
            (_, BesluitEvent::BesluitCreated(e)) => Some(Besluit {
                uuid: e.uuid,
                attributes: e.attributes.clone(),
                informatieobjecten: BTreeMap::new(),
                informatieobjecten_added: 0,
            }),
            (Some(mut b), BesluitEvent::BesluitUpdated(e)) => {
                b.attributes = e.attributes.clone();
                Some(b)
            }
            (Some(mut b), BesluitEvent::BesluitinformatieobjectAdded(e)) => {
                b.informatieobjecten.insert(
                    e.uuid,
                    Besluitinformatieobject {
                        informatieobject: e.informatieobject.clone(),
                        seq: b.informatieobjecten_added,
                    },
                );
                b.informatieobjecten_added += 1;
                Some(b)
            }
            (Some(mut b), BesluitEvent::BesluitinformatieobjectRemoved(e)) => {
                b.informatieobjecten.remove(&e.uuid);
                Some(b)
            }
            (Some(_), BesluitEvent::BesluitDeleted(_)) => None,
            // Events before creation cannot be stored (decide refuses them).
            (None, _) => None,
        }
    }
}

/// The field-level rules of a besluit (the reference's field validators, in its field
/// order): identificatie, verantwoordelijkeOrganisatie and besluittype unchanged on an
/// update, a published besluittype, a beslisdatum not in the future. All of them are
/// reported at once, and before any object-level rule or the identificatie's uniqueness,
/// as Open Zaak does; one alone is returned as itself.
pub fn check_fields(
    current: Option<&BesluitAttributes>,
    attributes: &BesluitAttributes,
    facts: &Facts,
) -> Result<(), BesluitError> {
    let mut problems = Vec::new();
    if let Some(current) = current {
        for (field, same) in [
            (
                "identificatie",
                current.identificatie == attributes.identificatie,
            ),
            (
                "verantwoordelijkeOrganisatie",
                current.verantwoordelijke_organisatie == attributes.verantwoordelijke_organisatie,
            ),
            ("besluittype", current.besluittype == attributes.besluittype),
        ] {
            if !same {
                problems.push(BesluitError::Immutable { field });
            }
        }
    }
    if facts.besluittype.concept {
        problems.push(BesluitError::BesluittypeNotPublished);
    }
    if attributes.datum > facts.today {
        problems.push(BesluitError::DatumInFuture);
    }
    match problems.len() {
        0 => Ok(()),
        1 => Err(problems.remove(0)),
        _ => Err(BesluitError::Several(problems)),
    }
}

/// The rules every version of a besluit keeps: its fields' rules first, then a
/// besluittype that belongs to the zaak's zaaktype (object-level, `zaaktype-mismatch`).
fn check(
    current: Option<&BesluitAttributes>,
    attributes: &BesluitAttributes,
    facts: &Facts,
) -> Result<(), BesluitError> {
    check_fields(current, attributes, facts)?;
    if let Some(zaaktype) = &facts.zaaktype_of_zaak {
        if !facts.besluittype.zaaktypen.contains(zaaktype) {
            return Err(BesluitError::ZaaktypeMismatch);
        }
    }
    Ok(())
}

fn update(
    besluit: &Besluit,
    attributes: BesluitAttributes,
    partial: bool,
    facts: &Facts,
) -> Result<Vec<BesluitEvent>, BesluitError> {
    let current = &besluit.attributes;
    check(Some(current), &attributes, facts)?;
    let changed = changed_fields(current, &attributes);
    Ok(vec![BesluitEvent::BesluitUpdated(BesluitUpdatedV1 {
        attributes,
        partial,
        changed,
    })])
}

/// The ZGW names of the attributes that differ.
fn changed_fields(a: &BesluitAttributes, b: &BesluitAttributes) -> Vec<String> {
    let (a, b) = (
        serde_json::to_value(a).unwrap_or_default(),
        serde_json::to_value(b).unwrap_or_default(),
    );
    let (Some(a), Some(b)) = (a.as_object(), b.as_object()) else {
        return Vec::new();
    };
    a.iter()
        .filter(|(k, v)| b.get(k.as_str()) != Some(v))
        .map(|(k, _)| k.clone())
        .collect()
}

#[cfg(test)]
mod tests;

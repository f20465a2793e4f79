//! The Zaak aggregate: a zaak and everything it owns, in one stream `zaak-{uuid}`.

use chrono::{DateTime, NaiveDate, Utc};
use event_schemas::zaak::{
    StatusAddedV1, ZaakAttributes, ZaakClosedV1, ZaakCreatedV1, ZaakEvent, ZaakUpdatedV1,
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
    /// Statussen in the order they were set; the last is the current one.
    pub statussen: Vec<Status>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Status {
    pub uuid: Uuid,
    pub statustype: String,
    pub datum_status_gezet: DateTime<Utc>,
    pub statustoelichting: String,
}

impl Zaak {
    pub fn is_closed(&self) -> bool {
        self.einddatum.is_some()
    }

    pub fn current_status(&self) -> Option<&Status> {
        self.statussen.last()
    }
}

/// `None` until the zaak is created.
pub type ZaakState = Option<Zaak>;

#[derive(Debug, Clone, PartialEq)]
pub enum ZaakCommand {
    Create {
        uuid: Uuid,
        attributes: ZaakAttributes,
    },
    /// Replace the writable attributes (PUT, or PATCH merged onto the current ones).
    Update {
        attributes: ZaakAttributes,
        /// A PATCH merged onto the current attributes, rather than a PUT.
        partial: bool,
        /// The caller holds zaken.geforceerd-bijwerken.
        may_force: bool,
    },
    AddStatus {
        uuid: Uuid,
        statustype: String,
        datum_status_gezet: DateTime<Utc>,
        statustoelichting: String,
        /// The statustype has the highest volgnummer of the zaaktype (resolved from the
        /// catalogue by the handler).
        is_eindstatus: bool,
        may_force: bool,
    },
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
            (None, ZaakCommand::Create { uuid, attributes }) => {
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
                },
            ) => update(zaak, attributes, partial, may_force),
            (Some(zaak), cmd @ ZaakCommand::AddStatus { .. }) => add_status(zaak, cmd),
        }
    }

    fn evolve(state: ZaakState, event: &ZaakEvent) -> ZaakState {
        match (state, event) {
            (_, ZaakEvent::ZaakCreated(e)) => Some(Zaak {
                uuid: e.uuid,
                attributes: e.attributes.clone(),
                einddatum: None,
                statussen: Vec::new(),
            }),
            (Some(mut z), ZaakEvent::ZaakUpdated(e)) => {
                z.attributes = e.attributes.clone();
                Some(z)
            }
            (Some(mut z), ZaakEvent::StatusAdded(e)) => {
                z.statussen.push(Status {
                    uuid: e.uuid,
                    statustype: e.statustype.clone(),
                    datum_status_gezet: e.datum_status_gezet,
                    statustoelichting: e.statustoelichting.clone(),
                });
                Some(z)
            }
            (Some(mut z), ZaakEvent::ZaakClosed(e)) => {
                z.einddatum = Some(e.einddatum);
                Some(z)
            }
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
        is_eindstatus,
        may_force,
    } = command
    else {
        unreachable!("add_status is only called with AddStatus");
    };
    if zaak.is_closed() && !may_force {
        return Err(ZaakError::Closed);
    }
    let mut events = vec![ZaakEvent::StatusAdded(StatusAddedV1 {
        uuid,
        statustype,
        datum_status_gezet,
        statustoelichting,
    })];
    if is_eindstatus {
        events.push(ZaakEvent::ZaakClosed(ZaakClosedV1 {
            einddatum: datum_status_gezet.date_naive(),
        }));
    }
    Ok(events)
}

#[cfg(test)]
mod tests;

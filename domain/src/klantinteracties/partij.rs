//! The Partij aggregate: a persoon, organisatie or contactpersoon with its
//! partij-identificatoren, digitale adressen, rekeningnummers and the vertegenwoordigingen
//! in which it represents another partij, in one stream `partij-{uuid}`.
//!
//! Every part is in its partij's stream so the rules among siblings (one identificator of
//! each soort, one address value per soort, a vestigingsnummer under the partij's own
//! kvk_nummer, an identificator not removed while it has sub-identificatoren) are decided
//! without a read model. A vertegenwoordiging lives with the vertegenwoordigende partij: the
//! pair is unique there, and the API renders `vertegenwoordigden` from that side.

mod adressen;
mod errors;
mod identificator;
mod parts;

use std::collections::BTreeMap;

use event_schemas::klantinteracties::partij::{
    PartijAttributes, PartijEvent, PartijIdentificatie, PartijIdentificatorAttributes,
    RekeningnummerAttributes,
};
use event_schemas::klantinteracties::{Contactnaam, CreatedV1, DigitaalAdresAttributes};
use uuid::Uuid;

pub use adressen::{check_format, AdresFormatError};
pub use errors::PartijError;
pub use identificator::{claim_key, objecttypen_of, soorten_of, ObjectIdProblem};

use crate::Aggregate;

/// A partij as its events made it (stored as JSON in its read model).
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Partij {
    pub uuid: Uuid,
    pub attributes: PartijAttributes,
    pub identificatoren: BTreeMap<Uuid, PartijIdentificatorAttributes>,
    pub digitale_adressen: BTreeMap<Uuid, DigitaalAdresAttributes>,
    pub rekeningnummers: BTreeMap<Uuid, RekeningnummerAttributes>,
    /// The vertegenwoordigingen (uuid) and the partij each represents.
    pub vertegenwoordigingen: BTreeMap<Uuid, Uuid>,
}

/// `None` until the partij is created, and after its deletion.
pub type PartijState = Option<Partij>;

/// What the handler resolved outside the stream for a create or update.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct PartijFacts {
    /// `werkteVoorPartij` names a partij that is not an organisatie.
    pub werkte_voor_partij_is_geen_organisatie: bool,
}

/// The `partijIdentificatie` fields of every soort, as a client may send them.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct PartijIdentificatieFields {
    pub contactnaam: Option<Contactnaam>,
    pub naam: Option<String>,
    pub werkte_voor_partij: Option<Uuid>,
}

/// The soort's `partijIdentificatie` from the fields a client sent: a persoon keeps its
/// contactnaam, an organisatie its naam, a contactpersoon its contactnaam and
/// werkteVoorPartij; the fields of other soorten are dropped, as Open Klant does.
pub fn partij_identificatie(
    soort: &str,
    f: PartijIdentificatieFields,
) -> Option<PartijIdentificatie> {
    match soort {
        "persoon" => Some(PartijIdentificatie::Persoon {
            contactnaam: f.contactnaam,
        }),
        "organisatie" => Some(PartijIdentificatie::Organisatie {
            naam: f.naam.unwrap_or_default(),
        }),
        "contactpersoon" => Some(PartijIdentificatie::Contactpersoon {
            contactnaam: f.contactnaam,
            werkte_voor_partij: f.werkte_voor_partij,
        }),
        _ => None,
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum PartijCommand {
    /// Create the partij with the identificatoren sent along (all or nothing).
    Create {
        uuid: Uuid,
        attributes: PartijAttributes,
        identificatoren: Vec<(Uuid, PartijIdentificatorAttributes)>,
        facts: PartijFacts,
    },
    /// Replace the writable attributes (PUT, or PATCH merged onto the current ones).
    Update {
        attributes: PartijAttributes,
        partial: bool,
        facts: PartijFacts,
    },
    Delete,
    SetIdentificator {
        uuid: Uuid,
        attributes: PartijIdentificatorAttributes,
    },
    RemoveIdentificator {
        uuid: Uuid,
    },
    SetDigitaalAdres {
        uuid: Uuid,
        attributes: DigitaalAdresAttributes,
    },
    RemoveDigitaalAdres {
        uuid: Uuid,
    },
    SetRekeningnummer {
        uuid: Uuid,
        attributes: RekeningnummerAttributes,
    },
    RemoveRekeningnummer {
        uuid: Uuid,
    },
    AddVertegenwoordiging {
        uuid: Uuid,
        vertegenwoordigde_partij: Uuid,
    },
    RemoveVertegenwoordiging {
        uuid: Uuid,
    },
}

pub struct PartijAggregate;

impl Aggregate for PartijAggregate {
    type State = PartijState;
    type Command = PartijCommand;
    type Event = PartijEvent;
    type Error = PartijError;

    fn decide(
        state: &PartijState,
        command: PartijCommand,
    ) -> Result<Vec<PartijEvent>, PartijError> {
        match (state, command) {
            (Some(_), PartijCommand::Create { .. }) => Err(PartijError::AlreadyExists),
            (
                None,
                PartijCommand::Create {
                    uuid,
                    attributes,
                    identificatoren,
                    facts,
                },
            ) => create(uuid, attributes, identificatoren, facts),
            (None, _) => Err(PartijError::NotFound),
            (Some(p), command) => parts::decide(p, command),
        }
    }

    fn evolve(state: PartijState, event: &PartijEvent) -> PartijState {
        match (state, event) {
            (_, PartijEvent::PartijCreated(e)) => Some(Partij {
                uuid: e.uuid,
                attributes: e.attributes.clone(),
                identificatoren: BTreeMap::new(),
                digitale_adressen: BTreeMap::new(),
                rekeningnummers: BTreeMap::new(),
                vertegenwoordigingen: BTreeMap::new(),
            }),
            (Some(_), PartijEvent::PartijDeleted(_)) | (None, _) => None,
            (Some(p), event) => Some(parts::evolve(p, event)),
        }
    }
}

/// The rules of the partij's own attributes: a contactpersoon works for an organisatie;
/// its voorkeurs digitaal adres and rekeningnummer are its own.
fn check(p: Option<&Partij>, a: &PartijAttributes, facts: PartijFacts) -> Result<(), PartijError> {
    if let PartijIdentificatie::Contactpersoon {
        werkte_voor_partij: Some(_),
        ..
    } = a.partij_identificatie
    {
        if facts.werkte_voor_partij_is_geen_organisatie {
            return Err(PartijError::WerkteVoorPartijGeenOrganisatie);
        }
    }
    let linked = |u: Option<Uuid>, part_of: &dyn Fn(&Partij, Uuid) -> bool| {
        u.is_none_or(|u| p.is_some_and(|p| part_of(p, u)))
    };
    if !linked(a.voorkeurs_digitaal_adres, &|p, u| {
        p.digitale_adressen.contains_key(&u)
    }) {
        return Err(PartijError::VoorkeursDigitaalAdresNotLinked);
    }
    if !linked(a.voorkeurs_rekeningnummer, &|p, u| {
        p.rekeningnummers.contains_key(&u)
    }) {
        return Err(PartijError::VoorkeursRekeningnummerNotLinked);
    }
    Ok(())
}

fn create(
    uuid: Uuid,
    attributes: PartijAttributes,
    identificatoren: Vec<(Uuid, PartijIdentificatorAttributes)>,
    facts: PartijFacts,
) -> Result<Vec<PartijEvent>, PartijError> {
    check(None, &attributes, facts)?;
    let mut events = vec![PartijEvent::PartijCreated(CreatedV1 { uuid, attributes })];
    let mut state = PartijAggregate::fold(&events);
    for (uuid, attributes) in identificatoren {
        let command = PartijCommand::SetIdentificator { uuid, attributes };
        let added = PartijAggregate::decide(&state, command)?;
        state = added.iter().fold(state, PartijAggregate::evolve);
        events.extend(added);
    }
    Ok(events)
}

#[cfg(test)]
mod tests;

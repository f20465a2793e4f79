//! The Klantcontact aggregate: a klantcontact with its betrokkenen, onderwerpobjecten,
//! bijlagen, actorklantcontacten and the digitale adressen its betrokkenen gave without a
//! partij, in one stream `klantcontact-{uuid}`.
//!
//! The actorklantcontacten live here rather than with the actor: a klantcontact has one or
//! two actoren, a medewerker thousands of klantcontacten, and the pair is unique here.

mod errors;

use std::collections::BTreeMap;

use event_schemas::klantinteracties::klantcontact::{
    ActorKlantcontactAttributes, BetrokkeneAttributes, BijlageAttributes, KlantcontactAttributes,
    KlantcontactEvent, OnderwerpobjectAttributes,
};
use event_schemas::klantinteracties::{
    CreatedV1, DeletedV1, DigitaalAdresAttributes, DigitaalAdresSetV1, PartRemovedV1, PartSetV1,
    UpdatedV1,
};
use uuid::Uuid;

pub use errors::KlantcontactError;

use super::changed_fields;
use super::partij::check_format;
use crate::Aggregate;

/// A klantcontact as its events made it.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Klantcontact {
    pub uuid: Uuid,
    pub attributes: KlantcontactAttributes,
    pub betrokkenen: BTreeMap<Uuid, BetrokkeneAttributes>,
    pub onderwerpobjecten: BTreeMap<Uuid, OnderwerpobjectAttributes>,
    pub bijlagen: BTreeMap<Uuid, BijlageAttributes>,
    pub actorklantcontacten: BTreeMap<Uuid, ActorKlantcontactAttributes>,
    pub digitale_adressen: BTreeMap<Uuid, DigitaalAdresAttributes>,
}

/// `None` until the klantcontact is created, and after its deletion.
pub type KlantcontactState = Option<Klantcontact>;

#[derive(Debug, Clone, PartialEq)]
pub enum KlantcontactCommand {
    /// Create the klantcontact, with the betrokkene and onderwerpobject sent along (POST
    /// maak-klantcontact): one decision, all or nothing.
    Create {
        uuid: Uuid,
        attributes: Box<KlantcontactAttributes>,
        betrokkene: Option<(Uuid, BetrokkeneAttributes)>,
        onderwerpobject: Option<(Uuid, OnderwerpobjectAttributes)>,
    },
    /// Replace the writable attributes (PUT, or PATCH merged onto the current ones).
    Update {
        attributes: KlantcontactAttributes,
        partial: bool,
    },
    Delete,
    SetBetrokkene {
        uuid: Uuid,
        attributes: BetrokkeneAttributes,
    },
    /// Removes the betrokkene and the digitale adressen only it gave.
    RemoveBetrokkene {
        uuid: Uuid,
    },
    SetOnderwerpobject {
        uuid: Uuid,
        attributes: OnderwerpobjectAttributes,
    },
    RemoveOnderwerpobject {
        uuid: Uuid,
    },
    SetBijlage {
        uuid: Uuid,
        attributes: BijlageAttributes,
    },
    RemoveBijlage {
        uuid: Uuid,
    },
    SetActorKlantcontact {
        uuid: Uuid,
        attributes: ActorKlantcontactAttributes,
    },
    RemoveActorKlantcontact {
        uuid: Uuid,
    },
    /// A digitaal adres given by one of the betrokkenen, without a partij.
    SetDigitaalAdres {
        uuid: Uuid,
        attributes: DigitaalAdresAttributes,
    },
    RemoveDigitaalAdres {
        uuid: Uuid,
    },
}

pub struct KlantcontactAggregate;

impl Aggregate for KlantcontactAggregate {
    type State = KlantcontactState;
    type Command = KlantcontactCommand;
    type Event = KlantcontactEvent;
    type Error = KlantcontactError;

    fn decide(
        state: &KlantcontactState,
        command: KlantcontactCommand,
    ) -> Result<Vec<KlantcontactEvent>, KlantcontactError> {
        use KlantcontactCommand as C;
        match (state, command) {
            (
                None,
                C::Create {
                    uuid,
                    attributes,
                    betrokkene,
                    onderwerpobject,
                },
            ) => {
                let attributes = *attributes;
                check(&attributes)?;
                let mut events = vec![KlantcontactEvent::KlantcontactCreated(CreatedV1 {
                    uuid,
                    attributes,
                })];
                let parts = betrokkene
                    .map(|(uuid, attributes)| C::SetBetrokkene { uuid, attributes })
                    .into_iter()
                    .chain(
                        onderwerpobject
                            .map(|(uuid, attributes)| C::SetOnderwerpobject { uuid, attributes }),
                    );
                let mut state = Self::fold(&events);
                for part in parts {
                    let added = Self::decide(&state, part)?;
                    state = added.iter().fold(state, Self::evolve);
                    events.extend(added);
                }
                Ok(events)
            }
            (Some(_), C::Create { .. }) => Err(KlantcontactError::AlreadyExists),
            (None, _) => Err(KlantcontactError::NotFound),
            (Some(k), command) => decide_existing(k, command),
        }
    }

    fn evolve(state: KlantcontactState, event: &KlantcontactEvent) -> KlantcontactState {
        use KlantcontactEvent as E;
        let mut k = match (state, event) {
            (_, E::KlantcontactCreated(e)) => {
                return Some(Klantcontact {
                    uuid: e.uuid,
                    attributes: e.attributes.clone(),
                    betrokkenen: BTreeMap::new(),
                    onderwerpobjecten: BTreeMap::new(),
                    bijlagen: BTreeMap::new(),
                    actorklantcontacten: BTreeMap::new(),
                    digitale_adressen: BTreeMap::new(),
                })
            }
            (Some(_), E::KlantcontactDeleted(_)) | (None, _) => return None,
            (Some(k), _) => k,
        };
        match event {
            E::KlantcontactCreated(_) | E::KlantcontactDeleted(_) => {}
            E::KlantcontactUpdated(e) => k.attributes = e.attributes.clone(),
            E::BetrokkeneAdded(e) | E::BetrokkeneUpdated(e) => set(&mut k.betrokkenen, e),
            E::BetrokkeneRemoved(e) => drop(k.betrokkenen.remove(&e.uuid)),
            E::OnderwerpobjectAdded(e) | E::OnderwerpobjectUpdated(e) => {
                set(&mut k.onderwerpobjecten, e)
            }
            E::OnderwerpobjectRemoved(e) => drop(k.onderwerpobjecten.remove(&e.uuid)),
            E::BijlageAdded(e) | E::BijlageUpdated(e) => set(&mut k.bijlagen, e),
            E::BijlageRemoved(e) => drop(k.bijlagen.remove(&e.uuid)),
            E::ActorKlantcontactAdded(e) | E::ActorKlantcontactUpdated(e) => {
                set(&mut k.actorklantcontacten, e)
            }
            E::ActorKlantcontactRemoved(e) => drop(k.actorklantcontacten.remove(&e.uuid)),
            E::DigitaalAdresAdded(e) | E::DigitaalAdresUpdated(e) => {
                k.digitale_adressen.insert(e.uuid, e.attributes.clone());
            }
            E::DigitaalAdresRemoved(e) => drop(k.digitale_adressen.remove(&e.uuid)),
        }
        Some(k)
    }
}

fn set<A: Clone>(parts: &mut BTreeMap<Uuid, A>, e: &PartSetV1<A>) {
    parts.insert(e.uuid, e.attributes.clone());
}

/// Added when new, updated when the uuid is in use.
fn added_or_updated<A>(
    parts: &BTreeMap<Uuid, A>,
    set: PartSetV1<A>,
    added: fn(PartSetV1<A>) -> KlantcontactEvent,
    updated: fn(PartSetV1<A>) -> KlantcontactEvent,
) -> KlantcontactEvent {
    if parts.contains_key(&set.uuid) {
        updated(set)
    } else {
        added(set)
    }
}

fn removed<A>(
    parts: &BTreeMap<Uuid, A>,
    uuid: Uuid,
    event: fn(PartRemovedV1) -> KlantcontactEvent,
) -> Result<KlantcontactEvent, KlantcontactError> {
    parts
        .contains_key(&uuid)
        .then(|| event(PartRemovedV1 { uuid }))
        .ok_or(KlantcontactError::PartNotFound)
}

/// A klantcontact whose contact succeeded needed no further action; metadata values are
/// at most 255 characters.
fn check(a: &KlantcontactAttributes) -> Result<(), KlantcontactError> {
    if a.verdere_actie_ondernomen && a.indicatie_contact_gelukt == Some(true) {
        return Err(KlantcontactError::VerdereActieNaGeslaagdContact);
    }
    match a.metadata.iter().find(|(_, v)| v.chars().count() > 255) {
        Some((key, _)) => Err(KlantcontactError::MetadataTooLong { key: key.clone() }),
        None => Ok(()),
    }
}

fn decide_existing(
    k: &Klantcontact,
    command: KlantcontactCommand,
) -> Result<Vec<KlantcontactEvent>, KlantcontactError> {
    use KlantcontactCommand as C;
    use KlantcontactEvent as E;
    let event = match command {
        C::Create { .. } => return Err(KlantcontactError::AlreadyExists),
        C::Update {
            attributes,
            partial,
        } => {
            check(&attributes)?;
            let changed = changed_fields(&k.attributes, &attributes);
            E::KlantcontactUpdated(UpdatedV1 {
                attributes,
                partial,
                changed,
            })
        }
        C::Delete => E::KlantcontactDeleted(DeletedV1 {}),
        C::SetBetrokkene { uuid, attributes } => added_or_updated(
            &k.betrokkenen,
            PartSetV1 { uuid, attributes },
            E::BetrokkeneAdded,
            E::BetrokkeneUpdated,
        ),
        C::RemoveBetrokkene { uuid } => {
            let mut events: Vec<E> = k
                .digitale_adressen
                .iter()
                .filter(|(_, a)| a.verstrekt_door_betrokkene == Some(uuid))
                .map(|(u, _)| E::DigitaalAdresRemoved(PartRemovedV1 { uuid: *u }))
                .collect();
            events.push(removed(&k.betrokkenen, uuid, E::BetrokkeneRemoved)?);
            return Ok(events);
        }
        C::SetOnderwerpobject { uuid, attributes } => added_or_updated(
            &k.onderwerpobjecten,
            PartSetV1 { uuid, attributes },
            E::OnderwerpobjectAdded,
            E::OnderwerpobjectUpdated,
        ),
        C::RemoveOnderwerpobject { uuid } => {
            removed(&k.onderwerpobjecten, uuid, E::OnderwerpobjectRemoved)?
        }
        C::SetBijlage { uuid, attributes } => added_or_updated(
            &k.bijlagen,
            PartSetV1 { uuid, attributes },
            E::BijlageAdded,
            E::BijlageUpdated,
        ),
        C::RemoveBijlage { uuid } => removed(&k.bijlagen, uuid, E::BijlageRemoved)?,
        C::SetActorKlantcontact { uuid, attributes } => {
            let taken = k
                .actorklantcontacten
                .iter()
                .any(|(u, a)| *u != uuid && a.actor == attributes.actor);
            if taken {
                return Err(KlantcontactError::ActorKlantcontactNotUnique);
            }
            added_or_updated(
                &k.actorklantcontacten,
                PartSetV1 { uuid, attributes },
                E::ActorKlantcontactAdded,
                E::ActorKlantcontactUpdated,
            )
        }
        C::RemoveActorKlantcontact { uuid } => {
            removed(&k.actorklantcontacten, uuid, E::ActorKlantcontactRemoved)?
        }
        C::SetDigitaalAdres { uuid, attributes } => digitaal_adres(k, uuid, attributes)?,
        C::RemoveDigitaalAdres { uuid } => {
            removed(&k.digitale_adressen, uuid, E::DigitaalAdresRemoved)?
        }
    };
    Ok(vec![event])
}

/// A betrokkene's own digitaal adres: given by a betrokkene of this klantcontact, valid for
/// its soort, never a standaard adres (that needs a partij).
fn digitaal_adres(
    k: &Klantcontact,
    uuid: Uuid,
    attributes: DigitaalAdresAttributes,
) -> Result<KlantcontactEvent, KlantcontactError> {
    let given_here = attributes
        .verstrekt_door_betrokkene
        .is_some_and(|b| k.betrokkenen.contains_key(&b));
    if !given_here {
        return Err(KlantcontactError::BetrokkeneNotHere);
    }
    if attributes.is_standaard_adres {
        return Err(KlantcontactError::StandaardAdresZonderPartij);
    }
    check_format(attributes.soort_digitaal_adres, &attributes.adres)
        .map_err(KlantcontactError::AdresFormat)?;
    let set = DigitaalAdresSetV1 {
        uuid,
        attributes,
        niet_langer_standaard: Vec::new(),
    };
    Ok(match k.digitale_adressen.contains_key(&uuid) {
        true => KlantcontactEvent::DigitaalAdresUpdated(set),
        false => KlantcontactEvent::DigitaalAdresAdded(set),
    })
}

#[cfg(test)]
mod tests;

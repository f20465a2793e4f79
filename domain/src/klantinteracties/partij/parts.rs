//! Decide and evolve of an existing partij: its attributes and its parts.

use event_schemas::klantinteracties::partij::{PartijEvent, VertegenwoordigingAddedV1};
use event_schemas::klantinteracties::{
    DeletedV1, DigitaalAdresSetV1, PartRemovedV1, PartSetV1, UpdatedV1,
};

use super::{adressen, check, identificator, Partij, PartijCommand, PartijError};
use crate::klantinteracties::changed_fields;

pub(super) fn decide(p: &Partij, command: PartijCommand) -> Result<Vec<PartijEvent>, PartijError> {
    use PartijCommand as C;
    use PartijEvent as E;
    let event = match command {
        C::Create { .. } => return Err(PartijError::AlreadyExists),
        C::Update {
            attributes,
            partial,
            facts,
        } => {
            check(Some(p), &attributes, facts)?;
            let changed = changed_fields(&p.attributes, &attributes);
            E::PartijUpdated(UpdatedV1 {
                attributes,
                partial,
                changed,
            })
        }
        C::Delete => E::PartijDeleted(DeletedV1 {}),
        C::SetIdentificator { uuid, attributes } => {
            identificator::check_groep(&attributes.partij_identificator)?;
            identificator::check_among(&p.identificatoren, uuid, &attributes)?;
            let set = PartSetV1 { uuid, attributes };
            match p.identificatoren.contains_key(&uuid) {
                true => E::PartijIdentificatorUpdated(set),
                false => E::PartijIdentificatorAdded(set),
            }
        }
        C::RemoveIdentificator { uuid } => {
            exists(p.identificatoren.contains_key(&uuid))?;
            if identificator::has_children(&p.identificatoren, uuid) {
                return Err(PartijError::IdentificatorHasChildren);
            }
            E::PartijIdentificatorRemoved(PartRemovedV1 { uuid })
        }
        C::SetDigitaalAdres { uuid, attributes } => {
            adressen::check_digitaal_adres(&p.digitale_adressen, uuid, &attributes)?;
            let set = DigitaalAdresSetV1 {
                uuid,
                niet_langer_standaard: adressen::replaced_standaard(
                    &p.digitale_adressen,
                    uuid,
                    &attributes,
                ),
                attributes,
            };
            match p.digitale_adressen.contains_key(&uuid) {
                true => E::DigitaalAdresUpdated(set),
                false => E::DigitaalAdresAdded(set),
            }
        }
        C::RemoveDigitaalAdres { uuid } => {
            exists(p.digitale_adressen.contains_key(&uuid))?;
            E::DigitaalAdresRemoved(PartRemovedV1 { uuid })
        }
        C::SetRekeningnummer { uuid, attributes } => {
            adressen::check_rekeningnummer(&attributes)?;
            let set = PartSetV1 { uuid, attributes };
            match p.rekeningnummers.contains_key(&uuid) {
                true => E::RekeningnummerUpdated(set),
                false => E::RekeningnummerAdded(set),
            }
        }
        C::RemoveRekeningnummer { uuid } => {
            exists(p.rekeningnummers.contains_key(&uuid))?;
            E::RekeningnummerRemoved(PartRemovedV1 { uuid })
        }
        C::AddVertegenwoordiging {
            uuid,
            vertegenwoordigde_partij,
        } => {
            if vertegenwoordigde_partij == p.uuid {
                return Err(PartijError::VertegenwoordigtZichzelf);
            }
            if p.vertegenwoordigingen
                .values()
                .any(|v| *v == vertegenwoordigde_partij)
            {
                return Err(PartijError::VertegenwoordigingNotUnique);
            }
            E::VertegenwoordigingAdded(VertegenwoordigingAddedV1 {
                uuid,
                vertegenwoordigde_partij,
            })
        }
        C::RemoveVertegenwoordiging { uuid } => {
            exists(p.vertegenwoordigingen.contains_key(&uuid))?;
            E::VertegenwoordigingRemoved(PartRemovedV1 { uuid })
        }
    };
    Ok(vec![event])
}

fn exists(found: bool) -> Result<(), PartijError> {
    found.then_some(()).ok_or(PartijError::PartNotFound)
}

pub(super) fn evolve(mut p: Partij, event: &PartijEvent) -> Partij {
    use PartijEvent as E;
    match event {
        E::PartijCreated(_) | E::PartijDeleted(_) => {}
        E::PartijUpdated(e) => p.attributes = e.attributes.clone(),
        E::PartijIdentificatorAdded(e) | E::PartijIdentificatorUpdated(e) => {
            p.identificatoren.insert(e.uuid, e.attributes.clone());
        }
        E::PartijIdentificatorRemoved(e) => {
            p.identificatoren.remove(&e.uuid);
        }
        E::DigitaalAdresAdded(e) | E::DigitaalAdresUpdated(e) => {
            for other in &e.niet_langer_standaard {
                if let Some(a) = p.digitale_adressen.get_mut(other) {
                    a.is_standaard_adres = false;
                }
            }
            p.digitale_adressen.insert(e.uuid, e.attributes.clone());
        }
        E::DigitaalAdresRemoved(e) => {
            p.digitale_adressen.remove(&e.uuid);
            if p.attributes.voorkeurs_digitaal_adres == Some(e.uuid) {
                p.attributes.voorkeurs_digitaal_adres = None;
            }
        }
        E::RekeningnummerAdded(e) | E::RekeningnummerUpdated(e) => {
            p.rekeningnummers.insert(e.uuid, e.attributes.clone());
        }
        E::RekeningnummerRemoved(e) => {
            p.rekeningnummers.remove(&e.uuid);
            if p.attributes.voorkeurs_rekeningnummer == Some(e.uuid) {
                p.attributes.voorkeurs_rekeningnummer = None;
            }
        }
        E::VertegenwoordigingAdded(e) => {
            p.vertegenwoordigingen
                .insert(e.uuid, e.vertegenwoordigde_partij);
        }
        E::VertegenwoordigingRemoved(e) => {
            p.vertegenwoordigingen.remove(&e.uuid);
        }
    }
    p
}

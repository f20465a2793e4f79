//! One seeded partij: a persoon identified by a BSN, decided by the domain as `POST
//! /partijen` decides it, some with digitale adressen and a rekeningnummer, plus the claim
//! of its BSN identificator that the API appends (so a later POST of the same BSN is
//! refused). Partij `i` has the BSN of the first rol of zaak `i` that no earlier partij has
//! (a fresh one when there is none), so the citizen picture finds zaken too.

use std::collections::HashSet;

use domain::klantinteracties::partij::{claim_key, PartijAggregate, PartijCommand};
use event_schemas::claim::{ClaimEvent, ClaimedV1};
use event_schemas::klantinteracties::partij::{
    CodeObjecttype, CodeRegister, CodeSoortObjectId, PartijAttributes, PartijEvent,
    PartijIdentificatie, PartijIdentificatorAttributes, PartijIdentificatorGroep,
    RekeningnummerAttributes,
};
use event_schemas::klantinteracties::{Contactnaam, DigitaalAdresAttributes, SoortDigitaalAdres};
use event_schemas::{stream_name, VersionedEvent};
use event_store::postgres::StreamAppend;
use event_store::ExpectedVersion;
use uuid::Uuid;

use super::rng::{ymd, Rng};
use super::{zaak, SeedError};

/// The uuid of partij `index`: the same in every run with the same seed.
pub fn uuid(seed: u64, index: u64) -> Uuid {
    Rng::new(seed, 10, index).uuid()
}

pub fn stream(seed: u64, index: u64) -> String {
    stream_name(PartijEvent::CATEGORY, uuid(seed, index))
}

/// What every partij of one run shares: the BSN of each.
pub struct Plan<'a> {
    seed: u64,
    tenant: &'a str,
    bsns: Vec<String>,
}

impl<'a> Plan<'a> {
    /// The BSNs of `partijen` partijen, unique, from the rollen of the first `zaken` zaken
    /// (so they depend on `--seed` and `--zaken`).
    pub fn new(zaken: &zaak::Plan<'a>, zaken_count: u64, partijen: u64) -> Result<Self, SeedError> {
        let mut taken = HashSet::with_capacity(partijen as usize);
        let mut bsns = Vec::with_capacity(partijen as usize);
        for i in 0..partijen {
            let of_zaak = match i < zaken_count {
                true => zaak::rol_bsns(zaken, i)?,
                false => Vec::new(),
            };
            let mut fresh = Rng::new(zaken.seed, 11, i);
            let bsn = of_zaak
                .into_iter()
                .find(|b| !taken.contains(b))
                .unwrap_or_else(|| loop {
                    let b = fresh.bsn();
                    if !taken.contains(&b) {
                        break b;
                    }
                });
            taken.insert(bsn.clone());
            bsns.push(bsn);
        }
        Ok(Self {
            seed: zaken.seed,
            tenant: zaken.tenant,
            bsns,
        })
    }

    /// Partij `index`'s stream and its identificator's claim, ready to append.
    pub fn generate(&self, index: u64) -> Result<Vec<StreamAppend>, SeedError> {
        let mut rng = Rng::new(self.seed, 12, index);
        let uuid = uuid(self.seed, index);
        let at = rng.office_hours(ymd(2019, 1, 1), ymd(2026, 6, 30));
        let (achternaam, voornaam) = *rng.pick(zaak::NAMEN);
        let identificator = PartijIdentificatorAttributes {
            andere_partij_identificator: String::new(),
            partij_identificator: PartijIdentificatorGroep {
                code_objecttype: CodeObjecttype::NatuurlijkPersoon,
                code_soort_object_id: CodeSoortObjectId::Bsn,
                object_id: self.bsns[index as usize].clone(),
                code_register: CodeRegister::Brp,
            },
            sub_identificator_van: None,
        };
        let mut commands = vec![PartijCommand::Create {
            uuid,
            attributes: persoon(voornaam, achternaam),
            identificatoren: vec![(rng.uuid(), identificator.clone())],
            facts: Default::default(),
        }];
        if rng.percent(70) {
            let local: String = format!("{voornaam}.{achternaam}")
                .to_lowercase()
                .replace(' ', "");
            let adres = format!("{local}{}@example.nl", index + 1);
            commands.push(adres_command(&mut rng, SoortDigitaalAdres::Email, adres));
        }
        if rng.percent(40) {
            let adres = format!("06{:08}", rng.below(100_000_000));
            commands.push(adres_command(
                &mut rng,
                SoortDigitaalAdres::Telefoonnummer,
                adres,
            ));
        }
        if rng.percent(50) {
            commands.push(PartijCommand::SetRekeningnummer {
                uuid: rng.uuid(),
                attributes: RekeningnummerAttributes {
                    iban: iban(&mut rng),
                    bic: "ABNANL2A".into(),
                },
            });
        }
        let events = super::decided::<PartijAggregate>("partij", commands)?;
        let owner = stream_name(PartijEvent::CATEGORY, uuid);
        let claimed = ClaimEvent::Claimed(ClaimedV1 {
            key: claim_key(&identificator),
            owner: owner.clone(),
        });
        Ok(vec![
            StreamAppend {
                stream: ClaimEvent::stream(&claim_key(&identificator)),
                expected: ExpectedVersion::NoStream,
                events: vec![super::envelope(&mut rng, self.tenant, at, &claimed)],
            },
            StreamAppend {
                stream: owner,
                expected: ExpectedVersion::NoStream,
                events: events
                    .iter()
                    .map(|e| super::envelope(&mut rng, self.tenant, at, e))
                    .collect(),
            },
        ])
    }
}

fn persoon(voornaam: &str, achternaam: &str) -> PartijAttributes {
    PartijAttributes {
        nummer: None,
        interne_notitie: String::new(),
        voorkeurs_digitaal_adres: None,
        voorkeurs_rekeningnummer: None,
        partij_identificatie: PartijIdentificatie::Persoon {
            contactnaam: Some(Contactnaam {
                voorletters: voornaam[..1].into(),
                voornaam: voornaam.into(),
                voorvoegsel_achternaam: String::new(),
                achternaam: achternaam.into(),
            }),
        },
        indicatie_geheimhouding: Some(false),
        voorkeurstaal: "nld".into(),
        indicatie_actief: true,
        bezoekadres: None,
        correspondentieadres: None,
    }
}

fn adres_command(rng: &mut Rng, soort: SoortDigitaalAdres, adres: String) -> PartijCommand {
    PartijCommand::SetDigitaalAdres {
        uuid: rng.uuid(),
        attributes: DigitaalAdresAttributes {
            verstrekt_door_betrokkene: None,
            adres,
            soort_digitaal_adres: soort,
            is_standaard_adres: true,
            omschrijving: String::new(),
            referentie: String::new(),
            verificatie_datum: None,
        },
    }
}

/// A Dutch IBAN with valid check digits (ISO 13616 mod 97).
fn iban(rng: &mut Rng) -> String {
    let bban = format!("ABNA{:010}", rng.below(10_000_000_000));
    format!("NL{:02}{bban}", 98 - mod97(&format!("{bban}NL00")))
}

/// The letters and digits of `s` as one number (A = 10 … Z = 35), modulo 97.
fn mod97(s: &str) -> u64 {
    s.chars()
        .filter_map(|c| c.to_digit(36))
        .fold(0, |r, d| match d {
            0..=9 => (r * 10 + u64::from(d)) % 97,
            _ => (r * 100 + u64::from(d)) % 97,
        })
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_seeded_iban_has_valid_check_digits() {
        assert_eq!(super::mod97("ABNA0417164300NL91"), 1, "a published example");
        let mut rng = super::Rng::new(1, 2, 3);
        for _ in 0..100 {
            let iban = super::iban(&mut rng);
            let moved = format!("{}{}", &iban[4..], &iban[..4]);
            assert_eq!(super::mod97(&moved), 1, "{iban}");
        }
    }
}

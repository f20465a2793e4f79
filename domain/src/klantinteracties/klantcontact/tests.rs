//! Given / when / then, one business rule per test.

use chrono::{TimeZone, Utc};
use event_schemas::klantinteracties::klantcontact::Rol;
use event_schemas::klantinteracties::SoortDigitaalAdres;
use event_schemas::VersionedEvent;

use super::*;
use crate::klantinteracties::InvalidParam;

const KLANTCONTACT: Uuid = Uuid::from_u128(1);
const BETROKKENE: Uuid = Uuid::from_u128(2);
const ONDERWERP: Uuid = Uuid::from_u128(3);

fn attributes() -> KlantcontactAttributes {
    KlantcontactAttributes {
        nummer: None,
        referentienummer: None,
        kanaal: "telefoon".into(),
        onderwerp: "Afvalpas".into(),
        inhoud: String::new(),
        reactie: String::new(),
        indicatie_contact_gelukt: Some(true),
        hoofd_onderwerp_type: String::new(),
        verdere_actie_ondernomen: false,
        taal: "nld".into(),
        vertrouwelijk: false,
        plaatsgevonden_op: Utc.with_ymd_and_hms(2026, 3, 4, 10, 0, 0).unwrap(),
        metadata: BTreeMap::new(),
    }
}

fn betrokkene() -> BetrokkeneAttributes {
    BetrokkeneAttributes {
        was_partij: Some(Uuid::from_u128(9)),
        bezoekadres: None,
        correspondentieadres: None,
        contactnaam: None,
        rol: Rol::Klant,
        organisatienaam: String::new(),
        initiator: true,
    }
}

fn onderwerpobject() -> OnderwerpobjectAttributes {
    OnderwerpobjectAttributes {
        was_klantcontact: None,
        onderwerpobjectidentificator: None,
    }
}

fn maak(attributes: KlantcontactAttributes) -> Result<Vec<KlantcontactEvent>, KlantcontactError> {
    KlantcontactAggregate::decide(
        &None,
        KlantcontactCommand::Create {
            uuid: KLANTCONTACT,
            attributes: Box::new(attributes),
            betrokkene: Some((BETROKKENE, betrokkene())),
            onderwerpobject: Some((ONDERWERP, onderwerpobject())),
        },
    )
}

fn given() -> KlantcontactState {
    KlantcontactAggregate::fold(&maak(attributes()).unwrap())
}

fn when(
    state: &KlantcontactState,
    command: KlantcontactCommand,
) -> Result<Vec<KlantcontactEvent>, KlantcontactError> {
    KlantcontactAggregate::decide(state, command)
}

fn adres(betrokkene: Uuid, standaard: bool) -> KlantcontactCommand {
    KlantcontactCommand::SetDigitaalAdres {
        uuid: Uuid::from_u128(20),
        attributes: DigitaalAdresAttributes {
            verstrekt_door_betrokkene: Some(betrokkene),
            adres: "burger@example.nl".into(),
            soort_digitaal_adres: SoortDigitaalAdres::Email,
            is_standaard_adres: standaard,
            omschrijving: String::new(),
            referentie: String::new(),
            verificatie_datum: None,
        },
    }
}

#[test]
fn maak_klantcontact_stores_the_klantcontact_its_betrokkene_and_onderwerpobject_in_one_decision() {
    let events = maak(attributes()).unwrap();
    let types: Vec<_> = events.iter().map(|e| e.event_type()).collect();
    assert_eq!(
        types,
        [
            "KlantcontactCreated",
            "BetrokkeneAdded",
            "OnderwerpobjectAdded"
        ]
    );
    let k = KlantcontactAggregate::fold(&events).unwrap();
    assert!(k.betrokkenen.contains_key(&BETROKKENE));
    assert!(k.onderwerpobjecten.contains_key(&ONDERWERP));
}

#[test]
fn maak_klantcontact_stores_nothing_when_the_klantcontact_is_refused() {
    let mut bad = attributes();
    bad.verdere_actie_ondernomen = true;
    let refused = maak(bad).unwrap_err();
    assert_eq!(refused, KlantcontactError::VerdereActieNaGeslaagdContact);
    assert_eq!(refused.code(), "no-further-action-when-contact-succesful");
}

#[test]
fn a_successful_contact_needs_no_further_action() {
    let mut a = attributes();
    a.verdere_actie_ondernomen = true;
    a.indicatie_contact_gelukt = Some(false);
    let update = KlantcontactCommand::Update {
        attributes: a.clone(),
        partial: false,
    };
    assert!(when(&given(), update).is_ok());
    a.indicatie_contact_gelukt = Some(true);
    let update = KlantcontactCommand::Update {
        attributes: a,
        partial: false,
    };
    assert_eq!(
        when(&given(), update).unwrap_err().field(),
        "nonFieldErrors"
    );
}

#[test]
fn a_metadata_value_is_at_most_255_characters() {
    let mut a = attributes();
    a.metadata.insert("bron".into(), "x".repeat(256));
    let refused = maak(a).unwrap_err();
    assert_eq!(refused.field(), "metadata");
    assert_eq!(
        refused.to_string(),
        "Value van key 'bron' mag maximaal 255 tekens bevatten."
    );
}

#[test]
fn an_actor_is_linked_to_a_klantcontact_once() {
    let link = |uuid: u128| KlantcontactCommand::SetActorKlantcontact {
        uuid: Uuid::from_u128(uuid),
        attributes: ActorKlantcontactAttributes {
            actor: Uuid::from_u128(50),
        },
    };
    let state = given();
    let state = when(&state, link(10))
        .unwrap()
        .iter()
        .fold(state, KlantcontactAggregate::evolve);
    let refused = when(&state, link(11)).unwrap_err();
    assert_eq!(
        (refused.field(), refused.code()),
        ("nonFieldErrors", "unique")
    );
    assert!(when(&state, link(10)).is_ok());
}

#[test]
fn a_betrokkene_without_partij_gives_no_standaard_adres() {
    let refused = when(&given(), adres(BETROKKENE, true)).unwrap_err();
    assert_eq!(refused.field(), "isStandaardAdres");
    assert!(when(&given(), adres(BETROKKENE, false)).is_ok());
}

#[test]
fn a_digitaal_adres_here_is_given_by_a_betrokkene_of_this_klantcontact() {
    let refused = when(&given(), adres(Uuid::from_u128(77), false)).unwrap_err();
    assert_eq!(refused, KlantcontactError::BetrokkeneNotHere);
}

#[test]
fn removing_a_betrokkene_removes_the_addresses_only_it_gave() {
    let state = given();
    let state = when(&state, adres(BETROKKENE, false))
        .unwrap()
        .iter()
        .fold(state, KlantcontactAggregate::evolve);
    let events = when(
        &state,
        KlantcontactCommand::RemoveBetrokkene { uuid: BETROKKENE },
    )
    .unwrap();
    let types: Vec<_> = events.iter().map(|e| e.event_type()).collect();
    assert_eq!(
        types,
        ["BetrokkeneDigitaalAdresRemoved", "BetrokkeneRemoved"]
    );
}

#[test]
fn removing_a_part_that_is_not_there_is_refused() {
    let refused = when(
        &given(),
        KlantcontactCommand::RemoveBijlage {
            uuid: Uuid::from_u128(5),
        },
    );
    assert_eq!(refused.unwrap_err(), KlantcontactError::PartNotFound);
}

#[test]
fn a_deleted_klantcontact_and_its_parts_are_gone() {
    let state = given();
    let events = when(&state, KlantcontactCommand::Delete).unwrap();
    assert_eq!(events[0].event_type(), "KlantcontactDeleted");
    let state = events.iter().fold(state, KlantcontactAggregate::evolve);
    assert!(state.is_none());
    assert_eq!(
        when(&state, KlantcontactCommand::Delete).unwrap_err(),
        KlantcontactError::NotFound
    );
}

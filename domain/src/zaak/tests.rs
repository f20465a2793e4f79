//! Given / when / then, one business rule per test.

use chrono::TimeZone;
use event_schemas::zaak::{Archiefstatus, Vertrouwelijkheidaanduiding};

use super::*;

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

pub(super) fn attributes() -> ZaakAttributes {
    ZaakAttributes {
        identificatie: "ZAAK-2026-0000000001".into(),
        bronorganisatie: "517439943".into(),
        omschrijving: "Aanvraag parkeervergunning".into(),
        toelichting: String::new(),
        zaaktype: "http://localhost/catalogi/api/v1/zaaktypen/1".into(),
        registratiedatum: date(2026, 11, 1),
        verantwoordelijke_organisatie: "517439943".into(),
        startdatum: date(2026, 11, 1),
        einddatum_gepland: None,
        uiterlijke_einddatum_afdoening: None,
        publicatiedatum: None,
        communicatiekanaal: String::new(),
        producten_of_diensten: Vec::new(),
        vertrouwelijkheidaanduiding: Vertrouwelijkheidaanduiding::Openbaar,
        betalingsindicatie: None,
        laatste_betaaldatum: None,
        zaakgeometrie: None,
        verlenging: None,
        opschorting: None,
        selectielijstklasse: String::new(),
        hoofdzaak: None,
        relevante_andere_zaken: Vec::new(),
        kenmerken: Vec::new(),
        archiefnominatie: None,
        archiefstatus: Archiefstatus::NogTeArchiveren,
        archiefactiedatum: None,
        opdrachtgevende_organisatie: String::new(),
        processobjectaard: None,
        startdatum_bewaartermijn: None,
        processobject: None,
    }
}

fn given(events: &[ZaakEvent]) -> ZaakState {
    ZaakAggregate::fold(events)
}

fn created() -> ZaakEvent {
    ZaakEvent::ZaakCreated(ZaakCreatedV1 {
        uuid: Uuid::nil(),
        attributes: attributes(),
    })
}

fn add_status(is_eindstatus: bool, may_force: bool) -> ZaakCommand {
    ZaakCommand::AddStatus {
        uuid: Uuid::from_u128(7),
        statustype: "http://localhost/catalogi/api/v1/statustypen/1".into(),
        datum_status_gezet: Utc.with_ymd_and_hms(2026, 11, 20, 10, 0, 0).unwrap(),
        statustoelichting: String::new(),
        is_eindstatus,
        may_force,
    }
}

fn closed() -> Vec<ZaakEvent> {
    let mut events = vec![created()];
    events.extend(ZaakAggregate::decide(&given(&events), add_status(true, false)).unwrap());
    events
}

#[test]
fn a_new_zaak_is_created_with_its_attributes() {
    let cmd = ZaakCommand::Create {
        uuid: Uuid::nil(),
        attributes: attributes(),
    };
    let events = ZaakAggregate::decide(&None, cmd).unwrap();
    assert_eq!(events, vec![created()]);
    let zaak = given(&events).unwrap();
    assert_eq!(zaak.attributes, attributes());
    assert!(!zaak.is_closed());
}

#[test]
fn a_zaak_cannot_be_created_twice() {
    let cmd = ZaakCommand::Create {
        uuid: Uuid::nil(),
        attributes: attributes(),
    };
    assert_eq!(
        ZaakAggregate::decide(&given(&[created()]), cmd),
        Err(ZaakError::AlreadyExists)
    );
}

#[test]
fn updating_a_zaak_that_does_not_exist_is_refused() {
    let cmd = ZaakCommand::Update {
        partial: true,
        attributes: attributes(),
        may_force: false,
    };
    assert_eq!(ZaakAggregate::decide(&None, cmd), Err(ZaakError::NotFound));
}

#[test]
fn a_partial_update_records_the_new_attributes_and_names_what_changed() {
    let mut new = attributes();
    new.omschrijving = "Gewijzigd".into();
    new.einddatum_gepland = Some(date(2026, 12, 31));
    let cmd = ZaakCommand::Update {
        partial: true,
        attributes: new.clone(),
        may_force: false,
    };
    let events = ZaakAggregate::decide(&given(&[created()]), cmd).unwrap();
    let [ZaakEvent::ZaakUpdated(e)] = events.as_slice() else {
        panic!("{events:?}")
    };
    assert_eq!(e.changed, vec!["einddatumGepland", "omschrijving"]);
    let mut all = vec![created()];
    all.extend(events);
    assert_eq!(given(&all).unwrap().attributes, new);
}

#[test]
fn an_update_that_changes_nothing_records_nothing() {
    let cmd = ZaakCommand::Update {
        partial: true,
        attributes: attributes(),
        may_force: false,
    };
    assert_eq!(
        ZaakAggregate::decide(&given(&[created()]), cmd),
        Ok(Vec::new())
    );
}

#[test]
fn identificatie_and_bronorganisatie_never_change() {
    let mut new = attributes();
    new.identificatie = "ANDERS".into();
    let cmd = ZaakCommand::Update {
        partial: true,
        attributes: new,
        may_force: true,
    };
    assert_eq!(
        ZaakAggregate::decide(&given(&[created()]), cmd),
        Err(ZaakError::IdentityChanged)
    );
}

#[test]
fn a_status_becomes_the_current_status() {
    let events = ZaakAggregate::decide(&given(&[created()]), add_status(false, false)).unwrap();
    assert_eq!(events.len(), 1);
    let mut all = vec![created()];
    all.extend(events);
    let zaak = given(&all).unwrap();
    assert_eq!(zaak.current_status().unwrap().uuid, Uuid::from_u128(7));
    assert!(!zaak.is_closed());
}

#[test]
fn the_eindstatus_closes_the_zaak_on_the_date_it_was_set() {
    let zaak = given(&closed()).unwrap();
    assert_eq!(zaak.einddatum, Some(date(2026, 11, 20)));
}

#[test]
fn a_closed_zaak_rejects_an_update_without_forced_update() {
    let mut new = attributes();
    new.omschrijving = "Te laat".into();
    let cmd = ZaakCommand::Update {
        partial: true,
        attributes: new.clone(),
        may_force: false,
    };
    assert_eq!(
        ZaakAggregate::decide(&given(&closed()), cmd),
        Err(ZaakError::Closed)
    );
    let forced = ZaakCommand::Update {
        partial: true,
        attributes: new,
        may_force: true,
    };
    assert_eq!(
        ZaakAggregate::decide(&given(&closed()), forced)
            .unwrap()
            .len(),
        1
    );
}

#[test]
fn a_closed_zaak_rejects_a_new_status_without_forced_update() {
    assert_eq!(
        ZaakAggregate::decide(&given(&closed()), add_status(false, false)),
        Err(ZaakError::Closed)
    );
    assert!(ZaakAggregate::decide(&given(&closed()), add_status(false, true)).is_ok());
}

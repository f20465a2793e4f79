//! Given / when / then, one business rule per test.

use event_schemas::besluit::Vervalreden;

use super::*;

const ZAAKTYPE: &str = "http://localhost/catalogi/api/v1/zaaktypen/1";
const IOTYPE: &str = "http://localhost/catalogi/api/v1/informatieobjecttypen/1";
const DOCUMENT: &str = "http://localhost/documenten/api/v1/enkelvoudiginformatieobjecten/1";

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn attributes() -> BesluitAttributes {
    BesluitAttributes {
        identificatie: "BESLUIT-2026-0000000001".into(),
        verantwoordelijke_organisatie: "517439943".into(),
        besluittype: "http://localhost/catalogi/api/v1/besluittypen/1".into(),
        zaak: Some("http://localhost/zaken/api/v1/zaken/1".into()),
        datum: date(2026, 11, 1),
        toelichting: String::new(),
        bestuursorgaan: String::new(),
        ingangsdatum: date(2026, 11, 2),
        vervaldatum: None,
        vervalreden: None,
        publicatiedatum: None,
        verzenddatum: None,
        uiterlijke_reactiedatum: None,
    }
}

fn facts() -> Facts {
    Facts {
        today: date(2026, 12, 2),
        besluittype: Besluittype {
            concept: false,
            zaaktypen: vec![ZAAKTYPE.into()],
        },
        zaaktype_of_zaak: Some(ZAAKTYPE.into()),
    }
}

fn created() -> BesluitState {
    let events = BesluitAggregate::decide(
        &None,
        BesluitCommand::Create {
            uuid: Uuid::nil(),
            attributes: attributes(),
            facts: facts(),
        },
    )
    .unwrap();
    BesluitAggregate::fold(&events)
}

fn update(
    state: &BesluitState,
    attributes: BesluitAttributes,
) -> Result<Vec<BesluitEvent>, BesluitError> {
    BesluitAggregate::decide(
        state,
        BesluitCommand::Update {
            attributes,
            partial: false,
            facts: facts(),
        },
    )
}

fn add_document(state: &BesluitState, iotype: &str) -> Result<Vec<BesluitEvent>, BesluitError> {
    BesluitAggregate::decide(
        state,
        BesluitCommand::AddInformatieobject {
            uuid: Uuid::new_v4(),
            informatieobject: DOCUMENT.into(),
            informatieobjecttype: iotype.into(),
            allowed_informatieobjecttypen: vec![IOTYPE.into()],
        },
    )
}

#[test]
fn a_besluit_with_a_published_besluittype_of_its_zaaks_zaaktype_is_created() {
    let state = created().unwrap();
    assert_eq!(state.attributes, attributes());
}

#[test]
fn a_concept_besluittype_is_refused() {
    let mut f = facts();
    f.besluittype.concept = true;
    let err = BesluitAggregate::decide(
        &None,
        BesluitCommand::Create {
            uuid: Uuid::nil(),
            attributes: attributes(),
            facts: f,
        },
    )
    .unwrap_err();
    assert_eq!(err, BesluitError::BesluittypeNotPublished);
}

#[test]
fn a_besluittype_not_among_the_zaaks_zaaktype_besluittypen_is_a_zaaktype_mismatch() {
    let mut f = facts();
    f.zaaktype_of_zaak = Some("http://localhost/catalogi/api/v1/zaaktypen/2".into());
    let err = BesluitAggregate::decide(
        &None,
        BesluitCommand::Create {
            uuid: Uuid::nil(),
            attributes: attributes(),
            facts: f,
        },
    )
    .unwrap_err();
    assert_eq!(err, BesluitError::ZaaktypeMismatch);
}

#[test]
fn a_besluit_without_zaak_needs_no_zaaktype_relation() {
    let mut f = facts();
    f.besluittype.zaaktypen.clear();
    f.zaaktype_of_zaak = None;
    let mut a = attributes();
    a.zaak = None;
    assert!(BesluitAggregate::decide(
        &None,
        BesluitCommand::Create {
            uuid: Uuid::nil(),
            attributes: a,
            facts: f,
        },
    )
    .is_ok());
}

#[test]
fn a_beslisdatum_in_the_future_is_refused() {
    let mut a = attributes();
    a.datum = date(2026, 12, 3);
    assert_eq!(create(a, facts()), Err(BesluitError::DatumInFuture));
}

fn create(attributes: BesluitAttributes, facts: Facts) -> Result<Vec<BesluitEvent>, BesluitError> {
    BesluitAggregate::decide(
        &None,
        BesluitCommand::Create {
            uuid: Uuid::nil(),
            attributes,
            facts,
        },
    )
}

#[test]
fn every_failing_field_rule_is_reported_before_the_zaaktype_mismatch() {
    let mut f = facts();
    f.besluittype.concept = true;
    f.zaaktype_of_zaak = Some("http://localhost/catalogi/api/v1/zaaktypen/2".into());
    let mut a = attributes();
    a.datum = date(2026, 12, 3);
    assert_eq!(
        create(a.clone(), f),
        Err(BesluitError::Several(vec![
            BesluitError::BesluittypeNotPublished,
            BesluitError::DatumInFuture
        ]))
    );
    let mut changed = a;
    changed.identificatie = "ANDERS".into();
    changed.verantwoordelijke_organisatie = "111222333".into();
    assert_eq!(
        check_fields(Some(&attributes()), &changed, &facts()),
        Err(BesluitError::Several(vec![
            BesluitError::Immutable {
                field: "identificatie"
            },
            BesluitError::Immutable {
                field: "verantwoordelijkeOrganisatie"
            },
            BesluitError::DatumInFuture
        ]))
    );
}

#[test]
fn identificatie_verantwoordelijke_organisatie_and_besluittype_do_not_change() {
    let state = created();
    let mut a = attributes();
    a.identificatie = "ANDERS".into();
    assert_eq!(
        update(&state, a).unwrap_err(),
        BesluitError::Immutable {
            field: "identificatie"
        }
    );
    let mut a = attributes();
    a.verantwoordelijke_organisatie = "111222333".into();
    assert!(matches!(
        update(&state, a).unwrap_err(),
        BesluitError::Immutable {
            field: "verantwoordelijkeOrganisatie"
        }
    ));
    let mut a = attributes();
    a.besluittype = "http://localhost/catalogi/api/v1/besluittypen/2".into();
    assert!(matches!(
        update(&state, a).unwrap_err(),
        BesluitError::Immutable {
            field: "besluittype"
        }
    ));
}

#[test]
fn an_update_names_the_attributes_it_changed() {
    let state = created();
    let mut a = attributes();
    a.vervaldatum = Some(date(2027, 1, 1));
    a.vervalreden = Some(Vervalreden::Tijdelijk);
    let events = update(&state, a).unwrap();
    let BesluitEvent::BesluitUpdated(e) = &events[0] else {
        panic!("not an update: {events:?}")
    };
    assert_eq!(e.changed, vec!["vervaldatum", "vervalreden"]);
}

#[test]
fn an_informatieobject_is_registered_once_per_besluit() {
    let state = created();
    let events = add_document(&state, IOTYPE).unwrap();
    let state = events.iter().fold(state, BesluitAggregate::evolve);
    assert_eq!(state.as_ref().unwrap().informatieobjecten.len(), 1);
    assert_eq!(
        add_document(&state, IOTYPE).unwrap_err(),
        BesluitError::InformatieobjectNotUnique
    );
}

#[test]
fn an_informatieobjecttype_outside_the_besluittype_is_refused() {
    let err = add_document(
        &created(),
        "http://localhost/catalogi/api/v1/informatieobjecttypen/2",
    )
    .unwrap_err();
    assert_eq!(err, BesluitError::InformatieobjecttypeMismatch);
}

#[test]
fn a_removed_informatieobject_can_be_registered_again() {
    let state = created();
    let events = add_document(&state, IOTYPE).unwrap();
    let state = events.iter().fold(state, BesluitAggregate::evolve);
    let uuid = *state
        .as_ref()
        .unwrap()
        .informatieobjecten
        .keys()
        .next()
        .unwrap();
    let removed =
        BesluitAggregate::decide(&state, BesluitCommand::RemoveInformatieobject { uuid }).unwrap();
    let state = removed.iter().fold(state, BesluitAggregate::evolve);
    assert!(add_document(&state, IOTYPE).is_ok());
    assert_eq!(
        BesluitAggregate::decide(&state, BesluitCommand::RemoveInformatieobject { uuid })
            .unwrap_err(),
        BesluitError::InformatieobjectNotFound
    );
}

#[test]
fn a_deleted_besluit_is_gone_and_cannot_be_changed() {
    let state = created();
    let events = BesluitAggregate::decide(&state, BesluitCommand::Delete).unwrap();
    let state = events.iter().fold(state, BesluitAggregate::evolve);
    assert!(state.is_none());
    assert_eq!(
        update(&state, attributes()).unwrap_err(),
        BesluitError::NotFound
    );
}

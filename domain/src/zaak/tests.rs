//! Given / when / then, one business rule per test.

use chrono::TimeZone;
use event_schemas::zaak::{Archiefnominatie, Archiefstatus, Vertrouwelijkheidaanduiding};

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
        communicatiekanaal_naam: String::new(),
        laatst_geopend: None,
        gerelateerde_zaken: Vec::new(),
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
        gezetdoor: String::new(),
        gezetdoor_rol: None,
        facts: Box::new(StatusFacts {
            statustype_zaaktype: attributes().zaaktype,
            is_eindstatus,
            archief: Some(archief::ArchiefRegels {
                archiefnominatie: Some(Archiefnominatie::Vernietigen),
                archiefactietermijn: Some("P10Y".into()),
                afleidingswijze: "afgehandeld".into(),
                ..Default::default()
            }),
            ..Default::default()
        }),
        may_force,
        may_reopen: false,
    }
}

fn reopen(may_reopen: bool) -> ZaakCommand {
    match add_status(false, false) {
        ZaakCommand::AddStatus {
            uuid,
            statustype,
            datum_status_gezet,
            statustoelichting,
            gezetdoor,
            ..
        } => ZaakCommand::AddStatus {
            uuid,
            statustype,
            datum_status_gezet: datum_status_gezet + chrono::Duration::hours(1),
            statustoelichting,
            gezetdoor,
            gezetdoor_rol: None,
            facts: Box::new(StatusFacts {
                statustype_zaaktype: attributes().zaaktype,
                ..Default::default()
            }),
            may_force: false,
            may_reopen,
        },
        _ => unreachable!(),
    }
}

fn part(kind: PartKind, n: u128, attributes: serde_json::Value) -> ZaakCommand {
    let serde_json::Value::Object(attributes) = attributes else {
        panic!("attributes are an object")
    };
    ZaakCommand::AddPart {
        kind,
        uuid: Uuid::from_u128(n),
        attributes,
        may_force: false,
        type_zaaktype: None,
    }
}

fn resultaat() -> ZaakCommand {
    part(
        PartKind::Resultaat,
        100,
        serde_json::json!({"resultaattype": "http://localhost/catalogi/api/v1/resultaattypen/1"}),
    )
}

/// Applies commands one after the other to the given history.
fn after(mut events: Vec<ZaakEvent>, commands: Vec<ZaakCommand>) -> Vec<ZaakEvent> {
    for c in commands {
        let new = ZaakAggregate::decide(&given(&events), c).unwrap();
        events.extend(new);
    }
    events
}

fn closed() -> Vec<ZaakEvent> {
    after(vec![created()], vec![resultaat(), add_status(true, false)])
}

#[test]
fn a_new_zaak_is_created_with_its_attributes() {
    let cmd = ZaakCommand::Create {
        uuid: Uuid::nil(),
        attributes: attributes(),
        outside: Default::default(),
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
        outside: Default::default(),
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
        outside: Default::default(),
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
        outside: Default::default(),
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
        outside: Default::default(),
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
        outside: Default::default(),
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
        outside: Default::default(),
    };
    assert_eq!(
        ZaakAggregate::decide(&given(&closed()), cmd),
        Err(ZaakError::Closed)
    );
    let forced = ZaakCommand::Update {
        partial: true,
        attributes: new,
        may_force: true,
        outside: Default::default(),
    };
    assert_eq!(
        ZaakAggregate::decide(&given(&closed()), forced)
            .unwrap()
            .len(),
        1
    );
}

#[test]
fn a_closed_zaak_rejects_another_eindstatus_without_forced_update() {
    assert_eq!(
        ZaakAggregate::decide(&given(&closed()), add_status(true, false)),
        Err(ZaakError::Closed)
    );
    let mut forced = add_status(true, true);
    if let ZaakCommand::AddStatus {
        datum_status_gezet, ..
    } = &mut forced
    {
        *datum_status_gezet += chrono::Duration::hours(2);
    }
    assert!(ZaakAggregate::decide(&given(&closed()), forced).is_ok());
}

#[test]
fn the_eindstatus_needs_a_resultaat() {
    assert_eq!(
        ZaakAggregate::decide(&given(&[created()]), add_status(true, false)),
        Err(ZaakError::ResultaatMissing)
    );
}

#[test]
fn closing_sets_the_archive_fields_derived_from_the_resultaattype() {
    let zaak = given(&closed()).unwrap();
    assert_eq!(
        zaak.attributes.archiefnominatie,
        Some(Archiefnominatie::Vernietigen)
    );
    assert_eq!(zaak.attributes.archiefactiedatum, Some(date(2036, 11, 20)));
}

#[test]
fn reopening_a_closed_zaak_needs_heropenen_and_clears_einddatum_and_archive_fields() {
    assert_eq!(
        ZaakAggregate::decide(&given(&closed()), reopen(false)),
        Err(ZaakError::ReopenNotAllowed)
    );
    let events = after(closed(), vec![reopen(true)]);
    assert!(matches!(events.last(), Some(ZaakEvent::ZaakReopened(_))));
    let zaak = given(&events).unwrap();
    assert!(!zaak.is_closed());
    assert_eq!(zaak.attributes.archiefnominatie, None);
    assert_eq!(zaak.attributes.archiefactiedatum, None);
}

#[test]
fn a_zaak_has_at_most_one_resultaat() {
    let events = after(vec![created()], vec![resultaat()]);
    assert_eq!(
        ZaakAggregate::decide(&given(&events), resultaat()),
        Err(ZaakError::NotUnique {
            kind: "resultaat",
            field: "zaak"
        })
    );
}

#[test]
fn a_second_resultaat_on_a_closed_zaak_is_refused_as_not_unique_before_as_closed() {
    assert_eq!(
        ZaakAggregate::decide(&given(&closed()), resultaat()),
        Err(ZaakError::NotUnique {
            kind: "resultaat",
            field: "zaak"
        })
    );
}

#[test]
fn a_new_zaakobject_names_its_object_and_uses_object_type_overige_only_for_overige() {
    let zaakobject = |attributes: serde_json::Value| part(PartKind::Zaakobject, 300, attributes);
    let refused = |attributes| {
        ZaakAggregate::decide(&given(&[created()]), zaakobject(attributes)).unwrap_err()
    };
    use super::parts::ZaakobjectRule as R;
    assert_eq!(
        refused(serde_json::json!({"objectType": "pand", "object": ""})),
        ZaakError::Zaakobject(R::NoObject)
    );
    assert_eq!(
        refused(serde_json::json!({"objectType": "overige", "object": "http://x/1"})),
        ZaakError::Zaakobject(R::OverigeMissing)
    );
    assert_eq!(
        refused(
            serde_json::json!({"objectType": "pand", "object": "http://x/1", "objectTypeOverige": "boom"})
        ),
        ZaakError::Zaakobject(R::OverigeMisused)
    );
    let ok = serde_json::json!({"objectType": "overige", "objectTypeOverige": "boom",
        "objectIdentificatie": {"overigeData": {}}});
    assert!(ZaakAggregate::decide(&given(&[created()]), zaakobject(ok)).is_ok());
}

fn update(attributes: ZaakAttributes) -> ZaakCommand {
    ZaakCommand::Update {
        partial: true,
        attributes,
        may_force: false,
        outside: Default::default(),
    }
}

#[test]
fn a_zaak_once_suspended_remembers_it_after_it_goes_on() {
    let mut suspended = attributes();
    suspended.opschorting = Some(event_schemas::zaak::Opschorting {
        indicatie: true,
        reden: "wachten".into(),
    });
    let mut resumed = attributes();
    resumed.opschorting = Some(event_schemas::zaak::Opschorting {
        indicatie: false,
        reden: String::new(),
    });
    let zaak = given(&after(
        vec![created()],
        vec![update(suspended), update(resumed)],
    ))
    .unwrap();
    assert!(zaak.eerdere_opschorting);
    assert!(!given(&[created()]).unwrap().eerdere_opschorting);
}

#[test]
fn a_zaak_has_at_most_one_initiator_and_one_zaakcoordinator() {
    let rol = |n, generiek: &str| {
        part(
            PartKind::Rol,
            n,
            serde_json::json!({"roltype": "http://x/roltypen/1", "omschrijvingGeneriek": generiek}),
        )
    };
    let events = after(
        vec![created()],
        vec![
            rol(200, "initiator"),
            rol(201, "zaakcoordinator"),
            rol(202, "behandelaar"),
        ],
    );
    for generiek in ["initiator", "zaakcoordinator"] {
        assert_eq!(
            ZaakAggregate::decide(&given(&events), rol(203, generiek)),
            Err(ZaakError::MaxOccurrences {
                omschrijving_generiek: generiek.into()
            })
        );
    }
    assert!(ZaakAggregate::decide(&given(&events), rol(204, "behandelaar")).is_ok());
}

#[test]
fn a_document_is_linked_to_a_zaak_once() {
    let doc = |n| {
        part(
            PartKind::Zaakinformatieobject,
            n,
            serde_json::json!({"informatieobject": "http://drc/enkelvoudiginformatieobjecten/1"}),
        )
    };
    let events = after(vec![created()], vec![doc(1)]);
    assert!(matches!(
        ZaakAggregate::decide(&given(&events), doc(2)),
        Err(ZaakError::NotUnique { .. })
    ));
}

#[test]
fn parts_are_added_changed_and_removed_in_order() {
    let rol = |n| part(PartKind::Rol, n, serde_json::json!({"roltoelichting": "x"}));
    let mut events = after(vec![created()], vec![rol(1), rol(2)]);
    let zaak = given(&events).unwrap();
    assert_eq!(zaak.parts[&Uuid::from_u128(2)].seq, 1);
    let mut changed = zaak.parts[&Uuid::from_u128(1)].attributes.clone();
    changed.insert("roltoelichting".into(), "y".into());
    events = after(
        events,
        vec![
            ZaakCommand::UpdatePart {
                uuid: Uuid::from_u128(1),
                attributes: changed,
                partial: true,
                may_force: false,
                type_zaaktype: None,
            },
            ZaakCommand::RemovePart {
                uuid: Uuid::from_u128(2),
                may_force: false,
            },
        ],
    );
    let zaak = given(&events).unwrap();
    assert_eq!(zaak.parts.len(), 1);
    assert_eq!(
        zaak.parts[&Uuid::from_u128(1)].attributes["roltoelichting"],
        "y"
    );
    assert_eq!(
        ZaakAggregate::decide(
            &given(&events),
            ZaakCommand::RemovePart {
                uuid: Uuid::from_u128(2),
                may_force: false
            }
        ),
        Err(ZaakError::PartNotFound)
    );
}

#[test]
fn a_closed_zaak_rejects_new_parts_without_forced_update() {
    let rol = part(PartKind::Rol, 1, serde_json::json!({}));
    assert_eq!(
        ZaakAggregate::decide(&given(&closed()), rol),
        Err(ZaakError::Closed)
    );
}

#[test]
fn a_deleted_zaak_is_gone() {
    let events = after(vec![created()], vec![ZaakCommand::Delete]);
    assert_eq!(given(&events), None);
    assert_eq!(
        ZaakAggregate::decide(&given(&events), resultaat()),
        Err(ZaakError::NotFound)
    );
}

#[test]
fn two_statussen_of_a_zaak_are_not_set_at_the_same_moment() {
    let mut all = vec![created()];
    all.extend(ZaakAggregate::decide(&given(&all), add_status(false, false)).unwrap());
    let mut again = add_status(false, false);
    if let ZaakCommand::AddStatus { uuid, .. } = &mut again {
        *uuid = Uuid::from_u128(8);
    }
    assert_eq!(
        ZaakAggregate::decide(&given(&all), again),
        Err(ZaakError::NotUnique {
            kind: "status",
            field: "datumStatusGezet"
        })
    );
}

#[test]
fn the_current_status_is_the_one_set_latest_not_the_one_registered_last() {
    let mut all = vec![created()];
    all.extend(ZaakAggregate::decide(&given(&all), add_status(false, false)).unwrap());
    let mut earlier = add_status(false, false);
    if let ZaakCommand::AddStatus {
        uuid,
        datum_status_gezet,
        ..
    } = &mut earlier
    {
        *uuid = Uuid::from_u128(9);
        *datum_status_gezet -= chrono::Duration::days(1);
    }
    all.extend(ZaakAggregate::decide(&given(&all), earlier).unwrap());
    let zaak = given(&all).unwrap();
    assert_eq!(zaak.current_status().unwrap().uuid, Uuid::from_u128(7));
}

/// The rules with facts from outside the zaak's stream (`rules.rs`), each given the facts,
/// when the command, then the refusal the standard names.
mod outside {
    use super::*;
    use crate::zaak::rules::{DocumentFacts, Hoofdzaak, OutsideFacts, StatusFacts, ZaakRule};

    fn create(
        attributes: ZaakAttributes,
        outside: OutsideFacts,
    ) -> Result<Vec<ZaakEvent>, ZaakError> {
        ZaakAggregate::decide(
            &None,
            ZaakCommand::Create {
                uuid: Uuid::from_u128(1),
                attributes,
                outside,
            },
        )
    }

    fn refused(rule: ZaakRule) -> Result<Vec<ZaakEvent>, ZaakError> {
        Err(ZaakError::Rule(rule))
    }

    fn hoofdzaak(h: Hoofdzaak) -> OutsideFacts {
        OutsideFacts {
            hoofdzaak: Some(h),
            ..Default::default()
        }
    }

    #[test]
    fn products_or_services_must_be_the_zaaktypes_invalid_products_services() {
        let mut a = attributes();
        a.producten_of_diensten = vec!["https://pdc.example.nl/1".into()];
        let allowing = |p: &[&str]| OutsideFacts {
            producten_of_diensten: Some(p.iter().map(|s| s.to_string()).collect()),
            ..Default::default()
        };
        assert!(create(a.clone(), allowing(&["https://pdc.example.nl/1"])).is_ok());
        assert_eq!(
            create(a.clone(), allowing(&[])),
            refused(ZaakRule::ProductenOfDiensten)
        );
        assert_eq!(
            ZaakRule::ProductenOfDiensten.code(),
            "invalid-products-services"
        );
        assert!(
            create(a, OutsideFacts::default()).is_ok(),
            "not asked: not checked"
        );
    }

    #[test]
    fn a_hoofdzaak_is_another_zaak_of_ours_no_deelzaak_and_allows_the_zaaktype() {
        let a = attributes();
        let other = Uuid::from_u128(2);
        let found = |is_deelzaak, deelzaaktypen: Vec<String>| Hoofdzaak::Found {
            uuid: other,
            is_deelzaak,
            deelzaaktypen,
        };
        assert!(create(a.clone(), hoofdzaak(found(false, vec![a.zaaktype.clone()]))).is_ok());
        let cases = [
            (Hoofdzaak::NotOurs, ZaakRule::HoofdzaakNoMatch, "no_match"),
            (
                Hoofdzaak::Missing { uuid: other },
                ZaakRule::HoofdzaakMissing,
                "does_not_exist",
            ),
            (
                Hoofdzaak::Missing {
                    uuid: Uuid::from_u128(1),
                },
                ZaakRule::HoofdzaakSelf,
                "self-forbidden",
            ),
            (
                found(true, vec![a.zaaktype.clone()]),
                ZaakRule::DeelzaakAlsHoofdzaak,
                "deelzaak-als-hoofdzaak",
            ),
            (
                found(false, vec![]),
                ZaakRule::InvalidDeelzaaktype,
                "invalid-deelzaaktype",
            ),
        ];
        for (facts, rule, code) in cases {
            assert_eq!(create(a.clone(), hoofdzaak(facts)), refused(rule));
            assert_eq!((rule.field(), rule.code()), ("hoofdzaak", code));
        }
    }

    #[test]
    fn a_status_of_another_zaaktype_is_refused_zaaktype_mismatch() {
        let mut status = add_status(false, false);
        if let ZaakCommand::AddStatus { facts, .. } = &mut status {
            facts.statustype_zaaktype = "http://localhost/catalogi/api/v1/zaaktypen/2".into();
        }
        assert_eq!(
            ZaakAggregate::decide(&given(&[created()]), status),
            refused(ZaakRule::ZaaktypeMismatch)
        );
    }

    #[test]
    fn gezetdoor_is_a_rol_of_the_zaak_zaak_mismatch() {
        let with_rol = after(
            vec![created()],
            vec![part(
                PartKind::Rol,
                50,
                serde_json::json!({"omschrijvingGeneriek": "behandelaar"}),
            )],
        );
        let set_by = |rol: Option<Uuid>| {
            let mut status = add_status(false, false);
            if let ZaakCommand::AddStatus {
                gezetdoor,
                gezetdoor_rol,
                ..
            } = &mut status
            {
                *gezetdoor = "http://localhost/zaken/api/v1/rollen/x".into();
                *gezetdoor_rol = rol;
            }
            status
        };
        assert!(
            ZaakAggregate::decide(&given(&with_rol), set_by(Some(Uuid::from_u128(50)))).is_ok()
        );
        assert_eq!(
            ZaakAggregate::decide(&given(&with_rol), set_by(Some(Uuid::from_u128(51)))),
            refused(ZaakRule::GezetdoorMismatch)
        );
        assert_eq!(
            ZaakAggregate::decide(&given(&with_rol), set_by(None)),
            refused(ZaakRule::GezetdoorMismatch)
        );
    }

    #[test]
    fn the_eindstatus_waits_for_deelzaken_and_documents() {
        let with_resultaat = after(vec![created()], vec![resultaat()]);
        let eind = |change: &dyn Fn(&mut StatusFacts)| {
            let mut status = add_status(true, false);
            if let ZaakCommand::AddStatus { facts, .. } = &mut status {
                change(facts);
            }
            ZaakAggregate::decide(&given(&with_resultaat), status)
        };
        assert!(eind(&|_| {}).is_ok());
        assert_eq!(
            eind(&|f| f.open_deelzaken = true),
            refused(ZaakRule::DeelzakenNotClosed)
        );
        let locked = DocumentFacts {
            locked: true,
            indicatie_gebruiksrecht_set: true,
            gearchiveerd: false,
        };
        assert_eq!(
            eind(&|f| f.documenten = vec![locked.clone()]),
            refused(ZaakRule::InformatieobjectLocked)
        );
        assert_eq!(
            eind(&|f| f.documenten = vec![DocumentFacts::default()]),
            refused(ZaakRule::IndicatieGebruiksrechtUnset)
        );
    }

    #[test]
    fn a_deelzaak_goes_on_only_while_its_hoofdzaak_is_open_hoofdzaak_closed() {
        let mut status = add_status(false, false);
        if let ZaakCommand::AddStatus { facts, .. } = &mut status {
            facts.hoofdzaak_closed = true;
        }
        assert_eq!(
            ZaakAggregate::decide(&given(&[created()]), status),
            refused(ZaakRule::HoofdzaakClosed)
        );
    }

    #[test]
    fn an_archived_zaak_takes_no_status_nor_document_and_needs_its_documents_archived() {
        let mut archived = attributes();
        archived.archiefstatus = Archiefstatus::Gearchiveerd;
        let update = |outside: OutsideFacts| {
            ZaakAggregate::decide(
                &given(&[created()]),
                ZaakCommand::Update {
                    attributes: archived.clone(),
                    partial: true,
                    may_force: false,
                    outside,
                },
            )
        };
        let documenten = |gearchiveerd| OutsideFacts {
            documenten: Some(vec![DocumentFacts {
                gearchiveerd,
                ..Default::default()
            }]),
            ..Default::default()
        };
        assert_eq!(
            update(documenten(false)),
            refused(ZaakRule::DocumentsNotArchived)
        );
        assert_eq!(ZaakRule::DocumentsNotArchived.field(), "archiefstatus");
        let events = update(documenten(true)).unwrap();
        let mut all = vec![created()];
        all.extend(events);
        assert_eq!(
            ZaakAggregate::decide(&given(&all), add_status(false, false)),
            refused(ZaakRule::ArchiefstatusInvalid)
        );
        assert_eq!(
            ZaakAggregate::decide(
                &given(&all),
                part(
                    PartKind::Zaakinformatieobject,
                    60,
                    serde_json::json!({"informatieobject": "d"})
                )
            ),
            refused(ZaakRule::ArchiefstatusInvalid)
        );
    }
}

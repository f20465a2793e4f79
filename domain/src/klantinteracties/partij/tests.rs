//! Given / when / then, one business rule per test.

use event_schemas::klantinteracties::partij::{
    CodeObjecttype as O, CodeRegister as R, CodeSoortObjectId as S, PartijIdentificatorGroep,
};

use super::*;
use crate::klantinteracties::InvalidParam;

const PARTIJ: Uuid = Uuid::from_u128(1);
const KVK: Uuid = Uuid::from_u128(10);
const VESTIGING: Uuid = Uuid::from_u128(11);

fn attributes(identificatie: PartijIdentificatie) -> PartijAttributes {
    PartijAttributes {
        nummer: None,
        interne_notitie: String::new(),
        voorkeurs_digitaal_adres: None,
        voorkeurs_rekeningnummer: None,
        partij_identificatie: identificatie,
        indicatie_geheimhouding: None,
        voorkeurstaal: "nld".into(),
        indicatie_actief: true,
        bezoekadres: None,
        correspondentieadres: None,
    }
}

fn organisatie() -> PartijAttributes {
    attributes(PartijIdentificatie::Organisatie {
        naam: "ACME".into(),
    })
}

fn id(r: R, o: O, s: S, object_id: &str) -> PartijIdentificatorAttributes {
    PartijIdentificatorAttributes {
        andere_partij_identificator: String::new(),
        partij_identificator: PartijIdentificatorGroep {
            code_objecttype: o,
            code_soort_object_id: s,
            object_id: object_id.into(),
            code_register: r,
        },
        sub_identificator_van: None,
    }
}

fn bsn(object_id: &str) -> PartijIdentificatorAttributes {
    id(R::Brp, O::NatuurlijkPersoon, S::Bsn, object_id)
}

fn kvk() -> PartijIdentificatorAttributes {
    id(R::Hr, O::NietNatuurlijkPersoon, S::KvkNummer, "12345678")
}

fn vestiging(under: Option<Uuid>) -> PartijIdentificatorAttributes {
    PartijIdentificatorAttributes {
        sub_identificator_van: under,
        ..id(R::Hr, O::Vestiging, S::Vestigingsnummer, "296648875154")
    }
}

fn create(
    attributes: PartijAttributes,
    identificatoren: Vec<(Uuid, PartijIdentificatorAttributes)>,
) -> Result<Vec<PartijEvent>, PartijError> {
    PartijAggregate::decide(
        &None,
        PartijCommand::Create {
            uuid: PARTIJ,
            attributes,
            identificatoren,
            facts: PartijFacts::default(),
        },
    )
}

fn given(identificatoren: Vec<(Uuid, PartijIdentificatorAttributes)>) -> PartijState {
    PartijAggregate::fold(&create(organisatie(), identificatoren).unwrap())
}

fn when(state: &PartijState, command: PartijCommand) -> Result<Vec<PartijEvent>, PartijError> {
    PartijAggregate::decide(state, command)
}

fn set_id(uuid: Uuid, attributes: PartijIdentificatorAttributes) -> PartijCommand {
    PartijCommand::SetIdentificator { uuid, attributes }
}

#[test]
fn each_soort_partij_keeps_only_its_own_partij_identificatie_fields() {
    let fields = PartijIdentificatieFields {
        contactnaam: Some(Contactnaam::default()),
        naam: Some("ACME".into()),
        werkte_voor_partij: Some(PARTIJ),
    };
    assert_eq!(
        partij_identificatie("persoon", fields.clone()),
        Some(PartijIdentificatie::Persoon {
            contactnaam: Some(Contactnaam::default())
        })
    );
    assert_eq!(
        partij_identificatie("organisatie", fields.clone()),
        Some(PartijIdentificatie::Organisatie {
            naam: "ACME".into()
        })
    );
    assert_eq!(
        partij_identificatie("contactpersoon", fields.clone()),
        Some(PartijIdentificatie::Contactpersoon {
            contactnaam: Some(Contactnaam::default()),
            werkte_voor_partij: Some(PARTIJ),
        })
    );
    assert_eq!(partij_identificatie("vestiging", fields), None);
}

#[test]
fn a_contactpersoon_works_only_for_an_organisatie() {
    let contactpersoon = attributes(PartijIdentificatie::Contactpersoon {
        contactnaam: None,
        werkte_voor_partij: Some(Uuid::from_u128(2)),
    });
    let refused = PartijAggregate::decide(
        &None,
        PartijCommand::Create {
            uuid: PARTIJ,
            attributes: contactpersoon,
            identificatoren: vec![],
            facts: PartijFacts {
                werkte_voor_partij_is_geen_organisatie: true,
            },
        },
    )
    .unwrap_err();
    assert_eq!(refused, PartijError::WerkteVoorPartijGeenOrganisatie);
    assert_eq!(refused.field(), "partijIdentificatie.werkteVoorPartij.uuid");
}

#[test]
fn brp_natuurlijk_persoon_is_identified_by_a_bsn_only() {
    assert!(create(organisatie(), vec![(KVK, bsn("296648875"))]).is_ok());
    let refused = create(
        organisatie(),
        vec![(
            KVK,
            id(R::Brp, O::NatuurlijkPersoon, S::KvkNummer, "12345678"),
        )],
    )
    .unwrap_err();
    assert_eq!(refused.field(), "partijIdentificatorCodeSoortObjectId");
    assert_eq!(refused.code(), "invalid");
    assert_eq!(
        refused.to_string(),
        "voor `codeObjecttype` natuurlijk_persoon zijn alleen deze waarden toegestaan: ['bsn']"
    );
}

#[test]
fn the_brp_register_knows_only_natuurlijke_personen() {
    let refused = create(
        organisatie(),
        vec![(
            KVK,
            id(R::Brp, O::NietNatuurlijkPersoon, S::Bsn, "296648875"),
        )],
    )
    .unwrap_err();
    assert_eq!(refused.field(), "partijIdentificatorCodeObjecttype");
    assert_eq!(
        refused.to_string(),
        "voor `codeRegister` brp zijn alleen deze waarden toegestaan: ['natuurlijk_persoon']"
    );
}

#[test]
fn hr_niet_natuurlijk_persoon_is_identified_by_an_rsin_or_a_kvk_nummer() {
    let rsin = id(R::Hr, O::NietNatuurlijkPersoon, S::Rsin, "517439943");
    assert!(create(organisatie(), vec![(KVK, rsin)]).is_ok());
    assert!(create(organisatie(), vec![(KVK, kvk())]).is_ok());
    let bsn = id(R::Hr, O::NietNatuurlijkPersoon, S::Bsn, "296648875");
    assert_eq!(
        create(organisatie(), vec![(KVK, bsn)]).unwrap_err(),
        PartijError::SoortObjectIdNotForObjecttype(O::NietNatuurlijkPersoon)
    );
}

#[test]
fn a_bsn_and_an_rsin_must_pass_the_eleven_check() {
    let refused = create(organisatie(), vec![(KVK, bsn("296648876"))]).unwrap_err();
    assert_eq!(refused.field(), "partijIdentificatorObjectId");
    assert_eq!(
        refused.to_string(),
        "Deze waarde is ongeldig, reden: Ongeldige code"
    );
    let rsin = id(R::Hr, O::NietNatuurlijkPersoon, S::Rsin, "123456789");
    assert_eq!(
        create(organisatie(), vec![(KVK, rsin)]).unwrap_err(),
        PartijError::ObjectIdInvalid(ObjectIdProblem::ElevenCheck)
    );
}

#[test]
fn an_object_id_of_the_wrong_length_says_the_length_its_soort_needs() {
    let refused = create(organisatie(), vec![(KVK, bsn("12"))]).unwrap_err();
    assert_eq!(
        refused.to_string(),
        "Deze waarde is ongeldig, reden: Waarde moet 9 tekens lang zijn"
    );
    let short_kvk = id(R::Hr, O::NietNatuurlijkPersoon, S::KvkNummer, "1234");
    assert_eq!(
        create(organisatie(), vec![(KVK, short_kvk)]).unwrap_err(),
        PartijError::ObjectIdInvalid(ObjectIdProblem::Length(8))
    );
}

#[test]
fn a_vestigingsnummer_needs_a_sub_identificator_van() {
    let refused = create(organisatie(), vec![(VESTIGING, vestiging(None))]).unwrap_err();
    assert_eq!(refused, PartijError::SubIdentificatorRequired);
    assert_eq!(refused.field(), "subIdentificatorVan");
}

#[test]
fn a_vestigingsnummer_sits_under_a_kvk_nummer_of_the_same_partij() {
    let created = create(
        organisatie(),
        vec![(KVK, kvk()), (VESTIGING, vestiging(Some(KVK)))],
    );
    assert_eq!(created.unwrap().len(), 3);
    let elsewhere = create(
        organisatie(),
        vec![(VESTIGING, vestiging(Some(Uuid::from_u128(99))))],
    );
    assert_eq!(
        elsewhere.unwrap_err(),
        PartijError::SubIdentificatorOfOtherPartij
    );
}

#[test]
fn a_vestigingsnummer_cannot_sit_under_anything_but_a_kvk_nummer() {
    let rsin = id(R::Hr, O::NietNatuurlijkPersoon, S::Rsin, "517439943");
    let refused = create(
        organisatie(),
        vec![(KVK, rsin), (VESTIGING, vestiging(Some(KVK)))],
    );
    assert_eq!(
        refused.unwrap_err(),
        PartijError::SubIdentificatorNotKvkNummer
    );
}

#[test]
fn a_partij_has_at_most_one_identificator_of_each_soort() {
    let state = given(vec![(KVK, bsn("296648875"))]);
    let refused = when(&state, set_id(Uuid::from_u128(3), bsn("111222333"))).unwrap_err();
    assert_eq!(refused, PartijError::SoortNotUniqueForPartij);
    assert_eq!((refused.field(), refused.code()), ("__all__", "invalid"));
    // The identificator itself may be rewritten.
    assert!(when(&state, set_id(KVK, bsn("111222333"))).is_ok());
}

#[test]
fn a_kvk_nummer_with_vestigingen_cannot_be_removed() {
    let state = given(vec![(KVK, kvk()), (VESTIGING, vestiging(Some(KVK)))]);
    let refused = when(&state, PartijCommand::RemoveIdentificator { uuid: KVK }).unwrap_err();
    assert_eq!(refused, PartijError::IdentificatorHasChildren);
    assert_eq!(refused.field(), "nonFieldErrors");
    let without_child = when(
        &state,
        PartijCommand::RemoveIdentificator { uuid: VESTIGING },
    );
    let state = without_child
        .unwrap()
        .iter()
        .fold(state, PartijAggregate::evolve);
    assert!(when(&state, PartijCommand::RemoveIdentificator { uuid: KVK }).is_ok());
}

#[test]
fn a_kvk_nummer_with_vestigingen_cannot_change_its_soort() {
    let state = given(vec![(KVK, kvk()), (VESTIGING, vestiging(Some(KVK)))]);
    let rsin = id(R::Hr, O::NietNatuurlijkPersoon, S::Rsin, "517439943");
    let refused = when(&state, set_id(KVK, rsin)).unwrap_err();
    assert_eq!(refused, PartijError::SoortChangeWithChildren);
    assert_eq!(refused.field(), "partijIdentificatorCodeSoortObjectId");
}

#[test]
fn the_register_wide_claim_names_the_four_codes_and_the_scope_of_a_sub_identificator() {
    assert_eq!(
        claim_key(&bsn("296648875")),
        "partij-identificator/register/brp/natuurlijk_persoon/bsn/296648875"
    );
    let under = claim_key(&vestiging(Some(KVK)));
    assert!(under.starts_with(&format!("partij-identificator/{KVK}/hr/vestiging/")));
    assert_ne!(
        claim_key(&vestiging(Some(KVK))),
        claim_key(&vestiging(Some(VESTIGING)))
    );
}

#[test]
fn a_deleted_partij_and_its_parts_are_gone() {
    let state = given(vec![(KVK, kvk())]);
    let deleted = when(&state, PartijCommand::Delete).unwrap();
    assert_eq!(
        deleted,
        vec![PartijEvent::PartijDeleted(
            event_schemas::klantinteracties::DeletedV1 {}
        )]
    );
    let state = deleted.iter().fold(state, PartijAggregate::evolve);
    assert_eq!(state, None);
    assert_eq!(
        when(&state, PartijCommand::Delete).unwrap_err(),
        PartijError::NotFound
    );
}

#[test]
fn an_invalid_identificator_sent_with_a_new_partij_stores_nothing() {
    let refused = create(
        organisatie(),
        vec![(KVK, kvk()), (VESTIGING, vestiging(None))],
    );
    assert_eq!(refused.unwrap_err(), PartijError::SubIdentificatorRequired);
}

mod parts;

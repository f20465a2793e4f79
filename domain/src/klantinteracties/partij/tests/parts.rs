//! Given / when / then for the partij's digitale adressen, rekeningnummers and
//! vertegenwoordigingen.

use event_schemas::klantinteracties::SoortDigitaalAdres;

use super::*;
fn adres(soort: SoortDigitaalAdres, adres: &str) -> DigitaalAdresAttributes {
    DigitaalAdresAttributes {
        verstrekt_door_betrokkene: None,
        adres: adres.into(),
        soort_digitaal_adres: soort,
        is_standaard_adres: false,
        omschrijving: String::new(),
        referentie: String::new(),
        verificatie_datum: None,
    }
}

fn set_adres(uuid: u128, attributes: DigitaalAdresAttributes) -> PartijCommand {
    PartijCommand::SetDigitaalAdres {
        uuid: Uuid::from_u128(uuid),
        attributes,
    }
}

#[test]
fn one_digital_address_value_per_partij_and_soort() {
    let state = given(vec![]);
    let first = when(
        &state,
        set_adres(1, adres(SoortDigitaalAdres::Email, "a@example.nl")),
    );
    let state = first.unwrap().iter().fold(state, PartijAggregate::evolve);
    let twice = when(
        &state,
        set_adres(2, adres(SoortDigitaalAdres::Email, "A@Example.nl")),
    );
    assert_eq!(twice.unwrap_err(), PartijError::AdresNotUnique);
    let as_overig = when(
        &state,
        set_adres(2, adres(SoortDigitaalAdres::Overig, "a@example.nl")),
    );
    assert!(as_overig.is_ok());
}

#[test]
fn a_referentie_is_unique_per_partij_and_soort() {
    let with_ref = |a: &str| DigitaalAdresAttributes {
        referentie: "portaal".into(),
        ..adres(SoortDigitaalAdres::Email, a)
    };
    let state = given(vec![]);
    let first = when(&state, set_adres(1, with_ref("a@example.nl"))).unwrap();
    let state = first.iter().fold(state, PartijAggregate::evolve);
    let refused = when(&state, set_adres(2, with_ref("b@example.nl"))).unwrap_err();
    assert_eq!(
        (refused.field(), refused.code()),
        ("nonFieldErrors", "unique")
    );
}

#[test]
fn an_address_must_be_a_valid_value_of_its_soort() {
    let state = given(vec![]);
    for (soort, bad, error) in [
        (
            SoortDigitaalAdres::Email,
            "geen-adres",
            AdresFormatError::Email,
        ),
        (
            SoortDigitaalAdres::Telefoonnummer,
            "12345",
            AdresFormatError::Telefoonnummer,
        ),
        (
            SoortDigitaalAdres::Telefoonnummer,
            "0800123456",
            AdresFormatError::TelefoonnummerPrefix,
        ),
    ] {
        let refused = when(&state, set_adres(1, adres(soort, bad))).unwrap_err();
        assert_eq!(refused, PartijError::AdresFormat(error));
        assert_eq!(refused.field(), "adres");
    }
    for good in ["0612345678", "+31612345678", "0031612345"] {
        assert!(when(
            &state,
            set_adres(1, adres(SoortDigitaalAdres::Telefoonnummer, good))
        )
        .is_ok());
    }
}

#[test]
fn a_new_standaard_adres_unsets_the_previous_one_of_its_soort() {
    let standaard = |a: &str| DigitaalAdresAttributes {
        is_standaard_adres: true,
        ..adres(SoortDigitaalAdres::Email, a)
    };
    let state = given(vec![]);
    let first = when(&state, set_adres(1, standaard("a@example.nl"))).unwrap();
    let state = first.iter().fold(state, PartijAggregate::evolve);
    let second = when(&state, set_adres(2, standaard("b@example.nl"))).unwrap();
    let PartijEvent::DigitaalAdresAdded(e) = &second[0] else {
        panic!("{second:?}")
    };
    assert_eq!(e.niet_langer_standaard, vec![Uuid::from_u128(1)]);
    let state = second.iter().fold(state, PartijAggregate::evolve).unwrap();
    assert!(!state.digitale_adressen[&Uuid::from_u128(1)].is_standaard_adres);
}

#[test]
fn the_voorkeurs_digitaal_adres_must_be_one_of_the_partijs_own() {
    let state = given(vec![]);
    let mut attributes = organisatie();
    attributes.voorkeurs_digitaal_adres = Some(Uuid::from_u128(1));
    let update = |attributes| PartijCommand::Update {
        attributes,
        partial: true,
        facts: PartijFacts::default(),
    };
    let refused = when(&state, update(attributes.clone())).unwrap_err();
    assert_eq!(refused.field(), "voorkeursDigitaalAdres");
    let added = when(
        &state,
        set_adres(1, adres(SoortDigitaalAdres::Email, "a@example.nl")),
    );
    let state = added.unwrap().iter().fold(state, PartijAggregate::evolve);
    assert!(when(&state, update(attributes)).is_ok());
}

#[test]
fn an_iban_must_look_like_one() {
    let state = given(vec![]);
    let rekening = |iban: &str, bic: &str| PartijCommand::SetRekeningnummer {
        uuid: Uuid::from_u128(1),
        attributes: RekeningnummerAttributes {
            iban: iban.into(),
            bic: bic.into(),
        },
    };
    assert!(when(&state, rekening("NL91ABNA0417164300", "ABNANL2A")).is_ok());
    assert_eq!(
        when(&state, rekening("91NL", "")).unwrap_err(),
        PartijError::IbanInvalid
    );
    assert_eq!(
        when(&state, rekening("NL91ABNA0417164300", "ABN"))
            .unwrap_err()
            .code(),
        "min_length"
    );
}

#[test]
fn a_partij_cannot_represent_itself_nor_the_same_partij_twice() {
    let state = given(vec![]);
    let add = |uuid: u128, of: Uuid| PartijCommand::AddVertegenwoordiging {
        uuid: Uuid::from_u128(uuid),
        vertegenwoordigde_partij: of,
    };
    let refused = when(&state, add(1, PARTIJ)).unwrap_err();
    assert_eq!(
        (refused.field(), refused.to_string().as_str()),
        (
            "vertegenwoordigdePartij",
            "De partij kan niet zichzelf vertegenwoordigen."
        )
    );
    let other = Uuid::from_u128(2);
    let state = when(&state, add(1, other))
        .unwrap()
        .iter()
        .fold(state, PartijAggregate::evolve);
    assert_eq!(when(&state, add(3, other)).unwrap_err().code(), "unique");
}

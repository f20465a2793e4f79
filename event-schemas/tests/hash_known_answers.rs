//! Known answers for the event hash (docs/hash-chain.md): every expected value below was
//! computed outside this project's code, by `python3 ops/hash-chain.py known-answers`
//! (Python's hashlib and a JSON writer of its own), from the same inputs. A change of
//! serde, serde_json or chrono that changes a single byte hashed (key order, float or
//! string formatting, a field added) fails here instead of silently breaking every stored
//! chain.

use chrono::{DateTime, Utc};
use event_schemas::envelope::HashInput;
use event_schemas::{Actor, EventMetadata};
use uuid::Uuid;

const STREAM: &str = "zaak-6f1c2d3e-0000-4000-8000-000000000001";

fn uuid(s: &str) -> Uuid {
    s.parse().unwrap()
}

fn first() -> (EventMetadata, serde_json::Value) {
    let metadata = EventMetadata {
        occurred_at: DateTime::<Utc>::from_timestamp(1_700_000_000, 123_456_000).unwrap(),
        actor: Actor {
            client_id: "e2e-client".into(),
            user_id: "u1".into(),
            user_representation: "Ürsula de Vries".into(),
            applicatie_weergave: String::new(),
        },
        tenant: "default".into(),
        correlation_id: uuid("0190f5a8-7b2c-7def-8123-000000000001"),
        causation_id: None,
        toelichting: String::new(),
        traceparent: None,
    };
    // As the writer hands it over: keys in any order, numbers of every kind.
    let payload = serde_json::from_str(
        r#"{"zaaktype": "http://localhost:8000/catalogi/api/v1/zaaktypen/1",
            "omschrijving": "Aanvraag \"kapvergunning\"\n\tboom\u0001 — één",
            "bedrag": 1250.5, "aantal": 3, "negatief": -7, "groot": 18446744073709551615,
            "klein": 1.5e-7, "heel": 100.0, "veraf": 1e21, "nul": 0.0,
            "geometrie": {"type": "Point", "coordinates": [5.1214, 52.0907]},
            "Zeta": true, "alfa": null, "lijst": [], "leeg": {}}"#,
    )
    .unwrap();
    (metadata, payload)
}

fn second() -> (EventMetadata, serde_json::Value) {
    let metadata = EventMetadata {
        occurred_at: DateTime::<Utc>::from_timestamp(1_700_000_060, 0).unwrap(),
        actor: Actor {
            client_id: "e2e-client".into(),
            user_id: "u1".into(),
            user_representation: "Ursula".into(),
            applicatie_weergave: "Zaaksysteem".into(),
        },
        tenant: "default".into(),
        correlation_id: uuid("0190f5a8-7b2c-7def-8123-000000000002"),
        causation_id: Some(uuid("0190f5a8-7b2c-7def-8123-000000000001")),
        toelichting: "Op verzoek van de aanvrager".into(),
        traceparent: Some("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01".into()),
    };
    let payload = serde_json::json!({
        "statustoelichting": "",
        "datum_status_gezet": "2023-11-14T22:14:20Z",
    });
    (metadata, payload)
}

const FIRST_HASH: &str = "c1c5ff447810ec46a02ddeb9eb31cb160f64a89f9c1d0e46e755dd5b335abbf1";
const SECOND_HASH: &str = "046eb77c26ae4d11da18ce925d2c4c600c53ccfcc6785f5d5be9b7fdd60eaaf4";

#[test]
fn the_first_event_of_a_stream_hashes_to_the_value_computed_outside() {
    let (metadata, payload) = first();
    let hash = HashInput {
        prev_hash: "",
        event_id: uuid("0190f5a8-7b2c-7def-8123-456789abcdef"),
        stream: STREAM,
        revision: 0,
        event_type: "ZaakCreated",
        schema_version: 1,
        metadata: &metadata,
        payload: &payload,
    }
    .hash();
    assert_eq!(hash, FIRST_HASH);
}

#[test]
fn a_chained_event_with_every_optional_field_hashes_to_the_value_computed_outside() {
    let (metadata, payload) = second();
    let hash = HashInput {
        prev_hash: FIRST_HASH,
        event_id: uuid("0190f5a8-7b2c-7def-8123-456789abcdf0"),
        stream: STREAM,
        revision: 1,
        event_type: "StatusAdded",
        schema_version: 2,
        metadata: &metadata,
        payload: &payload,
    }
    .hash();
    assert_eq!(hash, SECOND_HASH);
}

/// The serialisations hashed, byte for byte as docs/hash-chain.md describes them (the
/// script prints them too): when a hash above fails, this says which part moved.
#[test]
fn metadata_keeps_its_field_order_and_payload_keys_are_sorted() {
    let (metadata, payload) = first();
    assert_eq!(
        serde_json::to_string(&metadata).unwrap(),
        r#"{"occurred_at":"2023-11-14T22:13:20.123456Z","actor":{"client_id":"e2e-client","user_id":"u1","user_representation":"Ürsula de Vries"},"tenant":"default","correlation_id":"0190f5a8-7b2c-7def-8123-000000000001","causation_id":null}"#
    );
    assert_eq!(
        serde_json::to_string(&payload).unwrap(),
        r#"{"Zeta":true,"aantal":3,"alfa":null,"bedrag":1250.5,"geometrie":{"coordinates":[5.1214,52.0907],"type":"Point"},"groot":18446744073709551615,"heel":100.0,"klein":1.5e-7,"leeg":{},"lijst":[],"negatief":-7,"nul":0.0,"omschrijving":"Aanvraag \"kapvergunning\"\n\tboom\u0001 — één","veraf":1e+21,"zaaktype":"http://localhost:8000/catalogi/api/v1/zaaktypen/1"}"#
    );
    let (metadata, _) = second();
    assert_eq!(
        serde_json::to_string(&metadata).unwrap(),
        r#"{"occurred_at":"2023-11-14T22:14:20Z","actor":{"client_id":"e2e-client","user_id":"u1","user_representation":"Ursula","applicatie_weergave":"Zaaksysteem"},"tenant":"default","correlation_id":"0190f5a8-7b2c-7def-8123-000000000002","causation_id":"0190f5a8-7b2c-7def-8123-000000000001","toelichting":"Op verzoek van de aanvrager","traceparent":"00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"}"#
    );
}

/// Floats as the script writes them (`canonical_float`).
#[test]
fn floats_are_written_as_the_format_says() {
    for (x, text) in [
        (100.0, "100.0"),
        (0.1, "0.1"),
        (1.5e-7, "1.5e-7"),
        (1e-5, "0.00001"),
        (1e-6, "1e-6"),
        (1e15, "1000000000000000.0"),
        (1e16, "1e+16"),
        (1e21, "1e+21"),
        (f64::MAX, "1.7976931348623157e+308"),
        (5e-324, "5e-324"),
        (-2.5, "-2.5"),
        (123_456.789, "123456.789"),
        (0.000_123, "0.000123"),
        (-1.2345e-100, "-1.2345e-100"),
        (2.5e100, "2.5e+100"),
        (0.1 + 0.2, "0.30000000000000004"),
    ] {
        assert_eq!(serde_json::to_string(&x).unwrap(), text, "{x:e}");
    }
}

/// serde_json's `preserve_order` feature (turned on by any crate in the build, features
/// being unified) would keep payload keys in the writer's order, and a payload read back
/// from jsonb has another: every hash would change.
#[test]
fn payload_keys_are_sorted_whatever_order_they_came_in() {
    let value: serde_json::Value = serde_json::from_str(r#"{"b":1,"a":{"d":2,"c":3}}"#).unwrap();
    assert_eq!(
        serde_json::to_string(&value).unwrap(),
        r#"{"a":{"c":3,"d":2},"b":1}"#
    );
}

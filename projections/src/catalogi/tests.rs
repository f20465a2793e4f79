//! The catalogi read model's merge of a batch into a catalogus, and its rendering.

use std::collections::HashMap;

use domain::catalogus::Catalogus;
use domain::catalogus_object::CatalogusObject;
use event_schemas::catalogus::ObjectKind;
use serde_json::json;
use uuid::Uuid;

use super::snapshot::{Snapshot, Stored};
use super::{merge_rows, render, Touched};
use crate::render::Urls;

const CATALOGUS: Uuid = Uuid::from_u128(1);
const ZAAKTYPE: Uuid = Uuid::from_u128(2);

fn urls() -> Urls {
    Urls::new("http://x")
}

fn object(kind: ObjectKind, uuid: u128, attributes: serde_json::Value) -> Stored {
    let mut attributes = attributes.as_object().cloned().unwrap();
    attributes.insert("catalogus".into(), urls().catalogus(CATALOGUS).into());
    Stored::Object(CatalogusObject {
        kind,
        uuid: Uuid::from_u128(uuid),
        attributes,
        concept: true,
    })
}

fn zaaktype_url() -> String {
    urls().catalogus_object(ObjectKind::Zaaktype, ZAAKTYPE)
}

fn statustype(uuid: u128, volgnummer: i64) -> Stored {
    object(
        ObjectKind::Statustype,
        uuid,
        json!({"zaaktype": zaaktype_url(), "volgnummer": volgnummer}),
    )
}

fn catalogus() -> Stored {
    Stored::Catalogus(Catalogus {
        uuid: CATALOGUS,
        attributes: serde_json::Map::new(),
    })
}

#[test]
fn the_statustypen_of_a_deleted_zaaktype_leave_the_read_model_with_it() {
    let stored = vec![
        (catalogus(), 0),
        (object(ObjectKind::Zaaktype, 2, json!({})), 0),
        (statustype(3, 1), 0),
    ];
    let touched = HashMap::from([(
        ZAAKTYPE,
        Touched {
            state: None,
            version: 1,
            catalogus_before: Some(CATALOGUS),
            first: 0,
        },
    )]);
    let (rows, mut gone) = merge_rows(stored, &touched, CATALOGUS, &urls());
    gone.sort();
    assert_eq!(rows.len(), 1, "only the catalogus stays");
    assert_eq!(gone, [ZAAKTYPE, Uuid::from_u128(3)]);
}

#[test]
fn the_statustype_with_the_highest_volgnummer_is_the_eindstatus() {
    let rows = [
        catalogus(),
        object(ObjectKind::Zaaktype, 2, json!({"identificatie": "ZT"})),
        statustype(3, 2),
        statustype(4, 1),
    ];
    let snapshot = Snapshot::new(rows.iter().cloned());
    let eind: Vec<(i64, bool)> = snapshot
        .of_kind(ObjectKind::Statustype)
        .map(|s| {
            let r = render::statustype(s, &snapshot, &urls());
            assert_eq!(r["zaaktypeIdentificatie"], "ZT");
            (r["volgnummer"].as_i64().unwrap(), r["isEindstatus"] == true)
        })
        .collect();
    assert_eq!(eind, [(2, true), (1, false)]);
    let zaaktype = render::object(snapshot.find(ZAAKTYPE).unwrap(), &snapshot, &urls());
    assert_eq!(zaaktype["statustypen"].as_array().unwrap().len(), 2);
}

#[test]
fn new_rows_keep_the_order_of_their_events() {
    let touched: HashMap<Uuid, Touched> = (0..20u128)
        .map(|i| {
            let t = Touched {
                state: Some(statustype(100 + i, i as i64)),
                version: 0,
                catalogus_before: None,
                first: i as usize,
            };
            (Uuid::from_u128(100 + i), t)
        })
        .collect();
    let stored = vec![
        (catalogus(), 0),
        (object(ObjectKind::Zaaktype, 2, json!({})), 0),
    ];
    let (rows, gone) = merge_rows(stored, &touched, CATALOGUS, &urls());
    assert!(gone.is_empty());
    let order: Vec<Uuid> = rows.iter().skip(2).map(|(s, _)| s.uuid()).collect();
    assert_eq!(
        order,
        (0..20)
            .map(|i| Uuid::from_u128(100 + i))
            .collect::<Vec<_>>()
    );
}

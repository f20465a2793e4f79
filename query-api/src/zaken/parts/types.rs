//! The catalogue type a part names (resultaattype, roltype, eigenschap): resolved before
//! deciding, so the pure decide gets the facts: what the part derives from its type (a
//! rol's omschrijving, a zaakeigenschap's naam) and the zaaktype the type belongs to, which
//! must be the zaak's (`zaaktype-mismatch`).

use event_schemas::zaak::{PartAttributes, PartKind};
use serde_json::{json, Value};

use crate::error::ApiError;
use crate::zaken::catalogus;
use crate::AppState;

/// The field naming the part's catalogue type.
pub fn type_field(kind: PartKind) -> Option<&'static str> {
    match kind {
        PartKind::Resultaat => Some("resultaattype"),
        PartKind::Rol => Some("roltype"),
        PartKind::Zaakeigenschap => Some("eigenschap"),
        _ => None,
    }
}

/// The zaaktype of the part's type, after setting what derives from the type; `None` for
/// kinds without a catalogue type.
pub async fn resolve(
    s: &AppState,
    kind: PartKind,
    attributes: &mut PartAttributes,
) -> Result<Option<String>, ApiError> {
    let url = |name: &str| {
        attributes
            .get(name)
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned()
    };
    Ok(match kind {
        PartKind::Resultaat => Some(
            catalogus::resultaattype(s, &url("resultaattype"))
                .await?
                .zaaktype,
        ),
        PartKind::Rol => {
            let roltype = catalogus::roltype(s, &url("roltype")).await?;
            attributes.insert("omschrijving".into(), json!(roltype.omschrijving));
            attributes.insert(
                "omschrijvingGeneriek".into(),
                json!(roltype.omschrijving_generiek),
            );
            Some(roltype.zaaktype)
        }
        PartKind::Zaakeigenschap => {
            let eigenschap = catalogus::eigenschap(s, &url("eigenschap")).await?;
            attributes.insert("naam".into(), json!(eigenschap.naam));
            Some(eigenschap.zaaktype)
        }
        _ => None,
    })
}

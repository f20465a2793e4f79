//! The Applicatie request body (Autorisaties API 1.0.0) to domain attributes.

use event_schemas::applicatie::{ApplicatieAttributes, Autorisatie, Component};
use event_schemas::zaak::Vertrouwelijkheidaanduiding;
use serde_json::Value;

use crate::error::ApiError;
use crate::fields::{Fields, Presence::*};

pub fn parse(body: &Value) -> Result<ApplicatieAttributes, ApiError> {
    let mut f = Fields::new(body)?;
    let mut client_ids = f.string_list("clientIds", 50, Required).unwrap_or_default();
    let mut seen = std::collections::HashSet::new();
    client_ids.retain(|c| seen.insert(c.clone()));
    let label = f.string("label", 100, Required).unwrap_or_default();
    let heeft_alle_autorisaties = f
        .boolean("heeftAlleAutorisaties", Optional)
        .unwrap_or(false);
    let autorisaties = match f.raw_value("autorisaties", Optional) {
        None => Vec::new(),
        Some(Value::Array(items)) => items
            .iter()
            .enumerate()
            .filter_map(|(i, item)| autorisatie(&mut f, i, item))
            .collect(),
        Some(_) => {
            f.error(
                "autorisaties",
                "not_a_list",
                "Verwachtte een lijst met items.",
            );
            Vec::new()
        }
    };
    f.finish(|| ApplicatieAttributes {
        client_ids,
        label,
        heeft_alle_autorisaties,
        autorisaties,
    })
}

fn autorisatie(f: &mut Fields<'_>, index: usize, item: &Value) -> Option<Autorisatie> {
    let prefix = format!("autorisaties.{index}");
    let mut a = match Fields::new(item) {
        Ok(a) => a,
        Err(_) => {
            f.error(
                &prefix,
                "invalid",
                "Ongeldige data. Verwacht een dictionary.",
            );
            return None;
        }
    };
    let component: Option<Component> = a.choice("component", Required);
    let scopes = a.string_list("scopes", 100, Required).unwrap_or_default();
    let (type_url, max) = match component.and_then(Component::type_field) {
        Some(field) => (
            a.url(field, 1000, Optional).filter(|u| !u.is_empty()),
            match item.get("maxVertrouwelijkheidaanduiding") {
                Some(Value::String(s)) if s.is_empty() => None,
                _ => a
                    .choice::<Option<Vertrouwelijkheidaanduiding>>(
                        "maxVertrouwelijkheidaanduiding",
                        Nullable,
                    )
                    .flatten(),
            },
        ),
        None => (None, None),
    };
    let ok = a.errors.is_empty();
    f.absorb(&prefix, a);
    Some(Autorisatie {
        component: component?,
        scopes,
        type_url,
        max_vertrouwelijkheidaanduiding: max,
    })
    .filter(|_| ok)
}

//! Kanalen, abonnementen and notifications in the shape of the Notificaties API to typed
//! input, every problem an invalidParam with Open Notificaties' codes. `auth` is read
//! apart: it is never an event.

use std::collections::BTreeMap;

use domain::notificaties::camelize;
use event_schemas::notificaties::{
    AbonnementAttributes, CloudEventFilter, KanaalAttributes, KanaalFilter, NotificatieReceivedV1,
};
use serde_json::{json, Value};

use crate::error::ApiError;
use crate::fields::{as_text, Fields, Presence};

/// Open Notificaties' limits (1.0.1 lifts those of callbackUrl and auth; their columns
/// still hold 200 and 1000 there: we keep a bound, a generous one).
const MAX_CALLBACK_URL: usize = 1000;
const MAX_AUTH: usize = 4000;

pub fn kanaal(body: &Value) -> Result<KanaalAttributes, ApiError> {
    let mut f = Fields::new(body)?;
    let naam = f.string("naam", 50, Presence::Required);
    let documentatie_link = f.url("documentatieLink", 200, Presence::Optional);
    let filters = f.string_list("filters", 100, Presence::Optional);
    f.finish(|| KanaalAttributes {
        naam: naam.unwrap_or_default(),
        documentatie_link: documentatie_link.unwrap_or_default(),
        filters: filters.unwrap_or_default(),
    })
}

/// An abonnement's attributes and its `auth` (required on create: `auth_required`).
pub fn abonnement(
    body: &Value,
    auth_required: bool,
) -> Result<(AbonnementAttributes, Option<String>), ApiError> {
    let mut f = Fields::new(body)?;
    let callback_url = f.string("callbackUrl", MAX_CALLBACK_URL, Presence::Required);
    let presence = if auth_required {
        Presence::Required
    } else {
        Presence::Optional
    };
    let auth = f.string("auth", MAX_AUTH, presence);
    let kanalen = f.objects("kanalen", Presence::Optional, |k| KanaalFilter {
        naam: k.string("naam", 50, Presence::Required).unwrap_or_default(),
        filters: string_map(k, "filters", false),
    });
    let send_cloudevents = f.boolean("sendCloudevents", Presence::Optional);
    let cloudevent_filters = f.objects("cloudeventFilters", Presence::Optional, |c| {
        CloudEventFilter {
            type_substring: c
                .string("typeSubstring", 255, Presence::Required)
                .unwrap_or_default(),
            filters: string_map(c, "filters", false),
        }
    });
    f.finish(|| {
        (
            AbonnementAttributes {
                callback_url: callback_url.unwrap_or_default(),
                kanalen: kanalen.unwrap_or_default(),
                send_cloudevents: send_cloudevents.unwrap_or_default(),
                cloudevent_filters: cloudevent_filters.unwrap_or_default(),
            },
            auth,
        )
    })
}

/// A notification from an outside publisher, normalised: kenmerken names in camelCase,
/// `aanmaakdatum` in UTC. A missing `kenmerken` is none (Open Notificaties answers 500).
pub fn message(body: &Value) -> Result<NotificatieReceivedV1, ApiError> {
    let mut f = Fields::new(body)?;
    let kanaal = f.string("kanaal", 50, Presence::Required);
    let hoofd_object = f.url("hoofdObject", 1000, Presence::Required);
    let resource = f.string("resource", 100, Presence::Required);
    let resource_url = f.url("resourceUrl", 1000, Presence::Required);
    let actie = f.string("actie", 100, Presence::Required);
    let aanmaakdatum = f.datetime("aanmaakdatum", Presence::Required);
    let kenmerken = string_map(&mut f, "kenmerken", true);
    let source = f
        .string("source", 100, Presence::Optional)
        .filter(|s| !s.is_empty());
    f.finish(|| NotificatieReceivedV1 {
        kanaal: kanaal.unwrap_or_default(),
        hoofd_object: hoofd_object.unwrap_or_default(),
        resource: resource.unwrap_or_default(),
        resource_url: resource_url.unwrap_or_default(),
        actie: actie.unwrap_or_default(),
        aanmaakdatum: aanmaakdatum.unwrap_or_default(),
        kenmerken: kenmerken
            .into_iter()
            .map(|(k, v)| (camelize(&k), v))
            .collect(),
        source,
    })
}

/// A CloudEvent as Open Notificaties takes it: `id`, `source`, `specversion` (`n.n`) and
/// `type` required.
pub fn cloudevent(body: &Value) -> Result<Value, ApiError> {
    let mut f = Fields::new(body)?;
    f.string("id", 1000, Presence::Required);
    f.string("source", 1000, Presence::Required);
    f.string("type", 1000, Presence::Required);
    if let Some(v) = f.string("specversion", 20, Presence::Required) {
        let ok = v.split_once('.').is_some_and(|(a, b)| {
            !a.is_empty() && !b.is_empty() && a.chars().chain(b.chars()).all(|c| c.is_ascii_digit())
        });
        if !ok {
            f.error(
                "specversion",
                "invalid",
                "Dit veld moet de vorm n.n hebben.",
            );
        }
    }
    // Passed on as they are, as Open Notificaties does.
    for name in ["datacontenttype", "dataschema", "subject"] {
        f.declare(name, json!({"type": "string"}), Presence::Optional);
    }
    f.declare(
        "time",
        json!({"type": "string", "format": "date-time"}),
        Presence::Optional,
    );
    f.declare("data", json!({"type": "object"}), Presence::Optional);
    f.finish(|| body.clone())
}

/// An object of strings (values of at most 1000 characters; blank only when allowed).
fn string_map(f: &mut Fields<'_>, name: &str, blank: bool) -> BTreeMap<String, String> {
    let Some(v) = f.raw_value(name, Presence::Nullable) else {
        return BTreeMap::new();
    };
    let Value::Object(o) = v else {
        f.error(name, "invalid", "Ongeldige data. Verwacht een dictionary.");
        return BTreeMap::new();
    };
    let mut out = BTreeMap::new();
    for (k, v) in o {
        let field = format!("{name}.{k}");
        match as_text(&v) {
            Some(s) if s.trim().is_empty() && !blank => {
                f.error(&field, "blank", "Dit veld mag niet leeg zijn.")
            }
            Some(s) if s.chars().count() > 1000 => f.error(
                &field,
                "max_length",
                "Zorg ervoor dat dit veld niet meer dan 1000 karakters bevat.",
            ),
            Some(s) => {
                out.insert(k, s.into_owned());
            }
            None => f.error(&field, "invalid", "Geen geldige string."),
        }
    }
    out
}

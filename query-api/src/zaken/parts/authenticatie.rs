//! A rol's `authenticatieContext` (Zaken 1.5 experimental) as Open Zaak 1.30 reads it: a
//! natuurlijk persoon's is DigiD's shape, a niet-natuurlijk persoon's or vestiging's
//! eHerkenning's (its DigiD-/eHerkenningAuthContextSerializer). Stored as rendered: the
//! members given, others dropped as the reference's serializer drops them.

use domain::zaak::rol::AuthSource;
use serde_json::{json, Map, Value};

use crate::fields::{
    describe, Fields,
    Presence::{self, Optional, Required},
};

const MANDATE_ROLES: &[&str] = &["bewindvoerder", "curator", "mentor"];

/// The context `name` of a rol that authenticated through `source`; `None` when absent,
/// null or refused (its problems named `{name}.{member}`).
pub fn context(
    f: &mut Fields<'_>,
    name: &str,
    presence: Presence,
    source: AuthSource,
) -> Option<Value> {
    f.object(name, presence, |c| read(c, source))
}

/// The OpenAPI schema: DigiD's shape or eHerkenning's, from the same parser.
pub fn schema() -> Value {
    let shape = |source| {
        describe(|body| {
            if let Ok(mut f) = Fields::new(body) {
                read(&mut f, source);
            }
        })
    };
    json!({"oneOf": [shape(AuthSource::Digid), shape(AuthSource::Eherkenning)]})
}

fn read(c: &mut Fields<'_>, source: AuthSource) -> Value {
    let mut out = Map::new();
    let source_value = c.one_of("source", &[source.as_str()], Required);
    let level = c.one_of("levelOfAssurance", source.levels(), Required);
    let acting_subject = match source {
        AuthSource::Eherkenning => c.string("actingSubject", 100, Required),
        AuthSource::Digid => None,
    };
    let representee = c.object("representee", Optional, |r| representee(r, source));
    let mandate = c.object("mandate", Optional, |m| mandate(m, source));
    if c.errors.is_empty() && representee.is_some() && mandate.is_none() {
        // AuthContextMandateValidator
        c.error(
            "mandate",
            "required",
            "The mandate context is required when a representee is specified.",
        );
    }
    let members = [
        ("source", source_value.map(Value::String)),
        ("levelOfAssurance", level.map(Value::String)),
        ("actingSubject", acting_subject.map(Value::String)),
        ("representee", representee),
        ("mandate", mandate),
    ];
    for (key, value) in members {
        if let Some(v) = value {
            out.insert(key.to_owned(), v);
        }
    }
    Value::Object(out)
}

/// Whom the betrokkene represents: a BSN (11-proef) under DigiD; a BSN or KVK-nummer under
/// eHerkenning, whose identifier is checked after its fields, as a whole.
fn representee(r: &mut Fields<'_>, source: AuthSource) -> Value {
    let (types, schema) = match source {
        AuthSource::Digid => (
            &["bsn"][..],
            json!({"type": "string", "minLength": 9, "maxLength": 9}),
        ),
        AuthSource::Eherkenning => (
            &["bsn", "kvkNummer"][..],
            json!({"type": "string", "maxLength": 9}),
        ),
    };
    let identifier_type = r.one_of("identifierType", types, Required);
    r.declare("identifier", schema, Required);
    let identifier = match source {
        // The BSN check and both length checks each report, as DRF runs all of a field's.
        AuthSource::Digid => r.string("identifier", usize::MAX, Required).inspect(|id| {
            bsn(r, "identifier", id);
            length(r, "identifier", id, 9, 9);
        }),
        AuthSource::Eherkenning => r.string("identifier", 9, Required),
    };
    if let (AuthSource::Eherkenning, Some(t), Some(id), true) =
        (source, &identifier_type, &identifier, r.errors.is_empty())
    {
        match t.as_str() {
            "bsn" => bsn(r, "nonFieldErrors", id),
            _ => length(r, "nonFieldErrors", id, 0, 8),
        }
    }
    json!({"identifierType": identifier_type, "identifier": identifier})
}

fn bsn(r: &mut Fields<'_>, name: &str, id: &str) {
    if let Err(e) = domain::Rsin::parse(id) {
        r.error(name, e.code(), e.to_string());
    }
}

fn length(r: &mut Fields<'_>, name: &str, id: &str, min: usize, max: usize) {
    let n = id.chars().count();
    if n > max {
        let reason = format!("Zorg ervoor dat dit veld niet meer dan {max} karakters bevat.");
        r.error(name, "max_length", reason);
    }
    if n < min {
        let reason = format!("Zorg ervoor dat dit veld minimaal {min} karakters bevat.");
        r.error(name, "min_length", reason);
    }
}

/// What the representee mandated: services by id (eHerkenning: and uuid), and under
/// eHerkenning optionally a role.
fn mandate(m: &mut Fields<'_>, source: AuthSource) -> Value {
    let mut out = Map::new();
    if source == AuthSource::Eherkenning {
        if let Some(role) = m.one_of("role", MANDATE_ROLES, Optional) {
            out.insert("role".into(), json!(role));
        }
    }
    let services = m.objects("services", Required, |s| service(s, source));
    out.insert("services".into(), json!(services));
    Value::Object(out)
}

fn service(s: &mut Fields<'_>, source: AuthSource) -> Value {
    let id = s.string("id", usize::MAX, Required);
    if source == AuthSource::Digid {
        return json!({"id": id});
    }
    s.declare(
        "uuid",
        json!({"type": "string", "format": "uuid"}),
        Required,
    );
    let uuid = s.string("uuid", usize::MAX, Required).and_then(|u| {
        let parsed = u.parse::<uuid::Uuid>().ok();
        if parsed.is_none() {
            s.error("uuid", "invalid", "Voer een geldige UUID in.");
        }
        parsed
    });
    json!({"id": id, "uuid": uuid})
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ApiError;

    const DIGID_MIDDEN: &str = "urn:oasis:names:tc:SAML:2.0:ac:classes:MobileTwoFactorContract";

    fn parse(body: Value, source: AuthSource) -> Result<Option<Value>, Vec<(String, String)>> {
        let body = json!({ "authenticatieContext": body });
        let mut f = Fields::new(&body).unwrap();
        let v = context(&mut f, "authenticatieContext", Presence::Nullable, source);
        f.finish(|| v).map_err(|e| match e {
            ApiError::Validation(v) => v.into_iter().map(|p| (p.name, p.code)).collect(),
            other => panic!("{other:?}"),
        })
    }

    fn err(name: &str, code: &str) -> (String, String) {
        (format!("authenticatieContext.{name}"), code.to_owned())
    }

    #[test]
    fn a_digid_context_keeps_its_members_and_drops_unknown_ones() {
        let body = json!({"source": "digid", "levelOfAssurance": DIGID_MIDDEN,
            "representee": {"identifierType": "bsn", "identifier": "111222333"},
            "mandate": {"services": [{"id": "svc", "extra": 1}]}, "actingSubject": "x"});
        let got = parse(body, AuthSource::Digid).unwrap().unwrap();
        assert_eq!(
            got,
            json!({"source": "digid", "levelOfAssurance": DIGID_MIDDEN,
                "representee": {"identifierType": "bsn", "identifier": "111222333"},
                "mandate": {"services": [{"id": "svc"}]}})
        );
        assert_eq!(parse(Value::Null, AuthSource::Digid), Ok(None));
    }

    #[test]
    fn a_context_of_the_other_source_or_an_unknown_level_is_an_invalid_choice() {
        let body = json!({"source": "eherkenning", "levelOfAssurance": "urn:etoegang:core:assurance-class:loa3"});
        assert_eq!(
            parse(body, AuthSource::Digid),
            Err(vec![
                err("source", "invalid_choice"),
                err("levelOfAssurance", "invalid_choice")
            ])
        );
    }

    #[test]
    fn an_eherkenning_context_needs_an_acting_subject_and_a_mandate_with_its_representee() {
        let body = json!({"source": "eherkenning", "levelOfAssurance": "urn:etoegang:core:assurance-class:loa2plus",
            "representee": {"identifierType": "kvkNummer", "identifier": "12345678"}});
        assert_eq!(
            parse(body.clone(), AuthSource::Eherkenning),
            Err(vec![err("actingSubject", "required")])
        );
        let mut acting = body;
        acting["actingSubject"] = json!("4B75A0EA107B3D36");
        assert_eq!(
            parse(acting, AuthSource::Eherkenning),
            Err(vec![err("mandate", "required")])
        );
    }

    #[test]
    fn a_representee_identifier_is_checked_as_its_type_says() {
        let digid = |id: &str| {
            parse(
                json!({"source": "digid", "levelOfAssurance": DIGID_MIDDEN,
                "representee": {"identifierType": "bsn", "identifier": id},
                "mandate": {"services": []}}),
                AuthSource::Digid,
            )
        };
        assert_eq!(
            digid("123456789"),
            Err(vec![err("representee.identifier", "invalid")])
        );
        assert_eq!(
            digid("12345678"),
            Err(vec![
                err("representee.identifier", "invalid-length"),
                err("representee.identifier", "min_length")
            ])
        );
        let eherkenning = |t: &str, id: &str| {
            parse(
                json!({"source": "eherkenning", "levelOfAssurance": EHERKENNING_LOA1,
                "actingSubject": "x", "representee": {"identifierType": t, "identifier": id},
                "mandate": {"role": "curator", "services": [{"id": "s", "uuid": "0e5b7bd5-8e2b-4bfb-a5cc-16d42a1fe0a5"}]}}),
                AuthSource::Eherkenning,
            )
        };
        assert!(eherkenning("kvkNummer", "12345678").is_ok());
        assert_eq!(
            eherkenning("kvkNummer", "123456789"),
            Err(vec![err("representee.nonFieldErrors", "max_length")])
        );
        assert_eq!(
            eherkenning("bsn", "123456789"),
            Err(vec![err("representee.nonFieldErrors", "invalid")])
        );
        assert_eq!(
            eherkenning("rsin", "111222333"),
            Err(vec![err("representee.identifierType", "invalid_choice")])
        );
    }

    const EHERKENNING_LOA1: &str = "urn:etoegang:core:assurance-class:loa1";

    #[test]
    fn an_eherkenning_service_needs_a_uuid_and_a_role_is_one_of_three() {
        let body = json!({"source": "eherkenning", "levelOfAssurance": EHERKENNING_LOA1,
            "actingSubject": "x", "mandate": {"role": "voogd", "services": [{"id": "s", "uuid": "nee"}, {}]}});
        assert_eq!(
            parse(body, AuthSource::Eherkenning),
            Err(vec![
                err("mandate.role", "invalid_choice"),
                err("mandate.services.0.uuid", "invalid"),
                err("mandate.services.1.id", "required"),
                err("mandate.services.1.uuid", "required"),
            ])
        );
    }

    #[test]
    fn the_schema_describes_both_shapes() {
        let s = schema();
        assert_eq!(
            s["oneOf"][0]["properties"]["source"]["enum"],
            json!(["digid"])
        );
        assert_eq!(
            s["oneOf"][1]["properties"]["actingSubject"]["maxLength"],
            100
        );
        assert!(
            s["oneOf"][1]["properties"]["mandate"]["properties"]["services"]["items"]["properties"]
                ["uuid"]
                .is_object()
        );
    }
}

//! The Zaak request body (Zaken API 1.5.1, schema `Zaak`) to domain attributes.

use chrono::{DateTime, Utc};
use event_schemas::zaak::{
    AardRelatie, Archiefstatus, Betalingsindicatie, GerelateerdeZaak, Opschorting, Processobject,
    RelevanteZaak, Verlenging, Vertrouwelijkheidaanduiding, ZaakAttributes, ZaakKenmerk,
};
use serde_json::{json, Value};

use crate::error::ApiError;
use crate::fields::{is_http_url, Fields, Presence::*};

/// What the caller sent, read as a complete set of attributes (POST, PUT, or a PATCH merged
/// onto the current attributes by [`merge_patch`]). An empty identificatie is to be generated.
pub fn parse(body: &Value, now: DateTime<Utc>) -> Result<ZaakAttributes, ApiError> {
    let today = now.date_naive();
    let mut f = Fields::new(body)?;
    let bronorganisatie = f.rsin("bronorganisatie", Required);
    let verantwoordelijke = f.rsin("verantwoordelijkeOrganisatie", Required);
    let opdrachtgevende = f.rsin("opdrachtgevendeOrganisatie", Optional);
    let attributes = ZaakAttributes {
        identificatie: f.string("identificatie", 40, Optional).unwrap_or_default(),
        bronorganisatie: bronorganisatie.unwrap_or_default(),
        omschrijving: f.string("omschrijving", 80, Optional).unwrap_or_default(),
        toelichting: f.string("toelichting", 1000, Optional).unwrap_or_default(),
        zaaktype: f.url("zaaktype", 1000, Required).unwrap_or_default(),
        registratiedatum: f.date("registratiedatum", Optional).unwrap_or(today),
        verantwoordelijke_organisatie: verantwoordelijke.unwrap_or_default(),
        startdatum: f.date("startdatum", Required).unwrap_or(today),
        einddatum_gepland: f.date("einddatumGepland", Nullable),
        uiterlijke_einddatum_afdoening: f.date("uiterlijkeEinddatumAfdoening", Nullable),
        publicatiedatum: f.date("publicatiedatum", Nullable),
        communicatiekanaal: f
            .url("communicatiekanaal", 1000, Optional)
            .unwrap_or_default(),
        producten_of_diensten: urls(&mut f, "productenOfDiensten"),
        // Until the Catalogi API is served, a zaak without one is openbaar (issue 3 takes
        // the zaaktype's vertrouwelijkheidaanduiding as the standard says).
        vertrouwelijkheidaanduiding: f
            .choice("vertrouwelijkheidaanduiding", Optional)
            .unwrap_or(Vertrouwelijkheidaanduiding::Openbaar),
        betalingsindicatie: f.blank_or_choice("betalingsindicatie"),
        laatste_betaaldatum: f.datetime("laatsteBetaaldatum", Nullable),
        zaakgeometrie: geometry(&mut f, "zaakgeometrie"),
        verlenging: f.object("verlenging", Nullable, |g| Verlenging {
            reden: g.present_string("reden", 200).unwrap_or_default(),
            duur: g.duration("duur", Required).unwrap_or_default(),
        }),
        opschorting: f.object("opschorting", Nullable, |g| Opschorting {
            indicatie: g.boolean("indicatie", Required).unwrap_or_default(),
            reden: g.present_string("reden", 200).unwrap_or_default(),
        }),
        selectielijstklasse: f
            .url("selectielijstklasse", 1000, Optional)
            .unwrap_or_default(),
        hoofdzaak: f.url("hoofdzaak", 1000, Nullable).filter(|s| !s.is_empty()),
        relevante_andere_zaken: f
            .objects("relevanteAndereZaken", Optional, relevante_zaak)
            .unwrap_or_default(),
        kenmerken: f
            .objects("kenmerken", Optional, |g| ZaakKenmerk {
                kenmerk: g.string("kenmerk", 40, Required).unwrap_or_default(),
                bron: g.string("bron", 40, Required).unwrap_or_default(),
            })
            .unwrap_or_default(),
        archiefnominatie: f.blank_or_choice("archiefnominatie"),
        archiefstatus: f
            .choice("archiefstatus", Optional)
            .unwrap_or(Archiefstatus::NogTeArchiveren),
        archiefactiedatum: f.date("archiefactiedatum", Nullable),
        opdrachtgevende_organisatie: opdrachtgevende.unwrap_or_default(),
        processobjectaard: f.string("processobjectaard", 200, Nullable),
        startdatum_bewaartermijn: f.date("startdatumBewaartermijn", Nullable),
        processobject: f.object("processobject", Nullable, |g| Processobject {
            datumkenmerk: g.present_string("datumkenmerk", 250).unwrap_or_default(),
            identificatie: g.present_string("identificatie", 250).unwrap_or_default(),
            objecttype: g.present_string("objecttype", 250).unwrap_or_default(),
            registratie: g.present_string("registratie", 250).unwrap_or_default(),
        }),
        communicatiekanaal_naam: f
            .string("communicatiekanaalNaam", 250, Optional)
            .unwrap_or_default(),
        laatst_geopend: f.datetime("laatstGeopend", Nullable),
        gerelateerde_zaken: f
            .objects("gerelateerdeZaken", Optional, |g| GerelateerdeZaak {
                url: g.url("url", 1000, Required).unwrap_or_default(),
            })
            .unwrap_or_default(),
    };
    check_rules(&mut f, &attributes, now);
    f.finish(|| attributes)
}

/// A PATCH body laid over the current attributes: only writable fields it names change.
pub fn merge_patch(current: &ZaakAttributes, patch: &Value) -> Result<Value, ApiError> {
    let current = serde_json::to_value(current).map_err(ApiError::internal)?;
    crate::resource::merge_patch(current, patch)
}

/// A new zaak's body, as POST /zaken parses it.
pub fn new_zaak(body: &Value, now: DateTime<Utc>) -> Result<commands::zaken::NewZaak, ApiError> {
    Ok(commands::zaken::NewZaak {
        attributes: parse(body, now)?,
        vertrouwelijkheid_given: body
            .get("vertrouwelijkheidaanduiding")
            .is_some_and(|v| !v.is_null() && v != ""),
    })
}

/// The references to the world outside the zaak a PUT or PATCH body names.
pub fn named(body: &Value) -> commands::zaken::Named {
    let text = |name: &str| body.get(name).and_then(Value::as_str).map(str::to_owned);
    let urls = |list: &str| {
        body.get(list).and_then(Value::as_array).map(|items| {
            items
                .iter()
                .map(|r| {
                    r.get("url")
                        .and_then(Value::as_str)
                        .unwrap_or_default()
                        .to_owned()
                })
                .collect()
        })
    };
    commands::zaken::Named {
        hoofdzaak: text("hoofdzaak"),
        selectielijstklasse: text("selectielijstklasse"),
        communicatiekanaal: text("communicatiekanaal"),
        relevante_andere_zaken: urls("relevanteAndereZaken"),
        gerelateerde_zaken: urls("gerelateerdeZaken"),
        producten_of_diensten: body
            .get("productenOfDiensten")
            .and_then(Value::as_array)
            .map(|p| {
                p.iter()
                    .filter_map(|p| p.as_str().map(str::to_owned))
                    .collect()
            }),
        archiveert: text("archiefstatus").is_some_and(|a| a != "nog_te_archiveren"),
    }
}

/// The standard's rules between fields of one zaak (ZRC gedragsregels).
fn check_rules(f: &mut Fields<'_>, a: &ZaakAttributes, now: DateTime<Utc>) {
    if let Some(betaald) = a.laatste_betaaldatum {
        if betaald > now {
            f.error(
                "laatsteBetaaldatum",
                "future_not_allowed",
                "Deze waarde mag niet in de toekomst liggen.",
            );
        }
        if a.betalingsindicatie == Some(Betalingsindicatie::Nvt) {
            f.error(
                "laatsteBetaaldatum",
                "betaling-nvt",
                "Laatste betaaldatum kan niet gezet worden als de betalingsindicatie \"nvt\" is",
            );
        }
    }
    if a.archiefstatus != Archiefstatus::NogTeArchiveren {
        if a.archiefnominatie.is_none() {
            f.error(
                "archiefnominatie",
                "archiefnominatie-not-set",
                "Moet van een waarde voorzien zijn als de 'Archiefstatus' een waarde heeft anders dan 'nog_te_archiveren'.",
            );
        }
        if a.archiefactiedatum.is_none() {
            f.error(
                "archiefactiedatum",
                "archiefactiedatum-not-set",
                "Moet van een waarde voorzien zijn als de 'Archiefstatus' een waarde heeft anders dan 'nog_te_archiveren'.",
            );
        }
    }
}

/// One relevanteAndereZaken item; `overig` needs its overigeRelatie
/// (`overigerelatie-required`, Open Zaak's experimental extension).
fn relevante_zaak(g: &mut Fields<'_>) -> RelevanteZaak {
    let zaak = RelevanteZaak {
        url: g.url("url", 1000, Required).unwrap_or_default(),
        aard_relatie: g
            .choice("aardRelatie", Required)
            .unwrap_or(AardRelatie::Vervolg),
        overige_relatie: g
            .string("overigeRelatie", 100, Optional)
            .unwrap_or_default(),
        toelichting: g.string("toelichting", 255, Optional).unwrap_or_default(),
    };
    if zaak.aard_relatie == AardRelatie::Overig && zaak.overige_relatie.is_empty() {
        g.error(
            "overigeRelatie",
            "overigerelatie-required",
            "`overigeRelatie` is verplicht als de relatie aard overig is.",
        );
    }
    zaak
}

fn urls(f: &mut Fields<'_>, name: &str) -> Vec<String> {
    let urls = f.string_list(name, 1000, Optional).unwrap_or_default();
    if urls.iter().any(|u| !is_http_url(u)) {
        f.error(name, "invalid", "Voer een geldige URL in.");
    }
    urls
}

/// How deep each geometry type nests its positions in `coordinates` (GeoJSON, RFC 7946).
fn position_depth(kind: &str) -> Option<usize> {
    match kind {
        "Point" => Some(0),
        "MultiPoint" | "LineString" => Some(1),
        "MultiLineString" | "Polygon" => Some(2),
        "MultiPolygon" => Some(3),
        _ => None,
    }
}

/// A GeoJSON geometry in EPSG:4326 (the only Content-Crs served) with only its own members
/// (`type` and `coordinates`, or `geometries`), or `None` when it is not one.
fn wgs84_geometry(v: &Value) -> Option<Value> {
    let kind = v.get("type")?.as_str()?;
    if kind == "GeometryCollection" {
        let members = v.get("geometries")?.as_array()?.iter();
        let members: Option<Vec<Value>> = members.map(wgs84_geometry).collect();
        return Some(json!({"type": kind, "geometries": members?}));
    }
    let coordinates = v.get("coordinates")?;
    positions_fit(coordinates, position_depth(kind)?)
        .then(|| json!({"type": kind, "coordinates": coordinates}))
}

/// Every position `depth` arrays down is [longitude, latitude] or [.., .., altitude]: numbers
/// within WGS84's ranges (an altitude within ±1000 km).
fn positions_fit(v: &Value, depth: usize) -> bool {
    let Some(items) = v.as_array() else {
        return false;
    };
    if depth > 0 {
        return items.iter().all(|item| positions_fit(item, depth - 1));
    }
    let numbers: Vec<f64> = items.iter().filter_map(Value::as_f64).collect();
    numbers.len() == items.len()
        && matches!(numbers.len(), 2 | 3)
        && numbers[0].abs() <= 180.0
        && numbers[1].abs() <= 90.0
        && numbers.get(2).is_none_or(|z| z.abs() <= 1e6)
}

/// A GeoJSON geometry: an object with a known `type` and its coordinates (or geometries).
fn geometry(f: &mut Fields<'_>, name: &str) -> Option<Value> {
    let v = f.raw_value(name, Nullable)?;
    let geometry = wgs84_geometry(&v);
    if geometry.is_none() {
        f.error(name, "invalid", "Ongeldige GeoJSON-geometrie.");
    }
    geometry
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;
    use serde_json::json;

    fn now() -> DateTime<Utc> {
        "2026-11-23T12:00:00Z".parse().unwrap()
    }

    fn today() -> NaiveDate {
        now().date_naive()
    }

    fn minimal() -> Value {
        json!({"bronorganisatie": "517439943", "verantwoordelijkeOrganisatie": "517439943",
            "zaaktype": "http://x.nl/zaaktypen/1", "startdatum": "2026-11-01"})
    }

    fn with(extra: Value) -> Value {
        let mut body = minimal();
        body.as_object_mut()
            .unwrap()
            .extend(extra.as_object().unwrap().clone());
        body
    }

    #[test]
    fn a_laatste_betaaldatum_in_the_future_or_with_betalingsindicatie_nvt_is_refused() {
        let future = with(json!({"laatsteBetaaldatum": "2026-11-24T00:00:00Z"}));
        assert_eq!(
            names(parse(&future, now()).unwrap_err()),
            vec![("laatsteBetaaldatum".into(), "future_not_allowed".into())]
        );
        let nvt = with(
            json!({"laatsteBetaaldatum": "2026-11-20T00:00:00Z", "betalingsindicatie": "nvt"}),
        );
        assert_eq!(
            names(parse(&nvt, now()).unwrap_err()),
            vec![("laatsteBetaaldatum".into(), "betaling-nvt".into())]
        );
        let paid = with(
            json!({"laatsteBetaaldatum": "2026-11-20T00:00:00Z", "betalingsindicatie": "geheel"}),
        );
        assert!(parse(&paid, now()).is_ok());
    }

    #[test]
    fn an_archiefstatus_beyond_nog_te_archiveren_needs_archiefnominatie_and_archiefactiedatum() {
        let body = with(json!({"archiefstatus": "gearchiveerd"}));
        assert_eq!(
            names(parse(&body, now()).unwrap_err()),
            vec![
                ("archiefnominatie".into(), "archiefnominatie-not-set".into()),
                (
                    "archiefactiedatum".into(),
                    "archiefactiedatum-not-set".into()
                ),
            ]
        );
        let complete = with(
            json!({"archiefstatus": "gearchiveerd", "archiefnominatie": "vernietigen", "archiefactiedatum": "2030-01-01"}),
        );
        assert!(parse(&complete, now()).is_ok());
    }

    #[test]
    fn problems_in_nested_groups_name_the_nested_field() {
        let body = with(json!({
            "opschorting": {"reden": "wachten"},
            "verlenging": {"duur": "vijf dagen"},
            "kenmerken": [{"kenmerk": "k1", "bron": "b"}, {"kenmerk": "k2"}],
            "relevanteAndereZaken": [{"url": "http://x.nl/zaken/1", "aardRelatie": "ooit"}],
        }));
        let mut got = names(parse(&body, now()).unwrap_err());
        got.sort();
        assert_eq!(
            got,
            vec![
                ("kenmerken.1.bron".into(), "required".into()),
                ("opschorting.indicatie".into(), "required".into()),
                (
                    "relevanteAndereZaken.0.aardRelatie".into(),
                    "invalid_choice".into()
                ),
                ("verlenging.duur".into(), "invalid".into()),
                ("verlenging.reden".into(), "required".into()),
            ]
        );
    }

    #[test]
    fn a_relevante_zaak_of_aard_overig_needs_its_overige_relatie() {
        let body = with(json!({"relevanteAndereZaken": [
            {"url": "http://x.nl/zaken/2", "aardRelatie": "overig"},
            {"url": "http://x.nl/zaken/3", "aardRelatie": "overig", "overigeRelatie": "buren"}]}));
        assert_eq!(
            names(parse(&body, now()).unwrap_err()),
            vec![(
                "relevanteAndereZaken.0.overigeRelatie".into(),
                "overigerelatie-required".into()
            )]
        );
    }

    #[test]
    fn naive_date_times_numbers_for_strings_and_the_zero_rsin_are_accepted() {
        let body = json!({"bronorganisatie": "000000000", "verantwoordelijkeOrganisatie": "000000000",
            "zaaktype": "http://x.nl/zaaktypen/1", "startdatum": "2026-11-01",
            "omschrijving": 20, "laatsteBetaaldatum": "2026-11-20T13:37:00"});
        let a = parse(&body, now()).unwrap();
        assert_eq!(a.omschrijving, "20");
        assert_eq!(a.bronorganisatie, "000000000");
        assert_eq!(
            a.laatste_betaaldatum.unwrap().to_rfc3339(),
            "2026-11-20T13:37:00+00:00"
        );
    }

    fn names(e: ApiError) -> Vec<(String, String)> {
        match e {
            ApiError::Validation(p) => p.into_iter().map(|p| (p.name, p.code)).collect(),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn a_minimal_zaak_gets_the_standards_defaults() {
        let body = json!({"bronorganisatie": "517439943", "verantwoordelijkeOrganisatie": "517439943",
            "zaaktype": "http://x.nl/zaaktypen/1", "startdatum": "2026-11-01"});
        let a = parse(&body, now()).unwrap();
        assert_eq!(a.registratiedatum, today());
        assert_eq!(a.archiefstatus, Archiefstatus::NogTeArchiveren);
        assert_eq!(a.identificatie, "");
    }

    #[test]
    fn every_invalid_field_is_named_with_its_code() {
        let body = json!({"bronorganisatie": "123456789", "zaaktype": "geen-url",
            "startdatum": "01-11-2026", "omschrijving": "x".repeat(81), "archiefstatus": "weg"});
        let mut got = names(parse(&body, now()).unwrap_err());
        got.sort();
        assert_eq!(
            got,
            vec![
                ("archiefstatus".into(), "invalid_choice".into()),
                ("bronorganisatie".into(), "invalid".into()),
                ("omschrijving".into(), "max_length".into()),
                ("startdatum".into(), "invalid".into()),
                ("verantwoordelijkeOrganisatie".into(), "required".into()),
                ("zaaktype".into(), "invalid".into()),
            ]
        );
    }

    #[test]
    fn a_patch_changes_only_the_fields_it_names() {
        let body = json!({"bronorganisatie": "517439943", "verantwoordelijkeOrganisatie": "517439943",
            "zaaktype": "http://x.nl/zaaktypen/1", "startdatum": "2026-11-01", "omschrijving": "oud"});
        let current = parse(&body, now()).unwrap();
        let merged = merge_patch(
            &current,
            &json!({"omschrijving": "nieuw", "url": "genegeerd"}),
        )
        .unwrap();
        let patched = parse(&merged, now()).unwrap();
        assert_eq!(patched.omschrijving, "nieuw");
        assert_eq!(patched.startdatum, current.startdatum);
        assert!(merged.get("url").is_none());
    }
}

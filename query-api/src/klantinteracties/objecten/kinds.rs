//! Each kind of simple object as the API serves it: its filters and how a request body
//! becomes its attributes (DRF's codes for malformed fields; Open Klant's rules are the
//! aggregate's, or filled in here where Open Klant's serializer or model fills them).

use chrono::Utc;
use domain::klantinteracties::SimpleState;
use event_schemas::contactgegevens::{OrganisatieAttributes, PersoonAttributes};
use event_schemas::klantinteracties::overig::{
    ActorAttributes, ActorIdentificatie, CategorieAttributes, CategorieRelatieAttributes,
    InternetaakAttributes, Taakstatus,
};
use projections::objecten::models;
use serde_json::Value;
use uuid::Uuid;

use super::super::dto::{adres, object_identificator, reference};
use super::super::filters::Filter;
use super::{merged, ObjectApi};
use crate::error::ApiError;
use crate::fields::{Fields, Presence::*};
use crate::AppState;
use projections::render::Urls;

pub use models::{Actoren, CategorieRelaties, Categorieen, Internetaken, Organisaties, Personen};

const KLANTCONTACTEN: &str = "/klantinteracties/api/v1/klantcontacten/";
const ACTOREN: &str = "/klantinteracties/api/v1/actoren/";
const PARTIJEN: &str = "/klantinteracties/api/v1/partijen/";
const CATEGORIEEN: &str = "/klantinteracties/api/v1/categorieen/";

/// A number of at most ten digits (Open Klant's `validate_integer`), or none.
fn nummer(f: &mut Fields<'_>, name: &str) -> Option<String> {
    let n = f.string(name, 10, Nullable).filter(|n| !n.is_empty())?;
    if !n.chars().all(|c| c.is_ascii_digit()) {
        f.error(name, "invalid", "Voer een geldig nummer in.");
    }
    Some(n)
}

impl ObjectApi for Internetaken {
    const FILTERS: &'static [(&'static str, Filter)] = &[
        (
            "aanleidinggevendKlantcontact__url",
            Filter::UrlIn("o.klantcontact = {}", KLANTCONTACTEN),
        ),
        (
            "aanleidinggevendKlantcontact__uuid",
            Filter::UuidIn("o.klantcontact = {}"),
        ),
        (
            "actoren__naam",
            Filter::TextIn(
                "EXISTS (SELECT 1 FROM actoren a WHERE a.uuid = ANY(o.actoren) AND a.naam = {})",
            ),
        ),
        (
            "klantcontact__nummer",
            Filter::TextIn(
                "EXISTS (SELECT 1 FROM klantcontacten k WHERE k.uuid = o.klantcontact \
                 AND k.nummer = {})",
            ),
        ),
        (
            "klantcontact__referentienummer",
            Filter::TextIn(
                "EXISTS (SELECT 1 FROM klantcontacten k WHERE k.uuid = o.klantcontact \
                 AND k.referentienummer = {})",
            ),
        ),
        ("klantcontact__uuid", Filter::UuidIn("o.klantcontact = {}")),
        ("nummer", Filter::Text("o.nummer")),
        ("referentienummer", Filter::Text("o.referentienummer")),
        (
            "status",
            Filter::Choice("o.status", &["te_verwerken", "verwerkt"]),
        ),
        (
            "toegewezenAanActor__url",
            Filter::UrlIn("{} = ANY(o.actoren)", ACTOREN),
        ),
        (
            "toegewezenAanActor__uuid",
            Filter::UuidIn("{} = ANY(o.actoren)"),
        ),
        ("toegewezenOp", Filter::Text("o.toegewezen_op")),
    ];
    const WHAT: &'static str = "De internetaak";

    /// Open Klant's rules of the request: `toegewezenAanActor` (deprecated) or
    /// `toegewezenAanActoren`, not both, and one of them unless a PATCH; `toegewezenOp` set
    /// once, at creation; `afgehandeldOp` set when the taak becomes verwerkt without one,
    /// cleared when it goes back to te_verwerken.
    fn attributes(
        body: &Value,
        current: Option<&SimpleState<InternetaakAttributes>>,
        partial: bool,
        urls: &Urls,
    ) -> Result<InternetaakAttributes, ApiError> {
        let has = |name: &str| body.get(name).is_some();
        let sent_afgehandeld = body.get("afgehandeldOp").is_some_and(|v| !v.is_null());
        let (one, many) = (has("toegewezenAanActor"), has("toegewezenAanActoren"));
        let body = merged::<Self>(body, current, partial, urls)?;
        let mut f = Fields::new(&body)?;
        if one && many {
            let both = "`toegewezen_aan_actor` en `toegewezen_aan_actoren` mag niet beiden \
                        gebruikt worden.";
            f.error("nonFieldErrors", "invalid", both);
        } else if !one && !many && !partial {
            let neither = "`toegewezen_aan_actor` of `toegewezen_aan_actoren` is required (mag \
                           niet beiden gebruiken).";
            f.error("nonFieldErrors", "invalid", neither);
        }
        // The one sent stands for the list; a PATCH's rendered pair is the list.
        let first = f
            .object("toegewezenAanActor", Nullable, item_uuid)
            .flatten();
        let list = f.objects("toegewezenAanActoren", Optional, item_uuid);
        let actoren = if one { Some(vec![first]) } else { list };
        let attributes = InternetaakAttributes {
            nummer: nummer(&mut f, "nummer"),
            referentienummer: nummer(&mut f, "referentienummer"),
            gevraagde_handeling: f
                .string("gevraagdeHandeling", 200, Required)
                .unwrap_or_default(),
            aanleidinggevend_klantcontact: reference(
                &mut f,
                "aanleidinggevendKlantcontact",
                Required,
            )
            .unwrap_or_default(),
            toegewezen_aan_actoren: actoren.unwrap_or_default().into_iter().flatten().collect(),
            toelichting: f.string("toelichting", 1000, Optional).unwrap_or_default(),
            status: f
                .choice("status", Required)
                .unwrap_or(Taakstatus::TeVerwerken),
            toegewezen_op: current
                .and_then(|c| c.attributes.toegewezen_op)
                .or_else(|| Some(Utc::now())),
            afgehandeld_op: f.datetime("afgehandeldOp", Nullable),
        };
        let mut a = f.finish(|| attributes)?;
        match a.status {
            Taakstatus::TeVerwerken if !sent_afgehandeld => a.afgehandeld_op = None,
            Taakstatus::Verwerkt if a.afgehandeld_op.is_none() => {
                a.afgehandeld_op = Some(Utc::now())
            }
            _ => {}
        }
        Ok(a)
    }
}

/// The uuid of an item of a list of references (`[{"uuid": ...}]`).
fn item_uuid(g: &mut Fields<'_>) -> Option<Uuid> {
    let raw = g.string("uuid", 36, Required)?;
    let uuid = raw.parse().ok();
    if uuid.is_none() {
        g.error("uuid", "invalid", "Voer een geldige UUID in.");
    }
    uuid
}

impl ObjectApi for Actoren {
    const FILTERS: &'static [(&'static str, Filter)] = &[
        (
            "actoridentificatorCodeObjecttype",
            Filter::Text("o.ai_code_objecttype"),
        ),
        (
            "actoridentificatorCodeRegister",
            Filter::Text("o.ai_code_register"),
        ),
        (
            "actoridentificatorCodeSoortObjectId",
            Filter::Text("o.ai_code_soort_object_id"),
        ),
        ("actoridentificatorObjectId", Filter::Text("o.ai_object_id")),
        ("indicatieActief", Filter::Bool("o.indicatie_actief")),
        ("naam", Filter::Text("o.naam")),
        (
            "soortActor",
            Filter::Choice(
                "o.soort_actor",
                &[
                    "medewerker",
                    "geautomatiseerde_actor",
                    "organisatorische_eenheid",
                ],
            ),
        ),
    ];
    const WHAT: &'static str = "De actor";

    fn attributes(
        body: &Value,
        current: Option<&SimpleState<ActorAttributes>>,
        partial: bool,
        urls: &Urls,
    ) -> Result<ActorAttributes, ApiError> {
        let body = merged::<Self>(body, current, partial, urls)?;
        let mut f = Fields::new(&body)?;
        let naam = f.string("naam", 200, Required).unwrap_or_default();
        let soort = f.one_of(
            "soortActor",
            &[
                "medewerker",
                "geautomatiseerde_actor",
                "organisatorische_eenheid",
            ],
            Required,
        );
        let text = |g: &mut Fields<'_>, name: &str, max: usize, presence| {
            g.string(name, max, presence).unwrap_or_default()
        };
        let identificatie = match soort.as_deref() {
            Some("medewerker") => f.object("actorIdentificatie", Nullable, |g| {
                ActorIdentificatie::Medewerker {
                    functie: text(g, "functie", 40, Required),
                    emailadres: text(g, "emailadres", 254, Optional),
                    telefoonnummer: text(g, "telefoonnummer", 20, Required),
                }
            }),
            Some("geautomatiseerde_actor") => f.object("actorIdentificatie", Nullable, |g| {
                ActorIdentificatie::GeautomatiseerdeActor {
                    functie: text(g, "functie", 40, Required),
                    omschrijving: text(g, "omschrijving", 200, Optional),
                }
            }),
            _ => f.object("actorIdentificatie", Nullable, |g| {
                ActorIdentificatie::OrganisatorischeEenheid {
                    omschrijving: text(g, "omschrijving", 200, Optional),
                    emailadres: text(g, "emailadres", 254, Optional),
                    faxnummer: text(g, "faxnummer", 20, Optional),
                    telefoonnummer: text(g, "telefoonnummer", 20, Optional),
                }
            }),
        };
        // Without an actorIdentificatie, the soort's with its fields blank.
        let identificatie = identificatie.unwrap_or_else(|| match soort.as_deref() {
            Some("medewerker") => ActorIdentificatie::Medewerker {
                functie: String::new(),
                emailadres: String::new(),
                telefoonnummer: String::new(),
            },
            Some("geautomatiseerde_actor") => ActorIdentificatie::GeautomatiseerdeActor {
                functie: String::new(),
                omschrijving: String::new(),
            },
            _ => ActorIdentificatie::OrganisatorischeEenheid {
                omschrijving: String::new(),
                emailadres: String::new(),
                faxnummer: String::new(),
                telefoonnummer: String::new(),
            },
        });
        let attributes = ActorAttributes {
            naam,
            actor_identificatie: identificatie,
            indicatie_actief: f.boolean("indicatieActief", Optional).unwrap_or(true),
            actoridentificator: f.object("actoridentificator", Nullable, object_identificator),
        };
        f.finish(|| attributes)
    }
}

impl ObjectApi for Categorieen {
    const FILTERS: &'static [(&'static str, Filter)] = &[];
    const WHAT: &'static str = "De categorie";

    fn attributes(
        body: &Value,
        current: Option<&SimpleState<CategorieAttributes>>,
        partial: bool,
        urls: &Urls,
    ) -> Result<CategorieAttributes, ApiError> {
        let body = merged::<Self>(body, current, partial, urls)?;
        let mut f = Fields::new(&body)?;
        let naam = f.string("naam", 80, Optional).unwrap_or_default();
        f.finish(|| CategorieAttributes { naam })
    }
}

impl ObjectApi for CategorieRelaties {
    const FILTERS: &'static [(&'static str, Filter)] = &[
        ("beginDatum", Filter::TextIn("o.begin_datum::text = {}")),
        (
            "categorie__naam",
            Filter::TextIn(
                "EXISTS (SELECT 1 FROM categorieen c WHERE c.uuid = o.categorie AND c.naam = {})",
            ),
        ),
        (
            "categorie__url",
            Filter::UrlIn("o.categorie = {}", CATEGORIEEN),
        ),
        ("categorie__uuid", Filter::UuidIn("o.categorie = {}")),
        ("eindDatum", Filter::TextIn("o.eind_datum::text = {}")),
        (
            "partij__nummer",
            Filter::TextIn(
                "EXISTS (SELECT 1 FROM partijen p WHERE p.uuid = o.partij AND p.nummer = {})",
            ),
        ),
        ("partij__url", Filter::UrlIn("o.partij = {}", PARTIJEN)),
        ("partij__uuid", Filter::UuidIn("o.partij = {}")),
    ];
    const WHAT: &'static str = "De categorie-relatie";

    /// A relatie created without a beginDatum begins today (Open Klant's serializer).
    fn attributes(
        body: &Value,
        current: Option<&SimpleState<CategorieRelatieAttributes>>,
        partial: bool,
        urls: &Urls,
    ) -> Result<CategorieRelatieAttributes, ApiError> {
        let body = merged::<Self>(body, current, partial, urls)?;
        let mut f = Fields::new(&body)?;
        let attributes = CategorieRelatieAttributes {
            partij: reference(&mut f, "partij", Nullable),
            categorie: reference(&mut f, "categorie", Nullable),
            begin_datum: f.date("beginDatum", Nullable),
            eind_datum: f.date("eindDatum", Nullable),
        };
        let mut a = f.finish(|| attributes)?;
        if current.is_none() && a.begin_datum.is_none() {
            a.begin_datum = Some(Utc::now().date_naive());
        }
        Ok(a)
    }

    /// The naam of each relatie's categorie (read-only in `CategorieForeignKey`).
    async fn complete(s: &AppState, resources: &mut [Value]) -> Result<(), ApiError> {
        let ids: Vec<Uuid> = resources
            .iter()
            .filter_map(|r| r["categorie"]["uuid"].as_str()?.parse().ok())
            .collect();
        if ids.is_empty() {
            return Ok(());
        }
        let namen: std::collections::HashMap<Uuid, String> =
            sqlx::query_as("SELECT uuid, naam FROM categorieen WHERE uuid = ANY($1)")
                .bind(&ids)
                .fetch_all(&s.pool)
                .await
                .map_err(ApiError::internal)?
                .into_iter()
                .collect();
        for r in resources {
            let naam = r["categorie"]["uuid"]
                .as_str()
                .and_then(|u| u.parse().ok())
                .and_then(|u: Uuid| namen.get(&u).cloned());
            if let Some(categorie) = r.get_mut("categorie").and_then(Value::as_object_mut) {
                categorie.insert("naam".into(), naam.unwrap_or_default().into());
            }
        }
        Ok(())
    }
}

impl ObjectApi for Personen {
    const FILTERS: &'static [(&'static str, Filter)] = &[];
    const WHAT: &'static str = "De persoon";

    fn attributes(
        body: &Value,
        current: Option<&SimpleState<PersoonAttributes>>,
        partial: bool,
        urls: &Urls,
    ) -> Result<PersoonAttributes, ApiError> {
        let body = merged::<Self>(body, current, partial, urls)?;
        let mut f = Fields::new(&body)?;
        let attributes = PersoonAttributes {
            geboortedatum: f.date("geboortedatum", Required).unwrap_or_default(),
            overlijdensdatum: f.date("overlijdensdatum", Nullable),
            geslachtsnaam: f.string("geslachtsnaam", 200, Required).unwrap_or_default(),
            geslacht: f.blank_or_choice("geslacht"),
            voorvoegsel: f.string("voorvoegsel", 10, Optional).unwrap_or_default(),
            voornamen: f.string("voornamen", 200, Optional).unwrap_or_default(),
            adres: f.object("adres", Nullable, adres),
        };
        f.finish(|| attributes)
    }
}

impl ObjectApi for Organisaties {
    const FILTERS: &'static [(&'static str, Filter)] = &[];
    const WHAT: &'static str = "De organisatie";

    fn attributes(
        body: &Value,
        current: Option<&SimpleState<OrganisatieAttributes>>,
        partial: bool,
        urls: &Urls,
    ) -> Result<OrganisatieAttributes, ApiError> {
        let body = merged::<Self>(body, current, partial, urls)?;
        let mut f = Fields::new(&body)?;
        let attributes = OrganisatieAttributes {
            handelsnaam: f.string("handelsnaam", 255, Required).unwrap_or_default(),
            oprichtingsdatum: f.date("oprichtingsdatum", Nullable),
            opheffingsdatum: f.date("opheffingsdatum", Nullable),
            adres: f.object("adres", Nullable, adres),
        };
        f.finish(|| attributes)
    }
}

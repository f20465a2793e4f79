//! The catalogue as the registers' rules see it: a zaaktype with its statustypen,
//! resultaattypen, roltypen and eigenschappen, and single types with the URL of their
//! zaaktype. Resolved by the write side's adapters (our catalogi read model, or another
//! Catalogi API's resource, which has the same shape) and handed to `decide` with a command.

use chrono::NaiveDate;
use event_schemas::zaak::{Archiefnominatie, Vertrouwelijkheidaanduiding};
use serde::Deserialize;
use serde_json::Value;

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ZaaktypeFacts {
    pub url: String,
    /// Not yet published: a zaak may not use it.
    pub concept: bool,
    /// The catalogus URL.
    pub catalogus: String,
    pub identificatie: String,
    pub begin_geldigheid: Option<NaiveDate>,
    pub einde_geldigheid: Option<NaiveDate>,
    /// The default of a zaak's vertrouwelijkheidaanduiding.
    pub vertrouwelijkheidaanduiding: Vertrouwelijkheidaanduiding,
    /// What a zaak of this type may name in its productenOfDiensten.
    #[serde(default)]
    pub producten_of_diensten: Vec<String>,
    #[serde(skip)]
    pub statustypen: Vec<StatustypeFacts>,
    #[serde(skip)]
    pub resultaattypen: Vec<ResultaattypeFacts>,
    #[serde(skip)]
    pub roltypen: Vec<RoltypeFacts>,
    #[serde(skip)]
    pub eigenschappen: Vec<EigenschapFacts>,
    /// URLs of the informatieobjecttypen a zaak of this type may hold.
    pub informatieobjecttypen: Vec<String>,
    /// URLs of the besluittypen a zaak of this type may lead to.
    pub besluittypen: Vec<String>,
    /// URLs of the zaaktypen a deelzaak of a zaak of this type may have.
    #[serde(default)]
    pub deelzaaktypen: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct StatustypeFacts {
    pub url: String,
    pub zaaktype: String,
    pub omschrijving: String,
    pub volgnummer: i64,
    /// The highest volgnummer of its zaaktype: setting it closes the zaak.
    pub is_eindstatus: bool,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ResultaattypeFacts {
    pub url: String,
    pub zaaktype: String,
    pub omschrijving: String,
    #[serde(default, deserialize_with = "blank_as_none")]
    pub archiefnominatie: Option<Archiefnominatie>,
    /// ISO 8601 duration, e.g. `P10Y`.
    pub archiefactietermijn: Option<String>,
    /// `{afleidingswijze, datumkenmerk, einddatumBekend, objecttype, registratie,
    /// procestermijn}` as the Catalogi API writes it.
    pub brondatum_archiefprocedure: Option<Value>,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RoltypeFacts {
    pub url: String,
    pub zaaktype: String,
    pub omschrijving: String,
    pub omschrijving_generiek: String,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct EigenschapFacts {
    pub url: String,
    pub zaaktype: String,
    pub naam: String,
    /// `{formaat, lengte, kardinaliteit, waardenverzameling, groep}`.
    pub specificatie: Value,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct InformatieobjecttypeFacts {
    pub url: String,
    pub concept: bool,
    pub catalogus: String,
    pub omschrijving: String,
    pub vertrouwelijkheidaanduiding: Vertrouwelijkheidaanduiding,
    /// URLs of the zaaktypen that may hold documents of this type.
    pub zaaktypen: Vec<String>,
    pub begin_geldigheid: Option<NaiveDate>,
    pub einde_geldigheid: Option<NaiveDate>,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct BesluittypeFacts {
    pub url: String,
    pub concept: bool,
    pub catalogus: String,
    /// URLs of the zaaktypen whose zaken may lead to a besluit of this type.
    pub zaaktypen: Vec<String>,
    pub informatieobjecttypen: Vec<String>,
    pub begin_geldigheid: Option<NaiveDate>,
    pub einde_geldigheid: Option<NaiveDate>,
}

fn blank_as_none<'de, D: serde::Deserializer<'de>>(
    d: D,
) -> Result<Option<Archiefnominatie>, D::Error> {
    match Option::<String>::deserialize(d)?.as_deref() {
        None | Some("") => Ok(None),
        Some(s) => serde_json::from_value(Value::from(s)).map_err(serde::de::Error::custom),
    }
}

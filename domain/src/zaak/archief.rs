//! What closing a zaak derives for its archive (Zaken API, "Archiveren"): the
//! archiefnominatie from the resultaattype when the zaak has none, and the archiefactiedatum
//! as the brondatum plus the resultaattype's archiefactietermijn, where the brondatum
//! follows the resultaattype's brondatumArchiefprocedure.afleidingswijze.

use chrono::NaiveDate;
use event_schemas::zaak::{Archiefnominatie, PartKind};
use serde_json::Value;

use super::{Archief, Zaak};
use crate::termijn::Termijn;

/// The archive rules of the zaak's resultaattype, as the Catalogi API gives them.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ArchiefRegels {
    pub archiefnominatie: Option<Archiefnominatie>,
    pub archiefactietermijn: Option<String>,
    pub afleidingswijze: String,
    pub procestermijn: Option<String>,
    /// The eigenschap (by naam) holding the brondatum, for afleidingswijze `eigenschap`.
    pub datumkenmerk: String,
}

/// Dates from outside the zaak's stream, resolved by the handler.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct BuitenFeiten {
    /// The einddatum of the hoofdzaak (afleidingswijze `hoofdzaak`).
    pub hoofdzaak_einddatum: Option<NaiveDate>,
    /// The einddata of the relevante andere zaken (afleidingswijze `gerelateerde_zaak`).
    pub gerelateerde_einddata: Vec<NaiveDate>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ArchiefError {
    #[error("de brondatum kan niet bepaald worden: {0}")]
    Brondatum(String),
}

/// The archive fields a zaak closing on `einddatum` gets. A zaak that already has an
/// archiefnominatie or archiefactiedatum keeps it.
pub fn bij_afsluiten(
    zaak: &Zaak,
    einddatum: NaiveDate,
    regels: &ArchiefRegels,
    buiten: &BuitenFeiten,
) -> Result<Archief, ArchiefError> {
    let archiefnominatie = zaak.attributes.archiefnominatie.or(regels.archiefnominatie);
    let archiefactiedatum = match zaak.attributes.archiefactiedatum {
        Some(d) => Some(d),
        None => match (
            brondatum(zaak, einddatum, regels, buiten)?,
            &regels.archiefactietermijn,
        ) {
            (Some(bron), Some(termijn)) => termijn_na(termijn, bron)?,
            _ => None,
        },
    };
    Ok(Archief {
        archiefnominatie,
        archiefactiedatum,
    })
}

fn termijn_na(termijn: &str, date: NaiveDate) -> Result<Option<NaiveDate>, ArchiefError> {
    let t = Termijn::parse(termijn).map_err(|e| ArchiefError::Brondatum(e.to_string()))?;
    Ok(t.after(date))
}

/// The brondatum by afleidingswijze; `None` where it cannot be derived automatically
/// (ander_datumkenmerk, zaakobject, and the besluit dates until the Besluiten API is
/// served), which leaves the archiefactiedatum to be set by hand.
fn brondatum(
    zaak: &Zaak,
    einddatum: NaiveDate,
    regels: &ArchiefRegels,
    buiten: &BuitenFeiten,
) -> Result<Option<NaiveDate>, ArchiefError> {
    Ok(match regels.afleidingswijze.as_str() {
        "afgehandeld" => Some(einddatum),
        "termijn" => {
            let termijn = regels.procestermijn.as_deref().ok_or_else(|| {
                ArchiefError::Brondatum("het resultaattype heeft geen procestermijn".into())
            })?;
            termijn_na(termijn, einddatum)?
        }
        "hoofdzaak" => buiten.hoofdzaak_einddatum,
        "gerelateerde_zaak" => buiten.gerelateerde_einddata.iter().max().copied(),
        "eigenschap" => Some(eigenschap_datum(zaak, &regels.datumkenmerk)?),
        _ => None,
    })
}

/// The date in the zaakeigenschap named `naam` (a date or a date-time).
fn eigenschap_datum(zaak: &Zaak, naam: &str) -> Result<NaiveDate, ArchiefError> {
    let waarde = zaak
        .parts_of(PartKind::Zaakeigenschap)
        .find(|(_, p)| p.attributes.get("naam").and_then(Value::as_str) == Some(naam))
        .and_then(|(_, p)| p.attributes.get("waarde").and_then(Value::as_str))
        .ok_or_else(|| {
            ArchiefError::Brondatum(format!("de zaak heeft geen eigenschap '{naam}'"))
        })?;
    let date = waarde.get(..10).and_then(|d| d.parse().ok());
    date.ok_or_else(|| ArchiefError::Brondatum(format!("'{waarde}' is geen datum")))
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use event_schemas::zaak::ZaakAttributes;
    use serde_json::json;
    use uuid::Uuid;

    use super::*;
    use crate::zaak::Part;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn zaak() -> Zaak {
        let attributes: ZaakAttributes = serde_json::from_value(json!({
            "identificatie": "Z-1", "bronorganisatie": "517439943", "omschrijving": "",
            "toelichting": "", "zaaktype": "http://ztc/zt/1", "registratiedatum": "2026-01-01",
            "verantwoordelijkeOrganisatie": "517439943", "startdatum": "2026-01-01",
            "communicatiekanaal": "", "productenOfDiensten": [],
            "vertrouwelijkheidaanduiding": "openbaar", "selectielijstklasse": "",
            "relevanteAndereZaken": [], "kenmerken": [], "archiefstatus": "nog_te_archiveren",
            "opdrachtgevendeOrganisatie": ""
        }))
        .unwrap();
        Zaak {
            uuid: Uuid::nil(),
            attributes,
            einddatum: None,
            statussen: Vec::new(),
            parts: BTreeMap::new(),
            parts_added: 0,
            laatst_gemuteerd: None,
            eerdere_opschorting: false,
        }
    }

    fn regels(afleidingswijze: &str) -> ArchiefRegels {
        ArchiefRegels {
            archiefnominatie: Some(Archiefnominatie::Vernietigen),
            archiefactietermijn: Some("P10Y".into()),
            afleidingswijze: afleidingswijze.into(),
            procestermijn: Some("P5Y".into()),
            datumkenmerk: "vervaldatum".into(),
        }
    }

    #[test]
    fn afgehandeld_counts_the_termijn_from_the_einddatum() {
        let a = bij_afsluiten(
            &zaak(),
            d("2026-12-02"),
            &regels("afgehandeld"),
            &BuitenFeiten::default(),
        )
        .unwrap();
        assert_eq!(a.archiefnominatie, Some(Archiefnominatie::Vernietigen));
        assert_eq!(a.archiefactiedatum, Some(d("2036-12-02")));
    }

    #[test]
    fn termijn_adds_the_procestermijn_before_the_archiefactietermijn() {
        let a = bij_afsluiten(
            &zaak(),
            d("2026-12-02"),
            &regels("termijn"),
            &BuitenFeiten::default(),
        )
        .unwrap();
        assert_eq!(a.archiefactiedatum, Some(d("2041-12-02")));
    }

    #[test]
    fn a_zaak_keeps_the_archive_fields_it_was_given() {
        let mut z = zaak();
        z.attributes.archiefnominatie = Some(Archiefnominatie::BlijvendBewaren);
        z.attributes.archiefactiedatum = Some(d("2030-01-01"));
        let a = bij_afsluiten(
            &z,
            d("2026-12-02"),
            &regels("afgehandeld"),
            &BuitenFeiten::default(),
        )
        .unwrap();
        assert_eq!(a.archiefnominatie, Some(Archiefnominatie::BlijvendBewaren));
        assert_eq!(a.archiefactiedatum, Some(d("2030-01-01")));
    }

    #[test]
    fn eigenschap_takes_the_date_of_the_named_zaakeigenschap_and_fails_without_it() {
        let mut z = zaak();
        assert!(bij_afsluiten(
            &z,
            d("2026-12-02"),
            &regels("eigenschap"),
            &BuitenFeiten::default()
        )
        .is_err());
        let attributes = json!({"naam": "vervaldatum", "waarde": "2027-05-01"});
        z.parts.insert(
            Uuid::nil(),
            Part {
                kind: PartKind::Zaakeigenschap,
                attributes: attributes.as_object().unwrap().clone(),
                seq: 0,
            },
        );
        let a = bij_afsluiten(
            &z,
            d("2026-12-02"),
            &regels("eigenschap"),
            &BuitenFeiten::default(),
        )
        .unwrap();
        assert_eq!(a.archiefactiedatum, Some(d("2037-05-01")));
    }

    #[test]
    fn hoofdzaak_and_gerelateerde_zaak_count_from_the_other_zaken() {
        let buiten = BuitenFeiten {
            hoofdzaak_einddatum: Some(d("2027-01-01")),
            gerelateerde_einddata: vec![d("2025-01-01"), d("2028-01-01")],
        };
        let h = bij_afsluiten(&zaak(), d("2026-12-02"), &regels("hoofdzaak"), &buiten).unwrap();
        assert_eq!(h.archiefactiedatum, Some(d("2037-01-01")));
        let g = bij_afsluiten(
            &zaak(),
            d("2026-12-02"),
            &regels("gerelateerde_zaak"),
            &buiten,
        )
        .unwrap();
        assert_eq!(g.archiefactiedatum, Some(d("2038-01-01")));
    }

    #[test]
    fn ander_datumkenmerk_leaves_the_archiefactiedatum_to_be_set_by_hand() {
        let a = bij_afsluiten(
            &zaak(),
            d("2026-12-02"),
            &regels("ander_datumkenmerk"),
            &BuitenFeiten::default(),
        )
        .unwrap();
        assert_eq!(a.archiefactiedatum, None);
        assert_eq!(a.archiefnominatie, Some(Archiefnominatie::Vernietigen));
    }
}

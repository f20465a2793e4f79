//! The kinds of simple objects and their read models: table, resource, filter columns.

use domain::klantinteracties::internetaak::Internetaak;
use domain::klantinteracties::unruled::{
    Actor, Categorie, CategorieRelatie, ContactgegevensOrganisatie, ContactgegevensPersoon,
};
use domain::klantinteracties::SimpleState;
use event_schemas::klantinteracties::overig::{ActorAttributes, InternetaakAttributes};
use serde_json::Value;
use uuid::Uuid;

use super::render::{self, ACTOREN, CATEGORIEEN, CATEGORIE_RELATIES, INTERNETAKEN};
use super::{Attributes, Column, ObjectModel};
use crate::render::Urls;

pub struct Internetaken;

impl ObjectModel for Internetaken {
    type Object = Internetaak;
    const TABLE: &'static str = "internetaken";
    const RESOURCE: &'static str = "internetaak";
    const COLLECTION: &'static str = INTERNETAKEN;

    fn render(o: &SimpleState<InternetaakAttributes>, urls: &Urls) -> Value {
        render::internetaak(o, urls)
    }

    fn columns(a: &InternetaakAttributes) -> Vec<(&'static str, Column)> {
        vec![
            ("nummer", Column::Text(a.nummer.clone())),
            ("referentienummer", Column::Text(a.referentienummer.clone())),
            ("status", Column::Text(Some(a.status.as_str().to_owned()))),
            (
                "klantcontact",
                Column::Uuid(Some(a.aanleidinggevend_klantcontact)),
            ),
            ("actoren", Column::Uuids(a.toegewezen_aan_actoren.clone())),
            (
                "toegewezen_op",
                Column::Text(
                    a.toegewezen_op
                        .map(|t| t.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true)),
                ),
            ),
        ]
    }
}

pub struct Actoren;

impl ObjectModel for Actoren {
    type Object = Actor;
    const TABLE: &'static str = "actoren";
    const RESOURCE: &'static str = "actor";
    const COLLECTION: &'static str = ACTOREN;

    fn render(o: &SimpleState<ActorAttributes>, urls: &Urls) -> Value {
        render::actor(o, urls)
    }

    fn columns(a: &ActorAttributes) -> Vec<(&'static str, Column)> {
        let soort = serde_json::to_value(&a.actor_identificatie)
            .ok()
            .and_then(|v| v["soortActor"].as_str().map(str::to_owned));
        let id = a.actoridentificator.clone().unwrap_or_default();
        let text = |s: String| Column::Text(Some(s));
        vec![
            ("naam", text(a.naam.clone())),
            ("soort_actor", Column::Text(soort)),
            ("indicatie_actief", Column::Bool(a.indicatie_actief)),
            ("ai_object_id", text(id.object_id)),
            ("ai_code_objecttype", text(id.code_objecttype)),
            ("ai_code_register", text(id.code_register)),
            ("ai_code_soort_object_id", text(id.code_soort_object_id)),
        ]
    }
}

pub struct Categorieen;

impl ObjectModel for Categorieen {
    type Object = Categorie;
    const TABLE: &'static str = "categorieen";
    const RESOURCE: &'static str = "categorie";
    const COLLECTION: &'static str = CATEGORIEEN;

    fn render(o: &SimpleState<Attributes<Self>>, urls: &Urls) -> Value {
        render::categorie(o, urls)
    }

    fn columns(a: &Attributes<Self>) -> Vec<(&'static str, Column)> {
        vec![("naam", Column::Text(Some(a.naam.clone())))]
    }
}

pub struct CategorieRelaties;

impl ObjectModel for CategorieRelaties {
    type Object = CategorieRelatie;
    const TABLE: &'static str = "categorie_relaties";
    const RESOURCE: &'static str = "categorierelatie";
    const COLLECTION: &'static str = CATEGORIE_RELATIES;

    fn render(o: &SimpleState<Attributes<Self>>, urls: &Urls) -> Value {
        render::categorie_relatie(o, urls)
    }

    fn columns(a: &Attributes<Self>) -> Vec<(&'static str, Column)> {
        vec![
            ("partij", Column::Uuid(a.partij)),
            ("categorie", Column::Uuid(a.categorie)),
            ("begin_datum", Column::Date(a.begin_datum)),
            ("eind_datum", Column::Date(a.eind_datum)),
        ]
    }
}

pub struct Personen;

impl ObjectModel for Personen {
    type Object = ContactgegevensPersoon;
    const TABLE: &'static str = "contact_personen";
    const RESOURCE: &'static str = "persoon";
    const COLLECTION: &'static str = render::PERSONEN;

    fn url(urls: &Urls, uuid: Uuid) -> String {
        urls.contactgegevens_object(Self::COLLECTION, uuid)
    }

    fn render(o: &SimpleState<Attributes<Self>>, urls: &Urls) -> Value {
        render::persoon(o, urls)
    }

    fn columns(_: &Attributes<Self>) -> Vec<(&'static str, Column)> {
        Vec::new()
    }
}

pub struct Organisaties;

impl ObjectModel for Organisaties {
    type Object = ContactgegevensOrganisatie;
    const TABLE: &'static str = "contact_organisaties";
    const RESOURCE: &'static str = "organisatie";
    const COLLECTION: &'static str = render::ORGANISATIES;

    fn url(urls: &Urls, uuid: Uuid) -> String {
        urls.contactgegevens_object(Self::COLLECTION, uuid)
    }

    fn render(o: &SimpleState<Attributes<Self>>, urls: &Urls) -> Value {
        render::organisatie(o, urls)
    }

    fn columns(_: &Attributes<Self>) -> Vec<(&'static str, Column)> {
        Vec::new()
    }
}

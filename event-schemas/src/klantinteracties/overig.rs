//! Events of the small aggregates of the Klantinteracties API, each an object without
//! parts in its own stream: `internetaak`, `actor`, `categorie`, `categorierelatie`.

use chrono::{DateTime, NaiveDate, Utc};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::{CreatedV1, DeletedV1, ObjectIdentificator, UpdatedV1};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Taakstatus {
    TeVerwerken,
    Verwerkt,
}

stored_names! {
    Taakstatus { TeVerwerken => "te_verwerken", Verwerkt => "verwerkt" }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct InternetaakAttributes {
    /// Deprecated in the API; unique when given.
    pub nummer: Option<String>,
    pub referentienummer: Option<String>,
    pub gevraagde_handeling: String,
    /// The klantcontact (uuid) the taak arose from.
    pub aanleidinggevend_klantcontact: Uuid,
    /// The actoren (uuids) it is assigned to, in order (the first is `toegewezenAanActor`).
    pub toegewezen_aan_actoren: Vec<Uuid>,
    pub toelichting: String,
    pub status: Taakstatus,
    /// When the taak was assigned: set once, when it is created.
    #[serde(default)]
    pub toegewezen_op: Option<DateTime<Utc>>,
    pub afgehandeld_op: Option<DateTime<Utc>>,
}

/// `soortActor` with the `actorIdentificatie` that soort has.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(
    tag = "soortActor",
    content = "actorIdentificatie",
    rename_all = "snake_case"
)]
pub enum ActorIdentificatie {
    Medewerker {
        functie: String,
        emailadres: String,
        telefoonnummer: String,
    },
    GeautomatiseerdeActor {
        functie: String,
        omschrijving: String,
    },
    OrganisatorischeEenheid {
        omschrijving: String,
        emailadres: String,
        faxnummer: String,
        telefoonnummer: String,
    },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct ActorAttributes {
    pub naam: String,
    #[serde(flatten)]
    pub actor_identificatie: ActorIdentificatie,
    pub indicatie_actief: bool,
    pub actoridentificator: Option<ObjectIdentificator>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct CategorieAttributes {
    pub naam: String,
}

/// A partij (uuid) in a categorie (uuid) for a period; either may be left empty.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct CategorieRelatieAttributes {
    pub partij: Option<Uuid>,
    pub categorie: Option<Uuid>,
    pub begin_datum: Option<NaiveDate>,
    pub eind_datum: Option<NaiveDate>,
}

crate::versioned_events! {
    /// Events of the `internetaak` aggregate (stream `internetaak-{uuid}`).
    pub enum InternetaakEvent in "internetaak" {
        InternetaakCreated(CreatedV1<InternetaakAttributes>) = "InternetaakCreated" v 1,
        InternetaakUpdated(UpdatedV1<InternetaakAttributes>) = "InternetaakUpdated" v 1,
        InternetaakDeleted(DeletedV1) = "InternetaakDeleted" v 1,
    }
}

crate::versioned_events! {
    /// Events of the `actor` aggregate (stream `actor-{uuid}`).
    pub enum ActorEvent in "actor" {
        ActorCreated(CreatedV1<ActorAttributes>) = "ActorCreated" v 1,
        ActorUpdated(UpdatedV1<ActorAttributes>) = "ActorUpdated" v 1,
        ActorDeleted(DeletedV1) = "ActorDeleted" v 1,
    }
}

crate::versioned_events! {
    /// Events of the `categorie` aggregate (stream `categorie-{uuid}`).
    pub enum CategorieEvent in "categorie" {
        CategorieCreated(CreatedV1<CategorieAttributes>) = "CategorieCreated" v 1,
        CategorieUpdated(UpdatedV1<CategorieAttributes>) = "CategorieUpdated" v 1,
        CategorieDeleted(DeletedV1) = "CategorieDeleted" v 1,
    }
}

crate::versioned_events! {
    /// Events of the `categorierelatie` aggregate (stream `categorierelatie-{uuid}`).
    pub enum CategorieRelatieEvent in "categorierelatie" {
        CategorieRelatieCreated(CreatedV1<CategorieRelatieAttributes>) =
            "CategorieRelatieCreated" v 1,
        CategorieRelatieUpdated(UpdatedV1<CategorieRelatieAttributes>) =
            "CategorieRelatieUpdated" v 1,
        CategorieRelatieDeleted(DeletedV1) = "CategorieRelatieDeleted" v 1,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::VersionedEvent;

    #[test]
    fn an_actor_is_stored_with_its_soort_beside_its_identificatie_as_the_api_writes_it() {
        let e = ActorEvent::ActorCreated(CreatedV1 {
            uuid: Uuid::nil(),
            attributes: ActorAttributes {
                naam: "Jan".into(),
                actor_identificatie: ActorIdentificatie::GeautomatiseerdeActor {
                    functie: "bot".into(),
                    omschrijving: String::new(),
                },
                indicatie_actief: true,
                actoridentificator: None,
            },
        });
        let payload = e.to_payload();
        assert_eq!(
            payload["attributes"]["soortActor"],
            "geautomatiseerde_actor"
        );
        assert_eq!(
            payload["attributes"]["actorIdentificatie"]["functie"],
            "bot"
        );
        let back = ActorEvent::decode(e.event_type(), e.schema_version(), payload).unwrap();
        assert_eq!(back, e);
    }
}

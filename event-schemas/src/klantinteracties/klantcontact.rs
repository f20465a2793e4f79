//! Events of the `klantcontact` aggregate (stream `klantcontact-{uuid}`): a klantcontact
//! with its betrokkenen, onderwerpobjecten, bijlagen, actorklantcontacten and the digitale
//! adressen its betrokkenen gave without a partij.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::{
    Adres, Contactnaam, CreatedV1, DeletedV1, DigitaalAdresSetV1, ObjectIdentificator,
    PartRemovedV1, PartSetV1, UpdatedV1,
};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct KlantcontactAttributes {
    /// Deprecated in the API; unique when given.
    pub nummer: Option<String>,
    pub referentienummer: Option<String>,
    pub kanaal: String,
    pub onderwerp: String,
    pub inhoud: String,
    pub reactie: String,
    pub indicatie_contact_gelukt: Option<bool>,
    pub hoofd_onderwerp_type: String,
    pub verdere_actie_ondernomen: bool,
    /// ISO 639-2/B, e.g. `nld`.
    pub taal: String,
    pub vertrouwelijk: bool,
    pub plaatsgevonden_op: DateTime<Utc>,
    /// Free keys, each value a string of at most 255 characters.
    pub metadata: BTreeMap<String, String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Rol {
    Vertegenwoordiger,
    Klant,
}

stored_names! {
    Rol { Vertegenwoordiger => "vertegenwoordiger", Klant => "klant" }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct BetrokkeneAttributes {
    /// The partij (uuid) the betrokkene was, if known.
    pub was_partij: Option<Uuid>,
    pub bezoekadres: Option<Adres>,
    pub correspondentieadres: Option<Adres>,
    pub contactnaam: Option<Contactnaam>,
    pub rol: Rol,
    pub organisatienaam: String,
    pub initiator: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct OnderwerpobjectAttributes {
    /// Another klantcontact (uuid) that is the subject of this one.
    pub was_klantcontact: Option<Uuid>,
    pub onderwerpobjectidentificator: Option<ObjectIdentificator>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct BijlageAttributes {
    pub bijlageidentificator: Option<ObjectIdentificator>,
}

/// An actor (uuid) that took part in the klantcontact.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct ActorKlantcontactAttributes {
    pub actor: Uuid,
}

pub type KlantcontactCreatedV1 = CreatedV1<KlantcontactAttributes>;
pub type KlantcontactUpdatedV1 = UpdatedV1<KlantcontactAttributes>;
pub type BetrokkeneSetV1 = PartSetV1<BetrokkeneAttributes>;
pub type OnderwerpobjectSetV1 = PartSetV1<OnderwerpobjectAttributes>;
pub type BijlageSetV1 = PartSetV1<BijlageAttributes>;
pub type ActorKlantcontactSetV1 = PartSetV1<ActorKlantcontactAttributes>;

crate::versioned_events! {
    /// Events of the `klantcontact` aggregate (stream `klantcontact-{uuid}`).
    pub enum KlantcontactEvent in "klantcontact" {
        KlantcontactCreated(KlantcontactCreatedV1) = "KlantcontactCreated" v 1,
        KlantcontactUpdated(KlantcontactUpdatedV1) = "KlantcontactUpdated" v 1,
        KlantcontactDeleted(DeletedV1) = "KlantcontactDeleted" v 1,
        BetrokkeneAdded(BetrokkeneSetV1) = "BetrokkeneAdded" v 1,
        BetrokkeneUpdated(BetrokkeneSetV1) = "BetrokkeneUpdated" v 1,
        BetrokkeneRemoved(PartRemovedV1) = "BetrokkeneRemoved" v 1,
        OnderwerpobjectAdded(OnderwerpobjectSetV1) = "OnderwerpobjectAdded" v 1,
        OnderwerpobjectUpdated(OnderwerpobjectSetV1) = "OnderwerpobjectUpdated" v 1,
        OnderwerpobjectRemoved(PartRemovedV1) = "OnderwerpobjectRemoved" v 1,
        BijlageAdded(BijlageSetV1) = "BijlageAdded" v 1,
        BijlageUpdated(BijlageSetV1) = "BijlageUpdated" v 1,
        BijlageRemoved(PartRemovedV1) = "BijlageRemoved" v 1,
        ActorKlantcontactAdded(ActorKlantcontactSetV1) = "ActorKlantcontactAdded" v 1,
        ActorKlantcontactUpdated(ActorKlantcontactSetV1) = "ActorKlantcontactUpdated" v 1,
        ActorKlantcontactRemoved(PartRemovedV1) = "ActorKlantcontactRemoved" v 1,
        DigitaalAdresAdded(DigitaalAdresSetV1) = "BetrokkeneDigitaalAdresAdded" v 1,
        DigitaalAdresUpdated(DigitaalAdresSetV1) = "BetrokkeneDigitaalAdresUpdated" v 1,
        DigitaalAdresRemoved(PartRemovedV1) = "BetrokkeneDigitaalAdresRemoved" v 1,
    }
}

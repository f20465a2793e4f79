//! Creating a catalogus, with a claim on (domein, rsin) so two catalogi never share both.

use domain::catalogus::{CatalogusAggregate, CatalogusCommand};
use domain::Aggregate;
use event_schemas::applicatie::Component;
use event_schemas::catalogus::{CatalogusEvent, ObjectAttributes};
use event_schemas::{stream_name, VersionedEvent};
use uuid::Uuid;

use super::{catalogus_refusal, Catalogi, CatalogusOutcome, SCHRIJVEN};
use crate::authorisation::Authorisation;
use crate::{CommandError, Context, WriteError};

/// The claim that keeps (domein, rsin) unique among the catalogi.
fn claim_key(attributes: &ObjectAttributes) -> String {
    let text = |name: &str| attributes.get(name).and_then(|v| v.as_str()).unwrap_or("");
    format!("catalogus/{}/{}", text("domein"), text("rsin"))
}

impl Catalogi<'_> {
    /// Creates a catalogus (`POST /catalogussen`).
    pub async fn create_catalogus(
        &self,
        auth: &Authorisation,
        ctx: &Context,
        attributes: ObjectAttributes,
    ) -> Result<CatalogusOutcome, WriteError> {
        auth.require_scope(Component::Ztc, SCHRIJVEN)?;
        let uuid = Uuid::new_v4();
        let key = claim_key(&attributes);
        let command = CatalogusCommand::Create { uuid, attributes };
        // The rules first (decide is pure), so an invalid catalogus never takes the claim.
        CatalogusAggregate::decide(&None, command.clone()).map_err(catalogus_refusal)?;
        let owner = stream_name(CatalogusEvent::CATEGORY, uuid);
        let store = self.commands.store().as_ref();
        crate::claim_unique(store, ctx, &key, &owner, || {
            WriteError::invalid(
                "nonFieldErrors",
                "unique",
                "De velden domein, rsin moeten een unieke set zijn.",
            )
        })
        .await?;
        self.commands
            .execute::<CatalogusAggregate>(uuid, ctx, command)
            .await
            .map_err(|e| match e {
                CommandError::Domain(e) => catalogus_refusal(e),
                other => other.into(),
            })
    }
}

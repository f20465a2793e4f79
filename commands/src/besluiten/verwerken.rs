//! Open Zaak's one-call endpoint of the Besluiten API, `besluit_verwerken`: a besluit with
//! the documents it is laid down in (its besluitinformatieobjecten), one append to the
//! besluit's stream: all or nothing. The zaakbesluit of its zaak and each document's
//! objectinformatieobject come from the same process managers as for the separate
//! endpoints.

use domain::besluit::{BesluitAggregate, BesluitCommand};
use domain::Aggregate;
use event_schemas::besluit::BesluitAttributes;
use uuid::Uuid;

use super::{refusal, BesluitOutcome, Besluiten};
use crate::authorisation::Authorisation;
use crate::{Context, WriteError};

impl Besluiten<'_> {
    /// `besluit_verwerken`: the besluit, then each of `informatieobjecten` (document URLs)
    /// linked to it in order; the first refused part stops the request, named under it
    /// (`besluit.*`, `besluitinformatieobjecten.{i}.*`). Answers the
    /// besluitinformatieobjecten's uuids.
    pub async fn verwerk(
        &self,
        auth: &Authorisation,
        ctx: &Context,
        besluit: BesluitAttributes,
        informatieobjecten: Vec<String>,
    ) -> Result<(BesluitOutcome, Vec<Uuid>), WriteError> {
        let besluittype = besluit.besluittype.clone();
        let prepared = self
            .prepare(auth, ctx, besluit)
            .await
            .map_err(|e| e.nested("besluit"))?;
        let mut state = None;
        for event in BesluitAggregate::decide(&state, prepared.command.clone())
            .map_err(|e| refusal(e).nested("besluit"))?
        {
            state = BesluitAggregate::evolve(state, &event);
        }
        let allowed = self.ports.besluittype(&besluittype).await?;
        let mut more = Vec::new();
        let mut uuids = Vec::new();
        for (i, informatieobject) in informatieobjecten.into_iter().enumerate() {
            let prefix = format!("besluitinformatieobjecten.{i}");
            let informatieobjecttype = self
                .ports
                .informatieobjecttype_of(&informatieobject)
                .await
                .map_err(|e| e.nested(&prefix))?;
            let uuid = Uuid::new_v4();
            let command = BesluitCommand::AddInformatieobject {
                uuid,
                informatieobject,
                informatieobjecttype,
                allowed_informatieobjecttypen: allowed.informatieobjecttypen.clone(),
            };
            for event in BesluitAggregate::decide(&state, command.clone())
                .map_err(|e| refusal(e).nested(&prefix))?
            {
                state = BesluitAggregate::evolve(state, &event);
            }
            more.push(command);
            uuids.push(uuid);
        }
        let outcome = self.create_prepared_with(ctx, prepared, more).await?;
        Ok((outcome, uuids))
    }
}

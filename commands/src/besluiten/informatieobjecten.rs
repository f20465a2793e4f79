//! The documents a besluit is laid down in: each a besluitinformatieobject in its
//! besluit's stream.

use domain::besluit::{BesluitAggregate, BesluitCommand};
use uuid::Uuid;

use super::{authorise, failure, BesluitOutcome, Besluiten, AANMAKEN, VERWIJDEREN};
use crate::authorisation::Authorisation;
use crate::{Context, WriteError};

impl Besluiten<'_> {
    /// Links document `informatieobject` to the besluit at `besluit` (its URL, as the
    /// request names it); answers the besluitinformatieobject's uuid.
    pub async fn add_informatieobject(
        &self,
        auth: &Authorisation,
        ctx: &Context,
        besluit: &str,
        informatieobject: &str,
    ) -> Result<(BesluitOutcome, Uuid), WriteError> {
        // Not a besluit URL of ours: DRF's hyperlinked field says `no_match`.
        let uuid = self.ports.urls().besluit_uuid(besluit).ok_or_else(|| {
            WriteError::invalid(
                "besluit",
                "no_match",
                "Ongeldige hyperlink - Geen URL match.",
            )
        })?;
        let current = self.current(uuid).await?.ok_or_else(|| {
            WriteError::invalid(
                "besluit",
                "does_not_exist",
                format!("Ongeldige hyperlink - Object {besluit} bestaat niet."),
            )
        })?;
        let besluittype = &current.attributes.besluittype;
        authorise(auth, besluittype, AANMAKEN)?;
        let informatieobjecttype = self.ports.informatieobjecttype_of(informatieobject).await?;
        let allowed = self.ports.besluittype(besluittype).await?;
        let bio = Uuid::new_v4();
        let command = BesluitCommand::AddInformatieobject {
            uuid: bio,
            informatieobject: informatieobject.to_owned(),
            informatieobjecttype,
            allowed_informatieobjecttypen: allowed.informatieobjecttypen,
        };
        let outcome = self
            .commands
            .execute::<BesluitAggregate>(uuid, ctx, command)
            .await
            .map_err(failure)?;
        Ok((outcome, bio))
    }

    /// Removes besluitinformatieobject `uuid` of besluit `besluit`; answers its document.
    pub async fn remove_informatieobject(
        &self,
        auth: &Authorisation,
        ctx: &Context,
        besluit: Uuid,
        uuid: Uuid,
    ) -> Result<(BesluitOutcome, Option<String>), WriteError> {
        let current = self.current(besluit).await?.ok_or(WriteError::NotFound)?;
        authorise(auth, &current.attributes.besluittype, VERWIJDEREN)?;
        let document = current
            .informatieobjecten
            .get(&uuid)
            .map(|b| b.informatieobject.clone());
        let outcome = self
            .commands
            .execute::<BesluitAggregate>(
                besluit,
                ctx,
                BesluitCommand::RemoveInformatieobject { uuid },
            )
            .await
            .map_err(failure)?;
        Ok((outcome, document))
    }
}

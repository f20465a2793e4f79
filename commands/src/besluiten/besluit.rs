//! Creating, changing and deleting a besluit.

use chrono::{DateTime, Utc};
use domain::besluit::{Besluit, BesluitAggregate, BesluitCommand, Facts};
use event_schemas::besluit::{BesluitAttributes, BesluitEvent};
use event_schemas::{stream_name, VersionedEvent};
use uuid::Uuid;

use super::{
    authorise, authorise_on_zaak, failure, refusal, BesluitOutcome, Besluiten, AANMAKEN, BIJWERKEN,
    VERWIJDEREN,
};
use crate::authorisation::Authorisation;
use crate::{Context, WriteError};

/// A PUT or PATCH of a besluit.
pub struct BesluitChange<'a> {
    /// The attributes after the change, made from the current ones on every attempt (a PUT
    /// ignores them, a PATCH merges onto them): the caller's protocol parses them.
    pub apply:
        &'a (dyn Fn(&BesluitAttributes) -> Result<BesluitAttributes, WriteError> + Send + Sync),
    /// A PATCH rather than a PUT.
    pub partial: bool,
}

/// A new besluit checked, ready to be claimed and created: see [`Besluiten::prepare`] and
/// [`Besluiten::create_prepared`] (a one-call endpoint prepares every resource it writes
/// before it appends any).
pub struct Prepared {
    pub uuid: Uuid,
    pub command: BesluitCommand,
    key: String,
}

/// The claim that keeps an identificatie unique per verantwoordelijke organisatie.
fn identificatie_key(a: &BesluitAttributes) -> String {
    format!(
        "besluit-identificatie/{}/{}",
        a.verantwoordelijke_organisatie, a.identificatie
    )
}

impl Besluiten<'_> {
    /// The facts `attributes` are decided on (its besluittype and the zaaktype of its
    /// zaak), after the caller's right to change a closed zaak's besluiten is checked.
    async fn facts(
        &self,
        auth: &Authorisation,
        attributes: &BesluitAttributes,
        now: DateTime<Utc>,
    ) -> Result<Facts, WriteError> {
        let besluittype = self.ports.besluittype(&attributes.besluittype).await?;
        let zaaktype_of_zaak = match &attributes.zaak {
            Some(url) => {
                let zaak = self.ports.zaak(url).await?;
                authorise_on_zaak(auth, &zaak)?;
                Some(zaak.zaaktype)
            }
            None => None,
        };
        Ok(Facts {
            today: now.date_naive(),
            besluittype: (&besluittype).into(),
            zaaktype_of_zaak,
        })
    }

    /// 403 when the besluit's current zaak is closed and the caller may not force changes.
    async fn authorise_on_current_zaak(
        &self,
        auth: &Authorisation,
        besluit: &Besluit,
    ) -> Result<(), WriteError> {
        match &besluit.attributes.zaak {
            Some(url) => authorise_on_zaak(auth, &self.ports.zaak(url).await?),
            None => Ok(()),
        }
    }

    /// Creates a besluit (`POST /besluiten`).
    pub async fn create(
        &self,
        auth: &Authorisation,
        ctx: &Context,
        attributes: BesluitAttributes,
    ) -> Result<BesluitOutcome, WriteError> {
        let prepared = self.prepare(auth, ctx, attributes).await?;
        self.create_prepared(ctx, prepared).await
    }

    /// Claims the prepared besluit's identificatie (`identificatie-niet-uniek`) and appends
    /// its events; a besluit the aggregate refuses (`zaaktype-mismatch`) frees it again.
    pub async fn create_prepared(
        &self,
        ctx: &Context,
        prepared: Prepared,
    ) -> Result<BesluitOutcome, WriteError> {
        self.create_prepared_with(ctx, prepared, Vec::new()).await
    }

    /// [`Self::create_prepared`] with `more` commands on the new besluit, appended with it
    /// at once (all or nothing).
    pub async fn create_prepared_with(
        &self,
        ctx: &Context,
        prepared: Prepared,
        more: Vec<BesluitCommand>,
    ) -> Result<BesluitOutcome, WriteError> {
        let owner = stream_name(BesluitEvent::CATEGORY, prepared.uuid);
        let store = self.commands.store().as_ref();
        crate::claim::claim_identificatie_as(
            store,
            ctx,
            &prepared.key,
            &owner,
            "Deze identificatie bestaat al voor deze verantwoordelijke organisatie",
        )
        .await?;
        let created = if more.is_empty() {
            self.commands
                .create::<BesluitAggregate>(prepared.uuid, ctx, prepared.command)
                .await
        } else {
            let mut all = vec![prepared.command];
            all.extend(more);
            self.commands
                .create_all::<BesluitAggregate>(prepared.uuid, ctx, all)
                .await
        };
        match created {
            Ok(outcome) => Ok(outcome),
            Err(e) => {
                // The besluit was refused: its identificatie stays free.
                crate::release(store, ctx, &prepared.key, &owner)
                    .await
                    .map_err(WriteError::internal)?;
                Err(failure(e))
            }
        }
    }

    /// Everything a new besluit needs before its identificatie is claimed: its facts, the
    /// caller's right to create it, its field-level rules (before the identificatie's
    /// uniqueness, as in Open Zaak, whose UniekeIdentificatieValidator is an object-level
    /// validator) and an identificatie (`BESLUIT-{year of the beslisdatum}-{n}`, the form
    /// Open Zaak generates, when none was given).
    pub async fn prepare(
        &self,
        auth: &Authorisation,
        ctx: &Context,
        mut attributes: BesluitAttributes,
    ) -> Result<Prepared, WriteError> {
        let facts = self.facts(auth, &attributes, ctx.now).await?;
        authorise(auth, &attributes.besluittype, AANMAKEN)?;
        domain::besluit::check_fields(None, &attributes, &facts).map_err(refusal)?;
        if attributes.identificatie.is_empty() {
            let n = self.ports.next_besluitnummer().await?;
            attributes.identificatie = format!("BESLUIT-{}-{n:010}", attributes.datum.format("%Y"));
        }
        let uuid = Uuid::new_v4();
        let key = identificatie_key(&attributes);
        let command = BesluitCommand::Create {
            uuid,
            attributes,
            facts,
        };
        Ok(Prepared { uuid, command, key })
    }

    /// The besluit as it is, by a caller allowed `scope` on it and on its zaak.
    async fn authorised_current(
        &self,
        auth: &Authorisation,
        uuid: Uuid,
        scope: &str,
    ) -> Result<Besluit, WriteError> {
        let current = self.current(uuid).await?.ok_or(WriteError::NotFound)?;
        authorise(auth, &current.attributes.besluittype, scope)?;
        self.authorise_on_current_zaak(auth, &current).await?;
        Ok(current)
    }

    /// The attributes `change` asks for on `current`; an absent identificatie keeps the
    /// current one.
    fn requested(
        current: &Besluit,
        change: &BesluitChange<'_>,
    ) -> Result<BesluitAttributes, WriteError> {
        let mut attributes = (change.apply)(&current.attributes)?;
        if attributes.identificatie.is_empty() {
            attributes.identificatie = current.attributes.identificatie.clone();
        }
        Ok(attributes)
    }

    /// Changes besluit `uuid` (PUT or PATCH); answers it as it was before, too.
    pub async fn update(
        &self,
        auth: &Authorisation,
        ctx: &Context,
        uuid: Uuid,
        change: BesluitChange<'_>,
    ) -> Result<(BesluitOutcome, Besluit), WriteError> {
        let current = self.authorised_current(auth, uuid, BIJWERKEN).await?;
        let requested = Self::requested(&current, &change)?;
        let facts = self.facts(auth, &requested, ctx.now).await?;
        let build = |state: &Option<Besluit>| -> Result<BesluitCommand, WriteError> {
            let current = state.as_ref().ok_or(WriteError::NotFound)?;
            Ok(BesluitCommand::Update {
                attributes: Self::requested(current, &change)?,
                partial: change.partial,
                facts: facts.clone(),
            })
        };
        let outcome = self
            .commands
            .execute_with::<BesluitAggregate, WriteError>(uuid, ctx, build)
            .await
            .map_err(failure)?;
        Ok((outcome, current))
    }

    /// Deletes besluit `uuid`: it and its besluitinformatieobjecten leave the API (the
    /// stream stays as history), its identificatie becomes free. Answers it as it was.
    pub async fn destroy(
        &self,
        auth: &Authorisation,
        ctx: &Context,
        uuid: Uuid,
    ) -> Result<(BesluitOutcome, Besluit), WriteError> {
        let current = self.authorised_current(auth, uuid, VERWIJDEREN).await?;
        let outcome = self
            .commands
            .execute::<BesluitAggregate>(uuid, ctx, BesluitCommand::Delete)
            .await
            .map_err(failure)?;
        let owner = stream_name(BesluitEvent::CATEGORY, uuid);
        let key = identificatie_key(&current.attributes);
        crate::release(self.commands.store().as_ref(), ctx, &key, &owner)
            .await
            .map_err(WriteError::internal)?;
        Ok((outcome, current))
    }
}

//! Setting a status: the eindstatus (the statustype with the highest volgnummer) closes
//! the zaak and derives its archive fields; another status on a closed zaak reopens it.

use chrono::{DateTime, Utc};
use domain::zaak::archief::{ArchiefRegels, BuitenFeiten};
use domain::zaak::{StatusFacts, Zaak, ZaakAggregate, ZaakCommand};
use event_schemas::applicatie::Component;
use event_schemas::zaak::PartKind;
use serde_json::Value;
use uuid::Uuid;

use super::{ZaakOutcome, Zaken, STATUS_ZETTEN};
use crate::authorisation::Authorisation;
use crate::{Context, WriteError};

/// A status, as the request gives it.
#[derive(Debug, Clone)]
pub struct NewStatus {
    pub zaak: Uuid,
    pub statustype: String,
    pub datum_status_gezet: DateTime<Utc>,
    pub statustoelichting: String,
    pub gezetdoor: String,
}

fn does_not_exist() -> WriteError {
    WriteError::invalid(
        "zaak",
        "does_not_exist",
        "Ongeldige hyperlink - Object bestaat niet.",
    )
}

impl Zaken<'_> {
    /// Sets a status on a zaak (`POST /statussen`); answers the new status's uuid.
    pub async fn add_status(
        &self,
        auth: &Authorisation,
        ctx: &Context,
        new: NewStatus,
    ) -> Result<(ZaakOutcome, Uuid), WriteError> {
        let uuid = Uuid::new_v4();
        let outcome = self.add_status_as(auth, ctx, uuid, new).await?;
        Ok((outcome, uuid))
    }

    pub(super) async fn add_status_as(
        &self,
        auth: &Authorisation,
        ctx: &Context,
        uuid: Uuid,
        new: NewStatus,
    ) -> Result<ZaakOutcome, WriteError> {
        let facts = self.status_facts(&new, None, None).await?;
        let build = |state: &Option<Zaak>| -> Result<ZaakCommand, WriteError> {
            let zaak = state.as_ref().ok_or_else(does_not_exist)?;
            self.status_command(auth, zaak, uuid, &new, &facts)
        };
        self.run(new.zaak, ctx, build).await.map_err(|e| match e {
            WriteError::NotFound => does_not_exist(),
            other => other,
        })
    }

    /// The command setting status `uuid` on `zaak`, by a caller who may set a status (or
    /// reopen a closed zaak with zaken.heropenen).
    pub(super) fn status_command(
        &self,
        auth: &Authorisation,
        zaak: &Zaak,
        uuid: Uuid,
        new: &NewStatus,
        facts: &StatusFacts,
    ) -> Result<ZaakCommand, WriteError> {
        let (zaaktype, vertrouwelijkheid) = (
            zaak.attributes.zaaktype.as_str(),
            zaak.attributes.vertrouwelijkheidaanduiding,
        );
        let allows = |scope| {
            auth.grants(Component::Zrc, scope)
                .allows(zaaktype, vertrouwelijkheid)
        };
        let may_reopen = allows("zaken.heropenen");
        let reopening = may_reopen && zaak.is_closed() && !facts.is_eindstatus;
        if !(allows(STATUS_ZETTEN) || reopening) {
            return Err(WriteError::permission_denied());
        }
        Ok(ZaakCommand::AddStatus {
            uuid,
            statustype: new.statustype.clone(),
            datum_status_gezet: new.datum_status_gezet,
            statustoelichting: new.statustoelichting.clone(),
            gezetdoor: new.gezetdoor.clone(),
            gezetdoor_rol: rol_uuid(self.ports.urls(), zaak.uuid, &new.gezetdoor),
            facts: Box::new(facts.clone()),
            may_force: allows("zaken.geforceerd-bijwerken"),
            may_reopen,
        })
    }

    /// What the status is decided on: its statustype, and for an eindstatus what closing
    /// needs (the zaak's resultaattype's archive rules, its deelzaken, documents and the
    /// dates of related zaken), resolved from the zaak as it is now.
    ///
    /// `known`: the zaak as the request leaves it before the status, when the status comes
    /// with other changes in one request (the one-call endpoints); `resultaattype`: the
    /// resultaattype such a request gives the zaak.
    pub(super) async fn status_facts(
        &self,
        new: &NewStatus,
        known: Option<&Zaak>,
        resultaattype: Option<&str>,
    ) -> Result<StatusFacts, WriteError> {
        let statustype = self.ports.statustype(&new.statustype).await?;
        let mut facts = StatusFacts {
            statustype_zaaktype: statustype.zaaktype.clone(),
            is_eindstatus: statustype.is_eindstatus,
            ..Default::default()
        };
        if !statustype.is_eindstatus {
            let hoofdzaak = match known {
                Some(z) => z
                    .attributes
                    .hoofdzaak
                    .as_deref()
                    .and_then(|h| self.ports.urls().zaak_uuid(h)),
                None => self.ports.zaak(new.zaak).await?.and_then(|z| z.hoofdzaak),
            };
            if let Some(h) = hoofdzaak {
                facts.hoofdzaak_closed = self
                    .ports
                    .zaak(h)
                    .await?
                    .is_some_and(|h| h.einddatum.is_some());
            }
            return Ok(facts);
        }
        let loaded;
        let zaak = match known {
            Some(z) => z,
            None => {
                let (current, _) = self
                    .commands
                    .load_state::<ZaakAggregate>(new.zaak)
                    .await
                    .map_err(WriteError::internal)?;
                loaded = current.ok_or_else(does_not_exist)?;
                &loaded
            }
        };
        let resultaattype = resultaattype.or_else(|| {
            let (_, r) = zaak.resultaat()?;
            r.attributes.get("resultaattype").and_then(Value::as_str)
        });
        if let Some(url) = resultaattype {
            let rt = self.ports.resultaattype(url).await?;
            facts.archief = Some(regels(&rt));
        }
        facts.open_deelzaken = self.ports.has_open_deelzaken(zaak.uuid).await?;
        let documents = super::zaak::linked_documents(zaak);
        facts.documenten = self.ports.documenten(&documents).await?;
        facts.buiten = BuitenFeiten {
            hoofdzaak_einddatum: self.einddata(zaak.attributes.hoofdzaak.iter()).await?.pop(),
            gerelateerde_einddata: self
                .einddata(
                    zaak.attributes
                        .relevante_andere_zaken
                        .iter()
                        .map(|r| &r.url),
                )
                .await?,
        };
        Ok(facts)
    }

    /// The einddata of those of `urls` that are our zaken and closed.
    async fn einddata<'u>(
        &self,
        urls: impl Iterator<Item = &'u String>,
    ) -> Result<Vec<chrono::NaiveDate>, WriteError> {
        let mut einddata = Vec::new();
        for uuid in urls.filter_map(|u| self.ports.urls().zaak_uuid(u)) {
            if let Some(d) = self.ports.zaak(uuid).await?.and_then(|z| z.einddatum) {
                einddata.push(d);
            }
        }
        Ok(einddata)
    }
}

/// The archive rules of a resultaattype, as the Catalogi API gives them.
fn regels(rt: &domain::catalogue_facts::ResultaattypeFacts) -> ArchiefRegels {
    let procedure = rt.brondatum_archiefprocedure.clone().unwrap_or_default();
    let text = |name: &str| {
        procedure
            .get(name)
            .and_then(Value::as_str)
            .map(str::to_owned)
    };
    ArchiefRegels {
        archiefnominatie: rt.archiefnominatie,
        archiefactietermijn: rt.archiefactietermijn.clone().filter(|t| !t.is_empty()),
        afleidingswijze: text("afleidingswijze").unwrap_or_default(),
        procestermijn: text("procestermijn").filter(|t| !t.is_empty()),
        datumkenmerk: text("datumkenmerk").unwrap_or_default(),
    }
}

/// The rol of zaak `zaak` that `url` is the URL of, if it is one.
fn rol_uuid(urls: &domain::urls::Urls, zaak: Uuid, url: &str) -> Option<Uuid> {
    let uuid: Uuid = url.trim_end_matches('/').rsplit('/').next()?.parse().ok()?;
    (urls.part(PartKind::Rol, zaak, uuid) == url).then_some(uuid)
}

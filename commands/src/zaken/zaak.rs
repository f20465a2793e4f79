//! Creating, changing and deleting a zaak.

use domain::zaak::{Hoofdzaak, OutsideFacts, Zaak, ZaakAggregate, ZaakCommand};
use domain::Aggregate;
use event_schemas::applicatie::Component;
use event_schemas::zaak::{ZaakAttributes, ZaakEvent};
use event_schemas::{stream_name, VersionedEvent};
use uuid::Uuid;

use super::{authorise, refusal, ZaakOutcome, Zaken, BIJWERKEN};
use crate::authorisation::Authorisation;
use crate::{Context, WriteError};

/// A new zaak, as the request gives it.
#[derive(Debug, Clone)]
pub struct NewZaak {
    pub attributes: ZaakAttributes,
    /// The request named a vertrouwelijkheidaanduiding (otherwise the zaaktype's applies).
    pub vertrouwelijkheid_given: bool,
}

/// A PUT or PATCH of a zaak.
pub struct ZaakChange<'a> {
    /// The attributes after the change, made from the zaak's current ones on every attempt
    /// (a PUT ignores them, a PATCH merges onto them): the caller's protocol parses them.
    pub apply: &'a (dyn Fn(&ZaakAttributes) -> Result<ZaakAttributes, WriteError> + Send + Sync),
    /// A PATCH rather than a PUT.
    pub partial: bool,
    /// The references the request names, checked against the world before deciding.
    pub named: Named,
}

/// What a PUT or PATCH names of the fields that refer outside the zaak (`None`: not named).
#[derive(Debug, Clone, Default)]
pub struct Named {
    pub hoofdzaak: Option<String>,
    pub selectielijstklasse: Option<String>,
    pub communicatiekanaal: Option<String>,
    pub relevante_andere_zaken: Option<Vec<String>>,
    pub gerelateerde_zaken: Option<Vec<String>>,
    pub producten_of_diensten: Option<Vec<String>>,
    /// The request sets an archiefstatus other than nog_te_archiveren.
    pub archiveert: bool,
}

/// The claim that keeps a zaak's identificatie unique per bronorganisatie.
pub(super) fn identificatie_key(a: &ZaakAttributes) -> String {
    claim_key(&a.bronorganisatie, &a.identificatie)
}

pub(super) fn claim_key(bronorganisatie: &str, identificatie: &str) -> String {
    format!("zaak-identificatie/{bronorganisatie}/{identificatie}")
}

/// `ZAAK-{year}-{n}`, the form Open Zaak generates and reserves.
pub(super) fn zaaknummer(year: impl std::fmt::Display, n: i64) -> String {
    format!("ZAAK-{year}-{n:010}")
}

/// What a new zaak is created with, checked and claimed: the command and its claim key.
pub(super) struct Prepared {
    pub uuid: Uuid,
    pub command: ZaakCommand,
    pub key: String,
}

impl Zaken<'_> {
    /// Creates a zaak (`POST /zaken`).
    pub async fn create(
        &self,
        auth: &Authorisation,
        ctx: &Context,
        new: NewZaak,
    ) -> Result<ZaakOutcome, WriteError> {
        let prepared = self.prepare(auth, ctx, Uuid::new_v4(), new).await?;
        self.claim(ctx, &prepared).await?;
        self.commands
            .create::<ZaakAggregate>(prepared.uuid, ctx, prepared.command)
            .await
            .map_err(|e| super::failure(widen(e)))
    }

    /// Everything a new zaak needs before its events are appended: the zaaktype (published),
    /// its references, the caller's right to create it, its hoofdzaak, the aggregate's
    /// verdict, and an identificatie (generated when none was given, `ZAAK-{year}-{n}` as
    /// Open Zaak makes them).
    pub(super) async fn prepare(
        &self,
        auth: &Authorisation,
        ctx: &Context,
        uuid: Uuid,
        new: NewZaak,
    ) -> Result<Prepared, WriteError> {
        let NewZaak {
            mut attributes,
            vertrouwelijkheid_given,
        } = new;
        let zaaktype = self
            .ports
            .zaaktype("zaaktype", &attributes.zaaktype)
            .await?;
        if zaaktype.concept {
            return Err(WriteError::invalid(
                "zaaktype",
                "not-published",
                "Het zaaktype is nog niet gepubliceerd.",
            ));
        }
        if !vertrouwelijkheid_given {
            attributes.vertrouwelijkheidaanduiding = zaaktype.vertrouwelijkheidaanduiding;
        }
        self.ports
            .check_selectielijstklasse(&attributes.selectielijstklasse)
            .await?;
        self.ports
            .check_communicatiekanaal(&attributes.communicatiekanaal)
            .await?;
        let relevante: Vec<&str> = attributes
            .relevante_andere_zaken
            .iter()
            .map(|r| r.url.as_str())
            .collect();
        self.ports
            .check_zaak_urls("relevanteAndereZaken", &relevante)
            .await?;
        let gerelateerd: Vec<&str> = attributes
            .gerelateerde_zaken
            .iter()
            .map(|r| r.url.as_str())
            .collect();
        self.ports
            .check_zaak_urls("gerelateerdeZaken", &gerelateerd)
            .await?;
        auth.require(
            Component::Zrc,
            "zaken.aanmaken",
            &attributes.zaaktype,
            attributes.vertrouwelijkheidaanduiding,
        )?;
        let outside = OutsideFacts {
            producten_of_diensten: Some(zaaktype.producten_of_diensten.clone()),
            hoofdzaak: self
                .hoofdzaak(uuid, attributes.hoofdzaak.as_deref())
                .await?,
            documenten: None,
        };
        if attributes.identificatie.is_empty() {
            let n = self.ports.next_zaaknummer().await?;
            attributes.identificatie = zaaknummer(ctx.now.format("%Y"), n);
        }
        let key = identificatie_key(&attributes);
        let command = ZaakCommand::Create {
            uuid,
            attributes,
            outside,
        };
        // Decided before the identificatie is claimed, so a refused zaak claims nothing.
        ZaakAggregate::decide(&None, command.clone()).map_err(refusal)?;
        Ok(Prepared { uuid, command, key })
    }

    /// Claims the prepared zaak's identificatie (`identificatie-niet-uniek`); one reserved
    /// for its bronorganisatie (`zaaknummer_reserveren`) is the first such zaak's.
    pub(super) async fn claim(&self, ctx: &Context, prepared: &Prepared) -> Result<(), WriteError> {
        let store = self.commands.store().as_ref();
        let owner = stream_name(ZaakEvent::CATEGORY, prepared.uuid);
        crate::claim_identificatie(store, ctx, &prepared.key, &owner).await
    }

    /// The hoofdzaak `url` names for zaak `zaak`, as the rules need it.
    pub(super) async fn hoofdzaak(
        &self,
        zaak: Uuid,
        url: Option<&str>,
    ) -> Result<Option<Hoofdzaak>, WriteError> {
        let Some(url) = url.filter(|u| !u.is_empty()) else {
            return Ok(None);
        };
        let Some(uuid) = self.ports.urls().zaak_uuid(url) else {
            return Ok(Some(Hoofdzaak::NotOurs));
        };
        if uuid == zaak {
            return Ok(Some(Hoofdzaak::Missing { uuid }));
        }
        Ok(Some(match self.ports.zaak(uuid).await? {
            None => Hoofdzaak::Missing { uuid },
            Some(h) if h.hoofdzaak.is_some() => Hoofdzaak::Found {
                uuid,
                is_deelzaak: true,
                deelzaaktypen: Vec::new(),
            },
            Some(h) => Hoofdzaak::Found {
                uuid,
                is_deelzaak: false,
                deelzaaktypen: self
                    .ports
                    .zaaktype("hoofdzaak", &h.zaaktype)
                    .await?
                    .deelzaaktypen,
            },
        }))
    }

    /// The facts a change naming `named` is checked against, after checking the references
    /// it names.
    pub(super) async fn outside_facts(
        &self,
        uuid: Uuid,
        named: &Named,
    ) -> Result<OutsideFacts, WriteError> {
        let hoofdzaak = self.hoofdzaak(uuid, named.hoofdzaak.as_deref()).await?;
        if let Some(klasse) = &named.selectielijstklasse {
            self.ports.check_selectielijstklasse(klasse).await?;
        }
        if let Some(kanaal) = &named.communicatiekanaal {
            self.ports.check_communicatiekanaal(kanaal).await?;
        }
        for (list, urls) in [
            ("relevanteAndereZaken", &named.relevante_andere_zaken),
            ("gerelateerdeZaken", &named.gerelateerde_zaken),
        ] {
            if let Some(urls) = urls {
                let urls: Vec<&str> = urls.iter().map(String::as_str).collect();
                self.ports.check_zaak_urls(list, &urls).await?;
            }
        }
        // productenOfDiensten named are the zaaktype's (which never changes).
        // Looked up only when the request names some (a PUT or PATCH's hot path).
        let producten_of_diensten = match &named.producten_of_diensten {
            Some(p) if !p.is_empty() => match self.ports.zaak(uuid).await? {
                Some(current) => Some(
                    self.ports
                        .zaaktype("zaaktype", &current.zaaktype)
                        .await?
                        .producten_of_diensten,
                ),
                None => None,
            },
            _ => None,
        };
        let documenten = if named.archiveert {
            let (current, _) = self
                .commands
                .load_state::<ZaakAggregate>(uuid)
                .await
                .map_err(WriteError::internal)?;
            match current {
                Some(zaak) => Some(self.ports.documenten(&linked_documents(&zaak)).await?),
                None => None,
            }
        } else {
            None
        };
        Ok(OutsideFacts {
            producten_of_diensten,
            hoofdzaak,
            documenten,
        })
    }

    /// Changes zaak `uuid` (PUT or PATCH).
    pub async fn update(
        &self,
        auth: &Authorisation,
        ctx: &Context,
        uuid: Uuid,
        change: ZaakChange<'_>,
    ) -> Result<ZaakOutcome, WriteError> {
        let outside = self.outside_facts(uuid, &change.named).await?;
        let build = |state: &Option<Zaak>| -> Result<ZaakCommand, WriteError> {
            let current = state.as_ref().ok_or(WriteError::NotFound)?;
            let may_force = authorise(auth, current, BIJWERKEN)?;
            let mut attributes = (change.apply)(&current.attributes)?;
            if attributes.identificatie.is_empty() {
                attributes.identificatie = current.attributes.identificatie.clone();
            }
            if attributes.zaaktype != current.attributes.zaaktype {
                return Err(WriteError::invalid(
                    "zaaktype",
                    "wijzigen-niet-toegelaten",
                    "Dit veld mag niet gewijzigd worden.",
                ));
            }
            // The changed zaak must stay within what the caller may create or change.
            auth.require(
                Component::Zrc,
                BIJWERKEN,
                &attributes.zaaktype,
                attributes.vertrouwelijkheidaanduiding,
            )?;
            Ok(ZaakCommand::Update {
                attributes,
                partial: change.partial,
                may_force,
                outside: outside.clone(),
            })
        };
        self.run(uuid, ctx, build).await
    }

    /// Deletes zaak `uuid` and everything it owns (its stream stays as history); its
    /// identificatie becomes free again. Answers the documents whose relations went with it.
    pub async fn destroy(
        &self,
        auth: &Authorisation,
        ctx: &Context,
        uuid: Uuid,
    ) -> Result<(ZaakOutcome, Vec<String>), WriteError> {
        // A zaak with besluiten is not deleted before them, as in Open Zaak.
        if self.ports.has_besluiten(uuid).await? {
            return Err(WriteError::invalid(
                "nonFieldErrors",
                "pending-besluit-relation",
                "All related Besluit objects should be destroyed before destroying the zaak",
            ));
        }
        // The identificatie to free and the documents linked, as the deciding attempt saw them.
        let seen = std::sync::Mutex::new(None);
        let build = |state: &Option<Zaak>| -> Result<ZaakCommand, WriteError> {
            let current = state.as_ref().ok_or(WriteError::NotFound)?;
            auth.require(
                Component::Zrc,
                "zaken.verwijderen",
                &current.attributes.zaaktype,
                current.attributes.vertrouwelijkheidaanduiding,
            )?;
            *seen.lock().unwrap_or_else(|e| e.into_inner()) = Some((
                identificatie_key(&current.attributes),
                linked_documents(current)
                    .into_iter()
                    .map(str::to_owned)
                    .collect::<Vec<_>>(),
            ));
            Ok(ZaakCommand::Delete)
        };
        let outcome = self.run(uuid, ctx, build).await?;
        let (key, documents) = seen
            .into_inner()
            .unwrap_or_else(|e| e.into_inner())
            .unwrap_or_default();
        if !key.is_empty() {
            let owner = stream_name(ZaakEvent::CATEGORY, uuid);
            crate::release(self.commands.store().as_ref(), ctx, &key, &owner)
                .await
                .map_err(WriteError::internal)?;
        }
        Ok((outcome, documents))
    }
}

/// The documents of a zaak's zaakinformatieobjecten.
pub(super) fn linked_documents(zaak: &Zaak) -> Vec<&str> {
    zaak.parts_of(event_schemas::zaak::PartKind::Zaakinformatieobject)
        .filter_map(|(_, p)| p.attributes.get("informatieobject")?.as_str())
        .collect()
}

/// A command error without a builder's refusal, as one with it.
pub(super) fn widen<E: std::error::Error>(
    e: crate::CommandError<E>,
) -> crate::CommandError<E, WriteError> {
    crate::widen(e)
}

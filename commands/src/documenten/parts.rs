//! Gebruiksrechten, objectinformatieobjecten and verzendingen: parts in their document's
//! stream. An objectinformatieobject naming a zaak or besluit of ours only checks that
//! side's relation (`domain::informatieobject::rules`); another API's object is fetched.

use domain::besluit::BesluitAggregate;
use domain::informatieobject::{DocumentAggregate, DocumentCommand, RelatedObject};
use domain::urls::Urls;
use domain::zaak::ZaakAggregate;
use domain::Aggregate;
use event_schemas::document::{DocumentPartAttributes, DocumentPartKind};
use event_schemas::zaak::PartKind;
use serde_json::Value;
use uuid::Uuid;

use super::{
    authorise, refusal, DocumentOutcome, Documenten, AANMAKEN, PART_BIJWERKEN, VERWIJDEREN,
};
use crate::authorisation::Authorisation;
use crate::{Context, WriteError};

/// A new part, as the request gives it.
#[derive(Debug, Clone)]
pub struct NewPart {
    pub kind: DocumentPartKind,
    /// The document's URL (the part lives in its stream).
    pub informatieobject: String,
    pub attributes: DocumentPartAttributes,
}

/// A PUT or PATCH of part `uuid` of document `document`: see [`PartChange::new`].
#[derive(Debug, Clone)]
pub struct PartChange {
    document: Uuid,
    uuid: Uuid,
    attributes: DocumentPartAttributes,
    partial: bool,
}

impl PartChange {
    /// A change of part `uuid` of `document` to `attributes`, whose request names the
    /// document `informatieobject`: a part stays in its document (`wijzigen-niet-toegelaten`).
    pub fn new(
        urls: &Urls,
        (document, uuid): (Uuid, Uuid),
        informatieobject: &str,
        attributes: DocumentPartAttributes,
        partial: bool,
    ) -> Result<Self, WriteError> {
        if urls.document_uuid(informatieobject) != Some(document) {
            return Err(WriteError::invalid(
                "informatieobject",
                "wijzigen-niet-toegelaten",
                "Dit veld mag niet gewijzigd worden.",
            ));
        }
        Ok(Self {
            document,
            uuid,
            attributes,
            partial,
        })
    }
}

/// Removing a part, its facts resolved: see [`Documenten::removal`].
#[derive(Debug, Clone)]
pub struct Removal {
    document: Uuid,
    command: DocumentCommand,
}

fn text<'a>(attributes: &'a DocumentPartAttributes, name: &str) -> &'a str {
    attributes
        .get(name)
        .and_then(Value::as_str)
        .unwrap_or_default()
}

impl Documenten<'_> {
    /// The document a part's `informatieobject` names: one of ours, that exists.
    async fn document_of(&self, url: &str) -> Result<Uuid, WriteError> {
        let Some(uuid) = self.ports.urls().document_uuid(url) else {
            return Err(WriteError::invalid(
                "informatieobject",
                "bad-url",
                format!("De URL {url} resolvet niet naar een bruikbare resource."),
            ));
        };
        if self.ports.document_exists(uuid).await? {
            Ok(uuid)
        } else {
            Err(WriteError::invalid(
                "informatieobject",
                "does_not_exist",
                "Ongeldige hyperlink - Object bestaat niet.",
            ))
        }
    }

    /// The zaak or besluit of ours an objectinformatieobject names, as it is now: whether
    /// it links `document`; `None` when the object is another API's.
    async fn ours(
        &self,
        document: Uuid,
        attributes: &DocumentPartAttributes,
    ) -> Result<Option<RelatedObject>, WriteError> {
        let urls = self.ports.urls();
        let object = text(attributes, "object");
        let is_it = |url: &str| urls.document_uuid(url) == Some(document);
        let links = match text(attributes, "objectType") {
            "zaak" => match urls.zaak_uuid(object) {
                Some(zaak) => self
                    .commands
                    .current::<ZaakAggregate>(zaak)
                    .await?
                    .map(|z| {
                        z.parts_of(PartKind::Zaakinformatieobject)
                            .any(|(_, p)| is_it(text(&p.attributes, "informatieobject")))
                    }),
                None => return Ok(None),
            },
            "besluit" => match urls.besluit_uuid(object) {
                Some(besluit) => self
                    .commands
                    .current::<BesluitAggregate>(besluit)
                    .await?
                    .map(|b| {
                        b.informatieobjecten
                            .values()
                            .any(|b| is_it(&b.informatieobject))
                    }),
                None => return Ok(None),
            },
            _ => return Ok(None),
        };
        Ok(Some(match links {
            None => RelatedObject::Missing,
            Some(links) => RelatedObject::Ours { links },
        }))
    }

    /// The command adding a new objectinformatieobject: a duplicate is refused before the
    /// object is looked up (as the plain part it is), then the object is one of ours (its
    /// relation checked) or another API's (fetched, of its objectType).
    async fn link_command(
        &self,
        auth: &Authorisation,
        document: Uuid,
        uuid: Uuid,
        attributes: &DocumentPartAttributes,
    ) -> Result<DocumentCommand, WriteError> {
        let doc = self.load(auth, document, AANMAKEN).await?;
        let plain = DocumentCommand::AddPart {
            kind: DocumentPartKind::Objectinformatieobject,
            uuid,
            attributes: attributes.clone(),
        };
        DocumentAggregate::decide(&Some(doc), plain).map_err(refusal)?;
        let object = match self.ours(document, attributes).await? {
            Some(ours) => ours,
            None => {
                let (kind, url) = (text(attributes, "objectType"), text(attributes, "object"));
                self.ports.check_remote_object(kind, url).await?;
                RelatedObject::Elsewhere
            }
        };
        Ok(DocumentCommand::LinkObject {
            uuid,
            attributes: attributes.clone(),
            object,
        })
    }

    /// Adds a part to the document its `informatieobject` names; answers its uuid.
    pub async fn add_part(
        &self,
        auth: &Authorisation,
        ctx: &Context,
        new: NewPart,
    ) -> Result<(DocumentOutcome, Uuid), WriteError> {
        let document = self.document_of(&new.informatieobject).await?;
        let uuid = Uuid::new_v4();
        let command = match new.kind {
            DocumentPartKind::Objectinformatieobject => {
                self.link_command(auth, document, uuid, &new.attributes)
                    .await?
            }
            kind => DocumentCommand::AddPart {
                kind,
                uuid,
                attributes: new.attributes,
            },
        };
        let outcome = self
            .run(document, ctx, |doc| {
                authorise(auth, doc, AANMAKEN)?;
                Ok(command.clone())
            })
            .await?;
        Ok((outcome, uuid))
    }

    /// Changes a part (PUT or PATCH).
    pub async fn update_part(
        &self,
        auth: &Authorisation,
        ctx: &Context,
        change: PartChange,
    ) -> Result<DocumentOutcome, WriteError> {
        let command = DocumentCommand::UpdatePart {
            uuid: change.uuid,
            attributes: change.attributes,
            partial: change.partial,
        };
        self.run(change.document, ctx, |doc| {
            authorise(auth, doc, PART_BIJWERKEN)?;
            Ok(command.clone())
        })
        .await
    }

    /// What removing part `uuid` of document `document` is decided on: for an
    /// objectinformatieobject the zaak or besluit of ours it mirrors. Authorised and
    /// decided on the document as it is now, too, so a refusal comes before the caller's
    /// precondition (If-Match) is looked at.
    pub async fn removal(
        &self,
        auth: &Authorisation,
        document: Uuid,
        uuid: Uuid,
    ) -> Result<Removal, WriteError> {
        let current = self.commands.current::<DocumentAggregate>(document).await?;
        let part = current.as_ref().and_then(|d| d.parts.get(&uuid));
        let command = match part {
            Some(p) if p.kind == DocumentPartKind::Objectinformatieobject => {
                let object = self.ours(document, &p.attributes).await?;
                DocumentCommand::UnlinkObject {
                    uuid,
                    object: object.unwrap_or(RelatedObject::Elsewhere),
                }
            }
            _ => DocumentCommand::RemovePart { uuid },
        };
        if let Some(doc) = &current {
            authorise(auth, doc, VERWIJDEREN)?;
            DocumentAggregate::decide(&current, command.clone()).map_err(refusal)?;
        }
        Ok(Removal { document, command })
    }

    /// Removes a part; an objectinformatieobject not while the zaak or besluit of ours it
    /// mirrors still links the document.
    pub async fn remove_part(
        &self,
        auth: &Authorisation,
        ctx: &Context,
        removal: Removal,
    ) -> Result<DocumentOutcome, WriteError> {
        self.run(removal.document, ctx, |doc| {
            authorise(auth, doc, VERWIJDEREN)?;
            Ok(removal.command.clone())
        })
        .await
    }
}

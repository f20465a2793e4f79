//! Adding, changing and removing what a zaak owns besides its statussen (rollen, its
//! resultaat, zaakobjecten, zaakeigenschappen, relations to documents, besluiten,
//! contactmomenten, verzoeken): each a command on the zaak's stream.

use chrono::{DateTime, Utc};
use domain::zaak::{Zaak, ZaakCommand};
use event_schemas::zaak::{PartAttributes, PartKind};
use serde_json::{json, Value};
use uuid::Uuid;

use super::{authorise, ZaakOutcome, Zaken};
use crate::authorisation::Authorisation;
use crate::{Context, Outcome, WriteError};

/// How a request names the zaak of a new part.
#[derive(Debug, Clone, Copy)]
pub enum PartZaak {
    /// In the path (`/zaken/{uuid}/...`): a zaak that does not exist is 404.
    Path(Uuid),
    /// In the body's `zaak` URL: a zaak that does not exist is `does_not_exist`.
    Body(Uuid),
}

impl PartZaak {
    pub fn uuid(self) -> Uuid {
        match self {
            Self::Path(u) | Self::Body(u) => u,
        }
    }

    fn missing(self) -> WriteError {
        match self {
            Self::Path(_) => WriteError::NotFound,
            Self::Body(_) => WriteError::invalid(
                "zaak",
                "does_not_exist",
                "Ongeldige hyperlink - Object bestaat niet.",
            ),
        }
    }
}

/// A new part, as the request gives it.
#[derive(Debug, Clone)]
pub struct NewPart {
    pub kind: PartKind,
    pub zaak: PartZaak,
    pub attributes: PartAttributes,
    /// The scope creating it takes (`a|b`: either).
    pub scope: &'static str,
}

/// A PUT or PATCH of a part.
pub struct PartChange<'a> {
    pub zaak: Uuid,
    pub uuid: Uuid,
    pub kind: PartKind,
    pub partial: bool,
    /// The fields the request names (a catalogue type named is checked as on creation).
    pub named: PartAttributes,
    /// The attributes after the change, from the part's current ones.
    pub apply: &'a (dyn Fn(&PartAttributes) -> Result<PartAttributes, WriteError> + Send + Sync),
    pub scope: &'static str,
}

/// A new part as it will be added: its attributes with what derives from its type, and the
/// zaaktype of that type.
pub(super) type PreparedPart = (PartAttributes, Option<String>);

/// The field naming a part's catalogue type.
pub fn type_field(kind: PartKind) -> Option<&'static str> {
    match kind {
        PartKind::Resultaat => Some("resultaattype"),
        PartKind::Rol => Some("roltype"),
        PartKind::Zaakeigenschap => Some("eigenschap"),
        _ => None,
    }
}

/// What the system sets on a new part: registration moments and fixed descriptions.
fn derive_on_create(kind: PartKind, attributes: &mut PartAttributes, now: DateTime<Utc>) {
    let now = json!(now.to_rfc3339_opts(chrono::SecondsFormat::Micros, true));
    match kind {
        PartKind::Rol => {
            attributes.insert("registratiedatum".into(), now);
            attributes.entry("omschrijving").or_insert(json!(""));
            attributes
                .entry("omschrijvingGeneriek")
                .or_insert(json!(""));
        }
        PartKind::Zaakinformatieobject => {
            attributes.insert("registratiedatum".into(), now);
            attributes.insert(
                "aardRelatieWeergave".into(),
                json!("Hoort bij, omgekeerd: kent"),
            );
        }
        PartKind::Zaakeigenschap => {
            attributes.entry("naam").or_insert(json!(""));
        }
        _ => {}
    }
}

fn text<'a>(attributes: &'a PartAttributes, name: &str) -> &'a str {
    attributes
        .get(name)
        .and_then(Value::as_str)
        .unwrap_or_default()
}

fn inconsistent(reason: &str) -> WriteError {
    WriteError::invalid("nonFieldErrors", "inconsistent-relation", reason)
}

impl Zaken<'_> {
    /// The zaaktype of the catalogue type a part names, after setting what derives from
    /// the type (a rol's omschrijving, a zaakeigenschap's naam); `None` for kinds without.
    async fn resolve_type(
        &self,
        kind: PartKind,
        attributes: &mut PartAttributes,
    ) -> Result<Option<String>, WriteError> {
        let url = |name: &str| text(attributes, name).to_owned();
        Ok(match kind {
            PartKind::Resultaat => Some(
                self.ports
                    .resultaattype(&url("resultaattype"))
                    .await?
                    .zaaktype,
            ),
            PartKind::Rol => {
                let roltype = self.ports.roltype(&url("roltype")).await?;
                attributes.insert("omschrijving".into(), json!(roltype.omschrijving));
                attributes.insert(
                    "omschrijvingGeneriek".into(),
                    json!(roltype.omschrijving_generiek),
                );
                Some(roltype.zaaktype)
            }
            PartKind::Zaakeigenschap => {
                let eigenschap = self.ports.eigenschap(&url("eigenschap")).await?;
                attributes.insert("naam".into(), json!(eigenschap.naam));
                Some(eigenschap.zaaktype)
            }
            _ => None,
        })
    }

    /// The new part as it will be added: derived fields set, its type resolved, its outside
    /// references checked. Answers the command's attributes and the type's zaaktype.
    pub(super) async fn prepare_part(
        &self,
        ctx: &Context,
        new: &NewPart,
        zaaktype: Option<&str>,
    ) -> Result<PreparedPart, WriteError> {
        let mut attributes = new.attributes.clone();
        derive_on_create(new.kind, &mut attributes, ctx.now);
        let type_zaaktype = self.resolve_type(new.kind, &mut attributes).await?;
        self.ports
            .check_part_reference(new.zaak.uuid(), zaaktype, new.kind, &attributes)
            .await?;
        Ok((attributes, type_zaaktype))
    }

    /// The command adding a prepared part to `zaak`, by a caller allowed `scope` on it.
    pub(super) fn add_part_command(
        auth: &Authorisation,
        zaak: &Zaak,
        new: &NewPart,
        uuid: Uuid,
        (attributes, type_zaaktype): &PreparedPart,
    ) -> Result<ZaakCommand, WriteError> {
        let may_force = authorise(auth, zaak, new.scope)?;
        Ok(ZaakCommand::AddPart {
            kind: new.kind,
            uuid,
            attributes: attributes.clone(),
            may_force,
            type_zaaktype: type_zaaktype.clone(),
        })
    }

    /// Adds a part to a zaak; answers its uuid. A zaakbesluit of one of our besluiten is the
    /// besluit's to make (its process manager did): the POST answers the existing relation,
    /// as Open Zaak does, or `inconsistent-relation` when the besluit is not about this zaak.
    pub async fn add_part(
        &self,
        auth: &Authorisation,
        ctx: &Context,
        new: NewPart,
    ) -> Result<(ZaakOutcome, Uuid), WriteError> {
        let prepared = self.prepare_part(ctx, &new, None).await?;
        if new.kind == PartKind::Zaakbesluit {
            if let Some(existing) = self.existing_zaakbesluit(auth, &new).await? {
                return Ok(existing);
            }
        }
        let uuid = Uuid::new_v4();
        let build = |state: &Option<Zaak>| -> Result<ZaakCommand, WriteError> {
            let zaak = state.as_ref().ok_or_else(|| new.zaak.missing())?;
            Self::add_part_command(auth, zaak, &new, uuid, &prepared)
        };
        let outcome = self.run(new.zaak.uuid(), ctx, build).await?;
        Ok((outcome, uuid))
    }

    /// For a zaakbesluit of one of our besluiten: the relation the besluit already made.
    async fn existing_zaakbesluit(
        &self,
        auth: &Authorisation,
        new: &NewPart,
    ) -> Result<Option<(ZaakOutcome, Uuid)>, WriteError> {
        let besluit = text(&new.attributes, "besluit");
        if self.ports.urls().besluit_uuid(besluit).is_none() {
            return Ok(None);
        }
        let (state, version) = self
            .commands
            .load_state::<domain::zaak::ZaakAggregate>(new.zaak.uuid())
            .await
            .map_err(WriteError::internal)?;
        let zaak = state.ok_or(WriteError::NotFound)?;
        authorise(auth, &zaak, new.scope)?;
        let found = zaak.parts.iter().find(|(_, p)| {
            p.kind == PartKind::Zaakbesluit && text(&p.attributes, "besluit") == besluit
        });
        let Some((uuid, _)) = found else {
            return Err(inconsistent(
                "The relation between zaak and besluit doesn't exist",
            ));
        };
        let uuid = *uuid;
        Ok(Some((
            Outcome {
                state: Some(zaak),
                position: None,
                version,
            },
            uuid,
        )))
    }

    /// Changes a part (PUT or PATCH).
    pub async fn update_part(
        &self,
        auth: &Authorisation,
        ctx: &Context,
        change: PartChange<'_>,
    ) -> Result<ZaakOutcome, WriteError> {
        // A type named in the request is checked as on creation (one not named stays).
        let mut named = change.named.clone();
        let type_zaaktype = match type_field(change.kind) {
            Some(field) if named.contains_key(field) => {
                self.resolve_type(change.kind, &mut named).await?
            }
            _ => None,
        };
        let build = |state: &Option<Zaak>| -> Result<ZaakCommand, WriteError> {
            let zaak = state.as_ref().ok_or(WriteError::NotFound)?;
            let current = &zaak
                .parts
                .get(&change.uuid)
                .ok_or(WriteError::NotFound)?
                .attributes;
            let may_force = authorise(auth, zaak, change.scope)?;
            Ok(ZaakCommand::UpdatePart {
                uuid: change.uuid,
                attributes: (change.apply)(current)?,
                partial: change.partial,
                may_force,
                type_zaaktype: type_zaaktype.clone(),
            })
        };
        self.run(change.zaak, ctx, build).await
    }

    /// Removes part `uuid` of zaak `zaak`; answers the document of a removed
    /// zaakinformatieobject. A zaakbesluit is refused while its besluit (one of ours) still
    /// names the zaak.
    pub async fn remove_part(
        &self,
        auth: &Authorisation,
        ctx: &Context,
        zaak: Uuid,
        uuid: Uuid,
        scope: &'static str,
    ) -> Result<(ZaakOutcome, Option<String>), WriteError> {
        let (state, _) = self
            .commands
            .load_state::<domain::zaak::ZaakAggregate>(zaak)
            .await
            .map_err(WriteError::internal)?;
        let part = state.as_ref().and_then(|z| z.parts.get(&uuid));
        let document = part
            .filter(|p| p.kind == PartKind::Zaakinformatieobject)
            .map(|p| text(&p.attributes, "informatieobject").to_owned());
        if let Some(p) = part.filter(|p| p.kind == PartKind::Zaakbesluit) {
            let besluit = self
                .ports
                .urls()
                .besluit_uuid(text(&p.attributes, "besluit"));
            if let Some(besluit) = besluit {
                let named = self.ports.besluit_zaak(besluit).await?;
                if named.as_deref() == Some(self.ports.urls().zaak(zaak).as_str()) {
                    return Err(inconsistent(
                        "Het Besluit verwijst nog naar deze zaak. Deze relatie moet eerst verbroken worden.",
                    ));
                }
            }
        }
        let build = |state: &Option<Zaak>| -> Result<ZaakCommand, WriteError> {
            let zaak = state.as_ref().ok_or(WriteError::NotFound)?;
            let may_force = authorise(auth, zaak, scope)?;
            Ok(ZaakCommand::RemovePart { uuid, may_force })
        };
        let outcome = self.run(zaak, ctx, build).await?;
        Ok((outcome, document))
    }
}

/// A zaakinformatieobject of a document about to be created (`document_registreren`),
/// checked against the zaak as it is now; added by [`Zaken::add_link`] once the document
/// exists.
pub struct PreparedLink {
    new: NewPart,
    uuid: Uuid,
    prepared: PreparedPart,
}

impl PreparedLink {
    pub fn zaak(&self) -> Uuid {
        self.new.zaak.uuid()
    }
}

impl Zaken<'_> {
    /// Checks a zaakinformatieobject `new` of a document not yet created, of
    /// `informatieobjecttype`: the zaak exists, its zaaktype (when ours) allows the type
    /// (`missing-zaaktype-informatieobjecttype-relation`), the caller may change the zaak,
    /// and the zaak takes it now (open, or the caller may force).
    pub async fn prepare_link(
        &self,
        auth: &Authorisation,
        ctx: &Context,
        new: NewPart,
        informatieobjecttype: &str,
    ) -> Result<PreparedLink, WriteError> {
        let (current, _) = self
            .commands
            .load_state::<domain::zaak::ZaakAggregate>(new.zaak.uuid())
            .await
            .map_err(WriteError::internal)?;
        let zaak = current.ok_or_else(|| new.zaak.missing())?;
        let zaaktype = &zaak.attributes.zaaktype;
        if zaaktype.starts_with(&format!("{}/catalogi/api/v1/", self.ports.urls().base())) {
            let allowed = self.ports.zaaktype("zaaktype", zaaktype).await?;
            domain::zaak::rules::document_type(
                &allowed.informatieobjecttypen,
                informatieobjecttype,
            )
            .map_err(|rule| super::refusal(domain::zaak::ZaakError::Rule(rule)))?;
        }
        let mut attributes = new.attributes.clone();
        derive_on_create(new.kind, &mut attributes, ctx.now);
        let prepared = (attributes, None);
        let uuid = Uuid::new_v4();
        let command = Self::add_part_command(auth, &zaak, &new, uuid, &prepared)?;
        <domain::zaak::ZaakAggregate as domain::Aggregate>::decide(&Some(zaak), command)
            .map_err(super::refusal)?;
        Ok(PreparedLink {
            new,
            uuid,
            prepared,
        })
    }

    /// Adds a prepared zaakinformatieobject; answers its uuid.
    pub async fn add_link(
        &self,
        auth: &Authorisation,
        ctx: &Context,
        link: PreparedLink,
    ) -> Result<(ZaakOutcome, Uuid), WriteError> {
        let build = |state: &Option<Zaak>| -> Result<ZaakCommand, WriteError> {
            let zaak = state.as_ref().ok_or_else(|| link.new.zaak.missing())?;
            Self::add_part_command(auth, zaak, &link.new, link.uuid, &link.prepared)
        };
        let outcome = self.run(link.zaak(), ctx, build).await?;
        Ok((outcome, link.uuid))
    }
}

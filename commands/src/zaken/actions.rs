//! Open Zaak's one-call endpoints on an existing zaak: changing it together with a new
//! status (`zaak_bijwerken` with its rollen, `zaak_afsluiten` with its resultaat,
//! `zaak_opschorten`, `zaak_verlengen`), each one append to the zaak's stream: all or
//! nothing, refusals named under the part of the request they are about.

use domain::zaak::{Zaak, ZaakAggregate, ZaakCommand};
use event_schemas::applicatie::Component;
use event_schemas::zaak::{PartAttributes, PartKind};
use uuid::Uuid;

use super::register::{step, Done};
use super::{authorise, failure, NewPart, NewStatus, PartZaak, ZaakChange, Zaken, BIJWERKEN};
use crate::authorisation::Authorisation;
use crate::{Context, WriteError};

/// What a zaak action does besides the zaak's change and its status.
pub enum Action<'a> {
    /// `zaak_bijwerken`: with `Some`, the zaak's rollen become exactly these (an entry with
    /// a uuid keeps and replaces that rol, one without adds a rol, the others go).
    Bijwerken {
        rollen: Option<Vec<RolEntry>>,
        /// A kept rol's attributes from its current ones and the entry's (a full update).
        apply_rol: &'a (dyn Fn(&PartAttributes, &PartAttributes) -> Result<PartAttributes, WriteError>
                 + Send
                 + Sync),
    },
    /// `zaak_afsluiten`: the resultaat, and the status must be the eindstatus.
    Afsluiten {
        resultaat: PartAttributes,
    },
    /// `zaak_opschorten`, `zaak_verlengen`: the zaak's change and a status that is not the
    /// eindstatus.
    Opschorten,
    Verlengen,
}

/// A rol in `zaak_bijwerken`: an existing one (`uuid`) or a new one.
#[derive(Debug, Clone)]
pub struct RolEntry {
    pub uuid: Option<Uuid>,
    pub attributes: PartAttributes,
}

/// A zaak action's request.
pub struct ZaakAction<'a> {
    pub zaak: Uuid,
    /// The zaak's change (PATCH), when the request changes it.
    pub change: Option<ZaakChange<'a>>,
    pub status: NewStatus,
    pub action: Action<'a>,
}

/// A new rol of `zaak_bijwerken`: its index in the request, its uuid, the request and
/// what `prepare_part` made of it.
type PreparedRol = (usize, Uuid, NewPart, super::parts::PreparedPart);

fn eindstatus_rule(code: &str, reason: &str) -> WriteError {
    WriteError::invalid("nonFieldErrors", code, reason).nested("status")
}

impl Zaken<'_> {
    /// A zaak action (`zaak_bijwerken`, `zaak_afsluiten`, `zaak_opschorten`,
    /// `zaak_verlengen`): the zaak's change, then (afsluiten) its resultaat, then the status,
    /// then (bijwerken) its rollen, as one append.
    pub async fn act(
        &self,
        auth: &Authorisation,
        ctx: &Context,
        request: ZaakAction<'_>,
    ) -> Result<Done, WriteError> {
        let uuid = request.zaak;
        let (current, _) = self
            .commands
            .load_state::<ZaakAggregate>(uuid)
            .await
            .map_err(WriteError::internal)?;
        let current = current.ok_or(WriteError::NotFound)?;
        check_action_scopes(auth, &current)?;
        let outside = match &request.change {
            Some(change) => Some(
                self.outside_facts(uuid, &change.named)
                    .await
                    .map_err(|e| e.nested("zaak"))?,
            ),
            None => None,
        };
        let resultaattype = match &request.action {
            Action::Afsluiten { resultaat } => resultaat
                .get("resultaattype")
                .and_then(|v| v.as_str())
                .map(str::to_owned),
            _ => None,
        };
        let resultaat_part = match &request.action {
            Action::Afsluiten { resultaat } => {
                let part = Uuid::new_v4();
                let new = NewPart {
                    kind: PartKind::Resultaat,
                    zaak: PartZaak::Path(uuid),
                    attributes: resultaat.clone(),
                    scope: BIJWERKEN,
                };
                let prepared = self
                    .prepare_part(ctx, &new, Some(&current.attributes.zaaktype))
                    .await
                    .map_err(|e| e.nested("resultaat"))?;
                Some((part, new, prepared))
            }
            _ => None,
        };
        let facts = self
            .status_facts(&request.status, Some(&current), resultaattype.as_deref())
            .await
            .map_err(|e| e.nested("status"))?;
        match (&request.action, facts.is_eindstatus) {
            (Action::Afsluiten { .. }, false) => {
                return Err(eindstatus_rule(
                    "eindstatus-required",
                    "De status moet de eindstatus van het zaaktype zijn.",
                ))
            }
            (Action::Afsluiten { .. }, true) | (_, false) => {}
            (_, true) => {
                return Err(eindstatus_rule(
                    "eindstatus-not-allowed",
                    "Een eindstatus zetten is via dit endpoint niet toegestaan.",
                ))
            }
        }
        let rollen = match &request.action {
            Action::Bijwerken {
                rollen: Some(rollen),
                ..
            } => Some(self.check_rollen(uuid, rollen).await?),
            _ => None,
        };
        let mut new_rollen = Vec::new();
        if let Some(rollen) = &rollen {
            for (i, entry) in rollen.iter().enumerate() {
                if entry.uuid.is_none() {
                    let prefix = format!("rollen.{i}");
                    let new = NewPart {
                        kind: PartKind::Rol,
                        zaak: PartZaak::Path(uuid),
                        attributes: entry.attributes.clone(),
                        scope: BIJWERKEN,
                    };
                    let prepared = self
                        .prepare_part(ctx, &new, Some(&current.attributes.zaaktype))
                        .await
                        .map_err(|e| e.nested(&prefix))?;
                    new_rollen.push((i, Uuid::new_v4(), new, prepared));
                }
            }
        }
        let status = Uuid::new_v4();
        let build = |state: &Option<Zaak>| -> Result<Vec<ZaakCommand>, WriteError> {
            let mut state = state.clone();
            let zaak = state.as_ref().ok_or(WriteError::NotFound)?;
            check_action_scopes(auth, zaak)?;
            let may_force = authorise(auth, zaak, BIJWERKEN)?;
            let mut commands = Vec::new();
            if let (Some(change), Some(outside)) = (&request.change, &outside) {
                let mut attributes =
                    (change.apply)(&zaak.attributes).map_err(|e| e.nested("zaak"))?;
                if attributes.identificatie.is_empty() {
                    attributes.identificatie = zaak.attributes.identificatie.clone();
                }
                let command = ZaakCommand::Update {
                    attributes,
                    partial: true,
                    may_force,
                    outside: outside.clone(),
                };
                step(&mut state, &mut commands, "zaak", command)?;
            }
            if let Some((part, new, prepared)) = &resultaat_part {
                let zaak = state.as_ref().ok_or(WriteError::NotFound)?;
                let command = Self::add_part_command(auth, zaak, new, *part, prepared)
                    .map_err(|e| e.nested("resultaat"))?;
                step(&mut state, &mut commands, "resultaat", command)?;
            }
            let zaak = state.clone().ok_or(WriteError::NotFound)?;
            let command = self
                .status_command(auth, &zaak, status, &request.status, &facts)
                .map_err(|e| e.nested("status"))?;
            step(&mut state, &mut commands, "status", command)?;
            if let (Some(rollen), Action::Bijwerken { apply_rol, .. }) = (&rollen, &request.action)
            {
                self.rol_commands(
                    auth,
                    &mut state,
                    &mut commands,
                    rollen,
                    &new_rollen,
                    *apply_rol,
                )?;
            }
            Ok(commands)
        };
        let outcome = self
            .commands
            .execute_all_with::<ZaakAggregate, WriteError>(uuid, ctx, build)
            .await
            .map_err(failure)?;
        Ok(Done {
            outcome,
            status,
            resultaat: resultaat_part.map(|(part, ..)| part),
            rollen: Vec::new(),
            zaakinformatieobjecten: Vec::new(),
            zaakobjecten: Vec::new(),
        }
        .with_rollen(rollen.as_deref(), &new_rollen))
    }

    /// The rollen of `zaak_bijwerken`: every uuid is a rol of this zaak, named once
    /// (`missing-relation`, `does-not-exist`, `duplicate`: all reported together).
    async fn check_rollen(
        &self,
        zaak: Uuid,
        rollen: &[RolEntry],
    ) -> Result<Vec<RolEntry>, WriteError> {
        let mut problems = Vec::new();
        let mut seen = std::collections::HashSet::new();
        for (i, entry) in rollen.iter().enumerate() {
            let Some(uuid) = entry.uuid else { continue };
            let field = format!("rollen.{i}.uuid");
            if !seen.insert(uuid) {
                problems.push(crate::InvalidParam::new(
                    field,
                    "duplicate",
                    "Deze rol komt meer dan eens voor.",
                ));
                continue;
            }
            match self.ports.rol_zaak(uuid).await? {
                Some(z) if z == zaak => {}
                Some(_) => problems.push(crate::InvalidParam::new(
                    field,
                    "missing-relation",
                    "Deze rol hoort niet bij de zaak.",
                )),
                None => problems.push(crate::InvalidParam::new(
                    field,
                    "does-not-exist",
                    "Deze rol bestaat niet.",
                )),
            }
        }
        if problems.is_empty() {
            Ok(rollen.to_vec())
        } else {
            Err(WriteError::Invalid(problems))
        }
    }

    /// The commands that make the zaak's rollen exactly `rollen`: new ones added, named ones
    /// replaced, in the request's order; then the others removed.
    fn rol_commands(
        &self,
        auth: &Authorisation,
        state: &mut Option<Zaak>,
        commands: &mut Vec<ZaakCommand>,
        rollen: &[RolEntry],
        new_rollen: &[PreparedRol],
        apply_rol: &(dyn Fn(&PartAttributes, &PartAttributes) -> Result<PartAttributes, WriteError>
              + Send
              + Sync),
    ) -> Result<(), WriteError> {
        for (i, entry) in rollen.iter().enumerate() {
            let prefix = format!("rollen.{i}");
            let zaak = state.as_ref().ok_or(WriteError::NotFound)?;
            let may_force = authorise(auth, zaak, BIJWERKEN)?;
            let command = match entry.uuid {
                Some(uuid) => {
                    let current = &zaak
                        .parts
                        .get(&uuid)
                        .ok_or(WriteError::NotFound)?
                        .attributes;
                    ZaakCommand::UpdatePart {
                        uuid,
                        attributes: apply_rol(current, &entry.attributes)
                            .map_err(|e| e.nested(&prefix))?,
                        partial: false,
                        may_force,
                        type_zaaktype: None,
                    }
                }
                None => {
                    let (_, uuid, new, prepared) = new_rollen
                        .iter()
                        .find(|(index, ..)| *index == i)
                        .ok_or_else(|| WriteError::internal("an unprepared rol"))?;
                    Self::add_part_command(auth, zaak, new, *uuid, prepared)
                        .map_err(|e| e.nested(&prefix))?
                }
            };
            step(state, commands, &prefix, command)?;
        }
        let keep: Vec<Uuid> = rollen
            .iter()
            .filter_map(|r| r.uuid)
            .chain(new_rollen.iter().map(|(_, uuid, ..)| *uuid))
            .collect();
        let zaak = state.as_ref().ok_or(WriteError::NotFound)?;
        let gone: Vec<Uuid> = zaak
            .parts_of(PartKind::Rol)
            .map(|(uuid, _)| *uuid)
            .filter(|uuid| !keep.contains(uuid))
            .collect();
        let may_force = authorise(auth, zaak, BIJWERKEN)?;
        for uuid in gone {
            step(
                state,
                commands,
                "rollen",
                ZaakCommand::RemovePart { uuid, may_force },
            )?;
        }
        Ok(())
    }
}

impl Done {
    /// With the rollen `zaak_bijwerken` kept or added, in the request's order.
    fn with_rollen(mut self, rollen: Option<&[RolEntry]>, new_rollen: &[PreparedRol]) -> Self {
        let Some(rollen) = rollen else { return self };
        self.rollen = rollen
            .iter()
            .enumerate()
            .filter_map(|(i, entry)| {
                entry.uuid.or_else(|| {
                    new_rollen
                        .iter()
                        .find(|(index, ..)| *index == i)
                        .map(|(_, uuid, ..)| *uuid)
                })
            })
            .collect();
        self
    }
}

/// The scopes of a zaak action, as Open Zaak checks them: changing the zaak
/// (bijwerken or geforceerd-bijwerken) and setting a status (aanmaken, statussen.toevoegen
/// or heropenen) on its zaaktype; a closed zaak only with geforceerd-bijwerken; a second
/// status not with zaken.aanmaken alone; a closed zaak reopened only with zaken.heropenen.
fn check_action_scopes(auth: &Authorisation, zaak: &Zaak) -> Result<(), WriteError> {
    let (zaaktype, vertrouwelijkheid) = (
        zaak.attributes.zaaktype.as_str(),
        zaak.attributes.vertrouwelijkheidaanduiding,
    );
    let allows = |scope| {
        auth.grants(Component::Zrc, scope)
            .allows(zaaktype, vertrouwelijkheid)
    };
    if !allows(BIJWERKEN) || !allows("zaken.aanmaken|zaken.statussen.toevoegen|zaken.heropenen") {
        return Err(WriteError::permission_denied());
    }
    let refuse = |detail: &str| Err(WriteError::PermissionDenied(detail.to_owned()));
    if zaak.is_closed() && !allows("zaken.geforceerd-bijwerken") {
        return refuse("Je mag geen gegevens aanpassen van een gesloten zaak.");
    }
    if !allows("zaken.statussen.toevoegen|zaken.heropenen") && !zaak.statussen.is_empty() {
        return refuse("Met de 'zaken.aanmaken' scope mag je slechts 1 status zetten");
    }
    if !allows("zaken.heropenen") && zaak.is_closed() {
        return refuse(
            "Het heropenen van een gesloten zaak is niet toegestaan zonder de scope zaken.heropenen",
        );
    }
    Ok(())
}

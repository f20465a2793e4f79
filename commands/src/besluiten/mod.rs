//! The Besluiten API's write side: one use case per function of [`Besluiten`] (a besluit
//! created, changed, deleted; a document linked or unlinked), each taking typed input, the
//! caller's context and authorisation, resolving outside facts through [`BesluitPorts`]
//! and deciding on the Besluit aggregate.

mod besluit;
mod informatieobjecten;
mod ports;
mod verwerken;

pub use besluit::{BesluitChange, Prepared};
pub use ports::{BesluitPorts, ZaakFacts};

use domain::besluit::{Besluit, BesluitAggregate, BesluitError};
use event_schemas::applicatie::Component;
use event_schemas::zaak::Vertrouwelijkheidaanduiding;
use uuid::Uuid;

use crate::authorisation::Authorisation;
use crate::{CommandError, CommandHandler, InvalidParam, Outcome, WriteError};

pub const AANMAKEN: &str = "besluiten.aanmaken";
pub const BIJWERKEN: &str = "besluiten.bijwerken";
pub const VERWIJDEREN: &str = "besluiten.verwijderen";

/// A besluit has no vertrouwelijkheidaanduiding: brc grants are per besluittype only (as
/// in Open Zaak), so every check is made at the lowest level.
pub const LEVEL: Vertrouwelijkheidaanduiding = Vertrouwelijkheidaanduiding::Openbaar;

/// The besluiten use cases, over a command handler and the ports' adapters.
pub struct Besluiten<'a> {
    pub commands: &'a CommandHandler,
    pub ports: Box<dyn BesluitPorts + 'a>,
}

/// The outcome of a besluit write: the besluit after it (`None` once deleted) and where
/// its events are, for read-your-writes.
pub type BesluitOutcome = Outcome<Option<Besluit>>;

/// 403 unless `scope` covers the besluit's besluittype.
fn authorise(auth: &Authorisation, besluittype: &str, scope: &str) -> Result<(), WriteError> {
    auth.require(Component::Brc, scope, besluittype, LEVEL)
}

/// A closed zaak's besluiten change only with zaken.geforceerd-bijwerken on the zaak:
/// Open Zaak's ClosedZaakMixin, a permission (403) rather than a rule of the besluit.
fn authorise_on_zaak(auth: &Authorisation, zaak: &ZaakFacts) -> Result<(), WriteError> {
    let forced = auth
        .grants(Component::Zrc, "zaken.geforceerd-bijwerken")
        .allows(&zaak.zaaktype, zaak.vertrouwelijkheid);
    if zaak.closed && !forced {
        return Err(WriteError::PermissionDenied(
            "Je mag geen gegevens aanpassen van een gesloten zaak.".into(),
        ));
    }
    Ok(())
}

/// A refusal of the Besluit aggregate in the standard's terms, as the reference reports it
/// (several field-level problems at once): the one place its errors get their field and
/// code.
pub fn refusal(e: BesluitError) -> WriteError {
    let several = match e {
        BesluitError::Several(all) => all,
        one => vec![one],
    };
    let mut params = Vec::new();
    for e in several {
        let (name, code) = match &e {
            BesluitError::NotFound | BesluitError::InformatieobjectNotFound => {
                return WriteError::NotFound
            }
            BesluitError::AlreadyExists | BesluitError::Several(_) => {
                return WriteError::internal(e)
            }
            BesluitError::BesluittypeNotPublished => ("besluittype", "not-published"),
            BesluitError::ZaaktypeMismatch => ("nonFieldErrors", "zaaktype-mismatch"),
            BesluitError::DatumInFuture => ("datum", "future_not_allowed"),
            BesluitError::Immutable { field } => (*field, "wijzigen-niet-toegelaten"),
            BesluitError::InformatieobjectNotUnique => ("nonFieldErrors", "unique"),
            BesluitError::InformatieobjecttypeMismatch => (
                "nonFieldErrors",
                "missing-besluittype-informatieobjecttype-relation",
            ),
        };
        params.push(InvalidParam::new(name, code, e.to_string()));
    }
    WriteError::Invalid(params)
}

/// A failed besluit command in the standard's terms.
fn failure<R: Into<WriteError>>(e: CommandError<BesluitError, R>) -> WriteError {
    match e {
        CommandError::Domain(e) => refusal(e),
        other => other.into(),
    }
}

impl Besluiten<'_> {
    /// The besluit as its stream has it now.
    pub async fn current(&self, uuid: Uuid) -> Result<Option<Besluit>, WriteError> {
        self.commands.current::<BesluitAggregate>(uuid).await
    }
}

//! The Zaken API's write side: one use case per function of [`Zaken`], each taking typed
//! input, the caller's context and authorisation, resolving outside facts through
//! [`ZaakPorts`] and deciding on the Zaak aggregate. Every zaak write of every entry point
//! (the REST endpoints, Open Zaak's one-call endpoints, GraphQL) comes through here.

mod actions;
mod parts;
mod ports;
mod register;
mod status;
mod zaak;

pub use actions::{Action, RolEntry, ZaakAction};
pub use parts::{type_field, NewPart, PartChange, PartZaak, PreparedLink};
pub use ports::{ZaakPorts, ZaakSummary};
pub use register::{Done, Registration};
pub use status::NewStatus;
pub use zaak::{Named, NewZaak, ZaakChange};

use domain::zaak::{Zaak, ZaakError};
use event_schemas::applicatie::Component;

use crate::authorisation::Authorisation;
use crate::{CommandError, CommandHandler, Context, Outcome, WriteError};

/// Changing a zaak: either scope, `geforceerd` also when it is closed.
pub const BIJWERKEN: &str = "zaken.bijwerken|zaken.geforceerd-bijwerken";
/// Setting a status: either scope; reopening also with zaken.heropenen alone.
pub const STATUS_SCOPE: &str =
    "zaken.aanmaken|zaken.statussen.toevoegen|zaken.heropenen|zaken.geforceerd-bijwerken";
const STATUS_ZETTEN: &str = "zaken.aanmaken|zaken.statussen.toevoegen|zaken.geforceerd-bijwerken";

/// The zaken use cases, over a command handler and the ports' adapters.
pub struct Zaken<'a> {
    pub commands: &'a CommandHandler,
    pub ports: Box<dyn ZaakPorts + 'a>,
}

/// The outcome of a zaak write: the zaak after it (`None` once deleted) and where its
/// events are, for read-your-writes.
pub type ZaakOutcome = Outcome<Option<Zaak>>;

/// What a zaak write by `auth` is allowed: `scope` on the zaak's zaaktype at its
/// vertrouwelijkheid (else 403), and whether it may also force changes to a closed zaak.
fn authorise(auth: &Authorisation, zaak: &Zaak, scope: &str) -> Result<bool, WriteError> {
    let (zaaktype, vertrouwelijkheid) = (
        zaak.attributes.zaaktype.as_str(),
        zaak.attributes.vertrouwelijkheidaanduiding,
    );
    auth.require(Component::Zrc, scope, zaaktype, vertrouwelijkheid)?;
    Ok(auth
        .grants(Component::Zrc, "zaken.geforceerd-bijwerken")
        .allows(zaaktype, vertrouwelijkheid))
}

/// A refusal of the Zaak aggregate in the standard's terms: the one place its errors get
/// their field and code.
pub fn refusal(e: ZaakError) -> WriteError {
    match e {
        ZaakError::NotFound | ZaakError::PartNotFound => WriteError::NotFound,
        e @ (ZaakError::Closed | ZaakError::ReopenNotAllowed) => {
            WriteError::PermissionDenied(e.to_string())
        }
        e @ ZaakError::IdentityChanged => {
            WriteError::invalid("identificatie", "wijzigen-niet-toegelaten", e.to_string())
        }
        e @ ZaakError::AlreadyExists => WriteError::internal(e),
        e @ ZaakError::ResultaatMissing => {
            WriteError::invalid("nonFieldErrors", "resultaat-does-not-exist", e.to_string())
        }
        ZaakError::NotUnique {
            kind,
            field: "zaak",
        } => WriteError::invalid("zaak", "unique", format!("Deze zaak heeft al een {kind}.")),
        ZaakError::NotUnique { field, .. } => WriteError::invalid(
            "nonFieldErrors",
            "unique",
            format!("De velden zaak, {field} moeten een unieke set zijn."),
        ),
        e @ ZaakError::MaxOccurrences { .. } => {
            WriteError::invalid("roltype", "max-occurences", e.to_string())
        }
        ZaakError::Zaakobject(rule) => {
            WriteError::invalid("nonFieldErrors", rule.code(), rule.to_string())
        }
        ZaakError::Rol(rule) => WriteError::invalid(rule.field(), rule.code(), rule.to_string()),
        ZaakError::Rule(rule) => WriteError::invalid(rule.field(), rule.code(), rule.to_string()),
        ZaakError::Archief(e) => {
            WriteError::invalid("nonFieldErrors", "archiefactiedatum-error", e.to_string())
        }
    }
}

/// A failed zaak command in the standard's terms.
fn failure(e: CommandError<ZaakError, WriteError>) -> WriteError {
    match e {
        CommandError::Domain(e) => refusal(e),
        other => other.into(),
    }
}

impl Zaken<'_> {
    /// Runs the command `build` makes from the zaak as it is, retried on concurrent writes.
    async fn run(
        &self,
        zaak: uuid::Uuid,
        ctx: &Context,
        build: impl Fn(&Option<Zaak>) -> Result<domain::zaak::ZaakCommand, WriteError>,
    ) -> Result<ZaakOutcome, WriteError> {
        self.commands
            .execute_with::<domain::zaak::ZaakAggregate, WriteError>(zaak, ctx, build)
            .await
            .map_err(failure)
    }
}

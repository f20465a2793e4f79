//! The Klantinteracties API's write side (Open Klant 2.x's 0.9.0, with the authorisation
//! Open Klant lacks): one use case per function of [`Partijen`] (a partij created, changed,
//! deleted; a partij-identificator set or removed), each taking typed input, the caller's
//! context and authorisation, resolving outside facts through [`PartijPorts`] and deciding
//! on the Partij aggregate. The register-wide uniqueness of an identificator is a claim
//! stream per [`domain::klantinteracties::partij::claim_key`].

mod klantcontacten;
mod objecten;
mod partijen;
mod ports;

pub use klantcontacten::{
    KlantcontactChange, KlantcontactOutcome, KlantcontactPart, KlantcontactPartChange,
    KlantcontactPartKind, Klantcontacten,
};
pub use objecten::{
    ObjectChange, ObjectOutcome, ObjectState, Objecten, Reference, Referenced, Referencing,
};
pub use partijen::{
    PartAttributes, PartChange, PartKind, PartijChange, PartijOutcome, PartijRequest, Partijen,
};
pub use ports::{KlantcontactPorts, PartijPorts};

use domain::klantinteracties::InvalidParam as Refusal;
use event_schemas::applicatie::Component;

use crate::authorisation::Authorisation;
use crate::{CommandError, InvalidParam, WriteError};

/// The component of the Klantinteracties API's autorisaties.
pub const COMPONENT: Component = Component::Kic;
pub const LEZEN: &str = "klantinteracties.lezen";
pub const AANMAKEN: &str = "klantinteracties.aanmaken";
pub const BIJWERKEN: &str = "klantinteracties.bijwerken";
pub const VERWIJDEREN: &str = "klantinteracties.verwijderen";

/// 403 unless the caller holds `scope` on the Klantinteracties API.
fn authorise(auth: &Authorisation, scope: &str) -> Result<(), WriteError> {
    auth.require_scope(COMPONENT, scope)
}

/// A refusal of a Klantinteracties aggregate with Open Klant's field and code: the one
/// place they become invalidParams (`not_found` is a 404).
pub fn refusal<E: Refusal>(e: E) -> WriteError {
    if e.code() == "not_found" {
        return WriteError::NotFound;
    }
    WriteError::Invalid(vec![InvalidParam::new(e.field(), e.code(), e.to_string())])
}

/// A failed command in the API's terms.
fn failure<E: Refusal + std::error::Error + 'static, R: Into<WriteError>>(
    e: CommandError<E, R>,
) -> WriteError {
    match e {
        CommandError::Domain(e) => refusal(e),
        other => other.into(),
    }
}

/// The claim key of `value` of `field` of a kind of object (`kind`, its stream category),
/// unique in the register (Open Klant's unique fields: a klantcontact's or internetaak's
/// nummer and referentienummer).
pub(crate) fn unique_key(kind: &str, field: &str, value: &str) -> String {
    format!("{kind}-{field}/{value}")
}

/// Open Klant's refusal of a value another object holds: `unique` under its field (the
/// field named by the key, see [`unique_key`]).
pub(crate) fn unique_taken(key: &str) -> WriteError {
    let field = key
        .split('/')
        .next()
        .and_then(|k| k.rsplit('-').next())
        .unwrap_or("nonFieldErrors");
    WriteError::invalid(
        field,
        "unique",
        format!("Er bestaat al een object met eenzelfde {field}."),
    )
}

/// Open Klant's refusal of a reference to an object that does not exist: `does_not_exist`
/// under the field naming it.
pub fn does_not_exist(field: &str, uuid: uuid::Uuid) -> WriteError {
    WriteError::invalid(
        field,
        "does_not_exist",
        format!("Ongeldige uuid \"{uuid}\" - object bestaat niet."),
    )
}

//! The Catalogi API's write side: creating a catalogus, and creating, changing, publishing
//! and deleting the objects in it (zaaktypen, informatieobjecttypen, besluittypen and a
//! zaaktype's statustypen, roltypen, resultaattypen, eigenschappen, zaakobjecttypen and
//! zaaktype-informatieobjecttypen). Each use case takes typed input, the caller's context and
//! authorisation, resolves the catalogus around the object through [`CatalogiPorts`] and
//! lets the Catalogus or CatalogusObject aggregate decide.

mod catalogus;
mod objects;
mod ports;

pub use objects::{NewObject, ObjectChange};
pub use ports::{CatalogiPorts, Strict};

use domain::catalogus::{Catalogus, CatalogusError};
use domain::catalogus_object::{CatalogusObject, ObjectError};

use crate::{CommandError, CommandHandler, InvalidParam, Outcome, WriteError};

/// Creating a catalogus or a type (zaaktype, informatieobjecttype, besluittype), publishing.
pub const SCHRIJVEN: &str = "catalogi.schrijven";
/// Changing a published object, or an object of a published zaaktype.
pub const FORCED_WRITE: &str = "catalogi.geforceerd-schrijven";
/// Deleting a published object, or an object of a published zaaktype.
pub const FORCED_DELETE: &str = "catalogi.geforceerd-verwijderen";
/// Changing an object, creating a zaaktype's child: either scope.
pub const BIJWERKEN: &str = "catalogi.schrijven|catalogi.geforceerd-schrijven";
/// Deleting an object: either scope.
pub const VERWIJDEREN: &str = "catalogi.schrijven|catalogi.geforceerd-verwijderen";

/// The catalogi use cases, over a command handler and the ports' adapters.
pub struct Catalogi<'a> {
    pub commands: &'a CommandHandler,
    pub ports: Box<dyn CatalogiPorts + 'a>,
}

/// The outcome of an object write: the object after it (`None` once deleted) and where its
/// events are, for read-your-writes.
pub type ObjectOutcome = Outcome<Option<CatalogusObject>>;

/// The outcome of creating a catalogus.
pub type CatalogusOutcome = Outcome<Option<Catalogus>>;

/// A refusal of the CatalogusObject aggregate in the standard's terms: the one place its
/// errors get their field and code (`nonFieldErrors` unless a field is at fault).
pub fn refusal(e: ObjectError) -> WriteError {
    match e {
        ObjectError::NotFound => WriteError::NotFound,
        e @ (ObjectError::AlreadyExists | ObjectError::NotPublishable) => WriteError::internal(e),
        e => WriteError::Invalid(params(&e)),
    }
}

/// The invalidParams of a rule's refusal.
fn params(e: &ObjectError) -> Vec<InvalidParam> {
    let field = |name: &str, code: &str| vec![InvalidParam::new(name, code, e.to_string())];
    let non_field = |code: &str| field("nonFieldErrors", code);
    match e {
        ObjectError::NonConceptObject => non_field("non-concept-object"),
        ObjectError::NonConceptZaaktype => non_field("non-concept-zaaktype"),
        ObjectError::NonConceptRelation => non_field("non-concept-relation"),
        // Open Zaak's DeelzaaktypeCatalogusValidator names its field; the others do not.
        ObjectError::RelationsIncorrectCatalogus { field: f } if f == "deelzaaktypen" => {
            field(f, "relations-incorrect-catalogus")
        }
        ObjectError::RelationsIncorrectCatalogus { .. } => {
            non_field("relations-incorrect-catalogus")
        }
        ObjectError::RelationsIncorrectZaaktype { .. } => non_field("relations-incorrect-zaaktype"),
        ObjectError::VerlengingMismatch => non_field("verlenging-mismatch"),
        ObjectError::BronMismatch => non_field("invalid-bronzaaktype-for-broncatalogus"),
        ObjectError::NotUnique { .. } => non_field("unique"),
        ObjectError::DateMismatch => non_field("date-mismatch"),
        ObjectError::CatalogusChanged => field("catalogus", "wijzigen-niet-toegelaten"),
        ObjectError::Overlap { field: f, .. } => field(f, "overlap"),
        ObjectError::PublishRefused(reasons) => reasons
            .iter()
            .map(|(field, reason)| InvalidParam::new(*field, "concept-relation", *reason))
            .collect(),
        ObjectError::Afleidingswijze(errors) => errors
            .iter()
            .map(|(field, code)| InvalidParam::new(field.clone(), code, e.to_string()))
            .collect(),
        ObjectError::ProcestypeMismatch => non_field("procestype-mismatch"),
        ObjectError::ProcestermijnMismatch { .. } => {
            non_field("invalid-afleidingswijze-for-procestermijn")
        }
        ObjectError::Several(errors) => errors.iter().flat_map(params).collect(),
        ObjectError::AlreadyExists | ObjectError::NotFound | ObjectError::NotPublishable => {
            Vec::new()
        }
    }
}

/// A refusal of the Catalogus aggregate in the standard's terms.
pub fn catalogus_refusal(e: CatalogusError) -> WriteError {
    match e {
        CatalogusError::InvalidRsin(e) => WriteError::invalid("rsin", e.code(), e.to_string()),
        e @ CatalogusError::InvalidDomein => {
            WriteError::invalid("domein", "invalid", e.to_string())
        }
        e @ CatalogusError::AlreadyExists => WriteError::internal(e),
    }
}

/// A failed object command in the standard's terms.
fn failure<R: Into<WriteError>>(e: CommandError<ObjectError, R>) -> WriteError {
    match e {
        CommandError::Domain(e) => refusal(e),
        other => other.into(),
    }
}

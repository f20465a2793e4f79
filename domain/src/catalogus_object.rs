//! The catalogus-object aggregate (stream `catalogusobject-{uuid}`): one zaaktype,
//! informatieobjecttype, besluittype, or one of a zaaktype's statustypen, roltypen,
//! resultaattypen, eigenschappen, zaakobjecttypen and zaaktype-informatieobjecttypen.
//!
//! The object holds its validated attributes; what the rules need of the rest of the
//! catalogus (its zaaktype's concept flag, the objects it refers to, its siblings) the
//! command handler reads from the read model and passes in as [`Facts`].

use event_schemas::catalogus::{
    CatalogusObjectEvent as Event, ObjectAttributes, ObjectCreatedV1, ObjectDeletedV1, ObjectKind,
    ObjectPublishedV1, ObjectUpdatedV1,
};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::Aggregate;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CatalogusObject {
    pub kind: ObjectKind,
    pub uuid: Uuid,
    pub attributes: ObjectAttributes,
    /// Own concept flag: true until published (always true for kinds that follow their
    /// zaaktype, whose flag is the zaaktype's).
    pub concept: bool,
}

impl CatalogusObject {
    pub fn text(&self, name: &str) -> &str {
        rules::text(&self.attributes, name)
    }
}

pub type ObjectState = Option<CatalogusObject>;

/// What the catalogus looks like around the object, resolved by the command handler.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Facts {
    /// The catalogus the object belongs to.
    pub catalogus: Uuid,
    /// For a zaaktype's child: whether its zaaktype (before and after the change) is a concept.
    pub zaaktype_concept: Option<bool>,
    /// Every object of ours the attributes refer to.
    pub relations: Vec<Relation>,
    /// The other objects of the same kind in the same zaaktype (children) or catalogus.
    pub siblings: Vec<ObjectAttributes>,
    /// Those of `siblings` that are published: the versions a published type's geldigheid
    /// may not overlap (Open Zaak's GeldigheidValidator compares only published ones).
    pub published_siblings: Vec<ObjectAttributes>,
    /// For publishing a zaaktype: what it has.
    pub children: Children,
    /// The caller holds catalogi.geforceerd-schrijven (or -verwijderen, for a delete).
    pub may_force: bool,
    /// The publishable types related to a publishable type the other way round (the
    /// besluittypen and zaaktypen that name an informatieobjecttype, ...): with
    /// `relations`, what makes a concept type's change a `non-concept-relation`.
    pub related_by: Vec<Relation>,
    /// For a resultaattype: its selectielijstklasse as the Selectielijst API describes it
    /// (when that API is configured).
    pub selectielijstklasse: Option<Selectielijstklasse>,
    /// For a resultaattype: the `omschrijving` of its resultaattypeomschrijving as the
    /// Selectielijst API describes it (when that API is configured), its omschrijvingGeneriek.
    pub resultaattypeomschrijving: Option<serde_json::Value>,
    /// Installation policy: publishing a zaaktype also needs a roltype, a resultaattype and
    /// two statustypen (Open Zaak's rule; not in Catalogi 1.3, so off unless configured).
    pub publish_requires_children: bool,
}

/// A resultaattype's selectielijstklasse (a Selectielijst `resultaat`), as far as the rules
/// need it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Selectielijstklasse {
    /// The procestype it belongs to (its `procesType`).
    pub procestype: String,
    /// The selectielijstProcestype of the resultaattype's zaaktype, when that is one of ours:
    /// a selectielijstklasse must be of it (unless either is unknown).
    pub zaaktype_procestype: Option<String>,
    /// `nihil`, `ingeschatte_bestaansduur_procesobject` or empty.
    pub procestermijn: String,
    /// The archiefnominatie it implies (`blijvend_bewaren`, `vernietigen`).
    pub waardering: String,
    /// The archiefactietermijn it implies (ISO 8601 duration), if any.
    pub bewaartermijn: Option<String>,
}

/// An object of ours that an attribute refers to.
#[derive(Debug, Clone, PartialEq)]
pub struct Relation {
    pub field: String,
    pub catalogus: Uuid,
    pub concept: bool,
    /// The zaaktype (URL) of a referenced statustype, eigenschap, resultaattype, ...
    pub zaaktype: Option<String>,
}

/// A zaaktype's children, counted for publishing.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Children {
    pub statustypen: usize,
    pub roltypen: usize,
    pub resultaattypen: usize,
}

#[derive(Debug, Clone, PartialEq)]
pub enum ObjectCommand {
    Create {
        kind: ObjectKind,
        uuid: Uuid,
        attributes: ObjectAttributes,
        facts: Facts,
    },
    Update {
        attributes: ObjectAttributes,
        partial: bool,
        facts: Facts,
    },
    Publish {
        facts: Facts,
    },
    Delete {
        facts: Facts,
    },
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ObjectError {
    #[error("het object bestaat al")]
    AlreadyExists,
    #[error("het object bestaat niet")]
    NotFound,
    /// `non-concept-object`
    #[error("Het is niet toegestaan om een non-concept object bij te werken of te verwijderen")]
    NonConceptObject,
    /// `non-concept-zaaktype`
    #[error("Objecten gerelateerd aan non-concept zaaktypen kunnen niet bijgewerkt of verwijderd worden")]
    NonConceptZaaktype,
    /// `wijzigen-niet-toegelaten`: an object stays in its catalogus.
    #[error("de catalogus van een object wijzigt niet")]
    CatalogusChanged,
    #[error("alleen zaaktypen, informatieobjecttypen en besluittypen worden gepubliceerd")]
    NotPublishable,
    /// `non-concept-relation`: a zaaktype-informatieobjecttype of a published zaaktype and
    /// a published informatieobjecttype
    #[error("Objects related to non-concept objects can't be changed or destroyed")]
    NonConceptRelation,
    /// `relations-incorrect-catalogus`
    #[error("The {field} has catalogus different from created object")]
    RelationsIncorrectCatalogus { field: String },
    /// `relations-incorrect-zaaktype`: a zaaktype's child refers to another zaaktype's child
    #[error("The {field} has zaaktype different from created object")]
    RelationsIncorrectZaaktype { field: String },
    /// `verlenging-mismatch`
    #[error("Verlengingstermijn must be set if verlengingMogelijk is true")]
    VerlengingMismatch,
    /// `invalid-bronzaaktype-for-broncatalogus`
    #[error("Both broncatalogus and bronzaaktype should be provided")]
    BronMismatch,
    /// `unique`, among the siblings
    #[error("De velden {fields} moeten een unieke set zijn.")]
    NotUnique { fields: &'static str },
    /// `overlap`, on `field`: beginGeldigheid, or eindeGeldigheid when only that is patched
    #[error("Dit {kind} komt al voor binnen de catalogus en opgegeven geldigheidsperiode.")]
    Overlap {
        kind: &'static str,
        field: &'static str,
    },
    /// `date-mismatch`
    #[error("beginGeldigheid moet voor eindeGeldigheid liggen.")]
    DateMismatch,
    /// `concept-relation`: (field, reason) of each reason publishing is refused
    #[error("het object kan niet gepubliceerd worden")]
    PublishRefused(Vec<(&'static str, &'static str)>),
    /// brondatumArchiefprocedure fields that must be given (`required`) or empty
    /// (`must-be-empty`) for its afleidingswijze: (field, code)
    #[error("brondatumArchiefprocedure past niet bij de afleidingswijze")]
    Afleidingswijze(Vec<(String, &'static str)>),
    /// `procestype-mismatch`: the selectielijstklasse is of another procestype than the
    /// zaaktype's selectielijstProcestype
    #[error("selectielijstklasse should belong to the same procestype as zaaktype")]
    ProcestypeMismatch,
    /// `invalid-afleidingswijze-for-procestermijn`
    #[error(
        "afleidingswijze past niet bij de procestermijn {procestermijn} van de selectielijstklasse"
    )]
    ProcestermijnMismatch { procestermijn: String },
    /// Several rules refused at once, field-level ones first.
    #[error("meerdere regels geschonden")]
    Several(Vec<ObjectError>),
}

pub struct CatalogusObjectAggregate;

impl Aggregate for CatalogusObjectAggregate {
    type State = ObjectState;
    type Command = ObjectCommand;
    type Event = Event;
    type Error = ObjectError;

    fn decide(state: &ObjectState, command: ObjectCommand) -> Result<Vec<Event>, ObjectError> {
        match (state, command) {
            (Some(_), ObjectCommand::Create { .. }) => Err(ObjectError::AlreadyExists),
            (
                None,
                ObjectCommand::Create {
                    kind,
                    uuid,
                    attributes,
                    facts,
                },
            ) => create(kind, uuid, attributes, &facts),
            (None, _) => Err(ObjectError::NotFound),
            (
                Some(current),
                ObjectCommand::Update {
                    attributes,
                    partial,
                    facts,
                },
            ) => update(current, attributes, partial, &facts),
            (Some(current), ObjectCommand::Publish { facts }) => publish(current, &facts),
            (Some(current), ObjectCommand::Delete { facts }) => {
                rules::check_writable(current.kind, current.concept, &facts, false)?;
                rules::check_related_published(current.kind, &facts, false)?;
                Ok(vec![Event::ObjectDeleted(ObjectDeletedV1 {
                    kind: current.kind,
                    catalogus: current.text("catalogus").to_owned(),
                })])
            }
        }
    }

    fn evolve(state: ObjectState, event: &Event) -> ObjectState {
        match (state, event) {
            (_, Event::ObjectCreated(e)) => Some(CatalogusObject {
                kind: e.kind,
                uuid: e.uuid,
                attributes: e.attributes.clone(),
                concept: true,
            }),
            (Some(mut o), Event::ObjectUpdated(e)) => {
                o.attributes = e.attributes.clone();
                Some(o)
            }
            (Some(mut o), Event::ObjectPublished(_)) => {
                o.concept = false;
                Some(o)
            }
            (_, Event::ObjectDeleted(_)) | (None, _) => None,
        }
    }
}

fn create(
    kind: ObjectKind,
    uuid: Uuid,
    attributes: ObjectAttributes,
    facts: &Facts,
) -> Result<Vec<Event>, ObjectError> {
    rules::check_writable(kind, true, facts, false)?;
    let first: Vec<ObjectError> = rules::check_brondatum_given(kind, &attributes, None)
        .err()
        .into_iter()
        .collect();
    let attributes = rules::derive(kind, attributes, facts);
    rules::check_attributes(kind, &attributes, facts, first)?;
    Ok(vec![Event::ObjectCreated(ObjectCreatedV1 {
        kind,
        uuid,
        attributes,
    })])
}

fn update(
    current: &CatalogusObject,
    attributes: ObjectAttributes,
    partial: bool,
    facts: &Facts,
) -> Result<Vec<Event>, ObjectError> {
    let mut first = Vec::new();
    if !partial {
        let given = rules::check_brondatum_given(current.kind, &attributes, Some(current));
        first.extend(given.err());
    }
    let attributes = rules::derive(current.kind, attributes, facts);
    let changed: Vec<String> = attributes
        .iter()
        .filter(|(k, v)| current.attributes.get(*k) != Some(v))
        .map(|(k, _)| k.clone())
        .collect();
    if attributes.get("catalogus") != current.attributes.get("catalogus") {
        return Err(ObjectError::CatalogusChanged);
    }
    let only_einde = changed == ["eindeGeldigheid"];
    let forced = rules::check_writable(current.kind, current.concept, facts, only_einde)?;
    rules::check_related_published(current.kind, facts, only_einde)?;
    if !current.concept {
        let field = if partial && only_einde {
            "eindeGeldigheid"
        } else {
            "beginGeldigheid"
        };
        first.extend(rules::check_overlap(current.kind, &attributes, facts, field).err());
    }
    rules::check_attributes(current.kind, &attributes, facts, first)?;
    if changed.is_empty() {
        return Ok(Vec::new());
    }
    Ok(vec![Event::ObjectUpdated(ObjectUpdatedV1 {
        kind: current.kind,
        attributes,
        partial,
        changed,
        forced,
    })])
}

fn publish(current: &CatalogusObject, facts: &Facts) -> Result<Vec<Event>, ObjectError> {
    if !current.kind.is_publishable() {
        return Err(ObjectError::NotPublishable);
    }
    if !current.concept {
        return Ok(Vec::new());
    }
    let refused = rules::check_publishable(current.kind, facts).err();
    let overlap = rules::check_overlap(current.kind, &current.attributes, facts, "beginGeldigheid");
    match (refused, overlap.err()) {
        (None, None) => {}
        (Some(e), None) | (None, Some(e)) => return Err(e),
        (Some(a), Some(b)) => return Err(ObjectError::Several(vec![a, b])),
    }
    Ok(vec![Event::ObjectPublished(ObjectPublishedV1 {
        kind: current.kind,
        catalogus: current.text("catalogus").to_owned(),
    })])
}

mod rules;
#[cfg(test)]
mod tests;

//! What a zaak owns, besides its statussen: resultaten, rollen, zaakobjecten,
//! zaakeigenschappen, zaakinformatieobjecten, klantcontacten, zaakcontactmomenten,
//! zaakverzoeken and zaakbesluiten. Each is declared once here, as data (its fields, its
//! filters, which operations it has); one set of handlers serves them all. Every part is an
//! event in its zaak's stream; reads come from the `zaak_parts` read model.

mod authenticatie;
mod dto;
mod filters;
mod routes;
mod writes;

pub use routes::{detail_row, list_rows, require_on_zaak, router};

/// The spec of a part kind.
pub fn spec(kind: PartKind) -> &'static Spec {
    SPECS
        .iter()
        .find(|s| s.kind == kind)
        .unwrap_or_else(|| unreachable!("every part kind has a spec"))
}

/// A new part's body, parsed as POST on its collection parses it.
pub fn parse(
    kind: PartKind,
    body: &serde_json::Value,
) -> Result<event_schemas::zaak::PartAttributes, crate::ApiError> {
    dto::parse(spec(kind), body)
}

/// A part's attributes after a full update (PUT) with `body` already parsed: immutable
/// fields unchanged, what the system derived at creation kept.
pub fn replaced(
    kind: PartKind,
    current: &event_schemas::zaak::PartAttributes,
    mut parsed: event_schemas::zaak::PartAttributes,
) -> Result<event_schemas::zaak::PartAttributes, crate::ApiError> {
    let spec = spec(kind);
    dto::check_immutable(spec, current, &parsed)?;
    for (k, v) in current {
        if !spec.fields.iter().any(|f| f.name == k) {
            parsed.insert(k.clone(), v.clone());
        }
    }
    Ok(parsed)
}

use event_schemas::zaak::PartKind;

use crate::fields::Presence::{self, Nullable, Optional, Required};

/// The JSON type of a writable field.
#[derive(Clone, Copy, Debug)]
pub enum Ty {
    /// An absolute URL of at most so many characters.
    Url(usize),
    /// A string of at most so many characters (`usize::MAX`: unbounded).
    Text(usize),
    /// Lower-case letters and underscores (`[a-z_]+`), of at most so many characters; left
    /// out of the resource when empty, as the spec's pattern has no empty value.
    Slug(usize),
    Choice(&'static [&'static str]),
    Date,
    DateTime,
    /// A rol's authenticatieContext, of the shape its betrokkeneType authenticates with
    /// (`authenticatie.rs`); not stored for a betrokkeneType without one, as the reference
    /// ignores it there.
    AuthenticatieContext,
    /// A nested object, stored as given (e.g. `betrokkeneIdentificatie`).
    Object,
    /// ObjectTypeOverigeDefinitie: `url`, `schema` and `objectData`, each required.
    OverigeDefinitie,
}

#[derive(Clone, Copy, Debug)]
pub struct Field {
    pub name: &'static str,
    pub ty: Ty,
    pub presence: Presence,
    /// Fixed once set: a change is refused with `wijzigen-niet-toegelaten`.
    pub immutable: bool,
}

const fn field(name: &'static str, ty: Ty, presence: Presence) -> Field {
    Field {
        name,
        ty,
        presence,
        immutable: false,
    }
}

const fn fixed(name: &'static str, ty: Ty) -> Field {
    Field {
        name,
        ty,
        presence: Required,
        immutable: true,
    }
}

/// How a query parameter of a list filters its rows.
#[derive(Clone, Copy, Debug)]
pub enum Filter {
    /// The owning zaak, by URL.
    Zaak,
    /// Equality on a top-level string attribute of the resource.
    Attr(&'static str),
    /// A boolean attribute (`true`/`false`, `1`/`0`).
    Bool(&'static str),
    /// Equality on a string inside a nested object: `(object, key)`.
    Nested(&'static str, &'static str),
    /// Equality on a key of a rol's betrokkeneIdentificatie, among rollen of one
    /// betrokkeneType (a vestiging's and a niet-natuurlijk persoon's kvkNummer share a name).
    Identification(&'static str, &'static str),
    /// A rol's indicatieMachtiging: `eigen` (none), `gemachtigde` or `machtiginggever`.
    Machtiging,
    /// A rol whose authenticatieContext.levelOfAssurance is at most the value, within the
    /// value's scheme (DigiD or eHerkenning; Open Zaak's MaxLoAFilter).
    MaxLevelOfAssurance,
}

/// One resource kind of the Zaken API that lives in the zaak's stream.
pub struct Spec {
    pub kind: PartKind,
    /// Served under `/zaken/{zaak_uuid}/...` with the zaak from the path (not paginated).
    pub nested: bool,
    pub fields: &'static [Field],
    pub filters: &'static [(&'static str, Filter)],
    /// Lists are pages `{count, next, previous, results}` rather than plain arrays.
    pub paginated: bool,
    /// PUT and PATCH exist.
    pub updatable: bool,
    pub deletable: bool,
    /// The scope of creating, updating and deleting (`a|b`: either).
    pub create_scope: &'static str,
    pub delete_scope: &'static str,
}

const BIJWERKEN: &str = super::BIJWERKEN;
const BIJWERKEN_OF_AANMAKEN: &str = "zaken.aanmaken|zaken.bijwerken|zaken.geforceerd-bijwerken";
const BIJWERKEN_OF_VERWIJDEREN: &str =
    "zaken.bijwerken|zaken.geforceerd-bijwerken|zaken.verwijderen";

/// The values of the `machtiging` filters (Open Zaak's MachtigingChoices).
pub const MACHTIGING: &[&str] = &["eigen", "gemachtigde", "machtiginggever"];

/// The values of the `machtiging__loa` filters.
pub use domain::zaak::rol::LEVELS_OF_ASSURANCE;

const BETROKKENE_TYPES: &[&str] = &[
    "natuurlijk_persoon",
    "niet_natuurlijk_persoon",
    "vestiging",
    "organisatorische_eenheid",
    "medewerker",
];

pub const SPECS: &[Spec] = &[
    Spec {
        kind: PartKind::Resultaat,
        nested: false,
        fields: &[
            fixed("zaak", Ty::Url(1000)),
            field("resultaattype", Ty::Url(1000), Required),
            field("toelichting", Ty::Text(1000), Optional),
        ],
        filters: &[
            ("zaak", Filter::Zaak),
            ("resultaattype", Filter::Attr("resultaattype")),
        ],
        paginated: true,
        updatable: true,
        deletable: true,
        create_scope: BIJWERKEN,
        delete_scope: BIJWERKEN,
    },
    Spec {
        kind: PartKind::Rol,
        nested: false,
        fields: &[
            fixed("zaak", Ty::Url(1000)),
            field("betrokkene", Ty::Url(1000), Optional),
            field("betrokkeneType", Ty::Choice(BETROKKENE_TYPES), Required),
            field("afwijkendeNaamBetrokkene", Ty::Text(625), Optional),
            field("roltype", Ty::Url(1000), Required),
            field("roltoelichting", Ty::Text(1000), Required),
            field(
                "indicatieMachtiging",
                Ty::Choice(&["gemachtigde", "machtiginggever", ""]),
                Optional,
            ),
            field("contactpersoonRol", Ty::Object, Nullable),
            field("betrokkeneIdentificatie", Ty::Object, Optional),
            field("authenticatieContext", Ty::AuthenticatieContext, Nullable),
            field("beginGeldigheid", Ty::Date, Nullable),
            field("eindeGeldigheid", Ty::Date, Nullable),
        ],
        filters: &[
            ("zaak", Filter::Zaak),
            ("betrokkene", Filter::Attr("betrokkene")),
            ("betrokkeneType", Filter::Attr("betrokkeneType")),
            (
                "betrokkeneIdentificatie__natuurlijkPersoon__inpBsn",
                Filter::Nested("betrokkeneIdentificatie", "inpBsn"),
            ),
            (
                "betrokkeneIdentificatie__natuurlijkPersoon__anpIdentificatie",
                Filter::Nested("betrokkeneIdentificatie", "anpIdentificatie"),
            ),
            (
                "betrokkeneIdentificatie__natuurlijkPersoon__inpA_nummer",
                Filter::Nested("betrokkeneIdentificatie", "inpA_nummer"),
            ),
            (
                "betrokkeneIdentificatie__nietNatuurlijkPersoon__innNnpId",
                Filter::Nested("betrokkeneIdentificatie", "innNnpId"),
            ),
            (
                "betrokkeneIdentificatie__nietNatuurlijkPersoon__annIdentificatie",
                Filter::Nested("betrokkeneIdentificatie", "annIdentificatie"),
            ),
            (
                "betrokkeneIdentificatie__nietNatuurlijkPersoon__kvkNummer",
                Filter::Identification("niet_natuurlijk_persoon", "kvkNummer"),
            ),
            (
                "betrokkeneIdentificatie__nietNatuurlijkPersoon__vestigingsNummer",
                Filter::Identification("niet_natuurlijk_persoon", "vestigingsNummer"),
            ),
            (
                "betrokkeneIdentificatie__vestiging__vestigingsNummer",
                Filter::Identification("vestiging", "vestigingsNummer"),
            ),
            (
                "betrokkeneIdentificatie__vestiging__kvkNummer",
                Filter::Identification("vestiging", "kvkNummer"),
            ),
            (
                "betrokkeneIdentificatie__organisatorischeEenheid__identificatie",
                Filter::Identification("organisatorische_eenheid", "identificatie"),
            ),
            (
                "betrokkeneIdentificatie__medewerker__identificatie",
                Filter::Identification("medewerker", "identificatie"),
            ),
            ("machtiging", Filter::Machtiging),
            ("machtiging__loa", Filter::MaxLevelOfAssurance),
            ("roltype", Filter::Attr("roltype")),
            ("omschrijving", Filter::Attr("omschrijving")),
            ("omschrijvingGeneriek", Filter::Attr("omschrijvingGeneriek")),
        ],
        paginated: true,
        updatable: false,
        deletable: true,
        create_scope: BIJWERKEN,
        delete_scope: BIJWERKEN,
    },
    Spec {
        kind: PartKind::Zaakobject,
        nested: false,
        fields: &[
            fixed("zaak", Ty::Url(1000)),
            field("object", Ty::Url(1000), Optional),
            field("zaakobjecttype", Ty::Url(1000), Optional),
            field(
                "objectType",
                Ty::Choice(crate::fields::OBJECT_TYPES),
                Required,
            ),
            field("objectTypeOverige", Ty::Slug(100), Optional),
            field("objectTypeOverigeDefinitie", Ty::OverigeDefinitie, Nullable),
            field("relatieomschrijving", Ty::Text(80), Optional),
            field("objectIdentificatie", Ty::Object, Optional),
        ],
        filters: &[
            ("zaak", Filter::Zaak),
            ("object", Filter::Attr("object")),
            ("objectType", Filter::Attr("objectType")),
        ],
        paginated: true,
        updatable: true,
        deletable: true,
        create_scope: BIJWERKEN_OF_AANMAKEN,
        delete_scope: BIJWERKEN_OF_VERWIJDEREN,
    },
    Spec {
        kind: PartKind::Zaakeigenschap,
        nested: true,
        fields: &[
            fixed("eigenschap", Ty::Url(1000)),
            field("waarde", Ty::Text(usize::MAX), Required),
        ],
        filters: &[],
        paginated: false,
        updatable: true,
        deletable: true,
        create_scope: BIJWERKEN,
        delete_scope: BIJWERKEN,
    },
    Spec {
        kind: PartKind::Zaakinformatieobject,
        nested: false,
        fields: &[
            fixed("zaak", Ty::Url(1000)),
            fixed("informatieobject", Ty::Url(1000)),
            field("titel", Ty::Text(200), Optional),
            field("beschrijving", Ty::Text(usize::MAX), Optional),
            field("vernietigingsdatum", Ty::DateTime, Nullable),
            field("status", Ty::Url(1000), Nullable),
        ],
        filters: &[
            ("zaak", Filter::Zaak),
            ("informatieobject", Filter::Attr("informatieobject")),
        ],
        paginated: false,
        updatable: true,
        deletable: true,
        create_scope: BIJWERKEN_OF_AANMAKEN,
        delete_scope: BIJWERKEN_OF_VERWIJDEREN,
    },
    Spec {
        kind: PartKind::Klantcontact,
        nested: false,
        fields: &[
            fixed("zaak", Ty::Url(1000)),
            field("identificatie", Ty::Text(14), Optional),
            field("datumtijd", Ty::DateTime, Required),
            field("kanaal", Ty::Text(20), Optional),
            field("onderwerp", Ty::Text(200), Optional),
            field("toelichting", Ty::Text(1000), Optional),
        ],
        filters: &[("zaak", Filter::Zaak)],
        paginated: true,
        updatable: false,
        deletable: false,
        create_scope: BIJWERKEN,
        delete_scope: BIJWERKEN,
    },
    Spec {
        kind: PartKind::Zaakcontactmoment,
        nested: false,
        fields: &[
            fixed("zaak", Ty::Url(1000)),
            fixed("contactmoment", Ty::Url(1000)),
        ],
        filters: &[
            ("zaak", Filter::Zaak),
            ("contactmoment", Filter::Attr("contactmoment")),
        ],
        paginated: false,
        updatable: false,
        deletable: true,
        create_scope: "zaken.bijwerken",
        delete_scope: "zaken.bijwerken",
    },
    Spec {
        kind: PartKind::Zaakverzoek,
        nested: false,
        fields: &[
            fixed("zaak", Ty::Url(1000)),
            fixed("verzoek", Ty::Url(1000)),
        ],
        filters: &[("zaak", Filter::Zaak), ("verzoek", Filter::Attr("verzoek"))],
        paginated: false,
        updatable: false,
        deletable: true,
        create_scope: "zaken.bijwerken",
        delete_scope: "zaken.bijwerken",
    },
    Spec {
        kind: PartKind::Zaakbesluit,
        nested: true,
        fields: &[fixed("besluit", Ty::Url(1000))],
        filters: &[],
        paginated: false,
        updatable: false,
        deletable: true,
        create_scope: "zaken.bijwerken",
        delete_scope: "zaken.bijwerken",
    },
];

/// What a list of one kind of `zaak_parts` rows needs to know.
pub struct Listing {
    /// The `kind` column: a `PartKind` or `status`.
    pub kind: &'static str,
    /// The collection path under /zaken/api/v1 (page links).
    pub collection: String,
    pub filters: &'static [(&'static str, Filter)],
    pub paginated: bool,
}

impl Listing {
    /// The query parameters its list accepts, for the OpenAPI document: `page` where it is
    /// paginated, and its filters.
    pub fn parameters(&self) -> Vec<crate::openapi::params::QueryParam> {
        use crate::openapi::params::{param, ParamType, PAGING};
        let paging = if self.paginated { &PAGING[..] } else { &[] };
        paging
            .iter()
            .copied()
            .chain(self.filters.iter().map(|(name, filter)| {
                param(
                    name,
                    match filter {
                        Filter::Zaak => ParamType::Url,
                        Filter::Attr(_) | Filter::Nested(..) | Filter::Identification(..) => {
                            ParamType::Text
                        }
                        Filter::Machtiging => ParamType::Choice(MACHTIGING),
                        Filter::MaxLevelOfAssurance => ParamType::Choice(LEVELS_OF_ASSURANCE),
                        Filter::Bool(_) => ParamType::Bool,
                    },
                )
            }))
            .collect()
    }
}

/// The OpenAPI schema of the part kind under the collection `segment`, from its field
/// table (the response adds `url` and, for nested kinds, the zaak).
pub fn openapi_schema(segment: &str) -> Option<serde_json::Value> {
    use serde_json::json;
    let spec = SPECS
        .iter()
        .find(|s| projections::render::part_collection(s.kind) == segment)?;
    let properties = spec
        .fields
        .iter()
        .map(|f| {
            let mut schema = match f.ty {
                Ty::Url(max) => json!({"type": "string", "format": "uri", "maxLength": max}),
                Ty::Text(usize::MAX) => json!({"type": "string"}),
                Ty::Text(max) => json!({"type": "string", "maxLength": max}),
                Ty::Slug(max) => {
                    json!({"type": "string", "pattern": "^[a-z_]+$", "maxLength": max})
                }
                Ty::Choice(values) => json!({"type": "string", "enum": values}),
                Ty::Date => json!({"type": "string", "format": "date"}),
                Ty::DateTime => json!({"type": "string", "format": "date-time"}),
                Ty::AuthenticatieContext => authenticatie::schema(),
                Ty::Object => json!({"type": "object"}),
                Ty::OverigeDefinitie => json!({
                    "type": "object",
                    "required": ["url", "schema", "objectData"],
                    "properties": {
                        "url": {"type": "string", "format": "uri"},
                        "schema": {"type": "string"},
                        "objectData": {"type": "string"},
                    },
                }),
            };
            if matches!(f.presence, Nullable) {
                schema["nullable"] = json!(true);
            }
            (f.name, schema, matches!(f.presence, Required))
        })
        .collect();
    Some(crate::openapi::schema_object(properties))
}

impl Spec {
    pub fn listing(&self) -> Listing {
        Listing {
            kind: self.kind.as_str(),
            collection: self.collection(),
            filters: self.filters,
            paginated: self.paginated,
        }
    }

    /// The collection path under /zaken/api/v1.
    pub fn collection(&self) -> String {
        let segment = projections::render::part_collection(self.kind);
        if self.nested {
            format!("/zaken/{{zaak_uuid}}/{segment}")
        } else {
            format!("/{segment}")
        }
    }

    pub fn of(kind: PartKind) -> &'static Spec {
        SPECS
            .iter()
            .find(|s| s.kind == kind)
            .expect("every part kind is declared")
    }
}

/// `(method, path, scope)` of every part operation, for the scopes table.
pub fn scopes() -> Vec<(&'static str, String, &'static str)> {
    let mut out = Vec::new();
    for spec in SPECS {
        let list = spec.collection();
        let detail = format!("{list}/{{uuid}}");
        out.push(("GET", list.clone(), "zaken.lezen"));
        out.push(("POST", list, spec.create_scope));
        out.push(("GET", detail.clone(), "zaken.lezen"));
        if spec.updatable {
            out.push(("PUT", detail.clone(), spec.create_scope));
            out.push(("PATCH", detail.clone(), spec.create_scope));
        }
        if spec.deletable {
            out.push(("DELETE", detail, spec.delete_scope));
        }
    }
    out
}

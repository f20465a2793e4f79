//! Query parameters as data: each API module declares what each of its operations accepts
//! (mostly by pointing at the tables its parsers already read), and the OpenAPI document is
//! written from those declarations. A parser that has no table of its own checks the query
//! against its declaration with [`refuse_unknown`], so the document and the behaviour
//! cannot drift apart.

use serde_json::{json, Value};

/// The type of a query parameter's value.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum ParamType {
    Text,
    /// An absolute URL (of one of our resources or elsewhere).
    Url,
    Uuid,
    Date,
    DateTime,
    Bool,
    /// A page number (1, 2, ...): the list answers in pages.
    Page,
    /// How many per page (default 100, at most 500).
    PageSize,
    Integer,
    Choice(&'static [&'static str]),
    /// Comma-separated values.
    List,
    /// `expand`: comma-separated dotted paths of resources to embed.
    Expand,
}

#[derive(Clone, Copy, Debug)]
pub struct QueryParam {
    pub name: &'static str,
    pub ty: ParamType,
    pub required: bool,
}

pub const fn param(name: &'static str, ty: ParamType) -> QueryParam {
    QueryParam {
        name,
        ty,
        required: false,
    }
}

pub const fn required(name: &'static str, ty: ParamType) -> QueryParam {
    QueryParam {
        name,
        ty,
        required: true,
    }
}

/// `page` and `pageSize` of a paginated list (`crate::pagination::Paging`).
pub const PAGING: [QueryParam; 2] = [
    param("page", ParamType::Page),
    param("pageSize", ParamType::PageSize),
];
pub const EXPAND: QueryParam = param("expand", ParamType::Expand);

impl QueryParam {
    /// The OpenAPI parameter object.
    pub fn to_openapi(self) -> Value {
        let schema = match self.ty {
            ParamType::Text => json!({"type": "string"}),
            ParamType::Url => json!({"type": "string", "format": "uri"}),
            ParamType::Uuid => json!({"type": "string", "format": "uuid"}),
            ParamType::Date => json!({"type": "string", "format": "date"}),
            ParamType::DateTime => json!({"type": "string", "format": "date-time"}),
            ParamType::Bool => json!({"type": "boolean"}),
            ParamType::Page | ParamType::PageSize | ParamType::Integer => {
                json!({"type": "integer"})
            }
            ParamType::Choice(values) => json!({"type": "string", "enum": values}),
            ParamType::List | ParamType::Expand => {
                json!({"type": "array", "items": {"type": "string"}})
            }
        };
        let mut p = json!({
            "name": self.name,
            "in": "query",
            "required": self.required,
            "schema": schema,
        });
        match self.ty {
            ParamType::List | ParamType::Expand => {
                p["style"] = json!("form");
                p["explode"] = json!(false);
            }
            ParamType::Page => {
                p["description"] = json!("Een pagina binnen de gepagineerde set resultaten.")
            }
            ParamType::PageSize => {
                p["description"] = json!(
                    "Het aantal resultaten terug te geven per pagina. (default: 100, maximum: 500)."
                )
            }
            _ => {}
        }
        if self.ty == ParamType::Expand {
            p["description"] = json!(
                "Haal details van inline resources direct op (komma-gescheiden, geneste paden met punten)."
            );
        }
        p
    }
}

/// The first query parameter of `pairs` that `declared` does not name, if any.
pub fn unknown<'a>(pairs: &'a [(String, String)], declared: &[QueryParam]) -> Option<&'a str> {
    pairs
        .iter()
        .map(|(k, _)| k.as_str())
        .find(|k| !declared.iter().any(|p| p.name == *k))
}

/// `Err(refusal(name))` for the first parameter `declared` does not name.
pub fn refuse_unknown<E>(
    pairs: &[(String, String)],
    declared: &[QueryParam],
    refusal: impl FnOnce(&str) -> E,
) -> Result<(), E> {
    match unknown(pairs, declared) {
        Some(name) => Err(refusal(name)),
        None => Ok(()),
    }
}

//! The Referentielijsten/Selectielijst API (VNG "vrl"): procestypen, resultaten (the
//! selectielijstklassen) and resultaattypeomschrijvingen a catalogue and its zaken refer to.
//! When its root is configured, such a URL must lie under that root (`invalid-resource`),
//! resolve (`bad-url`) and be of the right kind (`invalid-resource`); when it is not, the
//! URL is only checked to be one.

use serde_json::Value;

use crate::error::ApiError;
use crate::AppState;

#[derive(Clone, Copy, Debug)]
pub enum Soort {
    Procestype,
    Resultaat,
    Resultaattypeomschrijving,
    Communicatiekanaal,
}

impl Soort {
    fn path(self) -> &'static str {
        match self {
            Self::Procestype => "procestypen/",
            Self::Resultaat => "resultaten/",
            Self::Resultaattypeomschrijving => "resultaattypeomschrijvingen/",
            Self::Communicatiekanaal => "communicatiekanalen/",
        }
    }

    /// Fields every resource of this kind has (the spec's required ones that tell it apart).
    fn shape(self) -> &'static [&'static str] {
        match self {
            Self::Procestype => &["url", "nummer", "jaar", "naam"],
            Self::Resultaat => &["url", "procesType", "volledigNummer", "waardering"],
            Self::Resultaattypeomschrijving => &["url", "omschrijving", "definitie"],
            Self::Communicatiekanaal => &["url", "naam"],
        }
    }
}

/// The resource at `url` (field `field` of the request), when the API is configured and
/// `url` is not empty.
pub async fn resolve(
    s: &AppState,
    field: &str,
    url: &str,
    soort: Soort,
) -> Result<Option<Value>, ApiError> {
    let Some(root) = s.selectielijst.as_deref() else {
        return Ok(None);
    };
    if url.is_empty() {
        return Ok(None);
    }
    let invalid = || {
        ApiError::invalid(
            field,
            "invalid-resource",
            format!("{url} is geen resource van de soort {soort:?} in {root}."),
        )
    };
    let root = root.trim_end_matches('/');
    if !url.starts_with(&format!("{root}/{}", soort.path())) {
        return Err(invalid());
    }
    let value = s.remote.get(url).await.map_err(|e| e.for_field(field))?;
    if soort.shape().iter().all(|k| value.get(k).is_some()) {
        Ok(Some(value))
    } else {
        Err(invalid())
    }
}

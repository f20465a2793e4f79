//! What a caller may do, from its applicatie in the Autorisaties API: scopes per component,
//! for zaken/documenten/besluiten limited to types and a maximum vertrouwelijkheid. Writes
//! and detail reads test [`Grants::allows`]; lists apply the same grants in SQL (query-api's
//! `GrantsFilter`), so no read path sees more than another.

use std::collections::HashMap;

use event_schemas::applicatie::{Autorisatie, Component};
use event_schemas::zaak::Vertrouwelijkheidaanduiding;

use crate::WriteError;

#[derive(Debug, Clone, Default)]
pub struct Authorisation {
    /// `heeftAlleAutorisaties`: every scope on every component and type.
    pub all: bool,
    pub autorisaties: Vec<Autorisatie>,
    /// The applicatie's label (empty when the client has no applicatie).
    pub label: String,
}

/// Where a scope holds: everywhere, or on these types up to a vertrouwelijkheid each.
#[derive(Debug, Clone, PartialEq)]
pub enum Grants {
    All,
    Types(HashMap<String, Vertrouwelijkheidaanduiding>),
}

fn holds(autorisatie: &Autorisatie, component: Component, scope: &str) -> bool {
    autorisatie.component == component
        && scope
            .split('|')
            .any(|s| autorisatie.scopes.iter().any(|held| held == s))
}

impl Authorisation {
    /// True when some autorisatie on `component` holds `scope` (or one of `a|b`): the
    /// check before any object is looked at.
    pub fn has_scope(&self, component: Component, scope: &str) -> bool {
        self.all || self.autorisaties.iter().any(|a| holds(a, component, scope))
    }

    /// The grants of `scope` on `component`. For components without types (ztc, ac, nrc)
    /// holding the scope is `All`.
    pub fn grants(&self, component: Component, scope: &str) -> Grants {
        if self.all || (component.type_field().is_none() && self.has_scope(component, scope)) {
            return Grants::All;
        }
        let mut types = HashMap::new();
        for a in self
            .autorisaties
            .iter()
            .filter(|a| holds(a, component, scope))
        {
            // A brc autorisatie has no maximum: every besluit of its besluittype.
            let max = a.max_vertrouwelijkheidaanduiding.or_else(|| {
                (!component.has_max_vertrouwelijkheid())
                    .then_some(Vertrouwelijkheidaanduiding::ZeerGeheim)
            });
            let (Some(url), Some(max)) = (&a.type_url, max) else {
                continue;
            };
            let entry = types.entry(url.clone()).or_insert(max);
            *entry = (*entry).max(max);
        }
        Grants::Types(types)
    }
}

impl Authorisation {
    /// [`WriteError::PermissionDenied`] unless some autorisatie on `component` holds `scope`
    /// (or one of `a|b`): the check of a write on a component without types (ztc, ac).
    pub fn require_scope(&self, component: Component, scope: &str) -> Result<(), WriteError> {
        if self.has_scope(component, scope) {
            Ok(())
        } else {
            Err(WriteError::permission_denied())
        }
    }

    /// [`WriteError::PermissionDenied`] unless `scope` on `component` covers the object's
    /// type at its vertrouwelijkheid.
    pub fn require(
        &self,
        component: Component,
        scope: &str,
        type_url: &str,
        vertrouwelijkheid: Vertrouwelijkheidaanduiding,
    ) -> Result<(), WriteError> {
        if self
            .grants(component, scope)
            .allows(type_url, vertrouwelijkheid)
        {
            Ok(())
        } else {
            Err(WriteError::permission_denied())
        }
    }
}

impl Grants {
    pub fn allows(&self, type_url: &str, vertrouwelijkheid: Vertrouwelijkheidaanduiding) -> bool {
        match self {
            Self::All => true,
            Self::Types(types) => types
                .get(type_url)
                .is_some_and(|max| vertrouwelijkheid <= *max),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use Vertrouwelijkheidaanduiding as V;

    fn zrc(zaaktype: &str, scopes: &[&str], max: V) -> Autorisatie {
        Autorisatie {
            component: Component::Zrc,
            scopes: scopes.iter().map(|s| s.to_string()).collect(),
            type_url: Some(zaaktype.into()),
            max_vertrouwelijkheidaanduiding: Some(max),
        }
    }

    #[test]
    fn a_grant_covers_its_zaaktype_up_to_its_maximum_only() {
        let auth = Authorisation {
            all: false,
            autorisaties: vec![
                zrc("zt-1", &["zaken.lezen"], V::Intern),
                zrc("zt-2", &["zaken.aanmaken"], V::ZeerGeheim),
            ],
            label: String::new(),
        };
        let lezen = auth.grants(Component::Zrc, "zaken.lezen");
        assert!(lezen.allows("zt-1", V::Openbaar));
        assert!(lezen.allows("zt-1", V::Intern));
        assert!(!lezen.allows("zt-1", V::Zaakvertrouwelijk));
        assert!(!lezen.allows("zt-2", V::Openbaar), "another scope's type");
        assert!(!auth
            .grants(Component::Drc, "zaken.lezen")
            .allows("zt-1", V::Openbaar));
        assert!(auth.has_scope(Component::Zrc, "zaken.bijwerken|zaken.lezen"));
        assert!(!auth.has_scope(Component::Zrc, "zaken.verwijderen"));
    }

    #[test]
    fn a_brc_grant_without_maximum_covers_every_besluit_of_its_besluittype() {
        let auth = Authorisation {
            all: false,
            autorisaties: vec![Autorisatie {
                component: Component::Brc,
                scopes: vec!["besluiten.lezen".into()],
                type_url: Some("bt-1".into()),
                max_vertrouwelijkheidaanduiding: None,
            }],
            label: String::new(),
        };
        let lezen = auth.grants(Component::Brc, "besluiten.lezen");
        assert!(lezen.allows("bt-1", V::Openbaar));
        assert!(!lezen.allows("bt-2", V::Openbaar));
    }

    #[test]
    fn two_grants_on_one_zaaktype_give_the_higher_maximum() {
        let auth = Authorisation {
            all: false,
            autorisaties: vec![
                zrc("zt-1", &["zaken.lezen"], V::Openbaar),
                zrc("zt-1", &["zaken.lezen"], V::Geheim),
            ],
            label: String::new(),
        };
        assert!(auth
            .grants(Component::Zrc, "zaken.lezen")
            .allows("zt-1", V::Geheim));
    }

    #[test]
    fn heeft_alle_autorisaties_allows_everything_and_nothing_allows_nothing() {
        let all = Authorisation {
            all: true,
            autorisaties: vec![],
            label: String::new(),
        };
        assert_eq!(all.grants(Component::Zrc, "zaken.lezen"), Grants::All);
        let none = Authorisation::default();
        assert!(!none
            .grants(Component::Zrc, "zaken.lezen")
            .allows("zt", V::Openbaar));
        assert!(!none.has_scope(Component::Ztc, "catalogi.lezen"));
    }
}

//! A catalogus with everything in it, as the read model holds it: what rendering the
//! derived fields of a catalogi resource needs, and what the write path reads its facts from.

use domain::catalogus::Catalogus;
use domain::catalogus_object::CatalogusObject;
use event_schemas::catalogus::ObjectKind;
use serde_json::Value;
use sqlx::Row;
use uuid::Uuid;

use crate::render::Urls;

/// A row's state: the catalogus itself or one of its objects.
#[derive(Debug, Clone, PartialEq)]
pub enum Stored {
    Catalogus(Catalogus),
    Object(CatalogusObject),
}

impl Stored {
    pub fn uuid(&self) -> Uuid {
        match self {
            Self::Catalogus(c) => c.uuid,
            Self::Object(o) => o.uuid,
        }
    }

    pub fn kind(&self) -> &'static str {
        match self {
            Self::Catalogus(_) => "catalogus",
            Self::Object(o) => o.kind.as_str(),
        }
    }

    pub fn to_json(&self) -> Value {
        match self {
            Self::Catalogus(c) => serde_json::to_value(c),
            Self::Object(o) => serde_json::to_value(o),
        }
        .unwrap_or_default()
    }

    pub fn from_json(kind: &str, state: Value) -> Result<Self, serde_json::Error> {
        if kind == "catalogus" {
            serde_json::from_value(state).map(Self::Catalogus)
        } else {
            serde_json::from_value(state).map(Self::Object)
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Snapshot {
    pub catalogus: Option<Catalogus>,
    /// In insertion order.
    pub objects: Vec<CatalogusObject>,
}

/// Every row of catalogus `catalogus`: state and version, in insertion order.
pub(crate) async fn load_rows<'e>(
    db: impl sqlx::PgExecutor<'e>,
    catalogus: Uuid,
) -> Result<Vec<(Stored, i64)>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT kind, version, state FROM catalogus_objecten WHERE catalogus = $1 ORDER BY ordinal",
    )
    .bind(catalogus)
    .fetch_all(db)
    .await?;
    rows.into_iter()
        .map(|r| {
            let stored = Stored::from_json(r.try_get("kind")?, r.try_get("state")?)
                .map_err(|e| sqlx::Error::Decode(Box::new(e)))?;
            Ok((stored, r.try_get("version")?))
        })
        .collect()
}

impl Snapshot {
    pub fn new(rows: impl IntoIterator<Item = Stored>) -> Self {
        let mut out = Self::default();
        for stored in rows {
            match stored {
                Stored::Catalogus(c) => out.catalogus = Some(c),
                Stored::Object(o) => out.objects.push(o),
            }
        }
        out
    }

    /// The catalogus `catalogus` as the read model has it now.
    pub async fn load<'e>(
        db: impl sqlx::PgExecutor<'e>,
        catalogus: Uuid,
    ) -> Result<Self, sqlx::Error> {
        let rows = load_rows(db, catalogus).await?;
        Ok(Self::new(rows.into_iter().map(|(s, _)| s)))
    }

    /// The snapshot with `stored` written over (or added to) what it had.
    pub fn with(mut self, stored: Stored) -> Self {
        match stored {
            Stored::Catalogus(c) => self.catalogus = Some(c),
            Stored::Object(o) => match self.objects.iter_mut().find(|x| x.uuid == o.uuid) {
                Some(existing) => *existing = o,
                None => self.objects.push(o),
            },
        }
        self
    }

    pub fn of_kind(&self, kind: ObjectKind) -> impl Iterator<Item = &CatalogusObject> {
        self.objects.iter().filter(move |o| o.kind == kind)
    }

    /// The objects of `kind` whose attribute `field` is (or, for a list, holds) `url`.
    pub fn referring<'a>(
        &'a self,
        kind: ObjectKind,
        field: &'a str,
        url: &'a str,
    ) -> impl Iterator<Item = &'a CatalogusObject> {
        self.of_kind(kind)
            .filter(move |o| refers(o.attributes.get(field), url))
    }

    pub fn find(&self, uuid: Uuid) -> Option<&CatalogusObject> {
        self.objects.iter().find(|o| o.uuid == uuid)
    }

    /// The object `url` points at, when it is one of ours in this catalogus.
    pub fn by_url(&self, urls: &Urls, kind: ObjectKind, url: &str) -> Option<&CatalogusObject> {
        let uuid = urls.catalogi_uuid(kind.collection(), url)?;
        self.find(uuid).filter(|o| o.kind == kind)
    }

    /// The zaaktype a statustype, roltype, ... belongs to.
    pub fn zaaktype_of(&self, urls: &Urls, o: &CatalogusObject) -> Option<&CatalogusObject> {
        self.by_url(urls, ObjectKind::Zaaktype, o.text("zaaktype"))
    }
}

fn refers(value: Option<&Value>, url: &str) -> bool {
    match value {
        Some(Value::String(s)) => s == url,
        Some(Value::Array(items)) => items.iter().any(|v| v.as_str() == Some(url)),
        _ => false,
    }
}

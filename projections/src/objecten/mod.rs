//! The read models of the objects without parts (Klantinteracties' internetaken, actoren,
//! categorieen and categorie-relaties; Contactgegevens' personen and organisaties): one
//! table each, with a real column for every filter its list serves, the state and the
//! rendered resource, written with the audit trail (bron `kic`) and snapshots in one
//! transaction. One projection, generic over the kind ([`ObjectModel`]).

pub mod models;
pub mod notify;
pub mod render;

use std::marker::PhantomData;

use async_trait::async_trait;
use chrono::NaiveDate;
use domain::klantinteracties::{SimpleAggregate, SimpleObject, SimpleState};
use event_schemas::VersionedEvent;
use event_store::RecordedEvent;
use serde_json::Value;
use sqlx::postgres::PgConnection;
use sqlx::{Postgres, QueryBuilder};
use uuid::Uuid;

use crate::audit::{self, Change};
use crate::fold::{fold_audited, Touched};
use crate::partijen::BRON;
use crate::render::{etag, Urls};
use crate::snapshots;
use crate::{Projection, ProjectionError};

/// The attributes of a kind of object.
pub type Attributes<M> = <<M as ObjectModel>::Object as SimpleObject>::Attributes;

/// A filter column's value.
pub enum Column {
    Text(Option<String>),
    Bool(bool),
    Uuid(Option<Uuid>),
    Uuids(Vec<Uuid>),
    Date(Option<NaiveDate>),
}

/// One kind of object as its read model keeps it.
pub trait ObjectModel: Send + Sync + 'static {
    type Object: SimpleObject<Attributes: serde::de::DeserializeOwned + Unpin>
        + Send
        + Sync
        + 'static;
    /// The projection's name and its table.
    const TABLE: &'static str;
    /// The resource's name in the audit trail and notifications (`internetaak`).
    const RESOURCE: &'static str;
    /// The collection's path segment (`internetaken`).
    const COLLECTION: &'static str;

    /// The object's URL.
    fn url(urls: &Urls, uuid: Uuid) -> String {
        urls.klantinteracties_object(Self::COLLECTION, uuid)
    }

    /// Its resource as the API returns it.
    fn render(object: &SimpleState<Attributes<Self>>, urls: &Urls) -> Value;

    /// Its filter columns, by name.
    fn columns(attributes: &Attributes<Self>) -> Vec<(&'static str, Column)>;
}

/// The category of a kind's streams.
pub fn category<M: ObjectModel>() -> &'static str {
    <<M::Object as SimpleObject>::Event as VersionedEvent>::CATEGORY
}

/// The projection's name: the read models of every kind of simple object follow the log as
/// one (one subscription, one checkpoint; a write waits for this name).
pub const NAME: &str = "klantinteracties_objecten";

/// The read models of all kinds of simple objects, as one projection.
pub struct ObjectenProjection {
    kinds: Vec<Box<dyn Projection>>,
}

impl ObjectenProjection {
    pub fn new(urls: &Urls) -> Self {
        use models::*;
        Self {
            kinds: vec![
                Box::new(ObjectProjection::<Internetaken>::new(urls.clone())),
                Box::new(ObjectProjection::<Actoren>::new(urls.clone())),
                Box::new(ObjectProjection::<Categorieen>::new(urls.clone())),
                Box::new(ObjectProjection::<CategorieRelaties>::new(urls.clone())),
                Box::new(ObjectProjection::<Personen>::new(urls.clone())),
                Box::new(ObjectProjection::<Organisaties>::new(urls.clone())),
            ],
        }
    }
}

#[async_trait]
impl Projection for ObjectenProjection {
    fn name(&self) -> &'static str {
        NAME
    }

    fn handles(&self, event: &RecordedEvent) -> bool {
        self.kinds.iter().any(|k| k.handles(event))
    }

    async fn apply(
        &self,
        tx: &mut PgConnection,
        batch: &[RecordedEvent],
    ) -> Result<(), ProjectionError> {
        for kind in &self.kinds {
            kind.apply(tx, batch).await?;
        }
        Ok(())
    }

    async fn reset(&self, tx: &mut PgConnection) -> Result<(), ProjectionError> {
        for kind in &self.kinds {
            kind.reset(tx).await?;
        }
        Ok(())
    }
}

/// The read model of one kind of object.
struct ObjectProjection<M> {
    urls: Urls,
    model: PhantomData<M>,
}

impl<M> ObjectProjection<M> {
    fn new(urls: Urls) -> Self {
        Self {
            urls,
            model: PhantomData,
        }
    }
}

/// The audit entry of one event of a simple object.
fn entry<M: ObjectModel>(
    e: &RecordedEvent,
    event: &<M::Object as SimpleObject>::Event,
    before: Option<&SimpleState<Attributes<M>>>,
    after: Option<&SimpleState<Attributes<M>>>,
    urls: &Urls,
) -> Option<audit::Entry> {
    use domain::klantinteracties::Applied;
    let uuid = after.or(before)?.uuid;
    let actie = match M::Object::applied(event) {
        Applied::Created(_) => "create",
        Applied::Updated(u) if u.partial => "partial_update",
        Applied::Updated(_) => "update",
        Applied::Deleted => "destroy",
    };
    let url = M::url(urls, uuid);
    let change = Change {
        actie,
        resource: M::RESOURCE,
        url: url.clone(),
        weergave: format!("{} {uuid}", M::RESOURCE),
        oud: before.map(|o| M::render(o, urls)),
        nieuw: after.map(|o| M::render(o, urls)),
    };
    Some(audit::entry(e, BRON, uuid, url, change))
}

#[async_trait]
impl<M: ObjectModel> Projection for ObjectProjection<M> {
    fn name(&self) -> &'static str {
        M::TABLE
    }

    fn handles(&self, event: &RecordedEvent) -> bool {
        event.category() == category::<M>()
    }

    async fn apply(
        &self,
        tx: &mut PgConnection,
        batch: &[RecordedEvent],
    ) -> Result<(), ProjectionError> {
        let ours: Vec<&RecordedEvent> = batch.iter().filter(|e| self.handles(e)).collect();
        if ours.is_empty() {
            return Ok(());
        }
        let audit_entry = |e: &RecordedEvent, event: &_, before: Option<&_>, after: Option<&_>| {
            entry::<M>(e, event, before, after, &self.urls)
        };
        let touched =
            fold_audited::<SimpleAggregate<M::Object>, _>(tx, M::TABLE, &ours, &audit_entry)
                .await?;
        for (uuid, t) in touched {
            save::<M>(tx, &self.urls, uuid, t).await?;
        }
        Ok(())
    }

    async fn reset(&self, tx: &mut PgConnection) -> Result<(), ProjectionError> {
        sqlx::query(&format!("TRUNCATE {}", M::TABLE))
            .execute(&mut *tx)
            .await?;
        snapshots::reset(tx, category::<M>()).await?;
        audit::reset_collection(tx, BRON, M::COLLECTION).await
    }
}

/// The object's row as the state says (none once deleted).
async fn save<M: ObjectModel>(
    tx: &mut PgConnection,
    urls: &Urls,
    uuid: Uuid,
    t: Touched<SimpleState<Attributes<M>>>,
) -> Result<(), ProjectionError> {
    let Some(object) = t.state else {
        sqlx::query(&format!("DELETE FROM {} WHERE uuid = $1", M::TABLE))
            .bind(uuid)
            .execute(&mut *tx)
            .await?;
        return Ok(());
    };
    let resource = M::render(&object, urls);
    let columns = M::columns(&object.attributes);
    let names: Vec<&str> = columns.iter().map(|(n, _)| *n).collect();
    let mut sql: QueryBuilder<'_, Postgres> = QueryBuilder::new(format!(
        "INSERT INTO {} (uuid, tenant, version, state, resource, etag{}{}) VALUES (",
        M::TABLE,
        if names.is_empty() { "" } else { ", " },
        names.join(", ")
    ));
    let mut values = sql.separated(", ");
    let tag = etag(&resource);
    values
        .push_bind(uuid)
        .push_bind(t.tenant)
        .push_bind(t.version)
        .push_bind(sqlx::types::Json(object))
        .push_bind(resource)
        .push_bind(tag);
    for (_, column) in columns {
        match column {
            Column::Text(v) => values.push_bind(v),
            Column::Bool(v) => values.push_bind(v),
            Column::Uuid(v) => values.push_bind(v),
            Column::Uuids(v) => values.push_bind(v),
            Column::Date(v) => values.push_bind(v),
        };
    }
    sql.push(") ON CONFLICT (uuid) DO UPDATE SET version = EXCLUDED.version, ")
        .push("state = EXCLUDED.state, resource = EXCLUDED.resource, etag = EXCLUDED.etag");
    for name in names {
        sql.push(format!(", {name} = EXCLUDED.{name}"));
    }
    sql.build().execute(&mut *tx).await?;
    Ok(())
}

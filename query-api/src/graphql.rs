//! GraphQL at /graphql (GraphiQL on GET, served from the binary: `page`): flexible reads
//! from the same read models, behind the same JWT-ZGW authentication as the REST APIs.

use async_graphql::{Context, EmptySubscription, MergedObject, Object, Schema, SimpleObject, ID};
use async_graphql_axum::GraphQLResponse;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use base64::Engine as _;
use event_schemas::applicatie::Component;
use serde_json::Value;
use sqlx::{PgPool, QueryBuilder, Row};
use uuid::Uuid;

use crate::authorisation::Grants;

mod besluiten;
mod burger;
mod documenten;
mod page;
mod parts;

use crate::authorisation::GrantsFilter;
use crate::{AppState, Caller};
use async_graphql::dataloader::DataLoader;
use besluiten::{Besluit, BesluitenLoader};
use documenten::{Document, DocumentenLoader, VersiesLoader};
use parts::{
    of_kind, CatalogusLoader, PartsLoader, Resultaat, Rol, Status, Zaakeigenschap, Zaakobject,
    Zaaktype,
};

pub type ZgwSchema = Schema<Query, Mutation, EmptySubscription>;

pub fn schema() -> ZgwSchema {
    Schema::build(Query::default(), Mutation, EmptySubscription)
        .limit_depth(16)
        .limit_complexity(2_000)
        .finish()
}

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/graphql", get(page::page).post(execute))
        .route("/graphql/assets/{file}", get(page::asset))
}

/// A GraphQL request body (JSON, or `application/graphql`) read within the server's body
/// limit (over it: 413 problem+json before parsing); a body that is no GraphQL request is
/// answered 400 with the error in GraphQL's own shape.
async fn parse(headers: &HeaderMap, body: &Bytes) -> Result<async_graphql::Request, Response> {
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok());
    async_graphql::http::receive_body(content_type, body.as_ref(), Default::default())
        .await
        .map_err(|e| {
            let error = async_graphql::ServerError::new(e.to_string(), None);
            let body = async_graphql::Response::from_errors(vec![error]);
            (StatusCode::BAD_REQUEST, axum::Json(body)).into_response()
        })
}

async fn execute(
    State(s): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    body: Bytes,
) -> Result<GraphQLResponse, Response> {
    let request = parse(&headers, &body).await?;
    drop(body);
    let parts = DataLoader::new(PartsLoader(s.pool.clone()), tokio::spawn);
    let catalogus = DataLoader::new(CatalogusLoader(s.pool.clone()), tokio::spawn);
    let besluiten = BesluitenLoader {
        pool: s.pool.clone(),
        grants: caller.grants(Component::Brc, "besluiten.lezen"),
    };
    let besluiten = DataLoader::new(besluiten, tokio::spawn);
    let documenten_lezen = caller.grants(Component::Drc, "documenten.lezen");
    let reader = crate::reads::Reader::new(&s, &caller, &headers);
    let documenten = DocumentenLoader {
        pool: s.pool.clone(),
        urls: s.urls.clone(),
        grants: documenten_lezen.clone(),
        reader: reader.clone(),
    };
    let documenten = DataLoader::new(documenten, tokio::spawn);
    let versies = VersiesLoader {
        pool: s.pool.clone(),
        grants: documenten_lezen,
    };
    let versies = DataLoader::new(versies, tokio::spawn);
    let request = request
        .data(s.clone())
        .data(s.pool.clone())
        .data(caller)
        .data(reader)
        .data(parts)
        .data(catalogus)
        .data(besluiten)
        .data(documenten)
        .data(versies)
        .data(DataLoader::new(
            burger::PartijPartsLoader(s.pool.clone()),
            tokio::spawn,
        ));
    Ok(s.graphql.execute(request).await.into())
}

/// Every read: the ZGW APIs' and a citizen's picture (`burger`).
#[derive(MergedObject, Default)]
pub struct Query(ZgwQuery, burger::BurgerQuery);

/// The ZGW reads: zaken, a zaak (as of an instant too), a document.
#[derive(Default)]
pub struct ZgwQuery;

/// Writes, each through the same use case as its REST endpoint (`commands`), with the
/// same rules and scopes; refusals are GraphQL errors whose extensions carry the REST
/// answer's status, code and invalidParams.
pub struct Mutation;

#[Object]
impl Mutation {
    /// Registers a zaak with its status, rollen, zaakinformatieobjecten and zaakobjecten at
    /// once: `input` is the body of POST /zaken/api/v1/zaak_registreren (zaken.aanmaken and
    /// zaken.bijwerken). Answers the zaak as it is then read.
    async fn register_zaak(
        &self,
        ctx: &Context<'_>,
        input: async_graphql::Json<Value>,
    ) -> async_graphql::Result<Zaak> {
        let s = ctx.data::<AppState>()?;
        let caller = ctx.data::<Caller>()?;
        let answer = crate::zaken::register(s, caller, &input.0)
            .await
            .map_err(|e| e.graphql())?;
        Ok(Zaak::current(answer["zaak"].clone()))
    }
}

const MAX_PAGE: i32 = 100;

#[Object]
impl ZgwQuery {
    /// One zaak by its uuid; null when it does not exist or the caller may not read it
    /// (the same grants as the REST API's detail GET).
    async fn zaak(
        &self,
        ctx: &Context<'_>,
        uuid: Uuid,
        #[graphql(
            desc = "The zaak as it was at this instant (RFC 3339), its statussen, \
            rollen, resultaat and zaakobjecten likewise; the grants apply to it as it was \
            then and as it is now."
        )]
        as_of: Option<chrono::DateTime<chrono::Utc>>,
    ) -> async_graphql::Result<Option<Zaak>> {
        if let Some(instant) = as_of {
            let s = ctx.data::<crate::AppState>()?;
            let caller = ctx.data::<Caller>()?;
            return match crate::time_travel::zaak_state(s, caller, uuid, instant).await {
                Ok((state, _)) => {
                    read_zaken(ctx, vec![uuid]).await?;
                    Ok(Some(Zaak::as_of(&state, instant, &s.urls)))
                }
                Err(e) if e.hides_the_object() => Ok(None),
                Err(e) => Err(async_graphql::Error::new(e.to_string())),
            };
        }
        let pool = ctx.data::<PgPool>()?;
        let mut sql = QueryBuilder::new("SELECT resource FROM zaken WHERE uuid = ");
        sql.push_bind(uuid);
        zaken_lezen(ctx)?.push_filter(&mut sql, "zaaktype", "vertrouwelijkheid_rank");
        let row = sql.build().fetch_optional(pool).await?;
        if row.is_some() {
            read_zaken(ctx, vec![uuid]).await?;
        }
        Ok(row.map(|r| Zaak::current(r.get("resource"))))
    }

    /// One document (Documenten API) by its uuid, in its current version; null when it does
    /// not exist or the caller may not read it (the same grants as the REST detail GET).
    async fn document(
        &self,
        ctx: &Context<'_>,
        uuid: Uuid,
        #[graphql(
            desc = "The document as it was at this instant (RFC 3339): its latest version \
            then, and the versions it had then; the grants apply to it as it was then and \
            as it is now."
        )]
        as_of: Option<chrono::DateTime<chrono::Utc>>,
    ) -> async_graphql::Result<Option<Document>> {
        if let Some(instant) = as_of {
            return Document::as_of(ctx, uuid, instant).await;
        }
        let loader = ctx.data::<DataLoader<DocumentenLoader>>()?;
        let url = loader.loader().urls.document(uuid);
        loader
            .load_one(url)
            .await
            .map_err(|e| async_graphql::Error::new(e.to_string()))
    }

    /// Zaken in registration order, `first` at a time (at most 100) after a cursor; only
    /// those the caller may read, counted likewise.
    async fn zaken(
        &self,
        ctx: &Context<'_>,
        #[graphql(default = 20)] first: i32,
        after: Option<String>,
    ) -> async_graphql::Result<ZaakConnection> {
        let pool = ctx.data::<PgPool>()?;
        let grants = zaken_lezen(ctx)?;
        let after = after
            .as_deref()
            .map(decode_cursor)
            .transpose()?
            .unwrap_or(0);
        let first = first.clamp(0, MAX_PAGE) as i64;
        let mut sql =
            QueryBuilder::new("SELECT ordinal, uuid, resource FROM zaken WHERE ordinal > ");
        sql.push_bind(after);
        grants.push_filter(&mut sql, "zaaktype", "vertrouwelijkheid_rank");
        sql.push(" ORDER BY ordinal LIMIT ").push_bind(first + 1);
        let rows = sql.build().fetch_all(pool).await?;
        // The per (zaaktype, rank) totals the REST list counts from: at most 8 rows per
        // zaaktype summed, where counting the rows took a scan of every zaak.
        let mut count = QueryBuilder::new("SELECT coalesce(sum(n), 0)::bigint FROM zaken_counts");
        grants.push_join(&mut count, "zaaktype", "vertrouwelijkheid_rank");
        let total: i64 = count.build_query_scalar().fetch_one(pool).await?;
        let has_next_page = rows.len() as i64 > first;
        let rows: Vec<_> = rows.into_iter().take(first as usize).collect();
        read_zaken(ctx, rows.iter().map(|r| r.get("uuid")).collect()).await?;
        let edges: Vec<ZaakEdge> = rows
            .into_iter()
            .map(|r| ZaakEdge {
                cursor: encode_cursor(r.get("ordinal")),
                node: Zaak::current(r.get("resource")),
            })
            .collect();
        Ok(ZaakConnection {
            total_count: total,
            page_info: PageInfo {
                has_next_page,
                end_cursor: edges.last().map(|e| e.cursor.clone()),
            },
            edges,
        })
    }
}

/// Records that the request read `zaken`.
async fn read_zaken(ctx: &Context<'_>, zaken: Vec<Uuid>) -> async_graphql::Result<()> {
    let reader = ctx.data::<crate::reads::Reader>()?;
    reader.read(("zrc", "zaak"), zaken).await;
    Ok(())
}

/// The caller's zaken.lezen grants: what every zaak field of the schema is filtered by.
fn zaken_lezen(ctx: &Context<'_>) -> async_graphql::Result<Grants> {
    Ok(ctx.data::<Caller>()?.grants(Component::Zrc, "zaken.lezen"))
}

fn encode_cursor(ordinal: i64) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(format!("zaak:{ordinal}"))
}

fn decode_cursor(cursor: &str) -> async_graphql::Result<i64> {
    base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(cursor)
        .ok()
        .and_then(|b| String::from_utf8(b).ok())
        .and_then(|s| s.strip_prefix("zaak:").and_then(|n| n.parse().ok()))
        .ok_or_else(|| "invalid cursor".into())
}

#[derive(SimpleObject)]
pub struct ZaakConnection {
    total_count: i64,
    page_info: PageInfo,
    edges: Vec<ZaakEdge>,
}

#[derive(SimpleObject)]
pub struct PageInfo {
    has_next_page: bool,
    end_cursor: Option<String>,
}

#[derive(SimpleObject)]
pub struct ZaakEdge {
    cursor: String,
    node: Zaak,
}

/// A zaak as the Zaken API renders it; as of an instant, with its parts as they were then
/// (otherwise they are loaded from the read model) and that instant, at which its besluiten
/// and documents are read too.
pub struct Zaak(
    Value,
    Option<Vec<(String, Value)>>,
    Option<chrono::DateTime<chrono::Utc>>,
);

impl Zaak {
    fn current(resource: Value) -> Self {
        Self(resource, None, None)
    }

    /// The zaak `state` (folded to `instant`), rendered as the read models render it.
    fn as_of(
        state: &domain::zaak::Zaak,
        instant: chrono::DateTime<chrono::Utc>,
        urls: &projections::render::Urls,
    ) -> Self {
        use projections::render;
        let statussen = state
            .statussen
            .iter()
            .map(|st| ("status".to_owned(), render::status(state, st, urls)));
        let mut parts: Vec<_> = state.parts.iter().collect();
        parts.sort_by_key(|(_, p)| p.seq);
        let parts = parts.into_iter().map(|(uuid, p)| {
            (
                p.kind.as_str().to_owned(),
                render::part(state, *uuid, p, urls),
            )
        });
        Self(
            render::zaak(state, urls),
            Some(statussen.chain(parts).collect()),
            Some(instant),
        )
    }

    fn text(&self, name: &str) -> Option<String> {
        self.0.get(name).and_then(Value::as_str).map(str::to_owned)
    }
}

#[Object]
impl Zaak {
    async fn url(&self) -> Option<String> {
        self.text("url")
    }
    async fn uuid(&self) -> Option<ID> {
        self.text("uuid").map(ID)
    }
    async fn identificatie(&self) -> Option<String> {
        self.text("identificatie")
    }
    async fn bronorganisatie(&self) -> Option<String> {
        self.text("bronorganisatie")
    }
    async fn omschrijving(&self) -> Option<String> {
        self.text("omschrijving")
    }
    async fn toelichting(&self) -> Option<String> {
        self.text("toelichting")
    }
    async fn zaaktype(&self) -> Option<String> {
        self.text("zaaktype")
    }
    async fn registratiedatum(&self) -> Option<String> {
        self.text("registratiedatum")
    }
    async fn startdatum(&self) -> Option<String> {
        self.text("startdatum")
    }
    async fn einddatum(&self) -> Option<String> {
        self.text("einddatum")
    }
    async fn einddatum_gepland(&self) -> Option<String> {
        self.text("einddatumGepland")
    }
    async fn verantwoordelijke_organisatie(&self) -> Option<String> {
        self.text("verantwoordelijkeOrganisatie")
    }
    async fn vertrouwelijkheidaanduiding(&self) -> Option<String> {
        self.text("vertrouwelijkheidaanduiding")
    }
    async fn archiefstatus(&self) -> Option<String> {
        self.text("archiefstatus")
    }
    /// URL of the current status.
    async fn status(&self) -> Option<String> {
        self.text("status")
    }
    /// The whole ZGW resource as JSON.
    async fn resource(&self) -> async_graphql::Json<Value> {
        async_graphql::Json(self.0.clone())
    }
    /// The zaaktype itself (of our catalogue), where `zaaktype` is its URL.
    async fn zaaktype_object(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Zaaktype>> {
        let Some(url) = self.text("zaaktype") else {
            return Ok(None);
        };
        let loader = ctx.data::<DataLoader<CatalogusLoader>>()?;
        Ok(loader
            .load_one(url)
            .await
            .map_err(|e| async_graphql::Error::new(e.to_string()))?
            .map(Zaaktype))
    }
    /// Statussen in the order they were registered (`status` is the current one).
    async fn statussen(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<Status>> {
        Ok(of_kind(&self.parts(ctx).await?, "status", Status))
    }
    async fn rollen(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<Rol>> {
        Ok(of_kind(&self.parts(ctx).await?, "rol", Rol))
    }
    async fn resultaat(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Resultaat>> {
        Ok(of_kind(&self.parts(ctx).await?, "resultaat", Resultaat).pop())
    }
    async fn zaakobjecten(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<Zaakobject>> {
        Ok(of_kind(&self.parts(ctx).await?, "zaakobject", Zaakobject))
    }
    /// The besluiten (Besluiten API) of this zaak the caller may read; of a zaak as of an
    /// instant, those of its besluiten now that existed then, as they were then.
    async fn besluiten(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<Besluit>> {
        let Some(url) = self.text("url") else {
            return Ok(Vec::new());
        };
        let loader = ctx.data::<DataLoader<BesluitenLoader>>()?;
        let besluiten = loader
            .load_one(url)
            .await
            .map_err(|e| async_graphql::Error::new(e.to_string()))?
            .unwrap_or_default();
        let Some(instant) = self.2 else {
            return Ok(besluiten.into_iter().map(Besluit).collect());
        };
        let s = ctx.data::<AppState>()?;
        let caller = ctx.data::<Caller>()?;
        let mut then = Vec::with_capacity(besluiten.len());
        for uuid in besluiten
            .iter()
            .filter_map(|b| b["url"].as_str()?.rsplit('/').next()?.parse().ok())
        {
            match crate::time_travel::besluit_then(s, caller, uuid, instant).await {
                Ok((besluit, _)) => then.push(Besluit(besluit)),
                Err(e) if e.hides_the_object() => {}
                Err(e) => return Err(async_graphql::Error::new(e.to_string())),
            }
        }
        Ok(then)
    }
    /// The documents (Documenten API) its zaakinformatieobjecten link it to, in link
    /// order, with their versions; those the caller may not read are left out.
    async fn documenten(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<Document>> {
        let links = of_kind(&self.parts(ctx).await?, "zaakinformatieobject", |v| v);
        documenten::linked(ctx, &links, self.2).await
    }
    async fn eigenschappen(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<Zaakeigenschap>> {
        Ok(of_kind(
            &self.parts(ctx).await?,
            "zaakeigenschap",
            Zaakeigenschap,
        ))
    }
}

impl Zaak {
    /// The zaak's parts, loaded together with those of the other zaken of the query.
    async fn parts(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<(String, Value)>> {
        if let Some(parts) = &self.1 {
            return Ok(parts.clone());
        }
        let Some(uuid) = self.text("uuid").and_then(|u| u.parse::<Uuid>().ok()) else {
            return Ok(Vec::new());
        };
        let loader = ctx.data::<DataLoader<PartsLoader>>()?;
        Ok(loader
            .load_one(uuid)
            .await
            .map_err(|e| async_graphql::Error::new(e.to_string()))?
            .unwrap_or_default())
    }
}

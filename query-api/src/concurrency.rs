//! What concurrent writers see: `If-Match` on PUT, PATCH and DELETE (412 when the client's
//! ETag is not the object's current one) and a write that lost to other writers for longer
//! than the retry budget (409).
//!
//! The ETag a client sends is the one a detail GET returned: the read model row's. That
//! row also knows the revision of the stream it was rendered from, so a matching ETag
//! becomes a [`Precondition`] on that revision: the command handler appends only while the
//! stream is still exactly there, and a write that slipped in between (or one the read
//! model has not shown yet) is a 412 too, never a lost update. For a part (a rol, a
//! gebruiksrecht, ...) the revision is its owner's stream, the stream it lives in.
//! `If-Match: *`, no header, or an object without a row keep the unconditional write
//! (the handler answers 404 for what does not exist).

use axum::http::{header, HeaderMap};
use commands::{CommandError, Context, Precondition};
use event_schemas::stream_name;
use uuid::Uuid;

use crate::error::ApiError;
use crate::{AppState, Caller};

/// The object a write is about, as the read models know it.
#[derive(Debug, Clone, Copy)]
pub enum Target {
    Zaak,
    /// A resultaat, rol, zaakobject, ... in its zaak's stream.
    ZaakPart,
    Besluit,
    Besluitinformatieobject,
    Document,
    /// A gebruiksrecht, objectinformatieobject or verzending in its document's stream.
    DocumentPart,
    Applicatie,
    CatalogusObject,
    Kanaal,
    Abonnement,
    Partij,
    /// A partij-identificator, digitaal adres or rekeningnummer (its read model table) in
    /// its partij's stream.
    PartijPart(&'static str),
    Klantcontact,
    /// A betrokkene or onderwerpobject (its read model table) in its klantcontact's stream.
    KlantcontactPart(&'static str),
    /// An object without parts: its read model table and its stream's category.
    Object(&'static str, &'static str),
}

impl Target {
    /// The row's ETag, its stream's category and uuid, and the revision it was rendered from.
    fn sql(self) -> (&'static str, std::borrow::Cow<'static, str>) {
        let (category, sql) = match self {
            Self::Zaak => (
                "zaak",
                "SELECT etag, uuid, version FROM zaken WHERE uuid = $1",
            ),
            Self::ZaakPart => (
                "zaak",
                "SELECT p.etag, z.uuid, z.version FROM zaak_parts p
                 JOIN zaken z ON z.uuid = p.zaak_uuid WHERE p.uuid = $1",
            ),
            Self::Besluit => (
                "besluit",
                "SELECT etag, uuid, version FROM besluiten WHERE uuid = $1",
            ),
            Self::Besluitinformatieobject => (
                "besluit",
                "SELECT i.etag, b.uuid, b.version FROM besluitinformatieobjecten i
                 JOIN besluiten b ON b.uuid = i.besluit_uuid WHERE i.uuid = $1",
            ),
            Self::Document => (
                "document",
                "SELECT v.etag, d.uuid, d.version FROM document_versies v
                 JOIN documenten d ON d.uuid = v.uuid WHERE v.uuid = $1 AND v.is_latest",
            ),
            Self::DocumentPart => (
                "document",
                "SELECT p.etag, d.uuid, d.version FROM document_parts p
                 JOIN documenten d ON d.uuid = p.document_uuid WHERE p.uuid = $1",
            ),
            Self::Applicatie => (
                "applicatie",
                "SELECT etag, uuid, version FROM applicaties WHERE uuid = $1",
            ),
            Self::CatalogusObject => (
                "catalogusobject",
                "SELECT etag, uuid, version FROM catalogus_objecten WHERE uuid = $1",
            ),
            Self::Kanaal => (
                "kanaal",
                "SELECT etag, uuid, version FROM nrc_kanalen WHERE uuid = $1",
            ),
            Self::Abonnement => (
                "abonnement",
                "SELECT etag, uuid, version FROM nrc_abonnementen WHERE uuid = $1",
            ),
            Self::Partij => (
                "partij",
                "SELECT etag, uuid, version FROM partijen WHERE uuid = $1",
            ),
            Self::Klantcontact => (
                "klantcontact",
                "SELECT etag, uuid, version FROM klantcontacten WHERE uuid = $1",
            ),
            Self::KlantcontactPart(table) => {
                let sql = format!(
                    "SELECT i.etag, k.uuid, k.version FROM {table} i
                     JOIN klantcontacten k ON k.uuid = i.klantcontact_uuid WHERE i.uuid = $1"
                );
                return ("klantcontact", sql.into());
            }
            Self::Object(table, category) => {
                let sql = format!("SELECT etag, uuid, version FROM {table} WHERE uuid = $1");
                return (category, sql.into());
            }
            Self::PartijPart(table) => {
                let sql = format!(
                    "SELECT i.etag, p.uuid, p.version FROM {table} i
                     JOIN partijen p ON p.uuid = i.partij_uuid WHERE i.uuid = $1"
                );
                return ("partij", sql.into());
            }
        };
        (category, sql.into())
    }
}

/// The request's `If-Match`, as sent (several headers joined as one list).
pub(crate) fn if_match(headers: &HeaderMap) -> Option<String> {
    let values: Vec<&str> = headers
        .get_all(header::IF_MATCH)
        .iter()
        .map(|v| v.to_str().unwrap_or("\u{0}"))
        .collect();
    (!values.is_empty()).then(|| values.join(","))
}

/// Whether an `If-Match` list holds `etag` (strong comparison: a weak tag never matches).
fn matches(if_match: &str, etag: &str) -> bool {
    if_match.split(',').any(|t| t.trim() == etag)
}

impl AppState {
    /// The context of a PUT, PATCH or DELETE of `target` `uuid`: 412 when the caller's
    /// `If-Match` does not hold the object's current ETag, and otherwise conditioned on the
    /// revision that ETag was rendered from.
    pub async fn write_context(
        &self,
        caller: &Caller,
        target: Target,
        uuid: Uuid,
    ) -> Result<Context, ApiError> {
        let ctx = self.context(caller);
        let Some(if_match) = caller.if_match.as_deref().filter(|v| v.trim() != "*") else {
            return Ok(ctx);
        };
        let (category, sql) = target.sql();
        let row: Option<(String, Uuid, i64)> = sqlx::query_as(&sql)
            .bind(uuid)
            .fetch_optional(&self.pool)
            .await
            .map_err(ApiError::internal)?;
        let Some((etag, stream, version)) = row else {
            return Ok(ctx);
        };
        if !matches(if_match, &etag) {
            return Err(precondition_failed());
        }
        Ok(ctx.with_precondition(Some(Precondition {
            stream: stream_name(category, stream),
            version: version as u64,
        })))
    }
}

fn precondition_failed() -> ApiError {
    ApiError::PreconditionFailed(
        "De ETag in If-Match is niet die van de huidige versie van het object.".into(),
    )
}

/// What a command's failure that is not its aggregate's own refusal means to a client.
/// (Callers answer `Domain` and `Rejected` themselves; here they are internal errors.)
pub fn command_failure<E: std::error::Error, R>(e: CommandError<E, R>) -> ApiError {
    match e {
        CommandError::PreconditionFailed { .. } => precondition_failed(),
        CommandError::Contention { .. } => ApiError::Conflict(
            "Het object werd tegelijk door anderen gewijzigd; probeer het opnieuw.".into(),
        ),
        CommandError::Store(e) => ApiError::internal(e),
        CommandError::Decode(e) => ApiError::internal(e),
        CommandError::Domain(e) => ApiError::internal(e),
        CommandError::Rejected(_) => ApiError::internal("a refusal that was not answered"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_if_match_list_holds_only_the_exact_strong_etag() {
        let etag = "\"abc\"";
        assert!(matches("\"abc\"", etag));
        assert!(matches("\"x\", \"abc\"", etag));
        assert!(!matches("W/\"abc\"", etag));
        assert!(!matches("abc", etag));
        assert!(!matches("\"abcd\"", etag));
    }

    #[test]
    fn several_if_match_headers_are_one_list() {
        let mut headers = HeaderMap::new();
        assert_eq!(if_match(&headers), None);
        headers.append(header::IF_MATCH, "\"a\"".parse().unwrap());
        headers.append(header::IF_MATCH, "\"b\"".parse().unwrap());
        assert_eq!(if_match(&headers).as_deref(), Some("\"a\",\"b\""));
    }
}

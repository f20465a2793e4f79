//! The Documenten API's own objectinformatieobject writes when the object is a zaak or
//! besluit of ours. The relation belongs to the Zaken/Besluiten side (its
//! zaak-/besluitinformatieobject, mirrored here by the process manager), so these writes
//! only check it, as in Open Zaak: a POST is `unique` (the mirror is there), or
//! `inconsistent-relation` when that side has no such link; a DELETE is refused with
//! `remote-relation-exists` while that side still has it. Another API's object is the
//! DRC's own relation; the object is fetched and must be of its objectType.

use domain::besluit::BesluitAggregate;
use domain::informatieobject::Document;
use domain::zaak::ZaakAggregate;
use event_schemas::document::{DocumentPartAttributes, DocumentPartKind};
use event_schemas::zaak::PartKind;
use serde_json::Value;
use uuid::Uuid;

use crate::error::ApiError;
use crate::remote::Shape;
use crate::AppState;

/// A zaak or besluit of ours that an objectinformatieobject names.
enum Own {
    Zaak(Uuid),
    Besluit(Uuid),
}

fn own(s: &AppState, attributes: &DocumentPartAttributes) -> Option<Own> {
    let object = attributes.get("object").and_then(Value::as_str)?;
    match attributes.get("objectType").and_then(Value::as_str)? {
        "zaak" => s.urls.zaak_uuid(object).map(Own::Zaak),
        "besluit" => s.urls.besluit_uuid(object).map(Own::Besluit),
        _ => None,
    }
}

/// Whether the zaak/besluit links `document` (a zaak-/besluitinformatieobject); `None`
/// when the zaak/besluit is not there.
async fn links(s: &AppState, object: &Own, document: Uuid) -> Result<Option<bool>, ApiError> {
    let is_it = |url: Option<&str>| url.and_then(|u| s.urls.document_uuid(u)) == Some(document);
    Ok(match object {
        Own::Zaak(uuid) => s
            .commands
            .load_state::<ZaakAggregate>(*uuid)
            .await
            .map_err(ApiError::internal)?
            .0
            .map(|z| {
                z.parts_of(PartKind::Zaakinformatieobject).any(|(_, p)| {
                    is_it(p.attributes.get("informatieobject").and_then(Value::as_str))
                })
            }),
        Own::Besluit(uuid) => s
            .commands
            .load_state::<BesluitAggregate>(*uuid)
            .await
            .map_err(ApiError::internal)?
            .0
            .map(|b| {
                b.informatieobjecten
                    .values()
                    .any(|b| is_it(Some(&b.informatieobject)))
            }),
    })
}

/// For a POST: the relation must be new (`unique`, as the reference's
/// InformatieObjectUniqueValidator, for any object). For a zaak or besluit of ours the
/// relation is that side's: the mirror exists (or is being made) when it links the
/// document, so the POST is `unique`; `inconsistent-relation` when it does not.
pub(super) async fn check_new(
    s: &AppState,
    doc: &Document,
    attributes: &DocumentPartAttributes,
) -> Result<(), ApiError> {
    let unique = || {
        ApiError::invalid(
            "nonFieldErrors",
            "unique",
            "The fields object and informatieobject must make a unique set.",
        )
    };
    let named = attributes.get("object");
    if doc
        .parts_of(DocumentPartKind::Objectinformatieobject)
        .any(|(_, p)| p.attributes.get("object") == named)
    {
        return Err(unique());
    }
    let Some(object) = own(s, attributes) else {
        // Another API's zaak, besluit or verzoek: fetched and of that kind.
        let text = |name: &str| {
            attributes
                .get(name)
                .and_then(Value::as_str)
                .unwrap_or_default()
        };
        let shape = match text("objectType") {
            "zaak" => Shape::Zaak,
            "besluit" => Shape::Besluit,
            _ => Shape::Verzoek,
        };
        s.remote.resource("object", text("object"), shape).await?;
        return Ok(());
    };
    let linked = links(s, &object, doc.uuid).await?.ok_or_else(|| {
        ApiError::invalid(
            "object",
            "does_not_exist",
            "Ongeldige hyperlink - Object bestaat niet.",
        )
    })?;
    Err(if linked {
        unique()
    } else {
        ApiError::invalid(
            "nonFieldErrors",
            "inconsistent-relation",
            "The relation between object and informatieobject doesn't exist",
        )
    })
}

/// For a DELETE of the objectinformatieobject `resource` of document `document`.
pub(super) async fn check_removable(
    s: &AppState,
    document: Uuid,
    resource: &Value,
) -> Result<(), ApiError> {
    let attributes = resource.as_object().cloned().unwrap_or_default();
    let Some(object) = own(s, &attributes) else {
        return Ok(());
    };
    // A zaak or besluit gone since takes its links along: a stale mirror may go.
    if links(s, &object, document).await? == Some(true) {
        return Err(ApiError::invalid(
            "nonFieldErrors",
            "remote-relation-exists",
            "The canonical remote relation still exists, this relation cannot be deleted.",
        ));
    }
    Ok(())
}

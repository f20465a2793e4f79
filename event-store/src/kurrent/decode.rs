//! Stored events to ours and back: the payload is the event's JSON data, the rest of the
//! envelope its custom metadata; an event without that envelope is not ours.

use kurrentdb::{EventData, ResolvedEvent};
use serde::{Deserialize, Serialize};

use crate::{EventMetadata, NewEvent, Position, RecordedEvent, StoreError};
use event_schemas::envelope::HashInput;

/// The event type of a tombstone (`SystemEventTypes.StreamDeleted`).
pub(super) const TOMBSTONE: &str = "$streamDeleted";

/// What travels in an event's custom metadata besides the payload.
#[derive(Serialize, Deserialize)]
struct StoredMetadata {
    schema_version: u16,
    #[serde(flatten)]
    envelope: EventMetadata,
    prev_hash: String,
    hash: String,
}

/// The fields of a client event that decoding looks at (the client's own type cannot be
/// built outside it, so tests build this one).
pub(super) struct Raw<'a> {
    pub(super) id: uuid::Uuid,
    pub(super) stream: &'a str,
    pub(super) revision: u64,
    pub(super) position: Position,
    pub(super) event_type: &'a str,
    pub(super) data: &'a [u8],
    pub(super) custom_metadata: &'a [u8],
}

impl<'a> Raw<'a> {
    pub(super) fn of(resolved: &'a ResolvedEvent) -> Self {
        let e = resolved.get_original_event();
        Raw {
            id: e.id,
            stream: e.stream_id(),
            revision: e.revision,
            position: Position {
                commit: e.position.commit,
                prepare: e.position.prepare,
            },
            event_type: &e.event_type,
            data: &e.data,
            custom_metadata: &e.custom_metadata,
        }
    }
}

/// A stored event as the log reader sees it.
#[derive(Debug)]
#[allow(clippy::large_enum_variant)] // made and taken apart at once, mostly `Ours`
pub(super) enum Decoded {
    Ours(RecordedEvent),
    /// A tombstone (hard delete) of the named stream.
    Tombstone(String),
    /// Written by someone else (another application, the admin UI, a user projection):
    /// a system event type or no envelope of ours.
    Foreign(String),
}

/// Decodes a stored event. An event with our envelope that does not decode is an error
/// (a defect of ours must stop the reader); one without our envelope is foreign.
pub(super) fn decode(raw: &Raw<'_>) -> Result<Decoded, StoreError> {
    if raw.event_type == TOMBSTONE {
        return Ok(Decoded::Tombstone(raw.stream.to_owned()));
    }
    if raw.event_type.starts_with('$') {
        return Ok(Decoded::Foreign(format!(
            "system event type {}",
            raw.event_type
        )));
    }
    let Ok(meta) = serde_json::from_slice::<serde_json::Value>(raw.custom_metadata) else {
        return Ok(Decoded::Foreign("custom metadata is not JSON".into()));
    };
    let has_envelope = ["schema_version", "prev_hash", "hash"]
        .iter()
        .all(|k| meta.get(k).is_some());
    if !has_envelope {
        return Ok(Decoded::Foreign(
            "no envelope in its custom metadata".into(),
        ));
    }
    recorded(raw, meta).map(Decoded::Ours)
}

/// Our event, or `Corrupt` when it is not ours (reading one stream: the aggregate cannot
/// be decided on with an event it cannot read).
pub(super) fn ours(raw: &Raw<'_>) -> Result<RecordedEvent, StoreError> {
    match decode(raw)? {
        Decoded::Ours(e) => Ok(e),
        Decoded::Tombstone(s) => Err(StoreError::StreamDeleted(s)),
        Decoded::Foreign(why) => Err(StoreError::Corrupt(format!(
            "event {} in {} is not ours: {why}",
            raw.id, raw.stream
        ))),
    }
}

fn recorded(raw: &Raw<'_>, meta: serde_json::Value) -> Result<RecordedEvent, StoreError> {
    let meta: StoredMetadata = serde_json::from_value(meta)
        .map_err(|err| StoreError::Corrupt(format!("metadata of {}: {err}", raw.id)))?;
    let payload = serde_json::from_slice(raw.data)
        .map_err(|err| StoreError::Corrupt(format!("data of {}: {err}", raw.id)))?;
    Ok(RecordedEvent {
        event_id: raw.id,
        stream: raw.stream.to_owned(),
        revision: raw.revision,
        position: raw.position,
        event_type: raw.event_type.to_owned(),
        schema_version: meta.schema_version,
        payload,
        metadata: meta.envelope,
        prev_hash: meta.prev_hash,
        hash: meta.hash,
    })
}

/// The events as the client sends them, hashes chained from the stream's head
/// (`(revision, hash)` of its last event; `None`: a new stream).
pub(super) fn event_data(
    stream: &str,
    head: Option<(u64, &str)>,
    events: &[NewEvent],
) -> Result<Vec<EventData>, StoreError> {
    let (mut revision, mut prev) = head.map_or((0, String::new()), |(r, h)| (r + 1, h.to_owned()));
    let mut out = Vec::with_capacity(events.len());
    for e in events {
        let hash = HashInput {
            prev_hash: &prev,
            event_id: e.event_id,
            stream,
            revision,
            event_type: &e.event_type,
            schema_version: e.schema_version,
            metadata: &e.metadata,
            payload: &e.payload,
        }
        .hash();
        let meta = StoredMetadata {
            schema_version: e.schema_version,
            envelope: e.metadata.clone(),
            prev_hash: std::mem::replace(&mut prev, hash.clone()),
            hash,
        };
        let data = EventData::json(&e.event_type, &e.payload)
            .and_then(|d| d.id(e.event_id).metadata_as_json(&meta))
            .map_err(|err| StoreError::Corrupt(format!("encoding an event: {err}")))?;
        out.push(data);
        revision += 1;
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::new_event;

    fn raw<'a>(event_type: &'a str, data: &'a [u8], meta: &'a [u8]) -> Raw<'a> {
        Raw {
            id: uuid::Uuid::now_v7(),
            stream: "zaak-1",
            revision: 0,
            position: Position {
                commit: 10,
                prepare: 10,
            },
            event_type,
            data,
            custom_metadata: meta,
        }
    }

    fn our_metadata() -> Vec<u8> {
        let e = new_event(0);
        serde_json::to_vec(&StoredMetadata {
            schema_version: 1,
            envelope: e.metadata,
            prev_hash: String::new(),
            hash: "abc".into(),
        })
        .unwrap()
    }

    #[test]
    fn an_event_with_our_envelope_decodes_to_ours() {
        let meta = our_metadata();
        let decoded = decode(&raw("Tested", br#"{"n":1}"#, &meta)).unwrap();
        let Decoded::Ours(e) = decoded else {
            panic!("{decoded:?}")
        };
        assert_eq!(e.payload, serde_json::json!({"n": 1}));
        assert_eq!(e.hash, "abc");
        assert_eq!(e.metadata.tenant, "tenant-a");
    }

    #[test]
    fn events_without_our_envelope_are_foreign_not_errors() {
        for (event_type, data, meta) in [
            // Written in the admin UI: JSON data, no metadata.
            ("Tested", &br#"{"n":1}"#[..], &b""[..]),
            // Another application's metadata.
            ("OrderPlaced", br#"{"id":7}"#, br#"{"$correlationId":"x"}"#),
            // Binary data and metadata.
            ("blob", &[0xff, 0x00][..], &[0x01][..]),
            // A user projection's emitted event or a link.
            ("$>", b"0@zaak-2", b""),
        ] {
            let decoded = decode(&raw(event_type, data, meta)).unwrap();
            assert!(
                matches!(decoded, Decoded::Foreign(_)),
                "{event_type}: {decoded:?}"
            );
        }
        let tombstone = decode(&raw(TOMBSTONE, b"", b"")).unwrap();
        assert!(matches!(tombstone, Decoded::Tombstone(ref s) if s == "zaak-1"));
    }

    #[test]
    fn our_envelope_with_an_unreadable_payload_is_an_error() {
        let meta = our_metadata();
        let decoded = decode(&raw("Tested", b"not json", &meta));
        assert!(
            matches!(decoded, Err(StoreError::Corrupt(_))),
            "{decoded:?}"
        );
        let broken = br#"{"schema_version":"one","prev_hash":"","hash":""}"#;
        let decoded = decode(&raw("Tested", b"{}", broken));
        assert!(
            matches!(decoded, Err(StoreError::Corrupt(_))),
            "{decoded:?}"
        );
    }

    #[test]
    fn reading_one_stream_refuses_a_foreign_event() {
        let read = ours(&raw("Tested", b"{}", b""));
        assert!(matches!(read, Err(StoreError::Corrupt(_))), "{read:?}");
    }
}

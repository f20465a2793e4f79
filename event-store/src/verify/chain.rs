//! One stream's hash chain, checked event by event in revision order: the pure part of
//! `zaakstroom verify`, whatever store the events come from.

use event_schemas::envelope::HashInput;

use super::FaultKind;
use crate::{Position, RecordedEvent};

/// The hash an event should carry: recomputed over its envelope and payload as read back
/// (docs/hash-chain.md), not the one stored with it.
pub fn event_hash(e: &RecordedEvent) -> String {
    HashInput {
        prev_hash: &e.prev_hash,
        event_id: e.event_id,
        stream: &e.stream,
        revision: e.revision,
        event_type: &e.event_type,
        schema_version: e.schema_version,
        metadata: &e.metadata,
        payload: &e.payload,
    }
    .hash()
}

/// The last event of a stream that was checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Link {
    pub revision: u64,
    pub hash: String,
    pub position: Position,
}

/// What the store's stream table says of a stream (PostgreSQL's `es_streams`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredHead {
    pub version: u64,
    pub hash: String,
    pub deleted: bool,
}

/// The fault of `event` as the successor of `prev` (`None`: the stream's first event), or
/// `None` when it extends the chain. In the order a reader would find them: a missing
/// revision, a link that does not point at the previous event, an event whose content no
/// longer matches its own hash, an event placed before its predecessor in the global log.
pub fn check_link(prev: Option<&Link>, event: &RecordedEvent) -> Option<FaultKind> {
    let expected = prev.map_or(0, |p| p.revision + 1);
    if event.revision != expected {
        return Some(FaultKind::MissingRevisions {
            expected,
            found: event.revision,
        });
    }
    let prev_hash = prev.map_or("", |p| p.hash.as_str());
    if event.prev_hash != prev_hash {
        return Some(FaultKind::BrokenLink {
            prev_hash: event.prev_hash.clone(),
            previous_hash: prev_hash.to_owned(),
        });
    }
    let recomputed = event_hash(event);
    if event.hash != recomputed {
        return Some(FaultKind::HashMismatch {
            stored: event.hash.clone(),
            recomputed,
        });
    }
    match prev {
        Some(p) if p.position >= event.position => Some(FaultKind::OutOfOrder {
            previous_position: p.position,
        }),
        _ => None,
    }
}

/// The fault of a stream whose last stored event is `last` (`None`: it has none) given
/// what the stream table says of it (`None`: no row).
pub fn check_head(last: Option<&Link>, head: Option<&StoredHead>) -> Option<FaultKind> {
    match (last, head) {
        (None, None) => None,
        (Some(_), None) => Some(FaultKind::NoHead),
        (None, Some(h)) if h.deleted => None,
        (None, Some(h)) => Some(FaultKind::HeadWithoutEvents { version: h.version }),
        (Some(_), Some(h)) if h.deleted => Some(FaultKind::EventsOfDeletedStream),
        (Some(l), Some(h)) if l.revision != h.version || l.hash != h.hash => {
            Some(FaultKind::HeadMismatch {
                version: h.version,
                hash: h.hash.clone(),
                last_revision: l.revision,
            })
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::new_event;

    fn chain(n: usize) -> Vec<RecordedEvent> {
        let mut prev = String::new();
        (0..n)
            .map(|i| {
                let e = new_event(i);
                let mut r = RecordedEvent {
                    event_id: e.event_id,
                    stream: "zaak-1".into(),
                    revision: i as u64,
                    position: Position {
                        commit: 10 + i as u64,
                        prepare: 1,
                    },
                    event_type: e.event_type,
                    schema_version: e.schema_version,
                    payload: e.payload,
                    metadata: e.metadata,
                    prev_hash: prev.clone(),
                    hash: String::new(),
                };
                r.hash = event_hash(&r);
                prev = r.hash.clone();
                r
            })
            .collect()
    }

    fn link(e: &RecordedEvent) -> Link {
        Link {
            revision: e.revision,
            hash: e.hash.clone(),
            position: e.position,
        }
    }

    /// The first fault met walking `events` in order, with the revision it was met at.
    fn first_fault(events: &[RecordedEvent]) -> Option<(u64, FaultKind)> {
        let mut prev: Option<Link> = None;
        for e in events {
            if let Some(f) = check_link(prev.as_ref(), e) {
                return Some((e.revision, f));
            }
            prev = Some(link(e));
        }
        None
    }

    #[test]
    fn an_untouched_chain_has_no_fault() {
        assert_eq!(first_fault(&chain(4)), None);
    }

    #[test]
    fn an_edited_payload_is_found_at_its_event() {
        let mut events = chain(4);
        events[2].payload = serde_json::json!({"n": 99});
        let (at, fault) = first_fault(&events).unwrap();
        assert_eq!(at, 2);
        assert!(matches!(fault, FaultKind::HashMismatch { .. }), "{fault:?}");
    }

    #[test]
    fn a_removed_event_is_found_where_its_successor_stands() {
        let mut events = chain(4);
        events.remove(1);
        assert_eq!(
            first_fault(&events),
            Some((
                2,
                FaultKind::MissingRevisions {
                    expected: 1,
                    found: 2
                }
            ))
        );
    }

    #[test]
    fn swapped_revisions_break_the_link_of_the_first_one() {
        let mut events = chain(4);
        events.swap(1, 2);
        events[1].revision = 1;
        events[2].revision = 2;
        let (at, fault) = first_fault(&events).unwrap();
        assert_eq!(at, 1);
        assert!(matches!(fault, FaultKind::BrokenLink { .. }), "{fault:?}");
    }

    #[test]
    fn swapped_positions_put_a_revision_before_its_predecessor() {
        let mut events = chain(4);
        let (p1, p2) = (events[1].position, events[2].position);
        events[1].position = p2;
        events[2].position = p1;
        assert_eq!(
            first_fault(&events),
            Some((
                2,
                FaultKind::OutOfOrder {
                    previous_position: p2
                }
            ))
        );
    }

    #[test]
    fn the_stream_table_must_name_the_last_event() {
        let events = chain(3);
        let last = link(&events[2]);
        let head = |version, hash: &str, deleted| StoredHead {
            version,
            hash: hash.into(),
            deleted,
        };
        assert_eq!(
            check_head(Some(&last), Some(&head(2, &last.hash, false))),
            None
        );
        assert!(matches!(
            check_head(Some(&last), Some(&head(3, "x", false))),
            Some(FaultKind::HeadMismatch {
                version: 3,
                last_revision: 2,
                ..
            })
        ));
        assert_eq!(check_head(Some(&last), None), Some(FaultKind::NoHead));
        assert_eq!(
            check_head(Some(&last), Some(&head(2, &last.hash, true))),
            Some(FaultKind::EventsOfDeletedStream)
        );
        assert_eq!(
            check_head(None, Some(&head(4, "x", false))),
            Some(FaultKind::HeadWithoutEvents { version: 4 })
        );
        assert_eq!(
            check_head(None, Some(&head(4, "x", true))),
            None,
            "a tombstone"
        );
    }
}

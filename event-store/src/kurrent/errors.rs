//! The client's errors as the port's, which of them are worth another attempt (`retry.rs`),
//! and a connection string's parse error without its password.

use kurrentdb::{ClientSettingsParseError, CurrentRevision};
use tonic::Code;

use crate::{ExpectedVersion, StoreError};

/// The port's error for a failed write (append or tombstone) to `stream`.
///
/// An append's wrong expected version comes in the response (`WrongExpectedVersion`); a
/// tombstone's comes as a gRPC `FailedPrecondition` status whose metadata the client drops,
/// so it is recognised by the server's message (`RpcExceptions.WrongExpectedVersion`:
/// "Delete failed due to WrongExpectedVersion. Stream: s, Expected version: n, Actual
/// version: m"). A tombstoned stream is `ResourceDeleted` (the `stream-deleted` metadata).
pub(super) fn write_error(
    stream: &str,
    expected: ExpectedVersion,
    e: kurrentdb::Error,
) -> StoreError {
    let wrong = |actual| StoreError::WrongExpectedVersion {
        stream: stream.to_owned(),
        expected,
        actual,
    };
    match e {
        kurrentdb::Error::WrongExpectedVersion { current, .. } => wrong(match current {
            CurrentRevision::Current(v) => Some(v),
            CurrentRevision::NoStream => None,
        }),
        kurrentdb::Error::Grpc {
            code: Code::FailedPrecondition,
            ref message,
        } if message.contains("WrongExpectedVersion") => wrong(actual_version_in(message)),
        other => read_error(stream, other),
    }
}

/// The port's error for a failed read of `stream` (or a write that hit the same condition).
pub(super) fn read_error(stream: &str, e: kurrentdb::Error) -> StoreError {
    match e {
        kurrentdb::Error::ResourceDeleted => StoreError::StreamDeleted(stream.to_owned()),
        other => StoreError::Kurrent(other),
    }
}

/// "Actual version: m" of the server's message: `None` for -1 (no stream) or when absent.
fn actual_version_in(message: &str) -> Option<u64> {
    let (_, rest) = message.split_once("Actual version:")?;
    let digits: String = rest
        .trim_start()
        .chars()
        .take_while(|c| c.is_ascii_digit() || *c == '-')
        .collect();
    digits
        .parse::<i64>()
        .ok()
        .and_then(|v| u64::try_from(v).ok())
}

/// Whether the same request may succeed when sent again: the node is not (or no longer)
/// the leader, is not ready or too busy, an election is running, the request's deadline
/// passed, or the server timed out committing it. A write that may have been stored is
/// sent again unchanged (same event ids, same expected version), which the server and
/// `append` recognise (see `append.rs`).
pub(super) fn is_transient(e: &kurrentdb::Error) -> bool {
    match e {
        // The client reconnects to the leader it names.
        kurrentdb::Error::NotLeaderException(_)
        // Unavailable (not ready, too busy), Unknown (no leader info during an election),
        // Internal: the client starts a new node selection on these.
        | kurrentdb::Error::ServerError(_)
        | kurrentdb::Error::DeadlineExceeded
        // Discovery found no node (yet), or the connection broke; after either the client
        // has given up and is replaced (`connection.rs`).
        | kurrentdb::Error::GrpcConnectionError(_)
        | kurrentdb::Error::ConnectionClosed => true,
        // The server's own commit/prepare/forward timeout (`RpcExceptions.Timeout`).
        kurrentdb::Error::Grpc { code, message } => {
            *code == Code::Aborted && message.starts_with("Operation timed out")
                || *code == Code::Unavailable
                || *code == Code::DeadlineExceeded
        }
        _ => false,
    }
}

/// The client's parse error without the connection string's password: the client puts the
/// whole string in its message when the URL itself does not parse.
pub(super) fn connection_string_error(url: &str, e: &ClientSettingsParseError) -> StoreError {
    let mut message = e.message().to_owned();
    if let Some(password) = password_of(url) {
        message = message.replace(password, "***");
    }
    let detail = e.error().map(|e| format!(" ({e})")).unwrap_or_default();
    StoreError::InvalidConnectionString(format!("{message}{detail}"))
}

/// The password of `esdb://user:password@host...`, as written (percent-encoded or not).
pub(super) fn password_of(url: &str) -> Option<&str> {
    let (_, rest) = url.split_once("://")?;
    let authority = rest.split('?').next().unwrap_or(rest);
    let (userinfo, _) = authority.rsplit_once('@')?;
    let (_, password) = userinfo.split_once(':')?;
    (!password.is_empty()).then_some(password)
}

#[cfg(test)]
mod tests {
    use super::*;
    use kurrentdb::{Endpoint, GrpcConnectionError, StreamState};

    fn grpc(code: Code, message: &str) -> kurrentdb::Error {
        kurrentdb::Error::Grpc {
            code,
            message: message.into(),
        }
    }

    #[test]
    fn an_appends_wrong_expected_version_carries_the_current_revision() {
        let e = kurrentdb::Error::WrongExpectedVersion {
            expected: StreamState::StreamRevision(1),
            current: CurrentRevision::Current(4),
        };
        let mapped = write_error("zaak-1", ExpectedVersion::Exact(1), e);
        assert!(
            matches!(mapped, StoreError::WrongExpectedVersion { actual: Some(4), expected: ExpectedVersion::Exact(1), ref stream } if stream == "zaak-1"),
            "{mapped:?}"
        );
        let e = kurrentdb::Error::WrongExpectedVersion {
            expected: StreamState::StreamExists,
            current: CurrentRevision::NoStream,
        };
        let mapped = write_error("zaak-1", ExpectedVersion::StreamExists, e);
        assert!(
            matches!(
                mapped,
                StoreError::WrongExpectedVersion { actual: None, .. }
            ),
            "{mapped:?}"
        );
    }

    /// The message of `RpcExceptions.WrongExpectedVersion("Delete", ...)` on the server.
    #[test]
    fn a_tombstones_failed_precondition_wrong_expected_version_is_a_wrong_expected_version() {
        let stale = grpc(
            Code::FailedPrecondition,
            "Delete failed due to WrongExpectedVersion. Stream: zaak-1, Expected version: 0, Actual version: 3",
        );
        let mapped = write_error("zaak-1", ExpectedVersion::Exact(0), stale);
        assert!(
            matches!(
                mapped,
                StoreError::WrongExpectedVersion {
                    actual: Some(3),
                    ..
                }
            ),
            "{mapped:?}"
        );
        let missing = grpc(
            Code::FailedPrecondition,
            "Delete failed due to WrongExpectedVersion. Stream: zaak-2, Expected version: -4, Actual version: -1",
        );
        let mapped = write_error("zaak-2", ExpectedVersion::StreamExists, missing);
        assert!(
            matches!(
                mapped,
                StoreError::WrongExpectedVersion { actual: None, .. }
            ),
            "{mapped:?}"
        );
        // Another failed precondition is not a version conflict.
        let other = grpc(
            Code::FailedPrecondition,
            "Failed to acquire lock for redaction.",
        );
        assert!(matches!(
            write_error("zaak-1", ExpectedVersion::Any, other),
            StoreError::Kurrent(_)
        ));
    }

    #[test]
    fn a_deleted_stream_is_the_ports_stream_deleted_for_reads_and_writes() {
        let read = read_error("zaak-1", kurrentdb::Error::ResourceDeleted);
        assert!(matches!(read, StoreError::StreamDeleted(ref s) if s == "zaak-1"));
        let write = write_error(
            "zaak-1",
            ExpectedVersion::Any,
            kurrentdb::Error::ResourceDeleted,
        );
        assert!(matches!(write, StoreError::StreamDeleted(ref s) if s == "zaak-1"));
    }

    #[test]
    fn leader_changes_unavailability_and_deadlines_are_transient_the_rest_is_not() {
        let not_leader = kurrentdb::Error::NotLeaderException(Endpoint {
            host: "node2".into(),
            port: 2113,
        });
        for e in [
            not_leader,
            kurrentdb::Error::ServerError(
                "status: Unavailable, message: \"Server Is Not Ready\"".into(),
            ),
            kurrentdb::Error::DeadlineExceeded,
            kurrentdb::Error::GrpcConnectionError(GrpcConnectionError::MaxDiscoveryAttemptReached(
                3,
            )),
            kurrentdb::Error::ConnectionClosed,
            grpc(Code::Aborted, "Operation timed out: Commit phase timeout."),
        ] {
            assert!(is_transient(&e), "{e:?}");
        }
        for e in [
            kurrentdb::Error::ResourceDeleted,
            kurrentdb::Error::AccessDenied,
            kurrentdb::Error::ResourceNotFound,
            kurrentdb::Error::WrongExpectedVersion {
                expected: StreamState::NoStream,
                current: CurrentRevision::Current(0),
            },
            grpc(
                Code::FailedPrecondition,
                "Delete failed due to WrongExpectedVersion.",
            ),
            grpc(
                Code::InvalidArgument,
                "Maximum Append Size of 1048576 Exceeded.",
            ),
        ] {
            assert!(!is_transient(&e), "{e:?}");
        }
    }

    #[test]
    fn a_connection_string_error_never_shows_the_password() {
        for url in [
            "esdb://admin:s3cr3t@localhost:notaport?tls=false",
            "esdb://admin:s3cr3t@node1:2113,node2:x,node3:2113?tls=true",
            "kurrentdb://admin:s3cr3t@node1:2113?tls=maybe",
        ] {
            let parsed: Result<kurrentdb::ClientSettings, _> = url.parse();
            let e = parsed.expect_err(url);
            let shown = connection_string_error(url, &e).to_string();
            assert!(!shown.contains("s3cr3t"), "{shown}");
            assert!(
                shown.starts_with("invalid KurrentDB connection string"),
                "{shown}"
            );
        }
        assert_eq!(
            password_of("esdb://u:p%40ss@h:2113?tls=false"),
            Some("p%40ss")
        );
        assert_eq!(password_of("esdb://h:2113?tls=false"), None);
        assert_eq!(password_of("esdb://u@h:2113"), None);
    }
}

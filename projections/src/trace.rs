//! W3C trace context across the log. A traced request's `traceparent` is stored in the
//! envelope of every event it writes (`commands::Context`); the subscribers that act on those
//! events start their spans in that trace (a batch of several traces links to each), and
//! what they send on (NATS messages, webhook POSTs) carries the `traceparent` of their own
//! span. Spans are recorded only when an OpenTelemetry layer is installed (the binary does so
//! when an OTLP endpoint is configured); without one these functions look at a disabled span
//! and return, and a `traceparent` that arrives is passed on unchanged.

use std::collections::HashMap;

use opentelemetry::propagation::TextMapPropagator;
use opentelemetry::trace::TraceContextExt;
use opentelemetry_sdk::propagation::TraceContextPropagator;
use tracing::Span;
use tracing_opentelemetry::OpenTelemetrySpanExt;

/// The W3C header (and NATS header) that carries the trace context.
pub const TRACEPARENT: &str = "traceparent";
/// The W3C header with vendor-specific trace state, carried along with `traceparent`.
pub const TRACESTATE: &str = "tracestate";

/// How many distinct traces a span of a batch links to at most (a catch-up batch may hold
/// events of hundreds of requests).
pub const MAX_LINKS: usize = 32;

/// The `traceparent` of `span`, when OpenTelemetry records it.
pub fn traceparent(span: &Span) -> Option<String> {
    if span.is_disabled() {
        return None;
    }
    of(&span.context())
}

/// The `traceparent` of the innermost span OpenTelemetry records around the caller (spans
/// only the logs see, with RUST_LOG=debug, are passed over): what a write stores in its
/// events' envelopes.
pub fn current() -> Option<String> {
    of(&opentelemetry::Context::current())
}

fn of(cx: &opentelemetry::Context) -> Option<String> {
    if !cx.span().span_context().is_valid() {
        return None;
    }
    let mut carrier = HashMap::with_capacity(2);
    TraceContextPropagator::new().inject_context(cx, &mut carrier);
    carrier.remove(TRACEPARENT)
}

/// What to send on: the `traceparent` of `span` when OpenTelemetry records it, otherwise the
/// one `received`, unchanged (as a participant that records nothing passes it on).
pub fn outgoing(span: &Span, received: Option<&str>) -> Option<String> {
    traceparent(span).or_else(|| received.map(str::to_owned))
}

/// Makes `span` (not entered yet) a child of the span `traceparent` names. A malformed or
/// absent `traceparent` leaves it the root of a trace of its own.
pub fn set_parent(span: &Span, traceparent: Option<&str>, tracestate: Option<&str>) {
    if span.is_disabled() {
        return;
    }
    if let Some(cx) = traceparent.and_then(|tp| remote(tp, tracestate)) {
        // Fails only when no OpenTelemetry layer records the span: nothing to join then.
        let _ = span.set_parent(cx);
    }
}

/// Puts the span of a batch (not entered yet) in the traces of its events' `traceparents`: a
/// child of their span when they all name the same one (a request's events), otherwise
/// linked to each (at most [`MAX_LINKS`]).
pub fn follow<'a>(span: &Span, traceparents: impl IntoIterator<Item = &'a str>) {
    if span.is_disabled() {
        return;
    }
    let mut distinct: Vec<&str> = Vec::new();
    for tp in traceparents {
        if !distinct.contains(&tp) {
            distinct.push(tp);
            if distinct.len() > MAX_LINKS {
                break;
            }
        }
    }
    match distinct.as_slice() {
        [] => {}
        [one] => set_parent(span, Some(one), None),
        many => {
            for tp in many.iter().take(MAX_LINKS) {
                if let Some(cx) = remote(tp, None) {
                    span.add_link(cx.span().span_context().clone());
                }
            }
        }
    }
}

/// The remote span a `traceparent` (with its `tracestate`) names; `None` when malformed.
fn remote(traceparent: &str, tracestate: Option<&str>) -> Option<opentelemetry::Context> {
    let mut carrier = HashMap::with_capacity(2);
    carrier.insert(TRACEPARENT.to_owned(), traceparent.to_owned());
    if let Some(state) = tracestate {
        carrier.insert(TRACESTATE.to_owned(), state.to_owned());
    }
    let cx = TraceContextPropagator::new().extract(&carrier);
    let valid = cx.span().span_context().is_valid();
    valid.then_some(cx)
}

#[cfg(test)]
mod tests {
    use std::sync::{Arc, Mutex};

    use opentelemetry::trace::{SpanId, TraceId, TracerProvider as _};
    use opentelemetry_sdk::error::OTelSdkResult;
    use opentelemetry_sdk::trace::{SdkTracerProvider, SpanData, SpanExporter};
    use tracing_subscriber::filter::filter_fn;
    use tracing_subscriber::layer::SubscriberExt;
    use tracing_subscriber::Layer;

    use super::*;

    const CALLER: &str = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
    const OTHER: &str = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";

    /// Keeps what the SDK exports.
    #[derive(Debug, Clone, Default)]
    struct Collect(Arc<Mutex<Vec<SpanData>>>);

    impl SpanExporter for Collect {
        async fn export(&self, batch: Vec<SpanData>) -> OTelSdkResult {
            self.0.lock().unwrap().extend(batch);
            Ok(())
        }
    }

    /// Runs `f` with an OpenTelemetry layer recording every span; returns what it exported.
    fn traced(f: impl FnOnce()) -> Vec<SpanData> {
        let spans = Collect::default();
        let provider = SdkTracerProvider::builder()
            .with_simple_exporter(spans.clone())
            .build();
        // OpenTelemetry records all but target `elsewhere`; a log layer sees everything.
        let layer = tracing_opentelemetry::layer()
            .with_tracer(provider.tracer("test"))
            .with_filter(filter_fn(|m| m.target() != "elsewhere"));
        let logs = tracing_subscriber::fmt::layer().with_writer(std::io::sink);
        let subscriber = tracing_subscriber::registry().with(layer).with(logs);
        tracing::subscriber::with_default(subscriber, f);
        provider.shutdown().unwrap();
        let exported = spans.0.lock().unwrap().clone();
        exported
    }

    fn parts(traceparent: &str) -> (String, String) {
        let fields: Vec<&str> = traceparent.split('-').collect();
        (fields[1].to_owned(), fields[2].to_owned())
    }

    #[test]
    fn without_opentelemetry_nothing_is_recorded_and_a_received_traceparent_is_passed_on() {
        let span = tracing::info_span!("untraced");
        set_parent(&span, Some(CALLER), None);
        assert_eq!(traceparent(&span), None);
        assert_eq!(outgoing(&span, Some(CALLER)).as_deref(), Some(CALLER));
        assert_eq!(outgoing(&span, None), None);
    }

    #[test]
    fn a_span_given_a_traceparent_is_a_child_in_that_trace_and_passes_on_its_own() {
        let (mut sent, mut inside) = (None, None);
        let spans = traced(|| {
            let span = tracing::debug_span!("child");
            set_parent(&span, Some(CALLER), Some("congo=t61rcWkgMzE"));
            sent = outgoing(&span, Some(CALLER));
            let _entered = span.enter();
            // A span the OpenTelemetry layer does not see, as with RUST_LOG=debug.
            let _unseen = tracing::trace_span!(target: "elsewhere", "unseen").entered();
            inside = current();
        });
        let sent = sent.expect("a recorded span has a traceparent");
        assert_eq!(
            inside.as_ref(),
            Some(&sent),
            "a write inside the span stores it"
        );
        let (trace, parent) = parts(&sent);
        assert_eq!(trace, parts(CALLER).0, "the caller's trace");
        assert_ne!(parent, parts(CALLER).1, "our span, not the caller's");
        assert!(sent.ends_with("-01"), "sampled: {sent}");
        let span = &spans[0];
        assert_eq!(span.span_context.span_id().to_string(), parent);
        assert_eq!(
            span.parent_span_id,
            SpanId::from_hex(&parts(CALLER).1).unwrap()
        );
        assert_eq!(
            span.span_context.trace_state().header(),
            "congo=t61rcWkgMzE",
            "the caller's tracestate goes along"
        );
    }

    #[test]
    fn a_malformed_traceparent_leaves_the_span_a_root_of_its_own() {
        let spans = traced(|| {
            let span = tracing::debug_span!("root");
            set_parent(&span, Some("00-not-a-trace-01"), None);
            let _entered = span.enter();
        });
        assert_eq!(spans[0].parent_span_id, SpanId::INVALID);
        assert_ne!(spans[0].span_context.trace_id(), TraceId::INVALID);
    }

    #[test]
    fn a_batch_of_one_request_is_its_child_and_a_batch_of_several_links_to_each() {
        let spans = traced(|| {
            let one = tracing::debug_span!("one");
            follow(&one, [CALLER, CALLER]);
            drop(one.enter());
            let several = tracing::debug_span!("several");
            follow(&several, [CALLER, OTHER, CALLER]);
            drop(several.enter());
        });
        let by_name = |name: &str| spans.iter().find(|s| s.name == name).unwrap();
        let one = by_name("one");
        assert_eq!(
            one.span_context.trace_id(),
            TraceId::from_hex(&parts(CALLER).0).unwrap()
        );
        assert!(one.links.is_empty());
        let several = by_name("several");
        let linked: Vec<String> = several
            .links
            .iter()
            .map(|l| l.span_context.trace_id().to_string())
            .collect();
        assert_eq!(linked, [parts(CALLER).0, parts(OTHER).0]);
        assert_eq!(several.parent_span_id, SpanId::INVALID, "a root of its own");
    }
}

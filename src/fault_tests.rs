//! Pipeline tests that need crate-internal access: a `PATCH` through [`http::execute`] (no
//! public operation sends one yet), and property tests of [`url::build_url`](crate::url::build_url). The
//! public-API fault matrix is `tests/faults.rs`; `RELIABILITY.md` lists both.

use std::time::Duration;

use proptest::prelude::*;

use crate::http::{self, Body, CallOptions, RequestSpec, Response};
use crate::log::{LogEvent, Operation, RetryReason};
use crate::testing::{CaptureSink, FakeClock, MockServer, Reply};
use crate::url::Query;
use crate::{Clerk, Error, Result};

const UPDATE_USER: Operation = Operation {
    operation_id: "UpdateUser",
    http_method: "PATCH",
    path: "/users/{user_id}",
};

fn client(url: &str, timeout: Duration) -> (Clerk, CaptureSink, FakeClock) {
    let sink = CaptureSink::new();
    let clock = FakeClock::new();
    let clerk = Clerk::builder("sk_test_patch")
        .server_url(url)
        .timeout(timeout)
        .clock(clock.clone())
        .jitter_seed(5)
        .log_sink(sink.clone())
        .build()
        .expect("the test client builds");
    (clerk, sink, clock)
}

/// `PATCH /users/user_1` with a JSON body, as a generated `users().update(..)` will send it.
fn patch(clerk: &Clerk) -> Result<Response> {
    let options = CallOptions::default();
    http::execute(
        &clerk.inner,
        RequestSpec {
            op: UPDATE_USER,
            path_params: &["user_1"],
            query: Query::new(),
            body: Body::json(&serde_json::json!({ "first_name": "Ada" }))?,
            options: &options,
        },
    )
}

fn gave_up(sink: &CaptureSink) -> Vec<(u32, RetryReason)> {
    sink.events()
        .iter()
        .filter_map(|e| match e {
            LogEvent::GaveUp {
                attempts, reason, ..
            } => Some((*attempts, *reason)),
            _ => None,
        })
        .collect()
}

/// Every failure after which the server may have applied the update: one request, no wait.
#[test]
fn a_patch_the_server_may_have_applied_is_sent_exactly_once() {
    let faults = [
        (
            "500",
            Reply::json(500, r#"{"errors":[{"code":"x","message":"oops"}]}"#),
        ),
        ("503", Reply::status(503).header("Retry-After", "1")),
        ("502 html", Reply::bytes(502, "<html>Bad Gateway</html>")),
        (
            "reset before response",
            Reply::status(200).reset_before_response(),
        ),
        (
            "reset mid headers",
            Reply::json(200, "{}").reset_mid_headers(),
        ),
        (
            "reset mid body",
            Reply::json(200, r#"{"id":"user_1"}"#).reset_mid_body(),
        ),
        (
            "closed mid body",
            Reply::json(200, r#"{"id":"user_1"}"#).close_mid_body(),
        ),
        ("never answers", Reply::status(200).never_respond()),
        (
            "headers never finish",
            Reply::json(200, "{}").stall_mid_headers(),
        ),
    ];
    for (name, fault) in faults {
        let mock = MockServer::start();
        mock.on("PATCH", "/users/user_1")
            .reply(fault)
            .reply(Reply::json(200, r#"{"id":"user_1"}"#));
        let (clerk, sink, clock) = client(&mock.url(), Duration::from_millis(300));
        let err = match patch(&clerk) {
            Ok(r) => panic!("{name}: succeeded with {}", r.status),
            Err(e) => e,
        };
        assert!(
            matches!(err, Error::Api(_) | Error::Transport(_) | Error::Timeout(_)),
            "{name}: {err:?}"
        );
        assert_eq!(mock.request_count(), 1, "{name}: sent twice");
        assert_eq!(
            mock.requests()[0].body_json()["first_name"],
            "Ada",
            "{name}"
        );
        assert!(clock.sleeps().is_empty(), "{name}: {:?}", clock.sleeps());
        assert_eq!(gave_up(&sink), [(1, RetryReason::NotIdempotent)], "{name}");
    }
}

/// A PATCH is retried like every method when the server certainly did nothing: `429`, and a
/// connection that was never made.
#[test]
fn a_patch_is_retried_when_nothing_was_applied() {
    let mock = MockServer::start();
    mock.on("PATCH", "/users/user_1")
        .reply(Reply::status(429).header("Retry-After", "2"))
        .reply(Reply::json(200, r#"{"id":"user_1"}"#));
    let (clerk, _sink, clock) = client(&mock.url(), Duration::from_secs(5));
    let response = patch(&clerk).expect("the retry succeeds");
    assert_eq!(response.status, 200);
    assert_eq!(mock.request_count(), 2);
    assert_eq!(clock.sleeps(), [Duration::from_secs(2)]);
    let requests = mock.requests();
    assert_eq!(
        requests[0].body, requests[1].body,
        "the same body is resent"
    );

    let refused = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
        let port = listener.local_addr().expect("addr").port();
        format!("http://127.0.0.1:{port}")
    };
    let (clerk, sink, _clock) = client(&refused, Duration::from_secs(5));
    let err = match patch(&clerk) {
        Ok(r) => panic!("nobody listens, yet {}", r.status),
        Err(e) => e,
    };
    assert!(matches!(err, Error::Transport(_)), "{err:?}");
    assert_eq!(gave_up(&sink), [(4, RetryReason::RetriesExhausted)]);
}

// ---------------------------------------------------------------------------
// Properties of the URL encoding
// ---------------------------------------------------------------------------

/// Strict percent-decoding (`%XX` only; `+` is a plus), as a server decodes a path segment.
fn percent_decode(s: &str) -> Vec<u8> {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' {
            let hex = std::str::from_utf8(&b[i + 1..i + 3]).expect("two ASCII hex digits");
            out.push(u8::from_str_radix(hex, 16).expect("hex escape"));
            i += 3;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    out
}

/// Characters chosen to hit every class the encoder distinguishes: unreserved, reserved
/// delimiters, `%`, controls (CR, LF, NUL), spaces, non-ASCII of every UTF-8 length.
fn tricky_char() -> impl Strategy<Value = char> {
    prop_oneof![
        prop::sample::select(vec![
            '/', '?', '#', '%', '&', '=', '+', ';', ':', '@', '.', '-', '_', '~', ' ', '\r', '\n',
            '\0', '\t', '\\', '"', '\'', '<', '>', '[', ']', '{', '}', '|', '^', '`',
        ]),
        prop::char::range('a', 'z'),
        prop::char::range('0', '9'),
        any::<char>(),
    ]
}

fn tricky_string(max: usize) -> impl Strategy<Value = String> {
    prop::collection::vec(tricky_char(), 0..max).prop_map(|cs| cs.into_iter().collect())
}

fn spec<'a>(params: &'a [&'a str], query: Query, o: &'a CallOptions) -> RequestSpec<'a> {
    RequestSpec {
        op: Operation {
            operation_id: "T",
            http_method: "GET",
            path: "/users/{user_id}/organizations/{organization_id}",
        },
        path_params: params,
        query,
        body: Body::Empty,
        options: o,
    }
}

const BASE: &str = "https://api.clerk.com/v1";

proptest! {
    // No regression files written into the source tree: a failure prints its minimal input.
    #![proptest_config(ProptestConfig {
        cases: 2_000,
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    /// Each path parameter is exactly one segment, and decoding it gives the input back;
    /// `""`, `.` and `..` are refused instead.
    #[test]
    fn a_path_parameter_is_one_segment_that_decodes_to_itself(
        a in tricky_string(24),
        b in tricky_string(24),
    ) {
        let o = CallOptions::default();
        let result = build_url_for(&[&a, &b], Query::new(), &o);
        let refused = |s: &str| s.is_empty() || s == "." || s == "..";
        if refused(&a) || refused(&b) {
            prop_assert!(result.is_err());
            return Ok(());
        }
        let url = result.expect("accepted");
        let path = url.strip_prefix(BASE).expect("base kept");
        prop_assert!(!path.contains(['?', '#']), "{}", path);
        let segments: Vec<&str> = path.split('/').collect();
        prop_assert_eq!(segments.len(), 5, "{}", path);
        prop_assert_eq!(segments[1], "users");
        prop_assert_eq!(segments[3], "organizations");
        prop_assert_eq!(percent_decode(segments[2]), a.as_bytes());
        prop_assert_eq!(percent_decode(segments[4]), b.as_bytes());
        // Only unreserved characters and escapes: no byte a server could read as structure.
        for s in [segments[2], segments[4]] {
            prop_assert!(s.bytes().all(|c| c.is_ascii_alphanumeric() || b"-._~%".contains(&c)), "{}", s);
        }
    }

    /// Query values (and repeated keys) decode to exactly the pairs that were added, in order.
    #[test]
    fn query_pairs_decode_to_what_was_added(
        values in prop::collection::vec(tricky_string(16), 0..6),
        single in proptest::option::of(tricky_string(16)),
    ) {
        let o = CallOptions::default();
        let mut q = Query::new();
        q.each("email_address", &values);
        q.opt("query", single.clone());
        let url = build_url_for(&["u", "o"], q, &o).expect("valid ids");
        let mut expected: Vec<(String, String)> =
            values.iter().map(|v| ("email_address".to_owned(), v.clone())).collect();
        expected.extend(single.map(|v| ("query".to_owned(), v)));
        let query = url.split_once('?').map(|(_, q)| q);
        prop_assert_eq!(query.is_some(), !expected.is_empty());
        prop_assert!(!url.contains('#'));
        let decoded: Vec<(String, String)> = query
            .unwrap_or("")
            .split('&')
            .filter(|p| !p.is_empty())
            .map(|p| {
                let (k, v) = p.split_once('=').expect("key=value");
                (
                    String::from_utf8(percent_decode(k)).expect("UTF-8"),
                    String::from_utf8(percent_decode(v)).expect("UTF-8"),
                )
            })
            .collect();
        prop_assert_eq!(decoded, expected);
    }
}

fn build_url_for(
    params: &[&str],
    query: Query,
    o: &CallOptions,
) -> std::result::Result<String, crate::InvalidRequest> {
    let s = spec(params, query, o);
    crate::url::build_url(BASE, s.op.path, s.path_params, &s.query)
}

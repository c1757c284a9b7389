//! The shared request pipeline, end to end against the loopback mock: headers, client
//! configuration checks, path and query encoding, the response size limit, and one client
//! shared by many threads.

mod common;

use std::io::Write;
use std::sync::{Arc, Barrier, Mutex};
use std::thread;
use std::time::Duration;

use clerk_backend_api::testing::{MockServer, Reply, fixtures};
use clerk_backend_api::{API_VERSION, Clerk, Error, FilePart};
use flate2::Compression;
use flate2::write::GzEncoder;
use serde_json::json;

use common::{KEY, assert_invalid, harness, harness_with, pairs};

const VERSION: &str = env!("CARGO_PKG_VERSION");

fn assert_common_headers(r: &clerk_backend_api::testing::RecordedRequest, api_version: &str) {
    let what = format!("{} {}", r.method, r.path);
    assert_eq!(
        r.header("authorization"),
        Some(format!("Bearer {KEY}").as_str()),
        "{what}"
    );
    assert_eq!(r.header("clerk-api-version"), Some(api_version), "{what}");
    assert_eq!(
        r.header("user-agent"),
        Some(format!("clerk-backend-api-rust/{VERSION}").as_str()),
        "{what}"
    );
    assert_eq!(
        r.header("x-clerk-sdk"),
        Some(format!("rust/{VERSION}").as_str()),
        "{what}"
    );
    // Each header exactly once: a duplicated auth header is a bug too.
    for name in [
        "authorization",
        "clerk-api-version",
        "user-agent",
        "x-clerk-sdk",
    ] {
        let n = r.headers.iter().filter(|(k, _)| k == name).count();
        assert_eq!(n, 1, "{what}: {name} sent {n} times");
    }
}

#[test]
fn every_operation_sends_the_auth_version_and_sdk_headers() {
    let mock = MockServer::start();
    mock.on("GET", "/users/user_2abc")
        .reply(Reply::json(200, fixtures::USER));
    mock.on("GET", "/users")
        .reply(Reply::json(200, fixtures::users_page(&["user_1"])));
    mock.on("POST", "/users")
        .reply(Reply::json(200, fixtures::USER));
    mock.on("DELETE", "/users/user_2abc")
        .reply(Reply::json(200, fixtures::DELETED_USER));
    mock.on("PUT", "/organizations/org_2xyz/logo")
        .reply(Reply::json(200, fixtures::ORGANIZATION_WITH_LOGO));
    let h = harness(&mock);

    h.clerk.users().get("user_2abc").send().unwrap();
    h.clerk.users().list().send().unwrap();
    h.clerk.users().create().first_name("Ada").send().unwrap();
    h.clerk.users().delete("user_2abc").send().unwrap();
    h.clerk
        .organizations()
        .upload_logo("org_2xyz", FilePart::from_bytes(vec![1, 2, 3], "l.png"))
        .send()
        .unwrap();

    let requests = mock.requests();
    assert_eq!(requests.len(), 5);
    for r in &requests {
        assert_common_headers(r, API_VERSION);
    }
    assert_eq!(API_VERSION, "2026-05-12");

    // Content types: JSON only on the JSON body, multipart on the upload, none on the rest.
    let by_method = |m: &str| requests.iter().find(|r| r.method == m).unwrap();
    assert_eq!(
        by_method("POST").header("content-type"),
        Some("application/json")
    );
    assert!(
        by_method("PUT")
            .header("content-type")
            .unwrap()
            .starts_with("multipart/form-data; boundary=")
    );
    for r in requests
        .iter()
        .filter(|r| r.method == "GET" || r.method == "DELETE")
    {
        assert_eq!(r.header("content-type"), None, "{} {}", r.method, r.path);
        assert!(r.body.is_empty(), "{} {} has a body", r.method, r.path);
    }
}

#[test]
fn a_custom_api_version_is_sent() {
    let mock = MockServer::start();
    mock.on("GET", "/users/user_2abc")
        .reply(Reply::json(200, fixtures::USER));
    let h = harness_with(&mock.url(), |b| b.api_version("2025-11-10"));
    h.clerk.users().get("user_2abc").send().unwrap();
    assert_common_headers(&mock.requests()[0], "2025-11-10");
}

#[test]
fn a_server_url_path_prefix_is_kept() {
    let mock = MockServer::start();
    mock.on("GET", "/v1/users/user_2abc")
        .reply(Reply::json(200, fixtures::USER));
    // A trailing slash must not produce `//users`.
    let h = harness_with(&format!("{}/v1/", mock.url()), |b| b);
    assert_eq!(h.clerk.server_url(), format!("{}/v1", mock.url()));
    h.clerk.users().get("user_2abc").send().unwrap();
    assert_eq!(mock.requests()[0].path, "/v1/users/user_2abc");
}

#[test]
fn an_api_version_with_cr_or_lf_is_refused_at_build() {
    for bad in ["2026-05-12\r\nX-Evil: 1", "2026\n", "\r", ""] {
        let err = Clerk::builder(KEY).api_version(bad).build().expect_err(bad);
        assert_invalid(&err);
    }
}

#[test]
fn bad_keys_are_refused_without_being_echoed() {
    let cases = [
        ("", None),
        ("pk_test_PUBLISHABLEMARKER", Some("PUBLISHABLEMARKER")),
        ("sk_test_NEWLINEMARKER\n", Some("NEWLINEMARKER")),
        ("sk_test_CRLFMARKER\r\nX-Evil: 1", Some("CRLFMARKER")),
        ("sk_test_SPACE MARKER", Some("MARKER")),
        ("SK_TEST_UPPERMARKER", Some("UPPERMARKER")),
    ];
    for (key, marker) in cases {
        let err = Clerk::builder(key).build().expect_err(key);
        assert_invalid(&err);
        let shown = format!("{err} {err:?}");
        if let Some(marker) = marker {
            assert!(!shown.contains(marker), "{key:?} echoed: {shown}");
        }
        // `Clerk::new` goes through the same check.
        assert_invalid(&Clerk::new(key).expect_err(key));
    }
}

#[test]
fn plain_http_is_refused_for_remote_hosts_unless_allowed() {
    for remote in [
        "http://api.example.com/v1",
        "http://10.0.0.5:8080",
        "http://localhost.evil.example",
        "http://127.0.0.1.nip.io",
    ] {
        let err = Clerk::builder(KEY)
            .server_url(remote)
            .build()
            .expect_err(remote);
        assert_invalid(&err);
        let clerk = Clerk::builder(KEY)
            .server_url(remote)
            .allow_insecure_http(true)
            .build()
            .unwrap_or_else(|e| panic!("{remote}: {e}"));
        assert_eq!(clerk.server_url(), remote.trim_end_matches('/'));
    }
    for local in [
        "http://127.0.0.1:9",
        "http://localhost:9/v1",
        "http://[::1]:9",
        "https://api.clerk.com/v1",
    ] {
        Clerk::builder(KEY)
            .server_url(local)
            .build()
            .unwrap_or_else(|e| panic!("{local}: {e}"));
    }
    for malformed in ["api.clerk.com", "ftp://api.clerk.com", "https://", ""] {
        let err = Clerk::builder(KEY)
            .server_url(malformed)
            .build()
            .expect_err(malformed);
        assert_invalid(&err);
    }
}

#[test]
fn path_parameters_are_encoded_as_one_segment() {
    let mock = MockServer::start();
    let cases = [
        ("../instance", "/users/..%2Finstance"),
        ("a/b?c", "/users/a%2Fb%3Fc"),
        ("100%", "/users/100%25"),
        ("é x", "/users/%C3%A9%20x"),
        ("x#frag", "/users/x%23frag"),
        ("a+b&c=d", "/users/a%2Bb%26c%3Dd"),
        ("user_2abc", "/users/user_2abc"),
    ];
    for (_, path) in cases {
        mock.on("GET", path).reply(Reply::json(200, fixtures::USER));
        mock.on("DELETE", path)
            .reply(Reply::json(200, fixtures::DELETED_USER));
    }
    let h = harness(&mock);
    for (id, _) in cases {
        h.clerk
            .users()
            .get(id)
            .send()
            .unwrap_or_else(|e| panic!("get {id:?}: {e:?}"));
        h.clerk
            .users()
            .delete(id)
            .send()
            .unwrap_or_else(|e| panic!("delete {id:?}: {e:?}"));
    }
    let requests = mock.requests();
    assert_eq!(requests.len(), cases.len() * 2);
    for (i, (id, path)) in cases.iter().enumerate() {
        for r in &requests[2 * i..2 * i + 2] {
            assert_eq!(r.path, *path, "{id:?}");
            assert_eq!(r.query, None, "{id:?} leaked into the query");
        }
    }
}

#[test]
fn empty_dot_and_dotdot_ids_are_refused_before_sending() {
    let mock = MockServer::start();
    let h = harness(&mock);
    for id in ["", ".", ".."] {
        assert_invalid(&h.clerk.users().get(id).send().expect_err(id));
        assert_invalid(&h.clerk.users().delete(id).send().expect_err(id));
        assert_invalid(
            &h.clerk
                .organizations()
                .upload_logo(id, FilePart::from_bytes(vec![1], "a.png"))
                .send()
                .expect_err(id),
        );
    }
    assert_eq!(mock.request_count(), 0);
    assert!(h.sink.events().is_empty(), "{:?}", h.sink.events());
}

#[test]
fn list_filters_are_encoded_in_the_documented_order() {
    let mock = MockServer::start();
    mock.on("GET", "/users").reply(Reply::json(200, "[]"));
    let h = harness(&mock);
    let users = h
        .clerk
        .users()
        .list()
        .user_id(["a", "b"])
        .order_by("+created_at")
        .banned(true)
        .limit(20)
        .send()
        .unwrap();
    assert!(users.is_empty());
    let r = &mock.requests()[0];
    assert_eq!(r.path, "/users");
    assert_eq!(
        r.query.as_deref(),
        Some("user_id=a&user_id=b&banned=true&limit=20&order_by=%2Bcreated_at")
    );
    assert_eq!(
        r.query_pairs(),
        pairs(&[
            ("user_id", "a"),
            ("user_id", "b"),
            ("banned", "true"),
            ("limit", "20"),
            ("order_by", "+created_at"),
        ])
    );
}

#[test]
fn query_values_with_reserved_characters_round_trip() {
    let mock = MockServer::start();
    mock.on("GET", "/users").reply(Reply::json(200, "[]"));
    let h = harness(&mock);
    h.clerk
        .users()
        .list()
        .email_address(["a+b@example.com", "c&d=e@example.com"])
        .query("Ada Lovelace #1 100%")
        .external_id(["-ext/1"])
        .banned(false)
        .created_at_after(1_700_000_000_000)
        .offset(40)
        .send()
        .unwrap();
    let r = &mock.requests()[0];
    let q = r.query.as_deref().unwrap();
    // No raw reserved characters in the query values: every `&` and `=` is structural.
    assert_eq!(q.matches('&').count(), 6, "{q}");
    assert_eq!(q.matches('=').count(), 7, "{q}");
    assert!(
        !q.contains('+') && !q.contains(' ') && !q.contains('#'),
        "{q}"
    );
    assert_eq!(
        r.query_pairs(),
        pairs(&[
            ("email_address", "a+b@example.com"),
            ("email_address", "c&d=e@example.com"),
            ("external_id", "-ext/1"),
            ("query", "Ada Lovelace #1 100%"),
            ("banned", "false"),
            ("created_at_after", "1700000000000"),
            ("offset", "40"),
        ])
    );
}

#[test]
fn a_repeated_setter_replaces_the_earlier_value() {
    let mock = MockServer::start();
    mock.on("GET", "/users").reply(Reply::json(200, "[]"));
    let h = harness(&mock);
    h.clerk
        .users()
        .list()
        .user_id(["a", "b"])
        .user_id(["c"])
        .limit(5)
        .limit(7)
        .send()
        .unwrap();
    assert_eq!(
        mock.requests()[0].query_pairs(),
        pairs(&[("user_id", "c"), ("limit", "7")])
    );
}

#[test]
fn limit_out_of_range_is_refused_before_sending() {
    let mock = MockServer::start();
    mock.on("GET", "/users").reply(Reply::json(200, "[]"));
    let h = harness(&mock);
    for bad in [0, 501, i64::MAX, -1] {
        let err = h.clerk.users().list().limit(bad).send().expect_err("limit");
        assert_invalid(&err);
        // paginate checks it too, on the first page, without sending.
        let mut pages = h.clerk.users().list().limit(bad).paginate();
        assert_invalid(&pages.next().unwrap().expect_err("paginate"));
        assert!(pages.next().is_none(), "the paginator ends after an error");
    }
    assert_eq!(mock.request_count(), 0);
    for ok in [1, 500] {
        h.clerk.users().list().limit(ok).send().unwrap();
    }
    assert_eq!(mock.request_count(), 2);
}

#[test]
fn a_body_over_the_size_limit_is_a_decode_error() {
    let mock = MockServer::start();
    let big = json!({ "id": "user_1", "padding": "x".repeat(5000) }).to_string();
    mock.on("GET", "/users/user_1")
        .reply(Reply::json(200, big.clone()));
    let h = harness_with(&mock.url(), |b| b.max_response_bytes(1000));
    let err = h.clerk.users().get("user_1").send().expect_err("too large");
    match &err {
        Error::Decode(d) => {
            assert!(d.is_too_large(), "{d:?}");
            assert_eq!(d.status(), Some(200));
            assert_eq!(d.operation(), "GetUser");
            assert!(d.body().len() <= 1000);
        }
        other => panic!("expected Decode, got {other:?}"),
    }
    assert!(!err.is_retryable());
    // Not retried: a too-large body will be too large again.
    assert_eq!(mock.request_count(), 1);

    // The same limit applies to error bodies: no unbounded read for a 500 either.
    mock.on("GET", "/users/user_2").reply(Reply::json(500, big));
    let err = h
        .clerk
        .users()
        .get("user_2")
        .no_retries()
        .send()
        .expect_err("too large");
    assert!(
        matches!(&err, Error::Decode(d) if d.is_too_large()),
        "{err:?}"
    );

    // A body just under the limit is fine.
    let small = fixtures::user_with_id("user_3");
    mock.on("GET", "/users/user_3")
        .reply(Reply::json(200, small.clone()));
    let h = harness_with(&mock.url(), |b| b.max_response_bytes(small.len() as u64));
    assert_eq!(h.clerk.users().get("user_3").send().unwrap().id, "user_3");
}

/// 4 threads × 50 calls through clones of one client: every call succeeds with the same
/// credentials and connections are pooled (far fewer than one per call). The tight bound
/// (≤ 8) is asserted with overlapping calls by `clones_share_one_pool_with_the_default_agent`.
#[test]
fn one_client_shared_by_threads_all_calls_succeed() {
    let mock = MockServer::start();
    mock.on("GET", "/users/user_2abc")
        .reply(Reply::json(200, fixtures::USER));
    let h = harness(&mock);
    let workers: Vec<_> = (0..4)
        .map(|_| {
            let clerk = h.clerk.clone();
            thread::spawn(move || {
                for _ in 0..50 {
                    let user = clerk.users().get("user_2abc").send().expect("get");
                    assert_eq!(user.id, "user_2abc");
                }
            })
        })
        .collect();
    for w in workers {
        w.join().expect("worker panicked");
    }
    assert_eq!(mock.request_count(), 200);
    assert!(
        mock.requests()
            .iter()
            .all(|r| r.header("authorization") == Some(&format!("Bearer {KEY}")[..]))
    );
    let connections = mock.connection_count();
    assert!(
        connections <= 40,
        "{connections} connections for 200 calls from 4 threads: not pooled"
    );
}

/// `ureq` 3 looks the host up before every request (the client keeps no DNS cache): a server
/// addressed by name, here `localhost`, is found every time, and sequential calls still share
/// one pooled connection.
#[test]
fn a_server_addressed_by_name_serves_every_call_over_one_pooled_connection() {
    let mock = MockServer::start();
    mock.on("GET", "/users/user_2abc")
        .reply(Reply::json(200, fixtures::USER));
    let h = harness_with(&format!("http://localhost:{}", mock.addr().port()), |b| b);
    for _ in 0..20 {
        let user = h.clerk.users().get("user_2abc").send().expect("get");
        assert_eq!(user.id, "user_2abc");
    }
    assert_eq!(mock.request_count(), 20);
    assert_eq!(mock.connection_count(), 1, "not pooled");
}

/// Rounds of 4 calls that are in flight at the same time (a barrier, and a reply delay so
/// they overlap), through clones of `clerk`. Returns the connections the mock accepted.
fn overlapping_rounds(clerk: &Clerk, mock: &MockServer, rounds: usize) -> usize {
    let barrier = Arc::new(Barrier::new(4));
    let workers: Vec<_> = (0..4)
        .map(|_| {
            let clerk = clerk.clone();
            let barrier = barrier.clone();
            thread::spawn(move || {
                for _ in 0..rounds {
                    barrier.wait();
                    let user = clerk.users().get("user_2abc").send().expect("get");
                    assert_eq!(user.id, "user_2abc");
                }
            })
        })
        .collect();
    for w in workers {
        w.join().expect("worker panicked");
    }
    assert_eq!(mock.request_count(), 4 * rounds);
    mock.connection_count()
}

fn delayed_user_mock() -> MockServer {
    let mock = MockServer::start();
    mock.on("GET", "/users/user_2abc")
        .reply(Reply::json(200, fixtures::USER).delay(Duration::from_millis(30)));
    mock
}

/// Clones of a client built with the default agent share one pool with room for the threads:
/// 10 rounds of 4 overlapping calls open at most 8 connections (one per call would be 40).
#[test]
fn clones_share_one_pool_with_the_default_agent() {
    let mock = delayed_user_mock();
    let h = harness(&mock);
    let connections = overlapping_rounds(&h.clerk, &mock, 10);
    assert!(connections <= 8, "{connections} connections for 4 threads");
}

#[test]
fn the_default_server_is_clerks_production_api() {
    let clerk = Clerk::new(KEY).unwrap();
    assert_eq!(clerk.server_url(), "https://api.clerk.com/v1");
    assert_eq!(clerk_backend_api::DEFAULT_SERVER_URL, clerk.server_url());
}

// ---------------------------------------------------------------------------
// Logging
// ---------------------------------------------------------------------------

#[test]
fn a_closure_is_a_log_sink() {
    let mock = MockServer::start();
    mock.on("GET", "/users/u")
        .reply(Reply::json(200, fixtures::USER));
    let lines = Arc::new(Mutex::new(Vec::<String>::new()));
    let seen = lines.clone();
    let clerk = Clerk::builder("sk_test_closure")
        .server_url(mock.url())
        .log_sink(move |e: &clerk_backend_api::log::LogEvent| {
            seen.lock().unwrap().push(e.to_string())
        })
        .build()
        .unwrap();
    clerk.users().get("u").send().unwrap();
    let lines = lines.lock().unwrap();
    assert_eq!(lines.len(), 2, "{lines:?}");
    assert!(
        lines[0].contains("GetUser GET /users/{user_id} attempt 1"),
        "{lines:?}"
    );
    assert!(lines[1].contains(": 200 in "), "{lines:?}");
}

// ---------------------------------------------------------------------------
// A caller's own agent
// ---------------------------------------------------------------------------

#[test]
fn a_custom_agent_still_gets_error_bodies_and_timeouts() {
    let mock = MockServer::start();
    mock.on("GET", "/users/missing")
        .reply(Reply::json(404, fixtures::ERROR_NOT_FOUND));
    mock.on("GET", "/users/slow")
        .reply(Reply::status(200).never_respond());
    // ureq's defaults: 4xx/5xx as errors, no timeouts at all.
    let agent = ureq::Agent::new_with_defaults();
    let h = harness_with(&mock.url(), |b| {
        b.agent(agent).timeout(Duration::from_millis(300))
    });
    let err = h.clerk.users().get("missing").send().unwrap_err();
    assert_eq!(err.status(), Some(404));
    assert_eq!(err.code(), Some("resource_not_found"));
    assert_eq!(
        err.api_error().unwrap().errors()[0].long_message,
        "User not found"
    );

    let started = std::time::Instant::now();
    let err = h.clerk.users().get("slow").no_retries().send().unwrap_err();
    assert!(matches!(err, Error::Timeout(_)), "{err:?}");
    assert!(started.elapsed() < common::REAL_TIME_BOUND);
    assert_common_headers(&mock.requests()[0], API_VERSION);
}

// ---------------------------------------------------------------------------
// Compressed responses (gzip is on): decoded, and bounded after decompression
// ---------------------------------------------------------------------------

/// `data` gzip-compressed by flate2 (an independent encoder).
fn gzip(data: &[u8]) -> Vec<u8> {
    let mut encoder = GzEncoder::new(Vec::new(), Compression::default());
    encoder.write_all(data).expect("gzip into a Vec");
    encoder.finish().expect("gzip into a Vec")
}

#[test]
fn a_gzip_response_is_decoded() {
    let mock = MockServer::start();
    mock.on("GET", "/users/user_2abc").reply(
        Reply::bytes(200, gzip(fixtures::USER.as_bytes()))
            .header("Content-Type", "application/json")
            .header("Content-Encoding", "gzip"),
    );
    let h = harness(&mock);
    let user = h.clerk.users().get("user_2abc").send().unwrap();
    assert_eq!(user.id, "user_2abc");
    assert_eq!(user.first_name.as_deref(), Some("Jane"));
    assert_eq!(mock.requests()[0].header("accept-encoding"), Some("gzip"));
}

#[test]
fn a_gzip_bomb_is_stopped_by_the_size_limit() {
    let mock = MockServer::start();
    // `[` then 4 MiB of spaces: a few KiB on the wire, well under the 64 KiB limit, so only
    // the decompressed size can trip it.
    let mut plain = vec![b' '; 4 * 1024 * 1024];
    plain[0] = b'[';
    let bomb = gzip(&plain);
    assert!(bomb.len() < 64 * 1024, "{}", bomb.len());
    mock.on("GET", "/users").reply(
        Reply::bytes(200, bomb)
            .header("Content-Type", "application/json")
            .header("Content-Encoding", "gzip"),
    );
    let h = harness_with(&mock.url(), |b| b.max_response_bytes(64 * 1024));
    let err = h.clerk.users().list().send().unwrap_err();
    assert!(
        matches!(&err, Error::Decode(d) if d.is_too_large()),
        "{err:?}"
    );
    assert_eq!(mock.request_count(), 1);
}

#[test]
fn a_corrupt_gzip_body_is_a_decode_error_and_not_retried() {
    let mock = MockServer::start();
    let mut corrupt = gzip(fixtures::USER.as_bytes());
    let n = corrupt.len();
    corrupt[n / 2..].fill(0xff);
    mock.on("GET", "/users/user_2abc").reply(
        Reply::bytes(200, corrupt)
            .header("Content-Type", "application/json")
            .header("Content-Encoding", "gzip"),
    );
    let h = harness(&mock);
    let err = h.clerk.users().get("user_2abc").send().unwrap_err();
    assert!(
        matches!(&err, Error::Decode(d) if !d.is_too_large()),
        "{err:?}"
    );
    assert_eq!(err.status(), Some(200));
    assert_eq!(mock.request_count(), 1);
}

// ---------------------------------------------------------------------------
// Per-call and per-client settings: headers, deadline, idempotent writes
// ---------------------------------------------------------------------------

#[test]
fn custom_headers_per_client_and_per_call() {
    let mock = MockServer::start();
    mock.on("GET", "/users/user_1")
        .reply(Reply::json(200, fixtures::USER));
    let h = harness_with(&mock.url(), |b| {
        b.default_header("X-Team", "growth")
            .default_header("X-Request-Source", "cron")
    });
    h.clerk
        .users()
        .get("user_1")
        .header("X-Request-Source", "support-tool")
        .header("Idempotency-Key", "k-1")
        .send()
        .unwrap();
    let r = &mock.requests()[0];
    assert_eq!(r.header("x-team"), Some("growth"));
    // The call's own value replaces the client's default, once.
    assert_eq!(r.header("x-request-source"), Some("support-tool"));
    assert_eq!(
        r.headers
            .iter()
            .filter(|(k, _)| k == "x-request-source")
            .count(),
        1
    );
    assert_eq!(r.header("idempotency-key"), Some("k-1"));
    assert_common_headers(r, API_VERSION);
}

#[test]
fn custom_headers_cannot_replace_the_sdks_or_smuggle_lines() {
    let mock = MockServer::start();
    mock.on("GET", "/users/user_1")
        .reply(Reply::json(200, fixtures::USER));
    let h = harness(&mock);
    for (name, value) in [
        ("Authorization", "Bearer sk_live_other"),
        ("authorization", "x"),
        ("Clerk-API-Version", "2021-02-05"),
        ("User-Agent", "other"),
        ("X-Clerk-SDK", "other"),
        ("Content-Length", "0"),
        ("Host", "evil.example"),
        ("X-Ok", "line\r\nAuthorization: Bearer sk_live_smuggled"),
        ("X-Ok", "tab\u{7}bell"),
        ("Bad Name", "v"),
        ("", "v"),
    ] {
        let err = h
            .clerk
            .users()
            .get("user_1")
            .header(name, value)
            .send()
            .unwrap_err();
        assert_invalid(&err);
        // The message may name the header, never its value.
        let text = format!("{err} {err:?}");
        assert!(!text.contains("sk_live"), "{text}");
        assert!(!text.contains("bell"), "{text}");
    }
    assert_eq!(mock.request_count(), 0);
    // The same rules for client defaults, at build.
    for (name, value) in [("authorization", "x"), ("X-Ok", "a\nb")] {
        let err = Clerk::builder(KEY)
            .server_url(mock.url())
            .default_header(name, value)
            .build()
            .unwrap_err();
        assert_invalid(&err);
    }
}

#[test]
fn a_per_call_deadline_overrides_the_clients() {
    let mock = MockServer::start();
    mock.on("GET", "/users/user_1")
        .reply(Reply::json(503, "{}").header("Retry-After", "5"))
        .reply(Reply::json(503, "{}").header("Retry-After", "5"))
        .reply(Reply::json(200, fixtures::USER));
    // The client allows a minute; this call allows 2 s: the 5 s wait Clerk asks for would
    // pass it (waits are on the fake clock).
    let h = harness_with(&mock.url(), |b| b.deadline(Duration::from_secs(60)));
    let err = h
        .clerk
        .users()
        .get("user_1")
        .deadline(Duration::from_secs(2))
        .send()
        .unwrap_err();
    assert!(err.is_deadline(), "{err:?}");
    assert_eq!(err.status(), Some(503));
    assert_eq!(mock.request_count(), 1);
    // Without the override the client's deadline leaves room to retry.
    h.clerk.users().get("user_1").send().unwrap();
    assert_eq!(mock.request_count(), 3);
}

#[test]
fn a_write_marked_idempotent_is_retried_like_a_get() {
    let mock = MockServer::start();
    mock.on("PATCH", "/users/user_1")
        .reply(Reply::json(503, "{}"))
        .reply(Reply::json(200, fixtures::USER));
    let h = harness(&mock);
    let err = h
        .clerk
        .users()
        .update("user_1")
        .first_name("A")
        .send()
        .unwrap_err();
    assert_eq!(err.status(), Some(503));
    assert_eq!(mock.request_count(), 1, "a plain write is sent once");
    mock.reset();
    mock.on("PATCH", "/users/user_1")
        .reply(Reply::json(503, "{}"))
        .reply(Reply::json(200, fixtures::USER));
    h.clerk
        .users()
        .update("user_1")
        .first_name("A")
        .idempotent()
        .send()
        .unwrap();
    assert_eq!(mock.request_count(), 2);
}

#[test]
fn retry_statuses_are_configurable_and_writes_stay_safe() {
    use clerk_backend_api::RetryPolicy;
    let mock = MockServer::start();
    mock.on("GET", "/users/a")
        .reply(Reply::json(500, "{}"))
        .reply(Reply::json(200, fixtures::USER));
    mock.on("GET", "/users/b")
        .reply(Reply::json(502, "{}"))
        .reply(Reply::json(200, fixtures::USER));
    mock.on("GET", "/users/c")
        .reply(Reply::json(409, "{}"))
        .reply(Reply::json(200, fixtures::USER));
    mock.on("POST", "/users")
        .reply(Reply::json(409, "{}"))
        .reply(Reply::json(409, "{}"))
        .reply(Reply::json(200, fixtures::USER));
    let policy = RetryPolicy::default().with_retry_statuses([429, 409, 502]);
    let h = harness_with(&mock.url(), |b| b.retry_policy(policy));
    assert_eq!(
        h.clerk.users().get("a").send().unwrap_err().status(),
        Some(500)
    );
    h.clerk.users().get("b").send().unwrap();
    h.clerk.users().get("c").send().unwrap();
    // A write is not repeated for a configured status unless marked idempotent.
    assert_eq!(
        h.clerk.users().create().send().unwrap_err().status(),
        Some(409)
    );
    h.clerk.users().create().idempotent().send().unwrap();
    let count = |path: &str| mock.requests().iter().filter(|r| r.path == path).count();
    assert_eq!(
        (count("/users/a"), count("/users/b"), count("/users/c")),
        (1, 2, 2)
    );
    assert_eq!(count("/users"), 3);
    // The default policy is unchanged: 429 and every 5xx.
    let default = RetryPolicy::default().retry_statuses;
    assert!(default.contains(429) && default.contains(500) && default.contains(599));
    assert!(!default.contains(409) && !default.contains(408));
}

#[test]
fn api_errors_keep_the_response_headers_redacted() {
    let mock = MockServer::start();
    mock.on("GET", "/users/user_1").reply(
        Reply::json(
            429,
            r#"{"errors":[{"code":"too_many_requests","message":"slow"}]}"#,
        )
        .header("X-RateLimit-Remaining", "0")
        .header("X-Echo", format!("Bearer {KEY}"))
        .header("Clerk-Trace-Id", "trace-b")
        .header("CF-Ray", "ray-c"),
    );
    let h = harness_with(&mock.url(), |b| {
        b.retry_policy(clerk_backend_api::RetryPolicy::none())
    });
    let err = h.clerk.users().get("user_1").send().unwrap_err();
    let api = err.api_error().unwrap();
    assert_eq!(api.headers().get("x-ratelimit-remaining").unwrap(), "0");
    let echo = api.headers().get("x-echo").unwrap().to_str().unwrap();
    assert!(!echo.contains(KEY), "{echo}");
    // No `x-clerk-trace-id`: the next header in the documented order.
    assert_eq!(api.trace_id(), Some("trace-b"));
    assert!(!format!("{err:?}").contains(KEY));
}

#[test]
fn the_trace_id_is_read_from_the_headers_in_the_documented_order() {
    let mock = MockServer::start();
    let answer = |headers: &[(&str, &str)]| {
        let mut r = Reply::json(
            404,
            r#"{"errors":[{"code":"resource_not_found","message":"no"}]}"#,
        );
        for (k, v) in headers {
            r = r.header(*k, *v);
        }
        r
    };
    mock.on("GET", "/users/all").reply(answer(&[
        ("cf-ray", "c"),
        ("clerk-trace-id", "b"),
        ("x-clerk-trace-id", "a"),
    ]));
    mock.on("GET", "/users/two")
        .reply(answer(&[("cf-ray", "c"), ("clerk-trace-id", "b")]));
    mock.on("GET", "/users/ray")
        .reply(answer(&[("cf-ray", "c")]));
    mock.on("GET", "/users/none").reply(answer(&[]));
    let h = harness(&mock);
    let trace = |id: &str| {
        let err = h.clerk.users().get(id).send().unwrap_err();
        err.api_error().unwrap().trace_id().map(str::to_owned)
    };
    assert_eq!(trace("all").as_deref(), Some("a"));
    assert_eq!(trace("two").as_deref(), Some("b"));
    assert_eq!(trace("ray").as_deref(), Some("c"));
    assert_eq!(trace("none"), None);
}

// ---------------------------------------------------------------------------
// Raw requests: `clerk.request(method, "/path/{id}")`
// ---------------------------------------------------------------------------

#[test]
fn raw_requests_go_through_the_same_pipeline() {
    use clerk_backend_api::log::LogEvent;
    let mock = MockServer::start();
    mock.on("POST", "/users/a%2Fb%3Fc/notes")
        .reply(Reply::json(503, "{}"))
        .reply(
            Reply::json(201, r#"{"id":"note_1","text":"hi"}"#)
                .header("x-clerk-trace-id", "t-1")
                .header("x-ratelimit-remaining", "99"),
        );
    mock.on("DELETE", "/notes/note_1").reply(Reply::status(204));
    let h = harness(&mock);
    #[derive(serde::Deserialize)]
    struct Note {
        id: String,
    }
    // A POST answered 503 is not repeated, like any write...
    let err = h
        .clerk
        .request("POST", "/users/{user_id}/notes")
        .path_param("user_id", "a/b?c")
        .json(&json!({"text": "hi"}))
        .send_json()
        .unwrap_err();
    assert_eq!(err.status(), Some(503));
    // ...unless marked idempotent; then it gets the answer, with its metadata.
    let answer = h
        .clerk
        .request("POST", "/users/{user_id}/notes")
        .path_param("user_id", "a/b?c")
        .query("notify", false)
        .query("tag", "a&b")
        .json(&json!({"text": "hi"}))
        .header("X-Request-Source", "support-tool")
        .idempotent()
        .send_with_response::<Note>()
        .unwrap();
    assert_eq!(answer.value().id, "note_1");
    assert_eq!(answer.status(), 201);
    assert_eq!(answer.trace_id(), Some("t-1"));
    assert_eq!(answer.header("x-ratelimit-remaining"), Some("99"));
    let requests = mock.requests();
    let r = requests.last().unwrap();
    assert_eq!(r.path, "/users/a%2Fb%3Fc/notes");
    assert_eq!(r.query.as_deref(), Some("notify=false&tag=a%26b"));
    assert_eq!(r.body_json(), json!({"text": "hi"}));
    assert_eq!(r.header("content-type"), Some("application/json"));
    assert_eq!(r.header("x-request-source"), Some("support-tool"));
    assert_common_headers(r, API_VERSION);
    // A 204 decodes as `()`, or as `null` JSON.
    h.clerk
        .request("DELETE", "/notes/{id}")
        .path_param("id", "note_1")
        .send::<()>()
        .unwrap();
    let value = h
        .clerk
        .request("DELETE", "/notes/{id}")
        .path_param("id", "note_1")
        .send_json()
        .unwrap();
    assert!(value.is_null());
    // Log events name the template, never the values.
    let text = h.sink.text();
    assert!(
        text.contains("RawRequest POST /users/{user_id}/notes"),
        "{text}"
    );
    assert!(!text.contains("a/b?c") && !text.contains("a%2Fb"), "{text}");
    assert!(
        h.sink
            .events()
            .iter()
            .any(|e| matches!(e, LogEvent::GaveUp { .. }))
    );
}

#[test]
fn raw_requests_refuse_what_cannot_be_sent() {
    let mock = MockServer::start();
    let h = harness(&mock);
    let refused = [
        h.clerk.request("get", "/users"),
        h.clerk.request("TRACE", "/users"),
        h.clerk.request("GET", "/users/{user_id}"),
        h.clerk
            .request("GET", "/users/{user_id}")
            .path_param("id", "x"),
        h.clerk
            .request("GET", "/users/{user_id}")
            .path_param("user_id", "x")
            .path_param("user_id", "y"),
        h.clerk
            .request("GET", "/users/{user_id")
            .path_param("user_id", "x"),
        h.clerk
            .request("GET", "/users/{user_id}")
            .path_param("user_id", ".."),
        h.clerk
            .request("GET", "/users")
            .header("Authorization", "Bearer x"),
        h.clerk
            .request("POST", "/users")
            .json(&f64::NAN.to_string())
            .header("X", "a\rb"),
    ];
    for request in refused {
        let err = request.send_json().unwrap_err();
        assert_invalid(&err);
    }
    // A body that does not serialize (a map with non-string keys).
    let mut bad = std::collections::HashMap::new();
    bad.insert(vec![1u8], 1);
    assert_invalid(
        &h.clerk
            .request("POST", "/users")
            .json(&bad)
            .send_json()
            .unwrap_err(),
    );
    assert_eq!(mock.request_count(), 0);
}

#[test]
fn raw_request_errors_are_the_same_typed_redacted_errors() {
    let mock = MockServer::start();
    mock.on("GET", "/beta/things").reply(Reply::json(
        422,
        format!(
            r#"{{"errors":[{{"code":"form_param_invalid","message":"bad Bearer {KEY}","long_message":"x"}}]}}"#
        ),
    ));
    mock.on("GET", "/beta/shape")
        .reply(Reply::json(200, "[1,2]"));
    let h = harness(&mock);
    let err = h
        .clerk
        .request("GET", "/beta/things")
        .send_json()
        .unwrap_err();
    assert_eq!(err.code(), Some("form_param_invalid"));
    assert!(!format!("{err} {err:?}").contains(KEY));
    #[derive(Debug, serde::Deserialize)]
    #[allow(dead_code)]
    struct Thing {
        id: String,
    }
    let err = h
        .clerk
        .request("GET", "/beta/shape")
        .send::<Thing>()
        .unwrap_err();
    assert!(matches!(err, Error::Decode(_)), "{err:?}");
}

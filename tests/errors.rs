//! Every public accessor and predicate of the error types, each shown returning every one of
//! its outcomes, through the public API against `MockServer` (never by building an error by
//! hand): `Error`, `ApiError`, `TransportError`, `DecodeError`, `InvalidRequest`; with
//! feature `jwt` the auth errors (`TokenError`, `VerifyError`, `Unavailable`, `Reason`); with
//! feature `webhooks` `WebhookError` and `PayloadError`. `RELIABILITY.md` ("Error accessors")
//! names these tests row by row.
//!
//! Waits go through the fake clock. The two deadline tests that need an attempt to run out
//! for real face a server that never answers (a stalled server), so the only thing that can
//! end the attempt is the timer under test.

mod common;

use std::error::Error as _;
use std::time::{Duration, Instant};

use clerk_backend_api::log::RetryReason as LogReason;
use clerk_backend_api::testing::{MockServer, Reply, fixtures};
use clerk_backend_api::{Error, FilePart, RetryPolicy};

use common::{
    KEY, REAL_TIME_BOUND, error_text, gave_up, harness, harness_with, refused_url, settled_count,
};

const MS: fn(u64) -> Duration = Duration::from_millis;
const SECS: fn(u64) -> Duration = Duration::from_secs;

/// The messages of `e` and of every source under it, outermost first.
fn chain(e: &Error) -> Vec<String> {
    let mut out = vec![e.to_string()];
    let mut source = e.source();
    while let Some(s) = source {
        out.push(s.to_string());
        source = s.source();
    }
    out
}

// ---------------------------------------------------------------------------
// Error and ApiError
// ---------------------------------------------------------------------------

/// A Clerk error body: every field read, and the predicates' "no" side for a `4xx`.
#[test]
fn a_clerk_error_body_fills_every_api_accessor() {
    let mock = MockServer::start();
    mock.on("POST", "/users").reply(Reply::json(
        422,
        r#"{"errors":[{"code":"form_identifier_exists","message":"is taken",
            "long_message":"That email address is taken.","meta":{"param_name":"email_address"}},
            {"code":"second","message":"also"}],
            "meta":{"top":1},"clerk_trace_id":"trace_body"}"#,
    ));
    let h = harness(&mock);
    let e = h
        .clerk
        .users()
        .create()
        .first_name("Ada")
        .send()
        .unwrap_err();

    assert!(matches!(e, Error::Api(_)), "{e:?}");
    assert_eq!(e.status(), Some(422));
    assert_eq!(e.code(), Some("form_identifier_exists"));
    assert_eq!(e.retry_after(), None);
    assert!(!e.is_retryable());
    assert!(!e.is_deadline());
    let api = e.api_error().expect("api_error");
    assert_eq!(api.status(), 422);
    assert_eq!(api.errors().len(), 2);
    assert_eq!(api.errors()[0].long_message, "That email address is taken.");
    assert_eq!(
        api.errors()[0].meta.as_ref().unwrap()["param_name"],
        "email_address"
    );
    assert_eq!(api.meta(), Some(&serde_json::json!({"top": 1})));
    assert_eq!(api.trace_id(), Some("trace_body"));
    assert_eq!(api.retry_after(), None);
    assert_eq!(api.operation(), "CreateUser");
    assert_eq!(api.body_excerpt(), None);
    assert_eq!(api.redirect_host(), None);
    assert_eq!(api.summary(), "is taken");
    assert_eq!(e.to_string(), "clerk api error 422: is taken");
}

/// The other outcomes of the same accessors: a `429` HTML page with `Retry-After` and a
/// trace id header; a bare `503`; an `errors` list that is empty or has no code.
#[test]
fn api_accessors_without_a_clerk_body() {
    let mock = MockServer::start();
    mock.on("GET", "/users/html").reply(
        Reply::bytes(
            429,
            "<html><body>Too many requests, slow down</body></html>",
        )
        .header("content-type", "text/html")
        .header("Retry-After", "7")
        .header("x-clerk-trace-id", "trace_header"),
    );
    mock.on("GET", "/users/bare").reply(Reply::status(503));
    mock.on("GET", "/users/empty")
        .reply(Reply::json(404, r#"{"errors":[]}"#));
    mock.on("GET", "/users/nocode").reply(Reply::json(
        400,
        r#"{"errors":[{"message":"no code here"}]}"#,
    ));
    let h = harness(&mock);
    let get = |id: &str| h.clerk.users().get(id).no_retries().send().unwrap_err();

    let e = get("html");
    assert_eq!(e.status(), Some(429));
    assert_eq!(e.retry_after(), Some(SECS(7)));
    assert!(e.is_retryable(), "429");
    assert_eq!(e.code(), None);
    let api = e.api_error().unwrap();
    assert!(api.errors().is_empty());
    assert_eq!(api.meta(), None);
    assert_eq!(api.trace_id(), Some("trace_header"));
    assert_eq!(api.retry_after(), Some(SECS(7)));
    assert_eq!(api.operation(), "GetUser");
    let excerpt = api.body_excerpt().expect("an excerpt");
    assert!(excerpt.contains("Too many requests"), "{excerpt}");
    assert_eq!(api.summary(), excerpt);

    let e = get("bare");
    assert!(e.is_retryable(), "5xx");
    let api = e.api_error().unwrap();
    assert_eq!(api.trace_id(), None);
    assert_eq!(api.body_excerpt(), None);
    assert_eq!(api.summary(), "service unavailable");

    let e = get("empty");
    assert_eq!(e.code(), None);
    assert_eq!(e.api_error().unwrap().summary(), "not found");

    // A Clerk error without a `code`: no code, rather than an empty one.
    let e = get("nocode");
    assert_eq!(e.code(), None);
    assert_eq!(e.api_error().unwrap().errors()[0].code, "");
    assert_eq!(e.api_error().unwrap().summary(), "no code here");
}

/// `redirect_host` both ways, for a read and a write: the redirect is never followed.
#[test]
fn a_redirect_names_its_host_for_a_read_and_a_write() {
    let other = MockServer::start();
    other
        .on("GET", "/users/u")
        .reply(Reply::json(200, fixtures::USER));
    other
        .on("POST", "/users")
        .reply(Reply::json(200, fixtures::USER));
    let mock = MockServer::start();
    let location = format!("{}/users/u?token=abc", other.url());
    mock.on("GET", "/users/u")
        .reply(Reply::status(301).header("Location", &location));
    mock.on("POST", "/users")
        .reply(Reply::status(302).header("Location", &location));
    let h = harness(&mock);
    let host = other.url().trim_start_matches("http://").to_owned();
    for (e, status) in [
        (h.clerk.users().get("u").send().unwrap_err(), 301),
        (
            h.clerk.users().create().first_name("A").send().unwrap_err(),
            302,
        ),
    ] {
        assert_eq!(e.status(), Some(status));
        let api = e.api_error().unwrap();
        assert_eq!(api.redirect_host(), Some(host.as_str()));
        assert!(!e.is_retryable());
        let shown = e.to_string();
        assert_eq!(
            shown,
            format!(
                "clerk api error {status}: redirect to {host} not followed \
                 (the request was not sent there)"
            )
        );
        // Only the host: never the path or query of the Location.
        assert!(!error_text(&e).contains("token=abc"), "{shown}");
    }
    assert_eq!(mock.request_count(), 2);
    assert_eq!(other.request_count(), 0);
}

// ---------------------------------------------------------------------------
// Transport, timeouts and the deadline
// ---------------------------------------------------------------------------

/// Nothing listens: `Transport`, retryable, no status; `TransportError` is not the deadline.
#[test]
fn a_refused_connection_is_a_transport_error() {
    let h = harness_with(&refused_url(), |b| b.retry_policy(RetryPolicy::none()));
    let e = h.clerk.users().get("u").send().unwrap_err();
    let Error::Transport(t) = &e else {
        panic!("{e:?}")
    };
    assert_eq!(t.operation(), "GetUser");
    assert!(!t.is_deadline());
    assert!(t.source().is_some(), "the ureq error is the source");
    assert!(e.is_retryable());
    assert!(!e.is_deadline());
    assert_eq!(e.status(), None);
    assert_eq!(e.code(), None);
    assert_eq!(e.retry_after(), None);
    assert!(e.api_error().is_none());
}

/// An attempt's own timeout (the deadline is far): `Timeout`, but not the deadline.
#[test]
fn an_attempt_timeout_is_not_the_deadline() {
    let mock = MockServer::start();
    mock.on("GET", "/users/u")
        .reply(Reply::status(200).never_respond());
    let h = harness_with(&mock.url(), |b| {
        b.timeout(MS(200))
            .deadline(SECS(30))
            .retry_policy(RetryPolicy::none())
    });
    let started = Instant::now();
    let e = h.clerk.users().get("u").send().unwrap_err();
    assert!(started.elapsed() < REAL_TIME_BOUND);
    let Error::Timeout(t) = &e else {
        panic!("{e:?}")
    };
    assert!(!t.is_deadline());
    assert!(!e.is_deadline());
    assert!(e.is_retryable());
    assert_eq!(e.to_string(), "request to clerk timed out");
    assert_eq!(gave_up(&h.sink), [(1, LogReason::RetriesExhausted)]);
}

/// The deadline runs out inside an attempt whose timeout it shortened: a `429` asks for 1 s
/// (a fake wait), which leaves 2 s of the 3 s deadline (less the real time of the first
/// request) for the second attempt; the server never answers it, so only the shortened timer
/// can end it (the attempt's own is 30 s).
#[test]
fn the_deadline_inside_a_shortened_attempt_is_the_deadline() {
    let mock = MockServer::start();
    mock.on("GET", "/users/u")
        .reply(
            Reply::json(429, r#"{"errors":[{"code":"rate","message":"slow"}]}"#)
                .header("Retry-After", "1"),
        )
        .reply(Reply::status(200).never_respond());
    mock.on("POST", "/users")
        .reply(Reply::status(200).never_respond());
    let h = harness_with(&mock.url(), |b| b.timeout(SECS(30)).deadline(SECS(3)));
    let started = Instant::now();
    let e = h.clerk.users().get("u").send().unwrap_err();
    let elapsed = started.elapsed();
    assert!(
        elapsed < REAL_TIME_BOUND,
        "the attempt's own timer ended it: {elapsed:?}"
    );
    assert_eq!(h.clock.sleeps(), [SECS(1)]);
    assert_eq!(settled_count(&mock, 2), 2);
    let Error::Timeout(t) = &e else {
        panic!("{e:?}")
    };
    assert!(t.is_deadline());
    assert!(e.is_deadline());
    assert!(e.is_retryable());
    // The last attempt timed out: it had no answer, so no status.
    assert_eq!(e.status(), None);
    assert!(e.api_error().is_none());
    let chain = chain(&e);
    assert_eq!(chain[0], "the call's deadline elapsed");
    assert_eq!(chain[1], "GetUser: the call's deadline elapsed");
    assert_eq!(chain[2], "request to clerk timed out", "{chain:?}");
    assert_eq!(
        gave_up(&h.sink),
        [(2, LogReason::DeadlineExceeded)],
        "the log and the error agree"
    );

    // A write, alone: the 300 ms deadline shortens its 30 s attempt.
    let h = harness_with(&mock.url(), |b| b.timeout(SECS(30)).deadline(MS(300)));
    let started = Instant::now();
    let e = h.clerk.users().create().first_name("A").send().unwrap_err();
    assert!(started.elapsed() < REAL_TIME_BOUND);
    assert!(e.is_deadline(), "{e:?}");
    settled_count(&mock, 3);
    assert_eq!(
        mock.requests()
            .iter()
            .filter(|r| r.method == "POST")
            .count(),
        1
    );
}

/// The deadline runs out between attempts: the `503` asks for 2 s, the deadline has 1 s
/// left. No wait, no second request; the error is the deadline, and reads the last answer.
#[test]
fn the_deadline_between_attempts_is_the_deadline_and_keeps_the_last_answer() {
    let mock = MockServer::start();
    mock.on("GET", "/users/u").reply(
        Reply::json(
            503,
            r#"{"errors":[{"code":"service_unavailable","message":"try later"}]}"#,
        )
        .header("Retry-After", "2"),
    );
    let h = harness_with(&mock.url(), |b| b.deadline(SECS(1)));
    let e = h.clerk.users().get("u").send().unwrap_err();
    assert!(e.is_deadline(), "{e:?}");
    assert!(matches!(&e, Error::Timeout(t) if t.is_deadline()));
    assert_eq!(e.status(), Some(503));
    assert_eq!(e.code(), Some("service_unavailable"));
    assert_eq!(e.retry_after(), Some(SECS(2)));
    assert_eq!(e.api_error().unwrap().summary(), "try later");
    assert!(e.is_retryable());
    assert_eq!(
        chain(&e)[2],
        "clerk api error 503: try later",
        "the last answer is the source"
    );
    assert!(h.clock.sleeps().is_empty());
    assert_eq!(mock.request_count(), 1);
    assert_eq!(gave_up(&h.sink), [(1, LogReason::DeadlineExceeded)]);

    // Without a deadline, the same answer is the API error itself.
    let h = harness_with(&mock.url(), |b| b.retry_policy(RetryPolicy::none()));
    let e = h.clerk.users().get("u").send().unwrap_err();
    assert!(matches!(e, Error::Api(_)));
    assert!(!e.is_deadline());
}

// ---------------------------------------------------------------------------
// DecodeError and InvalidRequest
// ---------------------------------------------------------------------------

#[test]
fn decode_accessors_both_ways() {
    let mock = MockServer::start();
    mock.on("GET", "/users/shape")
        .reply(Reply::json(200, r#"{"id":5}"#));
    mock.on("GET", "/users/big")
        .reply(Reply::json(200, fixtures::user_with_id("big")));
    mock.on("GET", "/users")
        .reply(Reply::json(200, fixtures::users_page(&["u1", "u2"])));
    let h = harness_with(&mock.url(), |b| b.max_response_bytes(2048));

    let e = h.clerk.users().get("shape").send().unwrap_err();
    let Error::Decode(d) = &e else {
        panic!("{e:?}")
    };
    assert_eq!(d.operation(), "GetUser");
    assert_eq!(d.status(), Some(200));
    assert_eq!(d.body(), br#"{"id":5}"#);
    assert!(!d.is_too_large());
    assert!(d.source().is_some(), "serde's message, without values");
    assert_eq!(e.status(), Some(200));
    assert!(!e.is_retryable());
    assert!(!e.is_deadline());
    assert_eq!(e.code(), None);
    assert!(e.api_error().is_none());

    let e = h.clerk.users().get("big").send().unwrap_err();
    let Error::Decode(d) = &e else {
        panic!("{e:?}")
    };
    assert!(d.is_too_large());
    assert!(d.body().is_empty());
    assert!(d.source().is_none());

    // A server repeating a page: a `Pagination` error with no status (no one response is
    // bad), not retryable.
    let h = harness(&mock);
    let last = h
        .clerk
        .users()
        .list()
        .limit(2)
        .paginate()
        .take(10)
        .find_map(|r| r.err())
        .expect("the repeated page ends in an error");
    let Error::Pagination(p) = &last else {
        panic!("{last:?}")
    };
    assert_eq!(p.operation(), "GetUserList");
    assert_eq!(last.status(), None);
    assert!(!last.is_retryable());
    assert!(last.to_string().contains("repeated a page"), "{last}");
}

#[test]
fn invalid_request_accessors_both_ways() {
    let mock = MockServer::start();
    let h = harness(&mock);
    let e = h.clerk.users().get("").send().unwrap_err();
    let Error::InvalidRequest(i) = &e else {
        panic!("{e:?}")
    };
    assert!(i.message().contains("must not be empty"), "{}", i.message());
    assert!(i.source().is_none());
    assert!(!e.is_retryable());
    assert!(!e.is_deadline());
    assert_eq!(e.status(), None);
    assert_eq!(mock.request_count(), 0, "nothing was sent");

    let missing = std::env::temp_dir().join("clerk-backend-api-errors-no-such-file.png");
    let e = FilePart::open(&missing).unwrap_err();
    let Error::InvalidRequest(i) = &e else {
        panic!("{e:?}")
    };
    assert!(i.message().starts_with("cannot open"), "{}", i.message());
    let io = i.source().expect("the io error");
    assert!(
        io.downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::NotFound)
    );

    let e = clerk_backend_api::Clerk::new("pk_test_not_a_secret_key").unwrap_err();
    let Error::InvalidRequest(i) = &e else {
        panic!("{e:?}")
    };
    assert!(!i.message().contains("pk_test_not"), "{}", i.message());
    assert!(!error_text(&e).contains(KEY));
}

// ---------------------------------------------------------------------------
// auth (feature `jwt`)
// ---------------------------------------------------------------------------

#[cfg(feature = "jwt")]
mod auth {
    use std::time::{Duration, SystemTime, UNIX_EPOCH};

    use base64::Engine as _;
    use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
    use clerk_backend_api::auth::{
        AuthOptions, Authenticator, Reason, RequestState, TokenType, VerifyError,
    };
    use clerk_backend_api::testing::{FakeClock, MockServer, Reply};
    use clerk_backend_api::{Clerk, RetryPolicy};
    use ring::rand::SystemRandom;
    use ring::signature::{self, RsaKeyPair, RsaPublicKeyComponents};
    use serde_json::{Value, json};

    const A_PRIVATE: &str = include_str!("fixtures/keys/rsa_a.pk8.pem");
    const A_PUBLIC: &str = include_str!("fixtures/keys/rsa_a.pub.pem");
    const B_PRIVATE: &str = include_str!("fixtures/keys/rsa_b.pk8.pem");
    const NOW: i64 = 1_767_225_600;

    fn key_pair(pem: &str) -> RsaKeyPair {
        let body: String = pem.lines().filter(|l| !l.starts_with("-----")).collect();
        RsaKeyPair::from_pkcs8(&STANDARD.decode(body).unwrap()).unwrap()
    }

    fn b64(bytes: impl AsRef<[u8]>) -> String {
        URL_SAFE_NO_PAD.encode(bytes)
    }

    fn mint(key: &RsaKeyPair, header: &Value, claims: &Value) -> String {
        let input = format!("{}.{}", b64(header.to_string()), b64(claims.to_string()));
        let mut sig = vec![0; key.public().modulus_len()];
        key.sign(
            &signature::RSA_PKCS1_SHA256,
            &SystemRandom::new(),
            input.as_bytes(),
            &mut sig,
        )
        .unwrap();
        format!("{input}.{}", b64(sig))
    }

    fn claims(edit: impl FnOnce(&mut Value)) -> Value {
        let mut c = json!({
            "azp": "https://app.example.com", "exp": NOW + 60, "iat": NOW - 10,
            "iss": "https://clerk.example.com", "nbf": NOW - 10, "sid": "sess_2abc",
            "sts": "active", "sub": "user_2abc", "v": 2
        });
        edit(&mut c);
        c
    }

    fn token(key: &str, kid: &str, claims: &Value) -> String {
        mint(
            &key_pair(key),
            &json!({"alg": "RS256", "kid": kid, "typ": "JWT"}),
            claims,
        )
    }

    fn now() -> impl Fn() -> SystemTime + Send + Sync + 'static {
        || UNIX_EPOCH + Duration::from_secs(NOW as u64)
    }

    fn client(mock: &MockServer) -> Clerk {
        Clerk::builder(super::KEY)
            .server_url(format!("{}/v1", mock.url()))
            .clock(FakeClock::new())
            .retry_policy(RetryPolicy::none())
            .build()
            .unwrap()
    }

    fn pem(options: AuthOptions) -> Authenticator {
        Authenticator::builder()
            .jwt_key(A_PUBLIC)
            .options(options)
            .clock(now())
            .build()
            .unwrap()
    }

    fn refused(r: Result<impl std::fmt::Debug, VerifyError>) -> (Reason, String) {
        match r {
            Err(e @ VerifyError::Invalid(_)) => {
                let reason = e.reason().expect("Invalid has a reason");
                let VerifyError::Invalid(t) = &e else {
                    unreachable!()
                };
                assert_eq!(t.reason(), reason);
                assert_eq!(t.to_string(), t.message());
                (reason, t.message().to_owned())
            }
            other => panic!("expected Invalid, got {other:?}"),
        }
    }

    fn headers(pairs: &[(&str, &str)]) -> http::HeaderMap {
        let mut map = http::HeaderMap::new();
        for (k, v) in pairs {
            map.append(
                http::HeaderName::from_bytes(k.as_bytes()).unwrap(),
                v.parse().unwrap(),
            );
        }
        map
    }

    fn signed_out(state: RequestState) -> (Reason, String) {
        match state {
            RequestState::SignedOut(t) => (t.reason(), t.message().to_owned()),
            other => panic!("expected SignedOut, got {other:?}"),
        }
    }

    /// Every `Reason`, each reached through the public API, with its `as_str`, the
    /// `TokenError`'s `reason` and `message` (never quoting the token), and
    /// `VerifyError::reason` returning `Some`.
    #[test]
    fn every_reason_is_reached_and_named() {
        let mut seen: Vec<(Reason, String)> = Vec::new();
        let pem_auth = pem(AuthOptions::default());
        let valid = claims(|_| {});

        let expired = token(A_PRIVATE, "k", &claims(|c| c["exp"] = json!(NOW - 3600)));
        let early = token(A_PRIVATE, "k", &claims(|c| c["nbf"] = json!(NOW + 3600)));
        let wrong_sig = token(B_PRIVATE, "k", &valid);
        let none = format!(
            "{}.{}.",
            b64(json!({"alg": "none", "typ": "JWT"}).to_string()),
            b64(valid.to_string())
        );
        let good = token(A_PRIVATE, "k", &valid);
        let tokens = [
            (Reason::Expired, expired.clone()),
            (Reason::NotYetValid, early),
            (Reason::BadSignature, wrong_sig),
            (Reason::Malformed, "not.a.token".to_owned()),
            (Reason::BadAlgorithm, none),
        ];
        for (want, t) in &tokens {
            let (got, message) = refused(pem_auth.verify_session_token(t));
            assert_eq!(got, *want, "{t}");
            assert!(!message.contains(&t[..t.len().min(20)]), "{message}");
            seen.push((got, message));
        }
        let party = pem(AuthOptions::default().with_authorized_parties(["https://other.example"]));
        seen.push(refused(party.verify_session_token(&good)));
        let issuer = pem(AuthOptions::default().with_issuer("https://other.example"));
        seen.push(refused(issuer.verify_session_token(&good)));

        // Through authenticate_request: no token, a pending session, a type not accepted.
        seen.push(signed_out(
            pem_auth.authenticate_request(&headers(&[])).unwrap(),
        ));
        let pending = token(A_PRIVATE, "k", &claims(|c| c["sts"] = json!("pending")));
        let bearer = |t: &str| headers(&[("authorization", &format!("Bearer {t}"))]);
        seen.push(signed_out(
            pem_auth.authenticate_request(&bearer(&pending)).unwrap(),
        ));
        let sessions_only =
            pem(AuthOptions::default().with_accepted_tokens([TokenType::SessionToken]));
        seen.push(signed_out(
            sessions_only
                .authenticate_request(&bearer("ak_NOTACCEPTED0123"))
                .unwrap(),
        ));

        // Against Clerk (MockServer): a JWKS without the token's kid, machine tokens.
        let mock = MockServer::start();
        let c: RsaPublicKeyComponents<Vec<u8>> = key_pair(A_PRIVATE).public().into();
        let jwk = json!({"use":"sig","kty":"RSA","kid":"other","alg":"RS256","n":b64(&c.n),"e":b64(&c.e)});
        mock.on("GET", "/v1/jwks")
            .reply(Reply::json(200, json!({ "keys": [jwk] }).to_string()));
        let machine = |extra: Value| {
            let mut body = json!({
                "object": "machine_to_machine_token", "id": "mt_1", "subject": "mch_1",
                "claims": null, "scopes": [], "revoked": false, "revocation_reason": null,
                "expired": false, "expiration": null, "last_used_at": null,
                "created_at": 1, "updated_at": 1
            });
            body.as_object_mut()
                .unwrap()
                .extend(extra.as_object().unwrap().clone());
            Reply::json(200, body.to_string())
        };
        mock.on("POST", "/v1/m2m_tokens/verify")
            .reply(machine(json!({"revoked": true})))
            .reply(machine(json!({"expired": true})))
            .reply(Reply::json(
                404,
                r#"{"errors":[{"code":"not_found","message":"not found"}]}"#,
            ));
        let clerk = client(&mock);
        let jwks = Authenticator::builder()
            .clerk(&clerk)
            .clock(now())
            .build()
            .unwrap();
        seen.push(refused(jwks.verify_session_token(&good)));
        for _ in 0..3 {
            seen.push(refused(jwks.verify_machine_token("mt_MACHINETOKEN0123")));
        }
        seen.push(refused(jwks.verify_machine_token("xyz_unknown_prefix")));

        let all = [
            (Reason::NoToken, "no_token"),
            (Reason::Malformed, "malformed"),
            (Reason::BadAlgorithm, "bad_algorithm"),
            (Reason::UnknownKey, "unknown_key"),
            (Reason::BadSignature, "bad_signature"),
            (Reason::Expired, "expired"),
            (Reason::NotYetValid, "not_yet_valid"),
            (Reason::WrongParty, "wrong_party"),
            (Reason::WrongIssuer, "wrong_issuer"),
            (Reason::SessionPending, "session_pending"),
            (Reason::TokenTypeNotAccepted, "token_type_not_accepted"),
            (Reason::UnknownTokenType, "unknown_token_type"),
            (Reason::NotFound, "not_found"),
            (Reason::Revoked, "revoked"),
        ];
        for (reason, name) in all {
            assert!(
                seen.iter().any(|(r, _)| *r == reason),
                "{reason:?} was never reached: {seen:?}"
            );
            assert_eq!(reason.as_str(), name);
            assert_eq!(reason.to_string(), name);
        }
        for (reason, message) in &seen {
            assert!(!message.is_empty(), "{reason:?}");
            assert!(!message.contains("eyJ"), "{reason:?}: {message}");
            assert!(!message.contains("MACHINETOKEN"), "{reason:?}: {message}");
        }
    }

    /// `VerifyError::reason` is `None` and `Unavailable::error` holds the client's error
    /// when Clerk cannot be asked: a `503`, and nobody listening.
    #[test]
    fn unavailable_holds_the_clients_error() {
        let mock = MockServer::start();
        mock.on("POST", "/v1/m2m_tokens/verify")
            .reply(Reply::status(503));
        mock.on("GET", "/v1/jwks").reply(Reply::status(503));
        let clerk = client(&mock);
        let auth = Authenticator::builder()
            .clerk(&clerk)
            .clock(now())
            .build()
            .unwrap();
        let e = auth
            .verify_machine_token("mt_MACHINETOKEN0123")
            .unwrap_err();
        assert_eq!(e.reason(), None);
        let VerifyError::Unavailable(u) = &e else {
            panic!("{e:?}")
        };
        assert_eq!(u.error().status(), Some(503));
        assert!(u.error().is_retryable());
        assert!(std::error::Error::source(u).is_some());

        let good = token(A_PRIVATE, "k", &claims(|_| {}));
        let u = auth
            .authenticate_request(&headers(&[("authorization", &format!("Bearer {good}"))]))
            .unwrap_err();
        assert_eq!(u.error().status(), Some(503));
        assert!(!format!("{u} {u:?}").contains(&good[..40]));

        let refused = Clerk::builder(super::KEY)
            .server_url(super::refused_url())
            .retry_policy(RetryPolicy::none())
            .build()
            .unwrap();
        let auth = Authenticator::builder()
            .clerk(&refused)
            .clock(now())
            .build()
            .unwrap();
        match auth.verify_machine_token("mt_MACHINETOKEN0123") {
            Err(VerifyError::Unavailable(u)) => {
                assert!(matches!(u.error(), clerk_backend_api::Error::Transport(_)));
                assert_eq!(u.error().status(), None);
            }
            other => panic!("{other:?}"),
        }
    }
}

// ---------------------------------------------------------------------------
// webhooks (feature `webhooks`)
// ---------------------------------------------------------------------------

#[cfg(feature = "webhooks")]
mod webhooks {
    use std::time::{Duration, UNIX_EPOCH};

    use clerk_backend_api::webhooks::{Webhook, WebhookError};

    const SECRET: &str = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    const NOW: i64 = 1_767_225_600;

    fn webhook() -> Webhook {
        Webhook::new(SECRET)
            .unwrap()
            .with_clock(|| UNIX_EPOCH + Duration::from_secs(NOW as u64))
    }

    fn headers(id: Option<&str>, ts: Option<&str>, sig: Option<&str>) -> http::HeaderMap {
        let mut map = http::HeaderMap::new();
        for (name, value) in [
            ("svix-id", id),
            ("svix-timestamp", ts),
            ("svix-signature", sig),
        ] {
            if let Some(v) = value {
                map.insert(name, v.parse().unwrap());
            }
        }
        map
    }

    fn verify(body: &[u8], ts: i64, sign: bool) -> Result<(), WebhookError> {
        let w = webhook();
        let sig = if sign {
            w.sign("msg_1", ts, body)
        } else {
            "v1,AAAA".to_owned()
        };
        w.verify(
            &headers(Some("msg_1"), Some(&ts.to_string()), Some(&sig)),
            body,
        )
        .map(|_| ())
    }

    /// Every `WebhookError` variant, and `PayloadError::event_type` both ways; no text shows
    /// the secret.
    #[test]
    fn every_webhook_error_and_payload_accessor() {
        let event = br#"{"type":"user.created","object":"event","data":{"object":"user"}}"#;
        let mut shown = Vec::new();

        let e = Webhook::new("whsec_!!!").unwrap_err();
        assert!(matches!(e, WebhookError::InvalidSecret));
        shown.push(e.to_string());

        for (id, ts, sig, name) in [
            (None, Some("1"), Some("v1,x"), "svix-id"),
            (Some("m"), None, Some("v1,x"), "svix-timestamp"),
            (Some("m"), Some("1"), None, "svix-signature"),
        ] {
            match webhook().verify(&headers(id, ts, sig), event) {
                Err(e @ WebhookError::MissingHeader(h)) => {
                    assert_eq!(h, name);
                    shown.push(e.to_string());
                }
                other => panic!("{name}: {other:?}"),
            }
        }
        let e = webhook()
            .verify(&headers(Some("m"), Some("soon"), Some("v1,x")), event)
            .unwrap_err();
        assert!(matches!(e, WebhookError::InvalidTimestamp), "{e:?}");
        let e = verify(event, NOW - 3600, true).unwrap_err();
        assert!(matches!(e, WebhookError::TimestampTooOld), "{e:?}");
        let e = verify(event, NOW + 3600, true).unwrap_err();
        assert!(matches!(e, WebhookError::TimestampTooNew), "{e:?}");
        let e = verify(event, NOW, false).unwrap_err();
        assert!(matches!(e, WebhookError::BadSignature), "{e:?}");
        shown.push(format!("{e} {e:?}"));

        // A known type whose data does not fit: event_type is Some.
        match verify(event, NOW, true) {
            Err(WebhookError::Payload(p)) => {
                assert_eq!(p.event_type(), Some("user.created"));
                assert!(p.message().starts_with("missing field"), "{}", p.message());
                assert_eq!(p.to_string(), format!("user.created: {}", p.message()));
            }
            other => panic!("{other:?}"),
        }
        // Not an event at all: event_type is None.
        match verify(b"not json", NOW, true) {
            Err(e @ WebhookError::Payload(_)) => {
                let WebhookError::Payload(p) = &e else {
                    unreachable!()
                };
                assert_eq!(p.event_type(), None);
                assert_eq!(p.message(), "the body is not JSON");
                assert!(std::error::Error::source(&e).is_some());
            }
            other => panic!("{other:?}"),
        }
        for text in shown {
            assert!(!text.contains("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"), "{text}");
        }
    }
}

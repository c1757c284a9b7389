//! `auth` (feature `jwt`): session tokens minted here with the test keys of
//! `tests/fixtures/keys/`, verified with a PEM key (no network) or against a JWKS served by
//! `MockServer`; `authenticate_request`; machine tokens against `MockServer`.

mod common;

#[allow(dead_code)] // its `main` is not called here
#[path = "../examples/verify_session.rs"]
mod verify_session;

use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use base64::Engine as _;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use clerk_backend_api::auth::{
    AuthOptions, Authenticator, Identity, Reason, RequestState, TokenType, VerifyError,
};
use clerk_backend_api::testing::{CaptureSink, FakeClock, MockServer, Reply};
use clerk_backend_api::{Clerk, Error, RetryPolicy};
use ring::rand::SystemRandom;
use ring::signature::{self, RsaKeyPair, RsaPublicKeyComponents};
use serde_json::{Value, json};

use common::{assert_invalid, error_text, method_paths};

const A_PRIVATE: &str = include_str!("fixtures/keys/rsa_a.pk8.pem");
const A_PUBLIC: &str = include_str!("fixtures/keys/rsa_a.pub.pem");
const B_PRIVATE: &str = include_str!("fixtures/keys/rsa_b.pk8.pem");

/// 2026-01-01T00:00:00Z, the fake "now" of most tests, in seconds.
const NOW: i64 = 1_767_225_600;

// ---------------------------------------------------------------------------
// Minting
// ---------------------------------------------------------------------------

fn key_pair(pem: &str) -> RsaKeyPair {
    let body: String = pem.lines().filter(|l| !l.starts_with("-----")).collect();
    RsaKeyPair::from_pkcs8(&STANDARD.decode(body).unwrap()).unwrap()
}

fn b64(bytes: impl AsRef<[u8]>) -> String {
    URL_SAFE_NO_PAD.encode(bytes)
}

/// A token with this header and payload, signed by `key` with the header's `alg`.
fn mint(key: &RsaKeyPair, header: &Value, claims: &Value) -> String {
    let input = format!("{}.{}", b64(header.to_string()), b64(claims.to_string()));
    let padding: &'static dyn signature::RsaEncoding = match header["alg"].as_str() {
        Some("RS384") => &signature::RSA_PKCS1_SHA384,
        Some("RS512") => &signature::RSA_PKCS1_SHA512,
        _ => &signature::RSA_PKCS1_SHA256,
    };
    let mut sig = vec![0; key.public().modulus_len()];
    key.sign(padding, &SystemRandom::new(), input.as_bytes(), &mut sig)
        .unwrap();
    format!("{input}.{}", b64(sig))
}

/// Claims of a typical version 2 session token, valid from `NOW - 10` to `NOW + 60`.
fn session_claims() -> Value {
    json!({
        "azp": "https://app.example.com",
        "exp": NOW + 60,
        "fva": [0, -1],
        "iat": NOW - 10,
        "iss": "https://clerk.example.com",
        "nbf": NOW - 10,
        "sid": "sess_2abc",
        "sts": "active",
        "sub": "user_2abc",
        "v": 2,
        "fea": "o:invoices",
        "o": {"id": "org_2xyz", "slg": "acme", "rol": "admin", "per": "read,manage", "fpm": "3"}
    })
}

fn header(kid: &str) -> Value {
    json!({"alg": "RS256", "kid": kid, "typ": "JWT"})
}

fn a_token(claims: &Value) -> String {
    mint(&key_pair(A_PRIVATE), &header("ins_a"), claims)
}

/// A JWK for the public half of `key`.
fn jwk(key: &RsaKeyPair, kid: &str, alg: &str) -> Value {
    let c: RsaPublicKeyComponents<Vec<u8>> = key.public().into();
    json!({"use": "sig", "kty": "RSA", "kid": kid, "alg": alg, "n": b64(&c.n), "e": b64(&c.e)})
}

fn jwks(keys: &[Value]) -> String {
    json!({ "keys": keys }).to_string()
}

// ---------------------------------------------------------------------------
// Clocks and clients
// ---------------------------------------------------------------------------

/// A wall clock the test moves by hand, in milliseconds since the epoch.
#[derive(Clone)]
struct Wall(Arc<AtomicI64>);

impl Wall {
    fn at(secs: i64) -> Wall {
        Wall(Arc::new(AtomicI64::new(secs * 1000)))
    }
    fn set_ms(&self, ms: i64) {
        self.0.store(ms, Ordering::SeqCst);
    }
    fn advance(&self, d: Duration) {
        self.0.fetch_add(d.as_millis() as i64, Ordering::SeqCst);
    }
    fn now(&self) -> impl Fn() -> SystemTime + Send + Sync + 'static {
        let ms = self.0.clone();
        move || UNIX_EPOCH + Duration::from_millis(ms.load(Ordering::SeqCst) as u64)
    }
}

fn pem_auth(options: AuthOptions, wall: &Wall) -> Authenticator {
    Authenticator::builder()
        .jwt_key(A_PUBLIC)
        .options(options)
        .clock(wall.now())
        .build()
        .unwrap()
}

const CLIENT_KEY: &str = "sk_test_auth_CLIENTKEY";

/// A client whose server URL ends in `/v1`, like the real one, so JWKS is `GET /v1/jwks`.
fn client(mock: &MockServer, sink: &CaptureSink, retries: bool) -> Clerk {
    let mut b = Clerk::builder(CLIENT_KEY)
        .server_url(format!("{}/v1", mock.url()))
        .clock(FakeClock::new())
        .jitter_seed(1)
        .log_sink(sink.clone());
    if !retries {
        b = b.retry_policy(RetryPolicy::none());
    }
    b.build().unwrap()
}

fn jwks_auth(clerk: &Clerk, wall: &Wall, options: AuthOptions) -> Authenticator {
    Authenticator::builder()
        .clerk(clerk)
        .options(options)
        .clock(wall.now())
        .build()
        .unwrap()
}

fn reason<T: std::fmt::Debug>(r: Result<T, VerifyError>) -> Reason {
    match r {
        Err(VerifyError::Invalid(e)) => e.reason(),
        other => panic!("expected an invalid token, got {other:?}"),
    }
}

// ---------------------------------------------------------------------------
// Session tokens with a PEM key: no network
// ---------------------------------------------------------------------------

#[test]
fn a_valid_token_gives_typed_claims_without_any_client() {
    let wall = Wall::at(NOW);
    let auth = pem_auth(AuthOptions::default(), &wall);
    let claims = auth
        .verify_session_token(&a_token(&session_claims()))
        .unwrap();
    assert_eq!(claims.user_id(), "user_2abc");
    assert_eq!(claims.session_id(), Some("sess_2abc"));
    assert_eq!(claims.azp.as_deref(), Some("https://app.example.com"));
    assert_eq!(claims.exp, NOW + 60);
    assert_eq!(claims.version(), 2);
    let org = claims.org.as_ref().unwrap();
    assert_eq!(org.id, "org_2xyz");
    assert_eq!(org.slug.as_deref(), Some("acme"));
    assert_eq!(org.role.as_deref(), Some("org:admin"));
    assert_eq!(
        org.permissions,
        ["org:invoices:read", "org:invoices:manage"]
    );
    assert_eq!(claims.get("sts"), Some(&json!("active")));
    assert_eq!(claims.get("fva"), Some(&json!([0, -1])));
    assert_eq!(claims.claims().len(), 12);
}

#[test]
fn the_pem_key_can_come_from_an_environment_variable_on_one_line() {
    let wall = Wall::at(NOW);
    let escaped = A_PUBLIC.trim().replace('\n', "\\n");
    let auth = Authenticator::builder()
        .jwt_key(escaped)
        .clock(wall.now())
        .build()
        .unwrap();
    assert!(
        auth.verify_session_token(&a_token(&session_claims()))
            .is_ok()
    );
}

#[test]
fn expired_and_not_yet_valid() {
    let wall = Wall::at(NOW);
    let auth = pem_auth(AuthOptions::default(), &wall);
    let mut c = session_claims();
    c["exp"] = json!(NOW - 60);
    assert_eq!(
        reason(auth.verify_session_token(&a_token(&c))),
        Reason::Expired
    );

    let mut c = session_claims();
    c["nbf"] = json!(NOW + 60);
    assert_eq!(
        reason(auth.verify_session_token(&a_token(&c))),
        Reason::NotYetValid
    );

    let mut c = session_claims();
    c["iat"] = json!(NOW + 60);
    assert_eq!(
        reason(auth.verify_session_token(&a_token(&c))),
        Reason::NotYetValid
    );
}

#[test]
fn clock_skew_at_the_edge() {
    let wall = Wall::at(NOW);
    let auth = pem_auth(AuthOptions::default(), &wall); // 5 s
    let mut c = session_claims();
    c["exp"] = json!(NOW);
    c["nbf"] = json!(NOW - 100);
    c["iat"] = json!(NOW - 100);
    let expiring = a_token(&c);
    // Valid until `exp` + 5 s, exclusive, to the millisecond.
    wall.set_ms((NOW + 5) * 1000 - 1);
    assert!(auth.verify_session_token(&expiring).is_ok());
    wall.set_ms((NOW + 5) * 1000);
    assert_eq!(
        reason(auth.verify_session_token(&expiring)),
        Reason::Expired
    );

    let mut c = session_claims();
    c["nbf"] = json!(NOW + 100);
    c["iat"] = json!(NOW + 100);
    c["exp"] = json!(NOW + 1000);
    let early = a_token(&c);
    // Valid from `nbf` - 5 s, inclusive.
    wall.set_ms((NOW + 95) * 1000 - 1);
    assert_eq!(
        reason(auth.verify_session_token(&early)),
        Reason::NotYetValid
    );
    wall.set_ms((NOW + 95) * 1000);
    assert!(auth.verify_session_token(&early).is_ok());

    // A configured skew replaces the default.
    let strict = auth.with_options(AuthOptions::default().with_clock_skew(Duration::ZERO));
    assert_eq!(
        reason(strict.verify_session_token(&early)),
        Reason::NotYetValid
    );
    wall.set_ms((NOW + 100) * 1000);
    assert!(strict.verify_session_token(&early).is_ok());
    let lenient =
        auth.with_options(AuthOptions::default().with_clock_skew(Duration::from_secs(30)));
    wall.set_ms((NOW + 29) * 1000);
    assert!(lenient.verify_session_token(&expiring).is_ok());
    assert_eq!(
        reason(auth.verify_session_token(&expiring)),
        Reason::Expired
    );
}

#[test]
fn wrong_signature() {
    let wall = Wall::at(NOW);
    let auth = pem_auth(AuthOptions::default(), &wall);
    // Signed by key B, checked with key A.
    let by_b = mint(&key_pair(B_PRIVATE), &header("ins_a"), &session_claims());
    assert_eq!(
        reason(auth.verify_session_token(&by_b)),
        Reason::BadSignature
    );
    // Key A's signature over other claims.
    let good = a_token(&session_claims());
    let mut other = session_claims();
    other["sub"] = json!("user_attacker");
    let forged_payload = b64(other.to_string());
    let parts: Vec<&str> = good.split('.').collect();
    let forged = format!("{}.{}.{}", parts[0], forged_payload, parts[2]);
    assert_eq!(
        reason(auth.verify_session_token(&forged)),
        Reason::BadSignature
    );
    // No signature at all.
    let unsigned = format!("{}.{}.", parts[0], parts[1]);
    assert_eq!(
        reason(auth.verify_session_token(&unsigned)),
        Reason::BadSignature
    );
}

#[test]
fn alg_none_is_refused() {
    let wall = Wall::at(NOW);
    let auth = pem_auth(AuthOptions::default(), &wall);
    let payload = b64(session_claims().to_string());
    for alg in ["none", "None", "NONE", ""] {
        let h = b64(json!({"alg": alg, "typ": "JWT"}).to_string());
        for sig in ["", "c2ln"] {
            let token = format!("{h}.{payload}.{sig}");
            assert_eq!(
                reason(auth.verify_session_token(&token)),
                Reason::BadAlgorithm,
                "{alg} {sig}"
            );
        }
    }
}

#[test]
fn hs256_signed_with_the_public_key_as_secret_is_refused() {
    let wall = Wall::at(NOW);
    let auth = pem_auth(AuthOptions::default(), &wall);
    let input = format!(
        "{}.{}",
        b64(json!({"alg": "HS256", "typ": "JWT"}).to_string()),
        b64(session_claims().to_string())
    );
    for secret in [A_PUBLIC.as_bytes(), A_PUBLIC.trim().as_bytes()] {
        let key = ring::hmac::Key::new(ring::hmac::HMAC_SHA256, secret);
        let tag = ring::hmac::sign(&key, input.as_bytes());
        let token = format!("{input}.{}", b64(tag.as_ref()));
        assert_eq!(
            reason(auth.verify_session_token(&token)),
            Reason::BadAlgorithm
        );
    }
    for alg in ["HS384", "HS512", "ES256", "PS256", "EdDSA"] {
        let h = b64(json!({"alg": alg}).to_string());
        let token = format!("{h}.{}.c2ln", b64("{}"));
        assert_eq!(
            reason(auth.verify_session_token(&token)),
            Reason::BadAlgorithm
        );
    }
}

#[test]
fn an_algorithm_other_than_the_keys_is_refused() {
    let wall = Wall::at(NOW);
    let auth = pem_auth(AuthOptions::default(), &wall); // a PEM key is RS256
    let rs512 = mint(
        &key_pair(A_PRIVATE),
        &json!({"alg": "RS512", "kid": "ins_a"}),
        &session_claims(),
    );
    assert_eq!(
        reason(auth.verify_session_token(&rs512)),
        Reason::BadAlgorithm
    );
}

#[test]
fn authorized_parties_and_issuer() {
    let wall = Wall::at(NOW);
    let parties = AuthOptions::default()
        .with_authorized_parties(["https://app.example.com", "https://admin.example.com"]);
    let auth = pem_auth(parties.clone(), &wall);
    assert!(
        auth.verify_session_token(&a_token(&session_claims()))
            .is_ok()
    );

    let mut c = session_claims();
    c["azp"] = json!("https://evil.example.com");
    assert_eq!(
        reason(auth.verify_session_token(&a_token(&c))),
        Reason::WrongParty
    );

    let mut c = session_claims();
    c.as_object_mut().unwrap().remove("azp");
    let no_azp = a_token(&c);
    assert_eq!(
        reason(auth.verify_session_token(&no_azp)),
        Reason::WrongParty
    );
    // Without configured parties, `azp` is not checked.
    let open = auth.with_options(AuthOptions::default());
    assert!(open.verify_session_token(&no_azp).is_ok());

    let issuer = auth.with_options(parties.with_issuer("https://clerk.example.com"));
    assert!(
        issuer
            .verify_session_token(&a_token(&session_claims()))
            .is_ok()
    );
    let mut c = session_claims();
    c["iss"] = json!("https://clerk.other.com");
    assert_eq!(
        reason(issuer.verify_session_token(&a_token(&c))),
        Reason::WrongIssuer
    );
}

#[test]
fn malformed_base64_and_json() {
    let wall = Wall::at(NOW);
    let auth = pem_auth(AuthOptions::default(), &wall);
    let key = key_pair(A_PRIVATE);
    let good = a_token(&session_claims());
    let parts: Vec<&str> = good.split('.').collect();
    let sign = |h: &str, p: &str| {
        let input = format!("{h}.{p}");
        let mut sig = vec![0; key.public().modulus_len()];
        key.sign(
            &signature::RSA_PKCS1_SHA256,
            &SystemRandom::new(),
            input.as_bytes(),
            &mut sig,
        )
        .unwrap();
        format!("{input}.{}", b64(sig))
    };
    let cases = [
        String::new(),
        "abc".into(),
        "a.b".into(),
        format!("{}.{}", parts[0], parts[1]),
        format!("{good}.extra"),
        format!("{}!.{}.{}", parts[0], parts[1], parts[2]),
        format!("{}.{}*.{}", parts[0], parts[1], parts[2]),
        format!("{}.{}.{}=", parts[0], parts[1], parts[2]),
        format!("{}.{}.{}", parts[0], STANDARD.encode("{}"), parts[2]),
        format!("{}.{}.{}", b64("not json"), parts[1], parts[2]),
        // Correctly signed, but the payload is not a JSON object / lacks `sub` or `exp`.
        sign(parts[0], &b64("not json")),
        sign(parts[0], &b64("[1,2]")),
        sign(parts[0], &b64(json!({"exp": NOW + 60}).to_string())),
        sign(parts[0], &b64(json!({"sub": "user_1"}).to_string())),
        sign(
            parts[0],
            &b64(json!({"sub": "user_1", "exp": "soon"}).to_string()),
        ),
    ];
    for token in &cases {
        assert_eq!(
            reason(auth.verify_session_token(token)),
            Reason::Malformed,
            "{token}"
        );
    }
}

#[test]
fn no_mangled_token_panics_or_passes() {
    let wall = Wall::at(NOW);
    let auth = pem_auth(AuthOptions::default(), &wall);
    let good = a_token(&session_claims());
    assert!(auth.verify_session_token(&good).is_ok());
    let bytes = good.as_bytes();
    for i in (0..bytes.len()).step_by(3) {
        for replacement in [b'A', b'.', b'-', b'_', b'=', 0xC3] {
            if bytes[i] == replacement {
                continue;
            }
            let mut mangled = bytes.to_vec();
            mangled[i] = replacement;
            let text = String::from_utf8_lossy(&mangled);
            // Base64url's last character can carry unused bits; a flip there may decode to
            // the same bytes, which is then rightly the same token.
            if let Ok(claims) = auth.verify_session_token(&text) {
                assert_eq!(claims.user_id(), "user_2abc");
            }
        }
        assert!(auth.verify_session_token(&good[..i]).is_err());
    }
}

#[test]
fn errors_and_claims_never_show_the_token() {
    let wall = Wall::at(NOW);
    let auth = pem_auth(
        AuthOptions::default().with_authorized_parties(["https://other.example"]),
        &wall,
    );
    let token = a_token(&session_claims());
    let signature = token.rsplit('.').next().unwrap().to_owned();
    let err = auth.verify_session_token(&token).unwrap_err();
    let claims = pem_auth(AuthOptions::default(), &wall)
        .verify_session_token(&token)
        .unwrap();
    let mut text = format!("{err}\n{err:?}\n{claims:?}\n{auth:?}\n");
    for bad in [
        token.replace('.', ""),
        format!("{token}x"),
        format!("{}.{}.", b64(json!({"alg":"none"}).to_string()), b64("{}")),
    ] {
        let e = auth.verify_session_token(&bad).unwrap_err();
        text.push_str(&format!("{e}\n{e:?}\n"));
    }
    for part in token.split('.') {
        assert!(!text.contains(part), "{text}");
    }
    assert!(!text.contains(&signature));
    assert!(text.contains("user_2abc")); // claims Debug shows who, not the token
}

// ---------------------------------------------------------------------------
// Session tokens against the JWKS
// ---------------------------------------------------------------------------

#[test]
fn jwks_is_fetched_once_through_the_pipeline_and_cached() {
    let mock = MockServer::start();
    let a = key_pair(A_PRIVATE);
    let route = mock
        .on("GET", "/v1/jwks")
        .reply(Reply::json(200, jwks(&[jwk(&a, "ins_a", "RS256")])));
    let sink = CaptureSink::new();
    let clerk = client(&mock, &sink, true);
    let wall = Wall::at(NOW);
    let auth = jwks_auth(&clerk, &wall, AuthOptions::default());
    let token = a_token(&session_claims());
    for _ in 0..3 {
        assert_eq!(auth.verify_session_token(&token).unwrap().sub, "user_2abc");
    }
    // Clones share the cache.
    assert!(auth.clone().verify_session_token(&token).is_ok());
    assert_eq!(route.hits(), 1);
    let requests = mock.requests();
    assert_eq!(method_paths(&requests), ["GET /v1/jwks"]);
    assert_eq!(
        requests[0].header("authorization"),
        Some(format!("Bearer {CLIENT_KEY}").as_str())
    );
    assert!(sink.text().contains("GetJWKS"), "{}", sink.text());
    assert!(!sink.text().contains(&token));
}

#[test]
fn jwks_keys_fix_rs384_and_rs512() {
    let mock = MockServer::start();
    let a = key_pair(A_PRIVATE);
    let b = key_pair(B_PRIVATE);
    mock.on("GET", "/v1/jwks").reply(Reply::json(
        200,
        jwks(&[jwk(&a, "k384", "RS384"), jwk(&b, "k512", "RS512")]),
    ));
    let clerk = client(&mock, &CaptureSink::new(), true);
    let wall = Wall::at(NOW);
    let auth = jwks_auth(&clerk, &wall, AuthOptions::default());
    let c = session_claims();
    let t384 = mint(&a, &json!({"alg": "RS384", "kid": "k384"}), &c);
    let t512 = mint(&b, &json!({"alg": "RS512", "kid": "k512"}), &c);
    assert!(auth.verify_session_token(&t384).is_ok());
    assert!(auth.verify_session_token(&t512).is_ok());
    // The same key, but the token claims another algorithm: refused before any math.
    let t256 = mint(&a, &json!({"alg": "RS256", "kid": "k384"}), &c);
    assert_eq!(
        reason(auth.verify_session_token(&t256)),
        Reason::BadAlgorithm
    );
    let t512_as_384 = mint(&b, &json!({"alg": "RS384", "kid": "k512"}), &c);
    assert_eq!(
        reason(auth.verify_session_token(&t512_as_384)),
        Reason::BadAlgorithm
    );
    // No `kid`: nothing to look up.
    let no_kid = mint(&a, &json!({"alg": "RS384"}), &c);
    assert_eq!(
        reason(auth.verify_session_token(&no_kid)),
        Reason::UnknownKey
    );
}

#[test]
fn jwks_ttl_is_five_minutes() {
    let mock = MockServer::start();
    let a = key_pair(A_PRIVATE);
    let route = mock
        .on("GET", "/v1/jwks")
        .reply(Reply::json(200, jwks(&[jwk(&a, "ins_a", "RS256")])));
    let clerk = client(&mock, &CaptureSink::new(), true);
    let wall = Wall::at(NOW);
    let auth = jwks_auth(
        &clerk,
        &wall,
        AuthOptions::default().with_clock_skew(Duration::from_secs(3600)),
    );
    let token = a_token(&session_claims());
    auth.verify_session_token(&token).unwrap();
    wall.advance(Duration::from_secs(299));
    auth.verify_session_token(&token).unwrap();
    assert_eq!(route.hits(), 1);
    wall.advance(Duration::from_secs(1));
    auth.verify_session_token(&token).unwrap();
    assert_eq!(route.hits(), 2);
    // A configured TTL.
    let short = Authenticator::builder()
        .clerk(&clerk)
        .jwks_ttl(Duration::from_secs(10))
        .options(AuthOptions::default().with_clock_skew(Duration::from_secs(3600)))
        .clock(wall.now())
        .build()
        .unwrap();
    short.verify_session_token(&token).unwrap();
    wall.advance(Duration::from_secs(10));
    short.verify_session_token(&token).unwrap();
    assert_eq!(route.hits(), 4);
}

#[test]
fn unknown_kid_refreshes_at_most_once_a_minute_and_finds_a_rotated_key() {
    let mock = MockServer::start();
    let a = key_pair(A_PRIVATE);
    let b = key_pair(B_PRIVATE);
    let route = mock
        .on("GET", "/v1/jwks")
        .reply(Reply::json(200, jwks(&[jwk(&a, "ins_a", "RS256")])))
        .reply(Reply::json(
            200,
            jwks(&[jwk(&a, "ins_a", "RS256"), jwk(&b, "ins_b", "RS256")]),
        ));
    let clerk = client(&mock, &CaptureSink::new(), true);
    let wall = Wall::at(NOW);
    let auth = jwks_auth(
        &clerk,
        &wall,
        AuthOptions::default().with_clock_skew(Duration::from_secs(3600)),
    );
    let by_a = a_token(&session_claims());
    let by_b = mint(&b, &header("ins_b"), &session_claims());

    auth.verify_session_token(&by_a).unwrap();
    assert_eq!(route.hits(), 1);
    // Within the minute after a fetch, an unknown `kid` does not fetch again.
    wall.advance(Duration::from_secs(30));
    assert_eq!(reason(auth.verify_session_token(&by_b)), Reason::UnknownKey);
    wall.advance(Duration::from_secs(29));
    assert_eq!(reason(auth.verify_session_token(&by_b)), Reason::UnknownKey);
    assert_eq!(route.hits(), 1);
    // A minute after the fetch it may: the rotated set has the key.
    wall.advance(Duration::from_secs(1));
    assert_eq!(auth.verify_session_token(&by_b).unwrap().sub, "user_2abc");
    assert_eq!(route.hits(), 2);
    // The refresh counts as a fetch: another unknown `kid` right after is refused at once.
    let by_c = mint(&b, &header("ins_c"), &session_claims());
    wall.advance(Duration::from_secs(1));
    assert_eq!(reason(auth.verify_session_token(&by_c)), Reason::UnknownKey);
    assert!(auth.verify_session_token(&by_a).is_ok());
    assert_eq!(route.hits(), 2);
}

#[test]
fn a_failed_fetch_does_not_poison_the_cache() {
    let mock = MockServer::start();
    let a = key_pair(A_PRIVATE);
    let b = key_pair(B_PRIVATE);
    let route = mock
        .on("GET", "/v1/jwks")
        .reply(Reply::json(
            500,
            r#"{"errors":[{"code":"internal","message":"boom"}]}"#,
        ))
        .reply(Reply::json(200, jwks(&[jwk(&a, "ins_a", "RS256")])))
        .reply(Reply::status(503))
        .reply(Reply::json(
            200,
            jwks(&[jwk(&a, "ins_a", "RS256"), jwk(&b, "ins_b", "RS256")]),
        ));
    let clerk = client(&mock, &CaptureSink::new(), false);
    let wall = Wall::at(NOW);
    let auth = jwks_auth(
        &clerk,
        &wall,
        AuthOptions::default().with_clock_skew(Duration::from_secs(3600)),
    );
    let by_a = a_token(&session_claims());
    let by_b = mint(&b, &header("ins_b"), &session_claims());

    // The first fetch fails: the caller learns that Clerk could not be asked...
    match auth.verify_session_token(&by_a) {
        Err(VerifyError::Unavailable(e)) => assert_eq!(e.error().status(), Some(500)),
        other => panic!("{other:?}"),
    }
    // ...and the very next call fetches again, with no waiting period.
    assert!(auth.verify_session_token(&by_a).is_ok());
    assert_eq!(route.hits(), 2);

    // A failed refresh for an unknown key leaves the cached keys as they were.
    wall.advance(Duration::from_secs(61));
    assert!(matches!(
        auth.verify_session_token(&by_b),
        Err(VerifyError::Unavailable(_))
    ));
    assert_eq!(route.hits(), 3);
    assert!(auth.verify_session_token(&by_a).is_ok());
    assert_eq!(route.hits(), 3);
    // And the next allowed refresh succeeds.
    wall.advance(Duration::from_secs(61));
    assert!(auth.verify_session_token(&by_b).is_ok());
    assert_eq!(route.hits(), 4);
}

#[test]
fn a_jwks_that_does_not_decode_is_a_failed_fetch() {
    let mock = MockServer::start();
    let a = key_pair(A_PRIVATE);
    mock.on("GET", "/v1/jwks")
        .reply(Reply::json(200, r#"{"keys": "not a list"}"#))
        .reply(Reply::json(200, jwks(&[jwk(&a, "ins_a", "RS256")])));
    let clerk = client(&mock, &CaptureSink::new(), true);
    let wall = Wall::at(NOW);
    let auth = jwks_auth(&clerk, &wall, AuthOptions::default());
    let token = a_token(&session_claims());
    match auth.verify_session_token(&token) {
        Err(VerifyError::Unavailable(e)) => assert!(matches!(e.error(), Error::Decode(_))),
        other => panic!("{other:?}"),
    }
    assert!(auth.verify_session_token(&token).is_ok());
}

#[test]
fn concurrent_callers_share_one_fetch() {
    let mock = MockServer::start();
    let a = key_pair(A_PRIVATE);
    let route = mock.on("GET", "/v1/jwks").reply(
        Reply::json(200, jwks(&[jwk(&a, "ins_a", "RS256")])).delay(Duration::from_millis(200)),
    );
    let clerk = client(&mock, &CaptureSink::new(), true);
    let wall = Wall::at(NOW);
    let auth = jwks_auth(&clerk, &wall, AuthOptions::default());
    let token = a_token(&session_claims());
    let threads: Vec<_> = (0..6)
        .map(|_| {
            let auth = auth.clone();
            let token = token.clone();
            std::thread::spawn(move || auth.verify_session_token(&token).map(|c| c.sub))
        })
        .collect();
    for t in threads {
        assert_eq!(t.join().unwrap().unwrap(), "user_2abc");
    }
    assert_eq!(route.hits(), 1);
}

#[test]
fn callers_that_waited_on_a_failed_fetch_share_its_error() {
    let mock = MockServer::start();
    let route = mock
        .on("GET", "/v1/jwks")
        .reply(Reply::status(500).delay(Duration::from_millis(300)));
    let clerk = client(&mock, &CaptureSink::new(), false);
    let wall = Wall::at(NOW);
    let auth = jwks_auth(&clerk, &wall, AuthOptions::default());
    let token = a_token(&session_claims());
    // Released together, so they all arrive within the fetch's 300 ms, not one by one as
    // they happen to be spawned on a busy machine.
    let start = std::sync::Arc::new(std::sync::Barrier::new(4));
    let threads: Vec<_> = (0..4)
        .map(|_| {
            let auth = auth.clone();
            let token = token.clone();
            let start = start.clone();
            std::thread::spawn(move || {
                start.wait();
                auth.verify_session_token(&token)
            })
        })
        .collect();
    for t in threads {
        assert!(matches!(
            t.join().unwrap(),
            Err(VerifyError::Unavailable(_))
        ));
    }
    // Threads that arrived while the first fetch ran did not each fetch in turn.
    assert!(route.hits() <= 2, "{} fetches", route.hits());
}

// ---------------------------------------------------------------------------
// authenticate_request
// ---------------------------------------------------------------------------

fn headers(pairs: &[(&str, &str)]) -> http::HeaderMap {
    let mut map = http::HeaderMap::new();
    for (name, value) in pairs {
        map.append(
            http::HeaderName::from_bytes(name.as_bytes()).unwrap(),
            http::HeaderValue::from_str(value).unwrap(),
        );
    }
    map
}

#[test]
fn bearer_header_then_session_cookie() {
    let wall = Wall::at(NOW);
    let auth = pem_auth(AuthOptions::default(), &wall);
    let token = a_token(&session_claims());

    let state = auth
        .authenticate_request(&headers(&[("Authorization", &format!("Bearer {token}"))]))
        .unwrap();
    assert!(state.is_signed_in());
    assert_eq!(state.session().unwrap().user_id(), "user_2abc");
    assert_eq!(
        state.identity().unwrap().token_type(),
        TokenType::SessionToken
    );
    assert_eq!(state.identity().unwrap().subject(), "user_2abc");

    let cookie = format!("theme=dark; __session={token}; other=1");
    let state = auth
        .authenticate_request(&headers(&[("Cookie", &cookie)]))
        .unwrap();
    assert_eq!(state.session().unwrap().session_id(), Some("sess_2abc"));

    // The header wins over the cookie, even when it is the bad one.
    let mut expired = session_claims();
    expired["exp"] = json!(NOW - 100);
    let both = headers(&[
        ("authorization", &format!("Bearer {}", a_token(&expired))),
        ("cookie", &format!("__session={token}")),
    ]);
    assert_eq!(
        auth.authenticate_request(&both).unwrap().reason(),
        Some(Reason::Expired)
    );

    // No token at all.
    let none = auth
        .authenticate_request(&headers(&[("cookie", "a=b")]))
        .unwrap();
    assert_eq!(none.reason(), Some(Reason::NoToken));
    assert!(!none.is_signed_in());
}

#[test]
fn pending_sessions_are_signed_out_unless_accepted() {
    let wall = Wall::at(NOW);
    let auth = pem_auth(AuthOptions::default(), &wall);
    let mut c = session_claims();
    c["sts"] = json!("pending");
    let token = a_token(&c);
    let request = headers(&[("authorization", &format!("Bearer {token}"))]);
    let state = auth.authenticate_request(&request).unwrap();
    assert_eq!(state.reason(), Some(Reason::SessionPending));
    // The token itself is valid; only the request-level policy refuses it.
    let claims = auth.verify_session_token(&token).unwrap();
    assert!(claims.is_pending());
    assert_eq!(claims.session_status(), Some("pending"));
    let lenient = auth.with_options(AuthOptions::default().with_pending_sessions(true));
    let state = lenient.authenticate_request(&request).unwrap();
    assert!(state.session().unwrap().is_pending());
    // Active, and absent (instances that have not opted in), are signed in.
    for sts in [json!("active"), Value::Null] {
        let mut c = session_claims();
        c["sts"] = sts;
        let request = headers(&[("authorization", &format!("Bearer {}", a_token(&c)))]);
        assert!(auth.authenticate_request(&request).unwrap().is_signed_in());
    }
}

#[test]
fn a_header_lookup_closure_works_like_a_header_map() {
    let wall = Wall::at(NOW);
    let auth = pem_auth(AuthOptions::default(), &wall);
    let token = a_token(&session_claims());
    let cookie = format!("__session={token}");
    let state = auth
        .authenticate_with(|name| (name == "cookie").then(|| cookie.clone()))
        .unwrap();
    assert_eq!(state.session().unwrap().user_id(), "user_2abc");
    let state = auth.authenticate_with(|_| None).unwrap();
    assert_eq!(state.reason(), Some(Reason::NoToken));
}

#[test]
fn token_types_not_accepted_are_signed_out_without_a_call() {
    let mock = MockServer::start();
    let clerk = client(&mock, &CaptureSink::new(), true);
    let wall = Wall::at(NOW);
    let pem = A_PUBLIC;
    let sessions_only = Authenticator::builder()
        .clerk(&clerk)
        .jwt_key(pem)
        .clock(wall.now())
        .build()
        .unwrap();
    for machine in ["ak_secret123", "mt_secret123", "oat_secret123"] {
        let state = sessions_only
            .authenticate_request(&headers(&[("authorization", &format!("Bearer {machine}"))]))
            .unwrap();
        assert_eq!(
            state.reason(),
            Some(Reason::TokenTypeNotAccepted),
            "{machine}"
        );
    }
    let api_keys_only = sessions_only
        .with_options(AuthOptions::default().with_accepted_tokens([TokenType::ApiKey]));
    let session = a_token(&session_claims());
    let state = api_keys_only
        .authenticate_request(&headers(&[("authorization", &format!("Bearer {session}"))]))
        .unwrap();
    assert_eq!(state.reason(), Some(Reason::TokenTypeNotAccepted));
    // A machine token in the cookie is read as a session token.
    let state = sessions_only
        .authenticate_request(&headers(&[("cookie", "__session=ak_secret123")]))
        .unwrap();
    assert_eq!(state.reason(), Some(Reason::Malformed));
    assert_eq!(mock.request_count(), 0);
}

#[test]
fn jwks_outage_is_an_error_not_a_sign_out() {
    let mock = MockServer::start();
    mock.on("GET", "/v1/jwks").reply(Reply::status(503));
    let clerk = client(&mock, &CaptureSink::new(), false);
    let wall = Wall::at(NOW);
    let auth = jwks_auth(&clerk, &wall, AuthOptions::default());
    let token = a_token(&session_claims());
    let err = auth
        .authenticate_request(&headers(&[("authorization", &format!("Bearer {token}"))]))
        .unwrap_err();
    assert_eq!(err.error().status(), Some(503));
    assert!(err.error().is_retryable());
    let text = format!("{err}\n{err:?}");
    assert!(!text.contains(&token[..40]), "{text}");
}

// ---------------------------------------------------------------------------
// Machine tokens
// ---------------------------------------------------------------------------

const M2M_SECRET: &str = "mt_SECRETm2mTOKEN0123456789";
const API_KEY_SECRET: &str = "ak_SECRETapiKEY0123456789";
const OAUTH_SECRET: &str = "oat_SECREToauthTOKEN0123456789";

fn m2m_body() -> String {
    json!({
        "object": "machine_to_machine_token",
        "id": "mt_f7f0ba8c3b4843ce7d85fcdd5e71853e",
        "subject": "mch_2xhFjEI5X2qWRvtV13BzSj8H6Dk",
        "claims": {"important_metadata": "Some useful data"},
        "scopes": ["mch_2yGkLpQ7Y3rXSwtU24CzTk9I7Em"],
        "revoked": false,
        "revocation_reason": null,
        "expired": false,
        "expiration": 1716883200000_i64,
        "last_used_at": null,
        "created_at": 1716883200000_i64,
        "updated_at": 1716883200000_i64
    })
    .to_string()
}

fn api_key_body() -> Value {
    json!({
        "object": "api_key",
        "id": "ak_3beecc9c60adb5f9b850e91a8ee1e992",
        "type": "api_key",
        "subject": "org_2xhFjEI5X2qWRvtV13BzSj8H6Dk",
        "name": "MY_SERVICE_API_KEY",
        "description": null,
        "claims": null,
        "scopes": ["read", "write"],
        "revoked": false,
        "revocation_reason": null,
        "expired": false,
        "expiration": null,
        "created_by": "user_2xhFjEI5X2qWRvtV13BzSj8H6Dk",
        "last_used_at": 1716883200.5,
        "created_at": 1716883200,
        "updated_at": 1716883200
    })
}

fn oauth_body() -> String {
    json!({
        "object": "clerk_idp_oauth_access_token",
        "id": "oat_0ef5a7a33d87ed87ee7954c845d80450",
        "client_id": "client_2xhFjEI5X2qWRvtV13BzSj8H6Dk",
        "subject": "user_2xhFjEI5X2qWRvtV13BzSj8H6Dk",
        "scopes": ["read"],
        "revoked": false,
        "revocation_reason": null,
        "expired": false,
        "expiration": 1716883200,
        "created_at": 1716883200,
        "updated_at": 1716883200
    })
    .to_string()
}

fn machine_auth(clerk: &Clerk) -> Authenticator {
    Authenticator::builder()
        .clerk(clerk)
        .options(AuthOptions::default().with_accepted_tokens(TokenType::ALL))
        .build()
        .unwrap()
}

#[test]
fn m2m_tokens_are_verified_by_clerk() {
    let mock = MockServer::start();
    mock.on("POST", "/v1/m2m_tokens/verify")
        .reply(Reply::json(200, m2m_body()));
    let clerk = client(&mock, &CaptureSink::new(), true);
    let m = machine_auth(&clerk)
        .verify_machine_token(M2M_SECRET)
        .unwrap();
    assert_eq!(m.token_type, TokenType::M2mToken);
    assert_eq!(m.id, "mt_f7f0ba8c3b4843ce7d85fcdd5e71853e");
    assert_eq!(m.machine_id(), Some("mch_2xhFjEI5X2qWRvtV13BzSj8H6Dk"));
    assert_eq!(m.user_id(), None);
    assert_eq!(m.scopes, ["mch_2yGkLpQ7Y3rXSwtU24CzTk9I7Em"]);
    assert_eq!(
        m.claims,
        Some(json!({"important_metadata": "Some useful data"}))
    );
    assert_eq!(m.expiration, Some(1716883200000));
    let requests = mock.requests();
    assert_eq!(method_paths(&requests), ["POST /v1/m2m_tokens/verify"]);
    assert_eq!(requests[0].body_json(), json!({"token": M2M_SECRET}));
    assert_eq!(
        requests[0].header("authorization"),
        Some(format!("Bearer {CLIENT_KEY}").as_str())
    );
}

#[test]
fn api_keys_are_verified_by_clerk() {
    let mock = MockServer::start();
    mock.on("POST", "/v1/api_keys/verify")
        .reply(Reply::json(200, api_key_body().to_string()));
    let clerk = client(&mock, &CaptureSink::new(), true);
    let m = machine_auth(&clerk)
        .verify_machine_token(API_KEY_SECRET)
        .unwrap();
    assert_eq!(m.token_type, TokenType::ApiKey);
    assert_eq!(m.name.as_deref(), Some("MY_SERVICE_API_KEY"));
    assert_eq!(m.org_id(), Some("org_2xhFjEI5X2qWRvtV13BzSj8H6Dk"));
    assert_eq!(m.claims, None);
    assert_eq!(m.expiration, None);
    assert_eq!(
        mock.requests()[0].body_json(),
        json!({"secret": API_KEY_SECRET})
    );
}

#[test]
fn oauth_access_tokens_are_verified_by_clerk() {
    let mock = MockServer::start();
    mock.on("POST", "/v1/oauth_applications/access_tokens/verify")
        .reply(Reply::json(200, oauth_body()))
        .reply(Reply::json(200, r#"{"active": false}"#));
    let clerk = client(&mock, &CaptureSink::new(), true);
    let auth = machine_auth(&clerk);
    let m = auth.verify_machine_token(OAUTH_SECRET).unwrap();
    assert_eq!(m.token_type, TokenType::OauthToken);
    assert_eq!(
        m.client_id.as_deref(),
        Some("client_2xhFjEI5X2qWRvtV13BzSj8H6Dk")
    );
    assert_eq!(m.user_id(), Some("user_2xhFjEI5X2qWRvtV13BzSj8H6Dk"));
    assert_eq!(
        mock.requests()[0].body_json(),
        json!({"access_token": OAUTH_SECRET})
    );
    assert_eq!(
        reason(auth.verify_machine_token(OAUTH_SECRET)),
        Reason::Expired
    );
}

#[test]
fn revoked_expired_and_unknown_machine_tokens() {
    let mock = MockServer::start();
    let mut revoked = api_key_body();
    revoked["revoked"] = json!(true);
    revoked["revocation_reason"] = json!("Revoked by user");
    let mut expired = api_key_body();
    expired["expired"] = json!(true);
    mock.on("POST", "/v1/api_keys/verify")
        .reply(Reply::json(200, revoked.to_string()))
        .reply(Reply::json(200, expired.to_string()))
        .reply(Reply::json(
            404,
            r#"{"errors":[{"code":"not_found","message":"not found","long_message":"x"}]}"#,
        ))
        .reply(Reply::json(
            400,
            r#"{"errors":[{"code":"bad_request","message":"Bad Request","long_message":"x"}]}"#,
        ));
    let clerk = client(&mock, &CaptureSink::new(), true);
    let auth = machine_auth(&clerk);
    assert_eq!(
        reason(auth.verify_machine_token(API_KEY_SECRET)),
        Reason::Revoked
    );
    assert_eq!(
        reason(auth.verify_machine_token(API_KEY_SECRET)),
        Reason::Expired
    );
    assert_eq!(
        reason(auth.verify_machine_token(API_KEY_SECRET)),
        Reason::NotFound
    );
    assert_eq!(
        reason(auth.verify_machine_token(API_KEY_SECRET)),
        Reason::NotFound
    );
}

#[test]
fn clerk_failures_are_unavailable_not_invalid() {
    let mock = MockServer::start();
    mock.on("POST", "/v1/m2m_tokens/verify")
        .reply(Reply::json(401, r#"{"errors":[{"code":"authentication_invalid","message":"bad key","long_message":"x"}]}"#))
        .reply(Reply::status(500))
        .reply(Reply::json(200, r#"{"unexpected": true}"#));
    let clerk = client(&mock, &CaptureSink::new(), true);
    let auth = machine_auth(&clerk);
    for status in [Some(401), Some(500), Some(200)] {
        match auth.verify_machine_token(M2M_SECRET) {
            Err(VerifyError::Unavailable(e)) => assert_eq!(e.error().status(), status),
            other => panic!("{other:?}"),
        }
    }
    // A POST is not retried on 500: three calls, three requests.
    assert_eq!(mock.request_count(), 3);
}

#[test]
fn unknown_prefixes_are_a_clear_error_without_a_call() {
    let mock = MockServer::start();
    let clerk = client(&mock, &CaptureSink::new(), true);
    let auth = machine_auth(&clerk);
    for token in ["sk_test_x", "", "AK_upper", "mt", "oat"] {
        let err = auth.verify_machine_token(token).unwrap_err();
        assert_eq!(err.reason(), Some(Reason::UnknownTokenType), "{token}");
        assert!(err.to_string().contains("`mt_`, `ak_` or `oat_`"), "{err}");
    }
    // Something with dots is read as a JWT (a machine JWT is verified offline).
    let err = auth.verify_machine_token("eyJhbGciOi.x.y").unwrap_err();
    assert_eq!(err.reason(), Some(Reason::Malformed));
    assert_eq!(mock.request_count(), 0);
    // Without a client, a machine token cannot be checked.
    let wall = Wall::at(NOW);
    let offline = pem_auth(AuthOptions::default(), &wall);
    match offline.verify_machine_token(M2M_SECRET) {
        Err(VerifyError::Unavailable(e)) => assert_invalid(e.error()),
        other => panic!("{other:?}"),
    }
}

#[test]
fn authenticate_request_with_machine_tokens() {
    let mock = MockServer::start();
    mock.on("POST", "/v1/api_keys/verify")
        .reply(Reply::json(200, api_key_body().to_string()))
        .reply(Reply::status(404))
        .reply(Reply::status(502));
    let sink = CaptureSink::new();
    let clerk = client(&mock, &sink, false);
    let auth = machine_auth(&clerk);
    let bearer = headers(&[("authorization", &format!("Bearer {API_KEY_SECRET}"))]);
    let state = auth.authenticate_request(&bearer).unwrap();
    match &state {
        RequestState::SignedIn(Identity::Machine(m)) => {
            assert_eq!(m.token_type, TokenType::ApiKey);
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(
        state.machine().unwrap().id,
        "ak_3beecc9c60adb5f9b850e91a8ee1e992"
    );
    assert_eq!(
        auth.authenticate_request(&bearer).unwrap().reason(),
        Some(Reason::NotFound)
    );
    let err = auth.authenticate_request(&bearer).unwrap_err();
    assert_eq!(err.error().status(), Some(502));

    // No secret in errors, identities or log events.
    let text = format!(
        "{err}\n{err:?}\n{}\n{state:?}\n{}",
        error_text(err.error()),
        sink.text()
    );
    for secret in [API_KEY_SECRET, "SECRETapiKEY", CLIENT_KEY] {
        assert!(!text.contains(secret), "{secret} in {text}");
    }
}

// ---------------------------------------------------------------------------
// Building
// ---------------------------------------------------------------------------

#[test]
fn building_refuses_what_cannot_work() {
    let e = Authenticator::builder().build().unwrap_err();
    assert_invalid(&e);
    assert!(e.to_string().contains("CLERK_JWT_KEY"), "{e}");
    // An empty key (an unset environment variable) counts as none.
    assert_invalid(&Authenticator::builder().jwt_key("  ").build().unwrap_err());
    let e =
        Authenticator::from_jwt_key("-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----")
            .unwrap_err();
    assert_invalid(&e);
    let small = include_str!("fixtures/keys/rsa_1024.pub.pem");
    assert!(
        Authenticator::from_jwt_key(small)
            .unwrap_err()
            .to_string()
            .contains("2048")
    );
    // Machine tokens without a client: machine JWTs verify offline with the key, opaque
    // machine tokens are `Unavailable` (unknown_prefixes_are_a_clear_error_without_a_call).
    assert!(
        Authenticator::builder()
            .jwt_key(A_PUBLIC)
            .options(AuthOptions::default().with_accepted_tokens([TokenType::M2mToken]))
            .build()
            .is_ok()
    );
    // A private key is not a public key.
    assert_invalid(&Authenticator::from_jwt_key(A_PRIVATE).unwrap_err());
    // The default options.
    let auth = Authenticator::from_jwt_key(A_PUBLIC).unwrap();
    assert_eq!(auth.options(), &AuthOptions::default());
    assert_eq!(auth.options().clock_skew, Duration::from_secs(5));
    assert_eq!(auth.options().accepted_tokens, [TokenType::SessionToken]);
}

// ---------------------------------------------------------------------------
// The example
// ---------------------------------------------------------------------------

#[test]
fn the_verify_session_example_runs_offline() {
    let (claims, tampered) = verify_session::demo().unwrap();
    assert_eq!(claims.user_id(), "user_2abcSAMPLE");
    assert_eq!(claims.org_id(), Some("org_2xyzSAMPLE"));
    assert_eq!(tampered, Some(Reason::BadSignature));
}

// ---------------------------------------------------------------------------
// Token kinds: every JWT the instance key signs is only what it is
// ---------------------------------------------------------------------------

const CAT_SESSION: &str = "cl_B7d4PD111AAA";
const CAT_TEMPLATE: &str = "cl_B7d4PD222AAA";
const CAT_M2M: &str = "cl_B7d4PD333AAA";
const CAT_IGNORE: &str = "cl_I7d4PD111III";

/// A header with these extra fields (`cat`, `typ`), for key A.
fn header_with(fields: &[(&str, &str)]) -> Value {
    let mut h = header("ins_a");
    for (name, value) in fields {
        h[*name] = json!(value);
    }
    h
}

/// Claims of an M2M token in JWT form, as `POST /m2m_tokens` with `token_format: jwt` mints.
fn m2m_jwt_claims() -> Value {
    json!({
        "iss": "https://clerk.example.com",
        "sub": "mch_2xhFjEI5X2qWRvtV13BzSj8H6Dk",
        "aud": ["mch_2yGkLpQ7Y3rXSwtU24CzTk9I7Em"],
        "jti": "mt_2zDfE4gH5iJ6kL7mN8oP9qR0sT1",
        "exp": NOW + 60, "iat": NOW - 10, "nbf": NOW - 10,
        "region": "eu"
    })
}

/// Claims of a JWT-template token: the template's claims, no `sid`.
fn template_claims() -> Value {
    json!({
        "iss": "https://clerk.example.com",
        "sub": "user_2abc", "azp": "https://app.example.com",
        "exp": NOW + 60, "iat": NOW - 10, "nbf": NOW - 10,
        "email": "ada@example.com", "aud": "convex"
    })
}

/// Claims of an OAuth access token in JWT form (RFC 9068).
fn oauth_jwt_claims() -> Value {
    json!({
        "iss": "https://clerk.example.com",
        "sub": "user_2abc",
        "client_id": "client_2xhFjEI5X2qWRvtV13BzSj8H6Dk",
        "jti": "oat_2zDfE4gH5iJ6kL7mN8oP9qR0sT1",
        "scope": "profile email",
        "exp": NOW + 60, "iat": NOW - 10, "nbf": NOW - 10
    })
}

/// Every kind of token, by name: the JWTs signed by key A with the real header and claims.
fn every_kind() -> Vec<(&'static str, String)> {
    let a = key_pair(A_PRIVATE);
    let mut no_sid = session_claims();
    no_sid.as_object_mut().unwrap().remove("sid");
    vec![
        (
            "session",
            mint(&a, &header_with(&[("cat", CAT_SESSION)]), &session_claims()),
        ),
        ("session (no cat)", a_token(&session_claims())),
        (
            "session (ignore cat)",
            mint(&a, &header_with(&[("cat", CAT_IGNORE)]), &session_claims()),
        ),
        (
            "m2m jwt",
            mint(&a, &header_with(&[("cat", CAT_M2M)]), &m2m_jwt_claims()),
        ),
        ("m2m jwt (no cat)", a_token(&m2m_jwt_claims())),
        (
            "template",
            mint(
                &a,
                &header_with(&[("cat", CAT_TEMPLATE)]),
                &template_claims(),
            ),
        ),
        ("template (no cat)", a_token(&no_sid)),
        (
            "oauth jwt",
            mint(&a, &header_with(&[("typ", "at+jwt")]), &oauth_jwt_claims()),
        ),
        (
            "unknown cat",
            mint(
                &a,
                &header_with(&[("cat", "cl_B7d4PD999AAA")]),
                &session_claims(),
            ),
        ),
        ("mt_", M2M_SECRET.to_owned()),
        ("ak_", API_KEY_SECRET.to_owned()),
        ("oat_", OAUTH_SECRET.to_owned()),
    ]
}

/// What `authenticate_request` said, in two letters: `S` signed in as a session, `M` as a
/// machine, or the reason: `NA` type not accepted, `MM` type mismatch, `MF` malformed.
fn outcome(state: &RequestState) -> &'static str {
    match state {
        RequestState::SignedIn(Identity::Session(_)) => "S",
        RequestState::SignedIn(Identity::Machine(_)) => "M",
        RequestState::SignedOut(e) => match e.reason() {
            Reason::TokenTypeNotAccepted => "NA",
            Reason::TokenTypeMismatch => "MM",
            Reason::Malformed => "MF",
            other => panic!("unexpected reason {other:?}"),
        },
        _ => panic!("unexpected state"),
    }
}

/// An authenticator with key A, a client whose machine-token endpoints answer, and a clock
/// at `NOW`.
fn kinds_auth(mock: &MockServer) -> Authenticator {
    mock.on("POST", "/v1/m2m_tokens/verify")
        .reply(Reply::json(200, m2m_body()));
    mock.on("POST", "/v1/api_keys/verify")
        .reply(Reply::json(200, api_key_body().to_string()));
    mock.on("POST", "/v1/oauth_applications/access_tokens/verify")
        .reply(Reply::json(200, oauth_body()));
    let clerk = client(mock, &CaptureSink::new(), true);
    Authenticator::builder()
        .clerk(&clerk)
        .jwt_key(A_PUBLIC)
        .clock(Wall::at(NOW).now())
        .build()
        .unwrap()
}

/// The table of the `auth` module docs, row by row: for each token, what the bearer header
/// and the `__session` cookie give with each accepted-types setting.
#[test]
fn each_token_kind_from_header_and_cookie_with_each_accepted_setting() {
    let mock = MockServer::start();
    let auth = kinds_auth(&mock);
    let settings: [(&str, Vec<TokenType>); 5] = [
        ("session", vec![TokenType::SessionToken]),
        ("m2m", vec![TokenType::M2mToken]),
        ("api_key", vec![TokenType::ApiKey]),
        ("oauth", vec![TokenType::OauthToken]),
        ("all", TokenType::ALL.to_vec()),
    ];
    // Header with session, m2m, api_key, oauth, all | cookie with the same five.
    #[rustfmt::skip]
    let table: [(&str, [&str; 5], [&str; 5]); 12] = [
        ("session",              ["S",  "NA", "NA", "NA", "S"],  ["S",  "NA", "NA", "NA", "S"]),
        ("session (no cat)",     ["S",  "NA", "NA", "NA", "S"],  ["S",  "NA", "NA", "NA", "S"]),
        ("session (ignore cat)", ["S",  "NA", "NA", "NA", "S"],  ["S",  "NA", "NA", "NA", "S"]),
        ("m2m jwt",              ["NA", "M",  "NA", "NA", "M"],  ["MM", "NA", "NA", "NA", "MM"]),
        ("m2m jwt (no cat)",     ["NA", "M",  "NA", "NA", "M"],  ["MM", "NA", "NA", "NA", "MM"]),
        ("template",             ["MM", "NA", "NA", "NA", "MM"], ["MM", "NA", "NA", "NA", "MM"]),
        ("template (no cat)",    ["MM", "NA", "NA", "NA", "MM"], ["MM", "NA", "NA", "NA", "MM"]),
        ("oauth jwt",            ["NA", "NA", "NA", "M",  "M"],  ["MM", "NA", "NA", "NA", "MM"]),
        ("unknown cat",          ["MM", "NA", "NA", "NA", "MM"], ["MM", "NA", "NA", "NA", "MM"]),
        ("mt_",                  ["NA", "M",  "NA", "NA", "M"],  ["MF", "NA", "NA", "NA", "MF"]),
        ("ak_",                  ["NA", "NA", "M",  "NA", "M"],  ["MF", "NA", "NA", "NA", "MF"]),
        ("oat_",                 ["NA", "NA", "NA", "M",  "M"],  ["MF", "NA", "NA", "NA", "MF"]),
    ];
    let tokens = every_kind();
    assert_eq!(tokens.len(), table.len());
    for ((name, token), (row, header_row, cookie_row)) in tokens.iter().zip(&table) {
        assert_eq!(name, row);
        for (i, (setting, accepted)) in settings.iter().enumerate() {
            let auth =
                auth.with_options(AuthOptions::default().with_accepted_tokens(accepted.clone()));
            let bearer = headers(&[("authorization", &format!("Bearer {token}"))]);
            let cookie = headers(&[("cookie", &format!("__session={token}"))]);
            let got = outcome(&auth.authenticate_request(&bearer).unwrap());
            assert_eq!(
                got, header_row[i],
                "{name} in the header, accepting {setting}"
            );
            let got = outcome(&auth.authenticate_request(&cookie).unwrap());
            assert_eq!(
                got, cookie_row[i],
                "{name} in the cookie, accepting {setting}"
            );
        }
    }
    // Opaque machine tokens were verified by Clerk; every JWT offline.
    assert!(mock.requests().iter().all(|r| r.path.ends_with("/verify")));
}

#[test]
fn verify_session_token_refuses_every_other_kind_of_jwt() {
    let mock = MockServer::start();
    let auth = kinds_auth(&mock);
    let kinds = every_kind();
    for (name, token) in &kinds[..9] {
        let got = auth.verify_session_token(token);
        if name.starts_with("session") {
            let claims = got.unwrap();
            assert_eq!(claims.user_id(), "user_2abc", "{name}");
        } else {
            assert_eq!(reason(got), Reason::TokenTypeMismatch, "{name}");
        }
    }
    // The same through the JWKS path, with no PEM key: the kind is not a property of the key.
    let jwks_mock = MockServer::start();
    jwks_mock.on("GET", "/v1/jwks").reply(Reply::json(
        200,
        jwks(&[jwk(&key_pair(A_PRIVATE), "ins_a", "RS256")]),
    ));
    let clerk = client(&jwks_mock, &CaptureSink::new(), true);
    let via_jwks = jwks_auth(&clerk, &Wall::at(NOW), AuthOptions::default());
    for (name, token) in &kinds[3..9] {
        assert_eq!(
            reason(via_jwks.verify_session_token(token)),
            Reason::TokenTypeMismatch,
            "{name}"
        );
    }
    // A forged token of another kind is refused for its signature, not its kind.
    let forged = mint(
        &key_pair(B_PRIVATE),
        &header_with(&[("cat", CAT_M2M)]),
        &m2m_jwt_claims(),
    );
    assert_eq!(
        reason(auth.verify_session_token(&forged)),
        Reason::BadSignature
    );
    assert_eq!(mock.request_count(), 0);
}

#[test]
fn jwt_templates_are_session_tokens_only_when_opted_in() {
    let wall = Wall::at(NOW);
    let auth = pem_auth(AuthOptions::default().with_jwt_templates(true), &wall);
    for (name, token) in &every_kind()[5..7] {
        let claims = auth.verify_session_token(token).unwrap();
        assert_eq!(claims.user_id(), "user_2abc", "{name}");
        assert_eq!(claims.session_id(), None, "{name}");
        let state = auth
            .authenticate_request(&headers(&[("authorization", &format!("Bearer {token}"))]))
            .unwrap();
        assert!(state.session().is_some(), "{name}");
        let state = auth
            .authenticate_request(&headers(&[("cookie", &format!("__session={token}"))]))
            .unwrap();
        assert!(state.session().is_some(), "{name}");
    }
    // Opting in to templates lets in no machine token.
    for (name, token) in &every_kind()[3..5] {
        assert_eq!(
            reason(auth.verify_session_token(token)),
            Reason::TokenTypeMismatch,
            "{name}"
        );
    }
}

#[test]
fn machine_jwts_are_verified_offline_with_the_pem_key_or_the_cached_jwks() {
    let wall = Wall::at(NOW);
    let offline = pem_auth(AuthOptions::default(), &wall);
    let kinds = every_kind();
    let m2m = offline.verify_machine_token(&kinds[3].1).unwrap();
    assert_eq!(m2m.token_type, TokenType::M2mToken);
    assert_eq!(m2m.id, "mt_2zDfE4gH5iJ6kL7mN8oP9qR0sT1");
    assert_eq!(m2m.machine_id(), Some("mch_2xhFjEI5X2qWRvtV13BzSj8H6Dk"));
    assert_eq!(m2m.scopes, ["mch_2yGkLpQ7Y3rXSwtU24CzTk9I7Em"]);
    assert_eq!(m2m.claims, Some(json!({"region": "eu"})));
    assert_eq!(m2m.expiration, Some((NOW + 60) * 1000));
    assert_eq!(offline.verify_machine_token(&kinds[4].1).unwrap(), m2m);
    let oauth = offline.verify_machine_token(&kinds[7].1).unwrap();
    assert_eq!(oauth.token_type, TokenType::OauthToken);
    assert_eq!(oauth.id, "oat_2zDfE4gH5iJ6kL7mN8oP9qR0sT1");
    assert_eq!(oauth.user_id(), Some("user_2abc"));
    assert_eq!(
        oauth.client_id.as_deref(),
        Some("client_2xhFjEI5X2qWRvtV13BzSj8H6Dk")
    );
    assert_eq!(oauth.scopes, ["profile", "email"]);
    assert_eq!(oauth.claims, None);
    // `scp` wins over `scope` for OAuth; `scopes` is read when an M2M JWT has no `aud`.
    let a = key_pair(A_PRIVATE);
    let mut c = oauth_jwt_claims();
    c["scp"] = json!(["read", "write"]);
    let t = mint(&a, &header_with(&[("typ", "application/at+jwt")]), &c);
    assert_eq!(
        offline.verify_machine_token(&t).unwrap().scopes,
        ["read", "write"]
    );
    let mut c = m2m_jwt_claims();
    c.as_object_mut().unwrap().remove("aud");
    c["scopes"] = json!("mch_x mch_y");
    let t = mint(&a, &header_with(&[("cat", CAT_M2M)]), &c);
    assert_eq!(
        offline.verify_machine_token(&t).unwrap().scopes,
        ["mch_x", "mch_y"]
    );

    // Session and template tokens are not machine tokens.
    for (name, token) in kinds[..3].iter().chain(&kinds[5..7]) {
        assert_eq!(
            reason(offline.verify_machine_token(token)),
            Reason::TokenTypeMismatch,
            "{name}"
        );
    }
    // A machine JWT whose category says otherwise, or an M2M category on a user.
    let m2m_as_session = mint(&a, &header_with(&[("cat", CAT_SESSION)]), &m2m_jwt_claims());
    let oauth_as_m2m = mint(
        &a,
        &header_with(&[("typ", "at+jwt"), ("cat", CAT_M2M)]),
        &oauth_jwt_claims(),
    );
    let m2m_on_user = mint(&a, &header_with(&[("cat", CAT_M2M)]), &session_claims());
    for (name, token) in [
        ("m2m as session", &m2m_as_session),
        ("oauth as m2m", &oauth_as_m2m),
        ("m2m on a user", &m2m_on_user),
    ] {
        assert_eq!(
            reason(offline.verify_machine_token(token)),
            Reason::TokenTypeMismatch,
            "{name}"
        );
        assert_eq!(
            reason(offline.verify_session_token(token)),
            Reason::TokenTypeMismatch,
            "{name}"
        );
    }
    // The time checks hold as for sessions, and a forged one fails its signature.
    wall.set_ms((NOW + 120) * 1000);
    assert_eq!(
        reason(offline.verify_machine_token(&kinds[3].1)),
        Reason::Expired
    );
    wall.set_ms(NOW * 1000);
    let forged = mint(
        &key_pair(B_PRIVATE),
        &header_with(&[("cat", CAT_M2M)]),
        &m2m_jwt_claims(),
    );
    assert_eq!(
        reason(offline.verify_machine_token(&forged)),
        Reason::BadSignature
    );

    // Through the JWKS: one fetch, then no call at all, never a verify endpoint.
    let mock = MockServer::start();
    mock.on("GET", "/v1/jwks")
        .reply(Reply::json(200, jwks(&[jwk(&a, "ins_a", "RS256")])));
    let clerk = client(&mock, &CaptureSink::new(), true);
    let via_jwks = jwks_auth(
        &clerk,
        &wall,
        AuthOptions::default().with_accepted_tokens(TokenType::ALL),
    );
    for _ in 0..3 {
        assert_eq!(via_jwks.verify_machine_token(&kinds[3].1).unwrap(), m2m);
        assert_eq!(via_jwks.verify_machine_token(&kinds[7].1).unwrap(), oauth);
    }
    let state = via_jwks
        .authenticate_request(&headers(&[(
            "authorization",
            &format!("Bearer {}", kinds[3].1),
        )]))
        .unwrap();
    assert_eq!(state.machine(), Some(&m2m));
    assert_eq!(method_paths(&mock.requests()), ["GET /v1/jwks"]);
}

#[test]
fn the_audience_is_checked_on_every_jwt_when_set() {
    let wall = Wall::at(NOW);
    let kinds = every_kind();
    let none = pem_auth(AuthOptions::default().with_jwt_templates(true), &wall);
    let receiver = pem_auth(
        AuthOptions::default()
            .with_jwt_templates(true)
            .with_audience(["mch_2yGkLpQ7Y3rXSwtU24CzTk9I7Em"]),
        &wall,
    );
    let convex = pem_auth(
        AuthOptions::default()
            .with_jwt_templates(true)
            .with_audience(["convex"]),
        &wall,
    );
    // The M2M JWT names the receiving machine in `aud`.
    assert!(none.verify_machine_token(&kinds[3].1).is_ok());
    assert!(receiver.verify_machine_token(&kinds[3].1).is_ok());
    assert_eq!(
        reason(convex.verify_machine_token(&kinds[3].1)),
        Reason::WrongAudience
    );
    // The template has `aud: "convex"`; the session token and the OAuth JWT have none.
    assert!(convex.verify_session_token(&kinds[5].1).is_ok());
    assert_eq!(
        reason(receiver.verify_session_token(&kinds[5].1)),
        Reason::WrongAudience
    );
    assert_eq!(
        reason(convex.verify_session_token(&kinds[0].1)),
        Reason::WrongAudience
    );
    assert_eq!(
        reason(convex.verify_machine_token(&kinds[7].1)),
        Reason::WrongAudience
    );
    assert!(none.verify_session_token(&kinds[0].1).is_ok());
    assert!(none.verify_machine_token(&kinds[7].1).is_ok());
}

#[test]
fn has_reads_the_claims_of_a_verified_session() {
    use clerk_backend_api::auth::Authorization;
    let wall = Wall::at(NOW);
    let auth = pem_auth(AuthOptions::default(), &wall);
    // Version 2 (the `session_claims` of these tests): role admin, feature invoices with
    // permissions read and manage.
    let mut v2 = session_claims();
    v2["pla"] = json!("o:pro");
    let claims = auth.verify_session_token(&a_token(&v2)).unwrap();
    assert!(claims.has(&Authorization::role("org:admin")));
    assert!(claims.has(&Authorization::permission("org:invoices:manage")));
    assert!(claims.has(&Authorization::feature("org:invoices")));
    assert!(claims.has(&Authorization::plan("pro")));
    assert!(!claims.has(&Authorization::role("org:member")));
    assert!(!claims.has(&Authorization::plan("user:pro")));
    // Version 1.
    let v1 = json!({
        "sub": "user_2abc", "sid": "sess_2abc", "exp": NOW + 60, "iat": NOW - 10,
        "org_id": "org_2xyz", "org_role": "org:member", "org_permissions": ["org:invoices:read"]
    });
    let claims = auth.verify_session_token(&a_token(&v1)).unwrap();
    assert!(claims.has(&Authorization::role("member")));
    assert!(claims.has(&Authorization::permission("org:invoices:read")));
    assert!(!claims.has(&Authorization::permission("org:invoices:manage")));
    assert!(!claims.has(&Authorization::feature("invoices")));
}

mod kinds_never_confused {
    use super::*;
    use proptest::prelude::*;

    fn opt(values: &'static [&'static str]) -> impl Strategy<Value = Option<String>> {
        prop_oneof![
            Just(None),
            proptest::sample::select(values).prop_map(|v| Some(v.to_owned())),
            "[a-zA-Z0-9_+/]{0,16}".prop_map(Some),
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(200))]
        /// Whatever the header's `cat` and `typ` and the claims' `sub` and `sid`, a signed
        /// token is accepted by at most one of the two verifiers, and only as what its fields
        /// say it is; nothing panics.
        #[test]
        fn a_token_is_at_most_one_kind(
            cat in opt(&[CAT_SESSION, CAT_TEMPLATE, CAT_M2M, CAT_IGNORE]),
            typ in opt(&["JWT", "jwt", "at+jwt", "application/at+jwt", "AT+JWT"]),
            sub in opt(&["user_2abc", "mch_2abc", "org_2abc", "mch_"]),
            sid in opt(&["sess_2abc", ""]),
            templates in any::<bool>(),
        ) {
            let mut header = header("ins_a");
            if let Some(c) = &cat { header["cat"] = json!(c); }
            match &typ { Some(t) => header["typ"] = json!(t), None => { header.as_object_mut().unwrap().remove("typ"); } }
            let mut claims = json!({"exp": NOW + 60, "iat": NOW - 10});
            if let Some(s) = &sub { claims["sub"] = json!(s); }
            if let Some(s) = &sid { claims["sid"] = json!(s); }
            let token = mint(&key_pair(A_PRIVATE), &header, &claims);
            let auth = pem_auth(AuthOptions::default().with_jwt_templates(templates), &Wall::at(NOW));
            let session = auth.verify_session_token(&token);
            let machine = auth.verify_machine_token(&token);
            prop_assert!(!(session.is_ok() && machine.is_ok()), "both accepted {header} {claims}");

            let cat = cat.as_deref().filter(|c| *c != CAT_IGNORE);
            let access = typ.as_deref().is_some_and(|t| t.eq_ignore_ascii_case("at+jwt") || t.eq_ignore_ascii_case("application/at+jwt"));
            let machine_sub = sub.as_deref().is_some_and(|s| s.starts_with("mch_"));
            let has_sid = sid.as_deref().is_some_and(|s| !s.is_empty());
            if let Ok(c) = &session {
                prop_assert!(!access && !machine_sub, "a machine token as a session: {header} {claims}");
                let template = cat == Some(CAT_TEMPLATE) || (cat.is_none() && !has_sid);
                prop_assert!(cat.is_none() || cat == Some(CAT_SESSION) || (templates && template));
                prop_assert!(!template || templates);
                prop_assert_eq!(Some(c.user_id()), sub.as_deref());
            }
            if let Ok(m) = &machine {
                if access {
                    prop_assert_eq!(m.token_type, TokenType::OauthToken);
                    prop_assert!(![Some(CAT_SESSION), Some(CAT_TEMPLATE), Some(CAT_M2M)].contains(&cat));
                } else {
                    prop_assert_eq!(m.token_type, TokenType::M2mToken);
                    prop_assert!(machine_sub && (cat.is_none() || cat == Some(CAT_M2M)));
                }
            }
        }
    }
}

// ---------------------------------------------------------------------------
// testing::TestKey: an application's own middleware, end to end, without Clerk
// ---------------------------------------------------------------------------

/// What an application's middleware might do: 200 with the caller, or 401.
fn middleware(auth: &Authenticator, headers: &http::HeaderMap) -> (u16, String) {
    match auth.authenticate_request(headers) {
        Ok(RequestState::SignedIn(identity)) => (200, identity.subject().to_owned()),
        Ok(_) => (401, String::new()),
        Err(_) => (503, String::new()),
    }
}

#[test]
fn test_keys_mint_tokens_and_serve_their_jwks_from_the_mock_server() {
    use clerk_backend_api::testing::TestKey;
    let key = TestKey::new();
    let mock = MockServer::start();
    key.serve_jwks(&mock);
    let clerk = Clerk::builder("sk_test_app")
        .server_url(mock.url())
        .build()
        .unwrap();
    let auth = Authenticator::builder()
        .clerk(&clerk)
        .options(AuthOptions::default().with_accepted_tokens(TokenType::ALL))
        .build()
        .unwrap();
    let bearer = |t: &str| headers(&[("authorization", &format!("Bearer {t}"))]);

    let session = key.session_token("user_1").sign();
    assert_eq!(middleware(&auth, &bearer(&session)), (200, "user_1".into()));
    assert_eq!(
        middleware(
            &auth,
            &headers(&[("cookie", &format!("__session={session}"))])
        ),
        (200, "user_1".into())
    );
    let m2m = key.m2m_token("mch_1").claim("aud", ["mch_me"]).sign();
    assert_eq!(middleware(&auth, &bearer(&m2m)), (200, "mch_1".into()));
    let oauth = key.oauth_token("user_2", "client_1").sign();
    assert_eq!(middleware(&auth, &bearer(&oauth)), (200, "user_2".into()));
    // What must be refused is refused.
    let template = key.template_token("user_1").sign();
    assert_eq!(middleware(&auth, &bearer(&template)), (401, String::new()));
    let expired = key
        .session_token("user_1")
        .issued_at(SystemTime::now() - Duration::from_secs(3600))
        .sign();
    assert_eq!(middleware(&auth, &bearer(&expired)), (401, String::new()));
    let pending = key.session_token("user_1").claim("sts", "pending").sign();
    assert_eq!(middleware(&auth, &bearer(&pending)), (401, String::new()));
    let other_key = mint(
        &key_pair(A_PRIVATE),
        &json!({"alg": "RS256", "kid": TestKey::KID}),
        &json!({"sub": "user_1", "sid": "s", "exp": NOW * 10}),
    );
    assert_eq!(middleware(&auth, &bearer(&other_key)), (401, String::new()));
    // Organization claims and `has`, as a test sets them.
    let admin = key
        .session_token("user_1")
        .claim(
            "o",
            json!({"id": "org_1", "rol": "admin", "per": "read", "fpm": "1"}),
        )
        .claim("fea", "o:invoices")
        .sign();
    let claims = auth.verify_session_token(&admin).unwrap();
    assert!(
        claims.has(&clerk_backend_api::auth::Authorization::permission(
            "org:invoices:read"
        ))
    );
    // One JWKS fetch served every token; the test key's PEM verifies offline too.
    assert_eq!(method_paths(&mock.requests()), ["GET /jwks"]);
    let offline = Authenticator::builder()
        .jwt_key(key.public_key_pem())
        .clock(Wall::at(1).now())
        .build()
        .unwrap();
    let at_one = key
        .session_token("user_1")
        .issued_at(UNIX_EPOCH + Duration::from_secs(1))
        .valid_for(Duration::from_secs(5));
    assert_eq!(offline.verify_session_token(&at_one.sign()).unwrap().exp, 6);
    assert!(!format!("{key:?}").contains("PRIVATE"));
    let jwks: Value = serde_json::from_str(&key.jwks_json()).unwrap();
    assert_eq!(jwks["keys"][0]["kid"], TestKey::KID);
}

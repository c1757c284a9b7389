//! Clerk-shaped JWTs signed with a test key (features `testing` and `jwt`), and that key's
//! JWKS served from a [`MockServer`], so an application can test its own auth middleware end
//! to end without Clerk.

use std::fmt;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use base64::Engine as _;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use ring::rand::SystemRandom;
use ring::signature::{RSA_PKCS1_SHA256, RsaKeyPair, RsaPublicKeyComponents};
use serde_json::{Map, Value, json};

use super::{MockServer, Reply};
use crate::auth::jwt::{CATEGORY_M2M, CATEGORY_SESSION, CATEGORY_TEMPLATE};

const PRIVATE_PEM: &str = include_str!("test_key.pk8.pem");
const PUBLIC_PEM: &str = include_str!("test_key.pub.pem");

/// An RSA key pair for tests, shipped with this crate: its private half is public, so never
/// configure it anywhere but a test. It signs session, JWT-template, M2M and OAuth tokens the
/// way Clerk does (RS256, Clerk's `cat` header categories, Clerk's claims).
///
/// ```
/// use clerk_backend_api::auth::{Authenticator, AuthOptions, TokenType};
/// use clerk_backend_api::testing::TestKey;
///
/// let key = TestKey::new();
/// let auth = Authenticator::builder()
///     .jwt_key(key.public_key_pem())
///     .options(AuthOptions::default().with_accepted_tokens(TokenType::ALL))
///     .build()?;
///
/// let session = key.session_token("user_123").sign();
/// assert_eq!(auth.verify_session_token(&session)?.user_id(), "user_123");
///
/// let m2m = key.m2m_token("mch_sender").claim("aud", ["mch_receiver"]).sign();
/// assert_eq!(auth.verify_machine_token(&m2m)?.subject, "mch_sender");
/// assert!(auth.verify_session_token(&m2m).is_err()); // never a session
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// Without the PEM key, serve the JWKS from a [`MockServer`] with [`TestKey::serve_jwks`]
/// and build the authenticator with a client pointed at it.
pub struct TestKey {
    pair: RsaKeyPair,
}

impl fmt::Debug for TestKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TestKey")
            .field("kid", &self.kid())
            .finish_non_exhaustive()
    }
}

impl Default for TestKey {
    fn default() -> Self {
        TestKey::new()
    }
}

impl TestKey {
    /// The key id in the tokens' headers and in the JWKS.
    pub const KID: &'static str = "ins_testkey";

    /// The crate's test key.
    pub fn new() -> TestKey {
        let body: String = PRIVATE_PEM
            .lines()
            .filter(|l| !l.starts_with("-----"))
            .collect();
        let der = STANDARD
            .decode(body)
            .expect("the bundled test key is base64");
        let pair = RsaKeyPair::from_pkcs8(&der).expect("the bundled test key is an RSA key");
        TestKey { pair }
    }

    /// The key id, [`TestKey::KID`].
    pub fn kid(&self) -> &str {
        Self::KID
    }

    /// The public key as PEM, for
    /// [`AuthenticatorBuilder::jwt_key`](crate::auth::AuthenticatorBuilder::jwt_key).
    pub fn public_key_pem(&self) -> &'static str {
        PUBLIC_PEM
    }

    /// The JWKS with the public key, as `GET /jwks` answers it.
    pub fn jwks_json(&self) -> String {
        let c: RsaPublicKeyComponents<Vec<u8>> = self.pair.public().into();
        json!({"keys": [{
            "use": "sig",
            "kty": "RSA",
            "kid": Self::KID,
            "alg": "RS256",
            "n": URL_SAFE_NO_PAD.encode(&c.n),
            "e": URL_SAFE_NO_PAD.encode(&c.e),
        }]})
        .to_string()
    }

    /// Answers `GET /jwks` and `GET /v1/jwks` on `mock` with [`jwks_json`](Self::jwks_json),
    /// for a client whose server URL is the mock's URL, with or without `/v1`.
    pub fn serve_jwks(&self, mock: &MockServer) {
        for path in ["/jwks", "/v1/jwks"] {
            mock.on("GET", path)
                .reply(Reply::json(200, self.jwks_json()));
        }
    }

    fn token(&self, category: Option<&str>, typ: &str, claims: Value) -> TestToken<'_> {
        let mut header = Map::new();
        header.insert("alg".into(), "RS256".into());
        header.insert("kid".into(), Self::KID.into());
        header.insert("typ".into(), typ.into());
        if let Some(cat) = category {
            header.insert("cat".into(), cat.into());
        }
        let claims = match claims {
            Value::Object(claims) => claims,
            _ => Map::new(),
        };
        TestToken {
            key: self,
            header,
            claims,
        }
        .issued_at(SystemTime::now())
    }

    /// A version 2 session token for `user_id`: `sid` `sess_test`, `sts` `active`, `azp`
    /// `http://localhost:3000`, `iss` `https://clerk.test.example`, and the session
    /// category. Add an organization, features or plans with [`TestToken::claim`] (`o`,
    /// `fea`, `pla`).
    pub fn session_token(&self, user_id: &str) -> TestToken<'_> {
        self.token(
            Some(CATEGORY_SESSION),
            "JWT",
            json!({
                "sub": user_id,
                "sid": "sess_test",
                "sts": "active",
                "azp": "http://localhost:3000",
                "iss": "https://clerk.test.example",
                "v": 2,
            }),
        )
    }

    /// A JWT-template token for `user_id`: the template category, no `sid`; add the
    /// template's claims with [`TestToken::claim`].
    pub fn template_token(&self, user_id: &str) -> TestToken<'_> {
        self.token(
            Some(CATEGORY_TEMPLATE),
            "JWT",
            json!({"sub": user_id, "iss": "https://clerk.test.example"}),
        )
    }

    /// An M2M token in JWT form (`token_format: jwt`) for the machine `machine_id`
    /// (`mch_…`): the M2M category, `jti` `mt_test`. Its `aud` (the machines it may call) is
    /// empty; set it with [`TestToken::claim`].
    pub fn m2m_token(&self, machine_id: &str) -> TestToken<'_> {
        self.token(
            Some(CATEGORY_M2M),
            "JWT",
            json!({"sub": machine_id, "jti": "mt_test", "iss": "https://clerk.test.example"}),
        )
    }

    /// An OAuth access token in JWT form (`typ: at+jwt`) that the OAuth application
    /// `client_id` holds for `user_id`: `jti` `oat_test`, `scope` `profile email`.
    pub fn oauth_token(&self, user_id: &str, client_id: &str) -> TestToken<'_> {
        self.token(
            None,
            "at+jwt",
            json!({
                "sub": user_id,
                "client_id": client_id,
                "jti": "oat_test",
                "scope": "profile email",
                "iss": "https://clerk.test.example",
            }),
        )
    }
}

/// A token being made by [`TestKey`]: set or remove claims and header fields, then
/// [`sign`](TestToken::sign) it. Valid for 60 seconds from now unless told otherwise.
#[derive(Debug, Clone)]
#[must_use = "a test token does nothing until .sign()"]
pub struct TestToken<'k> {
    key: &'k TestKey,
    header: Map<String, Value>,
    claims: Map<String, Value>,
}

impl TestToken<'_> {
    /// Sets a claim (replacing it).
    pub fn claim(mut self, name: &str, value: impl Into<Value>) -> Self {
        self.claims.insert(name.to_owned(), value.into());
        self
    }

    /// Removes a claim.
    pub fn without_claim(mut self, name: &str) -> Self {
        self.claims.remove(name);
        self
    }

    /// Sets a header field (`cat`, `typ`, `kid`, ...), replacing it.
    pub fn header(mut self, name: &str, value: impl Into<Value>) -> Self {
        self.header.insert(name.to_owned(), value.into());
        self
    }

    /// Removes a header field.
    pub fn without_header(mut self, name: &str) -> Self {
        self.header.remove(name);
        self
    }

    /// Issued (`iat`) and valid from (`nbf`) `at`, expiring (`exp`) 60 seconds later: for an
    /// authenticator with a fake clock.
    pub fn issued_at(self, at: SystemTime) -> Self {
        let secs = unix_seconds(at);
        self.claim("iat", secs)
            .claim("nbf", secs)
            .claim("exp", secs.saturating_add(60))
    }

    /// Expires (`exp`) `valid_for` after `iat`.
    pub fn valid_for(self, valid_for: Duration) -> Self {
        let iat = self.claims.get("iat").and_then(Value::as_i64).unwrap_or(0);
        let secs = i64::try_from(valid_for.as_secs()).unwrap_or(i64::MAX);
        self.claim("exp", iat.saturating_add(secs))
    }

    /// The signed token: `header.payload.signature`, RS256 with the test key.
    pub fn sign(&self) -> String {
        let input = format!(
            "{}.{}",
            URL_SAFE_NO_PAD.encode(Value::Object(self.header.clone()).to_string()),
            URL_SAFE_NO_PAD.encode(Value::Object(self.claims.clone()).to_string()),
        );
        let mut signature = vec![0; self.key.pair.public().modulus_len()];
        self.key
            .pair
            .sign(
                &RSA_PKCS1_SHA256,
                &SystemRandom::new(),
                input.as_bytes(),
                &mut signature,
            )
            .expect("RSA signing with a valid key and a buffer of the modulus' length");
        format!("{input}.{}", URL_SAFE_NO_PAD.encode(signature))
    }
}

/// Seconds since the Unix epoch, negative before it.
fn unix_seconds(t: SystemTime) -> i64 {
    match t.duration_since(UNIX_EPOCH) {
        Ok(d) => i64::try_from(d.as_secs()).unwrap_or(i64::MAX),
        Err(e) => -i64::try_from(e.duration().as_secs()).unwrap_or(i64::MAX),
    }
}

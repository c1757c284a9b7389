//! Verify a Clerk session token, and authenticate a request that carries one.
//!
//! ```sh
//! cargo run --example verify_session --features jwt                 # offline demo
//! CLERK_JWT_KEY="$(cat jwt-key.pem)" \
//!   cargo run --example verify_session --features jwt -- <token>    # a real token, offline
//! CLERK_SECRET_KEY=sk_test_... \
//!   cargo run --example verify_session --features jwt -- <token>    # a real token, JWKS
//! ```
//!
//! Without a token argument it needs no account and no network: it mints a sample session
//! token with `testing::TestKey`, the test key shipped with the crate (never trust it
//! anywhere but a test), verifies it with the matching public key, then shows how a request
//! is authenticated and how a tampered token is refused.

use std::error::Error;

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use clerk_backend_api::Clerk;
use clerk_backend_api::auth::{AuthOptions, Authenticator, Reason, RequestState, SessionClaims};
use clerk_backend_api::testing::TestKey;
use serde_json::json;

fn main() -> Result<(), Box<dyn Error>> {
    match std::env::args().nth(1) {
        Some(token) => verify_real(&token),
        None => demo().map(drop),
    }
}

/// Verifies a token from Clerk with `CLERK_JWT_KEY` (offline) or the JWKS (`CLERK_SECRET_KEY`).
fn verify_real(token: &str) -> Result<(), Box<dyn Error>> {
    let mut builder =
        Authenticator::builder().jwt_key(std::env::var("CLERK_JWT_KEY").unwrap_or_default());
    if std::env::var("CLERK_SECRET_KEY").is_ok() {
        builder = builder.clerk(&Clerk::from_env()?);
    }
    let auth = builder.build()?;
    match auth.verify_session_token(token) {
        Ok(claims) => print_claims(&claims),
        Err(e) => println!("refused: {e} (reason: {:?})", e.reason()),
    }
    Ok(())
}

/// The offline walk-through. Returns the verified claims and why the tampered token was
/// refused, so that `tests/auth.rs` can check them.
pub fn demo() -> Result<(SessionClaims, Option<Reason>), Box<dyn Error>> {
    println!("no token given: minting a sample with the bundled test key (offline demo)");
    let key = TestKey::new();
    let token = mint_sample(&key);

    // In your backend: once per process, with `CLERK_JWT_KEY` (no network at all).
    let auth = Authenticator::builder()
        .jwt_key(key.public_key_pem())
        .options(AuthOptions::default().with_authorized_parties(["https://app.example.com"]))
        .build()?;

    let claims = auth.verify_session_token(&token)?;
    print_claims(&claims);

    // Per request: the `Authorization: Bearer` header, else the `__session` cookie.
    let mut headers = http::HeaderMap::new();
    headers.insert("cookie", format!("theme=dark; __session={token}").parse()?);
    match auth.authenticate_request(&headers)? {
        RequestState::SignedIn(identity) => {
            println!("request:  signed in as {}", identity.subject())
        }
        RequestState::SignedOut(why) => println!("request:  signed out ({why})"),
        _ => println!("request:  (a state this example does not know)"),
    }

    // Change one claim: the signature no longer matches.
    let mut parts: Vec<String> = token.split('.').map(str::to_owned).collect();
    let mut payload: serde_json::Value =
        serde_json::from_slice(&URL_SAFE_NO_PAD.decode(&parts[1])?)?;
    payload["sub"] = json!("user_someone_else");
    parts[1] = URL_SAFE_NO_PAD.encode(payload.to_string());
    let tampered = parts.join(".");
    let refused = auth.verify_session_token(&tampered).err();
    let reason = refused.as_ref().and_then(|e| e.reason());
    match &refused {
        Some(e) => println!("tampered: refused: {e}"),
        None => println!("tampered: accepted (this must not happen)"),
    }
    Ok((claims, reason))
}

fn print_claims(claims: &SessionClaims) {
    println!("user:     {}", claims.user_id());
    println!("session:  {:?}", claims.session_id());
    if let Some(org) = &claims.org {
        println!(
            "org:      {} as {:?} with {:?}",
            org.id, org.role, org.permissions
        );
    }
    println!("expires:  {} (Unix seconds)", claims.exp);
}

/// A version 2 session token like Clerk's, valid for a minute, signed with the test key.
fn mint_sample(key: &TestKey) -> String {
    key.session_token("user_2abcSAMPLE")
        .claim("azp", "https://app.example.com")
        .claim("iss", "https://clerk.example.com")
        .claim("sid", "sess_2abcSAMPLE")
        .claim("fea", "o:invoices")
        .claim(
            "o",
            json!({"id": "org_2xyzSAMPLE", "slg": "acme", "rol": "admin", "per": "read,manage", "fpm": "1"}),
        )
        .sign()
}

//! Authenticating incoming requests (feature `jwt`): Clerk session tokens verified without a
//! network round trip, machine tokens verified by Clerk, and whole requests.
//!
//! Build one [`Authenticator`] per process and share it (it is `Clone + Send + Sync`; clones
//! share the key cache).
//!
//! - With the instance's PEM public key (`CLERK_JWT_KEY`, from the dashboard's API keys page)
//!   session tokens are verified with no network at all.
//! - Without it, the keys come from the instance's JWKS (`GET /jwks` through the client),
//!   cached for 5 minutes; a token signed by a key the cache does not know refreshes it, at
//!   most once a minute.
//! - Machine tokens in JWT form (M2M tokens minted with `token_format: jwt`, OAuth access
//!   tokens of type `at+jwt`) are verified like session tokens, offline. Opaque machine tokens
//!   (`mt_`, `ak_`, `oat_`) always need the client: Clerk verifies them.
//!
//! ## Every token is only what it is
//!
//! The instance key signs session tokens, JWT-template tokens, M2M JWTs and OAuth access
//! tokens alike, so a valid signature says nothing about what a token is for. Each JWT's kind
//! comes from its header and claims, and is judged after its signature:
//!
//! | kind | how it is told | verified by |
//! |---|---|---|
//! | session token | `cat` header `cl_B7d4PD111AAA`, or no `cat` (older instances) and a `sid` | [`Authenticator::verify_session_token`] |
//! | JWT-template token | `cat` `cl_B7d4PD222AAA`, or no `cat` and no `sid` | `verify_session_token` only with [`AuthOptions::accept_jwt_templates`] |
//! | M2M JWT | `cat` `cl_B7d4PD333AAA` or a machine subject (`sub: mch_…`) | [`Authenticator::verify_machine_token`], offline |
//! | OAuth access token JWT | `typ: at+jwt` (or `application/at+jwt`) | `verify_machine_token`, offline |
//! | another `cat` | a category this crate does not know | nothing |
//! | `mt_…`, `ak_…`, `oat_…` | prefix | `verify_machine_token`, by Clerk |
//!
//! (`cat: cl_I7d4PD111III`, stamped on every kind by instances that ignore categories, counts
//! as no `cat`.) A token of another kind than the verifier's is refused with
//! [`Reason::TokenTypeMismatch`]. JWT-template tokens are refused as sessions by default, as
//! in Clerk's JavaScript SDK: they have no `sid` and outlive a revoked session; opt in with
//! [`AuthOptions::with_jwt_templates`] on routes made for them.
//!
//! [`Authenticator::authenticate_request`] types a bearer token by its prefix, else by its
//! kind; the `__session` cookie is always verified as a session token. With each
//! accepted-types setting ([`AuthOptions::with_accepted_tokens`]), a request is signed in
//! (**in**) or signed out with a [`Reason`]: **not accepted**
//! ([`Reason::TokenTypeNotAccepted`]), **mismatch** ([`Reason::TokenTypeMismatch`]),
//! **malformed** ([`Reason::Malformed`]):
//!
//! | token | from | sessions only (default) | M2M only | API keys only | OAuth only | all |
//! |---|---|---|---|---|---|---|
//! | session token | header or cookie | in | not accepted | not accepted | not accepted | in |
//! | M2M JWT | header | not accepted | in | not accepted | not accepted | in |
//! | OAuth JWT | header | not accepted | not accepted | not accepted | in | in |
//! | M2M or OAuth JWT | cookie | mismatch | not accepted | not accepted | not accepted | mismatch |
//! | JWT template | header or cookie | mismatch (in with templates accepted) | not accepted | not accepted | not accepted | mismatch (in with templates accepted) |
//! | unknown `cat` | header or cookie | mismatch | not accepted | not accepted | not accepted | mismatch |
//! | `mt_…` | header | not accepted | in | not accepted | not accepted | in |
//! | `ak_…` | header | not accepted | not accepted | in | not accepted | in |
//! | `oat_…` | header | not accepted | not accepted | not accepted | in | in |
//! | `mt_…`, `ak_…`, `oat_…` | cookie | malformed | not accepted | not accepted | not accepted | malformed |
//!
//! (`tests/auth.rs` `each_token_kind_from_header_and_cookie_with_each_accepted_setting`
//! checks this table row by row.) Signed-in sessions answer authorization checks with
//! [`SessionClaims::has`].
//!
//! ```no_run
//! use clerk_backend_api::Clerk;
//! use clerk_backend_api::auth::{AuthOptions, Authenticator, RequestState, TokenType};
//!
//! # fn main() -> clerk_backend_api::Result<()> {
//! let clerk = Clerk::from_env()?;
//! let auth = Authenticator::builder()
//!     .clerk(&clerk)
//!     .jwt_key(std::env::var("CLERK_JWT_KEY").unwrap_or_default()) // optional: offline sessions
//!     .options(
//!         AuthOptions::default()
//!             .with_authorized_parties(["https://app.example.com"])
//!             .with_accepted_tokens([TokenType::SessionToken, TokenType::ApiKey]),
//!     )
//!     .build()?;
//!
//! # let headers = http::HeaderMap::new();
//! // In a handler, with the request's `http::HeaderMap`:
//! match auth.authenticate_request(&headers) {
//!     Ok(RequestState::SignedIn(identity)) => println!("hello {}", identity.subject()),
//!     Ok(RequestState::SignedOut(why)) => println!("401: {why}"),
//!     Ok(_) => {}
//!     Err(e) => println!("503: {e}"),
//! }
//! # Ok(())
//! # }
//! ```
//!
//! Security properties: the algorithm is fixed by the key (RS256 for a PEM key, the JWK's
//! `alg` otherwise); `none`, HMAC and every other `alg` are refused, so a token cannot pick a
//! weaker check. Tokens never appear in errors, `Debug` output or log events.

mod api;
mod claims;
mod error;
mod jwks;
pub(crate) mod jwt;
mod keys;
mod machine;
mod request;

use std::fmt;
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

pub use claims::{Authorization, OrganizationClaims, SessionClaims};
pub use error::{Reason, TokenError, Unavailable, VerifyError};
pub use machine::{MachineIdentity, TokenType};
pub use request::{Identity, RequestState};

use crate::{Clerk, Error, InvalidRequest};
use claims::Payload;
use jwks::JwksCache;
use jwt::Kind;
use keys::{Algorithm, PublicKey};

/// The default tolerance for clock differences on `exp`, `nbf` and `iat`: 5 seconds.
pub const DEFAULT_CLOCK_SKEW: Duration = Duration::from_secs(5);

/// How long fetched JWKS keys are used before they are fetched again, by default: 5 minutes.
pub const DEFAULT_JWKS_TTL: Duration = Duration::from_secs(300);

/// The checks a token must pass beyond its signature, and which token types a request may
/// carry.
///
/// ```
/// use std::time::Duration;
/// use clerk_backend_api::auth::{AuthOptions, TokenType};
///
/// let options = AuthOptions::default()
///     .with_authorized_parties(["https://app.example.com"])
///     .with_clock_skew(Duration::from_secs(10))
///     .with_issuer("https://clerk.example.com")
///     .with_accepted_tokens(TokenType::ALL);
/// assert!(options.accepts(TokenType::ApiKey));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct AuthOptions {
    /// The origins a session token may have been issued for (its `azp`). Empty (the
    /// default): not checked. Non-empty: a token without `azp` is refused. Set it when
    /// session tokens come from cookies: it is what stops other sites from using them.
    pub authorized_parties: Vec<String>,
    /// The tolerance for clock differences on `exp`, `nbf` and `iat`; default 5 s.
    pub clock_skew: Duration,
    /// The expected `iss` (your Frontend API URL, for example `https://clerk.example.com`);
    /// `None` (the default): not checked.
    pub issuer: Option<String>,
    /// The token types [`Authenticator::authenticate_request`] accepts; default session
    /// tokens only.
    pub accepted_tokens: Vec<TokenType>,
    /// Whether [`Authenticator::authenticate_request`] signs in pending sessions (`sts:
    /// "pending"`, a user with session tasks left); default `false`: they are signed out
    /// with [`Reason::SessionPending`], as in Clerk's JavaScript SDK.
    /// [`Authenticator::verify_session_token`] does not look at it.
    pub accept_pending_sessions: bool,
    /// Whether JWT-template tokens (minted by `POST /sessions/{id}/tokens/{template}`) count
    /// as session tokens; default `false`: they are refused with
    /// [`Reason::TokenTypeMismatch`], as in Clerk's JavaScript SDK. A template token has no
    /// `sid` (its claims are the template's) and stays valid after its session is revoked,
    /// until it expires: accept it only on routes made for it.
    pub accept_jwt_templates: bool,
    /// The audiences a token must be issued for (its `aud`, a string or a list, must name one
    /// of them). Empty (the default): not checked. Checked on every JWT (session, template,
    /// M2M, OAuth); for an M2M JWT `aud` lists the machines it may call, so set your own
    /// machine's id (`mch_…`) here. Opaque machine tokens are checked by Clerk, not here.
    pub audience: Vec<String>,
}

impl Default for AuthOptions {
    fn default() -> Self {
        AuthOptions {
            authorized_parties: Vec::new(),
            clock_skew: DEFAULT_CLOCK_SKEW,
            issuer: None,
            accepted_tokens: vec![TokenType::SessionToken],
            accept_pending_sessions: false,
            accept_jwt_templates: false,
            audience: Vec::new(),
        }
    }
}

impl AuthOptions {
    /// Sets the authorized parties (the `azp` values accepted).
    pub fn with_authorized_parties(
        mut self,
        parties: impl IntoIterator<Item = impl Into<String>>,
    ) -> Self {
        self.authorized_parties = parties.into_iter().map(Into::into).collect();
        self
    }

    /// Sets the clock skew tolerance.
    pub fn with_clock_skew(mut self, skew: Duration) -> Self {
        self.clock_skew = skew;
        self
    }

    /// Sets the expected issuer.
    pub fn with_issuer(mut self, issuer: impl Into<String>) -> Self {
        self.issuer = Some(issuer.into());
        self
    }

    /// Sets the token types requests may carry ([`TokenType::ALL`] for any).
    pub fn with_accepted_tokens(mut self, types: impl IntoIterator<Item = TokenType>) -> Self {
        self.accepted_tokens = types.into_iter().collect();
        self
    }

    /// Sets whether pending sessions count as signed in.
    pub fn with_pending_sessions(mut self, accept: bool) -> Self {
        self.accept_pending_sessions = accept;
        self
    }

    /// Sets whether JWT-template tokens count as session tokens.
    pub fn with_jwt_templates(mut self, accept: bool) -> Self {
        self.accept_jwt_templates = accept;
        self
    }

    /// Sets the audiences accepted (the `aud` values).
    pub fn with_audience(mut self, audience: impl IntoIterator<Item = impl Into<String>>) -> Self {
        self.audience = audience.into_iter().map(Into::into).collect();
        self
    }

    /// Whether requests may carry this token type.
    pub fn accepts(&self, token_type: TokenType) -> bool {
        self.accepted_tokens.contains(&token_type)
    }
}

type Now = Arc<dyn Fn() -> SystemTime + Send + Sync>;

struct Shared {
    clerk: Option<Clerk>,
    jwt_key: Option<Arc<PublicKey>>,
    jwks: JwksCache,
    now: Now,
}

/// Verifies session tokens and machine tokens, and authenticates requests.
///
/// Cheap to clone; clones share the JWKS cache. Made by [`Authenticator::new`],
/// [`Authenticator::from_jwt_key`] or [`Authenticator::builder`].
#[derive(Clone)]
pub struct Authenticator {
    shared: Arc<Shared>,
    options: Arc<AuthOptions>,
}

impl fmt::Debug for Authenticator {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let keys = match self.shared.jwt_key {
            Some(_) => "jwt_key",
            None => "jwks",
        };
        f.debug_struct("Authenticator")
            .field("session_keys", &keys)
            .field("jwks_ttl", &self.shared.jwks.ttl())
            .field("clerk", &self.shared.clerk)
            .field("options", &self.options)
            .finish()
    }
}

impl Authenticator {
    /// Verifies session tokens with the instance's JWKS, fetched through `clerk` and cached,
    /// and machine tokens through `clerk`. Default options.
    pub fn new(clerk: &Clerk) -> Authenticator {
        Authenticator::from_parts(
            Some(clerk.clone()),
            None,
            AuthOptions::default(),
            None,
            None,
        )
    }

    /// Verifies session tokens with this PEM public key only: no network at all. Accepts
    /// `-----BEGIN PUBLIC KEY-----` (what the dashboard shows as the JWT public key) and
    /// `-----BEGIN RSA PUBLIC KEY-----`, also on one line or with `\n` escapes.
    ///
    /// # Errors
    /// [`Error::InvalidRequest`] when the text is not an RSA public key of 2048 to 8192 bits.
    pub fn from_jwt_key(pem: &str) -> Result<Authenticator, Error> {
        Authenticator::builder().jwt_key(pem).build()
    }

    /// A builder, to combine a JWT key with a client, or to set options, the JWKS TTL or a
    /// clock.
    pub fn builder() -> AuthenticatorBuilder {
        AuthenticatorBuilder {
            clerk: None,
            jwt_key: None,
            options: AuthOptions::default(),
            jwks_ttl: DEFAULT_JWKS_TTL,
            now: None,
        }
    }

    fn from_parts(
        clerk: Option<Clerk>,
        jwt_key: Option<PublicKey>,
        options: AuthOptions,
        jwks_ttl: Option<Duration>,
        now: Option<Now>,
    ) -> Authenticator {
        Authenticator {
            shared: Arc::new(Shared {
                clerk,
                jwt_key: jwt_key.map(Arc::new),
                jwks: JwksCache::new(jwks_ttl.unwrap_or(DEFAULT_JWKS_TTL)),
                now: now.unwrap_or_else(|| Arc::new(SystemTime::now)),
            }),
            options: Arc::new(options),
        }
    }

    /// This authenticator with other options, sharing the same keys and cache: for a route
    /// that accepts other token types or parties.
    pub fn with_options(&self, options: AuthOptions) -> Authenticator {
        Authenticator {
            shared: self.shared.clone(),
            options: Arc::new(options),
        }
    }

    /// The options in use.
    pub fn options(&self) -> &AuthOptions {
        &self.options
    }

    /// Verifies a Clerk session token (a JWT): its signature, that it is a session token (not
    /// an M2M, OAuth or JWT-template token, which the same key signs; templates only when the
    /// options accept them), `exp`, `nbf` and `iat` with the clock skew, then `azp`, `iss`
    /// and `aud` when the options ask for them. With a JWT key, the token's `kid` is
    /// not consulted: the one key must verify it.
    ///
    /// # Errors
    /// [`VerifyError::Invalid`] with the [`Reason`] when the token is refused
    /// ([`Reason::TokenTypeMismatch`] for another kind of token);
    /// [`VerifyError::Unavailable`] when the JWKS was needed and could not be fetched.
    pub fn verify_session_token(&self, token: &str) -> Result<SessionClaims, VerifyError> {
        self.verify_session(&jwt::parse(token)?)
    }

    fn verify_session(&self, parsed: &jwt::Parsed<'_>) -> Result<SessionClaims, VerifyError> {
        // The kind is judged on a verified, well-formed token: a forged one is refused for
        // its signature, a garbled one as malformed, and only a genuine token of another kind
        // as a mismatch.
        self.check_signature(parsed)?;
        let payload = Payload::decode(&parsed.payload)?;
        match Kind::of(&parsed.header, Some(&payload.claims)) {
            Kind::Session => {}
            Kind::Template if self.options.accept_jwt_templates => {}
            Kind::Template => {
                return Err(mismatch(
                    "a JWT-template token is not a session token (see `accept_jwt_templates`)",
                ));
            }
            Kind::M2m | Kind::Oauth => {
                return Err(mismatch("a machine token is not a session token"));
            }
            Kind::Unknown => return Err(mismatch("the token's category is not a session's")),
        }
        self.claim_checks(true).check(&payload)?;
        Ok(SessionClaims::from_payload(payload))
    }

    /// Checks the token's algorithm and signature against the PEM key, else the JWKS key its
    /// `kid` names.
    fn check_signature(&self, parsed: &jwt::Parsed<'_>) -> Result<(), VerifyError> {
        let alg = Algorithm::from_name(&parsed.header.alg).ok_or(TokenError::new(
            Reason::BadAlgorithm,
            "the token's `alg` is not RS256, RS384 or RS512 (`none` and HMAC are refused)",
        ))?;
        let key = match (&self.shared.jwt_key, &self.shared.clerk) {
            (Some(key), _) => key.clone(),
            (None, Some(clerk)) => {
                let kid = parsed
                    .header
                    .kid
                    .as_deref()
                    .filter(|k| !k.is_empty())
                    .ok_or(TokenError::new(
                        Reason::UnknownKey,
                        "the token has no `kid` to find its key in the JWKS",
                    ))?;
                self.shared
                    .jwks
                    .key(kid, &*self.shared.now, &|| api::get_jwks(clerk))?
            }
            (None, None) => return Err(no_client("verifying tokens").into()),
        };
        if key.algorithm() != alg {
            return Err(TokenError::new(
                Reason::BadAlgorithm,
                "the token's `alg` is not the algorithm of its key",
            )
            .into());
        }
        if !key.verify(parsed.signing_input.as_bytes(), &parsed.signature) {
            return Err(TokenError::new(
                Reason::BadSignature,
                "the token's signature does not match",
            )
            .into());
        }
        Ok(())
    }

    /// The claim checks of the options; `azp` and `iss` for session tokens only (machine
    /// tokens are not issued to a browser origin).
    fn claim_checks(&self, session: bool) -> jwt::ClaimChecks<'_> {
        let options = &*self.options;
        jwt::ClaimChecks {
            now_ms: unix_ms((self.shared.now)()),
            skew_ms: options.clock_skew.as_millis() as i128,
            authorized_parties: if session {
                &options.authorized_parties
            } else {
                &[]
            },
            issuer: options.issuer.as_deref().filter(|_| session),
            audience: &options.audience,
        }
    }

    /// Verifies a machine token. Opaque ones (`mt_…`, `ak_…`, `oat_…`) are verified by
    /// Clerk, through the endpoint their prefix calls for. Machine JWTs are verified offline,
    /// like session tokens (PEM key or cached JWKS), with no call: an M2M token in JWT form
    /// (a machine subject, `mch_…`, and the M2M category when it has one) or an OAuth access
    /// token in JWT form (`typ: at+jwt`); `exp`, `nbf`, `iat` and, when set, the audience
    /// are checked.
    ///
    /// # Errors
    /// [`VerifyError::Invalid`]: [`Reason::UnknownTokenType`] for a token that is neither,
    /// [`Reason::TokenTypeMismatch`] for a session or JWT-template token, the reasons of
    /// session tokens for a machine JWT, [`Reason::NotFound`], [`Reason::Revoked`] or
    /// [`Reason::Expired`] from Clerk. [`VerifyError::Unavailable`] when Clerk could not be
    /// asked (or the authenticator has no client).
    pub fn verify_machine_token(&self, token: &str) -> Result<MachineIdentity, VerifyError> {
        if TokenType::machine_type_of(token).is_none() && token.contains('.') {
            return self.verify_machine_jwt(&jwt::parse(token)?);
        }
        api::verify_machine_token(self.shared.clerk.as_ref(), token)
    }

    fn verify_machine_jwt(&self, parsed: &jwt::Parsed<'_>) -> Result<MachineIdentity, VerifyError> {
        self.check_signature(parsed)?;
        let payload = Payload::decode(&parsed.payload)?;
        let kind = Kind::of(&parsed.header, Some(&payload.claims));
        let token_type = match kind {
            Kind::M2m => TokenType::M2mToken,
            Kind::Oauth => TokenType::OauthToken,
            _ => {
                return Err(mismatch(
                    "a session or JWT-template token is not a machine token",
                ));
            }
        };
        if !Kind::category_allows(&parsed.header, kind) {
            return Err(mismatch("the token's category is not its kind's"));
        }
        if kind == Kind::M2m && !jwt::is_machine_id(&payload.sub) {
            return Err(mismatch(
                "an M2M token's subject is not a machine (`mch_…`)",
            ));
        }
        self.claim_checks(false).check(&payload)?;
        Ok(MachineIdentity::from_jwt(token_type, payload))
    }

    /// Authenticates a request from its headers: the `Authorization: Bearer` token first,
    /// else the `__session` cookie (session tokens only). A bearer token is typed by what it
    /// is: its prefix (`mt_`, `ak_`, `oat_`), else, for a JWT, its kind (an M2M or OAuth JWT
    /// is a machine token, anything else a session token); the options say which types are
    /// accepted. A pending session is signed out unless the options accept pending sessions.
    /// The table in the [module docs](self) gives every case.
    ///
    /// # Errors
    /// [`Unavailable`] when Clerk had to be asked and could not be: neither signed in nor
    /// out; answer with a server error.
    pub fn authenticate_request(
        &self,
        headers: &::http::HeaderMap,
    ) -> Result<RequestState, Unavailable> {
        self.authenticate(&mut |name| {
            headers
                .get_all(name)
                .iter()
                .filter_map(|v| v.to_str().ok())
                .map(str::to_owned)
                .collect()
        })
    }

    /// [`authenticate_request`](Self::authenticate_request) for frameworks without
    /// `http::HeaderMap`: `header` is called with the lowercase names `authorization` and
    /// `cookie` and returns that header's value (look it up case-insensitively).
    ///
    /// # Errors
    /// As [`authenticate_request`](Self::authenticate_request).
    pub fn authenticate_with(
        &self,
        header: impl Fn(&str) -> Option<String>,
    ) -> Result<RequestState, Unavailable> {
        self.authenticate(&mut |name| header(name).into_iter().collect())
    }

    fn authenticate(
        &self,
        lookup: &mut dyn FnMut(&str) -> Vec<String>,
    ) -> Result<RequestState, Unavailable> {
        let Some((token, source)) = request::find_token(lookup) else {
            return Ok(RequestState::SignedOut(TokenError::new(
                Reason::NoToken,
                "the request has no bearer token and no `__session` cookie",
            )));
        };
        // Parsed once: a JWT's kind types it, and the verifier reuses the parse.
        let prefixed = match source {
            request::Source::Header => TokenType::machine_type_of(&token),
            request::Source::Cookie => None,
        };
        let parsed = match prefixed {
            Some(_) => None,
            None => Some(jwt::parse(&token)),
        };
        let token_type = match (source, prefixed, &parsed) {
            // The cookie only ever carries a session token: verified as one, whatever it is.
            (request::Source::Cookie, _, _) => TokenType::SessionToken,
            (request::Source::Header, Some(t), _) => t,
            (request::Source::Header, None, Some(Ok(p))) => match p.kind() {
                Kind::M2m => TokenType::M2mToken,
                Kind::Oauth => TokenType::OauthToken,
                Kind::Session | Kind::Template | Kind::Unknown => TokenType::SessionToken,
            },
            // Not a JWT: refused as a malformed session token, below.
            (request::Source::Header, None, _) => TokenType::SessionToken,
        };
        if !self.options.accepts(token_type) {
            return Ok(RequestState::SignedOut(TokenError::new(
                Reason::TokenTypeNotAccepted,
                "the request's token is of a type this endpoint does not accept",
            )));
        }
        let verified = match (parsed, token_type.is_machine()) {
            (Some(Err(e)), _) => Err(e.into()),
            (Some(Ok(p)), false) => self.verify_session(&p).map(Identity::Session),
            (Some(Ok(p)), true) => self.verify_machine_jwt(&p).map(Identity::Machine),
            (None, _) => {
                api::verify_machine_token(self.shared.clerk.as_ref(), &token).map(Identity::Machine)
            }
        };
        match verified {
            Ok(Identity::Session(claims))
                if claims.is_pending() && !self.options.accept_pending_sessions =>
            {
                Ok(RequestState::SignedOut(TokenError::new(
                    Reason::SessionPending,
                    "the session is pending: the user has session tasks to complete",
                )))
            }
            Ok(identity) => Ok(RequestState::SignedIn(identity)),
            Err(VerifyError::Invalid(e)) => Ok(RequestState::SignedOut(e)),
            Err(VerifyError::Unavailable(e)) => Err(e),
        }
    }
}

/// Configures an [`Authenticator`]. Made by [`Authenticator::builder`].
#[must_use = "a builder does nothing until .build()"]
pub struct AuthenticatorBuilder {
    clerk: Option<Clerk>,
    jwt_key: Option<String>,
    options: AuthOptions,
    jwks_ttl: Duration,
    now: Option<Now>,
}

impl fmt::Debug for AuthenticatorBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AuthenticatorBuilder")
            .field("clerk", &self.clerk)
            .field("jwt_key", &self.jwt_key.as_ref().map(|_| "<pem>"))
            .field("options", &self.options)
            .field("jwks_ttl", &self.jwks_ttl)
            .finish_non_exhaustive()
    }
}

impl AuthenticatorBuilder {
    /// The client that fetches the JWKS (when there is no JWT key) and verifies machine
    /// tokens. Those calls go through its pipeline: retries, timeouts, log sink.
    pub fn clerk(mut self, clerk: &Clerk) -> Self {
        self.clerk = Some(clerk.clone());
        self
    }

    /// The instance's PEM public key (`CLERK_JWT_KEY`): session tokens are then verified
    /// with it alone, never with the JWKS. An empty string is ignored, so an unset variable
    /// read with `unwrap_or_default()` falls back to the JWKS.
    pub fn jwt_key(mut self, pem: impl Into<String>) -> Self {
        let pem = pem.into();
        self.jwt_key = Some(pem).filter(|p| !p.trim().is_empty());
        self
    }

    /// The options; default [`AuthOptions::default`].
    pub fn options(mut self, options: AuthOptions) -> Self {
        self.options = options;
        self
    }

    /// How long fetched JWKS keys are used, default 5 minutes.
    pub fn jwks_ttl(mut self, ttl: Duration) -> Self {
        self.jwks_ttl = ttl;
        self
    }

    /// The wall clock used for `exp`, `nbf`, `iat` and the JWKS cache; default
    /// [`SystemTime::now`]. Tests pass a fake one.
    pub fn clock(mut self, now: impl Fn() -> SystemTime + Send + Sync + 'static) -> Self {
        self.now = Some(Arc::new(now));
        self
    }

    /// Builds the authenticator.
    ///
    /// # Errors
    /// [`Error::InvalidRequest`] when there is neither a JWT key nor a client, or when the
    /// JWT key is not an RSA public key. A JWT key without a client verifies session and
    /// machine JWTs; opaque machine tokens (`mt_`, `ak_`, `oat_`) then answer
    /// [`Unavailable`], since only Clerk can check them.
    pub fn build(self) -> Result<Authenticator, Error> {
        let jwt_key = match &self.jwt_key {
            Some(pem) => Some(PublicKey::from_pem(pem).map_err(InvalidRequest::new)?),
            None => None,
        };
        if jwt_key.is_none() && self.clerk.is_none() {
            return Err(InvalidRequest::new(
                "an Authenticator needs a JWT key (CLERK_JWT_KEY) or a Clerk client",
            )
            .into());
        }
        Ok(Authenticator::from_parts(
            self.clerk,
            jwt_key,
            self.options,
            Some(self.jwks_ttl),
            self.now,
        ))
    }
}

fn no_client_message(what: &str) -> String {
    format!("{what} needs a Clerk client (AuthenticatorBuilder::clerk)")
}

/// A token of another kind than the check verifies.
fn mismatch(message: &'static str) -> VerifyError {
    TokenError::new(Reason::TokenTypeMismatch, message).into()
}

/// The error for a call that needs a client the authenticator was built without.
pub(crate) fn no_client(what: &str) -> Unavailable {
    Unavailable::new(InvalidRequest::new(no_client_message(what)).into())
}

/// Milliseconds since the Unix epoch, negative before it.
fn unix_ms(t: SystemTime) -> i128 {
    match t.duration_since(UNIX_EPOCH) {
        Ok(d) => d.as_millis() as i128,
        Err(e) => -(e.duration().as_millis() as i128),
    }
}

#[cfg(test)]
mod send_sync {
    fn assert_send_sync<T: Send + Sync + 'static>() {}

    #[test]
    fn public_types_are_send_sync_static() {
        assert_send_sync::<super::Authenticator>();
        assert_send_sync::<super::AuthenticatorBuilder>();
        assert_send_sync::<super::VerifyError>();
        assert_send_sync::<super::Unavailable>();
        assert_send_sync::<super::RequestState>();
    }
}

//! Why a token was refused ([`TokenError`], [`Reason`]), and why it could not be checked at all
//! ([`Unavailable`]). None of them ever holds the token.

use std::fmt;
use std::sync::Arc;

use crate::Error;

/// Why a token was refused. Match on this, not on message text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Reason {
    /// The request carried no token: no `Authorization: Bearer` header and no `__session`
    /// cookie.
    NoToken,
    /// Not a well-formed token: not three base64url parts, a header or payload that is not a
    /// JSON object, a `crit` header, a required claim (`sub`, `exp`) missing or of the wrong
    /// type, or an oversized token.
    Malformed,
    /// The header's `alg` is `none`, an HMAC algorithm, another algorithm this crate does not
    /// verify, or not the algorithm of the key that must verify it.
    BadAlgorithm,
    /// No key has the token's `kid`, even after refreshing the JWKS (or the token has no
    /// `kid` while keys come from the JWKS).
    UnknownKey,
    /// The signature does not match the token and the key.
    BadSignature,
    /// `exp` has passed (beyond the clock skew), or Clerk reports the machine token expired.
    Expired,
    /// `nbf` or `iat` is in the future (beyond the clock skew).
    NotYetValid,
    /// Authorized parties are configured and the token's `azp` is missing or not one of them.
    WrongParty,
    /// An issuer is configured and the token's `iss` is not it.
    WrongIssuer,
    /// An audience is configured and the token's `aud` is missing or names none of its
    /// values.
    WrongAudience,
    /// A genuine kind of Clerk token, but not the kind this check verifies: an M2M JWT, an
    /// OAuth access token (`at+jwt`) or a JWT-template token where a session token is
    /// expected (verifying a session, or the `__session` cookie), a session token where a
    /// machine token is expected, or a token category this crate does not know. See the
    /// table in the [`auth`](super) module docs.
    TokenTypeMismatch,
    /// The session is pending (`sts: "pending"`: the user still has session tasks to
    /// complete, such as choosing an organization) and the options do not accept pending
    /// sessions.
    SessionPending,
    /// The token is of a type the options do not accept (for example an API key where only
    /// session tokens are accepted).
    TokenTypeNotAccepted,
    /// Not a machine token: none of the prefixes `mt_`, `ak_` or `oat_`, and not a JWT.
    UnknownTokenType,
    /// Clerk does not recognise the machine token (its verify endpoint answered `400`, `404`
    /// or `422`).
    NotFound,
    /// Clerk reports the machine token as revoked.
    Revoked,
}

impl Reason {
    /// A stable snake_case name, for logs and metrics: `expired`, `bad_signature`, ...
    pub fn as_str(self) -> &'static str {
        match self {
            Reason::NoToken => "no_token",
            Reason::Malformed => "malformed",
            Reason::BadAlgorithm => "bad_algorithm",
            Reason::UnknownKey => "unknown_key",
            Reason::BadSignature => "bad_signature",
            Reason::Expired => "expired",
            Reason::NotYetValid => "not_yet_valid",
            Reason::WrongParty => "wrong_party",
            Reason::WrongIssuer => "wrong_issuer",
            Reason::WrongAudience => "wrong_audience",
            Reason::TokenTypeMismatch => "token_type_mismatch",
            Reason::SessionPending => "session_pending",
            Reason::TokenTypeNotAccepted => "token_type_not_accepted",
            Reason::UnknownTokenType => "unknown_token_type",
            Reason::NotFound => "not_found",
            Reason::Revoked => "revoked",
        }
    }
}

impl fmt::Display for Reason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A token that was refused: the [`Reason`] and a one-line message.
///
/// The message is fixed text chosen by this crate: it never quotes the token, its claims or
/// anything else an attacker controls.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokenError {
    reason: Reason,
    message: &'static str,
}

impl TokenError {
    pub(crate) fn new(reason: Reason, message: &'static str) -> Self {
        TokenError { reason, message }
    }

    /// Why the token was refused.
    pub fn reason(&self) -> Reason {
        self.reason
    }

    /// What was wrong, in one line.
    pub fn message(&self) -> &str {
        self.message
    }
}

impl fmt::Display for TokenError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.message)
    }
}

impl std::error::Error for TokenError {}

/// Clerk could not be asked: fetching the JWKS or calling a machine-token verify endpoint
/// failed (transport, timeout, `5xx`, `401` for a bad secret key, ...). The token was neither
/// accepted nor refused; answer your caller with a server error, not `401`.
///
/// Holds the client's [`Error`], shared: callers waiting on the same JWKS fetch all get it.
#[derive(Debug, Clone)]
pub struct Unavailable(Arc<Error>);

impl Unavailable {
    pub(crate) fn new(error: Error) -> Self {
        Unavailable(Arc::new(error))
    }

    pub(crate) fn shared(error: Arc<Error>) -> Self {
        Unavailable(error)
    }

    /// The underlying error, with its `status()`, `code()` and `is_retryable()`.
    pub fn error(&self) -> &Error {
        &self.0
    }
}

impl fmt::Display for Unavailable {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The cause is the `source()`, not repeated here.
        f.write_str("could not verify the token with clerk")
    }
}

impl std::error::Error for Unavailable {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&*self.0)
    }
}

/// The failure of a token verification.
#[derive(Debug, Clone, thiserror::Error)]
#[non_exhaustive]
pub enum VerifyError {
    /// The token is not valid; [`TokenError::reason`] says why. Answer `401`.
    #[error("invalid token: {0}")]
    Invalid(TokenError),
    /// The token could not be checked. Answer a server error.
    #[error(transparent)]
    Unavailable(Unavailable),
}

impl VerifyError {
    /// Why the token was refused, when it was.
    pub fn reason(&self) -> Option<Reason> {
        match self {
            VerifyError::Invalid(e) => Some(e.reason()),
            VerifyError::Unavailable(_) => None,
        }
    }
}

impl From<TokenError> for VerifyError {
    fn from(e: TokenError) -> Self {
        VerifyError::Invalid(e)
    }
}

impl From<Unavailable> for VerifyError {
    fn from(e: Unavailable) -> Self {
        VerifyError::Unavailable(e)
    }
}

//! Machine tokens: M2M tokens (`mt_`), API keys (`ak_`) and OAuth access tokens (`oat_`),
//! recognised by prefix and verified by Clerk; and what a machine JWT (an M2M token or an
//! OAuth access token in JWT form, verified offline in `mod.rs`) says.

use std::fmt;

use serde_json::Value;

use super::claims::{Payload, strings, text};

/// The kinds of token a request can carry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum TokenType {
    /// A Clerk session token: a JWT from the `Authorization` header or the `__session` cookie.
    SessionToken,
    /// A machine-to-machine token: `mt_…`, or a JWT whose subject is a machine (`mch_…`).
    M2mToken,
    /// An API key, `ak_…`.
    ApiKey,
    /// An OAuth access token issued by Clerk as an identity provider: `oat_…`, or a JWT of
    /// type `at+jwt`.
    OauthToken,
}

impl TokenType {
    /// Every token type, for [`AuthOptions::with_accepted_tokens`](super::AuthOptions::with_accepted_tokens).
    pub const ALL: [TokenType; 4] = [
        TokenType::SessionToken,
        TokenType::M2mToken,
        TokenType::ApiKey,
        TokenType::OauthToken,
    ];

    /// The machine token types, in the order their prefixes are tried.
    pub const MACHINE: [TokenType; 3] = [
        TokenType::M2mToken,
        TokenType::ApiKey,
        TokenType::OauthToken,
    ];

    /// The name Clerk's SDKs use: `session_token`, `m2m_token`, `api_key`, `oauth_token`.
    pub fn as_str(self) -> &'static str {
        match self {
            TokenType::SessionToken => "session_token",
            TokenType::M2mToken => "m2m_token",
            TokenType::ApiKey => "api_key",
            TokenType::OauthToken => "oauth_token",
        }
    }

    /// The prefix of a machine token type; `None` for session tokens.
    pub fn prefix(self) -> Option<&'static str> {
        match self {
            TokenType::SessionToken => None,
            TokenType::M2mToken => Some("mt_"),
            TokenType::ApiKey => Some("ak_"),
            TokenType::OauthToken => Some("oat_"),
        }
    }

    /// The machine token type `token` has by its prefix, if any.
    ///
    /// ```
    /// use clerk_backend_api::auth::TokenType;
    /// assert_eq!(TokenType::machine_type_of("ak_123"), Some(TokenType::ApiKey));
    /// assert_eq!(TokenType::machine_type_of("eyJhbGciOi..."), None);
    /// ```
    pub fn machine_type_of(token: &str) -> Option<TokenType> {
        TokenType::MACHINE
            .into_iter()
            .find(|t| t.prefix().is_some_and(|p| token.starts_with(p)))
    }

    /// Whether this is a machine token type.
    pub fn is_machine(self) -> bool {
        self != TokenType::SessionToken
    }
}

impl fmt::Display for TokenType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Who a verified machine token belongs to. Never holds the token itself.
///
/// From a machine JWT: `id` is its `jti` (empty when absent), `scopes` its `aud` (M2M) or
/// `scp`/`scope` (OAuth), `claims` the claims other than the registered ones, `expiration`
/// its `exp` in milliseconds.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct MachineIdentity {
    /// The kind of token.
    pub token_type: TokenType,
    /// The token's id (`mt_…`, `ak_…`, `oat_…`), not its secret value.
    pub id: String,
    /// Who the token acts for: a machine (`mch_…`), a user (`user_…`) or an organization
    /// (`org_…`).
    pub subject: String,
    /// The token's scopes (for M2M tokens, the machines it may call).
    pub scopes: Vec<String>,
    /// Custom claims attached to the token, when it has some.
    pub claims: Option<serde_json::Value>,
    /// The API key's name (API keys only).
    pub name: Option<String>,
    /// The OAuth application's client id (OAuth access tokens only).
    pub client_id: Option<String>,
    /// When the token expires, Unix milliseconds, if it does.
    pub expiration: Option<i64>,
}

impl MachineIdentity {
    /// The subject when it is a user (`user_…`).
    pub fn user_id(&self) -> Option<&str> {
        self.subject_with("user_")
    }

    /// The subject when it is an organization (`org_…`).
    pub fn org_id(&self) -> Option<&str> {
        self.subject_with("org_")
    }

    /// The subject when it is a machine (`mch_…`).
    pub fn machine_id(&self) -> Option<&str> {
        self.subject_with("mch_")
    }

    fn subject_with(&self, prefix: &str) -> Option<&str> {
        Some(self.subject.as_str()).filter(|s| s.starts_with(prefix))
    }
}

/// The claims of a machine JWT that are not custom claims.
const REGISTERED: [&str; 12] = [
    "iss",
    "sub",
    "aud",
    "exp",
    "nbf",
    "iat",
    "jti",
    "azp",
    "scopes",
    "scope",
    "scp",
    "client_id",
];

impl MachineIdentity {
    /// The identity a verified machine JWT of `token_type` gives.
    pub(crate) fn from_jwt(token_type: TokenType, payload: Payload) -> MachineIdentity {
        let mut claims = payload.claims;
        let spaced = |name: &str| {
            text(&claims, name)
                .map(|s| s.split_whitespace().map(str::to_owned).collect())
                .unwrap_or_default()
        };
        let scopes = match token_type {
            TokenType::OauthToken => match claims.get("scp") {
                Some(Value::Array(list)) => strings(list),
                _ => spaced("scope"),
            },
            _ if !payload.aud.is_empty() => payload.aud,
            _ => spaced("scopes"),
        };
        let id = text(&claims, "jti").unwrap_or_default();
        let client_id = match token_type {
            TokenType::OauthToken => text(&claims, "client_id"),
            _ => None,
        };
        claims.retain(|name, _| !REGISTERED.contains(&name.as_str()));
        MachineIdentity {
            token_type,
            id,
            subject: payload.sub,
            scopes,
            claims: Some(Value::Object(claims))
                .filter(|c| c.as_object().is_some_and(|o| !o.is_empty())),
            name: None,
            client_id,
            expiration: Some(payload.exp.saturating_mul(1000)),
        }
    }
}

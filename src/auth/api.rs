//! The four Clerk API calls this module makes, and nothing else: `GET /jwks` (`GetJWKS`) and
//! the three machine-token verify endpoints. They go through the client's one pipeline
//! (retries, timeouts, logging, error mapping) like every other operation.
//!
//! The response structs here are private and minimal. When the generated request builders
//! land, each function body becomes the builder call plus the conversion into this module's
//! own types (`Jwk`, `MachineIdentity`, `TokenError`):
//!
//! - `get_jwks`: `clerk.jwks().get_jwks().send()`
//! - `verify_m2m_token`: `clerk.m2m().verify_token(token).send()`
//! - `verify_api_key`: `clerk.api_keys().verify_api_key(secret).send()`
//! - `verify_oauth_access_token`: `clerk.oauth_access_tokens().verify().access_token(token).send()`

use serde::{Deserialize, Deserializer, Serialize};

use super::error::{Reason, TokenError};
use super::jwks::Jwk;
use super::machine::{MachineIdentity, TokenType};
use crate::http::{Body, CallOptions, Query, RequestSpec};
use crate::log::Operation;
use crate::{Clerk, Result};

/// What a verify endpoint said about a token it answered `200` for: who it is, or that it is
/// revoked or expired.
pub(super) type Verified = std::result::Result<MachineIdentity, TokenError>;

fn send<T: serde::de::DeserializeOwned>(clerk: &Clerk, op: Operation, body: Body) -> Result<T> {
    let options = CallOptions::default();
    clerk.send_json(RequestSpec {
        op,
        path_params: &[],
        query: Query::new(),
        body,
        options: &options,
    })
}

/// `GET /jwks`: the instance's JSON Web Key Set.
pub(super) fn get_jwks(clerk: &Clerk) -> Result<Vec<Jwk>> {
    #[derive(Deserialize)]
    struct Jwks {
        #[serde(default, deserialize_with = "null_as_empty")]
        keys: Vec<JwkBody>,
    }
    #[derive(Deserialize)]
    struct JwkBody {
        kid: Option<String>,
        kty: Option<String>,
        alg: Option<String>,
        #[serde(rename = "use")]
        use_: Option<String>,
        n: Option<String>,
        e: Option<String>,
    }
    let op = Operation {
        id: "GetJWKS",
        method: "GET",
        path: "/jwks",
    };
    let jwks: Jwks = send(clerk, op, Body::Empty)?;
    Ok(jwks
        .keys
        .into_iter()
        .map(|k| Jwk {
            kid: k.kid,
            kty: k.kty,
            alg: k.alg,
            use_: k.use_,
            n: k.n,
            e: k.e,
        })
        .collect())
}

/// The fields the three verify responses share (`object` is left out: the endpoint says what
/// was verified).
#[derive(Deserialize)]
struct Common {
    id: String,
    subject: String,
    #[serde(default, deserialize_with = "null_as_empty")]
    scopes: Vec<String>,
    #[serde(default)]
    claims: Option<serde_json::Value>,
    #[serde(default, deserialize_with = "null_as_false")]
    revoked: bool,
    #[serde(default, deserialize_with = "null_as_false")]
    expired: bool,
    #[serde(default, deserialize_with = "millis")]
    expiration: Option<i64>,
}

impl Common {
    fn into_identity(
        self,
        token_type: TokenType,
        name: Option<String>,
        client_id: Option<String>,
    ) -> Verified {
        if self.revoked {
            return Err(TokenError::new(
                Reason::Revoked,
                "clerk reports the token as revoked",
            ));
        }
        if self.expired {
            return Err(TokenError::new(
                Reason::Expired,
                "clerk reports the token as expired",
            ));
        }
        Ok(MachineIdentity {
            token_type,
            id: self.id,
            subject: self.subject,
            scopes: self.scopes,
            claims: self.claims.filter(|c| !c.is_null()),
            name,
            client_id,
            expiration: self.expiration,
        })
    }
}

/// `POST /m2m_tokens/verify` (`verifyM2MToken`).
pub(super) fn verify_m2m_token(clerk: &Clerk, token: &str) -> Result<Verified> {
    #[derive(Serialize)]
    struct Request<'a> {
        token: &'a str,
    }
    let op = Operation {
        id: "verifyM2MToken",
        method: "POST",
        path: "/m2m_tokens/verify",
    };
    let common: Common = send(clerk, op, Body::json(&Request { token })?)?;
    Ok(common.into_identity(TokenType::M2mToken, None, None))
}

/// `POST /api_keys/verify` (`verifyApiKey`).
pub(super) fn verify_api_key(clerk: &Clerk, secret: &str) -> Result<Verified> {
    #[derive(Serialize)]
    struct Request<'a> {
        secret: &'a str,
    }
    #[derive(Deserialize)]
    struct ApiKey {
        #[serde(flatten)]
        common: Common,
        #[serde(default)]
        name: Option<String>,
    }
    let op = Operation {
        id: "verifyApiKey",
        method: "POST",
        path: "/api_keys/verify",
    };
    let key: ApiKey = send(clerk, op, Body::json(&Request { secret })?)?;
    Ok(key.common.into_identity(TokenType::ApiKey, key.name, None))
}

/// `POST /oauth_applications/access_tokens/verify` (`verifyOAuthAccessToken`). The answer is
/// the token, or `{"active": false}` for one that is no longer active.
pub(super) fn verify_oauth_access_token(clerk: &Clerk, token: &str) -> Result<Verified> {
    #[derive(Serialize)]
    struct Request<'a> {
        access_token: &'a str,
    }
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Answer {
        Token {
            #[serde(flatten)]
            common: Common,
            #[serde(default)]
            client_id: Option<String>,
        },
        Inactive {
            #[allow(dead_code)] // only its presence matters
            active: bool,
        },
    }
    let op = Operation {
        id: "verifyOAuthAccessToken",
        method: "POST",
        path: "/oauth_applications/access_tokens/verify",
    };
    let answer: Answer = send(
        clerk,
        op,
        Body::json(&Request {
            access_token: token,
        })?,
    )?;
    Ok(match answer {
        Answer::Token { common, client_id } => {
            common.into_identity(TokenType::OauthToken, None, client_id)
        }
        Answer::Inactive { .. } => Err(TokenError::new(
            Reason::Expired,
            "clerk reports the access token as not active",
        )),
    })
}

fn null_as_empty<'de, D: Deserializer<'de>, T: Deserialize<'de>>(
    d: D,
) -> std::result::Result<Vec<T>, D::Error> {
    Ok(Option::<Vec<T>>::deserialize(d)?.unwrap_or_default())
}

fn null_as_false<'de, D: Deserializer<'de>>(d: D) -> std::result::Result<bool, D::Error> {
    Ok(Option::<bool>::deserialize(d)?.unwrap_or(false))
}

/// The spec types these timestamps as `number`: accept integers and floats.
fn millis<'de, D: Deserializer<'de>>(d: D) -> std::result::Result<Option<i64>, D::Error> {
    Ok(Option::<serde_json::Value>::deserialize(d)?
        .as_ref()
        .and_then(super::claims::numeric_date))
}

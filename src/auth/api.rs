//! The four Clerk API calls this module makes, through the generated builders (so through the
//! client's one pipeline: retries, timeouts, logging, error mapping): `GET /jwks` and the three
//! machine-token verify endpoints, chosen by the token's prefix. Each answer is turned into
//! this module's own types (`Jwk`, `MachineIdentity`, `TokenError`). The one-way order of the
//! module: `mod.rs` → `api.rs` → `machine.rs` (the types).

use super::error::{Reason, TokenError, Unavailable, VerifyError};
use super::jwks::Jwk;
use super::machine::{MachineIdentity, TokenType};
use crate::error::DecodeError;
use crate::{Clerk, Error, Result};

/// What a verify endpoint said about a token it answered `200` for: who it is, or that it is
/// revoked or expired.
pub(super) type Verified = std::result::Result<MachineIdentity, TokenError>;

/// `GET /jwks`: the instance's JSON Web Key Set.
pub(super) fn get_jwks(clerk: &Clerk) -> Result<Vec<Jwk>> {
    let jwks = clerk.jwks().get_jwks().send()?;
    Ok(jwks
        .keys
        .into_iter()
        .map(|k| Jwk {
            kid: k.kid,
            kty: k.kty,
            alg: k.alg,
            use_: k.usage,
            n: k.n,
            e: k.e,
        })
        .collect())
}

/// The fields the three verify answers share.
struct Common {
    id: String,
    subject: String,
    scopes: Vec<String>,
    claims: serde_json::Value,
    revoked: bool,
    expired: bool,
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
            claims: Some(self.claims).filter(|c| !c.is_null()),
            name,
            client_id,
            expiration: self.expiration,
        })
    }
}

/// `POST /m2m_tokens/verify` (`verifyM2MToken`).
pub(super) fn verify_m2m_token(clerk: &Clerk, token: &str) -> Result<Verified> {
    let t = clerk.m2m().verify_token(token).send()?;
    let common = Common {
        id: t.id,
        subject: t.subject,
        scopes: t.scopes,
        claims: t.claims,
        revoked: t.revoked,
        expired: t.expired,
        expiration: t.expiration,
    };
    Ok(common.into_identity(TokenType::M2mToken, None, None))
}

/// `POST /api_keys/verify` (`verifyApiKey`).
pub(super) fn verify_api_key(clerk: &Clerk, secret: &str) -> Result<Verified> {
    let k = clerk.api_keys().verify(secret).send()?;
    let common = Common {
        id: k.id,
        subject: k.subject,
        scopes: k.scopes,
        claims: k.claims,
        revoked: k.revoked,
        expired: k.expired,
        expiration: k.expiration,
    };
    Ok(common.into_identity(TokenType::ApiKey, Some(k.name), None))
}

/// `POST /oauth_applications/access_tokens/verify` (`verifyOAuthAccessToken`). The answer is
/// the token, or `{"active": false}` for one that is no longer active.
pub(super) fn verify_oauth_access_token(clerk: &Clerk, token: &str) -> Result<Verified> {
    let t = clerk
        .oauth_access_tokens()
        .verify()
        .access_token(token)
        .send()?;
    match (t.id, t.subject) {
        (Some(id), Some(subject)) => {
            let common = Common {
                id,
                subject,
                scopes: t.scopes,
                claims: serde_json::Value::Null,
                revoked: t.revoked.unwrap_or(false),
                expired: t.expired.unwrap_or(false),
                expiration: t.expiration,
            };
            Ok(common.into_identity(TokenType::OauthToken, None, t.client_id))
        }
        _ if t.active.is_some() => Ok(Err(TokenError::new(
            Reason::Expired,
            "clerk reports the access token as not active",
        ))),
        _ => {
            let e = <serde_json::Error as serde::de::Error>::custom(
                "neither a token (`id`, `subject`) nor `{\"active\": false}`",
            );
            Err(Error::Decode(DecodeError::json(
                "verifyOAuthAccessToken",
                200,
                Vec::new(),
                e,
            )))
        }
    }
}

/// Verifies an opaque machine token with the endpoint its prefix calls for.
pub(super) fn verify_machine_token(
    clerk: Option<&Clerk>,
    token: &str,
) -> Result<MachineIdentity, VerifyError> {
    let Some(kind) = TokenType::machine_type_of(token) else {
        return Err(TokenError::new(
            Reason::UnknownTokenType,
            "not a machine token: expected an `mt_`, `ak_` or `oat_` prefix, or a JWT",
        )
        .into());
    };
    if token.len() > super::jwt::MAX_TOKEN_LEN {
        return Err(TokenError::new(Reason::Malformed, "the token is too long").into());
    }
    let clerk = clerk.ok_or_else(|| super::no_client("verifying machine tokens"))?;
    let answer = match kind {
        TokenType::M2mToken => verify_m2m_token(clerk, token),
        TokenType::ApiKey => verify_api_key(clerk, token),
        _ => verify_oauth_access_token(clerk, token),
    };
    match answer {
        Ok(verified) => verified.map_err(VerifyError::Invalid),
        Err(e) => Err(classify(e)),
    }
}

/// A refusal about the token (`400`, `404`, `422`) is an invalid token; anything else (our
/// key refused with `401`/`403`, `429`, `5xx`, transport) means the token could not be checked.
fn classify(e: Error) -> VerifyError {
    match e.status() {
        Some(400 | 404 | 422) if matches!(e, Error::Api(_)) => {
            TokenError::new(Reason::NotFound, "clerk does not recognise the token").into()
        }
        _ => Unavailable::new(e).into(),
    }
}

//! The claims of a verified session token.

use std::fmt;

use serde_json::{Map, Value};

use super::error::{Reason, TokenError};

/// The claims of a verified Clerk session token.
///
/// `sub`, `sid` and the organization claims are typed; every claim, these included, is in
/// [`claims`](SessionClaims::claims) as JSON (custom claims of a session token template,
/// `act` for impersonation, `sts`, `fva`, `v`, ...).
///
/// `Debug` prints the typed claims and only the *names* of the others, since templates can put
/// personal data in them.
#[derive(Clone, PartialEq)]
#[non_exhaustive]
pub struct SessionClaims {
    /// `sub`: the signed-in user's id (`user_…`).
    pub sub: String,
    /// `sid`: the session's id (`sess_…`).
    pub sid: Option<String>,
    /// `azp`: the origin the token was issued for.
    pub azp: Option<String>,
    /// `iss`: the Frontend API URL of the instance that issued the token.
    pub iss: Option<String>,
    /// `exp`: when the token expires, Unix seconds.
    pub exp: i64,
    /// `iat`: when the token was issued, Unix seconds.
    pub iat: Option<i64>,
    /// `nbf`: the token is not valid before this, Unix seconds.
    pub nbf: Option<i64>,
    /// The user's active organization, when there is one: from `o` in version 2 tokens, from
    /// `org_id`, `org_slug`, `org_role` and `org_permissions` in version 1 tokens.
    pub org: Option<OrganizationClaims>,
    claims: Map<String, Value>,
}

/// The active organization of a session, from its token.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct OrganizationClaims {
    /// The organization's id (`org_…`).
    pub id: String,
    /// The organization's slug.
    pub slug: Option<String>,
    /// The user's role in it, with its `org:` prefix (`org:admin`).
    pub role: Option<String>,
    /// The user's permissions in it (`org:invoices:read`). In version 2 tokens they are
    /// rebuilt from the `fea`, `o.per` and `o.fpm` claims the way Clerk's JavaScript SDK does.
    pub permissions: Vec<String>,
}

impl SessionClaims {
    /// Decodes a payload whose signature has been checked. `sub` (a string) and `exp` (a
    /// number) are required; `iat` and `nbf` must be numbers when present.
    pub(crate) fn from_payload(payload: &[u8]) -> Result<SessionClaims, TokenError> {
        let claims: Map<String, Value> = serde_json::from_slice(payload).map_err(|_| {
            TokenError::new(Reason::Malformed, "the token payload is not a JSON object")
        })?;
        let sub = match claims.get("sub") {
            Some(Value::String(s)) if !s.is_empty() => s.clone(),
            _ => {
                return Err(TokenError::new(
                    Reason::Malformed,
                    "the token has no `sub` claim (a non-empty string)",
                ));
            }
        };
        let exp = match claims.get("exp").map(numeric_date) {
            Some(Some(exp)) => exp,
            _ => {
                return Err(TokenError::new(
                    Reason::Malformed,
                    "the token has no `exp` claim (a number)",
                ));
            }
        };
        let optional_date = |name: &str, message: &'static str| match claims.get(name) {
            None | Some(Value::Null) => Ok(None),
            Some(v) => numeric_date(v)
                .map(Some)
                .ok_or(TokenError::new(Reason::Malformed, message)),
        };
        let iat = optional_date("iat", "the token's `iat` claim is not a number")?;
        let nbf = optional_date("nbf", "the token's `nbf` claim is not a number")?;
        let text = |name: &str| claims.get(name).and_then(Value::as_str).map(str::to_owned);
        Ok(SessionClaims {
            sid: text("sid"),
            azp: text("azp"),
            iss: text("iss"),
            org: organization(&claims),
            sub,
            exp,
            iat,
            nbf,
            claims,
        })
    }

    /// The signed-in user's id: `sub`.
    pub fn user_id(&self) -> &str {
        &self.sub
    }

    /// The session's id: `sid`.
    pub fn session_id(&self) -> Option<&str> {
        self.sid.as_deref()
    }

    /// The active organization's id, when there is one.
    pub fn org_id(&self) -> Option<&str> {
        self.org.as_ref().map(|o| o.id.as_str())
    }

    /// The token format version: the `v` claim, or 1 when absent.
    pub fn version(&self) -> u64 {
        self.claims.get("v").and_then(Value::as_u64).unwrap_or(1)
    }

    /// The session's status (`sts`): `active`, or `pending` while the user has session tasks
    /// to complete. Absent from tokens of instances that have not opted in.
    pub fn session_status(&self) -> Option<&str> {
        self.claims.get("sts").and_then(Value::as_str)
    }

    /// Whether the session is pending (`sts` is `pending`).
    pub fn is_pending(&self) -> bool {
        self.session_status() == Some("pending")
    }

    /// The actor (`act`) when the session is an impersonation, for example
    /// `{"sub": "user_admin"}`.
    pub fn actor(&self) -> Option<&Value> {
        self.claims.get("act").filter(|v| !v.is_null())
    }

    /// One claim, as JSON.
    pub fn get(&self, name: &str) -> Option<&Value> {
        self.claims.get(name)
    }

    /// Every claim of the token, as JSON.
    pub fn claims(&self) -> &Map<String, Value> {
        &self.claims
    }
}

impl fmt::Debug for SessionClaims {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        const TYPED: [&str; 12] = [
            "sub",
            "sid",
            "azp",
            "iss",
            "exp",
            "iat",
            "nbf",
            "o",
            "org_id",
            "org_slug",
            "org_role",
            "org_permissions",
        ];
        let others: Vec<&str> = self
            .claims
            .keys()
            .map(String::as_str)
            .filter(|k| !TYPED.contains(k))
            .collect();
        f.debug_struct("SessionClaims")
            .field("sub", &self.sub)
            .field("sid", &self.sid)
            .field("azp", &self.azp)
            .field("iss", &self.iss)
            .field("exp", &self.exp)
            .field("iat", &self.iat)
            .field("nbf", &self.nbf)
            .field("org", &self.org)
            .field("other_claims", &others)
            .finish()
    }
}

/// A JWT NumericDate: an integer or a finite number of seconds, rounded down.
pub(crate) fn numeric_date(value: &Value) -> Option<i64> {
    let n = value.as_number()?;
    if let Some(i) = n.as_i64() {
        return Some(i);
    }
    if n.as_u64().is_some() {
        return Some(i64::MAX);
    }
    // `as` saturates; JSON numbers are never NaN.
    n.as_f64().map(|f| f.floor() as i64)
}

fn organization(claims: &Map<String, Value>) -> Option<OrganizationClaims> {
    let str_of = |v: Option<&Value>| v.and_then(Value::as_str).map(str::to_owned);
    if claims.get("v").and_then(Value::as_u64) == Some(2) {
        let o = claims.get("o")?.as_object()?;
        let id = str_of(o.get("id")).filter(|id| !id.is_empty())?;
        let features = claims.get("fea").and_then(Value::as_str).unwrap_or("");
        let per = o.get("per").and_then(Value::as_str).unwrap_or("");
        let fpm = o.get("fpm").and_then(Value::as_str).unwrap_or("");
        return Some(OrganizationClaims {
            id,
            slug: str_of(o.get("slg")),
            role: str_of(o.get("rol")).map(|r| format!("org:{r}")),
            permissions: v2_permissions(features, per, fpm),
        });
    }
    let id = str_of(claims.get("org_id")).filter(|id| !id.is_empty())?;
    let permissions = match claims.get("org_permissions") {
        Some(Value::Array(list)) => list
            .iter()
            .filter_map(Value::as_str)
            .map(str::to_owned)
            .collect(),
        _ => Vec::new(),
    };
    Some(OrganizationClaims {
        id,
        slug: str_of(claims.get("org_slug")),
        role: str_of(claims.get("org_role")),
        permissions,
    })
}

/// Version 2 tokens compress permissions: `fea` lists features with a scope
/// (`o:invoices,u:profile`; the organization ones have an `o` in their scope), `o.per` lists
/// permission names (`read,manage`), and `o.fpm` gives, per organization feature in order, a
/// bit mask over those names (bit 0 = the first). Feature `invoices` with mask `3` gives
/// `org:invoices:read` and `org:invoices:manage`.
fn v2_permissions(features: &str, per: &str, fpm: &str) -> Vec<String> {
    if per.is_empty() || fpm.is_empty() {
        return Vec::new();
    }
    let org_features = features.split(',').filter_map(|f| {
        let (scope, name) = f.trim().split_once(':')?;
        scope.contains('o').then_some(name)
    });
    let names: Vec<&str> = per.split(',').map(str::trim).collect();
    let masks = fpm.split(',').map(|m| m.trim().parse::<u64>().ok());
    let mut out = Vec::new();
    for (feature, mask) in org_features.zip(masks) {
        let Some(mask) = mask else { continue };
        for (bit, name) in names.iter().enumerate().take(64) {
            if mask & (1 << bit) != 0 {
                out.push(format!("org:{feature}:{name}"));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn decode(v: Value) -> Result<SessionClaims, TokenError> {
        SessionClaims::from_payload(v.to_string().as_bytes())
    }

    #[test]
    fn required_claims() {
        let ok = decode(json!({"sub": "user_1", "exp": 10})).unwrap();
        assert_eq!(
            (ok.user_id(), ok.exp, ok.iat, ok.nbf),
            ("user_1", 10, None, None)
        );
        for bad in [
            json!({"exp": 10}),
            json!({"sub": "", "exp": 10}),
            json!({"sub": 5, "exp": 10}),
            json!({"sub": "user_1"}),
            json!({"sub": "user_1", "exp": "10"}),
            json!({"sub": "user_1", "exp": 10, "iat": "x"}),
            json!({"sub": "user_1", "exp": 10, "nbf": [1]}),
            json!(["sub"]),
            json!("text"),
        ] {
            let e = decode(bad.clone()).unwrap_err();
            assert_eq!(e.reason(), Reason::Malformed, "{bad}");
        }
        assert!(SessionClaims::from_payload(b"{not json").is_err());
    }

    #[test]
    fn numeric_dates() {
        assert_eq!(numeric_date(&json!(5)), Some(5));
        assert_eq!(numeric_date(&json!(-5)), Some(-5));
        assert_eq!(numeric_date(&json!(5.9)), Some(5));
        assert_eq!(numeric_date(&json!(1e300)), Some(i64::MAX));
        assert_eq!(numeric_date(&json!(u64::MAX)), Some(i64::MAX));
        assert_eq!(numeric_date(&json!(true)), None);
    }

    #[test]
    fn version_1_organization() {
        let c = decode(json!({
            "sub": "user_1", "exp": 1, "sid": "sess_1",
            "org_id": "org_1", "org_slug": "acme", "org_role": "org:admin",
            "org_permissions": ["org:sys_memberships:manage", 7]
        }))
        .unwrap();
        assert_eq!(c.session_id(), Some("sess_1"));
        assert_eq!(c.version(), 1);
        assert_eq!(
            c.org,
            Some(OrganizationClaims {
                id: "org_1".into(),
                slug: Some("acme".into()),
                role: Some("org:admin".into()),
                permissions: vec!["org:sys_memberships:manage".into()],
            })
        );
        assert_eq!(decode(json!({"sub": "u", "exp": 1})).unwrap().org, None);
    }

    #[test]
    fn version_2_organization() {
        let c = decode(json!({
            "sub": "user_1", "exp": 1, "v": 2,
            "fea": "o:invoices,u:profile,o:dashboard,ou:shared",
            "o": {"id": "org_1", "slg": "acme", "rol": "admin", "per": "read,manage,delete", "fpm": "3,4,1"}
        }))
        .unwrap();
        let org = c.org.unwrap();
        assert_eq!(org.id, "org_1");
        assert_eq!(org.slug.as_deref(), Some("acme"));
        assert_eq!(org.role.as_deref(), Some("org:admin"));
        assert_eq!(
            org.permissions,
            [
                "org:invoices:read",
                "org:invoices:manage",
                "org:dashboard:delete",
                "org:shared:read"
            ]
        );
        // Version 2 without `o`: no organization, even with stray v1 claims.
        let c = decode(json!({"sub": "u", "exp": 1, "v": 2, "org_id": "org_1"})).unwrap();
        assert_eq!(c.org, None);
        // Garbage masks are skipped, never a panic.
        assert!(v2_permissions("o:a,o:b", "x", "zz,1").contains(&"org:b:x".to_owned()));
        assert!(v2_permissions("o:a", "x", "18446744073709551615").len() == 1);
        assert!(v2_permissions("o:a", "", "1").is_empty());
    }

    #[test]
    fn debug_names_other_claims_without_values() {
        let c = decode(json!({
            "sub": "user_1", "exp": 1, "email": "ada@example.com", "act": {"sub": "user_admin"}
        }))
        .unwrap();
        let text = format!("{c:?}");
        assert!(text.contains("user_1"), "{text}");
        assert!(text.contains("\"email\""), "{text}");
        assert!(!text.contains("ada@example.com"), "{text}");
        assert_eq!(c.actor(), Some(&json!({"sub": "user_admin"})));
        assert_eq!(c.get("email"), Some(&json!("ada@example.com")));
    }
}

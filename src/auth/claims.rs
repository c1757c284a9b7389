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

/// A verified token's payload: the registered claims every Clerk JWT has, typed, and all of
/// its claims as JSON.
pub(crate) struct Payload {
    pub(crate) sub: String,
    pub(crate) exp: i64,
    pub(crate) iat: Option<i64>,
    pub(crate) nbf: Option<i64>,
    pub(crate) iss: Option<String>,
    pub(crate) azp: Option<String>,
    /// `aud`: one string or a list of them; empty when absent or of another shape.
    pub(crate) aud: Vec<String>,
    pub(crate) claims: Map<String, Value>,
}

impl Payload {
    /// Decodes a payload. `sub` (a non-empty string) and `exp` (a number) are required;
    /// `iat` and `nbf` must be numbers when present.
    pub(crate) fn decode(payload: &[u8]) -> Result<Payload, TokenError> {
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
        let aud = match claims.get("aud") {
            Some(Value::String(a)) => vec![a.clone()],
            Some(Value::Array(list)) => strings(list),
            _ => Vec::new(),
        };
        Ok(Payload {
            iss: text(&claims, "iss"),
            azp: text(&claims, "azp"),
            sub,
            exp,
            iat,
            nbf,
            aud,
            claims,
        })
    }
}

/// A string claim.
pub(crate) fn text(claims: &Map<String, Value>, name: &str) -> Option<String> {
    claims.get(name).and_then(Value::as_str).map(str::to_owned)
}

/// The strings of a JSON list; other elements are skipped.
pub(crate) fn strings(list: &[Value]) -> Vec<String> {
    list.iter()
        .filter_map(Value::as_str)
        .map(str::to_owned)
        .collect()
}

impl SessionClaims {
    /// The claims of a verified session token's payload.
    pub(crate) fn from_payload(payload: Payload) -> SessionClaims {
        SessionClaims {
            sid: text(&payload.claims, "sid"),
            org: organization(&payload.claims),
            sub: payload.sub,
            azp: payload.azp,
            iss: payload.iss,
            exp: payload.exp,
            iat: payload.iat,
            nbf: payload.nbf,
            claims: payload.claims,
        }
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

/// What [`SessionClaims::has`] checks: a role, a permission, a feature, a plan, or several of
/// them (all must hold). Build it with one constructor and chain the others:
///
/// ```
/// use clerk_backend_api::auth::Authorization;
///
/// let admin = Authorization::role("admin"); // same as "org:admin"
/// let billing = Authorization::permission("org:invoices:read").and_feature("invoices");
/// let pro = Authorization::plan("org:pro");
/// # let _ = (admin, billing, pro);
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct Authorization {
    /// The user's role in the active organization, with or without its `org:` prefix.
    pub role: Option<String>,
    /// A permission in the active organization (`org:invoices:read`; `org:` is added when
    /// missing).
    pub permission: Option<String>,
    /// A feature: `name` (the user's or the active organization's), `user:name` or
    /// `org:name` (also `u:` and `o:`).
    pub feature: Option<String>,
    /// A plan, scoped like a feature: `pro`, `user:pro`, `org:pro`.
    pub plan: Option<String>,
}

impl Authorization {
    /// Checks a role.
    pub fn role(role: impl Into<String>) -> Self {
        Authorization::default().and_role(role)
    }

    /// Checks a permission.
    pub fn permission(permission: impl Into<String>) -> Self {
        Authorization::default().and_permission(permission)
    }

    /// Checks a feature.
    pub fn feature(feature: impl Into<String>) -> Self {
        Authorization::default().and_feature(feature)
    }

    /// Checks a plan.
    pub fn plan(plan: impl Into<String>) -> Self {
        Authorization::default().and_plan(plan)
    }

    /// Also checks a role.
    pub fn and_role(mut self, role: impl Into<String>) -> Self {
        self.role = Some(role.into());
        self
    }

    /// Also checks a permission.
    pub fn and_permission(mut self, permission: impl Into<String>) -> Self {
        self.permission = Some(permission.into());
        self
    }

    /// Also checks a feature.
    pub fn and_feature(mut self, feature: impl Into<String>) -> Self {
        self.feature = Some(feature.into());
        self
    }

    /// Also checks a plan.
    pub fn and_plan(mut self, plan: impl Into<String>) -> Self {
        self.plan = Some(plan.into());
        self
    }
}

impl SessionClaims {
    /// Whether the session has every role, permission, feature and plan `check` asks for,
    /// as `auth().has({...})` answers in Clerk's JavaScript SDK. Fails closed: a check that
    /// asks for nothing, or for an organization role or permission without an active
    /// organization, is `false`.
    ///
    /// Read from the token (see [`OrganizationClaims`] for the organization):
    /// - role: version 1 `org_role` (`org:admin`), version 2 `o.rol` (`admin`).
    /// - permission: version 1 `org_permissions` (a list); version 2 rebuilt from `fea`,
    ///   `o.per` and `o.fpm`, so a permission counts only while its feature is active.
    /// - feature: `fea`, a comma-separated list of `scope:name` where the scope holds `u`
    ///   (the user's), `o` (the organization's) or both: `u:profile,o:invoices,uo:export`.
    /// - plan: `pla`, in the same form: `u:free,o:pro`.
    ///
    /// ```
    /// use clerk_backend_api::auth::{Authorization, SessionClaims};
    /// # fn check(claims: &SessionClaims) {
    /// if claims.has(&Authorization::permission("org:invoices:read")) {
    ///     // show the invoices
    /// }
    /// # }
    /// ```
    pub fn has(&self, check: &Authorization) -> bool {
        let asked = [&check.role, &check.permission, &check.feature, &check.plan];
        if asked.iter().all(|a| a.is_none()) {
            return false;
        }
        let org = self.org.as_ref();
        let role_ok = check.role.as_deref().is_none_or(|role| {
            org.and_then(|o| o.role.as_deref())
                .is_some_and(|r| !r.is_empty() && with_org_prefix(r) == with_org_prefix(role))
        });
        let permission_ok = check.permission.as_deref().is_none_or(|permission| {
            let wanted = with_org_prefix(permission);
            org.is_some_and(|o| o.permissions.contains(&wanted))
        });
        let scoped = |claim: &str, wanted: Option<&str>| {
            let list = self.claims.get(claim).and_then(Value::as_str).unwrap_or("");
            wanted.is_none_or(|w| has_scoped(list, w))
        };
        role_ok
            && permission_ok
            && scoped("fea", check.feature.as_deref())
            && scoped("pla", check.plan.as_deref())
    }
}

/// `value` with exactly one `org:` prefix.
fn with_org_prefix(mut value: &str) -> String {
    while let Some(rest) = value.strip_prefix("org:") {
        value = rest;
    }
    format!("org:{value}")
}

/// Whether the `fea`/`pla` list `list` (`u:a,o:b,uo:c`) has `wanted` (`name`, `user:name`,
/// `org:name`, `u:name`, `o:name`). An unknown scope in `wanted` is never had.
fn has_scoped(list: &str, wanted: &str) -> bool {
    let (user, org) = match wanted.split_once(':') {
        None => (true, true),
        Some(("u" | "user", _)) => (true, false),
        Some(("o" | "org" | "organization", _)) => (false, true),
        Some(_) => return false,
    };
    let name = wanted.split_once(':').map_or(wanted, |(_, n)| n);
    if name.is_empty() {
        return false;
    }
    list.split(',').any(|entry| {
        entry.trim().split_once(':').is_some_and(|(scope, n)| {
            n == name && ((user && scope.contains('u')) || (org && scope.contains('o')))
        })
    })
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
        Some(Value::Array(list)) => strings(list),
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
        Payload::decode(v.to_string().as_bytes()).map(SessionClaims::from_payload)
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
        assert!(Payload::decode(b"{not json").is_err());
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

    #[test]
    fn has_version_1_roles_and_permissions() {
        let c = decode(json!({
            "sub": "user_1", "exp": 1, "sid": "sess_1",
            "org_id": "org_1", "org_role": "org:admin",
            "org_permissions": ["org:invoices:read", "org:sys_memberships:manage"]
        }))
        .unwrap();
        assert!(c.has(&Authorization::role("org:admin")));
        assert!(c.has(&Authorization::role("admin")));
        assert!(c.has(&Authorization::role("org:org:admin")));
        assert!(!c.has(&Authorization::role("org:member")));
        assert!(c.has(&Authorization::permission("org:invoices:read")));
        assert!(c.has(&Authorization::permission("invoices:read")));
        assert!(!c.has(&Authorization::permission("org:invoices:manage")));
        assert!(c.has(&Authorization::role("admin").and_permission("invoices:read")));
        assert!(!c.has(&Authorization::role("member").and_permission("invoices:read")));
        // Version 1 tokens carry no features or plans.
        assert!(!c.has(&Authorization::feature("invoices")));
        assert!(!c.has(&Authorization::default()));
        // Without an active organization, no role or permission.
        let none = decode(json!({"sub": "user_1", "exp": 1, "sid": "sess_1"})).unwrap();
        assert!(!none.has(&Authorization::role("admin")));
        assert!(!none.has(&Authorization::permission("org:invoices:read")));
        // An empty role is no role.
        let empty =
            decode(json!({"sub": "u", "exp": 1, "org_id": "org_1", "org_role": ""})).unwrap();
        assert!(!empty.has(&Authorization::role("")));
        assert!(!empty.has(&Authorization::role("org:")));
    }

    #[test]
    fn has_version_2_roles_permissions_features_and_plans() {
        let c = decode(json!({
            "sub": "user_1", "exp": 1, "v": 2, "sid": "sess_1",
            "fea": "o:invoices,u:profile,uo:export",
            "pla": "u:free,o:pro",
            "o": {"id": "org_1", "rol": "admin", "per": "read,manage", "fpm": "1"}
        }))
        .unwrap();
        assert!(c.has(&Authorization::role("admin")));
        assert!(c.has(&Authorization::role("org:admin")));
        assert!(c.has(&Authorization::permission("org:invoices:read")));
        assert!(!c.has(&Authorization::permission("org:invoices:manage")));
        // Features: unscoped looks at both, scoped at one.
        assert!(c.has(&Authorization::feature("invoices")));
        assert!(c.has(&Authorization::feature("org:invoices")));
        assert!(c.has(&Authorization::feature("o:invoices")));
        assert!(c.has(&Authorization::feature("organization:invoices")));
        assert!(!c.has(&Authorization::feature("user:invoices")));
        assert!(c.has(&Authorization::feature("user:profile")));
        assert!(c.has(&Authorization::feature("u:profile")));
        assert!(!c.has(&Authorization::feature("org:profile")));
        assert!(c.has(&Authorization::feature("user:export")));
        assert!(c.has(&Authorization::feature("org:export")));
        assert!(!c.has(&Authorization::feature("team:export")));
        assert!(!c.has(&Authorization::feature("missing")));
        // Plans.
        assert!(c.has(&Authorization::plan("pro")));
        assert!(c.has(&Authorization::plan("org:pro")));
        assert!(!c.has(&Authorization::plan("user:pro")));
        assert!(c.has(&Authorization::plan("user:free")));
        assert!(!c.has(&Authorization::plan("enterprise")));
        // Everything asked must hold.
        assert!(
            c.has(
                &Authorization::role("admin")
                    .and_permission("invoices:read")
                    .and_feature("invoices")
                    .and_plan("pro")
            )
        );
        assert!(!c.has(&Authorization::feature("invoices").and_plan("enterprise")));
        // No organization: features and plans still count, roles do not.
        let personal = decode(json!({
            "sub": "user_1", "exp": 1, "v": 2, "sid": "sess_1", "fea": "u:profile", "pla": "u:free"
        }))
        .unwrap();
        assert!(personal.has(&Authorization::feature("profile")));
        assert!(personal.has(&Authorization::plan("free")));
        assert!(!personal.has(&Authorization::role("admin")));
        // Odd claim shapes never panic and never pass.
        let odd = decode(json!({
            "sub": "u", "exp": 1, "v": 2, "fea": 5, "pla": ",:,u:,::x,o",
            "o": {"id": "org_1", "rol": 7}
        }))
        .unwrap();
        for check in [
            Authorization::feature("x"),
            Authorization::plan(""),
            Authorization::plan("u:"),
            Authorization::plan(":x"),
            Authorization::role("7"),
        ] {
            assert!(!odd.has(&check), "{check:?}");
        }
    }
}

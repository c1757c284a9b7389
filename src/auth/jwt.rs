//! Splitting and decoding a compact JWS, telling which kind of Clerk JWT it is, and the checks
//! on its claims. No key material and no network here; `mod.rs` puts it together with a key.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde::Deserialize;
use serde_json::{Map, Value};

use super::claims::Payload;
use super::error::{Reason, TokenError};

/// The longest token accepted. A session token fits in a cookie (4 KiB); session token
/// templates can make it bigger, but not this big.
pub(crate) const MAX_TOKEN_LEN: usize = 64 * 1024;

/// The `cat` (category) header Clerk stamps on session tokens.
pub(crate) const CATEGORY_SESSION: &str = "cl_B7d4PD111AAA";
/// The `cat` header of JWT-template tokens.
pub(crate) const CATEGORY_TEMPLATE: &str = "cl_B7d4PD222AAA";
/// The `cat` header of M2M tokens in JWT form.
pub(crate) const CATEGORY_M2M: &str = "cl_B7d4PD333AAA";
/// The `cat` header instances with "ignore JWT category" stamp on every kind of token: it
/// says nothing about the kind.
pub(crate) const CATEGORY_IGNORE: &str = "cl_I7d4PD111III";

/// The JOSE header fields we read. A repeated field is an error (no parser differentials).
#[derive(Debug, Deserialize)]
pub(crate) struct Header {
    pub(crate) alg: String,
    #[serde(default)]
    pub(crate) kid: Option<String>,
    #[serde(default)]
    pub(crate) typ: Option<String>,
    /// Clerk's token category; `None` when absent or [`CATEGORY_IGNORE`].
    #[serde(default)]
    cat: Option<String>,
    #[serde(default)]
    crit: Option<serde_json::Value>,
}

impl Header {
    /// The token's category, when it has one that says something.
    pub(crate) fn category(&self) -> Option<&str> {
        self.cat.as_deref().filter(|c| *c != CATEGORY_IGNORE)
    }

    /// Whether `typ` marks an OAuth access token (RFC 9068: `at+jwt`).
    fn is_access_token(&self) -> bool {
        self.typ.as_deref().is_some_and(|t| {
            t.eq_ignore_ascii_case("at+jwt") || t.eq_ignore_ascii_case("application/at+jwt")
        })
    }
}

/// Which kind of Clerk JWT a token is, from its header and its (not yet verified) payload.
/// Every kind is signed by the same instance key, so the kind, not the signature, is what
/// keeps one from being used as another.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    /// A session token: category session (or none, on older instances) and a `sid`.
    Session,
    /// A JWT-template token: category template, or no category and no `sid`.
    Template,
    /// An M2M token in JWT form: category M2M, or a machine (`mch_…`) subject.
    M2m,
    /// An OAuth access token in JWT form: `typ: at+jwt`.
    Oauth,
    /// A category this crate does not know: never accepted.
    Unknown,
}

impl Kind {
    /// The kind of a parsed token. `payload` is the payload as a JSON object, when it is one
    /// (otherwise the header alone tells, and verification refuses the payload).
    pub(crate) fn of(header: &Header, payload: Option<&Map<String, Value>>) -> Kind {
        let claim = |name: &str| payload.and_then(|p| p.get(name)).and_then(Value::as_str);
        let category = header.category();
        if header.is_access_token() {
            Kind::Oauth
        } else if category == Some(CATEGORY_M2M) || claim("sub").is_some_and(is_machine_id) {
            Kind::M2m
        } else {
            match category {
                Some(CATEGORY_TEMPLATE) => Kind::Template,
                Some(CATEGORY_SESSION) => Kind::Session,
                Some(_) => Kind::Unknown,
                None if claim("sid").is_some_and(|s| !s.is_empty()) => Kind::Session,
                None => Kind::Template,
            }
        }
    }

    /// Whether a token of this kind may be verified as `expected` (a machine kind): its
    /// category, when it has one, must not say otherwise.
    pub(crate) fn category_allows(header: &Header, expected: Kind) -> bool {
        match (header.category(), expected) {
            (None, _) => true,
            (Some(c), Kind::M2m) => c == CATEGORY_M2M,
            (Some(c), Kind::Oauth) => {
                ![CATEGORY_SESSION, CATEGORY_TEMPLATE, CATEGORY_M2M].contains(&c)
            }
            (Some(_), _) => false,
        }
    }
}

/// Whether `id` is a machine's id (`mch_…`).
pub(crate) fn is_machine_id(id: &str) -> bool {
    id.starts_with("mch_")
}

/// A token split into its parts, header decoded, nothing verified yet.
pub(crate) struct Parsed<'a> {
    pub(crate) header: Header,
    /// `base64url(header) . base64url(payload)`: what the signature covers.
    pub(crate) signing_input: &'a str,
    pub(crate) payload: Vec<u8>,
    pub(crate) signature: Vec<u8>,
}

fn malformed(message: &'static str) -> TokenError {
    TokenError::new(Reason::Malformed, message)
}

/// Splits and decodes `token`. Strict: exactly three parts, unpadded base64url, a header that
/// is a JSON object with a string `alg`, `typ` absent, `JWT` or `at+jwt`, no `crit`.
pub(crate) fn parse(token: &str) -> Result<Parsed<'_>, TokenError> {
    if token.len() > MAX_TOKEN_LEN {
        return Err(malformed("the token is too long"));
    }
    let mut parts = token.split('.');
    let (Some(h), Some(p), Some(s), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(malformed("the token is not three dot-separated parts"));
    };
    // An empty signature is left to the algorithm and signature checks, so that an unsigned
    // `alg: none` token is refused for its algorithm.
    if h.is_empty() || p.is_empty() {
        return Err(malformed("the token has an empty header or payload"));
    }
    let decode = |part: &str, message| URL_SAFE_NO_PAD.decode(part).map_err(|_| malformed(message));
    let header_bytes = decode(h, "the token header is not base64url")?;
    let payload = decode(p, "the token payload is not base64url")?;
    let signature = decode(s, "the token signature is not base64url")?;
    let header: Header = serde_json::from_slice(&header_bytes)
        .map_err(|_| malformed("the token header is not a JSON object with a string `alg`"))?;
    if header.crit.is_some() {
        return Err(malformed(
            "the token header has `crit` extensions, which are not supported",
        ));
    }
    if !header.is_access_token()
        && header
            .typ
            .as_deref()
            .is_some_and(|t| !t.eq_ignore_ascii_case("JWT"))
    {
        return Err(malformed("the token's `typ` is not JWT or at+jwt"));
    }
    let signing_input = &token[..h.len() + 1 + p.len()];
    Ok(Parsed {
        header,
        signing_input,
        payload,
        signature,
    })
}

impl Parsed<'_> {
    /// The payload as a JSON object, for telling the token's kind before it is verified;
    /// `None` when it is not one (the strict decode after verification says so).
    pub(crate) fn payload_object(&self) -> Option<Map<String, Value>> {
        serde_json::from_slice(&self.payload).ok()
    }

    /// The token's kind.
    pub(crate) fn kind(&self) -> Kind {
        Kind::of(&self.header, self.payload_object().as_ref())
    }
}

/// The time checks and the party, issuer and audience checks, in milliseconds so that a skew
/// below a second counts.
pub(crate) struct ClaimChecks<'a> {
    pub(crate) now_ms: i128,
    pub(crate) skew_ms: i128,
    /// Empty: `azp` not checked.
    pub(crate) authorized_parties: &'a [String],
    pub(crate) issuer: Option<&'a str>,
    /// Empty: `aud` not checked.
    pub(crate) audience: &'a [String],
}

impl ClaimChecks<'_> {
    /// Checks the claims: party, expiry, not-before, issued-at, issuer, then audience; the
    /// first failure is the reason.
    pub(crate) fn check(&self, claims: &Payload) -> Result<(), TokenError> {
        if !self.authorized_parties.is_empty() {
            let ok = claims
                .azp
                .as_deref()
                .is_some_and(|azp| self.authorized_parties.iter().any(|p| p == azp));
            if !ok {
                return Err(TokenError::new(
                    Reason::WrongParty,
                    "the token's `azp` is missing or not an authorized party",
                ));
            }
        }
        let ms = |seconds: i64| i128::from(seconds) * 1000;
        // Expired once `exp` is at or before now minus the skew.
        if ms(claims.exp) <= self.now_ms - self.skew_ms {
            return Err(TokenError::new(Reason::Expired, "the token has expired"));
        }
        if claims
            .nbf
            .is_some_and(|nbf| ms(nbf) > self.now_ms + self.skew_ms)
        {
            return Err(TokenError::new(
                Reason::NotYetValid,
                "the token is not valid yet (`nbf` is in the future)",
            ));
        }
        if claims
            .iat
            .is_some_and(|iat| ms(iat) > self.now_ms + self.skew_ms)
        {
            return Err(TokenError::new(
                Reason::NotYetValid,
                "the token was issued in the future (`iat`)",
            ));
        }
        if let Some(issuer) = self.issuer {
            if claims.iss.as_deref() != Some(issuer) {
                return Err(TokenError::new(
                    Reason::WrongIssuer,
                    "the token's `iss` is not the expected issuer",
                ));
            }
        }
        if !self.audience.is_empty() && !claims.aud.iter().any(|a| self.audience.contains(a)) {
            return Err(TokenError::new(
                Reason::WrongAudience,
                "the token's `aud` is missing or names none of the expected audiences",
            ));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn b64(s: &str) -> String {
        URL_SAFE_NO_PAD.encode(s)
    }

    fn token(header: &str, payload: &str) -> String {
        format!("{}.{}.{}", b64(header), b64(payload), b64("sig"))
    }

    #[test]
    fn parses_a_well_formed_token() {
        let t = token(
            r#"{"alg":"RS256","kid":"k1","typ":"JWT"}"#,
            r#"{"sub":"u"}"#,
        );
        let p = parse(&t).unwrap();
        assert_eq!(p.header.alg, "RS256");
        assert_eq!(p.header.kid.as_deref(), Some("k1"));
        assert_eq!(p.payload, br#"{"sub":"u"}"#);
        assert_eq!(p.signature, b"sig");
        assert_eq!(p.signing_input, &t[..t.rfind('.').unwrap()]);
        let unsigned = format!("{}.{}.", b64(r#"{"alg":"none"}"#), b64("{}"));
        assert!(parse(&unsigned).unwrap().signature.is_empty());
    }

    #[test]
    fn refuses_malformed_tokens() {
        let good_header = b64(r#"{"alg":"RS256"}"#);
        let good_payload = b64("{}");
        let cases = [
            String::new(),
            "a".into(),
            "a.b".into(),
            "a.b.c.d".into(),
            format!("{good_header}..sig"),
            format!(".{good_payload}.c2ln"),
            format!("{good_header}.{good_payload}=.c2ln"),
            format!("{good_header}.{good_payload}.c2ln="),
            format!("{good_header}.not base64.c2ln"),
            format!("{good_header}.{good_payload}.+/+/"),
            token("not json", "{}"),
            token("[]", "{}"),
            token(r#"{"kid":"k"}"#, "{}"),
            token(r#"{"alg":5}"#, "{}"),
            token(r#"{"alg":"RS256","alg":"none"}"#, "{}"),
            token(r#"{"alg":"RS256","crit":["b64"]}"#, "{}"),
            token(r#"{"alg":"RS256","typ":"JOSE"}"#, "{}"),
            token(r#"{"alg":"RS256","typ":"at+jwt+x"}"#, "{}"),
            "é.é.é".into(),
            "a".repeat(MAX_TOKEN_LEN + 1),
        ];
        for t in &cases {
            let e = parse(t).err().unwrap_or_else(|| panic!("accepted {t:?}"));
            assert_eq!(e.reason(), Reason::Malformed, "{t:?}");
        }
    }

    fn claims(json: &str) -> Payload {
        Payload::decode(json.as_bytes()).unwrap()
    }

    #[test]
    fn times_with_skew() {
        let c = claims(r#"{"sub":"u","exp":100,"nbf":50,"iat":50}"#);
        let at = |now_s: i128, skew_ms: i128| {
            ClaimChecks {
                now_ms: now_s * 1000,
                skew_ms,
                authorized_parties: &[],
                issuer: None,
                audience: &[],
            }
            .check(&c)
            .map_err(|e| e.reason())
        };
        assert_eq!(at(99, 0), Ok(()));
        assert_eq!(at(100, 0), Err(Reason::Expired));
        assert_eq!(at(104, 5000), Ok(()));
        assert_eq!(at(105, 5000), Err(Reason::Expired));
        assert_eq!(at(50, 0), Ok(()));
        assert_eq!(at(49, 0), Err(Reason::NotYetValid));
        assert_eq!(at(45, 5000), Ok(()));
        assert_eq!(at(44, 5000), Err(Reason::NotYetValid));
        // Extreme values do not overflow.
        let far = claims(r#"{"sub":"u","exp":9223372036854775807,"nbf":-9223372036854775808}"#);
        let checks = ClaimChecks {
            now_ms: 0,
            skew_ms: i128::from(u64::MAX),
            authorized_parties: &[],
            issuer: None,
            audience: &[],
        };
        assert!(checks.check(&far).is_ok());
    }

    #[test]
    fn parties_and_issuer() {
        let parties = [
            "https://a.example".to_owned(),
            "https://b.example".to_owned(),
        ];
        let check = |json: &str, issuer: Option<&str>| {
            ClaimChecks {
                now_ms: 0,
                skew_ms: 0,
                authorized_parties: &parties,
                issuer,
                audience: &[],
            }
            .check(&claims(json))
            .map_err(|e| e.reason())
        };
        assert_eq!(
            check(r#"{"sub":"u","exp":9,"azp":"https://b.example"}"#, None),
            Ok(())
        );
        assert_eq!(
            check(r#"{"sub":"u","exp":9,"azp":"https://c.example"}"#, None),
            Err(Reason::WrongParty)
        );
        assert_eq!(
            check(r#"{"sub":"u","exp":9}"#, None),
            Err(Reason::WrongParty)
        );
        assert_eq!(
            check(
                r#"{"sub":"u","exp":9,"azp":"https://a.example","iss":"https://x"}"#,
                Some("https://x")
            ),
            Ok(())
        );
        assert_eq!(
            check(
                r#"{"sub":"u","exp":9,"azp":"https://a.example","iss":"https://y"}"#,
                Some("https://x")
            ),
            Err(Reason::WrongIssuer)
        );
        assert_eq!(
            check(
                r#"{"sub":"u","exp":9,"azp":"https://a.example"}"#,
                Some("https://x")
            ),
            Err(Reason::WrongIssuer)
        );
    }

    #[test]
    fn audience() {
        let check = |json: &str, audience: &[String]| {
            ClaimChecks {
                now_ms: 0,
                skew_ms: 0,
                authorized_parties: &[],
                issuer: None,
                audience,
            }
            .check(&claims(json))
            .map_err(|e| e.reason())
        };
        let api = ["https://api.example.com".to_owned(), "mch_b".to_owned()];
        assert_eq!(check(r#"{"sub":"u","exp":9}"#, &[]), Ok(()));
        assert_eq!(
            check(
                r#"{"sub":"u","exp":9,"aud":"https://api.example.com"}"#,
                &api
            ),
            Ok(())
        );
        assert_eq!(
            check(r#"{"sub":"u","exp":9,"aud":["mch_a","mch_b"]}"#, &api),
            Ok(())
        );
        for refused in [
            r#"{"sub":"u","exp":9}"#,
            r#"{"sub":"u","exp":9,"aud":"https://other.example.com"}"#,
            r#"{"sub":"u","exp":9,"aud":["mch_a"]}"#,
            r#"{"sub":"u","exp":9,"aud":[]}"#,
            r#"{"sub":"u","exp":9,"aud":5}"#,
            r#"{"sub":"u","exp":9,"aud":[["mch_b"]]}"#,
        ] {
            assert_eq!(
                check(refused, &api),
                Err(Reason::WrongAudience),
                "{refused}"
            );
        }
    }

    #[test]
    fn kinds() {
        let kind = |header: &str, payload: &str| parse(&token(header, payload)).unwrap().kind();
        let session = r#"{"sub":"user_1","sid":"sess_1"}"#;
        let template = r#"{"sub":"user_1"}"#;
        let machine = r#"{"sub":"mch_1"}"#;
        let h = |extra: &str| format!(r#"{{"alg":"RS256"{extra}}}"#);
        let cat = |c: &str| h(&format!(r#","cat":"{c}""#));
        // Without a category (older instances), `sid` and `sub` tell.
        assert_eq!(kind(&h(""), session), Kind::Session);
        assert_eq!(kind(&h(""), template), Kind::Template);
        assert_eq!(kind(&h(""), machine), Kind::M2m);
        assert_eq!(kind(&h(""), "[]"), Kind::Template);
        // The ignore category says nothing.
        assert_eq!(kind(&cat(CATEGORY_IGNORE), session), Kind::Session);
        assert_eq!(kind(&cat(CATEGORY_IGNORE), template), Kind::Template);
        assert_eq!(kind(&cat(CATEGORY_IGNORE), machine), Kind::M2m);
        // A category wins over `sid`.
        assert_eq!(kind(&cat(CATEGORY_SESSION), session), Kind::Session);
        assert_eq!(kind(&cat(CATEGORY_TEMPLATE), session), Kind::Template);
        assert_eq!(kind(&cat(CATEGORY_M2M), session), Kind::M2m);
        assert_eq!(kind(&cat("cl_B7d4PD999AAA"), session), Kind::Unknown);
        assert_eq!(kind(&cat(""), session), Kind::Unknown);
        // A machine subject is never a session, whatever the category says.
        assert_eq!(kind(&cat(CATEGORY_SESSION), machine), Kind::M2m);
        // `at+jwt` is an OAuth access token, whatever else it carries.
        for typ in ["at+jwt", "AT+JWT", "application/at+jwt"] {
            let header = h(&format!(r#","typ":"{typ}""#));
            assert_eq!(kind(&header, session), Kind::Oauth, "{typ}");
            assert_eq!(kind(&header, machine), Kind::Oauth, "{typ}");
        }
    }

    #[test]
    fn categories_a_machine_kind_allows() {
        let header = |cat: Option<&str>| Header {
            alg: "RS256".into(),
            kid: None,
            typ: None,
            cat: cat.map(str::to_owned),
            crit: None,
        };
        let allows = |cat, kind| Kind::category_allows(&header(cat), kind);
        assert!(allows(None, Kind::M2m));
        assert!(allows(Some(CATEGORY_IGNORE), Kind::M2m));
        assert!(allows(Some(CATEGORY_M2M), Kind::M2m));
        assert!(!allows(Some(CATEGORY_SESSION), Kind::M2m));
        assert!(!allows(Some(CATEGORY_TEMPLATE), Kind::M2m));
        assert!(!allows(Some("cl_other"), Kind::M2m));
        assert!(allows(None, Kind::Oauth));
        assert!(allows(Some("cl_other"), Kind::Oauth));
        for cat in [CATEGORY_SESSION, CATEGORY_TEMPLATE, CATEGORY_M2M] {
            assert!(!allows(Some(cat), Kind::Oauth), "{cat}");
        }
    }
}

//! Splitting and decoding a compact JWS, and the checks on its claims. No key material and no
//! network here; `session.rs` puts it together with a key.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde::Deserialize;

use super::claims::SessionClaims;
use super::error::{Reason, TokenError};

/// The longest token accepted. A session token fits in a cookie (4 KiB); session token
/// templates can make it bigger, but not this big.
pub(crate) const MAX_TOKEN_LEN: usize = 64 * 1024;

/// The JOSE header fields we read. A repeated field is an error (no parser differentials).
#[derive(Debug, Deserialize)]
pub(crate) struct Header {
    pub(crate) alg: String,
    #[serde(default)]
    pub(crate) kid: Option<String>,
    #[serde(default)]
    typ: Option<String>,
    #[serde(default)]
    crit: Option<serde_json::Value>,
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
/// is a JSON object with a string `alg`, `typ` absent or `JWT`, no `crit`.
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
    if header
        .typ
        .as_deref()
        .is_some_and(|t| !t.eq_ignore_ascii_case("JWT"))
    {
        return Err(malformed("the token's `typ` is not JWT"));
    }
    let signing_input = &token[..h.len() + 1 + p.len()];
    Ok(Parsed {
        header,
        signing_input,
        payload,
        signature,
    })
}

/// The time checks and the party and issuer checks, in milliseconds so that a skew below a
/// second counts.
pub(crate) struct ClaimChecks<'a> {
    pub(crate) now_ms: i128,
    pub(crate) skew_ms: i128,
    pub(crate) authorized_parties: &'a [String],
    pub(crate) issuer: Option<&'a str>,
}

impl ClaimChecks<'_> {
    /// Checks the claims: party, expiry, not-before, issued-at, then issuer; the first
    /// failure is the reason.
    pub(crate) fn check(&self, claims: &SessionClaims) -> Result<(), TokenError> {
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
            token(r#"{"alg":"RS256","typ":"at+jwt"}"#, "{}"),
            "é.é.é".into(),
            "a".repeat(MAX_TOKEN_LEN + 1),
        ];
        for t in &cases {
            let e = parse(t).err().unwrap_or_else(|| panic!("accepted {t:?}"));
            assert_eq!(e.reason(), Reason::Malformed, "{t:?}");
        }
    }

    fn claims(json: &str) -> SessionClaims {
        SessionClaims::from_payload(json.as_bytes()).unwrap()
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
}

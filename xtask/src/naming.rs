//! Names: spec names to Rust identifiers.

/// Splits an identifier into words: at `_`, `-`, `.`, spaces, at lower-to-upper changes, and
/// before the last capital of an acronym run (`JWKSToken` -> `JWKS`, `Token`). Digits stay
/// with the word they follow (`M2MToken` -> `M2M`, `Token`).
pub fn words(s: &str) -> Vec<String> {
    let chars: Vec<char> = s.chars().collect();
    let mut out = Vec::new();
    let mut cur = String::new();
    for (i, &c) in chars.iter().enumerate() {
        if !c.is_ascii_alphanumeric() {
            if !cur.is_empty() {
                out.push(std::mem::take(&mut cur));
            }
            continue;
        }
        if c.is_ascii_uppercase() && !cur.is_empty() {
            let prev = chars[i - 1];
            let next_lower = chars.get(i + 1).is_some_and(|n| n.is_ascii_lowercase());
            let prev_upperish = prev.is_ascii_uppercase() || prev.is_ascii_digit();
            let acronym_end = prev_upperish && next_lower && cur.len() > 1;
            let after_lower_digits =
                prev.is_ascii_digit() && !cur.chars().any(|c| c.is_ascii_uppercase());
            if prev.is_ascii_lowercase() || acronym_end || after_lower_digits {
                out.push(std::mem::take(&mut cur));
            }
        }
        cur.push(c);
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

/// `UpperCamelCase`, acronyms as one word (`GetJWKS` -> `GetJwks`, `SAMLAccount` -> `SamlAccount`).
pub fn camel(s: &str) -> String {
    let mut out = String::new();
    for w in words(s) {
        let lower = w.to_ascii_lowercase();
        let mut cs = lower.chars();
        if let Some(f) = cs.next() {
            out.push(f.to_ascii_uppercase());
            out.extend(cs);
        }
    }
    if out.starts_with(|c: char| c.is_ascii_digit()) {
        out.insert(0, 'N');
    }
    out
}

/// `snake_case` (`apiKeyID` -> `api_key_id`).
pub fn snake(s: &str) -> String {
    let w: Vec<String> = words(s).iter().map(|w| w.to_ascii_lowercase()).collect();
    w.join("_")
}

/// A field or argument name: snake case, and a real word instead of a Rust keyword.
pub fn field(s: &str) -> String {
    let n = snake(s);
    match n.as_str() {
        "type" => "kind".into(),
        "use" => "usage".into(),
        "self" | "super" | "crate" | "mod" | "fn" | "struct" | "enum" | "impl" | "trait"
        | "match" | "ref" | "move" | "loop" | "where" | "static" | "const" | "async" | "await"
        | "dyn" | "box" | "in" | "as" | "for" | "if" | "else" | "let" | "mut" | "pub"
        | "return" | "true" | "false" | "while" | "break" | "continue" | "extern" | "unsafe"
        | "yield" | "macro" | "override" | "priv" | "final" | "virtual" | "abstract" | "become"
        | "do" | "try" | "typeof" | "unsized" | "gen" => {
            format!("{n}_value")
        }
        _ if n.is_empty() => "value".into(),
        _ if n.starts_with(|c: char| c.is_ascii_digit()) => format!("n{n}"),
        _ => n,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names() {
        assert_eq!(camel("GetJWKS"), "GetJwks");
        assert_eq!(camel("verifyM2MToken"), "VerifyM2mToken");
        assert_eq!(camel("SAMLAccount"), "SamlAccount");
        assert_eq!(camel("verification_otp"), "VerificationOtp");
        assert_eq!(camel("OAuthApplication"), "OauthApplication");
        assert_eq!(camel("CommercePlan-2"), "CommercePlan2");
        assert_eq!(camel("User.List"), "UserList");
        assert_eq!(snake("apiKeyID"), "api_key_id");
        assert_eq!(
            snake("adminPortalLinkTokenID"),
            "admin_portal_link_token_id"
        );
        assert_eq!(snake("GetJWKS"), "get_jwks");
        assert_eq!(snake("SCIMDirectory"), "scim_directory");
        assert_eq!(field("type"), "kind");
        assert_eq!(field("use"), "usage");
    }
}

//! Building a request's URL: the query pairs an operation adds, the bounds checked before
//! anything is sent, and percent-encoding, so that a value is always one path segment or one
//! query value.

use std::fmt::Write as _;

use crate::error::{InvalidRequest, Result};

/// Query pairs in the order the operation adds them. Values are encoded when the URL is built.
#[derive(Debug, Clone, Default)]
pub(crate) struct Query(Vec<(&'static str, String)>);

impl Query {
    pub(crate) fn new() -> Self {
        Query(Vec::new())
    }

    /// Adds `key=value` when the value is set.
    pub(crate) fn opt(&mut self, key: &'static str, value: Option<impl ToString>) {
        if let Some(v) = value {
            self.0.push((key, v.to_string()));
        }
    }

    /// Adds `key=v` once per value (form style, explode: the key repeats).
    pub(crate) fn each(&mut self, key: &'static str, values: &[String]) {
        for v in values {
            self.0.push((key, v.clone()));
        }
    }

    /// Adds `key=a,b,c` when there are values (form style, `explode: false`).
    pub(crate) fn joined(&mut self, key: &'static str, values: &[String]) {
        if !values.is_empty() {
            self.0.push((key, values.join(",")));
        }
    }
}

/// Checks a numeric parameter against the bounds the spec states, before anything is sent.
pub(crate) fn check_range(
    name: &str,
    value: Option<i64>,
    min: Option<i64>,
    max: Option<i64>,
) -> Result<()> {
    let Some(v) = value else { return Ok(()) };
    if min.is_some_and(|m| v < m) || max.is_some_and(|m| v > m) {
        let range = match (min, max) {
            (Some(a), Some(b)) => format!("within {a}..={b}"),
            (Some(a), None) => format!("at least {a}"),
            (None, Some(b)) => format!("at most {b}"),
            (None, None) => String::new(),
        };
        return Err(InvalidRequest::new(format!("`{name}` must be {range}, not {v}")).into());
    }
    Ok(())
}

/// Builds the URL: base, the template with each parameter encoded as one segment, the query.
pub(crate) fn build_url(
    base: &str,
    template: &str,
    path_params: &[&str],
    query: &Query,
) -> Result<String, InvalidRequest> {
    let mut url = String::with_capacity(base.len() + template.len() + 64);
    url.push_str(base);
    let mut params = path_params.iter();
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        url.push_str(&rest[..open]);
        let close = rest[open..].find('}').map_or(rest.len(), |c| open + c);
        let name = &rest[open + 1..close];
        let value = params
            .next()
            .ok_or_else(|| InvalidRequest::new(format!("missing path parameter `{name}`")))?;
        if value.is_empty() || *value == "." || *value == ".." {
            return Err(InvalidRequest::new(format!(
                "path parameter `{name}` must not be empty, `.` or `..`"
            )));
        }
        encode_into(&mut url, value);
        rest = rest.get(close + 1..).unwrap_or("");
    }
    url.push_str(rest);
    let mut sep = '?';
    for (k, v) in &query.0 {
        url.push(sep);
        sep = '&';
        encode_into(&mut url, k);
        url.push('=');
        encode_into(&mut url, v);
    }
    Ok(url)
}

/// Percent-encodes everything but RFC 3986 unreserved characters, so a value is always one
/// path segment or one query value: `/`, `?`, `#`, `%`, `+`, `&`, `=` and spaces are encoded.
pub(crate) fn encode_into(out: &mut String, value: &str) {
    for b in value.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(b as char);
        } else {
            let _ = write!(out, "%{b:02X}");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn path_parameters_are_one_segment() {
        let url =
            |id: &str| build_url("https://x/v1", "/users/{user_id}/ban", &[id], &Query::new());
        assert_eq!(url("user_1").unwrap(), "https://x/v1/users/user_1/ban");
        assert_eq!(
            url("../instance").unwrap(),
            "https://x/v1/users/..%2Finstance/ban"
        );
        assert_eq!(
            url("a/b?c#d").unwrap(),
            "https://x/v1/users/a%2Fb%3Fc%23d/ban"
        );
        assert_eq!(url("100%").unwrap(), "https://x/v1/users/100%25/ban");
        assert_eq!(url("é x").unwrap(), "https://x/v1/users/%C3%A9%20x/ban");
        assert!(url("").is_err());
        assert!(url("..").is_err());
        assert!(url(".").is_err());
    }

    #[test]
    fn query_repeats_arrays_and_encodes_plus() {
        let mut q = Query::new();
        q.each("user_id", &["a".into(), "b".into()]);
        q.opt("order_by", Some("+created_at"));
        q.opt("banned", Some(true));
        q.opt("limit", Some(20));
        q.opt("query", None::<String>);
        let url = build_url("https://x/v1", "/users", &[], &q).unwrap();
        assert_eq!(
            url,
            "https://x/v1/users?user_id=a&user_id=b&order_by=%2Bcreated_at&banned=true&limit=20"
        );
    }

    // Properties of the encoding.
    use proptest::prelude::*;

    /// Strict percent-decoding (`%XX` only; `+` is a plus), as a server decodes a path segment.
    fn percent_decode(s: &str) -> Vec<u8> {
        let b = s.as_bytes();
        let mut out = Vec::with_capacity(b.len());
        let mut i = 0;
        while i < b.len() {
            if b[i] == b'%' {
                let hex = std::str::from_utf8(&b[i + 1..i + 3]).expect("two ASCII hex digits");
                out.push(u8::from_str_radix(hex, 16).expect("hex escape"));
                i += 3;
            } else {
                out.push(b[i]);
                i += 1;
            }
        }
        out
    }

    /// Characters chosen to hit every class the encoder distinguishes: unreserved, reserved
    /// delimiters, `%`, controls (CR, LF, NUL), spaces, non-ASCII of every UTF-8 length.
    fn tricky_char() -> impl Strategy<Value = char> {
        prop_oneof![
            prop::sample::select(vec![
                '/', '?', '#', '%', '&', '=', '+', ';', ':', '@', '.', '-', '_', '~', ' ', '\r',
                '\n', '\0', '\t', '\\', '"', '\'', '<', '>', '[', ']', '{', '}', '|', '^', '`',
            ]),
            prop::char::range('a', 'z'),
            prop::char::range('0', '9'),
            any::<char>(),
        ]
    }

    fn tricky_string(max: usize) -> impl Strategy<Value = String> {
        prop::collection::vec(tricky_char(), 0..max).prop_map(|cs| cs.into_iter().collect())
    }

    const BASE: &str = "https://api.clerk.com/v1";

    proptest! {
        // No regression files written into the source tree: a failure prints its minimal input.
        #![proptest_config(ProptestConfig {
            cases: 2_000,
            failure_persistence: None,
            ..ProptestConfig::default()
        })]

        /// Each path parameter is exactly one segment, and decoding it gives the input back;
        /// `""`, `.` and `..` are refused instead.
        #[test]
        fn a_path_parameter_is_one_segment_that_decodes_to_itself(
            a in tricky_string(24),
            b in tricky_string(24),
        ) {
            let result = build_url_for(&[&a, &b], Query::new());
            let refused = |s: &str| s.is_empty() || s == "." || s == "..";
            if refused(&a) || refused(&b) {
                prop_assert!(result.is_err());
                return Ok(());
            }
            let url = result.expect("accepted");
            let path = url.strip_prefix(BASE).expect("base kept");
            prop_assert!(!path.contains(['?', '#']), "{}", path);
            let segments: Vec<&str> = path.split('/').collect();
            prop_assert_eq!(segments.len(), 5, "{}", path);
            prop_assert_eq!(segments[1], "users");
            prop_assert_eq!(segments[3], "organizations");
            prop_assert_eq!(percent_decode(segments[2]), a.as_bytes());
            prop_assert_eq!(percent_decode(segments[4]), b.as_bytes());
            // Only unreserved characters and escapes: no byte a server could read as structure.
            for s in [segments[2], segments[4]] {
                prop_assert!(s.bytes().all(|c| c.is_ascii_alphanumeric() || b"-._~%".contains(&c)), "{}", s);
            }
        }

        /// Query values (and repeated keys) decode to exactly the pairs that were added, in order.
        #[test]
        fn query_pairs_decode_to_what_was_added(
            values in prop::collection::vec(tricky_string(16), 0..6),
            single in proptest::option::of(tricky_string(16)),
        ) {
            let mut q = Query::new();
            q.each("email_address", &values);
            q.opt("query", single.clone());
            let url = build_url_for(&["u", "o"], q).expect("valid ids");
            let mut expected: Vec<(String, String)> =
                values.iter().map(|v| ("email_address".to_owned(), v.clone())).collect();
            expected.extend(single.map(|v| ("query".to_owned(), v)));
            let query = url.split_once('?').map(|(_, q)| q);
            prop_assert_eq!(query.is_some(), !expected.is_empty());
            prop_assert!(!url.contains('#'));
            let decoded: Vec<(String, String)> = query
                .unwrap_or("")
                .split('&')
                .filter(|p| !p.is_empty())
                .map(|p| {
                    let (k, v) = p.split_once('=').expect("key=value");
                    (
                        String::from_utf8(percent_decode(k)).expect("UTF-8"),
                        String::from_utf8(percent_decode(v)).expect("UTF-8"),
                    )
                })
                .collect();
            prop_assert_eq!(decoded, expected);
        }
    }

    fn build_url_for(params: &[&str], query: Query) -> std::result::Result<String, InvalidRequest> {
        build_url(
            BASE,
            "/users/{user_id}/organizations/{organization_id}",
            params,
            &query,
        )
    }
}

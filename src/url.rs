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
}

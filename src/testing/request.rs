//! [`RecordedRequest`]: one request as the [`MockServer`](super::MockServer) received it, with its query parsing.

use std::fmt;

impl fmt::Debug for RecordedRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let headers: Vec<(&str, &str)> = self
            .headers
            .iter()
            .map(|(k, v)| {
                let shown = if k == "authorization" {
                    "<redacted>"
                } else {
                    v.as_str()
                };
                (k.as_str(), shown)
            })
            .collect();
        f.debug_struct("RecordedRequest")
            .field("method", &self.method)
            .field("path", &self.path)
            .field("query", &self.query)
            .field("headers", &headers)
            .field("body_len", &self.body.len())
            .finish()
    }
}

/// One request as the [`MockServer`](super::MockServer) received it (see [`MockServer::requests`](super::MockServer::requests)).
///
/// Its `Debug` masks the `authorization` header (a failing assertion must not print a real
/// key); [`header`](RecordedRequest::header) and the `headers` field keep the real value.
#[derive(Clone, PartialEq, Eq)]
pub struct RecordedRequest {
    /// The request method, as sent (`"GET"`, `"POST"`, ...).
    pub method: String,
    /// The request path, raw: still percent-encoded, without the query string.
    pub path: String,
    /// The raw query string, without the leading `?`; `None` when the target had no `?`.
    pub query: Option<String>,
    /// The request headers in the order received, names lowercased, values trimmed.
    pub headers: Vec<(String, String)>,
    /// The request body; de-chunked when the request used `Transfer-Encoding: chunked`.
    pub body: Vec<u8>,
}

impl RecordedRequest {
    /// The value of the first header called `name` (compared case-insensitively).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// The query string split into `(key, value)` pairs, percent-decoded with `+`
    /// as a space, in order, repeated keys kept. A key without `=` gets an empty value.
    pub fn query_pairs(&self) -> Vec<(String, String)> {
        self.query.as_deref().map(parse_query).unwrap_or_default()
    }

    /// The body as UTF-8 text.
    ///
    /// # Panics
    ///
    /// If the body is not valid UTF-8 (this is a test helper).
    pub fn body_str(&self) -> &str {
        match std::str::from_utf8(&self.body) {
            Ok(text) => text,
            Err(e) => panic!(
                "RecordedRequest::body_str: body of {} {} is not UTF-8 ({e}); {} bytes",
                self.method,
                self.path,
                self.body.len()
            ),
        }
    }

    /// The body parsed as JSON.
    ///
    /// # Panics
    ///
    /// If the body is not valid JSON (this is a test helper); the message shows the body.
    pub fn body_json(&self) -> serde_json::Value {
        match serde_json::from_slice(&self.body) {
            Ok(value) => value,
            Err(e) => panic!(
                "RecordedRequest::body_json: body of {} {} is not JSON ({e}): {:?}",
                self.method,
                self.path,
                String::from_utf8_lossy(&self.body)
            ),
        }
    }
}

fn parse_query(query: &str) -> Vec<(String, String)> {
    query
        .split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| match pair.split_once('=') {
            Some((k, v)) => (percent_decode(k), percent_decode(v)),
            None => (percent_decode(pair), String::new()),
        })
        .collect()
}

pub(super) fn hex_value(b: u8) -> Option<u8> {
    match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'a'..=b'f' => Some(b - b'a' + 10),
        b'A'..=b'F' => Some(b - b'A' + 10),
        _ => None,
    }
}

/// Form-style decoding: `+` is a space, `%XX` a byte; invalid escapes are kept
/// as they are and invalid UTF-8 is replaced.
fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => {
                out.push(b' ');
                i += 1;
            }
            b'%' if i + 2 < bytes.len() => {
                match (hex_value(bytes[i + 1]), hex_value(bytes[i + 2])) {
                    (Some(hi), Some(lo)) => {
                        out.push(hi * 16 + lo);
                        i += 3;
                    }
                    _ => {
                        out.push(b'%');
                        i += 1;
                    }
                }
            }
            b => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

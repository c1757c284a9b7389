//! Redaction of everything a response can put into an error or a log event.
//!
//! A server (or a proxy in front of it) may echo the request back: the `Authorization` header
//! in an HTML page, in a Clerk-shaped JSON error (`errors[].message`, `long_message`, `meta`,
//! `code`, `clerk_trace_id`), in the `x-clerk-trace-id` header or in a redirect's `Location`.
//! Every text taken from a response passes through a [`Redactor`] before it reaches an
//! [`Error`](crate::Error) or a [`LogEvent`](crate::log::LogEvent). It removes:
//!
//! - the client's secret key, anywhere in the text, bare or percent-encoded (any letter case);
//! - the secrets this request carried: the values of JSON body fields whose name says they
//!   are secret ([`is_secret_field`]: `token`, `secret`, `password`, `code`, ...), and the
//!   path parameters whose name contains `token`;
//! - any word shaped like a credential, whoever sent it: one containing `sk_` (a secret
//!   key), `eyJ` (a JWT, such as a session token), the word after `Bearer`; each checked
//!   both as written and percent-decoded.
//!
//! Each is replaced by `[redacted]`; the rest of the text is kept.

use std::borrow::Cow;
use std::cell::OnceCell;

/// What replaces a secret.
pub(crate) const REDACTED: &str = "[redacted]";

/// Secrets shorter than this are not searched for as substrings (a one-letter `code` would
/// blank every message); the credential shapes still apply to them.
const MIN_SECRET: usize = 4;

/// Whether a JSON body field with this name holds a secret the server must not echo back.
pub(crate) fn is_secret_field(name: &str) -> bool {
    let name = name.to_ascii_lowercase();
    ["token", "secret", "password", "code", "ticket", "digest"]
        .iter()
        .any(|s| name.contains(s))
}

/// The redaction of one request's responses. The request's own secrets are collected only
/// when first needed (an error, or a trace id), so a successful call pays nothing.
pub(crate) struct Redactor<'a> {
    key: &'a str,
    path_template: &'a str,
    path_params: &'a [&'a str],
    json_body: Option<&'a [u8]>,
    secrets: OnceCell<Vec<String>>,
}

impl<'a> Redactor<'a> {
    pub(crate) fn new(
        key: &'a str,
        path_template: &'a str,
        path_params: &'a [&'a str],
        json_body: Option<&'a [u8]>,
    ) -> Self {
        Redactor {
            key,
            path_template,
            path_params,
            json_body,
            secrets: OnceCell::new(),
        }
    }

    /// Every exact string to remove, longest first (so a longer secret is never cut by a
    /// shorter one it contains), each also percent-encoded.
    fn secrets(&self) -> &[String] {
        self.secrets.get_or_init(|| {
            let mut raw: Vec<String> = vec![self.key.to_owned()];
            let names = placeholders(self.path_template);
            for (name, value) in names.zip(self.path_params) {
                if name.to_ascii_lowercase().contains("token") {
                    raw.push((*value).to_owned());
                }
            }
            if let Some(body) = self.json_body {
                if let Ok(value) = serde_json::from_slice::<serde_json::Value>(body) {
                    collect_secret_fields(&value, false, &mut raw);
                }
            }
            let mut all = Vec::with_capacity(raw.len() * 2);
            for s in raw {
                if s.len() < MIN_SECRET {
                    continue;
                }
                let encoded = percent_encode_all(&s);
                let mut form = String::new();
                crate::url::encode_into(&mut form, &s);
                all.push(s);
                all.push(encoded);
                all.push(form);
            }
            all.sort_by(|a, b| b.len().cmp(&a.len()).then_with(|| a.cmp(b)));
            all.dedup();
            all
        })
    }

    /// The text with every secret replaced by `[redacted]`.
    pub(crate) fn text<'t>(&self, text: &'t str) -> Cow<'t, str> {
        let mut out = Cow::Borrowed(text);
        for secret in self.secrets() {
            if let Some(replaced) = replace_ignore_case(&out, secret) {
                out = Cow::Owned(replaced);
            }
        }
        match redact_words(&out) {
            Some(words) => Cow::Owned(words),
            None => out,
        }
    }

    /// Like [`text`](Self::text), for an owned string.
    pub(crate) fn string(&self, text: String) -> String {
        match self.text(&text) {
            Cow::Borrowed(_) => text,
            Cow::Owned(o) => o,
        }
    }

    /// Every string (and object key) of a JSON value, redacted.
    pub(crate) fn json(&self, value: serde_json::Value) -> serde_json::Value {
        use serde_json::Value;
        match value {
            Value::String(s) => Value::String(self.string(s)),
            Value::Array(items) => Value::Array(items.into_iter().map(|v| self.json(v)).collect()),
            Value::Object(map) => Value::Object(
                map.into_iter()
                    .map(|(k, v)| (self.string(k), self.json(v)))
                    .collect(),
            ),
            other => other,
        }
    }
}

/// The `{name}` placeholders of a path template, in order.
fn placeholders(template: &str) -> impl Iterator<Item = &str> {
    template
        .split('{')
        .skip(1)
        .filter_map(|s| s.split_once('}'))
        .map(|(name, _)| name)
}

/// The string values under secret-named fields, at any depth (arrays of them included).
fn collect_secret_fields(value: &serde_json::Value, secret: bool, out: &mut Vec<String>) {
    use serde_json::Value;
    match value {
        Value::String(s) if secret => out.push(s.clone()),
        Value::Array(items) => {
            for v in items {
                collect_secret_fields(v, secret, out);
            }
        }
        Value::Object(map) => {
            for (k, v) in map {
                collect_secret_fields(v, secret || is_secret_field(k), out);
            }
        }
        _ => {}
    }
}

/// `%XX` for every byte.
fn percent_encode_all(s: &str) -> String {
    use std::fmt::Write as _;
    let mut out = String::with_capacity(s.len() * 3);
    for b in s.bytes() {
        let _ = write!(out, "%{b:02X}");
    }
    out
}

/// `text` with every ASCII-case-insensitive occurrence of `needle` replaced, or `None` when
/// there is none.
fn replace_ignore_case(text: &str, needle: &str) -> Option<String> {
    let lower = text.to_ascii_lowercase();
    let needle = needle.to_ascii_lowercase();
    let first = lower.find(&needle)?;
    let mut out = String::with_capacity(text.len());
    let mut from = 0;
    let mut at = Some(first);
    while let Some(i) = at {
        out.push_str(&text[from..i]);
        out.push_str(REDACTED);
        from = i + needle.len();
        at = lower[from..].find(&needle).map(|j| from + j);
    }
    out.push_str(&text[from..]);
    Some(out)
}

/// Decodes `%XX` escapes (and `+` as a space); invalid escapes stay as they are.
fn percent_decode(word: &str) -> Cow<'_, str> {
    if !word.contains('%') && !word.contains('+') {
        return Cow::Borrowed(word);
    }
    let bytes = word.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        match bytes[i] {
            b'%' if i + 2 < bytes.len() => match (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                (Some(h), Some(l)) => {
                    out.push((h * 16 + l) as u8);
                    i += 3;
                }
                _ => {
                    out.push(b'%');
                    i += 1;
                }
            },
            b'+' => {
                out.push(b' ');
                i += 1;
            }
            b => {
                out.push(b);
                i += 1;
            }
        }
    }
    Cow::Owned(String::from_utf8_lossy(&out).into_owned())
}

/// Whether a word (already percent-decoded) is shaped like a credential.
fn looks_secret(word: &str) -> bool {
    word.contains("sk_") || word.contains("eyJ")
}

/// Replaces credential-shaped words, keeping the separators; `None` when nothing changed.
fn redact_words(text: &str) -> Option<String> {
    let mut out = String::new();
    let mut changed = false;
    let mut redact_next = false;
    let mut rest = text;
    while !rest.is_empty() {
        let sep_len = rest
            .char_indices()
            .find(|(_, c)| !is_separator(*c))
            .map_or(rest.len(), |(i, _)| i);
        out.push_str(&rest[..sep_len]);
        rest = &rest[sep_len..];
        if rest.is_empty() {
            break;
        }
        let word_len = rest
            .char_indices()
            .find(|(_, c)| is_separator(*c))
            .map_or(rest.len(), |(i, _)| i);
        let word = &rest[..word_len];
        rest = &rest[word_len..];
        let decoded = percent_decode(word);
        // `Bearer%20sk_…` decodes to two words.
        let bearer_inside = decoded
            .split_whitespace()
            .any(|w| w.eq_ignore_ascii_case("bearer"))
            && decoded.split_whitespace().count() > 1;
        if redact_next || bearer_inside || looks_secret(&decoded) {
            out.push_str(REDACTED);
            changed = true;
        } else {
            out.push_str(word);
        }
        redact_next = trim_punctuation(&decoded).eq_ignore_ascii_case("bearer")
            || decoded.to_ascii_lowercase().ends_with("bearer");
    }
    changed.then_some(out)
}

fn is_separator(c: char) -> bool {
    c.is_whitespace() || c.is_control()
}

fn trim_punctuation(word: &str) -> &str {
    word.trim_matches(|c: char| !c.is_ascii_alphanumeric())
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEY: &str = "sk_test_UNITSECRET42";

    fn r<'a>(body: Option<&'a [u8]>) -> Redactor<'a> {
        Redactor::new(
            KEY,
            "/m2m_tokens/{m2m_token_id}/revoke",
            &["mt_PATHTOKEN"],
            body,
        )
    }

    #[test]
    fn the_key_goes_in_every_form() {
        let red = r(None);
        for text in [
            KEY.to_owned(),
            format!("Bearer {KEY}"),
            format!("auth=Bearer%20{KEY}"),
            percent_encode_all(KEY),
            percent_encode_all(&format!("Bearer {KEY}")),
            KEY.to_ascii_uppercase(),
            format!("x{KEY}y"),
            format!("\"{KEY}\""),
        ] {
            let out = red.text(&text);
            assert!(
                !out.to_ascii_lowercase().contains("unitsecret42"),
                "{text} -> {out}"
            );
            assert!(out.contains(REDACTED), "{text} -> {out}");
        }
        assert_eq!(red.text("no secret here"), "no secret here");
        assert!(matches!(red.text("plain"), Cow::Borrowed(_)));
        assert_eq!(
            red.text("is taken,  really\n(Bearer x)"),
            "is taken,  really\n(Bearer [redacted]"
        );
    }

    #[test]
    fn tokens_the_request_carried_go_and_other_values_stay() {
        let body = br#"{"token":"opaqueTOKEN77","first_name":"Ada","nested":{"password":"hunter2"},
            "backup_codes":["c0de1234"],"code":"1"}"#;
        let red = r(Some(body));
        let out = red.text("got opaqueTOKEN77 and hunter2 for Ada; mt_PATHTOKEN; c0de1234; 1");
        assert_eq!(
            out,
            "got [redacted] and [redacted] for Ada; [redacted]; [redacted]; 1"
        );
        let jwt = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.sig";
        assert_eq!(
            red.text(&format!("cookie __session={jwt}")),
            "cookie [redacted]"
        );
        let json = serde_json::json!({"a": [KEY, {"b": "ok"}], KEY: 1});
        let out = red.json(json).to_string();
        assert!(!out.contains("UNITSECRET"), "{out}");
        assert!(out.contains("\"ok\""), "{out}");
    }

    #[test]
    fn placeholders_are_read_in_order() {
        let names: Vec<&str> = placeholders("/a/{x}/b/{y_token}").collect();
        assert_eq!(names, ["x", "y_token"]);
        assert!(is_secret_field("access_token"));
        assert!(is_secret_field("totp_secret"));
        assert!(!is_secret_field("first_name"));
    }
}

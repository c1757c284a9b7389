//! The one error type of the crate, and the context types its variants carry.

use std::fmt;
use std::time::Duration;

/// The result type of every call in this crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Any failure of a Clerk call.
///
/// Match on the accessors ([`status`](Error::status), [`code`](Error::code),
/// [`is_retryable`](Error::is_retryable)), not on message text. New variants may be added in
/// minor releases.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// Clerk answered with a non-2xx status; the details come from its `errors` body.
    #[error("clerk api error {}: {}", .0.status(), .0.summary())]
    Api(ApiError),
    /// Nothing was sent: a bad argument, an unreadable upload file, or bad configuration.
    #[error("invalid request: {0}")]
    InvalidRequest(InvalidRequest),
    /// A connect, TLS or I/O failure. The request may or may not have reached Clerk.
    #[error("could not reach the clerk api")]
    Transport(#[source] TransportError),
    /// A configured timeout or the call's deadline elapsed. The request may have been processed.
    /// [`is_deadline`](Error::is_deadline) tells the call's deadline from an attempt's timeout.
    #[error("{}", if .0.is_deadline() { "the call's deadline elapsed" } else { "request to clerk timed out" })]
    Timeout(#[source] TransportError),
    /// A 2xx body that does not match the model, or a body over the size limit.
    #[error("could not decode the {} response", .0.operation())]
    Decode(#[source] DecodeError),
    /// A [`Paginator`](crate::Paginator) made no progress: the server answered the next page
    /// with the page before it again. Iteration stops here instead of looping forever.
    #[error("{0}")]
    Pagination(PaginationError),
}

impl Error {
    /// The HTTP status of the response, when there was one. For a deadline error, the status
    /// of the last answer before the deadline ended the call, if there was one.
    pub fn status(&self) -> Option<u16> {
        match self {
            Error::Api(e) => Some(e.status()),
            Error::Decode(e) => e.status,
            Error::Timeout(t) => t.last().and_then(Error::status),
            _ => None,
        }
    }

    /// Whether the call's overall deadline ([`ClerkBuilder::deadline`](crate::ClerkBuilder::deadline))
    /// ended it: it ran out during an attempt whose timeout the deadline had shortened, or the
    /// wait before the next attempt would have passed it. `false` for an attempt's own timeout.
    ///
    /// The last attempt's failure, if any, is the error's [`source`](std::error::Error::source)
    /// chain; [`status`](Error::status), [`code`](Error::code),
    /// [`retry_after`](Error::retry_after) and [`api_error`](Error::api_error) read its answer.
    pub fn is_deadline(&self) -> bool {
        matches!(self, Error::Timeout(t) if t.is_deadline())
    }

    /// The first Clerk error code (for example `resource_not_found`), for API errors. `None`
    /// when the body had no error, or its first error no `code`.
    pub fn code(&self) -> Option<&str> {
        self.api_error()
            .and_then(|e| e.errors().first())
            .map(|d| d.code.as_str())
            .filter(|c| !c.is_empty())
    }

    /// How long Clerk asked to wait before trying again (`Retry-After`), for API errors.
    pub fn retry_after(&self) -> Option<Duration> {
        self.api_error().and_then(|e| e.retry_after())
    }

    /// The API error, when Clerk answered with a non-2xx status (for a deadline error: when
    /// the last answer before the deadline was one).
    pub fn api_error(&self) -> Option<&ApiError> {
        match self {
            Error::Api(e) => Some(e),
            Error::Timeout(t) => t.last().and_then(Error::api_error),
            _ => None,
        }
    }

    /// Whether the same call could succeed if made again later: rate limits (`429`), server
    /// errors (`5xx`), timeouts and transport failures. The SDK's own retry loop has already
    /// retried where that was safe; this is for callers that retry on a larger scale.
    pub fn is_retryable(&self) -> bool {
        match self {
            Error::Api(e) => e.status() == 429 || e.status() >= 500,
            Error::Transport(_) | Error::Timeout(_) => true,
            Error::InvalidRequest(_) | Error::Decode(_) | Error::Pagination(_) => false,
        }
    }
}

/// Clerk's answer to a request it did not fulfil (any non-2xx status).
///
/// Fields are read through accessors; [`summary`](ApiError::summary) is what `Display` shows.
#[derive(Clone, PartialEq)]
pub struct ApiError(Box<ApiErrorFields>);

#[derive(Clone, PartialEq)]
pub(crate) struct ApiErrorFields {
    pub(crate) status: u16,
    pub(crate) errors: Vec<ErrorDetail>,
    pub(crate) meta: Option<serde_json::Value>,
    pub(crate) trace_id: Option<String>,
    pub(crate) retry_after: Option<Duration>,
    pub(crate) operation: &'static str,
    pub(crate) excerpt: Option<String>,
    /// For a `3xx`: the `Location`'s host (and port), redacted.
    pub(crate) redirect_host: Option<String>,
    /// For a `3xx`: the line [`ApiError::summary`] shows.
    pub(crate) note: Option<String>,
    /// The response headers, with the request's secrets taken out.
    pub(crate) headers: ureq::http::HeaderMap,
}

impl ApiError {
    pub(crate) fn new(fields: ApiErrorFields) -> Self {
        ApiError(Box::new(fields))
    }

    /// The HTTP status code.
    pub fn status(&self) -> u16 {
        self.0.status
    }

    /// Clerk's error list (the `errors` array of the body); empty when the body was not JSON.
    pub fn errors(&self) -> &[ErrorDetail] {
        &self.0.errors
    }

    /// The top-level `meta` object of the error body, when present.
    pub fn meta(&self) -> Option<&serde_json::Value> {
        self.0.meta.as_ref()
    }

    /// The response headers (`x-ratelimit-*`, `cf-ray`, ...), with the request's secrets
    /// taken out of their values. Not shown by `Display` or `Debug`.
    pub fn headers(&self) -> &ureq::http::HeaderMap {
        &self.0.headers
    }

    /// Clerk's trace id: `clerk_trace_id` in the body, else the first of the headers
    /// `x-clerk-trace-id` (what the API sends), `clerk-trace-id` (what Clerk's Go SDK reads)
    /// and `cf-ray` (Cloudflare's ray id of the answer).
    pub fn trace_id(&self) -> Option<&str> {
        self.0.trace_id.as_deref()
    }

    /// How long the server asked to wait (`Retry-After` in seconds or as an HTTP date).
    pub fn retry_after(&self) -> Option<Duration> {
        self.0.retry_after
    }

    /// The operation id of the call (for example `GetUser`).
    pub fn operation(&self) -> &'static str {
        self.0.operation
    }

    /// A short, sanitized excerpt of a body that was not a Clerk error body (for example an
    /// HTML page from a proxy). `None` for JSON error bodies and empty bodies.
    pub fn body_excerpt(&self) -> Option<&str> {
        self.0.excerpt.as_deref()
    }

    /// For a redirect (`3xx`, which this client never follows): the host, with its port when
    /// the `Location` names one, that the server redirected to. For a relative `Location`,
    /// the server's own host. `None` for other statuses and for a `3xx` without `Location`.
    pub fn redirect_host(&self) -> Option<&str> {
        self.0.redirect_host.as_deref()
    }

    /// One line describing the error: for a redirect, that it was not followed and where it
    /// pointed; else the first error's message, else the body excerpt, else the status'
    /// reason phrase.
    pub fn summary(&self) -> &str {
        if let Some(n) = &self.0.note {
            return n;
        }
        if let Some(d) = self.0.errors.first() {
            return &d.message;
        }
        if let Some(e) = &self.0.excerpt {
            return e;
        }
        reason_phrase(self.0.status)
    }
}

impl fmt::Debug for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ApiError")
            .field("status", &self.0.status)
            .field("operation", &self.0.operation)
            .field("errors", &self.0.errors)
            .field("trace_id", &self.0.trace_id)
            .field("retry_after", &self.0.retry_after)
            .field("body_excerpt", &self.0.excerpt)
            .field("redirect_host", &self.0.redirect_host)
            .finish_non_exhaustive()
    }
}

/// One entry of Clerk's `errors` list.
#[derive(Debug, Clone, PartialEq, serde::Deserialize)]
#[non_exhaustive]
pub struct ErrorDetail {
    /// A stable, machine-readable code such as `resource_not_found` or `form_param_missing`.
    #[serde(default)]
    pub code: String,
    /// A short message.
    #[serde(default)]
    pub message: String,
    /// A longer, human-readable message.
    #[serde(default)]
    pub long_message: String,
    /// Extra details, such as `{"param_name": "email_address"}`.
    #[serde(default)]
    pub meta: Option<serde_json::Value>,
}

/// Why a request was refused before anything was sent.
#[derive(Debug)]
pub struct InvalidRequest {
    message: String,
    source: Option<std::io::Error>,
}

impl InvalidRequest {
    pub(crate) fn new(message: impl Into<String>) -> Self {
        InvalidRequest {
            message: message.into(),
            source: None,
        }
    }

    pub(crate) fn io(message: impl Into<String>, source: std::io::Error) -> Self {
        InvalidRequest {
            message: message.into(),
            source: Some(source),
        }
    }

    /// What was wrong, in one line. Never contains the secret key.
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl fmt::Display for InvalidRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for InvalidRequest {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.source.as_ref().map(|e| e as _)
    }
}

impl From<InvalidRequest> for Error {
    fn from(e: InvalidRequest) -> Self {
        Error::InvalidRequest(e)
    }
}

/// A failure below HTTP: connecting, TLS, reading or writing, or a timeout.
///
/// Opaque on purpose: the underlying `ureq` error is reachable only through
/// [`source`](std::error::Error::source), so a new `ureq` never changes this crate's API.
pub struct TransportError {
    operation: &'static str,
    kind: TransportKind,
}

enum TransportKind {
    Ureq(ureq::Error),
    /// The call's deadline; the last attempt's failure, when there was an attempt.
    Deadline(Option<Box<Error>>),
}

impl TransportError {
    pub(crate) fn ureq(operation: &'static str, e: ureq::Error) -> Self {
        TransportError {
            operation,
            kind: TransportKind::Ureq(e),
        }
    }

    pub(crate) fn deadline(operation: &'static str, last: Option<Error>) -> Self {
        TransportError {
            operation,
            kind: TransportKind::Deadline(last.map(Box::new)),
        }
    }

    /// The last attempt's failure, for a deadline error.
    fn last(&self) -> Option<&Error> {
        match &self.kind {
            TransportKind::Deadline(last) => last.as_deref(),
            TransportKind::Ureq(_) => None,
        }
    }

    /// The operation id of the call (for example `GetUser`).
    pub fn operation(&self) -> &'static str {
        self.operation
    }

    /// Whether the call's overall deadline (not a single attempt's timeout) ran out.
    pub fn is_deadline(&self) -> bool {
        matches!(self.kind, TransportKind::Deadline(_))
    }
}

impl fmt::Display for TransportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.kind {
            TransportKind::Deadline(_) => {
                write!(f, "{}: the call's deadline elapsed", self.operation)
            }
            _ => write!(f, "{}: transport failure", self.operation),
        }
    }
}

impl fmt::Debug for TransportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut d = f.debug_struct("TransportError");
        d.field("operation", &self.operation);
        match &self.kind {
            TransportKind::Ureq(e) => d.field("cause", e),
            TransportKind::Deadline(last) => d.field("cause", &"deadline").field("last", last),
        };
        d.finish()
    }
}

impl std::error::Error for TransportError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match &self.kind {
            TransportKind::Ureq(e) => Some(e),
            TransportKind::Deadline(last) => last.as_deref().map(|e| e as _),
        }
    }
}

/// A successful response whose body could not be turned into the expected type.
///
/// The raw body is available through [`body`](DecodeError::body); neither `Display` nor
/// `Debug` shows it, because bodies can hold secrets (a newly created API key, say).
pub struct DecodeError {
    operation: &'static str,
    status: Option<u16>,
    body: Vec<u8>,
    kind: DecodeKind,
}

enum DecodeKind {
    Json(JsonError),
    TooLarge(u64),
    Read(std::io::Error),
}

impl DecodeError {
    pub(crate) fn json(
        operation: &'static str,
        status: u16,
        body: Vec<u8>,
        e: serde_json::Error,
    ) -> Self {
        DecodeError {
            operation,
            status: Some(status),
            body,
            kind: DecodeKind::Json(JsonError::new(&e)),
        }
    }

    pub(crate) fn too_large(operation: &'static str, status: u16, limit: u64) -> Self {
        DecodeError {
            operation,
            status: Some(status),
            body: Vec::new(),
            kind: DecodeKind::TooLarge(limit),
        }
    }

    pub(crate) fn read(operation: &'static str, status: u16, e: std::io::Error) -> Self {
        DecodeError {
            operation,
            status: Some(status),
            body: Vec::new(),
            kind: DecodeKind::Read(e),
        }
    }

    /// The operation id of the call.
    pub fn operation(&self) -> &'static str {
        self.operation
    }

    /// The HTTP status of the response.
    pub fn status(&self) -> Option<u16> {
        self.status
    }

    /// The raw body as received (empty when it was over the size limit).
    pub fn body(&self) -> &[u8] {
        &self.body
    }

    /// Whether the body was larger than the configured limit.
    pub fn is_too_large(&self) -> bool {
        matches!(self.kind, DecodeKind::TooLarge(_))
    }
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.kind {
            DecodeKind::Json(_) => {
                write!(f, "{}: the body does not match the model", self.operation)
            }
            DecodeKind::TooLarge(limit) => {
                write!(
                    f,
                    "{}: the body exceeds the {limit}-byte limit",
                    self.operation
                )
            }
            DecodeKind::Read(_) => write!(f, "{}: the body could not be read", self.operation),
        }
    }
}

impl fmt::Debug for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut d = f.debug_struct("DecodeError");
        d.field("operation", &self.operation)
            .field("status", &self.status)
            .field("body_len", &self.body.len());
        match &self.kind {
            DecodeKind::Json(e) => d.field("cause", e),
            DecodeKind::TooLarge(l) => d.field("limit", l),
            DecodeKind::Read(e) => d.field("cause", e),
        };
        d.finish()
    }
}

impl std::error::Error for DecodeError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match &self.kind {
            DecodeKind::Json(e) => Some(e),
            DecodeKind::Read(e) => Some(e),
            DecodeKind::TooLarge(_) => None,
        }
    }
}

/// What serde_json said about a body, without the body's values.
///
/// serde_json quotes offending values (`invalid type: string "sk_live_…", expected i64`), and
/// a body can hold secrets, so the message keeps only what comes from our own models: the
/// position, and the message with quoted values replaced by `…`.
struct JsonError {
    message: String,
    line: usize,
    column: usize,
}

impl JsonError {
    fn new(e: &serde_json::Error) -> Self {
        JsonError {
            message: redact_values(&e.to_string()),
            line: e.line(),
            column: e.column(),
        }
    }
}

/// Replaces every `"…"` quoted value, and every backquoted one unless it names a field of
/// our model (`missing field `id``), with `…`. Drops serde_json's own position suffix.
///
/// Quoted values come escaped (serde writes them with `{:?}`), so a `\"` inside one does not
/// end it. Backquoted values are written as they are and may hold backquotes themselves, so
/// one ends at the last `` `, expected`` of the message (where serde puts what the model
/// wanted), else at the message's last backquote: at worst more is hidden, never less.
fn redact_values(message: &str) -> String {
    let message = message.rsplit_once(" at line ").map_or(message, |(m, _)| m);
    let keep_backquoted =
        message.starts_with("missing field") || message.starts_with("duplicate field");
    let mut out = String::with_capacity(message.len());
    let mut rest = message;
    while let Some(c) = rest.chars().next() {
        rest = &rest[c.len_utf8()..];
        match c {
            '"' => {
                out.push_str("\"…");
                let mut escaped = false;
                let close = rest.char_indices().find(|&(_, c)| {
                    let end = c == '"' && !escaped;
                    escaped = c == '\\' && !escaped;
                    end
                });
                match close {
                    Some((i, _)) => {
                        out.push('"');
                        rest = &rest[i + 1..];
                    }
                    None => rest = "",
                }
            }
            '`' if !keep_backquoted => {
                out.push_str("`…");
                let close = rest
                    .rfind("`, expected")
                    .or_else(|| rest.rfind("`, there are"))
                    .or_else(|| rest.rfind('`'));
                match close {
                    Some(i) => {
                        out.push('`');
                        rest = &rest[i + 1..];
                    }
                    None => rest = "",
                }
            }
            c => out.push(c),
        }
    }
    out
}

impl fmt::Display for JsonError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.line == 0 {
            // Not from the parser (a body that is not UTF-8): no position.
            return f.write_str(&self.message);
        }
        write!(
            f,
            "{} at line {} column {}",
            self.message, self.line, self.column
        )
    }
}

impl fmt::Debug for JsonError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

impl std::error::Error for JsonError {}

fn reason_phrase(status: u16) -> &'static str {
    match status {
        400 => "bad request",
        401 => "unauthorized",
        402 => "payment required",
        403 => "forbidden",
        404 => "not found",
        409 => "conflict",
        410 => "gone",
        413 => "payload too large",
        422 => "unprocessable entity",
        423 => "locked",
        429 => "too many requests",
        500 => "internal server error",
        502 => "bad gateway",
        503 => "service unavailable",
        504 => "gateway timeout",
        _ => "unexpected status",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_error_messages_keep_field_names_and_drop_values() {
        let e = serde_json::from_str::<i64>(r#""sk_live_SECRET""#).unwrap_err();
        let shown = JsonError::new(&e).to_string();
        assert!(!shown.contains("SECRET"), "{shown}");
        assert!(shown.starts_with("invalid type: string \"…\""), "{shown}");
        assert!(shown.ends_with("line 1 column 16"), "{shown}");

        #[derive(Debug, serde::Deserialize)]
        #[allow(dead_code)]
        struct S {
            id: String,
        }
        let e = serde_json::from_str::<S>("{}").unwrap_err();
        assert!(
            JsonError::new(&e)
                .to_string()
                .starts_with("missing field `id`")
        );
        assert_eq!(
            redact_values("unknown variant `SECRET`, expected `a`"),
            "unknown variant `…`, expected `…`"
        );
        assert_eq!(redact_values("cut \"SECRET"), "cut \"…");
    }

    #[test]
    fn quotes_and_backquotes_inside_values_do_not_end_the_redaction() {
        // serde escapes a quote inside a quoted value; the redaction must not stop there.
        let e = serde_json::from_str::<i64>(r#""a\"sk_live_SECRET1\\\"x""#).unwrap_err();
        let shown = JsonError::new(&e).to_string();
        assert!(!shown.contains("SECRET1"), "{shown}");
        assert!(
            shown.starts_with("invalid type: string \"…\", expected i64"),
            "{shown}"
        );

        // serde does not escape backquoted values: a backquote inside one must not end it.
        #[derive(Debug, serde::Deserialize)]
        enum Color {
            Red,
        }
        let e = serde_json::from_str::<Color>(r#""a`, SECRET2`, expected x`b""#).unwrap_err();
        let shown = JsonError::new(&e).to_string();
        assert!(!shown.contains("SECRET2"), "{shown}");
        assert!(
            shown.starts_with("unknown variant `…`, expected `…`"),
            "{shown}"
        );
        let _ = Color::Red;

        let e = serde_json::from_str::<char>(r#""ab""#).unwrap_err();
        assert!(JsonError::new(&e).to_string().contains("\"…\""));
        assert_eq!(
            redact_values("invalid type: character ```, expected a digit"),
            "invalid type: character `…`, expected a digit"
        );
        assert_eq!(
            redact_values("invalid value: integer `300`, expected u8"),
            "invalid value: integer `…`, expected u8"
        );
        assert_eq!(redact_values(r#"x "a\\" y "b""#), r#"x "…" y "…""#);
        assert_eq!(redact_values("cut `SECRET"), "cut `…");
    }
}

/// A paginated listing that made no progress: the server answered the request for the next
/// page with the same last item as the page before ([`Error::Pagination`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PaginationError {
    operation: &'static str,
}

impl PaginationError {
    pub(crate) fn stalled(operation: &'static str) -> Self {
        PaginationError { operation }
    }

    /// The operation id of the listing.
    pub fn operation(&self) -> &'static str {
        self.operation
    }
}

impl fmt::Display for PaginationError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}: pagination made no progress (the server repeated a page)",
            self.operation
        )
    }
}

impl std::error::Error for PaginationError {}

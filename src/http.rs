//! The one request pipeline. Every operation describes itself as a [`RequestSpec`] and calls
//! [`execute`]; nothing here is generic, so 249 operations cost one copy of this code. Only
//! the final JSON decode ([`Clerk::send_json`]) is generic.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde::de::DeserializeOwned;

use ureq::http::{HeaderMap, HeaderName, HeaderValue};

use crate::client::{Clerk, Inner, is_header_safe};
use crate::error::{
    ApiError, ApiErrorFields, DecodeError, Error, ErrorDetail, InvalidRequest, Result,
    TransportError,
};
use crate::log::{LogEvent, Operation, RetryReason};
use crate::multipart::Multipart;
use crate::redact::Redactor;
use crate::response::ApiResponse;
use crate::retry::{self, Context, Decision, Outcome, RetryPolicy};
use crate::url::{Query, build_url};

/// Per-call settings that override the client's.
#[derive(Debug, Clone, Default)]
pub(crate) struct CallOptions {
    pub(crate) retry: Option<RetryPolicy>,
    pub(crate) timeout: Option<Duration>,
    pub(crate) deadline: Option<Duration>,
    /// Extra headers, validated when the call is sent.
    pub(crate) headers: Vec<(String, String)>,
    /// The caller says repeating this write is safe.
    pub(crate) idempotent: bool,
    /// The caller wants the response headers (redacted), not only the value.
    pub(crate) keep_headers: bool,
}

/// The headers only the SDK sets: the key, the API version, its own identity, and what the
/// transport owns. A custom header may not replace them.
const RESERVED_HEADERS: [&str; 11] = [
    "authorization",
    "proxy-authorization",
    "clerk-api-version",
    "user-agent",
    "x-clerk-sdk",
    "content-type",
    "content-length",
    "transfer-encoding",
    "host",
    "connection",
    "te",
];

/// A caller's header (per call or client default), validated: a valid name, a value without
/// CR, LF or other control characters, and not one of the SDK's own. The message names the
/// header, never its value (which may be a secret).
pub(crate) fn custom_header(
    name: &str,
    value: &str,
) -> Result<(HeaderName, HeaderValue), InvalidRequest> {
    let header_name = HeaderName::from_bytes(name.as_bytes())
        .map_err(|_| InvalidRequest::new("a custom header name is not a valid HTTP header name"))?;
    if RESERVED_HEADERS.contains(&header_name.as_str()) {
        return Err(InvalidRequest::new(format!(
            "the `{header_name}` header is set by the SDK and cannot be replaced"
        )));
    }
    if !is_header_safe(value) {
        return Err(InvalidRequest::new(format!(
            "the value of the `{header_name}` header has CR, LF or other control characters"
        )));
    }
    let header_value = HeaderValue::from_str(value).map_err(|_| {
        InvalidRequest::new(format!(
            "the value of the `{header_name}` header is not valid"
        ))
    })?;
    Ok((header_name, header_value))
}

/// A request body.
#[derive(Debug, Clone)]
pub(crate) enum Body {
    Empty,
    Json(Vec<u8>),
    Multipart(Multipart),
}

impl Body {
    /// Serializes a body struct. Serialization of our own body types cannot fail in practice;
    /// if it ever does, the call fails as an invalid request before anything is sent.
    pub(crate) fn json(value: &impl serde::Serialize) -> Result<Body> {
        serde_json::to_vec(value)
            .map(Body::Json)
            .map_err(|_| InvalidRequest::new("the request body could not be serialized").into())
    }
}

/// Everything the pipeline needs to know about one call.
pub(crate) struct RequestSpec<'a> {
    pub(crate) op: Operation,
    /// Path parameter values, in the order of the template's `{..}` placeholders.
    pub(crate) path_params: &'a [&'a str],
    pub(crate) query: Query,
    pub(crate) body: Body,
    pub(crate) options: &'a CallOptions,
}

/// The body as text. Validating UTF-8 once and parsing from `&str` spares serde_json a check
/// per string (about an eighth of the decode of a user list). Invalid UTF-8 is never valid
/// JSON, so it gets its own error rather than a second, `&[u8]`, instance of every decoder.
fn json_text(body: &[u8]) -> std::result::Result<&str, serde_json::Error> {
    std::str::from_utf8(body).map_err(|e| {
        <serde_json::Error as serde::de::Error>::custom(format_args!(
            "the body is not UTF-8 (invalid byte at offset {})",
            e.valid_up_to()
        ))
    })
}

#[cold]
fn decode_error(op: &'static str, resp: Response, e: serde_json::Error) -> Error {
    Error::Decode(DecodeError::json(op, resp.status, resp.body, e))
}

/// The status, headers and trace id of a response, taken out of it.
fn take_meta(resp: &mut Response) -> (u16, HeaderMap, Option<String>) {
    (
        resp.status,
        std::mem::take(&mut resp.headers),
        resp.trace_id.take(),
    )
}

/// A 2xx body as text.
fn text(op: &'static str, resp: Response) -> Result<String> {
    String::from_utf8(resp.body).map_err(|_| {
        let e = std::io::Error::new(std::io::ErrorKind::InvalidData, "the body is not UTF-8");
        Error::Decode(DecodeError::read(op, resp.status, e))
    })
}

/// Decodes a 2xx body: JSON text into `T`.
fn decode<T: DeserializeOwned>(op: &'static str, resp: Response) -> Result<T> {
    let decoded = match json_text(&resp.body) {
        Ok(text) => serde_json::from_str(text),
        Err(e) => Err(e),
    };
    decoded.map_err(|e| decode_error(op, resp, e))
}

/// A 2xx response.
pub(crate) struct Response {
    pub(crate) status: u16,
    pub(crate) body: Vec<u8>,
    /// The response headers: redacted when the call asked to keep them, else as received
    /// (and dropped unread).
    pub(crate) headers: HeaderMap,
    /// The trace id ([`TRACE_ID_HEADERS`]), redacted.
    pub(crate) trace_id: Option<String>,
}

impl Clerk {
    /// Runs the call and decodes a 2xx JSON body into `T`. Only the decode is generic: this
    /// is instantiated once per response type.
    pub(crate) fn send_json<T: DeserializeOwned>(&self, spec: RequestSpec<'_>) -> Result<T> {
        let op = spec.op.operation_id;
        let resp = execute(&self.inner, spec)?;
        decode(op, resp)
    }

    /// Runs a raw request ([`Clerk::request`]): decodes a 2xx JSON body, an empty one as
    /// `null`, and keeps the status and the headers (redacted: the options ask for them).
    pub(crate) fn send_raw<T: DeserializeOwned>(
        &self,
        spec: RequestSpec<'_>,
    ) -> Result<ApiResponse<T>> {
        let op = spec.op.operation_id;
        let mut resp = execute(&self.inner, spec)?;
        if resp.body.iter().all(u8::is_ascii_whitespace) {
            resp.body = b"null".to_vec();
        }
        let (status, headers, trace_id) = take_meta(&mut resp);
        decode(op, resp).map(|value| ApiResponse::new(value, status, headers, trace_id))
    }

    /// [`send_json`](Self::send_json), keeping the status and the headers (redacted: the
    /// options ask for them).
    pub(crate) fn send_json_with_response<T: DeserializeOwned>(
        &self,
        spec: RequestSpec<'_>,
    ) -> Result<ApiResponse<T>> {
        let op = spec.op.operation_id;
        let mut resp = execute(&self.inner, spec)?;
        let (status, headers, trace_id) = take_meta(&mut resp);
        decode(op, resp).map(|value| ApiResponse::new(value, status, headers, trace_id))
    }

    /// [`send_unit`](Self::send_unit), keeping the status and the headers.
    pub(crate) fn send_unit_with_response(&self, spec: RequestSpec<'_>) -> Result<ApiResponse<()>> {
        let mut resp = execute(&self.inner, spec)?;
        let (status, headers, trace_id) = take_meta(&mut resp);
        Ok(ApiResponse::new((), status, headers, trace_id))
    }

    /// [`send_text`](Self::send_text), keeping the status and the headers.
    pub(crate) fn send_text_with_response(
        &self,
        spec: RequestSpec<'_>,
    ) -> Result<ApiResponse<String>> {
        let op = spec.op.operation_id;
        let mut resp = execute(&self.inner, spec)?;
        let (status, headers, trace_id) = take_meta(&mut resp);
        text(op, resp).map(|value| ApiResponse::new(value, status, headers, trace_id))
    }

    /// Runs the call and ignores the 2xx body (operations that answer 202 or 204).
    pub(crate) fn send_unit(&self, spec: RequestSpec<'_>) -> Result<()> {
        execute(&self.inner, spec).map(|_| ())
    }

    /// Runs the call and returns the 2xx body as text (the HTML interstitial).
    pub(crate) fn send_text(&self, spec: RequestSpec<'_>) -> Result<String> {
        let op = spec.op.operation_id;
        text(op, execute(&self.inner, spec)?)
    }
}

/// The request's attempts, with retries, as one call.
pub(crate) fn execute(inner: &Inner, spec: RequestSpec<'_>) -> Result<Response> {
    let op = spec.op;
    let url = build_url(&inner.base_url, spec.op.path, spec.path_params, &spec.query)?;
    let policy = spec.options.retry.unwrap_or(inner.retry);
    let idempotent = spec.options.idempotent || matches!(op.http_method, "GET" | "HEAD");
    let deadline = spec.options.deadline.or(inner.deadline);
    let extra_headers = spec
        .options
        .headers
        .iter()
        .map(|(name, value)| custom_header(name, value))
        .collect::<Result<Vec<_>, _>>()?;
    let replayable = match &spec.body {
        Body::Multipart(m) => m.is_replayable(),
        _ => true,
    };
    let json_body = match &spec.body {
        Body::Json(bytes) => Some(&bytes[..]),
        _ => None,
    };
    let redactor = Redactor::new(inner.key(), op.path, spec.path_params, json_body);
    let clock = &*inner.clock;
    let started = clock.now();
    // What is left of the call's deadline, if it has one.
    let time_left =
        || deadline.map(|d| d.saturating_sub(clock.now().saturating_duration_since(started)));
    let mut retries = 0u32;
    // The failure of the attempt before a retry's wait, for a deadline error at the top of
    // the loop.
    let mut last: Option<Error> = None;
    loop {
        let attempt = retries + 1;
        let remaining = time_left();
        if remaining == Some(Duration::ZERO) {
            return Err(deadline_passed(inner, op, attempt - 1, started, last));
        }
        // The client's rate limit: a token for every attempt, waited for with no lock held;
        // a wait the deadline cannot afford takes no token and ends the call.
        let remaining = match &inner.limiter {
            None => remaining,
            Some(limiter) => match limiter.reserve(clock.now(), remaining) {
                Ok(Duration::ZERO) => remaining,
                Ok(delay) => {
                    inner.log.log(&LogEvent::RateLimited {
                        operation: op,
                        attempt,
                        delay,
                    });
                    clock.sleep(delay);
                    remaining.map(|r| r.saturating_sub(delay))
                }
                Err(_) => return Err(deadline_passed(inner, op, attempt - 1, started, last)),
            },
        };
        // The whole attempt, from connecting to the last byte, within what is left of the
        // deadline. `None`: the client's own agent already carries the client's timeout.
        let budget = spec.options.timeout.unwrap_or(inner.timeout);
        let timeout = match remaining {
            Some(left) => Some(left.min(budget)),
            None if spec.options.timeout.is_some() || !inner.owns_agent => Some(budget),
            None => None,
        };
        inner.log.log(&LogEvent::RequestSent {
            operation: op,
            attempt,
        });
        let sent_at = clock.now();
        let result = attempt_once(
            inner,
            op,
            &url,
            &spec.body,
            &extra_headers,
            timeout,
            &redactor,
        );
        let (outcome, failure) = match result {
            Ok(mut resp) => {
                resp.trace_id = resp.trace_id.map(|t| redactor.string(t));
                inner.log.log(&LogEvent::ResponseReceived {
                    operation: op,
                    attempt,
                    status: resp.status,
                    elapsed: clock.now().saturating_duration_since(sent_at),
                    trace_id: resp.trace_id.clone(),
                });
                let outcome = Outcome::Status {
                    status: resp.status,
                    retry_after: resp.retry_after,
                };
                if let (429, Some(wait), Some(limiter)) =
                    (resp.status, resp.retry_after, &inner.limiter)
                {
                    // Clerk asked this client to slow down: every thread of it waits.
                    if let Some(until) = clock.now().checked_add(wait) {
                        limiter.pause_until(until);
                    }
                }
                if (200..300).contains(&resp.status) {
                    let headers = if spec.options.keep_headers {
                        redact_headers(resp.headers, &redactor)
                    } else {
                        resp.headers
                    };
                    return Ok(Response {
                        status: resp.status,
                        body: resp.body,
                        headers,
                        trace_id: resp.trace_id,
                    });
                }
                (outcome, api_error(op.operation_id, resp, &redactor))
            }
            Err(Failed {
                outcome,
                error,
                timeout: fired,
            }) => {
                // The deadline, not the attempt's own timeout, ended this attempt when it had
                // shortened the timer that fired: the whole-attempt timer, or the connect
                // timer (set to the smaller of the connect timeout and the attempt's).
                let cut_by_deadline = match (fired, remaining) {
                    (Some(ureq::Timeout::Connect | ureq::Timeout::Resolve), Some(left)) => {
                        left < inner.connect_timeout.min(budget)
                    }
                    (Some(ureq::Timeout::Global), Some(left)) => left < budget,
                    _ => false,
                };
                if cut_by_deadline {
                    return Err(deadline_passed(inner, op, attempt, started, Some(error)));
                }
                (outcome, error)
            }
        };
        let cx = Context {
            idempotent,
            replayable,
            retries,
            remaining: time_left(),
            jitter: if policy.max_retries > retries {
                inner.jitter()
            } else {
                0.0
            },
        };
        match retry::decide(&policy, outcome, cx) {
            Decision::Retry { delay, reason } => {
                inner.log.log(&LogEvent::RetryScheduled {
                    operation: op,
                    attempt,
                    reason,
                    delay,
                });
                last = Some(failure);
                clock.sleep(delay);
                retries += 1;
            }
            // The wait before the next attempt would pass the deadline.
            Decision::Stop {
                reason: RetryReason::DeadlineExceeded,
            } => return Err(deadline_passed(inner, op, attempt, started, Some(failure))),
            Decision::Stop { reason } => {
                give_up(inner, op, attempt, reason, started);
                return Err(failure);
            }
        }
    }
}

/// The call's deadline ended it after `attempts` attempts: logged, and the error that keeps
/// the last attempt's failure, if any, as its source.
fn deadline_passed(
    inner: &Inner,
    op: Operation,
    attempts: u32,
    started: std::time::Instant,
    last: Option<Error>,
) -> Error {
    give_up(inner, op, attempts, RetryReason::DeadlineExceeded, started);
    Error::Timeout(TransportError::deadline(op.operation_id, last))
}

fn give_up(
    inner: &Inner,
    op: Operation,
    attempts: u32,
    reason: RetryReason,
    started: std::time::Instant,
) {
    inner.log.log(&LogEvent::GaveUp {
        operation: op,
        attempts,
        reason,
        elapsed: inner.clock.now().saturating_duration_since(started),
    });
}

/// One response, any status, body read in full (within the limit).
struct RawResponse {
    status: u16,
    body: Vec<u8>,
    trace_id: Option<String>,
    retry_after: Option<Duration>,
    /// For a `3xx`: where the `Location` points (host and port), unredacted.
    redirect_host: Option<String>,
    headers: HeaderMap,
}

struct Failed {
    outcome: Outcome,
    error: Error,
    /// Which `ureq` timer fired, for a timeout.
    timeout: Option<ureq::Timeout>,
}

fn attempt_once(
    inner: &Inner,
    op: Operation,
    url: &str,
    body: &Body,
    extra_headers: &[(HeaderName, HeaderValue)],
    timeout: Option<Duration>,
    redactor: &Redactor<'_>,
) -> Result<RawResponse, Failed> {
    let fatal = |error: Error| Failed {
        outcome: Outcome::Fatal,
        error,
        timeout: None,
    };
    let mut builder = ureq::http::Request::builder()
        .method(op.http_method)
        .uri(url);
    if let Some(headers) = builder.headers_mut() {
        headers
            .reserve(inner.headers.len() + inner.default_headers.len() + extra_headers.len() + 2);
        for (name, value) in &inner.headers {
            headers.insert(name.clone(), value.clone());
        }
        // The client's defaults, then this call's: a call's header replaces a default.
        for (name, value) in inner.default_headers.iter().chain(extra_headers) {
            headers.insert(name.clone(), value.clone());
        }
    }
    let response = match body {
        Body::Empty => run(inner, op, builder, (), timeout),
        Body::Json(bytes) => {
            let builder = builder.header("content-type", "application/json");
            run(inner, op, builder, &bytes[..], timeout)
        }
        Body::Multipart(m) => {
            let (reader, len) = m.open().map_err(|e| fatal(e.into()))?;
            builder = builder.header("content-type", m.content_type());
            if let Some(len) = len {
                builder = builder.header("content-length", len);
            }
            run(
                inner,
                op,
                builder,
                ureq::SendBody::from_owned_reader(reader),
                timeout,
            )
        }
    };
    let (parts, mut response_body) = response?.into_parts();
    let status = parts.status.as_u16();
    let headers = &parts.headers;
    let trace_id = trace_id(headers);
    let retry_after = headers
        .get("retry-after")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| retry::parse_retry_after(v, unix_now()));
    let redirect_host = (300..400)
        .contains(&status)
        .then(|| headers.get("location").and_then(|v| v.to_str().ok()))
        .flatten()
        .and_then(|location| redirect_host(location, url))
        .map(|host| redactor.string(host));
    let limit = inner.max_response_bytes;
    let body = match response_body.with_config().limit(limit).read_to_vec() {
        Ok(b) => b,
        Err(ureq::Error::BodyExceedsLimit(_)) => {
            return Err(fatal(Error::Decode(DecodeError::too_large(
                op.operation_id,
                status,
                limit,
            ))));
        }
        Err(ureq::Error::Decompress(_, e)) => {
            // A corrupt compressed body: the response arrived but is unusable.
            return Err(fatal(Error::Decode(DecodeError::read(
                op.operation_id,
                status,
                e,
            ))));
        }
        Err(e) => return Err(transport_failure(op.operation_id, e)),
    };
    Ok(RawResponse {
        status,
        body,
        trace_id,
        retry_after,
        redirect_host,
        headers: parts.headers,
    })
}

/// The headers with the request's secrets taken out of every value; a value that is not
/// text is dropped.
fn redact_headers(headers: HeaderMap, redactor: &Redactor<'_>) -> HeaderMap {
    let mut out = HeaderMap::with_capacity(headers.len());
    let mut current = None;
    for (name, value) in headers {
        // `into_iter` names a header once, then gives its further values with `None`.
        if let Some(name) = name {
            current = Some(name);
        }
        let (Some(name), Ok(text)) = (&current, value.to_str()) else {
            continue;
        };
        let value = match redactor.text(text) {
            std::borrow::Cow::Borrowed(_) => value,
            std::borrow::Cow::Owned(clean) => match HeaderValue::try_from(clean) {
                Ok(v) => v,
                Err(_) => continue,
            },
        };
        out.append(name.clone(), value);
    }
    out
}

/// The host (and port, when given) a `Location` points at: its own for an absolute URL, the
/// request's for a relative one. Only host characters are kept, at most 255 of them.
fn redirect_host(location: &str, request_url: &str) -> Option<String> {
    let authority = |url: &str| -> Option<String> {
        let uri: ureq::http::Uri = url.parse().ok()?;
        let host = uri.host()?;
        Some(match uri.port_u16() {
            Some(port) => format!("{host}:{port}"),
            None => host.to_owned(),
        })
    };
    let location = location.trim();
    let host = if location.starts_with("//") {
        authority(&format!("http:{location}"))
    } else if location.contains("://") {
        authority(location)
    } else {
        authority(request_url)
    }?;
    let host: String = host
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || ".-_:[]%".contains(*c))
        .take(255)
        .collect();
    (!host.is_empty()).then_some(host)
}

/// Sends one attempt with the per-request settings. Generic only over the body type (three
/// instances), so it stays small.
fn run(
    inner: &Inner,
    op: Operation,
    builder: ureq::http::request::Builder,
    body: impl ureq::AsSendBody,
    timeout: Option<Duration>,
) -> Result<ureq::http::Response<ureq::Body>, Failed> {
    let request = builder.body(body).map_err(|_| Failed {
        timeout: None,
        outcome: Outcome::Fatal,
        error: InvalidRequest::new(
            "the request could not be built (the URL is too long, or a header value is invalid)",
        )
        .into(),
    })?;
    let agent = &inner.agent;
    let request = match timeout {
        None => request,
        Some(t) => agent
            .configure_request(request)
            .http_status_as_error(false)
            .timeout_connect(Some(inner.connect_timeout.min(t)))
            .timeout_global(Some(t))
            // Also for a caller's agent: a redirect is an error, never followed.
            .max_redirects(0)
            .build(),
    };
    agent
        .run(request)
        .map_err(|e| transport_failure(op.operation_id, e))
}

/// The headers that carry a trace id, in the order they are read: what Clerk's API sends
/// (`x-clerk-trace-id`), what Clerk's Go SDK reads (`clerk-trace-id`), and Cloudflare's ray
/// id (`cf-ray`), which every answer through Clerk's edge has.
pub(crate) const TRACE_ID_HEADERS: [&str; 3] = ["x-clerk-trace-id", "clerk-trace-id", "cf-ray"];

/// The trace id of a response: the first of [`TRACE_ID_HEADERS`] present with a short,
/// printable value.
fn trace_id(headers: &HeaderMap) -> Option<String> {
    TRACE_ID_HEADERS.iter().find_map(|name| {
        headers
            .get(*name)
            .and_then(|v| v.to_str().ok())
            .filter(|v| !v.is_empty() && v.len() <= 128 && is_header_safe(v))
            .map(str::to_owned)
    })
}

/// Sorts a `ureq` failure into what the retry rules need and the error the caller sees.
fn transport_failure(op: &'static str, e: ureq::Error) -> Failed {
    use std::io::ErrorKind as K;
    let outcome = match &e {
        ureq::Error::Io(io) if io.kind() == K::ConnectionRefused => Outcome::NotSent,
        ureq::Error::HostNotFound | ureq::Error::ConnectionFailed => Outcome::NotSent,
        ureq::Error::Tls(_) => Outcome::NotSent,
        #[cfg(feature = "rustls")]
        ureq::Error::Rustls(_) => Outcome::NotSent,
        #[cfg(feature = "native-tls")]
        ureq::Error::NativeTls(_) => Outcome::NotSent,
        ureq::Error::Timeout(ureq::Timeout::Resolve | ureq::Timeout::Connect) => Outcome::NotSent,
        ureq::Error::Timeout(_) => Outcome::TimedOut,
        ureq::Error::Io(io) if io.kind() == K::TimedOut || io.kind() == K::WouldBlock => {
            Outcome::TimedOut
        }
        ureq::Error::Io(_) | ureq::Error::Protocol(_) => Outcome::Lost,
        _ => Outcome::Fatal,
    };
    let timeout = match &e {
        ureq::Error::Timeout(t) => Some(*t),
        _ => None,
    };
    let error = match outcome {
        Outcome::TimedOut => Error::Timeout(TransportError::ureq(op, e)),
        _ if timeout.is_some() => Error::Timeout(TransportError::ureq(op, e)),
        _ => Error::Transport(TransportError::ureq(op, e)),
    };
    Failed {
        outcome,
        error,
        timeout,
    }
}

/// Builds the API error from a non-2xx response: Clerk's `errors` body when it is one, else a
/// short, sanitized excerpt of whatever came back. Every text from the response goes
/// through the request's [`Redactor`] first.
fn api_error(op: &'static str, resp: RawResponse, redactor: &Redactor<'_>) -> Error {
    #[derive(serde::Deserialize)]
    struct ClerkErrors {
        errors: Vec<ErrorDetail>,
        #[serde(default)]
        meta: Option<serde_json::Value>,
        #[serde(default)]
        clerk_trace_id: Option<String>,
    }
    let parsed = serde_json::from_slice::<ClerkErrors>(&resp.body).ok();
    let (errors, meta, trace, excerpt) = match parsed {
        Some(b) => (b.errors, b.meta, b.clerk_trace_id, None),
        None => (Vec::new(), None, None, excerpt(&resp.body, redactor)),
    };
    let errors = errors
        .into_iter()
        .map(|d| ErrorDetail {
            code: redactor.string(d.code),
            message: redactor.string(d.message),
            long_message: redactor.string(d.long_message),
            meta: d.meta.map(|m| redactor.json(m)),
        })
        .collect();
    let note = (300..400)
        .contains(&resp.status)
        .then(|| match &resp.redirect_host {
            Some(host) => {
                format!("redirect to {host} not followed (the request was not sent there)")
            }
            None => "redirect not followed".to_owned(),
        });
    Error::Api(ApiError::new(ApiErrorFields {
        status: resp.status,
        errors,
        meta: meta.map(|m| redactor.json(m)),
        // The header's trace id was redacted when the response arrived.
        trace_id: trace.map(|t| redactor.string(t)).or(resp.trace_id),
        retry_after: resp.retry_after,
        operation: op,
        excerpt,
        redirect_host: resp.redirect_host,
        note,
        headers: redact_headers(resp.headers, redactor),
    }))
}

/// At most 120 characters of a non-JSON body, on one line, with the request's secrets and
/// anything that looks like a key or token (`sk_…`, `Bearer …`, a JWT) replaced by
/// `[redacted]` (see [`Redactor`]). Redacted before it is cut, so no secret is cut in half.
fn excerpt(body: &[u8], redactor: &Redactor<'_>) -> Option<String> {
    const MAX: usize = 120;
    let cut = body.len().min(8 * MAX);
    let mut text = String::from_utf8_lossy(&body[..cut]);
    if cut < body.len() {
        // The last word may be cut short: a secret's prefix would not be recognised.
        // (Without whitespace, the output's 120 characters end long before the cut.)
        if let Some(end) = text.rfind(char::is_whitespace) {
            text = std::borrow::Cow::Owned(text[..end].to_owned());
        }
    }
    let text = redactor.text(&text);
    let mut out = String::new();
    for word in text.split(|c: char| c.is_whitespace() || c.is_control()) {
        if word.is_empty() {
            continue;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
        if out.chars().count() > MAX {
            break;
        }
    }
    if out.is_empty() {
        return None;
    }
    if out.chars().count() > MAX {
        out = out.chars().take(MAX).collect::<String>() + "…";
    }
    Some(out)
}

fn unix_now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn excerpts_are_short_and_redacted() {
        let r = Redactor::new("sk_test_KEY", "/x", &[], None);
        let excerpt = |b: &[u8]| excerpt(b, &r);
        assert_eq!(excerpt(b""), None);
        assert_eq!(excerpt(b"  \n "), None);
        let html = b"<html>\n<body>502 Bad Gateway</body>\n</html>";
        assert_eq!(
            excerpt(html).unwrap(),
            "<html> <body>502 Bad Gateway</body> </html>"
        );
        let leaky = b"echo: Authorization: Bearer sk_live_abcdef123 token=eyJhbGciOi.x.y";
        let e = excerpt(leaky).unwrap();
        assert!(!e.contains("sk_live"), "{e}");
        assert!(!e.contains("eyJ"), "{e}");
        let long = vec![b'a'; 10_000];
        assert!(excerpt(&long).unwrap().chars().count() <= 121);
    }
}

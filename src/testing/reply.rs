//! [`Reply`]: a canned response for a [`Route`](super::Route), or one of the failure modes the wire code in
//! `testing/wire.rs` acts out (closes, resets, stalls, delays, drips).

use std::time::Duration;

use super::RecordedRequest;
use super::wire::has_token;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Fault {
    None,
    CloseBeforeResponse,
    CloseMidBody,
    NeverRespond,
    ResetBeforeResponse,
    ResetMidHeaders,
    ResetMidBody,
    StallMidHeaders,
}

/// A canned response (or failure) for a [`Route`](super::Route).
///
/// Build one with [`Reply::status`], [`Reply::json`] or [`Reply::bytes`], then
/// adjust it with the builder methods. Unless a failure mode is chosen, the
/// response carries a `Content-Length` computed from the body (no body and no
/// `Content-Length` for `1xx`, `204` and `304`, as HTTP requires), followed by
/// the reply's own headers, written in one buffered write.
///
/// The failure modes ([`close_before_response`](Reply::close_before_response),
/// [`close_mid_body`](Reply::close_mid_body), [`never_respond`](Reply::never_respond),
/// [`reset_before_response`](Reply::reset_before_response),
/// [`reset_mid_headers`](Reply::reset_mid_headers), [`reset_mid_body`](Reply::reset_mid_body),
/// [`stall_mid_headers`](Reply::stall_mid_headers)) are mutually exclusive: the last one set
/// wins. [`delay`](Reply::delay) and [`drip`](Reply::drip) combine with everything.
///
/// ```no_run
/// use std::time::Duration;
/// use clerk_backend_api::testing::Reply;
///
/// let slow = Reply::json(200, r#"{"ok":true}"#)
///     .header("X-Request-Id", "req_1")
///     .delay(Duration::from_millis(50));
/// let broken = Reply::json(200, r#"{"id":"user_1"}"#).close_mid_body();
/// # let _ = (slow, broken);
/// ```
#[derive(Clone, Debug)]
pub struct Reply {
    pub(super) status: u16,
    pub(super) headers: Vec<(String, String)>,
    pub(super) body: Vec<u8>,
    pub(super) delay: Duration,
    pub(super) drip: Option<Duration>,
    pub(super) fault: Fault,
    /// The reply carries its own `Content-Length` header.
    pub(super) own_length: bool,
    /// The reply carries `Connection: close`.
    pub(super) closes: bool,
    /// The body and header values hold placeholders filled from the request.
    pub(super) echo: bool,
}

impl Reply {
    /// A reply with the given status code and an empty body.
    #[must_use]
    pub fn status(status: u16) -> Self {
        Self {
            status,
            headers: Vec::new(),
            body: Vec::new(),
            delay: Duration::ZERO,
            drip: None,
            fault: Fault::None,
            own_length: false,
            closes: false,
            echo: false,
        }
    }

    /// A reply with the given status code, `body` as its body and
    /// `Content-Type: application/json`. The body is sent as given, not validated.
    #[must_use]
    pub fn json(status: u16, body: impl Into<String>) -> Self {
        Self::bytes(status, body.into().into_bytes()).header("Content-Type", "application/json")
    }

    /// A reply with the given status code and raw body bytes (no `Content-Type`
    /// unless added with [`header`](Reply::header)).
    #[must_use]
    pub fn bytes(status: u16, body: impl Into<Vec<u8>>) -> Self {
        let mut reply = Self::status(status);
        reply.body = body.into();
        reply
    }

    /// Adds a response header. Repeatable; repeated names are all sent, in order.
    ///
    /// A `Content-Length` set here replaces the computed one (to fake a mismatch),
    /// and `Connection: close` makes the server close the connection after the reply.
    #[must_use]
    pub fn header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        let name = name.into();
        let value = value.into();
        if name.eq_ignore_ascii_case("content-length") {
            self.own_length = true;
        }
        if name.eq_ignore_ascii_case("connection") && has_token(&value, "close") {
            self.closes = true;
        }
        self.headers.push((name, value));
        self
    }

    /// Waits this long after reading the request, before sending anything
    /// (or before closing, for the failure modes). The wait is cut short when the
    /// server shuts down, and the connection is then closed without a response.
    #[must_use]
    pub fn delay(mut self, delay: Duration) -> Self {
        self.delay = delay;
        self
    }

    /// Sends the status line and headers at once, then the body one byte at a
    /// time with `pause` between bytes (a slow server). Cut short by shutdown.
    #[must_use]
    pub fn drip(mut self, pause: Duration) -> Self {
        self.drip = Some(pause);
        self
    }

    /// Failure mode: read the request, then close the connection without sending
    /// a single byte.
    #[must_use]
    pub fn close_before_response(mut self) -> Self {
        self.fault = Fault::CloseBeforeResponse;
        self
    }

    /// Failure mode: send the status line and the headers with the full
    /// `Content-Length`, then half of the body, then close the connection.
    ///
    /// With an empty body the advertised length is 1 (and no body byte is sent),
    /// so the response is truncated either way.
    #[must_use]
    pub fn close_mid_body(mut self) -> Self {
        self.fault = Fault::CloseMidBody;
        self
    }

    /// Failure mode: read the request, then keep the connection open without
    /// answering until the client closes it or the server shuts down (use it to
    /// test client timeouts).
    #[must_use]
    pub fn never_respond(mut self) -> Self {
        self.fault = Fault::NeverRespond;
        self
    }

    /// Failure mode: read the request, then reset the connection (a TCP RST, not an orderly
    /// close) without sending a single byte.
    #[must_use]
    pub fn reset_before_response(mut self) -> Self {
        self.fault = Fault::ResetBeforeResponse;
        self
    }

    /// Failure mode: send the status line and part of the header section (cut inside a
    /// header line), then reset the connection.
    #[must_use]
    pub fn reset_mid_headers(mut self) -> Self {
        self.fault = Fault::ResetMidHeaders;
        self
    }

    /// Failure mode: send the status line, the headers with the full `Content-Length` and
    /// half of the body (as [`close_mid_body`](Reply::close_mid_body)), then reset the
    /// connection.
    #[must_use]
    pub fn reset_mid_body(mut self) -> Self {
        self.fault = Fault::ResetMidBody;
        self
    }

    /// Failure mode: send the status line and part of the header section, then neither
    /// finish the headers nor close, until the client closes the connection or the server
    /// shuts down (headers that never finish).
    #[must_use]
    pub fn stall_mid_headers(mut self) -> Self {
        self.fault = Fault::StallMidHeaders;
        self
    }
}

impl Reply {
    /// Makes the reply echo the request it answers, as a misconfigured proxy or a careless
    /// server might: placeholders in the body and in header values are replaced by what the
    /// request carried.
    ///
    /// - `{{header:NAME}}`: the value of the request header `NAME` (empty when absent);
    /// - `{{credential:NAME}}`: that value after its first space (the key of `Bearer <key>`);
    /// - `{{percent:NAME}}`: that value with every byte percent-encoded (`%42%65...`);
    /// - `{{path}}`: the raw request path; `{{body}}`: the request body as text.
    ///
    /// In the body each value is escaped as the inside of a JSON string (so a JSON template
    /// stays valid JSON); in a header value, CR and LF are dropped. `Content-Length` is
    /// computed from the filled-in body.
    ///
    /// ```no_run
    /// use clerk_backend_api::testing::Reply;
    ///
    /// let echo = Reply::json(422, r#"{"errors":[{"message":"you sent {{header:authorization}}"}]}"#)
    ///     .echo_request();
    /// # let _ = echo;
    /// ```
    #[must_use]
    pub fn echo_request(mut self) -> Self {
        self.echo = true;
        self
    }

    /// This reply with its placeholders filled from `request`.
    pub(super) fn filled(&self, request: &RecordedRequest) -> Reply {
        let mut reply = self.clone();
        reply.echo = false;
        let body = String::from_utf8_lossy(&self.body);
        reply.body = fill(&body, request, json_escape).into_bytes();
        for (_, value) in &mut reply.headers {
            *value = fill(value, request, |v| v.replace(['\r', '\n'], ""));
        }
        reply
    }
}

/// `template` with each `{{...}}` placeholder replaced by `escape(value)`; unknown
/// placeholders are kept.
fn fill(template: &str, request: &RecordedRequest, escape: impl Fn(&str) -> String) -> String {
    let mut out = String::with_capacity(template.len());
    let mut rest = template;
    while let Some(open) = rest.find("{{") {
        out.push_str(&rest[..open]);
        let after = &rest[open + 2..];
        let Some(close) = after.find("}}") else {
            out.push_str(&rest[open..]);
            return out;
        };
        let name = &after[..close];
        let header = |n: &str| request.header(n).unwrap_or("").to_owned();
        let value = match name.split_once(':') {
            Some(("header", n)) => Some(header(n)),
            Some(("credential", n)) => {
                let v = header(n);
                Some(v.split_once(' ').map_or(v.clone(), |(_, c)| c.to_owned()))
            }
            Some(("percent", n)) => Some(header(n).bytes().map(|b| format!("%{b:02X}")).collect()),
            _ if name == "path" => Some(request.path.clone()),
            _ if name == "body" => Some(String::from_utf8_lossy(&request.body).into_owned()),
            _ => None,
        };
        match value {
            Some(v) => out.push_str(&escape(&v)),
            None => out.push_str(&rest[open..open + 2 + close + 2]),
        }
        rest = &after[close + 2..];
    }
    out.push_str(rest);
    out
}

/// `value` escaped as the inside of a JSON string.
fn json_escape(value: &str) -> String {
    let quoted = serde_json::Value::String(value.to_owned()).to_string();
    quoted[1..quoted.len() - 1].to_owned()
}

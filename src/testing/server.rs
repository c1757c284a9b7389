//! The loopback HTTP/1.1 mock server: [`MockServer`], [`Route`], [`Reply`] and
//! [`RecordedRequest`].

use std::collections::HashMap;
use std::fmt;
use std::io::{self, BufRead, BufReader, Read, Write};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use std::panic::{self, AssertUnwindSafe};
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Condvar, Mutex, MutexGuard, PoisonError};
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};

/// Read/write timeout on accepted sockets: how often a blocked connection
/// thread looks at the shutdown flag.
const POLL: Duration = Duration::from_millis(100);
/// Slice for the interruptible sleeps (`delay`, `drip`).
const SLICE: Duration = Duration::from_millis(10);
/// Pause between sending part of a response and resetting the connection, so the client has
/// read the part before the reset arrives.
const RESET_PAUSE: Duration = Duration::from_millis(20);
/// How long `drop` waits for connection threads to finish.
const DROP_WAIT: Duration = Duration::from_millis(500);
/// Longest accepted request line, header line or chunk-size line.
const MAX_LINE: u64 = 64 * 1024;
/// Most header lines accepted in one request (or chunked trailer).
const MAX_HEADERS: usize = 256;
/// Largest up-front allocation for a request body.
const MAX_PREALLOC: usize = 1 << 20;

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

// ---------------------------------------------------------------------------
// Reply
// ---------------------------------------------------------------------------

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Fault {
    None,
    CloseBeforeResponse,
    CloseMidBody,
    NeverRespond,
    ResetBeforeResponse,
    ResetMidHeaders,
    ResetMidBody,
    StallMidHeaders,
}

/// A canned response (or failure) for a [`Route`].
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
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
    delay: Duration,
    drip: Option<Duration>,
    fault: Fault,
    /// The reply carries its own `Content-Length` header.
    own_length: bool,
    /// The reply carries `Connection: close`.
    closes: bool,
    /// The body and header values hold placeholders filled from the request.
    echo: bool,
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
    fn filled(&self, request: &RecordedRequest) -> Reply {
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

fn has_token(value: &str, token: &str) -> bool {
    value
        .split(',')
        .any(|t| t.trim().eq_ignore_ascii_case(token))
}

// ---------------------------------------------------------------------------
// RecordedRequest
// ---------------------------------------------------------------------------

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

/// One request as the [`MockServer`] received it (see [`MockServer::requests`]).
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

fn hex_value(b: u8) -> Option<u8> {
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

// ---------------------------------------------------------------------------
// Shared state
// ---------------------------------------------------------------------------

/// A reply computed per request (see [`Route::respond_with`]).
type Handler = Arc<dyn Fn(&RecordedRequest) -> Reply + Send + Sync>;

/// One entry in a route's sequence of replies: canned, or computed per request.
#[derive(Clone)]
enum Responder {
    Canned(Arc<Reply>),
    Computed(Handler),
}

struct RouteEntry {
    id: u64,
    method: String,
    path: String,
    query: Vec<(String, String)>,
    replies: Vec<Responder>,
    served: usize,
    /// Serve the replies in a loop instead of repeating the last one.
    cycle: bool,
}

#[derive(Default)]
struct State {
    /// In registration order; matched newest first.
    routes: Vec<RouteEntry>,
    requests: Vec<RecordedRequest>,
}

struct Shared {
    shutdown: AtomicBool,
    recording: AtomicBool,
    request_count: AtomicUsize,
    connection_count: AtomicUsize,
    active_connections: AtomicUsize,
    next_route_id: AtomicU64,
    state: Mutex<State>,
    /// Notified (with `state` locked) each time `request_count` goes up.
    arrived: Condvar,
    /// Clones of the open connections' sockets, so shutdown can wake blocked reads.
    connections: Mutex<HashMap<u64, TcpStream>>,
}

impl Shared {
    fn is_shutdown(&self) -> bool {
        self.shutdown.load(Ordering::SeqCst)
    }

    /// Sleeps for `duration` in small slices; `false` if shutdown cut it short.
    fn sleep(&self, duration: Duration) -> bool {
        // `None`: so far away that it never comes (a `Duration::MAX` delay, say).
        let deadline = Instant::now().checked_add(duration);
        loop {
            if self.is_shutdown() {
                return false;
            }
            let now = Instant::now();
            if deadline.is_some_and(|d| now >= d) {
                return true;
            }
            thread::sleep(deadline.map_or(SLICE, |d| SLICE.min(d - now)));
        }
    }

    /// Records the request (when recording) and picks the reply for it. A computed reply
    /// ([`Route::respond_with`]) is computed after the server's lock is released, so the
    /// handlers of concurrent requests run concurrently.
    fn dispatch(&self, request: RecordedRequest) -> Arc<Reply> {
        let handler = {
            let mut state = lock(&self.state);
            self.request_count.fetch_add(1, Ordering::SeqCst);
            self.arrived.notify_all();
            let recording = self.recording.load(Ordering::SeqCst);
            let handler = match find_reply(&mut state.routes, &request) {
                Some(Responder::Computed(handler)) => handler,
                picked => {
                    let reply = match picked {
                        Some(Responder::Canned(reply)) if reply.echo => {
                            Arc::new(reply.filled(&request))
                        }
                        Some(Responder::Canned(reply)) => reply,
                        _ => Arc::new(no_route_reply(&request.method, &request.path)),
                    };
                    if recording {
                        state.requests.push(request);
                    }
                    return reply;
                }
            };
            if recording {
                state.requests.push(request.clone());
            }
            handler
        };
        let reply = match panic::catch_unwind(AssertUnwindSafe(|| handler(&request))) {
            Ok(reply) if reply.echo => reply.filled(&request),
            Ok(reply) => reply,
            Err(_) => Reply::json(
                500,
                error_body(
                    "mock handler panicked",
                    format!(
                        "MockServer's handler for {} {} panicked",
                        request.method, request.path
                    ),
                    "mock_handler_panicked",
                ),
            ),
        };
        Arc::new(reply)
    }
}

fn find_reply(routes: &mut [RouteEntry], request: &RecordedRequest) -> Option<Responder> {
    let mut pairs: Option<Vec<(String, String)>> = None;
    for route in routes.iter_mut().rev() {
        if route.replies.is_empty() || route.method != request.method || route.path != request.path
        {
            continue;
        }
        if !route.query.is_empty() {
            let pairs = pairs.get_or_insert_with(|| request.query_pairs());
            if !route.query.iter().all(|wanted| pairs.contains(wanted)) {
                continue;
            }
        }
        let index = if route.cycle {
            route.served % route.replies.len()
        } else {
            route.served.min(route.replies.len() - 1)
        };
        route.served = route.served.saturating_add(1);
        return Some(route.replies[index].clone());
    }
    None
}

fn error_body(message: &str, long_message: String, code: &str) -> String {
    serde_json::json!({
        "errors": [{ "message": message, "long_message": long_message, "code": code }]
    })
    .to_string()
}

fn no_route_reply(method: &str, path: &str) -> Reply {
    Reply::json(
        404,
        error_body(
            "no mock route",
            format!("MockServer has no route for {method} {path}"),
            "mock_no_route",
        ),
    )
}

// ---------------------------------------------------------------------------
// MockServer and Route
// ---------------------------------------------------------------------------

/// A loopback HTTP/1.1 server with canned replies, for tests and benchmarks.
///
/// [`start`](MockServer::start) binds `127.0.0.1` on a free port and serves each
/// accepted connection on its own thread, with keep-alive. Register routes with
/// [`on`](MockServer::on), point the client at [`url`](MockServer::url), and look
/// at [`requests`](MockServer::requests) afterwards. Dropping the server stops it
/// promptly: the port is closed and its threads exit, including ones in the middle
/// of a [`Reply::delay`] or [`Reply::never_respond`].
///
/// Route matching: a request matches a route when its method equals the route's
/// exactly, its raw (still percent-encoded) path equals the route's path, and every
/// [`Route::query`] constraint is among its percent-decoded query pairs. Routes are
/// tried newest first. A route with no reply yet matches nothing. A request that
/// matches no route gets `404` with a Clerk-style error body whose code is
/// `mock_no_route`.
///
/// ```no_run
/// use clerk_backend_api::testing::{MockServer, Reply};
///
/// let mock = MockServer::start();
/// mock.on("GET", "/users").query("limit", "2").reply(Reply::json(200, "[]"));
/// // ... run the client against mock.url() ...
/// assert_eq!(mock.request_count(), 1);
/// assert_eq!(mock.requests()[0].query_pairs(), [("limit".to_owned(), "2".to_owned())]);
/// ```
pub struct MockServer {
    addr: SocketAddr,
    shared: Arc<Shared>,
    accept_thread: Option<JoinHandle<()>>,
}

impl MockServer {
    /// Starts a server on `127.0.0.1` with a port chosen by the OS.
    ///
    /// # Panics
    ///
    /// If the socket cannot be bound or the accept thread cannot be spawned
    /// (see [`try_start`](MockServer::try_start)).
    pub fn start() -> Self {
        match Self::try_start() {
            Ok(server) => server,
            Err(e) => panic!("MockServer::start: cannot listen on 127.0.0.1: {e}"),
        }
    }

    /// Like [`start`](MockServer::start), but returns the error instead of panicking.
    ///
    /// # Errors
    ///
    /// If binding `127.0.0.1:0` or spawning the accept thread fails.
    pub fn try_start() -> io::Result<Self> {
        let listener = TcpListener::bind(("127.0.0.1", 0))?;
        let addr = listener.local_addr()?;
        let shared = Arc::new(Shared {
            shutdown: AtomicBool::new(false),
            recording: AtomicBool::new(true),
            request_count: AtomicUsize::new(0),
            connection_count: AtomicUsize::new(0),
            active_connections: AtomicUsize::new(0),
            next_route_id: AtomicU64::new(0),
            state: Mutex::new(State::default()),
            arrived: Condvar::new(),
            connections: Mutex::new(HashMap::new()),
        });
        let accept_shared = Arc::clone(&shared);
        let accept_thread = thread::Builder::new()
            .name(format!("mock-server-accept-{}", addr.port()))
            .spawn(move || accept_loop(listener, accept_shared))?;
        Ok(Self {
            addr,
            shared,
            accept_thread: Some(accept_thread),
        })
    }

    /// The base URL, `http://127.0.0.1:PORT`, without a trailing slash.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The socket address the server listens on.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Registers a route for `method` (compared exactly) and `path` (compared with
    /// the raw, percent-encoded request path) and returns its handle; add replies
    /// with [`Route::reply`] and query constraints with [`Route::query`]. The new
    /// route takes precedence over every earlier one.
    ///
    /// # Panics
    ///
    /// If `path` contains `?`: use [`Route::query`] for query parameters.
    pub fn on(&self, method: impl Into<String>, path: impl Into<String>) -> Route {
        let method = method.into();
        let path = path.into();
        assert!(
            !path.contains('?'),
            "MockServer::on({method:?}, {path:?}): the path must not contain a query string; \
             use .query(key, value) instead"
        );
        let id = self.shared.next_route_id.fetch_add(1, Ordering::SeqCst);
        lock(&self.shared.state).routes.push(RouteEntry {
            id,
            method,
            path,
            query: Vec::new(),
            replies: Vec::new(),
            served: 0,
            cycle: false,
        });
        Route {
            shared: Arc::clone(&self.shared),
            id,
        }
    }

    /// Every request received since the start (or the last [`reset`](MockServer::reset)),
    /// in order of arrival, except those received while recording was off.
    pub fn requests(&self) -> Vec<RecordedRequest> {
        lock(&self.shared.state).requests.clone()
    }

    /// How many requests were received since the start (or the last
    /// [`reset`](MockServer::reset)); counted even while recording is off.
    pub fn request_count(&self) -> usize {
        self.shared.request_count.load(Ordering::SeqCst)
    }

    /// Waits until at least `n` requests have been received (as
    /// [`request_count`](MockServer::request_count) counts them), or until `timeout` has
    /// passed; returns whether `n` were reached. It does not poll: each arriving request
    /// wakes it.
    ///
    /// A request is counted before its reply is sent, so once a client has read a reply there
    /// is nothing to wait for. A client that gives up on its own (an attempt timeout, a
    /// deadline) can return before the server's connection thread has even read the request:
    /// wait for it before asserting on the count.
    ///
    /// ```no_run
    /// use std::time::Duration;
    /// use clerk_backend_api::testing::{MockServer, Reply};
    ///
    /// let mock = MockServer::start();
    /// mock.on("GET", "/hang").reply(Reply::status(200).never_respond());
    /// // ... a client times out on GET /hang ...
    /// assert!(mock.wait_for_requests(1, Duration::from_secs(10)));
    /// assert_eq!(mock.request_count(), 1);
    /// ```
    pub fn wait_for_requests(&self, n: usize, timeout: Duration) -> bool {
        let state = lock(&self.shared.state);
        let _state = self
            .shared
            .arrived
            .wait_timeout_while(state, timeout, |_| self.request_count() < n)
            .unwrap_or_else(PoisonError::into_inner);
        self.request_count() >= n
    }

    /// How many TCP connections were accepted since the start (not cleared by
    /// [`reset`](MockServer::reset), since open connections outlive it).
    pub fn connection_count(&self) -> usize {
        self.shared.connection_count.load(Ordering::SeqCst)
    }

    /// Turns storing of requests on or off (on at start). With it off, requests
    /// are still counted and answered but not kept: use it for benchmarks.
    pub fn set_recording(&self, recording: bool) {
        self.shared.recording.store(recording, Ordering::SeqCst);
    }

    /// Drops every route and every recorded request and sets
    /// [`request_count`](MockServer::request_count) back to 0. Existing [`Route`]
    /// handles become inert. Connections stay open.
    pub fn reset(&self) {
        let mut state = lock(&self.shared.state);
        state.routes.clear();
        state.requests.clear();
        self.shared.request_count.store(0, Ordering::SeqCst);
    }
}

impl fmt::Debug for MockServer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MockServer")
            .field("addr", &self.addr)
            .field("request_count", &self.request_count())
            .field("connection_count", &self.connection_count())
            .finish_non_exhaustive()
    }
}

impl Drop for MockServer {
    fn drop(&mut self) {
        let shared = &self.shared;
        shared.shutdown.store(true, Ordering::SeqCst);
        // Wake every connection thread blocked in a read or write.
        for stream in lock(&shared.connections).values() {
            let _ = stream.shutdown(Shutdown::Both);
        }
        // Wake the accept loop so it sees the flag and drops the listener.
        let woke = TcpStream::connect_timeout(&self.addr, Duration::from_secs(1)).is_ok();
        if let Some(handle) = self.accept_thread.take() {
            if woke {
                let _ = handle.join();
            }
        }
        // Connection threads notice the flag within a sleep slice; wait for them,
        // bounded, so a test that drops the server leaves no serving thread behind.
        let deadline = Instant::now() + DROP_WAIT;
        while shared.active_connections.load(Ordering::SeqCst) > 0 && Instant::now() < deadline {
            thread::sleep(Duration::from_millis(1));
        }
    }
}

/// A handle on a route registered with [`MockServer::on`].
///
/// Its methods take `&self` and return a handle on the same route, so they chain:
/// `mock.on("GET", "/x").query("a", "1").reply(r1).reply(r2)`. A handle whose route
/// was removed by [`MockServer::reset`] is inert.
#[derive(Clone)]
pub struct Route {
    shared: Arc<Shared>,
    id: u64,
}

impl Route {
    fn with_entry<T>(&self, f: impl FnOnce(&mut RouteEntry) -> T) -> Option<T> {
        let mut state = lock(&self.shared.state);
        state.routes.iter_mut().find(|r| r.id == self.id).map(f)
    }

    /// Adds a reply. Replies are served in the order added, one per matching
    /// request; once they are used up, the last one is repeated forever.
    pub fn reply(&self, reply: Reply) -> Route {
        let reply = Responder::Canned(Arc::new(reply));
        self.with_entry(|route| route.replies.push(reply));
        self.clone()
    }

    /// Adds a reply computed for each request it answers: `handler` gets the request and
    /// returns the [`Reply`] to send. It takes its turn in the route's sequence like a reply
    /// added with [`reply`](Route::reply) (so `.reply(Reply::status(503)).respond_with(f)`
    /// fails once, then computes every later answer), and it can keep state of its own (a
    /// store of created objects, a rate limit, injected failures) behind a `Mutex` or atomics.
    ///
    /// The handler runs on the connection's thread without the server's lock held, so
    /// requests on different connections run it concurrently. The request is recorded before
    /// the handler runs. A computed reply may use every builder method of [`Reply`], failure
    /// modes and [`echo_request`](Reply::echo_request) included. A handler that panics gets
    /// the client a `500` whose Clerk-style error code is `mock_handler_panicked`.
    ///
    /// ```no_run
    /// use std::sync::atomic::{AtomicUsize, Ordering};
    /// use clerk_backend_api::testing::{MockServer, Reply};
    ///
    /// let mock = MockServer::start();
    /// let next = AtomicUsize::new(1);
    /// mock.on("POST", "/users").respond_with(move |request| {
    ///     let body = request.body_json();
    ///     let id = next.fetch_add(1, Ordering::SeqCst);
    ///     let user = serde_json::json!({ "id": format!("user_{id}"), "external_id": body["external_id"] });
    ///     Reply::json(200, user.to_string())
    /// });
    /// ```
    pub fn respond_with<F>(&self, handler: F) -> Route
    where
        F: Fn(&RecordedRequest) -> Reply + Send + Sync + 'static,
    {
        let handler = Responder::Computed(Arc::new(handler));
        self.with_entry(|route| route.replies.push(handler));
        self.clone()
    }

    /// Adds a query constraint: the route matches only requests whose
    /// percent-decoded query pairs include `(key, value)`. Any number of
    /// constraints may be added; all must hold.
    pub fn query(&self, key: impl Into<String>, value: impl Into<String>) -> Route {
        let pair = (key.into(), value.into());
        self.with_entry(|route| route.query.push(pair));
        self.clone()
    }

    /// Serves the replies in a loop: after the last one, the first one again (instead of
    /// repeating the last forever). With 19 successes and one `503`, one request in twenty
    /// fails, whichever thread sends it.
    pub fn cycle(&self) -> Route {
        self.with_entry(|route| route.cycle = true);
        self.clone()
    }

    /// How many requests this route has answered so far.
    pub fn hits(&self) -> usize {
        self.with_entry(|route| route.served).unwrap_or(0)
    }
}

impl fmt::Debug for Route {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Route")
            .field("id", &self.id)
            .finish_non_exhaustive()
    }
}

// ---------------------------------------------------------------------------
// Accept loop and connections
// ---------------------------------------------------------------------------

fn accept_loop(listener: TcpListener, shared: Arc<Shared>) {
    let mut next_id: u64 = 0;
    for stream in listener.incoming() {
        if shared.is_shutdown() {
            break;
        }
        let stream = match stream {
            Ok(stream) => stream,
            Err(_) => {
                // E.g. out of file descriptors: back off instead of spinning.
                thread::sleep(SLICE);
                continue;
            }
        };
        let id = next_id;
        next_id += 1;
        {
            let mut connections = lock(&shared.connections);
            // Checked under the lock so `drop` cannot miss this connection.
            if shared.is_shutdown() {
                break;
            }
            if let Ok(clone) = stream.try_clone() {
                connections.insert(id, clone);
            }
        }
        shared.connection_count.fetch_add(1, Ordering::SeqCst);
        shared.active_connections.fetch_add(1, Ordering::SeqCst);
        let guard = ConnectionGuard {
            shared: Arc::clone(&shared),
            id,
        };
        // If spawning fails, the closure (and so the guard) is dropped, which
        // undoes the bookkeeping and closes the stream: nothing else to do.
        let _ = thread::Builder::new()
            .name("mock-server-conn".to_owned())
            .spawn(move || connection_thread(stream, guard));
    }
}

fn connection_thread(stream: TcpStream, guard: ConnectionGuard) {
    if let Ending::Reset(stream) = serve_connection(stream, &guard.shared) {
        // Close every handle without `shutdown` (which would send a FIN first); with
        // `SO_LINGER` 0 the last close sends an RST.
        let clone = lock(&guard.shared.connections).remove(&guard.id);
        drop(clone);
        drop(stream);
    }
    // `guard` drops here, unregistering the connection.
}

/// How a connection ended.
enum Ending {
    /// Closed in order (or by an error): already shut down.
    Closed,
    /// To be reset: `SO_LINGER` is 0 on this socket; close it without shutting it down.
    Reset(TcpStream),
}

/// Arms `stream` so that closing it sends an RST, and hands it back for closing.
fn reset(reader: BufReader<Conn>) -> Ending {
    let stream = reader.into_inner().stream;
    let _ = socket2::SockRef::from(&stream).set_linger(Some(Duration::ZERO));
    Ending::Reset(stream)
}

/// Unregisters a connection when its thread ends (even by panic).
struct ConnectionGuard {
    shared: Arc<Shared>,
    id: u64,
}

impl Drop for ConnectionGuard {
    fn drop(&mut self) {
        if let Some(stream) = lock(&self.shared.connections).remove(&self.id) {
            let _ = stream.shutdown(Shutdown::Both);
        }
        self.shared
            .active_connections
            .fetch_sub(1, Ordering::SeqCst);
    }
}

/// The accepted socket, with reads and writes that retry on the socket timeouts
/// until the server shuts down.
struct Conn {
    stream: TcpStream,
    shared: Arc<Shared>,
}

fn is_retryable(e: &io::Error) -> bool {
    matches!(
        e.kind(),
        io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut | io::ErrorKind::Interrupted
    )
}

fn shutdown_error() -> io::Error {
    io::Error::new(io::ErrorKind::ConnectionAborted, "MockServer shut down")
}

impl Read for Conn {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        loop {
            if self.shared.is_shutdown() {
                return Err(shutdown_error());
            }
            match self.stream.read(buf) {
                Err(e) if is_retryable(&e) => continue,
                other => return other,
            }
        }
    }
}

impl Write for Conn {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        loop {
            if self.shared.is_shutdown() {
                return Err(shutdown_error());
            }
            match self.stream.write(buf) {
                Err(e) if is_retryable(&e) => continue,
                other => return other,
            }
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        self.stream.flush()
    }
}

/// Why a request could not be read.
enum ReadError {
    /// The connection failed or ended mid-request: close without answering.
    Io,
    /// The request is malformed: answer 400 and close.
    Bad(&'static str),
}

impl From<io::Error> for ReadError {
    fn from(_: io::Error) -> Self {
        ReadError::Io
    }
}

/// A parsed request plus what the connection loop needs to know about it.
struct Incoming {
    request: RecordedRequest,
    keep_alive: bool,
    http10: bool,
}

fn serve_connection(stream: TcpStream, shared: &Arc<Shared>) -> Ending {
    let _ = stream.set_nodelay(true);
    let _ = stream.set_read_timeout(Some(POLL));
    let _ = stream.set_write_timeout(Some(POLL));
    let mut reader = BufReader::with_capacity(
        16 * 1024,
        Conn {
            stream,
            shared: Arc::clone(shared),
        },
    );
    let mut line = Vec::with_capacity(256);
    let mut out = Vec::with_capacity(1024);
    loop {
        let incoming = match read_request(&mut reader, &mut line) {
            Ok(Some(incoming)) => incoming,
            Ok(None) | Err(ReadError::Io) => break,
            Err(ReadError::Bad(why)) => {
                let reply = Reply::json(
                    400,
                    error_body(
                        "bad request",
                        format!("MockServer could not parse the request: {why}"),
                        "mock_bad_request",
                    ),
                );
                let _ = send_reply(&mut reader, &mut out, &reply, false, false, false);
                break;
            }
        };
        let is_head = incoming.request.method == "HEAD";
        let reply = shared.dispatch(incoming.request);
        if !reply.delay.is_zero() && !shared.sleep(reply.delay) {
            break;
        }
        match reply.fault {
            Fault::CloseBeforeResponse => break,
            Fault::NeverRespond => {
                hold_open(&mut reader);
                break;
            }
            Fault::CloseMidBody => {
                let _ = send_reply(&mut reader, &mut out, &reply, is_head, false, false);
                break;
            }
            Fault::ResetBeforeResponse => return reset(reader),
            Fault::ResetMidHeaders => {
                let sent = send_partial_head(&mut reader, &mut out, &reply).is_ok();
                if sent && shared.sleep(RESET_PAUSE) {
                    return reset(reader);
                }
                break;
            }
            Fault::StallMidHeaders => {
                if send_partial_head(&mut reader, &mut out, &reply).is_ok() {
                    hold_open(&mut reader);
                }
                break;
            }
            Fault::ResetMidBody => {
                let sent = send_reply(&mut reader, &mut out, &reply, is_head, false, false);
                if sent.is_ok() && shared.sleep(RESET_PAUSE) {
                    return reset(reader);
                }
                break;
            }
            Fault::None => {}
        }
        let keep_alive = incoming.keep_alive && !reply.closes;
        if send_reply(
            &mut reader,
            &mut out,
            &reply,
            is_head,
            keep_alive,
            incoming.http10,
        )
        .is_err()
            || !keep_alive
        {
            break;
        }
    }
    let conn = reader.get_ref();
    let _ = conn.stream.shutdown(Shutdown::Both);
    Ending::Closed
}

/// Reads and discards whatever the client sends until it closes the connection
/// or the server shuts down.
fn hold_open(reader: &mut BufReader<Conn>) {
    let mut sink = [0u8; 1024];
    loop {
        match reader.read(&mut sink) {
            Ok(0) | Err(_) => return,
            Ok(_) => {}
        }
    }
}

/// Reads one line (up to `\n`) into `line` without its line ending.
/// `Ok(false)` on a clean end of stream before any byte.
fn read_line(reader: &mut BufReader<Conn>, line: &mut Vec<u8>) -> Result<bool, ReadError> {
    line.clear();
    let n = reader.by_ref().take(MAX_LINE).read_until(b'\n', line)?;
    if n == 0 {
        return Ok(false);
    }
    if line.last() != Some(&b'\n') {
        return Err(if n as u64 >= MAX_LINE {
            ReadError::Bad("line too long")
        } else {
            ReadError::Io
        });
    }
    line.pop();
    if line.last() == Some(&b'\r') {
        line.pop();
    }
    Ok(true)
}

fn is_token(s: &[u8]) -> bool {
    !s.is_empty()
        && s.iter()
            .all(|&b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b))
}

fn read_request(
    reader: &mut BufReader<Conn>,
    line: &mut Vec<u8>,
) -> Result<Option<Incoming>, ReadError> {
    // Request line, tolerating a few stray empty lines before it.
    let mut blank_lines = 0;
    loop {
        if !read_line(reader, line)? {
            return Ok(None);
        }
        if !line.is_empty() {
            break;
        }
        blank_lines += 1;
        if blank_lines > 8 {
            return Err(ReadError::Bad("expected a request line"));
        }
    }
    let mut parts = line.split(|&b| b == b' ');
    let (method, target, version) = match (parts.next(), parts.next(), parts.next(), parts.next()) {
        (Some(m), Some(t), Some(v), None) => (m, t, v),
        _ => return Err(ReadError::Bad("malformed request line")),
    };
    if !is_token(method) {
        return Err(ReadError::Bad("malformed method"));
    }
    if target.is_empty() || target.iter().any(|b| b.is_ascii_control()) {
        return Err(ReadError::Bad("malformed request target"));
    }
    let http10 = match version {
        b"HTTP/1.1" => false,
        b"HTTP/1.0" => true,
        _ => return Err(ReadError::Bad("unsupported HTTP version")),
    };
    let method = String::from_utf8_lossy(method).into_owned();
    let target = String::from_utf8_lossy(target);
    let (path, query) = match target.split_once('?') {
        Some((path, query)) => (path.to_owned(), Some(query.to_owned())),
        None => (target.into_owned(), None),
    };

    let headers = read_headers(reader, line)?;

    let mut content_length: Option<u64> = None;
    let mut chunked = false;
    let mut transfer_encoding = false;
    let mut expect_continue = false;
    let mut close = false;
    let mut keep_alive_token = false;
    for (name, value) in &headers {
        match name.as_str() {
            "content-length" => {
                for part in value.split(',') {
                    let part = part.trim();
                    if part.is_empty() || !part.bytes().all(|b| b.is_ascii_digit()) {
                        return Err(ReadError::Bad("malformed content-length"));
                    }
                    let length: u64 = part
                        .parse()
                        .map_err(|_| ReadError::Bad("malformed content-length"))?;
                    if content_length.is_some_and(|known| known != length) {
                        return Err(ReadError::Bad("conflicting content-length"));
                    }
                    content_length = Some(length);
                }
            }
            "transfer-encoding" => {
                transfer_encoding = true;
                // Only the final coding decides whether the body is chunked.
                if let Some(last) = value.rsplit(',').next() {
                    chunked = last.trim().eq_ignore_ascii_case("chunked");
                }
            }
            "expect" => expect_continue |= value.eq_ignore_ascii_case("100-continue"),
            "connection" => {
                close |= has_token(value, "close");
                keep_alive_token |= has_token(value, "keep-alive");
            }
            _ => {}
        }
    }
    if transfer_encoding && !chunked {
        return Err(ReadError::Bad("unsupported transfer-encoding"));
    }

    if expect_continue && !http10 {
        reader
            .get_mut()
            .write_all(b"HTTP/1.1 100 Continue\r\n\r\n")?;
    }

    let mut body = Vec::new();
    if chunked {
        read_chunked_body(reader, line, &mut body)?;
    } else if let Some(length) = content_length {
        read_exact_body(reader, length, &mut body)?;
    }

    let keep_alive = if http10 { keep_alive_token } else { !close };
    Ok(Some(Incoming {
        request: RecordedRequest {
            method,
            path,
            query,
            headers,
            body,
        },
        keep_alive,
        http10,
    }))
}

fn read_headers(
    reader: &mut BufReader<Conn>,
    line: &mut Vec<u8>,
) -> Result<Vec<(String, String)>, ReadError> {
    let mut headers = Vec::new();
    loop {
        if !read_line(reader, line)? {
            return Err(ReadError::Io);
        }
        if line.is_empty() {
            return Ok(headers);
        }
        if headers.len() >= MAX_HEADERS {
            return Err(ReadError::Bad("too many headers"));
        }
        let colon = match line.iter().position(|&b| b == b':') {
            Some(colon) => colon,
            None => return Err(ReadError::Bad("malformed header line")),
        };
        let name = &line[..colon];
        if !is_token(name) {
            return Err(ReadError::Bad("malformed header name"));
        }
        let value = String::from_utf8_lossy(&line[colon + 1..]);
        headers.push((
            String::from_utf8_lossy(name).to_ascii_lowercase(),
            value.trim_matches([' ', '\t']).to_owned(),
        ));
    }
}

fn read_exact_body(
    reader: &mut BufReader<Conn>,
    length: u64,
    body: &mut Vec<u8>,
) -> Result<(), ReadError> {
    let prealloc = usize::try_from(length)
        .unwrap_or(usize::MAX)
        .min(MAX_PREALLOC);
    body.reserve(prealloc);
    let read = reader.by_ref().take(length).read_to_end(body)?;
    if read as u64 != length {
        return Err(ReadError::Io);
    }
    Ok(())
}

fn read_chunked_body(
    reader: &mut BufReader<Conn>,
    line: &mut Vec<u8>,
    body: &mut Vec<u8>,
) -> Result<(), ReadError> {
    loop {
        if !read_line(reader, line)? {
            return Err(ReadError::Io);
        }
        let size_end = line.iter().position(|&b| b == b';').unwrap_or(line.len());
        let digits = line[..size_end].trim_ascii();
        if digits.is_empty() || digits.len() > 15 {
            return Err(ReadError::Bad("malformed chunk size"));
        }
        let mut size: u64 = 0;
        for &digit in digits {
            match hex_value(digit) {
                Some(value) => size = size * 16 + u64::from(value),
                None => return Err(ReadError::Bad("malformed chunk size")),
            }
        }
        if size == 0 {
            // Trailer section: ignored.
            for _ in 0..=MAX_HEADERS {
                if !read_line(reader, line)? {
                    return Err(ReadError::Io);
                }
                if line.is_empty() {
                    return Ok(());
                }
            }
            return Err(ReadError::Bad("too many trailers"));
        }
        read_exact_body(reader, size, body)?;
        if !read_line(reader, line)? {
            return Err(ReadError::Io);
        }
        if !line.is_empty() {
            return Err(ReadError::Bad("missing CRLF after chunk data"));
        }
    }
}

// ---------------------------------------------------------------------------
// Responses
// ---------------------------------------------------------------------------

fn reason(status: u16) -> &'static str {
    ureq::http::StatusCode::from_u16(status)
        .ok()
        .and_then(|c| c.canonical_reason())
        .unwrap_or("Unknown")
}

/// Writes `reply` (or, for [`Fault::CloseMidBody`] and [`Fault::ResetMidBody`], its
/// truncated form). `keep_alive` false adds `Connection: close`; `http10` with keep-alive
/// adds `Connection: keep-alive`.
fn send_reply(
    reader: &mut BufReader<Conn>,
    out: &mut Vec<u8>,
    reply: &Reply,
    is_head: bool,
    keep_alive: bool,
    http10: bool,
) -> io::Result<()> {
    let status = reply.status;
    let bodiless_status = status < 200 || status == 204 || status == 304;
    let truncated = matches!(reply.fault, Fault::CloseMidBody | Fault::ResetMidBody);
    let (length, body): (Option<usize>, &[u8]) = if truncated {
        let half = &reply.body[..reply.body.len() / 2];
        (
            Some(reply.body.len().max(1)),
            if is_head || bodiless_status {
                &[]
            } else {
                half
            },
        )
    } else if bodiless_status {
        (None, &[])
    } else {
        (
            Some(reply.body.len()),
            if is_head { &[] } else { &reply.body },
        )
    };

    write_head(out, reply, length, keep_alive, http10);
    let conn = reader.get_mut();
    match reply.drip {
        None => {
            out.extend_from_slice(body);
            conn.write_all(out)?;
        }
        Some(pause) => {
            conn.write_all(out)?;
            for (i, byte) in body.iter().enumerate() {
                if i > 0 && !conn.shared.sleep(pause) {
                    return Err(shutdown_error());
                }
                conn.write_all(std::slice::from_ref(byte))?;
            }
        }
    }
    conn.flush()
}

/// The status line and headers of `reply`, into `out` (cleared first).
fn write_head(
    out: &mut Vec<u8>,
    reply: &Reply,
    length: Option<usize>,
    keep_alive: bool,
    http10: bool,
) {
    let status = reply.status;
    out.clear();
    let _ = write!(out, "HTTP/1.1 {status} {}\r\n", reason(status));
    if let (Some(length), false) = (length, reply.own_length) {
        let _ = write!(out, "Content-Length: {length}\r\n");
    }
    for (name, value) in &reply.headers {
        out.extend_from_slice(name.as_bytes());
        out.extend_from_slice(b": ");
        out.extend_from_slice(value.as_bytes());
        out.extend_from_slice(b"\r\n");
    }
    if !keep_alive && !reply.closes && reply.fault == Fault::None {
        out.extend_from_slice(b"Connection: close\r\n");
    } else if keep_alive && http10 {
        out.extend_from_slice(b"Connection: keep-alive\r\n");
    }
    out.extend_from_slice(b"\r\n");
}

/// Writes the status line and the header section of `reply` up to the middle of a header
/// line: never the blank line that would end it.
fn send_partial_head(
    reader: &mut BufReader<Conn>,
    out: &mut Vec<u8>,
    reply: &Reply,
) -> io::Result<()> {
    write_head(out, reply, Some(reply.body.len()), false, false);
    let status_line = out.iter().position(|&b| b == b'\n').map_or(0, |i| i + 1);
    // Past the status line, never up to the final CRLF CRLF, and never just after a line
    // ending: the last header line sent is unfinished.
    let mut cut = (out.len() / 2).max(status_line + 4).min(out.len() - 4);
    while cut > status_line && matches!(out[cut - 1], b'\r' | b'\n') {
        cut -= 1;
    }
    let conn = reader.get_mut();
    conn.write_all(&out[..cut])?;
    conn.flush()
}

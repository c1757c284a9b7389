//! The loopback HTTP/1.1 mock server: [`MockServer`] and [`Route`], and the state they share
//! with the connection threads (routes, recorded requests, the reply picked for each request).
//! The replies are in `testing/reply.rs`, the recorded requests in `testing/request.rs`, the
//! HTTP/1.1 wire and fault code in `testing/wire.rs`.

use std::collections::HashMap;
use std::fmt;
use std::io;
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use std::panic::{self, AssertUnwindSafe};
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Condvar, Mutex, MutexGuard, PoisonError};
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};

use super::wire::accept_loop;
use super::{RecordedRequest, Reply};

/// Slice for the interruptible sleeps (`delay`, `drip`).
pub(super) const SLICE: Duration = Duration::from_millis(10);
/// How long `drop` waits for connection threads to finish.
const DROP_WAIT: Duration = Duration::from_millis(500);

pub(super) fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
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

pub(super) struct Shared {
    shutdown: AtomicBool,
    recording: AtomicBool,
    request_count: AtomicUsize,
    pub(super) connection_count: AtomicUsize,
    pub(super) active_connections: AtomicUsize,
    next_route_id: AtomicU64,
    state: Mutex<State>,
    /// Notified (with `state` locked) each time `request_count` goes up.
    arrived: Condvar,
    /// Clones of the open connections' sockets, so shutdown can wake blocked reads.
    pub(super) connections: Mutex<HashMap<u64, TcpStream>>,
}

impl Shared {
    pub(super) fn is_shutdown(&self) -> bool {
        self.shutdown.load(Ordering::SeqCst)
    }

    /// Sleeps for `duration` in small slices; `false` if shutdown cut it short.
    pub(super) fn sleep(&self, duration: Duration) -> bool {
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
    pub(super) fn dispatch(&self, request: RecordedRequest) -> Arc<Reply> {
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

pub(super) fn error_body(message: &str, long_message: String, code: &str) -> String {
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

//! The client: configuration, and the handle every operation starts from.

use std::fmt;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use rand::SeedableRng;
use rand::rngs::SmallRng;

use ureq::http::{HeaderName, HeaderValue, header};

use crate::error::{Error, InvalidRequest, Result};
use crate::log::{LogCrateSink, LogSink};
use crate::rate_limit::{Limiter, RateLimit};
use crate::retry::{Clock, RetryPolicy, SystemClock};
use crate::secret::SecretKey;

/// The production server URL.
pub const DEFAULT_SERVER_URL: &str = "https://api.clerk.com/v1";
/// The API version this crate's models follow, sent as `Clerk-API-Version`.
pub const API_VERSION: &str = "2026-05-12";
/// The default response body size limit: 64 MiB.
pub const DEFAULT_MAX_RESPONSE_BYTES: u64 = 64 * 1024 * 1024;

const USER_AGENT: &str = concat!("clerk-backend-api-rust/", env!("CARGO_PKG_VERSION"));
const SDK_HEADER: &str = concat!("rust/", env!("CARGO_PKG_VERSION"));

/// A client of the Clerk Backend API.
///
/// Cheap to clone (one `Arc`), `Send + Sync`: build one per process and share it. All clones
/// share one connection pool. Its `Debug` shows the server URL, timeouts and retry policy,
/// never the secret key.
///
/// ```no_run
/// use clerk_backend_api::Clerk;
///
/// # fn main() -> clerk_backend_api::Result<()> {
/// let clerk = Clerk::from_env()?;
/// let user = clerk.users().get("user_2abc").send()?;
/// println!("{}", user.id);
/// # Ok(())
/// # }
/// ```
#[derive(Clone)]
pub struct Clerk {
    pub(crate) inner: Arc<Inner>,
}

pub(crate) struct Inner {
    pub(crate) agent: ureq::Agent,
    /// The agent was built here with our timeouts and `http_status_as_error(false)`, so a
    /// request needs no per-request configuration unless a call overrides something.
    pub(crate) owns_agent: bool,
    pub(crate) base_url: String,
    /// The fixed headers of every request, validated once; the authorization value is marked
    /// sensitive.
    pub(crate) headers: [(HeaderName, HeaderValue); 5],
    /// The caller's headers for every request ([`ClerkBuilder::default_header`]), validated.
    pub(crate) default_headers: Vec<(HeaderName, HeaderValue)>,
    pub(crate) api_version: String,
    pub(crate) connect_timeout: Duration,
    pub(crate) timeout: Duration,
    pub(crate) deadline: Option<Duration>,
    pub(crate) retry: RetryPolicy,
    pub(crate) max_response_bytes: u64,
    pub(crate) log: Arc<dyn LogSink>,
    pub(crate) clock: Arc<dyn Clock>,
    pub(crate) rng: Mutex<SmallRng>,
    /// The shared bucket, when the client has a rate limit.
    pub(crate) limiter: Option<Limiter>,
    key: SecretKey,
}

impl Inner {
    /// A uniform sample in `[0, 1)`.
    pub(crate) fn jitter(&self) -> f64 {
        use rand::Rng;
        let mut rng = self.rng.lock().unwrap_or_else(|e| e.into_inner());
        rng.random::<f64>()
    }

    /// The secret key, for redacting echoes of it from responses.
    pub(crate) fn key(&self) -> &str {
        self.key.expose()
    }

    /// A random multipart boundary.
    pub(crate) fn boundary(&self) -> String {
        use rand::Rng;
        let mut rng = self.rng.lock().unwrap_or_else(|e| e.into_inner());
        format!("clerk-rust-{:032x}", rng.random::<u128>())
    }
}

impl Clerk {
    /// A client with the default configuration and this secret key.
    ///
    /// # Errors
    /// [`Error::InvalidRequest`] when the key is empty or does not start with `sk_`.
    pub fn new(secret_key: impl Into<String>) -> Result<Clerk> {
        Clerk::builder(secret_key).build()
    }

    /// A client configured from the environment: `CLERK_SECRET_KEY` (required) and
    /// `CLERK_API_URL` (optional; the server URL, default `https://api.clerk.com/v1`).
    ///
    /// # Errors
    /// [`Error::InvalidRequest`] when `CLERK_SECRET_KEY` is missing or malformed, or when
    /// `CLERK_API_URL` is not a valid `https` URL (or `http` to a loopback host).
    pub fn from_env() -> Result<Clerk> {
        builder_from(|name| std::env::var(name).ok())?.build()
    }

    /// A builder for a client with non-default settings.
    pub fn builder(secret_key: impl Into<String>) -> ClerkBuilder {
        ClerkBuilder::new(secret_key.into())
    }

    /// The server URL requests go to (without a trailing slash).
    pub fn server_url(&self) -> &str {
        &self.inner.base_url
    }
}

impl fmt::Debug for Clerk {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let i = &self.inner;
        f.debug_struct("Clerk")
            .field("server_url", &i.base_url)
            .field("api_version", &i.api_version)
            .field("key", &i.key)
            .field("connect_timeout", &i.connect_timeout)
            .field("timeout", &i.timeout)
            .field("deadline", &i.deadline)
            .field("retry", &i.retry)
            .field("max_response_bytes", &i.max_response_bytes)
            .finish_non_exhaustive()
    }
}

/// A builder from `CLERK_SECRET_KEY` and `CLERK_API_URL`, read through `lookup`.
fn builder_from(lookup: impl Fn(&str) -> Option<String>) -> Result<ClerkBuilder, InvalidRequest> {
    let key = lookup("CLERK_SECRET_KEY")
        .filter(|k| !k.is_empty())
        .ok_or_else(|| InvalidRequest::new("CLERK_SECRET_KEY is not set"))?;
    let mut builder = Clerk::builder(key);
    if let Some(url) = lookup("CLERK_API_URL").filter(|u| !u.trim().is_empty()) {
        builder = builder.server_url(url);
    }
    Ok(builder)
}

/// Configures a [`Clerk`] client. Made by [`Clerk::builder`].
///
/// ```no_run
/// use std::time::Duration;
/// use clerk_backend_api::{Clerk, RetryPolicy};
///
/// # fn main() -> clerk_backend_api::Result<()> {
/// let clerk = Clerk::builder("sk_test_123")
///     .timeout(Duration::from_secs(20))
///     .deadline(Duration::from_secs(60))
///     .retry_policy(RetryPolicy::default().with_max_retries(5))
///     .build()?;
/// # Ok(())
/// # }
/// ```
#[must_use = "a builder does nothing until .build()"]
pub struct ClerkBuilder {
    key: String,
    server_url: String,
    api_version: String,
    connect_timeout: Duration,
    timeout: Duration,
    deadline: Option<Duration>,
    retry: RetryPolicy,
    agent: Option<ureq::Agent>,
    log: Arc<dyn LogSink>,
    clock: Arc<dyn Clock>,
    seed: Option<u64>,
    max_response_bytes: u64,
    allow_insecure_http: bool,
    rate_limit: Option<RateLimit>,
    default_headers: Vec<(String, String)>,
}

impl fmt::Debug for ClerkBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClerkBuilder")
            .field("server_url", &self.server_url)
            .field("api_version", &self.api_version)
            .field("connect_timeout", &self.connect_timeout)
            .field("timeout", &self.timeout)
            .field("deadline", &self.deadline)
            .field("retry", &self.retry)
            .field("rate_limit", &self.rate_limit)
            .finish_non_exhaustive()
    }
}

impl ClerkBuilder {
    fn new(key: String) -> Self {
        ClerkBuilder {
            key,
            server_url: DEFAULT_SERVER_URL.to_owned(),
            api_version: API_VERSION.to_owned(),
            connect_timeout: Duration::from_secs(10),
            timeout: Duration::from_secs(60),
            deadline: None,
            retry: RetryPolicy::default(),
            agent: None,
            log: Arc::new(LogCrateSink),
            clock: Arc::new(SystemClock),
            seed: None,
            max_response_bytes: DEFAULT_MAX_RESPONSE_BYTES,
            allow_insecure_http: false,
            rate_limit: None,
            default_headers: Vec::new(),
        }
    }

    /// The server URL, default `https://api.clerk.com/v1`. Operation paths are appended to it.
    ///
    /// A plain `http://` URL is refused at [`build`](Self::build) unless its host is a loopback
    /// address (`localhost`, `127.0.0.0/8`, `[::1]`), so the key never crosses a network
    /// unencrypted by mistake; see [`allow_insecure_http`](Self::allow_insecure_http).
    pub fn server_url(mut self, url: impl Into<String>) -> Self {
        self.server_url = url.into();
        self
    }

    /// The `Clerk-API-Version` header, default [`API_VERSION`]. The models follow that
    /// version; another one may answer in shapes they do not expect.
    pub fn api_version(mut self, version: impl Into<String>) -> Self {
        self.api_version = version.into();
        self
    }

    /// How long to wait for a connection (TCP and TLS), default 10 s. The host lookup before
    /// it counts against [`timeout`](Self::timeout) only.
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// The budget of one attempt, from connecting to the last byte of the body, default 60 s.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// The budget of a whole call, retries and waits included. None by default: then a call
    /// is bounded by the attempt timeout × (1 + `max_retries`) plus the waits.
    pub fn deadline(mut self, deadline: Duration) -> Self {
        self.deadline = Some(deadline);
        self
    }

    /// A client-side rate limit, off by default: every attempt of every call (retries
    /// included) through this client and all its clones, on any thread, takes a token from one
    /// shared bucket, waiting for it on the client's clock with no lock held. When a call gets
    /// a `429` with `Retry-After`, every call of the client waits until then. A wait that
    /// would pass the call's deadline fails it at once with the deadline error.
    ///
    /// ```
    /// use clerk_backend_api::{Clerk, RateLimit};
    ///
    /// # fn main() -> clerk_backend_api::Result<()> {
    /// let clerk = Clerk::builder("sk_test_...")
    ///     .rate_limit(RateLimit::clerk_development()) // 100 requests per 10 s
    ///     .build()?;
    /// # Ok(())
    /// # }
    /// ```
    pub fn rate_limit(mut self, limit: RateLimit) -> Self {
        self.rate_limit = Some(limit);
        self
    }

    /// A header sent with every call (a call's own `.header()` of the same name replaces
    /// it). Validated at [`build`](Self::build): a name that is not valid, a value with CR or
    /// LF, or one of the SDK's own headers (`Authorization`, `Clerk-API-Version`,
    /// `User-Agent`, `X-Clerk-SDK`, and those of the transport) is an
    /// [`Error::InvalidRequest`].
    pub fn default_header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.default_headers.push((name.into(), value.into()));
        self
    }

    /// The retry policy of every call (a call can override it). Default: [`RetryPolicy::default`].
    pub fn retry_policy(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
        self
    }

    /// Sends requests through this `ureq` agent (proxies, custom TLS roots, extra middleware).
    ///
    /// The client still sets, per request, its own timeouts, turns `http_status_as_error`
    /// off so that error bodies reach the error mapper, and turns redirects off (a `3xx` is
    /// an [`Error::Api`] naming the `Location` host).
    pub fn agent(mut self, agent: ureq::Agent) -> Self {
        self.agent = Some(agent);
        self
    }

    /// Where this client's log events go. Default: [`LogCrateSink`], the `log` facade.
    pub fn log_sink(mut self, sink: impl LogSink + 'static) -> Self {
        self.log = Arc::new(sink);
        self
    }

    /// The clock used for retry waits and deadlines. Tests pass a fake one
    /// (`testing::FakeClock`) so that no test sleeps for real.
    pub fn clock(mut self, clock: impl Clock + 'static) -> Self {
        self.clock = Arc::new(clock);
        self
    }

    /// Seeds the retry jitter (and multipart boundaries), for reproducible tests. By default
    /// the seed comes from the operating system.
    pub fn jitter_seed(mut self, seed: u64) -> Self {
        self.seed = Some(seed);
        self
    }

    /// The largest response body accepted, default 64 MiB. A larger body ends the call with
    /// [`Error::Decode`] instead of exhausting memory.
    pub fn max_response_bytes(mut self, limit: u64) -> Self {
        self.max_response_bytes = limit;
        self
    }

    /// Allows a plain `http://` server URL whose host is not a loopback address.
    ///
    /// Only for a trusted proxy on a private link that terminates TLS itself: the secret key
    /// travels in clear text to that host.
    pub fn allow_insecure_http(mut self, allow: bool) -> Self {
        self.allow_insecure_http = allow;
        self
    }

    /// Builds the client.
    ///
    /// # Errors
    /// [`Error::InvalidRequest`] when the key is empty or not an `sk_` key, when the server URL
    /// is malformed or plain `http` to a non-loopback host, or when the API version contains
    /// characters not allowed in a header. The error never echoes the key.
    pub fn build(self) -> Result<Clerk> {
        let key = SecretKey::new(self.key)?;
        let base_url = check_server_url(&self.server_url, self.allow_insecure_http)?;
        if self.api_version.is_empty() || !is_header_safe(&self.api_version) {
            return Err(Error::InvalidRequest(InvalidRequest::new(
                "the API version must be a non-empty header value without control characters",
            )));
        }
        let default_headers = self
            .default_headers
            .iter()
            .map(|(name, value)| crate::http::custom_header(name, value))
            .collect::<Result<Vec<_>, _>>()?;
        let owns_agent = self.agent.is_none();
        let agent = self.agent.unwrap_or_else(|| {
            let config = ureq::Agent::config_builder()
                .http_status_as_error(false)
                .timeout_connect(Some(self.connect_timeout.min(self.timeout)))
                .timeout_global(Some(self.timeout))
                // Redirects are never followed: the Clerk API does not redirect, and a write
                // answered 3xx must not come back as done (see `http::redirect_host`).
                .max_redirects(0)
                // ureq keeps 3 idle connections per host by default: too few for a client
                // shared by a thread pool, where every miss is a new TLS handshake.
                .max_idle_connections(64)
                .max_idle_connections_per_host(64)
                .build();
            // ureq's default resolver: stable API only (ARCHITECTURE.md, "Timeouts and DNS").
            ureq::Agent::new_with_config(config)
        });
        let rng = match self.seed {
            Some(seed) => SmallRng::seed_from_u64(seed),
            None => SmallRng::seed_from_u64(random_seed()),
        };
        let header_error = || InvalidRequest::new("a header value is not valid");
        let mut auth = HeaderValue::try_from(format!("Bearer {}", key.expose()))
            .map_err(|_| header_error())?;
        auth.set_sensitive(true);
        let version =
            HeaderValue::try_from(self.api_version.as_str()).map_err(|_| header_error())?;
        let headers = [
            (header::AUTHORIZATION, auth),
            (HeaderName::from_static("clerk-api-version"), version),
            (header::USER_AGENT, HeaderValue::from_static(USER_AGENT)),
            (
                HeaderName::from_static("x-clerk-sdk"),
                HeaderValue::from_static(SDK_HEADER),
            ),
            (header::ACCEPT, HeaderValue::from_static("application/json")),
        ];
        Ok(Clerk {
            inner: Arc::new(Inner {
                agent,
                owns_agent,
                base_url,
                headers,
                default_headers,
                api_version: self.api_version,
                connect_timeout: self.connect_timeout,
                timeout: self.timeout,
                deadline: self.deadline,
                retry: self.retry,
                max_response_bytes: self.max_response_bytes,
                log: self.log,
                clock: self.clock,
                rng: Mutex::new(rng),
                limiter: self.rate_limit.map(Limiter::new),
                key,
            }),
        })
    }
}

/// A seed that differs between processes and clients: std's hash keys come from the operating
/// system's random source once per thread, and each `RandomState` after the first steps them.
fn random_seed() -> u64 {
    use std::hash::{BuildHasher, Hasher};
    let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
    hasher.write_u64(
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos() as u64),
    );
    hasher.finish()
}

/// A header value must be visible ASCII or spaces: no CR, LF or other control characters.
pub(crate) fn is_header_safe(value: &str) -> bool {
    value
        .bytes()
        .all(|b| b == b' ' || b == b'\t' || b.is_ascii_graphic())
}

fn check_server_url(url: &str, allow_insecure_http: bool) -> Result<String, InvalidRequest> {
    let url = url.trim_end_matches('/');
    let bad = || InvalidRequest::new("the server URL must be an absolute http(s) URL");
    let uri: ureq::http::Uri = url.parse().map_err(|_| bad())?;
    let host = uri.host().ok_or_else(bad)?;
    if uri.query().is_some() || url.contains('#') {
        return Err(InvalidRequest::new(
            "the server URL must not have a query or fragment",
        ));
    }
    match uri.scheme_str() {
        Some("https") => {}
        Some("http") if allow_insecure_http || is_loopback(host) => {}
        Some("http") => {
            return Err(InvalidRequest::new(
                "refusing plain http to a non-loopback host: the secret key would travel \
                 unencrypted (use https, or ClerkBuilder::allow_insecure_http for a trusted proxy)",
            ));
        }
        _ => return Err(bad()),
    }
    Ok(url.to_owned())
}

fn is_loopback(host: &str) -> bool {
    let host = host.trim_start_matches('[').trim_end_matches(']');
    if host.eq_ignore_ascii_case("localhost") {
        return true;
    }
    host.parse::<std::net::IpAddr>()
        .map(|ip| ip.is_loopback())
        .unwrap_or(false)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unseeded_clients_draw_different_jitter_and_boundaries() {
        let client = || Clerk::new("sk_test_x").unwrap();
        let (a, b) = (client(), client());
        assert_ne!(a.inner.boundary(), b.inner.boundary());
        assert_ne!(a.inner.jitter(), b.inner.jitter());
        assert_ne!(random_seed(), random_seed());
        // Seeded ones repeat, for tests.
        let seeded = || Clerk::builder("sk_test_x").jitter_seed(3).build().unwrap();
        assert_eq!(seeded().inner.boundary(), seeded().inner.boundary());
    }

    #[test]
    fn from_env_reads_the_key_and_the_url() {
        let env = |vars: &'static [(&'static str, &'static str)]| {
            move |name: &str| {
                vars.iter()
                    .find(|(k, _)| *k == name)
                    .map(|(_, v)| v.to_string())
            }
        };
        let err = builder_from(env(&[])).unwrap_err();
        assert_eq!(err.message(), "CLERK_SECRET_KEY is not set");
        assert!(builder_from(env(&[("CLERK_SECRET_KEY", "")])).is_err());
        let clerk = builder_from(env(&[("CLERK_SECRET_KEY", "sk_test_env")]))
            .unwrap()
            .build()
            .unwrap();
        assert_eq!(clerk.server_url(), DEFAULT_SERVER_URL);
        let clerk = builder_from(env(&[
            ("CLERK_SECRET_KEY", "sk_test_env"),
            ("CLERK_API_URL", "http://127.0.0.1:9/v1/"),
        ]))
        .unwrap()
        .build()
        .unwrap();
        assert_eq!(clerk.server_url(), "http://127.0.0.1:9/v1");
        let blank_url = builder_from(env(&[
            ("CLERK_SECRET_KEY", "sk_test_env"),
            ("CLERK_API_URL", " "),
        ]));
        assert_eq!(
            blank_url.unwrap().build().unwrap().server_url(),
            DEFAULT_SERVER_URL
        );
        let err = builder_from(env(&[("CLERK_SECRET_KEY", "pk_test_env")]))
            .unwrap()
            .build()
            .unwrap_err();
        assert!(!format!("{err} {err:?}").contains("pk_test_env"));
    }

    #[test]
    fn loopback_http_is_allowed_and_remote_http_is_not() {
        for ok in [
            "http://127.0.0.1:8080",
            "http://localhost/v1",
            "http://[::1]:9/",
            "https://api.clerk.com/v1",
            "http://127.1.2.3",
        ] {
            assert!(check_server_url(ok, false).is_ok(), "{ok}");
        }
        for bad in [
            "http://api.clerk.com/v1",
            "http://10.0.0.1",
            "http://localhost.evil.com",
            "ftp://x",
            "api.clerk.com",
            "",
            "https://api.clerk.com/v1?x=1",
        ] {
            assert!(check_server_url(bad, false).is_err(), "{bad}");
        }
        assert!(check_server_url("http://proxy.internal", true).is_ok());
        assert_eq!(
            check_server_url("https://api.clerk.com/v1/", false).unwrap(),
            "https://api.clerk.com/v1"
        );
    }
}

//! Helpers shared by the integration tests: a client wired to a mock, a fake clock and a
//! capturing sink; an independent multipart parser (multer); temp files; HTTP dates.

#![allow(dead_code)] // each test crate uses a different subset

use std::error::Error as _;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use clerk_backend_api::log::{LogEvent, RetryReason};
use clerk_backend_api::testing::{CaptureSink, FakeClock, MockServer, RecordedRequest};
use clerk_backend_api::{Clerk, ClerkBuilder, Error};

pub const KEY: &str = "sk_test_integration_KEY123";

/// A client for `url` with the test key, a fake clock, seeded jitter and a capturing sink.
pub struct Harness {
    pub clerk: Clerk,
    pub clock: FakeClock,
    pub sink: CaptureSink,
}

pub fn builder_for(url: &str, clock: &FakeClock, sink: &CaptureSink) -> ClerkBuilder {
    Clerk::builder(KEY)
        .server_url(url)
        .clock(clock.clone())
        .jitter_seed(7)
        .log_sink(sink.clone())
}

/// The harness with extra builder settings.
pub fn harness_with(url: &str, f: impl FnOnce(ClerkBuilder) -> ClerkBuilder) -> Harness {
    let clock = FakeClock::new();
    let sink = CaptureSink::new();
    let clerk = f(builder_for(url, &clock, &sink))
        .build()
        .expect("the test client builds");
    Harness { clerk, clock, sink }
}

pub fn harness(mock: &MockServer) -> Harness {
    harness_with(&mock.url(), |b| b)
}

/// A loopback URL nobody listens on: bind port 0, read the port, close the listener.
pub fn refused_url() -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1:0");
    let port = listener.local_addr().expect("local addr").port();
    drop(listener);
    format!("http://127.0.0.1:{port}")
}

/// The requests the mock recorded, as `"METHOD /raw/path"`.
pub fn method_paths(requests: &[RecordedRequest]) -> Vec<String> {
    requests
        .iter()
        .map(|r| format!("{} {}", r.method, r.path))
        .collect()
}

pub fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
    list.iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect()
}

/// How many `RequestSent` events the sink captured (one per attempt that was sent).
pub fn count_sent(sink: &CaptureSink) -> usize {
    sink.events()
        .iter()
        .filter(|e| matches!(e, LogEvent::RequestSent { .. }))
        .count()
}

/// The reasons of every `RetryScheduled` event, in order.
pub fn retry_reasons(sink: &CaptureSink) -> Vec<RetryReason> {
    sink.events()
        .iter()
        .filter_map(|e| match e {
            LogEvent::RetryScheduled { reason, .. } => Some(*reason),
            _ => None,
        })
        .collect()
}

/// The `(attempts, reason)` of every `GaveUp` event.
pub fn gave_up(sink: &CaptureSink) -> Vec<(u32, RetryReason)> {
    sink.events()
        .iter()
        .filter_map(|e| match e {
            LogEvent::GaveUp {
                attempts, reason, ..
            } => Some((*attempts, *reason)),
            _ => None,
        })
        .collect()
}

/// `Display` and `Debug` of the error and of every source in its chain.
pub fn error_text(e: &Error) -> String {
    let mut text = format!("{e}\n{e:?}\n");
    let mut source = e.source();
    while let Some(s) = source {
        text.push_str(&format!("{s}\n{s:?}\n"));
        source = s.source();
    }
    text
}

// ---------------------------------------------------------------------------
// Every `log` record of every crate, at every level
// ---------------------------------------------------------------------------

/// One record the `log` facade received.
#[derive(Debug, Clone)]
pub struct LogRecord {
    pub level: log::Level,
    pub target: String,
    pub message: String,
    /// The thread that logged it: tests running in parallel log into the same recorder.
    pub thread: std::thread::ThreadId,
}

static LOG_RECORDS: Mutex<Vec<LogRecord>> = Mutex::new(Vec::new());

struct Recorder;

impl log::Log for Recorder {
    fn enabled(&self, _: &log::Metadata<'_>) -> bool {
        true
    }
    fn log(&self, record: &log::Record<'_>) {
        LOG_RECORDS
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push(LogRecord {
                level: record.level(),
                target: record.target().to_owned(),
                message: record.args().to_string(),
                thread: std::thread::current().id(),
            });
    }
    fn flush(&self) {}
}

/// Installs (once per test binary) a logger that keeps every record at `trace` and above.
pub fn record_all_logs() {
    static INSTALL: std::sync::Once = std::sync::Once::new();
    INSTALL.call_once(|| {
        log::set_logger(&Recorder).expect("no other logger in this test binary");
        log::set_max_level(log::LevelFilter::Trace);
    });
}

/// Every record kept so far.
pub fn log_records() -> Vec<LogRecord> {
    LOG_RECORDS
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .clone()
}

/// Panics unless `e` is `Error::InvalidRequest`.
pub fn assert_invalid(e: &Error) {
    assert!(
        matches!(e, Error::InvalidRequest(_)),
        "expected InvalidRequest, got {e:?}"
    );
}

// ---------------------------------------------------------------------------
// Multipart, parsed with multer (an independent implementation)
// ---------------------------------------------------------------------------

#[derive(Debug, Clone, PartialEq)]
pub struct Part {
    pub name: Option<String>,
    pub file_name: Option<String>,
    pub content_type: Option<String>,
    pub data: Vec<u8>,
}

/// Parses a recorded `multipart/form-data` body with `multer`.
pub fn parse_multipart(content_type: &str, body: &[u8]) -> Vec<Part> {
    let boundary = multer::parse_boundary(content_type)
        .unwrap_or_else(|e| panic!("no boundary in {content_type:?}: {e}"));
    let owned = body.to_vec();
    let stream = futures_util::stream::once(async move { Ok::<Vec<u8>, std::io::Error>(owned) });
    futures_executor::block_on(async move {
        let mut multipart = multer::Multipart::new(stream, boundary);
        let mut parts = Vec::new();
        while let Some(field) = multipart
            .next_field()
            .await
            .unwrap_or_else(|e| panic!("multer rejected the body: {e}"))
        {
            let name = field.name().map(str::to_owned);
            let file_name = field.file_name().map(str::to_owned);
            let content_type = field.content_type().map(|m| m.to_string());
            let data = field
                .bytes()
                .await
                .unwrap_or_else(|e| panic!("multer could not read a field: {e}"))
                .to_vec();
            parts.push(Part {
                name,
                file_name,
                content_type,
                data,
            });
        }
        parts
    })
}

// ---------------------------------------------------------------------------
// Temp files
// ---------------------------------------------------------------------------

/// A file in the temp directory, removed on drop.
pub struct TempFile {
    pub path: PathBuf,
}

impl TempFile {
    /// Writes `bytes` to a fresh file whose last path component is `name`.
    pub fn new(name: &str, bytes: &[u8]) -> TempFile {
        static COUNTER: AtomicUsize = AtomicUsize::new(0);
        let dir = std::env::temp_dir().join(format!(
            "clerk-backend-api-tests-{}-{}",
            std::process::id(),
            COUNTER.fetch_add(1, Ordering::SeqCst)
        ));
        std::fs::create_dir_all(&dir).expect("create temp dir");
        let path = dir.join(name);
        std::fs::write(&path, bytes).expect("write temp file");
        TempFile { path }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }
}

impl Drop for TempFile {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.path);
        if let Some(dir) = self.path.parent() {
            let _ = std::fs::remove_dir(dir);
        }
    }
}

/// Deterministic pseudo-random bytes (xorshift), so a corrupted byte anywhere shows.
pub fn pattern(len: usize, seed: u64) -> Vec<u8> {
    let mut x = seed | 1;
    (0..len)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            (x >> 24) as u8
        })
        .collect()
}

// ---------------------------------------------------------------------------
// HTTP dates (IMF-fixdate), written here independently of the crate's parser
// ---------------------------------------------------------------------------

/// Formats `t` as `Sun, 06 Nov 1994 08:49:37 GMT`.
pub fn http_date(t: SystemTime) -> String {
    let secs = t.duration_since(UNIX_EPOCH).expect("after 1970").as_secs();
    let days = (secs / 86_400) as i64;
    let rem = secs % 86_400;
    let (h, m, s) = (rem / 3600, (rem % 3600) / 60, rem % 60);
    // 1970-01-01 was a Thursday.
    let weekday = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"][(days % 7) as usize];
    // Civil from days (Howard Hinnant).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    let month_name = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ][(month - 1) as usize];
    format!("{weekday}, {day:02} {month_name} {year} {h:02}:{m:02}:{s:02} GMT")
}

/// Upper bound on real elapsed time for tests that wait for real (timeouts). It only tells a
/// timeout of a second or less from "never" (a server that never answers, a 60 s attempt
/// timeout, a body that would take minutes), so it sits far above anything a busy 2-core
/// machine adds to a sub-second wait.
pub const REAL_TIME_BOUND: Duration = Duration::from_secs(10);

/// The mock's request count once it has received at least `n` requests. A client that gives
/// up on its own (an attempt timeout, a deadline) can return before the server's connection
/// thread has read its last request: wait for it (no polling, see
/// `MockServer::wait_for_requests`) rather than read the count at once. Returns the count, so
/// `assert_eq!(settled_count(&mock, 1), 1)` also catches an extra request.
pub fn settled_count(mock: &MockServer, n: usize) -> usize {
    assert!(
        mock.wait_for_requests(n, REAL_TIME_BOUND),
        "the mock received {} requests, expected at least {n}",
        mock.request_count()
    );
    mock.request_count()
}

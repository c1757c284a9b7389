//! The bulk import example (`examples/bulk_import.rs`) against a `MockServer` that keeps its
//! users, enforces a scaled-down rate limit in real time, and injects `429`s and `503`s.

mod common;

#[allow(dead_code)] // its `main` is not called here
#[path = "../examples/bulk_import.rs"]
mod bulk_import;

use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use bulk_import::{Args, Failure, Outcome, Progress, Report, StoredUser};
use clerk_backend_api::testing::{MockServer, RecordedRequest, Reply};
use clerk_backend_api::{Clerk, RateLimit, RetryPolicy};
use common::TempFile;
use serde_json::Value;

// ---------------------------------------------------------------------------
// The server: a user store, a token bucket, injected failures
// ---------------------------------------------------------------------------

/// The server's own rate limit, a classic token bucket (tokens refill continuously up to
/// `capacity`; a request takes one or is refused with `429`), written independently of the
/// crate's limiter. Measured on arrival, in real time.
struct Bucket {
    rate_per_sec: f64,
    capacity: f64,
    tokens: f64,
    at: Option<Instant>,
}

impl Bucket {
    fn new(requests: u32, per: Duration, capacity: u32) -> Bucket {
        Bucket {
            rate_per_sec: f64::from(requests) / per.as_secs_f64(),
            capacity: f64::from(capacity),
            tokens: f64::from(capacity),
            at: None,
        }
    }

    /// Takes a token at `now`, or says how long until one is there.
    fn admit(&mut self, now: Instant) -> Result<(), Duration> {
        if let Some(at) = self.at {
            let refill = now.saturating_duration_since(at).as_secs_f64() * self.rate_per_sec;
            self.tokens = (self.tokens + refill).min(self.capacity);
        }
        self.at = Some(now);
        if self.tokens >= 1.0 {
            self.tokens -= 1.0;
            Ok(())
        } else {
            Err(Duration::from_secs_f64(
                (1.0 - self.tokens) / self.rate_per_sec,
            ))
        }
    }
}

/// Which failures the server injects, by the row number in the external id `legacy-NNNN`.
fn fails_before_creating(n: usize) -> bool {
    n % 200 == 37 // 503 on the first attempt, nothing created
}
fn fails_after_creating(n: usize) -> bool {
    n % 200 == 91 // created, then 503 (the answer lost): a write that may have landed
}
fn rate_limited_once(n: usize) -> bool {
    n == 600 || n == 1600 // 429 with Retry-After: 1 on the first attempt, nothing created
}
/// The lookup that contains this row fails once with 503 (a GET: the client retries it).
const LOOKUP_FAILS_ONCE_WITH: &str = "legacy-1000";

fn row_number(external_id: &str) -> usize {
    external_id
        .strip_prefix("legacy-")
        .and_then(|n| n.parse().ok())
        .unwrap_or(0)
}

#[derive(Default)]
struct Store {
    /// In creation order.
    users: Vec<StoredUser>,
    /// Users created per external id: every create the server carried out, duplicates too.
    created: HashMap<String, usize>,
    /// Create requests per external id that got past the rate limit.
    attempts: HashMap<String, usize>,
    /// The create bodies, by external id (the last one).
    bodies: HashMap<String, Value>,
    lookup_failed: bool,
}

/// A stand-in for Clerk's user endpoints, with the counters the test reads.
struct Server {
    mock: MockServer,
    store: Arc<Mutex<Store>>,
    /// `429`s of the server's rate limit.
    limited: Arc<AtomicUsize>,
    /// `429`s and `503`s injected on purpose.
    injected: Arc<AtomicUsize>,
}

fn error_reply(status: u16, code: &str) -> Reply {
    Reply::json(status, bulk_import::error_json(code, code))
}

impl Server {
    fn start(bucket: Bucket) -> Server {
        let mock = MockServer::start();
        let store = Arc::new(Mutex::new(Store::default()));
        let limited = Arc::new(AtomicUsize::new(0));
        let injected = Arc::new(AtomicUsize::new(0));
        let bucket = Arc::new(Mutex::new(bucket));
        // Every request first takes a token; a refusal says when to come back, as Clerk does.
        let admit = {
            let limited = Arc::clone(&limited);
            move || -> Option<Reply> {
                let verdict = bucket.lock().unwrap().admit(Instant::now());
                verdict.err().map(|wait| {
                    limited.fetch_add(1, Ordering::SeqCst);
                    let secs = wait.as_secs_f64().ceil().max(1.0) as u64;
                    error_reply(429, "too_many_requests").header("Retry-After", secs.to_string())
                })
            }
        };
        let list_admit = admit.clone();
        let (list_store, list_injected) = (Arc::clone(&store), Arc::clone(&injected));
        mock.on("GET", "/users").respond_with(move |request| {
            if let Some(refused) = list_admit() {
                return refused;
            }
            let mut store = list_store.lock().unwrap();
            let wanted = request.query_pairs();
            if !store.lookup_failed
                && wanted
                    .iter()
                    .any(|(k, v)| k == "external_id" && v == LOOKUP_FAILS_ONCE_WITH)
            {
                store.lookup_failed = true;
                list_injected.fetch_add(1, Ordering::SeqCst);
                return error_reply(503, "service_unavailable");
            }
            Reply::json(200, bulk_import::list_page(request, &store.users))
        });
        let (create_store, create_injected) = (Arc::clone(&store), Arc::clone(&injected));
        mock.on("POST", "/users").respond_with(move |request| {
            if let Some(refused) = admit() {
                return refused;
            }
            create(&create_store, &create_injected, request)
        });
        Server {
            mock,
            store,
            limited,
            injected,
        }
    }

    fn created(&self) -> HashMap<String, usize> {
        self.store.lock().unwrap().created.clone()
    }
}

fn create(store: &Mutex<Store>, injected: &AtomicUsize, request: &RecordedRequest) -> Reply {
    let body = request.body_json();
    let external_id = body["external_id"].as_str().unwrap_or("").to_owned();
    let n = row_number(&external_id);
    let mut store = store.lock().unwrap();
    let attempt = {
        let attempts = store.attempts.entry(external_id.clone()).or_default();
        *attempts += 1;
        *attempts
    };
    store.bodies.insert(external_id.clone(), body.clone());
    if attempt == 1 && rate_limited_once(n) {
        injected.fetch_add(1, Ordering::SeqCst);
        return error_reply(429, "too_many_requests").header("Retry-After", "1");
    }
    if attempt == 1 && fails_before_creating(n) {
        injected.fetch_add(1, Ordering::SeqCst);
        return error_reply(503, "service_unavailable");
    }
    if !body["email_address"][0]
        .as_str()
        .unwrap_or("@")
        .contains('@')
    {
        return error_reply(422, "form_param_format_invalid");
    }
    let id = format!("user_{}", store.users.len());
    let user = StoredUser::new(&id, &body);
    let reply = Reply::json(200, user.json.as_str());
    store.users.push(user);
    *store.created.entry(external_id).or_default() += 1;
    if attempt == 1 && fails_after_creating(n) {
        injected.fetch_add(1, Ordering::SeqCst);
        return error_reply(503, "service_unavailable");
    }
    reply
}

// ---------------------------------------------------------------------------
// The input
// ---------------------------------------------------------------------------

const ROWS: usize = 2000;

/// Rows 1..=2000 (`legacy-0001`...), on lines 2..=2001. Every tenth has a bcrypt digest;
/// rows 250, 750, 1250 and 1750 have an email address the server refuses; row 2000 repeats
/// row 5's external id.
fn users_csv(rows: usize) -> String {
    let mut out =
        String::from("external_id,email,first_name,last_name,password_digest,password_hasher\n");
    for n in 1..=rows {
        let id = if n == 2000 { 5 } else { n };
        let email = if invalid_email(n) {
            format!("user{n}.example.com")
        } else {
            format!("user{n}@example.com")
        };
        let (digest, hasher) = if n % 10 == 0 {
            (
                "$2a$10$N9qo8uLOickgx2ZMRZoMyeIjZAgcfl7p92ldGxad68LJZdL17lhWy",
                "bcrypt",
            )
        } else {
            ("", "")
        };
        out.push_str(&format!(
            "legacy-{id:04},{email},\"Ada, {n}\",Lovelace,{digest},{hasher}\n"
        ));
    }
    out
}

fn invalid_email(n: usize) -> bool {
    n % 500 == 250
}

/// Rows that can be imported: a unique external id and an email address the server takes.
fn valid(n: usize) -> bool {
    n != 2000 && !invalid_email(n)
}

/// The server's rate: 1000 requests a second, so 2,000 rows take about two seconds.
const RATE: u32 = 1000;
const WORKERS: usize = 8;

/// A client as the example builds one (one per run: a rerun is a new process), at the
/// server's rate. Its burst (50) is below the server's bucket (100) by more than the requests
/// that can be in flight at once (one per worker): a request reaches the server after the
/// limiter let it go, and a stalled thread can deliver its one request late, never more.
fn client(url: &str) -> Clerk {
    Clerk::builder(common::KEY)
        .server_url(url)
        .rate_limit(RateLimit::new(RATE, Duration::from_secs(1)).with_burst(50))
        // The injected 503 on a lookup is retried without the default half-second backoff.
        .retry_policy(RetryPolicy::default().with_base_delay(Duration::from_millis(20)))
        .build()
        .unwrap()
}

fn import(server: &Server, csv: &str) -> Report {
    let input = bulk_import::read_users(csv.as_bytes()).unwrap();
    let total = (input.users.len() + input.rejected.len()) as u64;
    let progress = Progress::hidden(total);
    let report = bulk_import::import(&client(&server.mock.url()), input, WORKERS, &progress);
    // Every row was counted once on the progress bar.
    assert_eq!(progress.counts().iter().sum::<u64>(), total);
    report
}

/// `(row number, status, code, outcome)` of each failure.
fn failures(report: &Report) -> Vec<(usize, Option<u16>, String, Outcome)> {
    report
        .failures
        .iter()
        .map(|f| (f.row as usize - 1, f.status, f.code.clone(), f.outcome))
        .collect()
}

fn refused(n: usize) -> (usize, Option<u16>, String, Outcome) {
    (
        n,
        Some(422),
        "form_param_format_invalid".into(),
        Outcome::NotCreated,
    )
}

fn lost(n: usize) -> (usize, Option<u16>, String, Outcome) {
    (n, Some(503), "service_unavailable".into(), Outcome::Unknown)
}

fn duplicate() -> (usize, Option<u16>, String, Outcome) {
    (
        2000,
        None,
        "duplicate_external_id".into(),
        Outcome::NotCreated,
    )
}

// ---------------------------------------------------------------------------
// Tests
// ---------------------------------------------------------------------------

#[test]
fn two_thousand_rows_a_crash_and_reruns_create_every_user_exactly_once() {
    let bucket = Bucket::new(RATE, Duration::from_secs(1), 100);
    let server = Server::start(bucket);
    let csv = users_csv(ROWS);
    let started = Instant::now();

    // Run 1 "crashes" after line 1235: it saw the first 1,234 rows (the last batch half done).
    let first_part: String = csv.lines().take(1235).map(|l| format!("{l}\n")).collect();
    let run1 = import(&server, &first_part);
    let part = 1..=1234;
    let count = |f: &dyn Fn(usize) -> bool| part.clone().filter(|n| f(*n)).count();
    assert_eq!(
        run1.created,
        count(&|n| valid(n) && !fails_before_creating(n)),
        "{run1}"
    );
    // The creates answered 503 after the server created the user were found at the end.
    assert_eq!(run1.confirmed, count(&fails_after_creating), "{run1}");
    assert_eq!(run1.skipped, 0);
    let mut expected: Vec<_> = part
        .clone()
        .filter(|n| invalid_email(*n))
        .map(refused)
        .chain(part.clone().filter(|n| fails_before_creating(*n)).map(lost))
        .collect();
    expected.sort_by_key(|f| f.0);
    assert_eq!(failures(&run1), expected);

    // Run 2, the whole file: skips what run 1 created, creates the rest once.
    let run2 = import(&server, &csv);
    let rest = 1235..=ROWS;
    assert_eq!(run2.skipped, run1.created, "{run2}");
    assert_eq!(
        run2.created,
        count(&fails_before_creating)
            + rest
                .clone()
                .filter(|n| valid(*n) && !fails_before_creating(*n))
                .count(),
        "{run2}"
    );
    let mut expected: Vec<_> = (1..=ROWS)
        .filter(|n| invalid_email(*n))
        .map(refused)
        .chain(rest.clone().filter(|n| fails_before_creating(*n)).map(lost))
        .chain([duplicate()])
        .collect();
    expected.sort_by_key(|f| f.0);
    assert_eq!(failures(&run2), expected);

    // Run 3: only what failed in run 2 for the server's reasons is left to create.
    let run3 = import(&server, &csv);
    let valid_rows = (1..=ROWS).filter(|n| valid(*n)).count();
    assert_eq!(
        run3.created,
        rest.clone().filter(|n| fails_before_creating(*n)).count()
    );
    assert_eq!(run3.skipped, valid_rows - run3.created);
    let mut expected: Vec<_> = (1..=ROWS)
        .filter(|n| invalid_email(*n))
        .map(refused)
        .chain([duplicate()])
        .collect();
    expected.sort_by_key(|f| f.0);
    assert_eq!(failures(&run3), expected);

    // Every valid row created exactly once, across three runs, a crash and lost answers;
    // no other user created.
    let created = server.created();
    for n in (1..=ROWS).filter(|n| valid(*n)) {
        let id = format!("legacy-{n:04}");
        assert_eq!(created.get(&id), Some(&1), "{id}");
    }
    assert_eq!(created.len(), valid_rows);
    assert_eq!(created.values().sum::<usize>(), valid_rows);

    // The injected failures happened (2 429s, 10 + 10 503s on creates, 1 on a lookup) ...
    assert_eq!(server.injected.load(Ordering::SeqCst), 2 + 10 + 10 + 1);
    // ... but the client's limiter, at the server's rate, never met the server's limit.
    assert_eq!(server.limited.load(Ordering::SeqCst), 0);
    // The rate held: each run's bucket starts ~50 requests, then one per millisecond.
    let requests = server.mock.request_count() as u64;
    let elapsed = started.elapsed();
    assert!(
        elapsed >= Duration::from_millis(requests - 3 * 50),
        "{requests} requests in {elapsed:?}"
    );

    // What was sent: the CSV's fields, a digest with its hasher or no password at all.
    let store = server.store.lock().unwrap();
    let with_digest = &store.bodies["legacy-0010"];
    assert_eq!(with_digest["password_hasher"], "bcrypt");
    assert!(
        with_digest["password_digest"]
            .as_str()
            .unwrap()
            .starts_with("$2a$10$")
    );
    assert!(with_digest.get("skip_password_requirement").is_none());
    let without = &store.bodies["legacy-0011"];
    assert_eq!(without["skip_password_requirement"], true);
    assert!(without.get("password_digest").is_none());
    assert_eq!(without["first_name"], "Ada, 11");
    assert_eq!(without["last_name"], "Lovelace");
    assert_eq!(
        without["email_address"],
        serde_json::json!(["user11@example.com"])
    );
}

#[test]
fn the_server_refuses_a_client_without_the_limiter() {
    // The same server, in bursts of 5 refilled at one a minute (so however slowly a busy
    // machine sends them, the 20 lookups come faster than it refills): without a client-side
    // limit they meet its 429s (so the test above would see them if the limiter let too much
    // go).
    let server = Server::start(Bucket::new(1, Duration::from_secs(60), 5));
    let clerk = Clerk::builder(common::KEY)
        .server_url(server.mock.url())
        .retry_policy(RetryPolicy::none())
        .build()
        .unwrap();
    let statuses: Vec<Option<u16>> = (0..20)
        .map(|_| {
            clerk
                .users()
                .list()
                .external_id(["legacy-0001"])
                .send()
                .err()
                .and_then(|e| e.status())
        })
        .collect();
    assert!(statuses[..5].iter().all(Option::is_none), "{statuses:?}");
    let limited = server.limited.load(Ordering::SeqCst);
    assert!(limited >= 5, "{limited} of 20: {statuses:?}");
    assert_eq!(
        statuses.iter().filter(|s| **s == Some(429)).count(),
        limited
    );
}

#[test]
fn the_bucket_refills_at_its_rate_up_to_its_capacity() {
    let t0 = Instant::now();
    let ms = Duration::from_millis;
    let mut bucket = Bucket::new(10, Duration::from_secs(1), 3);
    assert!((0..3).all(|_| bucket.admit(t0).is_ok()));
    let wait = bucket.admit(t0).unwrap_err();
    assert!(wait > ms(99) && wait <= ms(100), "{wait:?}");
    assert!(bucket.admit(t0 + ms(100)).is_ok());
    assert!(bucket.admit(t0 + ms(150)).is_err());
    // A long pause refills no more than the capacity.
    assert!((0..3).all(|_| bucket.admit(t0 + ms(10_000)).is_ok()));
    assert!(bucket.admit(t0 + ms(10_000)).is_err());
}

#[test]
fn the_input_rows_refused_before_sending() {
    let csv = "userId,email,firstName,lastName,password,passwordHasher,extra\n\
               a1,a@example.com,Ada,Lovelace,,,x\n\
               ,b@example.com,,,,,\n\
               a1,c@example.com,,,,,\n\
               a2,\"d@example.com\",\"Grace\nHopper\",,$2a$10$abc,bcrypt,\n\
               a3,too,many,fields,,,,,\n\
               a4\n";
    let input = bulk_import::read_users(csv.as_bytes()).unwrap();
    let users: Vec<(u64, &str, Option<&str>)> = input
        .users
        .iter()
        .map(|(line, u)| (*line, u.external_id.as_str(), u.first_name.as_deref()))
        .collect();
    assert_eq!(
        users,
        [(2, "a1", Some("Ada")), (5, "a2", Some("Grace\nHopper"))]
    );
    // Clerk's migration script's column names are read too; empty fields are absent.
    assert_eq!(input.users[0].1.password_digest, None);
    assert_eq!(
        input.users[1].1.password_digest.as_deref(),
        Some("$2a$10$abc")
    );
    assert_eq!(input.users[1].1.password_hasher.as_deref(), Some("bcrypt"));
    let rejected: Vec<(u64, &str, &str)> = input
        .rejected
        .iter()
        .map(|f| (f.row, f.external_id.as_str(), f.code.as_str()))
        .collect();
    assert_eq!(
        rejected,
        [
            (3, "", "missing_external_id"),
            (4, "a1", "duplicate_external_id"),
            (7, "", "invalid_row"),
            (8, "", "invalid_row"),
        ]
    );
    assert!(
        input.rejected[1].message.contains("line 2"),
        "{:?}",
        input.rejected[1]
    );

    // A file without the key column is refused as a whole, not row by row.
    let err = bulk_import::read_users("email\na@example.com\n".as_bytes()).unwrap_err();
    assert!(err.contains("no external_id"), "{err}");
}

#[test]
fn the_failures_file_has_a_header_and_one_line_per_failure() {
    let mut empty = Vec::new();
    bulk_import::write_failures(&mut empty, &[]).unwrap();
    assert_eq!(
        String::from_utf8(empty).unwrap(),
        "row,external_id,status,code,outcome,message\n"
    );
    let failures = [
        Failure {
            row: 14,
            external_id: "legacy-0013".into(),
            status: Some(422),
            code: "form_param_format_invalid".into(),
            outcome: Outcome::NotCreated,
            message: "clerk api error 422: is invalid, \"quoted\"".into(),
        },
        Failure {
            row: 38,
            external_id: "legacy-0037".into(),
            status: None,
            code: "timeout".into(),
            outcome: Outcome::Unknown,
            message: "request to clerk timed out".into(),
        },
    ];
    let mut out = Vec::new();
    bulk_import::write_failures(&mut out, &failures).unwrap();
    let mut reader = csv::Reader::from_reader(out.as_slice());
    let rows: Vec<Vec<String>> = reader
        .records()
        .map(|r| r.unwrap().iter().map(str::to_owned).collect())
        .collect();
    assert_eq!(
        rows,
        [
            [
                "14",
                "legacy-0013",
                "422",
                "form_param_format_invalid",
                "not_created",
                "clerk api error 422: is invalid, \"quoted\""
            ],
            [
                "38",
                "legacy-0037",
                "",
                "timeout",
                "unknown",
                "request to clerk timed out"
            ],
        ]
    );
}

#[test]
fn the_demo_runs_against_the_mock_without_a_key() {
    let failures = TempFile::new("failures.csv", b"stale");
    let args = Args::parse(
        [
            "--demo-users",
            "450",
            "--rate",
            "100000",
            "--workers",
            "4",
            "--failures",
            failures.path().to_str().unwrap(),
        ]
        .map(String::from),
    )
    .unwrap();
    let (report, mock) = bulk_import::run(&args, None).unwrap();
    let mock = mock.expect("without a key the demo runs against a MockServer");
    // 25 users were there before; rows 13 and 413 have an email address the server refuses.
    assert_eq!(report.skipped, 25, "{report}");
    assert_eq!(report.created, 450 - 25 - 2, "{report}");
    let text = std::fs::read_to_string(failures.path()).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 3, "{text}");
    assert!(lines[1].starts_with("14,legacy-00013,422,form_param_format_invalid,not_created,"));
    assert!(lines[2].starts_with("414,legacy-00413,422,"));
    // Five lookups of up to 100 and one create per new user, with the demo's key.
    let requests = mock.requests();
    let posts = requests.iter().filter(|r| r.method == "POST").count();
    assert_eq!(posts, 450 - 25);
    assert!(
        requests
            .iter()
            .all(|r| r.header("authorization") == Some("Bearer sk_test_bulk_import"))
    );
}

#[test]
fn the_command_line() {
    let parse = |args: &[&str]| Args::parse(args.iter().map(|a| a.to_string()));
    assert_eq!(parse(&[]).unwrap(), Args::default());
    let args = parse(&["users.csv", "--workers", "3", "--rate", "50"]).unwrap();
    assert_eq!(
        args.input.as_deref(),
        Some(std::path::Path::new("users.csv"))
    );
    assert_eq!((args.workers, args.rate), (3, Some(50)));
    assert!(parse(&["--workers", "0"]).unwrap_err().contains("positive"));
    assert!(parse(&["--workers"]).unwrap_err().contains("needs a value"));
    assert!(parse(&["--bogus"]).unwrap_err().contains("unknown option"));
    assert!(
        parse(&["a.csv", "b.csv"])
            .unwrap_err()
            .contains("one input file")
    );
}

//! Throughput of the SDK against a hand-written raw `ureq` loop, in one process, against one
//! loopback `MockServer`. Run with `cargo bench --bench pipeline`.
//!
//! Bodies are compact JSON in the spec's key order, as the API sends them.
//!
//! - get: `users().get(..)` of a 4 KB user (the `USER` fixture), against `agent.get(..).call()` +
//!   `read_json::<Value>()` (ureq 3.5 buffers the body and decodes the slice), and against a
//!   streaming `serde_json::from_reader::<Value>` loop. The raw loop's agent has the client's
//!   timeouts, so both sides pay the same transport.
//! - page: `users().list().limit(100).send()` (one 100-user page) against the same raw loop.
//! - decode: typed decoding of a 500-user list as the SDK does it (UTF-8 checked once, then
//!   `serde_json::from_str::<Vec<User>>`) against `serde_json::from_slice::<Value>`, no network.
//!
//! Each case alternates short baseline and SDK rounds, so that each pair runs under the same
//! conditions on a shared machine, and reports the median rate of each and the median of the
//! per-pair ratios; the ratio is what matters, not the absolute numbers. `BENCH_SECONDS`
//! (default 0.4) sets the length of one round.
//!
//! `pipeline callgrind (raw|sdk) (get|page) N` runs N calls of one side after a warm-up and
//! nothing else, for `valgrind --tool=callgrind`: `scripts/callgrind-pipeline.sh` runs it
//! for two values of N and prints instructions per call.

use std::hint::black_box;
use std::time::{Duration, Instant};

use clerk_backend_api::Clerk;
use clerk_backend_api::models::User;
use clerk_backend_api::testing::{MockServer, Reply, fixtures};
use serde_json::Value;

mod support;

const ROUNDS: usize = 15;
const KEY: &str = "sk_test_benchmark";

fn main() {
    let round = Duration::from_secs_f64(
        std::env::var("BENCH_SECONDS")
            .ok()
            .and_then(|s| s.parse().ok())
            .unwrap_or(0.4),
    );
    let mock = MockServer::start();
    mock.set_recording(false);
    let ids: Vec<String> = (0..500).map(|i| format!("user_{i:027}")).collect();
    let id_refs: Vec<&str> = ids.iter().map(String::as_str).collect();
    // Compact JSON in the spec's key order, as the API sends it.
    let user = fixtures::user_with_id("user_2abc");
    mock.on("GET", "/users/user_2abc")
        .reply(Reply::json(200, user.clone()));
    mock.on("GET", "/users")
        .query("limit", "100")
        .reply(Reply::json(200, fixtures::users_page(&id_refs[..100])));

    let clerk = Clerk::builder(KEY)
        .server_url(mock.url())
        .log_sink(clerk_backend_api::log::NoopSink)
        .build()
        .expect("client");
    // Configured as the client's own agent is (`ClerkBuilder::build`): the same timeouts, so
    // both sides pay what a whole-request timeout costs in `ureq` (the host lookup on a
    // thread of its own), no redirects and the same idle pool. A raw loop without any
    // timeout is not what anyone should run in production, and would not be like for like.
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_connect(Some(Duration::from_secs(10)))
        .timeout_global(Some(Duration::from_secs(60)))
        .max_redirects(0)
        .max_idle_connections(64)
        .max_idle_connections_per_host(64)
        .build()
        .new_agent();
    let auth = format!("Bearer {KEY}");
    let get_url = format!("{}/users/user_2abc", mock.url());
    let page_url = format!("{}/users?limit=100", mock.url());

    let sdk_get = || {
        black_box(clerk.users().get("user_2abc").send().expect("sdk get"));
    };
    let sdk_page = || {
        let users = clerk.users().list().limit(100).send().expect("sdk page");
        assert_eq!(users.len(), 100);
        black_box(users);
    };

    // The baseline: ureq's own `read_json`, which buffers a body with a Content-Length and
    // decodes the slice.
    let raw = |url: &str| {
        let mut resp = agent
            .get(url)
            .header("authorization", &auth)
            .header("accept", "application/json")
            .call()
            .expect("raw call");
        black_box(resp.body_mut().read_json::<Value>().expect("raw decode"));
    };
    // A second, weaker baseline: streaming `serde_json::from_reader` over the body reader.
    let raw_streaming = |url: &str| {
        let mut resp = agent
            .get(url)
            .header("authorization", &auth)
            .call()
            .expect("raw call");
        let v: Value = serde_json::from_reader(resp.body_mut().as_reader()).expect("raw decode");
        black_box(v);
    };

    let args = support::positional_args();
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    match args.as_slice() {
        [] => {}
        ["callgrind", side, case, n] => {
            let n: u64 = n.parse().expect("N: a number of calls");
            let call: Box<dyn Fn()> = match (*side, *case) {
                ("raw", "get") => Box::new(|| raw(&get_url)),
                ("raw", "page") => Box::new(|| raw(&page_url)),
                ("sdk", "get") => Box::new(sdk_get),
                ("sdk", "page") => Box::new(sdk_page),
                _ => usage(),
            };
            // A warm-up (the connection, the first allocations), then N calls, nothing else.
            for _ in 0..20 {
                call();
            }
            for _ in 0..n {
                call();
            }
            println!("{side} {case}: {} calls", n + 20);
            return;
        }
        _ => usage(),
    }

    println!(
        "user fixture: {} bytes; 100-user page: {} bytes; round: {:?} x {ROUNDS}",
        user.len(),
        fixtures::users_page(&id_refs[..100]).len(),
        round
    );

    let get = compare(round, || raw(&get_url), sdk_get);
    // Parity: with the same timeouts, both sides pay the same transport (the host lookup on a
    // thread of its own, the mock server's work), which dominates a 4 KB get; the SDK's own
    // work shows in instructions (scripts/callgrind-pipeline.sh: 0.56x the raw loop's).
    report("get (4 KB user)", "raw ureq read_json::<Value>", get, 0.9);
    let get_streaming = compare(round, || raw_streaming(&get_url), sdk_get);
    report(
        "get (4 KB user)",
        "raw ureq from_reader::<Value>",
        get_streaming,
        1.2,
    );

    let page = compare(round, || raw(&page_url), sdk_page);
    report("page (100 users)", "raw ureq read_json::<Value>", page, 1.8);

    let big = fixtures::users_page(&id_refs);
    let bytes = big.as_bytes();
    let decode = compare(
        round,
        || {
            black_box(serde_json::from_slice::<Value>(bytes).expect("value"));
        },
        || {
            // What `send()` does: validate UTF-8 once, then parse from `&str`.
            let text = std::str::from_utf8(bytes).expect("utf-8");
            black_box(serde_json::from_str::<Vec<User>>(text).expect("typed"));
        },
    );
    report("decode (500 users, in memory)", "Value", decode, 1.25);
}

fn usage() -> ! {
    eprintln!("usage: pipeline [callgrind (raw|sdk) (get|page) N]");
    std::process::exit(2);
}

/// Median rates (calls per second) of the baseline and the candidate, and the median of the
/// ratios of adjacent rounds, measured in alternating rounds after a warm-up.
fn compare(round: Duration, mut baseline: impl FnMut(), mut candidate: impl FnMut()) -> Measured {
    rate(round / 2, &mut baseline);
    rate(round / 2, &mut candidate);
    let mut b = Vec::with_capacity(ROUNDS);
    let mut c = Vec::with_capacity(ROUNDS);
    let mut ratios = Vec::with_capacity(ROUNDS);
    for i in 0..ROUNDS {
        // Alternate which side goes first, so neither always runs on a warmer machine.
        let (rb, rc) = if i % 2 == 0 {
            let rb = rate(round, &mut baseline);
            (rb, rate(round, &mut candidate))
        } else {
            let rc = rate(round, &mut candidate);
            (rate(round, &mut baseline), rc)
        };
        b.push(rb);
        c.push(rc);
        ratios.push(rc / rb);
    }
    Measured {
        baseline: support::median(b),
        candidate: support::median(c),
        ratio: support::median(ratios),
    }
}

struct Measured {
    baseline: f64,
    candidate: f64,
    ratio: f64,
}

fn rate(round: Duration, f: &mut impl FnMut()) -> f64 {
    let start = Instant::now();
    let mut n = 0u64;
    while start.elapsed() < round {
        f();
        n += 1;
    }
    n as f64 / start.elapsed().as_secs_f64()
}

fn report(name: &str, baseline: &str, m: Measured, target: f64) {
    let verdict = if m.ratio >= target { "met" } else { "MISSED" };
    println!(
        "{name:30} {baseline:>30}: {:>8.0}/s   sdk: {:>8.0}/s   ratio {:.2} (target >= {target}: {verdict})",
        m.baseline, m.candidate, m.ratio
    );
}

//! What a per-request host lookup costs on a keep-alive workload. Run with
//! `cargo bench --bench resolve`.
//!
//! `ureq` 3 resolves the host before every request, pooled connection or not, and when a
//! whole-request timeout is in force (the client's `timeout`, `ureq`'s `timeout_global`) its
//! default resolver does so on a new thread. This bench sends many sequential
//! `users().get(..)` calls (a 4 KB user) through one client to one loopback `MockServer`, so
//! every call after the first reuses the pooled connection, with the server addressed as
//! `127.0.0.1` (the standard library parses the literal: no `getaddrinfo`) and as `localhost`
//! (a real `getaddrinfo` through `/etc/hosts`). Three clients:
//!
//! - `cached`: a caller's agent whose resolver answers from a one-entry cache after the first
//!   lookup (what the crate's own agent did until issue 12, through `ureq::unversioned`);
//! - `default`: a caller's agent with `ureq`'s default resolver, configured the same way;
//! - `sdk`: the client's own agent, as `Clerk::builder(..).build()` makes it.
//!
//! `cached` and `default` are both passed through `ClerkBuilder::agent`, so both carry the
//! same per-request configuration and differ only by the resolver. `cached` is built here with
//! `ureq::unversioned` (outside ureq's semver, dev-only code): if a ureq minor release changes
//! that module, fix this file; the library does not use it.
//!
//! Modes:
//! - no argument: wall clock. Each pair alternates short rounds (`BENCH_SECONDS`, default
//!   0.4, × 15) in this one process and reports the median rates and the median per-pair
//!   difference in µs per call.
//! - `callgrind CLIENT HOST N`: N calls of one client after a warm-up, nothing else, for
//!   `valgrind --tool=callgrind`. Run it with two values of N and divide the difference of
//!   the "Collected" totals by the difference of N: the per-call count, free of start-up.
//!   Callgrind counts user-space instructions of every thread (the mock server's too, equal
//!   for every client), not the kernel's work (thread creation, file reads), which only the
//!   wall clock shows.
//! - `parts`: the two costs on their own, by wall clock: a `to_socket_addrs` lookup of each
//!   host, and a thread spawned and joined through a channel (as `ureq` does).

use std::fmt;
use std::hint::black_box;
use std::net::ToSocketAddrs;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use clerk_backend_api::Clerk;
use clerk_backend_api::testing::{MockServer, Reply, fixtures};
use ureq::config::Config;
use ureq::http::Uri;
use ureq::unversioned::resolver::{DefaultResolver, ResolvedSocketAddrs, Resolver};
use ureq::unversioned::transport::{DefaultConnector, NextTimeout};

mod support;

const ROUNDS: usize = 15;
const KEY: &str = "sk_test_benchmark";
const HOSTS: [&str; 2] = ["127.0.0.1", "localhost"];

fn main() {
    let args = support::positional_args();
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    match args.as_slice() {
        [] => wall_clock(),
        ["parts"] => parts(),
        ["callgrind", client, host, n] => {
            let n: u64 = n.parse().expect("N: a number of calls");
            let mock = server();
            let clerk = client_for(client, &url(&mock, host));
            for _ in 0..20 {
                get(&clerk);
            }
            for _ in 0..n {
                get(&clerk);
            }
            println!(
                "{client} {host}: {} calls over {} connection(s)",
                n + 20,
                mock.connection_count()
            );
        }
        _ => {
            eprintln!(
                "usage: resolve [parts | callgrind (cached|default|sdk) (127.0.0.1|localhost) N]"
            );
            std::process::exit(2);
        }
    }
}

fn server() -> MockServer {
    let mock = MockServer::start();
    mock.set_recording(false);
    mock.on("GET", "/users/user_2abc")
        .reply(Reply::json(200, fixtures::user_with_id("user_2abc")));
    mock
}

fn url(mock: &MockServer, host: &str) -> String {
    format!("http://{host}:{}", mock.addr().port())
}

fn get(clerk: &Clerk) {
    black_box(clerk.users().get("user_2abc").send().expect("get"));
}

/// A client of kind `kind` for the server at `url`.
fn client_for(kind: &str, url: &str) -> Clerk {
    let builder = Clerk::builder(KEY)
        .server_url(url)
        .log_sink(clerk_backend_api::log::NoopSink);
    // The client's own defaults: 10 s connect, 60 s per attempt (whole-request timers).
    let config = || {
        ureq::Agent::config_builder()
            .http_status_as_error(false)
            .timeout_connect(Some(Duration::from_secs(10)))
            .timeout_global(Some(Duration::from_secs(60)))
            .build()
    };
    let builder = match kind {
        "cached" => builder.agent(ureq::Agent::with_parts(
            config(),
            DefaultConnector::default(),
            CachingResolver::default(),
        )),
        "default" => builder.agent(ureq::Agent::new_with_config(config())),
        "sdk" => builder,
        other => panic!("unknown client {other:?}: cached, default or sdk"),
    };
    builder.build().expect("client")
}

fn wall_clock() {
    let round = Duration::from_secs_f64(
        std::env::var("BENCH_SECONDS")
            .ok()
            .and_then(|s| s.parse().ok())
            .unwrap_or(0.4),
    );
    let mock = server();
    println!(
        "sequential users().get (4 KB user) on one pooled connection; round {round:?} x {ROUNDS}"
    );
    for host in HOSTS {
        let u = url(&mock, host);
        let cached = client_for("cached", &u);
        for other in ["default", "sdk"] {
            let candidate = client_for(other, &u);
            let m = compare(round, || get(&cached), || get(&candidate));
            println!("{host:>9}  cached vs {other:7}: {m}");
        }
    }
}

fn parts() {
    let round = Duration::from_secs(1);
    for host in HOSTS {
        let r = rate(round, &mut || {
            black_box((host, 443).to_socket_addrs().expect("lookup").next());
        });
        println!("{host:>9}  to_socket_addrs: {:7.1} µs", 1e6 / r);
    }
    let config = Config::default();
    for host in HOSTS {
        let uri: Uri = format!("http://{host}:8080/v1").parse().expect("uri");
        for (name, after) in [
            (
                "no timeout",
                ureq::unversioned::transport::time::Duration::NotHappening,
            ),
            ("60 s timeout", Duration::from_secs(60).into()),
        ] {
            let timeout = NextTimeout {
                after,
                reason: ureq::Timeout::Global,
                ..NextTimeout::default()
            };
            let r = rate(round, &mut || {
                black_box(
                    DefaultResolver::default()
                        .resolve(&uri, &config, timeout)
                        .expect("resolve"),
                );
            });
            println!("{host:>9}  DefaultResolver, {name}: {:7.1} µs", 1e6 / r);
        }
    }
    let r = rate(round, &mut || {
        let (tx, rx) = std::sync::mpsc::sync_channel(1);
        std::thread::spawn(move || tx.send(black_box(1u8)).ok());
        black_box(rx.recv_timeout(Duration::from_secs(60)).expect("thread"));
    });
    println!("thread spawn + channel: {:7.1} µs", 1e6 / r);
}

/// Median rates of the baseline and the candidate, and the median difference of their
/// per-call times over adjacent rounds, measured in alternating rounds after a warm-up.
fn compare(round: Duration, mut baseline: impl FnMut(), mut candidate: impl FnMut()) -> Measured {
    rate(round / 2, &mut baseline);
    rate(round / 2, &mut candidate);
    let (mut b, mut c, mut d) = (vec![], vec![], vec![]);
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
        d.push(1e6 / rc - 1e6 / rb);
    }
    Measured {
        baseline: support::median(b),
        candidate: support::median(c),
        extra_us: support::median(d),
    }
}

struct Measured {
    baseline: f64,
    candidate: f64,
    extra_us: f64,
}

impl fmt::Display for Measured {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{:6.0}/s ({:5.1} µs) vs {:6.0}/s ({:5.1} µs): {:+5.1} µs per call",
            self.baseline,
            1e6 / self.baseline,
            self.candidate,
            1e6 / self.candidate,
            self.extra_us
        )
    }
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

/// `ureq`'s resolver behind a one-entry cache of the last host's addresses (30 s).
#[derive(Default)]
struct CachingResolver {
    inner: DefaultResolver,
    entry: Mutex<Option<(String, ResolvedSocketAddrs, Instant)>>,
}

impl fmt::Debug for CachingResolver {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CachingResolver").finish_non_exhaustive()
    }
}

impl Resolver for CachingResolver {
    fn resolve(
        &self,
        uri: &Uri,
        config: &Config,
        timeout: NextTimeout,
    ) -> Result<ResolvedSocketAddrs, ureq::Error> {
        let (Some(scheme), Some(authority)) = (uri.scheme_str(), uri.authority()) else {
            return self.inner.resolve(uri, config, timeout);
        };
        let now = Instant::now();
        if let Some((k, addrs, expires)) = &*self.entry.lock().unwrap() {
            if k.strip_prefix(scheme).and_then(|r| r.strip_prefix("://"))
                == Some(authority.as_str())
                && now < *expires
            {
                return Ok(addrs.clone());
            }
        }
        let addrs = self.inner.resolve(uri, config, timeout)?;
        let key = format!("{scheme}://{authority}");
        *self.entry.lock().unwrap() = Some((key, addrs.clone(), now + Duration::from_secs(30)));
        Ok(addrs)
    }
}

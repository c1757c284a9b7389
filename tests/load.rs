//! Load: one `Clerk` shared by 8 threads, 500 calls each, against a server that answers one
//! request in twenty with `503`. Every call ends in a user or a typed error, retries account
//! for every `503`, the connections show pooling, and the run ends. Waits are on a fake
//! clock, so the run takes as long as the requests do.

mod common;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, mpsc};
use std::thread;
use std::time::Duration;

use clerk_backend_api::log::LogEvent;
use clerk_backend_api::testing::{FakeClock, MockServer, Reply, fixtures};
use clerk_backend_api::{Clerk, Error};

const THREADS: usize = 8;
const CALLS: usize = 500;
/// One reply in this many is a `503`.
const PERIOD: usize = 20;

#[derive(Debug, Default)]
struct Tally {
    ok: usize,
    unavailable: usize,
}

#[test]
fn eight_threads_share_one_client_through_injected_503s() {
    let mock = MockServer::start();
    // Counting continues; 4,000+ recorded requests would only cost memory.
    mock.set_recording(false);
    let route = mock.on("GET", "/users/user_load").reply(Reply::json(
        503,
        r#"{"errors":[{"code":"service_unavailable","message":"try later"}]}"#,
    ));
    for _ in 1..PERIOD {
        route.reply(Reply::json(200, fixtures::user_with_id("user_load")));
    }
    route.cycle();

    let retries = Arc::new(AtomicUsize::new(0));
    let counted = retries.clone();
    let clock = FakeClock::new();
    let clerk = Clerk::builder(common::KEY)
        .server_url(mock.url())
        .clock(clock.clone())
        .jitter_seed(11)
        .log_sink(move |e: &LogEvent| {
            if matches!(e, LogEvent::RetryScheduled { .. }) {
                counted.fetch_add(1, Ordering::Relaxed);
            }
        })
        .build()
        .unwrap();

    let (done, finished) = mpsc::channel();
    let workers: Vec<_> = (0..THREADS)
        .map(|_| {
            let clerk = clerk.clone();
            let done = done.clone();
            thread::spawn(move || {
                let mut tally = Tally::default();
                for _ in 0..CALLS {
                    match clerk.users().get("user_load").send() {
                        Ok(user) => {
                            assert_eq!(user.id, "user_load");
                            tally.ok += 1;
                        }
                        Err(Error::Api(e)) if e.status() == 503 => tally.unavailable += 1,
                        Err(other) => panic!("an unexpected error: {other:?}"),
                    }
                }
                let _ = done.send(());
                tally
            })
        })
        .collect();
    // The run ends: a generous bound, only against a hang (not a speed test).
    for _ in 0..THREADS {
        finished
            .recv_timeout(Duration::from_secs(300))
            .expect("a worker did not finish: the run hangs");
    }
    let tallies: Vec<Tally> = workers
        .into_iter()
        .map(|w| w.join().expect("a worker panicked"))
        .collect();

    let calls = THREADS * CALLS;
    let ok: usize = tallies.iter().map(|t| t.ok).sum();
    let failed: usize = tallies.iter().map(|t| t.unavailable).sum();
    assert_eq!(
        ok + failed,
        calls,
        "every call ended in a result or a typed error"
    );

    let requests = mock.request_count();
    let served_503 = requests.div_ceil(PERIOD);
    let retries = retries.load(Ordering::Relaxed);
    // Every 503 was retried, except one that ended a call after its last attempt.
    assert_eq!(retries, served_503 - failed, "{requests} requests");
    assert_eq!(requests, calls + retries);
    assert_eq!(clock.sleeps().len(), retries);

    let connections = mock.connection_count();
    assert!(
        connections <= 2 * THREADS,
        "{connections} connections for {THREADS} threads: not pooled"
    );
    eprintln!(
        "load: {calls} calls, {ok} ok, {failed} errors, {requests} requests, \
         {served_503} injected 503s, {retries} retries, {connections} connections"
    );
}

//! The one retry loop: what is retried for which method, how long it waits (on a fake clock,
//! with seeded jitter), `Retry-After`, deadlines, and real (short) attempt timeouts.

mod common;

use std::io::Cursor;
use std::time::{Duration, Instant, SystemTime};

use clerk_backend_api::log::{LogEvent, RetryReason};
use clerk_backend_api::testing::{MockServer, Reply, fixtures};
use clerk_backend_api::{Error, FilePart, RetryPolicy};

use common::{
    REAL_TIME_BOUND, count_sent, gave_up, harness, harness_with, http_date, refused_url,
    retry_reasons, settled_count,
};

const MS: fn(u64) -> Duration = Duration::from_millis;
const SECS: fn(u64) -> Duration = Duration::from_secs;

fn unavailable() -> Reply {
    Reply::json(
        503,
        r#"{"errors":[{"code":"service_unavailable","message":"try later"}]}"#,
    )
}

fn server_error() -> Reply {
    Reply::json(
        500,
        r#"{"errors":[{"code":"internal_clerk_error","message":"oops"}]}"#,
    )
}

fn rate_limited(retry_after: &str) -> Reply {
    Reply::json(
        429,
        r#"{"errors":[{"code":"too_many_requests","message":"slow down"}]}"#,
    )
    .header("Retry-After", retry_after)
}

/// The attempt numbers of the `RequestSent` events.
fn attempts(sink: &clerk_backend_api::testing::CaptureSink) -> Vec<u32> {
    sink.events()
        .iter()
        .filter_map(|e| match e {
            LogEvent::RequestSent { attempt, .. } => Some(*attempt),
            _ => None,
        })
        .collect()
}

// ---------------------------------------------------------------------------
// What is retried
// ---------------------------------------------------------------------------

#[test]
fn a_post_answered_500_is_sent_exactly_once() {
    let mock = MockServer::start();
    mock.on("POST", "/users")
        .reply(server_error())
        .reply(Reply::json(200, fixtures::USER));
    let h = harness(&mock);
    let err = h.clerk.users().create().first_name("A").send().unwrap_err();
    assert_eq!(err.status(), Some(500));
    assert!(err.is_retryable(), "the caller may retry; the SDK did not");
    assert_eq!(mock.request_count(), 1);
    assert!(h.clock.sleeps().is_empty());
    assert_eq!(gave_up(&h.sink), [(1, RetryReason::NotIdempotent)]);
}

#[test]
fn a_delete_answered_503_is_sent_exactly_once() {
    let mock = MockServer::start();
    mock.on("DELETE", "/users/user_1")
        .reply(unavailable())
        .reply(Reply::json(200, fixtures::DELETED_USER));
    let h = harness(&mock);
    let err = h.clerk.users().delete("user_1").send().unwrap_err();
    assert_eq!(err.status(), Some(503));
    assert_eq!(mock.request_count(), 1);
    assert_eq!(gave_up(&h.sink), [(1, RetryReason::NotIdempotent)]);
}

#[test]
fn a_get_answered_503_503_200_succeeds_after_two_jittered_waits() {
    let mock = MockServer::start();
    mock.on("GET", "/users/user_2abc")
        .reply(unavailable())
        .reply(unavailable())
        .reply(Reply::json(200, fixtures::USER));
    let h = harness(&mock);
    let user = h.clerk.users().get("user_2abc").send().unwrap();
    assert_eq!(user.id, "user_2abc");
    assert_eq!(mock.request_count(), 3);
    let sleeps = h.clock.sleeps();
    assert_eq!(sleeps.len(), 2, "{sleeps:?}");
    assert!(sleeps[0] <= MS(500), "{sleeps:?}");
    assert!(sleeps[1] <= MS(1000), "{sleeps:?}");
    assert_eq!(attempts(&h.sink), [1, 2, 3]);
    assert_eq!(
        retry_reasons(&h.sink),
        [RetryReason::Status(503), RetryReason::Status(503)]
    );
    // The logged delays are the ones slept.
    let logged: Vec<Duration> = h
        .sink
        .events()
        .iter()
        .filter_map(|e| match e {
            LogEvent::RetryScheduled { delay, .. } => Some(*delay),
            _ => None,
        })
        .collect();
    assert_eq!(logged, sleeps);
    assert!(gave_up(&h.sink).is_empty());
}

#[test]
fn jitter_is_full_and_reproducible_from_the_seed() {
    let first_wait = |seed: u64| {
        let mock = MockServer::start();
        mock.on("GET", "/users/u")
            .reply(unavailable())
            .reply(Reply::json(200, fixtures::USER));
        let h = harness_with(&mock.url(), |b| b.jitter_seed(seed));
        h.clerk.users().get("u").send().unwrap();
        h.clock.sleeps()[0]
    };
    let waits: Vec<Duration> = (0..16).map(first_wait).collect();
    assert!(waits.iter().all(|w| *w <= MS(500)), "{waits:?}");
    // Full jitter spreads over the whole range rather than a fixed or half-range delay.
    assert!(waits.iter().any(|w| *w < MS(200)), "{waits:?}");
    assert!(waits.iter().any(|w| *w > MS(300)), "{waits:?}");
    let mut distinct = waits.clone();
    distinct.sort();
    distinct.dedup();
    assert!(distinct.len() >= 12, "{waits:?}");
    assert_eq!(first_wait(3), waits[3], "the same seed gives the same wait");
}

#[test]
fn a_get_that_keeps_failing_makes_four_attempts_then_returns_the_api_error() {
    let mock = MockServer::start();
    mock.on("GET", "/users/user_1").reply(unavailable());
    let h = harness(&mock);
    let err = h.clerk.users().get("user_1").send().unwrap_err();
    assert!(matches!(err, Error::Api(_)), "{err:?}");
    assert_eq!(err.status(), Some(503));
    assert_eq!(err.code(), Some("service_unavailable"));
    assert_eq!(mock.request_count(), 4);
    let sleeps = h.clock.sleeps();
    assert_eq!(sleeps.len(), 3);
    for (slept, ceiling) in sleeps.iter().zip([500, 1000, 2000]) {
        assert!(*slept <= MS(ceiling), "{sleeps:?}");
    }
    assert_eq!(attempts(&h.sink), [1, 2, 3, 4]);
    assert_eq!(retry_reasons(&h.sink), [RetryReason::Status(503); 3]);
    assert_eq!(gave_up(&h.sink), [(4, RetryReason::RetriesExhausted)]);
}

#[test]
fn no_retries_and_per_call_policies_override_the_client() {
    let mock = MockServer::start();
    mock.on("GET", "/users/user_1").reply(unavailable());

    let h = harness(&mock);
    h.clerk
        .users()
        .get("user_1")
        .no_retries()
        .send()
        .unwrap_err();
    assert_eq!(mock.request_count(), 1);
    assert_eq!(gave_up(&h.sink), [(1, RetryReason::RetriesExhausted)]);

    mock.reset();
    mock.on("GET", "/users/user_1").reply(unavailable());
    let h = harness_with(&mock.url(), |b| b.retry_policy(RetryPolicy::none()));
    h.clerk.users().get("user_1").send().unwrap_err();
    assert_eq!(mock.request_count(), 1);
    // A per-call policy beats the client's.
    h.clerk
        .users()
        .get("user_1")
        .retry_policy(RetryPolicy::default().with_max_retries(5))
        .send()
        .unwrap_err();
    assert_eq!(mock.request_count(), 1 + 6);

    mock.reset();
    mock.on("GET", "/users/user_1").reply(unavailable());
    let h = harness(&mock);
    h.clerk
        .users()
        .get("user_1")
        .retry_policy(RetryPolicy::default().with_max_retries(1))
        .send()
        .unwrap_err();
    assert_eq!(mock.request_count(), 2);
}

#[test]
fn the_policy_bounds_every_wait() {
    let mock = MockServer::start();
    mock.on("GET", "/users/user_1").reply(unavailable());
    let policy = RetryPolicy::default()
        .with_max_retries(6)
        .with_base_delay(MS(100))
        .with_max_delay(MS(250));
    let h = harness_with(&mock.url(), |b| b.retry_policy(policy));
    h.clerk.users().get("user_1").send().unwrap_err();
    assert_eq!(mock.request_count(), 7);
    let sleeps = h.clock.sleeps();
    for (slept, ceiling) in sleeps.iter().zip([100, 200, 250, 250, 250, 250]) {
        assert!(*slept <= MS(ceiling), "{sleeps:?}");
    }
    assert_eq!(sleeps.len(), 6);
}

#[test]
fn other_4xx_are_never_retried() {
    for status in [400, 401, 403, 404, 409, 422] {
        let mock = MockServer::start();
        mock.on("GET", "/users/user_1")
            .reply(Reply::json(status, fixtures::ERROR_NOT_FOUND));
        let h = harness(&mock);
        h.clerk.users().get("user_1").send().unwrap_err();
        assert_eq!(mock.request_count(), 1, "{status}");
        assert_eq!(
            gave_up(&h.sink),
            [(1, RetryReason::NotRetryable)],
            "{status}"
        );
    }
}

// ---------------------------------------------------------------------------
// 429 and Retry-After
// ---------------------------------------------------------------------------

#[test]
fn a_post_rate_limited_with_retry_after_1_waits_a_second_and_is_resent() {
    let mock = MockServer::start();
    mock.on("POST", "/users")
        .reply(rate_limited("1"))
        .reply(Reply::json(200, fixtures::USER));
    let h = harness(&mock);
    let user = h.clerk.users().create().first_name("Ada").send().unwrap();
    assert_eq!(user.id, "user_2abc");
    let requests = mock.requests();
    assert_eq!(requests.len(), 2);
    assert_eq!(
        requests[0].body, requests[1].body,
        "the same body is resent"
    );
    assert!(h.clock.slept() >= Duration::from_secs(1));
    assert_eq!(h.clock.sleeps(), [Duration::from_secs(1)]);
    assert_eq!(retry_reasons(&h.sink), [RetryReason::Status(429)]);
}

#[test]
fn a_get_rate_limited_without_retry_after_backs_off_with_jitter() {
    let mock = MockServer::start();
    mock.on("GET", "/users/u")
        .reply(Reply::status(429))
        .reply(Reply::json(200, fixtures::USER));
    let h = harness(&mock);
    h.clerk.users().get("u").send().unwrap();
    assert_eq!(mock.request_count(), 2);
    assert!(h.clock.sleeps()[0] <= MS(500));
}

#[test]
fn retry_after_as_an_http_date_is_honoured() {
    for status_reply in [429u16, 503] {
        let mock = MockServer::start();
        let date = http_date(SystemTime::now() + Duration::from_secs(6));
        let first = if status_reply == 429 {
            rate_limited(&date)
        } else {
            unavailable().header("Retry-After", date.clone())
        };
        mock.on("GET", "/users/u")
            .reply(first)
            .reply(Reply::json(200, fixtures::USER));
        let h = harness(&mock);
        h.clerk.users().get("u").send().unwrap();
        assert_eq!(mock.request_count(), 2);
        let slept = h.clock.sleeps()[0];
        assert!(
            slept >= Duration::from_secs(4) && slept <= Duration::from_secs(8),
            "{date}: slept {slept:?}"
        );
    }
}

#[test]
fn the_test_http_date_formatter_matches_rfc_9110() {
    let t = SystemTime::UNIX_EPOCH + Duration::from_secs(784_111_777);
    assert_eq!(http_date(t), "Sun, 06 Nov 1994 08:49:37 GMT");
    let t = SystemTime::UNIX_EPOCH + Duration::from_secs(951_782_400); // leap day
    assert_eq!(http_date(t), "Tue, 29 Feb 2000 00:00:00 GMT");
}

#[test]
fn a_retry_after_longer_than_the_cap_fails_at_once() {
    let mock = MockServer::start();
    mock.on("GET", "/users/u")
        .reply(rate_limited("86400"))
        .reply(Reply::json(200, fixtures::USER));
    let h = harness(&mock);
    let err = h.clerk.users().get("u").send().unwrap_err();
    assert_eq!(mock.request_count(), 1);
    assert_eq!(err.status(), Some(429));
    assert_eq!(err.retry_after(), Some(Duration::from_secs(86_400)));
    assert_eq!(
        err.api_error().unwrap().retry_after(),
        Some(Duration::from_secs(86_400))
    );
    assert!(h.clock.sleeps().is_empty());
    assert_eq!(gave_up(&h.sink), [(1, RetryReason::RetryAfterTooLong)]);
}

#[test]
fn retry_after_is_honoured_up_to_max_delay_exactly() {
    let policy = RetryPolicy::default().with_max_delay(Duration::from_secs(5));
    for (value, retried) in [("5", true), ("6", false)] {
        let mock = MockServer::start();
        mock.on("GET", "/users/u")
            .reply(rate_limited(value))
            .reply(Reply::json(200, fixtures::USER));
        let h = harness_with(&mock.url(), |b| b.retry_policy(policy));
        let result = h.clerk.users().get("u").send();
        assert_eq!(result.is_ok(), retried, "Retry-After {value}");
        assert_eq!(mock.request_count(), if retried { 2 } else { 1 });
        if retried {
            assert_eq!(h.clock.sleeps(), [Duration::from_secs(5)]);
        }
    }
}

#[test]
fn a_one_shot_reader_upload_is_never_retried() {
    let mock = MockServer::start();
    mock.on("PUT", "/organizations/org_1/logo")
        .reply(rate_limited("1"))
        .reply(Reply::json(200, fixtures::ORGANIZATION_WITH_LOGO));
    let h = harness(&mock);
    let err = h
        .clerk
        .organizations()
        .upload_logo(
            "org_1",
            FilePart::from_reader(Cursor::new(b"png".to_vec()), "l.png"),
        )
        .send()
        .unwrap_err();
    assert_eq!(err.status(), Some(429));
    assert_eq!(err.retry_after(), Some(Duration::from_secs(1)));
    assert_eq!(mock.request_count(), 1);
    assert!(h.clock.sleeps().is_empty());
    assert_eq!(gave_up(&h.sink), [(1, RetryReason::BodyNotReplayable)]);
}

// ---------------------------------------------------------------------------
// Connection failures
// ---------------------------------------------------------------------------

#[test]
fn a_refused_connection_is_retried_then_reported_as_transport() {
    let url = refused_url();
    let h = harness_with(&url, |b| b);
    let err = h.clerk.users().get("user_1").send().unwrap_err();
    assert!(matches!(err, Error::Transport(_)), "{err:?}");
    assert!(err.is_retryable());
    assert_eq!(err.status(), None);
    let max_retries = RetryPolicy::default().max_retries as usize;
    assert_eq!(count_sent(&h.sink), max_retries + 1);
    assert_eq!(
        retry_reasons(&h.sink),
        vec![RetryReason::ConnectFailed; max_retries]
    );
    assert_eq!(
        gave_up(&h.sink),
        [(max_retries as u32 + 1, RetryReason::RetriesExhausted)]
    );
    assert_eq!(h.clock.sleeps().len(), max_retries);
}

#[test]
fn a_refused_connection_is_retried_for_writes_too() {
    // Nothing reached the server, so even a POST is safe to send again.
    let h = harness_with(&refused_url(), |b| b);
    let err = h.clerk.users().create().first_name("A").send().unwrap_err();
    assert!(matches!(err, Error::Transport(_)), "{err:?}");
    assert_eq!(count_sent(&h.sink), 4);
    assert_eq!(retry_reasons(&h.sink), [RetryReason::ConnectFailed; 3]);
}

// ---------------------------------------------------------------------------
// Deadlines
// ---------------------------------------------------------------------------

#[test]
fn the_deadline_stops_retries_before_it_passes() {
    // Fake waits of 5 s against a 10 s deadline: the real time the two requests take (far
    // below 5 s, however busy the machine) does not change what the deadline allows.
    let mock = MockServer::start();
    mock.on("GET", "/users/u")
        .reply(unavailable().header("Retry-After", "5"));
    let h = harness_with(&mock.url(), |b| b.deadline(Duration::from_secs(10)));
    let started = Instant::now();
    let err = h.clerk.users().get("u").send().unwrap_err();
    assert_eq!(err.status(), Some(503));
    assert!(
        h.clock.slept() < Duration::from_secs(10),
        "{:?}",
        h.clock.sleeps()
    );
    // Real time + fake waits stayed within the deadline.
    assert!(started.elapsed() + h.clock.slept() < Duration::from_secs(10));
    assert_eq!(mock.request_count(), 2);
    assert_eq!(h.clock.sleeps(), [Duration::from_secs(5)]);
    assert_eq!(gave_up(&h.sink), [(2, RetryReason::DeadlineExceeded)]);
}

#[test]
fn the_deadline_also_bounds_rate_limit_waits_of_writes() {
    let mock = MockServer::start();
    // A 10 s `Retry-After` fits the 15 s deadline once, not twice, with 5 s of room for the
    // real time the requests take.
    mock.on("POST", "/users").reply(rate_limited("10"));
    let h = harness_with(&mock.url(), |b| b.deadline(Duration::from_secs(15)));
    let err = h.clerk.users().create().send().unwrap_err();
    assert_eq!(err.status(), Some(429));
    assert_eq!(h.clock.sleeps(), [Duration::from_secs(10)]);
    assert_eq!(mock.request_count(), 2);
    assert_eq!(gave_up(&h.sink), [(2, RetryReason::DeadlineExceeded)]);
}

#[test]
fn the_deadline_cuts_an_attempt_short_in_real_time() {
    let mock = MockServer::start();
    mock.on("GET", "/users/u")
        .reply(Reply::status(200).never_respond());
    let h = harness_with(&mock.url(), |b| {
        b.timeout(Duration::from_secs(60)).deadline(MS(400))
    });
    let started = Instant::now();
    let err = h.clerk.users().get("u").send().unwrap_err();
    let elapsed = started.elapsed();
    assert!(matches!(err, Error::Timeout(_)), "{err:?}");
    assert!(elapsed >= MS(300), "{elapsed:?}");
    assert!(elapsed < REAL_TIME_BOUND, "{elapsed:?}");
    assert!(h.clock.slept() < MS(400));
}

// ---------------------------------------------------------------------------
// Attempt timeouts and broken connections (real time, short budgets)
// ---------------------------------------------------------------------------

#[test]
fn a_server_that_never_answers_times_out_within_the_budget() {
    let mock = MockServer::start();
    mock.on("GET", "/users/u")
        .reply(Reply::status(200).never_respond());
    let h = harness_with(&mock.url(), |b| b.timeout(MS(300)));
    let started = Instant::now();
    let err = h.clerk.users().get("u").no_retries().send().unwrap_err();
    let elapsed = started.elapsed();
    assert!(matches!(err, Error::Timeout(_)), "{err:?}");
    assert!(err.is_retryable());
    assert!(elapsed >= MS(250), "{elapsed:?}");
    assert!(elapsed < REAL_TIME_BOUND, "{elapsed:?}");
    assert_eq!(settled_count(&mock, 1), 1);

    // The per-call timeout overrides the client's 60 s default.
    let h = harness(&mock);
    let started = Instant::now();
    let err = h
        .clerk
        .users()
        .get("u")
        .timeout(MS(300))
        .no_retries()
        .send()
        .unwrap_err();
    let elapsed = started.elapsed();
    assert!(matches!(err, Error::Timeout(_)), "{err:?}");
    assert!(elapsed >= MS(250), "{elapsed:?}");
    assert!(elapsed < REAL_TIME_BOUND, "{elapsed:?}");
}

#[test]
fn a_get_that_times_out_is_retried_and_a_post_is_not() {
    let mock = MockServer::start();
    mock.on("GET", "/users/u")
        .reply(Reply::status(200).never_respond());
    mock.on("POST", "/users")
        .reply(Reply::status(200).never_respond());
    let h = harness_with(&mock.url(), |b| b.timeout(MS(200)));

    let started = Instant::now();
    let err = h.clerk.users().get("u").send().unwrap_err();
    assert!(matches!(err, Error::Timeout(_)), "{err:?}");
    assert!(started.elapsed() < REAL_TIME_BOUND);
    let max_retries = RetryPolicy::default().max_retries as usize;
    assert_eq!(settled_count(&mock, max_retries + 1), max_retries + 1);
    assert_eq!(
        retry_reasons(&h.sink),
        vec![RetryReason::Timeout; max_retries]
    );

    mock.reset();
    mock.on("POST", "/users")
        .reply(Reply::status(200).never_respond());
    let h = harness_with(&mock.url(), |b| b.timeout(MS(200)));
    let started = Instant::now();
    let err = h.clerk.users().create().send().unwrap_err();
    assert!(matches!(err, Error::Timeout(_)), "{err:?}");
    assert!(started.elapsed() < REAL_TIME_BOUND);
    assert_eq!(settled_count(&mock, 1), 1);
    assert_eq!(gave_up(&h.sink), [(1, RetryReason::NotIdempotent)]);
}

#[test]
fn a_body_dripping_slower_than_the_timeout_times_out() {
    let mock = MockServer::start();
    mock.on("GET", "/users/u")
        .reply(Reply::json(200, fixtures::USER).drip(MS(20)));
    let h = harness_with(&mock.url(), |b| b.timeout(MS(300)));
    let started = Instant::now();
    let err = h.clerk.users().get("u").no_retries().send().unwrap_err();
    let elapsed = started.elapsed();
    assert!(matches!(err, Error::Timeout(_)), "{err:?}");
    assert!(elapsed >= MS(250), "{elapsed:?}");
    assert!(elapsed < REAL_TIME_BOUND, "{elapsed:?}");
}

#[test]
fn a_connection_closed_mid_body_is_retried_for_get_only() {
    let mock = MockServer::start();
    mock.on("GET", "/users/u")
        .reply(Reply::json(200, fixtures::USER).close_mid_body());
    mock.on("POST", "/users")
        .reply(Reply::json(200, fixtures::USER).close_mid_body());
    let h = harness(&mock);
    let err = h.clerk.users().get("u").send().unwrap_err();
    assert!(matches!(err, Error::Transport(_)), "{err:?}");
    assert_eq!(mock.request_count(), 4);
    assert_eq!(retry_reasons(&h.sink), [RetryReason::ConnectionLost; 3]);

    mock.reset();
    mock.on("POST", "/users")
        .reply(Reply::json(200, fixtures::USER).close_mid_body());
    let h = harness(&mock);
    let err = h.clerk.users().create().send().unwrap_err();
    assert!(matches!(err, Error::Transport(_)), "{err:?}");
    assert_eq!(mock.request_count(), 1);
    assert_eq!(gave_up(&h.sink), [(1, RetryReason::NotIdempotent)]);
}

#[test]
fn a_connection_closed_before_the_response_is_retried_for_get_only() {
    let mock = MockServer::start();
    mock.on("GET", "/users/u")
        .reply(Reply::status(200).close_before_response())
        .reply(Reply::json(200, fixtures::USER));
    let h = harness(&mock);
    assert_eq!(h.clerk.users().get("u").send().unwrap().id, "user_2abc");
    assert_eq!(mock.request_count(), 2);

    mock.reset();
    mock.on("POST", "/users")
        .reply(Reply::status(200).close_before_response())
        .reply(Reply::json(200, fixtures::USER));
    let h = harness(&mock);
    let err = h.clerk.users().create().send().unwrap_err();
    assert!(matches!(err, Error::Transport(_)), "{err:?}");
    assert_eq!(mock.request_count(), 1);
}

#[test]
fn the_attempt_timeout_covers_the_whole_attempt() {
    // `.timeout(d)` is one attempt, from connecting to the last byte: a head of ~250 ms plus a
    // body of ~280 ms more would fit a per-phase 400 ms budget, not a per-attempt one. It
    // holds for the client's setting, a per-call override, and a client with its own agent.
    let mock = MockServer::start();
    let body = format!("[{}]", " ".repeat(13));
    mock.on("GET", "/users")
        .reply(Reply::json(200, body).delay(MS(250)).drip(MS(20)));

    let own_agent = ureq::Agent::config_builder().build().new_agent();
    let clients = [
        harness_with(&mock.url(), |b| b.timeout(MS(400))),
        harness_with(&mock.url(), |b| b.timeout(MS(60_000))),
        harness_with(&mock.url(), |b| b.timeout(MS(400)).agent(own_agent)),
    ];
    for (i, h) in clients.iter().enumerate() {
        let mut list = h.clerk.users().list().no_retries();
        if i == 1 {
            list = list.timeout(MS(400));
        }
        let started = Instant::now();
        let result = list.send();
        let elapsed = started.elapsed();
        assert!(
            matches!(result, Err(Error::Timeout(_))),
            "client {i}: {result:?} after {elapsed:?}"
        );
        // Against the 60 s setting: the 400 ms one ended it.
        assert!(elapsed < REAL_TIME_BOUND, "client {i}: {elapsed:?}");
    }
}

#[test]
fn the_deadline_cuts_a_dripping_body_short() {
    // The head arrives at once; the body would take ~700 ms. A 60 s attempt timeout does not
    // stop it, the 500 ms deadline does.
    let mock = MockServer::start();
    let body = format!("[{}]", " ".repeat(12));
    mock.on("GET", "/users")
        .reply(Reply::json(200, body).drip(MS(50)));
    let h = harness_with(&mock.url(), |b| {
        b.timeout(Duration::from_secs(60)).deadline(MS(500))
    });
    let started = Instant::now();
    let result = h.clerk.users().list().no_retries().send();
    let elapsed = started.elapsed();
    assert!(
        matches!(result, Err(Error::Timeout(_))),
        "{result:?} after {elapsed:?}"
    );
    // Against the 60 s attempt timeout; that the body was cut short shows in the `Timeout`
    // (read in full it would have been an `Ok`).
    assert!(
        elapsed >= MS(400) && elapsed < REAL_TIME_BOUND,
        "{elapsed:?}"
    );
}

// ---------------------------------------------------------------------------
// The client's rate limit (`ClerkBuilder::rate_limit`)
// ---------------------------------------------------------------------------

/// The `RateLimited` waits, in order.
fn limited(sink: &clerk_backend_api::testing::CaptureSink) -> Vec<(u32, Duration)> {
    sink.events()
        .iter()
        .filter_map(|e| match e {
            LogEvent::RateLimited { attempt, delay, .. } => Some((*attempt, *delay)),
            _ => None,
        })
        .collect()
}

#[test]
fn the_rate_limit_spaces_calls_on_the_fake_clock() {
    use clerk_backend_api::RateLimit;
    let mock = MockServer::start();
    mock.on("GET", "/users/user_1")
        .reply(Reply::json(200, fixtures::USER));
    let h = harness_with(&mock.url(), |b| {
        b.rate_limit(RateLimit::new(2, Duration::from_secs(20)))
    });
    for _ in 0..5 {
        h.clerk.users().get("user_1").send().unwrap();
    }
    // Two at once (the burst), then one every 10 s (fake waits); the real time that passes
    // between calls comes off the waits, and on the busiest machine it is far below 5 s.
    let waits = limited(&h.sink);
    assert_eq!(waits.len(), 3, "{waits:?}");
    for (attempt, delay) in &waits {
        assert_eq!(*attempt, 1);
        assert!(*delay > SECS(5) && *delay <= SECS(10), "{delay:?}");
    }
    assert_eq!(h.clock.sleeps().len(), 3);
    assert_eq!(mock.request_count(), 5);
}

#[test]
fn retries_take_tokens_too() {
    use clerk_backend_api::RateLimit;
    let mock = MockServer::start();
    mock.on("GET", "/users/user_1")
        .reply(unavailable())
        .reply(unavailable())
        .reply(Reply::json(200, fixtures::USER));
    let h = harness_with(&mock.url(), |b| {
        b.rate_limit(RateLimit::new(1, Duration::from_secs(10)))
    });
    h.clerk.users().get("user_1").send().unwrap();
    assert_eq!(attempts(&h.sink), [1, 2, 3]);
    // Each retry waits its jittered backoff (at most 500 ms, then 1 s), then whatever the
    // bucket still asks: attempts start 10 s apart on the fake clock, less the real time a
    // request takes (far below 1 s, however busy the machine).
    let retry_waits: Vec<Duration> = h
        .sink
        .events()
        .iter()
        .filter_map(|e| match e {
            LogEvent::RetryScheduled { delay, .. } => Some(*delay),
            _ => None,
        })
        .collect();
    let limit_waits = limited(&h.sink);
    assert_eq!(retry_waits.len(), 2);
    for (i, retry) in retry_waits.iter().enumerate() {
        let attempt = i as u32 + 2;
        let bucket = limit_waits
            .iter()
            .find(|(a, _)| *a == attempt)
            .map_or(Duration::ZERO, |(_, d)| *d);
        assert!(
            *retry + bucket >= SECS(9),
            "attempt {attempt}: {retry:?} + {bucket:?}"
        );
    }
}

#[test]
fn a_429_with_retry_after_holds_every_clone_of_the_client() {
    use clerk_backend_api::RateLimit;
    let mock = MockServer::start();
    mock.on("GET", "/users/user_1")
        .reply(rate_limited("20"))
        .reply(Reply::json(200, fixtures::USER));
    let h = harness_with(&mock.url(), |b| {
        b.rate_limit(RateLimit::clerk_production())
            .retry_policy(RetryPolicy::none())
    });
    // The first call gets the 429 and, without retries, returns it at once.
    let err = h.clerk.users().get("user_1").send().unwrap_err();
    assert_eq!(err.status(), Some(429));
    assert!(h.clock.sleeps().is_empty());
    // Another clone (as another thread would hold) waits out the 20 s before sending (less
    // the real time since the 429, far below 10 s).
    let clone = h.clerk.clone();
    assert_eq!(clone.users().get("user_1").send().unwrap().id, "user_2abc");
    let waits = limited(&h.sink);
    assert_eq!(waits.len(), 1, "{waits:?}");
    assert!(waits[0].1 > SECS(10) && waits[0].1 <= SECS(20), "{waits:?}");
    assert_eq!(mock.request_count(), 2);
}

#[test]
fn a_rate_limit_wait_past_the_deadline_fails_without_sending() {
    use clerk_backend_api::RateLimit;
    let mock = MockServer::start();
    mock.on("GET", "/users/user_1")
        .reply(Reply::json(200, fixtures::USER));
    let h = harness_with(&mock.url(), |b| {
        b.rate_limit(RateLimit::new(1, Duration::from_secs(10)))
            .deadline(Duration::from_secs(5))
    });
    h.clerk.users().get("user_1").send().unwrap();
    let err = h.clerk.users().get("user_1").send().unwrap_err();
    assert!(err.is_deadline(), "{err:?}");
    assert_eq!(mock.request_count(), 1);
    assert!(h.clock.sleeps().is_empty(), "no wait was started");
    assert_eq!(gave_up(&h.sink), [(0, RetryReason::DeadlineExceeded)]);
}

#[test]
fn the_rate_limit_holds_in_real_time_across_threads() {
    use clerk_backend_api::{Clerk, RateLimit};
    let mock = MockServer::start();
    mock.on("GET", "/users/user_1")
        .reply(Reply::json(200, fixtures::USER));
    // 20 per second with no burst: one request every 50 ms, whichever thread sends it.
    let clerk = Clerk::builder(common::KEY)
        .server_url(mock.url())
        .rate_limit(RateLimit::new(20, Duration::from_secs(1)).with_burst(1))
        .build()
        .unwrap();
    let started = Instant::now();
    std::thread::scope(|s| {
        for _ in 0..4 {
            let clerk = clerk.clone();
            s.spawn(move || {
                for _ in 0..5 {
                    clerk.users().get("user_1").send().unwrap();
                }
            });
        }
    });
    // 20 requests, 19 gaps of 50 ms: a lower bound, which a busy machine only lengthens.
    let elapsed = started.elapsed();
    assert!(elapsed >= MS(19 * 50), "{elapsed:?}");
    assert_eq!(mock.request_count(), 20);
}

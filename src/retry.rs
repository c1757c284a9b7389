//! When to try a call again, and how long to wait first.
//!
//! The retry decision is a pure function of the policy, the method, what happened and the time left,
//! so every rule is unit-tested without sockets or sleeps. The loop that calls it lives in
//! `http.rs`; the wait goes through a [`Clock`], which tests replace.

use std::time::{Duration, Instant};

use crate::log::RetryReason;

/// How many times, and how patiently, a call is retried.
///
/// Retries use full-jitter exponential backoff: the wait before retry `n` (from 0) is uniform
/// in `[0, min(max_delay, base_delay × 2^n)]`. A `Retry-After` from the server replaces that
/// wait, bounded by `max_delay`.
///
/// What is retried: a connection that failed before anything was sent, for every method;
/// the [`retry_statuses`](RetryPolicy::retry_statuses) (by default `429` and every `5xx`);
/// timeouts and broken connections. A write the server may have performed is never
/// repeated: for `POST`, `PUT`, `PATCH` and `DELETE` only `429` (the request was not
/// processed) and connections that failed before sending are retried, unless the call is
/// marked `.idempotent()`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct RetryPolicy {
    /// The most retries after the first attempt.
    pub max_retries: u32,
    /// The backoff unit (the upper bound of the first wait).
    pub base_delay: Duration,
    /// The longest single wait, also the bound on `Retry-After`.
    pub max_delay: Duration,
    /// The response statuses worth another attempt; default `429` and `500` to `599`.
    pub retry_statuses: StatusSet,
}

impl Default for RetryPolicy {
    /// At most 3 retries, 500 ms base, 30 s cap, statuses `429` and `5xx`.
    fn default() -> Self {
        RetryPolicy {
            max_retries: 3,
            base_delay: Duration::from_millis(500),
            max_delay: Duration::from_secs(30),
            retry_statuses: StatusSet::from_iter([429].into_iter().chain(500..=599)),
        }
    }
}

/// A set of error statuses (`400` to `599`), for [`RetryPolicy::retry_statuses`]. Others are
/// ignored when the set is made.
///
/// ```
/// use clerk_backend_api::retry::StatusSet;
///
/// let set = StatusSet::from_iter([429, 502, 503, 504, 200, 700]);
/// assert!(set.contains(503));
/// assert!(!set.contains(500) && !set.contains(200));
/// assert_eq!(set.iter().collect::<Vec<_>>(), [429, 502, 503, 504]);
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct StatusSet {
    /// Bit `s - 400` is status `s`.
    bits: [u64; 4],
}

impl StatusSet {
    const FIRST: u16 = 400;
    const LAST: u16 = 599;

    /// The empty set.
    pub const fn empty() -> StatusSet {
        StatusSet { bits: [0; 4] }
    }

    /// Whether `status` is in the set.
    pub fn contains(&self, status: u16) -> bool {
        (Self::FIRST..=Self::LAST).contains(&status) && {
            let i = usize::from(status - Self::FIRST);
            self.bits[i / 64] & (1 << (i % 64)) != 0
        }
    }

    /// Adds `status` (ignored outside `400..=599`).
    pub fn insert(&mut self, status: u16) {
        if (Self::FIRST..=Self::LAST).contains(&status) {
            let i = usize::from(status - Self::FIRST);
            self.bits[i / 64] |= 1 << (i % 64);
        }
    }

    /// The statuses, in increasing order.
    pub fn iter(&self) -> impl Iterator<Item = u16> + '_ {
        (Self::FIRST..=Self::LAST).filter(|s| self.contains(*s))
    }
}

impl FromIterator<u16> for StatusSet {
    fn from_iter<I: IntoIterator<Item = u16>>(statuses: I) -> Self {
        let mut set = StatusSet::empty();
        for s in statuses {
            set.insert(s);
        }
        set
    }
}

impl std::fmt::Debug for StatusSet {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_set().entries(self.iter()).finish()
    }
}

impl RetryPolicy {
    /// A policy that never retries.
    pub fn none() -> Self {
        RetryPolicy {
            max_retries: 0,
            ..RetryPolicy::default()
        }
    }

    /// Sets the most retries after the first attempt.
    pub fn with_max_retries(mut self, n: u32) -> Self {
        self.max_retries = n;
        self
    }

    /// Sets the backoff unit.
    pub fn with_base_delay(mut self, d: Duration) -> Self {
        self.base_delay = d;
        self
    }

    /// Sets the statuses worth another attempt (replacing the default `429` and `5xx`). Writes
    /// are still retried only on `429` unless the call is marked `.idempotent()`.
    ///
    /// ```
    /// use clerk_backend_api::RetryPolicy;
    ///
    /// // Retry gateway errors and rate limits, not a 500 from the application.
    /// let policy = RetryPolicy::default().with_retry_statuses([429, 502, 503, 504]);
    /// assert!(!policy.retry_statuses.contains(500));
    /// ```
    pub fn with_retry_statuses(mut self, statuses: impl IntoIterator<Item = u16>) -> Self {
        self.retry_statuses = statuses.into_iter().collect();
        self
    }

    /// Sets the longest single wait.
    pub fn with_max_delay(mut self, d: Duration) -> Self {
        self.max_delay = d;
        self
    }

    /// The upper bound of the jittered wait before retry `n` (0-based): `min(max, base × 2^n)`,
    /// computed without overflow.
    pub fn backoff_ceiling(&self, n: u32) -> Duration {
        2u32.checked_pow(n)
            .and_then(|m| self.base_delay.checked_mul(m))
            .map_or(self.max_delay, |d| d.min(self.max_delay))
    }
}

/// Time as the retry loop sees it: reading the current instant, and waiting.
///
/// The default uses [`Instant::now`] and [`std::thread::sleep`]. Tests install a fake clock
/// (`testing::FakeClock`) so that backoff and `Retry-After` are checked without real waits.
pub trait Clock: Send + Sync {
    /// The current instant.
    fn now(&self) -> Instant;
    /// Waits for `d`.
    fn sleep(&self, d: Duration);
}

/// The real clock.
#[derive(Debug, Clone, Copy, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> Instant {
        Instant::now()
    }
    fn sleep(&self, d: Duration) {
        std::thread::sleep(d)
    }
}

/// What one attempt came to, as far as retrying is concerned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Outcome {
    /// A response with this status (`Retry-After` parsed when present).
    Status {
        status: u16,
        retry_after: Option<Duration>,
    },
    /// The connection failed before anything was sent (refused, DNS, TLS handshake).
    NotSent,
    /// An attempt timeout elapsed after the request may have been sent.
    TimedOut,
    /// The connection broke after the request may have been sent.
    Lost,
    /// A failure no retry can fix (a bad URL, say).
    Fatal,
}

/// The verdict for one failed attempt (a 2xx is returned before anything is decided).
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Decision {
    /// Wait this long, then try again.
    Retry {
        delay: Duration,
        reason: RetryReason,
    },
    /// Return the failure.
    Stop { reason: RetryReason },
}

/// Everything [`decide`] needs besides the outcome.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Context {
    /// `GET`, `HEAD`, or a call marked `.idempotent()`: safe to repeat after it may have been
    /// processed.
    pub idempotent: bool,
    /// The body can be sent again (no one-shot reader).
    pub replayable: bool,
    /// Retries already made (0 after the first attempt).
    pub retries: u32,
    /// Time left until the call's deadline, if it has one.
    pub remaining: Option<Duration>,
    /// A uniform sample in `[0, 1)` for the jitter.
    pub jitter: f64,
}

/// Decides whether to retry after an attempt. Pure: same inputs, same answer.
pub(crate) fn decide(policy: &RetryPolicy, outcome: Outcome, cx: Context) -> Decision {
    let (retryable, reason, retry_after) = match outcome {
        Outcome::Status {
            status,
            retry_after,
        } if policy.retry_statuses.contains(status) => {
            // A 429 was not processed: safe for any method. Anything else may have been.
            if status != 429 && !cx.idempotent {
                return Decision::Stop {
                    reason: RetryReason::NotIdempotent,
                };
            }
            (true, RetryReason::Status(status), retry_after)
        }
        Outcome::Status { .. } => (false, RetryReason::NotRetryable, None),
        Outcome::NotSent => (true, RetryReason::ConnectFailed, None),
        Outcome::TimedOut | Outcome::Lost => {
            if !cx.idempotent {
                return Decision::Stop {
                    reason: RetryReason::NotIdempotent,
                };
            }
            let reason = if outcome == Outcome::TimedOut {
                RetryReason::Timeout
            } else {
                RetryReason::ConnectionLost
            };
            (true, reason, None)
        }
        Outcome::Fatal => (false, RetryReason::NotRetryable, None),
    };
    if !retryable {
        return Decision::Stop { reason };
    }
    if !cx.replayable {
        return Decision::Stop {
            reason: RetryReason::BodyNotReplayable,
        };
    }
    if cx.retries >= policy.max_retries {
        return Decision::Stop {
            reason: RetryReason::RetriesExhausted,
        };
    }
    let delay = match retry_after {
        // The server said how long; a wait beyond our cap means: give up now and let the
        // caller read `retry_after()` from the error.
        Some(d) if d > policy.max_delay => {
            return Decision::Stop {
                reason: RetryReason::RetryAfterTooLong,
            };
        }
        Some(d) => d,
        None => policy
            .backoff_ceiling(cx.retries)
            .mul_f64(cx.jitter.clamp(0.0, 1.0)),
    };
    if let Some(left) = cx.remaining {
        if delay >= left {
            return Decision::Stop {
                reason: RetryReason::DeadlineExceeded,
            };
        }
    }
    Decision::Retry { delay, reason }
}

/// Parses a `Retry-After` value: delay-seconds or an IMF-fixdate HTTP date (relative to `now`,
/// seconds since the Unix epoch). Garbage gives `None`.
pub(crate) fn parse_retry_after(value: &str, now_unix: u64) -> Option<Duration> {
    let value = value.trim();
    if !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit()) {
        return value.parse::<u64>().ok().map(Duration::from_secs);
    }
    let at = parse_http_date(value)?;
    Some(Duration::from_secs(at.saturating_sub(now_unix)))
}

/// Parses `Sun, 06 Nov 1994 08:49:37 GMT` into seconds since the Unix epoch.
fn parse_http_date(s: &str) -> Option<u64> {
    let rest = s.split_once(", ")?.1;
    let mut parts = rest.split(' ');
    let day: u64 = parts.next()?.parse().ok()?;
    let month = match parts.next()? {
        "Jan" => 1,
        "Feb" => 2,
        "Mar" => 3,
        "Apr" => 4,
        "May" => 5,
        "Jun" => 6,
        "Jul" => 7,
        "Aug" => 8,
        "Sep" => 9,
        "Oct" => 10,
        "Nov" => 11,
        "Dec" => 12,
        _ => return None,
    };
    let year: u64 = parts.next()?.parse().ok()?;
    let mut hms = parts.next()?.split(':');
    let h: u64 = hms.next()?.parse().ok()?;
    let m: u64 = hms.next()?.parse().ok()?;
    let sec: u64 = hms.next()?.parse().ok()?;
    if parts.next()? != "GMT" || parts.next().is_some() || hms.next().is_some() {
        return None;
    }
    if !(1..=31).contains(&day) || !(1970..=9999).contains(&year) || h > 23 || m > 59 || sec > 60 {
        return None;
    }
    // Days from civil (Howard Hinnant's algorithm), for years >= 1970.
    let (y, mo) = if month <= 2 {
        (year - 1, month + 9)
    } else {
        (year, month - 3)
    };
    let era = y / 400;
    let yoe = y - era * 400;
    let doy = (153 * mo + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = (era * 146_097 + doe).checked_sub(719_468)?;
    Some(days * 86_400 + h * 3600 + m * 60 + sec)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cx(idempotent: bool, retries: u32) -> Context {
        Context {
            idempotent,
            replayable: true,
            retries,
            remaining: None,
            jitter: 0.5,
        }
    }

    fn status(s: u16) -> Outcome {
        Outcome::Status {
            status: s,
            retry_after: None,
        }
    }

    #[test]
    fn server_errors_retry_only_idempotent_methods() {
        let p = RetryPolicy::default();
        assert!(matches!(
            decide(&p, status(503), cx(true, 0)),
            Decision::Retry { .. }
        ));
        assert_eq!(
            decide(&p, status(500), cx(false, 0)),
            Decision::Stop {
                reason: RetryReason::NotIdempotent
            }
        );
        assert_eq!(
            decide(&p, Outcome::TimedOut, cx(false, 0)),
            Decision::Stop {
                reason: RetryReason::NotIdempotent
            }
        );
        assert_eq!(
            decide(&p, Outcome::Lost, cx(false, 0)),
            Decision::Stop {
                reason: RetryReason::NotIdempotent
            }
        );
        assert!(matches!(
            decide(&p, Outcome::Lost, cx(true, 0)),
            Decision::Retry { .. }
        ));
    }

    #[test]
    fn rate_limits_and_connect_failures_retry_for_every_method() {
        let p = RetryPolicy::default();
        assert!(matches!(
            decide(&p, status(429), cx(false, 0)),
            Decision::Retry { .. }
        ));
        assert!(matches!(
            decide(&p, Outcome::NotSent, cx(false, 0)),
            Decision::Retry { .. }
        ));
    }

    #[test]
    fn client_errors_never_retry() {
        let p = RetryPolicy::default();
        for s in [400, 401, 403, 404, 409, 422] {
            assert_eq!(
                decide(&p, status(s), cx(true, 0)),
                Decision::Stop {
                    reason: RetryReason::NotRetryable
                }
            );
        }
    }

    #[test]
    fn budget_and_replayability_stop_retries() {
        let p = RetryPolicy::default();
        assert_eq!(
            decide(&p, status(503), cx(true, 3)),
            Decision::Stop {
                reason: RetryReason::RetriesExhausted
            }
        );
        let mut c = cx(true, 0);
        c.replayable = false;
        assert_eq!(
            decide(&p, Outcome::NotSent, c),
            Decision::Stop {
                reason: RetryReason::BodyNotReplayable
            }
        );
    }

    #[test]
    fn full_jitter_spans_zero_to_the_ceiling() {
        let p = RetryPolicy::default();
        for (n, ceiling) in [(0, 500), (1, 1000), (2, 2000), (6, 30_000), (40, 30_000)] {
            assert_eq!(p.backoff_ceiling(n), Duration::from_millis(ceiling));
            let mut c = cx(true, n);
            c.jitter = 0.0;
            let policy = p.with_max_retries(100);
            assert_eq!(
                decide(&policy, status(503), c),
                Decision::Retry {
                    delay: Duration::ZERO,
                    reason: RetryReason::Status(503)
                }
            );
            c.jitter = 0.999_999;
            match decide(&policy, status(503), c) {
                Decision::Retry { delay, .. } => {
                    assert!(delay <= Duration::from_millis(ceiling));
                    assert!(delay > Duration::from_millis(ceiling) * 99 / 100);
                }
                d => panic!("unexpected {d:?}"),
            }
        }
        assert_eq!(p.backoff_ceiling(u32::MAX), p.max_delay);
    }

    #[test]
    fn retry_after_is_honoured_within_the_cap_and_deadline() {
        let p = RetryPolicy::default();
        let ra = |secs| Outcome::Status {
            status: 429,
            retry_after: Some(Duration::from_secs(secs)),
        };
        assert_eq!(
            decide(&p, ra(1), cx(false, 0)),
            Decision::Retry {
                delay: Duration::from_secs(1),
                reason: RetryReason::Status(429)
            }
        );
        assert_eq!(
            decide(&p, ra(86_400), cx(false, 0)),
            Decision::Stop {
                reason: RetryReason::RetryAfterTooLong
            }
        );
        let mut c = cx(false, 0);
        c.remaining = Some(Duration::from_millis(900));
        assert_eq!(
            decide(&p, ra(1), c),
            Decision::Stop {
                reason: RetryReason::DeadlineExceeded
            }
        );
    }

    #[test]
    fn retry_after_parses_seconds_and_dates() {
        assert_eq!(parse_retry_after("1", 0), Some(Duration::from_secs(1)));
        assert_eq!(
            parse_retry_after(" 120 ", 0),
            Some(Duration::from_secs(120))
        );
        assert_eq!(
            parse_http_date("Sun, 06 Nov 1994 08:49:37 GMT"),
            Some(784_111_777)
        );
        assert_eq!(
            parse_retry_after("Sun, 06 Nov 1994 08:49:37 GMT", 784_111_770),
            Some(Duration::from_secs(7))
        );
        assert_eq!(
            parse_retry_after("Sun, 06 Nov 1994 08:49:37 GMT", 784_111_800),
            Some(Duration::ZERO)
        );
        for bad in [
            "",
            "soon",
            "-1",
            "1.5",
            "Sun, 32 Nov 1994 08:49:37 GMT",
            "Sun, 06 Nov 1994 08:49:37 PST",
            "99999999999999999999999",
        ] {
            assert_eq!(parse_retry_after(bad, 0), None, "{bad}");
        }
    }
}

//! A client-side rate limit: one token bucket shared by every clone and thread of a client,
//! and a pause that a `429` with `Retry-After` puts on all of them at once.
//!
//! The bucket is kept as the time the next request may start at the steady rate (the
//! generic cell rate algorithm), so taking a token is one short critical section that
//! returns how long the caller must wait; the caller then sleeps on the client's clock with
//! no lock held. Nobody polls: every waiter knows its own wake-up time.

use std::fmt;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

/// A client-side rate limit for [`ClerkBuilder::rate_limit`](crate::ClerkBuilder::rate_limit):
/// at most `requests` per `per` on average, with bursts of up to `burst` (by default
/// `requests`) after a quiet spell. Every attempt counts, retries included.
///
/// Clerk's documented limits for the Backend API are 1000 requests per 10 seconds on
/// production instances and 100 per 10 seconds on development instances, less on a few
/// endpoints: [`RateLimit::clerk_production`], [`RateLimit::clerk_development`].
///
/// ```
/// use std::time::Duration;
/// use clerk_backend_api::RateLimit;
///
/// let dev = RateLimit::clerk_development(); // 100 per 10 s
/// let gentle = RateLimit::new(20, Duration::from_secs(1)).with_burst(5);
/// assert_eq!(gentle.interval(), Duration::from_millis(50));
/// # let _ = dev;
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RateLimit {
    requests: u32,
    per: Duration,
    burst: u32,
}

impl RateLimit {
    /// At most `requests` (at least 1) per `per`, in bursts of up to `requests`.
    pub fn new(requests: u32, per: Duration) -> RateLimit {
        let requests = requests.max(1);
        RateLimit {
            requests,
            per,
            burst: requests,
        }
    }

    /// Clerk's limit for production instances: 1000 requests per 10 seconds, in bursts of up
    /// to 100. (A burst as large as the limit would let up to twice the limit start within
    /// one 10-second window.)
    pub fn clerk_production() -> RateLimit {
        RateLimit::new(1000, Duration::from_secs(10)).with_burst(100)
    }

    /// Clerk's limit for development instances: 100 requests per 10 seconds, in bursts of up
    /// to 10.
    pub fn clerk_development() -> RateLimit {
        RateLimit::new(100, Duration::from_secs(10)).with_burst(10)
    }

    /// The largest burst (at least 1): how many requests may start at once after a quiet
    /// spell. A burst of 1 spaces every request by [`interval`](Self::interval).
    pub fn with_burst(mut self, burst: u32) -> RateLimit {
        self.burst = burst.max(1);
        self
    }

    /// The requests allowed per [`per`](Self::per).
    pub fn requests(&self) -> u32 {
        self.requests
    }

    /// The window of [`requests`](Self::requests).
    pub fn per(&self) -> Duration {
        self.per
    }

    /// The largest burst.
    pub fn burst(&self) -> u32 {
        self.burst
    }

    /// The steady spacing between requests: `per / requests`.
    pub fn interval(&self) -> Duration {
        self.per / self.requests
    }
}

/// The state every clone of a client shares.
struct State {
    /// When the next request may start at the steady rate; `None` before the first.
    next: Option<Instant>,
    /// Until when every request waits, after a `429` with `Retry-After`.
    paused_until: Option<Instant>,
}

/// The shared bucket of one client.
#[derive(Clone)]
pub(crate) struct Limiter {
    limit: RateLimit,
    state: Arc<Mutex<State>>,
}

impl fmt::Debug for Limiter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Limiter")
            .field("limit", &self.limit)
            .finish_non_exhaustive()
    }
}

impl Limiter {
    pub(crate) fn new(limit: RateLimit) -> Limiter {
        Limiter {
            limit,
            state: Arc::new(Mutex::new(State {
                next: None,
                paused_until: None,
            })),
        }
    }

    /// Takes a token at `now` when it is available within `max_wait`, and says how long to
    /// wait before sending; `Err(wait)` (nothing taken) when the wait is longer.
    pub(crate) fn reserve(
        &self,
        now: Instant,
        max_wait: Option<Duration>,
    ) -> Result<Duration, Duration> {
        let interval = self.limit.interval();
        let tolerance = interval * (self.limit.burst - 1);
        let mut state = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        let next = state.next.map_or(now, |n| n.max(now));
        // The bucket allows a start once `next` is within the burst's tolerance of now.
        let paced = next
            .checked_sub(tolerance)
            .map_or(Duration::ZERO, |t| t.saturating_duration_since(now));
        let paused = state
            .paused_until
            .map_or(Duration::ZERO, |until| until.saturating_duration_since(now));
        let wait = paced.max(paused);
        if max_wait.is_some_and(|max| wait > max) {
            return Err(wait);
        }
        state.next = Some(next.max(now + paused) + interval);
        Ok(wait)
    }

    /// Every request of the client waits until `until` (a `429` said `Retry-After`).
    pub(crate) fn pause_until(&self, until: Instant) {
        let mut state = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        state.paused_until = Some(state.paused_until.map_or(until, |p| p.max(until)));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ms(n: u64) -> Duration {
        Duration::from_millis(n)
    }

    /// The waits of `n` requests all arriving at `at`.
    fn burst(limiter: &Limiter, at: Instant, n: usize) -> Vec<Duration> {
        (0..n).map(|_| limiter.reserve(at, None).unwrap()).collect()
    }

    #[test]
    fn presets_and_interval() {
        assert_eq!(RateLimit::clerk_production().interval(), ms(10));
        assert_eq!(RateLimit::clerk_development().interval(), ms(100));
        assert_eq!(RateLimit::clerk_development().burst(), 10);
        assert_eq!(RateLimit::clerk_production().burst(), 100);
        assert_eq!(RateLimit::new(0, ms(10)).requests(), 1);
        assert_eq!(RateLimit::new(5, ms(10)).with_burst(0).burst(), 1);
    }

    #[test]
    fn a_burst_then_the_steady_rate() {
        let t0 = Instant::now();
        let limiter = Limiter::new(RateLimit::new(10, Duration::from_secs(1)).with_burst(3));
        // Three at once, then one every 100 ms.
        assert_eq!(
            burst(&limiter, t0, 6),
            [ms(0), ms(0), ms(0), ms(100), ms(200), ms(300)]
        );
        // Each waiter sent at its time; later ones queue behind them.
        assert_eq!(limiter.reserve(t0 + ms(300), None), Ok(ms(100)));
        // After a quiet second the burst is back, but no more than the burst.
        let later = t0 + Duration::from_secs(2);
        assert_eq!(burst(&limiter, later, 4), [ms(0), ms(0), ms(0), ms(100)]);
    }

    #[test]
    fn a_burst_of_one_spaces_every_request() {
        let t0 = Instant::now();
        let limiter = Limiter::new(RateLimit::new(4, Duration::from_secs(1)).with_burst(1));
        assert_eq!(burst(&limiter, t0, 3), [ms(0), ms(250), ms(500)]);
    }

    #[test]
    fn in_any_window_no_more_than_the_limit_start() {
        // Requests arriving every 7 ms for 3 s start at most `requests` per window (plus the
        // burst once), whatever the arrival pattern.
        let t0 = Instant::now();
        let limit = RateLimit::new(10, Duration::from_secs(1));
        let limiter = Limiter::new(limit);
        let starts: Vec<Instant> = (0..400u64)
            .map(|i| {
                let at = t0 + ms(i * 7);
                at + limiter.reserve(at, None).unwrap()
            })
            .collect();
        for (i, start) in starts.iter().enumerate() {
            let in_window = starts[i..]
                .iter()
                .take_while(|s| **s < *start + limit.per())
                .count();
            assert!(
                in_window <= 2 * limit.requests() as usize,
                "{in_window} at {i}"
            );
        }
        // At the steady rate: the 400th starts about 400 intervals after the burst.
        let last = starts[399].duration_since(t0);
        assert!(last >= limit.interval() * (400 - 10), "{last:?}");
    }

    #[test]
    fn a_wait_past_the_limit_takes_nothing() {
        let t0 = Instant::now();
        let limiter = Limiter::new(RateLimit::new(1, Duration::from_secs(1)));
        assert_eq!(limiter.reserve(t0, Some(ms(10))), Ok(ms(0)));
        assert_eq!(
            limiter.reserve(t0, Some(ms(10))),
            Err(Duration::from_secs(1))
        );
        assert_eq!(
            limiter.reserve(t0, Some(ms(10))),
            Err(Duration::from_secs(1))
        );
        // The refused ones took no token.
        assert_eq!(limiter.reserve(t0, None), Ok(Duration::from_secs(1)));
    }

    #[test]
    fn a_pause_holds_every_request_until_it_ends() {
        let t0 = Instant::now();
        let limiter = Limiter::new(RateLimit::new(100, Duration::from_secs(1)));
        let clone = limiter.clone();
        clone.pause_until(t0 + Duration::from_secs(3));
        // A shorter pause does not shorten it.
        limiter.pause_until(t0 + Duration::from_secs(1));
        assert_eq!(limiter.reserve(t0, None), Ok(Duration::from_secs(3)));
        assert_eq!(
            limiter.reserve(t0 + Duration::from_secs(2), None),
            Ok(Duration::from_secs(1))
        );
        assert_eq!(
            limiter.reserve(t0 + Duration::from_secs(3), None),
            Ok(ms(0))
        );
        assert_eq!(
            limiter.reserve(t0, Some(Duration::from_secs(2))),
            Err(Duration::from_secs(3))
        );
    }
}

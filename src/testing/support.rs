//! A fake clock and a capturing log sink, for deterministic tests of retries and logging.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::log::{LogEvent, LogSink};
use crate::retry::Clock;

/// A clock whose `sleep` returns at once and moves its time forward instead.
///
/// Install it with [`ClerkBuilder::clock`](crate::ClerkBuilder::clock); then read what the
/// retry loop waited with [`sleeps`](FakeClock::sleeps) and [`slept`](FakeClock::slept).
/// Its `now()` is real time plus everything slept, so deadlines see the fake waits.
#[derive(Debug, Clone, Default)]
pub struct FakeClock {
    state: Arc<Mutex<Vec<Duration>>>,
}

impl FakeClock {
    /// A new fake clock. Clones share it: give one to the client, keep one to read.
    pub fn new() -> FakeClock {
        FakeClock::default()
    }

    /// Every wait requested, in order.
    pub fn sleeps(&self) -> Vec<Duration> {
        self.state.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }

    /// The total of all waits (saturating).
    pub fn slept(&self) -> Duration {
        self.sleeps()
            .iter()
            .fold(Duration::ZERO, |a, d| a.saturating_add(*d))
    }
}

impl Clock for FakeClock {
    fn now(&self) -> Instant {
        let now = Instant::now();
        // Past what an `Instant` can hold, time stands still at one day ahead: later than
        // any deadline a test sets.
        now.checked_add(self.slept())
            .unwrap_or_else(|| now + Duration::from_secs(86_400))
    }

    fn sleep(&self, d: Duration) {
        self.state.lock().unwrap_or_else(|e| e.into_inner()).push(d);
    }
}

/// A log sink that keeps every event, for assertions.
#[derive(Debug, Clone, Default)]
pub struct CaptureSink {
    events: Arc<Mutex<Vec<LogEvent>>>,
}

impl CaptureSink {
    /// A new, empty sink; clones share the same events.
    pub fn new() -> CaptureSink {
        CaptureSink::default()
    }

    /// The events so far.
    pub fn events(&self) -> Vec<LogEvent> {
        self.events
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    /// The events so far, each formatted with `Display` and `Debug`, one per line.
    pub fn text(&self) -> String {
        self.events()
            .iter()
            .map(|e| format!("{e}\n{e:?}\n"))
            .collect()
    }
}

impl LogSink for CaptureSink {
    fn log(&self, event: &LogEvent) {
        self.events
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push(event.clone());
    }
}

//! Pluggable, secret-free logging of what the pipeline does.
//!
//! Every event carries only the operation id, the HTTP method, the path *template*, attempt
//! numbers, statuses, durations and Clerk's trace id. Headers, query values, filled-in paths,
//! bodies and keys are never part of an event, at any level, so no sink can leak them.

use std::fmt;
use std::time::Duration;

/// Receives the pipeline's events. Set one per client with
/// [`ClerkBuilder::log_sink`](crate::ClerkBuilder::log_sink).
///
/// Implementations must be cheap and must not block: they run on the calling thread.
pub trait LogSink: Send + Sync {
    /// Handles one event.
    fn log(&self, event: &LogEvent);
}

/// Any `Fn(&LogEvent)` closure is a sink: `.log_sink(|e: &LogEvent| eprintln!("{e}"))`.
impl<F: Fn(&LogEvent) + Send + Sync> LogSink for F {
    fn log(&self, event: &LogEvent) {
        self(event)
    }
}

/// The operation a log event belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct Operation {
    /// The spec's operation id, for example `GetUser` (as [`OperationInfo::operation_id`](crate::OperationInfo::operation_id)).
    pub operation_id: &'static str,
    /// The HTTP method, for example `GET` (as [`OperationInfo::http_method`](crate::OperationInfo::http_method)).
    pub http_method: &'static str,
    /// The path template, for example `/users/{user_id}`; never the filled-in path.
    pub path: &'static str,
}

/// Why the pipeline decided to retry or to stop.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum RetryReason {
    /// The server answered with this status.
    Status(u16),
    /// The connection could not be made; nothing was sent.
    ConnectFailed,
    /// An attempt's timeout elapsed.
    Timeout,
    /// The connection broke after the request may have been sent.
    ConnectionLost,
    /// The call's deadline leaves no room for another attempt.
    DeadlineExceeded,
    /// The server's `Retry-After` is longer than the policy's `max_delay`.
    RetryAfterTooLong,
    /// The retry budget is used up.
    RetriesExhausted,
    /// The request may have been processed and repeating it is not safe.
    NotIdempotent,
    /// The request body was a one-shot reader that cannot be sent again.
    BodyNotReplayable,
    /// The failure is not one that a retry can fix.
    NotRetryable,
}

/// One thing the pipeline did.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum LogEvent {
    /// An attempt is about to be sent (attempts count from 1).
    RequestSent {
        /// The operation.
        operation: Operation,
        /// The attempt number, from 1.
        attempt: u32,
    },
    /// A response arrived (any status).
    ResponseReceived {
        /// The operation.
        operation: Operation,
        /// The attempt number, from 1.
        attempt: u32,
        /// The HTTP status.
        status: u16,
        /// Time from sending the attempt to having the whole body.
        elapsed: Duration,
        /// Clerk's trace id, when the response carried one.
        trace_id: Option<String>,
    },
    /// Another attempt will follow after `delay`.
    RetryScheduled {
        /// The operation.
        operation: Operation,
        /// The attempt that failed.
        attempt: u32,
        /// Why it is retried.
        reason: RetryReason,
        /// The wait before the next attempt.
        delay: Duration,
    },
    /// The client's rate limit holds the attempt back for `delay` before it is sent
    /// ([`ClerkBuilder::rate_limit`](crate::ClerkBuilder::rate_limit)).
    RateLimited {
        /// The operation.
        operation: Operation,
        /// The attempt number, from 1.
        attempt: u32,
        /// The wait before sending.
        delay: Duration,
    },
    /// The call failed and will not be retried.
    GaveUp {
        /// The operation.
        operation: Operation,
        /// The number of attempts made.
        attempts: u32,
        /// Why no further attempt is made.
        reason: RetryReason,
        /// Time since the call started.
        elapsed: Duration,
    },
}

impl fmt::Display for LogEvent {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LogEvent::RequestSent {
                operation: o,
                attempt,
            } => {
                write!(
                    f,
                    "{} {} {} attempt {attempt}: sending",
                    o.operation_id, o.http_method, o.path
                )
            }
            LogEvent::ResponseReceived {
                operation: o,
                attempt,
                status,
                elapsed,
                trace_id,
            } => {
                write!(
                    f,
                    "{} {} {} attempt {attempt}: {status} in {elapsed:?}",
                    o.operation_id, o.http_method, o.path
                )?;
                if let Some(t) = trace_id {
                    write!(f, " (trace {t})")?;
                }
                Ok(())
            }
            LogEvent::RetryScheduled {
                operation: o,
                attempt,
                reason,
                delay,
            } => write!(
                f,
                "{} {} {} attempt {attempt}: retrying in {delay:?} ({reason:?})",
                o.operation_id, o.http_method, o.path
            ),
            LogEvent::RateLimited {
                operation: o,
                attempt,
                delay,
            } => write!(
                f,
                "{} {} {} attempt {attempt}: rate limited, waiting {delay:?}",
                o.operation_id, o.http_method, o.path
            ),
            LogEvent::GaveUp {
                operation: o,
                attempts,
                reason,
                elapsed,
            } => write!(
                f,
                "{} {} {}: giving up after {attempts} attempt(s) in {elapsed:?} ({reason:?})",
                o.operation_id, o.http_method, o.path
            ),
        }
    }
}

/// The default sink: forwards every event to the [`log`] facade, target `clerk_backend_api`,
/// at `debug` level (`warn` for giving up).
#[derive(Debug, Clone, Copy, Default)]
pub struct LogCrateSink;

impl LogSink for LogCrateSink {
    fn log(&self, event: &LogEvent) {
        let level = match event {
            LogEvent::GaveUp { .. } => ::log::Level::Warn,
            _ => ::log::Level::Debug,
        };
        if ::log::log_enabled!(target: "clerk_backend_api", level) {
            ::log::log!(target: "clerk_backend_api", level, "{event}");
        }
    }
}

/// A sink that drops every event.
#[derive(Debug, Clone, Copy, Default)]
pub struct NoopSink;

impl LogSink for NoopSink {
    fn log(&self, _event: &LogEvent) {}
}

//! What came back with a value: [`ApiResponse`].

use ureq::http::HeaderMap;

/// A decoded value together with the response it came from: the status, the headers and
/// Clerk's trace id. Made by `send_with_response()`.
///
/// The headers are the server's, with the request's secrets (the key, tokens it sent) taken
/// out of their values, as in errors.
#[derive(Debug, Clone)]
pub struct ApiResponse<T> {
    value: T,
    status: u16,
    headers: HeaderMap,
    trace_id: Option<String>,
}

impl<T> ApiResponse<T> {
    pub(crate) fn new(value: T, status: u16, headers: HeaderMap, trace_id: Option<String>) -> Self {
        ApiResponse {
            value,
            status,
            headers,
            trace_id,
        }
    }

    /// The decoded value.
    pub fn value(&self) -> &T {
        &self.value
    }

    /// The HTTP status (a 2xx).
    pub fn status(&self) -> u16 {
        self.status
    }

    /// The response headers (`x-ratelimit-*`, `cf-ray`, ...).
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// One header's value, when it is present and text.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    /// Clerk's trace id: the first of the headers `x-clerk-trace-id`, `clerk-trace-id` and
    /// `cf-ray`. Quote it when asking Clerk's support about a call.
    pub fn trace_id(&self) -> Option<&str> {
        self.trace_id.as_deref()
    }

    /// The value, dropping the rest.
    pub fn into_inner(self) -> T {
        self.value
    }

    /// The value with the status and headers kept: for turning a typed value into another.
    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> ApiResponse<U> {
        ApiResponse {
            value: f(self.value),
            status: self.status,
            headers: self.headers,
            trace_id: self.trace_id,
        }
    }
}

//! Macros shared by every request builder.

/// The per-call settings every request builder offers. Expands inside `impl Builder { .. }`
/// for a builder with an `options: CallOptions` field.
macro_rules! call_options {
    () => {
        /// Overrides the client's retry policy for this call.
        pub fn retry_policy(mut self, policy: $crate::RetryPolicy) -> Self {
            self.options.retry = Some(policy);
            self
        }

        /// Makes exactly one attempt.
        pub fn no_retries(self) -> Self {
            self.retry_policy($crate::RetryPolicy::none())
        }

        /// Overrides the client's per-attempt timeout for this call.
        pub fn timeout(mut self, timeout: ::std::time::Duration) -> Self {
            self.options.timeout = Some(timeout);
            self
        }

        /// Overrides the client's deadline for this call: the budget of the whole call,
        /// retries and waits included.
        pub fn deadline(mut self, deadline: ::std::time::Duration) -> Self {
            self.options.deadline = Some(deadline);
            self
        }

        /// Adds a header to this call (replacing a client default of the same name). A name
        /// that is not valid, a value with CR or LF, or one of the SDK's own headers
        /// (`Authorization`, `Clerk-API-Version`, `User-Agent`, `X-Clerk-SDK`, and those
        /// of the transport) make the call fail with
        /// [`Error::InvalidRequest`](crate::Error::InvalidRequest) before anything is sent.
        pub fn header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
            self.options.headers.push((name.into(), value.into()));
            self
        }

        /// Declares that repeating this call is safe (for example a write that sets a value,
        /// or one your own idempotency scheme protects), so a `5xx`, a timeout or a lost
        /// connection retries it as for a `GET`. Without it, a write the server may have
        /// performed is never sent twice.
        pub fn idempotent(mut self) -> Self {
            self.options.idempotent = true;
            self
        }
    };
}

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
    };
}

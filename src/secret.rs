//! The secret key, kept where no `Debug`, `Display` or log line can reach it.

use std::fmt;

use crate::error::InvalidRequest;

/// A Clerk secret key (`sk_live_…` or `sk_test_…`).
///
/// It has no `Display`, and its `Debug` shows only the environment prefix.
#[derive(Clone)]
pub(crate) struct SecretKey(String);

impl SecretKey {
    /// Checks the key's shape. The error never echoes the key.
    pub(crate) fn new(key: String) -> Result<SecretKey, InvalidRequest> {
        if key.is_empty() {
            return Err(InvalidRequest::new("the secret key is empty"));
        }
        if !key.starts_with("sk_") {
            return Err(InvalidRequest::new(
                "the secret key must start with `sk_` (a publishable `pk_` key cannot call the Backend API)",
            ));
        }
        if key.bytes().any(|b| !b.is_ascii_graphic()) {
            return Err(InvalidRequest::new(
                "the secret key contains whitespace or control characters",
            ));
        }
        Ok(SecretKey(key))
    }

    pub(crate) fn expose(&self) -> &str {
        &self.0
    }

    fn prefix(&self) -> &'static str {
        if self.0.starts_with("sk_live_") {
            "sk_live_…"
        } else if self.0.starts_with("sk_test_") {
            "sk_test_…"
        } else {
            "sk_…"
        }
    }
}

impl fmt::Debug for SecretKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.prefix())
    }
}

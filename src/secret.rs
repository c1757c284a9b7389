//! The secret key, kept where no `Debug`, `Display` or log line can reach it, and [`Redacted`],
//! the `Debug` stand-in for the secret fields of models and webhook payloads.

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

/// `Debug` stand-in for a secret field: prints `<redacted>` when the field
/// holds something, and only the fact that it is empty otherwise.
///
/// Call site: `.field("backup_codes", &Redacted(&self.backup_codes))`.
pub(crate) struct Redacted<'a, T: ?Sized>(pub(crate) &'a T);

const REDACTED: &str = "<redacted>";

impl<T> fmt::Debug for Redacted<'_, Option<T>> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            Some(_) => f.write_str(REDACTED),
            None => f.write_str("None"),
        }
    }
}

impl<T> fmt::Debug for Redacted<'_, Vec<T>> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0.is_empty() {
            f.write_str("[]")
        } else {
            f.write_str(REDACTED)
        }
    }
}

impl<T> fmt::Debug for Redacted<'_, crate::patch::Patch<T>> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            crate::patch::Patch::Keep => f.write_str("Keep"),
            crate::patch::Patch::Null => f.write_str("Null"),
            crate::patch::Patch::Set(_) => f.write_str(REDACTED),
        }
    }
}

impl fmt::Debug for Redacted<'_, String> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(REDACTED)
    }
}

impl fmt::Debug for Redacted<'_, serde_json::Value> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            serde_json::Value::Null => f.write_str("Null"),
            _ => f.write_str(REDACTED),
        }
    }
}

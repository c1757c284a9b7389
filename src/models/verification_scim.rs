//! The `verification_scim` schema.

use serde::{Deserialize, Serialize};

/// A verification through SCIM provisioning.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[non_exhaustive]
pub struct VerificationScim {
    /// Object type tag (`verification_scim`).
    pub object: Option<String>,
    /// Status of the verification (`verified`).
    #[serde(deserialize_with = "crate::models::support::null_as_default")]
    pub status: String,
    /// Strategy used for the verification (`scim`).
    #[serde(deserialize_with = "crate::models::support::null_as_default")]
    pub strategy: String,
    /// Number of attempts made, if counted.
    pub attempts: Option<i64>,
    /// When the verification expires, as a Unix timestamp in milliseconds.
    pub expire_at: Option<i64>,
}

impl crate::models::support::Strategy for VerificationScim {
    fn has_strategy(strategy: &str) -> bool {
        strategy == "scim"
    }
}

//! The `verification_admin` schema.

use serde::{Deserialize, Serialize};

/// A verification done by an administrator.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[non_exhaustive]
pub struct VerificationAdmin {
    /// Object type tag (`verification_admin`).
    pub object: Option<String>,
    /// Status of the verification (`verified`).
    #[serde(deserialize_with = "crate::models::support::null_as_default")]
    pub status: String,
    /// Strategy used for the verification (`admin`).
    #[serde(deserialize_with = "crate::models::support::null_as_default")]
    pub strategy: String,
    /// Number of attempts made, if counted.
    pub attempts: Option<i64>,
    /// When the verification expires, as a Unix timestamp in milliseconds.
    pub expire_at: Option<i64>,
    /// ID of the client the verification was completed on, if known.
    pub verified_at_client: Option<String>,
}

impl crate::models::support::Strategy for VerificationAdmin {
    fn has_strategy(strategy: &str) -> bool {
        strategy == "admin"
    }
}

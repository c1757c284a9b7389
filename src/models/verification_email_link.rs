//! The `verification_email_link` schema.

use serde::{Deserialize, Serialize};

/// A verification by email link.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[non_exhaustive]
pub struct VerificationEmailLink {
    /// Object type tag (`verification_email_link`).
    pub object: Option<String>,
    /// Status of the verification.
    #[serde(deserialize_with = "crate::models::support::null_as_default")]
    pub status: VerificationEmailLinkStatus,
    /// Strategy used for the verification (`email_link`).
    #[serde(deserialize_with = "crate::models::support::null_as_default")]
    pub strategy: String,
    /// Number of attempts made, if counted.
    pub attempts: Option<i64>,
    /// When the verification expires, as a Unix timestamp in milliseconds.
    pub expire_at: Option<i64>,
    /// ID of the client the verification was completed on, if known.
    pub verified_at_client: Option<String>,
}

string_enum! {
    /// Status of a [`VerificationEmailLink`].
    VerificationEmailLinkStatus {
        /// `unverified`
        Unverified = "unverified",
        /// `verified`
        Verified = "verified",
        /// `failed`
        Failed = "failed",
        /// `expired`
        Expired = "expired",
    }
}

impl crate::models::support::Strategy for VerificationEmailLink {
    fn has_strategy(strategy: &str) -> bool {
        strategy == "email_link"
    }
}

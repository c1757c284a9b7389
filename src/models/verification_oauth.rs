//! The `verification_oauth` schema.

use serde::{Deserialize, Serialize};

use crate::models::ClerkError;

/// A verification through an OAuth provider.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct VerificationOauth {
    /// Object type tag (`verification_oauth`).
    pub object: Option<String>,
    /// Status of the verification.
    #[serde(deserialize_with = "crate::models::support::null_as_default")]
    pub status: VerificationOauthStatus,
    /// Strategy used for the verification, e.g. `oauth_google`.
    #[serde(deserialize_with = "crate::models::support::null_as_default")]
    pub strategy: String,
    /// URL to send the user to, to complete the verification at the provider.
    pub external_verification_redirect_url: Option<String>,
    /// The error that made the verification fail, if any.
    pub error: Option<ClerkError>,
    /// When the verification expires, as a Unix timestamp in milliseconds.
    #[serde(deserialize_with = "crate::models::support::null_as_default")]
    pub expire_at: i64,
    /// Number of attempts made, if counted.
    pub attempts: Option<i64>,
    /// ID of the client the verification was completed on, if known.
    pub verified_at_client: Option<String>,
}

string_enum! {
    /// Status of a [`VerificationOauth`].
    VerificationOauthStatus {
        /// `unverified`
        Unverified = "unverified",
        /// `verified`
        Verified = "verified",
        /// `failed`
        Failed = "failed",
        /// `expired`
        Expired = "expired",
        /// `transferable`
        Transferable = "transferable",
    }
}

impl crate::models::support::Strategy for VerificationOauth {
    fn has_strategy(strategy: &str) -> bool {
        strategy.starts_with("oauth_")
    }
}

//! The `verification_from_oauth` schema.

use serde::{Deserialize, Serialize};

use crate::models::ClerkError;

/// A verification of an email address taken from an OAuth provider.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct VerificationFromOauth {
    /// Object type tag (`verification_from_oauth`).
    pub object: Option<String>,
    /// Status of the verification.
    #[serde(deserialize_with = "crate::models::support::null_as_default")]
    pub status: VerificationFromOauthStatus,
    /// Strategy used for the verification, e.g. `from_oauth_google`.
    #[serde(deserialize_with = "crate::models::support::null_as_default")]
    pub strategy: String,
    /// The error that made the verification fail, if any.
    pub error: Option<ClerkError>,
    /// When the verification expires, as a Unix timestamp in milliseconds.
    pub expire_at: Option<i64>,
    /// Number of attempts made, if counted.
    pub attempts: Option<i64>,
    /// ID of the client the verification was completed on, if known.
    pub verified_at_client: Option<String>,
}

string_enum! {
    /// Status of a [`VerificationFromOauth`].
    VerificationFromOauthStatus {
        /// `unverified`
        Unverified = "unverified",
        /// `verified`
        Verified = "verified",
    }
}

impl crate::models::support::Strategy for VerificationFromOauth {
    fn has_strategy(strategy: &str) -> bool {
        strategy.starts_with("from_oauth_")
    }
}

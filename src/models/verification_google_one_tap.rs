//! The `verification_google_one_tap` schema.

use serde::{Deserialize, Serialize};

use crate::models::ClerkError;

/// A verification through Google One Tap.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct VerificationGoogleOneTap {
    /// Object type tag (`verification_google_one_tap`).
    pub object: Option<String>,
    /// Status of the verification.
    #[serde(deserialize_with = "crate::models::support::null_as_default")]
    pub status: VerificationGoogleOneTapStatus,
    /// Strategy used for the verification (`google_one_tap`).
    #[serde(deserialize_with = "crate::models::support::null_as_default")]
    pub strategy: String,
    /// When the verification expires, as a Unix timestamp in milliseconds.
    pub expire_at: Option<i64>,
    /// Number of attempts made, if counted.
    pub attempts: Option<i64>,
    /// ID of the client the verification was completed on, if known.
    pub verified_at_client: Option<String>,
    /// The error that made the verification fail, if any.
    pub error: Option<ClerkError>,
}

string_enum! {
    /// Status of a [`VerificationGoogleOneTap`].
    VerificationGoogleOneTapStatus {
        /// `unverified`
        Unverified = "unverified",
        /// `verified`
        Verified = "verified",
    }
}

impl crate::models::support::Strategy for VerificationGoogleOneTap {
    fn has_strategy(strategy: &str) -> bool {
        strategy == "google_one_tap"
    }
}

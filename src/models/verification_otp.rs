//! The `verification_otp` schema.

use serde::{Deserialize, Serialize};

/// A verification by one-time code (email or SMS).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[non_exhaustive]
pub struct VerificationOtp {
    /// Object type tag (`verification_otp`).
    pub object: Option<String>,
    /// Status of the verification.
    #[serde(deserialize_with = "crate::models::support::null_as_default")]
    pub status: VerificationOtpStatus,
    /// Strategy used for the verification.
    #[serde(deserialize_with = "crate::models::support::null_as_default")]
    pub strategy: VerificationOtpStrategy,
    /// Number of attempts made, if counted.
    pub attempts: Option<i64>,
    /// When the verification expires, as a Unix timestamp in milliseconds.
    pub expire_at: Option<i64>,
    /// The delivery channel of the code (phone codes only).
    pub channel: Option<String>,
    /// ID of the client the verification was completed on, if known.
    pub verified_at_client: Option<String>,
}

string_enum! {
    /// Status of a [`VerificationOtp`].
    VerificationOtpStatus {
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

string_enum! {
    /// Strategy of a [`VerificationOtp`].
    VerificationOtpStrategy {
        /// `phone_code`
        PhoneCode = "phone_code",
        /// `email_code`
        EmailCode = "email_code",
        /// `reset_password_email_code`
        ResetPasswordEmailCode = "reset_password_email_code",
    }
}

impl crate::models::support::Strategy for VerificationOtp {
    fn has_strategy(strategy: &str) -> bool {
        matches!(
            strategy,
            "phone_code" | "email_code" | "reset_password_email_code"
        )
    }
}

//! The `verification_ticket` schema.

use serde::{Deserialize, Serialize};

/// A verification by ticket (e.g. an invitation).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[non_exhaustive]
pub struct VerificationTicket {
    /// Object type tag (`verification_ticket`).
    pub object: Option<String>,
    /// Status of the verification.
    #[serde(deserialize_with = "crate::models::support::null_as_default")]
    pub status: VerificationTicketStatus,
    /// Strategy used for the verification (`ticket`).
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
    /// Status of a [`VerificationTicket`].
    VerificationTicketStatus {
        /// `unverified`
        Unverified = "unverified",
        /// `verified`
        Verified = "verified",
        /// `expired`
        Expired = "expired",
    }
}

impl crate::models::support::Strategy for VerificationTicket {
    fn has_strategy(strategy: &str) -> bool {
        strategy == "ticket"
    }
}

//! The `Passkey` schema.

use serde::{Deserialize, Serialize};

use crate::models::VerificationPasskey;

/// A passkey of a user.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Passkey {
    /// Unique identifier of the passkey.
    pub id: Option<String>,
    /// String representing the object's type. Objects of the same type share the same value.
    #[serde(deserialize_with = "crate::models::support::null_as_default")]
    pub object: String,
    /// Name of the passkey.
    #[serde(deserialize_with = "crate::models::support::null_as_default")]
    pub name: String,
    /// Unix timestamp (milliseconds) of when the passkey was last used.
    #[serde(deserialize_with = "crate::models::support::null_as_default")]
    pub last_used_at: i64,
    /// Verification of the passkey, if any.
    pub verification: Option<PasskeyVerification>,
}

tagged_union! {
    /// How a passkey was verified.
    PasskeyVerification {
        /// Verified by passkey.
        Passkey = "verification_passkey" => VerificationPasskey,
    }
}

//! The `PhoneNumber` schema.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::models::support::Redacted;
use crate::models::{IdentificationLink, VerificationAdmin, VerificationOtp};

/// A phone number of a user.
#[derive(Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct PhoneNumber {
    /// Unique identifier of the phone number.
    pub id: Option<String>,
    /// String representing the object's type. Objects of the same type share the same value.
    #[serde(deserialize_with = "crate::models::support::null_as_default")]
    pub object: String,
    /// The phone number.
    #[serde(deserialize_with = "crate::models::support::null_as_default")]
    pub phone_number: String,
    /// Whether the phone number is reserved for second-factor authentication.
    pub reserved_for_second_factor: Option<bool>,
    /// Whether the phone number is the default second factor.
    pub default_second_factor: Option<bool>,
    /// Whether the phone number is reserved.
    #[serde(deserialize_with = "crate::models::support::null_as_default")]
    pub reserved: bool,
    /// Verification of the phone number, if any.
    pub verification: Option<PhoneNumberVerification>,
    /// Identifications this phone number is linked to.
    #[serde(default, deserialize_with = "crate::models::support::null_as_default")]
    pub linked_to: Vec<IdentificationLink>,
    /// Backup codes; secret, and redacted in `Debug`.
    #[serde(default, deserialize_with = "crate::models::support::null_as_default")]
    pub backup_codes: Vec<String>,
    /// Unix timestamp (milliseconds) of creation.
    #[serde(deserialize_with = "crate::models::support::null_as_default")]
    pub created_at: i64,
    /// Unix timestamp (milliseconds) of last update.
    #[serde(deserialize_with = "crate::models::support::null_as_default")]
    pub updated_at: i64,
}

impl fmt::Debug for PhoneNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let Self {
            id,
            object,
            phone_number,
            reserved_for_second_factor,
            default_second_factor,
            reserved,
            verification,
            linked_to,
            backup_codes,
            created_at,
            updated_at,
        } = self;
        f.debug_struct("PhoneNumber")
            .field("id", id)
            .field("object", object)
            .field("phone_number", phone_number)
            .field("reserved_for_second_factor", reserved_for_second_factor)
            .field("default_second_factor", default_second_factor)
            .field("reserved", reserved)
            .field("verification", verification)
            .field("linked_to", linked_to)
            .field("backup_codes", &Redacted(backup_codes))
            .field("created_at", created_at)
            .field("updated_at", updated_at)
            .finish()
    }
}

tagged_union! {
    /// How a phone number was verified.
    PhoneNumberVerification {
        /// Verified by one-time code.
        Otp = "verification_otp" => VerificationOtp,
        /// Verified by an administrator.
        Admin = "verification_admin" => VerificationAdmin,
    }
}

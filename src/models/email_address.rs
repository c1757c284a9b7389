//! The `EmailAddress` schema.

use serde::{Deserialize, Serialize};

use crate::models::{
    IdentificationLink, VerificationAdmin, VerificationEmailLink, VerificationFromOauth,
    VerificationOtp, VerificationSaml, VerificationScim, VerificationTicket,
};

/// An email address of a user.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct EmailAddress {
    /// Unique identifier of the email address.
    pub id: Option<String>,
    /// String representing the object's type. Objects of the same type share the same value.
    #[serde(deserialize_with = "crate::models::support::null_as_default")]
    pub object: String,
    /// The email address.
    #[serde(deserialize_with = "crate::models::support::null_as_default")]
    pub email_address: String,
    /// Whether the email address is reserved.
    #[serde(deserialize_with = "crate::models::support::null_as_default")]
    pub reserved: bool,
    /// Verification of the email address, if any.
    pub verification: Option<EmailAddressVerification>,
    /// Identifications (e.g. OAuth accounts) this email address is linked to.
    #[serde(default, deserialize_with = "crate::models::support::null_as_default")]
    pub linked_to: Vec<IdentificationLink>,
    /// Indicates whether this email address domain matches an active enterprise connection.
    pub matches_sso_connection: Option<bool>,
    /// Unix timestamp (milliseconds) of creation.
    #[serde(deserialize_with = "crate::models::support::null_as_default")]
    pub created_at: i64,
    /// Unix timestamp (milliseconds) of last update.
    #[serde(deserialize_with = "crate::models::support::null_as_default")]
    pub updated_at: i64,
}

tagged_union! {
    /// How an email address was verified.
    EmailAddressVerification {
        /// Verified by one-time code.
        Otp = "verification_otp" => VerificationOtp,
        /// Verified by an administrator.
        Admin = "verification_admin" => VerificationAdmin,
        /// Taken from an OAuth provider.
        FromOauth = "verification_from_oauth" => VerificationFromOauth,
        /// Verified by ticket.
        Ticket = "verification_ticket" => VerificationTicket,
        /// Verified through SAML.
        Saml = "verification_saml" => VerificationSaml,
        /// Verified by email link.
        EmailLink = "verification_email_link" => VerificationEmailLink,
        /// Provisioned through SCIM.
        Scim = "verification_scim" => VerificationScim,
    }
}

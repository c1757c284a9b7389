//! The `SAMLAccount` schema.

use serde::{Deserialize, Serialize};

use crate::models::{SamlAccountConnection, VerificationSaml, VerificationTicket};

/// A user's account at a SAML connection.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct SamlAccount {
    /// Unique identifier of the SAML account.
    #[serde(deserialize_with = "crate::models::support::null_as_default")]
    pub id: String,
    /// String representing the object's type. Objects of the same type share the same value.
    #[serde(deserialize_with = "crate::models::support::null_as_default")]
    pub object: String,
    /// Provider of the SAML connection, e.g. `saml_okta`.
    #[serde(deserialize_with = "crate::models::support::null_as_default")]
    pub provider: String,
    /// Whether the SAML account is active.
    #[serde(deserialize_with = "crate::models::support::null_as_default")]
    pub active: bool,
    /// Email address of the account.
    #[serde(deserialize_with = "crate::models::support::null_as_default")]
    pub email_address: String,
    /// First name reported by the identity provider.
    pub first_name: Option<String>,
    /// Last name reported by the identity provider.
    pub last_name: Option<String>,
    /// The unique ID of the user in the identity provider's system.
    pub provider_user_id: Option<String>,
    /// Unix timestamp (milliseconds) of last authentication.
    pub last_authenticated_at: Option<i64>,
    /// Public metadata of the account, free-form JSON.
    #[serde(default)]
    pub public_metadata: serde_json::Value,
    /// Verification of the account, if any.
    pub verification: Option<SamlAccountVerification>,
    /// The SAML connection of the account, if any.
    pub saml_connection: Option<SamlAccountConnection>,
}

tagged_union! {
    /// How a SAML account was verified.
    SamlAccountVerification {
        /// Verified through SAML.
        Saml = "verification_saml" => VerificationSaml,
        /// Verified by ticket.
        Ticket = "verification_ticket" => VerificationTicket,
    }
}

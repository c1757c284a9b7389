//! The `EnterpriseAccount` schema.

use serde::{Deserialize, Serialize};

use crate::models::{
    EnterpriseAccountConnection, VerificationOauth, VerificationSaml, VerificationTicket,
};

/// A user's account at an enterprise connection (SAML or OAuth/OIDC).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct EnterpriseAccount {
    /// Unique identifier of the enterprise account.
    #[serde(deserialize_with = "crate::models::support::null_as_default")]
    pub id: String,
    /// String representing the object's type. Objects of the same type share the same value.
    #[serde(deserialize_with = "crate::models::support::null_as_default")]
    pub object: String,
    /// The authentication protocol used to sign in.
    pub protocol: Option<EnterpriseAccountProtocol>,
    /// The provider of the enterprise connection, e.g. `saml_okta`.
    #[serde(deserialize_with = "crate::models::support::null_as_default")]
    pub provider: String,
    /// Whether the enterprise account is active.
    #[serde(deserialize_with = "crate::models::support::null_as_default")]
    pub active: bool,
    /// Email address of the account.
    #[serde(deserialize_with = "crate::models::support::null_as_default")]
    pub email_address: String,
    /// First name reported by the provider.
    pub first_name: Option<String>,
    /// Last name reported by the provider.
    pub last_name: Option<String>,
    /// The unique ID of the user in the external provider's system.
    pub provider_user_id: Option<String>,
    /// ID of the enterprise connection.
    pub enterprise_connection_id: Option<String>,
    /// Public metadata of the account, free-form JSON.
    #[serde(default)]
    pub public_metadata: serde_json::Value,
    /// Verification of the account, if any.
    pub verification: Option<EnterpriseAccountVerification>,
    /// The enterprise connection of the account, if any.
    pub enterprise_connection: Option<EnterpriseAccountConnection>,
    /// Unix timestamp (milliseconds) of last authentication.
    pub last_authenticated_at: Option<i64>,
}

string_enum! {
    /// The authentication protocol used to sign in.
    EnterpriseAccountProtocol {
        /// `oauth`
        Oauth = "oauth",
        /// `saml`
        Saml = "saml",
    }
}

tagged_union! {
    /// How an enterprise account was verified.
    EnterpriseAccountVerification {
        /// Verified by ticket.
        Ticket = "verification_ticket" => VerificationTicket,
        /// Verified through SAML.
        Saml = "verification_saml" => VerificationSaml,
        /// Verified through OAuth.
        Oauth = "verification_oauth" => VerificationOauth,
    }
}

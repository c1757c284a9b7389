//! The `User` schema.

use serde::{Deserialize, Serialize};

use crate::models::{
    EmailAddress, EnterpriseAccount, ExternalAccountWithVerification, OrganizationMembership,
    Passkey, PhoneNumber, SamlAccount, ScimUserMetadata, Web3Wallet,
};

/// A user of the instance.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct User {
    /// Unique identifier of the user.
    #[serde(deserialize_with = "crate::models::support::null_as_default")]
    pub id: String,
    /// String representing the object's type. Objects of the same type share the same value.
    #[serde(deserialize_with = "crate::models::support::null_as_default")]
    pub object: String,
    /// ID of the user in your own system, if set.
    pub external_id: Option<String>,
    /// ID of the user's primary email address.
    pub primary_email_address_id: Option<String>,
    /// ID of the user's primary phone number.
    pub primary_phone_number_id: Option<String>,
    /// ID of the user's primary Web3 wallet.
    pub primary_web3_wallet_id: Option<String>,
    /// Username of the user.
    pub username: Option<String>,
    /// First name of the user.
    pub first_name: Option<String>,
    /// Last name of the user.
    pub last_name: Option<String>,
    /// Locale of the user, e.g. `en-US`.
    pub locale: Option<String>,
    /// Deprecated. URL of the user's profile image; use `image_url`.
    pub profile_image_url: Option<String>,
    /// URL of the user's image.
    pub image_url: Option<String>,
    /// Whether the user has an uploaded image.
    #[serde(deserialize_with = "crate::models::support::null_as_default")]
    pub has_image: bool,
    /// Metadata readable from the Frontend and Backend APIs, writable from the Backend API; free-form JSON.
    #[serde(default)]
    pub public_metadata: serde_json::Value,
    /// Metadata only accessible from the Backend API; free-form JSON.
    #[serde(default)]
    pub private_metadata: serde_json::Value,
    /// Metadata readable and writable from the Frontend API; free-form JSON.
    #[serde(default)]
    pub unsafe_metadata: serde_json::Value,
    /// Email addresses of the user.
    #[serde(default, deserialize_with = "crate::models::support::null_as_default")]
    pub email_addresses: Vec<EmailAddress>,
    /// Phone numbers of the user.
    #[serde(default, deserialize_with = "crate::models::support::null_as_default")]
    pub phone_numbers: Vec<PhoneNumber>,
    /// Web3 wallets of the user.
    #[serde(default, deserialize_with = "crate::models::support::null_as_default")]
    pub web3_wallets: Vec<Web3Wallet>,
    /// Passkeys of the user.
    #[serde(default, deserialize_with = "crate::models::support::null_as_default")]
    pub passkeys: Vec<Passkey>,
    /// Whether the user has a password.
    #[serde(deserialize_with = "crate::models::support::null_as_default")]
    pub password_enabled: bool,
    /// Whether the user has a second factor enabled.
    #[serde(deserialize_with = "crate::models::support::null_as_default")]
    pub two_factor_enabled: bool,
    /// Whether the user has an authenticator app (TOTP) enabled.
    #[serde(deserialize_with = "crate::models::support::null_as_default")]
    pub totp_enabled: bool,
    /// Whether the user has backup codes enabled.
    #[serde(deserialize_with = "crate::models::support::null_as_default")]
    pub backup_code_enabled: bool,
    /// Unix timestamp (milliseconds) of when MFA was last enabled for this user. It should be noted that this field is not nullified if MFA is disabled.
    pub mfa_enabled_at: Option<i64>,
    /// Unix timestamp (milliseconds) of when MFA was last disabled for this user. It should be noted that this field is not nullified if MFA is enabled again.
    pub mfa_disabled_at: Option<i64>,
    /// Unix timestamp (milliseconds) of when the user's password was last updated.
    pub password_last_updated_at: Option<i64>,
    /// External (OAuth) accounts of the user.
    #[serde(default, deserialize_with = "crate::models::support::null_as_default")]
    pub external_accounts: Vec<ExternalAccountWithVerification>,
    /// SAML accounts of the user.
    #[serde(default, deserialize_with = "crate::models::support::null_as_default")]
    pub saml_accounts: Vec<SamlAccount>,
    /// Enterprise accounts of the user.
    #[serde(default, deserialize_with = "crate::models::support::null_as_default")]
    pub enterprise_accounts: Vec<EnterpriseAccount>,
    /// Organization memberships of the user, when requested.
    #[serde(default, deserialize_with = "crate::models::support::null_as_default")]
    pub organization_memberships: Vec<OrganizationMembership>,
    /// Unix timestamp (milliseconds) of last sign-in.
    pub last_sign_in_at: Option<i64>,
    /// Flag to denote whether user is banned or not.
    #[serde(deserialize_with = "crate::models::support::null_as_default")]
    pub banned: bool,
    /// Flag to denote whether user is currently locked, i.e. restricted from signing in or not.
    #[serde(deserialize_with = "crate::models::support::null_as_default")]
    pub locked: bool,
    /// Flag to denote whether user has been deprovisioned and is restricted from signing in.
    pub deprovisioned: Option<bool>,
    /// The number of seconds remaining until the lockout period expires for a locked user. A null value for a locked user indicates that lockout never expires.
    pub lockout_expires_in_seconds: Option<i64>,
    /// The number of verification attempts remaining until the user is locked. Null if account lockout is not enabled. Note: if a user is locked explicitly via the Backend API, they may still have verification attempts remaining.
    pub verification_attempts_remaining: Option<i64>,
    /// Unix timestamp (milliseconds) of last update.
    #[serde(deserialize_with = "crate::models::support::null_as_default")]
    pub updated_at: i64,
    /// Unix timestamp (milliseconds) of creation.
    #[serde(deserialize_with = "crate::models::support::null_as_default")]
    pub created_at: i64,
    /// If enabled, user can delete themselves via FAPI.
    #[serde(deserialize_with = "crate::models::support::null_as_default")]
    pub delete_self_enabled: bool,
    /// If enabled, user can create organizations via FAPI.
    #[serde(deserialize_with = "crate::models::support::null_as_default")]
    pub create_organization_enabled: bool,
    /// The maximum number of organizations the user can create. 0 means unlimited.
    pub create_organizations_limit: Option<i64>,
    /// Unix timestamp (milliseconds) of the latest session activity, with day precision.
    pub last_active_at: Option<i64>,
    /// Unix timestamp (milliseconds) of when the user accepted the legal requirements.
    pub legal_accepted_at: Option<i64>,
    /// When set to `true`, the user will bypass Device Trust checks during sign-in.
    pub bypass_client_trust: Option<bool>,
    /// SCIM directory linkage of the user, if delivered.
    pub scim: Option<ScimUserMetadata>,
}

//! The `ExternalAccountWithVerification` schema.

use serde::{Deserialize, Serialize};

use crate::models::{VerificationGoogleOneTap, VerificationOauth};

/// A user's account at an external OAuth provider, with its verification.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ExternalAccountWithVerification {
    /// String representing the object's type. Objects of the same type share the same value.
    #[serde(deserialize_with = "crate::models::support::null_as_default")]
    pub object: ExternalAccountWithVerificationObject,
    /// Unique identifier of the external account.
    #[serde(deserialize_with = "crate::models::support::null_as_default")]
    pub id: String,
    /// The OAuth provider, e.g. `oauth_google`.
    #[serde(deserialize_with = "crate::models::support::null_as_default")]
    pub provider: String,
    /// ID of the identification this account belongs to.
    #[serde(deserialize_with = "crate::models::support::null_as_default")]
    pub identification_id: String,
    /// The unique ID of the user in the external provider's system.
    #[serde(deserialize_with = "crate::models::support::null_as_default")]
    pub provider_user_id: String,
    /// OAuth scopes the user approved, separated by spaces.
    #[serde(deserialize_with = "crate::models::support::null_as_default")]
    pub approved_scopes: String,
    /// Email address reported by the provider.
    #[serde(deserialize_with = "crate::models::support::null_as_default")]
    pub email_address: String,
    /// Whether the email was verified by the OAuth provider at creation time. null = unknown (pre-migration data or custom OAuth providers), true = provider confirmed email was verified, false = provider confirmed email was NOT verified.
    pub email_address_verified: Option<bool>,
    /// First name reported by the provider.
    #[serde(deserialize_with = "crate::models::support::null_as_default")]
    pub first_name: String,
    /// Last name reported by the provider.
    #[serde(deserialize_with = "crate::models::support::null_as_default")]
    pub last_name: String,
    /// Deprecated. Please use `image_url` instead.
    pub avatar_url: Option<String>,
    /// URL of the account's image, if any.
    pub image_url: Option<String>,
    /// Username at the provider, if any.
    pub username: Option<String>,
    /// Phone number reported by the provider, if any.
    pub phone_number: Option<String>,
    /// Public metadata of the account, free-form JSON.
    #[serde(default)]
    pub public_metadata: serde_json::Value,
    /// Label of the account, if any.
    pub label: Option<String>,
    /// Unix timestamp (milliseconds) of creation.
    #[serde(deserialize_with = "crate::models::support::null_as_default")]
    pub created_at: i64,
    /// Unix timestamp (milliseconds) of last update.
    #[serde(deserialize_with = "crate::models::support::null_as_default")]
    pub updated_at: i64,
    /// Verification of the account, if any.
    pub verification: Option<ExternalAccountWithVerificationVerification>,
}

string_enum! {
    /// Type of an external account object.
    ExternalAccountWithVerificationObject {
        /// `external_account`
        ExternalAccount = "external_account",
        /// `facebook_account`
        FacebookAccount = "facebook_account",
        /// `google_account`
        GoogleAccount = "google_account",
    }
}

tagged_union! {
    /// How an external account was verified.
    ExternalAccountWithVerificationVerification {
        /// Verified through OAuth.
        Oauth = "verification_oauth" => VerificationOauth,
        /// Verified through Google One Tap.
        GoogleOneTap = "verification_google_one_tap" => VerificationGoogleOneTap,
    }
}

//! The `EnterpriseAccountConnection` schema.

use serde::{Deserialize, Serialize};

/// The enterprise connection an enterprise account belongs to.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[non_exhaustive]
pub struct EnterpriseAccountConnection {
    /// Unique identifier of the connection.
    #[serde(deserialize_with = "crate::models::support::null_as_default")]
    pub id: String,
    /// Protocol of the connection, e.g. `saml` or `oauth`.
    #[serde(deserialize_with = "crate::models::support::null_as_default")]
    pub protocol: String,
    /// Provider of the connection, e.g. `saml_okta`.
    #[serde(deserialize_with = "crate::models::support::null_as_default")]
    pub provider: String,
    /// Name of the connection.
    #[serde(deserialize_with = "crate::models::support::null_as_default")]
    pub name: String,
    /// Public URL of the connection's logo, if any.
    pub logo_public_url: Option<String>,
    /// Deprecated. Domain of the connection; use `domains`.
    pub domain: Option<String>,
    /// Email domains of the connection.
    #[serde(default, deserialize_with = "crate::models::support::null_as_default")]
    pub domains: Vec<String>,
    /// Whether the connection is active.
    #[serde(deserialize_with = "crate::models::support::null_as_default")]
    pub active: bool,
    /// Whether user attributes are synced from the provider on every sign-in.
    #[serde(deserialize_with = "crate::models::support::null_as_default")]
    pub sync_user_attributes: bool,
    /// Whether subdomains of the connection's domains are allowed.
    #[serde(deserialize_with = "crate::models::support::null_as_default")]
    pub allow_subdomains: bool,
    /// Whether IdP-initiated flows are allowed.
    #[serde(deserialize_with = "crate::models::support::null_as_default")]
    pub allow_idp_initiated: bool,
    /// Whether additional identifications are disabled for users of the connection.
    #[serde(deserialize_with = "crate::models::support::null_as_default")]
    pub disable_additional_identifications: bool,
    /// Unix timestamp (milliseconds) of creation.
    #[serde(deserialize_with = "crate::models::support::null_as_default")]
    pub created_at: i64,
    /// Unix timestamp (milliseconds) of last update.
    #[serde(deserialize_with = "crate::models::support::null_as_default")]
    pub updated_at: i64,
}

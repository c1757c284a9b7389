//! The `SAMLAccountConnection` schema.

use serde::{Deserialize, Serialize};

/// The SAML connection a SAML account belongs to.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[non_exhaustive]
pub struct SamlAccountConnection {
    /// Unique identifier of the connection.
    #[serde(deserialize_with = "crate::models::support::null_as_default")]
    pub id: String,
    /// Name of the connection.
    #[serde(deserialize_with = "crate::models::support::null_as_default")]
    pub name: String,
    /// Deprecated. Domain of the connection; use `domains`.
    pub domain: Option<String>,
    /// Email domains of the connection.
    #[serde(default, deserialize_with = "crate::models::support::null_as_default")]
    pub domains: Vec<String>,
    /// Whether the connection is active.
    #[serde(deserialize_with = "crate::models::support::null_as_default")]
    pub active: bool,
    /// Provider of the connection, e.g. `saml_okta`.
    #[serde(deserialize_with = "crate::models::support::null_as_default")]
    pub provider: String,
    /// Whether user attributes are synced from the identity provider on every sign-in.
    #[serde(deserialize_with = "crate::models::support::null_as_default")]
    pub sync_user_attributes: bool,
    /// Whether subdomains of the connection's domains are allowed.
    pub allow_subdomains: Option<bool>,
    /// Whether IdP-initiated flows are allowed.
    pub allow_idp_initiated: Option<bool>,
    /// Whether additional identifications are disabled for users of the connection.
    pub disable_additional_identifications: Option<bool>,
    /// Unix timestamp (milliseconds) of creation.
    #[serde(deserialize_with = "crate::models::support::null_as_default")]
    pub created_at: i64,
    /// Unix timestamp (milliseconds) of last update.
    #[serde(deserialize_with = "crate::models::support::null_as_default")]
    pub updated_at: i64,
}

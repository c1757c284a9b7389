//! The `OrganizationMembership` schema.

use serde::{Deserialize, Serialize};

use crate::models::{Organization, OrganizationMembershipPublicUserData};

/// A user's membership in an organization.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct OrganizationMembership {
    /// Unique identifier of the membership.
    #[serde(deserialize_with = "crate::models::support::null_as_default")]
    pub id: String,
    /// String representing the object's type. Objects of the same type share the same value.
    #[serde(deserialize_with = "crate::models::support::null_as_default")]
    pub object: String,
    /// Key of the member's role, e.g. `org:admin`.
    #[serde(deserialize_with = "crate::models::support::null_as_default")]
    pub role: String,
    /// Display name of the member's role.
    pub role_name: Option<String>,
    /// Permission keys the member has.
    #[serde(default, deserialize_with = "crate::models::support::null_as_default")]
    pub permissions: Vec<String>,
    /// Metadata saved on the organization membership, accessible from both Frontend and Backend APIs.
    #[serde(default)]
    pub public_metadata: serde_json::Value,
    /// Metadata saved on the organization membership, accessible only from the Backend API.
    #[serde(default)]
    pub private_metadata: serde_json::Value,
    /// The organization.
    pub organization: Organization,
    /// Public data of the member, if included.
    pub public_user_data: Option<OrganizationMembershipPublicUserData>,
    /// Unix timestamp (milliseconds) of creation.
    #[serde(deserialize_with = "crate::models::support::null_as_default")]
    pub created_at: i64,
    /// Unix timestamp (milliseconds) of last update.
    #[serde(deserialize_with = "crate::models::support::null_as_default")]
    pub updated_at: i64,
}

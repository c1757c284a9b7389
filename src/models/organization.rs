//! The `Organization` schema.

use serde::{Deserialize, Serialize};

/// An organization.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Organization {
    /// String representing the object's type (`organization`).
    #[serde(deserialize_with = "crate::models::support::null_as_default")]
    pub object: String,
    /// Unique identifier of the organization.
    #[serde(deserialize_with = "crate::models::support::null_as_default")]
    pub id: String,
    /// Name of the organization.
    #[serde(deserialize_with = "crate::models::support::null_as_default")]
    pub name: String,
    /// URL-friendly unique slug of the organization.
    #[serde(deserialize_with = "crate::models::support::null_as_default")]
    pub slug: String,
    /// URL of the organization's image.
    pub image_url: Option<String>,
    /// Whether the organization has an uploaded image.
    #[serde(deserialize_with = "crate::models::support::null_as_default")]
    pub has_image: bool,
    /// Number of members, when requested.
    pub members_count: Option<i64>,
    /// Whether the organization lacks a member with elevated permissions, when requested.
    pub missing_member_with_elevated_permissions: Option<bool>,
    /// Number of pending invitations, when requested.
    pub pending_invitations_count: Option<i64>,
    /// Maximum number of memberships allowed.
    #[serde(deserialize_with = "crate::models::support::null_as_default")]
    pub max_allowed_memberships: i64,
    /// Whether admins may delete the organization.
    #[serde(deserialize_with = "crate::models::support::null_as_default")]
    pub admin_delete_enabled: bool,
    /// Public metadata of the organization, free-form JSON.
    #[serde(default)]
    pub public_metadata: serde_json::Value,
    /// Private metadata of the organization, free-form JSON.
    #[serde(default)]
    pub private_metadata: serde_json::Value,
    /// ID of the user who created the organization.
    pub created_by: Option<String>,
    /// Unix timestamp (milliseconds) of creation.
    #[serde(deserialize_with = "crate::models::support::null_as_default")]
    pub created_at: i64,
    /// Unix timestamp (milliseconds) of last update.
    #[serde(deserialize_with = "crate::models::support::null_as_default")]
    pub updated_at: i64,
    /// Unix timestamp (milliseconds) of last activity.
    pub last_active_at: Option<i64>,
    /// The key of the \[role set\](<https://clerk.com/docs/guides/organizations/control-access/role-sets>) assigned to this organization.
    pub role_set_key: Option<String>,
}

//! The `OrganizationMembershipPublicUserData` schema.

use serde::{Deserialize, Serialize};

/// An organization membership with public user data populated.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[non_exhaustive]
pub struct OrganizationMembershipPublicUserData {
    /// ID of the user.
    #[serde(deserialize_with = "crate::models::support::null_as_default")]
    pub user_id: String,
    /// First name of the user.
    pub first_name: Option<String>,
    /// Last name of the user.
    pub last_name: Option<String>,
    /// Deprecated. URL of the user's profile image; use `image_url`.
    pub profile_image_url: Option<String>,
    /// URL of the user's image.
    #[serde(deserialize_with = "crate::models::support::null_as_default")]
    pub image_url: String,
    /// Whether the user has an uploaded image.
    #[serde(deserialize_with = "crate::models::support::null_as_default")]
    pub has_image: bool,
    /// The user's main identifier, e.g. an email address.
    pub identifier: Option<String>,
    /// Username of the user.
    pub username: Option<String>,
    /// Whether the user is banned.
    pub banned: Option<bool>,
    /// Whether the user is deprovisioned.
    pub deprovisioned: Option<bool>,
}

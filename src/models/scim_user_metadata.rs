//! The `SCIMUserMetadata` schema.

use serde::{Deserialize, Serialize};

/// Metadata describing a user's linkage to a directory. This object is only delivered on `user.created` and `user.updated` webhook events, and only when the user is provisioned through a directory. Its absence does not necessarily mean the user is not managed by a directory.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ScimUserMetadata {
    /// The ID of the directory the user is provisioned from.
    #[serde(deserialize_with = "crate::models::support::null_as_default")]
    pub directory_id: String,
    /// Whether the directory is currently enabled. Omitted when false.
    pub directory_enabled: Option<bool>,
    /// The user's external ID as reported by the directory, if any.
    pub external_id: Option<String>,
}

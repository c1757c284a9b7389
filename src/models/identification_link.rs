//! The `IdentificationLink` schema.

use serde::{Deserialize, Serialize};

/// A link from an identification (email address, phone number) to another identification, such as an OAuth account.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[non_exhaustive]
pub struct IdentificationLink {
    /// Type of the linked identification, e.g. `oauth_google`.
    #[serde(
        rename = "type",
        deserialize_with = "crate::models::support::null_as_default"
    )]
    pub kind: String,
    /// ID of the linked identification.
    #[serde(deserialize_with = "crate::models::support::null_as_default")]
    pub id: String,
}

//! The `DeletedObject` schema.

use serde::{Deserialize, Serialize};

/// Confirmation that an object was deleted.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[non_exhaustive]
pub struct DeletedObject {
    /// Type of the deleted object, e.g. `user`.
    #[serde(deserialize_with = "crate::models::support::null_as_default")]
    pub object: String,
    /// ID of the deleted object.
    pub id: Option<String>,
    /// Slug of the deleted object, for objects that have one.
    pub slug: Option<String>,
    /// Whether the object was deleted (always `true`).
    #[serde(deserialize_with = "crate::models::support::null_as_default")]
    pub deleted: bool,
    /// External ID of the deleted object, for objects that have one.
    pub external_id: Option<String>,
}

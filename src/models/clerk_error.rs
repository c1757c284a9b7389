//! The `ClerkError` schema.

use serde::{Deserialize, Serialize};

/// One error of a Clerk error response.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ClerkError {
    /// Short, human-readable message.
    #[serde(deserialize_with = "crate::models::support::null_as_default")]
    pub message: String,
    /// Longer, more detailed human-readable message.
    #[serde(deserialize_with = "crate::models::support::null_as_default")]
    pub long_message: String,
    /// Machine-readable error code, e.g. `resource_not_found`.
    #[serde(deserialize_with = "crate::models::support::null_as_default")]
    pub code: String,
    /// Free-form details about the error, e.g. `param_name`.
    #[serde(default)]
    pub meta: serde_json::Value,
}

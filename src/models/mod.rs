//! Response models of the Clerk Backend API, one per schema of the spec, generated.
//!
//! Every struct and enum is `#[non_exhaustive]`: the API adds fields and values without a
//! new version. Unknown JSON fields are ignored, unknown string enum values decode to an
//! `Unknown` variant holding an [`UnknownValue`], and unknown `object` tags of unions decode
//! to an `Unknown` variant holding the raw JSON. Timestamps are Unix milliseconds (`i64`).
//! Required values that arrive as `null` decode to their default; lists and maps that are
//! absent or `null` decode as empty; free-form objects (metadata) are `serde_json::Value`.
//!
//! String enums convert from strings (`From<&str>`, `From<String>`, `FromStr`; an unknown
//! string gives `Unknown`) and have no `Default`: no value of theirs is a natural one. Structs
//! derive `Default` where every field has a true default (not those holding a required
//! string enum or union), so a test can build one and set the fields it needs:
//!
//! ```
//! let mut user = clerk_backend_api::models::User::default();
//! user.id = "user_123".into();
//! assert_eq!(user.first_name, None);
//! ```

// Before every user: `string_enum!` and `tagged_union!` are `macro_rules!`, visible after
// their module in textual order.
#[macro_use]
mod open_enum;
#[macro_use]
mod tagged_union;
mod decode;
pub(crate) mod support;

pub use crate::generated::models::*;
pub use open_enum::UnknownValue;

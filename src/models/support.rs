//! The one path the model code names: `crate::models::support::...` re-exports the helpers
//! shared by every model file, so the generated code does not depend on where each one lives.
//!
//! - decoding of the generated structs ([`DecodeStruct`], [`StructVisitor`], [`NullValue`], ...):
//!   `models/decode.rs`;
//! - open string enums (the `string_enum!` macro, [`UnknownValue`]): `models/open_enum.rs`;
//! - unions tagged by `object` (the `tagged_union!` macro, [`TaggedUnion`], [`Strategy`]):
//!   `models/tagged_union.rs`;
//! - [`Redacted`], the `Debug` stand-in for secret fields: `secret.rs`.

/// Log target used for every decode-time note (unknown enum values, unknown
/// union tags).
pub(crate) const LOG_TARGET: &str = "clerk_backend_api";

#[cfg(feature = "webhooks")]
pub(crate) use super::decode::null_as_default;
pub(crate) use super::decode::{
    DecodeStruct, FieldIndex, LenientI64, NullDefault, NullValue, StructVisitor, missing, put,
};
pub use super::open_enum::UnknownValue;
pub(crate) use super::tagged_union::{Strategy, TaggedUnion, deserialize_tagged};
pub(crate) use crate::secret::Redacted;

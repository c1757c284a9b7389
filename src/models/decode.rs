//! Decoding helpers of the generated structs: [`DecodeStruct`] and the [`StructVisitor`] every
//! generated `Deserialize` impl goes through, [`put`] and [`missing`] for its fields, and what a
//! `null` or a loosely typed number decodes to ([`NullValue`], [`NullDefault`], [`LenientI64`]).
//!
//! The generated code names these through `crate::models::support`, which re-exports them.

use std::fmt;
use std::marker::PhantomData;

use serde::de::{DeserializeSeed, MapAccess, Visitor};
use serde::{Deserialize, Deserializer};

/// Deserializes an `Option<T>` and maps `null` to [`NullValue::null_value`] (`T::default()`
/// where `T` has one).
///
/// Used (through `deserialize_with`) on required, non-nullable fields of the hand-written
/// webhook types, so that a `null` where the spec promises a value still decodes (generated
/// structs use [`NullDefault`]). A missing field is still an error unless the field also has
/// `#[serde(default)]`.
#[cfg(feature = "webhooks")]
pub(crate) fn null_as_default<'de, D, T>(deserializer: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de> + NullValue,
{
    Ok(Option::<T>::deserialize(deserializer)?.unwrap_or_else(T::null_value))
}

/// An integer that the spec types as `number` (some timestamps): accepts `12`, `12.0` and
/// `1.2e3`, truncating a fraction; `null` is `None`. A value out of `i64` range is an error.
pub(crate) fn lenient_i64_opt<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<i64>, D::Error> {
    match Option::<serde_json::Number>::deserialize(deserializer)? {
        None => Ok(None),
        Some(n) => match (n.as_i64(), n.as_f64()) {
            (Some(i), _) => Ok(Some(i)),
            (None, Some(f)) if f.is_finite() && f.abs() < 9.2e18 => Ok(Some(f.trunc() as i64)),
            _ => Err(serde::de::Error::custom("number out of range for i64")),
        },
    }
}

/// A generated struct's decoder: what its `Deserialize` impl needs besides the shared
/// [`StructVisitor`]. Written by the generator instead of `#[derive(Deserialize)]`, which
/// emits a sequence visitor, a field enum and one wrapper type per `deserialize_with` field
/// for every struct: about twice the code, for JSON that is always an object.
pub(crate) trait DecodeStruct: Sized {
    /// The type's name, for messages.
    const NAME: &'static str;
    /// The index of the field named `key` in JSON, or `usize::MAX` for an unknown key.
    fn field(key: &str) -> usize;
    /// Reads the object's entries (keys through [`FieldIndex`]) and builds the value.
    fn decode<'de, A: MapAccess<'de>>(map: A) -> Result<Self, A::Error>;
}

/// The visitor of every generated struct: a JSON object, nothing else.
pub(crate) struct StructVisitor<T>(pub(crate) PhantomData<T>);

impl<'de, T: DecodeStruct> Visitor<'de> for StructVisitor<T> {
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        expecting_struct(f, T::NAME)
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<T, A::Error> {
        T::decode(map)
    }
}

/// `expecting` of every [`StructVisitor`], once rather than once per struct.
#[inline(never)]
fn expecting_struct(f: &mut fmt::Formatter<'_>, name: &str) -> fmt::Result {
    write!(f, "struct {name}")
}

/// Decodes an object key into a field index (through a struct's [`DecodeStruct::field`])
/// without allocating. Not generic, so serde_json's key reader exists once, not per struct.
pub(crate) struct FieldIndex(pub(crate) fn(&str) -> usize);

impl<'de> DeserializeSeed<'de> for FieldIndex {
    type Value = usize;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<usize, D::Error> {
        deserializer.deserialize_identifier(self)
    }
}

impl<'de> Visitor<'de> for FieldIndex {
    type Value = usize;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a field name")
    }

    fn visit_str<E: serde::de::Error>(self, key: &str) -> Result<usize, E> {
        Ok((self.0)(key))
    }

    fn visit_bytes<E: serde::de::Error>(self, key: &[u8]) -> Result<usize, E> {
        Ok(std::str::from_utf8(key).map_or(usize::MAX, self.0))
    }

    fn visit_u64<E: serde::de::Error>(self, _: u64) -> Result<usize, E> {
        Ok(usize::MAX)
    }
}

/// What a `null` decodes to where the spec promises a value (a required, non-nullable
/// field): `T::default()` for every type with a `Default`; string enums (`Unknown` with an
/// empty string) and structs that hold one (each field's own null value) implement it
/// themselves.
pub(crate) trait NullValue {
    /// The value that stands for `null`.
    fn null_value() -> Self;
}

impl<T: Default> NullValue for T {
    fn null_value() -> Self {
        T::default()
    }
}

/// A value where `null` stands for [`NullValue::null_value`] (required, non-nullable fields).
pub(crate) struct NullDefault<T>(pub(crate) T);

impl<'de, T: Deserialize<'de> + NullValue> Deserialize<'de> for NullDefault<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Ok(NullDefault(
            Option::<T>::deserialize(deserializer)?.unwrap_or_else(T::null_value),
        ))
    }
}

/// A [`lenient_i64_opt`] value.
pub(crate) struct LenientI64(pub(crate) Option<i64>);

impl<'de> Deserialize<'de> for LenientI64 {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        lenient_i64_opt(deserializer).map(LenientI64)
    }
}

/// Reads the value of field `name` into `slot`; a second value for the field is an error.
pub(crate) fn put<'de, A: MapAccess<'de>, T: Deserialize<'de>>(
    slot: &mut Option<T>,
    map: &mut A,
    name: &'static str,
) -> Result<(), A::Error> {
    if slot.is_some() {
        return Err(serde::de::Error::duplicate_field(name));
    }
    *slot = Some(map.next_value()?);
    Ok(())
}

/// The error for a required field that was absent.
pub(crate) fn missing<E: serde::de::Error>(name: &'static str) -> E {
    E::missing_field(name)
}

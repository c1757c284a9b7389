//! Helpers shared by every model file: the `string_enum!` and
//! `tagged_union!` macros, [`DecodeStruct`] (the generated `Deserialize` impls), [`UnknownValue`] and
//! [`Redacted`].
//!
//! The model files call these with terse, uniform call sites so that a code
//! generator can emit them.

use std::fmt;

use std::marker::PhantomData;

use serde::de::{DeserializeSeed, MapAccess, Visitor};
use serde::{Deserialize, Deserializer};

/// Log target used for every decode-time note (unknown enum values, unknown
/// union tags).
pub(crate) const LOG_TARGET: &str = "clerk_backend_api";

/// A string that the API sent for an enum, but that this version of the SDK
/// does not know.
///
/// It is the payload of every string enum's `Unknown` variant. It cannot be
/// built outside this crate, so `Unknown` never holds a value that has its
/// own variant: parsing or decoding a known string always gives the named
/// variant.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct UnknownValue(String);

impl UnknownValue {
    /// Wraps a string that matched no known variant.
    pub(crate) fn new(value: String) -> Self {
        Self(value)
    }

    /// The string exactly as the API sent it.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for UnknownValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

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

/// A union tagged by its `object` property: the table the `tagged_union!` macro writes.
pub(crate) trait TaggedUnion: Sized {
    /// The type's name, for messages.
    const NAME: &'static str;
    /// The variant's tag, when `tag` names one.
    fn known(tag: &str) -> Option<&'static str>;
    /// Decodes the variant `tag` names (an unknown tag decodes as `Unknown`).
    fn decode<'de, D: Deserializer<'de>>(tag: &str, deserializer: D) -> Result<Self, D::Error>;
    /// The tag of the variant whose `strategy` this is, for objects without an `object` tag.
    fn infer(strategy: &str) -> Option<&'static str>;
    /// Wraps a value whose tag is unknown or missing.
    fn unknown(value: serde_json::Value) -> Self;
}

/// A union member recognisable by its `strategy` when the `object` tag is missing (the spec's
/// own webhook examples leave it out). The rule follows the member's `strategy` enum or
/// pattern in the spec.
pub(crate) trait Strategy {
    /// Whether `strategy` is one of this member's.
    fn has_strategy(strategy: &str) -> bool;
}

/// Decodes a tagged union.
///
/// When `object` is the first key (as in the spec's property order), the variant is decoded
/// straight from the input, with the tag handed back to it first: nothing is buffered.
/// Otherwise the object is buffered as a `serde_json::Value` and decoded from that. An
/// unknown or missing tag, or a value that is not an object, gives `Unknown`.
pub(crate) fn deserialize_tagged<'de, D: Deserializer<'de>, U: TaggedUnion>(
    deserializer: D,
) -> Result<U, D::Error> {
    deserializer.deserialize_any(UnionVisitor(std::marker::PhantomData))
}

struct UnionVisitor<U>(std::marker::PhantomData<U>);

/// The first key of an object: `object`, or another one kept for buffering.
enum FirstKey {
    Object,
    Other(String),
}

impl<'de> Deserialize<'de> for FirstKey {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl serde::de::Visitor<'_> for V {
            type Value = FirstKey;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an object key")
            }
            fn visit_str<E>(self, v: &str) -> Result<FirstKey, E> {
                Ok(if v == "object" {
                    FirstKey::Object
                } else {
                    FirstKey::Other(v.to_owned())
                })
            }
        }
        d.deserialize_str(V)
    }
}

impl<U: TaggedUnion> UnionVisitor<U> {
    fn unknown(value: serde_json::Value) -> U {
        log::debug!(
            target: LOG_TARGET,
            "{} with unknown or missing `object` tag {:?}; kept as raw JSON",
            U::NAME,
            value.get("object")
        );
        U::unknown(value)
    }
}

impl<'de, U: TaggedUnion> serde::de::Visitor<'de> for UnionVisitor<U> {
    type Value = U;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "a {} object", U::NAME)
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<U, A::Error> {
        use serde::de::Error as _;
        use serde::de::value::MapAccessDeserializer;
        use serde_json::Value;

        let first = match map.next_key::<FirstKey>()? {
            None => return Ok(Self::unknown(Value::Object(Default::default()))),
            Some(k) => k,
        };
        let value = match first {
            FirstKey::Object => {
                let tag = map.next_value::<Value>()?;
                let known = tag.as_str().and_then(U::known);
                let mut rest = Prepend {
                    first: Some(tag),
                    pending: None,
                    rest: map,
                };
                if let Some(name) = known {
                    return U::decode(name, MapAccessDeserializer::new(rest))
                        .map_err(|e| A::Error::custom(format_args!("{} `{name}`: {e}", U::NAME)));
                }
                buffer(&mut rest, serde_json::Map::new())?
            }
            // `object` is not first: buffer the whole object, then decode by its tag.
            FirstKey::Other(key) => {
                let mut object = serde_json::Map::new();
                object.insert(key, map.next_value()?);
                buffer(&mut map, object)?
            }
        };
        if let Some(tag) = value.get("object") {
            return match tag.as_str().and_then(U::known) {
                Some(tag) => U::decode(tag, value)
                    .map_err(|e| A::Error::custom(format_args!("{} `{tag}`: {e}", U::NAME))),
                None => Ok(Self::unknown(value)),
            };
        }
        // No tag at all: recognise the member by its `strategy`. A guess, so a body that does
        // not fit that member stays `Unknown` rather than failing.
        let inferred = value
            .get("strategy")
            .and_then(Value::as_str)
            .and_then(U::infer);
        if let Some(tag) = inferred {
            if let Ok(union) = U::decode(tag, value.clone()) {
                return Ok(union);
            }
        }
        Ok(Self::unknown(value))
    }

    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, seq: A) -> Result<U, A::Error> {
        let value =
            serde_json::Value::deserialize(serde::de::value::SeqAccessDeserializer::new(seq))?;
        Ok(Self::unknown(value))
    }

    fn visit_str<E>(self, v: &str) -> Result<U, E> {
        Ok(Self::unknown(v.into()))
    }

    fn visit_bool<E>(self, v: bool) -> Result<U, E> {
        Ok(Self::unknown(v.into()))
    }

    fn visit_i64<E>(self, v: i64) -> Result<U, E> {
        Ok(Self::unknown(v.into()))
    }

    fn visit_u64<E>(self, v: u64) -> Result<U, E> {
        Ok(Self::unknown(v.into()))
    }

    fn visit_f64<E>(self, v: f64) -> Result<U, E> {
        Ok(Self::unknown(v.into()))
    }

    fn visit_unit<E>(self) -> Result<U, E> {
        Ok(Self::unknown(serde_json::Value::Null))
    }
}

/// Reads the remaining entries of `map` into `object`. A repeated key is an error, as it is
/// for the derived structs of the streaming path, so both paths agree.
fn buffer<'de, A: serde::de::MapAccess<'de>>(
    map: &mut A,
    mut object: serde_json::Map<String, serde_json::Value>,
) -> Result<serde_json::Value, A::Error> {
    while let Some(key) = map.next_key::<String>()? {
        if object.contains_key(&key) {
            return Err(serde::de::Error::custom(format_args!(
                "duplicate field `{key}`"
            )));
        }
        let value = map.next_value()?;
        object.insert(key, value);
    }
    Ok(serde_json::Value::Object(object))
}

/// A map that yields `"object": <tag>` first, then the rest of an object being read.
struct Prepend<A> {
    first: Option<serde_json::Value>,
    pending: Option<serde_json::Value>,
    rest: A,
}

impl<'de, A: serde::de::MapAccess<'de>> serde::de::MapAccess<'de> for Prepend<A> {
    type Error = A::Error;

    fn next_key_seed<K: serde::de::DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, A::Error> {
        if let Some(tag) = self.first.take() {
            self.pending = Some(tag);
            return seed
                .deserialize(serde::de::value::BorrowedStrDeserializer::new("object"))
                .map(Some);
        }
        self.rest.next_key_seed(seed)
    }

    fn next_value_seed<V: serde::de::DeserializeSeed<'de>>(
        &mut self,
        seed: V,
    ) -> Result<V::Value, A::Error> {
        match self.pending.take() {
            Some(tag) => seed
                .deserialize(tag)
                .map_err(<A::Error as serde::de::Error>::custom),
            None => self.rest.next_value_seed(seed),
        }
    }
}

/// `Debug` stand-in for a secret field: prints `<redacted>` when the field
/// holds something, and only the fact that it is empty otherwise.
///
/// Call site: `.field("backup_codes", &Redacted(&self.backup_codes))`.
pub(crate) struct Redacted<'a, T: ?Sized>(pub(crate) &'a T);

const REDACTED: &str = "<redacted>";

impl<T> fmt::Debug for Redacted<'_, Option<T>> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            Some(_) => f.write_str(REDACTED),
            None => f.write_str("None"),
        }
    }
}

impl<T> fmt::Debug for Redacted<'_, Vec<T>> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0.is_empty() {
            f.write_str("[]")
        } else {
            f.write_str(REDACTED)
        }
    }
}

impl<T> fmt::Debug for Redacted<'_, crate::patch::Patch<T>> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            crate::patch::Patch::Keep => f.write_str("Keep"),
            crate::patch::Patch::Null => f.write_str("Null"),
            crate::patch::Patch::Set(_) => f.write_str(REDACTED),
        }
    }
}

impl fmt::Debug for Redacted<'_, String> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(REDACTED)
    }
}

impl fmt::Debug for Redacted<'_, serde_json::Value> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            serde_json::Value::Null => f.write_str("Null"),
            _ => f.write_str(REDACTED),
        }
    }
}

/// Defines an open string enum.
///
/// Expands to a `#[non_exhaustive] pub enum` with the listed variants plus
/// `Unknown(UnknownValue)`, and implements `as_str`, `Display`, `FromStr`,
/// `From<&str>` and `From<String>` (all infallible: unknown strings become
/// `Unknown`), `Serialize` (the wire string) and `Deserialize` (known strings
/// without allocating; unknown ones become `Unknown` and are debug-logged).
/// No `Default`: no value is a natural one. A `null` where the spec promises a
/// value decodes as `Unknown` with an empty string ([`NullValue`]).
macro_rules! string_enum {
    (
        $(#[$meta:meta])*
        $name:ident {
            $(
                $(#[$vmeta:meta])*
                $variant:ident = $wire:literal
            ),+ $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[non_exhaustive]
        pub enum $name {
            $(
                $(#[$vmeta])*
                $variant,
            )+
            /// A value this version of the SDK does not know; `as_str()`
            /// returns it as sent.
            Unknown($crate::models::support::UnknownValue),
        }

        impl $name {
            /// Every value this version knows, in the spec's order.
            pub const ALL: &'static [Self] = &[$(Self::$variant,)+];

            /// Whether this version of the SDK knows the value (it is not `Unknown`).
            pub fn is_known(&self) -> bool {
                !matches!(self, Self::Unknown(_))
            }

            /// The string used on the wire for this value.
            pub fn as_str(&self) -> &str {
                match self {
                    $(Self::$variant => $wire,)+
                    Self::Unknown(value) => value.as_str(),
                }
            }

            fn from_known(value: &str) -> ::std::option::Option<Self> {
                match value {
                    $($wire => ::std::option::Option::Some(Self::$variant),)+
                    _ => ::std::option::Option::None,
                }
            }
        }

        impl $crate::models::support::NullValue for $name {
            /// A `null` where the spec promises a value: `Unknown` with an empty string, so
            /// that `as_str()` gives what was sent (nothing). Not a `Default`: no value of
            /// the enum is a natural one.
            fn null_value() -> Self {
                Self::Unknown($crate::models::support::UnknownValue::new(
                    ::std::string::String::new(),
                ))
            }
        }

        impl ::std::convert::From<&str> for $name {
            /// The named variant for a known string, else `Unknown` (as [`FromStr`](::std::str::FromStr)).
            fn from(value: &str) -> Self {
                Self::from_known(value).unwrap_or_else(|| {
                    Self::Unknown($crate::models::support::UnknownValue::new(value.to_owned()))
                })
            }
        }

        impl ::std::convert::From<::std::string::String> for $name {
            /// The named variant for a known string, else `Unknown` holding `value` itself.
            fn from(value: ::std::string::String) -> Self {
                match Self::from_known(&value) {
                    ::std::option::Option::Some(known) => known,
                    ::std::option::Option::None => {
                        Self::Unknown($crate::models::support::UnknownValue::new(value))
                    }
                }
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl ::std::str::FromStr for $name {
            type Err = ::std::convert::Infallible;

            fn from_str(value: &str) -> ::std::result::Result<Self, Self::Err> {
                ::std::result::Result::Ok(Self::from(value))
            }
        }

        impl ::serde::Serialize for $name {
            fn serialize<S: ::serde::Serializer>(
                &self,
                serializer: S,
            ) -> ::std::result::Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(
                deserializer: D,
            ) -> ::std::result::Result<Self, D::Error> {
                struct Visitor;

                impl Visitor {
                    fn unknown(value: ::std::string::String) -> $name {
                        ::log::debug!(
                            target: $crate::models::support::LOG_TARGET,
                            "unknown {} value {:?}; kept as Unknown",
                            stringify!($name),
                            value
                        );
                        $name::Unknown($crate::models::support::UnknownValue::new(value))
                    }
                }

                impl ::serde::de::Visitor<'_> for Visitor {
                    type Value = $name;

                    fn expecting(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                        f.write_str(concat!("a ", stringify!($name), " string"))
                    }

                    fn visit_str<E: ::serde::de::Error>(
                        self,
                        value: &str,
                    ) -> ::std::result::Result<$name, E> {
                        ::std::result::Result::Ok(match $name::from_known(value) {
                            ::std::option::Option::Some(known) => known,
                            ::std::option::Option::None => Self::unknown(value.to_owned()),
                        })
                    }

                    fn visit_string<E: ::serde::de::Error>(
                        self,
                        value: ::std::string::String,
                    ) -> ::std::result::Result<$name, E> {
                        ::std::result::Result::Ok(match $name::from_known(&value) {
                            ::std::option::Option::Some(known) => known,
                            ::std::option::Option::None => Self::unknown(value),
                        })
                    }
                }

                deserializer.deserialize_str(Visitor)
            }
        }
    };
}

/// Defines a union of objects told apart by their `object` string
/// (`oneOf` + `discriminator.propertyName: object`).
///
/// Expands to a `#[non_exhaustive] pub enum` with one tuple variant per tag
/// plus `Unknown(serde_json::Value)`. `Serialize` writes the inner value.
/// `Deserialize` (see `deserialize_tagged`) picks the variant from the
/// `object` string and decodes it, streaming when `object` comes first (a known
/// tag that fails to decode is an error). Without an `object` key, the member
/// is recognised by its `strategy` (every member type implements `Strategy`).
/// An unknown tag, an unrecognised object, or a value that is not an object
/// gives `Unknown(value)` and a debug log line.
macro_rules! tagged_union {
    (
        $(#[$meta:meta])*
        $name:ident {
            $(
                $(#[$vmeta:meta])*
                $variant:ident = $tag:literal => $ty:ty
            ),+ $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq)]
        #[allow(clippy::large_enum_variant)]
        #[non_exhaustive]
        pub enum $name {
            $(
                $(#[$vmeta])*
                $variant($ty),
            )+
            /// An object whose `object` tag this version of the SDK does not
            /// know (or that has no `object` string), kept as raw JSON.
            Unknown(::serde_json::Value),
        }

        impl $name {
            /// The `object` tag: the known tag of a known variant, or the
            /// `object` string of an `Unknown` value (`None` if it has none).
            pub fn object(&self) -> ::std::option::Option<&str> {
                match self {
                    $(Self::$variant(_) => ::std::option::Option::Some($tag),)+
                    Self::Unknown(value) => value.get("object").and_then(::serde_json::Value::as_str),
                }
            }
        }

        impl ::serde::Serialize for $name {
            fn serialize<S: ::serde::Serializer>(
                &self,
                serializer: S,
            ) -> ::std::result::Result<S::Ok, S::Error> {
                match self {
                    $(Self::$variant(inner) => ::serde::Serialize::serialize(inner, serializer),)+
                    Self::Unknown(value) => ::serde::Serialize::serialize(value, serializer),
                }
            }
        }

        impl $crate::models::support::TaggedUnion for $name {
            const NAME: &'static str = stringify!($name);

            fn known(tag: &str) -> ::std::option::Option<&'static str> {
                match tag {
                    $($tag => ::std::option::Option::Some($tag),)+
                    _ => ::std::option::Option::None,
                }
            }

            fn decode<'de, D: ::serde::Deserializer<'de>>(
                tag: &str,
                deserializer: D,
            ) -> ::std::result::Result<Self, D::Error> {
                match tag {
                    $($tag => <$ty as ::serde::Deserialize>::deserialize(deserializer).map(Self::$variant),)+
                    _ => <::serde_json::Value as ::serde::Deserialize>::deserialize(deserializer).map(Self::Unknown),
                }
            }

            fn infer(strategy: &str) -> ::std::option::Option<&'static str> {
                $(
                    if <$ty as $crate::models::support::Strategy>::has_strategy(strategy) {
                        return ::std::option::Option::Some($tag);
                    }
                )+
                ::std::option::Option::None
            }

            fn unknown(value: ::serde_json::Value) -> Self {
                Self::Unknown(value)
            }
        }

        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(
                deserializer: D,
            ) -> ::std::result::Result<Self, D::Error> {
                $crate::models::support::deserialize_tagged(deserializer)
            }
        }
    };
}

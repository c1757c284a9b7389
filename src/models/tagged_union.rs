//! Unions told apart by their `object` tag: the `tagged_union!` macro and the decoder it
//! calls ([`deserialize_tagged`]), streaming when `object` comes first and buffering otherwise
//! (then decoding the buffered object again as text, by the same streaming decoder).
//!
//! The generated code names [`TaggedUnion`] and [`Strategy`] through `crate::models::support`,
//! which re-exports them.

use std::fmt;

use serde::{Deserialize, Deserializer};

use super::support::LOG_TARGET;

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
/// Otherwise the object is buffered as a `serde_json::Value`, which picks the variant, and
/// decoded from its JSON text by the same streaming decoder ([`reparse`]). An
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
                Some(tag) => reparse(tag, &value)
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
            if let Ok(union) = reparse(tag, &value) {
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

/// Decodes a buffered object as the variant `tag` names by reading it again as JSON text,
/// through the same decoder the streaming path uses: for the SDK's responses (read with
/// `serde_json::from_str`) the very same instance, `U::decode` over a [`Prepend`] of
/// serde_json's own `MapAccess`. Decoding the buffered `Value` directly would compile a second
/// copy of every variant's decoder, for `Value`, into every program: about 60 KB of a
/// two-call program's binary (`footprint/README.md`) for a path that Clerk's answers, with
/// `object` first, do not take.
///
/// Errors carry no line and column: they would point into the text written here.
fn reparse<U: TaggedUnion>(tag: &str, value: &serde_json::Value) -> Result<U, String> {
    use serde::de::Deserializer as _;

    struct Variant<'t, U> {
        tag: &'t str,
        union: std::marker::PhantomData<U>,
    }
    impl<'de, U: TaggedUnion> serde::de::Visitor<'de> for Variant<'_, U> {
        type Value = U;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            write!(f, "a {} object", U::NAME)
        }
        fn visit_map<A: serde::de::MapAccess<'de>>(self, map: A) -> Result<U, A::Error> {
            let rest = Prepend {
                first: None,
                pending: None,
                rest: map,
            };
            U::decode(self.tag, serde::de::value::MapAccessDeserializer::new(rest))
        }
    }

    let without_position = |e: serde_json::Error| {
        let text = e.to_string();
        let position = format!(" at line {} column {}", e.line(), e.column());
        text.strip_suffix(&position).unwrap_or(&text).to_owned()
    };
    let text = serde_json::to_string(value).map_err(without_position)?;
    let mut de = serde_json::Deserializer::from_str(&text);
    let union = (&mut de)
        .deserialize_map(Variant {
            tag,
            union: std::marker::PhantomData,
        })
        .map_err(without_position)?;
    de.end().map_err(without_position)?;
    Ok(union)
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

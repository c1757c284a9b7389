//! Helpers shared by every model file: the `string_enum!` and
//! `tagged_union!` macros, [`UnknownValue`], [`null_as_default`] and
//! [`Redacted`].
//!
//! The model files call these with terse, uniform call sites so that a code
//! generator can emit them.

use std::fmt;

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

/// Deserializes an `Option<T>` and maps `null` to `T::default()`.
///
/// Used (through `deserialize_with`) on required, non-nullable fields, so that
/// a `null` where the spec promises a value still decodes. A missing field is
/// still an error unless the field also has `#[serde(default)]`.
pub(crate) fn null_as_default<'de, D, T>(deserializer: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de> + Default,
{
    Ok(Option::<T>::deserialize(deserializer)?.unwrap_or_default())
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

impl fmt::Debug for Redacted<'_, String> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(REDACTED)
    }
}

/// Defines an open string enum.
///
/// Expands to a `#[non_exhaustive] pub enum` with the listed variants plus
/// `Unknown(UnknownValue)`, and implements `as_str`, `Display`, `FromStr`
/// (infallible: unknown strings become `Unknown`), `Default` (`Unknown` with
/// an empty string; only used when the API sends `null` for a required
/// value), `Serialize` (the wire string) and `Deserialize` (known strings
/// without allocating; unknown ones become `Unknown` and are debug-logged).
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

        impl ::std::default::Default for $name {
            fn default() -> Self {
                Self::Unknown($crate::models::support::UnknownValue::new(
                    ::std::string::String::new(),
                ))
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
                ::std::result::Result::Ok(Self::from_known(value).unwrap_or_else(|| {
                    Self::Unknown($crate::models::support::UnknownValue::new(value.to_owned()))
                }))
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
/// `Deserialize` reads a JSON value, picks the variant from its `object`
/// string and decodes it (a known tag that fails to decode is an error); an
/// unknown tag, or a missing or non-string `object`, gives `Unknown(value)`
/// and a debug log line.
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

        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(
                deserializer: D,
            ) -> ::std::result::Result<Self, D::Error> {
                let value = <::serde_json::Value as ::serde::Deserialize>::deserialize(deserializer)?;
                match value.get("object").and_then(::serde_json::Value::as_str) {
                    $(
                        ::std::option::Option::Some($tag) => {
                            return ::serde_json::from_value::<$ty>(value)
                                .map(Self::$variant)
                                .map_err(|err| {
                                    <D::Error as ::serde::de::Error>::custom(format_args!(
                                        "{} `{}`: {}",
                                        stringify!($name),
                                        $tag,
                                        err
                                    ))
                                });
                        }
                    )+
                    ::std::option::Option::Some(tag) => {
                        ::log::debug!(
                            target: $crate::models::support::LOG_TARGET,
                            "unknown {} object tag {:?}; kept as raw JSON",
                            stringify!($name),
                            tag
                        );
                    }
                    ::std::option::Option::None => {
                        ::log::debug!(
                            target: $crate::models::support::LOG_TARGET,
                            "{} without an `object` string; kept as raw JSON",
                            stringify!($name)
                        );
                    }
                }
                ::std::result::Result::Ok(Self::Unknown(value))
            }
        }
    };
}

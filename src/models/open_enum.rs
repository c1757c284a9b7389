//! Open string enums: the `string_enum!` macro and [`UnknownValue`], the payload of every
//! string enum's `Unknown` variant.

use std::fmt;

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

/// Defines an open string enum.
///
/// Expands to a `#[non_exhaustive] pub enum` with the listed variants plus
/// `Unknown(UnknownValue)`, and implements `as_str`, `Display`, `FromStr`,
/// `From<&str>` and `From<String>` (all infallible: unknown strings become
/// `Unknown`), `Serialize` (the wire string) and `Deserialize` (known strings
/// without allocating; unknown ones become `Unknown` and are debug-logged).
/// No `Default`: no value is a natural one. A `null` where the spec promises a
/// value decodes as `Unknown` with an empty string ([`NullValue`](super::decode::NullValue)).
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

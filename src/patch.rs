//! Three states of a nullable field in an update body.

use serde::{Serialize, Serializer};

/// A nullable field of an update (`PATCH`) body: left out, sent as `null`, or set.
///
/// Callers never name it: update builders have a setter `x(value)` and a `clear_x()`.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) enum Patch<T> {
    /// Not sent: the server keeps its value.
    #[default]
    Keep,
    /// Sent as `null`: the server clears the value.
    Null,
    /// Sent as this value.
    Set(T),
}

impl<T> Patch<T> {
    /// Whether the field is left out of the body.
    pub(crate) fn is_keep(&self) -> bool {
        matches!(self, Patch::Keep)
    }
}

impl<T: Serialize> Serialize for Patch<T> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Patch::Keep | Patch::Null => s.serialize_none(),
            Patch::Set(v) => v.serialize(s),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Patch;

    #[derive(serde::Serialize)]
    struct Body {
        #[serde(skip_serializing_if = "Patch::is_keep")]
        a: Patch<String>,
        #[serde(skip_serializing_if = "Patch::is_keep")]
        b: Patch<String>,
        #[serde(skip_serializing_if = "Patch::is_keep")]
        c: Patch<String>,
    }

    #[test]
    fn keep_is_absent_null_is_null_set_is_the_value() {
        let body = Body {
            a: Patch::Keep,
            b: Patch::Null,
            c: Patch::Set("x".into()),
        };
        assert_eq!(
            serde_json::to_string(&body).unwrap(),
            r#"{"b":null,"c":"x"}"#
        );
    }
}

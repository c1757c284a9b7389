//! Reading the spec's JSON: following `$ref`s, keys, descriptions and the shape of a schema.

use serde_json::Value;

use super::Gen;
use crate::docs;

/// `v`, or what its `$ref` (a local one, followed to the end) points at in `spec`.
pub fn resolve<'v>(spec: &'v Value, v: &'v Value) -> Result<&'v Value, String> {
    match s(v, "$ref") {
        Some(r) => {
            let ptr = r.strip_prefix('#').ok_or(format!("external $ref {r}"))?;
            let target = spec.pointer(ptr).ok_or(format!("dangling $ref {r}"))?;
            resolve(spec, target)
        }
        None => Ok(v),
    }
}

pub(super) fn s<'v>(v: &'v Value, key: &str) -> Option<&'v str> {
    v.get(key).and_then(Value::as_str)
}

pub(super) fn flag(v: &Value, key: &str) -> bool {
    v.get(key).and_then(Value::as_bool).unwrap_or(false)
}

impl Gen<'_> {
    pub(super) fn resolve<'v>(&'v self, v: &'v Value) -> Result<&'v Value, String> {
        resolve(self.spec, v)
    }

    pub(super) fn describe(&mut self, schema: &Value, fallback: &str) -> String {
        let d = s(schema, "description").or_else(|| s(schema, "title"));
        match d {
            Some(d) if !d.trim().is_empty() => docs::sanitize(d),
            _ => fallback.to_owned(),
        }
    }
}

/// Has properties of its own, or is an `allOf` of several parts, or an `anyOf` of objects.
pub(super) fn is_object_like_own(schema: &Value) -> bool {
    schema
        .get("properties")
        .is_some_and(|p| p.as_object().is_some_and(|p| !p.is_empty()))
        || schema
            .get("allOf")
            .and_then(Value::as_array)
            .is_some_and(|a| a.len() > 1)
        || schema
            .get("anyOf")
            .and_then(Value::as_array)
            .is_some_and(|a| {
                a.iter()
                    .any(|m| m.get("properties").is_some() || m.get("$ref").is_some())
            })
}

pub(super) fn is_object_like(schema: &Value) -> bool {
    is_object_like_own(schema)
        || (s(schema, "type") == Some("object")
            && schema.get("additionalProperties").is_none()
            && schema.get("properties").is_some())
}

//! `tests/conformance/calls.rs`: two calls per operation for the conformance suite, which
//! sends them to Stoplight Prism serving the spec. One call passes valid values for the
//! required parameters only; the other also sets every optional parameter and body field.
//!
//! Deprecated query parameters are not sent (Prism counts them as violations).
//! Values come from each parameter's schema: the first enum value, the default, a value of the
//! right format, or a sample from `overrides.toml` `[samples]` for a `pattern` (the generator
//! does not invent strings for regular expressions; Prism checks the samples).

use std::collections::BTreeSet;
use std::fmt::Write as _;

use serde_json::{Map, Value, json};

use crate::emit::{ArgFrom, header, required_args, setter_name};
use crate::overrides::Overrides;
use crate::spec::{Api, Body, Field, Op, Ty};

/// Where the file goes, relative to the repository root.
pub const PATH: &str = "tests/conformance/calls.rs";

/// The text of [`PATH`].
pub fn calls_file(api: &Api, spec: &Value, ov: &Overrides) -> Result<String, String> {
    let ex = Examples { spec, ov };
    let mut out = header(&api.version);
    out.push_str(
        r#"//! Two calls per operation for `tests/conformance.rs`: required parameters only, and every
//! optional parameter set as well. Values are valid for the spec's schemas.
#![allow(deprecated)] // deprecated operations and parameters are checked too

use std::collections::BTreeMap;

use clerk_backend_api::{Clerk, FilePart, Result, models};

/// One operation and a function that makes its call.
pub struct Call {
    /// `group.method`.
    pub name: &'static str,
    /// The operationId.
    pub op_id: &'static str,
    /// How many optional parameters and body fields the full call sets.
    pub optional: usize,
    /// Makes the call: required parameters only (`false`) or every parameter (`true`).
    pub run: fn(&Clerk, bool) -> Result<()>,
}

/// A value of `T` from JSON text that the generator checked against the spec's schema.
fn j<T: serde::de::DeserializeOwned>(json: &str) -> T {
    serde_json::from_str(json).unwrap_or_else(|e| panic!("bad generated value {json}: {e}"))
}

/// A small file for multipart uploads.
fn file() -> FilePart {
    FilePart::from_bytes(b"\x89PNG\r\n\x1a\n".to_vec(), "logo.png").content_type("image/png")
}
"#,
    );
    let mut table = String::new();
    let mut names = BTreeSet::new();
    for op in &api.ops {
        let fn_name = format!("{}_{}", op.group, op.method);
        if !names.insert(fn_name.clone()) {
            return Err(format!("conformance: two calls are named {fn_name}"));
        }
        let optional = op_fn(&mut out, &fn_name, op, &ex)?;
        let _ = writeln!(
            table,
            "Call {{ name: \"{}.{}\", op_id: {:?}, optional: {optional}, run: {fn_name} }},",
            op.group, op.method, op.op_id
        );
    }
    let _ = write!(
        out,
        r#"
/// Every operation, in the order of `OPERATIONS`.
pub static CALLS: &[Call] = &[
    {table}];
"#
    );
    Ok(out)
}

/// The Markdown list of the spec fixes, for ARCHITECTURE.md.
pub fn fixes_list(ov: &Overrides) -> String {
    let mut out = String::new();
    for fix in &ov.fix {
        let what = match (&fix.value, &fix.from) {
            (Some(v), _) if v.to_string().len() <= 100 => format!("set to `{v}`"),
            (Some(_), _) => "replaced (the value is in `overrides.toml`)".to_owned(),
            (None, Some(from)) => format!("moved from `{from}`"),
            (None, None) => "removed".to_owned(),
        };
        let _ = writeln!(
            out,
            "- **{}** `{}` {what}: {}",
            fix.kind,
            fix.pointer,
            fix.why.replace('\n', " ")
        );
    }
    out
}

/// Emits the call function of `op`; returns how many optional values the full call sets.
fn op_fn(out: &mut String, name: &str, op: &Op, ex: &Examples) -> Result<usize, String> {
    let raw = ex
        .spec
        .pointer(&format!(
            "/paths/{}/{}",
            op.path.replace('~', "~0").replace('/', "~1"),
            op.http.to_ascii_lowercase()
        ))
        .ok_or(format!("{}: not in the spec", op.op_id))?;
    let params: Vec<&Value> = raw
        .get("parameters")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .map(|p| ex.resolve(p))
        .collect();
    let param_schema = |json: &str| -> Result<&Value, String> {
        params
            .iter()
            .find(|p| p.get("name").and_then(Value::as_str) == Some(json))
            .and_then(|p| p.get("schema"))
            .ok_or(format!("{}: no schema for parameter {json}", op.op_id))
    };
    let body_schema = raw
        .pointer("/requestBody/content")
        .and_then(Value::as_object)
        .and_then(|c| c.values().next())
        .and_then(|c| c.get("schema"))
        .map(|s| ex.resolve(s));
    let props = match body_schema {
        Some(s) => ex.properties(s),
        None => Map::new(),
    };
    let field_schema = |json: &str| -> Result<&Value, String> {
        props
            .get(json)
            .ok_or(format!("{}: no schema for body field {json}", op.op_id))
    };
    // Fields an `anyOf` of `required` lists asks for: the first alternative's.
    let also_required: Vec<String> = body_schema
        .and_then(|s| s.get("anyOf"))
        .and_then(Value::as_array)
        .and_then(|a| a.first())
        .and_then(|m| m.get("required"))
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|v| Some(v.as_str()?.to_owned()))
        .collect();

    // Required arguments, in the order of the group method.
    let mut args = Vec::new();
    for (arg, ty, from) in required_args(op) {
        let schema = match (from, body_schema) {
            (ArgFrom::Param(p), _) => param_schema(&p.json)?,
            (ArgFrom::Field(f), _) => field_schema(&f.json)?,
            (ArgFrom::Items, Some(s)) => s,
            (ArgFrom::Items, None) => {
                return Err(format!("{}: argument {arg} has no schema", op.op_id));
            }
        };
        args.push(rust_value(&ty, &ex.value(schema, 0)?)?);
    }

    // Setters: optional query parameters and body fields.
    let mut required_setters = Vec::new();
    let mut setters = Vec::new();
    // Deprecated parameters are left out: Prism reports their use as a violation. So is
    // `paginated` where it changes the answer's shape: it has no setter (`send_paged()`),
    // and Prism answers the spec's bare list.
    let paged = |p: &&crate::spec::Param| op.paged.is_some() && p.json == "paginated";
    for p in op
        .query
        .iter()
        .filter(|p| !p.required && !p.deprecated && !paged(p))
    {
        let v = ex.value(param_schema(&p.json)?, 0)?;
        setters.push(format!(
            ".{}({})",
            setter_name(&p.name),
            rust_value(&p.ty, &v)?
        ));
    }
    let fields: Vec<&Field> = match &op.body {
        Body::Json(f) | Body::Multipart(f) => f.iter().filter(|f| !op.body.is_arg(f)).collect(),
        _ => Vec::new(),
    };
    for f in fields {
        let v = ex.value(field_schema(&f.json)?, 0)?;
        let call = format!(".{}({})", setter_name(&f.name), rust_value(&f.ty, &v)?);
        // A required nullable field, or one an `anyOf` requires, is set in both calls.
        if f.required || also_required.contains(&f.json) {
            required_setters.push(call);
        } else {
            setters.push(call);
        }
    }
    let (http, path, op_id, group, method) = (&op.http, &op.path, &op.op_id, &op.group, &op.method);
    let (args, required_setters) = (args.join(", "), required_setters.concat());
    let use_all = if setters.is_empty() {
        "let _ = all;".to_owned()
    } else {
        format!(
            "let call = if all {{ call{} }} else {{ call }};",
            setters.concat()
        )
    };
    let _ = writeln!(
        out,
        r#"
/// `{http} {path}` ({op_id}).
fn {name}(c: &Clerk, all: bool) -> Result<()> {{
    let call = c.{group}().{method}({args}){required_setters};
    {use_all}
    call.send().map(drop)
}}"#
    );
    Ok(setters.len())
}

/// Valid values for schemas.
struct Examples<'a> {
    spec: &'a Value,
    ov: &'a Overrides,
}

impl<'a> Examples<'a> {
    /// `v` with its `$ref` followed (the generator has already refused dangling ones).
    fn resolve(&self, v: &'a Value) -> &'a Value {
        crate::spec::resolve(self.spec, v).unwrap_or(v)
    }

    /// The properties of an object schema, `allOf` members merged.
    fn properties(&self, schema: &'a Value) -> Map<String, Value> {
        let schema = self.resolve(schema);
        let mut props = Map::new();
        if let Some(p) = schema.get("properties").and_then(Value::as_object) {
            props.extend(p.clone());
        }
        for part in schema
            .get("allOf")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            props.extend(self.properties(part));
        }
        props
    }

    fn required(&self, schema: &'a Value) -> Vec<String> {
        let schema = self.resolve(schema);
        let mut req: Vec<String> = schema
            .get("required")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(|v| Some(v.as_str()?.to_owned()))
            .collect();
        for part in schema
            .get("allOf")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            req.extend(self.required(part));
        }
        // The first alternative of an `anyOf` of `required` lists.
        if let Some(first) = schema
            .get("anyOf")
            .and_then(Value::as_array)
            .and_then(|a| a.first())
            .filter(|m| m.get("properties").is_none() && m.get("$ref").is_none())
        {
            req.extend(self.required(first));
        }
        req
    }

    /// A valid value of `schema`: required properties only for nested objects.
    fn value(&self, schema: &'a Value, depth: usize) -> Result<Value, String> {
        if depth > 12 {
            return Err("conformance: schema nests too deep".into());
        }
        let schema = self.resolve(schema);
        if let Some(all) = schema.get("allOf").and_then(Value::as_array) {
            if all.len() == 1 && schema.get("properties").is_none() {
                return self.value(&all[0], depth + 1);
            }
        }
        for key in ["oneOf", "anyOf"] {
            if let Some(first) = schema
                .get(key)
                .and_then(Value::as_array)
                .and_then(|a| a.first())
                .filter(|m| m.get("properties").is_some() || m.get("$ref").is_some())
            {
                return self.value(first, depth + 1);
            }
        }
        if let Some(first) = schema
            .get("enum")
            .and_then(Value::as_array)
            .and_then(|e| e.iter().find(|v| !v.is_null()))
        {
            return Ok(first.clone());
        }
        let ty = schema.get("type").and_then(Value::as_str);
        let props = self.properties(schema);
        match ty {
            Some("string") => self.string(schema),
            Some("integer") | Some("number") => Ok(number(schema)),
            Some("boolean") => Ok(schema.get("default").cloned().unwrap_or(json!(true))),
            Some("array") => {
                let item = schema.get("items").unwrap_or(&Value::Null);
                let n = schema.get("minItems").and_then(Value::as_u64).unwrap_or(1);
                let unique = schema.get("uniqueItems").and_then(Value::as_bool) == Some(true);
                if unique && n > 1 {
                    return Err("conformance: uniqueItems with minItems > 1".into());
                }
                let v = self.value(item, depth + 1)?;
                Ok(Value::Array(vec![v; n.max(1) as usize]))
            }
            _ if !props.is_empty() => {
                let mut obj = Map::new();
                for name in self.required(schema) {
                    if let Some(p) = props.get(&name) {
                        obj.insert(name.clone(), self.value(p, depth + 1)?);
                    }
                }
                Ok(Value::Object(obj))
            }
            Some("object") => match schema.get("additionalProperties") {
                Some(extra @ Value::Object(m)) if !m.is_empty() => {
                    Ok(json!({ "key": self.value(extra, depth + 1)? }))
                }
                _ => Ok(json!({ "key": "value" })),
            },
            // No type at all (`{nullable: true}`): any JSON.
            _ => Ok(json!({ "key": "value" })),
        }
    }

    fn string(&self, schema: &Value) -> Result<Value, String> {
        if let Some(pattern) = schema.get("pattern").and_then(Value::as_str) {
            return match self.ov.samples.get(pattern) {
                Some(v) => Ok(json!(v)),
                None => Err(format!(
                    "conformance: no sample for pattern {pattern:?}; add it to overrides.toml [samples]"
                )),
            };
        }
        let s = match schema.get("format").and_then(Value::as_str) {
            Some("email") => "user@example.com".to_owned(),
            Some("uri" | "url") => "https://example.com/".to_owned(),
            Some("date-time") => "2026-01-01T00:00:00Z".to_owned(),
            Some("date") => "2026-01-01".to_owned(),
            _ => match schema.get("default").and_then(Value::as_str) {
                Some(d) => d.to_owned(),
                None => "value".to_owned(),
            },
        };
        let min = schema.get("minLength").and_then(Value::as_u64).unwrap_or(0) as usize;
        let max = schema
            .get("maxLength")
            .and_then(Value::as_u64)
            .map(|m| m as usize);
        let mut s = s;
        while s.len() < min {
            s.push('x');
        }
        if let Some(max) = max {
            s.truncate(max.max(min));
        }
        Ok(json!(s))
    }
}

/// A number within the schema's bounds: its default, else its minimum, else 1.
fn number(schema: &Value) -> Value {
    let get = |k: &str| schema.get(k).and_then(Value::as_f64);
    let exclusive = schema.get("exclusiveMinimum").and_then(Value::as_bool) == Some(true);
    let min = get("minimum").map(|m| if exclusive { m + 1.0 } else { m });
    let mut v = get("default").or(min).unwrap_or(1.0);
    if let Some(m) = min {
        v = v.max(m);
    }
    if let Some(m) = get("maximum") {
        v = v.min(m);
    }
    json!(v as i64)
}

/// `v` as a Rust expression of the argument or setter type for `ty`.
fn rust_value(ty: &Ty, v: &Value) -> Result<String, String> {
    let mismatch = || format!("conformance: value {v} does not fit {ty:?}");
    Ok(match ty {
        Ty::Str => format!("{:?}", v.as_str().ok_or_else(mismatch)?),
        Ty::Bool => v.as_bool().ok_or_else(mismatch)?.to_string(),
        Ty::I64 => (v.as_f64().ok_or_else(mismatch)? as i64).to_string(),
        Ty::F64 => format!("{:?}", v.as_f64().ok_or_else(mismatch)?),
        Ty::File => "file()".into(),
        Ty::Vec(inner) => {
            let items = v
                .as_array()
                .ok_or_else(mismatch)?
                .iter()
                .map(|i| rust_value(inner, i))
                .collect::<Result<Vec<_>, _>>()?;
            format!("[{}]", items.join(", "))
        }
        Ty::Named(_) | Ty::Map(_) | Ty::Value => {
            format!("j::<{}>({})", ty.rust_with("models::"), raw(&v.to_string()))
        }
    })
}

/// `text` as a raw string literal with enough `#`s.
fn raw(text: &str) -> String {
    let mut hashes = "#".to_owned();
    while text.contains(&format!("\"{hashes}")) {
        hashes.push('#');
    }
    format!("r{hashes}\"{text}\"{hashes}")
}

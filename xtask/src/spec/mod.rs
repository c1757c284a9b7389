//! The spec, read into the generator's model ([`Api`]): `api.rs` holds the types, `json.rs`
//! the reading of the spec's JSON (`$ref`, descriptions, schema shapes), `names.rs` the Rust
//! names of schemas and operations, `models.rs` schemas to types and `operations.rs` paths to
//! operations (parameters, bodies, responses, paging).

use std::collections::BTreeMap;

use serde_json::Value;

use crate::naming::snake;
use crate::overrides::Overrides;

mod api;
mod json;
mod models;
mod names;
mod operations;

pub use api::{
    Api, Body, Field, KeyKind, Model, ModelKind, Op, Paging, Param, Resp, StrategyRule, Ty, Variant,
};
pub use json::resolve;

/// The reader's state while it walks one spec.
struct Gen<'a> {
    spec: &'a Value,
    ov: &'a Overrides,
    models: BTreeMap<String, Model>,
    notices: Vec<String>,
    /// Component schema name -> Rust name.
    names: BTreeMap<String, String>,
}

/// Reads the spec.
pub fn read(spec: &Value, ov: &Overrides) -> Result<Api, String> {
    let mut g = Gen {
        spec,
        ov,
        models: BTreeMap::new(),
        notices: Vec::new(),
        names: BTreeMap::new(),
    };
    let empty = serde_json::Map::new();
    let schemas = spec
        .pointer("/components/schemas")
        .and_then(Value::as_object)
        .unwrap_or(&empty);
    g.name_schemas(schemas)?;
    for (name, schema) in schemas {
        let rust = g.names[name].clone();
        let file = snake(&rust);
        g.component(
            &rust,
            &file,
            schema,
            &format!("#/components/schemas/{name}"),
        )?;
    }
    let mut ops = Vec::new();
    let paths = spec
        .get("paths")
        .and_then(Value::as_object)
        .ok_or("the spec has no paths")?;
    for (path, item) in paths {
        let item = item.as_object().ok_or("a path item is not an object")?;
        for (http, op) in item {
            if !matches!(http.as_str(), "get" | "post" | "put" | "patch" | "delete") {
                continue;
            }
            ops.push(g.op(path, http, op)?);
        }
    }
    ops.sort_by(|a, b| (&a.group, &a.method).cmp(&(&b.group, &b.method)));
    names::check_unique_ops(&ops)?;
    g.mark_strategies();
    Ok(Api {
        version: spec
            .pointer("/info/version")
            .and_then(Value::as_str)
            .unwrap_or("unknown")
            .to_owned(),
        models: g.models,
        ops,
        notices: g.notices,
    })
}

//! The spec, read into the generator's model: types, models and operations.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use crate::docs;
use crate::naming::{camel, field, snake};
use crate::overrides::Overrides;

/// A Rust type of a field, argument or response.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Ty {
    Str,
    Bool,
    I64,
    F64,
    Value,
    Named(String),
    Vec(Box<Ty>),
    Map(Box<Ty>),
    File,
}

impl Ty {
    /// The Rust spelling, named types as they are imported.
    pub fn rust(&self) -> String {
        self.rust_with("")
    }

    /// The Rust spelling, named types behind `prefix` (`models::User`).
    pub fn rust_with(&self, prefix: &str) -> String {
        match self {
            Ty::Str => "String".into(),
            Ty::Bool => "bool".into(),
            Ty::I64 => "i64".into(),
            Ty::F64 => "f64".into(),
            Ty::Value => "serde_json::Value".into(),
            Ty::Named(n) => format!("{prefix}{n}"),
            Ty::Vec(t) => format!("Vec<{}>", t.rust_with(prefix)),
            Ty::Map(t) => format!("BTreeMap<String, {}>", t.rust_with(prefix)),
            Ty::File => "FilePart".into(),
        }
    }

    /// Types with a natural empty value that stands in for absent and `null`.
    pub fn has_empty(&self) -> bool {
        matches!(self, Ty::Vec(_) | Ty::Map(_) | Ty::Value)
    }

    /// Named types this type mentions.
    pub fn names(&self, out: &mut BTreeSet<String>) {
        match self {
            Ty::Named(n) => {
                out.insert(n.clone());
            }
            Ty::Vec(t) | Ty::Map(t) => t.names(out),
            _ => {}
        }
    }
}

/// A property of a model or request body.
#[derive(Debug, Clone)]
pub struct Field {
    pub json: String,
    pub name: String,
    pub ty: Ty,
    pub required: bool,
    pub nullable: bool,
    pub doc: String,
    pub deprecated: bool,
    pub sensitive: bool,
    /// A `type: number` timestamp decoded as `i64`.
    pub lenient_int: bool,
}

impl Field {
    /// Whether the Rust field is an `Option`.
    pub fn optional(&self) -> bool {
        (!self.required || self.nullable) && !self.ty.has_empty()
    }
}

/// A variant of a tagged union.
#[derive(Debug, Clone)]
pub struct Variant {
    pub name: String,
    pub tag: String,
    pub ty: String,
    pub doc: String,
}

#[derive(Debug, Clone)]
pub enum ModelKind {
    Struct(Vec<Field>),
    Enum(Vec<(String, String)>),
    Union(Vec<Variant>),
    Alias(Ty),
}

/// A generated type.
#[derive(Debug, Clone)]
pub struct Model {
    pub name: String,
    /// The file (snake case, without `.rs`) the type lives in: its root type's.
    pub file: String,
    pub doc: String,
    pub kind: ModelKind,
    /// For union members: the rule that recognises their `strategy` (`Strategy` impl).
    pub strategy: Option<StrategyRule>,
    /// Where the model came from, for the file header (`#/components/schemas/User`).
    pub source: String,
}

#[derive(Debug, Clone)]
pub enum StrategyRule {
    None,
    OneOf(Vec<String>),
    Prefix(String),
}

/// A query or path parameter.
#[derive(Debug, Clone)]
pub struct Param {
    pub json: String,
    pub name: String,
    pub ty: Ty,
    pub required: bool,
    pub doc: String,
    pub deprecated: bool,
    pub min: Option<i64>,
    pub max: Option<i64>,
    pub default: Option<i64>,
    /// Arrays: repeat the key (`true`) or join with commas.
    pub explode: bool,
}

#[derive(Debug, Clone)]
pub enum Body {
    None,
    Json(Vec<Field>),
    JsonArray(Ty),
    Multipart(Vec<Field>),
}

impl Body {
    /// Whether `f`, one of this body's fields, is a method argument (else it has a setter):
    /// a required non-null JSON field, or an upload's file and required text fields.
    pub fn is_arg(&self, f: &Field) -> bool {
        match self {
            Body::Multipart(_) => f.ty == Ty::File || f.required,
            _ => f.required && !f.nullable,
        }
    }
}

#[derive(Debug, Clone)]
pub enum Resp {
    Unit,
    Text,
    Json(Ty),
}

/// How a paginated operation's response holds its items.
#[derive(Debug, Clone)]
pub struct Paging {
    pub item: Ty,
    /// `None` for a bare array, else the field holding the items next to `total_count`.
    pub field: Option<String>,
    /// The item has an `id` to check progress with (and to use as a cursor).
    pub key: Option<KeyKind>,
    /// The operation takes a `starting_after` cursor.
    pub cursor: bool,
}

#[derive(Debug, Clone, Copy)]
pub enum KeyKind {
    Required,
    Optional,
}

#[derive(Debug, Clone)]
pub struct Op {
    /// The group, as in Clerk's SDKs: the name of the accessor on `Clerk`.
    pub group: String,
    /// The module (and handle type, in camel case) of the group: the group's name unless
    /// overrides.toml `[modules]` says otherwise.
    pub module: String,
    pub method: String,
    pub op_id: String,
    pub type_name: String,
    pub http: String,
    pub path: String,
    pub deprecated: bool,
    pub summary: String,
    pub description: String,
    pub path_params: Vec<Param>,
    pub query: Vec<Param>,
    pub body: Body,
    pub response: Resp,
    pub paging: Option<Paging>,
    /// The item of an operation that answers a bare array, or `{data, total_count}` when
    /// asked with `paginated=true`.
    pub paged: Option<Ty>,
    pub needs_auth: bool,
    /// PATCH: nullable body fields can be cleared.
    pub is_update: bool,
}

/// Everything generated from one spec.
pub struct Api {
    pub version: String,
    pub models: BTreeMap<String, Model>,
    pub ops: Vec<Op>,
    pub notices: Vec<String>,
}

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
    for name in schemas.keys() {
        let rust = g.type_name(name);
        if g.names.values().any(|n| *n == rust) {
            return Err(format!("two schemas are both named `{rust}`"));
        }
        g.names.insert(name.clone(), rust);
    }
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
    for w in ops.windows(2) {
        if w[0].group == w[1].group && w[0].method == w[1].method {
            return Err(format!(
                "two operations are named {}.{}",
                w[0].group, w[0].method
            ));
        }
    }
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

fn s<'v>(v: &'v Value, key: &str) -> Option<&'v str> {
    v.get(key).and_then(Value::as_str)
}

fn flag(v: &Value, key: &str) -> bool {
    v.get(key).and_then(Value::as_bool).unwrap_or(false)
}

impl Gen<'_> {
    /// The Rust name of a type: overrides.toml `[types]` keyed by the name the generator
    /// derives (`CommercePlan2` for the schema `CommercePlan-2`), else that derived name.
    fn type_name(&self, derived: &str) -> String {
        let name = camel(derived);
        match self.ov.types.get(&name) {
            Some(n) => n.clone(),
            None => name,
        }
    }

    fn resolve<'v>(&'v self, v: &'v Value) -> Result<&'v Value, String> {
        resolve(self.spec, v)
    }

    fn add(&mut self, model: Model) -> Result<(), String> {
        if let Some(old) = self.models.get(&model.name) {
            return Err(format!(
                "the type name `{}` is derived twice ({} and {}); rename one in overrides.toml [types]",
                model.name, old.source, model.source
            ));
        }
        self.models.insert(model.name.clone(), model);
        Ok(())
    }

    fn describe(&mut self, schema: &Value, fallback: &str) -> String {
        let d = s(schema, "description").or_else(|| s(schema, "title"));
        match d {
            Some(d) if !d.trim().is_empty() => docs::sanitize(d),
            _ => fallback.to_owned(),
        }
    }

    /// A component schema: its own file.
    fn component(
        &mut self,
        name: &str,
        file: &str,
        schema: &Value,
        source: &str,
    ) -> Result<(), String> {
        let doc = self.describe(schema, &format!("The `{name}` object."));
        if is_object_like(schema) || schema.get("oneOf").is_some() {
            self.named(name, file, schema, source, &doc)?;
            return Ok(());
        }
        let (ty, _) = self.ty(schema, name, file, source)?;
        if self.models.contains_key(name) {
            return Ok(());
        }
        self.add(Model {
            name: name.to_owned(),
            file: file.to_owned(),
            doc,
            kind: ModelKind::Alias(ty),
            strategy: None,
            source: source.to_owned(),
        })
    }

    /// An object or union schema as the named type `name`.
    fn named(
        &mut self,
        name: &str,
        file: &str,
        schema: &Value,
        source: &str,
        doc: &str,
    ) -> Result<Ty, String> {
        if let Some(members) = schema.get("oneOf").and_then(Value::as_array) {
            if members.len() > 1 || schema.get("discriminator").is_some() {
                return self.union(name, file, schema, members, source, doc);
            }
        }
        let fields = self.fields(name, file, schema, source)?;
        self.add(Model {
            name: name.to_owned(),
            file: file.to_owned(),
            doc: doc.to_owned(),
            kind: ModelKind::Struct(fields),
            strategy: None,
            source: source.to_owned(),
        })?;
        Ok(Ty::Named(name.to_owned()))
    }

    fn union(
        &mut self,
        name: &str,
        file: &str,
        schema: &Value,
        members: &[Value],
        source: &str,
        doc: &str,
    ) -> Result<Ty, String> {
        let mapping: BTreeMap<String, String> = schema
            .pointer("/discriminator/mapping")
            .and_then(Value::as_object)
            .map(|m| {
                m.iter()
                    .filter_map(|(k, v)| Some((v.as_str()?.to_owned(), k.clone())))
                    .collect()
            })
            .unwrap_or_default();
        let mut variants = Vec::new();
        for m in members {
            let r = s(m, "$ref").ok_or(format!("{source}: a oneOf member is not a $ref"))?;
            let comp = r.rsplit('/').next().unwrap_or(r);
            let target = self.resolve(m)?;
            let tag = match mapping.get(r) {
                Some(t) => t.clone(),
                None => target
                    .pointer("/properties/object/enum/0")
                    .and_then(Value::as_str)
                    .map(str::to_owned)
                    .ok_or(format!("{source}: cannot tell the tag of {comp}"))?,
            };
            let variant = s(target, "x-speakeasy-name-override").unwrap_or(comp);
            let ty = self
                .names
                .get(comp)
                .cloned()
                .ok_or(format!("unknown schema {comp}"))?;
            variants.push(Variant {
                name: camel(variant),
                doc: format!("A [`{ty}`] (`object: \"{tag}\"`)."),
                tag,
                ty,
            });
        }
        self.add(Model {
            name: name.to_owned(),
            file: file.to_owned(),
            doc: doc.to_owned(),
            kind: ModelKind::Union(variants),
            strategy: None,
            source: source.to_owned(),
        })?;
        Ok(Ty::Named(name.to_owned()))
    }

    /// The properties of an object schema, `allOf` members merged in.
    fn fields(
        &mut self,
        owner: &str,
        file: &str,
        schema: &Value,
        source: &str,
    ) -> Result<Vec<Field>, String> {
        let mut props: Vec<(String, Value)> = Vec::new();
        let mut required: BTreeSet<String> = BTreeSet::new();
        let mut parts = vec![schema.clone()];
        if let Some(all) = schema.get("allOf").and_then(Value::as_array) {
            parts.extend(all.iter().cloned());
        }
        // An `anyOf` of objects (a real union, not a `required` constraint): every property
        // of every member, each optional.
        let mut loose = Vec::new();
        if let Some(any) = schema.get("anyOf").and_then(Value::as_array) {
            for m in any {
                if is_object_like(self.resolve(m)?) {
                    loose.push(self.resolve(m)?.clone());
                }
            }
        }
        for part in parts.iter().chain(&loose) {
            let part = self.resolve(part)?.clone();
            if let Some(p) = part.get("properties").and_then(Value::as_object) {
                for (k, v) in p {
                    if !props.iter().any(|(n, _)| n == k) {
                        props.push((k.clone(), v.clone()));
                    }
                }
            }
            if loose.contains(&part) {
                continue;
            }
            if let Some(r) = part.get("required").and_then(Value::as_array) {
                required.extend(r.iter().filter_map(Value::as_str).map(str::to_owned));
            }
        }
        let mut fields: Vec<Field> = Vec::new();
        for (json, prop) in &props {
            let ctx = self.type_name(&format!("{owner}{}", camel(json)));
            let (ty, nullable) = self.ty(prop, &ctx, file, &format!("{source}/{json}"))?;
            let rprop = self.resolve(prop)?;
            let name = field(json);
            if fields.iter().any(|f| f.name == name) {
                return Err(format!("{source}: two fields are named `{name}`"));
            }
            let lenient_int = ty == Ty::I64 && s(rprop, "type") == Some("number");
            let doc = self.describe(prop, "");
            fields.push(Field {
                json: json.clone(),
                // A flag or a number is never the secret itself.
                sensitive: self.ov.is_sensitive(owner, json)
                    && !matches!(ty, Ty::Bool | Ty::I64 | Ty::F64),
                name,
                ty,
                required: required.contains(json),
                nullable,
                doc,
                deprecated: flag(prop, "deprecated"),
                lenient_int,
            });
        }
        Ok(fields)
    }

    /// The type of a schema used at `ctx` (the name an inline object or enum gets).
    /// Returns the type and whether `null` is allowed.
    fn ty(
        &mut self,
        schema: &Value,
        ctx: &str,
        file: &str,
        source: &str,
    ) -> Result<(Ty, bool), String> {
        let nullable = flag(schema, "nullable");
        if let Some(r) = s(schema, "$ref") {
            let comp = r.rsplit('/').next().unwrap_or(r);
            let target = self.resolve(schema)?;
            let name = self
                .names
                .get(comp)
                .cloned()
                .ok_or(format!("{source}: $ref to unknown schema {r}"))?;
            return Ok((Ty::Named(name), nullable || flag(target, "nullable")));
        }
        for key in ["allOf", "oneOf", "anyOf"] {
            if let Some(list) = schema.get(key).and_then(Value::as_array) {
                let tagged = key == "oneOf" && schema.get("discriminator").is_some();
                if list.len() == 1 && !is_object_like_own(schema) && !tagged {
                    let (t, n) = self.ty(&list[0], ctx, file, source)?;
                    return Ok((t, n || nullable));
                }
            }
        }
        if schema.get("oneOf").is_some() {
            let doc = self.describe(schema, "One of several kinds of object.");
            let t = self.named(ctx, file, schema, source, &doc)?;
            return Ok((t, nullable));
        }
        let ty = s(schema, "type");
        let t = match ty {
            Some("string") if s(schema, "format") == Some("binary") => Ty::File,
            Some("string") => match schema.get("enum").and_then(Value::as_array) {
                Some(vals) if vals.len() > 1 => {
                    let vals: Vec<String> = vals
                        .iter()
                        .filter_map(Value::as_str)
                        .map(str::to_owned)
                        .collect();
                    self.enumeration(ctx, file, schema, &vals, source)?
                }
                _ => Ty::Str,
            },
            Some("boolean") => Ty::Bool,
            Some("integer") => Ty::I64,
            Some("number") => {
                let last = source.rsplit('/').next().unwrap_or("");
                if is_timestamp(last) || matches!(last, "limit" | "offset" | "total_count") {
                    Ty::I64
                } else {
                    Ty::F64
                }
            }
            Some("array") => {
                let items = schema.get("items").cloned().unwrap_or(Value::Null);
                let item_ctx = self.type_name(&format!("{ctx}Item"));
                let (t, _) = self.ty(&items, &item_ctx, file, source)?;
                Ty::Vec(Box::new(t))
            }
            _ if is_object_like_own(schema) => {
                let doc = self.describe(schema, &format!("The `{ctx}` object."));
                self.named(ctx, file, schema, source, &doc)?
            }
            Some("object") | None => match schema.get("additionalProperties") {
                Some(ap) if ap.is_object() && ap.get("type").is_some() => {
                    let value_ctx = self.type_name(&format!("{ctx}Value"));
                    let (t, _) = self.ty(ap, &value_ctx, file, source)?;
                    Ty::Map(Box::new(t))
                }
                _ => Ty::Value,
            },
            Some(other) => return Err(format!("{source}: unsupported type {other}")),
        };
        Ok((t, nullable))
    }

    fn enumeration(
        &mut self,
        name: &str,
        file: &str,
        schema: &Value,
        vals: &[String],
        source: &str,
    ) -> Result<Ty, String> {
        let mut variants: Vec<(String, String)> = Vec::new();
        for v in vals {
            let mut n = camel(v);
            if n.is_empty() {
                n = "Empty".into();
            }
            if n == "Unknown" {
                n = "UnknownValue".into();
            }
            while variants.iter().any(|(x, _)| *x == n) {
                n.push('_');
            }
            variants.push((n, v.clone()));
        }
        let doc = self.describe(schema, &format!("The values of `{name}`."));
        self.add(Model {
            name: name.to_owned(),
            file: file.to_owned(),
            doc,
            kind: ModelKind::Enum(variants),
            strategy: None,
            source: source.to_owned(),
        })?;
        Ok(Ty::Named(name.to_owned()))
    }

    /// Union members get a `Strategy` impl from their `strategy` enum or pattern.
    fn mark_strategies(&mut self) {
        let members: BTreeSet<String> = self
            .models
            .values()
            .filter_map(|m| match &m.kind {
                ModelKind::Union(v) => Some(v.iter().map(|v| v.ty.clone()).collect::<Vec<_>>()),
                _ => None,
            })
            .flatten()
            .collect();
        let schemas = self.spec.pointer("/components/schemas").cloned();
        for (comp, rust) in self.names.clone() {
            if !members.contains(&rust) {
                continue;
            }
            let strat = schemas
                .as_ref()
                .and_then(|s| s.get(&comp))
                .and_then(|s| s.pointer("/properties/strategy"))
                .cloned();
            let rule = match strat {
                Some(st) => match (st.get("enum").and_then(Value::as_array), s(&st, "pattern")) {
                    (Some(vals), _) => StrategyRule::OneOf(
                        vals.iter()
                            .filter_map(Value::as_str)
                            .map(str::to_owned)
                            .collect(),
                    ),
                    (None, Some(p)) => StrategyRule::Prefix(pattern_prefix(p)),
                    _ => StrategyRule::None,
                },
                None => StrategyRule::None,
            };
            if let Some(m) = self.models.get_mut(&rust) {
                m.strategy = Some(rule);
            }
        }
    }

    fn param(&mut self, p: &Value, op_type: &str) -> Result<(String, Param), String> {
        let p = self.resolve(p)?.clone();
        let json = s(&p, "name")
            .ok_or("a parameter without a name")?
            .to_owned();
        let loc = s(&p, "in").unwrap_or("query").to_owned();
        let schema = p.get("schema").cloned().unwrap_or(Value::Null);
        let schema = self.resolve(&schema)?.clone();
        let ty = match s(&schema, "type") {
            Some("array") => Ty::Vec(Box::new(Ty::Str)),
            Some("boolean") => Ty::Bool,
            Some("integer") => Ty::I64,
            Some("number")
                if matches!(json.as_str(), "limit" | "offset") || is_timestamp(&json) =>
            {
                Ty::I64
            }
            Some("number") => Ty::F64,
            _ => Ty::Str,
        };
        let mut doc = self.describe(&p, "");
        if doc.is_empty() {
            doc = self.describe(&schema, "");
        }
        let values = schema
            .get("enum")
            .or_else(|| schema.pointer("/items/enum"))
            .and_then(Value::as_array);
        if let Some(vals) = values {
            let list: Vec<String> = vals
                .iter()
                .filter_map(Value::as_str)
                .map(|v| format!("`{v}`"))
                .collect();
            if !doc.is_empty() {
                doc.push_str("\n\n");
            }
            doc.push_str(&format!("One of {}.", list.join(", ")));
        }
        if doc.is_empty() {
            self.notices
                .push(format!("{op_type}: parameter `{json}` has no description"));
            doc = format!("Sets the `{json}` {loc} parameter.");
        }
        let int = |k: &str| schema.get(k).and_then(Value::as_f64).map(|f| f as i64);
        Ok((
            loc,
            Param {
                name: field(&json),
                explode: p.get("explode").and_then(Value::as_bool).unwrap_or(true),
                required: flag(&p, "required")
                    || p.get("in").and_then(Value::as_str) == Some("path"),
                deprecated: flag(&p, "deprecated"),
                min: int("minimum"),
                max: int("maximum"),
                default: int("default"),
                json,
                ty,
                doc,
            },
        ))
    }

    fn op(&mut self, path: &str, http: &str, op: &Value) -> Result<Op, String> {
        let op_id = s(op, "operationId").ok_or(format!("{http} {path}: no operationId"))?;
        let type_name = camel(op_id);
        let group = match s(op, "x-speakeasy-group") {
            Some(g) => snake(g),
            None => op
                .get("tags")
                .and_then(|t| t.get(0))
                .and_then(Value::as_str)
                .map(snake)
                .ok_or(format!("{op_id}: no group and no tag"))?,
        };
        let method = match (
            s(op, "x-speakeasy-name-override"),
            self.ov.methods.get(op_id),
        ) {
            (Some(m), _) => snake(m),
            (None, Some(m)) => m.clone(),
            (None, None) => {
                self.notices.push(format!(
                    "{op_id}: no x-speakeasy-name-override and no name in overrides.toml [methods]"
                ));
                snake(op_id)
            }
        };
        let mut path_params = Vec::new();
        let mut query = Vec::new();
        for p in op
            .get("parameters")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            let (loc, param) = self.param(p, &type_name)?;
            match loc.as_str() {
                "path" => path_params.push(param),
                "query" => query.push(param),
                other => return Err(format!("{op_id}: {other} parameters are not supported")),
            }
        }
        // Two parameters whose names snake-case alike (`frontendApi` next to `frontend_api`):
        // the deprecated one gives way.
        for i in 0..query.len() {
            let clash = path_params
                .iter()
                .chain(&query[..i])
                .any(|p| p.name == query[i].name);
            if clash {
                let suffix = if query[i].deprecated {
                    "deprecated"
                } else {
                    "2"
                };
                query[i].name = format!("{}_{suffix}", query[i].name);
            }
        }
        // Path parameters in template order.
        let order: Vec<&str> = path
            .split('{')
            .skip(1)
            .filter_map(|p| p.split('}').next())
            .collect();
        path_params.sort_by_key(|p| order.iter().position(|o| *o == p.json));
        if path_params.len() != order.len() {
            return Err(format!("{op_id}: path template and parameters differ"));
        }
        let body = self.body(op, &type_name)?;
        let (response, paging) = self.response(op, &type_name, &query)?;
        let paged = match &response {
            Resp::Json(ty) if query.iter().any(|p| p.json == "paginated") => {
                match self.unalias(ty) {
                    Ty::Vec(item) => Some(*item),
                    _ => None,
                }
            }
            _ => None,
        };
        let summary = s(op, "summary").unwrap_or("").trim().to_owned();
        let description = s(op, "description").unwrap_or("").trim().to_owned();
        if summary.is_empty() && description.is_empty() {
            self.notices
                .push(format!("{op_id}: no summary or description"));
        }
        Ok(Op {
            module: self
                .ov
                .modules
                .get(&group)
                .cloned()
                .unwrap_or_else(|| group.clone()),
            group,
            method,
            op_id: op_id.to_owned(),
            type_name,
            http: http.to_ascii_uppercase(),
            path: path.to_owned(),
            deprecated: flag(op, "deprecated"),
            summary,
            description,
            path_params,
            query,
            body,
            response,
            paging,
            paged,
            needs_auth: op
                .get("security")
                .and_then(Value::as_array)
                .is_none_or(|s| !s.is_empty()),
            is_update: http == "patch",
        })
    }

    fn body(&mut self, op: &Value, type_name: &str) -> Result<Body, String> {
        let Some(content) = op
            .pointer("/requestBody/content")
            .and_then(Value::as_object)
        else {
            return Ok(Body::None);
        };
        let source = format!("{type_name} request body");
        if let Some(mp) = content.get("multipart/form-data") {
            let schema = mp.get("schema").cloned().unwrap_or(Value::Null);
            let schema = self.resolve(&schema)?.clone();
            let fields = self.fields(type_name, &snake(type_name), &schema, &source)?;
            return Ok(Body::Multipart(fields));
        }
        let json = content
            .get("application/json")
            .ok_or(format!("{type_name}: unsupported request content type"))?;
        let schema = json.get("schema").cloned().unwrap_or(Value::Null);
        let resolved = self.resolve(&schema)?.clone();
        if s(&resolved, "type") == Some("array") {
            let items = resolved.get("items").cloned().unwrap_or(Value::Null);
            let ctx = self.type_name(&format!("{type_name}Item"));
            let (t, _) = self.ty(&items, &ctx, &snake(type_name), &source)?;
            return Ok(Body::JsonArray(t));
        }
        let fields = self.fields(type_name, &snake(type_name), &resolved, &source)?;
        Ok(Body::Json(fields))
    }

    fn response(
        &mut self,
        op: &Value,
        type_name: &str,
        query: &[Param],
    ) -> Result<(Resp, Option<Paging>), String> {
        let responses = op
            .get("responses")
            .and_then(Value::as_object)
            .ok_or(format!("{type_name}: no responses"))?;
        let ok = responses
            .iter()
            .find(|(code, _)| code.starts_with('2'))
            .map(|(_, r)| r.clone());
        let Some(ok) = ok else {
            return Err(format!("{type_name}: no 2xx response"));
        };
        let ok = self.resolve(&ok)?.clone();
        let Some(content) = ok.get("content").and_then(Value::as_object) else {
            let text = s(op, "operationId") == Some("GetPublicInterstitial");
            return Ok((if text { Resp::Text } else { Resp::Unit }, None));
        };
        let Some(schema) = content
            .get("application/json")
            .and_then(|c| c.get("schema"))
        else {
            return Ok((Resp::Text, None));
        };
        let ctx = self.type_name(&format!("{type_name}Response"));
        let (ty, _) = self.ty(schema, &ctx, &snake(&ctx), &format!("{type_name} response"))?;
        let paginated =
            query.iter().any(|p| p.json == "limit") && query.iter().any(|p| p.json == "offset");
        let paging = if paginated {
            Some(self.paging(&ty, query, type_name)?)
        } else {
            None
        };
        Ok((Resp::Json(ty), paging))
    }

    /// A named alias resolved to what it stands for.
    fn unalias(&self, ty: &Ty) -> Ty {
        match ty {
            Ty::Named(n) => match self.models.get(n).map(|m| &m.kind) {
                Some(ModelKind::Alias(t)) => self.unalias(t),
                _ => ty.clone(),
            },
            _ => ty.clone(),
        }
    }

    fn paging(&self, ty: &Ty, query: &[Param], type_name: &str) -> Result<Paging, String> {
        let (item, field) = match ty {
            Ty::Vec(item) => ((**item).clone(), None),
            Ty::Named(n) => match &self.models[n].kind {
                ModelKind::Alias(Ty::Vec(item)) => ((**item).clone(), None),
                ModelKind::Struct(fields) => {
                    let list = fields
                        .iter()
                        .find_map(|f| match self.unalias(&f.ty) {
                            Ty::Vec(item) if f.json != "errors" => Some((f, item)),
                            _ => None,
                        })
                        .ok_or(format!("{type_name}: a paginated response without a list"))?;
                    if !fields.iter().any(|f| f.json == "total_count") {
                        return Err(format!("{type_name}: a list without total_count"));
                    }
                    ((*list.1).clone(), Some(list.0.name.clone()))
                }
                _ => return Err(format!("{type_name}: unexpected paginated response")),
            },
            _ => return Err(format!("{type_name}: unexpected paginated response")),
        };
        let key = match &item {
            Ty::Named(n) => match &self.models[n].kind {
                ModelKind::Struct(fields) => fields
                    .iter()
                    .find(|f| f.json == "id" && f.ty == Ty::Str)
                    .map(|f| {
                        if f.optional() {
                            KeyKind::Optional
                        } else {
                            KeyKind::Required
                        }
                    }),
                _ => None,
            },
            _ => None,
        };
        Ok(Paging {
            item,
            field,
            key,
            cursor: query.iter().any(|p| p.json == "starting_after"),
        })
    }
}

fn is_timestamp(name: &str) -> bool {
    name.ends_with("_at")
        || name == "expiration"
        || name.ends_with("_at_after")
        || name.ends_with("_at_before")
}

/// Has properties of its own, or is an `allOf` of several parts, or an `anyOf` of objects.
fn is_object_like_own(schema: &Value) -> bool {
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

fn is_object_like(schema: &Value) -> bool {
    is_object_like_own(schema)
        || (s(schema, "type") == Some("object")
            && schema.get("additionalProperties").is_none()
            && schema.get("properties").is_some())
}

/// The literal prefix of an anchored pattern (`^oauth_(?:..)` -> `oauth_`).
fn pattern_prefix(p: &str) -> String {
    p.trim_start_matches('^')
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == '-')
        .collect()
}

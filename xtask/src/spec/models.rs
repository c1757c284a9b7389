//! Schemas to types: structs, string enums, tagged unions and aliases ([`Model`]).

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use super::Gen;
use super::api::{Field, Model, ModelKind, StrategyRule, Ty, Variant};
use super::json::{flag, is_object_like, is_object_like_own, s};
use crate::naming::{camel, field};

impl Gen<'_> {
    pub(super) fn add(&mut self, model: Model) -> Result<(), String> {
        if let Some(old) = self.models.get(&model.name) {
            return Err(format!(
                "the type name `{}` is derived twice ({} and {}); rename one in overrides.toml [types]",
                model.name, old.source, model.source
            ));
        }
        self.models.insert(model.name.clone(), model);
        Ok(())
    }

    /// A component schema: its own file.
    pub(super) fn component(
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
    pub(super) fn named(
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

    pub(super) fn union(
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
    pub(super) fn fields(
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
    pub(super) fn ty(
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

    pub(super) fn enumeration(
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
    pub(super) fn mark_strategies(&mut self) {
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

    /// A named alias resolved to what it stands for.
    pub(super) fn unalias(&self, ty: &Ty) -> Ty {
        match ty {
            Ty::Named(n) => match self.models.get(n).map(|m| &m.kind) {
                Some(ModelKind::Alias(t)) => self.unalias(t),
                _ => ty.clone(),
            },
            _ => ty.clone(),
        }
    }
}

pub(super) fn is_timestamp(name: &str) -> bool {
    name.ends_with("_at")
        || name == "expiration"
        || name.ends_with("_at_after")
        || name.ends_with("_at_before")
}

/// The literal prefix of an anchored pattern (`^oauth_(?:..)` -> `oauth_`).
pub(super) fn pattern_prefix(p: &str) -> String {
    p.trim_start_matches('^')
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == '-')
        .collect()
}

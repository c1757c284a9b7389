//! The model files: one per schema of the spec (its inline types with it), and
//! `models/mod.rs`. Structs get a generated `Deserialize` (through `support::DecodeStruct`),
//! string enums and tagged unions a `string_enum!`/`tagged_union!` call.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

use super::header;
use crate::docs::doc_lines;
use crate::naming::snake;
use crate::spec::{Api, Field, Model, ModelKind, StrategyRule, Ty};

/// `(path relative to src/generated, text)` for every model file.
pub fn model_files(api: &Api) -> Vec<(String, String)> {
    let mut by_file: BTreeMap<&str, Vec<&Model>> = BTreeMap::new();
    for m in api.models.values() {
        by_file.entry(&m.file).or_default().push(m);
    }
    let mut files = Vec::new();
    let mut list = String::new();
    for (file, mut models) in by_file {
        models.sort_by_key(|m| (snake(&m.name) != file, m.name.clone()));
        files.push((format!("models/{file}.rs"), model_file(api, &models)));
        let _ = writeln!(
            list,
            r#"mod {file};
pub use {file}::*;"#
        );
    }
    let mut m = header(&api.version);
    let _ = write!(
        m,
        r#"//! One module per schema of the spec, each re-exported here.

{list}"#
    );
    files.push(("models/mod.rs".into(), m));
    files
}

pub(crate) fn model_file(api: &Api, models: &[&Model]) -> String {
    let mut body = String::new();
    // Test modules go last (clippy: no items after a test module).
    let mut tests = String::new();
    let mut used = BTreeSet::new();
    let mut deprecated = false;
    let mut undocumented = false;
    let mut map = false;
    let mut serde = false;
    for m in models {
        body.push('\n');
        match &m.kind {
            ModelKind::Struct(fields) => {
                serde = true;
                deprecated |= fields.iter().any(|f| f.deprecated);
                undocumented |= fields.iter().any(|f| f.doc.is_empty());
                map |= fields.iter().any(|f| matches!(f.ty, Ty::Map(_)));
                for f in fields {
                    f.ty.names(&mut used);
                }
                let eq = is_eq(api, &Ty::Named(m.name.clone()));
                let default = fields_default(api, fields);
                struct_def(&mut body, &mut tests, m, fields, eq, default);
            }
            ModelKind::Enum(values) => {
                // rustfmt leaves macro bodies as written: indent them here.
                let mut variants = String::new();
                for (variant, value) in values {
                    let _ = writeln!(variants, "        /// `{value}`");
                    let _ = writeln!(variants, "        {variant} = {value:?},");
                }
                let (doc, name) = (indent(&doc_lines(&m.doc), 1), &m.name);
                let _ = write!(
                    body,
                    r#"string_enum! {{
{doc}    {name} {{
{variants}    }}
}}
"#
                );
            }
            ModelKind::Union(variants) => {
                let mut arms = String::new();
                for v in variants {
                    used.insert(v.ty.clone());
                    arms.push_str(&indent(&doc_lines(&v.doc), 2));
                    let _ = writeln!(arms, "        {} = {:?} => {},", v.name, v.tag, v.ty);
                }
                let (doc, name) = (indent(&doc_lines(&m.doc), 1), &m.name);
                let _ = write!(
                    body,
                    r#"tagged_union! {{
{doc}    {name} {{
{arms}    }}
}}
"#
                );
            }
            ModelKind::Alias(ty) => {
                ty.names(&mut used);
                map |= matches!(ty, Ty::Map(_));
                body.push_str(&doc_lines(&m.doc));
                let _ = writeln!(body, "pub type {} = {};", m.name, ty.rust());
            }
        }
        if let Some(rule) = &m.strategy {
            let test = match rule {
                StrategyRule::None => r#"let _ = strategy;
false"#
                    .to_owned(),
                StrategyRule::OneOf(v) => {
                    let alts: Vec<String> = v.iter().map(|s| format!("{s:?}")).collect();
                    format!("matches!(strategy, {})", alts.join(" | "))
                }
                StrategyRule::Prefix(p) => format!("strategy.starts_with({p:?})"),
            };
            let _ = write!(
                body,
                r#"
impl crate::models::support::Strategy for {name} {{
    fn has_strategy(strategy: &str) -> bool {{
        {test}
    }}
}}
"#,
                name = m.name
            );
        }
    }
    let local: BTreeSet<&str> = models.iter().map(|m| m.name.as_str()).collect();
    let imports: Vec<&String> = used
        .iter()
        .filter(|n| !local.contains(n.as_str()) && api.models.contains_key(*n))
        .collect();
    let root = models[0];
    let mut out = header(&api.version);
    let _ = writeln!(
        out,
        "//! `{}` (`{}`).",
        root.name,
        root.source.replace('`', "'")
    );
    if deprecated {
        out.push_str(
            "#![allow(deprecated)] // serde's derive and our decoder read the deprecated fields\n",
        );
    }
    if undocumented {
        out.push_str(
            "#![allow(missing_docs)] // the spec leaves some fields undescribed; no placeholder docs\n",
        );
    }
    out.push('\n');
    if map {
        out.push_str("use std::collections::BTreeMap;\n");
    }
    if serde {
        out.push_str(
            r#"use serde::{Deserialize, Serialize};

use crate::models::support;
"#,
        );
    }
    if !imports.is_empty() {
        let list: Vec<&str> = imports.iter().map(|s| s.as_str()).collect();
        let _ = writeln!(out, "use crate::models::{{{}}};", list.join(", "));
    }
    out.push_str(&body);
    out.push_str(&tests);
    out
}

/// `text` with every non-empty line indented by `levels` steps of four spaces.
pub(crate) fn indent(text: &str, levels: usize) -> String {
    let pad = "    ".repeat(levels);
    let mut out = String::with_capacity(text.len() + 16);
    for line in text.lines() {
        if !line.is_empty() {
            out.push_str(&pad);
        }
        out.push_str(line);
        out.push('\n');
    }
    out
}

/// Whether values of `ty` can derive `Eq` and `Hash`: no floats and no free-form JSON inside.
pub(crate) fn is_eq(api: &Api, ty: &Ty) -> bool {
    match ty {
        Ty::Str | Ty::Bool | Ty::I64 => true,
        Ty::F64 | Ty::Value | Ty::File => false,
        Ty::Vec(t) | Ty::Map(t) => is_eq(api, t),
        Ty::Named(n) => match api.models.get(n).map(|m| &m.kind) {
            Some(ModelKind::Struct(fields)) => fields.iter().all(|f| is_eq(api, &f.ty)),
            Some(ModelKind::Enum(_)) => true,
            Some(ModelKind::Alias(t)) => is_eq(api, t),
            Some(ModelKind::Union(_)) | None => false,
        },
    }
}

/// Whether a value of `ty` has a true default (Rust's own for strings, numbers, lists, maps
/// and JSON; a struct's when all its fields have one). String enums and unions have none.
pub(crate) fn has_default(api: &Api, ty: &Ty) -> bool {
    match ty {
        Ty::Str | Ty::Bool | Ty::I64 | Ty::F64 | Ty::Value | Ty::Vec(_) | Ty::Map(_) => true,
        Ty::File => false,
        Ty::Named(n) => match api.models.get(n).map(|m| &m.kind) {
            Some(ModelKind::Struct(fields)) => fields_default(api, fields),
            Some(ModelKind::Alias(t)) => has_default(api, t),
            Some(ModelKind::Enum(_) | ModelKind::Union(_)) | None => false,
        },
    }
}

/// Whether a struct of `fields` can derive `Default`: every field is optional or has one.
pub(crate) fn fields_default(api: &Api, fields: &[Field]) -> bool {
    fields
        .iter()
        .all(|f| f.optional() || has_default(api, &f.ty))
}

/// The doc of a model field: the spec's description, or nothing (the file then allows
/// `missing_docs`: a placeholder such as "`id`." would say nothing the name does not).
pub(crate) fn field_doc(f: &Field) -> String {
    f.doc.clone()
}

/// The doc of a setter: the spec's description of the field, else what the setter does.
pub(crate) fn setter_doc(f: &Field, what: &str) -> String {
    if f.doc.is_empty() {
        format!("Sets the `{}` {what}.", f.json)
    } else {
        f.doc.clone()
    }
}

/// The one deprecation attribute of generated code: on operations, fields, parameters and
/// setters alike.
pub(crate) const DEPRECATED: &str = "#[deprecated(note = \"deprecated by Clerk\")]\n";

pub(crate) fn struct_def(
    out: &mut String,
    tests: &mut String,
    m: &Model,
    fields: &[Field],
    eq: bool,
    default: bool,
) {
    let redact = fields.iter().any(|f| f.sensitive);
    out.push_str(&doc_lines(&m.doc));
    let debug = if redact { "" } else { "Debug, " };
    let eq = if eq { "Eq, Hash, " } else { "" };
    let derive_default = if default { "Default, " } else { "" };
    let _ = writeln!(
        out,
        "#[derive({debug}Clone, {derive_default}PartialEq, {eq}Serialize)]"
    );
    let _ = writeln!(
        out,
        r#"#[non_exhaustive]
pub struct {name} {{"#,
        name = m.name
    );
    for f in fields {
        out.push_str(&doc_lines(&field_doc(f)));
        if f.deprecated {
            out.push_str(DEPRECATED);
        }
        let mut attrs: Vec<String> = Vec::new();
        if f.name != f.json {
            attrs.push(format!("rename = {:?}", f.json));
        }
        let ty = f.ty.rust();
        let skip = match &f.ty {
            _ if f.optional() => Some("Option::is_none"),
            Ty::Vec(_) => Some("Vec::is_empty"),
            Ty::Map(_) => Some("BTreeMap::is_empty"),
            Ty::Value => Some("serde_json::Value::is_null"),
            _ => None,
        };
        if let Some(skip) = skip {
            attrs.push(format!("skip_serializing_if = {skip:?}"));
        }
        if !attrs.is_empty() {
            let _ = writeln!(out, "#[serde({})]", attrs.join(", "));
        }
        let rust_ty = if f.optional() {
            format!("Option<{ty}>")
        } else {
            ty
        };
        let _ = writeln!(out, "pub {}: {},", f.name, rust_ty);
    }
    out.push_str("}\n");
    if !default {
        null_value_impl(out, &m.name, fields);
    }
    decode_impl(out, m, fields);
    if redact {
        debug_impl(out, &m.name, fields);
        let secret: Vec<(&Field, String)> = fields
            .iter()
            .filter(|f| f.sensitive)
            .map(|f| {
                (
                    f,
                    if f.optional() {
                        "Some({})".to_owned()
                    } else {
                        "{}".to_owned()
                    },
                )
            })
            .collect();
        redaction_test(
            tests,
            &m.name,
            &secret,
            fields.len(),
            "crate::models::support::NullValue::null_value()",
        );
    }
}

/// For a struct without `Default`: what a `null` in place of one decodes to (each field's
/// own null value, as if the object were `{}` with `null` for its required fields).
pub(crate) fn null_value_impl(out: &mut String, name: &str, fields: &[Field]) {
    let mut members = String::new();
    for f in fields {
        let _ = writeln!(members, "{}: support::NullValue::null_value(),", f.name);
    }
    let _ = write!(
        out,
        r#"
impl support::NullValue for {name} {{
    fn null_value() -> Self {{
        {name} {{
            {members}}}
    }}
}}
"#
    );
}

/// The `Deserialize` impl of a struct, through `support::DecodeStruct`: every field read into
/// an `Option` slot (a second value is an error), then the struct built from the slots.
/// Required fields must be present (`null` is their default); optional ones may be absent or
/// `null`; lists, maps and free-form values default to empty.
pub(crate) fn decode_impl(out: &mut String, m: &Model, fields: &[Field]) {
    const S: &str = "support";
    let name = &m.name;
    let mut slots = String::new();
    let mut arms = String::new();
    let mut keys = String::new();
    let mut build = String::new();
    for (i, f) in fields.iter().enumerate() {
        let ty = f.ty.rust();
        let json = &f.json;
        // The slot is named after the field, unless that is a local of `decode`.
        let slot_name = if matches!(f.name.as_str(), "map" | "index") {
            format!("{}_slot", f.name)
        } else {
            f.name.clone()
        };
        // (slot type, expression of the field from slot `v`)
        let (slot, value) = if f.lenient_int {
            let v = format!("{slot_name}.and_then(|v| v.0)");
            if f.optional() {
                (format!("{S}::LenientI64"), v)
            } else {
                (
                    format!("{S}::LenientI64"),
                    format!(
                        "{slot_name}.ok_or_else(|| {S}::missing({json:?}))?.0.unwrap_or_default()"
                    ),
                )
            }
        } else if f.optional() {
            (format!("Option<{ty}>"), format!("{slot_name}.flatten()"))
        } else if f.ty == Ty::Value {
            (ty.clone(), format!("{slot_name}.unwrap_or_default()"))
        } else if f.ty.has_empty() {
            (
                format!("{S}::NullDefault<{ty}>"),
                format!("{slot_name}.map(|v| v.0).unwrap_or_default()"),
            )
        } else {
            (
                format!("{S}::NullDefault<{ty}>"),
                format!("{slot_name}.ok_or_else(|| {S}::missing({json:?}))?.0"),
            )
        };
        let _ = writeln!(slots, "let mut {slot_name}: Option<{slot}> = None;");
        let _ = writeln!(
            arms,
            "{i} => {S}::put(&mut {slot_name}, &mut map, {json:?})?,"
        );
        let _ = writeln!(keys, "{json:?} => {i},");
        let _ = writeln!(build, "{}: {value},", f.name);
    }
    let _ = writeln!(
        out,
        r#"
impl<'de> Deserialize<'de> for {name} {{
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {{
        d.deserialize_map({S}::StructVisitor::<Self>(std::marker::PhantomData))
    }}
}}

impl {S}::DecodeStruct for {name} {{
    const NAME: &'static str = {name:?};

    fn field(key: &str) -> usize {{
        match key {{
            {keys}_ => usize::MAX,
        }}
    }}

    fn decode<'de, A: serde::de::MapAccess<'de>>(mut map: A) -> Result<Self, A::Error> {{
        {slots}while let Some(index) = map.next_key_seed({S}::FieldIndex(Self::field))? {{
            match index {{
                {arms}_ => {{
                    map.next_value::<serde::de::IgnoredAny>()?;
                }}
            }}
        }}
        Ok({name} {{
            {build}}})
    }}
}}"#
    );
}

/// A test that sets every sensitive field of `ty` (built with `Default`) to a marker and checks
/// that `Debug` never shows it. `store` wraps a value as the field stores it.
pub(crate) fn redaction_test(
    out: &mut String,
    ty: &str,
    fields: &[(&Field, String)],
    total: usize,
    rest: &str,
) {
    let mut sets = String::new();
    let mut count = 0;
    for (f, wrapper) in fields {
        let value = match &f.ty {
            Ty::Str => "MARKER.to_owned()".to_owned(),
            Ty::Vec(inner) if **inner == Ty::Str => "vec![MARKER.to_owned()]".to_owned(),
            _ => continue,
        };
        let _ = writeln!(sets, "{}: {},", f.name, wrapper.replace("{}", &value));
        count += 1;
    }
    if count == 0 {
        return;
    }
    if count < total {
        let _ = writeln!(sets, "..{rest}");
    }
    let _ = writeln!(
        out,
        r#"
#[cfg(test)]
mod redaction {{
    const MARKER: &str = "s3cr3t-marker";

    #[test]
    fn debug_never_shows_secrets() {{
        let x = super::{ty} {{
            {sets}}};
        let shown = format!("{{x:?}}");
        assert!(!shown.contains(MARKER), "{{shown}}");
        assert!(shown.contains("<redacted>"));
    }}
}}"#
    );
}

/// A `Debug` impl that prints `<redacted>` for sensitive fields.
pub(crate) fn debug_impl(out: &mut String, name: &str, fields: &[Field]) {
    let mut calls = String::new();
    for f in fields {
        let name = &f.name;
        if f.sensitive {
            let _ = writeln!(
                calls,
                ".field({name:?}, &crate::models::support::Redacted(&self.{name}))"
            );
        } else {
            let _ = writeln!(calls, ".field({name:?}, &self.{name})");
        }
    }
    let _ = write!(
        out,
        r#"
/// Prints `<redacted>` for secrets.
impl std::fmt::Debug for {name} {{
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {{
        f.debug_struct({name:?})
            {calls}.finish()
    }}
}}
"#
    );
}

//! The operation files: one module per group (its handle, one method and one request
//! builder per operation), and `src/generated/mod.rs` (the accessors on `Clerk` and
//! `OPERATIONS`), with the README's operation list.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

use super::header;
use super::models::{DEPRECATED, debug_impl, has_default, redaction_test, setter_doc};
use crate::docs::{doc_lines, sanitize, summary_line};
use crate::naming::{camel, snake};
use crate::spec::{Api, Body, Field, KeyKind, Op, Paging, Param, Resp, Ty};

/// Group files name models as `models::User`: a group handle may share a model's name
/// (`organizations::Organizations` and `models::Organizations`).
pub(crate) const M: &str = "models::";

/// Names a builder method may not take.
pub(crate) const RESERVED: &[&str] = &[
    "send",
    "paginate",
    "timeout",
    "retry_policy",
    "no_retries",
    "clerk",
    "options",
];

pub(crate) fn setter_name(name: &str) -> String {
    if RESERVED.contains(&name) {
        format!("{name}_param")
    } else {
        name.to_owned()
    }
}

/// The Rust type a body field is stored as.
pub(crate) fn body_ty(f: &Field, op: &Op) -> String {
    let t = f.ty.rust_with(M);
    if f.required && !f.nullable {
        t
    } else if op.is_update && f.nullable {
        format!("Patch<{t}>")
    } else {
        format!("Option<{t}>")
    }
}

/// How a method argument or setter takes a value of `ty`: (parameter type, conversion).
pub(crate) fn arg(ty: &Ty, name: &str) -> (String, String) {
    match ty {
        Ty::Str => ("impl Into<String>".into(), format!("{name}.into()")),
        Ty::Vec(inner) if **inner == Ty::Str => (
            "impl IntoIterator<Item = impl Into<String>>".into(),
            format!("{name}.into_iter().map(Into::into).collect()"),
        ),
        Ty::Vec(inner) => (
            format!("impl IntoIterator<Item = {}>", inner.rust_with(M)),
            format!("{name}.into_iter().collect()"),
        ),
        other => (other.rust_with(M), name.to_owned()),
    }
}

pub(crate) fn param_doc(p: &Param) -> String {
    let mut d = p.doc.clone();
    if p.min.is_some() || p.max.is_some() {
        let range = match (p.min, p.max) {
            (Some(a), Some(b)) => format!("{a}..={b}"),
            (Some(a), None) => format!("at least {a}"),
            (None, Some(b)) => format!("at most {b}"),
            (None, None) => unreachable!(),
        };
        let _ = write!(
            d,
            "\n\nChecked before sending: {range}, else `InvalidRequest`."
        );
    }
    d
}

pub(crate) fn op_doc(op: &Op) -> String {
    let mut d = String::new();
    let summary = summary_line(&sanitize(&op.summary));
    if !summary.is_empty() {
        d.push_str(&summary);
        d.push_str("\n\n");
    }
    let desc = sanitize(&op.description);
    if !desc.is_empty() && desc.trim_end_matches('.') != summary.trim_end_matches('.') {
        d.push_str(&desc);
        d.push_str("\n\n");
    }
    let _ = write!(d, "Sends `{} {}` (`{}`)", op.http, op.path, op.op_id);
    match &op.body {
        Body::Multipart(_) => d.push_str(" as `multipart/form-data`."),
        _ => d.push('.'),
    }
    d
}

pub(crate) fn returns(op: &Op) -> String {
    match &op.response {
        Resp::Unit => "()".into(),
        Resp::Text => "String".into(),
        Resp::Json(t) => t.rust_with(M),
    }
}

/// `(path relative to src/generated, text)` of every group file, `mod.rs` and the README list.
pub fn op_files(api: &Api, tags: &BTreeMap<String, String>) -> (Vec<(String, String)>, String) {
    let mut groups: BTreeMap<&str, Vec<&Op>> = BTreeMap::new();
    for op in &api.ops {
        groups.entry(&op.group).or_default().push(op);
    }
    let mut files = Vec::new();
    let mut m = header(&api.version);
    m.push_str(
        r#"//! The operations, one module per group as in Clerk's official SDKs, and the
//! accessors on [`Clerk`] that reach them.

use crate::Clerk;
use crate::catalog::OperationInfo;

"#,
    );
    let mut modules: Vec<&str> = groups.values().map(|ops| ops[0].module.as_str()).collect();
    modules.sort_unstable();
    for module in modules {
        let _ = writeln!(m, "pub mod {module};");
    }
    // Not public here: `crate::models` (hand-written) re-exports its contents.
    m.push_str(
        r#"pub(crate) mod models;

impl Clerk {
"#,
    );
    let mut readme = String::new();
    for (g, ops) in &groups {
        let module = ops[0].module.as_str();
        let handle = camel(module);
        let doc = group_doc(g, ops, tags);
        m.push_str(&doc_lines(&doc));
        let _ = writeln!(
            m,
            r#"pub fn {g}(&self) -> {module}::{handle}<'_> {{
    {module}::{handle}::new(self)
}}
"#
        );
        files.push((
            format!("{module}.rs"),
            group_file(api, g, module, ops, &doc),
        ));
        let _ = writeln!(
            readme,
            r#"
<details><summary><code>{g}()</code>: {count}</summary>
"#,
            count = count(ops.len())
        );
        for op in ops {
            let dep = if op.deprecated { " (deprecated)" } else { "" };
            let _ = writeln!(
                readme,
                "- `{}()`: {}{dep}",
                op.method,
                summary_line(&sanitize(&op.summary)).trim_end_matches('.')
            );
        }
        readme.push_str("\n</details>\n");
    }
    let mut infos = String::new();
    for op in &api.ops {
        let _ = writeln!(
            infos,
            "OperationInfo {{ group: {:?}, method: {:?}, http_method: {:?}, path: {:?}, operation_id: {:?}, deprecated: {} }},",
            op.group, op.method, op.http, op.path, op.op_id, op.deprecated
        );
    }
    let _ = writeln!(
        m,
        r#"}}

/// Every operation of the API: group, method, HTTP method, path template, operation id
/// and whether Clerk deprecated it, sorted by group and method.
pub static OPERATIONS: &[OperationInfo] = &[
    {infos}];"#
    );
    files.push(("mod.rs".into(), m));
    (files, readme)
}

pub(crate) fn group_doc(g: &str, ops: &[&Op], tags: &BTreeMap<String, String>) -> String {
    let tag = tags
        .get(g)
        .map(|t| summary_line(&sanitize(t)))
        .unwrap_or_default();
    let title = camel(g);
    let count = count(ops.len());
    if tag.is_empty() {
        format!("{title}: {count}.")
    } else {
        format!("{title}: {count}. {tag}")
    }
}

pub(crate) fn count(n: usize) -> String {
    match n {
        1 => "1 operation".to_owned(),
        n => format!("{n} operations"),
    }
}

pub(crate) fn group_file(api: &Api, g: &str, module: &str, ops: &[&Op], doc: &str) -> String {
    let handle = camel(module);
    let mut body = String::new();
    let mut used = BTreeSet::new();
    let mut flags = Flags::default();
    let _ = writeln!(
        body,
        r#"
/// The `{g}` operations. Made by [`Clerk::{g}`].
#[derive(Debug, Clone, Copy)]
pub struct {handle}<'a> {{
    clerk: &'a Clerk,
}}

impl<'a> {handle}<'a> {{
    pub(crate) fn new(clerk: &'a Clerk) -> Self {{
        {handle} {{ clerk }}
    }}
"#
    );
    for op in ops {
        group_method(&mut body, op, body_default(api, op));
    }
    body.push_str("}\n");
    for op in ops {
        builder(
            &mut body,
            op,
            &handle,
            &mut used,
            &mut flags,
            body_default(api, op),
        );
    }
    let mut out = header(&api.version);
    let mut module_doc = format!("{doc}\n\nReached through [`Clerk::{g}`].");
    if module != g {
        let _ = write!(
            module_doc,
            " The module is named `{module}`: `clerk_backend_api::{g}` is another module of this crate."
        );
    }
    out.push_str(&doc_lines(&module_doc).replace("///", "//!"));
    if flags.deprecated {
        out.push_str("#![allow(deprecated)] // deprecated parameters are still sent when set\n");
    }
    out.push('\n');
    if flags.map {
        out.push_str("use std::collections::BTreeMap;\n\n");
    }
    if flags.serialize {
        out.push_str("use serde::Serialize;\n\n");
    }
    out.push_str(
        r#"use crate::Clerk;
use crate::error::Result;
use crate::http::{Body, CallOptions, RequestSpec};
use crate::log::Operation;
use crate::response::ApiResponse;
use crate::url::Query;
"#,
    );
    if used.iter().any(|n| api.models.contains_key(n)) {
        out.push_str("use crate::models;\n");
    }
    if flags.multipart {
        out.push_str("use crate::multipart::{FilePart, Multipart};\n");
    }
    if flags.paging && flags.paged {
        out.push_str("use crate::pagination::{Cursor, Page, PagedList, Paginator};\n");
    } else if flags.paging {
        out.push_str("use crate::pagination::{Cursor, Page, Paginator};\n");
    } else if flags.paged {
        out.push_str("use crate::pagination::PagedList;\n");
    }
    if flags.patch {
        out.push_str("use crate::patch::Patch;\n");
    }
    out.push_str(&body);
    out
}

#[derive(Default)]
pub(crate) struct Flags {
    deprecated: bool,
    map: bool,
    serialize: bool,
    multipart: bool,
    paging: bool,
    paged: bool,
    patch: bool,
}

/// Where a method argument comes from.
pub(crate) enum ArgFrom<'a> {
    Param(&'a Param),
    Field(&'a Field),
    /// The array of a bulk body.
    Items,
}

/// Required inputs in argument order: (name, type, source).
pub(crate) fn required_args(op: &Op) -> Vec<(String, Ty, ArgFrom<'_>)> {
    let mut args = Vec::new();
    for p in &op.path_params {
        args.push((p.name.clone(), Ty::Str, ArgFrom::Param(p)));
    }
    for p in op.query.iter().filter(|p| p.required) {
        args.push((p.name.clone(), p.ty.clone(), ArgFrom::Param(p)));
    }
    match &op.body {
        Body::Json(fields) | Body::Multipart(fields) => {
            for f in fields.iter().filter(|f| op.body.is_arg(f)) {
                args.push((f.name.clone(), f.ty.clone(), ArgFrom::Field(f)));
            }
        }
        Body::JsonArray(item) => args.push((
            "items".into(),
            Ty::Vec(Box::new(item.clone())),
            ArgFrom::Items,
        )),
        Body::None => {}
    }
    args
}

/// One setter: `pub fn name(mut self, value: param_ty) -> Self { self.place = store; self }`.
pub(crate) fn setter(
    out: &mut String,
    doc: &str,
    deprecated: bool,
    name: &str,
    place: &str,
    param_ty: &str,
    store: &str,
) {
    out.push_str(&doc_lines(doc));
    if deprecated {
        out.push_str(DEPRECATED);
    }
    let _ = writeln!(
        out,
        r#"pub fn {name}(mut self, value: {param_ty}) -> Self {{
    self.{place} = {store};
    self
}}
"#,
        name = setter_name(name)
    );
}

/// `name: expr`, or just `name` when they are the same.
pub(crate) fn init_field(name: &str, expr: &str) -> String {
    if name == expr {
        name.to_owned()
    } else {
        format!("{name}: {expr}")
    }
}

/// Whether the JSON body struct of `op` derives `Default`: its method arguments all have a
/// true default (the other fields are `Option`s or `Patch`es).
pub(crate) fn body_default(api: &Api, op: &Op) -> bool {
    match &op.body {
        Body::Json(fields) => fields
            .iter()
            .all(|f| !op.body.is_arg(f) || has_default(api, &f.ty)),
        _ => true,
    }
}

/// The value of a body field the caller has not set: `None`, or `Patch::Keep`.
pub(crate) fn unset(f: &Field, op: &Op) -> &'static str {
    if body_ty(f, op).starts_with("Patch<") {
        "Patch::Keep"
    } else {
        "None"
    }
}

pub(crate) fn group_method(out: &mut String, op: &Op, body_default: bool) {
    out.push_str(&doc_lines(&op_doc(op)));
    if op.deprecated {
        out.push_str(DEPRECATED);
    }
    let args = required_args(op);
    let params: Vec<String> = args
        .iter()
        .map(|(n, t, _)| format!("{n}: {}", arg(t, n).0))
        .collect();
    let (method, params, t) = (&op.method, params.join(", "), &op.type_name);
    let mut init = vec!["clerk: self.clerk.clone()".to_owned()];
    for p in &op.path_params {
        init.push(format!("{}: {}.into()", p.name, p.name));
    }
    let has_query = !op.query.is_empty();
    if has_query {
        let req: Vec<String> = op
            .query
            .iter()
            .filter(|p| p.required)
            .map(|p| init_field(&p.name, &arg(&p.ty, &p.name).1))
            .collect();
        if req.is_empty() {
            init.push("query: Default::default()".into());
        } else {
            init.push(format!(
                "query: {}Query {{ {}, ..Default::default() }}",
                op.type_name,
                req.join(", ")
            ));
        }
    }
    match &op.body {
        Body::Json(fields) => {
            let req: Vec<String> = fields
                .iter()
                .filter(|f| op.body.is_arg(f))
                .map(|f| init_field(&f.name, &arg(&f.ty, &f.name).1))
                .collect();
            if !body_default {
                let all: Vec<String> = fields
                    .iter()
                    .map(|f| {
                        if op.body.is_arg(f) {
                            init_field(&f.name, &arg(&f.ty, &f.name).1)
                        } else {
                            format!("{}: {}", f.name, unset(f, op))
                        }
                    })
                    .collect();
                init.push(format!(
                    "body: {}Body {{ {} }}",
                    op.type_name,
                    all.join(", ")
                ));
            } else if req.is_empty() {
                init.push("body: Default::default()".into());
            } else if req.len() == fields.len() {
                init.push(format!(
                    "body: {}Body {{ {} }}",
                    op.type_name,
                    req.join(", ")
                ));
            } else {
                init.push(format!(
                    "body: {}Body {{ {}, ..Default::default() }}",
                    op.type_name,
                    req.join(", ")
                ));
            }
        }
        Body::JsonArray(_) => init.push(format!(
            "items: {}",
            arg(&args.last().unwrap().1, "items").1
        )),
        Body::Multipart(fields) => {
            for f in fields {
                if op.body.is_arg(f) {
                    init.push(init_field(&f.name, &arg(&f.ty, &f.name).1));
                } else {
                    init.push(format!("{}: None", f.name));
                }
            }
        }
        Body::None => {}
    }
    init.push("options: CallOptions::default()".into());
    let init = init.join(",\n");
    let _ = writeln!(
        out,
        r#"pub fn {method}(&self, {params}) -> {t} {{
    {t} {{
        {init},
    }}
}}
"#
    );
}

/// The request builder of `op` with its query and body structs: fields, setters, `send`
/// and its variants, and `paginate`.
pub(crate) fn builder(
    out: &mut String,
    op: &Op,
    handle: &str,
    used: &mut BTreeSet<String>,
    flags: &mut Flags,
    body_default: bool,
) {
    query_struct(out, op, flags);
    if let Body::Json(fields) = &op.body {
        body_struct(out, op, fields, used, flags, body_default);
    }
    builder_struct(out, op, handle, used, flags);
    let t = &op.type_name;
    let _ = writeln!(
        out,
        r#"
impl {t} {{
    const OP: Operation = Operation {{ operation_id: {op_id:?}, http_method: {http:?}, path: {path:?} }};

    call_options!();
"#,
        op_id = op.op_id,
        http = op.http,
        path = op.path,
    );
    setters(out, op);
    let query_expr = build_query_fn(out, op);
    send_fns(out, op, &query_expr, used);
    if let Some(item) = &op.paged {
        flags.paged = true;
        item.names(used);
        let item = item.rust_with(M);
        let _ = writeln!(
            out,
            r#"
    /// Sends the request with `paginated=true`: Clerk then answers a page object, the items
    /// with the total count of all of them, instead of a bare list.
    ///
    /// # Errors
    /// As [`send`](Self::send).
    pub fn send_paged(mut self) -> Result<PagedList<{item}>> {{
        self.query.paginated = Some(true);
        self.call(Clerk::send_json)
    }}"#
        );
    }
    if let Some(pg) = &op.paging {
        flags.paging = true;
        paginate_fn(out, op, pg, used);
    }
    out.push_str("}\n");
}

/// The struct of the query parameters, `{Op}Query`.
fn query_struct(out: &mut String, op: &Op, flags: &mut Flags) {
    if op.query.is_empty() {
        return;
    }
    let t = &op.type_name;
    let mut fields = String::new();
    for p in &op.query {
        flags.deprecated |= p.deprecated;
        let ty = p.ty.rust_with(M);
        let name = &p.name;
        if p.required || matches!(p.ty, Ty::Vec(_)) {
            let _ = writeln!(fields, "{name}: {ty},");
        } else {
            let _ = writeln!(fields, "{name}: Option<{ty}>,");
        }
    }
    let _ = write!(
        out,
        r#"
/// The query of [`{t}`].
#[derive(Debug, Clone, Default)]
struct {t}Query {{
{fields}}}
"#
    );
}

/// The struct of a JSON body, `{Op}Body`, with its `Debug` and redaction test when a field
/// is a secret.
fn body_struct(
    out: &mut String,
    op: &Op,
    fields: &[Field],
    used: &mut BTreeSet<String>,
    flags: &mut Flags,
    body_default: bool,
) {
    let t = &op.type_name;
    flags.serialize = true;
    let redact = fields.iter().any(|f| f.sensitive);
    let derive = match (redact, body_default) {
        (true, true) => "Clone, Default, Serialize",
        (true, false) => "Clone, Serialize",
        (false, true) => "Debug, Clone, Default, Serialize",
        (false, false) => "Debug, Clone, Serialize",
    };
    let mut members = String::new();
    for f in fields {
        f.ty.names(used);
        flags.deprecated |= f.deprecated;
        flags.map |= matches!(f.ty, Ty::Map(_));
        let ty = body_ty(f, op);
        let mut attrs = Vec::new();
        if f.name != f.json {
            attrs.push(format!("rename = {:?}", f.json));
        }
        if ty.starts_with("Patch<") {
            flags.patch = true;
            attrs.push(r#"skip_serializing_if = "Patch::is_keep""#.into());
        } else if ty.starts_with("Option<") {
            attrs.push(r#"skip_serializing_if = "Option::is_none""#.into());
        }
        if !attrs.is_empty() {
            let _ = writeln!(members, "#[serde({})]", attrs.join(", "));
        }
        let _ = writeln!(members, "{}: {ty},", f.name);
    }
    let _ = write!(
        out,
        r#"
/// The JSON body of [`{t}`]. Unset fields are left out.
#[derive({derive})]
struct {t}Body {{
{members}}}
"#
    );
    if redact {
        debug_impl(out, &format!("{t}Body"), fields);
        let secret: Vec<(&Field, String)> = fields
            .iter()
            .filter(|f| f.sensitive)
            .map(|f| {
                let ty = body_ty(f, op);
                let wrap = if ty.starts_with("Patch<") {
                    "crate::patch::Patch::Set({})"
                } else if ty.starts_with("Option<") {
                    "Some({})"
                } else {
                    "{}"
                };
                (f, wrap.to_owned())
            })
            .collect();
        let mut test = String::new();
        redaction_test(
            &mut test,
            &format!("{t}Body"),
            &secret,
            fields.len(),
            "Default::default()",
        );
        out.push_str(&test.replace("mod redaction {", &format!("mod {}_redaction {{", snake(t))));
    }
}

/// The builder struct itself: the client, path parameters, query, body and call options.
fn builder_struct(
    out: &mut String,
    op: &Op,
    handle: &str,
    used: &mut BTreeSet<String>,
    flags: &mut Flags,
) {
    let t = &op.type_name;
    let summary = summary_line(&sanitize(if op.summary.is_empty() {
        &op.op_id
    } else {
        &op.summary
    }));
    let doc = doc_lines(&format!("{summary} Made by [`{handle}::{}`].", op.method));
    let doc = doc.trim_end();
    let mut members = String::new();
    for p in &op.path_params {
        let _ = writeln!(members, "{}: String,", p.name);
    }
    if !op.query.is_empty() {
        let _ = writeln!(members, "query: {t}Query,");
    }
    match &op.body {
        Body::Json(_) => {
            let _ = writeln!(members, "body: {t}Body,");
        }
        Body::JsonArray(item) => {
            item.names(used);
            flags.serialize = true;
            let _ = writeln!(members, "items: Vec<{}>,", item.rust_with(M));
        }
        Body::Multipart(fields) => {
            flags.multipart = true;
            for f in fields {
                let ty = f.ty.rust_with(M);
                if op.body.is_arg(f) {
                    let _ = writeln!(members, "{}: {ty},", f.name);
                } else {
                    let _ = writeln!(members, "{}: Option<{ty}>,", f.name);
                }
            }
        }
        Body::None => {}
    }
    let _ = write!(
        out,
        r#"
{doc}
#[derive(Debug, Clone)]
#[must_use = "a request does nothing until .send()"]
pub struct {t} {{
    clerk: Clerk,
    {members}options: CallOptions,
}}
"#
    );
}

/// The setters of the optional query parameters and body fields. `paginated` has none when
/// the answer's type depends on it: `send_paged()` sets it.
fn setters(out: &mut String, op: &Op) {
    let paged_param = |p: &&Param| op.paged.is_some() && p.json == "paginated";
    for p in op.query.iter().filter(|p| !p.required && !paged_param(p)) {
        let (pt, conv) = arg(&p.ty, "value");
        let store = if matches!(p.ty, Ty::Vec(_)) {
            conv
        } else {
            format!("Some({conv})")
        };
        let place = format!("query.{}", p.name);
        setter(
            out,
            &param_doc(p),
            p.deprecated,
            &p.name,
            &place,
            &pt,
            &store,
        );
    }
    match &op.body {
        Body::Json(fields) => {
            for f in fields.iter().filter(|f| !op.body.is_arg(f)) {
                let (pt, conv) = arg(&f.ty, "value");
                let patch = body_ty(f, op).starts_with("Patch<");
                let mut doc = setter_doc(f, "body field");
                if f.sensitive {
                    doc.push_str("\n\nNever printed by `Debug`.");
                }
                let store = if patch {
                    format!("Patch::Set({conv})")
                } else {
                    format!("Some({conv})")
                };
                let place = format!("body.{}", f.name);
                setter(out, &doc, f.deprecated, &f.name, &place, &pt, &store);
                if patch {
                    let _ = writeln!(
                        out,
                        r#"/// Sets `{json}` to `null`, clearing it.
pub fn clear_{name}(mut self) -> Self {{
    self.body.{name} = Patch::Null;
    self
}}
"#,
                        json = f.json,
                        name = f.name,
                    );
                }
            }
        }
        Body::Multipart(fields) => {
            for f in fields.iter().filter(|f| !op.body.is_arg(f)) {
                let (pt, conv) = arg(&f.ty, "value");
                let store = format!("Some({conv})");
                setter(
                    out,
                    &setter_doc(f, "form field"),
                    f.deprecated,
                    &f.name,
                    &f.name,
                    &pt,
                    &store,
                );
            }
        }
        _ => {}
    }
}

/// `build_query()`, which checks ranges and encodes the query, when the operation has one.
/// Returns the expression that makes the query in `call()`.
fn build_query_fn(out: &mut String, op: &Op) -> String {
    if op.query.is_empty() {
        return "Query::new()".to_owned();
    }
    let mut checks = String::new();
    for p in &op.query {
        if p.min.is_some() || p.max.is_some() {
            let v = if p.required {
                format!("Some(self.query.{})", p.name)
            } else {
                format!("self.query.{}", p.name)
            };
            let _ = writeln!(
                checks,
                "crate::url::check_range({:?}, {v}, {:?}, {:?})?;",
                p.json, p.min, p.max
            );
        }
    }
    let mut adds = String::new();
    for p in &op.query {
        let (key, name) = (&p.json, &p.name);
        let _ = match (&p.ty, p.required) {
            (Ty::Vec(_), _) if p.explode => writeln!(adds, "q.each({key:?}, &self.query.{name});"),
            (Ty::Vec(_), _) => writeln!(adds, "q.joined({key:?}, &self.query.{name});"),
            (Ty::Str, true) => writeln!(adds, "q.opt({key:?}, Some(&self.query.{name}));"),
            (_, true) => writeln!(adds, "q.opt({key:?}, Some(self.query.{name}));"),
            (Ty::Str, false) => writeln!(adds, "q.opt({key:?}, self.query.{name}.as_ref());"),
            (_, false) => writeln!(adds, "q.opt({key:?}, self.query.{name});"),
        };
    }
    let _ = write!(
        out,
        r#"fn build_query(&self) -> Result<Query> {{
    {checks}let mut q = Query::new();
    {adds}Ok(q)
}}

"#
    );
    "self.build_query()?".to_owned()
}

/// `call()`, the one place that builds the `RequestSpec`, and `send`/`send_with_response`.
fn send_fns(out: &mut String, op: &Op, query_expr: &str, used: &mut BTreeSet<String>) {
    let ret = returns(op);
    if let Resp::Json(t) = &op.response {
        t.names(used);
    }
    let sender = match &op.response {
        Resp::Unit => "send_unit",
        Resp::Text => "send_text",
        Resp::Json(_) => "send_json",
    };
    let path_params: Vec<String> = op
        .path_params
        .iter()
        .map(|p| format!("&self.{}", p.name))
        .collect();
    let path_params = path_params.join(", ");
    let (prep, body_expr) = match &op.body {
        Body::None => (String::new(), "Body::Empty".to_owned()),
        Body::Json(_) => (String::new(), "Body::json(&self.body)?".to_owned()),
        Body::JsonArray(_) => (String::new(), "Body::json(&self.items)?".to_owned()),
        Body::Multipart(fields) => {
            let mut p = "let form = Multipart::new(self.clerk.inner.boundary())".to_owned();
            for f in fields {
                if f.ty == Ty::File {
                    let _ = write!(p, ".file({:?}, self.{})", f.json, f.name);
                } else if f.required {
                    let _ = write!(p, ".text({:?}, Some(self.{}))", f.json, f.name);
                } else {
                    let _ = write!(p, ".text({:?}, self.{})", f.json, f.name);
                }
            }
            p.push_str(";\n");
            (p, "Body::Multipart(form)".to_owned())
        }
    };
    let _ = writeln!(
        out,
        r#"/// Runs the call with `send`, the pipeline entry for the answer's kind.
fn call<R>(self, send: fn(&Clerk, RequestSpec<'_>) -> Result<R>) -> Result<R> {{
    let query = {query_expr};
    {prep}send(&self.clerk, RequestSpec {{
        op: Self::OP,
        path_params: &[{path_params}],
        query,
        body: {body_expr},
        options: &self.options,
    }})
}}

/// Sends the request.
///
/// # Errors
/// [`Error::Api`](crate::Error::Api) when Clerk answers with an error status, and any
/// other [`Error`](crate::Error) on failure.
pub fn send(self) -> Result<{ret}> {{
    self.call(Clerk::{sender})
}}

/// Sends the request, and returns the answer with its status, headers and trace id.
///
/// # Errors
/// As [`send`](Self::send).
#[inline]
pub fn send_with_response(mut self) -> Result<ApiResponse<{ret}>> {{
    self.options.keep_headers = true;
    self.call(Clerk::{sender}_with_response)
}}"#
    );
}

/// `paginate()`: a `Paginator` that fetches page after page, by offset or by cursor.
fn paginate_fn(out: &mut String, op: &Op, pg: &Paging, used: &mut BTreeSet<String>) {
    pg.item.names(used);
    let item = pg.item.rust_with(M);
    let default = op
        .query
        .iter()
        .find(|p| p.json == "limit")
        .and_then(|p| p.default)
        .unwrap_or(10);
    let id = match pg.key {
        Some(KeyKind::Required) => Some("x.id.as_str()"),
        Some(KeyKind::Optional) => Some("x.id.as_deref().unwrap_or_default()"),
        None => None,
    };
    let (key_fn, key) = match id {
        Some(id) => (
            format!(
                r#"fn key(x: &{item}) -> &str {{
    {id}
}}
"#
            ),
            format!("Some(key as fn(&{item}) -> &str)"),
        ),
        None => (String::new(), "None".to_owned()),
    };
    let first = if pg.cursor {
        "let first = Cursor::first(self.query.offset, self.query.order_by.as_deref(), self.query.starting_after.clone());"
    } else {
        "let first = Cursor::Offset(self.query.offset.unwrap_or(0));"
    };
    let set_cursor = if pg.cursor {
        r#"match cursor {
    Cursor::Offset(o) => page.query.offset = Some(*o),
    Cursor::After(after) => page.query.starting_after = after.clone(),
}"#
    } else {
        r#"if let Cursor::Offset(o) = cursor {
    page.query.offset = Some(*o);
}"#
    };
    let data = match &pg.field {
        None if op.paged.is_some() => r#"let list = page.send_paged()?;
Ok(Page { data: list.data, total_count: Some(list.total_count) })"#
            .to_owned(),
        None => "Ok(Page { data: page.send()?, total_count: None })".to_owned(),
        Some(f) => format!(
            r#"let list = page.send()?;
Ok(Page {{ data: list.{f}, total_count: Some(list.total_count) }})"#
        ),
    };
    let how = match &pg.field {
        None if op.paged.is_some() => {
            "Asks for page objects (`send_paged`); stops after a short page or at `total_count`."
        }
        None => "Stops after a short page.",
        Some(_) => "Stops after a short page or at `total_count`.",
    };
    let _ = writeln!(
        out,
        r#"
/// Every item, fetched page by page (of `limit` items) as the iterator needs them.
/// {how}
pub fn paginate(self) -> Paginator<{item}> {{
    {key_fn}{first}
    let page_size = self.query.limit.unwrap_or({default});
    Paginator::new(Self::OP.operation_id, first, page_size, {key}, move |cursor| {{
        let mut page = self.clone();
        {set_cursor}
        {data}
    }})
}}"#
    );
}

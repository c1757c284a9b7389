//! The operation files: one module per group (its handle, one method per operation, and
//! one request builder per operation, written by `builder.rs`), and `src/generated/mod.rs`
//! (the accessors on `Clerk` and `OPERATIONS`), with the README's operation list.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

use super::builder::builder;
use super::header;
use super::models::{DEPRECATED, has_default};
use crate::docs::{doc_lines, sanitize, summary_line};
use crate::naming::camel;
use crate::spec::{Api, Body, Field, Op, Param, Ty};

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

/// What a group file imports, noted while its parts are written.
#[derive(Default)]
pub(crate) struct Flags {
    pub(crate) deprecated: bool,
    pub(crate) map: bool,
    pub(crate) serialize: bool,
    pub(crate) multipart: bool,
    pub(crate) paging: bool,
    pub(crate) paged: bool,
    pub(crate) patch: bool,
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

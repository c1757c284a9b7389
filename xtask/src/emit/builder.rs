//! The request builder of an operation: its query and body structs, the builder struct,
//! setters, `call`/`send`/`send_with_response`, `send_paged` and `paginate`.

use std::collections::BTreeSet;
use std::fmt::Write as _;

use super::models::{DEPRECATED, debug_impl, redaction_test, setter_doc};
use super::operations::{Flags, M, arg, body_ty, setter_name};
use crate::docs::{doc_lines, sanitize, summary_line};
use crate::naming::snake;
use crate::spec::{Body, Field, KeyKind, Op, Paging, Param, Resp, Ty};

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
    #[inline]
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
///
/// Every method that reaches a typed decode (`send`, `send_with_response`, `send_paged`,
/// `paginate`) is `#[inline]`: rustc then compiles it, and the decoder of its answer, only in
/// the crate that calls it, not for all 249 operations in this library. That took a clean
/// release build of a two-call program from 2.1× to 1.75× the plain-ureq floor
/// (`scripts/footprint.sh`, `footprint/README.md`); nothing changes for a caller.
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
#[inline]
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
#[inline]
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

/// One setter: `pub fn name(mut self, value: param_ty) -> Self { self.place = store; self }`.
fn setter(
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

fn param_doc(p: &Param) -> String {
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

fn returns(op: &Op) -> String {
    match &op.response {
        Resp::Unit => "()".into(),
        Resp::Text => "String".into(),
        Resp::Json(t) => t.rust_with(M),
    }
}

//! `cargo xtask update-spec <file>`: vendors a newer version of the spec, regenerates, and
//! says what changed for the SDK, as Markdown to paste into CHANGELOG.md.
//!
//! Nothing is written unless the new spec generates: the overlay must still apply (every
//! target must select something), the `[[fix]]` entries must still find their places, and
//! every name must still be unique. Otherwise the error says what to adapt first.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::spec::{self, Api, Body, ModelKind, Op};

/// What [`update_spec`] did.
pub struct Update {
    /// The vendored spec before and after, relative to the repository root.
    pub old_file: PathBuf,
    /// See [`Update::old_file`].
    pub new_file: PathBuf,
    /// Files the regeneration changed (spec files not counted).
    pub changed: usize,
    /// The size of the new spec in bytes, for spec/README.md.
    pub bytes: usize,
    /// The changes, as Markdown for CHANGELOG.md.
    pub changelog: String,
}

/// Vendors `new_spec` (a YAML file) into `root`'s `spec/` as `bapi-<info.version>.yml`, in
/// place of the current one, regenerates, and describes the changes.
pub fn update_spec(root: &Path, new_spec: &Path) -> Result<Update, String> {
    let text =
        std::fs::read_to_string(new_spec).map_err(|e| format!("{}: {e}", new_spec.display()))?;
    let name = new_spec.display().to_string();
    let raw = crate::overlay::yaml_to_json(&text, &name)?;
    let version = raw
        .pointer("/info/version")
        .and_then(Value::as_str)
        .ok_or(format!("{name}: no info.version"))?;
    if version.is_empty()
        || !version
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_'))
    {
        return Err(format!(
            "{name}: info.version {version:?} cannot name a file"
        ));
    }
    let new_rel = PathBuf::from(crate::SPEC_DIR).join(format!("bapi-{version}.yml"));
    let old_path = crate::spec_file(root)?;
    let old_rel = old_path
        .strip_prefix(root)
        .unwrap_or(&old_path)
        .to_path_buf();

    let (old_eff, ov) = crate::load(root)?;
    let new_eff = crate::effective(root, &text, &name)?;
    let old_api = spec::read(&crate::fixed(&old_eff, &ov)?, &ov)?;
    let new_api = spec::read(&crate::fixed(&new_eff, &ov)?, &ov)?;
    // Everything that can fail runs before the first write.
    let out = crate::generate(&new_eff, &ov)?;

    std::fs::write(root.join(&new_rel), &text)
        .map_err(|e| format!("{}: {e}", new_rel.display()))?;
    if old_rel != new_rel {
        std::fs::remove_file(&old_path).map_err(|e| format!("{}: {e}", old_path.display()))?;
    }
    let changed = crate::write(root, &out)?;
    Ok(Update {
        old_file: old_rel,
        new_file: new_rel,
        changed,
        bytes: text.len(),
        changelog: changelog(&old_api, &new_api),
    })
}

/// An operation as a reader of the changelog knows it.
fn op_line(op: &Op) -> String {
    format!(
        "`{}.{}` (`{} {}`, `{}`)",
        op.group,
        op.method,
        op.http.to_ascii_uppercase(),
        op.path,
        op.op_id
    )
}

/// The fields of a model or a request body, by JSON name.
fn field_names(kind: &ModelKind) -> Option<BTreeSet<String>> {
    match kind {
        ModelKind::Struct(fields) => Some(fields.iter().map(|f| f.json.clone()).collect()),
        _ => None,
    }
}

fn body_fields(op: &Op) -> BTreeSet<String> {
    match &op.body {
        Body::Json(f) | Body::Multipart(f) => f.iter().map(|f| f.json.clone()).collect(),
        Body::None | Body::JsonArray(_) => BTreeSet::new(),
    }
}

fn list(out: &mut String, title: &str, items: &[String]) {
    if items.is_empty() {
        return;
    }
    let _ = writeln!(out, "- {title}:");
    for i in items {
        let _ = writeln!(out, "  - {i}");
    }
}

fn names(set: impl IntoIterator<Item = String>) -> String {
    set.into_iter()
        .map(|n| format!("`{n}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// `label: added `a`, `b`; removed `c``, or `None` when nothing was added or removed.
fn change_line(label: String, plus: Vec<String>, minus: Vec<String>) -> Option<String> {
    let mut parts = Vec::new();
    if !plus.is_empty() {
        parts.push(format!("added {}", names(plus)));
    }
    if !minus.is_empty() {
        parts.push(format!("removed {}", names(minus)));
    }
    (!parts.is_empty()).then(|| format!("{label} {}", parts.join("; ")))
}

/// The difference between two generated APIs, as Markdown list items for CHANGELOG.md.
pub fn changelog(old: &Api, new: &Api) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "- Clerk Backend API spec {} → {} (`cargo xtask update-spec`).",
        old.version, new.version
    );

    // Operations: the same operationId, or else the same method and path, is the same
    // operation; if its name changed it was renamed.
    let key = |o: &Op| (o.http.to_ascii_uppercase(), o.path.clone());
    let mut matched: Vec<(&Op, &Op)> = Vec::new();
    let mut old_left: Vec<&Op> = Vec::new();
    let mut new_taken = BTreeSet::new();
    for o in &old.ops {
        match new.ops.iter().position(|n| n.op_id == o.op_id) {
            Some(i) => {
                new_taken.insert(i);
                matched.push((o, &new.ops[i]));
            }
            None => old_left.push(o),
        }
    }
    let mut removed = Vec::new();
    for o in old_left {
        match (0..new.ops.len()).find(|i| !new_taken.contains(i) && key(&new.ops[*i]) == key(o)) {
            Some(i) => {
                new_taken.insert(i);
                matched.push((o, &new.ops[i]));
            }
            None => removed.push(op_line(o)),
        }
    }
    let added: Vec<String> = (0..new.ops.len())
        .filter(|i| !new_taken.contains(i))
        .map(|i| op_line(&new.ops[i]))
        .collect();
    matched.sort_by(|a, b| (&a.1.group, &a.1.method).cmp(&(&b.1.group, &b.1.method)));
    let mut renamed = Vec::new();
    let mut deprecated = Vec::new();
    let mut params = Vec::new();
    for (o, n) in &matched {
        if (&o.group, &o.method, &o.op_id) != (&n.group, &n.method, &n.op_id) {
            renamed.push(format!(
                "`{}.{}` (`{}`) → {}",
                o.group,
                o.method,
                o.op_id,
                op_line(n)
            ));
        }
        if !o.deprecated && n.deprecated {
            deprecated.push(op_line(n));
        }
        let q = |op: &Op| -> BTreeSet<String> {
            op.query
                .iter()
                .chain(&op.path_params)
                .map(|p| p.json.clone())
                .chain(body_fields(op).into_iter().map(|f| format!("body.{f}")))
                .collect()
        };
        let (qo, qn) = (q(o), q(n));
        let plus: Vec<String> = qn.difference(&qo).cloned().collect();
        let minus: Vec<String> = qo.difference(&qn).cloned().collect();
        params.extend(change_line(
            format!("`{}.{}`:", n.group, n.method),
            plus,
            minus,
        ));
    }
    list(&mut out, "Operations added", &added);
    list(&mut out, "Operations removed", &removed);
    list(&mut out, "Operations renamed", &renamed);
    list(&mut out, "Operations deprecated", &deprecated);
    list(&mut out, "Parameters and body fields", &params);

    // Models, by Rust name.
    let models_added: Vec<String> = new
        .models
        .keys()
        .filter(|k| !old.models.contains_key(*k))
        .map(|k| format!("`models::{k}`"))
        .collect();
    let models_removed: Vec<String> = old
        .models
        .keys()
        .filter(|k| !new.models.contains_key(*k))
        .map(|k| format!("`models::{k}`"))
        .collect();
    let mut fields = Vec::new();
    let mut enums = Vec::new();
    let both: BTreeMap<&String, (&ModelKind, &ModelKind)> = old
        .models
        .iter()
        .filter_map(|(k, m)| new.models.get(k).map(|n| (k, (&m.kind, &n.kind))))
        .collect();
    for (name, (o, n)) in both {
        if let (Some(fo), Some(fn_)) = (field_names(o), field_names(n)) {
            let plus: Vec<String> = fn_.difference(&fo).cloned().collect();
            let minus: Vec<String> = fo.difference(&fn_).cloned().collect();
            fields.extend(change_line(format!("`{name}`:"), plus, minus));
        }
        if let (ModelKind::Enum(vo), ModelKind::Enum(vn)) = (o, n) {
            let old_values: BTreeSet<&String> = vo.iter().map(|(_, v)| v).collect();
            let new_values: BTreeSet<&String> = vn.iter().map(|(_, v)| v).collect();
            let plus: Vec<String> = vn
                .iter()
                .filter(|(_, v)| !old_values.contains(v))
                .map(|(_, v)| v.clone())
                .collect();
            let minus: Vec<String> = vo
                .iter()
                .filter(|(_, v)| !new_values.contains(v))
                .map(|(_, v)| v.clone())
                .collect();
            enums.extend(change_line(format!("`{name}`:"), plus, minus));
        }
    }
    list(&mut out, "Models added", &models_added);
    list(&mut out, "Models removed", &models_removed);
    list(&mut out, "Model fields", &fields);
    list(&mut out, "Enum values", &enums);
    if out.lines().count() == 1 {
        out.push_str("- No change to operations, models, fields or enum values.\n");
    }
    out
}

//! Rust names of schemas and operations: overrides.toml `[types]`, `[methods]` and
//! `[modules]`, and the clashes a name derived from the spec can run into.

use serde_json::{Map, Value};

use super::Gen;
use super::api::{Op, Param};
use super::json::s;
use crate::naming::{camel, snake};

impl Gen<'_> {
    /// The Rust name of a type: overrides.toml `[types]` keyed by the name the generator
    /// derives (`CommercePlan2` for the schema `CommercePlan-2`), else that derived name.
    pub(super) fn type_name(&self, derived: &str) -> String {
        let name = camel(derived);
        match self.ov.types.get(&name) {
            Some(n) => n.clone(),
            None => name,
        }
    }

    /// Names every component schema (`names`), failing when two get the same Rust name.
    pub(super) fn name_schemas(&mut self, schemas: &Map<String, Value>) -> Result<(), String> {
        for name in schemas.keys() {
            let rust = self.type_name(name);
            if self.names.values().any(|n| *n == rust) {
                return Err(format!("two schemas are both named `{rust}`"));
            }
            self.names.insert(name.clone(), rust);
        }
        Ok(())
    }

    /// The group (`x-speakeasy-group`, else the first tag) and the method name
    /// (`x-speakeasy-name-override`, else overrides.toml `[methods]`) of an operation.
    pub(super) fn op_names(&mut self, op_id: &str, op: &Value) -> Result<(String, String), String> {
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
        Ok((group, method))
    }

    /// The module of a group: overrides.toml `[modules]`, else the group's name.
    pub(super) fn module_name(&self, group: &str) -> String {
        self.ov
            .modules
            .get(group)
            .cloned()
            .unwrap_or_else(|| group.to_owned())
    }
}

/// Two query parameters whose names snake-case alike (`frontendApi` next to `frontend_api`),
/// or one named like a path parameter: the later one is renamed, `_deprecated` when it is
/// deprecated, else `_2`.
pub(super) fn rename_clashes(path_params: &[Param], query: &mut [Param]) {
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
}

/// Fails when two operations (sorted by group and method) have the same name.
pub(super) fn check_unique_ops(ops: &[Op]) -> Result<(), String> {
    for w in ops.windows(2) {
        if w[0].group == w[1].group && w[0].method == w[1].method {
            return Err(format!(
                "two operations are named {}.{}",
                w[0].group, w[0].method
            ));
        }
    }
    Ok(())
}

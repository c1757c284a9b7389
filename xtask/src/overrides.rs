//! `xtask/overrides.toml`: what the spec does not say.

use std::collections::BTreeMap;

use serde::Deserialize;

/// The parsed overrides file.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Overrides {
    /// operationId -> method name, for operations without `x-speakeasy-name-override`.
    #[serde(default)]
    pub methods: BTreeMap<String, String>,
    #[serde(default)]
    pub sensitive: Sensitive,
    /// Derived type name -> the name to use.
    #[serde(default)]
    pub types: BTreeMap<String, String>,
    /// Group -> the name of its module (and handle type), where the group's own name is taken
    /// by a hand-written public module. The accessor on `Clerk` keeps the group's name.
    #[serde(default)]
    pub modules: BTreeMap<String, String>,
    /// Request `pattern` -> a value that matches it, for the conformance calls.
    #[serde(default)]
    pub samples: BTreeMap<String, String>,
    /// Changes to the spec, applied before anything is read from it (and to the spec the
    /// conformance suite serves through Prism).
    #[serde(default)]
    pub fix: Vec<SpecFix>,
}

/// One change to the spec: set `pointer` to `value`, move `from` there, or remove it.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SpecFix {
    /// A JSON pointer into the spec.
    pub pointer: String,
    /// The new value.
    #[serde(default)]
    pub value: Option<serde_json::Value>,
    /// Move the value at this pointer to `pointer`.
    #[serde(default)]
    pub from: Option<String>,
    /// Remove the value at `pointer`.
    #[serde(default)]
    pub remove: bool,
    /// `spec` (the spec is wrong) or `prism` (an equivalent form Prism's example generator
    /// handles).
    pub kind: String,
    /// The evidence.
    pub why: String,
}

impl SpecFix {
    /// Applies the change to `spec`.
    pub fn apply(&self, spec: &mut serde_json::Value) -> Result<(), String> {
        let err = |what: &str| format!("overrides.toml fix at {}: {what}", self.pointer);
        let (parent, key) = self
            .pointer
            .rsplit_once('/')
            .ok_or_else(|| err("not a JSON pointer"))?;
        let key = key.replace("~1", "/").replace("~0", "~");
        let new = match (&self.value, &self.from, self.remove) {
            (Some(v), None, false) => Some(v.clone()),
            (None, Some(from), false) => {
                let (fp, fk) = from.rsplit_once('/').ok_or_else(|| err("bad `from`"))?;
                let fk = fk.replace("~1", "/").replace("~0", "~");
                let v = spec
                    .pointer_mut(fp)
                    .and_then(|p| p.as_object_mut())
                    .and_then(|o| o.remove(&fk))
                    .ok_or_else(|| err("nothing at `from`"))?;
                Some(v)
            }
            (None, None, true) => None,
            _ => return Err(err("give exactly one of value, from, remove")),
        };
        let obj = spec
            .pointer_mut(parent)
            .and_then(|p| p.as_object_mut())
            .ok_or_else(|| err("no object there"))?;
        match new {
            Some(v) => {
                obj.insert(key, v);
            }
            None => {
                obj.remove(&key).ok_or_else(|| err("nothing to remove"))?;
            }
        }
        Ok(())
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Sensitive {
    #[serde(default)]
    pub fields: Vec<String>,
}

impl Overrides {
    /// Parses the file's text.
    pub fn parse(text: &str) -> Result<Self, String> {
        let ov: Overrides = toml::from_str(text).map_err(|e| format!("overrides.toml: {e}"))?;
        if let Some(f) = ov
            .fix
            .iter()
            .find(|f| !matches!(f.kind.as_str(), "spec" | "prism"))
        {
            return Err(format!(
                "overrides.toml fix at {}: kind is `spec` or `prism`, not `{}`",
                f.pointer, f.kind
            ));
        }
        Ok(ov)
    }

    /// Whether `owner.field` holds a secret.
    pub fn is_sensitive(&self, owner: &str, field: &str) -> bool {
        self.sensitive.fields.iter().any(|p| {
            if let Some((o, f)) = p.split_once('.') {
                o == owner && f == field
            } else if let Some(suffix) = p.strip_prefix('*') {
                field.ends_with(suffix)
            } else {
                p == field
            }
        })
    }
}

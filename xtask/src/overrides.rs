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
        toml::from_str(text).map_err(|e| format!("overrides.toml: {e}"))
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

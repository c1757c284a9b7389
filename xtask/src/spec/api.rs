//! What the spec is read into: the types, models and operations the emitters write out.

use std::collections::{BTreeMap, BTreeSet};

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

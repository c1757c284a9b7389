//! Paths to operations ([`Op`]): parameters, request bodies, responses and paging.

use serde_json::Value;

use super::api::{Body, KeyKind, ModelKind, Op, Paging, Param, Resp, Ty};
use super::json::{flag, s};
use super::models::is_timestamp;
use super::{Gen, names};
use crate::naming::{camel, field, snake};

impl Gen<'_> {
    pub(super) fn param(&mut self, p: &Value, op_type: &str) -> Result<(String, Param), String> {
        let p = self.resolve(p)?.clone();
        let json = s(&p, "name")
            .ok_or("a parameter without a name")?
            .to_owned();
        let loc = s(&p, "in").unwrap_or("query").to_owned();
        let schema = p.get("schema").cloned().unwrap_or(Value::Null);
        let schema = self.resolve(&schema)?.clone();
        let ty = match s(&schema, "type") {
            Some("array") => Ty::Vec(Box::new(Ty::Str)),
            Some("boolean") => Ty::Bool,
            Some("integer") => Ty::I64,
            Some("number")
                if matches!(json.as_str(), "limit" | "offset") || is_timestamp(&json) =>
            {
                Ty::I64
            }
            Some("number") => Ty::F64,
            _ => Ty::Str,
        };
        let mut doc = self.describe(&p, "");
        if doc.is_empty() {
            doc = self.describe(&schema, "");
        }
        let values = schema
            .get("enum")
            .or_else(|| schema.pointer("/items/enum"))
            .and_then(Value::as_array);
        if let Some(vals) = values {
            let list: Vec<String> = vals
                .iter()
                .filter_map(Value::as_str)
                .map(|v| format!("`{v}`"))
                .collect();
            if !doc.is_empty() {
                doc.push_str("\n\n");
            }
            doc.push_str(&format!("One of {}.", list.join(", ")));
        }
        if doc.is_empty() {
            self.notices
                .push(format!("{op_type}: parameter `{json}` has no description"));
            doc = format!("Sets the `{json}` {loc} parameter.");
        }
        let int = |k: &str| schema.get(k).and_then(Value::as_f64).map(|f| f as i64);
        Ok((
            loc,
            Param {
                name: field(&json),
                explode: p.get("explode").and_then(Value::as_bool).unwrap_or(true),
                required: flag(&p, "required")
                    || p.get("in").and_then(Value::as_str) == Some("path"),
                deprecated: flag(&p, "deprecated"),
                min: int("minimum"),
                max: int("maximum"),
                default: int("default"),
                json,
                ty,
                doc,
            },
        ))
    }

    pub(super) fn op(&mut self, path: &str, http: &str, op: &Value) -> Result<Op, String> {
        let op_id = s(op, "operationId").ok_or(format!("{http} {path}: no operationId"))?;
        let type_name = camel(op_id);
        let (group, method) = self.op_names(op_id, op)?;
        let mut path_params = Vec::new();
        let mut query = Vec::new();
        for p in op
            .get("parameters")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            let (loc, param) = self.param(p, &type_name)?;
            match loc.as_str() {
                "path" => path_params.push(param),
                "query" => query.push(param),
                other => return Err(format!("{op_id}: {other} parameters are not supported")),
            }
        }
        names::rename_clashes(&path_params, &mut query);
        // Path parameters in template order.
        let order: Vec<&str> = path
            .split('{')
            .skip(1)
            .filter_map(|p| p.split('}').next())
            .collect();
        path_params.sort_by_key(|p| order.iter().position(|o| *o == p.json));
        if path_params.len() != order.len() {
            return Err(format!("{op_id}: path template and parameters differ"));
        }
        let body = self.body(op, &type_name)?;
        let (response, paging) = self.response(op, &type_name, &query)?;
        let paged = match &response {
            Resp::Json(ty) if query.iter().any(|p| p.json == "paginated") => {
                match self.unalias(ty) {
                    Ty::Vec(item) => Some(*item),
                    _ => None,
                }
            }
            _ => None,
        };
        let summary = s(op, "summary").unwrap_or("").trim().to_owned();
        let description = s(op, "description").unwrap_or("").trim().to_owned();
        if summary.is_empty() && description.is_empty() {
            self.notices
                .push(format!("{op_id}: no summary or description"));
        }
        Ok(Op {
            module: self.module_name(&group),
            group,
            method,
            op_id: op_id.to_owned(),
            type_name,
            http: http.to_ascii_uppercase(),
            path: path.to_owned(),
            deprecated: flag(op, "deprecated"),
            summary,
            description,
            path_params,
            query,
            body,
            response,
            paging,
            paged,
            needs_auth: op
                .get("security")
                .and_then(Value::as_array)
                .is_none_or(|s| !s.is_empty()),
            is_update: http == "patch",
        })
    }

    pub(super) fn body(&mut self, op: &Value, type_name: &str) -> Result<Body, String> {
        let Some(content) = op
            .pointer("/requestBody/content")
            .and_then(Value::as_object)
        else {
            return Ok(Body::None);
        };
        let source = format!("{type_name} request body");
        if let Some(mp) = content.get("multipart/form-data") {
            let schema = mp.get("schema").cloned().unwrap_or(Value::Null);
            let schema = self.resolve(&schema)?.clone();
            let fields = self.fields(type_name, &snake(type_name), &schema, &source)?;
            return Ok(Body::Multipart(fields));
        }
        let json = content
            .get("application/json")
            .ok_or(format!("{type_name}: unsupported request content type"))?;
        let schema = json.get("schema").cloned().unwrap_or(Value::Null);
        let resolved = self.resolve(&schema)?.clone();
        if s(&resolved, "type") == Some("array") {
            let items = resolved.get("items").cloned().unwrap_or(Value::Null);
            let ctx = self.type_name(&format!("{type_name}Item"));
            let (t, _) = self.ty(&items, &ctx, &snake(type_name), &source)?;
            return Ok(Body::JsonArray(t));
        }
        let fields = self.fields(type_name, &snake(type_name), &resolved, &source)?;
        Ok(Body::Json(fields))
    }

    pub(super) fn response(
        &mut self,
        op: &Value,
        type_name: &str,
        query: &[Param],
    ) -> Result<(Resp, Option<Paging>), String> {
        let responses = op
            .get("responses")
            .and_then(Value::as_object)
            .ok_or(format!("{type_name}: no responses"))?;
        let ok = responses
            .iter()
            .find(|(code, _)| code.starts_with('2'))
            .map(|(_, r)| r.clone());
        let Some(ok) = ok else {
            return Err(format!("{type_name}: no 2xx response"));
        };
        let ok = self.resolve(&ok)?.clone();
        let Some(content) = ok.get("content").and_then(Value::as_object) else {
            let text = s(op, "operationId") == Some("GetPublicInterstitial");
            return Ok((if text { Resp::Text } else { Resp::Unit }, None));
        };
        let Some(schema) = content
            .get("application/json")
            .and_then(|c| c.get("schema"))
        else {
            return Ok((Resp::Text, None));
        };
        let ctx = self.type_name(&format!("{type_name}Response"));
        let (ty, _) = self.ty(schema, &ctx, &snake(&ctx), &format!("{type_name} response"))?;
        let paginated =
            query.iter().any(|p| p.json == "limit") && query.iter().any(|p| p.json == "offset");
        let paging = if paginated {
            Some(self.paging(&ty, query, type_name)?)
        } else {
            None
        };
        Ok((Resp::Json(ty), paging))
    }

    pub(super) fn paging(
        &self,
        ty: &Ty,
        query: &[Param],
        type_name: &str,
    ) -> Result<Paging, String> {
        let (item, field) = match ty {
            Ty::Vec(item) => ((**item).clone(), None),
            Ty::Named(n) => match &self.models[n].kind {
                ModelKind::Alias(Ty::Vec(item)) => ((**item).clone(), None),
                ModelKind::Struct(fields) => {
                    let list = fields
                        .iter()
                        .find_map(|f| match self.unalias(&f.ty) {
                            Ty::Vec(item) if f.json != "errors" => Some((f, item)),
                            _ => None,
                        })
                        .ok_or(format!("{type_name}: a paginated response without a list"))?;
                    if !fields.iter().any(|f| f.json == "total_count") {
                        return Err(format!("{type_name}: a list without total_count"));
                    }
                    ((*list.1).clone(), Some(list.0.name.clone()))
                }
                _ => return Err(format!("{type_name}: unexpected paginated response")),
            },
            _ => return Err(format!("{type_name}: unexpected paginated response")),
        };
        let key = match &item {
            Ty::Named(n) => match &self.models[n].kind {
                ModelKind::Struct(fields) => fields
                    .iter()
                    .find(|f| f.json == "id" && f.ty == Ty::Str)
                    .map(|f| {
                        if f.optional() {
                            KeyKind::Optional
                        } else {
                            KeyKind::Required
                        }
                    }),
                _ => None,
            },
            _ => None,
        };
        Ok(Paging {
            item,
            field,
            key,
            cursor: query.iter().any(|p| p.json == "starting_after"),
        })
    }
}

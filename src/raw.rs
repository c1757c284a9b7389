//! Requests to any endpoint, through the same pipeline as the generated operations:
//! [`Clerk::request`].

use serde::de::DeserializeOwned;

use crate::Clerk;
use crate::error::{InvalidRequest, Result};
use crate::http::{Body, CallOptions, RequestSpec};
use crate::log::Operation;
use crate::response::ApiResponse;
use crate::url::Query;

impl Clerk {
    /// A request to an endpoint this version of the crate has no method for (newer than its
    /// spec, or in beta), through the same pipeline as every generated operation: the same
    /// authentication, retries, rate limit, deadline, logging, redaction and
    /// [`Error`](crate::Error).
    ///
    /// `method` is `GET`, `POST`, `PUT`, `PATCH` or `DELETE`. `path` is a template relative
    /// to the server URL, a literal such as `"/users/{user_id}/notes"`: each `{name}` is
    /// filled by [`path_param`](RawRequest::path_param), percent-encoded as one segment, so a
    /// value can never change the path. Log events name the template, never the values.
    ///
    /// ```no_run
    /// use serde_json::json;
    ///
    /// # fn main() -> clerk_backend_api::Result<()> {
    /// let clerk = clerk_backend_api::Clerk::from_env()?;
    /// // An endpoint the spec does not have (yet): the answer as JSON.
    /// let notes = clerk
    ///     .request("POST", "/users/{user_id}/notes")
    ///     .path_param("user_id", "user_2abc")
    ///     .query("notify", "false")
    ///     .json(&json!({"text": "called about billing"}))
    ///     .header("X-Request-Source", "support-tool")
    ///     .send_json()?;
    /// println!("{notes}");
    /// # Ok(())
    /// # }
    /// ```
    pub fn request(&self, method: &str, path: &'static str) -> RawRequest {
        RawRequest {
            clerk: self.clone(),
            method: method.to_owned(),
            path,
            params: Vec::new(),
            query: Query::new(),
            body: Some(Body::Empty),
            options: CallOptions::default(),
        }
    }
}

/// A request built by [`Clerk::request`]. Nothing is sent until a `send` method.
#[derive(Debug, Clone)]
#[must_use = "a request does nothing until .send()"]
pub struct RawRequest {
    clerk: Clerk,
    method: String,
    path: &'static str,
    params: Vec<(String, String)>,
    query: Query,
    /// `None`: the JSON body did not serialize.
    body: Option<Body>,
    options: CallOptions,
}

impl RawRequest {
    call_options!();

    /// Fills the `{name}` placeholder of the path template with `value`.
    pub fn path_param(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.params.push((name.into(), value.into()));
        self
    }

    /// Adds `key=value` to the query string (percent-encoded; repeat a key for an array).
    pub fn query(mut self, key: &'static str, value: impl ToString) -> Self {
        self.query.opt(key, Some(value));
        self
    }

    /// Sends `body` as the JSON body. A value that does not serialize makes the call fail
    /// with [`Error::InvalidRequest`](crate::Error::InvalidRequest) before anything is sent.
    pub fn json(mut self, body: &impl serde::Serialize) -> Self {
        self.body = serde_json::to_vec(body).ok().map(Body::Json);
        self
    }

    /// Sends the request and decodes a 2xx JSON body into `T`; an empty body (a `204`)
    /// decodes as JSON `null`, so `send::<()>()` and `send::<Option<T>>()` accept it.
    ///
    /// # Errors
    /// As for every operation: [`Error::Api`](crate::Error::Api) for an error status,
    /// [`Error::Decode`](crate::Error::Decode) for a body that is not a `T`,
    /// [`Error::InvalidRequest`](crate::Error::InvalidRequest) for a bad method, template,
    /// header or body, and the transport and timeout errors.
    pub fn send<T: DeserializeOwned>(self) -> Result<T> {
        self.send_with_response().map(ApiResponse::into_inner)
    }

    /// Sends the request and returns the 2xx body as JSON (`null` for an empty body).
    ///
    /// # Errors
    /// As [`send`](Self::send).
    pub fn send_json(self) -> Result<serde_json::Value> {
        self.send()
    }

    /// [`send`](Self::send), with the status, headers and trace id of the response.
    ///
    /// # Errors
    /// As [`send`](Self::send).
    pub fn send_with_response<T: DeserializeOwned>(mut self) -> Result<ApiResponse<T>> {
        let method = match self.method.as_str() {
            "GET" => "GET",
            "POST" => "POST",
            "PUT" => "PUT",
            "PATCH" => "PATCH",
            "DELETE" => "DELETE",
            _ => {
                return Err(InvalidRequest::new(
                    "the method must be GET, POST, PUT, PATCH or DELETE",
                )
                .into());
            }
        };
        let values = ordered_params(self.path, &self.params)?;
        let values: Vec<&str> = values.iter().map(String::as_str).collect();
        let body = self
            .body
            .take()
            .ok_or_else(|| InvalidRequest::new("the request body could not be serialized"))?;
        self.options.keep_headers = true;
        let spec = RequestSpec {
            op: Operation {
                operation_id: "RawRequest",
                http_method: method,
                path: self.path,
            },
            path_params: &values,
            query: self.query,
            body,
            options: &self.options,
        };
        self.clerk.send_raw(spec)
    }
}

/// The path parameter values in the order of the template's placeholders; every placeholder
/// filled once, no parameter left over.
fn ordered_params(template: &str, params: &[(String, String)]) -> Result<Vec<String>> {
    let mut values = Vec::new();
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        let Some(len) = rest[open..].find('}') else {
            return Err(InvalidRequest::new("the path template has a `{` without its `}`").into());
        };
        let name = &rest[open + 1..open + len];
        let mut given = params.iter().filter(|(n, _)| n == name);
        match (given.next(), given.next()) {
            (Some((_, value)), None) => values.push(value.clone()),
            (None, _) => {
                return Err(InvalidRequest::new(format!("missing path parameter `{name}`")).into());
            }
            (Some(_), Some(_)) => {
                return Err(
                    InvalidRequest::new(format!("path parameter `{name}` given twice")).into(),
                );
            }
        }
        rest = &rest[open + len + 1..];
    }
    if params.len() != values.len() {
        return Err(InvalidRequest::new(
            "a path parameter was given that the path template does not have",
        )
        .into());
    }
    Ok(values)
}

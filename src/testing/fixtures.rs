//! Canned Clerk Backend API JSON bodies for tests.
//!
//! Each constant is the text of a file in `src/testing/fixtures/`, embedded with
//! [`include_str!`], so it can be handed straight to
//! [`Reply::json`](super::Reply::json):
//!
//! ```no_run
//! use clerk_backend_api::testing::{MockServer, Reply, fixtures};
//!
//! let mock = MockServer::start();
//! mock.on("GET", "/users/user_2abc").reply(Reply::json(200, fixtures::USER));
//! mock.on("GET", "/users").reply(Reply::json(200, fixtures::users_page(&["user_1", "user_2"])));
//! ```

use serde_json::Value;

/// A user object (`"object": "user"`) whose top-level `id` is `"user_2abc"`.
pub const USER: &str = include_str!("fixtures/user.json");

/// An organization object (`"object": "organization"`) without a logo.
pub const ORGANIZATION: &str = include_str!("fixtures/organization.json");

/// An organization object that has a logo (`has_image` true and an `image_url`).
pub const ORGANIZATION_WITH_LOGO: &str = include_str!("fixtures/organization_with_logo.json");

/// The body returned when a user is deleted: `id`, `object` and `"deleted": true`.
pub const DELETED_USER: &str = include_str!("fixtures/deleted_user.json");

/// A Clerk error body (`{"errors": [...]}`) as sent with a `404 Not Found`.
pub const ERROR_NOT_FOUND: &str = include_str!("fixtures/error_not_found.json");

/// A Clerk error body (`{"errors": [...]}`) as sent with a `422 Unprocessable Entity`.
pub const ERROR_UNPROCESSABLE: &str = include_str!("fixtures/error_unprocessable.json");

/// `json` without the whitespace between tokens (strings are kept as they are), so the key
/// order of the fixture, which follows the spec, survives: a `serde_json::Value` round trip
/// would sort the keys.
fn minify(json: &str) -> String {
    let mut out = String::with_capacity(json.len());
    let (mut in_string, mut escaped) = (false, false);
    for c in json.chars() {
        if in_string {
            out.push(c);
            match (escaped, c) {
                (true, _) => escaped = false,
                (false, '\\') => escaped = true,
                (false, '"') => in_string = false,
                _ => {}
            }
        } else if c == '"' {
            in_string = true;
            out.push(c);
        } else if !c.is_whitespace() {
            out.push(c);
        }
    }
    out
}

/// The [`USER`] fixture as compact JSON (as the API sends it, about 4 KB) with its top-level
/// `id` replaced by `id`. Key order is kept.
///
/// # Panics
///
/// If `fixtures/user.json` does not start with its `id` (a broken fixture).
pub fn user_with_id(id: &str) -> String {
    let user = minify(USER);
    let rest = user
        .strip_prefix(r#"{"id":"user_2abc""#)
        .expect("fixtures/user.json must start with its id");
    let id = Value::String(id.to_owned()).to_string();
    format!(r#"{{"id":{id}{rest}"#)
}

/// A JSON array of [`user_with_id`] objects, one per id, in order
/// (the shape of a `GET /users` list page).
pub fn users_page(ids: &[&str]) -> String {
    let mut page = String::from("[");
    for (i, id) in ids.iter().enumerate() {
        if i > 0 {
            page.push(',');
        }
        page.push_str(&user_with_id(id));
    }
    page.push(']');
    page
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn user_with_id_is_compact_and_keeps_the_fixture_order() {
        let user = user_with_id("user_\"x");
        assert!(
            user.starts_with(r#"{"id":"user_\"x","object":"user","#),
            "{}",
            &user[..40]
        );
        assert!(!user.contains("\n"));
        let parsed: Value = serde_json::from_str(&user).unwrap();
        let mut expected: Value = serde_json::from_str(USER).unwrap();
        expected["id"] = Value::String("user_\"x".into());
        assert_eq!(parsed, expected);
        let page: Value = serde_json::from_str(&users_page(&["a", "b"])).unwrap();
        assert_eq!(page[1]["id"], "b");
        assert_eq!(
            minify("{ \"a b\" : [1, \"\\\" x\"] }"),
            "{\"a b\":[1,\"\\\" x\"]}"
        );
    }
}

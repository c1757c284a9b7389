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

fn user_value_with_id(id: &str) -> Value {
    let mut user: Value = serde_json::from_str(USER).expect("fixtures/user.json is not valid JSON");
    match user.as_object_mut() {
        Some(object) => {
            object.insert("id".to_owned(), Value::String(id.to_owned()));
        }
        None => panic!("fixtures/user.json is not a JSON object"),
    }
    user
}

/// The [`USER`] fixture with its top-level `id` replaced by `id`, as JSON text.
///
/// # Panics
///
/// If `fixtures/user.json` is not a JSON object (a broken fixture).
pub fn user_with_id(id: &str) -> String {
    user_value_with_id(id).to_string()
}

/// A JSON array of [`user_with_id`] objects, one per id, in order
/// (the shape of a `GET /users` list page).
///
/// # Panics
///
/// If `fixtures/user.json` is not a JSON object (a broken fixture).
pub fn users_page(ids: &[&str]) -> String {
    Value::Array(ids.iter().map(|id| user_value_with_id(id)).collect()).to_string()
}

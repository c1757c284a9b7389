//! The `users` operations against the mock: what goes out (method, path, query, body) and how
//! every kind of answer comes back (typed models, Clerk errors, non-JSON errors, bad bodies).

mod common;

use clerk_backend_api::Error;
use clerk_backend_api::testing::{MockServer, Reply, fixtures};
use serde_json::{Value, json};

use common::{assert_invalid, error_text, harness, method_paths, pairs};

// ---------------------------------------------------------------------------
// Happy paths
// ---------------------------------------------------------------------------

#[test]
fn get_decodes_the_user() {
    let mock = MockServer::start();
    mock.on("GET", "/users/user_2abc")
        .reply(Reply::json(200, fixtures::USER));
    let h = harness(&mock);
    let user = h.clerk.users().get("user_2abc").send().unwrap();
    let fixture: Value = serde_json::from_str(fixtures::USER).unwrap();
    assert_eq!(user.id, "user_2abc");
    assert_eq!(user.object, "user");
    assert_eq!(user.first_name.as_deref(), fixture["first_name"].as_str());
    assert_eq!(user.last_name.as_deref(), fixture["last_name"].as_str());
    assert_eq!(user.public_metadata, fixture["public_metadata"]);
    assert_eq!(
        user.email_addresses.len(),
        fixture["email_addresses"].as_array().unwrap().len()
    );
    let r = &mock.requests()[0];
    assert_eq!(
        (r.method.as_str(), r.path.as_str()),
        ("GET", "/users/user_2abc")
    );
    assert_eq!(r.query, None);
}

#[test]
fn list_returns_one_page_in_order() {
    let mock = MockServer::start();
    mock.on("GET", "/users").reply(Reply::json(
        200,
        fixtures::users_page(&["user_c", "user_a", "user_b"]),
    ));
    let h = harness(&mock);
    let users = h
        .clerk
        .users()
        .list()
        .email_address(["ada@example.com"])
        .limit(3)
        .send()
        .unwrap();
    let ids: Vec<&str> = users.iter().map(|u| u.id.as_str()).collect();
    assert_eq!(ids, ["user_c", "user_a", "user_b"]);
    let r = &mock.requests()[0];
    assert_eq!(
        r.query_pairs(),
        pairs(&[("email_address", "ada@example.com"), ("limit", "3")])
    );
    // `send` is one page: exactly one request, no pagination parameters added.
    assert_eq!(mock.request_count(), 1);
}

#[test]
fn list_without_filters_sends_no_query() {
    let mock = MockServer::start();
    mock.on("GET", "/users").reply(Reply::json(200, "[]"));
    let h = harness(&mock);
    assert!(h.clerk.users().list().send().unwrap().is_empty());
    assert_eq!(mock.requests()[0].query, None);
}

#[test]
fn create_sends_exactly_the_fields_that_were_set() {
    let mock = MockServer::start();
    mock.on("POST", "/users")
        .reply(Reply::json(200, fixtures::USER));
    let h = harness(&mock);
    let user = h
        .clerk
        .users()
        .create()
        .external_id("ext-1")
        .first_name("Ada")
        .last_name("Lovelace")
        .email_address(["ada@example.com", "ada@work.example"])
        .password("correct horse battery")
        .skip_password_checks(true)
        .public_metadata(json!({ "plan": "pro", "seats": 3 }))
        .private_metadata(json!({ "stripe": { "customer": "cus_1" }, "tags": [1, "two"] }))
        .unsafe_metadata(json!({}))
        .create_organizations_limit(0)
        .banned(false)
        .backup_codes(["c1", "c2"])
        .send()
        .unwrap();
    assert_eq!(user.id, "user_2abc");

    let r = &mock.requests()[0];
    assert_eq!((r.method.as_str(), r.path.as_str()), ("POST", "/users"));
    assert_eq!(r.header("content-type"), Some("application/json"));
    assert_eq!(
        r.header("content-length"),
        Some(r.body.len().to_string().as_str())
    );
    assert_eq!(
        r.body_json(),
        json!({
            "external_id": "ext-1",
            "first_name": "Ada",
            "last_name": "Lovelace",
            "email_address": ["ada@example.com", "ada@work.example"],
            "password": "correct horse battery",
            "skip_password_checks": true,
            "public_metadata": { "plan": "pro", "seats": 3 },
            "private_metadata": { "stripe": { "customer": "cus_1" }, "tags": [1, "two"] },
            "unsafe_metadata": {},
            "create_organizations_limit": 0,
            "banned": false,
            "backup_codes": ["c1", "c2"],
        })
    );
}

#[test]
fn create_with_nothing_set_sends_an_empty_object() {
    let mock = MockServer::start();
    mock.on("POST", "/users")
        .reply(Reply::json(200, fixtures::USER));
    let h = harness(&mock);
    h.clerk.users().create().send().unwrap();
    assert_eq!(mock.requests()[0].body_json(), json!({}));
}

#[test]
fn create_metadata_set_to_null_is_sent_as_null() {
    let mock = MockServer::start();
    mock.on("POST", "/users")
        .reply(Reply::json(200, fixtures::USER));
    let h = harness(&mock);
    h.clerk
        .users()
        .create()
        .public_metadata(Value::Null)
        .email_address(Vec::<String>::new())
        .send()
        .unwrap();
    // An explicitly set value is sent, an empty list too; unset fields are left out.
    assert_eq!(
        mock.requests()[0].body_json(),
        json!({ "public_metadata": null, "email_address": [] })
    );
}

#[test]
fn delete_decodes_the_deleted_object() {
    let mock = MockServer::start();
    mock.on("DELETE", "/users/user_2abc")
        .reply(Reply::json(200, fixtures::DELETED_USER));
    let h = harness(&mock);
    let deleted = h.clerk.users().delete("user_2abc").send().unwrap();
    assert!(deleted.deleted);
    assert_eq!(deleted.id.as_deref(), Some("user_2abc"));
    assert_eq!(deleted.object, "user");
    assert_eq!(method_paths(&mock.requests()), ["DELETE /users/user_2abc"]);
    assert!(mock.requests()[0].body.is_empty());
}

// ---------------------------------------------------------------------------
// Error mapping
// ---------------------------------------------------------------------------

fn clerk_error_body(status: u16) -> String {
    json!({
        "errors": [
            {
                "code": format!("code_{status}"),
                "message": format!("first message {status}"),
                "long_message": format!("LONGMESSAGE {status}"),
                "meta": { "param_name": format!("PARAMMARKER_{status}") }
            },
            {
                "code": "second_code",
                "message": "SECONDMESSAGE",
                "long_message": "SECONDLONG"
            }
        ],
        "meta": { "TOPMETAMARKER": status },
        "clerk_trace_id": format!("trace_{status}")
    })
    .to_string()
}

#[test]
fn clerk_error_bodies_map_to_api_errors() {
    for status in [400u16, 401, 403, 404, 422, 429, 500, 503] {
        let mock = MockServer::start();
        mock.on("GET", "/users/user_1")
            .reply(Reply::json(status, clerk_error_body(status)));
        let h = harness(&mock);
        let err = h
            .clerk
            .users()
            .get("user_1")
            .no_retries()
            .send()
            .expect_err("an error status");
        assert_eq!(mock.request_count(), 1, "{status}");
        assert_eq!(err.status(), Some(status));
        let expected_code = format!("code_{status}");
        assert_eq!(err.code(), Some(expected_code.as_str()));
        assert_eq!(
            err.is_retryable(),
            status == 429 || status >= 500,
            "{status}"
        );
        assert_eq!(err.retry_after(), None);
        let api = err.api_error().expect("Error::Api");
        assert!(matches!(err, Error::Api(_)));
        assert_eq!(api.status(), status);
        assert_eq!(api.operation(), "GetUser");
        assert_eq!(api.errors().len(), 2);
        assert_eq!(api.errors()[0].message, format!("first message {status}"));
        assert_eq!(
            api.errors()[0].long_message,
            format!("LONGMESSAGE {status}")
        );
        assert_eq!(
            api.errors()[0].meta,
            Some(json!({ "param_name": format!("PARAMMARKER_{status}") }))
        );
        assert_eq!(api.errors()[1].code, "second_code");
        assert_eq!(api.meta(), Some(&json!({ "TOPMETAMARKER": status })));
        assert_eq!(api.trace_id(), Some(format!("trace_{status}").as_str()));
        assert_eq!(api.body_excerpt(), None);
        assert_eq!(api.summary(), format!("first message {status}"));

        // Display: the status and the first message, nothing more of the body.
        let shown = err.to_string();
        assert!(shown.contains(&status.to_string()), "{shown}");
        assert!(
            shown.contains(&format!("first message {status}")),
            "{shown}"
        );
        for hidden in [
            "LONGMESSAGE",
            "PARAMMARKER",
            "SECONDMESSAGE",
            "SECONDLONG",
            "TOPMETAMARKER",
        ] {
            assert!(
                !shown.contains(hidden),
                "{status}: Display shows {hidden}: {shown}"
            );
        }
    }
}

#[test]
fn fixture_error_bodies_map_to_api_errors() {
    let mock = MockServer::start();
    mock.on("GET", "/users/user_missing")
        .reply(Reply::json(404, fixtures::ERROR_NOT_FOUND));
    mock.on("POST", "/users")
        .reply(Reply::json(422, fixtures::ERROR_UNPROCESSABLE));
    let h = harness(&mock);

    let err = h.clerk.users().get("user_missing").send().unwrap_err();
    assert_eq!(err.status(), Some(404));
    assert_eq!(err.code(), Some("resource_not_found"));
    let api = err.api_error().unwrap();
    assert_eq!(api.errors()[0].long_message, "User not found");
    assert_eq!(api.trace_id(), Some("4f9c2b7e1a0d4e6b8c3f5a2d9e7b1c04"));
    assert!(!err.is_retryable());

    let err = h
        .clerk
        .users()
        .create()
        .email_address(["taken@example.com"])
        .send()
        .unwrap_err();
    assert_eq!(err.status(), Some(422));
    assert_eq!(err.code(), Some("form_identifier_exists"));
    let api = err.api_error().unwrap();
    assert_eq!(api.operation(), "CreateUser");
    assert_eq!(
        api.errors()[0].meta,
        Some(json!({ "param_name": "email_address" }))
    );
    // 4xx are never retried, whatever the method.
    assert_eq!(mock.request_count(), 2);
}

#[test]
fn delete_errors_name_the_delete_operation() {
    let mock = MockServer::start();
    mock.on("DELETE", "/users/user_missing")
        .reply(Reply::json(404, fixtures::ERROR_NOT_FOUND));
    let h = harness(&mock);
    let err = h.clerk.users().delete("user_missing").send().unwrap_err();
    assert_eq!(err.api_error().unwrap().operation(), "DeleteUser");
    assert_eq!(err.code(), Some("resource_not_found"));
}

#[test]
fn the_trace_id_header_is_used_when_the_body_has_none() {
    let mock = MockServer::start();
    let no_trace = json!({ "errors": [{ "code": "x", "message": "m" }] }).to_string();
    mock.on("GET", "/users/hdr")
        .reply(Reply::json(404, no_trace).header("X-Clerk-Trace-Id", "trace_from_header"));
    mock.on("GET", "/users/both").reply(
        Reply::json(404, fixtures::ERROR_NOT_FOUND).header("x-clerk-trace-id", "trace_header"),
    );
    mock.on("GET", "/users/html").reply(
        Reply::bytes(502, "<html>bad gateway</html>").header("x-clerk-trace-id", "trace_html"),
    );
    let h = harness(&mock);
    let trace = |id: &str| {
        h.clerk
            .users()
            .get(id)
            .no_retries()
            .send()
            .unwrap_err()
            .api_error()
            .unwrap()
            .trace_id()
            .map(str::to_owned)
    };
    assert_eq!(trace("hdr").as_deref(), Some("trace_from_header"));
    // The body's id wins over the header's.
    assert_eq!(
        trace("both").as_deref(),
        Some("4f9c2b7e1a0d4e6b8c3f5a2d9e7b1c04")
    );
    assert_eq!(trace("html").as_deref(), Some("trace_html"));
}

#[test]
fn an_html_error_page_is_an_api_error_with_a_short_excerpt() {
    let mock = MockServer::start();
    let page = format!(
        "<!DOCTYPE html>\n<html><head><title>502 Bad Gateway</title></head>\r\n<body>\n<h1>Bad Gateway</h1>\n{}\n</body></html>",
        "<p>The upstream server did not answer in time.</p>\n".repeat(200)
    );
    mock.on("GET", "/users/user_1")
        .reply(Reply::bytes(502, page.clone()).header("Content-Type", "text/html; charset=utf-8"));
    let h = harness(&mock);
    let err = h
        .clerk
        .users()
        .get("user_1")
        .no_retries()
        .send()
        .unwrap_err();
    let api = err.api_error().expect("Error::Api");
    assert_eq!(api.status(), 502);
    assert!(api.errors().is_empty());
    assert_eq!(err.code(), None);
    assert!(err.is_retryable());
    let excerpt = api.body_excerpt().expect("an excerpt");
    assert!(excerpt.contains("Bad Gateway"), "{excerpt}");
    assert!(excerpt.chars().count() <= 121, "{}", excerpt.len());
    assert!(!excerpt.contains(['\n', '\r']), "{excerpt:?}");
    let shown = format!("{err}");
    assert!(shown.contains("502"), "{shown}");
    assert!(!shown.contains('\n'), "{shown:?}");
    assert!(shown.len() < 300, "Display is not short: {}", shown.len());
    assert!(format!("{err:?}").len() < page.len());
}

#[test]
fn an_empty_error_body_is_an_api_error_without_an_excerpt() {
    let mock = MockServer::start();
    mock.on("GET", "/users/user_1").reply(Reply::status(500));
    let h = harness(&mock);
    let err = h
        .clerk
        .users()
        .get("user_1")
        .no_retries()
        .send()
        .unwrap_err();
    let api = err.api_error().expect("Error::Api");
    assert_eq!(api.status(), 500);
    assert!(api.errors().is_empty());
    assert_eq!(api.body_excerpt(), None);
    assert_eq!(api.trace_id(), None);
    assert_eq!(api.summary(), "internal server error");
    assert_eq!(
        err.to_string(),
        "clerk api error 500: internal server error"
    );
}

#[test]
fn a_json_error_body_that_is_not_clerks_shape_keeps_an_excerpt() {
    let mock = MockServer::start();
    mock.on("GET", "/users/user_1")
        .reply(Reply::json(503, r#"{"message":"upstream overloaded"}"#));
    let h = harness(&mock);
    let err = h
        .clerk
        .users()
        .get("user_1")
        .no_retries()
        .send()
        .unwrap_err();
    let api = err.api_error().unwrap();
    assert_eq!(api.status(), 503);
    assert!(api.errors().is_empty());
    assert!(
        api.body_excerpt().unwrap().contains("upstream overloaded"),
        "{api:?}"
    );
}

#[test]
fn a_success_body_that_is_not_a_user_is_a_decode_error() {
    let cases: [&[u8]; 4] = [
        b"<html>DECODEMARKER maintenance page</html>",
        br#"{"unexpected":"DECODEMARKER"}"#,
        b"[1, 2, \"DECODEMARKER\"",
        b"",
    ];
    for body in cases {
        let mock = MockServer::start();
        mock.on("GET", "/users/user_1")
            .reply(Reply::bytes(200, body.to_vec()).header("content-type", "application/json"));
        let h = harness(&mock);
        let err = h.clerk.users().get("user_1").send().unwrap_err();
        let text = String::from_utf8_lossy(body);
        match &err {
            Error::Decode(d) => {
                assert_eq!(d.body(), body, "{text}");
                assert_eq!(d.status(), Some(200));
                assert_eq!(d.operation(), "GetUser");
                assert!(!d.is_too_large());
            }
            other => panic!("{text}: expected Decode, got {other:?}"),
        }
        assert_eq!(err.status(), Some(200));
        assert!(!err.is_retryable());
        assert_eq!(mock.request_count(), 1, "a decode error is not retried");
        let shown = format!("{err}\n{err:?}");
        assert!(shown.contains("GetUser"), "{shown}");
        assert!(!shown.contains("DECODEMARKER"), "{text}: {shown}");
    }
}

#[test]
fn a_decode_error_never_shows_body_values() {
    // serde_json quotes an offending string value in its message: `invalid type: string
    // "…", expected …`. A body like a new API key's would leak through `{err:?}`.
    let cases = [
        r#""sk_live_BODYSECRET""#.to_owned(),
        r#"{"id":"user_1","object":"user","created_at":"BODYSECRET"}"#.to_owned(),
    ];
    for body in cases {
        let mock = MockServer::start();
        mock.on("GET", "/users/user_1")
            .reply(Reply::json(200, body.clone()));
        let h = harness(&mock);
        let err = h.clerk.users().get("user_1").send().unwrap_err();
        assert!(matches!(err, Error::Decode(_)), "{body}: {err:?}");
        let shown = error_text(&err);
        assert!(!shown.contains("BODYSECRET"), "{body}\n{shown}");
    }
}

#[test]
fn errors_of_other_kinds_have_no_status_or_code() {
    let mock = MockServer::start();
    let h = harness(&mock);
    let err = h.clerk.users().get("").send().unwrap_err();
    assert_invalid(&err);
    assert_eq!(err.status(), None);
    assert_eq!(err.code(), None);
    assert_eq!(err.retry_after(), None);
    assert!(err.api_error().is_none());
    assert!(!err.is_retryable());
}

#[test]
fn update_sends_set_and_cleared_fields_and_leaves_the_rest_out() {
    let mock = MockServer::start();
    mock.on("PATCH", "/users/user_1")
        .reply(Reply::json(200, fixtures::USER));
    let h = harness(&mock);
    h.clerk
        .users()
        .update("user_1")
        .first_name("Ada")
        .clear_last_name()
        .send()
        .unwrap();
    assert_eq!(
        mock.requests()[0].body_json(),
        json!({ "first_name": "Ada", "last_name": null })
    );
}

#[test]
fn a_500_on_update_is_sent_once() {
    let mock = MockServer::start();
    mock.on("PATCH", "/users/user_1").reply(Reply::json(
        500,
        r#"{"errors":[{"message":"x","long_message":"x","code":"internal"}]}"#,
    ));
    let h = harness(&mock);
    let err = h
        .clerk
        .users()
        .update("user_1")
        .first_name("Ada")
        .send()
        .unwrap_err();
    assert_eq!(err.status(), Some(500));
    assert_eq!(
        mock.request_count(),
        1,
        "a PATCH that may have landed is never resent"
    );
}

//! The `organizations` operations: `upload_logo` sends a multipart `PUT` and decodes an
//! `OrganizationWithLogo`; its errors map like every other operation's.

mod common;

use clerk_backend_api::FilePart;
use clerk_backend_api::log::RetryReason;
use clerk_backend_api::testing::{MockServer, Reply, fixtures};
use serde_json::{Value, json};

use common::{gave_up, harness, method_paths, parse_multipart};

fn logo() -> FilePart {
    FilePart::from_bytes(b"\x89PNG\r\n\x1a\nlogo".to_vec(), "logo.png")
}

#[test]
fn upload_logo_decodes_the_organization_with_logo() {
    let mock = MockServer::start();
    mock.on("PUT", "/organizations/org_2xyz/logo")
        .reply(Reply::json(200, fixtures::ORGANIZATION_WITH_LOGO));
    let h = harness(&mock);
    let org = h
        .clerk
        .organizations()
        .upload_logo("org_2xyz", logo())
        .uploader_user_id("user_2abc")
        .send()
        .unwrap();
    let fixture: Value = serde_json::from_str(fixtures::ORGANIZATION_WITH_LOGO).unwrap();
    assert_eq!(org.id, "org_2xyz");
    assert_eq!(org.object, "organization");
    assert_eq!(org.name, fixture["name"].as_str().unwrap());
    assert_eq!(org.slug, fixture["slug"].as_str().unwrap());
    assert!(org.has_image);
    assert_eq!(org.image_url, fixture["image_url"].as_str().unwrap());
    #[allow(deprecated)] // the spec still sends it
    let logo_url = org.logo_url.as_deref();
    assert_eq!(logo_url, fixture["logo_url"].as_str());
    assert_eq!(org.public_metadata, json!({ "plan": "pro" }));
    assert_eq!(org.created_by.as_deref(), Some("user_2abc"));
    assert_eq!(org.created_at, fixture["created_at"].as_i64().unwrap());
    assert_eq!(org.role_set_key, None);
    assert_eq!(org.members_count, None);

    let r = &mock.requests()[0];
    assert_eq!(
        method_paths(&mock.requests()),
        ["PUT /organizations/org_2xyz/logo"]
    );
    assert_eq!(r.query, None);
    let parts = parse_multipart(r.header("content-type").unwrap(), &r.body);
    assert_eq!(parts.len(), 2);
    assert_eq!(parts[1].data, b"\x89PNG\r\n\x1a\nlogo");
}

#[test]
fn the_organization_id_is_one_encoded_segment() {
    let mock = MockServer::start();
    mock.on("PUT", "/organizations/..%2Fusers%2Fuser_1%3Fx/logo")
        .reply(Reply::json(200, fixtures::ORGANIZATION_WITH_LOGO));
    let h = harness(&mock);
    h.clerk
        .organizations()
        .upload_logo("../users/user_1?x", logo())
        .send()
        .unwrap();
    assert_eq!(
        method_paths(&mock.requests()),
        ["PUT /organizations/..%2Fusers%2Fuser_1%3Fx/logo"]
    );
}

#[test]
fn upload_errors_map_to_api_errors() {
    for (status, code) in [
        (400u16, "form_param_missing"),
        (401, "authentication_invalid"),
        (404, "resource_not_found"),
        (413, "request_body_too_large"),
        (422, "image_invalid"),
        (500, "internal_clerk_error"),
    ] {
        let mock = MockServer::start();
        let body = json!({
            "errors": [{ "code": code, "message": format!("m{status}"), "long_message": "lm" }],
            "clerk_trace_id": "t1"
        });
        mock.on("PUT", "/organizations/org_1/logo")
            .reply(Reply::json(status, body.to_string()));
        let h = harness(&mock);
        let err = h
            .clerk
            .organizations()
            .upload_logo("org_1", logo())
            .send()
            .unwrap_err();
        assert_eq!(err.status(), Some(status));
        assert_eq!(err.code(), Some(code));
        let api = err.api_error().unwrap();
        assert_eq!(api.operation(), "UploadOrganizationLogo");
        assert_eq!(api.errors()[0].message, format!("m{status}"));
        assert_eq!(api.trace_id(), Some("t1"));
        assert_eq!(err.is_retryable(), status >= 500, "{status}");
        // A PUT is a write: not even the 500 is sent twice.
        assert_eq!(mock.request_count(), 1, "{status}");
        let expected = if status >= 500 {
            RetryReason::NotIdempotent
        } else {
            RetryReason::NotRetryable
        };
        assert_eq!(gave_up(&h.sink), [(1, expected)], "{status}");
    }
}

#[test]
fn an_upload_rate_limited_with_retry_after_is_retried() {
    let mock = MockServer::start();
    mock.on("PUT", "/organizations/org_1/logo")
        .reply(
            Reply::json(
                429,
                r#"{"errors":[{"code":"too_many_requests","message":"slow down"}]}"#,
            )
            .header("Retry-After", "2"),
        )
        .reply(Reply::json(200, fixtures::ORGANIZATION_WITH_LOGO));
    let h = harness(&mock);
    let org = h
        .clerk
        .organizations()
        .upload_logo("org_1", logo())
        .send()
        .unwrap();
    assert_eq!(org.id, "org_2xyz");
    assert_eq!(mock.request_count(), 2);
    assert_eq!(h.clock.sleeps(), [std::time::Duration::from_secs(2)]);
}

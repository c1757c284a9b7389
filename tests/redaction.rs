//! The secret key, secret body fields and personal data never show up in log events, in
//! errors (nor their sources), or in the `Debug` of the client, its builders and models.

mod common;

use std::io::Cursor;
use std::time::Duration;

use clerk_backend_api::models::{PhoneNumber, User};
use clerk_backend_api::testing::{CaptureSink, FakeClock, MockServer, Reply, fixtures};
use clerk_backend_api::{Clerk, Error, FilePart};
use serde_json::json;

use common::{error_text, method_paths, refused_url};

const SECRET_KEY: &str = "sk_test_SUPERSECRET123";

/// Strings that must never appear anywhere we look.
const NEVER: [&str; 3] = [SECRET_KEY, "Bearer sk_test_SUPERSECRET123", "SUPERSECRET"];

/// Personal data put in paths, queries and bodies; never in log events.
const PII: [&str; 6] = [
    "PIIMARKER",
    "pii@example.com",
    "pii%40example.com",
    "PIIQUERY",
    "hunter2-pass",
    "TOTPSECRET",
];

fn assert_clean(what: &str, text: &str, forbidden: &[&str]) {
    for needle in forbidden {
        assert!(
            !text.contains(needle),
            "{what} contains {needle:?}:\n{text}"
        );
    }
}

fn secret_client(url: &str, clock: &FakeClock, sink: &CaptureSink) -> Clerk {
    Clerk::builder(SECRET_KEY)
        .server_url(url)
        .clock(clock.clone())
        .jitter_seed(7)
        .log_sink(sink.clone())
        .build()
        .unwrap()
}

fn leaky_html() -> String {
    format!(
        "<html><body><h1>502</h1><pre>GET /users/x\nAuthorization: Bearer {SECRET_KEY}\n\
         x-api-key={SECRET_KEY}</pre></body></html>"
    )
}

#[test]
fn no_call_leaks_the_key_or_personal_data() {
    let mock = MockServer::start();
    mock.on("GET", "/users/user_PIIMARKER")
        .reply(Reply::json(200, fixtures::USER).header("x-clerk-trace-id", "trace_ok"));
    mock.on("GET", "/users/user_PIIMARKER404")
        .reply(Reply::json(404, fixtures::ERROR_NOT_FOUND));
    mock.on("GET", "/users/user_PIIMARKER500")
        .reply(Reply::json(
            500,
            r#"{"errors":[{"code":"e","message":"boom"}]}"#,
        ));
    mock.on("GET", "/users/user_PIIMARKERdecode")
        .reply(Reply::json(200, r#"{"unexpected": true}"#));
    mock.on("GET", "/users/user_PIIMARKERslow")
        .reply(Reply::status(200).never_respond());
    mock.on("GET", "/users/user_PIIMARKERhtml")
        .reply(Reply::bytes(502, leaky_html()).header("content-type", "text/html"));
    mock.on("GET", "/users")
        .reply(Reply::json(200, fixtures::users_page(&["user_1"])));
    mock.on("POST", "/users")
        .reply(Reply::json(422, fixtures::ERROR_UNPROCESSABLE));
    mock.on("DELETE", "/users/user_PIIMARKER")
        .reply(Reply::json(200, fixtures::DELETED_USER));
    mock.on("PUT", "/organizations/org_PIIMARKER/logo")
        .reply(Reply::json(200, fixtures::ORGANIZATION_WITH_LOGO));

    let clock = FakeClock::new();
    let sink = CaptureSink::new();
    let clerk = secret_client(&mock.url(), &clock, &sink);
    let refused = secret_client(&refused_url(), &clock, &sink);

    clerk.users().get("user_PIIMARKER").send().unwrap();
    clerk
        .users()
        .list()
        .email_address(["pii@example.com"])
        .query("PIIQUERY")
        .user_id(["user_PIIMARKER"])
        .send()
        .unwrap();
    clerk.users().delete("user_PIIMARKER").send().unwrap();
    clerk
        .organizations()
        .upload_logo("org_PIIMARKER", FilePart::from_bytes(vec![1, 2], "a.png"))
        .uploader_user_id("user_PIIMARKER")
        .send()
        .unwrap();

    let errors = vec![
        clerk.users().get("user_PIIMARKER404").send().unwrap_err(),
        clerk.users().get("user_PIIMARKER500").send().unwrap_err(),
        clerk
            .users()
            .get("user_PIIMARKERdecode")
            .send()
            .unwrap_err(),
        clerk
            .users()
            .get("user_PIIMARKERslow")
            .timeout(Duration::from_millis(200))
            .no_retries()
            .send()
            .unwrap_err(),
        clerk
            .users()
            .get("user_PIIMARKERhtml")
            .no_retries()
            .send()
            .unwrap_err(),
        clerk
            .users()
            .create()
            .email_address(["pii@example.com"])
            .password("hunter2-pass")
            .totp_secret("TOTPSECRET")
            .send()
            .unwrap_err(),
        refused.users().get("user_PIIMARKER").send().unwrap_err(),
        refused
            .users()
            .list()
            .email_address(["pii@example.com"])
            .send()
            .unwrap_err(),
    ];
    // Each kind of failure is represented.
    assert!(errors.iter().any(|e| matches!(e, Error::Api(_))));
    assert!(errors.iter().any(|e| matches!(e, Error::Decode(_))));
    assert!(errors.iter().any(|e| matches!(e, Error::Timeout(_))));
    assert!(errors.iter().any(|e| matches!(e, Error::Transport(_))));
    // The requests really carried the key, so its absence below means something.
    assert!(
        mock.requests()
            .iter()
            .all(|r| r.header("authorization") == Some("Bearer sk_test_SUPERSECRET123"))
    );

    for e in &errors {
        assert_clean("an error", &error_text(e), &NEVER);
    }
    let html = errors[4].api_error().unwrap();
    assert_eq!(html.status(), 502);
    assert!(html.body_excerpt().is_some());

    let log = sink.text();
    assert!(log.contains("/users/{user_id}"), "{log}");
    assert!(
        log.contains("/organizations/{organization_id}/logo"),
        "{log}"
    );
    assert!(log.contains("trace_ok"), "the trace id is logged: {log}");
    assert_clean("the log", &log, &NEVER);
    assert_clean("the log", &log, &PII);
    assert_clean(
        "the client's Debug",
        &format!("{clerk:?} {refused:?}"),
        &NEVER,
    );
}

#[test]
fn request_builders_debug_without_secrets() {
    let clock = FakeClock::new();
    let sink = CaptureSink::new();
    let clerk = secret_client("http://127.0.0.1:9", &clock, &sink);
    let create = clerk
        .users()
        .create()
        .first_name("Ada")
        .password("hunter2-pass")
        .password_digest("$2a$10$DIGESTMARKER")
        .totp_secret("TOTPSECRET")
        .backup_codes(["c1"]);
    let create_text = format!("{create:?}");
    assert_clean(
        "CreateUser",
        &create_text,
        &[
            SECRET_KEY,
            "SUPERSECRET",
            "hunter2-pass",
            "TOTPSECRET",
            "DIGESTMARKER",
            "\"c1\"",
        ],
    );
    // Redacted, not dropped: the reader can tell the fields were set.
    assert!(create_text.contains("Ada"), "{create_text}");
    assert!(create_text.contains("<redacted>"), "{create_text}");

    let debugs = [
        format!("{:?}", clerk.users().get("user_1")),
        format!(
            "{:?}",
            clerk
                .users()
                .list()
                .email_address(["a@example.com"])
                .limit(3)
        ),
        format!("{:?}", clerk.users().delete("user_1")),
        format!(
            "{:?}",
            clerk
                .organizations()
                .upload_logo("org_1", FilePart::from_bytes(vec![1], "a.png"))
                .uploader_user_id("user_1")
        ),
        format!(
            "{:?}",
            clerk.organizations().upload_logo(
                "org_1",
                FilePart::from_reader(Cursor::new(vec![1]), "a.png")
            )
        ),
        format!("{:?}", clerk.users().list().paginate()),
        format!("{:?}", clerk.users()),
        format!("{clerk:?}"),
    ];
    for text in &debugs {
        assert_clean("a builder's Debug", text, &NEVER);
    }
    // The client's Debug still says which environment the key is for.
    assert!(debugs[7].contains("sk_test_"), "{}", debugs[7]);
    assert!(debugs[7].contains("127.0.0.1:9"), "{}", debugs[7]);

    let builder = Clerk::builder(SECRET_KEY).server_url("http://127.0.0.1:9");
    assert_clean("ClerkBuilder", &format!("{builder:?}"), &NEVER);
}

#[test]
fn models_with_backup_codes_debug_without_them() {
    let phone = json!({
        "id": "idn_1",
        "object": "phone_number",
        "phone_number": "+15555550100",
        "reserved_for_second_factor": true,
        "default_second_factor": true,
        "reserved": false,
        "verification": null,
        "linked_to": [],
        "backup_codes": ["BACKUPCODE1", "BACKUPCODE2"],
        "created_at": 1,
        "updated_at": 2
    });
    let decoded: PhoneNumber = serde_json::from_value(phone.clone()).unwrap();
    assert_eq!(decoded.backup_codes, ["BACKUPCODE1", "BACKUPCODE2"]);
    let text = format!("{decoded:?} {decoded:#?}");
    assert_clean("PhoneNumber", &text, &["BACKUPCODE"]);
    assert!(text.contains("+15555550100"), "{text}");

    let mut user: serde_json::Value = serde_json::from_str(fixtures::USER).unwrap();
    user["phone_numbers"] = json!([phone]);
    let user: User = serde_json::from_value(user).unwrap();
    assert_eq!(user.phone_numbers[0].backup_codes.len(), 2);
    assert_clean("User", &format!("{user:?}"), &["BACKUPCODE"]);
}

#[test]
fn a_non_json_error_page_echoing_the_key_is_redacted() {
    let mock = MockServer::start();
    mock.on("GET", "/users/u")
        .reply(Reply::bytes(502, leaky_html()));
    mock.on("GET", "/users/jwt").reply(Reply::bytes(
        401,
        "token eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJKV1RNQVJLRVIifQ.sig rejected",
    ));
    let clock = FakeClock::new();
    let sink = CaptureSink::new();
    let clerk = secret_client(&mock.url(), &clock, &sink);
    let err = clerk.users().get("u").no_retries().send().unwrap_err();
    let excerpt = err.api_error().unwrap().body_excerpt().unwrap().to_owned();
    assert!(excerpt.contains("502"), "{excerpt}");
    assert_clean("the excerpt", &excerpt, &NEVER);
    assert_clean("the error", &error_text(&err), &NEVER);

    let err = clerk.users().get("jwt").send().unwrap_err();
    assert_clean("the error", &error_text(&err), &["eyJhbGciOiJIUzI1NiJ9"]);
}

// ---------------------------------------------------------------------------
// The default sink, through the `log` facade (with ureq's own logging at trace)
// ---------------------------------------------------------------------------

/// Installs the recorder at `trace` for every target, runs a few calls through a client
/// with the default sink (the `log` facade), and returns everything logged so far.
fn calls_through_the_log_facade() -> Vec<common::LogRecord> {
    common::record_all_logs();
    let mock = MockServer::start();
    mock.on("GET", "/users/user_PIIMARKER")
        .reply(Reply::json(200, fixtures::USER));
    mock.on("GET", "/users/user_PIIMARKER2")
        .reply(Reply::json(503, "{}"));
    mock.on("GET", "/users").reply(Reply::json(200, "[]"));
    let clerk = Clerk::builder(SECRET_KEY)
        .server_url(mock.url())
        .clock(FakeClock::new())
        .build()
        .unwrap();
    clerk.users().get("user_PIIMARKER").send().unwrap();
    clerk.users().get("user_PIIMARKER2").send().unwrap_err();
    clerk
        .users()
        .list()
        .email_address(["pii@example.com"])
        .send()
        .unwrap();
    common::log_records()
}

#[test]
fn the_default_log_sink_never_carries_the_key_or_personal_data() {
    let records = calls_through_the_log_facade();
    let ours: Vec<&String> = records
        .iter()
        .filter(|r| r.target == "clerk_backend_api")
        .map(|r| &r.message)
        .collect();
    assert!(
        ours.iter()
            .any(|m| m.contains("GetUser") && m.contains("/users/{user_id}")),
        "{ours:?}"
    );
    assert!(ours.iter().any(|m| m.contains("giving up")), "{ours:?}");
    for m in &ours {
        assert_clean("a clerk_backend_api record", m, &NEVER);
        assert_clean("a clerk_backend_api record", m, &PII);
    }
    // Nothing at debug level or above, from any crate (ureq redacts its headers there).
    for r in &records {
        if r.level <= log::Level::Debug {
            assert_clean(
                &format!("a {} {} record", r.level, r.target),
                &r.message,
                &NEVER,
            );
        }
    }
}

#[test]
fn a_redirect_never_carries_the_key_to_another_server() {
    let elsewhere = MockServer::start();
    elsewhere
        .on("GET", "/users/u")
        .reply(Reply::json(200, fixtures::USER));
    elsewhere
        .on("POST", "/users")
        .reply(Reply::json(200, fixtures::USER));
    let mock = MockServer::start();
    for (method, path, status) in [("GET", "/users/u", 302), ("POST", "/users", 307)] {
        mock.on(method, path)
            .reply(Reply::status(status).header("Location", format!("{}{path}", elsewhere.url())));
    }
    let clock = FakeClock::new();
    let sink = CaptureSink::new();
    let clerk = secret_client(&mock.url(), &clock, &sink);
    // No redirect is followed (RELIABILITY.md, "Redirects"), so the other server never sees
    // a request at all, with or without the key.
    let get = clerk.users().get("u").send().unwrap_err();
    let post = clerk.users().create().first_name("A").send().unwrap_err();
    assert_eq!(mock.request_count(), 2);
    assert_eq!(get.status(), Some(302));
    assert_eq!(post.status(), Some(307));
    assert_eq!(elsewhere.request_count(), 0);
    assert!(method_paths(&elsewhere.requests()).is_empty());
    for e in [&get, &post] {
        assert_clean("a redirect error", &error_text(e), &NEVER);
    }
}

#[test]
fn a_recorded_requests_debug_masks_the_key() {
    let mock = MockServer::start();
    mock.on("GET", "/users/u")
        .reply(Reply::json(200, fixtures::USER));
    let clock = FakeClock::new();
    let sink = CaptureSink::new();
    let clerk = secret_client(&mock.url(), &clock, &sink);
    clerk.users().get("u").send().unwrap();
    let request = &mock.requests()[0];
    // The key is still there for assertions...
    assert_eq!(
        request.header("authorization"),
        Some(format!("Bearer {SECRET_KEY}").as_str())
    );
    // ...but a failing assertion printing the request does not show it.
    let text = format!("{request:?} {request:#?}");
    assert_clean("a RecordedRequest's Debug", &text, &NEVER);
    assert!(text.contains("authorization"), "{text}");
    assert!(text.contains("/users/u"), "{text}");
}

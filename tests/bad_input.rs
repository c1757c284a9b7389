//! Bad input from the caller: ids and values with `/`, `..`, `?`, `#`, `%`, spaces, unicode,
//! CR/LF, NUL, empty strings and 1 MB strings. Each gives a correctly encoded request or
//! `InvalidRequest` (nothing sent), never another route: the assertions are on what the
//! mock recorded. Property tests drive the same through the public API.

mod common;

use clerk_backend_api::testing::{MockServer, RecordedRequest, Reply, fixtures};
use clerk_backend_api::{Clerk, Error, FilePart};
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};

use common::{KEY, assert_invalid, harness, parse_multipart};

/// Ids that must arrive as exactly one path segment.
const TRICKY: [&str; 24] = [
    "/",
    "a/b",
    "../x",
    "..%2Fx",
    "...",
    "./x",
    "?",
    "a?b=c",
    "#",
    "x#frag",
    "%",
    "%2F",
    "%2e%2e",
    " ",
    " a b ",
    "é",
    "日本語",
    "🦀",
    "\u{202e}rtl",
    "\r\n",
    "a\r\nX-Injected: 1",
    "\0",
    "a\\b",
    "+&=;",
];

/// Strict percent-decoding of a raw path segment.
fn decode_segment(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' {
            let hex = std::str::from_utf8(&b[i + 1..i + 3]).expect("escape");
            out.push(u8::from_str_radix(hex, 16).expect("hex"));
            i += 3;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    String::from_utf8(out).expect("UTF-8")
}

/// The path arrived as `/{prefix}/{one segment}{suffix}`, and that segment decodes to `id`.
fn assert_one_segment(r: &RecordedRequest, prefix: &str, suffix: &str, id: &str) {
    let segment = r
        .path
        .strip_prefix(prefix)
        .and_then(|p| p.strip_suffix(suffix))
        .unwrap_or_else(|| panic!("{id:?} routed to {}", r.path));
    assert!(!segment.contains('/'), "{id:?}: {}", r.path);
    assert!(
        segment
            .bytes()
            .all(|c| c.is_ascii_alphanumeric() || b"-._~%".contains(&c)),
        "{id:?}: {}",
        r.path
    );
    assert_eq!(decode_segment(segment), id, "{}", r.path);
    assert_eq!(r.query, None, "{id:?} leaked into the query");
}

#[test]
fn tricky_ids_are_one_encoded_segment_for_every_operation() {
    let mock = MockServer::start(); // no routes: every request gets a 404 and is recorded
    let h = harness(&mock);
    for id in TRICKY {
        // The calls fail (404 from the mock); what matters is what was sent.
        let _ = h.clerk.users().get(id).no_retries().send();
        let _ = h.clerk.users().delete(id).send();
        let _ = h
            .clerk
            .organizations()
            .upload_logo(id, FilePart::from_bytes(vec![1], "l.png"))
            .send();
    }
    let requests = mock.requests();
    assert_eq!(requests.len(), 3 * TRICKY.len());
    for (id, sent) in TRICKY.iter().zip(requests.chunks(3)) {
        assert_eq!(sent[0].method, "GET");
        assert_one_segment(&sent[0], "/users/", "", id);
        assert_eq!(sent[1].method, "DELETE");
        assert_one_segment(&sent[1], "/users/", "", id);
        assert_eq!(sent[2].method, "PUT");
        assert_one_segment(&sent[2], "/organizations/", "/logo", id);
    }
}

#[test]
fn empty_dot_dotdot_and_huge_ids_are_refused_before_sending() {
    let mock = MockServer::start();
    let h = harness(&mock);
    let huge = "x".repeat(1 << 20);
    for id in ["", ".", "..", huge.as_str()] {
        let shown = &id[..id.len().min(8)];
        assert_invalid(&h.clerk.users().get(id).send().expect_err(shown));
        assert_invalid(&h.clerk.users().delete(id).send().expect_err(shown));
        assert_invalid(
            &h.clerk
                .organizations()
                .upload_logo(id, FilePart::from_bytes(vec![1], "l.png"))
                .send()
                .expect_err(shown),
        );
    }
    let e = h.clerk.users().get(huge.as_str()).send().unwrap_err();
    assert!(e.to_string().contains("URL"), "{e}");
    assert_eq!(mock.request_count(), 0);
}

#[test]
fn tricky_query_values_decode_to_themselves() {
    let mock = MockServer::start();
    mock.on("GET", "/users").reply(Reply::json(200, "[]"));
    let h = harness(&mock);
    for value in TRICKY.iter().chain(&["", "a=b&c=d", "x+y"]) {
        h.clerk
            .users()
            .list()
            .email_address([*value, "second"])
            .query(*value)
            .starting_after(*value)
            .send()
            .unwrap_or_else(|e| panic!("{value:?}: {e:?}"));
        let r = mock.requests().pop().unwrap();
        assert_eq!(r.path, "/users", "{value:?}");
        let q = r.query.clone().unwrap();
        assert!(!q.contains(['#', ' ', '\r', '\n', '/', '?', '+']), "{q}");
        assert_eq!(
            r.query_pairs(),
            common::pairs(&[
                ("email_address", value),
                ("email_address", "second"),
                ("query", value),
                ("starting_after", value),
            ]),
            "{value:?}"
        );
    }
}

#[test]
fn a_huge_query_value_is_refused_before_sending() {
    let mock = MockServer::start();
    let h = harness(&mock);
    let huge = "é".repeat(1 << 19); // 1 MiB of UTF-8
    let e = h
        .clerk
        .users()
        .list()
        .query(huge.as_str())
        .send()
        .unwrap_err();
    assert_invalid(&e);
    let mut pages = h.clerk.users().list().email_address([huge]).paginate();
    assert_invalid(&pages.next().unwrap().unwrap_err());
    assert_eq!(mock.request_count(), 0);
}

#[test]
fn tricky_and_huge_body_values_arrive_intact() {
    let mock = MockServer::start();
    mock.on("POST", "/users")
        .reply(Reply::json(200, fixtures::USER));
    mock.on("PUT", "/organizations/org_1/logo")
        .reply(Reply::json(200, fixtures::ORGANIZATION_WITH_LOGO));
    let h = harness(&mock);
    let huge = "\u{1F980}\"\\\r\n".repeat(1 << 18); // 2 MiB with every JSON escape
    let mut values: Vec<String> = TRICKY.iter().map(|s| (*s).to_owned()).collect();
    values.extend([String::new(), r#""},"password":"x"#.to_owned(), huge]);
    for value in &values {
        h.clerk
            .users()
            .create()
            .first_name(value.as_str())
            .external_id(value.as_str())
            .send()
            .unwrap();
        let body = mock.requests().pop().unwrap().body_json();
        assert_eq!(body["first_name"], value.as_str());
        assert_eq!(body["external_id"], value.as_str());
        assert_eq!(body.as_object().unwrap().len(), 2, "no field injected");

        // Multipart: a text field with CR/LF and boundary-like lines stays one field.
        let injected =
            format!("{value}\r\n--boundary\r\nContent-Disposition: form-data; name=\"x\"");
        h.clerk
            .organizations()
            .upload_logo("org_1", FilePart::from_bytes(vec![7], "l.png"))
            .uploader_user_id(injected.as_str())
            .send()
            .unwrap();
        let r = mock.requests().pop().unwrap();
        let parts = parse_multipart(r.header("content-type").unwrap(), &r.body);
        assert_eq!(parts.len(), 2, "{}", &value[..value.len().min(16)]);
        assert_eq!(parts[0].name.as_deref(), Some("uploader_user_id"));
        assert_eq!(parts[0].data, injected.as_bytes());
    }
}

#[test]
fn file_names_and_content_types_with_cr_or_lf_are_refused() {
    let mock = MockServer::start();
    let h = harness(&mock);
    for part in [
        FilePart::from_bytes(vec![1], "a\r\nX-Evil: 1.png"),
        FilePart::from_bytes(vec![1], "a.png").content_type("image/png\nX-Evil: 1"),
    ] {
        assert_invalid(
            &h.clerk
                .organizations()
                .upload_logo("org_1", part)
                .send()
                .unwrap_err(),
        );
    }
    assert_eq!(mock.request_count(), 0);
}

// ---------------------------------------------------------------------------
// Properties, through the public API
// ---------------------------------------------------------------------------

fn tricky_char() -> impl Strategy<Value = char> {
    prop_oneof![
        prop::sample::select(vec![
            '/', '?', '#', '%', '&', '=', '+', '.', ' ', '\r', '\n', '\0', '\\', '"', '~'
        ]),
        prop::char::range('a', 'z'),
        any::<char>(),
    ]
}

fn tricky_string() -> impl Strategy<Value = String> {
    prop::collection::vec(tricky_char(), 0..20).prop_map(|cs| cs.into_iter().collect())
}

fn runner() -> TestRunner {
    TestRunner::new(Config {
        cases: 200,
        failure_persistence: None,
        ..Config::default()
    })
}

fn client(mock: &MockServer) -> Clerk {
    Clerk::builder(KEY)
        .server_url(mock.url())
        .retry_policy(clerk_backend_api::RetryPolicy::none())
        .build()
        .unwrap()
}

#[test]
fn property_an_id_is_sent_as_one_segment_or_refused() {
    let mock = MockServer::start();
    let clerk = client(&mock);
    runner()
        .run(&tricky_string(), |id| {
            let before = mock.request_count();
            let result = clerk.users().get(id.as_str()).send();
            if id.is_empty() || id == "." || id == ".." {
                prop_assert!(matches!(result, Err(Error::InvalidRequest(_))));
                prop_assert_eq!(mock.request_count(), before);
                return Ok(());
            }
            prop_assert_eq!(mock.request_count(), before + 1);
            let r = mock.requests().pop().unwrap();
            let segment = r.path.strip_prefix("/users/").unwrap_or("");
            prop_assert!(!segment.is_empty() && !segment.contains('/'), "{}", r.path);
            prop_assert_eq!(decode_segment(segment), id);
            prop_assert_eq!(r.query, None);
            Ok(())
        })
        .unwrap();
}

#[test]
fn property_query_values_decode_to_what_was_set() {
    let mock = MockServer::start();
    mock.on("GET", "/users").reply(Reply::json(200, "[]"));
    let clerk = client(&mock);
    let strategy = (
        prop::collection::vec(tricky_string(), 1..4),
        tricky_string(),
    );
    runner()
        .run(&strategy, |(emails, text)| {
            clerk
                .users()
                .list()
                .email_address(emails.clone())
                .name_query(text.as_str())
                .send()
                .unwrap();
            let r = mock.requests().pop().unwrap();
            prop_assert_eq!(&r.path, "/users");
            let mut expected: Vec<(String, String)> = emails
                .into_iter()
                .map(|e| ("email_address".to_owned(), e))
                .collect();
            expected.push(("name_query".to_owned(), text));
            prop_assert_eq!(r.query_pairs(), expected);
            Ok(())
        })
        .unwrap();
}

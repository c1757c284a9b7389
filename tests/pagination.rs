//! `users().list().paginate()`: a lazy iterator that walks pages by the `starting_after`
//! cursor (or by `offset` for orderings the cursor does not support) and never loops.

mod common;

use clerk_backend_api::Error;
use clerk_backend_api::testing::{MockServer, Reply, fixtures};

use common::harness;

fn query_value(r: &clerk_backend_api::testing::RecordedRequest, key: &str) -> Option<String> {
    r.query_pairs()
        .into_iter()
        .find(|(k, _)| k == key)
        .map(|(_, v)| v)
}

/// The raw query string of every request the mock recorded, in order.
fn raw_queries(mock: &MockServer) -> Vec<Option<String>> {
    mock.requests().into_iter().map(|r| r.query).collect()
}

/// `Some(q)` for each raw query string.
fn some(queries: &[&str]) -> Vec<Option<String>> {
    queries.iter().map(|q| Some((*q).to_owned())).collect()
}

/// Three cursor pages: [u1, u2], [u3, u4], [u5].
fn cursor_mock() -> MockServer {
    let mock = MockServer::start();
    // Anything unexpected gets an error page, so a wrong cursor fails loudly.
    mock.on("GET", "/users")
        .reply(Reply::json(400, fixtures::ERROR_UNPROCESSABLE));
    mock.on("GET", "/users")
        .query("limit", "2")
        .reply(Reply::json(200, fixtures::users_page(&["u1", "u2"])));
    mock.on("GET", "/users")
        .query("limit", "2")
        .query("starting_after", "u2")
        .reply(Reply::json(200, fixtures::users_page(&["u3", "u4"])));
    mock.on("GET", "/users")
        .query("limit", "2")
        .query("starting_after", "u4")
        .reply(Reply::json(200, fixtures::users_page(&["u5"])));
    mock
}

#[test]
fn pages_by_cursor_across_three_pages() {
    let mock = cursor_mock();
    let h = harness(&mock);
    let ids: Vec<String> = h
        .clerk
        .users()
        .list()
        .limit(2)
        .paginate()
        .map(|u| u.expect("a user").id)
        .collect();
    assert_eq!(ids, ["u1", "u2", "u3", "u4", "u5"]);
    let requests = mock.requests();
    assert_eq!(requests.len(), 3);
    let cursors: Vec<Option<String>> = requests
        .iter()
        .map(|r| query_value(r, "starting_after"))
        .collect();
    assert_eq!(cursors, [None, Some("u2".into()), Some("u4".into())]);
    for r in &requests {
        assert_eq!(r.path, "/users");
    }
    assert_eq!(
        raw_queries(&mock),
        some(&[
            "limit=2",
            "limit=2&starting_after=u2",
            "limit=2&starting_after=u4"
        ])
    );
}

#[test]
fn filters_are_kept_on_every_page() {
    let mock = cursor_mock();
    let h = harness(&mock);
    let n = h
        .clerk
        .users()
        .list()
        .email_address(["a@example.com"])
        .order_by("-created_at")
        .limit(2)
        .paginate()
        .collect::<Result<Vec<_>, _>>()
        .unwrap()
        .len();
    assert_eq!(n, 5);
    for r in mock.requests() {
        assert_eq!(
            query_value(&r, "email_address").as_deref(),
            Some("a@example.com")
        );
        assert_eq!(query_value(&r, "order_by").as_deref(), Some("-created_at"));
    }
    assert_eq!(
        raw_queries(&mock),
        some(&[
            "email_address=a%40example.com&limit=2&order_by=-created_at",
            "email_address=a%40example.com&limit=2&starting_after=u2&order_by=-created_at",
            "email_address=a%40example.com&limit=2&starting_after=u4&order_by=-created_at",
        ])
    );
}

#[test]
fn orderings_without_a_cursor_page_by_offset() {
    let mock = MockServer::start();
    mock.on("GET", "/users")
        .reply(Reply::json(400, fixtures::ERROR_UNPROCESSABLE));
    for (offset, ids) in [
        ("0", &["u1", "u2"][..]),
        ("2", &["u3", "u4"][..]),
        ("4", &["u5"][..]),
    ] {
        mock.on("GET", "/users")
            .query("offset", offset)
            .reply(Reply::json(200, fixtures::users_page(ids)));
    }
    let h = harness(&mock);
    let ids: Vec<String> = h
        .clerk
        .users()
        .list()
        .order_by("-email_address")
        .limit(2)
        .paginate()
        .map(|u| u.expect("a user").id)
        .collect();
    assert_eq!(ids, ["u1", "u2", "u3", "u4", "u5"]);
    let requests = mock.requests();
    let offsets: Vec<Option<String>> = requests.iter().map(|r| query_value(r, "offset")).collect();
    assert_eq!(
        offsets,
        [Some("0".into()), Some("2".into()), Some("4".into())]
    );
    // Every page, the second and third included, pages by `offset` alone: no
    // `starting_after` next to it.
    assert_eq!(
        raw_queries(&mock),
        some(&[
            "limit=2&offset=0&order_by=-email_address",
            "limit=2&offset=2&order_by=-email_address",
            "limit=2&offset=4&order_by=-email_address",
        ])
    );
}

#[test]
fn a_starting_offset_pages_on_from_there() {
    let mock = MockServer::start();
    mock.on("GET", "/users")
        .query("offset", "10")
        .reply(Reply::json(200, fixtures::users_page(&["u11", "u12"])));
    mock.on("GET", "/users")
        .query("offset", "12")
        .reply(Reply::json(200, "[]"));
    let h = harness(&mock);
    let ids: Vec<String> = h
        .clerk
        .users()
        .list()
        .offset(10)
        .limit(2)
        .paginate()
        .map(|u| u.unwrap().id)
        .collect();
    assert_eq!(ids, ["u11", "u12"]);
    assert_eq!(
        raw_queries(&mock),
        some(&["limit=2&offset=10", "limit=2&offset=12"])
    );
}

#[test]
fn pagination_is_lazy() {
    let mock = cursor_mock();
    let h = harness(&mock);
    let mut users = h.clerk.users().list().limit(2).paginate();
    assert_eq!(mock.request_count(), 0, "nothing is sent before iterating");
    assert_eq!(users.next().unwrap().unwrap().id, "u1");
    assert_eq!(mock.request_count(), 1);
    assert_eq!(users.next().unwrap().unwrap().id, "u2");
    assert_eq!(
        mock.request_count(),
        1,
        "the second item comes from the first page"
    );
    assert_eq!(users.next().unwrap().unwrap().id, "u3");
    assert_eq!(
        raw_queries(&mock),
        some(&["limit=2", "limit=2&starting_after=u2"])
    );

    let mock = cursor_mock();
    let h = harness(&mock);
    let first: Vec<_> = h.clerk.users().list().limit(2).paginate().take(1).collect();
    assert_eq!(first.len(), 1);
    assert_eq!(mock.request_count(), 1);
}

#[test]
fn a_full_last_page_ends_with_an_empty_page() {
    let mock = MockServer::start();
    mock.on("GET", "/users")
        .reply(Reply::json(200, fixtures::users_page(&["u1", "u2"])));
    mock.on("GET", "/users")
        .query("starting_after", "u2")
        .reply(Reply::json(200, "[]"));
    let h = harness(&mock);
    let n = h
        .clerk
        .users()
        .list()
        .limit(2)
        .paginate()
        .collect::<Result<Vec<_>, _>>()
        .unwrap()
        .len();
    assert_eq!(n, 2);
    assert_eq!(
        raw_queries(&mock),
        some(&["limit=2", "limit=2&starting_after=u2"])
    );
}

#[test]
fn the_default_page_size_is_clerks_ten() {
    let mock = MockServer::start();
    let ten: Vec<String> = (0..10).map(|i| format!("u{i}")).collect();
    let ten: Vec<&str> = ten.iter().map(String::as_str).collect();
    mock.on("GET", "/users")
        .reply(Reply::json(200, fixtures::users_page(&ten)));
    mock.on("GET", "/users")
        .query("starting_after", "u9")
        .reply(Reply::json(200, fixtures::users_page(&["u10"])));
    let h = harness(&mock);
    let n = h
        .clerk
        .users()
        .list()
        .paginate()
        .collect::<Result<Vec<_>, _>>()
        .unwrap()
        .len();
    assert_eq!(n, 11);
    // Without `.limit(..)` no `limit` is sent (Clerk's default of 10 applies): the first
    // request has no query at all and the second only the cursor.
    assert_eq!(
        raw_queries(&mock),
        [None, Some("starting_after=u9".to_owned())]
    );
}

#[test]
fn a_server_repeating_a_page_ends_in_an_error_not_a_loop() {
    let mock = MockServer::start();
    mock.on("GET", "/users")
        .reply(Reply::json(200, fixtures::users_page(&["u1", "u2"])));
    let h = harness(&mock);
    let results: Vec<_> = h
        .clerk
        .users()
        .list()
        .limit(2)
        .paginate()
        .take(50)
        .collect();
    assert!(results.len() < 50, "looped: {} items", results.len());
    let (last, items) = results.split_last().unwrap();
    assert!(
        matches!(last, Err(Error::Pagination(e)) if e.operation() == "GetUserList"),
        "expected a Pagination error, got {last:?}"
    );
    assert!(items.iter().all(|r| r.is_ok()));
    assert_eq!(
        raw_queries(&mock),
        some(&["limit=2", "limit=2&starting_after=u2"])
    );

    // Offset paging is protected the same way.
    mock.reset();
    mock.on("GET", "/users")
        .reply(Reply::json(200, fixtures::users_page(&["u1", "u2"])));
    let results: Vec<_> = h
        .clerk
        .users()
        .list()
        .order_by("username")
        .limit(2)
        .paginate()
        .take(50)
        .collect();
    assert!(results.len() < 50);
    assert!(matches!(results.last(), Some(Err(Error::Pagination(_)))));
    assert_eq!(
        raw_queries(&mock),
        some(&[
            "limit=2&offset=0&order_by=username",
            "limit=2&offset=2&order_by=username"
        ])
    );
}

#[test]
fn an_error_ends_the_walk() {
    let mock = MockServer::start();
    mock.on("GET", "/users")
        .reply(Reply::json(200, fixtures::users_page(&["u1", "u2"])));
    mock.on("GET", "/users")
        .query("starting_after", "u2")
        .reply(Reply::json(404, fixtures::ERROR_NOT_FOUND));
    let h = harness(&mock);
    let mut users = h.clerk.users().list().limit(2).paginate();
    assert!(users.next().unwrap().is_ok());
    assert!(users.next().unwrap().is_ok());
    let err = users.next().unwrap().unwrap_err();
    assert_eq!(err.status(), Some(404));
    assert!(users.next().is_none());
    assert_eq!(
        raw_queries(&mock),
        some(&["limit=2", "limit=2&starting_after=u2"])
    );
}

// ---------------------------------------------------------------------------
// Operations that answer a bare list, or a page object with `paginated=true`
// ---------------------------------------------------------------------------

/// A minimal valid item of each of the eight operations.
fn items() -> Vec<(&'static str, serde_json::Value)> {
    use serde_json::json;
    let t = 1_700_000_000_000_i64;
    vec![
        (
            "/clients",
            json!({"object": "client", "id": "client_1", "session_ids": [], "sessions": [],
            "sign_in_id": null, "sign_up_id": null, "last_active_session_id": null,
            "last_authentication_strategy": null, "updated_at": t, "created_at": t}),
        ),
        (
            "/sessions",
            json!({"object": "session", "id": "sess_1", "user_id": "user_1",
            "client_id": "client_1", "status": "active", "last_active_at": t, "expire_at": t,
            "abandon_at": t, "updated_at": t, "created_at": t}),
        ),
        (
            "/templates/email",
            json!({"object": "template", "id": "tpl_1", "slug": "magic_link"}),
        ),
        (
            "/users/user_1/oauth_access_tokens/oauth_google",
            json!({"object": "oauth_access_token",
            "external_account_id": "eac_1", "provider_user_id": "g1", "token": "tok", "provider": "oauth_google",
            "public_metadata": {}, "scopes": []}),
        ),
        (
            "/invitations",
            json!({"object": "invitation", "id": "inv_1", "email_address": "a@example.com",
            "public_metadata": {}, "status": "pending", "created_at": t, "updated_at": t}),
        ),
        (
            "/allowlist_identifiers",
            json!({"object": "allowlist_identifier", "id": "alid_1",
            "identifier": "a@example.com", "identifier_type": "email_address", "created_at": t, "updated_at": t}),
        ),
        (
            "/jwt_templates",
            json!({"object": "jwt_template", "id": "jtmp_1", "name": "convex", "claims": {},
            "lifetime": 60, "allowed_clock_skew": 5, "custom_signing_key": false,
            "signing_algorithm": "RS256", "created_at": t, "updated_at": t}),
        ),
        (
            "/redirect_urls",
            json!({"object": "redirect_url", "id": "redirect_url_1",
            "url": "https://app.example.com", "created_at": t, "updated_at": t}),
        ),
    ]
}

/// Each operation, sent plainly (`send`) and paged (`send_paged`): the lengths it decoded,
/// and the total from the page object.
#[allow(deprecated)] // two of the eight operations are deprecated by Clerk
fn both_shapes(h: &common::Harness, path: &str) -> (usize, usize, i64) {
    let c = &h.clerk;
    macro_rules! both {
        ($builder:expr) => {{
            let plain = $builder.send().unwrap().len();
            let paged = $builder.send_paged().unwrap();
            (plain, paged.data.len(), paged.total_count)
        }};
    }
    match path {
        "/clients" => both!(c.clients().list()),
        "/sessions" => both!(c.sessions().list()),
        "/templates/email" => both!(c.email_sms_templates().list("email")),
        "/users/user_1/oauth_access_tokens/oauth_google" => {
            both!(c.users().get_oauth_access_token("user_1", "oauth_google"))
        }
        "/invitations" => both!(c.invitations().list()),
        "/allowlist_identifiers" => both!(c.allowlist_identifiers().list()),
        "/jwt_templates" => both!(c.jwt_templates().list()),
        "/redirect_urls" => both!(c.redirect_urls().list()),
        other => panic!("{other}"),
    }
}

#[test]
fn every_list_that_can_be_paged_reads_both_answers() {
    let mock = MockServer::start();
    for (path, item) in items() {
        let list = serde_json::json!([item.clone(), item.clone()]);
        let page = serde_json::json!({"data": [item], "total_count": 7});
        // Routes are matched newest first: the plain one, then the one for `paginated=true`.
        mock.on("GET", path)
            .reply(Reply::json(200, list.to_string()));
        mock.on("GET", path)
            .query("paginated", "true")
            .reply(Reply::json(200, page.to_string()));
    }
    let h = harness(&mock);
    for (path, _) in items() {
        assert_eq!(both_shapes(&h, path), (2, 1, 7), "{path}");
    }
    // `send` never asks for the page object, `send_paged` always does.
    for (path, _) in items() {
        let sent: Vec<_> = mock
            .requests()
            .into_iter()
            .filter(|r| r.path == path)
            .collect();
        assert_eq!(sent.len(), 2, "{path}");
        assert!(
            !sent[0].query_pairs().iter().any(|(k, _)| k == "paginated"),
            "{path}"
        );
        assert!(
            sent[1]
                .query_pairs()
                .contains(&("paginated".into(), "true".into())),
            "{path}"
        );
    }
}

#[test]
fn paginating_a_pageable_list_uses_the_total_count() {
    let mock = MockServer::start();
    let (_, item) = items().remove(4); // an invitation
    let page = |ids: [&str; 2]| {
        let data: Vec<_> = ids
            .iter()
            .map(|id| {
                let mut i = item.clone();
                i["id"] = serde_json::json!(id);
                i
            })
            .collect();
        serde_json::json!({"data": data, "total_count": 4}).to_string()
    };
    mock.on("GET", "/invitations")
        .reply(Reply::json(200, page(["inv_1", "inv_2"])))
        .reply(Reply::json(200, page(["inv_3", "inv_4"])))
        .reply(Reply::json(200, page(["inv_5", "inv_6"])));
    let h = harness(&mock);
    let all: Vec<_> = h
        .clerk
        .invitations()
        .list()
        .limit(2)
        .paginate()
        .collect::<Result<_, _>>()
        .unwrap();
    // Two full pages make the total of 4: no third request, though each page was full.
    assert_eq!(all.len(), 4);
    assert_eq!(
        raw_queries(&mock),
        some(&[
            "paginated=true&limit=2&offset=0",
            "paginated=true&limit=2&offset=2"
        ])
    );
}

#[test]
fn send_with_response_gives_status_headers_and_trace_id() {
    let mock = MockServer::start();
    mock.on("GET", "/users/user_1").reply(
        Reply::json(200, fixtures::USER)
            .header("x-clerk-trace-id", "trace-1")
            .header("x-ratelimit-remaining", "41")
            .header("x-echo", format!("Bearer {}", common::KEY)),
    );
    let h = harness(&mock);
    let answer = h.clerk.users().get("user_1").send_with_response().unwrap();
    assert_eq!(answer.status(), 200);
    assert_eq!(answer.trace_id(), Some("trace-1"));
    assert_eq!(answer.header("x-ratelimit-remaining"), Some("41"));
    // Headers are the server's, with the request's secrets taken out.
    assert!(!answer.header("x-echo").unwrap().contains(common::KEY));
    assert!(!format!("{answer:?}").contains(common::KEY));
    assert_eq!(answer.value().id, "user_2abc");
    assert_eq!(answer.into_inner().id, "user_2abc");
}

//! The quickstart example runs against the mock and makes the calls it describes.

#[allow(dead_code)] // its `main` is not called here
#[path = "../examples/quickstart.rs"]
mod quickstart;

#[test]
fn the_quickstart_runs_against_the_mock() {
    let mock = quickstart::run(None)
        .expect("the quickstart succeeds against the mock")
        .expect("without a key it returns the mock it used");
    let requests = mock.requests();
    let calls: Vec<String> = requests
        .iter()
        .map(|r| format!("{} {}", r.method, r.path))
        .collect();
    assert_eq!(calls.first().map(String::as_str), Some("POST /users"));
    assert_eq!(
        calls.get(1).map(String::as_str),
        Some("GET /users/user_2abc")
    );
    assert_eq!(
        calls.last().map(String::as_str),
        Some("DELETE /users/user_2abc")
    );
    let lists = &requests[2..requests.len() - 1];
    assert!(!lists.is_empty());
    assert!(
        lists
            .iter()
            .all(|r| r.method == "GET" && r.path == "/users")
    );
    // The one-page list, then the paginated walk: limit 2, then the cursor after user_2def.
    let queries: Vec<Option<&str>> = lists.iter().map(|r| r.query.as_deref()).collect();
    assert_eq!(
        queries,
        [
            Some("limit=5"),
            Some("limit=2"),
            Some("limit=2&starting_after=user_2def"),
        ]
    );

    // The create sent a JSON body with the example's fields, and every call was authenticated.
    let created = requests[0].body_json();
    assert_eq!(created["first_name"], "Ada");
    assert_eq!(created["last_name"], "Lovelace");
    assert_eq!(created["skip_password_requirement"], true);
    assert!(
        created["email_address"][0]
            .as_str()
            .unwrap()
            .ends_with("@example.com")
    );
    assert!(
        requests
            .iter()
            .all(|r| r.header("authorization") == Some("Bearer sk_test_quickstart"))
    );
}

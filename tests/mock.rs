//! Tests for `testing::MockServer`, driven by ureq 3 (and raw sockets where
//! the client cannot produce the bytes we need).

use std::io::{BufRead, BufReader, Cursor, Read, Write};
use std::net::{Shutdown, TcpStream};
use std::thread;
use std::time::{Duration, Instant};

use clerk_backend_api::testing::{MockServer, Reply, fixtures};

/// An upper bound on real time, only against "never" (a hang, a 30 s delay, a server that
/// holds a connection open): far from anything a busy 2-core machine takes for the
/// sub-second waits it bounds.
const PROMPT: Duration = Duration::from_secs(10);

fn agent() -> ureq::Agent {
    agent_with_timeout(Duration::from_secs(10))
}

fn agent_with_timeout(timeout: Duration) -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(timeout))
        .build()
        .into()
}

/// GET `url`, returning (status, body text).
fn get(agent: &ureq::Agent, url: &str) -> (u16, String) {
    let mut response = agent.get(url).call().expect("request failed");
    let status = response.status().as_u16();
    let body = response
        .body_mut()
        .read_to_string()
        .expect("reading the body failed");
    (status, body)
}

/// Sends raw bytes on a fresh connection and returns everything the server
/// sends back until it closes the connection.
fn raw_exchange(mock: &MockServer, request: &[u8]) -> String {
    let mut stream = TcpStream::connect(mock.addr()).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(5)))
        .unwrap();
    stream.write_all(request).unwrap();
    let mut response = Vec::new();
    stream.read_to_end(&mut response).unwrap();
    String::from_utf8(response).unwrap()
}

#[test]
fn url_has_no_trailing_slash() {
    let mock = MockServer::start();
    let url = mock.url();
    assert!(url.starts_with("http://127.0.0.1:"), "{url}");
    assert!(!url.ends_with('/'));
    assert_eq!(url, format!("http://{}", mock.addr()));
}

#[test]
fn routes_match_method_path_and_query_newest_first() {
    let mock = MockServer::start();
    let base = mock.url();
    mock.on("GET", "/users").reply(Reply::json(200, r#""all""#));
    mock.on("GET", "/users")
        .query("limit", "2")
        .reply(Reply::json(200, r#""limit 2""#));
    mock.on("GET", "/users")
        .query("limit", "2")
        .query("offset", "10")
        .reply(Reply::json(200, r#""limit 2 offset 10""#));
    mock.on("GET", "/users")
        .query("email", "a+b@x.com")
        .reply(Reply::json(200, r#""email""#));
    mock.on("POST", "/users").reply(Reply::status(201));

    let agent = agent();
    assert_eq!(
        get(&agent, &format!("{base}/users")),
        (200, r#""all""#.into())
    );
    assert_eq!(
        get(&agent, &format!("{base}/users?limit=2")),
        (200, r#""limit 2""#.into())
    );
    assert_eq!(
        get(&agent, &format!("{base}/users?limit=3")),
        (200, r#""all""#.into())
    );
    // All constraints must hold; order and extra pairs do not matter.
    assert_eq!(
        get(&agent, &format!("{base}/users?offset=10&x=y&limit=2")),
        (200, r#""limit 2 offset 10""#.into())
    );
    assert_eq!(
        get(&agent, &format!("{base}/users?offset=10")),
        (200, r#""all""#.into())
    );
    // Constraints compare decoded values.
    assert_eq!(
        get(&agent, &format!("{base}/users?email=a%2Bb%40x.com")),
        (200, r#""email""#.into())
    );
    // Method is part of the match; path is compared exactly.
    let response = agent.post(&format!("{base}/users")).send("").unwrap();
    assert_eq!(response.status().as_u16(), 201);
    assert_eq!(get(&agent, &format!("{base}/users/")).0, 404);
    assert_eq!(
        agent
            .delete(&format!("{base}/users"))
            .call()
            .unwrap()
            .status()
            .as_u16(),
        404
    );

    // A newer route overrides an older one.
    mock.on("GET", "/users")
        .reply(Reply::json(200, r#""override""#));
    assert_eq!(
        get(&agent, &format!("{base}/users?limit=2")),
        (200, r#""override""#.into())
    );
}

#[test]
fn route_without_reply_matches_nothing_and_reset_drops_routes() {
    let mock = MockServer::start();
    let agent = agent();
    mock.on("GET", "/ping").reply(Reply::status(200));
    mock.on("GET", "/ping"); // no reply yet: ignored, older route still answers
    assert_eq!(get(&agent, &format!("{}/ping", mock.url())).0, 200);
    assert_eq!(mock.request_count(), 1);

    let route = mock.on("GET", "/pong");
    mock.reset();
    assert_eq!(mock.request_count(), 0);
    assert!(mock.requests().is_empty());
    route.reply(Reply::status(200)); // inert after reset
    assert_eq!(get(&agent, &format!("{}/ping", mock.url())).0, 404);
    assert_eq!(get(&agent, &format!("{}/pong", mock.url())).0, 404);
    assert_eq!(route.hits(), 0);
}

#[test]
fn replies_are_served_in_order_and_the_last_repeats() {
    let mock = MockServer::start();
    let route = mock
        .on("GET", "/users/user_1")
        .reply(Reply::status(503))
        .reply(Reply::status(503).header("Retry-After", "0"))
        .reply(Reply::json(200, r#"{"id":"user_1"}"#));
    let agent = agent();
    let url = format!("{}/users/user_1", mock.url());
    let mut statuses = Vec::new();
    for _ in 0..5 {
        let mut response = agent.get(&url).call().unwrap();
        statuses.push((
            response.status().as_u16(),
            response
                .headers()
                .get("retry-after")
                .map(|v| v.to_str().unwrap().to_owned()),
            response.body_mut().read_to_string().unwrap(),
        ));
    }
    let ok = (200, None, r#"{"id":"user_1"}"#.to_owned());
    assert_eq!(
        statuses,
        vec![
            (503, None, String::new()),
            (503, Some("0".to_owned()), String::new()),
            ok.clone(),
            ok.clone(),
            ok,
        ]
    );
    assert_eq!(route.hits(), 5);
}

#[test]
fn computed_replies_take_their_turn_and_see_the_request() {
    use std::sync::atomic::{AtomicUsize, Ordering};
    let mock = MockServer::start();
    let created = AtomicUsize::new(0);
    let route = mock
        .on("POST", "/users")
        .reply(Reply::status(503))
        .respond_with(move |request| {
            // State of its own: a counter, and what the request carried.
            let n = created.fetch_add(1, Ordering::SeqCst) + 1;
            let name = request.body_json()["first_name"].clone();
            let body = serde_json::json!({ "id": format!("user_{n}"), "first_name": name });
            Reply::json(201, body.to_string()).header("X-Seen-Path", "{{path}}")
        })
        .respond_with(|_| Reply::json(200, r#"{"echo":"{{header:x-probe}}"}"#).echo_request());
    let agent = agent();
    let url = format!("{}/users", mock.url());
    let post = |name: &str| {
        let mut response = agent
            .post(&url)
            .header("X-Probe", "probe-1")
            .send(format!(r#"{{"first_name":"{name}"}}"#))
            .unwrap();
        let seen = response
            .headers()
            .get("x-seen-path")
            .map(|v| v.to_str().unwrap().to_owned());
        let body = response.body_mut().read_to_string().unwrap();
        (response.status().as_u16(), seen, body)
    };
    assert_eq!(post("Ada"), (503, None, String::new()));
    // A computed reply's placeholders are kept as text unless it asks to echo.
    let (status, seen, body) = post("Ada");
    assert_eq!((status, seen.as_deref()), (201, Some("{{path}}")));
    let body: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(
        body,
        serde_json::json!({ "id": "user_1", "first_name": "Ada" })
    );
    // The last entry repeats, computed afresh each time, echo included.
    assert_eq!(post("Grace").2, r#"{"echo":"probe-1"}"#);
    assert_eq!(post("Grace").2, r#"{"echo":"probe-1"}"#);
    assert_eq!(route.hits(), 4);
    // Every request was recorded, the computed ones included.
    assert_eq!(mock.requests().len(), 4);
    assert_eq!(mock.requests()[1].body_json()["first_name"], "Ada");
}

#[test]
fn computed_replies_run_concurrently_and_a_panic_is_a_500() {
    use std::sync::{Arc, Condvar, Mutex};
    let mock = MockServer::start();
    // Each handler waits until two handlers are inside at once: only possible when the
    // server does not hold its lock around them. Bounded, so a regression fails, not hangs.
    let inside = Arc::new((Mutex::new(0usize), Condvar::new()));
    let gate = Arc::clone(&inside);
    mock.on("GET", "/both").respond_with(move |_| {
        let (count, cond) = &*gate;
        let mut n = count.lock().unwrap();
        *n += 1;
        cond.notify_all();
        let (n, timeout) = cond
            .wait_timeout_while(n, Duration::from_secs(10), |n| *n < 2)
            .unwrap();
        Reply::status(if timeout.timed_out() { 504 } else { 200 }).header("X-Inside", n.to_string())
    });
    mock.on("GET", "/panics")
        .respond_with(|_| panic!("a handler bug (this panic is expected by the test)"));
    let url = mock.url();
    let statuses: Vec<u16> = thread::scope(|s| {
        let handles: Vec<_> = (0..2)
            .map(|_| s.spawn(|| get(&agent(), &format!("{url}/both")).0))
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    assert_eq!(statuses, [200, 200]);

    let (status, body) = get(&agent(), &format!("{url}/panics"));
    assert_eq!(status, 500);
    assert!(body.contains("mock_handler_panicked"), "{body}");
    // The server goes on serving.
    assert_eq!(get(&agent(), &format!("{url}/both")).0, 200);
}

#[test]
fn json_reply_sets_content_type_and_headers_repeat() {
    let mock = MockServer::start();
    mock.on("GET", "/u").reply(
        Reply::json(200, fixtures::USER)
            .header("Set-Cookie", "a=1")
            .header("Set-Cookie", "b=2"),
    );
    let mut response = agent().get(&format!("{}/u", mock.url())).call().unwrap();
    assert_eq!(
        response.headers().get("content-type").unwrap(),
        "application/json"
    );
    let cookies: Vec<_> = response
        .headers()
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap().to_owned())
        .collect();
    assert_eq!(cookies, ["a=1", "b=2"]);
    assert_eq!(
        response.headers().get("content-length").unwrap(),
        &fixtures::USER.len().to_string()
    );
    let body: serde_json::Value =
        serde_json::from_str(&response.body_mut().read_to_string().unwrap()).unwrap();
    assert_eq!(body["id"], "user_2abc");
}

#[test]
fn records_request_fields() {
    let mock = MockServer::start();
    mock.on("POST", "/users/..%2Fx").reply(Reply::status(200));
    let url = format!(
        "{}/users/..%2Fx?tag=a&tag=b&q=1%2B1&name=John+Doe&flag",
        mock.url()
    );
    let response = agent()
        .post(&url)
        .header("X-Custom-Header", "Some Value")
        .content_type("application/json")
        .send(r#"{"first_name":"Ada","tags":[1,2]}"#)
        .unwrap();
    assert_eq!(response.status().as_u16(), 200);

    let requests = mock.requests();
    assert_eq!(requests.len(), 1);
    let request = &requests[0];
    assert_eq!(request.method, "POST");
    assert_eq!(request.path, "/users/..%2Fx");
    assert_eq!(
        request.query.as_deref(),
        Some("tag=a&tag=b&q=1%2B1&name=John+Doe&flag")
    );
    let expected: Vec<(String, String)> = [
        ("tag", "a"),
        ("tag", "b"),
        ("q", "1+1"),
        ("name", "John Doe"),
        ("flag", ""),
    ]
    .iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect();
    assert_eq!(request.query_pairs(), expected);
    assert!(
        request
            .headers
            .iter()
            .any(|(n, v)| n == "x-custom-header" && v == "Some Value"),
        "{:?}",
        request.headers
    );
    assert!(request.headers.iter().all(|(n, _)| *n == n.to_lowercase()));
    assert_eq!(request.header("X-CUSTOM-HEADER"), Some("Some Value"));
    assert_eq!(request.header("content-type"), Some("application/json"));
    assert_eq!(request.header("x-missing"), None);
    assert_eq!(
        request.body_json(),
        serde_json::json!({"first_name": "Ada", "tags": [1, 2]})
    );
    assert_eq!(request.body_str(), r#"{"first_name":"Ada","tags":[1,2]}"#);
}

#[test]
fn request_without_query_has_none() {
    let mock = MockServer::start();
    mock.on("GET", "/a").reply(Reply::status(204));
    let response = agent().get(&format!("{}/a", mock.url())).call().unwrap();
    assert_eq!(response.status().as_u16(), 204);
    let request = &mock.requests()[0];
    assert_eq!(request.query, None);
    assert!(request.query_pairs().is_empty());
    assert!(request.body.is_empty());
}

#[test]
#[should_panic(expected = "is not JSON")]
fn body_json_panics_with_a_clear_message() {
    let mock = MockServer::start();
    mock.on("POST", "/a").reply(Reply::status(200));
    agent()
        .post(&format!("{}/a", mock.url()))
        .send("not json")
        .unwrap();
    mock.requests()[0].body_json();
}

#[test]
fn chunked_request_body_is_dechunked() {
    let mock = MockServer::start();
    mock.on("POST", "/upload").reply(Reply::status(200));
    let data: Vec<u8> = (0..200_000u32).map(|i| (i % 251) as u8).collect();
    let response = agent()
        .post(&format!("{}/upload", mock.url()))
        .content_type("application/octet-stream")
        .send(ureq::SendBody::from_owned_reader(Cursor::new(data.clone())))
        .unwrap();
    assert_eq!(response.status().as_u16(), 200);
    let request = &mock.requests()[0];
    assert_eq!(request.header("transfer-encoding"), Some("chunked"));
    assert_eq!(request.header("content-length"), None);
    assert_eq!(request.body.len(), data.len());
    assert!(request.body == data, "de-chunked body differs");
}

#[test]
fn raw_chunked_body_with_extensions_and_trailers() {
    let mock = MockServer::start();
    mock.on("POST", "/c").reply(Reply::json(200, "{}"));
    let response = raw_exchange(
        &mock,
        b"POST /c HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n\
          5;ext=1\r\nhello\r\n1\r\n \r\n5\r\nworld\r\n0\r\nX-Trailer: t\r\n\r\n",
    );
    assert!(response.starts_with("HTTP/1.1 200 OK\r\n"), "{response}");
    assert!(response.contains("Connection: close\r\n"), "{response}");
    assert_eq!(mock.requests()[0].body, b"hello world");
}

#[test]
fn expect_100_continue_gets_an_interim_response() {
    let mock = MockServer::start();
    mock.on("PUT", "/e").reply(Reply::status(200));
    let mut stream = TcpStream::connect(mock.addr()).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(5)))
        .unwrap();
    stream
        .write_all(
            b"PUT /e HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nExpect: 100-continue\r\n\r\n",
        )
        .unwrap();
    let mut reader = BufReader::new(stream.try_clone().unwrap());
    let mut line = String::new();
    reader.read_line(&mut line).unwrap();
    assert_eq!(line, "HTTP/1.1 100 Continue\r\n");
    line.clear();
    reader.read_line(&mut line).unwrap();
    assert_eq!(line, "\r\n");
    stream.write_all(b"abc").unwrap();
    line.clear();
    reader.read_line(&mut line).unwrap();
    assert_eq!(line, "HTTP/1.1 200 OK\r\n");
    assert_eq!(mock.requests()[0].body, b"abc");
}

#[test]
fn keep_alive_serves_sequential_requests_on_one_connection() {
    let mock = MockServer::start();
    mock.on("GET", "/k")
        .reply(Reply::json(200, r#"{"ok":true}"#));
    let agent = agent();
    for _ in 0..10 {
        assert_eq!(
            get(&agent, &format!("{}/k", mock.url())),
            (200, r#"{"ok":true}"#.into())
        );
    }
    assert_eq!(mock.request_count(), 10);
    assert_eq!(mock.connection_count(), 1);
}

#[test]
fn connection_close_is_honoured() {
    let mock = MockServer::start();
    mock.on("GET", "/c").reply(Reply::status(200));
    // read_to_end returns only if the server closes after the response.
    let response = raw_exchange(
        &mock,
        b"GET /c HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
    );
    assert_eq!(
        response,
        "HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
    );
    // HTTP/1.0 without keep-alive closes too.
    let response = raw_exchange(&mock, b"GET /c HTTP/1.0\r\n\r\n");
    assert!(response.starts_with("HTTP/1.1 200 OK\r\n"), "{response}");
}

#[test]
fn head_gets_length_but_no_body() {
    let mock = MockServer::start();
    mock.on("HEAD", "/h").reply(Reply::json(200, "[1,2,3]"));
    let response = raw_exchange(
        &mock,
        b"HEAD /h HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
    );
    assert!(response.contains("Content-Length: 7\r\n"), "{response}");
    assert!(response.ends_with("\r\n\r\n"), "{response}");
}

#[test]
fn close_before_response_fails_the_call() {
    let mock = MockServer::start();
    mock.on("GET", "/x")
        .reply(Reply::status(200).close_before_response())
        .reply(Reply::status(200));
    let agent = agent();
    let url = format!("{}/x", mock.url());
    let error = agent.get(&url).call().unwrap_err();
    assert!(
        matches!(&error, ureq::Error::Io(e) if e.kind() == std::io::ErrorKind::UnexpectedEof),
        "unexpected error: {error:?}"
    );
    // The request was read and recorded before the close.
    assert_eq!(mock.request_count(), 1);
    // The server is still fine afterwards.
    assert_eq!(get(&agent, &url).0, 200);
}

#[test]
fn close_mid_body_fails_the_body_read() {
    let mock = MockServer::start();
    let body = r#"{"id":"user_1","first_name":"Ada"}"#;
    mock.on("GET", "/x")
        .reply(Reply::json(200, body).close_mid_body());
    let mut response = agent()
        .get(&format!("{}/x", mock.url()))
        .call()
        .expect("the head arrives complete");
    assert_eq!(response.status().as_u16(), 200);
    assert_eq!(
        response.headers().get("content-length").unwrap(),
        &body.len().to_string()
    );
    let error = response.body_mut().read_to_string().unwrap_err();
    assert!(
        matches!(&error, ureq::Error::Io(e) if e.kind() == std::io::ErrorKind::UnexpectedEof),
        "unexpected error: {error:?}"
    );

    // An empty body is still truncated (advertised length 1).
    mock.on("GET", "/empty")
        .reply(Reply::status(200).close_mid_body());
    let mut response = agent()
        .get(&format!("{}/empty", mock.url()))
        .call()
        .unwrap();
    assert!(response.body_mut().read_to_string().is_err());

    // Exactly half the body is sent.
    let raw = raw_exchange(&mock, b"GET /x HTTP/1.1\r\nHost: x\r\n\r\n");
    let sent_body = raw.split("\r\n\r\n").nth(1).unwrap();
    assert_eq!(sent_body, &body[..body.len() / 2]);
}

/// Sends raw bytes on a fresh connection and reads until the server closes or resets it:
/// the bytes received, and the read error that ended it (`None` for an orderly close).
fn raw_until_end(mock: &MockServer, request: &[u8]) -> (String, Option<std::io::ErrorKind>) {
    let mut stream = TcpStream::connect(mock.addr()).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(5)))
        .unwrap();
    stream.write_all(request).unwrap();
    let mut received = Vec::new();
    let mut buf = [0u8; 4096];
    let end = loop {
        match stream.read(&mut buf) {
            Ok(0) => break None,
            Ok(n) => received.extend_from_slice(&buf[..n]),
            Err(e) => break Some(e.kind()),
        }
    };
    (String::from_utf8(received).unwrap(), end)
}

#[test]
fn resets_are_rsts_at_the_chosen_point() {
    use std::io::ErrorKind::ConnectionReset;
    let mock = MockServer::start();
    let body = r#"{"id":"user_1","first_name":"Ada"}"#;
    mock.on("GET", "/before")
        .reply(Reply::json(200, body).reset_before_response());
    mock.on("GET", "/headers")
        .reply(Reply::json(200, body).reset_mid_headers());
    mock.on("GET", "/body")
        .reply(Reply::json(200, body).reset_mid_body());
    let request = |path: &str| format!("GET {path} HTTP/1.1\r\nHost: x\r\n\r\n");

    let (received, end) = raw_until_end(&mock, request("/before").as_bytes());
    assert_eq!((received.as_str(), end), ("", Some(ConnectionReset)));

    let (received, end) = raw_until_end(&mock, request("/headers").as_bytes());
    assert_eq!(end, Some(ConnectionReset), "{received:?}");
    assert!(
        received.starts_with("HTTP/1.1 200 OK\r\nCont"),
        "{received:?}"
    );
    assert!(
        !received.contains("\r\n\r\n"),
        "the header section ended: {received:?}"
    );
    assert!(
        !received.ends_with("\r\n"),
        "cut inside a header line: {received:?}"
    );

    let (received, end) = raw_until_end(&mock, request("/body").as_bytes());
    assert_eq!(end, Some(ConnectionReset), "{received:?}");
    let (head, sent_body) = received.split_once("\r\n\r\n").unwrap();
    assert!(
        head.contains(&format!("Content-Length: {}", body.len())),
        "{head}"
    );
    assert_eq!(sent_body, &body[..body.len() / 2]);

    // Through ureq, each is an I/O error of kind ConnectionReset.
    for path in ["/before", "/headers"] {
        let error = agent()
            .get(&format!("{}{path}", mock.url()))
            .call()
            .unwrap_err();
        assert!(
            matches!(&error, ureq::Error::Io(e) if e.kind() == ConnectionReset),
            "{path}: {error:?}"
        );
    }
    assert_eq!(mock.request_count(), 5);
    // The server keeps serving.
    mock.on("GET", "/ok").reply(Reply::status(204));
    assert_eq!(get(&agent(), &format!("{}/ok", mock.url())).0, 204);
}

#[test]
fn stall_mid_headers_sends_part_of_the_head_then_nothing() {
    let mock = MockServer::start();
    mock.on("GET", "/stall")
        .reply(Reply::json(200, "[]").stall_mid_headers());
    let mut stream = TcpStream::connect(mock.addr()).unwrap();
    stream.set_read_timeout(Some(PROMPT)).unwrap();
    stream
        .write_all(b"GET /stall HTTP/1.1\r\nHost: x\r\n\r\n")
        .unwrap();
    let mut received = Vec::new();
    let mut buf = [0u8; 1024];
    // The part of the head: waited for, however long the server's thread takes to run.
    let n = stream.read(&mut buf).unwrap();
    assert!(n > 0, "closed before any byte");
    received.extend_from_slice(&buf[..n]);
    // Then nothing for 300 ms: a correct server never sends more, so a busy machine cannot
    // make this fail; a server that finished the head would send it at once.
    stream
        .set_read_timeout(Some(Duration::from_millis(300)))
        .unwrap();
    let end = loop {
        match stream.read(&mut buf) {
            Ok(0) => panic!("closed: {:?}", String::from_utf8_lossy(&received)),
            Ok(n) => received.extend_from_slice(&buf[..n]),
            Err(e) => break e.kind(),
        }
    };
    assert!(
        matches!(
            end,
            std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
        ),
        "{end:?}"
    );
    let received = String::from_utf8(received).unwrap();
    assert!(received.starts_with("HTTP/1.1 200 OK\r\n"), "{received:?}");
    assert!(!received.contains("\r\n\r\n"), "{received:?}");

    let started = Instant::now();
    let error = agent_with_timeout(Duration::from_millis(300))
        .get(&format!("{}/stall", mock.url()))
        .call()
        .unwrap_err();
    assert!(matches!(error, ureq::Error::Timeout(_)), "{error:?}");
    // Against "never": the stall holds the connection open for as long as the server lives.
    assert!(started.elapsed() < PROMPT);
    let dropped = Instant::now();
    drop(mock);
    assert!(dropped.elapsed() < PROMPT);
}

#[test]
fn a_cycling_route_starts_again_after_its_last_reply() {
    let mock = MockServer::start();
    let route = mock
        .on("GET", "/c")
        .reply(Reply::status(503))
        .reply(Reply::status(200))
        .reply(Reply::status(204))
        .cycle();
    let agent = agent();
    let url = format!("{}/c", mock.url());
    let statuses: Vec<u16> = (0..7).map(|_| get(&agent, &url).0).collect();
    assert_eq!(statuses, [503, 200, 204, 503, 200, 204, 503]);
    assert_eq!(route.hits(), 7);
}

#[test]
fn never_respond_times_the_client_out_quickly() {
    let mock = MockServer::start();
    mock.on("GET", "/hang")
        .reply(Reply::status(200).never_respond());
    let started = Instant::now();
    let error = agent_with_timeout(Duration::from_millis(300))
        .get(&format!("{}/hang", mock.url()))
        .call()
        .unwrap_err();
    assert!(matches!(error, ureq::Error::Timeout(_)), "{error:?}");
    let elapsed = started.elapsed();
    assert!(elapsed >= Duration::from_millis(250), "{elapsed:?}");
    assert!(elapsed < PROMPT, "{elapsed:?}");
    // The request was read before the client gave up (it may time out before the server's
    // connection thread has run: wait for it rather than read the count at once).
    assert!(mock.wait_for_requests(1, PROMPT));
    assert_eq!(mock.request_count(), 1);
    let dropped = Instant::now();
    drop(mock);
    assert!(dropped.elapsed() < PROMPT);
}

#[test]
fn delay_and_drip_slow_the_response_down() {
    let mock = MockServer::start();
    mock.on("GET", "/delay")
        .reply(Reply::json(200, "[]").delay(Duration::from_millis(200)));
    mock.on("GET", "/drip")
        .reply(Reply::bytes(200, b"abcdef".to_vec()).drip(Duration::from_millis(40)));
    let agent = agent();

    let started = Instant::now();
    assert_eq!(
        get(&agent, &format!("{}/delay", mock.url())),
        (200, "[]".into())
    );
    assert!(started.elapsed() >= Duration::from_millis(200));

    let started = Instant::now();
    assert_eq!(
        get(&agent, &format!("{}/drip", mock.url())),
        (200, "abcdef".into())
    );
    // Five pauses between six bytes.
    assert!(started.elapsed() >= Duration::from_millis(200));
}

#[test]
fn drop_is_prompt_and_closes_the_port() {
    let mock = MockServer::start();
    let addr = mock.addr();
    let url = mock.url();
    mock.on("GET", "/fast").reply(Reply::status(200));
    mock.on("GET", "/slow")
        .reply(Reply::status(200).delay(Duration::from_secs(30)));
    let agent = agent();
    // A pooled keep-alive connection is open on the server side...
    assert_eq!(get(&agent, &format!("{url}/fast")).0, 200);
    // ...and another connection is waiting on a 30 s delay.
    let slow = thread::spawn(move || {
        agent_with_timeout(Duration::from_secs(60))
            .get(&format!("{url}/slow"))
            .call()
            .map(|response| response.status())
    });
    assert!(
        mock.wait_for_requests(2, PROMPT),
        "the slow request never reached the mock ({} requests)",
        mock.request_count()
    );

    let started = Instant::now();
    drop(mock);
    // Far below the 30 s delay that drop must not wait out.
    let drop_time = started.elapsed();
    assert!(drop_time < PROMPT, "drop took {drop_time:?}");

    // The delayed request fails because the server went away: not an answer after the delay,
    // and not the client's own 60 s timeout.
    let result = slow.join().unwrap();
    assert!(
        matches!(result, Err(ref e) if !matches!(e, ureq::Error::Timeout(_))),
        "the delayed request must fail when the server goes away: {result:?}"
    );

    let refused = TcpStream::connect_timeout(&addr, Duration::from_secs(1));
    assert!(
        refused.is_err(),
        "port still accepts connections after drop"
    );
}

#[test]
fn no_route_gets_a_404_error_body() {
    let mock = MockServer::start();
    let (status, body) = get(&agent(), &format!("{}/nope/a%20b?x=1", mock.url()));
    assert_eq!(status, 404);
    let body: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(
        body,
        serde_json::json!({"errors": [{
            "message": "no mock route",
            "long_message": "MockServer has no route for GET /nope/a%20b",
            "code": "mock_no_route",
        }]})
    );
    assert_eq!(mock.requests()[0].path, "/nope/a%20b");
}

#[test]
fn malformed_requests_get_400_and_the_server_keeps_working() {
    let mock = MockServer::start();
    mock.on("GET", "/ok").reply(Reply::status(200));
    for bad in [
        &b"garbage\r\n\r\n"[..],
        b"GET /ok HTTP/2.0\r\n\r\n",
        b"GET /ok HTTP/1.1\r\nNo colon here\r\n\r\n",
        b"POST /ok HTTP/1.1\r\nContent-Length: abc\r\n\r\n",
        b"POST /ok HTTP/1.1\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n",
        b"POST /ok HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
        b"POST /ok HTTP/1.1\r\nTransfer-Encoding: gzip\r\n\r\n",
    ] {
        let response = raw_exchange(&mock, bad);
        assert!(
            response.starts_with("HTTP/1.1 400 Bad Request\r\n"),
            "{:?} -> {response:?}",
            String::from_utf8_lossy(bad)
        );
        assert!(response.contains("mock_bad_request"), "{response}");
    }
    // A client that vanishes mid-request gets nothing and breaks nothing.
    let mut stream = TcpStream::connect(mock.addr()).unwrap();
    stream
        .write_all(b"POST /ok HTTP/1.1\r\nContent-Length: 100\r\n\r\nabc")
        .unwrap();
    stream.shutdown(Shutdown::Write).unwrap();
    drop(stream);

    assert_eq!(get(&agent(), &format!("{}/ok", mock.url())).0, 200);
}

#[test]
fn recording_can_be_turned_off_while_counting_continues() {
    let mock = MockServer::start();
    mock.on("GET", "/b").reply(Reply::status(200));
    let agent = agent();
    let url = format!("{}/b", mock.url());
    get(&agent, &url);
    mock.set_recording(false);
    for _ in 0..5 {
        get(&agent, &url);
    }
    assert_eq!(mock.request_count(), 6);
    assert_eq!(mock.requests().len(), 1);
    mock.set_recording(true);
    get(&agent, &url);
    assert_eq!(mock.requests().len(), 2);
    assert_eq!(mock.request_count(), 7);
}

/// 2,000 keep-alive requests, all answered over one connection, with recording off. Speed is
/// measured by the benchmark (`cargo bench --bench pipeline`), not here: a timed test is only
/// as reliable as the machine is idle.
#[test]
fn many_requests_share_one_connection() {
    let mock = MockServer::start();
    mock.set_recording(false);
    mock.on("GET", "/bench")
        .reply(Reply::json(200, fixtures::USER));
    let agent = agent();
    let url = format!("{}/bench", mock.url());
    for _ in 0..2_000 {
        let mut response = agent.get(&url).call().unwrap();
        response.body_mut().read_to_vec().unwrap();
    }
    assert_eq!(mock.request_count(), 2_000);
    assert_eq!(mock.connection_count(), 1);
    assert!(mock.requests().is_empty());
}

#[test]
fn fixtures_helpers() {
    let user: serde_json::Value = serde_json::from_str(&fixtures::user_with_id("user_9")).unwrap();
    assert_eq!(user["id"], "user_9");
    let page: serde_json::Value =
        serde_json::from_str(&fixtures::users_page(&["user_1", "user_2"])).unwrap();
    let ids: Vec<&str> = page
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["user_1", "user_2"]);
    assert_eq!(fixtures::users_page(&[]), "[]");
    for text in [
        fixtures::USER,
        fixtures::ORGANIZATION,
        fixtures::ORGANIZATION_WITH_LOGO,
        fixtures::DELETED_USER,
        fixtures::ERROR_NOT_FOUND,
        fixtures::ERROR_UNPROCESSABLE,
    ] {
        serde_json::from_str::<serde_json::Value>(text).unwrap();
    }
}

#[test]
fn public_types_are_send_and_sync() {
    fn check<T: Send + Sync + 'static>() {}
    check::<MockServer>();
    check::<clerk_backend_api::testing::Route>();
    check::<Reply>();
    check::<clerk_backend_api::testing::RecordedRequest>();
}

#[test]
fn an_echo_reply_fills_its_placeholders_from_the_request() {
    let mock = MockServer::start();
    mock.on("POST", "/echo/x%2Fy").reply(
        Reply::json(
            422,
            r#"{"h":"{{header:authorization}}","c":"{{credential:authorization}}","p":"{{percent:authorization}}","path":"{{path}}","body":"{{body}}","none":"{{header:x-absent}}","keep":"{{other}}"}"#,
        )
        .header("x-echo", "{{credential:authorization}}")
        .echo_request(),
    );
    let response = agent()
        .post(format!("{}/echo/x%2Fy", mock.url()))
        .header("authorization", "Bearer sk_test_\"q\\")
        .send(r#"{"a":"b"}"#)
        .unwrap();
    assert_eq!(response.status(), 422);
    assert_eq!(response.headers()["x-echo"], "sk_test_\"q\\");
    let body: serde_json::Value =
        serde_json::from_str(&response.into_body().read_to_string().unwrap()).unwrap();
    assert_eq!(body["h"], "Bearer sk_test_\"q\\");
    assert_eq!(body["c"], "sk_test_\"q\\");
    assert_eq!(
        body["p"],
        "%42%65%61%72%65%72%20%73%6B%5F%74%65%73%74%5F%22%71%5C"
    );
    assert_eq!(body["path"], "/echo/x%2Fy");
    assert_eq!(body["body"], r#"{"a":"b"}"#);
    assert_eq!(body["none"], "");
    assert_eq!(body["keep"], "{{other}}");
}

#[test]
fn wait_for_requests_wakes_on_arrival_and_times_out_without_one() {
    let mock = MockServer::start();
    mock.on("GET", "/hang")
        .reply(Reply::status(200).never_respond());
    // Nothing arrives: false, after the timeout.
    let started = Instant::now();
    assert!(!mock.wait_for_requests(1, Duration::from_millis(50)));
    assert!(started.elapsed() >= Duration::from_millis(50));
    assert!(mock.wait_for_requests(0, Duration::ZERO));

    // A request that is never answered, sent from another thread: the wait ends when the
    // server has it, long before the client gives up (the client's 60 s timeout would make a
    // wait that only ended with the client time out first).
    let url = format!("{}/hang", mock.url());
    let client = thread::spawn(move || {
        agent_with_timeout(Duration::from_secs(60))
            .get(&url)
            .call()
            .map(|response| response.status())
    });
    assert!(mock.wait_for_requests(1, Duration::from_secs(30)));
    assert_eq!(mock.request_count(), 1);
    assert_eq!(mock.requests()[0].path, "/hang");
    // One request, so a wait for two times out.
    assert!(!mock.wait_for_requests(2, Duration::from_millis(50)));
    // After a reset the count starts again from 0.
    mock.reset();
    assert!(!mock.wait_for_requests(1, Duration::ZERO));
    drop(mock);
    assert!(client.join().unwrap().is_err());
}

//! Bad input from the server: mutated fixture bodies never panic the decoder, deep nesting is
//! refused by serde_json's recursion limit (never a stack overflow), and a body's values
//! never reach an error message.
//!
//! The bulk decodes straight into the public models (`serde_json::from_slice::<User>`, …); a
//! subset goes through the public API (a `MockServer` reply, then `send()`). Mutations are
//! seeded, so a failure names the seed that reproduces it. The normal suite runs
//! `NORMAL_RUNS` inputs; `cargo test --test mutation -- --ignored` runs `LONG_RUNS`.

mod common;

use std::fmt::Debug;
use std::panic::{AssertUnwindSafe, catch_unwind};

use clerk_backend_api::models::{
    ClerkError, DeletedObject, Organization, OrganizationWithLogo, User,
};
use clerk_backend_api::testing::{FakeClock, MockServer, Reply, fixtures};
use clerk_backend_api::{Clerk, Error, RetryPolicy};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use common::error_text;

/// Mutated inputs in the normal suite, over all shapes.
const NORMAL_RUNS: usize = 5_000;
/// Mutated inputs in the `#[ignore]`d long run.
const LONG_RUNS: usize = 100_000;
/// Mutated inputs served through `MockServer` and `send()` (in the normal suite).
const API_RUNS: usize = 300;

/// The `{data, total_count}` list shape (`ref-list` in the spec), as a generated list model
/// will decode it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct ListOf<T> {
    data: Vec<T>,
    total_count: i64,
}

/// Clerk's error body.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Errors {
    errors: Vec<ClerkError>,
    #[serde(default)]
    clerk_trace_id: Option<String>,
}

// ---------------------------------------------------------------------------
// A small seeded mutator
// ---------------------------------------------------------------------------

/// xorshift64*: deterministic, no dependency.
struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Rng {
        Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

const BYTES: &[u8] = b"\"\\{}[],:0-e.n \x00\x1f\x7f\xc3\x80\xff\xfe\xed\xa0";

const TOKENS: &[&str] = &[
    "null",
    "true",
    "-0",
    "1e309",
    "-1e309",
    "0.0000000000000000000000001",
    "18446744073709551616",
    "-9223372036854775809",
    "9223372036854775807",
    r#""\ud800""#,
    r#""\udc00\ud800""#,
    r#""\u0000""#,
    r#""\uffff""#,
    "{}",
    "[]",
    r#""""#,
    r#""object":"user","#,
    r#""object":"verification_otp","#,
    r#""object":12,"#,
    r#""id":"dup","#,
    r#""strategy":"email_code","#,
    r#""x":1,"#,
    ",",
    r#""\"""#,
];

/// A JSON value of a random kind (shallow), for structural replacements.
fn random_value(rng: &mut Rng) -> Value {
    match rng.below(9) {
        0 => Value::Null,
        1 => Value::Bool(rng.below(2) == 0),
        2 => Value::from(rng.next() as i64),
        3 => Value::from(f64::from_bits(rng.next() & 0x7FEF_FFFF_FFFF_FFFF)),
        4 => Value::from("é🦀\u{0}\"\\"),
        5 => Value::from("x".repeat(rng.below(5000))),
        6 => Value::Array(vec![Value::Null; rng.below(4)]),
        7 => {
            serde_json::json!({ "object": *rng.pick(&["user", "email_address", "verification_otp", "phone_number", "zzz"]) })
        }
        _ => Value::from(u64::MAX),
    }
}

/// Visits a random node of `v` (pre-order index `target`) and applies `f` to it.
fn at_node(v: &mut Value, target: &mut usize, f: &mut dyn FnMut(&mut Value)) -> bool {
    if *target == 0 {
        f(v);
        return true;
    }
    *target -= 1;
    match v {
        Value::Array(items) => items.iter_mut().any(|i| at_node(i, target, f)),
        Value::Object(map) => map.values_mut().any(|i| at_node(i, target, f)),
        _ => false,
    }
}

fn count_nodes(v: &Value) -> usize {
    1 + match v {
        Value::Array(items) => items.iter().map(count_nodes).sum(),
        Value::Object(map) => map.values().map(count_nodes).sum(),
        _ => 0,
    }
}

/// Wraps `inner` in `depth` arrays or objects.
fn nested(depth: usize, inner: &str, object: bool) -> String {
    let (open, close) = if object {
        (r#"{"a":"#, "}")
    } else {
        ("[", "]")
    };
    format!("{}{inner}{}", open.repeat(depth), close.repeat(depth))
}

/// One structural mutation through `serde_json::Value` (which also reorders keys, so the
/// union decoders' buffered path is exercised as well as their streaming one).
fn mutate_structure(input: &[u8], rng: &mut Rng) -> Option<Vec<u8>> {
    let mut v: Value = serde_json::from_slice(input).ok()?;
    let mut target = rng.below(count_nodes(&v));
    let op = rng.below(5);
    at_node(&mut v, &mut target, &mut |node| match op {
        0 => *node = random_value(rng),
        1 => {
            if let Value::Object(map) = node {
                if let Some(k) = map.keys().nth(rng.below(map.len())).cloned() {
                    map.remove(&k);
                }
            }
        }
        2 => {
            if let Value::Object(map) = node {
                map.insert(format!("unknown_{}", rng.below(100)), random_value(rng));
            }
        }
        3 => {
            if let Value::Array(items) = node {
                let extra = random_value(rng);
                items.push(extra);
            }
        }
        _ => {
            // Deep nesting, sometimes past serde_json's limit of 128.
            let depth = *rng.pick(&[10, 100, 126, 127, 128, 129, 200, 5000]);
            let text = nested(depth, &node.to_string(), rng.below(2) == 0);
            if let Ok(deep) = serde_json::from_str::<Value>(&text) {
                *node = deep;
            } else {
                *node = Value::String(text);
            }
        }
    });
    serde_json::to_vec(&v).ok()
}

/// One byte-level mutation.
fn mutate_bytes(input: &mut Vec<u8>, rng: &mut Rng) {
    let len = input.len();
    let at = rng.below(len + 1);
    match rng.below(8) {
        0 if len > 0 => input[at.min(len - 1)] ^= 1 << rng.below(8),
        1 if len > 0 => input[at.min(len - 1)] = *rng.pick(BYTES),
        2 => {
            let end = (at + 1 + rng.below(16)).min(len);
            input.drain(at.min(end)..end);
        }
        3 => {
            let end = (at + 1 + rng.below(64)).min(len);
            let copy = input[at.min(end)..end].to_vec();
            let to = rng.below(input.len() + 1);
            input.splice(to..to, copy);
        }
        4 => input.truncate(at),
        5 => {
            let token = rng.pick(TOKENS).as_bytes();
            input.splice(at..at, token.iter().copied());
        }
        6 => {
            // Replace a scalar after a colon with a token.
            if let Some(colon) = input[at..].iter().position(|&b| b == b':') {
                let start = at + colon + 1;
                let end = input[start..]
                    .iter()
                    .position(|&b| b == b',' || b == b'}')
                    .map_or(input.len(), |e| start + e);
                let token = rng.pick(TOKENS).as_bytes().to_vec();
                input.splice(start..end, token);
            }
        }
        _ => {
            let depth = *rng.pick(&[127, 128, 129, 100_000]);
            let deep = nested(depth, "1", rng.below(2) == 0);
            input.splice(at..at, deep.bytes());
        }
    }
}

/// The `seed`-th mutant of `base`: one to four mutations, structural or byte-level.
fn mutant(base: &[u8], seed: u64) -> Vec<u8> {
    let mut rng = Rng::new(seed);
    let mut out = base.to_vec();
    for _ in 0..1 + rng.below(4) {
        if rng.below(3) == 0 {
            if let Some(m) = mutate_structure(&out, &mut rng) {
                out = m;
                continue;
            }
        }
        mutate_bytes(&mut out, &mut rng);
    }
    out
}

// ---------------------------------------------------------------------------
// Running the mutants
// ---------------------------------------------------------------------------

#[derive(Debug, Default)]
struct Outcome {
    ok: usize,
    rejected: usize,
    recursion_limit: usize,
    /// Decoded values that a serialize/decode round trip changed (then stable).
    normalized: usize,
}

/// Equal as JSON, with floats equal to 1e-12 relative: serde_json without its
/// `float_roundtrip` feature may read a printed float back one ULP off, again and again.
fn same_json(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) if x.is_f64() || y.is_f64() => {
            let (x, y) = (
                x.as_f64().unwrap_or(f64::NAN),
                y.as_f64().unwrap_or(f64::NAN),
            );
            x == y || (x - y).abs() <= 1e-12 * x.abs().max(y.abs())
        }
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(x, y)| same_json(x, y))
        }
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len()
                && x.iter()
                    .all(|(k, v)| y.get(k).is_some_and(|w| same_json(v, w)))
        }
        _ => a == b,
    }
}

/// Decodes `runs` mutants of `base` as `T`: never a panic. A success formats, serializes and
/// decodes again; one more round trip then changes nothing (floats compared to 1e-12). The
/// first may change the value (counted as `normalized`, see RELIABILITY.md): a verification
/// recognised by its `strategy` serializes `"object": null`, which then decodes as `Unknown`,
/// and a float may come back one ULP off.
fn run<T>(name: &str, base: &str, runs: usize, first_seed: u64) -> Outcome
where
    T: DeserializeOwned + Serialize + PartialEq + Debug,
{
    serde_json::from_str::<T>(base).unwrap_or_else(|e| panic!("{name}: the fixture: {e}"));
    let mut outcome = Outcome::default();
    for i in 0..runs as u64 {
        let seed = first_seed + i;
        let input = mutant(base.as_bytes(), seed);
        let result = catch_unwind(AssertUnwindSafe(|| {
            match serde_json::from_slice::<T>(&input) {
                Ok(value) => {
                    let _ = format!("{value:?}");
                    let round_trip = |v: &T| -> T {
                        let text = serde_json::to_vec(v).expect("a decoded model serializes");
                        serde_json::from_slice(&text).expect("and decodes again")
                    };
                    let json = |v: &T| serde_json::to_value(v).expect("serializes");
                    let back = round_trip(&value);
                    let again = round_trip(&back);
                    let stable = again == back || same_json(&json(&again), &json(&back));
                    assert!(stable, "the round trip is not stable");
                    Ok(back == value)
                }
                Err(e) => Err(e.to_string()),
            }
        }));
        match result {
            Ok(Ok(same)) => {
                outcome.ok += 1;
                outcome.normalized += usize::from(!same);
            }
            Ok(Err(e)) => {
                outcome.rejected += 1;
                if e.contains("recursion limit exceeded") {
                    outcome.recursion_limit += 1;
                }
            }
            Err(_) => panic!(
                "{name}: seed {seed} panicked on {}",
                String::from_utf8_lossy(&input)
            ),
        }
    }
    outcome
}

fn organization_list() -> String {
    format!(
        r#"{{"data":[{},{}],"total_count":2}}"#,
        fixtures::ORGANIZATION,
        fixtures::ORGANIZATION_WITH_LOGO
    )
}

/// Every shape, `runs` mutants in all; returns the total decoded and the outcomes by shape.
fn all_shapes(runs: usize) -> usize {
    let share = runs / 8;
    let users = fixtures::users_page(&["user_1", "user_2"]);
    let orgs = organization_list();
    let outcomes = [
        ("User", run::<User>("User", fixtures::USER, share * 2, 0)),
        (
            "User (compact)",
            run::<User>("User", &fixtures::user_with_id("u"), share, 1 << 32),
        ),
        (
            "Organization",
            run::<Organization>("Organization", fixtures::ORGANIZATION, share, 2 << 32),
        ),
        (
            "OrganizationWithLogo",
            run::<OrganizationWithLogo>(
                "OrganizationWithLogo",
                fixtures::ORGANIZATION_WITH_LOGO,
                share / 2,
                3 << 32,
            ),
        ),
        ("[User]", run::<Vec<User>>("[User]", &users, share, 4 << 32)),
        (
            "{data, total_count}",
            run::<ListOf<Organization>>("{data,total_count}", &orgs, share, 5 << 32),
        ),
        (
            "errors",
            run::<Errors>("errors", fixtures::ERROR_UNPROCESSABLE, share, 6 << 32),
        ),
        (
            "errors (404)",
            run::<Errors>("errors", fixtures::ERROR_NOT_FOUND, share / 2, 7 << 32),
        ),
        (
            "DeletedObject",
            run::<DeletedObject>("DeletedObject", fixtures::DELETED_USER, share / 2, 8 << 32),
        ),
    ];
    let mut total = 0;
    let mut deep = 0;
    for (name, o) in &outcomes {
        let n = o.ok + o.rejected;
        total += n;
        deep += o.recursion_limit;
        // The mutator does something, and not only fatal things.
        assert!(o.ok > 0 && o.rejected > 0, "{name}: {o:?}");
        eprintln!("{name}: {n} mutants, {o:?}");
    }
    assert!(deep > 0, "no mutant hit the recursion limit");
    total
}

#[test]
fn mutated_bodies_never_panic_the_decoder() {
    let total = all_shapes(NORMAL_RUNS);
    assert!(total >= 5_000, "{total}");
    eprintln!("{total} mutants decoded");
}

#[test]
#[ignore = "long run: cargo test --test mutation -- --ignored"]
fn mutated_bodies_never_panic_the_decoder_long_run() {
    let total = all_shapes(LONG_RUNS);
    assert!(total >= 100_000, "{total}");
    eprintln!("{total} mutants decoded");
}

#[test]
fn the_mutator_is_deterministic() {
    let base = fixtures::USER.as_bytes();
    for seed in [0, 1, 99, 1 << 40] {
        assert_eq!(mutant(base, seed), mutant(base, seed));
    }
    assert_ne!(mutant(base, 1), mutant(base, 2));
}

// ---------------------------------------------------------------------------
// Deep nesting
// ---------------------------------------------------------------------------

/// Runs `f` on a thread with a quarter of the default 2 MiB test stack: the recursion limit
/// must hold with room to spare.
fn on_small_stack(f: impl FnOnce() + Send + 'static) {
    std::thread::Builder::new()
        .stack_size(512 * 1024)
        .spawn(f)
        .expect("spawn")
        .join()
        .expect("no overflow, no panic");
}

/// Deep input where the model accepts any depth (metadata, skipped unknown fields, buffered
/// unions): refused by the recursion limit.
fn assert_recursion_limit<T: DeserializeOwned + Debug>(what: &str, body: &str) {
    let e = serde_json::from_str::<T>(body).expect_err(what);
    assert!(
        e.to_string().contains("recursion limit exceeded"),
        "{what}: {e}"
    );
}

/// Deep input where the model wants something else at the top: refused at once.
fn assert_refused<T: DeserializeOwned + Debug>(what: &str, body: &str) {
    let e = serde_json::from_str::<T>(body).expect_err(what);
    assert!(e.is_data() || e.is_syntax(), "{what}: {e}");
}

#[test]
fn deep_nesting_is_refused_by_the_recursion_limit() {
    on_small_stack(|| {
        let deep_array = nested(100_000, "1", false);
        let deep_object = nested(100_000, "1", true);
        let user = fixtures::user_with_id("user_1");
        let in_field = |field: &str, deep: &str| {
            user.replacen(
                &format!(r#""{field}":"#),
                &format!(r#""{field}":{deep},"x":"#),
                1,
            )
        };
        for deep in [&deep_array, &deep_object] {
            assert_refused::<User>("top level", deep);
            assert_refused::<Vec<User>>("list", deep);
            // Free-form metadata and buffered unions recurse: the limit stops them.
            assert_recursion_limit::<User>("metadata", &in_field("public_metadata", deep));
            // An unknown field is skipped without recursion (serde_json walks it with a
            // loop), so any depth is fine there, even on this small stack.
            let skipped: User = serde_json::from_str(&format!(r#"{{"zzz":{deep},{}"#, &user[1..]))
                .expect("an unknown deep field is skipped");
            assert_eq!(skipped.id, "user_1");
            assert_recursion_limit::<User>("union", &in_field("verification", deep));
            assert_recursion_limit::<Errors>(
                "error meta",
                &format!(r#"{{"errors":[{{"meta":{deep}}}]}}"#),
            );
            assert_refused::<ListOf<Organization>>("list", &format!(r#"{{"data":{deep}}}"#));
            assert_recursion_limit::<Value>("any JSON", deep);
        }
        // Under the limit is fine.
        let mut ok: Value = serde_json::from_str(&user).unwrap();
        ok["public_metadata"] = serde_json::from_str(&nested(120, "1", true)).unwrap();
        let decoded: User = serde_json::from_str(&ok.to_string()).unwrap();
        assert_eq!(decoded.id, "user_1");
    });
}

#[test]
fn deep_nesting_through_the_api_is_a_typed_error() {
    let deep = nested(100_000, "1", false);
    let mock = MockServer::start();
    mock.on("GET", "/users/user_1")
        .reply(Reply::json(200, deep.clone()));
    mock.on("POST", "/users").reply(Reply::json(
        422,
        format!(r#"{{"errors":[{{"code":"c","message":"m","meta":{deep}}}]}}"#),
    ));
    let clerk = client(&mock);
    on_small_stack(move || {
        let e = clerk.users().get("user_1").send().unwrap_err();
        assert!(matches!(e, Error::Decode(_)), "{e:?}");
        // An error body too deep to parse still gives the API error, with an excerpt.
        let e = clerk.users().create().send().unwrap_err();
        assert_eq!(e.status(), Some(422));
        assert!(e.api_error().unwrap().body_excerpt().is_some());
    });
}

// ---------------------------------------------------------------------------
// Through the public API
// ---------------------------------------------------------------------------

/// A value planted in the bodies; no error may ever show it.
const MARKER: &str = "MUTMARKER7";

fn client(mock: &MockServer) -> Clerk {
    Clerk::builder(common::KEY)
        .server_url(mock.url())
        .clock(FakeClock::new())
        .retry_policy(RetryPolicy::none())
        .build()
        .unwrap()
}

/// Serves `API_RUNS` mutants in order from one route and checks each `send()`.
fn through_the_api(
    method: &str,
    status: u16,
    base: &str,
    seed: u64,
    check: impl Fn(&Clerk, &[u8]),
) {
    let mock = MockServer::start();
    mock.set_recording(false);
    let path = if method == "POST" {
        "/users"
    } else {
        "/users/user_1"
    };
    let route = mock.on(method, path);
    let mutants: Vec<Vec<u8>> = (0..API_RUNS as u64)
        .map(|i| mutant(base.as_bytes(), seed + i))
        .collect();
    for body in &mutants {
        route.reply(Reply::bytes(status, body.clone()).header("content-type", "application/json"));
    }
    let clerk = client(&mock);
    for body in &mutants {
        check(&clerk, body);
    }
    assert_eq!(mock.request_count(), API_RUNS);
}

#[test]
fn mutated_bodies_through_send_give_a_model_or_a_typed_error() {
    // The marker sits in string values after a quote and a backquote, so a redaction that
    // stops at either would show it.
    let planted = fixtures::user_with_id("user_1")
        .replace(r#""Jane""#, &format!(r#""J\"a`n{MARKER}e""#))
        .replace(r#""Doe""#, &format!(r#""{MARKER}""#));
    assert!(serde_json::from_str::<User>(&planted).is_ok());
    let shown = |e: &Error, body: &[u8]| {
        let text = error_text(e);
        assert!(
            !text.contains(MARKER),
            "an error shows a body value: {text}\nbody: {}",
            String::from_utf8_lossy(body)
        );
    };

    through_the_api("GET", 200, &planted, 1 << 48, |clerk, body| {
        match clerk.users().get("user_1").send() {
            Ok(user) => {
                let _ = format!("{user:?}");
            }
            Err(e @ Error::Decode(_)) => {
                assert_eq!(e.status(), Some(200));
                shown(&e, body);
            }
            Err(other) => panic!("{other:?} for {}", String::from_utf8_lossy(body)),
        }
    });

    let error_body = fixtures::ERROR_UNPROCESSABLE.replace("That email", MARKER);
    through_the_api("POST", 422, &error_body, 2 << 48, |clerk, body| {
        let e = clerk.users().create().send().unwrap_err();
        // Whatever the body, a 422 is the API error with that status.
        assert!(matches!(e, Error::Api(_)), "{e:?}");
        assert_eq!(e.status(), Some(422));
        let _ = error_text(&e);
        let _ = body;
    });
}

//! `[[fix]]` entries of `overrides.toml` and the conformance calls' values.

use serde_json::{Value, json};
use xtask::Overrides;

fn spec() -> Value {
    json!({
        "openapi": "3.0.3",
        "info": {"title": "t", "version": "fixture"},
        "paths": {"/keys": {"post": {
            "operationId": "CreateKey",
            "x-speakeasy-group": "keys",
            "x-speakeasy-name-override": "create",
            "summary": "Create a key.",
            "parameters": [{"name": "owner", "in": "query", "required": true,
                "schema": {"type": "string", "pattern": "^user_\\w+$"}}],
            "responses": {"200": {"description": "ok", "content": {"application/json": {
                "schema": {"type": "object", "properties": {"id": {"type": "string"}}}}}}}
        }}}
    })
}

fn overrides(extra: &str) -> Overrides {
    Overrides::parse(&format!("[samples]\n'^user_\\w+$' = \"user_1\"\n{extra}")).unwrap()
}

#[test]
fn a_fix_moves_sets_and_removes() {
    let ov = overrides(
        r#"
[[fix]]
kind = "spec"
pointer = "/paths/~1keys/post/responses/201"
from = "/paths/~1keys/post/responses/200"
why = "answers 201"

[[fix]]
kind = "spec"
pointer = "/paths/~1keys/post/summary"
value = "Changed."
why = "test"

[[fix]]
kind = "prism"
pointer = "/paths/~1keys/post/x-speakeasy-name-override"
remove = true
why = "test"
"#,
    );
    let mut s = spec();
    for f in &ov.fix {
        f.apply(&mut s).unwrap();
    }
    let op = &s["paths"]["/keys"]["post"];
    assert!(op["responses"].get("200").is_none());
    assert_eq!(op["responses"]["201"]["description"], "ok");
    assert_eq!(op["summary"], "Changed.");
    assert!(op.get("x-speakeasy-name-override").is_none());
}

#[test]
fn a_fix_that_finds_nothing_is_an_error() {
    for fix in [
        "pointer = \"/paths/~1nope/get/summary\"\nvalue = \"x\"",
        "pointer = \"/paths/~1keys/post/nothing\"\nremove = true",
        "pointer = \"/paths/~1keys/post/x\"\nfrom = \"/paths/~1keys/post/missing\"",
        "pointer = \"/paths/~1keys/post/x\"\nvalue = 1\nremove = true",
    ] {
        let ov = overrides(&format!("[[fix]]\nkind = \"spec\"\nwhy = \"t\"\n{fix}"));
        let err = ov.fix[0].apply(&mut spec()).unwrap_err();
        assert!(err.contains("overrides.toml fix"), "{fix}: {err}");
    }
}

#[test]
fn the_generator_uses_the_fixed_spec_and_serves_it_to_the_conformance_suite() {
    let ov = overrides(
        "[[fix]]\nkind = \"spec\"\npointer = \"/paths/~1keys/post/summary\"\nvalue = \"Fixed summary.\"\nwhy = \"t\"\n",
    );
    let out = xtask::generate(&spec(), &ov).unwrap();
    let text = |p: &str| {
        out.files
            .iter()
            .find(|(path, _)| path.ends_with(p))
            .map(|(_, t)| t.clone())
            .unwrap()
    };
    assert!(text("src/generated/keys.rs").contains("/// Fixed summary."));
    // The conformance suite serves the fixed spec, written as JSON next to its calls.
    let served: Value = serde_json::from_str(&text(xtask::FIXED_SPEC)).unwrap();
    assert_eq!(
        served["paths"]["/keys"]["post"]["summary"],
        "Fixed summary."
    );
    let mut fixed = spec();
    ov.fix[0].apply(&mut fixed).unwrap();
    assert_eq!(served, fixed);
    let calls = text("tests/conformance/calls.rs");
    // The required pattern parameter gets its sample.
    assert!(calls.contains(".create(\"user_1\")"), "{calls}");
}

#[test]
fn a_pattern_without_a_sample_stops_the_generator() {
    let ov = Overrides::parse("").unwrap();
    let err = match xtask::generate(&spec(), &ov) {
        Ok(_) => panic!("generated without a sample for the pattern"),
        Err(e) => e,
    };
    assert!(
        err.contains("no sample for pattern") && err.contains("[samples]"),
        "{err}"
    );
}

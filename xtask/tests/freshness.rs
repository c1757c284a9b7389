//! The checked-in generated code is what the generator makes of the vendored spec today
//! (the rust-analyzer pattern: `cargo test` fails on stale output). The spec, the overlay and
//! the overrides are all in the repository, so this never skips: a missing or unreadable
//! input is a failure, locally as in CI.

#[test]
fn generated_code_is_fresh() {
    let root = xtask::root();
    let (value, overrides) = xtask::load(&root).unwrap_or_else(|e| panic!("{e}"));
    let out = xtask::generate(&value, &overrides).unwrap();
    let stale = xtask::stale(&root, &out).unwrap();
    assert!(
        stale.is_empty(),
        "generated code is stale, run `cargo xtask codegen`: {}",
        stale.join(", ")
    );
}

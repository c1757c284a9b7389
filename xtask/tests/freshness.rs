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

#[test]
fn generated_root_names_do_not_collide_with_hand_written_ones() {
    let root = xtask::root();
    let (value, overrides) = xtask::load(&root).unwrap_or_else(|e| panic!("{e}"));
    let out = xtask::generate(&value, &overrides).unwrap();
    assert!(
        out.root_names.iter().any(|n| n == "svix"),
        "{:?}",
        out.root_names
    );
    xtask::check_root_names(&root, &out).unwrap_or_else(|e| panic!("{e}"));
}

//! The checked-in generated code is what the generator makes of the spec today
//! (the rust-analyzer pattern: `cargo test` fails on stale output).

#[test]
fn generated_code_is_fresh() {
    let spec = xtask::spec_path();
    if !spec.exists() {
        let msg = format!(
            "the spec is not at {} (set CLERK_OPENAPI_SPEC); freshness not checked",
            spec.display()
        );
        if std::env::var_os("CI").is_some() {
            panic!("{msg}");
        }
        eprintln!("notice: {msg}");
        return;
    }
    let (value, overrides) = xtask::load(&spec).unwrap();
    let out = xtask::generate(&value, &overrides).unwrap();
    let stale = xtask::stale(&xtask::root(), &out).unwrap();
    assert!(
        stale.is_empty(),
        "generated code is stale, run `cargo xtask codegen`: {}",
        stale.join(", ")
    );
}

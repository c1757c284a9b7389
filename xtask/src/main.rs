//! `cargo xtask codegen [--check]`: regenerates `src/generated/` and the README's operation
//! list from the spec (`CLERK_OPENAPI_SPEC`, default `../shared/clerk-api/...`).

use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let check = args.iter().any(|a| a == "--check");
    match args.first().map(String::as_str) {
        Some("codegen") => match run(check) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("error: {e}");
                ExitCode::FAILURE
            }
        },
        _ => {
            eprintln!("usage: cargo xtask codegen [--check]");
            ExitCode::from(2)
        }
    }
}

fn run(check: bool) -> Result<(), String> {
    let root = xtask::root();
    let spec = xtask::spec_path();
    let (value, overrides) = xtask::load(&spec)?;
    let out = xtask::generate(&value, &overrides)?;
    for n in &out.notices {
        eprintln!("notice: {n}");
    }
    if check {
        let stale = xtask::stale(&root, &out)?;
        if !stale.is_empty() {
            return Err(format!(
                "generated code is stale, run `cargo xtask codegen`: {}",
                stale.join(", ")
            ));
        }
        eprintln!("generated code is up to date ({} files)", out.files.len());
    } else {
        let changed = xtask::write(&root, &out)?;
        eprintln!("{} files generated, {changed} changed", out.files.len());
    }
    Ok(())
}

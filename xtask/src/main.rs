//! `cargo xtask codegen [--check]`: regenerates `src/generated/`, `tests/conformance/` and the
//! README's operation list from the spec vendored in `spec/`.
//! `cargo xtask update-spec <file>`: vendors a newer spec version, regenerates, and prints
//! what changed for CHANGELOG.md.
//! `cargo xtask effective-spec`: prints the vendored spec with `spec/overlay.yml` applied
//! (JSON), to compare with what Clerk's own SDK tooling makes of it.

use std::path::Path;
use std::process::ExitCode;

const USAGE: &str =
    "usage: cargo xtask codegen [--check] | update-spec <file.yml> | effective-spec";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.iter().map(String::as_str).collect::<Vec<_>>()[..] {
        ["codegen"] => codegen(false),
        ["codegen", "--check"] => codegen(true),
        ["update-spec", file] => update_spec(Path::new(file)),
        ["effective-spec"] => effective_spec(),
        _ => {
            eprintln!("{USAGE}");
            return ExitCode::from(2);
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

fn codegen(check: bool) -> Result<(), String> {
    let root = xtask::root();
    let (value, overrides) = xtask::load(&root)?;
    let out = xtask::generate(&value, &overrides)?;
    xtask::check_root_names(&root, &out)?;
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

fn update_spec(file: &Path) -> Result<(), String> {
    let root = xtask::root();
    let u = xtask::update::update_spec(&root, file)?;
    eprintln!(
        "vendored {} ({} bytes) in place of {}; {} generated files changed",
        u.new_file.display(),
        u.bytes,
        u.old_file.display(),
        u.changed
    );
    eprintln!(
        "next: update the source table of spec/README.md (upstream commit, sha256: `sha256sum {}`), \
         spec/operations.tsv and, for a new API version, API_VERSION in src/client.rs; \
         then run `cargo test --workspace --all-features` and add the lines below to CHANGELOG.md:\n",
        u.new_file.display()
    );
    print!("{}", u.changelog);
    Ok(())
}

fn effective_spec() -> Result<(), String> {
    let root = xtask::root();
    let (value, _) = xtask::load(&root)?;
    print!("{}", xtask::spec_json(&value));
    Ok(())
}

//! One small spec per awkward construct, with the generator's whole output checked in next to
//! it (`<name>.expected.rs`), so a generator change shows up as a readable diff.
//! `UPDATE_EXPECT=1 cargo test -p xtask --test fixtures` rewrites the expected files.

use std::path::Path;

fn output_of(spec: &Path) -> String {
    let text = std::fs::read_to_string(spec).unwrap();
    let value: serde_json::Value = serde_json::from_str(&text).unwrap();
    let overrides = xtask::Overrides::parse("[sensitive]\nfields = [\"password\"]\n").unwrap();
    let out =
        xtask::generate(&value, &overrides).unwrap_or_else(|e| panic!("{}: {e}", spec.display()));
    let mut all = String::new();
    // The fixed spec (the input, pretty-printed) is left out: it would only repeat the fixture.
    for (path, text) in out
        .files
        .iter()
        .filter(|(p, _)| p != Path::new(xtask::FIXED_SPEC))
    {
        all.push_str(&format!("// ==== {} ====\n{text}\n", path.display()));
    }
    all.push_str(&format!(
        "// ==== README.md list ====\n/*\n{}*/\n",
        out.readme_list
    ));
    all
}

#[test]
fn every_fixture_generates_its_expected_output() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let update = std::env::var_os("UPDATE_EXPECT").is_some();
    let mut specs: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    specs.sort();
    assert!(specs.len() >= 9, "fixtures missing: {specs:?}");
    let mut differ = Vec::new();
    for spec in specs {
        let got = output_of(&spec);
        let expected_path = spec.with_extension("expected.rs");
        if update {
            std::fs::write(&expected_path, &got).unwrap();
            continue;
        }
        let expected = std::fs::read_to_string(&expected_path).unwrap_or_default();
        if expected.replace("\r\n", "\n") != got {
            differ.push(expected_path.display().to_string());
        }
    }
    assert!(
        differ.is_empty(),
        "generator output changed for {differ:?}; review with UPDATE_EXPECT=1 and git diff"
    );
}

#[test]
fn two_runs_give_identical_bytes() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let spec = dir.join("tagged_oneof.json");
    assert_eq!(output_of(&spec), output_of(&spec));
}

//! `cargo xtask update-spec`: on a throw-away copy of a tiny repository (fixture spec pair in
//! `tests/fixtures/update/`), the new version is vendored in place of the old, the generated
//! code is regenerated (and fresh afterwards), and the printed changes are exactly what
//! differs between the two fixtures. A new version the overlay no longer fits changes nothing.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/update")
        .join(name)
}

/// A scratch repository, removed on drop.
struct Repo(PathBuf);

impl Drop for Repo {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// A repository with the old fixture spec vendored and its code generated.
fn repo() -> Repo {
    static N: AtomicUsize = AtomicUsize::new(0);
    let root = std::env::temp_dir().join(format!(
        "xtask-update-spec-{}-{}",
        std::process::id(),
        N.fetch_add(1, Ordering::Relaxed)
    ));
    let _ = std::fs::remove_dir_all(&root);
    let repo = Repo(root.clone());
    for dir in ["spec", "xtask", "src/generated", "tests/conformance"] {
        std::fs::create_dir_all(root.join(dir)).unwrap();
    }
    std::fs::copy(
        fixture("bapi-2026-01-01.yml"),
        root.join("spec/bapi-2026-01-01.yml"),
    )
    .unwrap();
    std::fs::copy(fixture("overlay.yml"), root.join(xtask::OVERLAY)).unwrap();
    std::fs::write(root.join("xtask/overrides.toml"), "").unwrap();
    std::fs::write(
        root.join("OPERATIONS.md"),
        format!("# r\n{}\n{}\n", xtask::README_START, xtask::README_END),
    )
    .unwrap();
    std::fs::write(
        root.join("ARCHITECTURE.md"),
        format!("# a\n{}\n{}\n", xtask::FIXES_START, xtask::FIXES_END),
    )
    .unwrap();
    let (spec, ov) = xtask::load(&root).unwrap();
    let out = xtask::generate(&spec, &ov).unwrap();
    xtask::write(&root, &out).unwrap();
    repo
}

fn stale(root: &Path) -> Vec<String> {
    let (spec, ov) = xtask::load(root).unwrap();
    let out = xtask::generate(&spec, &ov).unwrap();
    xtask::stale(root, &out).unwrap()
}

const CHANGES: &str = "\
- Clerk Backend API spec 2026-01-01 → 2026-02-01 (`cargo xtask update-spec`).
- Operations added:
  - `organizations.list` (`GET /organizations`, `ListOrganizations`)
- Operations removed:
  - `users.delete` (`DELETE /users/{user_id}`, `DeleteUser`)
- Operations renamed:
  - `users.get` (`GetUser`) → `users.retrieve` (`GET /users/{user_id}`, `GetUser`)
- Parameters and body fields:
  - `users.list`: added `limit`
  - `widgets.create`: added `body.color`
- Models added:
  - `models::Organization`
- Models removed:
  - `models::Legacy`
- Model fields:
  - `User`: added `email`; removed `legacy_flag`
- Enum values:
  - `Status`: added `locked`
";

#[test]
fn update_spec_vendors_regenerates_and_lists_the_changes() {
    let repo = repo();
    let root = &repo.0;
    assert!(stale(root).is_empty());
    let users_before = std::fs::read_to_string(root.join("src/generated/users.rs")).unwrap();
    assert!(users_before.contains("pub fn get("), "{users_before}");

    let u = xtask::update::update_spec(root, &fixture("bapi-2026-02-01.yml")).unwrap();
    assert_eq!(u.changelog, CHANGES, "\n{}", u.changelog);
    assert_eq!(u.old_file, Path::new("spec/bapi-2026-01-01.yml"));
    assert_eq!(u.new_file, Path::new("spec/bapi-2026-02-01.yml"));
    assert!(u.changed > 0);

    // Vendored byte for byte, in place of the old version.
    assert!(!root.join("spec/bapi-2026-01-01.yml").exists());
    assert_eq!(
        std::fs::read(root.join("spec/bapi-2026-02-01.yml")).unwrap(),
        std::fs::read(fixture("bapi-2026-02-01.yml")).unwrap()
    );
    // Regenerated from the new version, with the overlay applied, and fresh.
    assert!(stale(root).is_empty());
    let users = std::fs::read_to_string(root.join("src/generated/users.rs")).unwrap();
    assert!(users.contains("pub fn retrieve("), "{users}");
    assert!(!users.contains("pub fn delete("), "{users}");
    assert!(root.join("src/generated/organizations.rs").exists());
    let served = std::fs::read_to_string(root.join(xtask::FIXED_SPEC)).unwrap();
    assert!(served.contains("\"version\": \"2026-02-01\""));
    assert!(
        !served.contains("\"internal\""),
        "the overlay was not applied"
    );
    assert!(served.contains("\"email\""));
}

#[test]
fn the_same_version_again_reports_no_change() {
    let repo = repo();
    let u = xtask::update::update_spec(&repo.0, &fixture("bapi-2026-01-01.yml")).unwrap();
    assert_eq!(u.changed, 0);
    assert_eq!(
        u.changelog,
        "- Clerk Backend API spec 2026-01-01 → 2026-01-01 (`cargo xtask update-spec`).\n\
         - No change to operations, models, fields or enum values.\n"
    );
    assert!(repo.0.join("spec/bapi-2026-01-01.yml").exists());
}

#[test]
fn a_version_the_overlay_does_not_fit_changes_nothing() {
    let repo = repo();
    let root = &repo.0;
    let text = std::fs::read_to_string(fixture("bapi-2026-02-01.yml"))
        .unwrap()
        .replace("        internal:\n", "        internal_renamed:\n");
    let new = root.join("incoming.yml");
    std::fs::write(&new, text).unwrap();
    let before = std::fs::read_to_string(root.join("src/generated/users.rs")).unwrap();

    let err = match xtask::update::update_spec(root, &new) {
        Ok(_) => panic!("updated although the overlay's target is gone"),
        Err(e) => e,
    };
    assert!(
        err.contains("spec/overlay.yml action #0") && err.contains("selects nothing"),
        "{err}"
    );
    assert!(root.join("spec/bapi-2026-01-01.yml").exists());
    assert!(!root.join("spec/bapi-2026-02-01.yml").exists());
    assert_eq!(
        std::fs::read_to_string(root.join("src/generated/users.rs")).unwrap(),
        before
    );
    assert!(stale(root).is_empty());
}

//! `clerk_backend_api::OPERATIONS` against `spec/operations.tsv`, row by row: the same
//! operations with the same group, method, HTTP method, path, operation id and deprecation.
//! Rows whose names the TSV marks as derived carry the name from `overrides.toml` instead.
//!
//! The TSV was made from the effective spec by a tool independent of this generator (see
//! spec/README.md), so this is a second opinion on the generator's naming. It describes one
//! spec version: after `cargo xtask update-spec` it must be brought up to date by hand.

use clerk_backend_api::OPERATIONS;

#[test]
fn operations_table_matches_operations_tsv() {
    let path = xtask::root().join("spec/operations.tsv");
    let tsv = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let overrides = xtask::Overrides::parse(
        &std::fs::read_to_string(xtask::root().join("xtask/overrides.toml")).unwrap(),
    )
    .unwrap();
    let mut lines = tsv.lines();
    let header: Vec<&str> = lines.next().unwrap().split('\t').collect();
    let col = |name: &str| header.iter().position(|h| *h == name).unwrap();
    let mut rows: Vec<(String, String, String, String, String, bool)> = Vec::new();
    for line in lines.filter(|l| !l.is_empty()) {
        let f: Vec<&str> = line.split('\t').collect();
        let op_id = f[col("operation_id")].to_owned();
        let method = if f[col("derived")].contains("method") {
            overrides
                .methods
                .get(&op_id)
                .unwrap_or_else(|| panic!("{op_id}: a derived name without an override"))
                .clone()
        } else {
            f[col("method")].to_owned()
        };
        rows.push((
            f[col("group")].to_owned(),
            method,
            f[col("http_method")].to_owned(),
            f[col("path")].to_owned(),
            op_id,
            f[col("deprecated")] == "true",
        ));
    }
    rows.sort();
    assert_eq!(rows.len(), 249);
    assert_eq!(OPERATIONS.len(), rows.len());
    for (op, row) in OPERATIONS.iter().zip(&rows) {
        let got = (
            op.group.to_owned(),
            op.method.to_owned(),
            op.http_method.to_owned(),
            op.path.to_owned(),
            op.operation_id.to_owned(),
            op.deprecated,
        );
        assert_eq!(&got, row);
    }
    // The example the issue gives.
    assert!(
        OPERATIONS
            .iter()
            .any(|o| o.group == "admin_portal_link_tokens" && o.method == "create")
    );
}

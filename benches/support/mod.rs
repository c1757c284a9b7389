//! What the benchmarks share.

/// The command line's arguments without flags (`cargo bench` passes `--bench`).
pub fn positional_args() -> Vec<String> {
    std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with("--"))
        .collect()
}

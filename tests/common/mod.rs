//! Helpers shared by the CLI tests.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

/// The repository root.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A `tkg` command ready to run from the repository root.
pub fn tkg() -> assert_cmd::Command {
    let mut cmd = assert_cmd::Command::cargo_bin("tkg").unwrap();
    cmd.current_dir(root());
    cmd
}

/// Writes `bytes` to `name` inside `dir` and returns the path.
pub fn write(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, bytes).unwrap();
    p
}

/// Compares `actual` with the golden file at `path`; with `UPDATE_GOLDEN=1` (or when the
/// file is missing) writes it instead.
pub fn golden(path: &Path, actual: &str) {
    if std::env::var_os("UPDATE_GOLDEN").is_some() || !path.exists() {
        std::fs::write(path, actual).unwrap();
        return;
    }
    let expected = std::fs::read_to_string(path).unwrap();
    assert!(
        expected == actual,
        "{} differs from the output; rerun with UPDATE_GOLDEN=1 (or scripts/build_examples.sh) if the change is intended",
        path.display()
    );
}

/// A python interpreter with the consumer packages, from `TKG_PYTHON` (set by .ci/run).
/// Outside CI, tests that need it are skipped with a note; in CI (`CI` set) it must exist.
pub fn consumer_python() -> Option<String> {
    match std::env::var("TKG_PYTHON") {
        Ok(p) => Some(p),
        Err(_) if std::env::var_os("CI").is_some() => {
            panic!("CI is set but TKG_PYTHON is not: run through .ci/run")
        }
        Err(_) => {
            eprintln!("note: TKG_PYTHON not set, consumer check skipped (run .ci/run)");
            None
        }
    }
}

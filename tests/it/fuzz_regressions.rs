//! Every committed fuzz seed (`tests/fuzz/seeds/<target>/`) and every input
//! the fuzzers found a bug with (`tests/fixtures/fuzz/<target>/`) through the
//! exact check its target runs (`tests/fuzz/checks.rs`): a found input stays
//! fixed once a file for it is dropped in the folder.

use std::fs;
use std::path::{Path, PathBuf};

#[path = "../fuzz/checks.rs"]
mod checks;

/// The files of `tests/fuzz/seeds/<target>/` and `tests/fixtures/fuzz/<target>/`.
fn inputs(target: &str) -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    for dir in ["tests/fuzz/seeds", "tests/fixtures/fuzz"] {
        let Ok(entries) = fs::read_dir(root.join(dir).join(target)) else {
            continue;
        };
        files.extend(entries.map(|e| e.unwrap().path()).filter(|p| p.is_file()));
    }
    files.sort();
    files
}

/// Runs `check` on every input of `target`, naming the file that fails.
fn run_all(target: &str, check: fn(&[u8])) {
    let files = inputs(target);
    assert!(!files.is_empty(), "no seeds for {target}");
    for path in files {
        let data = fs::read(&path).unwrap();
        let outcome = std::panic::catch_unwind(|| check(&data));
        assert!(
            outcome.is_ok(),
            "{target}: {} fails its check",
            path.display()
        );
    }
}

#[test]
fn frontmatter_inputs() {
    run_all("frontmatter", checks::frontmatter);
}

#[test]
fn markdown_links_inputs() {
    run_all("markdown_links", checks::markdown_links);
}

#[test]
fn acronyms_inputs() {
    run_all("acronyms", checks::acronyms);
}

#[test]
fn import_text_inputs() {
    run_all("import_text", checks::import_text);
}

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

/// The bytes of one libFuzzer dictionary entry (`"…"` or `name="…"`, with
/// `\\`, `\"` and `\xAB` escapes), or why libFuzzer would refuse the line.
fn dict_entry(line: &str) -> Result<Vec<u8>, String> {
    let quoted = match line.split_once('=') {
        Some((name, rest))
            if !name.is_empty() && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_') =>
        {
            rest
        }
        _ => line,
    };
    let inner = quoted
        .strip_prefix('"')
        .and_then(|s| s.strip_suffix('"'))
        .filter(|s| !s.is_empty())
        .ok_or("not a non-empty quoted string")?;
    let mut bytes = Vec::new();
    let mut rest = inner.bytes();
    while let Some(b) = rest.next() {
        if !(b' '..=b'~').contains(&b) {
            return Err(format!("raw byte {b:#04x}"));
        }
        match b {
            b'"' => return Err("unescaped quote".into()),
            b'\\' => match rest.next() {
                Some(e @ (b'\\' | b'"')) => bytes.push(e),
                Some(b'x') => {
                    let hex: Vec<u8> = rest.by_ref().take(2).collect();
                    let hex = std::str::from_utf8(&hex).unwrap_or("");
                    let value = u8::from_str_radix(hex, 16)
                        .ok()
                        .filter(|_| hex.len() == 2)
                        .ok_or("bad \\x escape")?;
                    bytes.push(value);
                }
                _ => return Err("bad escape".into()),
            },
            _ => bytes.push(b),
        }
    }
    Ok(bytes)
}

/// The dictionaries CONTRIBUTING.md's fuzzing commands pass with `-dict=` parse
/// as libFuzzer reads them (it refuses a whole file for one bad line), hold
/// no entry twice, and each names a target's tokens (YAML keys for
/// `frontmatter`, wikilinks for the markdown targets).
#[test]
fn fuzz_dictionaries_parse() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fuzz/dicts");
    for (file, must_hold) in [
        ("frontmatter.dict", &b"title: "[..]),
        ("markdown.dict", &b"[["[..]),
    ] {
        let text = fs::read_to_string(dir.join(file)).unwrap();
        let mut entries = Vec::new();
        for (n, line) in text.lines().enumerate() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let entry = dict_entry(line).unwrap_or_else(|e| panic!("{file}:{}: {e}", n + 1));
            assert!(!entries.contains(&entry), "{file}:{}: entry twice", n + 1);
            entries.push(entry);
        }
        assert!(
            entries.len() >= 20,
            "{file}: only {} entries",
            entries.len()
        );
        assert!(
            entries.iter().any(|e| e == must_hold),
            "{file} lacks {must_hold:?}"
        );
    }
}

#[test]
fn dict_entry_reads_libfuzzer_syntax() {
    assert_eq!(dict_entry(r#""a\x0a\"\\""#), Ok(b"a\n\"\\".to_vec()));
    assert_eq!(dict_entry(r#"kw1="---""#), Ok(b"---".to_vec()));
    assert!(dict_entry(r#""a"b""#).is_err());
    assert!(dict_entry(r#""\x4""#).is_err());
    assert!(dict_entry("\"\u{e9}\"").is_err());
    assert!(dict_entry("plain").is_err());
}

//! Safe re-import: a manifest of what the importer wrote, with content
//! hashes, so that a second run can tell its own untouched pages (rewritten)
//! from pages an editor changed since (left alone and listed, or backed up
//! and overwritten with `--force`). Nothing is ever deleted.
//!
//! The manifest lives in `content/.import-manifest.yaml`; it holds no
//! timestamps or absolute paths, so two imports of the same input write the
//! same bytes.

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use crate::diag::{Diagnostic, Diagnostics};
use crate::yaml;

/// File name of the manifest inside the content directory.
pub const MANIFEST: &str = ".import-manifest.yaml";
/// Suffix of the directory, next to the content directory, that receives
/// `--force` backups (`content` → `content-import-backups/1/…`). Outside
/// `content/` so the build never renders a backup as a page.
pub const BACKUPS: &str = "-import-backups";

/// The backup directory for the content directory `into`.
pub fn backup_dir(into: &Path) -> PathBuf {
    match into.file_name() {
        Some(name) => into.with_file_name(format!("{}{BACKUPS}", name.to_string_lossy())),
        None => into.join(format!(".{BACKUPS}")),
    }
}

/// What the importer wrote last time.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Manifest {
    /// File name of the seed.
    pub seed: String,
    /// SHA-256 of the seed.
    pub seed_sha256: String,
    /// SHA-256 of the decomposition file ("" when there was none).
    pub decomposition_sha256: String,
    /// SHA-256 of every page as written, by path relative to `content/`.
    pub files: BTreeMap<String, String>,
}

/// Hex SHA-256 of `bytes`.
pub fn sha256(bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// What one run did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Outcome {
    /// Pages written (new, or unedited since the last import and changed).
    pub written: Vec<String>,
    /// Pages already identical to what the import produces.
    pub unchanged: Vec<String>,
    /// Pages edited since the last import and left alone.
    pub kept_edited: Vec<String>,
    /// Edited pages backed up (to this path) and overwritten (`--force`).
    pub backed_up: Vec<(String, PathBuf)>,
    /// Pages of an earlier import that this one no longer produces (kept).
    pub orphaned: Vec<String>,
}

enum Action {
    Write,
    Same,
    Keep,
    BackupWrite,
}

fn io_err(path: &Path, e: impl std::fmt::Display) -> Diagnostics {
    Diagnostic::error(path, 0, 0, e.to_string()).into()
}

/// Reads the manifest of `into`, if any.
pub fn read(into: &Path) -> Result<Option<Manifest>, Diagnostics> {
    let path = into.join(MANIFEST);
    match fs::read_to_string(&path) {
        Ok(text) => yaml::from_str::<Manifest>(&text).map(Some).map_err(|e| {
            Diagnostic::error(
                &path,
                e.line,
                e.col,
                format!("import manifest: {}", e.message),
            )
            .with_hint("delete the manifest to treat every existing page as edited")
            .into()
        }),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(io_err(&path, e)),
    }
}

/// Writes `pages` under `into` following the re-import rules, then the new
/// manifest. Everything is planned before the first write.
pub fn apply(
    into: &Path,
    pages: &BTreeMap<String, String>,
    mut manifest: Manifest,
    force: bool,
) -> Result<Outcome, Diagnostics> {
    let old = read(into)?.unwrap_or_default();
    let mut plan = Vec::new();
    for (rel, content) in pages {
        let path = into.join(rel);
        let action = match fs::read(&path) {
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Action::Write,
            Err(e) => return Err(io_err(&path, e)),
            Ok(current) if current == content.as_bytes() => Action::Same,
            Ok(current) => {
                let unedited = old.files.get(rel) == Some(&sha256(&current));
                match (unedited, force) {
                    (true, _) => Action::Write,
                    (false, true) => Action::BackupWrite,
                    (false, false) => Action::Keep,
                }
            }
        };
        plan.push((rel, content, action));
    }
    let mut out = Outcome::default();
    let backup_root = if plan.iter().any(|p| matches!(p.2, Action::BackupWrite)) {
        let root = backup_dir(into);
        let mut n = 1;
        while root.join(n.to_string()).exists() {
            n += 1;
        }
        Some(root.join(n.to_string()))
    } else {
        None
    };
    for (rel, content, action) in plan {
        let path = into.join(rel);
        match action {
            Action::Same => {
                out.unchanged.push(rel.clone());
                manifest
                    .files
                    .insert(rel.clone(), sha256(content.as_bytes()));
            }
            Action::Keep => {
                out.kept_edited.push(rel.clone());
                // Keep the old hash (if any) so the page stays "edited".
                if let Some(h) = old.files.get(rel) {
                    manifest.files.insert(rel.clone(), h.clone());
                }
            }
            Action::Write | Action::BackupWrite => {
                if matches!(action, Action::BackupWrite) {
                    let dest = backup_root.as_ref().expect("planned above").join(rel);
                    if let Some(dir) = dest.parent() {
                        fs::create_dir_all(dir).map_err(|e| io_err(dir, e))?;
                    }
                    fs::copy(&path, &dest).map_err(|e| io_err(&dest, e))?;
                    out.backed_up.push((rel.clone(), dest));
                }
                write_atomic(&path, content.as_bytes())?;
                out.written.push(rel.clone());
                manifest
                    .files
                    .insert(rel.clone(), sha256(content.as_bytes()));
            }
        }
    }
    for (rel, hash) in &old.files {
        if !pages.contains_key(rel) {
            out.orphaned.push(rel.clone());
            manifest.files.insert(rel.clone(), hash.clone());
        }
    }
    let text = yaml::to_string(&manifest).map_err(|e| io_err(&into.join(MANIFEST), e))?;
    let mpath = into.join(MANIFEST);
    if fs::read_to_string(&mpath).ok().as_deref() != Some(text.as_str()) {
        write_atomic(&mpath, text.as_bytes())?;
    }
    Ok(out)
}

/// Writes through a temporary file and a rename, so a page is never left
/// half-written.
fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), Diagnostics> {
    let dir = path.parent().unwrap_or(Path::new("."));
    fs::create_dir_all(dir).map_err(|e| io_err(dir, e))?;
    let tmp = dir.join(format!(
        ".{}.tmp",
        path.file_name().and_then(|n| n.to_str()).unwrap_or("page")
    ));
    let mut f = fs::File::create(&tmp).map_err(|e| io_err(&tmp, e))?;
    f.write_all(bytes).map_err(|e| io_err(&tmp, e))?;
    f.sync_all().map_err(|e| io_err(&tmp, e))?;
    fs::rename(&tmp, path).map_err(|e| io_err(path, e))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pages(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs
            .iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect()
    }

    #[test]
    fn rewrites_unedited_keeps_edited_and_never_deletes() {
        let dir = tempfile::tempdir().unwrap();
        let into = dir.path();
        apply(
            into,
            &pages(&[("a.md", "A1"), ("b.md", "B1"), ("c.md", "C1")]),
            Manifest::default(),
            false,
        )
        .unwrap();
        fs::write(into.join("b.md"), "B edited").unwrap();
        let out = apply(
            into,
            &pages(&[("a.md", "A2"), ("b.md", "B2")]),
            Manifest::default(),
            false,
        )
        .unwrap();
        assert_eq!(out.written, ["a.md"]);
        assert_eq!(out.kept_edited, ["b.md"]);
        assert_eq!(out.orphaned, ["c.md"]);
        assert_eq!(fs::read_to_string(into.join("a.md")).unwrap(), "A2");
        assert_eq!(fs::read_to_string(into.join("b.md")).unwrap(), "B edited");
        assert_eq!(fs::read_to_string(into.join("c.md")).unwrap(), "C1");
        // Still edited on the next run.
        let out = apply(
            into,
            &pages(&[("a.md", "A2"), ("b.md", "B2")]),
            Manifest::default(),
            false,
        )
        .unwrap();
        assert_eq!(out.kept_edited, ["b.md"]);
        assert_eq!(out.unchanged, ["a.md"]);
    }

    #[test]
    fn force_backs_up_then_overwrites() {
        let dir = tempfile::tempdir().unwrap();
        let into = &dir.path().join("content");
        apply(
            into,
            &pages(&[("x/b.md", "B1")]),
            Manifest::default(),
            false,
        )
        .unwrap();
        fs::write(into.join("x/b.md"), "B edited").unwrap();
        let out = apply(into, &pages(&[("x/b.md", "B2")]), Manifest::default(), true).unwrap();
        assert_eq!(out.backed_up.len(), 1);
        assert_eq!(fs::read_to_string(&out.backed_up[0].1).unwrap(), "B edited");
        assert_eq!(
            out.backed_up[0].1,
            dir.path().join("content-import-backups/1/x/b.md")
        );
        assert_eq!(fs::read_to_string(into.join("x/b.md")).unwrap(), "B2");
        // A second forced run keeps the first backup.
        fs::write(into.join("x/b.md"), "B edited again").unwrap();
        let out = apply(into, &pages(&[("x/b.md", "B2")]), Manifest::default(), true).unwrap();
        assert_eq!(
            out.backed_up[0].1,
            dir.path().join("content-import-backups/2/x/b.md")
        );
        assert_eq!(
            fs::read_to_string(dir.path().join("content-import-backups/1/x/b.md")).unwrap(),
            "B edited"
        );
    }

    #[test]
    fn a_page_present_before_any_import_counts_as_edited() {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join("a.md"), "mine").unwrap();
        let out = apply(
            dir.path(),
            &pages(&[("a.md", "A")]),
            Manifest::default(),
            false,
        )
        .unwrap();
        assert_eq!(out.kept_edited, ["a.md"]);
        assert_eq!(fs::read_to_string(dir.path().join("a.md")).unwrap(), "mine");
    }

    #[test]
    fn a_corrupt_manifest_is_an_error_naming_it() {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join(MANIFEST), "seed: [\n").unwrap();
        let e = apply(
            dir.path(),
            &pages(&[("a.md", "A")]),
            Manifest::default(),
            false,
        )
        .unwrap_err();
        assert!(e.to_string().contains(MANIFEST), "{e}");
        assert!(!dir.path().join("a.md").exists());
    }
}

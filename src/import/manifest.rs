//! Safe re-import: a manifest of what the importer wrote, with content
//! hashes, so that a second run can tell its own untouched pages (rewritten)
//! from pages an editor changed since (left alone and listed, or backed up
//! and overwritten with `--force`) or deleted since (left deleted and
//! listed, or written again with `--force`). Nothing is ever deleted, and
//! the content folder is replaced whole or not at all.
//!
//! The manifest lives in `content/.import-manifest.yaml`; it holds no
//! timestamps or absolute paths, so two imports of the same input write the
//! same bytes.

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

use super::stage;
use crate::content::yaml;
use crate::diag::{Diagnostic, Diagnostics};
use crate::output::{self, Staging};

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
    /// Pages an earlier import wrote and someone deleted since: not
    /// written again (`--force` brings them back).
    pub kept_deleted: Vec<String>,
    /// Files and folders created, replaced or deleted in the content folder
    /// while the import ran: carried over into the new folder as the
    /// editor left them (a page the import also wrote is then kept edited).
    pub changed_meanwhile: Vec<String>,
    /// Problems that did not stop the import.
    pub warnings: Diagnostics,
}

enum Action {
    Write,
    KeepDeleted,
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
/// manifest. Everything is planned before the first write, and `into` is
/// replaced as a whole: the new folder is staged beside it and swapped in
/// with one rename (see [`stage`]), so a killed import leaves it as it was or
/// as the import makes it. An import with nothing to change touches nothing.
pub fn apply(
    into: &Path,
    pages: &BTreeMap<String, String>,
    manifest: Manifest,
    force: bool,
) -> Result<Outcome, Diagnostics> {
    apply_with(into, pages, manifest, force, &mut |_| {})
}

/// [`apply`], calling `before_swap` with the content folder once the new
/// one is staged, just before the swap: where tests change the folder as an
/// editor working during the import would.
fn apply_with(
    into: &Path,
    pages: &BTreeMap<String, String>,
    mut manifest: Manifest,
    force: bool,
    before_swap: &mut dyn FnMut(&Path),
) -> Result<Outcome, Diagnostics> {
    let target = stage::target(into)?;
    // Planning and staging under the lock: a concurrent import must neither
    // plan from a folder about to be replaced nor clear our staging folder.
    let _lock = output::lock_beside(&target)?;
    // First, as it may put back the folder itself (see `Staging::commit`).
    output::clear_leftovers(&target);
    let old = read(&target)?.unwrap_or_default();
    let mut plan = Vec::new();
    for (rel, content) in pages {
        let path = target.join(rel);
        let action = match fs::read(&path) {
            // A page the last import wrote is missing only if someone
            // deleted it: on purpose, as far as we can tell.
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                if old.files.contains_key(rel) && !force {
                    Action::KeepDeleted
                } else {
                    Action::Write
                }
            }
            Err(e) => return Err(io_err(&into.join(rel), e)),
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
        if matches!(action, Action::Write | Action::BackupWrite) {
            if let Some(folder) = stage::blocked_folder(&target, rel) {
                let shown = into.join(folder.strip_prefix(&target).unwrap_or(&folder));
                return Err(Diagnostic::error(
                    &shown,
                    0,
                    0,
                    format!(
                        "cannot write {rel} here: this is a symbolic link or a file, and the \
                         import replaces the content folder whole without writing through links"
                    ),
                )
                .with_hint("replace the link by a copy of the folder it points to")
                .into());
            }
        }
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
    let mut writes = Vec::new();
    for (rel, content, action) in plan {
        match action {
            Action::Same => {
                out.unchanged.push(rel.clone());
                manifest
                    .files
                    .insert(rel.clone(), sha256(content.as_bytes()));
            }
            Action::KeepDeleted => {
                out.kept_deleted.push(rel.clone());
                // Its old hash keeps it known, so it stays deleted.
                if let Some(h) = old.files.get(rel) {
                    manifest.files.insert(rel.clone(), h.clone());
                }
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
                    out.backed_up.push((rel.clone(), dest));
                }
                writes.push((rel.as_str(), content.as_bytes()));
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
    let manifest_changed =
        fs::read_to_string(target.join(MANIFEST)).ok().as_deref() != Some(text.as_str());
    if writes.is_empty() && !manifest_changed {
        return Ok(out);
    }

    let staging = Staging::new(&target, "content folder")?;
    let replica = if target.exists() {
        stage::replicate(&target, staging.path())?
    } else {
        stage::Replica::default()
    };
    let mut ours: BTreeSet<PathBuf> = writes.iter().map(|(rel, _)| PathBuf::from(rel)).collect();
    ours.insert(PathBuf::from(MANIFEST));
    for (rel, bytes) in writes {
        stage::write_new(&staging.path().join(rel), bytes)?;
    }
    if manifest_changed {
        stage::write_new(&staging.path().join(MANIFEST), text.as_bytes())?;
    }
    stage::finish(staging.path(), replica.folders)?;
    // The backup is complete before the swap, so an edited page is never
    // overwritten without its copy. A kill between the two leaves a backup
    // of pages that are still in `into` unchanged: harmless.
    let backup = match &backup_root {
        Some(root) => Some(back_up(&target, root, &out.backed_up)?),
        None => None,
    };
    before_swap(&target);
    let mut carried = Vec::new();
    let committed = staging.commit_then(&mut |previous| {
        let failed;
        (carried, failed) = stage::carry_over(previous, &target, &replica.seen, &ours);
        if !failed.is_empty() {
            for d in failed {
                out.warnings.push(d);
            }
            out.warnings.push(keep_aside(previous, &target));
        }
    });
    if let Err(e) = committed {
        if let Some(b) = backup {
            let _ = output::remove_tree(&b);
        }
        return Err(e.into());
    }
    stage::sync_parent(&target);
    for rel in carried {
        let rel = rel.to_string_lossy().into_owned();
        // The editor's save replaced the import's page: it is an edited page.
        if let Some(i) = out.written.iter().position(|w| *w == rel) {
            out.written.remove(i);
            out.kept_edited.push(rel.clone());
            out.kept_edited.sort();
        }
        out.changed_meanwhile.push(rel);
    }
    Ok(out)
}

/// Moves the previous content folder `previous` out of the way of its
/// removal, beside `target`, when something changed in it during the import
/// could not be carried over: so it is not lost. Returns the warning that
/// says where it is.
fn keep_aside(previous: &Path, target: &Path) -> Diagnostic {
    let name = target
        .file_name()
        .map_or_else(|| "content".into(), |n| n.to_string_lossy().into_owned());
    let kept = target.with_file_name(format!("{name}-before-import-{}", std::process::id()));
    match fs::rename(previous, &kept) {
        Ok(()) => Diagnostic::warning(
            &kept,
            0,
            0,
            "the content folder as it was before the import is kept here",
        )
        .with_hint("move what could not be carried over back into it, then delete this folder"),
        Err(e) => Diagnostic::warning(
            previous,
            0,
            0,
            format!("cannot keep the previous content folder: {e}"),
        ),
    }
}

/// Copies the edited pages of `target` to the backup folder `root` — staged
/// too, so it appears complete or not at all. Returns where it is.
fn back_up(
    target: &Path,
    root: &Path,
    pages: &[(String, PathBuf)],
) -> Result<PathBuf, Diagnostics> {
    let root = std::path::absolute(root).map_err(|e| io_err(root, e))?;
    let staging = Staging::new(&root, "backup folder")?;
    for (rel, _) in pages {
        let dest = staging.path().join(rel);
        if let Some(dir) = dest.parent() {
            fs::create_dir_all(dir).map_err(|e| io_err(dir, e))?;
        }
        fs::copy(target.join(rel), &dest).map_err(|e| io_err(&dest, e))?;
    }
    stage::finish(staging.path(), Vec::new())?;
    staging.commit()?;
    stage::sync_parent(&root);
    Ok(root)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::names;

    fn pages(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs
            .iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect()
    }

    /// [`apply`] of `pairs` (path, text), which must succeed.
    fn run(into: &Path, pairs: &[(&str, &str)], force: bool) -> Outcome {
        apply(into, &pages(pairs), Manifest::default(), force).unwrap()
    }

    #[test]
    fn rewrites_unedited_keeps_edited_and_never_deletes() {
        let dir = tempfile::tempdir().unwrap();
        let into = dir.path();
        run(
            into,
            &[("a.md", "A1"), ("b.md", "B1"), ("c.md", "C1")],
            false,
        );
        fs::write(into.join("b.md"), "B edited").unwrap();
        let out = run(into, &[("a.md", "A2"), ("b.md", "B2")], false);
        assert_eq!(out.written, ["a.md"]);
        assert_eq!(out.kept_edited, ["b.md"]);
        assert_eq!(out.orphaned, ["c.md"]);
        assert_eq!(fs::read_to_string(into.join("a.md")).unwrap(), "A2");
        assert_eq!(fs::read_to_string(into.join("b.md")).unwrap(), "B edited");
        assert_eq!(fs::read_to_string(into.join("c.md")).unwrap(), "C1");
        // Still edited on the next run.
        let out = run(into, &[("a.md", "A2"), ("b.md", "B2")], false);
        assert_eq!(out.kept_edited, ["b.md"]);
        assert_eq!(out.unchanged, ["a.md"]);
    }

    #[test]
    fn what_an_editor_changes_while_the_import_runs_stays() {
        let dir = tempfile::tempdir().unwrap();
        let into = dir.path().join("content");
        run(
            &into,
            &[
                ("a.md", "A1"),
                ("b.md", "B1"),
                ("c.md", "C1"),
                ("gone.md", "G"),
            ],
            false,
        );
        fs::write(into.join("mine.md"), "mine").unwrap();
        let out = apply_with(
            &into,
            &pages(&[
                ("a.md", "A2"),
                ("b.md", "B2"),
                ("c.md", "C2"),
                ("gone.md", "G"),
            ]),
            Manifest::default(),
            false,
            &mut |content| {
                // Created, replaced by a rename (as editors save), edited in
                // place, deleted, a new folder: after staging copied the rest.
                fs::write(content.join("new.md"), "new").unwrap();
                fs::write(content.join(".b.md.swp"), "B3").unwrap();
                fs::rename(content.join(".b.md.swp"), content.join("b.md")).unwrap();
                fs::write(content.join("mine.md"), "mine, edited").unwrap();
                fs::write(content.join("c.md"), "C1 edited").unwrap();
                fs::remove_file(content.join("gone.md")).unwrap();
                fs::create_dir_all(content.join("drafts/deep")).unwrap();
                fs::write(content.join("drafts/deep/d.md"), "d").unwrap();
            },
        )
        .unwrap();
        let read = |rel: &str| fs::read_to_string(into.join(rel)).unwrap();
        assert_eq!(read("a.md"), "A2", "the import's page");
        assert_eq!(read("new.md"), "new");
        assert_eq!(read("b.md"), "B3", "the editor's save wins over the import");
        assert_eq!(read("mine.md"), "mine, edited");
        assert_eq!(read("c.md"), "C1 edited", "edited in place: the editor's");
        assert_eq!(read("drafts/deep/d.md"), "d");
        assert!(!into.join("gone.md").exists(), "deleted stays deleted");
        assert_eq!(out.written, ["a.md"]);
        assert_eq!(out.kept_edited, ["b.md", "c.md"]);
        assert_eq!(
            out.changed_meanwhile,
            ["b.md", "c.md", "drafts", "gone.md", "mine.md", "new.md"]
        );
        assert_eq!(names(dir.path()), ["content"], "nothing left beside");
        // b.md and c.md count as edited from now on.
        let out = run(
            &into,
            &[("a.md", "A2"), ("b.md", "B2"), ("c.md", "C2")],
            false,
        );
        assert_eq!(out.kept_edited, ["b.md", "c.md"]);
    }

    #[test]
    fn a_page_deleted_since_the_last_import_stays_deleted_unless_forced() {
        let dir = tempfile::tempdir().unwrap();
        let into = dir.path();
        let both = [("a.md", "A"), ("b.md", "B")];
        run(into, &both, false);
        fs::remove_file(into.join("b.md")).unwrap();
        let out = run(into, &both, false);
        assert_eq!(out.kept_deleted, ["b.md"]);
        assert!(out.written.is_empty());
        assert!(!into.join("b.md").exists());
        // Still known, so still kept deleted on the next run.
        let out = run(into, &both, false);
        assert_eq!(out.kept_deleted, ["b.md"]);
        assert!(!into.join("b.md").exists());
        // A page the manifest never had is new: written.
        let out = run(into, &[("a.md", "A"), ("b.md", "B"), ("c.md", "C")], false);
        assert_eq!(out.written, ["c.md"]);
        let out = run(into, &both, true);
        assert_eq!(out.written, ["b.md"]);
        assert!(out.kept_deleted.is_empty());
        assert_eq!(fs::read_to_string(into.join("b.md")).unwrap(), "B");
    }

    #[test]
    fn force_backs_up_then_overwrites() {
        let dir = tempfile::tempdir().unwrap();
        let into = &dir.path().join("content");
        run(into, &[("x/b.md", "B1")], false);
        fs::write(into.join("x/b.md"), "B edited").unwrap();
        let out = run(into, &[("x/b.md", "B2")], true);
        assert_eq!(out.backed_up.len(), 1);
        assert_eq!(fs::read_to_string(&out.backed_up[0].1).unwrap(), "B edited");
        assert_eq!(
            out.backed_up[0].1,
            dir.path().join("content-import-backups/1/x/b.md")
        );
        assert_eq!(fs::read_to_string(into.join("x/b.md")).unwrap(), "B2");
        // A second forced run keeps the first backup.
        fs::write(into.join("x/b.md"), "B edited again").unwrap();
        let out = run(into, &[("x/b.md", "B2")], true);
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
        let out = run(dir.path(), &[("a.md", "A")], false);
        assert_eq!(out.kept_edited, ["a.md"]);
        assert_eq!(fs::read_to_string(dir.path().join("a.md")).unwrap(), "mine");
    }

    #[cfg(unix)]
    #[test]
    fn the_folder_is_replaced_whole_keeping_what_the_editor_put_there() {
        use std::os::unix::fs::{MetadataExt, PermissionsExt};
        let dir = tempfile::tempdir().unwrap();
        let into = &dir.path().join("content");
        run(into, &[("a.md", "A1")], false);
        fs::create_dir_all(into.join("img/deep")).unwrap();
        fs::write(into.join("img/logo.png"), [137u8, 80, 78, 71]).unwrap();
        fs::set_permissions(into.join("img"), fs::Permissions::from_mode(0o750)).unwrap();
        std::os::unix::fs::symlink("img/logo.png", into.join("logo.png")).unwrap();
        fs::write(into.join(".notes.swp"), "vim").unwrap();
        // What a killed import leaves beside the folder.
        fs::create_dir_all(dir.path().join(".content.tmp-999999/chapters")).unwrap();
        let ino = |p: &Path| fs::metadata(p).unwrap().ino();
        let before = ino(into);

        // Nothing to change: the folder is not even replaced.
        run(into, &[("a.md", "A1")], false);
        assert_eq!(ino(into), before);

        run(into, &[("a.md", "A2")], false);
        assert_ne!(ino(into), before, "replaced by another folder");
        assert_eq!(fs::read_to_string(into.join("a.md")).unwrap(), "A2");
        assert_eq!(
            fs::read(into.join("img/logo.png")).unwrap(),
            [137u8, 80, 78, 71]
        );
        assert!(into.join("img/deep").is_dir());
        let mode = fs::metadata(into.join("img")).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o750);
        assert_eq!(
            fs::read_link(into.join("logo.png")).unwrap(),
            Path::new("img/logo.png")
        );
        assert_eq!(fs::read_to_string(into.join(".notes.swp")).unwrap(), "vim");
        assert_eq!(names(dir.path()), ["content"], "leftovers removed");
    }

    #[test]
    fn a_folder_left_aside_by_a_killed_import_is_put_back_before_planning() {
        let dir = tempfile::tempdir().unwrap();
        let into = &dir.path().join("content");
        run(into, &[("a.md", "A1")], false);
        fs::write(into.join("a.md"), "A edited").unwrap();
        // Killed between the two renames of the fallback swap.
        fs::rename(into, dir.path().join(".content.old-77")).unwrap();
        let out = run(into, &[("a.md", "A2")], false);
        assert_eq!(out.kept_edited, ["a.md"]);
        assert_eq!(fs::read_to_string(into.join("a.md")).unwrap(), "A edited");
        assert_eq!(names(dir.path()), ["content"]);
    }

    #[test]
    fn leftovers_go_even_when_there_is_nothing_to_change() {
        let dir = tempfile::tempdir().unwrap();
        let into = &dir.path().join("content");
        run(into, &[("a.md", "A")], false);
        fs::create_dir_all(dir.path().join(".content.tmp-77/old")).unwrap();
        let out = run(into, &[("a.md", "A")], false);
        assert_eq!(out.unchanged, ["a.md"]);
        assert_eq!(names(dir.path()), ["content"]);
    }

    #[cfg(unix)]
    #[test]
    fn a_symlinked_content_folder_stays_a_link_to_the_new_folder() {
        let dir = tempfile::tempdir().unwrap();
        let real = dir.path().join("elsewhere/content");
        fs::create_dir_all(&real).unwrap();
        let link = dir.path().join("content");
        std::os::unix::fs::symlink(&real, &link).unwrap();
        run(&link, &[("a.md", "A")], false);
        assert!(fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink());
        assert_eq!(fs::read_to_string(real.join("a.md")).unwrap(), "A");
        assert_eq!(names(&dir.path().join("elsewhere")), ["content"]);
    }

    #[cfg(unix)]
    #[test]
    fn a_page_to_write_below_a_linked_folder_is_an_error_and_nothing_changes() {
        let dir = tempfile::tempdir().unwrap();
        let into = &dir.path().join("content");
        let shared = dir.path().join("shared");
        fs::create_dir_all(&shared).unwrap();
        fs::create_dir_all(into).unwrap();
        std::os::unix::fs::symlink(&shared, into.join("topics")).unwrap();
        let e = apply(
            into,
            &pages(&[("a.md", "A"), ("topics/t.md", "T")]),
            Manifest::default(),
            false,
        )
        .unwrap_err()
        .to_string();
        assert!(
            e.contains("content/topics") && e.contains("symbolic link"),
            "{e}"
        );
        assert_eq!(names(into), ["topics"]);
        assert!(names(&shared).is_empty());
    }

    #[test]
    fn an_interrupted_backup_is_cleared_by_the_next_one() {
        let dir = tempfile::tempdir().unwrap();
        let into = &dir.path().join("content");
        run(into, &[("b.md", "B1")], false);
        fs::write(into.join("b.md"), "B edited").unwrap();
        let half = dir.path().join("content-import-backups/.1.tmp-999999");
        fs::create_dir_all(&half).unwrap();
        fs::write(half.join("b.md"), "half").unwrap();
        let out = run(into, &[("b.md", "B2")], true);
        assert_eq!(
            out.backed_up,
            [(
                "b.md".to_string(),
                dir.path().join("content-import-backups/1/b.md")
            )]
        );
        assert_eq!(names(&dir.path().join("content-import-backups")), ["1"]);
        assert_eq!(
            fs::read_to_string(dir.path().join("content-import-backups/1/b.md")).unwrap(),
            "B edited"
        );
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

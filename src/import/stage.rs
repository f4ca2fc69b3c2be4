//! The new content folder, staged whole beside the old one: a replica of the
//! old folder (folders with their permissions, files as hard links, symbolic
//! links as links, hidden files too) into which the import writes its pages,
//! then swapped in by [`crate::output::Staging`]. So a killed import leaves
//! `content/` exactly as it was or exactly as the import makes it.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use walkdir::WalkDir;

use crate::diag::{Diagnostic, Diagnostics};
use crate::output;

fn error(path: &Path, message: impl std::fmt::Display) -> Diagnostics {
    Diagnostic::error(path, 0, 0, message.to_string()).into()
}

/// The folder an import replaces: `into` made absolute with symbolic links
/// resolved, so that a link to the content folder stays a link (to the new
/// folder). A missing `into` gets its parent created. Refuses the filesystem
/// root and a folder that holds the working folder (replacing it would leave
/// the shell that ran the import in a deleted folder).
pub fn target(into: &Path) -> Result<PathBuf, Diagnostics> {
    let target = match fs::symlink_metadata(into) {
        Ok(meta) if meta.file_type().is_symlink() => match into.canonicalize() {
            Ok(real) if real.is_dir() => real,
            Ok(_) => return Err(error(into, "the content folder links to a file")),
            Err(_) => {
                let to = fs::read_link(into).unwrap_or_default();
                return Err(error(
                    into,
                    format!(
                        "the content folder is a symbolic link to {}, which does not exist",
                        to.display()
                    ),
                ));
            }
        },
        Ok(meta) if meta.is_dir() => into.canonicalize().map_err(|e| error(into, e))?,
        Ok(_) => return Err(error(into, "the content folder is a file, not a folder")),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            let abs = std::path::absolute(into).map_err(|e| error(into, e))?;
            let (Some(parent), Some(name)) = (abs.parent(), abs.file_name()) else {
                return Err(error(into, "not a folder name"));
            };
            fs::create_dir_all(parent).map_err(|e| error(parent, e))?;
            parent
                .canonicalize()
                .map_err(|e| error(parent, e))?
                .join(name)
        }
        Err(e) => return Err(error(into, e)),
    };
    let refuse = |why: &str| -> Diagnostics {
        Diagnostic::error(into, 0, 0, format!("refusing to import here: {why}"))
            .with_hint("pass another --into DIR, or run the import from the project folder")
            .into()
    };
    if target.parent().is_none() {
        return Err(refuse("it is the filesystem root"));
    }
    let cwd = std::env::current_dir().and_then(|d| d.canonicalize());
    if cwd.is_ok_and(|cwd| cwd.starts_with(&target)) {
        return Err(refuse(
            "the import replaces this folder whole, and it holds the current folder",
        ));
    }
    Ok(target)
}

/// A folder of the replica and the permissions it gets once filled.
pub type Folder = (PathBuf, fs::Permissions);

/// What [`replicate`] copied: the replica's folders (for [`finish`]) and
/// every entry it saw, by path relative to the root, with its [`Stamp`]
/// (none for a folder), so [`carry_over`] can tell what changed since.
#[derive(Debug, Default)]
pub struct Replica {
    pub folders: Vec<Folder>,
    pub seen: Seen,
}

/// The entries [`replicate`] saw (see [`Replica`]).
pub type Seen = std::collections::BTreeMap<PathBuf, Option<Stamp>>;

/// Which file an entry is and its state: a save by rename gives another
/// inode, an edit in place another time or length.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stamp {
    dev: u64,
    ino: u64,
    mtime: (i64, i64),
    len: u64,
}

impl Stamp {
    #[cfg(unix)]
    fn of(meta: &fs::Metadata) -> Stamp {
        use std::os::unix::fs::MetadataExt;
        Stamp {
            dev: meta.dev(),
            ino: meta.ino(),
            mtime: (meta.mtime(), meta.mtime_nsec()),
            len: meta.len(),
        }
    }

    /// Windows' metadata has no inode: a save by rename shows in the
    /// creation time instead.
    #[cfg(windows)]
    fn of(meta: &fs::Metadata) -> Stamp {
        use std::os::windows::fs::MetadataExt;
        Stamp {
            dev: 0,
            ino: meta.creation_time(),
            mtime: (meta.last_write_time() as i64, 0),
            len: meta.len(),
        }
    }
}

/// Makes `dest` a symbolic link to `link`, as `src` is.
#[cfg(unix)]
fn symlink(_src: &Path, link: PathBuf, dest: &Path) -> std::io::Result<()> {
    std::os::unix::fs::symlink(link, dest)
}

/// Makes `dest` a symbolic link to `link`, as `src` is: Windows has links to
/// files and links to folders.
#[cfg(windows)]
fn symlink(src: &Path, link: PathBuf, dest: &Path) -> std::io::Result<()> {
    if fs::metadata(src).is_ok_and(|m| m.is_dir()) {
        std::os::windows::fs::symlink_dir(link, dest)
    } else {
        std::os::windows::fs::symlink_file(link, dest)
    }
}

/// Fills the empty folder `to` with the tree at `from`. Symbolic links are
/// copied as links, never followed. Files are hard-linked — the same bytes,
/// permissions, owner and times, at no cost in space — or, where the
/// filesystem refuses, copied with their permissions and times. Returns the
/// folders with the permissions to give them by [`finish`] (after the
/// import's writes: a read-only folder must take new pages first), and what
/// was seen.
pub fn replicate(from: &Path, to: &Path) -> Result<Replica, Diagnostics> {
    let mut replica = Replica::default();
    for entry in WalkDir::new(from).follow_links(false).sort_by_file_name() {
        let entry = entry.map_err(|e| {
            let path = e.path().unwrap_or(from).to_path_buf();
            error(&path, format!("cannot read: {e}"))
        })?;
        let src = entry.path();
        let rel = src
            .strip_prefix(from)
            .expect("walkdir stays under its root");
        let dest = to.join(rel);
        let kind = entry.file_type();
        let meta = entry.metadata().map_err(|e| error(src, e))?;
        let id = (!kind.is_dir()).then(|| Stamp::of(&meta));
        replica.seen.insert(rel.to_path_buf(), id);
        let copied = if kind.is_dir() {
            replica.folders.push((dest.clone(), meta.permissions()));
            if entry.depth() == 0 {
                Ok(())
            } else {
                fs::create_dir(&dest)
            }
        } else if kind.is_symlink() {
            fs::read_link(src).and_then(|link| symlink(src, link, &dest))
        } else if kind.is_file() {
            link_or_copy(src, &dest)
        } else {
            return Err(Diagnostic::error(
                src,
                0,
                0,
                "neither a file, a folder nor a symbolic link: the import cannot carry it over",
            )
            .with_hint("move it out of the content folder")
            .into());
        };
        copied.map_err(|e| error(&dest, format!("cannot stage {}: {e}", src.display())))?;
    }
    Ok(replica)
}

/// After the swap: brings into the new folder `target` what an editor
/// changed in the previous folder `previous` after [`replicate`] saw it —
/// files and folders created, files replaced or edited, deletions — so
/// nothing done during an import is lost. `ours` (the import's own writes)
/// are never deleted, but are replaced by the editor's file if one was saved
/// there meanwhile. Returns what was carried over, by
/// path relative to the folder, and what could not be (left in `previous`).
pub fn carry_over(
    previous: &Path,
    target: &Path,
    seen: &Seen,
    ours: &std::collections::BTreeSet<PathBuf>,
) -> (Vec<PathBuf>, Vec<Diagnostic>) {
    let (mut changed, mut failed) = (Vec::new(), Vec::new());
    // Deletions first, while `previous` is as the editor left it. Deepest
    // first, so a folder deleted meanwhile is empty by the time it
    // comes up (and one still holding the import's pages stays).
    for (rel, id) in seen.iter().rev() {
        if rel.as_os_str().is_empty()
            || ours.contains(rel)
            || fs::symlink_metadata(previous.join(rel)).is_ok()
        {
            continue;
        }
        let dest = target.join(rel);
        let gone = match id {
            Some(_) => fs::remove_file(&dest),
            None => fs::remove_dir(&dest),
        };
        if gone.is_ok() {
            changed.push(rel.clone());
        }
    }
    let mut walk = WalkDir::new(previous)
        .follow_links(false)
        .sort_by_file_name()
        .min_depth(1)
        .into_iter();
    while let Some(entry) = walk.next() {
        let (entry, meta) = match entry.map(|e| (e.metadata(), e)) {
            Ok((Ok(meta), entry)) => (entry, meta),
            Ok((Err(e), _)) | Err(e) => {
                let path = e.path().unwrap_or(previous).to_path_buf();
                failed.push(Diagnostic::warning(
                    &path,
                    0,
                    0,
                    format!("cannot read: {e}"),
                ));
                continue;
            }
        };
        let rel = entry
            .path()
            .strip_prefix(previous)
            .expect("walkdir stays under its root");
        let dest = target.join(rel);
        let dest_meta = fs::symlink_metadata(&dest);
        let unchanged = if meta.is_dir() {
            // A folder made meanwhile that the import also made (for its
            // pages) is gone through like one the replica has.
            seen.get(rel) == Some(&None) || dest_meta.as_ref().is_ok_and(|m| m.is_dir())
        } else {
            seen.get(rel) == Some(&Some(Stamp::of(&meta)))
        };
        if unchanged {
            continue;
        }
        if meta.is_dir() {
            walk.skip_current_dir();
        }
        // The editor's file or folder wins over what the replica has there.
        let cleared = match dest_meta {
            Ok(m) if m.is_dir() => output::remove_tree(&dest),
            Ok(_) => fs::remove_file(&dest),
            Err(_) => Ok(()),
        };
        match cleared.and_then(|()| fs::rename(entry.path(), &dest)) {
            Ok(()) => changed.push(rel.to_path_buf()),
            Err(e) => failed.push(Diagnostic::warning(
                &dest,
                0,
                0,
                format!("changed during the import, but cannot be carried over: {e}"),
            )),
        }
    }
    changed.sort();
    (changed, failed)
}

fn link_or_copy(src: &Path, dest: &Path) -> std::io::Result<()> {
    if fs::hard_link(src, dest).is_ok() {
        return Ok(());
    }
    fs::copy(src, dest)?;
    let meta = fs::metadata(src)?;
    let times = fs::FileTimes::new()
        .set_accessed(meta.accessed()?)
        .set_modified(meta.modified()?);
    let f = fs::File::open(dest)?;
    f.set_times(times)?;
    f.sync_all()
}

/// Writes a new file at `path` in the replica, in place of whatever the
/// replica holds there. Never writes into an existing file: that may be a
/// hard link to a file of the live content folder.
pub fn write_new(path: &Path, bytes: &[u8]) -> Result<(), Diagnostics> {
    match fs::remove_file(path) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => return Err(error(path, e)),
        _ => {}
    }
    if let Some(dir) = path.parent() {
        fs::create_dir_all(dir).map_err(|e| error(dir, e))?;
    }
    let mut f = fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .map_err(|e| error(path, e))?;
    f.write_all(bytes).map_err(|e| error(path, e))?;
    f.sync_all().map_err(|e| error(path, e))
}

/// Gives the replica's folders their permissions (deepest first) and flushes
/// every folder of `root` to disk, so the swap never publishes entries a
/// power cut could lose.
pub fn finish(root: &Path, folders: Vec<Folder>) -> Result<(), Diagnostics> {
    for entry in WalkDir::new(root).follow_links(false) {
        let entry = entry.map_err(|e| error(root, e))?;
        if entry.file_type().is_dir() {
            fs::File::open(entry.path())
                .and_then(|f| f.sync_all())
                .map_err(|e| error(entry.path(), e))?;
        }
    }
    for (dir, perms) in folders.into_iter().rev() {
        fs::set_permissions(&dir, perms).map_err(|e| error(&dir, e))?;
    }
    Ok(())
}

/// Flushes the folder holding `path` (where a rename happened) to disk.
pub fn sync_parent(path: &Path) {
    if let Some(parent) = path.parent() {
        let _ = fs::File::open(parent).and_then(|f| f.sync_all());
    }
}

/// The first component of `rel` (below `root`) that is a symbolic link to a
/// folder or not a folder at all, if any: writing a page there would go
/// through the link, outside the staged folder, or fail.
pub fn blocked_folder(root: &Path, rel: &str) -> Option<PathBuf> {
    let mut path = root.to_path_buf();
    let parts: Vec<&str> = rel.split('/').collect();
    for part in &parts[..parts.len().saturating_sub(1)] {
        path.push(part);
        match fs::symlink_metadata(&path) {
            Ok(m) if m.is_dir() => {}
            Ok(_) => return Some(path),
            Err(_) => return None,
        }
    }
    None
}

// Of permissions, links and inodes as Unix has them.
#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::os::unix::fs::{MetadataExt, PermissionsExt};

    #[test]
    fn a_replica_links_files_keeps_links_and_permissions() {
        let dir = tempfile::tempdir().unwrap();
        let (from, to) = (dir.path().join("from"), dir.path().join("to"));
        fs::create_dir_all(from.join("img/sub")).unwrap();
        fs::write(from.join("a.md"), "A").unwrap();
        fs::write(from.join(".hidden"), "H").unwrap();
        fs::write(from.join("img/logo.png"), [0u8, 1, 2, 255]).unwrap();
        fs::set_permissions(from.join("a.md"), fs::Permissions::from_mode(0o640)).unwrap();
        fs::set_permissions(from.join("img"), fs::Permissions::from_mode(0o750)).unwrap();
        std::os::unix::fs::symlink("logo.png", from.join("img/alias.png")).unwrap();
        std::os::unix::fs::symlink("/nowhere/at/all", from.join("dangling")).unwrap();
        fs::create_dir(&to).unwrap();
        let replica = replicate(&from, &to).unwrap();
        write_new(&to.join("img/new/b.md"), b"B").unwrap();
        finish(&to, replica.folders).unwrap();

        let ino = |p: &Path| fs::metadata(p).unwrap().ino();
        assert_eq!(ino(&from.join("a.md")), ino(&to.join("a.md")), "hard link");
        assert_eq!(fs::read(to.join(".hidden")).unwrap(), b"H");
        assert_eq!(fs::read(to.join("img/logo.png")).unwrap(), [0u8, 1, 2, 255]);
        assert_eq!(
            fs::read_link(to.join("img/alias.png")).unwrap(),
            Path::new("logo.png")
        );
        assert_eq!(
            fs::read_link(to.join("dangling")).unwrap(),
            Path::new("/nowhere/at/all")
        );
        assert!(to.join("img/sub").is_dir());
        let mode = |p: &Path| fs::symlink_metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&to.join("img")), 0o750);
        assert_eq!(mode(&to.join("a.md")), 0o640);
        assert_eq!(mode(&to), mode(&from));
        assert_eq!(fs::read(to.join("img/new/b.md")).unwrap(), b"B");
    }

    #[test]
    fn writing_into_the_replica_never_touches_the_original() {
        let dir = tempfile::tempdir().unwrap();
        let (from, to) = (dir.path().join("from"), dir.path().join("to"));
        fs::create_dir_all(&from).unwrap();
        fs::create_dir(&to).unwrap();
        fs::write(from.join("a.md"), "old").unwrap();
        std::os::unix::fs::symlink("a.md", from.join("b.md")).unwrap();
        replicate(&from, &to).unwrap();
        write_new(&to.join("a.md"), b"new").unwrap();
        write_new(&to.join("b.md"), b"new b").unwrap();
        assert_eq!(fs::read_to_string(from.join("a.md")).unwrap(), "old");
        assert!(fs::symlink_metadata(from.join("b.md"))
            .unwrap()
            .file_type()
            .is_symlink());
        assert_eq!(fs::read_to_string(to.join("a.md")).unwrap(), "new");
        assert_eq!(fs::read_to_string(to.join("b.md")).unwrap(), "new b");
    }

    #[test]
    fn a_special_file_is_an_error_naming_it() {
        let dir = tempfile::tempdir().unwrap();
        let (from, to) = (dir.path().join("from"), dir.path().join("to"));
        fs::create_dir_all(&from).unwrap();
        fs::create_dir(&to).unwrap();
        let fifo = from.join("pipe");
        let c = std::ffi::CString::new(fifo.to_str().unwrap()).unwrap();
        // SAFETY: a valid NUL-terminated path.
        assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);
        let e = replicate(&from, &to).unwrap_err().to_string();
        assert!(
            e.contains("pipe") && e.contains("cannot carry it over"),
            "{e}"
        );
    }

    #[test]
    fn the_target_resolves_links_and_refuses_what_it_cannot_replace() {
        let dir = tempfile::tempdir().unwrap();
        let real = dir.path().join("real");
        fs::create_dir(&real).unwrap();
        let link = dir.path().join("content");
        std::os::unix::fs::symlink(&real, &link).unwrap();
        assert_eq!(target(&link).unwrap(), real.canonicalize().unwrap());

        let missing = dir.path().join("new/deeper/content");
        let t = target(&missing).unwrap();
        assert_eq!(
            t,
            dir.path()
                .canonicalize()
                .unwrap()
                .join("new/deeper/content")
        );
        assert!(!missing.exists() && missing.parent().unwrap().is_dir());

        let dangling = dir.path().join("dangling");
        std::os::unix::fs::symlink(dir.path().join("gone"), &dangling).unwrap();
        let e = target(&dangling).unwrap_err().to_string();
        assert!(
            e.contains("dangling") && e.contains("does not exist"),
            "{e}"
        );

        let file = dir.path().join("file");
        fs::write(&file, "x").unwrap();
        let e = target(&file).unwrap_err().to_string();
        assert!(e.contains("is a file"), "{e}");
        let e = target(&file.join("content")).unwrap_err().to_string();
        assert!(e.contains("file"), "{e}");
        let file_link = dir.path().join("file-link");
        std::os::unix::fs::symlink(&file, &file_link).unwrap();
        assert!(target(&file_link)
            .unwrap_err()
            .to_string()
            .contains("links to a file"));

        let e = target(Path::new("/")).unwrap_err().to_string();
        assert!(e.contains("filesystem root"), "{e}");
        // The working folder of the tests (the crate) holds itself.
        let e = target(Path::new(".")).unwrap_err().to_string();
        assert!(e.contains("holds the current folder"), "{e}");
    }

    #[test]
    fn a_page_below_a_linked_folder_or_a_file_is_blocked() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        fs::create_dir_all(root.join("real/sub")).unwrap();
        std::os::unix::fs::symlink("real", root.join("linked")).unwrap();
        fs::write(root.join("file"), "x").unwrap();
        assert_eq!(blocked_folder(root, "real/sub/a.md"), None);
        assert_eq!(blocked_folder(root, "new/a.md"), None);
        assert_eq!(blocked_folder(root, "a.md"), None);
        assert_eq!(
            blocked_folder(root, "linked/sub/a.md"),
            Some(root.join("linked"))
        );
        assert_eq!(blocked_folder(root, "file/a.md"), Some(root.join("file")));
    }
}

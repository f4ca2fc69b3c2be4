//! Crash safety: a build killed with SIGKILL at any moment leaves `site/`
//! either the previous complete site or the new complete one — never half of
//! each — and whatever temporary folder it left behind does not stop the
//! next build, which also cleans it up. The same for an import and
//! `content/` (and its `--force` backups).

use std::collections::BTreeMap;
use std::fs;
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use walkdir::WalkDir;

use crate::support::{run_in, tree, Project};

/// Writes `n` interlinked pages whose text carries `version`, so that the
/// sites of two versions differ in every page.
fn write_content(root: &Path, n: usize, version: &str) {
    let content = root.join("content");
    if content.exists() {
        fs::remove_dir_all(&content).unwrap();
    }
    fs::create_dir_all(content.join("notes")).unwrap();
    fs::write(
        content.join("_index.md"),
        format!("# Home {version}\n\nStart at [note 0](notes/n0.md).\n"),
    )
    .unwrap();
    for i in 0..n {
        let next = (i + 1) % n;
        let body = format!(
            "---\ntitle: Note {i} {version}\nkind: topic\nsummary: Note {i}.\n---\n## Part\n\n{}See [note {next}](n{next}.md#part).\n",
            format!("Text of note {i} in version {version}. ").repeat(40)
        );
        fs::write(content.join(format!("notes/n{i}.md")), body).unwrap();
    }
}

/// Names in `dir` that start with `prefix` (`.site.`: temporary folders).
fn leftovers_of(dir: &Path, prefix: &str) -> Vec<String> {
    let mut v: Vec<String> = fs::read_dir(dir)
        .map(|d| {
            d.map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
                .filter(|n| n.starts_with(prefix))
                .collect()
        })
        .unwrap_or_default();
    v.sort();
    v
}

fn leftovers(root: &Path) -> Vec<String> {
    leftovers_of(root, ".site.")
}

fn build(root: &Path) -> BTreeMap<String, Vec<u8>> {
    run_in(root, ["build", "-q"], &[]).success();
    assert!(
        leftovers(root).is_empty(),
        "a finished build leaves no temporary folder: {:?}",
        leftovers(root)
    );
    tree(&root.join("site"))
}

#[test]
fn a_killed_build_leaves_the_old_or_the_new_site_never_a_mix() {
    let p = Project::empty();
    let root = p.path();
    const PAGES: usize = 600;
    write_content(root, PAGES, "A");
    let site_a = build(root);
    write_content(root, PAGES, "B");
    let t = Instant::now();
    let site_b = build(root);
    let full = t.elapsed();
    assert_ne!(site_a, site_b);

    // Kill builds at moments spread over a whole build (fixed pseudo-random
    // sequence, so a failure can be reproduced), alternating the version the
    // killed build was making.
    let mut state: u64 = 0x2545_f491_4f6c_dd1d;
    let mut previous = site_b.clone();
    let (mut old_seen, mut new_seen) = (0, 0);
    for round in 0..24 {
        let (version, new_site) = if round % 2 == 0 {
            ("A", &site_a)
        } else {
            ("B", &site_b)
        };
        write_content(root, PAGES, version);
        state = state
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        let delay = full.mul_f64((state >> 33) as f64 / (1u64 << 31) as f64 * 1.2);
        let mut child = Command::new(env!("CARGO_BIN_EXE_dossier"))
            .current_dir(root)
            .args(["build", "-q"])
            .spawn()
            .unwrap();
        std::thread::sleep(delay);
        let _ = child.kill(); // SIGKILL on Unix
        let _ = child.wait();
        let now = tree(&root.join("site"));
        if now == previous {
            old_seen += 1;
        } else if &now == new_site {
            new_seen += 1;
        } else {
            panic!("round {round}: killed after {delay:?}, site/ is neither the previous nor the new site");
        }
        // The next build must succeed whatever was left behind.
        previous = build(root);
        assert_eq!(&previous, new_site);
    }
    // Both outcomes happened, so the kills did land inside builds.
    assert!(
        old_seen > 0,
        "no kill landed before the swap ({new_seen} after)"
    );
}

const SEED: &str = "seeds/pax-nato-human-security-2026.txt";
const DECOMPOSITION: &str = "seeds/pax-nato-human-security-2026.decomposition.yaml";

fn repo(p: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(p)
}

/// One entry of a folder as `ls -l` shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Entry {
    File { bytes: Vec<u8>, mode: u32 },
    Link(PathBuf),
    Folder { mode: u32 },
}

/// Everything under `root`, links not followed, by `/`-separated path (the
/// root itself is ""); empty when `root` does not exist.
fn snapshot(root: &Path) -> BTreeMap<String, Entry> {
    let mut out = BTreeMap::new();
    if fs::symlink_metadata(root).is_err() {
        return out;
    }
    for e in WalkDir::new(root).follow_links(false) {
        let e = e.unwrap();
        let rel = e.path().strip_prefix(root).unwrap();
        let meta = e.path().symlink_metadata().unwrap();
        let mode = meta.permissions().mode() & 0o7777;
        let entry = if meta.file_type().is_symlink() {
            Entry::Link(fs::read_link(e.path()).unwrap())
        } else if meta.is_dir() {
            Entry::Folder { mode }
        } else {
            Entry::File {
                bytes: fs::read(e.path()).unwrap(),
                mode,
            }
        };
        out.insert(rel.to_string_lossy().into_owned(), entry);
    }
    out
}

/// Copies `from` to the new folder `to`, links as links, with permissions.
fn copy_tree(from: &Path, to: &Path) {
    for e in WalkDir::new(from).follow_links(false) {
        let e = e.unwrap();
        let dest = to.join(e.path().strip_prefix(from).unwrap());
        if e.path_is_symlink() {
            std::os::unix::fs::symlink(fs::read_link(e.path()).unwrap(), &dest).unwrap();
        } else if e.file_type().is_dir() {
            fs::create_dir(&dest).unwrap();
        } else {
            fs::copy(e.path(), &dest).unwrap();
        }
    }
    // Folder permissions last, deepest first: a read-only folder is filled first.
    for e in WalkDir::new(from).follow_links(false).contents_first(true) {
        let e = e.unwrap();
        if e.file_type().is_dir() {
            let dest = to.join(e.path().strip_prefix(from).unwrap());
            fs::set_permissions(dest, e.metadata().unwrap().permissions()).unwrap();
        }
    }
}

/// Runs `dossier import ARGS` in `root` to the end.
fn import(root: &Path, args: &[&Path]) {
    let args = std::iter::once(Path::new("import")).chain(args.iter().copied());
    run_in(root, args.map(Path::as_os_str), &[]).success();
}

/// Puts `root/content` back to the copy `pristine`, with no backups, and
/// flushes it to disk: the import's own flushes then take as long in every
/// round as in the one that was timed.
fn reset(root: &Path, pristine: &Path) {
    let content = root.join("content");
    if content.exists() {
        fs::remove_dir_all(&content).unwrap();
    }
    let _ = fs::remove_dir_all(root.join("content-import-backups"));
    copy_tree(pristine, &content);
    sync(root);
}

/// Flushes the filesystem holding `root` to disk.
#[cfg(target_os = "linux")]
fn sync(root: &Path) {
    let dir = fs::File::open(root).unwrap();
    // SAFETY: a valid open descriptor for the duration of the call.
    assert_eq!(
        unsafe { libc::syncfs(std::os::fd::AsRawFd::as_raw_fd(&dir)) },
        0
    );
}

/// Flushes every filesystem to disk (there is no `syncfs` here).
#[cfg(not(target_os = "linux"))]
fn sync(_: &Path) {
    // SAFETY: takes nothing and cannot fail.
    unsafe { libc::sync() };
}

/// Starts `dossier import SEED --force` in `root`.
fn spawn_import(root: &Path, seed: &Path) -> std::process::Child {
    Command::new(env!("CARGO_BIN_EXE_dossier"))
        .current_dir(root)
        .arg("import")
        .arg(seed)
        .arg("--force")
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap()
}

/// What an editor does after an import: edits every fourth page, locks
/// some pages and a folder down, adds an image, a link to it, drafts and an
/// editor's swap file. Returns the edited pages.
fn edit_as_an_editor(content: &Path) -> Vec<String> {
    let pages: Vec<String> = snapshot(content)
        .into_keys()
        .filter(|k| k.ends_with(".md"))
        .collect();
    let mut edited = Vec::new();
    for (i, rel) in pages.iter().enumerate() {
        let path = content.join(rel);
        if i % 4 == 1 {
            let mut text = fs::read_to_string(&path).unwrap();
            text.push_str(&format!("\nAn editor's note on {rel}.\n"));
            fs::write(&path, text).unwrap();
            edited.push(rel.clone());
        } else if rel.starts_with("acronyms/") {
            fs::set_permissions(&path, fs::Permissions::from_mode(0o600)).unwrap();
        }
    }
    fs::create_dir_all(content.join("images")).unwrap();
    fs::write(
        content.join("images/logo.png"),
        (0..=255u8).collect::<Vec<_>>(),
    )
    .unwrap();
    std::os::unix::fs::symlink("logo.png", content.join("images/alias.png")).unwrap();
    fs::create_dir_all(content.join("drafts")).unwrap();
    fs::write(content.join("drafts/idea.md"), "# Idea\n\nA draft.\n").unwrap();
    fs::write(content.join("drafts/.idea.md.swp"), "swap").unwrap();
    fs::set_permissions(content.join("drafts"), fs::Permissions::from_mode(0o750)).unwrap();
    edited
}

#[test]
fn a_killed_import_leaves_the_old_or_the_new_content_never_a_mix() {
    let p = Project::empty();
    let root = p.path();
    let content = root.join("content");
    let backups = root.join("content-import-backups");
    let seed = repo(SEED);
    // The previous state: an import with an earlier decomposition (other
    // summaries, so that the new import rewrites those pages), then edits
    // (which the forced import backs up and overwrites).
    let earlier = root.join("earlier.decomposition.yaml");
    let d = fs::read_to_string(repo(DECOMPOSITION)).unwrap();
    let d = d
        .replace("summary: ", "summary: Earlier draft. ")
        .replace("summary: Earlier draft. >-", "summary: >-");
    fs::write(&earlier, d).unwrap();
    import(root, &[&seed, Path::new("--decomposition"), &earlier]);
    let edited = edit_as_an_editor(&content);
    let pristine = root.join("pristine");
    copy_tree(&content, &pristine);
    let old = snapshot(&content);
    let site_old = build(root);

    // The import the kills interrupt, once to the end: its time, when its
    // staging folder appears and when content/ changes (the window where a
    // non-atomic import would leave a mix), and its result.
    reset(root, &pristine);
    let inode = |p: &Path| fs::metadata(p).map(|m| m.ino()).ok();
    let before = inode(&content);
    let mut child = spawn_import(root, &seed);
    let t = Instant::now();
    let (mut staged_at, mut swapped_at) = (None, None);
    while child.try_wait().unwrap().is_none() {
        if staged_at.is_none() && !leftovers_of(root, ".content.tmp-").is_empty() {
            staged_at = Some(t.elapsed());
        }
        if swapped_at.is_none() && inode(&content) != before {
            swapped_at = Some(t.elapsed());
        }
        std::thread::sleep(std::time::Duration::from_micros(500));
    }
    let full = t.elapsed();
    assert!(child.wait().unwrap().success());
    // Where polling missed the window (a very fast run), the whole run.
    let window = (
        staged_at.unwrap_or_default(),
        swapped_at
            .unwrap_or(full)
            .max(staged_at.unwrap_or_default()),
    );
    let new = snapshot(&content);
    let backup = snapshot(&backups.join("1"));
    let site_new = build(root);
    assert_ne!(old, new);
    assert_ne!(site_old, site_new);
    // It kept everything else of the editor's, byte for byte, with
    // permissions and links; it rewrote pages but deleted nothing.
    let mut rewritten = 0;
    for (k, before) in &old {
        let after = new.get(k).unwrap_or_else(|| panic!("{k} was deleted"));
        match (before, after) {
            (Entry::File { bytes: b, .. }, Entry::File { bytes: a, .. }) if a != b => {
                if k != ".import-manifest.yaml" {
                    assert!(k.ends_with(".md") && !k.starts_with("drafts/"), "{k}");
                    rewritten += 1;
                }
            }
            _ => assert_eq!(before, after, "{k}"),
        }
    }
    assert!(rewritten > edited.len() + 20, "{rewritten} pages rewritten");
    let backed_up: Vec<&String> = backup.keys().filter(|k| k.ends_with(".md")).collect();
    assert_eq!(backed_up, edited.iter().collect::<Vec<_>>());
    for rel in &edited {
        assert_eq!(Some(&backup[rel.as_str()]), old.get(rel), "backup of {rel}");
    }

    // Kill imports at moments spread over a whole import (fixed
    // pseudo-random sequence, so a failure can be reproduced), each over the
    // previous state.
    let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
    let (mut old_seen, mut new_seen, mut staging_seen) = (0, 0, 0);
    // 24 rounds, then more (up to 96) while no kill has yet hit the staging
    // window: it is a few milliseconds wide, and a loaded machine (CI) starts
    // processes late by as much, so later rounds sweep across and past it.
    for round in 0..96 {
        if round >= 24 && old_seen > 0 && staging_seen > 0 {
            break;
        }
        reset(root, &pristine);
        state = state
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        // Every other kill aims at the staging window (with a margin),
        // the others at any moment of the run or just after it.
        let r = (state >> 33) as f64 / (1u64 << 31) as f64;
        let delay = if round % 2 == 0 {
            full.mul_f64(r * 1.2)
        } else if round < 24 {
            let span = (window.1 - window.0).mul_f64(1.4);
            window.0.saturating_sub(span / 5) + span.mul_f64(r)
        } else {
            let sweep = (window.1 - window.0) + full / 5;
            window.0 + sweep.mul_f64((round - 24) as f64 / 72.0)
        };
        let mut child = spawn_import(root, &seed);
        std::thread::sleep(delay);
        let _ = child.kill(); // SIGKILL on Unix
        let _ = child.wait();

        let now = snapshot(&content);
        let made: Vec<String> = leftovers_of(&backups, "")
            .into_iter()
            .filter(|n| !n.starts_with('.'))
            .collect();
        if now == old {
            old_seen += 1;
            // A backup may already be there, whole: copies of pages that
            // are still in content/ unchanged.
            assert!(made.is_empty() || made == ["1"], "round {round}: {made:?}");
        } else if now == new {
            new_seen += 1;
            assert_eq!(made, ["1"], "round {round}: content/ replaced, no backup");
        } else {
            // Among the entries the two folders differ in, how many are as
            // in each, and which are as in neither.
            let keys: std::collections::BTreeSet<&String> =
                now.keys().chain(old.keys()).chain(new.keys()).collect();
            let differing = keys.iter().filter(|k| old.get(**k) != new.get(**k));
            let (mut as_old, mut as_new, mut neither) = (0, 0, Vec::new());
            for k in differing {
                if now.get(*k) == old.get(*k) {
                    as_old += 1;
                } else if now.get(*k) == new.get(*k) {
                    as_new += 1;
                } else {
                    neither.push(*k);
                }
            }
            panic!(
                "round {round}: killed after {delay:?}, content/ is neither the previous nor \
                 the new folder: {as_old} entries as before, {as_new} as after, as neither: \
                 {neither:?}"
            );
        }
        if made == ["1"] {
            assert_eq!(snapshot(&backups.join("1")), backup, "round {round}");
        }
        // The lock file the killed import held is no staging folder.
        if leftovers_of(root, ".content.")
            .iter()
            .any(|n| n != ".content.lock")
        {
            staging_seen += 1;
        }

        // A build right now, beside whatever the kill left, sees one folder.
        let site = build(root);
        assert!(
            site == if now == old {
                site_old.clone()
            } else {
                site_new.clone()
            },
            "round {round}: the build after the kill"
        );
        // The next import finishes the job and clears the leftovers.
        import(root, &[&seed, Path::new("--force")]);
        assert_eq!(snapshot(&content), new, "round {round}: the next import");
        assert_eq!(leftovers_of(root, "."), Vec::<String>::new());
        assert_eq!(leftovers_of(&backups, "."), Vec::<String>::new());
        let last = leftovers_of(&backups, "").pop().unwrap();
        assert_eq!(snapshot(&backups.join(last)), backup, "round {round}");
    }
    eprintln!(
        "import: {full:?} in full, staging from {:?} to {:?}; after the kills {old_seen} old, {new_seen} new, \
         {staging_seen} with a staging folder left",
        window.0, window.1
    );
    assert!(old_seen > 0, "no kill landed before the swap");
    assert!(
        staging_seen > 0,
        "no kill landed while the new folder was staged"
    );
}

/// What a killed import leaves — a half-staged folder, the previous folder
/// moved aside, half a backup — breaks neither the build nor the next import,
/// which removes it.
#[test]
fn leftovers_of_a_killed_import_break_nothing() {
    let p = Project::empty();
    let root = p.path();
    let seed = repo(SEED);
    import(root, &[&seed]);
    let content = root.join("content");
    let clean = build(root);
    fs::create_dir_all(root.join(".content.tmp-4242/chapters")).unwrap();
    fs::write(
        root.join(".content.tmp-4242/chapters/broken.md"),
        "---\n: [\n",
    )
    .unwrap();
    copy_tree(&content, &root.join(".content.old-4243"));
    fs::write(root.join(".content.old-4243/extra.md"), "# Extra\n").unwrap();
    fs::create_dir_all(root.join("content-import-backups/.1.tmp-4244")).unwrap();
    assert_eq!(build(root), clean, "the build reads content/ only");
    let page = content.join("about.md");
    fs::write(&page, fs::read_to_string(&page).unwrap() + "\nEdited.\n").unwrap();
    import(root, &[&seed, Path::new("--force")]);
    assert_eq!(leftovers_of(root, "."), Vec::<String>::new());
    assert_eq!(
        leftovers_of(&root.join("content-import-backups"), ""),
        ["1"]
    );
    assert_eq!(build(root), clean);
}

/// Files an editor creates while imports run — before, during and after
/// the staging — are all there when each import is done.
#[test]
fn files_created_while_an_import_runs_are_kept() {
    let p = Project::empty();
    let root = p.path();
    let seed = repo(SEED);
    import(root, &[&seed]);
    let content = root.join("content");
    let mut created = Vec::new();
    for trial in 0..10 {
        // Without its manifest, the import has something to write: it
        // stages and swaps.
        fs::remove_file(content.join(".import-manifest.yaml")).unwrap();
        let mut child = spawn_import(root, &seed);
        let mut i = 0;
        while child.try_wait().unwrap().is_none() {
            let name = format!("note-{trial}-{i}.md");
            fs::write(content.join(&name), &name).unwrap();
            created.push(name);
            i += 1;
            std::thread::sleep(std::time::Duration::from_millis(2));
        }
        assert!(child.wait().unwrap().success());
        let lost: Vec<&String> = created
            .iter()
            .filter(|n| fs::read_to_string(content.join(n)).ok().as_deref() != Some(n.as_str()))
            .collect();
        assert!(lost.is_empty(), "trial {trial}: lost {lost:?}");
    }
}

//! Incremental rebuilds: a [`Session`] that keeps its memory across random
//! edits must produce exactly the files (or exactly the errors) of a fresh
//! full build after every edit.

use std::fs;
use std::path::{Path, PathBuf};

use dossier::build::{render_site, BuildOptions};
use dossier::incremental::Session;
use dossier::output::OutFile;

use crate::support::Project;

/// A small deterministic pseudo-random sequence, so a failure replays.
struct Rng(u64);

impl Rng {
    fn next(&mut self, n: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((self.0 >> 33) as usize) % n.max(1)
    }
}

fn pages(content: &Path) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = walkdir::WalkDir::new(content)
        .sort_by_file_name()
        .into_iter()
        .flatten()
        .filter(|e| e.path().extension().is_some_and(|x| x == "md"))
        .map(|e| e.path().to_path_buf())
        .collect();
    out.sort();
    out
}

fn title_of(text: &str) -> Option<String> {
    text.lines()
        .find_map(|l| l.strip_prefix("title: "))
        .map(|t| t.trim_matches('"').to_string())
}

/// Options for building the project in `dir` (content/, templates/, site/).
fn options(dir: &Path) -> BuildOptions {
    BuildOptions::new(dir.join("content"), dir.join("templates"), dir.join("site"))
}

/// One random edit of the kinds editors make.
fn edit(content: &Path, rng: &mut Rng, step: usize) -> String {
    let all = pages(content);
    let path = &all[rng.next(all.len())];
    let text = fs::read_to_string(path).unwrap();
    let other = &all[rng.next(all.len())];
    let other_text = fs::read_to_string(other).unwrap();
    let rel = |p: &Path| {
        p.strip_prefix(content)
            .unwrap()
            .to_string_lossy()
            .into_owned()
    };
    let depth = rel(path).matches('/').count();
    let link_to_other = format!("{}{}", "../".repeat(depth), rel(other));
    let (what, new_text) = match rng.next(8) {
        0 => (
            "append text with an acronym",
            format!("{text}\nStep {step}: the NGO and the ILO met again.\n"),
        ),
        1 => match title_of(&text) {
            Some(t) => (
                "retitle",
                text.replacen(&format!("title: {t}"), &format!("title: {t} {step}"), 1),
            ),
            None => ("append", format!("{text}\nMore {step}.\n")),
        },
        2 => (
            "link another page",
            format!("{text}\nSee [the other]({link_to_other}) for step {step}.\n"),
        ),
        3 => match title_of(&other_text) {
            Some(t) if other_text.contains("\n## ") => {
                let heading = other_text
                    .split("\n## ")
                    .nth(1)
                    .unwrap()
                    .lines()
                    .next()
                    .unwrap()
                    .to_string();
                (
                    "wikilink a heading",
                    format!("{text}\nCompare [[{t}#{heading}]].\n"),
                )
            }
            _ => ("append", format!("{text}\nMore {step}.\n")),
        },
        4 => {
            // Drop one body line (may break a link: both builds must then fail alike).
            let lines: Vec<&str> = text.lines().collect();
            let fm_end = lines
                .iter()
                .skip(1)
                .position(|l| *l == "---")
                .map_or(0, |i| i + 2);
            if lines.len() > fm_end + 1 {
                let drop = fm_end + rng.next(lines.len() - fm_end);
                let kept: Vec<&str> = lines
                    .iter()
                    .enumerate()
                    .filter(|(i, _)| *i != drop)
                    .map(|(_, l)| *l)
                    .collect();
                ("delete a line", kept.join("\n") + "\n")
            } else {
                ("append", format!("{text}\nMore {step}.\n"))
            }
        }
        5 => (
            "add a heading",
            format!("{text}\n## Added heading {step}\n\nText under it.\n"),
        ),
        6 => {
            let name = content.join(format!("topics/new-{step}.md"));
            fs::write(&name, format!("---\ntitle: New topic {step}\nkind: topic\nsummary: New.\n---\nLinks to [a page](../{}).\n", rel(other))).unwrap();
            return format!("add {}", rel(&name));
        }
        _ => {
            if path.ends_with("_index.md") {
                ("append", format!("{text}\nMore {step}.\n"))
            } else {
                fs::remove_file(path).unwrap();
                return format!("delete {}", rel(path));
            }
        }
    };
    fs::write(path, new_text).unwrap();
    format!("{what} in {}", rel(path))
}

fn files(r: &dossier::build::SiteFiles) -> Result<Vec<(String, Vec<u8>)>, String> {
    match r {
        Ok((files, _)) => Ok(files
            .iter()
            .map(|(u, f)| {
                let bytes = match f {
                    OutFile::Bytes(b) => b.clone(),
                    OutFile::Copy(p) => fs::read(p).unwrap(),
                };
                (u.clone(), bytes)
            })
            .collect()),
        Err(d) => Err(d.to_string()),
    }
}

#[test]
fn incremental_builds_equal_full_builds_over_random_edits() {
    let p = Project::new("reading");
    let opts = options(p.path());
    let mut session = Session::new(opts.clone());
    assert!(session.render().is_ok());
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let (mut ok, mut failed) = (0, 0);
    let (mut reused, mut rendered_total) = (0, 0);
    for step in 0..80 {
        let before = crate::support::tree(&opts.content);
        let what = edit(&opts.content, &mut rng, step);
        let result = session.render();
        if let Ok((_, report)) = &result {
            reused += report.reused.0;
            rendered_total += report.pages;
        }
        let incremental = files(&result);
        let full = files(&render_site(&opts));
        match (&incremental, &full) {
            (Ok(a), Ok(b)) => {
                ok += 1;
                let names = |v: &Vec<(String, Vec<u8>)>| {
                    v.iter().map(|(u, _)| u.clone()).collect::<Vec<_>>()
                };
                assert_eq!(
                    names(a),
                    names(b),
                    "step {step} ({what}): different file lists"
                );
                for ((url, x), (_, y)) in a.iter().zip(b) {
                    assert!(
                        x == y,
                        "step {step} ({what}): {url} differs from a full build"
                    );
                }
            }
            (Err(a), Err(b)) => {
                failed += 1;
                assert_eq!(a, b, "step {step} ({what}): different errors");
                // Undo the breaking edit, as an editor would; the next
                // incremental build must then match again.
                fs::remove_dir_all(&opts.content).unwrap();
                for (rel, bytes) in &before {
                    let path = opts.content.join(rel);
                    fs::create_dir_all(path.parent().unwrap()).unwrap();
                    fs::write(path, bytes).unwrap();
                }
            }
            _ => panic!(
                "step {step} ({what}): incremental {:?} vs full {:?}",
                incremental.is_ok(),
                full.is_ok()
            ),
        }
    }
    assert!(
        ok >= 40 && failed >= 3,
        "both outcomes are exercised ({ok} ok, {failed} failed)"
    );
    assert!(
        reused * 2 > rendered_total,
        "the session must reuse most pages ({reused} of {rendered_total})"
    );
}

/// The same on disk: a session's builds link the pages that did not change
/// from the site it wrote before. Each must equal a full build file for file,
/// also after a failed build and after someone else replaced the site.
#[test]
fn incremental_builds_on_disk_equal_full_builds() {
    let p = Project::new("reading");
    let opts = options(p.path());
    let mut session = Session::new(opts.clone());
    session.build().unwrap();
    let mut rng = Rng(0x2545_f491_4f6c_dd1d);
    let mut ok = 0;
    for step in 0..40 {
        let before = crate::support::tree(&opts.content);
        let what = edit(&opts.content, &mut rng, step);
        if step == 20 {
            // Another build replaces the site: nothing may be linked from it.
            let mut other = opts.clone();
            other.base_url = Some("https://example.org/".into());
            dossier::build::build(&other).unwrap();
        }
        if step == 25 {
            // The site is replaced by a copy with one byte changed in every
            // page (sizes equal): a session must not link from that either.
            let copy = p.path().join("copy");
            for (rel, mut bytes) in crate::support::tree(&opts.out) {
                if rel.ends_with(".html") {
                    let at = bytes.len() / 2;
                    bytes[at] = if bytes[at] == b'x' { b'y' } else { b'x' };
                }
                let path = copy.join(&rel);
                fs::create_dir_all(path.parent().unwrap()).unwrap();
                fs::write(path, bytes).unwrap();
            }
            fs::remove_dir_all(&opts.out).unwrap();
            fs::rename(&copy, &opts.out).unwrap();
        }
        let built = session.build();
        match files(&render_site(&opts)) {
            Ok(full) => {
                ok += 1;
                assert!(built.is_ok(), "step {step} ({what})");
                let mut on_disk = crate::support::tree(&opts.out);
                assert!(on_disk.remove(".dossier-site").is_some());
                let full: std::collections::BTreeMap<String, Vec<u8>> = full.into_iter().collect();
                assert_eq!(
                    on_disk.keys().collect::<Vec<_>>(),
                    full.keys().collect::<Vec<_>>(),
                    "step {step} ({what}): different file lists"
                );
                for (url, bytes) in &full {
                    assert!(
                        on_disk[url] == *bytes,
                        "step {step} ({what}): {url} differs from a full build"
                    );
                }
            }
            Err(_) => {
                assert!(built.is_err(), "step {step} ({what})");
                fs::remove_dir_all(&opts.content).unwrap();
                for (rel, bytes) in &before {
                    let path = opts.content.join(rel);
                    fs::create_dir_all(path.parent().unwrap()).unwrap();
                    fs::write(path, bytes).unwrap();
                }
            }
        }
    }
    assert!(ok >= 20, "{ok} good builds");
    // Pages removed from or cut short in the site the session wrote cannot be
    // linked from there: they are written again.
    session.build().unwrap();
    let pages: Vec<String> = crate::support::tree(&opts.out)
        .into_keys()
        .filter(|rel| rel.ends_with(".html") && rel.contains('/') && !rel.ends_with("index.html"))
        .collect();
    assert!(pages.len() >= 2, "the project has pages in folders");
    fs::remove_file(opts.out.join(&pages[0])).unwrap();
    fs::write(opts.out.join(&pages[1]), "").unwrap();
    let r = session.build().unwrap();
    assert!(r.reused.1 > 0, "the session links pages it may");
    let full: std::collections::BTreeMap<String, Vec<u8>> =
        files(&render_site(&opts)).unwrap().into_iter().collect();
    let mut on_disk = crate::support::tree(&opts.out);
    on_disk.remove(".dossier-site");
    assert!(
        on_disk == full,
        "a removed or cut page was not written again"
    );
}

#[test]
fn a_link_to_a_heading_follows_edits_of_the_target_page() {
    let p = Project::empty();
    let content = p.path().join("content");
    fs::create_dir_all(&content).unwrap();
    fs::write(
        content.join("a.md"),
        "---\ntitle: A\n---\nSee [[B#Main]].\n",
    )
    .unwrap();
    fs::write(
        content.join("b.md"),
        "---\ntitle: B\n---\n## Main\n\nText.\n",
    )
    .unwrap();
    let opts = options(p.path());
    let mut session = Session::new(opts.clone());
    let first = files(&session.render()).unwrap();
    let a = |fs: &Vec<(String, Vec<u8>)>| {
        String::from_utf8(fs.iter().find(|(u, _)| u == "a.html").unwrap().1.clone()).unwrap()
    };
    // "main" is the template's <main> id, so the heading is main-2.
    assert!(a(&first).contains("href=\"b.html#main-2\""));
    // Without the heading, the link falls back to the slug — a.md's own
    // text did not change, but its HTML must.
    fs::write(content.join("b.md"), "---\ntitle: B\n---\nText only.\n").unwrap();
    let incremental = files(&session.render()).unwrap();
    let full = files(&render_site(&opts)).unwrap();
    assert_eq!(a(&incremental), a(&full));
    assert!(a(&incremental).contains("href=\"b.html#main\""));
}

#[test]
fn turning_raw_html_on_and_off_in_a_page_matches_full_builds() {
    let p = Project::new("reading");
    let opts = options(p.path());
    let page = pages(&opts.content)
        .into_iter()
        .find(|f| fs::read_to_string(f).unwrap().starts_with("---\n"))
        .unwrap();
    let text = fs::read_to_string(&page).unwrap();
    let script = "\n<script>run(\"it\")</script>\n";
    let opted = text.replacen("---\n", "---\nraw_html: true\n", 1) + script;
    let mut session = Session::new(opts.clone());
    let mut scripts = Vec::new();
    for version in [text.clone() + script, opted, text + script] {
        fs::write(&page, version).unwrap();
        let incremental = files(&session.render()).unwrap();
        assert!(incremental == files(&render_site(&opts)).unwrap());
        let runs = incremental
            .iter()
            .filter(|(_, b)| String::from_utf8_lossy(b).contains("<script>run(\"it\")"))
            .map(|(u, _)| u.clone())
            .collect::<Vec<_>>();
        scripts.push(runs);
    }
    let url =
        dossier::content::url_for(&page.strip_prefix(&opts.content).unwrap().to_string_lossy());
    assert_eq!(
        scripts,
        [vec![], vec![url, "print.html".to_string()], vec![]],
        "the script runs on its page (and the print page) only while opted in"
    );
}

#[test]
fn an_edit_re_renders_the_pages_whose_backlinks_change_and_no_others() {
    let p = Project::empty();
    let content = p.path().join("content");
    fs::create_dir_all(&content).unwrap();
    let a = |sentence: &str, other: &str| {
        fs::write(
            content.join("a.md"),
            format!("---\ntitle: A\n---\n{sentence}\n\n{other}\n"),
        )
        .unwrap()
    };
    a("See [B](b.md) for more.", "An unrelated paragraph.");
    fs::write(content.join("b.md"), "---\ntitle: B\n---\nB's text.\n").unwrap();
    fs::write(
        content.join("c.md"),
        "---\ntitle: C\n---\nC cites [A](a.md).\n",
    )
    .unwrap();
    let opts = options(p.path());
    let mut session = Session::new(opts.clone());
    let mut rebuild = || {
        let built = session.render();
        let reused = built.as_ref().unwrap().1.reused.1;
        assert!(
            files(&built).unwrap() == files(&render_site(&opts)).unwrap(),
            "the session's site differs from a full build"
        );
        reused
    };
    rebuild();
    let all = rebuild();
    assert!(
        all >= 3,
        "a, b and c are reused when nothing changed ({all})"
    );
    // B quotes the sentence that links to it, not the rest of A.
    a("See [B](b.md) for more.", "An edited paragraph.");
    assert_eq!(rebuild(), all - 1, "only A is rendered again");
    a("See [B](b.md) for much more.", "An edited paragraph.");
    assert_eq!(rebuild(), all - 2, "A and B, whose backlink quotes A, are");
}

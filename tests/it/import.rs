//! The importer on the real seed (and on broken seeds), end to end: nothing
//! of the report is lost or duplicated, every link resolves, re-import is
//! safe, and an unusable seed leaves `content/` untouched.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use dossier::content::frontmatter;
use dossier::import::{import, ImportOptions};
use dossier::slug::{block_id, slugify, IdSet};
use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};

const SEED: &str = "seeds/pax-nato-human-security-2026.txt";
const DECOMPOSITION: &str = "seeds/pax-nato-human-security-2026.decomposition.yaml";

fn repo(p: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(p)
}

fn import_into(into: &Path) -> dossier::import::ImportReport {
    import(&ImportOptions {
        seed: repo(SEED),
        into: into.to_path_buf(),
        decomposition: None,
        force: false,
    })
    .unwrap_or_else(|e| panic!("import failed:\n{e}"))
}

/// Every file under `dir` (relative path → bytes).
fn tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut out = BTreeMap::new();
    if !dir.exists() {
        return out;
    }
    for e in walkdir::WalkDir::new(dir).sort_by_file_name() {
        let e = e.unwrap();
        if e.file_type().is_file() {
            let rel = e
                .path()
                .strip_prefix(dir)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            out.insert(rel, fs::read(e.path()).unwrap());
        }
    }
    out
}

fn pages(dir: &Path) -> BTreeMap<String, String> {
    tree(dir)
        .into_iter()
        .filter(|(k, _)| k.ends_with(".md") && !k.starts_with('.'))
        .map(|(k, v)| (k, String::from_utf8(v).unwrap()))
        .collect()
}

fn body(page: &str) -> &str {
    let s = frontmatter::split(page).unwrap();
    s.body
}

/// Normalisation for comparing report text with page text, written here
/// independently of the importer: link URLs, footnote references, emphasis
/// markers, brackets, escapes and superscript digits go; quotes and dashes
/// are folded; whitespace collapsed. Words and punctuation stay.
fn norm(s: &str) -> String {
    let mut t = String::new();
    let chars: Vec<char> = s.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        if chars[i] == ']' && chars.get(i + 1) == Some(&'(') {
            let close = chars[i..].iter().position(|&c| c == ')').unwrap();
            i += close + 1;
            continue;
        }
        if chars[i] == '[' && chars.get(i + 1) == Some(&'^') {
            let close = chars[i..].iter().position(|&c| c == ']').unwrap();
            i += close + 1;
            continue;
        }
        t.push(chars[i]);
        i += 1;
    }
    let folded: String = t
        .chars()
        .filter(|c| !matches!(c, '*' | '[' | ']' | '\\' | '⁰'..='⁹' | '¹' | '²' | '³'))
        .map(|c| match c {
            '‘' | '’' => '\'',
            '“' | '”' => '"',
            '–' | '—' => '-',
            c => c,
        })
        .collect();
    folded.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Paragraph-level units of a page body: paragraphs, list items, quotes,
/// headings, footnote definitions — each normalised.
fn units(md: &str) -> Vec<String> {
    let mut out = Vec::new();
    for block in md.split("\n\n") {
        let mut para = Vec::new();
        for line in block.lines() {
            let l = line.trim();
            if let Some(item) = l.strip_prefix("- ") {
                out.push(norm(item));
                continue;
            }
            let l = l.trim_start_matches("## ").trim_start_matches("> ");
            let l = if l.starts_with("[^") {
                l.split_once("]: ").map_or(l, |(_, rest)| rest)
            } else {
                l
            };
            para.push(l.trim_end_matches('\\').to_string());
        }
        if !para.is_empty() {
            out.push(norm(&para.join(" ")));
        }
    }
    out
}

/// Sentences of a normalised text: split after `.`, `?`, `!` (and closing
/// quotes) before a capital.
fn split_sentences(s: &str) -> Vec<String> {
    let chars: Vec<char> = s.chars().collect();
    let mut out = Vec::new();
    let mut start = 0;
    for i in 0..chars.len() {
        if matches!(chars[i], '.' | '?' | '!')
            && chars.get(i + 1) == Some(&' ')
            && chars.get(i + 2).is_some_and(|c| c.is_uppercase())
        {
            out.push(chars[start..=i].iter().collect::<String>());
            start = i + 2;
        }
    }
    out.push(chars[start..].iter().collect::<String>());
    out.into_iter()
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .collect()
}

/// The report's body and footnote lines, straight from the seed: from the
/// first chapter heading (not the contents line) to the back cover.
fn seed_body_lines() -> Vec<String> {
    let seed = fs::read_to_string(repo(SEED)).unwrap();
    let lines: Vec<&str> = seed.lines().collect();
    let start = lines
        .iter()
        .position(|l| *l == "1. Introduction: the problem of NATO and its human security approach")
        .unwrap();
    let end = lines.iter().position(|l| *l == "Make peace work.").unwrap();
    lines[start..end]
        .iter()
        .map(|l| l.trim())
        .filter(|l| !l.is_empty())
        .map(|l| {
            // Drop a footnote's leading number and list/figure markers.
            let l = l.trim_start_matches("▲ ").trim_start_matches("- ");
            let digits = l
                .chars()
                .take_while(|c| {
                    c.is_ascii_digit() || ('⁰'..='⁹').contains(c) || matches!(c, '¹' | '²' | '³')
                })
                .count();
            let rest: String = l.chars().skip(digits).collect();
            if digits > 0 && rest.starts_with(' ') {
                rest.trim().to_string()
            } else {
                l.to_string()
            }
        })
        .collect()
}

fn imported() -> (tempfile::TempDir, BTreeMap<String, String>) {
    let dir = tempfile::tempdir().unwrap();
    let into = dir.path().join("content");
    import_into(&into);
    let p = pages(&into);
    (dir, p)
}

#[test]
fn every_sentence_of_body_and_notes_is_kept_whole_in_one_paragraph() {
    let (_d, pages) = imported();
    // Only chapter pages (their title is the chapter heading): a sentence
    // quoted on a topic page does not count.
    let all_units: Vec<String> = pages
        .iter()
        .filter(|(k, _)| k.starts_with("chapters/"))
        .flat_map(|(_, p)| {
            let title = frontmatter::split(p)
                .unwrap()
                .front_matter
                .unwrap()
                .title
                .unwrap();
            units(body(p)).into_iter().chain([norm(&title)])
        })
        .collect();
    let mut checked = 0;
    let mut missing = Vec::new();
    for line in seed_body_lines() {
        for sentence in split_sentences(&norm(&line)) {
            checked += 1;
            if !all_units.iter().any(|u| u.contains(&sentence)) {
                missing.push(sentence);
            }
        }
    }
    assert!(
        missing.is_empty(),
        "{} of {checked} sentences not found in one paragraph:\n{}",
        missing.len(),
        missing.join("\n")
    );
    assert!(checked >= 240, "only {checked} sentences checked");
    eprintln!("sentences checked: {checked}");
}

#[test]
fn sentences_cut_by_page_breaks_are_whole_again() {
    let (_d, pages) = imported();
    let chapter_units: Vec<String> = pages
        .iter()
        .filter(|(k, _)| k.starts_with("chapters/"))
        .flat_map(|(_, p)| units(body(p)))
        .collect();
    for joined in [
        "a collective defence scenario that would put its own populations",
        "would be detrimental to military preparedness",
        "Including the NATO Force Structure",
        "human security as applicable primarily to out-of-area operations",
        "others wonder if it actually obscures key issues",
        "raised by civilians outside the chain of command",
        "understanding the civil environment and mitigating harm - is ongoing",
        "Iraq's recently adopted National Policy for the Protection of Civilians is one example",
        "resilience benchmarks and on national 'total'",
        "the task of NATO governments to maintain long-term balance",
        "as well as NATO-level harm tracking and response processes",
        "could allow NATO states to develop a comprehensive and comparable set of approaches backed up by expertise that sits squarely within the chain of command.",
        "it does, however, need to be adapted for collective defence",
        "a better picture of the organisations that would be involved",
    ] {
        let n = chapter_units.iter().filter(|u| u.contains(joined)).count();
        assert_eq!(n, 1, "expected exactly one paragraph with {joined:?}");
    }
    // The displaced fragment is no longer after the paragraph it interrupted.
    assert!(!chapter_units
        .iter()
        .any(|u| u.contains("or CRSV. a comprehensive")));
}

#[test]
fn no_sentence_appears_twice_in_chapter_text() {
    let (_d, pages) = imported();
    let mut seen = BTreeSet::new();
    let mut twice = Vec::new();
    for (k, p) in pages.iter().filter(|(k, _)| k.starts_with("chapters/")) {
        for line in body(p).lines().filter(|l| !l.starts_with("[^")) {
            for s in split_sentences(&norm(line)) {
                if s.split_whitespace().count() >= 4 && !seen.insert(s.clone()) {
                    twice.push(format!("{k}: {s}"));
                }
            }
        }
    }
    assert!(
        twice.is_empty(),
        "repeated sentences:\n{}",
        twice.join("\n")
    );
    assert!(seen.len() > 150, "{}", seen.len());
}

#[test]
fn every_note_is_a_markdown_footnote_on_the_page_that_cites_it() {
    let (_d, pages) = imported();
    let mut defined = BTreeSet::new();
    for (k, p) in pages.iter().filter(|(k, _)| k.starts_with("chapters/")) {
        assert!(
            !p.chars().any(|c| matches!(c, '¹' | '²' | '³' | '⁰'..='⁹')),
            "{k} keeps superscript markers"
        );
        for line in body(p).lines() {
            if let Some(rest) = line.strip_prefix("[^") {
                let n: u32 = rest.split(']').next().unwrap().parse().unwrap();
                assert!(defined.insert(n), "note {n} defined twice");
                let reference = format!("[^{n}]");
                let refs = body(p)
                    .lines()
                    .filter(|l| !l.starts_with("[^") && l.contains(&reference))
                    .count();
                assert!(refs >= 1, "note {n} in {k} has no reference on that page");
            }
        }
    }
    assert_eq!(defined, (1..=51).collect::<BTreeSet<u32>>());
}

/// Ids the build gives a page: headings by slug; paragraphs, list items,
/// quotes and footnote paragraphs by `block_id` of their plain text, unique
/// in document order.
fn anchors(md: &str, options: Options) -> BTreeSet<String> {
    let mut ids = IdSet::new();
    let mut out = BTreeSet::new();
    let mut text: Option<String> = None;
    let mut in_item = 0;
    let mut heading: Option<String> = None;
    for ev in Parser::new_ext(md, options) {
        match ev {
            Event::Start(Tag::Heading { .. }) => heading = Some(String::new()),
            Event::End(TagEnd::Heading(_)) => {
                out.insert(slugify(&heading.take().unwrap()));
            }
            Event::Start(Tag::Item) => {
                in_item += 1;
                text = Some(String::new());
            }
            Event::End(TagEnd::Item) => {
                in_item -= 1;
                out.insert(ids.unique(&block_id(&text.take().unwrap_or_default())));
            }
            Event::Start(Tag::Paragraph) if in_item == 0 => text = Some(String::new()),
            Event::End(TagEnd::Paragraph) if in_item == 0 => {
                out.insert(ids.unique(&block_id(&text.take().unwrap_or_default())));
            }
            Event::Text(t) | Event::Code(t) => {
                if let Some(h) = heading.as_mut() {
                    h.push_str(&t);
                } else if let Some(x) = text.as_mut() {
                    x.push_str(&t);
                }
            }
            Event::SoftBreak | Event::HardBreak => {
                if let Some(x) = text.as_mut() {
                    x.push(' ');
                }
            }
            _ => {}
        }
    }
    out
}

fn links(md: &str) -> Vec<String> {
    Parser::new_ext(md, Options::ENABLE_FOOTNOTES)
        .filter_map(|ev| match ev {
            Event::Start(Tag::Link { dest_url, .. }) => Some(dest_url.to_string()),
            _ => None,
        })
        .collect()
}

fn resolve(from: &str, target: &str) -> String {
    let mut parts: Vec<&str> = from.split('/').collect();
    parts.pop();
    for seg in target.split('/') {
        match seg {
            ".." => {
                parts.pop();
            }
            "." => {}
            s => parts.push(s),
        }
    }
    parts.join("/")
}

#[test]
fn every_link_resolves_to_a_page_and_an_anchor() {
    let (_d, pages) = imported();
    // With footnotes only, and with every extension (smart punctuation,
    // tables…), in case the build turns more on: ids must not move.
    for options in [Options::ENABLE_FOOTNOTES, Options::all()] {
        let anchor_sets: BTreeMap<&String, BTreeSet<String>> = pages
            .iter()
            .map(|(k, p)| (k, anchors(body(p), options)))
            .collect();
        let mut count = 0;
        let mut anchored = 0;
        for (k, p) in &pages {
            for l in links(body(p)) {
                assert!(
                    !l.starts_with("http") && !l.starts_with('/'),
                    "{k}: unexpected link {l}"
                );
                let (file, anchor) = l
                    .split_once('#')
                    .map_or((l.as_str(), None), |(f, a)| (f, Some(a)));
                assert!(file.ends_with(".md"), "{k}: {l}");
                let target = resolve(k, file);
                let set = anchor_sets
                    .get(&target)
                    .unwrap_or_else(|| panic!("{k}: link to missing page {l}"));
                if let Some(a) = anchor {
                    assert!(set.contains(a), "{k}: link to missing anchor {l}");
                    anchored += 1;
                }
                count += 1;
            }
        }
        assert!(
            count > 500 && anchored > 100,
            "{count} links, {anchored} anchored"
        );
    }
}

#[test]
fn pages_per_kind_and_their_front_matter() {
    let (_d, pages) = imported();
    let mut kinds: BTreeMap<String, usize> = BTreeMap::new();
    for (k, p) in &pages {
        let fm = frontmatter::split(p)
            .unwrap_or_else(|e| panic!("{k}: {e:?}"))
            .front_matter
            .unwrap();
        assert!(
            fm.title.as_deref().is_some_and(|t| !t.is_empty()),
            "{k}: no title"
        );
        assert!(
            fm.summary.as_deref().is_some_and(|t| !t.is_empty()),
            "{k}: no summary"
        );
        let kind = fm.kind.unwrap_or_else(|| panic!("{k}: no kind"));
        assert!(
            !body(p).trim_start().starts_with("# "),
            "{k}: body starts with a title"
        );
        if kind == frontmatter::Kind::Acronym {
            assert!(fm.expansion.is_some(), "{k}: no expansion");
        }
        *kinds.entry(kind.to_string()).or_default() += 1;
    }
    eprintln!("pages per kind: {kinds:?}");
    assert_eq!(kinds["chapter"], 5);
    assert_eq!(kinds["interview"], 17);
    // Home, about, and the interviews index's introduction (naming the
    // interviews no note cites).
    assert_eq!(kinds["page"], 3);
    // 24 listed acronyms plus those defined inline only (BI among them).
    assert!(kinds["acronym"] >= 25, "{kinds:?}");
    assert!(pages.contains_key("acronyms/bi.md"));
    assert!(pages.contains_key("acronyms/c-sase.md"));
    assert!(
        kinds["topic"] >= 20 && kinds["recommendation"] >= 15 && kinds["source"] >= 30,
        "{kinds:?}"
    );
    // Chapters in order, with the expected stems.
    let stems: Vec<&String> = pages
        .keys()
        .filter(|k| k.starts_with("chapters/"))
        .collect();
    assert_eq!(stems[0], "chapters/01-introduction.md");
    assert_eq!(stems[4], "chapters/05-conclusion.md");
    // The contents list is dropped; the block quote, figure and about page are there.
    assert!(!pages.values().any(|p| p.contains("List of acronyms\t4")));
    let ch4 = &pages["chapters/04-why-invest-now.md"];
    assert!(
        ch4.contains("\n> [The] concept [of self-protection]")
            || ch4.contains("\n> \\[The\\]")
            || ch4.contains("\n> [The] concept [of [self-protection]"),
        "block quote"
    );
    // The photo's caption, without its photo, is its credit in small print.
    assert!(
        ch4.contains("\n<small>**Photo:** A Dutch soldier conducts an urban assault training to prepare for collective defence scenarios"),
        "{ch4}"
    );
    assert!(!ch4.contains("<figure>") && !ch4.contains('▲'), "{ch4}");
    let about = &pages["about.md"];
    for s in [
        "Disclaimer",
        "Acknowledgements",
        "Donor support",
        "PoC@paxforpeace.nl",
        "Sint Jacobsstraat 12",
    ] {
        assert!(about.contains(s), "about page lacks {s}");
    }
    assert!(pages["_index.md"].contains("Karolina MacLachlan"));
}

#[test]
fn a_source_cited_in_long_and_short_form_is_one_page() {
    let (_d, pages) = imported();
    let agenda: Vec<_> = pages
        .keys()
        .filter(|k| k.starts_with("sources/human-security-agenda"))
        .collect();
    assert_eq!(agenda.len(), 1, "{agenda:?}");
    let usefulness: Vec<_> = pages.keys().filter(|k| k.contains("usefulness")).collect();
    assert_eq!(usefulness.len(), 1);
    // Notes 5, 15, 22 and 34 cite the agenda; all four link to its page.
    let target = format!("](../{})", agenda[0]);
    let linking: usize = pages
        .iter()
        .filter(|(k, _)| k.starts_with("chapters/"))
        .map(|(_, p)| {
            p.lines()
                .filter(|l| l.starts_with("[^") && l.contains(&target))
                .count()
        })
        .sum();
    assert_eq!(linking, 4);
}

#[test]
fn two_imports_write_the_same_bytes() {
    let a = tempfile::tempdir().unwrap();
    let b = tempfile::tempdir().unwrap();
    import_into(a.path());
    import_into(b.path());
    assert_eq!(tree(a.path()), tree(b.path()));
    // And a second run over the first changes nothing.
    let report = import_into(a.path());
    assert!(report.outcome.written.is_empty());
    assert_eq!(report.outcome.unchanged.len(), report.pages);
}

#[test]
fn the_committed_content_is_what_the_importer_writes_plus_edits() {
    // content/ in the repository is the import of the seed (regenerate it when
    // the importer, the seed or the decomposition change) plus editors'
    // edits: a page whose bytes no longer match the hash the last import
    // recorded is an edit, and may differ; every other page must match.
    let dir = tempfile::tempdir().unwrap();
    import_into(dir.path());
    let committed = tree(&repo("content"));
    let fresh = tree(dir.path());
    let manifest = dossier::import::manifest::read(&repo("content"))
        .unwrap()
        .expect("content/ has an import manifest");
    let edited = |k: &str| {
        committed
            .get(k)
            .is_some_and(|b| manifest.files.get(k) != Some(&dossier::import::manifest::sha256(b)))
    };
    let gone: Vec<_> = manifest
        .files
        .keys()
        .filter(|k| !fresh.contains_key(*k))
        .collect();
    assert!(
        gone.is_empty(),
        "content/ has imported pages the importer no longer writes (delete them): {gone:?}"
    );
    let stale: Vec<_> = fresh
        .keys()
        .filter(|k| k.as_str() != dossier::import::manifest::MANIFEST)
        .filter(|k| !edited(k) && committed.get(*k) != fresh.get(*k))
        .collect();
    assert!(
        stale.is_empty(),
        "stale content/: run `cargo run --release -- import {SEED}` (edited pages are kept): {stale:?}"
    );
}

/// A copy of the seed and decomposition in a temp dir, to vary them.
fn copy_inputs(dir: &Path) -> (PathBuf, PathBuf) {
    let seed = dir.join("r.txt");
    let dec = dir.join("r.decomposition.yaml");
    fs::copy(repo(SEED), &seed).unwrap();
    fs::copy(repo(DECOMPOSITION), &dec).unwrap();
    (seed, dec)
}

fn run(seed: &Path, into: &Path, force: bool) -> dossier::import::ImportReport {
    import(&ImportOptions {
        seed: seed.to_path_buf(),
        into: into.to_path_buf(),
        decomposition: None,
        force,
    })
    .unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn reimport_rewrites_unedited_pages_keeps_edited_ones_and_deletes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let (seed, dec) = copy_inputs(dir.path());
    let into = dir.path().join("content");
    run(&seed, &into, false);
    // An editor changes a chapter and adds a page of their own.
    let edited = into.join("chapters/02-methodology.md");
    let mut text = fs::read_to_string(&edited).unwrap();
    text.push_str("\nAn editor's note.\n");
    fs::write(&edited, &text).unwrap();
    fs::create_dir_all(into.join("notes")).unwrap();
    fs::write(into.join("notes/mine.md"), "mine").unwrap();
    // The decomposition changes a topic summary and drops the last recommendation.
    let d = fs::read_to_string(&dec).unwrap();
    let d = d.replace(
        "title: Ukraine\n    summary: The war",
        "title: Ukraine\n    summary: Changed. The war",
    );
    let cut = d.rfind("\n  - slug: ").unwrap();
    fs::write(&dec, &d[..cut]).unwrap();

    let report = run(&seed, &into, false);
    assert_eq!(report.outcome.kept_edited, ["chapters/02-methodology.md"]);
    assert!(
        report
            .outcome
            .written
            .contains(&"topics/ukraine.md".to_string()),
        "{:?}",
        report.outcome.written
    );
    assert!(fs::read_to_string(into.join("topics/ukraine.md"))
        .unwrap()
        .contains("Changed. The war"));
    assert_eq!(
        fs::read_to_string(&edited).unwrap(),
        text,
        "edited page overwritten"
    );
    assert_eq!(
        fs::read_to_string(into.join("notes/mine.md")).unwrap(),
        "mine"
    );
    let dropped = "recommendations/ngos-apply-human-security-to-state-security.md";
    assert!(
        into.join(dropped).exists(),
        "a page no longer generated was deleted"
    );
    assert_eq!(report.outcome.orphaned, [dropped]);

    // Still edited (and still listed) on the next run.
    let report = run(&seed, &into, false);
    assert_eq!(report.outcome.kept_edited, ["chapters/02-methodology.md"]);

    // --force backs the edited page up, then overwrites it.
    let report = run(&seed, &into, true);
    assert_eq!(report.outcome.backed_up.len(), 1);
    let (rel, backup) = &report.outcome.backed_up[0];
    assert_eq!(rel, "chapters/02-methodology.md");
    assert_eq!(fs::read_to_string(backup).unwrap(), text);
    assert!(
        !backup.starts_with(&into),
        "backups must not land in content/: {backup:?}"
    );
    assert!(!fs::read_to_string(&edited)
        .unwrap()
        .contains("An editor's note."));
    assert!(report.outcome.kept_edited.is_empty());
}

/// A page the decomposition no longer has (a recommendation renamed or
/// dropped) is not deleted, but the editor is told, or it would linger
/// unnoticed in the site.
#[test]
fn a_page_the_import_no_longer_writes_is_named() {
    let dir = tempfile::tempdir().unwrap();
    let (seed, dec) = copy_inputs(dir.path());
    let into = dir.path().join("content");
    run(&seed, &into, false);
    let d = fs::read_to_string(&dec).unwrap();
    assert!(d.contains("  - slug: learn-from-ukraine\n"));
    fs::write(
        &dec,
        d.replace(
            "  - slug: learn-from-ukraine\n",
            "  - slug: ukraine-lessons\n",
        ),
    )
    .unwrap();
    let (ok, stderr) = dossier(&[
        "import",
        seed.to_str().unwrap(),
        "--into",
        into.to_str().unwrap(),
    ]);
    assert!(ok, "{stderr}");
    let old = into.join("recommendations/learn-from-ukraine.md");
    assert!(
        stderr.contains(&format!(
            "{}: warning: no longer written by the import",
            old.display()
        )),
        "{stderr}"
    );
    assert!(old.is_file(), "nothing is deleted");
    assert!(into.join("recommendations/ukraine-lessons.md").is_file());
    // Once the editor deletes it, it is not named again.
    fs::remove_file(&old).unwrap();
    let (ok, stderr) = dossier(&[
        "import",
        seed.to_str().unwrap(),
        "--into",
        into.to_str().unwrap(),
    ]);
    assert!(ok, "{stderr}");
    assert!(!stderr.contains("no longer written"), "{stderr}");
}

fn dossier(args: &[&str]) -> (bool, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_dossier"))
        .args(args)
        .output()
        .unwrap();
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// Runs the CLI on a broken seed over a populated content dir and checks
/// that it fails with `expect` and leaves the content dir as it was.
fn refuses(seed_bytes: &[u8], expect: &str) {
    let dir = tempfile::tempdir().unwrap();
    let into = dir.path().join("content");
    run(&repo(SEED), &into, false);
    let before = tree(&into);
    let seed = dir.path().join("bad.txt");
    fs::write(&seed, seed_bytes).unwrap();
    let (ok, stderr) = dossier(&[
        "import",
        seed.to_str().unwrap(),
        "--into",
        into.to_str().unwrap(),
    ]);
    assert!(!ok, "exit status should be non-zero");
    assert!(
        stderr.contains(&format!("{}", seed.display())),
        "error names the seed: {stderr}"
    );
    assert!(
        stderr.contains("error:") && stderr.contains(expect),
        "{stderr}"
    );
    assert_eq!(tree(&into), before, "content/ was touched");
}

#[test]
fn an_empty_seed_is_refused() {
    refuses(b"", "seed is empty");
    refuses(b"\n  \n\n", "seed is empty");
}

#[test]
fn a_binary_seed_is_refused() {
    refuses(b"%PDF-1.7\n\xff\xfe\x00\x01binary", "not UTF-8 text");
    refuses(b"text\x00\x01\x02 more", "binary data");
}

#[test]
fn a_seed_without_headings_is_refused() {
    let seed = fs::read_to_string(repo(SEED)).unwrap();
    let no_headings: String = seed
        .lines()
        .map(|l| {
            if l.starts_with(|c: char| c.is_ascii_digit())
                && l.contains(". ")
                && !l.contains('\t')
                && l.len() < 90
            {
                ""
            } else {
                l
            }
        })
        .collect::<Vec<_>>()
        .join("\n");
    refuses(no_headings.as_bytes(), "no numbered chapter headings");
}

#[test]
fn a_seed_without_acronym_list_takes_its_acronyms_from_the_text() {
    let seed = fs::read_to_string(repo(SEED)).unwrap();
    let no_list: String = seed
        .lines()
        .filter(|l| !l.contains('\t') || l.trim_end().ends_with(|c: char| c.is_ascii_digit()))
        .collect::<Vec<_>>()
        .join("\n");
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("no-list.txt");
    fs::write(&path, no_list).unwrap();
    let into = dir.path().join("content");
    import(&ImportOptions {
        seed: path,
        into: into.clone(),
        decomposition: Some(repo(DECOMPOSITION)),
        force: false,
    })
    .unwrap_or_else(|e| panic!("import failed:\n{e}"));
    let pages = pages(&into);
    // Defined in the text as "North Atlantic Treaty Organisation (NATO)",
    // "Building Integrity (BI)".
    assert!(pages["acronyms/nato.md"].contains("expansion: North Atlantic Treaty Organisation"));
    assert!(pages["acronyms/bi.md"].contains("expansion: Building Integrity"));
}

/// A report unlike the seed: no list of acronyms (it defines them in its
/// text), numbered sub-headings, a list of another kind.
const OTHER_REPORT: &str = "March 2026

ACME

A study of integrity in small armed forces

Colophon

Author: Jo Doe

1. Introduction

This report looks at Building Integrity (BI) in small forces. The United Nations (UN) has a view on it too.

2. Method and scope

This chapter says how the study was done.

2.1 Scope

The study covers BI in three small forces, and the role of the UN.

2.1.1. What is left out

Large forces are left out of this study.

2.2. Sources

We read documents and spoke to officers.

3. Conclusion

BI matters, in small forces most of all.
";

#[test]
fn a_report_without_acronym_list_and_with_numbered_sections_imports_and_builds() {
    let dir = tempfile::tempdir().unwrap();
    let seed = dir.path().join("other.txt");
    fs::write(&seed, OTHER_REPORT).unwrap();
    let content = dir.path().join("content");
    let site = dir.path().join("site");
    let (ok, stderr) = dossier(&[
        "import",
        seed.to_str().unwrap(),
        "--into",
        content.to_str().unwrap(),
    ]);
    assert!(ok, "{stderr}");
    let (ok, stderr) = dossier(&[
        "build",
        "--content",
        content.to_str().unwrap(),
        "--templates",
        repo("templates").to_str().unwrap(),
        "--out",
        site.to_str().unwrap(),
    ]);
    assert!(ok, "{stderr}");
    assert!(!stderr.contains("warning:"), "{stderr}");
    let read = |p: &str| fs::read_to_string(site.join(p)).unwrap_or_else(|e| panic!("{p}: {e}"));
    // The numbered sub-headings are the chapter's sections, at their level,
    // with the report's numbers.
    let ch2 = read("chapters/02-method-and-scope.html");
    let heading = |tag: &str, text: &str| {
        ch2.split(&format!("<{tag} ")).skip(1).any(|h| {
            h.split(&format!("</{tag}>"))
                .next()
                .unwrap_or("")
                .contains(text)
        })
    };
    assert!(heading("h2", "2.1 Scope"), "{ch2}");
    assert!(heading("h3", "2.1.1. What is left out"), "{ch2}");
    assert!(heading("h2", "2.2. Sources"), "{ch2}");
    assert!(!ch2.contains("<p>2.1"), "{ch2}");
    // The acronyms the text defines are the glossary.
    let bi = read("acronyms/bi.html");
    assert!(bi.contains("Building Integrity"), "{bi}");
    assert!(read("acronyms/un.html").contains("United Nations"));
    assert!(
        ch2.contains("<abbr title=\"Building Integrity\">BI</abbr>"),
        "{ch2}"
    );
    // An acronym's page says where the text is found, by its section.
    assert!(bi.contains("Introduction"), "{bi}");
}

#[test]
fn a_bad_decomposition_file_is_an_error_at_its_line() {
    let dir = tempfile::tempdir().unwrap();
    let (seed, dec) = copy_inputs(dir.path());
    let d = fs::read_to_string(&dec).unwrap();
    let d = d.replacen(
        "  - slug: resilience\n",
        "  - slug: resilience\n    colour: red\n",
        1,
    );
    fs::write(&dec, &d).unwrap();
    let line = d.lines().position(|l| l.contains("colour: red")).unwrap() + 1;
    let into = dir.path().join("content");
    let (ok, stderr) = dossier(&[
        "import",
        seed.to_str().unwrap(),
        "--into",
        into.to_str().unwrap(),
    ]);
    assert!(!ok);
    assert!(
        stderr.contains(&format!("{}:{line}:", dec.display())),
        "{stderr}"
    );
    assert!(stderr.contains("colour"), "{stderr}");
    assert!(!into.exists(), "nothing may be written");

    // A phrase that is not in the text names its line too.
    let d = fs::read_to_string(repo(DECOMPOSITION)).unwrap().replace(
        "phrase: \"respond to humanitarian needs\"",
        "phrase: \"respond to humanitarian wants\"",
    );
    fs::write(&dec, &d).unwrap();
    let line = d
        .lines()
        .position(|l| l.contains("humanitarian wants"))
        .unwrap()
        + 1;
    let (ok, stderr) = dossier(&[
        "import",
        seed.to_str().unwrap(),
        "--into",
        into.to_str().unwrap(),
    ]);
    assert!(!ok);
    assert!(
        stderr.contains(&format!("{}:{line}:", dec.display())),
        "{stderr}"
    );
    assert!(!into.exists());
}

#[test]
fn an_explicit_missing_decomposition_file_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let into = dir.path().join("content");
    let missing = dir.path().join("nope.yaml");
    let (ok, stderr) = dossier(&[
        "import",
        repo(SEED).to_str().unwrap(),
        "--into",
        into.to_str().unwrap(),
        "--decomposition",
        missing.to_str().unwrap(),
    ]);
    assert!(!ok);
    assert!(
        stderr.contains("nope.yaml") && stderr.contains("cannot read decomposition"),
        "{stderr}"
    );
    assert!(!into.exists());
}

#[test]
fn an_import_into_the_folder_it_runs_in_is_refused() {
    // It replaces the folder whole: the shell that ran it would be left in
    // a deleted folder.
    let dir = tempfile::tempdir().unwrap();
    let into = dir.path().join("content");
    run(&repo(SEED), &into, false);
    let before = tree(&into);
    let out = Command::new(env!("CARGO_BIN_EXE_dossier"))
        .current_dir(into.join("chapters"))
        .args([
            "import",
            repo(SEED).to_str().unwrap(),
            "--into",
            "..",
            "--force",
        ])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    assert!(
        stderr.contains("..: error: refusing to import here")
            && stderr.contains("holds the current folder"),
        "{stderr}"
    );
    assert_eq!(tree(&into), before);
}

#[test]
fn the_real_seed_imports_without_a_warning() {
    let dir = tempfile::tempdir().unwrap();
    let report = import_into(dir.path());
    assert!(report.warnings.is_empty(), "{}", report.warnings);
}

#[test]
fn a_seed_pasted_in_twice_is_refused_at_the_repeated_heading() {
    let seed = fs::read_to_string(repo(SEED)).unwrap();
    // As pasted into an editor: the second copy on a line of its own.
    let twice = format!("{seed}\n{seed}");
    let first = seed
        .lines()
        .position(|l| l.starts_with("1. Introduction") && !l.contains('\t'))
        .unwrap()
        + 1;
    let again = seed.lines().count() + first;
    refuses(
        twice.as_bytes(),
        &format!("bad.txt:{again}:1: error: the chapter heading '1. Introduction"),
    );
}

#[test]
fn a_back_matter_marker_not_in_the_seed_is_an_error_at_its_line() {
    let dir = tempfile::tempdir().unwrap();
    let (seed, dec) = copy_inputs(dir.path());
    let d = fs::read_to_string(&dec)
        .unwrap()
        .replace("\"Make peace work.\"", "\"Make peace works.\"");
    fs::write(&dec, &d).unwrap();
    let line = d.lines().position(|l| l.contains("works.")).unwrap() + 1;
    let into = dir.path().join("content");
    let (ok, stderr) = dossier(&[
        "import",
        seed.to_str().unwrap(),
        "--into",
        into.to_str().unwrap(),
    ]);
    assert!(!ok);
    assert!(
        stderr.contains(&format!(
            "{}:{line}: error: back_matter_starts",
            dec.display()
        )),
        "{stderr}"
    );
    assert!(!into.exists(), "nothing may be written");
}

#[test]
fn a_deeply_nested_decomposition_file_is_refused_fast() {
    // The YAML parser's work grows with the square of the nesting: 200,000
    // `[` would keep it busy for minutes. The generous limit only turns
    // that into a failure.
    const LIMIT: std::time::Duration = std::time::Duration::from_secs(60);
    let dir = tempfile::tempdir().unwrap();
    let (seed, dec) = copy_inputs(dir.path());
    fs::write(
        &dec,
        format!(
            "summary: fine\ntopics:\n  - slug: a\n    title: {}\n",
            "[".repeat(200_000)
        ),
    )
    .unwrap();
    let into = dir.path().join("content");
    let mut child = Command::new(env!("CARGO_BIN_EXE_dossier"))
        .args([
            "import",
            seed.to_str().unwrap(),
            "--into",
            into.to_str().unwrap(),
        ])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let start = std::time::Instant::now();
    while child.try_wait().unwrap().is_none() {
        if start.elapsed() > LIMIT {
            let _ = child.kill();
            panic!("import still running after {LIMIT:?}");
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "{stderr}");
    assert!(
        stderr.contains(&format!(
            "{}:4:12: error: decomposition: 200000 '[' or '{{' in",
            dec.display()
        )),
        "{stderr}"
    );
    assert!(!into.exists(), "nothing may be written");
}

#[test]
fn a_page_deleted_by_the_editor_is_not_recreated_unless_forced() {
    let dir = tempfile::tempdir().unwrap();
    let (seed, _) = copy_inputs(dir.path());
    let into = dir.path().join("content");
    run(&seed, &into, false);
    fs::remove_file(into.join("topics/resilience.md")).unwrap();
    let args = [
        "import",
        seed.to_str().unwrap(),
        "--into",
        into.to_str().unwrap(),
    ];
    let (ok, stderr) = dossier(&args);
    assert!(ok, "{stderr}");
    assert!(
        stderr.contains(&format!(
            "{}: kept deleted",
            into.join("topics/resilience.md").display()
        )),
        "{stderr}"
    );
    assert!(!into.join("topics/resilience.md").exists());
    let (ok, stderr) = dossier(&[&args[..], &["--force"]].concat());
    assert!(ok, "{stderr}");
    assert!(into.join("topics/resilience.md").is_file());
}

#[test]
fn explain_lists_every_topic_link_at_its_page_and_line() {
    let dir = tempfile::tempdir().unwrap();
    let into = dir.path().join("content");
    let out = Command::new(env!("CARGO_BIN_EXE_dossier"))
        .args([
            "import",
            SEED,
            "--into",
            into.to_str().unwrap(),
            "--explain",
        ])
        .current_dir(repo(""))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let listed = String::from_utf8(out.stdout).unwrap();
    let pages = pages(&into);
    let mut count = 0;
    let mut unlinked = Vec::new();
    for l in listed.lines() {
        if l.contains(" (mentioned in this section but not linked") {
            unlinked.push(l);
            continue;
        }
        // `content/chapters/x.md:12: "words" → topics/slug.md`
        let (place, rest) = l.split_once(": \"").unwrap_or_else(|| panic!("{l}"));
        let (path, line) = place.rsplit_once(':').unwrap();
        let (words, target) = rest.split_once("\" → ").unwrap();
        let rel = Path::new(path)
            .strip_prefix(&into)
            .unwrap()
            .to_str()
            .unwrap();
        let text = &pages[rel];
        let line: usize = line.parse().unwrap();
        let at = text.lines().nth(line - 1).unwrap();
        assert!(
            at.contains(&format!("[{words}](../{target})")),
            "{l}: line {line} is {at}"
        );
        count += 1;
    }
    let in_chapters: usize = pages
        .iter()
        .filter(|(k, _)| k.starts_with("chapters/"))
        .map(|(_, t)| t.matches("](../topics/").count())
        .sum();
    assert!(count > 20, "{listed}");
    assert_eq!(count, in_chapters, "every topic link is listed");
    // A section whose only mention of a topic is in a recommendation's
    // words links it there too, and no section is left without its link.
    assert!(
        listed.contains("\"humanitarian needs\" → topics/facilitating-access-to-basic-needs.md\n"),
        "{listed}"
    );
    assert!(unlinked.is_empty(), "{unlinked:#?}");
}

//! The repository ships `site/` so that a reader can open `site/index.html`
//! with no tools at all; these tests keep it the exact build of `content/`
//! and check that the whole report is readable and linked in it.

use std::path::Path;

use crate::support::{html_pages, link_problems, run_in, tree};

fn repo(p: &str) -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(p)
}

#[test]
fn committed_site_is_the_build_of_committed_content() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("site");
    let args = [
        Path::new("build"),
        Path::new("-q"),
        Path::new("--out"),
        &out,
    ];
    run_in(&repo(""), args.map(Path::as_os_str), &[]).success();
    let fresh = tree(&out);
    let committed = tree(&repo("site"));
    let mut stale: Vec<&String> = fresh
        .keys()
        .filter(|k| committed.get(*k) != fresh.get(*k))
        .collect();
    stale.extend(committed.keys().filter(|k| !fresh.contains_key(*k)));
    assert!(
        stale.is_empty(),
        "site/ is stale: run `cargo run --release -- build` and commit site/ ({} files differ: {:?})",
        stale.len(),
        stale.iter().take(10).collect::<Vec<_>>()
    );
}

#[test]
fn committed_site_reaches_every_page_with_no_broken_link() {
    let site = tree(&repo("site"));
    let problems = link_problems(&site, &[]);
    assert!(problems.is_empty(), "{problems:#?}");
    // Every page is reachable from index.html by following links.
    let pages = html_pages(&site);
    let mut seen = std::collections::BTreeSet::from(["index.html".to_string()]);
    let mut queue = vec!["index.html".to_string()];
    while let Some(url) = queue.pop() {
        // Links, and forms (the search box submits to search.html).
        let html = &pages[&url];
        let targets = crate::support::attr_values(html, "href")
            .into_iter()
            .chain(crate::support::attr_values(html, "action"));
        for href in targets {
            if let Some((target, _)) = crate::support::resolve(&url, &href) {
                if pages.contains_key(&target) && seen.insert(target.clone()) {
                    queue.push(target);
                }
            }
        }
    }
    let unreachable: Vec<&String> = pages
        .keys()
        .filter(|p| !seen.contains(*p) && *p != "404.html")
        .collect();
    assert!(
        unreachable.is_empty(),
        "not reachable from index.html: {unreachable:?}"
    );
}

#[test]
fn the_report_reads_chapter_by_chapter_with_every_footnote() {
    let pages = html_pages(&tree(&repo("site")));
    let home = &pages["index.html"];
    let chapters: Vec<String> = crate::support::attr_values(
        crate::support::element_inner(home, "<ol class=\"chapter-list\">", "ol")
            .expect("home lists chapters"),
        "href",
    );
    assert_eq!(chapters.len(), 5, "{chapters:?}");
    let mut notes = 0;
    for (i, href) in chapters.iter().enumerate() {
        let page = &pages[href];
        // prev/next chain the chapters in the home page's order.
        if let Some(next) = chapters.get(i + 1) {
            let next_name = next.rsplit('/').next().unwrap();
            assert!(
                page.contains(&format!("rel=\"next\" href=\"{next_name}\"")),
                "{href} → {next}"
            );
        }
        notes += page.matches("<li id=\"fn-").count();
    }
    assert_eq!(notes, 51, "the report has 51 footnotes");
}

#[test]
fn every_referenced_by_list_matches_the_links_in_the_report() {
    let pages = html_pages(&tree(&repo("site")));
    // The content pages: one per markdown file.
    let content_urls: Vec<String> = walkdir::WalkDir::new(repo("content"))
        .into_iter()
        .flatten()
        .filter(|e| e.path().extension().is_some_and(|x| x == "md"))
        .map(|e| {
            let rel = e
                .path()
                .strip_prefix(repo("content"))
                .unwrap()
                .to_string_lossy()
                .into_owned();
            dossier::content::url_for(&rel)
        })
        .collect();
    let mut linkers: std::collections::BTreeMap<String, std::collections::BTreeSet<String>> =
        Default::default();
    for url in &content_urls {
        let body = crate::support::content_of(&pages[url]).expect("content div");
        for href in crate::support::attr_values(body, "href") {
            if let Some((target, _)) = crate::support::resolve(url, &href) {
                if &target != url {
                    linkers.entry(target).or_default().insert(url.clone());
                }
            }
        }
    }
    let mut checked = 0;
    // The home page and the kind indexes (with an `_index.md` introduction)
    // are reached by navigation and list no Referenced by.
    let is_index = |url: &str| url == "index.html" || url.ends_with("/index.html");
    for url in &content_urls {
        let Some(section) =
            crate::support::element_inner(&pages[url], "<section class=\"backlinks\"", "section")
        else {
            assert!(
                is_index(url),
                "only index pages have no Referenced by: {url}"
            );
            continue;
        };
        let listed: std::collections::BTreeSet<String> = section
            .split("class=\"backlink-source\" href=\"")
            .skip(1)
            .map(|s| {
                crate::support::resolve(url, &s[..s.find('"').unwrap()])
                    .unwrap()
                    .0
            })
            .collect();
        assert_eq!(
            listed,
            linkers.get(url).cloned().unwrap_or_default(),
            "Referenced by on {url}"
        );
        checked += 1;
    }
    let indexes = content_urls.iter().filter(|u| is_index(u)).count();
    assert_eq!(checked, content_urls.len() - indexes);
}

/// The repository's own report is the example a newcomer builds first: it
/// must build without a single warning, so `--deny-warnings` guards it.
#[test]
fn committed_content_checks_without_a_warning() {
    let run = run_in(&repo(""), ["check", "--deny-warnings"], &[]);
    assert_eq!(
        (run.code, run.stderr.as_str()),
        (Some(0), "0 errors, 0 warnings\n"),
        "{}",
        run.stderr
    );
}

/// The source and interview pages, by file name, from the committed content.
fn evidence_pages() -> Vec<(String, String)> {
    let mut out = Vec::new();
    for dir in ["content/sources", "content/interviews"] {
        for entry in std::fs::read_dir(repo(dir)).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_some_and(|e| e == "md") {
                let text = std::fs::read_to_string(&path).unwrap();
                out.push((path.display().to_string(), text));
            }
        }
    }
    out.sort();
    out
}

#[test]
fn no_source_page_cites_with_a_leftover_citation_signal() {
    let signals = ["see ", "see, ", "cf. ", "for example", "e.g."];
    let mut bad = Vec::new();
    for (path, text) in evidence_pages() {
        let mut in_forms = false;
        for line in text.lines() {
            let form = if let Some(f) = line.strip_prefix("As cited: ") {
                Some(f)
            } else if line == "Also cited as:" {
                in_forms = true;
                None
            } else if line.starts_with("## ") {
                in_forms = false;
                None
            } else if in_forms {
                line.strip_prefix("- ")
            } else {
                None
            };
            if let Some(f) = form {
                let lower = f.to_lowercase();
                if signals.iter().any(|s| lower.starts_with(s)) {
                    bad.push(format!("{path}: {f}"));
                }
            }
        }
    }
    assert!(bad.is_empty(), "citations starting with a signal: {bad:#?}");
}

#[test]
fn every_supporting_passage_is_the_words_of_the_chapter_it_links_to() {
    use dossier::import::text::plain;
    let mut bad = Vec::new();
    let mut checked = 0;
    for (path, text) in evidence_pages() {
        for line in text.lines().filter(|l| l.starts_with("- ")) {
            // `- Note 4, [label](../chapters/03-x.md#p-id): “passage”`
            let Some(at) = line.find("](../chapters/") else {
                continue;
            };
            let rest = &line[at + "](../chapters/".len()..];
            let Some((target, quote)) = rest.split_once("): “") else {
                continue;
            };
            let (file, anchor) = target.split_once('#').unwrap_or((target, ""));
            let passage = quote
                .strip_suffix('”')
                .unwrap_or(quote)
                .trim_start_matches("… ")
                .trim_end_matches(" …");
            let chapter = std::fs::read_to_string(repo(&format!("content/chapters/{file}")))
                .unwrap_or_default();
            // Each paragraph, list item or quote is one line of markdown.
            let paras: Vec<&str> = chapter
                .lines()
                .map(|l| l.strip_prefix("- ").or(l.strip_prefix("> ")).unwrap_or(l))
                .collect();
            let found = paras.iter().any(|para| plain(para).contains(passage));
            let html_file = file.replace(".md", ".html");
            let html = std::fs::read_to_string(repo(&format!("site/chapters/{html_file}")))
                .unwrap_or_default();
            if passage.is_empty() || !found || !html.contains(&format!("id=\"{anchor}\"")) {
                bad.push(format!("{path}: {line}"));
            }
            // A note's passage is all its paragraph says from the previous
            // note marker (or the paragraph start) up to the note's own.
            if let Some(n) = line
                .strip_prefix("- Note ")
                .and_then(|r| r.split_once(',').map(|(n, _)| n))
            {
                let marker = format!("[^{n}]");
                let whole = paras.iter().find_map(|para| {
                    let pos = para.find(&marker)?;
                    let start = para[..pos]
                        .rfind("[^")
                        .map_or(0, |i| i + para[i..].find(']').map_or(0, |j| j + 1));
                    Some(plain(&para[start..pos]))
                });
                let whole = whole.unwrap_or_default();
                if whole.trim().trim_end_matches([',', ';']).trim_end() != passage {
                    bad.push(format!(
                        "{path}: note {n} supports “{whole}”, not “{passage}”"
                    ));
                }
            }
            checked += 1;
        }
    }
    assert!(
        checked > 0,
        "no passage quoted on any source or interview page"
    );
    assert!(
        bad.is_empty(),
        "passages not found where they link: {bad:#?}"
    );
}

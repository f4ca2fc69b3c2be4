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

/// The committed pages of one kind's folder, by file name.
fn content_pages(dir: &str) -> Vec<(String, String)> {
    let mut pages: Vec<(String, String)> = std::fs::read_dir(repo(dir))
        .unwrap()
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "md"))
        .filter(|p| p.file_name().is_some_and(|n| n != "_index.md"))
        .map(|p| {
            let name = p.file_name().unwrap().to_string_lossy().into_owned();
            (name, std::fs::read_to_string(&p).unwrap())
        })
        .collect();
    pages.sort();
    pages
}

/// The page's first block quote (its main quote), as one line.
fn main_quote(md: &str) -> Option<&str> {
    md.lines().find_map(|l| l.strip_prefix("> "))
}

/// One ask is one page: no two recommendation pages give the same words
/// as the report's, none repeats them under "Also argued in", and each
/// says who is asked to act, which the index groups them by.
#[test]
fn committed_recommendations_quote_distinct_asks_and_name_their_actor() {
    let pages = content_pages("content/recommendations");
    assert!(!pages.is_empty());
    let mut quoted: std::collections::BTreeMap<&str, &str> = Default::default();
    let index = std::fs::read_to_string(repo("site/recommendations/index.html")).unwrap();
    for (name, md) in &pages {
        let quote = main_quote(md).unwrap_or_else(|| panic!("{name}: no quote"));
        if let Some(other) = quoted.insert(quote, name) {
            panic!("{name} and {other} quote the same words: {quote}");
        }
        if let Some((_, also)) = md.split_once("## Also argued in") {
            let also = also.split("\n## ").next().unwrap_or("");
            assert!(
                !also.contains(quote),
                "{name} repeats its quote under Also argued in"
            );
        }
        let front = md.split("\n---\n").next().unwrap_or("");
        let actor = front
            .lines()
            .find_map(|l| l.strip_prefix("actor: "))
            .unwrap_or_else(|| panic!("{name}: no actor in its front matter"))
            .trim_matches(['\'', '"']);
        assert!(!actor.trim().is_empty(), "{name}: empty actor");
        assert!(
            index.contains(&format!(">{}</h2>", actor.replace('\'', "&#39;"))),
            "recommendations/index.html has no group for {actor}"
        );
    }
}

/// A topic page's quote stands alone: it does not open with a word that
/// points back at a sentence the page leaves out ("It should…", "Two, the
/// focus…"), unless an editor's bracketed antecedent replaces it.
#[test]
fn committed_topic_quotes_do_not_open_with_a_dangling_word() {
    const DANGLING: [&str; 19] = [
        "It", "Its", "This", "These", "Those", "That", "They", "Their", "Such", "One,", "Two,",
        "Three,", "Four,", "Five,", "First,", "Second,", "Third,", "Fourth,", "Finally,",
    ];
    let pages = content_pages("content/topics");
    assert!(!pages.is_empty());
    for (name, md) in &pages {
        let Some(quote) = main_quote(md) else {
            continue;
        };
        let first = quote.split_whitespace().next().unwrap_or("");
        assert!(
            !DANGLING.contains(&first),
            "{name}: the quote opens with \"{first}\": {quote}"
        );
    }
}

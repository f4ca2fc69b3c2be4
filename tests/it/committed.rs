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

/// Every box of the decomposition file is an `<aside>` on its chapter page,
/// and a link named after a box ("Chapter 3, “What's in a name?”") leads into
/// that box: the text after a box is the chapter's again, and a place there
/// is named by the chapter or its section, never by the box.
#[test]
fn every_box_is_an_aside_and_only_its_own_paragraphs_are_named_after_it() {
    let path = repo("seeds/pax-nato-human-security-2026.decomposition.yaml");
    let text = std::fs::read_to_string(&path).unwrap();
    let decomposition = dossier::import::decompose::parse(&path, &text).unwrap();
    assert!(!decomposition.boxes.is_empty(), "the report has a box");
    let fold = |s: &str| {
        s.replace(['‘', '’'], "'")
            .replace(['“', '”'], "\"")
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
    };
    let pages = html_pages(&tree(&repo("site")));
    for b in &decomposition.boxes {
        let title = fold(&b.title);
        // The chapter page whose aside has the box's heading, and the ids
        // inside that aside.
        let mut found = None;
        for (url, html) in pages.iter().filter(|(u, _)| u.starts_with("chapters/")) {
            let Some(content) = crate::support::content_of(html) else {
                continue;
            };
            let mut rest = content;
            while let Some(aside) = crate::support::element_inner(rest, "<aside>", "aside") {
                let heading = crate::support::element_inner(aside, "<h2", "h2")
                    .map(|h| fold(&strip_tags(&h[h.find('>').map_or(0, |i| i + 1)..])));
                if heading.as_deref() == Some(title.as_str()) {
                    found = Some((url.clone(), crate::support::ids(aside)));
                }
                rest = &rest[rest.find("</aside>").unwrap() + "</aside>".len()..];
            }
        }
        let Some((chapter, inside)) = found else {
            panic!("box \"{}\" is not an <aside> on any chapter page", b.title);
        };
        let label = format!("\"{title}\"");
        let mut wrong = Vec::new();
        for (url, html) in &pages {
            let mut rest = html.as_str();
            while let Some(at) = rest.find("<a ") {
                rest = &rest[at..];
                let end = rest.find("</a>").unwrap_or(rest.len());
                let anchor = &rest[..end];
                rest = &rest[end..];
                let Some(href) = crate::support::attr_values(anchor, "href")
                    .into_iter()
                    .next()
                else {
                    continue;
                };
                let text = fold(&strip_tags(&anchor[anchor.find('>').unwrap() + 1..]));
                if !text.contains(&label) {
                    continue;
                }
                // Links to other pages quote the label as context (a
                // backlink's sentence); the places are the links into
                // chapters. The print page's copies are checked on the
                // pages they are printed from.
                match crate::support::resolve(url, &href) {
                    Some((target, Some(id))) if target == chapter && inside.contains(&id) => {}
                    Some((target, _)) if !target.starts_with("chapters/") => {}
                    _ => wrong.push(format!("{url}: “{text}” → {href}")),
                }
            }
        }
        assert!(
            wrong.is_empty(),
            "{} links named after the box \"{}\" lead outside it: {wrong:#?}",
            wrong.len(),
            b.title
        );
    }
}

/// The text of an HTML fragment.
fn strip_tags(html: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    crate::support::unescape(&out)
}

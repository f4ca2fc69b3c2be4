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
        crate::support::element_inner(home, "<ol class=\"chapter-list numbered\">", "ol")
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

#[test]
fn committed_home_page_is_the_reports_front_door() {
    let site = tree(&repo("site"));
    let pages = html_pages(&site);
    let home = &pages["index.html"];
    let main = crate::support::main_of(home);
    // The date as the report states it, not a made-up day.
    assert!(main.contains(">July 2026</time>"), "{main}");
    assert!(!main.contains("2026-07-01<"), "{main}");
    assert!(main.contains(">Start reading</a>"), "{main}");
    assert!(main.contains("id=\"how-to-cite\""), "{main}");
    // Key findings: 3 to 6, each linking to a paragraph that exists.
    let findings = main
        .split("id=\"key-findings\"")
        .nth(1)
        .expect("a Key findings section");
    let findings = &findings[..findings.find("</ul>").unwrap()];
    // Each item ends with the link to its place (acronyms in the quote
    // link to their pages).
    let links: Vec<String> = findings
        .split("<li")
        .skip(1)
        .filter_map(|li| crate::support::attr_values(li, "href").pop())
        .collect();
    assert!((3..=6).contains(&links.len()), "{links:?}");
    for href in links {
        let (target, id) = crate::support::resolve("index.html", &href).unwrap();
        let id = id.unwrap_or_else(|| panic!("{href} names no paragraph"));
        assert!(id.starts_with("p-"), "{href}");
        assert!(
            crate::support::ids(&pages[&target]).contains(&id),
            "{href}: no such paragraph"
        );
    }
    // Every page names the report for indexers.
    for (url, html) in &pages {
        if url == "404.html" {
            continue;
        }
        let head = &html[..html.find("</head>").unwrap()];
        assert!(
            head.contains("<meta name=\"citation_title\" content=\"How to safeguard human security amid changing NATO priorities\">"),
            "{url}"
        );
    }
}

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

/// Committed markdown pages under `content/<dir>/`, by file name.
fn content_pages(dir: &str) -> Vec<(String, String)> {
    tree(&repo("content"))
        .into_iter()
        .filter(|(k, _)| k.starts_with(&format!("{dir}/")) && k.ends_with(".md"))
        .map(|(k, v)| (k, String::from_utf8(v).unwrap()))
        .collect()
}

/// A front matter value of a committed page (`key: value` on one line).
fn front_value(page: &str, key: &str) -> Option<String> {
    let fm = page.split("\n---\n").next()?;
    fm.lines()
        .find_map(|l| l.strip_prefix(&format!("{key}: ")))
        .map(|v| v.trim_matches(['\'', '"']).to_string())
}

#[test]
fn no_topic_link_is_part_of_a_longer_term_or_of_a_name() {
    let dpath = repo("seeds/pax-nato-human-security-2026.decomposition.yaml");
    let d = dossier::import::decompose::parse(&dpath, &std::fs::read_to_string(&dpath).unwrap())
        .unwrap();
    // The longer terms: acronyms' expansions, topic titles and phrases.
    let mut terms: Vec<String> = content_pages("acronyms")
        .iter()
        .filter_map(|(_, p)| front_value(p, "expansion"))
        .collect();
    for t in &d.topics {
        terms.push(t.title.clone());
        terms.extend(t.phrases.iter().cloned());
    }
    let terms: std::collections::BTreeSet<String> =
        terms.iter().map(|t| t.to_lowercase()).collect();
    let mut problems = Vec::new();
    for (rel, text) in content_pages("chapters") {
        for (at, _) in text.match_indices("](../topics/") {
            let Some(open) = text[..at].rfind('[') else {
                continue;
            };
            let words = text[open + 1..at].trim_matches('*').to_lowercase();
            let before = text[..open].trim_end_matches('*').to_lowercase();
            for t in &terms {
                // The text before the link completes `t` with the linked words.
                if let Some(head) = t.strip_suffix(words.as_str()) {
                    let head = head.trim_end();
                    if !head.is_empty() && before.ends_with(&format!("{head} ")) {
                        problems.push(format!("{rel}: \"{words}\" is part of \"{t}\""));
                    }
                }
            }
            // A capitalised phrase followed (past an acronym in brackets) by
            // a capitalised word is the start of a longer name.
            let linked = &text[open + 1..at];
            if linked.trim_matches('*').starts_with(char::is_uppercase) {
                let close = at + text[at..].find(')').unwrap() + 1;
                let mut after = text[close..].trim_start_matches('*').trim_start();
                if let Some(r) = after.strip_prefix('(') {
                    after = r.split_once(')').map_or(after, |(_, r)| r.trim_start());
                }
                if after.starts_with(char::is_uppercase) {
                    problems.push(format!(
                        "{rel}: \"{linked}\" is followed by a name: {}",
                        &after[..after.len().min(30)]
                    ));
                }
            }
        }
    }
    assert!(problems.is_empty(), "{problems:#?}");
}

#[test]
fn every_acronym_page_states_its_expansion_once() {
    let site = html_pages(&tree(&repo("site")));
    let mut problems = Vec::new();
    for (rel, md) in content_pages("acronyms") {
        let expansion = front_value(&md, "expansion").unwrap().to_lowercase();
        let url = rel.replace(".md", ".html");
        let html = &site[&url];
        // The page itself, without the backlinks below it: quotes and link
        // texts aside, the expansion is stated once.
        let page = crate::support::main_of(html);
        let page = page.split("<section class=\"backlinks\"").next().unwrap();
        let text = without(
            &without(page, "<blockquote", "</blockquote>"),
            "<a ",
            "</a>",
        );
        let text = without(&text, "<", ">");
        let n = crate::support::unescape(&text)
            .to_lowercase()
            .matches(&expansion)
            .count();
        if n != 1 {
            problems.push(format!(
                "{url}: the expansion \"{expansion}\" is stated {n} times"
            ));
        }
        // The uses are one line per chapter, not one per mention.
        let items = page.matches("<li").count();
        if items > 8 {
            problems.push(format!("{url}: {items} list items"));
        }
    }
    assert!(problems.is_empty(), "{problems:#?}");
}

/// `html` without the spans from each `open` to the next `close`.
fn without(html: &str, open: &str, close: &str) -> String {
    let mut out = String::new();
    let mut rest = html;
    while let Some(i) = rest.find(open) {
        out.push_str(&rest[..i]);
        rest = rest[i..].split_once(close).map_or("", |(_, r)| r);
    }
    out.push_str(rest);
    out
}

//! The repository ships `site/` so that a reader can open `site/index.html`
//! with no tools at all; these tests keep it the exact build of `content/`
//! and check that the whole report is readable and linked in it.

use std::collections::BTreeMap;
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

/// The chapter pages in reading order, as the home page lists them.
fn chapter_urls(pages: &BTreeMap<String, String>) -> Vec<String> {
    crate::support::attr_values(
        crate::support::element_inner(&pages["index.html"], "<ol class=\"chapter-list", "ol")
            .expect("home lists chapters"),
        "href",
    )
}

/// The note references in `html`, in reading order: the fragment each links
/// to and the number it shows.
fn note_refs(html: &str) -> Vec<(String, String)> {
    html.split("<sup class=\"footnote-ref\"")
        .skip(1)
        .map(|s| {
            let s = &s[..s.find("</sup>").expect("reference ends")];
            let href = &s[s.find(" href=\"#").expect("reference links") + 8..];
            let href = &href[..href.find('"').unwrap()];
            let shown = &s[..s.find("</a>").expect("reference link ends")];
            let shown = &shown[shown.rfind('>').unwrap() + 1..];
            (href.to_string(), shown.to_string())
        })
        .collect()
}

/// The notes listed in `html`, in order: each note's id and the number
/// (`value`) the list shows for it.
fn note_items(html: &str) -> Vec<(String, String)> {
    html.split("<li id=\"")
        .skip(1)
        .filter_map(|s| {
            let tag = &s[..s.find('>').unwrap()];
            let (id, rest) = tag.split_once('"').unwrap();
            let value = rest.strip_prefix(" value=\"")?;
            Some((
                id.to_string(),
                value[..value.find('"').unwrap()].to_string(),
            ))
        })
        .collect()
}

/// The numbers of the note references inside the paragraph or list item
/// `id` of `html`, or the number of the note `id` itself.
fn numbers_shown_at(html: &str, id: &str) -> Option<Vec<String>> {
    if let Some((_, value)) = note_items(html).into_iter().find(|(i, _)| i == id) {
        return Some(vec![value]);
    }
    ["p", "li"].iter().find_map(|tag| {
        let block = crate::support::element_inner(html, &format!("<{tag} id=\"{id}\""), tag)?;
        Some(note_refs(block).into_iter().map(|(_, n)| n).collect())
    })
}

/// "Note 27" or "note 27" in `text`: the numbers named one note at a time.
fn notes_named(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for (i, _) in text.match_indices("ote ") {
        let Some(before) = text[..i].chars().next_back() else {
            continue;
        };
        let word_start = text[..i - before.len_utf8()]
            .chars()
            .next_back()
            .is_none_or(|c| !c.is_alphanumeric());
        let digits: String = text[i + 4..]
            .chars()
            .take_while(char::is_ascii_digit)
            .collect();
        if matches!(before, 'N' | 'n') && word_start && !digits.is_empty() {
            out.push(digits);
        }
    }
    out
}

/// Source, interview and acronym pages (and any other) cite notes by the
/// report's numbers ("Note 27, Chapter 3 …"); a reader following one must
/// find that number on the superscript in the chapter.
#[test]
fn chapter_notes_show_the_numbers_other_pages_cite_them_by() {
    let pages = html_pages(&tree(&repo("site")));
    let chapters = chapter_urls(&pages);
    let mut checked = std::collections::BTreeSet::new();
    let mut wrong = Vec::new();
    for (url, html) in &pages {
        if chapters.contains(url) || url == "print.html" || url == "404.html" {
            continue;
        }
        let main = crate::support::main_of(html);
        // One list item or paragraph at a time: a note named next to the
        // one link into a chapter.
        let mut cuts: Vec<usize> = main
            .match_indices("<li")
            .chain(main.match_indices("<p"))
            .map(|(i, _)| i)
            .chain([main.len()])
            .collect();
        cuts.sort_unstable();
        for block in cuts.windows(2).map(|w| &main[w[0]..w[1]]) {
            let named = notes_named(block);
            let into_chapters: Vec<(String, String)> = crate::support::attr_values(block, "href")
                .iter()
                .filter_map(|href| crate::support::resolve(url, href))
                .filter(|(target, _)| chapters.contains(target))
                .filter_map(|(target, frag)| Some((target, frag?)))
                .collect();
            let ([number], [(chapter, id)]) = (named.as_slice(), into_chapters.as_slice()) else {
                continue;
            };
            let shown = numbers_shown_at(&pages[chapter], id);
            if shown.as_ref().is_some_and(|s| s.contains(number)) {
                checked.insert(number.clone());
            } else {
                wrong.push(format!(
                    "{url} names note {number} at {chapter}#{id}, which shows {shown:?}"
                ));
            }
        }
    }
    assert!(wrong.is_empty(), "{wrong:#?}");
    // Most notes cite a source or an interview: if few were found, the way
    // pages name notes changed and this check no longer reads them.
    let notes: usize = chapters.iter().map(|c| note_items(&pages[c]).len()).sum();
    assert!(
        checked.len() * 2 > notes,
        "only {} of {notes} notes found cited by number: {checked:?}",
        checked.len()
    );
}

/// Each reference shows its note's number, print.html shows each chapter's
/// notes as its page does (ids stay apart by the chapter's prefix), and the
/// report's notes read 1, 2, 3 … from its first chapter to its last, as in
/// the PDF.
#[test]
fn notes_keep_the_reports_numbers_on_chapter_pages_and_in_print() {
    let pages = html_pages(&tree(&repo("site")));
    let print = &pages["print.html"];
    let mut report_order = Vec::new();
    for chapter in chapter_urls(&pages) {
        let html = &pages[&chapter];
        let items = note_items(html);
        let values: BTreeMap<&str, &str> = items
            .iter()
            .map(|(id, v)| (id.as_str(), v.as_str()))
            .collect();
        let refs = note_refs(html);
        for (href, shown) in &refs {
            assert_eq!(
                values.get(href.as_str()),
                Some(&shown.as_str()),
                "{chapter}: the reference to #{href} shows {shown}"
            );
        }
        let prefix = format!("{}--", chapter.trim_end_matches(".html").replace('/', "-"));
        let in_print = |pairs: Vec<(String, String)>| -> Vec<(String, String)> {
            pairs
                .into_iter()
                .filter_map(|(id, n)| Some((id.strip_prefix(&prefix)?.to_string(), n)))
                .collect()
        };
        assert_eq!(in_print(note_refs(print)), refs, "{chapter} in print.html");
        assert_eq!(
            in_print(note_items(print)),
            items,
            "{chapter} in print.html"
        );
        report_order.extend(items.into_iter().map(|(_, v)| v));
    }
    let expected: Vec<String> = (1..=report_order.len()).map(|n| n.to_string()).collect();
    assert_eq!(
        report_order, expected,
        "the report's notes, chapter by chapter"
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
    let mut checked = 0;
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
                checked += 1;
                let lower = f.to_lowercase();
                if signals.iter().any(|s| lower.starts_with(s)) {
                    bad.push(format!("{path}: {f}"));
                }
            }
        }
    }
    // If the pages' wording changed, this would check nothing.
    assert!(checked > 20, "only {checked} citations found");
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

/// Committed markdown pages under `content/<dir>/`, by path in `content/`.
fn content_pages_under(dir: &str) -> Vec<(String, String)> {
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
    let mut terms: Vec<String> = content_pages_under("acronyms")
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
    for (rel, text) in content_pages_under("chapters") {
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

/// Every section of a chapter (between headings, a box being one of its
/// own) that mentions a topic links it there, read with the importer's own
/// matcher: a mention inside a recommendation link or bold text counts, and
/// a place the decomposition file excludes does not.
#[test]
fn every_section_links_each_topic_it_mentions() {
    use dossier::import::topiclinks;
    let dpath = repo("seeds/pax-nato-human-security-2026.decomposition.yaml");
    let d = dossier::import::decompose::parse(&dpath, &std::fs::read_to_string(&dpath).unwrap())
        .unwrap();
    let pages: dossier::import::Pages = content_pages_under("acronyms")
        .into_iter()
        .chain(content_pages_under("chapters"))
        .collect();
    let terms = topiclinks::page_terms(&pages, &d.topics);
    assert!(
        terms.iter().any(|t| t.topic.is_some()),
        "no acronym names a topic"
    );
    let mut unlinked = Vec::new();
    let mut links = 0;
    for (rel, text) in pages.iter().filter(|(r, _)| r.starts_with("chapters/")) {
        links += text.matches("](../topics/").count();
        for l in topiclinks::unlinked(rel, text, &d.topics, &terms) {
            unlinked.push(format!(
                "{}:{}: \"{}\" → {}",
                l.page, l.line, l.phrase, l.topic
            ));
        }
    }
    assert!(links > 50, "only {links} topic links in the chapters");
    assert!(
        unlinked.is_empty(),
        "sections that mention a topic without linking it: {unlinked:#?}"
    );
}

#[test]
fn every_acronym_page_states_its_expansion_once() {
    let site = html_pages(&tree(&repo("site")));
    let mut problems = Vec::new();
    for (rel, md) in content_pages_under("acronyms") {
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

/// The report names a month, not a day: no page may show a day it made up.
/// The report's date is on its home page; pages dated like the report do not
/// repeat it under every summary.
#[test]
fn committed_pages_date_the_report_as_it_dates_itself() {
    let pages = html_pages(&tree(&repo("site")));
    let dated_like_the_report = std::fs::read_dir(repo("content/chapters"))
        .unwrap()
        .filter(|e| {
            std::fs::read_to_string(e.as_ref().unwrap().path())
                .is_ok_and(|t| t.contains("\ndate: 2026-07\n"))
        })
        .count();
    assert!(
        dated_like_the_report > 3,
        "the chapters are dated like the report"
    );
    for (url, html) in &pages {
        let main = crate::support::main_of(html);
        assert!(
            !main.contains("2026-07-01"),
            "{url} shows a day the report never names"
        );
        assert!(
            !main.contains("<p class=\"date\">"),
            "{url} repeats the report's date"
        );
    }
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

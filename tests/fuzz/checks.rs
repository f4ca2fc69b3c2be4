//! What each fuzz target runs on one input, and the invariants it asserts.
//!
//! Shared, through `#[path]`, by the targets in `fuzz_targets/` and by the
//! regression test `tests/it/fuzz_regressions.rs`, so that every committed
//! seed and every input the fuzzer once found goes through the very code the
//! fuzzer ran. Inputs are bytes; targets that need text skip invalid UTF-8.

use std::collections::BTreeSet;
use std::path::Path;

use dossier::content::frontmatter::{self, FrontMatter, Kind};
use dossier::content::{page_from_text, Page};
use dossier::links::Index;

/// Front matter splitting and parsing: the body is the suffix the split
/// claims; parsed front matter survives the importer's round trip (serialise,
/// then split again); an error points at a line of the file; the simple
/// YAML reader agrees with the general parser wherever it reads a text; the
/// YAML scanner never nests flow collections deeper than
/// `yaml::flow_depth_bound` says it can.
pub fn frontmatter(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    // Wherever the budget lets the general parser read a text, the bound
    // it was let in by holds (scanning stops once it is broken, so this
    // costs at most the budget).
    // Checked on the whole text, and on the front matter's YAML alone,
    // which is what the build hands the parser.
    let yaml = text
        .strip_prefix("---\n")
        .map(|rest| rest.split("\n---").next().unwrap_or(rest));
    for yaml in std::iter::once(text).chain(yaml) {
        let depth = dossier::content::yaml::flow_depth_bound(yaml);
        if (yaml.len() + 1).saturating_mul(depth + 1) <= dossier::content::yaml::FLOW_BUDGET {
            let deepest = scanner_flow_depth(yaml, depth);
            assert!(
                deepest <= depth,
                "flow depth {deepest} > bound {depth}: {yaml:?}"
            );
        }
    }
    match frontmatter::split(text) {
        Ok(split) => {
            assert_eq!(&text[split.body_offset..], split.body);
            if let Some(fm) = &split.front_matter {
                let yaml = dossier::content::yaml::to_string(fm).expect("front matter serialises");
                let page = format!("---\n{yaml}---\nbody\n");
                let again = frontmatter::split(&page)
                    .unwrap_or_else(|e| panic!("written front matter fails: {e:?}\n{page}"));
                // Keys dossier does not know are the page's, never written.
                let written = FrontMatter {
                    extra: Default::default(),
                    ..fm.clone()
                };
                assert_eq!(again.front_matter.as_ref(), Some(&written), "{page}");
                assert_eq!(again.body, "body\n");
            }
        }
        Err(e) => {
            let lines = text.lines().count().max(1);
            assert!(e.line >= 1 && e.line <= lines + 1, "{e:?} in {lines} lines");
            assert!(!e.message.is_empty());
        }
    }
}

/// The markdown pass (ids, links, wikilinks, footnotes) on two pages cut from
/// the input at its first NUL, beside an acronym page: every id in the HTML
/// is unique, is no template id and is reported in `ids`; every heading
/// anchor a wikilink may resolve to is there; every recorded link points at a
/// page of the site from a line of the page; the same input renders the same.
pub fn markdown_links(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let (a, b) = text.split_once('\0').unwrap_or((text, ""));
    let specs = [
        ("a.md", a),
        ("sub/b.md", b),
        (
            "acronyms/un.md",
            "---\ntitle: UN\nkind: acronym\nexpansion: United Nations\n---\n",
        ),
    ];
    let pages: Vec<Page> = specs
        .iter()
        .filter_map(|(rel, body)| page_from_text(Path::new(rel), rel, body.to_string()).ok())
        .collect();
    let index = Index::new(&pages, &[], []);
    for (i, page) in pages.iter().enumerate() {
        let r = dossier::markdown::render(&index, i);
        let ids = html_ids(&r.html);
        let unique: BTreeSet<&str> = ids.iter().map(String::as_str).collect();
        assert_eq!(
            unique.len(),
            ids.len(),
            "duplicate ids {ids:?} in {}",
            r.html
        );
        let reported: BTreeSet<&str> = r.ids.iter().map(String::as_str).collect();
        assert_eq!(unique, reported, "ids in the HTML and ids reported differ");
        for id in &unique {
            let reserved = dossier::markdown::TEMPLATE_IDS.contains(id) && *id != "notes";
            let backlinks = Kind::ALL.iter().any(|k| *id == format!("backlinks-{k}"));
            assert!(!reserved && !backlinks, "body uses template id {id}");
        }
        for (heading, id) in dossier::markdown::heading_anchors(page) {
            assert!(
                unique.contains(id.as_str()),
                "heading {heading:?}: no id {id}"
            );
        }
        let lines = page.text().all().lines().count().max(1);
        for l in &r.links {
            assert!(l.target < pages.len() && l.source == i);
            assert!(
                l.line >= 1 && l.line <= lines,
                "link {:?} at line {}",
                l.raw,
                l.line
            );
        }
        let again = dossier::markdown::render(&index, i);
        assert_eq!(r.html, again.html, "rendering is not deterministic");
    }
}

/// The `id="…"` attributes of `html`, in order, unescaped. Text cannot fake
/// one: `<` in text is always escaped, and attribute values never hold a raw
/// `"`.
fn html_ids(html: &str) -> Vec<String> {
    let mut ids = Vec::new();
    let mut rest = html;
    while let Some(open) = rest.find('<') {
        let tag_and_after = &rest[open..];
        let end = tag_and_after.find('>').unwrap_or(tag_and_after.len());
        let mut tag = &tag_and_after[..end];
        while let Some(at) = tag.find(" id=\"") {
            let value = &tag[at + 5..];
            let close = value.find('"').expect("attribute values are closed");
            ids.push(unescape(&value[..close]));
            tag = &value[close..];
        }
        rest = &tag_and_after[end..];
    }
    ids
}

/// Undoes `dossier::markdown::escape`.
fn unescape(s: &str) -> String {
    s.replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

/// Terms every acronym input is matched against, besides its own.
const FIXED_TERMS: [&str; 6] = ["US", "NGO", "C-SASE", "PoC", "A-B-C-D", "UN"];

/// Acronym matching and wrapping. The input's first line lists extra terms;
/// the rest is text. The matcher's hits are ordered, disjoint, on char
/// boundaries and spell a term (or its plural); a term alone is found. The
/// rest, rendered as a page beside acronym pages for every term, gives the
/// same HTML as beside plain pages with those titles once the `<abbr>` and
/// acronym-link tags are taken out: wrapping adds tags and changes no text.
pub fn acronyms(data: &[u8]) {
    let Ok(input) = std::str::from_utf8(data) else {
        return;
    };
    let (first, text) = input.split_once('\n').unwrap_or(("", input));
    let mut terms: Vec<&str> = FIXED_TERMS.to_vec();
    for t in first.split_whitespace().take(6) {
        if t.len() <= 24 && !terms.contains(&t) {
            terms.push(t);
        }
    }
    let mut m = dossier::links::acronyms::Matcher::new();
    for (i, t) in terms.iter().enumerate() {
        m.insert(t, i);
    }
    // The scan skips to capitals; reading every word must find the same.
    let (mut fast, mut fast_undefined) = (Vec::new(), Vec::new());
    m.scan(text, &mut fast, |at, w| fast_undefined.push((at, w)));
    let (mut all, mut all_undefined) = (Vec::new(), Vec::new());
    m.scan_every_word(text, &mut all, |at, w| all_undefined.push((at, w)));
    assert_eq!(fast, all);
    assert_eq!(fast_undefined, all_undefined);
    let mut last = 0;
    for h in m.find(text) {
        assert!(
            h.start >= last && h.end <= text.len() && h.start < h.end,
            "{h:?}"
        );
        assert!(text.is_char_boundary(h.start) && text.is_char_boundary(h.end));
        let word = &text[h.start..h.end];
        assert!(word == terms[h.id] || word.strip_suffix('s') == Some(terms[h.id]));
        last = h.end;
    }
    for (i, t) in terms.iter().enumerate() {
        if t.chars().all(char::is_alphanumeric) {
            let hits = m.find(t);
            assert_eq!(hits.len(), 1, "{t:?} alone: {hits:?}");
            assert_eq!((hits[0].start, hits[0].end, hits[0].id), (0, t.len(), i));
        }
    }

    let wrapped = render_beside_terms(text, &terms, Kind::Acronym);
    let plain = render_beside_terms(text, &terms, Kind::Page);
    let (Some(wrapped), Some(plain)) = (wrapped, plain) else {
        return;
    };
    // Counted by the tag's `<`, which text never holds raw: text (a code
    // span's, say) may hold `class="acronym"` itself.
    assert!(wrapped.matches("<a class=\"acronym\"").count() <= terms.len());
    assert_eq!(strip_wrapping(&wrapped), strip_wrapping(&plain));
}

/// The HTML of page `text` in a site with one page of `kind` per term; `None`
/// when the page itself does not parse.
fn render_beside_terms(text: &str, terms: &[&str], kind: Kind) -> Option<String> {
    let mut pages = vec![page_from_text(Path::new("a.md"), "a.md", text.to_string()).ok()?];
    for (i, t) in terms.iter().enumerate() {
        let fm = FrontMatter {
            title: Some((*t).to_string()),
            kind: Some(kind),
            expansion: Some(format!("Long & \"quoted\" <form> {i}")),
            ..FrontMatter::default()
        };
        let yaml = dossier::content::yaml::to_string(&fm).expect("front matter serialises");
        let rel = format!("acronyms/t{i}.md");
        if let Ok(p) = page_from_text(Path::new(&rel), &rel, format!("---\n{yaml}---\n")) {
            pages.push(p);
        }
    }
    let index = Index::new(&pages, &[], []);
    Some(dossier::markdown::render(&index, 0).html)
}

/// `html` without the tags acronym wrapping adds, and with quotes unescaped
/// (wrapped text escapes them, pulldown-cmark's text does not).
fn strip_wrapping(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(at) = rest.find('<') {
        out.push_str(&rest[..at]);
        let tag_and_after = &rest[at..];
        let end = tag_and_after
            .find('>')
            .map_or(tag_and_after.len(), |e| e + 1);
        let tag = &tag_and_after[..end];
        let added = tag.starts_with("<a class=\"acronym\" ")
            || tag.starts_with("<abbr title=\"")
            || tag == "</abbr>"
            || tag == "</a>";
        if !added {
            out.push_str(tag);
        }
        rest = &tag_and_after[end..];
    }
    out.push_str(rest);
    out.replace("&quot;", "\"").replace("&#39;", "'")
}

/// The importer on a seed text, with the decomposition after the input's
/// first NUL (a seed cannot hold one): an error, or pages at clean relative
/// paths that the build reads back, whose links all lead to pages of the
/// import, the same on a second run.
pub fn import_text(data: &[u8]) {
    let (seed, decomposition) = match data.iter().position(|&b| b == 0) {
        Some(at) => match std::str::from_utf8(&data[at + 1..]) {
            Ok(d) => (&data[..at], Some(d)),
            Err(_) => return,
        },
        None => (data, None),
    };
    let generate = || {
        dossier::import::generate(
            Path::new("seed.txt"),
            seed,
            Path::new("d.yaml"),
            decomposition,
        )
    };
    let (pages, _) = match generate() {
        Ok(generated) => generated,
        Err(errors) => {
            assert!(errors.has_errors(), "refused without an error");
            return;
        }
    };
    let mut parsed = Vec::with_capacity(pages.len());
    for (rel, text) in &pages {
        let parts: Vec<&str> = rel.split('/').collect();
        assert!(
            rel.ends_with(".md")
                && parts
                    .iter()
                    .all(|s| !s.is_empty() && *s != "." && *s != "..")
                && !parts.iter().any(|s| dossier::content::is_ignored(s)),
            "unsafe or ignored page path {rel:?}"
        );
        match page_from_text(Path::new(rel), rel, text.clone()) {
            Ok(page) => parsed.push(page),
            Err(d) => panic!("generated {rel} does not parse: {d}\n{text}"),
        }
    }
    // The kind indexes and the home page are the build's; links may lead
    // there too.
    let generated = Kind::ALL
        .iter()
        .filter_map(|k| k.index_url().map(str::to_string))
        .chain(["index.html".to_string()]);
    let index = Index::new(&parsed, &[], generated);
    for (i, page) in parsed.iter().enumerate() {
        let r = dossier::markdown::render(&index, i);
        assert!(
            !r.diagnostics.has_errors(),
            "generated {} has broken links: {}\n{}",
            page.rel,
            r.diagnostics,
            page.text().all()
        );
    }
    let again = generate().expect("the second run fails where the first did not");
    assert!(again.0 == pages, "the import is not deterministic");
}

/// The deepest nesting of flow collections that libyaml's scanner (the one
/// under `serde_yaml`) reaches in `text`, counted from its tokens up to the
/// end or its first error, or as soon as it passes `stop`.
fn scanner_flow_depth(text: &str, stop: usize) -> usize {
    use std::mem::MaybeUninit;
    use unsafe_libyaml::*;
    // SAFETY: the parser is initialised before use and deleted once; the
    // input outlives it; each token is deleted after it is read.
    unsafe {
        let mut parser = MaybeUninit::<yaml_parser_t>::uninit();
        assert!(yaml_parser_initialize(parser.as_mut_ptr()).ok);
        let parser = parser.as_mut_ptr();
        yaml_parser_set_input_string(parser, text.as_ptr(), text.len() as u64);
        let (mut depth, mut deepest) = (0usize, 0usize);
        loop {
            let mut token = MaybeUninit::<yaml_token_t>::uninit();
            if yaml_parser_scan(parser, token.as_mut_ptr()).fail {
                break;
            }
            let token = token.as_mut_ptr();
            let kind = (*token).type_;
            yaml_token_delete(token);
            match kind {
                YAML_FLOW_SEQUENCE_START_TOKEN | YAML_FLOW_MAPPING_START_TOKEN => {
                    depth += 1;
                    deepest = deepest.max(depth);
                }
                YAML_FLOW_SEQUENCE_END_TOKEN | YAML_FLOW_MAPPING_END_TOKEN => {
                    depth = depth.saturating_sub(1);
                }
                YAML_STREAM_END_TOKEN | YAML_NO_TOKEN => break,
                _ => {}
            }
            if deepest > stop {
                break;
            }
        }
        yaml_parser_delete(parser);
        deepest
    }
}

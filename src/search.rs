//! The search index, written at build time as `search-index.js` plus parts
//! in `search/` that the page loads as it needs them.
//!
//! Readers open the site from disk as often as from a server, and Chromium
//! blocks `fetch()` under `file://`, so every file is a script loaded with
//! `<script src>`. A result leads to the passage, not just the page, so the
//! index is by section: every page is a run of documents, its introduction
//! (the text before the first heading, with the title as its heading) and
//! one per heading of level 2 or 3, linked as `page.html#heading-id`.
//!
//! A large site's index is megabytes, more than a first query should wait
//! for, so it is split:
//! - `search-index.js` (`window.DOSSIER_SEARCH`) holds what ranking needs
//!   of every page: its URL, kind, number of sections and of title words,
//!   and the first word of every word part;
//! - `search/w<k>.js` hold the words, sorted and cut into parts of about
//!   [`WORD_PART_BYTES`]: a query loads the parts its words (and their
//!   prefixes and near spellings, which share the first two letters) fall in;
//! - `search/p<k>.js` hold [`PAGES_PER_PART`] pages each: title, summary,
//!   other names, and per section its id, heading and snippet text; a query
//!   loads the parts of the results it shows.
//!
//! Each part calls `dossierSearchPart(name, data)`, which `dossier.js`
//! defines before it adds the part's script.
//!
//! Word parts are `"word:docs/heads word:docs …"`: `docs` the sections that
//! have the word, `heads` those that have it in their heading (the page
//! title for an introduction), both ascending section numbers written as
//! differences in [`push_number`]'s digits.

use rayon::prelude::*;
use rustc_hash::FxHashMap;
use serde_json::json;

use crate::content::Page;
use crate::frontmatter::Kind;
use crate::markdown::TocEntry;

/// The site-relative URL of the index script.
pub const URL: &str = "search-index.js";

/// The folder of the index's parts.
pub const PARTS: &str = "search/";

/// Pages per page part: the parts of a first query's results stay small.
const PAGES_PER_PART: usize = 32;

/// The size a word part is cut at (a part holds whole words, so a word with
/// a long list of sections makes its part larger).
const WORD_PART_BYTES: usize = 32 * 1024;

/// Characters of a section's prose kept for its result's snippet.
const SNIPPET: usize = 280;

/// Words too common to be worth a posting list; queries ignore them too.
/// `s` and `t` are what an apostrophe leaves of `NATO's` and `don't`.
pub const STOPWORDS: &[&str] = &[
    "a", "an", "and", "are", "as", "at", "be", "by", "for", "from", "has", "have", "in", "is",
    "it", "its", "of", "on", "or", "s", "t", "that", "the", "this", "to", "was", "were", "which",
    "with",
];

/// Splits text into lowercase search words (runs of letters and digits, no
/// stopwords) — the same rule `dossier.js` applies to queries.
pub fn words(text: &str) -> Vec<String> {
    let lower = text.to_lowercase();
    split_words(&lower).map(str::to_string).collect()
}

/// The search words of lowercased `text`.
fn split_words(lower: &str) -> impl Iterator<Item = &str> {
    lower
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty() && !STOPWORDS.contains(w))
}

/// The distinct search words of `fields`, sorted, joined by spaces (one
/// allocation per section rather than one per word).
fn distinct_words(fields: &[&str]) -> Box<str> {
    let lower: Vec<String> = fields.iter().map(|f| f.to_lowercase()).collect();
    let mut all: Vec<&str> = lower.iter().flat_map(|f| split_words(f)).collect();
    all.sort_unstable();
    all.dedup();
    all.join(" ").into()
}

/// The first `max` characters of `text` with whitespace runs squashed,
/// cut at a word boundary.
fn snippet(text: &str, max: usize) -> String {
    let mut out = String::new();
    let mut chars = 0;
    for w in text.split_whitespace() {
        let n = w.chars().count();
        if chars + n + 1 > max && !out.is_empty() {
            out.push_str(" …");
            break;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(w);
        chars += n + 1;
    }
    out
}

/// One section of a page as the renderer saw it: its heading (none for the
/// introduction), all its text, and the prose among it (paragraphs and list
/// items of running text, not lists of links or labels) for snippets.
#[derive(Debug, Clone, Copy, Default)]
pub struct SectionText<'a> {
    pub heading: Option<&'a TocEntry>,
    pub text: &'a str,
    pub prose: &'a str,
}

/// What the index keeps of one section.
#[derive(Debug, Clone, Default)]
struct Section {
    /// The heading's id; empty for the introduction.
    id: String,
    heading: String,
    /// Distinct words of the heading (the title and other names for the
    /// introduction), see [`distinct_words`].
    head: Box<str>,
    /// Distinct words of the heading and the text.
    body: Box<str>,
    snippet: String,
}

/// What the index keeps of one page, taken when its markdown is rendered
/// (so that the text itself need not be kept).
#[derive(Debug, Clone, Default)]
pub struct Extract {
    url: String,
    title: String,
    kind: usize,
    summary: String,
    /// Other names: aliases, an acronym's expansion, tags.
    extra: String,
    sections: Vec<Section>,
}

impl Extract {
    /// Whether `word` (lowercase) is one of the page's search words.
    pub fn has_word(&self, word: &str) -> bool {
        self.sections
            .iter()
            .any(|s| s.body.split(' ').any(|w| w == word))
    }
}

/// The index's part of page `p`, from its sections in order (the first the
/// introduction).
pub fn extract(p: &Page, sections: &[SectionText]) -> Extract {
    let mut extra: Vec<String> = p.meta.aliases.clone();
    extra.extend(p.meta.expansion.clone());
    extra.extend(p.meta.tags.iter().cloned());
    let summary = p.meta.summary.clone().unwrap_or_default();
    // The script writes `root + url`, which on a page at the root must not
    // read as a scheme either.
    let url = if crate::url::reads_as_scheme(&p.url) {
        format!("./{}", p.url)
    } else {
        p.url.clone()
    };
    page_extract(
        url,
        p.display_title().into_owned(),
        p.kind,
        summary,
        extra.join(" · "),
        sections,
    )
}

/// A page the build makes itself (a kind index, the home page): its title
/// and the titles it lists.
pub fn listing(url: &str, title: &str, kind: Kind, items: &[&str]) -> Extract {
    let text = items.join(" · ");
    page_extract(
        url.to_string(),
        title.to_string(),
        kind,
        String::new(),
        String::new(),
        &[SectionText {
            heading: None,
            text: &text,
            prose: &text,
        }],
    )
}

fn page_extract(
    url: String,
    title: String,
    kind: Kind,
    summary: String,
    extra: String,
    sections: &[SectionText],
) -> Extract {
    let sections = sections
        .iter()
        .enumerate()
        .map(|(n, s)| match s.heading {
            Some(h) => Section {
                id: h.id.clone(),
                heading: h.title.clone(),
                head: distinct_words(&[&h.title]),
                body: distinct_words(&[&h.title, s.text]),
                snippet: snippet(s.prose, SNIPPET),
            },
            None => {
                // The introduction stands for the page: its heading is the
                // title and its text starts with the summary.
                let text = if n == 0 { s.text } else { "" };
                Section {
                    id: String::new(),
                    heading: String::new(),
                    head: distinct_words(&[&title, &extra]),
                    body: distinct_words(&[&title, &extra, &summary, text]),
                    snippet: snippet(s.prose, SNIPPET),
                }
            }
        })
        .collect();
    Extract {
        url,
        kind: Kind::ALL
            .iter()
            .position(|k| *k == kind)
            .expect("every kind is in Kind::ALL"),
        title,
        summary,
        extra,
        sections,
    }
}

/// Appends `n` in the index's digits: base 16, every digit but the last
/// from `0-9a-f`, the last from `g-v`, so numbers need no separator.
fn push_number(out: &mut String, n: u32) {
    const MORE: &[u8; 16] = b"0123456789abcdef";
    const LAST: &[u8; 16] = b"ghijklmnopqrstuv";
    let mut digits = [0u8; 8];
    let mut len = 0;
    let mut v = n;
    loop {
        digits[len] = (v & 15) as u8;
        len += 1;
        v >>= 4;
        if v == 0 {
            break;
        }
    }
    for k in (0..len).rev() {
        let table = if k == 0 { LAST } else { MORE };
        out.push(char::from(table[usize::from(digits[k])]));
    }
}

/// Appends ascending `list` as its first number and then differences.
fn push_ascending(out: &mut String, list: &[u32]) {
    let mut prev = 0;
    for (k, &n) in list.iter().enumerate() {
        push_number(out, if k == 0 { n } else { n - prev });
        prev = n;
    }
}

/// The order `dossier.js` compares strings in (UTF-16 code units), which the
/// word parts' first words are searched by.
fn js_order(a: &str, b: &str) -> std::cmp::Ordering {
    if a.is_ascii() && b.is_ascii() {
        a.cmp(b)
    } else {
        a.encode_utf16().cmp(b.encode_utf16())
    }
}

/// A file of the index: its site-relative URL and its text.
pub type File = (String, String);

/// The index of `pages` (content pages in build order, then listings):
/// `search-index.js` first, then its parts. Output depends only on the
/// input.
pub fn index_files(pages: &[&Extract]) -> Vec<File> {
    let mut postings: FxHashMap<&str, (Vec<u32>, Vec<u32>)> = FxHashMap::default();
    let mut doc = 0u32;
    for p in pages {
        for s in &p.sections {
            for w in s.body.split(' ').filter(|w| !w.is_empty()) {
                postings.entry(w).or_default().0.push(doc);
            }
            for w in s.head.split(' ').filter(|w| !w.is_empty()) {
                postings.entry(w).or_default().1.push(doc);
            }
            doc += 1;
        }
    }
    let mut terms: Vec<(&str, (Vec<u32>, Vec<u32>))> = postings.into_iter().collect();
    terms.par_sort_unstable_by(|a, b| js_order(a.0, b.0));
    let entries: Vec<String> = terms
        .par_iter()
        .map(|(w, (docs, heads))| {
            let mut e = String::with_capacity(w.len() + docs.len() + 2);
            e.push_str(w);
            e.push(':');
            push_ascending(&mut e, docs);
            if !heads.is_empty() {
                e.push('/');
                push_ascending(&mut e, heads);
            }
            e
        })
        .collect();
    // Word parts: consecutive words up to the size limit.
    let mut firsts: Vec<&str> = Vec::new();
    let mut parts: Vec<Vec<&str>> = Vec::new();
    let mut size = WORD_PART_BYTES;
    for ((w, _), e) in terms.iter().zip(&entries) {
        if size + e.len() > WORD_PART_BYTES {
            firsts.push(w);
            parts.push(Vec::new());
            size = 0;
        }
        size += e.len() + 1;
        parts.last_mut().expect("a part was started").push(e);
    }
    let mut files: Vec<File> = Vec::with_capacity(1 + parts.len() + pages.len() / PAGES_PER_PART);
    files.push((URL.to_string(), meta_js(pages, &firsts)));
    files.par_extend(parts.par_iter().enumerate().map(|(k, list)| {
        let name = format!("w{k}");
        let text = list.join(" ");
        (
            format!("{PARTS}{name}.js"),
            part_js(&name, &serde_json::Value::String(text)),
        )
    }));
    files.par_extend(
        pages
            .par_chunks(PAGES_PER_PART)
            .enumerate()
            .map(|(k, chunk)| {
                let name = format!("p{k}");
                let rows: Vec<serde_json::Value> = chunk
                    .iter()
                    .map(|p| {
                        let sections: Vec<serde_json::Value> = p
                            .sections
                            .iter()
                            .map(|s| json!([s.id, s.heading, s.snippet]))
                            .collect();
                        json!([p.title, p.summary, p.extra, sections])
                    })
                    .collect();
                (
                    format!("{PARTS}{name}.js"),
                    part_js(&name, &serde_json::Value::Array(rows)),
                )
            }),
    );
    files
}

/// `search-index.js`: what ranking needs of every page, and where the words
/// are.
fn meta_js(pages: &[&Extract], firsts: &[&str]) -> String {
    let mut sections = String::new();
    let mut title_words = String::new();
    let mut kinds = String::new();
    for p in pages {
        push_number(&mut sections, p.sections.len() as u32);
        push_number(&mut title_words, words(&p.title).len() as u32);
        push_number(&mut kinds, p.kind as u32);
    }
    let urls: Vec<&str> = pages.iter().map(|p| p.url.as_str()).collect();
    let kind_names: Vec<&str> = Kind::ALL.iter().map(|k| k.as_str()).collect();
    let meta = json!({
        "v": 2,
        "kinds": kind_names,
        "urls": urls,
        "kind": kinds,
        "sections": sections,
        "titleWords": title_words,
        "perPart": PAGES_PER_PART,
        "wordParts": firsts,
    });
    format!("window.DOSSIER_SEARCH={meta};\n")
}

/// One part's script.
fn part_js(name: &str, data: &serde_json::Value) -> String {
    format!("dossierSearchPart(\"{name}\",{data});\n")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::page_from_text;
    use crate::links::Index;
    use crate::markdown::Rendered;
    use std::path::Path;
    use std::sync::Arc;

    fn build(specs: &[(&str, &str)]) -> (Vec<Page>, Vec<Arc<Rendered>>) {
        let pages: Vec<Page> = specs
            .iter()
            .map(|(rel, text)| page_from_text(Path::new(rel), rel, text.to_string()).unwrap())
            .collect();
        let index = Index::new(&pages, &[], []);
        let rendered = (0..pages.len())
            .map(|i| Arc::new(crate::markdown::render(&index, i)))
            .collect();
        (pages, rendered)
    }

    fn files(rendered: &[Arc<Rendered>]) -> Vec<File> {
        let x: Vec<&Extract> = rendered.iter().map(|r| &r.search).collect();
        index_files(&x)
    }

    /// The numbers [`push_ascending`] wrote, read back as `dossier.js` does.
    fn read_ascending(s: &str) -> Vec<u32> {
        let mut out = Vec::new();
        let mut n = 0u32;
        let mut prev = 0u32;
        for c in s.chars() {
            let d = c.to_digit(36).unwrap();
            if d < 16 {
                n = n * 16 + d;
            } else {
                n = n * 16 + (d - 16);
                prev = if out.is_empty() { n } else { prev + n };
                out.push(prev);
                n = 0;
            }
        }
        out
    }

    #[test]
    fn numbers_read_back_as_written() {
        for list in [vec![0], vec![5, 6, 7], vec![15, 16, 300, 70_000, 70_001]] {
            let mut s = String::new();
            push_ascending(&mut s, &list);
            assert_eq!(read_ascending(&s), list, "{s}");
        }
        let mut s = String::new();
        push_ascending(&mut s, &[0, 1, 2]);
        assert_eq!(s, "ghh", "a section per character when words are frequent");
    }

    #[test]
    fn words_are_lowercase_without_stopwords() {
        let w: Vec<String> = words("The Trafficking of persons, a UN-led review (2022) NATO's Article V");
        assert_eq!(
            w,
            ["trafficking", "persons", "un", "led", "review", "2022", "nato", "article", "v"]
        );
    }

    #[test]
    fn sections_are_documents_with_their_heading_words() {
        let (_, rendered) = build(&[
            (
                "a.md",
                "---\ntitle: Trafficking \"quoted\"\nkind: topic\nsummary: About <b>\n---\nIntro words here for the page and more words.\n\n## Scope of work\n\nForced labour in farms is described in this paragraph of prose.\n\n- [Link only](b.md)\n",
            ),
            (
                "b.md",
                "---\ntitle: NGO\nkind: acronym\nexpansion: Non-governmental organisation\n---\nCharities.\n",
            ),
        ]);
        let files = files(&rendered);
        assert_eq!(files[0].0, URL);
        let meta = &files[0].1;
        assert!(meta.starts_with("window.DOSSIER_SEARCH={"), "{meta}");
        assert!(meta.contains("\"urls\":[\"a.html\",\"b.html\"]"), "{meta}");
        let words = files.iter().find(|f| f.0 == "search/w0.js").unwrap();
        // Docs: a intro 0, a#scope-of-work 1, b intro 2.
        let posting = |w: &str| {
            let text = &words.1;
            let at = text.find(&format!("{w}:")).unwrap_or_else(|| panic!("{w}: {text}"));
            let rest = &text[at + w.len() + 1..];
            let end = rest.find([' ', '"']).unwrap();
            let (docs, heads) = rest[..end].split_once('/').unwrap_or((&rest[..end], ""));
            (read_ascending(docs), read_ascending(heads))
        };
        assert_eq!(posting("trafficking"), (vec![0], vec![0]), "title is the intro's heading");
        assert_eq!(posting("scope"), (vec![1], vec![1]));
        assert_eq!(posting("farms"), (vec![1], vec![]));
        assert_eq!(posting("intro"), (vec![0], vec![]));
        assert_eq!(posting("organisation"), (vec![2], vec![2]), "expansion");
        let part = files.iter().find(|f| f.0 == "search/p0.js").unwrap();
        assert!(part.1.contains("[\"scope-of-work\",\"Scope of work\",\"Forced labour in farms is described in this paragraph of prose.\"]"), "{}", part.1);
        assert!(!part.1.contains("Link only"), "link lists are not snippets: {}", part.1);
        assert!(part.1.contains("\"Trafficking \\\"quoted\\\"\""), "{}", part.1);
        assert_eq!(files, self::files(&rendered), "deterministic");
    }

    #[test]
    fn word_parts_are_cut_by_size_and_named_by_their_first_word() {
        let specs: Vec<(String, String)> = (0..300)
            .map(|i| {
                let body: Vec<String> = (0..200).map(|k| format!("w{}x{}", i * 7 + k, k % 5)).collect();
                (format!("p{i:03}.md"), format!("---\ntitle: P {i}\n---\n{}\n", body.join(" ")))
            })
            .collect();
        let specs: Vec<(&str, &str)> = specs.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect();
        let (_, rendered) = build(&specs);
        let files = files(&rendered);
        let word_parts: Vec<&File> = files.iter().filter(|f| f.0.starts_with("search/w")).collect();
        assert!(word_parts.len() > 3, "{}", word_parts.len());
        for f in &word_parts {
            assert!(f.1.len() < WORD_PART_BYTES + 1024, "{} is {} bytes", f.0, f.1.len());
        }
        let page_parts = files.iter().filter(|f| f.0.starts_with("search/p")).count();
        assert_eq!(page_parts, 300usize.div_ceil(PAGES_PER_PART));
    }
}

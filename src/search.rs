//! The search index, written at build time as `search-index.js`.
//!
//! Readers open the site from disk as often as from a server, and Chromium
//! blocks `fetch()` under `file://`, so the index is a script that assigns a
//! global (`window.DOSSIER_SEARCH = {…}`) and is loaded with `<script src>`.
//! It has to stay small (under 300 KB for a ~100-page report), so it is not a
//! copy of the text: it is an inverted index — every distinct word once, with
//! the pages it occurs in — plus, per page, its title, kind, summary,
//! headings and the first part of its text for result snippets. The word list
//! makes the search complete (a word deep in a long chapter is still found)
//! while the snippet text is what gives way when the file would outgrow its
//! budget (a match beyond a page's snippet shows the page's summary instead).
//!
//! Format (all strings, so that the file parses fast and stays compact):
//! - `kinds`: kind names; a page's kind is an index into it;
//! - `pages`: `[url, title, kind, summary, headings joined by "\n", extra
//!   names (aliases, acronym expansion), snippet text]`, url site-relative;
//! - `w`: width of a page number in base 36 in the postings;
//! - `words`: `"word:postings word:postings …"`, sorted, where postings are
//!   page numbers in base 36, `w` digits each, ascending.

use std::collections::BTreeMap;

use rayon::prelude::*;
use std::fmt::Write as _;

use crate::content::Page;
use crate::frontmatter::Kind;
use crate::markdown::Rendered;

/// The site-relative URL of the index script.
pub const URL: &str = "search-index.js";

/// The size the index aims to stay under (the limit is 300 KB; the rest is
/// margin for multi-byte text).
pub const TARGET_BYTES: usize = 280 * 1024;

/// Characters of a page's text kept for result snippets when there is room.
const MAX_SNIPPET: usize = 1200;

/// The least snippet text a page keeps, however large the report.
const MIN_SNIPPET: usize = 240;

/// Words too common to be worth a posting list; queries ignore them too.
pub const STOPWORDS: &[&str] = &[
    "a", "an", "and", "are", "as", "at", "be", "by", "for", "from", "has", "have", "in", "is",
    "it", "its", "of", "on", "or", "that", "the", "this", "to", "was", "were", "which", "with",
];

/// Splits text into lowercase search words (letters and digits, at least two
/// characters, no stopwords) — the same rule `dossier.js` applies to queries.
pub fn words(text: &str) -> impl Iterator<Item = String> + '_ {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| w.chars().count() >= 2)
        .map(str::to_lowercase)
        .filter(|w| !STOPWORDS.contains(&w.as_str()))
}

/// Calls `f` with each search word of `text` (the rule of [`words`]),
/// lowercasing into one reused buffer: the index visits every word of the
/// site, so an allocation per word would dominate the build.
fn for_each_word(text: &str, mut f: impl FnMut(&str)) {
    let mut buf = String::new();
    for w in text.split(|c: char| !c.is_alphanumeric()) {
        if w.len() < 2 || w.chars().nth(1).is_none() {
            continue;
        }
        buf.clear();
        if w.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        {
            buf.push_str(w);
        } else {
            buf.extend(w.chars().flat_map(char::to_lowercase));
        }
        if !STOPWORDS.contains(&buf.as_str()) {
            f(&buf);
        }
    }
}

/// Collapses runs of whitespace to one space.
fn squash(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The first `max` characters of `text`, cut at a word boundary.
fn truncate_words(text: &str, max: usize) -> &str {
    match text.char_indices().nth(max) {
        None => text,
        Some((cut, _)) => {
            let head = &text[..cut];
            head.rfind(' ').map_or(head, |sp| &head[..sp])
        }
    }
}

/// Appends `s` as a JSON string literal (also valid JavaScript: U+2028 and
/// U+2029 are escaped for older engines).
fn push_json_str(out: &mut String, s: &str) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{2028}' => out.push_str("\\u2028"),
            '\u{2029}' => out.push_str("\\u2029"),
            // `</script>` cannot end anything in a separate file, but `<` is
            // escaped anyway so the data can also be inlined safely.
            '<' => out.push_str("\\u003c"),
            c if (c as u32) < 0x20 => {
                write!(out, "\\u{:04x}", c as u32).expect("writing to a String cannot fail")
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

/// Base-36 digits of `n`, left-padded with zeros to `width`.
fn base36(mut n: usize, width: usize) -> String {
    const DIGITS: &[u8] = b"0123456789abcdefghijklmnopqrstuvwxyz";
    let mut v = vec![b'0'; width];
    for slot in v.iter_mut().rev() {
        *slot = DIGITS[n % 36];
        n /= 36;
    }
    String::from_utf8(v).expect("ASCII digits")
}

/// Whether page `p` belongs in search results: every content page does.
fn indexed(_p: &Page) -> bool {
    true
}

/// Builds `search-index.js` for `pages` (with their rendered bodies, same
/// order). Output depends only on the input: pages in path order, words sorted.
///
/// Snippet text is what gives way when the index is too big: the word list
/// (which makes every word findable) is kept whole, and every page's snippet
/// is shortened by the same amount until the file fits [`TARGET_BYTES`].
pub fn index_js(pages: &[Page], rendered: &[Rendered]) -> String {
    index_js_memo(&mut Memo::default(), pages, rendered, &vec![0; pages.len()])
}

/// What a build session remembers of the index: each page's entry and
/// words, and the postings of every word, so that after an edit only the
/// edited pages are read again and the postings patched.
#[derive(Debug, Default)]
pub struct Memo {
    urls: Vec<String>,
    keys: Vec<u64>,
    entries: Vec<Entry>,
    words: Vec<Vec<String>>,
    postings: BTreeMap<String, Vec<usize>>,
}

/// [`index_js`] reusing `memo`: `keys[i]` must change whenever page `i`'s
/// front matter or rendered text changes. Same bytes as [`index_js`].
pub fn index_js_memo(
    memo: &mut Memo,
    pages: &[Page],
    rendered: &[Rendered],
    keys: &[u64],
) -> String {
    let chosen: Vec<usize> = (0..pages.len()).filter(|&i| indexed(&pages[i])).collect();
    let same_pages = memo.urls.len() == chosen.len()
        && chosen
            .iter()
            .zip(&memo.urls)
            .all(|(&i, u)| pages[i].url == *u);
    if !same_pages {
        // Page numbers shifted: every posting would change; start afresh.
        *memo = Memo {
            urls: chosen.iter().map(|&i| pages[i].url.clone()).collect(),
            keys: vec![u64::MAX; chosen.len()],
            entries: Vec::new(),
            words: vec![Vec::new(); chosen.len()],
            postings: BTreeMap::new(),
        };
    }
    let stale: Vec<usize> = (0..chosen.len())
        .filter(|&n| memo.keys[n] != keys[chosen[n]] || memo.entries.len() <= n || !same_pages)
        .collect();
    let fresh: Vec<(usize, Entry, Vec<String>)> = stale
        .par_iter()
        .map(|&n| {
            let e = entry(&pages[chosen[n]], &rendered[chosen[n]]);
            let w = page_words(&e);
            (n, e, w)
        })
        .collect();
    if memo.entries.len() < chosen.len() {
        memo.entries.resize_with(chosen.len(), Entry::default);
    }
    if fresh.len() == chosen.len() {
        // Everything is new: collect the postings in a hash map (pages come
        // in order, so each list is sorted) and sort the words once.
        let mut postings: std::collections::HashMap<&str, Vec<usize>> =
            std::collections::HashMap::new();
        for (n, _, words) in &fresh {
            for w in words {
                postings.entry(w.as_str()).or_default().push(*n);
            }
        }
        memo.postings = postings
            .into_iter()
            .map(|(w, l)| (w.to_string(), l))
            .collect();
        for (n, e, words) in fresh {
            memo.words[n] = words;
            memo.entries[n] = e;
            memo.keys[n] = keys[chosen[n]];
        }
    } else {
        patch(memo, fresh, &chosen, keys);
    }
    let words = word_list(&memo.postings, chosen.len());
    let js = assemble(&memo.entries, &words, MAX_SNIPPET);
    if js.len() <= TARGET_BYTES {
        return js;
    }
    let n = chosen.len().max(1);
    let shorter = MAX_SNIPPET
        .saturating_sub((js.len() - TARGET_BYTES) / n + 1)
        .max(MIN_SNIPPET);
    assemble(&memo.entries, &words, shorter)
}

/// Replaces the entries and words of the re-read pages and moves their page
/// numbers between posting lists.
fn patch(memo: &mut Memo, fresh: Vec<(usize, Entry, Vec<String>)>, chosen: &[usize], keys: &[u64]) {
    for (n, e, words) in fresh {
        for old in std::mem::take(&mut memo.words[n]) {
            if let Some(list) = memo.postings.get_mut(&old) {
                if let Ok(at) = list.binary_search(&n) {
                    list.remove(at);
                }
                if list.is_empty() {
                    memo.postings.remove(&old);
                }
            }
        }
        for w in &words {
            match memo.postings.get_mut(w.as_str()) {
                Some(list) => {
                    if let Err(at) = list.binary_search(&n) {
                        list.insert(at, n);
                    }
                }
                None => {
                    memo.postings.insert(w.clone(), vec![n]);
                }
            }
        }
        memo.words[n] = words;
        memo.entries[n] = e;
        memo.keys[n] = keys[chosen[n]];
    }
}

/// What the index holds of one page.
#[derive(Debug, Default)]
struct Entry {
    url: String,
    title: String,
    kind: usize,
    summary: String,
    headings: String,
    extra: Vec<String>,
    text: String,
}

fn entry(p: &Page, r: &Rendered) -> Entry {
    let headings: Vec<&str> = r
        .toc
        .iter()
        .filter(|t| t.id != "notes")
        .map(|t| t.title.as_str())
        .collect();
    let mut extra: Vec<String> = p.meta.aliases.clone();
    extra.extend(p.meta.expansion.clone());
    extra.extend(p.meta.tags.iter().cloned());
    Entry {
        url: p.url.clone(),
        title: p.title.clone(),
        kind: Kind::ALL
            .iter()
            .position(|k| *k == p.kind)
            .expect("every kind is in Kind::ALL"),
        summary: p.meta.summary.clone().unwrap_or_default(),
        headings: headings.join("\n"),
        extra,
        text: squash(&r.text),
    }
}

/// The distinct search words of a page, sorted.
fn page_words(e: &Entry) -> Vec<String> {
    let extra = e.extra.join(" ");
    let mut words = Vec::new();
    for field in [e.title.as_str(), &e.summary, &extra, &e.text] {
        for_each_word(field, |w| words.push(w.to_string()));
    }
    words.sort_unstable();
    words.dedup();
    words
}

/// Width in base-36 digits of a page number.
fn width(pages: usize) -> usize {
    let mut w = 1;
    while 36usize.pow(w as u32) < pages.max(1) {
        w += 1;
    }
    w
}

/// Every word with the pages it is on: `word:pages word:pages …`, words sorted.
fn word_list(postings: &BTreeMap<String, Vec<usize>>, pages: usize) -> String {
    let width = width(pages);
    let mut list = String::new();
    for (w, pages) in postings {
        if !list.is_empty() {
            list.push(' ');
        }
        list.push_str(w);
        list.push(':');
        for &n in pages {
            list.push_str(&base36(n, width));
        }
    }
    list
}

/// The index with at most `per_page` characters of snippet text per page.
fn assemble(entries: &[Entry], words: &str, per_page: usize) -> String {
    let mut out = String::with_capacity(64 * 1024 + words.len());
    out.push_str("window.DOSSIER_SEARCH={\"v\":1,\"kinds\":[");
    for (k, kind) in Kind::ALL.iter().enumerate() {
        if k > 0 {
            out.push(',');
        }
        push_json_str(&mut out, kind.as_str());
    }
    out.push_str("],\"pages\":[\n");
    for (n, e) in entries.iter().enumerate() {
        if n > 0 {
            out.push_str(",\n");
        }
        out.push('[');
        push_json_str(&mut out, &e.url);
        out.push(',');
        push_json_str(&mut out, &e.title);
        write!(out, ",{},", e.kind).expect("writing to a String cannot fail");
        push_json_str(&mut out, &e.summary);
        out.push(',');
        push_json_str(&mut out, &e.headings);
        out.push(',');
        push_json_str(&mut out, &e.extra.join(" · "));
        out.push(',');
        push_json_str(&mut out, truncate_words(&e.text, per_page));
        out.push(']');
    }
    write!(out, "\n],\"w\":{},\"words\":", width(entries.len()))
        .expect("writing to a String cannot fail");
    push_json_str(&mut out, words);
    out.push_str("};\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::page_from_text;
    use crate::links::Index;
    use std::path::Path;

    fn build(specs: &[(&str, &str)]) -> (Vec<Page>, Vec<Rendered>) {
        let pages: Vec<Page> = specs
            .iter()
            .map(|(rel, text)| page_from_text(Path::new(rel), rel, text.to_string()).unwrap())
            .collect();
        let index = Index::new(&pages, &[], []);
        let rendered = (0..pages.len())
            .map(|i| crate::markdown::render(&index, i))
            .collect();
        (pages, rendered)
    }

    #[test]
    fn words_are_lowercase_without_stopwords_or_single_letters() {
        let w: Vec<String> = words("The Trafficking of persons, a UN-led review (2022)").collect();
        assert_eq!(w, ["trafficking", "persons", "un", "led", "review", "2022"]);
    }

    #[test]
    fn index_is_a_script_with_postings_and_escaped_strings() {
        let (pages, rendered) = build(&[
            (
                "a.md",
                "---\ntitle: Trafficking \"quoted\"\nkind: topic\nsummary: About <b>\n---\n## Scope\n\nForced labour in farms.\n",
            ),
            (
                "b.md",
                "---\ntitle: NGO\nkind: acronym\nexpansion: Non-governmental organisation\n---\nCharities.\n",
            ),
        ]);
        let js = index_js(&pages, &rendered);
        assert!(js.starts_with("window.DOSSIER_SEARCH={"), "{js}");
        assert!(js.ends_with("};\n"));
        assert!(js.contains("\"Trafficking \\\"quoted\\\"\""), "{js}");
        assert!(js.contains("About \\u003cb>"), "{js}");
        assert!(js.contains("\"Scope\""), "headings are kept: {js}");
        // Page 0 has "farms", page 1 has the expansion's words.
        assert!(js.contains(" farms:0") || js.contains("\"farms:0"), "{js}");
        assert!(js.contains("organisation:1"), "{js}");
        assert!(js.contains("forced:0"), "{js}");
        assert_eq!(js, index_js(&pages, &rendered), "deterministic");
    }

    #[test]
    fn page_numbers_widen_past_36_pages() {
        assert_eq!(base36(0, 2), "00");
        assert_eq!(base36(37, 2), "11");
        assert_eq!(base36(35, 1), "z");
    }

    /// The size budget: a ~100-page report (~60 000 words, ~400 KB of text)
    /// must give an index under 300 KB. Text is synthetic but shaped like
    /// prose (a Zipf-like vocabulary) so the word list is realistic.
    #[test]
    fn index_stays_under_budget_for_a_hundred_page_report() {
        // A vocabulary of 9 000 words: long-tail words appear in few pages.
        let vocab: Vec<String> = (0..9000)
            .map(|i| format!("w{}x{}", base36(i * 7919 % 46_655, 3), i % 13))
            .collect();
        let mut specs: Vec<(String, String)> = Vec::new();
        let mut seed: u64 = 42;
        let mut total_text = 0;
        for p in 0..100 {
            let mut body = String::new();
            for _ in 0..600 {
                seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
                // Zipf-ish: squaring a uniform number favours small indexes.
                let u = (seed >> 33) as f64 / (1u64 << 31) as f64;
                body.push_str(&vocab[((u * u * u) * vocab.len() as f64) as usize]);
                body.push(' ');
            }
            total_text += body.len();
            specs.push((
                format!("p{p:03}.md"),
                format!("---\ntitle: Page {p}\nsummary: A summary of page {p} in a sentence or so.\n---\n## Heading one\n\n{body}\n"),
            ));
        }
        let specs: Vec<(&str, &str)> = specs
            .iter()
            .map(|(a, b)| (a.as_str(), b.as_str()))
            .collect();
        let (pages, rendered) = build(&specs);
        let js = index_js(&pages, &rendered);
        let kb_text = total_text / 1024;
        let words_part = js.len() - js.find("\"words\":").unwrap();
        eprintln!(
            "index: {} KB for {kb_text} KB of text; word list {} bytes per KB of text",
            js.len() / 1024,
            words_part / kb_text
        );
        assert!(js.len() < 300 * 1024, "index is {} bytes", js.len());
        // The word list (what grows with the text) costs under half a KB per
        // KB of text; snippets give way to keep the total in budget.
        assert!(
            words_part < kb_text * 1024 / 2,
            "{words_part} bytes of word list for {kb_text} KB"
        );
    }
}

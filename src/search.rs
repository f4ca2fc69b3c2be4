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

use std::cell::RefCell;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use rayon::prelude::*;
use rustc_hash::FxHashMap;
use serde_json::json;

use crate::content::frontmatter::Kind;
use crate::content::Page;
use crate::markdown::SectionText;

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
    let mut words = Vec::new();
    each_word(&text.to_lowercase(), |w| {
        if !STOPWORDS.contains(&w) {
            words.push(w.to_string());
        }
    });
    words
}

/// Calls `f` with each run of letters and digits of `text`, in order.
fn each_word(text: &str, mut f: impl FnMut(&str)) {
    if !text.is_ascii() {
        text.split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .for_each(f);
        return;
    }
    // Byte by byte: most text is ASCII, and decoding it as characters was
    // most of the time spent here.
    let mut start = 0;
    for (i, b) in text.bytes().enumerate() {
        if !b.is_ascii_alphanumeric() {
            if start < i {
                f(&text[start..i]);
            }
            start = i + 1;
        }
    }
    if start < text.len() {
        f(&text[start..]);
    }
}

/// Search words numbered as pages are rendered (on any thread): a section
/// keeps its words as numbers, and the index is made without hashing a word
/// again. A build session keeps one numbering, so that the pages it reuses
/// and the pages it renders again are numbered alike.
#[derive(Debug)]
pub struct Vocab {
    /// Tells this numbering apart from others in threads' [`Known`] words.
    id: u64,
    words: Mutex<Words>,
}

impl Default for Vocab {
    fn default() -> Self {
        static NEXT: AtomicU64 = AtomicU64::new(1);
        Vocab {
            id: NEXT.fetch_add(1, Ordering::Relaxed),
            words: Mutex::default(),
        }
    }
}

#[derive(Debug, Default)]
struct Words {
    ids: FxHashMap<Box<str>, u32>,
    names: Vec<Box<str>>,
}

impl Words {
    fn intern(&mut self, w: &str) -> u32 {
        if let Some(&id) = self.ids.get(w) {
            return id;
        }
        let id = self.names.len() as u32;
        self.names.push(w.into());
        self.ids.insert(w.into(), id);
        id
    }
}

impl Vocab {
    fn lock(&self) -> MutexGuard<'_, Words> {
        self.words.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// The words of one [`Vocab`] a thread has met, with their numbers, so that
/// a page's words are numbered without the lock but for words new to the
/// thread (locking and searching the shared table per word occurrence was
/// most of a large build's index time).
#[derive(Default)]
struct Known {
    vocab: u64,
    /// Each word of up to eight bytes met, as [`short_key`] packs it, to its
    /// number, or [`STOP`] for a stopword.
    short: FxHashMap<u64, u32>,
    /// Each longer word met, to its number.
    long: FxHashMap<Box<str>, u32>,
    /// Per number, the last list it was put in (lists counted from one).
    last_list: Vec<u64>,
    lists: u64,
    /// The list being made, kept between lists so that it grows only once.
    scratch: Vec<u32>,
    /// A long word being lowercased, kept for the same reason.
    word: String,
}

/// The number [`Known`] gives a stopword.
const STOP: u32 = u32::MAX;

thread_local! {
    static KNOWN: RefCell<Known> = RefCell::default();
}

impl Known {
    /// The numbers of the distinct search words of `fields` (any case), in
    /// the order they first appear, in a vector of just their size.
    fn list(&mut self, vocab: &Vocab, fields: &[&str]) -> Vec<u32> {
        self.lists += 1;
        self.scratch.clear();
        for f in fields {
            if f.is_ascii() {
                // Most text is ASCII: its words are read and lowercased in
                // place, byte by byte, rather than from a lowercased copy.
                let bytes = f.as_bytes();
                let mut start = 0;
                for i in 0..=bytes.len() {
                    if i == bytes.len() || !bytes[i].is_ascii_alphanumeric() {
                        if start < i {
                            let n = self.ascii_number(vocab, bytes, start, i);
                            self.add(n);
                        }
                        start = i + 1;
                    }
                }
            } else {
                each_word(&f.to_lowercase(), |w| {
                    let n = self.number(vocab, w);
                    self.add(n);
                });
            }
        }
        self.scratch.to_vec()
    }

    /// Adds number `n` to the list being made, unless it is there already
    /// or is a stopword's.
    fn add(&mut self, n: u32) {
        if n == STOP {
            return;
        }
        let i = n as usize;
        if i >= self.last_list.len() {
            self.last_list.resize(i + 1, 0);
        }
        if self.last_list[i] != self.lists {
            self.last_list[i] = self.lists;
            self.scratch.push(n);
        }
    }

    /// The number of the ASCII word `text[start..end]` (any case), or
    /// [`STOP`].
    fn ascii_number(&mut self, vocab: &Vocab, text: &[u8], start: usize, end: usize) -> u32 {
        let len = end - start;
        if len > 8 {
            self.word.clear();
            self.word.extend(
                text[start..end]
                    .iter()
                    .map(|b| char::from(b.to_ascii_lowercase())),
            );
            if let Some(&n) = self.long.get(self.word.as_str()) {
                return n;
            }
            let n = new_number(vocab, &self.word);
            self.long.insert(self.word.as_str().into(), n);
            return n;
        }
        // Words of up to eight bytes are looked up as a number, hashed and
        // compared in one step rather than byte by byte.
        let mut bytes = [0u8; 8];
        match text.get(start..start + 8) {
            Some(eight) => bytes.copy_from_slice(eight),
            None => bytes[..len].copy_from_slice(&text[start..end]),
        }
        let word = u64::MAX >> (64 - 8 * len);
        // Setting bit 5 lowercases an ASCII letter and leaves a digit as it is.
        let key = (u64::from_le_bytes(bytes) | 0x2020_2020_2020_2020) & word;
        *self.short.entry(key).or_insert_with(|| {
            let lower = key.to_le_bytes();
            new_number(vocab, std::str::from_utf8(&lower[..len]).expect("ASCII"))
        })
    }

    /// The number of lowercase word `w`, or [`STOP`].
    fn number(&mut self, vocab: &Vocab, w: &str) -> u32 {
        if let Some(key) = short_key(w) {
            *self
                .short
                .entry(key)
                .or_insert_with(|| new_number(vocab, w))
        } else if let Some(&n) = self.long.get(w) {
            n
        } else {
            let n = new_number(vocab, w);
            self.long.insert(w.into(), n);
            n
        }
    }
}

/// The number of lowercase word `w` new to a thread: [`STOP`] for a
/// stopword, else its number in `vocab`.
fn new_number(vocab: &Vocab, w: &str) -> u32 {
    if STOPWORDS.contains(&w) {
        STOP
    } else {
        vocab.lock().intern(w)
    }
}

/// Word `w` as a number, if it has at most eight bytes (a word has no zero
/// byte, so the zeros after it keep words of different lengths apart).
fn short_key(w: &str) -> Option<u64> {
    let mut bytes = [0u8; 8];
    bytes.get_mut(..w.len())?.copy_from_slice(w.as_bytes());
    Some(u64::from_le_bytes(bytes))
}

/// The first `max` characters of `text` with whitespace runs squashed,
/// cut at a word boundary.
fn snippet(text: &str, max: usize) -> String {
    // Room for an ASCII snippet and its ellipsis at once, rather than grown
    // in steps to twice that.
    let mut out = String::with_capacity(max + " …".len());
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

/// What the index keeps of one section.
#[derive(Debug, Clone, Default)]
struct Section {
    /// The heading's id; empty for the introduction.
    id: String,
    heading: String,
    /// Distinct words of the heading (the title and other names for the
    /// introduction), numbered in the page's [`Vocab`], in the order they
    /// first appear: the index lists each word's sections, which that order
    /// does not change, so the lists are not sorted.
    head: Vec<u32>,
    /// Distinct words of the heading and the text, in the same order.
    body: Vec<u32>,
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
    /// The numbering of the sections' words.
    vocab: Arc<Vocab>,
}

impl Extract {
    /// Whether `word` (lowercase) is one of the page's search words.
    pub fn has_word(&self, word: &str) -> bool {
        let words = self.vocab.lock();
        words
            .ids
            .get(word)
            .is_some_and(|id| self.sections.iter().any(|s| s.body.contains(id)))
    }
}

/// The index's part of page `p`, from its sections in order (the first the
/// introduction).
pub fn extract(p: &Page, sections: &[SectionText], vocab: &Arc<Vocab>) -> Extract {
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
        vocab,
    )
}

/// A page the build makes itself (a kind index, the home page): its title
/// and the titles it lists.
pub fn listing(url: &str, title: &str, kind: Kind, items: &[&str], vocab: &Arc<Vocab>) -> Extract {
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
        vocab,
    )
}

fn page_extract(
    url: String,
    title: String,
    kind: Kind,
    summary: String,
    extra: String,
    sections: &[SectionText],
    vocab: &Arc<Vocab>,
) -> Extract {
    let lists: Vec<(Vec<u32>, Vec<u32>)> = KNOWN.with_borrow_mut(|known| {
        if known.vocab != vocab.id {
            *known = Known {
                vocab: vocab.id,
                ..Known::default()
            };
        }
        sections
            .iter()
            .enumerate()
            .map(|(n, s)| match s.heading {
                Some(h) => (
                    known.list(vocab, &[&h.title]),
                    known.list(vocab, &[&h.title, s.text]),
                ),
                // The introduction stands for the page: its heading is the
                // title and its text starts with the summary.
                None => (
                    known.list(vocab, &[&title, &extra]),
                    known.list(
                        vocab,
                        &[&title, &extra, &summary, if n == 0 { s.text } else { "" }],
                    ),
                ),
            })
            .collect()
    });
    let sections = sections
        .iter()
        .zip(lists)
        .map(|(s, (head, body))| Section {
            id: s.heading.map(|h| h.id.clone()).unwrap_or_default(),
            heading: s.heading.map(|h| h.title.clone()).unwrap_or_default(),
            head,
            body,
            snippet: snippet(s.prose, SNIPPET),
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
        vocab: Arc::clone(vocab),
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

/// The order `dossier.js` compares strings in (UTF-16 code units), which the
/// word parts' first words are searched by.
fn js_order(a: &str, b: &str) -> std::cmp::Ordering {
    if a.is_ascii() && b.is_ascii() {
        a.cmp(b)
    } else {
        a.encode_utf16().cmp(b.encode_utf16())
    }
}

/// The index of `pages` (content pages in build order, then listings):
/// `search-index.js` and its parts, each handed to `put` (URL, text) as soon
/// as it is made, so that a large site's index is never all in memory.
/// Output depends only on the input.
pub fn write_index<E>(
    pages: &[&Extract],
    put: &mut dyn FnMut(String, String) -> Result<(), E>,
) -> Result<(), E> {
    let names = one_numbering(pages);
    // Each word's sections, written as the sections are visited in order
    // (numbers straight into text: no list of numbers beside it).
    let mut docs = vec![String::new(); names.len()];
    let mut heads = vec![String::new(); names.len()];
    let mut last_doc = vec![0u32; names.len()];
    let mut last_head = vec![0u32; names.len()];
    let mut doc = 0u32;
    for (p, map) in pages.iter().zip(&names.maps) {
        let id = |n: u32| map.as_ref().map_or(n, |m| m[n as usize]) as usize;
        for s in &p.sections {
            for &n in &s.body {
                let i = id(n);
                let first = docs[i].is_empty();
                push_number(&mut docs[i], if first { doc } else { doc - last_doc[i] });
                last_doc[i] = doc;
            }
            for &n in &s.head {
                let i = id(n);
                let first = heads[i].is_empty();
                push_number(&mut heads[i], if first { doc } else { doc - last_head[i] });
                last_head[i] = doc;
            }
            doc += 1;
        }
    }
    let mut order: Vec<usize> = (0..names.len()).filter(|&i| !docs[i].is_empty()).collect();
    order.par_sort_unstable_by(|&a, &b| js_order(&names.names[a], &names.names[b]));
    // Word parts: consecutive words, `word:docs/heads`, up to the size limit.
    let mut firsts: Vec<&str> = Vec::new();
    let mut part = String::new();
    for &i in &order {
        let (w, d, h) = (&names.names[i], &docs[i], &heads[i]);
        let len = w.len() + d.len() + h.len() + 2;
        if part.len() + len > WORD_PART_BYTES && !part.is_empty() {
            word_part(firsts.len() - 1, std::mem::take(&mut part), put)?;
        }
        if part.is_empty() {
            firsts.push(w);
        } else {
            part.push(' ');
        }
        part.push_str(w);
        part.push(':');
        part.push_str(d);
        if !h.is_empty() {
            part.push('/');
            part.push_str(h);
        }
        docs[i] = String::new();
    }
    if !part.is_empty() {
        word_part(firsts.len() - 1, part, put)?;
    }
    for (k, chunk) in pages.chunks(PAGES_PER_PART).enumerate() {
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
        let name = format!("p{k}");
        put(
            format!("{PARTS}{name}.js"),
            part_js(&name, &serde_json::Value::Array(rows)),
        )?;
    }
    put(URL.to_string(), meta_js(pages, &firsts))
}

/// Hands word part `k` to `put`.
fn word_part<E>(
    k: usize,
    text: String,
    put: &mut dyn FnMut(String, String) -> Result<(), E>,
) -> Result<(), E> {
    let name = format!("w{k}");
    put(
        format!("{PARTS}{name}.js"),
        part_js(&name, &serde_json::Value::String(text)),
    )
}

/// Every word of `pages`' numberings, and per page how its numbers map
/// into them.
struct Names {
    names: Vec<Box<str>>,
    /// Per page, `None` if its numbers are the list's own, else their
    /// numbers in it.
    maps: Vec<Option<Vec<u32>>>,
}

impl Names {
    fn len(&self) -> usize {
        self.names.len()
    }
}

/// The words of `pages` in one numbering: the first page's, into which the
/// words of pages numbered elsewhere (there should be none) are added.
fn one_numbering(pages: &[&Extract]) -> Names {
    let Some(first) = pages.first() else {
        return Names {
            names: Vec::new(),
            maps: Vec::new(),
        };
    };
    let main = &first.vocab;
    let mut others: Vec<(&Arc<Vocab>, Vec<u32>)> = Vec::new();
    let maps = pages
        .iter()
        .map(|p| {
            if Arc::ptr_eq(&p.vocab, main) {
                return None;
            }
            if let Some((_, m)) = others.iter().find(|(v, _)| Arc::ptr_eq(v, &p.vocab)) {
                return Some(m.clone());
            }
            let theirs: Vec<Box<str>> = p.vocab.lock().names.clone();
            let mut words = main.lock();
            let m: Vec<u32> = theirs.iter().map(|w| words.intern(w)).collect();
            others.push((&p.vocab, m.clone()));
            Some(m)
        })
        .collect();
    Names {
        names: main.lock().names.clone(),
        maps,
    }
}

/// `search-index.js`: what ranking needs of every page, and where the words
/// are.
fn meta_js(pages: &[&Extract], firsts: &[&str]) -> String {
    let mut sections = String::new();
    let mut title_words = String::new();
    let mut kinds = String::new();
    for p in pages {
        push_number(&mut sections, p.sections.len() as u32);
        let mut n = 0;
        each_word(&p.title.to_lowercase(), |w| {
            n += u32::from(!STOPWORDS.contains(&w));
        });
        push_number(&mut title_words, n);
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
    use crate::markdown::TocEntry;
    use std::path::Path;
    use std::sync::Arc;

    /// The pages of `specs` and what the index keeps of each.
    fn build(specs: &[(&str, &str)]) -> (Vec<Page>, Vec<Extract>) {
        let pages: Vec<Page> = specs
            .iter()
            .map(|(rel, text)| page_from_text(Path::new(rel), rel, text.to_string()).unwrap())
            .collect();
        let index = Index::new(&pages, &[], []);
        let vocab = Arc::new(Vocab::default());
        let extracts = (0..pages.len())
            .map(|i| {
                extract(
                    &pages[i],
                    &crate::markdown::render(&index, i).sections(),
                    &vocab,
                )
            })
            .collect();
        (pages, extracts)
    }

    /// A file of the index: its site-relative URL and its text.
    type File = (String, String);

    fn index_files(pages: &[&Extract]) -> Vec<File> {
        let mut files = Vec::new();
        write_index(pages, &mut |url, text| {
            files.push((url, text));
            Ok::<(), ()>(())
        })
        .unwrap();
        // The index script first, then its parts.
        files.rotate_right(1);
        files
    }

    fn files(extracts: &[Extract]) -> Vec<File> {
        let x: Vec<&Extract> = extracts.iter().collect();
        index_files(&x)
    }

    /// Appends ascending `list` as its first number and then differences.
    fn push_ascending(out: &mut String, list: &[u32]) {
        let mut prev = 0;
        for (k, &n) in list.iter().enumerate() {
            push_number(out, if k == 0 { n } else { n - prev });
            prev = n;
        }
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
        let w: Vec<String> =
            words("The Trafficking of persons, a UN-led review (2022) NATO's Article V");
        assert_eq!(
            w,
            [
                "trafficking",
                "persons",
                "un",
                "led",
                "review",
                "2022",
                "nato",
                "article",
                "v"
            ]
        );
    }

    #[test]
    fn a_word_in_any_case_anywhere_is_one_word() {
        let (_, rendered) = build(&[
            (
                "a.md",
                "---\ntitle: NATO Nato\n---\nTHE Internationalisation of nato9 and NATO\n",
            ),
            (
                "b.md",
                "---\ntitle: Résumé\n---\nNato and INTERNATIONALISATION, NATO9 THE end NATO",
            ),
        ]);
        let names = rendered[0].vocab.lock().names.clone();
        let mut names: Vec<&str> = names.iter().map(|w| &**w).collect();
        names.sort_unstable();
        assert_eq!(
            names,
            ["end", "internationalisation", "nato", "nato9", "résumé"],
            "one lowercase word each, stopwords left out"
        );
        for (page, words) in rendered.iter().zip([3, 5]) {
            assert_eq!(page.sections[0].body.len(), words, "{:?}", page.title);
            assert!(page.has_word("nato") && page.has_word("internationalisation"));
        }
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
            let at = text
                .find(&format!("{w}:"))
                .unwrap_or_else(|| panic!("{w}: {text}"));
            let rest = &text[at + w.len() + 1..];
            let end = rest.find([' ', '"']).unwrap();
            let (docs, heads) = rest[..end].split_once('/').unwrap_or((&rest[..end], ""));
            (read_ascending(docs), read_ascending(heads))
        };
        assert_eq!(
            posting("trafficking"),
            (vec![0], vec![0]),
            "title is the intro's heading"
        );
        assert_eq!(posting("scope"), (vec![1], vec![1]));
        assert_eq!(posting("farms"), (vec![1], vec![]));
        assert_eq!(posting("intro"), (vec![0], vec![]));
        assert_eq!(posting("organisation"), (vec![2], vec![2]), "expansion");
        let part = files.iter().find(|f| f.0 == "search/p0.js").unwrap();
        assert!(part.1.contains("[\"scope-of-work\",\"Scope of work\",\"Forced labour in farms is described in this paragraph of prose.\"]"), "{}", part.1);
        assert!(
            !part.1.contains("Link only"),
            "link lists are not snippets: {}",
            part.1
        );
        assert!(
            part.1.contains("\"Trafficking \\\"quoted\\\"\""),
            "{}",
            part.1
        );
        assert_eq!(files, self::files(&rendered), "deterministic");
    }

    #[test]
    fn numberings_made_in_turn_on_one_thread_keep_their_own_words() {
        let page = |text: &str, vocab: &Arc<Vocab>| {
            let s = [SectionText {
                heading: None,
                text,
                prose: text,
            }];
            page_extract(
                "a.html".into(),
                "A".into(),
                Kind::Topic,
                String::new(),
                String::new(),
                &s,
                vocab,
            )
        };
        let (one, two) = (Arc::new(Vocab::default()), Arc::new(Vocab::default()));
        let a = page("alpha beta", &one);
        let b = page("beta gamma", &two);
        let c = page("gamma alpha", &one);
        assert!(a.has_word("beta") && !a.has_word("gamma"), "{a:?}");
        assert!(b.has_word("beta") && b.has_word("gamma") && !b.has_word("alpha"));
        assert!(c.has_word("gamma") && c.has_word("alpha") && !c.has_word("beta"));
        let words = |x: &[&Extract]| {
            let files = index_files(x);
            files.into_iter().find(|f| f.0 == "search/w0.js").unwrap().1
        };
        let w = words(&[&b]);
        assert!(
            w.contains("beta:g") && w.contains("gamma:g") && !w.contains("alpha"),
            "{w}"
        );
        let w = words(&[&a, &c]);
        assert!(
            w.contains("alpha:gh") && w.contains("beta:g") && w.contains("gamma:h"),
            "{w}"
        );
    }

    #[test]
    fn word_parts_are_cut_by_size_and_named_by_their_first_word() {
        let specs: Vec<(String, String)> = (0..300)
            .map(|i| {
                let body: Vec<String> = (0..200)
                    .map(|k| format!("w{}x{}", i * 7 + k, k % 5))
                    .collect();
                (
                    format!("p{i:03}.md"),
                    format!("---\ntitle: P {i}\n---\n{}\n", body.join(" ")),
                )
            })
            .collect();
        let specs: Vec<(&str, &str)> = specs
            .iter()
            .map(|(a, b)| (a.as_str(), b.as_str()))
            .collect();
        let (_, rendered) = build(&specs);
        let files = files(&rendered);
        let word_parts: Vec<&File> = files
            .iter()
            .filter(|f| f.0.starts_with("search/w"))
            .collect();
        assert!(word_parts.len() > 3, "{}", word_parts.len());
        for f in &word_parts {
            assert!(
                f.1.len() < WORD_PART_BYTES + 1024,
                "{} is {} bytes",
                f.0,
                f.1.len()
            );
        }
        let page_parts = files.iter().filter(|f| f.0.starts_with("search/p")).count();
        assert_eq!(page_parts, 300usize.div_ceil(PAGES_PER_PART));
    }
    /// Word `i` of a made-up vocabulary: letters from its number, three
    /// to nine of them.
    fn made_up_word(i: usize) -> String {
        let mut n = i * 7919 + 17;
        let len = 3 + i % 7;
        (0..len)
            .map(|_| {
                let c = char::from(b'a' + (n % 26) as u8);
                n /= 26;
                n = n * 31 + 7;
                c
            })
            .collect()
    }

    /// A first query on a 10,000-page site loads the index script, the word
    /// parts of one two-letter range (where its word, the words it begins
    /// and its near spellings are) and the page parts of eight results: at
    /// most about 1.5 MB even when each of these is the largest there is.
    #[test]
    fn a_first_query_on_ten_thousand_pages_loads_at_most_one_and_a_half_megabytes() {
        let words: Vec<String> = (0..30_000).map(made_up_word).collect();
        let mut rng = crate::testing::Rng::new(0x2545_F491_4F6C_DD1D);
        // Prose-like: a few words very common, most rare.
        let mut prose = |n: usize| {
            let mut out = String::new();
            for _ in 0..n {
                let u = (rng.next() % 1_000_000) as f64 / 1_000_000.0;
                out.push_str(&words[(u * u * u * words.len() as f64) as usize]);
                out.push(' ');
            }
            out.push('.');
            out
        };
        let vocab = Arc::new(Vocab::default());
        let headings: Vec<TocEntry> = (0..4)
            .map(|k| TocEntry {
                level: 2,
                id: format!("section-{k}"),
                title: format!("Section {k}"),
                aside: false,
            })
            .collect();
        let extracts: Vec<Extract> = (0..10_000)
            .map(|p| {
                let texts: Vec<String> = (0..5).map(|_| prose(45)).collect();
                let sections: Vec<SectionText> = texts
                    .iter()
                    .enumerate()
                    .map(|(k, t)| SectionText {
                        heading: k.checked_sub(1).map(|h| &headings[h]),
                        text: t,
                        prose: t,
                    })
                    .collect();
                page_extract(
                    format!("pages/page-{p:05}.html"),
                    format!("Page {p} {}", words[p % 997]),
                    Kind::Topic,
                    String::new(),
                    String::new(),
                    &sections,
                    &vocab,
                )
            })
            .collect();
        let refs: Vec<&Extract> = extracts.iter().collect();
        let files = index_files(&refs);
        let meta = files[0].1.len();
        // Each word part's size and first and last word.
        let word_parts: Vec<(usize, String, String)> = files
            .iter()
            .filter(|(url, _)| url.starts_with("search/w"))
            .map(|(_, text)| {
                let list = text.split_once(",\"").unwrap().1;
                let first = list.split(':').next().unwrap().to_string();
                let last = list.rsplit(' ').next().unwrap();
                (
                    text.len(),
                    first,
                    last.split(':').next().unwrap().to_string(),
                )
            })
            .collect();
        let prefixes: std::collections::BTreeSet<String> =
            words.iter().map(|w| w[..2].to_string()).collect();
        let words_bytes = prefixes
            .iter()
            .map(|pre| {
                let end = format!("{pre}\u{ffff}");
                word_parts
                    .iter()
                    .filter(|(_, first, last)| {
                        first.as_str() <= end.as_str() && last.as_str() >= pre.as_str()
                    })
                    .map(|(size, _, _)| size)
                    .sum::<usize>()
            })
            .max()
            .unwrap();
        let mut page_parts: Vec<usize> = files
            .iter()
            .filter(|(url, _)| url.starts_with("search/p"))
            .map(|(_, text)| text.len())
            .collect();
        page_parts.sort_unstable();
        let pages_bytes: usize = page_parts.iter().rev().take(8).sum();
        let total: usize = files.iter().map(|(_, t)| t.len()).sum();
        eprintln!(
            "index {total} bytes; a first query at most {meta} + {words_bytes} + {pages_bytes}"
        );
        assert!(total > 10_000_000, "the whole index is large: {total}");
        assert!(
            meta + words_bytes + pages_bytes <= 1_536 * 1024,
            "{meta} + {words_bytes} + {pages_bytes} bytes"
        );
    }
}

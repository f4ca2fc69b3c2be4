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

use std::fmt::Write as _;
use std::sync::{Arc, Mutex};

use rayon::prelude::*;
use rustc_hash::{FxHashMap, FxHashSet};

use crate::content::Page;
use crate::frontmatter::Kind;
use crate::markdown::{Rendered, TocEntry};
use crate::swar;

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
pub fn words(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for_each_word(text, |w| out.push(w.to_string()));
    out
}

/// Calls `f` with each search word of `text` (see [`words`]),
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

/// The text of `text` with runs of whitespace collapsed to one space, up to
/// the first `max` characters (or all of it when shorter): snippets never need
/// more, and a page's whole text would be a second copy of the site in memory.
fn squash_prefix(text: &str, max: usize) -> String {
    let mut out = String::with_capacity(text.len().min(max + max / 4));
    let mut chars = 0;
    let mut at = 0;
    // `split_whitespace` by hand: it decodes every character, and this runs
    // over a prefix of every page; ASCII bytes are decided as they are.
    // The character at byte `i`: whether it is whitespace, and its length.
    let char_at = |i: usize| -> (bool, usize) {
        match text.as_bytes()[i] {
            b if b.is_ascii() => (char::from(b).is_whitespace(), 1),
            _ => {
                let c = text[i..].chars().next().expect("a char boundary");
                (c.is_whitespace(), c.len_utf8())
            }
        }
    };
    loop {
        while at < text.len() {
            match char_at(at) {
                (true, n) => at += n,
                (false, _) => break,
            }
        }
        if at == text.len() || chars > max {
            break;
        }
        let start = at;
        let mut count = 0;
        while at < text.len() {
            match char_at(at) {
                (false, n) => at += n,
                (true, _) => break,
            }
            count += 1;
        }
        if !out.is_empty() {
            out.push(' ');
            chars += 1;
        }
        out.push_str(&text[start..at]);
        chars += count;
    }
    out
}

/// The first `max` characters of `text`, cut at a word boundary.
fn truncate_words(text: &str, max: usize) -> &str {
    // Every row of the index is cut twice (measured, then written): an
    // ASCII prefix, as nearly all are, has a character per byte.
    let bytes = text.as_bytes();
    let cut = if bytes.len() <= max {
        None
    } else if bytes[..max].is_ascii() {
        Some((max, ' '))
    } else {
        text.char_indices().nth(max)
    };
    match cut {
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
    push_json_inner(out, s);
    out.push('"');
}

/// The inside of [`push_json_str`]: runs of plain bytes are copied at once,
/// since the index is megabytes for a large site.
fn push_json_inner(out: &mut String, s: &str) {
    let bytes = s.as_bytes();
    let mut run = 0;
    let mut i = 0;
    while let Some(at) = next_escape_candidate(bytes, i) {
        let escape = json_escape(bytes, at);
        i = at + escape.replaces();
        match escape {
            Escape::Kept => continue,
            Escape::Text(e, _) => {
                out.push_str(&s[run..at]);
                out.push_str(e);
            }
            Escape::Control(b) => {
                out.push_str(&s[run..at]);
                write!(out, "\\u{b:04x}").expect("writing to a String cannot fail")
            }
        }
        run = i;
    }
    out.push_str(&s[run..]);
}

/// The first byte at or after `from` that [`json_escape`] may change (a
/// lead byte `0xE2` may turn out kept), found eight bytes at a time: the
/// rows of a large site's index are measured at full length, megabytes of
/// text with an escape every few hundred bytes.
fn next_escape_candidate(bytes: &[u8], from: usize) -> Option<usize> {
    swar::find_from(
        bytes,
        from,
        |x| {
            swar::between(x, 0, 0x20)
                | swar::lowest_equal(x, 0)
                | swar::lowest_equal(x, b'"')
                | swar::lowest_equal(x, b'\\')
                | swar::lowest_equal(x, b'<')
                | swar::lowest_equal(x, 0xE2)
        },
        |b| b < 0x20 || matches!(b, b'"' | b'\\' | b'<' | 0xE2),
    )
}

/// What JSON escaping does with the character that starts at a byte.
#[derive(Debug, Clone, Copy)]
enum Escape {
    /// Copied as it is.
    Kept,
    /// Written as this text instead of this many bytes.
    Text(&'static str, usize),
    /// A control character, written `\u00XX`.
    Control(u8),
}

impl Escape {
    /// How many bytes of the text it stands for.
    fn replaces(self) -> usize {
        match self {
            Escape::Text(_, n) => n,
            Escape::Kept | Escape::Control(_) => 1,
        }
    }

    /// How many bytes it adds to the text.
    fn grows_by(self) -> usize {
        match self {
            Escape::Kept => 0,
            Escape::Text(e, n) => e.len() - n,
            Escape::Control(_) => 5,
        }
    }
}

/// The one table of JSON escapes, for [`push_json_inner`] and
/// [`json_inner_len`]: what happens to the character at byte `i` of `bytes`.
fn json_escape(bytes: &[u8], i: usize) -> Escape {
    match bytes[i] {
        b'"' => Escape::Text("\\\"", 1),
        b'\\' => Escape::Text("\\\\", 1),
        b'\n' => Escape::Text("\\n", 1),
        b'\r' => Escape::Text("\\r", 1),
        b'\t' => Escape::Text("\\t", 1),
        // `</script>` cannot end anything in a separate file, but `<` is
        // escaped anyway so the data can also be inlined safely.
        b'<' => Escape::Text("\\u003c", 1),
        0xE2 if bytes.get(i + 1) == Some(&0x80) && bytes.get(i + 2) == Some(&0xA8) => {
            Escape::Text("\\u2028", 3)
        }
        0xE2 if bytes.get(i + 1) == Some(&0x80) && bytes.get(i + 2) == Some(&0xA9) => {
            Escape::Text("\\u2029", 3)
        }
        b if b < 0x20 => Escape::Control(b),
        _ => Escape::Kept,
    }
}

/// Appends the base-36 digits of `n`, left-padded with zeros to `width`.
fn push_base36(out: &mut String, mut n: usize, width: usize) {
    const DIGITS: &[u8] = b"0123456789abcdefghijklmnopqrstuvwxyz";
    let mut v = [b'0'; 16];
    for slot in v[..width].iter_mut().rev() {
        *slot = DIGITS[n % 36];
        n /= 36;
    }
    out.push_str(std::str::from_utf8(&v[..width]).expect("ASCII digits"));
}

/// Base-36 digits of `n`, left-padded with zeros to `width`.
#[cfg(test)]
fn base36(n: usize, width: usize) -> String {
    let mut s = String::new();
    push_base36(&mut s, n, width);
    s
}

/// Whether page `p` belongs in search results: every content page does.
fn indexed(_p: &Page) -> bool {
    true
}

/// Search words numbered as pages are read, one numbering per worker thread
/// (each thread locks only its own, so reading never waits): a page keeps
/// its distinct words as numbers, looked up once each, and the index
/// collects pages per number without hashing a word again.
#[derive(Debug)]
pub struct Vocab {
    /// One per thread of the pool, and a last one for any other thread.
    shards: Vec<Mutex<Shard>>,
}

/// One thread's numbering of the words it has read.
#[derive(Debug, Default)]
struct Shard {
    /// Words of up to eight bytes (most words of prose), by their bytes.
    short: ShortWords,
    /// Words of nine to sixteen bytes, by their bytes.
    mid: MidWords,
    /// Longer words.
    ids: FxHashMap<Box<str>, Seen>,
    names: Vec<Box<str>>,
    /// The page being read, counted from 1 (0 marks a word that no page of
    /// the current count had).
    pages: u32,
    /// Room for the numbers of the page being read, kept between pages.
    scratch: Vec<u32>,
}

/// A word's number (or [`STOPWORD`]) and the last page (as
/// [`Shard::pages`] counts) that had it, side by side: every word of every
/// page reads and writes both.
#[derive(Debug, Clone, Copy, Default)]
struct Seen {
    id: u32,
    page: u32,
}

/// The number a stopword maps to: it never makes a posting.
const STOPWORD: u32 = u32::MAX;

impl Default for Vocab {
    fn default() -> Self {
        Self::new()
    }
}

impl Vocab {
    /// A numbering for a build on the current thread pool.
    pub fn new() -> Self {
        Vocab {
            shards: (0..=rayon::current_num_threads())
                .map(|_| Mutex::default())
                .collect(),
        }
    }

    /// The shard of the calling thread.
    fn own_shard(&self) -> usize {
        let last = self.shards.len() - 1;
        rayon::current_thread_index().map_or(last, |k| k.min(last))
    }

    fn lock(&self, shard: usize) -> std::sync::MutexGuard<'_, Shard> {
        self.shards[shard]
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

impl Shard {
    /// Starts a new page for [`Shard::page_word`].
    fn next_page(&mut self) {
        self.pages = self.pages.wrapping_add(1);
        if self.pages == 0 {
            // Four billion pages later (a long `serve` session): the marks
            // start again rather than match a page of long ago.
            self.short.each_seen(|s| s.page = 0);
            self.mid.each_seen(|s| s.page = 0);
            self.ids.values_mut().for_each(|s| s.page = 0);
            self.pages = 1;
        }
    }

    /// Writes to `self.scratch[*n]`, and counts in `n`, the number of word
    /// `w` (with its [`ShortWords::key`]) unless the current page had it
    /// already or it is a stopword; `scratch` must have room. Every word of
    /// every page comes here: the lookup is inlined into the word scan, the
    /// first sighting of a word is not, and a known word is written
    /// without a branch on whether it counts, which half of them do, in no
    /// order a processor could predict.
    #[inline(always)]
    fn page_word(&mut self, w: &str, key: Option<u64>, n: &mut usize) {
        let page = self.pages;
        let seen = match key {
            Some(key) => self.short.get_mut(key),
            None => match MidWords::key(w) {
                Some(key) => self.mid.get_mut(key),
                None => self.ids.get_mut(w),
            },
        };
        match seen {
            Some(seen) => {
                let counts = (seen.id != STOPWORD) & (seen.page != page);
                seen.page = page;
                self.scratch[*n] = seen.id;
                *n += usize::from(counts);
            }
            None => self.new_word(w, key, n),
        }
    }

    /// Numbers word `w`, seen for the first time, and writes its number as
    /// [`Shard::page_word`] does (a stopword gets [`STOPWORD`] and is not
    /// counted).
    #[cold]
    #[inline(never)]
    fn new_word(&mut self, w: &str, key: Option<u64>, n: &mut usize) {
        let id = if STOPWORDS.contains(&w) {
            STOPWORD
        } else {
            self.names.push(w.into());
            let id = (self.names.len() - 1) as u32;
            self.scratch[*n] = id;
            *n += 1;
            id
        };
        let seen = Seen {
            id,
            page: self.pages,
        };
        match key {
            Some(key) => self.short.insert(key, seen),
            None => match MidWords::key(w) {
                Some(key) => self.mid.insert(key, seen),
                None => {
                    self.ids.insert(w.into(), seen);
                }
            },
        }
    }
}

/// Numbers of words of up to eight (or sixteen) bytes, keyed by the bytes
/// themselves as one integer (zero-padded: no word has a zero byte, so no
/// two share a key). Open addressing: a lookup is a multiply and a compare
/// or two, where a map of strings hashes the word and compares it byte by
/// byte.
#[derive(Debug, Default)]
struct WordTable<K> {
    /// Each key (0 for a free slot) beside its entry; the length is a
    /// power of two or zero.
    slots: Vec<(K, Seen)>,
    len: usize,
}

/// Words of up to eight bytes (most words of prose).
type ShortWords = WordTable<u64>;

/// Words of nine to sixteen bytes.
type MidWords = WordTable<u128>;

/// A word's bytes as an integer key of a [`WordTable`].
trait WordKey: Copy + Eq + Default {
    /// 64 bits that depend on every byte of the key.
    fn spread(self) -> u64;
}

impl WordKey for u64 {
    fn spread(self) -> u64 {
        self
    }
}

impl WordKey for u128 {
    fn spread(self) -> u64 {
        (self as u64) ^ ((self >> 64) as u64).wrapping_mul(0xA076_1D64_78BD_642F)
    }
}

impl ShortWords {
    /// The key of `w`, if it has at most eight bytes.
    fn key(w: &str) -> Option<u64> {
        let b = w.as_bytes();
        if b.is_empty() || b.len() > 8 {
            return None;
        }
        let mut k = [0u8; 8];
        k[..b.len()].copy_from_slice(b);
        Some(u64::from_le_bytes(k))
    }
}

impl MidWords {
    /// The key of `w`, if it has nine to sixteen bytes.
    fn key(w: &str) -> Option<u128> {
        let b = w.as_bytes();
        if !(9..=16).contains(&b.len()) {
            return None;
        }
        let mut k = [0u8; 16];
        k[..b.len()].copy_from_slice(b);
        Some(u128::from_le_bytes(k))
    }
}

impl<K: WordKey> WordTable<K> {
    /// The slot holding `key`, or the free slot where it would go.
    fn slot(&self, key: K) -> usize {
        let mask = self.slots.len() - 1;
        let bits = self.slots.len().trailing_zeros();
        let mut i = (key.spread().wrapping_mul(0x9E37_79B9_7F4A_7C15) >> (64 - bits)) as usize;
        while self.slots[i].0 != key && self.slots[i].0 != K::default() {
            i = (i + 1) & mask;
        }
        i
    }

    fn get_mut(&mut self, key: K) -> Option<&mut Seen> {
        if self.slots.is_empty() {
            return None;
        }
        let i = self.slot(key);
        let (k, seen) = &mut self.slots[i];
        (*k == key).then_some(seen)
    }

    /// Calls `f` with every word's entry.
    fn each_seen(&mut self, mut f: impl FnMut(&mut Seen)) {
        for (k, seen) in &mut self.slots {
            if *k != K::default() {
                f(seen);
            }
        }
    }

    /// Adds `key` (not present yet) with `value`; the table stays at most
    /// half full.
    fn insert(&mut self, key: K, value: Seen) {
        if 2 * (self.len + 1) > self.slots.len() {
            let old = std::mem::take(&mut self.slots);
            let size = (old.len() * 2).max(1024);
            self.slots = vec![(K::default(), Seen::default()); size];
            for (k, v) in old.into_iter().filter(|(k, _)| *k != K::default()) {
                let i = self.slot(k);
                self.slots[i] = (k, v);
            }
        }
        let i = self.slot(key);
        self.slots[i] = (key, value);
        self.len += 1;
    }
}

/// A page's distinct search words: numbers in a shard of a [`Vocab`].
#[derive(Debug, Clone, Default)]
struct Words {
    vocab: Option<Arc<Vocab>>,
    shard: usize,
    ids: Vec<u32>,
}

impl Words {
    /// Calls `f` with each word, in the order the page first had them.
    fn for_each(&self, mut f: impl FnMut(&str)) {
        if let Some(vocab) = &self.vocab {
            let shard = vocab.lock(self.shard);
            for &id in &self.ids {
                f(&shard.names[id as usize]);
            }
        }
    }

    /// Whether two pages' words are numbered alike.
    fn same_numbering(&self, other: &Words) -> bool {
        self.shard == other.shard
            && match (&self.vocab, &other.vocab) {
                (Some(a), Some(b)) => Arc::ptr_eq(a, b),
                (None, None) => true,
                _ => false,
            }
    }
}

/// What the index keeps of one page, taken from its text when its markdown
/// is rendered (so the text itself need not be kept).
#[derive(Debug, Clone, Default)]
pub struct Extract {
    entry: Entry,
    words: Words,
}

impl Extract {
    /// Whether `word` (lowercase) is one of the page's search words.
    pub fn has_word(&self, word: &str) -> bool {
        let mut found = false;
        self.words.for_each(|w| found |= w == word);
        found
    }
}

/// The index's part of page `p` with headings `toc` and plain text `text`,
/// its words numbered in `vocab`.
pub fn extract(p: &Page, toc: &[TocEntry], text: &str, vocab: &Arc<Vocab>) -> Extract {
    extract_in(p, toc, text, vocab, vocab.own_shard())
}

/// [`extract`], numbering the words in shard `shard` of `vocab`.
fn extract_in(p: &Page, toc: &[TocEntry], text: &str, vocab: &Arc<Vocab>, shard: usize) -> Extract {
    let headings: Vec<&str> = toc
        .iter()
        .filter(|t| t.id != "notes")
        .map(|t| t.title.as_str())
        .collect();
    let mut extra: Vec<String> = p.meta.aliases.clone();
    extra.extend(p.meta.expansion.clone());
    extra.extend(p.meta.tags.iter().cloned());
    // The script writes `root + url`, which on a page at the root must not
    // read as a scheme either.
    let url = if crate::url::reads_as_scheme(&p.url) {
        format!("./{}", p.url)
    } else {
        p.url.clone()
    };
    let entry = Entry {
        url,
        title: p.display_title().into_owned(),
        kind: Kind::ALL
            .iter()
            .position(|k| *k == p.kind)
            .expect("every kind is in Kind::ALL"),
        summary: p.meta.summary.clone().unwrap_or_default(),
        headings: headings.join("\n"),
        extra,
        text: {
            let mut t = squash_prefix(text, MAX_SNIPPET);
            t.shrink_to_fit();
            t
        },
    };
    let joined = entry.extra.join(" ");
    // Kept for the whole build: made at its size.
    let ids = distinct_words(
        &[&entry.title, &entry.summary, &joined, text],
        &mut vocab.lock(shard),
    );
    Extract {
        entry,
        words: Words {
            vocab: Some(Arc::clone(vocab)),
            shard,
            ids,
        },
    }
}

/// The numbers in `shard` of the distinct search words of `fields` (the
/// rule of [`words`]).
fn distinct_words(fields: &[&str], shard: &mut Shard) -> Vec<u32> {
    // ASCII text (the common case) is lowercased once and split in place;
    // other text word by word, since lowercasing can change its length.
    let lowered: Vec<(std::borrow::Cow<str>, bool)> = fields
        .iter()
        .map(|f| {
            if !f.is_ascii() {
                let mut joined = String::new();
                for_each_word(f, |w| {
                    joined.push_str(w);
                    joined.push(' ');
                });
                (joined.into(), false)
            } else if f.bytes().any(|b| b.is_ascii_uppercase()) {
                (f.to_ascii_lowercase().into(), true)
            } else {
                ((*f).into(), true)
            }
        })
        .collect();
    // A word has at least one byte and a separator after it (ASCII words
    // two bytes): room for every word a page could count.
    let room: usize = lowered.iter().map(|(t, _)| t.len() / 2 + 1).sum();
    if shard.scratch.len() < room {
        shard.scratch.resize(room, 0);
    }
    let mut n = 0;
    shard.next_page();
    for (text, ascii) in &lowered {
        if *ascii {
            each_ascii_word(text, |w, key| shard.page_word(w, key, &mut n));
        } else {
            for w in text.split(' ').filter(|w| !w.is_empty()) {
                shard.page_word(w, ShortWords::key(w), &mut n);
            }
        }
    }
    shard.scratch[..n].to_vec()
}

/// Calls `f` with each word of at least two letters or digits in ASCII
/// `text` (already lowercased: capitals are not letters here) and its
/// [`ShortWords::key`]. Every byte of every page passes through here, so
/// the text is read as masks of 64 bytes, one bit per byte that belongs to
/// a word, and words are found from bit to bit without a branch per byte.
fn each_ascii_word<'t>(text: &'t str, mut f: impl FnMut(&'t str, Option<u64>)) {
    debug_assert!(text.is_ascii() && !text.bytes().any(|b| b.is_ascii_uppercase()));
    let bytes = text.as_bytes();
    let chunk = |at: usize| swar::mask64(bytes, at, word_bytes, is_word_byte);
    // The chunk at `base`, and its word bytes not yet read.
    let mut base = 0;
    let mut full = chunk(0);
    let mut left = full;
    loop {
        if left == 0 {
            base += 64;
            if base >= bytes.len() {
                return;
            }
            full = chunk(base);
            left = full;
            continue;
        }
        let from = left.trailing_zeros();
        let start = base + from as usize;
        // The word ends at the next byte that is not a word byte; past the
        // end of the text no byte is.
        let mut rest = !full & (u64::MAX << from);
        while rest == 0 {
            base += 64;
            full = chunk(base);
            rest = !full;
        }
        let to = rest.trailing_zeros();
        left = full & (u64::MAX << to);
        let end = base + to as usize;
        let len = end - start;
        if len >= 2 {
            // The short-word key by one load from the text, where eight
            // bytes are left, rather than a copy of the word.
            let key = match swar::load8(bytes, start) {
                Some(x) if len <= 8 => Some(x & (u64::MAX >> (64 - 8 * len))),
                _ => ShortWords::key(&text[start..end]),
            };
            f(&text[start..end], key);
        }
    }
}

/// Whether a byte of lowercased ASCII text belongs to a word.
fn is_word_byte(b: u8) -> bool {
    b.is_ascii_digit() || b.is_ascii_lowercase()
}

/// The high bit of each byte of `x` (all ASCII) that [`is_word_byte`].
fn word_bytes(x: u64) -> u64 {
    swar::between(x, b'0' - 1, b'9' + 1) | swar::between(x, b'a' - 1, b'z' + 1)
}

/// Builds `search-index.js` for `pages` (with their rendered bodies, same
/// order). Output depends only on the input: pages in path order, words sorted.
///
/// Snippet text is what gives way when the index is too big: the word list
/// (which makes every word findable) is kept whole, and every page's snippet
/// is shortened by the same amount until the file fits [`TARGET_BYTES`].
pub fn index_js(pages: &[Page], rendered: &[Arc<Rendered>]) -> String {
    index_parts(pages, rendered).concat()
}

/// [`index_js`] in the pieces it is made of, to be written one after the
/// other (the index of a large site is megabytes: no need for another copy).
pub fn index_parts(pages: &[Page], rendered: &[Arc<Rendered>]) -> Vec<String> {
    let chosen: Vec<&Extract> = pages
        .iter()
        .zip(rendered)
        .filter(|(p, _)| indexed(p))
        .map(|(_, r)| &r.search)
        .collect();
    let words = word_list(&chosen);
    let entries: Vec<&Entry> = chosen.iter().map(|x| &x.entry).collect();
    assemble(&entries, words, &mut |per_page| {
        // Rows stay apart, not joined: a large site's are megabytes.
        let last = chosen.len().saturating_sub(1);
        chosen
            .par_iter()
            .enumerate()
            .map(|(n, x)| {
                let mut row = entry_json(&x.entry, per_page);
                if n < last {
                    row.push_str(",\n");
                }
                row
            })
            .collect()
    })
}

/// What a build session keeps of the index, so that after an edit only the
/// edited pages' words are looked up and their rows written again: every
/// word seen so far, numbered, and per page its word numbers and its row.
#[derive(Debug, Default)]
pub struct Memo {
    vocab: FxHashMap<Box<str>, u32>,
    names: Vec<Box<str>>,
    /// Word numbers ordered by word.
    order: Vec<u32>,
    /// Per page URL: its key, its word numbers.
    words: FxHashMap<String, (u64, Vec<u32>)>,
    /// The indexed pages' URLs, in index order, at the last build.
    urls: Vec<String>,
    /// Per word number, the index numbers of the pages that have it, for
    /// `urls`: while the pages stay the same, only edited pages' words move.
    postings: Vec<Vec<u32>>,
    /// Per word number, its `word:postings` entry of the word list as last
    /// written (`None` when its postings changed since).
    entries: Vec<Option<Box<str>>>,
    /// How many base-36 digits the page numbers in `entries` were written with.
    width: usize,
    /// Per page URL and snippet length: its key and its row (a build may
    /// make rows of two lengths, see [`assemble`]).
    rows: FxHashMap<(String, usize), (u64, String)>,
}

/// [`index_parts`] reusing `memo`: `keys[i]` must change whenever page
/// `i`'s front matter or text changes. Same bytes as [`index_parts`].
pub fn index_parts_memo(
    memo: &mut Memo,
    pages: &[Page],
    rendered: &[Arc<Rendered>],
    keys: &[u64],
) -> Vec<String> {
    let chosen: Vec<(&str, u64, &Extract)> = (0..pages.len())
        .filter(|&i| indexed(&pages[i]))
        .map(|i| (pages[i].url.as_str(), keys[i], &rendered[i].search))
        .collect();
    let same_pages = memo.urls.len() == chosen.len()
        && memo
            .urls
            .iter()
            .zip(&chosen)
            .all(|(u, (url, _, _))| u == url);
    if !same_pages {
        memo.postings.clear();
        memo.urls = chosen.iter().map(|(url, _, _)| url.to_string()).collect();
    }
    let mut words = std::mem::take(&mut memo.words);
    // Word numbers whose postings an edited page changed.
    let mut touched: Vec<u32> = Vec::new();
    for (n, &(url, key, x)) in chosen.iter().enumerate() {
        let n = n as u32;
        let old = words.remove(url);
        let ids = match old {
            Some((k, ids)) if k == key => {
                if !same_pages {
                    memo.postings.resize_with(memo.names.len(), Vec::new);
                    for &id in &ids {
                        memo.postings[id as usize].push(n);
                    }
                }
                ids
            }
            old => {
                let mut ids: Vec<u32> = Vec::with_capacity(x.words.ids.len());
                x.words.for_each(|w| ids.push(memo.intern(w)));
                memo.postings.resize_with(memo.names.len(), Vec::new);
                // Only words the page gained or lost change their postings.
                let old_ids: FxHashSet<u32> = match (same_pages, old) {
                    (true, Some((_, old_ids))) => old_ids.into_iter().collect(),
                    _ => FxHashSet::default(),
                };
                let new_ids: FxHashSet<u32> = ids.iter().copied().collect();
                for &id in old_ids.difference(&new_ids) {
                    touched.push(id);
                    let list = &mut memo.postings[id as usize];
                    if let Ok(at) = list.binary_search(&n) {
                        list.remove(at);
                    }
                }
                for &id in &ids {
                    if old_ids.contains(&id) {
                        continue;
                    }
                    touched.push(id);
                    let list = &mut memo.postings[id as usize];
                    // Pages come in index order unless only some are redone.
                    match list.last() {
                        Some(&last) if last > n => {
                            let at = list.binary_search(&n).unwrap_or_else(|at| at);
                            list.insert(at, n);
                        }
                        _ => list.push(n),
                    }
                }
                ids
            }
        };
        memo.words.insert(url.to_string(), (key, ids));
    }
    memo.postings.resize_with(memo.names.len(), Vec::new);
    // A few new words (an edit) go in at their place; many (the first build)
    // are sorted in with the rest.
    let names = &memo.names;
    let added = names.len() - memo.order.len();
    if added > 64 {
        memo.order = (0..names.len() as u32).collect();
        memo.order
            .sort_unstable_by(|&a, &b| names[a as usize].cmp(&names[b as usize]));
    } else {
        for id in memo.order.len() as u32..names.len() as u32 {
            let at = memo
                .order
                .partition_point(|&o| names[o as usize] < names[id as usize]);
            memo.order.insert(at, id);
        }
    }
    // Entries of words whose postings did not change are written as before.
    let width = width(chosen.len());
    if !same_pages || memo.width != width {
        memo.entries.clear();
        memo.width = width;
    }
    memo.entries.resize(memo.names.len(), None);
    for id in touched {
        memo.entries[id as usize] = None;
    }
    let mut words = String::with_capacity(
        2 + memo
            .entries
            .iter()
            .flatten()
            .map(|e| e.len() + 1)
            .sum::<usize>(),
    );
    words.push('"');
    let mut first = true;
    for &id in &memo.order {
        let list = &memo.postings[id as usize];
        if list.is_empty() {
            continue;
        }
        if !first {
            words.push(' ');
        }
        first = false;
        let entry = memo.entries[id as usize].get_or_insert_with(|| {
            let mut e = String::new();
            push_word_entry(&mut e, &memo.names[id as usize], list, width);
            e.into()
        });
        words.push_str(entry);
    }
    words.push('"');
    let mut old_rows = std::mem::take(&mut memo.rows);
    let rows = &mut memo.rows;
    let entries: Vec<&Entry> = chosen.iter().map(|(_, _, x)| &x.entry).collect();
    assemble(&entries, vec![words], &mut |per_page| {
        let mut out = String::new();
        for (n, &(url, key, x)) in chosen.iter().enumerate() {
            if n > 0 {
                out.push_str(",\n");
            }
            let at = (url.to_string(), per_page);
            let row = match old_rows.remove(&at) {
                Some((k, row)) if k == key => row,
                _ => entry_json(&x.entry, per_page),
            };
            out.push_str(&row);
            rows.insert(at, (key, row));
        }
        vec![out]
    })
}

impl Memo {
    /// The number of `word`, numbering it if it is new.
    fn intern(&mut self, word: &str) -> u32 {
        if let Some(&id) = self.vocab.get(word) {
            return id;
        }
        let id = self.names.len() as u32;
        self.names.push(word.into());
        self.vocab.insert(word.into(), id);
        id
    }
}

/// The whole index from its word list and `rows(per_page)`, the pages' rows
/// with at most `per_page` characters of snippet text each.
/// Both come in pieces, to be written one after the other.
/// `entries` are the pages' entries, to size the rows without making them.
fn assemble(
    entries: &[&Entry],
    words: Vec<String>,
    rows: &mut dyn FnMut(usize) -> Vec<String>,
) -> Vec<String> {
    let pages = entries.len();
    let mut head = String::from(HEAD);
    for (k, kind) in Kind::ALL.iter().enumerate() {
        if k > 0 {
            head.push(',');
        }
        push_json_str(&mut head, kind.as_str());
    }
    head.push_str("],\"pages\":[\n");
    let middle = format!("\n],\"w\":{},\"words\":", width(pages));
    const TAIL: &str = "};\n";
    let size = |parts: &[String]| parts.iter().map(String::len).sum::<usize>();
    let fixed = head.len() + middle.len() + size(&words) + TAIL.len();
    // The rows' size at full snippet length, measured rather than made
    // (a large site's rows are megabytes, made again shorter when too big).
    let full: usize = entries
        .par_iter()
        .map(|e| entry_json_len(e, MAX_SNIPPET))
        .sum::<usize>()
        + 2 * pages.saturating_sub(1);
    let per_page = if fixed + full > TARGET_BYTES {
        let n = pages.max(1);
        MAX_SNIPPET
            .saturating_sub((fixed + full - TARGET_BYTES) / n + 1)
            .max(MIN_SNIPPET)
    } else {
        MAX_SNIPPET
    };
    let list = rows(per_page);
    let mut parts = Vec::with_capacity(list.len() + words.len() + 3);
    parts.push(head);
    parts.extend(list);
    parts.push(middle);
    parts.extend(words);
    parts.push(TAIL.to_string());
    parts
}

/// The start of the index script, up to the kind names.
const HEAD: &str = "window.DOSSIER_SEARCH={\"v\":1,\"kinds\":[";

/// What the index holds of one page.
#[derive(Debug, Clone, Default)]
struct Entry {
    url: String,
    title: String,
    kind: usize,
    summary: String,
    headings: String,
    extra: Vec<String>,
    /// The start of the text, for snippets (see [`squash_prefix`]).
    text: String,
}

/// One page's row of the index, with at most `per_page` characters of text.
fn entry_json(e: &Entry, per_page: usize) -> String {
    let mut out = String::with_capacity(e.text.len().min(per_page) + 256);
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
    out
}

/// The length of [`entry_json`]'s row, found without making it.
fn entry_json_len(e: &Entry, per_page: usize) -> usize {
    let kind_digits = e.kind.checked_ilog10().unwrap_or(0) as usize + 1;
    let extra = e.extra.iter().map(|x| json_inner_len(x)).sum::<usize>()
        + " · ".len() * e.extra.len().saturating_sub(1);
    // `[`, six commas, `]`, and two quotes around each of six strings.
    1 + 6
        + 1
        + 12
        + kind_digits
        + json_inner_len(&e.url)
        + json_inner_len(&e.title)
        + json_inner_len(&e.summary)
        + json_inner_len(&e.headings)
        + extra
        + json_inner_len(truncate_words(&e.text, per_page))
}

/// The length of what [`push_json_inner`] writes for `s`.
fn json_inner_len(s: &str) -> usize {
    let bytes = s.as_bytes();
    let mut len = bytes.len();
    let mut i = 0;
    while let Some(at) = next_escape_candidate(bytes, i) {
        let escape = json_escape(bytes, at);
        len += escape.grows_by();
        i = at + escape.replaces();
    }
    len
}

/// Width in base-36 digits of a page number.
fn width(pages: usize) -> usize {
    let mut w = 1;
    while 36usize.pow(w as u32) < pages.max(1) {
        w += 1;
    }
    w
}

/// Every word with the pages it is on, as a JSON string:
/// `"word:pages word:pages …"`, words sorted, in pieces to be written one
/// after the other. Pages are visited in order per numbering (a build has
/// one per thread), so every list is ascending; the numberings are then
/// joined by word, once per distinct word. Each word's pages are written
/// straight into its piece of the list, at its final size: no list of
/// numbers beside the text (at 10,000 pages, 3.6 million page numbers).
fn word_list(pages: &[&Extract]) -> Vec<String> {
    // Which numbering each page's words are in (few: one per thread, and
    // older builds' for pages a session reused).
    let mut numberings: Vec<&Words> = Vec::new();
    let of_page: Vec<usize> = pages
        .iter()
        .map(
            |x| match numberings.iter().position(|w| w.same_numbering(&x.words)) {
                Some(k) => k,
                None => {
                    numberings.push(&x.words);
                    numberings.len() - 1
                }
            },
        )
        .collect();
    let shards: Vec<Option<std::sync::MutexGuard<Shard>>> = numberings
        .iter()
        .map(|w| w.vocab.as_ref().map(|v| v.lock(w.shard)))
        .collect();
    let width = width(pages.len());
    let postings: Vec<Vec<String>> = shards
        .par_iter()
        .enumerate()
        .map(|(k, shard)| {
            let of_page = &of_page;
            let mine = || {
                pages
                    .iter()
                    .enumerate()
                    .filter(move |(n, _)| of_page[*n] == k)
            };
            let mut counts = vec![0usize; shard.as_ref().map_or(0, |s| s.names.len())];
            for (_, x) in mine() {
                for &id in &x.words.ids {
                    counts[id as usize] += 1;
                }
            }
            let mut lists: Vec<String> = counts
                .into_iter()
                .map(|c| String::with_capacity(c * width))
                .collect();
            let mut digits = String::with_capacity(width);
            for (n, x) in mine() {
                // Written once per page, copied into each of its words' lists.
                digits.clear();
                push_base36(&mut digits, n, width);
                for &id in &x.words.ids {
                    lists[id as usize].push_str(&digits);
                }
            }
            lists
        })
        .collect();
    let mut by_word: FxHashMap<&str, String> = FxHashMap::default();
    for (shard, lists) in shards.iter().zip(postings) {
        let Some(shard) = shard else { continue };
        for (id, list) in lists.into_iter().enumerate() {
            if list.is_empty() {
                continue;
            }
            match by_word.entry(&shard.names[id]) {
                std::collections::hash_map::Entry::Vacant(e) => {
                    e.insert(list);
                }
                std::collections::hash_map::Entry::Occupied(mut e) => {
                    let merged = merge_ascending(e.get(), &list, width);
                    e.insert(merged);
                }
            }
        }
    }
    let mut sorted: Vec<(&str, String)> = by_word.into_iter().collect();
    sorted.par_sort_unstable_by(|a, b| a.0.cmp(b.0));
    let mut parts = Vec::with_capacity(2 * sorted.len() + 2);
    for (k, (word, list)) in sorted.into_iter().enumerate() {
        // Entries are separated by a space; the first follows the quote.
        let mut head = String::with_capacity(word.len() + 2);
        head.push(if k == 0 { '"' } else { ' ' });
        push_json_inner(&mut head, word);
        head.push(':');
        parts.push(head);
        parts.push(list);
    }
    if parts.is_empty() {
        parts.push("\"".into());
    }
    parts.push("\"".into());
    parts
}

/// The union of two lists of page numbers written in base 36, `width`
/// digits each, ascending, with no number in both. Fixed-width digits
/// compare as text the way their numbers do.
fn merge_ascending(a: &str, b: &str, width: usize) -> String {
    let mut out = String::with_capacity(a.len() + b.len());
    let (mut a, mut b) = (a, b);
    while !a.is_empty() && !b.is_empty() {
        let (x, y) = (&a[..width], &b[..width]);
        if x < y {
            out.push_str(x);
            a = &a[width..];
        } else {
            out.push_str(y);
            b = &b[width..];
        }
    }
    out.push_str(a);
    out.push_str(b);
    out
}

/// One entry of the word list: the word, `:`, its pages in base 36.
fn push_word_entry(out: &mut String, word: &str, pages: &[u32], width: usize) {
    push_json_inner(out, word);
    out.push(':');
    for &n in pages {
        push_base36(out, n as usize, width);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::page_from_text;
    use crate::links::Index;
    use std::path::Path;

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

    #[test]
    fn squashing_by_bytes_matches_split_whitespace() {
        fn plain(text: &str, max: usize) -> String {
            let mut out = String::new();
            let mut chars = 0;
            for w in text.split_whitespace() {
                if chars > max {
                    break;
                }
                if !out.is_empty() {
                    out.push(' ');
                    chars += 1;
                }
                out.push_str(w);
                chars += w.chars().count();
            }
            out
        }
        let alphabet = [
            "a",
            "bc",
            " ",
            "  ",
            "\n",
            "\t",
            "\u{b}",
            "\u{c}",
            "\r",
            "\u{a0}",
            "\u{2003}",
            "é",
            "\u{1F600}",
            "\u{85}",
            "word",
            "\u{3000}",
        ];
        let mut rng = crate::testing::Rng::new(0x9E37_79B9_7F4A_7C15u64);
        for _ in 0..20_000 {
            let text = rng.text(&alphabet, 30);
            let max = rng.next() % 20;
            assert_eq!(
                squash_prefix(&text, max),
                plain(&text, max),
                "{text:?} {max}"
            );
        }
    }

    #[test]
    fn words_are_lowercase_without_stopwords_or_single_letters() {
        let w: Vec<String> = words("The Trafficking of persons, a UN-led review (2022)");
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

    /// Every word's pages, however the pages were spread over threads
    /// (numberings) and however often each has the word, in its fields.
    #[test]
    fn every_word_lists_each_page_with_it_once() {
        let specs: Vec<(String, String)> = (0..60)
            .map(|i| {
                (
                    format!("p{i:02}.md"),
                    format!(
                        "---\ntitle: Alpha{} Common\nsummary: common beta{}\n---\nCommon alpha{} gamma{} COMMON \
                         gamma{} delta{}.\n",
                        i % 3,
                        i % 5,
                        i % 3,
                        i % 7,
                        i % 7,
                        i % 11
                    ),
                )
            })
            .collect();
        let pages: Vec<Page> = specs
            .iter()
            .map(|(rel, text)| page_from_text(Path::new(rel), rel, text.clone()).unwrap())
            .collect();
        // Pages' words numbered in three numberings, taken in turn (as pages
        // rendered on several threads are), so every list is made of three.
        let vocab = Arc::new(Vocab::new());
        assert!(vocab.shards.len() >= 2);
        let rendered: Vec<Arc<Rendered>> = (0..60)
            .map(|i| {
                let body = specs[i].1.rsplit("---\n").next().unwrap();
                let shard = i % vocab.shards.len().min(3);
                let mut r = Rendered::default();
                r.search = extract_in(&pages[i], &[], body, &vocab, shard);
                Arc::new(r)
            })
            .collect();
        let js = index_js(&pages, &rendered);
        let list = js
            .split("\"words\":\"")
            .nth(1)
            .unwrap()
            .trim_end_matches("\"};\n");
        let mut got: Vec<(String, Vec<usize>)> = list
            .split(' ')
            .map(|e| {
                let (w, postings) = e.split_once(':').unwrap();
                let pages = (0..postings.len() / 2)
                    .map(|k| usize::from_str_radix(&postings[2 * k..2 * k + 2], 36).unwrap())
                    .collect();
                (w.to_string(), pages)
            })
            .collect();
        got.sort();
        let mut want: std::collections::BTreeMap<String, Vec<usize>> = Default::default();
        for (n, (_, text)) in specs.iter().enumerate() {
            let mut seen: Vec<String> = words(text.trim_start_matches("---\n"))
                .into_iter()
                .filter(|w| !["title", "summary"].contains(&w.as_str()))
                .collect();
            seen.sort();
            seen.dedup();
            for w in seen {
                want.entry(w).or_default().push(n);
            }
        }
        let want: Vec<(String, Vec<usize>)> = want.into_iter().collect();
        assert_eq!(got, want);
    }

    #[test]
    fn a_pages_distinct_words_are_its_words_once_each_in_order() {
        // The page's words by the plain rule, each once, in first order.
        let reference = |fields: &[&str]| -> Vec<String> {
            let mut seen = std::collections::HashSet::new();
            fields
                .iter()
                .flat_map(|f| words(f))
                .filter(|w| seen.insert(w.clone()))
                .collect()
        };
        let pages: [&[&str]; 4] = [
            &[
                "The Alpha",
                "alpha beta the of",
                "Alpha beta gamma ALPHA 42 42",
            ],
            &[
                "Longerthaneight longerthaneight LongerThanEight beta",
                "of the morethansixteenbytes MoreThanSixteenBytes",
            ],
            &["Ünïcode wörds Wörds und Alpha", "beta"],
            &["alpha", "alpha alpha"],
        ];
        let mut shard = Shard::default();
        let run = |shard: &mut Shard| {
            for fields in pages {
                let ids = distinct_words(fields, shard);
                let got: Vec<&str> = ids.iter().map(|&i| &*shard.names[i as usize]).collect();
                assert_eq!(got, reference(fields), "{fields:?}");
            }
        };
        run(&mut shard);
        // The same pages again, numbered by the words already known.
        run(&mut shard);
        // Across the page counter's wrap, a page of long ago does not hide
        // a word: "alpha" was last seen at page 1, which comes round again.
        let mut shard = Shard::default();
        let count = |shard: &mut Shard, text: &str| distinct_words(&[text], shard).len();
        assert_eq!(count(&mut shard, "alpha"), 1);
        shard.pages = u32::MAX - 1;
        assert_eq!(count(&mut shard, "beta"), 1);
        assert_eq!(shard.pages, u32::MAX);
        assert_eq!(count(&mut shard, "alpha"), 1);
        assert_eq!(shard.pages, 1, "the count started again");
    }

    #[test]
    fn short_words_are_found_by_their_bytes_after_any_growth() {
        let mut t = ShortWords::default();
        // Distinct words of two to eight bytes.
        let word = |n: usize| format!("{}{n}w", "x".repeat(n % 4));
        assert_eq!(ShortWords::key("abcdefghi"), None, "nine bytes");
        assert_ne!(ShortWords::key("ab"), ShortWords::key("ab0"));
        for n in 0..5000 {
            let key = ShortWords::key(&word(n)).unwrap();
            assert!(t.get_mut(key).is_none(), "{}", word(n));
            t.insert(
                key,
                Seen {
                    id: n as u32,
                    page: 0,
                },
            );
            // Everything added so far is still there, growth or not.
            if n % 997 == 0 {
                for m in 0..=n {
                    let key = ShortWords::key(&word(m)).unwrap();
                    assert_eq!(t.get_mut(key).map(|s| s.id), Some(m as u32));
                }
            }
        }
        assert!(t.get_mut(ShortWords::key("zz").unwrap()).is_none());
    }

    #[test]
    fn words_are_split_from_bit_masks_as_byte_by_byte() {
        fn plain(text: &str) -> Vec<&str> {
            text.split(|c: char| !(c.is_ascii_digit() || c.is_ascii_lowercase()))
                .filter(|w| w.len() >= 2)
                .collect()
        }
        let alphabet = [
            "a",
            "z",
            "0",
            "9",
            " ",
            "/",
            ":",
            "@",
            "[",
            "`",
            "{",
            "\u{7f}",
            "\n",
            "\0",
            "ab",
            "word ",
            "longerword",
            "x1",
        ];
        let mut rng = crate::testing::Rng::new(0x9E37_79B9_7F4A_7C15u64);
        for _ in 0..20_000 {
            let text = rng.text(&alphabet, 40);
            let words = ascii_words(&text);
            let got: Vec<&str> = words.iter().map(|(w, _)| *w).collect();
            assert_eq!(got, plain(&text), "{text:?}");
            for (w, key) in words {
                assert_eq!(key, ShortWords::key(w), "{w}");
            }
        }
        for b in 0..128u8 {
            let x = u64::from_le_bytes([b, b'a', b, b'0', b, b' ', b, b'z']);
            let want = [b, b'a', b, b'0', b, b' ', b, b'z']
                .iter()
                .enumerate()
                .map(|(k, &c)| u64::from(is_word_byte(c)) << (8 * k + 7))
                .sum::<u64>();
            assert_eq!(word_bytes(x), want, "{b}");
        }
    }

    fn ascii_words(text: &str) -> Vec<(&str, Option<u64>)> {
        let mut words = Vec::new();
        each_ascii_word(text, |w, key| words.push((w, key)));
        words
    }

    #[test]
    fn words_across_and_to_the_ends_of_64_byte_chunks() {
        for len in [1, 2, 62, 63, 64, 65, 127, 128, 129, 200] {
            for lead in [0, 1, 63, 64] {
                for tail in ["", " ", " ab"] {
                    let text = format!("{}{}{tail}", " ".repeat(lead), "w".repeat(len));
                    let got: Vec<&str> = ascii_words(&text).into_iter().map(|(w, _)| w).collect();
                    let want: Vec<&str> = text.split(' ').filter(|w| w.len() >= 2).collect();
                    assert_eq!(got, want, "lead {lead} len {len} tail {tail:?}");
                }
            }
        }
    }

    #[test]
    fn words_read_from_the_text_carry_the_key_of_their_bytes() {
        let text = "ab, abcdefgh abcdefghi x 12345678. zz q9 ends8";
        let words = ascii_words(text);
        assert_eq!(words.len(), 7, "{words:?}");
        for (w, key) in words {
            assert_eq!(key, ShortWords::key(w), "{w}");
        }
    }

    #[test]
    fn json_strings_escape_as_character_by_character() {
        fn plain(s: &str) -> String {
            let mut out = String::new();
            for c in s.chars() {
                match c {
                    '"' => out.push_str("\\\""),
                    '\\' => out.push_str("\\\\"),
                    '\n' => out.push_str("\\n"),
                    '\r' => out.push_str("\\r"),
                    '\t' => out.push_str("\\t"),
                    '<' => out.push_str("\\u003c"),
                    '\u{2028}' => out.push_str("\\u2028"),
                    '\u{2029}' => out.push_str("\\u2029"),
                    c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
                    c => out.push(c),
                }
            }
            out
        }
        let alphabet = [
            "a",
            "word ",
            "é",
            "\"",
            "\\",
            "\n",
            "\r",
            "\t",
            "<",
            ">",
            "\u{0}",
            "\u{1}",
            "\u{1f}",
            "\u{7f}",
            "\u{2028}",
            "\u{2029}",
            "\u{2027}",
            "\u{20ac}",
            "\u{1F600}",
        ];
        let mut rng = crate::testing::Rng::new(0x9E37_79B9_7F4A_7C15);
        for _ in 0..20_000 {
            let text = rng.text(&alphabet, 40);
            let mut out = String::new();
            push_json_inner(&mut out, &text);
            assert_eq!(out, plain(&text), "{text:?}");
            assert_eq!(json_inner_len(&text), out.len(), "{text:?}");
        }
    }

    #[test]
    fn words_are_truncated_like_the_character_by_character_rule() {
        fn plain(text: &str, max: usize) -> &str {
            match text.char_indices().nth(max) {
                None => text,
                Some((cut, _)) => {
                    let head = &text[..cut];
                    head.rfind(' ').map_or(head, |sp| &head[..sp])
                }
            }
        }
        let alphabet = ["a", "bc", " ", "é", "\u{20ac}", "\u{1F600}", "  x"];
        let mut rng = crate::testing::Rng::new(0x2545_F491_4F6C_DD1D);
        for _ in 0..20_000 {
            let text = rng.text(&alphabet, 30);
            let max = rng.next() % 40;
            assert_eq!(
                truncate_words(&text, max),
                plain(&text, max),
                "{text:?} {max}"
            );
        }
    }

    #[test]
    fn rows_are_measured_exactly_without_being_made() {
        let alphabet = [
            "a",
            "é",
            "\"",
            "\\",
            "\n",
            "\r",
            "\t",
            "<",
            ">",
            "\u{1}",
            "\u{1f}",
            "\u{2028}",
            "\u{2029}",
            "\u{2027}",
            "\u{e2}",
            " ",
            "word ",
            "\u{1F600}",
            "&",
        ];
        let mut rng = crate::testing::Rng::new(0x2545_F491_4F6C_DD1Du64);
        let mut text = |n: usize| rng.text(&alphabet, n);
        for k in 0..3000 {
            let e = Entry {
                url: text(5),
                title: text(8),
                kind: k % 12,
                summary: text(8),
                headings: text(8),
                extra: (0..k % 3).map(|_| text(4)).collect(),
                text: text(40),
            };
            for per_page in [0, 3, 10, 1200] {
                assert_eq!(
                    entry_json_len(&e, per_page),
                    entry_json(&e, per_page).len(),
                    "{e:?}"
                );
            }
        }
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

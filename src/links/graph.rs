//! The link graph, made once every page's markdown is rendered: the links
//! each page records (with the sentence around them), and for each page who
//! links to it (its backlinks).
//!
//! Backlinks are filled in one pass over the list of links, so the cost
//! grows with the number of links, never with pages × pages.

use std::sync::Arc;

use rayon::prelude::*;

use serde::Serialize;

use crate::content::Page;

/// A text made into a template value once, when it is found, and shared
/// from then on: a link's quote is shown in its target's backlinks, and a
/// template value made at render time would copy it once more (176,000
/// quotes at 10,000 pages). Cloning it, and handing it to a template, only
/// counts a reference.
#[derive(Clone)]
pub struct SharedText(tera::Value);

impl SharedText {
    /// The text.
    pub fn as_str(&self) -> &str {
        self.0.as_str().expect("a SharedText holds a string")
    }
}

impl From<&str> for SharedText {
    fn from(s: &str) -> Self {
        SharedText(tera::Value::from(s))
    }
}

impl std::ops::Deref for SharedText {
    type Target = str;
    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl std::fmt::Debug for SharedText {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Debug::fmt(self.as_str(), f)
    }
}

impl std::fmt::Display for SharedText {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl PartialEq for SharedText {
    fn eq(&self, other: &Self) -> bool {
        self.as_str() == other.as_str()
    }
}

impl Eq for SharedText {}

impl std::hash::Hash for SharedText {
    fn hash<H: std::hash::Hasher>(&self, h: &mut H) {
        self.as_str().hash(h);
    }
}

/// Serialised into a template's values as the value it already is (Tera
/// clones a `Value` it meets instead of reading it again); anywhere else
/// as a plain string.
impl Serialize for SharedText {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.0.serialize(serializer)
    }
}

/// A link from one page to another, as found in the source page's content.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Link {
    /// The linking page.
    pub source: usize,
    /// The linked page.
    pub target: usize,
    /// The `#fragment` it points at, if any.
    pub anchor: Option<String>,
    /// Id of the paragraph, list item or heading the link stands in.
    pub block: Option<Arc<str>>,
    /// The sentence around the link (≤ ~200 characters); shared with the
    /// backlinks that quote it.
    pub context: SharedText,
    /// Line of the link in the source file.
    pub line: usize,
    /// Column of the link in the source file.
    pub col: usize,
    /// The destination as written when it has an `#anchor` (the anchor
    /// check quotes it); empty otherwise.
    pub raw: String,
    /// True when the link was made by acronym wrapping, not by the author.
    pub via_acronym: bool,
}

/// One place in one page that links to a page.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Mention {
    /// The sentence around the link.
    pub context: SharedText,
    /// Id of the block in the source page (for `source.html#block`).
    pub block: Option<Arc<str>>,
}

/// All mentions of a page by one other page.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Backlink {
    /// The linking page.
    pub source: usize,
    /// Where, in reading order of the source page, with repeats of the same
    /// block dropped.
    pub mentions: Vec<Mention>,
}

/// For each page, who links to it, grouped by linking page and sorted by the
/// linking page's kind, order and title. Self-links do not count.
pub fn backlinks<'a, I>(pages: &[Page], links: I) -> Vec<Vec<Backlink>>
where
    I: IntoIterator<Item = &'a Link> + Clone,
{
    // Each page's place in that order, found once: sorting 176,000
    // backlinks (at 10,000 pages) by comparing titles took most of the time.
    let mut order: Vec<usize> = (0..pages.len()).collect();
    order.par_sort_unstable_by(|&a, &b| {
        let (pa, pb) = (&pages[a], &pages[b]);
        (pa.kind, pa.order(), &pa.title, a).cmp(&(pb.kind, pb.order(), &pb.title, b))
    });
    let mut rank = vec![0; pages.len()];
    for (r, &i) in order.iter().enumerate() {
        rank[i] = r;
    }
    // The links are read twice, in order, to bucket them by target (a
    // stable counting sort: each target's links stay in page order, which
    // `add_mention` relies on); the backlinks, a few allocations each, are
    // then built target by target in parallel, each task reading only its
    // own targets' links rather than all of them.
    let mut start = vec![0usize; pages.len() + 1];
    for l in links.clone() {
        if l.source != l.target {
            start[l.target + 1] += 1;
        }
    }
    for t in 0..pages.len() {
        start[t + 1] += start[t];
    }
    let mut next = start.clone();
    let mut slots: Vec<Option<&Link>> = vec![None; start[pages.len()]];
    for l in links {
        if l.source != l.target {
            slots[next[l.target]] = Some(l);
            next[l.target] += 1;
        }
    }
    (0..pages.len())
        .into_par_iter()
        .map(|t| {
            let links = &slots[start[t]..start[t + 1]];
            let mut from: Vec<Backlink> = Vec::new();
            for l in links.iter().flatten() {
                add_mention(&mut from, l);
            }
            from.sort_unstable_by_key(|b| rank[b.source]);
            from
        })
        .collect()
}

/// Adds link `l` to the backlinks of its target, `from`.
fn add_mention(from: &mut Vec<Backlink>, l: &Link) {
    // Links come page by page: a source is the last one or a new one
    // (searched for only if links come out of page order).
    let found = match from.last() {
        Some(b) if b.source == l.source => Some(from.len() - 1),
        Some(b) if b.source > l.source => from.iter().position(|b| b.source == l.source),
        _ => None,
    };
    let at = match found {
        Some(at) => at,
        None => {
            from.push(Backlink {
                source: l.source,
                // Most pages mention a page once: a first push would
                // reserve room for four, which a large site pays for in
                // every backlink.
                mentions: Vec::with_capacity(1),
            });
            from.len() - 1
        }
    };
    let mentions = &mut from[at].mentions;
    if mentions
        .iter()
        .any(|m| m.block.is_some() && m.block == l.block)
    {
        return;
    }
    mentions.push(Mention {
        context: l.context.clone(),
        block: l.block.clone(),
    });
}

/// Whether a sentence ends just before byte `i` of `text` (a char
/// boundary): at . ! ? (maybe followed by a quote or bracket) followed by
/// whitespace. Quotes and brackets are skipped back to `from` at most (a
/// char boundary before `i`), so that a long run of them is not read again
/// for every link near it.
fn sentence_ends_at(text: &str, from: usize, i: usize) -> bool {
    i > from
        && text[i..].starts_with(char::is_whitespace)
        && text[from..i]
            .trim_end_matches(CLOSERS)
            .ends_with(['.', '!', '?'])
}

/// What may stand between the end of a sentence and the space after it.
const CLOSERS: [char; 5] = ['"', '\'', '’', '”', ')'];

/// Where the run of [`CLOSERS`] at byte `i` of `text` ends.
fn after_closers(text: &str, i: usize) -> usize {
    let rest = &text[i..];
    i + rest.len() - rest.trim_start_matches(CLOSERS).len()
}

/// The most characters a link's quote has.
const QUOTE_MAX: usize = 200;

/// How far from a link sentence ends are looked for: the quote is cut to
/// `QUOTE_MAX` characters anyway, and a huge paragraph without full stops (one
/// with 100,000 links) must not be rescanned for each of its links.
const REACH: usize = 4 * QUOTE_MAX;

/// Where the sentence around `start..end` (char boundaries of `text`,
/// in order) begins and ends: the nearest sentence ends within reach.
fn sentence_bounds(text: &str, start: usize, end: usize) -> (usize, usize) {
    let floor = start.saturating_sub(REACH);
    let mut from = floor;
    while !text.is_char_boundary(from) {
        from -= 1;
    }
    // A sentence ends only after a full stop, exclamation or question mark
    // and the closers after it (see `sentence_ends_at`): the search goes
    // from one such mark to the next, not through every space.
    let bytes = text.as_bytes();
    // The last sentence end in floor+1..=start, else the floor.
    let mut s = floor;
    let mut hi = start;
    while let Some(p) = memchr::memrchr3(b'.', b'!', b'?', &bytes[from..hi]) {
        let p = from + p;
        let c = after_closers(text, p + 1);
        if c <= floor {
            break;
        }
        if c <= start && sentence_ends_at(text, from, c) {
            s = c;
            break;
        }
        hi = p;
    }
    while !text.is_char_boundary(s) {
        s += 1;
    }
    // The first sentence end in end..ceiling, else the ceiling; the mark
    // of one at `end` itself stands before the closers that end there.
    let ceiling = (end + REACH).min(text.len());
    let mut e = ceiling;
    let closers_at = from + text[from..end].trim_end_matches(CLOSERS).len();
    let mut lo = closers_at.saturating_sub(1).max(from);
    while let Some(p) = bytes
        .get(lo..ceiling)
        .and_then(|b| memchr::memchr3(b'.', b'!', b'?', b))
    {
        let p = lo + p;
        let c = after_closers(text, p + 1);
        if c >= ceiling {
            break;
        }
        if sentence_ends_at(text, from, c) {
            e = c;
            break;
        }
        lo = p + 1;
    }
    while !text.is_char_boundary(e) {
        e += 1;
    }
    (s, e)
}

/// The sentence of `text` that contains the byte range `start..end`, cut to
/// about 200 characters around the range when the sentence is longer.
pub fn sentence_around(text: &str, start: usize, end: usize) -> SharedText {
    let start = start.min(text.len());
    let end = end.clamp(start, text.len());
    let (s, e) = sentence_bounds(text, start, end);
    let sentence = text[s..e].trim();
    // Bytes are at least as many as characters.
    if sentence.len() <= QUOTE_MAX || sentence.chars().count() <= QUOTE_MAX {
        return sentence.into();
    }
    // Too long: a window around the link, cut at word boundaries.
    let s_off = text[s..].len() - text[s..].trim_start().len() + s;
    let before_budget = 80usize;
    let mut ws = start;
    let mut count = 0;
    while ws > s_off && count < before_budget {
        ws -= 1;
        while !text.is_char_boundary(ws) {
            ws -= 1;
        }
        count += 1;
    }
    if ws > s_off {
        ws = text[ws..start].find(' ').map_or(ws, |i| ws + i + 1);
    }
    let mut we = ws;
    let mut count = 0;
    while we < e && count < QUOTE_MAX {
        we += text[we..].chars().next().map_or(1, char::len_utf8);
        count += 1;
    }
    we = we.max(end.min(e));
    if we < e {
        we = text[..we].rfind(' ').filter(|&i| i > end).unwrap_or(we);
    }
    let mut out = String::new();
    if ws > s_off {
        out.push('…');
    }
    out.push_str(text[ws..we].trim());
    if we < e {
        out.push('…');
    }
    out.as_str().into()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::pages;

    #[test]
    fn backlinks_are_ordered_by_kind_order_and_title_of_the_linking_page() {
        let ps = pages(&[
            ("t.md", "---\ntitle: Target\n---\nx\n"),
            ("b.md", "---\ntitle: Beta\nkind: topic\n---\nx\n"),
            ("a.md", "---\ntitle: Alpha\nkind: topic\n---\nx\n"),
            (
                "c2.md",
                "---\ntitle: Zed\nkind: chapter\norder: 2\n---\nx\n",
            ),
            (
                "c1.md",
                "---\ntitle: Yak\nkind: chapter\norder: 1\n---\nx\n",
            ),
            ("a2.md", "---\ntitle: Alpha\nkind: topic\n---\nx\n"),
            ("u.md", "---\ntitle: Unordered\nkind: chapter\n---\nx\n"),
        ]);
        let link = |source: usize| Link {
            source,
            target: 0,
            anchor: None,
            block: None,
            context: "".into(),
            line: 1,
            col: 1,
            raw: "t.md".into(),
            via_acronym: false,
        };
        // Links come in any order of source pages.
        let links: Vec<Link> = [5, 1, 6, 2, 3, 4, 0].into_iter().map(link).collect();
        let sources: Vec<&str> = backlinks(&ps, &links)[0]
            .iter()
            .map(|b| ps[b.source].rel.as_str())
            .collect();
        // Chapters by order (none last), then topics by title, equal titles
        // by path order; the page itself is not listed.
        assert_eq!(sources, ["c1.md", "c2.md", "u.md", "a.md", "a2.md", "b.md"]);
    }

    #[test]
    fn sentence_around_finds_the_sentence() {
        let text = "First one. The link is here in this one. Last.";
        let at = text.find("link").unwrap();
        assert_eq!(
            &*sentence_around(text, at, at + 4),
            "The link is here in this one."
        );
        let long = format!("{} target {}", "word ".repeat(100), "tail ".repeat(100));
        let at = long.find("target").unwrap();
        let c = sentence_around(&long, at, at + 6);
        assert!(
            c.contains("target") && c.starts_with('…') && c.ends_with('…'),
            "{c}"
        );
        assert!(c.chars().count() <= 205, "{}", c.chars().count());
    }

    /// `sentence_bounds` as first written, byte by byte.
    fn sentence_bounds_plain(text: &str, start: usize, end: usize) -> (usize, usize) {
        let mut s = start;
        let floor = start.saturating_sub(REACH);
        while s > floor {
            if text.is_char_boundary(s) && sentence_ends_at(text, 0, s) {
                break;
            }
            s -= 1;
        }
        while !text.is_char_boundary(s) {
            s += 1;
        }
        let mut e = end;
        let ceiling = (end + REACH).min(text.len());
        while e < ceiling {
            if text.is_char_boundary(e) && sentence_ends_at(text, 0, e) {
                break;
            }
            e += 1;
        }
        while !text.is_char_boundary(e) {
            e += 1;
        }
        (s, e)
    }

    #[test]
    fn sentences_are_found_as_by_testing_every_byte() {
        let alphabet = [
            "a",
            "Word",
            " ",
            "  ",
            ". ",
            "! ",
            "? ",
            ".",
            "\n",
            "\t",
            "\u{b}",
            "\r",
            "\u{a0}",
            "\u{2003}",
            "é",
            "’",
            "”",
            "\"",
            ")",
            ".) ",
            ".’ ",
            "\u{1F600}",
            "x.y",
            "end. Next",
        ];
        let mut rng = crate::testing::Rng::new(0x2545_F491_4F6C_DD1Du64);
        for round in 0..20_000 {
            let mut text = String::new();
            // Mostly short texts, some longer than the reach of the search.
            let parts = if round % 50 == 0 {
                600
            } else {
                rng.next() % 60
            };
            for _ in 0..parts {
                text.push_str(alphabet[rng.next() % alphabet.len()]);
            }
            let bounds: Vec<usize> = (0..=text.len())
                .filter(|&i| text.is_char_boundary(i))
                .collect();
            let a = bounds[rng.next() % bounds.len()];
            let b = bounds[rng.next() % bounds.len()];
            let (start, end) = (a.min(b), a.max(b));
            assert_eq!(
                sentence_bounds(&text, start, end),
                sentence_bounds_plain(&text, start, end),
                "{text:?} {start}..{end}"
            );
        }
    }

    #[test]
    fn sentence_ends_are_found_as_by_the_plain_rule() {
        let plain = |text: &str, i: usize| {
            let trimmed = text[..i].trim_end_matches(['"', '\'', '’', '”', ')']);
            trimmed.ends_with(['.', '!', '?']) && text[i..].starts_with(char::is_whitespace)
        };
        let pieces = [
            "a", "Word", ".", "!", "?", " ", "\t", "\n", "\u{b}", "\u{c}", "\r", "\u{a0}",
            "\u{2003}", "\"", "'", "’", "”", ")", "é", "x.y", "…",
        ];
        let mut rng = crate::testing::Rng::new(7);
        for _ in 0..20_000 {
            let text = rng.text(&pieces, 12);
            for i in (0..=text.len()).filter(|&i| text.is_char_boundary(i)) {
                assert_eq!(
                    sentence_ends_at(&text, 0, i),
                    plain(&text, i),
                    "{text:?} at {i}"
                );
            }
        }
    }
}

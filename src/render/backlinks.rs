//! The "Referenced by" section at the end of a page: who links here, made
//! to be scanned rather than read.
//!
//! Each linking page is one entry (its title), grouped under its kind; the
//! sentences that link here are the entry's passages, folded in a
//! `<details>` that works without script. They are shown open only where
//! they are the evidence: on a source or interview page, for the pages
//! citing it, while they stay short. A chapter does not list again the
//! pages its own text links to (the reader met them in the text); they are
//! folded under one line instead, so nothing is lost. A page linked from
//! many pages (an acronym used everywhere) says on how many, the whole
//! list folded.
//!
//! Everything here is linear in the page's backlinks: the acronym pages of
//! a large site are linked from thousands of pages.

use std::borrow::Cow;

use serde::ser::{SerializeSeq, SerializeStruct};
use serde::Serialize;

use crate::content::frontmatter::Kind;
use crate::content::Page;
use crate::diag::count;
use crate::links::{self, relative_href, Backlink, Mention};
use crate::markdown::escape_into;

/// Above this many linking pages the list is folded under a count: a
/// compact entry is a line or two, and the section stays within one screen.
pub const FOLD_AT: usize = 12;

/// At most this many passages are shown open on a page whose backlinks
/// are its evidence (each is a sentence, up to three lines).
pub const OPEN_PASSAGES: usize = 6;

/// One passage of a linking page: the sentence that links here, tidied,
/// and the block it stands in.
#[derive(Debug, Clone)]
pub struct Place<'a> {
    pub context: Cow<'a, str>,
    pub block: Option<&'a str>,
}

/// One linking page in a page's backlinks.
#[derive(Debug)]
pub struct Entry<'a> {
    pub title: &'a str,
    /// The linking page, relative to the page rendered.
    pub href: String,
    pub kind: Kind,
    /// Its passages that link here, in its reading order, each sentence once.
    pub places: Vec<Place<'a>>,
    /// The page rendered links to this page in its own text (and on a
    /// chapter it is folded, not listed).
    pub mutual: bool,
    /// Its passages are shown open.
    pub open: bool,
}

/// The linking pages of one kind.
#[derive(Debug, Serialize)]
pub struct Group<'a> {
    pub kind: Kind,
    pub label: &'static str,
    pub entries: Vec<Entry<'a>>,
}

/// `{title, href, kind, mutual, open, mentions: [{context, href}]}`;
/// serialised by hand, straight from the entry: a large site has hundreds
/// of thousands of passages, and a copy of each with its own href string,
/// made only to be copied again into the template's values, cost more
/// than the copy.
impl Serialize for Entry<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        struct Places<'m>(&'m str, &'m [Place<'m>]);
        struct One<'m>(&'m str, &'m Place<'m>);
        impl Serialize for Places<'_> {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                let mut seq = serializer.serialize_seq(Some(self.1.len()))?;
                for m in self.1 {
                    seq.serialize_element(&One(self.0, m))?;
                }
                seq.end()
            }
        }
        impl Serialize for One<'_> {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                let One(href, m) = self;
                let mut map = serializer.serialize_struct("Mention", 2)?;
                map.serialize_field("context", &m.context)?;
                map.serialize_field("href", &place_href(href, m.block))?;
                map.end()
            }
        }
        let mut map = serializer.serialize_struct("BacklinkEntry", 6)?;
        map.serialize_field("title", self.title)?;
        map.serialize_field("href", &self.href)?;
        map.serialize_field("kind", &self.kind)?;
        map.serialize_field("mutual", &self.mutual)?;
        map.serialize_field("open", &self.open)?;
        map.serialize_field("mentions", &Places(&self.href, &self.places))?;
        map.end()
    }
}

/// A passage's href: the linking page's `href`, at the block the link
/// stands in.
fn place_href(href: &str, block: Option<&str>) -> String {
    let mut at = String::with_capacity(href.len() + 1 + block.map_or(0, str::len));
    at.push_str(href);
    if let Some(block) = block {
        at.push('#');
        at.push_str(block);
    }
    at
}

/// The pages that page `i`'s own text links to (acronym links included:
/// they are in the text too), sorted; empty for pages whose backlinks list
/// them all the same (see [`folds_mutual`]).
pub fn linked_from_text<'l>(
    pages: &[Page],
    i: usize,
    links: impl IntoIterator<Item = &'l links::Link>,
) -> Vec<usize> {
    if !folds_mutual(pages[i].kind) {
        return Vec::new();
    }
    let mut to: Vec<usize> = links.into_iter().map(|l| l.target).collect();
    to.sort_unstable();
    to.dedup();
    to
}

/// Whether pages of `kind` fold the pages they link to themselves: a
/// chapter is read for its text, where those links are; on a reference
/// page (a topic, a source, an acronym) the pages linking to it are its
/// evidence, listed whether or not it links back.
pub fn folds_mutual(kind: Kind) -> bool {
    kind == Kind::Chapter
}

/// Whether the passages citing a page of `kind` are its evidence, shown
/// open.
fn opens_passages(kind: Kind) -> bool {
    matches!(kind, Kind::Source | Kind::Interview)
}

/// Page `i`'s backlinks as groups by kind of linking page, in the order of
/// `backlinks` (which [`links::backlinks`] sorts by kind). `linked` is what
/// [`linked_from_text`] gave for the page.
pub fn groups<'a>(
    pages: &'a [Page],
    i: usize,
    backlinks: &'a [Backlink],
    linked: &[usize],
) -> Vec<Group<'a>> {
    let page = &pages[i];
    let from = page.url.as_str();
    let mut budget = if opens_passages(page.kind) {
        OPEN_PASSAGES
    } else {
        0
    };
    let mut groups: Vec<Group> = Vec::new();
    for b in backlinks {
        let src = &pages[b.source];
        let places = distinct_places(&b.mentions);
        let mutual = linked.binary_search(&b.source).is_ok();
        let open = !mutual && places.len() <= budget;
        if open {
            budget -= places.len();
        }
        let entry = Entry {
            title: &src.title,
            href: relative_href(from, &src.url),
            kind: src.kind,
            places,
            mutual,
            open,
        };
        match groups.last_mut() {
            Some(g) if g.kind == src.kind => g.entries.push(entry),
            _ => groups.push(Group {
                kind: src.kind,
                label: src.kind.index_title(),
                entries: vec![entry],
            }),
        }
    }
    groups
}

/// A page's mentions, each tidied sentence once (a page that links here
/// from a list of places repeats the same words; the first place stands
/// for them), in reading order.
fn distinct_places(mentions: &[Mention]) -> Vec<Place<'_>> {
    let mut out: Vec<Place> = Vec::with_capacity(mentions.len().min(4));
    // A set only for the pages that link here many times: most link once.
    let many = mentions.len() > 8;
    let mut seen: rustc_hash::FxHashSet<Cow<str>> = Default::default();
    for m in mentions {
        let context = tidy(&m.context);
        let fresh = context.is_empty()
            || if many {
                seen.insert(context.clone())
            } else {
                !out.iter().any(|p| p.context == context)
            };
        if fresh {
            out.push(Place {
                context,
                block: m.block.as_deref(),
            });
        }
    }
    out
}

/// A sentence quoted as a passage, read without its typographic seams: no
/// leading dash or bullet (an attribution line, "— Chapter 3"), and no
/// colon, semicolon or comma straight after a question or exclamation
/// mark, or a colon after a full stop — what joining a title that ends in
/// punctuation to what follows it ("…invest in it now?: “…”") leaves.
pub fn tidy(text: &str) -> Cow<'_, str> {
    let start = text.trim_start_matches(|c: char| {
        c.is_whitespace() || matches!(c, '—' | '–' | '-' | '•' | '·' | '*')
    });
    // Every passage of every page comes through here: found by a search
    // for the three marks rather than by looking at each pair of bytes.
    let doubled = |s: &str| {
        let b = s.as_bytes();
        memchr::memchr3_iter(b'?', b'!', b'.', b).any(|i| {
            matches!(
                (b[i], b.get(i + 1)),
                (b'?' | b'!', Some(b':' | b';' | b',')) | (b'.', Some(b':'))
            )
        })
    };
    if !doubled(start) {
        return Cow::Borrowed(start.trim_end());
    }
    let mut out = String::with_capacity(start.len());
    let mut prev = '\0';
    for c in start.chars() {
        let skip = matches!((prev, c), ('?' | '!', ':' | ';' | ',') | ('.', ':'));
        if !skip {
            out.push(c);
        }
        prev = c;
    }
    Cow::Owned(out.trim_end().to_string())
}

/// The section's body as the built-in `page.html` prints it (inside
/// `<section class="backlinks">`, after its heading), every text escaped
/// as Tera escapes it; empty when no other page links here. `kind` is the
/// kind of the page rendered.
pub fn html(groups: &[Group], kind: Kind) -> String {
    let listed = |g: &Group| g.entries.iter().filter(|e| !e.mutual).count();
    let shown: usize = groups.iter().map(listed).sum();
    let mutual: Vec<&Entry> = groups
        .iter()
        .flat_map(|g| &g.entries)
        .filter(|e| e.mutual)
        .collect();
    let size: usize = groups
        .iter()
        .flat_map(|g| &g.entries)
        .map(|e| 160 + 240 * e.places.len())
        .sum();
    let mut out = String::with_capacity(size + 512);
    let mut href = String::new();
    let folded = shown > FOLD_AT;
    if folded {
        let by_kind: Vec<String> = groups
            .iter()
            .filter(|g| listed(g) > 0)
            .map(|g| count(listed(g), &g.kind.label().to_lowercase()))
            .collect();
        out.push_str("<p class=\"backlinks-count\">Used on ");
        out.push_str(&count(shown, "page"));
        out.push_str(": ");
        out.push_str(&by_kind.join(", "));
        out.push_str(".</p>\n<details class=\"backlinks-all\"><summary>Show all ");
        out.push_str(&count(shown, "page"));
        out.push_str("</summary>\n");
    }
    for g in groups.iter().filter(|g| listed(g) > 0) {
        out.push_str("<h3 id=\"backlinks-");
        out.push_str(g.kind.as_str());
        out.push_str("\">");
        out.push_str(g.label);
        out.push_str("</h3>\n<ul class=\"backlink-list\">\n");
        for e in g.entries.iter().filter(|e| !e.mutual) {
            entry_html(&mut out, e, &mut href);
        }
        out.push_str("</ul>\n");
    }
    if folded {
        out.push_str("</details>\n");
    }
    if !mutual.is_empty() {
        out.push_str("<details class=\"backlinks-mutual\"><summary>");
        if shown > 0 {
            out.push_str("Also ");
        }
        out.push_str(&count(mutual.len(), "page"));
        out.push_str(" this ");
        out.push_str(&kind.label().to_lowercase());
        out.push_str(if mutual.len() == 1 {
            " links to, which links back"
        } else {
            " links to, which link back"
        });
        out.push_str("</summary>\n<ul class=\"backlink-list\">\n");
        for e in mutual {
            entry_html(&mut out, e, &mut href);
        }
        out.push_str("</ul>\n</details>\n");
    }
    out
}

/// One linking page: its title, and its passages behind a disclosure.
/// `href` is room for the entry's href, escaped once for the entry and
/// each of its passages (one buffer for all the entries of a page).
fn entry_html(out: &mut String, e: &Entry, href: &mut String) {
    href.clear();
    escape_into(href, &e.href);
    // A kind's name is a plain word: nothing in it to escape.
    out.push_str("<li class=\"backlink kind-");
    out.push_str(e.kind.as_str());
    out.push_str("\"><a class=\"backlink-source\" href=\"");
    out.push_str(href);
    out.push_str("\">");
    escape_into(out, e.title);
    out.push_str("</a>\n<details class=\"backlink-places\"");
    if e.open {
        out.push_str(" open");
    }
    out.push_str("><summary>");
    // Right after the page's title, in the same list item, it needs no
    // title of its own (which would add a copy of every title to the
    // acronym pages of a large site).
    // Most linking pages link once: that count is written without
    // formatting a number.
    match e.places.len() {
        1 => out.push_str("1 passage"),
        n => out.push_str(&count(n, "passage")),
    }
    out.push_str("</summary>\n<ul>\n");
    for m in &e.places {
        out.push_str("<li><a href=\"");
        out.push_str(href);
        if let Some(block) = m.block {
            out.push('#');
            escape_into(out, block);
        }
        out.push_str("\">");
        if m.context.is_empty() {
            out.push_str("(link)");
        } else {
            escape_into(out, &m.context);
        }
        out.push_str("</a></li>\n");
    }
    out.push_str("</ul>\n</details></li>\n");
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::page_from_text;
    use crate::links::Index;
    use std::path::Path;

    /// Pages from `(path, text)`, with every page's backlinks and what it
    /// links to in its text, as the build makes them.
    fn site(specs: &[(&str, &str)]) -> (Vec<Page>, Vec<Vec<Backlink>>, Vec<Vec<usize>>) {
        let pages: Vec<Page> = specs
            .iter()
            .map(|(rel, t)| page_from_text(Path::new(rel), rel, t.to_string()).unwrap())
            .collect();
        let index = Index::new(&pages, &[], []);
        let rendered: Vec<_> = (0..pages.len())
            .map(|i| crate::markdown::render(&index, i))
            .collect();
        let backlinks = links::backlinks(&pages, rendered.iter().flat_map(|r| &r.links));
        let linked = (0..pages.len())
            .map(|i| linked_from_text(&pages, i, &rendered[i].links))
            .collect();
        (pages, backlinks, linked)
    }

    fn small() -> (Vec<Page>, Vec<Vec<Backlink>>, Vec<Vec<usize>>) {
        site(&[
            (
                "chapters/one.md",
                "---\ntitle: Why now?\nkind: chapter\norder: 1\n---\nThis chapter is about [[Safety]].\n",
            ),
            (
                "topics/safety.md",
                "---\ntitle: Safety\nkind: topic\n---\n- [[Why now?]] (3 paragraphs)\n",
            ),
            (
                "recommendations/act.md",
                "---\ntitle: Act\nkind: recommendation\n---\n> Act now.\n\n— [[Why now?]]\n\n- [[Why now?]]: “Act now, or never.”\n",
            ),
            (
                "sources/paper.md",
                "---\ntitle: Paper\nkind: source\n---\nCited in [[Why now?]].\n\nAgain: cited in [[Why now?]].\n\nCited in [[Why now?]].\n",
            ),
        ])
    }

    #[test]
    fn one_entry_per_linking_page_grouped_by_kind_each_sentence_once() {
        let (pages, backlinks, linked) = small();
        let groups = groups(&pages, 0, &backlinks[0], &linked[0]);
        let shape: Vec<(Kind, Vec<(&str, usize)>)> = groups
            .iter()
            .map(|g| {
                let entries = g
                    .entries
                    .iter()
                    .map(|e| (e.title, e.places.len()))
                    .collect();
                (g.kind, entries)
            })
            .collect();
        assert_eq!(
            shape,
            [
                (Kind::Topic, vec![("Safety", 1)]),
                (Kind::Recommendation, vec![("Act", 2)]),
                (Kind::Source, vec![("Paper", 2)]),
            ],
            "the paper's repeated sentence is one passage"
        );
    }

    #[test]
    fn a_chapter_folds_the_pages_its_text_links_to_and_keeps_them() {
        let (pages, backlinks, linked) = small();
        let out = html(&groups(&pages, 0, &backlinks[0], &linked[0]), Kind::Chapter);
        let (listed, folded) = out
            .split_once("<details class=\"backlinks-mutual\">")
            .unwrap();
        assert!(!listed.contains("Safety"), "{out}");
        assert!(
            listed.contains(">Act</a>") && listed.contains(">Paper</a>"),
            "{out}"
        );
        assert!(
            folded.starts_with(
                "<summary>Also 1 page this chapter links to, which links back</summary>"
            ),
            "{folded}"
        );
        assert!(
            folded.contains("href=\"../topics/safety.html\">Safety</a>"),
            "{folded}"
        );
        // A topic lists the chapter that its own text links to: there the
        // chapter's sentences are the evidence.
        assert!(linked[1].is_empty());
        let topic = html_of(&pages, &backlinks, &linked, 1);
        assert!(
            topic.contains(">Why now?</a>") && !topic.contains("backlinks-mutual"),
            "{topic}"
        );
    }

    fn html_of(pages: &[Page], b: &[Vec<Backlink>], l: &[Vec<usize>], i: usize) -> String {
        html(&groups(pages, i, &b[i], &l[i]), pages[i].kind)
    }

    #[test]
    fn passages_lose_leading_dashes_and_doubled_punctuation() {
        let (pages, backlinks, linked) = small();
        let html = html_of(&pages, &backlinks, &linked, 0);
        assert!(
            html.contains(">Why now? “Act now, or never.”</a>"),
            "{html}"
        );
        assert!(html.contains(">Why now?</a>"), "{html}");
        assert!(!html.contains("?:") && !html.contains(">—"), "{html}");
        assert_eq!(tidy("— Chapter 3, “A”"), "Chapter 3, “A”");
        assert_eq!(
            tidy(" - – Title?: more, and! then"),
            "Title? more, and! then"
        );
        assert_eq!(tidy("Ends.: here"), "Ends. here");
        assert_eq!(tidy("Ends?: here. Why?"), "Ends? here. Why?");
        assert!(matches!(tidy("Why? Because. Really!"), Cow::Borrowed(_)));
        assert!(matches!(tidy("Plain, as written."), Cow::Borrowed(_)));
    }

    #[test]
    fn passages_are_open_where_they_are_the_evidence_within_a_budget() {
        let mut specs = vec![(
            "sources/s.md".to_string(),
            "---\ntitle: S\nkind: source\n---\nx\n".to_string(),
        )];
        for n in 0..5 {
            specs.push((
                format!("chapters/c{n}.md"),
                format!(
                    "---\ntitle: C{n}\nkind: chapter\norder: {n}\n---\nOne [[S]].\n\nTwo [[S]].\n"
                ),
            ));
        }
        let specs: Vec<(&str, &str)> = specs
            .iter()
            .map(|(a, b)| (a.as_str(), b.as_str()))
            .collect();
        let (pages, backlinks, linked) = site(&specs);
        let open: Vec<bool> = groups(&pages, 0, &backlinks[0], &linked[0])
            .iter()
            .flat_map(|g| g.entries.iter().map(|e| e.open))
            .collect();
        assert_eq!(
            open,
            [true, true, true, false, false],
            "two passages each, six open"
        );
        let chapter = html_of(&pages, &backlinks, &linked, 1);
        assert!(!chapter.contains(" open>"), "closed elsewhere: {chapter}");
    }

    #[test]
    fn a_page_linked_from_many_says_how_many_and_folds_the_list() {
        let mut specs = vec![(
            "acronyms/un.md".to_string(),
            "---\ntitle: UN\nkind: acronym\nexpansion: United Nations\n---\nx\n".to_string(),
        )];
        for n in 0..=FOLD_AT {
            let kind = if n < 3 { "chapter" } else { "topic" };
            specs.push((
                format!("p{n}.md"),
                format!("---\ntitle: P{n}\nkind: {kind}\n---\nSee [[UN]].\n"),
            ));
        }
        let specs: Vec<(&str, &str)> = specs
            .iter()
            .map(|(a, b)| (a.as_str(), b.as_str()))
            .collect();
        let (pages, backlinks, linked) = site(&specs);
        let out = html_of(&pages, &backlinks, &linked, 0);
        let n = FOLD_AT + 1;
        let (head, list) = out.split_once("<details class=\"backlinks-all\">").unwrap();
        assert_eq!(
            head,
            format!(
                "<p class=\"backlinks-count\">Used on {n} pages: 3 chapters, {} topics.</p>\n",
                n - 3
            )
        );
        assert!(list.starts_with(&format!("<summary>Show all {n} pages</summary>")));
        assert_eq!(list.matches("class=\"backlink-source\"").count(), n);
        // One page fewer: listed as it is.
        let few = html(
            &groups(&pages, 0, &backlinks[0][..FOLD_AT], &[]),
            Kind::Acronym,
        );
        assert!(
            few.starts_with("<h3 id=\"backlinks-chapter\">Chapters</h3>"),
            "{few}"
        );
    }

    /// A page linking here from many places (past the small-list path)
    /// lists each sentence once, in its reading order, at its first place.
    #[test]
    fn a_page_linking_here_many_times_lists_each_sentence_once() {
        let sentences = ["A", "B", "A", "C", "B", "A", "D", "A", "B", "E"];
        let source = |n: usize| {
            let paras: Vec<String> = sentences[..n]
                .iter()
                .enumerate()
                .map(|(k, s)| format!("Point {s} is on [[Target]].{}", " x".repeat(k)))
                .collect();
            format!(
                "---\ntitle: Many\nkind: chapter\n---\n{}\n",
                paras.join("\n\n")
            )
        };
        let target = "---\ntitle: Target\nkind: topic\n---\nx\n";
        for (n, want) in [(8, "ABCD"), (10, "ABCDE")] {
            let text = source(n);
            let (pages, backlinks, linked) = site(&[("t.md", target), ("many.md", &text)]);
            let out = html_of(&pages, &backlinks, &linked, 0);
            let passages: Vec<&str> = out.split("\">Point ").skip(1).map(|p| &p[..1]).collect();
            assert_eq!(passages.concat(), want, "{out}");
            let first_b = out.find("\">Point B").unwrap();
            let href = &out[out[..first_b].rfind("href=\"").unwrap() + 6..first_b];
            assert!(href.starts_with("many.html#"), "{href}");
        }
    }
}

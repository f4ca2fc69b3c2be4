//! Builds every page in memory: chapters (with links to topics,
//! recommendations, sources and interviews), acronym, topic, recommendation,
//! source and interview pages, the home page and the about page.
//!
//! Links are relative `.md` links; links into a chapter carry the paragraph's
//! id, computed as the build computes it (`block_id` of the plain text, made
//! unique per page in document order), so that a link to a missing anchor
//! cannot be written by accident.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use super::acronyms;
use super::blocks::{Front, RawChapter};
use super::citations::{self, Citation};
use super::decompose::{self, Decomposition};
use super::quote;
use super::repair::{Body, Item, Note};
use super::text::{self, normalise, plain};
use super::topiclinks;
use crate::content::frontmatter::{FrontMatter, Kind, NoteNumbers};
use crate::diag::{Diagnostic, Diagnostics};
use crate::slug::{block_id, slugify, IdSet};

/// What a chapter block is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BlockKind {
    /// A paragraph.
    Para,
    /// A `##` heading.
    Heading,
    /// An item of the list with this index.
    ListItem(usize),
    /// A block quote paragraph.
    Quote,
    /// A photo's credit (its caption, without the photo).
    Credit,
}

/// One block of a chapter, as markdown, with its id.
#[derive(Debug, Clone)]
pub struct MdBlock {
    /// What it is.
    pub kind: BlockKind,
    /// Inline markdown.
    pub md: String,
    /// Paragraph id (heading slug for headings).
    pub id: String,
    /// The sub-heading it stands under ("" before the first one), or the
    /// box it is part of; the text after a box is back under the
    /// sub-heading the box interrupted.
    pub section: String,
    /// The box (index into the decomposition's `boxes`) the block belongs
    /// to, its heading included.
    pub aside: Option<usize>,
    /// Markdown heading level, for a heading (2 for `##`).
    pub level: usize,
    /// Seed line.
    pub line: usize,
}

/// A chapter ready to render.
#[derive(Debug, Clone)]
pub struct Chapter {
    /// Number as printed.
    pub number: u32,
    /// Title without the number.
    pub title: String,
    /// File stem (`01-introduction`).
    pub stem: String,
    /// One sentence.
    pub summary: String,
    /// Body blocks.
    pub blocks: Vec<MdBlock>,
    /// Notes defined on this page, by number (markdown, linked).
    pub notes: BTreeMap<u32, String>,
}

/// A place in a chapter: which chapter, which block.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
struct Place {
    chapter: usize,
    block: usize,
}

/// Everything the pages are made from.
pub struct Input<'a> {
    /// The seed's path, for diagnostics.
    pub seed_path: &'a Path,
    /// The decomposition file's path and text, for diagnostics.
    pub decomposition_path: &'a Path,
    /// Its text.
    pub decomposition_text: &'a str,
    /// The parsed decomposition.
    pub decomposition: &'a Decomposition,
    /// The front matter.
    pub front: &'a Front,
    /// Back-matter lines (address, contact).
    pub back: Vec<Vec<String>>,
    /// The chapters with their repaired bodies.
    pub chapters: Vec<(RawChapter, Body)>,
}

/// Byte ranges of `[…]` spans (with a following `(…)` URL) that links must
/// not be put inside: existing links, footnote references, editorial brackets.
fn protected(md: &str) -> Vec<(usize, usize)> {
    let b = md.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'[' {
            let mut depth = 0;
            let mut j = i;
            while j < b.len() {
                match b[j] {
                    b'[' => depth += 1,
                    b']' => {
                        depth -= 1;
                        if depth == 0 {
                            break;
                        }
                    }
                    _ => {}
                }
                j += 1;
            }
            let mut end = (j + 1).min(b.len());
            if b.get(end) == Some(&b'(') {
                end = md[end..].find(')').map_or(b.len(), |k| end + k + 1);
            }
            out.push((i, end));
            i = end;
            continue;
        }
        i += 1;
    }
    out
}

fn is_free(ranges: &[(usize, usize)], s: usize, e: usize) -> bool {
    ranges.iter().all(|&(a, b)| e <= a || s >= b)
}

fn word_boundary(md: &str, s: usize, e: usize) -> bool {
    let before = md[..s].chars().last();
    let after = md[e..].chars().next();
    !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric)
}

/// Occurrences of `phrase` in `md` (ASCII case-insensitive, whole words,
/// outside protected spans).
pub(super) fn find_phrase(md: &str, phrase: &str, case_sensitive: bool) -> Vec<(usize, usize)> {
    if phrase.is_empty() {
        return Vec::new();
    }
    let hay = if case_sensitive {
        md.to_string()
    } else {
        md.to_ascii_lowercase()
    };
    let needle = if case_sensitive {
        phrase.to_string()
    } else {
        phrase.to_ascii_lowercase()
    };
    let prot = protected(md);
    hay.match_indices(&needle)
        .map(|(s, _)| (s, s + needle.len()))
        .filter(|&(s, e)| word_boundary(md, s, e) && is_free(&prot, s, e))
        .collect()
}

fn insert_link(md: &mut String, (s, e): (usize, usize), target: &str) {
    let text = md[s..e].to_string();
    md.replace_range(s..e, &format!("[{text}]({target})"));
}

/// The sentence of `md`'s plain text that contains `needle` (plain), and the
/// `count - 1` sentences after it.
fn sentence_with(md_plain: &str, needle: &str, count: usize) -> Option<String> {
    let ss = text::sentences(md_plain);
    let n = normalise(needle);
    let i = ss.iter().position(|s| normalise(s).contains(&n))?;
    Some(ss[i..(i + count.max(1)).min(ss.len())].join(" "))
}

/// The sentence of `md_plain` that contains `needle` (plain), with the
/// `before` sentences before it.
fn sentence_after(md_plain: &str, needle: &str, before: usize) -> Option<String> {
    let ss = text::sentences(md_plain);
    let n = normalise(needle);
    let i = ss.iter().position(|s| normalise(s).contains(&n))?;
    Some(ss[i.saturating_sub(before)..=i].join(" "))
}

/// The warning for a quote whose opening word points at a sentence that is
/// not quoted.
fn dangling_warning(path: &Path, line: usize, what: &str, word: &str) -> Diagnostic {
    Diagnostic::warning(
        path,
        line,
        0,
        format!("{what}: the quote opens with \"{word}\", which refers to words it leaves out"),
    )
    .with_hint(
        "quote from an earlier sentence, or give `antecedent:`, the words it stands for, to write in brackets in its place",
    )
}

/// The clause of `sentence` (split at `; ` and `: `) holding `needle`,
/// marked with ellipses where the sentence goes on.
fn clause_with(sentence: &str, needle: &str) -> String {
    let n = normalise(needle);
    let parts: Vec<&str> = sentence.split("; ").flat_map(|p| p.split(": ")).collect();
    match parts.iter().position(|p| normalise(p).contains(&n)) {
        Some(i) => {
            let mut c = parts[i].trim_end_matches(['.', ';']).to_string();
            if i > 0 {
                c = format!("… {c}");
            }
            if i + 1 < parts.len() {
                format!("{c} …")
            } else {
                format!("{c}.")
            }
        }
        None => sentence.to_string(),
    }
}

/// The passage footnote `[^n]` supports: from the previous note marker in
/// the paragraph (or its start) up to the marker, as plain text. A passage
/// that starts or stops inside a sentence is marked with `…` there.
fn passage_before_note(md: &str, n: u32) -> Option<String> {
    let pos = md.find(&format!("[^{n}]"))?;
    let start = md[..pos]
        .match_indices("[^")
        .filter_map(|(i, _)| {
            let digits = md[i + 2..pos]
                .bytes()
                .take_while(u8::is_ascii_digit)
                .count();
            (digits > 0 && md[i + 2 + digits..].starts_with(']')).then_some(i + 3 + digits)
        })
        .last()
        .unwrap_or(0);
    let p = plain(&md[start..pos]);
    let mut p = p.trim().trim_end_matches([',', ';']).trim_end().to_string();
    if p.is_empty() {
        return None;
    }
    if text::starts_lowercase(&p) {
        p = format!("… {p}");
    }
    if !text::ends_complete(&p) {
        p.push_str(" …");
    }
    Some(p)
}

/// The sentence of `md`'s plain text holding the link to `target`.
fn sentence_with_link(md: &str, target: &str) -> Option<String> {
    let pos = md.find(&format!("]({target})"))?;
    let mut marked = md.to_string();
    marked.insert(pos, '\u{E000}');
    text::sentences(&plain(&marked))
        .into_iter()
        .find(|s| s.contains('\u{E000}'))
        .map(|s| s.replace('\u{E000}', "").trim().to_string())
}

/// Whether the text of `item` (its first list item for a list) starts with
/// `words`, compared as plain text with quotes and dashes folded.
fn item_starts_with(item: &Item, words: &str) -> bool {
    let text = match item {
        Item::Para { text, .. }
        | Item::Heading { text, .. }
        | Item::Quote { text, .. }
        | Item::Credit { text, .. } => text.as_str(),
        Item::List { items, .. } => items.first().map_or("", String::as_str),
    };
    let words = normalise(words);
    !words.is_empty() && normalise(&plain(text)).starts_with(&words)
}

/// The names running text may give a document: its title, and the title
/// without a leading publisher acronym or article (`NATO Policy for the
/// Protection of Civilians` → `Policy for the Protection of Civilians`,
/// found in `NATO's 2016 Policy for the Protection of Civilians`), each
/// with the words dropped from it. A name of fewer than two capitalised
/// words would be an ordinary phrase.
fn title_names(title: &str) -> Vec<(String, Vec<String>)> {
    let words: Vec<&str> = title.split_whitespace().collect();
    let capitalised = |ws: &[&str]| {
        ws.iter()
            .filter(|w| w.starts_with(char::is_uppercase))
            .count()
    };
    let mut out = Vec::new();
    if words.len() >= 3 && capitalised(&words) >= 2 {
        out.push((title.to_string(), Vec::new()));
    }
    let lead = words
        .iter()
        .take_while(|w| {
            let letters = w.chars().filter(|c| c.is_alphabetic()).count();
            matches!(**w, "The" | "A" | "An")
                || (letters >= 2 && w.chars().all(|c| !c.is_alphabetic() || c.is_uppercase()))
        })
        .count();
    let rest = &words[lead..];
    if lead > 0 && rest.len() >= 2 && capitalised(rest) >= 2 {
        let dropped = words[..lead].iter().map(|w| w.to_string()).collect();
        out.push((rest.join(" "), dropped));
    }
    out
}

/// Byte offsets in `hay` (normalised text) where `needle` (normalised)
/// stands as whole words.
fn whole_word_matches(hay: &str, needle: &str) -> Vec<usize> {
    hay.match_indices(needle)
        .filter(|&(i, m)| word_boundary(hay, i, i + m.len()))
        .map(|(i, _)| i)
        .collect()
}

/// Whether the words before a name found at `at` in `hay` leave it the
/// document's name: nothing, a year, a lowercase word or the words the name
/// dropped may stand there; another capitalised word makes it part of
/// another name (`Iraq's National Policy for …`).
fn names_the_document(hay: &str, at: usize, dropped: &[String]) -> bool {
    let before = hay[..at].trim_end();
    let Some(word) = before.split_whitespace().last() else {
        return true;
    };
    if word.ends_with(['.', ':', ';', ',', '(']) {
        return true;
    }
    let bare = word.trim_end_matches("'s").trim_end_matches('\'');
    let year = bare.len() == 4 && bare.bytes().all(|b| b.is_ascii_digit());
    year || !bare.starts_with(char::is_uppercase) || dropped.iter().any(|d| normalise(d) == bare)
}

/// The document's acronym form (`the 2016 PoC policy`): an acronym whose
/// expansion is in the title, then a word of the title outside it,
/// lowercase (`PoC` + `policy`). Only taken with the document's year in the
/// same sentence, since the acronym alone names the subject, not the paper.
fn acronym_names(title: &str, acronyms: &[(String, String, usize)]) -> Vec<String> {
    let lower = normalise(title).to_lowercase();
    let mut out = Vec::new();
    for (a, expansion, _) in acronyms {
        let e = normalise(expansion).to_lowercase();
        if e.split_whitespace().count() < 2 || !lower.contains(&e) {
            continue;
        }
        // The document's kind is its first capitalised word outside the
        // expansion that is not itself an acronym (`Policy`, `Handbook`).
        let rest = lower.replacen(&e, " ", 1);
        let head = rest.split_whitespace().find_map(|w| {
            let head = w.trim_matches(|c: char| !c.is_alphabetic());
            let capitalised = title.split_whitespace().any(|t| {
                let t = t.trim_matches(|c: char| !c.is_alphabetic());
                t.starts_with(char::is_uppercase)
                    && t != t.to_uppercase()
                    && t.to_lowercase() == head
            });
            (head.len() > 3 && capitalised).then(|| head.to_string())
        });
        if let Some(head) = head {
            out.push(format!("{a} {head}"));
        }
    }
    out.sort();
    out.dedup();
    out
}

/// Serialises front matter and body into a page.
fn page(fm: &FrontMatter, body: &str) -> Result<String, String> {
    let yaml = crate::content::yaml::to_string(fm)?;
    Ok(format!("---\n{yaml}---\n\n{}\n", body.trim_end()))
}

/// Escapes what would make a line of prose start a markdown block.
fn escape_line_start(line: &str) -> String {
    let t = line.trim_start();
    let digits = t.chars().take_while(char::is_ascii_digit).count();
    let numbered = digits > 0 && (t[digits..].starts_with(". ") || t[digits..].starts_with(") "));
    if numbered {
        // Only punctuation can be escaped: `1\. text`.
        format!("{}\\{}", &t[..digits], &t[digits..])
    } else if t.starts_with(['#', '>', '|'])
        || t.starts_with("- ")
        || t.starts_with("+ ")
        || t.starts_with("* ")
    {
        format!("\\{t}")
    } else {
        t.to_string()
    }
}

fn first_sentence(s: &str) -> String {
    text::sentences(s).into_iter().next().unwrap_or_default()
}

/// The generated pages, by path relative to `content/`.
pub type Pages = BTreeMap<String, String>;

/// Builds every page.
pub fn build(input: Input<'_>) -> Result<(Pages, Diagnostics), Diagnostics> {
    let mut diags = Diagnostics::new();
    let mut errors = Diagnostics::new();
    let d = input.decomposition;
    let dpath = input.decomposition_path;
    let dtext = input.decomposition_text;
    let date = input.front.iso_date.clone();

    // --- Chapters: items → markdown blocks with ids; notes collected. -----
    let mut all_notes: BTreeMap<u32, (usize, Note)> = BTreeMap::new();
    let mut chapters: Vec<Chapter> = Vec::new();
    let mut boxes_opened: BTreeSet<usize> = BTreeSet::new();
    let mut boxes_ended: BTreeSet<usize> = BTreeSet::new();
    for (ci, (raw, body)) in input.chapters.iter().enumerate() {
        let spec = d.chapters.get(ci);
        let slug = spec.map_or_else(
            || {
                let head = raw.title.split(':').next().unwrap_or(&raw.title);
                slugify(head)
                    .split('-')
                    .take(5)
                    .collect::<Vec<_>>()
                    .join("-")
            },
            |s| s.slug.clone(),
        );
        let mut blocks = Vec::new();
        let mut section = String::new();
        let mut list_no = 0;
        // The open box: its index and the section it interrupted.
        let mut aside: Option<(usize, String)> = None;
        for item in &body.items {
            if let Some((bx, outer)) = &aside {
                let ended_by_words = d.boxes[*bx]
                    .ends_before
                    .as_deref()
                    .is_some_and(|words| item_starts_with(item, words));
                if ended_by_words || matches!(item, Item::Heading { .. }) {
                    if ended_by_words {
                        boxes_ended.insert(*bx);
                    }
                    section = outer.clone();
                    aside = None;
                }
            }
            let mut level = 0;
            let (kind, mds): (BlockKind, Vec<String>) = match item {
                Item::Para { text, .. } => (BlockKind::Para, vec![text.clone()]),
                Item::Heading { text, level: l, .. } => {
                    level = *l;
                    let title = normalise(&plain(text));
                    let bx = (0..d.boxes.len()).find(|&i| {
                        !boxes_opened.contains(&i) && normalise(&d.boxes[i].title) == title
                    });
                    if let Some(bx) = bx {
                        boxes_opened.insert(bx);
                        aside = Some((bx, section.clone()));
                    }
                    section = text.clone();
                    (BlockKind::Heading, vec![text.clone()])
                }
                Item::List { items, .. } => {
                    list_no += 1;
                    (BlockKind::ListItem(list_no), items.clone())
                }
                Item::Quote { text, .. } => (BlockKind::Quote, vec![text.clone()]),
                Item::Credit { text, .. } => (BlockKind::Credit, vec![text.clone()]),
            };
            for md in mds {
                blocks.push(MdBlock {
                    kind: kind.clone(),
                    md,
                    id: String::new(),
                    section: section.clone(),
                    aside: aside.as_ref().map(|(bx, _)| *bx),
                    level,
                    line: item.line(),
                });
            }
        }
        let mut ids = IdSet::new();
        for b in &mut blocks {
            b.id = if b.kind == BlockKind::Heading {
                slugify(&b.md)
            } else {
                ids.unique(&block_id(&plain(&b.md)))
            };
        }
        for (n, note) in &body.notes {
            all_notes.insert(*n, (ci, note.clone()));
        }
        let summary = spec.and_then(|s| s.summary.clone()).unwrap_or_else(|| {
            blocks
                .iter()
                .find(|b| b.kind == BlockKind::Para)
                .map(|b| first_sentence(&plain(&b.md)))
                .unwrap_or_default()
        });
        chapters.push(Chapter {
            number: raw.number,
            title: raw.title.clone(),
            stem: format!("{:02}-{slug}", raw.number),
            summary,
            blocks,
            notes: BTreeMap::new(),
        });
    }

    for (i, b) in d.boxes.iter().enumerate() {
        let problem = if !boxes_opened.contains(&i) {
            Some((
                &b.title,
                format!("box \"{}\": no sub-heading of a chapter reads so", b.title),
                "copy the box's heading exactly as the seed has it, on a line of its own",
            ))
        } else {
            b.ends_before
                .as_ref()
                .filter(|_| !boxes_ended.contains(&i))
                .map(|words| {
                    (
                        words,
                        format!(
                            "box \"{}\": no block between its heading and the next one starts with \"{words}\"",
                            b.title
                        ),
                        "copy the first words of the first paragraph after the box",
                    )
                })
        };
        if let Some((value, message, hint)) = problem {
            errors.push(
                Diagnostic::error(dpath, decompose::value_line(dtext, value), 0, message)
                    .with_hint(hint),
            );
        }
    }

    // A note belongs on the page whose text cites it, even when the PDF
    // printed it on the next chapter's first page.
    let mut note_home: BTreeMap<u32, usize> = BTreeMap::new();
    for (ci, ch) in chapters.iter().enumerate() {
        for b in &ch.blocks {
            for n in refs_in(&b.md) {
                note_home.entry(n).or_insert(ci);
            }
        }
    }
    for ch in &chapters {
        for b in &ch.blocks {
            for n in refs_in(&b.md) {
                if !all_notes.contains_key(&n) {
                    errors.push(Diagnostic::error(
                        input.seed_path,
                        b.line,
                        0,
                        format!(
                            "footnote marker {n} in chapter {} has no note text",
                            ch.number
                        ),
                    ));
                }
            }
        }
    }
    for (n, (_, note)) in &all_notes {
        if !note_home.contains_key(n) {
            diags.push(
                Diagnostic::warning(
                    input.seed_path,
                    note.line,
                    0,
                    format!("note {n} is never referenced"),
                )
                .with_hint("its text is kept at the end of the chapter it stood in"),
            );
        }
    }

    // Sources and interviews from the notes.
    let note_texts: BTreeMap<u32, String> = all_notes
        .iter()
        .map(|(n, (_, note))| (*n, note.text.clone()))
        .collect();
    let (sources, citations) = citations::sources(&note_texts);
    let slug_of: BTreeMap<String, String> = sources
        .iter()
        .map(|s| (s.key.clone(), s.slug.clone()))
        .collect();
    let mut interview_notes: BTreeMap<u32, Vec<u32>> = BTreeMap::new();
    for (n, (_, note)) in &all_notes {
        for (i, _, _) in citations::interview_refs(&note.text) {
            let v = interview_notes.entry(i).or_default();
            if !v.contains(n) {
                v.push(*n);
            }
        }
        for bad in citations::bad_interview_numbers(&note.text) {
            diags.push(
                Diagnostic::warning(
                    input.seed_path,
                    note.line,
                    0,
                    format!(
                        "note {n} cites interview {bad}, which cannot be an interview number (1 to {})",
                        citations::MAX_INTERVIEW
                    ),
                )
                .with_hint("it is left unlinked; if digits ran together in the PDF, correct them in the seed"),
            );
        }
    }
    for (n, (ci, note)) in &all_notes {
        let home = note_home.get(n).copied().unwrap_or(*ci);
        let cites: Vec<&Citation> = citations.iter().filter(|c| c.note == *n).collect();
        let linked = citations::link_note(&note.text, &cites, &slug_of);
        chapters[home]
            .notes
            .insert(*n, text::convert_markers(&linked));
    }

    // --- Recommendations: link the report's words to each page. ----------
    // `phrase` is where the report makes the recommendation; `also` are
    // other places it argues for it. Each becomes a link from the chapter.
    let mut rec_places: Vec<Place> = Vec::new();
    let mut rec_also: Vec<Vec<Place>> = Vec::new();
    for r in &d.recommendations {
        let mut places = Vec::new();
        for phrase in std::iter::once(&r.phrase).chain(&r.also) {
            let occurrences: usize = chapters
                .iter()
                .flat_map(|c| c.blocks.iter().filter(|b| b.kind != BlockKind::Heading))
                .map(|b| find_phrase(&b.md, phrase, true).len())
                .sum();
            if occurrences > 1 {
                diags.push(
                    Diagnostic::warning(
                        dpath,
                        decompose::value_line(dtext, phrase),
                        0,
                        format!(
                            "recommendation '{}': phrase occurs {occurrences} times; the first is linked",
                            r.slug
                        ),
                    )
                    .with_hint("quote more words so that the phrase names one place"),
                );
            }
            match link_first(&mut chapters, phrase, &format!("../recommendations/{}.md", r.slug)) {
                Some(p) => places.push(p),
                None => errors.push(
                    Diagnostic::error(
                        dpath,
                        decompose::value_line(dtext, phrase),
                        0,
                        format!(
                            "recommendation '{}': phrase not found in any chapter: \"{phrase}\"",
                            r.slug
                        ),
                    )
                    .with_hint(
                        "copy the words exactly as the chapter text has them (case, quotes, dashes)",
                    ),
                ),
            }
        }
        let first = places.first().copied().unwrap_or(Place {
            chapter: 0,
            block: 0,
        });
        rec_places.push(first);
        rec_also.push(places.into_iter().skip(1).collect());
    }

    // --- Author-date citations in the text, e.g. `(Chessman & Cunliffe,
    // 2026 pre-publication draft)`, link to the source they name.
    let mut text_citations: BTreeMap<String, Vec<Place>> = BTreeMap::new();
    for (ci, ch) in chapters.iter_mut().enumerate() {
        for (bi, b) in ch.blocks.iter_mut().enumerate() {
            if b.kind == BlockKind::Heading {
                continue;
            }
            for (span, surnames, year) in author_date(&b.md).into_iter().rev() {
                let named = |f: &str| {
                    surnames.iter().all(|n| !find_phrase(f, n, true).is_empty())
                        && f.contains(&year)
                };
                let Some(src) = sources
                    .iter()
                    .find(|s| named(&s.long_form) || s.other_forms.iter().any(|f| named(f)))
                else {
                    continue;
                };
                let at = Place {
                    chapter: ci,
                    block: bi,
                };
                cite_in_text(&mut b.md, span, src, at, &mut text_citations);
            }
        }
    }

    // A source named by its title in the text (`the 2022 NATO Strategic
    // Concept`) links to its page, once per chapter. Short titles are too
    // likely to be ordinary words.
    for (ci, ch) in chapters.iter_mut().enumerate() {
        for src in sources.iter().filter(|s| text::word_count(&s.title) >= 3) {
            let hit = ch.blocks.iter().enumerate().find_map(|(bi, b)| {
                (b.kind != BlockKind::Heading)
                    .then(|| {
                        find_phrase(&b.md, &src.title, true)
                            .first()
                            .map(|&sp| (bi, sp))
                    })
                    .flatten()
            });
            if let Some((bi, span)) = hit {
                let at = Place {
                    chapter: ci,
                    block: bi,
                };
                cite_in_text(&mut ch.blocks[bi].md, span, src, at, &mut text_citations);
            }
        }
    }

    // --- Topics: where each is discussed; link the first mention per section.
    // The acronyms defined in the text tie their expansions to their terms.
    let mut term_list: Vec<(String, String)> = input
        .front
        .acronyms
        .iter()
        .map(|a| (a.acronym.clone(), a.expansion.clone()))
        .collect();
    for b in chapters.iter().flat_map(|c| &c.blocks) {
        for (a, e) in acronyms::inline_definitions(&plain(&b.md)) {
            if !term_list.iter().any(|(x, _)| *x == a) {
                term_list.push((a, e));
            }
        }
    }
    let terms = topiclinks::terms(&d.topics, &term_list);
    let mut topic_places: BTreeMap<String, Vec<Place>> = BTreeMap::new();
    for (ci, ch) in chapters.iter_mut().enumerate() {
        // Once per section: every mention would bury the text in links, one
        // per chapter would leave long sections without any. A box is a
        // section of its own, and the text after it goes on in the section
        // it interrupted.
        let keys = topiclinks::section_keys(
            ch.blocks
                .iter()
                .map(|b| (b.kind == BlockKind::Heading, b.aside)),
        );
        let mut linked: BTreeSet<(usize, usize)> = BTreeSet::new();
        for (bi, b) in ch.blocks.iter_mut().enumerate() {
            // A photo's credit is not the report's argument.
            if matches!(b.kind, BlockKind::Heading | BlockKind::Credit) {
                continue;
            }
            let (found, _) = topiclinks::mentions_through_links(&b.md, &d.topics, &terms);
            // Every mention counts for the topic page's list, linked or not.
            let mut listed: BTreeSet<usize> = BTreeSet::new();
            for &(_, t, _) in &found {
                if listed.insert(t) {
                    topic_places
                        .entry(d.topics[t].slug.clone())
                        .or_default()
                        .push(Place {
                            chapter: ci,
                            block: bi,
                        });
                }
            }
            let mut chosen: Vec<((usize, usize), usize)> = Vec::new();
            for (span, t, spot) in found {
                if spot == topiclinks::Spot::Free && linked.insert((keys[bi], t)) {
                    chosen.push((span, t));
                }
            }
            for (span, t) in chosen.into_iter().rev() {
                insert_link(
                    &mut b.md,
                    span,
                    &format!("../topics/{}.md", d.topics[t].slug),
                );
            }
        }
        // A section whose only mentions of a topic sit in the words of a
        // recommendation link (links do not nest) cuts that link around its
        // first one.
        for (bi, b) in ch.blocks.iter_mut().enumerate() {
            if !matches!(b.kind, BlockKind::Heading | BlockKind::Credit) {
                cut_for_topics(&mut b.md, keys[bi], &mut linked, d, &terms);
            }
        }
    }

    // Every block's plain text, and that normalised: the acronym, topic and
    // recommendation pages below look through every block for each entry.
    // The chapters are final from here on (immutable, so this cannot go stale).
    let chapters = chapters;
    let block_plain: Vec<Vec<String>> = chapters
        .iter()
        .map(|c| c.blocks.iter().map(|b| plain(&b.md)).collect())
        .collect();
    let block_norm: Vec<Vec<String>> = block_plain
        .iter()
        .map(|c| c.iter().map(|p| normalise(p)).collect())
        .collect();

    let mut pages = Pages::new();
    let chapter_link = |p: Place, chapters: &[Chapter]| -> String {
        let ch = &chapters[p.chapter];
        format!("../chapters/{}.md#{}", ch.stem, ch.blocks[p.block].id)
    };
    let place_label = |p: Place, chapters: &[Chapter]| -> String {
        let ch = &chapters[p.chapter];
        let sec = &ch.blocks[p.block].section;
        if sec.is_empty() {
            format!("Chapter {}: {}", ch.number, text::link_label(&ch.title))
        } else {
            format!("Chapter {}, “{}”", ch.number, text::link_label(&plain(sec)))
        }
    };
    let find_plain = |needle: &str, chapters: &[Chapter]| -> Option<Place> {
        let n = normalise(needle);
        for (ci, ch) in chapters.iter().enumerate() {
            for (bi, b) in ch.blocks.iter().enumerate() {
                if b.kind != BlockKind::Heading && block_norm[ci][bi].contains(&n) {
                    return Some(Place {
                        chapter: ci,
                        block: bi,
                    });
                }
            }
        }
        None
    };

    // --- Chapter pages. ------------------------------------------------------
    for ch in &chapters {
        let fm = FrontMatter {
            title: Some(ch.title.clone()),
            kind: Some(Kind::Chapter),
            order: Some(ch.number as i64),
            number: Some(ch.number),
            date: date.clone(),
            summary: Some(ch.summary.clone()),
            // Notes are labelled with the report's numbers, which run on
            // across chapters and which the other pages cite.
            note_numbers: NoteNumbers::Labels,
            ..Default::default()
        };
        let mut body = String::new();
        let mut aside = None;
        let mut i = 0;
        while i < ch.blocks.len() {
            let b = &ch.blocks[i];
            if b.aside != aside {
                // Blank lines inside the HTML block let the box's content
                // be markdown.
                if aside.is_some() {
                    body.push_str("</aside>\n\n");
                }
                if b.aside.is_some() {
                    body.push_str("<aside>\n\n");
                }
                aside = b.aside;
            }
            match &b.kind {
                BlockKind::Para => body.push_str(&format!("{}\n\n", escape_line_start(&b.md))),
                BlockKind::Heading => {
                    body.push_str(&format!("{} {}\n\n", "#".repeat(b.level), b.md))
                }
                BlockKind::Quote => body.push_str(&format!("> {}\n\n", b.md)),
                // Small print, the element for credits and attributions: a
                // tag the build lets through without opting in to raw HTML,
                // and the stylesheet sets it apart from the text.
                BlockKind::Credit => body.push_str(&format!("<small>{}</small>\n\n", b.md)),
                BlockKind::ListItem(n) => {
                    let mut j = i;
                    while j < ch.blocks.len() && ch.blocks[j].kind == BlockKind::ListItem(*n) {
                        body.push_str(&format!("- {}\n", ch.blocks[j].md));
                        j += 1;
                    }
                    body.push('\n');
                    i = j;
                    continue;
                }
            }
            i += 1;
        }
        if aside.is_some() {
            body.push_str("</aside>\n\n");
        }
        for (n, t) in &ch.notes {
            body.push_str(&format!("[^{n}]: {t}\n\n"));
        }
        pages.insert(
            format!("chapters/{}.md", ch.stem),
            page(&fm, &body).map_err(|e| yaml_err(input.seed_path, e))?,
        );
    }

    let note_place = |n: u32, chapters: &[Chapter]| -> Option<Place> {
        let marker = format!("[^{n}]");
        for (ci, ch) in chapters.iter().enumerate() {
            for (bi, b) in ch.blocks.iter().enumerate() {
                if b.md.contains(&marker) {
                    return Some(Place {
                        chapter: ci,
                        block: bi,
                    });
                }
            }
        }
        None
    };
    // --- Acronym pages. ------------------------------------------------------
    let mut acr: Vec<(String, String, usize)> = input
        .front
        .acronyms
        .iter()
        .map(|a| (a.acronym.clone(), a.expansion.clone(), a.line))
        .collect();
    let mut inline_texts: Vec<String> = block_plain.iter().flatten().cloned().collect();
    inline_texts.extend(note_texts.values().cloned());
    // The about page's title, as the decomposition names it: quotes from
    // the page are labelled with it.
    let about_title = d
        .about
        .as_ref()
        .and_then(|a| a.title.clone())
        .unwrap_or_else(|| "About this report".to_string());
    let about_paras: Vec<String> = input
        .front
        .sections
        .iter()
        .flat_map(|s| s.blocks.iter().map(|b| b.text()))
        .collect();
    inline_texts.extend(about_paras.iter().cloned());
    for t in &inline_texts {
        for (a, e) in acronyms::inline_definitions(t) {
            if !acr.iter().any(|(x, _, _)| *x == a) {
                acr.push((a, e, 0));
            }
        }
    }
    let mut acr_slugs = IdSet::new();
    let about_ids: Vec<(String, String)> = {
        let mut ids = IdSet::new();
        about_paras
            .iter()
            .map(|p| (p.clone(), ids.unique(&block_id(p))))
            .collect()
    };
    for (a, expansion, _) in &acr {
        let slug = acr_slugs.unique(&slugify(a));
        let paren = format!("({a})");
        let paren_s = format!("({a}s)");
        let has = |t: &str| t.contains(&paren) || t.contains(&paren_s);
        let has_exp = |t: &str| t.to_lowercase().contains(&expansion.to_lowercase());
        let has_word = |t: &str| !find_phrase(t, a, true).is_empty();
        let mut quote = None;
        for pred in [&has as &dyn Fn(&str) -> bool, &has_exp, &has_word] {
            // Chapters first, then notes, then the about page.
            'search: for (ci, ch) in chapters.iter().enumerate() {
                for (bi, b) in ch.blocks.iter().enumerate() {
                    let p = &block_plain[ci][bi];
                    if b.kind != BlockKind::Heading && pred(p) {
                        let s = quote_sentence(p, pred);
                        quote = Some((
                            s,
                            place_label(
                                Place {
                                    chapter: ci,
                                    block: bi,
                                },
                                &chapters,
                            ),
                            chapter_link(
                                Place {
                                    chapter: ci,
                                    block: bi,
                                },
                                &chapters,
                            ),
                        ));
                        break 'search;
                    }
                }
            }
            if quote.is_none() {
                if let Some((n, (ci, note))) =
                    all_notes.iter().find(|(_, (_, note))| pred(&note.text))
                {
                    // A note is short and its sentences are citations:
                    // quote it whole, and link the paragraph that cites it.
                    let home = note_home.get(n).copied().unwrap_or(*ci);
                    let ch = &chapters[home];
                    let link = note_place(*n, &chapters).map_or_else(
                        || format!("../chapters/{}.md", ch.stem),
                        |p| chapter_link(p, &chapters),
                    );
                    quote = Some((
                        plain(&note.text),
                        format!(
                            "Note {n} to chapter {}: {}",
                            ch.number,
                            text::link_label(&ch.title)
                        ),
                        link,
                    ));
                }
            }
            if quote.is_none() {
                if let Some((p, id)) = about_ids.iter().find(|(p, _)| pred(p)) {
                    let s = quote_sentence(p, pred);
                    quote = Some((
                        s,
                        text::link_label(&about_title),
                        format!("../about.md#{id}"),
                    ));
                }
            }
            if quote.is_some() {
                break;
            }
        }
        // The header states the expansion; the body adds what the report
        // says it is, its topic, and where it is used, one line a chapter.
        let mut defined: Option<(acronyms::Definition, String, String)> = None;
        let mut offer = |p: &str, label: &dyn Fn() -> String, link: &dyn Fn() -> String| {
            if let Some(def) = acronyms::definition(p, a, expansion) {
                if defined.as_ref().is_none_or(|(d, _, _)| def.rank < d.rank) {
                    defined = Some((def, label(), link()));
                }
            }
        };
        for (ci, ch) in chapters.iter().enumerate() {
            for (bi, b) in ch.blocks.iter().enumerate() {
                if b.kind != BlockKind::Heading {
                    let at = Place {
                        chapter: ci,
                        block: bi,
                    };
                    offer(
                        &block_plain[ci][bi],
                        &|| place_label(at, &chapters),
                        &|| chapter_link(at, &chapters),
                    );
                }
            }
        }
        for (p, id) in &about_ids {
            offer(p, &|| text::link_label(&about_title), &|| {
                format!("../about.md#{id}")
            });
        }
        let mut body = String::new();
        if let Some(t) = topiclinks::topic_named(&d.topics, a, expansion) {
            let t = &d.topics[t];
            body.push_str(&format!(
                "Topic: [{}](../topics/{}.md)\n\n",
                text::link_label(&t.title),
                t.slug
            ));
        }
        match (&defined, &quote) {
            (Some((def, label, link)), _) => {
                body.push_str(&format!("As the report explains it in [{label}]({link})"));
                if def.short.ends_with('…') || def.rank == 2 {
                    // The summary above is cut: the passage in full.
                    body.push_str(&format!(":\n\n> {}\n\n", text::inert_links(&def.passage)));
                } else {
                    body.push_str(".\n\n");
                }
            }
            (None, Some((s, label, link))) => body.push_str(&format!(
                "First used in [{label}]({link}):\n\n> {}\n\n",
                text::inert_links(s)
            )),
            (None, None) => body.push_str(
                "The report lists it among its acronyms but does not use it in the text.\n",
            ),
        }
        // Where it is used: a line per chapter, with how many paragraphs
        // (linked to the first of them) and which notes.
        let uses = |t: &str| has(t) || has_word(t);
        let mut used: Vec<String> = Vec::new();
        let mut chapter_numbers: Vec<String> = Vec::new();
        for (ci, ch) in chapters.iter().enumerate() {
            let paras: Vec<usize> = (0..ch.blocks.len())
                .filter(|&bi| {
                    ch.blocks[bi].kind != BlockKind::Heading && uses(&block_plain[ci][bi])
                })
                .collect();
            let notes: Vec<u32> = all_notes
                .iter()
                .filter(|(n, (home, note))| {
                    note_home.get(n).copied().unwrap_or(*home) == ci && uses(&note.text)
                })
                .map(|(n, _)| *n)
                .collect();
            let first = paras
                .first()
                .map(|&bi| Place {
                    chapter: ci,
                    block: bi,
                })
                .or_else(|| notes.first().and_then(|&n| note_place(n, &chapters)));
            let Some(first) = first else {
                continue;
            };
            chapter_numbers.push(ch.number.to_string());
            let mut what = Vec::new();
            match paras.len() {
                0 => {}
                1 => what.push("1 paragraph".to_string()),
                k => what.push(format!("{k} paragraphs")),
            }
            // Each note number leads to the paragraph that calls the note,
            // which is rarely the chapter's first use linked above.
            let ns: Vec<String> = notes
                .iter()
                .map(|&n| match note_place(n, &chapters) {
                    Some(p) => format!("[{n}]({})", chapter_link(p, &chapters)),
                    None => n.to_string(),
                })
                .collect();
            match ns.len() {
                0 => {}
                1 => what.push(format!("note {}", ns[0])),
                _ => what.push(format!("notes {}", list_words(&ns))),
            }
            used.push(format!(
                "- [Chapter {}: {}]({}) ({})\n",
                ch.number,
                text::link_label(&ch.title),
                chapter_link(first, &chapters),
                what.join(", ")
            ));
        }
        if let Some((_, id)) = about_ids.iter().find(|(p, _)| uses(p)) {
            used.push(format!(
                "- [{}](../about.md#{id})\n",
                text::link_label(&about_title)
            ));
        }
        if !used.is_empty() {
            body.push_str("## Where it is used\n\n");
            body.push_str(&used.concat());
        }
        let in_about = about_paras.iter().any(|p| uses(p));
        let summary = match (&defined, chapter_numbers.len(), in_about) {
            (Some((def, _, _)), _, _) => def.short.clone(),
            (None, 0, true) => "Used in the report's front matter.".to_string(),
            (None, 0, false) => {
                "Listed among the report's acronyms; not used in its text.".to_string()
            }
            (None, 1, _) => format!("Used in chapter {}.", chapter_numbers[0]),
            (None, _, _) => format!("Used in chapters {}.", list_words(&chapter_numbers)),
        };
        let fm = FrontMatter {
            title: Some(a.clone()),
            kind: Some(Kind::Acronym),
            summary: Some(summary),
            expansion: Some(expansion.clone()),
            ..Default::default()
        };
        pages.insert(
            format!("acronyms/{slug}.md"),
            page(&fm, &body).map_err(|e| yaml_err(input.seed_path, e))?,
        );
    }

    // --- Topic pages. --------------------------------------------------------
    for t in &d.topics {
        let mut body = String::new();
        // The defining passage: in the chapter text, or else in a note (then
        // linked through the paragraph that cites the note).
        let in_note = || {
            all_notes.iter().find_map(|(n, (_, note))| {
                let p = plain(&note.text);
                if !normalise(&p).contains(&normalise(&t.definition)) {
                    return None;
                }
                note_place(*n, &chapters).map(|pl| (p, pl))
            })
        };
        let found = find_plain(&t.definition, &chapters)
            .map(|p| (block_plain[p.chapter][p.block].clone(), p))
            .or_else(in_note);
        match found {
            Some((text_plain, p)) => {
                let s = sentence_with(&text_plain, &t.definition, t.sentences.unwrap_or(1))
                    .unwrap_or_default();
                let s = if t.clause {
                    clause_with(&s, &t.definition)
                } else {
                    s
                };
                let s = quote::stand_alone(&s, t.antecedent.as_deref());
                if let Some(w) = quote::dangling_opening(&s) {
                    diags.push(dangling_warning(
                        dpath,
                        decompose::value_line(dtext, &t.definition),
                        &format!("topic '{}'", t.slug),
                        w,
                    ));
                }
                // The report's sentence may carry someone else's words.
                let quoting = t
                    .quoting
                    .as_deref()
                    .map(|q| format!(", quoting {}", q.trim()))
                    .unwrap_or_default();
                body.push_str(&format!(
                    "> {}\n\n— [{}]({}){quoting}\n\n",
                    text::inert_links(&s),
                    place_label(p, &chapters),
                    chapter_link(p, &chapters)
                ));
            }
            None => errors.push(
                Diagnostic::error(
                    dpath,
                    decompose::value_line(dtext, &t.definition),
                    0,
                    format!(
                        "topic '{}': definition phrase not found in any chapter: \"{}\"",
                        t.slug, t.definition
                    ),
                )
                .with_hint("quote words from the chapter text exactly"),
            ),
        }
        let places = topic_places.get(&t.slug).cloned().unwrap_or_default();
        // With none found, the warning below says so once for the topic. A
        // phrase found only in a heading or in another page's link is not a
        // typo: it is looked for in every block's plain text.
        if !places.is_empty() {
            for phrase in &t.phrases {
                let nowhere = block_plain
                    .iter()
                    .flatten()
                    .all(|text| find_phrase(text, phrase, false).is_empty());
                if nowhere {
                    diags.push(
                        Diagnostic::warning(
                            dpath,
                            decompose::value_line(dtext, phrase),
                            0,
                            format!(
                                "topic '{}': phrase \"{phrase}\" occurs in no chapter",
                                t.slug
                            ),
                        )
                        .with_hint("correct it (whole words, any case) or remove it"),
                    );
                }
            }
        }
        for context in &t.exclude {
            let nowhere = block_plain
                .iter()
                .flatten()
                .all(|text| !text.to_lowercase().contains(&context.to_lowercase()));
            if nowhere {
                diags.push(
                    Diagnostic::warning(
                        dpath,
                        decompose::value_line(dtext, context),
                        0,
                        format!(
                            "topic '{}': excluded place \"{context}\" occurs in no chapter",
                            t.slug
                        ),
                    )
                    .with_hint("copy the words as the chapter has them, or remove the entry"),
                );
            }
        }
        if places.is_empty() {
            diags.push(Diagnostic::warning(
                dpath,
                decompose::value_line(dtext, &format!("slug: {}", t.slug)),
                0,
                format!(
                    "topic '{}': none of its phrases occurs in the chapters",
                    t.slug
                ),
            ));
        } else {
            body.push_str("## Where the report discusses it\n\n");
            let mut groups: Vec<(usize, String, Place, usize)> = Vec::new();
            for p in places {
                let sec = chapters[p.chapter].blocks[p.block].section.clone();
                match groups.iter_mut().find(|g| g.0 == p.chapter && g.1 == sec) {
                    Some(g) => g.3 += 1,
                    None => groups.push((p.chapter, sec, p, 1)),
                }
            }
            for (_, _, p, n) in groups {
                let what = if n == 1 {
                    "1 paragraph".to_string()
                } else {
                    format!("{n} paragraphs")
                };
                body.push_str(&format!(
                    "- [{}]({}) ({what})\n",
                    place_label(p, &chapters),
                    chapter_link(p, &chapters)
                ));
            }
            body.push('\n');
        }
        if !t.related.is_empty() {
            body.push_str("## Related topics\n\n");
            for r in &t.related {
                body.push_str(&topic_item(d, r, ""));
            }
            body.push('\n');
        }
        let recs: Vec<_> = d
            .recommendations
            .iter()
            .filter(|r| r.topics.contains(&t.slug))
            .collect();
        if !recs.is_empty() {
            body.push_str("## Recommendations\n\n");
            for r in recs {
                body.push_str(&format!(
                    "- [{}](../recommendations/{}.md)\n",
                    text::link_label(&r.title),
                    r.slug
                ));
            }
        }
        let fm = FrontMatter {
            title: Some(t.title.clone()),
            kind: Some(Kind::Topic),
            summary: Some(t.summary.clone()),
            aliases: t.aliases.clone(),
            ..Default::default()
        };
        pages.insert(
            format!("topics/{}.md", t.slug),
            page(&fm, &body).map_err(|e| yaml_err(dpath, e))?,
        );
    }

    // --- Recommendation pages. -----------------------------------------------
    // The report's words for each: the sentence making the recommendation,
    // with the sentences before it that it needs, made to stand alone.
    let rec_words: Vec<String> = d
        .recommendations
        .iter()
        .zip(&rec_places)
        .map(|(r, p)| {
            let w = sentence_after(
                &block_plain[p.chapter][p.block],
                &plain(&r.phrase),
                r.before.unwrap_or(0),
            )
            .unwrap_or_default();
            quote::stand_alone(&w, r.antecedent.as_deref())
        })
        .collect();
    let rec_line = |slug: &str| decompose::value_line(dtext, &format!("slug: {slug}"));
    for (k, r) in d.recommendations.iter().enumerate() {
        if rec_words[k].is_empty() {
            continue;
        }
        // Two pages quoting one sentence are one recommendation split in two.
        if let Some(j) = (0..k).find(|&j| normalise(&rec_words[j]) == normalise(&rec_words[k])) {
            let first = &d.recommendations[j];
            errors.push(
                Diagnostic::error(
                    dpath,
                    rec_line(&r.slug),
                    0,
                    format!(
                        "recommendation '{}' quotes the same sentence as recommendation '{}' (line {})",
                        r.slug,
                        first.slug,
                        rec_line(&first.slug)
                    ),
                )
                .with_hint("merge them into one recommendation, or point `phrase` at the sentence that makes this one"),
            );
        }
        if let Some(w) = quote::dangling_opening(&rec_words[k]) {
            diags.push(dangling_warning(
                dpath,
                decompose::value_line(dtext, &r.phrase),
                &format!("recommendation '{}'", r.slug),
                w,
            ));
        }
        if r.actor.as_deref().is_none_or(|a| a.trim().is_empty()) {
            diags.push(
                Diagnostic::warning(
                    dpath,
                    rec_line(&r.slug),
                    0,
                    format!("recommendation '{}' names no actor", r.slug),
                )
                .with_hint("say who the report asks to act, e.g. `actor: NATO`"),
            );
        }
    }
    for (k, (r, p)) in d.recommendations.iter().zip(&rec_places).enumerate() {
        if errors
            .iter()
            .any(|e| e.message.contains(&format!("recommendation '{}'", r.slug)))
        {
            continue;
        }
        // Plain text written back as markdown: its brackets made inert again.
        let words = text::inert_links(&rec_words[k]);
        let asked = r
            .actor
            .as_deref()
            .map(|a| format!("Who acts: **{}**\n\n", a.trim()))
            .unwrap_or_default();
        let mut body = format!(
            "{asked}The report’s words:\n\n> {words}\n\n— [{}]({})\n\n## Rationale\n\n{}\n",
            place_label(*p, &chapters),
            chapter_link(*p, &chapters),
            r.rationale.trim()
        );
        let mut also = String::new();
        for p in &rec_also[k] {
            let phrase = r
                .also
                .iter()
                .find(|a| block_norm[p.chapter][p.block].contains(&normalise(&plain(a))))
                .map(|a| plain(a))
                .unwrap_or_default();
            let w = sentence_with(&block_plain[p.chapter][p.block], &phrase, 1)
                .map(|w| quote::stand_alone(&w, None))
                .unwrap_or_default();
            // The page already quotes it above.
            if !w.is_empty() && normalise(&rec_words[k]).contains(&normalise(&w)) {
                errors.push(
                    Diagnostic::error(
                        dpath,
                        decompose::value_line(dtext, &phrase),
                        0,
                        format!(
                            "recommendation '{}': `also` finds the sentence the page already quotes",
                            r.slug
                        ),
                    )
                    .with_hint("remove it from `also`, or name another place"),
                );
                continue;
            }
            also.push_str(&format!(
                "- [{}]({}): “{}”\n",
                place_label(*p, &chapters),
                chapter_link(*p, &chapters),
                text::inert_links(&w)
            ));
        }
        if !also.is_empty() {
            body.push_str("\n## Also argued in\n\n");
            body.push_str(&also);
        }
        if !r.topics.is_empty() {
            body.push_str("\n## Topics\n\n");
            for t in &r.topics {
                body.push_str(&topic_item(d, t, "../topics/"));
            }
        }
        let fm = FrontMatter {
            title: Some(r.title.clone()),
            kind: Some(Kind::Recommendation),
            order: Some(k as i64 + 1),
            date: date.clone(),
            summary: Some(first_sentence(r.rationale.trim())),
            actor: r.actor.as_ref().map(|a| a.trim().to_string()),
            ..Default::default()
        };
        pages.insert(
            format!("recommendations/{}.md", r.slug),
            page(&fm, &body).map_err(|e| yaml_err(dpath, e))?,
        );
    }

    // --- Source pages. -------------------------------------------------------
    let claim = |n: u32, chapters: &[Chapter]| -> String {
        match note_place(n, chapters) {
            Some(p) => {
                let s = passage_before_note(&chapters[p.chapter].blocks[p.block].md, n)
                    .map(|s| text::inert_links(&s))
                    .unwrap_or_default();
                format!(
                    "- Note {n}, [{}]({}): “{s}”\n",
                    place_label(p, chapters),
                    chapter_link(p, chapters)
                )
            }
            None => format!("- Note {n} (its marker is not in the text)\n"),
        }
    };
    for s in &sources {
        let mut body = String::new();
        if let Some(y) = &s.year {
            body.push_str(&format!("Year: {y}\n\n"));
        }
        body.push_str(&format!(
            "As cited: {}\n\n",
            escape_line_start(&s.long_form)
        ));
        if !s.other_forms.is_empty() {
            body.push_str("Also cited as:\n\n");
            for f in &s.other_forms {
                body.push_str(&format!("- {f}\n"));
            }
            body.push('\n');
        }
        body.push_str("## Claims that rest on it\n\n");
        for n in &s.notes {
            body.push_str(&claim(*n, &chapters));
        }
        // Every paragraph that names the document in its running text, with
        // the sentence that does.
        let mut named: BTreeMap<(usize, usize), String> = BTreeMap::new();
        let target = format!("../sources/{}.md", s.slug);
        for p in text_citations.get(&s.slug).into_iter().flatten() {
            let md = &chapters[p.chapter].blocks[p.block].md;
            let sentence = sentence_with_link(md, &target).unwrap_or_default();
            named.entry((p.chapter, p.block)).or_insert(sentence);
        }
        let names = title_names(&s.title);
        let short = s
            .year
            .as_ref()
            .map(|_| acronym_names(&s.title, &acr))
            .unwrap_or_default();
        for (ci, ch) in chapters.iter().enumerate() {
            for (bi, b) in ch.blocks.iter().enumerate() {
                if b.kind == BlockKind::Heading {
                    continue;
                }
                let hay = &block_norm[ci][bi];
                let mut needle = names.iter().find_map(|(name, dropped)| {
                    let n = normalise(name);
                    whole_word_matches(hay, &n)
                        .into_iter()
                        .any(|at| names_the_document(hay, at, dropped))
                        .then_some(n)
                });
                if needle.is_none() {
                    let year = s.year.as_deref().unwrap_or_default();
                    needle = short.iter().find_map(|form| {
                        let n = normalise(form);
                        text::sentences(&block_plain[ci][bi])
                            .iter()
                            .any(|sen| {
                                let sn = normalise(sen);
                                !whole_word_matches(&sn, &n).is_empty() && sn.contains(year)
                            })
                            .then_some(n)
                    });
                }
                let Some(needle) = needle else { continue };
                let sentence = text::sentences(&block_plain[ci][bi])
                    .into_iter()
                    .find(|sen| normalise(sen).contains(&needle))
                    .unwrap_or_default();
                named.entry((ci, bi)).or_insert(sentence);
            }
        }
        if !named.is_empty() {
            body.push_str("\n## Where the report names it\n\n");
            for ((chapter, block), sentence) in &named {
                let p = Place {
                    chapter: *chapter,
                    block: *block,
                };
                body.push_str(&format!(
                    "- [{}]({}): “{}”\n",
                    place_label(p, &chapters),
                    chapter_link(p, &chapters),
                    text::inert_links(sentence)
                ));
            }
        }
        let notes = s.notes.iter().map(u32::to_string).collect::<Vec<_>>();
        let of_year = s
            .year
            .as_ref()
            .map_or(String::new(), |y| format!(" of {y} that"));
        let fm = FrontMatter {
            title: Some(s.title.clone()),
            kind: Some(Kind::Source),
            summary: Some(format!(
                "A document{of_year} the report cites in note{} {}.",
                if notes.len() == 1 { "" } else { "s" },
                list_words(&notes)
            )),
            ..Default::default()
        };
        pages.insert(
            format!("sources/{}.md", s.slug),
            page(&fm, &body).map_err(|e| yaml_err(input.seed_path, e))?,
        );
    }

    // --- Interview pages. ----------------------------------------------------
    let cited_max = interview_notes.keys().max().copied().unwrap_or(0);
    let mut count = d
        .interviews
        .as_ref()
        .map_or(cited_max, |i| i.count.max(cited_max));
    if count > citations::MAX_INTERVIEW {
        errors.push(
            Diagnostic::error(
                dpath,
                decompose::value_line(dtext, &count.to_string()),
                0,
                format!(
                    "interviews.count is {count}; the importer makes at most {} interview pages",
                    citations::MAX_INTERVIEW
                ),
            )
            .with_hint("give the number of interviews the report rests on"),
        );
        // The import fails on the error; make no pages meanwhile.
        count = 0;
    }
    let method = d
        .interviews
        .as_ref()
        .and_then(|i| i.method.as_ref())
        .and_then(|m| {
            let p = find_plain(m, &chapters);
            if p.is_none() {
                errors.push(Diagnostic::error(
                    dpath,
                    decompose::value_line(dtext, m),
                    0,
                    format!("interviews.method phrase not found in any chapter: \"{m}\""),
                ));
            }
            p
        });
    // How the report describes its interviews is the report's to say
    // (decomposition data); without it the pages say only what is counted.
    let spec = d.interviews.as_ref();
    let words = |s: Option<&String>| s.map(|s| s.trim().to_string()).filter(|s| !s.is_empty());
    let qualifier = words(spec.and_then(|i| i.qualifier.as_ref()));
    let remark = words(spec.and_then(|i| i.remark.as_ref()))
        .map_or_else(String::new, |r| format!("; {}", text::inert_links(&r)));
    let interviews = match &qualifier {
        Some(q) => format!("{} interviews", text::inert_links(q)),
        None => "interviews".to_string(),
    };
    let interview_i = |i: u32| match &qualifier {
        Some(q) => {
            let mut q = q.chars();
            let first = q.next().map(|c| c.to_uppercase().collect::<String>());
            format!("{}{} interview {i}", first.unwrap_or_default(), q.as_str())
        }
        None => format!("Interview {i}"),
    };
    for i in 1..=count {
        let mut body = format!("One of the {count} {interviews} the report rests on{remark}");
        match method {
            Some(p) => body.push_str(&format!(
                " ([how the interviews were conducted]({})).\n\n",
                chapter_link(p, &chapters)
            )),
            None => body.push_str(".\n\n"),
        }
        let notes = interview_notes.get(&i).cloned().unwrap_or_default();
        if notes.is_empty() {
            body.push_str("No note of the report cites this interview by number.\n");
        } else {
            body.push_str("## Claims that rest on it\n\n");
            for n in &notes {
                body.push_str(&claim(*n, &chapters));
            }
        }
        let fm = FrontMatter {
            title: Some(format!("Interview {i}")),
            kind: Some(Kind::Interview),
            order: Some(i as i64),
            summary: Some(if notes.is_empty() {
                format!("{}, not cited by number in the notes.", interview_i(i))
            } else {
                let ns = notes.iter().map(u32::to_string).collect::<Vec<_>>();
                format!(
                    "{}, cited in note{} {}.",
                    interview_i(i),
                    if ns.len() == 1 { "" } else { "s" },
                    list_words(&ns)
                )
            }),
            ..Default::default()
        };
        pages.insert(
            format!("interviews/interview-{i:02}.md"),
            page(&fm, &body).map_err(|e| yaml_err(input.seed_path, e))?,
        );
    }

    // An interview no note cites has no page linking to it, which the build
    // reports as an orphan; the index's introduction names those, so a
    // reader learns from the index why they have no claims.
    let uncited: Vec<String> = (1..=count)
        .filter(|i| interview_notes.get(i).is_none_or(Vec::is_empty))
        .map(|i| format!("[Interview {i}](interview-{i:02}.md)"))
        .collect();
    if !uncited.is_empty() {
        let mut body = format!("The report rests on {count} {interviews}{remark}");
        match method {
            Some(p) => body.push_str(&format!(
                " ([how the interviews were conducted]({})).\n\n",
                chapter_link(p, &chapters)
            )),
            None => body.push_str(".\n\n"),
        }
        let named = match uncited.split_last() {
            Some((last, [])) => last.clone(),
            Some((last, init)) => format!("{} or {last}", init.join(", ")),
            None => String::new(),
        };
        body.push_str(&format!("No note cites {named} by number.\n"));
        let fm = FrontMatter {
            title: Some("Interviews".to_string()),
            kind: Some(Kind::Page),
            summary: Some(format!("The {count} {interviews} the report rests on.")),
            ..Default::default()
        };
        pages.insert(
            "interviews/_index.md".to_string(),
            page(&fm, &body).map_err(|e| yaml_err(input.seed_path, e))?,
        );
    }

    // --- Home and about. -----------------------------------------------------
    // The home page's front matter carries the facts a reader and an indexer
    // need (authors, publisher, the date as printed, the PDF); the template
    // shows them with the chapters, recommendations and how to cite. Its
    // body holds the key findings, each quoted and linked to its paragraph.
    let front = input.front;
    let mut home = String::new();
    let mut findings = String::new();
    for kf in &d.key_findings {
        let Some(p) = find_plain(&kf.phrase, &chapters) else {
            errors.push(
                Diagnostic::error(
                    dpath,
                    decompose::value_line(dtext, &kf.phrase),
                    0,
                    format!("key finding: phrase '{}' is not in any chapter", kf.phrase),
                )
                .with_hint("copy the words from the chapter text"),
            );
            continue;
        };
        let quote = sentence_with(
            &block_plain[p.chapter][p.block],
            &kf.phrase,
            kf.sentences.unwrap_or(1),
        )
        .unwrap_or_else(|| block_plain[p.chapter][p.block].clone());
        // Links from the home page start at the content root.
        let href = chapter_link(p, &chapters);
        let href = href.strip_prefix("../").unwrap_or(&href);
        // The chapter's title is long; its section, when there is one,
        // says more about where the sentence stands (the label is escaped
        // as a link text already).
        let ch = &chapters[p.chapter];
        let label = if ch.blocks[p.block].section.is_empty() {
            format!("Chapter {}", ch.number)
        } else {
            place_label(p, &chapters)
        };
        findings.push_str(&format!(
            "- “{}” ([{}]({href}))\n",
            escape_line_start(&text::inert_links(&quote)),
            label,
        ));
    }
    if !findings.is_empty() {
        home.push_str("## Key findings\n\n");
        home.push_str(&findings);
    }
    // The publisher's name (PAX) is written in capitals like an acronym but
    // is none: it and the decomposition's names are the site's known names.
    let names: BTreeSet<String> = front
        .publisher
        .iter()
        .chain(&d.names)
        .map(|n| n.trim().to_string())
        .filter(|n| !n.is_empty())
        .collect();
    let fm =
        FrontMatter {
            title: Some(front.title.clone()),
            kind: Some(Kind::Page),
            date: date.clone(),
            // Every page needs a summary (lists, previews, link cards): without
            // the editor's, one built from the title page's facts.
            summary: Some(d.summary.clone().unwrap_or_else(|| {
                match (&front.publisher, &front.date) {
                    (Some(p), Some(dt)) => format!("A report by {p}, {dt}."),
                    (Some(p), None) => format!("A report by {p}."),
                    (None, Some(dt)) => format!("A report published {dt}."),
                    (None, None) => "A report.".to_string(),
                }
            })),
            names: names.into_iter().collect(),
            authors: authors(&front.credits),
            publisher: front.publisher.clone(),
            published: front.date.clone(),
            pdf: d.pdf.clone(),
            ..Default::default()
        };
    pages.insert(
        "_index.md".to_string(),
        page(&fm, &home).map_err(|e| yaml_err(input.seed_path, e))?,
    );

    let mut about = String::new();
    for (k, s) in front.sections.iter().enumerate() {
        if !s.heading.is_empty() {
            about.push_str(&format!("## {}\n\n", text::inert_links(&s.heading)));
        }
        for b in &s.blocks {
            about.push_str(&lines_md(&b.lines));
        }
        if k == 0 {
            for (label, value) in &front.credits {
                about.push_str(&format!(
                    "- **{}:** {}\n",
                    text::inert_links(label),
                    text::inert_links(value)
                ));
            }
            about.push('\n');
        }
    }
    if !input.back.is_empty() {
        about.push_str("## Contact\n\n");
        for lines in &input.back {
            about.push_str(&lines_md(lines));
        }
    }
    let about_summary = d.about.as_ref().and_then(|a| a.summary.clone());
    // Without the editor's words, the summary names the sections the page
    // holds, as the report heads them.
    let headings: Vec<String> = front
        .sections
        .iter()
        .map(|s| plain(&s.heading))
        .filter(|h| !h.is_empty())
        .chain((!input.back.is_empty()).then(|| "Contact".to_string()))
        .collect();
    let fm = FrontMatter {
        title: Some(about_title),
        kind: Some(Kind::Page),
        date,
        summary: about_summary
            .or_else(|| (!headings.is_empty()).then(|| format!("{}.", list_words(&headings)))),
        ..Default::default()
    };
    pages.insert(
        "about.md".to_string(),
        page(&fm, &about).map_err(|e| yaml_err(input.seed_path, e))?,
    );

    if errors.has_errors() {
        return Err(errors);
    }
    Ok((pages, diags))
}

/// The authors named by the credits (`Author: A (role)`, `Authors: A, B and
/// C`), without the parenthesised roles.
fn authors(credits: &[(String, String)]) -> Vec<String> {
    let mut out = Vec::new();
    for (label, value) in credits {
        let label = label.trim().to_lowercase();
        if label != "author" && label != "authors" && label != "by" {
            continue;
        }
        let mut v = String::new();
        let mut depth = 0usize;
        for c in value.chars() {
            match c {
                '(' => depth += 1,
                ')' => depth = depth.saturating_sub(1),
                _ if depth == 0 => v.push(c),
                _ => {}
            }
        }
        let v = v
            .replace(" and ", ",")
            .replace(" & ", ",")
            .replace(';', ",");
        out.extend(
            v.split(',')
                .map(|a| a.split_whitespace().collect::<Vec<_>>().join(" "))
                .filter(|a| !a.is_empty()),
        );
    }
    out
}

/// Author-date citations in `md`: a parenthesis opening with capitalised
/// surnames joined by `&` or `and`, a comma, and a year. Returns the byte
/// range inside the parentheses, the surnames and the year.
fn author_date(md: &str) -> Vec<((usize, usize), Vec<String>, String)> {
    let prot = protected(md);
    let mut out = Vec::new();
    for (open, _) in md.match_indices('(') {
        let Some(len) = md[open..].find(')') else {
            continue;
        };
        let (s, e) = (open + 1, open + len);
        if !is_free(&prot, s, e) {
            continue;
        }
        let inner = &md[s..e];
        let Some((names, rest)) = inner.split_once(", ") else {
            continue;
        };
        let surnames: Vec<String> = names
            .split(" & ")
            .flat_map(|n| n.split(" and "))
            .map(|n| n.trim().trim_end_matches(" et al").to_string())
            .collect();
        let capitalised = surnames
            .iter()
            .all(|n| !n.is_empty() && n.starts_with(char::is_uppercase) && !n.contains(' '));
        let year = rest.split_whitespace().next().unwrap_or("");
        let is_year = year.len() == 4 && year.bytes().all(|c| c.is_ascii_digit());
        if capitalised && is_year {
            out.push(((s, e), surnames, year.to_string()));
        }
    }
    out
}

/// Links `span` of the markdown `md` (of the block at `at`) to the page of
/// `src`, and records `at` among the places that cite `src` in the text.
fn cite_in_text(
    md: &mut String,
    span: (usize, usize),
    src: &citations::Source,
    at: Place,
    cited: &mut BTreeMap<String, Vec<Place>>,
) {
    insert_link(md, span, &format!("../sources/{}.md", src.slug));
    cited.entry(src.slug.clone()).or_default().push(at);
}

/// Links in `md` the first mention of each topic not yet linked in its
/// section (`key`) that sits in the words of a recommendation link, by
/// cutting that link around it.
fn cut_for_topics(
    md: &mut String,
    key: usize,
    linked: &mut BTreeSet<(usize, usize)>,
    d: &Decomposition,
    terms: &[topiclinks::Term],
) {
    loop {
        let (found, links) = topiclinks::mentions_through_links(md, &d.topics, terms);
        let cut = found.into_iter().find_map(|(span, t, spot)| {
            let topiclinks::Spot::InLink(l) = spot else {
                return None;
            };
            let link = &links[l];
            if linked.contains(&(key, t)) || !link.target.starts_with("../recommendations/") {
                return None;
            }
            let target = format!("../topics/{}.md", d.topics[t].slug);
            Some((t, topiclinks::cut_link(md, link, span, &target)?))
        });
        let Some((t, new)) = cut else {
            return;
        };
        linked.insert((key, t));
        *md = new;
    }
}

/// Links the first free occurrence of `phrase` (exact case) in the chapters'
/// text blocks to `target`; where it was, if anywhere.
fn link_first(chapters: &mut [Chapter], phrase: &str, target: &str) -> Option<Place> {
    for (ci, ch) in chapters.iter_mut().enumerate() {
        for (bi, b) in ch.blocks.iter_mut().enumerate() {
            if b.kind == BlockKind::Heading {
                continue;
            }
            if let Some(&span) = find_phrase(&b.md, phrase, true).first() {
                insert_link(&mut b.md, span, target);
                return Some(Place {
                    chapter: ci,
                    block: bi,
                });
            }
        }
    }
    None
}

/// The sentence of `p` that satisfies `pred`, with the next one when it is
/// only a label (`Building Integrity (BI).`).
fn quote_sentence(p: &str, pred: &dyn Fn(&str) -> bool) -> String {
    let ss = text::sentences(p);
    match ss.iter().position(|s| pred(s)) {
        Some(i) if text::word_count(&ss[i]) < 8 && i + 1 < ss.len() => {
            format!("{} {}", ss[i], ss[i + 1])
        }
        Some(i) => ss[i].clone(),
        None => p.to_string(),
    }
}

/// Note numbers referenced in `md`.
fn refs_in(md: &str) -> Vec<u32> {
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(i) = md[from..].find("[^") {
        let s = from + i + 2;
        let digits = md[s..].bytes().take_while(u8::is_ascii_digit).count();
        if digits > 0 && md[s + digits..].starts_with(']') {
            out.push(md[s..s + digits].parse().unwrap_or(0));
        }
        from = s;
    }
    out
}

/// A block of short lines (address, contacts) as one paragraph with hard
/// breaks; a single line as a plain paragraph.
fn lines_md(lines: &[String]) -> String {
    let ls: Vec<String> = lines
        .iter()
        .map(|l| escape_line_start(&text::inert_links(l.trim())))
        .collect();
    format!("{}\n\n", ls.join("\\\n"))
}

/// A list item linking topic `slug` by its title (by its slug where the
/// decomposition has no such topic); `dir` leads from the page to `topics/`.
fn topic_item(d: &Decomposition, slug: &str, dir: &str) -> String {
    let title = d
        .topics
        .iter()
        .find(|x| x.slug == slug)
        .map_or(slug, |x| x.title.as_str());
    format!("- [{}]({dir}{slug}.md)\n", text::link_label(title))
}

use crate::content::report::list as list_words;

fn yaml_err(path: &Path, e: String) -> Diagnostics {
    Diagnostic::error(path, 0, 0, format!("could not serialise front matter: {e}")).into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phrases_match_whole_words_outside_links_and_brackets() {
        let md = "Resilience and [resilience](x.md), [of resilience] and resilient resilience.[^3]";
        let found = find_phrase(md, "resilience", false);
        assert_eq!(found.len(), 2, "{found:?}");
        assert_eq!(&md[found[0].0..found[0].1], "Resilience");
        assert_eq!(&md[found[1].0..found[1].1], "resilience");
        assert!(find_phrase(md, "Resilience", true).len() == 1);
    }

    #[test]
    fn author_date_citations_are_found() {
        let md =
            "as in (Chessman & Cunliffe, 2026 draft) but not (2016) or (UHE) or (see below, 2020).";
        let found = author_date(md);
        assert_eq!(found.len(), 1);
        assert_eq!(
            &md[found[0].0 .0..found[0].0 .1],
            "Chessman & Cunliffe, 2026 draft"
        );
        assert_eq!(found[0].1, ["Chessman", "Cunliffe"]);
        assert_eq!(found[0].2, "2026");
    }

    #[test]
    fn the_passage_a_note_supports_runs_from_the_previous_marker() {
        let md = "First one. Second **bold** one.[^4] Third,[^5] goes on[^6] and on.";
        assert_eq!(
            passage_before_note(md, 4).as_deref(),
            Some("First one. Second bold one.")
        );
        assert_eq!(passage_before_note(md, 5).as_deref(), Some("Third …"));
        assert_eq!(passage_before_note(md, 6).as_deref(), Some("… goes on …"));
        assert_eq!(passage_before_note(md, 7), None);
    }

    #[test]
    fn a_document_is_named_by_its_title_or_a_distinctive_part() {
        let names = title_names("NATO Policy for the Protection of Civilians");
        assert_eq!(names[1].0, "Policy for the Protection of Civilians");
        let hay = normalise("Iraq’s National Policy for the Protection of Civilians and NATO’s 2016 Policy for the Protection of Civilians");
        let at = whole_word_matches(&hay, &normalise(&names[1].0));
        assert_eq!(at.len(), 2);
        assert!(!names_the_document(&hay, at[0], &names[1].1));
        assert!(names_the_document(&hay, at[1], &names[1].1));
        assert!(title_names("Civilian harm response").is_empty());
        let acr = [("PoC".to_string(), "Protection of Civilians".to_string(), 0)];
        assert_eq!(
            acronym_names("NATO Policy for the Protection of Civilians", &acr),
            ["PoC policy"]
        );
    }

    #[test]
    fn line_starts_that_would_become_markdown_blocks_are_escaped() {
        assert_eq!(escape_line_start("# not a heading"), "\\# not a heading");
        assert_eq!(escape_line_start("1. not a list"), "1\\. not a list");
        assert_eq!(escape_line_start("+31 (0)30"), "+31 (0)30");
        assert_eq!(escape_line_start("2022 was a year"), "2022 was a year");
    }

    #[test]
    fn note_references_and_word_lists() {
        assert_eq!(refs_in("a[^1] b[^23] c[^x] [^4"), [1, 23]);
        assert_eq!(
            list_words(&["1".into(), "2".into(), "3".into()]),
            "1, 2 and 3"
        );
        assert_eq!(list_words(&["7".into()]), "7");
    }

    #[test]
    fn a_clause_is_cut_out_of_an_enumeration() {
        let s = "It has four parts: seeing (A); acting on harm (B, key); and helping (C).";
        assert_eq!(
            clause_with(s, "acting on harm"),
            "… acting on harm (B, key) …"
        );
        assert_eq!(clause_with(s, "nothing"), s);
    }

    #[test]
    fn a_label_sentence_is_quoted_with_the_next() {
        let p = "Building Integrity (BI). While separate, it is connected. Other.";
        let has = |s: &str| s.contains("(BI)");
        assert_eq!(
            quote_sentence(p, &has),
            "Building Integrity (BI). While separate, it is connected."
        );
    }
}

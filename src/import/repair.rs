//! Repairs the PDF artefacts of a chapter and turns its blocks into items.
//!
//! The rules, each general and tested on small inputs below:
//! - footnote text blocks (lines starting with the next expected note number,
//!   plain or superscript) are taken out of the flow and kept as notes;
//! - a paragraph that does not end like a sentence is joined to the next
//!   paragraph, whatever case that starts with and whatever notes stood
//!   between them (a page break cut it);
//! - a word hyphenated across the break is rejoined, keeping the hyphen only
//!   when the document itself writes the word with one;
//! - bold markup closed before the break and reopened after it is merged;
//! - a block that starts in lowercase after a finished paragraph was displaced
//!   by the PDF's column order: it goes after the next unfinished paragraph
//!   (the one whose sentence it completes);
//! - superscript markers become `[^n]` references.

use super::blocks::Block;
use super::text;
use std::collections::BTreeMap;

/// One piece of a chapter's body after repair.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Item {
    /// A paragraph (markdown inline text).
    Para {
        /// The text.
        text: String,
        /// Seed line it starts on.
        line: usize,
    },
    /// A sub-heading inside the chapter.
    Heading {
        /// The heading text.
        text: String,
        /// Seed line.
        line: usize,
        /// Markdown level: 2 for a section of the chapter, 3 for one of
        /// its subsections and so on (numbered headings say which).
        level: usize,
    },
    /// A bullet list.
    List {
        /// One string per item, without the bullet.
        items: Vec<String>,
        /// Seed line of the first item.
        line: usize,
    },
    /// A quotation from another document.
    Quote {
        /// The quoted text.
        text: String,
        /// Seed line.
        line: usize,
    },
    /// A photo's caption whose photo the extraction lost: it is left as
    /// the photo's credit.
    Credit {
        /// The caption text, without the sign pointing at the photo.
        text: String,
        /// Seed line.
        line: usize,
    },
}

impl Item {
    /// Seed line the item starts on.
    pub fn line(&self) -> usize {
        match self {
            Item::Para { line, .. }
            | Item::Heading { line, .. }
            | Item::List { line, .. }
            | Item::Quote { line, .. }
            | Item::Credit { line, .. } => *line,
        }
    }
}

/// A footnote's text and where it stood.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Note {
    /// The note's text (markdown inline).
    pub text: String,
    /// Seed line.
    pub line: usize,
}

/// A repaired chapter body.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Body {
    /// Items in reading order.
    pub items: Vec<Item>,
    /// Notes by number.
    pub notes: BTreeMap<u32, Note>,
}

/// A bullet line: `- text`, `• text` or `* text`.
fn bullet(line: &str) -> Option<&str> {
    let l = line.trim_start();
    ["- ", "• ", "* ", "– "]
        .iter()
        .find_map(|b| l.strip_prefix(b))
        .map(str::trim)
}

/// Words a heading does not end on, but a line cut mid-sentence often does.
const FUNCTION_WORDS: [&str; 24] = [
    "a", "an", "the", "of", "and", "or", "to", "in", "for", "with", "on", "at", "by", "from", "as",
    "that", "which", "would", "be", "is", "are", "its", "their", "but",
];

/// A sub-heading: one short line starting with a capital that does not end
/// like a sentence or a clause, on a function word, or carry a note marker.
/// (Whether the next block continues it is checked by the caller.)
pub fn is_subheading(block: &Block) -> bool {
    block.lines.len() == 1 && heading_words(block.lines[0].trim(), 2)
}

/// Whether `l` reads as a heading's words: `min_words` to 16 words, a capital
/// first, no sentence or clause end, no note marker, no bullet, no tab, and
/// not ending on a function word.
fn heading_words(l: &str, min_words: usize) -> bool {
    let n = text::word_count(l);
    (min_words..=16).contains(&n)
        && l.starts_with(char::is_uppercase)
        && !l.ends_with(['.', ',', ';', ':', '!', '-'])
        && !l.chars().any(|c| text::superscript_digit(c).is_some())
        && bullet(l).is_none()
        && !l.contains('\t')
        && !l
            .rsplit(' ')
            .next()
            .is_some_and(|w| FUNCTION_WORDS.contains(&w.to_lowercase().as_str()))
}

/// A numbered sub-heading of chapter `chapter` (`2.1 Scope`, `2.1. Scope`,
/// `2.1.3 Data sources` in chapter 2): its markdown level, 2 for `2.1`, 3
/// for `2.1.3` and at most 4. The first number must be the chapter's, so
/// that a figure such as `1.5 Million` starting a line elsewhere is text.
pub fn numbered_subheading(block: &Block, chapter: u32) -> Option<usize> {
    if block.lines.len() != 1 {
        return None;
    }
    let (number, title) = block.lines[0].trim().split_once(' ')?;
    let number = number.strip_suffix('.').unwrap_or(number);
    let parts: Vec<&str> = number.split('.').collect();
    let numeric = |p: &&str| (1..=3).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_digit());
    if parts.len() < 2 || !parts.iter().all(numeric) || parts[0].parse::<u32>().ok()? != chapter {
        return None;
    }
    heading_words(title.trim(), 1).then_some(parts.len().min(4))
}

/// A quotation: the extraction loses the indentation, but editorial brackets
/// (`[The] concept`, `[...]`) only occur in quoted text.
fn is_quote(text: &str) -> bool {
    text.contains("[...]")
        || text.contains("[…]")
        || (text.starts_with('[') && text[1..].find(']').is_some_and(|i| i > 0 && i < 20))
}

/// A photo's caption left without its photo: a paragraph opening with one
/// of the decomposition's `photo_captions` (compared without emphasis, so
/// `▲ **Photo:**` is `▲ Photo:`). Returned without the signs before its
/// first word (`▲`, `►`), which point at the photo the text does not have.
fn photo_caption(text: &str, captions: &[String]) -> Option<String> {
    let bare = |s: &str| s.replace(['*', '_'], "");
    let t = bare(text);
    let t = t.trim_start();
    if !captions
        .iter()
        .any(|c| !c.trim().is_empty() && t.starts_with(bare(c).trim()))
    {
        return None;
    }
    let caption = text.trim_start_matches(|c: char| {
        c.is_whitespace() || !(c.is_alphanumeric() || "*_([\"'“‘".contains(c))
    });
    Some(caption.to_string())
}

/// Classifies the blocks of a chapter. `next_note` is the number the next
/// footnote must carry; it runs across chapters.
pub fn classify(
    blocks: &[Block],
    chapter: u32,
    next_note: &mut u32,
    captions: &[String],
) -> (Vec<Item>, BTreeMap<u32, Note>) {
    let mut items = Vec::new();
    let mut notes: BTreeMap<u32, Note> = BTreeMap::new();
    for (bi, block) in blocks.iter().enumerate() {
        if starts_note(&block.lines[0], *next_note) {
            let mut current: Option<u32> = None;
            for (k, line) in block.lines.iter().enumerate() {
                match text::leading_number(line) {
                    Some((n, rest)) if n == *next_note => {
                        notes.insert(
                            n,
                            Note {
                                text: rest.to_string(),
                                line: block.line + k,
                            },
                        );
                        current = Some(n);
                        *next_note += 1;
                    }
                    _ => {
                        // The extraction wraps long notes onto further lines.
                        if let Some(note) = current.and_then(|n| notes.get_mut(&n)) {
                            note.text = join_parts(&note.text, line.trim(), "");
                        }
                    }
                }
            }
            continue;
        }
        if block.lines.iter().all(|l| bullet(l).is_some()) {
            items.push(Item::List {
                items: block
                    .lines
                    .iter()
                    .map(|l| bullet(l).unwrap_or_default().to_string())
                    .collect(),
                line: block.line,
            });
            continue;
        }
        // A heading-like line is the first part of a cut paragraph, not a
        // heading, when the next text block starts in lowercase; and a
        // "heading" with no text under it (only notes or a photo caption
        // before the next chapter) is the end of a paragraph cut by a column.
        let next_text = blocks[bi + 1..]
            .iter()
            .find(|b| text::leading_number(&b.lines[0]).is_none());
        let continued = next_text.is_none_or(|b| {
            text::starts_lowercase(&b.lines[0]) || photo_caption(&b.lines[0], captions).is_some()
        });
        // A number such as `2.1` says it is a heading, and which level.
        let level = numbered_subheading(block, chapter)
            .or_else(|| (is_subheading(block) && !continued).then_some(2));
        if let Some(level) = level {
            items.push(Item::Heading {
                text: block.lines[0].trim().to_string(),
                line: block.line,
                level,
            });
            continue;
        }
        let mut para = String::new();
        for l in &block.lines {
            para = if para.is_empty() {
                l.trim().to_string()
            } else {
                join_parts(&para, l.trim(), "")
            };
        }
        if let Some(caption) = photo_caption(&para, captions) {
            items.push(Item::Credit {
                text: caption,
                line: block.line,
            });
        } else if is_quote(&para) {
            items.push(Item::Quote {
                text: para,
                line: block.line,
            });
        } else {
            items.push(Item::Para {
                text: para,
                line: block.line,
            });
        }
    }
    (items, notes)
}

/// Whether `line` opens a footnote block: the expected number, a space, and
/// text that does not start in lowercase (body text never starts with a bare
/// number followed by a capital in this position).
fn starts_note(line: &str, expected: u32) -> bool {
    match text::leading_number(line) {
        Some((n, rest)) => n == expected && !text::starts_lowercase(rest) && !rest.is_empty(),
        None => false,
    }
}

/// Joins two parts of a paragraph cut by a break. `document` is the whole
/// seed, consulted to decide whether a hyphen at the break is part of the
/// word (`NATO-level`) or only marks the break (`imple-mentation`).
pub fn join_parts(a: &str, b: &str, document: &str) -> String {
    let a = a.trim_end();
    let b = b.trim_start();
    // Bold closed at the break and reopened after it: one bold span.
    if let (Some(a2), Some(b2)) = (a.strip_suffix("**"), b.strip_prefix("**")) {
        if !a2.ends_with('*') && !b2.starts_with('*') {
            return join_parts(a2, b2, document);
        }
    }
    if let Some(stem) = a.strip_suffix('-') {
        let before = stem.chars().last();
        let after = b.chars().next();
        if before.is_some_and(char::is_alphabetic) && after.is_some_and(char::is_alphabetic) {
            let left = last_word(stem);
            let right = first_word(b);
            return if keep_hyphen(left, right, document) {
                format!("{a}{b}")
            } else {
                format!("{stem}{b}")
            };
        }
    }
    format!("{a} {b}")
}

fn last_word(s: &str) -> &str {
    let start = s
        .char_indices()
        .rev()
        .find(|&(_, c)| !c.is_alphanumeric() && c != '-')
        .map_or(0, |(i, c)| i + c.len_utf8());
    &s[start..]
}

fn first_word(s: &str) -> &str {
    let end = s
        .char_indices()
        .find(|&(_, c)| !c.is_alphanumeric())
        .map_or(s.len(), |(i, _)| i);
    &s[..end]
}

/// Keep the hyphen when the document writes `left-right` elsewhere, drop it
/// when it writes `leftright`; otherwise keep it for capitalised or acronym
/// parts (`NATO-level`, `post-Cold`) and drop it between lowercase parts.
fn keep_hyphen(left: &str, right: &str, document: &str) -> bool {
    let doc = document.to_lowercase();
    let (l, r) = (left.to_lowercase(), right.to_lowercase());
    if !l.is_empty() && !r.is_empty() {
        if doc.contains(&format!("{l}-{r}")) {
            return true;
        }
        if contains_word(&doc, &format!("{l}{r}")) {
            return false;
        }
    }
    left.chars().any(char::is_uppercase) || right.chars().any(char::is_uppercase)
}

fn contains_word(haystack: &str, word: &str) -> bool {
    haystack.match_indices(word).any(|(i, _)| {
        let before = haystack[..i].chars().last();
        let after = haystack[i + word.len()..].chars().next();
        !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric)
    })
}

/// Joins paragraphs cut by page breaks: an unfinished paragraph takes the
/// next paragraph in the flow (notes were already taken out) unless that one
/// is a displaced fragment handled by [`place_displaced`].
pub fn join_breaks(items: Vec<Item>, document: &str) -> Vec<Item> {
    let mut out: Vec<Item> = Vec::new();
    for item in items {
        if let Item::Para { text: next, .. } = &item {
            if let Some(Item::Para { text: prev, .. }) = out.last_mut() {
                if !text::ends_complete(prev) {
                    *prev = join_parts(prev, next, document);
                    continue;
                }
            }
        }
        out.push(item);
    }
    out
}

/// Puts fragments displaced by the PDF's column order back: a paragraph that
/// starts in lowercase although the one before it is finished is appended to
/// the next unfinished paragraph after it (or, failing that, the nearest
/// unfinished one before it). Left in place when there is none.
pub fn place_displaced(mut items: Vec<Item>, document: &str) -> Vec<Item> {
    let mut i = 0;
    while i < items.len() {
        let displaced = match (&items[i], i.checked_sub(1).map(|p| &items[p])) {
            (Item::Para { text: t, .. }, prev) => {
                text::starts_lowercase(t)
                    && match prev {
                        Some(Item::Para { text: p, .. }) => text::ends_complete(p),
                        _ => true,
                    }
            }
            _ => false,
        };
        if !displaced {
            i += 1;
            continue;
        }
        let unfinished =
            |it: &Item| matches!(it, Item::Para { text, .. } if !text::ends_complete(text));
        let target = (i + 1..items.len())
            .find(|&j| unfinished(&items[j]))
            .or_else(|| (0..i).rev().find(|&j| unfinished(&items[j])));
        let Some(target) = target else {
            i += 1;
            continue;
        };
        let Item::Para { text: fragment, .. } = items.remove(i) else {
            unreachable!("checked above")
        };
        let target = if target > i { target - 1 } else { target };
        if let Item::Para { text, .. } = &mut items[target] {
            *text = join_parts(text, &fragment, document);
        }
        // Do not advance: a new item now stands at `i`.
    }
    items
}

/// Makes the seed's link syntax inert and converts superscript markers to
/// `[^n]` in every item.
pub fn convert_all_markers(items: &mut [Item]) {
    let md = |t: &str| text::convert_markers(&text::inert_links(t));
    for item in items {
        match item {
            Item::Para { text, .. }
            | Item::Quote { text, .. }
            | Item::Credit { text, .. }
            | Item::Heading { text, .. } => *text = md(text),
            Item::List { items, .. } => {
                for t in items {
                    *t = md(t);
                }
            }
        }
    }
}

/// All repairs, in order, on the blocks of chapter number `chapter`;
/// `captions` are the words that open a photo's caption.
pub fn repair(
    blocks: &[Block],
    chapter: u32,
    next_note: &mut u32,
    document: &str,
    captions: &[String],
) -> Body {
    let (items, mut notes) = classify(blocks, chapter, next_note, captions);
    // Notes get their markers converted after the importer links them.
    for note in notes.values_mut() {
        note.text = text::inert_links(&note.text);
    }
    let items = join_breaks(items, document);
    let mut items = place_displaced(items, document);
    convert_all_markers(&mut items);
    Body { items, notes }
}

#[cfg(test)]
mod tests {
    use super::super::blocks::split_blocks;
    use super::*;

    fn paras(body: &Body) -> Vec<String> {
        body.items
            .iter()
            .filter_map(|i| match i {
                Item::Para { text, .. } => Some(text.clone()),
                _ => None,
            })
            .collect()
    }

    fn run(text: &str) -> Body {
        let mut n = 1;
        repair(&split_blocks(text), 1, &mut n, text, &["▲ Photo:".into()])
    }

    #[test]
    fn joins_a_break_before_lowercase() {
        let b = run("The report would put\n\nits people at risk. Done.\n");
        assert_eq!(
            paras(&b),
            ["The report would put its people at risk. Done."]
        );
    }

    #[test]
    fn joins_a_break_before_a_capital() {
        let b = run("Including the\n\nNATO Force Structure helps.\n");
        assert_eq!(paras(&b), ["Including the NATO Force Structure helps."]);
    }

    #[test]
    fn joins_across_interleaved_note_blocks() {
        let b = run("One.¹ This is seen as applicable\n\n1 A note.\n\n2 Another note.\n\nprimarily to wars.² Next.\n");
        assert_eq!(
            paras(&b),
            ["One.[^1] This is seen as applicable primarily to wars.[^2] Next."]
        );
        assert_eq!(b.notes[&1].text, "A note.");
        assert_eq!(b.notes[&2].text, "Another note.");
    }

    #[test]
    fn superscript_numbered_notes_and_several_per_block() {
        let b = run("Text.¹ More.²\n\n¹ First.\n² Second\ncontinued.\n");
        assert_eq!(b.notes.len(), 2);
        assert_eq!(b.notes[&2].text, "Second continued.");
        assert_eq!(paras(&b), ["Text.[^1] More.[^2]"]);
    }

    #[test]
    fn a_number_out_of_sequence_is_body_text() {
        let b = run("Text.¹\n\n7 Dwarfs were there.\n");
        assert!(b.notes.is_empty());
        assert_eq!(paras(&b).len(), 2);
    }

    #[test]
    fn rejoins_hyphenated_words() {
        let doc = "Both NATO-level work and implementation.";
        assert_eq!(
            join_parts("as NATO-", "level harm", doc),
            "as NATO-level harm"
        );
        assert_eq!(
            join_parts("the imple-", "mentation of", doc),
            "the implementation of"
        );
        // No evidence in the document: lowercase parts lose the hyphen,
        // capitalised parts keep it.
        assert_eq!(join_parts("a deter-", "rent", ""), "a deterrent");
        assert_eq!(join_parts("post-", "Cold War", ""), "post-Cold War");
        // A dash with spaces is not a hyphenation.
        assert_eq!(join_parts("this –", "that", ""), "this – that");
        let b = run("harm tracking as well as NATO-\n\n1 Note.\n\nlevel processes.¹\n");
        assert_eq!(
            paras(&b),
            ["harm tracking as well as NATO-level processes.[^1]"]
        );
    }

    #[test]
    fn bold_spanning_the_break_stays_one_span() {
        assert_eq!(
            join_parts("we **must act", "now** today.", ""),
            "we **must act now** today."
        );
        assert_eq!(
            join_parts("we **must act**", "**now.** Yes", ""),
            "we **must act now.** Yes"
        );
        let b = run("Some **development – understanding and mitigating**\n\n1 Note.\n\nharm – is ongoing.\n");
        assert_eq!(
            paras(&b),
            ["Some **development – understanding and mitigating** harm – is ongoing."]
        );
    }

    #[test]
    fn displaced_fragment_goes_after_the_paragraph_it_completes() {
        let text = "First finished paragraph.\n\na comprehensive set of approaches.⁵⁰\n\nA heading here\n\nStates could develop\n\n⁵⁰ Interviews 1, 2.\n\n▲ **Photo:** A caption.\n";
        let mut n = 50;
        let b = repair(&split_blocks(text), 1, &mut n, text, &["▲ Photo:".into()]);
        assert_eq!(
            paras(&b),
            [
                "First finished paragraph.",
                "States could develop a comprehensive set of approaches.[^50]"
            ]
        );
        assert!(matches!(b.items[1], Item::Heading { .. }));
        assert_eq!(b.notes[&50].text, "Interviews 1, 2.");
    }

    #[test]
    fn a_fragment_with_no_unfinished_paragraph_stays() {
        let b = run("Finished.\n\nlowercase start but nothing to complete.\n");
        assert_eq!(paras(&b).len(), 2);
    }

    #[test]
    fn lists_quotes_figures_and_headings_are_recognised() {
        let b = run("Intro:\n\n- **A.** one\n- **B.** two\n\nA short heading\n\n[The] concept [...] is quoted.¹\n\n▲ **Photo:** A soldier.\n");
        assert!(
            matches!(&b.items[1], Item::List { items, .. } if items == &["**A.** one", "**B.** two"])
        );
        assert!(matches!(&b.items[2], Item::Heading { text, .. } if text == "A short heading"));
        assert!(matches!(&b.items[3], Item::Quote { text, .. } if text.ends_with("quoted.[^1]")));
        assert!(
            matches!(&b.items[4], Item::Credit { text, .. } if text == "**Photo:** A soldier.")
        );
    }

    #[test]
    fn a_caption_is_known_by_the_words_the_decomposition_gives() {
        let text = "Text.\n\n► *Image:* A tank (source: X).\n\nImage: not a caption here.\n";
        let mut n = 1;
        let b = repair(&split_blocks(text), 1, &mut n, text, &["► Image:".into()]);
        assert!(
            matches!(&b.items[1], Item::Credit { text, .. } if text == "*Image:* A tank (source: X).")
        );
        assert!(matches!(&b.items[2], Item::Para { .. }));
        // Without the words, a caption is a paragraph like any other.
        let b = repair(&split_blocks(text), 1, &mut 1, text, &[]);
        assert!(b.items.iter().all(|i| matches!(i, Item::Para { .. })));
    }

    /// Each heading of a repaired body as its markdown prefix and text.
    fn headings(body: &Body) -> Vec<String> {
        body.items
            .iter()
            .filter_map(|i| match i {
                Item::Heading { text, level, .. } => Some(format!("{} {text}", "#".repeat(*level))),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn numbered_sub_headings_are_sections_at_their_level() {
        let text = "Intro text here.\n\n1.1 Scope\n\nThe scope is narrow.\n\n1.1.1. What is left out\n\nmuch, as it happens.\n\n1.2. Sources and data\n\nWe read things.\n\n2.1 Not this chapter\n\nText.\n\n1.5 Million people left.\n\nAn unnumbered heading\n\nMore text.\n";
        let b = run(text);
        assert_eq!(
            headings(&b),
            [
                "## 1.1 Scope",
                "### 1.1.1. What is left out",
                "## 1.2. Sources and data",
                "## An unnumbered heading"
            ]
        );
        assert!(
            paras(&b)
                .iter()
                .any(|p| p.starts_with("2.1 Not this chapter")),
            "{:?}",
            paras(&b)
        );
        assert!(paras(&b).contains(&"1.5 Million people left.".to_string()));
    }
}

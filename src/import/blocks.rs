//! Text → blocks → document parts.
//!
//! The extraction gives one paragraph per line and separates blocks with blank
//! lines. This stage finds the numbered chapter headings (the skeleton every
//! other stage hangs on), cuts the text into front matter, chapters and back
//! matter, and reads the front matter: title page, credits, labelled sections
//! and the list of acronyms (tab-, dash-, colon- or space-separated). It only
//! reads structure; repairing the text is `repair`'s job.

/// A run of non-blank lines, with the 1-based line it starts on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Block {
    /// Line number of the first line in the seed.
    pub line: usize,
    /// The lines, right-trimmed.
    pub lines: Vec<String>,
}

impl Block {
    /// The lines joined with spaces.
    pub fn text(&self) -> String {
        self.lines.join(" ")
    }
}

/// Splits `text` into blocks at blank lines.
pub fn split_blocks(text: &str) -> Vec<Block> {
    let mut blocks = Vec::new();
    let mut current: Option<Block> = None;
    for (i, raw) in text.lines().enumerate() {
        let line = raw.trim_end();
        if line.trim().is_empty() {
            if let Some(b) = current.take() {
                blocks.push(b);
            }
            continue;
        }
        current
            .get_or_insert_with(|| Block {
                line: i + 1,
                lines: Vec::new(),
            })
            .lines
            .push(line.to_string());
    }
    blocks.extend(current);
    blocks
}

/// One numbered chapter with its raw blocks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawChapter {
    /// The chapter number as printed.
    pub number: u32,
    /// The heading text without the number.
    pub title: String,
    /// Line of the heading.
    pub line: usize,
    /// Everything up to the next chapter heading or the back matter.
    pub blocks: Vec<Block>,
}

/// The seed cut into its three parts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Parts {
    /// Blocks before the first chapter heading.
    pub front: Vec<Block>,
    /// The chapters, in order.
    pub chapters: Vec<RawChapter>,
    /// Blocks from the back-matter marker on (back cover, address).
    pub back: Vec<Block>,
}

/// A chapter heading: `N. Title`, one line, a title that starts with a
/// capital and does not end like a sentence, and no tab (a tab followed by a
/// page number is a line of the contents list).
pub fn chapter_heading(block: &Block) -> Option<(u32, String)> {
    if block.lines.len() != 1 {
        return None;
    }
    let line = block.lines[0].trim();
    if line.contains('\t') {
        return None;
    }
    let dot = line.find(". ")?;
    let number: u32 = line[..dot].parse().ok()?;
    let title = line[dot + 2..].trim();
    let first = title.chars().next()?;
    if !first.is_uppercase() || crate::import::text::word_count(title) > 20 || title.ends_with('.')
    {
        return None;
    }
    Some((number, title.to_string()))
}

/// Cuts the blocks into front matter, chapters and back matter. Chapter
/// numbers must run 1, 2, 3…; a numbered line out of sequence is text, not a
/// heading. `back_marker` is the start of the first back-matter block.
pub fn cut(blocks: Vec<Block>, back_marker: Option<&str>) -> Parts {
    let mut parts = Parts {
        front: Vec::new(),
        chapters: Vec::new(),
        back: Vec::new(),
    };
    let mut in_back = false;
    for block in blocks {
        if in_back {
            parts.back.push(block);
            continue;
        }
        if !parts.chapters.is_empty()
            && back_marker.is_some_and(|m| !m.is_empty() && block.lines[0].trim().starts_with(m))
        {
            in_back = true;
            parts.back.push(block);
            continue;
        }
        let expected = parts.chapters.len() as u32 + 1;
        match chapter_heading(&block) {
            Some((n, title)) if n == expected => parts.chapters.push(RawChapter {
                number: n,
                title,
                line: block.line,
                blocks: Vec::new(),
            }),
            _ => match parts.chapters.last_mut() {
                Some(ch) => ch.blocks.push(block),
                None => parts.front.push(block),
            },
        }
    }
    parts
}

/// The first chapter heading that comes again after its chapter began (the
/// text, or part of it, pasted in twice; out of sequence it is taken for
/// text): its line, the heading as printed, and the line of the first one.
pub fn repeated_heading(parts: &Parts) -> Option<(usize, String, usize)> {
    let later = parts
        .chapters
        .iter()
        .flat_map(|c| &c.blocks)
        .chain(&parts.back);
    later.into_iter().find_map(|b| {
        let (n, title) = chapter_heading(b)?;
        let first = parts
            .chapters
            .iter()
            .find(|c| c.number == n && c.title == title)?;
        Some((b.line, format!("{n}. {title}"), first.line))
    })
}

/// One entry of the list of acronyms.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AcronymEntry {
    /// The acronym as written (`PoC`, `C-SASE`).
    pub acronym: String,
    /// Its long form.
    pub expansion: String,
    /// Line in the seed.
    pub line: usize,
    /// What separates the two on that line, as named in warnings.
    pub separator: &'static str,
}

/// A line of the list of acronyms that could not be read as one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnreadAcronymLine {
    /// Line in the seed.
    pub line: usize,
    /// The line as written.
    pub text: String,
    /// The acronym, when the line is one alone with no long form after it.
    pub bare: Option<String>,
}

/// The separators a list of acronyms uses between an acronym and its long
/// form, most specific first, each with the name warnings give it. A tab is
/// what PDF extraction usually leaves; the others are typed by hand.
const ACRONYM_SEPARATORS: [(&str, &str); 7] = [
    ("\t", "a tab"),
    (" – ", "' – '"),
    (" — ", "' — '"),
    (" - ", "' - '"),
    (": ", "':'"),
    (":", "':'"),
    ("  ", "two or more spaces"),
];

/// `ACRONYM<sep>Long form`, where the separator is a tab, a dash between
/// spaces, a colon or a run of spaces: the acronym has at least two capitals
/// and no spaces; the long form is not a bare page number (that is a contents
/// line). Returns the acronym, the long form and the separator's name.
fn acronym_line(line: &str) -> Option<(String, String, &'static str)> {
    let line = line.trim();
    ACRONYM_SEPARATORS.iter().find_map(|&(sep, name)| {
        let (acr, rest) = line.split_once(sep)?;
        let acr = acr.trim();
        let expansion = rest.trim();
        (acronym_token(acr)
            && !expansion.is_empty()
            && !expansion.chars().all(|c| c.is_ascii_digit()))
        .then(|| (acr.to_string(), expansion.to_string(), name))
    })
}

/// Whether `word` can be an entry of the list of acronyms: no spaces, at
/// most twelve characters, at least two capitals.
fn acronym_token(word: &str) -> bool {
    let capitals = word.chars().filter(|c| c.is_uppercase()).count();
    !word.is_empty()
        && !word.contains(char::is_whitespace)
        && capitals >= 2
        && word.chars().count() <= 12
}

/// `ACRONYM Long form` with one space: an entry only inside a list whose
/// other lines are clearly entries, where it is a tab lost or typed as a
/// space (elsewhere it is any sentence starting with an acronym).
fn spaced_entry(line: &str) -> Option<(String, String, &'static str)> {
    let (acr, rest) = line.trim().split_once(' ')?;
    let rest = rest.trim();
    (acronym_token(acr) && !rest.is_empty() && !rest.chars().all(|c| c.is_ascii_digit()))
        .then(|| (acr.to_string(), rest.to_string(), "one space"))
}

/// Whether `block` is (part of) the list of acronyms: every line reads as an
/// entry, or at least two do and the others are entries with one space, lone
/// acronyms or fewer than half. Lines that are no entry (an acronym whose
/// long form was forgotten) are reported rather than turning the whole list
/// into about-page text.
fn acronym_block(block: &Block) -> bool {
    let all = block.lines.len();
    let read = block
        .lines
        .iter()
        .filter(|l| acronym_line(l).is_some())
        .count();
    let loose = block
        .lines
        .iter()
        .filter(|l| {
            acronym_line(l).or_else(|| spaced_entry(l)).is_some() || acronym_token(l.trim())
        })
        .count();
    read == all || (read >= 2 && (loose == all || read * 2 > all))
}

/// A line of the contents list: text, a tab, a page number.
fn contents_line(line: &str) -> bool {
    line.rsplit_once('\t').is_some_and(|(_, page)| {
        let page = page.trim();
        !page.is_empty() && page.chars().all(|c| c.is_ascii_digit())
    })
}

/// A labelled section of the front matter (`Disclaimer`, `Donor support`…).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FrontSection {
    /// The section heading as written.
    pub heading: String,
    /// Its blocks.
    pub blocks: Vec<Block>,
}

/// What the front matter says about the report.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Front {
    /// The report's title, emphasis markers removed.
    pub title: String,
    /// The date as printed (`July 2026`).
    pub date: Option<String>,
    /// The date as `YYYY-MM-01`.
    pub iso_date: Option<String>,
    /// The publisher named on the title page.
    pub publisher: Option<String>,
    /// `Label: value` credits (author, editor, design, cover photo).
    pub credits: Vec<(String, String)>,
    /// The labelled sections, contents and acronym list excluded.
    pub sections: Vec<FrontSection>,
    /// The list of acronyms.
    pub acronyms: Vec<AcronymEntry>,
    /// Line of the acronym list heading or first entry (0 if none).
    pub acronyms_line: usize,
    /// Lines inside the list of acronyms that are no entry.
    pub unread_acronym_lines: Vec<UnreadAcronymLine>,
}

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// `"July 2026"` → `"2026-07"`: no more precise than the report, which
/// names no day.
pub fn month_year(text: &str) -> Option<String> {
    let mut words = text.split_whitespace();
    let (m, y) = (words.next()?, words.next()?);
    if words.next().is_some() || y.len() != 4 || !y.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let month = MONTHS.iter().position(|&name| name == m)? + 1;
    Some(format!("{y}-{month:02}"))
}

/// A `Label: value` credit line (`Author: …`, `Cover photo: …`).
fn credit(line: &str) -> Option<(String, String)> {
    let (label, value) = line.split_once(": ")?;
    let words: Vec<&str> = label.split_whitespace().collect();
    if words.is_empty() || words.len() > 3 || !label.starts_with(char::is_uppercase) {
        return None;
    }
    if label.contains(['.', ',', '@']) {
        return None;
    }
    Some((label.trim().to_string(), value.trim().to_string()))
}

/// A front-matter section heading: one short line that does not end like a
/// sentence and is not a credit, address, contents or acronym line.
fn front_heading(block: &Block) -> bool {
    if block.lines.len() != 1 {
        return false;
    }
    let l = block.lines[0].trim();
    let n = crate::import::text::word_count(l);
    (1..=8).contains(&n)
        && l.starts_with(char::is_uppercase)
        && !l.ends_with(['.', ',', ';', ':', '!'])
        && !l.contains(['@', '\t', '©'])
        && !l.contains("www.")
        && credit(l).is_none()
        && month_year(l).is_none()
}

/// Reads the front matter. The title page is everything before the first
/// section heading that follows the title; the title is its longest block.
pub fn read_front(blocks: &[Block]) -> Front {
    let mut front = Front::default();
    // Title page: the date, a one-word publisher, the title.
    let mut i = 0;
    let mut title_found = false;
    while i < blocks.len() {
        let b = &blocks[i];
        let text = b.text();
        if front.iso_date.is_none() {
            if let Some(iso) = month_year(text.trim()) {
                front.date = Some(text.trim().to_string());
                front.iso_date = Some(iso);
                i += 1;
                continue;
            }
        }
        if !title_found && b.lines.len() == 1 && crate::import::text::word_count(&text) >= 4 {
            front.title = text.replace("**", "").trim().to_string();
            title_found = true;
            i += 1;
            break;
        }
        if !title_found && crate::import::text::word_count(&text) == 1 && front.publisher.is_none()
        {
            front.publisher = Some(text.trim().to_string());
        }
        i += 1;
    }
    if !title_found {
        i = 0;
    }
    let mut current: Option<FrontSection> = None;
    for b in &blocks[i..] {
        if acronym_block(b) {
            for (k, l) in b.lines.iter().enumerate() {
                // Inside the list, one space is a separator too (typed by
                // hand, or a tab lost); the mixed-separator warning shows it.
                let entry = acronym_line(l).or_else(|| spaced_entry(l));
                match entry {
                    Some((acronym, expansion, separator)) => front.acronyms.push(AcronymEntry {
                        acronym,
                        expansion,
                        line: b.line + k,
                        separator,
                    }),
                    None => front.unread_acronym_lines.push(UnreadAcronymLine {
                        line: b.line + k,
                        text: l.trim().to_string(),
                        bare: Some(l.trim())
                            .filter(|w| acronym_token(w))
                            .map(str::to_string),
                    }),
                }
            }
            if front.acronyms_line == 0 {
                front.acronyms_line = b.line;
            }
            // The heading above the list is not an about-page section.
            if current.as_ref().is_some_and(|s| s.blocks.is_empty()) {
                current = None;
            }
            continue;
        }
        if b.lines.iter().all(|l| contents_line(l)) {
            if current.as_ref().is_some_and(|s| s.blocks.is_empty()) {
                current = None;
            }
            continue;
        }
        if front_heading(b) {
            if let Some(s) = current.take() {
                front.sections.push(s);
            }
            current = Some(FrontSection {
                heading: b.lines[0].trim().to_string(),
                blocks: Vec::new(),
            });
            continue;
        }
        // Credits are read off, wherever they stand.
        if b.lines.iter().any(|l| credit(l).is_some())
            && b.lines
                .iter()
                .all(|l| credit(l).is_some() || l.trim_start().starts_with('('))
        {
            for l in &b.lines {
                match credit(l) {
                    Some(c) => front.credits.push(c),
                    None => {
                        if let Some(last) = front.credits.last_mut() {
                            last.1 = format!("{} {}", last.1, l.trim());
                        }
                    }
                }
            }
            continue;
        }
        match current.as_mut() {
            Some(s) => s.blocks.push(b.clone()),
            None => front.sections.push(FrontSection {
                heading: String::new(),
                blocks: vec![b.clone()],
            }),
        }
    }
    if let Some(s) = current {
        front.sections.push(s);
    }
    front
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_split_at_blank_lines_and_keep_line_numbers() {
        let b = split_blocks("\n\na\nb\n\n  \nc\n");
        assert_eq!(b.len(), 2);
        assert_eq!(b[0].line, 3);
        assert_eq!(b[0].lines, ["a", "b"]);
        assert_eq!(b[1].line, 7);
    }

    #[test]
    fn chapter_headings_run_in_sequence_and_skip_contents_lines() {
        let text = "Contents\n\n1. Intro\t5\n\n1. Intro\n\nText.\n\n3. Not next\n\n2. Second\n\nMore.\n\nThe End.\n\nAddress\n";
        let parts = cut(split_blocks(text), Some("The End."));
        assert_eq!(parts.chapters.len(), 2);
        assert_eq!(parts.chapters[0].title, "Intro");
        assert_eq!(parts.chapters[0].blocks.len(), 2, "'3. Not next' is text");
        assert_eq!(parts.front.len(), 2);
        assert_eq!(parts.back.len(), 2);
    }

    #[test]
    fn front_matter_reads_title_credits_sections_and_acronyms() {
        let text = "May 2025\n\nACME\n\nA long **report** title here\n\nColophon\n\nAuthor: Jo Doe\n(consultant)\nEditor: Al\n\nDisclaimer\n\nViews are ours.\n\nContents\n\n1. Intro\t3\n\nList of acronyms\n\nUN\tUnited Nations\nPoC\tProtection of Civilians\n";
        let f = read_front(&split_blocks(text));
        assert_eq!(f.title, "A long report title here");
        assert_eq!(f.iso_date.as_deref(), Some("2025-05"));
        assert_eq!(f.publisher.as_deref(), Some("ACME"));
        assert_eq!(
            f.credits,
            vec![
                ("Author".into(), "Jo Doe (consultant)".into()),
                ("Editor".into(), "Al".into())
            ]
        );
        let headings: Vec<_> = f.sections.iter().map(|s| s.heading.as_str()).collect();
        assert_eq!(headings, ["Colophon", "Disclaimer"]);
        assert_eq!(f.acronyms.len(), 2);
        assert_eq!(f.acronyms[1].acronym, "PoC");
        assert_eq!(f.acronyms[1].line, 24);
    }

    /// The front matter of a synthetic report whose list of acronyms is
    /// `list` (one entry a line).
    fn front_with_list(list: &str) -> Front {
        let text = format!("May 2025\n\nACME\n\nA long report title here\n\nList of acronyms\n\n{list}\n\nDisclaimer\n\nViews are ours.\n");
        read_front(&split_blocks(&text))
    }

    fn entries(f: &Front) -> Vec<(&str, &str)> {
        f.acronyms
            .iter()
            .map(|a| (a.acronym.as_str(), a.expansion.as_str()))
            .collect()
    }

    #[test]
    fn acronym_lists_are_read_whatever_their_separator() {
        let expect = [("UN", "United Nations"), ("PoC", "Protection of Civilians")];
        for list in [
            "UN  United Nations\nPoC     Protection of Civilians",
            "UN – United Nations\nPoC – Protection of Civilians",
            "UN - United Nations\nPoC - Protection of Civilians",
            "UN: United Nations\nPoC: Protection of Civilians",
            "UN:United Nations\nPoC:Protection of Civilians",
            "UN\tUnited Nations\nPoC\tProtection of Civilians",
        ] {
            let f = front_with_list(list);
            assert_eq!(entries(&f), expect, "{list:?}");
            assert!(f.unread_acronym_lines.is_empty(), "{list:?}");
            // The list is no about-page section, its heading neither.
            let headings: Vec<_> = f.sections.iter().map(|s| s.heading.as_str()).collect();
            assert_eq!(headings, ["Disclaimer"], "{list:?}");
        }
        // A hyphen inside the acronym or a dash inside the long form is no
        // separator; credits and contents lines are no entries.
        let f = front_with_list("C-SASE – Contributing to a Safe – and Secure Environment\nWPS: Women, Peace and Security");
        assert_eq!(
            entries(&f),
            [
                ("C-SASE", "Contributing to a Safe – and Secure Environment"),
                ("WPS", "Women, Peace and Security")
            ]
        );
        assert_eq!(acronym_line("Author: Jo Doe"), None);
        assert_eq!(acronym_line("List of acronyms\t4"), None);
        assert_eq!(acronym_line("UN\t12"), None);
    }

    #[test]
    fn a_list_entry_without_long_form_is_kept_apart_and_the_rest_read() {
        let f = front_with_list(
            "UN\tUnited Nations\nBI\nPoC\tProtection of Civilians\nUK United Kingdom",
        );
        assert_eq!(
            entries(&f),
            [
                ("UN", "United Nations"),
                ("PoC", "Protection of Civilians"),
                ("UK", "United Kingdom")
            ]
        );
        assert_eq!(f.acronyms[2].separator, "one space");
        assert_eq!(
            f.unread_acronym_lines,
            [UnreadAcronymLine {
                line: 10,
                text: "BI".into(),
                bare: Some("BI".into())
            }]
        );
    }
}

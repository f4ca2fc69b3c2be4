//! The evidence behind the claims: cited documents and interviews, read from
//! the footnotes.
//!
//! A note is split into citations at semicolons outside quoted titles. A
//! citation's document is its quoted title (curly or straight quotes, nested
//! quotes allowed, a missing opening quote tolerated), else its italic title,
//! else a leading all-capitalised name (`NATO Strategic Concept, …`). The same
//! title cited in long or short form is one source. Interviews are cited as
//! `Interview 5` or `interviews 1, 6, 12`.

use crate::slug::slugify;
use std::collections::BTreeMap;

/// One place a note cites a document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Citation {
    /// The note's number.
    pub note: u32,
    /// Byte range of the title as written (quotes included) in the note text.
    pub span: (usize, usize),
    /// The citation as written (the note text between semicolons).
    pub segment: String,
    /// The dedup key of the document.
    pub key: String,
    /// The document's title.
    pub title: String,
}

/// One cited document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Source {
    /// The dedup key (slug of the title).
    pub key: String,
    /// File stem.
    pub slug: String,
    /// The title, quotes and trailing punctuation removed.
    pub title: String,
    /// The fullest citation of it.
    pub long_form: String,
    /// Other forms it is cited in.
    pub other_forms: Vec<String>,
    /// Notes citing it, ascending.
    pub notes: Vec<u32>,
    /// The year of publication, when a citation gives one.
    pub year: Option<String>,
}

/// Dedup key of a title: lowercase words.
fn key(title: &str) -> String {
    slugify(title)
}

/// Byte spans of quoted titles in `s`, quotes included.
fn quoted_spans(s: &str) -> Vec<(usize, usize)> {
    let chars: Vec<(usize, char)> = s.char_indices().collect();
    let mut spans = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let (start, c) = chars[i];
        let prev = i.checked_sub(1).map(|p| chars[p].1);
        let next = chars.get(i + 1).map(|&(_, c)| c);
        let opens = (prev.is_none() || prev.is_some_and(|p| p.is_whitespace() || p == '('))
            && next.is_some_and(|n| !n.is_whitespace());
        if opens && (c == '‘' || c == '\'') {
            let mut depth = 1;
            let mut j = i + 1;
            let mut end = None;
            while j < chars.len() {
                let (pos, d) = chars[j];
                let p = chars[j - 1].1;
                let n = chars.get(j + 1).map(|&(_, c)| c);
                let closes = !p.is_whitespace() && !n.is_some_and(char::is_alphanumeric);
                if c == '‘' && d == '‘' && p.is_whitespace() {
                    depth += 1;
                } else if d == if c == '‘' { '’' } else { '\'' } && closes {
                    depth -= 1;
                    if depth == 0 {
                        end = Some(pos + d.len_utf8());
                        break;
                    }
                }
                j += 1;
            }
            if let Some(end) = end {
                spans.push((start, end));
                i = j + 1;
                continue;
            }
        }
        i += 1;
    }
    spans
}

/// The title inside a quoted or italic span.
fn title_of(span_text: &str) -> String {
    span_text
        .trim_matches(|c: char| matches!(c, '‘' | '’' | '\'' | '*'))
        .trim_end_matches([',', '.', ' '])
        .trim()
        .to_string()
}

/// An italic title: `*Two Or More Words*`, capitalised, standing where a
/// citation puts its title (segment start or after `, ` / `. `).
fn italic_span(seg: &str, offset: usize) -> Option<(usize, usize)> {
    let bytes = seg.as_bytes();
    let mut i = 0;
    while let Some(rel) = seg[i..].find('*') {
        let s = i + rel;
        if bytes.get(s + 1) == Some(&b'*') {
            i = s + 2;
            continue;
        }
        let e = s + 1 + seg[s + 1..].find('*')?;
        let inner = &seg[s + 1..e];
        let before = seg[..s].trim_end();
        let positioned = before.is_empty() || before.ends_with(',') || before.ends_with('.');
        if positioned
            && inner.starts_with(char::is_uppercase)
            && inner.split_whitespace().count() >= 2
        {
            return Some((offset + s, offset + e + 1));
        }
        i = e + 1;
    }
    None
}

/// A leading name up to the first comma whose words are all capitalised
/// (`NATO Strategic Concept, Preface …`).
fn leading_name(seg: &str, offset: usize) -> Option<(usize, usize)> {
    let lead_ws = seg.len() - seg.trim_start().len();
    let t = seg.trim_start();
    let comma = t.find(',')?;
    let name = &t[..comma];
    let words: Vec<&str> = name.split_whitespace().collect();
    if words.len() < 2
        || words.len() > 8
        || !words.iter().all(|w| w.starts_with(char::is_uppercase))
    {
        return None;
    }
    Some((offset + lead_ws, offset + lead_ws + comma))
}

/// A title whose opening quote the extraction lost: text from the segment
/// start to a `,’` or `,'` closing quote.
fn unopened_span(seg: &str, offset: usize) -> Option<(usize, usize)> {
    let lead_ws = seg.len() - seg.trim_start().len();
    let close = seg.find(",’").or_else(|| seg.find(",'"))?;
    let end = close + 1 + seg[close + 1..].chars().next()?.len_utf8();
    let words = seg[lead_ws..close].split_whitespace().count();
    (words >= 2 && seg[lead_ws..].starts_with(char::is_uppercase))
        .then_some((offset + lead_ws, offset + end))
}

/// Whether a quoted span stands where a citation puts a document's title:
/// at the start of the citation, after the author (`Author, ‘Title’`) or a
/// full stop, and capitalised. A quoted phrase inside a commentary sentence
/// (`referring to ‘zero-day integration’`) is not a document.
fn cited_position(before: &str, span: &str) -> bool {
    let b = before.trim_end();
    let positioned = b.is_empty() || b.ends_with([',', '.', ':']) || b.ends_with("See");
    let inner = span.trim_start_matches(['‘', '\'', '*']);
    positioned
        && inner
            .starts_with(|c: char| c.is_uppercase() || c.is_ascii_digit() || c == '"' || c == '“')
}

/// The sentence(s) of `text[s..e]` holding `span`: sentence ends inside
/// quoted titles or the span do not count, so `‘The Gap. Preserving…’`
/// stays whole while commentary after the citation is dropped.
///
/// ```text
/// 'A Title,' p. 14. These documents are not public.   → 'A Title,' p. 14.
/// 'A Chapter' In: Ed. *Book*. Some Press. Draft, 2026. → kept whole
/// ```
fn citation_text(
    text: &str,
    (s, e): (usize, usize),
    span: (usize, usize),
    spans: &[(usize, usize)],
) -> String {
    let inside = |i: usize| spans.iter().chain([&span]).any(|&(a, b)| a < i && i < b);
    let bytes = text.as_bytes();
    let mut start = s;
    let mut end = e;
    for i in s..e.saturating_sub(2) {
        if bytes[i] == b'.' && bytes[i + 1] == b' ' && !inside(i) {
            let next = text[i + 2..].chars().next();
            if next.is_some_and(char::is_uppercase) {
                if i < span.0 {
                    start = i + 2;
                } else if i >= span.1 && end == e {
                    // Commentary after the citation is cut; bibliographic
                    // detail (publisher, date) is kept: it carries a year and
                    // no further title.
                    let rest = &text[i + 2..e];
                    let another = spans.iter().any(|&(a, _)| a > i && a < e);
                    if another || year_after(rest, "").is_none() {
                        end = i + 1;
                    }
                }
            }
        }
    }
    // An interview cited after the title in the same segment
    // (`Author, ‘Title,’ interview 3`) is a citation of its own.
    if let Some(cut) = glued_interview(&text[span.1..end]) {
        end = span.1 + cut;
    }
    strip_signal(text[start..end].trim())
        .trim_end_matches([',', ';'])
        .trim()
        .to_string()
}

/// Words that introduce a citation rather than belong to it, longest
/// first so that `See for example` goes before `See`.
const SIGNALS: [&str; 10] = [
    "see, for example,",
    "see for example",
    "see, e.g.,",
    "see e.g.",
    "see also",
    "for example,",
    "e.g.,",
    "e.g.",
    "see",
    "cf.",
];

/// `citation` without a leading signal (`See for example Jo Roe, …` →
/// `Jo Roe, …`).
pub fn strip_signal(citation: &str) -> &str {
    let t = citation.trim_start();
    for sig in SIGNALS {
        let Some(head) = t.get(..sig.len()) else {
            continue;
        };
        let rest = &t[sig.len()..];
        // A whole word only: `Seeing Things` keeps its first word.
        if head.eq_ignore_ascii_case(sig) && rest.starts_with([' ', '\t']) {
            return rest.trim_start();
        }
    }
    t
}

/// Where `, interview 3` / `interviews 1, 2` starts in `tail`, if it does.
fn glued_interview(tail: &str) -> Option<usize> {
    let lower = tail.to_ascii_lowercase();
    lower.match_indices("interview").find_map(|(i, m)| {
        let word_start = lower[..i].ends_with([' ', ',']) || i == 0;
        let rest = lower[i + m.len()..].trim_start_matches('s');
        let numbered = rest
            .strip_prefix(' ')
            .is_some_and(|r| r.starts_with(|c: char| c.is_ascii_digit()));
        (word_start && numbered).then(|| lower[..i].trim_end_matches([' ', ',']).len())
    })
}

/// A part of a larger work: `‘Section,’ *Handbook*, Publisher 2026, para
/// 6.1` cites the handbook, located by paragraph or section, while
/// `‘Article,’ *Politico*, 13 March 2026` cites the article. Returns the end
/// of the italic title and the title, when the quoted span at `span` is such
/// a part; `end` bounds the citation.
fn container(text: &str, span: (usize, usize), end: usize) -> Option<(usize, String)> {
    let after = &text[span.1..end];
    let lead = after.len() - after.trim_start().len();
    let rest = after.trim_start();
    let inner = rest.strip_prefix('*').filter(|r| !r.starts_with('*'))?;
    let close = inner.find('*')?;
    let italic_end = span.1 + lead + 1 + close + 1;
    let locator = text[italic_end..end]
        .split(|c: char| !c.is_alphabetic())
        .any(|w| {
            matches!(
                w,
                "para" | "paras" | "paragraph" | "paragraphs" | "section" | "chapter"
            )
        });
    locator.then(|| (italic_end, inner[..close].trim().to_string()))
}

/// The citations of documents in one note.
pub fn note_citations(note: u32, text: &str) -> Vec<Citation> {
    let spans = quoted_spans(text);
    let inside = |i: usize| spans.iter().any(|&(s, e)| s < i && i < e);
    let mut bounds = vec![0];
    for (i, c) in text.char_indices() {
        if c == ';' && !inside(i) {
            bounds.push(i);
            bounds.push(i + 1);
        }
    }
    bounds.push(text.len());
    let mut out = Vec::new();
    for pair in bounds.chunks(2) {
        let (s, e) = (pair[0], pair[1]);
        let seg = &text[s..e];
        let mut found: Vec<(usize, usize)> = spans
            .iter()
            .copied()
            .filter(|&(a, b)| a >= s && b <= e && cited_position(&text[s..a], &text[a..b]))
            .collect();
        let mut unopened = None;
        if found.is_empty() {
            unopened = unopened_span(seg, s);
            found.extend(
                unopened
                    .or_else(|| italic_span(seg, s))
                    .or_else(|| leading_name(seg, s)),
            );
        }
        for found_span in found {
            let (span, title) = match container(text, found_span, e) {
                Some((end, container_title)) => ((found_span.0, end), container_title),
                None => (found_span, title_of(&text[found_span.0..found_span.1])),
            };
            if title.split_whitespace().count() < 2 {
                continue;
            }
            let mut segment = citation_text(text, (s, e), span, &spans);
            if unopened == Some(found_span) {
                // The extraction lost the opening quote; the citation as
                // shown on its page gets it back.
                let raw = &text[found_span.0..found_span.1];
                let open = if raw.ends_with('’') { "‘" } else { "'" };
                segment = segment.replacen(raw, &format!("{open}{raw}"), 1);
            }
            out.push(Citation {
                note,
                span,
                segment,
                key: key(&title),
                title,
            });
        }
    }
    out
}

/// Every cited document, deduplicated by title, in order of first citation,
/// with slugs unique among themselves.
pub fn sources(notes: &BTreeMap<u32, String>) -> (Vec<Source>, Vec<Citation>) {
    let mut all = Vec::new();
    for (&n, text) in notes {
        all.extend(note_citations(n, text));
    }
    let mut order: Vec<String> = Vec::new();
    let mut by_key: BTreeMap<String, Source> = BTreeMap::new();
    for c in &all {
        let title = c.title.clone();
        let entry = by_key.entry(c.key.clone()).or_insert_with(|| {
            order.push(c.key.clone());
            Source {
                key: c.key.clone(),
                slug: String::new(),
                title: title.clone(),
                long_form: c.segment.clone(),
                other_forms: Vec::new(),
                notes: Vec::new(),
                year: None,
            }
        });
        if !entry.notes.contains(&c.note) {
            entry.notes.push(c.note);
        }
        let score = |f: &str| (year_after(f, "").is_some(), f.len());
        if score(&c.segment) > score(&entry.long_form) {
            let old = std::mem::replace(&mut entry.long_form, c.segment.clone());
            entry.other_forms.push(old);
            entry.title = title;
        } else if c.segment != entry.long_form && !entry.other_forms.contains(&c.segment) {
            entry.other_forms.push(c.segment.clone());
        }
    }
    let mut used = crate::slug::IdSet::new();
    let mut out = Vec::new();
    for k in order {
        let mut s = by_key.remove(&k).expect("key recorded");
        // Forms that differ only in punctuation (`Title.'` and `Title'`)
        // are one form to a reader.
        let same = |f: &str| -> String {
            crate::import::text::normalise(f)
                .chars()
                .filter(|c| !matches!(c, '.' | ',' | ';'))
                .collect()
        };
        let mut seen = vec![same(&s.long_form)];
        s.other_forms.retain(|f| {
            let k = same(f);
            let new = !seen.contains(&k);
            seen.push(k);
            new
        });
        let words: Vec<String> = slugify(&s.title)
            .split('-')
            .take(6)
            .map(str::to_string)
            .collect();
        let mut base = words.join("-");
        if let Some(year) = year_after(&s.long_form, &s.title) {
            if !words.contains(&year) {
                base = format!("{base}-{year}");
            }
        }
        s.slug = used.unique(&base);
        s.year = year_after(&s.long_form, &s.title)
            .or_else(|| s.other_forms.iter().find_map(|f| year_after(f, &s.title)));
        out.push(s);
    }
    (out, all)
}

/// The first year (19xx/20xx) in `form` after the title.
fn year_after(form: &str, title: &str) -> Option<String> {
    let from = form.find(title).map_or(0, |i| i + title.len());
    let tail = &form[from..];
    let b = tail.as_bytes();
    (0..b.len().saturating_sub(3)).find_map(|i| {
        let w = &b[i..i + 4];
        let boundary_before = i == 0 || !b[i - 1].is_ascii_alphanumeric();
        let boundary_after = b.get(i + 4).is_none_or(|c| !c.is_ascii_alphanumeric());
        (boundary_before
            && boundary_after
            && w.iter().all(u8::is_ascii_digit)
            && (w.starts_with(b"19") || w.starts_with(b"20")))
        .then(|| String::from_utf8_lossy(w).into_owned())
    })
}

/// The highest interview number the importer takes for one: every number up
/// to the highest cited gets a page, so a bigger one (digits run together
/// in the PDF) would make millions of pages.
pub const MAX_INTERVIEW: u32 = 1000;

/// An interview number cited in a note, the byte range of the number, and
/// the range to link (the whole `Interview 5` when only one is cited).
pub type InterviewRef = (u32, (usize, usize), (usize, usize));

/// One `Interview 5` / `interviews 1, 6, 12` citation: the numbers from 1 to
/// [`MAX_INTERVIEW`] with their byte ranges in the note.
pub fn interview_refs(text: &str) -> Vec<InterviewRef> {
    interview_numbers(text)
        .into_iter()
        .filter_map(|(n, span, whole)| Some((n?, span, whole)))
        .collect()
}

/// The numbers cited as interviews that cannot be one (0, or above
/// [`MAX_INTERVIEW`]), as written: they are left unlinked.
pub fn bad_interview_numbers(text: &str) -> Vec<&str> {
    interview_numbers(text)
        .into_iter()
        .filter(|(n, _, _)| n.is_none())
        .map(|(_, span, _)| &text[span.0..span.1])
        .collect()
}

/// An [`InterviewRef`] whose number may be out of range (`None`).
type MaybeInterviewRef = (Option<u32>, (usize, usize), (usize, usize));

/// Every number cited as an interview, `None` where it is out of range.
fn interview_numbers(text: &str) -> Vec<MaybeInterviewRef> {
    let lower = text.to_ascii_lowercase();
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(rel) = lower[from..].find("interview") {
        let word_start = from + rel;
        let mut i = word_start + "interview".len();
        if lower[i..].starts_with('s') {
            i += 1;
        }
        let word_end = i;
        from = word_end;
        if word_start > 0 && lower.as_bytes()[word_start - 1].is_ascii_alphanumeric() {
            continue;
        }
        let mut nums = Vec::new();
        let mut pos = word_end;
        loop {
            let sep = [" ", ", ", " and ", ", and "]
                .iter()
                .filter(|s| lower[pos..].starts_with(**s))
                .map(|s| s.len())
                .max();
            let Some(sep) = sep else { break };
            let start = pos + sep;
            let digits = lower[start..]
                .bytes()
                .take_while(u8::is_ascii_digit)
                .count();
            if digits == 0 || (!nums.is_empty() && sep == 1) {
                break;
            }
            let n = lower[start..start + digits]
                .parse::<u32>()
                .ok()
                .filter(|n| (1..=MAX_INTERVIEW).contains(n));
            nums.push((n, (start, start + digits)));
            pos = start + digits;
        }
        for (k, (n, span)) in nums.iter().enumerate() {
            // A single number links the whole "Interview 5"; lists link each
            // number.
            let whole = if nums.len() == 1 && k == 0 {
                (word_start, span.1)
            } else {
                *span
            };
            out.push((*n, *span, whole));
        }
        from = pos.max(from);
    }
    out
}

/// The note's text with its documents linked to their source pages and its
/// interviews to their interview pages (paths relative to a chapter).
pub fn link_note(
    text: &str,
    citations: &[&Citation],
    slug_of: &BTreeMap<String, String>,
) -> String {
    let mut edits: Vec<((usize, usize), String)> = Vec::new();
    for c in citations {
        if let Some(slug) = slug_of.get(&c.key) {
            let span_text = &text[c.span.0..c.span.1];
            // Percent-encoded: the note's superscript digits are turned into
            // footnote markers after linking, which must not reach a slug.
            let href = crate::url::percent_encode_path(slug);
            let label = crate::import::text::md_link_label(span_text);
            edits.push((c.span, format!("[{label}](../sources/{href}.md)")));
        }
    }
    for (n, _, whole) in interview_refs(text) {
        let shown = &text[whole.0..whole.1];
        edits.push((
            whole,
            format!("[{shown}](../interviews/interview-{n:02}.md)"),
        ));
    }
    edits.sort_by_key(|e| std::cmp::Reverse(e.0 .0));
    let mut out = text.to_string();
    let mut last_start = usize::MAX;
    for ((s, e), rep) in edits {
        if e > last_start {
            continue; // overlapping edits: keep the later one only
        }
        out.replace_range(s..e, &rep);
        last_start = s;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn titles(text: &str) -> Vec<String> {
        note_citations(1, text)
            .into_iter()
            .map(|c| c.title)
            .collect()
    }

    #[test]
    fn quoted_titles_in_every_form() {
        assert_eq!(
            titles("Victor Jack, ‘Top US official calls for ‘NATO 3.0’,’ *Politico*, 2026; Jessie Yeung, ‘NATO’s Mark Rutte emerges,’ *CNN*"),
            ["Top US official calls for ‘NATO 3.0’", "NATO’s Mark Rutte emerges"]
        );
        assert_eq!(
            titles("Pede, 'The Eighteenth Gap. Preserving the Commander's Space on \"Battlefield Next\",' Military Review"),
            ["The Eighteenth Gap. Preserving the Commander's Space on \"Battlefield Next\""]
        );
        assert_eq!(
            titles("‘NATO Policy for Civilians,’ 2016; NATO Policy on Preventing Violence,’ 31 May 2021"),
            ["NATO Policy for Civilians", "NATO Policy on Preventing Violence"]
        );
    }

    #[test]
    fn italic_and_leading_names_when_unquoted() {
        assert_eq!(
            titles("Allied Command Operations (ACO). *Protection of Civilians. ACO Handbook*, 2021, pp. 8-11."),
            ["Protection of Civilians. ACO Handbook"]
        );
        assert_eq!(
            titles("NATO Strategic Concept, Preface & paragraphs 5, 26; interviews 5, 8."),
            ["NATO Strategic Concept"]
        );
        assert!(titles("Article V refers to a principle, which covers *all* of NATO.").is_empty());
        assert!(titles("Interviews 9, 11. Since PAX specialises in PoC, this is it.").is_empty());
    }

    #[test]
    fn commentary_is_cut_from_a_citation_but_publication_details_are_kept() {
        let t = "Interviews 9, 11; 'Human Security Agenda,' p. 14. These documents are not public.";
        assert_eq!(
            note_citations(1, t)[0].segment,
            "'Human Security Agenda,' p. 14."
        );
        let t = "Jo Roe, 'What does it mean?' In: Al, Bo. *Big Book*. Some Press. Draft, 2026.";
        assert_eq!(note_citations(1, t)[0].segment, t);
        let t = "NATO, ‘Resilience and Article 3,’ 2024. The *Concept* says more. See Al Bo, ‘The Future,’ 2024, p. 1.";
        let c = note_citations(1, t);
        assert_eq!(c[0].segment, "NATO, ‘Resilience and Article 3,’ 2024.");
        assert_eq!(c[1].segment, "Al Bo, ‘The Future,’ 2024, p. 1.");
    }

    #[test]
    fn a_citation_keeps_only_its_own_words() {
        let forms = |t: &str| -> Vec<String> {
            note_citations(1, t)
                .into_iter()
                .map(|c| c.segment)
                .collect()
        };
        assert_eq!(
            forms("See for example Jo Roe, ‘A Long Title,’ *Journal* 6(2), 2020, pp. 1-9."),
            ["Jo Roe, ‘A Long Title,’ *Journal* 6(2), 2020, pp. 1-9."]
        );
        assert_eq!(
            forms("Cf. ‘Some Study Here,’ 2021."),
            ["‘Some Study Here,’ 2021."]
        );
        assert_eq!(
            forms("For example, ‘Some Study Here,’ 2021."),
            ["‘Some Study Here,’ 2021."]
        );
        assert_eq!(
            forms("‘Seeing Things Clearly,’ 2021."),
            ["‘Seeing Things Clearly,’ 2021."]
        );
        // Commentary, then a signalled citation: the signal goes too.
        assert_eq!(
            forms(
                "‘First Paper Here,’ 2024. The *Concept* says more. See Al Bo, ‘The Future,’ 2024."
            ),
            ["‘First Paper Here,’ 2024.", "Al Bo, ‘The Future,’ 2024."]
        );
        // Two documents and interviews in one note: no words cross over.
        assert_eq!(
            forms("Al Bo, ‘One Long Paper,’ 2019; Jack, ‘Two Long Papers,’ interview 3; interviews 1, 2."),
            ["Al Bo, ‘One Long Paper,’ 2019", "Jack, ‘Two Long Papers,’"]
        );
        // A title whose opening quote was lost gets it back.
        assert_eq!(
            forms("‘One Long Paper,’ 2019; Policy on Other Things,’ 31 May 2021"),
            [
                "‘One Long Paper,’ 2019",
                "‘Policy on Other Things,’ 31 May 2021"
            ]
        );
    }

    #[test]
    fn a_source_has_the_year_its_citation_gives() {
        let notes = BTreeMap::from([
            (1, "‘Some Study Here,’ p. 3.".to_string()),
            (
                2,
                "Jo Roe, ‘Some Study Here,’ 9 July 2016, p. 2; ‘Undated Long Work,’ p. 4."
                    .to_string(),
            ),
        ]);
        let (srcs, _) = sources(&notes);
        assert_eq!(srcs[0].year.as_deref(), Some("2016"));
        assert_eq!(srcs[1].year, None);
    }

    #[test]
    fn a_section_cited_by_paragraph_is_its_containing_work() {
        let a = "‘Cross-Cutting Topics,’ *CIMIC Handbook*, CIMIC COE 2026, para 6.1.";
        let b = "‘The HN and domestic CIMIC,’ *CIMIC Handbook*, CIMIC COE 2026, para 4.2. More.";
        let c = "Jo Roe, ‘How Trump learned to love NATO,’ *Politico*, 25 June 2026.";
        assert_eq!(titles(a), ["CIMIC Handbook"]);
        assert_eq!(note_citations(1, b)[0].span, (0, b.find("*,").unwrap() + 1));
        assert_eq!(titles(c), ["How Trump learned to love NATO"]);
        let notes = BTreeMap::from([(8, a.to_string()), (23, b.to_string())]);
        let (srcs, _) = sources(&notes);
        assert_eq!(srcs.len(), 1);
        assert_eq!(srcs[0].slug, "cimic-handbook-2026");
        assert_eq!(srcs[0].notes, [8, 23]);
    }

    #[test]
    fn long_and_short_forms_are_one_source() {
        let mut notes = BTreeMap::new();
        notes.insert(
            5,
            "NATO Human Security Unit, 'Human Security Agenda,' 24 August 2024, p. 6.".to_string(),
        );
        notes.insert(22, "‘Human Security Agenda,’ p. 9.".to_string());
        let (srcs, cites) = sources(&notes);
        assert_eq!(srcs.len(), 1);
        assert_eq!(cites.len(), 2);
        assert_eq!(srcs[0].slug, "human-security-agenda-2024");
        assert_eq!(srcs[0].notes, [5, 22]);
        assert!(srcs[0].long_form.starts_with("NATO Human Security Unit"));
        notes.insert(30, "‘Human Security Agenda’; interviews 1, 2.".to_string());
        notes.insert(31, "‘Human Security Agenda.’".to_string());
        let (srcs, _) = sources(&notes);
        assert_eq!(
            srcs[0].other_forms,
            ["‘Human Security Agenda,’ p. 9.", "‘Human Security Agenda’"]
        );
    }

    #[test]
    fn interviews_single_and_listed() {
        let t = "Interview 5; background; interviews 1, 6, 12 and interviewees.";
        let r: Vec<u32> = interview_refs(t).iter().map(|r| r.0).collect();
        assert_eq!(r, [5, 1, 6, 12]);
        let linked = link_note(t, &[], &BTreeMap::new());
        assert_eq!(
            linked,
            "[Interview 5](../interviews/interview-05.md); background; interviews [1](../interviews/interview-01.md), [6](../interviews/interview-06.md), [12](../interviews/interview-12.md) and interviewees."
        );
    }

    #[test]
    fn source_links_survive_marker_conversion() {
        // Found by fuzzing: a title with superscript digits gave a slug with
        // them, which footnote-marker conversion then broke in the link.
        let t = "Jo Doe, ‘A Study of Thi⁴ngs,’ 2024.";
        let cites = note_citations(1, t);
        let (srcs, _) = sources(&BTreeMap::from([(1, t.to_string())]));
        assert_eq!(srcs[0].slug, "a-study-of-thi⁴ngs-2024");
        let slugs = BTreeMap::from([(cites[0].key.clone(), srcs[0].slug.clone())]);
        let refs: Vec<&Citation> = cites.iter().collect();
        assert_eq!(
            crate::import::text::convert_markers(&link_note(t, &refs, &slugs)),
            "Jo Doe, [‘A Study of Thi[^4]ngs,’](../sources/a-study-of-thi%E2%81%B4ngs-2024.md) 2024."
        );
    }

    #[test]
    fn numbers_that_cannot_be_interviews_stay_unlinked() {
        let t = "Interview 0; interviews 2, 1000, 1001 and 99999999999; Interview 00017.";
        let r: Vec<u32> = interview_refs(t).iter().map(|r| r.0).collect();
        assert_eq!(r, [2, 1000, 17]);
        assert_eq!(bad_interview_numbers(t), ["0", "1001", "99999999999"]);
        assert_eq!(
            link_note(t, &[], &BTreeMap::new()),
            "Interview 0; interviews [2](../interviews/interview-02.md), [1000](../interviews/interview-1000.md), 1001 and 99999999999; [Interview 00017](../interviews/interview-17.md)."
        );
    }

    #[test]
    fn notes_link_titles_to_source_pages() {
        let t = "Gilder, 'The Usefulness of It,' p. 2.";
        let cites = note_citations(3, t);
        let mut slugs = BTreeMap::new();
        slugs.insert(cites[0].key.clone(), "the-usefulness".to_string());
        let refs: Vec<&Citation> = cites.iter().collect();
        assert_eq!(
            link_note(t, &refs, &slugs),
            "Gilder, ['The Usefulness of It,'](../sources/the-usefulness.md) p. 2."
        );
    }
}

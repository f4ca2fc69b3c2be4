//! Markdown → HTML for one page, in one analysis pass and one emit pass over
//! pulldown-cmark's events.
//!
//! The analysis pass gives every heading, paragraph, list item and table an id
//! (derived from its text, unique per page), resolves every link and wikilink,
//! finds acronyms in prose and records each outgoing link with the sentence
//! around it. The emit pass writes the HTML with those decisions, and renders
//! footnotes as a numbered notes list whose entries link back to every
//! reference. Ids must be known before their block's text has been seen, which
//! is why there are two passes over a buffered event list.

use rustc_hash::{FxHashMap as HashMap, FxHashSet};
use std::fmt::Write as _;
use std::ops::Range;

use pulldown_cmark::{html, CowStr, Event, HeadingLevel, LinkType, Options, Parser, Tag, TagEnd};
use unicase::UniCase;

use crate::content::frontmatter::NoteNumbers;
use crate::diag::{Code, Diagnostic, Diagnostics};
use crate::links::{sentence_around, Index, Link, Target};
use crate::slug::{block_id, slugify, IdSet};

mod code;
mod embed;
mod raw;
mod syntax;

/// The markdown dialect: CommonMark plus GFM footnotes, tables,
/// strikethrough, task lists and alerts, smart punctuation, definition lists,
/// `{#id}` heading attributes and wikilinks (and what [`syntax`] reads).
pub fn options() -> Options {
    Options::ENABLE_FOOTNOTES
        | Options::ENABLE_TABLES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_GFM
        | Options::ENABLE_DEFINITION_LIST
        | Options::ENABLE_SMART_PUNCTUATION
        | Options::ENABLE_HEADING_ATTRIBUTES
        | Options::ENABLE_WIKILINKS
}

/// One entry of a page's table of contents.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct TocEntry {
    /// Heading level as rendered (2 for `<h2>`).
    pub level: u8,
    /// The heading's id.
    pub id: String,
    /// The heading's text.
    pub title: String,
    /// The heading of a box (`<aside>`): a part set apart from the text,
    /// not one of the page's sections.
    pub aside: bool,
}

/// A page's body rendered to HTML, with what the rest of the build needs.
#[derive(Debug, Clone, Default)]
pub struct Rendered {
    /// The body HTML, notes included.
    pub html: String,
    /// Headings (levels 2–3) in order, and the notes section.
    pub toc: Vec<TocEntry>,
    /// Outgoing links to pages (including acronym links), in reading order.
    pub links: Vec<Link>,
    /// Every id in the body, for checking `#anchor` links.
    pub ids: FxHashSet<String>,
    /// The page's plain text, for the search index: read through
    /// [`Rendered::sections`], then dropped ([`Rendered::release_text`]).
    text: String,
    /// The running prose among `text` (see [`is_prose`]), for snippets;
    /// dropped like `text`.
    prose: String,
    /// Where each heading of `toc` starts in `text` and in `prose`.
    marks: Vec<(usize, usize)>,
    /// Broken links and other problems.
    pub diagnostics: Diagnostics,
    /// Words in prose shaped like acronyms (`ABC`, `ABCs`) that no acronym
    /// page defines: the word and its line and column, first use per page.
    pub undefined_acronyms: Vec<(String, usize, usize)>,
    /// Pages whose headings `[[Page#Heading]]` links consulted: this page's
    /// HTML depends on their text too (for incremental rebuilds).
    pub heading_deps: Vec<usize>,
    /// The first raw HTML shown as text because the page did not opt in:
    /// line, column and the HTML (for a warning).
    pub escaped_html: Option<(usize, usize, String)>,
}

/// Raw HTML tags that pass through unescaped: attribute-less, so they cannot
/// carry script, style or event handlers. Everything else is shown as text.
const SAFE_TAGS: &[&str] = &[
    "aside",
    "figure",
    "figcaption",
    "br",
    "sup",
    "sub",
    "kbd",
    "mark",
    "small",
    "u",
    "s",
    "details",
    "summary",
    "abbr",
    "cite",
    "q",
    "dl",
    "dt",
    "dd",
];

/// Whether raw HTML from the author is one of the [`SAFE_TAGS`] (or a comment,
/// which is dropped), or a line of them with text between them (an HTML
/// block's line such as `<summary>Title</summary>`).
fn raw_html_is_safe(html: &str) -> bool {
    let t = html.trim();
    if !t.starts_with('<') {
        return false;
    }
    let mut rest = t;
    while let Some(open) = rest.find('<') {
        let Some(len) = rest[open..].find('>') else {
            return false;
        };
        if !is_safe_tag(&rest[open..open + len + 1]) {
            return false;
        }
        rest = &rest[open + len + 1..];
    }
    true
}

/// Whether `tag` (`<…>`) is one of the [`SAFE_TAGS`], opening or closing.
fn is_safe_tag(tag: &str) -> bool {
    let Some(inner) = tag.strip_prefix('<').and_then(|s| s.strip_suffix('>')) else {
        return false;
    };
    let inner = inner.strip_prefix('/').unwrap_or(inner);
    let inner = inner.strip_suffix('/').unwrap_or(inner).trim();
    SAFE_TAGS.iter().any(|tag| inner.eq_ignore_ascii_case(tag))
}

fn is_comment(html: &str) -> bool {
    let t = html.trim();
    t.starts_with("<!--") && t.ends_with("-->")
}

/// Escapes text for HTML content and attribute values.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    escape_into(&mut out, s);
    out
}

/// [`escape`] appended to `out`.
pub fn escape_into(out: &mut String, s: &str) {
    pulldown_cmark_escape::escape_html(out, s).expect("writing to a String cannot fail");
}

/// An acronym occurrence in a text event.
#[derive(Debug, Clone)]
struct AcronymHit {
    start: usize,
    end: usize,
    id: usize,
    href: Option<String>,
}

/// A block being analysed: its event, the text seen so far, the links in it.
struct OpenBlock {
    event: usize,
    text: String,
    /// Indexes into `links` with byte offsets into `text`.
    links: Vec<(usize, usize, usize)>,
    explicit_id: Option<String>,
    is_heading: bool,
    /// Where the block starts in the page's text and prose.
    starts: (usize, usize),
    /// Whether a block inside it has closed: only innermost blocks are
    /// prose, so that no text is taken twice.
    has_child: bool,
}

/// Ids the default templates and the notes section use; body ids avoid them
/// so that every id on a page stays unique.
pub const TEMPLATE_IDS: &[&str] = &[
    "main",
    "notes",
    "toc-title",
    "backlinks-title",
    "chapters-title",
    "explore-title",
    "more-title",
    "neighbourhood-title",
    "connections-title",
    "print-toc-title",
    "dossier-search",
    "dossier-search-results",
    "dossier-search-status",
    "dossier-search-page",
    "dossier-preview",
];

/// How much text an enclosing (not innermost) block keeps: enough for its id.
const OUTER_TEXT: usize = 300;

/// What the analysis pass decided, indexed by event number.
struct Analysis {
    ids: HashMap<usize, String>,
    hrefs: HashMap<usize, String>,
    /// Per text event with acronyms, where its HTML is in `acronym_html`.
    acronyms: HashMap<usize, Range<usize>>,
    /// The HTML of the text events with acronyms, one after the other: one
    /// buffer for the page, not a string per event.
    acronym_html: String,
    skip: Range<usize>,
    /// The headings, in order (the title heading left out).
    headings: Vec<usize>,
    heading_shift: u8,
    footnote_numbers: HashMap<String, usize>,
    footnote_slugs: HashMap<String, String>,
    /// Raw HTML passes through unescaped (the page or the site opted in).
    raw_html: bool,
    /// Links and images written as their text only: their URL was refused
    /// by the policy, or leads nowhere.
    inert: FxHashSet<usize>,
    /// HTML events the build wrote (embeds), passed through as they are.
    built: FxHashSet<usize>,
    /// What the markers of [`syntax`] said.
    extras: syntax::Extras,
    /// Per heading, the id GitHub would give it, where that differs.
    github_ids: HashMap<usize, String>,
}

/// Renders page `page` of `index`.
pub fn render(index: &Index, page: usize) -> Rendered {
    render_with(index, page, false)
}

/// Renders page `page` of `index`, then drops its markdown body
/// ([`crate::content::Page::release_body`]), keeping in `index` the heading
/// ids that other pages' `[[Page#Heading]]` links may still need. A one-off
/// build so never holds the whole site's source and its HTML at once.
pub fn render_and_release(index: &Index, page: usize) -> Rendered {
    render_with(index, page, true)
}

fn render_with(index: &Index, page: usize, release: bool) -> Rendered {
    let p = &index.pages[page];
    let text = p.text();
    let (events, pieces, mut extras) = raw::page_events(p, &text);
    let mut out = Rendered::default();
    let (events, embedded) = embed::expand(index, page, &text, events, &mut extras, &mut out);
    let analysis = analyse(
        index,
        page,
        &text,
        (&events, &pieces),
        (extras, embedded.built),
        &mut out,
    );
    if release {
        index.keep_headings(page, anchors(&events, &analysis.ids, &analysis.headings));
        // Another page's embed reads this one's text again.
        if !index.vault.is_embedded(page) {
            p.release_body();
        }
    }
    // A quote's block id is written on the quote, outside the analysis.
    out.ids.extend(
        analysis
            .extras
            .block_ids
            .iter()
            .filter(|(i, _)| matches!(events[**i].0, Event::Start(Tag::BlockQuote(_))))
            .map(|(_, id)| id.clone()),
    );
    emit(events, text.body().len(), &analysis, &mut out);
    // The anchor checks get the ids once they are written (not copied).
    out.ids.extend(analysis.ids.into_values());
    out.ids.extend(analysis.github_ids.into_values());
    // Kept until the site is written: no room to spare.
    out.html.shrink_to_fit();
    out.links.shrink_to_fit();
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

impl Rendered {
    /// The page's text cut at its headings: the introduction, then a section
    /// per heading of the table of contents (empty once released).
    pub fn sections(&self) -> Vec<SectionText<'_>> {
        let (text, prose) = (&self.text, &self.prose);
        let mut out = Vec::with_capacity(self.marks.len() + 1);
        let mut from = (0, 0);
        let mut heading = None;
        for (entry, &at) in self.toc.iter().zip(&self.marks) {
            out.push(SectionText {
                heading,
                text: &text[from.0..at.0],
                prose: &prose[from.1..at.1],
            });
            heading = Some(entry);
            from = at;
        }
        out.push(SectionText {
            heading,
            text: &text[from.0..],
            prose: &prose[from.1..],
        });
        out
    }

    /// Drops the plain text once the search index has taken what it keeps
    /// of it: a site's HTML is held until it is written, its text need not be.
    pub fn release_text(&mut self) {
        self.text = String::new();
        self.prose = String::new();
        self.marks = Vec::new();
    }
}

/// Whether a closed paragraph or list item is running prose, worth showing
/// as a search snippet: innermost, a sentence or more (it ends like one),
/// and mostly not link text — lists of links and labels such as "Related
/// topics" or "Who acts: NATO" are not.
fn is_prose(block: &OpenBlock) -> bool {
    let linked: usize = block.links.iter().map(|(_, from, to)| to - from).sum();
    let text = block.text.trim_end();
    let ending = text.trim_end_matches(['"', '\'', '”', '’', ')', ']', '*', '_']);
    !block.has_child
        && ending.ends_with(['.', '!', '?', '…'])
        && linked * 2 < text.len()
        && text.split_whitespace().nth(3).is_some()
}

/// The ids the build will give the paragraphs and list items of `markdown`, with
/// their plain text, in order — for tools (the importer) that link to paragraphs.
pub fn block_ids(markdown: &str) -> Vec<(String, String)> {
    let pages = [crate::content::page_from_text(
        std::path::Path::new("x.md"),
        "x.md",
        format!("---\ntitle: x\n---\n{markdown}"),
    )
    .expect("front matter built here is valid")];
    let index = Index::new(&pages, &[], []);
    let text = pages[0].text();
    let (mut events, mut pieces) = collect_events(text.body());
    let extras = syntax::rewrite(&mut events, &mut pieces, text.body());
    let mut out = Rendered::default();
    let a = analyse(
        &index,
        0,
        &text,
        (&events, &pieces),
        (extras, Default::default()),
        &mut out,
    );
    let mut v: Vec<(usize, String)> = a
        .ids
        .iter()
        .filter(|(i, _)| matches!(events[**i].0, Event::Start(Tag::Paragraph | Tag::Item)))
        .map(|(i, id)| (*i, id.clone()))
        .collect();
    v.sort();
    v.into_iter()
        .map(|(i, id)| (plain_text_from(&events, i), id))
        .collect()
}

fn plain_text_from(events: &[(Event, Range<usize>)], start: usize) -> String {
    let mut depth = 0;
    let mut text = String::new();
    for (ev, _) in &events[start..] {
        match ev {
            Event::Start(_) => depth += 1,
            Event::End(_) => {
                depth -= 1;
                if depth == 0 {
                    break;
                }
            }
            Event::Text(t) | Event::Code(t) => text.push_str(t),
            Event::SoftBreak | Event::HardBreak => text.push(' '),
            _ => {}
        }
    }
    text
}

/// Where the text of each merged text event came from, keyed by its source
/// range.
type Pieces = HashMap<Range<usize>, Vec<Piece>>;

/// One text event the parser gave, merged into a longer one.
struct Piece {
    /// Its offset in the merged text.
    at: usize,
    /// Its source range.
    source: Range<usize>,
    /// Whether its text is its source (compared once here, not once per
    /// word looked for in it).
    verbatim: bool,
}

impl Piece {
    fn new(body: &str, at: usize, text: &str, source: &Range<usize>) -> Self {
        Piece {
            at,
            source: source.clone(),
            verbatim: body.get(source.clone()) == Some(text),
        }
    }
}

/// A run of text events being merged: the text so far and its pieces.
struct Run {
    text: String,
    pieces: Vec<Piece>,
}

/// Parses `body` into events with their source ranges, merging adjacent text
/// events (pulldown-cmark splits text at quotes and escapes) so that words are
/// never cut in two.
fn collect_events<'a>(body: &'a str) -> (Vec<(Event<'a>, Range<usize>)>, Pieces) {
    // Prose makes an event per 20–40 bytes: room for most pages' events at
    // once instead of a dozen reallocations (dropped with the page).
    let mut events: Vec<(Event, Range<usize>)> = Vec::with_capacity(body.len() / 16);
    // pulldown-cmark pairs a footnote reference with its definition without
    // regard to case (`[^ICRC]` with `[^icrc]:`); one spelling per label lets
    // the rest key notes by label.
    let mut labels: HashMap<UniCase<String>, CowStr<'a>> = HashMap::default();
    let mut one_spelling = |label: CowStr<'a>| -> CowStr<'a> {
        labels
            .entry(UniCase::new(label.to_string()))
            .or_insert(label)
            .clone()
    };
    // The text of the run of text events the last event ends, once it has
    // more than one: appended to in place, since copying the run for every
    // piece is quadratic on a line that pulldown-cmark cuts into thousands.
    let mut run: Option<Run> = None;
    let mut pieces = Pieces::default();
    for (ev, range) in Parser::new_ext(body, options()).into_offset_iter() {
        let ev = match ev {
            Event::FootnoteReference(l) => Event::FootnoteReference(one_spelling(l)),
            Event::Start(Tag::FootnoteDefinition(l)) => {
                Event::Start(Tag::FootnoteDefinition(one_spelling(l)))
            }
            ev => ev,
        };
        if let (Event::Text(t), Some((Event::Text(prev), prev_range))) = (&ev, events.last_mut()) {
            let run = run.get_or_insert_with(|| Run {
                text: prev.to_string(),
                pieces: vec![Piece::new(body, 0, prev, prev_range)],
            });
            run.pieces.push(Piece::new(body, run.text.len(), t, &range));
            run.text.push_str(t);
            prev_range.end = range.end;
            continue;
        }
        if let Some(run) = run.take() {
            end_run(&mut events, run, &mut pieces);
        }
        events.push((ev, range));
    }
    if let Some(run) = run.take() {
        end_run(&mut events, run, &mut pieces);
    }
    (events, pieces)
}

/// Puts the merged text of a run into the run's (last, text) event.
fn end_run(events: &mut [(Event, Range<usize>)], run: Run, pieces: &mut Pieces) {
    if let Some((Event::Text(prev), range)) = events.last_mut() {
        *prev = CowStr::from(run.text);
        pieces.insert(range.clone(), run.pieces);
    }
}

fn heading_level_num(level: HeadingLevel) -> u8 {
    level as u8
}

/// What can be decided about a page from its own events alone: the title
/// heading to skip, the heading shift, footnote numbers and ids, and the ids
/// of all headings. Headings get their ids before any paragraph, so that a
/// heading's id depends on the page's headings only — which lets other pages
/// resolve `[[Page#Heading]]` without rendering this one.
struct Prep {
    skip: Range<usize>,
    heading_shift: u8,
    footnote_numbers: HashMap<String, usize>,
    footnote_slugs: HashMap<String, String>,
    /// Notes a page numbering them by their labels cannot number.
    note_problems: Vec<NoteProblem>,
    heading_ids: HashMap<usize, String>,
    /// Headings whose `{#id}` was already taken (by the template or an
    /// earlier heading), with the id asked for; they got a `-2` id instead.
    taken_ids: Vec<(usize, String)>,
    /// Per heading, the id GitHub would give it where it differs from the
    /// heading's own and no other element has it (with `github` only).
    github_ids: HashMap<usize, String>,
    ids: IdSet,
    marks: Marks,
}

fn prepare(events: &[(Event, Range<usize>)], p: &crate::content::Page, github: bool) -> Prep {
    let skip = title_skip(events, p);
    let marks = Marks::of(events, &skip);
    // Any other level-1 heading would be a second <h1>: shift all headings down.
    let more_h1 = marks.headings.iter().any(|&i| {
        matches!(
            events[i].0,
            Event::Start(Tag::Heading {
                level: HeadingLevel::H1,
                ..
            })
        )
    });
    let mut ids = IdSet::beside(reserved_ids());
    // Ids the author chose come first, so that ids derived from text dodge
    // them; one that is taken already keeps the page valid with a `-2` id and
    // is reported.
    let headings = || {
        marks.headings.iter().filter_map(|&i| match &events[i].0 {
            Event::Start(Tag::Heading { id, .. }) => Some((i, id)),
            _ => None,
        })
    };
    let mut heading_ids = HashMap::default();
    let mut taken_ids = Vec::new();
    for (i, id) in headings() {
        if let Some(explicit) = id {
            let hid = if ids.reserve(explicit) {
                explicit.to_string()
            } else {
                taken_ids.push((i, explicit.to_string()));
                ids.unique(explicit)
            };
            heading_ids.insert(i, hid);
        }
    }
    let notes = number_notes(events, &marks, p, &mut ids);
    for (i, id) in headings() {
        if id.is_none() {
            let hid = ids.unique(&slugify(&plain_text_from(events, i)));
            heading_ids.insert(i, hid);
        }
    }
    // A definition list's terms are link targets too, as on sites that
    // give them ids (Hugo's `autoDefinitionTermID`): `[x](#term)`.
    for &i in &marks.terms {
        heading_ids.insert(i, ids.unique(&slugify(&plain_text_from(events, i))));
    }
    let github_ids = if github {
        github_aliases(events, &heading_ids, &mut ids)
    } else {
        term_aliases(events, &heading_ids, &mut ids)
    };
    Prep {
        skip,
        heading_shift: u8::from(more_h1),
        footnote_numbers: notes.numbers,
        footnote_slugs: notes.slugs,
        note_problems: notes.problems,
        heading_ids,
        taken_ids,
        github_ids,
        ids,
        marks,
    }
}

/// The events [`prepare`] and the footnote checks look at, found in one
/// pass over the page's events: the headings and definition terms (the
/// title heading left out), and the footnote references and definitions.
#[derive(Default)]
struct Marks {
    headings: Vec<usize>,
    terms: Vec<usize>,
    refs: Vec<usize>,
    defs: Vec<usize>,
}

impl Marks {
    fn of(events: &[(Event, Range<usize>)], skip: &Range<usize>) -> Self {
        let mut marks = Marks::default();
        for (i, (ev, _)) in events.iter().enumerate() {
            match ev {
                Event::Start(Tag::Heading { .. }) if !skip.contains(&i) => marks.headings.push(i),
                Event::Start(Tag::DefinitionListTitle) if !skip.contains(&i) => marks.terms.push(i),
                Event::FootnoteReference(_) => marks.refs.push(i),
                Event::Start(Tag::FootnoteDefinition(_)) => marks.defs.push(i),
                _ => {}
            }
        }
        marks
    }

    /// The label of each footnote reference, with its event.
    fn ref_labels<'a>(
        &'a self,
        events: &'a [(Event<'a>, Range<usize>)],
    ) -> impl Iterator<Item = (usize, &'a str)> + 'a {
        self.refs.iter().filter_map(|&i| match &events[i].0 {
            Event::FootnoteReference(l) => Some((i, l.as_ref())),
            _ => None,
        })
    }

    /// The label of each footnote definition, with its event.
    fn def_labels<'a>(
        &'a self,
        events: &'a [(Event<'a>, Range<usize>)],
    ) -> impl Iterator<Item = (usize, &'a str)> + 'a {
        self.defs.iter().filter_map(|&i| match &events[i].0 {
            Event::Start(Tag::FootnoteDefinition(l)) => Some((i, l.as_ref())),
            _ => None,
        })
    }
}

/// The ids of the templates, which no element of a body may take: reserved
/// once, and copied for each page.
fn reserved_ids() -> &'static IdSet {
    static IDS: std::sync::OnceLock<IdSet> = std::sync::OnceLock::new();
    IDS.get_or_init(|| {
        let mut ids = IdSet::new();
        for id in TEMPLATE_IDS {
            ids.reserve(id);
        }
        for kind in crate::content::frontmatter::Kind::ALL {
            ids.reserve(&format!("backlinks-{kind}"));
        }
        ids
    })
}

/// The ids GitHub gives the headings with `heading_ids` (in order, `-1`,
/// `-2` for repeats), where they differ from those ids and no other element
/// has them; reserved in `ids`.
fn github_aliases(
    events: &[(Event, Range<usize>)],
    heading_ids: &HashMap<usize, String>,
    ids: &mut IdSet,
) -> HashMap<usize, String> {
    let mut given = crate::slug::GithubIds::default();
    let mut aliases = HashMap::default();
    // The title heading (see `title_skip`), which has no id of its own here.
    if let Some((Event::Start(Tag::Heading { .. }), _)) = events.first() {
        if !heading_ids.contains_key(&0) {
            let alias = given.next(&plain_text_from(events, 0));
            if ids.reserve(&alias) {
                aliases.insert(0, alias);
            }
        }
    }
    let all: Vec<usize> = heading_ids.keys().copied().collect();
    aliases.extend(aliases_in_order(events, all, heading_ids, ids, given));
    aliases
}

/// Per definition term, the id Hugo (goldmark) gives it where it differs
/// from the term's own: `exec.allow` is `#execallow` there, and a second
/// `Singular` is `#singular-1`, which links written for Hugo use.
fn term_aliases(
    events: &[(Event, Range<usize>)],
    term_ids: &HashMap<usize, String>,
    ids: &mut IdSet,
) -> HashMap<usize, String> {
    let terms: Vec<usize> = term_ids
        .keys()
        .copied()
        .filter(|&i| matches!(events[i].0, Event::Start(Tag::DefinitionListTitle)))
        .collect();
    aliases_in_order(events, terms, term_ids, ids, Default::default())
}

/// For the elements at `at`, in document order, the id `given` names each
/// by its text, where it differs from its own id (`own`) and no other
/// element has it; reserved in `ids`.
fn aliases_in_order(
    events: &[(Event, Range<usize>)],
    mut at: Vec<usize>,
    own: &HashMap<usize, String>,
    ids: &mut IdSet,
    mut given: crate::slug::GithubIds,
) -> HashMap<usize, String> {
    at.sort_unstable();
    let mut aliases = HashMap::default();
    for i in at {
        let alias = given.next(&plain_text_from(events, i));
        if alias != own[&i] && ids.reserve(&alias) {
            aliases.insert(i, alias);
        }
    }
    aliases
}

/// The events of the title heading, when the page's first block is one:
/// the template prints the title as the page's only <h1>.
fn title_skip(events: &[(Event, Range<usize>)], p: &crate::content::Page) -> Range<usize> {
    let mut skip = 0..0;
    // The first block is the title heading when the title came from it (or
    // repeats it).
    if let Some((
        Event::Start(Tag::Heading {
            level: HeadingLevel::H1,
            ..
        }),
        _,
    )) = events.first()
    {
        let end = events
            .iter()
            .position(|(e, _)| matches!(e, Event::End(TagEnd::Heading(_))))
            .unwrap_or(0);
        let text = plain_text_from(events, 0);
        if p.title_from_body || text.trim() == p.title {
            skip = 0..end + 1;
        }
    }
    skip
}

/// A page's footnotes: their numbers and id slugs by label, and what keeps
/// them from being numbered as the page asks.
struct NoteIds {
    numbers: HashMap<String, usize>,
    slugs: HashMap<String, String>,
    problems: Vec<NoteProblem>,
}

/// Numbers the footnotes and reserves their ids (and their references') in
/// `ids`.
fn number_notes(
    events: &[(Event, Range<usize>)],
    marks: &Marks,
    p: &crate::content::Page,
    ids: &mut IdSet,
) -> NoteIds {
    // Footnotes are numbered in the order they are first referenced, then
    // definitions nobody references, or by their labels when the page says
    // so; labels that slug alike ("a b", "a-b") still get distinct ids, and
    // so do a note's references.
    let mut ref_counts: HashMap<&str, usize> = HashMap::default();
    for (_, l) in marks.ref_labels(events) {
        *ref_counts.entry(l).or_insert(0) += 1;
    }
    // Each label once, with the event where it first appears.
    let mut first_seen: Vec<(usize, &str)> = Vec::new();
    let mut seen: FxHashSet<&str> = FxHashSet::default();
    for (i, label) in marks.ref_labels(events).chain(marks.def_labels(events)) {
        if seen.insert(label) {
            first_seen.push((i, label));
        }
    }
    let (footnote_numbers, note_problems) = match p.meta.note_numbers {
        NoteNumbers::Order => (
            first_seen
                .iter()
                .enumerate()
                .map(|(k, (_, label))| (label.to_string(), k + 1))
                .collect(),
            Vec::new(),
        ),
        NoteNumbers::Labels => numbers_from_labels(events, &first_seen),
    };
    let mut footnote_slugs: HashMap<String, String> = HashMap::default();
    for (_, label) in &first_seen {
        let refs = ref_counts.get(label).copied().unwrap_or(0).max(1);
        let base = footnote_slug(label);
        let mut slug = base.clone();
        let mut n = 2;
        loop {
            let wanted: Vec<String> = std::iter::once(format!("fn-{slug}"))
                .chain((1..=refs).map(|k| ref_id(&slug, k)))
                .collect();
            if wanted.iter().all(|id| !ids.contains(id)) {
                for id in &wanted {
                    ids.reserve(id);
                }
                break;
            }
            slug = format!("{base}-{n}");
            n += 1;
        }
        footnote_slugs.insert(label.to_string(), slug);
    }
    NoteIds {
        numbers: footnote_numbers,
        slugs: footnote_slugs,
        problems: note_problems,
    }
}

/// A note that `note_numbers: labels` cannot number as its label says.
struct NoteProblem {
    /// The event where the label appears.
    event: usize,
    message: String,
    hint: &'static str,
}

/// Note numbers read from the labels (`[^27]` is note 27), for a page with
/// `note_numbers: labels`; `first_seen` holds each label once with the event
/// where it first appears. A label that is no positive whole number, or
/// whose number another label has, or a note defined twice, is a problem;
/// the notes without a number of their own follow the page's highest, in
/// order, so the page still reads.
fn numbers_from_labels(
    events: &[(Event, Range<usize>)],
    first_seen: &[(usize, &str)],
) -> (HashMap<String, usize>, Vec<NoteProblem>) {
    let mut numbers: HashMap<String, usize> = HashMap::default();
    let mut problems = Vec::new();
    let mut by_number: HashMap<usize, &str> = HashMap::default();
    let mut unnumbered = Vec::new();
    for &(i, label) in first_seen {
        let n = (!label.is_empty() && label.bytes().all(|b| b.is_ascii_digit()))
            .then(|| label.parse::<usize>().ok())
            .flatten()
            .filter(|&n| n > 0);
        match n {
            Some(n) => {
                if let Some(other) = by_number.get(&n) {
                    problems.push(NoteProblem {
                        event: i,
                        message: format!("note [^{label}] has number {n}, as has [^{other}]"),
                        hint: "give each note its own number: the page shows notes by their labels",
                    });
                } else {
                    by_number.insert(n, label);
                }
                numbers.insert(label.to_string(), n);
            }
            None => {
                problems.push(NoteProblem {
                    event: i,
                    message: format!(
                        "note [^{label}] has no number, but this page numbers its notes by \
                         their labels (note_numbers: labels)"
                    ),
                    hint: "label the note with its number, e.g. [^12], or remove \
                           `note_numbers: labels` to number the notes 1, 2, 3 in order",
                });
                unnumbered.push(label);
            }
        }
    }
    let highest = numbers.values().copied().max().unwrap_or(0);
    for (k, label) in unnumbered.into_iter().enumerate() {
        numbers.insert(label.to_string(), highest + k + 1);
    }
    // A second definition would join the first under one number.
    let mut defined: FxHashSet<&str> = FxHashSet::default();
    for (i, (ev, _)) in events.iter().enumerate() {
        if let Event::Start(Tag::FootnoteDefinition(label)) = ev {
            if !defined.insert(label.as_ref()) {
                problems.push(NoteProblem {
                    event: i,
                    message: format!("note [^{label}] is defined twice"),
                    hint: "keep one definition: the notes list shows both texts under one number",
                });
            }
        }
    }
    problems.sort_by_key(|p| p.event);
    (numbers, problems)
}

/// The headings of a page as (text, id) pairs, in order, exactly as
/// [`render`] will give them ids.
pub fn heading_anchors(p: &crate::content::Page) -> Vec<(String, String)> {
    let text = p.text();
    let (events, _, _) = raw::page_events(p, &text);
    let prep = prepare(&events, p, false);
    anchors(&events, &prep.heading_ids, &prep.marks.headings)
}

/// The (text, id) of the headings at `headings` (events, in order) that
/// `ids` gives an id.
fn anchors(
    events: &[(Event, Range<usize>)],
    ids: &HashMap<usize, String>,
    headings: &[usize],
) -> Vec<(String, String)> {
    headings
        .iter()
        .filter_map(|&i| {
            let id = ids.get(&i)?;
            Some((plain_text_from(events, i).trim().to_string(), id.clone()))
        })
        .collect()
}

/// The analysis pass's state while it walks a page's events.
struct Walk<'e> {
    stack: Vec<OpenBlock>,
    /// The texts of closed blocks, emptied, for the blocks opened after them:
    /// a page's blocks then grow a handful of buffers, not one each.
    spare_texts: Vec<String>,
    seen_acronym: Vec<bool>,
    /// Undefined acronyms reported so far (the first use of each is).
    reported: FxHashSet<&'e str>,
    in_code: usize,
    in_heading: usize,
    in_link: usize,
    in_image: usize,
    in_html_block: usize,
    in_aside: usize,
    /// The embedded notes being read, the outermost first.
    embeds: Vec<EmbedEntry>,
    /// The level of the last entry of the page's own in "On this page".
    own_level: Option<u8>,
    /// Links whose text is still being read: (link index, offset where it began).
    open_links: Vec<Option<(usize, usize)>>,
    wiki_text: Option<String>,
    /// The acronyms found in a text event and their markup, emptied for
    /// the next: buffers of the page, not two allocations per text event.
    found: Vec<crate::links::acronyms::Hit>,
    hits: Vec<AcronymHit>,
}

impl Walk<'_> {
    /// The state at the start of a page, on a site with `acronyms` acronyms.
    fn new(acronyms: usize) -> Self {
        Walk {
            stack: Vec::new(),
            spare_texts: Vec::new(),
            seen_acronym: vec![false; acronyms],
            reported: FxHashSet::default(),
            in_code: 0,
            in_heading: 0,
            in_link: 0,
            in_image: 0,
            in_html_block: 0,
            in_aside: 0,
            embeds: Vec::new(),
            own_level: None,
            open_links: Vec::new(),
            wiki_text: None,
            found: Vec::new(),
            hits: Vec::new(),
        }
    }

    /// A block opening at event `i`.
    fn open_block(
        &mut self,
        i: usize,
        explicit_id: Option<String>,
        is_heading: bool,
        out: &Rendered,
    ) {
        self.stack.push(OpenBlock {
            event: i,
            text: self.spare_texts.pop().unwrap_or_default(),
            links: Vec::new(),
            explicit_id,
            is_heading,
            starts: (out.text.len(), out.prose.len()),
            has_child: false,
        });
    }
}

fn analyse<'e>(
    index: &Index,
    page: usize,
    text: &crate::content::Text,
    (events, pieces): (&'e [(Event<'e>, Range<usize>)], &Pieces),
    (extras, built): (syntax::Extras, FxHashSet<usize>),
    out: &mut Rendered,
) -> Analysis {
    let p = &index.pages[page];
    let prep = prepare(events, p, index.conventions.github_ids);
    report_prep(p, text, events, &prep, out);
    let mut ids = prep.ids;
    let mut marks = prep.marks;
    let mut a = Analysis {
        ids: prep.heading_ids,
        hrefs: HashMap::default(),
        acronyms: HashMap::default(),
        acronym_html: String::new(),
        skip: prep.skip,
        headings: std::mem::take(&mut marks.headings),
        heading_shift: prep.heading_shift,
        footnote_numbers: prep.footnote_numbers,
        footnote_slugs: prep.footnote_slugs,
        raw_html: p.raw_html,
        inert: FxHashSet::default(),
        built,
        extras,
        github_ids: prep.github_ids,
    };
    let mut w = Walk::new(index.acronym_pages.len());

    // Positions are asked for in reading order: one cursor walks the file.
    let cursor = std::cell::RefCell::new(text.cursor());
    let position = |offset: usize| cursor.borrow_mut().position(offset);
    // The plain text is about as long as the markdown, and the prose and the
    // acronym markup (text with tags) are at most about as long again:
    // sized once, not grown by copies (all three live while one page does).
    out.text.reserve(text.body().len());
    out.prose.reserve(text.body().len());
    if !index.acronyms.is_empty() {
        a.acronym_html
            .reserve(text.body().len() + text.body().len() / 2);
    }

    for (i, (ev, range)) in events.iter().enumerate() {
        if a.skip.contains(&i) {
            continue;
        }
        match ev {
            Event::Start(tag) => {
                analyse_start(index, page, i, tag, range, &position, &mut w, &mut a, out)
            }
            Event::End(tag) => analyse_end(events, tag, &mut w, &mut ids, &mut a, out),
            Event::Text(_) if w.wiki_text.is_some() => {
                // The reader sees the display text, so quotes use it too.
                let shown = w.wiki_text.take().unwrap_or_default();
                push_text(&mut w.stack, &shown);
                out.text.push_str(&shown);
            }
            Event::Text(t) => {
                let prose = w.in_code == 0
                    && w.in_heading == 0
                    && w.in_link == 0
                    && w.in_image == 0
                    && w.in_html_block == 0;
                if prose {
                    let found = Found {
                        event: i,
                        text: t,
                        range,
                    };
                    find_acronyms(
                        index, page, found, text, pieces, &position, &mut w, &mut a, out,
                    );
                }
                push_text(&mut w.stack, t);
                if w.in_code == 0 {
                    out.text.push_str(t);
                }
            }
            Event::Code(t) => {
                push_text(&mut w.stack, t);
                out.text.push_str(t);
            }
            Event::SoftBreak | Event::HardBreak => {
                push_text(&mut w.stack, " ");
                out.text.push(' ');
            }
            Event::Html(h) if a.built.contains(&i) => match h.as_ref() {
                embed::OPEN => w.embeds.push(EmbedEntry {
                    open: i,
                    label: embed::label_at(events, i).unwrap_or_default().to_string(),
                    // Within the section of the page it stands in.
                    level: w.own_level.map_or(2, |l| (l + 1).min(3)),
                    listed: false,
                }),
                embed::CLOSE => {
                    w.embeds.pop();
                }
                _ => {}
            },
            Event::Html(h) | Event::InlineHtml(h)
                if !a.raw_html
                    && out.escaped_html.is_none()
                    && !is_comment(h)
                    && !raw_html_is_safe(h) =>
            {
                let (line, col) = position(range.start);
                out.escaped_html = Some((line, col, h.trim().to_string()));
            }
            Event::Html(h) if a.raw_html || raw_html_is_safe(h) => {
                let t = h.trim();
                if t.eq_ignore_ascii_case("<aside>") {
                    w.in_aside += 1;
                } else if t.eq_ignore_ascii_case("</aside>") {
                    w.in_aside = w.in_aside.saturating_sub(1);
                }
            }
            _ => {}
        }
        if matches!(
            ev,
            Event::End(
                TagEnd::Paragraph
                    | TagEnd::Heading(_)
                    | TagEnd::Item
                    | TagEnd::DefinitionListTitle
                    | TagEnd::DefinitionListDefinition
            )
        ) {
            out.text.push('\n');
        }
    }
    check_footnote_refs(p, text, events, &marks, out);
    for label in a.footnote_numbers.keys() {
        out.ids.insert(format!("fn-{}", a.footnote_slugs[label]));
    }
    a
}

/// Reports the heading ids and note numbers [`prepare`] could not give as
/// the page asked.
fn report_prep(
    p: &crate::content::Page,
    text: &crate::content::Text,
    events: &[(Event, Range<usize>)],
    prep: &Prep,
    out: &mut Rendered,
) {
    for (i, asked) in &prep.taken_ids {
        let (line, col) = text.position(events[*i].1.start);
        let hint = if TEMPLATE_IDS.contains(&asked.as_str()) || asked.starts_with("backlinks-") {
            "the page template uses this id: choose another one"
        } else {
            "another heading on this page has it: give each heading its own id"
        };
        out.diagnostics.push(
            Diagnostic::error(
                &p.source,
                line,
                col,
                format!("heading id '{asked}' is already used on this page"),
            )
            .with_hint(hint),
        );
    }
    for problem in &prep.note_problems {
        let (line, col) = text.position(events[problem.event].1.start);
        out.diagnostics.push(
            Diagnostic::error(&p.source, line, col, problem.message.clone())
                .with_hint(problem.hint),
        );
    }
}

/// The scheme of a refused URL with its colon (`obsidian:`), to group by.
fn scheme_of(dest: &str) -> String {
    let scheme = dest.trim().split(':').next().unwrap_or_default();
    format!("{}:", scheme.to_ascii_lowercase())
}

/// The page a link to nothing names, for the closing summary: the links
/// to one missing page count together, whatever heading they ask for.
fn missing_page(dest: &str) -> &str {
    match dest.split_once('#') {
        Some((page, _)) if !page.trim().is_empty() => page.trim(),
        _ => dest,
    }
}

/// The analysis of a tag's start: blocks open, links and images resolve.
#[allow(clippy::too_many_arguments)]
fn analyse_start(
    index: &Index,
    page: usize,
    i: usize,
    tag: &Tag,
    range: &Range<usize>,
    position: &dyn Fn(usize) -> (usize, usize),
    w: &mut Walk,
    a: &mut Analysis,
    out: &mut Rendered,
) {
    match tag {
        Tag::Paragraph | Tag::Item | Tag::Table(_) => {
            w.open_block(i, a.extras.block_ids.get(&i).cloned(), false, out)
        }
        Tag::Heading { id, .. } => {
            w.in_heading += 1;
            w.open_block(i, id.as_ref().map(|s| s.to_string()), true, out);
        }
        Tag::CodeBlock(_) => w.in_code += 1,
        Tag::HtmlBlock => w.in_html_block += 1,
        Tag::Link {
            link_type,
            dest_url,
            ..
        } => {
            w.in_link += 1;
            w.wiki_text = wiki_display(link_type, dest_url);
            let target = match link_type {
                LinkType::WikiLink { .. } => index.resolve_wiki(page, dest_url, heading_anchors),
                LinkType::Email => Target::External,
                _ => index.resolve(page, dest_url, crate::url::Use::Link),
            };
            if let (LinkType::WikiLink { .. }, Target::Page { page: t, .. }) = (link_type, &target)
            {
                if dest_url.contains('#') && !out.heading_deps.contains(t) {
                    out.heading_deps.push(*t);
                }
            }
            w.open_links.push(record_link(
                index,
                page,
                i,
                target,
                dest_url,
                range,
                position,
                a,
                out,
                &mut w.stack,
            ));
        }
        Tag::Image {
            link_type,
            dest_url,
            ..
        } => {
            w.in_image += 1;
            let target = match link_type {
                LinkType::WikiLink { .. } => index.resolve_wiki(page, dest_url, heading_anchors),
                _ => index.resolve(page, dest_url, crate::url::Use::Image),
            };
            match target {
                Target::File { href } | Target::Page { href, .. } => {
                    a.hrefs.insert(i, href);
                }
                wrong @ (Target::Broken { .. } | Target::Refused { .. }) => {
                    record_link(
                        index,
                        page,
                        i,
                        wrong,
                        dest_url,
                        range,
                        position,
                        a,
                        out,
                        &mut w.stack,
                    );
                }
                Target::External => {}
            }
        }
        _ => {}
    }
}

/// The analysis of a tag's end: blocks close and get their ids, links
/// their text.
fn analyse_end(
    events: &[(Event, Range<usize>)],
    tag: &TagEnd,
    w: &mut Walk,
    ids: &mut IdSet,
    a: &mut Analysis,
    out: &mut Rendered,
) {
    match tag {
        TagEnd::Paragraph | TagEnd::Item | TagEnd::Table | TagEnd::Heading(_) => {
            if let Some(block) = w.stack.pop() {
                // Words of consecutive blocks must not run together
                // in the text of the block around them.
                push_text(&mut w.stack, " ");
                if matches!(tag, TagEnd::Heading(_)) {
                    w.in_heading -= 1;
                }
                if let Some(parent) = w.stack.last_mut() {
                    parent.has_child = true;
                }
                if matches!(tag, TagEnd::Paragraph | TagEnd::Item) && is_prose(&block) {
                    out.prose.push_str(&block.text);
                    out.prose.push('\n');
                }
                let shift = a.heading_shift;
                let place = match w.embeds.first_mut() {
                    Some(e) => InToc::Embed(e),
                    None if w.in_aside > 0 => InToc::Aside,
                    None => InToc::Own,
                };
                let own = matches!(place, InToc::Own);
                let entries = out.toc.len();
                let mut text = close_block(block, events, ids, a, out, shift, place);
                if own && out.toc.len() > entries {
                    w.own_level = out.toc.last().map(|e| e.level);
                }
                text.clear();
                w.spare_texts.push(text);
            }
        }
        TagEnd::CodeBlock => w.in_code -= 1,
        TagEnd::HtmlBlock => w.in_html_block -= 1,
        TagEnd::Link => {
            w.in_link -= 1;
            if let Some(Some((li, from))) = w.open_links.pop() {
                if let Some(top) = w.stack.last_mut() {
                    top.links.push((li, from, top.text.len()));
                }
            }
        }
        TagEnd::Image => w.in_image -= 1,
        TagEnd::TableCell => push_text(&mut w.stack, " "),
        _ => {}
    }
}

/// A text event of prose: its number, its text and where it came from.
struct Found<'t> {
    event: usize,
    text: &'t str,
    range: &'t Range<usize>,
}

/// Finds the acronyms in a text event of prose: the first use of each
/// links to its page, words shaped like one that no page defines are
/// reported.
#[allow(clippy::too_many_arguments)]
fn find_acronyms<'e>(
    index: &Index,
    page: usize,
    found_in: Found<'e>,
    text: &crate::content::Text,
    pieces: &Pieces,
    position: &dyn Fn(usize) -> (usize, usize),
    w: &mut Walk<'e>,
    a: &mut Analysis,
    out: &mut Rendered,
) {
    let Found {
        event: i,
        text: t,
        range,
    } = found_in;
    let p = &index.pages[page];
    let base = w.stack.last().map_or(0, |b| b.text.len());
    let mut found = std::mem::take(&mut w.found);
    let mut hits = std::mem::take(&mut w.hits);
    found.clear();
    hits.clear();
    let mut undefined: Vec<(usize, &str)> = Vec::new();
    let reported = &mut w.reported;
    index.acronyms.scan(t, &mut found, |at, stem| {
        if reported.insert(stem) {
            undefined.push((at, stem));
        }
    });
    for &h in &found {
        let target = index.acronym_pages[h.id];
        let href = (target != page && !w.seen_acronym[h.id])
            .then(|| crate::links::relative_href(&p.url, &index.pages[target].url));
        if href.is_some() {
            w.seen_acronym[h.id] = true;
            let (line, col) = position(range.start);
            out.links.push(Link {
                source: page,
                target,
                anchor: None,
                block: None,
                context: "".into(),
                line,
                col,
                raw: String::new(),
                via_acronym: true,
            });
            if let Some(top) = w.stack.last_mut() {
                top.links
                    .push((out.links.len() - 1, base + h.start, base + h.end));
            }
        }
        hits.push(AcronymHit {
            start: h.start,
            end: h.end,
            id: h.id,
            href,
        });
    }
    if !hits.is_empty() {
        let from = a.acronym_html.len();
        acronym_html(&mut a.acronym_html, index, t, &hits);
        a.acronyms.insert(i, from..a.acronym_html.len());
    }
    (w.found, w.hits) = (found, hits);
    for (at, stem) in undefined {
        let from = word_in_source(text.body(), range, t, pieces, at, stem);
        let (line, col) = position(from);
        out.undefined_acronyms.push((stem.to_string(), line, col));
    }
}

/// Reports each footnote reference whose note is not defined.
fn check_footnote_refs(
    p: &crate::content::Page,
    text: &crate::content::Text,
    events: &[(Event, Range<usize>)],
    marks: &Marks,
    out: &mut Rendered,
) {
    let defined: FxHashSet<&str> = marks.def_labels(events).map(|(_, l)| l).collect();
    let mut cursor = text.cursor();
    for (i, label) in marks.ref_labels(events) {
        if !defined.contains(label) {
            let (line, col) = cursor.position(events[i].1.start);
            out.diagnostics.push(Diagnostic::error(
                &p.source,
                line,
                col,
                format!("footnote [^{label}] has no definition"),
            ));
        }
    }
}

/// Where in `body` the word at byte `at` of the text event `text` (from
/// `range` of `body`) starts. Text and source differ where the parser
/// replaced entities, escapes or dashes (`--` became `–`), so `at` may not
/// even fall on a character of the source. A merged event is located piece
/// by piece ([`Pieces`]): searching all of a long line for each word would
/// cost the square of its length.
fn word_in_source(
    body: &str,
    range: &Range<usize>,
    text: &str,
    pieces: &Pieces,
    at: usize,
    word: &str,
) -> usize {
    let Some(pieces) = pieces.get(range) else {
        let source = body.get(range.clone()).unwrap_or_default();
        return range.start + word_in_piece(source, text, at, word);
    };
    let k = pieces.partition_point(|p| p.at <= at) - 1;
    let piece = &pieces[k];
    if piece.verbatim {
        return piece.source.start + at - piece.at;
    }
    let end = pieces.get(k + 1).map_or(text.len(), |next| next.at);
    let source = body.get(piece.source.clone()).unwrap_or_default();
    piece.source.start + word_in_piece(source, &text[piece.at..end], at - piece.at, word)
}

/// [`word_in_source`] for one event as the parser gave it: where the word
/// at byte `at` of `text` starts in its `source`, found as a whole word
/// when they differ, else 0.
fn word_in_piece(source: &str, text: &str, at: usize, word: &str) -> usize {
    // The parser's text is nearly always a slice of the source itself: known
    // equal without reading them.
    if std::ptr::eq(source, text) || source == text {
        return at;
    }
    source
        .match_indices(word)
        .map(|(i, _)| i)
        .find(|&i| {
            let before = source[..i].chars().next_back();
            let after = source[i + word.len()..].chars().next();
            !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric)
        })
        .unwrap_or(0)
}

/// Appends text to the innermost block in full and to enclosing blocks while
/// they still need it for their id (outer blocks have always seen at least as
/// much text as inner ones, so the walk stops at the first full one).
fn push_text(stack: &mut [OpenBlock], t: &str) {
    for (depth, b) in stack.iter_mut().rev().enumerate() {
        if depth > 0 && b.text.len() >= OUTER_TEXT {
            break;
        }
        b.text.push_str(t);
    }
}

#[allow(clippy::too_many_arguments)]
fn record_link(
    index: &Index,
    page: usize,
    event: usize,
    target: Target,
    dest: &str,
    range: &Range<usize>,
    position: &dyn Fn(usize) -> (usize, usize),
    a: &mut Analysis,
    out: &mut Rendered,
    stack: &mut [OpenBlock],
) -> Option<(usize, usize)> {
    let p = &index.pages[page];
    let (line, col) = position(range.start);
    match target {
        Target::External => None,
        Target::File { href } => {
            a.hrefs.insert(event, href);
            None
        }
        Target::Refused {
            message,
            hint,
            runs_script,
        } => {
            a.inert.insert(event);
            let d = Diagnostic::error(&p.source, line, col, message).with_hint(hint);
            out.diagnostics.push(match runs_script {
                true => d,
                // `obsidian:` or `ftp:` harms no reader: a link the site
                // cannot make, at the level of the other links to nothing.
                false => d.with_code(Code::Scheme).with_subject(scheme_of(dest)),
            });
            None
        }
        Target::Broken { message, hint } => {
            // What the author wrote is not a URL the site has (and a
            // wikilink's destination is a name): written as its text alone.
            a.inert.insert(event);
            let mut d = Diagnostic::error(
                &p.source,
                line,
                col,
                format!("broken link '{dest}': {message}"),
            )
            .with_code(Code::BrokenLink)
            .with_subject(missing_page(dest));
            if let Some(h) = hint {
                d = d.with_hint(h);
            }
            out.diagnostics.push(d);
            None
        }
        Target::Page {
            page: target,
            anchor,
            href,
        } => {
            a.hrefs.insert(event, href);
            // Only the anchor check quotes the destination (176,000 links
            // at 10,000 pages: no copy for the others).
            let raw = if anchor.is_some() {
                dest.to_string()
            } else {
                String::new()
            };
            out.links.push(Link {
                source: page,
                target,
                anchor,
                block: None,
                context: "".into(),
                line,
                col,
                raw,
                via_acronym: false,
            });
            let start = stack.last().map_or(0, |b| b.text.len());
            Some((out.links.len() - 1, start))
        }
    }
}

/// An embedded note in "On this page": one entry, named as the embed, at
/// its first heading (its headings are the note's sections, not the
/// page's).
struct EmbedEntry {
    /// The event that opens its box.
    open: usize,
    /// The name the embed shows (`Guide › Setup`).
    label: String,
    /// The level of its entry.
    level: u8,
    /// Whether the entry is made.
    listed: bool,
}

/// Where a heading stands, for its entry in "On this page".
enum InToc<'e> {
    /// In the page's own text.
    Own,
    /// In a box (`<aside>`) of the page.
    Aside,
    /// In an embedded note.
    Embed(&'e mut EmbedEntry),
}

/// Closes `block`: gives it its id, the table of contents its entry and its
/// links their sentences. Returns the block's text buffer, for reuse.
fn close_block(
    block: OpenBlock,
    events: &[(Event, Range<usize>)],
    ids: &mut IdSet,
    a: &mut Analysis,
    out: &mut Rendered,
    shift: u8,
    place: InToc,
) -> String {
    let id = match (&block.explicit_id, block.is_heading) {
        // Headings got their ids up front (see `prepare`).
        (_, true) => a.ids.get(&block.event).cloned().unwrap_or_default(),
        (Some(explicit), false) if ids.reserve(explicit) => explicit.clone(),
        (Some(explicit), false) => ids.unique(explicit),
        (None, false) => ids.unique(&block_id(&block.text)),
    };
    if block.is_heading {
        if let Event::Start(Tag::Heading { level, .. }) = &events[block.event].0 {
            let level = (heading_level_num(*level) + shift).min(6);
            let entry = match place {
                _ if level > 3 => None,
                InToc::Own | InToc::Aside => Some(TocEntry {
                    level,
                    id: id.clone(),
                    title: block.text.trim().to_string(),
                    aside: matches!(place, InToc::Aside),
                }),
                InToc::Embed(e) if !e.listed => {
                    e.listed = true;
                    // The entry leads to the top of the box, with the name
                    // of the note and what comes before its first heading.
                    let box_id = ids.unique(&format!("embed-{}", slugify(&e.label)));
                    a.ids.insert(e.open, box_id.clone());
                    Some(TocEntry {
                        level: e.level,
                        id: box_id,
                        title: e.label.clone(),
                        aside: false,
                    })
                }
                InToc::Embed(_) => None,
            };
            if let Some(entry) = entry {
                out.toc.push(entry);
                out.marks.push(block.starts);
            }
        }
    }
    let shared: std::sync::Arc<str> = id.as_str().into();
    for (li, from, to) in &block.links {
        let link = &mut out.links[*li];
        link.block = Some(shared.clone());
        link.context = sentence_around(&block.text, *from, *to);
    }
    a.ids.insert(block.event, id);
    block.text
}

/// Id of the `k`-th reference (1-based) to the note with id `fn-{slug}`.
fn ref_id(slug: &str, k: usize) -> String {
    if k == 1 {
        format!("fnref-{slug}")
    } else {
        format!("fnref{k}-{slug}")
    }
}

fn footnote_slug(label: &str) -> String {
    let s = slugify(label);
    if s.is_empty() {
        "note".into()
    } else {
        s
    }
}

/// Writes the HTML of the page whose markdown is `source_len` bytes. The
/// events are taken, not borrowed: most are written as they are, and a
/// text the parser or [`collect_events`] allocated is then moved, not copied.
fn emit<'e>(
    events: Vec<(Event<'e>, Range<usize>)>,
    source_len: usize,
    a: &'e Analysis,
    out: &mut Rendered,
) {
    let mut sink = Sink {
        // Block tags become three pieces and acronyms add markup: the body has
        // 1.2-1.5 times the events read (bench corpus, report), so room for
        // half as many again spares the copy of a doubling on every page.
        body: Vec::with_capacity(events.len() + events.len() / 2 + 16),
        notes: HashMap::default(),
        current_note: None,
    };
    let mut state = EmitState::default();
    // Per open link or image, whether it is inert: its text is written, its
    // tags are not.
    let mut open_inert: Vec<bool> = Vec::new();
    if let (true, Some(alias)) = (a.skip.contains(&0), a.github_ids.get(&0)) {
        // The title the template shows answers to GitHub's id from here.
        push_tag_with_id(&mut sink.body, "<span id=\"", alias, "\"></span>\n");
    }

    for (i, (ev, _)) in events.into_iter().enumerate() {
        if a.skip.contains(&i) {
            continue;
        }
        let inert = match &ev {
            Event::Start(Tag::Link { .. } | Tag::Image { .. }) => {
                open_inert.push(a.inert.contains(&i));
                a.inert.contains(&i)
            }
            Event::End(TagEnd::Link | TagEnd::Image) => open_inert.pop().unwrap_or(false),
            _ => false,
        };
        if inert || sink.enters_or_leaves_note(&ev) {
            continue;
        }
        emit_event(i, ev, a, &mut state, sink.produced(), out);
    }

    // The HTML is 1.3–1.7 times as long as its markdown (tags, ids,
    // escapes): room for that at once, not two or three doublings, each a
    // copy of the page so far.
    let mut html_out = String::with_capacity(source_len + source_len / 2 + 256);
    html::push_html(&mut html_out, code::for_readers(sink.body).into_iter());

    if !sink.notes.is_empty() {
        write_notes(&mut html_out, &sink.notes, &state.ref_counts, a, out);
    }
    out.html = html_out;
}

/// Where the emit pass writes: the body, or the note being read (notes
/// are collected aside and written at the end).
struct Sink<'e> {
    body: Vec<Event<'e>>,
    notes: HashMap<String, Vec<Event<'e>>>,
    current_note: Option<String>,
}

impl<'e> Sink<'e> {
    /// Whether `ev` opens or closes a footnote's definition (then the
    /// events that follow go to the note, or back to the body).
    fn enters_or_leaves_note(&mut self, ev: &Event) -> bool {
        match ev {
            Event::Start(Tag::FootnoteDefinition(label)) => {
                self.current_note = Some(label.to_string());
                self.notes.entry(label.to_string()).or_default();
                true
            }
            Event::End(TagEnd::FootnoteDefinition) => {
                self.current_note = None;
                true
            }
            _ => false,
        }
    }

    /// Where the next event goes: the body or the current note.
    fn produced(&mut self) -> &mut Vec<Event<'e>> {
        match &self.current_note {
            Some(label) => self
                .notes
                .get_mut(label)
                .expect("note was created at its start"),
            None => &mut self.body,
        }
    }
}

/// What the emit pass remembers from one event to the next.
#[derive(Default)]
struct EmitState<'a> {
    /// The display text of the wikilink being written (see [`wiki_display`]).
    wiki_text: Option<String>,
    /// Per note label, the references written so far.
    ref_counts: HashMap<String, usize>,
    open: Open<'a>,
}

/// Writes event `i`, `ev`, as the analysis decided, to `produced`.
fn emit_event<'e>(
    i: usize,
    ev: Event<'e>,
    a: &'e Analysis,
    state: &mut EmitState<'e>,
    produced: &mut Vec<Event<'e>>,
    out: &mut Rendered,
) {
    match ev {
        Event::Start(Tag::Paragraph) => push_tag_with_id(produced, "<p id=\"", &a.ids[&i], "\">"),
        Event::End(TagEnd::Paragraph) => produced.push(Event::Html("</p>\n".into())),
        Event::Start(Tag::Item | Tag::BlockQuote(_))
        | Event::End(TagEnd::Item | TagEnd::BlockQuote(_))
        | Event::TaskListMarker(_) => emit_syntax(ev, i, a, &mut state.open, produced),
        Event::Start(Tag::Heading { level, .. }) => {
            let n = (heading_level_num(level) + a.heading_shift).min(6);
            push_tag_with_id(produced, OPEN_HEADING[n as usize - 1], &a.ids[&i], "\">");
            if let Some(alias) = a.github_ids.get(&i) {
                // The id GitHub gives the heading, for links written for it.
                push_tag_with_id(produced, "<span id=\"", alias, "\"></span>");
            }
        }
        Event::End(TagEnd::Heading(level)) => {
            let n = (heading_level_num(level) + a.heading_shift).min(6);
            produced.push(Event::Html(CLOSE_HEADING[n as usize - 1].into()));
        }
        Event::Start(Tag::DefinitionListTitle) if a.ids.contains_key(&i) => {
            push_tag_with_id(produced, "<dt id=\"", &a.ids[&i], "\">");
            if let Some(alias) = a.github_ids.get(&i) {
                // The id Hugo or GitHub gives the term, for links written for it.
                push_tag_with_id(produced, "<span id=\"", alias, "\"></span>");
            }
        }
        Event::Start(Tag::Table(_)) => {
            push_tag_with_id(
                produced,
                "<div class=\"table-wrap\" id=\"",
                &a.ids[&i],
                "\">",
            );
            produced.push(ev);
        }
        Event::End(TagEnd::Table) => {
            produced.push(ev);
            produced.push(Event::Html("</div>\n".into()));
        }
        Event::Start(Tag::Link {
            ref link_type,
            ref dest_url,
            ..
        }) => {
            state.wiki_text = wiki_display(link_type, dest_url);
            produced.push(Event::Start(resolved_tag(a, i, ev)));
        }
        Event::Start(Tag::Image { .. }) => produced.push(Event::Start(resolved_tag(a, i, ev))),
        Event::Text(_) if state.wiki_text.is_some() => {
            produced.push(Event::Text(CowStr::from(
                state.wiki_text.take().unwrap_or_default(),
            )));
        }
        Event::Text(_) => match a.acronyms.get(&i) {
            Some(html) => produced.push(Event::InlineHtml(CowStr::Borrowed(
                &a.acronym_html[html.clone()],
            ))),
            None => produced.push(ev),
        },
        Event::Html(h)
            if a.built.contains(&i) && h.as_ref() == embed::OPEN && a.ids.contains_key(&i) =>
        {
            let id = &a.ids[&i];
            out.ids.insert(id.clone());
            produced.push(html_ev(format!(
                "<div class=\"transclusion\" id=\"{id}\">\n"
            )));
        }
        Event::Html(h) | Event::InlineHtml(h) => {
            if is_comment(&h) {
            } else if a.raw_html || a.built.contains(&i) || raw_html_is_safe(&h) {
                produced.push(Event::InlineHtml(h));
            } else {
                // Untrusted markup is shown, not run.
                produced.push(Event::Text(h));
            }
        }
        Event::FootnoteReference(label) => {
            let n = a.footnote_numbers.get(label.as_ref()).copied().unwrap_or(0);
            let slug = &a.footnote_slugs[label.as_ref()];
            let count = state.ref_counts.entry(label.to_string()).or_insert(0);
            *count += 1;
            let ref_id = ref_id(slug, *count);
            out.ids.insert(ref_id.clone());
            produced.push(html_ev(format!(
                "<sup class=\"footnote-ref\" id=\"{ref_id}\"><a href=\"#fn-{slug}\" aria-describedby=\"notes\">{n}</a></sup>"
            )));
        }
        _ => produced.push(ev),
    }
}

/// The list items and block quotes open while the HTML is written.
#[derive(Default)]
struct Open<'a> {
    /// The ids of the list items.
    items: Vec<&'a str>,
    /// Per block quote, the callout it is.
    quotes: Vec<Option<&'a syntax::Callout>>,
}

/// Writes list items with their task boxes, and block quotes as what
/// [`syntax`] read them to be.
fn emit_syntax<'e>(
    ev: Event<'e>,
    i: usize,
    a: &'e Analysis,
    open: &mut Open<'e>,
    produced: &mut Vec<Event<'e>>,
) {
    match ev {
        Event::Start(Tag::Item) => {
            open.items.push(&a.ids[&i]);
            push_tag_with_id(produced, "<li id=\"", &a.ids[&i], "\">");
        }
        Event::End(TagEnd::Item) => {
            open.items.pop();
            produced.push(Event::Html("</li>\n".into()));
        }
        Event::TaskListMarker(done) => {
            // Shown, not ticked: the page is read, not edited. The item's
            // text names the box.
            let checked = if done { " checked" } else { "" };
            let item = open.items.last().copied().unwrap_or_default();
            let mut html = format!(
                "<input type=\"checkbox\" class=\"task\" disabled{checked} aria-labelledby=\""
            );
            escape_into(&mut html, item);
            html.push_str("\"> ");
            produced.push(Event::InlineHtml(html.into()));
        }
        Event::Start(Tag::BlockQuote(_)) => {
            let callout = a.extras.callouts.get(&i);
            open.quotes.push(callout);
            let mut html = match callout {
                Some(c) => syntax::callout_open(c),
                None => "<blockquote>\n".to_string(),
            };
            if let Some(id) = a.extras.block_ids.get(&i) {
                // A block id naming the whole quote (Obsidian's `^id` after it).
                let at = html.find([' ', '>']).unwrap_or(html.len());
                html.insert_str(at, &format!(" id=\"{}\"", escape(id)));
                produced.push(html_ev(html));
            } else if callout.is_some() {
                produced.push(html_ev(html));
            } else {
                produced.push(ev);
            }
        }
        Event::End(TagEnd::BlockQuote(_)) => match open.quotes.pop().flatten() {
            Some(c) => produced.push(Event::Html(syntax::callout_close(c).into())),
            None => produced.push(ev),
        },
        _ => produced.push(ev),
    }
}

/// Text with its acronyms marked up, appended to `html`: each in an
/// `<abbr>` with its expansion, the first use on the page also linked to
/// the acronym's page.
fn acronym_html(html: &mut String, index: &Index, t: &str, hits: &[AcronymHit]) {
    html.reserve(t.len() + 64 * hits.len());
    // Each expansion is escaped once for the site, not at every use.
    let titles = index.acronym_titles.get_or_init(|| {
        (0..index.acronym_pages.len())
            .map(|id| {
                escape(
                    index
                        .acronym_page(id)
                        .meta
                        .expansion
                        .as_deref()
                        .unwrap_or_default(),
                )
            })
            .collect()
    });
    let mut pos = 0;
    for h in hits {
        escape_into(html, &t[pos..h.start]);
        // Written piece by piece: every use of an acronym
        // on every page comes here.
        if let Some(href) = &h.href {
            html.push_str("<a class=\"acronym\" href=\"");
            escape_into(html, href);
            html.push_str("\">");
        }
        html.push_str("<abbr title=\"");
        html.push_str(&titles[h.id]);
        html.push_str("\">");
        escape_into(html, &t[h.start..h.end]);
        html.push_str("</abbr>");
        if h.href.is_some() {
            html.push_str("</a>");
        }
        pos = h.end;
    }
    escape_into(html, &t[pos..]);
}

/// Writes the notes section: the notes in order of their numbers, each
/// with links back to its references.
fn write_notes(
    html_out: &mut String,
    notes: &HashMap<String, Vec<Event>>,
    ref_counts: &HashMap<String, usize>,
    a: &Analysis,
    out: &mut Rendered,
) {
    let mut ordered: Vec<(usize, &String)> = notes
        .keys()
        .map(|l| (a.footnote_numbers.get(l).copied().unwrap_or(usize::MAX), l))
        .collect();
    ordered.sort();
    html_out.push_str(
        "<section class=\"footnotes\" aria-labelledby=\"notes\">\n<h2 id=\"notes\">Notes</h2>\n",
    );
    // Every item carries its `value`; `start` too, for readers that
    // count from the list's start (a chapter's notes run on).
    match ordered.first() {
        Some((first, _)) if *first > 1 => {
            writeln!(html_out, "<ol start=\"{first}\">").expect("writing to a String cannot fail");
        }
        _ => html_out.push_str("<ol>\n"),
    }
    for (n, label) in ordered {
        let slug = &a.footnote_slugs[label];
        let mut note_html = String::new();
        html::push_html(&mut note_html, notes[label].clone().into_iter());
        let refs = ref_counts.get(label).copied().unwrap_or(0);
        let mut back = String::new();
        for k in 1..=refs {
            let ref_id = ref_id(slug, k);
            let mark = if refs == 1 {
                "↩".to_string()
            } else {
                format!("↩{k}")
            };
            write!(
                back,
                " <a href=\"#{ref_id}\" class=\"footnote-backref\" aria-label=\"Back to reference {n}{}\">{mark}</a>",
                if refs == 1 { String::new() } else { format!(" ({k})") }
            )
            .expect("writing to a String cannot fail");
        }
        // The back links belong at the end of the note's last paragraph.
        let trimmed = note_html.trim_end();
        let note_html = match trimmed.strip_suffix("</p>") {
            Some(head) => format!("{head}{back}</p>"),
            None => format!("{trimmed}{back}"),
        };
        writeln!(
            html_out,
            "<li id=\"fn-{slug}\" value=\"{n}\">{note_html}</li>"
        )
        .expect("writing to a String cannot fail");
    }
    html_out.push_str("</ol>\n</section>\n");
    out.ids.insert("notes".into());
    out.toc.push(TocEntry {
        level: 2,
        id: "notes".into(),
        title: "Notes".into(),
        aside: false,
    });
}

/// The link or image tag starting at event `i` as written out: to the URL
/// the analysis resolved.
fn resolved_tag<'e>(a: &'e Analysis, i: usize, ev: Event<'e>) -> Tag<'e> {
    match ev {
        Event::Start(Tag::Link {
            link_type,
            dest_url,
            title,
            id,
        }) => {
            let dest = resolved(a, i, dest_url);
            // Rendered as an ordinary link to the resolved URL.
            let link_type = match link_type {
                LinkType::WikiLink { .. } => LinkType::Inline,
                other => other,
            };
            Tag::Link {
                link_type,
                dest_url: dest,
                title,
                id,
            }
        }
        Event::Start(Tag::Image {
            link_type,
            dest_url,
            title,
            id,
        }) => {
            let dest = resolved(a, i, dest_url);
            Tag::Image {
                link_type,
                dest_url: dest,
                title,
                id,
            }
        }
        _ => unreachable!("only links and images are resolved"),
    }
}

/// What a wikilink without display text shows when it points at a heading:
/// `[[Title#Heading]]` reads "Title › Heading", `[[#Heading]]` "Heading".
fn wiki_display(link_type: &LinkType, dest: &str) -> Option<String> {
    if !matches!(link_type, LinkType::WikiLink { has_pothole: false }) {
        return None;
    }
    let (name, heading) = dest.split_once('#')?;
    let (name, heading) = (name.trim(), heading.trim());
    Some(if name.is_empty() {
        heading.to_string()
    } else {
        format!("{name} › {heading}")
    })
}

/// The URL the analysis resolved for the link or image at event `i`, else
/// the destination as written.
fn resolved<'e>(a: &'e Analysis, i: usize, dest: CowStr<'e>) -> CowStr<'e> {
    match a.hrefs.get(&i) {
        Some(href) => CowStr::Borrowed(href),
        None => dest,
    }
}

fn html_ev(s: String) -> Event<'static> {
    Event::Html(CowStr::from(s))
}

/// An opening tag with an id: `open`, the escaped id, `close`, as three
/// pieces of HTML. Every block gets one, so nothing is allocated for it
/// unless the id needs escaping (an explicit `{#id}` may).
fn push_tag_with_id<'e>(
    out: &mut Vec<Event<'e>>,
    open: &'static str,
    id: &'e str,
    close: &'static str,
) {
    out.push(Event::Html(CowStr::Borrowed(open)));
    out.push(
        if !id
            .bytes()
            .any(|b| matches!(b, b'&' | b'<' | b'>' | b'"' | b'\''))
        {
            Event::Html(CowStr::Borrowed(id))
        } else {
            html_ev(escape(id))
        },
    );
    out.push(Event::Html(CowStr::Borrowed(close)));
}

const OPEN_HEADING: [&str; 6] = [
    "<h1 id=\"",
    "<h2 id=\"",
    "<h3 id=\"",
    "<h4 id=\"",
    "<h5 id=\"",
    "<h6 id=\"",
];

const CLOSE_HEADING: [&str; 6] = [
    "</h1>\n", "</h2>\n", "</h3>\n", "</h4>\n", "</h5>\n", "</h6>\n",
];

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::page_from_text;
    use std::path::Path;

    fn site(specs: &[(&str, &str)]) -> Vec<crate::content::Page> {
        specs
            .iter()
            .map(|(rel, text)| page_from_text(Path::new(rel), rel, text.to_string()).unwrap())
            .collect()
    }

    fn render_first(specs: &[(&str, &str)]) -> Rendered {
        let pages = site(specs);
        let index = Index::new(&pages, &[], []);
        render(&index, 0)
    }

    #[test]
    fn task_lists_are_disabled_checkboxes_named_by_their_item() {
        let r = render_first(&[("a.md", "---\ntitle: A\n---\n- [x] Done it\n- [ ] Not yet\n")]);
        assert!(
            r.html.contains("<li id=\"p-done-it\"><input type=\"checkbox\" class=\"task\" disabled checked aria-labelledby=\"p-done-it\"> Done it</li>"),
            "{}",
            r.html
        );
        assert!(
            r.html
                .contains("disabled aria-labelledby=\"p-not-yet\"> Not yet"),
            "{}",
            r.html
        );
    }

    #[test]
    fn definition_lists_render_as_dl_and_keep_words_apart() {
        let r = render_first(&[("a.md", "---\ntitle: A\n---\nTerm\n: Its meaning.\n")]);
        assert!(
            r.html
                .contains("<dl>\n<dt id=\"term\">Term</dt>\n<dd>Its meaning.</dd>\n</dl>"),
            "{}",
            r.html
        );
    }

    #[test]
    fn a_summary_on_the_line_after_details_is_kept() {
        let r = render_first(&[(
            "a.md",
            "---\ntitle: A\n---\n<details>\n<summary>More</summary>\n\nBody.\n\n</details>\n",
        )]);
        assert!(
            r.html.contains("<details>\n<summary>More</summary>\n"),
            "{}",
            r.html
        );
        assert!(r.escaped_html.is_none());
        // A line with any other tag is still shown as text.
        let r = render_first(&[(
            "a.md",
            "---\ntitle: A\n---\n<details>\n<summary onclick=x>More</summary>\n",
        )]);
        assert!(r.html.contains("&lt;summary onclick=x&gt;"), "{}", r.html);
    }

    #[test]
    fn github_heading_ids_answer_too_when_the_site_opens_with_a_readme() {
        let page = "---\ntitle: A\n---\n## Smileys & Emotion\n\n## Smileys & Emotion\n";
        let r = render_first(&[("a.md", page), ("README.md", "---\ntitle: R\n---\n")]);
        assert!(
            r.html
                .contains("<h2 id=\"smileys-emotion\"><span id=\"smileys--emotion\"></span>"),
            "{}",
            r.html
        );
        assert!(r
            .html
            .contains("<h2 id=\"smileys-emotion-2\"><span id=\"smileys--emotion-1\"></span>"));
        assert!(r.ids.contains("smileys--emotion-1") && r.ids.contains("smileys-emotion-2"));
        // Without, the page is as it always was.
        let r = render_first(&[("a.md", page)]);
        assert!(!r.html.contains("<span"), "{}", r.html);
    }

    #[test]
    fn obsidian_markers_stay_out_of_text_ids_and_link_sentences() {
        let r = render_first(&[
            (
                "a.md",
                "---\ntitle: A\n---\n> [!tip]- A title\n> Read [[B]] %%not this%% now, it is ==good==. ^blk\n",
            ),
            ("b.md", "---\ntitle: B\n---\n"),
        ]);
        // A marker ending a quote names the whole quote, as in Obsidian.
        assert!(
            r.html.contains(
                "<details id=\"^blk\" class=\"callout callout-tip\" data-callout=\"tip\">"
            ),
            "{}",
            r.html
        );
        assert!(
            r.html.contains("<p id=\"p-read-b-now-it-is-good\">Read"),
            "{}",
            r.html
        );
        assert!(r.html.contains("<mark>good</mark>"), "{}", r.html);
        assert_eq!(&*r.links[0].context, "Read B  now, it is good.");
        assert_eq!(r.links[0].block.as_deref(), Some("p-read-b-now-it-is-good"));
        for marker in ["[!tip]", "not this", "^blk", "=="] {
            assert!(
                !r.html.contains(&format!(">{marker}")),
                "{marker}: {}",
                r.html
            );
        }
    }

    #[test]
    fn escaping_replaces_the_five_special_characters_only() {
        assert_eq!(
            escape("a<b>&\"c'ü–\u{1F600}&&"),
            "a&lt;b&gt;&amp;&quot;c&#39;ü–\u{1F600}&amp;&amp;"
        );
        assert_eq!(escape(""), "");
        assert_eq!(escape("plain"), "plain");
    }

    #[test]
    fn headings_and_blocks_get_unique_ids() {
        let r = render_first(&[(
            "a.md",
            "---\ntitle: A\n---\n## Intro\n\nSame words here.\n\nSame words here.\n\n## Intro\n\n## Main\n\n## Notes\n",
        )]);
        assert!(
            r.html.contains("<h2 id=\"main-2\">Main</h2>"),
            "the template's <main id=main> keeps its id: {}",
            r.html
        );
        assert!(
            r.html.contains("<h2 id=\"notes-2\">Notes</h2>"),
            "{}",
            r.html
        );
        assert!(r.html.contains("<h2 id=\"intro\">Intro</h2>"), "{}", r.html);
        assert!(r.html.contains("<h2 id=\"intro-2\">"), "{}", r.html);
        assert!(r.html.contains("<p id=\"p-same-words-here\">"));
        assert!(r.html.contains("<p id=\"p-same-words-here-2\">"));
        assert_eq!(r.toc.len(), 4);
    }

    /// The `id="…"` values of `html`, in order.
    fn html_ids(html: &str) -> Vec<&str> {
        html.split(" id=\"")
            .skip(1)
            .map(|rest| &rest[..rest.find('"').unwrap()])
            .collect()
    }

    #[test]
    fn explicit_heading_ids_win_over_derived_ones() {
        // Found by fuzzing: `## explicit` then `# {#explicit}` gave two
        // headings the id "explicit".
        let r = render_first(&[("a.md", "## Intro\n\n## Start {#intro}\n")]);
        assert_eq!(html_ids(&r.html), ["intro-2", "intro"], "{}", r.html);
        assert!(r.diagnostics.is_empty());
    }

    #[test]
    fn explicit_heading_ids_are_escaped_in_the_tag() {
        let r = render_first(&[("a.md", "## A {#x&y}\n\n## B {#it's}\n\nText.\n")]);
        assert!(r.html.contains("<h2 id=\"x&amp;y\">"), "{}", r.html);
        assert!(r.html.contains("<h2 id=\"it&#39;s\">"), "{}", r.html);
    }

    #[test]
    fn explicit_heading_ids_already_taken_are_errors_and_stay_unique() {
        let r = render_first(&[(
            "a.md",
            "---\ntitle: A\n---\n## A {#x}\n\n## B {#x}\n\n## C {#main}\n",
        )]);
        assert_eq!(html_ids(&r.html), ["x", "x-2", "main-2"], "{}", r.html);
        let msgs: Vec<String> = r.diagnostics.iter().map(|d| d.to_string()).collect();
        assert_eq!(msgs.len(), 2, "{msgs:?}");
        assert!(
            msgs[0].starts_with("a.md:6:1: error: heading id 'x' is already used on this page")
                && msgs[0].contains("give each heading its own id"),
            "{msgs:?}"
        );
        assert!(
            msgs[1].starts_with("a.md:8:1: error: heading id 'main' is already used")
                && msgs[1].contains("the page template uses this id"),
            "{msgs:?}"
        );
    }

    #[test]
    fn footnote_reference_ids_dodge_heading_ids() {
        let r = render_first(&[("a.md", "## H {#fnref2-a}\n\nx[^a] y[^a]\n\n[^a]: n\n")]);
        let ids = html_ids(&r.html);
        let unique: FxHashSet<&&str> = ids.iter().collect();
        assert_eq!(unique.len(), ids.len(), "{ids:?}");
        assert!(
            ids.contains(&"fnref2-a") && ids.contains(&"fnref2-a-2"),
            "{ids:?}"
        );
        assert!(r.html.contains("href=\"#fnref2-a-2\""), "{}", r.html);
    }

    #[test]
    fn title_heading_is_not_repeated_and_other_h1s_shift() {
        let r = render_first(&[("a.md", "# Title\n\ntext\n\n# Part\n\n## Sub\n")]);
        assert!(!r.html.contains(">Title<"), "{}", r.html);
        assert!(r.html.contains("<h2 id=\"part\">Part</h2>"), "{}", r.html);
        assert!(r.html.contains("<h3 id=\"sub\">Sub</h3>"), "{}", r.html);
        assert!(!r.html.contains("<h1"));
    }

    #[test]
    fn footnotes_are_numbered_by_first_reference_with_back_links() {
        let r = render_first(&[(
            "a.md",
            "Text[^b] and[^a] again[^b].\n\n[^a]: Note A.\n[^b]: Note B.\n",
        )]);
        let h = &r.html;
        assert!(h.contains("<sup class=\"footnote-ref\" id=\"fnref-b\"><a href=\"#fn-b\" aria-describedby=\"notes\">1</a></sup>"), "{h}");
        assert!(h.contains("id=\"fnref2-b\""), "{h}");
        let notes = &h[h.find("class=\"footnotes\"").unwrap()..];
        assert!(
            notes.find("fn-b").unwrap() < notes.find("fn-a").unwrap(),
            "b is cited first: {notes}"
        );
        assert!(
            notes.contains("href=\"#fnref-b\"") && notes.contains("href=\"#fnref2-b\""),
            "{notes}"
        );
        assert!(
            notes.contains("Note B. <a href=\"#fnref-b\""),
            "back links end the note's paragraph: {notes}"
        );
    }

    /// The numbers a reader sees: superscripts in reading order, then the
    /// notes list's `value`s in list order.
    fn shown_note_numbers(h: &str) -> (Vec<String>, Vec<String>) {
        let sups = h
            .split("aria-describedby=\"notes\">")
            .skip(1)
            .map(|s| s[..s.find('<').unwrap()].to_string())
            .collect();
        let values = h
            .split("<li id=\"fn-")
            .skip(1)
            .map(|s| {
                let v = &s[s.find("value=\"").unwrap() + 7..];
                v[..v.find('"').unwrap()].to_string()
            })
            .collect();
        (sups, values)
    }

    /// A chapter of a longer report: its notes are the report's 42 and 43.
    const CHAPTER_FOUR: &str = "Invest now.[^42] Among civilians.[^43] Again.[^42]\n\n\
                                [^42]: Report note 42.\n\n[^43]: Report note 43.\n";

    #[test]
    fn notes_keep_their_labels_as_numbers_when_the_page_says_so() {
        let page = format!("---\ntitle: Four\nnote_numbers: labels\n---\n{CHAPTER_FOUR}");
        let r = render_first(&[("chapters/four.md", &page)]);
        let h = &r.html;
        assert!(r.diagnostics.is_empty(), "{:?}", r.diagnostics);
        let (sups, values) = shown_note_numbers(h);
        assert_eq!(sups, ["42", "43", "42"], "{h}");
        assert_eq!(values, ["42", "43"], "{h}");
        // The list starts at the first note, so it reads right even where
        // `value` is ignored, and the back links name the report's number.
        assert!(
            h.contains("<ol start=\"42\">\n<li id=\"fn-42\" value=\"42\">"),
            "{h}"
        );
        assert!(h.contains("aria-label=\"Back to reference 43\""), "{h}");
        assert!(h.contains("aria-label=\"Back to reference 42 (2)\""), "{h}");
    }

    #[test]
    fn notes_are_numbered_in_order_by_default_whatever_their_labels() {
        // As GitHub and CommonMark renderers do: a page written elsewhere
        // reads the same here.
        let page = format!("---\ntitle: Four\n---\n{CHAPTER_FOUR}");
        let r = render_first(&[("chapters/four.md", &page)]);
        let (sups, values) = shown_note_numbers(&r.html);
        assert_eq!(sups, ["1", "2", "1"], "{}", r.html);
        assert_eq!(values, ["1", "2"], "{}", r.html);
        assert!(r.html.contains("<ol>\n"), "{}", r.html);
        let order = "---\ntitle: Four\nnote_numbers: order\n---\nA[^9] b[^2]\n\n[^2]: x\n[^9]: y\n";
        let (sups, _) = shown_note_numbers(&render_first(&[("a.md", order)]).html);
        assert_eq!(sups, ["1", "2"]);
    }

    #[test]
    fn label_numbers_list_notes_by_number_not_by_first_reference() {
        let page = "---\ntitle: A\nnote_numbers: labels\n---\nA[^9] b[^2] c[^10]\n\n\
                    [^10]: ten\n[^2]: two\n[^9]: nine\n";
        let r = render_first(&[("a.md", page)]);
        let (sups, values) = shown_note_numbers(&r.html);
        assert_eq!(sups, ["9", "2", "10"]);
        assert_eq!(values, ["2", "9", "10"], "{}", r.html);
        assert!(r.html.contains("<ol start=\"2\">"), "{}", r.html);
    }

    #[test]
    fn labels_that_are_no_number_or_repeat_one_are_errors_at_their_place() {
        let page = "---\ntitle: A\nnote_numbers: labels\n---\nOne[^1] two[^src] \
                    three[^01] four[^0].\n\n[^1]: a\n[^src]: b\n[^01]: c\n[^0]: d\n[^1]: e\n";
        let r = render_first(&[("a.md", page)]);
        let msgs: Vec<String> = r.diagnostics.iter().map(|d| d.to_string()).collect();
        assert_eq!(msgs.len(), 4, "{msgs:#?}");
        assert!(
            msgs[0].starts_with(
                "a.md:5:12: error: note [^src] has no number, but this page numbers its \
                 notes by their labels (note_numbers: labels)"
            ) && msgs[0].contains("label the note with its number"),
            "{msgs:#?}"
        );
        assert!(
            msgs[1].starts_with("a.md:5:24: error: note [^01] has number 1, as has [^1]"),
            "{msgs:#?}"
        );
        assert!(
            msgs[2].starts_with("a.md:5:34: error: note [^0] has no number"),
            "{msgs:#?}"
        );
        assert!(
            msgs[3].starts_with("a.md:11:1: error: note [^1] is defined twice"),
            "{msgs:#?}"
        );
        // The page still renders, each note with its own id and a number
        // after the page's numbered notes.
        let (sups, _) = shown_note_numbers(&r.html);
        assert_eq!(sups, ["1", "2", "1", "3"], "{}", r.html);
        let ids = html_ids(&r.html);
        let unique: FxHashSet<&&str> = ids.iter().collect();
        assert_eq!(unique.len(), ids.len(), "{ids:?}");
    }

    #[test]
    fn footnote_labels_match_without_regard_to_case() {
        // Found by fuzzing: `[^Icrc]` and `[^icrc]:` are one note to the
        // parser, but were two to us, and the reference linked to no id.
        let r = render_first(&[("a.md", "Text[^Icrc] and[^ICRC].\n\n[^icrc]: The note.\n")]);
        let h = &r.html;
        assert!(h.contains("id=\"fnref-icrc\"><a href=\"#fn-icrc\""), "{h}");
        assert!(h.contains("id=\"fnref2-icrc\"><a href=\"#fn-icrc\""), "{h}");
        assert!(h.contains("<li id=\"fn-icrc\" value=\"1\">"), "{h}");
        assert_eq!(h.matches("<li id=\"fn-").count(), 1, "{h}");
    }

    #[test]
    fn undefined_footnote_is_an_error() {
        // In GFM mode an undefined [^x] is plain text, so nothing to report.
        let r = render_first(&[("a.md", "Text[^zz].\n")]);
        assert!(r.html.contains("[^zz]"));
    }

    #[test]
    fn links_resolve_and_record_context() {
        let r = render_first(&[
            ("chapters/one.md", "---\ntitle: One\n---\nFirst sentence. See [poc](../topics/poc.md#x) for more. Last.\n"),
            ("topics/poc.md", "---\ntitle: Protection\n---\n## X\n"),
        ]);
        assert!(
            r.html.contains("<a href=\"../topics/poc.html#x\">poc</a>"),
            "{}",
            r.html
        );
        assert_eq!(r.links.len(), 1);
        let l = &r.links[0];
        assert_eq!((l.target, l.anchor.as_deref()), (1, Some("x")));
        assert_eq!(&*l.context, "See poc for more.");
        assert_eq!(
            l.block.as_deref(),
            Some("p-first-sentence-see-poc-for-more")
        );
        assert_eq!((l.line, l.col), (4, 21));
    }

    #[test]
    fn wikilinks_to_headings_read_naturally() {
        let r = render_first(&[
            ("a.md", "---\ntitle: A\n---\nSee [[B#Part Two]], [[#Here]] and [[B#Part Two|that part]].\n\n## Here\n"),
            ("b.md", "---\ntitle: B\n---\n## Part Two\n"),
        ]);
        assert!(
            r.html
                .contains("<a href=\"b.html#part-two\">B › Part Two</a>"),
            "{}",
            r.html
        );
        assert!(r.html.contains("<a href=\"#here\">Here</a>"), "{}", r.html);
        assert!(
            r.html.contains("<a href=\"b.html#part-two\">that part</a>"),
            "{}",
            r.html
        );
        assert_eq!(
            &*r.links[0].context,
            "See B › Part Two, Here and that part."
        );
        // A heading whose slug is taken by a template id resolves to its real id.
        let r = render_first(&[
            (
                "a.md",
                "---\ntitle: A\n---\n[[B#Main]] and [[#Notes]]\n\n## Notes\n",
            ),
            ("b.md", "---\ntitle: B\n---\n## Main\n"),
        ]);
        assert!(
            r.html.contains("<a href=\"b.html#main-2\">B › Main</a>"),
            "{}",
            r.html
        );
        assert!(
            r.html.contains("<a href=\"#notes-2\">Notes</a>"),
            "{}",
            r.html
        );
    }

    #[test]
    fn a_released_page_keeps_its_heading_ids_for_later_wikilinks() {
        let pages = site(&[
            (
                "a.md",
                "---\ntitle: A\n---\nText.\n\n## Part Two {#second}\n\n## Main\n",
            ),
            (
                "b.md",
                "---\ntitle: B\n---\n[[A#Part Two]] and [[A#Main]]\n",
            ),
        ]);
        let index = Index::new(&pages, &[], []);
        let a = render_and_release(&index, 0);
        assert!(a.html.contains("id=\"second\""), "{}", a.html);
        assert_eq!(pages[0].text().body(), "", "the body is released");
        assert!(pages[0].text().all().starts_with("---\ntitle: A\n---\n"));
        // Its heading ids come from the render, not from the released text.
        let b = render_and_release(&index, 1);
        assert!(b.html.contains("href=\"a.html#second\""), "{}", b.html);
        assert!(b.html.contains("href=\"a.html#main-2\""), "{}", b.html);
        assert!(b.diagnostics.is_empty(), "{:?}", b.diagnostics);
    }

    #[test]
    fn refused_urls_are_rendered_inert() {
        let r = render_first(&[(
            "a.md",
            "---\ntitle: A\nraw_html: true\n---\n[click *me*](javascript:alert(1)) \
             ![a picture](JaVaScRiPt:alert(2)) <vbscript:x> [ok](https://example.org) \
             [![inner](data:text/html,x)](java&#115;cript:y) [[javascript:alert(3)|no such page]]\n",
        )]);
        assert_eq!(r.diagnostics.len(), 6, "{:?}", r.diagnostics);
        // Only the allowed link keeps a URL; the others keep their text.
        assert_eq!(r.html.matches("href=").count(), 1, "{}", r.html);
        assert!(!r.html.contains("src="), "{}", r.html);
        assert!(r.html.contains(" vbscript:x "), "{}", r.html);
        assert!(r.html.contains("click <em>me</em>"), "{}", r.html);
        assert!(r.html.contains("a picture"), "{}", r.html);
        assert!(r.html.contains("inner"), "{}", r.html);
        assert!(
            r.html.contains("<a href=\"https://example.org\">ok</a>"),
            "{}",
            r.html
        );
    }

    #[test]
    fn broken_links_are_all_reported_with_positions() {
        let r = render_first(&[(
            "a.md",
            "---\ntitle: A\n---\n[x](nope.md) and [[Nobody]]\n\n[y](also-missing.md)\n",
        )]);
        let msgs: Vec<String> = r.diagnostics.iter().map(|d| d.to_string()).collect();
        assert_eq!(msgs.len(), 3, "{msgs:?}");
        assert!(
            msgs[0].starts_with("a.md:4:1: error: broken link 'nope.md'"),
            "{msgs:?}"
        );
        assert!(
            msgs[1].starts_with("a.md:4:18: error: broken link 'Nobody'"),
            "{msgs:?}"
        );
        assert!(
            msgs[2].starts_with("a.md:6:1: error: broken link 'also-missing.md'"),
            "{msgs:?}"
        );
    }

    #[test]
    fn acronyms_wrap_prose_and_link_once() {
        let r = render_first(&[
            (
                "a.md",
                "---\ntitle: A\n---\n## NATO heading\n\nNATO and NATO’s NGOs, not `NATO` code or [NATO link](b.md) or USA.\n",
            ),
            ("acronyms/nato.md", "---\ntitle: NATO\nkind: acronym\nexpansion: North Atlantic Treaty Organisation\n---\n"),
            ("acronyms/ngo.md", "---\ntitle: NGO\nkind: acronym\nexpansion: Non-governmental organisation\n---\n"),
            ("acronyms/us.md", "---\ntitle: US\nkind: acronym\nexpansion: United States\n---\n"),
            ("b.md", "# B\n"),
        ]);
        let h = &r.html;
        assert!(
            h.contains("<h2 id=\"nato-heading\">NATO heading</h2>"),
            "headings untouched: {h}"
        );
        assert!(
            h.contains("<a class=\"acronym\" href=\"acronyms/nato.html\"><abbr title=\"North Atlantic Treaty Organisation\">NATO</abbr></a> and <abbr title=\"North Atlantic Treaty Organisation\">NATO</abbr>’s"),
            "{h}"
        );
        assert!(
            h.contains("<abbr title=\"Non-governmental organisation\">NGOs</abbr>"),
            "{h}"
        );
        assert!(h.contains("<code>NATO</code>"), "{h}");
        assert!(h.contains(">NATO link</a>"), "{h}");
        assert!(h.contains(" USA."), "{h}");
        let acr: Vec<_> = r.links.iter().filter(|l| l.via_acronym).collect();
        assert_eq!(acr.len(), 2, "one link per acronym per page");
        assert!(
            acr[0].context.starts_with("NATO and NATO’s NGOs"),
            "{}",
            acr[0].context
        );
    }

    #[test]
    fn undefined_acronyms_are_located_in_the_source_text() {
        // Found by fuzzing: smart punctuation made `--¼--` shorter in the
        // parsed text than in the file, and the offset of `BB` in the text
        // fell inside the `¼` of the file (a panic).
        let r = render_first(&[("a.md", "--¼----------BB>--¼\n\nx &amp; ABC and A--B ABC.\n")]);
        assert_eq!(
            r.undefined_acronyms,
            [("BB".to_string(), 1, 14), ("ABC".to_string(), 3, 9)],
        );
    }

    #[test]
    fn acronym_page_does_not_link_to_itself() {
        let r = render_first(&[(
            "acronyms/un.md",
            "---\ntitle: UN\nkind: acronym\nexpansion: United Nations\n---\nThe UN is big.\n",
        )]);
        assert!(
            r.html
                .contains("The <abbr title=\"United Nations\">UN</abbr> is big."),
            "{}",
            r.html
        );
        assert!(r.links.is_empty());
    }

    #[test]
    fn raw_html_is_escaped_unless_a_plain_safe_tag() {
        let r = render_first(&[(
            "a.md",
            "<script>alert(1)</script>\n\n<figure>\n<figcaption>\n\nCaption\n\n</figcaption>\n</figure>\n\nInline <b onclick=\"x\">b</b> <sup>2</sup> <!-- note -->\n",
        )]);
        let h = &r.html;
        assert!(!h.contains("<script>"), "{h}");
        assert!(h.contains("&lt;script&gt;"), "{h}");
        assert!(h.contains("<figure>") && h.contains("<figcaption>"), "{h}");
        assert!(h.contains("&lt;b onclick"), "{h}");
        assert!(h.contains("<sup>2</sup>"), "{h}");
        assert!(!h.contains("note -->"), "{h}");
    }

    #[test]
    fn an_attribute_less_aside_is_a_box_whose_content_is_markdown() {
        let r = render_first(&[(
            "a.md",
            "Before.\n\n<aside>\n\n## What is a plan?\n\nA *plan* is short.\n\n</aside>\n\nAfter.\n\n<aside onclick=\"x\">\n\nNo.\n\n</aside>\n",
        )]);
        let h = &r.html;
        let open = h.find("<aside>").expect("the aside passes through");
        let close = h.find("</aside>").unwrap();
        let inside = &h[open..close];
        assert!(inside.contains("<h2 id=\"what-is-a-plan\">"), "{h}");
        assert!(inside.contains("<em>plan</em>"), "{h}");
        assert!(h[close..].contains("<p id=\"p-after\">After.</p>"), "{h}");
        // An aside with attributes is shown as text, as any other tag.
        assert!(h.contains("&lt;aside onclick"), "{h}");
        // In the table of contents, marked as a box, not as a section.
        assert!(
            r.toc.iter().any(|e| e.id == "what-is-a-plan" && e.aside),
            "{:?}",
            r.toc
        );
        assert!(r.toc.iter().filter(|e| e.aside).count() == 1, "{:?}", r.toc);
    }

    #[test]
    fn raw_html_passes_through_when_the_page_or_the_site_opts_in() {
        let body = "<script>\nwindow.x = \"NATO\";\n</script>\n\nNATO text <script>var y = \
                    \"NATO\" + `z`;</script> and <b onclick=\"f()\">bold</b>.\n";
        let acronym = (
            "acronyms/nato.md",
            "---\ntitle: NATO\nkind: acronym\nexpansion: North Atlantic\n---\n",
        );
        let opted = format!("---\ntitle: A\nraw_html: true\n---\n{body}");
        let plain = format!("---\ntitle: A\n---\n{body}");
        let mut site_wide = site(&[("a.md", &plain), acronym]);
        site_wide[0].raw_html = true;
        let by_key = site(&[("a.md", &opted), acronym]);
        for pages in [by_key, site_wide] {
            let r = render(&Index::new(&pages, &[], []), 0);
            let h = &r.html;
            assert!(
                h.contains("<script>\nwindow.x = \"NATO\";\n</script>"),
                "{h}"
            );
            assert!(
                h.contains(
                    "<script>var y = \"NATO\" + `z`;</script> and <b onclick=\"f()\">bold</b>"
                ),
                "verbatim: no curly quotes, no <abbr>, no <code>: {h}"
            );
            assert!(
                h.contains("<abbr title=\"North Atlantic\">NATO</abbr></a> text"),
                "{h}"
            );
            // What the search index is handed: the text a reader sees.
            let text: String = r.sections().iter().map(|s| s.text).collect();
            assert!(!text.contains("var") && !text.contains("window"), "{text}");
            assert!(text.contains("bold"), "{text}");
            assert_eq!(r.escaped_html, None);
        }
        let r = render_first(&[("a.md", &plain), acronym]);
        assert!(
            !r.html.contains("<script>") && !r.html.contains("<b "),
            "{}",
            r.html
        );
        assert!(r.html.contains("&lt;script&gt;var y"), "{}", r.html);
        assert_eq!(r.escaped_html, Some((4, 1, "<script>".to_string())));
    }

    #[test]
    fn block_ids_match_the_rendered_ids() {
        let md = "First **bold** para[^1] with [a link](x.md).\n\n- item one\n- item two\n\n[^1]: note\n";
        let ids = block_ids(md);
        let ids: Vec<&str> = ids.iter().map(|(_, id)| id.as_str()).collect();
        assert_eq!(
            ids,
            [
                "p-first-bold-para-with-a-link",
                "p-item-one",
                "p-item-two",
                "p-note"
            ]
        );
    }

    #[test]
    fn tables_render_in_a_scrolling_wrapper() {
        let r = render_first(&[("a.md", "| a | b |\n|---|--:|\n| 1 | 2 |\n")]);
        assert!(
            r.html
                .contains("<div class=\"table-wrap\" id=\"p-a-b-1-2\"><table>"),
            "{}",
            r.html
        );
        assert!(r.html.contains("style=\"text-align: right\""), "{}", r.html);
    }
}

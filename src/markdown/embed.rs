//! Obsidian embeds and block ids, as a rewrite of a page's events before
//! the analysis pass.
//!
//! `![[diagram.svg]]` and `![[photo.png|100]]` become images (the size hint
//! a width, or `WxH`), other attachments (`![[file.pdf#page=3]]`) links.
//! `![[Note]]`, `![[Note#Heading]]` and `![[Note#^block]]` standing alone in
//! a paragraph or list item bring that note, section or block into the page:
//! its events are spliced in, inside a box that links to the source, so that
//! the one analysis gives every block a unique id and numbers the embedded
//! footnotes with the page's own. Embedded headings get ids of their own
//! (prefixed, so that the page's ids stay those other pages link to), and
//! embedded links and names are resolved from the note they were written in.
//! An embed written inside a sentence stays a link. A block's `^id` marker is
//! taken off its text and becomes the block's id.

use std::ops::Range;

use pulldown_cmark::{CowStr, Event, HeadingLevel, LinkType, Tag, TagEnd};
use rustc_hash::{FxHashMap as HashMap, FxHashSet};

use super::syntax::Callout;
use super::{collect_events, escape, plain_text_from, Rendered};
use crate::diag::{Code, Diagnostic};
use crate::links::{is_external, relative_href, vault::Entry, Index};
use crate::slug::slugify;

type Ev<'a> = (Event<'a>, Range<usize>);

/// What the analysis needs besides the rewritten events.
#[derive(Debug, Default)]
pub(super) struct Extra {
    /// Events the build wrote (its HTML, never the author's).
    pub built: FxHashSet<usize>,
    /// Blocks with a `^id` marker: event → id (`^id`).
    pub block_ids: HashMap<usize, String>,
}

/// The opening of an embedded note's box: the analysis counts what is
/// inside as set apart from the page's own sections.
pub(super) const OPEN: &str = "<div class=\"transclusion\">\n";
/// The closing of the box.
pub(super) const CLOSE: &str = "</div>\n";

/// The name shown at the top of the box opened at event `open` of the
/// rewritten events: the text of its link to the source.
pub(super) fn label_at<'e>(events: &'e [Ev<'_>], open: usize) -> Option<&'e str> {
    events[open..]
        .iter()
        .take_while(|(e, _)| !matches!(e, Event::End(TagEnd::Link)))
        .find_map(|(e, _)| match e {
            Event::Text(t) => Some(t.as_ref()),
            _ => None,
        })
}

/// How deep embeds may nest (a cycle is reported before this is reached).
const MAX_DEPTH: usize = 16;

/// Image files, embedded as `<img>`.
const IMAGES: &[&str] = &[
    "png", "jpg", "jpeg", "gif", "svg", "webp", "avif", "bmp", "ico",
];

/// One rewritten event.
struct Item<'a> {
    event: Event<'a>,
    range: Range<usize>,
    built: bool,
    block_id: Option<String>,
    /// The host page's event this one is, at its place in the page's list.
    origin: Option<usize>,
    /// The callout an embedded block quote is.
    callout: Option<Callout>,
}

struct Expander<'i, 'p> {
    index: &'i Index<'p>,
    host: usize,
    text: &'i crate::content::Text,
    out: &'i mut Rendered,
    /// Id prefixes given so far, to keep two embeds of one note apart.
    prefixes: FxHashSet<String>,
}

/// Where an embed stands: alone in a paragraph or a list item (it becomes
/// the embedded text), on a line of its own in a paragraph (the paragraph
/// is cut around it, as Obsidian shows it), or among other text on its
/// line (it stays a link).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Place {
    Paragraph,
    Item,
    Line,
    Inline,
}

/// What the host's events after an embed need once it is in.
#[derive(Clone, Copy, PartialEq, Eq)]
enum After {
    Nothing,
    /// The embed took its paragraph: skip the paragraph's end.
    SkipEnd,
    /// The embed cut its paragraph: the line break after it opens the rest.
    Reopen,
}

/// Rewrites the events of page `page` (whose text is `text`) for its embeds
/// and block ids; problems go to `out.diagnostics`.
pub(super) fn expand<'a>(
    index: &Index,
    page: usize,
    text: &crate::content::Text,
    events: Vec<Ev<'a>>,
    syntax: &mut super::syntax::Extras,
    out: &mut Rendered,
) -> (Vec<Ev<'a>>, Extra) {
    let wanted = events.iter().any(|(e, _)| match e {
        Event::Start(Tag::Image { link_type, .. }) => {
            matches!(link_type, LinkType::WikiLink { .. })
        }
        Event::Text(t) => split_mark(t).is_some(),
        _ => false,
    });
    if !wanted {
        return (events, Extra::default());
    }
    let mut x = Expander {
        index,
        host: page,
        text,
        out,
        prefixes: FxHashSet::default(),
    };
    let mut items = Vec::with_capacity(events.len());
    // The host's own callouts were read before (see `syntax::rewrite`).
    x.splice(
        (events, &HashMap::default()),
        &mut vec![page],
        None,
        &mut items,
    );
    let mut extra = Extra::default();
    let mut rewritten = Vec::with_capacity(items.len());
    // The syntax found before the embeds went in is keyed by the host's
    // events: it moves with them to their new places.
    let mut moved = HashMap::default();
    let mut embedded_callouts = Vec::new();
    for (k, item) in items.into_iter().enumerate() {
        if item.built {
            extra.built.insert(k);
        }
        if let Some(id) = item.block_id {
            extra.block_ids.insert(k, id);
        }
        if let Some(i) = item.origin {
            moved.insert(i, k);
        }
        if let Some(c) = item.callout {
            embedded_callouts.push((k, c));
        }
        rewritten.push((item.event, item.range));
    }
    renumber(&mut syntax.callouts, &moved);
    syntax.callouts.extend(embedded_callouts);
    renumber(&mut syntax.block_ids, &moved);
    for (k, id) in std::mem::take(&mut extra.block_ids) {
        syntax.block_ids.entry(k).or_insert(id);
    }
    (rewritten, extra)
}

/// `map`'s keys, host events, moved to their places after the embeds.
fn renumber<V>(map: &mut HashMap<usize, V>, moved: &HashMap<usize, usize>) {
    *map = std::mem::take(map)
        .into_iter()
        .filter_map(|(i, v)| Some((*moved.get(&i)?, v)))
        .collect();
}

fn item(event: Event, range: Range<usize>) -> Item {
    Item {
        event,
        range,
        built: false,
        block_id: None,
        origin: None,
        callout: None,
    }
}

fn built(html: String, range: Range<usize>) -> Item<'static> {
    Item {
        event: Event::Html(CowStr::from(html)),
        range,
        built: true,
        block_id: None,
        origin: None,
        callout: None,
    }
}

impl Expander<'_, '_> {
    /// Appends `events` to `out`, rewritten. `chain` holds the pages being
    /// embedded, the host first; the events are the text of its last. `at`
    /// is where the embed stands in the host, for the events of an embedded
    /// text (their own positions are in another file), and `callouts` the
    /// callouts of such a text by event.
    fn splice<'a>(
        &mut self,
        (events, callouts): (Vec<Ev<'a>>, &HashMap<usize, Callout>),
        chain: &mut Vec<usize>,
        at: Option<&Range<usize>>,
        out: &mut Vec<Item<'a>>,
    ) {
        let mut open: Vec<usize> = Vec::new();
        let mut last_closed: Option<usize> = None;
        let mut i = 0;
        while i < events.len() {
            let (ev, range) = &events[i];
            let range = at.cloned().unwrap_or_else(|| range.clone());
            match ev {
                Event::Start(Tag::Image {
                    link_type: LinkType::WikiLink { has_pothole },
                    dest_url,
                    ..
                }) => {
                    i = self.wiki_embed(
                        (&events, i),
                        (dest_url, *has_pothole),
                        &mut open,
                        chain,
                        (&range, at.is_some()),
                        out,
                    );
                    continue;
                }
                Event::Start(Tag::Image {
                    link_type,
                    dest_url,
                    title,
                    id,
                }) if at.is_some() => {
                    let (dest, _) = self.link_of_embedded(chain, *link_type, dest_url);
                    open.push(out.len());
                    out.push(item(
                        Event::Start(Tag::Image {
                            link_type: *link_type,
                            dest_url: dest,
                            title: title.clone(),
                            id: id.clone(),
                        }),
                        range,
                    ));
                }
                Event::Start(Tag::Link {
                    link_type,
                    dest_url,
                    title,
                    id,
                }) if at.is_some() => {
                    let (dest, shown) = self.link_of_embedded(chain, *link_type, dest_url);
                    let link_type = match (link_type, &shown) {
                        (LinkType::WikiLink { .. }, Some(_)) => {
                            LinkType::WikiLink { has_pothole: true }
                        }
                        (t, _) => *t,
                    };
                    open.push(out.len());
                    out.push(item(
                        Event::Start(Tag::Link {
                            link_type,
                            dest_url: dest,
                            title: title.clone(),
                            id: id.clone(),
                        }),
                        range,
                    ));
                    if let Some(shown) = shown {
                        // The text as the reader saw it in the note.
                        out.push(item(
                            Event::Text(shown.into()),
                            at.cloned().unwrap_or_default(),
                        ));
                        let end = (i + 1..events.len())
                            .find(|&k| matches!(events[k].0, Event::End(TagEnd::Link)))
                            .unwrap_or(events.len() - 1);
                        i = end;
                        continue;
                    }
                }
                Event::Text(t) if split_mark(t).is_some() => {
                    match self.block_mark(
                        t,
                        &events,
                        i,
                        &range,
                        &mut open,
                        last_closed,
                        at.is_none(),
                        out,
                    ) {
                        Some(taken) => {
                            i += taken;
                            continue;
                        }
                        None => out.push(item(ev.clone(), range)),
                    }
                }
                Event::Start(_) => {
                    open.push(out.len());
                    out.push(Item {
                        callout: callouts.get(&i).cloned(),
                        ..item(ev.clone(), range)
                    });
                }
                Event::End(_) => {
                    let start = open.pop();
                    if open.is_empty() {
                        last_closed = start;
                    }
                    out.push(item(ev.clone(), range));
                }
                _ => out.push(item(ev.clone(), range)),
            }
            if at.is_none() {
                if let Some(last) = out.last_mut().filter(|it| it.origin.is_none()) {
                    last.origin = Some(i);
                }
            }
            i += 1;
        }
    }

    /// An embed of nothing the vault has, written back as it was for the
    /// analysis to report (its destination as the host must write it).
    #[allow(clippy::too_many_arguments)]
    fn unresolved<'a>(
        &mut self,
        dest: &str,
        name: &str,
        has_pothole: bool,
        (shown, inner): (&str, &[Ev<'a>]),
        chain: &[usize],
        (range, embedded): (&Range<usize>, bool),
        out: &mut Vec<Item<'a>>,
    ) {
        let (dest, _) = match embedded {
            true => self.link_of_embedded(
                chain,
                LinkType::WikiLink { has_pothole },
                &CowStr::from(dest.to_string()),
            ),
            false => (CowStr::from(dest.to_string()), None),
        };
        out.push(item(
            Event::Start(Tag::Image {
                link_type: LinkType::WikiLink { has_pothole },
                dest_url: dest,
                title: "".into(),
                id: "".into(),
            }),
            range.clone(),
        ));
        if size_hint(shown.trim()).is_some() {
            // `|300` sizes an image: the reader is better served by the
            // missing file's name than by the number.
            out.push(item(Event::Text(name.to_string().into()), range.clone()));
        } else {
            out.extend(inner.iter().map(|(e, _)| item(e.clone(), range.clone())));
        }
        out.push(item(Event::End(TagEnd::Image), range.clone()));
    }

    /// An embed `![[dest]]` at event `i` of `events` (ending at its image's
    /// end): transcluded where it stands, or left as a link. Returns the
    /// event to go on from.
    fn wiki_embed<'a>(
        &mut self,
        (events, i): (&[Ev<'a>], usize),
        (dest_url, has_pothole): (&CowStr<'a>, bool),
        open: &mut Vec<usize>,
        chain: &mut Vec<usize>,
        (range, nested): (&Range<usize>, bool),
        out: &mut Vec<Item<'a>>,
    ) -> usize {
        let end = (i + 1..events.len())
            .find(|&k| matches!(events[k].0, Event::End(TagEnd::Image)))
            .unwrap_or(events.len() - 1);
        let in_paragraph = open
            .last()
            .is_some_and(|&k| matches!(out[k].event, Event::Start(Tag::Paragraph)));
        let place = match (out.last().map(|it| &it.event), events.get(end + 1)) {
            (Some(Event::Start(Tag::Paragraph)), Some((Event::End(TagEnd::Paragraph), _))) => {
                Place::Paragraph
            }
            (Some(Event::Start(Tag::Item)), Some((Event::End(TagEnd::Item), _))) => Place::Item,
            (
                Some(Event::Start(Tag::Paragraph) | Event::SoftBreak | Event::HardBreak),
                Some((Event::End(TagEnd::Paragraph) | Event::SoftBreak | Event::HardBreak, _)),
            ) if in_paragraph => Place::Line,
            _ => Place::Inline,
        };
        let inner = &events[i + 1..end];
        let next_is_end = matches!(
            events.get(end + 1),
            Some((Event::End(TagEnd::Paragraph), _))
        );
        let transcluded = self.embed(
            dest_url,
            has_pothole,
            inner,
            place,
            chain,
            range,
            nested,
            out,
        );
        let after = match (transcluded, place, next_is_end) {
            (true, Place::Paragraph, _) | (true, Place::Line, true) => After::SkipEnd,
            (true, Place::Line, false) => After::Reopen,
            _ => After::Nothing,
        };
        match after {
            After::Nothing => end + 1,
            After::SkipEnd => {
                open.pop();
                end + 2
            }
            After::Reopen => {
                if let Some(top) = open.last_mut() {
                    *top = out.len();
                }
                out.push(item(Event::Start(Tag::Paragraph), range.clone()));
                end + 2
            }
        }
    }

    /// A link of an embedded note, as the host must write it to reach what
    /// the note meant: the name resolved from the note (its folder first),
    /// written as a path from the root, and a relative path or a `#heading`
    /// made to start at the note. With the text the reader saw, when the
    /// link's text was its destination.
    fn link_of_embedded(
        &self,
        chain: &[usize],
        link_type: LinkType,
        dest: &CowStr<'_>,
    ) -> (CowStr<'static>, Option<String>) {
        let pages = self.index.pages;
        let note = &pages[*chain.last().expect("the chain holds the host")];
        let note_path = note.rel.strip_suffix(".md").unwrap_or(&note.rel);
        match link_type {
            LinkType::WikiLink { has_pothole } => {
                let (name, frag) = match dest.split_once('#') {
                    Some((n, f)) => (n.trim(), Some(f)),
                    None => (dest.trim(), None),
                };
                let path = if name.is_empty() {
                    Some(note_path.to_string())
                } else {
                    match self
                        .index
                        .vault
                        .find(pages, *chain.last().unwrap_or(&0), name)
                    {
                        Some(Entry::Page(t)) => Some(
                            pages[t]
                                .rel
                                .strip_suffix(".md")
                                .unwrap_or(&pages[t].rel)
                                .to_string(),
                        ),
                        Some(Entry::Asset(a)) => Some(self.index.vault.asset_rel(a).to_string()),
                        None => None,
                    }
                };
                let Some(path) = path else {
                    return (dest.to_string().into(), None);
                };
                let new = match frag {
                    Some(f) => format!("/{path}#{f}"),
                    None => format!("/{path}"),
                };
                let shown = (!has_pothole).then(|| match frag {
                    Some(f) if name.is_empty() => f.trim().to_string(),
                    Some(f) => format!("{name} › {}", f.trim()),
                    None => name.to_string(),
                });
                (new.into(), shown)
            }
            LinkType::Email | LinkType::Autolink => (dest.to_string().into(), None),
            _ if is_external(dest) || dest.starts_with('/') => (dest.to_string().into(), None),
            _ if dest.starts_with('#') => (format!("/{}{dest}", note.rel).into(), None),
            _ => {
                let dir = note.rel.rsplit_once('/').map_or("", |(d, _)| d);
                let new = if dir.is_empty() {
                    format!("/{dest}")
                } else {
                    format!("/{dir}/{dest}")
                };
                (new.into(), None)
            }
        }
    }

    /// Handles an embed whose events are `inner` (its text) at `place`;
    /// true if the embedded text went in (at a paragraph or a line, the
    /// paragraph around it was ended before it).
    #[allow(clippy::too_many_arguments)]
    fn embed<'a>(
        &mut self,
        dest: &CowStr<'a>,
        has_pothole: bool,
        inner: &[Ev<'a>],
        place: Place,
        chain: &mut Vec<usize>,
        range: &Range<usize>,
        embedded: bool,
        out: &mut Vec<Item<'a>>,
    ) -> bool {
        let pages = self.index.pages;
        let ctx = *chain.last().expect("the chain holds the host");
        let dest = dest.trim().trim_end_matches('\\');
        let (name, frag) = match dest.split_once('#') {
            Some((n, f)) => (n.trim(), Some(f.trim())),
            None => (dest, None),
        };
        let shown: String = inner
            .iter()
            .filter_map(|(e, _)| match e {
                Event::Text(t) | Event::Code(t) => Some(t.as_ref()),
                _ => None,
            })
            .collect();
        let found = if name.is_empty() {
            Some(Entry::Page(ctx))
        } else {
            self.index.vault.find(pages, ctx, name)
        };
        let target = match found {
            Some(Entry::Asset(a)) => {
                let rel = self.index.vault.asset_rel(a);
                let href = relative_href(&pages[self.host].url, rel);
                out.push(built(
                    attachment_html(&href, rel, frag, has_pothole.then_some(shown.as_str())),
                    range.clone(),
                ));
                return false;
            }
            Some(Entry::Page(t)) => t,
            None => {
                // Left as it is: the analysis reports it with the page's
                // other broken links.
                let shown = (shown.as_str(), inner);
                self.unresolved(
                    dest,
                    name,
                    has_pothole,
                    shown,
                    chain,
                    (range, embedded),
                    out,
                );
                return false;
            }
        };
        let label = match frag {
            Some(f) if f.starts_with('^') && !name.is_empty() => name.to_string(),
            Some(f) if name.is_empty() => f.to_string(),
            Some(f) => format!("{name} › {f}"),
            None => name.to_string(),
        };
        let label = if has_pothole && !shown.is_empty() {
            shown.clone()
        } else {
            label
        };
        // The source's link, from the vault's root.
        let rel = &pages[target].rel;
        let link_dest = match (rel.strip_suffix(".md").unwrap_or(rel), frag) {
            (path, Some(f)) => format!("/{path}#{f}"),
            (path, None) => format!("/{path}"),
        };
        let link = |out: &mut Vec<Item<'a>>, text: String| push_link(out, &link_dest, text, range);
        if place == Place::Inline {
            link(out, label);
            return false;
        }
        // A section of the note itself is no cycle unless the embed stands
        // inside that section (checked once the section is picked, on the
        // host; deeper down the depth limit ends a loop).
        let own_section = target == ctx && frag.is_some_and(|f| !f.is_empty());
        if (chain.contains(&target) && !own_section) || chain.len() > MAX_DEPTH {
            let names: Vec<&str> = chain
                .iter()
                .chain(std::iter::once(&target))
                .map(|&p| pages[p].rel.as_str())
                .collect();
            self.report(
                range,
                format!("embed cycle: {}", names.join(" → ")),
                "an embedded note cannot embed a note that embeds it: link to it instead ([[Note]] without the !)",
                Code::EmbedCycle,
            );
            link(out, label);
            return false;
        }
        let part = match self.part(target, frag) {
            Ok(part)
                if own_section
                    && !embedded
                    && part.0.iter().any(|(_, r)| r.contains(&range.start)) =>
            {
                let name = &pages[target].rel;
                self.report(range, format!("embed cycle: {name} → {name}"), "an embed of a section of its own note cannot stand inside that section: link to it instead ([[#Heading]] without the !)", Code::EmbedCycle);
                link(out, label);
                return false;
            }
            Ok(part) => part,
            Err(message) => {
                self.report(
                    range,
                    message,
                    "embed a heading or a block (^id) that the note has",
                    Code::EmbedTarget,
                );
                out.push(item(Event::Text(label.into()), range.clone()));
                return false;
            }
        };
        if !self.out.heading_deps.contains(&target) {
            self.out.heading_deps.push(target);
        }
        match place {
            Place::Paragraph => {
                out.pop();
            }
            Place::Line => cut_paragraph(out, range),
            Place::Item | Place::Inline => {}
        }
        out.push(built(OPEN.to_string(), range.clone()));
        out.push(built(
            "<p class=\"transclusion-source\">".to_string(),
            range.clone(),
        ));
        link(out, label);
        out.push(built("</p>\n".to_string(), range.clone()));
        chain.push(target);
        let (part, callouts) = part;
        self.splice((part, &callouts), chain, Some(range), out);
        chain.pop();
        out.push(built(CLOSE.to_string(), range.clone()));
        true
    }

    /// Reports a problem of an embed at `range` of the host page; the
    /// source text there (`![[Note#Heading]]`) is what it is about.
    fn report(&mut self, range: &Range<usize>, message: String, hint: &str, code: Code) {
        let (line, col) = self.text.position(range.start);
        let source = &self.index.pages[self.host].source;
        let written = self.text.body().get(range.clone()).unwrap_or_default();
        let written = written
            .trim()
            .trim_start_matches("![[")
            .trim_end_matches("]]");
        self.out.diagnostics.push(
            Diagnostic::error(source, line, col, message)
                .with_hint(hint)
                .with_code(code)
                .with_subject(written.trim()),
        );
    }

    /// The events of page `target` that `frag` names (all of it, a heading's
    /// section or a block), with the notes they reference; headings and
    /// notes relabelled so that they stay apart from the host's. With the
    /// markers of [`super::syntax`] read as on the note's own page, and its
    /// callouts by event.
    #[allow(clippy::type_complexity)]
    fn part(
        &mut self,
        target: usize,
        frag: Option<&str>,
    ) -> Result<(Vec<Ev<'static>>, HashMap<usize, Callout>), String> {
        let p = &self.index.pages[target];
        let text = p.text();
        let (events, _) = collect_events(text.body());
        let events: Vec<Ev<'static>> = events
            .into_iter()
            .map(|(e, r)| (e.into_static(), r))
            .collect();
        let picked = match frag {
            None => whole(&events, p),
            Some(f) if f.starts_with('^') => block(&events, &f[1..])
                .ok_or_else(|| format!("embed: no block '{f}' in {}", p.rel))?,
            Some(f) => section(&events, f)
                .ok_or_else(|| format!("embed: no heading '{f}' in {}", p.rel))?,
        };
        let prefix = self.prefix(&p.title);
        let mut part: Vec<Ev<'static>> = Vec::with_capacity(picked.len());
        let mut referenced: Vec<CowStr<'static>> = Vec::new();
        let mut heading_ids = FxHashSet::default();
        let mut in_note = 0usize;
        for k in picked {
            let (ev, r) = &events[k];
            match ev {
                Event::Start(Tag::FootnoteDefinition(_)) => in_note += 1,
                Event::End(TagEnd::FootnoteDefinition) => {
                    in_note -= 1;
                    continue;
                }
                _ => {}
            }
            if in_note > 0 {
                continue;
            }
            if let Event::FootnoteReference(l) = ev {
                if !referenced.contains(l) {
                    referenced.push(l.clone());
                }
            }
            part.push((
                relabel(ev, &prefix, &events, k, &mut heading_ids),
                r.clone(),
            ));
        }
        // The notes the part references, after it.
        let mut in_wanted = false;
        for (k, (ev, r)) in events.iter().enumerate() {
            if let Event::Start(Tag::FootnoteDefinition(l)) = ev {
                in_wanted = referenced.contains(l);
            }
            if in_wanted {
                part.push((
                    relabel(ev, &prefix, &events, k, &mut heading_ids),
                    r.clone(),
                ));
            }
            if matches!(ev, Event::End(TagEnd::FootnoteDefinition)) {
                in_wanted = false;
            }
        }
        let callouts = super::syntax::rewrite_embedded(&mut part);
        Ok((part, callouts))
    }

    /// A prefix for the ids of an embed of the note titled `title`, unique
    /// on the page.
    fn prefix(&mut self, title: &str) -> String {
        let base = match slugify(title) {
            s if s.is_empty() => "embed".to_string(),
            s => s,
        };
        let mut prefix = base.clone();
        let mut n = 2;
        while !self.prefixes.insert(prefix.clone()) {
            prefix = format!("{base}-{n}");
            n += 1;
        }
        prefix
    }

    /// Takes a block id marker (`text ^id`, or `^id` on the block's last
    /// line) off text event `i`, giving the block the id (on the host page).
    /// A paragraph that is only a marker names the block before it, and is
    /// dropped. How many events were taken; none if the text has no marker.
    #[allow(clippy::too_many_arguments)]
    fn block_mark<'a>(
        &self,
        t: &CowStr<'a>,
        events: &[Ev<'a>],
        i: usize,
        range: &Range<usize>,
        open: &mut Vec<usize>,
        last_closed: Option<usize>,
        keep_id: bool,
        out: &mut Vec<Item<'a>>,
    ) -> Option<usize> {
        let ends_block = matches!(
            events.get(i + 1),
            Some((Event::End(TagEnd::Paragraph | TagEnd::Item), _))
        );
        let (rest, id) = ends_block.then(|| split_mark(t)).flatten()?;
        let id = format!("^{id}");
        let rest = rest.trim_end().to_string();
        if rest.is_empty() {
            while matches!(
                out.last().map(|it| &it.event),
                Some(Event::SoftBreak | Event::HardBreak)
            ) {
                out.pop();
            }
        }
        let alone = rest.is_empty()
            && matches!(
                out.last().map(|it| &it.event),
                Some(Event::Start(Tag::Paragraph))
            )
            && open.len() == 1;
        if alone {
            out.pop();
            open.pop();
            if let (true, Some(start)) = (keep_id, last_closed) {
                // A list or a quote has no id of its own: its first block.
                let k = (start..out.len()).find(|&k| {
                    matches!(
                        out[k].event,
                        Event::Start(Tag::Paragraph | Tag::Item | Tag::Table(_))
                    )
                });
                if let Some(k) = k {
                    out[k].block_id = Some(id);
                }
            }
            return Some(2);
        }
        if let (true, Some(&start)) = (keep_id, open.last()) {
            out[start].block_id = Some(id);
        }
        if !rest.is_empty() {
            out.push(item(Event::Text(rest.into()), range.clone()));
        }
        Some(1)
    }
}

/// Ends the paragraph an embed on a line of its own stands in, before the
/// embed: the line break before it goes, and a paragraph left empty too.
fn cut_paragraph(out: &mut Vec<Item<'_>>, range: &Range<usize>) {
    if matches!(
        out.last().map(|it| &it.event),
        Some(Event::SoftBreak | Event::HardBreak)
    ) {
        out.pop();
    }
    if matches!(
        out.last().map(|it| &it.event),
        Some(Event::Start(Tag::Paragraph))
    ) {
        out.pop();
    } else {
        out.push(item(Event::End(TagEnd::Paragraph), range.clone()));
    }
}

/// Splits a block id marker off the end of `t`: `(text before, id)`. The
/// id is read back from the end to its caret, so that the text before it
/// is not (every text of every page is asked).
fn split_mark(t: &str) -> Option<(&str, &str)> {
    let before_id = t.trim_end_matches(|c: char| c.is_ascii_alphanumeric() || c == '-');
    let before = before_id.strip_suffix('^')?;
    let id = &t[before_id.len()..];
    (!id.is_empty() && (before.is_empty() || before.ends_with(char::is_whitespace)))
        .then_some((before, id))
}

/// An event of an embedded part, relabelled: its notes' labels and its
/// headings' ids get the embed's prefix.
fn relabel(
    ev: &Event<'static>,
    prefix: &str,
    events: &[Ev<'static>],
    k: usize,
    heading_ids: &mut FxHashSet<String>,
) -> Event<'static> {
    match ev {
        Event::FootnoteReference(l) => Event::FootnoteReference(format!("{prefix}-{l}").into()),
        Event::Start(Tag::FootnoteDefinition(l)) => {
            Event::Start(Tag::FootnoteDefinition(format!("{prefix}-{l}").into()))
        }
        Event::Start(Tag::Heading {
            level,
            id,
            classes,
            attrs,
        }) => {
            let base = match id {
                Some(id) => format!("{prefix}-{id}"),
                None => format!("{prefix}-{}", slugify(&plain_text_from(events, k))),
            };
            let mut unique = base.clone();
            let mut n = 2;
            while !heading_ids.insert(unique.clone()) {
                unique = format!("{base}-{n}");
                n += 1;
            }
            Event::Start(Tag::Heading {
                level: *level,
                id: Some(unique.into()),
                classes: classes.clone(),
                attrs: attrs.clone(),
            })
        }
        _ => ev.clone(),
    }
}

/// All of a note but its title heading (the box names the note).
fn whole(events: &[Ev<'static>], p: &crate::content::Page) -> Vec<usize> {
    let mut from = 0;
    if let Some((
        Event::Start(Tag::Heading {
            level: HeadingLevel::H1,
            ..
        }),
        _,
    )) = events.first()
    {
        if p.title_from_body || plain_text_from(events, 0).trim() == p.title {
            from = events
                .iter()
                .position(|(e, _)| matches!(e, Event::End(TagEnd::Heading(_))))
                .map_or(0, |e| e + 1);
        }
    }
    (from..events.len()).collect()
}

/// The section of the heading `path` names (`A#B`: heading B after heading
/// A): the heading and what follows it up to the next heading of its level
/// or above.
fn section(events: &[Ev<'static>], path: &str) -> Option<Vec<usize>> {
    let mut from = 0;
    let mut found = None;
    for part in path.split('#').map(str::trim) {
        let wanted = slugify(part);
        let at = (from..events.len()).find(|&k| {
            matches!(events[k].0, Event::Start(Tag::Heading { .. }))
                && slugify(&plain_text_from(events, k)) == wanted
        })?;
        found = Some(at);
        from = at + 1;
    }
    let start = found?;
    let Event::Start(Tag::Heading { level, .. }) = events[start].0 else {
        return None;
    };
    let mut depth = 0usize;
    let mut end = events.len();
    for (k, (e, _)) in events.iter().enumerate().skip(start) {
        match e {
            Event::Start(Tag::Heading { level: l, .. })
                if depth == 0 && k > start && *l <= level =>
            {
                end = k;
                break;
            }
            Event::Start(_) => depth += 1,
            Event::End(_) => depth -= 1,
            _ => {}
        }
    }
    Some((start..end).collect())
}

/// The block with id marker `^id`: the paragraph or list item whose text
/// ends with it, or the block before a paragraph that is only the marker.
/// A list item comes inside a list of its own.
fn block(events: &[Ev<'static>], id: &str) -> Option<Vec<usize>> {
    let mut only_marker = false;
    let marked = events.iter().position(|(e, _)| match e {
        Event::Text(t) => split_mark(t).is_some_and(|(before, found)| {
            only_marker = before.trim().is_empty();
            found == id
        }),
        _ => false,
    })?;
    let mut depth = 0usize;
    let mut starts: Vec<usize> = Vec::new();
    let mut last_top: Option<(usize, usize)> = None;
    for (k, (e, _)) in events.iter().enumerate() {
        if k == marked {
            break;
        }
        match e {
            Event::Start(_) => {
                starts.push(k);
                depth += 1;
            }
            Event::End(_) => {
                depth -= 1;
                let start = starts.pop()?;
                if depth == 0 {
                    last_top = Some((start, k));
                }
            }
            _ => {}
        }
    }
    let innermost = *starts.last()?;
    if let Some(&table) = starts
        .iter()
        .find(|&&k| matches!(events[k].0, Event::Start(Tag::Table(_))))
    {
        // The marker is a last row of its own: the table, without that row.
        let row = *starts
            .iter()
            .rev()
            .find(|&&k| matches!(events[k].0, Event::Start(Tag::TableRow)))?;
        let row_end = matching_end(events, row)?;
        let table_end = matching_end(events, table)?;
        return Some(
            (table..=table_end)
                .filter(|k| !(row..=row_end).contains(k))
                .collect(),
        );
    }
    let end = matching_end(events, innermost)?;
    let parent = starts.len().checked_sub(2).map(|k| starts[k]);
    if let Some(quote) = parent.filter(|&q| {
        matches!(events[q].0, Event::Start(Tag::BlockQuote(_)))
            && matches!(
                events.get(end + 1),
                Some((Event::End(TagEnd::BlockQuote(_)), _))
            )
    }) {
        // The marker ends a quote (a callout): all of it.
        return Some((quote..=matching_end(events, quote)?).collect());
    }
    let only_marker = only_marker
        && starts.len() == 1
        && matches!(events[innermost].0, Event::Start(Tag::Paragraph))
        && innermost + 1 == marked;
    if only_marker {
        let (start, end) = last_top?;
        return Some((start..=end).collect());
    }
    if matches!(events[innermost].0, Event::Start(Tag::Item)) {
        // The list around the item, with the item alone in it.
        let list = *starts
            .iter()
            .rev()
            .find(|&&k| matches!(events[k].0, Event::Start(Tag::List(_))))?;
        let list_end = matching_end(events, list)?;
        return Some(
            std::iter::once(list)
                .chain(innermost..=end)
                .chain(std::iter::once(list_end))
                .collect(),
        );
    }
    Some((innermost..=end).collect())
}

/// The event that ends the block event `start` opens.
fn matching_end(events: &[Ev<'static>], start: usize) -> Option<usize> {
    let mut depth = 0usize;
    for (k, (e, _)) in events.iter().enumerate().skip(start) {
        match e {
            Event::Start(_) => depth += 1,
            Event::End(_) => {
                depth -= 1;
                if depth == 0 {
                    return Some(k);
                }
            }
            _ => {}
        }
    }
    None
}

/// The HTML of an embedded attachment: an image (a `|100` or `|100x80`
/// size hint sets its width and height, other text its description), or a
/// link to the file with the fragment (`#page=3`).
fn attachment_html(href: &str, rel: &str, frag: Option<&str>, shown: Option<&str>) -> String {
    let name = rel.rsplit('/').next().unwrap_or(rel);
    let (stem, ext) = name.rsplit_once('.').unwrap_or((name, ""));
    let shown = shown.map(str::trim).filter(|s| !s.is_empty());
    if IMAGES.contains(&ext.to_ascii_lowercase().as_str()) {
        let size = shown.and_then(size_hint);
        let alt = match (shown, size) {
            (Some(s), None) => s,
            _ => stem,
        };
        let mut html = format!("<img src=\"{}\" alt=\"{}\"", escape(href), escape(alt));
        if let Some((w, h)) = size {
            html.push_str(&format!(" width=\"{w}\""));
            if let Some(h) = h {
                html.push_str(&format!(" height=\"{h}\""));
            }
        }
        html.push('>');
        return html;
    }
    let href = match frag {
        Some(f) if !f.is_empty() => format!("{href}#{f}"),
        _ => href.to_string(),
    };
    format!(
        "<a class=\"attachment\" href=\"{}\">{}</a>",
        escape(&href),
        escape(shown.unwrap_or(name))
    )
}

/// `100` → (100, None), `100x80` → (100, Some(80)).
fn size_hint(s: &str) -> Option<(u32, Option<u32>)> {
    match s.split_once('x') {
        Some((w, h)) => Some((w.trim().parse().ok()?, Some(h.trim().parse().ok()?))),
        None => Some((s.parse().ok()?, None)),
    }
}

/// A wikilink to `dest` reading `text`, standing for the source at `range`.
fn push_link<'a>(out: &mut Vec<Item<'a>>, dest: &str, text: String, range: &Range<usize>) {
    out.push(item(
        Event::Start(Tag::Link {
            link_type: LinkType::WikiLink { has_pothole: true },
            dest_url: dest.to_string().into(),
            title: "".into(),
            id: "".into(),
        }),
        range.clone(),
    ));
    out.push(item(Event::Text(text.into()), range.clone()));
    out.push(item(Event::End(TagEnd::Link), range.clone()));
}
#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn block_markers_end_a_block_after_a_space() {
        assert_eq!(split_mark("text ^abc-1"), Some(("text ", "abc-1")));
        assert_eq!(split_mark("^abc"), Some(("", "abc")));
        assert_eq!(split_mark("2^10"), None);
        assert_eq!(split_mark("x ^a_b"), None);
    }

    #[test]
    fn size_hints_set_width_and_height() {
        assert_eq!(size_hint("100"), Some((100, None)));
        assert_eq!(size_hint("100x145"), Some((100, Some(145))));
        assert_eq!(size_hint("a photo"), None);
        let html = attachment_html("../a/p%20q.png", "a/p q.png", Some("icon"), Some("100"));
        assert_eq!(
            html,
            "<img src=\"../a/p%20q.png\" alt=\"p q\" width=\"100\">"
        );
        let pdf = attachment_html("doc.pdf", "doc.pdf", Some("page=3"), None);
        assert_eq!(
            pdf,
            "<a class=\"attachment\" href=\"doc.pdf#page=3\">doc.pdf</a>"
        );
    }
}

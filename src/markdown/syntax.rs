//! Syntax of Obsidian and GitHub that pulldown-cmark has no option for, read
//! from its events before the analysis: callouts `> [!tip]- Title` (and
//! GitHub's alerts `> [!NOTE]`, which it does parse), `%%comments%%`,
//! `==highlights==` and block ids `^abc123`.
//!
//! Each has a marker that plain CommonMark text hardly ever holds, so it is
//! read on every site. Markers are taken out of the events here, so that
//! they never reach a block's id, a backlink's sentence or the search text.

use std::ops::Range;

use pulldown_cmark::{BlockQuoteKind, CowStr, Event, LinkType, Tag, TagEnd};
use rustc_hash::FxHashMap as HashMap;

use super::Pieces;

type Events<'a> = Vec<(Event<'a>, Range<usize>)>;

/// What the markers said, by the number of the event they belong to.
#[derive(Debug, Default)]
pub(super) struct Extras {
    /// Callouts and alerts, at the start of their block quote.
    pub callouts: HashMap<usize, Callout>,
    /// Block ids, at the start of their paragraph or list item.
    pub block_ids: HashMap<usize, String>,
}

/// A block quote shown as a callout.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Callout {
    /// Its type as written, lowercase (`tip`, `faq`).
    pub kind: String,
    /// `Some(true)` folds open (`+`), `Some(false)` folded (`-`), `None`
    /// does not fold.
    pub fold: Option<bool>,
    /// Its title, or the type's name.
    pub title: String,
}

/// Reads the markers in `events` (parsed from `body`), taking them out. Text
/// events changed lose their entry in `pieces` (words in them are then
/// found in their source).
pub(super) fn rewrite(events: &mut Events, pieces: &mut Pieces, body: &str) -> Extras {
    unescape_table_pipes(events);
    // Most pages have no marker of a kind: a search of the source spares
    // them a pass over every text event.
    if may_hold(body, b'%') {
        drop_comments(events, pieces);
    }
    if may_hold(body, b'=') {
        mark_highlights(events, pieces);
    }
    let (callouts, title_ids) = find_callouts(events, pieces);
    let mut block_ids = match may_hold(body, b'^') {
        true => find_block_ids(events, pieces),
        false => HashMap::default(),
    };
    block_ids.extend(title_ids);
    Extras {
        callouts,
        block_ids,
    }
}

/// Reads the markers of an embedded note's part, taking them out, as
/// [`rewrite`] does for a page: its callouts, by the number of their event
/// in `events`. Its block ids are left to the embed, which knows which to
/// keep.
pub(super) fn rewrite_embedded(events: &mut Events) -> HashMap<usize, Callout> {
    // Word positions are looked up in the host's text only.
    let mut pieces = Pieces::default();
    unescape_table_pipes(events);
    drop_comments(events, &mut pieces);
    mark_highlights(events, &mut pieces);
    find_callouts(events, &mut pieces).0
}

/// Whether a text parsed from `body` may hold the ASCII character `c`: the
/// source has it, or an entity (`&#61;`) that may stand for it.
fn may_hold(body: &str, c: u8) -> bool {
    memchr::memchr2(c, b'&', body.as_bytes()).is_some()
}

/// `[[Page\|label]]` in a table: the backslash keeps the pipe from ending
/// the cell, and is no part of the page's name.
fn unescape_table_pipes(events: &mut Events) {
    for (ev, _) in events.iter_mut() {
        if let Event::Start(Tag::Link {
            link_type: LinkType::WikiLink { has_pothole: true },
            dest_url,
            ..
        }) = ev
        {
            if let Some(name) = dest_url.strip_suffix('\\') {
                *dest_url = name.to_string().into();
            }
        }
    }
}

/// Where `mark` occurs in the text of `events` outside code: (event, byte
/// offset), in reading order, each with the event of the innermost tag
/// around it.
fn marks_in_text(events: &Events, mark: &str) -> Vec<(usize, usize, usize)> {
    let finder = memchr::memmem::Finder::new(mark);
    let mut out = Vec::new();
    let mut open: Vec<usize> = Vec::new();
    let mut in_code = 0usize;
    for (i, (ev, _)) in events.iter().enumerate() {
        match ev {
            Event::Start(tag) => {
                in_code += usize::from(matches!(tag, Tag::CodeBlock(_)));
                open.push(i);
            }
            Event::End(tag) => {
                in_code -= usize::from(matches!(tag, TagEnd::CodeBlock));
                open.pop();
            }
            // Every text of every page is searched: the vectorised search
            // of `memmem` rather than the general one of `str`.
            Event::Text(t) if in_code == 0 && finder.find(t.as_bytes()).is_some() => {
                let around = open.last().copied().unwrap_or(usize::MAX);
                let mut from = 0;
                while let Some(k) = finder.find(&t.as_bytes()[from..]) {
                    out.push((i, from + k, around));
                    from += k + mark.len();
                }
            }
            _ => {}
        }
    }
    out
}

/// Removes `%%comments%%`, inline or across blocks. A last `%%` without
/// its pair stays text. Tags opened inside a comment and closed after it
/// are opened again where it ends, so the events stay balanced; paragraphs
/// left empty go.
fn drop_comments(events: &mut Events, pieces: &mut Pieces) {
    let mut marks = marks_in_text(events, "%%");
    marks.truncate(marks.len() / 2 * 2);
    if marks.is_empty() {
        return;
    }
    let mut out: Events = Vec::with_capacity(events.len());
    let mut marks = marks.into_iter().peekable();
    let mut in_comment = false;
    // Tags opened inside the comment and not closed yet.
    let mut reopen: Events = Vec::new();
    for (i, (ev, range)) in std::mem::take(events).into_iter().enumerate() {
        if marks.peek().is_some_and(|m| m.0 == i) {
            let Event::Text(t) = &ev else {
                unreachable!("marks are in text")
            };
            pieces.remove(&range);
            let mut from = 0;
            while let Some(&(_, at, _)) = marks.peek().filter(|m| m.0 == i) {
                if !in_comment && at > from {
                    out.push((Event::Text(t[from..at].to_string().into()), range.clone()));
                }
                in_comment = !in_comment;
                if !in_comment {
                    out.append(&mut reopen);
                }
                from = at + 2;
                marks.next();
            }
            if !in_comment && from < t.len() {
                out.push((Event::Text(t[from..].to_string().into()), range.clone()));
            }
            continue;
        }
        if !in_comment {
            out.push((ev, range));
            continue;
        }
        match ev {
            Event::Start(_) => reopen.push((ev, range)),
            // Closes a tag opened inside the comment, or one opened before
            // it, which must close.
            Event::End(_) if reopen.pop().is_none() => out.push((ev, range)),
            _ => {}
        }
    }
    let mut kept: Events = Vec::with_capacity(out.len());
    for (ev, range) in out {
        if matches!(ev, Event::End(TagEnd::Paragraph))
            && matches!(kept.last(), Some((Event::Start(Tag::Paragraph), _)))
        {
            kept.pop();
            continue;
        }
        kept.push((ev, range));
    }
    *events = kept;
}

/// Turns `==text==` into `<mark>`: pairs of `==` inside one element, the
/// first followed by a non-space, the second after one.
fn mark_highlights(events: &mut Events, pieces: &mut Pieces) {
    let marks = marks_in_text(events, "==");
    if marks.is_empty() {
        return;
    }
    let text_of = |i: usize| match &events[i].0 {
        Event::Text(t) => t.as_ref(),
        _ => "",
    };
    // Per element, the `==` waiting for its pair.
    let mut opener: HashMap<usize, (usize, usize)> = HashMap::default();
    // (event, offset, whether it opens)
    let mut pairs: Vec<(usize, usize, bool)> = Vec::new();
    for (i, at, around) in marks {
        let t = text_of(i);
        let before = t[..at].chars().next_back();
        let after = t[at + 2..].chars().next();
        let closes = before.is_some_and(|c| !c.is_whitespace() && c != '=');
        let opens = after.is_some_and(|c| !c.is_whitespace() && c != '=');
        match opener.get(&around) {
            Some(&(oi, oat)) if closes => {
                pairs.push((oi, oat, true));
                pairs.push((i, at, false));
                opener.remove(&around);
            }
            _ if opens => {
                opener.insert(around, (i, at));
            }
            _ => {}
        }
    }
    if pairs.is_empty() {
        return;
    }
    pairs.sort();
    let mut out: Events = Vec::with_capacity(events.len() + pairs.len() * 2);
    let mut pairs = pairs.into_iter().peekable();
    for (i, (ev, range)) in std::mem::take(events).into_iter().enumerate() {
        if pairs.peek().is_none_or(|p| p.0 != i) {
            out.push((ev, range));
            continue;
        }
        let Event::Text(t) = &ev else {
            unreachable!("marks are in text")
        };
        pieces.remove(&range);
        let mut from = 0;
        while let Some((_, at, opens)) = pairs.next_if(|p| p.0 == i) {
            if at > from {
                out.push((Event::Text(t[from..at].to_string().into()), range.clone()));
            }
            let tag = if opens { "<mark>" } else { "</mark>" };
            out.push((Event::InlineHtml(CowStr::Borrowed(tag)), range.clone()));
            from = at + 2;
        }
        if from < t.len() {
            out.push((Event::Text(t[from..].to_string().into()), range.clone()));
        }
    }
    *events = out;
}

/// Finds callouts: block quotes whose first line is `[!type]`, maybe
/// followed by `-` (folded) or `+` (open) and a title, and GitHub's alerts.
/// The first line is taken out. A callout that is its title alone and ends
/// with a block id marker is that block: its id comes back beside it.
type Found = (HashMap<usize, Callout>, HashMap<usize, String>);

fn find_callouts(events: &mut Events, pieces: &mut Pieces) -> Found {
    let mut callouts = HashMap::default();
    let mut ids = HashMap::default();
    let starts: Vec<usize> = events
        .iter()
        .enumerate()
        .filter(|(_, (ev, _))| matches!(ev, Event::Start(Tag::BlockQuote(_))))
        .map(|(i, _)| i)
        .collect();
    if starts.is_empty() {
        return (callouts, ids);
    }
    let mut drop = vec![false; events.len()];
    let mut found = Vec::new();
    for i in starts {
        if let Event::Start(Tag::BlockQuote(Some(kind))) = &events[i].0 {
            let kind = alert_name(*kind);
            found.push((
                i,
                Callout {
                    title: default_title(kind),
                    kind: kind.to_string(),
                    fold: None,
                },
                None,
            ));
            continue;
        }
        let (Some((Event::Start(Tag::Paragraph), _)), Some((Event::Text(t), range))) =
            (events.get(i + 1), events.get(i + 2))
        else {
            continue;
        };
        let Some(mut callout) = parse_callout_line(t) else {
            continue;
        };
        pieces.remove(range);
        drop[i + 2] = true;
        let mut id = None;
        match events.get(i + 3).map(|e| &e.0) {
            Some(Event::SoftBreak | Event::HardBreak) => drop[i + 3] = true,
            Some(Event::End(TagEnd::Paragraph)) => {
                drop[i + 1] = true;
                drop[i + 3] = true;
                let alone = matches!(
                    events.get(i + 4).map(|e| &e.0),
                    Some(Event::End(TagEnd::BlockQuote(_)))
                );
                if let Some((kept, marker)) = split_block_id(&callout.title).filter(|_| alone) {
                    id = Some(format!("^{marker}"));
                    callout.title = kept.to_string();
                }
            }
            _ => {}
        }
        found.push((i, callout, id));
    }
    let mut found = found.into_iter().peekable();
    let mut out: Events = Vec::with_capacity(events.len());
    for (i, event) in std::mem::take(events).into_iter().enumerate() {
        if let Some((_, callout, id)) = found.next_if(|(at, _, _)| *at == i) {
            callouts.insert(out.len(), callout);
            if let Some(id) = id {
                ids.insert(out.len(), id);
            }
        }
        if !drop[i] {
            out.push(event);
        }
    }
    *events = out;
    (callouts, ids)
}

/// Reads `[!type]`, `[!type]- Title` or `[!type]+ Title` (the first line of
/// a block quote).
fn parse_callout_line(text: &str) -> Option<Callout> {
    let rest = text.strip_prefix("[!")?;
    let end = rest.find(']')?;
    let kind = &rest[..end];
    if kind.is_empty()
        || !kind
            .chars()
            .all(|c| c.is_alphanumeric() || c == '-' || c == '_')
    {
        return None;
    }
    let kind = kind.to_lowercase();
    let rest = &rest[end + 1..];
    let (fold, rest) = match rest.chars().next() {
        Some('-') => (Some(false), &rest[1..]),
        Some('+') => (Some(true), &rest[1..]),
        _ => (None, rest),
    };
    if !(rest.is_empty() || rest.starts_with(char::is_whitespace)) {
        return None;
    }
    let title = rest.trim();
    Some(Callout {
        title: if title.is_empty() {
            default_title(&kind)
        } else {
            title.to_string()
        },
        kind,
        fold,
    })
}

fn alert_name(kind: BlockQuoteKind) -> &'static str {
    match kind {
        BlockQuoteKind::Note => "note",
        BlockQuoteKind::Tip => "tip",
        BlockQuoteKind::Important => "important",
        BlockQuoteKind::Warning => "warning",
        BlockQuoteKind::Caution => "caution",
    }
}

/// A callout's type as a title: `faq` → `Faq`, `to-do` → `To do`.
fn default_title(kind: &str) -> String {
    let spaced = kind.replace(['-', '_'], " ");
    let mut chars = spaced.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

/// The family of a callout type, which gives its colour and icon: the
/// types Obsidian and GitHub know, with their aliases; others are notes.
pub(super) fn family(kind: &str) -> &'static str {
    match kind {
        "abstract" | "summary" | "tldr" => "abstract",
        "info" | "todo" => "info",
        "tip" | "hint" => "tip",
        "important" => "important",
        "success" | "check" | "done" => "success",
        "question" | "help" | "faq" => "question",
        "warning" | "attention" => "warning",
        "caution" | "failure" | "fail" | "missing" | "danger" | "error" | "bug" => "danger",
        "example" => "example",
        "quote" | "cite" => "quote",
        _ => "note",
    }
}

/// The icon of a callout family: an inline SVG drawn in the text colour.
pub(super) fn icon(family: &str) -> &'static str {
    match family {
        "tip" | "important" => ICON_TIP,
        "success" => ICON_SUCCESS,
        "question" => ICON_QUESTION,
        "warning" => ICON_WARNING,
        "danger" => ICON_DANGER,
        "example" | "abstract" => ICON_LIST,
        "quote" => ICON_QUOTE,
        _ => ICON_INFO,
    }
}

const SVG_OPEN: &str = "<svg class=\"callout-icon\" viewBox=\"0 0 24 24\" width=\"18\" height=\"18\" aria-hidden=\"true\" focusable=\"false\" fill=\"none\" stroke=\"currentColor\" stroke-width=\"2\" stroke-linecap=\"round\" stroke-linejoin=\"round\">";
const ICON_INFO: &str = "<circle cx=\"12\" cy=\"12\" r=\"9\"/><path d=\"M12 11v6M12 7.5v.5\"/>";
const ICON_TIP: &str = "<path d=\"M9 18h6M10 21h4M12 3a6 6 0 0 0-4 10.5c.7.7 1 1.5 1 2.5h6c0-1 .3-1.8 1-2.5A6 6 0 0 0 12 3z\"/>";
const ICON_SUCCESS: &str = "<circle cx=\"12\" cy=\"12\" r=\"9\"/><path d=\"M8 12.5l3 3 5-6\"/>";
const ICON_QUESTION: &str = "<circle cx=\"12\" cy=\"12\" r=\"9\"/><path d=\"M9.5 9.5a2.5 2.5 0 1 1 3.5 2.3c-.6.3-1 .9-1 1.6V14M12 17v.5\"/>";
const ICON_WARNING: &str =
    "<path d=\"M12 3.5L2.5 20h19L12 3.5z\"/><path d=\"M12 10v4.5M12 17v.5\"/>";
const ICON_DANGER: &str = "<circle cx=\"12\" cy=\"12\" r=\"9\"/><path d=\"M9 9l6 6M15 9l-6 6\"/>";
const ICON_LIST: &str = "<path d=\"M9 6h11M9 12h11M9 18h11M4.5 6h.01M4.5 12h.01M4.5 18h.01\"/>";
const ICON_QUOTE: &str = "<path d=\"M7 7h4v4c0 3-1.5 5-4 6M14 7h4v4c0 3-1.5 5-4 6\"/>";

/// The opening HTML of a callout, up to its body.
pub(super) fn callout_open(c: &Callout) -> String {
    let family = family(&c.kind);
    let mut html = String::with_capacity(700);
    let title = match c.fold {
        Some(open) => {
            html.push_str("<details class=\"callout callout-");
            html.push_str(family);
            html.push_str("\" data-callout=\"");
            super::escape_into(&mut html, &c.kind);
            html.push_str(if open { "\" open>\n" } else { "\">\n" });
            "summary"
        }
        None => {
            html.push_str("<aside class=\"callout callout-");
            html.push_str(family);
            html.push_str("\" data-callout=\"");
            super::escape_into(&mut html, &c.kind);
            html.push_str("\">\n");
            "p"
        }
    };
    html.push('<');
    html.push_str(title);
    html.push_str(" class=\"callout-title\">");
    html.push_str(SVG_OPEN);
    html.push_str(icon(family));
    html.push_str("</svg><span>");
    super::escape_into(&mut html, &c.title);
    html.push_str("</span></");
    html.push_str(title);
    html.push_str(">\n<div class=\"callout-body\">\n");
    html
}

/// The closing HTML of a callout.
pub(super) fn callout_close(c: &Callout) -> &'static str {
    match c.fold {
        Some(_) => "</div>\n</details>\n",
        None => "</div>\n</aside>\n",
    }
}

/// Finds block ids: `^abc123` at the end of a paragraph or list item,
/// after a space or on a line of its own; taken out of the text. As in
/// Obsidian, a marker that ends a block quote (a callout) names the whole
/// quote, and one on the line after a table (read as a last row) the table.
fn find_block_ids(events: &mut Events, pieces: &mut Pieces) -> HashMap<usize, String> {
    let mut ids = HashMap::default();
    let mut open: Vec<usize> = Vec::new();
    for j in 0..events.len() {
        match &events[j].0 {
            Event::Start(_) => open.push(j),
            Event::End(tag) => {
                let start = open.pop();
                if let (TagEnd::TableRow, Some(start), Some(&table)) = (tag, start, open.last()) {
                    if let Some(id) = marker_row(events, start, j).map(str::to_string) {
                        for (event, range) in &mut events[start..=j] {
                            pieces.remove(range);
                            *event = Event::Text(CowStr::Borrowed(""));
                        }
                        ids.insert(table, format!("^{id}"));
                    }
                    continue;
                }
                if !matches!(tag, TagEnd::Paragraph | TagEnd::Item) || j == 0 {
                    continue;
                }
                let (Some(start), (Event::Text(t), range)) = (start, &events[j - 1]) else {
                    continue;
                };
                let Some((kept, id)) = split_block_id(t) else {
                    continue;
                };
                let (kept, id) = (kept.to_string(), id.to_string());
                pieces.remove(range);
                if kept.is_empty() && matches!(events[j - 2].0, Event::SoftBreak) {
                    events[j - 2].0 = Event::Text(CowStr::Borrowed(""));
                }
                events[j - 1].0 = Event::Text(kept.into());
                let ends_quote = matches!(
                    events.get(j + 1),
                    Some((Event::End(TagEnd::BlockQuote(_)), _))
                );
                let block = match (ends_quote, open.last()) {
                    (true, Some(&quote)) => quote,
                    _ => start,
                };
                ids.insert(block, format!("^{id}"));
            }
            _ => {}
        }
    }
    ids
}

/// The id of a table's last row (events `start..=end`) that holds only a
/// block id marker in its first cell.
fn marker_row<'a>(events: &'a Events, start: usize, end: usize) -> Option<&'a str> {
    if !matches!(events.get(end + 1), Some((Event::End(TagEnd::Table), _))) {
        return None;
    }
    let mut texts = events[start + 1..end].iter().filter_map(|(e, _)| match e {
        Event::Text(t) if !t.trim().is_empty() => Some(t.as_ref()),
        Event::Start(Tag::TableCell) | Event::End(TagEnd::TableCell) => None,
        _ => Some(""),
    });
    let only = texts.next()?;
    if texts.next().is_some() {
        return None;
    }
    match split_block_id(only) {
        Some(("", id)) => Some(id),
        _ => None,
    }
}

/// `text` without a block id at its end, and the id: `"Some text ^ab-1"`
/// → `("Some text", "ab-1")`.
fn split_block_id(text: &str) -> Option<(&str, &str)> {
    let trimmed = text.trim_end();
    let caret = trimmed.rfind('^')?;
    let id = &trimmed[caret + 1..];
    let before = &trimmed[..caret];
    let valid = !id.is_empty() && id.chars().all(|c| c.is_ascii_alphanumeric() || c == '-');
    (valid && (before.is_empty() || before.ends_with(char::is_whitespace)))
        .then(|| (before.trim_end(), id))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rewritten(md: &str) -> (Vec<String>, Extras) {
        let (mut events, mut pieces) = super::super::collect_events(md);
        let extras = rewrite(&mut events, &mut pieces, md);
        let shown = events
            .iter()
            .filter_map(|(e, _)| match e {
                Event::Text(t) if !t.is_empty() => Some(format!("text {t}")),
                Event::InlineHtml(h) => Some(format!("html {h}")),
                Event::Start(Tag::Paragraph) => Some("<p>".into()),
                Event::End(TagEnd::Paragraph) => Some("</p>".into()),
                _ => None,
            })
            .collect();
        (shown, extras)
    }

    #[test]
    fn comments_go_inline_and_across_blocks() {
        assert_eq!(
            rewritten("a %%hidden *b*%% c\n").0,
            ["<p>", "text a ", "text  c", "</p>"]
        );
        assert_eq!(
            rewritten("a\n\n%%\nsecret\n\nmore secret\n%%\n\nb\n").0,
            ["<p>", "text a", "</p>", "<p>", "text b", "</p>"]
        );
        // A comment never closed is text.
        assert_eq!(rewritten("50%% off\n").0, ["<p>", "text 50%% off", "</p>"]);
        // Code keeps its marks.
        assert_eq!(rewritten("`%%x%%`\n").0, ["<p>", "</p>"]);
    }

    #[test]
    fn highlights_pair_within_an_element() {
        assert_eq!(
            rewritten("a ==b c== d\n").0,
            [
                "<p>",
                "text a ",
                "html <mark>",
                "text b c",
                "html </mark>",
                "text  d",
                "</p>"
            ]
        );
        assert_eq!(
            rewritten("x == y and y == z\n").0,
            ["<p>", "text x == y and y == z", "</p>"]
        );
    }

    #[test]
    fn markers_written_with_entities_or_escapes_are_read() {
        assert_eq!(
            rewritten("a &#37;&#37;hidden&#37;&#37; b\n").0,
            ["<p>", "text a ", "text  b", "</p>"]
        );
        assert_eq!(
            rewritten("a &#61;&#61;b&#61;&#61; c\n").0,
            [
                "<p>",
                "text a ",
                "html <mark>",
                "text b",
                "html </mark>",
                "text  c",
                "</p>"
            ]
        );
        assert_eq!(rewritten("x &#94;ab\n").1.block_ids.len(), 1);
    }

    #[test]
    fn callouts_are_read_from_their_first_line() {
        let (shown, extras) = rewritten("> [!tip]- Read *this*\n> Body\n");
        assert_eq!(extras.callouts.len(), 1);
        let c = extras.callouts.values().next().unwrap();
        assert_eq!((c.kind.as_str(), c.fold), ("tip", Some(false)));
        assert!(!shown.iter().any(|s| s.contains("[!")), "{shown:?}");
        let (_, extras) = rewritten("> [!FAQ]+\n> Body\n");
        let c = extras.callouts.values().next().unwrap();
        assert_eq!(
            (c.kind.as_str(), c.fold, c.title.as_str()),
            ("faq", Some(true), "Faq")
        );
        let (_, extras) = rewritten("> [!NOTE]\n> Body\n");
        assert_eq!(extras.callouts.values().next().unwrap().title, "Note");
        assert!(rewritten("> [not a callout]\n").1.callouts.is_empty());
    }

    #[test]
    fn an_escaped_pipe_in_a_table_leaves_the_page_name_whole() {
        let md = "| a |\n| - |\n| [[Page\\|label]] |\n";
        let (mut events, mut pieces) = super::super::collect_events(md);
        rewrite(&mut events, &mut pieces, md);
        let dest = events.iter().find_map(|(e, _)| match e {
            Event::Start(Tag::Link { dest_url, .. }) => Some(dest_url.to_string()),
            _ => None,
        });
        assert_eq!(dest.as_deref(), Some("Page"));
    }

    #[test]
    fn block_ids_end_paragraphs_and_items() {
        let (shown, extras) = rewritten("Some text ^ab-12\n\n- item ^c3\n");
        assert!(!shown.iter().any(|s| s.contains('^')), "{shown:?}");
        let mut ids: Vec<_> = extras.block_ids.values().cloned().collect();
        ids.sort();
        assert_eq!(ids, ["^ab-12", "^c3"]);
        assert!(rewritten("2^10 is x^2\n").1.block_ids.is_empty());
    }
}

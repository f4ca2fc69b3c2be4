//! Raw HTML on pages that opted in (`raw_html: true`, or `--raw-html`).
//!
//! An HTML block (`<script>` at the start of a line) reaches the emit pass
//! as raw lines already. An inline `<script>` or `<style>` does not: the
//! parser reads its content as markdown, so quotes turned curly, acronyms
//! wrapped in `<abbr>` and the code counted as prose for search and ids.
//! Such an element is therefore folded into one event holding its source
//! verbatim, which the rest of the build treats like any other raw HTML.

use std::ops::Range;

use pulldown_cmark::{CowStr, Event};

use super::syntax::Extras;
use super::{collect_events, Pieces};
use crate::content::{Page, Text};

/// Elements whose content the browser reads as code, not as HTML.
const RAW_TEXT: &[&str] = &["script", "style"];

/// The events of page `p`'s body (in `text`), with inline raw-text elements folded
/// when the page allows raw HTML, and the markers of [`super::syntax`] read.
/// With them, where merged text events came from ([`Pieces`]).
pub(super) fn page_events<'t>(
    p: &Page,
    text: &'t Text,
) -> (Vec<(Event<'t>, Range<usize>)>, Pieces, Extras) {
    let body = text.body();
    let (mut events, mut pieces) = collect_events(body);
    if p.raw_html {
        fold_raw_text(&mut events, body);
    }
    let extras = super::syntax::rewrite(&mut events, &mut pieces, body);
    (events, pieces, extras)
}

/// The raw-text element `html` opens (`<script …>` → `script`), if any.
fn opens(html: &str) -> Option<&'static str> {
    let rest = html.strip_prefix('<')?;
    RAW_TEXT.iter().copied().find(|name| {
        rest.get(..name.len())
            .is_some_and(|n| n.eq_ignore_ascii_case(name))
            && rest[name.len()..].starts_with(|c: char| c == '>' || c.is_ascii_whitespace())
    })
}

/// Whether `html` is the closing tag of `name`.
fn closes(html: &str, name: &str) -> bool {
    html.strip_prefix("</")
        .and_then(|rest| rest.get(..name.len()))
        .is_some_and(|n| n.eq_ignore_ascii_case(name))
}

/// Replaces each inline `<script>…</script>` (and `<style>`) by one inline
/// HTML event with its source text. An element whose closing tag is not in
/// the same run of inline events (it would close a link or a block opened
/// before it) is left as it is.
///
/// The elements are found first, then the events copied once into a new
/// list: folding in place would move all the events after each element. An
/// element that does not close is looked for up to where its run ends; the
/// same element opened again before there cannot close either, and is not
/// looked for again (a paragraph of unclosed `<script>` would be read once
/// per element).
fn fold_raw_text<'a>(events: &mut Vec<(Event<'a>, Range<usize>)>, body: &'a str) {
    let mut elements = Vec::new();
    // Per element of RAW_TEXT: before which event it is known not to close.
    let mut unclosed_before = [0usize; RAW_TEXT.len()];
    let mut i = 0;
    while i < events.len() {
        let name = match &events[i].0 {
            Event::InlineHtml(h) => opens(h),
            _ => None,
        };
        let k = name.and_then(|name| RAW_TEXT.iter().position(|n| *n == name));
        match k.filter(|&k| i >= unclosed_before[k]) {
            Some(k) => match closing(events, i, RAW_TEXT[k]) {
                Ok(end) => {
                    elements.push(i..=end);
                    i = end + 1;
                }
                Err(stop) => {
                    unclosed_before[k] = stop;
                    i += 1;
                }
            },
            None => i += 1,
        }
    }
    if elements.is_empty() {
        return;
    }
    let mut elements = elements.into_iter().peekable();
    let mut folded = Vec::with_capacity(events.len());
    // Where the element being folded starts in the source.
    let mut from = 0;
    for (j, event) in std::mem::take(events).into_iter().enumerate() {
        match elements.peek() {
            Some(e) if j == *e.start() => from = event.1.start,
            Some(e) if j == *e.end() => {
                let range = from..event.1.end;
                let html = Event::InlineHtml(CowStr::Borrowed(&body[range.clone()]));
                folded.push((html, range));
                elements.next();
            }
            Some(e) if j > *e.start() => {}
            _ => folded.push(event),
        }
    }
    *events = folded;
}

/// The index of the event closing the element `name` opened at `open`, if
/// it closes before anything opened earlier does; else the index where
/// the search stopped.
fn closing(events: &[(Event, Range<usize>)], open: usize, name: &str) -> Result<usize, usize> {
    let mut depth = 0usize;
    for (j, (ev, _)) in events.iter().enumerate().skip(open + 1) {
        match ev {
            Event::InlineHtml(h) if closes(h, name) => return Ok(j),
            Event::Start(_) => depth += 1,
            // The end of the paragraph, or of a link the element began in.
            Event::End(_) => match depth.checked_sub(1) {
                Some(d) => depth = d,
                None => return Err(j),
            },
            _ => {}
        }
    }
    Err(events.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn folded(md: &str) -> Vec<String> {
        let (mut events, _) = collect_events(md);
        fold_raw_text(&mut events, md);
        events
            .iter()
            .filter_map(|(e, _)| match e {
                Event::InlineHtml(h) => Some(format!("html {h}")),
                Event::Text(t) => Some(format!("text {t}")),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn an_inline_script_becomes_one_verbatim_event() {
        assert_eq!(
            folded("Go <script>var s = \"*NATO*\" + `x`;</script> on.\n"),
            [
                "text Go ",
                "html <script>var s = \"*NATO*\" + `x`;</script>",
                "text  on."
            ]
        );
        assert_eq!(
            folded("<span>a</span> <STYLE media=print>p{}</Style>\n"),
            [
                "html <span>",
                "text a",
                "html </span>",
                "text  ",
                "html <STYLE media=print>p{}</Style>"
            ]
        );
    }

    #[test]
    fn an_unclosed_element_does_not_stop_later_runs_from_folding() {
        assert_eq!(
            folded("a <script> b <script> c\n\nd <script>e</script> <style>f</style>\n"),
            [
                "text a ",
                "html <script>",
                "text  b ",
                "html <script>",
                "text  c",
                "text d ",
                "html <script>e</script>",
                "text  ",
                "html <style>f</style>"
            ]
        );
    }

    #[test]
    fn an_element_that_does_not_close_in_its_run_is_left_alone() {
        // Unclosed in its paragraph, and closing across a link's end.
        for md in [
            "Text <script>x\n\nmore</script>\n",
            "[a <script>b](x.md) c</script>\n",
            "a <scripts>x</scripts>\n",
        ] {
            let events = folded(md);
            assert!(
                events.iter().any(|e| e.starts_with("text ")),
                "{md}: {events:?}"
            );
        }
    }
}

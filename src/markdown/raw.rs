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

use super::collect_events;
use crate::content::{Page, Text};

/// Elements whose content the browser reads as code, not as HTML.
const RAW_TEXT: &[&str] = &["script", "style"];

/// The events of page `p`'s body (in `text`), with inline raw-text elements folded
/// when the page allows raw HTML.
pub(super) fn page_events<'t>(p: &Page, text: &'t Text) -> Vec<(Event<'t>, Range<usize>)> {
    let body = text.body();
    let mut events = collect_events(body);
    if p.raw_html {
        fold_raw_text(&mut events, body);
    }
    events
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
fn fold_raw_text<'a>(events: &mut Vec<(Event<'a>, Range<usize>)>, body: &'a str) {
    let mut i = 0;
    while i < events.len() {
        let name = match &events[i].0 {
            Event::InlineHtml(h) => opens(h),
            _ => None,
        };
        if let Some(end) = name.and_then(|name| closing(events, i, name)) {
            let range = events[i].1.start..events[end].1.end;
            let html = Event::InlineHtml(CowStr::Borrowed(&body[range.clone()]));
            events.splice(i..=end, [(html, range)]);
        }
        i += 1;
    }
}

/// The index of the event closing the element `name` opened at `open`, if
/// it closes before anything opened earlier does.
fn closing(events: &[(Event, Range<usize>)], open: usize, name: &str) -> Option<usize> {
    let mut depth = 0usize;
    for (j, (ev, _)) in events.iter().enumerate().skip(open + 1) {
        match ev {
            Event::InlineHtml(h) if closes(h, name) => return Some(j),
            Event::Start(_) => depth += 1,
            // The end of the paragraph, or of a link the element began in.
            Event::End(_) => depth = depth.checked_sub(1)?,
            _ => {}
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn folded(md: &str) -> Vec<String> {
        let mut events = collect_events(md);
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

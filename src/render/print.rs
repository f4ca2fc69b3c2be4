//! `print.html`: the whole report on one page, in reading order, for printing
//! or saving as PDF.
//!
//! The order is the one a printed report has: the home page's introduction,
//! the chapters in order, then short appendices — recommendations first (what
//! the report asks for is what readers of a printout look for after the
//! conclusions), the glossary, sources and interviews, each a list of titles
//! and summaries (those pages mostly quote the chapters, and a printout must
//! not repeat them) — and any other pages in full. Topic pages are left out:
//! they gather quotes of the chapters to help readers move around the site.
//! Each page's body is the HTML the markdown step already produced, with two
//! rewrites so that the page still works as one document: every id gets its
//! page's prefix (`chapters-02-findings--fn-1`), so ids stay unique, and every
//! internal link to a printed page is turned into an in-page `#…` anchor (to
//! the page's section, or to the prefixed id inside it); links to pages left
//! out point at their files. Headings move down so the page has one `<h1>`.
//! A site without chapters has no reading order: it gets the printout only
//! when asked for (`--print`), with every page printed whole.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::sync::Arc;

use rayon::prelude::*;
use rustc_hash::FxHashMap;

use crate::content::frontmatter::Kind;
use crate::content::Page;
use crate::links::percent_encode_path;
use crate::markdown::{escape, Rendered};
use crate::slug::slugify;

/// The site-relative URL of the print page.
pub const URL: &str = "print.html";

/// `text` as a CSS string literal, quotes included, safe inside a `<style>`
/// element (which no escaping of HTML reaches): for the report's title in the
/// printed pages' margins.
pub fn css_string(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' | '\\' => {
                out.push('\\');
                out.push(c);
            }
            // `</style>` must not close the element; hex escapes end in a space.
            '<' => out.push_str("\\3C "),
            '>' => out.push_str("\\3E "),
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A part of the printed report: a title and its pages in order.
#[derive(Debug, Clone)]
pub struct Part {
    /// Heading of the part (`Appendix A — Recommendations`); `None` for the
    /// chapters, whose titles are headings of their own.
    pub title: Option<String>,
    /// The kind whose index links should land on this part.
    pub kind: Option<Kind>,
    /// Page numbers in reading order.
    pub pages: Vec<usize>,
    /// The page whose text introduces the part (the kind's `_index.md`).
    pub intro: Option<usize>,
    /// Whether its pages are printed whole, or listed by title and summary.
    pub whole: bool,
}

/// The reading order from each kind's pages in order: chapters, then
/// appendices. `intro` gives the page introducing a kind's index, if any;
/// `other` are plain pages (not the home page, not kind introductions).
///
/// A site with chapters prints them whole and lists the pages of the other
/// kinds, which mostly quote them, by title and summary; its topics are left
/// out. A site without chapters (printed only when asked for) has nothing
/// they could repeat, so every page of every kind is printed whole.
pub fn parts(
    by_kind: &dyn Fn(Kind) -> Vec<usize>,
    intro: &dyn Fn(Kind) -> Option<usize>,
    other: Vec<usize>,
) -> Vec<Part> {
    let chapters = by_kind(Kind::Chapter);
    let listed = !chapters.is_empty();
    let mut parts = vec![Part {
        title: None,
        kind: Some(Kind::Chapter),
        pages: chapters,
        intro: intro(Kind::Chapter),
        whole: true,
    }];
    let mut appendices = vec![Kind::Recommendation];
    if !listed {
        appendices.push(Kind::Topic);
    }
    appendices.extend([Kind::Acronym, Kind::Source, Kind::Interview]);
    let mut letter = b'A';
    let mut push = |title: &str, kind: Option<Kind>, pages: Vec<usize>, whole: bool| {
        if !pages.is_empty() {
            parts.push(Part {
                title: Some(format!("Appendix {} — {title}", letter as char)),
                kind,
                pages,
                intro: kind.and_then(intro),
                whole,
            });
            letter += 1;
        }
    };
    for k in appendices {
        // The glossary is a definition list either way.
        push(
            k.index_title(),
            Some(k),
            by_kind(k),
            !listed && k != Kind::Acronym,
        );
    }
    push("Other pages", None, other, true);
    parts
}

/// The id of page `url`'s section: its path as a slug (`chapters-02-findings`).
pub fn section_id(url: &str) -> String {
    slugify(url.strip_suffix(".html").unwrap_or(url))
}

fn part_id(p: &Part, n: usize) -> String {
    match p.kind {
        Some(k) => format!("part-{k}"),
        None => format!("part-{n}"),
    }
}

/// Where a page lands in the printout.
struct Section {
    /// The id of its section or entry.
    id: String,
    /// Whether its text is printed whole, so that the ids inside it exist
    /// (an appendix lists pages by title only).
    whole: bool,
}

/// Rewrites one page's body for the print page: prefixed ids, in-page links,
/// headings moved down by `shift` levels.
struct Rewriter {
    /// Encoded site-relative URL → where each printed page lands.
    sections: FxHashMap<String, Section>,
    /// Kind index URL → part id.
    parts: FxHashMap<&'static str, String>,
}

impl Rewriter {
    fn rewrite(&self, html: &str, url: &str, shift: u8) -> String {
        let mut out = String::with_capacity(html.len() + html.len() / 8);
        self.rewrite_into(&mut out, html, url, shift);
        out
    }

    /// [`Rewriter::rewrite`], appended to `out`: the printout is a hundred
    /// megabytes for a large site, so it is not copied once more per page.
    fn rewrite_into(&self, out: &mut String, html: &str, url: &str, shift: u8) {
        let prefix = section_id(url);
        let from = out.len();
        out.reserve(html.len() + html.len() / 8);
        // Attributes are written by the markdown step as ` name="value"`, with
        // the value escaped, so a plain scan finds exactly them. One pass: each
        // `="` is looked at once (searching for every attribute name from the
        // current position would rescan a huge page once per attribute).
        const ATTRS: [&str; 5] = [
            " id",
            " href",
            " src",
            " aria-describedby",
            " aria-labelledby",
        ];
        let mut pos = 0;
        // Where links resolve to, one buffer for the page's links.
        let mut target = String::new();
        for (eq, value) in attribute_values(html) {
            let Some(attr) = ATTRS.iter().find(|a| html[..eq].ends_with(**a)) else {
                continue;
            };
            out.push_str(&html[pos..value.start]);
            let text = &html[value.clone()];
            match *attr {
                " href" => self.push_href(out, text, url, &prefix, &mut target),
                " src" => {
                    if resolve_into(&mut target, url, text) {
                        out.push_str(&target);
                    } else {
                        out.push_str(text);
                    }
                }
                _ => {
                    for (k, id) in text.split(' ').enumerate() {
                        if k > 0 {
                            out.push(' ');
                        }
                        out.push_str(&prefix);
                        out.push_str("--");
                        out.push_str(id);
                    }
                }
            }
            pos = value.end;
        }
        out.push_str(&html[pos..]);
        shift_headings_in(out, from, shift);
    }

    /// Appends what `value`, an href of the page at `url`, becomes in the
    /// printout (written in place: every link of the site comes here);
    /// `target` is room to resolve it in.
    fn push_href(
        &self,
        out: &mut String,
        value: &str,
        url: &str,
        prefix: &str,
        target: &mut String,
    ) {
        if let Some(frag) = value.strip_prefix('#') {
            out.push('#');
            out.push_str(prefix);
            if !frag.is_empty() {
                out.push_str("--");
                out.push_str(frag);
            }
            return;
        }
        if !resolve_into(target, url, value) {
            out.push_str(value);
            return;
        }
        let (path, frag) = match target.split_once('#') {
            Some((p, f)) => (p, Some(f)),
            None => (target.as_str(), None),
        };
        if let Some(section) = self.sections.get(path) {
            out.push('#');
            out.push_str(&section.id);
            if let Some(f) = frag.filter(|f| !f.is_empty() && section.whole) {
                out.push_str("--");
                out.push_str(f);
            }
        } else if let Some(part) = self.parts.get(path) {
            out.push('#');
            out.push_str(part);
        } else {
            // An asset or a page not in the printout: a file beside print.html.
            if crate::url::reads_as_scheme(target) {
                out.push_str("./");
            }
            out.push_str(target);
        }
    }
}

/// The attribute values of HTML the markdown step wrote, in order: the
/// position of each `="`'s `=` and the range of the value up to the next
/// `"` (the values a search for `="`, then for `"`, finds; in escaped text
/// a quote is `&quot;`). One vectorised scan for `"` pairs them, where a
/// search from each value's end cost a call per quote.
fn attribute_values(html: &str) -> impl Iterator<Item = (usize, std::ops::Range<usize>)> + '_ {
    let b = html.as_bytes();
    let mut quotes = memchr::memchr_iter(b'"', b);
    std::iter::from_fn(move || loop {
        let q = quotes.next()?;
        if q > 0 && b[q - 1] == b'=' {
            let close = quotes.next()?;
            return Some((q - 1, q + 1..close));
        }
    })
}

/// Site-relative form of a relative `href` written in the page at `from`, or
/// `None` for an absolute URL (`https:`, `mailto:`, `//host`).
#[cfg(test)]
fn resolve(from: &str, href: &str) -> Option<String> {
    let mut out = String::new();
    resolve_into(&mut out, from, href).then_some(out)
}

/// [`resolve`] into `out` (cleared first); false, leaving it empty, for an
/// absolute URL.
fn resolve_into(out: &mut String, from: &str, href: &str) -> bool {
    out.clear();
    let scheme = href
        .find(':')
        .is_some_and(|c| !href[..c].contains(['/', '?', '#']));
    if scheme || href.starts_with("//") || href.starts_with('/') {
        return false;
    }
    let (path, frag) = match href.split_once('#') {
        Some((p, f)) => (p, Some(f)),
        None => (href, None),
    };
    // Lenient: a `..` above the root is dropped.
    out.push_str(from.rsplit_once('/').map_or("", |(dir, _)| dir));
    crate::links::push_path(out, path);
    if let Some(f) = frag {
        out.push('#');
        out.push_str(f);
    }
    true
}

/// `<h2` → `<h3` … for `shift` = 1, capped at `<h6>`, in one pass over the
/// text (a replace per level would copy a large print page 18 times).
#[cfg(test)]
fn shift_headings(html: &str, shift: u8) -> String {
    let mut out = html.to_string();
    shift_headings_in(&mut out, 0, shift);
    out
}

/// [`shift_headings`] in place, from byte `from` of `html` on: the level is
/// one digit before and after, so nothing moves.
fn shift_headings_in(html: &mut String, from: usize, shift: u8) {
    if shift == 0 {
        return;
    }
    // Tags are a few bytes apart in HTML, so stopping at each `<` cost a
    // second pass as slow as the rewrite; a vectorised search for `<h` and
    // `</h` skips all other tags.
    let b = html.as_bytes();
    let mut digits = Vec::new();
    for open in [&b"<h"[..], b"</h"] {
        for at in memchr::memmem::find_iter(&b[from..], open) {
            let digit_at = from + at + open.len();
            if b.get(digit_at).is_some_and(|d| (b'1'..=b'6').contains(d))
                && matches!(b.get(digit_at + 1), Some(b' ' | b'>'))
            {
                digits.push(digit_at);
            }
        }
    }
    for at in digits {
        let n = html.as_bytes()[at] - b'0';
        let level = char::from(b'0' + (n + shift).min(6));
        html.replace_range(at..at + 1, level.encode_utf8(&mut [0; 4]));
    }
}

/// An appendix's pages, listed: the glossary as a definition list (acronym
/// and expansion), every other kind as a list of titles with who acts (for
/// recommendations) and the summary. Each entry carries the page's section
/// id, so links to the page land on it.
fn listing(s: &mut String, pages: &[Page], part: &Part) {
    let w = "writing to a String cannot fail";
    let summary = |p: &Page| p.meta.summary.as_deref().map(escape);
    if part.kind == Some(Kind::Acronym) {
        s.push_str("<dl class=\"glossary\">\n");
        for &i in &part.pages {
            let p = &pages[i];
            writeln!(
                s,
                "<dt id=\"{}\"><abbr>{}</abbr></dt>\n<dd>{}{}</dd>",
                section_id(&p.url),
                escape(&p.title),
                escape(p.meta.expansion.as_deref().unwrap_or("")),
                summary(p).map(|t| format!(" — {t}")).unwrap_or_default()
            )
            .expect(w);
        }
        s.push_str("</dl>\n");
        return;
    }
    let list = if part.kind == Some(Kind::Recommendation) {
        "ol"
    } else {
        "ul"
    };
    writeln!(s, "<{list} class=\"print-appendix\">").expect(w);
    for &i in &part.pages {
        let p = &pages[i];
        write!(
            s,
            "<li id=\"{}\" class=\"kind-{}\"><strong>{}</strong>",
            section_id(&p.url),
            p.kind,
            escape(&p.display_title())
        )
        .expect(w);
        if let Some(actor) = p.meta.actor.as_deref().filter(|a| !a.trim().is_empty()) {
            write!(
                s,
                " <span class=\"actor\">(who acts: {})</span>",
                escape(actor)
            )
            .expect(w);
        }
        if let Some(t) = summary(p) {
            write!(s, "<br>{t}").expect(w);
        }
        s.push_str("</li>\n");
    }
    writeln!(s, "</{list}>").expect(w);
}

/// The body of `print.html`: a table of contents, the home page's text, then
/// every part. `home` is the home page, if it has content.
pub fn render(
    pages: &[Page],
    rendered: &[Arc<Rendered>],
    home: Option<usize>,
    parts: &[Part],
) -> String {
    let mut out = Vec::new();
    write(&mut out, pages, rendered, home, parts, None).expect("writing to memory cannot fail");
    String::from_utf8(out).expect("the parts are UTF-8")
}

/// Pages rewritten at once, in parallel, before they are written out: enough
/// to keep both cores busy, few enough that a large site's printout is never
/// held in memory whole.
const CHUNK: usize = 64;

/// What a build session keeps of the printout: each page's section, by URL,
/// with the key of the page's markdown it was made from.
#[derive(Debug, Default)]
pub struct Memo {
    sections: HashMap<String, (u64, String)>,
}

/// Page `i`'s section as the memo has it, if made from the same markdown.
fn remembered<'m>(
    memo: &'m Option<(&mut Memo, &[u64])>,
    pages: &[Page],
    i: usize,
) -> Option<&'m str> {
    let (memo, keys) = memo.as_ref()?;
    let (key, section) = memo.sections.get(&pages[i].url)?;
    (*key == keys[i]).then_some(section.as_str())
}

/// Writes the body of `print.html` (see [`render`]) to `out` as it is made.
/// With a memo and each page's markdown key (which must change whenever the
/// page's text, or the site's set of pages, does), a page's section is
/// rewritten only when its key changed.
pub fn write(
    out: &mut dyn std::io::Write,
    pages: &[Page],
    rendered: &[Arc<Rendered>],
    home: Option<usize>,
    parts: &[Part],
    mut memo: Option<(&mut Memo, &[u64])>,
) -> std::io::Result<()> {
    let mut sections: FxHashMap<String, Section> = FxHashMap::default();
    let listed = parts
        .iter()
        .flat_map(|p| p.pages.iter().map(move |&i| (i, p.whole)));
    let intros = parts.iter().filter_map(|p| p.intro);
    for (i, whole) in listed.chain(home.into_iter().chain(intros).map(|i| (i, true))) {
        sections.insert(
            percent_encode_path(&pages[i].url),
            Section {
                id: section_id(&pages[i].url),
                whole,
            },
        );
    }
    let mut part_ids: FxHashMap<&'static str, String> = FxHashMap::default();
    for (n, p) in parts.iter().enumerate() {
        if let Some(url) = p.kind.and_then(Kind::index_url) {
            part_ids.insert(url, part_id(p, n));
        }
    }
    let rw = Rewriter {
        sections,
        parts: part_ids,
    };
    let mut s = String::new();
    let w = "writing to a String cannot fail";
    // `s` collects the small pieces between pages; it is flushed to `out`
    // before each batch of rewritten pages.

    // Chapters whose titles carry their numbers are not numbered again.
    let numbered = parts
        .iter()
        .filter(|p| p.title.is_none())
        .flat_map(|p| &p.pages)
        .any(|&i| pages[i].meta.number.is_some());
    s.push_str("<nav class=\"print-toc\" aria-labelledby=\"print-toc-title\">\n<h2 id=\"print-toc-title\">Contents</h2>\n");
    s.push_str(if numbered {
        "<ol class=\"numbered\">\n"
    } else {
        "<ol>\n"
    });
    for (n, part) in parts.iter().enumerate() {
        if part.pages.is_empty() {
            continue;
        }
        match &part.title {
            None => {
                for &i in &part.pages {
                    writeln!(
                        s,
                        "<li><a href=\"#{}\">{}</a></li>",
                        section_id(&pages[i].url),
                        escape(&pages[i].display_title())
                    )
                    .expect(w);
                }
            }
            Some(title) => {
                writeln!(
                    s,
                    "<li><a href=\"#{}\">{}</a> ({})</li>",
                    part_id(part, n),
                    escape(title),
                    part.pages.len()
                )
                .expect(w);
            }
        }
    }
    s.push_str("</ol>\n</nav>\n");

    if let Some(h) = home {
        writeln!(
            s,
            "<section class=\"print-page print-home\" id=\"{}\">\n{}</section>",
            section_id(&pages[h].url),
            rw.rewrite(&rendered[h].html, &pages[h].url, 1)
        )
        .expect(w);
    }
    for (n, part) in parts.iter().enumerate() {
        if part.pages.is_empty() {
            continue;
        }
        let page_heading = if part.title.is_some() { 3 } else { 2 };
        if let Some(title) = &part.title {
            writeln!(
                s,
                "<section class=\"print-part\" id=\"{}\">\n<h2>{}</h2>",
                part_id(part, n),
                escape(title)
            )
            .expect(w);
        }
        if let Some(i) = part.intro {
            writeln!(
                s,
                "<div class=\"print-intro\" id=\"{}\">\n{}</div>",
                section_id(&pages[i].url),
                rw.rewrite(&rendered[i].html, &pages[i].url, page_heading - 1)
            )
            .expect(w);
        }
        if !part.whole {
            listing(&mut s, pages, part);
        } else {
            for chunk in part.pages.chunks(CHUNK) {
                // Sections a session remembers from its last build are
                // written as they were; the others are made, in parallel.
                let made: Vec<Option<String>> = chunk
                    .par_iter()
                    .map(|&i| {
                        if remembered(&memo, pages, i).is_some() {
                            return None;
                        }
                        let p = &pages[i];
                        let mut s = String::new();
                        writeln!(
                            s,
                            "<section class=\"print-page kind-{}\" id=\"{}\">\n<p class=\"kind-badge kind-{}\">{}</p>\n<h{page_heading}>{}</h{page_heading}>",
                            p.kind,
                            section_id(&p.url),
                            p.kind,
                            p.kind.label(),
                            escape(&p.display_title())
                        )
                        .expect(w);
                        if let Some(summary) = &p.meta.summary {
                            writeln!(s, "<p class=\"summary\">{}</p>", escape(summary)).expect(w);
                        }
                        rw.rewrite_into(&mut s, &rendered[i].html, &p.url, page_heading - 1);
                        s.push_str("</section>\n");
                        Some(s)
                    })
                    .collect();
                out.write_all(std::mem::take(&mut s).as_bytes())?;
                for (&i, section) in chunk.iter().zip(made) {
                    match section {
                        Some(section) => {
                            out.write_all(section.as_bytes())?;
                            if let Some((memo, keys)) = memo.as_mut() {
                                memo.sections
                                    .insert(pages[i].url.clone(), (keys[i], section));
                            }
                        }
                        None => {
                            let known = remembered(&memo, pages, i).unwrap_or_default();
                            out.write_all(known.as_bytes())?;
                        }
                    }
                }
            }
        }
        if part.title.is_some() {
            s.push_str("</section>\n");
        }
    }
    out.write_all(s.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn attribute_values_are_found_like_substring_searches() {
        // The rule it replaces: the next `="`, then the next `"` after it.
        fn plain(t: &str) -> Vec<(usize, std::ops::Range<usize>)> {
            let mut found = Vec::new();
            let mut pos = 0;
            while let Some(eq) = t[pos..].find("=\"").map(|i| i + pos) {
                let Some(len) = t[eq + 2..].find('"') else {
                    break;
                };
                found.push((eq, eq + 2..eq + 2 + len));
                pos = eq + 2 + len;
            }
            found
        }
        let texts = [
            r#"<p id="a">x</p>"#,
            r#""="=""#,
            r#"a"b="c" d='e"' f=="g""#,
            r#"=""#,
            r#"""#,
            "",
            r#"<a href="x"title="y">"#,
            r#"<a href="x"="y" b="">"#,
        ];
        for t in texts {
            assert_eq!(attribute_values(t).collect::<Vec<_>>(), plain(t), "{t:?}");
        }
        let alphabet = ["=", "\"", "a", " id", "=\"", "<p>", "\"=\""];
        let mut rng = crate::testing::Rng::new(0x9E37_79B9_7F4A_7C15);
        for _ in 0..20_000 {
            let t = rng.text(&alphabet, 30);
            assert_eq!(attribute_values(&t).collect::<Vec<_>>(), plain(&t), "{t:?}");
        }
    }

    use crate::content::page_from_text;
    use crate::links::Index;
    use std::path::Path;

    #[test]
    fn ids_are_prefixed_and_links_stay_inside() {
        let specs = [
            ("chapters/one.md", "---\ntitle: One\nkind: chapter\norder: 1\n---\n## Start\n\nSee [two](two.md#later) and [[R]].[^n] And [out](https://example.org/x), [[T]].\n\n[^n]: A note with [[One#Start]].\n"),
            ("chapters/two.md", "---\ntitle: Two\nkind: chapter\norder: 2\n---\n## Later\n\nBack to [the index](index.html) and the [recommendations](../recommendations/index.html), [why](../recommendations/r.md#why).\n"),
            ("recommendations/r.md", "---\ntitle: R\nkind: recommendation\nactor: The <b>state</b>\nsummary: Act now.\n---\n## Why\n\nText.\n"),
            ("topics/t.md", "---\ntitle: T\nkind: topic\n---\nText.\n"),
        ];
        let pages: Vec<Page> = specs
            .iter()
            .map(|(rel, t)| page_from_text(Path::new(rel), rel, t.to_string()).unwrap())
            .collect();
        let generated = [
            "chapters/index.html".to_string(),
            "recommendations/index.html".to_string(),
            "topics/index.html".to_string(),
        ];
        let index = Index::new(&pages, &[], generated);
        let rendered: Vec<Arc<Rendered>> = (0..pages.len())
            .map(|i| Arc::new(crate::markdown::render(&index, i)))
            .collect();
        let parts = parts(
            &|k| match k {
                Kind::Chapter => vec![0, 1],
                Kind::Recommendation => vec![2],
                Kind::Topic => vec![3],
                _ => vec![],
            },
            &|_| None,
            vec![],
        );
        let html = render(&pages, &rendered, None, &parts);
        assert!(html.contains("id=\"chapters-one--start\""), "{html}");
        assert!(html.contains("href=\"#chapters-two--later\""), "{html}");
        assert!(html.contains("href=\"#recommendations-r\""), "{html}");
        assert!(html.contains("href=\"#chapters-one--fn-n\""), "{html}");
        assert!(html.contains("id=\"chapters-one--fnref-n\""), "{html}");
        assert!(html.contains("href=\"#chapters-one--start\""), "{html}");
        assert!(html.contains("href=\"#part-chapter\""), "{html}");
        assert!(html.contains("href=\"#part-recommendation\""), "{html}");
        assert!(html.contains("href=\"https://example.org/x\""), "{html}");
        assert!(html.contains("Appendix A — Recommendations"), "{html}");
        // An appendix lists its pages: title, who acts and summary, not the text.
        assert!(
            html.contains("<li id=\"recommendations-r\" class=\"kind-recommendation\"><strong>R</strong> <span class=\"actor\">(who acts: The &lt;b&gt;state&lt;/b&gt;)</span><br>Act now.</li>"),
            "{html}"
        );
        assert!(!html.contains("recommendations-r--why"), "{html}");
        // A link into a listed page lands on its entry.
        assert!(
            html.contains("<a href=\"#recommendations-r\">why</a>"),
            "{html}"
        );
        // Topics are not printed: links to them point at their pages.
        assert!(!html.contains("Topics"), "{html}");
        assert!(html.contains("href=\"topics/t.html\""), "{html}");
        // Chapter body h2 → h3 under the chapter's h2.
        assert!(html.contains("<h3 id=\"chapters-one--start\">"), "{html}");
        assert!(!html.contains("<h1"), "{html}");
        // No link leaves the page except the external one and the topic's.
        for part in html.split("href=\"").skip(1) {
            let v = &part[..part.find('"').unwrap()];
            assert!(
                v.starts_with('#') || v.starts_with("https:") || v == "topics/t.html",
                "{v}"
            );
        }
        // Every id is unique.
        let mut ids: Vec<&str> = html
            .split(" id=\"")
            .skip(1)
            .map(|p| &p[..p.find('"').unwrap()])
            .collect();
        let n = ids.len();
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), n);
    }

    #[test]
    fn titles_become_css_strings_that_cannot_leave_their_style_element() {
        assert_eq!(css_string("A report"), "\"A report\"");
        assert_eq!(
            css_string("Say \"no\" \\ yes"),
            "\"Say \\\"no\\\" \\\\ yes\""
        );
        assert_eq!(css_string("a</style>\nb"), "\"a\\3C /style\\3E  b\"");
    }

    #[test]
    fn headings_shift_in_one_pass_and_cap_at_six() {
        let html = "<h1 id=\"a\">A</h1><h2>B</h2><h5>E</h5><h6>F</h6><hr><header>x</header>";
        assert_eq!(
            shift_headings(html, 1),
            "<h2 id=\"a\">A</h2><h3>B</h3><h6>E</h6><h6>F</h6><hr><header>x</header>"
        );
        assert_eq!(shift_headings(html, 0), html);
        // Only from the given offset; tags cut short at the end are left.
        let mut s = String::from("<h2>x</h2><h3>y</h3><h4");
        shift_headings_in(&mut s, 10, 2);
        assert_eq!(s, "<h2>x</h2><h5>y</h5><h4");
        assert_eq!(shift_headings("<<h1>a</</h2>", 1), "<<h2>a</</h3>");
    }

    #[test]
    fn resolved_in_place_as_segment_by_segment() {
        fn plain(from: &str, href: &str) -> String {
            let mut parts: Vec<&str> = from.split('/').collect();
            parts.pop();
            let (path, frag) = match href.split_once('#') {
                Some((p, f)) => (p, Some(f)),
                None => (href, None),
            };
            for seg in path.split('/') {
                match seg {
                    ".." => {
                        parts.pop();
                    }
                    "." | "" => {}
                    s => parts.push(s),
                }
            }
            let mut out = parts.join("/");
            if let Some(f) = frag {
                out.push('#');
                out.push_str(f);
            }
            out
        }
        let froms = ["x.html", "a/x.html", "a/bb/x.html"];
        let alphabet = ["p", "q.html", "/", "..", ".", "#", "f", "é"];
        let mut rng = crate::testing::Rng::new(0x5851_F42D_4C95_7F2D);
        for _ in 0..20_000 {
            let href = rng.text(&alphabet, 12);
            let from = froms[rng.next() % froms.len()];
            if let Some(got) = resolve(from, &href) {
                assert_eq!(got, plain(from, &href), "{from:?} + {href:?}");
            }
        }
    }

    #[test]
    fn resolve_handles_dots_and_absolute_urls() {
        assert_eq!(resolve("a/b.html", "../c/d.html#x").unwrap(), "c/d.html#x");
        assert_eq!(resolve("b.html", "img/x.png").unwrap(), "img/x.png");
        assert!(resolve("b.html", "mailto:x@y").is_none());
        assert!(resolve("b.html", "https://x").is_none());
    }
}

//! What other tools' collections mean by their files, applied once the
//! content folder is read: mdBook's `SUMMARY.md` (reading order, nesting,
//! parts, drafts; not a page itself), `README.md` as its folder's index,
//! `{{#include}}` directives, and Hugo/Zola shortcodes dossier does not run.
//! Also the excerpts that list pages without a `summary:`.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};

use pulldown_cmark::{Event, Parser, Tag, TagEnd};

use super::frontmatter::Kind;
use super::summary::{self, Entry};
use std::sync::Arc;

use super::{include, page_from_text, shortcode, Content, Page, Text};
use crate::diag::{line_col, Code, Diagnostic, Diagnostics};

/// The book's table of contents file, at the top of the content folder.
pub const SUMMARY: &str = "SUMMARY.md";

/// The longest excerpt, in characters.
const EXCERPT_MAX: usize = 200;

/// What the conventions found, for navigation and for the build's report.
#[derive(Debug, Clone, Default)]
pub struct Found {
    /// `SUMMARY.md`'s entries in order (empty without one).
    pub summary: Vec<Entry>,
    /// Warnings found while loading, reported with the build's others.
    pub warnings: Vec<Diagnostic>,
    /// A page's first paragraph, by path, for pages without a `summary:` on a
    /// site without `kind:` (where folder indexes list them).
    pub excerpts: HashMap<String, String>,
}

/// The folder an mdBook book's chapters are in, when `dir` is the book's
/// top (it holds `book.toml`): the `src` that `[book]` names, `src` when
/// it names none. A book is built as mdBook builds it, from its top.
pub fn book_source(dir: &Path) -> Option<PathBuf> {
    let text = std::fs::read_to_string(dir.join("book.toml")).ok()?;
    let table: toml::Table = toml::from_str(&text).ok()?;
    let src = table
        .get("book")
        .and_then(|b| b.get("src"))
        .and_then(|s| s.as_str())
        .unwrap_or("src");
    let path = dir.join(src);
    path.is_dir().then_some(path)
}

/// Applies the conventions to freshly read `content` of folder `dir`;
/// errors go to `diags`, warnings to `content.conventions`.
pub fn apply(dir: &Path, content: &mut Content, diags: &mut Diagnostics) {
    let mut found = Found::default();
    let included = expand_pages(dir, &mut content.pages, diags, &mut found.warnings);
    readme_indexes(&mut content.pages);
    vault_home(&mut content.pages);
    if let Some(at) = content.pages.iter().position(|p| p.rel == SUMMARY) {
        let page = content.pages.remove(at);
        found.summary = summary::parse(page.text().body());
        let offset = page.text().all().len() - page.text().body().len();
        let first_line = line_col(page.text().all(), offset).0 - 1;
        for e in &mut found.summary {
            e.line += first_line;
        }
        order_by_summary(&page, &mut content.pages, &mut found);
        // Files only included elsewhere are parts of chapters, not chapters.
        let listed: HashSet<&str> = found
            .summary
            .iter()
            .filter_map(|e| e.rel.as_deref())
            .collect();
        let fragments: HashSet<String> = included
            .into_iter()
            .filter(|r| !listed.contains(r.as_str()))
            .collect();
        content.pages.retain(|p| !fragments.contains(&p.rel));
    }
    if content.pages.iter().all(|p| p.kind == Kind::Page) {
        found.excerpts = content
            .pages
            .iter()
            .filter(|p| p.meta.summary.is_none())
            .filter_map(|p| Some((p.rel.clone(), excerpt(p.text().body())?)))
            .collect();
    }
    content.conventions = found;
}

/// Expands includes and shortcodes in every page that has them, reporting
/// each unknown shortcode once; returns the files included.
fn expand_pages(
    dir: &Path,
    pages: &mut [Page],
    diags: &mut Diagnostics,
    warnings: &mut Vec<Diagnostic>,
) -> Vec<String> {
    let mut included = Vec::new();
    // Per shortcode name: where first met, and how often on how many pages.
    let mut shortcodes: BTreeMap<String, (Diagnostic, usize, usize)> = BTreeMap::new();
    for page in pages.iter_mut() {
        let text = page.text();
        let all = text.all();
        let body = all.len() - text.body().len();
        let mut new_text: Option<String> = None;
        if let Some(r) = shortcode::replace(all, body) {
            let mut names_here = HashSet::new();
            for m in &r.met {
                let first = names_here.insert(m.name.clone());
                let entry = shortcodes.entry(m.name.clone()).or_insert_with(|| {
                    let (line, col) = line_col(all, m.offset);
                    let d = Diagnostic::warning(
                        &page.source,
                        line,
                        col,
                        format!(
                            "shortcode '{}' is not run by dossier: its inner text is shown",
                            m.name
                        ),
                    )
                    .with_code(Code::Shortcode)
                    .with_subject(m.name.clone());
                    (d, 0, 0)
                });
                entry.1 += 1;
                entry.2 += usize::from(first);
            }
            new_text = Some(r.text);
        }
        let current = new_text.as_deref().unwrap_or(all);
        let mut regions = Vec::new();
        if let Some(ex) = include::expand(dir, &page.rel, current) {
            for p in ex.problems {
                let (line, col) = line_col(current, p.offset);
                let d = if p.error {
                    Diagnostic::error(&page.source, line, col, p.message)
                } else {
                    Diagnostic::warning(&page.source, line, col, p.message)
                }
                .with_code(Code::Include);
                let d = match p.hint {
                    Some(h) => d.with_hint(h),
                    None => d,
                };
                if p.error {
                    diags.push(d);
                } else {
                    warnings.push(d);
                }
            }
            included.extend(ex.included);
            regions = ex.regions;
            new_text = Some(ex.text);
        }
        drop(text);
        if let Some(t) = new_text {
            match page_from_text(&page.source, &page.rel, t) {
                Ok(mut p) => {
                    p.raw_html |= page.raw_html;
                    keep_lines(&p, &regions);
                    *page = p;
                }
                Err(d) => diags.push(d),
            }
        }
    }
    for (_, (d, uses, on)) in shortcodes {
        let hint = format!(
            "used {} on {}; write the text it stands for in markdown to keep it",
            crate::diag::count(uses, "time"),
            crate::diag::count(on, "page")
        );
        warnings.push(d.with_hint(hint));
    }
    included
}

/// Makes positions in `page` count the lines of its file, not those of the
/// text included into it: the line breaks within `regions` start no line.
fn keep_lines(page: &Page, regions: &[std::ops::Range<usize>]) {
    if regions.is_empty() {
        return;
    }
    let mut cell = page.text.lock();
    let text: &Text = &cell;
    let line_starts = text
        .line_starts
        .iter()
        .copied()
        .filter(|&s| !regions.iter().any(|r| s > r.start && s <= r.end))
        .collect();
    *cell = Arc::new(Text {
        all: text.all.clone(),
        body_offset: text.body_offset,
        line_starts,
    });
}

/// `README.md` is its folder's index page (as on GitHub and in mdBook),
/// unless the folder has an `_index.md` or `index.md`.
fn readme_indexes(pages: &mut [Page]) {
    let rels: HashSet<String> = pages.iter().map(|p| p.rel.clone()).collect();
    for p in pages.iter_mut() {
        let Some(dir) = p.rel.strip_suffix("README.md") else {
            continue;
        };
        if !(dir.is_empty() || dir.ends_with('/')) {
            continue;
        }
        if ["_index.md", "index.md"]
            .iter()
            .any(|n| rels.contains(&format!("{dir}{n}")))
        {
            continue;
        }
        p.url = format!("{dir}index.html");
    }
}

/// Gives each page `SUMMARY.md` lists its place as its order; an entry
/// naming no file is reported and shown as a draft.
fn order_by_summary(summary_page: &Page, pages: &mut [Page], found: &mut Found) {
    let by_rel: HashMap<String, usize> = pages
        .iter()
        .enumerate()
        .map(|(i, p)| (p.rel.clone(), i))
        .collect();
    for (n, e) in found.summary.iter_mut().enumerate() {
        let Some(rel) = e.rel.clone() else {
            continue;
        };
        match by_rel.get(&rel) {
            Some(&i) => pages[i].meta.order = Some(n as i64),
            None => {
                found.warnings.push(
                    Diagnostic::warning(
                        &summary_page.source,
                        e.line,
                        0,
                        format!("SUMMARY.md lists {rel}, which does not exist: shown as a draft"),
                    )
                    .with_code(Code::SummaryEntry)
                    .with_subject(rel.clone())
                    .with_hint(format!(
                        "create {rel}, or write [{}]() to mark a chapter still to be written",
                        e.title
                    )),
                );
                e.rel = None;
            }
        }
    }
}

/// The plain text of the first paragraph of markdown `body`, shortened at a
/// word to about [`EXCERPT_MAX`] characters.
pub fn excerpt(body: &str) -> Option<String> {
    let mut text = String::new();
    let mut inside = false;
    // An image's alternative text is not prose.
    let mut images = 0usize;
    for ev in Parser::new(body) {
        match ev {
            Event::Start(Tag::Image { .. }) => images += 1,
            Event::End(TagEnd::Image) => images = images.saturating_sub(1),
            Event::Start(Tag::Paragraph) => inside = true,
            Event::End(TagEnd::Paragraph) if inside => {
                if !text.trim().is_empty() {
                    break;
                }
                inside = false;
            }
            Event::Text(t) | Event::Code(t) if inside && images == 0 => text.push_str(&t),
            Event::SoftBreak | Event::HardBreak if inside => text.push(' '),
            _ => {}
        }
    }
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if text.is_empty() {
        return None;
    }
    if text.chars().count() <= EXCERPT_MAX {
        return Some(text);
    }
    let cut: String = text.chars().take(EXCERPT_MAX).collect();
    let cut = cut.rsplit_once(' ').map_or(cut.as_str(), |(a, _)| a);
    Some(format!("{}…", cut.trim_end_matches([',', ';', ':', '.'])))
}

/// A vault's start note, `Home.md` at the root, is the home page when no
/// page is already (`_index.md` or `index.md` at the root).
fn vault_home(pages: &mut [Page]) {
    if pages.iter().any(|p| p.url == "index.html") {
        return;
    }
    if let Some(home) = pages
        .iter_mut()
        .find(|p| p.rel.eq_ignore_ascii_case("home.md"))
    {
        home.url = "index.html".to_string();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_excerpt_is_the_first_paragraph_as_text() {
        let body = "# Title\n\n![img](x.png)\n\nThe **first** `paragraph`\nwraps.\n\nSecond.";
        assert_eq!(excerpt(body).unwrap(), "The first paragraph wraps.");
        let long = "word ".repeat(100);
        let e = excerpt(&long).unwrap();
        assert!(
            e.ends_with('…') && e.chars().count() <= EXCERPT_MAX + 1,
            "{e}"
        );
        assert!(excerpt("# Only a heading\n").is_none());
    }
}

//! The report's map: an SVG of how chapters, topics and recommendations link
//! to each other, laid out at build time without any JavaScript.
//!
//! The layout is columns per kind (chapters | topics | recommendations), one
//! node per row, so labels can never overlap: a row is taller than a label
//! and a label is cut to its node's width (the full title is in the node's
//! `<title>`, which screen readers announce). Chapters and recommendations keep
//! their reading order; topics sit at the average row of what they link to, to
//! shorten edges. Everything is ordered by page number or title, so the same
//! content always gives the same bytes. Every node is a relative `<a href>`.
//! The same drawing gives each topic and recommendation page a small
//! neighbourhood map: its chapters on the left, itself, its topics and
//! recommendations on the right.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

use crate::content::Page;
use crate::frontmatter::Kind;
use crate::links::{relative_href, Link};
use crate::markdown::escape;

/// Column and gap widths of a drawing.
#[derive(Debug, Clone, Copy)]
struct Geometry {
    /// Width of a node (and its column).
    col_w: usize,
    /// Horizontal room between columns, where the edges run.
    gap: usize,
}

/// The whole map: room for 30-character labels.
const WIDE: Geometry = Geometry {
    col_w: 230,
    gap: 110,
};

/// A neighbourhood map: three columns inside the ~70-character reading
/// measure (about 660px), labels cut sooner.
const NARROW: Geometry = Geometry {
    col_w: 180,
    gap: 44,
};

/// Width of a node in the whole map (for tests).
#[cfg(test)]
const COL_W: usize = WIDE.col_w;
/// Height of a node's box.
const NODE_H: usize = 26;
/// Distance from one row to the next (> `NODE_H`, so boxes never touch).
const ROW: usize = 34;
/// Room above the first row for the column headings.
const TOP: usize = 36;
/// Margin around the drawing.
const PAD: usize = 8;

/// The kinds on the map, in column order.
pub const KINDS: [Kind; 3] = [Kind::Chapter, Kind::Topic, Kind::Recommendation];

/// Which mapped pages link to which, in either direction.
#[derive(Debug, Default)]
pub struct Graph {
    /// Undirected edges between page numbers, smaller number first.
    edges: BTreeSet<(usize, usize)>,
    /// Neighbours of each mapped page.
    adjacent: BTreeMap<usize, BTreeSet<usize>>,
    /// Mapped pages per column, in reading order.
    columns: [Vec<usize>; 3],
    /// Mapped pages per kind in reading order (for the lists).
    reading: [Vec<usize>; 3],
}

fn column_of(kind: Kind) -> Option<usize> {
    KINDS.iter().position(|k| *k == kind)
}

/// Font size of node labels in the stylesheet (`.graph .node text`).
const LABEL_PX: f32 = 13.0;

/// A generous estimate of a character's width in em in the sans-serif fonts
/// systems use (DejaVu Sans, the widest common one, included), bold allowed
/// for: wide enough that an estimated fit is a real fit.
fn em_width(c: char) -> f32 {
    match c {
        'i' | 'j' | 'l' | '.' | ',' | ':' | ';' | '\'' | '!' | '|' => 0.34,
        'f' | 't' | 'r' | ' ' | '(' | ')' | '-' => 0.45,
        'm' | 'w' => 0.98,
        'M' | 'W' => 1.05,
        'a'..='z' => 0.66,
        'A'..='Z' | '0'..='9' => 0.78,
        _ => 0.9,
    }
}

/// Estimated width of `text` in pixels at the label size.
fn text_px(text: &str) -> f32 {
    text.chars().map(em_width).sum::<f32>() * LABEL_PX
}

/// `text` cut with an ellipsis so that it fits in `max_px`.
fn label(text: &str, max_px: f32) -> String {
    if text_px(text) <= max_px {
        return text.to_string();
    }
    let room = max_px - text_px("…");
    let mut s = String::new();
    let mut width = 0.0;
    for c in text.chars() {
        width += em_width(c) * LABEL_PX;
        if width > room {
            break;
        }
        s.push(c);
    }
    // Cut at a word boundary when one is not too far back.
    if let Some(sp) = s.rfind(' ').filter(|&sp| sp > s.len() / 2) {
        s.truncate(sp);
    }
    let mut s = s.trim_end().to_string();
    s.push('…');
    s
}

impl Graph {
    /// Builds the graph from every author-written link (acronym links are not
    /// part of the argument's structure and are left out). `reading_order`
    /// gives each kind's pages in the order readers meet them.
    pub fn new<'a>(
        pages: &[Page],
        links: impl IntoIterator<Item = &'a Link>,
        reading_order: &BTreeMap<Kind, Vec<usize>>,
    ) -> Self {
        let mut g = Graph::default();
        for (c, kind) in KINDS.iter().enumerate() {
            g.columns[c] = reading_order.get(kind).cloned().unwrap_or_default();
        }
        // Sorted once and built in bulk: a large site has a hundred thousand
        // links, and inserting each into three trees one by one took tens
        // of milliseconds while the other core waited.
        let mapped = |p: usize| column_of(pages[p].kind).is_some();
        let mut pairs: Vec<(usize, usize)> = links
            .into_iter()
            .filter(|l| !l.via_acronym && l.source != l.target)
            .filter(|l| mapped(l.source) && mapped(l.target))
            .map(|l| (l.source.min(l.target), l.source.max(l.target)))
            .collect();
        pairs.sort_unstable();
        pairs.dedup();
        let mut both_ways: Vec<(usize, usize)> =
            pairs.iter().flat_map(|&(a, b)| [(a, b), (b, a)]).collect();
        both_ways.sort_unstable();
        g.adjacent = both_ways
            .chunk_by(|x, y| x.0 == y.0)
            .map(|run| (run[0].0, run.iter().map(|&(_, n)| n).collect()))
            .collect();
        g.edges = pairs.into_iter().collect();
        // Topics at the mean row of their neighbours in the other columns.
        let row_of: BTreeMap<usize, usize> = [0, 2]
            .iter()
            .flat_map(|&c| g.columns[c].iter().enumerate().map(|(r, &p)| (p, r)))
            .collect();
        let key = |p: usize| -> (u64, String, usize) {
            let rows: Vec<usize> = g
                .adjacent
                .get(&p)
                .into_iter()
                .flatten()
                .filter_map(|n| row_of.get(n).copied())
                .collect();
            let mean = if rows.is_empty() {
                u64::MAX
            } else {
                (rows.iter().sum::<usize>() as u64 * 1000) / rows.len() as u64
            };
            (mean, pages[p].title.to_lowercase(), p)
        };
        g.reading = g.columns.clone();
        let mut topics = std::mem::take(&mut g.columns[1]);
        topics.sort_by_cached_key(|&p| key(p));
        g.columns[1] = topics;
        g
    }

    /// Number of edges (for tests and the build summary).
    pub fn edge_count(&self) -> usize {
        self.edges.len()
    }

    /// The map as lists: each mapped page with the pages it is linked with.
    /// The same facts as the drawing, for screen readers, narrow screens and
    /// anyone who prefers text; links relative to the page at `from`.
    pub fn site_list(&self, pages: &[Page], from: &str) -> String {
        let w = "writing to a String cannot fail";
        let link = |p: usize| {
            format!(
                "<a href=\"{}\">{}</a>",
                escape(&relative_href(from, &pages[p].url)),
                escape(&pages[p].title)
            )
        };
        let mut s = String::new();
        for (kind, column) in KINDS.iter().zip(self.reading.iter()) {
            if column.is_empty() {
                continue;
            }
            writeln!(
                s,
                "<h3>{}</h3>\n<ul class=\"connections kind-{kind}\">",
                kind.index_title()
            )
            .expect(w);
            for &p in column {
                write!(s, "<li class=\"kind-{kind}\">{}", link(p)).expect(w);
                // Neighbours in reading order, chapters first.
                let near: Vec<String> = self
                    .reading
                    .iter()
                    .flatten()
                    .filter(|n| self.adjacent.get(&p).is_some_and(|a| a.contains(n)))
                    .map(|&n| link(n))
                    .collect();
                if near.is_empty() {
                    s.push_str(" <span class=\"none\">(no links)</span>");
                } else {
                    write!(s, ": {}", near.join(", ")).expect(w);
                }
                s.push_str("</li>\n");
            }
            s.push_str("</ul>\n");
        }
        s
    }

    /// The whole map as an SVG element, links relative to the page at `from`.
    pub fn site_svg(&self, pages: &[Page], from: &str) -> String {
        let cols: Vec<(&str, Vec<usize>)> = KINDS
            .iter()
            .zip(self.columns.iter())
            .map(|(k, c)| (k.index_title(), c.clone()))
            .collect();
        let edges: Vec<(usize, usize)> = self.edges.iter().copied().collect();
        draw(
            WIDE,
            pages,
            from,
            &cols,
            &edges,
            None,
            "Map of how the chapters, topics and recommendations link to each other",
        )
    }

    /// The map around page `page` (its direct neighbours), or `None` if it
    /// has none or is not a mapped kind.
    pub fn neighbourhood_svg(&self, pages: &[Page], page: usize) -> Option<String> {
        column_of(pages[page].kind)?;
        let near = self.adjacent.get(&page)?;
        let in_order = |kinds: &[Kind]| -> Vec<usize> {
            kinds
                .iter()
                .flat_map(|k| self.columns[column_of(*k).expect("mapped kind")].iter())
                .copied()
                .filter(|p| near.contains(p))
                .collect()
        };
        let chapters = in_order(&[Kind::Chapter]);
        let others = in_order(&[Kind::Topic, Kind::Recommendation]);
        let mut cols: Vec<(&str, Vec<usize>)> = Vec::new();
        if !chapters.is_empty() {
            cols.push(("Chapters", chapters));
        }
        cols.push(("This page", vec![page]));
        if !others.is_empty() {
            cols.push(("Related", others));
        }
        let edges: Vec<(usize, usize)> = near.iter().map(|&n| (page, n)).collect();
        Some(draw(
            NARROW,
            pages,
            &pages[page].url,
            &cols,
            &edges,
            Some(page),
            &format!("Pages linked with {}", pages[page].title),
        ))
    }
}

/// Draws columns of nodes and the edges between them. Edges first, so boxes
/// (filled) sit on top and an edge never runs across a label.
fn draw(
    g: Geometry,
    pages: &[Page],
    from: &str,
    cols: &[(&str, Vec<usize>)],
    edges: &[(usize, usize)],
    current: Option<usize>,
    title: &str,
) -> String {
    let rows = cols.iter().map(|(_, c)| c.len()).max().unwrap_or(0);
    let Geometry { col_w, gap } = g;
    // Room for the label: the box less its left padding and a margin.
    let label_room = (col_w - 14) as f32;
    let width = 2 * PAD + cols.len() * col_w + cols.len().saturating_sub(1) * gap;
    let height = TOP + rows * ROW + PAD;
    // Where each node is: column and top y (shorter columns centred).
    let mut at: BTreeMap<usize, (usize, usize)> = BTreeMap::new();
    for (c, (_, members)) in cols.iter().enumerate() {
        let offset = (rows - members.len()) * ROW / 2;
        for (r, &p) in members.iter().enumerate() {
            at.entry(p).or_insert((c, TOP + offset + r * ROW));
        }
    }
    let x_of = |c: usize| PAD + c * (col_w + gap);
    let mut s = String::with_capacity(256 + 300 * at.len());
    writeln!(
        s,
        "<svg class=\"graph\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {width} {height}\" width=\"{width}\" height=\"{height}\" role=\"group\" aria-label=\"{}\">",
        escape(title)
    )
    .expect("writing to a String cannot fail");
    for (c, (head, _)) in cols.iter().enumerate() {
        writeln!(
            s,
            "<text class=\"col-head\" x=\"{}\" y=\"{}\">{}</text>",
            x_of(c) + col_w / 2,
            TOP - 14,
            escape(head)
        )
        .expect("writing to a String cannot fail");
    }
    s.push_str("<g class=\"edges\" aria-hidden=\"true\">\n");
    for &(a, b) in edges {
        let (Some(&(ca, ya)), Some(&(cb, yb))) = (at.get(&a), at.get(&b)) else {
            continue;
        };
        if ca == cb {
            // Same column: an arc bulging to the right of the column.
            let x = x_of(ca) + col_w;
            let (y1, y2) = (ya + NODE_H / 2, yb + NODE_H / 2);
            let bulge = x + gap / 2;
            writeln!(
                s,
                "<path d=\"M{x} {y1}C{bulge} {y1} {bulge} {y2} {x} {y2}\"/>"
            )
            .expect("writing to a String cannot fail");
            continue;
        }
        let ((c1, y1), (c2, y2)) = if ca < cb {
            ((ca, ya), (cb, yb))
        } else {
            ((cb, yb), (ca, ya))
        };
        let x1 = x_of(c1) + col_w;
        let x2 = x_of(c2);
        let (y1, y2) = (y1 + NODE_H / 2, y2 + NODE_H / 2);
        if c2 == c1 + 2 {
            // Across the middle column: through the gap between two of its
            // boxes nearest the edge's ends, never behind a label.
            let n = cols[c1 + 1].1.len();
            let top = TOP + (rows - n) * ROW / 2;
            let want = (y1 + y2) / 2;
            let gy = (0..=n)
                .map(|r| (top + r * ROW).saturating_sub((ROW - NODE_H) / 2))
                .min_by_key(|g| g.abs_diff(want))
                .unwrap_or(want);
            let (m1, m2) = (x_of(c1 + 1), x_of(c1 + 1) + col_w);
            let (k1, k2) = (x1 + gap / 2, m2 + gap / 2);
            writeln!(
                s,
                "<path class=\"long\" d=\"M{x1} {y1}C{k1} {y1} {k1} {gy} {m1} {gy}L{m2} {gy}C{k2} {gy} {k2} {y2} {x2} {y2}\"/>"
            )
            .expect("writing to a String cannot fail");
            continue;
        }
        let mid = (x1 + x2) / 2;
        writeln!(
            s,
            "<path d=\"M{x1} {y1}C{mid} {y1} {mid} {y2} {x2} {y2}\"/>"
        )
        .expect("writing to a String cannot fail");
    }
    s.push_str("</g>\n");
    for (&p, &(c, y)) in &at {
        let page = &pages[p];
        let x = x_of(c);
        let full = escape(&page.title);
        let text = escape(&label(&page.title, label_room));
        let shape = format!(
            "<rect x=\"{x}\" y=\"{y}\" width=\"{col_w}\" height=\"{NODE_H}\" rx=\"5\"/><text x=\"{}\" y=\"{}\">{text}</text>",
            x + 8,
            y + NODE_H / 2 + 5
        );
        if Some(p) == current {
            writeln!(
                s,
                "<g class=\"node current kind-{}\" aria-current=\"page\"><title>{full}</title>{shape}</g>",
                page.kind
            )
        } else {
            writeln!(
                s,
                "<a class=\"node kind-{}\" href=\"{}\"><title>{} {full}</title>{shape}</a>",
                page.kind,
                escape(&relative_href(from, &page.url)),
                page.kind.label()
            )
        }
        .expect("writing to a String cannot fail");
    }
    s.push_str("</svg>");
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::page_from_text;
    use crate::links::Index;
    use std::path::Path;

    fn site() -> (Vec<Page>, Vec<Link>, BTreeMap<Kind, Vec<usize>>) {
        let specs = [
            ("chapters/one.md", "---\ntitle: One\nkind: chapter\n---\nSee [[Topic A]] and [[R1]].\n"),
            ("chapters/two.md", "---\ntitle: Two & more\nkind: chapter\n---\nSee [[Topic B with a very long title that will not fit]].\n"),
            ("topics/a.md", "---\ntitle: Topic A\nkind: topic\n---\nSee [[R1]].\n"),
            ("topics/b.md", "---\ntitle: Topic B with a very long title that will not fit\nkind: topic\n---\nx\n"),
            ("recommendations/r1.md", "---\ntitle: R1\nkind: recommendation\n---\nx\n"),
            ("sources/s.md", "---\ntitle: S\nkind: source\n---\nSee [[One]].\n"),
        ];
        let pages: Vec<Page> = specs
            .iter()
            .map(|(rel, t)| page_from_text(Path::new(rel), rel, t.to_string()).unwrap())
            .collect();
        let index = Index::new(&pages, &[], []);
        let links = (0..pages.len())
            .flat_map(|i| crate::markdown::render(&index, i).links)
            .collect();
        let mut order: BTreeMap<Kind, Vec<usize>> = BTreeMap::new();
        for (i, p) in pages.iter().enumerate() {
            order.entry(p.kind).or_default().push(i);
        }
        (pages, links, order)
    }

    #[test]
    fn edges_join_mapped_kinds_only() {
        let (pages, links, order) = site();
        let g = Graph::new(&pages, &links, &order);
        // one–A, one–R1, two–B, A–R1; the source's link is not on the map.
        assert_eq!(g.edge_count(), 4);
    }

    #[test]
    fn svg_has_relative_links_titles_and_escaped_cut_labels() {
        let (pages, links, order) = site();
        let g = Graph::new(&pages, &links, &order);
        let svg = g.site_svg(&pages, "graph.html");
        assert!(svg.contains("href=\"topics/a.html\""), "{svg}");
        assert!(
            svg.contains("<title>Chapter Two &amp; more</title>"),
            "{svg}"
        );
        assert!(svg.contains("Topic B with a very long…"), "{svg}");
        for t in svg
            .split("</text>")
            .filter_map(|t| t.rsplit_once('>'))
            .map(|(_, t)| t)
        {
            assert!(text_px(t) <= (WIDE.col_w - 14) as f32, "{t} is too wide");
        }
        assert!(!svg.contains("href=\"/"), "{svg}");
        assert_eq!(svg, g.site_svg(&pages, "graph.html"), "deterministic");
    }

    #[test]
    fn rows_never_overlap_within_a_column() {
        let (pages, links, order) = site();
        let svg = Graph::new(&pages, &links, &order).site_svg(&pages, "graph.html");
        let mut boxes: Vec<(usize, usize)> = Vec::new();
        for part in svg.split("<rect x=\"").skip(1) {
            let nums: Vec<usize> = part
                .split('"')
                .filter_map(|s| s.parse().ok())
                .take(2)
                .collect();
            boxes.push((nums[0], nums[1]));
        }
        for (i, a) in boxes.iter().enumerate() {
            for b in &boxes[i + 1..] {
                let same_col = a.0.abs_diff(b.0) < COL_W;
                assert!(!same_col || a.1.abs_diff(b.1) >= NODE_H, "{a:?} {b:?}");
            }
        }
    }

    #[test]
    fn list_names_every_node_with_its_neighbours() {
        let (pages, links, order) = site();
        let list = Graph::new(&pages, &links, &order).site_list(&pages, "graph.html");
        assert!(
            list.contains("<a href=\"chapters/one.html\">One</a>: <a href=\"topics/a.html\">Topic A</a>, <a href=\"recommendations/r1.html\">R1</a>"),
            "{list}"
        );
        assert!(list.contains("Two &amp; more"), "{list}");
    }

    #[test]
    fn neighbourhood_centres_the_page() {
        let (pages, links, order) = site();
        let g = Graph::new(&pages, &links, &order);
        let svg = g.neighbourhood_svg(&pages, 2).unwrap();
        assert!(svg.contains("aria-current=\"page\""), "{svg}");
        assert!(svg.contains("href=\"../chapters/one.html\""), "{svg}");
        assert!(svg.contains("href=\"../recommendations/r1.html\""), "{svg}");
        assert!(!svg.contains("chapters/two.html"), "{svg}");
        assert!(
            g.neighbourhood_svg(&pages, 5).is_none(),
            "sources are not mapped"
        );
    }
}

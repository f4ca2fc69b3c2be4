//! The report's map: an SVG of how chapters, topics and recommendations link
//! to each other, laid out at build time without any JavaScript.
//!
//! The layout is columns per kind (chapters | topics | recommendations), one
//! node per row, so labels can never overlap. Every label is the page's whole
//! title, wrapped over as many lines as it needs (a box grows to hold them).
//! Chapters keep their reading order; the other columns are ordered by the
//! places of the pages they link to (barycentre sweeps), which untangles the
//! links. A link between the outer columns passes the middle one through a
//! slot of its own between two boxes, never behind a label. Everything is
//! ordered by page number, reading order or position, so the same content
//! always gives the same bytes. Every node is a relative `<a href>` carrying
//! its page number, and every line names its two ends, so dossier.js can
//! light a node's links on hover and focus.
//! The same drawing gives each topic and recommendation page a small
//! neighbourhood map: its chapters on the left, itself, its topics and
//! recommendations on the right; with a list form of it for narrow screens.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt::Write as _;

use crate::content::frontmatter::Kind;
use crate::content::Page;
use crate::links::{relative_href, Link};
use crate::markdown::escape;

const W: &str = "writing to a String cannot fail";

/// Column and gap widths of a drawing.
#[derive(Debug, Clone, Copy)]
struct Geometry {
    /// Width of a node (and its column), unless a single word needs more.
    col_w: usize,
    /// Horizontal room between columns, where the edges run.
    gap: usize,
}

/// The whole map.
const WIDE: Geometry = Geometry {
    col_w: 260,
    gap: 120,
};

/// A neighbourhood map: three columns inside the ~70-character reading
/// measure (about 660px).
const NARROW: Geometry = Geometry {
    col_w: 190,
    gap: 38,
};

/// Distance between two lines of a label.
const LINE: usize = 17;
/// Room above the first and below the last line of a label in its box.
const NODE_PAD: usize = 6;
/// Left (and at least right) room between a box and its label.
const TEXT_PAD: usize = 8;
/// Height of the slot where a link passes a column.
const PASS_H: usize = 4;
/// Least room between two slots of a column.
const MIN_GAP: usize = 8;
/// Room above the first row for the column headings.
const TOP: usize = 36;
/// Margin around the drawing.
const PAD: usize = 8;
/// Ordering sweeps over the columns: the crossings settle after a few.
const SWEEPS: usize = 8;

/// The kinds on the map, in column order.
pub const KINDS: [Kind; 3] = [Kind::Chapter, Kind::Topic, Kind::Recommendation];

/// Which mapped pages link to which, in either direction.
#[derive(Debug, Default)]
pub struct Graph {
    /// Undirected edges between page numbers, smaller number first.
    edges: BTreeSet<(usize, usize)>,
    /// Neighbours of each mapped page.
    adjacent: BTreeMap<usize, BTreeSet<usize>>,
    /// Mapped pages per kind, in reading order.
    reading: [Vec<usize>; 3],
}

fn column_of(kind: Kind) -> Option<usize> {
    KINDS.iter().position(|k| *k == kind)
}

/// Font size of node labels in the stylesheet (`.graph .node text`).
const LABEL_PX: f32 = 14.0;

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

/// `text` in lines of at most `room` pixels, broken between words only (a
/// word wider than `room` gets a line of its own).
fn wrap(text: &str, room: f32) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    let mut width = 0.0;
    for word in text.split_whitespace() {
        let w = text_px(word);
        if !line.is_empty() && width + text_px(" ") + w > room {
            lines.push(std::mem::take(&mut line));
        }
        if line.is_empty() {
            width = w;
        } else {
            line.push(' ');
            width += text_px(" ") + w;
        }
        line.push_str(word);
    }
    if !line.is_empty() || lines.is_empty() {
        lines.push(line);
    }
    lines
}

/// A place in a column: a page's box, or the slot where the link numbered
/// `.0` passes column `.1` on its way between columns further apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Slot {
    Page(usize),
    Pass(usize, usize),
}

/// A drawing's columns of slots and the links between them.
#[derive(Debug, Clone)]
struct Layers {
    columns: Vec<Vec<Slot>>,
    /// Each link as the slots it runs through, left to right; a link within
    /// one column is its two ends.
    routes: Vec<Vec<Slot>>,
}

impl Layers {
    /// Pages in `cols` (left to right) and the `edges` between them; edges
    /// to pages not drawn are left out.
    fn new(cols: &[Vec<usize>], edges: &[(usize, usize)]) -> Self {
        let col: HashMap<usize, usize> = cols
            .iter()
            .enumerate()
            .flat_map(|(c, members)| members.iter().map(move |&p| (p, c)))
            .collect();
        let mut columns: Vec<Vec<Slot>> = cols
            .iter()
            .map(|c| c.iter().map(|&p| Slot::Page(p)).collect())
            .collect();
        let mut routes = Vec::new();
        for &(a, b) in edges {
            let (Some(&ca), Some(&cb)) = (col.get(&a), col.get(&b)) else {
                continue;
            };
            let ((ca, a), (cb, b)) = if ca <= cb {
                ((ca, a), (cb, b))
            } else {
                ((cb, b), (ca, a))
            };
            let n = routes.len();
            let mut route = vec![Slot::Page(a)];
            for (c, column) in columns.iter_mut().enumerate().take(cb).skip(ca + 1) {
                column.push(Slot::Pass(n, c));
                route.push(Slot::Pass(n, c));
            }
            route.push(Slot::Page(b));
            routes.push(route);
        }
        Layers { columns, routes }
    }

    /// Where each slot is: its column and its row.
    fn places(&self) -> HashMap<Slot, (usize, usize)> {
        self.columns
            .iter()
            .enumerate()
            .flat_map(|(c, slots)| slots.iter().enumerate().map(move |(r, &s)| (s, (c, r))))
            .collect()
    }

    /// How many pairs of links cross between neighbouring columns: two
    /// links between the same two columns cross when their ends are in
    /// opposite orders. Counted as inversions, in O(links × log rows).
    fn crossings(&self) -> usize {
        let at = self.places();
        let mut between: Vec<Vec<(usize, usize)>> = vec![Vec::new(); self.columns.len()];
        for route in &self.routes {
            for pair in route.windows(2) {
                let (l, r) = (at[&pair[0]], at[&pair[1]]);
                if l.0 + 1 == r.0 {
                    between[l.0].push((l.1, r.1));
                }
            }
        }
        let mut total = 0;
        for (c, mut segs) in between.into_iter().enumerate() {
            let Some(rows) = self.columns.get(c + 1).map(Vec::len) else {
                continue;
            };
            segs.sort_unstable();
            // A Fenwick tree of right-hand rows seen so far; links from the
            // same left row are added together, as they never cross.
            let mut tree = vec![0usize; rows + 1];
            let mut seen = 0;
            for group in segs.chunk_by(|a, b| a.0 == b.0) {
                for &(_, r) in group {
                    let mut at_or_below = 0;
                    let mut i = r + 1;
                    while i > 0 {
                        at_or_below += tree[i];
                        i &= i - 1;
                    }
                    total += seen - at_or_below;
                }
                for &(_, r) in group {
                    let mut i = r + 1;
                    while i <= rows {
                        tree[i] += 1;
                        i += i & i.wrapping_neg();
                    }
                    seen += 1;
                }
            }
        }
        total
    }

    /// Orders every column but the first (chapters keep their reading
    /// order) by the mean place of what each slot links to, sweeping right
    /// and back, and keeps the order with the fewest crossings seen.
    fn order(&mut self) {
        let mut near: HashMap<Slot, Vec<Slot>> = HashMap::new();
        for route in &self.routes {
            for pair in route.windows(2) {
                near.entry(pair[0]).or_default().push(pair[1]);
                near.entry(pair[1]).or_default().push(pair[0]);
            }
        }
        let mut best = (self.crossings(), self.columns.clone());
        let n = self.columns.len();
        for sweep in 0..SWEEPS {
            let order: Vec<usize> = if sweep % 2 == 0 {
                (1..n).collect()
            } else {
                (1..n).rev().collect()
            };
            for c in order {
                self.reorder(c, &near);
            }
            let crossings = self.crossings();
            if crossings < best.0 {
                best = (crossings, self.columns.clone());
            }
        }
        self.columns = best.1;
    }

    /// Sorts column `c` by the mean place of each slot's neighbours (places
    /// as fractions of their column, so columns of any length compare); a
    /// slot without neighbours, and ties, keep their place.
    fn reorder(&mut self, c: usize, near: &HashMap<Slot, Vec<Slot>>) {
        let place: HashMap<Slot, f64> = self
            .columns
            .iter()
            .flat_map(|slots| {
                let len = slots.len() as f64;
                slots
                    .iter()
                    .enumerate()
                    .map(move |(r, &s)| (s, (r as f64 + 0.5) / len))
            })
            .collect();
        let mut keyed: Vec<(f64, usize, Slot)> = self.columns[c]
            .iter()
            .enumerate()
            .map(|(r, s)| {
                let others = near.get(s).map(Vec::as_slice).unwrap_or_default();
                let key = if others.is_empty() {
                    place[s]
                } else {
                    others.iter().map(|o| place[o]).sum::<f64>() / others.len() as f64
                };
                (key, r, *s)
            })
            .collect();
        keyed.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
        self.columns[c] = keyed.into_iter().map(|(_, _, s)| s).collect();
    }
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
            g.reading[c] = reading_order.get(kind).cloned().unwrap_or_default();
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
            .expect(W);
            for &p in column {
                write!(s, "<li class=\"kind-{kind}\">{}", link(p)).expect(W);
                let Some(near) = self.adjacent.get(&p) else {
                    s.push_str(" <span class=\"none\">(no links)</span>");
                    s.push_str("</li>\n");
                    continue;
                };
                // Neighbours by kind, each kind in reading order.
                s.push_str("\n<dl class=\"near\">");
                for (near_kind, members) in KINDS.iter().zip(self.reading.iter()) {
                    let links: Vec<String> = members
                        .iter()
                        .filter(|n| near.contains(n))
                        .map(|&n| link(n))
                        .collect();
                    if !links.is_empty() {
                        write!(
                            s,
                            "<dt>{}</dt><dd class=\"kind-{near_kind}\">{}</dd>",
                            near_kind.index_title(),
                            links.join(", ")
                        )
                        .expect(W);
                    }
                }
                s.push_str("</dl>\n");
                s.push_str("</li>\n");
            }
            s.push_str("</ul>\n");
        }
        s
    }

    /// The whole map's columns (reading order) and links, not yet ordered.
    fn site_layers(&self) -> Layers {
        let edges: Vec<(usize, usize)> = self.edges.iter().copied().collect();
        Layers::new(&self.reading, &edges)
    }

    /// The whole map as an SVG element, links relative to the page at `from`.
    pub fn site_svg(&self, pages: &[Page], from: &str) -> String {
        let mut layers = self.site_layers();
        layers.order();
        let heads: Vec<&str> = KINDS.iter().map(|k| k.index_title()).collect();
        draw(
            WIDE,
            pages,
            from,
            &heads,
            &layers,
            None,
            "Map of how the chapters, topics and recommendations link to each other",
        )
    }

    /// The map around page `page` (its direct neighbours) as a drawing and,
    /// for narrow screens, as lists; `None` if the page has no neighbours or
    /// is not a mapped kind.
    pub fn neighbourhood_map(&self, pages: &[Page], page: usize) -> Option<String> {
        column_of(pages[page].kind)?;
        let near = self.adjacent.get(&page)?;
        let in_order = |kinds: &[Kind]| -> Vec<usize> {
            kinds
                .iter()
                .flat_map(|k| self.reading[column_of(*k).expect("mapped kind")].iter())
                .copied()
                .filter(|p| near.contains(p))
                .collect()
        };
        let chapters = in_order(&[Kind::Chapter]);
        let others = in_order(&[Kind::Topic, Kind::Recommendation]);
        let mut heads = Vec::new();
        let mut cols = Vec::new();
        if !chapters.is_empty() {
            heads.push("Chapters");
            cols.push(chapters.clone());
        }
        heads.push("This page");
        cols.push(vec![page]);
        if !others.is_empty() {
            heads.push("Related");
            cols.push(others.clone());
        }
        let edges: Vec<(usize, usize)> = near.iter().map(|&n| (page, n)).collect();
        let from = &pages[page].url;
        let mut s = draw(
            NARROW,
            pages,
            from,
            &heads,
            &Layers::new(&cols, &edges),
            Some(page),
            &format!("Pages linked with {}", pages[page].title),
        );
        s.push_str("\n<div class=\"map-lists\">\n");
        for kind in KINDS {
            let members = in_order(&[kind]);
            if members.is_empty() {
                continue;
            }
            writeln!(
                s,
                "<h3>{}</h3>\n<ul class=\"connections\">",
                kind.index_title()
            )
            .expect(W);
            for p in members {
                writeln!(
                    s,
                    "<li class=\"kind-{kind}\"><a href=\"{}\">{}</a></li>",
                    escape(&relative_href(from, &pages[p].url)),
                    escape(&pages[p].title)
                )
                .expect(W);
            }
            s.push_str("</ul>\n");
        }
        s.push_str("</div>");
        Some(s)
    }
}

/// A slot's box in a drawing: left, top, height and (for pages) label lines.
struct Placed {
    x: usize,
    y: usize,
    h: usize,
    lines: Vec<String>,
}

impl Placed {
    /// Height of the box's middle, where links attach.
    fn mid(&self) -> usize {
        self.y + self.h / 2
    }
}

/// Where everything of a drawing goes.
struct Plan {
    placed: HashMap<Slot, Placed>,
    col_w: usize,
    gap: usize,
    width: usize,
    height: usize,
}

/// Places every slot of `layers`: shorter columns spread over the height of
/// the tallest, so each box sits near what it links to.
fn plan(g: Geometry, pages: &[Page], layers: &Layers) -> Plan {
    // One width for every column, enough for the longest word.
    let widest_word = layers
        .columns
        .iter()
        .flatten()
        .filter_map(|s| match s {
            Slot::Page(p) => Some(&pages[*p].title),
            Slot::Pass(..) => None,
        })
        .flat_map(|t| t.split_whitespace())
        .map(|w| text_px(w).ceil() as usize + 2 * TEXT_PAD)
        .max()
        .unwrap_or(0);
    let col_w = g.col_w.max(widest_word);
    let room = (col_w - 2 * TEXT_PAD) as f32;
    let mut placed: HashMap<Slot, Placed> = HashMap::new();
    let mut sums = Vec::new();
    for (c, column) in layers.columns.iter().enumerate() {
        let mut sum = 0;
        for &s in column {
            let lines = match s {
                Slot::Page(p) => wrap(&pages[p].title, room),
                Slot::Pass(..) => Vec::new(),
            };
            let h = if lines.is_empty() {
                PASS_H
            } else {
                lines.len() * LINE + 2 * NODE_PAD
            };
            sum += h;
            let x = PAD + c * (col_w + g.gap);
            placed.insert(s, Placed { x, y: 0, h, lines });
        }
        sums.push(sum);
    }
    let tallest = layers
        .columns
        .iter()
        .zip(&sums)
        .map(|(column, sum)| sum + column.len() * MIN_GAP)
        .max()
        .unwrap_or(0);
    for (column, sum) in layers.columns.iter().zip(&sums) {
        let gap = (tallest - sum) / column.len().max(1);
        let mut y = TOP + gap / 2;
        for s in column {
            let p = placed.get_mut(s).expect("placed above");
            p.y = y;
            y += p.h + gap;
        }
    }
    let columns = layers.columns.len();
    Plan {
        placed,
        col_w,
        gap: g.gap,
        // A single column keeps a gap on its right for its arcs.
        width: 2 * PAD + columns * col_w + columns.saturating_sub(1).max(1) * g.gap,
        height: TOP + tallest + PAD,
    }
}

/// The `d` of a link's path: a smooth curve from column to column, straight
/// through the slots where it passes a column.
fn route_path(plan: &Plan, route: &[Slot]) -> String {
    let at = |s: &Slot| &plan.placed[s];
    let first = at(&route[0]);
    let (mut x, mut y) = (first.x + plan.col_w, first.mid());
    let mut d = format!("M{x} {y}");
    for (i, s) in route.iter().enumerate().skip(1) {
        let p = at(s);
        let (x2, y2) = (p.x, p.mid());
        let mid = (x + x2) / 2;
        write!(d, "C{mid} {y} {mid} {y2} {x2} {y2}").expect(W);
        (x, y) = (x2 + plan.col_w, y2);
        if i + 1 < route.len() {
            write!(d, "L{x} {y}").expect(W);
        }
    }
    d
}

/// The `d` of a link within one column: an arc bulging into the gap on the
/// side where fewer links leave the column between its ends (so it crosses
/// fewer of them), the right one when even or when there is no left gap.
fn arc_path(plan: &Plan, layers: &Layers, attach: &[[Vec<usize>; 2]], a: Slot, b: Slot) -> String {
    let (pa, pb) = (&plan.placed[&a], &plan.placed[&b]);
    let (y1, y2) = (pa.mid().min(pb.mid()), pa.mid().max(pb.mid()));
    let c = (pa.x - PAD) / (plan.col_w + plan.gap);
    let between =
        |ys: &Vec<usize>| ys.partition_point(|&y| y < y2) - ys.partition_point(|&y| y <= y1);
    let last = c + 1 == layers.columns.len();
    let left = c > 0 && (last || between(&attach[c][0]) < between(&attach[c][1]));
    // Longer arcs bulge further, so arcs nested in each other never cross.
    let bulge = (10 + (y2 - y1) / 8).min(plan.gap * 2 / 5);
    let (x, out) = if left {
        (pa.x, pa.x - bulge)
    } else {
        (pa.x + plan.col_w, pa.x + plan.col_w + bulge)
    };
    format!("M{x} {y1}C{out} {y1} {out} {y2} {x} {y2}")
}

/// Draws the columns of `layers` and the links between them. Links first,
/// so boxes (filled) sit on top and a link never runs across a label.
fn draw(
    g: Geometry,
    pages: &[Page],
    from: &str,
    heads: &[&str],
    layers: &Layers,
    current: Option<usize>,
    title: &str,
) -> String {
    let plan = plan(g, pages, layers);
    let (width, height) = (plan.width, plan.height);
    let mut s = String::with_capacity(256 + 400 * plan.placed.len());
    writeln!(
        s,
        "<svg class=\"graph\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {width} {height}\" width=\"{width}\" height=\"{height}\" role=\"group\" aria-label=\"{}\">",
        escape(title)
    )
    .expect(W);
    for (c, head) in heads.iter().enumerate() {
        writeln!(
            s,
            "<text class=\"col-head\" x=\"{}\" y=\"{}\">{}</text>",
            PAD + c * (plan.col_w + plan.gap) + plan.col_w / 2,
            TOP - 14,
            escape(head)
        )
        .expect(W);
    }
    // Where links attach on each side of each column, sorted, for arcs to
    // choose their side.
    let mut attach: Vec<[Vec<usize>; 2]> = vec![[Vec::new(), Vec::new()]; layers.columns.len()];
    let column = |s: &Slot| (plan.placed[s].x - PAD) / (plan.col_w + plan.gap);
    for route in &layers.routes {
        for pair in route.windows(2) {
            if column(&pair[0]) != column(&pair[1]) {
                attach[column(&pair[0])][1].push(plan.placed[&pair[0]].mid());
                attach[column(&pair[1])][0].push(plan.placed[&pair[1]].mid());
            }
        }
    }
    for sides in &mut attach {
        sides[0].sort_unstable();
        sides[1].sort_unstable();
    }
    s.push_str("<g class=\"edges\" aria-hidden=\"true\">\n");
    for route in &layers.routes {
        let (Slot::Page(a), Slot::Page(b)) = (route[0], route[route.len() - 1]) else {
            continue;
        };
        let d = if route.len() == 2 && column(&route[0]) == column(&route[1]) {
            arc_path(&plan, layers, &attach, route[0], route[1])
        } else {
            route_path(&plan, route)
        };
        writeln!(s, "<path data-ends=\"{a} {b}\" d=\"{d}\"/>").expect(W);
    }
    s.push_str("</g>\n");
    for slot in layers.columns.iter().flatten() {
        let Slot::Page(p) = *slot else { continue };
        let page = &pages[p];
        let at = &plan.placed[slot];
        let (x, y, h) = (at.x, at.y, at.h);
        let mut shape = format!(
            "<rect x=\"{x}\" y=\"{y}\" width=\"{}\" height=\"{h}\" rx=\"5\"/><text>",
            plan.col_w
        );
        for (i, line) in at.lines.iter().enumerate() {
            // The baseline sits about a fifth of the line above its bottom.
            write!(
                shape,
                "<tspan x=\"{}\" y=\"{}\">{}</tspan>",
                x + TEXT_PAD,
                y + NODE_PAD + (i + 1) * LINE - 4,
                escape(line)
            )
            .expect(W);
        }
        shape.push_str("</text>");
        if Some(p) == current {
            writeln!(
                s,
                "<g class=\"node current kind-{}\" data-node=\"{p}\" aria-current=\"page\"><title>{}</title>{shape}</g>",
                page.kind,
                escape(&page.title)
            )
        } else {
            writeln!(
                s,
                "<a class=\"node kind-{}\" href=\"{}\" data-node=\"{p}\"><title>{} {}</title>{shape}</a>",
                page.kind,
                escape(&relative_href(from, &page.url)),
                page.kind.label(),
                escape(&page.title)
            )
        }
        .expect(W);
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

    /// Each node's label: its tspans' texts, in order.
    fn labels(svg: &str) -> Vec<Vec<String>> {
        svg.split("<text>")
            .skip(1)
            .map(|t| {
                let t = t.split("</text>").next().unwrap();
                t.split("</tspan>")
                    .filter_map(|l| l.rsplit_once('>'))
                    .map(|(_, l)| l.to_string())
                    .collect()
            })
            .collect()
    }

    #[test]
    fn svg_has_relative_links_titles_and_whole_wrapped_labels() {
        let (pages, links, order) = site();
        let g = Graph::new(&pages, &links, &order);
        let svg = g.site_svg(&pages, "graph.html");
        assert!(svg.contains("href=\"topics/a.html\""), "{svg}");
        assert!(
            svg.contains("<title>Chapter Two &amp; more</title>"),
            "{svg}"
        );
        let labels = labels(&svg);
        assert_eq!(labels.len(), 5, "{svg}");
        let long = "Topic B with a very long title that will not fit";
        assert!(
            labels.iter().any(|l| l.len() > 1 && l.join(" ") == long),
            "the long title is whole, over several lines: {labels:?}"
        );
        assert!(labels.iter().any(|l| l.join(" ") == "Two &amp; more"));
        for line in labels.iter().flatten() {
            assert!(!line.contains('…'), "{line}");
            assert!(
                text_px(line) <= (WIDE.col_w - 2 * TEXT_PAD) as f32,
                "{line} is too wide"
            );
        }
        assert!(!svg.contains("href=\"/"), "{svg}");
        assert_eq!(svg, g.site_svg(&pages, "graph.html"), "deterministic");
    }

    #[test]
    fn a_word_wider_than_a_box_widens_the_boxes_and_is_never_cut() {
        assert_eq!(wrap("a b", 1000.0), ["a b"]);
        assert_eq!(wrap("", 10.0), [""]);
        let word = "Internationalisation-of-everything";
        assert_eq!(
            wrap(&format!("An {word} here"), 100.0),
            ["An", word, "here"]
        );
    }

    #[test]
    fn lines_name_their_ends_and_boxes_their_page() {
        let (pages, links, order) = site();
        let svg = Graph::new(&pages, &links, &order).site_svg(&pages, "graph.html");
        // one–A, one–R1, two–B, A–R1, as page numbers.
        for ends in ["0 2", "0 4", "1 3", "2 4"] {
            assert!(
                svg.contains(&format!("data-ends=\"{ends}\"")),
                "{ends}: {svg}"
            );
        }
        assert!(
            svg.contains("href=\"topics/a.html\" data-node=\"2\""),
            "{svg}"
        );
    }

    #[test]
    fn boxes_never_overlap_within_a_column() {
        let (pages, links, order) = site();
        let svg = Graph::new(&pages, &links, &order).site_svg(&pages, "graph.html");
        let mut boxes: Vec<(usize, usize, usize)> = Vec::new();
        for part in svg.split("<rect x=\"").skip(1) {
            let nums: Vec<usize> = part
                .split('"')
                .filter_map(|s| s.parse().ok())
                .take(4)
                .collect();
            boxes.push((nums[0], nums[1], nums[3]));
        }
        assert_eq!(boxes.len(), 5);
        for (i, a) in boxes.iter().enumerate() {
            for b in &boxes[i + 1..] {
                let (top, bottom) = if a.1 < b.1 { (a, b) } else { (b, a) };
                assert!(a.0 != b.0 || top.1 + top.2 < bottom.1, "{a:?} {b:?}");
            }
        }
    }

    #[test]
    fn crossings_are_pairs_of_links_in_opposite_orders() {
        let layers = Layers::new(&[vec![0, 1], vec![2, 3]], &[(0, 3), (1, 2)]);
        assert_eq!(layers.crossings(), 1);
        let layers = Layers::new(&[vec![0, 1], vec![2, 3]], &[(0, 2), (1, 3), (0, 3)]);
        assert_eq!(layers.crossings(), 0, "links sharing an end never cross");
        let layers = Layers::new(&[vec![0, 1], vec![2, 3]], &[(0, 3), (0, 2), (1, 2)]);
        assert_eq!(layers.crossings(), 1);
    }

    #[test]
    fn ordering_by_links_untangles_what_reading_order_crosses() {
        // Chapters 0–2; topics 3–6 and recommendations 7–9 in a reading
        // order that is upside down with respect to what links them.
        let cols = [vec![0, 1, 2], vec![3, 4, 5, 6], vec![7, 8, 9]];
        let edges = [
            (0, 6),
            (0, 5),
            (1, 4),
            (2, 3),
            (3, 7),
            (4, 8),
            (5, 9),
            (6, 9),
            (2, 4),
        ];
        let naive = Layers::new(&cols, &edges);
        let mut ordered = naive.clone();
        ordered.order();
        assert_eq!(naive.crossings(), 7);
        assert!(
            ordered.crossings() * 4 < naive.crossings(),
            "{} against {}",
            ordered.crossings(),
            naive.crossings()
        );
        assert_eq!(
            ordered.columns[0], naive.columns[0],
            "chapters keep their order"
        );
        let again = {
            let mut l = Layers::new(&cols, &edges);
            l.order();
            l.columns
        };
        assert_eq!(ordered.columns, again, "deterministic");
    }

    #[test]
    fn a_link_across_the_middle_passes_it_between_two_boxes() {
        let (pages, _, _) = site();
        // Chapter One and R1, with topics A and B between them.
        let layers = Layers::new(&[vec![0], vec![2, 3], vec![4]], &[(0, 4), (0, 2), (2, 4)]);
        assert_eq!(layers.columns[1].len(), 3, "a slot for the passing link");
        let svg = draw(
            WIDE,
            &pages,
            "graph.html",
            &["a", "b", "c"],
            &layers,
            None,
            "t",
        );
        let d = svg
            .split("data-ends=\"0 4\" d=\"")
            .nth(1)
            .and_then(|s| s.split('"').next())
            .expect("the long link");
        let (_, straight) = d.split_once('L').expect("a straight stretch");
        let y: usize = straight.split(['C', ' ']).nth(1).unwrap().parse().unwrap();
        for part in svg.split("<rect x=\"").skip(1) {
            let nums: Vec<usize> = part
                .split('"')
                .filter_map(|s| s.parse().ok())
                .take(4)
                .collect();
            let x_mid = PAD + WIDE.col_w + WIDE.gap;
            if nums[0] == x_mid {
                assert!(y < nums[1] || y > nums[1] + nums[3], "{y} behind {nums:?}");
            }
        }
    }

    #[test]
    fn list_names_every_node_with_its_neighbours() {
        let (pages, links, order) = site();
        let list = Graph::new(&pages, &links, &order).site_list(&pages, "graph.html");
        assert!(
            list.contains("<a href=\"chapters/one.html\">One</a>\n<dl class=\"near\"><dt>Topics</dt><dd class=\"kind-topic\"><a href=\"topics/a.html\">Topic A</a></dd><dt>Recommendations</dt><dd class=\"kind-recommendation\"><a href=\"recommendations/r1.html\">R1</a></dd></dl>"),
            "{list}"
        );
        assert!(list.contains("Two &amp; more"), "{list}");
    }

    #[test]
    fn neighbourhood_centres_the_page() {
        let (pages, links, order) = site();
        let g = Graph::new(&pages, &links, &order);
        let svg = g.neighbourhood_map(&pages, 2).unwrap();
        assert!(svg.contains("aria-current=\"page\""), "{svg}");
        assert!(svg.contains("href=\"../chapters/one.html\""), "{svg}");
        assert!(svg.contains("href=\"../recommendations/r1.html\""), "{svg}");
        assert!(!svg.contains("chapters/two.html"), "{svg}");
        let lists = svg
            .split("<div class=\"map-lists\">")
            .nth(1)
            .expect("the list form");
        assert!(
            lists.contains(
                "<li class=\"kind-chapter\"><a href=\"../chapters/one.html\">One</a></li>"
            ),
            "{lists}"
        );
        assert!(lists.contains("../recommendations/r1.html"), "{lists}");
        assert!(
            g.neighbourhood_map(&pages, 5).is_none(),
            "sources are not mapped"
        );
    }
}

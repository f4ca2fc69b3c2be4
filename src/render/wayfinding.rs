//! Wayfinding: which pages the sidebar lists, and which page comes before
//! and after each page that is read in a sequence (chapters in reading
//! order; topics, recommendations, sources and interviews in the order of
//! their index page).
//!
//! Worked out once per site, so that rendering a page only looks its place
//! up: a site of 10,000 topics must not search a list of 10,000 per page.

use std::collections::{BTreeMap, HashMap};

use crate::content::frontmatter::Kind;
use crate::content::Page;

/// The most pages the sidebar lists before the kind indexes. A site with
/// more chapters (or top-level pages) than a reader can scan gets the kind
/// indexes only: the sidebar is on every page, and must stay small.
pub const SIDEBAR_MAX: usize = 60;

/// The kinds whose pages link to the one before and after them.
const SEQUENCES: [Kind; 5] = [
    Kind::Chapter,
    Kind::Topic,
    Kind::Recommendation,
    Kind::Source,
    Kind::Interview,
];

/// What the sidebar lists and the sequences pages are read in.
#[derive(Debug, Default)]
pub struct Wayfinding {
    /// The pages the sidebar lists above the kind indexes: the chapters in
    /// reading order, or on a site without chapters its top-level pages.
    side: Vec<usize>,
    /// Each sequence in order, by kind.
    orders: BTreeMap<Kind, Vec<usize>>,
    /// Each page of a sequence: its kind and place in it.
    place: HashMap<usize, (Kind, usize)>,
}

impl Wayfinding {
    /// `by_kind`: the pages of each kind in navigation order; `skip`: pages
    /// that are not listed as pages of their own (the home page, the pages
    /// introducing a kind index).
    pub fn new(
        pages: &[Page],
        by_kind: &BTreeMap<Kind, Vec<usize>>,
        skip: impl Fn(usize) -> bool,
    ) -> Self {
        let mut orders = BTreeMap::new();
        let mut place = HashMap::new();
        for kind in SEQUENCES {
            let Some(members) = by_kind.get(&kind) else {
                continue;
            };
            let members: Vec<usize> = members.iter().copied().filter(|&i| !skip(i)).collect();
            let order = index_order(pages, kind, &members);
            for (at, &i) in order.iter().enumerate() {
                place.insert(i, (kind, at));
            }
            orders.insert(kind, order);
        }
        let side = match by_kind.get(&Kind::Chapter) {
            Some(_) => orders[&Kind::Chapter].clone(),
            None => by_kind
                .get(&Kind::Page)
                .into_iter()
                .flatten()
                .copied()
                .filter(|&i| !skip(i) && !pages[i].url.contains('/'))
                .collect(),
        };
        let side = if side.len() > SIDEBAR_MAX {
            Vec::new()
        } else {
            side
        };
        Wayfinding {
            side,
            orders,
            place,
        }
    }

    /// The pages the sidebar lists above the kind indexes.
    pub fn side_pages(&self) -> &[usize] {
        &self.side
    }

    /// The pages before and after page `i` in its kind's sequence.
    pub fn neighbours(&self, i: usize) -> (Option<usize>, Option<usize>) {
        let Some(&(kind, at)) = self.place.get(&i) else {
            return (None, None);
        };
        let order = &self.orders[&kind];
        (
            at.checked_sub(1).map(|k| order[k]),
            order.get(at + 1).copied(),
        )
    }
}

/// A kind's pages in the order its index page lists them: recommendations
/// by who is asked to act (actors in the order of their first
/// recommendation, those naming no one last), the others as given.
fn index_order(pages: &[Page], kind: Kind, members: &[usize]) -> Vec<usize> {
    let mut order = members.to_vec();
    if kind == Kind::Recommendation {
        let mut actors: Vec<&str> = Vec::new();
        let mut keys: HashMap<usize, usize> = HashMap::new();
        for &i in members {
            let actor = pages[i].meta.actor.as_deref().map(str::trim);
            let key = match actor.filter(|a| !a.is_empty()) {
                None => usize::MAX,
                Some(actor) => actors.iter().position(|a| *a == actor).unwrap_or_else(|| {
                    actors.push(actor);
                    actors.len() - 1
                }),
            };
            keys.insert(i, key);
        }
        order.sort_by_key(|i| keys[i]);
    }
    order
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(rel: &str, kind: Kind, actor: Option<&str>) -> Page {
        let mut p =
            crate::content::page_from_text(std::path::Path::new(rel), rel, "# T\n".into()).unwrap();
        p.kind = kind;
        p.meta.actor = actor.map(str::to_string);
        p
    }

    #[test]
    fn recommendations_follow_their_index_grouped_by_actor() {
        let pages = vec![
            page("recommendations/a.md", Kind::Recommendation, Some("States")),
            page("recommendations/b.md", Kind::Recommendation, None),
            page("recommendations/c.md", Kind::Recommendation, Some("NATO")),
            page(
                "recommendations/d.md",
                Kind::Recommendation,
                Some(" States "),
            ),
        ];
        let by_kind = BTreeMap::from([(Kind::Recommendation, vec![0, 1, 2, 3])]);
        let w = Wayfinding::new(&pages, &by_kind, |_| false);
        // States (a, d), then NATO (c), then the one naming no one (b).
        assert_eq!(w.neighbours(0), (None, Some(3)));
        assert_eq!(w.neighbours(3), (Some(0), Some(2)));
        assert_eq!(w.neighbours(2), (Some(3), Some(1)));
        assert_eq!(w.neighbours(1), (Some(2), None));
    }

    #[test]
    fn acronyms_and_plain_pages_have_no_neighbours() {
        let pages = vec![
            page("acronyms/a.md", Kind::Acronym, None),
            page("acronyms/b.md", Kind::Acronym, None),
            page("about.md", Kind::Page, None),
        ];
        let by_kind = BTreeMap::from([(Kind::Acronym, vec![0, 1]), (Kind::Page, vec![2])]);
        let w = Wayfinding::new(&pages, &by_kind, |_| false);
        assert_eq!(w.neighbours(0), (None, None));
        assert_eq!(w.neighbours(2), (None, None));
    }

    #[test]
    fn the_sidebar_lists_chapters_else_top_level_pages_and_never_too_many() {
        let pages = vec![
            page("_index.md", Kind::Page, None),
            page("about.md", Kind::Page, None),
            page("notes/deep.md", Kind::Page, None),
        ];
        let by_kind = BTreeMap::from([(Kind::Page, vec![0, 1, 2])]);
        let w = Wayfinding::new(&pages, &by_kind, |i| i == 0);
        assert_eq!(
            w.side_pages(),
            &[1],
            "top level only, the home page left out"
        );

        let many: Vec<Page> = (0..=SIDEBAR_MAX)
            .map(|n| page(&format!("chapters/{n:04}.md"), Kind::Chapter, None))
            .collect();
        let by_kind = BTreeMap::from([(Kind::Chapter, (0..many.len()).collect())]);
        let w = Wayfinding::new(&many, &by_kind, |_| false);
        assert!(w.side_pages().is_empty(), "too many to list on every page");
        assert_eq!(w.neighbours(SIDEBAR_MAX), (Some(SIDEBAR_MAX - 1), None));
    }
}

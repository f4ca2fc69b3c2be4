//! The structure of a site written without `kind:` — a book with a
//! `SUMMARY.md`, or a docs folder: the sidebar's rows (nested, with part
//! titles and drafts), what each folder index page lists, the home page's
//! top-level sections and the reading order for previous/next.
//!
//! With a `SUMMARY.md` its order and nesting are the structure; otherwise
//! the folders are, each folder's pages and subfolders in `order`
//! (`weight`), then title order.

use std::collections::{BTreeMap, HashMap};

use crate::content::conventions::Found;
use crate::content::Page;

/// The most rows the sidebar shows; a larger tree shows its upper levels.
const ROWS_MAX: usize = 60;

/// One row of the sidebar.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// The page the row links to; `None` for a draft or a folder without an
    /// index page (a label).
    pub page: Option<usize>,
    pub title: String,
    pub depth: usize,
    /// A part title shown above the row (`# Part` in `SUMMARY.md`).
    pub part: Option<String>,
    /// The first page at or under the row, for lists that need a link.
    pub first: Option<usize>,
}

/// See the module documentation; empty on a site whose pages have kinds.
#[derive(Debug, Default)]
pub struct Tree {
    entries: Vec<Entry>,
    /// Folder index page → the pages it lists, in order.
    children: HashMap<usize, Vec<usize>>,
    /// Every page in reading order, and each page's place in it.
    order: Vec<usize>,
    place: HashMap<usize, usize>,
    /// Each row's parent row, each row's child rows, and the row of each
    /// page that has one (its first).
    parent_row: Vec<Option<usize>>,
    child_rows: Vec<Vec<usize>>,
    row_of: HashMap<usize, usize>,
    /// The page at each URL that has a row.
    page_at: HashMap<String, usize>,
}

impl Tree {
    /// The structure of `pages`; `skip`: pages that are no part of it (the
    /// not-found page).
    pub fn new(pages: &[Page], found: &Found, skip: impl Fn(usize) -> bool) -> Self {
        let by_rel: HashMap<&str, usize> = pages
            .iter()
            .enumerate()
            .filter(|&(i, _)| !skip(i))
            .map(|(i, p)| (p.rel.as_str(), i))
            .collect();
        let mut tree = if found.summary.is_empty() {
            from_folders(pages, &by_rel)
        } else {
            from_summary(found, &by_rel)
        };
        // Pages no row names are listed by their folder's index page.
        let listed: std::collections::HashSet<usize> =
            tree.children.values().flatten().copied().collect();
        let mut rest: Vec<usize> = by_rel
            .values()
            .copied()
            .filter(|i| !listed.contains(i) && !tree.children.contains_key(i))
            .collect();
        rest.sort_by_key(|&i| sort_key(&pages[i]));
        for i in rest {
            if let Some(parent) = parent_index(pages, &by_rel, i) {
                if parent != i {
                    tree.children.entry(parent).or_default().push(i);
                }
            }
        }
        tree.place = tree
            .order
            .iter()
            .enumerate()
            .map(|(n, &i)| (i, n))
            .collect();
        tree.link_rows();
        tree.page_at = tree
            .row_of
            .keys()
            .map(|&i| (pages[i].url.clone(), i))
            .collect();
        tree
    }

    /// The page at `url`, when it has a row.
    pub fn page_at(&self, url: &str) -> Option<usize> {
        self.page_at.get(url).copied()
    }

    /// Finds each row's parent and children (the nearest row above with a
    /// smaller depth is the parent), and each page's row.
    fn link_rows(&mut self) {
        let mut open: Vec<usize> = Vec::new();
        self.child_rows = vec![Vec::new(); self.entries.len()];
        for (n, e) in self.entries.iter().enumerate() {
            while open
                .last()
                .is_some_and(|&k| self.entries[k].depth >= e.depth)
            {
                open.pop();
            }
            let parent = open.last().copied();
            if let Some(k) = parent {
                self.child_rows[k].push(n);
            }
            self.parent_row.push(parent);
            if let Some(i) = e.page {
                self.row_of.entry(i).or_insert(n);
            }
            open.push(n);
        }
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The sidebar's rows: all of them, or the upper levels of a large tree.
    pub fn rows(&self) -> impl Iterator<Item = &Entry> {
        let max_depth = self.max_depth();
        self.entries.iter().filter(move |e| e.depth <= max_depth)
    }

    /// Every row, shown or folded (what any page's sidebar may show).
    pub fn all_rows(&self) -> &[Entry] {
        &self.entries
    }

    /// The deepest level the sidebar shows whole.
    fn max_depth(&self) -> usize {
        (0..8)
            .rev()
            .find(|&d| self.entries.iter().filter(|e| e.depth <= d).count() <= ROWS_MAX)
            .unwrap_or(0)
    }

    /// The sidebar's rows on page `current`: those [`Tree::rows`] gives and,
    /// as mdBook folds its sidebar, the rows on the way to the current page
    /// (the children of each row above it) and the current page's children.
    pub fn rows_for(&self, current: Option<usize>) -> impl Iterator<Item = &Entry> {
        let max_depth = self.max_depth();
        let mut shown: Vec<usize> = (0..self.entries.len())
            .filter(|&n| self.entries[n].depth <= max_depth)
            .collect();
        if let Some(&n) = current.and_then(|i| self.row_of.get(&i)) {
            let mut open = Some(n);
            while let Some(k) = open {
                shown.extend(&self.child_rows[k]);
                open = self.parent_row[k];
            }
            shown.sort_unstable();
            shown.dedup();
        }
        shown.into_iter().map(|n| &self.entries[n])
    }

    /// The pages of the rows above page `i`'s row, the top one first (for
    /// breadcrumbs); rows without a page are left out.
    pub fn ancestors(&self, i: usize) -> Vec<usize> {
        let mut up = Vec::new();
        let mut at = self.row_of.get(&i).and_then(|&n| self.parent_row[n]);
        while let Some(k) = at {
            up.extend(self.entries[k].page);
            at = self.parent_row[k];
        }
        up.reverse();
        up
    }

    /// The top-level rows, for the home page.
    pub fn top(&self) -> impl Iterator<Item = &Entry> {
        self.entries.iter().filter(|e| e.depth == 0)
    }

    /// The pages folder index page `i` lists.
    pub fn children(&self, i: usize) -> &[usize] {
        self.children.get(&i).map_or(&[], Vec::as_slice)
    }

    /// The pages before and after page `i` in reading order.
    pub fn neighbours(&self, i: usize) -> (Option<usize>, Option<usize>) {
        let Some(&at) = self.place.get(&i) else {
            return (None, None);
        };
        (
            at.checked_sub(1).map(|k| self.order[k]),
            self.order.get(at + 1).copied(),
        )
    }
}

/// Order within a folder: `order`/`weight`, then title, then path.
type SortKey = (i64, String, String);

/// What a folder holds: a page, or a subfolder (its name and path).
enum Item<'a> {
    Page(usize),
    Folder(&'a str, String),
}

fn sort_key(p: &Page) -> SortKey {
    (p.order(), p.title.to_lowercase(), p.rel.clone())
}

/// The folder of `rel` (`a/b.md` → `a`), and whether the page is that
/// folder's index page.
fn folder_of(rel: &str) -> (&str, bool) {
    let (dir, name) = rel.rsplit_once('/').unwrap_or(("", rel));
    (dir, matches!(name, "_index.md" | "index.md" | "README.md"))
}

/// The index page of folder `dir`, if it has one.
fn index_of(by_rel: &HashMap<&str, usize>, dir: &str) -> Option<usize> {
    ["_index.md", "index.md", "README.md"].iter().find_map(|n| {
        let rel = if dir.is_empty() {
            n.to_string()
        } else {
            format!("{dir}/{n}")
        };
        by_rel.get(rel.as_str()).copied()
    })
}

/// The index page that lists page `i`: its folder's, or for an index page
/// the parent folder's; the nearest folder up that has one.
fn parent_index(pages: &[Page], by_rel: &HashMap<&str, usize>, i: usize) -> Option<usize> {
    let up = |d: &str| {
        d.rsplit_once('/')
            .map_or(String::new(), |(d, _)| d.to_string())
    };
    let (dir, is_index) = folder_of(&pages[i].rel);
    let mut dir = match (is_index, dir.is_empty()) {
        (true, true) => return None,
        (true, false) => up(dir),
        (false, _) => dir.to_string(),
    };
    loop {
        if let Some(x) = index_of(by_rel, &dir) {
            return Some(x);
        }
        if dir.is_empty() {
            return None;
        }
        dir = up(&dir);
    }
}

/// The tree `SUMMARY.md` gives: its rows, each row's children the rows
/// nested under it.
fn from_summary(found: &Found, by_rel: &HashMap<&str, usize>) -> Tree {
    let mut tree = Tree::default();
    for e in &found.summary {
        let page = e.rel.as_deref().and_then(|r| by_rel.get(r).copied());
        tree.entries.push(Entry {
            page,
            title: e.title.clone(),
            depth: e.depth,
            part: e.part.clone(),
            first: page,
        });
        if let Some(i) = page {
            if !tree.order.contains(&i) {
                tree.order.push(i);
            }
        }
    }
    for (n, e) in tree.entries.iter().enumerate() {
        let Some(parent) = e.page else { continue };
        let kids: Vec<usize> = tree.entries[n + 1..]
            .iter()
            .take_while(|c| c.depth > e.depth)
            .filter(|c| c.depth == e.depth + 1)
            .filter_map(|c| c.page)
            .collect();
        if !kids.is_empty() {
            tree.children.insert(parent, kids);
        }
    }
    tree
}

/// A folder's contents: its pages and subfolders, sorted together.
#[derive(Default)]
struct Folder<'a> {
    pages: Vec<usize>,
    subfolders: BTreeMap<&'a str, Folder<'a>>,
}

/// The tree the folders give.
fn from_folders(pages: &[Page], by_rel: &HashMap<&str, usize>) -> Tree {
    let mut root = Folder::default();
    let mut rels: Vec<(&str, usize)> = by_rel.iter().map(|(r, i)| (*r, *i)).collect();
    rels.sort_unstable();
    for (rel, i) in rels {
        let (dir, is_index) = folder_of(rel);
        let mut folder = &mut root;
        for seg in dir.split('/').filter(|s| !s.is_empty()) {
            folder = folder.subfolders.entry(seg).or_default();
        }
        if !is_index {
            folder.pages.push(i);
        }
    }
    let mut tree = Tree::default();
    walk(pages, by_rel, &root, "", 0, &mut tree);
    tree
}

/// Adds the rows of `folder` (at path `dir`) at `depth`, and what its index
/// page lists; returns the first page at or under it.
fn walk(
    pages: &[Page],
    by_rel: &HashMap<&str, usize>,
    folder: &Folder,
    dir: &str,
    depth: usize,
    tree: &mut Tree,
) -> Option<usize> {
    // Pages and subfolders (by their index page, else their name) together.
    let mut items: Vec<(SortKey, Item)> = folder
        .pages
        .iter()
        .map(|&i| (sort_key(&pages[i]), Item::Page(i)))
        .collect();
    for name in folder.subfolders.keys() {
        let path = if dir.is_empty() {
            name.to_string()
        } else {
            format!("{dir}/{name}")
        };
        let key = match index_of(by_rel, &path) {
            Some(x) => sort_key(&pages[x]),
            None => (i64::MAX, name.to_lowercase(), path.clone()),
        };
        items.push((key, Item::Folder(name, path)));
    }
    items.sort_by(|a, b| a.0.cmp(&b.0));
    let own_index = index_of(by_rel, dir);
    let mut listed = Vec::new();
    let mut first = None;
    for (_, item) in items {
        match item {
            Item::Page(i) => {
                tree.entries.push(Entry {
                    page: Some(i),
                    title: pages[i].display_title().into_owned(),
                    depth,
                    part: None,
                    first: Some(i),
                });
                tree.order.push(i);
                listed.push(i);
                first = first.or(Some(i));
            }
            Item::Folder(name, path) => {
                let index = index_of(by_rel, &path);
                let row = tree.entries.len();
                tree.entries.push(Entry {
                    page: index,
                    title: index.map_or_else(|| folder_name(name), |x| pages[x].title.clone()),
                    depth,
                    part: None,
                    first: index,
                });
                if let Some(x) = index {
                    tree.order.push(x);
                    listed.push(x);
                }
                let inner = walk(
                    pages,
                    by_rel,
                    &folder.subfolders[name],
                    &path,
                    depth + 1,
                    tree,
                );
                tree.entries[row].first = index.or(inner);
                first = first.or(index).or(inner);
            }
        }
    }
    if let Some(x) = own_index {
        if !listed.is_empty() {
            tree.children.insert(x, listed);
        }
    }
    first
}

/// A folder's name as a title: `getting-started` → `Getting started`.
fn folder_name(name: &str) -> String {
    let spaced = name.replace(['-', '_'], " ");
    let mut chars = spaced.chars();
    match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => spaced,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::page_from_text;
    use std::path::Path;

    fn page(rel: &str, front: &str) -> Page {
        let text = format!("---\n{front}---\n\nText of {rel}.\n");
        page_from_text(Path::new(rel), rel, text).unwrap()
    }

    fn titles(tree: &Tree) -> Vec<String> {
        tree.rows()
            .map(|e| format!("{}{}", "  ".repeat(e.depth), e.title))
            .collect()
    }

    #[test]
    fn folders_sort_their_pages_and_subfolders_by_order_then_title() {
        let pages = vec![
            page("a.md", "title: Zeta\n"),
            page("b.md", "title: Beta\norder: 1\n"),
            page("guide/_index.md", "title: Guide\norder: 2\n"),
            page("guide/y.md", "title: Y\n"),
            page("guide/x.md", "title: X\n"),
            page("misc/m.md", "title: M\n"),
        ];
        let tree = Tree::new(&pages, &Found::default(), |_| false);
        assert_eq!(
            titles(&tree),
            ["Beta", "Guide", "  X", "  Y", "Misc", "  M", "Zeta"]
        );
        assert_eq!(tree.children(2), [4, 3]);
        assert_eq!(tree.neighbours(4), (Some(2), Some(3)));
    }

    #[test]
    fn a_tree_too_large_for_the_sidebar_shows_its_upper_levels() {
        let pages: Vec<Page> = (0..7)
            .flat_map(|f| (0..10).map(move |p| page(&format!("f{f}/p{p}.md"), "")))
            .collect();
        let tree = Tree::new(&pages, &Found::default(), |_| false);
        let rows = titles(&tree);
        assert_eq!(rows, ["F0", "F1", "F2", "F3", "F4", "F5", "F6"]);
    }

    #[test]
    fn a_large_trees_sidebar_opens_the_way_to_the_current_page_as_mdbook_folds() {
        // Twelve chapters of six sections each, one with two subsections.
        let mut pages = Vec::new();
        let mut summary = String::from("# Summary\n\n");
        for c in 0..12 {
            pages.push(page(&format!("c{c}.md"), &format!("title: C{c}\n")));
            summary.push_str(&format!("- [C{c}](c{c}.md)\n"));
            for s in 0..6 {
                pages.push(page(
                    &format!("c{c}/s{s}.md"),
                    &format!("title: S{c}.{s}\n"),
                ));
                summary.push_str(&format!("  - [S{c}.{s}](c{c}/s{s}.md)\n"));
                if c == 3 && s == 1 {
                    for t in 0..2 {
                        let rel = format!("c3/s1/t{t}.md");
                        pages.push(page(&rel, &format!("title: T{t}\n")));
                        summary.push_str(&format!("    - [T{t}]({rel})\n"));
                    }
                }
            }
        }
        let found = Found {
            summary: crate::content::summary::parse(&summary),
            ..Found::default()
        };
        let tree = Tree::new(&pages, &found, |_| false);
        let at = |rel: &str| pages.iter().position(|p| p.rel == rel).unwrap();
        let rows = |current: Option<usize>| -> Vec<String> {
            tree.rows_for(current)
                .map(|e| format!("{}{}", "  ".repeat(e.depth), e.title))
                .collect()
        };
        let top: Vec<String> = (0..12).map(|c| format!("C{c}")).collect();
        assert_eq!(rows(None), top);
        let on_t1 = rows(Some(at("c3/s1/t1.md")));
        assert_eq!(&on_t1[..4], ["C0", "C1", "C2", "C3"]);
        assert_eq!(
            &on_t1[4..13],
            [
                "  S3.0", "  S3.1", "    T0", "    T1", "  S3.2", "  S3.3", "  S3.4", "  S3.5",
                "C4"
            ]
        );
        assert_eq!(on_t1.len(), 12 + 6 + 2);
        // A chapter's own sections open under it.
        assert_eq!(rows(Some(at("c5.md"))).len(), 12 + 6);
        // The way up, for breadcrumbs: nearest last.
        assert_eq!(
            tree.ancestors(at("c3/s1/t1.md")),
            [at("c3.md"), at("c3/s1.md")]
        );
        assert!(tree.ancestors(at("c3.md")).is_empty());
    }
}

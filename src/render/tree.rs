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
        tree
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The sidebar's rows: all of them, or the upper levels of a large tree.
    pub fn rows(&self) -> impl Iterator<Item = &Entry> {
        let max_depth = (0..8)
            .rev()
            .find(|&d| self.entries.iter().filter(|e| e.depth <= d).count() <= ROWS_MAX)
            .unwrap_or(0);
        self.entries.iter().filter(move |e| e.depth <= max_depth)
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
}

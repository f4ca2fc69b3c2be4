//! Obsidian vault semantics for wikilinks: a name is a file name found
//! anywhere in the content folder (`[[Note]]`, `[[diagram.svg]]`), a path
//! narrows it (`[[Folder/Note]]`), and when several files share the name the
//! one in the linking page's folder wins, then the one with the shortest
//! path — the note Obsidian itself would open. Fragments name a heading
//! (`#A#B`: heading B under heading A) or a block (`#^id`).

use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};

use rayon::prelude::*;

use super::index::{dir_of, HeadingsOf, Index};
use crate::content::{Asset, Page};
use crate::url::join;

/// A file a wikilink can name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Entry {
    /// A page, by its number.
    Page(usize),
    /// An asset (attachment), by its number in the asset list.
    Asset(usize),
}

/// The vault's files by name, and which pages other pages embed.
#[derive(Debug, Default)]
pub struct Names {
    /// Lowercased file name (a page's without `.md`) → files with it, each
    /// with its lowercased path (a page's without `.md`).
    by_name: HashMap<String, Vec<(String, Entry)>>,
    /// Asset paths, by asset number.
    asset_rels: Vec<String>,
    /// Pages that some page embeds (`![[Note]]`): their text is read again
    /// after their own render, so it must not be released.
    embedded: HashSet<usize>,
}

impl Names {
    /// Files the pages and assets of a site answer to.
    pub fn new(pages: &[Page], assets: &[Asset]) -> Self {
        let mut by_name: HashMap<String, Vec<(String, Entry)>> = HashMap::default();
        for (i, p) in pages.iter().enumerate() {
            let path = p.rel.strip_suffix(".md").unwrap_or(&p.rel).to_lowercase();
            by_name
                .entry(base_name(&path).to_string())
                .or_default()
                .push((path, Entry::Page(i)));
        }
        for (i, a) in assets.iter().enumerate() {
            let path = a.rel.to_lowercase();
            by_name
                .entry(base_name(&path).to_string())
                .or_default()
                .push((path, Entry::Asset(i)));
        }
        let mut names = Names {
            by_name,
            asset_rels: assets.iter().map(|a| a.rel.clone()).collect(),
            embedded: HashSet::default(),
        };
        // Only pages with `![[` are read: a quick scan of the rest.
        let embedded: Vec<Vec<usize>> = pages
            .par_iter()
            .enumerate()
            .map(|(i, p)| {
                let text = p.text();
                embed_names(text.body())
                    .filter_map(|name| match names.find(pages, i, name) {
                        Some(Entry::Page(t)) => Some(t),
                        _ => None,
                    })
                    .collect()
            })
            .collect();
        names.embedded = embedded.into_iter().flatten().collect();
        names
    }

    /// Whether some page embeds page `page`.
    pub fn is_embedded(&self, page: usize) -> bool {
        self.embedded.contains(&page)
    }

    /// The path of asset `asset`.
    pub fn asset_rel(&self, asset: usize) -> &str {
        &self.asset_rels[asset]
    }

    /// The file that `[[name]]`, written in page `from`, names: by path
    /// (`./x`, `../x`, `/x` or a path from the root), else by file name
    /// with the path as a suffix, preferring `from`'s folder, then the
    /// shortest path. A page's `.md` may be left out.
    pub fn find(&self, pages: &[Page], from: usize, name: &str) -> Option<Entry> {
        self.find_among(pages, from, name).map(|(e, _)| e)
    }

    /// [`Names::find`], and whether no other file answers to the name.
    pub fn find_among(&self, pages: &[Page], from: usize, name: &str) -> Option<(Entry, bool)> {
        let name = name.trim().trim_end_matches('\\').trim();
        if name.is_empty() {
            return None;
        }
        let from_dir = dir_of(&pages[from].rel);
        let wanted =
            if name.starts_with("./") || name.starts_with("../") || name.starts_with('/') {
                join(from_dir, name)?
            } else {
                name.to_string()
            }
            .to_lowercase();
        let wanted = wanted.strip_prefix('/').unwrap_or(&wanted);
        let exact = |w: &str| {
            self.by_name
                .get(base_name(w))?
                .iter()
                .find(|(path, _)| path == w)
                .map(|(_, e)| *e)
        };
        let as_note = wanted.strip_suffix(".md").unwrap_or(wanted);
        // A bare name is looked for everywhere, the linking folder first;
        // a path is first a path from the root.
        if let Some(e) = name
            .contains('/')
            .then(|| exact(as_note).or_else(|| exact(wanted)))
            .flatten()
        {
            return Some((e, true));
        }
        if name.starts_with("./") || name.starts_with("../") || name.starts_with('/') {
            return None;
        }
        let from_dir = from_dir.to_lowercase();
        [as_note, wanted].iter().find_map(|w| {
            let suffix = format!("/{w}");
            let named = || {
                self.by_name
                    .get(base_name(w))
                    .into_iter()
                    .flatten()
                    .filter(|(path, _)| path == w || path.ends_with(&suffix))
            };
            let unique = named().nth(1).is_none();
            named()
                .min_by_key(|(path, _)| {
                    (
                        dir_of(path) != from_dir,
                        path.matches('/').count(),
                        path.len(),
                        path.clone(),
                    )
                })
                .map(|(_, e)| (*e, unique))
        })
    }
}

/// The last segment of a `/`-separated path.
fn base_name(path: &str) -> &str {
    path.rsplit('/').next().unwrap_or(path)
}

/// The names embedded in `body` (`![[name#part|size]]` → `name`), found
/// without parsing the markdown: a name in a code block is taken too,
/// which only keeps a page's text longer than needed.
fn embed_names(body: &str) -> impl Iterator<Item = &str> {
    // Every page's body is read here: most have no embed, which the
    // vectorised search finds out fastest.
    let any = memchr::memmem::find(body.as_bytes(), b"![[").is_some();
    let parts = any.then(|| body.split("![[").skip(1));
    parts.into_iter().flatten().filter_map(|rest| {
        let inner = &rest[..rest.find("]]")?];
        let end = inner.find(['#', '|']).unwrap_or(inner.len());
        Some(inner[..end].trim())
    })
}

impl Index<'_> {
    /// The id that fragment `fragment` of a wikilink to `page` names: a
    /// block id (`^abc`) as written, or the heading named by the last of
    /// `#`-separated headings, each looked for after the one before it.
    pub(super) fn fragment_id(
        &self,
        page: usize,
        fragment: &str,
        headings_of: HeadingsOf,
    ) -> String {
        if fragment.starts_with('^') {
            return fragment.to_string();
        }
        let parts: Vec<&str> = fragment.split('#').map(str::trim).collect();
        if parts.len() == 1 {
            return self.heading_id(page, parts[0], headings_of);
        }
        let anchors = self.headings[page].get_or_init(|| headings_of(&self.pages[page]));
        let mut from = 0;
        let mut found = None;
        for part in &parts {
            let wanted = crate::slug::slugify(part);
            let at = anchors[from.min(anchors.len())..]
                .iter()
                .position(|(text, id)| crate::slug::slugify(text) == wanted || id == part);
            match at {
                Some(k) => {
                    found = Some(anchors[from + k].1.clone());
                    from += k + 1;
                }
                None => return self.heading_id(page, parts[parts.len() - 1], headings_of),
            }
        }
        found.unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::page_from_text;
    use std::path::Path;

    fn pages(rels: &[&str]) -> Vec<Page> {
        rels.iter()
            .map(|r| page_from_text(Path::new(r), r, "body\n".to_string()).unwrap())
            .collect()
    }

    fn found(pages: &[Page], assets: &[Asset], from: &str, name: &str) -> Option<String> {
        let names = Names::new(pages, assets);
        let from = pages.iter().position(|p| p.rel == from).unwrap();
        names.find(pages, from, name).map(|e| match e {
            Entry::Page(i) => pages[i].rel.clone(),
            Entry::Asset(i) => assets[i].rel.clone(),
        })
    }

    #[test]
    fn a_name_prefers_the_same_folder_then_the_shortest_path() {
        let p = pages(&[
            "a/Note.md",
            "b/c/Note.md",
            "b/Note.md",
            "b/Other.md",
            "a/x/Other.md",
        ]);
        assert_eq!(
            found(&p, &[], "a/x/Other.md", "Note").as_deref(),
            Some("a/Note.md")
        );
        assert_eq!(
            found(&p, &[], "b/Other.md", "note").as_deref(),
            Some("b/Note.md")
        );
        // Even when the root has a note of that name.
        let q = pages(&["Note.md", "b/Note.md", "b/Other.md"]);
        assert_eq!(
            found(&q, &[], "b/Other.md", "Note").as_deref(),
            Some("b/Note.md")
        );
        assert_eq!(
            found(&q, &[], "b/Other.md", "/Note").as_deref(),
            Some("Note.md")
        );
        // From elsewhere: the shortest path, then the first alphabetically.
        assert_eq!(
            found(&p, &[], "b/c/Note.md", "Other").as_deref(),
            Some("b/Other.md")
        );
        assert_eq!(
            found(&p, &[], "b/c/Note.md", "Note").as_deref(),
            Some("b/c/Note.md")
        );
        assert_eq!(found(&p, &[], "b/Note.md", "Nobody"), None);
    }

    #[test]
    fn a_path_narrows_the_name_and_may_be_relative() {
        let p = pages(&["a/Note.md", "b/c/Note.md", "b/Note.md", "top.md"]);
        assert_eq!(
            found(&p, &[], "top.md", "c/Note").as_deref(),
            Some("b/c/Note.md")
        );
        assert_eq!(
            found(&p, &[], "top.md", "b/Note").as_deref(),
            Some("b/Note.md")
        );
        assert_eq!(
            found(&p, &[], "top.md", "a/Note.md").as_deref(),
            Some("a/Note.md")
        );
        assert_eq!(
            found(&p, &[], "b/c/Note.md", "../Note").as_deref(),
            Some("b/Note.md")
        );
        assert_eq!(
            found(&p, &[], "b/c/Note.md", "/a/Note").as_deref(),
            Some("a/Note.md")
        );
        assert_eq!(found(&p, &[], "top.md", "x/Note"), None);
    }

    #[test]
    fn attachments_are_found_by_their_file_name_with_its_extension() {
        let p = pages(&["notes/Page.md"]);
        let assets = [
            Asset {
                source: "x".into(),
                rel: "attachments/diagram.svg".into(),
            },
            Asset {
                source: "x".into(),
                rel: "attachments/old/diagram.svg".into(),
            },
        ];
        assert_eq!(
            found(&p, &assets, "notes/Page.md", "diagram.svg").as_deref(),
            Some("attachments/diagram.svg")
        );
        assert_eq!(
            found(&p, &assets, "notes/Page.md", "old/diagram.svg").as_deref(),
            Some("attachments/old/diagram.svg")
        );
        assert_eq!(found(&p, &assets, "notes/Page.md", "diagram"), None);
    }

    #[test]
    fn embedded_names_are_read_from_the_text() {
        let names: Vec<&str> =
            embed_names("a ![[One]] b ![[Two#H|x]] ![[ Three|100]] ![[open").collect();
        assert_eq!(names, ["One", "Two", "Three"]);
    }
}

//! Links as other tools write them, resolved to the page they name: Zola's
//! `@/path.md#anchor` (from the content folder's top), Hugo's site-absolute
//! `/functions/time/format/` (a page's URL, which is a folder there), the
//! old URLs a page lists in `aliases` (both tools write a redirect there),
//! Gutenberg's `./path.md` (Zola before 0.9, from the content folder's top),
//! and links to a folder, which mean its index page (`_index.md`, `index.md`
//! or `README.md`).

use std::collections::HashMap;

use super::Index;
use crate::content::Page;

impl Index<'_> {
    /// The page that path `rel` (under the content folder, without a leading
    /// `/`) names when it is not a file's path: `a/b` or `a/b/` is `a/b.md`
    /// or the index page of folder `a/b`.
    pub(super) fn page_named(&self, rel: &str) -> Option<usize> {
        let rel = rel.trim_end_matches('/');
        let folder = |name: &str| match rel {
            "" => name.to_string(),
            _ => format!("{rel}/{name}"),
        };
        let mut candidates = Vec::with_capacity(5);
        if !rel.is_empty() {
            candidates.push(format!("{rel}.md"));
        }
        candidates.extend(["_index.md", "index.md", "README.md"].map(folder));
        candidates
            .iter()
            .find_map(|c| self.by_rel.get(c.as_str()))
            .or_else(|| self.by_url.get(folder("index.html").as_str()))
            .copied()
            .or_else(|| self.page_aliased(rel))
            .or_else(|| candidates.iter().find_map(|c| self.page_folded(c)))
    }

    /// The page at `rel` in another case: Hugo lowercases its URLs, so
    /// `/methods/page/data/` is `methods/page/Data.md`.
    fn page_folded(&self, rel: &str) -> Option<usize> {
        let folded = self.folded.get_or_init(|| {
            let mut map: HashMap<String, Option<usize>> = HashMap::new();
            for (i, p) in self.pages.iter().enumerate() {
                map.entry(p.rel.to_lowercase())
                    .and_modify(|e| *e = None)
                    .or_insert(Some(i));
            }
            map
        });
        folded.get(&rel.to_lowercase()).copied().flatten()
    }

    /// The page whose `aliases` name the site path `rel`: an alias that
    /// starts with `/` is an old URL of the page, where Hugo and Zola leave
    /// a redirect (other aliases are names, for wikilinks).
    fn page_aliased(&self, rel: &str) -> Option<usize> {
        self.aliased
            .get_or_init(|| aliased_paths(self.pages))
            .get(rel.trim_matches('/'))
            .copied()
    }

    /// Whether some page or file lies under folder `rel`.
    pub(super) fn is_folder(&self, rel: &str) -> bool {
        let prefix = format!("{}/", rel.trim_end_matches('/'));
        rel.is_empty()
            || self.by_rel.keys().any(|r| r.starts_with(&prefix))
            || self.assets.iter().any(|a| a.starts_with(&prefix))
    }

    /// The page a Gutenberg-era link `./path.md` names from the content
    /// folder's top, for when it names nothing from the page's own folder.
    pub(super) fn page_from_content_top(&self, link: &str) -> Option<usize> {
        let rel = link.strip_prefix("./")?;
        if !rel.ends_with(".md") {
            return None;
        }
        self.by_rel.get(rel).copied()
    }

    /// The page a relative link names the way Hugo reads it: from the page's
    /// own URL, which is a folder there (`now.md` is `time/now/`, so
    /// `../format/` is `time/format/`).
    pub(super) fn page_from_url_folder(&self, from_rel: &str, link: &str) -> Option<usize> {
        if link.ends_with(".md") || link.starts_with('/') {
            return None;
        }
        let base = from_rel.strip_suffix(".md").unwrap_or(from_rel);
        let base = match base.rsplit_once('/') {
            Some((dir, "_index" | "index" | "README")) => dir,
            None if matches!(base, "_index" | "index" | "README") => "",
            _ => base,
        };
        let rel = crate::url::join(base, link)?;
        self.page_named(&rel)
    }
}

/// Zola's `@/path` is a path from the content folder's top, which a leading
/// `/` already means here.
pub(super) fn from_top(path: &str) -> Option<String> {
    path.strip_prefix("@/").map(|rest| format!("/{rest}"))
}

/// The old URLs of every page (its aliases that start with `/`), without
/// their slashes, the first page to claim one keeping it.
fn aliased_paths(pages: &[Page]) -> HashMap<String, usize> {
    let mut map = HashMap::new();
    for (i, p) in pages.iter().enumerate() {
        for a in p.meta.aliases.iter().filter(|a| a.starts_with('/')) {
            map.entry(a.trim_matches('/').to_string()).or_insert(i);
        }
    }
    map
}

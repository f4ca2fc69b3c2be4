//! The URL map, built before any markdown is rendered: which URL each page
//! has, which names (titles, aliases, file stems) a wikilink may use, which
//! words are acronyms with a page, and what a link or wikilink in one page
//! points at.
//!
//! Lookups are hash maps built once, so resolving a link costs the same
//! whatever the number of pages.

use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};

use rayon::prelude::*;

use super::acronyms::Matcher;
use super::vault;
use crate::content::frontmatter::Kind;
use crate::content::{Asset, Page};
use crate::url;

/// Everything a page's markdown needs to know about the rest of the site.
#[derive(Debug)]
pub struct Index<'a> {
    /// All pages, in path order; a page's number is its position here.
    pub pages: &'a [Page],
    pub(super) by_rel: HashMap<&'a str, usize>,
    pub(super) by_url: HashMap<&'a str, usize>,
    generated: HashSet<String>,
    pub(super) assets: HashSet<&'a str>,
    wiki: HashMap<String, [Vec<usize>; 3]>,
    /// Finds defined acronyms in prose; hit ids index `acronym_pages`.
    pub acronyms: Matcher,
    /// For each acronym id, the acronym page.
    pub acronym_pages: Vec<usize>,
    /// For each acronym id, its expansion as HTML, made on first use (by
    /// the markdown step, which writes it at every use of the acronym).
    pub acronym_titles: std::sync::OnceLock<Vec<String>>,
    /// Per page, its headings' (text, id), filled on first use.
    pub(super) headings: Vec<std::sync::OnceLock<Vec<(String, String)>>>,
    /// The old URLs pages list in `aliases`, filled on first use.
    pub(super) aliased: std::sync::OnceLock<std::collections::HashMap<String, usize>>,
    /// Pages by their lowercased path, made on first use; a path two pages
    /// share in another case is left out.
    pub(super) folded: std::sync::OnceLock<std::collections::HashMap<String, Option<usize>>>,
    /// The markdown conventions the pages follow.
    pub conventions: crate::config::Dialect,
    /// Files by name, as an Obsidian vault finds them.
    pub vault: vault::Names,
}

/// How the markdown step finds a page's headings as (text, id) pairs, in
/// order: `[[Page#Heading]]` links to the id that step gives the heading.
pub type HeadingsOf = fn(&Page) -> Vec<(String, String)>;

/// Where a link in the markdown goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// Off-site (`https:`, `mailto:` …): left alone.
    External,
    /// A page of the site, maybe at an anchor.
    Page {
        /// The page's number.
        page: usize,
        /// The `#fragment`, without `#`.
        anchor: Option<String>,
        /// The relative URL to write into the HTML.
        href: String,
    },
    /// An asset or a generated page (index of a kind): a file that will exist.
    File {
        /// The relative URL to write into the HTML.
        href: String,
    },
    /// A URL the policy refuses (see [`crate::url`]): rendered without it.
    Refused {
        /// What was refused, for the author.
        message: String,
        /// What to write instead.
        hint: String,
        /// Whether the URL runs script (`javascript:`): always an error,
        /// where another scheme (`obsidian:`) is only a link the site
        /// cannot make.
        runs_script: bool,
    },
    /// Nothing there.
    Broken {
        /// Why.
        message: String,
        /// A suggestion.
        hint: Option<String>,
    },
}

/// The tiers of wikilink matching: a title beats an alias beats a file stem.
const TITLE: usize = 0;
const ALIAS: usize = 1;
const STEM: usize = 2;

impl<'a> Index<'a> {
    /// Builds the lookup tables. `generated` are URLs the build writes besides
    /// the pages (kind indexes), which links may point at too.
    pub fn new(
        pages: &'a [Page],
        assets: &'a [Asset],
        generated: impl IntoIterator<Item = String>,
    ) -> Self {
        // The names each page answers to, made in parallel (a few small
        // strings per page), then filed in one table sized for them.
        let names: Vec<Vec<(String, usize)>> = pages
            .par_iter()
            .map(|p| {
                let mut names = Vec::with_capacity(3 + p.meta.aliases.len());
                names.push((wiki_key(&p.title), TITLE));
                for a in &p.meta.aliases {
                    names.push((wiki_key(a), ALIAS));
                }
                let stem = p.stem();
                let stem = if stem == "_index" {
                    p.rel.rsplit('/').nth(1).unwrap_or("index")
                } else {
                    stem
                };
                names.push((wiki_key(stem), STEM));
                let spaced = stem.replace(['-', '_'], " ");
                if spaced != stem {
                    names.push((wiki_key(&spaced), STEM));
                }
                names
            })
            .collect();
        let mut wiki: HashMap<String, [Vec<usize>; 3]> =
            HashMap::with_capacity_and_hasher(names.iter().map(Vec::len).sum(), Default::default());
        for (i, names) in names.into_iter().enumerate() {
            for (key, tier) in names {
                wiki.entry(key).or_default()[tier].push(i);
            }
        }
        let mut acronyms = Matcher::new();
        let mut acronym_pages = Vec::new();
        for (i, p) in pages.iter().enumerate() {
            if p.kind == Kind::Acronym {
                acronyms.insert(&p.title, acronym_pages.len());
                acronym_pages.push(i);
            }
        }
        for tiers in wiki.values_mut() {
            for t in tiers.iter_mut() {
                t.dedup();
            }
        }
        Index {
            pages,
            by_rel: pages
                .iter()
                .enumerate()
                .map(|(i, p)| (p.rel.as_str(), i))
                .collect(),
            by_url: pages
                .iter()
                .enumerate()
                .map(|(i, p)| (p.url.as_str(), i))
                .collect(),
            generated: generated.into_iter().collect(),
            assets: assets.iter().map(|a| a.rel.as_str()).collect(),
            wiki,
            acronyms,
            acronym_pages,
            acronym_titles: std::sync::OnceLock::new(),
            headings: pages.iter().map(|_| std::sync::OnceLock::new()).collect(),
            aliased: std::sync::OnceLock::new(),
            folded: std::sync::OnceLock::new(),
            vault: vault::Names::new(pages, assets),
            conventions: crate::config::Dialect::detect(pages.iter().map(|p| p.rel.as_str())),
        }
    }

    /// Resolves a markdown link or image destination written in page `from`.
    pub fn resolve(&self, from: usize, dest: &str, used: url::Use) -> Target {
        let dest = dest.trim();
        if dest.is_empty() {
            return broken("empty link", None);
        }
        if let Err(scheme) = url::check(dest, used) {
            let what = match used {
                url::Use::Link => "link",
                url::Use::Image => "image",
            };
            // Tabs and line breaks are part of the trick, and would break
            // the one-line message: shown escaped.
            let shown: String = dest
                .chars()
                .map(|c| match c.is_control() {
                    true => c.escape_default().to_string(),
                    false => c.to_string(),
                })
                .collect();
            // A file whose name has a `:` is reached by `./name`.
            let hint = match self.resolve(from, &format!("./{dest}"), used) {
                Target::Page { .. } | Target::File { .. } => format!(
                    "write ./{dest} to link the file (a name with ':' before any '/' reads as a scheme)"
                ),
                _ => url::HINT.to_string(),
            };
            return Target::Refused {
                message: format!(
                    "{what} '{shown}' uses the scheme '{scheme}:', which is not allowed"
                ),
                hint,
                runs_script: url::runs_script(Some(&scheme), dest),
            };
        }
        if is_external(dest) {
            return Target::External;
        }
        let (path, fragment) = match dest.split_once('#') {
            Some((p, f)) => (p, Some(f)),
            None => (dest, None),
        };
        let path = path.split('?').next().unwrap_or("");
        let from_page = &self.pages[from];
        if path.is_empty() {
            // Same page: `#anchor`.
            let href = format!("#{}", fragment.unwrap_or(""));
            return Target::Page {
                page: from,
                anchor: fragment.map(str::to_string),
                href,
            };
        }
        let decoded = url::percent_decode(path);
        let decoded = match super::foreign::from_top(&decoded) {
            Some(top) => std::borrow::Cow::Owned(top),
            None => decoded,
        };
        let Some(rel) = url::join(dir_of(&from_page.rel), &decoded) else {
            return broken("link leads outside the content folder", None);
        };
        let rel = if rel.is_empty() || decoded.ends_with('/') {
            // A folder: its _index.md (links must name files, never folders).
            let index = if rel.is_empty() {
                "_index.md".to_string()
            } else {
                format!("{rel}/_index.md")
            };
            match self.by_rel.get(index.as_str()) {
                Some(_) => index,
                None => match self
                    .page_named(&rel)
                    .or_else(|| self.page_from_url_folder(&from_page.rel, &decoded))
                {
                    Some(i) => self.pages[i].rel.clone(),
                    // A site's URL for a page the collection lacks.
                    None if !self.is_folder(&rel) => {
                        return broken(format!("no page or folder at {rel}/"), None)
                    }
                    None => {
                        return broken(
                            "link to a folder",
                            Some(format!(
                                "link to a page in it, e.g. {}",
                                if rel.is_empty() { "_index.md" } else { &rel }
                            )),
                        )
                    }
                },
            }
        } else {
            rel
        };
        // The href is the relative URL with the fragment appended.
        let with_fragment = |mut href: String| {
            if let Some(f) = fragment {
                href.push('#');
                href.push_str(f);
            }
            href
        };
        if let Some(&page) = self
            .by_rel
            .get(rel.as_str())
            .or_else(|| self.by_url.get(rel.as_str()))
        {
            return Target::Page {
                page,
                anchor: fragment.map(str::to_string),
                href: with_fragment(relative_href(&from_page.url, &self.pages[page].url)),
            };
        }
        if self.assets.contains(rel.as_str()) || self.generated.contains(&rel) {
            return Target::File {
                href: with_fragment(relative_href(&from_page.url, &rel)),
            };
        }
        let named = self
            .page_named(&rel)
            .or_else(|| self.page_from_url_folder(&from_page.rel, &decoded))
            .filter(|_| !rel.ends_with(".md"))
            .or_else(|| self.page_from_content_top(&decoded));
        if let Some(page) = named {
            return Target::Page {
                page,
                anchor: fragment.map(str::to_string),
                href: with_fragment(relative_href(&from_page.url, &self.pages[page].url)),
            };
        }
        let hint = if rel.ends_with(".md") {
            crate::diag::nearest(&rel, self.by_rel.keys().copied())
                .map(|s| format!("did you mean {}?", relative_href(&from_page.rel, s)))
        } else {
            None
        };
        broken(format!("no such page or file: {rel}"), hint)
    }

    /// Resolves a wikilink target (`Title`, `Alias`, `stem`, optionally
    /// `#Heading`, found among the headings `headings_of` gives).
    pub fn resolve_wiki(&self, from: usize, dest: &str, headings_of: HeadingsOf) -> Target {
        // In a table, `[[Page\|label]]` leaves its backslash on the name.
        let dest = dest.trim().trim_end_matches('\\');
        let (name, heading) = match dest.split_once('#') {
            Some((n, h)) => (n.trim(), Some(h.trim())),
            None => (dest.trim(), None),
        };
        let page = if name.is_empty() {
            from
        } else if let Some((found, unique)) = self.vault.find_among(self.pages, from, name) {
            // Files that share the name give way to a page with that title.
            let titled = match self.wiki.get(&wiki_key(name)) {
                Some(tiers) if !unique && tiers[TITLE].len() == 1 => Some(tiers[TITLE][0]),
                _ => None,
            };
            match titled.map_or(found, vault::Entry::Page) {
                vault::Entry::Page(page) => page,
                vault::Entry::Asset(asset) => {
                    let mut href =
                        relative_href(&self.pages[from].url, self.vault.asset_rel(asset));
                    if let Some(h) = heading {
                        href.push('#');
                        href.push_str(h);
                    }
                    return Target::File { href };
                }
            }
        } else {
            let tiers = self.wiki.get(&wiki_key(name));
            let Some(found) = tiers.and_then(|t| t.iter().find(|c| !c.is_empty())) else {
                let hint = crate::diag::nearest(
                    name,
                    self.pages.iter().flat_map(|p| {
                        std::iter::once(p.title.as_str())
                            .chain(p.meta.aliases.iter().map(String::as_str))
                    }),
                )
                .map(|s| format!("did you mean [[{s}]]?"));
                return broken(format!("no page titled '{name}'"), hint);
            };
            if found.len() > 1 {
                let names: Vec<String> = found
                    .iter()
                    .map(|&i| self.pages[i].source.display().to_string())
                    .collect();
                return broken(
                    format!(
                        "ambiguous: {} pages answer to '{name}': {}",
                        names.len(),
                        names.join(", ")
                    ),
                    Some("link to the file instead, or rename one of the pages".into()),
                );
            }
            found[0]
        };
        let anchor = heading.map(|h| self.fragment_id(page, h, headings_of));
        let frag = anchor.as_ref().map(|a| format!("#{a}")).unwrap_or_default();
        let href = if page == from {
            if frag.is_empty() {
                relative_href(&self.pages[from].url, &self.pages[from].url)
            } else {
                frag
            }
        } else {
            format!(
                "{}{frag}",
                relative_href(&self.pages[from].url, &self.pages[page].url)
            )
        };
        Target::Page { page, anchor, href }
    }

    /// The id of the heading of `page` whose text is `heading` (compared as
    /// slugs, so case and punctuation do not matter); the slug itself when no
    /// heading matches, which the anchor check then reports. Heading ids are
    /// computed once per page, on first use.
    pub(super) fn heading_id(&self, page: usize, heading: &str, headings_of: HeadingsOf) -> String {
        let wanted = crate::slug::slugify(heading);
        let anchors = self.headings[page].get_or_init(|| headings_of(&self.pages[page]));
        anchors
            .iter()
            .find(|(text, id)| crate::slug::slugify(text) == wanted || id == heading)
            .map_or(wanted, |(_, id)| id.clone())
    }

    /// Records the headings of `page` as its render found them, before its
    /// body is released (the same as its [`HeadingsOf`] gives).
    pub fn keep_headings(&self, page: usize, anchors: Vec<(String, String)>) {
        // Already set means computed from the same text: identical.
        let _ = self.headings[page].set(anchors);
    }

    /// What the index owns (names, heading ids, the acronym matcher), apart
    /// from what it borrows: all of it is spent once every page is
    /// rendered, and a large site's (hundreds of thousands of small strings)
    /// can be freed on another thread.
    pub fn into_owned_parts(self) -> impl Send + 'static {
        (self.wiki, self.generated, self.headings, self.acronyms)
    }

    /// The page for an acronym id from [`Index::acronyms`].
    pub fn acronym_page(&self, id: usize) -> &Page {
        &self.pages[self.acronym_pages[id]]
    }
}

fn broken(message: impl Into<String>, hint: Option<String>) -> Target {
    Target::Broken {
        message: message.into(),
        hint,
    }
}

/// Case- and space-insensitive key for wikilink matching.
fn wiki_key(name: &str) -> String {
    name.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// Whether a URL leaves the site: it has a scheme (`https:`, `mailto:`) or
/// is protocol-relative (`//host/…`).
pub fn is_external(url: &str) -> bool {
    url.starts_with("//") || url::scheme(url).is_some()
}

/// The folder part of a `/`-separated path (`a/b.md` → `a`, `b.md` → ``).
pub(super) fn dir_of(rel: &str) -> &str {
    rel.rsplit_once('/').map_or("", |(d, _)| d)
}

/// The relative URL from the page at `from` to the file at `to` (both
/// site-root-relative): `topics/a.html` → `chapters/b.html` is
/// `../chapters/b.html`. Never starts with `/`, never names a folder, and
/// never reads as a scheme: `note:1.html` is written `./note:1.html`.
pub fn relative_href(from: &str, to: &str) -> String {
    // Every page, backlink and nav link goes through here (hundreds of
    // thousands on a large site): bytes are compared as they are, and no
    // allocation is made but the result.
    // URLs are short: a plain backward loop beats the generic searcher.
    let last_slash = |s: &str| s.bytes().rposition(|b| b == b'/');
    let from_dir = &from.as_bytes()[..last_slash(from).unwrap_or(0)];
    let from_folders = || from_dir.split(|&b| b == b'/').filter(|s| !s.is_empty());
    let mut from_segments = from_folders();
    // Folders shared from the root; the file name itself is never shared.
    let mut common = 0;
    let mut rest_at = 0;
    if let Some(end) = last_slash(to) {
        for seg in to.as_bytes()[..end].split(|&b| b == b'/') {
            if from_segments.next() != Some(seg) {
                break;
            }
            common += 1;
            rest_at += seg.len() + 1;
        }
    }
    let ups = from_folders().count() - common;
    let mut out = String::with_capacity(3 * ups + to.len() - rest_at + 2);
    for _ in 0..ups {
        out.push_str("../");
    }
    if ups == 0 && url::reads_as_scheme(&to[rest_at..]) {
        out.push_str("./");
    }
    url::push_percent_encoded(&mut out, &to[rest_at..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::pages;

    #[test]
    fn relative_hrefs_as_segment_by_segment() {
        fn plain(from: &str, to: &str) -> String {
            let from_dir = || dir_of(from).split('/').filter(|s| !s.is_empty());
            let mut from_parts = from_dir();
            let mut common = 0;
            let mut rest_at = 0;
            for seg in to.split('/').take(to.matches('/').count()) {
                if from_parts.next() != Some(seg) {
                    break;
                }
                common += 1;
                rest_at += seg.len() + 1;
            }
            let mut out = "../".repeat(from_dir().count() - common);
            for c in to[rest_at..].chars() {
                if c.is_ascii_alphanumeric() || "-._~/!$&'()*+,;=:@".contains(c) {
                    out.push(c);
                } else {
                    let mut buf = [0; 4];
                    for b in c.encode_utf8(&mut buf).bytes() {
                        out.push_str(&format!("%{b:02X}"));
                    }
                }
            }
            out
        }
        let alphabet = ["a", "b", "x.html", "/", "é", " ", "#", "%", "..", "ü"];
        let mut rng = crate::testing::Rng::new(0x1405_7B7E_F767_814F);
        for _ in 0..20_000 {
            let from = rng.text(&alphabet, 8);
            let to = rng.text(&alphabet, 8);
            assert_eq!(
                relative_href(&from, &to),
                plain(&from, &to),
                "{from:?} -> {to:?}"
            );
        }
    }

    #[test]
    fn relative_hrefs_name_files() {
        assert_eq!(
            relative_href("topics/a.html", "chapters/b.html"),
            "../chapters/b.html"
        );
        assert_eq!(
            relative_href("index.html", "topics/a.html"),
            "topics/a.html"
        );
        assert_eq!(relative_href("topics/a.html", "topics/b.html"), "b.html");
        assert_eq!(
            relative_href("a/b/c.html", "index.html"),
            "../../index.html"
        );
        assert_eq!(relative_href("a/b/c.html", "a/x.html"), "../x.html");
        assert_eq!(
            relative_href("index.html", "my notes/ü.html"),
            "my%20notes/%C3%BC.html"
        );
    }

    #[test]
    fn relative_hrefs_never_read_as_a_scheme() {
        for (from, to, want) in [
            (
                "index.html",
                "javascript:alert(1).html",
                "./javascript:alert(1).html",
            ),
            ("topics/a.html", "topics/note:1.html", "./note:1.html"),
            ("topics/a.html", "note:1.html", "../note:1.html"),
            ("index.html", "a:b/c.html", "./a:b/c.html"),
            ("index.html", "a/b:c.html", "a/b:c.html"),
        ] {
            assert_eq!(relative_href(from, to), want, "{from} -> {to}");
            assert_eq!(url::scheme(&relative_href(from, to)), None);
        }
    }

    #[test]
    fn links_and_images_with_a_refused_scheme_are_refused() {
        let ps = pages(&[("a.md", "# A\n"), ("note:1.md", "# N\n")]);
        let idx = Index::new(&ps, &[], []);
        for dest in [
            "javascript:alert(1)",
            " JavaScript:alert(1)",
            "java\tscript:x",
            "vbscript:x",
            "data:text/html,x",
            "data:image/png;base64,AA",
            "note:1.md",
        ] {
            assert!(
                matches!(idx.resolve(0, dest, url::Use::Link), Target::Refused { .. }),
                "{dest:?}"
            );
        }
        match idx.resolve(0, "java\tscript:x", url::Use::Image) {
            Target::Refused { message, .. } => assert_eq!(
                message,
                "image 'java\\tscript:x' uses the scheme 'javascript:', which is not allowed"
            ),
            other => panic!("{other:?}"),
        }
        assert!(matches!(
            idx.resolve(0, "data:image/png;base64,AA", url::Use::Image),
            Target::External
        ));
        assert!(matches!(
            idx.resolve(0, "./note:1.md", url::Use::Link),
            Target::Page { page: 1, ref href, .. } if href == "./note:1.html"
        ));
    }

    /// Pages as the markdown step sees them when they have no headings.
    fn no_headings(_: &Page) -> Vec<(String, String)> {
        Vec::new()
    }

    /// `[[Page#Heading]]` takes the id the markdown step gives the heading,
    /// which need not be the heading's slug.
    #[test]
    fn a_wikilink_to_a_heading_takes_the_id_the_page_gives_it() {
        let ps = pages(&[("one.md", "---\ntitle: One\n---\n"), ("two.md", "# Two\n")]);
        let idx = Index::new(&ps, &[], []);
        let given = |_: &Page| vec![("Some Heading".to_string(), "given-id".to_string())];
        match idx.resolve_wiki(1, "One#some heading", given) {
            Target::Page {
                page: 0,
                anchor,
                href,
            } => {
                assert_eq!(anchor.as_deref(), Some("given-id"));
                assert_eq!(href, "one.html#given-id");
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn resolves_relative_links_and_wikilinks() {
        let ps = pages(&[
            ("chapters/one.md", "---\ntitle: One\nkind: chapter\n---\n"),
            (
                "topics/poc.md",
                "---\ntitle: Protection of Civilians\naliases: [civilian protection]\n---\n",
            ),
            (
                "acronyms/poc.md",
                "---\ntitle: PoC\nkind: acronym\nexpansion: Protection of Civilians\n---\n",
            ),
        ]);
        let idx = Index::new(&ps, &[], ["topics/index.html".to_string()]);
        assert_eq!(
            idx.resolve(0, "../topics/poc.md#framework", url::Use::Link),
            Target::Page {
                page: 1,
                anchor: Some("framework".into()),
                href: "../topics/poc.html#framework".into()
            }
        );
        assert!(matches!(
            idx.resolve(0, "https://example.org", url::Use::Link),
            Target::External
        ));
        assert!(matches!(
            idx.resolve(0, "mailto:a@b.c", url::Use::Link),
            Target::External
        ));
        assert!(matches!(
            idx.resolve(0, "../topics/index.html", url::Use::Link),
            Target::File { .. }
        ));
        match idx.resolve(0, "../topics/pco.md", url::Use::Link) {
            Target::Broken { hint, .. } => {
                assert_eq!(hint.as_deref(), Some("did you mean ../topics/poc.md?"))
            }
            other => panic!("{other:?}"),
        }
        assert!(matches!(
            idx.resolve(0, "../../x.md", url::Use::Link),
            Target::Broken { .. }
        ));
        // Title beats the acronym's stem; alias works; case-insensitive.
        assert!(matches!(
            idx.resolve_wiki(0, "protection of civilians", no_headings),
            Target::Page { page: 1, .. }
        ));
        assert!(matches!(
            idx.resolve_wiki(0, "Civilian Protection", no_headings),
            Target::Page { page: 1, .. }
        ));
        assert!(matches!(
            idx.resolve_wiki(0, "PoC", no_headings),
            Target::Page { page: 2, .. }
        ));
        match idx.resolve_wiki(0, "One#Some Heading", no_headings) {
            Target::Page {
                page: 0,
                anchor,
                href,
            } => {
                assert_eq!(anchor.as_deref(), Some("some-heading"));
                assert_eq!(href, "#some-heading");
            }
            other => panic!("{other:?}"),
        }
        match idx.resolve_wiki(0, "Protection of Civilian", no_headings) {
            Target::Broken { hint, .. } => assert_eq!(
                hint.as_deref(),
                Some("did you mean [[Protection of Civilians]]?")
            ),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn same_title_twice_is_ambiguous() {
        let ps = pages(&[("a.md", "# Same\n"), ("b.md", "# Same\n")]);
        let idx = Index::new(&ps, &[], []);
        match idx.resolve_wiki(0, "Same", no_headings) {
            Target::Broken { message, .. } => assert!(message.contains("ambiguous"), "{message}"),
            other => panic!("{other:?}"),
        }
    }
}

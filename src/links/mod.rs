//! The link graph: which URL each page has, what a link or wikilink in one
//! page points at, and — once every page is rendered — who links to whom.
//!
//! Lookups are hash maps built once, and backlinks are filled in one pass over
//! the list of links, so the cost grows with the number of links, never with
//! pages × pages.

use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};
use std::sync::Arc;

use rayon::prelude::*;

use crate::markdown::acronyms::Matcher;
use crate::content::{Asset, Page};
use crate::content::frontmatter::Kind;
use crate::render::SharedText;
use crate::url;

pub mod vault;

/// Everything a page's markdown needs to know about the rest of the site.
#[derive(Debug)]
pub struct Index<'a> {
    /// All pages, in path order; a page's number is its position here.
    pub pages: &'a [Page],
    by_rel: HashMap<&'a str, usize>,
    by_url: HashMap<&'a str, usize>,
    generated: HashSet<String>,
    assets: HashSet<&'a str>,
    wiki: HashMap<String, [Vec<usize>; 3]>,
    /// Finds defined acronyms in prose; hit ids index `acronym_pages`.
    pub acronyms: Matcher,
    /// For each acronym id, the acronym page.
    pub acronym_pages: Vec<usize>,
    /// Per page, its headings' (text, id), filled on first use.
    headings: Vec<std::sync::OnceLock<Vec<(String, String)>>>,
    /// Numbers the pages' search words as they are rendered.
    pub vocab: std::sync::Arc<crate::search::Vocab>,
    /// Files by name, as an Obsidian vault finds them.
    pub vault: vault::Names,
}

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
            headings: pages.iter().map(|_| std::sync::OnceLock::new()).collect(),
            vocab: Default::default(),
            vault: vault::Names::new(pages, assets),
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
        // Most links have nothing to decode: no copy then.
        let decoded = if path.contains('%') {
            std::borrow::Cow::Owned(percent_decode(path))
        } else {
            std::borrow::Cow::Borrowed(path)
        };
        let Some(rel) = join(dir_of(&from_page.rel), &decoded) else {
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
                None => {
                    return broken(
                        "link to a folder",
                        Some(format!(
                            "link to a page in it, e.g. {}",
                            if rel.is_empty() { "_index.md" } else { &rel }
                        )),
                    )
                }
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
        let hint = if rel.ends_with(".md") {
            crate::diag::nearest(&rel, self.by_rel.keys().copied())
                .map(|s| format!("did you mean {}?", relative_href(&from_page.rel, s)))
        } else {
            None
        };
        broken(format!("no such page or file: {rel}"), hint)
    }

    /// Resolves a wikilink target (`Title`, `Alias`, `stem`, optionally `#Heading`).
    pub fn resolve_wiki(&self, from: usize, dest: &str) -> Target {
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
        let anchor = heading.map(|h| self.fragment_id(page, h));
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
    fn heading_id(&self, page: usize, heading: &str) -> String {
        let wanted = crate::slug::slugify(heading);
        let anchors =
            self.headings[page].get_or_init(|| crate::markdown::heading_anchors(&self.pages[page]));
        anchors
            .iter()
            .find(|(text, id)| crate::slug::slugify(text) == wanted || id == heading)
            .map_or(wanted, |(_, id)| id.clone())
    }

    /// Records the headings of `page` as its render found them, before its
    /// body is released (the same as [`crate::markdown::heading_anchors`]).
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
fn dir_of(rel: &str) -> &str {
    rel.rsplit_once('/').map_or("", |(d, _)| d)
}

/// Joins `link` onto folder `dir` and normalises `.`/`..`; `None` if it
/// climbs above the root. A leading `/` means the content root.
fn join(dir: &str, link: &str) -> Option<String> {
    let mut out = String::with_capacity(dir.len() + link.len() + 1);
    if !link.starts_with('/') {
        push_path(&mut out, dir);
    }
    push_path(&mut out, link).then_some(out)
}

/// Appends the segments of `path` to the folder path `out`, normalising
/// `.` and `..`; false if a `..` climbed above the root (it is dropped).
/// Built in place (every link of every page comes here, twice with the
/// printout): a segment is appended after a `/`, and `..` cuts back to the
/// last `/`.
pub(crate) fn push_path(out: &mut String, path: &str) -> bool {
    let mut inside = true;
    for seg in path.split('/') {
        match seg {
            "" | "." => {}
            ".." if out.is_empty() => inside = false,
            ".." => out.truncate(out.rfind('/').unwrap_or(0)),
            s => {
                if !out.is_empty() {
                    out.push('/');
                }
                out.push_str(s);
            }
        }
    }
    inside
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
    push_percent_encoded(&mut out, &to[rest_at..]);
    out
}

/// Percent-encodes what may not stand raw in a URL path (spaces, `#`, `?`, `%`, …).
pub fn percent_encode_path(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    push_percent_encoded(&mut out, path);
    out
}

/// The bytes that stand raw in a URL path: letters, digits and
/// `-._~/!$&'()*+,;=:@` (every href of every page is checked byte by byte).
const STANDS_RAW: [bool; 256] = {
    let mut raw = [false; 256];
    let mut b = 0;
    while b < 256 {
        raw[b] = (b as u8).is_ascii_alphanumeric();
        b += 1;
    }
    let others = b"-._~/!$&'()*+,;=:@";
    let mut k = 0;
    while k < others.len() {
        raw[others[k] as usize] = true;
        k += 1;
    }
    raw
};

fn push_percent_encoded(out: &mut String, path: &str) {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    // Runs of bytes that stand raw are copied at once. A run starts after
    // an encoded byte and ends before one, and holds ASCII only, so both
    // ends are character boundaries.
    let mut run = 0;
    for (i, b) in path.bytes().enumerate() {
        if STANDS_RAW[usize::from(b)] {
            continue;
        }
        if run < i {
            out.push_str(&path[run..i]);
        }
        out.push('%');
        out.push(HEX[usize::from(b >> 4)] as char);
        out.push(HEX[usize::from(b & 15)] as char);
        run = i + 1;
    }
    out.push_str(&path[run..]);
}

/// Decodes `%XX` escapes; malformed ones stay as written (lenient: authors'
/// links and built pages, not untrusted requests — the server has its own).
pub fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            let hex = |b: u8| (b as char).to_digit(16);
            if let (Some(h), Some(l)) = (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                out.push((h * 16 + l) as u8);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// A link from one page to another, as found in the source page's content.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Link {
    /// The linking page.
    pub source: usize,
    /// The linked page.
    pub target: usize,
    /// The `#fragment` it points at, if any.
    pub anchor: Option<String>,
    /// Id of the paragraph, list item or heading the link stands in.
    pub block: Option<Arc<str>>,
    /// The sentence around the link (≤ ~200 characters); shared with the
    /// backlinks that quote it.
    pub context: SharedText,
    /// Line of the link in the source file.
    pub line: usize,
    /// Column of the link in the source file.
    pub col: usize,
    /// The destination as written when it has an `#anchor` (the anchor
    /// check quotes it); empty otherwise.
    pub raw: String,
    /// True when the link was made by acronym wrapping, not by the author.
    pub via_acronym: bool,
}

/// One place in one page that links to a page.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Mention {
    /// The sentence around the link.
    pub context: SharedText,
    /// Id of the block in the source page (for `source.html#block`).
    pub block: Option<Arc<str>>,
}

/// All mentions of a page by one other page.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Backlink {
    /// The linking page.
    pub source: usize,
    /// Where, in reading order of the source page, with repeats of the same
    /// block dropped.
    pub mentions: Vec<Mention>,
}

/// For each page, who links to it, grouped by linking page and sorted by the
/// linking page's kind, order and title. Self-links do not count.
pub fn backlinks<'a, I>(pages: &[Page], links: I) -> Vec<Vec<Backlink>>
where
    I: IntoIterator<Item = &'a Link> + Clone,
{
    // Each page's place in that order, found once: sorting 176,000
    // backlinks (at 10,000 pages) by comparing titles took most of the time.
    let mut order: Vec<usize> = (0..pages.len()).collect();
    order.par_sort_unstable_by(|&a, &b| {
        let (pa, pb) = (&pages[a], &pages[b]);
        (pa.kind, pa.order(), &pa.title, a).cmp(&(pb.kind, pb.order(), &pb.title, b))
    });
    let mut rank = vec![0; pages.len()];
    for (r, &i) in order.iter().enumerate() {
        rank[i] = r;
    }
    // The links are read twice, in order, to bucket them by target (a
    // stable counting sort: each target's links stay in page order, which
    // `add_mention` relies on); the backlinks, a few allocations each, are
    // then built target by target in parallel, each task reading only its
    // own targets' links rather than all of them.
    let mut start = vec![0usize; pages.len() + 1];
    for l in links.clone() {
        if l.source != l.target {
            start[l.target + 1] += 1;
        }
    }
    for t in 0..pages.len() {
        start[t + 1] += start[t];
    }
    let mut next = start.clone();
    let mut slots: Vec<Option<&Link>> = vec![None; start[pages.len()]];
    for l in links {
        if l.source != l.target {
            slots[next[l.target]] = Some(l);
            next[l.target] += 1;
        }
    }
    (0..pages.len())
        .into_par_iter()
        .map(|t| {
            let links = &slots[start[t]..start[t + 1]];
            // The links' quotes and block ids, read ahead (see `first_byte`).
            let mut touched = 0u8;
            for l in links.iter().flatten() {
                touched ^= first_byte(&l.context) ^ l.block.as_deref().map_or(0, first_byte);
            }
            std::hint::black_box(touched);
            let mut from: Vec<Backlink> = Vec::new();
            for l in links.iter().flatten() {
                add_mention(&mut from, l);
            }
            from.sort_unstable_by_key(|b| rank[b.source]);
            from
        })
        .collect()
}

/// The first byte of `s` (0 if empty), for reading ahead: when texts lie
/// all over the heap (the quotes of a large page's backlinks), work that
/// takes them one by one waits for memory each time, while a loop doing
/// nothing but these reads, which do not depend on one another, has the
/// processor wait for many at once, and the work after finds them in
/// cache. Such a loop folds the bytes into a value given to
/// `std::hint::black_box`, so that it is not optimised away.
pub fn first_byte(s: &str) -> u8 {
    s.as_bytes().first().copied().unwrap_or(0)
}

/// Adds link `l` to the backlinks of its target, `from`.
fn add_mention(from: &mut Vec<Backlink>, l: &Link) {
    // Links come page by page: a source is the last one or a new one
    // (searched for only if links come out of page order).
    let found = match from.last() {
        Some(b) if b.source == l.source => Some(from.len() - 1),
        Some(b) if b.source > l.source => from.iter().position(|b| b.source == l.source),
        _ => None,
    };
    let at = match found {
        Some(at) => at,
        None => {
            from.push(Backlink {
                source: l.source,
                // Most pages mention a page once: a first push would
                // reserve room for four, which a large site pays for in
                // every backlink.
                mentions: Vec::with_capacity(1),
            });
            from.len() - 1
        }
    };
    let mentions = &mut from[at].mentions;
    if mentions
        .iter()
        .any(|m| m.block.is_some() && m.block == l.block)
    {
        return;
    }
    mentions.push(Mention {
        context: l.context.clone(),
        block: l.block.clone(),
    });
}

/// Whether a sentence ends just before byte `i` of `text` (a char
/// boundary): at . ! ? (maybe followed by a quote or bracket) followed by
/// whitespace. Most positions are inside words, so the byte at `i` is
/// looked at first: an ASCII byte that is not whitespace settles it.
/// Quotes and brackets are skipped back to `from` at most (a char boundary
/// before `i`), so that a long run of them is not read again for every
/// link near it.
fn sentence_ends_at(text: &str, from: usize, i: usize) -> bool {
    // `i` is a char boundary, so a byte that is not space-like is ASCII and
    // no whitespace: no sentence ends there.
    if !text.as_bytes().get(i).is_some_and(|&b| is_space_like(b)) {
        return false;
    }
    let trimmed = text[from..i].trim_end_matches(['"', '\'', '’', '”', ')']);
    trimmed.ends_with(['.', '!', '?']) && text[i..].starts_with(char::is_whitespace)
}

/// ASCII whitespace as `char::is_whitespace`
/// has it (which counts U+000B, unlike `u8::is_ascii_whitespace`), or the
/// first byte of a non-ASCII character.
fn is_space_like(b: u8) -> bool {
    matches!(b, b'\t'..=b'\r' | b' ') || b >= 0xC0
}

/// The last position in `lo..=hi` (where `hi` < `bytes.len()` or is its
/// end) whose byte is [`is_space_like`].
fn last_space_like(bytes: &[u8], lo: usize, hi: usize) -> Option<usize> {
    let hi = hi.min(bytes.len().checked_sub(1)?);
    (lo..=hi).rev().find(|&i| is_space_like(bytes[i]))
}

/// The first position in `lo..hi` whose byte is [`is_space_like`].
fn first_space_like(bytes: &[u8], lo: usize, hi: usize) -> Option<usize> {
    let window = bytes.get(lo..hi.min(bytes.len()))?;
    Some(lo + window.iter().position(|&b| is_space_like(b))?)
}

/// The most characters a link's quote has.
const QUOTE_MAX: usize = 200;

/// How far from a link sentence ends are looked for: the quote is cut to
/// `QUOTE_MAX` characters anyway, and a huge paragraph without full stops (one
/// with 100,000 links) must not be rescanned for each of its links.
const REACH: usize = 4 * QUOTE_MAX;

/// Where the sentence around `start..end` (char boundaries of `text`,
/// in order) begins and ends: the nearest sentence ends within reach.
fn sentence_bounds(text: &str, start: usize, end: usize) -> (usize, usize) {
    let floor = start.saturating_sub(REACH);
    let mut from = floor;
    while !text.is_char_boundary(from) {
        from -= 1;
    }
    let is_boundary = |i: usize| sentence_ends_at(text, from, i);
    // Only where a space or a non-ASCII character starts can a sentence end
    // (see `sentence_ends_at`): the search goes from one such byte to the
    // next, eight bytes at a time, instead of testing every byte.
    let bytes = text.as_bytes();
    // The last sentence end in floor+1..=start, else the floor.
    let mut s = floor;
    let mut hi = start;
    while let Some(c) = last_space_like(bytes, floor + 1, hi) {
        if is_boundary(c) {
            s = c;
            break;
        }
        hi = c - 1;
    }
    while !text.is_char_boundary(s) {
        s += 1;
    }
    // The first sentence end in end..ceiling, else the ceiling.
    let ceiling = (end + REACH).min(text.len());
    let mut e = ceiling;
    let mut from = end;
    while let Some(c) = first_space_like(bytes, from, ceiling) {
        if is_boundary(c) {
            e = c;
            break;
        }
        from = c + 1;
    }
    while !text.is_char_boundary(e) {
        e += 1;
    }
    (s, e)
}

/// The sentence of `text` that contains the byte range `start..end`, cut to
/// about 200 characters around the range when the sentence is longer.
pub fn sentence_around(text: &str, start: usize, end: usize) -> SharedText {
    let start = start.min(text.len());
    let end = end.clamp(start, text.len());
    let (s, e) = sentence_bounds(text, start, end);
    let sentence = text[s..e].trim();
    // Bytes are at least as many as characters.
    if sentence.len() <= QUOTE_MAX || sentence.chars().count() <= QUOTE_MAX {
        return sentence.into();
    }
    // Too long: a window around the link, cut at word boundaries.
    let s_off = text[s..].len() - text[s..].trim_start().len() + s;
    let before_budget = 80usize;
    let mut ws = start;
    let mut count = 0;
    while ws > s_off && count < before_budget {
        ws -= 1;
        while !text.is_char_boundary(ws) {
            ws -= 1;
        }
        count += 1;
    }
    if ws > s_off {
        ws = text[ws..start].find(' ').map_or(ws, |i| ws + i + 1);
    }
    let mut we = ws;
    let mut count = 0;
    while we < e && count < QUOTE_MAX {
        we += text[we..].chars().next().map_or(1, char::len_utf8);
        count += 1;
    }
    we = we.max(end.min(e));
    if we < e {
        we = text[..we].rfind(' ').filter(|&i| i > end).unwrap_or(we);
    }
    let mut out = String::new();
    if ws > s_off {
        out.push('…');
    }
    out.push_str(text[ws..we].trim());
    if we < e {
        out.push('…');
    }
    out.as_str().into()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    fn pages(specs: &[(&str, &str)]) -> Vec<Page> {
        specs
            .iter()
            .map(|(rel, text)| {
                crate::content::page_from_text(Path::new(rel), rel, text.to_string()).unwrap()
            })
            .collect()
    }

    #[test]
    fn backlinks_are_ordered_by_kind_order_and_title_of_the_linking_page() {
        let ps = pages(&[
            ("t.md", "---\ntitle: Target\n---\nx\n"),
            ("b.md", "---\ntitle: Beta\nkind: topic\n---\nx\n"),
            ("a.md", "---\ntitle: Alpha\nkind: topic\n---\nx\n"),
            (
                "c2.md",
                "---\ntitle: Zed\nkind: chapter\norder: 2\n---\nx\n",
            ),
            (
                "c1.md",
                "---\ntitle: Yak\nkind: chapter\norder: 1\n---\nx\n",
            ),
            ("a2.md", "---\ntitle: Alpha\nkind: topic\n---\nx\n"),
            ("u.md", "---\ntitle: Unordered\nkind: chapter\n---\nx\n"),
        ]);
        let link = |source: usize| Link {
            source,
            target: 0,
            anchor: None,
            block: None,
            context: "".into(),
            line: 1,
            col: 1,
            raw: "t.md".into(),
            via_acronym: false,
        };
        // Links come in any order of source pages.
        let links: Vec<Link> = [5, 1, 6, 2, 3, 4, 0].into_iter().map(link).collect();
        let sources: Vec<&str> = backlinks(&ps, &links)[0]
            .iter()
            .map(|b| ps[b.source].rel.as_str())
            .collect();
        // Chapters by order (none last), then topics by title, equal titles
        // by path order; the page itself is not listed.
        assert_eq!(sources, ["c1.md", "c2.md", "u.md", "a.md", "a2.md", "b.md"]);
    }

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
    fn every_byte_is_encoded_by_the_rule_of_rfc_3986_paths() {
        let raw = |b: u8| b.is_ascii_alphanumeric() || b"-._~/!$&'()*+,;=:@".contains(&b);
        for c in (0u8..128).map(char::from).chain(['é', '€', '😀']) {
            let path = format!("a{c}b");
            let mut want = String::from("a");
            for b in c.to_string().bytes() {
                if raw(b) {
                    want.push(char::from(b));
                } else {
                    want.push_str(&format!("%{b:02X}"));
                }
            }
            want.push('b');
            assert_eq!(percent_encode_path(&path), want, "{c:?}");
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
            idx.resolve_wiki(0, "protection of civilians"),
            Target::Page { page: 1, .. }
        ));
        assert!(matches!(
            idx.resolve_wiki(0, "Civilian Protection"),
            Target::Page { page: 1, .. }
        ));
        assert!(matches!(
            idx.resolve_wiki(0, "PoC"),
            Target::Page { page: 2, .. }
        ));
        match idx.resolve_wiki(0, "One#Some Heading") {
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
        match idx.resolve_wiki(0, "Protection of Civilian") {
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
        match idx.resolve_wiki(0, "Same") {
            Target::Broken { message, .. } => assert!(message.contains("ambiguous"), "{message}"),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn sentence_around_finds_the_sentence() {
        let text = "First one. The link is here in this one. Last.";
        let at = text.find("link").unwrap();
        assert_eq!(
            &*sentence_around(text, at, at + 4),
            "The link is here in this one."
        );
        let long = format!("{} target {}", "word ".repeat(100), "tail ".repeat(100));
        let at = long.find("target").unwrap();
        let c = sentence_around(&long, at, at + 6);
        assert!(
            c.contains("target") && c.starts_with('…') && c.ends_with('…'),
            "{c}"
        );
        assert!(c.chars().count() <= 205, "{}", c.chars().count());
    }

    /// `sentence_bounds` as first written, byte by byte.
    fn sentence_bounds_plain(text: &str, start: usize, end: usize) -> (usize, usize) {
        let mut s = start;
        let floor = start.saturating_sub(REACH);
        while s > floor {
            if text.is_char_boundary(s) && sentence_ends_at(text, 0, s) {
                break;
            }
            s -= 1;
        }
        while !text.is_char_boundary(s) {
            s += 1;
        }
        let mut e = end;
        let ceiling = (end + REACH).min(text.len());
        while e < ceiling {
            if text.is_char_boundary(e) && sentence_ends_at(text, 0, e) {
                break;
            }
            e += 1;
        }
        while !text.is_char_boundary(e) {
            e += 1;
        }
        (s, e)
    }

    #[test]
    fn sentences_are_found_as_by_testing_every_byte() {
        let alphabet = [
            "a",
            "Word",
            " ",
            "  ",
            ". ",
            "! ",
            "? ",
            ".",
            "\n",
            "\t",
            "\u{b}",
            "\r",
            "\u{a0}",
            "\u{2003}",
            "é",
            "’",
            "”",
            "\"",
            ")",
            ".) ",
            ".’ ",
            "\u{1F600}",
            "x.y",
            "end. Next",
        ];
        let mut rng = crate::testing::Rng::new(0x2545_F491_4F6C_DD1Du64);
        for round in 0..20_000 {
            let mut text = String::new();
            // Mostly short texts, some longer than the reach of the search.
            let parts = if round % 50 == 0 {
                600
            } else {
                rng.next() % 60
            };
            for _ in 0..parts {
                text.push_str(alphabet[rng.next() % alphabet.len()]);
            }
            let bounds: Vec<usize> = (0..=text.len())
                .filter(|&i| text.is_char_boundary(i))
                .collect();
            let a = bounds[rng.next() % bounds.len()];
            let b = bounds[rng.next() % bounds.len()];
            let (start, end) = (a.min(b), a.max(b));
            assert_eq!(
                sentence_bounds(&text, start, end),
                sentence_bounds_plain(&text, start, end),
                "{text:?} {start}..{end}"
            );
        }
    }

    #[test]
    fn sentence_ends_are_found_as_by_the_plain_rule() {
        let plain = |text: &str, i: usize| {
            let trimmed = text[..i].trim_end_matches(['"', '\'', '’', '”', ')']);
            trimmed.ends_with(['.', '!', '?']) && text[i..].starts_with(char::is_whitespace)
        };
        let pieces = [
            "a", "Word", ".", "!", "?", " ", "\t", "\n", "\u{b}", "\u{c}", "\r", "\u{a0}",
            "\u{2003}", "\"", "'", "’", "”", ")", "é", "x.y", "…",
        ];
        let mut rng = crate::testing::Rng::new(7);
        for _ in 0..20_000 {
            let text = rng.text(&pieces, 12);
            for i in (0..=text.len()).filter(|&i| text.is_char_boundary(i)) {
                assert_eq!(
                    sentence_ends_at(&text, 0, i),
                    plain(&text, i),
                    "{text:?} at {i}"
                );
            }
        }
    }

    #[test]
    fn joined_in_place_as_segment_by_segment() {
        fn plain(dir: &str, link: &str) -> Option<String> {
            let mut parts: Vec<&str> = if link.starts_with('/') {
                Vec::new()
            } else {
                dir.split('/').filter(|s| !s.is_empty()).collect()
            };
            for seg in link.split('/') {
                match seg {
                    "" | "." => {}
                    ".." => {
                        parts.pop()?;
                    }
                    s => parts.push(s),
                }
            }
            Some(parts.join("/"))
        }
        let dirs = ["", "a", "a/bb", "a/bb/c"];
        let alphabet = ["x", "yy", "/", "..", ".", "...", "é", "a b"];
        let mut rng = crate::testing::Rng::new(0x2545_F491_4F6C_DD1D);
        for _ in 0..20_000 {
            let link = rng.text(&alphabet, 12);
            let dir = dirs[rng.next() % dirs.len()];
            assert_eq!(join(dir, &link), plain(dir, &link), "{dir:?} + {link:?}");
        }
        assert_eq!(join("a/bb", "../x.md").as_deref(), Some("a/x.md"));
        assert_eq!(join("a", "../../x.md"), None);
    }
}

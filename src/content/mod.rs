//! Loading `content/`: every `.md` file becomes a [`Page`] with typed front
//! matter, a kind, a title and an output URL; every other file is an asset
//! copied as it is.
//!
//! Files are walked in sorted order so that everything downstream is
//! deterministic. All problems of all files are collected before giving up.

pub mod conventions;
pub mod frontmatter;
pub mod include;
pub mod report;
pub mod shortcode;
pub mod summary;
pub mod toml;
pub mod yaml;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use pulldown_cmark::{Event, HeadingLevel, Parser, Tag, TagEnd};
use unicode_normalization::UnicodeNormalization;
use walkdir::WalkDir;

use self::frontmatter::{FrontMatter, Kind};
use crate::diag::{line_col, Diagnostic, Diagnostics};

/// One markdown file of the content folder.
#[derive(Debug, Clone)]
pub struct Page {
    /// The file as the user names it (`content/topics/x.md`), for diagnostics.
    pub source: PathBuf,
    /// Path under the content folder with `/` separators (`topics/x.md`).
    pub rel: String,
    /// Output path under the site folder (`topics/x.html`).
    pub url: String,
    /// What the page is.
    pub kind: Kind,
    /// The title: from front matter, else the first `# heading`, else the file name.
    pub title: String,
    /// True when the title was taken from the body's first `# heading`, which
    /// the body then must not print a second time.
    pub title_from_body: bool,
    /// The parsed front matter (defaults when the file has none).
    pub meta: FrontMatter,
    /// Whether the page's raw HTML is passed through unescaped: its front
    /// matter says `raw_html: true`, or the whole site opted in.
    pub raw_html: bool,
    /// Found while reading the file, reported with the other warnings:
    /// front matter that markdown will show as text.
    pub front_matter_warning: Option<Diagnostic>,
    /// The front matter keys dossier does not know (kept in `meta.extra`),
    /// reported at the level the site's configuration asks.
    pub unknown_keys: Vec<frontmatter::UnknownKey>,
    /// The file's text, shared: a session hands the same text to every
    /// rebuild that finds the file unchanged. Behind a lock only so that a
    /// one-off build can drop a page's body as soon as it is rendered, while
    /// other pages are still being rendered (see [`Page::release_body`]).
    text: TextCell,
}

/// The text of a page's file with where its lines start, for positions.
#[derive(Debug)]
pub struct Text {
    /// The whole file (only the front matter once the body is released).
    all: Box<str>,
    /// Byte offset of the markdown body within `all`.
    body_offset: usize,
    /// Byte offset where each line of `all` starts, for positions in O(log n)
    /// (a page with 100,000 links must not rescan the file per link).
    line_starts: Vec<usize>,
}

/// A page's [`Text`] that [`Page::release_body`] can swap through a shared
/// reference.
#[derive(Debug)]
struct TextCell(std::sync::Mutex<Arc<Text>>);

impl TextCell {
    fn new(text: Arc<Text>) -> Self {
        TextCell(std::sync::Mutex::new(text))
    }

    /// The text now held (a panic elsewhere cannot leave it half-written:
    /// it is only ever replaced whole).
    fn lock(&self) -> std::sync::MutexGuard<'_, Arc<Text>> {
        self.0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

impl Clone for TextCell {
    fn clone(&self) -> Self {
        TextCell::new(Arc::clone(&self.lock()))
    }
}

impl Text {
    /// Splits `all` into lines; `body_offset` is where the markdown starts.
    fn new(all: String, body_offset: usize) -> Self {
        // Every byte of every page passes here: memchr's vectorised scan,
        // and room for lines of about 128 bytes (a paragraph is often one
        // line; shorter lines cost one reallocation).
        let mut line_starts = Vec::with_capacity(all.len() / 128 + 8);
        line_starts.push(0);
        line_starts.extend(memchr::memchr_iter(b'\n', all.as_bytes()).map(|i| i + 1));
        Text {
            all: all.into_boxed_str(),
            body_offset,
            line_starts,
        }
    }

    /// The front matter alone: the file up to the body, with its lines.
    fn front_matter(&self) -> Text {
        let kept = self.line_starts.partition_point(|&s| s <= self.body_offset);
        Text {
            all: self.all[..self.body_offset].into(),
            body_offset: self.body_offset,
            line_starts: self.line_starts[..kept.max(1)].to_vec(),
        }
    }

    /// The whole file.
    pub fn all(&self) -> &str {
        &self.all
    }

    /// The markdown after the front matter.
    pub fn body(&self) -> &str {
        &self.all[self.body_offset..]
    }

    /// 1-based line and column in the file of byte `offset` in the body.
    pub fn position(&self, body_offset: usize) -> (usize, usize) {
        let at = (self.body_offset + body_offset).min(self.all.len());
        let line = self.line_starts.partition_point(|&s| s <= at);
        let start = self.line_starts[line - 1];
        let col = line_col(&self.all[start..], at - start).1;
        (line, col)
    }

    /// A cursor for many positions in increasing order (one pass over a page):
    /// it counts characters only since the previous position, so a page with
    /// 100,000 links on one line is not rescanned for each.
    pub fn cursor(&self) -> Cursor<'_> {
        Cursor {
            text: self,
            at: 0,
            line: 1,
            col: 1,
        }
    }
}

impl Page {
    /// The page's file as it was read (see [`Text`]).
    pub fn text(&self) -> Arc<Text> {
        Arc::clone(&self.text.lock())
    }

    /// Drops the markdown body and keeps the front matter: a one-off build
    /// needs a body no more once it is rendered, and a large site would
    /// otherwise keep its whole source in memory while pages are written.
    /// Afterwards the body is empty and positions fall on the last line of
    /// the front matter. Holders of the previous [`Page::text`] keep it whole.
    pub fn release_body(&self) {
        let mut text = self.text.lock();
        *text = Arc::new(text.front_matter());
    }

    /// The file stem (`protection-of-civilians`).
    pub fn stem(&self) -> &str {
        let name = self.rel.rsplit('/').next().unwrap_or(&self.rel);
        name.strip_suffix(".md").unwrap_or(name)
    }

    /// Reading order within the kind (pages without one sort last).
    pub fn order(&self) -> i64 {
        self.meta.order.unwrap_or(i64::MAX)
    }

    /// Who the page asks to act, without surrounding spaces; `None` when
    /// it names no one. Every grouping by actor (index, printout, reading
    /// order) goes through here, so they agree.
    pub fn actor(&self) -> Option<&str> {
        let actor = self.meta.actor.as_deref().map(str::trim);
        actor.filter(|a| !a.is_empty())
    }

    /// The title as the site's frame names the page (heading, breadcrumbs,
    /// previous/next, lists, search): a chapter with a `number` is
    /// `3. Title`, as a report's contents page prints it.
    pub fn display_title(&self) -> std::borrow::Cow<'_, str> {
        match self.meta.number {
            Some(n) if self.kind == Kind::Chapter => {
                let prefix = format!("{n}. ");
                if self.title.starts_with(&prefix) {
                    self.title.as_str().into()
                } else {
                    format!("{prefix}{}", self.title).into()
                }
            }
            _ => self.title.as_str().into(),
        }
    }
}

/// See [`Text::cursor`].
#[derive(Debug, Clone)]
pub struct Cursor<'a> {
    text: &'a Text,
    at: usize,
    line: usize,
    col: usize,
}

impl Cursor<'_> {
    /// 1-based line and column in the file of byte `offset` in the body.
    pub fn position(&mut self, body_offset: usize) -> (usize, usize) {
        let t = self.text;
        let at = (t.body_offset + body_offset).min(t.all.len());
        let line = t.line_starts.partition_point(|&s| s <= at);
        if line != self.line || at < self.at {
            // Another line (or backwards): restart from that line's start.
            self.line = line;
            self.at = t.line_starts[line - 1];
            self.col = 1;
        }
        self.col += t.all[self.at..at].chars().count();
        self.at = at;
        (self.line, self.col)
    }
}

/// A non-markdown file of the content folder (an image, a PDF), copied as it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Asset {
    /// The file on disk.
    pub source: PathBuf,
    /// Path under content and under the site, `/`-separated.
    pub rel: String,
}

/// Everything in the content folder.
#[derive(Debug, Clone, Default)]
pub struct Content {
    /// The pages, sorted by path.
    pub pages: Vec<Page>,
    /// The other files, sorted by path.
    pub assets: Vec<Asset>,
    /// What other tools' conventions (mdBook, Hugo, Zola) said about the pages.
    pub conventions: conventions::Found,
}

impl Content {
    /// The same content with raw HTML allowed on every page when `site` is
    /// set (`--raw-html`); otherwise as each page's front matter says.
    pub fn with_raw_html(mut self, site: bool) -> Self {
        for p in &mut self.pages {
            p.raw_html |= site;
        }
        self
    }

    /// The same content without the pages marked `draft: true`, unless
    /// `drafts` asks for them.
    pub fn with_drafts(mut self, drafts: bool) -> Self {
        if !drafts {
            self.pages.retain(|p| !p.meta.draft);
        }
        self
    }
}

/// Reads every file under `dir`. Returns all problems at once.
pub fn load(dir: &Path) -> Result<Content, Diagnostics> {
    load_with(dir, None)
}

/// What a build session keeps of the pages it read: each file's stamp (size,
/// times, inode) and the page made of it, so that a rebuild reads and parses
/// only the files that changed.
#[derive(Debug, Default)]
pub struct Cache {
    pages: std::collections::HashMap<PathBuf, (Stamp, Page)>,
}

/// What tells that a file changed without reading it.
type Stamp = (u64, i64, i64, i64, i64, u64);

#[cfg(unix)]
fn stamp(meta: &std::fs::Metadata) -> Stamp {
    use std::os::unix::fs::MetadataExt;
    (
        meta.len(),
        meta.mtime(),
        meta.mtime_nsec(),
        meta.ctime(),
        meta.ctime_nsec(),
        meta.ino(),
    )
}

/// Windows has no inode or change time in std's metadata: the size and the
/// times of creation and last write.
#[cfg(windows)]
fn stamp(meta: &std::fs::Metadata) -> Stamp {
    use std::os::windows::fs::MetadataExt;
    let (created, written) = (meta.creation_time(), meta.last_write_time());
    (meta.len(), written as i64, 0, created as i64, 0, 0)
}

/// [`load`], reusing the pages of `cache` whose files have not changed since
/// (and remembering the pages read now). Pages are read in parallel.
pub fn load_with(dir: &Path, mut cache: Option<&mut Cache>) -> Result<Content, Diagnostics> {
    let mut diags = Diagnostics::new();
    if !dir.is_dir() {
        return Err(Diagnostic::error(dir, 0, 0, "content folder not found")
            .with_hint("run dossier in the folder that holds content/, or pass --content DIR")
            .into());
    }
    let root = match dir.canonicalize() {
        Ok(r) => r,
        Err(e) => {
            return Err(
                Diagnostic::error(dir, 0, 0, format!("cannot read content folder: {e}")).into(),
            )
        }
    };
    let mut content = Content::default();
    // Pages being read, in walk order: path and stamp.
    let mut to_read: Vec<(PathBuf, Option<Stamp>)> = Vec::new();
    let mut symlinked_dirs: Vec<PathBuf> = Vec::new();
    let mut walker = WalkDir::new(dir)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !is_ignored(&e.file_name().to_string_lossy()));
    let mut old = cache
        .as_mut()
        .map(|c| std::mem::take(&mut c.pages))
        .unwrap_or_default();
    // Each page is read and parsed (in parallel) as soon as the walk finds
    // it, while the walk goes on; unchanged pages are cloned from the cache,
    // their cache entries then moved into the new cache, not cloned again.
    let (tx, rx) = std::sync::mpsc::channel();
    // Only a cache compares stamps: without one, no file is looked at
    // twice.
    let stamped = cache.is_some();
    rayon::scope(|scope| {
        while let Some(entry) = walker.next() {
            match walked(entry, dir, &root, &mut symlinked_dirs, &mut diags, stamped) {
                Walked::Page { path, rel, stamp } => {
                    let (n, tx, old) = (to_read.len(), tx.clone(), &old);
                    to_read.push((path.clone(), stamp));
                    scope.spawn(move |_| {
                        let read = match (stamp, old.get(&path)) {
                            (Some(now), Some((then, page))) if now == *then && page.rel == rel => {
                                (true, Ok(page.clone()))
                            }
                            _ => (false, load_page(&path, &rel)),
                        };
                        // The receiver waits for every sender: it is there.
                        let _ = tx.send((n, read));
                    });
                }
                Walked::Asset(asset) => content.assets.push(asset),
                Walked::SkipFolder => walker.skip_current_dir(),
                Walked::Nothing => {}
            }
        }
    });
    drop(tx);
    let mut read: Vec<(usize, Read)> = Vec::with_capacity(to_read.len());
    read.extend(rx);
    read.sort_unstable_by_key(|(n, _)| *n);
    let read = read.into_iter().map(|(_, r)| r);
    let mut kept = std::collections::HashMap::new();
    content.pages.reserve_exact(to_read.len());
    for ((path, stamp), (hit, page)) in to_read.into_iter().zip(read) {
        match page {
            Ok(page) => {
                if let (Some(stamp), Some(_)) = (stamp, &cache) {
                    let entry = match old.remove(&path) {
                        Some(entry) if hit => entry,
                        _ => (stamp, page.clone()),
                    };
                    kept.insert(path, entry);
                }
                content.pages.push(page);
            }
            Err(d) => diags.push(d),
        }
    }
    if let Some(cache) = cache.as_mut() {
        cache.pages = kept;
    }
    conventions::apply(dir, &mut content, &mut diags);
    check_unique_urls(&content, &mut diags);
    if diags.has_errors() {
        Err(diags)
    } else {
        Ok(content)
    }
}

/// A page as read: whether it came from the cache, and the page or why it
/// could not be read.
type Read = (bool, Result<Page, Diagnostic>);

/// What one entry of the content folder's walk is to the site.
enum Walked {
    /// A page to read: its file, its path in the site, its file's stamp.
    Page {
        path: PathBuf,
        rel: String,
        stamp: Option<Stamp>,
    },
    /// A file copied as it is.
    Asset(Asset),
    /// A symlinked folder that leads outside: not walked into.
    SkipFolder,
    /// Nothing to publish (a folder, a special file, an error reported).
    Nothing,
}

/// Classifies walk `entry` of content folder `dir` (canonically `root`),
/// reporting what cannot be published to `diags`. `symlinked_dirs` holds the
/// symlinked folders met so far, whose files must be checked too. A page's
/// stamp is read only if `stamped`.
fn walked(
    entry: walkdir::Result<walkdir::DirEntry>,
    dir: &Path,
    root: &Path,
    symlinked_dirs: &mut Vec<PathBuf>,
    diags: &mut Diagnostics,
    stamped: bool,
) -> Walked {
    let entry = match entry {
        Ok(e) => e,
        Err(e) => {
            let path = e
                .path()
                .map(Path::to_path_buf)
                .unwrap_or_else(|| dir.to_path_buf());
            let message = if e.loop_ancestor().is_some() {
                "symlink loop: this folder links back to one of its parents".to_string()
            } else {
                format!(
                    "cannot read: {}",
                    e.io_error().map_or(e.to_string(), |io| io.to_string())
                )
            };
            diags.push(Diagnostic::error(path, 0, 0, message));
            return Walked::Nothing;
        }
    };
    let path = entry.path();
    // A symlink (or a file below a symlinked folder) may lead anywhere on
    // disk; only what really lives inside the content folder is published.
    // Plain files are not canonicalised: that costs a syscall per component.
    let via_symlink = entry.path_is_symlink() || symlinked_dirs.iter().any(|d| path.starts_with(d));
    if entry.file_type().is_dir() {
        if entry.path_is_symlink() {
            if leads_outside(path, root, "folder", diags) {
                return Walked::SkipFolder;
            }
            symlinked_dirs.push(path.to_path_buf());
        }
        return Walked::Nothing;
    }
    if !entry.file_type().is_file() {
        return Walked::Nothing;
    }
    if via_symlink && leads_outside(path, root, "file", diags) {
        return Walked::Nothing;
    }
    let Ok(rel) = path.strip_prefix(dir) else {
        return Walked::Nothing;
    };
    let rel = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/");
    if rel.ends_with(".md") {
        Walked::Page {
            path: path.to_path_buf(),
            rel,
            stamp: stamped
                .then(|| entry.metadata().ok().map(|m| stamp(&m)))
                .flatten(),
        }
    } else {
        Walked::Asset(Asset {
            source: path.to_path_buf(),
            rel,
        })
    }
}

/// Whether `path` (a symlink, or below one) really lives outside the content
/// folder `root`: if so it is reported as not read, with a hint to copy the
/// `what` (file or folder) in instead.
fn leads_outside(path: &Path, root: &Path, what: &str, diags: &mut Diagnostics) -> bool {
    if path.canonicalize().is_ok_and(|p| p.starts_with(root)) {
        return false;
    }
    diags.push(
        Diagnostic::error(
            path,
            0,
            0,
            "symlink points outside the content folder; not read",
        )
        .with_hint(format!("copy the {what} into the content folder instead")),
    );
    true
}

/// Hidden files and editors' temporary and backup files (`.x.md.swp`,
/// `x.md~`, `#x.md#`) are not part of the site: they come and go while an
/// editor saves, and must neither be published nor break a rebuild.
pub fn is_ignored(name: &str) -> bool {
    name.starts_with('.')
        || name.starts_with('#')
        || name.ends_with('~')
        || [".swp", ".swo", ".swx", ".tmp", ".bak", ".orig"]
            .iter()
            .any(|ext| name.ends_with(ext))
}

/// Reads and parses one page.
pub fn load_page(path: &Path, rel: &str) -> Result<Page, Diagnostic> {
    let bytes = std::fs::read(path)
        .map_err(|e| Diagnostic::error(path, 0, 0, format!("cannot read: {e}")))?;
    let text = match String::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => {
            let valid = e.utf8_error().valid_up_to();
            let prefix = String::from_utf8_lossy(&e.as_bytes()[..valid]).into_owned();
            let (line, col) = line_col(&prefix, prefix.len());
            return Err(
                Diagnostic::error(path, line, col, "file is not valid UTF-8")
                    .with_hint("save the file as UTF-8"),
            );
        }
    };
    if text.trim().is_empty() {
        return Err(Diagnostic::error(path, 0, 0, "empty file").with_hint(
            "give it a title (front matter or a # heading) and some text, or delete it",
        ));
    }
    page_from_text(path, rel, text)
}

/// Builds a page from its already-read text.
pub fn page_from_text(path: &Path, rel: &str, text: String) -> Result<Page, Diagnostic> {
    let split = frontmatter::split(&text).map_err(|e| {
        let d = Diagnostic::error(path, e.line, e.col, e.message);
        match e.hint {
            Some(h) => d.with_hint(h),
            None => d,
        }
    })?;
    let frontmatter::Split {
        front_matter,
        body_offset,
        warning,
        unknown,
        ..
    } = split;
    let front_matter_warning = warning.map(|w| {
        let d = Diagnostic::warning(path, w.line, w.col, w.message)
            .with_code(crate::diag::Code::FrontMatter);
        match w.hint {
            Some(h) => d.with_hint(h),
            None => d,
        }
    });
    let meta = front_matter.unwrap_or_default();
    let kind = meta.kind.unwrap_or(Kind::Page);
    let stem = rel
        .rsplit('/')
        .next()
        .unwrap_or(rel)
        .trim_end_matches(".md");
    // A folder's index page without a title is named after its folder.
    let stem = match (stem, rel.rsplit('/').nth(1)) {
        ("_index" | "index", Some(folder)) => folder,
        _ => stem,
    };
    let (title, title_from_body) = match meta.title.as_deref().map(str::trim) {
        Some(t) if !t.is_empty() => (t.to_string(), false),
        _ => match first_h1(&text[body_offset..]) {
            Some(h) => (h, true),
            None => (stem.to_string(), false),
        },
    };
    if kind == Kind::Acronym
        && meta
            .expansion
            .as_deref()
            .is_none_or(|e| e.trim().is_empty())
    {
        return Err(
            Diagnostic::error(path, 1, 1, "acronym page without an expansion")
                .with_hint("add `expansion: <long form>` to the front matter"),
        );
    }
    Ok(Page {
        source: path.to_path_buf(),
        url: url_for(rel),
        rel: rel.to_string(),
        kind,
        title,
        title_from_body,
        raw_html: meta.raw_html,
        front_matter_warning,
        unknown_keys: unknown,
        meta,
        text: TextCell::new(Arc::new(Text::new(text, body_offset))),
    })
}

/// `topics/x.md` → `topics/x.html`; `_index.md` → `index.html` (also in subfolders).
pub fn url_for(rel: &str) -> String {
    let without = rel.strip_suffix(".md").unwrap_or(rel);
    match without.rsplit_once('/') {
        Some((dir, "_index")) => format!("{dir}/index.html"),
        None if without == "_index" => "index.html".to_string(),
        _ => format!("{without}.html"),
    }
}

/// Text of the body's first block if it is a level-1 heading.
fn first_h1(body: &str) -> Option<String> {
    let mut parser = Parser::new(body);
    match parser.next()? {
        Event::Start(Tag::Heading {
            level: HeadingLevel::H1,
            ..
        }) => {}
        _ => return None,
    }
    let mut title = String::new();
    for ev in parser {
        match ev {
            Event::End(TagEnd::Heading(_)) => break,
            Event::Text(t) | Event::Code(t) => title.push_str(&t),
            _ => {}
        }
    }
    let title = title.trim().to_string();
    (!title.is_empty()).then_some(title)
}

/// The key under which two output paths are one file somewhere: editors
/// work on Windows and macOS, whose file systems ignore case, and macOS's
/// also the Unicode normalisation of names (`é` as one character or as `e`
/// and an accent). Two paths with one key overwrite each other there.
pub fn output_key(url: &str) -> String {
    url.to_lowercase().nfc().collect()
}

/// Why two different output paths with one [`output_key`] are one file,
/// for the message naming them; nothing when they are the same path.
pub fn why_one_file(a: &str, b: &str) -> &'static str {
    if a == b {
        ""
    } else if a.to_lowercase() == b.to_lowercase() {
        " (names that differ only in case are one file on Windows and macOS)"
    } else {
        " (the same name with its accented letters encoded differently, which \
         macOS takes for one file)"
    }
}

/// Two files that become one output file would silently overwrite each other.
fn check_unique_urls(content: &Content, diags: &mut Diagnostics) {
    let mut seen: HashMap<String, (&str, &Path)> =
        HashMap::with_capacity(content.pages.len() + content.assets.len());
    let outputs = content
        .pages
        .iter()
        .map(|p| (p.url.as_str(), p.source.as_path()))
        .chain(
            content
                .assets
                .iter()
                .map(|a| (a.rel.as_str(), a.source.as_path())),
        );
    for (url, source) in outputs {
        let key = output_key(url);
        if let Some((first_url, first)) = seen.get(&key) {
            diags.push(
                Diagnostic::error(
                    source,
                    0,
                    0,
                    format!(
                        "{} and {} both become {url}{}",
                        first.display(),
                        source.display(),
                        why_one_file(first_url, url)
                    ),
                )
                .with_hint("rename or remove one of them"),
            );
        } else {
            seen.insert(key, (url, source));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(rel: &str, text: &str) -> Result<Page, Diagnostic> {
        page_from_text(Path::new(rel), rel, text.to_string())
    }

    #[test]
    fn output_paths_one_file_on_windows_or_macos_share_a_key() {
        let composed = "topics/caf\u{e9}.html";
        let decomposed = "topics/cafe\u{301}.html";
        assert_ne!(composed, decomposed);
        assert_eq!(output_key(composed), output_key(decomposed));
        assert_eq!(output_key("Topics/CAF\u{c9}.html"), output_key(composed));
        assert_ne!(output_key("topics/cafe.html"), output_key(composed));
        assert!(why_one_file(composed, decomposed).contains("accented letters"));
        assert!(why_one_file("a.html", "A.html").contains("only in case"));
        assert_eq!(why_one_file("a.html", "a.html"), "");
    }

    #[test]
    fn urls_follow_the_path() {
        assert_eq!(
            url_for("topics/protection-of-civilians.md"),
            "topics/protection-of-civilians.html"
        );
        assert_eq!(url_for("_index.md"), "index.html");
        assert_eq!(url_for("topics/_index.md"), "topics/index.html");
    }

    #[test]
    fn title_falls_back_to_heading_then_stem() {
        let p = page("a.md", "---\ntitle: From YAML\n---\n# Heading\n").unwrap();
        assert_eq!((p.title.as_str(), p.title_from_body), ("From YAML", false));
        let p = page("a.md", "# From *heading*\n\ntext").unwrap();
        assert_eq!(
            (p.title.as_str(), p.title_from_body),
            ("From heading", true)
        );
        assert_eq!(p.kind, Kind::Page);
        let p = page("notes/plain-file.md", "just text").unwrap();
        assert_eq!(p.title, "plain-file");
        let p = page("docs/guide/_index.md", "+++\nweight = 1\n+++\ntext").unwrap();
        assert_eq!(p.title, "guide", "an index page is named after its folder");
    }

    #[test]
    fn editor_leftovers_are_ignored() {
        for name in [".x.md.swp", "x.md~", "#x.md#", "x.md.tmp", ".DS_Store"] {
            assert!(is_ignored(name), "{name}");
        }
        assert!(!is_ignored("x.md") && !is_ignored("photo.jpg"));
    }

    #[test]
    fn acronym_needs_expansion() {
        let e = page("a.md", "---\ntitle: UN\nkind: acronym\n---\n").unwrap_err();
        assert!(e.message.contains("expansion"));
    }

    #[test]
    fn positions_are_file_lines() {
        let p = page("a.md", "---\ntitle: T\n---\nline four\n").unwrap();
        assert_eq!(p.text().position(5), (4, 6));
        let p = page("a.md", "---\ntitle: T\n---\nçé x y\nz\n").unwrap();
        let text = p.text();
        let mut c = text.cursor();
        assert_eq!(c.position(0), (4, 1));
        assert_eq!(c.position(5), (4, 4), "characters, not bytes");
        assert_eq!(c.position(7), (4, 6));
        assert_eq!(c.position(9), (5, 1));
        assert_eq!(c.position(5), (4, 4), "going back works too");
    }
}

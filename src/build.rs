//! `dossier build`: content → pages → link graph → rendered site, then the
//! atomic write.
//!
//! [`render_site`] does everything in memory and returns the files, so tests
//! and `check` can use it without touching the disk; [`build`] adds the
//! output checks and the swap. The reading aids (search index, map, print
//! page) are built by their own modules; this file only calls them.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Instant;

use rayon::prelude::*;
use serde::Serialize;

use crate::content::{self, Content, Page};
use crate::diag::{count, Diagnostic, Diagnostics};
use crate::content::frontmatter::Kind;
use crate::render::map::Graph;
use crate::links::{self, relative_href, Index};
use crate::check::lint;
use crate::markdown::{self, Rendered, TocEntry};
use crate::output::{self, OutFile};
use crate::render::{self, Templates};
use crate::render::wayfinding::Wayfinding;
use crate::render::{backlinks, print};
use crate::search;

/// What to build from where.
#[derive(Debug, Clone)]
pub struct BuildOptions {
    /// The markdown pages.
    pub content: PathBuf,
    /// Template overrides and static files.
    pub templates: PathBuf,
    /// The site folder to (re)place.
    pub out: PathBuf,
    /// Where the site will be published (`https://example.org/report/`), for
    /// canonical links and the sitemap.
    pub base_url: Option<String>,
    /// Pass raw HTML through unescaped on every page (`--raw-html`).
    pub raw_html: bool,
    /// Write `print.html` even when the site has no chapters (`--print`); a
    /// site with chapters always gets it.
    pub print: bool,
}

/// Figures about a build, for the summary line.
#[derive(Debug, Clone, Default)]
pub struct Report {
    /// Markdown pages rendered.
    pub pages: usize,
    /// Internal links written by authors.
    pub links: usize,
    /// Acronym occurrences linked to their page.
    pub acronym_links: usize,
    /// Backlink entries (distinct linking page → linked page pairs).
    pub backlinks: usize,
    /// Acronym pages.
    pub acronyms: usize,
    /// Files in the site.
    pub files: usize,
    /// Bytes written.
    pub bytes: u64,
    /// What each phase did and how long it took, in order.
    pub phases: Vec<Phase>,
    /// Pages per kind, in navigation order.
    pub by_kind: Vec<(Kind, usize)>,
    /// Problems that did not stop the build.
    pub warnings: Diagnostics,
    /// Pages whose markdown (and whose HTML) a session reused from its
    /// previous build instead of rendering them again.
    pub reused: (usize, usize),
}

/// One step of a build, for the progress lines.
#[derive(Debug, Clone)]
pub struct Phase {
    /// Short name (`load`, `render`, `write`).
    pub name: &'static str,
    /// Counts, in words.
    pub detail: String,
    /// Wall time.
    pub time: std::time::Duration,
}

/// Builds the site into `opts.out`. On any error nothing is written and the
/// previous site stays as it was.
pub fn build(opts: &BuildOptions) -> Result<Report, Diagnostics> {
    Session::once(opts.clone()).build()
}

/// Renders every file of the site in memory, in a stable order.
pub fn render_site(opts: &BuildOptions) -> SiteFiles {
    Session::once(opts.clone()).render()
}

/// Does everything a build does except writing anything: the figures and
/// warnings, or every problem found (`dossier check`).
pub fn check(opts: &BuildOptions) -> Result<Report, Diagnostics> {
    Session::once(opts.clone()).render_into(&Discard, false)
}

/// A build that remembers what it rendered, so that the next build of the
/// same project (in `dossier serve`) re-renders only what an edit can have
/// changed: a page's markdown when its text, the site's link targets or the
/// headings it links to changed; a page's HTML when that, its backlinks, its
/// map or the templates changed. Everything else is taken from the memory,
/// so an incremental build produces exactly the bytes of a full one (a test
/// checks this over random edit sequences).
pub struct Session {
    opts: BuildOptions,
    /// Per page path: the input key and the markdown result.
    markdown: HashMap<String, (u64, Arc<Rendered>)>,
    /// Per page URL: the input key and the rendered HTML.
    html: HashMap<String, (u64, Arc<Vec<u8>>)>,
    /// The folder this session last wrote the site into (device, inode):
    /// while the output folder is still that one, unchanged pages are
    /// linked from it instead of written again.
    last_site: Option<(u64, u64)>,
    /// The printout's page sections.
    print: print::Memo,
    /// The numbering of search words, shared by every build of the session
    /// (the pages it keeps are numbered in it).
    vocab: Arc<search::Vocab>,
    /// The pages read, with their files' stamps.
    pages: content::Cache,
    /// Per page path, its text as last read and that text's hash: a text the
    /// cache handed on unchanged is the same allocation, and is not hashed again.
    text_hashes: HashMap<String, (Arc<content::Text>, u64)>,
    /// Whether to remember anything: a one-off build does not, which spares
    /// a copy of every page.
    remember: bool,
}

/// A whole site rendered in memory: every file in URL order and the
/// figures, or every problem found.
pub type SiteFiles = Result<(Vec<(String, OutFile)>, Report), Diagnostics>;

/// One page written to the sink: its memo key and the HTML a session keeps
/// (both only in a session), or why it could not be rendered or written.
type Written = (Option<u64>, Result<Option<Arc<Vec<u8>>>, Diagnostic>);

/// Where rendered files go: written to a staging folder as they come, or
/// collected in memory.
trait Sink: Sync {
    /// Takes the file at site path `url`.
    fn put(&self, url: &str, file: OutFile) -> Result<(), Diagnostic>;
    /// Takes the file at site path `url` from the previous site, if it is
    /// there with `len` bytes; false when the caller must write it.
    fn keep(&self, _url: &str, _len: u64) -> bool {
        false
    }
    /// Takes the file at site path `url` as `write` writes it, for files too
    /// large to hold in memory (the printable report of a large site).
    fn put_with(&self, url: &str, write: WriteFn) -> Result<(), Diagnostic> {
        let mut bytes = Vec::new();
        write(&mut bytes).expect("writing to memory cannot fail");
        self.put(url, OutFile::Bytes(bytes))
    }
}

/// Something that writes a file's bytes.
type WriteFn<'a> = &'a mut dyn FnMut(&mut dyn std::io::Write) -> std::io::Result<()>;

impl Sink for output::Staging {
    fn put(&self, url: &str, file: OutFile) -> Result<(), Diagnostic> {
        output::Staging::put(self, url, &file)
    }
    fn put_with(&self, url: &str, write: WriteFn) -> Result<(), Diagnostic> {
        output::Staging::put_with(self, url, write)
    }
    fn keep(&self, url: &str, len: u64) -> bool {
        output::Staging::keep(self, url, len)
    }
}

/// Files thrown away as they come, for [`check`].
struct Discard;

impl Sink for Discard {
    fn put(&self, _: &str, _: OutFile) -> Result<(), Diagnostic> {
        Ok(())
    }
    fn put_with(&self, _: &str, write: WriteFn) -> Result<(), Diagnostic> {
        write(&mut std::io::sink()).expect("writing nowhere cannot fail");
        Ok(())
    }
}

/// Files collected in memory, for [`render_site`].
#[derive(Default)]
struct Memory(std::sync::Mutex<Vec<(String, OutFile)>>);

impl Sink for Memory {
    fn put(&self, url: &str, file: OutFile) -> Result<(), Diagnostic> {
        self.0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .push((url.to_string(), file));
        Ok(())
    }
}

/// Takes the lock on the site folder `out` (`shown` as the user wrote it)
/// for the rest of a build, saying once on stderr when another build (or
/// `serve`) holds it.
fn lock_output(out: &Path, shown: &Path) -> Result<output::TargetLock, Diagnostic> {
    if let Some(parent) = out.parent() {
        fs::create_dir_all(parent)
            .map_err(|e| Diagnostic::error(parent, 0, 0, format!("cannot create folder: {e}")))?;
    }
    output::lock_target(out, &mut |pid| {
        let pid = pid.map(|p| format!(" (pid {p})")).unwrap_or_default();
        eprintln!(
            "waiting for another dossier build{pid} writing {} to finish",
            shown.display()
        );
    })
}

/// A stable hash of `t` (SipHash with fixed keys), for memo keys.
fn hash_of<T: std::hash::Hash + ?Sized>(t: &T) -> u64 {
    use std::hash::Hasher;
    let mut h = std::hash::DefaultHasher::new();
    t.hash(&mut h);
    h.finish()
}

impl Session {
    /// A session with nothing remembered yet.
    pub fn new(opts: BuildOptions) -> Self {
        Session {
            opts,
            markdown: HashMap::new(),
            html: HashMap::new(),
            last_site: None,
            print: print::Memo::default(),
            vocab: Arc::default(),
            pages: content::Cache::default(),
            text_hashes: HashMap::new(),
            remember: true,
        }
    }

    /// A session for one build only: it remembers nothing.
    fn once(opts: BuildOptions) -> Self {
        Session {
            remember: false,
            ..Session::new(opts)
        }
    }

    /// Builds into `opts.out` (see [`build`]).
    pub fn build(&mut self) -> Result<Report, Diagnostics> {
        let opts = &self.opts;
        let out = output::check_target(&opts.out, &[&opts.content, &opts.templates])?;
        let _lock = lock_output(&out, &opts.out)?;
        let staging = output::Staging::new(&out, "site")?;
        let trusted = self.last_site.is_some() && self.last_site == output::folder_id(&out);
        self.last_site = None;
        let mut report = self.render_into(&staging, trusted)?;
        let t = Instant::now();
        staging.mark_as_site()?;
        report.bytes = staging.bytes();
        if self.remember {
            staging.commit_in_background()?;
            self.last_site = output::folder_id(&out);
        } else {
            staging.commit()?;
        }
        report.files += 1;
        report.phases.push(Phase {
            name: "write",
            detail: format!(
                "{}, {} KB",
                count(report.files, "file"),
                report.bytes.div_ceil(1024)
            ),
            time: t.elapsed(),
        });
        Ok(report)
    }

    /// Renders every file (see [`render_site`]).
    pub fn render(&mut self) -> SiteFiles {
        let sink = Memory::default();
        let report = self.render_into(&sink, false)?;
        let mut files = sink
            .0
            .into_inner()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        // `check_outputs` made every URL unique, so sorting loses nothing.
        files.sort_by(|a, b| a.0.cmp(&b.0));
        Ok((files, report))
    }

    /// Renders every file into `sink`: everything a build does but the swap.
    /// `trusted`: the sink's previous site is the one this session wrote.
    fn render_into(&mut self, sink: &dyn Sink, trusted: bool) -> Result<Report, Diagnostics> {
        let opts = self.opts.clone();
        let opts = &opts;
        let t = Instant::now();
        let mut diags = Diagnostics::new();
        let content = if self.remember {
            content::load_with(&opts.content, Some(&mut self.pages))
        } else {
            content::load(&opts.content)
        };
        let templates = render::load(&opts.templates);
        let (content, templates) = match (content, templates) {
            (Ok(c), Ok(t)) => (c.with_raw_html(opts.raw_html), t),
            (c, t) => {
                if let Err(d) = c {
                    diags.extend(d);
                }
                if let Err(d) = t {
                    diags.extend(d);
                }
                return Err(diags);
            }
        };
        check_aliases(&content.pages, &mut diags);
        check_outputs(&content, &templates, &mut diags);
        let mut report = Report {
            pages: content.pages.len(),
            ..Report::default()
        };
        report.by_kind = Kind::ALL
            .iter()
            .map(|k| (*k, content.pages.iter().filter(|p| p.kind == *k).count()))
            .filter(|(_, n)| *n > 0)
            .collect();
        report.phases.push(Phase {
            name: "load",
            detail: format!(
                "{}, {} other {}, {}",
                count(content.pages.len(), "page"),
                content.assets.len(),
                if content.assets.len() == 1 {
                    "file"
                } else {
                    "files"
                },
                count(templates.count(), "template")
            ),
            time: t.elapsed(),
        });

        let t = Instant::now();
        let kinds_present: Vec<Kind> = Kind::ALL
            .into_iter()
            .filter(|k| k.index_url().is_some() && content.pages.iter().any(|p| p.kind == *k))
            .collect();
        let generated: Vec<String> = kinds_present
            .iter()
            .filter_map(|k| k.index_url().map(str::to_string))
            .chain(
                ["index.html", "404.html", GRAPH_URL, print::URL, SEARCH_URL].map(str::to_string),
            )
            .collect();
        let mut index = Index::new(&content.pages, &content.assets, generated);
        index.vocab = Arc::clone(&self.vocab);
        // What every page's markdown depends on besides its own text: where
        // each page is, what it is called, and what it defines.
        let signature = hash_of(&(
            content
                .pages
                .iter()
                .map(|p| {
                    (
                        &p.rel,
                        &p.url,
                        &p.title,
                        &p.meta.aliases,
                        p.kind,
                        &p.meta.expansion,
                        p.meta.order,
                    )
                })
                .collect::<Vec<_>>(),
            content.assets.iter().map(|a| &a.rel).collect::<Vec<_>>(),
            &kinds_present,
            opts.raw_html,
        ));
        // Text hashes key the memos, which only a session consults: a one-off
        // build does not hash its whole source for nothing.
        let known = &self.text_hashes;
        let text_hash: Vec<u64> = if self.remember {
            content
                .pages
                .par_iter()
                .map(|p| {
                    let text = p.text();
                    match known.get(&p.rel) {
                        Some((known, hash)) if Arc::ptr_eq(known, &text) => *hash,
                        _ => hash_of(text.all()),
                    }
                })
                .collect()
        } else {
            Vec::new()
        };
        if self.remember {
            self.text_hashes = content
                .pages
                .iter()
                .zip(&text_hash)
                .map(|(p, &h)| (p.rel.clone(), (p.text(), h)))
                .collect();
        }
        let by_rel: HashMap<&str, usize> = content
            .pages
            .iter()
            .enumerate()
            .map(|(i, p)| (p.rel.as_str(), i))
            .collect();
        let md_key = |i: usize, deps: &[String]| {
            let dep_hashes: Vec<Option<u64>> = deps
                .iter()
                .map(|d| by_rel.get(d.as_str()).map(|&j| text_hash[j]))
                .collect();
            hash_of(&(signature, text_hash[i], &content.pages[i].rel, dep_hashes))
        };
        let memo = &self.markdown;
        let mut rendered: Vec<Arc<Rendered>> = (0..content.pages.len())
            .into_par_iter()
            .map(|i| match memo.get(&content.pages[i].rel) {
                Some((key, r)) if *key == md_key(i, &dep_rels(&content.pages, r)) => {
                    (true, Arc::clone(r))
                }
                // A one-off build needs no page's markdown once it is rendered.
                _ if !self.remember => (false, Arc::new(markdown::render_and_release(&index, i))),
                _ => (false, Arc::new(markdown::render(&index, i))),
            })
            .collect::<Vec<_>>()
            .into_iter()
            .map(|(reused, r)| {
                report.reused.0 += usize::from(reused);
                r
            })
            .collect();
        let remember = self.remember;
        let md_keys: Vec<u64> = if remember {
            (0..content.pages.len())
                .into_par_iter()
                .map(|i| md_key(i, &dep_rels(&content.pages, &rendered[i])))
                .collect()
        } else {
            Vec::new()
        };
        if remember {
            self.markdown = content
                .pages
                .iter()
                .zip(&md_keys)
                .zip(&rendered)
                .map(|((p, key), r)| (p.rel.clone(), (*key, Arc::clone(r))))
                .collect();
        }
        let acronym_pages = std::mem::take(&mut index.acronym_pages);
        // The pages are rendered: what the index owns is freed aside, and
        // the memory it held is there for the backlinks and pages below.
        drop_in_background(index.into_owned_parts());
        for r in &rendered {
            diags.extend(r.diagnostics.clone());
        }
        check_anchors(&content.pages, &rendered, &mut diags);
        let all_links = || rendered.iter().flat_map(|r| &r.links);
        report.links = all_links().filter(|l| !l.via_acronym).count();
        report.acronym_links = all_links().count() - report.links;
        report.acronyms = acronym_pages.len();
        let backlinks = links::backlinks(&content.pages, all_links());
        report.backlinks = backlinks.iter().map(Vec::len).sum();
        // What each page's own text links to, before the links are freed.
        let linked: Vec<Vec<usize>> = (0..content.pages.len())
            .into_par_iter()
            .map(|i| backlinks::linked_from_text(&content.pages, i, &rendered[i].links))
            .collect();

        let mut site = SiteModel::new(&content, &kinds_present, opts.base_url.as_deref());
        site.site.print |= opts.print;
        site.graph = Graph::new(&content.pages, all_links(), &site.by_kind);
        // Warnings are reported with the errors, so one run shows everything.
        let is_index =
            |p: &Page| p.url == "index.html" || site.index_pages.contains_key(p.url.as_str());
        diags.extend(lint::warnings(
            &content.pages,
            &acronym_pages,
            &rendered,
            &backlinks,
            &is_index,
        ));
        if diags.has_errors() {
            return Err(diags);
        }
        // The links and ids served the checks, backlinks and map above; a
        // one-off build frees them, on another thread, for the pages to be
        // written (a session's memo still holds every `Rendered`, so
        // nothing is freed there).
        if !remember {
            let spent: Vec<_> = rendered
                .iter_mut()
                .filter_map(Arc::get_mut)
                .map(|r| (std::mem::take(&mut r.links), std::mem::take(&mut r.ids)))
                .collect();
            drop_in_background(spent);
        }
        // A page's HTML depends on its markdown, its backlinks, its map, the
        // site's shape and the templates; the home page and kind indexes also
        // list other pages' summaries, so they are always rendered.
        let templates_fingerprint = templates.fingerprint();
        // Every page shows the sidebar's titles, and its neighbours' (a
        // chapter's number and a recommendation's actor, which orders them,
        // are not in the signature).
        let sidebar_sig = hash_of(
            &site
                .way
                .side_pages()
                .iter()
                .map(|&j| content.pages[j].display_title())
                .collect::<Vec<_>>(),
        );
        let page_key = |i: usize| {
            let p = &content.pages[i];
            let graph = matches!(p.kind, Kind::Topic | Kind::Recommendation)
                .then(|| site.graph.neighbourhood_map(&content.pages, i))
                .flatten();
            // A page's backlinks show the linking pages' titles (in the
            // signature) and the sentences that mention it: an edit elsewhere
            // in a linking page leaves them, and this page, as they were.
            let linked_from: Vec<(usize, u64)> = backlinks[i]
                .iter()
                .map(|b| (b.source, hash_of(&b.mentions)))
                .collect();
            let (prev, next) = site.way.neighbours(i);
            let title = |j: Option<usize>| j.map(|j| content.pages[j].display_title());
            hash_of(&(
                signature,
                md_keys[i],
                linked_from,
                graph,
                sidebar_sig,
                (prev, title(prev), next, title(next)),
                templates_fingerprint,
                &opts.base_url,
            ))
        };
        // The generated pages (the printout is the size of the site), the
        // content pages and the search index are made side by side: each
        // has steps that use one core only (writing a large file), which
        // the others fill. The bodies are all kept until the end of the
        // build (the printout reads them in its own order), when they are
        // freed with the rest; the links and ids freed above make up for
        // them.
        let mut urls: Vec<String> = Vec::with_capacity(content.pages.len() + 16);
        let print_memo = remember.then_some((&mut self.print, md_keys.as_slice()));
        let memo = &self.html;
        let reused_html = std::sync::atomic::AtomicUsize::new(0);
        let write_pages = || {
            rendered
                .par_iter()
                .enumerate()
                .map(|(i, r)| {
                    let p = &content.pages[i];
                    let listed =
                        Some(i) == site.home || site.index_pages.contains_key(p.url.as_str());
                    let key = (remember && !listed).then(|| page_key(i));
                    let html = match (key, memo.get(&p.url)) {
                        (Some(k), Some((old, html))) if k == *old => {
                            reused_html.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                            Ok(Arc::clone(html))
                        }
                        _ => site
                            .render_page(&templates, i, r, &backlinks[i], &linked[i])
                            .map(Arc::new),
                    };
                    // The same HTML as in the site this session wrote last
                    // is linked from there, not written again.
                    let unchanged =
                        matches!((key, memo.get(&p.url)), (Some(k), Some((old, _))) if k == *old);
                    let put = html.and_then(|h| {
                        let write = !(unchanged && trusted && sink.keep(&p.url, h.len() as u64));
                        // Only a session keeps the HTML; otherwise the sink
                        // gets it without a copy.
                        let kept = key.map(|_| Arc::clone(&h));
                        if write {
                            let bytes = Arc::try_unwrap(h).unwrap_or_else(|h| h.to_vec());
                            sink.put(&p.url, OutFile::Bytes(bytes))?;
                        }
                        Ok(kept)
                    });
                    (key, put)
                })
                .collect::<Vec<Written>>()
        };
        // The index is made from what rendering extracted of each page,
        // kept with the page's markdown result: a session's rebuild makes
        // it the same way.
        let vocab = Arc::clone(&self.vocab);
        let write_search_index = || -> Result<Vec<String>, Diagnostic> {
            let listings = site.search_listings(&vocab);
            let mut pages: Vec<&search::Extract> = rendered.iter().map(|r| &r.search).collect();
            pages.extend(&listings);
            let mut written = Vec::new();
            search::write_index(&pages, &mut |url, text| {
                sink.put(&url, OutFile::Bytes(text.into_bytes()))?;
                written.push(url);
                Ok(())
            })?;
            Ok(written)
        };
        let (generated, (results, index_js)) = rayon::join(
            || site.render_generated(&templates, &rendered, sink, print_memo),
            || rayon::join(write_pages, write_search_index),
        );
        for extra in generated {
            match extra {
                Ok(url) => urls.push(url),
                Err(d) => diags.push(d),
            }
        }
        let mut html_memo = HashMap::new();
        for (i, (key, r)) in results.into_iter().enumerate() {
            urls.push(content.pages[i].url.clone());
            match (key, r) {
                (Some(k), Ok(Some(html))) => {
                    html_memo.insert(content.pages[i].url.clone(), (k, html));
                }
                (_, Ok(_)) => {}
                (_, Err(d)) => diags.push(d),
            }
        }
        self.html = html_memo;
        report.reused.1 = reused_html.into_inner();
        if diags.has_errors() {
            return Err(diags);
        }
        match index_js {
            Ok(written) => urls.extend(written),
            Err(d) => diags.push(d),
        }
        let mut put =
            |urls: &mut Vec<String>, url: String, file: OutFile| match sink.put(&url, file) {
                Ok(()) => urls.push(url),
                Err(d) => diags.push(d),
            };
        if let Some(base) = site.base_url.as_deref() {
            // Pages only: copied files are not part of the map.
            let map = sitemap(base, &urls);
            put(
                &mut urls,
                "sitemap.xml".into(),
                OutFile::Bytes(map.into_bytes()),
            );
        }
        for (rel, bytes) in &templates.statics {
            put(&mut urls, rel.clone(), OutFile::Bytes(bytes.clone()));
        }
        for a in &content.assets {
            put(&mut urls, a.rel.clone(), OutFile::Copy(a.source.clone()));
        }
        if diags.has_errors() {
            return Err(diags);
        }
        report.files = urls.len();
        report.phases.push(Phase {
            name: "render",
            detail: format!(
                "{}, {}, {}, {}, {}",
                count(report.links, "link"),
                count(report.acronym_links, "acronym link"),
                count(report.backlinks, "backlink"),
                count(report.acronyms, "acronym"),
                count(diags.len(), "warning")
            ) + &if report.reused.0 > 0 {
                format!(
                    ", {} of {} reused",
                    report.reused.0,
                    count(report.pages, "page")
                )
            } else {
                String::new()
            },
            time: t.elapsed(),
        });
        report.warnings = diags;
        // A large site's build ends holding a few hundred thousand small
        // allocations (the backlinks' quotes above all); another thread
        // frees them, so the caller (and a one-off build's exit) need not
        // wait.
        drop(site);
        drop_in_background((content, rendered, backlinks, linked));
        Ok(report)
    }
}

/// Drops `t` on a thread of its own (or here, if none can be started).
fn drop_in_background<T: Send + 'static>(t: T) {
    // A failed spawn drops the closure, and `t` with it, right here.
    let _ = std::thread::Builder::new()
        .name("dossier-free".into())
        .spawn(move || drop(t));
}

/// The paths of the pages whose headings `r`'s wikilinks consulted.
fn dep_rels(pages: &[Page], r: &Rendered) -> Vec<String> {
    r.heading_deps
        .iter()
        .map(|&j| pages[j].rel.clone())
        .collect()
}

/// A content file must not land where the build writes a file of its own
/// (`404.html`, the home page, a kind's index, the theme's `static/…`): one
/// of the two would silently vanish, here or, when the names differ only in
/// case or Unicode normalisation, on an editor's Windows or macOS disk.
/// Only `_index.md` (and `<kind>/_index.md`) may stand at the home page's
/// or a kind index's path: it is their documented introduction; a root
/// `index.md` may stand in for `_index.md`.
fn check_outputs(content: &Content, templates: &Templates, diags: &mut Diagnostics) {
    /// What the build writes at a path: the path, what it is, whether an
    /// `_index.md` may supply it.
    struct Generated {
        url: String,
        what: String,
        takes_intro: bool,
    }
    let mut reserved: HashMap<String, Generated> = HashMap::new();
    let mut reserve = |url: &str, what: String, takes_intro: bool| {
        let url = url.to_string();
        reserved.insert(
            content::output_key(&url),
            Generated {
                url,
                what,
                takes_intro,
            },
        );
    };
    for (url, what) in [
        ("404.html", "the not-found page"),
        ("sitemap.xml", "the sitemap"),
        (GRAPH_URL, "the map of the report"),
        (print::URL, "the printable report"),
        (SEARCH_URL, "the search page"),
        (search::URL, "the search index"),
    ] {
        reserve(url, format!("{what} dossier writes"), false);
    }
    reserve("index.html", "the home page dossier writes".into(), true);
    for kind in Kind::ALL {
        if let Some(url) = kind.index_url() {
            if content.pages.iter().any(|p| p.kind == kind) {
                let folder = url.split('/').next().unwrap_or(url);
                reserve(url, format!("the {folder} index dossier writes"), true);
            }
        }
    }
    for rel in templates.statics.keys() {
        reserve(rel, format!("the theme's {rel}"), false);
    }
    let outputs = content
        .pages
        .iter()
        .map(|p| (&p.url, &p.source, Some(&p.rel)))
        .chain(content.assets.iter().map(|a| (&a.rel, &a.source, None)));
    for (url, source, page_rel) in outputs {
        let Some(generated) = reserved.get(&content::output_key(url)) else {
            continue;
        };
        // A root `index.md` is how most docs folders name their front page.
        let intro = page_rel.is_some_and(|r| {
            r == "_index.md"
                || r.ends_with("/_index.md")
                || r == "index.md"
                || r.eq_ignore_ascii_case("home.md")
        });
        if generated.takes_intro && intro && *url == generated.url {
            continue;
        }
        let hint = if generated.takes_intro {
            let intro = source.with_file_name("_index.md");
            format!(
                "rename it; to write that page's title and introduction, name the file {}",
                intro.display()
            )
        } else if generated.url.starts_with("static/") {
            "rename it, or put it in templates/static/ to replace the theme's file".to_string()
        } else if generated.url.ends_with(".html") {
            "rename it; customise the page through its template instead".to_string()
        } else {
            "rename it: dossier writes that file itself".to_string()
        };
        diags.push(
            Diagnostic::error(
                source,
                0,
                0,
                format!(
                    "{} and {} both become {}{}",
                    source.display(),
                    generated.what,
                    generated.url,
                    content::why_one_file(&generated.url, url)
                ),
            )
            .with_hint(hint),
        );
    }
}

/// One alias claimed by two pages makes wikilinks to it ambiguous everywhere.
fn check_aliases(pages: &[Page], diags: &mut Diagnostics) {
    let mut owner: HashMap<String, usize> = HashMap::new();
    for (i, p) in pages.iter().enumerate() {
        for alias in &p.meta.aliases {
            let key = alias.to_lowercase();
            match owner.get(&key) {
                Some(&first) if first != i => {
                    let line = p
                        .text()
                        .all()
                        .lines()
                        .position(|l| l.contains(alias.as_str()))
                        .map_or(0, |n| n + 1);
                    diags.push(
                        Diagnostic::error(
                            &p.source,
                            line,
                            0,
                            format!(
                                "alias '{alias}' is also claimed by {}",
                                pages[first].source.display()
                            ),
                        )
                        .with_hint("an alias must name one page only; remove it from one of them"),
                    );
                }
                Some(_) => {}
                None => {
                    owner.insert(key, i);
                }
            }
        }
    }
}

/// A `#fragment` that names no id on its page is a broken link.
fn check_anchors(pages: &[Page], rendered: &[Arc<Rendered>], diags: &mut Diagnostics) {
    // Page by page in parallel (a large site has hundreds of thousands of
    // links), the problems kept in page order.
    let found: Vec<Diagnostic> = rendered
        .par_iter()
        .flat_map_iter(|r| &r.links)
        .filter_map(|l| {
            let anchor = l.anchor.as_ref()?;
            let ids = &rendered[l.target].ids;
            if ids.contains(anchor)
                || markdown::TEMPLATE_IDS.contains(&anchor.as_str())
                || anchor.is_empty()
            {
                return None;
            }
            let target = &pages[l.target];
            let mut d = Diagnostic::error(
                &pages[l.source].source,
                l.line,
                l.col,
                format!(
                    "broken link '{}': no anchor '#{anchor}' in {}",
                    l.raw,
                    target.source.display()
                ),
            );
            if let Some(id) = crate::diag::nearest(anchor, ids.iter().map(|id| id.as_ref())) {
                d = d.with_hint(format!("did you mean #{id}?"));
            }
            Some(d)
        })
        .collect();
    for d in found {
        diags.push(d);
    }
}

/// Site-wide facts shared by every template.
#[derive(Debug, Serialize)]
struct SiteCtx {
    title: String,
    lang: &'static str,
    /// The report the site publishes, when the home page names its authors,
    /// publisher or date: every page's head cites it.
    report: Option<crate::content::report::Report>,
    /// Whether the site has `print.html` (links to it are made only then).
    print: bool,
    /// The title as a CSS string, for the margins of printed pages.
    print_title: String,
}

/// A link in navigation.
#[derive(Debug, Clone, Serialize)]
struct Crumb {
    title: String,
    href: String,
}

#[derive(Debug, Serialize)]
struct NavItem {
    label: &'static str,
    href: String,
    current: bool,
    /// How many pages the kind has.
    count: usize,
}

/// A page the sidebar lists above the kind indexes (a chapter, or on a
/// site without chapters a top-level page).
#[derive(Debug, Serialize)]
struct SideLink<'a> {
    title: std::borrow::Cow<'a, str>,
    href: String,
    kind: Kind,
    /// The page being rendered: the sidebar lists its sections under it.
    current: bool,
}

#[derive(Debug, Serialize)]
struct PageCtx<'a> {
    title: std::borrow::Cow<'a, str>,
    kind: Kind,
    kind_label: &'static str,
    url: &'a str,
    summary: Option<&'a str>,
    date: Option<&'a str>,
    tags: &'a [String],
    aliases: &'a [String],
    expansion: Option<&'a str>,
    content: &'a str,
    toc: &'a [TocEntry],
    /// Made only if a template names it (see [`render::BacklinkUse`]);
    /// left out of the values otherwise, not shown as an empty list.
    #[serde(skip_serializing_if = "Option::is_none")]
    backlinks: Option<Vec<backlinks::Group<'a>>>,
    /// The backlinks as the built-in template lists them, every text
    /// escaped: an acronym page of a large site lists thousands, and
    /// Tera's loop over their values took most of such a page's time.
    backlinks_html: String,
    /// The neighbourhood map (topic and recommendation pages): SVG the build
    /// wrote with every text escaped.
    graph: Option<String>,
    /// The map as lists (map page only): HTML the build wrote, text escaped.
    connections: Option<String>,
}

impl<'a> PageCtx<'a> {
    /// The context of a page the build makes itself: a title and nothing else.
    fn blank(title: &'a str, kind: Kind, url: &'a str) -> Self {
        PageCtx {
            title: title.into(),
            kind,
            kind_label: kind.label(),
            url,
            summary: None,
            date: None,
            tags: &[],
            aliases: &[],
            expansion: None,
            content: "",
            toc: &[],
            backlinks: None,
            backlinks_html: String::new(),
            graph: None,
            connections: None,
        }
    }
}

#[derive(Debug, Clone, Serialize)]
struct Item {
    title: String,
    href: String,
    summary: Option<String>,
    kind: Kind,
    expansion: Option<String>,
    actor: Option<String>,
}

#[derive(Debug, Serialize)]
struct Group {
    letter: String,
    id: String,
    items: Vec<Item>,
}

#[derive(Debug, Serialize)]
struct KindItem {
    kind: Kind,
    label: &'static str,
    href: String,
    count: usize,
}

/// Everything a template can use.
#[derive(Debug, Serialize)]
struct Ctx<'a> {
    site: &'a SiteCtx,
    page: PageCtx<'a>,
    root: String,
    nav: Vec<NavItem>,
    /// The report's structure, for the sidebar and the phone menu: chapters
    /// in reading order (or top-level pages), never more than
    /// [`crate::render::wayfinding::SIDEBAR_MAX`]; the kind indexes are `nav`.
    sidebar: Vec<SideLink<'a>>,
    breadcrumbs: Vec<Crumb>,
    /// The pages before and after this one in its kind's sequence.
    prev: Option<Crumb>,
    next: Option<Crumb>,
    canonical: Option<String>,
    base_href: Option<String>,
    /// The not-found page, served at any depth: its stylesheet, inlined.
    inline_css: Option<String>,
    /// The not-found page without a known base URL: the site's top folders as
    /// a JSON array, from which its script finds the site root in a URL.
    root_dirs: Option<String>,
    chapters: Vec<Item>,
    kinds: Vec<KindItem>,
    pages: Vec<Item>,
    items: Vec<Item>,
    groups: Vec<Group>,
    /// Recommendations by who is asked to act, in reading order.
    actors: Vec<ActorGroup>,
    /// The chapters listed carry their numbers in their titles, so their
    /// list must not number them again.
    numbered: bool,
}

#[derive(Debug, Serialize)]
struct ActorGroup {
    actor: String,
    id: String,
    items: Vec<Item>,
}

/// `items` grouped by their `actor`, groups in the order their first item
/// comes; pages naming none last, under "Other".
fn actor_groups(items: Vec<Item>) -> Vec<ActorGroup> {
    let mut groups: Vec<ActorGroup> = Vec::new();
    let mut other = Vec::new();
    for item in items {
        let Some(actor) = item.actor.clone().filter(|a| !a.trim().is_empty()) else {
            other.push(item);
            continue;
        };
        match groups.iter_mut().find(|g| g.actor == actor) {
            Some(g) => g.items.push(item),
            None => groups.push(ActorGroup {
                id: format!("actor-{}", crate::slug::slugify(&actor)),
                actor,
                items: vec![item],
            }),
        }
    }
    if !other.is_empty() && !groups.is_empty() {
        groups.push(ActorGroup {
            actor: "Other".into(),
            id: "actor-other".into(),
            items: other,
        });
    }
    // With no page naming an actor, `groups` is empty: a plain list, as for
    // other kinds.
    groups
}

/// The site's structure: which pages each kind has, in reading order, and
/// which page (if any) is the home page or backs a kind's index.
struct SiteModel<'a> {
    pages: &'a [Page],
    site: SiteCtx,
    base_url: Option<String>,
    kinds: Vec<Kind>,
    by_kind: BTreeMap<Kind, Vec<usize>>,
    home: Option<usize>,
    /// Page numbers whose URL is a kind index (their text introduces the list).
    index_pages: HashMap<&'a str, usize>,
    /// How chapters, topics and recommendations link (filled once links are known).
    graph: Graph,
    /// The sidebar's pages and each page's neighbours.
    way: Wayfinding,
}

impl<'a> SiteModel<'a> {
    fn new(content: &'a Content, kinds: &[Kind], base_url: Option<&str>) -> Self {
        let pages = &content.pages;
        let mut by_kind: BTreeMap<Kind, Vec<usize>> = BTreeMap::new();
        for (i, p) in pages.iter().enumerate() {
            by_kind.entry(p.kind).or_default().push(i);
        }
        for list in by_kind.values_mut() {
            list.sort_by(|&a, &b| {
                let (pa, pb) = (&pages[a], &pages[b]);
                (pa.order(), pa.title.to_lowercase(), &pa.rel).cmp(&(
                    pb.order(),
                    pb.title.to_lowercase(),
                    &pb.rel,
                ))
            });
        }
        let home = pages.iter().position(|p| p.url == "index.html");
        let index_urls: Vec<&str> = kinds.iter().filter_map(|k| k.index_url()).collect();
        let index_pages: HashMap<&str, usize> = pages
            .iter()
            .enumerate()
            .filter(|(_, p)| index_urls.contains(&p.url.as_str()))
            .map(|(i, p)| (p.url.as_str(), i))
            .collect();
        let way = Wayfinding::new(pages, &by_kind, |i| {
            Some(i) == home || index_pages.values().any(|&x| x == i)
        });
        let title = home.map_or_else(|| "Home".to_string(), |h| pages[h].title.clone());
        let base_url = base_url.map(|b| {
            if b.ends_with('/') {
                b.to_string()
            } else {
                format!("{b}/")
            }
        });
        let report = home.and_then(|h| {
            crate::content::report::Report::from_home(&title, &pages[h].meta, base_url.as_deref())
        });
        SiteModel {
            pages,
            site: SiteCtx {
                print_title: print::css_string(&title),
                title,
                lang: "en",
                report,
                print: by_kind.contains_key(&Kind::Chapter),
            },
            base_url,
            kinds: kinds.to_vec(),
            by_kind,
            home,
            index_pages,
            graph: Graph::default(),
            way,
        }
    }

    fn root_for(url: &str) -> String {
        "../".repeat(url.matches('/').count())
    }

    fn nav(&self, from: &str, current_kind: Option<Kind>) -> Vec<NavItem> {
        self.kinds
            .iter()
            .filter_map(|k| {
                let url = k.index_url()?;
                Some(NavItem {
                    label: nav_label(*k),
                    href: relative_href(from, url),
                    current: current_kind == Some(*k),
                    count: self.by_kind.get(k).map_or(0, Vec::len),
                })
            })
            .collect()
    }

    fn item(&self, from: &str, i: usize) -> Item {
        let p = &self.pages[i];
        Item {
            title: p.display_title().into_owned(),
            href: relative_href(from, &p.url),
            summary: p.meta.summary.clone(),
            kind: p.kind,
            expansion: p.meta.expansion.clone(),
            actor: p.meta.actor.clone(),
        }
    }

    fn crumb_home(&self, from: &str) -> Crumb {
        Crumb {
            title: "Home".into(),
            href: relative_href(from, "index.html"),
        }
    }

    fn ctx<'b>(&'b self, url: &str, page: PageCtx<'b>) -> Ctx<'b> {
        Ctx {
            site: &self.site,
            canonical: self
                .base_url
                .as_ref()
                .map(|b| format!("{b}{}", links::percent_encode_path(url))),
            root: Self::root_for(url),
            nav: self.nav(url, None),
            sidebar: self
                .way
                .side_pages()
                .iter()
                .map(|&i| {
                    let p = &self.pages[i];
                    SideLink {
                        title: p.display_title(),
                        href: relative_href(url, &p.url),
                        kind: p.kind,
                        current: p.url == url,
                    }
                })
                .collect(),
            page,
            breadcrumbs: Vec::new(),
            prev: None,
            next: None,
            base_href: None,
            inline_css: None,
            root_dirs: None,
            chapters: Vec::new(),
            kinds: Vec::new(),
            pages: Vec::new(),
            items: Vec::new(),
            groups: Vec::new(),
            actors: Vec::new(),
            numbered: false,
        }
    }

    fn page_ctx<'b>(
        &'b self,
        i: usize,
        r: &'b Rendered,
        backlinks: &'b [links::Backlink],
        linked: &[usize],
        wanted: render::BacklinkUse,
    ) -> PageCtx<'b> {
        let p = &self.pages[i];
        backlinks::warm(self.pages, backlinks);
        let groups = (wanted.list || wanted.html)
            .then(|| backlinks::groups(self.pages, i, backlinks, linked));
        let html = match &groups {
            Some(g) if wanted.html => backlinks::html(g, p.kind),
            _ => String::new(),
        };
        let list = groups.filter(|_| wanted.list);
        PageCtx {
            title: p.display_title(),
            kind: p.kind,
            kind_label: p.kind.label(),
            url: &p.url,
            summary: p.meta.summary.as_deref(),
            date: p.meta.date.as_deref(),
            tags: &p.meta.tags,
            aliases: &p.meta.aliases,
            expansion: p.meta.expansion.as_deref(),
            content: &r.html,
            toc: &r.toc,
            backlinks: list,
            backlinks_html: html,
            graph: matches!(p.kind, Kind::Topic | Kind::Recommendation)
                .then(|| self.graph.neighbourhood_map(self.pages, i))
                .flatten(),
            connections: None,
        }
    }

    /// Renders content page `i` (the home page and kind-index pages get their
    /// lists too).
    fn render_page(
        &self,
        templates: &Templates,
        i: usize,
        r: &Rendered,
        backlinks: &[links::Backlink],
        linked: &[usize],
    ) -> Result<Vec<u8>, Diagnostic> {
        let p = &self.pages[i];
        let url = p.url.as_str();
        // Room for the body, its backlinks and the page around them, so
        // the HTML is seldom grown (and copied) on the way.
        let size =
            r.html.len() + 8192 + 512 * backlinks.iter().map(|b| b.mentions.len()).sum::<usize>();
        let mut ctx = self.ctx(
            url,
            self.page_ctx(i, r, backlinks, linked, templates.backlinks),
        );
        if Some(i) == self.home {
            self.fill_home(&mut ctx, url);
            return templates.render_bytes("home.html", &ctx, size);
        }
        if let Some(kind) = self.kinds.iter().find(|k| k.index_url() == Some(url)) {
            self.fill_list(&mut ctx, *kind, url);
            return templates.render_bytes("list.html", &ctx, size);
        }
        ctx.breadcrumbs.push(self.crumb_home(url));
        if let Some(index_url) = p.kind.index_url() {
            ctx.breadcrumbs.push(Crumb {
                title: p.kind.index_title().to_string(),
                href: relative_href(url, index_url),
            });
            ctx.nav = self.nav(url, Some(p.kind));
        }
        let crumb = |j: usize| Crumb {
            title: self.pages[j].display_title().into_owned(),
            href: relative_href(url, &self.pages[j].url),
        };
        let (prev, next) = self.way.neighbours(i);
        ctx.prev = prev.map(crumb);
        ctx.next = next.map(crumb);
        let kind_template = format!("{}.html", p.kind.as_str());
        let template = if templates.has(&kind_template) {
            kind_template.as_str()
        } else {
            "page.html"
        };
        templates.render_bytes(template, &ctx, size)
    }

    /// Whether the chapters' titles carry their numbers (see
    /// [`Page::display_title`]).
    fn chapters_numbered(&self) -> bool {
        self.by_kind
            .get(&Kind::Chapter)
            .is_some_and(|c| c.iter().any(|&i| self.pages[i].meta.number.is_some()))
    }

    fn fill_home(&self, ctx: &mut Ctx, url: &str) {
        ctx.chapters = self
            .by_kind
            .get(&Kind::Chapter)
            .into_iter()
            .flatten()
            .map(|&c| self.item(url, c))
            .collect();
        ctx.numbered = self.chapters_numbered();
        // Recommendations at a glance: by who must act when the pages say,
        // else one list.
        ctx.items = self
            .by_kind
            .get(&Kind::Recommendation)
            .into_iter()
            .flatten()
            .map(|&i| self.item(url, i))
            .collect();
        ctx.actors = actor_groups(ctx.items.clone());
        ctx.kinds = self
            .kinds
            .iter()
            .filter(|k| **k != Kind::Chapter)
            .filter_map(|k| {
                Some(KindItem {
                    kind: *k,
                    label: k.index_title(),
                    href: relative_href(url, k.index_url()?),
                    count: self.by_kind.get(k).map_or(0, Vec::len),
                })
            })
            .collect();
        ctx.pages = self
            .by_kind
            .get(&Kind::Page)
            .into_iter()
            .flatten()
            .filter(|&&i| Some(i) != self.home && !self.index_pages.values().any(|&x| x == i))
            .map(|&i| self.item(url, i))
            .collect();
    }

    fn fill_list(&self, ctx: &mut Ctx, kind: Kind, url: &str) {
        let members = self.by_kind.get(&kind).map(Vec::as_slice).unwrap_or(&[]);
        ctx.breadcrumbs.push(self.crumb_home(url));
        ctx.nav = self.nav(url, Some(kind));
        if kind == Kind::Acronym {
            let mut sorted: Vec<usize> = members.to_vec();
            sorted.sort_by_key(|&i| (self.pages[i].title.to_lowercase(), i));
            let mut groups: Vec<Group> = Vec::new();
            for i in sorted {
                let letter = self.pages[i]
                    .title
                    .chars()
                    .next()
                    .map_or('#', |c| c.to_uppercase().next().unwrap_or(c));
                let letter = if letter.is_alphabetic() {
                    letter.to_string()
                } else {
                    "#".to_string()
                };
                match groups.last_mut() {
                    Some(g) if g.letter == letter => g.items.push(self.item(url, i)),
                    _ => groups.push(Group {
                        id: match crate::slug::slugify(&letter) {
                            id if id.is_empty() => "other".to_string(),
                            id => id,
                        },
                        letter,
                        items: vec![self.item(url, i)],
                    }),
                }
            }
            ctx.groups = groups;
        } else {
            ctx.items = members.iter().map(|&i| self.item(url, i)).collect();
            if kind == Kind::Recommendation {
                ctx.actors = actor_groups(ctx.items.clone());
            }
            ctx.numbered = kind == Kind::Chapter && self.chapters_numbered();
        }
    }

    /// The pages the build makes itself that readers search for: the kind
    /// indexes without a content page, by their title and what they list,
    /// and a generated home page.
    fn search_listings(&self, vocab: &Arc<search::Vocab>) -> Vec<search::Extract> {
        let mut out = Vec::new();
        for kind in &self.kinds {
            let Some(url) = kind.index_url() else {
                continue;
            };
            if self.index_pages.contains_key(url) {
                continue;
            }
            let members = self.by_kind.get(kind).map(Vec::as_slice).unwrap_or(&[]);
            let titles: Vec<String> = members
                .iter()
                .map(|&i| self.pages[i].display_title().into_owned())
                .collect();
            let titles: Vec<&str> = titles.iter().map(String::as_str).collect();
            out.push(search::listing(
                url,
                kind.index_title(),
                Kind::Page,
                &titles,
                vocab,
            ));
        }
        if self.home.is_none() {
            out.push(search::listing(
                "index.html",
                "Home",
                Kind::Page,
                &[],
                vocab,
            ));
        }
        out
    }

    /// The pages the build makes itself: kind indexes without a content page,
    /// the home page if there is no `_index.md`, and `404.html`.
    fn render_generated(
        &self,
        templates: &Templates,
        rendered: &[Arc<Rendered>],
        sink: &dyn Sink,
        print_memo: Option<(&mut print::Memo, &[u64])>,
    ) -> Vec<Result<String, Diagnostic>> {
        let blank = PageCtx::blank;
        let mut out = Vec::new();
        let put = |r: Result<String, Diagnostic>, url: &str| {
            r.and_then(|h| sink.put(url, OutFile::Bytes(h.into_bytes())))
                .map(|()| url.to_string())
        };
        for kind in &self.kinds {
            let Some(url) = kind.index_url() else {
                continue;
            };
            if self.index_pages.contains_key(url) {
                continue;
            }
            let mut ctx = self.ctx(url, blank(kind.index_title(), *kind, url));
            self.fill_list(&mut ctx, *kind, url);
            out.push(put(templates.render("list.html", &ctx), url));
        }
        if self.home.is_none() {
            let mut ctx = self.ctx("index.html", blank("Home", Kind::Page, "index.html"));
            self.fill_home(&mut ctx, "index.html");
            out.push(put(templates.render("home.html", &ctx), "index.html"));
        }
        out.extend(self.render_reading_aids(templates, rendered, sink, print_memo));
        let mut ctx = self.ctx("404.html", blank("Page not found", Kind::Page, "404.html"));
        self.not_found_anywhere(&mut ctx, templates);
        out.push(put(templates.render("404.html", &ctx), "404.html"));
        out
    }
}

impl SiteModel<'_> {
    /// Makes the not-found page work at whatever URL a web host serves it
    /// for (`/chapters/missing.html`): its stylesheet is inlined, so it never
    /// depends on the URL, and its relative links resolve against the site
    /// root — given by `<base href>` when the base URL is known, else found by
    /// a script that takes the URL up to the first of the site's top folders
    /// (on http(s) only: from disk the page is opened where it lies).
    fn not_found_anywhere(&self, ctx: &mut Ctx<'_>, templates: &Templates) {
        ctx.canonical = None;
        ctx.inline_css = templates
            .statics
            .get("static/style.css")
            .and_then(|b| std::str::from_utf8(b).ok())
            .filter(|css| !css.to_ascii_lowercase().contains("</style"))
            .map(str::to_string);
        if let Some(base) = &self.base_url {
            ctx.base_href = Some(base.clone());
            return;
        }
        let mut dirs: BTreeSet<&str> = self
            .pages
            .iter()
            .filter_map(|p| p.url.split_once('/').map(|(d, _)| d))
            .chain(
                self.kinds
                    .iter()
                    .filter_map(|k| k.index_url()?.split_once('/').map(|(d, _)| d)),
            )
            .collect();
        dirs.insert("static");
        let json = serde_json::to_string(&dirs).expect("strings serialise");
        ctx.root_dirs = Some(crate::content::report::script_safe_json(&json));
    }
}

/// The site map page.
const GRAPH_URL: &str = "graph.html";
/// The search results page (the search box's form target).
const SEARCH_URL: &str = "search.html";

/// Stands in for the printable report's body when its template is rendered;
/// the body is then streamed in its place. Letters and digits only, so the
/// template's escaping (if it does not mark the body `safe`) leaves it as is.
const PRINT_BODY_MARK: &str = "dossierprintbody0c5e1f7a";

impl SiteModel<'_> {
    /// The pages that help reading the report as a whole: the map
    /// (`graph.html`), the printable report (`print.html`) and the search
    /// results page (`search.html`, which without JavaScript says how else to
    /// find things).
    fn render_reading_aids(
        &self,
        templates: &Templates,
        rendered: &[Arc<Rendered>],
        sink: &dyn Sink,
        mut print_memo: Option<(&mut print::Memo, &[u64])>,
    ) -> Vec<Result<String, Diagnostic>> {
        let list = |k: Kind| self.by_kind.get(&k).cloned().unwrap_or_default();
        let other: Vec<usize> = list(Kind::Page)
            .into_iter()
            .filter(|&i| Some(i) != self.home && !self.index_pages.values().any(|&x| x == i))
            .collect();
        let intro = |k: Kind| k.index_url().and_then(|u| self.index_pages.get(u).copied());
        let parts = print::parts(&list, &intro, other);
        let graph_svg = self.graph.site_svg(self.pages, GRAPH_URL);
        let pages: [(&str, &str, &str, &str); 3] = [
            (GRAPH_URL, "graph.html", "Map of the report", &graph_svg),
            (print::URL, "print.html", &self.site.title, PRINT_BODY_MARK),
            (SEARCH_URL, "search.html", "Search", ""),
        ];
        pages
            .into_iter()
            // Without a reading order the printout is every page in a row,
            // the size of the whole site: written only when asked for.
            .filter(|(url, ..)| *url != print::URL || self.site.print)
            .map(|(url, template, title, body)| {
                let page = PageCtx {
                    content: body,
                    connections: (url == GRAPH_URL)
                        .then(|| self.graph.site_list(self.pages, GRAPH_URL)),
                    ..PageCtx::blank(title, Kind::Page, url)
                };
                let mut ctx = self.ctx(url, page);
                ctx.breadcrumbs.push(self.crumb_home(url));
                let html = templates.render(template, &ctx)?;
                if url != print::URL {
                    sink.put(url, OutFile::Bytes(html.into_bytes()))?;
                    return Ok(url.to_string());
                }
                // The printout of a large site is the size of the site: it
                // is written as it is made, never held whole.
                let (head, tail) = html.split_once(PRINT_BODY_MARK).unwrap_or((&html, ""));
                sink.put_with(url, &mut |out| {
                    out.write_all(head.as_bytes())?;
                    if html.contains(PRINT_BODY_MARK) {
                        let memo = print_memo.as_mut().map(|(m, k)| (&mut **m, *k));
                        print::write(out, self.pages, rendered, self.home, &parts, memo)?;
                    }
                    out.write_all(tail.as_bytes())
                })?;
                Ok(url.to_string())
            })
            .collect()
    }
}

fn nav_label(kind: Kind) -> &'static str {
    match kind {
        Kind::Acronym => "Glossary",
        other => other.index_title(),
    }
}

/// `sitemap.xml` listing every HTML page except the 404 page.
fn sitemap(base: &str, files: &[String]) -> String {
    let base = if base.ends_with('/') {
        base.to_string()
    } else {
        format!("{base}/")
    };
    let mut urls: Vec<&str> = files
        .iter()
        .map(String::as_str)
        .filter(|u| u.ends_with(".html") && *u != "404.html")
        .collect();
    urls.sort_unstable();
    let mut s = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n");
    for u in urls {
        s.push_str(&format!(
            "<url><loc>{}</loc></url>\n",
            markdown::escape(&format!("{base}{}", links::percent_encode_path(u)))
        ));
    }
    s.push_str("</urlset>\n");
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    fn fixture() -> BuildOptions {
        let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/reading");
        BuildOptions {
            content: root.join("content"),
            templates: root.join("no-templates"),
            out: root.join("no-site"),
            base_url: None,
            raw_html: false,
            print: false,
        }
    }

    fn text(f: &OutFile) -> &str {
        match f {
            OutFile::Bytes(b) => std::str::from_utf8(b).unwrap_or(""),
            OutFile::Copy(_) => "",
        }
    }

    fn attrs<'h>(html: &'h str, name: &str) -> Vec<&'h str> {
        let pat = format!(" {name}=\"");
        html.split(pat.as_str())
            .skip(1)
            .map(|s| &s[..s.find('"').unwrap_or(0)])
            .collect()
    }

    /// A session's options are fixed in `dossier serve`, but the memo must
    /// not outlive a change of them: `--raw-html` changes every page.
    #[test]
    fn a_session_renders_again_when_the_site_flag_changes() {
        let dir = tempfile::tempdir().unwrap();
        let content = dir.path().join("content");
        std::fs::create_dir(&content).unwrap();
        std::fs::write(content.join("a.md"), "# A\n\n<script>x()</script>\n").unwrap();
        let mut session = Session::new(BuildOptions {
            content,
            templates: dir.path().join("templates"),
            out: dir.path().join("site"),
            base_url: None,
            raw_html: false,
            print: false,
        });
        let mut page = |raw: bool| {
            session.opts.raw_html = raw;
            let (files, _) = session.render().unwrap();
            let a = files.iter().find(|(u, _)| u == "a.html").unwrap();
            text(&a.1).contains("<script>x()</script>")
        };
        assert_eq!([page(false), page(true), page(false)], [false, true, false]);
    }

    /// A page kept from the session's last build must not keep a stale
    /// "next": moving another recommendation to another actor reorders the
    /// index, and the pages around it link on to other pages.
    #[test]
    fn a_session_follows_the_new_order_of_recommendations() {
        let dir = tempfile::tempdir().unwrap();
        let content = dir.path().join("content");
        std::fs::create_dir_all(content.join("recs")).unwrap();
        let write = |name: &str, order: u32, actor: &str| {
            std::fs::write(
                content.join(format!("recs/{name}.md")),
                format!("---\ntitle: Rec {name}\nkind: recommendation\norder: {order}\nactor: {actor}\n---\n\nText.\n"),
            )
            .unwrap();
        };
        write("a", 1, "NATO");
        write("b", 2, "NGOs");
        write("c", 3, "NATO");
        let mut session = Session::new(BuildOptions {
            content: content.clone(),
            templates: dir.path().join("templates"),
            out: dir.path().join("site"),
            base_url: None,
            raw_html: false,
            print: false,
        });
        let mut next_of_a = || {
            let (files, _) = session.render().unwrap();
            let a = files.iter().find(|(u, _)| u == "recs/a.html").unwrap();
            attrs(text(&a.1), "href")
                .into_iter()
                .find(|h| h.starts_with("c.html") || h.starts_with("b.html"))
                .map(str::to_string)
        };
        assert_eq!(next_of_a().as_deref(), Some("c.html"));
        write("c", 3, "NGOs");
        assert_eq!(next_of_a().as_deref(), Some("b.html"));
    }

    /// The recommendations index groups the pages under who is asked to
    /// act, in reading order, with the pages naming no one last.
    #[test]
    fn recommendations_are_listed_under_their_actor() {
        let dir = tempfile::tempdir().unwrap();
        let content = dir.path().join("content");
        std::fs::create_dir_all(content.join("recs")).unwrap();
        for (name, order, actor) in [
            ("a", 1, "actor: NATO\n"),
            ("b", 2, "actor: NGOs\n"),
            ("c", 3, ""),
            ("d", 4, "actor: NATO\n"),
        ] {
            std::fs::write(
                content.join(format!("recs/{name}.md")),
                format!("---\ntitle: Rec {name}\nkind: recommendation\norder: {order}\n{actor}---\n\nText.\n"),
            )
            .unwrap();
        }
        let (files, _) = render_site(&BuildOptions {
            content,
            templates: dir.path().join("templates"),
            out: dir.path().join("site"),
            base_url: None,
            raw_html: false,
            print: false,
        })
        .unwrap();
        let index = files
            .iter()
            .find(|(u, _)| u == "recommendations/index.html")
            .map(|(_, f)| text(f))
            .unwrap();
        let seen: Vec<&str> = [
            "<h2 id=\"actor-nato\">NATO</h2>",
            "Rec a",
            "Rec d",
            ">NGOs</h2>",
            "Rec b",
            ">Other</h2>",
            "Rec c",
        ]
        .into_iter()
        .filter(|w| index.contains(w))
        .collect();
        assert_eq!(seen.len(), 7, "{index}");
        let at = |w: &str| index.find(w).unwrap();
        assert!(at(">NATO</h2>") < at("Rec a"), "{index}");
        assert!(
            at("Rec a") < at("Rec d") && at("Rec d") < at(">NGOs</h2>"),
            "{index}"
        );
        assert!(
            at(">NGOs</h2>") < at("Rec b") && at("Rec b") < at(">Other</h2>"),
            "{index}"
        );
        assert!(at(">Other</h2>") < at("Rec c"), "{index}");
    }

    #[test]
    fn the_same_content_gives_byte_identical_files() {
        let (a, _) = render_site(&fixture()).unwrap();
        let (b, _) = render_site(&fixture()).unwrap();
        let names: Vec<&str> = a.iter().map(|(n, _)| n.as_str()).collect();
        assert!(names.contains(&"search-index.js"));
        assert!(names.contains(&"graph.html"));
        assert!(names.contains(&"print.html"));
        assert!(names.contains(&"static/dossier.js"));
        assert_eq!(a.len(), b.len());
        for ((na, fa), (nb, fb)) in a.iter().zip(b.iter()) {
            assert_eq!(na, nb);
            assert!(text(fa) == text(fb), "{na} differs between builds");
        }
    }

    /// Every internal URL is relative, names a file and that file exists;
    /// every page has one h1 and unique ids (file:// has no server to fix
    /// any of it).
    #[test]
    fn every_internal_link_names_an_existing_file() {
        let (files, _) = render_site(&fixture()).unwrap();
        let names: BTreeSet<&str> = files.iter().map(|(n, _)| n.as_str()).collect();
        for (name, f) in files.iter().filter(|(n, _)| n.ends_with(".html")) {
            let html = text(f);
            assert_eq!(html.matches("<h1").count(), 1, "{name}: one h1");
            let ids = attrs(html, "id");
            let unique: BTreeSet<&&str> = ids.iter().collect();
            assert_eq!(unique.len(), ids.len(), "{name}: duplicate ids");
            let dir = name.rsplit_once('/').map_or("", |(d, _)| d);
            for href in attrs(html, "href").into_iter().chain(attrs(html, "src")) {
                if href.contains(':') || href.starts_with('#') {
                    continue;
                }
                assert!(!href.starts_with('/'), "{name}: {href} is absolute");
                let path = href.split(['#', '?']).next().unwrap_or("");
                assert!(!path.ends_with('/') && !path.is_empty(), "{name}: {href}");
                let mut parts: Vec<&str> = dir.split('/').filter(|s| !s.is_empty()).collect();
                for seg in path.split('/') {
                    match seg {
                        ".." => {
                            parts.pop();
                        }
                        s => parts.push(s),
                    }
                }
                let target = parts.join("/");
                assert!(
                    names.contains(target.as_str()),
                    "{name}: {href} → {target} missing"
                );
            }
        }
    }
}

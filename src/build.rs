//! `dossier build`, one step after another: load the pages and templates,
//! make the link index, render every page's markdown (and take what search
//! keeps of it), make the link graph, render the pages and the search index,
//! then write the site atomically.
//!
//! [`render_site`] does everything in memory and returns the files, so tests
//! and `check` can use it without touching the disk; [`build`] adds the
//! output checks and the swap. `dossier serve` rebuilds through
//! [`crate::incremental`], which runs the same steps and keeps what an edit
//! left as it was.

use std::collections::HashMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Instant;

use rayon::prelude::*;

use crate::check::lint;
use crate::content::frontmatter::Kind;
use crate::content::{self, Content, Page};
use crate::diag::{count, Code, Diagnostic, Diagnostics};
use crate::links::{self, Index};
use crate::markdown::{self, Rendered};
use crate::output::{self, Discard, Memory, OutFile, Sink};
use crate::render::indexes::{sitemap, GRAPH_URL, SEARCH_URL};
use crate::render::map::Graph;
use crate::render::pages::SiteModel;
use crate::render::{self, backlinks, print, Templates};
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
    /// What `dossier.toml` and the flags decide beyond the folders.
    pub settings: crate::config::Settings,
}

impl BuildOptions {
    /// A build of `content` with template overrides from `templates` into
    /// `out`, everything else as a build defaults it.
    pub fn new(content: PathBuf, templates: PathBuf, out: PathBuf) -> BuildOptions {
        BuildOptions {
            content,
            templates,
            out,
            base_url: None,
            raw_html: false,
            print: false,
            settings: Default::default(),
        }
    }
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
    write_site(opts, false, |staging, _| render_into(opts, staging)).map(|(report, _)| report)
}

/// Renders every file of the site in memory, in a stable order.
pub fn render_site(opts: &BuildOptions) -> SiteFiles {
    in_memory(|sink| render_into(opts, sink))
}

/// Does everything a build does except writing anything: the figures and
/// warnings, or every problem found (`dossier check`).
pub fn check(opts: &BuildOptions) -> Result<Report, Diagnostics> {
    render_into(opts, &Discard)
}

/// A whole site rendered in memory: every file in URL order and the
/// figures, or every problem found.
pub type SiteFiles = Result<(Vec<(String, OutFile)>, Report), Diagnostics>;

/// The one-off build, step by step, into `sink`: everything but the swap.
fn render_into(opts: &BuildOptions, sink: &dyn Sink) -> Result<Report, Diagnostics> {
    let t = Instant::now();
    let (content, templates, mut diags) = load(opts, content::load(&opts.content))?;
    let mut report = Report::loaded(&content, &templates, t);
    let t = Instant::now();
    let shape = Shape::of(&content);
    let index = link_index(&content, &shape);
    let vocab = Arc::new(search::Vocab::default());
    // A one-off build needs no page's markdown once it is rendered.
    let (mut rendered, extracts): (Vec<_>, Vec<_>) = (0..content.pages.len())
        .into_par_iter()
        .map(|i| parse_page(&index, i, true, &vocab))
        .unzip();
    let acronym_pages = spend_index(index);
    let (site, linked) = link_graph(
        opts,
        &content,
        &shape,
        &rendered,
        &acronym_pages,
        &mut diags,
        &mut report,
    );
    if diags.has_errors() {
        return Err(diags);
    }
    free_spent_links(&mut rendered);
    let (generated, pages, index_js) = render_side_by_side(
        &site,
        &templates,
        &rendered,
        &extracts,
        &vocab,
        sink,
        None,
        || {
            rendered
                .par_iter()
                .enumerate()
                .map(|(i, r)| {
                    let html = site.render_page(
                        &templates,
                        i,
                        r,
                        &linked.backlinks[i],
                        &linked.linked[i],
                    )?;
                    sink.put(&content.pages[i].url, OutFile::Bytes(html))
                })
                .collect::<Vec<_>>()
        },
    );
    let mut urls = collect_urls(generated, &mut diags);
    for (p, written) in content.pages.iter().zip(pages) {
        urls.push(p.url.clone());
        if let Err(d) = written {
            diags.push(d);
        }
    }
    let report = finish(
        &site, &templates, &content, index_js, urls, sink, diags, report, t,
    )?;
    drop(site);
    free_aside((content, rendered, extracts, linked));
    Ok(report)
}

/// Frees what a build made on a thread that nothing waits for: a large
/// site's pages hold many small allocations, and a one-off build exits
/// sooner than one thread can free them. Should no thread start, the caller
/// frees them.
fn free_aside<T: Send + 'static>(made: T) {
    let _ = std::thread::Builder::new()
        .name("free".into())
        .spawn(move || drop(made));
}

/// The write step around `render`: the output folder checked and locked, the
/// site rendered into a staging folder beside it, then swapped in (in the
/// background when `background`: a session builds again soon). Returns the
/// figures and the output folder.
pub(crate) fn write_site(
    opts: &BuildOptions,
    background: bool,
    render: impl FnOnce(&output::Staging, &Path) -> Result<Report, Diagnostics>,
) -> Result<(Report, PathBuf), Diagnostics> {
    let out = output::check_target(&opts.out, &[&opts.content, &opts.templates])?;
    let _lock = lock_output(&out, &opts.out)?;
    let staging = output::Staging::new(&out, "site")?;
    let mut report = render(&staging, &out)?;
    let t = Instant::now();
    staging.mark_as_site()?;
    report.bytes = staging.bytes();
    if background {
        staging.commit_in_background()?;
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
    Ok((report, out))
}

/// Every file `render` puts, in URL order.
pub(crate) fn in_memory(
    render: impl FnOnce(&dyn Sink) -> Result<Report, Diagnostics>,
) -> SiteFiles {
    let sink = Memory::default();
    let report = render(&sink)?;
    let mut files = sink
        .0
        .into_inner()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    // `check_outputs` made every URL unique, so sorting loses nothing.
    files.sort_by(|a, b| a.0.cmp(&b.0));
    Ok((files, report))
}

/// Step 1, load: the pages (as `content` read them) and the templates, and
/// the problems with where their files would land. Errors in the sources
/// stop the build here; the others are reported with the later ones, so
/// that one run shows everything.
pub(crate) fn load(
    opts: &BuildOptions,
    content: Result<Content, Diagnostics>,
) -> Result<(Content, Templates, Diagnostics), Diagnostics> {
    let mut diags = Diagnostics::new();
    let templates = render::load(&opts.templates);
    let (content, templates) = match (content, templates) {
        (Ok(c), Ok(t)) => {
            for w in &c.conventions.warnings {
                diags.push(w.clone());
            }
            (
                c.with_raw_html(opts.raw_html)
                    .with_drafts(opts.settings.drafts),
                t,
            )
        }
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
    diags.extend(crate::config::unknown_keys(&content.pages, &opts.settings));
    check_aliases(&content.pages, &mut diags);
    check_outputs(&content, &templates, &mut diags);
    Ok((content, templates, diags))
}

impl Report {
    /// The figures of the load step, which took from `t` until now.
    pub(crate) fn loaded(content: &Content, templates: &Templates, t: Instant) -> Report {
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
        report
    }
}

/// What the site has besides its pages: the kinds with pages (each gets an
/// index page) and every URL the build writes itself.
pub(crate) struct Shape {
    pub(crate) kinds: Vec<Kind>,
    pub(crate) generated: Vec<String>,
}

impl Shape {
    pub(crate) fn of(content: &Content) -> Shape {
        let kinds: Vec<Kind> = Kind::ALL
            .into_iter()
            .filter(|k| k.index_url().is_some() && content.pages.iter().any(|p| p.kind == *k))
            .collect();
        let generated: Vec<String> = kinds
            .iter()
            .filter_map(|k| k.index_url().map(str::to_string))
            .chain(
                ["index.html", "404.html", GRAPH_URL, print::URL, SEARCH_URL].map(str::to_string),
            )
            .collect();
        Shape { kinds, generated }
    }
}

/// Step 2, the link index: every URL and name a link may point at, before
/// any markdown is rendered.
pub(crate) fn link_index<'a>(content: &'a Content, shape: &Shape) -> Index<'a> {
    Index::new(&content.pages, &content.assets, shape.generated.clone())
}

/// Step 3, markdown: page `i` rendered (its source dropped after, if
/// `release`), and what the search index keeps of it: the page's plain text
/// goes to the index and no further.
pub(crate) fn parse_page(
    index: &Index,
    i: usize,
    release: bool,
    vocab: &Arc<search::Vocab>,
) -> Parsed {
    let mut r = if release {
        markdown::render_and_release(index, i)
    } else {
        markdown::render(index, i)
    };
    let extract = search::extract(&index.pages[i], &r.sections(), vocab);
    r.release_text();
    (Arc::new(r), Arc::new(extract))
}

/// The index once every page is rendered: the acronym pages are kept, the
/// rest is freed aside, and the memory it held is there for the backlinks
/// and pages below.
pub(crate) fn spend_index(mut index: Index) -> Vec<usize> {
    let acronym_pages = std::mem::take(&mut index.acronym_pages);
    drop(index.into_owned_parts());
    acronym_pages
}

/// What the link graph gives each page.
pub(crate) struct Linked {
    /// Who links to it.
    pub(crate) backlinks: Vec<Vec<links::Backlink>>,
    /// What its own text links to.
    pub(crate) linked: Vec<Vec<usize>>,
}

/// Step 4, the link graph, from the links the pages recorded: anchors
/// checked, backlinks, the map, the site's structure, and the warnings that
/// need them (in `diags`, with the errors: the caller stops on errors).
pub(crate) fn link_graph<'a>(
    opts: &BuildOptions,
    content: &'a Content,
    shape: &Shape,
    rendered: &[Arc<Rendered>],
    acronym_pages: &[usize],
    diags: &mut Diagnostics,
    report: &mut Report,
) -> (SiteModel<'a>, Linked) {
    for r in rendered {
        diags.extend(r.diagnostics.clone());
    }
    check_anchors(&content.pages, rendered, diags);
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
    let mut site = SiteModel::new(content, &shape.kinds, opts.base_url.as_deref());
    site.site.print |= opts.print;
    site.configure(&opts.settings);
    site.graph = Graph::new(&content.pages, all_links(), &site.by_kind);
    let is_index =
        |p: &Page| p.url == "index.html" || site.index_pages.contains_key(p.url.as_str());
    diags.extend(lint::warnings(
        &content.pages,
        acronym_pages,
        rendered,
        &backlinks,
        &is_index,
    ));
    opts.settings.apply_levels(diags, !acronym_pages.is_empty());
    (site, Linked { backlinks, linked })
}

/// The links and ids served the checks, backlinks and map: freed for the
/// pages to be written. Only what nothing else holds is freed (a page a
/// session keeps is left whole).
fn free_spent_links(rendered: &mut [Arc<Rendered>]) {
    rendered
        .par_iter_mut()
        .filter_map(Arc::get_mut)
        .for_each(|r| {
            r.links = Default::default();
            r.ids = Default::default();
        });
}

/// Step 5, render: the pages the build makes itself (the printout is the
/// size of the site), the content pages (as `pages` writes them) and the
/// search index, side by side: each has steps that use one core only
/// (writing a large file), which the others fill. The bodies are all kept
/// until the end of the build (the printout reads them in its own order).
#[allow(clippy::too_many_arguments)]
pub(crate) fn render_side_by_side<P: Send>(
    site: &SiteModel,
    templates: &Templates,
    rendered: &[Arc<Rendered>],
    extracts: &[Arc<search::Extract>],
    vocab: &Arc<search::Vocab>,
    sink: &dyn Sink,
    print_memo: Option<(&mut print::Memo, &[u64])>,
    pages: impl FnOnce() -> P + Send,
) -> (Generated, P, Result<Vec<String>, Diagnostic>) {
    let (generated, (pages, index_js)) = rayon::join(
        || site.render_generated(templates, rendered, sink, print_memo),
        || rayon::join(pages, || write_search_index(site, extracts, vocab, sink)),
    );
    (generated, pages, index_js)
}

/// The URLs of the pages the build made itself, or why one failed.
pub(crate) type Generated = Vec<Result<String, Diagnostic>>;

/// A page through the markdown step: its result, and what search keeps.
pub(crate) type Parsed = (Arc<Rendered>, Arc<search::Extract>);

/// Step 6, search: the index, from what the markdown step extracted of each
/// page and the build's own listings.
fn write_search_index(
    site: &SiteModel,
    extracts: &[Arc<search::Extract>],
    vocab: &Arc<search::Vocab>,
    sink: &dyn Sink,
) -> Result<Vec<String>, Diagnostic> {
    let listings = site.search_listings(vocab);
    let mut pages: Vec<&search::Extract> = extracts.iter().map(|e| &**e).collect();
    pages.extend(&listings);
    let mut written = Vec::new();
    search::write_index(&pages, &mut |url, text| {
        sink.put(&url, OutFile::Bytes(text.into_bytes()))?;
        written.push(url);
        Ok(())
    })?;
    Ok(written)
}

/// The URLs of the generated pages written, the problems in `diags`.
pub(crate) fn collect_urls(generated: Generated, diags: &mut Diagnostics) -> Vec<String> {
    let mut urls = Vec::new();
    for extra in generated {
        match extra {
            Ok(url) => urls.push(url),
            Err(d) => diags.push(d),
        }
    }
    urls
}

/// Step 7, the rest of the site: the sitemap, the theme's static files and
/// the content's other files; then the figures of the render phase, which
/// began at `t`.
#[allow(clippy::too_many_arguments)]
pub(crate) fn finish(
    site: &SiteModel,
    templates: &Templates,
    content: &Content,
    index_js: Result<Vec<String>, Diagnostic>,
    mut urls: Vec<String>,
    sink: &dyn Sink,
    mut diags: Diagnostics,
    mut report: Report,
    t: Instant,
) -> Result<Report, Diagnostics> {
    if diags.has_errors() {
        return Err(diags);
    }
    match index_js {
        Ok(written) => urls.extend(written),
        Err(d) => diags.push(d),
    }
    let mut put = |urls: &mut Vec<String>, url: String, file: OutFile| match sink.put(&url, file) {
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
    Ok(report)
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
        crate::diag::note(format_args!(
            "waiting for another dossier build{pid} writing {} to finish",
            shown.display()
        ));
    })
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
                || r == "README.md"
                || r.eq_ignore_ascii_case("home.md")
        });
        // A book's own `404.md` is the not-found page (mdBook's convention).
        if page_rel == Some(&crate::render::pages::NOT_FOUND_MD.to_string()) && *url == "404.html" {
            continue;
        }
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

/// One alias claimed by two pages makes wikilinks to it ambiguous everywhere:
/// an error on a site written with `kind:`; a warning in a vault or docs
/// folder, whose notes keep their old names as aliases (two notes that
/// came out of one may both), where a link by such a name is reported
/// where it stands.
fn check_aliases(pages: &[Page], diags: &mut Diagnostics) {
    let with_kinds = pages.iter().any(|p| p.kind != Kind::Page);
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
                    let mut d = Diagnostic::error(
                        &p.source,
                        line,
                        0,
                        format!(
                            "alias '{alias}' is also claimed by {}",
                            pages[first].source.display()
                        ),
                    )
                    .with_hint("an alias must name one page only; remove it from one of them")
                    .with_code(Code::DuplicateAlias)
                    .with_subject(alias.clone());
                    if !with_kinds {
                        d.level = crate::diag::Level::Warning;
                    }
                    diags.push(d);
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
            )
            .with_code(crate::diag::Code::BrokenLink)
            .with_subject(l.raw.clone());
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{attrs, text};
    use std::collections::BTreeSet;

    fn fixture() -> BuildOptions {
        let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/reading");
        BuildOptions::new(
            root.join("content"),
            root.join("no-templates"),
            root.join("no-site"),
        )
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
        let (files, _) = render_site(&crate::testing::options(dir.path())).unwrap();
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
                let target = crate::url::join(dir, path).unwrap_or_default();
                assert!(
                    names.contains(target.as_str()),
                    "{name}: {href} → {target} missing"
                );
            }
        }
    }
}

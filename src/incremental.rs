//! Incremental builds for `dossier serve`: a [`Session`] runs the steps of
//! [`crate::build`] again after each edit, and keeps what the edit left as it
//! was. A page's markdown is rendered again when its text, the site's link
//! targets or the headings it links to changed; its HTML when that, its
//! backlinks, its map, its neighbours or the templates changed. Everything
//! else comes from the session's memos, so an incremental build produces
//! exactly the bytes of a full one (a test checks this over random edit
//! sequences).

use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Instant;

use rayon::prelude::*;

use crate::build::{self, BuildOptions, Linked, Report, Shape, SiteFiles};
use crate::content::frontmatter::Kind;
use crate::content::{self, Content};
use crate::diag::{Diagnostic, Diagnostics};
use crate::links::Index;
use crate::markdown::Rendered;
use crate::output::{self, OutFile, Sink};
use crate::render::pages::SiteModel;
use crate::render::{print, Templates};
use crate::search;

/// A build that remembers what it rendered, so that the next build of the
/// same project re-renders only what an edit can have changed.
pub struct Session {
    /// What to build (`pub(crate)` so that tests can change a flag).
    pub(crate) opts: BuildOptions,
    /// Per page path: the input key, the markdown result and what the
    /// search index keeps of the page.
    markdown: HashMap<String, (u64, Arc<Rendered>, Arc<search::Extract>)>,
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
}

/// A stable hash of `t` (SipHash with fixed keys), for memo keys.
fn hash_of<T: std::hash::Hash + ?Sized>(t: &T) -> u64 {
    use std::hash::Hasher;
    let mut h = std::hash::DefaultHasher::new();
    t.hash(&mut h);
    h.finish()
}

/// The markdown step's results for every page, with their memo keys.
struct ParsedPages {
    rendered: Vec<Arc<Rendered>>,
    extracts: Vec<Arc<search::Extract>>,
    keys: Vec<u64>,
}

/// One page written to the sink: its memo key and the HTML kept (none for
/// the pages that list others, rendered every time), or why it could not be
/// rendered or written.
type Written = (Option<u64>, Result<Option<Arc<Vec<u8>>>, Diagnostic>);

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
        }
    }

    /// Builds into `opts.out`, as [`build::build`] does.
    pub fn build(&mut self) -> Result<Report, Diagnostics> {
        let opts = self.opts.clone();
        let last = self.last_site.take();
        let (report, out) = build::write_site(&opts, true, |staging, out| {
            let trusted = last.is_some() && last == output::folder_id(out);
            self.render_into(staging, trusted)
        })?;
        self.last_site = output::folder_id(&out);
        Ok(report)
    }

    /// Renders every file, as [`build::render_site`] does.
    pub fn render(&mut self) -> SiteFiles {
        build::in_memory(|sink| self.render_into(sink, false))
    }

    /// The steps of [`build`](crate::build), each page's markdown and HTML
    /// taken from the memos when their inputs are the same. `trusted`: the
    /// sink's previous site is the one this session wrote.
    fn render_into(&mut self, sink: &dyn Sink, trusted: bool) -> Result<Report, Diagnostics> {
        let opts = self.opts.clone();
        let t = Instant::now();
        let loaded = content::load_with(&opts.content, Some(&mut self.pages));
        let (content, templates, mut diags) = build::load(&opts, loaded)?;
        let mut report = Report::loaded(&content, &templates, t);
        let t = Instant::now();
        let shape = Shape::of(&content);
        let index = build::link_index(&content, &shape);
        let signature = signature(&content, &shape, opts.raw_html);
        let parsed = self.parse(&content, &index, signature, &mut report);
        let acronym_pages = build::spend_index(index);
        let (site, linked) = build::link_graph(
            &opts,
            &content,
            &shape,
            &parsed.rendered,
            &acronym_pages,
            &mut diags,
            &mut report,
        );
        if diags.has_errors() {
            return Err(diags);
        }
        let pages = PageWriter {
            content: &content,
            site: &site,
            templates: &templates,
            rendered: &parsed.rendered,
            linked: &linked,
            keys: PageKeys::new(
                &opts,
                &content,
                &templates,
                &site,
                &linked,
                &parsed.keys,
                signature,
            ),
            memo: std::mem::take(&mut self.html),
            reused: AtomicUsize::new(0),
            sink,
            trusted,
        };
        let (generated, written, index_js) = build::render_side_by_side(
            &site,
            &templates,
            &parsed.rendered,
            &parsed.extracts,
            &self.vocab,
            sink,
            Some((&mut self.print, &parsed.keys)),
            || {
                (0..content.pages.len())
                    .into_par_iter()
                    .map(|i| pages.write(i))
                    .collect::<Vec<Written>>()
            },
        );
        let mut urls = build::collect_urls(generated, &mut diags);
        for (p, (key, written)) in content.pages.iter().zip(written) {
            urls.push(p.url.clone());
            match (key, written) {
                (Some(k), Ok(Some(html))) => {
                    self.html.insert(p.url.clone(), (k, html));
                }
                (_, Ok(_)) => {}
                (_, Err(d)) => diags.push(d),
            }
        }
        report.reused.1 = pages.reused.into_inner();
        let report = build::finish(
            &site, &templates, &content, index_js, urls, sink, diags, report, t,
        )?;
        Ok(report)
    }

    /// Step 3, markdown, with the memo: a page's markdown is taken from it
    /// when its key is the same.
    fn parse(
        &mut self,
        content: &Content,
        index: &Index,
        signature: u64,
        report: &mut Report,
    ) -> ParsedPages {
        let text_hash = self.hash_texts(content);
        // A page's markdown depends on its text, the site's signature and
        // the text of the pages whose headings its wikilinks consulted.
        let key = |i: usize, r: &Rendered| {
            let dep_hashes: Vec<Option<u64>> = r
                .heading_deps
                .iter()
                .map(|&j| text_hash.get(j).copied())
                .collect();
            hash_of(&(signature, text_hash[i], &content.pages[i].rel, dep_hashes))
        };
        let memo = &self.markdown;
        let vocab = &self.vocab;
        let found: Vec<(bool, build::Parsed)> = (0..content.pages.len())
            .into_par_iter()
            .map(|i| match memo.get(&content.pages[i].rel) {
                Some((k, r, e)) if *k == key(i, r) => (true, (Arc::clone(r), Arc::clone(e))),
                _ => (false, build::parse_page(index, i, false, vocab)),
            })
            .collect();
        report.reused.0 = found.iter().filter(|(reused, _)| *reused).count();
        let (rendered, extracts): (Vec<_>, Vec<_>) = found.into_iter().map(|(_, r)| r).unzip();
        let keys: Vec<u64> = (0..content.pages.len())
            .into_par_iter()
            .map(|i| key(i, &rendered[i]))
            .collect();
        self.markdown = content
            .pages
            .iter()
            .zip(&keys)
            .zip(rendered.iter().zip(&extracts))
            .map(|((p, k), (r, e))| (p.rel.clone(), (*k, Arc::clone(r), Arc::clone(e))))
            .collect();
        ParsedPages {
            rendered,
            extracts,
            keys,
        }
    }

    /// Each page's text hash (a text the cache handed on unchanged is not
    /// hashed again), kept for the next build.
    fn hash_texts(&mut self, content: &Content) -> Vec<u64> {
        let known = &self.text_hashes;
        let text_hash: Vec<u64> = content
            .pages
            .par_iter()
            .map(|p| {
                let text = p.text();
                match known.get(&p.rel) {
                    Some((known, hash)) if Arc::ptr_eq(known, &text) => *hash,
                    _ => hash_of(text.all()),
                }
            })
            .collect();
        self.text_hashes = content
            .pages
            .iter()
            .zip(&text_hash)
            .map(|(p, &h)| (p.rel.clone(), (p.text(), h)))
            .collect();
        text_hash
    }
}

/// What every page's markdown depends on besides its own text: where each
/// page is, what it is called, and what it defines.
fn signature(content: &Content, shape: &Shape, raw_html: bool) -> u64 {
    hash_of(&(
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
        &shape.kinds,
        raw_html,
    ))
}

/// The memo keys of the pages' HTML. A page's HTML depends on its markdown,
/// its backlinks, its map, the site's shape and the templates; the home
/// page and kind indexes also list other pages' summaries, so they have no
/// key and are always rendered.
struct PageKeys<'a> {
    content: &'a Content,
    site: &'a SiteModel<'a>,
    linked: &'a Linked,
    md_keys: &'a [u64],
    signature: u64,
    sidebar: u64,
    templates: u64,
    base_url: &'a Option<String>,
}

impl<'a> PageKeys<'a> {
    fn new(
        opts: &'a BuildOptions,
        content: &'a Content,
        templates: &Templates,
        site: &'a SiteModel<'a>,
        linked: &'a Linked,
        md_keys: &'a [u64],
        signature: u64,
    ) -> Self {
        // Every page shows the sidebar's titles, and its neighbours' (a
        // chapter's number and a recommendation's actor, which orders them,
        // are not in the signature).
        let sidebar = hash_of(&(
            site.way
                .side_pages()
                .iter()
                .map(|&j| content.pages[j].display_title())
                .collect::<Vec<_>>(),
            site.tree_rows(),
        ));
        PageKeys {
            content,
            site,
            linked,
            md_keys,
            signature,
            sidebar,
            templates: templates.fingerprint(),
            base_url: &opts.base_url,
        }
    }

    /// The key of page `i`'s HTML, none for a page that lists others.
    fn of(&self, i: usize) -> Option<u64> {
        let (pages, site) = (&self.content.pages, self.site);
        let p = &pages[i];
        if Some(i) == site.home || site.index_pages.contains_key(p.url.as_str()) {
            return None;
        }
        let graph = matches!(p.kind, Kind::Topic | Kind::Recommendation)
            .then(|| site.graph.neighbourhood_map(pages, i))
            .flatten();
        // A page's backlinks show the linking pages' titles (in the
        // signature) and the sentences that mention it: an edit elsewhere
        // in a linking page leaves them, and this page, as they were.
        let linked_from: Vec<(usize, u64)> = self.linked.backlinks[i]
            .iter()
            .map(|b| (b.source, hash_of(&b.mentions)))
            .collect();
        let (prev, next) = site.way.neighbours(i);
        let title = |j: Option<usize>| j.map(|j| pages[j].display_title());
        Some(hash_of(&(
            self.signature,
            self.md_keys[i],
            linked_from,
            graph,
            self.sidebar,
            (prev, title(prev), next, title(next)),
            self.templates,
            self.base_url,
        )))
    }
}

/// Step 5's content pages with the memo: a page whose key is the same is
/// taken from it, and linked from the last site rather than written again
/// when the sink still holds that site.
struct PageWriter<'a> {
    content: &'a Content,
    site: &'a SiteModel<'a>,
    templates: &'a Templates,
    rendered: &'a [Arc<Rendered>],
    linked: &'a Linked,
    keys: PageKeys<'a>,
    memo: HashMap<String, (u64, Arc<Vec<u8>>)>,
    reused: AtomicUsize,
    sink: &'a dyn Sink,
    trusted: bool,
}

impl PageWriter<'_> {
    fn write(&self, i: usize) -> Written {
        let p = &self.content.pages[i];
        let key = self.keys.of(i);
        let kept = match (key, self.memo.get(&p.url)) {
            (Some(k), Some((old, html))) if k == *old => Some(Arc::clone(html)),
            _ => None,
        };
        let unchanged = kept.is_some();
        let html = match kept {
            Some(html) => {
                self.reused.fetch_add(1, Ordering::Relaxed);
                Ok(html)
            }
            None => self
                .site
                .render_page(
                    self.templates,
                    i,
                    &self.rendered[i],
                    &self.linked.backlinks[i],
                    &self.linked.linked[i],
                )
                .map(Arc::new),
        };
        let put = html.and_then(|h| {
            // The same HTML as in the site this session wrote last is
            // linked from there, not written again.
            let write = !(unchanged && self.trusted && self.sink.keep(&p.url, h.len() as u64));
            let kept = key.map(|_| Arc::clone(&h));
            if write {
                let bytes = Arc::try_unwrap(h).unwrap_or_else(|h| h.to_vec());
                self.sink.put(&p.url, OutFile::Bytes(bytes))?;
            }
            Ok(kept)
        });
        (key, put)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{attrs, text};

    /// A session's options are fixed in `dossier serve`, but the memo must
    /// not outlive a change of them: `--raw-html` changes every page.
    #[test]
    fn a_session_renders_again_when_the_site_flag_changes() {
        let dir = tempfile::tempdir().unwrap();
        let content = dir.path().join("content");
        std::fs::create_dir(&content).unwrap();
        std::fs::write(content.join("a.md"), "# A\n\n<script>x()</script>\n").unwrap();
        let mut session = Session::new(crate::testing::options(dir.path()));
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
        let mut session = Session::new(crate::testing::options(dir.path()));
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
}

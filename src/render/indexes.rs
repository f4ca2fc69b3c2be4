//! The pages the build makes itself rather than from a content file: the
//! kind indexes and home page that no `_index.md` introduces, the not-found
//! page, the reading aids (the map, the printable report, the search page),
//! the search index's entries for them, and the sitemap.

use std::collections::BTreeSet;
use std::sync::Arc;

use super::pages::{Ctx, PageCtx, SiteModel};
use super::{print, Templates};
use crate::content::frontmatter::Kind;
use crate::diag::Diagnostic;
use crate::markdown::{self, Rendered};
use crate::output::{OutFile, Sink};
use crate::search;

impl SiteModel<'_> {
    /// The pages the build makes itself that readers search for: the kind
    /// indexes without a content page, by their title and what they list,
    /// and a generated home page.
    pub(crate) fn search_listings(&self, vocab: &Arc<search::Vocab>) -> Vec<search::Extract> {
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
    pub(crate) fn render_generated(
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
        if !self
            .pages
            .iter()
            .any(|p| p.rel == super::pages::NOT_FOUND_MD)
        {
            let mut ctx = self.ctx("404.html", blank("Page not found", Kind::Page, "404.html"));
            self.not_found_anywhere(&mut ctx, templates);
            out.push(put(templates.render("404.html", &ctx), "404.html"));
        }
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
    pub(crate) fn not_found_anywhere(&self, ctx: &mut Ctx<'_>, templates: &Templates) {
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
pub(crate) const GRAPH_URL: &str = "graph.html";
/// The search results page (the search box's form target).
pub(crate) const SEARCH_URL: &str = "search.html";

/// Stands in for the printable report's body when its template is rendered;
/// the body is then streamed in its place. Letters and digits only, so the
/// template's escaping (if it does not mark the body `safe`) leaves it as is.
pub(crate) const PRINT_BODY_MARK: &str = "dossierprintbody0c5e1f7a";

impl SiteModel<'_> {
    /// The pages that help reading the report as a whole: the map
    /// (`graph.html`), the printable report (`print.html`) and the search
    /// results page (`search.html`, which without JavaScript says how else to
    /// find things).
    pub(crate) fn render_reading_aids(
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
                if url == print::URL {
                    ctx.here = Some("Print version");
                }
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

/// `sitemap.xml` listing every HTML page except the 404 page.
pub(crate) fn sitemap(base: &str, files: &[String]) -> String {
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
            markdown::escape(&format!("{base}{}", crate::url::percent_encode_path(u)))
        ));
    }
    s.push_str("</urlset>\n");
    s
}

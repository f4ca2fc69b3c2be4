//! The pages of the site as templates see them: the site's structure
//! ([`SiteModel`]: kinds in reading order, the home page, the kind indexes,
//! the sidebar), the values every template gets ([`Ctx`]), and the rendering
//! of one content page with them — its backlinks, neighbourhood map,
//! breadcrumbs and neighbours, and for the home page and kind indexes the
//! lists of pages.

use std::collections::{BTreeMap, HashMap};

use serde::Serialize;

use super::backlinks;
use super::map::Graph;
use super::print;
use super::tree::Tree;
use super::wayfinding::Wayfinding;
use super::{BacklinkUse, Templates};
use crate::content::frontmatter::Kind;
use crate::content::{Content, Page};
use crate::diag::Diagnostic;
use crate::links::{self, relative_href};
use crate::markdown::{Rendered, TocEntry};

/// Site-wide facts shared by every template.
#[derive(Debug, Serialize)]
pub(crate) struct SiteCtx {
    pub(crate) title: String,
    pub(crate) lang: String,
    /// The report the site publishes, when the home page names its authors,
    /// publisher or date: every page's head cites it.
    pub(crate) report: Option<crate::content::report::Report>,
    /// Whether the site has `print.html` (links to it are made only then).
    pub(crate) print: bool,
    /// The title as a CSS string, for the margins of printed pages.
    pub(crate) print_title: String,
}

/// A link in navigation.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Crumb {
    pub(crate) title: String,
    pub(crate) href: String,
}

#[derive(Debug, Serialize)]
pub(crate) struct NavItem {
    pub(crate) label: &'static str,
    pub(crate) href: String,
    pub(crate) current: bool,
    /// How many pages the kind has.
    pub(crate) count: usize,
}

/// A page the sidebar lists above the kind indexes (a chapter, or on a
/// site without chapters a top-level page).
#[derive(Debug, Serialize)]
pub(crate) struct SideLink<'a> {
    pub(crate) title: std::borrow::Cow<'a, str>,
    pub(crate) href: String,
    pub(crate) kind: Kind,
    /// The page being rendered: the sidebar lists its sections under it.
    pub(crate) current: bool,
    /// Nesting in a book's or a folder tree's sidebar (0 at the top).
    pub(crate) depth: usize,
    /// A part title shown above the link.
    pub(crate) part: Option<&'a str>,
}

#[derive(Debug, Serialize)]
pub(crate) struct PageCtx<'a> {
    pub(crate) title: std::borrow::Cow<'a, str>,
    pub(crate) kind: Kind,
    pub(crate) kind_label: &'static str,
    pub(crate) url: &'a str,
    pub(crate) summary: Option<&'a str>,
    pub(crate) date: Option<&'a str>,
    pub(crate) tags: &'a [String],
    pub(crate) aliases: &'a [String],
    pub(crate) expansion: Option<&'a str>,
    pub(crate) content: &'a str,
    pub(crate) toc: &'a [TocEntry],
    /// Made only if a template names it (see [`render::BacklinkUse`]);
    /// left out of the values otherwise, not shown as an empty list.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) backlinks: Option<Vec<backlinks::Group<'a>>>,
    /// The backlinks as the built-in template lists them, every text
    /// escaped: an acronym page of a large site lists thousands, and
    /// Tera's loop over their values took most of such a page's time.
    pub(crate) backlinks_html: String,
    /// The neighbourhood map (topic and recommendation pages): SVG the build
    /// wrote with every text escaped.
    pub(crate) graph: Option<String>,
    /// The map as lists (map page only): HTML the build wrote, text escaped.
    pub(crate) connections: Option<String>,
    /// The front matter keys dossier does not know, with their values.
    pub(crate) extra: &'a BTreeMap<String, serde_json::Value>,
    /// Where an editor changes the page (`edit_url` of `dossier.toml`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) edit_url: Option<String>,
}

/// The `extra` of a page the build makes itself.
static NO_EXTRA: BTreeMap<String, serde_json::Value> = BTreeMap::new();

impl<'a> PageCtx<'a> {
    /// The context of a page the build makes itself: a title and nothing else.
    pub(crate) fn blank(title: &'a str, kind: Kind, url: &'a str) -> Self {
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
            extra: &NO_EXTRA,
            edit_url: None,
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct Item {
    pub(crate) title: String,
    pub(crate) href: String,
    pub(crate) summary: Option<String>,
    pub(crate) kind: Kind,
    pub(crate) expansion: Option<String>,
    pub(crate) actor: Option<String>,
}

#[derive(Debug, Serialize)]
pub(crate) struct Group {
    pub(crate) letter: String,
    pub(crate) id: String,
    pub(crate) items: Vec<Item>,
}

#[derive(Debug, Serialize)]
pub(crate) struct KindItem {
    pub(crate) kind: Kind,
    pub(crate) label: &'static str,
    pub(crate) href: String,
    pub(crate) count: usize,
}

/// Everything a template can use.
#[derive(Debug, Serialize)]
pub(crate) struct Ctx<'a> {
    /// [`SiteCtx`] as template values, made once for every page.
    pub(crate) site: &'a tera::Value,
    pub(crate) page: PageCtx<'a>,
    pub(crate) root: String,
    pub(crate) nav: Vec<NavItem>,
    /// The report's structure, for the sidebar and the phone menu: chapters
    /// in reading order (or top-level pages), never more than
    /// [`crate::render::wayfinding::SIDEBAR_MAX`]; the kind indexes are `nav`.
    pub(crate) sidebar: Vec<SideLink<'a>>,
    pub(crate) breadcrumbs: Vec<Crumb>,
    /// The breadcrumb's last entry where it is not the page's title (the
    /// printout's title is the whole report's, already the crumb before).
    pub(crate) here: Option<&'static str>,
    /// The pages before and after this one in its kind's sequence.
    pub(crate) prev: Option<Crumb>,
    pub(crate) next: Option<Crumb>,
    pub(crate) canonical: Option<String>,
    pub(crate) base_href: Option<String>,
    /// The not-found page, served at any depth: its stylesheet, inlined.
    pub(crate) inline_css: Option<String>,
    /// The not-found page without a known base URL: the site's top folders as
    /// a JSON array, from which its script finds the site root in a URL.
    pub(crate) root_dirs: Option<String>,
    pub(crate) chapters: Vec<Item>,
    pub(crate) kinds: Vec<KindItem>,
    pub(crate) pages: Vec<Item>,
    pub(crate) items: Vec<Item>,
    pub(crate) groups: Vec<Group>,
    /// Recommendations by who is asked to act, in reading order.
    pub(crate) actors: Vec<ActorGroup>,
    /// The chapters listed carry their numbers in their titles, so their
    /// list must not number them again.
    pub(crate) numbered: bool,
    /// A folder index page's pages, in order (see [`crate::render::tree`]).
    pub(crate) children: Vec<Item>,
    /// The home page of a site without chapters: its top-level sections.
    pub(crate) sections: Vec<Item>,
}

impl Ctx<'_> {
    /// The values a template reads: over [`blank_values`] (Tera's global
    /// values), the same as serialising the whole struct gives (a test
    /// holds them equal). Each name is borrowed rather than copied into a
    /// map made only to be copied again, and an empty list or absent value
    /// is left to the global ones: every page is rendered with these, and
    /// most of its lists are empty.
    pub(crate) fn values(&self) -> Result<tera::Context, tera::Error> {
        let Ctx {
            site,
            page,
            root,
            nav,
            sidebar,
            breadcrumbs,
            here,
            prev,
            next,
            canonical,
            base_href,
            inline_css,
            root_dirs,
            chapters,
            kinds,
            pages,
            items,
            groups,
            actors,
            numbered,
            children,
            sections,
        } = self;
        let mut values = tera::Context::new();
        values.insert_value("site", (*site).clone());
        values.insert_value("page", tera::Value::try_from_serializable(page)?);
        values.insert_value("root", tera::Value::from(root.as_str()));
        values.insert_value("nav", tera::Value::try_from_serializable(nav)?);
        macro_rules! unless_blank {
            ($($name:ident),*) => {
                $(
                    if !$name.is_blank() {
                        values.insert_value(stringify!($name), tera::Value::try_from_serializable($name)?);
                    }
                )*
            };
        }
        unless_blank!(
            sidebar,
            breadcrumbs,
            here,
            prev,
            next,
            canonical,
            base_href,
            inline_css,
            root_dirs,
            chapters,
            kinds,
            pages,
            items,
            groups,
            actors,
            numbered,
            children,
            sections
        );
        Ok(values)
    }
}

/// A value as a page starts out: an empty list, nothing, false.
trait Blank {
    fn is_blank(&self) -> bool;
}

impl<T> Blank for Vec<T> {
    fn is_blank(&self) -> bool {
        self.is_empty()
    }
}

impl<T> Blank for Option<T> {
    fn is_blank(&self) -> bool {
        self.is_none()
    }
}

impl Blank for bool {
    fn is_blank(&self) -> bool {
        !self
    }
}

/// The values of a page with nothing in its lists: Tera's global values,
/// which a page's own values need not repeat.
pub(crate) fn blank_values() -> tera::Context {
    let none = tera::Value::none();
    let empty = tera::Value::from(Vec::<tera::Value>::new());
    let mut blank = tera::Context::new();
    for name in [
        "sidebar",
        "breadcrumbs",
        "chapters",
        "kinds",
        "pages",
        "items",
        "groups",
        "actors",
        "children",
        "sections",
    ] {
        blank.insert_value(name, empty.clone());
    }
    for name in [
        "here",
        "prev",
        "next",
        "canonical",
        "base_href",
        "inline_css",
        "root_dirs",
    ] {
        blank.insert_value(name, none.clone());
    }
    blank.insert_value("numbered", tera::Value::from(false));
    blank
}

#[derive(Debug, Serialize)]
pub(crate) struct ActorGroup {
    pub(crate) actor: String,
    pub(crate) id: String,
    pub(crate) items: Vec<Item>,
}

/// `items` grouped by their `actor`, groups in the order their first item
/// comes; pages naming none last, under "Other".
pub(crate) fn actor_groups(items: Vec<Item>) -> Vec<ActorGroup> {
    let mut groups: Vec<ActorGroup> = Vec::new();
    let mut other = Vec::new();
    for item in items {
        let Some(actor) = item.actor.clone() else {
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
pub(crate) struct SiteModel<'a> {
    pub(crate) pages: &'a [Page],
    pub(crate) site: SiteCtx,
    /// `site` as template values, made when the first page is rendered
    /// (`site` is settled by then) and shared by all.
    site_values: std::sync::OnceLock<tera::Value>,
    pub(crate) base_url: Option<String>,
    pub(crate) kinds: Vec<Kind>,
    pub(crate) by_kind: BTreeMap<Kind, Vec<usize>>,
    pub(crate) home: Option<usize>,
    /// Page numbers whose URL is a kind index (their text introduces the list).
    pub(crate) index_pages: HashMap<&'a str, usize>,
    /// How chapters, topics and recommendations link (filled once links are known).
    pub(crate) graph: Graph,
    /// The sidebar's pages and each page's neighbours.
    pub(crate) way: Wayfinding,
    /// The "Edit this page" URL, `{path}` standing for the page's path.
    pub(crate) edit_url: Option<String>,
    /// The structure of a site written without `kind:` (empty otherwise).
    pub(crate) tree: Tree,
    /// First paragraphs of pages without a summary, by path.
    pub(crate) excerpts: &'a HashMap<String, String>,
}

impl<'a> SiteModel<'a> {
    pub(crate) fn new(content: &'a Content, kinds: &[Kind], base_url: Option<&str>) -> Self {
        let pages = &content.pages;
        let mut by_kind: BTreeMap<Kind, Vec<usize>> = BTreeMap::new();
        for (i, p) in pages.iter().enumerate() {
            by_kind.entry(p.kind).or_default().push(i);
        }
        for list in by_kind.values_mut() {
            list.sort_by_cached_key(|&i| {
                let p = &pages[i];
                (p.order(), p.title.to_lowercase(), &p.rel)
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
        // Only a site written without `kind:` is organised by its folders.
        let tree = match by_kind.keys().all(|k| *k == Kind::Page) {
            true => Tree::new(pages, &content.conventions, |i| {
                pages[i].rel == NOT_FOUND_MD
            }),
            false => Tree::default(),
        };
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
                lang: "en".into(),
                report,
                print: by_kind.contains_key(&Kind::Chapter),
            },
            site_values: std::sync::OnceLock::new(),
            base_url,
            kinds: kinds.to_vec(),
            by_kind,
            home,
            index_pages,
            graph: Graph::default(),
            way,
            edit_url: None,
            tree,
            excerpts: &content.conventions.excerpts,
        }
    }

    /// The site's title, language and edit link as `dossier.toml` says.
    pub(crate) fn configure(&mut self, settings: &crate::config::Settings) {
        if let Some(title) = &settings.title {
            self.site.print_title = print::css_string(title);
            self.site.title = title.clone();
        }
        self.site.lang = settings.language.clone();
        self.edit_url = settings.edit_url.clone();
    }

    pub(crate) fn root_for(url: &str) -> String {
        "../".repeat(url.matches('/').count())
    }

    pub(crate) fn nav(&self, from: &str, current_kind: Option<Kind>) -> Vec<NavItem> {
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

    pub(crate) fn item(&self, from: &str, i: usize) -> Item {
        let p = &self.pages[i];
        Item {
            title: p.display_title().into_owned(),
            href: relative_href(from, &p.url),
            summary: p
                .meta
                .summary
                .clone()
                .or_else(|| self.excerpts.get(&p.rel).cloned()),
            kind: p.kind,
            expansion: p.meta.expansion.clone(),
            actor: p.actor().map(str::to_string),
        }
    }

    pub(crate) fn crumb_home(&self, from: &str) -> Crumb {
        Crumb {
            title: "Home".into(),
            href: relative_href(from, "index.html"),
        }
    }

    pub(crate) fn ctx<'b>(&'b self, url: &str, page: PageCtx<'b>) -> Ctx<'b> {
        let mut ctx = self.ctx_flat(url, page);
        if !self.tree.is_empty() {
            ctx.sidebar = self.tree_sidebar(url);
        }
        ctx
    }

    fn ctx_flat<'b>(&'b self, url: &str, page: PageCtx<'b>) -> Ctx<'b> {
        Ctx {
            site: self
                .site_values
                .get_or_init(|| tera::Value::from_serializable(&self.site)),
            canonical: self
                .base_url
                .as_ref()
                .map(|b| format!("{b}{}", crate::url::percent_encode_path(url))),
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
                        depth: 0,
                        part: None,
                    }
                })
                .collect(),
            page,
            breadcrumbs: Vec::new(),
            here: None,
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
            children: Vec::new(),
            sections: Vec::new(),
        }
    }

    pub(crate) fn page_ctx<'b>(
        &'b self,
        i: usize,
        r: &'b Rendered,
        backlinks: &'b [links::Backlink],
        linked: &[usize],
        wanted: BacklinkUse,
    ) -> PageCtx<'b> {
        let p = &self.pages[i];
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
            extra: &p.meta.extra,
            edit_url: self
                .edit_url
                .as_deref()
                .map(|u| u.replace("{path}", &p.rel)),
        }
    }

    /// Renders content page `i` (the home page and kind-index pages get their
    /// lists too).
    pub(crate) fn render_page(
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
            // A book's introduction leads on, as its other chapters do.
            ctx.next = self.tree.neighbours(i).1.map(|j| Crumb {
                title: self.pages[j].display_title().into_owned(),
                href: relative_href(url, &self.pages[j].url),
            });
            return templates.render_bytes("home.html", ctx.values(), size);
        }
        if let Some(kind) = self.kinds.iter().find(|k| k.index_url() == Some(url)) {
            self.fill_list(&mut ctx, *kind, url);
            return templates.render_bytes("list.html", ctx.values(), size);
        }
        if p.rel == NOT_FOUND_MD {
            self.not_found_anywhere(&mut ctx, templates);
            return templates.render_bytes("page.html", ctx.values(), size);
        }
        ctx.breadcrumbs.push(self.crumb_home(url));
        for a in self
            .tree
            .ancestors(i)
            .into_iter()
            .filter(|&a| Some(a) != self.home)
        {
            ctx.breadcrumbs.push(Crumb {
                title: self.pages[a].display_title().into_owned(),
                href: relative_href(url, &self.pages[a].url),
            });
        }
        ctx.children = self
            .tree
            .children(i)
            .iter()
            .map(|&c| self.item(url, c))
            .collect();
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
        let (prev, next) = match self.way.neighbours(i) {
            (None, None) => self.tree.neighbours(i),
            found => found,
        };
        ctx.prev = prev.map(crumb);
        ctx.next = next.map(crumb);
        let kind_template = format!("{}.html", p.kind.as_str());
        let template = if templates.has(&kind_template) {
            kind_template.as_str()
        } else {
            "page.html"
        };
        templates.render_bytes(template, ctx.values(), size)
    }

    /// Whether the chapters' titles carry their numbers (see
    /// [`Page::display_title`]).
    pub(crate) fn chapters_numbered(&self) -> bool {
        self.by_kind
            .get(&Kind::Chapter)
            .is_some_and(|c| c.iter().any(|&i| self.pages[i].meta.number.is_some()))
    }

    pub(crate) fn fill_home(&self, ctx: &mut Ctx, url: &str) {
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
        if !self.tree.is_empty() {
            ctx.sections = self
                .tree
                .top()
                .filter(|e| e.first.is_some() && e.page != self.home)
                .filter_map(|e| {
                    let mut item = self.item(url, e.page.or(e.first)?);
                    item.title = e.title.clone();
                    Some(item)
                })
                .collect();
            return;
        }
        ctx.pages = self
            .by_kind
            .get(&Kind::Page)
            .into_iter()
            .flatten()
            .filter(|&&i| Some(i) != self.home && !self.index_pages.values().any(|&x| x == i))
            .map(|&i| self.item(url, i))
            .collect();
    }

    pub(crate) fn fill_list(&self, ctx: &mut Ctx, kind: Kind, url: &str) {
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
}

pub(crate) fn nav_label(kind: Kind) -> &'static str {
    match kind {
        Kind::Acronym => "Glossary",
        other => other.index_title(),
    }
}

/// A book's not-found page (mdBook's `404.md`), served as `404.html`.
pub(crate) const NOT_FOUND_MD: &str = "404.md";

impl<'a> SiteModel<'a> {
    /// The sidebar of a site without chapters: the tree's rows.
    fn tree_sidebar(&self, url: &str) -> Vec<SideLink<'_>> {
        let current = self.tree.page_at(url);
        self.tree
            .rows_for(current)
            .map(|e| SideLink {
                title: e.title.as_str().into(),
                href: e
                    .page
                    .map_or_else(String::new, |i| relative_href(url, &self.pages[i].url)),
                kind: e.page.map_or(Kind::Page, |i| self.pages[i].kind),
                current: e.page.is_some_and(|i| self.pages[i].url == url),
                depth: e.depth,
                part: e.part.as_deref(),
            })
            .collect()
    }

    /// What every page's sidebar shows of the tree: a rebuild hashes it
    /// into the pages' memo keys.
    pub(crate) fn tree_rows(&self) -> Vec<(&str, Option<usize>, usize, Option<&str>)> {
        self.tree
            .all_rows()
            .iter()
            .map(|e| (e.title.as_str(), e.page, e.depth, e.part.as_deref()))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_pages_values_are_those_of_the_whole_context_serialised() {
        let pages = crate::testing::pages(&[
            (
                "index.md",
                "---\ntitle: Report\nauthors: [A. Author]\ndate: 2024-05-01\n---\nHome.\n",
            ),
            (
                "chapters/one.md",
                "---\ntitle: One\nkind: chapter\n---\nText.\n",
            ),
            (
                "topics/safety.md",
                "---\ntitle: Safety\nkind: topic\nsummary: Safe.\ntags: [a]\nnote: kept\n---\nx\n",
            ),
        ]);
        let content = Content {
            pages,
            assets: Vec::new(),
            conventions: Default::default(),
        };
        let kinds = [Kind::Chapter, Kind::Topic];
        let site = SiteModel::new(&content, &kinds, Some("https://example.org/r"));
        let mut page = PageCtx::blank("Safety", Kind::Topic, "topics/safety.html");
        page.extra = &content.pages[2].meta.extra;
        let mut ctx = site.ctx("topics/safety.html", page);
        site.fill_home(&mut ctx, "topics/safety.html");
        ctx.breadcrumbs.push(site.crumb_home("topics/safety.html"));
        let whole = tera::Context::from_serialize(&ctx).unwrap();
        assert!(format!("{whole:?}").contains("A. Author"));
        assert_eq!(seen_by_templates(&ctx), whole);
        assert!(ctx.values().unwrap().get("children").is_none());
        // A context with nothing in it: every blank value is the global one.
        let empty = Ctx {
            site: ctx.site,
            page: PageCtx::blank("Nothing", Kind::Page, "nothing.html"),
            root: String::new(),
            nav: Vec::new(),
            sidebar: Vec::new(),
            breadcrumbs: Vec::new(),
            here: None,
            prev: None,
            next: None,
            canonical: None,
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
            children: Vec::new(),
            sections: Vec::new(),
        };
        let whole = tera::Context::from_serialize(&empty).unwrap();
        assert_eq!(seen_by_templates(&empty), whole);
    }

    /// A page's values over the global ones, as a template sees them.
    fn seen_by_templates(ctx: &Ctx) -> tera::Context {
        let mut seen = blank_values();
        seen.extend(ctx.values().unwrap());
        seen
    }
}

//! The site configuration: `dossier.toml` in the folder dossier runs in (the
//! project root). The file is optional and every key has a default; flags
//! on the command line override it.
//!
//! Read with the `toml` crate; an unknown key is an error at its line with
//! the nearest known key as a hint, and every unknown key of the file is
//! reported at once.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::diag::{line_col, nearest, Code, Diagnostic, Diagnostics, Level};

/// The name of the configuration file.
pub const FILE: &str = "dossier.toml";

/// What `dossier.toml` says; `None` where it says nothing.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// The site's title (default: the home page's title).
    pub title: Option<String>,
    /// Where the site will be published, for canonical links and the sitemap.
    pub base_url: Option<String>,
    /// The language of the pages, as `<html lang>` takes it (default `en`).
    pub language: Option<String>,
    /// The folder of markdown pages (default `content`).
    pub content: Option<PathBuf>,
    /// The folder of template overrides (default `templates`).
    pub templates: Option<PathBuf>,
    /// The folder the site is written to (default `site`).
    pub output: Option<PathBuf>,
    /// How front matter keys dossier does not know are reported.
    pub unknown_keys: Option<UnknownKeys>,
    /// How links to nothing are reported.
    pub broken_links: Option<BrokenLinks>,
    /// Which conventions of other tools to read (default: detected).
    pub conventions: Option<Vec<Convention>>,
    /// Whether acronyms used but not defined are reported.
    pub acronym_warnings: Option<bool>,
    /// Where a page is edited: a URL with `{path}`, the page's path under
    /// the content folder.
    pub edit_url: Option<String>,
    /// Kinds of warning not reported (their names, as the closing summary
    /// and `--format json` give them); errors are always reported.
    pub silence: Option<Vec<String>>,
}

/// The keys of `dossier.toml`, in the order the guide lists them.
pub const KEYS: [&str; 12] = [
    "title",
    "base_url",
    "language",
    "content",
    "templates",
    "output",
    "unknown_keys",
    "broken_links",
    "conventions",
    "acronym_warnings",
    "edit_url",
    "silence",
];

/// How front matter keys dossier does not know are reported. They reach
/// templates as `page.extra` whatever the level.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum UnknownKeys {
    /// Each one fails the build.
    Error,
    /// Each one is a warning: a collection written for another tool builds.
    #[default]
    Warn,
    /// Not reported.
    Allow,
}

/// How links to nothing are reported.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum BrokenLinks {
    /// Each one fails the build.
    Error,
    /// Each one is a warning.
    Warn,
}

/// A convention of another tool that dossier reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Convention {
    /// An Obsidian vault: wikilinks by shortest path, embeds, callouts.
    Obsidian,
    /// An mdBook book: `SUMMARY.md`, `README.md` indexes, includes.
    Mdbook,
    /// GitHub-flavoured markdown: task lists, alerts, GitHub heading ids.
    Gfm,
    /// Zola content: TOML front matter, `@/` links, shortcodes.
    Zola,
    /// Hugo content: site-absolute links, shortcodes.
    Hugo,
}

impl Convention {
    /// Every convention, in the order the guide lists them.
    pub const ALL: [Convention; 5] = [
        Convention::Obsidian,
        Convention::Mdbook,
        Convention::Gfm,
        Convention::Zola,
        Convention::Hugo,
    ];

    /// The name written in `dossier.toml`.
    pub fn as_str(self) -> &'static str {
        match self {
            Convention::Obsidian => "obsidian",
            Convention::Mdbook => "mdbook",
            Convention::Gfm => "gfm",
            Convention::Zola => "zola",
            Convention::Hugo => "hugo",
        }
    }

    /// Front matter keys the tool itself defines: kept in `page.extra`
    /// without a word when the convention is read, since they are no typo.
    pub fn front_matter_keys(self) -> &'static [&'static str] {
        match self {
            Convention::Obsidian => &[
                "cssclasses",
                "cssclass",
                "publish",
                "permalink",
                "image",
                "cover",
                "banner",
                "mobile",
                "created",
                "updated",
                "modified",
            ],
            Convention::Mdbook | Convention::Gfm => &[],
            Convention::Zola => &[
                "slug",
                "path",
                "template",
                "page_template",
                "in_search_index",
                "render",
                "redirect_to",
                "sort_by",
                "paginate_by",
                "paginate_path",
                "insert_anchor_links",
                "transparent",
                "generate_feeds",
                "generate_feed",
                "updated",
                "taxonomies",
                "extra",
                "authors",
            ],
            Convention::Hugo => &[
                "linkTitle",
                "slug",
                "url",
                "layout",
                "type",
                "keywords",
                "menu",
                "menus",
                "categories",
                "lastmod",
                "publishDate",
                "expiryDate",
                "headless",
                "toc",
                "params",
                "build",
                "cascade",
                "outputs",
                "sitemap",
                "markup",
                "translationKey",
                "images",
                "series",
                "resources",
                "isCJKLanguage",
                "show_on_list_page",
                "action",
                "related_functions",
                "signatures",
            ],
        }
    }
}

/// The conventions a site reads.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct Conventions(BTreeSet<Convention>);

impl Conventions {
    /// Exactly these conventions.
    pub fn of(list: impl IntoIterator<Item = Convention>) -> Self {
        Conventions(list.into_iter().collect())
    }

    /// Whether `c` is read.
    pub fn has(&self, c: Convention) -> bool {
        self.0.contains(&c)
    }

    /// Whether a tool other than dossier (GFM aside, which any markdown
    /// is) wrote the collection.
    pub fn foreign(&self) -> bool {
        self.0.iter().any(|c| *c != Convention::Gfm)
    }

    /// The conventions read, in order.
    pub fn iter(&self) -> impl Iterator<Item = Convention> + '_ {
        self.0.iter().copied()
    }

    /// What the files of the project tell: `root` is the project root, and
    /// `content` the content folder (a vault or a book may be both). GFM is
    /// always read: its extensions mean nothing else in dossier's markdown.
    pub fn detect(root: &Path, content: &Path) -> Self {
        let mut found = BTreeSet::from([Convention::Gfm]);
        let either = |name: &str| root.join(name).exists() || content.join(name).exists();
        if either(".obsidian") {
            found.insert(Convention::Obsidian);
        }
        if either("book.toml") || content.join("SUMMARY.md").is_file() {
            found.insert(Convention::Mdbook);
        }
        // A Hugo or Zola project keeps its configuration above its content
        // folder (`content/`, or `content/en/` with one folder a language),
        // which is where a build from elsewhere must look for it.
        let above: Vec<&Path> = content.ancestors().skip(1).take(2).collect();
        let project = |name: &str| either(name) || above.iter().any(|d| d.join(name).is_file());
        let config_toml = [root, content]
            .into_iter()
            .chain(above.iter().copied())
            .filter_map(|d| std::fs::read_to_string(d.join("config.toml")).ok())
            .collect::<Vec<_>>();
        let top = |t: &toml::Table, keys: &[&str]| keys.iter().any(|k| t.contains_key(*k));
        for text in &config_toml {
            if let Ok(t) = toml::from_str::<toml::Table>(text) {
                if top(&t, &["baseURL", "languageCode", "theme", "params"]) {
                    found.insert(Convention::Hugo);
                }
                if top(
                    &t,
                    &["base_url", "compile_sass", "build_search_index", "markdown"],
                ) {
                    found.insert(Convention::Zola);
                }
            }
        }
        if project("hugo.toml") || project("hugo.yaml") {
            found.insert(Convention::Hugo);
        }
        if project("zola.toml") {
            found.insert(Convention::Zola);
        }
        if toml_front_matter_in(content) {
            found.insert(Convention::Zola);
        }
        Conventions(found)
    }
}

/// Whether a page at the top of the content folder, or the `_index.md` of
/// one of its folders, opens with `+++`, as Zola's pages do (reading only
/// the first bytes of each).
fn toml_front_matter_in(content: &Path) -> bool {
    use std::io::Read;
    let Ok(entries) = std::fs::read_dir(content) else {
        return false;
    };
    let mut pages: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter_map(|p| {
            if p.is_dir() {
                Some(p.join("_index.md")).filter(|i| i.is_file())
            } else {
                p.extension().is_some_and(|x| x == "md").then_some(p)
            }
        })
        .collect();
    pages.sort();
    pages.iter().any(|p| {
        let mut head = [0u8; 6];
        let n = std::fs::File::open(p)
            .and_then(|mut f| f.read(&mut head))
            .unwrap_or(0);
        let head = &head[..n];
        let head = head.strip_prefix("\u{feff}".as_bytes()).unwrap_or(head);
        head.starts_with(b"+++")
    })
}

/// Everything the build needs to know from the configuration, with the
/// defaults filled in and the command line applied.
#[derive(Debug, Clone, PartialEq)]
pub struct Settings {
    /// The site's title, when set (otherwise the home page's).
    pub title: Option<String>,
    /// The `<html lang>` of every page.
    pub language: String,
    /// How unknown front matter keys are reported.
    pub unknown_keys: UnknownKeys,
    /// How links to nothing are reported.
    pub broken_links: BrokenLinks,
    /// The conventions read.
    pub conventions: Conventions,
    /// Whether acronyms used but not defined are reported (`None`: only
    /// when the site defines an acronym).
    pub acronym_warnings: Option<bool>,
    /// The "Edit this page" URL, `{path}` standing for the page's path.
    pub edit_url: Option<String>,
    /// Whether pages with `draft: true` are built.
    pub drafts: bool,
    /// Kinds of warning not reported.
    pub silence: Vec<Code>,
}

impl Default for Settings {
    /// A site without `dossier.toml` that reads no other tool's conventions.
    fn default() -> Self {
        Settings::from_config(&Config::default(), Conventions::of([Convention::Gfm]))
    }
}

impl Settings {
    /// The settings `config` gives, with `detected` as the conventions
    /// when it names none. Links to nothing are errors, except in a
    /// collection written for another tool, whose first build should show
    /// all that dossier did not understand rather than stop at it.
    pub fn from_config(config: &Config, detected: Conventions) -> Self {
        let conventions = config.conventions.clone().map_or(detected, Conventions::of);
        let broken_links = config.broken_links.unwrap_or(if conventions.foreign() {
            BrokenLinks::Warn
        } else {
            BrokenLinks::Error
        });
        Settings {
            title: config.title.clone(),
            language: config.language.clone().unwrap_or_else(|| "en".into()),
            unknown_keys: config.unknown_keys.unwrap_or_default(),
            broken_links,
            conventions,
            acronym_warnings: config.acronym_warnings,
            edit_url: config.edit_url.clone(),
            drafts: false,
            silence: config
                .silence
                .iter()
                .flatten()
                .filter_map(|name| Code::from_name(name))
                .collect(),
        }
    }

    /// The "Edit this page" address of the page at `rel` (its path under
    /// the content folder).
    pub fn edit_url_for(&self, rel: &str) -> Option<String> {
        self.edit_url.as_ref().map(|u| u.replace("{path}", rel))
    }

    /// Whether an unknown front matter key `key` is reported at all: not
    /// when allowed, nor when a convention read defines it.
    pub fn reports_key(&self, key: &str) -> bool {
        self.unknown_keys != UnknownKeys::Allow
            && !self.conventions.iter().any(|c| {
                // Hugo reads its keys whatever their case (`linktitle`).
                c.front_matter_keys()
                    .iter()
                    .any(|k| k.eq_ignore_ascii_case(key))
            })
    }

    /// Sets the level of the problems the configuration decides: links to
    /// nothing as `broken_links` says, acronyms used but not defined
    /// dropped when not wanted (`site_has_acronyms`: the site defines one),
    /// and the warnings of a kind `silence` names dropped.
    pub fn apply_levels(&self, diags: &mut Diagnostics, site_has_acronyms: bool) {
        let acronyms = self.acronym_warnings.unwrap_or(site_has_acronyms);
        diags.retain_map(|mut d| {
            if !acronyms && is_undefined_acronym(&d) {
                return None;
            }
            if self.broken_links == BrokenLinks::Warn && is_broken_link(&d) {
                d.level = Level::Warning;
            }
            let silenced = d.level == Level::Warning && self.silence.contains(&d.code);
            (!silenced).then_some(d)
        });
    }
}

/// Whether `d` says a link or an embed leads nowhere (a missing page,
/// anchor, heading or block, or a scheme the site does not let through);
/// an embed cycle and a script URL are not.
fn is_broken_link(d: &Diagnostic) -> bool {
    matches!(d.code, Code::BrokenLink | Code::EmbedTarget | Code::Scheme)
}

/// The unknown front matter keys of every page, at the level `settings`
/// asks for (nothing when allowed, or for keys a convention read defines).
pub fn unknown_keys(pages: &[crate::content::Page], settings: &Settings) -> Diagnostics {
    let mut diags = Diagnostics::new();
    for p in pages {
        for u in p
            .unknown_keys
            .iter()
            .filter(|u| settings.reports_key(&u.key))
        {
            let d = match settings.unknown_keys {
                UnknownKeys::Error => Diagnostic::error(&p.source, u.line, u.col, u.message()),
                _ => Diagnostic::warning(&p.source, u.line, u.col, u.message()),
            };
            diags.push(
                d.with_hint(u.hint())
                    .with_code(Code::UnknownKey)
                    .with_subject(u.key.clone()),
            );
        }
    }
    diags
}

fn is_undefined_acronym(d: &Diagnostic) -> bool {
    d.level == Level::Warning && d.code == Code::UndefinedAcronym
}

/// Reads `dossier.toml` in `root`: the default configuration when there is
/// none, every problem of the file when it is wrong.
pub fn load(root: &Path) -> Result<Config, Diagnostics> {
    let path = root.join(FILE);
    let text = match std::fs::read_to_string(&path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Config::default()),
        Err(e) => {
            return Err(Diagnostic::error(&path, 0, 0, format!("cannot read: {e}")).into());
        }
    };
    let shown = Path::new(FILE);
    parse(&text).map_err(|problems| {
        let mut diags = Diagnostics::new();
        for (line, col, message, hint) in problems {
            let d = Diagnostic::error(shown, line, col, message);
            diags.push(match hint {
                Some(h) => d.with_hint(h),
                None => d,
            });
        }
        diags
    })
}

/// A problem of the file: line, column, message, hint.
type Problem = (usize, usize, String, Option<String>);

/// Parses the text of `dossier.toml`.
pub fn parse(text: &str) -> Result<Config, Vec<Problem>> {
    let at = |e: &toml::de::Error| e.span().map_or((1, 0), |s| line_col(text, s.start));
    let table: toml::Table = toml::from_str(text).map_err(|e| {
        let (line, col) = at(&e);
        vec![(
            line,
            col,
            format!("dossier.toml: {}", e.message().trim()),
            None,
        )]
    })?;
    let mut unknown: Vec<Problem> = table
        .keys()
        .filter(|k| !KEYS.contains(&k.as_str()))
        .map(|k| {
            let (line, col) = crate::content::toml::key_position(text, k).unwrap_or((1, 0));
            let hint = match nearest(k, KEYS) {
                Some(near) => format!("did you mean `{near}`?"),
                None => format!("the keys are: {}", KEYS.join(", ")),
            };
            (
                line,
                col,
                format!("dossier.toml: unknown key `{k}`"),
                Some(hint),
            )
        })
        .collect();
    if !unknown.is_empty() {
        unknown.sort_by_key(|p| (p.0, p.1));
        return Err(unknown);
    }
    let config: Config = toml::from_str(text).map_err(|e| {
        let (line, col) = at(&e);
        vec![(
            line,
            col,
            format!("dossier.toml: {}", e.message().trim()),
            value_hint(&e),
        )]
    })?;
    if let Some(wrong) = config
        .silence
        .iter()
        .flatten()
        .find(|n| Code::from_name(n).is_none())
    {
        let (line, col) = crate::content::toml::key_position(text, "silence").unwrap_or((1, 0));
        let names: Vec<&str> = crate::diag::Code::ALL.iter().map(|c| c.name()).collect();
        let hint = match nearest(wrong, names.iter().copied()) {
            Some(near) => format!("did you mean \"{near}\"?"),
            None => format!("the kinds are: {}", names.join(", ")),
        };
        return Err(vec![(
            line,
            col,
            format!("dossier.toml: `silence` names no kind of warning \"{wrong}\""),
            Some(hint),
        )]);
    }
    if let Some(url) = &config.edit_url {
        if !(url.starts_with("https://") || url.starts_with("http://")) || !url.contains("{path}") {
            let (line, col) =
                crate::content::toml::key_position(text, "edit_url").unwrap_or((1, 0));
            return Err(vec![(
                line,
                col,
                "dossier.toml: `edit_url` must be an http(s) address with `{path}` in it".into(),
                Some(
                    "e.g. edit_url = \"https://github.com/you/site/edit/main/content/{path}\""
                        .into(),
                ),
            )]);
        }
    }
    Ok(config)
}

/// How to write the value a key was given wrongly.
fn value_hint(e: &toml::de::Error) -> Option<String> {
    let m = e.message();
    let hint = if m.contains("`error`, `warn`, `allow`") {
        "unknown_keys is one of: \"error\", \"warn\", \"allow\""
    } else if m.contains("`error` or `warn`") {
        "broken_links is one of: \"error\", \"warn\""
    } else if m.contains("`obsidian`") {
        "conventions is a list of: \"obsidian\", \"mdbook\", \"gfm\", \"zola\", \"hugo\""
    } else if m.contains("expected a boolean") {
        "write true or false without quotes"
    } else {
        return None;
    };
    Some(hint.into())
}

/// How the markdown step reads a site written for GitHub or mdBook, where
/// dossier alone would give the same text another meaning. Syntax with a
/// marker plain CommonMark never means otherwise (callouts, task lists,
/// `%%comments%%`) is always read.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Dialect {
    /// Headings also answer to the ids GitHub gives them
    /// (`Smileys & Emotion` → `smileys--emotion`), so that `#anchor` links
    /// written for GitHub (or mdBook, which makes the same ids) still land.
    pub github_ids: bool,
}

impl Dialect {
    /// The conventions a collection of pages (their paths under the content
    /// folder) shows it follows: a `README.md` at the top is how GitHub and
    /// mdBook collections open.
    pub fn detect<'a>(rels: impl IntoIterator<Item = &'a str>) -> Self {
        Dialect {
            github_ids: rels
                .into_iter()
                .any(|rel| rel.eq_ignore_ascii_case("README.md")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_key_reads_and_defaults_apply() {
        let c = parse(
            "title = \"T\"\nbase_url = \"https://e.org/\"\nlanguage = \"fr\"\n\
             content = \"src\"\ntemplates = \"t\"\noutput = \"public\"\n\
             unknown_keys = \"error\"\nbroken_links = \"warn\"\n\
             conventions = [\"obsidian\", \"gfm\"]\nacronym_warnings = false\n\
             edit_url = \"https://git.example/edit/{path}\"\n",
        )
        .unwrap();
        assert_eq!(c.content.as_deref(), Some(Path::new("src")));
        let s = Settings::from_config(&c, Conventions::default());
        assert_eq!(s.language, "fr");
        assert_eq!(s.unknown_keys, UnknownKeys::Error);
        assert_eq!(s.broken_links, BrokenLinks::Warn);
        assert!(s.conventions.has(Convention::Obsidian) && !s.conventions.has(Convention::Zola));
        assert_eq!(
            s.edit_url_for("a/b.md").as_deref(),
            Some("https://git.example/edit/a/b.md")
        );
        let d = Settings::from_config(&parse("").unwrap(), Conventions::of([Convention::Gfm]));
        assert_eq!(d.unknown_keys, UnknownKeys::Warn);
        assert_eq!(d.broken_links, BrokenLinks::Error);
        assert_eq!(d.language, "en");
        let zola = Settings::from_config(&Config::default(), Conventions::of([Convention::Zola]));
        assert_eq!(zola.broken_links, BrokenLinks::Warn, "a foreign collection");
    }

    #[test]
    fn every_unknown_key_is_reported_at_its_line_with_a_hint() {
        let e = parse("title = \"T\"\ntitel = \"U\"\n\nbroken_link = \"warn\"\ncolour = 1\n")
            .unwrap_err();
        assert_eq!(e.len(), 3, "{e:?}");
        assert_eq!((e[0].0, e[0].1), (2, 1));
        assert_eq!(e[0].2, "dossier.toml: unknown key `titel`");
        assert_eq!(e[0].3.as_deref(), Some("did you mean `title`?"));
        assert_eq!(
            (e[1].0, e[1].3.as_deref()),
            (4, Some("did you mean `broken_links`?"))
        );
        assert!(e[2]
            .3
            .as_deref()
            .unwrap()
            .starts_with("the keys are: title, base_url"));
    }

    #[test]
    fn a_wrong_value_is_reported_at_its_line() {
        let e = parse("title = \"T\"\nunknown_keys = \"fatal\"\n").unwrap_err();
        assert_eq!(e[0].0, 2, "{e:?}");
        assert!(e[0].2.contains("unknown variant `fatal`"), "{e:?}");
        assert_eq!(
            e[0].3.as_deref(),
            Some("unknown_keys is one of: \"error\", \"warn\", \"allow\"")
        );
        let e = parse("\nacronym_warnings = \"no\"\n").unwrap_err();
        assert_eq!(e[0].0, 2, "{e:?}");
        let e = parse("edit_url = \"https://x.org/edit\"\n").unwrap_err();
        assert!(e[0].2.contains("{path}"), "{e:?}");
        let e = parse("edit_url = \"javascript:alert(1)//{path}\"\n").unwrap_err();
        assert_eq!(e[0].0, 1);
    }

    #[test]
    fn a_syntax_error_names_its_line() {
        let e = parse("title = \"T\"\nlanguage = \n").unwrap_err();
        assert_eq!(e[0].0, 2, "{e:?}");
        assert!(e[0].2.starts_with("dossier.toml: "), "{e:?}");
    }

    #[test]
    fn conventions_are_detected_from_files() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        let content = root.join("content");
        std::fs::create_dir_all(content.join(".obsidian")).unwrap();
        let c = Conventions::detect(root, &content);
        assert!(c.has(Convention::Obsidian) && c.has(Convention::Gfm));
        assert!(!c.has(Convention::Mdbook) && !c.has(Convention::Zola));
        std::fs::write(content.join("SUMMARY.md"), "# Summary\n").unwrap();
        std::fs::create_dir_all(content.join("docs")).unwrap();
        std::fs::write(content.join("docs/_index.md"), "+++\ntitle = \"A\"\n+++\n").unwrap();
        std::fs::write(root.join("config.toml"), "baseURL = \"https://x/\"\n").unwrap();
        let c = Conventions::detect(root, &content);
        for conv in Convention::ALL {
            assert!(c.has(conv), "{conv:?}");
        }
        let plain = tempfile::tempdir().unwrap();
        assert!(!Conventions::detect(plain.path(), plain.path()).foreign());
    }

    #[test]
    fn hugo_keys_are_known_whatever_their_case() {
        let s = Settings::from_config(&Config::default(), Conventions::of([Convention::Hugo]));
        assert!(!s.reports_key("linktitle") && !s.reports_key("publishdate"));
        assert!(s.reports_key("godocref"));
    }

    #[test]
    fn a_hugo_project_is_found_above_its_language_content_folder() {
        let dir = tempfile::tempdir().unwrap();
        let content = dir.path().join("project/content/en");
        std::fs::create_dir_all(&content).unwrap();
        let elsewhere = tempfile::tempdir().unwrap();
        assert!(!Conventions::detect(elsewhere.path(), &content).has(Convention::Hugo));
        std::fs::write(dir.path().join("project/hugo.toml"), "title = \"H\"\n").unwrap();
        assert!(Conventions::detect(elsewhere.path(), &content).has(Convention::Hugo));
        let zola = dir.path().join("site/content");
        std::fs::create_dir_all(&zola).unwrap();
        std::fs::write(dir.path().join("site/zola.toml"), "base_url = \"/\"\n").unwrap();
        assert!(Conventions::detect(elsewhere.path(), &zola).has(Convention::Zola));
    }

    #[test]
    fn levels_follow_the_settings() {
        let mut diags = Diagnostics::new();
        diags.push(
            Diagnostic::error("a.md", 1, 1, "broken link 'b.md': no such page")
                .with_code(Code::BrokenLink),
        );
        diags.push(
            Diagnostic::error("a.md", 3, 1, "embed: no block '^x' in b.md")
                .with_code(Code::EmbedTarget),
        );
        diags.push(
            Diagnostic::error("a.md", 4, 1, "embed cycle: a.md → a.md").with_code(Code::EmbedCycle),
        );
        diags.push(
            Diagnostic::warning("a.md", 2, 1, "acronym 'API' is used but not defined")
                .with_code(Code::UndefinedAcronym),
        );
        let mut strict = diags.clone();
        Settings::default().apply_levels(&mut strict, true);
        assert_eq!(strict, diags);
        let lenient = Settings {
            broken_links: BrokenLinks::Warn,
            ..Settings::default()
        };
        lenient.apply_levels(&mut diags, false);
        let all: Vec<_> = diags.iter().collect();
        assert_eq!(
            all.len(),
            3,
            "no acronym warnings on a site without acronyms"
        );
        let levels: Vec<_> = all.iter().map(|d| (d.line, d.level)).collect();
        assert!(levels.contains(&(1, Level::Warning)), "{levels:?}");
        assert!(levels.contains(&(3, Level::Warning)), "{levels:?}");
        assert!(
            levels.contains(&(4, Level::Error)),
            "a cycle stays an error: {levels:?}"
        );
    }

    #[test]
    fn a_readme_at_the_top_means_github_ids() {
        assert!(Dialect::detect(["a.md", "README.md"]).github_ids);
        assert!(!Dialect::detect(["a.md", "sub/README.md"]).github_ids);
        assert!(!Dialect::detect(["_index.md", "chapters/a.md"]).github_ids);
    }
}

//! Tera templates: the defaults compiled into the binary, overridden file by
//! file from the project's `templates/` folder, and the rendering of pages,
//! kind indexes and the 404 page with them.
//!
//! Autoescape is on for every `.html` template; only the page body, which the
//! markdown step has already escaped, is marked safe. Template errors name the
//! template file and line.

pub mod backlinks;
pub mod indexes;
pub mod map;
pub mod pages;
pub mod print;
pub mod tree;
pub mod wayfinding;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Serialize;
use tera::{Context, ErrorKind, Tera};
use walkdir::WalkDir;

use crate::diag::{Diagnostic, Diagnostics};

/// A template or static file shipped inside the binary.
struct Embedded {
    name: &'static str,
    text: &'static str,
}

macro_rules! embed {
    ($($name:literal),* $(,)?) => {
        &[$(Embedded { name: $name, text: include_str!(concat!("../../templates/", $name)) }),*]
    };
}

/// The default templates (the files of the repository's `templates/`).
const DEFAULT_TEMPLATES: &[Embedded] = embed!(
    "base.html",
    "sitenav.html",
    "page.html",
    "chapter.html",
    "acronym.html",
    "home.html",
    "list.html",
    "404.html",
    "graph.html",
    "print.html",
    "search.html",
);

/// The default static files, copied under `static/` in the site.
const DEFAULT_STATIC: &[Embedded] = embed!("static/style.css", "static/dossier.js");

/// Loaded templates plus the static files to copy.
pub struct Templates {
    tera: Tera,
    /// Where each template came from, for error messages.
    origin: BTreeMap<String, (PathBuf, String)>,
    /// Static files: path under the site → bytes.
    pub statics: BTreeMap<String, Vec<u8>>,
    /// Which forms of a page's backlinks the templates read.
    pub backlinks: BacklinkUse,
}

/// Which forms of a page's backlinks some template names. Both cost time
/// to make for every page (the acronym pages of a large site list tens of
/// thousands of backlinks), so each is made only if a template can read it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BacklinkUse {
    /// `page.backlinks`, the groups as template values.
    pub list: bool,
    /// `page.backlinks_html`, the same lists written out by the build.
    pub html: bool,
}

impl BacklinkUse {
    /// What the templates with these sources name.
    fn of<'s>(sources: impl Iterator<Item = &'s str> + Clone) -> Self {
        BacklinkUse {
            list: sources.clone().any(|s| names_in_tags(s, "backlinks")),
            html: sources.clone().any(|s| names_in_tags(s, "backlinks_html")),
        }
    }
}

/// Whether `word` occurs as a whole word (not part of a longer name) inside
/// a tag of the template `src` (`{{ … }}`, `{% … %}`), where it can only
/// be a name or a string (`page["backlinks"]`), not text of the page. Tags
/// end at their closing delimiter outside quotes. It may say yes for a
/// word that is not read (in a comment of a tag, in a `raw` block), which
/// only costs the time to make the value.
fn names_in_tags(src: &str, word: &str) -> bool {
    let bytes = src.as_bytes();
    let mut i = 0;
    while let Some(at) = memchr::memchr(b'{', &bytes[i..]) {
        let start = i + at + 1;
        let close = match bytes.get(start) {
            Some(b'{') => b'}',
            Some(b'%') => b'%',
            _ => {
                i = start;
                continue;
            }
        };
        let mut end = start + 1;
        let mut quote = None;
        while end < bytes.len() {
            let b = bytes[end];
            match quote {
                Some(q) if b == q => quote = None,
                Some(_) => {}
                None if matches!(b, b'"' | b'\'' | b'`') => quote = Some(b),
                None if b == close && bytes.get(end + 1) == Some(&b'}') => break,
                None => {}
            }
            end += 1;
        }
        if has_word(&src[start + 1..end], word) {
            return true;
        }
        i = end;
    }
    false
}

/// Whether `word` is in `text` with no letter, digit or `_` next to it.
fn has_word(text: &str, word: &str) -> bool {
    let name = |b: &u8| b.is_ascii_alphanumeric() || *b == b'_';
    text.match_indices(word).any(|(at, _)| {
        !text.as_bytes()[..at].last().is_some_and(name)
            && !text.as_bytes().get(at + word.len()).is_some_and(name)
    })
}

impl std::fmt::Debug for Templates {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Templates")
            .field("templates", &self.origin.keys())
            .finish()
    }
}

/// Loads the embedded defaults, then every file of `dir` (if it exists) over
/// them: `*.html`/`*.xml` as templates, `static/**` as static files.
pub fn load(dir: &Path) -> Result<Templates, Diagnostics> {
    let mut diags = Diagnostics::new();
    let mut origin: BTreeMap<String, (PathBuf, String)> = DEFAULT_TEMPLATES
        .iter()
        .map(|e| {
            (
                e.name.to_string(),
                (
                    PathBuf::from(format!("<built-in>/{}", e.name)),
                    e.text.to_string(),
                ),
            )
        })
        .collect();
    let mut statics: BTreeMap<String, Vec<u8>> = DEFAULT_STATIC
        .iter()
        .map(|e| (e.name.to_string(), e.text.as_bytes().to_vec()))
        .collect();
    if dir.is_dir() {
        let walker = WalkDir::new(dir)
            .follow_links(true)
            .sort_by_file_name()
            .into_iter()
            .filter_entry(|e| e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.'));
        for entry in walker {
            let entry = match entry {
                Ok(e) => e,
                Err(e) => {
                    let path = e
                        .path()
                        .map_or_else(|| dir.to_path_buf(), Path::to_path_buf);
                    diags.push(Diagnostic::error(path, 0, 0, format!("cannot read: {e}")));
                    continue;
                }
            };
            if !entry.file_type().is_file() {
                continue;
            }
            let path = entry.path();
            let Ok(rel) = path.strip_prefix(dir) else {
                continue;
            };
            let rel = rel
                .components()
                .map(|c| c.as_os_str().to_string_lossy())
                .collect::<Vec<_>>()
                .join("/");
            let bytes = match std::fs::read(path) {
                Ok(b) => b,
                Err(e) => {
                    diags.push(Diagnostic::error(path, 0, 0, format!("cannot read: {e}")));
                    continue;
                }
            };
            if rel.starts_with("static/") {
                statics.insert(rel, bytes);
            } else if rel.ends_with(".html") || rel.ends_with(".xml") {
                match String::from_utf8(bytes) {
                    Ok(text) => {
                        origin.insert(rel, (path.to_path_buf(), text));
                    }
                    Err(_) => {
                        diags.push(Diagnostic::error(path, 0, 0, "template is not valid UTF-8"))
                    }
                }
            }
        }
    }
    if diags.has_errors() {
        return Err(diags);
    }
    let mut tera = Tera::new();
    tera.autoescape_on([".html", ".xml"]);
    // Tera's own `safe` copies the string it marks, and every page passes
    // its whole body through it: the same result, the string shared.
    tera.register_filter("safe", safe);
    tera.global_context().extend(pages::blank_values());
    let sources: Vec<(&str, &str)> = origin
        .iter()
        .map(|(n, (_, t))| (n.as_str(), t.as_str()))
        .collect();
    if let Err(e) = tera.add_raw_templates(sources) {
        return Err(template_errors(&origin, None, &e).into_iter().collect());
    }
    let backlinks = BacklinkUse::of(origin.values().map(|(_, t)| t.as_str()));
    Ok(Templates {
        tera,
        origin,
        statics,
        backlinks,
    })
}

/// The `safe` filter: the value marked as not to be escaped, a string as it
/// is (no copy), anything else written out first, as Tera's own filter does.
fn safe(val: tera::Value, _: tera::Kwargs, _: &tera::State) -> tera::Value {
    if val.is_string() {
        val.mark_safe()
    } else {
        tera::Value::safe_string(&val.to_string())
    }
}

/// Values that could not be made for template `name`.
fn context_error(name: &str, e: &tera::Error) -> Diagnostic {
    Diagnostic::error(
        format!("<built-in>/{name}"),
        0,
        0,
        format!("template context: {e}"),
    )
}

/// The file a template came from (its name when dossier does not know it).
fn template_path(origin: &BTreeMap<String, (PathBuf, String)>, name: &str) -> PathBuf {
    origin
        .get(name)
        .map_or_else(|| PathBuf::from(name), |(p, _)| p.clone())
}

/// Turns a Tera error into diagnostics naming the template file and line.
fn template_errors(
    origin: &BTreeMap<String, (PathBuf, String)>,
    rendering: Option<&str>,
    e: &tera::Error,
) -> Vec<Diagnostic> {
    let path_of = |name: &str| template_path(origin, name);
    // Find the line where a template names another one, for errors without a span.
    let line_naming = |in_tpl: &str, named: &str| -> usize {
        origin.get(in_tpl).map_or(0, |(_, src)| {
            src.lines()
                .position(|l| {
                    l.contains(&format!("\"{named}\"")) || l.contains(&format!("'{named}'"))
                })
                .map_or(0, |i| i + 1)
        })
    };
    // Templates that `verb` (include, extend) each other in the loop `names`.
    let loop_error = |tpl: &str, names: &[&str], verb: &str| {
        let (closer, again) = match names {
            [.., closer, again] => (*closer, *again),
            _ => (tpl, tpl),
        };
        Diagnostic::error(
            path_of(closer),
            line_naming(closer, again),
            0,
            format!(
                "templates {verb} each other in a loop: {}",
                names.join(" → ")
            ),
        )
        .with_hint(if closer == again {
            format!("{closer} must not {verb} itself")
        } else {
            format!("{closer} must not {verb} {again}, which {verb}s it")
        })
    };
    vec![match e.kind() {
        ErrorKind::SyntaxError(r) | ErrorKind::RenderingError(r) => {
            let span = r.span();
            let name = if r.filename().is_empty() {
                rendering.unwrap_or("?")
            } else {
                r.filename()
            };
            let what = if matches!(e.kind(), ErrorKind::SyntaxError(_)) {
                "template syntax error"
            } else {
                "template error"
            };
            Diagnostic::error(
                path_of(name),
                span.start_line,
                span.start_col + 1,
                format!("{what}: {}", r.message()),
            )
        }
        ErrorKind::MissingParent { current, parent } => Diagnostic::error(
            path_of(current),
            line_naming(current, parent),
            0,
            format!("template extends '{parent}', which does not exist"),
        )
        .with_hint(format!("add templates/{parent} or fix the name")),
        ErrorKind::TemplateNotFound(name) => {
            let within = rendering.unwrap_or("?");
            let in_tpl = origin
                .iter()
                .find(|(_, (_, src))| {
                    src.contains(&format!("\"{name}\"")) || src.contains(&format!("'{name}'"))
                })
                .map_or(within, |(n, _)| n.as_str());
            Diagnostic::error(
                path_of(in_tpl),
                line_naming(in_tpl, name),
                0,
                format!("missing template '{name}'"),
            )
            .with_hint(format!("add templates/{name} or fix the name"))
        }
        // Each chain ends with the template met twice; the one before it
        // closes the loop, on its `include` or `extends` line.
        ErrorKind::CircularInclude { tpl, include_chain } => {
            let names: Vec<&str> = include_chain.iter().map(String::as_str).collect();
            loop_error(tpl, &names, "include")
        }
        ErrorKind::CircularExtend {
            tpl,
            inheritance_chain,
        } => {
            // This chain starts at `tpl`'s parent.
            let names: Vec<&str> = std::iter::once(tpl.as_str())
                .chain(inheritance_chain.iter().map(String::as_str))
                .collect();
            loop_error(tpl, &names, "extend")
        }
        ErrorKind::Msg(m) => return message_errors(origin, rendering, m),
        _ => Diagnostic::error(
            path_of(rendering.unwrap_or("?")),
            0,
            0,
            format!("template error: {}", first_line(&e.to_string())),
        ),
    }]
}

/// Tera's errors that come as text only: load-time errors (unknown
/// template, filter or block) pre-formatted as "error: MSG\n --> name:line:col",
/// and its limit on components that call each other.
fn message_errors(
    origin: &BTreeMap<String, (PathBuf, String)>,
    rendering: Option<&str>,
    m: &str,
) -> Vec<Diagnostic> {
    let path_of = |name: &str| template_path(origin, name);
    // Tera reports some load-time errors (unknown template, filter or
    // block) as pre-formatted text: "error: MSG\n --> name:line:col".
    let mut found = parse_reports(m).into_iter().map(|(name, line, col, message)| {
        let d = Diagnostic::error(path_of(&name), line, col, format!("template error: {message}"));
        if message.starts_with("Block ")
            && origin.get(&name).is_none_or(|(p, _)| p.starts_with("<built-in>"))
        {
            d.with_hint(format!(
                "the built-in {name} extends a template you override; keep that template's blocks, or override {name} too"
            ))
        } else {
            d
        }
    });
    let all: Vec<Diagnostic> = found.by_ref().collect();
    if !all.is_empty() {
        return all;
    }
    if m.starts_with("Maximum render recursion depth for components") {
        // Tera's own limit (MAX_COMPONENT_RECURSION_DEPTH), not ours.
        const STOP: &str = "(Tera stops at 20 levels)";
        let hint = "give the component a condition under which it stops calling itself";
        return vec![match self_calling_component(origin) {
            Some((tpl, line, component)) => Diagnostic::error(
                path_of(tpl),
                line,
                0,
                format!("template error: component `{component}` calls itself without end {STOP}"),
            ),
            None => Diagnostic::error(
                path_of(rendering.unwrap_or("?")),
                0,
                0,
                format!("template error: components call each other without end {STOP}"),
            ),
        }
        .with_hint(hint)];
    }
    vec![Diagnostic::error(
        path_of(rendering.unwrap_or("?")),
        0,
        0,
        format!("template error: {}", first_line(m)),
    )]
}

/// The first component, in template name order, whose body renders the
/// component itself: the template, the line that defines it, its name.
fn self_calling_component(
    origin: &BTreeMap<String, (PathBuf, String)>,
) -> Option<(&str, usize, &str)> {
    origin.iter().find_map(|(tpl, (_, src))| {
        let mut rest = src.as_str();
        while let Some(at) = rest.find("component ") {
            let before = &src[..src.len() - rest.len() + at];
            rest = &rest[at + "component ".len()..];
            if !before.trim_end_matches(['-', ' ']).ends_with("{%") {
                continue;
            }
            let name_len = rest
                .find(|c: char| !(c.is_alphanumeric() || c == '_'))
                .unwrap_or(rest.len());
            let name = &rest[..name_len];
            let body = rest.split("endcomponent").next().unwrap_or(rest);
            let calls = |after: &str| body.contains(&format!("<{name}{after}"));
            if !name.is_empty() && (calls(" ") || calls("/")) {
                let (line, _) = crate::diag::line_col(src, before.len());
                return Some((tpl.as_str(), line, name));
            }
        }
        None
    })
}

fn first_line(s: &str) -> &str {
    let l = s.lines().next().unwrap_or("");
    l.strip_prefix("error: ").unwrap_or(l)
}

/// Every `error: MSG` / ` --> name:line:col` pair of a Tera report text.
fn parse_reports(text: &str) -> Vec<(String, usize, usize, String)> {
    let mut out = Vec::new();
    let mut message: Option<&str> = None;
    for line in text.lines() {
        if let Some(m) = line.strip_prefix("error: ") {
            message = Some(m);
        } else if let (Some(m), Some(loc)) = (message, line.trim_start().strip_prefix("--> ")) {
            let mut parts = loc.rsplitn(3, ':');
            let col = parts.next().and_then(|c| c.parse().ok()).unwrap_or(0);
            let line_no = parts.next().and_then(|l| l.parse().ok()).unwrap_or(0);
            let name = parts.next().unwrap_or("?").to_string();
            out.push((name, line_no, col, m.to_string()));
            message = None;
        }
    }
    out
}

impl Templates {
    /// A hash of every template's source: rendered pages are reused only
    /// while it is unchanged.
    pub fn fingerprint(&self) -> u64 {
        use std::hash::{Hash, Hasher};
        let mut h = std::hash::DefaultHasher::new();
        self.origin.hash(&mut h);
        h.finish()
    }

    /// How many templates are loaded (built-in and overrides).
    pub fn count(&self) -> usize {
        self.origin.len()
    }

    /// Whether a template of that name exists (embedded or overridden).
    pub fn has(&self, name: &str) -> bool {
        self.origin.contains_key(name)
    }

    /// Renders template `name` with `ctx` (any serialisable value whose fields
    /// become top-level variables).
    pub fn render<T: Serialize>(&self, name: &str, ctx: &T) -> Result<String, Diagnostic> {
        let context = self.context(name, ctx)?;
        self.tera
            .render(name, &context)
            .map_err(|e| self.error(name, &e))
    }

    /// Renders template `name` with `values` as bytes, into a buffer of
    /// `capacity` bytes to start with: a page's HTML goes to its file as it
    /// is, so it need not be checked to be text, and a good guess spares
    /// regrowing it.
    pub fn render_bytes(
        &self,
        name: &str,
        values: Result<Context, tera::Error>,
        capacity: usize,
    ) -> Result<Vec<u8>, Diagnostic> {
        let context = values.map_err(|e| context_error(name, &e))?;
        let mut out = Vec::with_capacity(capacity);
        self.tera
            .render_to(name, &context, &mut out)
            .map_err(|e| self.error(name, &e))?;
        Ok(out)
    }

    fn context<T: Serialize>(&self, name: &str, ctx: &T) -> Result<Context, Diagnostic> {
        Context::from_serialize(ctx).map_err(|e| context_error(name, &e))
    }

    fn error(&self, name: &str, e: &tera::Error) -> Diagnostic {
        template_errors(&self.origin, Some(name), e)
            .into_iter()
            .next()
            .expect("every Tera error maps to at least one diagnostic")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::links::SharedText;

    #[test]
    fn components_that_call_each_other_are_reported_without_a_place() {
        let src = "{% component a() %}{{ <b /> }}{% endcomponent a %}\n\
                   {% component b() %}{{ <a /> }}{% endcomponent b %}\n{{ <a /> }}";
        let mut tera = Tera::new();
        tera.add_raw_template("t.html", src).unwrap();
        let e = tera.render("t.html", &tera::Context::new()).unwrap_err();
        let origin = BTreeMap::from([(
            "t.html".to_string(),
            (PathBuf::from("templates/t.html"), src.to_string()),
        )]);
        let d = template_errors(&origin, Some("t.html"), &e);
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].path, PathBuf::from("templates/t.html"));
        assert_eq!(
            d[0].message,
            "template error: components call each other without end (Tera stops at 20 levels)"
        );
    }

    #[test]
    fn a_component_that_calls_itself_is_found_where_it_is_defined() {
        let origin = |src: &str| {
            BTreeMap::from([
                (
                    "a.html".to_string(),
                    (
                        PathBuf::new(),
                        "{% component ok() %}x{% endcomponent ok %}".to_string(),
                    ),
                ),
                ("b.html".to_string(), (PathBuf::new(), src.to_string())),
            ])
        };
        let found = |src: &str| {
            self_calling_component(&origin(src)).map(|(t, l, c)| (t.to_string(), l, c.to_string()))
        };
        let at = |line| Some(("b.html".to_string(), line, "f".to_string()));
        assert_eq!(
            found("\n{% component f(n: integer) %}{{ <f n={n} /> }}{% endcomponent f %}"),
            at(2)
        );
        assert_eq!(
            found("\n\n{%- component f() -%}{{ <f/> }}{% endcomponent f %}"),
            at(3)
        );
        // Calling another component, or itself only after its end, is no loop.
        let fine = "{% component f() %}{{ <ok /> }}{% endcomponent f %}{{ <f /> }}";
        assert_eq!(found(fine), None);
        // `component` as a word in text starts nothing.
        assert_eq!(found("a component f <f />"), None);
    }

    #[test]
    fn the_safe_filter_writes_what_teras_own_writes() {
        let source = "{{ s | safe }}|{{ s }}|{{ n | safe }}|{{ a | safe }}|{{ m | safe }}|{{ t | safe }}|{{ long | safe }}";
        let render = |own: bool| {
            let mut tera = Tera::new();
            tera.autoescape_on([".html"]);
            if own {
                tera.register_filter("safe", safe);
                let blank = pages::blank_values();
                tera.global_context().extend(blank.clone());
            }
            tera.add_raw_template("t.html", source).unwrap();
            let mut ctx = Context::new();
            ctx.insert("s", "<b>a & b</b>");
            ctx.insert("long", &"<i>x</i> ".repeat(40));
            ctx.insert("n", &3.5);
            ctx.insert("a", &vec!["<x>", "y"]);
            ctx.insert("m", &BTreeMap::from([("k", "<v>")]));
            ctx.insert("t", &true);
            tera.render("t.html", &ctx).unwrap()
        };
        let ours = render(true);
        assert_eq!(ours, render(false));
        assert!(ours.starts_with("<b>a & b</b>|&lt;b&gt;"), "{ours}");
    }

    #[test]
    fn shared_text_reaches_a_template_as_the_value_it_holds() {
        #[derive(Serialize)]
        struct X {
            shared: SharedText,
            plain: &'static str,
        }
        let quote = "A <quote> & “more” than twenty-one bytes";
        let mut tera = Tera::new();
        tera.autoescape_on([".html"]);
        tera.add_raw_template("t.html", "{{ shared }}|{{ plain }}|{{ shared | length }}")
            .unwrap();
        let x = X {
            shared: quote.into(),
            plain: quote,
        };
        let out = tera
            .render("t.html", &Context::from_serialize(&x).unwrap())
            .unwrap();
        let (shared, rest) = out.split_once('|').unwrap();
        let (plain, len) = rest.split_once('|').unwrap();
        assert_eq!(shared, plain, "escaped like a plain string");
        assert!(shared.contains("&lt;quote&gt; &amp;"), "{shared}");
        assert_eq!(len, quote.chars().count().to_string());
        // Anywhere else it is the plain string, and compares and hashes as one.
        assert_eq!(
            serde_json::to_string(&x.shared).unwrap(),
            serde_json::to_string(quote).unwrap()
        );
        assert_eq!(&*x.shared, quote);
        assert_eq!(x.shared, SharedText::from(quote));
        let hash = |v: &dyn Fn(&mut std::hash::DefaultHasher)| {
            let mut h = std::hash::DefaultHasher::new();
            v(&mut h);
            std::hash::Hasher::finish(&h)
        };
        use std::hash::Hash;
        assert_eq!(hash(&|h| x.shared.hash(h)), hash(&|h| quote.hash(h)));
    }

    #[test]
    fn a_name_counts_inside_tags_only_and_as_a_whole_word() {
        let yes = [
            "{{ page.backlinks | length }}",
            "{% for g in page.backlinks %}{% endfor %}",
            "{%- if page[\"backlinks\"] -%}",
            "{{ \"}}\" ~ page.backlinks }}",
            "{% set b = page.backlinks %}",
        ];
        for src in yes {
            assert!(names_in_tags(src, "backlinks"), "{src}");
        }
        let no = [
            "<section class=\"backlinks\">",
            "{{ page.backlinks_html | safe }}",
            "{{ page.all_backlinks }}",
            "backlinks {{ page.title }} backlinks",
            "{ backlinks }",
            "{{ page.title",
        ];
        for src in no {
            assert!(!names_in_tags(src, "backlinks"), "{src}");
        }
        assert!(names_in_tags("{{ page.backlinks_html }}", "backlinks_html"));
    }

    #[test]
    fn the_built_in_templates_ask_only_for_the_written_backlinks() {
        let t = load(Path::new("/nonexistent")).unwrap();
        assert_eq!(
            t.backlinks,
            BacklinkUse {
                list: false,
                html: true
            }
        );
    }

    #[test]
    fn defaults_load_and_a_file_overrides_by_name() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("404.html"), "custom {{ x }}").unwrap();
        let t = load(dir.path()).unwrap();
        #[derive(Serialize)]
        struct X {
            x: &'static str,
        }
        assert_eq!(
            t.render("404.html", &X { x: "<b>" }).unwrap(),
            "custom &lt;b&gt;"
        );
        assert!(t.has("page.html"));
        assert!(t.statics.contains_key("static/style.css"));
    }

    #[test]
    fn syntax_errors_name_file_and_line() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("page.html"),
            "ok\nok\n{% if x %}\nnever closed\n",
        )
        .unwrap();
        let d = load(dir.path()).unwrap_err().sorted().remove(0);
        assert!(d.path.ends_with("page.html"), "{d}");
        assert!(d.line >= 3, "{d}");
        assert!(d.message.contains("template syntax error"), "{d}");
    }

    #[test]
    fn load_time_reports_name_file_and_line() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("404.html"), "a\n\n{{ x | shout }}\n").unwrap();
        let d = load(dir.path()).unwrap_err().sorted().remove(0);
        assert!(
            d.path.ends_with("404.html") && d.line == 3 && d.col == 8,
            "{d}"
        );
        assert_eq!(d.message, "template error: Unknown filter `shout`");
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("page.html"),
            "{% extends \"base.html\" %}{% block main %}x{% endblock main %}",
        )
        .unwrap();
        let d = load(dir.path()).unwrap_err().sorted().remove(0);
        assert_eq!(d.path, PathBuf::from("<built-in>/acronym.html"), "{d}");
        assert!(d.hint.unwrap().contains("override acronym.html too"));
    }

    #[test]
    fn missing_parent_names_the_line() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("page.html"),
            "\n{% extends \"nope.html\" %}\n",
        )
        .unwrap();
        let d = load(dir.path()).unwrap_err().sorted().remove(0);
        assert_eq!(d.line, 2, "{d}");
        assert!(d.message.contains("nope.html"), "{d}");
    }
}

//! Checking a built site as a reader's browser would meet it: every internal
//! URL names a file that exists, every `#fragment` names an id in that file,
//! no URL starts with `/` or names a folder, nothing is loaded from the
//! network and no URL runs script. URLs are taken from wherever a browser
//! takes them: `href`, `src`, `srcset`, `xlink:href`, form actions, a meta
//! refresh, and CSS `url()` and `@import` in `style=""`, `<style>` and
//! `.css` files. Works on any static site, not only dossier's.

use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};

use walkdir::WalkDir;

use crate::diag::{line_cols, Diagnostic, Diagnostics};
use crate::html;
use crate::url;

/// A tag's attribute as a browser reads it.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Attr {
    /// Lowercase tag name (`a`, `link`, `img`, …).
    tag: String,
    /// Lowercase attribute name.
    name: String,
    /// The value with `&amp;` decoded.
    value: String,
    /// Byte offset of the tag in the file.
    offset: usize,
}

/// Every attribute of every tag in `html` (comments and the contents of
/// `<script>` and `<style>` are not tags), and the style sheets of `<style>`
/// elements with the offset each starts at.
fn scan(html: &str) -> (Vec<Attr>, Vec<(usize, &str)>) {
    let mut attrs = Vec::new();
    let mut styles = Vec::new();
    for item in html::scan(html) {
        match item {
            html::Item::Attr(a) => attrs.push(Attr {
                tag: a.tag.to_ascii_lowercase(),
                name: a.name.to_ascii_lowercase(),
                value: decode_entities(a.value),
                offset: a.tag_at,
            }),
            html::Item::RawText { tag, at, text } if tag.eq_ignore_ascii_case("style") => {
                styles.push((at, text));
            }
            html::Item::RawText { .. } => {}
        }
    }
    (attrs, styles)
}

/// Decodes the character references a browser decodes in an attribute
/// value: numeric ones and the named ones that can spell a URL's scheme
/// (`java&#115;cript:`, `javascript&colon;`) or its usual characters.
fn decode_entities(value: &str) -> String {
    const NAMED: [(&str, char); 12] = [
        ("amp;", '&'),
        ("lt;", '<'),
        ("gt;", '>'),
        ("quot;", '"'),
        ("apos;", '\''),
        ("colon;", ':'),
        ("Tab;", '\t'),
        ("NewLine;", '\n'),
        ("sol;", '/'),
        ("period;", '.'),
        ("lpar;", '('),
        ("rpar;", ')'),
    ];
    if !value.contains('&') {
        return value.to_string();
    }
    let mut out = String::with_capacity(value.len());
    let mut rest = value;
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        rest = &rest[at + 1..];
        if let Some(num) = rest.strip_prefix('#') {
            let (hex, digits) = match num.strip_prefix(['x', 'X']) {
                Some(h) => (true, h),
                None => (false, num),
            };
            let len = digits
                .find(|c: char| {
                    !(if hex {
                        c.is_ascii_hexdigit()
                    } else {
                        c.is_ascii_digit()
                    })
                })
                .unwrap_or(digits.len());
            let code = u32::from_str_radix(&digits[..len], if hex { 16 } else { 10 }).ok();
            if let Some(c) = code.and_then(char::from_u32) {
                out.push(c);
                // The `;` is optional for numeric references.
                let after = &digits[len..];
                rest = after.strip_prefix(';').unwrap_or(after);
                continue;
            }
        } else if let Some((name, c)) = NAMED.iter().find(|(n, _)| rest.starts_with(n)) {
            out.push(*c);
            rest = &rest[name.len()..];
            continue;
        }
        out.push('&');
    }
    out.push_str(rest);
    out
}

/// The URLs a style sheet loads, `url(…)` and `@import "…"`, each with the
/// offset of its `url(` or `@import`; comments are skipped.
fn css_urls(css: &str) -> Vec<(usize, String)> {
    // Lowercasing ASCII keeps every offset.
    let lower = css.to_ascii_lowercase();
    let b = lower.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    // The patterns are ASCII, so `i` is on a character boundary whenever
    // one of them starts there.
    let quoted = |from: usize| -> Option<(String, usize)> {
        let q = *b.get(from)?;
        if q != b'"' && q != b'\'' {
            return None;
        }
        let end = css[from + 1..]
            .find(q as char)
            .map_or(css.len(), |e| from + 1 + e);
        Some((css[from + 1..end].to_string(), (end + 1).min(css.len())))
    };
    let skip_space = |mut j: usize| {
        while j < b.len() && b[j].is_ascii_whitespace() {
            j += 1;
        }
        j
    };
    while i < b.len() {
        if lower[i..].starts_with("/*") {
            i = lower[i + 2..].find("*/").map_or(b.len(), |e| i + 2 + e + 2);
        } else if lower[i..].starts_with("url(") {
            let j = skip_space(i + 4);
            let (url, next) = quoted(j).unwrap_or_else(|| {
                let end = css[j..].find(')').map_or(css.len(), |e| j + e);
                (css[j..end].trim().to_string(), end)
            });
            out.push((i, url));
            i = next;
        } else if lower[i..].starts_with("@import") {
            let j = skip_space(i + 7);
            // `@import url(…)` is found as a `url(` next.
            match quoted(j) {
                Some((url, next)) => {
                    out.push((i, url));
                    i = next;
                }
                None => i = j,
            }
        } else {
            i += 1;
            while i < b.len() && !css.is_char_boundary(i) {
                i += 1;
            }
        }
    }
    out
}

/// The URLs of a `srcset`: the first word of each comma-separated candidate.
fn srcset_urls(srcset: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = srcset;
    loop {
        rest = rest.trim_start_matches(|c: char| c.is_ascii_whitespace() || c == ',');
        if rest.is_empty() {
            return out;
        }
        let end = rest
            .find(|c: char| c.is_ascii_whitespace())
            .unwrap_or(rest.len());
        let url = &rest[..end];
        rest = &rest[end..];
        // A URL may hold commas (a `data:` URL); one at its end ends the
        // candidate, else the descriptors run to the next comma.
        if url.ends_with(',') {
            out.push(url.trim_end_matches(','));
        } else {
            out.push(url);
            rest = rest.find(',').map_or("", |c| &rest[c + 1..]);
        }
    }
}

/// The URL of a `<meta http-equiv="refresh">`'s content (`0; url=next.html`).
fn refresh_url(content: &str) -> Option<&str> {
    let rest = content
        .trim_start()
        .trim_start_matches(|c: char| c.is_ascii_digit() || c == '.')
        .trim_start();
    let rest = rest.strip_prefix([';', ',']).unwrap_or(rest).trim_start();
    let rest = match rest.get(..3) {
        Some(u) if u.eq_ignore_ascii_case("url") => {
            match rest[3..].trim_start().strip_prefix('=') {
                Some(after) => after.trim_start(),
                None => rest,
            }
        }
        _ => rest,
    };
    let rest = match rest.chars().next() {
        Some(q @ ('"' | '\'')) => rest[1..].split(q).next().unwrap_or(""),
        _ => rest,
    };
    let url = rest.trim();
    (!url.is_empty()).then_some(url)
}

/// A URL a browser takes from a file.
struct Found {
    url: String,
    /// Where it stands: its tag, or its `url(` / `@import` in CSS.
    offset: usize,
    /// The tag it belongs to, or `style` for CSS.
    tag: String,
    /// Followed when clicked or submitted, not loaded with the page.
    navigates: bool,
}

/// Every URL a browser takes from the HTML page `html`.
fn html_urls(html: &str) -> (Vec<Found>, Vec<Attr>) {
    let (attrs, styles) = scan(html);
    let same_tag = |a: &Attr, name: &str, wanted: &dyn Fn(&str) -> bool| {
        attrs
            .iter()
            .any(|b| b.offset == a.offset && b.name == name && wanted(&b.value))
    };
    let mut found = Vec::new();
    let mut push = |url: &str, offset: usize, tag: &str, navigates: bool| {
        found.push(Found {
            url: url.to_string(),
            offset,
            tag: tag.to_string(),
            navigates,
        })
    };
    for a in &attrs {
        match a.name.as_str() {
            "href" | "src" | "poster" | "data" | "background" | "xlink:href" | "action"
            | "formaction" => {
                if a.tag == "base" {
                    continue;
                }
                let navigates = matches!(a.tag.as_str(), "a" | "area")
                    || matches!(a.name.as_str(), "action" | "formaction")
                    || (a.tag == "link"
                        && same_tag(a, "rel", &|rel| {
                            rel.split_whitespace().any(|r| r == "canonical")
                        }));
                push(&a.value, a.offset, &a.tag, navigates);
            }
            "srcset" | "imagesrcset" => {
                for url in srcset_urls(&a.value) {
                    push(url, a.offset, &a.tag, false);
                }
            }
            "style" => {
                for (_, url) in css_urls(&a.value) {
                    push(&url, a.offset, &a.tag, false);
                }
            }
            "content"
                if a.tag == "meta"
                    && same_tag(a, "http-equiv", &|v| v.eq_ignore_ascii_case("refresh")) =>
            {
                if let Some(url) = refresh_url(&a.value) {
                    push(url, a.offset, &a.tag, true);
                }
            }
            _ => {}
        }
    }
    for (start, css) in styles {
        for (at, url) in css_urls(css) {
            push(&url, start + at, "style", false);
        }
    }
    (found, attrs)
}

/// The folder of the file `path` inside the site `dir`, `/`-separated (the
/// form [`url::join`] takes).
fn folder_in(dir: &Path, path: &Path) -> String {
    let folder = path.parent().and_then(|p| p.strip_prefix(dir).ok());
    let segments = folder.into_iter().flat_map(|f| f.components());
    let segments: Vec<_> = segments.map(|c| c.as_os_str().to_string_lossy()).collect();
    segments.join("/")
}

/// An HTML or CSS file of the site, read once: the URLs in it, and a
/// page's ids.
struct File {
    text: String,
    urls: Vec<Found>,
    ids: HashSet<String>,
    /// A page with `<base href>` (the 404 page) resolves against the site
    /// root, not its folder.
    base_tag: bool,
}

impl File {
    fn html(text: String) -> File {
        let (urls, attrs) = html_urls(&text);
        File {
            ids: attrs
                .iter()
                .filter(|a| a.name == "id" || (a.tag == "a" && a.name == "name"))
                .map(|a| a.value.clone())
                .collect(),
            base_tag: attrs.iter().any(|a| a.tag == "base" && a.name == "href"),
            urls,
            text,
        }
    }

    fn css(text: String) -> File {
        let urls = css_urls(&text)
            .into_iter()
            .map(|(offset, url)| Found {
                url,
                offset,
                tag: "style".into(),
                navigates: false,
            })
            .collect();
        File {
            urls,
            text,
            ids: HashSet::new(),
            base_tag: false,
        }
    }
}

/// What is wrong with one URL.
struct Problem {
    message: String,
    hint: Option<&'static str>,
}

impl Problem {
    fn new(message: String) -> Option<Problem> {
        Some(Problem {
            message,
            hint: None,
        })
    }

    fn hinted(message: String, hint: &'static str) -> Option<Problem> {
        Some(Problem {
            message,
            hint: Some(hint),
        })
    }
}

/// Every HTML and CSS file below `dir`, by path; files that cannot be read
/// are reported in `diags`.
fn read_files(dir: &Path, diags: &mut Diagnostics) -> BTreeMap<PathBuf, File> {
    let mut files = BTreeMap::new();
    for entry in WalkDir::new(dir).sort_by_file_name().into_iter().flatten() {
        let p = entry.path();
        let ext = p.extension().and_then(|e| e.to_str()).unwrap_or("");
        if !entry.file_type().is_file() || !matches!(ext, "html" | "css") {
            continue;
        }
        match std::fs::read_to_string(p) {
            Ok(text) if ext == "html" => {
                files.insert(p.to_path_buf(), File::html(text));
            }
            Ok(text) => {
                files.insert(p.to_path_buf(), File::css(text));
            }
            Err(e) => diags.push(Diagnostic::error(p, 0, 0, format!("cannot read: {e}"))),
        }
    }
    files
}

/// Checks the built site in `dir`; returns every problem found.
pub fn check_site(dir: &Path) -> Diagnostics {
    let mut diags = Diagnostics::new();
    if !dir.is_dir() {
        diags.push(
            Diagnostic::error(dir, 0, 0, "site folder not found")
                .with_hint("build it first with dossier build"),
        );
        return diags;
    }
    let files = read_files(dir, &mut diags);
    let has_html = files
        .keys()
        .any(|p| p.extension().is_some_and(|e| e == "html"));
    if !has_html && diags.is_empty() {
        // Nothing checked must not read as everything fine.
        diags.push(
            Diagnostic::error(dir, 0, 0, "no HTML files in this folder; nothing to check")
                .with_hint(
                    "pass the folder that dossier build wrote: `site` unless --out named another",
                ),
        );
        return diags;
    }
    let site = Site { dir, files: &files };
    for (path, file) in &files {
        let folder = folder_in(dir, path);
        let problems: Vec<(usize, Problem)> = file
            .urls
            .iter()
            .filter_map(|found| Some((found.offset, site.check_url(path, file, &folder, found)?)))
            .collect();
        let offsets: Vec<usize> = problems.iter().map(|(at, _)| *at).collect();
        let places = line_cols(&file.text, &offsets);
        for ((_, problem), (line, col)) in problems.into_iter().zip(places) {
            let d = Diagnostic::error(path, line, col, problem.message);
            diags.push(match problem.hint {
                Some(hint) => d.with_hint(hint),
                None => d,
            });
        }
    }
    diags
}

/// The site being checked: its folder and its files.
struct Site<'a> {
    dir: &'a Path,
    files: &'a BTreeMap<PathBuf, File>,
}

impl Site<'_> {
    /// What is wrong with the URL `found` in the file at `path` (in the
    /// site's `folder`), if anything.
    fn check_url(&self, path: &Path, file: &File, folder: &str, found: &Found) -> Option<Problem> {
        const FOLDER_HINT: &str = "link to the file, e.g. index.html";
        let url = found.url.trim();
        if url.is_empty() {
            return None;
        }
        // Read once: every URL of every file comes here.
        let scheme = url::scheme(url);
        if url::runs_script(scheme.as_deref(), url) {
            return Problem::hinted(
                format!("'{url}' runs script"),
                "no URL may run script: remove it, or link to a page that does",
            );
        }
        // External: it has a scheme or is protocol-relative (`//host/…`).
        if scheme.is_some() || url.starts_with("//") {
            if !found.navigates && scheme.as_deref() != Some("data") {
                return Problem::hinted(
                    format!("<{}> loads '{url}' from the network", found.tag),
                    "ship the file with the site instead",
                );
            }
            return None;
        }
        if file.base_tag {
            return None;
        }
        if url.starts_with('/') {
            return Problem::hinted(
                format!("'{url}' starts with /: it breaks under file:// and sub-paths"),
                "use a relative URL",
            );
        }
        let (file_part, fragment) = match url.split_once('#') {
            Some((f, frag)) => (f, Some(frag)),
            None => (url, None),
        };
        let file_part = file_part.split('?').next().unwrap_or("");
        let target = if file_part.is_empty() {
            path.to_path_buf()
        } else if file_part.ends_with('/') {
            return Problem::hinted(
                format!("'{url}' names a folder, which file:// cannot open"),
                FOLDER_HINT,
            );
        } else {
            match url::join(folder, &url::percent_decode(file_part)) {
                Some(rel) => self.dir.join(rel),
                None => return Problem::new(format!("'{url}' leads outside the site")),
            }
        };
        if target.is_dir() {
            return Problem::hinted(
                format!("'{url}' names a folder, which file:// cannot open"),
                FOLDER_HINT,
            );
        }
        if !target.is_file() {
            return Problem::new(format!("broken link '{url}': no such file"));
        }
        let frag = url::percent_decode(fragment.filter(|f| !f.is_empty())?);
        let is_html = target.extension().is_some_and(|e| e == "html");
        match self.files.get(&target) {
            Some(f) if is_html && !f.ids.contains(frag.as_ref()) => Problem::new(format!(
                "broken link '{url}': no id '{frag}' in {}",
                target.display()
            )),
            // Not HTML: fragments are the viewer's business.
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn attributes_are_read_lowercase_with_entities_decoded() {
        let (attrs, styles) = scan("<A HREF=\"a.html?x=1&amp;y=2\" id='z'>t</a><!-- <a href=\"no\"> --><script>var s = '<a href=\"no\">';</script><img src=x.png><style>p{}</style>");
        let pairs: Vec<(&str, &str, &str)> = attrs
            .iter()
            .map(|a| (a.tag.as_str(), a.name.as_str(), a.value.as_str()))
            .collect();
        assert_eq!(
            pairs,
            [
                ("a", "href", "a.html?x=1&y=2"),
                ("a", "id", "z"),
                ("img", "src", "x.png")
            ]
        );
        assert_eq!(styles.iter().map(|s| s.1).collect::<Vec<_>>(), ["p{}"]);
    }

    #[test]
    fn character_references_are_decoded_as_a_browser_does() {
        assert_eq!(
            decode_entities("java&#115;cript&colon;a&#x28;1&#41&amp;&lt;&unknown;&#xZZ;&"),
            "javascript:a(1)&<&unknown;&#xZZ;&"
        );
        assert_eq!(decode_entities("java&Tab;script:x"), "java\tscript:x");
    }

    #[test]
    fn css_urls_are_found_in_every_form() {
        let css = "@import \"a.css\";\n@import url(b.css);\n/* url(no.png) */\n\
                   x { background: URL( 'c d.png' ) , url(e.png)}\n@IMPORT 'f.css';";
        let urls: Vec<String> = css_urls(css).into_iter().map(|(_, u)| u).collect();
        assert_eq!(urls, ["a.css", "b.css", "c d.png", "e.png", "f.css"]);
        assert_eq!(css_urls("é url(ü.png)"), [(3, "ü.png".to_string())]);
    }

    #[test]
    fn srcset_and_refresh_urls_are_read() {
        assert_eq!(
            srcset_urls(" a.png 1x, b.png 2x,c.png, data:image/png;base64,A,B 3x"),
            ["a.png", "b.png", "c.png", "data:image/png;base64,A,B"]
        );
        for (content, url) in [
            ("0; url=next.html", Some("next.html")),
            ("5;URL='next.html'", Some("next.html")),
            ("0, next.html", Some("next.html")),
            ("0", None),
        ] {
            assert_eq!(refresh_url(content), url, "{content}");
        }
    }

    /// A folder named through `..` (`check --site ../site`) is checked as
    /// closely as any: fragments too, and a link climbing out and back in
    /// leads outside (served from a web server's root, it would break).
    #[test]
    fn a_site_named_through_dot_dot_is_checked_in_full() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        std::fs::create_dir_all(d.join("site")).unwrap();
        std::fs::create_dir_all(d.join("other")).unwrap();
        std::fs::write(
            d.join("site/index.html"),
            "<a href=\"b.html#gone\">1</a>\n<a href=\"../site/b.html\">2</a>",
        )
        .unwrap();
        std::fs::write(d.join("site/b.html"), "<p id=\"here\">b</p>").unwrap();
        let found: Vec<String> = check_site(&d.join("other/../site"))
            .sorted()
            .into_iter()
            .map(|x| format!("{}:{}", x.line, x.message))
            .collect();
        assert_eq!(
            found,
            [
                format!(
                    "1:broken link 'b.html#gone': no id 'gone' in {}",
                    d.join("other/../site/b.html").display()
                ),
                "2:'../site/b.html' leads outside the site".to_string(),
            ]
        );
    }

    #[test]
    fn finds_every_kind_of_problem() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        std::fs::create_dir(d.join("sub")).unwrap();
        std::fs::write(
            d.join("index.html"),
            "<p id=\"ok\"><a href=\"sub/a.html#here\">1</a>\n<a href=\"sub/a.html#gone\">2</a>\n<a href=\"/abs.html\">3</a>\n<a href=\"sub/\">4</a>\n<a href=\"missing.html\">5</a>\n<script src=\"https://cdn.example/x.js\"></script>\n<a href=\"https://example.org\">out</a>\n<a href=\"#ok\">self</a></p>",
        )
        .unwrap();
        std::fs::write(
            d.join("sub/a.html"),
            "<h2 id=\"here\">x</h2><a href=\"../index.html\">up</a>",
        )
        .unwrap();
        let found: Vec<String> = check_site(d)
            .sorted()
            .into_iter()
            .map(|x| format!("{}:{}", x.line, x.message))
            .collect();
        assert_eq!(found.len(), 5, "{found:#?}");
        assert!(
            found[0].starts_with("2:broken link 'sub/a.html#gone'"),
            "{found:#?}"
        );
        assert!(
            found[1].starts_with("3:'/abs.html' starts with /"),
            "{found:#?}"
        );
        assert!(
            found[2].starts_with("4:'sub/' names a folder"),
            "{found:#?}"
        );
        assert!(
            found[3].starts_with("5:broken link 'missing.html'"),
            "{found:#?}"
        );
        assert!(found[4].starts_with("6:<script> loads"), "{found:#?}");
    }
}

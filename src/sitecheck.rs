//! Checking a built site as a reader's browser would meet it: every internal
//! `href`/`src` names a file that exists, every `#fragment` names an id in
//! that file, no URL starts with `/` or names a folder, and nothing is loaded
//! from the network. Works on any static site, not only dossier's.

use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};

use walkdir::WalkDir;

use crate::diag::{line_col, Diagnostic, Diagnostics};
use crate::links::{is_external, percent_decode};
use crate::output::normalise;

/// A tag's attribute as found in an HTML file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attr {
    /// Lowercase tag name (`a`, `link`, `img`, …).
    pub tag: String,
    /// Lowercase attribute name.
    pub name: String,
    /// The value with `&amp;` decoded.
    pub value: String,
    /// Byte offset of the tag in the file.
    pub offset: usize,
}

/// Every attribute of every tag in `html`, skipping comments and the
/// contents of `<script>` and `<style>`.
pub fn attributes(html: &str) -> Vec<Attr> {
    let b = html.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while let Some(rel) = html[i..].find('<') {
        let start = i + rel;
        if html[start..].starts_with("<!--") {
            i = html[start..]
                .find("-->")
                .map_or(html.len(), |e| start + e + 3);
            continue;
        }
        let mut j = start + 1;
        while j < b.len() && (b[j].is_ascii_alphanumeric() || b[j] == b'-') {
            j += 1;
        }
        if j == start + 1 {
            i = start + 1;
            continue;
        }
        let tag = html[start + 1..j].to_ascii_lowercase();
        // Attributes until the closing '>'.
        loop {
            while j < b.len() && b[j].is_ascii_whitespace() {
                j += 1;
            }
            if j >= b.len() || b[j] == b'>' || b[j] == b'/' {
                if j < b.len() && b[j] == b'/' {
                    j += 1;
                    continue;
                }
                break;
            }
            let name_start = j;
            while j < b.len() && !b[j].is_ascii_whitespace() && b[j] != b'=' && b[j] != b'>' {
                j += 1;
            }
            let name = html[name_start..j].to_ascii_lowercase();
            while j < b.len() && b[j].is_ascii_whitespace() {
                j += 1;
            }
            let mut value = String::new();
            if j < b.len() && b[j] == b'=' {
                j += 1;
                while j < b.len() && b[j].is_ascii_whitespace() {
                    j += 1;
                }
                if j < b.len() && (b[j] == b'"' || b[j] == b'\'') {
                    let q = b[j];
                    let vs = j + 1;
                    let ve = html[vs..].find(q as char).map_or(html.len(), |e| vs + e);
                    value = html[vs..ve].to_string();
                    j = (ve + 1).min(b.len());
                } else {
                    let vs = j;
                    while j < b.len() && !b[j].is_ascii_whitespace() && b[j] != b'>' {
                        j += 1;
                    }
                    value = html[vs..j].to_string();
                }
            }
            if !name.is_empty() {
                out.push(Attr {
                    tag: tag.clone(),
                    name,
                    value: value.replace("&amp;", "&"),
                    offset: start,
                });
            }
        }
        i = j.min(b.len());
        if tag == "script" || tag == "style" {
            let close = format!("</{tag}");
            i = html[i..]
                .to_ascii_lowercase()
                .find(&close)
                .map_or(html.len(), |e| i + e);
        }
    }
    out
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
    // Read every HTML file once: its attributes and its ids.
    let mut pages: BTreeMap<PathBuf, (String, Vec<Attr>)> = BTreeMap::new();
    for entry in WalkDir::new(dir).sort_by_file_name().into_iter().flatten() {
        let p = entry.path();
        if entry.file_type().is_file() && p.extension().is_some_and(|e| e == "html") {
            match std::fs::read_to_string(p) {
                Ok(text) => {
                    let attrs = attributes(&text);
                    pages.insert(p.to_path_buf(), (text, attrs));
                }
                Err(e) => diags.push(Diagnostic::error(p, 0, 0, format!("cannot read: {e}"))),
            }
        }
    }
    if pages.is_empty() && diags.is_empty() {
        // Nothing checked must not read as everything fine.
        diags.push(
            Diagnostic::error(dir, 0, 0, "no HTML files in this folder; nothing to check")
                .with_hint(
                    "pass the folder that dossier build wrote: `site` unless --out named another",
                ),
        );
        return diags;
    }
    let ids: BTreeMap<&Path, HashSet<&str>> = pages
        .iter()
        .map(|(p, (_, attrs))| {
            (
                p.as_path(),
                attrs
                    .iter()
                    .filter(|a| a.name == "id" || (a.tag == "a" && a.name == "name"))
                    .map(|a| a.value.as_str())
                    .collect(),
            )
        })
        .collect();
    for (path, (text, attrs)) in &pages {
        let here = path.parent().unwrap_or(dir);
        let base_tag = attrs.iter().any(|a| a.tag == "base" && a.name == "href");
        for a in attrs {
            let is_url = matches!(a.name.as_str(), "href" | "src" | "poster" | "data");
            if !is_url || a.tag == "base" {
                continue;
            }
            let (line, col) = line_col(text, a.offset);
            let url = a.value.trim();
            if url.is_empty() {
                continue;
            }
            if is_external(url) {
                let loads = a.tag != "a"
                    && !(a.tag == "link"
                        && attrs.iter().any(|b| {
                            b.offset == a.offset
                                && b.name == "rel"
                                && b.value.split_whitespace().any(|r| r == "canonical")
                        }));
                let scheme = url.split(':').next().unwrap_or("").to_ascii_lowercase();
                if loads && !matches!(scheme.as_str(), "data") {
                    diags.push(
                        Diagnostic::error(
                            path,
                            line,
                            col,
                            format!("<{}> loads '{url}' from the network", a.tag),
                        )
                        .with_hint("ship the file with the site instead"),
                    );
                }
                continue;
            }
            if base_tag {
                // A page with <base href> (the 404 page) resolves against the site root.
                continue;
            }
            if url.starts_with('/') {
                diags.push(
                    Diagnostic::error(
                        path,
                        line,
                        col,
                        format!("'{url}' starts with /: it breaks under file:// and sub-paths"),
                    )
                    .with_hint("use a relative URL"),
                );
                continue;
            }
            let (file_part, fragment) = match url.split_once('#') {
                Some((f, frag)) => (f, Some(frag)),
                None => (url, None),
            };
            let file_part = file_part.split('?').next().unwrap_or("");
            let target = if file_part.is_empty() {
                path.clone()
            } else {
                if file_part.ends_with('/') {
                    diags.push(
                        Diagnostic::error(
                            path,
                            line,
                            col,
                            format!("'{url}' names a folder, which file:// cannot open"),
                        )
                        .with_hint("link to the file, e.g. index.html"),
                    );
                    continue;
                }
                normalise(&here.join(percent_decode(file_part)))
            };
            if !target.starts_with(dir) && !target.starts_with(normalise(dir)) {
                diags.push(Diagnostic::error(
                    path,
                    line,
                    col,
                    format!("'{url}' leads outside the site"),
                ));
                continue;
            }
            if target.is_dir() {
                diags.push(
                    Diagnostic::error(
                        path,
                        line,
                        col,
                        format!("'{url}' names a folder, which file:// cannot open"),
                    )
                    .with_hint("link to the file, e.g. index.html"),
                );
                continue;
            }
            if !target.is_file() {
                diags.push(Diagnostic::error(
                    path,
                    line,
                    col,
                    format!("broken link '{url}': no such file"),
                ));
                continue;
            }
            if let Some(frag) = fragment.filter(|f| !f.is_empty()) {
                let frag = percent_decode(frag);
                match ids.get(target.as_path()) {
                    Some(set) if set.contains(frag.as_str()) => {}
                    Some(_) => diags.push(Diagnostic::error(
                        path,
                        line,
                        col,
                        format!(
                            "broken link '{url}': no id '{frag}' in {}",
                            target.display()
                        ),
                    )),
                    None => {} // Not HTML: fragments are the viewer's business.
                }
            }
        }
    }
    diags
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn attributes_are_found_with_quotes_and_entities() {
        let attrs = attributes("<a href=\"a.html?x=1&amp;y=2\" id='z'>t</a><!-- <a href=\"no\"> --><script>var s = '<a href=\"no\">';</script><img src=x.png>");
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

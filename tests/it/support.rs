//! Shared helpers: fixture projects in temporary folders, running the real
//! binary, reading the site it wrote, and a small HTML scanner for links and
//! ids (the output is our own well-formed HTML, so attribute scanning is
//! enough and keeps the tests free of an HTML parser dependency).

use std::collections::{BTreeMap, BTreeSet};
use std::ffi::OsStr;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// A copy of `tests/fixtures/<case>/` in a fresh temporary folder, deleted
/// when dropped.
pub struct Project {
    dir: tempfile::TempDir,
}

/// What one run of the binary did.
pub struct Run {
    pub code: Option<i32>,
    pub stdout: String,
    pub stderr: String,
    /// The project folder, to redact from messages.
    root: PathBuf,
}

pub fn fixture_dir(case: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(case)
}

impl Project {
    /// A project holding the fixture's `content/` (and `templates/` if any).
    pub fn new(case: &str) -> Self {
        let p = Project::empty();
        let src = fixture_dir(case);
        assert!(src.is_dir(), "no fixture {}", src.display());
        copy_dir(&src, p.path());
        p
    }

    /// An empty project folder.
    pub fn empty() -> Self {
        Project {
            dir: tempfile::tempdir().expect("temporary folder"),
        }
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// Replaces `content/`, `templates/` and `dossier.toml` with those of
    /// another fixture (a fixture without one of them leaves none).
    pub fn swap_in(&self, case: &str) {
        let config = self.path().join("dossier.toml");
        let _ = fs::remove_file(&config);
        if let Ok(text) = fs::read(fixture_dir(case).join("dossier.toml")) {
            fs::write(&config, text).unwrap();
        }
        for sub in ["content", "templates"] {
            let dest = self.path().join(sub);
            if dest.exists() {
                fs::remove_dir_all(&dest).unwrap();
            }
            let src = fixture_dir(case).join(sub);
            if src.exists() {
                copy_dir(&src, &dest);
            }
        }
    }

    /// Runs `dossier build ARGS` with the project as the working folder.
    pub fn build(&self, args: &[&str]) -> Run {
        let mut all = vec!["build"];
        all.extend_from_slice(args);
        self.run_with_env(&all, &[])
    }

    /// Runs `dossier ARGS` (any subcommand) in the project folder.
    pub fn run(&self, args: &[&str]) -> Run {
        self.run_with_env(args, &[])
    }

    /// Like [`Project::run`] with extra environment variables.
    pub fn run_with_env(&self, args: &[&str], env: &[(&str, &Path)]) -> Run {
        run_in(self.path(), args, env)
    }

    /// Every file under `rel` (path relative to `rel`, `/`-separated) with its bytes.
    pub fn tree(&self, rel: &str) -> BTreeMap<String, Vec<u8>> {
        tree(&self.path().join(rel))
    }

    /// A file of the built site as text.
    pub fn page(&self, url: &str) -> String {
        let path = self.path().join("site").join(url);
        fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
    }

    /// Names in the project folder, sorted (to spot leftovers like `.site.tmp-*`).
    pub fn entries(&self) -> Vec<String> {
        let mut v: Vec<String> = fs::read_dir(self.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        v.sort();
        v
    }
}

/// Runs `dossier ARGS` with `dir` as the working folder and extra
/// environment variables.
pub fn run_in<S: AsRef<OsStr>>(
    dir: &Path,
    args: impl IntoIterator<Item = S>,
    env: &[(&str, &Path)],
) -> Run {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_dossier"));
    cmd.args(args).current_dir(dir);
    for (k, v) in env {
        cmd.env(k, v);
    }
    let Output {
        status,
        stdout,
        stderr,
    } = cmd.output().expect("the dossier binary runs");
    Run {
        code: status.code(),
        stdout: String::from_utf8_lossy(&stdout).into_owned(),
        stderr: String::from_utf8_lossy(&stderr).into_owned(),
        root: dir.to_path_buf(),
    }
}

impl Run {
    /// Panics with everything printed unless the run succeeded.
    pub fn success(self) -> Self {
        assert_eq!(
            self.code,
            Some(0),
            "dossier failed:\nstdout:\n{}\nstderr:\n{}",
            self.stdout,
            self.stderr
        );
        self
    }

    /// stderr with the project folder replaced by `[TMP]`, for snapshots.
    pub fn stderr_redacted(&self) -> String {
        let mut s = self.stderr.clone();
        let mut roots = vec![self.root.display().to_string()];
        if let Ok(c) = self.root.canonicalize() {
            roots.push(c.display().to_string());
        }
        // Longest first, so a canonical path that extends the other one wins.
        roots.sort_by_key(|r| std::cmp::Reverse(r.len()));
        for r in roots {
            s = s.replace(&r, "[TMP]");
        }
        s
    }
}

fn copy_dir(src: &Path, dest: &Path) {
    fs::create_dir_all(dest).unwrap();
    for e in fs::read_dir(src).unwrap() {
        let e = e.unwrap();
        let to = dest.join(e.file_name());
        if e.file_type().unwrap().is_dir() {
            copy_dir(&e.path(), &to);
        } else {
            fs::copy(e.path(), &to).unwrap();
        }
    }
}

/// Every file under `root` with its bytes, keyed by `/`-separated relative path.
pub fn tree(root: &Path) -> BTreeMap<String, Vec<u8>> {
    fn walk(root: &Path, dir: &Path, out: &mut BTreeMap<String, Vec<u8>>) {
        let Ok(entries) = fs::read_dir(dir) else {
            return;
        };
        for e in entries {
            let e = e.unwrap();
            let path = e.path();
            if e.file_type().unwrap().is_dir() {
                walk(root, &path, out);
            } else {
                let rel = path.strip_prefix(root).unwrap();
                let rel: Vec<String> = rel
                    .components()
                    .map(|c| c.as_os_str().to_string_lossy().into_owned())
                    .collect();
                // A link to a folder is recorded as where it points, not
                // followed (it may point back into the tree).
                let bytes = match fs::read(&path) {
                    Err(_) if path.is_dir() => {
                        let to = fs::read_link(&path).unwrap();
                        format!("-> {}", to.display()).into_bytes()
                    }
                    r => r.unwrap(),
                };
                out.insert(rel.join("/"), bytes);
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(root, root, &mut out);
    out
}

/// The HTML pages of a site tree, as text.
pub fn html_pages(tree: &BTreeMap<String, Vec<u8>>) -> BTreeMap<String, String> {
    tree.iter()
        .filter(|(k, _)| k.ends_with(".html"))
        .map(|(k, v)| (k.clone(), String::from_utf8(v.clone()).expect("UTF-8 page")))
        .collect()
}

/// `<main …>…</main>` of a page.
pub fn main_of(html: &str) -> &str {
    let start = html.find("<main").expect("page has <main>");
    let end = html.find("</main>").expect("page has </main>") + "</main>".len();
    &html[start..end]
}

/// The inside of the element that starts at the first occurrence of `open`
/// (e.g. `<div class="content">`), up to its matching close tag.
pub fn element_inner<'a>(html: &'a str, open: &str, tag: &str) -> Option<&'a str> {
    let start = html.find(open)? + open.len();
    let (open_tag, close_tag) = (format!("<{tag}"), format!("</{tag}>"));
    let mut depth = 1;
    let mut pos = start;
    while depth > 0 {
        let next_open = html[pos..].find(&open_tag).map(|i| i + pos);
        let next_close = html[pos..].find(&close_tag).map(|i| i + pos)?;
        match next_open {
            Some(o) if o < next_close => {
                depth += 1;
                pos = o + open_tag.len();
            }
            _ => {
                depth -= 1;
                if depth == 0 {
                    return Some(&html[start..next_close]);
                }
                pos = next_close + close_tag.len();
            }
        }
    }
    None
}

/// The rendered markdown of a page (`<div class="content">`).
pub fn content_of(html: &str) -> Option<&str> {
    element_inner(html, "<div class=\"content\">", "div")
}

/// Values of attribute `name` (`href`, `src`, `id`) in `html`, unescaped.
/// Attribute values never contain a raw `"` in our output, and text never
/// contains one either (it is escaped), so a plain scan is exact.
pub fn attr_values(html: &str, name: &str) -> Vec<String> {
    let needle = format!(" {name}=\"");
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(i) = rest.find(&needle) {
        rest = &rest[i + needle.len()..];
        let end = rest.find('"').expect("attribute value is closed");
        out.push(unescape(&rest[..end]));
        rest = &rest[end..];
    }
    out
}

/// Undoes the HTML escaping dossier and Tera apply to attribute values.
pub fn unescape(s: &str) -> String {
    s.replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&#x27;", "'")
        .replace("&#x2F;", "/")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

/// True for `https:`, `mailto:` and other scheme-prefixed URLs.
pub fn is_external(href: &str) -> bool {
    match href.find(':') {
        Some(i) => href[..i]
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c)),
        None => false,
    }
}

/// The site file and fragment an internal href on page `from` points at:
/// `("topics/a.html", Some("x"))`. `None` for external hrefs and for hrefs
/// that climb above the site root.
pub fn resolve(from: &str, href: &str) -> Option<(String, Option<String>)> {
    if is_external(href) {
        return None;
    }
    let (path, fragment) = match href.split_once('#') {
        Some((p, f)) => (p, Some(f.to_string())),
        None => (href, None),
    };
    if path.is_empty() {
        return Some((from.to_string(), fragment));
    }
    let mut parts: Vec<String> = from.split('/').map(str::to_string).collect();
    parts.pop();
    for seg in percent_decode(path).split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            s => parts.push(s.to_string()),
        }
    }
    Some((parts.join("/"), fragment))
}

fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' && i + 2 < b.len() {
            let hex = |c: u8| (c as char).to_digit(16);
            if let (Some(h), Some(l)) = (hex(b[i + 1]), hex(b[i + 2])) {
                out.push((h * 16 + l) as u8);
                i += 3;
                continue;
            }
        }
        out.push(b[i]);
        i += 1;
    }
    String::from_utf8(out).expect("percent-encoded UTF-8")
}

/// Every id of a page.
pub fn ids(html: &str) -> BTreeSet<String> {
    attr_values(html, "id").into_iter().collect()
}

/// Every link problem of a site: hrefs and srcs that are absolute, name a
/// folder, lead to no file, or name a fragment the target file lacks.
/// External hrefs are allowed only if listed in `external`.
pub fn link_problems(tree: &BTreeMap<String, Vec<u8>>, external: &[&str]) -> Vec<String> {
    let pages = html_pages(tree);
    let mut problems = Vec::new();
    for (url, html) in &pages {
        let refs = attr_values(html, "href")
            .into_iter()
            .chain(attr_values(html, "src"));
        for href in refs {
            if is_external(&href) {
                if !external.contains(&href.as_str()) {
                    problems.push(format!("{url}: unexpected external or absolute URL {href}"));
                }
                continue;
            }
            if href.starts_with('/') {
                problems.push(format!("{url}: root-relative href {href}"));
                continue;
            }
            if href.split('#').next().unwrap_or("").ends_with('/') {
                problems.push(format!("{url}: href names a folder: {href}"));
                continue;
            }
            let Some((file, fragment)) = resolve(url, &href) else {
                problems.push(format!("{url}: href leaves the site: {href}"));
                continue;
            };
            if !tree.contains_key(&file) {
                problems.push(format!("{url}: {href} → missing file {file}"));
                continue;
            }
            if let Some(f) = fragment {
                let target = pages
                    .get(&file)
                    .unwrap_or_else(|| panic!("{url}: fragment into non-HTML {file}"));
                if !ids(target).contains(&f) {
                    problems.push(format!("{url}: {href} → no id '{f}' in {file}"));
                }
            }
        }
    }
    problems
}

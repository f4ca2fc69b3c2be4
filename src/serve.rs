//! `dossier serve`: build, serve the site on loopback, rebuild when a source
//! changes and reload open pages.
//!
//! The server is a small HTTP/1.1 GET server on std's TcpListener (a thread
//! per connection: it serves one editor, not the internet), so every byte of
//! its path handling is ours to audit: no `..`, no encoded traversal, no
//! symlink out of the site, unknown paths get `404.html` with status 404.
//! Live reload uses server-sent events; the script that listens for them is
//! injected into HTML responses only, never written into `site/`. A failed
//! rebuild keeps the last good site on disk (the build is atomic) and shows
//! the diagnostics as an overlay in every open page.
//!
//! A change to a seed in `seeds/` (its text or its decomposition file) first
//! imports that seed again into the content folder, as `dossier import` does
//! without `--force`, then rebuilds. A failed import writes nothing and is
//! shown like a failed build; it is tried again on every later change until
//! it succeeds, and no rebuild happens meanwhile.

use std::collections::{BTreeMap, BTreeSet};
use std::io::{self, BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::sync::{Arc, Condvar, Mutex};
use std::time::Duration;

use notify::{RecursiveMode, Watcher};

use crate::build::{BuildOptions, Report, Session};
use crate::diag::Diagnostics;
use crate::import::{self, ImportOptions, ImportReport};

/// Something `serve` did, for printing.
pub enum Outcome<'a> {
    /// A build (the first one, or a rebuild after a change).
    Build(&'a Result<Report, Diagnostics>),
    /// A seed imported again because it or its decomposition file changed.
    Import(&'a ImportOptions, &'a Result<ImportReport, Diagnostics>),
}

/// Called with the outcome of every build and import, to print it.
pub type Reporter = Arc<dyn Fn(Outcome<'_>) + Send + Sync>;

/// What to serve and watch.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    /// How to build.
    pub build: BuildOptions,
    /// Address to bind (loopback by default).
    pub bind: String,
    /// Port (0 picks a free one).
    pub port: u16,
    /// The seeds folder: when a seed `NAME.txt` in it, or the
    /// `NAME.decomposition.yaml` beside it, changes, the seed is imported
    /// into the content folder again before the rebuild.
    pub seeds: Option<PathBuf>,
}

/// The state every open page follows.
#[derive(Debug, Default)]
struct State {
    /// Bumped after every successful build.
    generation: u64,
    /// Diagnostics of the last build, if it failed.
    error: Option<String>,
}

#[derive(Debug, Default)]
struct Shared {
    state: Mutex<State>,
    changed: Condvar,
}

impl Shared {
    /// Records a finished build, or the problems that stopped a build or an
    /// import.
    fn record<T>(&self, result: &Result<T, Diagnostics>) {
        let mut s = self.state.lock().unwrap_or_else(|p| p.into_inner());
        match result {
            Ok(_) => {
                s.generation += 1;
                s.error = None;
            }
            Err(d) => s.error = Some(d.to_string()),
        }
        self.changed.notify_all();
    }

    fn snapshot(&self) -> (u64, Option<String>) {
        let s = self.state.lock().unwrap_or_else(|p| p.into_inner());
        (s.generation, s.error.clone())
    }
}

/// A running server.
pub struct Server {
    /// The address it listens on.
    pub addr: std::net::SocketAddr,
    listener: TcpListener,
    shared: Arc<Shared>,
    root: PathBuf,
}

/// Builds once and binds the server (does not serve yet). `report` receives
/// each build's outcome (for printing).
pub fn start(opts: &ServeOptions, report: Reporter) -> io::Result<Server> {
    let shared = Arc::new(Shared::default());
    // One session for the server's life: rebuilds re-render only what an
    // edit can have changed.
    let mut session = Session::new(opts.build.clone());
    let first = session.build();
    report(Outcome::Build(&first));
    shared.record(&first);
    let listener = TcpListener::bind((opts.bind.as_str(), opts.port))?;
    let addr = listener.local_addr()?;
    spawn_watcher(opts.clone(), session, Arc::clone(&shared), report)?;
    Ok(Server {
        addr,
        listener,
        shared,
        root: opts.build.out.clone(),
    })
}

impl Server {
    /// Serves requests until the process ends.
    pub fn run(self) {
        for stream in self.listener.incoming().flatten() {
            let shared = Arc::clone(&self.shared);
            let root = self.root.clone();
            std::thread::spawn(move || {
                let _ = handle(stream, &root, &shared);
            });
        }
    }
}

/// What a watcher saw change.
enum Change {
    /// Something the build reads.
    Site,
    /// A file of this seed (`seeds/NAME.txt`).
    Seed(PathBuf),
}

/// The seed a changed file in the seeds folder belongs to: `NAME.txt` for
/// itself and for `NAME.decomposition.yaml` (whether the pair exists is
/// asked at import time, when an editor's save has settled).
fn seed_of(seeds: &Path, changed: &Path) -> Option<PathBuf> {
    let name = changed.file_name()?.to_str()?;
    let stem = name
        .strip_suffix(".decomposition.yaml")
        .or_else(|| name.strip_suffix(".txt"))?;
    (!stem.is_empty() && !stem.starts_with('.')).then(|| seeds.join(format!("{stem}.txt")))
}

/// A seed `serve` imports: the text with its decomposition file beside it
/// (a lone `.txt` in the folder may be anything).
fn is_seed(seed: &Path) -> bool {
    seed.is_file() && import::default_decomposition(seed).is_file()
}

/// A watcher sending `change(path)` for every changed path under `paths`.
fn watch(
    paths: &[PathBuf],
    mode: RecursiveMode,
    tx: mpsc::Sender<Change>,
    change: impl Fn(&Path) -> Option<Change> + Send + 'static,
) -> io::Result<notify::RecommendedWatcher> {
    let mut watcher = notify::recommended_watcher(move |e: notify::Result<notify::Event>| {
        if let Ok(e) = e {
            if !matches!(e.kind, notify::EventKind::Access(_)) {
                for c in e.paths.iter().filter_map(|p| change(p)) {
                    let _ = tx.send(c);
                }
            }
        }
    })
    .map_err(io::Error::other)?;
    for p in paths {
        if p.exists() {
            watcher.watch(p, mode).map_err(io::Error::other)?;
        }
    }
    Ok(watcher)
}

/// Waits until no change has come for a moment (editors save in bursts:
/// write a temporary file, rename, touch), noting the seeds that changed.
fn settle(rx: &mpsc::Receiver<Change>, seeds: &mut BTreeSet<PathBuf>) {
    while let Ok(c) = rx.recv_timeout(Duration::from_millis(150)) {
        if let Change::Seed(s) = c {
            seeds.insert(s);
        }
    }
}

/// Watches content, templates and seeds; after changes settle, imports the
/// seeds that changed, then rebuilds.
fn spawn_watcher(
    opts: ServeOptions,
    mut session: Session,
    shared: Arc<Shared>,
    report: Reporter,
) -> io::Result<()> {
    let (tx, rx) = mpsc::channel();
    let site = [opts.build.content.clone(), opts.build.templates.clone()];
    let watch_site = {
        let (site, tx) = (site.clone(), tx.clone());
        move || {
            let ids: Vec<_> = site.iter().map(|p| crate::output::folder_id(p)).collect();
            watch(&site, RecursiveMode::Recursive, tx.clone(), |_| {
                Some(Change::Site)
            })
            .map(|w| (w, ids))
        }
    };
    let (mut _site_watcher, mut site_ids) = watch_site()?;
    let seeds: Vec<PathBuf> = opts.seeds.iter().cloned().collect();
    let dir = opts.seeds.clone().unwrap_or_default();
    // Seeds are the folder's own files: its subfolders are not watched.
    let seed_watcher = watch(&seeds, RecursiveMode::NonRecursive, tx, move |p| {
        seed_of(&dir, p).map(Change::Seed)
    })?;
    std::thread::spawn(move || {
        let _keep_alive = seed_watcher;
        // Seeds whose last import failed, with why: tried again on every
        // change, and no rebuild while one is failing (it is shown instead).
        let mut failed: BTreeMap<PathBuf, Diagnostics> = BTreeMap::new();
        while let Ok(first) = rx.recv() {
            let mut changed = BTreeSet::new();
            if let Change::Seed(s) = first {
                changed.insert(s);
            }
            settle(&rx, &mut changed);
            loop {
                let seeds: BTreeSet<PathBuf> = changed
                    .iter()
                    .chain(failed.keys())
                    .filter(|s| is_seed(s))
                    .cloned()
                    .collect();
                failed.retain(|s, _| seeds.contains(s));
                if seeds.is_empty() {
                    break;
                }
                for seed in seeds {
                    let import = ImportOptions {
                        seed: seed.clone(),
                        into: opts.build.content.clone(),
                        decomposition: None,
                        force: false,
                    };
                    let result = import::import(&import);
                    report(Outcome::Import(&import, &result));
                    match result {
                        Ok(_) => failed.remove(&seed),
                        Err(d) => failed.insert(seed, d),
                    };
                }
                // The import's own writes to content/ come back as changes:
                // let them arrive, so they are part of this build instead
                // of the cause of another one.
                changed.clear();
                settle(&rx, &mut changed);
                if changed.is_empty() {
                    break;
                }
            }
            if !failed.is_empty() {
                let problems: Diagnostics =
                    failed.values().flat_map(|d| d.iter().cloned()).collect();
                shared.record::<()>(&Err(problems));
                continue;
            }
            // `dossier import` replaces content/ by another folder, and a
            // watch stays on the folder it was put on (now deleted): watch
            // the new one, or later edits would go unseen.
            if site
                .iter()
                .map(|p| crate::output::folder_id(p))
                .ne(site_ids.iter().cloned())
            {
                if let Ok((w, ids)) = watch_site() {
                    (_site_watcher, site_ids) = (w, ids);
                }
            }
            let result = session.build();
            report(Outcome::Build(&result));
            shared.record(&result);
        }
    });
    Ok(())
}

/// The script injected into served HTML: follows the build state, reloads
/// after a successful rebuild, shows the diagnostics of a failed one.
const LIVE_SCRIPT: &str = r#"<script>/* injected by dossier serve; not part of the site */
(function () {
  var seen = null;
  function overlay(text) {
    var o = document.getElementById('dossier-error-overlay');
    if (text === null) { if (o) o.remove(); return; }
    if (!o) {
      o = document.createElement('div');
      o.id = 'dossier-error-overlay';
      o.setAttribute('role', 'alert');
      o.style.cssText = 'position:fixed;inset:0;z-index:99999;background:rgba(20,0,0,.92);color:#fff;padding:2rem;overflow:auto;font:14px/1.5 ui-monospace,monospace';
      var h = document.createElement('h2'); h.textContent = 'Build failed — the last good site is shown underneath'; o.appendChild(h);
      var pre = document.createElement('pre'); pre.style.whiteSpace = 'pre-wrap'; o.appendChild(pre);
      document.body.appendChild(o);
    }
    o.querySelector('pre').textContent = text;
  }
  var es = new EventSource('/__dossier/events');
  es.addEventListener('state', function (e) {
    var s = JSON.parse(e.data);
    if (s.error !== null) { overlay(s.error); return; }
    if (seen !== null && s.generation !== seen) { location.reload(); return; }
    seen = s.generation; overlay(null);
  });
})();
</script>"#;

fn handle(mut stream: TcpStream, root: &Path, shared: &Shared) -> io::Result<()> {
    stream.set_read_timeout(Some(Duration::from_secs(10)))?;
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut request_line = String::new();
    reader.by_ref().take(8192).read_line(&mut request_line)?;
    // Drain the headers; we need none of them.
    loop {
        let mut line = String::new();
        let n = reader.by_ref().take(8192).read_line(&mut line)?;
        if n == 0 || line == "\r\n" || line == "\n" {
            break;
        }
    }
    let mut parts = request_line.split_whitespace();
    let (method, target) = (parts.next().unwrap_or(""), parts.next().unwrap_or(""));
    if method != "GET" && method != "HEAD" {
        return respond(
            &mut stream,
            405,
            "text/plain; charset=utf-8",
            b"method not allowed\n",
            method == "HEAD",
        );
    }
    let path = target.split(['?', '#']).next().unwrap_or("/");
    if path == "/__dossier/events" {
        return events(stream, shared);
    }
    match resolve(root, path) {
        Some(file) => {
            let body = std::fs::read(&file)?;
            let ctype = content_type(&file);
            let body = if ctype.starts_with("text/html") {
                inject(body)
            } else {
                body
            };
            respond(&mut stream, 200, ctype, &body, method == "HEAD")
        }
        None => {
            let body =
                std::fs::read(root.join("404.html")).unwrap_or_else(|_| b"not found\n".to_vec());
            // 404.html links relative to the site root, but it answers at any
            // depth: anchor its links at the root we serve.
            let body = inject(with_base(body));
            respond(
                &mut stream,
                404,
                "text/html; charset=utf-8",
                &body,
                method == "HEAD",
            )
        }
    }
}

/// Maps a request path to a file inside `root`, or `None` (→ 404) for
/// anything missing or outside: `..` segments (also percent-encoded),
/// backslashes, NUL bytes and symlinks that lead out of the site.
pub fn resolve(root: &Path, url_path: &str) -> Option<PathBuf> {
    let decoded = percent_decode(url_path)?;
    if decoded.contains('\0') || decoded.contains('\\') {
        return None;
    }
    let mut file = root.to_path_buf();
    for seg in decoded.split('/') {
        match seg {
            "" | "." => {}
            ".." => return None,
            s => file.push(s),
        }
    }
    if file.is_dir() {
        file.push("index.html");
    }
    let canonical_root = root.canonicalize().ok()?;
    let canonical = file.canonicalize().ok()?;
    (canonical.starts_with(&canonical_root) && canonical.is_file()).then_some(canonical)
}

fn percent_decode(s: &str) -> Option<String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = |c: u8| (c as char).to_digit(16);
            let h = bytes.get(i + 1).copied().and_then(hex)?;
            let l = bytes.get(i + 2).copied().and_then(hex)?;
            out.push((h * 16 + l) as u8);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

/// The Content-Type for a file, by extension.
pub fn content_type(path: &Path) -> &'static str {
    match path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .as_deref()
    {
        Some("html" | "htm") => "text/html; charset=utf-8",
        Some("css") => "text/css; charset=utf-8",
        Some("js" | "mjs") => "text/javascript; charset=utf-8",
        Some("json") => "application/json",
        Some("xml") => "application/xml",
        Some("svg") => "image/svg+xml",
        Some("png") => "image/png",
        Some("jpg" | "jpeg") => "image/jpeg",
        Some("gif") => "image/gif",
        Some("webp") => "image/webp",
        Some("ico") => "image/x-icon",
        Some("pdf") => "application/pdf",
        Some("txt" | "md") => "text/plain; charset=utf-8",
        Some("woff2") => "font/woff2",
        _ => "application/octet-stream",
    }
}

fn with_base(body: Vec<u8>) -> Vec<u8> {
    let text = String::from_utf8_lossy(&body);
    if text.contains("<base ") {
        return body;
    }
    match text.find("<head>") {
        Some(i) => {
            format!("{}<head>\n<base href=\"/\">{}", &text[..i], &text[i + 6..]).into_bytes()
        }
        None => body,
    }
}

fn inject(body: Vec<u8>) -> Vec<u8> {
    let text = String::from_utf8_lossy(&body);
    match text.rfind("</body>") {
        Some(i) => format!("{}{LIVE_SCRIPT}\n{}", &text[..i], &text[i..]).into_bytes(),
        None => format!("{text}{LIVE_SCRIPT}").into_bytes(),
    }
}

fn respond(
    stream: &mut TcpStream,
    status: u16,
    ctype: &str,
    body: &[u8],
    head_only: bool,
) -> io::Result<()> {
    let reason = match status {
        200 => "OK",
        404 => "Not Found",
        405 => "Method Not Allowed",
        _ => "Error",
    };
    write!(
        stream,
        "HTTP/1.1 {status} {reason}\r\nContent-Type: {ctype}\r\nContent-Length: {}\r\nCache-Control: no-store\r\nX-Content-Type-Options: nosniff\r\nConnection: close\r\n\r\n",
        body.len()
    )?;
    if !head_only {
        stream.write_all(body)?;
    }
    stream.flush()
}

/// Server-sent events: the current state at once, then every change.
fn events(mut stream: TcpStream, shared: &Shared) -> io::Result<()> {
    stream.write_all(
        b"HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-store\r\nConnection: keep-alive\r\n\r\n",
    )?;
    let mut last: Option<(u64, Option<String>)> = None;
    loop {
        let now = shared.snapshot();
        if last.as_ref() != Some(&now) {
            let data = serde_json::json!({ "generation": now.0, "error": now.1 }).to_string();
            write!(stream, "event: state\ndata: {data}\n\n")?;
            stream.flush()?;
            last = Some(now);
        } else {
            // A comment line keeps proxies and the browser from timing out,
            // and tells us when the page has gone.
            stream.write_all(b": ping\n\n")?;
            stream.flush()?;
        }
        let guard = shared.state.lock().unwrap_or_else(|p| p.into_inner());
        let _ = shared.changed.wait_timeout(guard, Duration::from_secs(15));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolve_stays_inside_the_site() {
        let dir = tempfile::tempdir().unwrap();
        let site = dir.path().join("site");
        std::fs::create_dir_all(site.join("topics")).unwrap();
        std::fs::write(site.join("index.html"), "home").unwrap();
        std::fs::write(site.join("topics/a b.html"), "a").unwrap();
        std::fs::write(dir.path().join("secret.txt"), "secret").unwrap();
        std::os::unix::fs::symlink(dir.path().join("secret.txt"), site.join("link.txt")).unwrap();
        let root = site.canonicalize().unwrap();
        assert_eq!(resolve(&site, "/").unwrap(), root.join("index.html"));
        assert_eq!(
            resolve(&site, "/topics/a%20b.html").unwrap(),
            root.join("topics/a b.html")
        );
        for bad in [
            "/../secret.txt",
            "/topics/../../secret.txt",
            "/%2e%2e/secret.txt",
            "/%2E%2E%2Fsecret.txt",
            "/link.txt",
            "/x%00.html",
            "/..%5csecret.txt",
            "/missing.html",
            "/%zz",
        ] {
            assert_eq!(resolve(&site, bad), None, "{bad}");
        }
    }

    #[test]
    fn a_change_in_the_seeds_folder_names_its_seed() {
        let seeds = Path::new("seeds");
        let of = |name: &str| seed_of(seeds, &Path::new("/x/seeds").join(name));
        let seed = Some(seeds.join("report.txt"));
        assert_eq!(of("report.txt"), seed);
        assert_eq!(of("report.decomposition.yaml"), seed);
        for other in [
            ".report.txt.swp",
            "report.decomposition.yaml~",
            ".#report.txt",
            "sedAb12x",
            "4913",
            ".txt",
            "notes.md",
        ] {
            assert_eq!(of(other), None, "{other}");
        }
        let dir = tempfile::tempdir().unwrap();
        let lone = dir.path().join("notes.txt");
        std::fs::write(&lone, "x").unwrap();
        assert!(
            !is_seed(&lone),
            "a text without a decomposition file is not a seed"
        );
        std::fs::write(dir.path().join("notes.decomposition.yaml"), "").unwrap();
        assert!(is_seed(&lone));
    }

    #[test]
    fn the_404_page_is_anchored_at_the_root() {
        let out =
            String::from_utf8(with_base(b"<html><head><title>x</title></head>".to_vec())).unwrap();
        assert_eq!(
            out,
            "<html><head>\n<base href=\"/\"><title>x</title></head>"
        );
        let kept = b"<head><base href=\"https://e.org/\"></head>".to_vec();
        assert_eq!(with_base(kept.clone()), kept);
    }

    #[test]
    fn html_gets_the_live_script_before_body_end() {
        let out =
            String::from_utf8(inject(b"<html><body><p>x</p></body></html>".to_vec())).unwrap();
        assert!(
            out.contains("<p>x</p><script>/* injected by dossier serve"),
            "{out}"
        );
        assert!(out.ends_with("</body></html>"));
    }
}

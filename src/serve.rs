//! `dossier serve`: build, serve the site on loopback, rebuild when a source
//! changes and reload open pages.
//!
//! The server is a small HTTP/1.1 GET server on std's TcpListener (a thread
//! per connection: it serves one editor, not the internet), so every byte of
//! its path handling is ours to audit: no `..`, no encoded traversal, no
//! symlink out of the site, unknown paths get `404.html` with status 404.
//! Its resources are bounded: a cap on connections served at once, a time
//! limit on reading a request, files streamed from disk.
//!
//! Bound to a loopback address it answers only requests whose Host names
//! the loopback (`localhost`, 127.x.x.x, `[::1]`, any port; others get 421),
//! so a page elsewhere whose DNS name points at 127.0.0.1 (DNS rebinding)
//! cannot read the site or its diagnostics. Bound to any other address the
//! user has chosen to share it: `main` warns, and any Host is answered.
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
use std::fs::File;
use std::io::{self, BufRead, BufReader, Read, Seek, SeekFrom, Write};
use std::net::{IpAddr, Shutdown, TcpListener, TcpStream};
use std::ops::Range;
use std::path::{Component, Path, PathBuf};
use std::sync::mpsc;
use std::sync::{Arc, Condvar, Mutex};
use std::time::{Duration, Instant};

use memchr::memmem;
use notify::{RecursiveMode, Watcher};

use crate::build::{BuildOptions, Report};
use crate::diag::Diagnostics;
use crate::import::{self, ImportOptions, ImportReport};
use crate::incremental::Session;

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
        let slots = Arc::new(Slots::default());
        let loopback = self.addr.ip().is_loopback();
        loop {
            // A slot first: while all are taken, new clients wait in the
            // listen queue instead of each getting a thread.
            let slot = slots.take();
            let stream = match self.listener.accept() {
                Ok((stream, _)) => stream,
                Err(_) => {
                    // Out of file descriptors, or a client gone before it
                    // was accepted: try again in a moment, without spinning.
                    std::thread::sleep(Duration::from_millis(50));
                    continue;
                }
            };
            let shared = Arc::clone(&self.shared);
            let root = self.root.clone();
            // If no thread can be made, the connection and slot are dropped.
            let _ = std::thread::Builder::new().spawn(move || {
                let _slot = slot;
                let _ = handle(stream, &root, &shared, loopback);
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

/// How long a change waits for the next one before the rebuild starts
/// (editors save in bursts: write a temporary file, rename, touch).
const QUIET: Duration = Duration::from_millis(150);

/// The longest a rebuild waits while changes keep coming, so edits that
/// never pause (a script, a sync tool) are still shown.
const MAX_DELAY: Duration = Duration::from_secs(1);

/// Waits until no change has come for [`QUIET`], or [`MAX_DELAY`] has
/// passed since the first one, noting the seeds that changed.
fn settle(rx: &mpsc::Receiver<Change>, seeds: &mut BTreeSet<PathBuf>) {
    let until = Instant::now() + MAX_DELAY;
    loop {
        let left = until.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return;
        }
        match rx.recv_timeout(QUIET.min(left)) {
            Ok(Change::Seed(s)) => {
                seeds.insert(s);
            }
            Ok(Change::Site) => {}
            Err(_) => return,
        }
    }
}

/// Whether a change at `path`, below one of the watched `roots`, can matter
/// to the build. Hidden files, editors' swap, backup and lock files, and
/// vim's `4913` (a probe it writes and deletes at once before saving) come
/// and go while one types and are never read: they must neither cause a
/// rebuild nor keep postponing the one a real edit needs.
fn relevant(roots: &[PathBuf], path: &Path) -> bool {
    let below = roots
        .iter()
        .find_map(|r| path.strip_prefix(r).ok())
        .or_else(|| path.file_name().map(Path::new))
        .unwrap_or(path);
    !below.components().any(|c| match c {
        Component::Normal(name) => {
            let name = name.to_string_lossy();
            crate::content::is_ignored(&name) || name == "4913"
        }
        _ => false,
    })
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
            // Paths come back below the folder as it was named; also match
            // them below its real path, in case they come back resolved.
            let roots: Vec<PathBuf> = site
                .iter()
                .cloned()
                .chain(site.iter().filter_map(|p| p.canonicalize().ok()))
                .collect();
            watch(&site, RecursiveMode::Recursive, tx.clone(), move |p| {
                relevant(&roots, p).then_some(Change::Site)
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

/// At most this many connections are served at once; more wait in the
/// listen queue until one ends. An open page holds one for its event
/// stream, and a browser opens only a few to one host.
const MAX_CONNECTIONS: usize = 64;

/// The whole request head must arrive within this, or the connection is
/// dropped: a client that trickles its request in must not keep a
/// connection for ever.
const HEAD_TIMEOUT: Duration = Duration::from_secs(10);

/// A write that makes no progress for this long ends the connection (the
/// client stopped reading).
const WRITE_TIMEOUT: Duration = Duration::from_secs(30);

/// The longest request line or header line, and the longest request head.
const MAX_LINE: usize = 8 * 1024;
const MAX_HEAD: usize = 64 * 1024;

/// How much of the start of a page [`html_body`] looks in for `<head>`.
const HEAD_SCAN: u64 = 64 * 1024;

/// Counts the connections being served, to cap them.
#[derive(Default)]
struct Slots {
    used: Mutex<usize>,
    freed: Condvar,
}

/// One of the [`MAX_CONNECTIONS`], given back when dropped.
struct Slot(Arc<Slots>);

impl Slots {
    /// Waits for a free slot and takes it.
    fn take(self: &Arc<Self>) -> Slot {
        let mut used = self.used.lock().unwrap_or_else(|p| p.into_inner());
        while *used >= MAX_CONNECTIONS {
            used = self.freed.wait(used).unwrap_or_else(|p| p.into_inner());
        }
        *used += 1;
        Slot(Arc::clone(self))
    }
}

impl Drop for Slot {
    fn drop(&mut self) {
        *self.0.used.lock().unwrap_or_else(|p| p.into_inner()) -= 1;
        self.0.freed.notify_one();
    }
}

/// Whether `host` (a Host header's value or an absolute-form authority: a
/// name or address, maybe with a port) names the loopback in a way no DNS
/// answer can change: `localhost`, 127.x.x.x or `[::1]`. Any port: a tunnel
/// or proxy on this machine may forward from another one.
fn is_loopback_host(host: &str) -> bool {
    let (name, port) = match host.strip_prefix('[') {
        Some(rest) => match rest.split_once(']') {
            Some(split) => split,
            None => return false,
        },
        None => match host.rfind(':') {
            Some(i) => (&host[..i], &host[i..]),
            None => (host, ""),
        },
    };
    let port_ok = port.is_empty()
        || port
            .strip_prefix(':')
            .is_some_and(|p| p.bytes().all(|b| b.is_ascii_digit()));
    let loopback_ip = name.parse::<IpAddr>().is_ok_and(|ip| match ip {
        IpAddr::V4(v4) => v4.is_loopback(),
        IpAddr::V6(v6) => {
            v6.is_loopback() || v6.to_ipv4_mapped().is_some_and(|v4| v4.is_loopback())
        }
    });
    port_ok && (loopback_ip || name.eq_ignore_ascii_case("localhost"))
}

/// The parts of a request head this server looks at.
struct Request {
    method: String,
    target: String,
    /// HTTP/1.0 requests need no Host header.
    http10: bool,
    /// The value of every Host header.
    hosts: Vec<String>,
}

/// A request that cannot be served, with the status and text to answer.
struct Refusal(u16, &'static str);

/// Reads from a stream, failing once `until` has passed however slowly the
/// bytes trickle in (a read timeout alone restarts with every byte).
struct Deadline<'a> {
    stream: &'a TcpStream,
    until: Instant,
}

impl Read for Deadline<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let left = self.until.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return Err(io::ErrorKind::TimedOut.into());
        }
        self.stream.set_read_timeout(Some(left))?;
        let mut stream = self.stream;
        stream.read(buf)
    }
}

/// Reads one line (through `\n`) into `line`: `Ok(false)` if it is longer
/// than `max`, an error if the connection ends first.
fn read_line(reader: &mut impl BufRead, line: &mut Vec<u8>, max: usize) -> io::Result<bool> {
    line.clear();
    let n = reader.take(max as u64).read_until(b'\n', line)?;
    if line.ends_with(b"\n") {
        Ok(true)
    } else if n == max {
        Ok(false)
    } else {
        Err(io::ErrorKind::UnexpectedEof.into())
    }
}

/// Reads and checks a request head: an error when the connection ended or
/// the time ran out before it was complete (nothing to answer then).
fn read_head(stream: &TcpStream) -> io::Result<Result<Request, Refusal>> {
    let mut reader = BufReader::new(Deadline {
        stream,
        until: Instant::now() + HEAD_TIMEOUT,
    });
    let mut line = Vec::new();
    if !read_line(&mut reader, &mut line, MAX_LINE)? {
        return Ok(Err(Refusal(414, "request line too long\n")));
    }
    // One empty line before the request is allowed (RFC 9112, 2.2).
    if (line == b"\r\n" || line == b"\n") && !read_line(&mut reader, &mut line, MAX_LINE)? {
        return Ok(Err(Refusal(414, "request line too long\n")));
    }
    let Ok(text) = std::str::from_utf8(&line) else {
        return Ok(Err(Refusal(400, "request line is not UTF-8\n")));
    };
    let text = text.strip_suffix('\n').unwrap_or(text);
    let text = text.strip_suffix('\r').unwrap_or(text);
    let mut parts = text.split(' ');
    let (Some(method), Some(target), Some(version), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Ok(Err(Refusal(400, "malformed request line\n")));
    };
    // No control characters: the target may be copied into a header.
    if method.is_empty()
        || !method
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        || target.is_empty()
        || target.chars().any(char::is_control)
        || !matches!(version, "HTTP/1.0" | "HTTP/1.1")
    {
        return Ok(Err(Refusal(400, "malformed request line\n")));
    }
    let mut request = Request {
        method: method.to_string(),
        target: target.to_string(),
        http10: version == "HTTP/1.0",
        hosts: Vec::new(),
    };
    let mut total = line.len();
    loop {
        if !read_line(&mut reader, &mut line, MAX_LINE)? {
            return Ok(Err(Refusal(431, "request header too long\n")));
        }
        total += line.len();
        if total > MAX_HEAD {
            return Ok(Err(Refusal(431, "request headers too long\n")));
        }
        if line == b"\r\n" || line == b"\n" {
            return Ok(Ok(request));
        }
        let field = line.strip_suffix(b"\n").unwrap_or(&line);
        let field = field.strip_suffix(b"\r").unwrap_or(field);
        // Folded lines and space before the colon are refused (RFC 9112,
        // 5.1 and 5.2): they are read differently by different parsers.
        let Some(colon) = field.iter().position(|&b| b == b':') else {
            return Ok(Err(Refusal(400, "malformed header line\n")));
        };
        let name = &field[..colon];
        if name.is_empty() || name.iter().any(|b| b.is_ascii_whitespace()) {
            return Ok(Err(Refusal(400, "malformed header line\n")));
        }
        if name.eq_ignore_ascii_case(b"host") {
            let Ok(value) = std::str::from_utf8(&field[colon + 1..]) else {
                return Ok(Err(Refusal(400, "malformed Host header\n")));
            };
            request
                .hosts
                .push(value.trim_matches([' ', '\t']).to_string());
        }
    }
}

/// The authority and the path of an absolute-form target
/// (`http://host:port/path?query`); `None` for any other form.
fn split_absolute(target: &str) -> Option<(&str, String)> {
    let (scheme, rest) = target.split_once("://")?;
    if !scheme.eq_ignore_ascii_case("http") {
        return None;
    }
    let end = rest.find(['/', '?']).unwrap_or(rest.len());
    let path = &rest[end..];
    let path = if path.starts_with('/') {
        path.to_string()
    } else {
        format!("/{path}")
    };
    Some((&rest[..end], path))
}

fn handle(mut stream: TcpStream, root: &Path, shared: &Shared, loopback: bool) -> io::Result<()> {
    stream.set_write_timeout(Some(WRITE_TIMEOUT))?;
    let request = match read_head(&stream)? {
        Ok(request) => request,
        Err(Refusal(status, why)) => {
            simple(&mut stream, status, why, false, "")?;
            return linger(stream);
        }
    };
    let head_only = request.method == "HEAD";
    let refuse = |mut stream: TcpStream, status, why, extra| {
        simple(&mut stream, status, why, head_only, extra)?;
        linger(stream)
    };
    // A server must refuse an HTTP/1.1 request without exactly one Host
    // header (RFC 9112, 3.2), also in the absolute form, whose own
    // authority then stands in for it.
    let (authority, target) = match (request.hosts.as_slice(), request.http10) {
        ([_, _, ..], _) | ([], false) => {
            return refuse(stream, 400, "a request needs one Host header\n", "")
        }
        (hosts, _) => match split_absolute(&request.target) {
            Some((authority, path)) => (Some(authority), path),
            None => (hosts.first().map(String::as_str), request.target.clone()),
        },
    };
    // A page on another site can reach this server under a name of its own
    // that its DNS points at 127.0.0.1 (DNS rebinding); then the browser
    // lets it read the answers. Such requests carry that name.
    if loopback && authority.is_some_and(|a| !is_loopback_host(a)) {
        return refuse(stream, 421, "this server answers only to localhost\n", "");
    }
    if request.method != "GET" && !head_only {
        return refuse(stream, 405, "method not allowed\n", "Allow: GET, HEAD\r\n");
    }
    if !target.starts_with('/') {
        return refuse(stream, 400, "unsupported request target\n", "");
    }
    let target = target.split('#').next().unwrap_or_default();
    let (path, query) = match target.split_once('?') {
        Some((path, query)) => (path, Some(query)),
        None => (target, None),
    };
    if path == "/__dossier/events" {
        if head_only {
            stream.write_all(
                b"HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-store\r\nConnection: close\r\n\r\n",
            )?;
            return linger(stream);
        }
        return events(stream, shared);
    }
    match lookup(root, path) {
        Found::File(file) => {
            let ctype = content_type(&file);
            // A rebuild may have removed it since it was found.
            let Ok(file) = File::open(&file) else {
                not_found(&mut stream, root, head_only)?;
                return linger(stream);
            };
            let body = if ctype.starts_with("text/html") {
                html_body(file, false)?
            } else {
                Body::file(file)?
            };
            send(&mut stream, 200, ctype, &body, head_only, "")?;
        }
        Found::Folder => {
            // Relative to the requested path, so it holds under any prefix a
            // proxy adds; `./` keeps a name with a colon from reading as a
            // scheme. The target has no control characters (checked above).
            let name = path.rsplit('/').next().unwrap_or_default();
            let query = query.map(|q| format!("?{q}")).unwrap_or_default();
            let location = format!("Location: ./{name}/{query}\r\n");
            simple(
                &mut stream,
                301,
                "moved to the folder\n",
                head_only,
                &location,
            )?;
        }
        Found::Missing => not_found(&mut stream, root, head_only)?,
    }
    linger(stream)
}

/// The site's 404 page, with status 404.
fn not_found(stream: &mut TcpStream, root: &Path, head_only: bool) -> io::Result<()> {
    // 404.html links relative to the site root, but it answers at any
    // depth: anchor its links at the root we serve.
    let body = match File::open(root.join("404.html")) {
        Ok(file) => html_body(file, true)?,
        Err(_) => Body::bytes(&[b"not found\n", LIVE_SCRIPT.as_bytes()]),
    };
    send(
        stream,
        404,
        "text/html; charset=utf-8",
        &body,
        head_only,
        "",
    )
}

/// Ends a response: says it is complete, then reads what the client still
/// sends for a moment (an unread request body, say), since closing with
/// unread data resets the connection, which can destroy the response
/// before the client has read it.
fn linger(stream: TcpStream) -> io::Result<()> {
    stream.shutdown(Shutdown::Write)?;
    let until = Instant::now() + Duration::from_secs(2);
    let mut left = 1 << 20;
    let mut buf = [0u8; 8192];
    while left > 0 {
        let wait = until.saturating_duration_since(Instant::now());
        if wait.is_zero() {
            break;
        }
        stream.set_read_timeout(Some(wait))?;
        match (&stream).read(&mut buf) {
            Ok(0) | Err(_) => break,
            Ok(n) => left -= n.min(left),
        }
    }
    Ok(())
}

/// What a request path names in the site.
enum Found {
    File(PathBuf),
    /// A folder with an index page, named without the trailing slash its
    /// page's relative links need.
    Folder,
    Missing,
}

/// Maps a request path to a file inside `root`, or `None` (→ 404) for
/// anything missing or outside: `..` segments (also percent-encoded),
/// backslashes, NUL bytes and symlinks that lead out of the site.
pub fn resolve(root: &Path, url_path: &str) -> Option<PathBuf> {
    match lookup(root, url_path) {
        Found::File(file) => Some(file),
        Found::Folder | Found::Missing => None,
    }
}

/// What `url_path` names inside `root`, as [`resolve`] says; a folder is
/// its `index.html` when named with a trailing slash.
fn lookup(root: &Path, url_path: &str) -> Found {
    let inside = |file: &Path| {
        let canonical_root = root.canonicalize().ok()?;
        let canonical = file.canonicalize().ok()?;
        (canonical.starts_with(&canonical_root) && canonical.is_file()).then_some(canonical)
    };
    let Some(decoded) = crate::url::percent_decode_strict(url_path) else {
        return Found::Missing;
    };
    if decoded.contains('\0') || decoded.contains('\\') {
        return Found::Missing;
    }
    // As a browser does, `a/../b` is `b`; above the root is nowhere.
    let Some(inside_path) = crate::url::join("", &decoded) else {
        return Found::Missing;
    };
    let mut file = root.to_path_buf();
    file.extend(inside_path.split('/').filter(|s| !s.is_empty()));
    if file.is_dir() {
        file.push("index.html");
        if !url_path.ends_with('/') {
            return match inside(&file) {
                Some(_) => Found::Folder,
                None => Found::Missing,
            };
        }
    }
    inside(&file).map_or(Found::Missing, Found::File)
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

/// A response body: ranges of one open file and fixed bytes between them,
/// written in order, so a file of any size is streamed from disk rather
/// than held in memory once per request.
struct Body {
    file: Option<File>,
    pieces: Vec<Piece>,
}

enum Piece {
    File(Range<u64>),
    Bytes(&'static [u8]),
}

impl Body {
    fn bytes(parts: &[&'static [u8]]) -> Body {
        Body {
            file: None,
            pieces: parts.iter().map(|b| Piece::Bytes(b)).collect(),
        }
    }

    /// The whole file, as it is.
    fn file(file: File) -> io::Result<Body> {
        let len = file.metadata()?.len();
        Ok(Body {
            file: Some(file),
            pieces: vec![Piece::File(0..len)],
        })
    }

    fn len(&self) -> u64 {
        self.pieces
            .iter()
            .map(|p| match p {
                Piece::File(r) => r.end - r.start,
                Piece::Bytes(b) => b.len() as u64,
            })
            .sum()
    }

    fn write_to(&self, out: &mut impl Write) -> io::Result<()> {
        for piece in &self.pieces {
            match piece {
                Piece::Bytes(b) => out.write_all(b)?,
                Piece::File(r) => {
                    let mut file = self.file.as_ref().expect("a file body has its file");
                    file.seek(SeekFrom::Start(r.start))?;
                    let want = r.end - r.start;
                    // The length was sent ahead: a file that shrank since
                    // must end the connection, not send a short body.
                    if io::copy(&mut file.take(want), out)? != want {
                        return Err(io::ErrorKind::UnexpectedEof.into());
                    }
                }
            }
        }
        Ok(())
    }
}

/// An HTML page with the live-reload script before its last `</body>` (or
/// at its end), and with `base`, a `<base href="/">` after its `<head>`
/// unless it has a base already.
fn html_body(file: File, base: bool) -> io::Result<Body> {
    let len = file.metadata()?.len();
    let mut pieces = Vec::new();
    let mut at = 0;
    if base {
        // The head is at the top of a page: its start is enough to look in.
        let mut start = vec![0; len.min(HEAD_SCAN) as usize];
        read_exact_at(&file, &mut start, 0)?;
        if memmem::find(&start, b"<base ").is_none() {
            if let Some(i) = memmem::find(&start, b"<head>") {
                at = (i + "<head>".len()) as u64;
                pieces.push(Piece::File(0..at));
                pieces.push(Piece::Bytes(b"\n<base href=\"/\">"));
            }
        }
    }
    match rfind_in_file(&file, len, b"</body>")? {
        Some(end) if end >= at => pieces.extend([
            Piece::File(at..end),
            Piece::Bytes(LIVE_SCRIPT.as_bytes()),
            Piece::Bytes(b"\n"),
            Piece::File(end..len),
        ]),
        _ => pieces.extend([Piece::File(at..len), Piece::Bytes(LIVE_SCRIPT.as_bytes())]),
    }
    Ok(Body {
        file: Some(file),
        pieces,
    })
}

/// Where the last `needle` in the first `len` bytes of `file` starts,
/// reading backwards a block at a time (`</body>` is near the end).
fn rfind_in_file(file: &File, len: u64, needle: &[u8]) -> io::Result<Option<u64>> {
    const BLOCK: u64 = 64 * 1024;
    let mut buf = Vec::new();
    let mut end = len;
    while end > 0 {
        let start = end.saturating_sub(BLOCK);
        // Overlap the block after by one byte less than the needle, so a
        // needle across the boundary is found; one starting at or after
        // `end` was looked for already.
        let stop = (end + needle.len() as u64 - 1).min(len);
        buf.resize((stop - start) as usize, 0);
        read_exact_at(file, &mut buf, start)?;
        if let Some(i) = memmem::rfind(&buf, needle) {
            return Ok(Some(start + i as u64));
        }
        end = start;
    }
    Ok(None)
}

/// Fills `buf` from `file` at `offset`.
#[cfg(unix)]
fn read_exact_at(file: &File, buf: &mut [u8], offset: u64) -> io::Result<()> {
    std::os::unix::fs::FileExt::read_exact_at(file, buf, offset)
}

/// Fills `buf` from `file` at `offset` (moving the file's cursor, which
/// every reader of a body sets first).
#[cfg(windows)]
fn read_exact_at(file: &File, mut buf: &mut [u8], mut offset: u64) -> io::Result<()> {
    use std::os::windows::fs::FileExt;
    while !buf.is_empty() {
        match file.seek_read(buf, offset) {
            Ok(0) => return Err(io::ErrorKind::UnexpectedEof.into()),
            Ok(n) => {
                buf = &mut buf[n..];
                offset += n as u64;
            }
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(())
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        301 => "Moved Permanently",
        400 => "Bad Request",
        404 => "Not Found",
        405 => "Method Not Allowed",
        414 => "URI Too Long",
        421 => "Misdirected Request",
        431 => "Request Header Fields Too Large",
        _ => "Error",
    }
}

/// Writes a response: status line, the headers every response gets,
/// `extra` header lines (each ending in CRLF), then the body unless
/// `head_only` (HEAD gets the length the body would have).
fn send(
    stream: &mut TcpStream,
    status: u16,
    ctype: &str,
    body: &Body,
    head_only: bool,
    extra: &str,
) -> io::Result<()> {
    write!(
        stream,
        "HTTP/1.1 {status} {}\r\nContent-Type: {ctype}\r\nContent-Length: {}\r\n{extra}Cache-Control: no-store\r\nX-Content-Type-Options: nosniff\r\nConnection: close\r\n\r\n",
        reason(status),
        body.len()
    )?;
    if !head_only {
        body.write_to(stream)?;
    }
    stream.flush()
}

/// A short plain-text response.
fn simple(
    stream: &mut TcpStream,
    status: u16,
    text: &'static str,
    head_only: bool,
    extra: &str,
) -> io::Result<()> {
    let body = Body::bytes(&[text.as_bytes()]);
    send(
        stream,
        status,
        "text/plain; charset=utf-8",
        &body,
        head_only,
        extra,
    )
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

    #[cfg(unix)]
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
        assert_eq!(
            resolve(&site, "/topics/./../index.html").unwrap(),
            root.join("index.html")
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

    /// The body `html_body` makes of `page`, as the client gets it.
    fn served(page: &[u8], base: bool) -> String {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("page.html");
        std::fs::write(&path, page).unwrap();
        let body = html_body(File::open(&path).unwrap(), base).unwrap();
        let mut out = Vec::new();
        body.write_to(&mut out).unwrap();
        assert_eq!(out.len() as u64, body.len());
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn the_404_page_is_anchored_at_the_root() {
        let out = served(b"<html><head><title>x</title></head>", true);
        assert_eq!(
            out,
            format!("<html><head>\n<base href=\"/\"><title>x</title></head>{LIVE_SCRIPT}")
        );
        let kept = "<head><base href=\"https://e.org/\"></head>";
        assert_eq!(
            served(kept.as_bytes(), true),
            format!("{kept}{LIVE_SCRIPT}")
        );
    }

    #[test]
    fn html_gets_the_live_script_before_body_end() {
        let out = served(b"<html><body><p>x</p></body></html>", false);
        assert!(
            out.contains("<p>x</p><script>/* injected by dossier serve"),
            "{out}"
        );
        assert!(out.ends_with("</script>\n</body></html>"));
        // The last `</body>`, also when it straddles a block read backwards.
        for pad in 64 * 1024 - 10..64 * 1024 + 10 {
            let page = format!("<body>{}</body>{}", "x".repeat(pad), "y".repeat(pad % 7));
            let out = served(page.as_bytes(), false);
            let at = out.find("<script>/* injected").unwrap();
            assert_eq!(at, "<body>".len() + pad, "{pad}");
        }
    }

    #[test]
    fn only_loopback_names_pass_the_host_check() {
        for host in [
            "localhost",
            "localhost:8000",
            "LOCALHOST:8000",
            "127.0.0.1",
            "127.0.0.1:8000",
            "127.1.2.3:8000",
            "[::1]",
            "[::1]:8000",
            "[::ffff:127.0.0.1]:8000",
        ] {
            assert!(is_loopback_host(host), "{host}");
        }
        for host in [
            "",
            "evil.example",
            "evil.example:8000",
            "localhost.evil.example",
            "127.0.0.1.evil.example:8000",
            "127.0.0.1@evil.example",
            "localhost:80x",
            "localhost.",
            "0.0.0.0:8000",
            "[::]:8000",
            "[::1",
            "::1",
            "192.168.1.2:8000",
        ] {
            assert!(!is_loopback_host(host), "{host}");
        }
    }

    #[test]
    fn editor_leftovers_are_not_changes() {
        let roots = [
            PathBuf::from("content"),
            PathBuf::from("/tmp/.tmpAbc/content"),
        ];
        for path in [
            "content/about.md",
            "content/chapters/a.md",
            "/tmp/.tmpAbc/content/about.md",
            "content",
        ] {
            assert!(relevant(&roots, Path::new(path)), "{path}");
        }
        for path in [
            "content/.about.md.swp",
            "content/about.md~",
            "content/.#about.md",
            "content/4913",
            "content/chapters/4913",
            "content/.git/index",
            "/tmp/.tmpAbc/content/.about.md.swx",
            "/elsewhere/.x.md.swp",
        ] {
            assert!(!relevant(&roots, Path::new(path)), "{path}");
        }
    }

    #[test]
    fn settling_ends_while_changes_keep_coming() {
        let (tx, rx) = mpsc::channel();
        let sender = std::thread::spawn(move || {
            let start = Instant::now();
            while start.elapsed() < MAX_DELAY * 4 {
                if tx.send(Change::Site).is_err() {
                    break;
                }
                std::thread::sleep(QUIET / 3);
            }
        });
        let start = Instant::now();
        settle(&rx, &mut BTreeSet::new());
        let took = start.elapsed();
        assert!(
            took >= MAX_DELAY && took < MAX_DELAY * 3,
            "settled after {took:?}"
        );
        drop(rx);
        sender.join().unwrap();
    }
}

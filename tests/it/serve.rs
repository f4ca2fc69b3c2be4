//! `dossier serve`, driven over real HTTP: the built site is served with the
//! live-reload script added to responses only, nothing outside the site is
//! reachable, and edits trigger a rebuild that either shows up on the next
//! request or, when it fails, leaves the last good site in place.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering::Relaxed};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::support::{resolve, Project};

/// A running `dossier serve`, stopped (by its own pid) when dropped.
struct Server {
    child: Child,
    addr: String,
    stderr: Arc<Mutex<String>>,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Starts `dossier serve --port 0` in the project and waits for its address.
fn serve(p: &Project) -> Server {
    serve_with(p, &[])
}

/// [`serve`] with more arguments.
fn serve_with(p: &Project, args: &[&str]) -> Server {
    let mut child = Command::new(env!("CARGO_BIN_EXE_dossier"))
        .args(["serve", "--port", "0"])
        .args(args)
        .current_dir(p.path())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("dossier serve starts");
    let stderr = Arc::new(Mutex::new(String::new()));
    let mut err_pipe = child.stderr.take().unwrap();
    let sink = Arc::clone(&stderr);
    // Drained on a thread so the server never blocks on a full pipe.
    std::thread::spawn(move || {
        let mut buf = [0u8; 4096];
        while let Ok(n) = err_pipe.read(&mut buf) {
            if n == 0 {
                break;
            }
            sink.lock()
                .unwrap()
                .push_str(&String::from_utf8_lossy(&buf[..n]));
        }
    });
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    // "serving site at http://127.0.0.1:PORT/ (Ctrl-C to stop)"
    let addr = line
        .split("http://")
        .nth(1)
        .and_then(|rest| rest.split('/').next())
        .unwrap_or_else(|| panic!("no address in {line:?}; stderr: {}", stderr.lock().unwrap()))
        .to_string();
    Server {
        child,
        addr,
        stderr,
    }
}

/// One GET request: status, headers, body.
fn get(addr: &str, path: &str) -> (u16, String, String) {
    let mut s = TcpStream::connect(addr).expect("server accepts");
    s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    write!(
        s,
        "GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut raw = Vec::new();
    s.read_to_end(&mut raw).unwrap();
    let raw = String::from_utf8_lossy(&raw).into_owned();
    let (head, body) = raw.split_once("\r\n\r\n").expect("headers end");
    let status = head
        .split_whitespace()
        .nth(1)
        .and_then(|c| c.parse().ok())
        .expect("status code");
    (status, head.to_string(), body.to_string())
}

/// Polls `path` until `pred` holds for its body, or panics after 20 s.
fn wait_for(server: &Server, path: &str, what: &str, pred: impl Fn(&str) -> bool) -> String {
    let start = Instant::now();
    loop {
        let (_, _, body) = get(&server.addr, path);
        if pred(&body) {
            return body;
        }
        assert!(
            start.elapsed() < Duration::from_secs(20),
            "timed out waiting for {what}; stderr:\n{}",
            server.stderr.lock().unwrap()
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}

#[test]
fn serves_the_site_with_live_reload_added_to_responses_only() {
    let p = Project::new("basic");
    let server = serve(&p);
    let (status, head, body) = get(&server.addr, "/");
    assert_eq!(status, 200, "{head}");
    assert!(head.contains("Content-Type: text/html"), "{head}");
    assert!(body.contains("<h1>Civilians in Conflict</h1>"));
    assert!(body.contains("/__dossier/events"), "live reload script");
    assert!(
        !p.page("index.html").contains("__dossier"),
        "the script is never written into site/"
    );
    let (status, _, body) = get(&server.addr, "/notes/field%20notes.html");
    assert_eq!(status, 200);
    assert!(body.contains("<h1>field notes</h1>"));
    let (status, head, _) = get(&server.addr, "/static/style.css");
    assert_eq!(status, 200);
    assert!(head.contains("Content-Type: text/css"), "{head}");
    let (status, _, body) = get(&server.addr, "/nowhere.html");
    assert_eq!(status, 404);
    assert!(body.contains("<h1>Page not found</h1>"));
}

#[test]
fn nothing_outside_the_site_is_served() {
    let p = Project::new("basic");
    let server = serve(&p);
    for path in [
        "/../content/_index.md",
        "/%2e%2e/content/_index.md",
        "/..%2fcontent/_index.md",
        "/static/..%5c..%5ccontent/_index.md",
        "/index.html%00.css",
    ] {
        let (status, _, body) = get(&server.addr, path);
        assert_eq!(status, 404, "{path}");
        assert!(!body.contains("This report has"), "{path} leaked content");
    }
}

#[test]
fn edits_rebuild_and_a_failed_rebuild_keeps_the_last_good_site() {
    let p = Project::new("basic");
    let server = serve(&p);
    let about = p.path().join("content/about.md");
    let text = std::fs::read_to_string(&about).unwrap();
    std::fs::write(
        &about,
        text.replace("Written by the team.", "Rewritten today."),
    )
    .unwrap();
    wait_for(&server, "/about.html", "the edit", |b| {
        b.contains("Rewritten today.")
    });

    std::fs::write(
        p.path().join("content/methodology.md"),
        "# Methodology\n\nSee [nothing](missing.md).\n",
    )
    .unwrap();
    let start = Instant::now();
    while !server
        .stderr
        .lock()
        .unwrap()
        .contains("broken link 'missing.md'")
    {
        assert!(
            start.elapsed() < Duration::from_secs(20),
            "no failed rebuild reported; stderr:\n{}",
            server.stderr.lock().unwrap()
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    let (status, _, body) = get(&server.addr, "/methodology.html");
    assert_eq!(status, 200, "the last good site is still served");
    assert!(body.contains("<h2 id=\"sources-and-limits\">"));
    assert!(p.page("about.html").contains("Rewritten today."));
}

/// The 404 page is served for missing paths at any depth, so its relative
/// links (stylesheet, home page) must still resolve there; without a
/// `<base href>` they resolve against the missing path's folder.
#[test]
fn the_404_page_works_below_the_root() {
    let p = Project::new("basic");
    let server = serve(&p);
    let (status, _, body) = get(&server.addr, "/topics/gone/nowhere.html");
    assert_eq!(status, 404);
    for href in ["static/style.css", "index.html"] {
        let written = format!("href=\"{href}\"");
        if body.contains(&written) && !body.contains("<base href=") {
            let (file, _) = resolve("topics/gone/nowhere.html", href).unwrap();
            let (status, _, _) = get(&server.addr, &format!("/{file}"));
            assert_eq!(status, 200, "{href} from the 404 page → /{file}");
        }
    }
}

/// Reads server-sent events from `/__dossier/events` on a background thread.
fn events(addr: &str) -> Arc<Mutex<Vec<String>>> {
    let mut s = TcpStream::connect(addr).expect("server accepts");
    write!(s, "GET /__dossier/events HTTP/1.1\r\nHost: {addr}\r\n\r\n").unwrap();
    let seen = Arc::new(Mutex::new(Vec::new()));
    let sink = Arc::clone(&seen);
    std::thread::spawn(move || {
        for line in BufReader::new(s).lines() {
            let Ok(line) = line else { break };
            if let Some(data) = line.strip_prefix("data: ") {
                sink.lock().unwrap().push(data.to_string());
            }
        }
    });
    seen
}

/// Waits until an event satisfying `pred` arrives after the first `from` ones.
fn next_event(
    seen: &Arc<Mutex<Vec<String>>>,
    from: usize,
    what: &str,
    pred: impl Fn(&str) -> bool,
) -> usize {
    let start = Instant::now();
    loop {
        if let Some(i) = seen.lock().unwrap().iter().skip(from).position(|e| pred(e)) {
            return from + i + 1;
        }
        assert!(
            start.elapsed() < Duration::from_secs(20),
            "no {what} event: {:?}",
            seen.lock().unwrap()
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn open_pages_are_told_to_reload_and_to_show_then_drop_the_error_overlay() {
    let p = Project::new("basic");
    let server = serve(&p);
    // The page carries the listener for those events (and its overlay).
    let (_, _, page) = get(&server.addr, "/about.html");
    assert!(
        page.contains("new EventSource('/__dossier/events')")
            && page.contains("dossier-error-overlay")
    );
    let seen = events(&server.addr);
    let n = next_event(&seen, 0, "initial state", |e| e.contains("\"error\":null"));
    let generation = |e: &str| {
        e.split("\"generation\":")
            .nth(1)
            .and_then(|g| g.trim_end_matches('}').parse::<u64>().ok())
    };
    let first = generation(&seen.lock().unwrap()[n - 1]).unwrap();

    // Touching a page: a new generation, which makes open pages reload.
    let about = p.path().join("content/about.md");
    let text = std::fs::read_to_string(&about).unwrap();
    std::fs::write(&about, format!("{text}\nTouched.\n")).unwrap();
    let n = next_event(&seen, n, "reload", |e| {
        e.contains("\"error\":null") && generation(e) > Some(first)
    });

    // A broken edit: the state carries the diagnostics (shown as the overlay).
    std::fs::write(&about, format!("{text}\n[broken](nowhere.md)\n")).unwrap();
    let n = next_event(&seen, n, "error", |e| {
        e.contains("broken link 'nowhere.md'")
    });

    // The fix: the error is gone (the overlay is removed) and pages reload.
    std::fs::write(&about, &text).unwrap();
    next_event(&seen, n, "recovery", |e| e.contains("\"error\":null"));
}

#[test]
fn raw_html_flag_reaches_the_served_pages() {
    let p = Project::new("basic");
    let about = p.path().join("content/about.md");
    let text = std::fs::read_to_string(&about).unwrap();
    std::fs::write(
        &about,
        format!("{text}\n<script>window.ran = 1;</script>\n"),
    )
    .unwrap();
    let server = serve_with(&p, &["--raw-html"]);
    let (_, _, body) = get(&server.addr, "/about.html");
    assert!(body.contains("<script>window.ran = 1;</script>"), "{body}");
}

/// The real seed and decomposition file in `seeds/` of the project, imported
/// into its `content/` as `dossier import` does.
fn imported_project() -> Project {
    let p = Project::empty();
    let seeds = p.path().join("seeds");
    std::fs::create_dir(&seeds).unwrap();
    for e in std::fs::read_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join("seeds")).unwrap() {
        let e = e.unwrap();
        std::fs::copy(e.path(), seeds.join(e.file_name())).unwrap();
    }
    let run = p.run(&["import", SEED]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    p
}

const SEED: &str = "seeds/pax-nato-human-security-2026.txt";
const DECOMPOSITION: &str = "seeds/pax-nato-human-security-2026.decomposition.yaml";

#[test]
fn a_changed_decomposition_file_is_imported_again_and_a_broken_one_shown() {
    let p = imported_project();
    // An editor's change to an imported page, which the re-import must keep.
    let about = p.path().join("content/about.md");
    let edited = std::fs::read_to_string(&about).unwrap() + "\nAn editor's line.\n";
    std::fs::write(&about, &edited).unwrap();
    let server = serve(&p);
    let seen = events(&server.addr);
    let n = next_event(&seen, 0, "initial state", |e| e.contains("\"error\":null"));
    let page = "/topics/protection-of-civilians.html";
    let (_, _, before) = get(&server.addr, page);
    assert!(
        before.contains("<h1>Protection of Civilians</h1>"),
        "{before}"
    );

    // Renaming a topic in the decomposition file: imported, rebuilt, reloaded.
    let dec = p.path().join(DECOMPOSITION);
    let text = std::fs::read_to_string(&dec).unwrap();
    let old = "    title: Protection of Civilians\n";
    assert!(text.contains(old));
    let renamed = text.replace(old, "    title: Civilian protection\n");
    std::fs::write(&dec, &renamed).unwrap();
    let n = next_event(&seen, n, "reload after the import", |e| {
        e.contains("\"error\":null")
    });
    let (status, _, after) = get(&server.addr, page);
    assert_eq!(status, 200);
    assert!(after.contains("<h1>Civilian protection</h1>"), "{after}");
    assert_eq!(std::fs::read_to_string(&about).unwrap(), edited);
    let stderr = server.stderr.lock().unwrap().clone();
    assert!(
        stderr.contains("content/about.md: warning: edited since the last import, left alone")
            && stderr.contains("1 edited left alone"),
        "{stderr}"
    );

    // Broken YAML: the overlay names the file and line; the site stays.
    let line = renamed
        .lines()
        .position(|l| l.contains("Civilian protection"))
        .unwrap()
        + 1;
    let broken = renamed.replace("title: Civilian protection", "title: Civilian: protection");
    std::fs::write(&dec, &broken).unwrap();
    let at = format!("{DECOMPOSITION}:{line}:");
    let n = next_event(&seen, n, "import error", |e| e.contains(&at));
    assert!(
        seen.lock().unwrap()[n - 1].contains("the value of `title` contains `: `"),
        "{:?}",
        seen.lock().unwrap()
    );
    let (status, _, still) = get(&server.addr, page);
    assert_eq!(status, 200);
    assert!(still.contains("<h1>Civilian protection</h1>"), "{still}");
    assert!(
        server.stderr.lock().unwrap().contains(&format!(
            "error: import of {SEED} failed; content was left as it was"
        )),
        "{}",
        server.stderr.lock().unwrap()
    );

    // While the import fails, a content edit does not clear the error; the
    // fix imports, rebuilds and clears it.
    std::fs::write(&about, edited.clone() + "\nOne more.\n").unwrap();
    std::thread::sleep(Duration::from_millis(1000));
    assert!(
        seen.lock().unwrap().last().unwrap().contains(&at),
        "{:?}",
        seen.lock().unwrap()
    );
    std::fs::write(&dec, &renamed).unwrap();
    next_event(&seen, n, "recovery", |e| e.contains("\"error\":null"));
    let (_, _, about_page) = get(&server.addr, "/about.html");
    assert!(about_page.contains("One more."), "{about_page}");
}

/// `dossier import` replaces `content/` by a new folder; the server must
/// watch the new one, or edits made after an import would go unseen.
#[cfg(unix)]
#[test]
fn edits_after_an_import_still_rebuild() {
    use std::os::unix::fs::MetadataExt;
    let p = Project::empty();
    let seed = Path::new(env!("CARGO_MANIFEST_DIR")).join("seeds/pax-nato-human-security-2026.txt");
    let seed = seed.to_str().unwrap();
    p.run(&["import", seed]).success();
    let server = serve(&p);
    let about = p.path().join("content/about.md");
    let text = std::fs::read_to_string(&about).unwrap();
    std::fs::write(&about, text.replace("Disclaimer", "Disclaimer (edited)")).unwrap();
    wait_for(&server, "/about.html", "the edit", |b| {
        b.contains("Disclaimer (edited)")
    });
    let before = std::fs::metadata(p.path().join("content")).unwrap().ino();
    p.run(&["import", seed, "--force"]).success();
    let after = std::fs::metadata(p.path().join("content")).unwrap().ino();
    assert_ne!(before, after, "the import replaced content/");
    wait_for(&server, "/about.html", "the import", |b| {
        !b.contains("Disclaimer (edited)")
    });
    std::fs::write(&about, text.replace("Disclaimer", "Disclaimer (after)")).unwrap();
    wait_for(&server, "/about.html", "the edit after the import", |b| {
        b.contains("Disclaimer (after)")
    });
}

/// What the server sent back on one connection.
struct Reply {
    /// 0 when nothing parseable came back.
    status: u16,
    head: String,
    body: Vec<u8>,
    /// Whether the server closed the connection (rather than the read timing
    /// out with the response still open).
    closed: bool,
}

impl Reply {
    fn header(&self, name: &str) -> Option<&str> {
        self.head.lines().skip(1).find_map(|l| {
            let (n, v) = l.split_once(':')?;
            n.eq_ignore_ascii_case(name).then(|| v.trim())
        })
    }
}

/// Sends `raw` as it is on a new connection and reads until the server
/// closes it, or 10 s pass.
fn send(addr: &str, raw: &[u8]) -> Reply {
    let mut s = TcpStream::connect(addr).expect("server accepts");
    s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    // The server may answer (and close) before a long request is all sent.
    let _ = s.write_all(raw);
    let mut got = Vec::new();
    let mut buf = [0u8; 8192];
    let closed = loop {
        match s.read(&mut buf) {
            Ok(0) => break true,
            Ok(n) => got.extend_from_slice(&buf[..n]),
            // A reset after the response is a close too.
            Err(e) if e.kind() == std::io::ErrorKind::ConnectionReset => break true,
            Err(_) => break false,
        }
    };
    let end = got
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .map_or(got.len(), |i| i + 4);
    let head = String::from_utf8_lossy(&got[..end]).into_owned();
    let status = head
        .split_whitespace()
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or(0);
    Reply {
        status,
        head,
        body: got[end..].to_vec(),
        closed,
    }
}

/// A GET of `path` with the given `Host` header line (or none).
fn get_as(addr: &str, path: &str, host: Option<&str>) -> Reply {
    let host = host.map(|h| format!("Host: {h}\r\n")).unwrap_or_default();
    send(
        addr,
        format!("GET {path} HTTP/1.1\r\n{host}Connection: close\r\n\r\n").as_bytes(),
    )
}

/// A DNS rebinding page reaches the server under the attacker's name: only
/// names that mean the loopback itself may read the site or the events.
#[test]
fn only_loopback_host_names_are_answered() {
    let p = Project::new("basic");
    let server = serve(&p);
    let port = server.addr.rsplit(':').next().unwrap();
    for host in [
        "evil.example".to_string(),
        format!("evil.example:{port}"),
        format!("127.0.0.1.evil.example:{port}"),
        format!("localhost.evil.example:{port}"),
        format!("127.0.0.1@evil.example:{port}"),
        String::new(),
    ] {
        for path in ["/about.html", "/__dossier/events", "/nowhere.html"] {
            let r = get_as(&server.addr, path, Some(&host));
            assert_eq!(r.status, 421, "Host {host:?} {path}: {}", r.head);
            assert!(r.closed, "Host {host:?} {path}: the connection stays open");
            let body = String::from_utf8_lossy(&r.body);
            assert!(
                body.len() < 200 && !body.contains("event:") && !body.contains("<html"),
                "Host {host:?} {path}: {body}"
            );
        }
    }
    for host in [
        server.addr.clone(),
        format!("localhost:{port}"),
        "localhost".to_string(),
        format!("LocalHost:{port}"),
        format!("[::1]:{port}"),
        format!("127.0.0.1:{port}"),
    ] {
        let r = get_as(&server.addr, "/about.html", Some(&host));
        assert_eq!(r.status, 200, "Host {host:?}: {}", r.head);
    }
    // HTTP/1.1 requires the header; two of them are ambiguous.
    let r = get_as(&server.addr, "/about.html", None);
    assert_eq!(r.status, 400, "{}", r.head);
    let two = format!(
        "GET / HTTP/1.1\r\nHost: {}\r\nHost: evil.example\r\n\r\n",
        server.addr
    );
    let r = send(&server.addr, two.as_bytes());
    assert_eq!(r.status, 400, "{}", r.head);
    // HTTP/1.0 had no Host header: no browser sends such a request.
    let r = send(&server.addr, b"GET /about.html HTTP/1.0\r\n\r\n");
    assert_eq!(r.status, 200, "{}", r.head);
}

/// Binding to every address is the user's choice to share the site: it is
/// said, and then any name the machine is reached by is answered.
#[test]
fn a_bind_to_every_address_warns_and_answers_any_host() {
    let p = Project::new("basic");
    let server = serve_with(&p, &["--bind", "0.0.0.0"]);
    let port = server.addr.rsplit(':').next().unwrap();
    let local = format!("127.0.0.1:{port}");
    let r = get_as(
        &local,
        "/about.html",
        Some(&format!("my-laptop.lan:{port}")),
    );
    assert_eq!(r.status, 200, "{}", r.head);
    // stderr is drained by a thread of its own: give it time to arrive.
    let deadline = Instant::now() + Duration::from_secs(10);
    let stderr = loop {
        let stderr = server.stderr.lock().unwrap().clone();
        if stderr.contains("network") || Instant::now() > deadline {
            break stderr;
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    assert!(
        stderr.contains("warning") && stderr.contains("network"),
        "{stderr}"
    );
    let other = Project::new("basic");
    let loopback = serve(&other);
    assert!(
        !loopback.stderr.lock().unwrap().contains("network"),
        "{}",
        loopback.stderr.lock().unwrap()
    );
    drop(loopback);
    // The IPv6 loopback is a loopback too, where the machine has one.
    if std::net::TcpListener::bind("[::1]:0").is_ok() {
        let v6 = serve_with(&other, &["--bind", "::1"]);
        assert!(v6.addr.starts_with("[::1]:"), "{}", v6.addr);
        let r = get_as(&v6.addr, "/about.html", Some(&v6.addr));
        assert_eq!(r.status, 200, "{}", r.head);
        let r = get_as(&v6.addr, "/about.html", Some("evil.example"));
        assert_eq!(r.status, 421, "{}", r.head);
        assert!(!v6.stderr.lock().unwrap().contains("network"));
    }
}

/// `/chapters` is a folder: its index page links `analysis.html`, which
/// must resolve below `/chapters/`, so the server sends the browser there.
#[test]
fn a_folder_without_its_slash_is_redirected_to_it() {
    let p = Project::new("basic");
    let server = serve(&p);
    for (path, to) in [
        ("/chapters", "/chapters/"),
        ("/chapters?x=1", "/chapters/?x=1"),
    ] {
        let r = get_as(&server.addr, path, Some(&server.addr));
        assert!(matches!(r.status, 301 | 308), "{path}: {}", r.head);
        let location = r.header("Location").expect("a Location").to_string();
        // Relative or path-only: never another host.
        assert!(
            !location.contains("://") && !location.starts_with("//"),
            "{path}: {location}"
        );
        assert_eq!(location_from(path, &location), to, "{path}: {location}");
        let (status, _, body) = get(&server.addr, to);
        assert_eq!(status, 200, "{path} → {location}");
        assert!(body.contains("analysis.html"), "{body}");
    }
    // A folder without an index page is not a page.
    let (status, _, _) = get(&server.addr, "/static");
    assert_eq!(status, 404);
    let (status, _, _) = get(&server.addr, "/chapters/");
    assert_eq!(status, 200);
}

/// The path a browser at `from` goes to for `Location: location`.
fn location_from(from: &str, location: &str) -> String {
    if location.starts_with('/') {
        return location.to_string();
    }
    let from = from.split('?').next().unwrap();
    let dir = &from[..from.rfind('/').unwrap() + 1];
    let mut out: Vec<&str> = Vec::new();
    let joined = format!("{dir}{location}");
    let (path, query) = match joined.split_once('?') {
        Some((p, q)) => (p.to_string(), format!("?{q}")),
        None => (joined.clone(), String::new()),
    };
    let segments: Vec<&str> = path.split('/').collect();
    for (i, seg) in segments.iter().enumerate() {
        match *seg {
            "." => {}
            ".." => {
                out.pop();
            }
            "" if i != 0 && i != segments.len() - 1 => {}
            s => out.push(s),
        }
    }
    format!("{}{query}", out.join("/"))
}

#[test]
fn other_methods_get_405_with_the_allowed_ones() {
    let p = Project::new("basic");
    let server = serve(&p);
    for method in ["POST", "PUT", "DELETE", "OPTIONS"] {
        let raw = format!(
            "{method} /about.html HTTP/1.1\r\nHost: {}\r\nContent-Length: 0\r\n\r\n",
            server.addr
        );
        let r = send(&server.addr, raw.as_bytes());
        assert_eq!(r.status, 405, "{method}: {}", r.head);
        assert_eq!(r.header("Allow"), Some("GET, HEAD"), "{method}: {}", r.head);
    }
}

/// HEAD gets the headers of the GET, never a body: not for pages, not for
/// the 404 page, and not for the endless event stream.
#[test]
fn head_never_sends_a_body() {
    let p = Project::new("basic");
    let server = serve(&p);
    for path in ["/about.html", "/static/style.css", "/nowhere.html"] {
        let full = get_as(&server.addr, path, Some(&server.addr));
        let raw = format!("HEAD {path} HTTP/1.1\r\nHost: {}\r\n\r\n", server.addr);
        let r = send(&server.addr, raw.as_bytes());
        assert_eq!(r.status, full.status, "{path}");
        assert!(
            r.closed && r.body.is_empty(),
            "{path}: {} bytes",
            r.body.len()
        );
        assert_eq!(
            r.header("Content-Length"),
            Some(full.body.len().to_string().as_str()),
            "{path}"
        );
    }
    let raw = format!(
        "HEAD /__dossier/events HTTP/1.1\r\nHost: {}\r\n\r\n",
        server.addr
    );
    let r = send(&server.addr, raw.as_bytes());
    assert_eq!(r.status, 200, "{}", r.head);
    assert!(
        r.closed && r.body.is_empty(),
        "HEAD of the event stream streamed {:?}",
        String::from_utf8_lossy(&r.body)
    );
}

/// Requests that are not what a browser sends get a plain answer, not a
/// dropped connection or a page from a misread path.
#[test]
fn malformed_and_absolute_form_requests() {
    let p = Project::new("basic");
    let server = serve(&p);
    let host = format!("Host: {}\r\n", server.addr);
    for raw in [
        [
            b"GET /about\xff\xfe.html HTTP/1.1\r\n".as_slice(),
            host.as_bytes(),
            b"\r\n",
        ]
        .concat(),
        format!("hello\r\n{host}\r\n").into_bytes(),
        format!("GET about.html HTTP/1.1\r\n{host}\r\n").into_bytes(),
        format!("GET /{} HTTP/1.1\r\n{host}\r\n", "a".repeat(20_000)).into_bytes(),
        format!("GET / HTTP/1.1\r\n{host}X: {}\r\n\r\n", "a".repeat(100_000)).into_bytes(),
    ] {
        let r = send(&server.addr, &raw);
        assert!(
            matches!(r.status, 400 | 414 | 431),
            "{:?}: {}",
            String::from_utf8_lossy(&raw[..raw.len().min(60)]),
            r.head
        );
        assert!(r.closed);
    }
    // The absolute form (RFC 9112, 3.2.2): its authority is the host.
    let raw = format!(
        "GET http://{}/about.html HTTP/1.1\r\nHost: {}\r\n\r\n",
        server.addr, server.addr
    );
    let r = send(&server.addr, raw.as_bytes());
    assert_eq!(r.status, 200, "{}", r.head);
    assert!(String::from_utf8_lossy(&r.body).contains("Written by the team."));
    let raw = format!(
        "GET http://evil.example/about.html HTTP/1.1\r\nHost: {}\r\n\r\n",
        server.addr
    );
    let r = send(&server.addr, raw.as_bytes());
    assert_eq!(r.status, 421, "{}", r.head);
}

/// A client that sends its request a byte at a time never finishes it: it
/// must not hold its connection (and thread) for ever.
#[test]
fn a_slow_client_is_cut_off() {
    let p = Project::new("basic");
    let server = serve(&p);
    let mut s = TcpStream::connect(&server.addr).unwrap();
    s.set_read_timeout(Some(Duration::from_millis(300)))
        .unwrap();
    write!(s, "GET / HTTP/1.1\r\nHost: {}\r\n", server.addr).unwrap();
    let start = Instant::now();
    let mut buf = [0u8; 1024];
    loop {
        match s.read(&mut buf) {
            Ok(0) => break,
            Ok(_) => {}
            Err(e)
                if matches!(
                    e.kind(),
                    std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
                ) => {}
            Err(_) => break,
        }
        assert!(
            start.elapsed() < Duration::from_secs(40),
            "a request trickling in for 40 s was still being read"
        );
        if s.write_all(b"X").is_err() {
            break;
        }
    }
}

/// The server's thread count, from /proc.
fn threads(pid: u32) -> usize {
    proc_status(pid, "Threads:")
}

/// A number field (`Threads:`, `VmHWM:` in kB) of /proc/PID/status.
fn proc_status(pid: u32, field: &str) -> usize {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap();
    status
        .lines()
        .find_map(|l| l.strip_prefix(field))
        .and_then(|v| v.split_whitespace().next())
        .and_then(|v| v.parse().ok())
        .unwrap_or_else(|| panic!("no {field} in {status}"))
}

/// Clients that connect and say nothing get a bounded number of threads;
/// the others wait their turn and are answered once the idle ones are cut
/// off.
#[test]
fn concurrent_connections_are_capped() {
    let p = Project::new("basic");
    let server = serve(&p);
    let pid = server.child.id();
    let (status, _, _) = get(&server.addr, "/");
    assert_eq!(status, 200);
    let before = threads(pid);
    // More than the cap, fewer than the listen queue holds.
    let idle: Vec<TcpStream> = (0..120)
        .map(|_| TcpStream::connect(&server.addr).unwrap())
        .collect();
    std::thread::sleep(Duration::from_millis(1500));
    let during = threads(pid);
    assert!(
        during <= before + 80,
        "{} idle connections: {before} threads → {during}",
        idle.len()
    );
    let mut s = TcpStream::connect(&server.addr).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(60))).unwrap();
    write!(
        s,
        "GET /about.html HTTP/1.1\r\nHost: {}\r\n\r\n",
        server.addr
    )
    .unwrap();
    let mut raw = Vec::new();
    s.read_to_end(&mut raw).unwrap();
    assert!(raw.starts_with(b"HTTP/1.1 200 "), "{raw:?}");
    drop(idle);
}

/// Twenty readers of a large page that take their time: the server streams
/// it from disk, so its memory does not grow with the page times the
/// readers.
#[test]
fn large_files_are_streamed_not_held_in_memory() {
    let p = Project::new("basic");
    let server = serve(&p);
    let pid = server.child.id();
    let mut page = String::from("<html><head><title>big</title></head><body>\n");
    while page.len() < 16 << 20 {
        page.push_str("<p>a long page, one of many lines of text</p>\n");
    }
    page.push_str("</body></html>\n");
    std::fs::write(p.path().join("site/big.html"), &page).unwrap();
    let (status, _, _) = get(&server.addr, "/about.html");
    assert_eq!(status, 200);
    let before = proc_status(pid, "VmHWM:");
    let readers: Vec<TcpStream> = (0..20)
        .map(|_| {
            let mut s = TcpStream::connect(&server.addr).unwrap();
            s.set_read_timeout(Some(Duration::from_secs(60))).unwrap();
            write!(s, "GET /big.html HTTP/1.1\r\nHost: {}\r\n\r\n", server.addr).unwrap();
            s
        })
        .collect();
    // Each reads the response head, then stops reading for a while.
    let mut readers: Vec<_> = readers
        .into_iter()
        .map(|mut s| {
            let mut head = Vec::new();
            let mut b = [0u8; 1];
            while !head.ends_with(b"\r\n\r\n") {
                assert_eq!(s.read(&mut b).unwrap(), 1, "{head:?}");
                head.push(b[0]);
            }
            let head = String::from_utf8(head).unwrap();
            assert!(head.starts_with("HTTP/1.1 200 "), "{head}");
            (s, head)
        })
        .collect();
    std::thread::sleep(Duration::from_millis(500));
    let after = proc_status(pid, "VmHWM:");
    let grown_mb = after.saturating_sub(before) / 1024;
    assert!(
        grown_mb < 150,
        "20 readers of a 16 MB page: peak memory grew by {grown_mb} MB"
    );
    // And one of them still gets the whole page, with the reload script.
    let (mut s, head) = readers.pop().unwrap();
    let mut body = Vec::new();
    s.read_to_end(&mut body).unwrap();
    let length: usize = head
        .lines()
        .find_map(|l| l.strip_prefix("Content-Length: "))
        .unwrap()
        .trim()
        .parse()
        .unwrap();
    assert_eq!(body.len(), length);
    let body = String::from_utf8(body).unwrap();
    let i = body.find("<script>/* injected").expect("the reload script");
    let j = i + body[i..].find("</script>\n").unwrap() + "</script>\n".len();
    assert_eq!(&body[j..], "</body></html>\n");
    assert!(
        format!("{}{}", &body[..i], &body[j..]) == page,
        "the page is intact"
    );
}

/// How many state events came: one per finished build (or failed one).
fn event_count(seen: &Arc<Mutex<Vec<String>>>) -> usize {
    seen.lock().unwrap().len()
}

/// An editor's swap and backup files change while the user types: they
/// are not part of the site, so they neither trigger a rebuild nor hold
/// back the rebuild of a real edit.
#[test]
fn editor_temporary_files_neither_delay_nor_cause_rebuilds() {
    let p = Project::new("basic");
    let server = serve(&p);
    let seen = events(&server.addr);
    next_event(&seen, 0, "initial state", |e| e.contains("\"error\":null"));
    let content = p.path().join("content");
    let stop = Arc::new(AtomicBool::new(false));
    let writer = {
        let (content, stop) = (content.clone(), Arc::clone(&stop));
        std::thread::spawn(move || {
            let mut i = 0u64;
            while !stop.load(Relaxed) {
                i += 1;
                std::fs::write(content.join(".about.md.swp"), format!("swap {i}")).unwrap();
                std::fs::write(content.join("about.md~"), format!("backup {i}")).unwrap();
                std::fs::write(content.join(".#about.md"), "user@host.1234").unwrap();
                std::fs::write(content.join("4913"), "").unwrap();
                std::fs::remove_file(content.join("4913")).unwrap();
                std::thread::sleep(Duration::from_millis(40));
            }
        })
    };
    let stopper = StopOnDrop(Arc::clone(&stop));
    std::thread::sleep(Duration::from_millis(500));
    let about = content.join("about.md");
    let text = std::fs::read_to_string(&about).unwrap();
    std::fs::write(&about, text.replace("Written by the team.", "Typed on.")).unwrap();
    wait_for(
        &server,
        "/about.html",
        "the edit while swap files change",
        |b| b.contains("Typed on."),
    );
    // Let the rebuild's own event arrive (and any late one of the edit's),
    // then watch for more.
    std::thread::sleep(Duration::from_millis(1500));
    let n = event_count(&seen);
    std::thread::sleep(Duration::from_millis(2500));
    assert_eq!(
        event_count(&seen),
        n,
        "swap files alone caused rebuilds: {:?}",
        seen.lock().unwrap()
    );
    drop(stopper);
    writer.join().unwrap();
}

/// Sets the flag when dropped, so a failing test still stops its writer.
struct StopOnDrop(Arc<AtomicBool>);

impl Drop for StopOnDrop {
    fn drop(&mut self) {
        self.0.store(true, Relaxed);
    }
}

/// Edits that never pause (a script, a formatter on save, a sync tool)
/// still get rebuilt while they continue.
#[test]
fn a_stream_of_edits_does_not_starve_rebuilds() {
    let p = Project::new("basic");
    let server = serve(&p);
    let seen = events(&server.addr);
    let n = next_event(&seen, 0, "initial state", |e| e.contains("\"error\":null"));
    let about = p.path().join("content/about.md");
    let text = std::fs::read_to_string(&about).unwrap();
    let stop = Arc::new(AtomicBool::new(false));
    let writer = {
        let (about, stop) = (about.clone(), Arc::clone(&stop));
        std::thread::spawn(move || {
            let mut i = 0u64;
            while !stop.load(Relaxed) {
                i += 1;
                // Saved as editors do, so a build never reads half a file.
                let tmp = about.with_file_name(".about.md.new");
                std::fs::write(&tmp, format!("{text}\nEdit {i}.\n")).unwrap();
                std::fs::rename(&tmp, &about).unwrap();
                std::thread::sleep(Duration::from_millis(40));
            }
        })
    };
    let stopper = StopOnDrop(Arc::clone(&stop));
    // Two rebuilds while the edits go on (the first may have begun before).
    let n = next_event(&seen, n, "a rebuild during the edits", |e| {
        e.contains("\"error\":null")
    });
    next_event(&seen, n, "a second rebuild during the edits", |e| {
        e.contains("\"error\":null")
    });
    assert!(!writer.is_finished());
    drop(stopper);
    writer.join().unwrap();
}

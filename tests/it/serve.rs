//! `dossier serve`, driven over real HTTP: the built site is served with the
//! live-reload script added to responses only, nothing outside the site is
//! reachable, and edits trigger a rebuild that either shows up on the next
//! request or, when it fails, leaves the last good site in place.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::os::unix::fs::MetadataExt;
use std::path::Path;
use std::process::{Child, Command, Stdio};
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
#[test]
fn edits_after_an_import_still_rebuild() {
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

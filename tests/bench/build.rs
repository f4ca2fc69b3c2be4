//! Build benchmark: `cargo bench --bench build`.
//!
//! Makes the synthetic corpus of N pages with `tests/bench/corpus.py` (the
//! shared `../shared/bench/make_corpus.py` pages plus 50 acronyms used in
//! their text; default 1,000 pages, `DOSSIER_BENCH_PAGES=10000,20000` for
//! more) under /dev/shm when it exists (the disk here is noisy; `BENCH_DIR`
//! chooses another folder), builds it several times with the library and
//! prints the median wall time and pages/s. When `hugo` is installed, it
//! builds the same corpus with Hugo in the same run and prints the ratio.
//! `tests/bench/compare.sh` measures the release binary against Hugo and
//! mdBook, with peak memory. It also builds one page whose body is one long
//! line (1 and 2 MB of `[`, 1 MB of minified JSON) and the same bytes cut into
//! lines, and prints the ratio: the target is at most 3x. Timing targets live
//! here, never in tests.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use dossier::build::{build, BuildOptions};
use dossier::incremental::Session;

/// The allocator the `dossier` binary ships with, so that the figures are the
/// binary's.
#[cfg(target_os = "linux")]
#[global_allocator]
static GLOBAL: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

/// With the binary's options too (see `src/main.rs`).
#[cfg(target_os = "linux")]
#[export_name = "_rjem_malloc_conf"]
static MALLOC_CONF: &u8 = &b"narenas:1,thp:always\0"[0];

const RUNS: usize = 5;

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

/// Where the corpora go: BENCH_DIR as in compare.sh, so both can share one
/// corpus per size.
fn base_dir() -> PathBuf {
    if let Some(dir) = std::env::var_os("BENCH_DIR") {
        PathBuf::from(dir)
    } else if Path::new("/dev/shm").is_dir() {
        PathBuf::from("/dev/shm")
    } else {
        std::env::temp_dir()
    }
}

fn corpus(n: usize) -> PathBuf {
    let dir = base_dir().join(format!("dossier-bench-{n}"));
    // One place makes the corpus (and reuses a complete one), for this
    // benchmark and compare.sh alike.
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/bench/corpus.py");
    let status = Command::new("python3")
        .arg(&script)
        .arg(n.to_string())
        .arg(&dir)
        .status()
        .expect("python3 runs tests/bench/corpus.py");
    assert!(status.success(), "tests/bench/corpus.py failed");
    dir
}

fn time_hugo(dir: &Path) -> Option<Duration> {
    let hugo = dir.join("hugo");
    Command::new("hugo").arg("version").output().ok()?;
    let mut times = Vec::new();
    for _ in 0..RUNS {
        let _ = std::fs::remove_dir_all(hugo.join("public"));
        let t = Instant::now();
        let ok = Command::new("hugo")
            .args(["--quiet", "-d", "public"])
            .current_dir(&hugo)
            .status()
            .ok()?
            .success();
        if !ok {
            return None;
        }
        times.push(t.elapsed());
    }
    Some(median(times))
}

/// Median time to build a site of one page whose body is `body`.
fn time_one_page(dir: &Path, body: &str) -> Duration {
    let _ = std::fs::remove_dir_all(dir);
    std::fs::create_dir_all(dir.join("content")).expect("a bench folder");
    std::fs::write(
        dir.join("content/p.md"),
        format!("---\ntitle: P\nsummary: One page.\n---\n{body}\n"),
    )
    .expect("a writable bench folder");
    let opts = BuildOptions::new(
        dir.join("content"),
        dir.join("no-templates"),
        dir.join("site"),
    );
    let mut times = Vec::new();
    for _ in 0..RUNS {
        let t = Instant::now();
        build(&opts).expect("the page builds");
        times.push(t.elapsed());
    }
    let _ = std::fs::remove_dir_all(dir);
    median(times)
}

/// A long single line against the same bytes on lines of 80 bytes.
fn long_lines() {
    let json: String = (0..9_000)
        .map(|i| {
            format!(
                r#"{{"id":{i},"name":"item {i}","tags":["x","y"],"nested":{{"a":[1,2,{{"b":null}}],"url":"https://example.com/p?q={i}"}}}}"#
            )
        })
        .collect::<Vec<_>>()
        .join(",");
    let cases = [
        ("1 MB of '['", "[".repeat(1_000_000)),
        ("2 MB of '['", "[".repeat(2_000_000)),
        ("1 MB of minified JSON", format!("[{json}]")),
    ];
    let dir = base_dir().join("dossier-bench-long-line");
    for (name, line) in cases {
        let one = time_one_page(&dir, &line);
        let lines = line
            .as_bytes()
            .chunks(80)
            .map(|c| std::str::from_utf8(c).expect("ASCII"))
            .collect::<Vec<_>>()
            .join("\n");
        let many = time_one_page(&dir, &lines);
        println!(
            "long line: {name}: one line median {:.3} s, lines of 80 bytes {:.3} s: {:.2}x (target: at most 3x)",
            one.as_secs_f64(),
            many.as_secs_f64(),
            one.as_secs_f64() / many.as_secs_f64()
        );
    }
}

fn main() {
    // `cargo test --benches` runs this with --bench absent: stay quick there.
    if !std::env::args().any(|a| a == "--bench") {
        return;
    }
    long_lines();
    let sizes: Vec<usize> = std::env::var("DOSSIER_BENCH_PAGES")
        .unwrap_or_else(|_| "1000".into())
        .split(',')
        .filter_map(|s| s.trim().parse().ok())
        .collect();
    for n in sizes {
        let dir = corpus(n);
        let opts = BuildOptions::new(
            dir.join("content"),
            dir.join("no-templates"),
            dir.join("site"),
        );
        let mut times = Vec::new();
        let mut report = None;
        for _ in 0..RUNS {
            let t = Instant::now();
            report = Some(build(&opts).expect("the corpus builds"));
            times.push(t.elapsed());
        }
        let m = median(times);
        let r = report.expect("ran at least once");
        println!(
            "dossier: {n} pages + {} acronym pages, {} links, {} acronym links, {} backlinks: \
             median {:.3} s over {RUNS} runs, {:.0} pages/s",
            r.acronyms,
            r.links,
            r.acronym_links,
            r.backlinks,
            m.as_secs_f64(),
            n as f64 / m.as_secs_f64()
        );
        // Incremental: one session (as `dossier serve` keeps), one page
        // edited before each rebuild.
        let mut session = Session::new(opts.clone());
        session.build().expect("the corpus builds");
        let page = dir
            .join("content/topics")
            .read_dir()
            .expect("topics/")
            .flatten()
            .next()
            .expect("a page")
            .path();
        let original = std::fs::read_to_string(&page).expect("readable page");
        let mut times = Vec::new();
        let mut reused = 0;
        for k in 0..RUNS * 2 {
            std::fs::write(&page, format!("{original}\nEdited paragraph number {k}.\n"))
                .expect("writable page");
            let t = Instant::now();
            let r = session.build().expect("the edited corpus builds");
            times.push(t.elapsed());
            reused = r.reused.0;
        }
        std::fs::write(&page, original).expect("writable page");
        println!(
            "dossier: edit one page of {n}, incremental rebuild (render + write): median {:.1} ms over {} runs ({reused} pages' markdown reused)",
            median(times).as_secs_f64() * 1000.0,
            RUNS * 2
        );
        match time_hugo(&dir) {
            Some(h) => println!(
                "hugo:    {n} pages: median {:.3} s; dossier takes {:.2}x Hugo's time",
                h.as_secs_f64(),
                m.as_secs_f64() / h.as_secs_f64()
            ),
            None => {
                println!("hugo:    not installed (apt-get install hugo) — no side-by-side ratio")
            }
        }
    }
}

//! Hostile input: huge or deeply nested pages, symlinks that loop or lead
//! out, odd file names, raw script, YAML alias bombs. Each build must end —
//! with a correct page or a clear error — instead of hanging or crashing.
//! (Speed is measured in the benchmark; the generous limit here only turns a
//! hang into a failure.)

use std::fs;
use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use crate::support::Project;

const LIMIT: Duration = Duration::from_secs(240);

fn write(root: &Path, rel: &str, text: &str) {
    let path = root.join("content").join(rel);
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(path, text).unwrap();
}

/// Runs `dossier build` in `root`, killing it if it outlives [`LIMIT`].
fn build(root: &Path) -> Output {
    build_within(root, LIMIT)
}

/// [`build`] with another limit, for input that once made a step quadratic:
/// far above what the build takes now, far below what it took then.
fn build_within(root: &Path, limit: Duration) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_dossier"))
        .current_dir(root)
        .args(["build", "-q"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let start = Instant::now();
    while child.try_wait().unwrap().is_none() {
        if start.elapsed() > limit {
            let _ = child.kill();
            panic!("build still running after {limit:?}");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let out = child.wait_with_output().unwrap();
    assert!(
        !String::from_utf8_lossy(&out.stderr).contains("panicked"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

fn page(root: &Path, url: &str) -> String {
    fs::read_to_string(root.join("site").join(url)).unwrap()
}

#[test]
fn huge_pages_render_completely() {
    let p = Project::empty();
    let r = p.path();
    write(r, "acronyms/nato.md", "---\ntitle: NATO\nkind: acronym\nexpansion: North Atlantic Treaty Organisation\n---\nNATO.\n");
    // 10 MB of identical paragraphs (identical ids to deduplicate).
    write(
        r,
        "big.md",
        &format!(
            "---\ntitle: Big\n---\n{}",
            format!("{}\n\n", "Lorem ipsum dolor sit amet NATO. ".repeat(30)).repeat(10_000)
        ),
    );
    // 100,000 links on one line.
    let links: Vec<String> = (0..100_000)
        .map(|i| {
            format!(
                "[l{i}](big.md#p-lorem-ipsum-dolor-sit-amet-nato-{})",
                i % 9_000 + 2
            )
        })
        .collect();
    write(
        r,
        "links.md",
        &format!("---\ntitle: Links\n---\n{}\n", links.join(" ")),
    );
    // 10,000 footnotes.
    let refs: String = (0..10_000).map(|i| format!("x[^{i}] ")).collect();
    let defs: String = (0..10_000).map(|i| format!("[^{i}]: note {i}\n")).collect();
    write(
        r,
        "notes.md",
        &format!("---\ntitle: Notes\n---\n{refs}\n\n{defs}"),
    );
    let out = build(r);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let big = page(r, "big.html");
    assert_eq!(
        big.matches("<p id=\"p-lorem-ipsum-dolor-sit-amet-nato")
            .count(),
        10_000
    );
    assert!(big.contains("id=\"p-lorem-ipsum-dolor-sit-amet-nato-10000\""));
    let links = page(r, "links.html");
    assert_eq!(links.matches("href=\"big.html#p-lorem").count(), 100_000);
    let notes = page(r, "notes.html");
    assert_eq!(notes.matches("<li id=\"fn-").count(), 10_000);
    assert!(notes.contains("<li id=\"fn-9999\" value=\"10000\">"));
}

#[test]
fn one_long_line_costs_what_many_lines_cost() {
    // Each took from seconds to minutes when pulldown-cmark's many text
    // events on one line were merged by copying the merged text each time.
    let p = Project::empty();
    let r = p.path();
    write(
        r,
        "one.md",
        &format!("---\ntitle: One\n---\n{}\n", "[".repeat(1_000_000)),
    );
    write(
        r,
        "two.md",
        &format!("---\ntitle: Two\n---\n{}\n", "[".repeat(2_000_000)),
    );
    // Minified JSON pasted as one line.
    let items: Vec<String> = (0..9_000)
        .map(|i| {
            format!(
                r#"{{"id":{i},"name":"item {i}","tags":["x","y"],"nested":{{"a":[1,2,{{"b":null}}],"url":"https://example.com/p?q={i}"}}}}"#
            )
        })
        .collect();
    let json = format!("[{}]", items.join(","));
    assert!(json.len() > 900_000);
    write(r, "json.md", &format!("---\ntitle: JSON\n---\n{json}\n"));
    let out = build_within(r, Duration::from_secs(60));
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(page(r, "one.html").matches('[').count(), 1_000_000);
    assert_eq!(page(r, "two.html").matches('[').count(), 2_000_000);
    assert!(page(r, "json.html").contains("item 8999"));
}

#[test]
fn many_distinct_undefined_acronyms_cost_linear_time() {
    // Each was looked for among those already reported, and located by a
    // search from the start of its (here one-line) paragraph.
    let p = Project::empty();
    let r = p.path();
    let letters = |i: usize| -> String {
        (0..4)
            .map(|k| char::from(b'A' + (i / 26usize.pow(k) % 26) as u8))
            .collect()
    };
    let words: Vec<String> = (0..400_000).map(letters).collect();
    // The quote turns curly: the parsed text is not the source text.
    write(
        r,
        "acronyms.md",
        &format!("---\ntitle: Acronyms\n---\nIt's {}\n", words.join(" ")),
    );
    // A site without acronym pages is told of none unless it asks.
    std::fs::write(r.join("dossier.toml"), "acronym_warnings = true\n").unwrap();
    let out = build_within(r, Duration::from_secs(60));
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let check = Command::new(env!("CARGO_BIN_EXE_dossier"))
        .current_dir(r)
        .args(["check", "--message-format", "short"])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&check.stderr);
    assert_eq!(err.matches("is used but not defined").count(), 400_000);
    // The last word: "It's " and 399,999 words of five bytes before it.
    let last = format!(
        "content/acronyms.md:4:{}: warning: acronym '{}' is used but not defined",
        5 + 399_999 * 5 + 1,
        letters(399_999)
    );
    assert!(err.contains(&last), "{last}");
}

#[test]
fn many_inline_scripts_on_a_raw_html_page_cost_linear_time() {
    // Each element was folded by moving every event after it, and each
    // unclosed one looked for its closing tag to the end of the paragraph.
    let p = Project::empty();
    let r = p.path();
    write(
        r,
        "scripts.md",
        &format!(
            "---\ntitle: Scripts\nraw_html: true\n---\nx {}\n\nx {}\n",
            "<script>1</script> a ".repeat(200_000),
            "<script> a ".repeat(200_000)
        ),
    );
    let out = build_within(r, Duration::from_secs(60));
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let html = page(r, "scripts.html");
    assert_eq!(html.matches("<script>1</script> a").count(), 200_000);
    assert_eq!(html.matches("<script> a").count(), 200_000);
}

#[test]
fn deep_nesting_renders() {
    let p = Project::empty();
    let r = p.path();
    let list: String = (0..10_000)
        .map(|i| format!("{}- item {i}\n", "  ".repeat(i)))
        .collect();
    write(r, "nested.md", &format!("---\ntitle: Nested\n---\n{list}"));
    write(
        r,
        "quotes.md",
        &format!("---\ntitle: Quotes\n---\n{} deep\n", ">".repeat(10_000)),
    );
    let out = build(r);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(page(r, "nested.html").contains("item 9999"));
    assert!(page(r, "quotes.html").contains("deep"));
}

#[cfg(unix)]
#[test]
fn symlinks_that_loop_or_lead_out_are_refused_by_name() {
    let p = Project::empty();
    let r = p.path();
    write(r, "_index.md", "# Home\n");
    std::os::unix::fs::symlink("..", r.join("content/loop")).unwrap();
    let outside = r.join("secret.md");
    fs::write(&outside, "# Secret\n").unwrap();
    std::os::unix::fs::symlink(&outside, r.join("content/secret.md")).unwrap();
    // A folder outside, linked in: refused as a whole, its pages not read.
    fs::create_dir(r.join("elsewhere")).unwrap();
    fs::write(
        r.join("elsewhere/private.md"),
        // Bad front matter: an error naming it if it were read.
        "---\ntitle: [unclosed\n---\n# Private\n",
    )
    .unwrap();
    std::os::unix::fs::symlink(r.join("elsewhere"), r.join("content/ext")).unwrap();
    let out = build(r);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("content/loop: error: symlink loop"), "{err}");
    assert!(
        err.contains("content/secret.md: error: symlink points outside the content folder"),
        "{err}"
    );
    assert!(
        err.contains("copy the file into the content folder instead"),
        "{err}"
    );
    assert!(
        err.contains("content/ext: error: symlink points outside the content folder"),
        "{err}"
    );
    assert!(
        err.contains("copy the folder into the content folder instead"),
        "{err}"
    );
    assert!(!err.contains("private.md"), "not read: {err}");
    assert!(!r.join("site").exists(), "nothing written");
}

#[test]
fn odd_file_names_work_and_are_linked_escaped() {
    let p = Project::empty();
    let r = p.path();
    write(
        r,
        "_index.md",
        "# Home\n\n[spaced](with space/ünï/a b.md), [[Dots]] and [[Spaced]].\n",
    );
    write(
        r,
        "with space/ünï/a b.md",
        "# Spaced\n\nBack [home](../../_index.md).\n",
    );
    write(r, "a..b.md", "# Dots\n");
    let out = build(r);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let home = page(r, "index.html");
    assert!(
        home.contains("href=\"with%20space/%C3%BCn%C3%AF/a%20b.html\""),
        "{home}"
    );
    assert!(home.contains("href=\"a..b.html\""), "{home}");
    assert!(r.join("site/with space/ünï/a b.html").is_file());
}

#[test]
fn raw_script_is_shown_not_run() {
    let p = Project::empty();
    let r = p.path();
    write(r, "_index.md", "---\ntitle: \"<script>alert(1)</script>\"\nsummary: \"<img src=x onerror=alert(1)>\"\n---\n<script>alert(2)</script>\n\nText <iframe src=\"https://evil.example\"></iframe>\n");
    let out = build(r);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let home = page(r, "index.html");
    assert!(
        !home.contains("<script>alert")
            && !home.contains("<img src=x")
            && !home.contains("<iframe"),
        "{home}"
    );
    assert!(
        home.contains("&lt;script&gt;alert(2)&lt;/script&gt;"),
        "{home}"
    );
}

/// Raw HTML runs only where the author asked for it: on a page with
/// `raw_html: true`, or everywhere with `--raw-html`; its code never reaches
/// the search index, and `check` points at raw HTML that is being escaped.
#[test]
fn raw_html_runs_only_where_the_page_or_the_site_opts_in() {
    let p = Project::empty();
    let r = p.path();
    write(
        r,
        "_index.md",
        "# Home\n\n[Opted](opted.md), [other](other.md).\n",
    );
    write(
        r,
        "opted.md",
        "---\ntitle: Opted\nraw_html: true\n---\n<script>\nwindow.blockword = \"x\";\n</script>\n\n\
         Inline <script>var inlineword = \"y\";</script> and \
         <a href=\"nowhere.html\">raw link</a>.\n",
    );
    write(
        r,
        "other.md",
        "# Other\n\nHere <script>alert(3)</script> too.\n",
    );
    let run = p.build(&[]).success();
    assert!(
        !run.stderr.contains("nowhere.html"),
        "links in raw HTML are not checked: {}",
        run.stderr
    );
    let opted = page(r, "opted.html");
    assert!(
        opted.contains("<script>\nwindow.blockword = \"x\";\n</script>"),
        "{opted}"
    );
    assert!(
        opted.contains("<script>var inlineword = \"y\";</script> and <a href=\"nowhere.html\">"),
        "{opted}"
    );
    for other in ["other.html", "index.html"] {
        let html = page(r, other);
        assert!(!html.contains("<script>alert(3)"), "{other}: {html}");
    }
    assert!(page(r, "other.html").contains("&lt;script&gt;alert(3)&lt;/script&gt;"));
    // The index script and its parts (words and snippets).
    let index: String = crate::support::tree(&r.join("site"))
        .into_iter()
        .filter(|(name, _)| name.starts_with("search"))
        .map(|(_, b)| String::from_utf8(b).unwrap())
        .collect();
    assert!(index.contains("raw link"), "{index}");
    assert!(
        !index.contains("blockword") && !index.contains("inlineword"),
        "script code is not searchable text: {index}"
    );

    let check = p.run(&["check"]);
    assert_eq!(check.code, Some(0), "{}", check.stderr);
    let raw_warnings: Vec<&str> = check
        .stderr
        .lines()
        .filter(|l| l.contains("raw HTML"))
        .collect();
    assert_eq!(
        raw_warnings,
        [
            "content/other.md:3:6: warning: raw HTML '<script>' is shown as text, not run \
          (hint: add `raw_html: true` to the front matter (or build with --raw-html) to pass \
          it through; to show it on purpose, write it as `code`)"
        ],
        "{}",
        check.stderr
    );

    p.build(&["--raw-html"]).success();
    assert!(page(r, "other.html").contains("Here <script>alert(3)</script> too."));
    assert!(page(r, "opted.html").contains("<script>var inlineword"));
    let check = p.run(&["check", "--raw-html"]);
    assert!(!check.stderr.contains("raw HTML"), "{}", check.stderr);
}

#[test]
fn deeply_nested_yaml_is_refused_before_parsing() {
    // Found by fuzzing: the YAML parser's work grows with the square of
    // the nesting; half a million levels would take it about ten minutes.
    let p = Project::empty();
    let r = p.path();
    let fm = format!(
        "---\ntitle: Deep\nsummary: {}\n---\nBody.\n",
        "{a: ".repeat(500_000)
    );
    write(r, "deep.md", &fm);
    write(r, "fine.md", "---\ntitle: Fine\ntags: [a, b]\n---\nBody.\n");
    let out = build(r);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.starts_with("content/deep.md:3:10: error: front matter: 500000 '[' or '{' in"),
        "{err}"
    );
    assert!(err.contains("keep front matter short"), "{err}");
    assert_eq!(
        err.matches("error:").count(),
        2,
        "one problem, one summary: {err}"
    );
}

#[test]
fn a_yaml_alias_bomb_is_an_error_not_an_explosion() {
    let p = Project::empty();
    let r = p.path();
    let mut fm = String::from("---\ntitle: Bomb\ntags: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
    for i in 1..9 {
        fm.push_str(&format!(
            "aliases: &a{i} [{}]\n",
            vec![format!("*a{}", i - 1); 10].join(", ")
        ));
    }
    fm.push_str("---\n");
    write(r, "bomb.md", &fm);
    let out = build(r);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.starts_with("content/bomb.md:"), "{err}");
}

//! `dossier check` (content, or a built site with `--site`) and `dossier new`,
//! run as a user would, next to `build`.

use std::fs;

use crate::support::Project;

#[test]
fn check_validates_content_without_writing() {
    let p = Project::new("basic");
    let run = p.run(&["check"]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert!(
        run.stderr.ends_with(" warnings\n") && run.stderr.contains("0 errors, "),
        "{}",
        run.stderr
    );
    assert_eq!(p.entries(), ["content"], "check writes nothing");
}

#[test]
fn check_reports_the_same_errors_as_build() {
    let p = Project::new("many-broken-links");
    let check = p.run(&["check"]);
    let build = p.build(&[]);
    assert_eq!(check.code, Some(1));
    let errors = |s: &str| -> Vec<String> {
        s.lines()
            .filter(|l| l.contains(": error: "))
            .map(str::to_string)
            .collect()
    };
    assert_eq!(errors(&check.stderr).len(), 6, "{}", check.stderr);
    assert_eq!(errors(&check.stderr), errors(&build.stderr));
    assert!(check.stderr.contains("\n6 errors, "), "{}", check.stderr);
}

#[test]
fn check_json_lists_every_problem_for_tools() {
    let p = Project::new("broken-link");
    let run = p.run(&["check", "--format", "json"]);
    assert_eq!(run.code, Some(1));
    let items: Vec<serde_json::Value> =
        serde_json::from_str(&run.stdout).expect("stdout is one JSON array");
    let errors: Vec<&serde_json::Value> = items.iter().filter(|i| i["level"] == "error").collect();
    assert_eq!(errors.len(), 1, "{}", run.stdout);
    assert_eq!(errors[0]["path"], "content/page.md");
    assert_eq!(errors[0]["line"], 6);
    assert_eq!(errors[0]["col"], 5);
    assert!(errors[0]["message"]
        .as_str()
        .unwrap()
        .starts_with("broken link 'other.md'"));
}

#[test]
fn check_deny_warnings_fails_on_warnings() {
    let p = Project::new("basic");
    assert_eq!(p.run(&["check"]).code, Some(0));
    let run = p.run(&["check", "--deny-warnings"]);
    assert!(run.stderr.contains(": warning: "), "{}", run.stderr);
    assert_eq!(run.code, Some(1));
}

#[test]
fn check_site_accepts_a_built_site_and_finds_a_broken_one() {
    let p = Project::new("basic");
    p.build(&[]).success();
    let run = p.run(&["check", "--site", "site"]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert_eq!(run.stderr, "0 errors, 0 warnings\n");
    // Break the site by hand, as a bad template or a manual edit would.
    let about = p.path().join("site/about.html");
    let html = fs::read_to_string(&about).unwrap().replace(
        "</main>",
        "<a href=\"gone.html\">x</a><a href=\"index.html#nope\">y</a></main>",
    );
    fs::write(&about, html).unwrap();
    let run = p.run(&["check", "--site", "site"]);
    assert_eq!(run.code, Some(1));
    let errors: Vec<&str> = run
        .stderr
        .lines()
        .filter(|l| l.contains(": error: "))
        .collect();
    assert_eq!(errors.len(), 2, "{}", run.stderr);
    assert!(
        errors.iter().all(|l| l.starts_with("site/about.html:")),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("gone.html") && run.stderr.contains("nope"));
}

#[test]
fn check_site_accepts_a_site_built_for_a_base_url() {
    // Canonical links and the 404 page's <base href> are absolute on purpose.
    let p = Project::new("basic");
    p.build(&["--base-url", "https://example.org/sub/"])
        .success();
    let run = p.run(&["check", "--site", "site"]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
}

#[test]
fn new_writes_a_page_that_builds_and_never_overwrites() {
    let p = Project::new("basic");
    let run = p.run(&["new", "chapter", "Third part"]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert_eq!(run.stdout, "content/chapters/third-part.md\n");
    let path = p.path().join("content/chapters/third-part.md");
    let text = fs::read_to_string(&path).unwrap();
    insta::assert_snapshot!(text);
    p.build(&[]).success();
    let home = p.page("index.html");
    let list = &home[home.find("chapter-list").unwrap()..];
    assert!(
        list.find("Analysis of findings").unwrap() < list.find("Third part").unwrap(),
        "the new chapter comes last"
    );

    fs::write(&path, "edited by hand\n").unwrap();
    let again = p.run(&["new", "chapter", "Third part"]);
    assert_eq!(again.code, Some(1));
    assert!(
        again
            .stderr
            .starts_with("content/chapters/third-part.md: error: already exists"),
        "{}",
        again.stderr
    );
    assert_eq!(fs::read_to_string(&path).unwrap(), "edited by hand\n");
}

#[test]
fn new_acronym_needs_its_expansion() {
    let p = Project::new("basic");
    let run = p.run(&["new", "acronym", "EU"]);
    assert_eq!(run.code, Some(1));
    assert!(
        run.stderr
            .contains("error: an acronym page needs its expansion"),
        "{}",
        run.stderr
    );
    assert!(!p.path().join("content/acronyms/eu.md").exists());
    let run = p.run(&["new", "acronym", "EU", "--expansion", "European Union"]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    p.build(&[]).success();
    assert!(p
        .page("acronyms/eu.html")
        .contains("<strong>European Union</strong>"));
}

#[test]
fn long_messages_show_the_source_line_a_marker_and_the_hint() {
    let p = Project::new("broken-link");
    let run = p.run(&["--message-format", "long", "build"]);
    assert_eq!(run.code, Some(1), "{}", run.stderr);
    let err = run.stderr_redacted();
    let block: Vec<&str> = err
        .lines()
        .skip_while(|l| !l.starts_with("error: broken link"))
        .take(6)
        .collect();
    assert!(block.len() >= 5, "{err}");
    assert!(block[1].trim_start().starts_with("--> content/"), "{err}");
    let (source, marker) = (block[3], block[4]);
    let col = block[1]
        .rsplit(':')
        .next()
        .unwrap()
        .parse::<usize>()
        .unwrap();
    let bar = source.find(" | ").unwrap() + 3;
    assert_eq!(
        marker.find('^'),
        Some(bar + col - 1),
        "the marker stands under column {col}:\n{err}"
    );
    assert!(
        source[bar..].contains("]("),
        "the source line is the link's line:\n{err}"
    );
    // Piped output defaults to one line per problem.
    let short = p.run(&["build"]);
    assert!(
        short
            .stderr
            .lines()
            .any(|l| l.starts_with("content/") && l.contains(": error: broken link")),
        "{}",
        short.stderr
    );
}

#[test]
fn build_prints_a_line_per_phase_and_a_summary() {
    let p = Project::new("basic");
    let run = p.build(&["-v"]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    let lines: Vec<&str> = run.stderr.lines().collect();
    for phase in ["load", "render", "write", "pages"] {
        assert!(
            lines.iter().any(|l| l.trim_start().starts_with(phase)),
            "no {phase} line:\n{}",
            run.stderr
        );
    }
    assert!(
        lines.last().unwrap().starts_with("built "),
        "{}",
        run.stderr
    );
    let quiet = p.build(&["-q"]);
    assert_eq!((quiet.code, quiet.stderr.as_str()), (Some(0), ""));
}

/// The cap `--jobs` is held to on this machine: four threads per core.
fn jobs_cap() -> usize {
    4 * std::thread::available_parallelism().map_or(1, |n| n.get())
}

#[test]
fn jobs_beyond_four_per_core_are_capped_with_a_warning() {
    let p = Project::new("basic");
    let asked = jobs_cap() + 1;
    let run = p.run(&["--jobs", &asked.to_string(), "build"]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert_eq!(
        run.stderr.lines().next().unwrap(),
        format!(
            "warning: --jobs {asked} is more than 4 per core; using {}",
            jobs_cap()
        )
    );
    // `-q` prints nothing but errors.
    let run = p.run(&["--jobs", &asked.to_string(), "build", "-q"]);
    assert_eq!((run.code, run.stderr.as_str()), (Some(0), ""));
    let run = p.run(&["--jobs", &jobs_cap().to_string(), "build"]);
    assert!(!run.stderr.contains("--jobs"), "{}", run.stderr);
}

#[test]
fn jobs_zero_is_refused_with_a_hint() {
    let p = Project::new("basic");
    let run = p.run(&["--jobs", "0", "build"]);
    assert_eq!(run.code, Some(2), "{}", run.stderr);
    assert!(
        run.stderr
            .contains("0 threads can do no work; give 1 or more, or leave --jobs out"),
        "{}",
        run.stderr
    );
    assert!(!p.path().join("site").exists());
}

#[test]
fn check_site_on_a_folder_without_html_fails_and_says_so() {
    let p = Project::new("basic");
    fs::create_dir(p.path().join("empty")).unwrap();
    fs::write(p.path().join("empty/notes.txt"), "not a site").unwrap();
    let run = p.run(&["check", "--site", "empty"]);
    assert_eq!(run.code, Some(1), "{}", run.stderr);
    assert!(
        run.stderr
            .starts_with("empty: error: no HTML files in this folder; nothing to check"),
        "{}",
        run.stderr
    );
    let run = p.run(&["check", "--site", "missing"]);
    assert_eq!(run.code, Some(1), "{}", run.stderr);
    assert!(
        run.stderr
            .starts_with("missing: error: site folder not found"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.ends_with("1 error, 0 warnings\n"),
        "{}",
        run.stderr
    );
}

#[test]
fn counts_are_singular_for_one() {
    let p = Project::new("broken-link");
    let run = p.run(&["check"]);
    assert_eq!(run.code, Some(1));
    assert!(
        run.stderr.ends_with("\n1 error, 0 warnings\n"),
        "{}",
        run.stderr
    );
    let p = Project::empty();
    fs::create_dir(p.path().join("content")).unwrap();
    fs::write(
        p.path().join("content/_index.md"),
        "---\ntitle: Home\nsummary: The only page.\n---\nText.\n",
    )
    .unwrap();
    let run = p.build(&[]).success();
    let last = run.stderr.lines().last().unwrap();
    assert!(
        last.starts_with("built 1 page into site in ") && last.ends_with(" ms (0 warnings)"),
        "{}",
        run.stderr
    );
    let run = p.run(&["check"]);
    assert_eq!(run.stderr, "0 errors, 0 warnings\n");
}

#[test]
fn new_shortens_a_very_long_title_to_a_file_name_at_a_word_boundary() {
    let p = Project::new("basic");
    let title = "The protection of civilians in collective defence: why the alliance \
                 must plan for the people who live where it may have to fight";
    let run = p.run(&["new", "topic", title]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert_eq!(
        run.stdout,
        "content/topics/the-protection-of-civilians-in-collective-defence-why-the.md\n"
    );
    let text = fs::read_to_string(p.path().join(run.stdout.trim())).unwrap();
    assert!(text.contains(title), "the title is kept whole:\n{text}");
}

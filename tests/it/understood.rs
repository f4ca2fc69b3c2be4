//! The closing summary of what dossier did not understand: a first build
//! of a collection written for another tool lists its warnings, then per
//! kind how many, the targets or names met most often, what dossier did
//! and how to fix them.

use crate::support::Project;

/// The summary lines of a run in the short form.
fn summary_lines(stderr: &str) -> Vec<&str> {
    stderr
        .lines()
        .filter(|l| l.starts_with("summary: "))
        .collect()
}

#[test]
fn a_first_build_ends_with_what_was_not_understood_by_kind() {
    let p = Project::new("not-understood");
    let run = p.run(&["--message-format", "short", "build"]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    // Every warning is still there, for an editor to jump to.
    let warnings = run
        .stderr
        .lines()
        .filter(|l| l.contains(": warning: "))
        .count();
    // Two notes titled 'Overview' are no problem in a vault, which names
    // notes by their files: no duplicate-title warning.
    assert_eq!(warnings, 11, "{}", run.stderr);
    assert_eq!(
        summary_lines(&run.stderr),
        [
            "summary: 5 broken-link: links to pages, files or anchors that do not exist \
             ('Missing Note' ×4, 'Nowhere'); shown as their text, without a link; correct \
             the target, or create what it names; `broken_links` in dossier.toml sets their \
             level",
            "summary: 2 shortcode: shortcodes dossier does not run ('gist', 'youtube'); their \
             inner text is shown; write what they stand for in markdown",
            "summary: 2 unknown-key: front matter keys dossier does not map ('layout' ×2); kept \
             for templates as page.extra; `unknown_keys = \"allow\"` in dossier.toml stops \
             reporting them",
            "summary: 1 embed-target: embeds of a heading or a block the note does not have \
             ('Guides/Overview#No such heading'); shown as the embed's name; embed a heading \
             or a block (^id) the note has",
            "summary: 1 raw-html: raw HTML dossier does not pass through ('<kbd>'); shown as \
             text; `raw_html: true` in a page's front matter (or --raw-html) passes it through",
        ],
        "{}",
        run.stderr
    );
    // After the warnings, before the closing line.
    let last_warning = run.stderr.rfind(": warning: ").unwrap();
    let first_summary = run.stderr.find("summary: ").unwrap();
    let closing = run.stderr.find("built 3 pages").unwrap();
    assert!(last_warning < first_summary && first_summary < closing);
    // `check` says the same.
    let check = p.run(&["--message-format", "short", "check"]);
    assert_eq!(summary_lines(&check.stderr), summary_lines(&run.stderr));
}

#[test]
fn the_long_form_aligns_the_kinds_under_a_heading() {
    let p = Project::new("not-understood");
    let run = p.run(&["--message-format", "long", "build"]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    let lines: Vec<&str> = run
        .stderr
        .lines()
        .skip_while(|l| !l.starts_with("summary: "))
        .take(12)
        .collect();
    assert_eq!(
        lines[0], "summary: 11 warnings of 5 kinds",
        "{}",
        run.stderr
    );
    assert_eq!(
        lines[1],
        "  5  broken-link   links to pages, files or anchors that do not exist: \
         'Missing Note' ×4, 'Nowhere'"
    );
    assert_eq!(
        lines[2],
        "                   shown as their text, without a link; correct the target, or \
         create what it names; `broken_links` in dossier.toml sets their level"
    );
    assert_eq!(
        lines[3],
        "  2  shortcode     shortcodes dossier does not run: 'gist', 'youtube'"
    );
    assert_eq!(
        lines[11],
        "to stop reporting a kind of warning, name it in dossier.toml: silence = [\"shortcode\"]"
    );
}

#[test]
fn json_names_each_problems_kind() {
    let p = Project::new("not-understood");
    let run = p.run(&["check", "--format", "json"]);
    let items: Vec<serde_json::Value> = serde_json::from_str(&run.stdout).unwrap();
    let codes: std::collections::BTreeSet<&str> =
        items.iter().map(|i| i["code"].as_str().unwrap()).collect();
    assert_eq!(
        codes.into_iter().collect::<Vec<_>>(),
        [
            "broken-link",
            "embed-target",
            "raw-html",
            "shortcode",
            "unknown-key"
        ]
    );
}

#[test]
fn silence_in_dossier_toml_hides_a_kind_of_warning() {
    let p = Project::new("not-understood");
    std::fs::write(
        p.path().join("dossier.toml"),
        "silence = [\"raw-html\", \"unknown-key\"]\n",
    )
    .unwrap();
    let run = p.run(&["--message-format", "short", "build"]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert!(!run.stderr.contains("raw HTML"), "{}", run.stderr);
    assert!(!run.stderr.contains("unknown key"), "{}", run.stderr);
    assert!(run.stderr.contains("(8 warnings)"), "{}", run.stderr);
    let kinds: Vec<&str> = summary_lines(&run.stderr)
        .iter()
        .map(|l| l.split(':').nth(1).unwrap().trim())
        .collect();
    assert_eq!(kinds, ["5 broken-link", "2 shortcode", "1 embed-target"]);
    // A name that is no kind is a mistake in the file, with the near one.
    std::fs::write(p.path().join("dossier.toml"), "silence = [\"raw-htm\"]\n").unwrap();
    let run = p.run(&["--message-format", "short", "build"]);
    assert_eq!(run.code, Some(1), "{}", run.stderr);
    assert!(
        run.stderr.contains(
            "dossier.toml:1:1: error: dossier.toml: `silence` names no kind of warning \
             \"raw-htm\" (hint: did you mean \"raw-html\"?)"
        ),
        "{}",
        run.stderr
    );
}

#[test]
fn a_terminal_shows_a_few_warnings_of_each_kind_and_every_error() {
    let p = Project::new("not-understood");
    let many: String = (0..12).map(|n| format!("See [[Gone {n}]].\n\n")).collect();
    std::fs::write(p.path().join("content/Many.md"), many).unwrap();
    std::fs::write(
        p.path().join("content/Wrong.md"),
        "A note that embeds itself:\n\n![[Wrong]]\n",
    )
    .unwrap();
    let run = p.run(&["--message-format", "long", "build"]);
    assert_eq!(run.code, Some(1), "{}", run.stderr);
    let err = &run.stderr;
    let broken = err.matches("warning: broken link").count();
    assert_eq!(broken, 10, "{err}");
    assert!(
        err.contains(
            "… and 7 more warnings of the kinds below (all of them: --message-format short, \
             or `dossier check`)"
        ),
        "{err}"
    );
    assert!(err.contains("  17  broken-link"), "{err}");
    // The error after the summary, right above the closing line.
    let error = err
        .find("error: embed cycle: Wrong.md → Wrong.md")
        .expect(err);
    assert!(err.find("summary: ").unwrap() < error, "{err}");
    assert!(err
        .lines()
        .last()
        .unwrap()
        .starts_with("error: build failed"));
    // The short form leaves nothing out.
    let short = p.run(&["--message-format", "short", "build"]);
    assert_eq!(short.stderr.matches("warning: broken link").count(), 17);
}

#[test]
fn every_kind_is_explained_in_the_guide() {
    let guide = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/troubleshooting.md"),
    )
    .unwrap();
    for code in dossier::diag::Code::ALL {
        assert!(
            guide.contains(&format!("`{}`", code.name())),
            "docs/troubleshooting.md does not explain `{code}`"
        );
        assert_eq!(dossier::diag::Code::from_name(code.name()), Some(code));
    }
}

/// A vault links other apps (`obsidian://open?…`): harmless to a reader,
/// but no link the site can make, so it is a warning like a link to
/// nothing and shown as its text; a script URL stays an error whatever
/// the level of broken links.
#[test]
fn another_apps_link_is_a_warning_and_a_script_link_stays_an_error() {
    let p = Project::new("not-understood");
    let note = p.path().join("content/Apps.md");
    std::fs::write(
        &note,
        "# Apps\n\nOpen [the importer](obsidian://show-plugin?id=importer) in Obsidian.\n",
    )
    .unwrap();
    let run = p.run(&["--message-format", "short", "build"]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert!(
        run.stderr.contains(
            "Apps.md:3:6: warning: link 'obsidian://show-plugin?id=importer' uses the scheme \
             'obsidian:', which is not allowed"
        ),
        "{}",
        run.stderr
    );
    assert!(
        summary_lines(&run.stderr)
            .iter()
            .any(|l| l.starts_with("summary: 1 scheme: ") && l.contains("'obsidian:'")),
        "{}",
        run.stderr
    );
    let page = p.page("Apps.html");
    assert!(page.contains("Open the importer in Obsidian."), "{page}");
    assert!(!page.contains("obsidian://"), "{page}");

    std::fs::write(&note, "# Apps\n\n[Run](javascript:alert(1)) it.\n").unwrap();
    let run = p.run(&["--message-format", "short", "build"]);
    assert_eq!(run.code, Some(1), "{}", run.stderr);
    assert!(
        run.stderr.contains(
            "Apps.md:3:1: error: link 'javascript:alert(1)' uses the scheme 'javascript:'"
        ),
        "{}",
        run.stderr
    );
}

/// Two notes of a vault that came out of one both keep its old name as an
/// alias: a warning there (the report, written with `kind:`, keeps it an
/// error: tests/it/errors.rs).
#[test]
fn an_alias_two_notes_claim_is_a_warning_in_a_vault() {
    let p = Project::new("not-understood");
    for name in ["Gifts", "Credit"] {
        std::fs::write(
            p.path().join(format!("content/{name}.md")),
            "---\naliases: [Payments/Gifting]\n---\n# Notes\n\nText.\n",
        )
        .unwrap();
    }
    let run = p.run(&["--message-format", "short", "build"]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert!(
        run.stderr
            .contains("Gifts.md:2: warning: alias 'Payments/Gifting' is also claimed by"),
        "{}",
        run.stderr
    );
    assert!(
        summary_lines(&run.stderr)
            .iter()
            .any(|l| l.starts_with("summary: 1 duplicate-alias: ")),
        "{}",
        run.stderr
    );
}

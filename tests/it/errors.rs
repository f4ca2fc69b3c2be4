//! Failing builds: each bad input is reported in one jumpable line naming the
//! file (and line), the exit status is 1, and the site of the previous good
//! build survives byte for byte.

use crate::support::Project;

/// The error lines of a report and its closing count. Warnings (orphan
/// pages, missing summaries…) and their summary are printed alongside but
/// belong to the lint and change as it grows, so error snapshots leave them
/// out; every line dropped must really be a warning or its summary.
fn errors_only(stderr: &str) -> String {
    let mut out = String::new();
    for line in stderr.lines() {
        if line.contains(": warning: ") || line.starts_with("summary: ") {
            continue;
        }
        assert!(
            line.contains(": error: ") || line.starts_with("error: "),
            "neither error nor warning: {line}"
        );
        out.push_str(line);
        out.push('\n');
    }
    out
}

/// Builds the good `basic` site, swaps in fixture `case`, builds again and
/// checks everything a failed build must guarantee. Returns the error lines
/// of the redacted stderr.
fn fails_keeping_previous_site(case: &str) -> String {
    let p = Project::new("basic");
    p.build(&[]).success();
    let before = p.tree("site");
    p.swap_in(case);
    let run = p.build(&[]);
    let stderr = run.stderr_redacted();
    assert_eq!(run.code, Some(1), "{case}: exit status\n{stderr}");
    assert!(!stderr.contains("panicked"), "{case}: {stderr}");
    assert!(
        p.tree("site") == before,
        "{case}: the previous site was changed"
    );
    assert!(
        p.entries()
            .iter()
            .all(|e| !e.starts_with(".site.tmp-") && !e.starts_with(".site.old-")),
        "{case}: leftovers {:?}",
        p.entries()
    );
    assert!(
        stderr.ends_with("; the previous site was left as it was\n"),
        "{case}: {stderr}"
    );
    errors_only(&stderr)
}

/// The first line, which must start with `prefix` (`path:line:col: error: `).
fn first_line_starts_with(stderr: &str, prefix: &str) {
    let first = stderr.lines().next().unwrap_or_default();
    assert!(
        first.starts_with(prefix),
        "expected '{prefix}…', got:\n{stderr}"
    );
}

#[test]
fn malformed_yaml() {
    let err = fails_keeping_previous_site("bad-yaml");
    first_line_starts_with(&err, "content/page.md:2:14: error: front matter: ");
    insta::assert_snapshot!(err);
}

/// `title: Broken: yes` is a mapping inside a value to YAML: the fix is
/// quoting the value, and the hint shows it quoted.
#[test]
fn colon_in_a_plain_value() {
    let err = fails_keeping_previous_site("bad-yaml");
    assert!(
        err.contains(
            "content/page.md:2:14: error: front matter: the value of `title` contains `: ` \
             (hint: put the value in quotes: title: \"Broken: yes\")"
        ),
        "{err}"
    );
}

/// A quote left open is reported on its own line, not where the parser
/// ran out of text.
#[test]
fn unclosed_quote_in_front_matter() {
    let err = fails_keeping_previous_site("unclosed-quote");
    first_line_starts_with(
        &err,
        "content/page.md:3:8: error: front matter: this quote is never closed \
         (hint: end the value with a closing \", e.g. title: \"Water\")",
    );
}

/// Front matter below a blank line is markdown to the renderer (a rule
/// and a heading): the build goes on, with a warning at the `---`.
#[test]
fn front_matter_not_on_the_first_line() {
    let p = Project::new("misplaced-front-matter");
    let run = p.build(&[]).success();
    assert!(
        run.stderr_redacted().contains(
            "content/page.md:2:1: warning: this looks like front matter, but is read as \
             markdown text (hint: front matter must start on the first line: remove the blank \
             lines above `---`)"
        ),
        "{}",
        run.stderr
    );
}

#[test]
fn unclosed_front_matter() {
    let err = fails_keeping_previous_site("unclosed-front-matter");
    first_line_starts_with(&err, "content/page.md:1:1: error: unclosed front matter");
    insta::assert_snapshot!(err);
}

#[test]
fn unknown_front_matter_key() {
    let err = fails_keeping_previous_site("unknown-key");
    first_line_starts_with(
        &err,
        "content/page.md:4:1: error: front matter: unknown key `titel` (hint: did you mean `title`?)",
    );
    insta::assert_snapshot!(err);
}

#[test]
fn wrong_front_matter_type() {
    let err = fails_keeping_previous_site("wrong-type");
    first_line_starts_with(
        &err,
        "content/chapter.md:4:8: error: front matter: `order` must be a whole number, \
         found the text \"many\"",
    );
    assert!(
        err.contains("(hint: write a whole number without quotes, e.g. order: 3)"),
        "{err}"
    );
    insta::assert_snapshot!(err);
}

#[test]
fn raw_html_that_is_not_a_boolean() {
    let err = fails_keeping_previous_site("raw-html-not-bool");
    first_line_starts_with(
        &err,
        "content/page.md:3:11: error: front matter: `raw_html` must be true or false, \
         found the text \"yes\"",
    );
    assert!(
        err.contains("(hint: write true or false without quotes"),
        "{err}"
    );
    insta::assert_snapshot!(err);
}

#[test]
fn two_files_for_one_url() {
    let err = fails_keeping_previous_site("duplicate-url");
    first_line_starts_with(&err, "content/index.md: error: ");
    assert!(
        err.contains("content/_index.md and content/index.md both become index.html"),
        "{err}"
    );
    insta::assert_snapshot!(err);
}

#[test]
fn one_alias_on_two_pages() {
    let err = fails_keeping_previous_site("duplicate-alias");
    first_line_starts_with(
        &err,
        "content/protection.md:4: error: alias 'PoC' is also claimed by content/policy.md",
    );
    insta::assert_snapshot!(err);
}

#[test]
fn broken_link() {
    let err = fails_keeping_previous_site("broken-link");
    first_line_starts_with(&err, "content/page.md:6:5: error: broken link 'other.md'");
    insta::assert_snapshot!(err);
}

#[test]
fn broken_anchor() {
    let err = fails_keeping_previous_site("broken-anchor");
    first_line_starts_with(
        &err,
        "content/page.md:4:5: error: broken link 'target.md#legal-framwork'",
    );
    assert!(
        err.contains("(hint: did you mean #legal-framework?)"),
        "{err}"
    );
    insta::assert_snapshot!(err);
}

#[test]
fn heading_id_set_twice() {
    let err = fails_keeping_previous_site("duplicate-heading-id");
    first_line_starts_with(
        &err,
        "content/page.md:9:1: error: heading id 'scope' is already used on this page",
    );
    assert!(err.contains("give each heading its own id"), "{err}");
    assert_eq!(err.matches(": error: ").count(), 1, "{err}");
}

#[test]
fn ambiguous_wikilink() {
    let err = fails_keeping_previous_site("ambiguous-wikilink");
    first_line_starts_with(&err, "content/linker.md:4:12: error: ");
    assert!(
        err.contains("ambiguous: 2 pages answer to 'Same title'"),
        "{err}"
    );
    insta::assert_snapshot!(err);
}

#[test]
fn file_not_utf8() {
    let err = fails_keeping_previous_site("non-utf8");
    first_line_starts_with(
        &err,
        "content/latin1.md:4:4: error: file is not valid UTF-8",
    );
    insta::assert_snapshot!(err);
}

#[test]
fn empty_file() {
    let err = fails_keeping_previous_site("empty-file");
    first_line_starts_with(&err, "content/empty.md: error: empty file");
    insta::assert_snapshot!(err);
}

#[test]
fn template_extends_a_missing_template() {
    let err = fails_keeping_previous_site("missing-parent");
    first_line_starts_with(
        &err,
        "templates/page.html:2: error: template extends 'layout.html', which does not exist",
    );
    insta::assert_snapshot!(err);
}

#[test]
fn template_includes_a_missing_template() {
    let err = fails_keeping_previous_site("missing-include");
    first_line_starts_with(&err, "templates/page.html:4");
    assert!(err.contains("partials/missing.html"), "{err}");
}

/// The last line of a build that failed with one error.
const ONE_ERROR: &str = "error: build failed with 1 error; the previous site was left as it was\n";

/// A component that renders itself with nothing to stop it: Tera gives up
/// after 20 levels, and the error names the component and where it is
/// defined (once, though every kind of page met it).
#[test]
fn template_component_that_calls_itself_forever() {
    let err = fails_keeping_previous_site("component-recursion");
    assert_eq!(
        err,
        format!(
            "templates/page.html:3: error: template error: component `nest` calls itself \
         without end (Tera stops at 20 levels) (hint: give the component a condition \
         under which it stops calling itself)\n{ONE_ERROR}"
        )
    );
}

/// Two partials that include each other: the error is on the `include`
/// that closes the loop, and spells the loop out.
#[test]
fn templates_that_include_each_other() {
    let err = fails_keeping_previous_site("include-loop");
    assert_eq!(
        err,
        format!(
            "templates/partials/b.html:2: error: templates include each other in a loop: \
         page.html → partials/a.html → partials/b.html → partials/a.html \
         (hint: partials/b.html must not include partials/a.html, which includes it)\n{ONE_ERROR}"
        )
    );
}

/// Two templates that extend each other: the error is on the `extends`
/// that closes the loop, not at an unknown place.
#[test]
fn templates_that_extend_each_other() {
    let err = fails_keeping_previous_site("extend-loop");
    first_line_starts_with(
        &err,
        "templates/list.html:1: error: templates extend each other in a loop: ",
    );
    assert!(
        err.contains("page.html → list.html → page.html (hint: list.html must not extend page.html, which extends it)"),
        "{err}"
    );
    assert!(err.ends_with(&format!(")\n{ONE_ERROR}")), "{err}");
}

/// Overriding `page.html` without the `subtitle` block breaks the built-in
/// `acronym.html`, which extends it; the user must be told which file.
#[test]
fn page_override_without_a_block_children_need() {
    let err = fails_keeping_previous_site("override-drops-block");
    let first = err.lines().next().unwrap();
    assert!(!first.starts_with("?:"), "{err}");
    assert!(
        first.contains("page.html") || first.contains("acronym.html"),
        "{err}"
    );
}

#[test]
fn template_uses_an_undefined_variable() {
    let err = fails_keeping_previous_site("undefined-variable");
    first_line_starts_with(
        &err,
        "templates/page.html:4:7: error: template error: Variable `author` is not defined",
    );
    insta::assert_snapshot!(err);
}

#[test]
fn template_uses_an_unknown_filter() {
    let err = fails_keeping_previous_site("unknown-filter");
    first_line_starts_with(&err, "templates/page.html:4");
    assert!(err.contains("shout"), "{err}");
}

#[test]
fn template_syntax_error() {
    let err = fails_keeping_previous_site("template-syntax");
    first_line_starts_with(&err, "templates/page.html:7:");
    assert!(err.contains("template syntax error"), "{err}");
    insta::assert_snapshot!(err);
}

#[test]
fn missing_content_folder() {
    let p = Project::new("basic");
    p.build(&[]).success();
    let before = p.tree("site");
    std::fs::remove_dir_all(p.path().join("content")).unwrap();
    let run = p.build(&[]);
    assert_eq!(run.code, Some(1));
    let err = errors_only(&run.stderr_redacted());
    first_line_starts_with(&err, "content: error: content folder not found");
    assert!(p.tree("site") == before);
    insta::assert_snapshot!(err);
}

#[test]
fn every_broken_link_of_every_file_in_one_run_sorted() {
    let err = fails_keeping_previous_site("many-broken-links");
    let places: Vec<&str> = err
        .lines()
        .map(|l| l.split(": error:").next().unwrap())
        .collect();
    assert_eq!(
        places,
        [
            "content/beta.md:4:23",
            "content/topics/alpha.md:5:7",
            "content/topics/alpha.md:7:8",
            "content/topics/alpha.md:7:38",
            "content/zeta.md:4:3",
            "content/zeta.md:6:5",
            "error: build failed with 6 errors; the previous site was left as it was",
        ]
    );
    insta::assert_snapshot!(err);
}

/// `content/static/style.css` and the built-in `templates/static/style.css`
/// both become `site/static/style.css`; today the author's file is dropped
/// without a word.
#[test]
fn content_file_colliding_with_a_static_file() {
    let err = fails_keeping_previous_site("static-collision");
    first_line_starts_with(&err, "content/static/style.css: error: ");
}

#[test]
fn a_failed_first_build_creates_no_site() {
    let p = Project::new("broken-link");
    let run = p.build(&[]);
    assert_eq!(run.code, Some(1));
    assert_eq!(p.entries(), ["content"], "nothing written: {}", run.stderr);
}

/// `-q` keeps a failed build's report to its errors and closing line.
#[test]
fn quiet_failed_build_prints_only_errors() {
    let p = Project::new("broken-link");
    let run = p.build(&["-q"]);
    assert_eq!(run.code, Some(1));
    assert_eq!(
        run.stderr_redacted(),
        "content/page.md:6:5: error: broken link 'other.md': no such page or file: other.md\n\
         error: build failed with 1 error; nothing was written\n"
    );
}

/// Warnings come first and the errors last, right above the closing line,
/// where a reader looks: never one error lost among many warnings.
#[test]
fn errors_are_printed_after_every_warning() {
    let p = Project::new("broken-link");
    for name in ["a", "z"] {
        std::fs::write(
            p.path().join(format!("content/{name}.md")),
            "---\ntitle: No summary\nkind: topic\n---\nText.\n",
        )
        .unwrap();
    }
    let run = p.build(&[]);
    assert_eq!(run.code, Some(1));
    let lines: Vec<&str> = run.stderr.lines().collect();
    let last_warning = lines.iter().rposition(|l| l.contains(": warning: "));
    let first_error = lines.iter().position(|l| l.contains(": error: "));
    assert!(last_warning.is_some(), "no warning printed: {}", run.stderr);
    assert!(last_warning < first_error, "{}", run.stderr);
    assert_eq!(first_error, Some(lines.len() - 2), "{}", run.stderr);
    let check = p.run(&["check"]);
    let lines: Vec<&str> = check.stderr.lines().collect();
    let last_warning = lines.iter().rposition(|l| l.contains(": warning: "));
    let first_error = lines.iter().position(|l| l.contains(": error: "));
    assert!(
        last_warning.is_some() && first_error.is_some(),
        "{}",
        check.stderr
    );
    assert!(last_warning < first_error, "{}", check.stderr);
}

/// A project with the `basic` site's content plus the files `extra` (path
/// under the project, text).
fn basic_with(extra: &[(&str, &str)]) -> Project {
    let p = Project::new("basic");
    for (path, text) in extra {
        let path = p.path().join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    p
}

/// The error lines of a build of `p` that must fail.
fn build_errors(p: &Project) -> String {
    let run = p.build(&[]);
    assert_eq!(run.code, Some(1), "{}", run.stderr);
    errors_only(&run.stderr_redacted())
}

const PAGE: &str = "---\ntitle: A page\nsummary: s\n---\nText.\n";

/// A root `index.md` is the front page of most docs folders: it is the home
/// page, like `_index.md`, and the two together are one file twice.
#[test]
fn a_root_index_md_is_the_home_page_and_clashes_with_index_md() {
    let p = basic_with(&[]);
    let intro = std::fs::read_to_string(p.path().join("content/_index.md")).unwrap();
    std::fs::remove_file(p.path().join("content/_index.md")).unwrap();
    std::fs::write(p.path().join("content/index.md"), &intro).unwrap();
    let run = p.build(&[]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    let home = std::fs::read_to_string(p.path().join("site/index.html")).unwrap();
    let title = intro
        .lines()
        .find_map(|l| l.strip_prefix("title: "))
        .unwrap()
        .trim_matches('"');
    assert!(home.contains(&format!("<h1>{title}</h1>")), "{home}");
    std::fs::write(p.path().join("content/_index.md"), PAGE).unwrap();
    let err = build_errors(&p);
    assert!(
        err.contains("content/_index.md and content/index.md both become index.html")
            || err.contains("content/index.md and content/_index.md both become index.html"),
        "{err}"
    );
}

/// `café.md` written with a composed é and with e + combining accent are two
/// files on Linux and one on macOS: whichever is written last wins there.
#[test]
fn file_names_that_differ_only_in_unicode_normalisation() {
    let p = basic_with(&[
        ("content/caf\u{e9}.md", PAGE),
        (
            "content/cafe\u{301}.md",
            "---\ntitle: Other\nsummary: s\n---\nText.\n",
        ),
    ]);
    let err = build_errors(&p);
    assert!(
        err.contains("error: content/cafe\u{301}.md and content/caf\u{e9}.md both become"),
        "{err}"
    );
    assert!(err.contains("accented letters"), "{err}");
}

#[test]
fn file_names_that_differ_only_in_case() {
    let p = basic_with(&[("content/Methodology.md", PAGE)]);
    let err = build_errors(&p);
    assert!(
        err.contains(
            "error: content/Methodology.md and content/methodology.md both become \
             methodology.html"
        ),
        "{err}"
    );
    assert!(err.contains("differ only in case"), "{err}");
}

/// Every file that lands where the build writes a page of its own is an
/// error naming the file and the page it would overwrite.
#[test]
fn files_that_land_on_a_generated_page() {
    for (file, generated) in [
        ("content/acronyms/INDEX.md", "acronyms/index.html"),
        ("content/topics/index.md", "topics/index.html"),
        ("content/topics/index.html", "topics/index.html"),
        ("content/Index.html", "index.html"),
        ("content/print.md", "print.html"),
        ("content/Search-Index.js", "search-index.js"),
        // `404.md` is the not-found page (see book::a_books_404_md_is_the_not_found_page).
        ("content/404.html", "404.html"),
    ] {
        let p = basic_with(&[(file, PAGE)]);
        let err = build_errors(&p);
        let first = err.lines().next().unwrap();
        assert!(
            first.contains(&format!("error: {file} and "))
                || first.contains(&format!(" and {file} both")),
            "{file}: {err}"
        );
        assert!(first.contains(" both become "), "{file}: {err}");
        assert!(first.to_lowercase().contains(generated), "{file}: {err}");
    }
}

#[test]
fn a_topic_whose_file_name_is_index() {
    let p = basic_with(&[(
        "content/topics/index.md",
        "---\ntitle: Index\nkind: topic\nsummary: s\n---\nText.\n",
    )]);
    let err = build_errors(&p);
    assert!(
        err.starts_with(
            "content/topics/index.md: error: content/topics/index.md and the topics index \
             dossier writes both become topics/index.html"
        ),
        "{err}"
    );
    assert!(err.contains("topics/_index.md"), "{err}");
}

/// The home page that the build writes, when `_index.md` does not.
#[test]
fn a_file_on_the_generated_home_page() {
    let p = basic_with(&[]);
    std::fs::remove_file(p.path().join("content/_index.md")).unwrap();
    std::fs::write(p.path().join("content/INDEX.md"), PAGE).unwrap();
    let err = build_errors(&p);
    assert!(
        err.starts_with(
            "content/INDEX.md: error: content/INDEX.md and the home page dossier writes \
             both become index.html"
        ),
        "{err}"
    );
}

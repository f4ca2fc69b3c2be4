//! mdBook books, Zola/Hugo docs folders and folder trees without `kind:`
//! build as they are: the order and nesting their tools give, their index
//! pages, includes, links and shortcodes (fixtures `book` and `zola-hugo`).

use std::fs;
use std::path::Path;

use crate::support::{attr_values, content_of, element_inner, main_of, Project};

/// The sidebar's rows as a reader sees them: `# Part`, a link's title
/// indented two spaces per level, an unlinked row in brackets.
fn sidebar(html: &str) -> Vec<String> {
    let list = element_inner(html, "<ol class=\"nav-pages\">", "ol").expect("a sidebar");
    // The current page's sections are listed under it: not rows.
    let mut flat = list.to_string();
    while let Some(start) = flat.find("<ol class=\"nav-sections\">") {
        let end = start + flat[start..].find("</ol>").unwrap() + "</ol>".len();
        flat.replace_range(start..end, "");
    }
    flat.split("<li class=\"")
        .skip(1)
        .map(|li| {
            let class = &li[..li.find('"').unwrap()];
            let text = strip_tags(&li[li.find('>').unwrap() + 1..]);
            let depth = class
                .split_whitespace()
                .find_map(|c| c.strip_prefix("depth-"))
                .map_or(0, |d| d.parse().unwrap());
            if class == "nav-part" {
                format!("# {text}")
            } else if li.contains("nav-draft") {
                format!("{}({text})", "  ".repeat(depth))
            } else {
                format!("{}{text}", "  ".repeat(depth))
            }
        })
        .collect()
}

fn strip_tags(s: &str) -> String {
    let mut out = String::new();
    let mut inside = false;
    for c in s.chars() {
        match c {
            '<' => inside = true,
            '>' => inside = false,
            c if !inside => out.push(c),
            _ => {}
        }
    }
    out.trim().to_string()
}

/// The links of a page's "In this section" list (or the home page's
/// contents): title and href.
fn listed(html: &str, section: &str) -> Vec<(String, String)> {
    let list = element_inner(html, section, "section").expect("the list");
    list.split("<li>")
        .skip(1)
        .map(|li| {
            let href = attr_values(li, "href")[0].clone();
            let title = strip_tags(&li[..li.find("</a>").unwrap()]);
            (title, href)
        })
        .collect()
}

fn book() -> Project {
    let p = Project::new("book");
    p.build(&[]).success();
    p
}

#[test]
fn summary_gives_the_sidebar_order_nesting_parts_and_drafts() {
    let p = book();
    let rows = sidebar(&p.page("guide/install.html"));
    assert_eq!(
        rows,
        [
            "Preface",
            "# Getting started",
            "Guide",
            "  Install",
            "  (Later chapter)",
            "  Usage",
            "Reference",
            "Thanks",
        ]
    );
    // SUMMARY.md is the table of contents, not a page; an included
    // fragment is part of its chapter, not a page either.
    assert!(!p.path().join("site/SUMMARY.html").exists());
    assert!(!p.path().join("site/snippets/steps.html").exists());
    // A page SUMMARY.md does not list is still built.
    assert!(p.page("appendix.html").contains("Appendix"));
}

#[test]
fn readme_is_its_folders_index_and_lists_its_chapters_in_summary_order() {
    let p = book();
    let home = p.page("index.html");
    assert!(main_of(&home).contains("<h1>The Little Book</h1>"));
    let guide = p.page("guide/index.html");
    assert_eq!(
        listed(&guide, "<section class=\"children\""),
        [
            ("Installing".to_string(), "install.html".to_string()),
            ("Usage".to_string(), "usage.html".to_string()),
        ]
    );
    assert!(guide.contains("Everything needed to install the tool."));
    // The home page lists the top-level chapters, with their SUMMARY titles.
    let top: Vec<String> = listed(&home, "<section class=\"sections\"")
        .into_iter()
        .map(|(t, _)| t)
        .collect();
    assert_eq!(top, ["Preface", "Guide", "Reference", "Thanks"]);
    // Previous and next follow the reading order.
    let install = p.page("guide/install.html");
    assert!(
        install.contains("rel=\"prev\" href=\"index.html\""),
        "{install}"
    );
    assert!(install.contains("rel=\"next\" href=\"usage.html\""));
    // A link to a folder is a link to its index page.
    assert!(attr_values(&home, "href").contains(&"guide/index.html".to_string()));
    assert!(attr_values(&home, "href").contains(&"guide/install.html#steps".to_string()));
}

#[test]
fn includes_put_in_the_files_lines_ranges_and_anchors() {
    let p = book();
    let html = p.page("guide/install.html");
    let body = content_of(&html).unwrap();
    assert!(body.contains("<h2 id=\"steps\">Steps</h2>"), "{body}");
    assert!(body.contains("Unpack it into a folder on your path."));
    // Lines 2 to 3, the `main` anchor, line 5 on, line 1, the `helper` anchor.
    assert!(body.contains("fn main() {\n    println!(\"{}\", helper());\n</code>"));
    assert!(body.contains(
        "<code class=\"language-rust\">fn main() {\n    println!(\"{}\", helper());\n}\n</code>"
    ));
    assert!(body.contains("<code class=\"language-text\">// ANCHOR_END: main\n"));
    assert!(body.contains("// ANCHOR_END: helper\n// ANCHOR: main\n</code>"));
    assert!(
        body.contains("<code class=\"language-rust\">fn helper() -&gt; u32 {\n    42\n}\n</code>")
    );
    // The escaped directive is shown, without its backslash.
    assert!(body.contains("<code>{{#include file.md}}</code>"));
}

#[test]
fn a_books_404_md_is_the_not_found_page() {
    let p = book();
    let html = p.page("404.html");
    assert!(html.contains("Lost in the book"));
    assert!(html.contains("This page is not in the book."));
    // Served at any depth: its stylesheet is inside it.
    assert!(html.contains("<style"));
    assert!(!sidebar(&html).iter().any(|r| r.contains("Lost")));
}

#[test]
fn an_include_of_a_missing_file_is_an_error_at_its_line() {
    let p = Project::empty();
    write(p.path(), "content/README.md", "# Home\n\nText.\n");
    write(
        p.path(),
        "content/page.md",
        "# Page\n\n{{#include nope.md}}\n",
    );
    let run = p.build(&[]);
    assert_ne!(run.code, Some(0));
    assert!(
        run.stderr
            .contains("page.md:3:1: error: included file not found: nope.md"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_summary_entry_naming_no_file_is_reported_and_shown_as_a_draft() {
    let p = Project::empty();
    write(p.path(), "content/README.md", "# Home\n\nText.\n");
    write(
        p.path(),
        "content/SUMMARY.md",
        "# Summary\n\n- [Home](README.md)\n- [Gone](gone.md)\n",
    );
    let run = p.build(&[]).success();
    assert!(
        run.stderr
            .contains("SUMMARY.md:4: warning: SUMMARY.md lists gone.md, which does not exist"),
        "{}",
        run.stderr
    );
    assert_eq!(sidebar(&p.page("index.html")), ["Home", "(Gone)"]);
}

fn write(root: &Path, rel: &str, text: &str) {
    let path = root.join(rel);
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(path, text).unwrap();
}

fn zola_hugo() -> (Project, String) {
    let p = Project::new("zola-hugo");
    let run = p.build(&[]).success();
    (p, run.stderr)
}

#[test]
fn zola_and_hugo_links_resolve_to_the_page_they_name() {
    let (p, _) = zola_hugo();
    let hrefs = attr_values(content_of(&p.page("index.html")).unwrap(), "href");
    assert_eq!(
        hrefs,
        [
            "functions/time/format.html#layout",
            "functions/time/index.html",
            "functions/time/format.html",
            "about.html",
        ]
    );
    // Relative as Hugo reads it: from the page's URL, a folder there.
    let now = attr_values(
        content_of(&p.page("functions/time/now.html")).unwrap(),
        "href",
    );
    assert_eq!(now, ["format.html"]);
    let format = attr_values(
        content_of(&p.page("functions/time/format.html")).unwrap(),
        "href",
    );
    assert_eq!(format, ["now.html", "../index.html"]);
}

#[test]
fn unknown_shortcodes_show_their_inner_text_and_are_reported_once_per_name() {
    let (p, stderr) = zola_hugo();
    let about = p.page("about.html");
    let body = content_of(&about).unwrap();
    assert!(body.contains("Be careful with the clock."));
    assert!(body.contains("Quoted words stay."));
    assert!(!body.contains("youtube"), "{body}");
    assert!(!body.contains("quote("));
    // Shown on purpose: in code, and escaped.
    assert!(body.contains("<code>{{&lt; note &gt;}}</code>"));
    assert!(body.contains("<pre><code>{{&lt; note &gt;}}\n</code></pre>"));
    assert!(body.contains("Escaped: {{&lt; note &gt;}}."));
    let reports: Vec<&str> = stderr.lines().filter(|l| l.contains("shortcode")).collect();
    assert_eq!(reports.len(), 3, "{stderr}");
    assert!(reports[0].contains("about.md:6:1: warning: shortcode 'note' is not run by dossier"));
    assert!(reports[0].contains("used 2 times on 2 pages"));
    assert!(reports[1].contains("about.md:8:1: warning: shortcode 'youtube'"));
    assert!(reports[2].contains("about.md:12:1: warning: shortcode 'quote'"));
}

#[test]
fn a_folder_tree_without_kind_gives_the_sidebar_indexes_and_home_sections() {
    let (p, _) = zola_hugo();
    let home = p.page("index.html");
    assert_eq!(
        sidebar(&home),
        [
            "About",
            "Functions",
            "  Time functions",
            "    time.Format",
            "    time.Now",
            "  (Strings)",
            "    strings.Trim",
        ]
    );
    assert_eq!(
        listed(&home, "<section class=\"sections\""),
        [
            ("About".to_string(), "about.html".to_string()),
            ("Functions".to_string(), "functions/index.html".to_string()),
        ]
    );
    // Summaries: front matter's, else the first paragraph.
    assert!(home.contains("All the template functions, by area."));
    let functions = p.page("functions/index.html");
    assert_eq!(
        listed(&functions, "<section class=\"children\""),
        [
            ("Time functions".to_string(), "time/index.html".to_string()),
            ("strings.Trim".to_string(), "strings/trim.html".to_string()),
        ]
    );
    assert!(functions.contains("Removes characters from both ends of a string."));
    let time = p.page("functions/time/index.html");
    assert_eq!(
        listed(&time, "<section class=\"children\"")
            .into_iter()
            .map(|(t, _)| t)
            .collect::<Vec<_>>(),
        ["time.Format", "time.Now"]
    );
}

#[test]
fn positions_after_an_include_are_the_lines_of_the_file() {
    let p = Project::empty();
    write(p.path(), "content/README.md", "# Home\n\nText.\n");
    write(p.path(), "content/part.md", "One.\n\nTwo.\n\nThree.\n");
    write(
        p.path(),
        "content/page.md",
        "# Page\n\n{{#include part.md}}\n\n[x](nowhere.md)\n",
    );
    let run = p.build(&[]);
    assert!(
        run.stderr
            .contains("page.md:5:1: error: broken link 'nowhere.md'"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_book_folder_with_book_toml_builds_from_the_source_folder_it_names() {
    // As mdBook reads a book: `book.toml` at the top, the chapters in its
    // `[book] src` folder (`src` when it names none).
    for (toml, src) in [
        ("[book]\ntitle = \"T\"\nsrc = \"text\"\n", "text"),
        ("[book]\ntitle = \"T\"\n", "src"),
    ] {
        let p = Project::empty();
        write(p.path(), "mybook/book.toml", toml);
        write(
            p.path(),
            &format!("mybook/{src}/SUMMARY.md"),
            "# Summary\n\n[Intro](intro.md)\n\n- [Part two](two/chapter.md)\n",
        );
        write(
            p.path(),
            &format!("mybook/{src}/intro.md"),
            "# Intro\n\nSee [the chapter](two/chapter.md).\n",
        );
        write(
            p.path(),
            &format!("mybook/{src}/two/chapter.md"),
            "# Chapter\n\nBack to [the intro](/intro.md).\n",
        );
        let run = p.build(&["--content", "mybook"]).success();
        assert!(
            !run.stderr.contains("warning: broken link"),
            "{}",
            run.stderr
        );
        let intro = p.page("intro.html");
        assert_eq!(
            attr_values(content_of(&intro).unwrap(), "href"),
            ["two/chapter.html"]
        );
        let chapter = p.page("two/chapter.html");
        assert_eq!(
            attr_values(content_of(&chapter).unwrap(), "href"),
            ["../intro.html"]
        );
        assert_eq!(sidebar(&chapter), ["Intro", "Part two"]);
        assert!(!p.path().join("site/SUMMARY.html").exists());
    }
}

#[test]
fn rust_blocks_show_their_language_and_hide_the_lines_mdbook_hides() {
    let p = book();
    let body = p.page("reference.html");
    let body = content_of(&body).unwrap();
    assert!(
        body.contains(
            "<code class=\"language-rust\">#[derive(Debug)]\nstruct Option;\n# escaped\n</code>"
        ),
        "{body}"
    );
    assert!(!body.contains("fn main"));
}

#[test]
fn a_home_page_listed_first_in_summary_leads_on_to_the_next_chapter() {
    let p = Project::empty();
    write(p.path(), "content/README.md", "# Intro\n\nWelcome.\n");
    write(p.path(), "content/one.md", "# One\n\nFirst.\n");
    write(
        p.path(),
        "content/SUMMARY.md",
        "# Summary\n\n[Introduction](README.md)\n\n- [One](one.md)\n",
    );
    p.build(&[]).success();
    let home = p.page("index.html");
    assert!(home.contains("rel=\"next\" href=\"one.html\""), "{home}");
    assert!(p
        .page("one.html")
        .contains("rel=\"prev\" href=\"index.html\""));
}

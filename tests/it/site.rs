//! Successful builds of `tests/fixtures/basic` (a small report with every
//! kind of page and link) and of the template fixtures: page structure,
//! links, backlinks, acronyms, publishing options, determinism.

use std::collections::{BTreeMap, BTreeSet};

use crate::support::{
    attr_values, content_of, element_inner, html_pages, ids, link_problems, main_of, resolve,
    Project,
};

/// The only off-site URLs the basic fixture's content links to.
const EXTERNAL: &[&str] = &[
    "https://www.icrc.org/en/law-and-policy/geneva-conventions",
    "mailto:team@example.org",
];

/// Every page the basic fixture's markdown files become.
const CONTENT_PAGES: &[&str] = &[
    "about.html",
    "acronyms/c-sase.html",
    "acronyms/nato.html",
    "acronyms/ngo.html",
    "acronyms/us.html",
    "chapters/analysis.html",
    "chapters/context.html",
    "index.html",
    "interviews/officer.html",
    "methodology.html",
    "notes/field notes.html",
    "recommendations/protect-hospitals.html",
    "sources/geneva-conventions.html",
    "topics/protection.html",
];

fn built(args: &[&str]) -> Project {
    let p = Project::new("basic");
    p.build(args).success();
    p
}

#[test]
fn every_page_and_file_is_written() {
    let p = built(&[]);
    let files: Vec<String> = p.tree("site").into_keys().collect();
    let mut expected: Vec<&str> = CONTENT_PAGES.to_vec();
    expected.extend([
        ".dossier-site",
        "404.html",
        "acronyms/index.html",
        "chapters/index.html",
        "graph.html",
        "images/map.svg",
        "interviews/index.html",
        "recommendations/index.html",
        "print.html",
        "search-index.js",
        "search.html",
        "search/p0.js",
        "search/w0.js",
        "sources/index.html",
        "static/dossier.js",
        "static/style.css",
        "topics/index.html",
    ]);
    expected.sort_unstable();
    assert_eq!(files, expected);
    assert_eq!(
        p.tree("site")["images/map.svg"],
        std::fs::read(p.path().join("content/images/map.svg")).unwrap(),
        "assets are copied unchanged"
    );
}

/// Without chapters there is no reading order, and the printout would be
/// every page in a row (a large wiki's is tens of megabytes): it is written,
/// and linked, only when asked for.
#[test]
fn a_site_without_chapters_has_no_print_page_unless_asked() {
    let p = Project::empty();
    let content = p.path().join("content");
    std::fs::create_dir_all(content.join("topics")).unwrap();
    std::fs::write(
        content.join("notes.md"),
        "---\ntitle: Notes\n---\nSee [[Water]].\n",
    )
    .unwrap();
    std::fs::write(
        content.join("topics/water.md"),
        "---\ntitle: Water\nkind: topic\n---\nWells.\n",
    )
    .unwrap();
    p.build(&[]).success();
    let site = p.tree("site");
    assert!(!site.contains_key("print.html"), "{:?}", site.keys());
    for (url, html) in html_pages(&site) {
        assert!(
            !html.contains("print.html"),
            "{url} links the missing printout"
        );
    }

    p.build(&["--print"]).success();
    let site = p.tree("site");
    let print = html_pages(&site)
        .remove("print.html")
        .expect("print.html with --print");
    assert!(print.contains("Wells."), "{print}");
    assert!(p.page("notes.html").contains("href=\"print.html\""));
}

/// The printout's heading is the whole report's title, which the breadcrumb
/// already shows as Home's page: its last crumb names the page instead of
/// repeating a title long enough to wrap.
#[test]
fn the_printouts_breadcrumb_names_the_printout_not_the_report_again() {
    let p = built(&[]);
    let site = p.tree("site");
    let print = html_pages(&site).remove("print.html").expect("print.html");
    let crumbs = element_inner(&print, "<nav class=\"breadcrumbs\"", "nav").expect("breadcrumbs");
    assert!(
        crumbs.contains("<li aria-current=\"page\">Print version</li>"),
        "{crumbs}"
    );
    let h1 = element_inner(&print, "<h1>", "h1").expect("a heading");
    assert!(!crumbs.contains(h1.trim()), "{crumbs} repeats {h1}");
}

#[test]
fn every_page_is_a_complete_accessible_document() {
    let p = built(&[]);
    for (url, html) in html_pages(&p.tree("site")) {
        assert!(html.starts_with("<!doctype html>\n"), "{url}");
        for needle in [
            "<html lang=\"en\"",
            "<meta charset=\"utf-8\">",
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">",
        ] {
            assert!(html.contains(needle), "{url} lacks {needle}");
        }
        let title = element_inner(&html, "<title>", "title").expect("a <title>");
        assert!(!title.trim().is_empty(), "{url}: empty <title>");
        assert_eq!(html.matches("<h1").count(), 1, "{url}: exactly one <h1>");
        let all = attr_values(&html, "id");
        let unique: BTreeSet<&String> = all.iter().collect();
        assert_eq!(all.len(), unique.len(), "{url}: duplicate ids in {all:?}");
        // The theme's own two scripts (the stored theme, then dossier.js);
        // nothing from authors.
        let scripts: Vec<&str> = html.split("<script").skip(1).collect();
        assert_eq!(scripts.len(), 2, "{url}: author markup must never run");
        if url == "404.html" {
            // Served at any depth, it first finds the site root, then loads
            // dossier.js from there.
            assert!(scripts[0].contains("createElement(\"base\")"), "{url}");
            assert!(scripts[0].contains("\"static/dossier.js\""), "{url}");
            assert!(scripts[1].starts_with(">try{var t=localStorage"), "{url}");
            continue;
        }
        assert!(scripts[0].starts_with(">try{var t=localStorage"), "{url}");
        assert!(scripts[1].contains("static/dossier.js\" defer>"), "{url}");
    }
}

#[test]
fn internal_links_are_relative_and_all_resolve() {
    let p = built(&[]);
    let tree = p.tree("site");
    assert_eq!(link_problems(&tree, EXTERNAL), Vec::<String>::new());
    // The checker itself must catch what it is meant to catch.
    let mut broken = tree.clone();
    broken.insert(
        "x.html".into(),
        b"<a href=\"about.html#nope\"></a><a href=\"/about.html\"></a><a href=\"topics/\"></a><img src=\"gone.png\">".to_vec(),
    );
    assert_eq!(link_problems(&broken, EXTERNAL).len(), 4);
}

#[test]
fn referenced_by_lists_exactly_the_pages_that_link_here() {
    let p = built(&[]);
    let pages = html_pages(&p.tree("site"));
    // Who links to whom, read off the rendered bodies alone.
    let mut linkers: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for url in CONTENT_PAGES {
        let body = content_of(&pages[*url]).expect("content div");
        for href in attr_values(body, "href") {
            if let Some((target, _)) = resolve(url, &href) {
                if target != *url {
                    linkers.entry(target).or_default().insert(url.to_string());
                }
            }
        }
    }
    let mut checked = 0;
    for url in CONTENT_PAGES {
        let html = &pages[*url];
        let Some(section) = element_inner(html, "<section class=\"backlinks\"", "section") else {
            assert_eq!(*url, "index.html", "only the home page has no backlinks");
            continue;
        };
        let listed: BTreeSet<String> = section
            .split("class=\"backlink-source\" href=\"")
            .skip(1)
            .map(|s| resolve(url, &s[..s.find('"').unwrap()]).unwrap().0)
            .collect();
        let expected = linkers.get(*url).cloned().unwrap_or_default();
        assert_eq!(listed, expected, "Referenced by on {url}");
        assert_eq!(
            section.contains("No other page links here yet."),
            expected.is_empty(),
            "{url}"
        );
        checked += 1;
    }
    assert_eq!(checked, CONTENT_PAGES.len() - 1);
    // The fixture must exercise the interesting cases: several kinds linking
    // to one page, and links made by acronym wrapping.
    assert_eq!(linkers["chapters/context.html"].len(), 4);
    assert!(linkers["acronyms/nato.html"].contains("interviews/officer.html"));
}

#[test]
fn acronyms_are_explained_in_prose_and_linked_once() {
    let p = built(&[]);
    let html = p.page("chapters/context.html");
    let nato = "<abbr title=\"North Atlantic Treaty Organization\">NATO</abbr>";
    assert_eq!(
        html.matches("<a class=\"acronym\" href=\"../acronyms/nato.html\">")
            .count(),
        1,
        "only the first NATO is a link"
    );
    assert!(html.contains(&format!(
        "<a class=\"acronym\" href=\"../acronyms/nato.html\">{nato}</a> and the"
    )));
    assert!(
        html.contains(&format!("{nato} says")),
        "later ones are <abbr> only"
    );
    assert!(html.contains("<abbr title=\"Non-governmental organisation\">NGOs</abbr>"));
    assert!(
        html.contains("the USA is not the <abbr title=\"United States\">US</abbr>."),
        "US is not found inside USA"
    );
    assert!(html.contains(
        "<abbr title=\"Centre for Security and Stabilisation\">C-SASE</abbr></a>-led review"
    ));
    assert!(
        html.contains("says “protection” is ‘shared’ – and"),
        "smart punctuation, and no acronym inside the quotes"
    );
    assert!(html.contains("<h2 id=\"nato-in-numbers\">NATO in numbers</h2>"));
    assert!(html.contains("<code>NATO</code>"));
    assert!(html.contains(">a link about NATO</a>"));
    let own = p.page("acronyms/nato.html");
    assert!(
        !content_of(&own).unwrap().contains("class=\"acronym\""),
        "an acronym page does not link to itself"
    );
}

#[test]
fn footnotes_cited_twice_link_both_ways() {
    let p = built(&[]);
    let html = p.page("chapters/context.html");
    assert_eq!(html.matches("href=\"#fn-icrc\"").count(), 2);
    assert!(html.contains("id=\"fnref-icrc\"") && html.contains("id=\"fnref2-icrc\""));
    assert!(html.contains("href=\"#fnref-icrc\"") && html.contains("href=\"#fnref2-icrc\""));
}

#[test]
fn chapters_follow_their_order_not_their_names() {
    let p = built(&[]);
    let home = p.page("index.html");
    let list = element_inner(&home, "<ol class=\"chapter-list\">", "ol").unwrap();
    assert!(list.find("Context").unwrap() < list.find("Analysis of findings").unwrap());
    let first = p.page("chapters/context.html");
    assert!(first.contains("rel=\"next\" href=\"analysis.html\""));
    assert!(!first.contains("rel=\"prev\""));
    assert!(p
        .page("chapters/analysis.html")
        .contains("rel=\"prev\" href=\"context.html\""));
}

#[test]
fn titles_come_from_front_matter_heading_or_file_name() {
    let p = built(&[]);
    assert!(p.page("methodology.html").contains("<h1>Methodology</h1>"));
    assert!(p
        .page("notes/field notes.html")
        .contains("<h1>field notes</h1>"));
    let about = p.page("about.html");
    assert!(about.contains(
        "<h1>About &lt;script&gt;alert(&quot;title&quot;)&lt;/script&gt; this report</h1>"
    ));
}

/// The `<main>` of representative pages, reviewed by eye.
#[test]
fn main_content_snapshots() {
    let p = built(&[]);
    for url in [
        "index.html",
        "chapters/context.html",
        "chapters/analysis.html",
        "topics/protection.html",
        "acronyms/nato.html",
        "acronyms/index.html",
        "chapters/index.html",
        "about.html",
        "methodology.html",
        "notes/field notes.html",
        "404.html",
    ] {
        let name = url.trim_end_matches(".html").replace(['/', ' '], "_");
        insta::assert_snapshot!(format!("main_{name}"), main_of(&p.page(url)));
    }
}

#[test]
fn base_url_adds_canonical_links_and_a_sitemap() {
    let p = built(&["--base-url", "https://example.org/sub/"]);
    let tree = p.tree("site");
    assert!(p.page("topics/protection.html").contains(
        "<link rel=\"canonical\" href=\"https://example.org/sub/topics/protection.html\">"
    ));
    assert!(p.page("notes/field notes.html").contains(
        "<link rel=\"canonical\" href=\"https://example.org/sub/notes/field%20notes.html\">"
    ));
    let not_found = p.page("404.html");
    assert!(!not_found.contains("rel=\"canonical\""));
    assert!(not_found.contains("<base href=\"https://example.org/sub/\">"));
    let sitemap = String::from_utf8(tree["sitemap.xml"].clone()).unwrap();
    insta::assert_snapshot!(sitemap);
    // Every page but the 404 page is listed, nothing else.
    let listed = sitemap.matches("<loc>").count();
    let pages = tree.keys().filter(|k| k.ends_with(".html")).count();
    assert_eq!(listed, pages - 1);
}

#[test]
fn without_base_url_there_is_no_canonical_and_no_sitemap() {
    let p = built(&[]);
    let tree = p.tree("site");
    assert!(!tree.contains_key("sitemap.xml"));
    for (url, html) in html_pages(&tree) {
        assert!(!html.contains("rel=\"canonical\""), "{url}");
        assert!(!html.contains("<base "), "{url}");
    }
}

#[test]
fn builds_are_byte_identical() {
    let a = built(&[]);
    let b = built(&[]);
    let first = a.tree("site");
    assert_eq!(first, b.tree("site"), "two projects, same output");
    a.build(&[]).success();
    assert_eq!(first, a.tree("site"), "a rebuild in place changes nothing");
    assert_eq!(
        a.entries(),
        ["content", "site"],
        "no temporary folders left"
    );
}

#[test]
fn a_folder_with_only_content_builds_with_the_built_in_templates() {
    let p = Project::new("basic");
    assert_eq!(p.entries(), ["content"]);
    p.build(&[]).success();
    let tree = p.tree("site");
    assert!(tree["static/style.css"].len() > 100);
    assert!(p
        .page("about.html")
        .contains("<section class=\"backlinks\""));
}

#[test]
fn project_templates_override_by_name_and_static_files_are_copied() {
    let p = Project::new("custom-templates");
    p.build(&[]).success();
    let about = p.page("about.html");
    assert!(about.contains("<p class=\"custom-footer\">Custom page template</p>"));
    assert!(
        !about.contains("class=\"backlinks\""),
        "the built-in page.html is not used"
    );
    // Templates that extend page.html pick up the override too.
    assert!(p.page("un.html").contains("custom-footer"));
    // Templates that are not overridden stay built in.
    assert!(p
        .page("index.html")
        .contains("<article class=\"page home\">"));
    let tree = p.tree("site");
    assert_eq!(
        tree["static/extra.css"],
        std::fs::read(p.path().join("templates/static/extra.css")).unwrap()
    );
    assert!(tree.contains_key("static/style.css"));
}

/// A heading named "Main" or "Notes" must not take the id the template
/// already uses for `<main id="main">` (the skip link's target) or for the
/// footnotes heading.
#[test]
fn heading_ids_never_collide_with_template_ids() {
    let p = Project::new("id-collisions");
    p.build(&[]).success();
    for (url, html) in html_pages(&p.tree("site")) {
        let all = attr_values(&html, "id");
        assert_eq!(
            all.len(),
            ids(&html).len(),
            "{url}: duplicate ids in {all:?}"
        );
    }
}

/// `[[Collisions#Main]]` must land on the author's "Main" heading, not on the
/// template's `<main>` element (likewise "Notes" vs the footnotes heading).
#[test]
fn wikilinks_to_a_heading_land_on_that_heading() {
    let p = Project::new("id-collisions");
    p.build(&[]).success();
    let home = p.page("index.html");
    let other = p.page("other.html");
    for heading in ["Main", "Notes"] {
        let text = format!("Collisions › {heading}</a>");
        let at = other.find(&text).expect("the wikilink is rendered");
        let start = other[..at].rfind("href=\"").unwrap() + "href=\"".len();
        let href = &other[start..start + other[start..].find('"').unwrap()];
        let (_, fragment) = resolve("other.html", href).unwrap();
        let fragment = fragment.expect("a fragment");
        assert!(
            home.contains(&format!("<h2 id=\"{fragment}\">{heading}</h2>")),
            "[[Collisions#{heading}]] → {href}, which is not the heading"
        );
    }
}

/// A backlink quotes the sentence as readers see it, so `[[Title#Heading]]`
/// reads "Title › Heading" there too.
#[test]
fn backlink_context_quotes_wikilinks_as_rendered() {
    let p = built(&[]);
    let html = p.page("chapters/context.html");
    let section = element_inner(&html, "<section class=\"backlinks\"", "section").unwrap();
    assert!(
        section.contains("Compare with the context chapter and Context › NATO in numbers."),
        "{section}"
    );
}

/// `[^a b]` and `[^a-b]` are two notes; today both become `id="fn-a-b"`, so
/// the second reference jumps to the first note.
#[test]
fn footnotes_with_similar_labels_stay_distinct() {
    let p = Project::new("footnote-labels");
    p.build(&[]).success();
    let html = p.page("index.html");
    let all = attr_values(&html, "id");
    assert_eq!(all.len(), ids(&html).len(), "duplicate ids in {all:?}");
}

#[test]
fn one_worker_thread_writes_the_same_bytes_as_many() {
    let parallel = built(&[]).tree("site");
    let p = Project::new("basic");
    let run = p.run(&["--jobs", "1", "build"]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert!(parallel == p.tree("site"), "--jobs 1 changed the output");
    let many = Project::new("basic");
    assert_eq!(many.run(&["-j", "4", "build"]).code, Some(0));
    assert!(parallel == many.tree("site"), "--jobs 4 changed the output");
}

#[cfg(unix)]
#[test]
fn worker_threads_that_cannot_start_are_an_error_and_the_site_stays() {
    use std::os::unix::process::CommandExt;
    let p = Project::new("basic");
    p.build(&[]).success();
    let before = p.tree("site");
    // RLIMIT_NPROC counts every process and thread of a user, so at 1 no
    // worker can start: the limit a user on a constrained host meets. (An
    // address-space limit raced: threads that had started could die inside
    // glibc before the next one failed to start.) Root is exempt from the
    // limit, so as root the build runs as `nobody`, from a copy of the
    // binary in the project, which `nobody` is made to own.
    let root = unsafe { libc::geteuid() } == 0;
    let mut cmd = if root {
        let bin = p.path().join("dossier-as-nobody");
        std::fs::copy(env!("CARGO_BIN_EXE_dossier"), &bin).unwrap();
        for entry in walkdir::WalkDir::new(p.path()) {
            std::os::unix::fs::lchown(entry.unwrap().path(), Some(65534), Some(65534)).unwrap();
        }
        let mut cmd = std::process::Command::new(bin);
        cmd.uid(65534).gid(65534);
        cmd
    } else {
        std::process::Command::new(env!("CARGO_BIN_EXE_dossier"))
    };
    // SAFETY: setrlimit is async-signal-safe and touches no shared state.
    unsafe {
        cmd.pre_exec(|| {
            let one = libc::rlimit {
                rlim_cur: 1,
                rlim_max: 1,
            };
            match libc::setrlimit(libc::RLIMIT_NPROC, &one) {
                0 => Ok(()),
                _ => Err(std::io::Error::last_os_error()),
            }
        });
    }
    let out = cmd
        .args(["--jobs", "2", "build"])
        .current_dir(p.path())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.starts_with("error: cannot start 2 worker threads: "),
        "{stderr}"
    );
    assert!(p.tree("site") == before, "the previous site is untouched");
}

/// The built-in `page.html` prints `page.backlinks_html`, which the build
/// writes; the fixture's `page.html` loops over `page.backlinks` in the
/// template, as a custom template would. Both must link the same pages and
/// passages with the same escaped text (titles and quotes with every
/// character HTML escapes, a page one folder down, a link without a
/// sentence, four kinds of linking page, a chapter's own links folded),
/// so a template that names `page.backlinks` still gets the whole list.
#[test]
fn backlinks_written_by_the_build_match_the_template_loop_over_the_list() {
    let p = Project::new("backlink-list");
    p.build(&["-q"]).success();
    p.build(&["-q", "--templates", "no-templates", "--out", "site-html"])
        .success();
    let target = p.page("target.html");
    for part in [
        "href=\"quotes.html\">Quotes &quot;and&quot; &lt;angles&gt; &amp; &#39;apostrophes&#39;</a>",
        "<a href=\"quotes.html#p\">(link)</a>",
        "href=\"more/nested.html\">Nested &#39;page&#39;</a>",
        "<h3 id=\"backlinks-acronym\">Glossary of acronyms</h3>",
    ] {
        assert!(target.contains(part), "target.html lacks {part}");
    }
    assert!(p
        .page("more/nested.html")
        .contains("href=\"../target.html#p-it-names-n-a-too-n\""));
    let (list, html) = (p.tree("site"), p.tree("site-html"));
    assert_eq!(
        list.keys().collect::<Vec<_>>(),
        html.keys().collect::<Vec<_>>()
    );
    // Every link of the section, as (href, text), in a stable order.
    let anchors = |bytes: &[u8]| -> Vec<String> {
        let page = String::from_utf8_lossy(bytes).into_owned();
        let Some(section) = element_inner(&page, "<section class=\"backlinks\"", "section") else {
            return Vec::new();
        };
        let mut out: Vec<String> = section
            .split("<a ")
            .skip(1)
            .map(|a| a[..a.find("</a>").unwrap()].replace(" class=\"backlink-source\"", ""))
            .collect();
        out.sort();
        out
    };
    let mut compared = 0;
    for (name, bytes) in list.iter().filter(|(n, _)| n.ends_with(".html")) {
        let (a, b) = (anchors(bytes), anchors(&html[name]));
        assert_eq!(
            a, b,
            "{name}: the template's loop and the built-in list differ"
        );
        compared += a.len();
    }
    assert!(compared > 10, "{compared} links compared");
    let second = String::from_utf8_lossy(&html["second.html"]);
    assert!(
        second.contains("<details class=\"backlinks-mutual\">"),
        "the built-in list folds what a chapter links to: {second}"
    );
}

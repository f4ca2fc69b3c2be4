//! Zola and Hugo documentation folders as their projects keep them (fixtures
//! `hugo-docs`, a language folder `content/en` under a `hugo.toml`, and
//! `zola-docs`): links reach the page and the heading the original tool
//! picks, and what dossier does not run stays out of the way.

use crate::support::{attr_values, content_of, Project};

fn hugo_docs() -> (Project, String) {
    let p = Project::new("hugo-docs");
    let run = p.build(&["--content", "content/en"]).success();
    (p, run.stderr)
}

#[test]
fn hugo_front_matter_keys_are_read_without_a_warning() {
    let (_, stderr) = hugo_docs();
    assert!(!stderr.contains("unknown key"), "{stderr}");
}

#[test]
fn a_link_to_a_page_the_folder_lacks_names_the_url_it_looked_for() {
    let (_, stderr) = hugo_docs();
    assert!(
        stderr.contains(
            "broken link '/functions/partials/include/': no page or folder at functions/partials/include/"
        ),
        "{stderr}"
    );
    assert!(!stderr.contains("link to a folder"), "{stderr}");
}

#[test]
fn a_link_to_an_alias_reaches_the_page_that_moved_there() {
    let (p, _) = hugo_docs();
    let page = p.page("content-management/front-matter.html");
    let hrefs = attr_values(content_of(&page).unwrap(), "href");
    assert!(
        hrefs.contains(&"../templates/types.html#home".to_string()),
        "{hrefs:?}"
    );
    assert!(
        hrefs.contains(&"../templates/types.html".to_string()),
        "{hrefs:?}"
    );
}

#[test]
fn a_definition_term_is_a_link_target_as_on_the_hugo_site() {
    let (p, stderr) = hugo_docs();
    let page = p.page("content-management/front-matter.html");
    let body = content_of(&page).unwrap();
    assert!(body.contains("<dt id=\"cascade\">"), "{body}");
    assert!(body.contains("<dt id=\"aliases\">"), "{body}");
    let hrefs = attr_values(body, "href");
    assert!(hrefs.contains(&"#cascade".to_string()), "{hrefs:?}");
    assert!(!stderr.contains("no anchor"), "{stderr}");
}

#[test]
fn toml_tables_inside_a_code_shortcode_are_not_wikilinks() {
    let (p, stderr) = hugo_docs();
    assert!(!stderr.contains("no page titled"), "{stderr}");
    let page = p.page("content-management/front-matter.html");
    let body = content_of(&page).unwrap();
    assert!(body.contains("[[cascade]]"), "{body}");
}

#[test]
fn a_gutenberg_link_from_the_content_top_reaches_its_page() {
    let p = Project::new("zola-docs");
    let run = p.build(&[]).success();
    assert!(!run.stderr.contains("broken link"), "{}", run.stderr);
    let page = p.page("documentation/content/page.html");
    let hrefs = attr_values(content_of(&page).unwrap(), "href");
    assert_eq!(
        hrefs,
        [
            "../templates/pages-sections.html#page-variables",
            "../templates/pages-sections.html"
        ]
    );
}

/// Hugo lowercases every URL, so its docs link `/methods/page/data/` for
/// the file `methods/page/Data.md`: the link reaches that file's page.
#[test]
fn a_lowercase_url_reaches_a_file_named_in_capitals() {
    let p = Project::new("hugo-docs");
    let dir = p.path().join("content/en/methods/page");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("Data.md"),
        "---\ntitle: Data\n---\n## Singular\n\nText.\n",
    )
    .unwrap();
    std::fs::write(
        p.path().join("content/en/uses.md"),
        "---\ntitle: Uses\n---\nSee [data](/methods/page/data/#singular).\n",
    )
    .unwrap();
    p.build(&["--content", "content/en"]).success();
    let page = p.page("uses.html");
    let hrefs = attr_values(content_of(&page).unwrap(), "href");
    assert!(
        hrefs.contains(&"methods/page/Data.html#singular".to_string()),
        "{hrefs:?}"
    );
}

/// Hugo names a definition term as goldmark does (`exec.allow` is
/// `#execallow`, a second `Singular` is `#singular-1`): links written for
/// it land on the term, which keeps its own id too.
#[test]
fn a_definition_term_answers_to_the_id_hugo_gives_it() {
    let p = Project::new("hugo-docs");
    std::fs::write(
        p.path().join("content/en/security.md"),
        "---\ntitle: Security\n---\n`exec.allow`\n: Executables.\n\nSingular\n: One.\n\n\
         Singular\n: Again.\n",
    )
    .unwrap();
    std::fs::write(
        p.path().join("content/en/uses.md"),
        "---\ntitle: Uses\n---\nSee [allow](/security/#execallow) and \
         [again](/security/#singular-1).\n",
    )
    .unwrap();
    let run = p.build(&["--content", "content/en"]).success();
    assert!(!run.stderr.contains("uses.md"), "{}", run.stderr);
    let page = p.page("security.html");
    assert!(
        page.contains("<dt id=\"exec-allow\"><span id=\"execallow\"></span>"),
        "{page}"
    );
    assert!(page.contains("<span id=\"singular-1\"></span>"), "{page}");
}

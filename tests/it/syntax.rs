//! Markdown written for GitHub and for Obsidian builds as it is: task
//! lists, alerts, definition lists, GitHub's heading ids, callouts,
//! comments, highlights and block ids, with every link landing.

use crate::support::{ids, link_problems, main_of, Project};

/// The GFM fixture: each extension renders as its element, and links
/// written with GitHub's heading ids land, as do links with dossier's own.
#[test]
fn a_gfm_page_builds_with_its_extensions_and_github_anchors() {
    let p = Project::new("gfm");
    p.build(&[]).success();
    let tree = p.tree("site");
    assert_eq!(link_problems(&tree, &[]), Vec::<String>::new());
    let readme = p.page("index.html");
    let guide = p.page("guide.html");
    let checked = main_of(&readme)
        .matches("type=\"checkbox\" class=\"task\" disabled checked")
        .count();
    let boxes = main_of(&readme).matches("type=\"checkbox\"").count();
    assert_eq!((checked, boxes), (1, 3), "{readme}");
    for kind in ["note", "tip", "important", "warning", "caution"] {
        assert!(
            guide.contains(&format!("data-callout=\"{kind}\">")),
            "{kind}: {guide}"
        );
    }
    assert!(!main_of(&guide).contains("[!"), "{guide}");
    assert!(guide.contains("<dt id=\"kaomoji\">Kaomoji</dt>"), "{guide}");
    assert!(
        guide.contains("<details>\n<summary>More symbols</summary>"),
        "{guide}"
    );
    let guide_ids = ids(&guide);
    for id in [
        "smileys--emotion",
        "smileys-emotion",
        "notes-1",
        "symbols-arrows",
    ] {
        assert!(guide_ids.contains(id), "{id}: {guide_ids:?}");
    }
    assert!(readme.contains("href=\"guide.html#smileys--emotion\""));
    assert!(readme.contains("href=\"guide.html#smileys-emotion\""));
}

/// The Obsidian fixture: callouts fold as written, comments and markers
/// are gone from the pages and the search index, highlights are marked,
/// block ids are the ids links reach, and escaped pipes in tables work.
#[test]
fn obsidian_inline_syntax_builds_as_it_is() {
    let p = Project::new("obsidian-inline");
    p.build(&[]).success();
    let tree = p.tree("site");
    assert_eq!(link_problems(&tree, &[]), Vec::<String>::new());
    let home = p.page("index.html");
    let main = main_of(&home);
    assert!(main.contains("<details class=\"callout callout-tip\" data-callout=\"tip\">\n<summary"));
    assert!(main.contains("data-callout=\"warning\" open>\n<summary"));
    assert!(main.contains("<aside class=\"callout callout-info\" data-callout=\"info\">"));
    assert!(main.contains("<span>Faq</span>"));
    assert!(main.contains("<mark>highlighted words</mark>"));
    assert!(main.contains("<p id=\"^intro1\">"));
    assert!(main.contains("<li id=\"^item-a\">First item</li>"));
    assert!(
        main.contains("<a href=\"Ideas.html\">the ideas</a>"),
        "{main}"
    );
    let site_text: String = tree
        .iter()
        .filter(|(name, _)| name.ends_with(".html") || name.ends_with(".js"))
        .map(|(_, bytes)| String::from_utf8_lossy(bytes).into_owned())
        .collect();
    for hidden in [
        "secret",
        "whole block comment",
        "[!tip]",
        "[!faq]",
        "%%",
        "==highlighted",
    ] {
        assert!(!site_text.contains(hidden), "{hidden} leaked");
    }
    // The backlink to Home quotes the sentence without its block id.
    let ideas = p.page("Ideas.html");
    assert!(
        ideas.contains("index.html#^intro1\">This sentence links to Ideas and has a"),
        "{ideas}"
    );
}

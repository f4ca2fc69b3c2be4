//! What an embedded note (`![[Note]]`) looks like inside the page that
//! embeds it: its callouts, highlights and comments read as on its own
//! page, and its headings one entry of "On this page", under the name the
//! embed shows.

use crate::support::{attr_values, content_of, Project};

fn built() -> Project {
    let p = Project::new("vault");
    p.build(&[]).success();
    p
}

/// The entries of a page's "On this page" panel: (level class, text, href).
fn on_this_page(html: &str) -> Vec<(String, String, String)> {
    let start = html
        .find("<nav class=\"toc\"")
        .expect("the page has a contents panel");
    let panel = &html[start..start + html[start..].find("</nav>").unwrap()];
    panel
        .split("<li class=\"")
        .skip(1)
        .map(|li| {
            let class = li[..li.find('"').unwrap()].to_string();
            let href = attr_values(li, "href").remove(0);
            let a = &li[li.find("<a ").unwrap()..];
            let text = &a[a.find('>').unwrap() + 1..a.find("</a>").unwrap()];
            (class, text.to_string(), href)
        })
        .collect()
}

#[test]
fn a_callout_inside_an_embedded_note_is_a_callout() {
    let p = built();
    let page = p.page("Boxed.html");
    let content = content_of(&page).unwrap();
    let tips = &content[content.find("<div class=\"transclusion\"").unwrap()..];
    assert!(
        tips.contains("<details class=\"callout callout-tip\" data-callout=\"tip\">"),
        "{content}"
    );
    assert!(
        tips.contains("<span>Keep notes short</span></summary>"),
        "{content}"
    );
    assert!(
        tips.contains("<div class=\"callout-body\">\n<p id=\"p-one-idea-per-note-linked-to\">One idea per note"),
        "{content}"
    );
    assert!(!content.contains("[!tip]"), "{content}");
    // The note's other marks too, as on its own page.
    assert!(
        tips.contains("A <mark>highlighted</mark> word"),
        "{content}"
    );
    assert!(
        !content.contains("%%") && !content.contains("only in the source"),
        "{content}"
    );
    let own = p.page("Tips.html");
    assert!(own.contains("<details class=\"callout callout-tip\""));
}

#[test]
fn an_embedded_notes_headings_are_one_entry_named_as_the_embed() {
    let p = built();
    let page = p.page("Boxed.html");
    let entries = on_this_page(&page);
    assert_eq!(
        entries,
        [
            ("toc-level-2".into(), "Tips".into(), "#embed-tips".into()),
            (
                "toc-level-2".into(),
                "Setting up".into(),
                "#setting-up".into()
            ),
            // Within the page's section it stands in.
            (
                "toc-level-3".into(),
                "Guide › Setup".into(),
                "#embed-guide-setup".into()
            ),
            ("toc-level-2".into(), "Notes".into(), "#notes".into()),
        ],
        "{page}"
    );
    assert!(
        !page.contains("Box:"),
        "an embed is no box of the page's own"
    );
    let ids = attr_values(&page, "id");
    for (_, _, href) in &entries {
        assert!(
            ids.contains(&href[1..].to_string()),
            "{href} is on the page"
        );
    }
    // Each leads to the top of its box, where the note's name is.
    assert!(
        page.contains(
            "<div class=\"transclusion\" id=\"embed-tips\">\n<p class=\"transclusion-source\">"
        ),
        "{page}"
    );
    let embeds = on_this_page(&p.page("Embeds.html"));
    let names: Vec<&str> = embeds.iter().map(|e| e.1.as_str()).collect();
    assert_eq!(names, ["Guide › Setup", "Notes"]);
}

//! Obsidian vaults built as they are: notes found by file name anywhere,
//! path, heading and block links, attachments, note embeds and their
//! failures.

use std::collections::BTreeSet;

use crate::support::{attr_values, content_of, Project};

fn built() -> Project {
    let p = Project::new("vault");
    p.build(&[]).success();
    p
}

/// The hrefs of a page's own text.
fn hrefs(p: &Project, url: &str) -> Vec<String> {
    let page = p.page(url);
    attr_values(content_of(&page).expect("page has content"), "href")
}

#[test]
fn links_go_to_the_note_obsidian_would_open() {
    let p = built();
    let home = hrefs(&p, "index.html");
    // A bare name: the shortest path; a path: that folder's note; a nested
    // heading: the `Install` under `Setup`, not the earlier one; a block by
    // its `^id`; an alias.
    assert_eq!(
        home,
        [
            "Note.html",
            "Projects/Note.html",
            "Guide.html#install-2",
            "Guide.html#^key-point",
            "Guide.html",
            "Embeds.html",
            "Archive/Other.html",
        ]
    );
    // The same name from a folder that holds a note of it: that one.
    assert_eq!(hrefs(&p, "Projects/Plan.html"), ["Note.html"]);
    // From a folder without one: the shortest path, not the deeper namesake.
    assert_eq!(hrefs(&p, "Archive/Other.html"), ["../Note.html"]);
    let guide = p.page("Guide.html");
    assert!(
        guide.contains("<h3 id=\"install-2\">Install</h3>"),
        "{guide}"
    );
    // The block marker is the block's id, and no longer its text.
    assert!(
        guide.contains("id=\"^key-point\">Key point: keep every attachment in one folder.</p>"),
        "{guide}"
    );
}

#[test]
fn home_md_is_the_home_page() {
    let p = built();
    let home = p.page("index.html");
    assert!(home.contains("Start with"), "{home}");
    assert!(!p.path().join("site/Home.html").exists());
}

#[test]
fn attachments_are_embedded_and_copied_as_they_are() {
    let p = built();
    let embeds = p.page("Embeds.html");
    let content = content_of(&embeds).unwrap();
    assert!(
        content.contains("<img src=\"attachments/diagram.svg\" alt=\"diagram\">"),
        "{content}"
    );
    assert!(
        content.contains("<img src=\"attachments/photo.png\" alt=\"photo\" width=\"100\">"),
        "{content}"
    );
    assert!(
        content.contains(
            "<a class=\"attachment\" href=\"attachments/manual.pdf#page=3\">manual.pdf</a>"
        ),
        "{content}"
    );
    let site = p.tree("site");
    let source = p.tree("content");
    for name in [
        "attachments/diagram.svg",
        "attachments/photo.png",
        "attachments/manual.pdf",
    ] {
        assert_eq!(site.get(name), source.get(name), "{name}");
    }
}

#[test]
fn embedded_notes_are_transcluded_with_their_notes_and_unique_ids() {
    let p = built();
    let embeds = p.page("Embeds.html");
    let content = content_of(&embeds).unwrap();
    // The section, headed by a link to where it lives, up to the next heading
    // of its level: the text after `## Later` is not in it.
    let boxes: Vec<&str> = content
        .split("<div class=\"transclusion\"")
        .skip(1)
        .collect();
    assert_eq!(boxes.len(), 4, "{content}");
    assert!(
        boxes[0].contains("<a href=\"Guide.html#setup\">Guide › Setup</a>"),
        "{}",
        boxes[0]
    );
    assert!(
        boxes[0].contains("Download it and install it."),
        "{}",
        boxes[0]
    );
    assert!(!boxes[0].contains("Installing again later"), "{}", boxes[0]);
    // The block alone, without its marker.
    assert!(
        boxes[1].contains("Key point: keep every attachment in one folder.</p>"),
        "{}",
        boxes[1]
    );
    assert!(!boxes[1].contains("Download it"), "{}", boxes[1]);
    assert!(!content.contains("^key-point</p>"), "{content}");
    assert!(
        boxes[2].contains("The root note, about the vault as a whole."),
        "{}",
        boxes[2]
    );
    // The embedded note's footnote is kept, numbered with the page's own.
    assert!(
        content.contains("The guide’s own note on installing."),
        "{content}"
    );
    assert!(content.contains("The host page’s note."), "{content}");
    // Embedding a note twice, and a section and a block of one note, leaves
    // every id on the page unique.
    let ids = attr_values(&embeds, "id");
    let unique: BTreeSet<&String> = ids.iter().collect();
    assert_eq!(unique.len(), ids.len(), "duplicate ids: {ids:?}");
    // Every in-page link lands on an id of the page.
    for href in attr_values(content, "href") {
        if let Some(id) = href.strip_prefix('#') {
            assert!(ids.iter().any(|i| i == id), "#{id} is on the page");
        }
    }
}

#[test]
fn embeds_on_lines_of_their_own_are_transcluded_where_they_stand() {
    let p = built();
    let steps = p.page("Steps.html");
    let content = content_of(&steps).unwrap();
    // Two embeds on consecutive lines of one paragraph: two sections, in
    // order, not two links run together on a line.
    let boxes: Vec<&str> = content
        .split("<div class=\"transclusion\"")
        .skip(1)
        .collect();
    assert_eq!(boxes.len(), 6, "{content}");
    assert!(boxes[0].contains("Installing again later."), "{}", boxes[0]);
    assert!(
        boxes[1].contains("Download it and install it."),
        "{}",
        boxes[1]
    );
    // An embed on the last line of a callout: the text before it stays a
    // paragraph of its own, the block follows inside the callout.
    assert!(
        content.contains("Keep this in mind:</p>\n<div class=\"transclusion\">"),
        "{content}"
    );
    assert!(
        boxes[2].contains("Key point: keep every attachment in one folder."),
        "{}",
        boxes[2]
    );
    let callout_end = content.find("</aside>").expect("a callout");
    assert!(content.find(boxes[2]).unwrap() < callout_end, "{content}");
    // A section of the note itself (`![[#Recap]]`) is no cycle: it shows
    // where it is embedded, as well as under its own heading.
    assert!(boxes[3].contains("Read the guide twice."), "{}", boxes[3]);
    assert_eq!(
        content.matches("Read the guide twice.").count(),
        2,
        "{content}"
    );
    // Nor is one inside an embedded section: `Recap` embeds `Last`, and
    // shows it wherever `Recap` is shown.
    assert_eq!(content.matches("The end.").count(), 3, "{content}");
}

#[test]
fn a_block_id_after_a_callout_or_a_table_names_all_of_it() {
    let p = built();
    let regions = p.page("Regions.html");
    let content = content_of(&regions).unwrap();
    // The marker on the line after the callout or the table, as Obsidian
    // writes it: the whole callout, the whole table carry the id, and the
    // marker is not shown (not even as a table row of its own).
    assert!(
        content.contains("<aside id=\"^regions\" class=\"callout callout-abstract\""),
        "{content}"
    );
    assert!(
        content.contains("<div class=\"table-wrap\" id=\"^servers\">"),
        "{content}"
    );
    assert!(!content.contains("^servers<"), "{content}");
    assert!(!content.contains("<td></td>"), "{content}");
    // A callout of a title alone, the marker at its end: the callout.
    assert!(
        content.contains("<aside id=\"^solo\" class=\"callout"),
        "{content}"
    );
    assert!(!content.contains("^solo<"), "{content}");
    let places = p.page("Places.html");
    let content = content_of(&places).unwrap();
    let boxes: Vec<&str> = content
        .split("<div class=\"transclusion\"")
        .skip(1)
        .collect();
    assert_eq!(boxes.len(), 3, "{content}");
    assert!(
        boxes[0].contains("Automatic: chosen for you."),
        "{}",
        boxes[0]
    );
    assert!(boxes[0].contains("Asia: Singapore"), "{}", boxes[0]);
    assert!(boxes[1].contains("<td>sync-01</td>"), "{}", boxes[1]);
    assert!(!boxes[1].contains("^servers<"), "{}", boxes[1]);
}

#[test]
fn a_missing_attachment_shows_its_name_not_its_size_hint() {
    let p = Project::new("vault");
    std::fs::write(p.path().join("dossier.toml"), "broken_links = \"warn\"\n").unwrap();
    std::fs::write(
        p.path().join("content/Shot.md"),
        "# Shot\n\nA screenshot not in the vault:\n\n![[missing-shot.png|300]]\n",
    )
    .unwrap();
    p.build(&[]).success();
    let shot = p.page("Shot.html");
    let content = content_of(&shot).unwrap();
    assert!(!content.contains(">300<"), "{content}");
    assert!(content.contains("missing-shot.png"), "{content}");
}

#[test]
fn embed_cycles_and_missing_embeds_are_errors_naming_the_place() {
    let p = Project::new("vault-embed-cycle");
    let run = p.build(&[]);
    let stderr = run.stderr_redacted();
    assert_eq!(run.code, Some(1), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(
        stderr.contains("content/A.md:3:1: error: embed cycle: A.md → B.md → A.md"),
        "{stderr}"
    );
    assert!(
        stderr.contains("content/Missing.md:3:1: error:") && stderr.contains("'Nowhere'"),
        "{stderr}"
    );
    assert!(
        stderr.contains("content/Missing.md:7:1: error: embed: no heading 'Missing' in A.md"),
        "{stderr}"
    );
    assert!(!p.path().join("site").exists());
}

//! `dossier.toml` and front matter written for other tools: a TOML front
//! matter site as Zola writes it, and Obsidian notes with Obsidian's own
//! keys, each built as it is; and every problem of a configuration or of a
//! TOML block reported at its line.

use std::fs;

use crate::support::{attr_values, Project};

/// The `href`s of the page's main content that lead to other pages.
fn content_links(html: &str) -> Vec<String> {
    let content = crate::support::content_of(html).unwrap_or_default();
    attr_values(content, "href")
}

#[test]
fn a_toml_front_matter_site_builds_with_its_keys_mapped() {
    let p = Project::new("toml-site");
    let run = p.build(&[]).success();
    let stderr = run.stderr_redacted();
    let soil = p.page("guide/soil.html");
    // `+++` is front matter, not a paragraph; the title is its own.
    assert!(soil.contains("<h1>Soil</h1>"), "{soil}");
    assert!(!soil.contains("+++"));
    // description → summary, date as written, taxonomies.tags → tags.
    assert!(soil.contains("<p class=\"summary\">What the ground is made of.</p>"));
    assert!(soil.contains("<p class=\"date\">2024-05-01</p>"));
    assert!(soil.contains("<span class=\"tag\">ground</span>"));
    // Wikilinks by title and by an alias given as text.
    assert_eq!(content_links(&soil)[0], "compost.html");
    let compost = p.page("guide/compost.html");
    assert_eq!(content_links(&compost), ["soil.html"], "alias Earth");
    assert!(compost.contains("<p class=\"date\">2024-04-12T09:30:00Z</p>"));
    // A draft is not built, and a link to it is a warning in a Zola site.
    assert!(!p.path().join("site/guide/unfinished.html").exists());
    assert!(
        stderr.contains("content/guide/soil.md:16:49: warning: broken link 'unfinished.md'"),
        "{stderr}"
    );
    // Zola's own keys (slug, template, sort_by, taxonomies) are no typos.
    assert!(!stderr.contains("unknown key"), "{stderr}");
    // The site's title and language are the configuration's.
    let home = p.page("index.html");
    assert!(home.contains("<title>Garden handbook</title>"), "{home}");
    assert!(soil.contains("<title>Soil — Garden handbook</title>"));
    assert!(home.contains("<html lang=\"en-GB\""));
    assert!(home.contains("class=\"site-title\" href=\"index.html\">Garden handbook</a>"));
}

#[test]
fn drafts_are_built_when_asked() {
    let p = Project::new("toml-site");
    let run = p.build(&["--drafts"]).success();
    assert!(p.path().join("site/guide/unfinished.html").exists());
    assert!(!run.stderr_redacted().contains("broken link"));
}

#[test]
fn every_page_links_to_where_it_is_edited() {
    let p = Project::new("toml-site");
    p.build(&[]).success();
    let soil = p.page("guide/soil.html");
    assert!(
        soil.contains(
            "<p class=\"edit-page\"><a href=\"https://git.example.org/garden/edit/main/content/guide/soil.md\">Edit this page</a></p>"
        ),
        "{soil}"
    );
    // Without `edit_url`, no page has the link.
    fs::remove_file(p.path().join("dossier.toml")).unwrap();
    p.build(&[]).success();
    assert!(!p.page("guide/soil.html").contains("edit-page"));
}

#[test]
fn unknown_keys_reach_templates_as_page_extra() {
    let p = Project::new("toml-site");
    let t = p.path().join("templates");
    fs::create_dir_all(&t).unwrap();
    fs::write(
        t.join("page.html"),
        "{% extends \"base.html\" %}{% block main %}<p class=\"x\">{{ page.extra.difficulty \
         | default(value=\"none\") }} {{ page.extra.slug | default(value=\"-\") }}</p>\
         {% block subtitle %}{% endblock subtitle %}{% block after_content %}\
         {% endblock after_content %}{% endblock main %}",
    )
    .unwrap();
    p.build(&[]).success();
    // Zola's [extra] table gives its own entries; other keys keep their name.
    assert!(p
        .page("guide/soil.html")
        .contains("<p class=\"x\">easy soil</p>"));
    assert!(p
        .page("guide/compost.html")
        .contains("<p class=\"x\">none -</p>"));
}

#[test]
fn obsidian_notes_build_with_obsidian_keys_and_aliases_as_text() {
    let p = Project::new("obsidian-front-matter");
    let run = p.build(&[]).success();
    let stderr = run.stderr_redacted();
    let drought = p.page("Notes/Drought.html");
    // [[Water]] is the alias, written as text, of Water security.
    assert_eq!(
        content_links(&drought),
        ["Water%20security.html", "Water%20security.html"],
        "{drought}"
    );
    let water = p.page("Notes/Water security.html");
    assert!(water.contains("<p class=\"summary\">How water shapes security.</p>"));
    assert!(water.contains("<span class=\"tag\">water</span>"));
    // Obsidian's own keys are no typos; the others are warned of, every
    // one of a file in one run, each at its line.
    for key in ["permalink", "cssclasses", "publish"] {
        assert!(!stderr.contains(&format!("`{key}`")), "{key}: {stderr}");
    }
    assert!(
        stderr.contains("content/Notes/Drought.md:3:1: warning: front matter: unknown key `mood`"),
        "{stderr}"
    );
    assert!(
        stderr
            .contains("content/Notes/Drought.md:4:1: warning: front matter: unknown key `rating`"),
        "{stderr}"
    );
}

#[test]
fn a_strict_site_fails_on_every_unknown_key_at_once() {
    let p = Project::new("obsidian-front-matter");
    fs::write(p.path().join("dossier.toml"), "unknown_keys = \"error\"\n").unwrap();
    let run = p.build(&[]);
    let stderr = run.stderr_redacted();
    assert_eq!(run.code, Some(1), "{stderr}");
    assert!(stderr.contains("Drought.md:3:1: error: front matter: unknown key `mood`"));
    assert!(stderr.contains("Drought.md:4:1: error: front matter: unknown key `rating`"));
    // The flag overrides the file.
    let run = p.build(&["--unknown-keys", "allow"]).success();
    assert!(!run.stderr_redacted().contains("unknown key"));
}

/// A configuration problem stops the command before anything is built,
/// naming dossier.toml and the line.
fn config_fails(config: &str) -> String {
    let p = Project::new("toml-site");
    fs::write(p.path().join("dossier.toml"), config).unwrap();
    let run = p.build(&[]);
    let stderr = run.stderr_redacted();
    assert_eq!(run.code, Some(1), "{stderr}");
    assert!(!p.path().join("site").exists(), "nothing is built");
    assert!(
        stderr.ends_with("error: dossier.toml has problems; nothing was built\n"),
        "{stderr}"
    );
    stderr
}

#[test]
fn an_unknown_configuration_key_is_an_error_with_a_hint() {
    let stderr = config_fails("title = \"T\"\ntitel = \"U\"\nbroken_link = \"warn\"\n");
    assert!(
        stderr.contains(
            "dossier.toml:2:1: error: dossier.toml: unknown key `titel` (hint: did you mean `title`?)"
        ),
        "{stderr}"
    );
    assert!(
        stderr.contains("dossier.toml:3:1: error: dossier.toml: unknown key `broken_link` (hint: did you mean `broken_links`?)"),
        "{stderr}"
    );
}

#[test]
fn a_wrong_configuration_value_is_an_error_at_its_line() {
    let stderr = config_fails("title = \"T\"\nbroken_links = \"never\"\n");
    assert!(
        stderr.contains("dossier.toml:2:16: error: dossier.toml: unknown variant `never`"),
        "{stderr}"
    );
    assert!(stderr.contains("(hint: broken_links is one of: \"error\", \"warn\")"));
    let stderr = config_fails("edit_url = \"https://x.org/edit\"\n");
    assert!(stderr.contains("dossier.toml:1:1: error: dossier.toml: `edit_url` must be"));
    let stderr = config_fails("title = \n");
    assert!(stderr.contains("dossier.toml:1:"), "{stderr}");
}

#[test]
fn a_toml_syntax_error_in_front_matter_names_the_file_and_line() {
    let p = Project::new("toml-site");
    fs::write(
        p.path().join("content/guide/soil.md"),
        "+++\ntitle = \"Soil\"\nweight = two\n+++\n\nText.\n",
    )
    .unwrap();
    fs::write(
        p.path().join("content/guide/compost.md"),
        "+++\ntitle = \"Compost\"\nweight = \"1\"\n+++\n\nText.\n",
    )
    .unwrap();
    let run = p.build(&[]);
    let stderr = run.stderr_redacted();
    assert_eq!(run.code, Some(1), "{stderr}");
    assert!(
        stderr.contains("content/guide/soil.md:3:10: error: front matter: "),
        "{stderr}"
    );
    assert!(
        stderr.contains("content/guide/compost.md:3:1: error: front matter: `weight`: "),
        "{stderr}"
    );
    assert!(stderr.contains("(hint: write a whole number without quotes, e.g. weight: 3)"));
    // Unclosed: the fence is named.
    fs::write(
        p.path().join("content/guide/soil.md"),
        "+++\ntitle = \"Soil\"\n",
    )
    .unwrap();
    let stderr = p.build(&[]).stderr_redacted();
    assert!(
        stderr.contains(
            "content/guide/soil.md:1:1: error: unclosed front matter: no closing '+++' line"
        ),
        "{stderr}"
    );
}

/// The report repository's own configuration keeps it as strict as ever.
#[test]
fn the_repository_configuration_is_strict() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let config =
        dossier::config::parse(&fs::read_to_string(root.join("dossier.toml")).unwrap()).unwrap();
    let settings = dossier::config::Settings::from_config(
        &config,
        dossier::config::Conventions::detect(root, &root.join("content")),
    );
    assert_eq!(settings.unknown_keys, dossier::config::UnknownKeys::Error);
    assert_eq!(settings.broken_links, dossier::config::BrokenLinks::Error);
}

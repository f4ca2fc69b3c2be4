//! The user guide in `docs/` is dossier content: it must build with no
//! warning, hold a page for each part of the guide, and stay reachable from
//! the README, whose links and screenshot must lead to files.

use std::fs;
use std::path::{Path, PathBuf};

use crate::support::{main_of, run_in, Project};

fn repo(p: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(p)
}

/// The guide's pages, in reading order, with their titles.
const PAGES: &[(&str, &str)] = &[
    ("writing-content.html", "Writing content"),
    ("commands.html", "Commands"),
    ("templates-and-theming.html", "Templates and theming"),
    ("publishing.html", "Publishing"),
    ("offline-reading.html", "Offline reading"),
    ("importing-a-report.html", "Importing a report"),
    ("safety.html", "Safety"),
    ("troubleshooting.html", "Troubleshooting"),
    ("configuration.html", "Configuration"),
    ("obsidian-vaults.html", "Obsidian vaults"),
    ("books-and-docs-folders.html", "Books and docs folders"),
];

#[test]
fn the_guide_builds_with_no_warning_and_every_page_in_reading_order() {
    let p = Project::empty();
    let docs = repo("docs");
    let out = p.path().join("guide");
    let run = run_in(
        p.path(),
        [
            "build".as_ref(),
            "--content".as_ref(),
            docs.as_os_str(),
            "--out".as_ref(),
            out.as_os_str(),
        ],
        &[],
    )
    .success();
    assert!(
        !run.stderr.contains("warning:") && run.stderr.contains("(0 warnings)"),
        "{}",
        run.stderr
    );
    let home = fs::read_to_string(out.join("index.html")).unwrap();
    // The home page lists the chapters in reading order: the first link to
    // each, wherever the template puts the list, comes in that order.
    let contents = main_of(&home);
    let mut last = 0;
    for (file, title) in PAGES {
        let page =
            fs::read_to_string(out.join(file)).unwrap_or_else(|e| panic!("guide page {file}: {e}"));
        assert!(page.contains(&format!(">{title}</h1>")), "{file}");
        let at = contents
            .find(&format!("href=\"{file}\""))
            .unwrap_or_else(|| panic!("the home page lists {file}"));
        assert!(at > last, "{file} is out of reading order on the home page");
        last = at;
    }
    let site = run_in(
        p.path(),
        ["check".as_ref(), "--site".as_ref(), out.as_os_str()],
        &[],
    );
    assert_eq!(site.code, Some(0), "{}", site.stderr);
}

#[test]
fn check_finds_nothing_to_warn_about_in_the_guide() {
    let run = run_in(
        &repo(""),
        ["check", "--deny-warnings", "--content", "docs"],
        &[],
    );
    assert_eq!(run.code, Some(0), "{}", run.stderr);
}

/// Relative link targets in a markdown file, outside code blocks:
/// `](target)`, without `#…`.
fn relative_links(md: &str) -> Vec<String> {
    let mut in_code = false;
    let prose: String = md
        .lines()
        .filter(|l| {
            if l.starts_with("```") {
                in_code = !in_code;
                return false;
            }
            !in_code
        })
        .collect::<Vec<_>>()
        .join("\n");
    prose
        .split("](")
        .skip(1)
        .filter_map(|rest| rest.split(')').next())
        .map(|t| t.split('#').next().unwrap_or("").to_string())
        .filter(|t| !t.is_empty() && !t.contains("://") && !t.starts_with("mailto:"))
        .collect()
}

#[test]
fn readme_is_short_and_its_links_and_screenshot_are_files() {
    let readme = fs::read_to_string(repo("README.md")).unwrap();
    assert!(
        readme.len() <= 6 * 1024,
        "README.md is {} bytes",
        readme.len()
    );
    for doc in ["README.md", "CONTRIBUTING.md"] {
        let text = fs::read_to_string(repo(doc)).unwrap();
        for target in relative_links(&text) {
            assert!(repo(&target).exists(), "{doc} links to missing {target}");
        }
    }
    let links = relative_links(&readme);
    for (file, _) in PAGES {
        let source = format!("docs/{}", file.replace(".html", ".md"));
        assert!(links.contains(&source), "README.md links to {source}");
    }
    let shot = links
        .iter()
        .find(|t| t.ends_with(".png"))
        .expect("README.md shows a screenshot");
    let bytes = fs::read(repo(shot)).unwrap();
    assert!(bytes.starts_with(b"\x89PNG"), "{shot} is a PNG");
    assert!(bytes.len() < 150 * 1024, "{shot} is {} bytes", bytes.len());
}

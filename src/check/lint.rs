//! Warnings: things that do not break the site but that an editor will want
//! to fix — pages nothing links to, acronyms used but never defined (or
//! defined but never used), pages without a summary, titles used twice, raw
//! HTML shown as text because its page did not opt in.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use rayon::prelude::*;

use crate::content::frontmatter::Kind;
use crate::content::Page;
use crate::diag::{Code, Diagnostic, Diagnostics};
use crate::links::Backlink;
use crate::markdown::Rendered;

/// All warnings for a rendered site. `is_index` tells which pages are the home
/// page or introduce a kind index (reached by navigation, never orphans).
pub fn warnings(
    pages: &[Page],
    acronym_pages: &[usize],
    rendered: &[Arc<Rendered>],
    backlinks: &[Vec<Backlink>],
    is_index: &(dyn Fn(&Page) -> bool + Sync),
) -> Diagnostics {
    let mut out = Diagnostics::new();
    let names: HashSet<&str> = pages
        .iter()
        .flat_map(|p| &p.meta.names)
        .map(String::as_str)
        .collect();
    // A site written without `kind:` (a vault, a book, a docs folder) lists
    // a page by its first paragraph, so no summary is missing there; and it
    // names pages by their files, so titles may repeat (a wikilink that is
    // ambiguous is reported where it stands).
    let with_kinds = pages.iter().any(|p| p.kind != Kind::Page);
    // Page by page in parallel (a warning or two for each of thousands of
    // pages), collected in page order; the site-wide checks beside them.
    let (per_page, (used, repeated_titles)) = rayon::join(
        || {
            pages
                .par_iter()
                .enumerate()
                .map(|(i, p)| {
                    let mut w = page_warnings(i, p, rendered, backlinks, is_index, &names);
                    if !with_kinds {
                        w.retain(|d| d.code != Code::NoSummary);
                    }
                    w
                })
                .collect::<Vec<Vec<Diagnostic>>>()
        },
        || {
            rayon::join(
                || acronyms_used(pages.len(), rendered),
                || {
                    if with_kinds {
                        repeated_titles(pages)
                    } else {
                        Vec::new()
                    }
                },
            )
        },
    );
    for d in per_page.into_iter().flatten() {
        out.push(d);
    }
    for &a in acronym_pages {
        if used[a] {
            continue;
        }
        let p = &pages[a];
        // "Never used" would send the editor looking for a use that the
        // matcher cannot see, however often the prose has it.
        if let Some(c) = crate::links::acronyms::never_matched_because(&p.title) {
            let what = if c.is_whitespace() {
                "a space".to_string()
            } else {
                format!("'{c}'")
            };
            out.push(
                Diagnostic::warning(
                    &p.source,
                    title_line(p),
                    1,
                    format!(
                        "acronym '{}' can never be matched in prose, because {what} is not part \
                         of a word there",
                        p.title
                    ),
                )
                .with_hint(format!(
                    "acronyms are found as whole words of letters, digits and inner hyphens: \
                     retitle the page so and keep this form as an alias, or link to it as \
                     [[{}]]",
                    p.title
                ))
                .with_code(Code::UnusedAcronym)
                .with_subject(p.title.clone()),
            );
            continue;
        }
        out.push(
            Diagnostic::warning(
                &p.source,
                1,
                1,
                format!(
                    "acronym '{}' is defined but never used in another page",
                    p.title
                ),
            )
            .with_code(Code::UnusedAcronym)
            .with_subject(p.title.clone()),
        );
    }
    for d in repeated_titles {
        out.push(d);
    }
    out
}

/// Per page, whether an acronym link of another page points at it.
fn acronyms_used(pages: usize, rendered: &[Arc<Rendered>]) -> Vec<bool> {
    let mut used = vec![false; pages];
    for l in rendered.iter().flat_map(|r| &r.links) {
        if l.via_acronym {
            used[l.target] = true;
        }
    }
    used
}

/// A warning for each page whose title (ignoring case) an earlier page has.
fn repeated_titles(pages: &[Page]) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let mut titles: HashMap<String, usize> = HashMap::new();
    for (i, p) in pages.iter().enumerate() {
        match titles.get(&p.title.to_lowercase()) {
            Some(&first) => {
                let line = title_line(p);
                out.push(
                    Diagnostic::warning(
                        &p.source,
                        line,
                        1,
                        format!(
                            "title '{}' is also the title of {}",
                            p.title,
                            pages[first].source.display()
                        ),
                    )
                    .with_hint(
                        "wikilinks to this title are ambiguous; give each page its own title",
                    )
                    .with_code(Code::DuplicateTitle)
                    .with_subject(p.title.clone()),
                );
            }
            None => {
                titles.insert(p.title.to_lowercase(), i);
            }
        }
    }
    out
}

/// The tag of raw HTML as a reader would name it: `<i>` for
/// `<i class="fa">`, `</div>` for `</div>`.
fn tag_of(html: &str) -> String {
    if !html.starts_with('<') {
        return html.chars().take(20).collect();
    }
    let name: String = html
        .chars()
        .skip(1)
        .take_while(|c| c.is_alphanumeric() || *c == '/' || *c == '-' || *c == '!')
        .collect();
    format!("<{name}>")
}

/// The line of a page's `title:` (1 when the title comes from elsewhere).
fn title_line(p: &Page) -> usize {
    p.text()
        .all()
        .lines()
        .position(|l| l.trim_start().starts_with("title:"))
        .map_or(1, |n| n + 1)
}

/// The warning of a page without `summary:` where lists show summaries.
const NO_SUMMARY: &str = "page has no summary";

/// The warnings about page `i` (`p`) alone.
fn page_warnings(
    i: usize,
    p: &Page,
    rendered: &[Arc<Rendered>],
    backlinks: &[Vec<Backlink>],
    is_index: &(dyn Fn(&Page) -> bool + Sync),
    names: &HashSet<&str>,
) -> Vec<Diagnostic> {
    let mut out: Vec<Diagnostic> = p.front_matter_warning.iter().cloned().collect();
    // Chapters (read in order through prev/next) and plain pages (listed
    // on the home page) are reachable by design; the rest should be cited.
    let reachable_by_design = matches!(p.kind, Kind::Chapter | Kind::Page) || is_index(p);
    if backlinks[i].is_empty() && !reachable_by_design {
        out.push(
            Diagnostic::warning(&p.source, 0, 0, "orphan page: no other page links here")
                .with_hint(
                "link it from a chapter or a related page, or it is reachable from its index only",
            )
            .with_code(Code::Orphan),
        );
    }
    if p.meta
        .summary
        .as_deref()
        .is_none_or(|s| s.trim().is_empty())
    {
        out.push(
            Diagnostic::warning(&p.source, 1, 1, NO_SUMMARY)
                .with_hint(
                    "add `summary: one sentence` to the front matter; it shows in lists and \
                     previews",
                )
                .with_code(Code::NoSummary),
        );
    }
    for (word, line, col) in &rendered[i].undefined_acronyms {
        if names.contains(word.as_str()) {
            continue;
        }
        out.push(
            Diagnostic::warning(
                &p.source,
                *line,
                *col,
                format!("acronym '{word}' is used but not defined"),
            )
            .with_hint(format!(
                "add a page with `kind: acronym`, `title: {word}` and its `expansion`; if it \
                 is a name, not an acronym, list it under `names:` in the front matter"
            ))
            .with_code(Code::UndefinedAcronym)
            .with_subject(word.clone()),
        );
    }
    if let Some((line, col, html)) = &rendered[i].escaped_html {
        // On one line, as every message is.
        let flat = html.split_whitespace().collect::<Vec<_>>().join(" ");
        let shown: String = flat.chars().take(40).collect();
        let more = if shown.len() < flat.len() { "…" } else { "" };
        out.push(
            Diagnostic::warning(
                &p.source,
                *line,
                *col,
                format!("raw HTML '{shown}{more}' is shown as text, not run"),
            )
            .with_hint(
                "add `raw_html: true` to the front matter (or build with --raw-html) to \
                 pass it through; to show it on purpose, write it as `code`",
            )
            .with_code(Code::RawHtml)
            .with_subject(tag_of(html)),
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::page_from_text;
    use crate::links::Index;
    use std::path::Path;

    fn warnings_for(specs: &[(&str, &str)]) -> Vec<String> {
        let pages: Vec<Page> = specs
            .iter()
            .map(|(rel, t)| page_from_text(Path::new(rel), rel, t.to_string()).unwrap())
            .collect();
        let index = Index::new(&pages, &[], []);
        let rendered: Vec<Arc<Rendered>> = (0..pages.len())
            .map(|i| Arc::new(crate::markdown::render(&index, i)))
            .collect();
        let links: Vec<_> = rendered.iter().flat_map(|r| r.links.clone()).collect();
        let backlinks = crate::links::backlinks(&pages, &links);
        warnings(
            &pages,
            &index.acronym_pages,
            &rendered,
            &backlinks,
            &|p: &Page| p.url == "index.html",
        )
        .sorted()
        .into_iter()
        .map(|d| format!("{}:{}: {}", d.path.display(), d.line, d.message))
        .collect()
    }

    #[test]
    fn a_site_without_kinds_is_not_asked_for_summaries() {
        let plain = [
            ("a.md", "# A\n\nSee [b](b.md).\n"),
            ("b.md", "# B\n\ntext\n"),
        ];
        assert_eq!(warnings_for(&plain), Vec::<String>::new());
        let with_a_topic = [
            plain[0],
            ("b.md", "---\ntitle: B\nkind: topic\n---\ntext\n"),
        ];
        assert!(
            warnings_for(&with_a_topic).contains(&"b.md:1: page has no summary".to_string()),
            "{:?}",
            warnings_for(&with_a_topic)
        );
    }

    #[test]
    fn a_site_without_kinds_may_repeat_titles() {
        let plain = [
            ("a/intro.md", "# Intro\n\nSee [b](../b/intro.md).\n"),
            ("b/intro.md", "# Intro\n\nSee [a](../a/intro.md).\n"),
        ];
        assert_eq!(warnings_for(&plain), Vec::<String>::new());
        let with_a_topic = [
            plain[0],
            (
                "b/intro.md",
                "---\ntitle: Intro\nkind: topic\nsummary: s\n---\nSee [a](../a/intro.md).\n",
            ),
        ];
        assert_eq!(
            warnings_for(&with_a_topic),
            [
                "a/intro.md:1: page has no summary",
                "b/intro.md:2: title 'Intro' is also the title of a/intro.md"
            ]
        );
    }

    #[test]
    fn each_warning_fires_on_its_case_only() {
        let w = warnings_for(&[
            (
                "_index.md",
                "---\ntitle: Home\nsummary: s\n---\nSee [t](t.md). The UN and the WHO.\n",
            ),
            (
                "c.md",
                "---\ntitle: C\nkind: chapter\nsummary: s\n---\ntext\n",
            ),
            (
                "t.md",
                "---\ntitle: T\nkind: topic\nsummary: s\n---\ntext\n",
            ),
            ("lonely.md", "---\ntitle: Lonely\nkind: topic\n---\ntext\n"),
            (
                "dup.md",
                "---\ntitle: t\nkind: source\nsummary: s\n---\nlinks [[Lonely]]\n",
            ),
            (
                "un.md",
                "---\ntitle: UN\nkind: acronym\nexpansion: United Nations\nsummary: s\n---\n",
            ),
            (
                "eu.md",
                "---\ntitle: EU\nkind: acronym\nexpansion: European Union\nsummary: s\n---\n",
            ),
            (
                "html.md",
                "---\ntitle: H\nsummary: s\n---\n<sup>1</sup> <!-- c -->\n\n[[T]] <b \
                 onclick=x>b</b> <script>y</script>\n",
            ),
            (
                "opted.md",
                "---\ntitle: O\nsummary: s\nraw_html: true\n---\n[[T]] <script>y</script>\n",
            ),
        ]);
        assert_eq!(
            w,
            [
                "_index.md:5: acronym 'WHO' is used but not defined",
                "dup.md:0: orphan page: no other page links here",
                "dup.md:2: title 't' is also the title of t.md",
                "eu.md:0: orphan page: no other page links here",
                "eu.md:1: acronym 'EU' is defined but never used in another page",
                "html.md:7: raw HTML '<b onclick=x>' is shown as text, not run",
                "lonely.md:1: page has no summary",
            ],
            "{w:#?}"
        );
    }

    #[test]
    fn an_acronym_the_matcher_can_never_find_is_told_so() {
        let w = warnings_for(&[
            (
                "_index.md",
                "---\ntitle: Home\nsummary: s\n---\nWe write C++ and [[C++]].\n",
            ),
            (
                "cpp.md",
                "---\ntitle: C++\nkind: acronym\nexpansion: C plus plus\nsummary: s\n---\n",
            ),
        ]);
        assert_eq!(
            w,
            [
                "cpp.md:2: acronym 'C++' can never be matched in prose, because '+' is not part \
              of a word there"
            ],
            "{w:#?}"
        );
    }

    #[test]
    fn names_in_front_matter_are_not_undefined_acronyms() {
        let w = warnings_for(&[
            (
                "_index.md",
                "---\ntitle: Home\nsummary: s\nnames: [PAX]\n---\nA report by PAX and RAND.\n",
            ),
            (
                "about.md",
                "---\ntitle: About\nsummary: s\n---\nPAX, 3511 BS Utrecht.\n",
            ),
        ]);
        assert_eq!(
            w,
            ["_index.md:6: acronym 'RAND' is used but not defined"],
            "{w:#?}"
        );
    }
}

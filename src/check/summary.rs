//! The closing summary of a build or a check: what dossier did not
//! understand, per kind of problem — how many, the targets or names met
//! most often, what dossier did with them and how to fix them. A first
//! build of someone else's collection can print thousands of warnings; this
//! is the list they can act on.

use std::collections::BTreeMap;

use crate::diag::{Code, Diagnostic, Level};

/// How many targets or names a kind lists, the most frequent first.
const TOP: usize = 3;

/// The problems of one kind at one level.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Group {
    /// Error or warning.
    pub level: Level,
    /// The kind.
    pub code: Code,
    /// How many problems.
    pub count: usize,
    /// The most frequent targets or names, with how often each is met.
    pub top: Vec<(String, usize)>,
    /// How many other targets or names there are.
    pub others: usize,
}

/// The problems of `diags` grouped by level and kind: warnings first and
/// errors last (as the problems are listed), each by count, the largest
/// first, then by kind. The same problems give the same summary.
pub fn groups(diags: &[Diagnostic]) -> Vec<Group> {
    type Subjects = BTreeMap<String, usize>;
    let mut by_kind: BTreeMap<(Level, Code), (usize, Subjects)> = BTreeMap::new();
    for d in diags {
        let (count, subjects) = by_kind.entry((d.level, d.code)).or_default();
        *count += 1;
        if let Some(s) = &d.subject {
            *subjects.entry(s.to_string()).or_default() += 1;
        }
    }
    let mut groups: Vec<Group> = by_kind
        .into_iter()
        .map(|((level, code), (count, subjects))| {
            let mut ranked: Vec<(String, usize)> = subjects.into_iter().collect();
            // The stable sort keeps equal counts in name order.
            ranked.sort_by_key(|s| std::cmp::Reverse(s.1));
            let others = ranked.len().saturating_sub(TOP);
            ranked.truncate(TOP);
            Group {
                level,
                code,
                count,
                top: ranked,
                others,
            }
        })
        .collect();
    // Warnings (the greater level) first; within a level the largest
    // count first, then the kinds in their order.
    groups.sort_by(|a, b| (b.level, b.count, a.code).cmp(&(a.level, a.count, b.code)));
    groups
}

/// What a kind of problem is, what dossier did with it, and how to fix it.
pub fn explain(code: Code) -> (&'static str, &'static str, &'static str) {
    match code {
        Code::BrokenLink => (
            "links to pages, files or anchors that do not exist",
            "shown as their text, without a link",
            "correct the target, or create what it names; `broken_links` in dossier.toml sets their level",
        ),
        Code::EmbedTarget => (
            "embeds of a heading or a block the note does not have",
            "shown as the embed's name",
            "embed a heading or a block (^id) the note has",
        ),
        Code::EmbedCycle => (
            "notes that embed themselves through other notes",
            "linked instead of embedded",
            "link to the note ([[Note]] without the !) instead",
        ),
        Code::Shortcode => (
            "shortcodes dossier does not run",
            "their inner text is shown",
            "write what they stand for in markdown",
        ),
        Code::UnknownKey => (
            "front matter keys dossier does not map",
            "kept for templates as page.extra",
            "`unknown_keys = \"allow\"` in dossier.toml stops reporting them",
        ),
        Code::RawHtml => (
            "raw HTML dossier does not pass through",
            "shown as text",
            "`raw_html: true` in a page's front matter (or --raw-html) passes it through",
        ),
        Code::NoSummary => (
            "pages without a summary",
            "listed and previewed by their title alone",
            "add `summary: one sentence` to their front matter",
        ),
        Code::DuplicateTitle => (
            "titles that more than one page has",
            "a wikilink by such a title cannot tell the pages apart",
            "give each page its own title",
        ),
        Code::UndefinedAcronym => (
            "acronyms used but not defined",
            "shown as written",
            "add a page with `kind: acronym`, or `acronym_warnings = false` in dossier.toml",
        ),
        Code::UnusedAcronym => (
            "acronyms defined but never met in the text",
            "listed in the glossary",
            "use them, or remove their pages",
        ),
        Code::Orphan => (
            "pages no other page links to",
            "reachable from their index only",
            "link them from a related page",
        ),
        Code::DuplicateAlias => (
            "aliases that more than one page claims",
            "a link by such a name is reported where it stands",
            "keep the alias on one page only",
        ),
        Code::Scheme => (
            "links with a scheme the site does not let through (obsidian:, ftp:…)",
            "shown as their text, without a link",
            "link an https: page instead, or leave the link out; `broken_links` in dossier.toml sets their level",
        ),
        Code::SummaryEntry => (
            "chapters SUMMARY.md lists that do not exist",
            "shown as drafts in the navigation",
            "create the files, or write [Title]() for a chapter still to be written",
        ),
        Code::Include => (
            "includes dossier cannot read",
            "left out",
            "include a file inside the content folder",
        ),
        Code::FrontMatter => (
            "front matter that is not at the top of its file",
            "read as text",
            "move it to the first line",
        ),
        Code::Other => ("other problems", "reported above", "see each message's hint"),
    }
}

/// The summary, one line per kind (the form of `--message-format short`):
/// `summary: COUNT KIND: what (most frequent); what dossier did; how to fix`.
pub fn short(groups: &[Group]) -> Vec<String> {
    groups
        .iter()
        .map(|g| {
            let (what, did, fix) = explain(g.code);
            format!(
                "summary: {} {}{}: {what}{}; {did}; {fix}",
                g.count,
                g.code,
                level_mark(g.level),
                most_met(g).map_or(String::new(), |m| format!(" ({m})"))
            )
        })
        .collect()
}

/// The summary for a person reading a terminal: a heading, then per kind
/// a line with the count, the kind and what it is (with the most frequent
/// targets or names), and an indented line with what dossier did and how
/// to fix it.
pub fn long(groups: &[Group]) -> Vec<String> {
    let Some(widest) = groups.iter().map(|g| g.count.to_string().len()).max() else {
        return Vec::new();
    };
    let name_width = groups
        .iter()
        .map(|g| g.code.name().len() + level_mark(g.level).len())
        .max()
        .unwrap_or(0);
    let mut out = vec![heading(groups)];
    for g in groups {
        let (what, did, fix) = explain(g.code);
        let name = format!("{}{}", g.code, level_mark(g.level));
        let most = most_met(g).map_or(String::new(), |m| format!(": {m}"));
        out.push(format!(
            "  {:>widest$}  {name:<name_width$}  {what}{most}",
            g.count
        ));
        out.push(format!(
            "  {:>widest$}  {:<name_width$}  {did}; {fix}",
            "", ""
        ));
    }
    // The example is a kind one may well choose not to hear about; links
    // to nothing are better fixed.
    let example = groups
        .iter()
        .filter(|g| g.level == Level::Warning)
        .map(|g| g.code)
        .find(|c| !matches!(c, Code::BrokenLink | Code::EmbedTarget));
    if let Some(code) = example {
        out.push(format!(
            "to stop reporting a kind of warning, name it in dossier.toml: silence = [\"{code}\"]"
        ));
    }
    out
}

/// `summary: 3 errors and 21 warnings of 6 kinds`.
fn heading(groups: &[Group]) -> String {
    let total = |level| -> usize {
        groups
            .iter()
            .filter(|g| g.level == level)
            .map(|g| g.count)
            .sum()
    };
    let (errors, warnings) = (total(Level::Error), total(Level::Warning));
    let counted = match (errors, warnings) {
        (0, w) => crate::diag::count(w, "warning"),
        (e, 0) => crate::diag::count(e, "error"),
        (e, w) => format!(
            "{} and {}",
            crate::diag::count(e, "error"),
            crate::diag::count(w, "warning")
        ),
    };
    let kinds: std::collections::BTreeSet<Code> = groups.iter().map(|g| g.code).collect();
    format!(
        "summary: {counted} of {}",
        crate::diag::count(kinds.len(), "kind")
    )
}

fn level_mark(level: Level) -> &'static str {
    match level {
        Level::Error => " (errors)",
        Level::Warning => "",
    }
}

/// `'Overview' ×4, 'Taxonomies' ×2 and 3 more`, or nothing when the kind
/// names no target.
fn most_met(g: &Group) -> Option<String> {
    if g.top.is_empty() {
        return None;
    }
    let mut listed: Vec<String> = g
        .top
        .iter()
        .map(|(s, n)| match n {
            1 => format!("'{}'", shortened(s)),
            n => format!("'{}' ×{n}", shortened(s)),
        })
        .collect();
    if g.others > 0 {
        listed.push(format!("{} more", g.others));
    }
    Some(listed.join(", "))
}

/// `s`, or its last characters after `…` when it is too long for a list
/// on one line (the end of a path is the part that tells it apart).
fn shortened(s: &str) -> String {
    const MOST: usize = 40;
    let n = s.chars().count();
    if n <= MOST {
        return s.to_string();
    }
    let tail: String = s.chars().skip(n - (MOST - 1)).collect();
    format!("…{tail}")
}

/// Whether a summary helps: a handful of problems reads well enough one by
/// one.
pub fn wanted(problems: usize) -> bool {
    problems > 5
}

#[cfg(test)]
mod tests {
    use super::*;

    fn warning(code: Code, subject: Option<&str>) -> Diagnostic {
        let d = Diagnostic::warning("a.md", 1, 1, "m").with_code(code);
        match subject {
            Some(s) => d.with_subject(s),
            None => d,
        }
    }

    #[test]
    fn kinds_are_counted_and_their_most_frequent_targets_named() {
        let mut diags = vec![
            warning(Code::BrokenLink, Some("b.md")),
            warning(Code::BrokenLink, Some("c.md")),
            warning(Code::BrokenLink, Some("c.md")),
            warning(Code::BrokenLink, Some("d.md")),
            warning(Code::BrokenLink, Some("e.md")),
            warning(Code::NoSummary, None),
            Diagnostic::error("a.md", 1, 1, "m").with_code(Code::EmbedCycle),
        ];
        let g = groups(&diags);
        let kinds: Vec<_> = g.iter().map(|g| (g.code, g.count)).collect();
        assert_eq!(
            kinds,
            [
                (Code::BrokenLink, 5),
                (Code::NoSummary, 1),
                (Code::EmbedCycle, 1)
            ]
        );
        assert_eq!(g[0].top[0], ("c.md".to_string(), 2));
        assert_eq!(g[0].others, 1);
        assert_eq!(
            short(&g)[0],
            "summary: 5 broken-link: links to pages, files or anchors that do not exist \
             ('c.md' ×2, 'b.md', 'd.md', 1 more); shown as their text, without a link; \
             correct the target, or create what it names; `broken_links` in dossier.toml sets \
             their level"
        );
        // The order the problems come in changes nothing.
        diags.reverse();
        assert_eq!(groups(&diags), g);
        let lines = long(&g);
        assert_eq!(lines[0], "summary: 1 error and 6 warnings of 3 kinds");
        assert!(
            lines[1].starts_with("  5  broken-link           links to"),
            "{lines:?}"
        );
        assert!(
            lines[5].starts_with("  1  embed-cycle (errors)  notes"),
            "{lines:?}"
        );
    }
}

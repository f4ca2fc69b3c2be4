//! mdBook's `SUMMARY.md`: the book's reading order, its nesting, its part
//! titles and its draft chapters. The file is the table of contents, not a
//! page of its own.
//!
//! The format (as mdBook reads it): an optional first `# Title`; prefix
//! chapters `[Title](path.md)` on lines of their own; numbered chapters as
//! list items `- [Title](path.md)` (or `*`), nested by indentation; part
//! titles as later `# Part` headings; drafts as `[Title]()`; separators
//! `---`; suffix chapters again as plain links.

/// One line of the table of contents.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// The title the table of contents shows.
    pub title: String,
    /// The chapter's file under the content folder (`cli/init.md`); `None`
    /// for a draft, which is shown but leads nowhere.
    pub rel: Option<String>,
    /// Nesting: 0 for top-level chapters.
    pub depth: usize,
    /// The part title that starts just before this entry.
    pub part: Option<String>,
    /// Line in `SUMMARY.md`, for diagnostics.
    pub line: usize,
}

/// Reads the entries of a `SUMMARY.md` body, in order.
pub fn parse(text: &str) -> Vec<Entry> {
    let mut entries = Vec::new();
    // Indentation of each open list level, for nesting.
    let mut indents: Vec<usize> = Vec::new();
    let mut part: Option<String> = None;
    let mut seen_title = false;
    let mut in_fence = false;
    for (n, raw) in text.lines().enumerate() {
        let trimmed = raw.trim_start();
        if trimmed.starts_with("```") || trimmed.starts_with("~~~") {
            in_fence = !in_fence;
            continue;
        }
        if in_fence || trimmed.is_empty() {
            continue;
        }
        if let Some(heading) = trimmed.strip_prefix("# ") {
            // The first heading before any chapter is the book's title.
            if !seen_title && entries.is_empty() {
                seen_title = true;
            } else {
                part = Some(heading.trim().to_string());
                indents.clear();
            }
            continue;
        }
        let indent = raw.len() - trimmed.len();
        let (item, depth) = match trimmed
            .strip_prefix("- ")
            .or_else(|| trimmed.strip_prefix("* "))
        {
            Some(rest) => {
                while indents.last().is_some_and(|&i| i > indent) {
                    indents.pop();
                }
                if indents.last() != Some(&indent) {
                    indents.push(indent);
                }
                (rest.trim(), indents.len() - 1)
            }
            None => {
                indents.clear();
                (trimmed, 0)
            }
        };
        let Some((title, dest)) = link(item) else {
            continue;
        };
        let dest = dest.trim().trim_start_matches("./");
        // Spaces are the only escape SUMMARY files use in practice.
        let dest = dest.replace("%20", " ");
        entries.push(Entry {
            title,
            rel: (!dest.is_empty()).then_some(dest),
            depth,
            part: part.take(),
            line: n + 1,
        });
    }
    entries
}

/// `[Title](dest)` at the start of `s`: the title as plain text (backticks
/// and emphasis marks dropped) and the destination.
fn link(s: &str) -> Option<(String, String)> {
    let rest = s.strip_prefix('[')?;
    let mut depth = 1usize;
    let mut close = None;
    for (i, c) in rest.char_indices() {
        match c {
            '[' => depth += 1,
            ']' => {
                depth -= 1;
                if depth == 0 {
                    close = Some(i);
                    break;
                }
            }
            _ => {}
        }
    }
    let close = close?;
    let after = rest[close + 1..].strip_prefix('(')?;
    let end = after.rfind(')')?;
    let title: String = rest[..close]
        .chars()
        .filter(|c| !matches!(c, '`' | '*'))
        .collect();
    Some((title.trim().to_string(), after[..end].to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parts_nesting_drafts_prefix_and_suffix_chapters_are_read_in_order() {
        let s = "# Summary\n\n[Preface](preface.md)\n\n# Part One\n\n- [A](a/README.md)\n    - [B `code`](a/b.md)\n        - [Later]()\n    - [C](./a/c%20d.md)\n- [D](d.md)\n\n---\n\n[Thanks](thanks.md)\n";
        let e = parse(s);
        let got: Vec<(&str, Option<&str>, usize, Option<&str>)> = e
            .iter()
            .map(|e| {
                (
                    e.title.as_str(),
                    e.rel.as_deref(),
                    e.depth,
                    e.part.as_deref(),
                )
            })
            .collect();
        assert_eq!(
            got,
            vec![
                ("Preface", Some("preface.md"), 0, None),
                ("A", Some("a/README.md"), 0, Some("Part One")),
                ("B code", Some("a/b.md"), 1, None),
                ("Later", None, 2, None),
                ("C", Some("a/c d.md"), 1, None),
                ("D", Some("d.md"), 0, None),
                ("Thanks", Some("thanks.md"), 0, None),
            ]
        );
        assert_eq!(e[1].line, 7);
    }
}

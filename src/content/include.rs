//! mdBook's file inclusion: `{{#include file.md}}` puts another file's text
//! into a page, whole or in part — a line range (`:2`, `:2:10`, `:5:`,
//! `::3`) or the lines between `ANCHOR: name` and `ANCHOR_END: name`.
//! `{{#rustdoc_include}}` is read the same way, `{{#playground file.rs}}`
//! becomes a Rust code block, `{{#title …}}` is dropped (the page's heading
//! is its title) and `\{{#include …}}` is the directive shown as text.
//!
//! Paths are relative to the including file. Only files inside the content
//! folder are read: a page must not publish what lies elsewhere on disk.

use std::path::Path;

/// Included files may include others, as deep as this.
const MAX_DEPTH: usize = 10;

/// Something wrong with a directive, at a byte offset of the page's text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub offset: usize,
    pub message: String,
    pub hint: Option<String>,
    /// A missing file is an error; a file not read on purpose a warning.
    pub error: bool,
}

/// A page's text with its directives replaced.
#[derive(Debug, Default)]
pub struct Expansion {
    pub text: String,
    pub problems: Vec<Problem>,
    /// The files included, as paths under the content folder.
    pub included: Vec<String>,
    /// Where the page's own directives' text went in the expanded text: its
    /// line breaks are not the page's lines.
    pub regions: Vec<std::ops::Range<usize>>,
}

/// Expands the directives of `text`, the file `rel` of content folder
/// `root`; `None` when it has none.
pub fn expand(root: &Path, rel: &str, text: &str) -> Option<Expansion> {
    // Every page comes here; most have no `{` at all (a vectorised search).
    if memchr::memchr(b'{', text.as_bytes()).is_none()
        || (!text.contains("{{#") && !text.contains("{{ #"))
    {
        return None;
    }
    let mut ex = Expansion::default();
    let dir = rel.rsplit_once('/').map_or("", |(d, _)| d);
    let mut out = String::with_capacity(text.len());
    expand_into(root, dir, text, 0, None, &mut out, &mut ex);
    ex.text = out;
    Some(ex)
}

/// One parsed `{{#name args}}`: where it ends in the text, its name and args.
struct Directive<'a> {
    end: usize,
    name: &'a str,
    args: &'a str,
}

/// The directive starting at `text[at..]` (which starts with `{{`).
fn directive(text: &str, at: usize) -> Option<Directive<'_>> {
    let rest = &text[at + 2..];
    let inner_start = rest.len() - rest.trim_start_matches([' ', '\t']).len();
    let rest = rest[inner_start..].strip_prefix('#')?;
    let close = rest.find("}}")?;
    let inner = &rest[..close];
    if inner.contains('\n') {
        return None;
    }
    let name_len = inner
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .unwrap_or(inner.len());
    let name = &inner[..name_len];
    let args = inner[name_len..].trim();
    let known = matches!(name, "include" | "rustdoc_include" | "playground" | "title");
    if !known || args.is_empty() || !inner[name_len..].starts_with([' ', '\t']) {
        return None;
    }
    let end = at + 2 + inner_start + 1 + close + 2;
    Some(Directive { end, name, args })
}

/// Appends `text` (a file in folder `dir`) to `out` with its directives
/// expanded. `outer`: the offset of the page's directive that led here, to
/// which problems in included files are reported.
fn expand_into(
    root: &Path,
    dir: &str,
    text: &str,
    depth: usize,
    outer: Option<usize>,
    out: &mut String,
    ex: &mut Expansion,
) {
    let mut copied = 0;
    let mut from = 0;
    while let Some(found) = text[from..].find("{{") {
        let at = from + found;
        from = at + 2;
        let Some(d) = directive(text, at) else {
            continue;
        };
        out.push_str(&text[copied..at]);
        copied = d.end;
        from = d.end;
        if out.ends_with('\\') {
            out.pop();
            out.push_str(&text[at..d.end]);
            continue;
        }
        let offset = outer.unwrap_or(at);
        if d.name == "title" {
            continue;
        }
        match read(root, dir, d.args) {
            Ok((rel, body)) => {
                ex.included.push(rel.clone());
                if depth + 1 >= MAX_DEPTH {
                    ex.problems.push(Problem {
                        offset,
                        message: format!("includes nested deeper than {MAX_DEPTH}: {rel}"),
                        hint: Some("an included file probably includes itself".into()),
                        error: true,
                    });
                    continue;
                }
                let inner_dir = rel.rsplit_once('/').map_or("", |(d, _)| d).to_string();
                let playground = d.name == "playground";
                if playground {
                    let attrs: Vec<&str> = d.args.split_whitespace().skip(1).collect();
                    out.push_str("```rust");
                    if !attrs.is_empty() {
                        out.push(',');
                        out.push_str(&attrs.join(","));
                    }
                    out.push('\n');
                }
                let start = out.len();
                expand_into(root, &inner_dir, &body, depth + 1, Some(offset), out, ex);
                if playground {
                    out.push_str("\n```");
                }
                if outer.is_none() {
                    ex.regions.push(start..out.len());
                }
            }
            Err(p) => ex.problems.push(Problem { offset, ..p }),
        }
    }
    out.push_str(&text[copied..]);
}

/// Which lines of an included file.
#[derive(Debug, PartialEq, Eq)]
enum Lines<'a> {
    All,
    /// 1-based, inclusive; `None` for the end of the file.
    Range(usize, Option<usize>),
    Anchor(&'a str),
}

/// Splits `file.rs:2:10` into the path and the lines wanted.
fn spec(args: &str) -> (&str, Lines<'_>) {
    let spec = args.split_whitespace().next().unwrap_or("");
    let mut parts = spec.splitn(3, ':');
    let path = parts.next().unwrap_or("");
    let lines = match (parts.next(), parts.next()) {
        (None, _) | (Some(""), None) => Lines::All,
        (Some(a), None) => match a.parse::<usize>() {
            Ok(n) => Lines::Range(n, Some(n)),
            Err(_) => Lines::Anchor(a),
        },
        (Some(a), Some(b)) => Lines::Range(a.parse().unwrap_or(1), b.parse().ok()),
    };
    (path, lines)
}

/// Reads the lines `args` names: the file's path under the content folder
/// and the text, or what is wrong (offset filled in by the caller).
fn read(root: &Path, dir: &str, args: &str) -> Result<(String, String), Problem> {
    let problem = |message: String, hint: Option<&str>, error: bool| Problem {
        offset: 0,
        message,
        hint: hint.map(str::to_string),
        error,
    };
    let (path, lines) = spec(args);
    let Some(rel) = join(dir, path) else {
        return Err(problem(
            format!("included file {path} lies outside the content folder: not read"),
            Some("copy the file into the content folder and include that copy"),
            false,
        ));
    };
    let file = root.join(&rel);
    let inside = match (file.canonicalize(), root.canonicalize()) {
        (Ok(f), Ok(r)) => f.starts_with(r),
        _ => {
            return Err(problem(
                format!("included file not found: {rel}"),
                Some("the path is relative to the including file"),
                true,
            ))
        }
    };
    if !inside {
        return Err(problem(
            format!("included file {path} leads outside the content folder: not read"),
            Some("copy the file into the content folder and include that copy"),
            false,
        ));
    }
    let text = std::fs::read_to_string(&file)
        .map_err(|e| problem(format!("cannot read included file {rel}: {e}"), None, true))?;
    let picked = pick(&text, &lines).ok_or_else(|| {
        problem(
            format!("included file {rel} has no ANCHOR for {args}"),
            Some("mark the lines with `ANCHOR: name` and `ANCHOR_END: name`"),
            true,
        )
    })?;
    Ok((rel, picked))
}

/// The wanted lines of `text`, joined by line breaks (no final one); `None`
/// when an anchor is not in the file.
fn pick(text: &str, lines: &Lines) -> Option<String> {
    let all: Vec<&str> = text.lines().collect();
    let chosen: Vec<&str> = match *lines {
        Lines::All => all,
        Lines::Range(start, end) => {
            let start = start.max(1) - 1;
            let end = end.unwrap_or(all.len()).min(all.len());
            all.get(start..end.max(start)).unwrap_or(&[]).to_vec()
        }
        Lines::Anchor(name) => {
            let begin = all.iter().position(|l| marks(l, "ANCHOR:", name))?;
            all[begin + 1..]
                .iter()
                .take_while(|l| !marks(l, "ANCHOR_END:", name))
                .filter(|l| !l.contains("ANCHOR:") && !l.contains("ANCHOR_END:"))
                .copied()
                .collect()
        }
    };
    Some(chosen.join("\n"))
}

/// Whether `line` holds `marker` followed by the anchor `name`.
fn marks(line: &str, marker: &str, name: &str) -> bool {
    line.match_indices(marker).any(|(i, _)| {
        let rest = line[i + marker.len()..].trim_start();
        rest.strip_prefix(name).is_some_and(|after| {
            !after.starts_with(|c: char| c.is_alphanumeric() || c == '_' || c == '-')
        })
    })
}

/// `dir` joined with the relative `path`, `.` and `..` resolved; `None`
/// above the content folder or for an absolute path.
fn join(dir: &str, path: &str) -> Option<String> {
    if path.starts_with('/') || path.contains('\\') {
        return None;
    }
    crate::url::join(dir, path)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn book() -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("a")).unwrap();
        std::fs::write(dir.path().join("a/lines.txt"), "one\ntwo\nthree\nfour\n").unwrap();
        std::fs::write(
            dir.path().join("a/code.rs"),
            "// ANCHOR: all\nfn a() {}\n// ANCHOR: inner\nfn b() {}\n// ANCHOR_END: inner\n// ANCHOR_END: all\n",
        )
        .unwrap();
        dir
    }

    fn run(text: &str) -> Expansion {
        let dir = book();
        expand(dir.path(), "a/page.md", text).unwrap()
    }

    #[test]
    fn line_ranges_pick_the_lines_mdbook_picks() {
        assert_eq!(run("{{#include lines.txt:2}}").text, "two");
        assert_eq!(run("{{#include lines.txt:2:3}}").text, "two\nthree");
        assert_eq!(run("{{#include lines.txt:3:}}").text, "three\nfour");
        assert_eq!(run("{{#include lines.txt::2}}").text, "one\ntwo");
        assert_eq!(
            run("x {{#include lines.txt}} y").text,
            "x one\ntwo\nthree\nfour y"
        );
    }

    #[test]
    fn anchors_pick_their_lines_without_the_markers() {
        assert_eq!(run("{{#include code.rs:inner}}").text, "fn b() {}");
        assert_eq!(
            run("{{#rustdoc_include code.rs:all}}").text,
            "fn a() {}\nfn b() {}"
        );
        let e = run("{{#include code.rs:nowhere}}");
        assert!(
            e.problems[0].message.contains("no ANCHOR"),
            "{:?}",
            e.problems
        );
    }

    #[test]
    fn an_escaped_directive_is_shown_and_a_missing_file_is_an_error_at_its_offset() {
        assert_eq!(run("`\\{{#include x.rs}}`").text, "`{{#include x.rs}}`");
        let e = run("text\n{{#include nope.md}}");
        assert_eq!(e.problems.len(), 1);
        assert_eq!(e.problems[0].offset, 5);
        assert!(e.problems[0].error);
        assert!(e.problems[0].message.contains("a/nope.md"));
    }

    #[test]
    fn files_outside_the_content_folder_are_not_read() {
        let e = run("{{#include ../../secret.txt}}");
        assert_eq!(e.text, "");
        assert!(!e.problems[0].error);
        assert!(e.problems[0].message.contains("outside"));
    }

    #[test]
    fn directives_without_a_file_are_text() {
        assert!(expand(Path::new("."), "p.md", "no directive").is_none());
        assert_eq!(
            run("`{{#include}}` and {{ #playground }}").text,
            "`{{#include}}` and {{ #playground }}"
        );
    }
}

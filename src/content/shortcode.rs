//! Hugo and Zola shortcodes that dossier does not run: `{{< name … >}}`,
//! `{{% name … %}}` (Hugo) and `{{ name(…) }}`, `{% name(…) %}…{% end %}`
//! (Zola). Each is replaced by its inner text — a paired shortcode keeps its
//! body, a lone one leaves nothing — and reported, so a docs folder reads
//! as prose rather than as template syntax. Hugo's `ref` and `relref` name a
//! page: they become that path, which the link then resolves.
//!
//! Code spans and code blocks are left alone: that is where documentation
//! shows shortcodes on purpose. The escaped forms `{{</* x */>}}` and
//! `{{/* x() */}}` are shown as the shortcode they spell. A shortcode whose
//! body is code (Hugo's `highlight`, the Hugo documentation's `code`,
//! `code-toggle` and `output`), its tags alone on their lines, becomes a code
//! block: its body is configuration or a template, not prose.

use pulldown_cmark::{Event, Options, Parser, Tag};

/// One shortcode met in a page: its name and byte offset in the text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Met {
    pub name: String,
    pub offset: usize,
}

/// A page's text with its shortcodes replaced.
#[derive(Debug, Default)]
pub struct Replaced {
    pub text: String,
    /// The shortcodes met (closing tags and `ref`/`relref` not counted).
    pub met: Vec<Met>,
}

/// Replaces the shortcodes in `text` from byte `body` on (the front matter
/// before it is copied as it is); `None` when there are none.
pub fn replace(text: &str, body: usize) -> Option<Replaced> {
    // Every page comes here; most have no `{` at all (a vectorised search).
    let rest = &text[body..];
    if memchr::memchr(b'{', rest.as_bytes()).is_none()
        || (!rest.contains("{{") && !rest.contains("{%"))
    {
        return None;
    }
    let code = code_ranges(&text[body..], body);
    let mut out = String::with_capacity(text.len());
    let mut met = Vec::new();
    let mut copied = 0;
    let mut from = body;
    // The closing tag of the code shortcode being shown, and its fence.
    let mut fence_at: Option<(usize, String)> = None;
    while let Some(found) = text[from..].find('{') {
        let at = from + found;
        from = at + 1;
        if code.iter().any(|r| r.contains(&at)) {
            continue;
        }
        let Some(sc) = shortcode(&text[at..]) else {
            continue;
        };
        out.push_str(&text[copied..at]);
        copied = at + sc.len;
        from = copied;
        match sc.what {
            What::Escaped(shown) => out.push_str(&shown),
            What::Path(path) => out.push_str(&path),
            What::Open(name) => match code_block(text, at, sc.len, &name) {
                Some((open, close)) if fence_at.is_none() => {
                    out.push_str(&open);
                    fence_at = Some(close);
                }
                _ => met.push(Met { name, offset: at }),
            },
            What::Close => {
                if let Some((_, fence)) = fence_at.take_if(|(c, _)| *c == at) {
                    out.push_str(&fence);
                }
            }
        }
    }
    if copied == 0 {
        return None;
    }
    out.push_str(&text[copied..]);
    Some(Replaced { text: out, met })
}

/// What a shortcode becomes.
enum What {
    /// An escaped shortcode, shown as written without the comment marks.
    Escaped(String),
    /// `ref`/`relref`: the path it names.
    Path(String),
    /// A shortcode (or the start of a paired one), by name.
    Open(String),
    /// The end of a paired one.
    Close,
}

struct Shortcode {
    len: usize,
    what: What,
}

/// Shortcodes whose body is code rather than prose.
const CODE_BODIES: [&str; 4] = ["highlight", "code", "code-toggle", "output"];

/// For code shortcode `name` opening at `at` (its tag `len` bytes long),
/// the fence that opens its code block and (where its closing tag starts,
/// the fence that closes it): only when both tags stand alone on their
/// lines, so that the block keeps the page's line numbers.
fn code_block(text: &str, at: usize, len: usize, name: &str) -> Option<(String, (usize, String))> {
    if !CODE_BODIES.contains(&name) {
        return None;
    }
    let alone = |start: usize, end: usize| {
        text[..start]
            .rsplit('\n')
            .next()
            .is_some_and(|l| l.trim().is_empty())
            && text[end..]
                .trim_start_matches([' ', '\t', '\r'])
                .starts_with('\n')
    };
    let body_start = at + len;
    let mut from = body_start;
    let (close, close_len) = loop {
        let found = from + text[from..].find("{{")?;
        from = found + 2;
        if let Some(Shortcode {
            len,
            what: What::Close,
        }) = shortcode(&text[found..])
        {
            if text[found..found + len].contains(name) {
                break (found, len);
            }
        }
    };
    if !alone(at, body_start) || !alone(close, close + close_len) {
        return None;
    }
    let body = &text[body_start..close];
    let longest = body.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    let fence = "`".repeat(longest.max(2) + 1);
    let language = match name {
        "highlight" => text[at..body_start]
            .trim_matches(['{', '}', '<', '>', '%', ' '])
            .split_whitespace()
            .nth(1)
            .unwrap_or(""),
        _ => "",
    };
    Some((format!("{fence}{language}"), (close, fence)))
}

/// The shortcode at the start of `s`, if one starts there.
fn shortcode(s: &str) -> Option<Shortcode> {
    for (open, close) in [("{{<", ">}}"), ("{{%", "%}}"), ("{{", "}}"), ("{%", "%}")] {
        let Some(rest) = s.strip_prefix(open) else {
            continue;
        };
        let end = rest.find(close)?;
        let inner = &rest[..end];
        if inner.contains("\n\n") {
            return None;
        }
        let len = open.len() + end + close.len();
        let trimmed = inner.trim();
        if let Some(escaped) = trimmed
            .strip_prefix("/*")
            .and_then(|t| t.strip_suffix("*/"))
        {
            let shown = format!("{open} {} {close}", escaped.trim());
            return Some(Shortcode {
                len,
                what: What::Escaped(shown),
            });
        }
        let hugo = open.len() == 3;
        let what = if hugo {
            hugo_tag(trimmed)?
        } else {
            zola_tag(trimmed, open == "{%")?
        };
        return Some(Shortcode { len, what });
    }
    None
}

/// `name args` or `/name` inside a Hugo tag.
fn hugo_tag(inner: &str) -> Option<What> {
    if let Some(name) = inner.strip_prefix('/') {
        return is_name(name.trim()).then_some(What::Close);
    }
    let inner = inner.strip_suffix('/').unwrap_or(inner).trim();
    let name = inner.split_whitespace().next()?;
    if !is_name(name) {
        return None;
    }
    if name == "ref" || name == "relref" {
        let arg = inner[name.len()..].trim().trim_matches(['"', '\'', '`']);
        return Some(What::Path(arg.to_string()));
    }
    Some(What::Open(name.to_string()))
}

/// `name(args)` (or `end` for a block's end) inside a Zola tag; Tera's own
/// statements (`if`, `for`, …) have no parentheses right after a name and
/// are not shortcodes.
fn zola_tag(inner: &str, block: bool) -> Option<What> {
    if block && inner == "end" {
        return Some(What::Close);
    }
    // Zola's components: `{{ <name arg={1} /> }}`.
    if let Some(tag) = inner.strip_prefix('<').and_then(|t| t.strip_suffix("/>")) {
        let name = tag.split_whitespace().next()?;
        return (!block && is_name(name)).then(|| What::Open(name.to_string()));
    }
    let paren = inner.find('(')?;
    let name = inner[..paren].trim();
    if !is_name(name) || !inner.ends_with(')') || name.contains(' ') {
        return None;
    }
    Some(What::Open(name.to_string()))
}

fn is_name(s: &str) -> bool {
    !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-' || c == '/')
}

/// The byte ranges (offset by `base`) of the code spans and code blocks of
/// markdown `body`.
fn code_ranges(body: &str, base: usize) -> Vec<std::ops::Range<usize>> {
    Parser::new_ext(body, Options::empty())
        .into_offset_iter()
        .filter(|(ev, _)| matches!(ev, Event::Code(_) | Event::Start(Tag::CodeBlock(_))))
        .map(|(_, r)| r.start + base..r.end + base)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(s: &str) -> (String, Vec<String>) {
        match replace(s, 0) {
            Some(r) => (r.text, r.met.into_iter().map(|m| m.name).collect()),
            None => (s.to_string(), Vec::new()),
        }
    }

    #[test]
    fn hugo_shortcodes_leave_their_inner_text() {
        let (text, met) = run(
            "A {{< note >}}Careful.{{< /note >}} B {{% tip %}}x{{% /tip %}} {{< youtube abc >}}.",
        );
        assert_eq!(text, "A Careful. B x .");
        assert_eq!(met, ["note", "tip", "youtube"]);
    }

    #[test]
    fn zola_shortcodes_leave_their_inner_text() {
        let (text, met) =
            run("{% quote(author=\"A\") %}\nWords.\n{% end %}\n\n{{ youtube(id=\"x\") }}");
        assert_eq!(text, "\nWords.\n\n\n");
        assert_eq!(met, ["quote", "youtube"]);
    }

    #[test]
    fn refs_become_paths_and_code_and_escapes_are_left_as_written() {
        let (text, met) =
            run("[a]({{< ref \"b.md\" >}}) `{{< x >}}` {{</* note */>}}\n\n```\n{{ f() }}\n```\n");
        assert_eq!(
            text,
            "[a](b.md) `{{< x >}}` {{< note >}}\n\n```\n{{ f() }}\n```\n"
        );
        assert!(met.is_empty());
    }

    #[test]
    fn a_code_shortcode_alone_on_its_lines_becomes_a_code_block() {
        let (text, met) = run(
            "A\n\n  {{< code-toggle file=hugo >}}\n  [[cascade]]\n  {{< /code-toggle >}}\n\n\
             {{< highlight go >}}\nx := `y`\n{{</ highlight >}}\n\nB {{< code >}}c{{< /code >}}\n",
        );
        assert_eq!(
            text,
            "A\n\n  ```\n  [[cascade]]\n  ```\n\n```go\nx := `y`\n```\n\nB c\n"
        );
        assert_eq!(met, ["code"], "inline, it is an unknown shortcode");
    }

    #[test]
    fn zola_components_are_shortcodes() {
        let (text, met) = run(
            "A\n\n{{ <gallery page /> }}\n\n{{ <resize_image path=\"a.png\" width={150} /> }}\n",
        );
        assert_eq!(text, "A\n\n\n\n\n");
        assert_eq!(met, ["gallery", "resize_image"]);
    }

    #[test]
    fn template_variables_are_not_shortcodes() {
        assert!(replace("{{ language }} and {% if x %}", 0).is_none());
    }
}

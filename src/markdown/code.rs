//! Code blocks as Rust's book tools write them: a fence's info string may
//! carry attributes after the language (` ```rust,editable `, ` ```rust ignore `),
//! and a Rust block's lines that start with `#` are hidden from the reader
//! (they make the example compile), as mdBook and rustdoc show them.

use pulldown_cmark::{CodeBlockKind, CowStr, Event, Tag, TagEnd};

/// The language of a fence's info string: its first word, commas and
/// spaces both ending it.
pub fn language(info: &str) -> &str {
    info.split(|c: char| c == ',' || c.is_whitespace())
        .find(|w| !w.is_empty())
        .unwrap_or("")
}

/// The lines of Rust code a reader sees: a line whose first non-blank is
/// `#` followed by anything but `#`, `!` or `[` is hidden; `##` shows as
/// `#` (mdBook's escape); attributes `#[..]` and `#!` stay.
pub fn shown_rust(code: &str) -> String {
    let mut out = String::with_capacity(code.len());
    for line in code.split_inclusive('\n') {
        let indent = line.len() - line.trim_start().len();
        let rest = &line[indent..];
        match rest.strip_prefix('#') {
            Some(after) if after.starts_with('#') => {
                out.push_str(&line[..indent]);
                out.push_str(after);
            }
            Some(after) if !after.starts_with(['!', '[']) => {}
            _ => out.push_str(line),
        }
    }
    out
}

/// The events with each fenced block's info cut to its language, and the
/// hidden lines of Rust blocks left out.
pub fn for_readers(mut events: Vec<Event<'_>>) -> Vec<Event<'_>> {
    // Info strings are cut in place; only a page with Rust blocks has lines
    // to leave out, which takes a new list (most pages have neither).
    let mut has_rust = false;
    for ev in &mut events {
        if let Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(info))) = ev {
            let lang = language(info);
            has_rust |= lang == "rust";
            if lang.len() != info.len() {
                let lang = CowStr::from(lang.to_string());
                *info = lang;
            }
        }
    }
    if !has_rust {
        return events;
    }
    let mut out = Vec::with_capacity(events.len());
    // The text of the Rust block being read, written out at its end.
    let mut rust: Option<String> = None;
    for ev in events {
        match ev {
            Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(lang))) => {
                if lang.as_ref() == "rust" {
                    rust = Some(String::new());
                }
                out.push(Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(lang))));
            }
            Event::Text(t) if rust.is_some() => rust.as_mut().unwrap().push_str(&t),
            Event::End(TagEnd::CodeBlock) => {
                if let Some(code) = rust.take() {
                    out.push(Event::Text(CowStr::from(shown_rust(&code))));
                }
                out.push(Event::End(TagEnd::CodeBlock));
            }
            ev => out.push(ev),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_language_is_the_first_word_of_the_info_string() {
        assert_eq!(language("rust,editable,ignore"), "rust");
        assert_eq!(language("rust, editable"), "rust");
        assert_eq!(language("toml"), "toml");
        assert_eq!(language(""), "");
    }

    #[test]
    fn hidden_rust_lines_are_left_out_and_escapes_and_attributes_kept() {
        let code = "# fn main() {\n#[derive(Debug)]\n#![allow(x)]\nlet x = 1;\n    ## not hidden\n#\n# }\n";
        assert_eq!(
            shown_rust(code),
            "#[derive(Debug)]\n#![allow(x)]\nlet x = 1;\n    # not hidden\n"
        );
    }
}

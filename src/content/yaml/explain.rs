//! serde_yaml's error messages in words a person editing the file can act
//! on, at the place to fix.
//!
//! serde's messages speak of Rust types ("invalid type: integer `7`,
//! expected i64") and libyaml's of its parser ("found unexpected end of
//! stream", at the end of the text, for a quote opened lines before). Both
//! follow fixed patterns, read here; a message that fits none is passed on
//! as it is.

use super::{About, YamlError};
use crate::diag::line_col;

/// The error `e`, met while parsing `text`, in plain words.
pub fn explain(text: &str, e: &serde_yaml::Error) -> YamlError {
    let full = e.to_string();
    let offset = e.location().map(|l| {
        let mut at = l.index().min(text.len());
        while !text.is_char_boundary(at) {
            at -= 1;
        }
        at
    });
    let mut err = match offset {
        Some(at) => {
            let (line, col) = line_col(text, at);
            YamlError::new(line, col, strip_location(&full))
        }
        None => YamlError::new(0, 0, strip_location(&full)),
    };
    if let Some(better) = offset.and_then(|at| unclosed(text, at, &full)) {
        return better;
    }
    if let Some(at) = offset {
        match err.message.as_str() {
            "mapping values are not allowed in this context" => {
                colon_in_value(text, at, &mut err);
                return err;
            }
            "did not find expected key" => {
                text_after_quote(text, at, &mut err);
                return err;
            }
            _ => {}
        }
    }
    serde_message(text, offset, &mut err);
    err
}

/// serde_yaml appends " at line L column C" (and libyaml a context after
/// it) to its messages; ours carry the location apart.
fn strip_location(message: &str) -> String {
    match message.find(" at line ") {
        Some(i) => message[..i].to_string(),
        None => message.to_string(),
    }
}

/// A quote, `[` or `{` still open at a later line than its own: reported
/// where it opens, which is where it must be fixed (libyaml reports where
/// it gave up, often the end of the text).
fn unclosed(text: &str, at: usize, full: &str) -> Option<YamlError> {
    let (context, line, col) = libyaml_context(full)?;
    let open = mark_offset(text, line, col)?;
    if line_col(text, open).0 == line_col(text, at).0 {
        return None;
    }
    // A list or mapping may go on over lines; these are the parser giving
    // up on one that never ends, not a problem inside it.
    let problem = strip_location(full);
    let gave_up = matches!(
        problem.as_str(),
        "found unexpected end of stream"
            | "did not find expected ',' or ']'"
            | "did not find expected ',' or '}'"
    );
    if !gave_up {
        return None;
    }
    let opener = text[open..].chars().next()?;
    let line_text = text[open..].lines().next().unwrap_or_default();
    let start = text[..open].rfind('\n').map_or(0, |i| i + 1);
    let before = &text[start..open];
    let (message, hint) = match (context, opener) {
        ("while scanning a quoted scalar", '"' | '\'') => (
            "this quote is never closed".to_string(),
            format!(
                "end the value with a closing {opener}, e.g. {before}{}{opener}",
                line_text.trim_end()
            ),
        ),
        ("while parsing a flow sequence" | "while parsing a flow mapping", '[' | '{') => {
            let close = if opener == '[' { ']' } else { '}' };
            let what = if opener == '[' { "list" } else { "mapping" };
            (
                format!("this `{opener}` is never closed"),
                format!(
                    "end the {what} with `{close}` on the same line, e.g. {before}{}{close}",
                    line_text.trim_end().trim_end_matches(',')
                ),
            )
        }
        _ => return None,
    };
    let (line, col) = line_col(text, open);
    let mut err = YamlError::new(line, col, message);
    err.hint = Some(hint);
    Some(err)
}

/// libyaml's context and where it started (1-based, as it counts lines),
/// from the end of a message: `…, while parsing a flow sequence at line 1
/// column 7`.
fn libyaml_context(full: &str) -> Option<(&str, usize, usize)> {
    let context = &full[full.rfind(", while ")? + 2..];
    let (what, mark) = context.rsplit_once(" at line ")?;
    let (line, col) = mark.split_once(" column ")?;
    Some((what, line.parse().ok()?, col.parse().ok()?))
}

/// The byte offset of libyaml's 1-based `line` and `col`. libyaml also
/// ends lines at a lone `\r`, NEL and the Unicode line and paragraph
/// separators, and counts columns in characters.
fn mark_offset(text: &str, line: usize, col: usize) -> Option<usize> {
    let mut at_line = 1;
    let mut chars = text.char_indices().peekable();
    let mut line_start = 0;
    while at_line < line {
        let (i, c) = chars.next()?;
        match c {
            '\r' if chars.peek().is_some_and(|&(_, n)| n == '\n') => {}
            '\r' | '\n' | '\u{85}' | '\u{2028}' | '\u{2029}' => {
                at_line += 1;
                line_start = i + c.len_utf8();
            }
            _ => {}
        }
    }
    let rest = &text[line_start..];
    let within = rest
        .char_indices()
        .nth(col.checked_sub(1)?)
        .map_or(rest.len(), |(i, _)| i);
    Some(line_start + within)
}

/// The line of `text` that byte `at` is on, the byte it starts at, and
/// its `key: value` parts if it is one (`None` for a list item, a key in
/// quotes…): indentation, key, and the value's offset in the line.
fn key_line(text: &str, at: usize) -> (&str, usize, Option<(usize, &str, usize)>) {
    let start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    let line = text[start..].lines().next().unwrap_or_default();
    let indent = line.len() - line.trim_start_matches(' ').len();
    let parts = line[indent..].split_once(": ").and_then(|(key, value)| {
        let is_key = !key.is_empty()
            && key
                .chars()
                .all(|c| c.is_alphanumeric() || c == '_' || c == '-');
        let value_at = line.len() - value.trim_start().len();
        is_key.then_some((indent, key, value_at))
    });
    (line, start, parts)
}

/// `key: a: b` — a plain value with `: ` in it, which YAML takes for a
/// mapping inside the value: the hint shows the value quoted. An indented
/// `key: b` under `key: a` is the same to YAML (more of the value `a`),
/// but there the indentation is what to fix.
fn colon_in_value(text: &str, at: usize, err: &mut YamlError) {
    let (line, start, Some((indent, key, value_at))) = key_line(text, at) else {
        return;
    };
    if at - start < value_at {
        let above = text[..start]
            .lines()
            .rev()
            .find(|l| !l.trim().is_empty() && !l.trim_start().starts_with('#'));
        let Some(above) = above else { return };
        let above_indent = above.len() - above.trim_start_matches(' ').len();
        if above_indent >= indent {
            return;
        }
        (err.line, err.col) = line_col(text, start + indent);
        err.message = format!("`{key}` is indented, so it is read as more of the value above");
        err.hint = Some(if above_indent == 0 {
            format!("start `{key}:` at the beginning of its line")
        } else {
            format!("indent `{key}:` as much as the key above it")
        });
        return;
    }
    let value = line[value_at..].trim_end();
    if value.starts_with(['"', '\'', '[', '{', '|', '>']) {
        return;
    }
    err.message = format!("the value of `{key}` contains `: `");
    err.hint = Some(format!(
        "put the value in quotes: {}{key}: {}",
        &line[..indent],
        quoted(value)
    ));
}

/// `key: 'It's here'` — a quoted value that ends before the line does
/// (at `It'`), with text after it that YAML has no place for.
fn text_after_quote(text: &str, at: usize, err: &mut YamlError) {
    let (line, start, Some((indent, key, value_at))) = key_line(text, at) else {
        return;
    };
    let value = line[value_at..].trim_end();
    let Some(quote) = value.chars().next().filter(|c| matches!(c, '"' | '\'')) else {
        return;
    };
    let Some(close) = closing_quote(value, quote) else {
        return;
    };
    let after = value[close + 1..].trim_start();
    if after.is_empty() || after.starts_with('#') || at - start <= value_at + close {
        return;
    }
    // `'It's here'`: the quotes around it were meant as the value's own.
    let inner = &value[1..];
    let meant = match inner.strip_suffix(quote) {
        Some(inner) if inner.contains(quote) => inner,
        _ => value,
    };
    err.message = format!("text follows the closing quote of `{key}`");
    let mut hint = format!(
        "put the whole value in quotes: {}{key}: {}",
        &line[..indent],
        quoted(meant)
    );
    if quote == '\'' && meant.contains('\'') {
        hint.push_str(" (inside '…', write ' as '')");
    }
    err.hint = Some(hint);
}

/// The byte offset in `value` (which starts with `quote`) of the quote
/// that closes it: `''` inside single quotes and `\"` inside double ones
/// do not.
fn closing_quote(value: &str, quote: char) -> Option<usize> {
    let mut chars = value.char_indices().skip(1).peekable();
    while let Some((i, c)) = chars.next() {
        match c {
            '\\' if quote == '"' => {
                chars.next();
            }
            '\'' if quote == '\'' && chars.peek().is_some_and(|&(_, n)| n == '\'') => {
                chars.next();
            }
            c if c == quote => return Some(i),
            _ => {}
        }
    }
    None
}

/// `value` as a YAML quoted scalar: double quotes unless it holds one.
fn quoted(value: &str) -> String {
    if value.contains(['"', '\\']) {
        format!("'{}'", value.replace('\'', "''"))
    } else {
        format!("\"{value}\"")
    }
}

/// The messages serde's derived code gives (`invalid type: …, expected …`,
/// `unknown field …`), after serde_yaml's path to the value (`tags[1]: `).
fn serde_message(text: &str, offset: Option<usize>, err: &mut YamlError) {
    const KINDS: [&str; 5] = [
        "invalid type: ",
        "invalid value: ",
        "unknown field `",
        "unknown variant `",
        "duplicate field `",
    ];
    let message = err.message.clone();
    let Some((path, kind, rest)) = KINDS.iter().find_map(|k| {
        let i = message.find(k)?;
        let path = match i {
            0 => "",
            _ => message[..i].strip_suffix(": ")?,
        };
        Some((path, *k, &message[i + k.len()..]))
    }) else {
        return;
    };
    match kind {
        "invalid type: " | "invalid value: " => {
            let Some((found, expected)) = rest.rsplit_once(", expected ") else {
                return;
            };
            let quoted = offset.is_some_and(|at| text[at..].starts_with(['"', '\'']));
            let expected = expected_words(expected, found);
            let found = found_words(found, quoted);
            err.message = match path {
                "" => format!("expected {expected}, found {found}"),
                _ => format!("{} must be {expected}, found {found}", name(path)),
            };
            err.about = About::WrongType(path.to_string());
        }
        "unknown field `" => {
            let Some((key, known)) = rest.split_once('`') else {
                return;
            };
            let known = listed(known);
            err.message = match path {
                "" => format!("unknown key `{key}`"),
                _ => format!("unknown key `{key}` in {}", name(path)),
            };
            err.hint = Some(
                match crate::diag::nearest(key, known.iter().map(String::as_str)) {
                    Some(near) => format!("did you mean `{near}`?"),
                    None if known.is_empty() => "it takes no keys".to_string(),
                    None => format!("the keys are: {}", known.join(", ")),
                },
            );
        }
        "unknown variant `" => {
            let Some((word, known)) = rest.split_once('`') else {
                return;
            };
            let known = listed(known);
            let found = match word {
                "" => "nothing".to_string(),
                _ => format!("`{word}`"),
            };
            err.message = format!(
                "{} must be one of {}; found {found}",
                name(path),
                known.join(", ")
            );
            err.hint = crate::diag::nearest(word, known.iter().map(String::as_str))
                .map(|near| format!("did you mean `{near}`?"));
        }
        "duplicate field `" => {
            let Some((key, _)) = rest.split_once('`') else {
                return;
            };
            err.message = format!("`{key}` is set twice");
            err.hint = Some(format!("keep one of the two `{key}:` lines"));
            if let Some(at) = offset {
                if let Some((line, col)) = repeated_key(text, at, &[key]) {
                    (err.line, err.col) = (line, col);
                }
                err.about = About::Repeated {
                    key: key.to_string(),
                    mapping: at,
                };
            }
        }
        _ => {}
    }
}

/// A path as serde_yaml writes it, for a message: `tags[1]` is "item 2 of
/// `tags`".
fn name(path: &str) -> String {
    if let Some((parent, index)) = path.strip_suffix(']').and_then(|p| p.rsplit_once('[')) {
        if let Ok(i) = index.parse::<usize>() {
            return format!("item {} of `{parent}`", i + 1);
        }
    }
    format!("`{path}`")
}

/// The names of serde's `expected one of `a`, `b`` (or `` `a` or `b` ``).
fn listed(known: &str) -> Vec<String> {
    known
        .split('`')
        .skip(1)
        .step_by(2)
        .map(String::from)
        .collect()
}

/// serde's name for the type a value must have, in plain words. A whole
/// number found where one of a narrower range was expected is out of that
/// range: the range is said, or the message would contradict itself.
fn expected_words(expected: &str, found: &str) -> String {
    let range = |min: &str, max: &str| {
        if found.starts_with("integer ") {
            format!("a whole number from {min} to {max}")
        } else {
            "a whole number".to_string()
        }
    };
    match expected {
        "i64" => range("-9223372036854775808", "9223372036854775807"),
        "i32" => range("-2147483648", "2147483647"),
        "u64" => range("0", "18446744073709551615"),
        "u32" => range("0", "4294967295"),
        "usize" => range("0", &usize::MAX.to_string()),
        "i8" | "i16" | "u8" | "u16" | "i128" | "u128" | "isize" => "a whole number".into(),
        "f32" | "f64" => "a number".into(),
        "a string" | "a borrowed string" | "string" => "text".into(),
        "a boolean" => "true or false".into(),
        "a sequence" => "a list".into(),
        "a map" => "key: value pairs".into(),
        "a character" => "a single character".into(),
        // serde_yaml's words for an enum met with a list or mapping.
        "a YAML tag starting with '!'" => "a single word".into(),
        e if e.starts_with("struct ") => "key: value pairs".into(),
        e => e.into(),
    }
}

/// serde's description of a value found (`floating point `7.5``), in
/// plain words; `quoted` tells text written in quotes from text that YAML
/// read as text though it may look like something else.
fn found_words(found: &str, quoted: bool) -> String {
    let ticked = |prefix: &str| {
        found
            .strip_prefix(prefix)
            .and_then(|r| r.strip_prefix('`'))
            .and_then(|r| r.split_once('`'))
            .map(|(v, _)| v.to_string())
    };
    if let Some(v) = ticked("integer ")
        .or_else(|| ticked("floating point "))
        .or_else(|| ticked("boolean "))
    {
        return v;
    }
    if let Some(s) = found.strip_prefix("string ") {
        return if quoted {
            format!("the text {s} (in quotes)")
        } else {
            format!("the text {s}")
        };
    }
    match found {
        "sequence" => "a list".into(),
        "map" => "key: value pairs".into(),
        "unit value" => "nothing".into(),
        f => f.into(),
    }
}

/// Where the second of the keys `names` is set in the block mapping that
/// starts at byte `at` of `text` (serde_yaml's place for a repeated key):
/// the first line of a key of that mapping at the mapping's column, and
/// every later line with exactly its indentation. `None` if a second one is
/// not found so (a flow mapping, a key written in quotes).
pub fn repeated_key(text: &str, at: usize, names: &[&str]) -> Option<(usize, usize)> {
    let start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    let indent = at - start;
    if !text[start..at].bytes().all(|b| b == b' ' || b == b'-') {
        return None;
    }
    let mut seen = 0;
    let mut line_start = start;
    for line in text[start..].split_inclusive('\n') {
        let this = line_start;
        line_start += line.len();
        let key_at = if this == start {
            indent
        } else {
            let trimmed = line.trim_start_matches(' ');
            let spaces = line.len() - trimmed.len();
            if trimmed.trim().is_empty() || trimmed.starts_with('#') {
                continue;
            }
            if spaces < indent {
                break;
            }
            if spaces > indent {
                continue;
            }
            spaces
        };
        let rest = &line[key_at..];
        let is_named = names.iter().any(|n| {
            rest.strip_prefix(n)
                .map(|r| r.trim_start_matches(' '))
                .and_then(|r| r.strip_prefix(':'))
                .is_some_and(|r| r.is_empty() || r.starts_with([' ', '\t', '\r', '\n']))
        });
        if is_named {
            seen += 1;
            if seen == 2 {
                return Some(line_col(text, this + key_at));
            }
        }
    }
    None
}

//! The one place that parses YAML: `serde_yaml`, behind a guard against
//! nesting that would make its scanner slow.
//!
//! `serde_yaml` 0.9 is archived upstream; keeping every parse and every
//! serialisation behind these functions means swapping it for another
//! crate touches this file only.

use serde::de::DeserializeOwned;
use serde::Serialize;

mod explain;

pub use explain::repeated_key;

/// A YAML problem, located inside the YAML text that was parsed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct YamlError {
    /// 1-based line within the parsed text (0 if unknown).
    pub line: usize,
    /// 1-based column within the parsed text (0 if unknown).
    pub col: usize,
    /// What is wrong, in plain words, without a location.
    pub message: String,
    /// How to fix it, where the problem suggests a way.
    pub hint: Option<String>,
    /// What the problem is about, for callers that know their keys and can
    /// say more than the parser.
    pub about: About,
}

impl YamlError {
    fn new(line: usize, col: usize, message: impl Into<String>) -> Self {
        YamlError {
            line,
            col,
            message: message.into(),
            hint: None,
            about: About::Other,
        }
    }
}

/// What a [`YamlError`] is about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum About {
    /// The value at this path (`order`, `tags[1]`) has the wrong type.
    WrongType(String),
    /// Key `key` of the mapping that starts at byte `mapping` is set twice.
    Repeated { key: String, mapping: usize },
    /// Anything else.
    Other,
}

/// Parses `text` into `T`, reporting where in `text` it went wrong.
pub fn from_str<T: DeserializeOwned>(text: &str) -> Result<T, YamlError> {
    // The parser also counts a lone `\r`, NEL and the Unicode line and
    // paragraph separators as line ends; editors and the rest of our
    // diagnostics count `\n` only, so errors are located by byte offset.
    serde_yaml::from_str(text).map_err(|e| explain::explain(text, &e))
}

/// [`from_str`] for text from anyone (front matter), which the general
/// parser could take minutes over: its scanner looks at every open flow
/// collection (`[`, `{`) for every token, so a few hundred kilobytes of
/// `{a: {a: …` take seconds and a few megabytes hours. The work is at most
/// the text's length times the deepest nesting of open collections
/// ([`flow_depth_bound`]), and text over [`FLOW_BUDGET`] is refused unread,
/// with an error at its first bracket.
pub fn from_untrusted_str<T: DeserializeOwned>(text: &str) -> Result<T, YamlError> {
    let depth = flow_depth_bound(text);
    if (text.len() + 1).saturating_mul(depth + 1) > FLOW_BUDGET {
        let first = text.find(['[', '{']).unwrap_or(0);
        let (line, col) = crate::diag::line_col(text, first);
        let message = if depth > 1 {
            format!(
                "{depth} '[' or '{{' in {} bytes: too many for the YAML parser to read in reasonable time",
                text.len()
            )
        } else {
            format!(
                "{} bytes: too long for the YAML parser to read in reasonable time",
                text.len()
            )
        };
        return Err(YamlError::new(line, col, message));
    }
    from_str(text)
}

/// How deep the general parser can nest flow collections while reading
/// `text`, at most: the cost [`from_untrusted_str`] budgets for.
///
/// Every `[` and `{` might open one, so their count is always a bound. But
/// front matter in the block form that [`to_string`] writes (keys and `-`
/// items at the start of their lines, each value a quoted, block or plain
/// scalar or an empty `[]` or `{}`) opens at most one at a time, however
/// many brackets its scalars hold: there the bound is 0 or 1. Without it,
/// front matter the importer wrote could be refused once read back (quoting
/// adds bytes, not brackets).
pub fn flow_depth_bound(text: &str) -> usize {
    let brackets = memchr::memchr2_iter(b'[', b'{', text.as_bytes()).count();
    if brackets <= 1 {
        return brackets;
    }
    block_form::depth(text).unwrap_or(brackets)
}

/// The keys of a block mapping at the top of `text`, each with its 1-based
/// line and column, in order; `None` when the text is not written as one
/// (a flow mapping `{…}`, a list), which only the parser can tell apart.
/// A key is a line that starts without indentation and has `: ` (or ends
/// in `:`) after a plain or quoted name.
pub fn top_level_keys(text: &str) -> Option<Vec<(&str, usize, usize)>> {
    let mut keys = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let t = line.trim_end();
        if t.is_empty() || line.starts_with([' ', '\t', '#']) {
            continue;
        }
        if t.starts_with(['-', '{', '[', '?']) && keys.is_empty() {
            return None;
        }
        let key = match t.chars().next() {
            Some(q @ ('"' | '\'')) => t[1..].split_once(q).map(|(k, _)| k),
            _ => t
                .split_once(": ")
                .map(|(k, _)| k)
                .or_else(|| t.strip_suffix(':'))
                .map(str::trim_end),
        };
        if let Some(key) = key {
            keys.push((key, n + 1, 1));
        }
    }
    Some(keys)
}

/// The block form of [`flow_depth_bound`], read as libyaml's scanner (under
/// `serde_yaml`) tokenises it, to know which brackets are inside scalars.
/// Whatever it is not sure of makes it give up (`None`): the count of all
/// brackets is then the bound. Soundness is checked against the scanner
/// itself by the `frontmatter` fuzz target (`tests/fuzz/checks.rs`).
mod block_form {
    /// The scanner's line breaks.
    fn is_break(c: char) -> bool {
        matches!(c, '\n' | '\r' | '\u{85}' | '\u{2028}' | '\u{2029}')
    }

    /// The scanner's blanks.
    fn is_blank(c: char) -> bool {
        c == ' ' || c == '\t'
    }

    /// A cursor over the text that keeps the scanner's column.
    struct Cursor<'t> {
        text: &'t str,
        pos: usize,
        col: usize,
    }

    impl Cursor<'_> {
        fn peek(&self) -> Option<char> {
            self.text[self.pos..].chars().next()
        }

        fn peek2(&self) -> Option<char> {
            self.text[self.pos..].chars().nth(1)
        }

        /// Moves past one character; a line break (`\r\n` is one) starts a
        /// new line.
        fn bump(&mut self) {
            let Some(c) = self.peek() else { return };
            self.pos += c.len_utf8();
            if is_break(c) {
                if c == '\r' && self.peek() == Some('\n') {
                    self.pos += 1;
                }
                self.col = 0;
            } else {
                self.col += 1;
            }
        }

        fn at_break_or_end(&self) -> bool {
            self.peek().is_none_or(is_break)
        }

        /// Skips blanks, then must be at a line break (passed) or the end.
        fn end_line(&mut self) -> Option<()> {
            while self.peek().is_some_and(is_blank) {
                self.bump();
            }
            if !self.at_break_or_end() {
                return None;
            }
            self.bump();
            Some(())
        }

        /// Skips the rest of the line and its break.
        fn skip_line(&mut self) {
            while !self.at_break_or_end() {
                self.bump();
            }
            self.bump();
        }
    }

    /// 0 or 1 if every line of `text` is in the block form, `None` if not.
    pub fn depth(text: &str) -> Option<usize> {
        let mut cur = Cursor {
            text,
            pos: 0,
            col: 0,
        };
        let mut depth = 0;
        while cur.pos < text.len() {
            // At the start of a line, in block context, outside any scalar.
            while cur.peek() == Some(' ') {
                cur.bump();
            }
            match cur.peek() {
                None => break,
                Some(c) if is_break(c) => {
                    cur.bump();
                    continue;
                }
                Some('#') => {
                    cur.skip_line();
                    continue;
                }
                Some(_) if cur.col > 0 => return None,
                Some('-') if cur.peek2().is_some_and(|c| c == ' ') => {
                    cur.bump();
                    while cur.peek() == Some(' ') {
                        cur.bump();
                    }
                    if cur.at_break_or_end() {
                        return None; // an item on the next lines
                    }
                }
                Some(c) if c.is_ascii_alphanumeric() || c == '_' => {
                    while cur
                        .peek()
                        .is_some_and(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
                    {
                        cur.bump();
                    }
                    if cur.peek() != Some(':') {
                        return None;
                    }
                    cur.bump();
                    if cur.at_break_or_end() {
                        cur.bump();
                        continue; // the value on the next lines: `-` items
                    }
                    if cur.peek() != Some(' ') {
                        return None;
                    }
                    while cur.peek() == Some(' ') {
                        cur.bump();
                    }
                    if cur.at_break_or_end() {
                        cur.bump();
                        continue;
                    }
                }
                Some(_) => return None,
            }
            depth = depth.max(value(&mut cur)?);
        }
        Some(depth)
    }

    /// Reads the value that starts at the cursor through the end of its
    /// last line; the flow depth it reaches (0 or 1).
    fn value(cur: &mut Cursor) -> Option<usize> {
        match cur.peek()? {
            '\'' => {
                cur.bump();
                loop {
                    match cur.peek()? {
                        '\'' if cur.peek2() == Some('\'') => {
                            cur.bump();
                            cur.bump();
                        }
                        '\'' => break,
                        _ => cur.bump(),
                    }
                }
                cur.bump();
                cur.end_line()?;
                Some(0)
            }
            '"' => {
                cur.bump();
                loop {
                    match cur.peek()? {
                        '\\' => {
                            cur.bump();
                            cur.peek()?;
                            cur.bump();
                        }
                        '"' => break,
                        _ => cur.bump(),
                    }
                }
                cur.bump();
                cur.end_line()?;
                Some(0)
            }
            open @ ('[' | '{') => {
                cur.bump();
                let close = if open == '[' { ']' } else { '}' };
                if cur.peek() != Some(close) {
                    return None;
                }
                cur.bump();
                cur.end_line()?;
                Some(1)
            }
            '|' | '>' => {
                cur.bump();
                block_scalar(cur)?;
                Some(0)
            }
            '-' | '?' | ':' if cur.peek2().is_some_and(|c| !is_blank(c) && !is_break(c)) => {
                plain(cur)
            }
            ',' | ']' | '}' | '#' | '&' | '*' | '!' | '%' | '@' | '`' | '-' | '?' | ':' => None,
            c if is_blank(c) => None,
            _ => plain(cur),
        }
    }

    /// A plain scalar to the end of its line (brackets in it are text in
    /// block context), or a comment after it. Refused if a `: ` in it would
    /// start another value.
    fn plain(cur: &mut Cursor) -> Option<usize> {
        let mut after_blank = false;
        while let Some(c) = cur.peek() {
            if is_break(c) {
                break;
            }
            if c == '#' && after_blank {
                cur.skip_line();
                return Some(0);
            }
            if c == ':' && cur.peek2().is_none_or(|n| is_blank(n) || is_break(n)) {
                return None;
            }
            after_blank = is_blank(c);
            cur.bump();
        }
        cur.bump();
        Some(0)
    }

    /// A block scalar's header after `|` or `>`, then its content lines,
    /// found as the scanner finds them. Its parent's indentation is 0: only
    /// lines at column 0 hold keys and items here.
    fn block_scalar(cur: &mut Cursor) -> Option<()> {
        // Chomping (`+`, `-`) and indentation (1-9) indicators, either
        // first, each at most once; 0 is the scanner's error.
        let mut increment = 0;
        let mut chomping = false;
        for _ in 0..2 {
            match cur.peek() {
                Some('+' | '-') if !chomping => chomping = true,
                Some(c @ '0'..='9') if increment == 0 => {
                    increment = c.to_digit(10)? as usize;
                    if increment == 0 {
                        return None;
                    }
                }
                _ => break,
            }
            cur.bump();
        }
        while cur.peek().is_some_and(is_blank) {
            cur.bump();
        }
        if cur.peek() == Some('#') {
            cur.skip_line();
        } else {
            cur.end_line()?;
        }
        let mut indent = increment;
        breaks(cur, &mut indent)?;
        while cur.col == indent && cur.peek().is_some() {
            cur.skip_line();
            breaks(cur, &mut indent)?;
        }
        // Ended: at the end, at column 0, or before a less indented line,
        // which may only be a comment here.
        match cur.peek() {
            Some('#') => cur.skip_line(),
            Some(_) if cur.col > 0 => return None,
            _ => {}
        }
        Some(())
    }

    /// The scanner's `yaml_parser_scan_block_scalar_breaks`: skips
    /// indentation and empty lines; an `indent` of 0 is found from them.
    fn breaks(cur: &mut Cursor, indent: &mut usize) -> Option<()> {
        let mut max_indent = 0;
        loop {
            while (*indent == 0 || cur.col < *indent) && cur.peek() == Some(' ') {
                cur.bump();
            }
            max_indent = max_indent.max(cur.col);
            if (*indent == 0 || cur.col < *indent) && cur.peek() == Some('\t') {
                return None; // the scanner's error
            }
            if !cur.peek().is_some_and(is_break) {
                break;
            }
            cur.bump();
        }
        if *indent == 0 {
            *indent = max_indent.max(1);
        }
        Some(())
    }
}

/// The most work [`from_untrusted_str`] lets the general parser do: bytes
/// times nesting (a tenth of a second or so at worst). Front matter of
/// 16 KB may have a thousand brackets; real front matter has a few.
pub const FLOW_BUDGET: usize = 1 << 24;

/// Serialises `value` as YAML (used to write front matter and manifests):
/// whole lines, each ended by `\n`.
///
/// libyaml's emitter writes U+2028 and U+2029 raw in block scalars and
/// counts them as line ends, as YAML 1.1 does: a value ending in one comes
/// out without a final `\n`, so the `---` written after front matter lands
/// on its last line. Text holding either is written again with every
/// string double-quoted and those characters escaped.
pub fn to_string<T: Serialize>(value: &T) -> Result<String, String> {
    let text = serde_yaml::to_string(value).map_err(|e| e.to_string())?;
    if !text.contains(['\u{2028}', '\u{2029}']) {
        return Ok(text);
    }
    let value = serde_yaml::to_value(value).map_err(|e| e.to_string())?;
    let mut out = String::new();
    quoted::block(&value, 0, &mut out)?;
    Ok(out)
}

/// A YAML writer for the values libyaml's emitter writes badly: block
/// mappings and sequences, every string double-quoted, every character a
/// reader could take for a line end or refuse escaped.
mod quoted {
    use serde_yaml::Value;
    use std::fmt::Write;

    /// Writes `value`, a mapping or sequence, as block lines at `indent`;
    /// any other value as one line. Keys and the items of a key's sequence
    /// start at the same column, as serde_yaml writes them (and as
    /// [`super::flow_depth_bound`] reads them).
    pub fn block(value: &Value, indent: usize, out: &mut String) -> Result<(), String> {
        let pad = " ".repeat(indent);
        match value {
            Value::Mapping(map) if !map.is_empty() => {
                for (key, value) in map {
                    out.push_str(&pad);
                    match key {
                        Value::String(k) if is_plain_key(k) => out.push_str(k),
                        _ => scalar(key, out)?,
                    }
                    out.push(':');
                    match value {
                        Value::Sequence(s) if !s.is_empty() => {
                            out.push('\n');
                            block(value, indent, out)?;
                        }
                        _ => nested(value, indent, out)?,
                    }
                }
            }
            Value::Sequence(items) if !items.is_empty() => {
                for item in items {
                    out.push_str(&pad);
                    out.push('-');
                    nested(item, indent, out)?;
                }
            }
            _ => {
                out.push_str(&pad);
                scalar(value, out)?;
                out.push('\n');
            }
        }
        Ok(())
    }

    /// A key every YAML reader takes as that string, unquoted.
    fn is_plain_key(k: &str) -> bool {
        k.starts_with(|c: char| c.is_ascii_alphabetic())
            && k.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
            && !matches!(
                k.to_ascii_lowercase().as_str(),
                "y" | "n" | "yes" | "no" | "on" | "off" | "true" | "false" | "null"
            )
    }

    /// Writes what follows a key's `:` or an item's `-`: a scalar on the
    /// same line, or a collection on the lines below, indented further.
    fn nested(value: &Value, indent: usize, out: &mut String) -> Result<(), String> {
        let on_lines_below = match value {
            Value::Mapping(m) => !m.is_empty(),
            Value::Sequence(s) => !s.is_empty(),
            _ => false,
        };
        if on_lines_below {
            out.push('\n');
            return block(value, indent + 2, out);
        }
        out.push(' ');
        scalar(value, out)?;
        out.push('\n');
        Ok(())
    }

    /// Writes a scalar or an empty collection in flow form.
    fn scalar(value: &Value, out: &mut String) -> Result<(), String> {
        match value {
            Value::Null => out.push_str("null"),
            Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
            Value::Number(n) => {
                let _ = write!(out, "{n}");
            }
            Value::String(s) => string(s, out),
            Value::Sequence(_) => out.push_str("[]"),
            Value::Mapping(_) => out.push_str("{}"),
            Value::Tagged(_) => return Err("a tagged value cannot be written".into()),
        }
        Ok(())
    }

    /// Writes `s` double-quoted, escaping what YAML 1.1 readers take for
    /// a line end (U+0085, U+2028, U+2029) and what they refuse raw
    /// (controls, U+FEFF, U+FFFE, U+FFFF).
    fn string(s: &str, out: &mut String) {
        out.push('"');
        for c in s.chars() {
            match c {
                '"' => out.push_str("\\\""),
                '\\' => out.push_str("\\\\"),
                '\n' => out.push_str("\\n"),
                '\t' => out.push_str("\\t"),
                ' '..='~' => out.push(c),
                '\u{a0}'..='\u{d7ff}' if c != '\u{2028}' && c != '\u{2029}' => out.push(c),
                '\u{e000}'..='\u{fffd}' if c != '\u{feff}' => out.push(c),
                '\u{10000}'.. => out.push(c),
                _ => {
                    let _ = write!(out, "\\u{:04x}", c as u32);
                }
            }
        }
        out.push('"');
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct T {
        n: i64,
    }

    #[test]
    fn untrusted_text_with_too_many_brackets_for_its_size_is_refused_unread() {
        #[derive(Debug, Deserialize)]
        #[allow(dead_code)]
        struct Any {
            a: serde_yaml::Value,
        }
        // Nested flow mappings: quadratic for the general parser.
        let deep = format!("x: 1\na: {}\n", "{a: ".repeat(5000));
        let err = from_untrusted_str::<Any>(&deep).unwrap_err();
        assert_eq!((err.line, err.col), (2, 4), "{err:?}");
        assert!(
            err.message.starts_with("5000 '[' or '{' in 20009 bytes"),
            "{err:?}"
        );
        // A flow list or two is read as ever, and so is trusted text.
        let fine = "a: {b: [1, 2], c: [x, y]}\n";
        assert!(from_untrusted_str::<Any>(fine).is_ok());
        assert!(
            from_str::<serde_yaml::Value>(&deep).is_err(),
            "read, then refused as too deep"
        );
    }

    #[test]
    fn brackets_inside_the_scalars_of_the_block_form_open_nothing() {
        let title = "[{".repeat(3000);
        // Front matter's shape (text, optional text and lists of text),
        // without front matter itself: YAML is below it, not beside it.
        #[derive(Debug, PartialEq, Serialize, Deserialize)]
        struct Written {
            title: Option<String>,
            summary: Option<String>,
            expansion: Option<String>,
            aliases: Vec<String>,
            #[serde(skip_serializing_if = "Vec::is_empty", default)]
            tags: Vec<String>,
        }
        let fm = Written {
            title: Some(format!("'{title}")),
            summary: Some(format!(" {title}\n{title}\n")),
            expansion: Some(format!("a{title}")),
            aliases: vec![format!("\"{title}\u{2028}x"), format!("\t{title}")],
            tags: vec![],
        };
        let written = to_string(&fm).unwrap();
        assert_eq!(flow_depth_bound(&written), 0, "{written}");
        let read: Written = from_untrusted_str(&written).unwrap();
        assert_eq!(read, fm);
        // Each form by hand, and the empty collections, which do open one.
        let forms = [
            "a: '[[ '' [[\n  [['\n",
            "a: \"[[ \\\" [[\\\n[[\"  \n",
            "a: x [[ {{ # [[\n",
            "a: |2-\n   [[\n\n  [[\n# [[\nb: >\n\n    [[\n    [[\n  # [[\n",
            "- x[[\n- '[['\n",
            "a:\n- x[[\n\n- '[['\n  # [[\n",
        ];
        for form in forms {
            assert_eq!(flow_depth_bound(form), 0, "{form:?}");
        }
        assert_eq!(flow_depth_bound("a: []\nb: {}\nc: '[['\n"), 1);
    }

    #[test]
    fn untrusted_text_too_long_for_the_budget_is_refused_even_without_brackets() {
        // Block form, so the bound is 0: only the length counts.
        let long = format!("a: |\n{}", "  x\n".repeat(FLOW_BUDGET / 4 + 1));
        assert_eq!(flow_depth_bound(&long), 0);
        let err = from_untrusted_str::<serde_yaml::Value>(&long).unwrap_err();
        assert_eq!((err.line, err.col), (1, 1), "{err:?}");
        assert_eq!(
            err.message,
            format!(
                "{} bytes: too long for the YAML parser to read in reasonable time",
                long.len()
            )
        );
    }

    #[test]
    fn brackets_that_may_open_collections_all_count() {
        // Flow collections themselves, and every text where a bracket
        // could be read as one: a plain scalar going on after `: `, a
        // line the block form has no place for, a block scalar ended by a
        // line less indented than its content, an unclosed quote.
        let texts = [
            "a: [[[\n",
            "a: {b: [c, [d]]}\n",
            "a: b: [[\n",
            "a: x\n  [[[\n",
            "a: |\n    x\n  [[[\n",
            "a: |2\n  x\n [[[\n",
            "a: |\n\n   \n  x[[[\n",
            "a: '[[[\n",
            "a: 'x' [[[\n",
            "- - [[[\n",
            "a: |0\n  [[[\n",
            "\ta: [[[\n",
            " a: '[[['\n",
            "? '[[['\n",
        ];
        for text in texts {
            let brackets = text.matches(['[', '{']).count();
            assert_eq!(flow_depth_bound(text), brackets, "{text:?}");
        }
    }

    #[test]
    fn errors_carry_the_yaml_line() {
        let err = from_str::<T>("\n\nn: many\n").unwrap_err();
        assert_eq!(err.line, 3);
        assert_eq!(
            err.message,
            "`n` must be a whole number, found the text \"many\""
        );
        assert!(!err.message.contains("at line"));
    }

    #[test]
    fn error_lines_count_newlines_only() {
        // Found by fuzzing: lone carriage returns put the error at line 4 of
        // a 2-line text, past the front matter's closing line.
        let err = from_str::<T>("\"\r\r\t\n").unwrap_err();
        assert_eq!((err.line, err.col), (2, 1), "{err:?}");
        let err = from_str::<T>("# c\u{2028}\u{85}\nn: many\n").unwrap_err();
        assert_eq!(err.line, 2, "{err:?}");
    }

    #[test]
    fn an_unclosed_quote_is_placed_by_newlines_too() {
        // libyaml counts NEL and U+2028 as line ends in the place it gives
        // for where the quote opened.
        type M = std::collections::BTreeMap<String, String>;
        let err = from_str::<M>("# c\u{2028}\u{85}\nb: \"open\nc: d\n").unwrap_err();
        assert_eq!((err.line, err.col), (2, 4), "{err:?}");
        assert_eq!(err.message, "this quote is never closed");
    }

    #[test]
    fn alias_bombs_are_refused_not_expanded() {
        let mut bomb = String::from("a: &a [x, x, x, x, x, x, x, x, x]\n");
        for i in 1..12 {
            let prev = (b'a' + (i - 1) as u8) as char;
            let cur = (b'a' + i as u8) as char;
            bomb.push_str(&format!("{cur}: &{cur} [*{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}]\n"));
        }
        let r = from_str::<serde_yaml::Value>(&bomb);
        assert!(r.is_err(), "an alias bomb must not be expanded");
    }

    #[derive(Debug, PartialEq, Deserialize, Serialize)]
    struct Doc {
        title: String,
        tags: Vec<String>,
        nested: std::collections::BTreeMap<String, Vec<String>>,
        n: i64,
        empty: Vec<String>,
    }

    #[test]
    fn line_and_paragraph_separators_are_written_escaped_in_whole_lines() {
        let cases = [
            "a\nb\u{2028}",
            "a\nb\u{2029}",
            "a\nb\u{2028}\u{2028}",
            "x\n\u{2028}",
            "a\u{2028}b",
            "\u{2028}[{\"\\\t\u{85}\u{feff}\u{1}\u{7f}\u{fffe} é 🙂",
        ];
        for title in cases {
            let doc = Doc {
                title: title.to_string(),
                tags: vec![title.to_string(), "yes".into()],
                nested: [("no".to_string(), vec![title.to_string()])].into(),
                n: -3,
                empty: vec![],
            };
            let text = to_string(&doc).unwrap();
            assert!(text.ends_with('\n'), "{text:?}");
            assert!(
                !text.contains(['\u{2028}', '\u{2029}', '\u{85}']),
                "{text:?}"
            );
            assert_eq!(from_str::<Doc>(&text), Ok(doc), "{text:?}");
            assert!(text.starts_with("title: \"") && text.contains("\ntags:\n- \""));
        }
    }

    #[test]
    fn text_without_separators_is_written_as_serde_yaml_writes_it() {
        let doc = Doc {
            title: "a\nb \u{85}".into(),
            tags: vec!["t".into()],
            nested: Default::default(),
            n: 1,
            empty: vec![],
        };
        assert_eq!(to_string(&doc), Ok(serde_yaml::to_string(&doc).unwrap()));
    }
}

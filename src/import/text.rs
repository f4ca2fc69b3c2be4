//! Small text helpers shared by the import stages: superscript footnote
//! markers, sentence ends, markdown-to-plain text and sentence splitting.
//!
//! They live apart from the stages so that the repair rules and the page
//! writer agree on what "a complete sentence" and "the plain text of a
//! paragraph" mean; the build computes paragraph ids from the same plain text.

/// The value of a superscript digit (`¹` → 1), if `c` is one.
pub fn superscript_digit(c: char) -> Option<u32> {
    match c {
        '⁰' => Some(0),
        '¹' => Some(1),
        '²' => Some(2),
        '³' => Some(3),
        '⁴' => Some(4),
        '⁵' => Some(5),
        '⁶' => Some(6),
        '⁷' => Some(7),
        '⁸' => Some(8),
        '⁹' => Some(9),
        _ => None,
    }
}

/// `text` with the bracket pairs that markdown would read as a link, a
/// reference or a wikilink (`[a](b)`, `[a][b]`, `[a]: b`, `[[a]]`) escaped:
/// the seed is text, and only the importer makes links. Other brackets
/// (`[...]`, `[sic]`) stay as they are.
pub fn inert_links(text: &str) -> String {
    if !text.contains(['[', ']']) {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len() + 8);
    let mut prev = '\0';
    for c in text.chars() {
        if (prev == ']' && matches!(c, '(' | '[' | ':')) || (prev == '[' && c == '[') {
            out.push('\\');
        }
        out.push(c);
        prev = c;
    }
    out
}

/// Plain `text` made fit to be a link's text: backslashes and brackets
/// escaped, or a title such as `Annex [draft` or `Annex] 2` would end the
/// link early or open another.
pub fn link_label(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 4);
    for c in text.chars() {
        if matches!(c, '\\' | '[' | ']') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// Markdown `text` made fit to be a link's text: its unescaped brackets
/// escaped, and a trailing lone backslash doubled so that it cannot escape
/// the link's closing bracket (for plain text, see [`link_label`]).
pub fn md_link_label(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 4);
    let mut backslashes = 0;
    for c in text.chars() {
        if matches!(c, '[' | ']') && backslashes % 2 == 0 {
            out.push('\\');
        }
        out.push(c);
        backslashes = if c == '\\' { backslashes + 1 } else { 0 };
    }
    if backslashes % 2 == 1 {
        out.push('\\');
    }
    out
}

/// Replaces every run of superscript digits (`¹⁵`) with a markdown footnote
/// reference (`[^15]`). A run too long for a note number is no marker (as in
/// [`leading_number`]) and stays as written. A `(` or `[` right after a
/// marker is escaped, or `[^1](x)` would be read as a link.
pub fn convert_markers(text: &str) -> String {
    /// Writes out the pending run; whether it became a marker.
    fn flush(out: &mut String, run: &mut String, number: &mut Option<u32>) -> bool {
        let mut marker = false;
        if !run.is_empty() {
            match number {
                Some(n) => {
                    out.push_str(&format!("[^{n}]"));
                    marker = true;
                }
                None => out.push_str(run),
            }
            run.clear();
        }
        *number = Some(0);
        marker
    }
    let mut out = String::with_capacity(text.len());
    let mut run = String::new();
    let mut number: Option<u32> = Some(0);
    for c in text.chars() {
        if let Some(d) = superscript_digit(c) {
            run.push(c);
            number = number.and_then(|n| n.checked_mul(10)?.checked_add(d));
            continue;
        }
        if flush(&mut out, &mut run, &mut number) && (c == '(' || c == '[') {
            out.push('\\');
        }
        out.push(c);
    }
    flush(&mut out, &mut run, &mut number);
    out
}

/// Splits a leading footnote number (`"¹⁵ Text"` or `"15 Text"`) off `line`.
/// Returns the number and the rest, trimmed.
pub fn leading_number(line: &str) -> Option<(u32, &str)> {
    let line = line.trim_start();
    let mut n: u32 = 0;
    let mut end = 0;
    for (i, c) in line.char_indices() {
        let d = c.to_digit(10).or_else(|| superscript_digit(c));
        match d {
            Some(d) if end == i => {
                n = n.checked_mul(10)?.checked_add(d)?;
                end = i + c.len_utf8();
            }
            _ => break,
        }
    }
    if end == 0 {
        return None;
    }
    let rest = &line[end..];
    if !rest.starts_with(char::is_whitespace) {
        return None;
    }
    Some((n, rest.trim()))
}

/// Closing characters that may follow the end of a sentence.
fn is_closer(c: char) -> bool {
    matches!(c, '*' | '_' | '’' | '”' | '"' | '\'' | ')' | '»')
        || superscript_digit(c).is_some()
        || c.is_whitespace()
}

/// Whether `text` ends like a finished paragraph (a full stop, question or
/// exclamation mark, colon or ellipsis, possibly followed by closing quotes,
/// emphasis markers or footnote markers). A paragraph that does not was cut
/// by a page break or a column.
pub fn ends_complete(text: &str) -> bool {
    let mut t = text;
    loop {
        t = t.trim_end_matches(is_closer);
        // A markdown footnote reference at the end counts as a closer too.
        if let Some(stripped) = t.strip_suffix(']') {
            if let Some(i) = stripped.rfind("[^") {
                if stripped[i + 2..].chars().all(|c| c.is_ascii_digit()) {
                    t = &stripped[..i];
                    continue;
                }
            }
        }
        break;
    }
    matches!(t.chars().last(), Some('.' | '!' | '?' | ':' | '…'))
}

/// Whether the first letter-or-digit of `text` (after emphasis markers and
/// opening quotes) is a lowercase letter: such a block continues a sentence.
pub fn starts_lowercase(text: &str) -> bool {
    text.chars()
        .find(|c| c.is_alphanumeric())
        .is_some_and(|c| c.is_lowercase())
}

/// Number of whitespace-separated words.
pub fn word_count(text: &str) -> usize {
    text.split_whitespace().count()
}

/// The plain text of a markdown paragraph as the build renders it: emphasis
/// markers dropped, link text kept without its URL, footnote references
/// removed, whitespace collapsed.
pub fn plain(markdown: &str) -> String {
    let mut out = String::with_capacity(markdown.len());
    let chars: Vec<char> = markdown.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c == '[' && chars.get(i + 1) == Some(&'^') {
            // The build drops footnote references from the plain text.
            if let Some(j) = chars[i..].iter().position(|&c| c == ']') {
                i += j + 1;
                continue;
            }
        }
        if c == ']' && chars.get(i + 1) == Some(&'(') {
            // The build keeps link text but not the URL.
            if let Some(j) = chars[i..].iter().position(|&c| c == ')') {
                i += j + 1;
                continue;
            }
        }
        if c == '[' && closes_as_link(&chars, i) {
            i += 1;
            continue;
        }
        if c == '*' || (c == '\\' && chars.get(i + 1).is_some_and(|c| c.is_ascii_punctuation())) {
            i += 1;
            continue;
        }
        out.push(c);
        i += 1;
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Whether the `[` at `i` opens an inline link `[text](url)`.
fn closes_as_link(chars: &[char], i: usize) -> bool {
    let mut depth = 0;
    for j in i..chars.len() {
        match chars[j] {
            '[' => depth += 1,
            ']' => {
                depth -= 1;
                if depth == 0 {
                    return chars.get(j + 1) == Some(&'(');
                }
            }
            _ => {}
        }
    }
    false
}

/// Text for comparisons: whitespace collapsed, smart quotes and dashes folded
/// to ASCII, emphasis markers dropped. Words and punctuation are kept, so real
/// loss still shows.
pub fn normalise(text: &str) -> String {
    let folded: String = text
        .chars()
        .filter(|&c| c != '*' && superscript_digit(c).is_none())
        .map(|c| match c {
            '‘' | '’' | '′' => '\'',
            '“' | '”' => '"',
            '–' | '—' | '‐' | '‑' => '-',
            c => c,
        })
        .collect();
    folded.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Splits plain text into sentences at `.`, `?` or `!` followed by a space
/// and a capital letter, digit or opening quote. Abbreviations such as
/// `i.e.` are followed by lowercase words and so do not split.
pub fn sentences(text: &str) -> Vec<String> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    let mut start = 0;
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if matches!(c, '.' | '?' | '!') {
            // A closing quote belongs to the sentence it ends.
            let mut j = i + 1;
            while j < chars.len() && matches!(chars[j], '’' | '”' | '"' | '\'' | ')' | '\u{E000}')
            {
                j += 1;
            }
            if j < chars.len() && chars[j] == ' ' {
                let next = chars.get(j + 1).copied().unwrap_or(' ');
                if next.is_uppercase()
                    || next.is_ascii_digit()
                    || matches!(next, '‘' | '“' | '"' | '\'' | '[')
                {
                    let s: String = chars[start..j].iter().collect();
                    if !s.trim().is_empty() {
                        out.push(s.trim().to_string());
                    }
                    start = j + 1;
                    i = j + 1;
                    continue;
                }
            }
        }
        i += 1;
    }
    let s: String = chars[start..].iter().collect();
    if !s.trim().is_empty() {
        out.push(s.trim().to_string());
    }
    out
}

/// 1-based line of the first occurrence of `needle` in `text` (0 if absent);
/// used to point diagnostics at a value in the decomposition file.
pub fn line_of(text: &str, needle: &str) -> usize {
    text.find(needle)
        .map_or(0, |i| text[..i].matches('\n').count() + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markers_become_footnote_references() {
        assert_eq!(convert_markers("missions.¹ Next"), "missions.[^1] Next");
        assert_eq!(
            convert_markers("security,¹⁴ laying"),
            "security,[^14] laying"
        );
        assert_eq!(convert_markers("end.⁵¹"), "end.[^51]");
        assert_eq!(
            inert_links("[a](b) [c][d] [e]: f [[g]] [...] In [an] x[^1] y"),
            "[a]\\(b) [c]\\[d] [e]\\: f [\\[g]] [...] In [an] x[^1] y"
        );
        // Found by fuzzing: `[^1](UKs)` is a link to `UKs`.
        assert_eq!(
            convert_markers("good.¹(UKs) and ²[a] but x(y)"),
            "good.[^1]\\(UKs) and [^2]\\[a] but x(y)"
        );
    }

    #[test]
    fn link_labels_escape_brackets_and_backslashes() {
        assert_eq!(link_label("Plain title"), "Plain title");
        assert_eq!(link_label("Annex [draft] 2\\"), "Annex \\[draft\\] 2\\\\");
        assert_eq!(md_link_label(r"A [b\] c]\(d) e\"), r"A \[b\] c\]\(d) e\\");
    }

    #[test]
    fn runs_too_long_for_a_note_number_stay_as_written() {
        // Found by review, reproduced through the import_text fuzz target:
        // ten or more superscript digits overflowed the note number (a panic
        // in debug builds, a wrong number otherwise).
        assert_eq!(convert_markers("x¹²³⁴⁵⁶⁷⁸⁹¹²³ y¹"), "x¹²³⁴⁵⁶⁷⁸⁹¹²³ y[^1]");
        assert_eq!(convert_markers("x⁴²⁹⁴⁹⁶⁷²⁹⁵"), "x[^4294967295]");
        assert_eq!(convert_markers("x⁴²⁹⁴⁹⁶⁷²⁹⁶"), "x⁴²⁹⁴⁹⁶⁷²⁹⁶");
    }

    #[test]
    fn leading_numbers_in_both_forms() {
        assert_eq!(
            leading_number("⁴² Interviews 12, 13."),
            Some((42, "Interviews 12, 13."))
        );
        assert_eq!(leading_number("5 NATO Human"), Some((5, "NATO Human")));
        assert_eq!(leading_number("1. Introduction"), None);
        assert_eq!(leading_number("Text"), None);
    }

    #[test]
    fn completeness_looks_through_closers() {
        assert!(ends_complete("It ended.¹"));
        assert!(ends_complete("**It ended.**³³"));
        assert!(ends_complete("as follows:"));
        assert!(ends_complete("ended.[^3]"));
        assert!(!ends_complete("that would put"));
        assert!(!ends_complete("and mitigating**"));
        assert!(!ends_complete("NATO-"));
    }

    #[test]
    fn plain_text_drops_markup_but_keeps_link_text() {
        assert_eq!(
            plain("A **bold** [link](../a.md#x) and *it*.[^12] End"),
            "A bold link and it. End"
        );
    }

    #[test]
    fn sentences_split_on_capitals_only() {
        assert_eq!(
            sentences("One, i.e. two. Three ‘four.’ Five"),
            vec!["One, i.e. two.", "Three ‘four.’", "Five"]
        );
    }
}

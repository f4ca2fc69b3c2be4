//! The one place that talks to the YAML crate.
//!
//! `serde_yaml` 0.9 is archived upstream; keeping every parse and every
//! serialisation behind these two functions means swapping it for another
//! crate touches this file only.

use serde::de::DeserializeOwned;
use serde::Serialize;

/// A YAML problem, located inside the YAML text that was parsed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct YamlError {
    /// 1-based line within the parsed text (0 if unknown).
    pub line: usize,
    /// 1-based column within the parsed text (0 if unknown).
    pub col: usize,
    /// The parser's message, without its own location suffix.
    pub message: String,
}

/// Parses `text` into `T`, reporting where in `text` it went wrong.
pub fn from_str<T: DeserializeOwned>(text: &str) -> Result<T, YamlError> {
    serde_yaml::from_str(text).map_err(|e| {
        // The parser also counts a lone `\r`, NEL and the Unicode line and
        // paragraph separators as line ends; editors and the rest of our
        // diagnostics count `\n` only, so locate by the byte offset instead.
        let (line, col) = e
            .location()
            .map_or((0, 0), |l| crate::diag::line_col(text, l.index()));
        YamlError {
            line,
            col,
            message: strip_location(&e.to_string()),
        }
    })
}

/// Serialises `value` as YAML (used to write front matter and manifests).
pub fn to_string<T: Serialize>(value: &T) -> Result<String, String> {
    serde_yaml::to_string(value).map_err(|e| e.to_string())
}

/// serde_yaml appends " at line L column C" to its messages; we print our own
/// file-relative location instead.
fn strip_location(message: &str) -> String {
    match message.find(" at line ") {
        Some(i) => message[..i].to_string(),
        None => message.to_string(),
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
    fn errors_carry_the_yaml_line() {
        let err = from_str::<T>("\n\nn: many\n").unwrap_err();
        assert_eq!(err.line, 3);
        assert!(err.message.contains("invalid type"), "{}", err.message);
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
}

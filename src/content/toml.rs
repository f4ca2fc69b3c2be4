//! The one place that reads TOML front matter (`+++` fences, as Zola and
//! Hugo write it), with the `toml` crate. Values reach the rest of the site
//! as JSON values, the form templates take (dates as text).

use std::collections::BTreeMap;

use serde::de::DeserializeOwned;

use crate::diag::line_col;

/// A TOML problem, located in the TOML text: 1-based line and column,
/// the message, and the key it is about when there is one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TomlError {
    /// 1-based line within the TOML text.
    pub line: usize,
    /// 1-based column within the TOML text (0 if unknown).
    pub col: usize,
    /// What is wrong, without a location.
    pub message: String,
}

/// The top-level keys of `text` and their values, in the order of the keys'
/// names, with a TOML syntax error located.
pub fn table(text: &str) -> Result<BTreeMap<String, serde_json::Value>, TomlError> {
    let table: toml::Table = toml::from_str(text).map_err(|e| {
        let (line, col) = e.span().map_or((1, 0), |s| line_col(text, s.start));
        TomlError {
            line,
            col,
            message: e.message().trim().to_string(),
        }
    })?;
    Ok(table.into_iter().map(|(k, v)| (k, json(v))).collect())
}

/// Reads `T` from the JSON form of a few keys, naming the key a problem is
/// about (serde's message alone does not).
pub fn typed<T: DeserializeOwned>(
    values: &serde_json::Map<String, serde_json::Value>,
) -> Result<T, (String, String)> {
    match serde_json::from_value(serde_json::Value::Object(values.clone())) {
        Ok(t) => Ok(t),
        Err(whole) => {
            // The key at fault: the first one that fails alone.
            for (k, v) in values {
                let one = serde_json::Map::from_iter([(k.clone(), v.clone())]);
                if let Err(e) = serde_json::from_value::<T>(serde_json::Value::Object(one)) {
                    return Err((k.clone(), e.to_string()));
                }
            }
            Err((String::new(), whole.to_string()))
        }
    }
}

/// A TOML value as JSON; a date or time becomes its text as written.
fn json(v: toml::Value) -> serde_json::Value {
    use serde_json::Value as J;
    match v {
        toml::Value::String(s) => J::String(s),
        toml::Value::Integer(i) => J::from(i),
        toml::Value::Float(f) => serde_json::Number::from_f64(f).map_or(J::Null, J::Number),
        toml::Value::Boolean(b) => J::Bool(b),
        toml::Value::Datetime(d) => J::String(d.to_string()),
        toml::Value::Array(a) => J::Array(a.into_iter().map(json).collect()),
        toml::Value::Table(t) => J::Object(t.into_iter().map(|(k, v)| (k, json(v))).collect()),
    }
}

/// The 1-based line and column of top-level key `key` of TOML `text`: a
/// line `key = …` (the name bare or quoted) before the first `[table]`.
pub fn key_position(text: &str, key: &str) -> Option<(usize, usize)> {
    for (n, line) in text.lines().enumerate() {
        let t = line.trim_start();
        if t.starts_with('[') {
            return None;
        }
        let Some((name, _)) = t.split_once('=') else {
            continue;
        };
        let name = name.trim_end();
        let unquoted = name
            .strip_prefix('"')
            .and_then(|n| n.strip_suffix('"'))
            .or_else(|| name.strip_prefix('\'').and_then(|n| n.strip_suffix('\'')))
            .unwrap_or(name);
        if unquoted == key {
            return Some((n + 1, line.len() - t.len() + 1));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_become_json_and_dates_text() {
        let t = table("title = \"A\"\nweight = 3\ndate = 2024-05-01\n[extra]\nx = [1, true]\n")
            .unwrap();
        assert_eq!(t["title"], "A");
        assert_eq!(t["weight"], 3);
        assert_eq!(t["date"], "2024-05-01");
        assert_eq!(t["extra"]["x"][1], true);
    }

    #[test]
    fn a_syntax_error_is_located() {
        let e = table("title = \"A\"\nweight = \n").unwrap_err();
        assert_eq!(e.line, 2, "{e:?}");
        assert!(!e.message.is_empty());
    }

    #[test]
    fn keys_are_found_before_the_first_table() {
        let text = "a = 1\n  \"b c\" = 2\n[t]\nd = 3\n";
        assert_eq!(key_position(text, "a"), Some((1, 1)));
        assert_eq!(key_position(text, "b c"), Some((2, 3)));
        assert_eq!(key_position(text, "d"), None);
    }
}

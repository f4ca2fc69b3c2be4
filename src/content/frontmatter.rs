//! Front matter: the `---` (YAML) or `+++` (TOML) block at the top of a
//! page, split off the markdown and parsed into a typed [`FrontMatter`].
//!
//! Keys dossier does not know are kept as `extra` (for templates) and listed
//! with their positions, every one of a file at once, for the build to
//! report at the level the site asks (a typo such as `titel:` should not
//! silently vanish). Every error is reported at its line in the *file*, not
//! in the block, so an editor can jump straight to it.

use serde::{Deserialize, Deserializer, Serialize};
use std::collections::BTreeMap;
use std::fmt;

use crate::content::{toml, yaml};

/// What a page is; decides its template, its index and its colour.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, Serialize, Default,
)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    /// A chapter of the report, read in `order`.
    Chapter,
    /// A theme the report discusses.
    Topic,
    /// An abbreviation; `title` is the acronym, `expansion` its long form.
    Acronym,
    /// Something the report asks for.
    Recommendation,
    /// A document the report cites.
    Source,
    /// An (anonymised) interview the report cites.
    Interview,
    /// Anything else (home, about).
    #[default]
    Page,
}

impl Kind {
    /// Every kind, in the order navigation lists them.
    pub const ALL: [Kind; 7] = [
        Kind::Chapter,
        Kind::Topic,
        Kind::Acronym,
        Kind::Recommendation,
        Kind::Source,
        Kind::Interview,
        Kind::Page,
    ];

    /// The name used in front matter, CSS classes and template names.
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Chapter => "chapter",
            Kind::Topic => "topic",
            Kind::Acronym => "acronym",
            Kind::Recommendation => "recommendation",
            Kind::Source => "source",
            Kind::Interview => "interview",
            Kind::Page => "page",
        }
    }

    /// Singular label for readers.
    pub fn label(self) -> &'static str {
        match self {
            Kind::Chapter => "Chapter",
            Kind::Topic => "Topic",
            Kind::Acronym => "Acronym",
            Kind::Recommendation => "Recommendation",
            Kind::Source => "Source",
            Kind::Interview => "Interview",
            Kind::Page => "Page",
        }
    }

    /// Title of this kind's index page.
    pub fn index_title(self) -> &'static str {
        match self {
            Kind::Chapter => "Chapters",
            Kind::Topic => "Topics",
            Kind::Acronym => "Glossary of acronyms",
            Kind::Recommendation => "Recommendations",
            Kind::Source => "Sources",
            Kind::Interview => "Interviews",
            Kind::Page => "Pages",
        }
    }

    /// Where this kind's generated index lives, relative to the site root;
    /// `None` for plain pages, which have no index.
    pub fn index_url(self) -> Option<&'static str> {
        match self {
            Kind::Chapter => Some("chapters/index.html"),
            Kind::Topic => Some("topics/index.html"),
            Kind::Acronym => Some("acronyms/index.html"),
            Kind::Recommendation => Some("recommendations/index.html"),
            Kind::Source => Some("sources/index.html"),
            Kind::Interview => Some("interviews/index.html"),
            Kind::Page => None,
        }
    }
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The typed front matter of a page. Every field is optional.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
pub struct FrontMatter {
    /// The page title (the acronym itself for acronym pages).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// What the page is.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<Kind>,
    /// Reading order within the kind; `weight` is accepted as Hugo and Zola write it.
    #[serde(
        default,
        alias = "weight",
        deserialize_with = "whole_number",
        skip_serializing_if = "Option::is_none"
    )]
    pub order: Option<i64>,
    /// Publication date, as written (e.g. `2026-07-01`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
    /// One or two sentences shown in lists and previews; `description` is
    /// accepted as Hugo, Zola and Obsidian write it.
    #[serde(
        default,
        alias = "description",
        skip_serializing_if = "Option::is_none"
    )]
    pub summary: Option<String>,
    /// Other names that wikilinks may use for this page: a list, or one
    /// name as text (as Obsidian writes a single alias).
    #[serde(
        default,
        deserialize_with = "one_or_many",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub aliases: Vec<String>,
    /// A page not built unless the build is asked for drafts.
    #[serde(default, skip_serializing_if = "is_false")]
    pub draft: bool,
    /// Long form of an acronym (acronym pages only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expansion: Option<String>,
    /// Who a recommendation asks to act (`NATO`, `Allied governments`…);
    /// the recommendations index groups its pages by it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub actor: Option<String>,
    /// Free-form tags.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<String>,
    /// Words written in capitals that are names, not acronyms (an
    /// organisation such as `PAX`): never reported as acronyms used but not
    /// defined, on any page of the site.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub names: Vec<String>,
    /// Pass the page's raw HTML through unescaped (its `<script>` runs);
    /// off unless the author opts in, and never written when off.
    #[serde(default, skip_serializing_if = "is_false")]
    pub raw_html: bool,
    /// How the page numbers its notes; never written when it is the default.
    #[serde(default, skip_serializing_if = "NoteNumbers::is_order")]
    pub note_numbers: NoteNumbers,
    /// A chapter's number as the report prints it: the title is shown as
    /// `3. Title` wherever the chapter is named in the site's own frame.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub number: Option<u32>,
    /// Who wrote the report (home page): for how to cite and the page head.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub authors: Vec<String>,
    /// Who published the report (home page).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub publisher: Option<String>,
    /// The publication date as the report states it (`July 2026`; home
    /// page); `date` keeps the machine-readable form.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub published: Option<String>,
    /// The address of the original PDF (home page; `http(s)` only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pdf: Option<String>,
    /// Every other key, with its value, for templates (`page.extra`); the
    /// entries of a table named `extra` (Zola's) are merged in.
    #[serde(skip)]
    pub extra: BTreeMap<String, serde_json::Value>,
}

/// A whole number; also one written with leading zeros (`weight: 01`),
/// which YAML reads as text and Hugo as the number.
fn whole_number<'de, D: Deserializer<'de>>(d: D) -> Result<Option<i64>, D::Error> {
    use serde::de::{Error, Unexpected};
    struct Whole;
    impl<'de> serde::de::Visitor<'de> for Whole {
        type Value = Option<i64>;
        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("i64")
        }
        fn visit_unit<E: Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_none<E: Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
            d.deserialize_any(self)
        }
        fn visit_i64<E: Error>(self, v: i64) -> Result<Self::Value, E> {
            Ok(Some(v))
        }
        fn visit_u64<E: Error>(self, v: u64) -> Result<Self::Value, E> {
            i64::try_from(v)
                .map(Some)
                .map_err(|_| E::invalid_value(Unexpected::Unsigned(v), &self))
        }
        fn visit_str<E: Error>(self, v: &str) -> Result<Self::Value, E> {
            let digits = v.strip_prefix(['+', '-']).unwrap_or(v);
            let zero_led = digits.len() > 1
                && digits.starts_with('0')
                && digits.bytes().all(|b| b.is_ascii_digit());
            match zero_led {
                true => v
                    .parse()
                    .map(Some)
                    .map_err(|_| E::invalid_value(Unexpected::Str(v), &self)),
                false => Err(E::invalid_type(Unexpected::Str(v), &self)),
            }
        }
    }
    d.deserialize_any(Whole)
}

/// A list of text, or one text as a list of one.
fn one_or_many<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<String>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged, expecting = "text or a list of text")]
    enum OneOrMany {
        One(String),
        Many(Vec<String>),
    }
    Ok(match Option::<OneOrMany>::deserialize(d)? {
        None => Vec::new(),
        Some(OneOrMany::One(s)) => vec![s],
        Some(OneOrMany::Many(v)) => v,
    })
}

fn is_false(b: &bool) -> bool {
    !*b
}

/// How a page numbers its footnotes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum NoteNumbers {
    /// 1, 2, 3 in the order notes are first referenced, whatever their
    /// labels, as GitHub and other CommonMark renderers number them: a page
    /// written for them reads the same here.
    #[default]
    Order,
    /// Each note shows its label as its number (`[^27]` is note 27), for a
    /// chapter of a longer work whose notes are numbered across chapters.
    /// Every label must then be a positive whole number of its own.
    Labels,
}

impl NoteNumbers {
    fn is_order(&self) -> bool {
        *self == NoteNumbers::Order
    }
}

/// A front matter problem, with its 1-based line and column in the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FrontMatterError {
    /// Line in the file.
    pub line: usize,
    /// Column in the file (0 if unknown).
    pub col: usize,
    /// What is wrong.
    pub message: String,
    /// How to fix it.
    pub hint: Option<String>,
}

/// A front matter key dossier does not know, kept in `extra`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownKey {
    /// The key as written.
    pub key: String,
    /// Where it stands: line and column in the file.
    pub line: usize,
    /// Column in the file (0 if unknown).
    pub col: usize,
}

impl UnknownKey {
    /// The message that reports it.
    pub fn message(&self) -> String {
        format!("front matter: unknown key `{}`", self.key)
    }

    /// The nearest known key, or the list of them.
    pub fn hint(&self) -> String {
        match crate::diag::nearest(&self.key, KEYS) {
            Some(near) => format!("did you mean `{near}`?"),
            None => format!("the keys are: {}", KEYS.join(", ")),
        }
    }
}

/// A file split into its front matter and its markdown body.
#[derive(Debug, Clone, PartialEq)]
pub struct Split<'a> {
    /// The parsed front matter (`None` when the file has none).
    pub front_matter: Option<FrontMatter>,
    /// The markdown after the closing `---`.
    pub body: &'a str,
    /// Byte offset of `body` within the file, for mapping positions to lines.
    pub body_offset: usize,
    /// What looks like front matter but is read as markdown text.
    pub warning: Option<FrontMatterError>,
    /// The keys dossier does not know, in the order written.
    pub unknown: Vec<UnknownKey>,
}

/// Splits `text` into front matter and body and parses the front matter.
///
/// Front matter starts with a first line of exactly `---` and ends at the next
/// line that is `---` or `...`. Front matter a step off that (see
/// `misplaced`) stays body, with a warning; lines ended by a lone `\r`
/// are refused.
pub fn split(text: &str) -> Result<Split<'_>, FrontMatterError> {
    let text_no_bom = text.strip_prefix('\u{feff}').unwrap_or(text);
    let bom = text.len() - text_no_bom.len();
    if let Some(after) = text_no_bom
        .strip_prefix("---")
        .map(|r| r.trim_start_matches([' ', '\t']))
        .filter(|r| r.starts_with('\r') && !r.starts_with("\r\n"))
    {
        // Every line below is one line to the split, and markdown would
        // take the block for a rule and a heading.
        return Err(FrontMatterError {
            line: 1,
            col: text_no_bom.len() - after.len() + 1,
            message: "front matter lines end in a carriage return alone (old Mac line endings)"
                .into(),
            hint: Some("save the file with LF (or CRLF) line endings".into()),
        });
    }
    let first_line_end = text_no_bom.find('\n').map_or(text_no_bom.len(), |i| i + 1);
    let fence = text_no_bom[..first_line_end].trim_end();
    if fence != "---" && fence != "+++" {
        return Ok(Split {
            front_matter: None,
            body: &text[bom..],
            body_offset: bom,
            warning: misplaced(text_no_bom),
            unknown: Vec::new(),
        });
    }
    let block_start = bom + first_line_end;
    let mut pos = block_start;
    let mut close = None;
    for line in text[block_start..].split_inclusive('\n') {
        let t = line.trim_end();
        if t == fence || (fence == "---" && t == "...") {
            close = Some((pos, pos + line.len()));
            break;
        }
        pos += line.len();
    }
    let Some((block_end, body_offset)) = close else {
        return Err(FrontMatterError {
            line: 1,
            col: 1,
            message: format!("unclosed front matter: no closing '{fence}' line"),
            hint: Some(format!(
                "end the front matter block with a line containing only {fence}"
            )),
        });
    };
    let block = &text[block_start..block_end];
    let (front_matter, unknown) = if block.trim().is_empty() {
        (FrontMatter::default(), Vec::new())
    } else if fence == "+++" {
        from_toml(block)?
    } else {
        from_yaml(block)?
    };
    Ok(Split {
        front_matter: Some(front_matter),
        body: &text[body_offset..],
        body_offset,
        warning: None,
        unknown,
    })
}

/// Whether `key` is one of front matter's own (or another name for one).
fn is_known(key: &str) -> bool {
    KEYS.contains(&key)
}

/// Front matter written in YAML, its unknown keys kept as `extra`. The
/// keys are found by a look at each line first: front matter with only
/// known keys is parsed once.
fn from_yaml(block: &str) -> Result<(FrontMatter, Vec<UnknownKey>), FrontMatterError> {
    let mut fm =
        yaml::from_untrusted_str::<FrontMatter>(block).map_err(|e| yaml_error(block, e))?;
    let keys = yaml::top_level_keys(block);
    if keys
        .as_ref()
        .is_some_and(|k| k.iter().all(|(k, _, _)| is_known(k)))
    {
        return Ok((fm, Vec::new()));
    }
    // Values YAML has but JSON has not (tags, keys that are not text)
    // leave `extra` empty; the keys are reported all the same.
    let values: BTreeMap<String, serde_json::Value> =
        yaml::from_untrusted_str(block).unwrap_or_default();
    let keys: Vec<(String, usize, usize)> = match keys {
        Some(keys) => keys
            .into_iter()
            .map(|(k, line, col)| (k.to_string(), line, col))
            .collect(),
        None => values.keys().map(|k| (k.clone(), 1, 0)).collect(),
    };
    let mut unknown = Vec::new();
    for (key, line, col) in keys {
        if is_known(&key) {
            continue;
        }
        if let Some(v) = values.get(&key) {
            keep_extra(&mut fm.extra, &key, v.clone());
        }
        if key != "extra" {
            unknown.push(UnknownKey {
                key,
                line: line + 1,
                col,
            });
        }
    }
    Ok((fm, unknown))
}

/// Front matter written in TOML (`+++`): the known keys read as in YAML,
/// the others kept as `extra`.
fn from_toml(block: &str) -> Result<(FrontMatter, Vec<UnknownKey>), FrontMatterError> {
    let values = toml::table(block).map_err(|e| FrontMatterError {
        line: e.line + 1,
        col: e.col,
        message: format!("front matter: {}", e.message),
        hint: Some("front matter between +++ lines is TOML: key = \"value\"".into()),
    })?;
    let mut known = serde_json::Map::new();
    let mut extra = BTreeMap::new();
    let mut unknown = Vec::new();
    for (key, value) in values {
        if is_known(&key) {
            known.insert(key, value);
            continue;
        }
        if key == "taxonomies" && !known.contains_key("tags") {
            if let Some(tags) = value.get("tags") {
                known.insert("tags".into(), tags.clone());
            }
        }
        keep_extra(&mut extra, &key, value);
        if key != "extra" {
            let (line, col) = toml::key_position(block, &key).unwrap_or((0, 0));
            unknown.push(UnknownKey {
                key,
                line: line + 1,
                col,
            });
        }
    }
    let mut fm: FrontMatter = toml::typed(&known).map_err(|(key, message)| {
        let (line, col) = toml::key_position(block, &key).unwrap_or((0, 0));
        FrontMatterError {
            line: line + 1,
            col,
            message: format!("front matter: `{key}`: {message}"),
            hint: key_hint(&key),
        }
    })?;
    fm.extra = extra;
    unknown.sort_by_key(|u| (u.line, u.col));
    Ok((fm, unknown))
}

/// Keeps `value` under `key` for templates; a table named `extra` (Zola's
/// custom values) gives its own entries.
fn keep_extra(
    extra: &mut BTreeMap<String, serde_json::Value>,
    key: &str,
    value: serde_json::Value,
) {
    match value {
        serde_json::Value::Object(table) if key == "extra" => extra.extend(table),
        value => {
            extra.insert(key.to_string(), value);
        }
    }
}

/// The keys front matter takes (`weight` is `order` by another name,
/// `description` is `summary`).
pub const KEYS: [&str; 20] = [
    "title",
    "kind",
    "order",
    "weight",
    "date",
    "summary",
    "description",
    "aliases",
    "draft",
    "expansion",
    "actor",
    "tags",
    "names",
    "raw_html",
    "note_numbers",
    "number",
    "authors",
    "publisher",
    "published",
    "pdf",
];

/// Front matter one step off the first line of `text` (after any BOM):
/// after blank lines, indented, or between lines of more than three
/// dashes. Markdown reads it as a rule and text; the warning says so when
/// it really is front matter: a closing line of dashes (or `...`) and
/// between them a mapping with a key front matter takes. A rule followed
/// by ordinary text is left alone.
fn misplaced(text: &str) -> Option<FrontMatterError> {
    let mut lines = text.split_inclusive('\n').enumerate();
    let (n, first) = lines.find(|(_, l)| !l.trim().is_empty())?;
    let fence = first.trim();
    let is_fence = |t: &str| t.len() >= 3 && t.bytes().all(|b| b == b'-');
    if !is_fence(fence) {
        return None;
    }
    let indent = first.len() - first.trim_start().len();
    let hint = if fence.len() > 3 {
        "front matter starts and ends with a line of exactly three dashes: ---"
    } else if n > 0 {
        "front matter must start on the first line: remove the blank lines above `---`"
    } else if indent > 0 {
        "front matter must start on the first line: remove the spaces before `---`"
    } else {
        return None;
    };
    let start: usize = text.split_inclusive('\n').take(n + 1).map(str::len).sum();
    let mut end = start;
    for line in lines.map(|(_, l)| l) {
        if is_fence(line.trim()) || line.trim() == "..." {
            break;
        }
        end += line.len();
    }
    if end == text.len() {
        return None;
    }
    let keys: std::collections::BTreeMap<String, serde::de::IgnoredAny> =
        yaml::from_untrusted_str(&text[start..end]).ok()?;
    if !keys.keys().any(|k| KEYS.contains(&k.as_str())) {
        return None;
    }
    Some(FrontMatterError {
        line: n + 1,
        col: indent + 1,
        message: "this looks like front matter, but is read as markdown text".into(),
        hint: Some(hint.into()),
    })
}

/// A YAML error in the front matter, located in the file (the YAML starts
/// on its line 2), with what front matter knows beyond the parser: how
/// each key is written, and that `weight` is `order` by another name.
fn yaml_error(yaml_text: &str, mut e: yaml::YamlError) -> FrontMatterError {
    if let yaml::About::Repeated { key, mapping } = &e.about {
        let by_both_names =
            key == "order" && yaml::repeated_key(yaml_text, *mapping, &["order"]).is_none();
        if let Some((line, col)) = by_both_names
            .then(|| yaml::repeated_key(yaml_text, *mapping, &["order", "weight"]))
            .flatten()
        {
            (e.line, e.col) = (line, col);
            e.message = "`order` is set twice (`weight` is another name for it)".into();
            e.hint = Some("keep one of the `order:` and `weight:` lines".into());
        }
    }
    let hint = e.hint.clone().or_else(|| hint_for(&e));
    let (line, col) = if e.line == 0 {
        (1, 0)
    } else {
        (e.line + 1, e.col)
    };
    FrontMatterError {
        line,
        col,
        message: format!("front matter: {}", e.message),
        hint,
    }
}

/// How to write the key a wrong value was given to.
fn hint_for(e: &yaml::YamlError) -> Option<String> {
    if let yaml::About::WrongType(key) = &e.about {
        return key_hint(key);
    }
    e.message
        .contains("too many for the YAML parser")
        .then(|| "write lists one item per line (- item) and keep front matter short".into())
}

/// How to write `key`'s value right.
fn key_hint(key: &str) -> Option<String> {
    match key {
        "order" | "weight" => Some(format!(
            "write a whole number without quotes, e.g. {key}: 3"
        )),
        "raw_html" => Some("write true or false without quotes, e.g. raw_html: true".into()),
        "note_numbers" => Some("note_numbers is order or labels, e.g. note_numbers: labels".into()),
        "kind" => Some(format!(
            "kind is one of: {}",
            Kind::ALL.map(Kind::as_str).join(", ")
        )),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Hugo's docs write `weight: 01`, which YAML reads as text: the number
    /// Hugo reads. A number in quotes stays a mistake; no value is no order.
    #[test]
    fn a_weight_with_leading_zeros_is_its_number() {
        let order = |yaml: &str| {
            split(&format!("---\n{yaml}\n---\n"))
                .map(|s| s.front_matter.unwrap().order)
                .map_err(|e| e.message)
        };
        assert_eq!(order("weight: 01"), Ok(Some(1)));
        assert_eq!(order("order: -007"), Ok(Some(-7)));
        assert_eq!(order("weight:"), Ok(None));
        assert!(order("weight: \"7\"").is_err());
        assert!(order("weight: 01a").is_err());
    }

    #[test]
    fn splits_and_parses_typed_fields() {
        let s =
            split("---\ntitle: A\nkind: topic\nweight: 3\naliases: [B, C]\n---\n# Body\n").unwrap();
        let fm = s.front_matter.unwrap();
        assert_eq!(fm.title.as_deref(), Some("A"));
        assert_eq!(fm.kind, Some(Kind::Topic));
        assert_eq!(fm.order, Some(3), "weight is an alias of order");
        assert_eq!(fm.aliases, ["B", "C"]);
        assert_eq!(s.body, "# Body\n");
        assert_eq!(
            s.body_offset,
            "---\ntitle: A\nkind: topic\nweight: 3\naliases: [B, C]\n---\n".len()
        );
    }

    #[test]
    fn no_front_matter_is_all_body() {
        let s = split("# Title\ntext\n").unwrap();
        assert!(s.front_matter.is_none());
        assert_eq!(s.body, "# Title\ntext\n");
    }

    #[test]
    fn unclosed_block_is_an_error_at_line_one() {
        let e = split("---\ntitle: A\n# no end\n").unwrap_err();
        assert_eq!(e.line, 1);
        assert!(e.message.contains("unclosed"));
    }

    #[test]
    fn yaml_errors_point_at_the_file_line() {
        let e = split("---\ntitle: A\norder: many\n---\n").unwrap_err();
        assert_eq!(e.line, 3, "{e:?}");
        assert!(e.hint.unwrap().contains("whole number"));
        let u = split("---\ntitle: A\n\ntitel: B\n---\n").unwrap().unknown;
        assert_eq!((u[0].line, u[0].col), (4, 1), "{u:?}");
        assert_eq!(u[0].message(), "front matter: unknown key `titel`");
        let e = split("---\ntitle: [unclosed\n---\n").unwrap_err();
        assert_eq!((e.line, e.col), (2, 8), "{e:?}");
    }

    #[test]
    fn unknown_kind_is_rejected_with_the_list() {
        let e = split("---\nkind: essay\n---\n").unwrap_err();
        assert_eq!(e.line, 2);
        assert!(e.message.contains("one of chapter, topic"), "{e:?}");
    }

    #[test]
    fn raw_html_is_an_unquoted_boolean_and_off_by_default() {
        let fm = |t: &str| split(t).map(|s| s.front_matter.unwrap_or_default());
        assert!(!fm("---\ntitle: A\n---\n").unwrap().raw_html);
        assert!(fm("---\nraw_html: true\n---\n").unwrap().raw_html);
        assert!(!fm("---\nraw_html: false\n---\n").unwrap().raw_html);
        for bad in ["\"yes\"", "yes", "1"] {
            let e = fm(&format!("---\ntitle: A\nraw_html: {bad}\n---\n")).unwrap_err();
            assert_eq!((e.line, e.col), (3, 11), "{bad}: {e:?}");
            assert!(
                e.message
                    .starts_with("front matter: `raw_html` must be true or false, found "),
                "{e:?}"
            );
            assert!(
                e.hint.unwrap().contains("true or false without quotes"),
                "{bad}"
            );
        }
        // Written front matter (`dossier new`, the importer) never has the key.
        let yaml = yaml::to_string(&FrontMatter::default()).unwrap();
        assert!(!yaml.contains("raw_html"), "{yaml}");
    }

    #[test]
    fn note_numbers_is_order_or_labels_and_written_only_as_labels() {
        let fm = |t: &str| split(t).map(|s| s.front_matter.unwrap_or_default());
        assert_eq!(
            fm("---\ntitle: A\n---\n").unwrap().note_numbers,
            NoteNumbers::Order
        );
        assert_eq!(
            fm("---\nnote_numbers: labels\n---\n").unwrap().note_numbers,
            NoteNumbers::Labels
        );
        assert_eq!(
            fm("---\nnote_numbers: order\n---\n").unwrap().note_numbers,
            NoteNumbers::Order
        );
        let e = fm("---\ntitle: A\nnote_numbers: report\n---\n").unwrap_err();
        assert_eq!(e.line, 3, "{e:?}");
        assert_eq!(
            e.message,
            "front matter: `note_numbers` must be one of order, labels; found `report`"
        );
        let yaml = yaml::to_string(&FrontMatter::default()).unwrap();
        assert!(!yaml.contains("note_numbers"), "{yaml}");
        let labels = FrontMatter {
            note_numbers: NoteNumbers::Labels,
            ..Default::default()
        };
        let yaml = yaml::to_string(&labels).unwrap();
        assert_eq!(yaml.trim(), "note_numbers: labels");
    }

    /// Front matter as the importer writes it reads back the same, even
    /// when a value ends in a character libyaml's emitter takes for a line
    /// end, and stays in the block form the bracket budget knows.
    #[test]
    fn written_front_matter_with_unicode_line_ends_reads_back() {
        for title in ["a\nb\u{2028}", "a\n[b]\u{2029}\u{2029}", "\u{2028}"] {
            let alone = FrontMatter {
                title: Some(title.into()),
                ..FrontMatter::default()
            };
            let among = FrontMatter {
                title: Some(title.into()),
                kind: Some(Kind::Topic),
                aliases: vec!["[x]".into(), title.into()],
                ..FrontMatter::default()
            };
            for fm in [alone, among] {
                let yaml = yaml::to_string(&fm).unwrap();
                assert!(!yaml.contains(['\u{2028}', '\u{2029}']), "{yaml}");
                assert!(yaml::flow_depth_bound(&yaml) <= 1, "{yaml}");
                let page = format!("---\n{yaml}---\nbody\n");
                let s = split(&page).unwrap_or_else(|e| panic!("{e:?}\n{page}"));
                assert_eq!(s.front_matter.as_ref(), Some(&fm), "{page}");
                assert_eq!(s.body, "body\n");
            }
        }
    }

    /// `(line, col, message, hint)` of the error `split` gives for a page
    /// with front matter `yaml`.
    fn problem(yaml: &str) -> (usize, usize, String, String) {
        let e = split(&format!("---\n{yaml}---\nBody\n")).unwrap_err();
        (e.line, e.col, e.message, e.hint.unwrap_or_default())
    }

    /// A wrong type names the key, what it must be and what was found, in
    /// words that never contradict each other (no "integer 7, expected i64").
    #[test]
    fn type_errors_say_what_the_key_must_be_and_what_was_found() {
        let cases = [
            (
                "weight: 7.5\n",
                2,
                9,
                "`weight` must be a whole number, found 7.5",
            ),
            (
                "weight: \"7\"\n",
                2,
                9,
                "`weight` must be a whole number, found the text \"7\" (in quotes)",
            ),
            (
                "order: 9223372036854775808\n",
                2,
                8,
                "`order` must be a whole number from -9223372036854775808 to \
                 9223372036854775807, found 9223372036854775808",
            ),
            (
                "order: true\n",
                2,
                8,
                "`order` must be a whole number, found true",
            ),
            (
                "tags: x\n",
                2,
                7,
                "`tags` must be a list, found the text \"x\"",
            ),
            ("title: [a]\n", 2, 8, "`title` must be text, found a list"),
            (
                "title: {a: b}\n",
                2,
                8,
                "`title` must be text, found key: value pairs",
            ),
            (
                "tags: [a, [b]]\n",
                2,
                11,
                "item 2 of `tags` must be text, found a list",
            ),
            (
                "raw_html: yes\n",
                2,
                11,
                "`raw_html` must be true or false, found the text \"yes\"",
            ),
            (
                "raw_html: 1\n",
                2,
                11,
                "`raw_html` must be true or false, found 1",
            ),
            (
                "kind: [a]\n",
                2,
                7,
                "`kind` must be a single word, found a list",
            ),
            ("- a\n", 2, 1, "expected key: value pairs, found a list"),
        ];
        for (yaml, line, col, message) in cases {
            let (l, c, m, _) = problem(yaml);
            assert_eq!(
                (l, c, m.as_str()),
                (line, col, &*format!("front matter: {message}"))
            );
        }
        // Each key's hint shows it written right.
        assert_eq!(
            problem("order: 7.5\n").3,
            "write a whole number without quotes, e.g. order: 3"
        );
        assert_eq!(
            problem("raw_html: yes\n").3,
            "write true or false without quotes, e.g. raw_html: true"
        );
        assert!(problem("kind: [a]\n").3.contains("chapter, topic"));
    }

    #[test]
    fn a_repeated_key_is_reported_at_its_second_line() {
        let (line, col, message, hint) = problem("title: A\nkind: topic\ntitle: B\n");
        assert_eq!((line, col), (4, 1));
        assert_eq!(message, "front matter: `title` is set twice");
        assert_eq!(hint, "keep one of the two `title:` lines");
        // `weight` is another name for `order`: setting both is setting it twice.
        let (line, col, message, _) = problem("weight: 1\ntitle: A\norder: 2\n");
        assert_eq!((line, col), (4, 1));
        assert_eq!(
            message,
            "front matter: `order` is set twice (`weight` is another name for it)"
        );
    }

    #[test]
    fn an_unclosed_quote_or_bracket_is_reported_where_it_opens() {
        let (line, col, message, hint) = problem("title: \"Water\nkind: topic\n");
        assert_eq!((line, col), (2, 8));
        assert_eq!(message, "front matter: this quote is never closed");
        assert_eq!(
            hint,
            "end the value with a closing \", e.g. title: \"Water\""
        );
        let (line, col, _, hint) = problem("summary: ok\ntitle: 'Water\n");
        assert_eq!((line, col), (3, 8));
        assert_eq!(hint, "end the value with a closing ', e.g. title: 'Water'");
        let (line, col, message, hint) = problem("tags: [a, b\nkind: topic\n");
        assert_eq!((line, col), (2, 7));
        assert_eq!(message, "front matter: this `[` is never closed");
        assert_eq!(
            hint,
            "end the list with `]` on the same line, e.g. tags: [a, b]"
        );
        // A quote that is closed on a later line is YAML, not an error.
        let s = split("---\nsummary: \"a\n  b\"\n---\n").unwrap();
        assert_eq!(s.front_matter.unwrap().summary.as_deref(), Some("a b"));
    }

    #[test]
    fn a_colon_in_a_plain_value_suggests_quoting_it() {
        let (line, col, message, hint) = problem("kind: topic\ntitle: Water: security\n");
        assert_eq!((line, col), (3, 13));
        assert_eq!(message, "front matter: the value of `title` contains `: `");
        assert_eq!(hint, "put the value in quotes: title: \"Water: security\"");
        let (_, _, _, hint) = problem("title: Say \"no\": now\n");
        assert_eq!(hint, "put the value in quotes: title: 'Say \"no\": now'");
    }

    /// A quote that closes before the value ends: `'It's here'` ends at
    /// `It'`, and the rest cannot follow it.
    #[test]
    fn text_after_a_closing_quote_suggests_quoting_the_whole_value() {
        let (line, col, message, hint) = problem("kind: topic\ntitle: 'It's here'\n");
        assert_eq!((line, col), (3, 12));
        assert_eq!(
            message,
            "front matter: text follows the closing quote of `title`"
        );
        assert_eq!(
            hint,
            "put the whole value in quotes: title: \"It's here\" (inside '…', write ' as '')"
        );
        let (_, _, message, hint) = problem("title: \"No\" means no\n");
        assert_eq!(
            message,
            "front matter: text follows the closing quote of `title`"
        );
        assert_eq!(
            hint,
            "put the whole value in quotes: title: '\"No\" means no'"
        );
    }

    /// An indented key is more of the value above to YAML, so its `: `
    /// is out of place: the fix is the indentation, not quotes.
    #[test]
    fn an_indented_key_is_reported_as_such() {
        let (line, col, message, hint) = problem("title: A\n  kind: topic\n");
        assert_eq!((line, col), (3, 3));
        assert_eq!(
            message,
            "front matter: `kind` is indented, so it is read as more of the value above"
        );
        assert_eq!(hint, "start `kind:` at the beginning of its line");
    }

    /// `(line, col, message, hint)` of the first unknown key of a page
    /// with front matter `yaml`.
    fn unknown(yaml: &str) -> (usize, usize, String, String) {
        let page = format!("---\n{yaml}---\nBody\n");
        let s = split(&page).unwrap();
        let u = &s.unknown[0];
        (u.line, u.col, u.message(), u.hint())
    }

    #[test]
    fn an_unknown_key_suggests_the_nearest_known_one() {
        for (typo, key) in [
            ("titel", "title"),
            ("Title", "title"),
            ("weigth", "weight"),
            ("tag", "tags"),
            ("alias", "aliases"),
            ("raw-html", "raw_html"),
        ] {
            let (line, col, message, hint) = unknown(&format!("kind: topic\n{typo}: x\n"));
            assert_eq!((line, col), (3, 1), "{typo}");
            assert_eq!(message, format!("front matter: unknown key `{typo}`"));
            assert_eq!(hint, format!("did you mean `{key}`?"));
        }
        // Nothing near: the known keys, once.
        let (_, _, message, hint) = unknown("colour: blue\n");
        assert_eq!(message, "front matter: unknown key `colour`");
        assert_eq!(
            hint,
            "the keys are: title, kind, order, weight, date, summary, description, aliases, \
             draft, expansion, actor, tags, names, raw_html, note_numbers, number, authors, \
             publisher, published, pdf"
        );
        // The list the misplaced front matter check knows is serde's.
        assert_eq!(hint, format!("the keys are: {}", KEYS.join(", ")));
    }

    #[test]
    fn an_unknown_kind_suggests_the_nearest_one() {
        let (line, col, message, hint) = problem("kind: Topic\n");
        assert_eq!((line, col), (2, 7));
        assert_eq!(
            message,
            "front matter: `kind` must be one of chapter, topic, acronym, recommendation, \
             source, interview, page; found `Topic`"
        );
        assert_eq!(hint, "did you mean `topic`?");
        assert_eq!(problem("kind: essay\n").3, "");
        assert!(problem("kind: ''\n").2.ends_with("; found nothing"));
    }

    /// Front matter one step off the first line is markdown to the
    /// renderer (a rule and a heading): said, not shown silently.
    #[test]
    fn front_matter_not_on_the_first_line_is_reported() {
        let blank = "front matter must start on the first line: remove the blank lines above `---`";
        let spaces = "front matter must start on the first line: remove the spaces before `---`";
        let dashes = "front matter starts and ends with a line of exactly three dashes: ---";
        for (text, line, col, hint) in [
            ("\n---\ntitle: A\n---\nBody\n", 2, 1, blank),
            (
                "\u{feff}\n \n---\nkind: topic\nx: 1\n...\nBody\n",
                3,
                1,
                blank,
            ),
            ("  ---\ntitle: A\n---\nBody\n", 1, 3, spaces),
            ("----\ntitle: A\n----\nBody\n", 1, 1, dashes),
            ("-----\ntitle: A\nsummary: B\n---\n", 1, 1, dashes),
            ("\n----\nkind: topic\n----\n", 2, 1, dashes),
        ] {
            let s = split(text).unwrap();
            assert_eq!(s.front_matter, None, "{text:?}");
            let w = s
                .warning
                .unwrap_or_else(|| panic!("no warning for {text:?}"));
            assert_eq!((w.line, w.col), (line, col), "{text:?}");
            assert_eq!(
                w.message,
                "this looks like front matter, but is read as markdown text"
            );
            assert_eq!(w.hint.as_deref(), Some(hint), "{text:?}");
        }
        // A rule and text that is no front matter, or no closing line.
        for text in [
            "\n---\nSome text\n---\n",
            "\n---\nNote: this\n---\n",
            "----\n\nText: a\n",
            "\n---\ntitle: A\n",
            "Text\n---\ntitle: A\n---\n",
            "\n---\n---\n",
        ] {
            assert_eq!(split(text).unwrap().warning, None, "{text:?}");
        }
        assert_eq!(split("---\ntitle: A\n---\n").unwrap().warning, None);
    }

    #[test]
    fn front_matter_after_a_byte_order_mark_or_with_crlf_is_read() {
        for text in [
            "\u{feff}---\ntitle: A\n---\nBody\n",
            "---\r\ntitle: A\r\n---\r\nBody\r\n",
            "\u{feff}---\r\ntitle: A\r\nkind: topic\r\n---\r\nBody\r\n",
        ] {
            let s = split(text).unwrap();
            assert_eq!(
                s.front_matter.unwrap().title.as_deref(),
                Some("A"),
                "{text:?}"
            );
            assert!(s.body.starts_with("Body"), "{text:?}");
        }
    }

    /// Lines ended by a carriage return alone (old Mac files) are one line
    /// to the front matter reader: refused with what to do, not rendered.
    #[test]
    fn front_matter_with_carriage_returns_alone_is_an_error() {
        for text in ["---\rtitle: A\r---\rBody\r", "\u{feff}---\rtitle: A\r---\r"] {
            let e = split(text).unwrap_err();
            assert_eq!((e.line, e.col), (1, 4), "{text:?}");
            assert_eq!(
                e.message,
                "front matter lines end in a carriage return alone (old Mac line endings)"
            );
            assert_eq!(
                e.hint.as_deref(),
                Some("save the file with LF (or CRLF) line endings")
            );
        }
    }

    #[test]
    fn common_keys_of_other_tools_are_mapped_and_the_rest_kept_as_extra() {
        let s = split(
            "---\ndescription: D\naliases: Fold\ndraft: true\ncssclasses: [wide]\n\
             permalink: p\n---\nBody\n",
        )
        .unwrap();
        let fm = s.front_matter.unwrap();
        assert_eq!(fm.summary.as_deref(), Some("D"));
        assert_eq!(fm.aliases, ["Fold"], "one alias as text");
        assert!(fm.draft);
        assert_eq!(fm.extra["cssclasses"][0], "wide");
        assert_eq!(fm.extra["permalink"], "p");
        let keys: Vec<_> = s.unknown.iter().map(|u| (&*u.key, u.line)).collect();
        assert_eq!(keys, [("cssclasses", 5), ("permalink", 6)], "all at once");
        // Written front matter never has the new keys when they are unset.
        let yaml = yaml::to_string(&FrontMatter::default()).unwrap();
        assert!(!yaml.contains("draft"), "{yaml}");
    }

    #[test]
    fn toml_front_matter_between_plus_lines_is_read() {
        let text = "+++\ntitle = \"A\"\nweight = 2\ndate = 2024-05-01\ndescription = \"D\"\n\
                    slug = \"a\"\n[extra]\nx = 1\n+++\n# Body\n";
        let s = split(text).unwrap();
        let fm = s.front_matter.unwrap();
        assert_eq!(fm.title.as_deref(), Some("A"));
        assert_eq!(fm.order, Some(2));
        assert_eq!(fm.date.as_deref(), Some("2024-05-01"));
        assert_eq!(fm.summary.as_deref(), Some("D"));
        assert_eq!(fm.extra["slug"], "a");
        assert_eq!(fm.extra["x"], 1, "Zola's [extra] entries are merged in");
        assert_eq!(s.body, "# Body\n");
        assert_eq!(s.unknown.len(), 1);
        assert_eq!((s.unknown[0].line, s.unknown[0].col), (6, 1));
        let e = split("+++\ntitle = \"A\"\nweight = \"2\"\n+++\n").unwrap_err();
        assert_eq!(e.line, 3, "{e:?}");
        assert!(e.message.starts_with("front matter: `weight`: "), "{e:?}");
        let e = split("+++\ntitle = A\n+++\n").unwrap_err();
        assert_eq!(e.line, 2, "{e:?}");
    }

    #[test]
    fn empty_block_is_default_front_matter() {
        let s = split("---\n---\nbody").unwrap();
        assert_eq!(s.front_matter, Some(FrontMatter::default()));
        assert_eq!(s.body, "body");
    }
}

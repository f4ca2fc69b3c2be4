//! Front matter: the `---` block at the top of a page, split off the markdown
//! and parsed into a typed [`FrontMatter`].
//!
//! Unknown keys are rejected (a typo such as `titel:` should not silently
//! vanish), and every YAML error is reported at its line in the *file*, not in
//! the block, so an editor can jump straight to it.

use serde::{Deserialize, Serialize};
use std::fmt;

use crate::yaml;

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
#[serde(deny_unknown_fields)]
pub struct FrontMatter {
    /// The page title (the acronym itself for acronym pages).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// What the page is.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<Kind>,
    /// Reading order within the kind; `weight` is accepted as Hugo and Zola write it.
    #[serde(default, alias = "weight", skip_serializing_if = "Option::is_none")]
    pub order: Option<i64>,
    /// Publication date, as written (e.g. `2026-07-01`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
    /// One or two sentences shown in lists and previews.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub summary: Option<String>,
    /// Other names that wikilinks may use for this page.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub aliases: Vec<String>,
    /// Long form of an acronym (acronym pages only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expansion: Option<String>,
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
}

fn is_false(b: &bool) -> bool {
    !*b
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

/// A file split into its front matter and its markdown body.
#[derive(Debug, Clone, PartialEq)]
pub struct Split<'a> {
    /// The parsed front matter (`None` when the file has none).
    pub front_matter: Option<FrontMatter>,
    /// The markdown after the closing `---`.
    pub body: &'a str,
    /// Byte offset of `body` within the file, for mapping positions to lines.
    pub body_offset: usize,
}

/// Splits `text` into front matter and body and parses the front matter.
///
/// Front matter starts with a first line of exactly `---` and ends at the next
/// line that is `---` or `...`.
pub fn split(text: &str) -> Result<Split<'_>, FrontMatterError> {
    let text_no_bom = text.strip_prefix('\u{feff}').unwrap_or(text);
    let bom = text.len() - text_no_bom.len();
    let first_line_end = text_no_bom.find('\n').map_or(text_no_bom.len(), |i| i + 1);
    if text_no_bom[..first_line_end].trim_end() != "---" {
        return Ok(Split {
            front_matter: None,
            body: &text[bom..],
            body_offset: bom,
        });
    }
    let yaml_start = bom + first_line_end;
    let mut pos = yaml_start;
    let mut close = None;
    for line in text[yaml_start..].split_inclusive('\n') {
        let t = line.trim_end();
        if t == "---" || t == "..." {
            close = Some((pos, pos + line.len()));
            break;
        }
        pos += line.len();
    }
    let Some((yaml_end, body_offset)) = close else {
        return Err(FrontMatterError {
            line: 1,
            col: 1,
            message: "unclosed front matter: no closing '---' line".into(),
            hint: Some("end the front matter block with a line containing only ---".into()),
        });
    };
    let yaml_text = &text[yaml_start..yaml_end];
    let front_matter = if yaml_text.trim().is_empty() {
        FrontMatter::default()
    } else {
        // The YAML starts on file line 2.
        yaml::from_untrusted_str::<FrontMatter>(yaml_text).map_err(|e| {
            let (line, col) = if e.line == 0 {
                (1, 0)
            } else {
                (e.line + 1, e.col)
            };
            FrontMatterError {
                line,
                col,
                hint: hint_for(&e.message),
                message: format!("front matter: {}", e.message),
            }
        })?
    };
    Ok(Split {
        front_matter: Some(front_matter),
        body: &text[body_offset..],
        body_offset,
    })
}

fn hint_for(message: &str) -> Option<String> {
    if message.contains("unknown field") {
        Some(
            "known keys: title, kind, order (or weight), date, summary, aliases, expansion, tags, \
             names, raw_html"
                .into(),
        )
    } else if message.contains("unknown variant") {
        Some(
            "kind is one of: chapter, topic, acronym, recommendation, source, interview, page"
                .into(),
        )
    } else if message.starts_with("raw_html") {
        Some("raw_html is true or false (unquoted), e.g. raw_html: true".into())
    } else if message.contains("too many for the YAML parser") {
        Some("write lists one item per line (- item) and keep front matter short".into())
    } else if message.contains("order") || message.contains("i64") {
        Some("order is a whole number, e.g. order: 3".into())
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
        let e = split("---\ntitle: A\n\ntitel: B\n---\n").unwrap_err();
        assert_eq!(e.line, 4, "{e:?}");
        assert!(e.message.contains("unknown field `titel`"), "{}", e.message);
        let e = split("---\ntitle: [unclosed\n---\n").unwrap_err();
        assert!(e.line >= 2, "{e:?}");
    }

    #[test]
    fn unknown_kind_is_rejected_with_the_list() {
        let e = split("---\nkind: essay\n---\n").unwrap_err();
        assert_eq!(e.line, 2);
        assert!(e.hint.unwrap().contains("chapter, topic"));
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
                    .starts_with("front matter: raw_html: invalid type"),
                "{e:?}"
            );
            assert!(e.hint.unwrap().contains("true or false"), "{bad}");
        }
        // Written front matter (`dossier new`, the importer) never has the key.
        let yaml = yaml::to_string(&FrontMatter::default()).unwrap();
        assert!(!yaml.contains("raw_html"), "{yaml}");
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

    #[test]
    fn empty_block_is_default_front_matter() {
        let s = split("---\n---\nbody").unwrap();
        assert_eq!(s.front_matter, Some(FrontMatter::default()));
        assert_eq!(s.body, "body");
    }

    /// What the simple YAML reader accepts, it reads as the general parser
    /// does: lines drawn from keys and risky value pieces, compared
    /// wherever the simple reader takes them. Enough of them must be taken
    /// for the comparison to mean something.
    #[test]
    fn simple_yaml_reads_as_the_general_parser() {
        let keys = [
            "title",
            "kind",
            "order",
            "weight",
            "date",
            "summary",
            "aliases",
            "tags",
            "expansion",
            "raw_html",
            "other",
            "Title",
        ];
        // The first 30 make simple values; the rest mostly do not.
        let pieces = [
            "a",
            "Ab c",
            " ",
            "  ",
            "1",
            "0",
            "-",
            "-0",
            "-5",
            "007",
            "0x1",
            "1.5",
            "+",
            ".",
            "9223372036854775807",
            "99999999999999999999",
            "true",
            "false",
            "null",
            "~",
            "yes",
            "chapter",
            "topic",
            "Topic",
            "'",
            "\"",
            "[",
            "]",
            ", ",
            "é",
            "“",
            "\u{a0}",
            "''",
            ",",
            ":",
            ": ",
            "#",
            " #",
            "\t",
            "\r",
            "\u{85}",
            "\u{2028}",
            "\u{feff}",
            "\u{7f}",
            "&a",
            "*a",
            "!t",
            "\\",
            "{",
            "}",
            "|",
            ">",
            "%",
            "@",
            "`",
            "?",
            "\n",
            "\n  ",
        ];
        let same = |text: &str| {
            let simple = crate::yaml::from_simple::<FrontMatter>(text)?;
            let general = crate::yaml::from_str_general::<FrontMatter>(text);
            assert_eq!(general.as_ref(), Ok(&simple), "{text:?}");
            Some(simple)
        };
        // Escapes, quotes inside quotes, null and number spellings.
        for text in [
            "title: \"a\\tb\"\n",
            "title: \"\\\\\"\n",
            "title: 'It''s'\n",
            "title: '~'\ndate: ~\n",
            "title: 'null'\nsummary: null\n",
            "order: -0\n",
            "order: 007\n",
            "order: +3\n",
            "order: '3'\n",
            "tags: []\naliases: [ ]\n",
            "tags: [a,b , c d]\n",
            "tags: [a, b,]\n",
            "kind: topic\nkind: chapter\n",
            "raw_html: True\n",
        ] {
            same(text);
        }
        assert!(same("title: A\nkind: topic\nweight: 3\ntags: [x, y]\n").is_some());
        let mut rng = crate::testing::Rng::new(0x2545_F491_4F6C_DD1D);
        let mut taken = 0;
        for _ in 0..60_000 {
            let mut text = String::new();
            for _ in 0..1 + rng.next() % 4 {
                text.push_str(keys[rng.next() % keys.len()]);
                // Now and then no space after the colon: no mapping then.
                let colon = if rng.next().is_multiple_of(8) {
                    ":"
                } else {
                    ": "
                };
                text.push_str(colon);
                // Half the lines from the pieces a simple value is made of.
                let from = if rng.next().is_multiple_of(2) {
                    &pieces[..30]
                } else {
                    &pieces[..]
                };
                text.push_str(&rng.text(from, 6));
                text.push('\n');
            }
            taken += usize::from(same(&text).is_some());
        }
        assert!(taken > 2_000, "only {taken} texts were simple");
    }

    /// Every page of the repository's content reads the same either way,
    /// and most take the simple path (the report's front matter is simple).
    #[test]
    fn the_report_front_matter_is_simple_yaml() {
        let content = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("content");
        let (mut pages, mut simple) = (0, 0);
        for entry in walkdir::WalkDir::new(content) {
            let path = entry.unwrap().into_path();
            if path.extension().is_none_or(|e| e != "md") {
                continue;
            }
            let text = std::fs::read_to_string(&path).unwrap();
            let yaml = text
                .strip_prefix("---\n")
                .and_then(|t| t.split_once("\n---\n"))
                .map(|(y, _)| format!("{y}\n"))
                .unwrap();
            pages += 1;
            if let Some(fm) = crate::yaml::from_simple::<FrontMatter>(&yaml) {
                simple += 1;
                let general = crate::yaml::from_str_general::<FrontMatter>(&yaml);
                assert_eq!(general.as_ref(), Ok(&fm), "{}", path.display());
            }
        }
        assert!(
            pages > 100 && simple * 10 >= pages * 9,
            "{simple} of {pages}"
        );
    }
}

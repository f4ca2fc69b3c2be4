//! The decomposition file: the editor's facts about one report — which topics
//! and recommendations it has, their titles, and the phrases that find them in
//! the text. Data, not code, so that an editor can correct the decomposition
//! and another report can be imported with its own file.
//!
//! Parsed through [`crate::content::yaml`], guarded like front matter, into typed
//! structs that reject unknown keys; every problem is reported at its line
//! in the file.

use serde::Deserialize;
use std::path::Path;

use crate::content::yaml;
use crate::diag::{Diagnostic, Diagnostics};
use crate::slug::slugify;

/// The whole file.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Decomposition {
    /// One sentence describing the report (home page summary).
    #[serde(default)]
    pub summary: Option<String>,
    /// Start of the first back-cover block (everything from it on is contact
    /// information, not chapter text).
    #[serde(default)]
    pub back_matter_starts: Option<String>,
    /// File stems and summaries for the chapters, in order.
    #[serde(default)]
    pub chapters: Vec<ChapterSpec>,
    /// How many interviews the report rests on, and the phrase locating the
    /// paragraph that explains them.
    #[serde(default)]
    pub interviews: Option<InterviewSpec>,
    /// The topics.
    #[serde(default)]
    pub topics: Vec<TopicSpec>,
    /// The recommendations, in the order they get.
    #[serde(default)]
    pub recommendations: Vec<RecommendationSpec>,
    /// Words in capitals the report uses that are names, not acronyms of
    /// its glossary (organisations, document series): written to the home
    /// page's `names:`, so the build does not report them as undefined.
    #[serde(default)]
    pub names: Vec<String>,
    /// Boxes and sidebars: text the report sets apart from a chapter's flow
    /// under a heading of its own, and where each ends.
    #[serde(default)]
    pub boxes: Vec<BoxSpec>,
    /// The report's key findings, each a phrase finding the sentence to
    /// quote on the home page (with a link to its paragraph).
    #[serde(default)]
    pub key_findings: Vec<KeyFinding>,
    /// The words that open a photo's caption in the seed (`▲ Photo:`): the
    /// extraction keeps a caption but loses its photo, so such a paragraph
    /// is written as the photo's credit, set apart from the text.
    #[serde(default)]
    pub photo_captions: Vec<String>,
    /// Where the original PDF is published (an `http(s)` URL).
    #[serde(default)]
    pub pdf: Option<String>,
    /// The about page's title and summary, in the report's own terms.
    #[serde(default)]
    pub about: Option<AboutSpec>,
}

/// One box or sidebar. The seed gives its heading as a sub-heading, but not
/// where it ends: the extraction runs the text after it on as if it were
/// more of the box.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BoxSpec {
    /// The box's heading, as the seed prints it.
    pub title: String,
    /// The first words of the first block after the box. Without it the box
    /// runs to the next sub-heading or the end of its chapter.
    #[serde(default)]
    pub ends_before: Option<String>,
}

/// One key finding.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KeyFinding {
    /// Words of the sentence to quote, exactly as the chapter has them.
    pub phrase: String,
    /// How many sentences from that one on to quote (default 1).
    #[serde(default)]
    pub sentences: Option<usize>,
}

/// The about page (colophon, disclaimer and the like).
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AboutSpec {
    /// Page title.
    #[serde(default)]
    pub title: Option<String>,
    /// One sentence saying what the page holds.
    #[serde(default)]
    pub summary: Option<String>,
}

/// Naming of one chapter.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChapterSpec {
    /// File stem without the number (`introduction` → `01-introduction.md`).
    pub slug: String,
    /// One-sentence summary.
    #[serde(default)]
    pub summary: Option<String>,
}

/// The interviews.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InterviewSpec {
    /// Number of interviews (pages are made for 1..=count even if some are
    /// never cited).
    pub count: u32,
    /// A phrase in the paragraph describing the method.
    #[serde(default)]
    pub method: Option<String>,
    /// The report's word for its interviews (`anonymised`), put before
    /// "interviews" on the interview pages; none by default.
    #[serde(default)]
    pub qualifier: Option<String>,
    /// What a reader should know about how interviewees are named
    /// (`interviewees are referred to only by number`), added after the
    /// count on the interview pages; none by default.
    #[serde(default)]
    pub remark: Option<String>,
}

/// One topic.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TopicSpec {
    /// File stem.
    pub slug: String,
    /// Page title.
    pub title: String,
    /// Other names.
    #[serde(default)]
    pub aliases: Vec<String>,
    /// One sentence.
    pub summary: String,
    /// Phrases that identify the topic in chapter text (case-insensitive,
    /// whole words). Chapters link the first occurrence in each section.
    #[serde(default)]
    pub phrases: Vec<String>,
    /// A phrase inside the report's defining passage; the sentence holding it
    /// is quoted.
    pub definition: String,
    /// How many sentences from that one on to quote (default 1).
    #[serde(default)]
    pub sentences: Option<usize>,
    /// Quote only the clause (between semicolons or after a colon) that
    /// holds the phrase, for a topic defined inside a longer enumeration.
    #[serde(default)]
    pub clause: bool,
    /// What an opening pronoun of the quote ("It", "This") stands for,
    /// written in brackets in its place so that the quote stands alone.
    #[serde(default)]
    pub antecedent: Option<String>,
    /// Whom the report is quoting in that passage (an interviewee, a NATO
    /// document), named under the quote.
    #[serde(default)]
    pub quoting: Option<String>,
    /// Slugs of related topics.
    #[serde(default)]
    pub related: Vec<String>,
    /// Places where a phrase is used in another sense: the phrase with a few
    /// words around it, as the chapter has them (any case). A mention inside
    /// one is neither linked nor listed on the topic page.
    #[serde(default)]
    pub exclude: Vec<String>,
}

/// One recommendation.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RecommendationSpec {
    /// File stem.
    pub slug: String,
    /// Imperative title.
    pub title: String,
    /// A phrase, exactly as in the chapter's markdown, where the report makes
    /// the recommendation; it becomes the link to this page.
    pub phrase: String,
    /// Other places (exact phrases) where the report argues for it; each
    /// is linked to this page too.
    #[serde(default)]
    pub also: Vec<String>,
    /// Who the report asks to act (`NATO`, `Allied governments`, `NGOs`…);
    /// the recommendations are grouped by it.
    #[serde(default)]
    pub actor: Option<String>,
    /// How many sentences before the one holding `phrase` to quote too, when
    /// that one only makes sense after them (default 0).
    #[serde(default)]
    pub before: Option<usize>,
    /// What an opening pronoun of the quote stands for, as for topics.
    #[serde(default)]
    pub antecedent: Option<String>,
    /// Why, in the editor's words drawn from the report.
    pub rationale: String,
    /// Slugs of the topics it touches.
    #[serde(default)]
    pub topics: Vec<String>,
}

/// Parses and checks a decomposition file's text; `path` names it in errors.
pub fn parse(path: &Path, text: &str) -> Result<Decomposition, Diagnostics> {
    // The file may come from anyone with the seed (a pull request): the
    // same guard against deep flow nesting as front matter.
    let d: Decomposition = yaml::from_untrusted_str(text).map_err(|e| {
        let hint = e.hint.unwrap_or_else(|| {
            if e.message.contains("too many for the YAML parser") {
                "write lists one item per line (- item)".into()
            } else {
                "keys: summary, back_matter_starts, names, chapters, interviews, topics, \
                 recommendations, boxes, key_findings, photo_captions, pdf, about"
                    .into()
            }
        });
        Diagnostic::error(path, e.line, e.col, format!("decomposition: {}", e.message))
            .with_hint(hint)
    })?;
    let mut diags = Diagnostics::new();
    let topic_slugs: Vec<&str> = d.topics.iter().map(|t| t.slug.as_str()).collect();
    let mut seen = std::collections::BTreeSet::new();
    let slugs = d
        .topics
        .iter()
        .map(|t| ("topic", &t.slug))
        .chain(
            d.recommendations
                .iter()
                .map(|r| ("recommendation", &r.slug)),
        )
        .chain(d.chapters.iter().map(|c| ("chapter", &c.slug)));
    for (what, slug) in slugs {
        let line = text::line_of_key(text, slug);
        if slugify(slug) != *slug {
            diags.push(
                Diagnostic::error(path, line, 0, format!("{what} slug '{slug}' is not a slug"))
                    .with_hint(format!("use '{}'", slugify(slug))),
            );
        }
        if !seen.insert((what, slug.clone())) {
            diags.push(Diagnostic::error(
                path,
                line,
                0,
                format!("{what} slug '{slug}' is used twice"),
            ));
        }
    }
    let unknown_topic = |slug: &str, diags: &mut Diagnostics| {
        if !topic_slugs.contains(&slug) {
            diags.push(
                Diagnostic::error(
                    path,
                    text::line_of_key(text, slug),
                    0,
                    format!("unknown topic '{slug}'"),
                )
                .with_hint("name a topic slug defined under topics:"),
            );
        }
    };
    for t in &d.topics {
        for r in &t.related {
            unknown_topic(r, &mut diags);
        }
    }
    for r in &d.recommendations {
        for t in &r.topics {
            unknown_topic(t, &mut diags);
        }
    }
    if let Some(pdf) = &d.pdf {
        // Written into every page's head and linked from the home page: an
        // address on the web, never a script or a local path.
        if !matches!(crate::url::scheme(pdf).as_deref(), Some("http" | "https")) {
            diags.push(
                Diagnostic::error(
                    path,
                    text::line_of_key(text, pdf),
                    0,
                    format!("pdf '{pdf}' is not an http(s) address"),
                )
                .with_hint("write the PDF's full address, e.g. https://example.org/report.pdf"),
            );
        }
    }
    if diags.has_errors() {
        Err(diags)
    } else {
        Ok(d)
    }
}

/// Line of the first place `value` is written in the decomposition file as a
/// whole scalar (after `key: `, `- `, in quotes or in a flow list), else of
/// its first occurrence anywhere; 0 if absent. Diagnostics about a value
/// point at its line.
pub fn value_line(text: &str, value: &str) -> usize {
    match text::line_of_key(text, value) {
        0 => crate::import::text::line_of(text, value),
        n => n,
    }
}

mod text {
    /// Line of the first place `value` is written in the YAML, as a plain or
    /// quoted scalar; 0 if not found.
    pub fn line_of_key(text: &str, value: &str) -> usize {
        for (i, line) in text.lines().enumerate() {
            let l = line.trim();
            if l.ends_with(&format!(": {value}"))
                || l.ends_with(&format!("- {value}"))
                || l.contains(&format!("\"{value}\""))
                || l.contains(&format!("'{value}'"))
                || l.contains(&format!(" {value},"))
                || l.contains(&format!("[{value}"))
                || l.contains(&format!(" {value}]"))
            {
                return i + 1;
            }
        }
        0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_typed_topics_and_recommendations() {
        let y = "topics:\n  - slug: resilience\n    title: Resilience\n    summary: S.\n    phrases: [resilience]\n    definition: national resilience\nrecommendations:\n  - slug: do-it\n    title: Do it\n    phrase: do it\n    rationale: Because.\n    topics: [resilience]\n";
        let d = parse(Path::new("d.yaml"), y).unwrap();
        assert_eq!(d.topics[0].slug, "resilience");
        assert_eq!(d.recommendations[0].topics, ["resilience"]);
    }

    #[test]
    fn key_findings_pdf_and_about_are_read_and_a_pdf_must_be_on_the_web() {
        let y = "key_findings:\n  - phrase: Civilians matter\n    sentences: 2\npdf: https://example.org/r.pdf\nabout:\n  title: About\n  summary: Who made it.\n";
        let d = parse(Path::new("d.yaml"), y).unwrap();
        assert_eq!(d.key_findings[0].phrase, "Civilians matter");
        assert_eq!(d.key_findings[0].sentences, Some(2));
        assert_eq!(d.pdf.as_deref(), Some("https://example.org/r.pdf"));
        assert_eq!(d.about.unwrap().summary.as_deref(), Some("Who made it."));
        let e = parse(Path::new("d.yaml"), "pdf: javascript:alert(1)\n").unwrap_err();
        assert!(
            e.iter()
                .any(|d| d.message.contains("not an http(s) address")),
            "{e:?}"
        );
    }

    #[test]
    fn unknown_keys_are_errors_at_their_line() {
        let y = "topics:\n  - slug: a\n    title: A\n    summary: S.\n    definition: x\n    colour: red\n";
        let e = parse(Path::new("d.yaml"), y).unwrap_err();
        let d = &e.clone().sorted()[0];
        assert_eq!(d.line, 6, "{d}");
        assert!(d.to_string().starts_with("d.yaml:6:"), "{d}");
        assert!(d.message.contains("colour"));
    }

    #[test]
    fn deep_flow_nesting_is_refused_at_its_first_bracket() {
        // Unread: the YAML parser would take minutes over it.
        let y = format!("summary: fine\ntopics: {}\n", "[".repeat(100_000));
        let e = parse(Path::new("d.yaml"), &y).unwrap_err();
        let d = &e.clone().sorted()[0];
        assert!(
            d.to_string()
                .starts_with("d.yaml:2:9: error: decomposition: 100000 '[' or '{' in"),
            "{d}"
        );
        assert!(
            d.hint
                .as_deref()
                .unwrap_or("")
                .contains("one item per line"),
            "{d}"
        );
    }

    #[test]
    fn unknown_related_topic_and_bad_slug_are_reported() {
        let y = "topics:\n  - slug: a\n    title: A\n    summary: S.\n    definition: x\n    related: [b]\n  - slug: Not A Slug\n    title: B\n    summary: S.\n    definition: y\n";
        let e = parse(Path::new("d.yaml"), y).unwrap_err();
        let msgs: Vec<String> = e.iter().map(|d| d.to_string()).collect();
        assert!(
            msgs.iter()
                .any(|m| m.contains("unknown topic 'b'") && m.starts_with("d.yaml:6")),
            "{msgs:?}"
        );
        assert!(
            msgs.iter()
                .any(|m| m.contains("'Not A Slug' is not a slug") && m.starts_with("d.yaml:7")),
            "{msgs:?}"
        );
    }
}

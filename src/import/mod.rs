//! `dossier import`: turns a report's text, as extracted from its PDF, into
//! markdown pages under `content/`.
//!
//! Stages, one module each: [`blocks`] (text → blocks → front matter,
//! chapters, back matter), [`repair`] (page breaks, hyphens, notes, displaced
//! fragments), [`citations`] and [`acronyms`] (evidence and abbreviations),
//! [`decompose`] (the editor's decomposition file), [`pages`] (every page in
//! memory), [`manifest`] (safe re-import) and [`stage`] (the new folder,
//! staged whole and swapped in). Everything is generated and checked before
//! the first byte is written, so an unusable seed leaves `content/`
//! untouched, and `content/` is replaced in one step, so neither does a
//! killed import leave it half-written.

pub mod acronyms;
pub mod blocks;
pub mod citations;
pub mod decompose;
pub mod manifest;
pub mod pages;
pub mod repair;
pub mod stage;
pub mod text;

use std::path::{Path, PathBuf};

use crate::diag::{Diagnostic, Diagnostics};

pub use manifest::Outcome;
pub use pages::Pages;

/// What to import and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportOptions {
    /// The extracted text of the report.
    pub seed: PathBuf,
    /// The content directory to write into.
    pub into: PathBuf,
    /// The decomposition file; `None` means next to the seed
    /// (`x.txt` → `x.decomposition.yaml`).
    pub decomposition: Option<PathBuf>,
    /// Overwrite edited pages (after backing them up).
    pub force: bool,
}

/// What an import did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ImportReport {
    /// Files written, skipped, backed up.
    pub outcome: Outcome,
    /// Number of pages generated.
    pub pages: usize,
    /// Problems that did not stop the import.
    pub warnings: Diagnostics,
}

/// The decomposition file that goes with `seed` by default.
pub fn default_decomposition(seed: &Path) -> PathBuf {
    seed.with_extension("decomposition.yaml")
}

/// Checks that `bytes` can be a seed and returns it as text.
fn seed_text<'a>(path: &Path, bytes: &'a [u8]) -> Result<&'a str, Diagnostics> {
    let text = match std::str::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => {
            let at = e.valid_up_to();
            let line = bytes[..at].iter().filter(|&&b| b == b'\n').count() + 1;
            return Err(Diagnostic::error(
                path,
                line,
                0,
                format!("seed is not UTF-8 text (invalid byte at offset {at})"),
            )
            .with_hint("give the text extracted from the PDF, not the PDF itself")
            .into());
        }
    };
    // A byte-order mark is an artefact of the extraction tool, not text.
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if let Some(at) = text.find(|c: char| c == '\0' || (c.is_control() && !c.is_whitespace())) {
        let (line, col) = crate::diag::line_col(text, at);
        return Err(Diagnostic::error(
            path,
            line,
            col,
            "seed contains binary data (control characters)",
        )
        .with_hint("give the text extracted from the PDF, not the PDF itself")
        .into());
    }
    if text.trim().is_empty() {
        return Err(Diagnostic::error(path, 0, 0, "seed is empty").into());
    }
    Ok(text)
}

/// Generates every page from the seed and decomposition texts, without
/// touching the file system. Same input, same bytes.
pub fn generate(
    seed_path: &Path,
    seed_bytes: &[u8],
    decomposition_path: &Path,
    decomposition_text: Option<&str>,
) -> Result<(Pages, Diagnostics), Diagnostics> {
    let text = seed_text(seed_path, seed_bytes)?;
    let dtext = decomposition_text.unwrap_or("");
    let decomposition = if dtext.trim().is_empty() {
        decompose::Decomposition::default()
    } else {
        decompose::parse(decomposition_path, dtext)?
    };
    let parts = blocks::cut(
        blocks::split_blocks(text),
        decomposition.back_matter_starts.as_deref(),
    );
    if parts.chapters.is_empty() {
        return Err(
            Diagnostic::error(seed_path, 0, 0, "no numbered chapter headings found")
                .with_hint("chapters start with a line of their own such as '1. Introduction'")
                .into(),
        );
    }
    let mut damage = Diagnostics::new();
    if let Some((line, heading, first)) = blocks::repeated_heading(&parts) {
        damage.push(
            Diagnostic::error(
                seed_path,
                line,
                1,
                format!("the chapter heading '{heading}' appears again (first at line {first})"),
            )
            .with_hint(
                "is the text, or part of it, in the seed twice? Remove the repeated part: \
                 it would end up in the last chapter or the about page",
            ),
        );
    }
    if let Some(marker) = decomposition.back_matter_starts.as_deref() {
        if !marker.is_empty() && parts.back.is_empty() {
            damage.push(
                Diagnostic::error(
                    decomposition_path,
                    decompose::value_line(dtext, marker),
                    0,
                    format!(
                        "back_matter_starts: no block after the first chapter starts with \
                         \"{marker}\", so the back cover would end up in the last chapter"
                    ),
                )
                .with_hint("copy the first words of the back cover exactly as the seed has them"),
            );
        }
    }
    if damage.has_errors() {
        return Err(damage);
    }
    let front = blocks::read_front(&parts.front);
    if front.acronyms.is_empty() {
        return Err(Diagnostic::error(
            seed_path,
            parts.chapters[0].line,
            0,
            "no list of acronyms found before the first chapter",
        )
        .with_hint("the list is one line per acronym: ACRONYM<tab>Long form")
        .into());
    }
    if front.title.is_empty() {
        return Err(Diagnostic::error(
            seed_path,
            1,
            0,
            "no report title found before the first chapter",
        )
        .into());
    }
    let mut listed: std::collections::BTreeMap<&str, usize> = Default::default();
    for a in &front.acronyms {
        let first = *listed.entry(&a.acronym).or_insert(a.line);
        if first != a.line {
            damage.push(
                Diagnostic::warning(
                    seed_path,
                    a.line,
                    1,
                    format!(
                        "acronym '{}' is listed twice (first at line {first})",
                        a.acronym
                    ),
                )
                .with_hint("is the list in the seed twice? The first entry is used"),
            );
        }
    }
    let mut next_note = 1;
    let chapters = parts
        .chapters
        .into_iter()
        .map(|ch| {
            let body = repair::repair(&ch.blocks, &mut next_note, text);
            (ch, body)
        })
        .collect();
    let (pages, warnings) = pages::build(pages::Input {
        seed_path,
        decomposition_path,
        decomposition_text: dtext,
        decomposition: &decomposition,
        front: &front,
        back: parts.back.iter().map(|b| b.lines.clone()).collect(),
        chapters,
    })?;
    damage.extend(warnings);
    Ok((pages, damage))
}

/// Imports the seed into the content directory.
pub fn import(opts: &ImportOptions) -> Result<ImportReport, Diagnostics> {
    let seed_bytes = std::fs::read(&opts.seed).map_err(|e| {
        Diagnostics::from(Diagnostic::error(
            &opts.seed,
            0,
            0,
            format!("cannot read seed: {e}"),
        ))
    })?;
    let (dpath, explicit) = match &opts.decomposition {
        Some(p) => (p.clone(), true),
        None => (default_decomposition(&opts.seed), false),
    };
    let mut warnings = Diagnostics::new();
    let dtext = match std::fs::read_to_string(&dpath) {
        Ok(t) => Some(t),
        Err(e) if !explicit && e.kind() == std::io::ErrorKind::NotFound => {
            warnings.push(
                Diagnostic::warning(
                    &dpath,
                    0,
                    0,
                    "no decomposition file: no topic or recommendation pages",
                )
                .with_hint("write one next to the seed (see seeds/*.decomposition.yaml)"),
            );
            None
        }
        Err(e) => {
            return Err(Diagnostic::error(
                &dpath,
                0,
                0,
                format!("cannot read decomposition file: {e}"),
            )
            .into())
        }
    };
    let (pages, w) = generate(&opts.seed, &seed_bytes, &dpath, dtext.as_deref())?;
    warnings.extend(w);
    let manifest = manifest::Manifest {
        seed: opts
            .seed
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default(),
        seed_sha256: manifest::sha256(&seed_bytes),
        decomposition_sha256: dtext
            .as_deref()
            .map(|t| manifest::sha256(t.as_bytes()))
            .unwrap_or_default(),
        files: Default::default(),
    };
    let mut outcome = manifest::apply(&opts.into, &pages, manifest, opts.force)?;
    warnings.extend(std::mem::take(&mut outcome.warnings));
    Ok(ImportReport {
        outcome,
        pages: pages.len(),
        warnings,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const SEED: &str = "June 2025\n\nACME\n\nA short report on something important\n\nColophon\n\nAuthor: Jo Doe\n\nList of acronyms\n\nUN\tUnited Nations\nABC\tAlpha Beta Gamma\n\n1. First chapter: the start\n\nThe United Nations (UN) said the plan would\n\n¹ Interview 2; Jo Doe, ‘A Study of Things,’ 2024.\n\nbe good.¹ Building Things (BT) matters.\n\n2. Second chapter\n\nA heading here\n\nText about a study.² End.\n\n² ‘A Study of Things,’ p. 3.\n";

    fn gen(seed: &str, dec: Option<&str>) -> Result<(Pages, Diagnostics), Diagnostics> {
        generate(
            Path::new("s.txt"),
            seed.as_bytes(),
            Path::new("s.decomposition.yaml"),
            dec,
        )
    }

    /// The page's markdown as pulldown-cmark renders it.
    fn html(md: &str) -> String {
        let mut out = String::new();
        pulldown_cmark::html::push_html(&mut out, pulldown_cmark::Parser::new(md));
        out
    }

    #[test]
    fn a_small_synthetic_report_becomes_linked_pages() {
        let (pages, _) = gen(SEED, None).unwrap();
        let keys: Vec<&str> = pages.keys().map(String::as_str).collect();
        assert_eq!(
            keys,
            [
                "_index.md",
                "about.md",
                "acronyms/abc.md",
                "acronyms/bt.md",
                "acronyms/un.md",
                "chapters/01-first-chapter.md",
                "chapters/02-second-chapter.md",
                "interviews/_index.md",
                "interviews/interview-01.md",
                "interviews/interview-02.md",
                "sources/a-study-of-things-2024.md",
            ]
        );
        let ch1 = &pages["chapters/01-first-chapter.md"];
        assert!(ch1.contains("title: 'First chapter: the start'"), "{ch1}");
        assert!(ch1.contains("\nThe United Nations (UN) said the plan would be good.[^1] Building Things (BT) matters.\n"), "{ch1}");
        assert!(ch1.contains("\n[^1]: [Interview 2](../interviews/interview-02.md); Jo Doe, [‘A Study of Things,’](../sources/a-study-of-things-2024.md) 2024.\n"), "{ch1}");
        let ch2 = &pages["chapters/02-second-chapter.md"];
        assert!(ch2.contains("\n## A heading here\n"), "{ch2}");
        let source = &pages["sources/a-study-of-things-2024.md"];
        assert!(source.contains("notes 1 and 2"), "{source}");
        assert!(
            source.contains("(../chapters/02-second-chapter.md#p-text-about-a-study-end)"),
            "{source}"
        );
        assert!(pages["acronyms/bt.md"].contains("expansion: Building Things"));
        assert!(pages["_index.md"].contains("title: A short report on something important"));
        assert!(pages["_index.md"].contains("date: 2025-06-01"));
        assert!(pages["interviews/interview-01.md"].contains("not cited by number"));
    }

    #[test]
    fn the_publisher_and_the_decompositions_names_are_known_names() {
        let names = |pages: &Pages| {
            crate::frontmatter::split(&pages["_index.md"])
                .unwrap()
                .front_matter
                .unwrap()
                .names
        };
        assert_eq!(names(&gen(SEED, None).unwrap().0), ["ACME"]);
        let dec = "names: [RAND, ACME]\n";
        assert_eq!(names(&gen(SEED, Some(dec)).unwrap().0), ["ACME", "RAND"]);
    }

    #[test]
    fn the_home_page_states_the_reports_facts_and_quotes_its_key_findings() {
        let dec = "key_findings:\n  - phrase: said the plan would\npdf: https://acme.example/report.pdf\nabout:\n  title: About the study\n  summary: Who wrote it.\n";
        let (pages, _) = gen(SEED, Some(dec)).unwrap();
        let home = &pages["_index.md"];
        let fm = crate::frontmatter::split(home)
            .unwrap()
            .front_matter
            .unwrap();
        assert_eq!(fm.authors, ["Jo Doe"]);
        assert_eq!(fm.publisher.as_deref(), Some("ACME"));
        // The date as the report prints it, and a machine date beside it.
        assert_eq!(fm.published.as_deref(), Some("June 2025"));
        assert_eq!(fm.date.as_deref(), Some("2025-06-01"));
        assert_eq!(fm.pdf.as_deref(), Some("https://acme.example/report.pdf"));
        assert!(
            home.contains("## Key findings\n\n- “The United Nations (UN) said the plan would be good.” ([Chapter 1](chapters/01-first-chapter.md#p-the-united-nations-un-said-the))\n"),
            "{home}"
        );
        // Wording of the site's frame is the template's, not the page's.
        assert!(
            !home.contains("Start reading") && !home.contains("A report by"),
            "{home}"
        );
        let about = crate::frontmatter::split(&pages["about.md"])
            .unwrap()
            .front_matter
            .unwrap();
        assert_eq!(about.title.as_deref(), Some("About the study"));
        assert_eq!(about.summary.as_deref(), Some("Who wrote it."));
        let ch2 = crate::frontmatter::split(&pages["chapters/02-second-chapter.md"]).unwrap();
        assert_eq!(ch2.front_matter.unwrap().number, Some(2));
    }

    #[test]
    fn without_editors_words_the_about_page_lists_its_sections() {
        let (pages, _) = gen(SEED, None).unwrap();
        let about = crate::frontmatter::split(&pages["about.md"])
            .unwrap()
            .front_matter
            .unwrap();
        assert_eq!(about.title.as_deref(), Some("About this report"));
        assert_eq!(about.summary.as_deref(), Some("Colophon."));
        let home = crate::frontmatter::split(&pages["_index.md"])
            .unwrap()
            .front_matter
            .unwrap();
        assert_eq!(home.pdf, None);
        assert!(!pages["_index.md"].contains("Key findings"));
    }

    #[test]
    fn a_key_finding_not_in_the_text_is_an_error_at_its_line() {
        let dec = "summary: S.\nkey_findings:\n  - phrase: words nobody wrote\n";
        let e = gen(SEED, Some(dec)).unwrap_err();
        let d = e.sorted().remove(0);
        assert!(d.to_string().starts_with("s.decomposition.yaml:3:"), "{d}");
        assert!(d.message.contains("words nobody wrote"), "{d}");
    }

    #[test]
    fn authors_are_read_from_the_credits_without_their_roles() {
        let seed = SEED.replace(
            "Author: Jo Doe",
            "Authors: Jo Doe (consultant), Al Roe and Sam Poe",
        );
        let (pages, _) = gen(&seed, None).unwrap();
        let fm = crate::frontmatter::split(&pages["_index.md"])
            .unwrap()
            .front_matter
            .unwrap();
        assert_eq!(fm.authors, ["Jo Doe", "Al Roe", "Sam Poe"]);
    }

    #[test]
    fn the_interviews_index_links_the_interviews_no_note_cites() {
        let (pages, _) = gen(SEED, None).unwrap();
        let intro = &pages["interviews/_index.md"];
        assert!(intro.contains("title: Interviews\n"), "{intro}");
        assert!(intro.contains("summary: "), "{intro}");
        assert!(
            intro.contains("No note cites [Interview 1](interview-01.md) by number."),
            "{intro}"
        );
        assert!(!intro.contains("interview-02.md"), "{intro}");
    }

    #[test]
    fn a_note_marker_without_note_text_is_an_error_at_its_line() {
        let seed = SEED.replace("Text about a study.² End.", "Text about a study.⁹ End.");
        let e = gen(&seed, None).unwrap_err();
        let d = e.sorted().remove(0);
        assert!(d.to_string().starts_with("s.txt:28:"), "{d}");
        assert!(d.message.contains("marker 9"), "{d}");
    }

    #[test]
    fn crlf_line_ends_and_a_byte_order_mark_change_nothing() {
        let dos = format!("\u{feff}{}", SEED.replace('\n', "\r\n"));
        assert_eq!(gen(&dos, None).unwrap().0, gen(SEED, None).unwrap().0);
    }

    #[test]
    fn an_ambiguous_recommendation_phrase_is_a_warning_and_links_the_first() {
        let seed = SEED.replace("End.\n", "End of the study.\n");
        let dec = "recommendations:\n  - slug: study-more\n    title: Study more\n    phrase: study\n    rationale: Because.\n";
        let (pages, warnings) = gen(&seed, Some(dec)).unwrap();
        let w: Vec<String> = warnings.iter().map(|d| d.to_string()).collect();
        assert!(
            w.iter()
                .any(|w| w.starts_with("s.decomposition.yaml:4: warning:")
                    && w.contains("occurs 2 times")),
            "{w:?}"
        );
        let ch2 = &pages["chapters/02-second-chapter.md"];
        assert!(
            ch2.contains(
                "about a [study](../recommendations/study-more.md).[^2] End of the study."
            ),
            "{ch2}"
        );
        assert!(pages["recommendations/study-more.md"].contains("#p-text-about-a-study-end"));
    }

    #[test]
    fn a_source_named_in_the_text_links_to_its_page() {
        let seed = SEED.replace(
            "End.\n",
            "End, as A Study of Things shows. A Study of Things again.\n",
        );
        let (pages, _) = gen(&seed, None).unwrap();
        let ch2 = &pages["chapters/02-second-chapter.md"];
        assert!(
            ch2.contains("as [A Study of Things](../sources/a-study-of-things-2024.md) shows. A Study of Things again."),
            "{ch2}"
        );
        assert!(pages["sources/a-study-of-things-2024.md"]
            .contains("- In the text, [Chapter 2, “A heading here”]"));
    }

    /// Each diagnostic as `path:line:col: level: message`, sorted.
    fn lines(diags: &Diagnostics) -> Vec<String> {
        diags
            .clone()
            .sorted()
            .iter()
            .map(|d| d.to_string())
            .collect()
    }

    #[test]
    fn a_seed_pasted_in_twice_is_an_error_at_the_repeated_heading() {
        let twice = format!("{SEED}\n{SEED}");
        let again = SEED.lines().count() + 2 + 15;
        assert_eq!(
            twice.lines().nth(again - 1),
            Some("1. First chapter: the start")
        );
        let e = gen(&twice, None).unwrap_err();
        let l = lines(&e);
        assert!(
            l[0].starts_with(&format!("s.txt:{again}:1: error:"))
                && l[0].contains("'1. First chapter: the start' appears again (first at line 16)"),
            "{l:?}"
        );
        // With a back-matter marker the second copy would land on the about
        // page instead of the last chapter: the same error.
        let back = format!("{SEED}\nMake peace work.\n\nStreet 1\n\n{SEED}");
        let dec = "back_matter_starts: Make peace work.\n";
        let e = gen(&back, Some(dec)).unwrap_err();
        assert!(lines(&e)[0].contains("appears again"), "{:?}", lines(&e));
        // One chapter pasted twice.
        let ch2 = &SEED[SEED.find("2. Second chapter").unwrap()..];
        let e = gen(&format!("{SEED}\n{ch2}"), None).unwrap_err();
        assert!(
            lines(&e)[0].contains("'2. Second chapter' appears again"),
            "{:?}",
            lines(&e)
        );
    }

    #[test]
    fn an_acronym_listed_twice_is_a_warning_at_its_second_line() {
        let seed = SEED.replace(
            "ABC\tAlpha Beta Gamma\n",
            "ABC\tAlpha Beta Gamma\nUN\tUnited Nations\n",
        );
        let (_, w) = gen(&seed, None).unwrap();
        assert!(
            lines(&w)
                .iter()
                .any(|l| l.starts_with("s.txt:15:1: warning:")
                    && l.contains("'UN' is listed twice (first at line 13)")),
            "{:?}",
            lines(&w)
        );
    }

    #[test]
    fn a_back_matter_marker_that_begins_no_block_is_an_error_at_its_line() {
        let dec = "summary: S.\nback_matter_starts: Make peace work.\n";
        let e = gen(SEED, Some(dec)).unwrap_err();
        let l = lines(&e);
        assert!(
            l[0].starts_with("s.decomposition.yaml:2:")
                && l[0].contains("back_matter_starts")
                && l[0].contains("Make peace work."),
            "{l:?}"
        );
    }

    #[test]
    fn a_topic_phrase_that_occurs_nowhere_is_a_warning_at_its_line() {
        let dec = "topics:\n  - slug: plans\n    title: Plans\n    summary: S.\n    phrases:\n      - plan\n      - blueprint\n    definition: said the plan\n";
        let (_, w) = gen(SEED, Some(dec)).unwrap();
        let l = lines(&w);
        assert!(
            l.iter().any(|l| l.starts_with("s.decomposition.yaml:7:")
                && l.contains("topic 'plans': phrase \"blueprint\" occurs in no chapter")),
            "{l:?}"
        );
        assert!(!l.iter().any(|l| l.contains("\"plan\"")), "{l:?}");
    }

    #[test]
    fn a_seed_without_a_title_is_refused() {
        let seed = SEED.replace("A short report on something important\n\n", "");
        let e = gen(&seed, None).unwrap_err();
        assert!(e.to_string().contains("no report title"), "{e}");
    }

    #[test]
    fn decomposition_phrases_that_do_not_occur_are_errors_at_their_line() {
        let dec = "interviews:\n  count: 3\n  method: not in the text\ntopics:\n  - slug: plans\n    title: Plans\n    summary: S.\n    phrases: [plan]\n    definition: nowhere to be found\n";
        let e = gen(SEED, Some(dec)).unwrap_err();
        let lines: Vec<String> = e.sorted().iter().map(|d| d.to_string()).collect();
        assert!(
            lines[0].starts_with("s.decomposition.yaml:3:")
                && lines[0].contains("interviews.method"),
            "{lines:?}"
        );
        assert!(
            lines[1].starts_with("s.decomposition.yaml:9:") && lines[1].contains("topic 'plans'"),
            "{lines:?}"
        );
    }

    #[test]
    fn link_syntax_in_the_seed_stays_text() {
        // Found by fuzzing: `[^1](PoC)` in the seed's about text made a link
        // on the about page and again in the acronym page's quote; so did
        // link syntax in an about-page heading and in an acronym's expansion.
        let seed = SEED
            .replace("Author: Jo Doe", "Author: Jo [Doe](x.md)")
            .replace("said the plan would", "said [the](plan) [[plan]] would")
            .replace("Colophon", "Colo[^4](DSH) phon")
            .replace("United Nations\n", "United [x](WPS) Nations\n");
        let (pages, _) = gen(&seed, None).unwrap();
        assert!(!html(&pages["_index.md"]).contains("<a "));
        assert!(pages["about.md"].contains("Jo [Doe]\\(x.md)"));
        assert!(pages["about.md"].contains("\n## Colo[^4]\\(DSH) phon\n"));
        assert!(!html(&pages["about.md"]).contains("<a "));
        assert!(pages["acronyms/un.md"].contains("**UN**: United [x]\\(WPS) Nations."));
        let ch1 = &pages["chapters/01-first-chapter.md"];
        assert!(ch1.contains("said [the]\\(plan) [\\[plan]] would"), "{ch1}");
        assert!(pages["acronyms/un.md"].contains("said [the]\\(plan) [\\[plan]] would"));
    }

    #[test]
    fn link_syntax_stays_text_in_every_quote() {
        // The topic definition, the recommendation's words and a source's
        // claim are quoted from plain text, so their brackets are made inert
        // again when they are written back as markdown.
        let seed = SEED
            .replace("said the plan would", "said [the](plan) [[plan]] would")
            .replace("Text about a study.", "Text [about](x) a study.");
        let dec = "topics:\n  - slug: nations\n    title: Nations\n    summary: S.\n    phrases: [nations]\n    definition: The United Nations\nrecommendations:\n  - slug: be-good\n    title: Be good\n    phrase: would be good\n    rationale: Because.\n";
        let (pages, _) = gen(&seed, Some(dec)).unwrap();
        for (page, quoted) in [
            ("topics/nations.md", "said [the]\\(plan) [\\[plan]] would"),
            (
                "recommendations/be-good.md",
                "said [the]\\(plan) [\\[plan]] would",
            ),
            (
                "sources/a-study-of-things-2024.md",
                "Text [about]\\(x) a study.",
            ),
        ] {
            let md = &pages[page];
            assert!(md.contains(quoted), "{page}: {md}");
            assert!(
                !md.contains("](plan)") && !md.contains("](x)"),
                "{page}: {md}"
            );
        }
    }

    #[test]
    fn brackets_in_titles_and_headings_keep_their_links() {
        // A chapter title, sub-heading, topic title or cited source with a
        // lone bracket, quoted as a link's text, would end that link early
        // or open another.
        let seed = SEED
            .replace("First chapter: the start", "First chapter: the [start")
            .replace("A heading here", "A heading] here\\")
            .replace("A Study of", "A Study] of");
        let dec = "topics:\n  - slug: plans\n    title: Plans [draft\n    summary: S.\n    phrases: [plan]\n    definition: said the plan\n    related: [plans]\nkey_findings:\n  - phrase: Text about a study\n";
        let (pages, _) = gen(&seed, Some(dec)).unwrap();
        assert!(
            pages["_index.md"]
                .contains("([Chapter 2, “A heading\\] here\\\\”](chapters/02-second-chapter.md#p-"),
            "{}",
            pages["_index.md"]
        );
        let topic = &pages["topics/plans.md"];
        assert!(
            topic.contains(
                "[Chapter 1: First chapter: the \\[start](../chapters/01-first-chapter.md#p-"
            ),
            "{topic}"
        );
        assert!(topic.contains("- [Plans \\[draft](plans.md)"), "{topic}");
        let source = &pages["sources/a-study-of-things-2024.md"];
        assert!(
            source.contains(
                "[Chapter 2, “A heading\\] here\\\\”](../chapters/02-second-chapter.md#p-"
            ),
            "{source}"
        );
        // Rendered, each is one link with the text as written.
        assert!(html(&pages["_index.md"]).contains(">Chapter 2, “A heading] here\\”</a>"));
        assert!(html(topic).contains(">Plans [draft</a>"));
        assert!(html(source).contains(">Chapter 2, “A heading] here\\”</a>"));
        let ch1 = &pages["chapters/01-first-chapter.md"];
        assert!(
            ch1.contains("[‘A Study\\] of Things,’](../sources/a-study-of-things-2024.md)"),
            "{ch1}"
        );
        assert!(html(ch1).contains(">‘A Study] of Things,’</a>"));
    }

    #[test]
    fn interview_numbers_are_bounded() {
        // Found by fuzzing: digits run together made one interview number of
        // 1,831,013,932, and the importer set out to write a page for each
        // number up to it.
        let seed = SEED.replace("Interview 2;", "Interview 2, 0001831013932 and 0;");
        let (pages, diags) = gen(&seed, None).unwrap();
        let interviews: Vec<&String> = pages
            .keys()
            .filter(|k| k.starts_with("interviews/interview-"))
            .collect();
        assert_eq!(
            interviews,
            ["interviews/interview-01.md", "interviews/interview-02.md"]
        );
        let ch1 = &pages["chapters/01-first-chapter.md"];
        assert!(
            ch1.contains("interviews/interview-02.md), 0001831013932 and 0; Jo Doe"),
            "{ch1}"
        );
        let lines: Vec<String> = diags.sorted().iter().map(|d| d.to_string()).collect();
        let line = seed
            .lines()
            .position(|l| l.contains("0001831013932"))
            .unwrap()
            + 1;
        for bad in ["0001831013932", "0"] {
            assert!(
                lines
                    .iter()
                    .any(|l| l.starts_with(&format!("s.txt:{line}:"))
                        && l.contains(&format!("note 1 cites interview {bad}, which cannot be"))),
                "{lines:?}"
            );
        }

        let dec = "# the interviews\ninterviews:\n  count: 4000000000\n";
        let e = gen(SEED, Some(dec)).unwrap_err();
        let lines: Vec<String> = e.sorted().iter().map(|d| d.to_string()).collect();
        assert!(
            lines[0].starts_with("s.decomposition.yaml:3:")
                && lines[0]
                    .contains("interviews.count is 4000000000; the importer makes at most 1000"),
            "{lines:?}"
        );
    }

    #[test]
    fn topics_are_linked_once_per_section_and_listed_on_their_page() {
        let dec = "topics:\n  - slug: plans\n    title: Plans\n    summary: S.\n    phrases: [plan, study]\n    definition: said the plan\n";
        let (pages, _) = gen(SEED, Some(dec)).unwrap();
        assert!(pages["chapters/01-first-chapter.md"]
            .contains("said the [plan](../topics/plans.md) would"));
        assert!(
            pages["chapters/02-second-chapter.md"].contains("about a [study](../topics/plans.md).")
        );
        let topic = &pages["topics/plans.md"];
        assert!(
            topic.contains("> The United Nations (UN) said the plan would be good."),
            "{topic}"
        );
        assert!(
            topic.contains(
                "(../chapters/02-second-chapter.md#p-text-about-a-study-end) (1 paragraph)"
            ),
            "{topic}"
        );
    }
}

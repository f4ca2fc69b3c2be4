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
pub mod quote;
pub mod repair;
pub mod stage;
pub mod text;
pub mod topiclinks;

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
    /// Every link to a topic the chapters got, for `--explain`.
    pub topic_links: Vec<topiclinks::TopicLink>,
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
    let mut front = blocks::read_front(&parts.front);
    // A report without a list of acronyms is read all the same: the
    // acronyms it defines in its text (`Building Integrity (BI)`) are its
    // glossary then, as they are for those a list leaves out.
    damage.extend(acronym_list_warnings(seed_path, &front));
    if front.title.is_empty() {
        return Err(Diagnostic::error(
            seed_path,
            1,
            0,
            "no report title found before the first chapter",
        )
        .into());
    }
    let mut listed: std::collections::BTreeMap<String, usize> = Default::default();
    for a in &front.acronyms {
        let first = *listed.entry(a.acronym.clone()).or_insert(a.line);
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
    front
        .acronyms
        .retain(|a| listed.get(&a.acronym) == Some(&a.line));
    let mut next_note = 1;
    let chapters = parts
        .chapters
        .into_iter()
        .map(|ch| {
            let body = repair::repair(
                &ch.blocks,
                ch.number,
                &mut next_note,
                text,
                &decomposition.photo_captions,
            );
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

/// What an editor should look at in the list of acronyms: a line that is
/// no entry (most often an acronym whose long form was left out) and an
/// entry whose separator differs from the list's, which may have cut the
/// long form in the wrong place.
fn acronym_list_warnings(seed_path: &Path, front: &blocks::Front) -> Diagnostics {
    let mut out = Diagnostics::new();
    for u in &front.unread_acronym_lines {
        let d = match &u.bare {
            Some(acr) => Diagnostic::warning(
                seed_path,
                u.line,
                1,
                format!("acronym '{acr}' in the list of acronyms has no long form"),
            )
            .with_hint(format!(
                "write it as '{acr}<tab>Long form'; until then it gets a page only if the \
                 text defines it, as 'Long Form ({acr})'"
            )),
            None => Diagnostic::warning(
                seed_path,
                u.line,
                1,
                format!("line in the list of acronyms is no entry: \"{}\"", u.text),
            )
            .with_hint(
                "an entry is one line: ACRONYM, a tab (or ' – ', ':', two spaces), the long form",
            ),
        };
        out.push(d);
    }
    // The list's separator is the one most of its entries use.
    let mut counts: std::collections::BTreeMap<&str, usize> = Default::default();
    for a in &front.acronyms {
        *counts.entry(a.separator).or_default() += 1;
    }
    let Some((usual, _)) = counts.iter().max_by_key(|&(_, n)| *n) else {
        return out;
    };
    for a in front.acronyms.iter().filter(|a| a.separator != *usual) {
        out.push(
            Diagnostic::warning(
                seed_path,
                a.line,
                1,
                format!(
                    "acronym '{}' is separated from its long form by {} where the list uses {usual}",
                    a.acronym, a.separator
                ),
            )
            .with_hint(format!(
                "read as '{}' = '{}'; if that is right, use one separator throughout the list",
                a.acronym, a.expansion
            )),
        );
    }
    out
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
        topic_links: topiclinks::listing(
            &pages,
            &dtext
                .as_deref()
                .filter(|t| !t.trim().is_empty())
                .and_then(|t| decompose::parse(&dpath, t).ok())
                .unwrap_or_default()
                .topics,
        ),
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
        assert!(pages["_index.md"].contains("date: 2025-06\n"));
        assert!(pages["interviews/interview-01.md"].contains("not cited by number"));
    }

    #[test]
    fn chapter_notes_show_the_reports_numbers_that_other_pages_cite() {
        let (pages, _) = gen(SEED, None).unwrap();
        let site: Vec<crate::content::Page> = pages
            .iter()
            .map(|(rel, text)| {
                crate::content::page_from_text(Path::new(rel), rel, text.clone()).unwrap()
            })
            .collect();
        let index = crate::links::Index::new(&site, &[], []);
        let chapter = site
            .iter()
            .position(|p| p.rel == "chapters/02-second-chapter.md")
            .unwrap();
        assert_eq!(
            site[chapter].meta.note_numbers,
            crate::content::frontmatter::NoteNumbers::Labels
        );
        let r = crate::markdown::render(&index, chapter);
        assert!(r.diagnostics.is_empty(), "{:?}", r.diagnostics);
        // The source page cites "notes 1 and 2": the second chapter's only
        // note is the report's note 2, not its own first.
        assert!(
            r.html
                .contains("<a href=\"#fn-2\" aria-describedby=\"notes\">2</a></sup>"),
            "{}",
            r.html
        );
        assert!(
            r.html
                .contains("<ol start=\"2\">\n<li id=\"fn-2\" value=\"2\">"),
            "{}",
            r.html
        );
    }

    #[test]
    fn the_publisher_and_the_decompositions_names_are_known_names() {
        let names = |pages: &Pages| {
            crate::content::frontmatter::split(&pages["_index.md"])
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
        let fm = crate::content::frontmatter::split(home)
            .unwrap()
            .front_matter
            .unwrap();
        assert_eq!(fm.authors, ["Jo Doe"]);
        assert_eq!(fm.publisher.as_deref(), Some("ACME"));
        // The date as the report prints it, and a machine date beside it.
        assert_eq!(fm.published.as_deref(), Some("June 2025"));
        assert_eq!(fm.date.as_deref(), Some("2025-06"));
        assert_eq!(fm.pdf.as_deref(), Some("https://acme.example/report.pdf"));
        assert!(
            home.contains("## Key findings\n\n- “The United Nations (UN) said the plan would be good.” ([Chapter 1](chapters/01-first-chapter.md#p-the-united-nations-un-said-the))\n"),
            "{home}"
        );
        // Wording of the site's frame is the template's, not the page's
        // body (the summary, without the editor's, may say "A report by").
        let body = home.splitn(3, "---\n").nth(2).unwrap();
        assert!(
            !body.contains("Start reading") && !body.contains("A report by"),
            "{home}"
        );
        let about = crate::content::frontmatter::split(&pages["about.md"])
            .unwrap()
            .front_matter
            .unwrap();
        assert_eq!(about.title.as_deref(), Some("About the study"));
        assert_eq!(about.summary.as_deref(), Some("Who wrote it."));
        let ch2 =
            crate::content::frontmatter::split(&pages["chapters/02-second-chapter.md"]).unwrap();
        assert_eq!(ch2.front_matter.unwrap().number, Some(2));
    }

    #[test]
    fn without_editors_words_the_about_page_lists_its_sections() {
        let (pages, _) = gen(SEED, None).unwrap();
        let about = crate::content::frontmatter::split(&pages["about.md"])
            .unwrap()
            .front_matter
            .unwrap();
        assert_eq!(about.title.as_deref(), Some("About this report"));
        assert_eq!(about.summary.as_deref(), Some("Colophon."));
        let home = crate::content::frontmatter::split(&pages["_index.md"])
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
        let fm = crate::content::frontmatter::split(&pages["_index.md"])
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
        let src = &pages["sources/a-study-of-things-2024.md"];
        assert!(src
            .contains("\n- [Chapter 2, “A heading here”](../chapters/02-second-chapter.md#p-text-about-a-study-end-as): “End, as A Study of Things shows.”"), "{src}");
    }

    #[test]
    fn a_source_page_quotes_the_passage_each_note_supports() {
        let seed = "June 2025\n\nACME\n\nA short report on something important\n\nColophon\n\nAuthor: Jo Doe\n\nList of acronyms\n\nUN\tUnited Nations\nPoC\tProtection of Civilians\n\n1. First chapter: the start\n\nStates met at the UN. The plan would help.¹ Critics say it fails,² and others agree.³\n\n¹ See for example Jo Doe, ‘A Study of Things,’ 2024, p. 2.\n\n² Al Bo, ‘One Long Paper,’ 2019. Cy Do, ‘Two Long Papers,’ interview 3.\n\n³ ‘NATO Policy for the Protection of Civilians,’ 9 July 2016.\n\n2. Second chapter\n\nA heading here\n\nNATO’s 2016 Policy for the Protection of Civilians still stands.\n\nIraq’s National Policy for the Protection of Civilians is another.\n\nNobody updated the 2016 PoC policy. The end.\n";
        let (pages, _) = gen(seed, None).unwrap();
        let study = &pages["sources/a-study-of-things-2024.md"];
        assert!(
            study.contains("As cited: Jo Doe, ‘A Study of Things,’ 2024, p. 2.\n"),
            "{study}"
        );
        assert!(
            study.contains("summary: A document of 2024 that the report cites in note 1."),
            "{study}"
        );
        // From the paragraph start, not only the last sentence.
        assert!(
            study.contains(
                "#p-states-met-at-the-un-the): “States met at the UN. The plan would help.”"
            ),
            "{study}"
        );
        // From the previous marker; cut words marked as cut.
        let one = &pages["sources/one-long-paper-2019.md"];
        assert!(
            one.contains("As cited: Al Bo, ‘One Long Paper,’ 2019.\n"),
            "{one}"
        );
        assert!(one.contains(": “Critics say it fails …”"), "{one}");
        let two = &pages["sources/two-long-papers.md"];
        assert!(
            two.contains("As cited: Cy Do, ‘Two Long Papers,’\n"),
            "{two}"
        );
        let policy = &pages["sources/nato-policy-for-the-protection-of-2016.md"];
        assert!(policy.contains(": “… and others agree.”"), "{policy}");
        assert!(policy.contains("2016"), "{policy}");
        // Named in the running text: by a distinctive part of its title, or
        // by its acronym and year; not inside another country's policy name.
        assert!(policy.contains("## Where the report names it"), "{policy}");
        assert!(
            policy.contains("“NATO’s 2016 Policy for the Protection of Civilians still stands.”"),
            "{policy}"
        );
        assert!(
            policy.contains("“Nobody updated the 2016 PoC policy.”"),
            "{policy}"
        );
        assert!(!policy.contains("Iraq"), "{policy}");
        let interview = &pages["interviews/interview-03.md"];
        assert!(
            interview.contains(": “Critics say it fails …”"),
            "{interview}"
        );
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
        let (pages, w) = gen(&seed, None).unwrap();
        assert!(pages.contains_key("acronyms/un.md"));
        assert!(
            !pages.contains_key("acronyms/un-2.md"),
            "one page per acronym"
        );
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
        // The expansion is in the front matter (the header states it), and
        // where the body quotes it, it stays text.
        assert!(pages["acronyms/un.md"].contains("expansion: United [x](WPS) Nations"));
        let body = pages["acronyms/un.md"].split("\n---\n").nth(1).unwrap();
        assert!(!html(body).contains("href=\"WPS\""), "{body}");
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

    /// [`SEED`] with a box in chapter 2: a heading, a paragraph and a list
    /// set apart from the chapter's text, which goes on after it.
    fn boxed_seed() -> String {
        SEED.replace(
            "2. Second chapter\n\nA heading here\n\nText about a study.² End.\n",
            "2. Second chapter\n\nThe chapter opens.\n\nWhat is a plan?\n\nA plan is a study of things.² It says what to do.\n\n- **Short.** A plan is short.\n\nAfter the box, the plan goes on.\n\nMore on the plan here.\n\nA heading here\n\nText about a study. End.\n",
        )
    }

    const BOX_DEC: &str = "topics:\n  - slug: plans\n    title: Plans\n    summary: S.\n    phrases: [plan]\n    definition: A plan is a study\nboxes:\n  - title: \"What is a plan?\"\n    ends_before: After the box\n";

    #[test]
    fn a_box_is_an_aside_and_the_chapter_goes_on_after_it() {
        let (pages, _) = gen(&boxed_seed(), Some(BOX_DEC)).unwrap();
        let ch2 = &pages["chapters/02-second-chapter.md"];
        assert!(
            ch2.contains("The chapter opens.\n\n<aside>\n\n## What is a plan?\n\nA [plan](../topics/plans.md) is a study"),
            "{ch2}"
        );
        assert!(
            ch2.contains("- **Short.** A plan is short.\n\n</aside>\n\nAfter the box, the [plan](../topics/plans.md) goes on.\n\nMore on the plan here.\n\n## A heading here\n"),
            "{ch2}"
        );
        let h = html(ch2);
        let (open, close) = (h.find("<aside>").unwrap(), h.find("</aside>").unwrap());
        assert!(h[open..close].contains("<h2>What is a plan?</h2>"), "{h}");
        assert!(h[close..].starts_with("</aside>\n<p>After the box"), "{h}");

        // Places in the box are the box's; places after it are the chapter's.
        let topic = &pages["topics/plans.md"];
        assert!(
            topic.contains("— [Chapter 2, “What is a plan?”](../chapters/02-second-chapter.md#p-a-plan-is-a-study-of)"),
            "{topic}"
        );
        assert!(
            topic.contains("- [Chapter 2: Second chapter](../chapters/02-second-chapter.md#p-after-the-box-the-plan-goes) (2 paragraphs)"),
            "{topic}"
        );
        assert!(
            topic.contains("- [Chapter 2, “What is a plan?”](../chapters/02-second-chapter.md#p-a-plan-is-a-study-of) (2 paragraphs)"),
            "{topic}"
        );
    }

    #[test]
    fn a_box_the_seed_does_not_have_is_an_error_at_its_line() {
        let dec = BOX_DEC.replace("What is a plan?", "What is a blueprint?");
        let l = lines(&gen(&boxed_seed(), Some(&dec)).unwrap_err());
        assert!(
            l[0].starts_with("s.decomposition.yaml:8:")
                && l[0].contains("box \"What is a blueprint?\": no sub-heading"),
            "{l:?}"
        );
        let dec = BOX_DEC.replace("After the box", "Never written");
        let l = lines(&gen(&boxed_seed(), Some(&dec)).unwrap_err());
        assert!(
            l[0].starts_with("s.decomposition.yaml:9:")
                && l[0].contains("starts with \"Never written\""),
            "{l:?}"
        );
        // Without `ends_before` the box runs to the next heading.
        let dec = BOX_DEC.replace("    ends_before: After the box\n", "");
        let (pages, _) = gen(&boxed_seed(), Some(&dec)).unwrap();
        let ch2 = &pages["chapters/02-second-chapter.md"];
        assert!(
            ch2.contains("More on the plan here.\n\n</aside>\n\n## A heading here\n"),
            "{ch2}"
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

    #[test]
    fn an_editors_slips_in_the_acronym_list_are_warnings_at_their_lines() {
        // A dash where the list uses tabs, and an acronym whose long form
        // was forgotten (the text defines it: "Building Things (BT)").
        let seed = SEED.replace(
            "ABC\tAlpha Beta Gamma\n",
            "ABC – Alpha Beta Gamma\nBT\nXY\tEx Why\nQR Quick Response\n",
        );
        let (pages, warnings) = gen(&seed, None).unwrap();
        let w: Vec<String> = warnings.iter().map(|d| d.to_string()).collect();
        assert!(
            w.iter().any(|w| w.starts_with("s.txt:14:1: warning: acronym 'ABC' is separated from its long form by ' – ' where the list uses a tab")
                && w.contains("read as 'ABC' = 'Alpha Beta Gamma'")),
            "{w:?}"
        );
        assert!(
            w.iter().any(|w| w.starts_with(
                "s.txt:15:1: warning: acronym 'BT' in the list of acronyms has no long form"
            ) && w.contains("'BT<tab>Long form'")),
            "{w:?}"
        );
        assert!(
            w.iter().any(|w| w.starts_with(
                "s.txt:17:1: warning: acronym 'QR' is separated from its long form by one space"
            ) && w.contains("read as 'QR' = 'Quick Response'")),
            "{w:?}"
        );
        assert_eq!(w.len(), 3, "{w:?}");
        // The rest of the list is read, and the text defines the acronym
        // the list left without a long form.
        assert!(pages["acronyms/abc.md"].contains("expansion: Alpha Beta Gamma"));
        assert!(pages["acronyms/xy.md"].contains("expansion: Ex Why"));
        assert!(pages["acronyms/qr.md"].contains("expansion: Quick Response"));
        assert!(pages["acronyms/bt.md"].contains("expansion: Building Things"));
        assert!(!pages["about.md"].contains("ABC"), "{}", pages["about.md"]);
    }

    #[test]
    fn a_report_without_acronym_list_takes_its_acronyms_from_the_text() {
        let seed = SEED.replace(
            "List of acronyms\n\nUN\tUnited Nations\nABC\tAlpha Beta Gamma\n\n",
            "",
        );
        let (pages, warnings) = gen(&seed, None).unwrap();
        assert!(warnings.is_empty(), "{warnings:?}");
        let acronyms: Vec<&str> = pages
            .keys()
            .filter(|k| k.starts_with("acronyms/"))
            .map(String::as_str)
            .collect();
        assert_eq!(acronyms, ["acronyms/bt.md", "acronyms/un.md"]);
        assert!(pages["acronyms/un.md"].contains("expansion: United Nations"));
    }

    #[test]
    fn interview_pages_describe_the_interviews_as_the_decomposition_says() {
        // By default, only what is counted.
        let (pages, _) = gen(SEED, None).unwrap();
        let one = &pages["interviews/interview-01.md"];
        assert!(
            one.contains("One of the 2 interviews the report rests on.\n"),
            "{one}"
        );
        assert!(one.contains("summary: Interview 1, not cited"), "{one}");
        assert!(pages["interviews/_index.md"].contains("The report rests on 2 interviews.\n"));
        // The report's own words, from its decomposition file.
        let dec =
            "interviews:\n  count: 2\n  qualifier: confidential\n  remark: names are withheld\n";
        let (pages, _) = gen(SEED, Some(dec)).unwrap();
        let two = &pages["interviews/interview-02.md"];
        assert!(
            two.contains(
                "One of the 2 confidential interviews the report rests on; names are withheld.\n"
            ),
            "{two}"
        );
        assert!(
            two.contains("summary: Confidential interview 2, cited in note 1."),
            "{two}"
        );
        let index = &pages["interviews/_index.md"];
        assert!(
            index.contains("The report rests on 2 confidential interviews; names are withheld.\n"),
            "{index}"
        );
        assert!(index.contains("summary: The 2 confidential interviews the report rests on."));
    }

    /// A tiny report with a topic phrase inside a longer term, inside a
    /// proper name, in another sense, inside a recommendation link and bold.
    const LINKS_SEED: &str = "June 2025\n\nACME\n\nA short report on harm\n\nList of acronyms\n\nCHM\tCivilian harm mitigation\nPoC\tProtection of Civilians\n\n1. First chapter\n\nThe US ended civilian harm mitigation (CHM) work. Harm mitigation still matters.\n\nIt backed Iraq's National Protection of Civilians (PoC) Policy.\n\nA Section\n\nWe hired a consultant with human security expertise. NATO lacks human security expertise.\n\nAnother Section\n\nNATO should **keep harm mitigation** alive. It must also **value harm mitigation** work.\n\nA Third Section\n\nProtecting civilians means harm mitigation first.\n";

    const LINKS_DEC: &str = "topics:\n  - slug: mitigating-harm\n    title: Mitigating harm\n    summary: S.\n    phrases: [harm mitigation]\n    definition: Harm mitigation still\n  - slug: civilian-harm\n    title: Civilian harm mitigation and response\n    summary: S.\n    phrases: [civilian harm mitigation]\n    definition: ended civilian harm\n  - slug: poc\n    title: Protection of Civilians\n    summary: S.\n    phrases: [protection of civilians, protecting civilians]\n    definition: Protecting civilians means\n  - slug: expertise\n    title: Expertise\n    summary: S.\n    phrases: [human security expertise]\n    definition: NATO lacks\n    exclude: [a consultant with human security expertise]\nrecommendations:\n  - slug: keep\n    title: Keep it\n    phrase: keep harm mitigation\n    rationale: R.\n";

    #[test]
    fn topic_links_mean_what_the_text_means() {
        let (pages, warnings) = gen(LINKS_SEED, Some(LINKS_DEC)).unwrap();
        let ch = &pages["chapters/01-first-chapter.md"];
        // The longer term, tied to its acronym, wins over the shorter topic.
        assert!(
            ch.contains("ended [civilian harm mitigation](../topics/civilian-harm.md) (CHM) work. [Harm mitigation](../topics/mitigating-harm.md) still"),
            "{ch}"
        );
        // Iraq's policy is not the PoC topic.
        assert!(
            ch.contains("Iraq's National Protection of Civilians (PoC) Policy."),
            "{ch}"
        );
        // The author's expertise is excluded; NATO's is linked.
        assert!(
            ch.contains("a consultant with human security expertise. NATO lacks [human security expertise](../topics/expertise.md)."),
            "{ch}"
        );
        // The first mention sits in a recommendation link: the next one, in
        // bold, is linked instead, without nesting links.
        assert!(
            ch.contains("**[keep harm mitigation](../recommendations/keep.md)** alive. It must also **value [harm mitigation](../topics/mitigating-harm.md)** work."),
            "{ch}"
        );
        assert!(ch.contains("[Protecting civilians](../topics/poc.md) means [harm mitigation](../topics/mitigating-harm.md) first."), "{ch}");
        // Excluded and proper-name places are not listed on the topic pages.
        let poc = &pages["topics/poc.md"];
        assert_eq!(poc.matches("(1 paragraph)").count(), 1, "{poc}");
        assert!(poc.contains("A Third Section"), "{poc}");
        let expertise = &pages["topics/expertise.md"];
        assert_eq!(expertise.matches("(1 paragraph)").count(), 1, "{expertise}");
        assert!(
            !warnings
                .iter()
                .any(|w| w.message.contains("excluded place")),
            "{warnings}"
        );
    }

    #[test]
    fn every_section_links_a_topic_it_mentions_only_inside_a_recommendation_link_or_bold() {
        let seed = format!(
            "{LINKS_SEED}\nA Fourth Section\n\nNATO should keep protection of civilians in mind at home. It should **grow human security expertise** too.\n\nA Fifth Section\n\nAllies must respond to harm mitigation needs.\n"
        );
        let dec = format!(
            "{LINKS_DEC}  - slug: mind\n    title: Mind it\n    phrase: keep protection of civilians in mind\n    rationale: R.\n  - slug: respond\n    title: Respond\n    phrase: respond to harm mitigation\n    rationale: R.\n"
        );
        let (pages, _) = gen(&seed, Some(&dec)).unwrap();
        let ch = &pages["chapters/01-first-chapter.md"];
        // The ask keeps its link on both sides of the topic's words.
        assert!(
            ch.contains("NATO should [keep](../recommendations/mind.md) [protection of civilians](../topics/poc.md) [in mind](../recommendations/mind.md) at home."),
            "{ch}"
        );
        // Bold does not hide a mention.
        assert!(
            ch.contains(
                "It should **grow [human security expertise](../topics/expertise.md)** too."
            ),
            "{ch}"
        );
        assert!(
            ch.contains("Allies must [respond to](../recommendations/respond.md) [harm mitigation](../topics/mitigating-harm.md) needs."),
            "{ch}"
        );
        // The section that had a free mention still links that one.
        assert!(
            ch.contains("**[keep harm mitigation](../recommendations/keep.md)** alive."),
            "{ch}"
        );
        let topics = decompose::parse(Path::new("d.yaml"), &dec).unwrap().topics;
        let listing = topiclinks::listing(&pages, &topics);
        let unlinked: Vec<_> = listing.iter().filter(|l| !l.linked).collect();
        assert!(unlinked.is_empty(), "{unlinked:#?}");
        assert!(listing
            .iter()
            .any(|l| l.phrase == "protection of civilians" && l.topic == "poc"));
    }

    #[test]
    fn a_photo_caption_without_its_photo_is_written_as_its_credit() {
        let seed =
            format!("{LINKS_SEED}\n▲ **Photo:** Civilian harm mitigation drill (source: ACME).\n");
        let dec = format!("photo_captions: [\"▲ Photo:\"]\n{LINKS_DEC}");
        let (pages, _) = gen(&seed, Some(&dec)).unwrap();
        let ch = &pages["chapters/01-first-chapter.md"];
        // Small print, no pointer at a missing photo, no topic link.
        assert!(
            ch.contains(
                "\n\n<small>**Photo:** Civilian harm mitigation drill (source: ACME).</small>\n"
            ),
            "{ch}"
        );
        let h = html(ch);
        assert!(
            h.contains("<p><small><strong>Photo:</strong> Civilian harm mitigation drill (source: ACME).</small></p>"),
            "{h}"
        );
        // Without `photo_captions` it is text like any other.
        let (pages, _) = gen(&seed, Some(LINKS_DEC)).unwrap();
        assert!(!pages["chapters/01-first-chapter.md"].contains("<small>"));
    }

    #[test]
    fn an_excluded_place_that_occurs_nowhere_is_a_warning_at_its_line() {
        let dec = LINKS_DEC.replace("a consultant with", "an adviser with");
        let (_, warnings) = gen(LINKS_SEED, Some(&dec)).unwrap();
        let w = warnings
            .iter()
            .find(|w| {
                w.message
                    .contains("excluded place \"an adviser with human security expertise\"")
            })
            .unwrap_or_else(|| panic!("{warnings}"));
        assert_eq!(w.line, 22);
    }

    #[test]
    fn an_acronym_page_states_the_expansion_once_with_definition_topic_and_uses() {
        let seed = LINKS_SEED.replace(
            "A Third Section\n\n",
            "A Third Section\n\n- **Protection of Civilians (PoC).** Formalised in a policy, PoC grew out of lessons learned.\n\n",
        );
        let (pages, _) = gen(&seed, Some(LINKS_DEC)).unwrap();
        let poc = &pages["acronyms/poc.md"];
        let (fm, body) = poc.split_once("\n---\n").unwrap();
        assert!(
            fm.contains("summary: Formalised in a policy, PoC grew out of lessons learned."),
            "{poc}"
        );
        assert!(fm.contains("expansion: Protection of Civilians"), "{poc}");
        // The header states the expansion; the body does not repeat it.
        assert!(
            !body.to_lowercase().contains("protection of civilians ("),
            "{poc}"
        );
        assert!(
            body.contains("Topic: [Protection of Civilians](../topics/poc.md)"),
            "{poc}"
        );
        assert!(
            body.contains("As the report explains it in [Chapter 1, “A Third Section”]"),
            "{poc}"
        );
        // One line per chapter, counting paragraphs.
        assert!(body.contains("## Where it is used\n\n- [Chapter 1: First chapter](../chapters/01-first-chapter.md#p-it-backed-iraqs-national-protection-of) (2 paragraphs)\n"), "{poc}");
        // Without a definition: where it is first used, and the summary says where.
        let chm = &pages["acronyms/chm.md"];
        assert!(chm.contains("summary: Used in chapter 1."), "{chm}");
        assert!(
            chm.contains("First used in [Chapter 1: First chapter]"),
            "{chm}"
        );
        assert!(
            chm.contains(
                "Topic: [Civilian harm mitigation and response](../topics/civilian-harm.md)"
            ),
            "{chm}"
        );
    }
}

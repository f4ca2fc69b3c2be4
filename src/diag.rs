//! Diagnostics: every problem a command finds, with the file, line and column it
//! stands at and a hint where one helps.
//!
//! Steps never stop at the first problem: they push into a [`Diagnostics`]
//! list, and the caller decides the exit status at the end (ripgrep's habit).
//! Output is sorted so the same input always prints the same report.

use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};

/// Whether [`note`]s are silenced.
static QUIET: AtomicBool = AtomicBool::new(false);

/// Silences [`note`]s for the rest of the process. `-q` must also silence
/// what a step says while it runs (that it waits for a lock), and no
/// step's options are the place for how the command line prints.
pub fn set_quiet(quiet: bool) {
    QUIET.store(quiet, Ordering::Relaxed);
}

/// Tells the user on stderr what a command is doing, unless `-q` asked for
/// nothing but errors.
pub fn note(text: fmt::Arguments) {
    if !QUIET.load(Ordering::Relaxed) {
        eprintln!("{text}");
    }
}

/// How bad a problem is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Level {
    /// Fails the command.
    Error,
    /// Reported, but the command succeeds.
    Warning,
}

impl fmt::Display for Level {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Level::Error => "error",
            Level::Warning => "warning",
        })
    }
}

/// The kind of a problem, named in `--format json`, in the closing summary
/// and in `silence` of dossier.toml. The names are stable: scripts and
/// configuration files hold them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub enum Code {
    /// A link to a page, file or anchor that does not exist.
    BrokenLink,
    /// An embed of a heading or a block the note does not have.
    EmbedTarget,
    /// A note that embeds itself, through others or directly.
    EmbedCycle,
    /// A shortcode of Zola or Hugo that dossier does not run.
    Shortcode,
    /// A front matter key dossier does not map.
    UnknownKey,
    /// Raw HTML written out as text.
    RawHtml,
    /// A page without `summary:`.
    NoSummary,
    /// A title that another page has too.
    DuplicateTitle,
    /// An alias that another page claims too.
    DuplicateAlias,
    /// An acronym used but not defined.
    UndefinedAcronym,
    /// An acronym defined but never used, or never matchable.
    UnusedAcronym,
    /// A page no other page links to.
    Orphan,
    /// A link with a scheme the site does not let through (`obsidian:`).
    Scheme,
    /// A chapter `SUMMARY.md` lists that does not exist.
    SummaryEntry,
    /// An `{{#include}}` that cannot be read.
    Include,
    /// Front matter that is not where it would be read.
    FrontMatter,
    /// Anything else.
    #[default]
    Other,
}

impl Code {
    /// Every code, in the order the guide lists them.
    pub const ALL: [Code; 17] = [
        Code::BrokenLink,
        Code::EmbedTarget,
        Code::EmbedCycle,
        Code::Shortcode,
        Code::UnknownKey,
        Code::RawHtml,
        Code::NoSummary,
        Code::DuplicateTitle,
        Code::DuplicateAlias,
        Code::UndefinedAcronym,
        Code::UnusedAcronym,
        Code::Orphan,
        Code::Scheme,
        Code::SummaryEntry,
        Code::Include,
        Code::FrontMatter,
        Code::Other,
    ];

    /// The stable name, as dossier.toml and JSON write it.
    pub fn name(self) -> &'static str {
        match self {
            Code::BrokenLink => "broken-link",
            Code::EmbedTarget => "embed-target",
            Code::EmbedCycle => "embed-cycle",
            Code::Shortcode => "shortcode",
            Code::UnknownKey => "unknown-key",
            Code::RawHtml => "raw-html",
            Code::NoSummary => "no-summary",
            Code::DuplicateTitle => "duplicate-title",
            Code::DuplicateAlias => "duplicate-alias",
            Code::UndefinedAcronym => "undefined-acronym",
            Code::UnusedAcronym => "unused-acronym",
            Code::Orphan => "orphan",
            Code::Scheme => "scheme",
            Code::SummaryEntry => "summary-entry",
            Code::Include => "include",
            Code::FrontMatter => "front-matter",
            Code::Other => "other",
        }
    }

    /// The code named `name`.
    pub fn from_name(name: &str) -> Option<Code> {
        Code::ALL.into_iter().find(|c| c.name() == name)
    }
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// One problem at one place.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// Error or warning.
    pub level: Level,
    /// The file the problem is in (as the user named it, e.g. `content/a.md`).
    pub path: PathBuf,
    /// 1-based line; 0 when the problem concerns the whole file.
    pub line: usize,
    /// 1-based column; 0 when unknown.
    pub col: usize,
    /// What is wrong, in one line.
    pub message: String,
    /// How to fix it, when we can tell.
    pub hint: Option<String>,
    /// What kind of problem it is, for the closing summary, `--format json`
    /// and `silence` in dossier.toml.
    pub code: Code,
    /// What it is about, for the summary's most frequent ones: the link's
    /// target, the shortcode's or the key's name, the shared title. (Boxed:
    /// a larger `Diagnostic` makes every `Result` that carries one too large
    /// for clippy on Windows, whose paths are larger.)
    pub subject: Option<Box<str>>,
}

impl Diagnostic {
    /// An error at `path:line:col`.
    pub fn error(
        path: impl Into<PathBuf>,
        line: usize,
        col: usize,
        message: impl Into<String>,
    ) -> Self {
        Diagnostic {
            level: Level::Error,
            path: path.into(),
            line,
            col,
            message: message.into(),
            hint: None,
            code: Code::Other,
            subject: None,
        }
    }

    /// A warning at `path:line:col`.
    pub fn warning(
        path: impl Into<PathBuf>,
        line: usize,
        col: usize,
        message: impl Into<String>,
    ) -> Self {
        Diagnostic {
            level: Level::Warning,
            ..Diagnostic::error(path, line, col, message)
        }
    }

    /// The same diagnostic with a hint attached.
    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    /// The same diagnostic, of kind `code`.
    pub fn with_code(mut self, code: Code) -> Self {
        self.code = code;
        self
    }

    /// The same diagnostic, about `subject` (a target or a name).
    pub fn with_subject(mut self, subject: impl Into<String>) -> Self {
        self.subject = Some(subject.into().into_boxed_str());
        self
    }

    fn sort_key(&self) -> (&Path, usize, usize, Level, &str) {
        (&self.path, self.line, self.col, self.level, &self.message)
    }
}

impl fmt::Display for Diagnostic {
    /// `path:line:col: level: message (hint: …)`, one line, the form editors and
    /// terminals can jump to.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.path.display())?;
        if self.line > 0 {
            write!(f, ":{}", self.line)?;
            if self.col > 0 {
                write!(f, ":{}", self.col)?;
            }
        }
        write!(f, ": {}: {}", self.level, self.message)?;
        if let Some(hint) = &self.hint {
            write!(f, " (hint: {hint})")?;
        }
        Ok(())
    }
}

/// All problems found by one command, in the order they were found.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Diagnostics(Vec<Diagnostic>);

impl Diagnostics {
    /// An empty list.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds one problem.
    pub fn push(&mut self, d: Diagnostic) {
        self.0.push(d);
    }

    /// Adds all problems of another list.
    pub fn extend(&mut self, other: Diagnostics) {
        self.0.extend(other.0);
    }

    /// True when at least one problem is an error.
    pub fn has_errors(&self) -> bool {
        self.0.iter().any(|d| d.level == Level::Error)
    }

    /// True when nothing was reported.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Number of problems.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// The problems sorted by file, line, column, and without exact repeats.
    pub fn sorted(mut self) -> Vec<Diagnostic> {
        self.0.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
        self.0.dedup();
        self.0
    }

    /// Keeps the problems `f` gives back (changed as it likes), in order.
    pub fn retain_map(&mut self, f: impl FnMut(Diagnostic) -> Option<Diagnostic>) {
        self.0 = std::mem::take(&mut self.0)
            .into_iter()
            .filter_map(f)
            .collect();
    }

    /// The problems in the order they were pushed.
    pub fn iter(&self) -> impl Iterator<Item = &Diagnostic> {
        self.0.iter()
    }
}

impl From<Diagnostic> for Diagnostics {
    fn from(d: Diagnostic) -> Self {
        Diagnostics(vec![d])
    }
}

impl FromIterator<Diagnostic> for Diagnostics {
    fn from_iter<I: IntoIterator<Item = Diagnostic>>(iter: I) -> Self {
        Diagnostics(iter.into_iter().collect())
    }
}

impl fmt::Display for Diagnostics {
    /// One line per problem, warnings first and errors last (what `serve`
    /// shows over the page after a failed rebuild).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for d in errors_last(self.clone().sorted()) {
            writeln!(f, "{d}")?;
        }
        Ok(())
    }
}

impl std::error::Error for Diagnostics {}

impl Diagnostic {
    /// The rustc-style form: the message, the place, the offending source line
    /// with a marker under the column, and the hint. `source` is the text of
    /// the file the diagnostic points into, when it can be read.
    pub fn render_long(&self, source: Option<&str>) -> String {
        let mut out = format!("{}: {}\n", self.level, self.message);
        let place = match (self.line, self.col) {
            (0, _) => self.path.display().to_string(),
            (l, 0) => format!("{}:{l}", self.path.display()),
            (l, c) => format!("{}:{l}:{c}", self.path.display()),
        };
        let line_text = source
            .filter(|_| self.line > 0)
            .and_then(|s| s.lines().nth(self.line - 1));
        let gutter = " ".repeat(self.line.max(1).to_string().len());
        out.push_str(&format!("{gutter}--> {place}\n"));
        if let Some(text) = line_text {
            let text = text.trim_end();
            out.push_str(&format!("{gutter} |\n{} | {text}\n", self.line));
            if self.col > 0 {
                // Keep tabs so the marker lines up under the same characters.
                let pad: String = text
                    .chars()
                    .take(self.col - 1)
                    .map(|c| if c == '\t' { '\t' } else { ' ' })
                    .collect();
                out.push_str(&format!("{gutter} | {pad}^\n"));
            }
        }
        if let Some(hint) = &self.hint {
            out.push_str(&format!("{gutter} = hint: {hint}\n"));
        }
        out
    }
}

/// The diagnostics as a JSON array of `{level, path, line, col, message, hint, code}`
/// objects, for editors and CI tools.
pub fn to_json(diags: &[Diagnostic]) -> String {
    let items: Vec<serde_json::Value> = diags
        .iter()
        .map(|d| {
            serde_json::json!({
                "level": d.level.to_string(),
                "path": d.path.display().to_string(),
                "line": d.line,
                "col": d.col,
                "message": d.message,
                "hint": d.hint,
                "code": d.code.name(),
            })
        })
        .collect();
    serde_json::to_string_pretty(&items).expect("JSON values always serialise")
}

/// The candidate nearest to `wanted`, if one is near enough to be what was
/// meant, for "did you mean" hints: compared without case, a letter or two
/// apart for a long enough word (transposed letters count once), or a
/// shortening of at least three letters. Ties go to the first in sort order.
pub fn nearest<'c>(wanted: &str, candidates: impl IntoIterator<Item = &'c str>) -> Option<&'c str> {
    let wanted = wanted.to_lowercase();
    let letters = Letters::of(&wanted);
    let near_enough = wanted.chars().count().max(3) / 3;
    candidates
        .into_iter()
        .filter_map(|c| {
            let lower = c.to_lowercase();
            let shortened = wanted.len() >= 3
                && (lower.starts_with(&wanted) || wanted.starts_with(lower.as_str()));
            // A site with many broken links asks this of every name for
            // every link: most names are ruled out by their letters alone,
            // without the distance, which costs the product of the lengths.
            if !shortened && letters.apart(&Letters::of(&lower)) > near_enough {
                return None;
            }
            let distance = strsim::osa_distance(&wanted, &lower);
            (distance <= near_enough || shortened).then_some((distance, c))
        })
        .min()
        .map(|(_, c)| c)
}

/// How many times each character occurs in a text, counted in 64 buckets.
struct Letters([u16; 64]);

impl Letters {
    fn of(text: &str) -> Letters {
        let mut counts = [0u16; 64];
        for c in text.chars() {
            let k = c as usize % 64;
            counts[k] = counts[k].saturating_add(1);
        }
        Letters(counts)
    }

    /// A lower bound of the edit distance between the two texts: an edit
    /// (a letter added, removed or changed, or two swapped) lessens by at
    /// most one both what the first has more of and what the second has.
    fn apart(&self, other: &Letters) -> usize {
        let (mut more, mut fewer) = (0usize, 0usize);
        for (a, b) in self.0.iter().zip(&other.0) {
            if a > b {
                more += usize::from(a - b);
            } else {
                fewer += usize::from(b - a);
            }
        }
        more.max(fewer)
    }
}

/// `n` and the noun, plural unless `n` is one: `count(1, "error")` is
/// "1 error", `count(2, "error")` "2 errors". For the regular nouns of
/// counts only (page, file, link, warning…).
pub fn count(n: usize, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

/// The problems in the order a reader should meet them: warnings first and
/// errors last, each group sorted, so that the errors stand right above the
/// closing line, never lost among many warnings.
pub fn errors_last(sorted: Vec<Diagnostic>) -> Vec<Diagnostic> {
    let (errors, mut rest): (Vec<_>, Vec<_>) =
        sorted.into_iter().partition(|d| d.level == Level::Error);
    rest.extend(errors);
    rest
}

/// 1-based line and column (in characters) of byte offset `offset` in `text`.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = &text[..floor_char_boundary(text, offset)];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let col = before[line_start..].chars().count() + 1;
    (line, col)
}

/// [`line_col`] of each of `offsets` in `text`, in one pass over the text
/// whatever their number and order (a file with many findings would be
/// read from its start once per finding otherwise).
pub fn line_cols(text: &str, offsets: &[usize]) -> Vec<(usize, usize)> {
    let mut order: Vec<usize> = (0..offsets.len()).collect();
    order.sort_by_key(|&k| offsets[k]);
    let mut out = vec![(1, 1); offsets.len()];
    let (mut line, mut col, mut pos) = (1, 1, 0);
    for k in order {
        let to = floor_char_boundary(text, offsets[k].min(text.len()));
        for c in text[pos..to].chars() {
            if c == '\n' {
                line += 1;
                col = 1;
            } else {
                col += 1;
            }
        }
        pos = to;
        out[k] = (line, col);
    }
    out
}

fn floor_char_boundary(text: &str, mut i: usize) -> usize {
    while i > 0 && !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn letters_apart_never_exceeds_the_edit_distance() {
        let words = [
            "",
            "a",
            "title",
            "titel",
            "tilte",
            "summary",
            "sumary",
            "légal",
            "legal",
            "protection of civilians",
            "protection of civilans",
            "civilians protection",
            "ngo",
            "nato",
            "ontario",
            "aaaa",
            "bbbb",
            "ab",
            "ba",
            "café",
            "cafe",
        ];
        for a in words {
            for b in words {
                let bound = Letters::of(a).apart(&Letters::of(b));
                let distance = strsim::osa_distance(a, b);
                assert!(bound <= distance, "{a:?} {b:?}: {bound} > {distance}");
            }
        }
        // It is tight enough to rule names out.
        assert_eq!(Letters::of("summary").apart(&Letters::of("title")), 7);
    }

    #[test]
    fn nearest_names_a_near_candidate_only() {
        let known = [
            "title",
            "tags",
            "Protection of Civilians",
            "legal-framework",
        ];
        assert_eq!(nearest("titel", known), Some("title"));
        assert_eq!(nearest("TAGS", known), Some("tags"));
        assert_eq!(
            nearest("protection of civilans", known),
            Some("Protection of Civilians")
        );
        assert_eq!(nearest("legal", known), Some("legal-framework"));
        assert_eq!(nearest("summary", known), None);
        assert_eq!(nearest("xy", known), None);
    }

    #[test]
    fn display_is_one_jumpable_line() {
        let d = Diagnostic::error("content/a.md", 3, 7, "broken link 'b.md'")
            .with_hint("did you mean c.md?");
        assert_eq!(
            d.to_string(),
            "content/a.md:3:7: error: broken link 'b.md' (hint: did you mean c.md?)"
        );
        let whole_file = Diagnostic::error("content/a.md", 0, 0, "empty file");
        assert_eq!(whole_file.to_string(), "content/a.md: error: empty file");
    }

    #[test]
    fn long_form_shows_the_source_line_and_a_marker() {
        let d = Diagnostic::error("content/a.md", 2, 5, "broken link 'b.md'")
            .with_hint("did you mean c.md?");
        let text = "---\nSee [b](b.md) here\n";
        assert_eq!(
            d.render_long(Some(text)),
            "error: broken link 'b.md'\n --> content/a.md:2:5\n  |\n2 | See [b](b.md) here\n  |     ^\n  = hint: did you mean c.md?\n"
        );
        let whole = Diagnostic::warning("content/a.md", 0, 0, "orphan page");
        assert_eq!(
            whole.render_long(Some(text)),
            "warning: orphan page\n --> content/a.md\n"
        );
    }

    #[test]
    fn sorted_orders_by_place_and_drops_repeats() {
        let mut ds = Diagnostics::new();
        ds.push(Diagnostic::error("b.md", 1, 1, "x"));
        ds.push(Diagnostic::error("a.md", 9, 1, "y"));
        ds.push(Diagnostic::error("a.md", 2, 5, "z"));
        ds.push(Diagnostic::error("a.md", 2, 5, "z"));
        let order: Vec<_> = ds.sorted().into_iter().map(|d| d.message).collect();
        assert_eq!(order, ["z", "y", "x"]);
    }

    #[test]
    fn counts_are_singular_for_one() {
        assert_eq!(
            [count(0, "error"), count(1, "error"), count(2, "warning")],
            ["0 errors", "1 error", "2 warnings"]
        );
    }

    #[test]
    fn errors_come_after_warnings() {
        let mut ds = Diagnostics::new();
        ds.push(Diagnostic::error("a.md", 1, 1, "e"));
        ds.push(Diagnostic::warning("b.md", 1, 1, "w"));
        ds.push(Diagnostic::warning("a.md", 2, 1, "v"));
        let order: Vec<_> = errors_last(ds.sorted())
            .into_iter()
            .map(|d| d.message)
            .collect();
        assert_eq!(order, ["v", "w", "e"]);
    }

    #[test]
    fn line_cols_agree_with_line_col_in_any_order() {
        let text = "ab\nçé x\n\n😀y\nz";
        let mut rng = crate::testing::Rng::new(0x243F_6A88_85A3_08D3);
        for _ in 0..500 {
            let offsets: Vec<usize> = (0..rng.next() % 6)
                .map(|_| rng.next() % (text.len() + 3))
                .collect();
            let each: Vec<_> = offsets.iter().map(|&o| line_col(text, o)).collect();
            assert_eq!(line_cols(text, &offsets), each, "{offsets:?}");
        }
    }

    #[test]
    fn line_col_counts_characters_not_bytes() {
        let text = "ab\nçé x";
        assert_eq!(line_col(text, 0), (1, 1));
        assert_eq!(line_col(text, 3), (2, 1));
        assert_eq!(line_col(text, text.find('x').unwrap()), (2, 4));
    }
}

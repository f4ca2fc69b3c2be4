//! Slugs: the ids of headings and blocks, derived from their text so that a
//! link to them survives edits elsewhere on the page.

use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};

/// Lowercase words joined by hyphens: `"Human security: why?"` → `human-security-why`.
/// Letters and digits of any script are kept; everything else separates words.
pub fn slugify(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    slugify_into(&mut out, text);
    out
}

/// [`slugify`], appended to `out`.
fn slugify_into(out: &mut String, text: &str) {
    slugify_words_into(out, text, usize::MAX);
}

/// [`slugify`] of the first `max_words` words of `text`, appended to `out`.
fn slugify_words_into(out: &mut String, text: &str, max_words: usize) {
    let start = out.len();
    let mut pending_dash = false;
    let mut words = 0;
    for c in text.chars() {
        // ASCII (most text) is decided and lowercased without the Unicode
        // tables; the rule is the same.
        let alphanumeric = if c.is_ascii() {
            c.is_ascii_alphanumeric()
        } else {
            c.is_alphanumeric()
        };
        if alphanumeric {
            if pending_dash || words == 0 {
                words += 1;
                if words > max_words {
                    break;
                }
            }
            if pending_dash && out.len() > start {
                out.push('-');
            }
            pending_dash = false;
            if c.is_ascii() {
                out.push(c.to_ascii_lowercase());
            } else {
                out.extend(c.to_lowercase());
            }
        } else if c == '\'' || c == '’' {
            // "NATO's" → "natos", not "nato-s".
        } else {
            pending_dash = true;
        }
    }
}

/// `slug` cut to at most `max` bytes, at the last hyphen that fits so that
/// no word is cut in half; a first word longer than `max` is cut between
/// characters.
pub fn shorten(slug: &str, max: usize) -> &str {
    if slug.len() <= max {
        return slug;
    }
    let mut end = max;
    while !slug.is_char_boundary(end) {
        end -= 1;
    }
    if slug[end..].starts_with('-') {
        return &slug[..end];
    }
    match slug[..end].rfind('-') {
        Some(i) if i > 0 => &slug[..i],
        _ => &slug[..end],
    }
}

/// How many words of a paragraph name it.
const BLOCK_ID_WORDS: usize = 6;

/// The id of a paragraph or list item: `p-` and the slug of its first words.
/// Content-derived (not positional) so that inserting a paragraph above does
/// not silently retarget every link to the ones below.
pub fn block_id(plain_text: &str) -> String {
    let mut id = String::with_capacity(2 + plain_text.len().min(64));
    id.push_str("p-");
    slugify_words_into(&mut id, plain_text, BLOCK_ID_WORDS);
    if id.len() == 2 {
        id.truncate(1);
    }
    id
}

/// Hands out ids that are unique within one page: the second `intro` becomes
/// `intro-2`, the third `intro-3`.
#[derive(Debug, Default, Clone)]
pub struct IdSet {
    used: HashSet<String>,
    /// Ids taken on every page (the templates'), shared by the pages' sets
    /// rather than copied into each.
    fixed: Option<&'static HashSet<String>>,
    /// Per base, the next suffix to try: a page with thousands of identical
    /// paragraphs must not retry `-2`, `-3`, … from the start every time.
    next: HashMap<String, usize>,
}

impl IdSet {
    /// An empty set.
    pub fn new() -> Self {
        Self::default()
    }

    /// A set in which the ids of `fixed` are taken.
    pub fn beside(fixed: &'static IdSet) -> Self {
        IdSet {
            fixed: Some(&fixed.used),
            ..Self::default()
        }
    }

    /// Marks `id` as taken without deduplicating (ids fixed by the template or
    /// chosen by the author); false if it was taken already.
    pub fn reserve(&mut self, id: &str) -> bool {
        !self.fixed.is_some_and(|f| f.contains(id)) && self.used.insert(id.to_string())
    }

    /// Returns `base`, or `base-N` with the smallest N that is still free.
    pub fn unique(&mut self, base: &str) -> String {
        let base = if base.is_empty() { "section" } else { base };
        if self.reserve(base) {
            return base.to_string();
        }
        let n = self.next.entry(base.to_string()).or_insert(2);
        loop {
            let candidate = format!("{base}-{n}");
            *n += 1;
            if !self.fixed.is_some_and(|f| f.contains(&candidate))
                && self.used.insert(candidate.clone())
            {
                return candidate;
            }
        }
    }

    /// Whether `id` is taken.
    pub fn contains(&self, id: &str) -> bool {
        self.used.contains(id) || self.fixed.is_some_and(|f| f.contains(id))
    }
}

/// The id GitHub gives a heading: its text lowercased, without punctuation
/// or symbols except `-` and `_`, spaces turned into `-` (`"Smileys &
/// Emotion"` → `smileys--emotion`).
pub fn github_slug(text: &str) -> String {
    text.trim()
        .chars()
        .filter(|&c| c.is_alphanumeric() || c == '-' || c == '_' || c == ' ')
        .flat_map(char::to_lowercase)
        .map(|c| if c == ' ' { '-' } else { c })
        .collect()
}

/// Hands out GitHub's heading ids for one page: a repeated `intro` becomes
/// `intro-1`, then `intro-2`.
#[derive(Debug, Default)]
pub struct GithubIds {
    used: HashSet<String>,
    repeats: HashMap<String, usize>,
}

impl GithubIds {
    /// The id of the next heading, whose text is `text`.
    pub fn next(&mut self, text: &str) -> String {
        let base = github_slug(text);
        let mut id = base.clone();
        while !self.used.insert(id.clone()) {
            let n = self.repeats.entry(base.clone()).or_insert(0);
            *n += 1;
            id = format!("{base}-{n}");
        }
        id
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn github_ids_keep_hyphens_and_count_repeats_from_one() {
        assert_eq!(github_slug("Smileys & Emotion"), "smileys--emotion");
        assert_eq!(github_slug("What's new? (v2.0)"), "whats-new-v20");
        assert_eq!(github_slug("snake_case and-dash"), "snake_case-and-dash");
        let mut ids = GithubIds::default();
        let got: Vec<String> = ["Intro", "Intro", "Intro 1", "Intro"]
            .iter()
            .map(|t| ids.next(t))
            .collect();
        assert_eq!(got, ["intro", "intro-1", "intro-1-1", "intro-2"]);
    }

    #[test]
    fn long_slugs_are_cut_at_a_word_boundary() {
        assert_eq!(shorten("short-slug", 60), "short-slug");
        let long = "the-protection-of-civilians-in-collective-defence-why-the-alliance-must";
        assert_eq!(
            shorten(long, 60),
            "the-protection-of-civilians-in-collective-defence-why-the"
        );
        // One long word has no boundary: cut between characters.
        let word = "é".repeat(40);
        assert_eq!(shorten(&word, 60), "é".repeat(30));
        assert_eq!(shorten(&format!("a-{word}"), 60), "a");
    }

    #[test]
    fn slugify_keeps_words_and_drops_punctuation() {
        assert_eq!(
            slugify("Human security: why invest in it now?"),
            "human-security-why-invest-in-it-now"
        );
        assert_eq!(slugify("  NATO's  C-SASE  "), "natos-c-sase");
        assert_eq!(slugify("Ünïcode Wörds"), "ünïcode-wörds");
        assert_eq!(slugify("!!!"), "");
    }

    #[test]
    fn block_id_uses_the_first_words() {
        assert_eq!(
            block_id("Despite the weaknesses and uneven implementation of the concept"),
            "p-despite-the-weaknesses-and-uneven-implementation"
        );
        assert_eq!(block_id("— …"), "p");
    }

    #[test]
    fn block_id_agrees_with_slugify_on_quotes() {
        for text in [
            "‘The HN and domestic CIMIC,’ CIMIC Handbook, para",
            "NATO, ‘The Ankara Summit Declaration,’ 8 July 2026",
            "Don’t split NATO’s words ’ here ‘ or there ok",
            "a",
        ] {
            let full: Vec<String> = slugify(text)
                .split('-')
                .take(BLOCK_ID_WORDS)
                .map(str::to_string)
                .collect();
            assert_eq!(block_id(text), format!("p-{}", full.join("-")), "{text}");
        }
    }

    #[test]
    fn block_ids_are_the_first_six_words_of_the_slug() {
        // The rule as first written: slug everything, keep six words.
        fn plain(text: &str) -> String {
            let slug = slugify(text);
            let words: Vec<&str> = slug.split('-').filter(|w| !w.is_empty()).take(6).collect();
            if words.is_empty() {
                "p".to_string()
            } else {
                format!("p-{}", words.join("-"))
            }
        }
        let alphabet = [
            "a",
            "B",
            "7",
            " ",
            "-",
            "'",
            "’",
            ".",
            "é",
            "İ",
            "ß",
            "Σ",
            "\u{1F600}",
            "x y ",
            "NATO's ",
            "\u{300}",
            "٣",
            "_",
        ];
        let mut rng = crate::testing::Rng::new(0x9E37_79B9_7F4A_7C15u64);
        for _ in 0..20_000 {
            let text = rng.text(&alphabet, 30);
            assert_eq!(block_id(&text), plain(&text), "{text:?}");
        }
    }

    #[test]
    fn ids_are_unique_per_set() {
        let mut ids = IdSet::new();
        assert_eq!(ids.unique("intro"), "intro");
        assert_eq!(ids.unique("intro"), "intro-2");
        assert_eq!(ids.unique("intro"), "intro-3");
        assert!(ids.reserve("x"));
        assert_eq!(ids.unique("x"), "x-2");
        assert_eq!(ids.unique(""), "section");
    }
}

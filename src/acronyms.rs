//! Finding defined acronyms in prose.
//!
//! Matching is case-sensitive and on word boundaries: `US` is found in
//! "the US military" and "US-led", never in "USA" or "us". Plurals (`NGOs`) and
//! acronyms that contain hyphens (`C-SASE`) are found too. The scan is one pass
//! over the text with a hash lookup per word, so its cost is linear in the text
//! whatever the number of acronyms.

use rustc_hash::FxHashMap;

/// The set of terms to look for, each mapped to a caller-chosen id.
#[derive(Debug, Clone, Default)]
pub struct Matcher {
    terms: FxHashMap<String, usize>,
    /// The most hyphen-separated parts any term has; bounds the work per word.
    max_parts: usize,
    /// Some term has no capital letter, so words without one must be looked
    /// up too (otherwise they are skipped: most words of prose have none).
    lowercase_terms: bool,
}

/// One occurrence: a byte range of the scanned text and the id of the term.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Hit {
    /// Byte offset where the occurrence starts.
    pub start: usize,
    /// Byte offset just past it (includes a plural `s`).
    pub end: usize,
    /// The id given to [`Matcher::insert`].
    pub id: usize,
}

impl Matcher {
    /// An empty matcher.
    pub fn new() -> Self {
        Self::default()
    }

    /// Looks for `term` from now on, reporting it as `id`.
    pub fn insert(&mut self, term: &str, id: usize) {
        let parts = term.split('-').count();
        self.max_parts = self.max_parts.max(parts);
        self.lowercase_terms |= !term.chars().any(char::is_uppercase);
        self.terms.insert(term.to_string(), id);
    }

    /// True when no term is defined.
    pub fn is_empty(&self) -> bool {
        self.terms.is_empty()
    }

    /// True when `term` is defined.
    pub fn contains(&self, term: &str) -> bool {
        self.terms.contains_key(term)
    }

    /// Every occurrence of a term in `text`, in order.
    pub fn find(&self, text: &str) -> Vec<Hit> {
        let mut hits = Vec::new();
        if !self.terms.is_empty() {
            self.scan(text, &mut hits, |_, _| {});
        }
        hits
    }

    /// Reads `text` once for two jobs: every occurrence of a term goes to
    /// `hits`, in order, and every word shaped like an acronym (see
    /// [`looks_like_acronym`]; a plural `s` dropped) that is no term goes to
    /// `undefined` with its byte offset.
    pub fn scan<'t>(
        &self,
        text: &'t str,
        hits: &mut Vec<Hit>,
        mut undefined: impl FnMut(usize, &'t str),
    ) {
        for (start, word) in words(text) {
            let shape = Shape::of(word);
            // A word without a capital contains no part with one.
            if !self.terms.is_empty() && (self.lowercase_terms || shape.has_capital) {
                self.match_word(word, start, hits);
            }
            if shape.may_be_acronym {
                let stem = word.strip_suffix('s').unwrap_or(word);
                if looks_like_acronym(stem) && !self.contains(stem) {
                    undefined(start, stem);
                }
            }
        }
    }

    fn lookup(&self, word: &str) -> Option<usize> {
        if let Some(&id) = self.terms.get(word) {
            return Some(id);
        }
        // Plural of an acronym: NGOs, IOs, HQs (the stem must end in a capital,
        // so "Bus" does not become "Bu" + s).
        let stem = word.strip_suffix('s')?;
        if stem.chars().last().is_some_and(|c| c.is_uppercase()) {
            return self.terms.get(stem).copied();
        }
        None
    }

    fn match_word(&self, word: &str, start: usize, hits: &mut Vec<Hit>) {
        if let Some(id) = self.lookup(word) {
            hits.push(Hit {
                start,
                end: start + word.len(),
                id,
            });
            return;
        }
        if !word.contains('-') || word.contains('@') {
            return;
        }
        // A hyphenated compound ("UK-led", "NATO-Ukraine", "C-SASE-related"):
        // longest run of parts first, so C-SASE beats C.
        let parts: Vec<(usize, &str)> = word
            .split('-')
            .scan(0usize, |pos, p| {
                let at = *pos;
                *pos += p.len() + 1;
                Some((at, p))
            })
            .collect();
        let mut i = 0;
        while i < parts.len() {
            let mut matched = false;
            let longest = (i + self.max_parts).min(parts.len());
            for j in (i + 1..=longest).rev() {
                let from = parts[i].0;
                let to = parts[j - 1].0 + parts[j - 1].1.len();
                let candidate = &word[from..to];
                if candidate.is_empty() {
                    continue;
                }
                if let Some(id) = self.lookup(candidate) {
                    hits.push(Hit {
                        start: start + from,
                        end: start + to,
                        id,
                    });
                    i = j;
                    matched = true;
                    break;
                }
            }
            if !matched {
                i += 1;
            }
        }
    }
}

/// What one look at a word's bytes tells: enough to skip most words of
/// prose (no capital, or not only capitals, digits and hyphens).
struct Shape {
    has_capital: bool,
    may_be_acronym: bool,
}

impl Shape {
    fn of(word: &str) -> Shape {
        let bytes = word.as_bytes();
        let mut capitals = 0usize;
        let mut only_acronym_bytes = true;
        let mut ascii = true;
        // A plural `s` does not count against the shape.
        let stem_len = bytes.len() - usize::from(bytes.last() == Some(&b's'));
        for (i, &b) in bytes.iter().enumerate() {
            if b.is_ascii_uppercase() {
                capitals += 1;
            } else if b >= 0x80 {
                ascii = false;
                only_acronym_bytes = false;
            } else if !(b.is_ascii_digit() || b == b'-') && i < stem_len {
                only_acronym_bytes = false;
            }
        }
        Shape {
            has_capital: capitals > 0 || (!ascii && word.chars().any(char::is_uppercase)),
            may_be_acronym: only_acronym_bytes && capitals >= 2,
        }
    }
}

/// Characters that belong to a word: letters, digits and the joiners that make
/// "e-mail", "x@y" or "a_b" one word.
fn is_word_char(c: char) -> bool {
    if c.is_ascii() {
        WORD_BYTE[c as usize]
    } else {
        c.is_alphanumeric()
    }
}

/// [`is_word_char`] for ASCII, as a table: it runs on every byte of prose.
static WORD_BYTE: [bool; 128] = {
    let mut t = [false; 128];
    let mut b = 0;
    while b < 128 {
        let c = b as u8;
        t[b] = c.is_ascii_alphanumeric() || matches!(c, b'_' | b'-' | b'@' | b'&');
        b += 1;
    }
    t
};

/// Whether a word is shaped like an acronym: two or more capitals, digits and
/// inner hyphens only (`NATO`, `C-SASE`, `G7`), used to warn about undefined ones.
pub fn looks_like_acronym(word: &str) -> bool {
    word.chars().filter(char::is_ascii_uppercase).count() >= 2
        && word
            .chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '-')
        && !word.starts_with('-')
        && !word.ends_with('-')
}

/// Splits text into words with their byte offsets. A dot or slash between two
/// letters joins them ("paxforpeace.nl", "U.S") so that domain names and
/// dotted abbreviations are never mistaken for acronyms.
pub fn words(text: &str) -> impl Iterator<Item = (usize, &str)> {
    let bytes = text.as_bytes();
    // The character at byte `i` and its length; ASCII (most of any text)
    // without decoding.
    let char_at = move |i: usize| -> (char, usize) {
        let b = bytes[i];
        if b < 0x80 {
            (b as char, 1)
        } else {
            let c = text[i..].chars().next().expect("i is a char boundary");
            (c, c.len_utf8())
        }
    };
    let mut i = 0;
    std::iter::from_fn(move || {
        // Skip to the start of a word.
        loop {
            if i >= bytes.len() {
                return None;
            }
            let (c, n) = char_at(i);
            if is_word_char(c) {
                break;
            }
            i += n;
        }
        let start = i;
        let mut end = i;
        while i < bytes.len() {
            let (c, n) = char_at(i);
            if is_word_char(c) {
                i += n;
                end = i;
            } else if (c == '.' || c == '/')
                && i + 1 < bytes.len()
                && char_at(i + 1).0.is_alphanumeric()
            {
                i += 1;
                end = i;
            } else {
                break;
            }
        }
        Some((start, &text[start..end]))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn matcher() -> Matcher {
        let mut m = Matcher::new();
        for (i, t) in ["US", "NGO", "IO", "C-SASE", "PoC", "UK", "NATO", "UN"]
            .iter()
            .enumerate()
        {
            m.insert(t, i);
        }
        m
    }

    fn found(text: &str) -> Vec<&str> {
        matcher()
            .find(text)
            .iter()
            .map(|h| &text[h.start..h.end])
            .collect()
    }

    #[test]
    fn whole_words_only_and_case_sensitive() {
        assert_eq!(found("the US and the USA and us"), ["US"]);
        assert_eq!(found("UNAMI is not UN"), ["UN"]);
        assert_eq!(found("poc PoC POC"), ["PoC"]);
    }

    #[test]
    fn plurals_and_hyphens() {
        assert_eq!(found("NGOs and IOs"), ["NGOs", "IOs"]);
        assert_eq!(found("FABN and C-SASE."), ["C-SASE"]);
        assert_eq!(found("the UK-led corps"), ["UK"]);
        assert_eq!(found("NATO-Ukraine centre"), ["NATO"]);
        assert_eq!(found("C-SASE-related"), ["C-SASE"]);
        assert_eq!(found("Bus"), Vec::<&str>::new());
    }

    #[test]
    fn possessives_and_punctuation_are_boundaries() {
        assert_eq!(found("NATO’s forces (UK), NATO."), ["NATO", "UK", "NATO"]);
    }

    #[test]
    fn emails_domains_and_dotted_forms_are_not_acronyms() {
        assert_eq!(
            found("PoC@paxforpeace.nl and U.S. policy"),
            Vec::<&str>::new()
        );
        assert_eq!(found("see www.UN.org"), Vec::<&str>::new());
    }

    #[test]
    fn offsets_are_byte_offsets_in_unicode_text() {
        let text = "Ünïcode – NGO";
        let hits = matcher().find(text);
        assert_eq!(&text[hits[0].start..hits[0].end], "NGO");
    }

    #[test]
    fn acronym_shape() {
        assert!(
            looks_like_acronym("NATO") && looks_like_acronym("C-SASE") && looks_like_acronym("G7S")
        );
        assert!(
            !looks_like_acronym("Nato") && !looks_like_acronym("A") && !looks_like_acronym("PoC")
        );
        assert!(!looks_like_acronym("-AB") && !looks_like_acronym("A1"));
    }

    #[test]
    fn many_hyphens_stay_linear() {
        let text = "-".repeat(100_000) + "US" + &"-x".repeat(50_000);
        assert_eq!(matcher().find(&text).len(), 1);
    }
}

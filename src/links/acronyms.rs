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
    /// The fewest ASCII capitals a term has: a word with fewer holds no
    /// term (matching is case-sensitive), and is not looked up. Capitalised
    /// words that start sentences have one, acronyms two or more.
    min_capitals: usize,
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
        let capitals = term.bytes().filter(u8::is_ascii_uppercase).count();
        self.min_capitals = match self.terms.is_empty() {
            true => capitals,
            false => self.min_capitals.min(capitals),
        };
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
        if self.lowercase_terms {
            return self.scan_every_word(text, hits, undefined);
        }
        let mut undefined = |at: usize, w: &'t str| {
            if !is_postcode_letters(text, at, w) {
                undefined(at, w);
            }
        };
        let mut visit = |w: Word<'t>| self.visit(w, hits, &mut undefined);
        // Only a word with a capital (or a non-ASCII letter, which may be
        // one) can be a term or look like an acronym, and most words of
        // prose have none: the text is searched for such bytes, and only the
        // words around them are read. Reading may start after any ASCII
        // whitespace or where a word ended, since no word spans either.
        let bytes = text.as_bytes();
        let mut pos = 0;
        let mut next = next_capital_or_non_ascii(bytes, pos);
        while let Some(hit) = next {
            // A capital alone up to the next space, as starts a sentence,
            // is in no word with two: such words hold no term when every
            // term has two (see `min_capitals`) and look like no acronym,
            // so they are passed over unread.
            if self.min_capitals >= 2 && bytes[hit].is_ascii_uppercase() {
                let space = bytes[hit..]
                    .iter()
                    .position(u8::is_ascii_whitespace)
                    .map_or(bytes.len(), |k| hit + k);
                let after = next_capital_or_non_ascii(bytes, hit + 1);
                if after.is_none_or(|a| a > space) {
                    pos = space;
                    next = after;
                    continue;
                }
            }
            let from = bytes[pos..hit]
                .iter()
                .rposition(u8::is_ascii_whitespace)
                .map_or(pos, |w| pos + w + 1);
            pos = text.len();
            for w in words(text, from) {
                let end = w.start + w.text.len();
                visit(w);
                if end > hit {
                    pos = end;
                    break;
                }
            }
            next = next_capital_or_non_ascii(bytes, pos);
        }
    }

    /// [`Matcher::scan`] reading every word of `text`, not only those near
    /// capitals: what the scan must find, for tests and fuzzing to compare.
    pub fn scan_every_word<'t>(
        &self,
        text: &'t str,
        hits: &mut Vec<Hit>,
        mut undefined: impl FnMut(usize, &'t str),
    ) {
        let mut undefined = |at: usize, w: &'t str| {
            if !is_postcode_letters(text, at, w) {
                undefined(at, w);
            }
        };
        for w in words(text, 0) {
            self.visit(w, hits, &mut undefined);
        }
    }

    /// What [`Matcher::scan`] does with each word.
    fn visit<'t>(
        &self,
        w: Word<'t>,
        hits: &mut Vec<Hit>,
        undefined: &mut impl FnMut(usize, &'t str),
    ) {
        // A word without a capital contains no part with one.
        if !self.terms.is_empty()
            && (self.lowercase_terms || w.has_capital)
            && w.capitals >= self.min_capitals
        {
            self.match_word(w.text, w.start, hits);
        }
        if w.may_be_acronym {
            let stem = w.text.strip_suffix('s').unwrap_or(w.text);
            if looks_like_acronym(stem) && !self.contains(stem) {
                undefined(w.start, stem);
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

/// Whether `word`, at byte `at` of `text`, is the two letters of a postcode
/// in an address (`3511 BS Utrecht`: four digits, two capitals, the town),
/// not an acronym. The number must open its line or follow a comma, so that
/// "in 2023 EU leaders" still reports `EU`.
fn is_postcode_letters(text: &str, at: usize, word: &str) -> bool {
    if word.len() != 2 || !word.bytes().all(|b| b.is_ascii_uppercase()) {
        return false;
    }
    let after = &text[at + word.len()..];
    let town_or_line_end = match after.strip_prefix(' ') {
        Some(rest) => rest.starts_with(|c: char| c.is_uppercase()),
        None => after.is_empty() || after.starts_with(['\n', '\r']),
    };
    let Some(number) = text[..at].strip_suffix(' ') else {
        return false;
    };
    let Some(split) = number.len().checked_sub(4) else {
        return false;
    };
    // Four ASCII bytes at the end make `split` a character boundary.
    let digits = &number.as_bytes()[split..];
    if !digits.iter().all(u8::is_ascii_digit) || digits[0] == b'0' {
        return false;
    }
    let before = &number[..split];
    town_or_line_end && (before.is_empty() || before.ends_with('\n') || before.ends_with(", "))
}

/// Why `title`, as an acronym, can never be found in prose: the first
/// character that is not part of a word for [`words`] (`+` in `C++`, the
/// space in `Human Rights Watch`), or `None` when prose that holds the title
/// as a word does match it.
pub fn never_matched_because(title: &str) -> Option<char> {
    let mut m = Matcher::new();
    m.insert(title, 0);
    if m.find(title)
        .iter()
        .any(|h| h.start == 0 && h.end == title.len())
    {
        return None;
    }
    let mut chars = title.chars().peekable();
    while let Some(c) = chars.next() {
        let joins = (c == '.' || c == '/') && chars.peek().is_some_and(|n| n.is_alphanumeric());
        if !is_word_char(c) && !joins {
            return Some(c);
        }
    }
    None
}

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

/// The first byte at or after `from` that is an ASCII capital or not ASCII:
/// the scan skips most of a text with it.
fn next_capital_or_non_ascii(bytes: &[u8], from: usize) -> Option<usize> {
    let wanted = |b: u8| b.is_ascii_uppercase() || !b.is_ascii();
    let rest = bytes.get(from..)?;
    // A chunk is tested without a branch per byte (which the compiler
    // turns into vector instructions); only the chunk with a hit is read
    // byte by byte.
    let mut skipped = 0;
    for chunk in rest.chunks_exact(CHUNK) {
        if chunk.iter().fold(false, |any, &b| any | wanted(b)) {
            break;
        }
        skipped += CHUNK;
    }
    let at = rest[skipped..].iter().position(|&b| wanted(b))?;
    Some(from + skipped + at)
}

/// The bytes [`next_capital_or_non_ascii`] tests at once: less than the
/// run of small letters between two capitals of prose.
const CHUNK: usize = 16;

/// A word of a text, with what the scan needs to know of it.
struct Word<'t> {
    /// Byte offset in the text.
    start: usize,
    text: &'t str,
    /// It has a capital letter (most words of prose have none).
    has_capital: bool,
    /// How many ASCII capitals it has.
    capitals: usize,
    /// ASCII with two or more capitals and nothing but capitals, digits and
    /// hyphens, a plural `s` aside: worth the full [`looks_like_acronym`] test.
    may_be_acronym: bool,
}

/// The character that starts at byte `i` of `text`.
fn char_at(text: &str, i: usize) -> char {
    text[i..].chars().next().expect("i is a char boundary")
}

/// Splits text into words with their byte offsets, from byte `from` on
/// (where no word may be under way). A dot or slash between two
/// letters joins them ("paxforpeace.nl", "U.S") so that domain names and
/// dotted abbreviations are never mistaken for acronyms. ASCII (most of any
/// text) is read byte by byte, and a word's shape is noted on the way.
fn words(text: &str, from: usize) -> impl Iterator<Item = Word<'_>> {
    let bytes = text.as_bytes();
    let mut i = from;
    std::iter::from_fn(move || {
        // Skip to the start of a word.
        loop {
            let &b = bytes.get(i)?;
            if b < 0x80 {
                if WORD_BYTE[usize::from(b)] {
                    break;
                }
                i += 1;
            } else {
                let c = char_at(text, i);
                if is_word_char(c) {
                    break;
                }
                i += c.len_utf8();
            }
        }
        let start = i;
        let mut capitals = 0usize;
        let mut other_capital = false;
        let mut ascii = true;
        // Bytes other than capitals, digits and hyphens: how many, the last.
        let mut others = 0usize;
        let mut last_other = 0usize;
        while i < bytes.len() {
            let b = bytes[i];
            if b.is_ascii_lowercase() {
                // Most of prose: a run of small letters in one tight loop.
                let run = bytes[i..]
                    .iter()
                    .position(|b| !b.is_ascii_lowercase())
                    .unwrap_or(bytes.len() - i);
                others += run;
                i += run;
                last_other = i - 1;
            } else if b < 0x80 {
                if WORD_BYTE[usize::from(b)] {
                    if b.is_ascii_uppercase() {
                        capitals += 1;
                    } else if !(b.is_ascii_digit() || b == b'-') {
                        others += 1;
                        last_other = i;
                    }
                    i += 1;
                } else if (b == b'.' || b == b'/')
                    && i + 1 < bytes.len()
                    && char_at(text, i + 1).is_alphanumeric()
                {
                    others += 1;
                    last_other = i;
                    i += 1;
                } else {
                    break;
                }
            } else {
                let c = char_at(text, i);
                if !is_word_char(c) {
                    break;
                }
                ascii = false;
                other_capital |= c.is_uppercase();
                i += c.len_utf8();
            }
        }
        let end = i;
        let plural_only = others == 1 && last_other == end - 1 && bytes[end - 1] == b's';
        Some(Word {
            start,
            text: &text[start..end],
            has_capital: capitals > 0 || other_capital,
            capitals,
            may_be_acronym: ascii && capitals >= 2 && (others == 0 || plural_only),
        })
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
    fn a_term_with_one_capital_is_found_beside_acronyms() {
        let mut m = matcher();
        m.insert("Brexit", 99);
        let text = "After Brexit, NATO and Brexit-era UK-led talks";
        let hits: Vec<&str> = m.find(text).iter().map(|h| &text[h.start..h.end]).collect();
        assert_eq!(hits, ["Brexit", "NATO", "Brexit", "UK"]);
        // Without it, no term has fewer than two capitals.
        assert_eq!(found("After Brexit, NATO"), ["NATO"]);
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
    fn titles_the_matcher_can_never_find_are_told_apart() {
        for title in ["NATO", "C-SASE", "PoC", "G7", "U.S", "x@y", "CO₂"] {
            assert_eq!(never_matched_because(title), None, "{title}");
        }
        assert_eq!(never_matched_because("C++"), Some('+'));
        assert_eq!(never_matched_because("U.S."), Some('.'));
        assert_eq!(never_matched_because("Human Rights Watch"), Some(' '));
        assert_eq!(never_matched_because("(UN)"), Some('('));
    }

    /// What [`Matcher::scan`] reports as shaped like an acronym but undefined.
    fn undefined_in(text: &str) -> Vec<&str> {
        let mut out = Vec::new();
        matcher().scan(text, &mut Vec::new(), |_, w| out.push(w));
        let mut every = Vec::new();
        matcher().scan_every_word(text, &mut Vec::new(), |_, w| every.push(w));
        assert_eq!(out, every, "{text}");
        out
    }

    #[test]
    fn the_letters_of_a_postcode_are_no_acronym() {
        assert_eq!(
            undefined_in("Sint Jacobsstraat 12\n3511 BS Utrecht"),
            Vec::<&str>::new()
        );
        assert_eq!(undefined_in("3511 BS"), Vec::<&str>::new());
        assert_eq!(undefined_in("PAX, 3511 BS Utrecht"), ["PAX"]);
        assert_eq!(undefined_in("In 2023 EU leaders met"), ["EU"]);
        assert_eq!(undefined_in("In 2023 EU Council"), ["EU"]);
        assert_eq!(undefined_in("12 BS Utrecht"), ["BS"]);
        assert_eq!(undefined_in("0511 BS Utrecht"), ["BS"]);
        assert_eq!(undefined_in("3511 BS utrecht"), ["BS"]);
        assert_eq!(undefined_in("3511 BSA Utrecht"), ["BSA"]);
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

    /// The word rule written plainly, char by char: the byte-level scan
    /// must split every text exactly like it.
    fn plain_words(text: &str) -> Vec<(usize, &str)> {
        let chars: Vec<(usize, char)> = text.char_indices().collect();
        let mut out = Vec::new();
        let mut k = 0;
        while k < chars.len() {
            if !is_word_char(chars[k].1) {
                k += 1;
                continue;
            }
            let start = chars[k].0;
            while k < chars.len() {
                let c = chars[k].1;
                let joins = (c == '.' || c == '/')
                    && chars.get(k + 1).is_some_and(|n| n.1.is_alphanumeric());
                if !(is_word_char(c) || joins) {
                    break;
                }
                k += 1;
            }
            let end = chars.get(k).map_or(text.len(), |c| c.0);
            out.push((start, &text[start..end]));
        }
        out
    }

    /// Pieces of text for the random tests: capitals, plurals, joiners,
    /// spaces and non-ASCII letters, alone and in words.
    const PIECES: &[&str] = &[
        "A",
        "b",
        "s",
        "x",
        "7",
        "-",
        ".",
        "/",
        "@",
        "_",
        "&",
        " ",
        "\n",
        "\t",
        ",",
        "’",
        "Ü",
        "é",
        "ß",
        "\u{1F600}",
        "NATO",
        "NGOs",
        "C-SASE",
        "PoC",
        "US",
        "UNHCR",
        "word ",
        "the ",
        "U.S",
        "Nato",
        "ABC",
        "B",
        "–",
    ];

    #[test]
    fn byte_scan_splits_like_the_plain_rule() {
        let mut rng = crate::testing::Rng::new(0x9E37_79B9_7F4A_7C15u64);
        let mut tested = 0;
        for _ in 0..20_000 {
            let text = rng.text(PIECES, 12);
            tested += text.len();
            let fast: Vec<(usize, &str)> = words(&text, 0).map(|w| (w.start, w.text)).collect();
            assert_eq!(fast, plain_words(&text), "{text:?}");
            for w in words(&text, 0) {
                let stem = w.text.strip_suffix('s').unwrap_or(w.text);
                assert!(w.may_be_acronym || !looks_like_acronym(stem), "{text:?}");
                assert_eq!(w.has_capital, w.text.chars().any(char::is_uppercase));
            }
        }
        assert!(tested > 100_000, "the texts are not empty");
    }

    #[test]
    fn skipping_to_capitals_finds_what_reading_every_word_finds() {
        let m = matcher();
        let mut rng = crate::testing::Rng::new(0x2545_F491_4F6C_DD1Du64);
        let mut with_hits = 0;
        for _ in 0..20_000 {
            let text = rng.text(PIECES, 40);
            let (mut fast, mut fast_undefined) = (Vec::new(), Vec::new());
            m.scan(&text, &mut fast, |at, w| fast_undefined.push((at, w)));
            let (mut all, mut all_undefined) = (Vec::new(), Vec::new());
            m.scan_every_word(&text, &mut all, |at, w| all_undefined.push((at, w)));
            assert_eq!(fast, all, "{text:?}");
            assert_eq!(fast_undefined, all_undefined, "{text:?}");
            with_hits += usize::from(!all.is_empty() && !all_undefined.is_empty());
        }
        assert!(with_hits > 1_000, "the texts have terms and other acronyms");
    }

    #[test]
    fn capitals_and_non_ascii_bytes_are_found_at_any_offset() {
        for len in 0..40 {
            for at in 0..len {
                for b in [b'A', b'Z', 0x80, 0xFF] {
                    let mut bytes: Vec<u8> = (0..len)
                        .map(|k| [b'a', b'@', b'[', b' ', b'z', b'0', 0x7F][k % 7])
                        .collect();
                    bytes[at] = b;
                    for from in 0..=at {
                        assert_eq!(next_capital_or_non_ascii(&bytes, from), Some(at));
                    }
                    assert_eq!(next_capital_or_non_ascii(&bytes, at + 1), None);
                }
            }
        }
    }

    #[test]
    fn many_hyphens_stay_linear() {
        let text = "-".repeat(100_000) + "US" + &"-x".repeat(50_000);
        assert_eq!(matcher().find(&text).len(), 1);
    }
}

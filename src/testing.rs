//! For unit tests: random texts on which a fast path is compared with the
//! plain rule it replaces (the sequence is fixed, so a failure repeats),
//! and the small readers of pages and built files several modules' tests
//! share.

use crate::content::Page;
use crate::output::OutFile;

/// Pages made from (path, text) pairs, as the content step would load them.
pub(crate) fn pages(specs: &[(&str, &str)]) -> Vec<Page> {
    specs
        .iter()
        .map(|(rel, text)| {
            crate::content::page_from_text(std::path::Path::new(rel), rel, text.to_string())
                .unwrap()
        })
        .collect()
}

/// A built file as text (empty for a copied file).
pub(crate) fn text(f: &OutFile) -> &str {
    match f {
        OutFile::Bytes(b) => std::str::from_utf8(b).unwrap_or(""),
        OutFile::Copy(_) => "",
    }
}

/// The values of the attributes named `name` in `html`.
pub(crate) fn attrs<'h>(html: &'h str, name: &str) -> Vec<&'h str> {
    let named = crate::html::attributes(html).filter(|a| a.is(name));
    named.map(|a| a.value).collect()
}

/// A xorshift generator.
pub(crate) struct Rng(u64);

impl Rng {
    /// A generator starting from `seed` (not zero).
    pub(crate) fn new(seed: u64) -> Self {
        Rng(seed)
    }

    /// The next number.
    pub(crate) fn next(&mut self) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 as usize
    }

    /// A text of fewer than `parts` pieces drawn from `alphabet`.
    pub(crate) fn text(&mut self, alphabet: &[&str], parts: usize) -> String {
        let mut text = String::new();
        for _ in 0..self.next() % parts {
            text.push_str(alphabet[self.next() % alphabet.len()]);
        }
        text
    }
}

/// Build options for a project in `dir`: `content/` in, `site/` out, the
/// built-in templates, everything else as a build defaults it.
pub(crate) fn options(dir: &std::path::Path) -> crate::build::BuildOptions {
    crate::build::BuildOptions::new(dir.join("content"), dir.join("templates"), dir.join("site"))
}

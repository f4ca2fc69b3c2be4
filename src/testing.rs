//! For unit tests: random texts on which a fast path is compared with the
//! plain rule it replaces. The sequence is fixed, so a failure repeats.

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

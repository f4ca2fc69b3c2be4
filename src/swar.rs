//! Eight bytes at a time: the byte tests that the scans over every page's
//! text share (acronyms, search words, escaping, sentence ends). Each works
//! on a `u64` of eight text bytes and marks a byte by setting its high bit.

/// The lowest bit of every byte.
pub(crate) const ONES: u64 = 0x0101_0101_0101_0101;

/// The high bit of every byte.
pub(crate) const HIGH: u64 = 0x8080_8080_8080_8080;

/// The low seven bits of every byte.
const LOW: u64 = 0x7F7F_7F7F_7F7F_7F7F;

/// Eight bytes of `bytes` from `at`, little-endian (byte `at` lowest), if
/// there are eight.
pub(crate) fn load8(bytes: &[u8], at: usize) -> Option<u64> {
    let eight = bytes.get(at..at.checked_add(8)?)?;
    Some(u64::from_le_bytes(eight.try_into().expect("eight bytes")))
}

/// The bytes of `x` below 128 that are strictly between `m` and `n` (`n` at
/// most 128), exactly: no borrow or carry crosses a byte.
pub(crate) fn between(x: u64, m: u8, n: u8) -> u64 {
    let (m, n) = (u64::from(m), u64::from(n));
    (ONES * (127 + n)).wrapping_sub(x & LOW) & !x & ((x & LOW) + ONES * (127 - m)) & HIGH
}

/// The bytes of `x` equal to `b`: exact for the lowest one (a byte above a
/// match may be marked too), which is all a forward search needs.
pub(crate) fn lowest_equal(x: u64, b: u8) -> u64 {
    let y = x ^ (ONES * u64::from(b));
    y.wrapping_sub(ONES) & !y & HIGH
}

/// The position of the lowest marked byte of a nonzero mask.
pub(crate) fn lowest(mask: u64) -> usize {
    mask.trailing_zeros() as usize / 8
}

/// The position of the highest marked byte of a nonzero mask (exact only
/// where every mark is, as with [`between`]).
pub(crate) fn highest(mask: u64) -> usize {
    (63 - mask.leading_zeros() as usize) / 8
}

/// The first position at or after `from` of a byte that `marks` (eight
/// bytes at a time; exact for the lowest marked byte) or, among the last
/// bytes, `test` picks out. Both must agree.
pub(crate) fn find_from(
    bytes: &[u8],
    from: usize,
    marks: impl Fn(u64) -> u64,
    test: impl Fn(u8) -> bool,
) -> Option<usize> {
    let mut at = from;
    while let Some(x) = load8(bytes, at) {
        match marks(x) {
            0 => at += 8,
            m => return Some(at + lowest(m)),
        }
    }
    (at..bytes.len()).find(|&i| test(bytes[i]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn byte_tests_mark_exactly_the_bytes_they_name() {
        for b in 0..128u8 {
            for at in 0..8 {
                let mut bytes = [b'x'; 8];
                bytes[at] = b;
                let x = u64::from_le_bytes(bytes);
                let marked = |mask: u64| mask & (0x80 << (8 * at)) != 0;
                assert_eq!(marked(between(x, b'a', b'z')), b > b'a' && b < b'z');
                assert_eq!(marked(between(x, 0x1F, 0x21)), b == b' ');
                assert_eq!(marked(lowest_equal(x, b'<')), b == b'<');
            }
        }
    }

    #[test]
    fn found_at_any_offset_from_any_start() {
        for len in 0..40 {
            for at in 0..len {
                let mut bytes = vec![b'a'; len];
                bytes[at] = b'<';
                for from in 0..=at {
                    let found = find_from(&bytes, from, |x| lowest_equal(x, b'<'), |b| b == b'<');
                    assert_eq!(found, Some(at));
                }
                let after = find_from(&bytes, at + 1, |x| lowest_equal(x, b'<'), |b| b == b'<');
                assert_eq!(after, None);
            }
        }
        assert_eq!(find_from(b"abc", 9, |_| 0, |_| true), None);
    }
}

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

/// The marks of a mask as eight bits, byte `k`'s mark as bit `k`.
pub(crate) fn bits(mask: u64) -> u64 {
    // Each high bit moved to bit 56 + k by one product: the eight shifted
    // copies land on distinct bits, so nothing carries.
    ((mask & HIGH) >> 7).wrapping_mul(0x0102_0408_1020_4080) >> 56
}

/// The 64 bytes of `bytes` from `at` as bits: bit `k` is set when byte
/// `at + k` is marked by `marks` (which must be exact for every byte, as
/// [`between`] is) or, among the last bytes, `test`; bytes past the end
/// are not marked.
pub(crate) fn mask64(
    bytes: &[u8],
    at: usize,
    marks: impl Fn(u64) -> u64,
    test: impl Fn(u8) -> bool,
) -> u64 {
    let mut mask = 0;
    for k in 0..8 {
        let from = at + 8 * k;
        let eight = match load8(bytes, from) {
            Some(x) => bits(marks(x)),
            None => bytes
                .get(from..)
                .unwrap_or_default()
                .iter()
                .enumerate()
                .filter(|(_, &b)| test(b))
                .fold(0, |m, (j, _)| m | 1 << j),
        };
        mask |= eight << (8 * k);
    }
    mask
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

    #[test]
    fn masks_of_64_bytes_have_a_bit_per_marked_byte() {
        let lower = |x: u64| between(x, b'a' - 1, b'z' + 1);
        let is_lower = |b: u8| b.is_ascii_lowercase();
        let mut rng = crate::testing::Rng::new(7);
        for _ in 0..500 {
            let text = rng.text(&["a", "z", " ", "A", "{", "`", "qqqqq"], 150);
            let bytes = text.as_bytes();
            for at in [0, 1, 7, 8, 63, 64, 65, 140, 200] {
                let want = (0..64)
                    .filter(|k| bytes.get(at + k).is_some_and(|&b| is_lower(b)))
                    .fold(0u64, |m, k| m | 1 << k);
                assert_eq!(mask64(bytes, at, lower, is_lower), want, "{text:?} at {at}");
            }
        }
        for k in 0..8 {
            assert_eq!(bits(0x80 << (8 * k)), 1 << k);
        }
        assert_eq!(bits(HIGH), 0xFF);
    }
}

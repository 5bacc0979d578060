//! Character classes shared by the layers.

/// Whether `c` is a CJK ideograph: the unified blocks (with extension A and
/// the supplementary planes) and the compatibility blocks.
pub(crate) fn is_han(c: char) -> bool {
    matches!(c,
        '\u{3400}'..='\u{4DBF}'
        | '\u{4E00}'..='\u{9FFF}'
        | '\u{F900}'..='\u{FAFF}'
        | '\u{20000}'..='\u{2FA1F}'
        | '\u{30000}'..='\u{323AF}'
        | '〇')
}

/// Whether `c` is full-width (CJK) punctuation that sits inside Chinese
/// sentences: 。，、；：？！“”‘’（）《》〈〉【】「」『』〔〕…— and their kin.
pub(crate) fn is_cjk_punct(c: char) -> bool {
    matches!(c,
        '\u{3001}'..='\u{3003}'
        | '\u{3008}'..='\u{3011}'
        | '\u{3014}'..='\u{301F}'
        | '\u{2018}' | '\u{2019}' | '\u{201C}' | '\u{201D}'
        | '\u{2026}' | '\u{2014}' | '\u{00B7}'
        | '\u{FF01}' | '\u{FF08}' | '\u{FF09}' | '\u{FF0C}' | '\u{FF1A}' | '\u{FF1B}' | '\u{FF1F}')
}

/// Whether `c` belongs to Chinese text: an ideograph or CJK punctuation.
pub(crate) fn is_chinese(c: char) -> bool {
    is_han(c) || is_cjk_punct(c)
}

/// The length of the UTF-8 character whose first byte is `lead` (1 for a
/// byte that cannot start one). The byte scans step through a text with
/// it, one character at a time, where only some lead bytes matter; the
/// form search reads the lengths of two characters at every character. A
/// table, for a lookup costs the same whatever the byte.
#[inline(always)]
pub(crate) fn utf8_width(lead: u8) -> usize {
    usize::from(UTF8_WIDTH[usize::from(lead)])
}

/// [`utf8_width`] by lead byte: 2 for C0–DF, 3 for E0–EF, 4 for F0–FF,
/// else 1.
static UTF8_WIDTH: [u8; 256] = {
    let mut t = [1u8; 256];
    let mut b = 0xC0;
    while b < 0x100 {
        t[b] = if b < 0xE0 {
            2
        } else if b < 0xF0 {
            3
        } else {
            4
        };
        b += 1;
    }
    t
};

/// A byte that [`find_byte`] looks for, or two bytes that differ in one
/// bit (the lead bytes `E2` and `E3`, for one), which are looked for at
/// the cost of one.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Stop {
    /// The byte, or the two bytes with their differing bit set.
    value: u8,
    /// The differing bit, if any.
    mask: u8,
}

impl Stop {
    /// Byte `b`.
    pub(crate) const fn byte(b: u8) -> Stop {
        Stop { value: b, mask: 0 }
    }

    /// Bytes `a` and `b`, which differ in one bit (checked when the
    /// constant is built).
    pub(crate) const fn either(a: u8, b: u8) -> Stop {
        assert!((a ^ b).count_ones() == 1, "the two bytes differ in one bit");
        Stop {
            value: a | b,
            mask: a ^ b,
        }
    }
}

/// The first position at or after `from` whose byte is one `stop` accepts,
/// or the length of `bytes`. `stop` may accept any ASCII byte, but of the
/// others only those in `high` (at most a few).
///
/// The byte scans of the layers skip with it what they do not look at: a
/// scan that stops only at bytes that start a character (never a UTF-8
/// continuation byte, 80–BF) may skip byte by byte instead of character by
/// character, and lands on a character. Eight bytes are read as one
/// number and tested at once for an ASCII byte or a byte of `high` (the
/// usual bit tricks: a byte of `(x | m·0x0101…) ^ v·0x0101…` is zero where
/// `x` has a byte of [`Stop`] `v`, `m`);
/// only eight bytes that hold one are looked at one by one. Chinese text
/// is mostly three-byte characters whose lead bytes (E4–E9) no scan stops
/// at, so most of it is skipped eight bytes a step ([`find_any_where`]:
/// sixteen).
#[inline]
pub(crate) fn find_byte(
    bytes: &[u8],
    from: usize,
    high: &[Stop],
    stop: impl Fn(u8) -> bool,
) -> usize {
    find_in_words(bytes, from, true, (high, &[]), |i| stop(bytes[i]))
}

/// The first position at or after `from` whose byte is one of `set` (a
/// few bytes, ASCII or not) and where `stop`, given the position, accepts
/// it, or the length of `bytes`: [`find_byte`] for a scan that stops at
/// only a few ASCII bytes, so that digits and Latin letters in Chinese
/// text do not make it look at eight bytes one by one. `stop` passes over
/// the bytes of `set` that stop nothing (a lead byte that CJK punctuation
/// shares with what the scan looks for), so that the rest of the character
/// is looked at without leaving the search.
#[inline]
pub(crate) fn find_any_where<const N: usize>(
    bytes: &[u8],
    from: usize,
    set: &[u8; N],
    stop: impl Fn(usize) -> bool,
) -> usize {
    find_in_words(bytes, from, false, (&set.map(Stop::byte), set), |i| {
        set.contains(&bytes[i]) && stop(i)
    })
}

/// [`find_byte`] (`any_ascii`: every ASCII byte may stop) and
/// [`find_any_where`] (only the bytes of `listed`, which are `blocks`,
/// each byte alone, when not empty); `stop` is given the position of a
/// byte that may stop.
#[inline]
fn find_in_words(
    bytes: &[u8],
    from: usize,
    any_ascii: bool,
    (listed, blocks): (&[Stop], &[u8]),
    stop: impl Fn(usize) -> bool,
) -> usize {
    const LO: u64 = 0x0101_0101_0101_0101;
    const HI: u64 = 0x8080_8080_8080_8080;
    // The first byte of the eight from `at` that stops, if one does.
    let in_word = |at: usize| {
        let word = &bytes[at..at + 8];
        let x = u64::from_le_bytes(word.try_into().expect("eight bytes"));
        // The high bit of each byte that may stop: ASCII (top bit clear) …
        let mut maybe = if any_ascii { !x & HI } else { 0 };
        for s in listed {
            // … or a byte of `s`: where a byte of `y` is zero. A byte above
            // a zero byte may be flagged too (a borrow), never one below,
            // so the lowest flag is exact; every flag is checked by `stop`.
            let y = (x | LO.wrapping_mul(u64::from(s.mask))) ^ LO.wrapping_mul(u64::from(s.value));
            maybe |= y.wrapping_sub(LO) & !y & HI;
        }
        while maybe != 0 {
            let k = (maybe.trailing_zeros() / 8) as usize;
            if stop(at + k) {
                return Some(at + k);
            }
            maybe &= maybe - 1;
        }
        None
    };
    let mut i = from;
    // A scan that stops at a few listed bytes only (the Unicode layer's,
    // the marks') first asks of sixteen bytes whether any is one of
    // `blocks`: a test the compiler makes with vector instructions (a
    // comparison of the sixteen per byte; it does not with pairs of
    // bytes) and that passes over about three blocks in four of Chinese
    // text. Every ASCII byte stops the other scans (the punctuation
    // layer's) too often for that to pay.
    while let Some(block) = bytes.get(i..i + 16).filter(|_| !blocks.is_empty()) {
        let mut any = false;
        for &b in block {
            for &h in blocks {
                any |= b == h;
            }
        }
        if any {
            if let Some(at) = in_word(i).or_else(|| in_word(i + 8)) {
                return at;
            }
        }
        i += 16;
    }
    while bytes.len() >= i + 8 {
        if let Some(at) = in_word(i) {
            return at;
        }
        i += 8;
    }
    while i < bytes.len() && !stop(i) {
        i += 1;
    }
    i
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf8_widths() {
        for c in [
            'a',
            '\u{7F}',
            'é',
            '\u{7FF}',
            '中',
            '\u{FFFF}',
            '😀',
            '\u{10FFFF}',
        ] {
            let mut buf = [0u8; 4];
            assert_eq!(
                utf8_width(c.encode_utf8(&mut buf).as_bytes()[0]),
                c.len_utf8()
            );
        }
        assert_eq!(utf8_width(0x80), 1);
        assert_eq!(utf8_width(0xFF), 4);
    }

    #[test]
    fn classes() {
        assert!(is_han('中') && is_han('〇') && is_han('𠀀') && is_han('豈'));
        assert!(!is_han('，') && !is_han('a') && !is_han('⼀'));
        assert!(is_cjk_punct('，') && is_cjk_punct('“') && is_cjk_punct('〔'));
        assert!(!is_cjk_punct(',') && !is_cjk_punct('中'));
        assert!(is_chinese('中') && is_chinese('。') && !is_chinese('.'));
    }

    proptest::proptest! {
        #[test]
        fn find_byte_finds_the_first(
            bytes in proptest::collection::vec(
                proptest::sample::select(vec![b'a', b',', b'\n', 0xE2, 0xE3, 0xE4, 0x80, 0xBC, 0xEF]),
                0..60,
            ),
            from in 0usize..65,
            ascii_stop in proptest::sample::select(vec![b',', b'\n', b'a']),
            high in proptest::sample::select(vec![
                vec![],
                vec![0xE2u8],
                vec![0xE3, 0xEF],
                vec![0xC2, 0xE2, 0xE3],
            ]),
            pair: bool,
        ) {
            let from = from.min(bytes.len());
            let stop = |b: u8| b == ascii_stop || high.contains(&b);
            let want = bytes[from..]
                .iter()
                .position(|&b| stop(b))
                .map_or(bytes.len(), |k| from + k);
            // The high bytes one by one, or E2 and E3 as a pair.
            let stops: Vec<Stop> = match high.as_slice() {
                [0xC2, 0xE2, 0xE3] if pair => vec![Stop::byte(0xC2), Stop::either(0xE2, 0xE3)],
                _ => high.iter().map(|&b| Stop::byte(b)).collect(),
            };
            proptest::prop_assert_eq!(find_byte(&bytes, from, &stops, stop), want);
            let mut set = [ascii_stop; 4];
            set[..high.len()].copy_from_slice(&high);
            proptest::prop_assert_eq!(find_any_where(&bytes, from, &set, |_| true), want);
            // Stopping only where the next byte is even.
            let even = |i: usize| bytes.get(i + 1).is_some_and(|b| b % 2 == 0);
            let want = (from..bytes.len())
                .find(|&i| set.contains(&bytes[i]) && even(i))
                .unwrap_or(bytes.len());
            proptest::prop_assert_eq!(find_any_where(&bytes, from, &set, even), want);
        }
    }
}

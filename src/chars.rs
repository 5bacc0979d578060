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
/// it, one character at a time, where only some lead bytes matter.
pub(crate) fn utf8_width(lead: u8) -> usize {
    match lead {
        0xC0..=0xDF => 2,
        0xE0..=0xEF => 3,
        0xF0..=0xFF => 4,
        _ => 1,
    }
}

/// The first position at or after `from` whose byte is one `stop` accepts,
/// or the length of `bytes`.
///
/// The byte scans of the layers skip with it what they do not look at: a
/// scan that stops only at bytes that start a character (never a UTF-8
/// continuation byte, 80–BF) may skip byte by byte instead of character by
/// character, and lands on a character. Eight bytes are tested at a time,
/// with no step depending on the one before, so that the processor can
/// overlap them.
#[inline]
pub(crate) fn find_byte(bytes: &[u8], from: usize, stop: impl Fn(u8) -> bool) -> usize {
    let mut i = from;
    while let Some(c) = bytes.get(i..i + 8) {
        if stop(c[0])
            | stop(c[1])
            | stop(c[2])
            | stop(c[3])
            | stop(c[4])
            | stop(c[5])
            | stop(c[6])
            | stop(c[7])
        {
            break;
        }
        i += 8;
    }
    while i < bytes.len() && !stop(bytes[i]) {
        i += 1;
    }
    i
}

#[cfg(test)]
mod tests {
    use super::*;

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
            bytes in proptest::collection::vec(proptest::num::u8::ANY, 0..40),
            from in 0usize..45,
            stop in proptest::num::u8::ANY,
        ) {
            let from = from.min(bytes.len());
            let want = bytes[from..]
                .iter()
                .position(|&b| b == stop)
                .map_or(bytes.len(), |k| from + k);
            proptest::prop_assert_eq!(find_byte(&bytes, from, |b| b == stop), want);
        }
    }
}

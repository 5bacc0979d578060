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
}

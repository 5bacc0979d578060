//! The candidate search: every occurrence of a few hundred short forms in
//! one leftmost-longest pass.
//!
//! At each character, a bit of a small table says whether some form may
//! start with it and the character after it (a hash of the two characters;
//! another bit per BMP code point for forms of one character); only then
//! are the forms starting with that character compared, longest first. The
//! first that matches is taken and the search goes on after it, else after
//! the character. This finds exactly what a leftmost-longest Aho-Corasick
//! automaton finds (at the leftmost place where a form occurs, the longest
//! form that occurs there), without an automaton to build: the forms are
//! words of a few characters, so each comparison is short.
//!
//! Why two characters: the forms' first characters are common (发, 基, 安,
//! 部 …): about one character in four of government text starts a form, and
//! a test that passes that often, at random, is a branch the processor
//! mispredicts again and again. The first two characters of a form occur at
//! about one place in twenty.

/// Forms compiled for [`Forms::for_each_match`].
#[derive(Debug)]
pub(crate) struct Forms {
    /// The forms, by id.
    forms: Vec<Box<str>>,
    /// One bit per BMP code point: some form of one character is this
    /// character. Small (8 KB), so it stays in the first-level cache.
    singles: Vec<u64>,
    /// One bit per hash of two characters ([`pair_bit`]): set for the first
    /// two characters of every form of two or more characters (8 KB).
    pairs: Vec<u64>,
    /// Per first character, its range of `by_first`, in an open-addressing
    /// hash table (a power of two of slots, at most half full, linear
    /// probing; [`EMPTY`] marks a free slot): a few kilobytes for the
    /// built-in table, where a table by code point would take 128 KB.
    groups: Vec<(u32, u32, u32)>,
    /// The forms sorted by first character and then by length, longest
    /// first.
    by_first: Vec<Entry>,
}

/// A form in [`Forms::by_first`], with its first eight bytes (fewer for a
/// shorter form) as a little-endian number and a mask of them, so that
/// most comparisons take one load of the text and no look at the form.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
struct Entry {
    first: char,
    longest: std::cmp::Reverse<usize>,
    id: usize,
    prefix: u64,
    mask: u64,
}

/// Up to eight bytes of `b` as a little-endian number, zeros after its end.
fn head8(b: &[u8]) -> u64 {
    let mut buf = [0u8; 8];
    let n = b.len().min(8);
    buf[..n].copy_from_slice(&b[..n]);
    u64::from_le_bytes(buf)
}

impl Forms {
    /// Compiles `forms`; a form's id is its index. Empty forms never match.
    pub(crate) fn new<S: AsRef<str>>(forms: &[S]) -> Forms {
        let mut by_first = Vec::with_capacity(forms.len());
        for (id, f) in forms.iter().enumerate() {
            let f = f.as_ref();
            if let Some(first) = f.chars().next() {
                let n = f.len().min(8);
                by_first.push(Entry {
                    first,
                    longest: std::cmp::Reverse(f.len()),
                    id,
                    prefix: head8(f.as_bytes()),
                    mask: if n == 8 { u64::MAX } else { (1 << (8 * n)) - 1 },
                });
            }
        }
        by_first.sort_unstable();
        let mut ranges: Vec<(u32, std::ops::Range<usize>)> = Vec::new();
        for (k, e) in by_first.iter().enumerate() {
            match ranges.last_mut() {
                Some((c, range)) if *c == e.first as u32 => range.end = k + 1,
                _ => ranges.push((e.first as u32, k..k + 1)),
            }
        }
        let mut singles = vec![0u64; 0x1_0000 / 64];
        let mut pairs = vec![0u64; PAIR_BITS / 64];
        for f in forms {
            let mut chars = f.as_ref().chars();
            match (chars.next(), chars.next()) {
                (Some(c0), Some(c1)) => {
                    let bit = pair_bit(c0 as u32, c1 as u32);
                    pairs[bit / 64] |= 1 << (bit % 64);
                }
                (Some(c0), None) => {
                    if let Some(word) = singles.get_mut(c0 as usize / 64) {
                        *word |= 1 << (c0 as u32 % 64);
                    }
                }
                _ => {}
            }
        }
        let size = (2 * ranges.len()).next_power_of_two().max(16);
        let mut groups = vec![(EMPTY, 0, 0); size];
        for (c, range) in ranges {
            let mut at = slot(c, size);
            while groups[at].0 != EMPTY {
                at = (at + 1) & (size - 1);
            }
            // Ranges index `by_first`, which holds fewer than 2^32 forms.
            groups[at] = (c, range.start as u32, range.end as u32);
        }
        Forms {
            forms: forms.iter().map(|f| Box::from(f.as_ref())).collect(),
            singles,
            pairs,
            groups,
            by_first,
        }
    }

    /// Whether a form may start with the character `c0` followed by `c1`
    /// ([`NO_CHAR`] at the end of the text): `false` only when none does.
    /// Without a branch on either table, for the answer is hard to predict
    /// where a form's first characters are common.
    #[inline]
    fn may_start(&self, c0: u32, c1: u32) -> bool {
        // A character beyond the BMP may be a form of one character.
        let single = self
            .singles
            .get(c0 as usize / 64)
            .is_none_or(|w| w >> (c0 % 64) & 1 != 0);
        let bit = pair_bit(c0, c1);
        let pair = self.pairs[bit / 64] >> (bit % 64) & 1 != 0;
        single | pair
    }

    /// The forms that start with the character `cp` (a code point), longest
    /// first.
    #[inline]
    fn starting_with(&self, cp: u32) -> &[Entry] {
        let size = self.groups.len();
        let mut at = slot(cp, size);
        loop {
            let (c, start, end) = self.groups[at];
            if c == cp {
                return &self.by_first[start as usize..end as usize];
            }
            if c == EMPTY {
                return &[];
            }
            at = (at + 1) & (size - 1);
        }
    }

    /// Calls `each` with the occurrences in `text`, leftmost-longest, as
    /// (id, start, end) byte ranges, in order and never overlapping. A
    /// loop with a callback rather than an iterator: the loop's state stays
    /// in registers, where an iterator's is written back at every step.
    pub(crate) fn for_each_match(&self, text: &str, mut each: impl FnMut(usize, usize, usize)) {
        let bytes = text.as_bytes();
        let mut i = 0;
        // The character at `i`, decoded one step ahead.
        let mut cur = decode_at(bytes, 0);
        'chars: while i < bytes.len() {
            let at = i;
            let (cp, width) = cur;
            i += width;
            cur = decode_at(bytes, i);
            if !self.may_start(cp, cur.0) {
                continue;
            }
            let rest = &bytes[at..];
            let window = head8(rest);
            for e in self.starting_with(cp) {
                let len = e.longest.0;
                // The form's bytes are rest[..len]: its first eight in one
                // comparison, the others (forms of more than two ideographs)
                // after.
                if len <= rest.len()
                    && window & e.mask == e.prefix
                    && (len <= 8 || rest[8..len] == self.forms[e.id].as_bytes()[8..])
                {
                    i = at + len;
                    cur = decode_at(bytes, i);
                    each(e.id, at, i);
                    continue 'chars;
                }
            }
        }
    }
}

/// A free slot of [`Forms::groups`]: not a code point.
const EMPTY: u32 = u32::MAX;

/// The first slot of code point `cp` in a hash table of `size` slots (a
/// power of two).
fn slot(cp: u32, size: usize) -> usize {
    (cp.wrapping_mul(0x9E37_79B1) as usize >> 7) & (size - 1)
}

/// Bits of [`Forms::pairs`]: 2^16 (8 KB), so that the few hundred pairs of
/// first characters set under 1% of them.
const PAIR_BITS: usize = 1 << 16;

/// Not a character: what follows the last character of a text.
const NO_CHAR: u32 = u32::MAX;

/// The bit of [`Forms::pairs`] for characters `c0`, `c1`.
#[inline]
fn pair_bit(c0: u32, c1: u32) -> usize {
    let key = u64::from(c0) << 32 | u64::from(c1);
    (key.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> (64 - PAIR_BITS.trailing_zeros())) as usize
}

/// [`decode`] at `at`, or ([`NO_CHAR`], 0) at the end of `bytes`.
#[inline]
fn decode_at(bytes: &[u8], at: usize) -> (u32, usize) {
    if at < bytes.len() {
        decode(bytes, at)
    } else {
        (NO_CHAR, 0)
    }
}

/// The code point of the character of valid UTF-8 `bytes` starting at
/// `at`, and its length in bytes.
#[inline(always)]
fn decode(bytes: &[u8], at: usize) -> (u32, usize) {
    let b0 = u32::from(bytes[at]);
    let next = |k: usize| u32::from(bytes[at + k] & 0x3F);
    match b0 {
        0..0x80 => (b0, 1),
        0x80..0xE0 => ((b0 & 0x1F) << 6 | next(1), 2),
        0xE0..0xF0 => ((b0 & 0x0F) << 12 | next(1) << 6 | next(2), 3),
        _ => (
            (b0 & 0x07) << 18 | next(1) << 12 | next(2) << 6 | next(3),
            4,
        ),
    }
}

#[cfg(test)]
mod tests {
    use aho_corasick::{AhoCorasick, MatchKind};

    use super::*;

    /// What a leftmost-longest Aho-Corasick automaton finds.
    fn reference(forms: &[&str], text: &str) -> Vec<(usize, usize, usize)> {
        AhoCorasick::builder()
            .match_kind(MatchKind::LeftmostLongest)
            .build(forms)
            .unwrap()
            .find_iter(text)
            .map(|m| (m.pattern().as_usize(), m.start(), m.end()))
            .collect()
    }

    /// What [`Forms::for_each_match`] finds.
    fn matches(forms: &Forms, text: &str) -> Vec<(usize, usize, usize)> {
        let mut got = Vec::new();
        forms.for_each_match(text, |id, start, end| got.push((id, start, end)));
        got
    }

    #[test]
    fn leftmost_longest() {
        let forms = [
            "过程",
            "经由过程",
            "经由",
            "发展",
            "展开",
            "开展",
            "战",
            "和",
            "a",
            "ab",
            "😀x",
        ];
        for text in [
            "经由过程和发展",
            "开展开展开展",
            "发展开展战和",
            "经由过",
            "ab a b abc",
            "😀x😀😀x",
            "",
            "无关的文字",
        ] {
            let got = matches(&Forms::new(&forms), text);
            assert_eq!(got, reference(&forms, text), "{text:?}");
        }
    }

    #[test]
    fn decodes_like_chars() {
        let text = "a中é😀\u{7FF}\u{800}\u{FFFF}\u{10000}\u{10FFFF}z";
        let mut at = 0;
        for c in text.chars() {
            assert_eq!(decode(text.as_bytes(), at), (c as u32, c.len_utf8()));
            at += c.len_utf8();
        }
    }

    proptest::proptest! {
        #[test]
        fn same_as_aho_corasick(
            forms in proptest::collection::vec("[开展发过程经由和abé😀]{1,4}", 1..12),
            text in "[开展发过程经由和abé😀 ]{0,40}",
        ) {
            // Distinct forms, as the table has.
            let mut forms = forms;
            forms.sort();
            forms.dedup();
            let refs: Vec<&str> = forms.iter().map(String::as_str).collect();
            let got = matches(&Forms::new(&refs), &text);
            proptest::prop_assert_eq!(got, reference(&refs, &text));
        }
    }
}

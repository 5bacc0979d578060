//! The candidate search: every occurrence of a few hundred short forms in
//! one leftmost-longest pass.
//!
//! At each character, a bit of a small table says whether some form may
//! start with it and the character after it (a hash of the two characters'
//! bytes; another table, read only when there are forms of one character,
//! for the character alone); only then are the forms starting with that
//! character compared, longest first. The first that matches is taken and
//! the search goes on after it, else after the character. This finds
//! exactly what a leftmost-longest Aho-Corasick automaton finds (at the
//! leftmost place where a form occurs, the longest form that occurs there),
//! without an automaton to build: the forms are words of a few characters,
//! so each comparison is short.
//!
//! Why two characters: the forms' first characters are common (发, 基, 安,
//! 部 …): about one character in four of government text starts a form, and
//! a test that passes that often, at random, is a branch the processor
//! mispredicts again and again. The first two characters of a form occur at
//! about one place in twenty.
//!
//! Why bytes: the keys are the characters' UTF-8 bytes, read eight at a
//! time, so that no character is decoded; decoding took most of the
//! search's time on correct text. At a three-byte character (ideographs,
//! CJK punctuation) the key is simply the six bytes from it, so the next
//! character's length is not read either (forms of Chinese words have at
//! least six bytes; a table with a shorter one, such as `中a`, is searched
//! the general way).

use crate::chars::utf8_width;

/// Forms compiled for [`Forms::for_each_match`].
#[derive(Debug)]
pub(crate) struct Forms {
    /// The forms, by id.
    forms: Vec<Box<str>>,
    /// One bit per hash of a character's bytes ([`key_bit`]): set for every
    /// form of one character (8 KB).
    singles: Box<Bits>,
    /// Whether some form has one character: else `singles` is not read.
    any_single: bool,
    /// One bit per hash of two characters' bytes ([`key_bit`]): set for the
    /// first two characters of every form of two or more characters (8 KB).
    pairs: Box<Bits>,
    /// One bit per hash of six bytes ([`key_bit`]): set for the first six
    /// bytes of every form that starts with a three-byte character and has
    /// at least six bytes (8 KB). The search reads it at a three-byte
    /// character when [`Forms::six`] holds, without the next character's
    /// length.
    sixes: Box<Bits>,
    /// Whether every form of two or more characters that starts with a
    /// three-byte character has at least six bytes (true of Chinese words),
    /// so that `sixes` finds them all.
    six: bool,
    /// Per first character (its bytes as a little-endian number), its range
    /// of `by_first`, in an open-addressing hash table (a power of two of
    /// slots, at most half full, linear probing; [`EMPTY`] marks a free
    /// slot): a few kilobytes for the built-in table.
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

/// The mask of the first `n` bytes (at most eight: every caller's `n` is
/// the length of at most two characters or of a form's head) of a
/// little-endian number. The index is masked rather than compared, which
/// the search does twice a character.
#[inline(always)]
fn low_bytes(n: usize) -> u64 {
    debug_assert!(n <= 8, "{n} bytes");
    LOW_BYTES[n & 15]
}

/// [`low_bytes`] by number of bytes (all eight from 8 on).
const LOW_BYTES: [u64; 16] = {
    let mut t = [u64::MAX; 16];
    let mut n = 0;
    while n < 8 {
        t[n] = (1u64 << (8 * n)) - 1;
        n += 1;
    }
    t
};

/// The bytes of the first character of `b` (not empty, valid UTF-8) and,
/// if there is one, of the second, as little-endian numbers.
fn keys(b: &[u8]) -> (u64, Option<u64>) {
    let window = head8(b);
    let w0 = utf8_width(b[0]);
    let one = window & low_bytes(w0);
    let two = (w0 < b.len()).then(|| window & low_bytes(w0 + utf8_width(b[w0])));
    (one, two)
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
                    mask: low_bytes(n),
                });
            }
        }
        by_first.sort_unstable();
        let mut ranges: Vec<(u32, std::ops::Range<usize>)> = Vec::new();
        for (k, e) in by_first.iter().enumerate() {
            let mut buf = [0u8; 4];
            let key = head8(e.first.encode_utf8(&mut buf).as_bytes()) as u32;
            match ranges.last_mut() {
                Some((c, range)) if *c == key => range.end = k + 1,
                _ => ranges.push((key, k..k + 1)),
            }
        }
        let mut singles = Box::new([0u64; KEY_BITS / 64]);
        let mut pairs = Box::new([0u64; KEY_BITS / 64]);
        let mut sixes = Box::new([0u64; KEY_BITS / 64]);
        let mut any_single = false;
        let mut six = true;
        let set = |bits: &mut Bits, key: u64| {
            let bit = key_bit(key);
            bits[bit / 64] |= 1 << (bit % 64);
        };
        for f in forms {
            let f = f.as_ref().as_bytes();
            if f.is_empty() {
                continue;
            }
            let three = utf8_width(f[0]) == 3;
            match keys(f) {
                (_, Some(two)) => {
                    set(&mut pairs, two);
                    if three && f.len() >= 6 {
                        set(&mut sixes, head8(f) & low_bytes(6));
                    } else if three {
                        six = false;
                    }
                }
                (one, None) => {
                    any_single = true;
                    set(&mut singles, one);
                }
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
            any_single,
            pairs,
            sixes,
            six,
            groups,
            by_first,
        }
    }

    /// The forms whose first character's bytes, as a little-endian number,
    /// are `first`, longest first.
    #[inline]
    fn starting_with(&self, first: u32) -> &[Entry] {
        let size = self.groups.len();
        let mut at = slot(first, size);
        loop {
            let (c, start, end) = self.groups[at];
            if c == first {
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
    ///
    /// The text is never decoded: at each character, its first eight bytes
    /// are read as one number, the lead bytes give the lengths of the
    /// character and the next, and the bytes of the two characters, masked
    /// out of that number, are the key whose bit is tested.
    pub(crate) fn for_each_match(&self, text: &str, mut each: impl FnMut(usize, usize, usize)) {
        let bytes = text.as_bytes();
        let mut i = 0;
        while i < bytes.len() {
            // Three-byte characters (ideographs and CJK punctuation) with
            // eight bytes ahead: the next character is three bytes on, not
            // a length read from the text, so that the reads of successive
            // characters do not wait on one another; and the key of the
            // forms of two or more characters is six bytes, whatever the
            // next character's length ([`Forms::sixes`]).
            while let Some(w) = bytes.get(i..i + 8).filter(|_| self.six) {
                let window = u64::from_le_bytes(w.try_into().expect("eight bytes"));
                if window as u8 & 0xF0 != 0xE0 {
                    break;
                }
                if self.may_start_three(window) {
                    if let Some((id, len)) = self.form_at(&bytes[i..], window) {
                        each(id, i, i + len);
                        i += len;
                        continue;
                    }
                }
                i += 3;
            }
            if i >= bytes.len() {
                break;
            }
            // Any other character, or one of the last eight bytes.
            let rest = &bytes[i..];
            let window = match rest.first_chunk::<8>() {
                Some(w) => u64::from_le_bytes(*w),
                None => head8(rest),
            };
            let w0 = utf8_width(window as u8);
            // The bytes of the next character, if any, are in `window`: a
            // character has at most four.
            let w1 = if w0 < rest.len() {
                utf8_width((window >> (8 * w0)) as u8)
            } else {
                0
            };
            if self.may_start(window, w0, w1) {
                if let Some((id, len)) = self.form_at(rest, window) {
                    each(id, i, i + len);
                    i += len;
                    continue;
                }
            }
            i += w0;
        }
    }

    /// [`may_start`](Forms::may_start) at a three-byte character with at
    /// least eight bytes from it, when [`Forms::six`] holds: a form of two
    /// or more characters that starts there has its first six bytes there.
    /// Both tables are read and their bits combined without a branch: a
    /// test of the lead byte first, to read the one-character forms' table
    /// only at `“ ” 〔` and their kin, saved instructions but was a branch
    /// the processor mispredicted at every `。` and `、` (which share those
    /// lead bytes), and took 9% longer over correct text.
    #[inline(always)]
    fn may_start_three(&self, window: u64) -> bool {
        test(&self.sixes, window & low_bytes(6))
            | self.any_single & test(&self.singles, window & low_bytes(3))
    }

    /// Whether a form may start with the first character of `window`, of
    /// `w0` bytes, followed by the next, of `w1` (0 at the end of the
    /// text): `false` only when none does.
    #[inline(always)]
    fn may_start(&self, window: u64, w0: usize, w1: usize) -> bool {
        test(&self.pairs, window & low_bytes(w0 + w1))
            | self.any_single & test(&self.singles, window & low_bytes(w0))
    }

    /// The longest form that `rest` starts with, whose first eight bytes
    /// (fewer at the end of the text) are `window`: its id and length.
    #[inline]
    fn form_at(&self, rest: &[u8], window: u64) -> Option<(usize, usize)> {
        let one = window & low_bytes(utf8_width(window as u8));
        self.starting_with(one as u32).iter().find_map(|e| {
            let len = e.longest.0;
            // The form's bytes are rest[..len]: its first eight in one
            // comparison, the others (forms of more than two ideographs)
            // after.
            (len <= rest.len()
                && window & e.mask == e.prefix
                && (len <= 8 || rest[8..len] == self.forms[e.id].as_bytes()[8..]))
                .then_some((e.id, len))
        })
    }
}

/// A bit per hash of a key ([`key_bit`]).
type Bits = [u64; KEY_BITS / 64];

/// Whether the bit of `key` is set in `bits`.
#[inline(always)]
fn test(bits: &Bits, key: u64) -> bool {
    let bit = key_bit(key);
    bits[bit / 64] >> (bit % 64) & 1 != 0
}

/// A free slot of [`Forms::groups`]: no character's bytes (a lead byte is
/// never `FF`).
const EMPTY: u32 = u32::MAX;

/// The first slot of first character `c` (its bytes as a number) in a hash
/// table of `size` slots (a power of two).
fn slot(c: u32, size: usize) -> usize {
    // The product's top bits, which every bit of `c` reaches (its low bits
    // see only the low bits of `c`, the lead byte and the second, so that
    // characters differing in their third byte fell together).
    debug_assert!(size.is_power_of_two() && (2..=1 << 31).contains(&size));
    (c.wrapping_mul(0x9E37_79B1) >> (32 - size.trailing_zeros())) as usize
}

/// Bits of [`Forms::pairs`] and [`Forms::singles`]: 2^16 (8 KB each), so
/// that the few hundred keys set under 1% of them.
const KEY_BITS: usize = 1 << 16;

/// The bit for `key`, the bytes of one or two characters.
#[inline(always)]
fn key_bit(key: u64) -> usize {
    (key.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> (64 - KEY_BITS.trailing_zeros())) as usize
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

    /// The six-byte keys serve forms of Chinese words; a form whose second
    /// character is shorter than three bytes turns them off, and both ways
    /// find what the automaton finds, marks of one character included.
    #[test]
    fn six_byte_keys() {
        let words = ["发展", "开展工作", "服务", "“", "，", "a"];
        let texts = [
            "开展工作，发展“服务”a",
            "发展a服务，开展工",
            "中a中ab发展😀中a",
            "开展工作开展工作开展工",
            "“发",
        ];
        let with = Forms::new(&words);
        assert!(with.six);
        let mut more = words.to_vec();
        more.push("中a");
        let without = Forms::new(&more);
        assert!(!without.six);
        for text in texts {
            assert_eq!(matches(&with, text), reference(&words, text), "{text:?}");
            assert_eq!(matches(&without, text), reference(&more, text), "{text:?}");
        }
    }

    #[test]
    fn keys_are_the_characters_bytes() {
        let text = "a中é😀\u{7FF}\u{800}\u{FFFF}\u{10000}\u{10FFFF}z";
        let chars: Vec<(usize, char)> = text.char_indices().collect();
        for (k, &(at, c)) in chars.iter().enumerate() {
            let (one, two) = keys(&text.as_bytes()[at..]);
            let end = at + c.len_utf8();
            assert_eq!(one, head8(&text.as_bytes()[at..end]), "{c:?}");
            let want = chars
                .get(k + 1)
                .map(|&(next, d)| head8(&text.as_bytes()[at..next + d.len_utf8()]));
            assert_eq!(two, want, "{c:?}");
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

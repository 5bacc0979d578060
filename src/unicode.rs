//! The Unicode layer: code points that PDF extraction and OCR leave behind.
//!
//! Rules (ids `unicode/…`), applied only inside lines that hold Chinese (an
//! ideograph or a radical), so text that is not Chinese is never touched:
//!
//! - `unicode/kangxi`: Kangxi radicals (U+2F00–U+2FD5) and the CJK radicals
//!   supplement forms that have a compatibility mapping → the unified
//!   ideograph (⼀⼈⼤ → 一人大).
//! - `unicode/compat`: CJK compatibility ideographs → their canonical unified
//!   ideograph (what NFC does; NFKC is never applied to the whole text,
//!   which would flatten ，to ,).
//! - `unicode/fullwidth`: full-width Latin letters and digits → ASCII
//!   (ＡＢＣ１２３ → ABC123). The ideographic space U+3000 stays.
//! - `unicode/invisible`: zero-width space, joiner and non-joiner, word
//!   joiner, a BOM inside text and the soft hyphen → removed; a ZWJ inside an
//!   emoji sequence stays.
//! - `unicode/nbsp`: no-break space → space.
//! - `unicode/spacing`: spaces between single ideographs across a whole run
//!   of at least [`MIN_SPACED_RUN`] ideographs (经 济 技 术 → 经济技术) →
//!   removed. A lone space between words (第一章 总则) stays.

use unicode_normalization::char::{decompose_canonical, decompose_compatible};

use crate::chars::is_han;
use crate::edit::Layer;
use crate::patch::Patch;

/// The shortest run of spaced-out single ideographs whose spaces are
/// removed: `第 一 章` (three) is a spaced-out heading, `目 录` (two) may be
/// a deliberate layout and stays.
pub(crate) const MIN_SPACED_RUN: usize = 3;

/// Options of the Unicode layer.
#[derive(Clone, Debug)]
pub(crate) struct Options {
    /// Remove spaces inside spaced-out runs of ideographs.
    pub spacing: bool,
}

impl Default for Options {
    fn default() -> Options {
        Options { spacing: true }
    }
}

/// Scans `text` and pushes the patches of this layer.
pub(crate) fn scan(opts: &Options, text: &str, out: &mut Vec<Patch<'_>>) {
    let mut line_start = 0;
    for line in text.split_inclusive('\n') {
        if line.chars().any(is_han_like) {
            scan_line(opts, line, line_start, out);
        }
        line_start += line.len();
    }
}

/// An ideograph, or a radical or compatibility form that stands for one.
fn is_han_like(c: char) -> bool {
    is_han(c) || matches!(c, '\u{2E80}'..='\u{2EF3}' | '\u{2F00}'..='\u{2FD5}')
}

fn scan_line(opts: &Options, line: &str, base: usize, out: &mut Vec<Patch<'_>>) {
    let chars: Vec<(usize, char)> = line.char_indices().collect();
    let mut i = 0;
    while i < chars.len() {
        let (off, c) = chars[i];
        let start = base + off;
        let end = start + c.len_utf8();
        match c {
            '\u{2E80}'..='\u{2EF3}' | '\u{2F00}'..='\u{2FD5}' => {
                if let Some(u) = single_mapping(c, |c, f| decompose_compatible(c, f)) {
                    out.push(Patch::new(
                        start,
                        end,
                        u.to_string(),
                        Layer::Unicode,
                        "unicode/kangxi",
                    ));
                }
            }
            '\u{F900}'..='\u{FAFF}' | '\u{2F800}'..='\u{2FA1F}' => {
                if let Some(u) = single_mapping(c, |c, f| decompose_canonical(c, f)) {
                    out.push(Patch::new(
                        start,
                        end,
                        u.to_string(),
                        Layer::Unicode,
                        "unicode/compat",
                    ));
                }
            }
            '\u{FF10}'..='\u{FF19}' | '\u{FF21}'..='\u{FF3A}' | '\u{FF41}'..='\u{FF5A}' => {
                let ascii =
                    char::from_u32(c as u32 - 0xFEE0).expect("full-width ASCII maps to ASCII");
                out.push(Patch::new(
                    start,
                    end,
                    ascii.to_string(),
                    Layer::Unicode,
                    "unicode/fullwidth",
                ));
            }
            '\u{200B}' | '\u{200C}' | '\u{2060}' | '\u{FEFF}' | '\u{00AD}' => {
                out.push(Patch::new(
                    start,
                    end,
                    "",
                    Layer::Unicode,
                    "unicode/invisible",
                ));
            }
            '\u{200D}' => {
                let prev = i.checked_sub(1).map(|k| chars[k].1);
                let next = chars.get(i + 1).map(|x| x.1);
                if !(prev.is_some_and(is_emoji_part) && next.is_some_and(is_emoji_part)) {
                    out.push(Patch::new(
                        start,
                        end,
                        "",
                        Layer::Unicode,
                        "unicode/invisible",
                    ));
                }
            }
            '\u{00A0}' => {
                out.push(Patch::new(start, end, " ", Layer::Unicode, "unicode/nbsp"));
            }
            ' ' if opts.spacing => {
                let run = spaced_run(&chars, i);
                if run.spaces.len() >= MIN_SPACED_RUN - 1 {
                    for &k in &run.spaces {
                        let s = base + chars[k].0;
                        out.push(Patch::new(s, s + 1, "", Layer::Unicode, "unicode/spacing"));
                    }
                }
                i = run.next;
                continue;
            }
            _ => {}
        }
        i += 1;
    }
}

/// A run of single ideographs separated by single spaces, found from the
/// space at index `i`: the indices of its spaces and where scanning resumes.
struct SpacedRun {
    spaces: Vec<usize>,
    next: usize,
}

fn spaced_run(chars: &[(usize, char)], i: usize) -> SpacedRun {
    let single_han_before = |k: usize| {
        // chars[k] is an ideograph standing alone: not preceded by another.
        k < chars.len() && is_han(chars[k].1) && (k == 0 || !is_han(chars[k - 1].1))
    };
    let mut spaces = Vec::new();
    // The ideograph before the first space must stand alone.
    if i == 0 || !single_han_before(i - 1) {
        return SpacedRun {
            spaces,
            next: i + 1,
        };
    }
    let mut k = i;
    // Pattern: H ' ' H ' ' H … where every H is a single ideograph.
    while k < chars.len() && chars[k].1 == ' ' {
        let h = k + 1;
        if h >= chars.len() || !is_han(chars[h].1) {
            break;
        }
        let alone_after = h + 1 >= chars.len() || !is_han(chars[h + 1].1);
        if !alone_after {
            break;
        }
        spaces.push(k);
        k = h + 1;
    }
    let next = k.max(i + 1);
    SpacedRun { spaces, next }
}

/// The single ideograph a character maps to under `decompose`, if any.
fn single_mapping(c: char, decompose: impl Fn(char, &mut dyn FnMut(char))) -> Option<char> {
    let mut first = None;
    let mut count = 0;
    decompose(c, &mut |d| {
        count += 1;
        first.get_or_insert(d);
    });
    first.filter(|&d| count == 1 && d != c && is_han(d))
}

/// Whether `c` can stand on either side of a ZWJ in an emoji sequence.
fn is_emoji_part(c: char) -> bool {
    matches!(c,
        '\u{1F000}'..='\u{1FAFF}'
        | '\u{2600}'..='\u{27BF}'
        | '\u{2300}'..='\u{23FF}'
        | '\u{2B00}'..='\u{2BFF}'
        | '\u{FE0F}'
        | '\u{E0020}'..='\u{E007F}')
}

#[cfg(test)]
mod tests {
    use crate::Fixer;

    fn fix(s: &str) -> String {
        Fixer::builder()
            .punct(false)
            .build()
            .unwrap()
            .clean(s)
            .into_owned()
    }

    #[test]
    fn radicals_and_compat() {
        assert_eq!(fix("⼀⼈⼤"), "一人大");
        assert_eq!(fix("中华⼈民共和国"), "中华人民共和国");
        assert_eq!(fix("\u{F900}中"), "豈中");
        assert_eq!(fix("⺟亲"), "母亲");
    }

    #[test]
    fn fullwidth_and_invisible() {
        assert_eq!(fix("２０２３年ＧＤＰ"), "2023年GDP");
        assert_eq!(fix("中\u{3000}国"), "中\u{3000}国");
        assert_eq!(fix("中\u{200B}国\u{FEFF}人\u{00AD}民"), "中国人民");
        assert_eq!(fix("中国\u{00A0}人民"), "中国 人民");
        let family = "家庭👨\u{200D}👩\u{200D}👧";
        assert_eq!(fix(family), family);
        assert_eq!(fix("中\u{200D}国"), "中国");
    }

    #[test]
    fn not_chinese_is_untouched() {
        for s in ["ＡＢＣ", "a\u{200B}b", "x\u{00A0}y", "کتاب\u{200C}ها"] {
            assert_eq!(fix(s), s);
        }
    }

    #[test]
    fn spacing() {
        assert_eq!(fix("经 济 技 术 开 发 区"), "经济技术开发区");
        assert_eq!(fix("第 一 章"), "第一章");
        assert_eq!(fix("第一章 总则"), "第一章 总则");
        assert_eq!(fix("第一章 总 则"), "第一章 总 则");
        assert_eq!(fix("目 录"), "目 录");
        assert_eq!(fix("A B C 中"), "A B C 中");
    }
}

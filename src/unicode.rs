//! The Unicode layer: code points that PDF extraction, OCR and web copying
//! leave behind.
//!
//! # Where it acts
//!
//! The layer works line by line (a line ends after `\n`). It changes a line
//! only when that line holds **Chinese**: at least one CJK ideograph (the
//! unified blocks with their extensions, the compatibility blocks, `〇`) or
//! one CJK radical (U+2E80–U+2EFF, U+2F00–U+2FDF, which stand for
//! ideographs). Every other line is left exactly as it is, so a text with
//! neither an ideograph nor a radical comes back unchanged (and borrowed).
//!
//! # Rules
//!
//! Ids are `unicode/…`; in the order of the code:
//!
//! - `unicode/kangxi`: a Kangxi radical (U+2F00–U+2FD5) → the unified
//!   ideograph (⼀⼈⼤ → 一人大).
//! - `unicode/radical`: a CJK Radicals Supplement form (U+2E80–U+2EF3) → its
//!   equivalent unified ideograph (⺟ → 母, ⻍ → 辶). Both radical rules read
//!   `data/radicals.tsv`, taken from the Unicode Character Database's
//!   `EquivalentUnifiedIdeograph.txt` (NFKC only covers the Kangxi block and
//!   two supplement forms).
//! - `unicode/compat`: a CJK compatibility ideograph → its canonical unified
//!   ideograph (豈 U+F900 → 豈 U+8C48), as NFC does. NFKC is never applied to
//!   the whole text: it would flatten `，` to `,`.
//! - `unicode/fullwidth`: full-width Latin letters and digits → ASCII
//!   (ＡＢＣ１２３ → ABC123). Full-width punctuation and the ideographic
//!   space U+3000 stay. Switch off with
//!   [`FixerBuilder::fullwidth`](crate::FixerBuilder::fullwidth).
//! - `unicode/invisible`: removes the zero-width space U+200B, the word
//!   joiner U+2060, and a byte order mark U+FEFF anywhere but at the very
//!   start of the text. Removes the zero-width joiner U+200D and non-joiner
//!   U+200C unless they join two characters that use them: emoji (👨‍👩‍👧)
//!   for the joiner, letters of a script other than Latin and CJK (Persian
//!   کتاب‌ها, Devanagari) for both. Removes the soft hyphen U+00AD unless it
//!   touches an ideograph (an authoring tool's hint, harmless there) or a
//!   character of U+0080–U+00FF (it is then part of mojibake, which must
//!   stay intact to be decoded).
//! - `unicode/nbsp`: a no-break space U+00A0 → a space.
//! - `unicode/spacing`: removes the spaces of a *spaced-out run*: at least
//!   [`MIN_SPACED_RUN`] ideographs, each standing alone, separated by single
//!   ASCII spaces, as a PDF extractor or OCR engine writes letter-spaced text
//!   (经 济 技 术 开 发 区 → 经济技术开发区). Full-width punctuation marks
//!   standing alone may sit in the run (各 位 代 表 ： 现 在). Nothing else
//!   is touched: a single space between words (第一章 总则), a letter-spaced
//!   heading of two or three characters (第一章 总 则, 第四章 保 安 员, 目 录), a
//!   gap of two or more spaces. Switch off with
//!   [`FixerBuilder::spacing`](crate::FixerBuilder::spacing).
//!
//! # Cost
//!
//! One pass over the bytes, looking each up in a 256-entry table, finds the
//! few byte values that can start something this layer changes (the space,
//! and the lead bytes `C2`, `E2`, `EF`, `F0`); on clean text that pass is
//! all the work, and nothing is allocated. A line is checked for Chinese at
//! most once, and only when it holds a candidate. A spaced-out run is
//! measured once, from its first space. So the cost is linear in the input
//! whatever it holds.

use std::sync::LazyLock;

use unicode_normalization::char::decompose_canonical;

use crate::chars::{is_cjk_punct, is_han};
use crate::edit::Layer;
use crate::patch::{Patch, Sink};

/// The shortest spaced-out run of ideographs whose spaces are removed. Runs
/// of two and three are kept: correct documents letter-space short
/// headings (`附 则`, `第四章 保 安 员` in the laws of the clean corpus).
pub(crate) const MIN_SPACED_RUN: usize = 4;

/// Options of the Unicode layer.
#[derive(Clone, Debug)]
pub(crate) struct Options {
    /// Remove the spaces inside spaced-out runs of ideographs.
    pub spacing: bool,
    /// Turn full-width Latin letters and digits into ASCII.
    pub fullwidth: bool,
}

impl Default for Options {
    fn default() -> Options {
        Options {
            spacing: true,
            fullwidth: true,
        }
    }
}

/// The bytes of [`TRIGGER`] beyond ASCII.
const TRIGGER_HIGH: [u8; 4] = [0xC2, 0xE2, 0xEF, 0xF0];

/// Every byte of [`TRIGGER`]: the space and [`TRIGGER_HIGH`].
const TRIGGER_BYTES: [u8; 5] = [b' ', 0xC2, 0xE2, 0xEF, 0xF0];

/// Bytes that can start a character this layer may change: the space and
/// the UTF-8 lead bytes of U+0080–U+00FF (`C2`), U+2000–U+2FFF (`E2`),
/// U+F000–U+FFFF (`EF`) and U+10000–U+3FFFF (`F0`). None of them is a UTF-8
/// continuation byte, so a match is always a character boundary.
static TRIGGER: [bool; 256] = {
    let mut t = [false; 256];
    t[b' ' as usize] = true;
    let mut k = 0;
    while k < TRIGGER_HIGH.len() {
        t[TRIGGER_HIGH[k] as usize] = true;
        k += 1;
    }
    t
};

/// Whether the character at `i` (a byte of [`TRIGGER_BYTES`]) may be one
/// this layer changes, by its bytes: the lead bytes `E2` and `EF` also
/// start the CJK punctuation of every Chinese text (`“ ” — …`, `，：（）`),
/// which the scan passes over without decoding it. A superset of the
/// characters the scan's `match` acts on: U+200B–U+200D (`E2 80 8B–8D`),
/// U+2060 (`E2 81 A0`), U+2E80–U+2FFF (`E2 BA–BF`), U+F900–U+FAFF
/// (`EF A4–AB`), U+FEFF (`EF BB BF`), U+FF10–U+FF19 and U+FF21–U+FF3A
/// (`EF BC 90–99`, `EF BC A1–BA`), U+FF41–U+FF5A (`EF BD 81–9A`).
#[inline]
fn may_change(bytes: &[u8], i: usize) -> bool {
    let at = |k: usize| bytes.get(i + k).copied().unwrap_or(0);
    match bytes[i] {
        0xE2 => matches!(
            (at(1), at(2)),
            (0x80, 0x8B..=0x8D) | (0x81, 0xA0) | (0xBA..=0xBF, _)
        ),
        0xEF => matches!(
            (at(1), at(2)),
            (0xA4..=0xAB, _) | (0xBB, 0xBF) | (0xBC, 0x90..=0x99 | 0xA1..=0xBA) | (0xBD, 0x81..=0x9A)
        ),
        b => TRIGGER[usize::from(b)],
    }
}

/// The first code point of the radical table.
const RADICALS_FIRST: u32 = 0x2E80;
/// One past the last code point of the radical table.
const RADICALS_END: u32 = 0x2FE0;

/// The radical → ideograph table of `data/radicals.tsv`, indexed by
/// `radical - RADICALS_FIRST`.
static RADICALS: LazyLock<Vec<Option<char>>> = LazyLock::new(|| {
    parse_radicals(include_str!("../data/radicals.tsv"))
        .unwrap_or_else(|e| panic!("data/radicals.tsv: {e}"))
});

/// Builds the radical table anew, without the cache; returns its size.
pub(crate) fn load_uncached() -> usize {
    parse_radicals(include_str!("../data/radicals.tsv")).map_or(0, |t| t.len())
}

/// Parses `data/radicals.tsv` (format in its header) into a table indexed
/// by `radical - RADICALS_FIRST`, checking every line: two hexadecimal code
/// points, the first a radical, the second an ideograph, sorted, no
/// duplicates, and the comment showing the same two characters.
pub(crate) fn parse_radicals(text: &str) -> Result<Vec<Option<char>>, String> {
    let mut table = vec![None; (RADICALS_END - RADICALS_FIRST) as usize];
    let mut last = None;
    for (n, line) in text.lines().enumerate() {
        let n = n + 1;
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let mut fields = line.split('\t');
        let (from, to, comment) = match (fields.next(), fields.next(), fields.next()) {
            (Some(a), Some(b), Some(c)) if fields.next().is_none() => (a, b, c),
            _ => {
                return Err(format!(
                    "line {n}: expected RADICAL<TAB>IDEOGRAPH<TAB># comment"
                ));
            }
        };
        let hex = |s: &str| {
            u32::from_str_radix(s, 16)
                .ok()
                .and_then(char::from_u32)
                .ok_or_else(|| format!("line {n}: {s:?} is not a hexadecimal code point"))
        };
        let (from, to) = (hex(from)?, hex(to)?);
        if !is_radical(from) {
            return Err(format!(
                "line {n}: U+{:04X} is not a CJK radical",
                from as u32
            ));
        }
        if !is_han(to) {
            return Err(format!("line {n}: U+{:04X} is not an ideograph", to as u32));
        }
        if last.is_some_and(|l| l >= from) {
            return Err(format!("line {n}: not sorted, or a duplicate"));
        }
        if !comment.starts_with(&format!("# {from} → {to}")) {
            return Err(format!("line {n}: the comment does not show {from} → {to}"));
        }
        last = Some(from);
        table[(from as u32 - RADICALS_FIRST) as usize] = Some(to);
    }
    Ok(table)
}

/// Whether `c` is in one of the two CJK radical blocks.
pub(crate) fn is_radical(c: char) -> bool {
    (RADICALS_FIRST..RADICALS_END).contains(&(c as u32))
}

/// The ideograph a radical stands for, if it has one.
fn radical_to_ideograph(c: char) -> Option<char> {
    let i = (c as u32).checked_sub(RADICALS_FIRST)? as usize;
    RADICALS.get(i).copied().flatten()
}

/// Whether `c` makes its line Chinese: an ideograph or a radical.
fn is_han_like(c: char) -> bool {
    is_han(c) || is_radical(c)
}

/// Whether `c` may stand alone in a spaced-out run.
fn is_run_member(c: char) -> bool {
    is_han_like(c) || is_cjk_punct(c)
}

/// The line around a position, and whether it holds Chinese; computed when
/// first needed and kept until the scan leaves the line.
struct Line {
    start: usize,
    end: usize,
    chinese: bool,
}

impl Line {
    /// The line holding byte `i` of `text`.
    fn at(text: &str, i: usize) -> Line {
        let start = text[..i].rfind('\n').map_or(0, |k| k + 1);
        let end = text[i..].find('\n').map_or(text.len(), |k| i + k + 1);
        let chinese = text[start..end].chars().any(is_han_like);
        Line {
            start,
            end,
            chinese,
        }
    }
}

/// Scans `text` and pushes the patches of this layer.
pub(crate) fn scan(opts: &Options, text: &str, out: &mut dyn Sink<'_>) {
    scan_stopping(opts, text, out, may_change);
}

/// [`scan`], looking only at the characters where `stop` (given the text's
/// bytes and a position of a byte of [`TRIGGER_BYTES`]) says so.
#[inline]
fn scan_stopping(
    opts: &Options,
    text: &str,
    out: &mut dyn Sink<'_>,
    stop: impl Fn(&[u8], usize) -> bool,
) {
    let bytes = text.as_bytes();
    let mut line: Option<Line> = None;
    // Whether the line around `i` holds Chinese, computed once per line.
    let mut chinese = |i: usize| -> bool {
        match &line {
            Some(l) if l.start <= i && i < l.end => l.chinese,
            _ => {
                let l = Line::at(text, i);
                let c = l.chinese;
                line = Some(l);
                c
            }
        }
    };
    // The spaced-out run being crossed: its end, and whether its spaces go.
    let mut run_end = 0;
    let mut run_removes = false;
    let mut i = 0;
    while i < bytes.len() {
        if !(TRIGGER[usize::from(bytes[i])] && stop(bytes, i)) {
            // To the next trigger byte, which is always at a character,
            // that may start a character to change.
            i = crate::chars::find_any_where(bytes, i + 1, &TRIGGER_BYTES, |k| stop(bytes, k));
            continue;
        }
        let c = text[i..]
            .chars()
            .next()
            .expect("a trigger byte starts a char");
        let end = i + c.len_utf8();
        let mut next = end;
        let mut push = |after: &'static str, rule: &'static str| {
            out.push(Patch::new(i, end, after, Layer::Unicode, rule));
        };
        match c {
            ' ' if opts.spacing => {
                if i >= run_end {
                    (run_end, run_removes) = spaced_run(text, i);
                }
                if i < run_end && run_removes {
                    push("", "unicode/spacing");
                } else if run_end == end {
                    // No run starts here, nor at the spaces right after
                    // (a run's first space follows a member): skip them.
                    next = i + bytes[i..].iter().take_while(|&&b| b == b' ').count();
                }
            }
            '\u{2E80}'..='\u{2FDF}' => {
                if let Some(u) = radical_to_ideograph(c) {
                    let rule = if c >= '\u{2F00}' {
                        "unicode/kangxi"
                    } else {
                        "unicode/radical"
                    };
                    out.push(Patch::new(i, end, u.to_string(), Layer::Unicode, rule));
                }
            }
            '\u{F900}'..='\u{FAFF}' | '\u{2F800}'..='\u{2FA1F}' => {
                if let Some(u) = canonical_ideograph(c) {
                    out.push(Patch::new(
                        i,
                        end,
                        u.to_string(),
                        Layer::Unicode,
                        "unicode/compat",
                    ));
                }
            }
            '\u{FF10}'..='\u{FF19}' | '\u{FF21}'..='\u{FF3A}' | '\u{FF41}'..='\u{FF5A}'
                if opts.fullwidth && chinese(i) =>
            {
                push(fullwidth_to_ascii(c), "unicode/fullwidth");
            }
            '\u{200B}' | '\u{2060}' if chinese(i) => push("", "unicode/invisible"),
            '\u{FEFF}' if i > 0 && chinese(i) => push("", "unicode/invisible"),
            '\u{200C}' | '\u{200D}' if !joins(text, i, end, c) && chinese(i) => {
                push("", "unicode/invisible");
            }
            '\u{AD}' if !shy_kept(text, i, end) && chinese(i) => push("", "unicode/invisible"),
            '\u{A0}' if chinese(i) => push(" ", "unicode/nbsp"),
            _ => {}
        }
        i = next;
    }
}

/// Measures the spaced-out run whose first space may be at byte `i` (a
/// space): returns where the run ends (its last member's end; `i + 1` when
/// there is no run) and whether its spaces are to be removed.
///
/// A run is `M ␠ M ␠ M …` where each `M` is one run member standing alone:
/// preceded by the line start or a space, followed by a space or the line
/// end. Reading stops at the first gap that is not one space followed by a
/// lone member, so each run is read once.
fn spaced_run(text: &str, i: usize) -> (usize, bool) {
    let no_run = (i + 1, false);
    let before = &text[..i];
    let mut back = before.chars().rev();
    match (back.next(), back.next()) {
        (Some(m), prev) if is_run_member(m) && prev.is_none_or(|p| p == ' ' || p == '\n') => {}
        _ => return no_run,
    }
    let first = before.chars().next_back().expect("checked above");
    let mut ideographs = usize::from(is_han_like(first));
    let mut members = 1;
    let mut pos = i; // a space that may continue the run
    let mut run_end = i;
    loop {
        let mut ahead = text[pos + 1..].chars();
        let m = match ahead.next() {
            Some(m) if is_run_member(m) => m,
            _ => break,
        };
        let after = pos + 1 + m.len_utf8();
        match ahead.next() {
            None | Some('\n' | '\r') => {}
            Some(' ') => {}
            Some(_) => break,
        }
        members += 1;
        ideographs += usize::from(is_han_like(m));
        run_end = after;
        if text.as_bytes().get(after) != Some(&b' ') {
            break;
        }
        pos = after;
    }
    if members < 2 {
        return no_run;
    }
    (run_end, ideographs >= MIN_SPACED_RUN)
}

/// The unified ideograph a compatibility ideograph decomposes to, if any.
fn canonical_ideograph(c: char) -> Option<char> {
    let mut first = None;
    let mut count = 0;
    decompose_canonical(c, |d| {
        count += 1;
        first.get_or_insert(d);
    });
    first.filter(|&d| count == 1 && d != c && is_han(d))
}

/// The ASCII twin of a full-width Latin letter or digit.
fn fullwidth_to_ascii(c: char) -> &'static str {
    const ASCII: &str =
        "0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`abcdefghijklmnopqrstuvwxyz";
    let k = (c as u32 - 0xFF10) as usize;
    &ASCII[k..k + 1]
}

/// Whether the joiner or non-joiner `c` at `i..end` joins two characters
/// that use it: emoji (joiner only), or letters of a script other than
/// Latin and CJK.
fn joins(text: &str, i: usize, end: usize, c: char) -> bool {
    let (Some(prev), Some(next)) = (text[..i].chars().next_back(), text[end..].chars().next())
    else {
        return false;
    };
    (c == '\u{200D}' && is_emoji_part(prev) && is_emoji_part(next))
        || (is_joining(prev) && is_joining(next))
}

/// Whether `c` is a letter or mark of a script whose shaping uses the
/// joiner and non-joiner: above U+024F (not Latin), not CJK, not full-width
/// forms. The combining marks of the Arabic and Indic blocks (viramas,
/// vowel signs) count too.
fn is_joining(c: char) -> bool {
    c > '\u{24F}'
        && !matches!(c, '\u{2E80}'..='\u{33FF}' | '\u{FF00}'..='\u{FFEF}')
        && !is_han_like(c)
        && (c.is_alphabetic()
            || matches!(c, '\u{0600}'..='\u{06FF}' | '\u{0900}'..='\u{0DFF}' | '\u{1000}'..='\u{109F}' | '\u{1780}'..='\u{17FF}'))
}

/// Whether a soft hyphen at `i..end` stays: next to an ideograph, or next
/// to a U+0080–U+00FF character (mojibake).
fn shy_kept(text: &str, i: usize, end: usize) -> bool {
    let keeps = |x: char| is_han_like(x) || ('\u{80}'..='\u{FF}').contains(&x);
    text[..i].chars().next_back().is_some_and(keeps)
        || text[end..].chars().next().is_some_and(keeps)
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
    use super::*;
    use crate::Fixer;

    /// The scan that looks at every character starting with a byte of
    /// [`TRIGGER_BYTES`] changes what the scan that first asks
    /// [`may_change`] changes, for every character of the lead bytes it
    /// narrows (U+2000–U+2FFF and U+F000–U+FFFF), among ideographs, among
    /// Latin letters and alone.
    #[test]
    fn may_change_passes_over_nothing_to_change() {
        let every = |_: &[u8], _: usize| true;
        let opts = Options::default();
        let mut narrowed = 0;
        for cp in (0x2000..=0x2FFF).chain(0xF000..=0xFFFF) {
            let Some(c) = char::from_u32(cp) else {
                continue;
            };
            for text in [format!("中{c}文"), format!("a{c}b"), c.to_string()] {
                let (mut all, mut some) = (Vec::new(), Vec::new());
                scan_stopping(&opts, &text, &mut all, every);
                scan(&opts, &text, &mut some);
                assert_eq!(all, some, "{c:?} in {text:?}");
                narrowed += usize::from(
                    all.is_empty() && !may_change(text.as_bytes(), text.find(c).unwrap()),
                );
            }
        }
        // The narrowing passes over most of these characters.
        assert!(narrowed > 20_000, "{narrowed}");
    }

    fn fixer() -> Fixer {
        Fixer::builder().punct(false).build().unwrap()
    }

    fn fix(s: &str) -> String {
        fixer().clean(s).into_owned()
    }

    /// The rule ids of the edits on `s`.
    fn rules(s: &str) -> Vec<String> {
        fixer()
            .explain(s)
            .edits()
            .iter()
            .map(|e| e.rule().to_owned())
            .collect()
    }

    #[test]
    fn radicals() {
        assert_eq!(fix("⼀⼈⼤"), "一人大");
        assert_eq!(fix("中华⼈民共和国"), "中华人民共和国");
        assert_eq!(rules("⼈民"), ["unicode/kangxi"]);
        // Supplement forms that NFKC does not map.
        assert_eq!(fix("⻍⺮⻖"), "\u{8FB6}\u{25AD7}\u{961D}");
        assert_eq!(fix("⺟亲"), "母亲");
        assert_eq!(rules("⺟亲"), ["unicode/radical"]);
        // Every Kangxi radical maps, as NFKC maps it.
        for c in '\u{2F00}'..='\u{2FD5}' {
            let want: String =
                unicode_normalization::UnicodeNormalization::nfkc(c.to_string().as_str()).collect();
            assert_eq!(fix(&c.to_string()), want, "U+{:04X}", c as u32);
        }
        // U+2E80 CJK RADICAL REPEAT has no equivalent ideograph.
        assert_eq!(fix("\u{2E80}中"), "\u{2E80}中");
    }

    #[test]
    fn radical_table() {
        let t = &*RADICALS;
        let n = t.iter().flatten().count();
        assert_eq!(n, 214 + 114, "214 Kangxi radicals and 114 supplement forms");
        assert!(t.iter().flatten().all(|&c| is_han(c)));
        assert!(parse_radicals("2F00\t4E00\t# ⼀ → 一\n").is_ok());
        for (bad, why) in [
            ("2F00\t4E00\n", "expected"),
            ("2F00\tXYZ\t# ⼀ → 一\n", "not a hexadecimal"),
            ("4E00\t4E00\t# 一 → 一\n", "not a CJK radical"),
            ("2F00\t0041\t# ⼀ → A\n", "not an ideograph"),
            (
                "2F01\t4E28\t# ⼁ → 丨\n2F00\t4E00\t# ⼀ → 一\n",
                "line 2: not sorted",
            ),
            ("2F00\t4E00\t# ⼁ → 一\n", "the comment"),
        ] {
            let e = parse_radicals(bad).unwrap_err();
            assert!(e.contains(why), "{bad:?}: {e}");
        }
    }

    #[test]
    fn compat() {
        assert_eq!(fix("\u{F900}中"), "\u{8C48}中");
        assert_eq!(rules("\u{F900}中"), ["unicode/compat"]);
        assert_eq!(fix("\u{2F800}"), "\u{4E3D}");
        // U+FA0E is a unified ideograph inside the compatibility block.
        assert_eq!(fix("\u{FA0E}"), "\u{FA0E}");
    }

    #[test]
    fn fullwidth() {
        assert_eq!(fix("２０２３年ＧＤＰ增长ｘ"), "2023年GDP增长x");
        assert_eq!(fix("中\u{3000}国"), "中\u{3000}国");
        assert_eq!(fix("中国，（ＷＴＯ）：１％"), "中国，（WTO）：1％");
        let f = Fixer::builder().fullwidth(false).build().unwrap();
        assert_eq!(f.clean("２０２３年"), "２０２３年");
        for c in ('\u{FF10}'..='\u{FF19}')
            .chain('\u{FF21}'..='\u{FF3A}')
            .chain('\u{FF41}'..='\u{FF5A}')
        {
            let want = char::from_u32(c as u32 - 0xFEE0).unwrap();
            assert_eq!(fix(&format!("中{c}")), format!("中{want}"));
        }
    }

    #[test]
    fn invisible() {
        assert_eq!(fix("中\u{200B}国\u{FEFF}人\u{2060}民"), "中国人民");
        assert_eq!(fix("中\u{200D}国\u{200C}人"), "中国人");
        // A BOM that starts the text stays.
        assert_eq!(fix("\u{FEFF}中国\n\u{FEFF}人民"), "\u{FEFF}中国\n人民");
        // Joiners inside emoji and joining scripts stay.
        for s in [
            "家庭👨\u{200D}👩\u{200D}👧",
            "中文 👩\u{200D}💻",
            "中文 🏳\u{FE0F}\u{200D}🌈",
            "中文 کتاب\u{200C}ها",
            "中文 क्\u{200D}ष",
        ] {
            assert_eq!(fix(s), s);
        }
        // Soft hyphen: removed in a Latin word, kept next to ideographs and
        // in mojibake.
        assert_eq!(fix("中文 hyphen\u{AD}ation"), "中文 hyphenation");
        assert_eq!(fix("中\u{AD}间"), "中\u{AD}间");
        assert_eq!(fix("数据库å\u{AD}\u{97}段"), "数据库å\u{AD}\u{97}段");
        assert_eq!(rules("中文\u{200B}"), ["unicode/invisible"]);
    }

    #[test]
    fn nbsp() {
        assert_eq!(fix("中国\u{A0}人民"), "中国 人民");
        assert_eq!(rules("中国\u{A0}人民"), ["unicode/nbsp"]);
    }

    #[test]
    fn only_lines_with_chinese() {
        for s in [
            "ＡＢＣ１２３",
            "a\u{200B}b",
            "x\u{00A0}y",
            "کتاب\u{200C}ها",
            "hyphen\u{AD}ation",
            "a b c d e f",
            "",
        ] {
            assert_eq!(fix(s), s);
            assert!(matches!(fixer().clean(s), std::borrow::Cow::Borrowed(_)));
        }
        // Per line: the Latin line stays, the Chinese line is repaired.
        assert_eq!(fix("ＡＢＣ\n中ＡＢＣ\nＡＢＣ"), "ＡＢＣ\n中ABC\nＡＢＣ");
        // A radical makes its line Chinese.
        assert_eq!(fix("⼀ ＡＢＣ"), "一 ABC");
    }

    #[test]
    fn spacing() {
        assert_eq!(fix("经 济 技 术 开 发 区"), "经济技术开发区");
        assert_eq!(rules("经 济 技 术"), ["unicode/spacing"; 3]);
        assert_eq!(fix("各 位 代 表 ： 现 在"), "各位代表：现在");
        assert_eq!(
            fix("首都 经 济 技 术 开 发 区管委会"),
            "首都 经济技术开发 区管委会"
        );
        assert_eq!(fix("第 一 章\n总 则"), "第 一 章\n总 则");
        assert_eq!(fix("一 二 三 四\r\n"), "一二三四\r\n");
        // Two runs on one line, each measured alone.
        assert_eq!(fix("经 济 技 术  甲 乙"), "经济技术  甲 乙");
        for s in [
            "第一章 总则",
            "第一章 总 则",
            "第四章 保 安 员",
            "第 一 章",
            "目 录",
            "经  济  技  术",
            "A B C D 中",
            "在 第 2.1.4 节 “Debian 档案库基础” 里",
            "参见 第 3.4 节 “系统消息” 和 第 3.3 节",
            "第一条 为了……",
        ] {
            assert_eq!(fix(s), s);
        }
        let f = Fixer::builder().spacing(false).build().unwrap();
        assert_eq!(f.clean("经 济 技 术"), "经 济 技 术");
    }

    #[test]
    fn worst_cases_are_linear() {
        // Long runs of spaces, of spaced ideographs, of triggers: each must
        // finish quickly (a quadratic scan would take minutes here).
        let n = 200_000;
        let cases = [
            format!("中{}", " ".repeat(n)),
            format!("{}中", "中 ".repeat(n)),
            "中 ".repeat(n),
            "中 中中 ".repeat(n / 2),
            format!("中{}", "\u{A0}".repeat(n)),
            format!("{}中", "\u{200D}".repeat(n)),
            format!("{}中", "ａ".repeat(n)),
            "a\u{200B}\n".repeat(n),
        ];
        let start = std::time::Instant::now();
        for s in &cases {
            let out = fixer().clean(s);
            assert!(out.len() <= s.len());
        }
        assert!(start.elapsed().as_secs() < 20, "took {:?}", start.elapsed());
    }

    #[test]
    fn clean_text_is_borrowed() {
        for s in [
            "开展工作，鼓励创新。",
            "第一章 总则\n第一条 为了规范……",
            "“中国”（China）2023年，GDP 增长 5%。",
            "Debian 使用 apt-get install 安装软件包。",
        ] {
            assert!(
                matches!(fixer().clean(s), std::borrow::Cow::Borrowed(_)),
                "{s}"
            );
        }
    }

    /// A slow, obviously correct statement of the spacing rule: split each
    /// line at every space; join the longest stretches of tokens that are
    /// each one run member, when a stretch holds at least
    /// [`MIN_SPACED_RUN`] ideographs.
    fn naive_spacing(text: &str) -> String {
        let mut out = String::new();
        for line in text.split_inclusive('\n') {
            let body = line.trim_end_matches(['\n', '\r']);
            let tokens: Vec<&str> = body.split(' ').collect();
            let lone = |t: &str| {
                let mut cs = t.chars();
                matches!((cs.next(), cs.next()), (Some(c), None) if is_run_member(c))
            };
            let mut k = 0;
            while k < tokens.len() {
                let mut e = k;
                while e < tokens.len() && lone(tokens[e]) {
                    e += 1;
                }
                if e > k {
                    let stretch = &tokens[k..e];
                    let han = stretch
                        .iter()
                        .filter(|t| t.chars().all(is_han_like))
                        .count();
                    let sep = if han >= MIN_SPACED_RUN { "" } else { " " };
                    out.push_str(&stretch.join(sep));
                    k = e;
                } else {
                    out.push_str(tokens[k]);
                    k += 1;
                }
                if k < tokens.len() {
                    out.push(' ');
                }
            }
            out.push_str(&line[body.len()..]);
        }
        out
    }

    proptest::proptest! {
        #[test]
        fn spacing_matches_naive(
            parts in proptest::collection::vec((0..7usize, 0..8usize), 0..16)
        ) {
            // Mostly lone ideographs and single spaces, so that runs of every
            // length around the threshold occur.
            const TOKENS: [&str; 7] = ["中", "国", "〇", "，", "中国", "a", ""];
            const GAPS: [&str; 8] = [" ", " ", " ", " ", "  ", "\n", "\r\n", "x"];
            let s: String = parts.iter().map(|&(t, g)| [TOKENS[t], GAPS[g]].concat()).collect();
            proptest::prop_assert_eq!(fix(&s), naive_spacing(&s));
        }

        #[test]
        fn no_chinese_no_change(s in "[a-zＡ１é ,.\n\u{A0}\u{AD}\u{200B}\u{200C}\u{200D}\u{2060}\u{FEFF}👩]{0,30}") {
            proptest::prop_assert!(matches!(fixer().clean(&s), std::borrow::Cow::Borrowed(_)));
        }

        #[test]
        fn idempotent_and_replayable(
            s in "[中国⼈⺟豈Ａ１a，é 👩\n\u{A0}\u{AD}\u{200B}\u{200D}\u{FEFF}]{0,30}"
        ) {
            let once = fix(&s);
            proptest::prop_assert_eq!(fix(&once), once.clone());
            let report = fixer().explain(&s);
            proptest::prop_assert_eq!(report.output(), once.as_str());
            proptest::prop_assert_eq!(report.replay(&s).unwrap(), once);
        }
    }
}

//! Context patterns of the pair table: what must stand right before and
//! after a word for a `confirm` or `protect` rule to apply.
//!
//! A pattern is the word `_` with its neighbours: `在此_上`, `_器`,
//! `为敌人_`, exactly one `_`. `，` stands for a clause boundary: one of
//! [`BOUNDARY_MARKS`], a line break, or the start (left of `_`) or end
//! (right of `_`) of the text. Spaces, tabs and line breaks between the
//! characters of the text are skipped, so a context still matches across a
//! hard-wrapped line (`效劳\n大众`).
//!
//! `…` (at most one on each side of `_`) stands for any text inside the
//! same sentence, at most [`MAX_GAP`] characters: `如果…_` matches 那么 in
//! 如果未指定此选项，那么将显示全部属性 — a sentence-scoped context, for
//! words whose sense the sentence decides (the `then` of `if … then`). A
//! gap never crosses a sentence end ([`SENTENCE_ENDS`]) or an empty line.

use std::fmt;
use std::str::Chars;

/// The marks a `，` in a pattern matches, besides a line break and the ends
/// of the text.
pub(crate) const BOUNDARY_MARKS: &[char] =
    &['，', '。', '；', '：', '！', '？', ',', ';', ':', '!', '?'];

/// The marks that end a sentence, which a gap (`…`) never crosses.
pub(crate) const SENTENCE_ENDS: &[char] = &['。', '！', '？', '!', '?'];

/// The most characters a gap (`…`) spans: the search for what stands
/// beyond it is bounded, so a context costs the same whatever the text.
pub(crate) const MAX_GAP: usize = 40;

/// One element of a context: a character, a clause boundary, or a gap.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Elem {
    Char(char),
    Boundary,
    Gap,
}

/// A parsed context pattern.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Context {
    /// What stands before the word, nearest first (the reverse of the
    /// pattern's order), then what stands after it, nearest first: one
    /// allocation for both sides (the built-in table has 2,000 contexts).
    elems: Box<[Elem]>,
    /// Where the right side starts in `elems`.
    split: usize,
    /// The characters that must stand nearest the word, left and right,
    /// when the pattern starts with one on that side: tested first
    /// ([`Near`]), so that most patterns are ruled out without reading
    /// the text again.
    near: (Option<char>, Option<char>),
}

/// Why a pattern is not valid.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct PatternError(String);

impl fmt::Display for PatternError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl Context {
    /// Parses one pattern such as `在此_上`.
    pub(crate) fn parse(pattern: &str) -> Result<Context, PatternError> {
        let underscores = pattern.bytes().filter(|&b| b == b'_').count();
        if underscores != 1 {
            return Err(PatternError(format!(
                "bad context pattern {pattern:?}: it needs exactly one `_` (found {underscores})"
            )));
        }
        if pattern.chars().any(char::is_whitespace) {
            return Err(PatternError(format!(
                "bad context pattern {pattern:?}: it contains whitespace"
            )));
        }
        let (l, r) = pattern.split_once('_').expect("one `_`, counted above");
        for side in [l, r] {
            let gaps = side.chars().filter(|&c| c == '…').count();
            if gaps > 1 {
                return Err(PatternError(format!(
                    "bad context pattern {pattern:?}: at most one `…` on each side of `_` (found {gaps})"
                )));
            }
            if gaps == 1 && side.chars().all(|c| c == '…' || c == '，') {
                return Err(PatternError(format!(
                    "bad context pattern {pattern:?}: a `…` needs a character beyond it"
                )));
            }
        }
        if l.is_empty() && r.is_empty() {
            return Err(PatternError(format!(
                "bad context pattern {pattern:?}: a context needs at least one character besides `_`"
            )));
        }
        let elem = |c: char| match c {
            '，' => Elem::Boundary,
            '…' => Elem::Gap,
            c => Elem::Char(c),
        };
        let split = l.chars().count();
        let mut elems = Vec::with_capacity(split + r.chars().count());
        elems.extend(l.chars().rev().chain(r.chars()).map(elem));
        let elems = elems.into_boxed_slice();
        let first = |side: &[Elem]| match side.first() {
            Some(&Elem::Char(c)) => Some(c),
            _ => None,
        };
        Ok(Context {
            near: (first(&elems[..split]), first(&elems[split..])),
            elems,
            split,
        })
    }

    /// The pattern as written (which its elements give back).
    #[cfg(test)]
    pub(crate) fn as_str(&self) -> String {
        let (left, right) = self.elems.split_at(self.split);
        let write = |e: &Elem| match *e {
            Elem::Boundary => '，',
            Elem::Gap => '…',
            Elem::Char(c) => c,
        };
        let mut out: String = left.iter().rev().map(write).collect();
        out.push('_');
        out.extend(right.iter().map(write));
        out
    }

    /// Whether the word at `start..end` of `text` stands in this context.
    pub(crate) fn matches(&self, text: &str, start: usize, end: usize) -> bool {
        let (left, right) = self.elems.split_at(self.split);
        matches_side::<true>(left, text[..start].chars())
            && matches_side::<false>(right, text[end..].chars())
    }

    /// [`matches`](Context::matches), where `near` holds the characters
    /// nearest the word: the same answer, for many patterns without
    /// reading the text.
    pub(crate) fn matches_near(&self, text: &str, start: usize, end: usize, near: Near) -> bool {
        let fits = |want: Option<char>, got: Option<char>| want.is_none_or(|c| got == Some(c));
        fits(self.near.0, near.left)
            && fits(self.near.1, near.right)
            && self.matches(text, start, end)
    }

    /// This pattern with `word` in place of `_`, for messages and for the
    /// corpus checks.
    #[cfg(test)]
    pub(crate) fn with_word(&self, word: &str) -> String {
        self.as_str().replacen('_', word, 1)
    }
}

/// The characters nearest a word on each side, spaces and line breaks
/// skipped: what a pattern's nearest character must be
/// ([`Context::matches_near`]), read once for all the patterns of a word.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Near {
    left: Option<char>,
    right: Option<char>,
}

impl Near {
    /// The characters nearest the word at `start..end` of `text`.
    pub(crate) fn at(text: &str, start: usize, end: usize) -> Near {
        Near {
            left: text[..start].chars().rev().find(|&c| !is_skipped(c)),
            right: text[end..].chars().find(|&c| !is_skipped(c)),
        }
    }
}

fn is_skipped(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\r' | '\n' | '\u{3000}')
}

fn is_line_break(c: char) -> bool {
    matches!(c, '\n' | '\r')
}

/// The next character of `it` away from the form: from the end when
/// reading the left side (`LEFT`), from the start when reading the right.
#[inline]
fn step<const LEFT: bool>(it: &mut Chars<'_>) -> Option<char> {
    if LEFT { it.next_back() } else { it.next() }
}

/// Whether `elems` (in reading order: nearest the form first) stand next
/// to the form in the text of `it` (the text on that side, read away from
/// the form: leftwards when `LEFT`).
fn matches_side<const LEFT: bool>(elems: &[Elem], mut it: Chars<'_>) -> bool {
    for (k, &e) in elems.iter().enumerate() {
        match e {
            Elem::Char(want) => loop {
                match step::<LEFT>(&mut it) {
                    Some(c) if c == want => break,
                    Some(c) if is_skipped(c) => {}
                    _ => return false,
                }
            },
            // Spaces before it are skipped; a boundary mark is consumed; a
            // line break (left for the next element to skip) or the end of
            // the text is a boundary in itself.
            Elem::Boundary => loop {
                let mut ahead = it.clone();
                match step::<LEFT>(&mut ahead) {
                    None => break,
                    Some(c) if is_line_break(c) => break,
                    Some(c) if is_skipped(c) => it = ahead,
                    Some(c) if BOUNDARY_MARKS.contains(&c) => {
                        it = ahead;
                        break;
                    }
                    Some(_) => return false,
                }
            },
            Elem::Gap => return matches_beyond_gap::<LEFT>(&elems[k + 1..], it),
        }
    }
    true
}

/// Whether `elems` stand somewhere beyond a gap of at most [`MAX_GAP`]
/// characters of the text of `it`, inside its sentence.
fn matches_beyond_gap<const LEFT: bool>(elems: &[Elem], mut it: Chars<'_>) -> bool {
    // The character the elements start with, if they do: only a place
    // where it (or a skipped space before it) comes next can match.
    let first = match elems.first() {
        Some(&Elem::Char(c)) => Some(c),
        _ => None,
    };
    let mut line_breaks = 0;
    for _ in 0..=MAX_GAP {
        let mut ahead = it.clone();
        let next = step::<LEFT>(&mut ahead);
        let worth = match (first, next) {
            (Some(want), Some(c)) => c == want || is_skipped(c),
            (Some(_), None) => false,
            (None, _) => true,
        };
        if worth && matches_side::<LEFT>(elems, it.clone()) {
            return true;
        }
        match next {
            Some(c) if SENTENCE_ENDS.contains(&c) => return false,
            Some(c) => {
                // Two line breaks with only spaces between: an empty line.
                if c == '\n' {
                    line_breaks += 1;
                    if line_breaks == 2 {
                        return false;
                    }
                } else if !is_skipped(c) {
                    line_breaks = 0;
                }
                it = ahead;
            }
            None => return false,
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Whether `pattern` matches the first occurrence of `word` in `text`.
    fn m(pattern: &str, text: &str, word: &str) -> bool {
        let start = text.find(word).expect("word in text");
        Context::parse(pattern)
            .unwrap()
            .matches(text, start, start + word.len())
    }

    #[test]
    fn both_sides() {
        assert!(m("在此_上", "在此根底上", "根底"));
        assert!(m("在此_上", "要在此根底上用", "根底"));
        assert!(!m("在此_上", "在此根底下", "根底"));
        assert!(!m("在此_上", "在彼根底上", "根底"));
    }

    #[test]
    fn one_side() {
        assert!(m("_器", "效劳器前往302", "效劳"));
        assert!(!m("_器", "效劳意识", "效劳"));
        assert!(m("为敌人_", "投降后为敌人效劳的", "效劳"));
        assert!(!m("_器", "效劳", "效劳"));
    }

    #[test]
    fn whitespace_is_skipped() {
        assert!(m("_大众", "效劳\n大众没有", "效劳"));
        assert!(m("在此_上", "在 此 根底 上", "根底"));
    }

    #[test]
    fn clause_boundary() {
        for text in [
            "重要组成局部。",
            "重要组成局部，",
            "重要组成局部",
            "重要组成局部\n下一段",
            "重要组成局部 ;",
        ] {
            assert!(m("组成_，", text, "局部"), "{text:?}");
        }
        assert!(!m("组成_，", "组成局部地图", "局部"));
        assert!(!m("组成_，", "组成局部、", "局部"));
        assert!(m("，_是", "动力，那么是", "那么"));
        assert!(m("，_是", "那么是", "那么"));
        assert!(m("，_是", "动力\n那么是", "那么"));
        assert!(!m("，_是", "如果那么是", "那么"));
    }

    #[test]
    fn boundary_then_more() {
        // `问题和_，`: a character context on the left, a boundary on the right.
        assert!(m("问题和_，", "存在的问题和缺乏。", "缺乏"));
        assert!(!m("问题和_，", "问题和缺乏经验", "缺乏"));
        // A boundary inside the left part.
        assert!(m("，甲_", "好。甲乙", "乙"));
        assert!(
            m("，甲_", "甲乙", "乙"),
            "the start of the text is a boundary"
        );
        assert!(!m("，甲_", "丙甲乙", "乙"));
    }

    #[test]
    fn gap_inside_the_sentence() {
        let text = "在列出单元时，如果使用了此选项，那么表示只列出指定类型的单元。";
        assert!(m("如果…_", text, "那么"));
        assert!(
            m("如果…，_", text, "那么"),
            "a boundary right before the form"
        );
        assert!(
            !m("如果…_", "如果成功。那么所有单元", "那么"),
            "a sentence end"
        );
        assert!(!m("如果…_", "若是成功，那么所有单元", "那么"));
        assert!(
            m("如果…_", "如果\n成功，那么", "那么"),
            "a line break inside"
        );
        assert!(!m("如果…_", "如果成功\n\n那么", "那么"), "an empty line");
        assert!(
            !m("如果…_", "如果成功\n \n那么", "那么"),
            "an empty line with a space"
        );
        assert!(m("如果…_", "如果那么", "那么"), "an empty gap");
        // At most MAX_GAP characters between.
        let near = format!("如果{}那么", "好".repeat(MAX_GAP));
        let far = format!("如果{}那么", "好".repeat(MAX_GAP + 1));
        assert!(m("如果…_", &near, "那么"));
        assert!(!m("如果…_", &far, "那么"));
        // On the right, and with characters next to the form.
        assert!(m("_…为止", "那么直到结束为止。", "那么"));
        assert!(!m("_…为止", "那么直到结束。为止", "那么"));
        assert!(m("如果…，_将", "如果未指定此选项，那么将显示", "那么"));
        assert!(!m("如果…，_将", "如果未指定此选项，那么会显示", "那么"));
    }

    #[test]
    fn bad_patterns() {
        for (p, why) in [
            ("在此上", "exactly one"),
            ("_上_", "exactly one"),
            ("_", "at least one character"),
            ("在 此_", "whitespace"),
            ("如…果…_", "at most one `…`"),
            ("…_", "a character beyond it"),
            ("_，…", "a character beyond it"),
        ] {
            let e = Context::parse(p).unwrap_err().to_string();
            assert!(e.contains(why), "{p:?}: {e}");
        }
    }

    #[test]
    fn with_word() {
        assert_eq!(
            Context::parse("在此_上").unwrap().with_word("基础"),
            "在此基础上"
        );
    }

    proptest::proptest! {
        /// The nearest characters only rule patterns out that could not
        /// match: `matches_near` answers as `matches` does.
        #[test]
        fn near_agrees(
            left in "[在此上，。 \n…a]{0,3}",
            right in "[在此上，。 \n…a]{0,3}",
            before in "[在此上，。 \n\u{3000}a]{0,6}",
            after in "[在此上，。 \n\u{3000}a]{0,6}",
        ) {
            let pattern = format!("{left}_{right}");
            let Ok(ctx) = Context::parse(&pattern) else {
                return Ok(());
            };
            let text = format!("{before}根底{after}");
            let (start, end) = (before.len(), before.len() + "根底".len());
            proptest::prop_assert_eq!(
                ctx.matches_near(&text, start, end, Near::at(&text, start, end)),
                ctx.matches(&text, start, end),
                "{} in {:?}", pattern, text
            );
        }
    }
}

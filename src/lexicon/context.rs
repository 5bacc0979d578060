//! Context patterns of the pair table: what must stand right before and
//! after a word for a `confirm` or `protect` rule to apply.
//!
//! A pattern is the word `_` with its neighbours: `在此_上`, `_器`,
//! `为敌人_`, exactly one `_`. `，` stands for a clause boundary: one of
//! [`BOUNDARY_MARKS`], a line break, or the start (left of `_`) or end
//! (right of `_`) of the text. Spaces, tabs and line breaks between the
//! characters of the text are skipped, so a context still matches across a
//! hard-wrapped line (`效劳\n大众`).

use std::fmt;
use std::iter::Peekable;

/// The marks a `，` in a pattern matches, besides a line break and the ends
/// of the text.
pub(crate) const BOUNDARY_MARKS: &[char] =
    &['，', '。', '；', '：', '！', '？', ',', ';', ':', '!', '?'];

/// One element of a context: a character, or a clause boundary.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Elem {
    Char(char),
    Boundary,
}

/// A parsed context pattern.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Context {
    /// What stands before the word, nearest last.
    left: Vec<Elem>,
    /// What stands after the word, nearest first.
    right: Vec<Elem>,
    /// The pattern as written, for messages.
    source: String,
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
        let n = pattern.matches('_').count();
        if n != 1 {
            return Err(PatternError(format!(
                "bad context pattern {pattern:?}: it needs exactly one `_` (found {n})"
            )));
        }
        if pattern.chars().any(char::is_whitespace) {
            return Err(PatternError(format!(
                "bad context pattern {pattern:?}: it contains whitespace"
            )));
        }
        let (l, r) = pattern.split_once('_').expect("one `_`, counted above");
        if l.is_empty() && r.is_empty() {
            return Err(PatternError(format!(
                "bad context pattern {pattern:?}: a context needs at least one character besides `_`"
            )));
        }
        let elems = |s: &str| -> Vec<Elem> {
            s.chars()
                .map(|c| {
                    if c == '，' {
                        Elem::Boundary
                    } else {
                        Elem::Char(c)
                    }
                })
                .collect()
        };
        Ok(Context {
            left: elems(l),
            right: elems(r),
            source: pattern.to_owned(),
        })
    }

    /// The pattern as written.
    #[cfg(test)]
    pub(crate) fn as_str(&self) -> &str {
        &self.source
    }

    /// Whether the word at `start..end` of `text` stands in this context.
    pub(crate) fn matches(&self, text: &str, start: usize, end: usize) -> bool {
        matches_left(&self.left, &text[..start]) && matches_right(&self.right, &text[end..])
    }

    /// This pattern with `word` in place of `_`, for messages and for the
    /// corpus checks.
    #[cfg(test)]
    pub(crate) fn with_word(&self, word: &str) -> String {
        self.source.replacen('_', word, 1)
    }
}

fn is_skipped(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\r' | '\n' | '\u{3000}')
}

fn is_line_break(c: char) -> bool {
    matches!(c, '\n' | '\r')
}

/// Reads a clause boundary from `chars` (read away from the form): spaces
/// before it are skipped; a boundary mark is consumed; a line break (left
/// for the next element to skip) or the end of the text is a boundary in
/// itself. Whether there was one.
fn take_boundary(chars: &mut Peekable<impl Iterator<Item = char>>) -> bool {
    while let Some(&c) = chars.peek() {
        if is_line_break(c) {
            return true;
        }
        if is_skipped(c) {
            chars.next();
            continue;
        }
        if BOUNDARY_MARKS.contains(&c) {
            chars.next();
            return true;
        }
        return false;
    }
    true
}

/// Matches `elems` (nearest last) against the end of `before`.
fn matches_left(elems: &[Elem], before: &str) -> bool {
    let mut chars = before.chars().rev().peekable();
    for &e in elems.iter().rev() {
        match e {
            Elem::Char(want) => {
                let got = chars.by_ref().find(|&c| !is_skipped(c));
                if got != Some(want) {
                    return false;
                }
            }
            Elem::Boundary => {
                // Any further elements must match before the boundary: the
                // loop goes on from here. A line break stays to be skipped.
                if !take_boundary(&mut chars) {
                    return false;
                }
            }
        }
    }
    true
}

/// Matches `elems` (nearest first) against the start of `after`.
fn matches_right(elems: &[Elem], after: &str) -> bool {
    let mut chars = after.chars().peekable();
    for &e in elems {
        match e {
            Elem::Char(want) => {
                let got = chars.by_ref().find(|&c| !is_skipped(c));
                if got != Some(want) {
                    return false;
                }
            }
            Elem::Boundary => {
                if !take_boundary(&mut chars) {
                    return false;
                }
            }
        }
    }
    true
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
    fn bad_patterns() {
        for (p, why) in [
            ("在此上", "exactly one"),
            ("_上_", "exactly one"),
            ("_", "at least one character"),
            ("在 此_", "whitespace"),
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
}

//! Correct text stays correct: every line of the clean reference corpus
//! (`../shared/corpus/clean/*.txt`, outside this repository) goes through
//! [`zhfix::clean`]. A line that needs no change must come back
//! `Cow::Borrowed`; a line that changes may only have ASCII punctuation next
//! to an ideograph made full-width (`,` → `，`, `.` → `。`, `(` → `（`) and
//! the spaces around it removed — what the evaluation scorer calls a
//! `width` edit, correct Chinese typography. Like the scorer, the check
//! ignores the width of digits and Latin letters (２０２３ → 2023).
//!
//! Each file is also cleaned in pieces of about 2,500 characters, like the
//! scorer's `--clean` mode, so that rules weighing evidence from a whole
//! document are checked on document-sized text too.
//!
//! Skipped, with a note, where the corpus is absent (a fresh clone).

use std::borrow::Cow;

use crate::support::corpus;

/// The full-width twin of an ASCII mark, as the scorer defines it.
fn width_twin(c: char) -> Option<char> {
    let k = ",;:?!().".find(c)?;
    "，；：？！（）。".chars().nth(k)
}

/// Full-width digits, Latin letters and a few symbols fold to ASCII: the
/// scorer ignores their width (the Unicode layer makes them ASCII).
fn fold(c: char) -> char {
    match c {
        '\u{FF01}'..='\u{FF5E}' => {
            let a = char::from_u32(c as u32 - 0xFEE0).expect("ASCII");
            if a.is_ascii_alphanumeric() || "%+-/.=<>[]@#&*~_|^`$".contains(a) {
                a
            } else {
                c
            }
        }
        _ => c,
    }
}

fn is_han(c: char) -> bool {
    matches!(c, '\u{3400}'..='\u{9FFF}' | '\u{F900}'..='\u{FAFF}')
}

/// Checks that `output` differs from `input` only by width edits and
/// removed spaces; returns the first offending position.
fn only_width_edits(input: &str, output: &str) -> Result<(), String> {
    let a: Vec<char> = input.chars().map(fold).collect();
    let b: Vec<char> = output.chars().map(fold).collect();
    let (mut i, mut j) = (0, 0);
    // The nearest character other than a space on either side of a[i].
    let near_han = |i: usize| {
        let before = a[..i].iter().rev().find(|c| !matches!(c, ' ' | '\t'));
        let after = a[i + 1..].iter().find(|c| !matches!(c, ' ' | '\t'));
        before.is_some_and(|&c| is_han(c)) || after.is_some_and(|&c| is_han(c))
    };
    while i < a.len() {
        if j < b.len() && a[i] == b[j] {
            i += 1;
            j += 1;
        } else if matches!(a[i], ' ' | '\t') {
            i += 1;
        } else if j < b.len() && width_twin(a[i]) == Some(b[j]) && near_han(i) {
            i += 1;
            j += 1;
        } else {
            let at: String = a[i.saturating_sub(8)..(i + 8).min(a.len())]
                .iter()
                .collect();
            return Err(format!("{at:?} became {output:?}"));
        }
    }
    if j < b.len() {
        return Err(format!("text added at the end: {output:?}"));
    }
    Ok(())
}

/// Cuts `text` at line ends into pieces of about 2,500 characters, as the
/// scorer does: some rules weigh evidence from the whole text they are
/// given, and a typical document is that long.
fn pieces(text: &str) -> impl Iterator<Item = &str> {
    let mut rest = text;
    std::iter::from_fn(move || {
        if rest.is_empty() {
            return None;
        }
        let (mut end, mut chars) = (0, 0);
        for line in rest.split_inclusive('\n') {
            end += line.len();
            chars += line.chars().count();
            if chars >= 2500 {
                break;
            }
        }
        let (piece, tail) = rest.split_at(end);
        rest = tail;
        Some(piece)
    })
}

#[test]
fn clean_corpus_is_not_damaged() {
    let Some(files) = corpus::files("the no-damage check") else {
        return;
    };
    let (mut lines, mut changed, mut failures) = (0usize, 0usize, Vec::new());
    let mut pieces_checked = 0usize;
    for (name, text) in &files {
        for (k, piece) in pieces(text).enumerate() {
            pieces_checked += 1;
            if let Cow::Owned(out) = zhfix::clean(piece) {
                if let Err(e) = only_width_edits(piece, &out) {
                    failures.push(format!("{name}: piece {}: {e}", k + 1));
                }
            }
        }
        for (n, line) in text.lines().enumerate() {
            lines += 1;
            match zhfix::clean(line) {
                Cow::Borrowed(b) => assert_eq!(b, line),
                Cow::Owned(out) => {
                    if out == line {
                        failures.push(format!("{name}:{}: unchanged but owned", n + 1));
                    } else if let Err(e) = only_width_edits(line, &out) {
                        failures.push(format!("{name}:{}: {e}", n + 1));
                    } else {
                        changed += 1;
                    }
                }
            }
        }
    }
    println!(
        "{lines} corpus lines and {pieces_checked} pieces checked, \
         {changed} lines with width edits only"
    );
    assert!(lines > 0, "no corpus lines in {}", corpus::dir().display());
    assert!(
        failures.is_empty(),
        "{} damaged lines or pieces:\n{}",
        failures.len(),
        failures
            .iter()
            .take(40)
            .cloned()
            .collect::<Vec<_>>()
            .join("\n")
    );
}

#[test]
fn width_check_itself() {
    assert!(only_width_edits("我们,同意", "我们，同意").is_ok());
    assert!(only_width_edits("我们 , 同意", "我们，同意").is_ok());
    assert!(only_width_edits("a,b", "a，b").is_err());
    assert!(only_width_edits("开展", "发展").is_err());
    assert!(only_width_edits("〔市〕", "（市）").is_err());
    assert!(only_width_edits("我们", "我们。").is_err());
}

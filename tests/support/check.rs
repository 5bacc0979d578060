//! The properties every configured [`Fixer`] keeps on every input, as plain
//! functions returning a message on failure, so that the property tests
//! (`tests/properties.rs`), the data cases (`tests/lib.rs`) and the fuzz
//! targets (`fuzz/fuzz_targets/*.rs`, which include this file with
//! `#[path]`) check exactly the same things.
//!
//! [`check`] states the properties of one text, [`check_split`] the
//! paragraph property; their docs say precisely what is guaranteed.

use std::borrow::Cow;
use std::ops::Range;

use zhfix::{Edit, Fixer, Layer};

/// Whether `c` makes its line Chinese for the purpose of the "no ideograph,
/// no change" property: a CJK ideograph as `src/chars.rs` (`is_han`) defines
/// it — the unified blocks with their extensions, the compatibility blocks
/// and `〇` — or a CJK radical (U+2E80–U+2FDF), which the Unicode layer
/// treats as the ideograph it stands for (see `src/unicode.rs`, "Where it
/// acts").
pub fn is_han_like(c: char) -> bool {
    matches!(c,
        '\u{3400}'..='\u{4DBF}'
        | '\u{4E00}'..='\u{9FFF}'
        | '\u{F900}'..='\u{FAFF}'
        | '\u{20000}'..='\u{2FA1F}'
        | '\u{30000}'..='\u{323AF}'
        | '〇'
        | '\u{2E80}'..='\u{2FDF}')
}

/// The rules whose decisions weigh evidence gathered from the whole text,
/// not only the paragraph they edit, as the layers document them (the
/// "Evidence from the whole text" section of `src/punct.rs`; for the
/// lexicon, see [`is_evidence_edit`]).
/// An edit whose rule id (or one part of a joined id) is listed here may
/// differ between a paragraph cleaned alone and the same paragraph inside a
/// document.
pub const EVIDENCE_RULES: &[&str] = &[
    // Only in text whose punctuation was flattened to ASCII.
    "punct/ascii-flattened",
    // Not in technical text (much Latin script).
    "punct/paren",
    "punct/period",
    // Both of the above.
    "punct/quote-straight",
    // Only in text that shows halved marks elsewhere.
    "punct/dash-halved",
    // Only in text that uses “ and never 〝.
    "punct/quote-lone",
];

/// Whether `edit` was made, in whole or in part, by an evidence rule: one
/// of [`EVIDENCE_RULES`], any rule of the lexicon layer, or a language-model
/// rule of the OCR layer (`ocr/lm:…`).
///
/// Every lexicon decision may depend on text beyond its line: document
/// evidence fades with distance, not at line breaks, and a confirm context
/// may reach across a line break, since extraction breaks lines inside
/// sentences (`src/lexicon/mod.rs`, `data/lexicon/pairs.tsv`). An OCR
/// change from the language model needs another candidate within about 300
/// characters, on any line, unless its gain alone is overwhelming
/// (`src/ocr/mod.rs`, "Evidence from the text"); the other OCR rules
/// (`ocr/stroke`, `ocr/digit`, `ocr/numeral`) decide from the line.
pub fn is_evidence_edit(edit: &Edit) -> bool {
    edit.rule().split('+').any(|r| {
        EVIDENCE_RULES.contains(&r) || r.starts_with("lexicon/") || r.starts_with("ocr/lm:")
    })
}

/// Escapes everything outside printable ASCII and common CJK, so that
/// failure messages show invisible characters.
pub fn esc(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            ' '..='~' => c.to_string(),
            c if ('\u{3001}'..='\u{9FFF}').contains(&c)
                || ('\u{FF01}'..='\u{FF5E}').contains(&c) =>
            {
                c.to_string()
            }
            '“' | '”' | '…' | '—' => c.to_string(),
            c => c.escape_unicode().to_string(),
        })
        .collect()
}

/// The properties of one text. With `fixer` and any `input`:
///
/// 1. `explain(input).output() == clean(input)`, and `clean_into` appends
///    the same text;
/// 2. `clean` returns `Cow::Borrowed` exactly when the report has no edits,
///    exactly when the output equals the input;
/// 3. the edits are sorted, do not overlap (two insertions never share a
///    position), lie on char boundaries within the input, each holds the
///    input's text as [`Edit::before`] and changes it (`before != after`),
///    each rule id (every `+`-joined part) starts with the name of an
///    enabled layer and `/`, and [`Edit::layer`] is the first part's layer;
/// 4. replaying the edits on the input gives the output
///    ([`zhfix::Report::replay`] and [`zhfix::replay`]);
/// 5. idempotence: cleaning the output returns it borrowed;
/// 6. no edit adds or removes a line break;
/// 7. only lines holding Chinese change: every edit lies within a line
///    (text between `\n`s) that holds an ideograph or a radical
///    ([`is_han_like`]); so a text with none comes back borrowed.
pub fn check(fixer: &Fixer, input: &str) -> Result<(), String> {
    let fail = |what: String| Err(format!("{what}\n  input: {}", esc(input)));
    let cleaned = fixer.clean(input);
    let report = fixer.explain(input);
    let output = report.output();
    if output != cleaned {
        return fail(format!(
            "explain gives {}\n  clean gives   {}",
            esc(output),
            esc(&cleaned)
        ));
    }
    let mut into = String::from("前");
    fixer.clean_into(input, &mut into);
    if into.strip_prefix('前') != Some(output) {
        return fail(format!("clean_into gives {}", esc(&into)));
    }
    let borrowed = matches!(cleaned, Cow::Borrowed(_));
    if borrowed != report.edits().is_empty() || borrowed != (output == input) {
        return fail(format!(
            "borrowed={borrowed}, edits={}, output==input is {}; output {}",
            report.edits().len(),
            output == input,
            esc(output)
        ));
    }
    let mut prev: Option<&Edit> = None;
    for (k, e) in report.edits().iter().enumerate() {
        let r = e.range();
        if r.start > r.end
            || r.end > input.len()
            || !input.is_char_boundary(r.start)
            || !input.is_char_boundary(r.end)
        {
            return fail(format!("edit {k} ({e}) is not a char range of the input"));
        }
        if input[r.clone()] != *e.before() {
            return fail(format!("edit {k} ({e}): before is not the input's text"));
        }
        if e.before() == e.after() {
            return fail(format!("edit {k} ({e}) changes nothing"));
        }
        if let Some(p) = prev {
            let both_insert = p.start() == p.end() && r.start == r.end;
            if r.start < p.end() || (both_insert && r.start == p.start()) {
                return fail(format!("edit {k} ({e}) overlaps or precedes edit {p}"));
            }
        }
        prev = Some(e);
        let mut parts = e.rule().split('+');
        let first = parts.next().unwrap_or_default();
        if !first.starts_with(&format!("{}/", e.layer().name())) {
            return fail(format!(
                "edit {k} ({e}): rule id does not start with its layer"
            ));
        }
        for part in e.rule().split('+') {
            let layer = part
                .split_once('/')
                .and_then(|(name, rest)| Layer::from_name(name).filter(|_| !rest.is_empty()));
            match layer {
                Some(l) if fixer.is_enabled(l) => {}
                _ => {
                    return fail(format!(
                        "edit {k} ({e}): {part:?} is not the rule of an enabled layer"
                    ));
                }
            }
        }
        if e.before().matches('\n').count() != e.after().matches('\n').count() {
            return fail(format!("edit {k} ({e}) adds or removes a line break"));
        }
        let line = line_around(input, r.clone());
        if !input[line.clone()].chars().any(is_han_like) {
            return fail(format!(
                "edit {k} ({e}) is on a line without Chinese: {}",
                esc(&input[line])
            ));
        }
    }
    match report.replay(input) {
        Ok(r) if r == output => {}
        other => return fail(format!("replay gives {other:?}, want {}", esc(output))),
    }
    match zhfix::replay(input, report.edits()) {
        Ok(r) if r == output => {}
        other => return fail(format!("zhfix::replay gives {other:?}")),
    }
    match fixer.clean(output) {
        Cow::Borrowed(_) => {}
        Cow::Owned(again) => {
            return fail(format!(
                "not idempotent:\n  once:  {}\n  twice: {}",
                esc(output),
                esc(&again)
            ));
        }
    }
    Ok(())
}

/// The whole lines (without their `\n`) that `range` of `text` touches.
fn line_around(text: &str, range: Range<usize>) -> Range<usize> {
    let start = text[..range.start].rfind('\n').map_or(0, |k| k + 1);
    let end = text[range.end..]
        .find('\n')
        .map_or(text.len(), |k| range.end + k);
    start..end
}

/// The paragraph property. A paragraph is a line: the layers read text line
/// by line, so this is the finest split there is (a blank-line split is a
/// special case).
///
/// Cleaning `input` whole and cleaning each of its lines alone (each line
/// with its `\n`, as a text of its own) give the same output for every line
/// on which, in neither run, an edit comes from an [evidence
/// rule](EVIDENCE_RULES) or removes a U+FEFF that starts the line (a byte
/// order mark is kept at the start of a text, removed elsewhere). In other
/// words, a paragraph's repair depends on the rest of the document only
/// through the documented evidence rules.
pub fn check_split(fixer: &Fixer, input: &str) -> Result<(), String> {
    let whole = fixer.explain(input);
    let out_lines: Vec<&str> = whole.output().split_inclusive('\n').collect();
    let in_lines: Vec<&str> = input.split_inclusive('\n').collect();
    if out_lines.len() != in_lines.len() {
        return Err(format!(
            "the output has {} lines, the input {}\n  input: {}",
            out_lines.len(),
            in_lines.len(),
            esc(input)
        ));
    }
    let mut offset = 0;
    let mut edits = whole.edits().iter().peekable();
    for (n, (line, out_line)) in in_lines.iter().zip(&out_lines).enumerate() {
        let end = offset + line.len();
        // The edits of the whole text on this line.
        let mut excused = false;
        while let Some(e) = edits.next_if(|e| {
            e.start() < end || (e.start() == end && e.end() == end && !line.ends_with('\n'))
        }) {
            excused |=
                is_evidence_edit(e) || (e.start() == offset && e.before().starts_with('\u{FEFF}'));
        }
        let alone = fixer.explain(line);
        excused |= alone
            .edits()
            .iter()
            .any(|e| is_evidence_edit(e) || (e.start() == 0 && e.before().starts_with('\u{FEFF}')));
        if !excused && alone.output() != *out_line {
            return Err(format!(
                "line {} is repaired differently alone\n  whole text: {}\n  line:       {}\n  in the whole: {}\n  alone:        {}",
                n + 1,
                esc(input),
                esc(line),
                esc(out_line),
                esc(alone.output())
            ));
        }
        offset = end;
    }
    Ok(())
}

/// `s` as a TOML basic string, for pasting a failing input into
/// `tests/data/regression.toml`.
pub fn toml_string(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            ' '..='~' => out.push(c),
            c if is_han_like(c) || ('\u{3001}'..='\u{303F}').contains(&c) => out.push(c),
            c if (c as u32) < 0x10000 => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push_str(&format!("\\U{:08X}", c as u32)),
        }
    }
    out.push('"');
    out
}

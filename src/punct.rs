//! The punctuation layer: look-alike quotes and brackets, ASCII punctuation
//! inside Chinese text, ellipses and dashes.
//!
//! Rules (ids `punct/…`); none of them touches text that is not Chinese
//! (English, code, URLs, e-mail addresses, numbers):
//!
//! - `punct/ascii`: ASCII `, ; : ? !` touching an ideograph →
//!   `，；：？！`, and the spaces around it go. Not between digits (1,000;
//!   10:30), not in English spacing (`Hello, world`, `QEMU: 模拟器`), not
//!   inside a URL, an HTML entity or a spreadsheet error (`#REF!`), not
//!   doubled (`!!`), not the `?…?` that stands for a lost `《…》`.
//! - `punct/ascii-flattened`: the same marks in flattened text where they
//!   touch no ideograph: between full-width marks (`》,《`) and between
//!   Latin items (`stable,testing`; not in code, `GST_*:3,GST_X:5`).
//! - `punct/paren`: ASCII `(…)` around Chinese text (ideographs, digits,
//!   full-width punctuation, no Latin letters), each mark touching an
//!   ideograph → `（…）`; not in technical text, not doubled (the shell's
//!   `(( 表达式 ))`).
//! - `punct/period`: ASCII `.` after an ideograph at the end of a sentence
//!   (before another ideograph or the end of the line) → `。`, in flattened
//!   text that is not technical; not after a list number (一.). Elsewhere
//!   such a dot is more often an OCR misreading of `，` or a speck.
//! - `punct/quote-close`: `〞` or `〟` closing a `“` → `”`.
//! - `punct/quote-lone`: a `〞` or `〟` with no opener on its line, in a
//!   text that uses `“` and never `〝` → `”`.
//! - `punct/quote-open`: a stray `〝` whose quotation closes with `”` → `“`.
//!   A matched `〝…〞` (Traditional Chinese) stays.
//! - `punct/quote-unbalanced`: the second `“` of `“…“` where it closes the
//!   quotation (before punctuation or the end of the line) → `”`. An
//!   unmatched `“` alone stays (amending decisions quote each paragraph of a
//!   provision with an opening `“` and close only the last).
//! - `punct/quote-straight`: ASCII `"…"` around Chinese text → `“…”`, in
//!   flattened text that is not technical.
//! - `punct/bracket`: `〔…〕` around ordinary text → `（…）`. Kept: a number
//!   (国发〔2023〕5号, the citation 〔1〕), an outer bracket around `（）`,
//!   a short label at a line start or a known label (〔摘要〕, 〔关键词〕), a
//!   country or dynasty before a name (〔美〕). `﹝﹞` are never touched.
//! - `punct/ellipsis`: `...`, `。。。` and a lone `…` between ideographs →
//!   `……`; not inside a `「…」` label (software menus write `打开...`).
//! - `punct/dash`: `--` between ideographs → `——`.
//! - `punct/dash-halved`: a lone `—` between ideographs → `——`, only in a
//!   text that also shows halved marks (a lone `…`), since `中国—东盟` is
//!   the correct connecting dash.
//!
//! # Evidence from the whole text
//!
//! Some marks are right in one kind of text and garbled in another, so the
//! text given to [`scan`] (a document, or one pasted paragraph) is judged as
//! a whole:
//!
//! - *flattened*: at least two ASCII `, ; :` right after ideographs, and
//!   more than eight times as many as full-width `，；：！？` (correct
//!   software help reaches four times as many): a tool turned the
//!   punctuation into ASCII, so full stops, marks that touch no ideograph
//!   and ASCII quotes were flattened too;
//! - *technical*: at least 15 Latin letters per 100 ideographs (manuals,
//!   help pages): their authors write ASCII parentheses, quotes and full
//!   stops on purpose, so those stay.
//!
//! Six rules weigh this evidence, or other facts of the whole text, and
//! only they: `punct/ascii-flattened`, `punct/period` and
//! `punct/quote-straight` (flattened), `punct/paren`, `punct/period` and
//! `punct/quote-straight` (not technical), `punct/dash-halved` (the text
//! holds a halved ellipsis `…`) and `punct/quote-lone` (the text uses `“`
//! and never a matched `〝`). Every other rule decides from the line alone,
//! so a paragraph cleaned alone differs from the same paragraph inside a
//! document only in the edits of these six (`check_split` in
//! `tests/support/check.rs` tests it).
//!
//! The layer reads the text line by line (a line ends after `\n`) and
//! changes only lines that hold an ideograph.
//!
//! # Limitations
//!
//! - A closing `”` that a tool deleted entirely (family B in
//!   `eval/PAIRS.md`: `以“强化红线意识、促进安全发展为主题`) is not put
//!   back. Where it went is a question of where the quoted phrase ends:
//!   before the next punctuation mark is right for only 42% of the 158
//!   deletions in `eval/synthetic` (the phrase often ends before a head noun:
//!   `“三个代表”重要思想`); a table of quoted terms learned from the laws
//!   corpus places 7 of them with no error but abstains on the rest; and the
//!   gold of real documents (`eval/dev`) leaves such quotes unrepaired, so
//!   every insertion would count against zhfix there. These lines are left
//!   as they are (`tests/data/punct.toml`, `quote-deleted-closing-…`).
//! - A thousands separator stays ASCII (`1,000万吨`) even where the source
//!   wrote `1，000`.
//! - In technical text ASCII `.` and `( )` stay, though a tool may have
//!   flattened some of them; ASCII marks with English spacing stay
//!   (`比如, foo`).
//!
//! # Cost
//!
//! One pass over the bytes: a line without an ideograph is skipped after
//! one look for one; only ASCII punctuation and the lead bytes of CJK
//! punctuation stop it, and every check looks at a bounded
//! neighbourhood ([`WINDOW`] bytes at most), so the time is linear whatever
//! the input. More linear passes run only when needed: counting letters
//! when a decision depends on the kind of text, and finding the `〞` with
//! no opener when they are to be repaired (so that nothing is stored for
//! each of them on the way).
//!
//! Memory: a text of at most [`ONE_PASS`] bytes keeps its candidates (24
//! bytes each) until it is read, since the evidence above decides some of
//! them. A longer text is read twice where the first reading finds an edit
//! to make: first for that evidence, then, only over the lines that hold
//! something, deciding each line's edits as the line ends, so that what is
//! held does not grow with the text ([`scan`]).

use crate::chars::{Stop, is_chinese, is_cjk_punct, is_han};
use crate::edit::Layer;
use crate::patch::{Patch, Sink};
use std::cell::Cell;
use std::ops::Range;

/// How far (in bytes) a closing bracket or quote may be from its opener for
/// the pair to be repaired, and how far back a URL is looked for.
pub(crate) const WINDOW: usize = 300;

/// Texts of at most this many bytes are read in one pass ([`scan`]): their
/// candidates take little room, and a second pass would cost more.
const ONE_PASS: usize = 64 << 10;

/// Lines with something for the second pass that are less than this many
/// bytes apart are read in one run, with the lines between them.
const NEAR: usize = 128;

/// At most this many runs of lines are kept for the second pass (64 KiB):
/// past them, the last run takes in every later line with something.
const MAX_RUNS: usize = 4096;

/// How many unclosed `(` are remembered: deeper nesting forgets the
/// outermost.
const MAX_NESTING: usize = 32;

/// At most this many spaces or tabs are skipped to find the neighbour of a
/// punctuation mark.
const MAX_SPACES: usize = 4;

/// The lead bytes of the three-byte characters that may be CJK
/// punctuation.
const CLASS_HIGH: [u8; 3] = [0xE2, 0xE3, 0xEF];

/// [`CLASS_HIGH`] for [`find_byte`](crate::chars::find_byte).
const CLASS_STOPS: [Stop; 2] = [Stop::either(0xE2, 0xE3), Stop::byte(0xEF)];

/// Bytes that stop the scan: 1 = ASCII trigger, 2 = lead byte of a
/// three-byte character that may be CJK punctuation ([`CLASS_HIGH`]).
static CLASS: [u8; 256] = {
    let mut t = [0u8; 256];
    let ascii = b"\n,;:?!().\"-";
    let mut k = 0;
    while k < ascii.len() {
        t[ascii[k] as usize] = 1;
        k += 1;
    }
    let mut k = 0;
    while k < CLASS_HIGH.len() {
        t[CLASS_HIGH[k] as usize] = 2;
        k += 1;
    }
    t
};

/// Scans `text` and pushes the patches of this layer.
///
/// A text of at most [`ONE_PASS`] bytes is read once, its candidates kept
/// until its end, when what the whole text shows ([`Facts`]) decides the
/// deferred ones. A longer text is read in two passes, the second only
/// when the first found an edit to make: the first reads the facts and
/// keeps nothing of each line; the second, knowing them, decides each
/// line's edits as the line ends and hands them on. So what is held is one
/// line's candidates, not the whole text's, however many edits a long text
/// needs. The second pass reads only the lines where the first found
/// something (and those less than [`NEAR`] bytes between two of them, and
/// all after the [`MAX_RUNS`]th run): every edit is decided from its line
/// and the facts of the text. Both ways give the same edits.
pub(crate) fn scan(text: &str, out: &mut dyn Sink<'_>) {
    scan_with(text, out, ONE_PASS);
}

/// [`scan`], reading texts of at most `one_pass` bytes in one pass.
fn scan_with(text: &str, out: &mut dyn Sink<'_>, one_pass: usize) {
    let whole = text.len() <= one_pass;
    let mut survey = Scanner::new(text, None, whole);
    survey.read::<dyn Sink<'_>>(0..text.len(), None);
    if let Some(facts) = survey.facts() {
        if whole {
            survey.facts = Some(facts);
            survey.end_line(0, text.len(), Some(out));
            return;
        }
        let mut s = Scanner::new(text, Some(facts), false);
        // The first pass's buffers serve the second: its candidates are
        // gone, and the kinds it found mean the same.
        s.cands = std::mem::take(&mut survey.cands);
        s.kinds = std::mem::take(&mut survey.kinds);
        for lines in std::mem::take(&mut survey.seen.lines) {
            s.read(lines, Some(out));
        }
    }
}

/// The full-width twin of the ASCII mark `b` (`, ; : ?`, else `！`).
fn wide_mark(b: u8) -> &'static str {
    match b {
        b',' => "，",
        b';' => "；",
        b':' => "：",
        b'?' => "？",
        _ => "！",
    }
}

/// One proposed edit; `alive` is cleared when a later finding on its line
/// cancels it. Its replacement and rule are kept once in
/// [`Scanner::kinds`]. A line with many edits holds one candidate per edit
/// until the line is read, 24 bytes each.
#[derive(Debug)]
struct Cand {
    start: usize,
    end: usize,
    /// Index of (replacement, rule) in [`Scanner::kinds`].
    kind: u16,
    alive: bool,
}

/// An edit whose decision depends on the whole text.
#[derive(Debug)]
enum Deferred {
    /// ASCII parentheses around Chinese text at these byte offsets.
    Paren(usize, usize),
    /// ASCII quotes around Chinese text.
    Straight(usize, usize),
    /// A lone `—` between ideographs.
    Dash(usize),
    /// A `.` ending a sentence (and the spaces after it).
    Period(usize, usize),
    /// An ASCII mark between full-width punctuation (its span and the
    /// ASCII byte: see [`wide_mark`]).
    Mark(usize, usize, u8),
}

/// What the whole text shows, found by the first pass and weighed by the
/// second (see "Evidence from the whole text" above).
#[derive(Clone, Copy, Debug)]
struct Facts {
    flattened: bool,
    /// Whether the text is technical: counted when a decision needs it.
    technical: Option<bool>,
    /// The text holds a halved ellipsis.
    halved: bool,
    /// Where the lines start from which the `〞`/`〟` with no opener are
    /// repaired, if they are.
    lone_from: Option<usize>,
}

impl Facts {
    fn technical(&mut self, text: &str) -> bool {
        *self.technical.get_or_insert_with(|| is_technical(text))
    }
}

/// What the lines held, noted by the first pass: a live candidate, the
/// kinds of deferred edit, and the lines that held any of these or a
/// `〞`/`〟` with no opener, in runs.
#[derive(Debug, Default)]
struct Seen {
    /// Runs of lines, each run taking in the lines less than [`NEAR`]
    /// bytes from the last; at most [`MAX_RUNS`].
    lines: Vec<Range<usize>>,
    /// The current line holds a `〞`/`〟` with no opener.
    lone: bool,
    cand: bool,
    paren: bool,
    straight: bool,
    mark: bool,
    period: bool,
    dash: bool,
}

impl Seen {
    /// Notes what the line `line` (`None`: the whole text, read in one
    /// pass, which needs no runs) held.
    fn note(&mut self, line: Option<Range<usize>>, cands: &[Cand], deferred: &[Deferred]) {
        let cand = cands.iter().any(|c| c.alive);
        let lone = std::mem::take(&mut self.lone);
        let something = cand || !deferred.is_empty() || lone;
        if let Some(line) = line.filter(|_| something) {
            let full = self.lines.len() == MAX_RUNS;
            match self.lines.last_mut() {
                Some(run) if line.start - run.end < NEAR || full => {
                    run.end = line.end;
                }
                _ => self.lines.push(line),
            }
        }
        self.cand |= cand;
        for d in deferred {
            match d {
                Deferred::Paren(..) => self.paren = true,
                Deferred::Straight(..) => self.straight = true,
                Deferred::Mark(..) => self.mark = true,
                Deferred::Period(..) => self.period = true,
                Deferred::Dash(..) => self.dash = true,
            }
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Quote {
    /// `“`
    Curly,
    /// `〝`
    Corner,
}

struct Scanner<'t> {
    text: &'t str,
    /// What the whole text shows: `None` in the first pass, which finds it.
    facts: Option<Facts>,
    /// Whether the text is read in one pass ([`ONE_PASS`]): its candidates
    /// are kept to its end.
    whole: bool,
    /// The current line's candidates; the text's when it is read whole.
    cands: Vec<Cand>,
    /// The (replacement, rule) pairs of the candidates, each once: a few
    /// dozen at most (the layer's replacements and rules are literals).
    kinds: Vec<(&'static str, &'static str)>,
    /// The current line's deferred edits; the text's when it is read whole.
    deferred: Vec<Deferred>,
    /// In the first pass, what the lines held.
    seen: Seen,
    /// In the second, the end of the last edit handed on, and where it was
    /// an insertion, its place: a later candidate overlapping it is dropped.
    last_end: usize,
    last_insert: Option<usize>,
    // State of the current line (paragraph).
    line_start: usize,
    quote: Option<(usize, Quote)>,
    label: bool,
    bracket: Option<usize>,
    /// The unclosed `(` of this line, innermost last; at most
    /// [`MAX_NESTING`], so that nested pairs are all decided in one pass.
    parens: Vec<usize>,
    straight: Option<usize>,
    /// The last `?` on this line and the index of its candidate, if any.
    last_q: Option<(usize, Option<usize>)>,
    /// End of the last sentence-ending or clause mark on this line.
    last_stop: usize,
    /// Whether this line holds an ideograph, once known.
    line_han: Option<bool>,
    // Evidence about the whole text.
    ascii_after_han: usize,
    wide_marks: usize,
    corner_kept: usize,
    curly: usize,
    /// How many `〞`/`〟` have no opener on their line, and where the line
    /// of the first one starts.
    lone_closers: usize,
    first_lone: Option<usize>,
    halved: bool,
}

/// The vectors of a [`Scanner`] that a text with something to repair
/// fills, kept between scans on a thread so that scanning one short text
/// after another does not allocate them again ([`crate::reuse`]).
#[derive(Debug, Default)]
struct Kept {
    cands: Vec<Cand>,
    kinds: Vec<(&'static str, &'static str)>,
    deferred: Vec<Deferred>,
}

thread_local! {
    /// The vectors the last scan on this thread left ([`Kept`]).
    static KEPT: Cell<Kept> = Cell::new(Kept::default());
}

impl Drop for Scanner<'_> {
    fn drop(&mut self) {
        use crate::reuse::roomier;
        // A thread being torn down keeps nothing.
        let _ = KEPT.try_with(|k| {
            let before = k.take();
            k.set(Kept {
                cands: roomier(std::mem::take(&mut self.cands), before.cands),
                kinds: roomier(std::mem::take(&mut self.kinds), before.kinds),
                deferred: roomier(std::mem::take(&mut self.deferred), before.deferred),
            });
        });
    }
}

impl<'t> Scanner<'t> {
    fn new(text: &'t str, facts: Option<Facts>, whole: bool) -> Scanner<'t> {
        let kept = KEPT.try_with(Cell::take).unwrap_or_default();
        Scanner {
            text,
            facts,
            whole,
            cands: kept.cands,
            kinds: kept.kinds,
            deferred: kept.deferred,
            seen: Seen::default(),
            last_end: 0,
            last_insert: None,
            line_start: 0,
            quote: None,
            label: false,
            bracket: None,
            parens: Vec::new(),
            straight: None,
            last_q: None,
            last_stop: 0,
            line_han: None,
            ascii_after_han: 0,
            wide_marks: 0,
            corner_kept: 0,
            curly: 0,
            lone_closers: 0,
            first_lone: None,
            halved: false,
        }
    }

    /// Reads the lines `lines` of the text (whole lines); in the second
    /// pass, hands each line's edits to `out` as the line ends.
    fn read<'s, S: Sink<'s> + ?Sized>(&mut self, lines: Range<usize>, mut out: Option<&mut S>) {
        let text = self.text;
        let bytes = text.as_bytes();
        let mut i = lines.start;
        let mut line = i;
        self.new_line(i);
        while i < lines.end {
            if i == self.line_start && !self.line_has_han() {
                // A line without an ideograph is left as it is: go to its end.
                i += bytes[i..]
                    .iter()
                    .position(|&b| b == b'\n')
                    .unwrap_or(bytes.len() - i);
                if i == bytes.len() {
                    break;
                }
            }
            debug_assert!(text.is_char_boundary(i));
            let b = bytes[i];
            i = match CLASS[b as usize] {
                // To the next byte that may stop the scan: those are never
                // continuation bytes, and a line ends at one (`\n`).
                0 => crate::chars::find_byte(bytes, i + 1, &CLASS_STOPS, |b| {
                    CLASS[usize::from(b)] != 0
                }),
                1 => self.ascii(i),
                _ => self.wide(i),
            };
            // A step reads at most one `\n`, and every candidate lies on the
            // line being read: the line that ended has all its candidates.
            if self.line_start != line {
                // Most lines of a first pass hold nothing to note.
                if out.is_some() || !(self.whole || self.line_is_empty()) {
                    self.end_line(line, self.line_start, out.as_deref_mut());
                }
                line = self.line_start;
            }
        }
        if self.whole {
            self.seen.note(None, &self.cands, &self.deferred);
        } else {
            self.end_line(line, lines.end, out);
        }
    }

    /// Whether the line read holds no candidate, deferred edit or `〞`/`〟`
    /// with no opener.
    fn line_is_empty(&self) -> bool {
        self.cands.is_empty() && self.deferred.is_empty() && !self.seen.lone
    }

    fn push(&mut self, start: usize, end: usize, after: &'static str, rule: &'static str) -> usize {
        let kind = match self.kinds.iter().position(|&k| k == (after, rule)) {
            Some(k) => k,
            None => {
                self.kinds.push((after, rule));
                self.kinds.len() - 1
            }
        };
        self.cands.push(Cand {
            start,
            end,
            kind: u16::try_from(kind).expect("a few dozen kinds of edit"),
            alive: true,
        });
        self.cands.len() - 1
    }

    /// Handles the ASCII trigger at `i`; returns where scanning resumes.
    fn ascii(&mut self, i: usize) -> usize {
        let b = self.text.as_bytes()[i];
        match b {
            b'\n' => self.new_line(i + 1),
            b',' | b';' | b':' | b'?' | b'!' => self.ascii_mark(i, b),
            b'(' => {
                if self.parens.len() == MAX_NESTING {
                    self.parens.remove(0);
                }
                self.parens.push(i);
            }
            b')' => self.close_paren(i),
            b'"' => self.straight_quote(i),
            b'.' => return self.dots(i),
            b'-' => return self.hyphens(i),
            _ => {}
        }
        i + 1
    }

    /// Handles the character starting with a lead byte at `i` (one of
    /// [`CLASS_HIGH`], which start three-byte characters).
    fn wide(&mut self, i: usize) -> usize {
        // Decoded from its three bytes, which the text, valid UTF-8, holds:
        // the scan stops at every full-width mark of Chinese text.
        let Some(&[b0, b1, b2]) = self.text.as_bytes().get(i..i + 3) else {
            return i + 1;
        };
        let cp = u32::from(b0 & 0x0F) << 12 | u32::from(b1 & 0x3F) << 6 | u32::from(b2 & 0x3F);
        let Some(c) = char::from_u32(cp) else {
            return i + 1;
        };
        debug_assert_eq!(self.text[i..].chars().next(), Some(c));
        let end = i + 3;
        match c {
            '“' | '”' | '〝' | '〞' | '〟' => {
                if matches!(c, '“' | '”') {
                    self.curly += 1;
                }
                match quote_step(&mut self.quote, self.text, i, c) {
                    Step::Unbalanced => {
                        self.push(i, end, "”", "punct/quote-unbalanced");
                    }
                    Step::CornerOpensCurly(o) => {
                        self.push(o, o + '〝'.len_utf8(), "“", "punct/quote-open");
                        self.corner_kept -= 1;
                    }
                    Step::OpensCorner => self.corner_kept += 1,
                    Step::ClosesCurly => {
                        self.push(i, end, "”", "punct/quote-close");
                    }
                    Step::Lone => {
                        self.seen.lone = true;
                        self.lone_closers += 1;
                        self.first_lone.get_or_insert(self.line_start);
                    }
                    Step::Nothing => {}
                }
            }
            '「' => self.label = true,
            '」' => self.label = false,
            '〔' => self.bracket = Some(i),
            '〕' => self.close_bracket(i),
            '。' => {
                self.last_stop = end;
                self.ideographic_stops(i);
            }
            '！' | '？' | '；' => {
                self.last_stop = end;
                self.wide_marks += 1;
            }
            '，' | '：' => {
                self.last_stop = end;
                self.wide_marks += 1;
            }
            '…' => self.ellipsis_char(i),
            '—' => self.em_dash(i),
            _ => {}
        }
        end
    }

    fn new_line(&mut self, start: usize) {
        self.line_start = start;
        self.quote = None;
        self.label = false;
        self.bracket = None;
        self.parens.clear();
        self.straight = None;
        self.last_q = None;
        self.last_stop = start;
        self.line_han = None;
    }

    /// `, ; : ? !` at `i`.
    fn ascii_mark(&mut self, i: usize, b: u8) {
        let text = self.text;
        let ls = skip_spaces_back(text, i);
        let re = skip_spaces_fwd(text, i + 1);
        let l = prev_char(text, ls).filter(|&c| c != '\n');
        let r = next_char(text, re).filter(|&c| c != '\n' && c != '\r');
        let (l_spaced, r_spaced) = (ls < i, re > i + 1);
        // English typography: `word, word`, `QEMU: …`, `(1), …`.
        let l_latin = l.is_some_and(|c| c.is_ascii_alphanumeric() || matches!(c, ')' | '"' | ']'));
        let r_latin = r.is_some_and(|c| c.is_ascii_alphanumeric());
        if (l_latin && (l_spaced || r_spaced)) || (r_latin && r_spaced) {
            return;
        }
        // Next to an ideograph; or after a closing mark or before an opening
        // one (`》,《`) in text whose punctuation was flattened. Inside
        // quotes and brackets (`“:”`, `「True」:`) and among digits or Latin
        // letters (`#REF!`) an ASCII mark may be a literal.
        let han_left = l.is_some_and(is_han);
        let han = han_left || r.is_some_and(is_han);
        if !han
            && !l.is_some_and(|c| is_cjk_punct(c) && !is_opening(c))
            && !r.is_some_and(|c| is_cjk_punct(c) && !is_closing(c))
            && !self.flattened_list_comma(i, b, l, r, l_spaced || r_spaced)
        {
            return;
        }
        let bytes = text.as_bytes();
        let doubled = |k: usize| bytes.get(k).is_some_and(|b| b",;:?!".contains(b));
        if (i > 0 && doubled(i - 1)) || doubled(i + 1) {
            return; // `!!`, `?!`: not a flattened mark
        }
        let next = &bytes[i + 1..];
        if matches!(b, b':' | b';') && (next.starts_with(b"-)") || next.starts_with(b")")) {
            return; // an emoticon :-)
        }
        if han_left && matches!(b, b',' | b';' | b':') {
            self.ascii_after_han += 1;
        }
        if b != b',' && in_url(text, self.line_start, i) {
            return;
        }
        if b == b';' && after_entity(text, self.line_start, i) {
            return;
        }
        if b == b'!' && r == Some('[') {
            return; // Markdown image
        }
        // Spaces go only where there is a neighbour on that side.
        let start = if l.is_some() { ls } else { i };
        let end = if r.is_some() { re } else { i + 1 };
        let wide = wide_mark(b);
        if !han {
            self.deferred.push(Deferred::Mark(start, end, b));
            self.last_stop = i + 1;
        } else if b == b'?' {
            // A `?` does not end the span a later `?` may pair with.
            if self.lost_title(i, r) {
                return;
            }
            let k = self.push(start, end, wide, "punct/ascii");
            self.last_q = Some((i, Some(k)));
        } else {
            self.push(start, end, wide, "punct/ascii");
            self.last_stop = i + 1;
        }
    }

    /// Whether the `,` at `i` may separate two Latin or numeric items of a
    /// Chinese sentence (`stable,testing`, `增长7.9%,1984年`): no spaces,
    /// not between two digits (1,000), not inside parentheses, quotes
    /// (`「A,B,C」` is a literal), a URL or code (`GST_AUTOPLUG:5,GST_*:3`),
    /// on a line that holds an ideograph. Repaired only in text whose
    /// punctuation was flattened.
    fn flattened_list_comma(
        &mut self,
        i: usize,
        b: u8,
        l: Option<char>,
        r: Option<char>,
        spaced: bool,
    ) -> bool {
        let item =
            |c: Option<char>| c.is_some_and(|c| c.is_ascii_alphanumeric() || c == '%' || c == ')');
        b == b','
            && !spaced
            && item(l)
            && item(r)
            && !(l.is_some_and(|c| c.is_ascii_digit()) && r.is_some_and(|c| c.is_ascii_digit()))
            && self.parens.is_empty()
            && self.straight.is_none()
            && self.quote.is_none()
            && !self.label
            && !in_url(self.text, self.line_start, i)
            && !in_code(self.text, i)
            && self.line_has_han()
    }

    /// Whether the current line holds an ideograph; computed once a line.
    fn line_has_han(&mut self) -> bool {
        let text = self.text;
        let start = self.line_start;
        // Read up to the first ideograph, which most lines start with: not
        // the whole line to find its end first.
        *self
            .line_han
            .get_or_insert_with(|| text[start..].chars().take_while(|&c| c != '\n').any(is_han))
    }

    /// Whether the `?` at `i` closes a `?…?` that stands for a lost `《…》`
    /// (an encoding loss): an earlier `?` on the line, not after a question
    /// particle, opening a title that holds no clause mark. Cancels the
    /// earlier `?`'s edit when it does.
    fn lost_title(&mut self, i: usize, r: Option<char>) -> bool {
        let Some((q, cand)) = self.last_q else {
            return false;
        };
        let text = self.text;
        let opens = prev_char(text, q).is_some_and(|c| is_han(c) && !is_particle(c))
            && next_char(text, q + 1).is_some_and(|c| is_han(c) || c == '“');
        let closes = prev_char(text, i).is_some_and(|c| is_han(c) || c == '”' || c == '）')
            && (r.is_none() || r.is_some_and(is_chinese));
        if q < self.last_stop || i - q > WINDOW || !opens || !closes {
            return false;
        }
        // A question word makes both marks real questions.
        let between = &text[q + 1..i];
        if [
            "为什么",
            "什么",
            "怎么",
            "如何",
            "哪",
            "谁",
            "是否",
            "多少",
            "吗",
            "呢",
        ]
        .iter()
        .any(|w| between.contains(w))
        {
            return false;
        }
        if let Some(k) = cand {
            self.cands[k].alive = false;
        }
        self.last_q = None;
        true
    }

    fn close_paren(&mut self, i: usize) {
        let Some(o) = self.parens.pop() else {
            return;
        };
        if i - o > WINDOW {
            return;
        }
        let text = self.text;
        let inner = &text[o + 1..i];
        // Each mark must touch an ideograph: `(主任)`, `日(2月23日)`.
        let touches_han = |k: usize| {
            prev_char(text, skip_spaces_back(text, k)).is_some_and(is_han)
                || next_char(text, skip_spaces_fwd(text, k + 1)).is_some_and(is_han)
        };
        // Doubled parentheses are code (the shell's `(( 表达式 ))`): the
        // inner pair of such, or the outer.
        let b = text.as_bytes();
        let doubled = o.checked_sub(1).is_some_and(|k| b[k] == b'(')
            || b.get(i + 1) == Some(&b')')
            || b[o + 1] == b'('
            || b[i - 1] == b')';
        if inner.chars().any(is_han)
            && !doubled
            && !inner
                .bytes()
                .any(|b| b.is_ascii_alphabetic() || b"=/\\<>{}[]$_\"'`".contains(&b))
            && touches_han(o)
            && touches_han(i)
        {
            self.deferred.push(Deferred::Paren(o, i));
        }
    }

    fn straight_quote(&mut self, i: usize) {
        let Some(o) = self.straight.take() else {
            self.straight = Some(i);
            return;
        };
        if i - o > WINDOW {
            self.straight = Some(i);
            return;
        }
        let inner = &self.text[o + 1..i];
        let text = self.text;
        let outside_ok =
            |c: Option<char>| c.is_none_or(|c| is_chinese(c) || c == ' ' || c == '\n' || c == '\r');
        if inner.chars().any(is_han)
            && !inner
                .bytes()
                .any(|b| b.is_ascii_alphabetic() || b"=/\\<>{}[]$_'`(),;".contains(&b))
            && outside_ok(prev_char(text, o))
            && outside_ok(next_char(text, i + 1))
        {
            self.deferred.push(Deferred::Straight(o, i));
        }
    }

    fn close_bracket(&mut self, i: usize) {
        let Some(o) = self.bracket.take() else {
            return;
        };
        if i - o > WINDOW {
            return;
        }
        let open_end = o + '〔'.len_utf8();
        if keep_bracket(self.text, self.line_start, o, &self.text[open_end..i]) {
            return;
        }
        self.push(o, open_end, "（", "punct/bracket");
        self.push(i, i + '〕'.len_utf8(), "）", "punct/bracket");
    }

    /// A run of ASCII dots starting at `i`: an ellipsis or a full stop.
    fn dots(&mut self, i: usize) -> usize {
        let text = self.text;
        let bytes = text.as_bytes();
        let mut j = i;
        while j < bytes.len() && bytes[j] == b'.' {
            j += 1;
        }
        let n = j - i;
        if i > 0 && bytes[i - 1] == b'.' {
            return j;
        }
        let l = prev_char(text, i);
        if (3..=6).contains(&n) {
            let r = next_char(text, j);
            if !self.label && l.is_some_and(is_han) && r.is_some_and(ends_ellipsis) {
                self.push(i, j, "……", "punct/ellipsis");
            }
        } else if n == 1 {
            self.period(i, l);
        }
        j
    }

    /// A single `.` at `i`, after `l`.
    fn period(&mut self, i: usize, l: Option<char>) {
        let text = self.text;
        if self.label || !l.is_some_and(is_han) || after_list_number(text, self.line_start, i) {
            return;
        }
        let re = skip_spaces_fwd(text, i + 1);
        let r = next_char(text, re);
        let ok = match r {
            None | Some('\n' | '\r') => true,
            Some(c) => is_han(c) || matches!(c, '“' | '（' | '《'),
        };
        if ok {
            let end = if r.is_some_and(|c| c != '\n' && c != '\r') {
                re
            } else {
                i + 1
            };
            self.deferred.push(Deferred::Period(i, end));
            self.last_stop = i + 1;
        }
    }

    /// `。` at `i`: `。。。` is an ellipsis.
    fn ideographic_stops(&mut self, i: usize) {
        let text = self.text;
        if prev_char(text, i) == Some('。') {
            return;
        }
        let w = '。'.len_utf8();
        let mut j = i;
        while text[j..].starts_with('。') {
            j += w;
        }
        let n = (j - i) / w;
        if n == 3 || n == 6 {
            self.push(i, j, "……", "punct/ellipsis");
        }
    }

    /// A `…` at `i`: a lone one between ideographs is half an ellipsis.
    fn ellipsis_char(&mut self, i: usize) {
        let text = self.text;
        let end = i + '…'.len_utf8();
        let l = prev_char(text, i);
        let r = next_char(text, end);
        if l == Some('…') || r == Some('…') || self.label {
            return;
        }
        if l.is_some_and(is_han) && r.is_some_and(|c| is_han(c) || "。，！？；".contains(c)) {
            self.push(i, end, "……", "punct/ellipsis");
            self.halved = true;
        }
    }

    /// A `—` at `i`: a lone one between ideographs may be half a dash.
    fn em_dash(&mut self, i: usize) {
        let text = self.text;
        let end = i + '—'.len_utf8();
        let l = prev_char(text, i);
        let r = next_char(text, end);
        if l.is_some_and(is_han) && r.is_some_and(is_han) {
            self.deferred.push(Deferred::Dash(i));
        }
    }

    /// A run of ASCII hyphens at `i`: `--` between ideographs is a dash.
    fn hyphens(&mut self, i: usize) -> usize {
        let bytes = self.text.as_bytes();
        let mut j = i;
        while j < bytes.len() && bytes[j] == b'-' {
            j += 1;
        }
        if i > 0 && bytes[i - 1] == b'-' {
            return j;
        }
        if j - i == 2
            && prev_char(self.text, i).is_some_and(is_han)
            && next_char(self.text, j).is_some_and(is_han)
        {
            self.push(i, j, "——", "punct/dash");
        }
        j
    }

    /// Ends the line `start..end` (or the text, read whole). The first pass
    /// notes what it held; the second decides its deferred edits and hands
    /// every live edit on, sorted and without overlaps.
    fn end_line<'s, S: Sink<'s> + ?Sized>(
        &mut self,
        start: usize,
        end: usize,
        out: Option<&mut S>,
    ) {
        let Some(out) = out else {
            self.seen
                .note(Some(start..end), &self.cands, &self.deferred);
            self.cands.clear();
            self.deferred.clear();
            return;
        };
        if !self.deferred.is_empty() {
            self.resolve();
        }
        if let Some(from) = self.facts.and_then(|f| f.lone_from) {
            let from = from.max(start);
            if from < end {
                self.lone_closers(from, end);
            }
        }
        if self.cands.is_empty() {
            return;
        }
        let mut cands = std::mem::take(&mut self.cands);
        cands.retain(|c| c.alive);
        cands.sort_by_key(|c| (c.start, c.end));
        // The line of the last candidate and whether it holds an ideograph:
        // candidates are sorted, so each line is read at most once.
        let mut line = (0, 0, false);
        for c in cands.drain(..) {
            if c.start < self.last_end || (c.start == c.end && self.last_insert == Some(c.start)) {
                continue;
            }
            if c.start >= line.1 {
                line = line_with_han(self.text, c.start);
            }
            if !line.2 {
                continue;
            }
            self.last_end = c.end;
            self.last_insert = (c.start == c.end).then_some(c.start);
            let (after, rule) = self.kinds[usize::from(c.kind)];
            out.push(Patch::new(c.start, c.end, after, Layer::Punct, rule));
        }
        // The allocation serves the next line.
        self.cands = cands;
    }

    /// After the first pass: what the whole text shows, if an edit is to
    /// be made (`None` when the second pass would find none).
    fn facts(&self) -> Option<Facts> {
        let flattened = self.ascii_after_han >= 2 && self.ascii_after_han > 8 * self.wide_marks;
        let lone_from = self
            .first_lone
            .filter(|_| self.corner_kept == 0 && self.curly > 0);
        let seen = &self.seen;
        let mut facts = Facts {
            flattened,
            technical: None,
            halved: self.halved,
            lone_from,
        };
        let edits = seen.cand
            || lone_from.is_some()
            || (flattened && seen.mark)
            || (self.halved && seen.dash)
            || ((seen.paren || (flattened && (seen.straight || seen.period)))
                && !facts.technical(self.text));
        edits.then_some(facts)
    }

    /// Decides the line's deferred edits, in the second pass.
    fn resolve(&mut self) {
        let mut facts = self
            .facts
            .expect("deferred edits are decided in the second pass");
        let flattened = facts.flattened;
        for d in std::mem::take(&mut self.deferred) {
            match d {
                Deferred::Paren(o, c) if !facts.technical(self.text) => {
                    self.pair(o, 1, "（", c, 1, "）", "punct/paren");
                }
                Deferred::Straight(o, c) if flattened && !facts.technical(self.text) => {
                    self.pair(o, 1, "“", c, 1, "”", "punct/quote-straight");
                }
                Deferred::Mark(start, end, b) if flattened => {
                    self.push(start, end, wide_mark(b), "punct/ascii-flattened");
                }
                Deferred::Period(i, end) if flattened && !facts.technical(self.text) => {
                    self.push(i, end, "。", "punct/period");
                }
                Deferred::Dash(i) if facts.halved => {
                    self.push(i, i + '—'.len_utf8(), "——", "punct/dash-halved");
                }
                _ => {}
            }
        }
        self.facts = Some(facts);
    }

    /// Turns every `〞`/`〟` with no opener on the line `start..end` into
    /// `”`: the text uses `“` and never `〝`, so they can only be garbled
    /// closing quotes. Read again when the line ends, so that nothing is
    /// kept for them in the first pass.
    fn lone_closers(&mut self, start: usize, end: usize) {
        let text = self.text;
        let mut open = None;
        for (k, c) in text[start..end].char_indices() {
            let i = start + k;
            if c == '\n' {
                open = None;
            } else if matches!(c, '“' | '”' | '〝' | '〞' | '〟')
                && quote_step(&mut open, text, i, c) == Step::Lone
            {
                self.push(i, i + c.len_utf8(), "”", "punct/quote-lone");
            }
        }
    }

    /// Replaces an opening mark at `o` and a closing one at `c`, with the
    /// spaces outside them that separate them from Chinese text and the
    /// spaces just inside them.
    #[allow(clippy::too_many_arguments)]
    fn pair(
        &mut self,
        o: usize,
        olen: usize,
        open: &'static str,
        c: usize,
        clen: usize,
        close: &'static str,
        rule: &'static str,
    ) {
        let text = self.text;
        let before = skip_spaces_back(text, o);
        let start = if prev_char(text, before).is_some_and(is_chinese) {
            before
        } else {
            o
        };
        let inner_start = skip_spaces_fwd(text, o + olen).min(c);
        let inner_end = skip_spaces_back(text, c).max(inner_start);
        let after = skip_spaces_fwd(text, c + clen);
        let end = if next_char(text, after).is_some_and(is_chinese) {
            after
        } else {
            c + clen
        };
        self.push(start, inner_start, open, rule);
        self.push(inner_end, end, close, rule);
    }
}

/// The line that holds byte `i` of `text`, as `(start, end, holds an
/// ideograph)`; `end` is past the `\n` so that a candidate that ends a line
/// stays on it.
fn line_with_han(text: &str, i: usize) -> (usize, usize, bool) {
    let start = text[..i].rfind('\n').map_or(0, |k| k + 1);
    let end = text[i..].find('\n').map_or(text.len() + 1, |k| i + k + 1);
    let han = text[start..end.min(text.len())].chars().any(is_han);
    (start, end, han)
}

/// What a quotation mark does to the open quotation of its line.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Step {
    Nothing,
    /// A `“` closes the `“` before it: it should be `”`.
    Unbalanced,
    /// A `”` closes the `〝` at this offset: it should be `“`.
    CornerOpensCurly(usize),
    /// A `〝` opens a quotation.
    OpensCorner,
    /// A `〞`/`〟` closes a `“`: it should be `”`.
    ClosesCurly,
    /// A `〞`/`〟` with no opener.
    Lone,
}

/// Feeds the quotation mark `c` at `i` to `open`, the unmatched opener of
/// the line, and says what it does.
fn quote_step(open: &mut Option<(usize, Quote)>, text: &str, i: usize, c: char) -> Step {
    let end = i + c.len_utf8();
    let (next, step) = match (c, *open) {
        ('“', Some((_, Quote::Curly))) if closes_here(text, end) => (None, Step::Unbalanced),
        ('“', _) => (Some((i, Quote::Curly)), Step::Nothing),
        ('”', Some((o, Quote::Corner))) => (None, Step::CornerOpensCurly(o)),
        ('”', _) => (None, Step::Nothing),
        ('〝', _) => (Some((i, Quote::Corner)), Step::OpensCorner),
        (_, Some((_, Quote::Curly))) => (None, Step::ClosesCurly),
        (_, Some((_, Quote::Corner))) => (None, Step::Nothing),
        (_, None) => (None, Step::Lone),
    };
    *open = next;
    step
}

/// Opening brackets and quotes.
fn is_opening(c: char) -> bool {
    matches!(
        c,
        '“' | '‘' | '（' | '《' | '〈' | '【' | '「' | '『' | '〔' | '〝' | '〖'
    )
}

/// Closing brackets and quotes.
fn is_closing(c: char) -> bool {
    matches!(
        c,
        '”' | '’' | '）' | '》' | '〉' | '】' | '」' | '』' | '〕' | '〞' | '〟' | '〗'
    )
}

/// Sentence-final particles: a `?` after them is a real question.
fn is_particle(c: char) -> bool {
    matches!(c, '吗' | '呢' | '吧' | '么' | '啊' | '呀' | '嘛')
}

/// What may follow an ellipsis in Chinese text.
fn ends_ellipsis(c: char) -> bool {
    is_han(c) || matches!(c, '。' | '，' | '！' | '？' | '；')
}

fn prev_char(text: &str, i: usize) -> Option<char> {
    text[..i].chars().next_back()
}

fn next_char(text: &str, i: usize) -> Option<char> {
    text[i..].chars().next()
}

/// Start of the run of at most [`MAX_SPACES`] spaces or tabs that ends at
/// `i` (`i` itself when there is none or the run is longer).
fn skip_spaces_back(text: &str, i: usize) -> usize {
    let bytes = text.as_bytes();
    let mut k = i;
    while k > 0 && i - k < MAX_SPACES && matches!(bytes[k - 1], b' ' | b'\t') {
        k -= 1;
    }
    if k > 0 && matches!(bytes[k - 1], b' ' | b'\t') {
        i
    } else {
        k
    }
}

/// End of the run of at most [`MAX_SPACES`] spaces or tabs that starts at
/// `i` (`i` itself when there is none or the run is longer).
fn skip_spaces_fwd(text: &str, i: usize) -> usize {
    let bytes = text.as_bytes();
    let mut k = i;
    while k < bytes.len() && k - i < MAX_SPACES && matches!(bytes[k], b' ' | b'\t') {
        k += 1;
    }
    if k < bytes.len() && matches!(bytes[k], b' ' | b'\t') {
        i
    } else {
        k
    }
}

/// Whether a `“` that ends at `end` sits where a quotation closes: before
/// punctuation or at the end of the line.
fn closes_here(text: &str, end: usize) -> bool {
    match next_char(text, end) {
        None => true,
        Some(c) => matches!(
            c,
            '\n' | '\r'
                | '，'
                | '。'
                | '、'
                | '；'
                | '：'
                | '！'
                | '？'
                | '）'
                | '》'
                | ','
                | '.'
                | ';'
                | ':'
                | '!'
                | '?'
                | ')'
        ),
    }
}

/// Whether the ASCII word around byte `i` (the run of ASCII characters other
/// than spaces that holds it, at most [`CODE_REACH`] bytes each way) looks
/// like code: it holds one of `_ * = < > { } [ ] $ @ # | \ ~ ^`, a backquote
/// or a `:` inside the word (`GST_AUTOPLUG:5,GST_ELEMENT_*:3`, `a=1,b=2`;
/// not the flattened colon of `工具:apt,apt-get`).
fn in_code(text: &str, i: usize) -> bool {
    let b = text.as_bytes();
    let start = (i.saturating_sub(CODE_REACH)..i)
        .rev()
        .find(|&k| !b[k].is_ascii_graphic())
        .map_or(i.saturating_sub(CODE_REACH), |k| k + 1);
    let end = (i + 1..b.len().min(i + 1 + CODE_REACH))
        .find(|&k| !b[k].is_ascii_graphic())
        .unwrap_or(b.len().min(i + 1 + CODE_REACH));
    (start..end).any(|k| match b[k] {
        b':' => k > start && k + 1 < end,
        c => b"_*=<>{}[]$@#|\\~^`".contains(&c),
    })
}

/// How far [`in_code`] reads each way.
const CODE_REACH: usize = 64;

/// Whether the mark at `i` ends a token that is a URL, an e-mail address or
/// a spreadsheet error (`#REF!`): the ASCII text before it (within the line)
/// holds `://`, `www.`, `@` or `#`.
fn in_url(text: &str, line_start: usize, i: usize) -> bool {
    let bytes = text.as_bytes();
    let mut k = i;
    while k > line_start && i - k < WINDOW && bytes[k - 1].is_ascii_graphic() {
        k -= 1;
    }
    let token = &text[k..i];
    token.contains("://") || token.contains("www.") || token.contains(['@', '#'])
}

/// Whether the `;` at `i` ends an HTML entity (`&nbsp;`, `&#8220;`).
fn after_entity(text: &str, line_start: usize, i: usize) -> bool {
    let bytes = text.as_bytes();
    let mut k = i;
    while k > line_start
        && i - k < 10
        && (bytes[k - 1].is_ascii_alphanumeric() || bytes[k - 1] == b'#')
    {
        k -= 1;
    }
    k < i && k > line_start && bytes[k - 1] == b'&'
}

/// Whether the `.` at `i` follows a list number written in ideographs at
/// the start of a line or clause (`一.`, `十二.`).
fn after_list_number(text: &str, line_start: usize, i: usize) -> bool {
    let mut numerals = 0;
    for c in text[line_start..i].chars().rev() {
        if matches!(
            c,
            '一' | '二'
                | '三'
                | '四'
                | '五'
                | '六'
                | '七'
                | '八'
                | '九'
                | '十'
                | '百'
                | '零'
                | '〇'
        ) {
            numerals += 1;
            if numerals > 3 {
                return false;
            }
        } else {
            return numerals > 0 && !is_han(c);
        }
    }
    numerals > 0
}

/// Labels that stay in `〔〕` wherever they stand (journal metadata).
const LABELS: &[&str] = &[
    "摘要",
    "关键词",
    "关键字",
    "中图分类号",
    "文献标识码",
    "文章编号",
    "作者简介",
    "基金项目",
    "收稿日期",
    "参考文献",
    "注释",
    "注",
    "按",
    "编者按",
    "附",
    "附件",
    "说明",
    "来源",
];

/// Whether `〔inner〕` (the `〔` at `o`) is a correct use of these brackets.
fn keep_bracket(text: &str, line_start: usize, o: usize, inner: &str) -> bool {
    let trimmed = inner.trim_matches(|c| c == ' ' || c == '\u{3000}');
    // A year in a document number or a citation number: 〔2023〕, 〔1 〕.
    if trimmed.is_empty()
        || trimmed
            .chars()
            .all(|c| c.is_ascii_digit() || matches!(c, ' ' | '-' | ',' | '，' | '、'))
    {
        return true;
    }
    // An outer bracket around parentheses: 〔办公厅（室）副主任〕.
    if inner.contains(['（', '）', '(', ')', '〔']) {
        return true;
    }
    if LABELS.contains(&trimmed) {
        return true;
    }
    let all_han = trimmed.chars().all(is_han);
    let count = trimmed.chars().count();
    let numeral = trimmed.chars().all(|c| {
        matches!(
            c,
            '一' | '二'
                | '三'
                | '四'
                | '五'
                | '六'
                | '七'
                | '八'
                | '九'
                | '十'
                | '百'
                | '零'
                | '〇'
        )
    });
    let at_line_start = text[..o]
        .chars()
        .rev()
        .take(8)
        .take_while(|&c| c == ' ' || c == '\u{3000}' || c == '\t')
        .map(char::len_utf8)
        .sum::<usize>()
        == o - line_start;
    // A short label opening a line before its text: 〔编者按〕…
    let text_follows = next_char(text, o + '〔'.len_utf8() + inner.len() + '〕'.len_utf8())
        .is_some_and(|c| c != '\n' && c != '\r');
    if at_line_start && text_follows && all_han && !numeral && count <= 5 {
        return true;
    }
    // A country or dynasty before an author's name: 〔美〕马克·吐温.
    if count == 1
        && "美英法德日俄意苏加澳印韩朝越荷瑞奥波捷希葡丹挪芬比秦汉晋隋唐宋元明清".contains(trimmed)
        && !prev_char(text, o).is_some_and(is_han)
    {
        return true;
    }
    // Nothing Chinese or Latin inside: leave symbols alone.
    !trimmed
        .chars()
        .any(|c| is_han(c) || c.is_ascii_alphabetic())
}

/// Whether `text` is technical prose that mixes much Latin script (commands,
/// names of programs), where ASCII parentheses and quotes are the authors'
/// own choice: at least 15 Latin letters per 100 ideographs.
fn is_technical(text: &str) -> bool {
    // Counted without branches in byte counters, 255 bytes at a time, so
    // that the loop is vectorised.
    let (mut han, mut latin) = (0usize, 0usize);
    for chunk in text.as_bytes().chunks(255) {
        let (mut h, mut l) = (0u8, 0u8);
        for &b in chunk {
            l += u8::from((b | 0x20).wrapping_sub(b'a') < 26);
            h += u8::from(b.wrapping_sub(0xE4) < 6); // lead byte of U+4000..U+9FFF
        }
        latin += usize::from(l);
        han += usize::from(h);
    }
    latin * 100 >= han * 15
}

#[cfg(test)]
mod tests {
    use crate::Fixer;

    /// The vectors a scan leaves for the next on the thread come back
    /// empty: a text scans the same after others, short and long (read in
    /// two passes, the second taking the first's vectors), as on a fresh
    /// thread.
    #[test]
    fn a_scan_after_others_reads_as_on_a_fresh_thread() {
        let long = "同志们:经研究决定,我们〔含外来人口〕。\n".repeat(4000);
        let texts = [
            "同志们:经研究决定,我们",
            "他说:\"好的\",〔含外来人口〕",
            long.as_str(),
            "中国...很好--是的",
            // Candidates that a later finding cancels: nothing to edit.
            "精神及?省平安生产暂行规定?专题宣贯活动",
            "",
        ];
        assert!(long.len() > super::ONE_PASS);
        let scan = |t: &str| {
            let mut out: Vec<crate::patch::Patch<'_>> = Vec::new();
            super::scan(t, &mut out);
            out
        };
        let fresh: Vec<_> = texts
            .iter()
            .map(|t| std::thread::scope(|s| s.spawn(|| scan(t)).join().unwrap()))
            .collect();
        assert!(fresh.iter().filter(|p| !p.is_empty()).count() >= 4);
        for _ in 0..2 {
            for (t, f) in texts.iter().zip(&fresh) {
                assert_eq!(&scan(t), f);
            }
        }
        // What is kept has room and holds nothing.
        scan(texts[1]);
        let kept = super::KEPT.take();
        assert!(kept.cands.capacity() > 0 && kept.kinds.capacity() > 0);
        assert!(kept.cands.is_empty() && kept.kinds.is_empty() && kept.deferred.is_empty());
        // A line with more edits than a kept vector may hold room for
        // leaves none.
        scan(&"中,".repeat(crate::reuse::MOST + 1));
        assert_eq!(super::KEPT.take().cands.capacity(), 0);
    }

    #[test]
    fn a_candidate_is_small() {
        // One is held per edit until its line is read.
        assert!(std::mem::size_of::<super::Cand>() <= 24);
        assert!(std::mem::size_of::<super::Deferred>() <= 24);
    }

    #[test]
    fn technical_counts_every_byte() {
        // The same decision as counting byte by byte, at every length
        // around the 255-byte chunks.
        let naive = |t: &str| {
            let latin = t.bytes().filter(u8::is_ascii_alphabetic).count();
            let han = t.bytes().filter(|b| (0xE4..=0xE9).contains(b)).count();
            latin * 100 >= han * 15
        };
        for n in [0, 1, 84, 85, 86, 200, 254, 255, 256, 600] {
            for unit in ["中文", "ab中文中文中文中", "`@[{", "\u{FF21}中"] {
                let t: String = unit.chars().cycle().take(n).collect();
                assert_eq!(super::is_technical(&t), naive(&t), "{unit:?} x {n}");
            }
        }
    }

    fn fix(s: &str) -> String {
        Fixer::builder()
            .unicode(false)
            .lexicon(false)
            .build()
            .unwrap()
            .clean(s)
            .into_owned()
    }

    #[test]
    fn ascii_marks() {
        assert_eq!(fix("同志们:经研究决定,我们"), "同志们：经研究决定，我们");
        assert_eq!(
            fix("同志们 : 经研究决定 , 我们"),
            "同志们：经研究决定，我们"
        );
        assert_eq!(fix("增长8%,其中"), "增长8%，其中");
        assert_eq!(
            fix("局部功能 MTA,没有本地邮件"),
            "局部功能 MTA，没有本地邮件"
        );
        for s in [
            "Hello, world",
            "1,000万吨",
            "10:30开会",
            "QEMU: 快速的通用处理器仿真器",
            "环境下, udpkg 命令",
            "调用 f(a, b) 函数",
            "见https://zh.wikipedia.org/wiki/Help:目录",
            "空格&nbsp;中文",
        ] {
            assert_eq!(fix(s), s);
        }
    }

    #[test]
    fn lost_title_marks() {
        let s = "精神及?省平安生产暂行规定?专题宣贯活动";
        assert_eq!(fix(s), s);
        assert_eq!(fix("你去吗?我不去"), "你去吗？我不去");
    }

    #[test]
    fn brackets() {
        assert_eq!(fix("〔含外来人口〕"), "（含外来人口）");
        assert_eq!(fix("2300个县〔市〕已初步建立"), "2300个县（市）已初步建立");
        assert_eq!(fix("〔四〕加快发展"), "（四）加快发展");
        for s in [
            "国发〔2023〕5号",
            "中办发﹝2012﹞14号",
            "〔1〕",
            "〔摘要〕本文",
            "副秘书长〔办公厅（室）副主任〕兼任",
            "作者：〔美〕马克·吐温",
        ] {
            assert_eq!(fix(s), s);
        }
    }

    #[test]
    fn quotes() {
        assert_eq!(fix("要坚持“月安排、周调度〞"), "要坚持“月安排、周调度”");
        assert_eq!(fix("〝合理使用”"), "“合理使用”");
        assert_eq!(fix("上述〝合理使用情形〞"), "上述〝合理使用情形〞");
        assert_eq!(fix("个“r1”或“r2“,并"), "个“r1”或“r2”，并");
        let law = "一、将第五条修改为：“国家实行";
        assert_eq!(fix(law), law);
        let b = "讲解了“交通安全、“食品安全";
        assert_eq!(fix(b), b);
    }

    #[test]
    fn ellipsis_and_dash() {
        assert_eq!(fix("等等...我们"), "等等……我们");
        assert_eq!(fix("等等。。。"), "等等……");
        assert_eq!(fix("中国--东盟"), "中国——东盟");
        assert_eq!(fix("中国—东盟"), "中国—东盟");
        assert_eq!(fix("点击「打开...」"), "点击「打开...」");
    }

    proptest::proptest! {
        /// Any mix of the marks this layer reads gives valid edits (the
        /// fixer debug-asserts them), edits that replay to the output, and
        /// an output that a second cleaning leaves alone.
        #[test]
        fn edits_replay_and_settle(
            s in "[中文一国发年a1%,;:?!().\"\\-…—“”〝〞〟〔〕「」（），。 \n]{0,40}"
        ) {
            let fixer = Fixer::builder().unicode(false).build().unwrap();
            let report = fixer.explain(&s);
            proptest::prop_assert_eq!(report.replay(&s).unwrap(), report.output());
            let again = fixer.clean(report.output());
            proptest::prop_assert_eq!(again.as_ref(), report.output());
        }
    }

    #[test]
    fn each_line_is_read_again_past_the_last_run() {
        // More lines with an edit, far apart, than runs are kept: each is
        // repaired as it is alone.
        let filler = "丙".repeat(60);
        let n = super::MAX_RUNS + 500;
        let text: String = (0..n).map(|_| format!("甲,乙\n{filler}\n")).collect();
        let want: String = (0..n).map(|_| format!("甲，乙\n{filler}\n")).collect();
        assert_eq!(fix(&text), want);
        // The deferred edits too, decided by the whole text (flattened).
        let text: String = (0..n).map(|_| format!("甲,乙.丁\n{filler}\n")).collect();
        let want: String = (0..n).map(|_| format!("甲，乙。丁\n{filler}\n")).collect();
        assert_eq!(fix(&text), want);
    }

    proptest::proptest! {
        /// A text read in one pass and the same text read in two give the
        /// same edits.
        #[test]
        fn one_pass_and_two_agree(
            s in "[中文一国发年a1%,;:?!().\"\\-…—“”〝〞〟〔〕「」（），。 \n]{0,80}"
        ) {
            let (mut one, mut two) = (Vec::new(), Vec::new());
            super::scan_with(&s, &mut one, usize::MAX);
            super::scan_with(&s, &mut two, 0);
            proptest::prop_assert_eq!(one, two);
        }
    }

    #[test]
    fn linear_on_pathological_input() {
        let many_closers = "〞".repeat(1_000_000);
        assert_eq!(fix(&many_closers), many_closers);
        let nested = "〔".repeat(100_000);
        assert_eq!(fix(&nested), nested);
        let nested = format!("{}中{}", "〔".repeat(100_000), "〕".repeat(100_000));
        assert_eq!(
            fix(&nested),
            format!("{}（中）{}", "〔".repeat(99_999), "〕".repeat(99_999))
        );
    }
}

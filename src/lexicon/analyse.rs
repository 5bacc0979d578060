//! Reading a text: the candidate search, the context rules, the language
//! model scores, and the evidence they add up to. [`decide`] turns the
//! evidence into repairs; [`diagnose`] reports it.

use super::context::{self, Near};
use super::decay::{Fader, Kind, Obs, Sums};
use super::diagnosis::{Diagnosis, FamilyEvidence, PairEvidence};
use super::heads;
use super::model::{
    DELETED_QUOTE_FAMILY, FAMILIES, MARK_FAMILY, Params, Slot, active_families, corroborated,
    families_of, family_sums, logit, single_families,
};
use super::regions::{self, Regions};
use super::table::{Calibration, Pair, Table, in_compound};
use crate::lm::{CharLm, Token};
use crate::patch::{Patch, Sink};

/// A repair the layer decided.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct Decision {
    pub start: usize,
    pub end: usize,
    pub pair: usize,
    /// The family the repair is reported under (index into `FAMILIES`).
    pub family: usize,
    /// Decided by a confirm context.
    pub confirmed: bool,
    /// Its weight (1 for a confirmed repair), to choose between two pairs
    /// with the same garbled form.
    weight: f64,
}

/// An occurrence of a garbled form, for one of its pairs.
#[derive(Clone, Copy, Debug)]
struct Cand {
    start: usize,
    end: usize,
    pair: usize,
    confirmed: bool,
    /// Context log-ratio (natural log) without the base rate; set when
    /// `scored`.
    lctx: f64,
    scored: bool,
    /// Index of its block's evaluation point, when scored.
    point: usize,
}

/// The punctuation marks of the tools in a text (byte positions): `〞`
/// closing a `“` and `〔…〕` around ordinary text, as the punctuation layer
/// finds them (family A's tool writes them; PAIRS.md lists both among its
/// fingerprints), and closing quotes deleted (family B's tool: a `“` opened
/// again before any `”` on the same line). Also whether the punctuation was
/// flattened to ASCII, which every garbling pipeline seen does.
#[derive(Debug, Default, PartialEq)]
pub(crate) struct Marks {
    pub quotes: Vec<usize>,
    pub brackets: Vec<usize>,
    pub deleted_quotes: Vec<usize>,
    pub flattened: bool,
}

/// The kinds of [`Marks`], as (garbled, original) names in a
/// [`Diagnosis`], the family they count for, what one adds and the cap.
pub(super) struct MarkKind {
    names: (&'static str, &'static str),
    pub(super) family: usize,
}

pub(super) const MARK_KINDS: [MarkKind; 3] = [
    MarkKind {
        names: ("〞", "”"),
        family: MARK_FAMILY,
    },
    MarkKind {
        names: ("〔〕", "（）"),
        family: MARK_FAMILY,
    },
    MarkKind {
        names: ("“…“", "“…”…“"),
        family: DELETED_QUOTE_FAMILY,
    },
];

/// Whether the punctuation of `text`, where `ascii` ASCII `, ; :` follow an
/// ideograph, was flattened: at least two of them, and more than eight for
/// each full-width `，；：` (counted only as far as the answer needs).
fn flattened(text: &str, ascii: usize) -> bool {
    ascii >= 2 && {
        // `，；：` are EF BC 8C, EF BC 9B and EF BC 9A: found by their lead
        // byte, sixteen bytes a step, without decoding the text.
        let bytes = text.as_bytes();
        let wide_at =
            |k: usize| matches!(bytes.get(k + 1..k + 3), Some([0xBC, 0x8C | 0x9A | 0x9B]));
        let (mut wide, mut i) = (0, 0);
        while 8 * wide < ascii {
            i = crate::chars::find_any_where(bytes, i, &[0xEF], wide_at);
            if i >= bytes.len() {
                break;
            }
            wide += 1;
            i += 3;
        }
        ascii > 8 * wide
    }
}

/// The characters the form search looks for besides the forms, when no
/// form holds one ([`Table::marks_fused`]): those [`Marks::find`] reads, so
/// that the marks are gathered in the same pass as the candidates
/// ([`MarkScan`]). Indexed by the `MARK_*` constants.
pub(crate) const MARK_CHARS: [&str; 9] = ["\n", ",", ";", ":", "“", "”", "〔", "〞", "〟"];
const MARK_NEWLINE: usize = 0;
/// `,` (and `;` and `:` after it, which are read alike).
const MARK_COMMA: usize = 1;
const MARK_COLON: usize = 3;
const MARK_OPEN: usize = 4;
const MARK_CLOSE: usize = 5;
/// `〔` (and `〞` and `〟` after it, which are read alike).
const MARK_PUNCT: usize = 6;

/// The marks of a text, read one character of [`MARK_CHARS`] at a time:
/// by the form search as it meets them, or by a pass over the bytes of its
/// own ([`MarkScan::by_bytes`], for [`Marks::find`]).
#[derive(Debug, Default)]
struct MarkScan {
    deleted_quotes: Vec<usize>,
    /// ASCII `, ; :` after an ideograph.
    ascii: usize,
    /// The `“` open on this line.
    open: Option<usize>,
    /// Whether the text holds a `〔 〞 〟`, for the punctuation layer's scan.
    punct: bool,
}

impl MarkScan {
    /// Reads `MARK_CHARS[k]`, at `i` of `text`.
    fn see(&mut self, text: &str, i: usize, k: usize) {
        match k {
            MARK_NEWLINE | MARK_CLOSE => self.open = None,
            MARK_OPEN => {
                if self.open.is_some() {
                    self.deleted_quotes.push(i);
                }
                self.open = Some(i);
            }
            MARK_COMMA..=MARK_COLON => {
                if text[..i]
                    .chars()
                    .next_back()
                    .is_some_and(crate::chars::is_han)
                {
                    self.ascii += 1;
                }
            }
            _ => self.punct = true,
        }
    }

    /// Reads the characters of [`MARK_CHARS`] in `text`. One pass over the
    /// bytes, skipping to the next of the few that start a character
    /// looked for (ASCII `\n , ; :`, E2 for the quotes, E3 for `〔 〞 〟`),
    /// and passing over the other characters of those lead bytes (`—`,
    /// `…`, `。`, `、` …) without leaving the skip.
    fn by_bytes(text: &str) -> MarkScan {
        let mut scan = MarkScan::default();
        let bytes = text.as_bytes();
        // The two bytes after a lead byte E2 or E3, when they are those of
        // a mark.
        let mark_at = |i: usize| match (bytes[i], bytes.get(i + 1..i + 3)) {
            (0xE2, Some([0x80, 0x9C])) => Some(MARK_OPEN),
            (0xE2, Some([0x80, 0x9D])) => Some(MARK_CLOSE),
            (0xE3, Some([0x80, 0x94 | 0x9E | 0x9F])) => Some(MARK_PUNCT),
            (0xE2 | 0xE3, _) => None,
            (b'\n', _) => Some(MARK_NEWLINE),
            _ => Some(MARK_COMMA),
        };
        let mut i = 0;
        loop {
            i = crate::chars::find_any_where(bytes, i, &MARKS_STOPS, |k| mark_at(k).is_some());
            if i >= bytes.len() {
                break;
            }
            let k = mark_at(i).expect("the skip stops at a mark");
            scan.see(text, i, k);
            i += crate::chars::utf8_width(bytes[i]);
        }
        scan
    }

    /// The marks of `text`, which every mark character was read of.
    fn finish(self, text: &str) -> Marks {
        let mut m = Marks {
            deleted_quotes: self.deleted_quotes,
            flattened: flattened(text, self.ascii),
            ..Marks::default()
        };
        if self.punct {
            m.add_punct_marks(text);
        }
        m
    }
}

/// The bytes [`MarkScan::by_bytes`] stops at: ASCII `\n , ; :`, E2, the
/// lead byte of `“` and `”`, and E3, that of `〔 〞 〟`; none is a UTF-8
/// continuation byte.
const MARKS_STOPS: [u8; 6] = [b'\n', b',', b';', b':', 0xE2, 0xE3];

impl Marks {
    /// Finds the marks, running the punctuation layer's scan only when the
    /// text holds one of its characters (`〔 〞 〟`). One pass over the
    /// bytes ([`MarkScan::by_bytes`]); the full-width `，；：`, frequent in
    /// Chinese, are counted only when the ASCII marks make it matter.
    pub(crate) fn find(text: &str) -> Marks {
        MarkScan::by_bytes(text).finish(text)
    }

    /// [`find`](Marks::find), given the marks the punctuation layer's scan
    /// of `text` repaired (`repaired`, kept from its patches by
    /// [`Marks::keep_repaired`]): the same marks, without running its scan
    /// again.
    pub(crate) fn find_given(text: &str, repaired: Marks) -> Marks {
        let mut scan = MarkScan::by_bytes(text);
        // Without the punctuation layer's scan: its repairs are known.
        let punct = std::mem::take(&mut scan.punct);
        let mut m = scan.finish(text);
        if punct {
            m.quotes = repaired.quotes;
            m.brackets = repaired.brackets;
        }
        m
    }

    /// Keeps `p` if it is a mark the punctuation layer repaired: a `〞`
    /// closing a `“`, or a `〔` around ordinary text.
    pub(crate) fn keep_repaired(&mut self, p: &Patch<'_>) {
        match &*p.rule {
            "punct/quote-close" => self.quotes.push(p.start),
            "punct/bracket" if p.after == "（" => self.brackets.push(p.start),
            _ => {}
        }
    }

    /// Adds the places where the punctuation layer would repair a `〞`
    /// closing a `“` or a `〔…〕` around ordinary text.
    fn add_punct_marks(&mut self, text: &str) {
        crate::punct::scan(text, &mut PunctMarks(self));
    }

    /// Whether the marks hold positions (that edits of the text move).
    pub(crate) fn has_positions(&self) -> bool {
        self.count() > 0
    }

    /// Moves the positions through one edit of the text they were found
    /// in, `start..end` replaced by `new_len` bytes; the edits come in
    /// order, each after the previous one, through one `shift`. A mark
    /// inside the edit moves to its start.
    pub(crate) fn shift_step(
        &mut self,
        shift: &mut Shift,
        start: usize,
        end: usize,
        new_len: usize,
    ) {
        let delta = shift.delta;
        for (v, next) in self.kinds_mut().into_iter().zip(&mut shift.next) {
            while let Some(pos) = v.get_mut(*next).filter(|p| **p < end) {
                *pos = (*pos).min(start).saturating_add_signed(delta);
                *next += 1;
            }
        }
        shift.delta += new_len as isize - (end - start) as isize;
    }

    /// Ends a `shift`: moves the positions after the last edit.
    pub(crate) fn shift_end(&mut self, shift: Shift) {
        for (v, next) in self.kinds_mut().into_iter().zip(shift.next) {
            for pos in &mut v[next..] {
                *pos = pos.saturating_add_signed(shift.delta);
            }
        }
    }

    /// Moves the positions through `edits` (start, end, new length), in
    /// order.
    pub(crate) fn shift(&mut self, edits: &[(usize, usize, usize)]) {
        let mut shift = Shift::default();
        for &(start, end, new_len) in edits {
            self.shift_step(&mut shift, start, end, new_len);
        }
        self.shift_end(shift);
    }

    /// Whether each mark's position in `text` holds what the punctuation
    /// layer makes of the mark (`”`, `（`, the `“` opened again or the `”`
    /// it became): what positions moved through the repairs must show.
    pub(crate) fn point_at_repairs(&self, text: &str) -> bool {
        self.kinds()
            .into_iter()
            .zip(["”", "（", "“”"])
            .all(|(kind, want)| {
                kind.iter().all(|&pos| {
                    text.get(pos..)
                        .and_then(|t| t.chars().next())
                        .is_some_and(|c| want.contains(c))
                })
            })
    }

    /// The marks of `text[lo..hi]`, counted from `lo`. Whether the
    /// punctuation was flattened is the whole text's.
    pub(crate) fn window(&self, lo: usize, hi: usize) -> Marks {
        let part = |v: &[usize]| -> Vec<usize> {
            let a = v.partition_point(|&p| p < lo);
            let b = v.partition_point(|&p| p < hi);
            v[a..b].iter().map(|p| p - lo).collect()
        };
        Marks {
            quotes: part(&self.quotes),
            brackets: part(&self.brackets),
            deleted_quotes: part(&self.deleted_quotes),
            flattened: self.flattened,
        }
    }

    /// The same as [`find`](Marks::find), character by character: the
    /// reference its tests compare with.
    #[cfg(test)]
    fn find_by_chars(text: &str) -> Marks {
        let mut m = Marks::default();
        if text.contains(['〞', '〟', '〔']) {
            m.add_punct_marks(text);
        }
        let (mut ascii, mut wide) = (0usize, 0usize);
        let mut open: Option<usize> = None;
        let mut prev_han = false;
        for (i, c) in text.char_indices() {
            match c {
                '“' => {
                    if open.is_some() {
                        m.deleted_quotes.push(i);
                    }
                    open = Some(i);
                }
                '”' | '\n' => open = None,
                ',' | ';' | ':' if prev_han => ascii += 1,
                '，' | '；' | '：' => wide += 1,
                _ => {}
            }
            prev_han = crate::chars::is_han(c);
        }
        m.flattened = ascii >= 2 && ascii > 8 * wide;
        m
    }

    pub(super) fn kinds(&self) -> [&[usize]; 3] {
        [&self.quotes, &self.brackets, &self.deleted_quotes]
    }

    fn kinds_mut(&mut self) -> [&mut Vec<usize>; 3] {
        [
            &mut self.quotes,
            &mut self.brackets,
            &mut self.deleted_quotes,
        ]
    }

    fn count(&self) -> usize {
        self.kinds().iter().map(|k| k.len()).sum()
    }
}

/// A walk of [`Marks`] through the edits of their text
/// ([`Marks::shift_step`]): how far the positions so far moved, and per kind
/// the first mark not yet moved.
#[derive(Debug, Default)]
pub(crate) struct Shift {
    delta: isize,
    next: [usize; 3],
}

/// Takes the punctuation layer's repairs and keeps the marks among them.
struct PunctMarks<'m>(&'m mut Marks);

impl<'a> Sink<'a> for PunctMarks<'_> {
    fn push(&mut self, p: Patch<'a>) {
        self.0.keep_repaired(&p);
    }
}

/// What [`read`] found in a text.
struct Reading {
    /// The vectors every reading with a candidate fills, kept for the next
    /// reading on the thread.
    kept: Kept,
    /// The occurrences in a confirm context, as (pair, start), sorted; the
    /// start counted from the text's origin. Filled with the points, which
    /// alone read it.
    confirmed_at: Vec<(usize, usize)>,
    /// Where the text starts in the text it is a window of (0 for a text
    /// read whole): positions in `points`, `sums` and `confirmed_at`
    /// count from there, so that the evaluation points of a window are
    /// those of the whole text.
    origin: usize,
    /// Evaluation points (byte positions), one per block with scored
    /// candidates or marks.
    points: Vec<usize>,
    /// Per point: active families (bit set) and each family's evidence.
    active: Vec<u8>,
    evidence: Vec<[f64; FAMILIES.len()]>,
    /// The decayed sums of the pairs and mark kinds with observations
    /// (key `npairs + k` is mark kind `k`): the evidence, and the garbled
    /// and original counts of the pairs of families active somewhere.
    sums: Sums,
    /// What every family gets regardless of position: flattened punctuation.
    base: f64,
    /// Whether scoring pair by pair showed that no family can be active
    /// anywhere, so that the reading stopped there ([`refine`]).
    refined: bool,
}

/// An original form's occurrence: (start, length, form).
type OrigOcc = (usize, u32, u32);

/// The vectors of a [`Reading`] that every reading with a candidate
/// fills, kept between readings on a thread ([`KEPT`]) so that reading a
/// short text does not allocate them again: cleared, and dropped instead
/// when a long text made them large (at most [`crate::reuse::MOST`] elements
/// each: about 300 KB a thread).
#[derive(Debug, Default)]
struct Kept {
    /// The candidates, in text order.
    cands: Vec<Cand>,
    /// Per pair (empty when no candidate was found): garbled occurrences
    /// (not protected), those in a confirm context, original occurrences
    /// outside compounds.
    garbled: Vec<u32>,
    confirmed: Vec<u32>,
    originals: Vec<u32>,
    /// The original forms' occurrences, as (start, length, form): sixteen
    /// bytes, for there may be one every few characters. Emptied once
    /// read.
    orig_occ: Vec<OrigOcc>,
    /// The pairs with garbled occurrences, in the order first seen, then
    /// sorted.
    seen: Vec<usize>,
    /// Per pair of `seen`: the most evidence it could show at any point.
    most: Vec<f64>,
    /// The slots of those bounds ([`bound_slots`]).
    slots: Vec<Slot>,
    /// Room for [`refine`]'s indices.
    work: Vec<usize>,
}

thread_local! {
    /// The vectors the last reading on this thread left ([`Kept`]).
    static KEPT: std::cell::Cell<Kept> = std::cell::Cell::new(Kept::default());
}

impl Kept {
    /// The vectors the last reading on this thread left, empty.
    fn take() -> Kept {
        KEPT.try_with(std::cell::Cell::take).unwrap_or_default()
    }

    /// Leaves the vectors, emptied, to the next reading on this thread
    /// ([`crate::reuse::emptied`]).
    fn leave(self) {
        use crate::reuse::emptied;
        let kept = Kept {
            cands: emptied(self.cands),
            garbled: emptied(self.garbled),
            confirmed: emptied(self.confirmed),
            originals: emptied(self.originals),
            orig_occ: emptied(self.orig_occ),
            seen: emptied(self.seen),
            most: emptied(self.most),
            slots: emptied(self.slots),
            work: emptied(self.work),
        };
        // A thread being torn down keeps nothing.
        let _ = KEPT.try_with(|k| k.set(kept));
    }
}

impl Drop for Reading {
    fn drop(&mut self) {
        std::mem::take(&mut self.kept).leave();
    }
}

/// What [`find`] reports.
enum Found {
    /// An occurrence of a pair's garbled form, not protected.
    Garbled(Cand),
    /// A protected occurrence of a pair's garbled form.
    Protected,
    /// An occurrence of an original form (of the pairs in its
    /// `as_original`): start, end, form.
    Original(usize, usize, usize),
    /// A character of [`MARK_CHARS`]: its position and index.
    Mark(usize, usize),
}

/// The occurrences of the table's forms in `text`, in order: one
/// leftmost-longest pass of the search, with the context rules applied.
fn find(table: &Table, text: &str, mut each: impl FnMut(Found)) {
    table.search.for_each_match(text, |id, start, end| {
        let Some(form) = table.forms.get(id) else {
            // The search's ids after the forms' are the marks'.
            each(Found::Mark(start, id - table.forms.len()));
            return;
        };
        // The characters nearest the form, read once for all its patterns.
        let mut near = None;
        for &p in &form.as_garbled {
            let pair = &table.pairs[p];
            let near = *near.get_or_insert_with(|| Near::at(text, start, end));
            let at = |c: &context::Context| c.matches_near(text, start, end, near);
            if pair.protect.iter().any(at) {
                each(Found::Protected);
                continue;
            }
            let confirmed = pair.confirm.iter().any(at);
            each(Found::Garbled(Cand {
                start,
                end,
                pair: p,
                confirmed,
                lctx: 0.0,
                scored: false,
                point: 0,
            }));
        }
        if !form.as_original.is_empty() {
            each(Found::Original(start, end, id));
        }
    });
}

/// A pair's calibration, or the defaults.
fn calibration(params: &Params, pair: &Pair) -> (f64, f64) {
    let c = pair.calibration.unwrap_or(Calibration {
        alpha: None,
        noise_floor: 0.0,
    });
    (c.alpha.unwrap_or(params.alpha_default), c.noise_floor)
}

/// The most one occurrence of `pair`'s garbled form can add before it is
/// scored: its value at the largest context ratio, or in a confirm
/// context.
fn occurrence_cap(params: &Params, pair: &Pair) -> f64 {
    let (alpha, _) = calibration(params, pair);
    let base = params.base_rate(f64::from(pair.freq_garbled), f64::from(pair.freq_original));
    params
        .occurrence_llr(base, alpha, params.lr_clamp)
        .max(params.confirm_evidence)
}

/// Calls `each(p, start)` for each occurrence of an original form (of
/// `orig_occ`) that the decision counts for pair `p`: its family among
/// `possible`, not a pair without garbled occurrences (`garbled`, per
/// pair) when `everything`, and outside a compound. Whether occurrence `i`
/// is in a compound is asked at most once, and kept in `compound[i]` where
/// `compound` is that long: the regions, which make it so, and then the
/// decision ask the same question.
fn counted_originals(
    (table, text): (&Table, &str),
    (orig_occ, compound): (&[OrigOcc], &mut [Option<bool>]),
    (possible, everything, garbled): (u8, bool, &[u32]),
    mut each: impl FnMut(usize, usize),
) {
    for (i, &(start, len, form)) in orig_occ.iter().enumerate() {
        let mut unkept = None;
        let compound = compound.get_mut(i).unwrap_or(&mut unkept);
        let form = &table.forms[form as usize];
        let end = start + len as usize;
        for &p in &form.as_original {
            // The originals of pairs without a garbled occurrence tell
            // only whether the tool's table holds them ([`TablePriors`]),
            // which the diagnosis does not weigh.
            if table.pairs[p].families & possible == 0
                || (everything && garbled[p] == 0)
                || *compound
                    .get_or_insert_with(|| in_compound(text, start, end, form.compounds.get()))
            {
                continue;
            }
            each(p, start);
        }
    }
}

/// The regions of a long `text` ([`regions`]) for reading `r` after
/// `refine` left some family of `possible` (the families considered)
/// possible; `None` for a text too short to cut.
fn by_region(
    table: &Table,
    params: &Params,
    text: &str,
    r: &Reading,
    (marks, possible): (&Marks, u8),
    compound: &mut Vec<Option<bool>>,
) -> Option<Regions> {
    #[cfg(test)]
    if tests::NO_REGIONS.get() {
        return None;
    }
    if !Regions::spans(params, text.len()) {
        return None;
    }
    let k_of = |p: usize| r.kept.seen.binary_search(&p).expect("a seen pair");
    let garbled = r
        .kept
        .cands
        .iter()
        .map(|c| {
            let pair = &table.pairs[c.pair];
            let most = if c.scored {
                candidate_evidence(params, pair, c)
            } else {
                occurrence_cap(params, pair)
            };
            (k_of(c.pair), c.start, most)
        })
        .collect();
    let ev = regions::Evidence {
        seen: &r.kept.seen,
        confirmed: &r.kept.confirmed,
        garbled,
        originals: {
            let mut out = Vec::new();
            compound.resize(r.kept.orig_occ.len(), None);
            counted_originals(
                (table, text),
                (&r.kept.orig_occ, compound),
                (possible, false, &r.kept.garbled),
                |p, start| {
                    if let Ok(k) = r.kept.seen.binary_search(&p) {
                        out.push((k, start));
                    }
                },
            );
            out
        },
        marks,
        base: r.base,
        possible,
    };
    let regions = Regions::new(table, params, text.len(), ev);
    #[cfg(test)]
    tests::REGIONS_OPEN.with_borrow_mut(|v| v.extend(regions.as_ref().map(Regions::open_count)));
    regions
}

/// Reads `text`. With `everything`, every family is considered (for the
/// diagnosis); otherwise only families whose evidence could reach their
/// threshold, and none when document evidence is off. `marks` are the
/// text's marks, or `None` to find them only once a candidate is found
/// (without one nothing is decided, whatever the marks).
fn read(
    table: &Table,
    params: &Params,
    (text, origin): (&str, usize),
    marks: Option<&Marks>,
    everything: bool,
    memo: &mut Memo,
) -> Reading {
    let npairs = table.pairs.len();
    let mut r = Reading {
        kept: Kept::take(),
        confirmed_at: Vec::new(),
        origin,
        points: Vec::new(),
        active: Vec::new(),
        evidence: Vec::new(),
        sums: Sums::default(),
        base: 0.0,
        refined: false,
    };
    let mut scan = MarkScan::default();
    find(table, text, |found| match found {
        Found::Garbled(c) => {
            if r.kept.garbled.is_empty() {
                r.kept.garbled.resize(npairs, 0);
                r.kept.confirmed.resize(npairs, 0);
            }
            if r.kept.garbled[c.pair] == 0 {
                r.kept.seen.push(c.pair);
            }
            r.kept.garbled[c.pair] += 1;
            r.kept.confirmed[c.pair] += u32::from(c.confirmed);
            r.kept.cands.push(c);
        }
        Found::Protected => {}
        Found::Original(start, end, form) => {
            r.kept
                .orig_occ
                .push((start, (end - start) as u32, form as u32));
        }
        Found::Mark(i, k) => scan.see(text, i, k),
    });
    let found;
    let marks = match marks {
        Some(m) => m,
        None if r.kept.cands.is_empty() => return r,
        None => {
            found = if !params.use_evidence {
                Marks::default()
            } else if table.marks_fused {
                scan.finish(text)
            } else {
                Marks::find(text)
            };
            &found
        }
    };
    if r.kept.cands.is_empty() && !(everything && marks.count() > 0) {
        return r;
    }
    r.kept.garbled.resize(npairs, 0);
    r.kept.confirmed.resize(npairs, 0);
    r.kept.originals.resize(npairs, 0);
    r.kept.seen.sort_unstable();
    if params.use_evidence && marks.flattened {
        r.base = params.flattened_evidence;
    }

    // The families whose evidence could reach their threshold: a pair adds
    // at most cap_pair (or activates alone when its occurrences could reach
    // its single threshold with the largest context ratio).
    let mut possible = 0u8;
    let mut marks_bound = [r.base; FAMILIES.len()];
    if everything || params.use_evidence {
        let most = r
            .kept
            .seen
            .iter()
            .map(|&p| f64::from(r.kept.garbled[p]) * occurrence_cap(params, &table.pairs[p]));
        r.kept.most.extend(most);
        for (kind, m) in marks.kinds().into_iter().zip(&MARK_KINDS) {
            marks_bound[m.family] += mark_value(params, m, kind.len() as f64);
        }
        possible = possible_families(
            table,
            params,
            (&r.kept.seen, &r.kept.confirmed, &r.kept.most),
            &marks_bound,
            everything,
            &mut r.kept.slots,
        );
    }
    if possible == 0 {
        return r;
    }

    // Room for every candidate's ratio, once: the memo is not grown (and
    // its keys hashed again) step by step.
    memo.reserve(r.kept.cands.len());
    let mut scorer = Scorer::new(CharLm::get());
    let mut regions = None;
    // Per original occurrence, whether it is in a compound, where the
    // regions asked.
    let mut compound: Vec<Option<bool>> = Vec::new();
    if !everything
        && (refine(
            table,
            params,
            text,
            &mut r.kept.cands,
            (
                &r.kept.seen,
                &r.kept.confirmed,
                &mut r.kept.most,
                &marks_bound,
            ),
            possible,
            (&mut scorer, memo, &mut r.kept.slots, &mut r.kept.work),
        ) || {
            // A long text, bounded region by region.
            regions = by_region(table, params, text, &r, (marks, possible), &mut compound);
            regions.as_ref().is_some_and(|g| !g.any_open())
        })
    {
        for c in &mut r.kept.cands {
            c.scored = false;
            c.lctx = 0.0;
        }
        r.refined = true;
        return r;
    }

    // Score the candidates of pairs in possible families.
    // At most one observation per candidate, pair of an original's
    // occurrence, and mark: reserved once (what is not used is never
    // touched).
    let most = r.kept.cands.len()
        + r.kept
            .orig_occ
            .iter()
            .map(|o| table.forms[o.2 as usize].as_original.len())
            .sum::<usize>()
        + marks.count();
    let mut obs: Vec<Obs> = Vec::with_capacity(most);
    let mut blocks: Vec<usize> = Vec::new();
    // (pair, context, position, observation) of each scored candidate.
    let mut repeats: Vec<(u32, u64, usize, u32)> = Vec::new();
    for c in &mut r.kept.cands {
        let pair = &table.pairs[c.pair];
        if pair.families & possible == 0 {
            continue;
        }
        // Candidates `refine` scored keep their context ratio.
        let value = if c.scored {
            candidate_evidence(params, pair, c)
        } else {
            score_candidate(params, pair, c, &mut scorer, text, memo)
        };
        observe(text, c, (origin, value), &mut obs, &mut repeats);
        let block = (origin + c.start) / params.block.max(1);
        if blocks.last() != Some(&block) {
            blocks.push(block);
        }
    }
    share_repeats(&mut repeats, params.decay, &mut obs);
    drop(repeats);
    counted_originals(
        (table, text),
        (&r.kept.orig_occ, &mut compound),
        (possible, everything, &r.kept.garbled),
        |p, start| {
            r.kept.originals[p] += 1;
            obs.push(Obs {
                pos: origin + start,
                value: params.original_llr(),
                key: p as u32,
                kind: Kind::Original,
            });
        },
    );
    r.kept.orig_occ.clear();
    for (k, (kind, m)) in marks.kinds().into_iter().zip(&MARK_KINDS).enumerate() {
        if possible & (1 << m.family) == 0 {
            continue;
        }
        for &pos in kind {
            obs.push(Obs {
                pos: origin + pos,
                value: 1.0,
                key: (npairs + k) as u32,
                kind: Kind::Mark,
            });
            blocks.push((origin + pos) / params.block.max(1));
        }
    }
    blocks.sort_unstable();
    blocks.dedup();
    let half = params.block / 2;
    r.points = blocks.iter().map(|&b| b * params.block + half).collect();
    for c in r.kept.cands.iter_mut().filter(|c| c.scored) {
        let block = (origin + c.start) / params.block.max(1);
        c.point = blocks
            .binary_search(&block)
            .expect("every scored block has a point");
    }
    let k = r.points.len();
    r.sums = Sums::new(obs, params.decay);
    // Where the pairs are confirmed, which only the points read.
    r.confirmed_at = r
        .kept
        .cands
        .iter()
        .filter(|c| c.confirmed)
        .map(|c| (c.pair, origin + c.start))
        .collect();
    r.confirmed_at.sort_unstable();

    // Active families at each point.
    let mut column: Vec<Slot> = Vec::with_capacity(r.sums.keys().len());
    let mut cursors = vec![0; r.sums.keys().len()];
    let mut somewhere = 0u8;
    for t in 0..k {
        let rel = r.points[t] as f64 - origin as f64;
        if regions.as_ref().is_some_and(|g| !g.open_at(rel)) {
            // No family is possible anywhere in its region; its evidence,
            // which only the diagnosis reads, is not weighed.
            r.active.push(0);
            r.evidence.push([0.0; FAMILIES.len()]);
            continue;
        }
        slot_column(table, params, &r, t, &mut cursors, &mut column);
        let (active, evidence) = active_families(params, &column, r.base, possible);
        somewhere |= active;
        r.active.push(active);
        r.evidence.push(evidence);
    }

    // The decayed counts, which only repairs read (`repair_probability`,
    // for pairs of a family active at the point): for the pairs of
    // families active somewhere with garbled occurrences.
    if somewhere != 0 {
        r.sums.count(|key| {
            table
                .pairs
                .get(key)
                .is_some_and(|pair| pair.families & somewhere != 0 && r.kept.garbled[key] > 0)
        });
    }
    r
}

/// Adds candidate `c`'s observation, with `value`, at `origin + c.start`
/// to `obs`, and its context to `repeats` (for [`share_repeats`]).
fn observe(
    text: &str,
    c: &Cand,
    (origin, value): (usize, f64),
    obs: &mut Vec<Obs>,
    repeats: &mut Vec<(u32, u64, usize, u32)>,
) {
    repeats.push((
        c.pair as u32,
        context_key(text, c.start, c.end),
        c.start,
        obs.len() as u32,
    ));
    obs.push(Obs {
        pos: origin + c.start,
        value,
        key: c.pair as u32,
        kind: Kind::Garbled,
    });
}

/// A hash of the two characters before `start` and the two after `end`.
fn context_key(text: &str, start: usize, end: usize) -> u64 {
    let mut h = 0u64;
    let mut mix = |c: Option<char>| {
        h = (h ^ c.map_or(0, u64::from))
            .wrapping_mul(0x9E37_79B9_7F4A_7C15)
            .rotate_left(23);
    };
    let mut before = text[..start].chars().rev();
    mix(before.next());
    mix(before.next());
    let mut after = text[end..].chars();
    mix(after.next());
    mix(after.next());
    h
}

/// Occurrences of one pair in one context near each other are one
/// observation repeated (a phrase the writer used again), not independent
/// evidence: each adds its value divided by the number of such occurrences
/// around it, weighed with the distance decay the evidence itself fades
/// with (itself 1), so that a phrase repeated any number of times shows
/// about what it shows once.
fn share_repeats(repeats: &mut [(u32, u64, usize, u32)], decay: f64, obs: &mut [Obs]) {
    repeats.sort_unstable();
    let mut around: Vec<f64> = Vec::new();
    for group in repeats.chunk_by(|a, b| (a.0, a.1) == (b.0, b.1)) {
        if group.len() < 2 {
            continue;
        }
        // The decayed number of the others before each, then after.
        around.clear();
        around.resize(group.len(), 1.0);
        let fade = |a: usize, b: usize| (-((b - a) as f64) / decay).exp();
        let mut sum = 0.0;
        for k in 1..group.len() {
            sum = (sum + 1.0) * fade(group[k - 1].2, group[k].2);
            around[k] += sum;
        }
        sum = 0.0;
        for k in (0..group.len() - 1).rev() {
            sum = (sum + 1.0) * fade(group[k].2, group[k + 1].2);
            around[k] += sum;
        }
        for (&(_, _, _, o), n) in group.iter().zip(&around) {
            obs[o as usize].value /= n;
        }
    }
}

/// The families whose evidence could reach their threshold somewhere, when
/// pair `seen[k]` shows at most `most[k]` at any point and the marks (and
/// flattened punctuation) at most `marks` per family; all with
/// `everything`.
/// `slots` is room for the bounds' slots.
fn possible_families(
    table: &Table,
    params: &Params,
    (seen, confirmed, most): (&[usize], &[u32], &[f64]),
    marks: &[f64; FAMILIES.len()],
    everything: bool,
    slots: &mut Vec<Slot>,
) -> u8 {
    bound_slots(table, params, (seen, confirmed, most), marks, slots);
    possible_in(params, slots, everything)
}

/// The slots of the most any point can show ([`possible_families`]): the
/// marks and flattened punctuation first, as one slot per family that has
/// them (so that the sums add in the order they always did), then one slot
/// per pair of `seen` at its bound, read by the functions that read a
/// point's.
pub(super) fn bound_slots(
    table: &Table,
    params: &Params,
    (seen, confirmed, most): (&[usize], &[u32], &[f64]),
    marks: &[f64; FAMILIES.len()],
    slots: &mut Vec<Slot>,
) {
    let mark_slots = (0..FAMILIES.len())
        .filter(|&f| marks[f] > 0.0)
        .map(|f| Slot {
            families: 1 << f,
            value: marks[f],
            single: false,
            breadth: 0.0,
            mark: true,
            confirmed: false,
        });
    let pair_slots = seen
        .iter()
        .zip(most)
        .map(|(&p, &m)| bound_slot(table, params, confirmed, p, m));
    slots.clear();
    slots.extend(mark_slots.chain(pair_slots));
}

/// The slot of pair `p` showing at most `m` ([`bound_slots`]).
fn bound_slot(table: &Table, params: &Params, confirmed: &[u32], p: usize, m: f64) -> Slot {
    let pair = &table.pairs[p];
    let (_, floor) = calibration(params, pair);
    // Slack for the rounding of the faded sums, which add the same
    // values in another order.
    let m = m * (1.0 + 1e-9) + 1e-9;
    Slot {
        families: pair.families,
        value: params.gate_value(m, floor),
        single: m >= params.single_threshold(floor),
        breadth: params.breadth_part(m),
        mark: false,
        confirmed: confirmed.get(p).is_some_and(|&n| n > 0),
    }
}

/// The families the bound `slots` ([`bound_slots`]) leave possible.
pub(super) fn possible_in(params: &Params, slots: &[Slot], everything: bool) -> u8 {
    let (mut bound, breadth) = family_sums(slots.iter().copied());
    // One pair activates its family alone only when seconded: the marks'
    // slot stands for flattened punctuation as well.
    let single = single_families(slots.iter().copied(), 0.0, params.second_min);
    for (f, x) in bound.iter_mut().enumerate() {
        *x += params.breadth_value(breadth[f], f);
    }
    let mut possible = 0u8;
    for (f, (&b, &t)) in bound.iter().zip(&params.threshold).enumerate() {
        // A family is active only where it is corroborated (for the
        // families of everyday words: three pairs with clear evidence, or
        // a mark, flattened punctuation — the marks' slot —, breadth or a
        // confirming context), and the bounds corroborate whatever any
        // point does.
        if everything
            || (b >= t || single & (1 << f) != 0) && corroborated(params, slots, 0.0, breadth[f], f)
        {
            possible |= 1 << f;
        }
    }
    possible
}

/// Scores the candidates pair by pair, the pairs with the smallest bound
/// (the fewest occurrences) first — a family can stay out of reach with
/// one pair unscored, and that had better be the largest — and replaces
/// each scored pair's bound in `most` by the sum of its occurrences'
/// evidence: an occurrence's evidence is never negative and
/// fades with distance, and an original's is negative, so that sum bounds
/// the pair's evidence at every point. Returns `true` as soon as no family
/// could be active anywhere: then only confirm contexts repair, and the
/// other candidates need no score. Only pairs of `possible` families are
/// scored; the candidates keep their context ratios, for the caller to
/// reuse. `slots` is room for the bounds' slots, `work` for the indices
/// (both kept for the next reading).
fn refine(
    table: &Table,
    params: &Params,
    text: &str,
    cands: &mut [Cand],
    (seen, confirmed, most, marks): (&[usize], &[u32], &mut [f64], &[f64; FAMILIES.len()]),
    mut possible: u8,
    (scorer, memo, slots, work): (&mut Scorer, &mut Memo, &mut Vec<Slot>, &mut Vec<usize>),
) -> bool {
    // The candidates by pair, each pair's in text order (a counting sort:
    // `seen` is sorted and holds every candidate's pair): those of `seen[k]`
    // are `by_pair[start[k]..start[k + 1]]`. One vector holds the indices:
    // `start`, the next free place of each pair, `order`, each candidate's
    // index in `seen`, and `by_pair`.
    let (n, m) = (seen.len(), cands.len());
    work.clear();
    work.resize(2 * (n + 1) + n + 2 * m, 0);
    let (start, rest) = work.split_at_mut(n + 1);
    let (next, rest) = rest.split_at_mut(n + 1);
    let (order, rest) = rest.split_at_mut(n);
    let (ks, by_pair) = rest.split_at_mut(m);
    for (k, c) in ks.iter_mut().zip(cands.iter()) {
        *k = seen
            .binary_search(&c.pair)
            .expect("every candidate's pair is seen");
        start[*k + 1] += 1;
    }
    for k in 0..n {
        start[k + 1] += start[k];
    }
    next.copy_from_slice(start);
    for (i, &k) in ks.iter().enumerate() {
        by_pair[next[k]] = i;
        next[k] += 1;
    }
    for (k, o) in order.iter_mut().enumerate() {
        *o = k;
    }
    order.sort_by(|&a, &b| most[a].total_cmp(&most[b]).then(a.cmp(&b)));
    // The bound slots, of which each scored pair's is replaced: the pairs'
    // come after the marks'.
    bound_slots(table, params, (seen, confirmed, most), marks, slots);
    let first_pair = slots.len() - seen.len();
    for &k in order.iter() {
        let p = seen[k];
        let pair = &table.pairs[p];
        if pair.families & possible == 0 {
            // Not scored: what is scored is read as an observation.
            continue;
        }
        let (lo, hi) = (start[k], start[k + 1]);
        most[k] = by_pair[lo..hi]
            .iter()
            .map(|&i| score_candidate(params, pair, &mut cands[i], scorer, text, memo))
            .sum();
        slots[first_pair + k] = bound_slot(table, params, confirmed, p, most[k]);
        possible = possible_in(params, slots, false);
        if possible == 0 {
            return true;
        }
    }
    false
}

/// The slots of reading `r` at point `t`: each pair's or mark kind's
/// families, value and single activation. Points are read in increasing
/// order with the same `cursors` (one per slot, starting at 0).
fn slot_column(
    table: &Table,
    params: &Params,
    r: &Reading,
    t: usize,
    cursors: &mut [usize],
    column: &mut Vec<Slot>,
) {
    let npairs = table.pairs.len();
    column.clear();
    let at = r.points[t];
    for ((s, &p), cursor) in r.sums.keys().iter().enumerate().zip(cursors) {
        // A pair with only original occurrences has no evidence above 0:
        // its slot would add nothing to any family.
        if r.kept.garbled.get(p) == Some(&0) {
            continue;
        }
        let llr = r.sums.evidence_from(s, at, cursor);
        column.push(match table.pairs.get(p) {
            Some(pair) => {
                let (_, floor) = calibration(params, pair);
                Slot {
                    families: pair.families,
                    value: params.gate_value(llr, floor),
                    single: llr >= params.single_threshold(floor),
                    breadth: params.breadth_part(llr),
                    mark: false,
                    confirmed: confirmed_near(&r.confirmed_at, p, at, params.confirm_reach()),
                }
            }
            None => {
                let m = &MARK_KINDS[p - npairs];
                Slot {
                    families: 1 << m.family,
                    value: mark_value(params, m, llr),
                    single: false,
                    breadth: 0.0,
                    mark: true,
                    confirmed: false,
                }
            }
        });
    }
}

/// Whether pair `p` has an occurrence in a confirm context within `reach`
/// bytes of `at` (`confirmed_at` as in [`Reading`]).
fn confirmed_near(confirmed_at: &[(usize, usize)], p: usize, at: usize, reach: usize) -> bool {
    let from = confirmed_at.partition_point(|&x| x < (p, at.saturating_sub(reach)));
    confirmed_at
        .get(from)
        .is_some_and(|&(q, pos)| q == p && pos <= at.saturating_add(reach))
}

/// Scores candidate `c` of `pair`: sets its context ratio and returns its
/// evidence ([`candidate_evidence`]).
fn score_candidate(
    params: &Params,
    pair: &Pair,
    c: &mut Cand,
    scorer: &mut Scorer,
    text: &str,
    memo: &mut Memo,
) -> f64 {
    c.scored = true;
    c.lctx = if c.confirmed {
        params.lr_clamp
    } else {
        let lr10 = scorer.ratio10_pair(text, c.start, c.end, (c.pair, pair), memo);
        f64::from(lr10) * std::f64::consts::LN_10
    };
    candidate_evidence(params, pair, c)
}

/// The evidence of scored candidate `c` of `pair`, from its context ratio.
fn candidate_evidence(params: &Params, pair: &Pair, c: &Cand) -> f64 {
    if c.confirmed {
        return params.confirm_evidence;
    }
    let (alpha, _) = calibration(params, pair);
    let base = params.base_rate(f64::from(pair.freq_garbled), f64::from(pair.freq_original));
    params.occurrence_llr(base, alpha, c.lctx)
}

/// Each pair's evidence over the whole of `text`, without distance decay
/// and whatever the families: what calibration measures on correct text.
pub(crate) fn pair_evidence(table: &Table, params: &Params, text: &str) -> Vec<f64> {
    let mut out = vec![0.0; table.pairs.len()];
    let mut scorer = Scorer::new(CharLm::get());
    let mut memo = Memo::default();
    let mut has_garbled = vec![false; table.pairs.len()];
    let mut originals: Vec<usize> = Vec::new();
    // Each occurrence's value, repeats sharing theirs as `read` shares them.
    let mut values: Vec<Obs> = Vec::new();
    let mut repeats: Vec<(u32, u64, usize, u32)> = Vec::new();
    find(table, text, |found| match found {
        Found::Garbled(mut c) => {
            let value = score_candidate(
                params,
                &table.pairs[c.pair],
                &mut c,
                &mut scorer,
                text,
                &mut memo,
            );
            observe(text, &c, (0, value), &mut values, &mut repeats);
            has_garbled[c.pair] = true;
        }
        Found::Protected | Found::Mark(..) => {}
        Found::Original(start, end, form) => {
            let form = &table.forms[form];
            if !in_compound(text, start, end, form.compounds.get()) {
                originals.extend(&form.as_original);
            }
        }
    });
    share_repeats(&mut repeats, params.decay, &mut values);
    for v in &values {
        out[v.key as usize] += v.value;
    }
    for p in originals {
        if has_garbled[p] {
            out[p] += params.original_llr();
        }
    }
    out
}

/// The context log-ratio (natural log, no base rate) of `garbled` at
/// `start..end` of `text` against `original`.
pub(crate) fn context_ratio(
    text: &str,
    start: usize,
    end: usize,
    garbled: &str,
    original: &str,
) -> f64 {
    let mut scorer = Scorer::new(CharLm::get());
    f64::from(scorer.ratio10(text, start, end, garbled, original)) * std::f64::consts::LN_10
}

/// What `n` marks of a kind (possibly a decayed, fractional count) add to
/// their family.
pub(super) fn mark_value(params: &Params, kind: &MarkKind, n: f64) -> f64 {
    let (each, cap) = match kind.family {
        DELETED_QUOTE_FAMILY => (params.deleted_quote_evidence, params.cap_pair),
        _ if kind.names.0 == "〔〕" => (params.bracket_evidence, params.bracket_cap),
        _ => (params.quote_evidence, params.cap_pair),
    };
    (n * each).clamp(0.0, cap)
}

/// The share of pair `p`'s garbled-form occurrences that are garbled at
/// point `t` of reading `r`, as the counts suggest (`π⁰` in `model`).
fn counted_share(table: &Table, params: &Params, r: &Reading, p: usize, t: usize) -> f64 {
    let counts = match r.sums.slot_of(p) {
        Some(s) => r.sums.counts(s, r.points[t]),
        None => (0.0, 0.0),
    };
    share_of_counts(params, &table.pairs[p], counts)
}

/// The counted share of `pair` where its decayed garbled and original
/// counts are `(n_g, n_o)`.
fn share_of_counts(params: &Params, pair: &Pair, (n_g, n_o): (f64, f64)) -> f64 {
    params.share_garbled(
        n_g.max(1.0),
        n_o,
        f64::from(pair.freq_garbled),
        f64::from(pair.freq_original),
    )
}

/// What each candidate's clause head (`heads.rs`) adds to its context
/// ratio (indexed like `r.kept.cands`): for the scored candidates of pairs of
/// families active somewhere, `head_weight` times the head's log-ratio,
/// divided by the pair's reliability `α_p` (which the context ratio is
/// multiplied by); 0 for the others. Empty, without an allocation, when
/// no family is active anywhere.
fn head_terms(table: &Table, params: &Params, text: &str, r: &Reading) -> Vec<f64> {
    let somewhere = r.active.iter().fold(0u8, |a, &b| a | b);
    if somewhere == 0 {
        return Vec::new();
    }
    let mut out = vec![0.0; r.kept.cands.len()];
    for (c, h) in r.kept.cands.iter().zip(&mut out) {
        let pair = &table.pairs[c.pair];
        if c.scored && !c.confirmed && pair.families & somewhere != 0 {
            *h = head_term(params, pair, text, c.end);
        }
    }
    out
}

/// What the head of the clause after byte `end` of `text` adds to the
/// context ratio of an occurrence of `pair` there (see [`head_terms`]); 0
/// for a pair without head counts.
fn head_term(params: &Params, pair: &Pair, text: &str, end: usize) -> f64 {
    if params.head_weight == 0.0 {
        return 0.0;
    }
    let counts = *pair
        .heads
        .get_or_init(|| heads::HEADS.pair(&pair.garbled, &pair.original));
    counts.map_or(0.0, |counts| {
        let (alpha, _) = calibration(params, pair);
        params.head_weight * counts.logit(text, end) / alpha
    })
}

/// The share of garbled occurrences at each scored candidate of reading
/// `r` (indexed like `r.kept.cands`; 0 for the others), for the pairs of
/// families active somewhere: the counted share refined by the
/// occurrences' contexts until it moves by less than
/// [`Params::share_tolerance`] (step 4 of the model in `model`). Each pair
/// is estimated at its own candidates' points only. Empty, without an
/// allocation, when no family is active anywhere.
fn context_shares(table: &Table, params: &Params, r: &Reading, heads: &[f64]) -> Vec<f32> {
    let somewhere = r.active.iter().fold(0u8, |a, &b| a | b);
    if somewhere == 0 {
        return Vec::new();
    }
    let mut out = vec![0.0f32; r.kept.cands.len()];
    // The scored candidates of active pairs, by pair, each pair's in text
    // order (the sort is stable).
    let mut order: Vec<u32> = (0..r.kept.cands.len())
        .filter(|&i| {
            let c = &r.kept.cands[i];
            c.scored && table.pairs[c.pair].families & somewhere != 0
        })
        .map(|i| u32::try_from(i).expect("fewer candidates than bytes in a u32 text"))
        .collect();
    order.sort_by_key(|&i| r.kept.cands[i as usize].pair);
    let (mut own, mut values, mut sums) = (Vec::new(), Vec::new(), Vec::new());
    for group in
        order.chunk_by(|&a, &b| r.kept.cands[a as usize].pair == r.kept.cands[b as usize].pair)
    {
        let cand = |i: u32| &r.kept.cands[i as usize];
        let p = cand(group[0]).pair;
        let Some(slot) = r.sums.slot_of(p) else {
            continue;
        };
        let (alpha, _) = calibration(params, &table.pairs[p]);
        // The points of these candidates (indices into `r.points`), and
        // each candidate's index among them.
        let mut points: Vec<usize> = group.iter().map(|&i| cand(i).point).collect();
        points.dedup();
        own.clear();
        own.extend(
            group
                .iter()
                .map(|&i| points.partition_point(|&t| t < cand(i).point)),
        );
        let at: Vec<usize> = points.iter().map(|&t| r.points[t]).collect();
        let pos: Vec<usize> = group.iter().map(|&i| r.origin + cand(i).start).collect();
        let mut fader = Fader::new(&pos, &at, params.decay);
        drop(pos);
        let counts: Vec<(f64, f64)> = at.iter().map(|&t| r.sums.counts(slot, t)).collect();
        let counted: Vec<f64> = counts
            .iter()
            .map(|&c| share_of_counts(params, &table.pairs[p], c))
            .collect();
        let mut shares = counted.clone();
        let mut logits: Vec<f64> = shares.iter().map(|&s| logit(s)).collect();
        // The points whose share moved in the last round: only their
        // occurrences are weighed again (a share held at its cap, as in a
        // text garbled throughout, stops costing anything).
        let mut moved_at = vec![true; points.len()];
        values.clear();
        values.resize(group.len(), 0.0);
        for _ in 0..params.share_rounds {
            for ((&i, &k), w) in group.iter().zip(&own).zip(values.iter_mut()) {
                if moved_at[k] {
                    *w = params.garbled_probability_from_logit(
                        logits[k],
                        alpha,
                        cand(i).lctx + heads[i as usize],
                    );
                }
            }
            fader.sums(&values, &mut sums);
            let mut moved = 0.0f64;
            for k in 0..points.len() {
                let next = params.share_round(sums[k], counts[k].0, counted[k]);
                let by = (next - shares[k]).abs();
                moved = moved.max(by);
                moved_at[k] = by > 0.0;
                if moved_at[k] {
                    shares[k] = next;
                    logits[k] = logit(next);
                }
            }
            if moved < params.share_tolerance {
                break;
            }
        }
        for (&i, &k) in group.iter().zip(&own) {
            out[i as usize] = shares[k] as f32;
        }
    }
    out
}

/// The probability that pair `p` at point `t` of reading `r` is garbled
/// where its context log-ratio is `lctx`, and `share` of its occurrences
/// are (the counted share when `None`).
fn repair_probability(
    table: &Table,
    params: &Params,
    (r, priors): (&Reading, &TablePriors),
    (p, t): (usize, usize),
    share: Option<f64>,
    lctx: f64,
) -> f64 {
    let pair = &table.pairs[p];
    let (alpha, _) = calibration(params, pair);
    // The pair's evidence, if it has any observation.
    let llr = r.sums.slot_of(p).map(|s| r.sums.evidence(s, r.points[t]));
    let prior = priors.prior(table, params, r, (p, t), llr);
    let activity = params.pair_activity(prior, llr.unwrap_or(0.0));
    let share = share.unwrap_or_else(|| counted_share(table, params, r, p, t));
    params.repair_probability(activity, share, alpha, lctx)
}

/// The prior that a pair of an active family is in the table of the tool
/// at work, estimated per text (step 4 of the model in `model`): the
/// tools of one family differ in the size of their tables (one may change
/// 发展, 基础 and 服务 and leave 如果 and 工作 alone where another of the
/// family changes them too), so the family's other pairs that had a
/// chance in the text say whether this tool's table is a large one.
/// Each pair of the family with occurrences of either form near the point
/// counts with its probability of being at work, `σ(logit q + LLR_p)`; `q`
/// counts as [`Params::table_prior`] such pairs.
struct TablePriors {
    /// Per point and family: the sum of those probabilities, and the
    /// number of pairs.
    sums: Vec<[(f64, f64); FAMILIES.len()]>,
}

impl TablePriors {
    /// The per-point sums of reading `r` (none when `table_prior` is 0 or
    /// no family is active anywhere).
    fn new(table: &Table, params: &Params, r: &Reading) -> TablePriors {
        let mut sums = Vec::new();
        if params.table_prior > 0.0 && r.active.iter().any(|&a| a != 0) {
            sums = vec![[(0.0, 0.0); FAMILIES.len()]; r.points.len()];
            for (s, &k) in r.sums.keys().iter().enumerate() {
                let Some(pair) = table.pairs.get(k) else {
                    continue; // a mark kind
                };
                // The points in increasing order: no search.
                let mut cursor = 0;
                for (t, at) in sums.iter_mut().enumerate() {
                    let fams = pair.families & r.active[t];
                    if fams == 0 {
                        continue;
                    }
                    let llr = r.sums.evidence_from(s, r.points[t], &mut cursor);
                    let z = params.pair_activity(params.q, llr);
                    for f in families_of(fams) {
                        at[f].0 += z;
                        at[f].1 += 1.0;
                    }
                }
            }
        }
        TablePriors { sums }
    }

    /// The prior for pair `p` at point `t`, whose own evidence there is
    /// `llr` (`None` without an observation): from the other pairs of each
    /// active family of `p`, the largest.
    fn prior(
        &self,
        table: &Table,
        params: &Params,
        r: &Reading,
        (p, t): (usize, usize),
        llr: Option<f64>,
    ) -> f64 {
        let Some(at) = self.sums.get(t) else {
            return params.q;
        };
        let own = llr.map(|llr| params.pair_activity(params.q, llr));
        families_of(table.pairs[p].families & r.active[t])
            .map(|f| {
                let (sum, n) = at[f];
                match own {
                    Some(z) => params.table_prior(sum - z, n - 1.0),
                    None => params.table_prior(sum, n),
                }
            })
            .reduce(f64::max)
            .unwrap_or(params.q)
    }
}

/// Decides the repairs of `text`, sorted by position, never overlapping,
/// and returns whether it found a candidate (only then are the marks read);
/// `text` starts at `origin` of a longer text it is a window of (0 for a
/// text read whole). `marks` are the tools' marks counted from the start of
/// `text` (found before the punctuation layer repaired them), or `None` to
/// find them in `text` when a candidate needs them.
pub(crate) fn decide(
    table: &Table,
    params: &Params,
    (text, origin): (&str, usize),
    marks: Option<&Marks>,
    out: &mut Vec<Decision>,
    memo: &mut Memo,
) -> bool {
    let r = read(table, params, (text, origin), marks, false, memo);
    if r.kept.cands.is_empty() {
        return false;
    }
    // Both empty where no family is active anywhere: only the confirmed
    // candidates are repaired then, and neither is read.
    let heads = head_terms(table, params, text, &r);
    let shares = context_shares(table, params, &r, &heads);
    let priors = TablePriors::new(table, params, &r);
    let mut scorer = None;
    let mut found: Vec<Decision> = Vec::new();
    for (k, c) in r.kept.cands.iter().enumerate() {
        let share = shares.get(k).copied().unwrap_or(0.0);
        let head = heads.get(k).copied().unwrap_or(0.0);
        let pair = &table.pairs[c.pair];
        let active = if c.scored { r.active[c.point] } else { 0 };
        let weight = if c.confirmed {
            1.0
        } else if pair.families & active != 0 {
            repair_probability(
                table,
                params,
                (&r, &priors),
                (c.pair, c.point),
                (share > 0.0).then_some(f64::from(share)),
                c.lctx + head,
            )
        } else {
            0.0
        };
        if weight <= params.w_min {
            continue;
        }
        // The chain guard: would the original, standing here, be repaired
        // in turn (its clause's head weighed as its own decision weighs
        // it)?
        let mut blocked = false;
        for &q in &table.feeds[c.pair] {
            let next = &table.pairs[q];
            if next.protect.iter().any(|x| x.matches(text, c.start, c.end)) {
                continue;
            }
            if next.confirm.iter().any(|x| x.matches(text, c.start, c.end)) {
                blocked = true;
                break;
            }
            if c.scored && next.families & active != 0 {
                let s = scorer.get_or_insert_with(|| Scorer::new(CharLm::get()));
                let l = f64::from(s.ratio10_pair(text, c.start, c.end, (q, next), memo))
                    * std::f64::consts::LN_10
                    + head_term(params, next, text, c.end);
                if repair_probability(table, params, (&r, &priors), (q, c.point), None, l)
                    > params.w_min
                {
                    blocked = true;
                    break;
                }
            }
        }
        if blocked {
            continue;
        }
        found.push(Decision {
            start: c.start,
            end: c.end,
            pair: c.pair,
            family: pair.family_for(active),
            confirmed: c.confirmed,
            weight,
        });
    }
    // One repair per place: the heaviest of the pairs sharing a garbled form.
    found.sort_by(|a, b| a.start.cmp(&b.start).then(b.weight.total_cmp(&a.weight)));
    let mut end = 0;
    for d in found {
        if d.start >= end {
            end = d.end;
            out.push(d);
        }
    }
    true
}

/// Per family, the largest breadth at any point of `text` (every family
/// considered): what [`Params::breadth_floor`] is measured from.
pub(crate) fn breadth_maxima(table: &Table, params: &Params, text: &str) -> [f64; FAMILIES.len()] {
    let marks = Marks::find(text);
    let r = read(
        table,
        params,
        (text, 0),
        Some(&marks),
        true,
        &mut Memo::default(),
    );
    let mut most = [0.0f64; FAMILIES.len()];
    let mut column = Vec::new();
    let mut cursors = vec![0; r.sums.keys().len()];
    for t in 0..r.points.len() {
        slot_column(table, params, &r, t, &mut cursors, &mut column);
        for (m, b) in most.iter_mut().zip(family_sums(column.iter().copied()).1) {
            *m = m.max(b);
        }
    }
    most
}

/// The evidence in `text`, for [`crate::diagnose`].
pub(crate) fn diagnose(table: &Table, params: &Params, text: &str, marks: &Marks) -> Diagnosis {
    let r = read(
        table,
        params,
        (text, 0),
        Some(marks),
        true,
        &mut Memo::default(),
    );
    let k = r.points.len();
    let mut families = Vec::new();
    // The score: the strongest family at its strongest point, relative to
    // its threshold; an active family scores at least 0.5.
    let mut best_margin = params.margin(r.base, 1.0);
    for t in 0..k {
        for (f, &x) in r.evidence[t].iter().enumerate() {
            let mut m = params.margin(x, params.threshold[f]);
            if r.active[t] & (1 << f) != 0 {
                m = m.max(0.0);
            }
            best_margin = best_margin.max(m);
        }
    }
    for (f, &name) in FAMILIES.iter().enumerate() {
        // The point where the family is strongest.
        let best = (0..k).max_by(|&a, &b| r.evidence[a][f].total_cmp(&r.evidence[b][f]));
        let strength = best.map_or(r.base, |t| r.evidence[t][f]);
        let active = r.active.iter().any(|a| a & (1 << f) != 0);
        let mut pairs = Vec::new();
        // The family's breadth there, before its floor.
        let mut breadth = 0.0;
        for (s, &p) in r.sums.keys().iter().enumerate() {
            let llr = best.map_or(0.0, |t| r.sums.evidence(s, r.points[t]));
            let Some(pair) = table.pairs.get(p) else {
                let m = &MARK_KINDS[p - table.pairs.len()];
                if m.family == f {
                    let n = marks.kinds()[p - table.pairs.len()].len();
                    pairs.push(PairEvidence::new(
                        m.names.0,
                        m.names.1,
                        n,
                        0,
                        0,
                        mark_value(params, m, llr),
                    ));
                }
                continue;
            };
            if pair.families & (1 << f) == 0 {
                continue;
            }
            breadth += params.breadth_part(llr);
            let (_, floor) = calibration(params, pair);
            pairs.push(PairEvidence::new(
                &pair.garbled,
                &pair.original,
                r.kept.garbled[p] as usize,
                r.kept.originals[p] as usize,
                r.kept.confirmed[p] as usize,
                params.gate_value(llr, floor),
            ));
        }
        if pairs.is_empty() {
            continue;
        }
        pairs.sort_by(|a, b| {
            b.strength()
                .total_cmp(&a.strength())
                .then(b.occurrences().cmp(&a.occurrences()))
        });
        families.push(FamilyEvidence::new(
            name,
            active,
            (
                strength,
                params.threshold[f],
                params.breadth_value(breadth, f),
            ),
            pairs,
        ));
    }
    families.sort_by(|a, b| {
        b.is_active()
            .cmp(&a.is_active())
            .then((b.strength() - b.threshold()).total_cmp(&(a.strength() - a.threshold())))
    });
    Diagnosis::new(params.score(best_margin), families)
}

/// The tokens around a place: `left[..nl]` before it, nearest first, and
/// `right[..nr]` after it. The language model's ratio at a place depends on
/// these and the two forms only.
#[derive(Clone, Copy, Debug)]
struct Context {
    left: [Token; MAX_SIDE],
    nl: usize,
    right: [Token; MAX_SIDE],
    nr: usize,
}

/// The context ratios computed during one repair, by pair number and
/// context: the pipeline reads a repaired text again (a second pass finds
/// whether anything is left to do), and every place away from the repairs
/// reads as before. Results only, so the same whether found here or
/// computed anew; at most [`Memo::MAX`] entries (32 bytes each: about
/// 4 MB when full).
#[derive(Debug, Default)]
pub(crate) struct Memo {
    map: std::collections::HashMap<[u64; 3], f32>,
}

impl Memo {
    /// At most this many entries.
    const MAX: usize = 1 << 16;

    /// Makes room for `n` more entries, as far as [`Memo::MAX`] allows.
    fn reserve(&mut self, n: usize) {
        self.map
            .reserve(n.min(Memo::MAX.saturating_sub(self.map.len())));
    }

    /// The key of pair number `p` in context `ctx`: the pair and the two
    /// lengths, then the tokens of each side, sixteen bits each; `None`
    /// when a side has more than four tokens (models of order above 5),
    /// whose places are not kept.
    fn key(p: usize, ctx: &Context) -> Option<[u64; 3]> {
        let pack = |side: &[Token]| {
            (side.len() <= 4).then(|| {
                side.iter()
                    .fold(0u64, |acc, t| (acc << 16) | u64::from(t.id()))
            })
        };
        Some([
            (p as u64) << 8 | (ctx.nl as u64) << 4 | ctx.nr as u64,
            pack(&ctx.left[..ctx.nl])?,
            pack(&ctx.right[..ctx.nr])?,
        ])
    }
}

/// Scores a place of the text read with the original form and with the
/// garbled one.
struct Scorer {
    lm: &'static CharLm,
    buf: Vec<Token>,
}

/// At most this many tokens of context on each side (the model's order is
/// at most 8).
const MAX_SIDE: usize = 8;

impl Scorer {
    fn new(lm: &'static CharLm) -> Scorer {
        Scorer {
            lm,
            buf: Vec::with_capacity(32),
        }
    }

    /// log10 of how much likelier `text` reads with `original` than with
    /// `garbled` at `start..end`: the log-probability of the form and the
    /// N − 1 tokens after it, given the N − 1 before it, minus the form's
    /// own probability, for each reading.
    fn ratio10(
        &mut self,
        text: &str,
        start: usize,
        end: usize,
        garbled: &str,
        original: &str,
    ) -> f32 {
        let alone = (self.alone(garbled), self.alone(original));
        self.ratio10_with(text, start, end, (garbled, original), alone)
    }

    /// [`ratio10`](Scorer::ratio10) of pair number `p`, `pair`, whose
    /// forms' own probabilities are computed once; a place whose context
    /// reads as one `memo` has seen for the pair is not scored again.
    fn ratio10_pair(
        &mut self,
        text: &str,
        start: usize,
        end: usize,
        (p, pair): (usize, &Pair),
        memo: &mut Memo,
    ) -> f32 {
        let alone = *pair
            .alone
            .get_or_init(|| (self.alone(&pair.garbled), self.alone(&pair.original)));
        let ctx = self.context(text, start, end);
        let forms = (&*pair.garbled, &*pair.original);
        let Some(key) = Memo::key(p, &ctx) else {
            return self.ratio_in(&ctx, forms, alone);
        };
        if memo.map.len() >= Memo::MAX {
            let kept = memo.map.get(&key).copied();
            return kept.unwrap_or_else(|| self.ratio_in(&ctx, forms, alone));
        }
        // The key is hashed once, found or not.
        *memo
            .map
            .entry(key)
            .or_insert_with(|| self.ratio_in(&ctx, forms, alone))
    }

    /// log10 P(`form` alone).
    fn alone(&mut self, form: &str) -> f32 {
        let buf = &mut self.buf;
        buf.clear();
        self.lm.encode_into(form, buf);
        self.lm.log10_span(buf, 0, buf.len())
    }

    /// [`ratio10`](Scorer::ratio10) with the forms (garbled, original) and
    /// their own log10 probabilities.
    fn ratio10_with(
        &mut self,
        text: &str,
        start: usize,
        end: usize,
        forms: (&str, &str),
        alone: (f32, f32),
    ) -> f32 {
        let ctx = self.context(text, start, end);
        self.ratio_in(&ctx, forms, alone)
    }

    /// The tokens around `start..end`: up to N − 1 before it (nearest
    /// first) and after it, each side ending at a line break or with a
    /// boundary at the end of the text.
    fn context(&self, text: &str, start: usize, end: usize) -> Context {
        let n1 = (self.lm.order() - 1).min(MAX_SIDE);
        let mut left = [Token::UNK; MAX_SIDE];
        let mut nl = 0;
        let mut hit_start = true;
        for ch in text[..start].chars().rev() {
            if nl == n1 {
                hit_start = false;
                break;
            }
            if ch == '\n' {
                break;
            }
            if let Some(t) = self.lm.encode(ch) {
                left[nl] = t;
                nl += 1;
            }
        }
        if nl < n1 && hit_start {
            left[nl] = Token::BOUNDARY;
            nl += 1;
        }
        let mut right = [Token::UNK; MAX_SIDE];
        let mut nr = 0;
        let mut hit_end = true;
        for ch in text[end..].chars() {
            if nr == n1 {
                hit_end = false;
                break;
            }
            if ch == '\n' {
                break;
            }
            if let Some(t) = self.lm.encode(ch) {
                right[nr] = t;
                nr += 1;
            }
        }
        if nr < n1 && hit_end {
            right[nr] = Token::BOUNDARY;
            nr += 1;
        }
        Context {
            left,
            nl,
            right,
            nr,
        }
    }

    /// The ratio of the forms (garbled, original) in context `ctx`.
    fn ratio_in(
        &mut self,
        ctx: &Context,
        (garbled, original): (&str, &str),
        (alone_garbled, alone_original): (f32, f32),
    ) -> f32 {
        let (left, right) = (&ctx.left[..ctx.nl], &ctx.right[..ctx.nr]);
        let with = self.reading(left, original, right, alone_original);
        let without = self.reading(left, garbled, right, alone_garbled);
        with - without
    }

    /// log10 P(form + right | left) − log10 P(form alone), given the latter.
    fn reading(&mut self, left_rev: &[Token], form: &str, right: &[Token], alone: f32) -> f32 {
        let buf = &mut self.buf;
        buf.clear();
        buf.extend(left_rev.iter().rev());
        let from = buf.len();
        self.lm.encode_into(form, buf);
        buf.extend_from_slice(right);
        self.lm.log10_span(buf, from, buf.len()) - alone
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        /// [`flattened`] counts the full-width marks as a count of the
        /// characters would.
        #[test]
        fn flattened_counts_full_width_marks(
            text in "[中，；：、。！,a\u{FF0B}\u{FF1C}]{0,80}",
            ascii in 0usize..40,
        ) {
            let wide = text.chars().filter(|c| matches!(c, '，' | '；' | '：')).count();
            proptest::prop_assert_eq!(flattened(&text, ascii), ascii >= 2 && ascii > 8 * wide);
        }

        #[test]
        fn marks_by_bytes_match_marks_by_chars(
            text in "[中文“”〝〞〟〔〕（）,;:，；：。\n a1😀]{0,60}",
        ) {
            let (a, b) = (Marks::find(&text), Marks::find_by_chars(&text));
            proptest::prop_assert_eq!(
                (a.quotes, a.brackets, a.deleted_quotes, a.flattened),
                (b.quotes, b.brackets, b.deleted_quotes, b.flattened)
            );
        }
    }

    /// The marks the form search gathers ([`MarkScan`]) in `text`, with
    /// `table`'s search.
    fn scanned_marks(table: &Table, text: &str) -> Marks {
        let mut scan = MarkScan::default();
        find(table, text, |found| {
            if let Found::Mark(i, k) = found {
                scan.see(text, i, k);
            }
        });
        scan.finish(text)
    }

    proptest::proptest! {
        /// The marks gathered by the form search are those of
        /// [`Marks::find`], forms and marks side by side.
        #[test]
        fn marks_of_the_search_match_marks_find(
            text in "[中文开展发根底效劳“”〝〞〟〔〕（）,;:，；：。\n a1😀]{0,60}",
        ) {
            let table = Table::builtin();
            proptest::prop_assert!(table.marks_fused);
            proptest::prop_assert_eq!(scanned_marks(&table, &text), Marks::find(&text));
        }
    }

    #[test]
    fn marks_of_the_search() {
        let table = Table::builtin();
        let text = "开展“平安生产月和“平安,根底:〔中文〕\n“效劳”〞";
        let m = scanned_marks(&table, text);
        assert_eq!(m, Marks::find(text));
        assert_eq!(m.deleted_quotes, vec![text.find("“平安,").unwrap()]);
        // A form that holds a mark's character would hide the mark: the
        // marks are then looked for in a pass of their own.
        let specs = super::super::table::parse("test", "开“展\t发展\tA\t-\t-\t-\n").unwrap();
        assert!(!Table::compile(specs.iter(), u8::MAX).marks_fused);
    }

    proptest::proptest! {
        /// The marks found given the punctuation layer's repairs are those
        /// found by running its scan.
        #[test]
        fn marks_given_the_repairs_are_the_marks(
            text in proptest::prop_oneof![
                "[中文“”〝〞〟〔〕（）,;:，；：。!?\n a1😀]{0,80}",
                mixed_text(),
            ],
        ) {
            let mut repaired = Marks::default();
            crate::punct::scan(&text, &mut PunctMarks(&mut repaired));
            let (a, b) = (Marks::find(&text), Marks::find_given(&text, repaired));
            proptest::prop_assert_eq!(
                (a.quotes, a.brackets, a.deleted_quotes, a.flattened),
                (b.quotes, b.brackets, b.deleted_quotes, b.flattened)
            );
        }
    }

    proptest::proptest! {
        /// Moved through the punctuation layer's repairs, the marks point
        /// at what the repairs made of them: `”` for a `〞`, `（` for a `〔`,
        /// the `“` opened again (or the `”` it was repaired to).
        #[test]
        fn marks_follow_the_punctuation_repairs(
            text in proptest::prop_oneof![
                "[中文“”〝〞〟〔〕（）,;:，；：。!?\n a1😀]{0,80}",
                mixed_text(),
            ],
        ) {
            let mut marks = Marks::find(&text);
            let mut found = Vec::new();
            crate::punct::scan(&text, &mut found);
            let repaired = crate::patch::apply(&text, &found);
            let moved: Vec<_> = found
                .iter()
                .filter(|p| p.after.len() != p.end - p.start)
                .map(|p| (p.start, p.end, p.after.len()))
                .collect();
            marks.shift(&moved);
            proptest::prop_assert!(
                marks.point_at_repairs(&repaired),
                "{:?} → {:?}: {:?}",
                text,
                repaired,
                marks
            );
        }
    }

    #[test]
    fn marks_move_with_the_edits() {
        let mut marks = Marks {
            quotes: vec![5, 20],
            brackets: vec![10],
            deleted_quotes: vec![0, 30],
            flattened: true,
        };
        // 1 byte made 3; 4..7 replaced by 3 bytes (a mark inside moves to
        // its start); 2 bytes inserted at 20 (a mark there moves with the
        // text after); 3 bytes removed at 25.
        marks.shift(&[(1, 2, 3), (4, 7, 3), (20, 20, 2), (25, 28, 0)]);
        assert_eq!(marks.quotes, [6, 24]);
        assert_eq!(marks.brackets, [12]);
        assert_eq!(marks.deleted_quotes, [0, 31]);
        let w = marks.window(5, 24);
        assert_eq!(
            (w.quotes, w.brackets, w.deleted_quotes),
            (vec![1], vec![7], vec![])
        );
        assert!(w.flattened);
    }

    /// Texts of table forms, context words and the tools' marks.
    fn mixed_text() -> impl proptest::strategy::Strategy<Value = String> {
        use proptest::strategy::Strategy;
        const TOKENS: [&str; 43] = [
            "开展", "发展", "根底", "基础", "效劳", "服务", "平安", "安全", "局部", "部分", "那么",
            "则", "力量", "能力", "进展", "比拟", "到达", "缺乏", "鼓励", "根本", "〞", "“", "”",
            "〔", "〕", ",", "，", "。", "工作", "经济", "的", "在此", "上", "持续", "健康", "\n",
            "体系", "事务", "言语", "技能", "完结", "才能", "管理",
        ];
        proptest::collection::vec(proptest::sample::select(&TOKENS[..]), 0..120)
            .prop_map(|v| v.concat())
    }

    /// Texts of the inputs of the lexicon cases (`tests/data/lexicon.toml`:
    /// garbled and correct sentences of every family), a few joined.
    fn case_texts() -> impl proptest::strategy::Strategy<Value = String> {
        use proptest::strategy::Strategy;
        let cases: toml::Table = include_str!("../../tests/data/lexicon.toml")
            .parse()
            .expect("tests/data/lexicon.toml parses");
        let inputs: Vec<String> = cases["case"]
            .as_array()
            .expect("cases")
            .iter()
            .filter_map(|c| c.get("input")?.as_str().map(str::to_owned))
            .collect();
        const SEPS: [&str; 3] = ["", "\n", "。"];
        proptest::collection::vec(
            (
                proptest::sample::select(inputs),
                proptest::sample::select(&SEPS[..]),
            ),
            1..6,
        )
        .prop_map(|v| v.into_iter().map(|(t, sep)| t + sep).collect())
    }

    /// The families active at a point where pair `picks[k].0` (modulo the
    /// table's size) shows `picks[k].2` of its bound `picks[k].1` (with an
    /// occurrence in a confirming context where `picks[k].3`), and
    /// `marks_n[k]` marks of kind `k` show `mark_fade` of theirs, that
    /// [`possible_families`] does not count possible: none, if it is a
    /// bound.
    fn beyond_the_bound(
        picks: &[(usize, f64, f64, bool)],
        marks_n: &[usize],
        flattened: bool,
        mark_fade: f64,
    ) -> u8 {
        let (table, params) = (Table::builtin(), Params::default());
        let n = table.pairs.len();
        let mut chosen: Vec<(usize, f64, f64, bool)> =
            picks.iter().map(|&(p, m, f, c)| (p % n, m, f, c)).collect();
        chosen.sort_by_key(|c| c.0);
        chosen.dedup_by_key(|c| c.0);
        let seen: Vec<usize> = chosen.iter().map(|c| c.0).collect();
        let most: Vec<f64> = chosen.iter().map(|c| c.1).collect();
        let mut confirmed = vec![0u32; n];
        for c in &chosen {
            confirmed[c.0] = u32::from(c.3);
        }
        let base = if flattened {
            params.flattened_evidence
        } else {
            0.0
        };
        let mut bound = [base; FAMILIES.len()];
        let mut slots = Vec::new();
        for (m, &count) in MARK_KINDS.iter().zip(marks_n) {
            bound[m.family] += mark_value(&params, m, count as f64);
            if count > 0 {
                slots.push(Slot {
                    families: 1 << m.family,
                    value: mark_value(&params, m, count as f64 * mark_fade),
                    single: false,
                    breadth: 0.0,
                    mark: true,
                    confirmed: false,
                });
            }
        }
        for &(p, most, fade, confirmed) in &chosen {
            let (_, floor) = calibration(&params, &table.pairs[p]);
            let llr = most * fade;
            slots.push(Slot {
                families: table.pairs[p].families,
                value: params.gate_value(llr, floor),
                single: llr >= params.single_threshold(floor),
                breadth: params.breadth_part(llr),
                mark: false,
                confirmed,
            });
        }
        let possible = possible_families(
            &table,
            &params,
            (&seen, &confirmed, &most),
            &bound,
            false,
            &mut Vec::new(),
        );
        let all = (1u8 << FAMILIES.len()) - 1;
        let (active, _) = active_families(&params, &slots, base, all);
        active & !possible
    }

    proptest::proptest! {
        /// [`possible_families`] over-approximates: whatever each pair and
        /// mark kind shows at a point, at most its bound, the families
        /// active there are possible ones (single activation, seconding,
        /// breadth and marks included).
        #[test]
        fn possible_families_bound_every_point(
            picks in proptest::collection::vec(
                (0usize..10_000, 0.0f64..60.0, 0.0f64..=1.0, proptest::bool::ANY),
                1..10,
            ),
            marks_n in proptest::collection::vec(0usize..3, MARK_KINDS.len()),
            flattened: bool,
            mark_fade in 0.0f64..=1.0,
        ) {
            proptest::prop_assert_eq!(beyond_the_bound(&picks, &marks_n, flattened, mark_fade), 0);
        }
    }

    /// Two cases the property test found when the seconding of the bound
    /// was loosened (by a second pair with a value; by flattened
    /// punctuation), kept so that they are always tried.
    #[test]
    fn possible_families_seconding_cases() {
        let two_pairs = [
            (1277, 2.100082194478081, 0.9284373656745976, true),
            (7749, 33.18068445048022, 0.5569851882221218, true),
        ];
        assert_eq!(beyond_the_bound(&two_pairs, &[0, 0, 0], false, 0.0), 0);
        let flattened = [(1713, 35.826711733917826, 0.8137385257197483, false)];
        assert_eq!(beyond_the_bound(&flattened, &[0, 0, 0], true, 0.0), 0);
    }

    /// Whether `r` found a family active somewhere.
    fn any_active(r: &Reading) -> bool {
        r.active.iter().any(|&a| a != 0)
    }

    proptest::proptest! {
        /// The shortcut of [`refine`] is exact: where it stops the reading,
        /// the full reading (every family, every candidate scored) finds no
        /// family active anywhere; elsewhere both find one or neither.
        #[test]
        fn refine_stops_only_where_nothing_is_active(
            text in proptest::prop_oneof![mixed_text(), case_texts()],
        ) {
            let (table, params) = (Table::builtin(), Params::default());
            let r = read(&table, &params, (&text, 0), None, false, &mut Memo::default());
            let marks = Marks::find(&text);
            let full = read(&table, &params, (&text, 0), Some(&marks), true, &mut Memo::default());
            proptest::prop_assert_eq!(any_active(&r), any_active(&full), "{:?}", text);
            if r.refined {
                proptest::prop_assert!(!any_active(&full), "{:?}", text);
                proptest::prop_assert!(r.kept.cands.iter().all(|c| !c.scored));
            }
        }
    }

    thread_local! {
        /// Whether [`by_region`] cuts no regions (to compare).
        pub(super) static NO_REGIONS: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
        /// The regions [`by_region`] cut: (open, all), one entry a reading.
        pub(super) static REGIONS_OPEN: std::cell::RefCell<Vec<(usize, usize)>> =
            const { std::cell::RefCell::new(Vec::new()) };
    }

    /// The public-domain work reports of the benchmark corpus: 214 KB,
    /// about 24 decay lengths.
    const REPORTS: &str = include_str!("../../benches/corpora/gov_work_reports_2012_2015.txt");

    /// `text` with family A's tool run over the characters `from..to`.
    fn garble_part(text: &str, from: usize, to: usize) -> String {
        let chars: Vec<char> = text.chars().collect();
        let mut part: String = chars[from..to].iter().collect();
        for (original, garbled) in [
            ("发展", "开展"),
            ("基础", "根底"),
            ("服务", "效劳"),
            ("安全", "平安"),
            ("比较", "比拟"),
            ("部分", "局部"),
        ] {
            part = part.replace(original, garbled);
        }
        let head: String = chars[..from].iter().collect();
        let tail: String = chars[to..].iter().collect();
        head + &part + &tail
    }

    /// The decisions of `text` read alone.
    fn decisions(table: &Table, params: &Params, text: &str) -> Vec<Decision> {
        let mut out = Vec::new();
        decide(
            table,
            params,
            (text, 0),
            None,
            &mut out,
            &mut Memo::default(),
        );
        out
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(12))]
        /// Texts of 60–160 KB of the reports' paragraphs, some of them
        /// garbled, in any order: the same decisions with regions and
        /// without.
        #[test]
        fn regions_change_no_decision_in_mixed_text(
            picks in proptest::collection::vec((0usize..1000, proptest::bool::weighted(0.05)), 100..250),
        ) {
            proptest::prop_assume!(picks.iter().any(|p| p.1));
            let (table, params) = (Table::builtin(), Params::default());
            let paragraphs: Vec<&str> = REPORTS.lines().filter(|l| l.len() > 300).collect();
            let mut text = String::new();
            for (k, garbled) in picks {
                let p = paragraphs[k % paragraphs.len()];
                if garbled {
                    text += &garble_part(p, 0, p.chars().count());
                } else {
                    text += p;
                }
                text.push('\n');
            }
            REGIONS_OPEN.with_borrow_mut(Vec::clear);
            let with = decisions(&table, &params, &text);
            let cut = REGIONS_OPEN.with_borrow_mut(std::mem::take);
            NO_REGIONS.set(true);
            let without = decisions(&table, &params, &text);
            NO_REGIONS.set(false);
            proptest::prop_assert_eq!(with, without);
            // The garbled paragraphs keep a family possible: the regions
            // were cut.
            proptest::prop_assert_eq!(cut.len(), 1, "{} bytes", text.len());
        }
    }

    #[test]
    fn regions_skip_work_and_change_no_decision() {
        let (table, params) = (Table::builtin(), Params::default());
        let decide_ = |t: &str| decisions(&table, &params, t);
        let n = REPORTS.chars().count();
        let texts = [
            REPORTS.to_string(),
            garble_part(REPORTS, n / 2, n / 2 + 3000),
            garble_part(REPORTS, 0, 2000),
            garble_part(REPORTS, n - 2500, n),
        ];
        for (k, text) in texts.iter().enumerate() {
            REGIONS_OPEN.with_borrow_mut(Vec::clear);
            let with = decide_(text);
            let cut = REGIONS_OPEN.with_borrow_mut(std::mem::take);
            NO_REGIONS.set(true);
            let without = decide_(text);
            NO_REGIONS.set(false);
            assert_eq!(with, without, "text {k}");
            // The regions were cut, and closed some but not all where a part
            // is garbled (the correct text has every region closed).
            let &[(open, all)] = &cut[..] else {
                panic!("text {k}: one reading with regions, not {cut:?}")
            };
            assert!(all >= 20, "text {k}: {all} regions");
            if k == 0 {
                assert_eq!(open, 0, "the correct text leaves no region open");
            } else {
                assert!(0 < open && open < all / 2, "text {k}: {open} of {all} open");
                assert!(!with.is_empty(), "text {k}: the garbled part is repaired");
            }
        }
    }

    #[test]
    fn a_reading_leaves_its_vectors_to_the_next_unless_they_grew_large() {
        let (table, params) = (Table::builtin(), Params::default());
        let decide_ = |t: &str| decisions(&table, &params, t);
        let text = "在此根底上，推动经济社会健康持续开展，树立效劳意识，问题还比拟突出。";
        // On a fresh thread, nothing is left over.
        let fresh = std::thread::scope(|s| s.spawn(|| decide_(text)).join().unwrap());
        assert!(!fresh.is_empty());
        // After another text's reading, its vectors are reused, empty, and
        // read the same.
        decide_("各地积极开展工作，开展调研活动。我们不断提升服务水平。");
        let kept = Kept::take();
        assert!(kept.cands.capacity() > 0 && kept.garbled.capacity() > 0);
        assert!(kept.cands.is_empty() && kept.garbled.is_empty() && kept.seen.is_empty());
        KEPT.set(kept);
        assert_eq!(decide_(text), fresh);
        // A long text's vectors are dropped, not kept.
        decide_(&text.repeat(2000));
        let kept = Kept::take();
        assert!(
            kept.cands.capacity() <= crate::reuse::MOST
                && kept.orig_occ.capacity() <= crate::reuse::MOST
        );
    }

    #[test]
    fn refine_stops_on_correct_text_and_not_on_garbled() {
        let (table, params) = (Table::builtin(), Params::default());
        let read_ = |t: &str| read(&table, &params, (t, 0), None, false, &mut Memo::default());
        // One pair alone cannot make a family active without a second:
        // nothing is read.
        let alone = read_("我们开展了很多，大家也开展了不少。");
        assert!(!alone.refined && !any_active(&alone));
        assert!(alone.kept.cands.iter().all(|c| !c.scored));
        // Two pairs of family A could, until their contexts are read.
        let correct = "我们开展了很多工作，大家也开展了不少，这是根本问题。";
        let r = read_(correct);
        assert!(r.refined && !any_active(&r));
        let garbled = "推动经济社会健康持续开展，在此根底上进一步开展，\
                       树立效劳意识，抓好平安生产，效劳群众。";
        let r = read_(garbled);
        assert!(!r.refined && any_active(&r));
    }

    #[test]
    fn the_table_prior_follows_the_family_s_other_pairs() {
        let (table, params) = (Table::builtin(), Params::default());
        let pair = |g: &str, o: &str| {
            table
                .pairs
                .iter()
                .position(|p| &*p.garbled == g && &*p.original == o)
                .unwrap()
        };
        let assume = pair("假设", "如果");
        // Family A at work: 发展, 基础 and 服务 changed throughout.
        let tool = "推动经济社会健康持续开展，在此根底上进一步开展，树立效劳意识，\
                    效劳群众，加快开展方式转变，夯实开展根底，提高效劳水平。";
        // The prior for 假设 at the point of its occurrence, in a text with
        // `rest` after the tool's sentence.
        let prior = |rest: &str| {
            let text = format!("{tool}{rest}");
            let r = read(
                &table,
                &params,
                (&text, 0),
                None,
                false,
                &mut Memo::default(),
            );
            let c = r.kept.cands.iter().find(|c| c.pair == assume).unwrap();
            assert!(r.active[c.point] & 1 != 0, "family A is active");
            let llr = r
                .sums
                .slot_of(assume)
                .map(|s| r.sums.evidence(s, r.points[c.point]));
            TablePriors::new(&table, &params, &r).prior(&table, &params, &r, (assume, c.point), llr)
        };
        // 如果, 工作 and 使用 unchanged beside it: the tool's table is a
        // small one, and the prior falls below q.
        let small = prior("如果需要，假设您要升级，工作人员使用工具。如果不行，工作照常。");
        // Their originals changed too (假如 is not in family A): above q.
        let large = prior("假如需要，假设您要升级，任务人员运用工具。");
        assert!(small < params.q && params.q < large, "{small} {large}");
        // Nothing else of the family in the text: q itself, whatever the
        // pair's own evidence.
        let alone = Params::default();
        assert_eq!(alone.table_prior(0.0, 0.0), alone.q);
    }

    #[test]
    fn memo_gives_the_computed_ratio() {
        let table = Table::builtin();
        let p = table
            .pairs
            .iter()
            .position(|p| &*p.garbled == "开展" && &*p.original == "发展")
            .unwrap();
        let mut s = Scorer::new(CharLm::get());
        let mut memo = Memo::default();
        let texts = [
            "推动经济社会健康持续开展。",
            "认真开展工作",
            "开展",
            "\n开展\n",
            "持续开展",
            "续开展",
        ];
        for _ in 0..2 {
            for t in texts {
                let at = t.find("开展").unwrap();
                let fresh = s.ratio10(t, at, at + 6, "开展", "发展");
                let kept = s.ratio10_pair(t, at, at + 6, (p, &table.pairs[p]), &mut memo);
                assert_eq!(kept.to_bits(), fresh.to_bits(), "{t:?}");
            }
        }
        // One entry per distinct context: a line break reads as the start
        // and the end of the text, so `开展` and `\n开展\n` share one.
        assert_eq!(memo.map.len(), texts.len() - 1);
    }

    #[test]
    fn scorer_prefers_the_original_in_its_context() {
        let mut s = Scorer::new(CharLm::get());
        let t = "推动经济社会健康持续开展。";
        let at = t.find("开展").unwrap();
        assert!(s.ratio10(t, at, at + 6, "开展", "发展") > 1.0);
        let t = "认真开展工作";
        let at = t.find("开展").unwrap();
        assert!(s.ratio10(t, at, at + 6, "开展", "发展") < 0.0);
    }

    #[test]
    fn repeats_share_their_value() {
        let obs = |n: usize| {
            (0..n)
                .map(|k| Obs {
                    pos: k,
                    value: 1.0,
                    key: 0,
                    kind: Kind::Garbled,
                })
                .collect::<Vec<_>>()
        };
        let decay = 9000.0;
        // Three in one context a few bytes apart, one in another context,
        // two of another pair far apart.
        let mut repeats = vec![
            (0, 7, 0, 0),
            (0, 7, 30, 1),
            (0, 7, 60, 2),
            (0, 8, 90, 3),
            (1, 7, 0, 4),
            (1, 7, 200_000, 5),
        ];
        let mut o = obs(6);
        share_repeats(&mut repeats, decay, &mut o);
        let sum: f64 = o[..3].iter().map(|x| x.value).sum();
        assert!((sum - 1.0).abs() < 0.01, "{sum}");
        assert!(o[..3].iter().all(|x| x.value > 0.33 && x.value < 0.34));
        assert_eq!(o[3].value, 1.0);
        assert!(o[4..].iter().all(|x| x.value > 0.999 && x.value < 1.0));
    }

    #[test]
    fn a_repeated_phrase_is_one_observation() {
        let strength = |text: &str| {
            crate::diagnose(text)
                .families()
                .iter()
                .flat_map(|f| f.pairs())
                .find(|p| p.garbled() == "或许" && p.original() == "或者")
                .map(|p| p.strength())
                .unwrap()
        };
        let once = strength("他说或许明天会下雨。");
        let repeated = strength(&"他说或许明天会下雨。".repeat(4));
        let distinct = strength(
            "他说或许明天会下雨。我想或许今天能完成。你看或许后天再去吧。她觉得或许这样更好。",
        );
        assert!(once > 0.0);
        assert!((repeated - once).abs() < 0.05, "{repeated} {once}");
        assert!(distinct > 2.0 * repeated, "{distinct} {repeated}");
    }
}

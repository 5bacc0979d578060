//! The lexicon layer: words a rewrite tool swapped for near-synonyms
//! (推动经济社会健康持续开展 → 发展, 在此根底上 → 基础), decided by document
//! evidence and context.
//!
//! # How a text is read
//!
//! 1. **Candidates.** One leftmost-longest pass over every garbled and
//!    original form of the pair table (`search.rs`; `table.rs`, data in
//!    `data/lexicon/pairs.tsv`) finds the occurrences. Leftmost-longest means that at each place the longest
//!    form wins (经由过程, not 过程).
//! 2. **Context rules.** An occurrence in a `protect` context (平安校园,
//!    为敌人效劳, 无效劳动) is legitimate and never touched; one in a
//!    `confirm` context (在此根底上, 效劳意识) is repaired whatever the rest
//!    of the text says (`context.rs`).
//! 3. **Evidence.** The other occurrences are repaired only inside a tool
//!    family that the document shows to be active: the character language
//!    model ([`crate::lm`]) compares each occurrence's context with the
//!    original and the garbled form; with the words' general frequencies and
//!    the counts of both forms this gives each pair a log-likelihood ratio
//!    that the tool is at work, which adds up per family with distance decay
//!    (a pair counts only beyond what correct text shows: its noise floor,
//!    measured on the clean corpus in `calibrate.rs`); each occurrence of an
//!    active family is then repaired when it is probably garbled, given its
//!    context, how its clause ends (`heads.rs`: 开展…工作 stays, 开展…规划
//!    reads 发展) and the share of the form's occurrences around it that
//!    read as garbled (`model.rs`, which describes the model and holds every
//!    parameter). The
//!    language model is only asked about pairs of families whose evidence
//!    could possibly reach their threshold.
//!
//! [`diagnose`](crate::diagnose) reports the same evidence without repairing
//! anything (`diagnosis.rs`).
//!
//! # Long texts
//!
//! Over a text of four decay lengths (36 KB) or more, once the families
//! are not ruled out for the text as a whole, the text is cut into regions
//! of about one decay length, each with its own bound on the evidence
//! (`regions.rs`): the points of a region where no family could be active
//! are not weighed, and when that is every region, nothing is decided. The
//! repairs are the same; a whole file of correct text costs about a tenth
//! less.
//!
//! A text of more than 2 MiB is repaired in windows: each decides the
//! repairs of about 1 MiB of the text (cut after a line break), reading 16
//! decay lengths (144 KB) more on each side, so that what it holds is a
//! window's occurrences, not the text's. Evidence fades with distance, so
//! a window decides nearly as the whole text would (a unit test compares
//! the two on 300 KB in windows of 48 KB: the same repairs); what is
//! counted over the whole text without fading (whether its punctuation was
//! flattened to ASCII) is counted per window. The diagnosis reads the
//! whole text.
//!
//! # Idempotence: chains and swaps
//!
//! Some forms are the original of one pair and the garbled form of another:
//! 把握←掌握 and 掌握←控制 (tool B), 展开←开展 (seo) and 开展←发展 (A), and
//! two pairs swap (特殊←特别 and 特别←特殊). Repairing 把握 to 掌握 must not
//! let the next pass turn that 掌握 into 控制. So before a repair g → o is
//! made, every pair o → o′ is asked whether it would repair the new o where
//! it stands: if its context confirms it, or its family is active and the
//! repair o → o′ would be made there, the repair g → o is withheld and the
//! text keeps g. (A protect context of o → o′ lets the repair through.) The
//! integration and property tests check `clean(clean(x)) == clean(x)`.

mod analyse;
mod calibrate;
mod context;
mod decay;
mod diagnosis;
mod heads;
mod model;
mod regions;
mod search;
mod table;

use std::sync::Arc;

pub(crate) use self::analyse::{Marks, Memo, Shift};
pub(crate) use self::calibrate::{breadth, calibrate};
pub use self::diagnosis::{Diagnosis, FamilyEvidence, PairEvidence};
pub(crate) use self::heads::table as heads_table;
pub(crate) use self::model::FAMILIES;
pub(crate) use self::table::{BUILTIN, Table, parse as parse_rules};

use crate::edit::Layer;
use crate::patch::{Patch, Sink};

/// Builds the default pair table from the embedded files without any of
/// the caches (what first use costs), and indexes the clause-head table
/// (which the first text with an active family sets up); returns the
/// number of pairs of both.
pub(crate) fn load_uncached() -> usize {
    let specs = table::parse(table::BUILTIN_SOURCE, table::PAIRS_TSV)
        .expect("data/lexicon/pairs.tsv is valid");
    Table::compile_with(specs.iter(), u8::MAX, &table::WordData::parse())
        .pairs
        .len()
        + heads::load_uncached()
}

/// How much evidence a repair by the lexicon layer needs: set with
/// [`FixerBuilder::evidence`](crate::FixerBuilder::evidence).
///
/// A repair in a confirm context (在此根底上) is made at every level; the
/// levels differ in what the rest of the document must show before an
/// ambiguous occurrence (开展, 鼓励机制) is repaired.
///
/// Default: [`Evidence::Default`].
///
/// # Example
///
/// With [`Evidence::SelfEvident`] each clause is judged on its own words:
///
/// ```
/// use zhfix::{Evidence, Fixer};
///
/// let fixer = Fixer::builder().evidence(Evidence::SelfEvident).build().unwrap();
/// assert_eq!(fixer.clean("在此根底上，树立效劳意识"), "在此基础上，树立服务意识");
/// assert_eq!(fixer.clean("健全鼓励机制"), "健全鼓励机制");
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Evidence {
    /// Only repairs made self-evident by their context (在此根底上,
    /// 效劳器). No document evidence is used, so the result for a sentence
    /// does not depend on the rest of the text.
    SelfEvident,
    /// Family thresholds raised by 4 and a repair probability of 0.9:
    /// fewer repairs, fewer risks.
    Strict,
    /// The measured balance: on the project's garbled evaluation documents
    /// 0.98 (synthetic) to 0.99 (real) of the word repairs are right and
    /// 0.92 (synthetic) and 0.78 (real) of the substitutions are found, with
    /// no false word edit on its 7 million characters of correct text.
    #[default]
    Default,
    /// Family thresholds lowered by 2 and a repair probability of 0.7:
    /// more repairs in weakly garbled text, more false edits.
    Lenient,
}

/// The configured layer: a compiled table and the model parameters.
#[derive(Clone, Debug)]
pub(crate) struct Lexicon {
    table: Arc<Table>,
    params: model::Params,
}

impl Lexicon {
    pub(crate) fn new(table: Arc<Table>, evidence: Evidence) -> Lexicon {
        Lexicon {
            table,
            params: model::Params::for_evidence(evidence),
        }
    }

    /// Whether the layer counts the tools' marks ([`Marks`]) as evidence:
    /// the pipeline then finds them before the punctuation layer repairs
    /// them, and passes them to [`scan`](Lexicon::scan).
    pub(crate) fn reads_marks(&self) -> bool {
        self.params.use_evidence
    }

    /// Pushes the repairs of `text` to `out`. `marks` are the text's marks
    /// as found before the punctuation layer repaired them (positions moved
    /// to this text), or `None` to find them in `text`. `memo` keeps
    /// context ratios between the passes of one repair. Returns whether
    /// the marks were read: only when a candidate was found.
    ///
    /// A text longer than [`WHOLE_MAX`] is read in windows ([`windows`]),
    /// so that the reading holds a window's occurrences, not the text's.
    pub(crate) fn scan<'f>(
        &'f self,
        text: &str,
        marks: Option<&Marks>,
        out: &mut dyn Sink<'f>,
        memo: &mut Memo,
    ) -> bool {
        let push = |d: analyse::Decision| {
            let pair = &self.table.pairs[d.pair];
            let (plain, confirmed) = &pair.rule[d.family];
            let rule: &'f str = if d.confirmed { confirmed } else { plain };
            out.push(Patch::new(
                d.start,
                d.end,
                &*pair.original,
                Layer::Lexicon,
                rule,
            ));
        };
        if text.len() <= WHOLE_MAX {
            let mut decisions = Vec::new();
            let read = analyse::decide(
                &self.table,
                &self.params,
                (text, 0),
                marks,
                &mut decisions,
                memo,
            );
            decisions.into_iter().for_each(push);
            read
        } else {
            let margin = (MARGIN_DECAYS * self.params.decay) as usize;
            self.decide_in_windows(text, marks, (CORE, margin), memo, push)
        }
    }

    /// The repairs of `text` read in windows of `core` bytes, each with
    /// `margin` bytes more on each side ([`windows`]), passed to `each` in
    /// order as each window is read. `marks` are the whole text's, if
    /// found already. Returns whether a window found a candidate.
    fn decide_in_windows(
        &self,
        text: &str,
        marks: Option<&Marks>,
        (core, margin): (usize, usize),
        memo: &mut Memo,
        mut each: impl FnMut(analyse::Decision),
    ) -> bool {
        let mut part = Vec::new();
        let mut read = false;
        // The end of the last repair passed on.
        let mut done = 0;
        for w in windows(text, core, margin) {
            part.clear();
            let window_marks = marks.map(|m| m.window(w.lo, w.hi));
            read |= analyse::decide(
                &self.table,
                &self.params,
                (&text[w.lo..w.hi], w.lo),
                window_marks.as_ref(),
                &mut part,
                memo,
            );
            // The repairs that start in the core; none overlapping the last
            // one passed on (a form across the end of the previous core).
            for &d in &part {
                let mut d = d;
                d.start += w.lo;
                d.end += w.lo;
                if (w.start..w.end).contains(&d.start) && d.start >= done {
                    done = d.end;
                    each(d);
                }
            }
        }
        read
    }

    /// How garbled `text` looks (read whole, whatever its length).
    pub(crate) fn diagnose(&self, text: &str) -> Diagnosis {
        analyse::diagnose(&self.table, &self.params, text, &analyse::Marks::find(text))
    }
}

/// Texts up to this many bytes are read whole; longer ones in windows.
const WHOLE_MAX: usize = 2 << 20;

/// The bytes of text each window decides (its core), about.
const CORE: usize = 1 << 20;

/// How far, in decay lengths (`Params::decay`), a window reads beyond its
/// core on each side: what lies farther would count at most e^-16 (about
/// 10^-7) of what it counts at its place, so a window decides its core
/// nearly as the whole text would. Only nearly: what the text shows as a
/// whole and not per window (punctuation flattened to ASCII throughout) is
/// read per window.
const MARGIN_DECAYS: f64 = 16.0;

/// A window of a long text: it reads `lo..hi` and keeps the repairs that
/// start in `start..end` (byte offsets, on character boundaries).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Window {
    lo: usize,
    start: usize,
    end: usize,
    hi: usize,
}

/// The windows of `text`: cores of about `core` bytes, one after the
/// other, each ending after a line break where one comes within 64 KB,
/// read with `margin` bytes more on each side (to a line start likewise).
fn windows(text: &str, core: usize, margin: usize) -> Vec<Window> {
    let mut out = Vec::new();
    let mut start = 0;
    while start < text.len() {
        let end = cut(text, start + core.max(1));
        out.push(Window {
            lo: cut(text, start.saturating_sub(margin)).min(start),
            start,
            end,
            hi: cut(text, end + margin).max(end),
        });
        start = end;
    }
    out
}

/// The first line start within 64 KB at or after byte `p` of `text`, else
/// the first character boundary at or after `p`; the end of the text when
/// `p` is beyond it.
fn cut(text: &str, p: usize) -> usize {
    if p >= text.len() || p == 0 {
        return p.min(text.len());
    }
    let bytes = text.as_bytes();
    let look = &bytes[p - 1..text.len().min(p + (64 << 10))];
    match look.iter().position(|&b| b == b'\n') {
        Some(k) => p + k,
        None => (p..=text.len())
            .find(|&q| text.is_char_boundary(q))
            .expect("the end of the text is a boundary"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn windows_cover_the_text_once() {
        let text = "第一行文字。\n第二行，文字\n没有换行的很长一段文字文字文字文字文字文字\n末行";
        for core in [1, 5, 10, 30, 1000] {
            for margin in [0, 3, 20, 500] {
                let ws = windows(text, core, margin);
                assert_eq!(ws[0].start, 0);
                assert_eq!(ws.last().unwrap().end, text.len());
                for pair in ws.windows(2) {
                    assert_eq!(pair[0].end, pair[1].start, "{core} {margin}");
                }
                for w in &ws {
                    assert!(w.lo <= w.start && w.start < w.end && w.end <= w.hi);
                    assert!(w.hi <= text.len());
                    for b in [w.lo, w.start, w.end, w.hi] {
                        assert!(text.is_char_boundary(b), "{core} {margin} {w:?}");
                    }
                    // A core ends after a line break where one follows.
                    assert!(
                        w.end == text.len()
                            || text[..w.end].ends_with('\n')
                            || !text[w.end..].contains('\n'),
                        "{core} {margin} {w:?}"
                    );
                }
            }
        }
        assert!(windows("", 10, 10).is_empty());
    }

    /// A long text read in windows gets the repairs it gets read whole:
    /// the inputs of the lexicon cases (garbled and correct sentences of
    /// every family), repeated to some 300 KB, in windows of 48 KB.
    #[test]
    fn windows_decide_as_the_whole_text() {
        let cases: toml::Table = include_str!("../../tests/data/lexicon.toml")
            .parse()
            .expect("tests/data/lexicon.toml parses");
        let inputs: Vec<&str> = cases["case"]
            .as_array()
            .expect("cases")
            .iter()
            .filter_map(|c| c.get("input")?.as_str())
            .collect();
        let mut text = String::new();
        let mut k = 0;
        while text.len() < 300_000 {
            // Rotated, so that the windows do not all see the same text.
            text.push_str(inputs[k % inputs.len()]);
            text.push_str(if k % 7 == 0 { "\n\n" } else { "\n" });
            if k % 11 == 0 {
                // The tools' marks: 〞, 〔〕 and a closing quote deleted.
                text.push_str("他说“要加强〔含外来人口〕管理〞，又说“要抓好落实。\n");
            }
            k += 3;
        }
        let lexicon = Lexicon::new(Table::builtin(), Evidence::Default);
        let mut whole = Vec::new();
        analyse::decide(
            &lexicon.table,
            &lexicon.params,
            (&text, 0),
            None,
            &mut whole,
            &mut Memo::default(),
        );
        assert!(whole.len() > 1000, "{} repairs", whole.len());
        let margin = (MARGIN_DECAYS * lexicon.params.decay) as usize;
        // The windows find their marks, or are given the whole text's.
        let marks = Marks::find(&text);
        assert!(marks.has_positions());
        for given in [None, Some(&marks)] {
            let mut windowed = Vec::new();
            lexicon.decide_in_windows(
                &text,
                given,
                (48 << 10, margin),
                &mut Memo::default(),
                |d| windowed.push(d),
            );
            // The weights (which only choose between two pairs of one
            // form) may differ in their last digits; the repairs may not.
            let key = |d: &analyse::Decision| (d.start, d.end, d.pair, d.family, d.confirmed);
            let (a, b): (Vec<_>, Vec<_>) = (
                whole.iter().map(key).collect(),
                windowed.iter().map(key).collect(),
            );
            if let Some(k) = (0..a.len().min(b.len())).find(|&k| a[k] != b[k]) {
                panic!("repair {k}: whole {:?}, windowed {:?}", a[k], b[k]);
            }
            assert_eq!(a.len(), b.len());
        }
    }

    #[test]
    fn cut_prefers_line_starts() {
        let text = "甲乙\n丙丁";
        assert_eq!(cut(text, 0), 0);
        assert_eq!(cut(text, 1), "甲乙\n".len());
        assert_eq!(cut(text, "甲乙\n".len()), "甲乙\n".len());
        assert_eq!(
            cut(text, "甲乙\n丙".len() - 1),
            "甲乙\n丙".len(),
            "no line break after: the next character boundary"
        );
        assert_eq!(cut(text, 100), text.len());
        let one_line = "甲".repeat(30_000);
        assert_eq!(cut(&one_line, 4), 6, "the next character boundary");
    }
}

//! Clause heads: what the clause after an occurrence ends in.
//!
//! The language model reads three characters on each side of a word, and
//! a verb's object is often longer: 积极开展文化体制改革试点工作 keeps its
//! 开展 for the 工作 that ends the clause, twelve characters on, where
//! 积极发展文化 is what the model's window reads. So the last two
//! characters of the clause after a word (its *head*: the object phrase's
//! head noun, mostly) are counted in correct text after the garbled and
//! after the original form of every pair, and an occurrence of an active
//! pair is weighed by how much likelier its clause's head is after the
//! original (`data/lexicon/heads.tsv`): after 开展, clauses end in 活动,
//! 工作, 培训, 试点; after 发展, in 规划, 事业, 战略, 体系.
//!
//! Only the decision of each occurrence uses it ([`PairHeads::logit`]); the
//! evidence that makes a family active does not, so what correct text
//! shows (the noise floors, the breadth floors) is unchanged.

use std::collections::{HashMap, HashSet};
use std::sync::{LazyLock, OnceLock};

use super::context::BOUNDARY_MARKS;

/// The committed table, `data/lexicon/heads.tsv`.
const HEADS_TSV: &str = include_str!("../../data/lexicon/heads.tsv");

/// A clause is read at most this many characters after the word; a longer
/// run without a clause boundary has no head.
const MAX_CLAUSE: usize = 60;

/// The fewest characters a clause must have after the word to have a head
/// (a head is two characters). Short clauses are inside the language
/// model's window too; leaving out those of fewer than 3 or 5 characters
/// was tried and gave fewer right repairs and more false ones on the
/// synthetic documents (3,591/102 and 3,584/107 right/false repairs
/// against 3,598/100, measured with the first version of the weights).
const MIN_CLAUSE: usize = 2;

/// A head is listed when the two forms show it this many times together.
const MIN_COUNT: u32 = 4;

/// How many places of the pooled distribution (both forms' clauses
/// together) each form's head distribution is shrunk towards. Additive
/// smoothing (one count in a thousand heads) was used first: the same
/// figures on the evaluation documents within a few repairs, but a form
/// seen in few clauses then pushed hard for every head it never showed
/// (进程状态信息 → 过程状态信息 in a Debian manual page).
const SHRINK: f64 = 100.0;

/// The largest weight a pair's heads get: a larger slope comes from heads
/// that are nearly deterministic in the clean corpus, which would then
/// outweigh everything else in other text.
const MAX_WEIGHT: f64 = 2.0;

/// The most a head's log-ratio counts, either way (natural log).
const CLAMP: f64 = 3.0;

/// The head of the clause that starts at byte `end` of `text`: its last
/// two characters, when the clause (up to a clause boundary or line break,
/// spaces skipped) has at least [`MIN_CLAUSE`] and at most [`MAX_CLAUSE`]
/// characters and ends in two ideographs; `None` otherwise.
///
/// ```text
/// 积极开展文化体制改革试点工作，  →  工作 (after 开展)
/// 开展对话，                       →  对话
/// 蓬勃开展。                       →  None
/// ```
pub(crate) fn clause_head(text: &str, end: usize) -> Option<[char; 2]> {
    let mut last = ['\0'; 2];
    let mut n = 0usize;
    for ch in text.get(end..)?.chars() {
        if ch == '\n' || BOUNDARY_MARKS.contains(&ch) {
            break;
        }
        if ch.is_whitespace() {
            continue;
        }
        n += 1;
        if n > MAX_CLAUSE {
            return None;
        }
        last = [last[1], ch];
    }
    (n >= MIN_CLAUSE && last.iter().copied().all(crate::chars::is_han)).then_some(last)
}

/// Counts of clause heads after the two forms of a pair.
#[derive(Clone, Debug, Default)]
pub(crate) struct PairHeads {
    /// Clauses with a head after the garbled and after the original form.
    totals: (u32, u32),
    /// The listed heads' counts (garbled, original), sorted by head.
    heads: Vec<([char; 2], (u32, u32))>,
    /// How much the head's log-ratio says on text the counts did not come
    /// from: the logistic slope of the form on it (see [`count`]); 0 where
    /// it says nothing or was measured on too few places.
    weight: f64,
}

impl PairHeads {
    /// The natural-log ratio of `head` after the original against after the
    /// garbled form (each share shrunk towards the pooled one, clamped to
    /// ±[`CLAMP`]); 0 for a head the table does not list.
    fn log_ratio(&self, head: [char; 2]) -> f64 {
        let Ok(i) = self.heads.binary_search_by_key(&head, |e| e.0) else {
            return 0.0;
        };
        let (g, o) = self.heads[i].1;
        // Each form's share of the head, shrunk towards the share among
        // both forms' clauses by SHRINK places: a form seen in few clauses
        // (进程, 55) says little by never showing a head (信息).
        let pooled =
            (f64::from(g) + f64::from(o)) / f64::from((self.totals.0 + self.totals.1).max(1));
        let p = |n: u32, total: u32| (f64::from(n) + SHRINK * pooled) / (f64::from(total) + SHRINK);
        (p(o, self.totals.1).ln() - p(g, self.totals.0).ln()).clamp(-CLAMP, CLAMP)
    }

    /// What the head of the clause at `end` of `text` adds to the log-odds
    /// that the word there was the original: the pair's weight times the
    /// head's log-ratio (0 without a head or a listed count).
    pub(crate) fn logit(&self, text: &str, end: usize) -> f64 {
        if self.weight == 0.0 {
            return 0.0;
        }
        clause_head(text, end).map_or(0.0, |h| self.weight * self.log_ratio(h))
    }
}

/// One pair of the table: its forms, its `*` line's figures, and the text
/// of its head lines, parsed on first use.
#[derive(Debug)]
struct Entry<'a> {
    garbled: &'a str,
    original: &'a str,
    /// The whole table and where the `*` line starts in it: its line
    /// number, for messages, is counted only when one is needed (counting
    /// every pair's lines took most of the indexing).
    text: &'a str,
    at: usize,
    totals: (u32, u32),
    weight: f64,
    /// The head lines.
    body: &'a str,
    heads: OnceLock<Result<PairHeads, String>>,
}

/// The head counts of every pair the table lists, in the table's order.
/// Indexing the table finds each pair's `*` line (a search for `*`, some
/// tens of microseconds); a pair's heads (up to some thousands of lines for
/// 开展) are parsed when it is first asked about, so that a text pays for
/// the pairs it has.
#[derive(Debug, Default)]
pub(crate) struct HeadTable<'a> {
    pairs: Vec<Entry<'a>>,
}

/// The built-in table, indexed on first use.
pub(crate) static HEADS: LazyLock<HeadTable<'static>> = LazyLock::new(builtin);

/// Indexes the built-in table.
fn builtin() -> HeadTable<'static> {
    HeadTable::index(HEADS_TSV)
        .expect("data/lexicon/heads.tsv is well-formed (checked by a unit test)")
}

/// Indexes the built-in table without its cache (what first use costs);
/// returns its number of pairs.
pub(crate) fn load_uncached() -> usize {
    builtin().pairs.len()
}

/// The fields of a line: (garbled, original, head, n_garbled, n_original,
/// the weight of a `*` line).
type Fields<'a> = (&'a str, &'a str, &'a str, u32, u32, Option<&'a str>);

/// Splits a line of the table (`line_no` gives its number from 1, for
/// messages).
fn fields(line: &str, line_no: impl Fn() -> usize) -> Result<Fields<'_>, String> {
    let bad = |what: &str| format!("line {}: {what}: {line:?}", line_no());
    let mut f = line.split('\t');
    let (Some(g), Some(o), Some(head), Some(ng), Some(no)) =
        (f.next(), f.next(), f.next(), f.next(), f.next())
    else {
        return Err(bad("expected 5 TAB-separated fields (6 for `*`)"));
    };
    let weight = f.next();
    if f.next().is_some() || (head == "*") != weight.is_some() {
        return Err(bad("expected 5 TAB-separated fields (6 for `*`)"));
    }
    let ng = count_field(ng).ok_or_else(|| bad("n_garbled is not a count"))?;
    let no = count_field(no).ok_or_else(|| bad("n_original is not a count"))?;
    Ok((g, o, head, ng, no, weight))
}

/// The number (from 1) of the line of `text` that starts at byte `at`.
fn line_of(text: &str, at: usize) -> usize {
    1 + text.as_bytes()[..at]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
}

/// A count of the table: one to nine ASCII digits.
fn count_field(n: &str) -> Option<u32> {
    if n.is_empty() || n.len() > 9 || !n.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    Some(n.bytes().fold(0, |a, b| a * 10 + u32::from(b - b'0')))
}

impl<'a> HeadTable<'a> {
    /// Indexes a table in the format of `data/lexicon/heads.tsv`: `#`
    /// comment lines, then per pair its `*` line
    /// (`garbled<TAB>original<TAB>*<TAB>n_garbled<TAB>n_original<TAB>weight`)
    /// followed by its heads
    /// (`garbled<TAB>original<TAB>head<TAB>n_garbled<TAB>n_original`) in
    /// increasing order; each pair once. Checks the `*` lines and that
    /// nothing but comments comes before the first; the head lines are
    /// checked when their pair is parsed (the tests' `parse` checks them
    /// all).
    pub(crate) fn index(text: &'a str) -> Result<HeadTable<'a>, String> {
        let mut t = HeadTable::default();
        // `*` stands nowhere else (a head is two ideographs).
        let starts: Vec<usize> = text
            .match_indices('*')
            .filter(|&(at, _)| text[..at].ends_with('\t') && text[at + 1..].starts_with('\t'))
            .map(|(at, _)| text[..at].rfind('\n').map_or(0, |n| n + 1))
            .collect();
        let first = starts.first().copied().unwrap_or(text.len());
        let mut seen = HashSet::with_capacity(starts.len());
        if let Some((i, l)) = text[..first]
            .lines()
            .enumerate()
            .find(|(_, l)| !l.is_empty() && !l.starts_with('#'))
        {
            return Err(format!(
                "line {}: a head line before any `*` line: {l:?}",
                i + 1
            ));
        }
        for (k, &start) in starts.iter().enumerate() {
            let end = starts.get(k + 1).copied().unwrap_or(text.len());
            let (line, body) = text[start..end]
                .split_once('\n')
                .unwrap_or((&text[start..end], ""));
            let line_no = || line_of(text, start);
            let (g, o, head, ng, no, weight) = fields(line, line_no)?;
            let bad = |what: &str| format!("line {}: {what}: {line:?}", line_no());
            if head != "*" {
                return Err(bad("`*` in a field other than the head"));
            }
            let weight = weight
                .and_then(|w| w.parse::<f64>().ok())
                .filter(|w| w.is_finite() && *w >= 0.0)
                .ok_or_else(|| bad("the weight is not a number at least 0"))?;
            if !seen.insert((g, o)) {
                return Err(bad("the pair is given twice"));
            }
            t.pairs.push(Entry {
                garbled: g,
                original: o,
                text,
                at: start,
                totals: (ng, no),
                weight,
                body,
                heads: OnceLock::new(),
            });
        }
        Ok(t)
    }

    /// Indexes a table and parses every pair's heads: the first error.
    #[cfg(test)]
    pub(crate) fn parse(text: &'a str) -> Result<HeadTable<'a>, String> {
        let t = HeadTable::index(text)?;
        for e in &t.pairs {
            e.heads().as_ref().map_err(Clone::clone)?;
        }
        Ok(t)
    }

    /// The counts of the pair `garbled` → `original`, if listed.
    ///
    /// # Panics
    ///
    /// If the pair's head lines are malformed, which a unit test rules out
    /// for the built-in table.
    pub(crate) fn pair(&self, garbled: &str, original: &str) -> Option<&PairHeads> {
        let e = self
            .pairs
            .iter()
            .find(|e| e.garbled == garbled && e.original == original)?;
        Some(e.heads().as_ref().expect("a well-formed head table"))
    }
}

impl<'a> Entry<'a> {
    /// The pair's heads, parsed on first use.
    fn heads(&self) -> &Result<PairHeads, String> {
        self.heads.get_or_init(|| {
            let mut out = PairHeads {
                totals: self.totals,
                heads: Vec::new(),
                weight: self.weight,
            };
            for (i, line) in self.body.lines().enumerate() {
                let bad = |what: &str| {
                    let line_no = line_of(self.text, self.at) + 1 + i;
                    format!("line {line_no}: {what}: {line:?}")
                };
                if line.is_empty() || line.starts_with('#') {
                    return Err(bad("a blank or comment line among the heads"));
                }
                // The pair's forms, then `head<TAB>n_garbled<TAB>n_original`
                // (read without a general split: the first use of a pair
                // parses up to a few thousand of these).
                let rest = line
                    .strip_prefix(self.garbled)
                    .and_then(|r| r.strip_prefix('\t'))
                    .and_then(|r| r.strip_prefix(self.original))
                    .and_then(|r| r.strip_prefix('\t'));
                let Some(rest) = rest else {
                    return Err(bad("a head line not after its pair's `*` line"));
                };
                let split = |s: &'a str| {
                    let i = s.bytes().position(|b| b == b'\t')?;
                    Some((&s[..i], &s[i + 1..]))
                };
                let Some((head, (ng, no))) = split(rest).and_then(|(h, r)| Some((h, split(r)?)))
                else {
                    return Err(bad("expected 5 TAB-separated fields"));
                };
                let ng = count_field(ng).ok_or_else(|| bad("n_garbled is not a count"))?;
                let no = count_field(no).ok_or_else(|| bad("n_original is not a count"))?;
                let mut cs = head.chars();
                let (Some(a), Some(b), None) = (cs.next(), cs.next(), cs.next()) else {
                    return Err(bad("a head is two characters"));
                };
                if out.heads.last().is_some_and(|&(h, _)| h >= [a, b]) {
                    return Err(bad("heads out of order or repeated"));
                }
                if ng > out.totals.0 || no > out.totals.1 {
                    return Err(bad("a head counted more often than the totals"));
                }
                out.heads.push(([a, b], (ng, no)));
            }
            Ok(out)
        })
    }
}

/// A head is listed only when its log-ratio is at least this far from 0
/// (an unlisted head counts 0).
const MIN_LOG_RATIO: f64 = 0.1;

/// The fewest places of each form a pair's weight is measured on.
const MIN_PLACES: usize = 30;

/// The clause heads after each form of `pairs` in `lines`: per pair, each
/// place's (head, whether the form is the original).
fn places(pairs: &[(&str, &str)], lines: &[&str]) -> Vec<Vec<([char; 2], bool)>> {
    let mut out = vec![Vec::new(); pairs.len()];
    for (p, &(g, o)) in pairs.iter().enumerate() {
        for (form, original) in [(g, false), (o, true)] {
            for line in lines {
                for (at, _) in line.match_indices(form) {
                    if let Some(head) = clause_head(line, at + form.len()) {
                        out[p].push((head, original));
                    }
                }
            }
        }
    }
    out
}

/// The counts of `places`, keeping the heads seen [`MIN_COUNT`] times.
fn tally(places: &[([char; 2], bool)]) -> PairHeads {
    let mut all: HashMap<[char; 2], (u32, u32)> = HashMap::new();
    let mut totals = (0, 0);
    for &(h, original) in places {
        let e = all.entry(h).or_insert((0, 0));
        if original {
            e.1 += 1;
            totals.1 += 1;
        } else {
            e.0 += 1;
            totals.0 += 1;
        }
    }
    let mut heads: Vec<([char; 2], (u32, u32))> = all
        .into_iter()
        .filter(|&(_, (g, o))| g + o >= MIN_COUNT)
        .collect();
    heads.sort_unstable();
    PairHeads {
        totals,
        heads,
        weight: 0.0,
    }
}

/// Counts the clause heads after every pair's two forms in `texts` and
/// writes the table in the format of `data/lexicon/heads.tsv` (without its
/// header): for each pair in the order given, the totals and weight (`*`),
/// then, for a pair whose weight is not 0, each head the two forms show at
/// least [`MIN_COUNT`] times together whose log-ratio is at least
/// [`MIN_LOG_RATIO`] from 0, sorted.
///
/// The weight is measured by two-fold cross-validation: the lines, in
/// blocks of 100 per text, alternate between two halves; the heads counted
/// in one half score the places of the other, and the weight is the
/// logistic slope of the form (original or garbled) on those scores, the
/// two forms weighed equally as the calibration weighs them, pooled over
/// both halves: about 1 where the counts predict as well on
/// new text as on their own, less where they are noise. A pair with fewer
/// than [`MIN_PLACES`] places of either form, or a slope below 0.05, gets
/// 0 (and its heads are not listed); the weight is at most [`MAX_WEIGHT`].
pub(crate) fn count(pairs: &[(&str, &str)], texts: &[&str]) -> String {
    let mut halves: [Vec<&str>; 2] = [Vec::new(), Vec::new()];
    for text in texts {
        for (i, line) in text.lines().enumerate() {
            halves[(i / 100) % 2].push(line);
        }
    }
    let by_half = [places(pairs, &halves[0]), places(pairs, &halves[1])];
    let mut out = String::new();
    for (p, &(g, o)) in pairs.iter().enumerate() {
        let mut xy: Vec<(f64, f64)> = Vec::new();
        for h in 0..2 {
            let counts = tally(&by_half[h][p]);
            xy.extend(
                by_half[1 - h][p]
                    .iter()
                    .map(|&(head, y)| (counts.log_ratio(head), f64::from(u8::from(y)))),
            );
        }
        let n_o = xy.iter().filter(|x| x.1 > 0.5).count();
        let weight = if n_o < MIN_PLACES || xy.len() - n_o < MIN_PLACES {
            0.0
        } else {
            let b = super::calibrate::logistic_slope(&xy);
            if b < 0.05 { 0.0 } else { b.min(MAX_WEIGHT) }
        };
        let mut all = by_half[0][p].clone();
        all.extend_from_slice(&by_half[1][p]);
        let counts = tally(&all);
        let (tg, to) = counts.totals;
        out.push_str(&format!("{g}\t{o}\t*\t{tg}\t{to}\t{weight:.3}\n"));
        if weight == 0.0 {
            continue;
        }
        for (h, (ng, no)) in counts
            .heads
            .iter()
            .filter(|&&(h, _)| counts.log_ratio(h).abs() >= MIN_LOG_RATIO)
        {
            out.push_str(&format!("{g}\t{o}\t{}{}\t{ng}\t{no}\n", h[0], h[1]));
        }
    }
    out
}

/// The header of `data/lexicon/heads.tsv`.
const HEADER: &str = "\
# Clause heads after the two forms of each word pair, counted in correct text:
#   garbled<TAB>original<TAB>head<TAB>n_garbled<TAB>n_original
# head: the last two characters of the clause after the form (up to a clause
#   boundary ，。；：！？,;:!? or line break, spaces skipped), where the clause has
#   2 to 60 characters and ends in two ideographs (see src/lexicon/heads.rs);
#   `*` gives the pair's totals (clauses with a head after each form) and a sixth
#   field, its weight: the logistic slope of the form on the head's log-ratio,
#   counted on one half of the lines and measured on the other (both ways),
#   0 where it was measured on too few places or says nothing, at most 2.
#   Listed are the heads the two forms show at least 4 times together whose
#   log-ratio (see src/lexicon/heads.rs) is at least 0.1 from 0, for the pairs
#   whose weight is not 0.
# Source: ../shared/corpus/clean, without the lines that occur in the
#   evaluation documents (../shared/eval/synthetic, dev, ocr), so that the
#   figures measured there are on clauses the table never saw. Statistics
#   only: no text is copied.
# Generated, do not edit. Regenerate with:
#   ZHFIX_BLESS=1 cargo test --release --test integration heads -- --ignored
";

/// `data/lexicon/heads.tsv` for the built-in pairs counted in `texts`.
pub(crate) fn table(texts: &[&str]) -> String {
    let specs = super::table::parse(super::table::BUILTIN_SOURCE, super::table::PAIRS_TSV)
        .expect("data/lexicon/pairs.tsv is valid");
    let pairs: Vec<(&str, &str)> = specs
        .iter()
        .map(|s| (s.garbled.as_str(), s.original.as_str()))
        .collect();
    format!("{HEADER}{}", count(&pairs, texts))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn heads_of_clauses() {
        let t = "积极开展文化体制改革试点工作，大力开展对话。";
        let end = t.find("开展").unwrap() + "开展".len();
        assert_eq!(clause_head(t, end), Some(['工', '作']));
        let end = t.rfind("开展").unwrap() + "开展".len();
        assert_eq!(clause_head(t, end), Some(['对', '话']));
        assert_eq!(
            clause_head("蓬勃开展。", 12),
            None,
            "no clause after the word"
        );
        assert_eq!(clause_head("开展了，", 6), None, "one character");
        assert_eq!(clause_head("开展 蓝天 保卫战\n", 6), Some(['卫', '战']));
        assert_eq!(clause_head("开展“不忘初心”", 6), None, "ends in a quote");
        assert_eq!(clause_head("开展", 6), None);
        assert_eq!(clause_head("开展", 1), None, "not a character boundary");
    }

    #[test]
    fn builtin_table_parses_and_reads_the_heads() {
        HeadTable::parse(HEADS_TSV).expect("every line of the built-in table is well-formed");
        let kz = HEADS.pair("开展", "发展").expect("开展→发展 is listed");
        assert!(kz.weight > 0.3, "the heads predict 开展 against 发展");
        assert!(
            kz.log_ratio(['活', '动']) < -1.0,
            "活动 ends 开展's clauses"
        );
        assert!(kz.log_ratio(['规', '划']) > 1.0, "规划 ends 发展's clauses");
        assert_eq!(kz.log_ratio(['\u{3400}', '\u{3401}']), 0.0);
    }

    #[test]
    fn bad_tables_are_refused() {
        for bad in [
            "开展\t发展\t活动\t1\n",
            "开展\t发展\t*\t1\t1\n",
            "开展\t发展\t*\t1\t1\t-1\n",
            "开展\t发展\t活动\t1\t1\t1\n",
            "开展\t发展\t活\t1\t1\n",
            "开展\t发展\t活动\tx\t1\n",
            "开展\t发展\t*\t1\t1\t1\n开展\t发展\t活动\t2\t1\n",
            "开展\t发展\t*\t9\t9\t1\n开展\t发展\t活动\t2\t1\n开展\t发展\t活动\t2\t1\n",
            "开展\t发展\t*\t9\t9\t1\n开展\t发展\t活动\t2\t1\n开展\t发展\t工作\t2\t1\n",
            "开展\t发展\t活动\t2\t1\n开展\t发展\t*\t9\t9\t1\n",
            "开展\t发展\t*\t9\t9\t1\n根底\t基础\t*\t9\t9\t1\n开展\t发展\t活动\t2\t1\n",
            "开展\t发展\t*\t9\t9\t1\n开展\t发展\t*\t9\t9\t1\n",
            "开展\t发展\t*\t9\t9\t1\n开展\t发展\t活动\t2\t1\t1\n",
            "开展\t发展\t*\t9\t9\t1\n开展\t发展\t活动\t2\n",
            "开展\t发展\t*\t9\t9\t1\n开展\t发展\t活动\t2\t-1\n",
            "开展\t发展\t*\t9\t9\t1\n开展\t展开\t活动\t2\t1\n",
            "开展\t发展\t*\t+9\t9\t1\n",
            "开展\t发展\t*\t9\t9\t1\n开展\t发展\t活动\t+2\t1\n",
        ] {
            assert!(HeadTable::parse(bad).is_err(), "{bad:?}");
        }
        // The messages name the line, counted only when there is one.
        let table = "# a comment\n\n开展\t发展\t*\t9\t9\t1\n开展\t发展\t活动\t2\t1\n\
                     根底\t基础\t*\t9\t9\t1\n根底\t基础\t上来\t2\n";
        let err = HeadTable::parse(table).expect_err("line 6 has four fields");
        assert!(err.starts_with("line 6: "), "{err}");
        let err = HeadTable::parse("# c\n开展\t发展\t*\t9\t9\n").expect_err("no weight");
        assert!(err.starts_with("line 2: "), "{err}");
    }

    #[test]
    fn counting_finds_both_forms_and_weighs_them() {
        let line = "大力开展文化体制改革试点工作，推动发展战略和总体规划。\n";
        // Too few places to measure a weight: the totals alone.
        let out = count(&[("开展", "发展")], &[&line.repeat(4)]);
        assert_eq!(out, "开展\t发展\t*\t4\t4\t0.000\n");
        // 200 lines, two halves of 100: the heads predict the form
        // perfectly on the other half, so the weight is large.
        let out = count(&[("开展", "发展")], &[&line.repeat(200)]);
        let lines: Vec<&str> = out.lines().collect();
        let totals: Vec<&str> = lines[0].split('\t').collect();
        assert_eq!(totals[..5], ["开展", "发展", "*", "200", "200"]);
        assert!(totals[5].parse::<f64>().unwrap() > 1.0, "{out}");
        assert_eq!(
            lines[1..],
            ["开展\t发展\t工作\t200\t0", "开展\t发展\t规划\t0\t200"]
        );
        let table = HeadTable::parse(&out).unwrap();
        let p = table.pair("开展", "发展").unwrap();
        let t = "积极开展文化工作，";
        assert!(p.logit(t, t.find("开展").unwrap() + 6) < -2.0);
    }

    /// Texts of words, marks and spaces of the kinds clauses are made of.
    fn clauses() -> impl proptest::strategy::Strategy<Value = String> {
        use proptest::strategy::Strategy;
        const TOKENS: [&str; 22] = [
            "开展", "发展", "工作", "活动", "规划", "试点", "的", "和", "文化", "，", "。", "、",
            "“", "”", " ", "\n", "a", "1", "；", "建设", "战略", "体系",
        ];
        proptest::collection::vec(proptest::sample::select(&TOKENS[..]), 0..40)
            .prop_map(|v| v.concat())
    }

    proptest::proptest! {
        #[test]
        fn a_head_is_the_end_of_the_clause(text in clauses(), at in 0usize..200) {
            if let Some(h) = clause_head(&text, at) {
                let rest = &text[at..];
                let clause: String = rest
                    .split(|c: char| c == '\n' || BOUNDARY_MARKS.contains(&c))
                    .next()
                    .unwrap_or("")
                    .chars()
                    .filter(|c| !c.is_whitespace())
                    .collect();
                proptest::prop_assert!(clause.ends_with(&h.iter().collect::<String>()));
                proptest::prop_assert!(clause.chars().count() >= MIN_CLAUSE);
            }
        }

        #[test]
        fn counted_tables_parse_and_agree(lines in proptest::collection::vec(clauses(), 0..300)) {
            let text = lines.join("\n");
            let out = count(&[("开展", "发展"), ("工作", "活动")], &[&text]);
            let table = HeadTable::parse(&out).expect("what count writes parses");
            for (g, o) in [("开展", "发展"), ("工作", "活动")] {
                let p = table.pair(g, o).expect("every pair has its `*` line");
                let n = |form: &str| {
                    text.match_indices(form)
                        .filter(|&(at, _)| clause_head(&text, at + form.len()).is_some())
                        .count() as u32
                };
                proptest::prop_assert_eq!(p.totals, (n(g), n(o)));
            }
        }
    }
}

//! The numeric part of the lexicon layer: how context scores become
//! evidence, how evidence makes a tool family active, and how each
//! occurrence is decided. Everything here works on plain numbers; the
//! caller (`analyse.rs`) finds the occurrences and scores their contexts.
//!
//! # The model
//!
//! A rewrite tool replaces a share `r` of the occurrences of each original
//! word `o` in its table by the garbled word `g`; `g`'s own legitimate
//! occurrences stay. For one pair in one stretch of text:
//!
//! 1. **Context.** Each occurrence *i* of `g` gets a context log-ratio
//!    `lctx_i` (natural log) from the character language model: how much
//!    better the text reads with `o` than with `g` there, each reading
//!    measured against the word's own probability (a pointwise mutual
//!    information, free of the training text's word frequencies). The
//!    model is trained on government prose and is over-confident elsewhere,
//!    so each pair's ratio is scaled by its reliability `α_p`: the logistic
//!    slope of `lctx` between `o`-places and `g`-places in correct text the
//!    model never saw (`data/lexicon/calibration.tsv`).
//!    With the general-domain base rate `B = ln f(o)/f(g)` (jieba
//!    frequencies), the odds that a `g`-place was `o` are
//!    `ρ_i = exp(B + α_p·lctx_i)`.
//! 2. **Pair evidence.** The log-likelihood ratio that the tool's pair is at
//!    work: `LLR_p = Σ_i ln(1 + r·ρ_i) + n_o·ln(1 − r)`, where `n_o` counts
//!    occurrences of `o` outside longer words (the tools segment words, so
//!    服务 inside 服务器 says nothing). Sums fade with distance
//!    (`exp(−d/decay)`), so a document that is garbled in one part only is
//!    judged part by part. Occurrences in one context (the same two
//!    characters on each side) are a phrase used again, not independent
//!    observations: each term is divided by the number of them around it,
//!    counted with the same fading, so a phrase repeated any number of
//!    times weighs about what it weighs once (a review's "翻开此书，或许…"
//!    three times, a manual's repeated option line).
//! 3. **Family gate.** A family is active where
//!    `Σ_p clip(LLR_p − λ·m_p, 0, cap_pair)` plus its punctuation marks
//!    reaches its threshold, `m_p` being the largest `LLR_p` the pair shows
//!    in any piece of the clean corpus (its noise floor, also in
//!    `calibration.tsv`). So one pair never activates a family on its own
//!    unless its evidence is far beyond anything correct text shows
//!    (`LLR_p ≥ max(single_min, single_scale·m_p + single_add)`) and
//!    something else of the family seconds it (a mark, flattened
//!    punctuation, another pair with evidence above `second_min`, or any
//!    other pair with evidence when the pair itself has an occurrence in a
//!    confirming context): a word one field uses throughout (作业 "job" in a
//!    Unix manual, 形态 "posture" in a circuit-board editor's) can be that
//!    frequent in text the clean corpus does not show. The
//!    family's **breadth** adds to it: `clip(Σ_p clip(LLR_p, 0, 1) − M_f,
//!    0, cap_pair)`, `M_f` being the largest breadth any text of the clean
//!    corpus shows (`breadth_floor`). The noise floors discount each pair
//!    alone, rightly, for each garbled form is a word correct text uses;
//!    but correct text never shows many of one tool's forms together, and
//!    a paragraph the tool rewrote does (已完结多言语、异构技能…的事务试点:
//!    eight pairs of the tech tool in one sentence). Families explain
//!    away: once one is active, another must reach its threshold without
//!    the pairs they share. A family whose table is everyday words taken
//!    from a few web documents (seo, tech, ai, qj) needs, besides, three
//!    pairs with clear evidence unless something corroborates fewer: a
//!    confirming context near, a mark, flattened punctuation or breadth
//!    (`bare_pairs`).
//! 4. **Decision.** Inside an active family, the pair is at work with
//!    probability `z_p = σ(logit q̂ + LLR_p)`. `q̂` is the prior that the
//!    tool's table holds the pair, estimated per text: the tools of one
//!    family differ in the size of their tables (one may change 发展,
//!    基础 and 服务 and leave 如果 and 工作 alone where another of the
//!    family changes them too), so `q̂` is the mean of
//!    `σ(logit q + LLR_p')` over the family's other pairs `p'` with
//!    occurrences of either form near the point, `q` counting as
//!    `table_prior` pairs. A text whose other pairs' originals stand
//!    unchanged lowers it; one whose other pairs are all at work raises
//!    it. The share of its `g`
//!    occurrences that are garbled is estimated from the counts,
//!    `π⁰_p = (n_g − n_o·β)/((1 + β)·n_g)` with `β = f(g)/f(o)`, and then
//!    from the contexts themselves: each occurrence is garbled with
//!    probability `w_i = σ(logit π_p + α_p·lctx_i)`, and the share is the
//!    mean of the `w_i`, with `π⁰_p` counting as `k` occurrences:
//!    `π_p = (Σ_i w_i + k·π⁰_p)/(n_g + k)` (sums decayed with distance as
//!    above), iterated to its fixed point (expectation–maximisation). So
//!    a document whose contexts show that half its 开展 are 开展 repairs
//!    only the half whose contexts read 发展, where the word frequencies
//!    alone would suggest nearly all. Occurrence *i* is repaired when
//!    `z_p · σ(logit π_p + α_p·lctx_i + h_i) > w_min`, where `h_i` is what
//!    the head of the clause after it says (`heads.rs`: `head_weight` times
//!    the pair's cross-validated weight times the head's log-ratio between
//!    the original and the garbled form in correct text; 0 where the
//!    table has nothing), used in the share estimate too.
//!
//! All parameters live in [`Params`]; [`Params::for_evidence`] derives the
//! settings of each [`Evidence`] level from the defaults.

use super::Evidence;

/// The tool families a pair can belong to, in the order of the thresholds
/// in [`Params`]. Descriptions: the header of `data/lexicon/pairs.tsv`.
pub(crate) const FAMILIES: [&str; 7] = ["A", "B", "C", "seo", "tech", "ai", "qj"];

/// The family the punctuation marks `〞` (closing a `“`) and `〔…〕`
/// (around ordinary text) belong to: A, whose tool writes them.
pub(crate) const MARK_FAMILY: usize = 0;

/// The family whose tool deletes closing quotes (`“平安生产月和“平安…`): B.
pub(crate) const DELETED_QUOTE_FAMILY: usize = 1;

/// A family's index in [`FAMILIES`].
pub(crate) fn family_id(name: &str) -> Option<usize> {
    FAMILIES.iter().position(|&f| f == name)
}

/// The built-in breadth floors, `data/lexicon/breadth.tsv`, by family.
static BREADTH_FLOORS: std::sync::LazyLock<[f64; FAMILIES.len()]> =
    std::sync::LazyLock::new(|| {
        parse_breadth(include_str!("../../data/lexicon/breadth.tsv"))
            .expect("data/lexicon/breadth.tsv is well-formed (checked by a unit test)")
    });

/// Parses a breadth table (the format of `data/lexicon/breadth.tsv`): a
/// floor for every family, each once.
fn parse_breadth(text: &str) -> Result<[f64; FAMILIES.len()], String> {
    let mut floors = [f64::NAN; FAMILIES.len()];
    for (n, line) in text.lines().enumerate() {
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let bad = |what: &str| format!("line {}: {what}: {line:?}", n + 1);
        let (family, floor) = line.split_once('\t').ok_or_else(|| bad("no tab"))?;
        let f = family_id(family).ok_or_else(|| bad("unknown family"))?;
        let x: f64 = floor.parse().map_err(|_| bad("not a number"))?;
        if !x.is_finite() || x < 0.0 || !floors[f].is_nan() {
            return Err(bad("negative, not finite or repeated"));
        }
        floors[f] = x;
    }
    match FAMILIES.iter().zip(&floors).find(|(_, x)| x.is_nan()) {
        Some((f, _)) => Err(format!("no floor for family {f}")),
        None => Ok(floors),
    }
}

/// The breadth table for per-family `floors` (the format of
/// `data/lexicon/breadth.tsv`, with its header): what the maintainers'
/// check writes.
pub(crate) fn breadth_table(floors: &[f64; FAMILIES.len()]) -> String {
    let mut out: String = include_str!("../../data/lexicon/breadth.tsv")
        .lines()
        .take_while(|l| l.starts_with('#'))
        .map(|l| format!("{l}\n"))
        .collect();
    for (f, x) in FAMILIES.iter().zip(floors) {
        out.push_str(&format!("{f}\t{:.1}\n", (x * 10.0).ceil() / 10.0));
    }
    out
}

/// Every parameter of the decision model. Positions are byte offsets:
/// Chinese text has three bytes a character, so 9,000 bytes are about
/// 3,000 characters.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Params {
    /// Whether document evidence is used at all. Off for
    /// [`Evidence::SelfEvident`]: only confirm contexts repair.
    pub use_evidence: bool,
    /// The evidence a family needs to be active, per family (indexed like
    /// [`FAMILIES`]): a little above the most any piece of the clean corpus
    /// shows (measured on half of its pieces; the other half then shows none
    /// above it, except one seo piece at the old seo threshold).
    pub threshold: [f64; FAMILIES.len()],
    /// The share `r` of an original word's occurrences a tool replaces
    /// (outside compounds, `data/lexicon/compounds.tsv`). Where a pair is
    /// at work, the real documents of the evaluation keep 17 of 289 such
    /// originals (0.94 replaced), the synthetic ones 14 of 3,067; 0.9
    /// stays below both. (It was 0.7: a document with the original
    /// standing beside the garbled form weighed too little against the
    /// pair.)
    pub r: f64,
    /// Prior probability `q` that a pair of an active family is in the
    /// tool's table, before the text says how large the table is.
    pub q: f64,
    /// How many pairs `q` counts as in the per-text estimate of that
    /// probability ([`Params::table_prior`]). On the synthetic documents
    /// (right/false word repairs) 0.5 gave 3,594/87, 1 3,594/89, 2 and 4
    /// 3,592/91, and the fixed `q` 3,596/99 (dev: 378/3 for 0.5 and 1,
    /// 376/3 for 2 and 4, 375/3 fixed). A vote counting each pair's
    /// evidence without `q` (0.5: 3,573/79) moves along the curve of
    /// `w_min` instead of above it.
    pub table_prior: f64,
    /// `α_p` for pairs the calibration table does not list.
    pub alpha_default: f64,
    /// `λ`: how much of a pair's clean-corpus maximum is taken as noise
    /// before its evidence counts for its family.
    pub noise: f64,
    /// The most one pair can add to a family.
    pub cap_pair: f64,
    /// Per family (indexed like [`FAMILIES`]): the largest breadth (the sum
    /// over the family's pairs of each one's evidence up to 1, see
    /// [`Params::breadth_value`]) that any text of the clean corpus shows:
    /// `data/lexicon/breadth.tsv`.
    pub breadth_floor: [f64; FAMILIES.len()],
    /// Single-pair activation: `LLR_p ≥ max(single_min, single_scale·m_p +
    /// single_add)`.
    pub single_min: f64,
    pub single_scale: f64,
    pub single_add: f64,
    /// The value above which another pair seconds a single pair
    /// ([`single_families`]); below it, another pair seconds only a pair
    /// with an occurrence in a confirming context within
    /// `confirm_reach_decays` decay lengths of the point.
    pub second_min: f64,
    /// How near a point (in decay lengths) an occurrence in a confirming
    /// context confirms its pair there.
    pub confirm_reach_decays: f64,
    /// Per family: how many pairs with more than `second_min` it needs to
    /// be active where nothing corroborates them (no confirming context
    /// near, no mark, no flattened punctuation, no breadth beyond its
    /// floor); 0 where it needs none. Three for the families whose tables
    /// come from a few web documents (seo, tech, ai, qj): everyday words
    /// (作业, 进程, 形态, 记着 …), two of which a field or a writer can use
    /// throughout (作业 "job" and 进程 "process" in bash's manual page; 记着
    /// and 苦战 in a newspaper), while every text those tools rewrote shows
    /// breadth and confirming contexts. None for A, B and C, the tools of
    /// most documents, whose two pairs at their cap are a rewrite (three
    /// would lose 44, 19 and 45 of the synthetic repairs).
    pub bare_pairs: [usize; FAMILIES.len()],
    /// What one `〞` closing a `“` adds to family A (capped at `cap_pair`).
    pub quote_evidence: f64,
    /// What one `〔…〕` around ordinary text adds to family A (capped at
    /// `bracket_cap`).
    pub bracket_evidence: f64,
    pub bracket_cap: f64,
    /// What one deleted closing quote (a `“` opened again before any `”`
    /// on the same line) adds to family B (capped at `cap_pair`).
    pub deleted_quote_evidence: f64,
    /// What flattened punctuation (ASCII `, ; :` after ideographs, at least
    /// two and more than eight times the full-width ones) adds to every
    /// family: the garbling pipelines flatten it.
    pub flattened_evidence: f64,
    /// What an occurrence in a confirm context adds to its pair's
    /// evidence (it is repaired anyway): less than the lowest family
    /// threshold, so one self-evident repair alone never makes a family
    /// active.
    pub confirm_evidence: f64,
    /// Distance (bytes) over which evidence falls by a factor e.
    pub decay: f64,
    /// Families are decided per block of this many bytes.
    pub block: usize,
    /// An occurrence is repaired when its probability exceeds this. On the
    /// synthetic documents (right/false word repairs, with `r` = 0.9 and
    /// the tables calibrated for it) 0.80 gave 3,624/83, 0.82 3,614/79,
    /// 0.83 3,602/74, 0.84 3,589/71 and 0.85 3,576/69 (dev: 369/3,
    /// 365/3, 364/3, 364/3, 359/3). With `r` = 0.7, 0.80 gave 3,628/89
    /// (dev 378/3) and 0.84 3,591/75 (dev 369/3); with the compounds of
    /// jieba frequency ≥ 20 as well, 0.84 gave 3,563/73.
    pub w_min: f64,
    /// The largest share π of garbled occurrences the counts may suggest.
    pub pi_max: f64,
    /// How many occurrences the share the counts suggest (`π⁰`) weighs
    /// against the contexts in the share estimate.
    pub share_prior: f64,
    /// At most this many rounds of the share estimate …
    pub share_rounds: usize,
    /// … which stops when no share moved by more than this.
    pub share_tolerance: f64,
    /// Added to both word frequencies before taking their ratio.
    pub freq_smoothing: f64,
    /// Context log-ratios are clamped to ±this.
    pub lr_clamp: f64,
    /// How much an occurrence's clause head (`heads.rs`) weighs in its
    /// decision: its weighted log-ratio times this is added to the logit.
    /// On the synthetic documents 0.5, 0.7 and 1.0 gave 3,599/103,
    /// 3,601/100 and 3,591/99 right/false word repairs (0: 3,588/113),
    /// measured with the first, additively smoothed head counts; with the
    /// shrunk ones 0.7 gives 3,596/99.
    pub head_weight: f64,
    /// Slope of the diagnosis score `σ(slope · margin)`.
    pub score_slope: f64,
    /// The unit of the diagnosis margin: a family with no evidence is this
    /// far below its threshold.
    pub score_scale: f64,
}

impl Default for Params {
    fn default() -> Params {
        Params {
            use_evidence: true,
            // A, B, C, seo, tech, ai, qj
            threshold: [9.0, 9.0, 7.0, 12.0, 9.0, 9.0, 8.0],
            r: 0.9,
            q: 0.8,
            table_prior: 1.0,
            alpha_default: 0.3,
            noise: 0.5,
            cap_pair: 6.0,
            breadth_floor: *BREADTH_FLOORS,
            single_min: 18.0,
            single_scale: 2.0,
            single_add: 4.0,
            second_min: 1.0,
            confirm_reach_decays: 4.0,
            bare_pairs: [0, 0, 0, 3, 3, 3, 3],
            quote_evidence: 3.0,
            bracket_evidence: 1.5,
            bracket_cap: 3.0,
            deleted_quote_evidence: 2.0,
            flattened_evidence: 2.0,
            confirm_evidence: 4.5,
            decay: 9000.0,
            block: 1500,
            w_min: 0.84,
            pi_max: 0.97,
            share_prior: 2.0,
            share_rounds: 30,
            share_tolerance: 1e-4,
            freq_smoothing: 20.0,
            lr_clamp: 50.0,
            head_weight: 0.7,
            score_slope: 0.5,
            score_scale: 8.0,
        }
    }
}

impl Params {
    /// The parameters of an [`Evidence`] level: the defaults, with the
    /// family thresholds and the repair probability moved.
    pub(crate) fn for_evidence(level: Evidence) -> Params {
        let mut p = Params::default();
        let (shift, w_min) = match level {
            Evidence::SelfEvident => {
                p.use_evidence = false;
                (0.0, p.w_min)
            }
            Evidence::Strict => (4.0, 0.9),
            Evidence::Default => (0.0, p.w_min),
            Evidence::Lenient => (-2.0, 0.7),
        };
        for t in &mut p.threshold {
            *t += shift;
        }
        p.w_min = w_min;
        p
    }

    /// The base-rate log-ratio (natural log) `ln((f(o)+s) / (f(g)+s))`.
    pub(crate) fn base_rate(&self, freq_garbled: f64, freq_original: f64) -> f64 {
        ((freq_original + self.freq_smoothing) / (freq_garbled + self.freq_smoothing)).ln()
    }

    /// The evidence `ln(1 + r·ρ)` of one occurrence of the garbled form,
    /// `ln ρ = base + alpha·lctx`.
    pub(crate) fn occurrence_llr(&self, base: f64, alpha: f64, lctx: f64) -> f64 {
        let lctx = lctx.clamp(-self.lr_clamp, self.lr_clamp);
        softplus(self.r.ln() + base + alpha * lctx)
    }

    /// The evidence `ln(1 − r)` of one occurrence of the original form.
    pub(crate) fn original_llr(&self) -> f64 {
        (1.0 - self.r).ln()
    }

    /// What a pair with evidence `llr` and clean-corpus maximum `noise_floor`
    /// adds to its family.
    pub(crate) fn gate_value(&self, llr: f64, noise_floor: f64) -> f64 {
        (llr - self.noise * noise_floor).clamp(0.0, self.cap_pair)
    }

    /// A pair's contribution to its families' breadth: its evidence, from 0
    /// to 1. Many pairs of one family, each with a little evidence, near
    /// each other: correct text shows a few, each a common word in an
    /// ordinary context, and the pair's noise floor rightly discounts each
    /// alone; a rewrite tool shows many at once.
    pub(crate) fn breadth_part(&self, llr: f64) -> f64 {
        llr.clamp(0.0, 1.0)
    }

    /// What breadth `b` adds to family `f`: the part beyond the most any
    /// correct text shows, capped like a pair.
    pub(crate) fn breadth_value(&self, b: f64, f: usize) -> f64 {
        (b - self.breadth_floor[f]).clamp(0.0, self.cap_pair)
    }

    /// How far from a point (in bytes) an occurrence in a confirming
    /// context makes its pair confirmed there: `confirm_reach_decays`
    /// decay lengths, well inside the margin of a window
    /// (`lexicon::MARGIN_DECAYS`), so that windows read it as the whole
    /// text does.
    pub(crate) fn confirm_reach(&self) -> usize {
        (self.confirm_reach_decays * self.decay) as usize
    }

    /// The evidence with which one pair alone makes its family active.
    pub(crate) fn single_threshold(&self, noise_floor: f64) -> f64 {
        self.single_min
            .max(self.single_scale * noise_floor + self.single_add)
    }

    /// Probability that the pair is at work, given its evidence `llr` and
    /// the prior `prior` that the tool's table holds it.
    pub(crate) fn pair_activity(&self, prior: f64, llr: f64) -> f64 {
        sigmoid(logit(prior) + llr)
    }

    /// The prior that the tool's table holds a pair of its family, where
    /// the family's other pairs with occurrences near the point are at work
    /// with probabilities summing to `sum` over `n` pairs (each at work with
    /// [`pair_activity`](Params::pair_activity) from `q`): their mean, with
    /// `q` counting as `table_prior` pairs.
    pub(crate) fn table_prior(&self, sum: f64, n: f64) -> f64 {
        ((sum + self.table_prior * self.q) / (n + self.table_prior)).clamp(0.0, 1.0)
    }

    /// The share of the garbled form's occurrences that are garbled,
    /// estimated from `n_g` occurrences of the garbled form and `n_o` of the
    /// original (both possibly fractional, with distance decay).
    pub(crate) fn share_garbled(
        &self,
        n_g: f64,
        n_o: f64,
        freq_garbled: f64,
        freq_original: f64,
    ) -> f64 {
        if n_g <= 0.0 {
            return 0.01;
        }
        let beta = (freq_garbled + self.freq_smoothing) / (freq_original + self.freq_smoothing);
        ((n_g - n_o * beta) / ((1.0 + beta) * n_g)).clamp(0.01, self.pi_max)
    }

    /// The probability that an occurrence of the garbled form with context
    /// log-ratio `lctx` is garbled, where a share `share` of them is.
    pub(crate) fn garbled_probability(&self, share: f64, alpha: f64, lctx: f64) -> f64 {
        self.garbled_probability_from_logit(logit(share), alpha, lctx)
    }

    /// [`garbled_probability`](Params::garbled_probability) where the
    /// share is given as its logit.
    pub(crate) fn garbled_probability_from_logit(&self, logit: f64, alpha: f64, lctx: f64) -> f64 {
        let lctx = lctx.clamp(-self.lr_clamp, self.lr_clamp);
        sigmoid(logit + alpha * lctx)
    }

    /// One round of the share estimate: from the (decayed) sum `sum_w` of
    /// the occurrences' [`garbled_probability`](Params::garbled_probability),
    /// their (decayed) number `n_g` and the share the counts suggest.
    pub(crate) fn share_round(&self, sum_w: f64, n_g: f64, counted: f64) -> f64 {
        ((sum_w + self.share_prior * counted) / (n_g + self.share_prior)).clamp(0.01, self.pi_max)
    }

    /// Probability that one occurrence is garbled.
    pub(crate) fn repair_probability(
        &self,
        activity: f64,
        share: f64,
        alpha: f64,
        lctx: f64,
    ) -> f64 {
        activity * self.garbled_probability(share, alpha, lctx)
    }

    /// How far a family with evidence `strength` is above its `threshold`,
    /// in units of `score_scale`: `score_scale · (strength / threshold − 1)`.
    pub(crate) fn margin(&self, strength: f64, threshold: f64) -> f64 {
        self.score_scale * (strength / threshold.max(f64::EPSILON) - 1.0)
    }

    /// The diagnosis score of a text whose strongest family has `margin`
    /// (see [`margin`](Params::margin)): 0.5 at the threshold.
    pub(crate) fn score(&self, margin: f64) -> f64 {
        sigmoid(self.score_slope * margin)
    }
}

/// `ln(1 + e^x)` without overflow.
fn softplus(x: f64) -> f64 {
    if x > 30.0 { x } else { x.exp().ln_1p() }
}

/// `ln(p / (1 − p))`, the inverse of [`sigmoid`].
pub(crate) fn logit(p: f64) -> f64 {
    (p / (1.0 - p)).ln()
}

pub(crate) fn sigmoid(x: f64) -> f64 {
    1.0 / (1.0 + (-x).exp())
}

/// One slot of evidence at a point: a pair's (or a kind of mark's)
/// families, the value it adds to them, whether it alone activates them,
/// and what it adds to their breadth (a pair's evidence up to 1, before its
/// noise floor; 0 for marks).
#[derive(Clone, Copy, Debug)]
pub(crate) struct Slot {
    pub families: u8,
    pub value: f64,
    pub single: bool,
    pub breadth: f64,
    /// Whether the slot is a kind of mark: any value of a mark seconds a
    /// single pair, a pair's only beyond [`Params::second_min`].
    pub mark: bool,
    /// Whether the slot is a pair with an occurrence in a confirming
    /// context near the point ([`Params::confirm_reach`]).
    pub confirmed: bool,
}

impl Slot {
    /// Whether the slot is clear evidence of its families: a mark with a
    /// value, or a pair with more than `second_min`.
    fn is_clear(&self, second_min: f64) -> bool {
        self.value > 0.0 && (self.mark || self.value > second_min)
    }
}

/// The families that one pair activates alone among `slots`: a pair far
/// beyond anything correct text shows (`single`), seconded by some other
/// evidence of the family — a mark with a value, flattened punctuation
/// (`base`), another pair with more than `second_min`, or, when the pair
/// has an occurrence in a confirming context, another pair with any value.
/// Unseconded, the pair may be a word a field of its own uses throughout
/// (作业 "job" and 事务 "transaction" in Unix and database manuals, 形态
/// "posture" in a circuit-board editor's manual), which the clean corpus
/// cannot show.
pub(crate) fn single_families(
    slots: impl Iterator<Item = Slot> + Clone,
    base: f64,
    second_min: f64,
) -> u8 {
    // Per family, how many slots second clearly, and how many pairs with a
    // smaller value.
    let clear = |s: &Slot| s.is_clear(second_min);
    let faint = |s: &Slot| s.value > 0.0 && !clear(s);
    let (mut clears, mut faints) = ([0usize; FAMILIES.len()], [0usize; FAMILIES.len()]);
    for s in slots.clone() {
        let (clear, faint) = (usize::from(clear(&s)), usize::from(faint(&s)));
        for f in families_of(s.families) {
            clears[f] += clear;
            faints[f] += faint;
        }
    }
    let mut single = 0u8;
    for s in slots.filter(|s| s.single) {
        for f in families_of(s.families) {
            let bit = 1u8 << f;
            // Other slots than this one.
            let clear_others = clears[f] - usize::from(clear(&s));
            let faint_others = faints[f] - usize::from(faint(&s));
            if base > 0.0 || clear_others > 0 || (s.confirmed && faint_others > 0) {
                single |= bit;
            }
        }
    }
    single
}

/// Whether family `f` (whose breadth at the point is `breadth`) has what
/// [`Params::bare_pairs`] asks of it: flattened punctuation (`base`), a
/// breadth beyond its floor, a mark, a pair confirmed near the point, or
/// that many pairs with more than [`Params::second_min`].
pub(crate) fn corroborated(
    params: &Params,
    slots: &[Slot],
    base: f64,
    breadth: f64,
    f: usize,
) -> bool {
    let need = params.bare_pairs[f];
    if need == 0 || base > 0.0 || params.breadth_value(breadth, f) > 0.0 {
        return true;
    }
    let bit = 1u8 << f;
    let mine = || {
        slots
            .iter()
            .filter(move |s| s.families & bit != 0 && s.value > 0.0)
    };
    mine().any(|s| s.mark || s.confirmed)
        || mine().filter(|s| s.is_clear(params.second_min)).count() >= need
}

/// Per family, the sums of its slots' values and of their breadth parts,
/// added in the order of `slots`.
pub(crate) fn family_sums(
    slots: impl IntoIterator<Item = Slot>,
) -> ([f64; FAMILIES.len()], [f64; FAMILIES.len()]) {
    let mut values = [0.0; FAMILIES.len()];
    let mut breadth = [0.0; FAMILIES.len()];
    for s in slots {
        for f in families_of(s.families) {
            values[f] += s.value;
            breadth[f] += s.breadth;
        }
    }
    (values, breadth)
}

/// The families of the bit set `families` (of [`FAMILIES`]), in increasing
/// order: a slot's one or two, without a look at the others.
pub(crate) fn families_of(families: u8) -> impl Iterator<Item = usize> {
    let mut left = families & ((1 << FAMILIES.len()) - 1);
    std::iter::from_fn(move || {
        (left != 0).then(|| {
            let f = left.trailing_zeros() as usize;
            left &= left - 1;
            f
        })
    })
}

/// The families active at one point, with explaining away.
///
/// `slots` are the pairs and marks with evidence there, `base` what every
/// family gets regardless (flattened punctuation), `possible` the families
/// worth considering. Returns the active families as a bit set and each
/// family's evidence without exclusions.
pub(crate) fn active_families(
    params: &Params,
    slots: &[Slot],
    base: f64,
    possible: u8,
) -> (u8, [f64; FAMILIES.len()]) {
    let (mut evidence, breadth) = family_sums(slots.iter().copied());
    let single = single_families(slots.iter().copied(), base, params.second_min);
    for (f, e) in evidence.iter_mut().enumerate() {
        *e += base + params.breadth_value(breadth[f], f);
    }
    let mut order = [0usize; FAMILIES.len()];
    let mut n = 0;
    for f in (0..FAMILIES.len()).filter(|&f| possible & (1 << f) != 0) {
        order[n] = f;
        n += 1;
    }
    let order = &mut order[..n];
    order.sort_by(|&a, &b| evidence[b].total_cmp(&evidence[a]).then(a.cmp(&b)));
    let mut active = 0u8;
    for &f in order.iter() {
        let bit = 1u8 << f;
        let passes = |own: f64, alone: bool| {
            (own >= params.threshold[f] || alone)
                && corroborated(params, slots, base, breadth[f], f)
        };
        if active == 0 {
            if passes(evidence[f], single & bit != 0) {
                active |= bit;
            }
            continue;
        }
        // Pairs shared with an active family are explained already.
        let mine = slots
            .iter()
            .copied()
            .filter(|s| s.families & bit != 0 && s.families & active == 0);
        let own: f64 = mine.clone().map(|s| s.value).sum::<f64>()
            + base
            + params.breadth_value(mine.clone().map(|s| s.breadth).sum(), f);
        if passes(
            own,
            single_families(mine, base, params.second_min) & bit != 0,
        ) {
            active |= bit;
        }
    }
    (active, evidence)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn occurrence_evidence() {
        let p = Params::default();
        // A context that favours the original strongly counts, one that
        // favours the garbled word adds almost nothing, never less than 0.
        assert!(p.occurrence_llr(2.0, 1.0, 8.0) > 9.0);
        let weak = p.occurrence_llr(0.0, 1.0, -8.0);
        assert!((0.0..0.01).contains(&weak), "{weak}");
        // Clamped, so an absurd ratio stays finite.
        assert!(p.occurrence_llr(0.0, 1.0, 1e9).is_finite());
        assert!(p.original_llr() < 0.0);
    }

    #[test]
    fn families_of_a_set() {
        let all: Vec<usize> = families_of(u8::MAX).collect();
        assert_eq!(all, (0..FAMILIES.len()).collect::<Vec<_>>());
        assert_eq!(families_of(0b101).collect::<Vec<_>>(), [0, 2]);
        assert_eq!(families_of(0).count(), 0);
    }

    #[test]
    fn gate_and_single() {
        let p = Params::default();
        assert_eq!(p.gate_value(100.0, 0.0), p.cap_pair);
        assert_eq!(p.gate_value(3.0, 10.0), 0.0);
        assert!((p.gate_value(5.0, 2.0) - 4.0).abs() < 1e-12);
        assert_eq!(p.single_threshold(0.0), p.single_min);
        assert_eq!(p.single_threshold(20.0), 44.0);
    }

    #[test]
    fn share_and_probability() {
        let p = Params::default();
        // Many garbled forms, no original: the share is high.
        assert!(p.share_garbled(10.0, 0.0, 100.0, 10_000.0) > 0.95);
        // As many originals as a tool at work would never leave: low.
        assert_eq!(p.share_garbled(3.0, 15.0, 15_000.0, 66_000.0), 0.01);
        assert_eq!(p.share_garbled(0.0, 1.0, 1.0, 1.0), 0.01);
        let hi = p.repair_probability(0.99, 0.9, 0.5, 4.0);
        let lo = p.repair_probability(0.99, 0.9, 0.5, -8.0);
        assert!(hi > 0.95 && lo < 0.5, "{hi} {lo}");
        assert!(p.repair_probability(0.0, 0.97, 1.0, 50.0) == 0.0);
    }

    /// The share estimate's fixed point for occurrences with context
    /// log-ratios `lctx` (all at one place, no decay), from `counted`.
    fn estimated_share(p: &Params, counted: f64, lctx: &[f64]) -> f64 {
        let mut share = counted;
        for _ in 0..p.share_rounds {
            let sum: f64 = lctx
                .iter()
                .map(|&l| p.garbled_probability(share, 1.0, l))
                .sum();
            share = p.share_round(sum, lctx.len() as f64, counted);
        }
        share
    }

    #[test]
    fn share_follows_the_contexts() {
        let p = Params::default();
        // Counts suggest nearly all are garbled (0.9); the contexts of half
        // read clearly as the original, of the other half clearly as the
        // garbled form: the share comes near one half.
        let half: Vec<f64> = [6.0, -6.0].repeat(10);
        let s = estimated_share(&p, 0.9, &half);
        assert!((0.45..0.6).contains(&s), "{s}");
        // An occurrence whose context is neutral is then not repaired …
        assert!(p.repair_probability(1.0, s, 1.0, 0.0) < p.w_min);
        // … where the counted share alone would have repaired it.
        assert!(p.repair_probability(1.0, 0.9, 1.0, 0.0) > p.w_min);
        // Every context reads as the original: the share rises to its cap.
        let all = estimated_share(&p, 0.9, &[6.0; 20]);
        assert!(all > 0.96 && all <= p.pi_max, "{all}");
        // One occurrence moves the counted share only a little either way
        // (the counted share weighs as `share_prior` occurrences).
        let one = estimated_share(&p, 0.9, &[-6.0]);
        assert!(one > 0.5 && one < 0.9, "{one}");
        // No context information: the counted share stays.
        let none = estimated_share(&p, 0.7, &[0.0; 5]);
        assert!((none - 0.7).abs() < 1e-3, "{none}");
    }

    fn slot(families: u8, value: f64) -> Slot {
        Slot {
            families,
            value,
            single: false,
            breadth: 0.0,
            mark: false,
            confirmed: false,
        }
    }

    #[test]
    fn families_explain_away() {
        let p = Params::default();
        let all = 0b111_1111;
        // Pair 0 belongs to A and seo, pair 1 to A only, pair 2 to seo only.
        // A: 6 + 6 = 12 ≥ 9; seo: 12 ≥ 12 but without the shared pair 6 < 12.
        let slots = [slot(0b1001, 6.0), slot(0b0001, 6.0), slot(0b1000, 6.0)];
        let (active, ev) = active_families(&p, &slots, 0.0, all);
        assert_eq!(active, 0b0001);
        assert_eq!((ev[0], ev[3]), (12.0, 12.0));
        // seo strongest: it explains the shared pair, and A's own pair
        // (6) is not enough for A.
        let slots = [
            slot(0b1001, 6.0),
            slot(0b0001, 6.0),
            slot(0b1000, 6.0),
            slot(0b1000, 6.0),
        ];
        let (active, _) = active_families(&p, &slots, 0.0, all);
        assert_eq!(active, 0b1000);
        // A single pair far beyond correct text activates its family when
        // something else of the family seconds it: another pair with more
        // than `second_min`, a mark, or flattened punctuation; alone it
        // does not (a field's own word, 作业 in a Unix manual, can be that
        // frequent). A pair with less seconds only a pair with an
        // occurrence in a confirming context.
        let far = Slot {
            families: 0b0001,
            value: 6.0,
            single: true,
            breadth: 0.0,
            mark: false,
            confirmed: false,
        };
        assert_eq!(active_families(&p, &[far], 0.0, all).0, 0);
        let faint = slot(0b0001, p.second_min / 2.0);
        let clear = slot(0b0001, p.second_min * 1.5);
        assert_eq!(active_families(&p, &[far, clear], 0.0, all).0, 0b0001);
        assert_eq!(active_families(&p, &[far, faint], 0.0, all).0, 0);
        let confirmed = Slot {
            confirmed: true,
            ..far
        };
        assert_eq!(active_families(&p, &[confirmed, faint], 0.0, all).0, 0b0001);
        assert_eq!(active_families(&p, &[confirmed], 0.0, all).0, 0);
        let mark = Slot {
            mark: true,
            ..faint
        };
        assert_eq!(active_families(&p, &[far, mark], 0.0, all).0, 0b0001);
        assert_eq!(
            active_families(&p, &[far, slot(0b0100, 1.5)], 0.0, all).0,
            0
        );
        assert_eq!(
            active_families(&p, &[far, slot(0b0001, 0.0)], 0.0, all).0,
            0
        );
        assert_eq!(active_families(&p, &[far], 0.5, all).0, 0b0001);
        // Flattened punctuation lifts every family a little.
        let slots = [slot(0b0100, 6.0)];
        assert_eq!(active_families(&p, &slots, 0.0, all).0, 0);
        assert_eq!(active_families(&p, &slots, 2.0, all).0, 0b0100);
        // Nothing possible, nothing active.
        let slots = [slot(0b0001, 6.0), slot(0b0001, 6.0)];
        assert_eq!(active_families(&p, &slots, 0.0, 0).0, 0);
    }

    /// Family seo needs three pairs with clear evidence, or something that
    /// corroborates fewer: two terms of one field at their cap (作业 and 进程
    /// in bash's manual page) are not enough.
    #[test]
    fn bare_pairs_need_corroboration() {
        let p = Params::default();
        let all = 0b111_1111;
        let seo = 1u8 << FAMILIES.iter().position(|&f| f == "seo").unwrap();
        assert_eq!(p.bare_pairs[seo.trailing_zeros() as usize], 3);
        let two = [slot(seo, 6.0), slot(seo, 6.0)];
        assert_eq!(active_families(&p, &two, 0.0, all).0, 0);
        let three = [slot(seo, 6.0), slot(seo, 6.0), slot(seo, 1.5)];
        assert_eq!(active_families(&p, &three, 0.0, all).0, seo);
        // A faint third pair is not a third.
        let faint = [slot(seo, 6.0), slot(seo, 6.0), slot(seo, 0.5)];
        assert_eq!(active_families(&p, &faint, 0.0, all).0, 0);
        let confirmed = [
            slot(seo, 6.0),
            Slot {
                confirmed: true,
                ..slot(seo, 6.0)
            },
        ];
        assert_eq!(active_families(&p, &confirmed, 0.0, all).0, seo);
        let broad = two.map(|s| Slot { breadth: 1.0, ..s });
        let mut q = Params::default();
        q.breadth_floor[seo.trailing_zeros() as usize] = 1.0;
        assert_eq!(active_families(&q, &broad, 0.0, all).0, seo);
        assert_eq!(active_families(&p, &two, 0.5, all).0, seo);
        // Family A needs nothing of the kind.
        let a = [slot(0b0001, 6.0), slot(0b0001, 6.0)];
        assert_eq!(active_families(&p, &a, 0.0, all).0, 0b0001);
    }

    #[test]
    fn breadth_table_parses_and_round_trips() {
        let text = include_str!("../../data/lexicon/breadth.tsv");
        let floors = parse_breadth(text).unwrap();
        assert_eq!(breadth_table(&floors), text);
        assert!(
            parse_breadth("A\t1.0\n")
                .unwrap_err()
                .contains("no floor for family B")
        );
        assert!(
            parse_breadth("Z\t1.0")
                .unwrap_err()
                .contains("line 1: unknown family")
        );
        assert!(parse_breadth("A\t-1").unwrap_err().contains("negative"));
        assert!(parse_breadth("A 1").unwrap_err().contains("no tab"));
    }

    #[test]
    fn breadth_adds_beyond_its_floor() {
        let p = Params::default();
        let all = 0b111_1111;
        let tech = 1u8 << super::family_id("tech").unwrap();
        // Eight pairs of one family with a little evidence each: 4 in all,
        // below the threshold of 9 …
        let narrow = [slot(tech, 0.5); 8];
        assert_eq!(active_families(&p, &narrow, 0.0, all).0, 0);
        // … but each near the evidence of one garbled occurrence: a breadth
        // of 8, well beyond the most correct text shows.
        let broad = narrow.map(|s| Slot { breadth: 1.0, ..s });
        let (active, ev) = active_families(&p, &broad, 0.0, all);
        assert_eq!(active, tech);
        let f = super::family_id("tech").unwrap();
        assert!((ev[f] - (4.0 + 8.0 - p.breadth_floor[f])).abs() < 1e-9);
        // Up to the floor, breadth adds nothing; beyond it, at most a pair.
        assert_eq!(p.breadth_value(p.breadth_floor[f], f), 0.0);
        assert_eq!(p.breadth_value(100.0, f), p.cap_pair);
        assert_eq!(p.breadth_part(-3.0), 0.0);
        assert_eq!(p.breadth_part(7.0), 1.0);
    }

    #[test]
    fn evidence_levels_order() {
        let s = Params::for_evidence(Evidence::Strict);
        let d = Params::for_evidence(Evidence::Default);
        let l = Params::for_evidence(Evidence::Lenient);
        assert_eq!(d, Params::default());
        for f in 0..FAMILIES.len() {
            assert!(s.threshold[f] > d.threshold[f] && d.threshold[f] > l.threshold[f]);
        }
        assert!(!Params::for_evidence(Evidence::SelfEvident).use_evidence);
    }
}

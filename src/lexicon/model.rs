//! The numeric part of the lexicon layer: how context scores become
//! evidence, how evidence makes a tool family active, and how each
//! occurrence is decided. Everything here works on plain numbers; the
//! caller (`analyse.rs`) finds the occurrences and scores their contexts.
//!
//! The model (ported from the lead engineer's Python prototype):
//!
//! 1. Each occurrence *i* of a garbled form gets a context log-ratio
//!    `lr_i` (natural log): how much likelier the text reads with the
//!    original form than with the garbled one, from the character language
//!    model, plus the general-domain base rate of the two words. Its
//!    evidence is `c_i = min(ln(1 + r·e^lr_i) − offset, cap_occurrence)`:
//!    at most `cap_occurrence`, at least `−offset`. An occurrence of the
//!    original form that is not inside a longer word (服务 alone, not in
//!    服务器) adds `original_evidence` (negative) to its pairs.
//! 2. Evidence fades with distance: at a point `t` of the text, pair *p*
//!    has `S_p(t) = Σ c_i·exp(−|pos_i − t| / decay)`, computed with running
//!    sums in one forward and one backward sweep (linear time).
//! 3. A family's evidence at `t` is `Σ_p clip(S_p(t), 0, cap_pair)` over its
//!    pairs; it is active when that reaches its threshold. Explaining away:
//!    families are taken strongest first, and once one is active the others
//!    must reach their threshold without the pairs already explained.
//! 4. Inside an active family, each pair is decided per document by a small
//!    EM: the share π of garbled occurrences starts from the base rate
//!    `r0·f(o) / (r0·f(o) + f(g))` (a Beta prior of strength
//!    `prior_strength`), each occurrence's weight is
//!    `w_i = σ(logit π + lctx_i)` with `lctx_i` its context log-ratio
//!    without the base rate, and π is re-estimated from the weights. An
//!    occurrence is repaired when `w_i > w_min`.
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

/// A family's index in [`FAMILIES`].
pub(crate) fn family_id(name: &str) -> Option<usize> {
    FAMILIES.iter().position(|&f| f == name)
}

/// Every parameter of the decision model, with the values the prototype
/// measured best. Positions are byte offsets: Chinese text has three bytes
/// a character, so 9,000 bytes are about 3,000 characters.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Params {
    /// Whether document evidence is used at all. Off for
    /// [`Evidence::SelfEvident`]: only confirm contexts repair.
    pub use_evidence: bool,
    /// The evidence a family needs to be active, per family (indexed like
    /// [`FAMILIES`]). Tools with many everyday words in their table (seo)
    /// need more.
    pub threshold: [f64; FAMILIES.len()],
    /// Scale `r` of an occurrence's evidence `ln(1 + r·e^lr) − offset`.
    pub r: f64,
    /// `offset` of the same: what an occurrence whose context says nothing
    /// (`lr = 0`) subtracts.
    pub offset: f64,
    /// The most one occurrence can add.
    pub cap_occurrence: f64,
    /// The most one pair can add to a family.
    pub cap_pair: f64,
    /// What an occurrence of the original form (outside a longer word)
    /// adds to its pairs: a little evidence against the tool.
    pub original_evidence: f64,
    /// What one punctuation mark of family A's tool (`〞` closing a `“`,
    /// `〔…〕` around ordinary text) adds; each kind of mark is capped like
    /// a pair.
    pub mark_evidence: f64,
    /// What an occurrence in a confirm context adds (it is repaired anyway;
    /// this is how much it says about the rest of the document): more than
    /// any other occurrence, less than the lowest family threshold, so one
    /// self-evident repair alone never makes a family active.
    pub confirm_evidence: f64,
    /// Distance (bytes) over which evidence falls by a factor e.
    pub decay: f64,
    /// Families are decided per block of this many bytes.
    pub block: usize,
    /// An occurrence is repaired when its weight exceeds this.
    pub w_min: f64,
    /// Share of the original reading in the base-rate prior of the EM.
    pub r0: f64,
    /// Strength of that prior, in occurrences.
    pub prior_strength: f64,
    /// EM iterations.
    pub em_iterations: usize,
    /// Added to both word frequencies before taking their ratio.
    pub freq_smoothing: f64,
    /// Context log-ratios are clamped to ±this before the EM.
    pub lr_clamp: f64,
    /// `offset` of an occurrence's evidence for the diagnosis score: lower
    /// than [`offset`](Params::offset), so that the many weak signs of a
    /// lightly garbled text (a context that favours the original 3:1 rather
    /// than 30:1) still rank it above correct text. Family activity, and so
    /// every repair, uses `offset`.
    pub score_offset: f64,
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
            threshold: [8.0, 7.5, 5.0, 15.0, 5.0, 6.0, 5.0],
            r: 0.5,
            offset: 30f64.ln(),
            cap_occurrence: 3.0,
            cap_pair: 6.0,
            original_evidence: -0.3,
            mark_evidence: 3.0,
            confirm_evidence: 4.5,
            decay: 9000.0,
            block: 1500,
            w_min: 0.9,
            r0: 0.8,
            prior_strength: 4.0,
            em_iterations: 20,
            freq_smoothing: 20.0,
            lr_clamp: 50.0,
            score_offset: 3f64.ln(),
            score_slope: 0.5,
            score_scale: 8.0,
        }
    }
}

impl Params {
    /// The parameters of an [`Evidence`] level: the defaults, with the
    /// family thresholds and the repair weight moved.
    pub(crate) fn for_evidence(level: Evidence) -> Params {
        let mut p = Params::default();
        let (shift, w_min) = match level {
            Evidence::SelfEvident => {
                p.use_evidence = false;
                (0.0, p.w_min)
            }
            Evidence::Strict => (4.0, 0.97),
            Evidence::Default => (0.0, p.w_min),
            Evidence::Lenient => (-2.0, 0.8),
        };
        for t in &mut p.threshold {
            *t += shift;
        }
        p.w_min = w_min;
        p
    }

    /// The evidence of one occurrence whose context log-ratio (natural log,
    /// base rate included) is `lr`.
    pub(crate) fn contribution(&self, lr: f64) -> f64 {
        // ln(1 + r·e^lr) computed without overflow for large lr.
        let x = self.r.ln() + lr;
        let softplus = if x > 30.0 { x } else { x.exp().ln_1p() };
        (softplus - self.offset).min(self.cap_occurrence)
    }

    /// The same with [`score_offset`](Params::score_offset), for the
    /// diagnosis score.
    pub(crate) fn score_contribution(&self, lr: f64) -> f64 {
        let x = self.r.ln() + lr;
        let softplus = if x > 30.0 { x } else { x.exp().ln_1p() };
        (softplus - self.score_offset).min(self.cap_occurrence)
    }

    /// The base-rate prior π0 of the original reading, from the two word
    /// frequencies.
    pub(crate) fn prior(&self, freq_garbled: f64, freq_original: f64) -> f64 {
        let fo = freq_original + self.freq_smoothing;
        let fg = freq_garbled + self.freq_smoothing;
        self.r0 * fo / (self.r0 * fo + fg)
    }

    /// The base-rate log-ratio (natural log) `ln((f(o)+s) / (f(g)+s))`.
    pub(crate) fn base_rate(&self, freq_garbled: f64, freq_original: f64) -> f64 {
        ((freq_original + self.freq_smoothing) / (freq_garbled + self.freq_smoothing)).ln()
    }

    /// How far a family with evidence `strength` is above its `threshold`,
    /// in units of `score_scale`: `score_scale · (strength / threshold − 1)`.
    /// Relative to the threshold, so that families with low thresholds do
    /// not dominate texts with no evidence at all.
    pub(crate) fn margin(&self, strength: f64, threshold: f64) -> f64 {
        self.score_scale * (strength / threshold.max(f64::EPSILON) - 1.0)
    }

    /// The diagnosis score of a text whose strongest family has `margin`
    /// (see [`margin`](Params::margin)): 0.5 at the threshold.
    pub(crate) fn score(&self, margin: f64) -> f64 {
        sigmoid(self.score_slope * margin)
    }

    /// The per-document EM of one pair: the weight of each occurrence whose
    /// context log-ratio (without base rate) is in `lctx`, starting from the
    /// prior `pi0`. Writes the weights to `weights` and returns π.
    pub(crate) fn em(&self, lctx: &[f64], pi0: f64, weights: &mut Vec<f64>) -> f64 {
        let n = lctx.len() as f64;
        let mut pi = pi0.clamp(0.01, 0.99);
        weights.clear();
        weights.resize(lctx.len(), 0.0);
        for _ in 0..self.em_iterations.max(1) {
            let logit = (pi / (1.0 - pi)).ln();
            let mut sum = 0.0;
            for (w, &l) in weights.iter_mut().zip(lctx) {
                *w = sigmoid(logit + l.clamp(-self.lr_clamp, self.lr_clamp));
                sum += *w;
            }
            pi = ((sum + self.prior_strength * pi0) / (n + self.prior_strength)).clamp(0.01, 0.99);
        }
        pi
    }
}

pub(crate) fn sigmoid(x: f64) -> f64 {
    1.0 / (1.0 + (-x).exp())
}

/// `S(t) = Σ c_i·exp(−|pos_i − t| / decay)` at each of `points` (sorted),
/// for observations `obs` (position, value) sorted by position: one
/// forward and one backward sweep, so the cost is linear in
/// `obs.len() + points.len()`. Adds the sums to `out[k]` for point `k`.
pub(crate) fn decayed_sums(obs: &[(usize, f64)], points: &[usize], decay: f64, out: &mut [f64]) {
    debug_assert_eq!(points.len(), out.len());
    // Forward: observations at or before each point.
    let mut acc = 0.0;
    let mut at = 0usize; // position `acc` refers to
    let mut i = 0;
    for (k, &t) in points.iter().enumerate() {
        while i < obs.len() && obs[i].0 <= t {
            let (p, c) = obs[i];
            acc = acc * (-((p - at) as f64) / decay).exp() + c;
            at = p;
            i += 1;
        }
        out[k] += acc * (-((t - at) as f64) / decay).exp();
    }
    // Backward: observations after each point.
    let mut acc = 0.0;
    let mut at = usize::MAX;
    let mut i = obs.len();
    for (k, &t) in points.iter().enumerate().rev() {
        while i > 0 && obs[i - 1].0 > t {
            let (p, c) = obs[i - 1];
            acc = if at == usize::MAX {
                c
            } else {
                acc * (-((at - p) as f64) / decay).exp() + c
            };
            at = p;
            i -= 1;
        }
        if at != usize::MAX {
            out[k] += acc * (-((at - t) as f64) / decay).exp();
        }
    }
}

/// The families active at one point, with explaining away.
///
/// `pair_value[p]` is pair *p*'s decayed evidence there, `pair_families[p]`
/// its families as a bit set (bit *f* for `FAMILIES[f]`), `possible` the
/// families worth considering. Returns the active families as a bit set
/// and each family's evidence without exclusions.
pub(crate) fn active_families(
    params: &Params,
    pair_value: &[f64],
    pair_families: &[u8],
    possible: u8,
) -> (u8, [f64; FAMILIES.len()]) {
    let clipped = |v: f64| v.clamp(0.0, params.cap_pair);
    let mut evidence = [0.0; FAMILIES.len()];
    for (&v, &fams) in pair_value.iter().zip(pair_families) {
        let v = clipped(v);
        for (f, e) in evidence.iter_mut().enumerate() {
            if fams & (1 << f) != 0 {
                *e += v;
            }
        }
    }
    let mut order = [0usize; FAMILIES.len()];
    let mut n = 0;
    for f in (0..FAMILIES.len()).filter(|&f| possible & (1 << f) != 0) {
        order[n] = f;
        n += 1;
    }
    let order = &mut order[..n];
    order.sort_by(|&a, &b| {
        let ma = evidence[a] - params.threshold[a];
        let mb = evidence[b] - params.threshold[b];
        mb.total_cmp(&ma).then(a.cmp(&b))
    });
    let mut active = 0u8;
    for &f in order.iter() {
        if evidence[f] < params.threshold[f] {
            break;
        }
        if active != 0 {
            // Pairs shared with an active family are explained already.
            let own: f64 = pair_value
                .iter()
                .zip(pair_families)
                .filter(|&(_, &fams)| fams & (1 << f) != 0 && !explained(fams, active))
                .map(|(&v, _)| clipped(v))
                .sum();
            if own < params.threshold[f] {
                continue;
            }
        }
        active |= 1 << f;
    }
    (active, evidence)
}

/// Whether a pair of families `fams` belongs to one of the `active` ones.
fn explained(fams: u8, active: u8) -> bool {
    fams & active != 0
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The obvious quadratic version of [`decayed_sums`].
    fn naive(obs: &[(usize, f64)], points: &[usize], decay: f64) -> Vec<f64> {
        points
            .iter()
            .map(|&t| {
                obs.iter()
                    .map(|&(p, c)| c * (-(p.abs_diff(t) as f64) / decay).exp())
                    .sum()
            })
            .collect()
    }

    proptest::proptest! {
        #[test]
        fn decayed_sums_match_naive(
            mut obs in proptest::collection::vec((0usize..20_000, -3.0f64..3.0), 0..40),
            mut points in proptest::collection::vec(0usize..20_000, 0..20),
        ) {
            obs.sort_by_key(|o| o.0);
            points.sort_unstable();
            let mut got = vec![0.0; points.len()];
            decayed_sums(&obs, &points, 3000.0, &mut got);
            for (g, w) in got.iter().zip(naive(&obs, &points, 3000.0)) {
                proptest::prop_assert!((g - w).abs() < 1e-9, "{g} vs {w}");
            }
        }
    }

    #[test]
    fn contribution_is_bounded() {
        let p = Params::default();
        assert!((p.contribution(1e6) - p.cap_occurrence).abs() < 1e-12);
        assert!((p.contribution(-1e6) + p.offset).abs() < 1e-9);
        // A context that favours the original 30:1 is about neutral.
        let c = p.contribution((60f64).ln());
        assert!(c.abs() < 0.1, "{c}");
        assert!(p.contribution(5.0) > p.contribution(4.0));
    }

    #[test]
    fn em_follows_the_context() {
        let p = Params::default();
        let mut w = Vec::new();
        let pi = p.em(&[8.0, 8.0, 8.0, -8.0], 0.5, &mut w);
        assert!(w[0] > 0.99 && w[3] < 0.5, "{w:?}");
        assert!(pi > 0.5);
        // With no occurrences π stays at the prior.
        let pi = p.em(&[], 0.3, &mut w);
        assert!((pi - 0.3).abs() < 1e-9 && w.is_empty());
    }

    #[test]
    fn families_explain_away() {
        let p = Params::default();
        // Pair 0 belongs to A and seo, pair 1 to A only, pair 2 to seo only.
        let fams = [0b1001u8, 0b0001, 0b1000];
        let all = 0b111_1111;
        // A: 6 + 6 = 12 ≥ 8; seo: 6 + 6 = 12 < 15.
        let (active, ev) = active_families(&p, &[6.0, 6.0, 6.0], &fams, all);
        assert_eq!(active, 0b0001);
        assert_eq!((ev[0], ev[3]), (12.0, 12.0));
        // seo strong on its own: 6 + 6 + 6 ≥ 15 but without the shared pair
        // 12 < 15, so only A.
        let fams = [0b1001u8, 0b0001, 0b1000, 0b1000];
        let (active, _) = active_families(&p, &[6.0, 6.0, 6.0, 6.0], &fams, all);
        assert_eq!(active, 0b0001);
        // Nothing possible, nothing active.
        let (active, _) = active_families(&p, &[6.0, 6.0, 6.0, 6.0], &fams, 0);
        assert_eq!(active, 0);
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

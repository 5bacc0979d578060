//! Sums that fade with distance: `S(t) = Σ c_i·exp(−|pos_i − t| / decay)`
//! over the observations of each slot (a pair, or a kind of punctuation
//! mark), readable at any position `t`.
//!
//! [`Sums`] keeps, for each observation, the sum of the observations up to
//! it (a forward recursion) and from it to the end (a backward one), so a
//! sum anywhere is the forward sum of the last observation at or before `t`
//! and the backward sum of the first one after it, each faded over the
//! distance. Memory is proportional to the observations, whatever the
//! length of the text and the number of places read: reading a 50 MB
//! document at every 1,500-byte point would otherwise cost points × slots.
//!
//! The arithmetic is exactly that of the two sweeps over the points that
//! this replaces (the test compares them bit for bit), so every decision
//! stays the same.

use std::ops::Range;

/// What an observation counts as, besides its evidence: an occurrence of a
/// pair's garbled form, of its original form, or neither (a punctuation
/// mark).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Kind {
    Garbled,
    Original,
    Mark,
}

/// One observation: at byte `pos`, `value` for the evidence sum of slot
/// `key`, and 1 for the garbled or the original count as its `kind` says.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Obs {
    pub pos: usize,
    pub value: f64,
    pub key: u32,
    pub kind: Kind,
}

/// The decayed sums of every slot: the evidence, and, once
/// [`count`](Sums::count) was called, the garbled and original counts.
#[derive(Debug, Default)]
pub(crate) struct Sums {
    decay: f64,
    /// The slots' keys, in increasing order.
    keys: Vec<usize>,
    /// Where each slot's observations start (and, last, where they end).
    starts: Vec<usize>,
    /// The observations' positions and kinds, by slot, then by position.
    pos: Vec<usize>,
    kinds: Vec<Kind>,
    /// Per observation: the forward and the backward evidence sum.
    evidence: Vec<(f64, f64)>,
    /// Per observation, once counted: the forward and the backward garbled
    /// count, then original count.
    counts: Vec<[(f64, f64); 2]>,
}

/// `obs` sorted by key, then by position (each pair of key and position
/// is distinct, so there is one such order). The keys are few (the pairs
/// of a table and the kinds of mark) and each key's observations come in
/// a few runs already in order (the readings add a pair's garbled forms in
/// text order, then its originals), so a counting sort by key and a merge
/// of each key's runs (the standard library's stable sort finds them)
/// take linear time, where a general sort took 5% of a long text's.
fn by_key_and_position(obs: Vec<Obs>) -> Vec<Obs> {
    let Some(max) = obs.iter().map(|o| o.key as usize).max() else {
        return obs;
    };
    let mut next = vec![0usize; max + 2];
    for o in &obs {
        next[o.key as usize + 1] += 1;
    }
    for k in 0..=max {
        next[k + 1] += next[k];
    }
    let starts = next.clone();
    let mut sorted = obs.clone();
    for o in obs {
        let at = &mut next[o.key as usize];
        sorted[*at] = o;
        *at += 1;
    }
    for k in 0..=max {
        sorted[starts[k]..starts[k + 1]].sort_by_key(|o| o.pos);
    }
    sorted
}

/// `exp(−d / decay)`, written as the sweeps wrote it.
fn fade(d: usize, decay: f64) -> f64 {
    (-(d as f64) / decay).exp()
}

impl Sums {
    /// The evidence sums of `obs` (in any order; one observation per key
    /// and position) fading over `decay` bytes.
    pub(crate) fn new(obs: Vec<Obs>, decay: f64) -> Sums {
        let obs = by_key_and_position(obs);
        debug_assert!(
            obs.windows(2)
                .all(|w| (w[0].key, w[0].pos) < (w[1].key, w[1].pos))
        );
        let mut s = Sums {
            decay,
            pos: obs.iter().map(|o| o.pos).collect(),
            kinds: obs.iter().map(|o| o.kind).collect(),
            evidence: vec![(0.0, 0.0); obs.len()],
            ..Sums::default()
        };
        let mut i = 0;
        while i < obs.len() {
            let first = i;
            while i < obs.len() && obs[i].key == obs[first].key {
                i += 1;
            }
            s.keys.push(obs[first].key as usize);
            s.starts.push(first);
            sweep(
                &gaps(&s.pos[first..i], decay),
                |j| obs[first + j].value,
                &mut s.evidence[first..i],
            );
        }
        s.starts.push(obs.len());
        s
    }

    /// Adds the garbled and original counts of the slots whose key
    /// `counted` accepts; reading the counts of another slot gives zeros.
    pub(crate) fn count(&mut self, counted: impl Fn(usize) -> bool) {
        self.counts = vec![[(0.0, 0.0); 2]; self.pos.len()];
        for (slot, &key) in self.keys.iter().enumerate() {
            if !counted(key) {
                continue;
            }
            let r = self.starts[slot]..self.starts[slot + 1];
            let kinds = &self.kinds[r.clone()];
            let gaps = gaps(&self.pos[r.clone()], self.decay);
            let one = |kind: Kind| move |j: usize| if kinds[j] == kind { 1.0 } else { 0.0 };
            let mut g = vec![(0.0, 0.0); kinds.len()];
            let mut o = vec![(0.0, 0.0); kinds.len()];
            sweep(&gaps, one(Kind::Garbled), &mut g);
            sweep(&gaps, one(Kind::Original), &mut o);
            for (c, (g, o)) in self.counts[r].iter_mut().zip(g.into_iter().zip(o)) {
                *c = [g, o];
            }
        }
    }

    /// The slots' keys, in increasing order; a slot is its index here.
    pub(crate) fn keys(&self) -> &[usize] {
        &self.keys
    }

    /// The slot of `key`, if it has observations.
    pub(crate) fn slot_of(&self, key: usize) -> Option<usize> {
        self.keys.binary_search(&key).ok()
    }

    fn range(&self, slot: usize) -> Range<usize> {
        self.starts[slot]..self.starts[slot + 1]
    }

    /// The first observation of `slot` after position `t`.
    fn after(&self, slot: usize, t: usize) -> usize {
        let r = self.range(slot);
        r.start + self.pos[r].partition_point(|&p| p <= t)
    }

    /// The faded sum at `t` from observation `i` (the first after `t`) of
    /// `slot`, with the forward and backward sums `at(j)` of observation `j`.
    fn read(&self, slot: usize, t: usize, i: usize, at: impl Fn(usize) -> (f64, f64)) -> f64 {
        let r = self.range(slot);
        let mut v = 0.0;
        if i > r.start {
            v += at(i - 1).0 * fade(t - self.pos[i - 1], self.decay);
        }
        if i < r.end {
            v += at(i).1 * fade(self.pos[i] - t, self.decay);
        }
        v
    }

    /// The evidence sum of `slot` at `t`.
    pub(crate) fn evidence(&self, slot: usize, t: usize) -> f64 {
        self.read(slot, t, self.after(slot, t), |j| self.evidence[j])
    }

    /// The evidence sum of `slot` at `t`, for positions `t` read in
    /// increasing order with the same `cursor` (which starts at 0): no
    /// search.
    pub(crate) fn evidence_from(&self, slot: usize, t: usize, cursor: &mut usize) -> f64 {
        let r = self.range(slot);
        let mut i = (*cursor).max(r.start);
        while i < r.end && self.pos[i] <= t {
            i += 1;
        }
        *cursor = i;
        self.read(slot, t, i, |j| self.evidence[j])
    }

    /// The garbled and the original count of `slot` at `t` (zeros when
    /// counts were not kept for it).
    pub(crate) fn counts(&self, slot: usize, t: usize) -> (f64, f64) {
        if self.counts.is_empty() {
            return (0.0, 0.0);
        }
        let i = self.after(slot, t);
        (
            self.read(slot, t, i, |j| self.counts[j][0]),
            self.read(slot, t, i, |j| self.counts[j][1]),
        )
    }
}

/// Faded sums `Σ_j values[j]·exp(−|pos[j] − t| / decay)` of one sequence of
/// observations, read at fixed points, for values that change from one
/// call to the next (the rounds of the share estimate): the fading factors
/// are computed once, and a call costs a few multiplications per
/// observation and per point. The arithmetic is that of [`Sums`].
#[derive(Debug)]
pub(crate) struct Fader {
    /// The factors between consecutive observations ([`gaps`]).
    gaps: Vec<f64>,
    /// Per point: the first observation after it, and the factors from the
    /// observation before it and to that one.
    reads: Vec<(usize, f64, f64)>,
    /// The forward and backward sums of the last call, per observation.
    sums: Vec<(f64, f64)>,
}

impl Fader {
    /// The factors for observations at `pos` and points `points` (both
    /// increasing).
    pub(crate) fn new(pos: &[usize], points: &[usize], decay: f64) -> Fader {
        let mut i = 0;
        let reads = points
            .iter()
            .map(|&t| {
                while i < pos.len() && pos[i] <= t {
                    i += 1;
                }
                let before = if i > 0 {
                    fade(t - pos[i - 1], decay)
                } else {
                    0.0
                };
                let after = if i < pos.len() {
                    fade(pos[i] - t, decay)
                } else {
                    0.0
                };
                (i, before, after)
            })
            .collect();
        Fader {
            gaps: gaps(pos, decay),
            reads,
            sums: vec![(0.0, 0.0); pos.len()],
        }
    }

    /// The sums of `values` (one per observation) at the points, into `out`.
    pub(crate) fn sums(&mut self, values: &[f64], out: &mut Vec<f64>) {
        debug_assert_eq!(values.len(), self.gaps.len());
        sweep(&self.gaps, |j| values[j], &mut self.sums);
        out.clear();
        out.extend(self.reads.iter().map(|&(i, before, after)| {
            let mut v = 0.0;
            if i > 0 {
                v += self.sums[i - 1].0 * before;
            }
            if i < self.sums.len() {
                v += self.sums[i].1 * after;
            }
            v
        }));
    }
}

/// The fading factors between consecutive observations at positions `pos`
/// (increasing): `exp(−(pos[j] − pos[j − 1]) / decay)`, and 0 for the first.
fn gaps(pos: &[usize], decay: f64) -> Vec<f64> {
    (0..pos.len())
        .map(|j| {
            if j == 0 {
                0.0
            } else {
                fade(pos[j] - pos[j - 1], decay)
            }
        })
        .collect()
}

/// The forward and backward sums of `value(j)` over one slot's
/// observations, whose consecutive fading factors are `gaps`, into `out`.
fn sweep(gaps: &[f64], value: impl Fn(usize) -> f64, out: &mut [(f64, f64)]) {
    let mut acc = 0.0;
    for (j, (&g, x)) in gaps.iter().zip(out.iter_mut()).enumerate() {
        acc = acc * g + value(j);
        x.0 = acc;
    }
    let mut acc = 0.0;
    for j in (0..gaps.len()).rev() {
        acc = match gaps.get(j + 1) {
            None => value(j),
            Some(&g) => acc * g + value(j),
        };
        out[j].1 = acc;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        /// The linear sort gives the order of a general sort by key and
        /// position.
        #[test]
        fn sorted_by_key_and_position(
            picks in proptest::collection::btree_set((0u32..12, 0usize..400), 0..80),
            shuffle in proptest::collection::vec(0usize..1000, 80),
        ) {
            let mut obs: Vec<Obs> = picks
                .iter()
                .map(|&(key, pos)| Obs { pos, value: pos as f64, key, kind: Kind::Garbled })
                .collect();
            // Any order in.
            for (i, &j) in shuffle.iter().enumerate().take(obs.len()) {
                let n = obs.len();
                obs.swap(i, j % n);
            }
            let mut want = obs.clone();
            want.sort_unstable_by_key(|o| (o.key, o.pos));
            let got = by_key_and_position(obs);
            let keys = |v: &[Obs]| v.iter().map(|o| (o.key, o.pos)).collect::<Vec<_>>();
            proptest::prop_assert_eq!(keys(&got), keys(&want));
        }
    }

    #[test]
    fn fader_gives_the_sum_it_says() {
        let pos = [10, 500, 520, 9000];
        let values = [1.0, 0.5, 2.0, 0.25];
        let points = [0, 10, 510, 4000, 9000, 20_000];
        let mut got = Vec::new();
        Fader::new(&pos, &points, 900.0).sums(&values, &mut got);
        assert_eq!(got.len(), points.len());
        for (t, g) in points.iter().zip(&got) {
            let want: f64 = pos
                .iter()
                .zip(&values)
                .map(|(&p, v)| v * (-(p.abs_diff(*t) as f64) / 900.0).exp())
                .sum();
            assert!((g - want).abs() < 1e-12, "at {t}: {g} vs {want}");
        }
        Fader::new(&[], &points, 900.0).sums(&[], &mut got);
        assert!(got.len() == points.len() && got.iter().all(|&x| x == 0.0));
    }

    /// The sweeps over the points that [`Sums`] replaces: adds
    /// `S(t) = Σ c_i·exp(−|pos_i − t| / decay)` at each of `points` (sorted)
    /// to `out`, for `obs` (position, value) sorted by position.
    fn decayed_sums(obs: &[(usize, f64)], points: &[usize], decay: f64, out: &mut [f64]) {
        let mut acc = 0.0;
        let mut at = 0usize;
        let mut i = 0;
        for (k, &t) in points.iter().enumerate() {
            while i < obs.len() && obs[i].0 <= t {
                let (p, c) = obs[i];
                acc = acc * (-((p - at) as f64) / decay).exp() + c;
                at = p;
                i += 1;
            }
            if i == 0 && out[k].to_bits() != (-0.0f64).to_bits() {
                continue;
            }
            out[k] += acc * (-((t - at) as f64) / decay).exp();
        }
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

    /// The obvious quadratic sum.
    fn naive(obs: &[(usize, f64)], t: usize, decay: f64) -> f64 {
        obs.iter()
            .map(|&(p, c)| c * (-(p.abs_diff(t) as f64) / decay).exp())
            .sum()
    }

    fn kind(k: u8) -> Kind {
        [Kind::Garbled, Kind::Original, Kind::Mark][usize::from(k % 3)]
    }

    proptest::proptest! {
        #[test]
        fn sums_match_the_sweeps_bit_for_bit(
            raw in proptest::collection::vec((0usize..4, 0usize..20_000, -3.0f64..3.0, 0u8..3), 0..60),
            mut points in proptest::collection::vec(0usize..20_000, 0..20),
        ) {
            let mut obs: Vec<Obs> = raw
                .iter()
                .map(|&(key, pos, value, k)| Obs { key: key as u32, pos, value, kind: kind(k) })
                .collect();
            obs.sort_by_key(|o| (o.key, o.pos));
            obs.dedup_by_key(|o| (o.key, o.pos));
            points.sort_unstable();
            let counted = |key: usize| key != 2;
            let mut sums = Sums::new(obs.clone(), 3000.0);
            sums.count(counted);
            for (slot, &key) in sums.keys().iter().enumerate() {
                proptest::prop_assert_eq!(sums.slot_of(key), Some(slot));
                let mine: Vec<&Obs> = obs.iter().filter(|o| o.key as usize == key).collect();
                let field = |f: &dyn Fn(&Obs) -> f64| -> Vec<(usize, f64)> {
                    mine.iter().map(|o| (o.pos, f(o))).collect()
                };
                let one = |k: Kind| move |o: &Obs| if o.kind == k { 1.0 } else { 0.0 };
                let fields = [
                    field(&|o| o.value),
                    field(&one(Kind::Garbled)),
                    field(&one(Kind::Original)),
                ];
                let want: Vec<Vec<f64>> = fields
                    .iter()
                    .map(|f| {
                        let mut out = vec![0.0; points.len()];
                        decayed_sums(f, &points, 3000.0, &mut out);
                        out
                    })
                    .collect();
                let mut cursor = 0;
                for (k, &t) in points.iter().enumerate() {
                    let e = sums.evidence(slot, t);
                    proptest::prop_assert_eq!(e.to_bits(), want[0][k].to_bits());
                    let e2 = sums.evidence_from(slot, t, &mut cursor);
                    proptest::prop_assert_eq!(e2.to_bits(), want[0][k].to_bits());
                    proptest::prop_assert!((e - naive(&fields[0], t, 3000.0)).abs() < 1e-9);
                    let (g, o) = sums.counts(slot, t);
                    if counted(key) {
                        proptest::prop_assert_eq!(g.to_bits(), want[1][k].to_bits());
                        proptest::prop_assert_eq!(o.to_bits(), want[2][k].to_bits());
                    } else {
                        proptest::prop_assert_eq!((g, o), (0.0, 0.0));
                    }
                }
            }
        }
    }
}

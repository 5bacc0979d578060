//! Bounds by region of a long text: where some family could be active.
//!
//! `refine` (in `analyse`) bounds a pair's evidence at every point of a
//! text by the sum of its garbled occurrences' values, each counted in
//! full, and leaves out the originals (whose values are negative). Evidence
//! fades with distance, by e every [`Params::decay`] bytes, so over a text
//! many decay lengths long that bound stands far above what any point
//! shows: a family stays possible that no point makes active, and the whole
//! decision is made, point by point, to find nothing.
//!
//! Here the range of the text's points is cut into regions of about one
//! decay length. A point of a region is at least as far from an occurrence
//! as the region is, so a garbled occurrence counts there at most faded by
//! that distance; and at most as far as the region's far end, so an
//! original that the decision counts (its family possible, outside a
//! compound) counts there at least faded by that. Each pair's bound so
//! found per region, and the marks' counted the same way, go through the
//! bound slots and `possible_in` as `refine`'s do. A region where no family
//! is possible is *closed*: no point of it has an active family. When every
//! region is closed, no family is active anywhere, as when `refine` rules
//! them out; otherwise the decision skips the points of closed regions.
//!
//! Over a text of fewer than [`MIN_REGIONS`] decay lengths the regions
//! would tell little more than `refine`, and are not cut.
//!
//! Cost: per pair, one sweep each way over the regions; per region, one
//! `possible_in`. Memory: one bound per pair and region (8 bytes), about
//! 400 KB at most for the built-in table in a window of the longest kind.

use super::analyse::{MARK_KINDS, Marks, bound_slots, mark_value, possible_in};
use super::model::{FAMILIES, Params, Slot};
use super::table::Table;

/// Texts whose points span fewer decay lengths than this are not cut.
const MIN_REGIONS: usize = 4;

/// The regions of one text, and which are open.
#[derive(Debug)]
pub(super) struct Regions {
    /// Where the first region starts (bytes from the text's start: the
    /// points start up to a block before it) and each region's length.
    lo: f64,
    len: f64,
    /// How much a value fades over one region.
    fade: f64,
    /// How much a value fades over `i` [`STEPS`]ths of a region.
    steps: [f64; STEPS + 1],
    /// Per region: whether some family may be active at a point of it.
    open: Vec<bool>,
}

/// A region's length is cut into this many steps for the fading inside a
/// region: a value's distance to a region's end is rounded to a step, down
/// where the value must count at most (garbled occurrences, marks), up
/// where it must count at least (originals), without an `exp` per value.
const STEPS: usize = 64;

/// Where a position falls: its region, and how much a value there fades
/// to the region's start and to its end, rounded (see [`STEPS`]).
#[derive(Clone, Copy, Debug)]
struct Place {
    region: usize,
    to_start: f64,
    to_end: f64,
}

/// Which way [`Regions::place`] rounds: a weight at least (`Most`) or at
/// most (`Least`) the true one.
#[derive(Clone, Copy, Debug)]
enum Round {
    Most,
    Least,
}

/// What the regions are cut for: the pairs with garbled occurrences
/// (`seen`, sorted) and their confirm-context counts (per pair, as
/// `refine` has them); each garbled occurrence as (index in `seen`,
/// position, the most it shows: its value if scored, else its cap); each
/// counted original as (index in `seen`, position); the text's marks; what
/// flattened punctuation adds to every family; the families the decision
/// considers.
pub(super) struct Evidence<'a> {
    pub seen: &'a [usize],
    pub confirmed: &'a [u32],
    pub garbled: Vec<(usize, usize, f64)>,
    pub originals: Vec<(usize, usize)>,
    pub marks: &'a Marks,
    pub base: f64,
    pub possible: u8,
}

impl Regions {
    /// Whether a text of `len` bytes spans enough decay lengths to be cut.
    pub(super) fn spans(params: &Params, len: usize) -> bool {
        let extent = len as f64 + 2.0 * params.block as f64;
        params.decay > 0.0 && extent / params.decay >= MIN_REGIONS as f64
    }

    /// Cuts the points of a text of `len` bytes into regions, and closes
    /// those where `ev` leaves no family possible; `None` when the text is
    /// too short ([`spans`](Regions::spans)).
    pub(super) fn new(
        table: &Table,
        params: &Params,
        len: usize,
        ev: Evidence<'_>,
    ) -> Option<Regions> {
        let mut regions = Regions::cut(params, len)?;
        let g = &regions;
        let n = g.open.len();

        // Per region and family: what the marks and flattened punctuation
        // add at most, as `refine`'s `marks` for the whole text.
        let mut marks = vec![[ev.base; FAMILIES.len()]; n];
        let mut row = Vec::with_capacity(n);
        for (kind, m) in ev.marks.kinds().into_iter().zip(&MARK_KINDS) {
            if kind.is_empty() {
                continue;
            }
            g.sweep_near(
                kind.iter().map(|&p| (g.place(p, Round::Most), 1.0)),
                &mut row,
            );
            for (bound, &count) in marks.iter_mut().zip(&row) {
                // Slack for rounding, as `bound_slot` gives a pair's. A
                // faded count is never 0 at a point, so the slot stays
                // wherever the text has the mark.
                let count = count * (1.0 + 1e-9) + 1e-9;
                bound[m.family] += mark_value(params, m, count).max(f64::MIN_POSITIVE);
            }
        }

        // Per pair and region, the most the pair shows at a point there:
        // the occurrences grouped by pair (a counting sort).
        let nseen = ev.seen.len();
        let (garbled, g_at) = by_pair(nseen, &ev.garbled, |o| o.0);
        let (originals, o_at) = by_pair(nseen, &ev.originals, |o| o.0);
        let original = params.original_llr();
        // Region by region, each region's pairs in the order of `seen`.
        let mut bounds = vec![0.0; nseen * n];
        for k in 0..nseen {
            let garbled = &garbled[g_at[k]..g_at[k + 1]];
            let originals = &originals[o_at[k]..o_at[k + 1]];
            let near = garbled
                .iter()
                .map(|&&(_, p, v)| (g.place(p, Round::Most), v));
            g.sweep_near(near, &mut row);
            let far = originals
                .iter()
                .map(|&&(_, p)| (g.place(p, Round::Least), original));
            g.add_far(far, &mut row);
            // Slack for rounding: the decision adds the same values, faded
            // by other factors and in another order.
            let mass =
                garbled.iter().map(|o| o.2).sum::<f64>() + originals.len() as f64 * original.abs();
            let slack = 1e-9 * mass + 1e-9;
            for (r, m) in row.iter().enumerate() {
                bounds[r * nseen + k] = m + slack;
            }
        }

        let mut slots: Vec<Slot> = Vec::with_capacity(FAMILIES.len() + ev.seen.len());
        for (r, open) in regions.open.iter_mut().enumerate() {
            let most = &bounds[r * nseen..(r + 1) * nseen];
            bound_slots(
                table,
                params,
                (ev.seen, ev.confirmed, most),
                &marks[r],
                &mut slots,
            );
            *open = possible_in(params, &slots, false) & ev.possible != 0;
        }
        Some(regions)
    }

    /// How many regions are open, and how many there are.
    #[cfg(test)]
    pub(super) fn open_count(&self) -> (usize, usize) {
        (self.open.iter().filter(|&&o| o).count(), self.open.len())
    }

    /// The regions of a text of `len` bytes, all open.
    fn cut(params: &Params, len: usize) -> Option<Regions> {
        if !Regions::spans(params, len) {
            return None;
        }
        // The points are block centres: from a block before the text's
        // start (a block may begin before a window) to one after its end.
        let block = params.block as f64;
        let (lo, hi) = (-block, len as f64 + block);
        let n = ((hi - lo) / params.decay).floor() as usize;
        let rlen = (hi - lo) / n as f64;
        let step = rlen / params.decay / STEPS as f64;
        Some(Regions {
            lo,
            len: rlen,
            fade: (-rlen / params.decay).exp(),
            steps: std::array::from_fn(|i| (-(i as f64) * step).exp()),
            open: vec![true; n],
        })
    }

    /// Whether some region is open.
    pub(super) fn any_open(&self) -> bool {
        self.open.iter().any(|&o| o)
    }

    /// Whether the region of point `t` (bytes from the text's start, a
    /// block before it at the least) is open.
    pub(super) fn open_at(&self, t: f64) -> bool {
        self.open[self.region_of(t)]
    }

    fn region_of(&self, pos: f64) -> usize {
        (((pos - self.lo) / self.len).floor().max(0.0) as usize).min(self.open.len() - 1)
    }

    /// Where byte `pos` of the text falls, its weights rounded `round`.
    fn place(&self, pos: usize, round: Round) -> Place {
        let pos = pos as f64;
        let region = self.region_of(pos);
        let start = self.lo + region as f64 * self.len;
        // The distances to the region's ends, in steps.
        let from_start = ((pos - start) / self.len * STEPS as f64).clamp(0.0, STEPS as f64);
        let to_end = STEPS as f64 - from_start;
        let weight = |d: f64| {
            let i = match round {
                Round::Most => d.floor(),
                Round::Least => d.ceil(),
            };
            self.steps[i as usize]
        };
        Place {
            region,
            to_start: weight(from_start),
            to_end: weight(to_end),
        }
    }

    /// Into `out` (one value per region): the most that `values`, as
    /// (place, value ≥ 0), add at any point of each region, each faded by
    /// its distance to the region.
    fn sweep_near(&self, values: impl Iterator<Item = (Place, f64)>, out: &mut Vec<f64>) {
        let n = self.open.len();
        out.clear();
        out.resize(n, 0.0);
        // Per region: the values inside faded to its start and to its end.
        let mut to_start = vec![0.0; n];
        let mut to_end = vec![0.0; n];
        for (p, v) in values {
            out[p.region] += v;
            to_start[p.region] += v * p.to_start;
            to_end[p.region] += v * p.to_end;
        }
        // A region after a value's sees it faded to the value's region's
        // end, then over the regions between.
        let mut left = 0.0;
        for k in 0..n {
            out[k] += left;
            left = left * self.fade + to_end[k];
        }
        let mut right = 0.0;
        for k in (0..n).rev() {
            out[k] += right;
            right = right * self.fade + to_start[k];
        }
    }

    /// Adds to `out` (one value per region) the least that `values`, as
    /// (place, value ≤ 0), add at any point of each region, each faded by
    /// its distance to the region's far end.
    fn add_far(&self, values: impl Iterator<Item = (Place, f64)>, out: &mut [f64]) {
        let n = self.open.len();
        let mut to_start = vec![0.0; n];
        let mut to_end = vec![0.0; n];
        for (p, v) in values {
            // In its own region, the farther end.
            out[p.region] += v * p.to_start.min(p.to_end);
            to_start[p.region] += v * p.to_start;
            to_end[p.region] += v * p.to_end;
        }
        // A region after a value's: the far end is that region's end,
        // one region further than its start.
        let mut left = 0.0;
        for k in 0..n {
            out[k] += left;
            left = (left + to_end[k]) * self.fade;
        }
        let mut right = 0.0;
        for k in (0..n).rev() {
            out[k] += right;
            right = (right + to_start[k]) * self.fade;
        }
    }
}

/// `items` grouped by `key` (below `n`), and where each key's group starts
/// (`at[k]..at[k + 1]`).
fn by_pair<T>(n: usize, items: &[T], key: impl Fn(&T) -> usize) -> (Vec<&T>, Vec<usize>) {
    let mut at = vec![0; n + 1];
    for o in items {
        at[key(o) + 1] += 1;
    }
    for k in 0..n {
        at[k + 1] += at[k];
    }
    let mut next = at.clone();
    let mut out: Vec<Option<&T>> = vec![None; items.len()];
    for o in items {
        let k = key(o);
        out[next[k]] = Some(o);
        next[k] += 1;
    }
    (out.into_iter().flatten().collect(), at)
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        /// At every point of a region, the faded sum of garbled values and
        /// originals is at most the region's bound.
        #[test]
        fn a_region_bounds_each_of_its_points(
            len in 400usize..3000,
            garbled in proptest::collection::vec((0.0f64..1.0, 0.0f64..8.0), 0..30),
            originals in proptest::collection::vec(0.0f64..1.0, 0..30),
        ) {
            let params = Params { decay: 100.0, block: 30, ..Params::default() };
            let g = Regions::cut(&params, len).expect("long enough");
            let at = |x: f64| ((x * len as f64) as usize).min(len);
            let garbled: Vec<(usize, f64)> = garbled.iter().map(|&(x, v)| (at(x), v)).collect();
            let originals: Vec<usize> = originals.iter().map(|&x| at(x)).collect();
            let ell = params.original_llr();
            let mut row = Vec::new();
            g.sweep_near(garbled.iter().map(|&(p, v)| (g.place(p, Round::Most), v)), &mut row);
            g.add_far(originals.iter().map(|&p| (g.place(p, Round::Least), ell)), &mut row);
            let mass: f64 = garbled.iter().map(|o| o.1).sum::<f64>() + originals.len() as f64 * ell.abs();
            let fade = |p: usize, t: f64| (-(p as f64 - t).abs() / params.decay).exp();
            for (r, &bound) in row.iter().enumerate() {
                let start = g.lo + r as f64 * g.len;
                for i in 0..=16 {
                    let t = start + g.len * f64::from(i) / 16.0;
                    let exact: f64 = garbled.iter().map(|&(p, v)| v * fade(p, t)).sum::<f64>()
                        + originals.iter().map(|&p| ell * fade(p, t)).sum::<f64>();
                    proptest::prop_assert!(
                        bound + 1e-9 * mass + 1e-9 >= exact,
                        "region {r}, point {t}: bound {bound} < {exact}"
                    );
                }
            }
        }
    }

    #[test]
    fn a_short_text_is_not_cut() {
        let params = Params::default();
        assert!(Regions::cut(&params, 7_500).is_none());
        let g = Regions::cut(&params, 1 << 20).expect("a MiB is cut");
        assert_eq!(g.open.len(), ((1 << 20) as f64 / params.decay) as usize);
    }
}

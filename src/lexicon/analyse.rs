//! Reading a text: the candidate search, the context rules, the language
//! model scores, and the evidence they add up to. [`decide`] turns the
//! evidence into repairs; [`diagnose`] reports it.

use super::diagnosis::{Diagnosis, FamilyEvidence, PairEvidence};
use super::model::{self, FAMILIES, MARK_FAMILY, Params, active_families, decayed_sums};
use super::table::{Table, in_compound};
use crate::lm::{CharLm, Token};

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

/// The punctuation marks of family A's tool in a text, as the punctuation
/// layer finds them: `〞` closing a `“`, and `〔…〕` around ordinary text
/// (byte positions). PAIRS.md lists both among the tool's fingerprints;
/// they add to family A's evidence like two more pairs.
#[derive(Debug, Default)]
pub(crate) struct Marks {
    pub quotes: Vec<usize>,
    pub brackets: Vec<usize>,
}

impl Marks {
    /// Finds the marks, running the punctuation layer's scan only when the
    /// text holds one of the characters.
    pub(crate) fn find(text: &str) -> Marks {
        let mut m = Marks::default();
        if !text.contains(['〞', '〟', '〔']) {
            return m;
        }
        let mut found = Vec::new();
        crate::punct::scan(text, &mut found);
        for p in found {
            match &*p.rule {
                "punct/quote-close" => m.quotes.push(p.start),
                "punct/bracket" if p.after == "（" => m.brackets.push(p.start),
                _ => {}
            }
        }
        m
    }

    fn kinds(&self) -> [&[usize]; 2] {
        [&self.quotes, &self.brackets]
    }
}

/// The names a [`Diagnosis`] gives the two kinds of marks, as pairs.
const MARK_NAMES: [(&str, &str); 2] = [("〞", "”"), ("〔〕", "（）")];

/// What [`read`] found in a text.
struct Reading {
    cands: Vec<Cand>,
    /// Per pair: garbled occurrences (not protected), those in a confirm
    /// context, protected ones, original occurrences outside compounds.
    garbled: Vec<u32>,
    confirmed: Vec<u32>,
    protected: Vec<u32>,
    originals: Vec<u32>,
    /// Evaluation points (byte positions), one per block with scored
    /// candidates.
    points: Vec<usize>,
    /// Per point: active families (bit set) and each family's evidence.
    active: Vec<u8>,
    evidence: Vec<[f64; FAMILIES.len()]>,
    /// Pairs with observations, and their value at each point
    /// (`values[slot * points.len() + k]`). Slots `npairs` and `npairs + 1`
    /// stand for the two kinds of [`Marks`].
    slots: Vec<usize>,
    values: Vec<f64>,
    /// The same with the diagnosis score's weaker bar per occurrence (only
    /// when reading for a diagnosis).
    score_values: Vec<f64>,
}

/// Reads `text`. With `everything`, every family is considered (for the
/// diagnosis); otherwise only families whose evidence could reach their
/// threshold, and none when document evidence is off.
fn read(table: &Table, params: &Params, text: &str, marks: &Marks, everything: bool) -> Reading {
    let npairs = table.pairs.len();
    let mut r = Reading {
        cands: Vec::new(),
        garbled: vec![0; npairs],
        confirmed: vec![0; npairs],
        protected: vec![0; npairs],
        originals: vec![0; npairs],
        points: Vec::new(),
        active: Vec::new(),
        evidence: Vec::new(),
        slots: Vec::new(),
        values: Vec::new(),
        score_values: Vec::new(),
    };
    let mut orig_occ: Vec<(usize, usize, usize, usize)> = Vec::new(); // (start, end, pair, form)
    for m in table.automaton.find_iter(text) {
        let form = &table.forms[m.pattern().as_usize()];
        let (start, end) = (m.start(), m.end());
        for &p in &form.as_garbled {
            let pair = &table.pairs[p];
            if pair.protect.iter().any(|c| c.matches(text, start, end)) {
                r.protected[p] += 1;
                continue;
            }
            r.garbled[p] += 1;
            let confirmed = pair.confirm.iter().any(|c| c.matches(text, start, end));
            r.confirmed[p] += u32::from(confirmed);
            r.cands.push(Cand {
                start,
                end,
                pair: p,
                confirmed,
                lctx: 0.0,
                scored: false,
                point: 0,
            });
        }
        for &p in &form.as_original {
            orig_occ.push((start, end, p, m.pattern().as_usize()));
        }
    }
    let nmarks = marks.quotes.len() + marks.brackets.len();
    if r.cands.is_empty() && !(everything && nmarks > 0) {
        return r;
    }

    // The families whose evidence could reach their threshold: each pair
    // adds at most cap_pair, each occurrence at most cap_occurrence (a
    // confirmed one adds exactly that).
    let mut possible = 0u8;
    if everything || params.use_evidence {
        let mut bound = [0.0f64; FAMILIES.len()];
        for (p, pair) in table.pairs.iter().enumerate() {
            let per = params.cap_occurrence.max(params.confirm_evidence);
            let b = (f64::from(r.garbled[p]) * per).min(params.cap_pair);
            for (f, x) in bound.iter_mut().enumerate() {
                if pair.families & (1 << f) != 0 {
                    *x += b;
                }
            }
        }
        for kind in marks.kinds() {
            bound[MARK_FAMILY] += (kind.len() as f64 * params.mark_evidence).min(params.cap_pair);
        }
        for (f, (&b, &t)) in bound.iter().zip(&params.threshold).enumerate() {
            if everything || b >= t {
                possible |= 1 << f;
            }
        }
    }
    if possible == 0 {
        return r;
    }

    // Score the candidates of pairs in possible families.
    let lm = CharLm::get();
    let mut scorer = Scorer::new(lm);
    // (pair, pos, value, value for the diagnosis score)
    let mut obs: Vec<(usize, usize, f64, f64)> = Vec::new();
    let mut blocks: Vec<usize> = Vec::new();
    for c in &mut r.cands {
        let pair = &table.pairs[c.pair];
        if pair.families & possible == 0 {
            continue;
        }
        let base = params.base_rate(f64::from(pair.freq_garbled), f64::from(pair.freq_original));
        let (value, score_value) = if c.confirmed {
            c.lctx = params.lr_clamp;
            (params.confirm_evidence, params.confirm_evidence)
        } else {
            let lr10 = scorer.ratio10(text, c.start, c.end, &pair.garbled, &pair.original);
            c.lctx = f64::from(lr10) * std::f64::consts::LN_10;
            let lr = c.lctx + base;
            (params.contribution(lr), params.score_contribution(lr))
        };
        c.scored = true;
        obs.push((c.pair, c.start, value, score_value));
        let block = c.start / params.block.max(1);
        if blocks.last() != Some(&block) {
            blocks.push(block);
        }
    }
    for &(start, end, p, form) in &orig_occ {
        let pair = &table.pairs[p];
        if pair.families & possible == 0
            || r.garbled[p] == 0
            || in_compound(text, start, end, &table.forms[form].compounds)
        {
            continue;
        }
        r.originals[p] += 1;
        obs.push((p, start, params.original_evidence, params.original_evidence));
    }
    if possible & (1 << MARK_FAMILY) != 0 {
        for (k, kind) in marks.kinds().into_iter().enumerate() {
            for &pos in kind {
                obs.push((npairs + k, pos, params.mark_evidence, params.mark_evidence));
                blocks.push(pos / params.block.max(1));
            }
        }
    }
    obs.sort_by_key(|&(p, pos, _, _)| (p, pos));
    blocks.sort_unstable();
    blocks.dedup();
    let half = params.block / 2;
    r.points = blocks.iter().map(|&b| b * params.block + half).collect();
    for c in r.cands.iter_mut().filter(|c| c.scored) {
        let block = c.start / params.block.max(1);
        c.point = blocks
            .binary_search(&block)
            .expect("every scored block has a point");
    }

    // Each pair's decayed evidence at each point.
    let k = r.points.len();
    let mut pos_buf: Vec<(usize, f64)> = Vec::new();
    let mut i = 0;
    while i < obs.len() {
        let p = obs[i].0;
        let first = i;
        while i < obs.len() && obs[i].0 == p {
            i += 1;
        }
        r.slots.push(p);
        pos_buf.clear();
        pos_buf.extend(obs[first..i].iter().map(|o| (o.1, o.2)));
        let from = r.values.len();
        r.values.resize(from + k, 0.0);
        decayed_sums(&pos_buf, &r.points, params.decay, &mut r.values[from..]);
        if everything {
            pos_buf.clear();
            pos_buf.extend(obs[first..i].iter().map(|o| (o.1, o.3)));
            r.score_values.resize(from + k, 0.0);
            decayed_sums(
                &pos_buf,
                &r.points,
                params.decay,
                &mut r.score_values[from..],
            );
        }
    }

    // Active families at each point.
    let fams: Vec<u8> = r
        .slots
        .iter()
        .map(|&p| {
            table
                .pairs
                .get(p)
                .map_or(1 << MARK_FAMILY, |pair| pair.families)
        })
        .collect();
    let mut column = vec![0.0; r.slots.len()];
    for t in 0..k {
        for (s, v) in column.iter_mut().enumerate() {
            *v = r.values[s * k + t];
        }
        let (active, evidence) = active_families(params, &column, &fams, possible);
        r.active.push(active);
        r.evidence.push(evidence);
    }
    r
}

/// Decides the repairs of `text`, sorted by position, never overlapping.
pub(crate) fn decide(
    table: &Table,
    params: &Params,
    text: &str,
    marks: &Marks,
    out: &mut Vec<Decision>,
) {
    let r = read(table, params, text, marks, false);
    if r.cands.is_empty() {
        return;
    }
    let npairs = table.pairs.len();
    // Per pair: the EM over its occurrences in an active family.
    let mut lctx: Vec<Vec<f64>> = vec![Vec::new(); npairs];
    let mut members: Vec<Vec<usize>> = vec![Vec::new(); npairs];
    for (i, c) in r.cands.iter().enumerate() {
        if c.scored && table.pairs[c.pair].families & r.active[c.point] != 0 {
            lctx[c.pair].push(c.lctx);
            members[c.pair].push(i);
        }
    }
    let mut pi = vec![f64::NAN; npairs];
    let mut weight = vec![0.0; r.cands.len()];
    let mut w = Vec::new();
    for p in 0..npairs {
        let pair = &table.pairs[p];
        let pi0 = params.prior(f64::from(pair.freq_garbled), f64::from(pair.freq_original));
        pi[p] = params.em(&lctx[p], pi0, &mut w);
        for (&i, &wi) in members[p].iter().zip(&w) {
            weight[i] = wi;
        }
    }
    let mut scorer = None;
    let mut found: Vec<Decision> = Vec::new();
    for (i, c) in r.cands.iter().enumerate() {
        let pair = &table.pairs[c.pair];
        let active = if c.scored { r.active[c.point] } else { 0 };
        let (ok, wt) = if c.confirmed {
            (true, 1.0)
        } else {
            (weight[i] > params.w_min, weight[i])
        };
        if !ok {
            continue;
        }
        // The chain guard: would the original, standing here, be repaired
        // in turn?
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
                let l = f64::from(s.ratio10(text, c.start, c.end, &next.garbled, &next.original))
                    * std::f64::consts::LN_10;
                let pq = if pi[q].is_nan() { 0.5 } else { pi[q] };
                let logit = (pq / (1.0 - pq)).ln();
                if model::sigmoid(logit + l.clamp(-params.lr_clamp, params.lr_clamp)) > params.w_min
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
            weight: wt,
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
}

/// The evidence in `text`, for [`crate::diagnose`].
pub(crate) fn diagnose(table: &Table, params: &Params, text: &str, marks: &Marks) -> Diagnosis {
    let r = read(table, params, text, marks, true);
    let k = r.points.len();
    let mut families = Vec::new();
    // The score: each family's evidence read with the weaker bar, at its
    // strongest point, relative to its threshold.
    let mut best_margin = params.margin(0.0, 1.0);
    for t in 0..k {
        let mut sum = [0.0; FAMILIES.len()];
        for (s, &p) in r.slots.iter().enumerate() {
            let fams = table
                .pairs
                .get(p)
                .map_or(1 << MARK_FAMILY, |pair| pair.families);
            let v = r.score_values[s * k + t].clamp(0.0, params.cap_pair);
            for (f, x) in sum.iter_mut().enumerate() {
                if fams & (1 << f) != 0 {
                    *x += v;
                }
            }
        }
        for (f, &x) in sum.iter().enumerate() {
            best_margin = best_margin.max(params.margin(x, params.threshold[f]));
        }
    }
    for (f, &name) in FAMILIES.iter().enumerate() {
        // The point where the family is strongest.
        let best = (0..k).max_by(|&a, &b| r.evidence[a][f].total_cmp(&r.evidence[b][f]));
        let strength = best.map_or(0.0, |t| r.evidence[t][f]);
        let active = r.active.iter().any(|a| a & (1 << f) != 0);
        let mut pairs = Vec::new();
        for (s, &p) in r.slots.iter().enumerate() {
            let Some(pair) = table.pairs.get(p) else {
                if f == MARK_FAMILY {
                    let kind = p - table.pairs.len();
                    let value = best.map_or(0.0, |t| r.values[s * k + t]);
                    let (g, o) = MARK_NAMES[kind];
                    let n = marks.kinds()[kind].len();
                    pairs.push(PairEvidence::new(
                        g,
                        o,
                        n,
                        0,
                        0,
                        value.clamp(0.0, params.cap_pair),
                    ));
                }
                continue;
            };
            if pair.families & (1 << f) == 0 {
                continue;
            }
            let value = best
                .map_or(0.0, |t| r.values[s * k + t])
                .clamp(0.0, params.cap_pair);
            let confirmed = r.confirmed[p] as usize;
            pairs.push(PairEvidence::new(
                &pair.garbled,
                &pair.original,
                r.garbled[p] as usize,
                r.originals[p] as usize,
                confirmed,
                value,
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
            strength,
            params.threshold[f],
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
        let with = self.reading(&left[..nl], original, &right[..nr]);
        let without = self.reading(&left[..nl], garbled, &right[..nr]);
        with - without
    }

    /// log10 P(form + right | left) − log10 P(form alone).
    fn reading(&mut self, left_rev: &[Token], form: &str, right: &[Token]) -> f32 {
        let buf = &mut self.buf;
        buf.clear();
        self.lm.encode_into(form, buf);
        let alone = self.lm.log10_span(buf, 0, buf.len());
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
}

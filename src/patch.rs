//! Internal edit lists: how a layer reports what it would change, how a
//! list is applied, and how the lists of successive layers are composed so
//! that every edit is expressed in coordinates of the original input.
//!
//! A layer scans a text and pushes [`Patch`]es: a byte range of *that* text
//! and its replacement. Patches of one list are sorted by start and never
//! overlap (an insertion, `start == end`, may sit at the end of the previous
//! patch but two insertions never share a position).
//!
//! When a later layer runs on the output of an earlier one, [`compose`]
//! rewrites the later patches into coordinates of the original input. Where
//! a later patch overlaps (or touches) the output of an earlier one, the two
//! are merged into one patch covering both, whose rule id joins both ids
//! with `+`. Merging is always safe: a coarser edit list still replays to the
//! same output.

use std::borrow::Cow;

use crate::edit::Layer;

/// One replacement proposed by a layer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Patch<'a> {
    /// Byte offset where the replaced text starts.
    pub start: usize,
    /// Byte offset where the replaced text ends (exclusive).
    pub end: usize,
    /// The replacement.
    pub after: Cow<'a, str>,
    /// The stable id of the rule that made this patch.
    pub rule: Cow<'a, str>,
    /// The layer that made this patch.
    pub layer: Layer,
}

impl<'a> Patch<'a> {
    /// A patch replacing `start..end` by `after`.
    pub(crate) fn new(
        start: usize,
        end: usize,
        after: impl Into<Cow<'a, str>>,
        layer: Layer,
        rule: impl Into<Cow<'a, str>>,
    ) -> Patch<'a> {
        Patch {
            start,
            end,
            after: after.into(),
            rule: rule.into(),
            layer,
        }
    }
}

/// Where a layer puts the patches it finds, in order: a list (`Vec`, for
/// `explain`, which composes the lists of successive layers), or an
/// [`Applier`] that writes the new text as they come (for `clean`, so that
/// no list is kept however many edits a text needs).
pub(crate) trait Sink<'a> {
    /// Takes the next patch; it starts at or after the end of the previous
    /// one.
    fn push(&mut self, p: Patch<'a>);
}

impl<'a> Sink<'a> for Vec<Patch<'a>> {
    fn push(&mut self, p: Patch<'a>) {
        Vec::push(self, p);
    }
}

/// Applies patches to a text as a layer finds them.
#[derive(Debug)]
pub(crate) struct Applier<'t> {
    text: &'t str,
    /// Where the text not yet copied starts.
    pos: usize,
    out: String,
    /// Whether a patch replaced something by something else.
    changed: bool,
}

impl<'t> Applier<'t> {
    pub(crate) fn new(text: &'t str) -> Applier<'t> {
        Applier {
            text,
            pos: 0,
            out: String::new(),
            changed: false,
        }
    }

    /// The new text, or `None` when it equals the old one.
    pub(crate) fn finish(mut self) -> Option<String> {
        if !self.changed {
            return None;
        }
        self.out.push_str(&self.text[self.pos..]);
        (self.out != self.text).then_some(self.out)
    }
}

impl<'a> Sink<'a> for Applier<'_> {
    fn push(&mut self, p: Patch<'a>) {
        debug_assert!(
            self.pos <= p.start && p.start <= p.end && p.end <= self.text.len(),
            "patches out of order or outside the text"
        );
        if self.out.capacity() == 0 {
            // Room for the text and for some growth: a text's first edit
            // is seldom its last (a short text's flattened commas each
            // grow it by two bytes).
            let slack = (self.text.len() / 64).max(64);
            self.out.reserve(self.text.len() + p.after.len() + slack);
        }
        self.changed |= self.text[p.start..p.end] != *p.after;
        self.out.push_str(&self.text[self.pos..p.start]);
        self.out.push_str(&p.after);
        self.pos = p.end;
    }
}

/// Applies sorted, non-overlapping `patches` to `text`.
///
/// The caller guarantees the patch invariants (every layer is tested for
/// them); out-of-order patches would make this function panic on slicing,
/// which is why it is not public.
pub(crate) fn apply(text: &str, patches: &[Patch<'_>]) -> String {
    let grow: usize = patches.iter().map(|p| p.after.len()).sum();
    let mut out = String::with_capacity(text.len() + grow);
    apply_into(text, patches, &mut out);
    out
}

/// Like [`apply`], appending to `out`.
pub(crate) fn apply_into(text: &str, patches: &[Patch<'_>], out: &mut String) {
    let mut pos = 0;
    for p in patches {
        out.push_str(&text[pos..p.start]);
        out.push_str(&p.after);
        pos = p.end;
    }
    out.push_str(&text[pos..]);
}

/// Patches kept to be applied in place ([`Edits::apply_in_place`]): each
/// one's range and the index of its replacement among the distinct ones (a
/// layer writes a few dozen), 12 bytes a patch where a [`Patch`] takes 72,
/// for a long garbled text may need a million.
#[derive(Debug, Default)]
pub(crate) struct Edits<'a> {
    /// (start, end, index into `afters`), sorted and non-overlapping.
    spans: Spans,
    afters: Vec<Cow<'a, str>>,
}

/// The ranges of [`Edits`]: in 32 bits while every offset and index fits
/// (a text shorter than 4 GiB), else in `usize`.
#[derive(Debug)]
enum Spans {
    Narrow(Vec<[u32; 3]>),
    Wide(Vec<[usize; 3]>),
}

impl Default for Spans {
    fn default() -> Spans {
        Spans::Narrow(Vec::new())
    }
}

impl Spans {
    fn len(&self) -> usize {
        match self {
            Spans::Narrow(v) => v.len(),
            Spans::Wide(v) => v.len(),
        }
    }

    fn get(&self, k: usize) -> [usize; 3] {
        match self {
            Spans::Narrow(v) => v[k].map(|x| x as usize),
            Spans::Wide(v) => v[k],
        }
    }

    fn push(&mut self, span: [usize; 3]) {
        if let Spans::Narrow(v) = self {
            match span.map(u32::try_from) {
                [Ok(a), Ok(b), Ok(c)] => return v.push([a, b, c]),
                _ => {
                    let wide = v.iter().map(|s| s.map(|x| x as usize)).collect();
                    *self = Spans::Wide(wide);
                }
            }
        }
        if let Spans::Wide(v) = self {
            v.push(span);
        }
    }

    /// Forgets the ranges, keeping room for at most `keep` of them.
    fn reset(&mut self, keep: usize) {
        match self {
            Spans::Narrow(v) => {
                v.clear();
                v.shrink_to(keep);
            }
            Spans::Wide(_) => *self = Spans::default(),
        }
    }
}

/// How many of the last distinct replacements a new patch's is compared
/// with before it is kept as another.
const RECENT: usize = 16;

impl<'a> Sink<'a> for Edits<'a> {
    fn push(&mut self, p: Patch<'a>) {
        let from = self.afters.len().saturating_sub(RECENT);
        let k = match self.afters[from..].iter().rposition(|a| *a == p.after) {
            Some(k) => from + k,
            None => {
                self.afters.push(p.after);
                self.afters.len() - 1
            }
        };
        self.spans.push([p.start, p.end, k]);
    }
}

impl Edits<'_> {
    /// Forgets the patches, keeping room for at most `keep` of them.
    pub(crate) fn reset(&mut self, keep: usize) {
        self.spans.reset(keep);
        self.afters.clear();
        self.afters.shrink_to(keep.min(RECENT));
    }

    /// The patches, as (start, end, replacement).
    fn iter(&self) -> impl DoubleEndedIterator<Item = (usize, usize, &str)> {
        (0..self.spans.len()).map(|k| {
            let [start, end, after] = self.spans.get(k);
            (start, end, &*self.afters[after])
        })
    }

    /// Applies the patches (sorted, non-overlapping, as every layer makes
    /// them) to `text` in its own buffer, so that the old and the new text
    /// are never held at once. Returns whether a patch replaced something
    /// by something else (when none did, `text` is unchanged).
    ///
    /// Each stretch of text between two patches moves by the growth of the
    /// patches before it: first the stretches that move left or stay, from
    /// the start, then those that move right, from the end, so that no
    /// stretch is overwritten before it has moved; the replacements are
    /// written last. The buffer grows to the new length at most.
    pub(crate) fn apply_in_place(&self, text: &mut String) -> bool {
        if !self
            .iter()
            .any(|(start, end, after)| text.as_bytes()[start..end] != *after.as_bytes())
        {
            return false;
        }
        // Patches that keep the length (a word for a word of as many
        // characters, most of the lexicon layer's) are written where they
        // are, and only their bytes are looked at.
        if self
            .iter()
            .all(|(start, end, after)| after.len() == end - start)
        {
            for (start, end, after) in self.iter() {
                text.replace_range(start..end, after);
            }
            return true;
        }
        let growth = |(start, end, after): (usize, usize, &str)| {
            after.len() as isize - (end - start) as isize
        };
        let old_len = text.len();
        let new_len = self
            .iter()
            .fold(old_len as isize, |n, e| n + growth(e))
            .try_into()
            .expect("a text is never shorter than nothing");
        let mut buf = std::mem::take(text).into_bytes();
        if new_len > old_len {
            // Exactly: an amortised growth would double a long text's buffer.
            buf.reserve_exact(new_len - old_len);
            buf.resize(new_len, 0);
        }
        // Stretches moving left, from the start: each stretch before a patch,
        // then the last one, moves by the growth of the patches before it.
        let mut delta = 0isize;
        let mut pos = 0;
        for e in self.iter() {
            if delta < 0 {
                buf.copy_within(pos..e.0, shift(pos, delta));
            }
            delta += growth(e);
            pos = e.1;
        }
        if delta < 0 {
            buf.copy_within(pos..old_len, shift(pos, delta));
        }
        // Stretches moving right, from the end: each stretch after a patch.
        let mut end = old_len;
        for e in self.iter().rev() {
            if delta > 0 {
                buf.copy_within(e.1..end, shift(e.1, delta));
            }
            delta -= growth(e);
            end = e.0;
        }
        let mut delta = 0isize;
        for e in self.iter() {
            let to = shift(e.0, delta);
            buf[to..to + e.2.len()].copy_from_slice(e.2.as_bytes());
            delta += growth(e);
        }
        buf.truncate(new_len);
        *text = String::from_utf8(buf).expect("patches lie on character boundaries");
        true
    }
}

/// Composes two edit lists.
///
/// `first` turns `t0` into `t1` (ranges in `t0`); `second` turns `t1` into
/// `t2` (ranges in `t1`). The result turns `t0` into `t2` with ranges in
/// `t0`. `t2` is passed so that merged patches can take their replacement
/// text from it.
pub(crate) fn compose<'a>(
    first: Vec<Patch<'a>>,
    second: Vec<Patch<'a>>,
    t2: &str,
) -> Vec<Patch<'a>> {
    if first.is_empty() {
        return second;
    }
    if second.is_empty() {
        return first;
    }
    // Each first-list patch with the span of its output in t1.
    let mut delta: isize = 0;
    let mut first: Vec<(Patch<'a>, (usize, usize))> = first
        .into_iter()
        .map(|p| {
            let s1 = shift(p.start, delta);
            delta += growth(&p);
            let span = (s1, s1 + p.after.len());
            (p, span)
        })
        .collect();
    first.reverse();
    let mut second: Vec<Patch<'a>> = second;
    second.reverse();

    let mut out = Vec::with_capacity(first.len() + second.len());
    // t1 - t0 and t2 - t1 offsets accumulated before the current cluster.
    let (mut d01, mut d12): (isize, isize) = (0, 0);
    loop {
        let take_first = match (first.last(), second.last()) {
            (None, None) => break,
            (Some(_), None) => true,
            (None, Some(_)) => false,
            (Some((_, s)), Some(q)) => s.0 <= q.start,
        };
        // A cluster starts with the earliest patch and absorbs every patch of
        // either list whose t1 span overlaps or touches the cluster's span.
        let mut members1: Vec<(Patch<'a>, (usize, usize))> = Vec::new();
        let mut members2: Vec<Patch<'a>> = Vec::new();
        let (mut lo, mut hi);
        if take_first {
            let m = first.pop().expect("checked above");
            (lo, hi) = m.1;
            members1.push(m);
        } else {
            let q = second.pop().expect("checked above");
            (lo, hi) = (q.start, q.end);
            members2.push(q);
        }
        loop {
            if let Some((_, s)) = first.last().filter(|(_, s)| touches(*s, (lo, hi))) {
                (lo, hi) = (lo.min(s.0), hi.max(s.1));
                members1.push(first.pop().expect("checked above"));
            } else if let Some(q) = second
                .last()
                .filter(|q| touches((q.start, q.end), (lo, hi)))
            {
                (lo, hi) = (lo.min(q.start), hi.max(q.end));
                members2.push(second.pop().expect("checked above"));
            } else {
                break;
            }
        }
        let d01_before = d01;
        let d12_before = d12;
        d01 += members1.iter().map(|(p, _)| growth(p)).sum::<isize>();
        d12 += members2.iter().map(growth).sum::<isize>();
        if members2.is_empty() {
            // A first-list patch that no later patch touched stays as it is.
            out.extend(members1.into_iter().map(|(p, _)| p));
            continue;
        }
        if members1.is_empty() {
            // Later patches that touch nothing earlier: only their ranges move.
            out.extend(members2.into_iter().map(|mut q| {
                q.start = shift(q.start, -d01_before);
                q.end = shift(q.end, -d01_before);
                q
            }));
            continue;
        }
        // The cluster's t0 range: an end that lies on a first-list output maps
        // to that patch's t0 boundary; an end in unchanged text maps through
        // the offset in force there.
        let start0 = match members1.first() {
            Some((p, s)) if s.0 == lo => p.start,
            _ => shift(lo, -d01_before),
        };
        let end0 = match members1.last() {
            Some((p, s)) if s.1 == hi => p.end,
            _ => shift(hi, -d01),
        };
        let layer = members1.first().map_or(members2[0].layer, |(p, _)| p.layer);
        let mut rule = String::new();
        for r in members1
            .iter()
            .map(|(p, _)| &p.rule)
            .chain(members2.iter().map(|q| &q.rule))
        {
            if !rule.split('+').any(|x| x == r) {
                if !rule.is_empty() {
                    rule.push('+');
                }
                rule.push_str(r);
            }
        }
        out.push(Patch {
            start: start0,
            end: end0,
            after: Cow::Owned(t2[shift(lo, d12_before)..shift(hi, d12)].to_owned()),
            rule: Cow::Owned(rule),
            layer,
        });
    }
    out
}

/// How much a patch changes the length of the text.
fn growth(p: &Patch<'_>) -> isize {
    p.after.len() as isize - (p.end - p.start) as isize
}

/// Whether two half-open ranges overlap or touch.
fn touches(a: (usize, usize), b: (usize, usize)) -> bool {
    a.0 <= b.1 && b.0 <= a.1
}

fn shift(pos: usize, by: isize) -> usize {
    pos.checked_add_signed(by)
        .expect("patch offsets stay within the text")
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn p(start: usize, end: usize, after: &str, rule: &'static str) -> Patch<'static> {
        Patch::new(start, end, after.to_owned(), Layer::Punct, rule)
    }

    #[test]
    fn apply_basic() {
        let t = "开展工作,很好";
        let ps = [p(12, 13, "，", "comma")];
        assert_eq!(apply(t, &ps), "开展工作，很好");
    }

    #[test]
    fn compose_disjoint() {
        let t0 = "a,b;c";
        let first = vec![p(1, 2, "，", "x")];
        let t1 = apply(t0, &first);
        let second = vec![p(
            t1.find(';').unwrap(),
            t1.find(';').unwrap() + 1,
            "；",
            "y",
        )];
        let t2 = apply(&t1, &second);
        let c = compose(first, second, &t2);
        assert_eq!(apply(t0, &c), t2);
        assert_eq!(c.len(), 2);
        assert_eq!((c[1].start, c[1].end), (3, 4));
    }

    #[test]
    fn compose_overlap_merges() {
        let t0 = "⼀,";
        let first = vec![p(0, 3, "一", "kangxi")];
        let t1 = apply(t0, &first);
        let second = vec![p(0, 4, "一，", "comma")];
        let t2 = apply(&t1, &second);
        let c = compose(first, second, &t2);
        assert_eq!(c.len(), 1);
        assert_eq!((c[0].start, c[0].end), (0, 4));
        assert_eq!(c[0].rule, "kangxi+comma");
        assert_eq!(apply(t0, &c), t2);
    }

    /// [`Edits::apply_in_place`] of `patches`.
    fn apply_in_place(text: &mut String, patches: &[Patch<'_>]) -> bool {
        let mut edits = Edits::default();
        for q in patches {
            edits.push(q.clone());
        }
        edits.apply_in_place(text)
    }

    #[test]
    fn edits_keep_each_replacement_once() {
        let mut edits = Edits::default();
        for k in 0..100 {
            let after = if k % 2 == 0 { "，" } else { "；" };
            edits.push(p(2 * k + 1, 2 * k + 2, after, "r"));
        }
        edits.push(Patch::new(300, 301, String::from("，"), Layer::Punct, "r"));
        assert_eq!(edits.afters.len(), 2);
        assert_eq!(edits.spans.len(), 101);
        assert!(matches!(edits.spans, Spans::Narrow(_)));
        let mut t = "a,".repeat(150) + "b";
        assert!(edits.apply_in_place(&mut t));
        assert!(t.starts_with("a，a；a，"));
        edits.reset(4);
        assert!(edits.spans.len() == 0 && edits.afters.is_empty());
    }

    #[test]
    fn edits_widen_past_32_bits() {
        // Offsets past 4 GiB (those of no real text here: the ranges alone
        // are checked) turn the list to `usize`, keeping what it held.
        let mut spans = Spans::default();
        spans.push([1, 2, 0]);
        let far = u32::MAX as usize + 10;
        spans.push([far, far + 3, 1]);
        assert!(matches!(spans, Spans::Wide(_)));
        assert_eq!(spans.get(0), [1, 2, 0]);
        assert_eq!(spans.get(1), [far, far + 3, 1]);
        spans.reset(4);
        assert!(matches!(spans, Spans::Narrow(_)) && spans.len() == 0);
    }

    #[test]
    fn apply_in_place_basic() {
        let mut t = String::from("开展工作,很好;再见");
        let ps = [p(12, 13, "，", "comma"), p(19, 20, "；", "semi")];
        assert!(apply_in_place(&mut t, &ps));
        assert_eq!(t, "开展工作，很好；再见");
        let ps = [p(0, 6, "发展", "x")];
        assert!(apply_in_place(&mut t, &ps));
        assert_eq!(t, "发展工作，很好；再见");
        assert!(!apply_in_place(&mut t, &[p(0, 6, "发展", "same")]));
        assert_eq!(t, "发展工作，很好；再见");
    }

    /// Random non-overlapping patches over the char boundaries of `text`.
    fn patches_for(text: &str, picks: &[(u8, u8, u8)]) -> Vec<Patch<'static>> {
        let bounds: Vec<usize> = text
            .char_indices()
            .map(|(i, _)| i)
            .chain([text.len()])
            .collect();
        let mut out = Vec::new();
        let mut pos = 0usize; // index into bounds
        let mut last_insert_at = None;
        for &(skip, len, rep) in picks {
            let s = pos + skip as usize % 3;
            if s >= bounds.len() {
                break;
            }
            let e = (s + len as usize % 3).min(bounds.len() - 1);
            if s == e && last_insert_at == Some(s) {
                continue;
            }
            let after = ["", "x", "一", "，，", "ab"][rep as usize % 5];
            if s == e && after.is_empty() {
                continue;
            }
            out.push(p(bounds[s], bounds[e], after, "r"));
            last_insert_at = (s == e).then_some(s);
            pos = e;
        }
        out
    }

    proptest! {
        #[test]
        fn compose_replays(
            t0 in "[a-c一二，]{0,12}",
            a in proptest::collection::vec(any::<(u8, u8, u8)>(), 0..6),
            b in proptest::collection::vec(any::<(u8, u8, u8)>(), 0..6),
        ) {
            let first = patches_for(&t0, &a);
            let t1 = apply(&t0, &first);
            let second = patches_for(&t1, &b);
            let t2 = apply(&t1, &second);
            let mut in_place = t1.clone();
            let changed = apply_in_place(&mut in_place, &second);
            prop_assert_eq!(&in_place, &t2);
            prop_assert_eq!(changed, second.iter().any(|q| t1[q.start..q.end] != *q.after));
            let c = compose(first, second, &t2);
            prop_assert_eq!(apply(&t0, &c), t2);
            for w in c.windows(2) {
                prop_assert!(w[0].end <= w[1].start);
                prop_assert!(!(w[0].start == w[0].end && w[1].start == w[1].end && w[0].start == w[1].start));
            }
            for e in &c {
                prop_assert!(t0.is_char_boundary(e.start) && t0.is_char_boundary(e.end));
            }
        }
    }
}

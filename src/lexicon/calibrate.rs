//! Calibration of the lexicon model on correct text: the numbers in
//! `data/lexicon/calibration.tsv`. Maintainers regenerate that file with
//! `ZHFIX_BLESS=1 cargo test --release --test integration calibration -- --ignored`
//! (it needs `../shared/corpus/clean`); CI checks it is current.
//!
//! For each pair:
//!
//! - **α_p, the reliability of the language model's context ratio.** In
//!   correct text the model was not trained on, every place holding the
//!   original form is read as if the tool had written the garbled form
//!   there (label 1), every place holding the garbled form as it is
//!   (label 0); `α_p` is the slope of a logistic regression of the label on
//!   the context log-ratio, with both labels weighted equally. A model that
//!   separates the two kinds of place well gets a slope near 1; one whose
//!   ratio means little for this pair (能够/可以: both are correct
//!   everywhere) gets a slope near 0. Clipped to [0.05, 1]; pairs with
//!   fewer than 15 places of either kind are left out (they get the
//!   default).
//! - **m_p, the pair's noise floor:** its largest evidence in any piece of
//!   about 2,500 characters of the whole clean corpus (cut at line ends as
//!   the evaluation does), with α_p as just measured.

use super::analyse::{context_ratio, pair_evidence};
use super::model::Params;
use super::table::{Calibration, Table, compounds_of, in_compound};

/// Places of each kind sampled per pair, evenly spread over the text.
const SAMPLES: usize = 150;
/// Fewer places of either kind than this: no α_p.
const MIN_SAMPLES: usize = 15;
/// Characters of context kept on each side of a sampled place.
const SIDE: usize = 12;
/// Size of the pieces the noise floor is measured on, in characters.
const PIECE: usize = 2500;

/// Computes the calibration table: `heldout` are correct texts the language
/// model was not trained on, `all` the whole clean corpus.
pub(crate) fn calibrate(heldout: &[&str], all: &[&str]) -> String {
    let table = Table::compile(super::table::BUILTIN.iter(), u8::MAX);
    let params = Params::default();
    let mut alphas: Vec<Option<(f64, usize, usize)>> = Vec::new();
    for pair in &table.pairs {
        let compounds = compounds_of(&pair.original);
        let mut with_original = Vec::new(); // (text index, start)
        let mut with_garbled = Vec::new();
        for (k, text) in heldout.iter().enumerate() {
            for (i, _) in text.match_indices(&*pair.original) {
                if !in_compound(text, i, i + pair.original.len(), &compounds) {
                    with_original.push((k, i));
                }
            }
            for (i, _) in text.match_indices(&*pair.garbled) {
                with_garbled.push((k, i));
            }
        }
        if with_original.len() < MIN_SAMPLES || with_garbled.len() < MIN_SAMPLES {
            alphas.push(None);
            continue;
        }
        // Each place read as if the tool had written the garbled form there.
        let place_ratio = |k: usize, i: usize, len: usize| {
            let text = heldout[k];
            let (before, after) = (tail(&text[..i], SIDE), head(&text[i + len..], SIDE));
            let place = format!("{before}{}{after}", pair.garbled);
            let start = before.len();
            let end = start + pair.garbled.len();
            context_ratio(&place, start, end, &pair.garbled, &pair.original)
        };
        let mut samples = Vec::new(); // (x, label)
        for &(k, i) in spread(&with_original) {
            samples.push((place_ratio(k, i, pair.original.len()), 1.0));
        }
        for &(k, i) in spread(&with_garbled) {
            samples.push((place_ratio(k, i, pair.garbled.len()), 0.0));
        }
        let slope = logistic_slope(&samples).clamp(0.05, 1.0);
        alphas.push(Some((
            slope,
            with_original.len().min(SAMPLES),
            with_garbled.len().min(SAMPLES),
        )));
    }

    // The noise floors, with the α_p just measured.
    let mut table = table;
    for (pair, a) in table.pairs.iter_mut().zip(&alphas) {
        pair.calibration = Some(Calibration {
            alpha: a.map(|a| a.0),
            noise_floor: 0.0,
        });
    }
    let mut floor = vec![0.0f64; table.pairs.len()];
    for text in all {
        for piece in pieces(text) {
            for (f, e) in floor.iter_mut().zip(pair_evidence(&table, &params, piece)) {
                *f = f.max(e);
            }
        }
    }

    let mut out = String::from(HEADER);
    for ((pair, a), f) in table.pairs.iter().zip(&alphas).zip(&floor) {
        let (alpha, no, ng) = match a {
            Some((s, no, ng)) => (format!("{s:.3}"), no.to_string(), ng.to_string()),
            None => ("-".to_owned(), "-".to_owned(), "-".to_owned()),
        };
        out.push_str(&format!(
            "{}\t{}\t{alpha}\t{f:.2}\t{no}\t{ng}\n",
            pair.garbled, pair.original
        ));
    }
    out
}

const HEADER: &str = "\
# Calibration of the lexicon model on correct text, one pair a line:
#   garbled<TAB>original<TAB>alpha<TAB>noise_floor<TAB>places_original<TAB>places_garbled
# alpha: reliability of the language model's context ratio for the pair (logistic slope on
#   correct text the model was not trained on; `-` when there were too few places: the default
#   applies); noise_floor: the pair's largest evidence in any ~2,500-character piece of the
#   clean corpus; places_*: how many places of each kind alpha was measured on.
# See src/lexicon/calibrate.rs. Generated, do not edit. Regenerate with:
#   ZHFIX_BLESS=1 cargo test --release --test integration calibration -- --ignored
# (needs ../shared/corpus/clean: statistics derived from it, no text is copied).
";

/// At most [`SAMPLES`] items, evenly spread.
fn spread<T>(items: &[T]) -> impl Iterator<Item = &T> {
    let n = items.len();
    let take = n.min(SAMPLES);
    (0..take).map(move |k| &items[k * n / take])
}

/// The last `n` characters of `s`, stopping at a line break.
fn tail(s: &str, n: usize) -> &str {
    let s = s.rsplit('\n').next().unwrap_or("");
    let start = s
        .char_indices()
        .rev()
        .nth(n.saturating_sub(1))
        .map_or(0, |(i, _)| i);
    &s[start..]
}

/// The first `n` characters of `s`, stopping at a line break.
fn head(s: &str, n: usize) -> &str {
    let s = s.split('\n').next().unwrap_or("");
    let end = s.char_indices().nth(n).map_or(s.len(), |(i, _)| i);
    &s[..end]
}

/// The breadth table (`data/lexicon/breadth.tsv`) of `texts`: per family,
/// the largest breadth of any of them, each read whole, as pieces of about
/// [`PIECE`] characters and line by line.
pub(crate) fn breadth(texts: &[&str]) -> String {
    let table = Table::builtin();
    let params = Params::default();
    let mut most = [0.0f64; super::FAMILIES.len()];
    for text in texts {
        let parts = std::iter::once(*text)
            .chain(pieces(text))
            .chain(text.lines());
        for part in parts {
            let found = super::analyse::breadth_maxima(&table, &params, part);
            for (m, b) in most.iter_mut().zip(found) {
                *m = m.max(b);
            }
        }
    }
    super::model::breadth_table(&most)
}

/// Cuts `text` into pieces of about [`PIECE`] characters at line ends.
fn pieces(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let (mut start, mut chars) = (0, 0);
    for (i, line) in text.split_inclusive('\n').scan(0, |pos, l| {
        let at = *pos;
        *pos += l.len();
        Some((at, l))
    }) {
        chars += line.chars().count();
        if chars >= PIECE {
            out.push(&text[start..i + line.len()]);
            start = i + line.len();
            chars = 0;
        }
    }
    if start < text.len() {
        out.push(&text[start..]);
    }
    out
}

/// The slope `b` of `P(label) = σ(a + b·x)` fitted by Newton's method, the
/// two labels weighted equally; `x` is clamped to ±20.
pub(super) fn logistic_slope(samples: &[(f64, f64)]) -> f64 {
    let n1: f64 = samples.iter().map(|s| s.1).sum();
    let n0 = samples.len() as f64 - n1;
    if n1 == 0.0 || n0 == 0.0 {
        return 0.0;
    }
    let (w1, w0) = (0.5 / n1, 0.5 / n0);
    let (mut a, mut b) = (0.0f64, 0.0f64);
    for _ in 0..100 {
        let (mut ga, mut gb, mut haa, mut hab, mut hbb) = (0.0, 0.0, 1e-9, 0.0, 1e-9);
        for &(x, y) in samples {
            let x = x.clamp(-20.0, 20.0);
            let w = if y > 0.5 { w1 } else { w0 };
            let p = super::model::sigmoid(a + b * x);
            ga += w * (p - y);
            gb += w * (p - y) * x;
            let h = w * p * (1.0 - p);
            haa += h;
            hab += h * x;
            hbb += h * x * x;
        }
        let det = haa * hbb - hab * hab;
        if det.abs() < 1e-18 {
            break;
        }
        let da = (hbb * ga - hab * gb) / det;
        let db = (haa * gb - hab * ga) / det;
        // Damped: a separable sample would otherwise send b to infinity.
        a -= da.clamp(-1.0, 1.0);
        b -= db.clamp(-1.0, 1.0);
        if b > 5.0 || (da.abs() < 1e-9 && db.abs() < 1e-9) {
            break;
        }
    }
    b
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slope_of_separable_and_random_samples() {
        let sep: Vec<(f64, f64)> = (0..40)
            .map(|i| (f64::from(i) - 20.0, f64::from(u8::from(i >= 20))))
            .collect();
        assert!(logistic_slope(&sep) > 1.0);
        let flat: Vec<(f64, f64)> = (0..40)
            .map(|i| (f64::from(i % 7), f64::from(i % 2)))
            .collect();
        assert!(logistic_slope(&flat).abs() < 0.1);
    }

    #[test]
    fn pieces_cut_at_line_ends() {
        let line = "中".repeat(1000) + "\n";
        let text = line.repeat(7);
        let p = pieces(&text);
        assert_eq!(p.len(), 3);
        assert_eq!(p.concat(), text);
        assert_eq!(
            (tail("甲乙\n丙丁戊", 2), head("丙丁\n戊", 5)),
            ("丁戊", "丙丁")
        );
    }
}

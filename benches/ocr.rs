//! The benchmark group `ocr`: the OCR layer alone (the other layers off),
//! on correct text and on text with OCR-like damage, measured in bytes per
//! second. Before timing, each benchmark checks the result once: correct
//! text comes back borrowed, and the damaged text is repaired in part and
//! stays as it is when repaired again.
//!
//! The correct text is `benches/corpora/gov_report_2025.txt` (38 KB), four
//! times over (152 KB). The damaged text is the same with one ideograph in
//! 30 replaced by its most similar look-alike (`data/confusables.tsv`),
//! one `，` in 6 by `：` and one `、` in 5 by `丶`, at fixed positions.
//!
//! ```sh
//! cargo bench --bench ocr
//! ```

use std::borrow::Cow;
use std::collections::HashMap;
use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use zhfix::{Fixer, Layer};

const CORRECT: &str = include_str!("corpora/gov_report_2025.txt");
const CONFUSABLES: &str = include_str!("../data/confusables.tsv");

/// A fixer running the OCR layer only.
fn ocr_only() -> Fixer {
    let mut b = Fixer::builder();
    for layer in Layer::ALL {
        b.layer(layer, layer == Layer::Ocr);
    }
    b.build().expect("valid configuration")
}

fn is_han(c: char) -> bool {
    ('\u{4E00}'..='\u{9FFF}').contains(&c)
}

/// The most similar look-alike ideograph of each character of the table.
fn best_look_alikes() -> HashMap<char, char> {
    let mut map = HashMap::new();
    for line in CONFUSABLES.lines().filter(|l| !l.starts_with('#')) {
        let Some((c, rest)) = line.split_once('\t') else {
            continue;
        };
        let c = c.chars().next().expect("a key");
        let best = rest
            .split(' ')
            .filter_map(|e| e.rsplit_once(':'))
            .filter_map(|(d, _)| d.chars().next())
            .find(|&d| is_han(d));
        if let Some(d) = best {
            map.insert(c, d);
        }
    }
    map
}

/// `text` with OCR-like damage at fixed positions.
fn damage(text: &str) -> String {
    let alikes = best_look_alikes();
    let (mut han, mut comma, mut dun) = (0usize, 0usize, 0usize);
    text.chars()
        .map(|c| match c {
            '，' => {
                comma += 1;
                if comma % 6 == 0 { '：' } else { c }
            }
            '、' => {
                dun += 1;
                if dun % 5 == 0 { '丶' } else { c }
            }
            c if is_han(c) => {
                han += 1;
                match alikes.get(&c) {
                    Some(&d) if han % 30 == 0 => d,
                    _ => c,
                }
            }
            c => c,
        })
        .collect()
}

fn bench(c: &mut Criterion) {
    let fixer = ocr_only();
    let correct = CORRECT.repeat(4);
    let damaged = damage(&correct);

    // Check once before timing.
    assert!(
        matches!(fixer.clean(&correct), Cow::Borrowed(_)),
        "correct text changed"
    );
    let repaired = fixer.clean(&damaged).into_owned();
    assert_ne!(repaired, damaged, "nothing repaired");
    let fixed = repaired
        .chars()
        .zip(correct.chars())
        .filter(|(a, b)| a == b)
        .count();
    let before = damaged
        .chars()
        .zip(correct.chars())
        .filter(|(a, b)| a == b)
        .count();
    assert!(
        fixed > before,
        "the repair moved away from the correct text"
    );
    assert_eq!(fixer.clean(&repaired), repaired, "not idempotent");

    let mut g = c.benchmark_group("ocr");
    g.throughput(Throughput::Bytes(correct.len() as u64));
    g.bench_function("correct", |b| {
        b.iter(|| fixer.clean(black_box(&correct)).len())
    });
    g.throughput(Throughput::Bytes(damaged.len() as u64));
    g.bench_function("damaged", |b| {
        b.iter(|| fixer.clean(black_box(&damaged)).len())
    });
    g.finish();

    // The whole default pipeline with and without the layer, on correct
    // text: what switching the layer on costs.
    let default = Fixer::default();
    let mut with_ocr = Fixer::builder();
    with_ocr.ocr(true);
    let with_ocr = with_ocr.build().expect("valid configuration");
    let mut g = c.benchmark_group("pipeline");
    g.throughput(Throughput::Bytes(correct.len() as u64));
    g.bench_function("default", |b| {
        b.iter(|| default.clean(black_box(&correct)).len())
    });
    g.bench_function("default+ocr", |b| {
        b.iter(|| with_ocr.clean(black_box(&correct)).len())
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);

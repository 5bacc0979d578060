//! The benchmark group `hostile`: inputs built to hit the worst case of
//! each layer (`tests/support/hostile.rs` describes them), timed with
//! `Throughput::Bytes` at 1 MB and 50 MB in one run, so that the cost per
//! megabyte at both sizes can be compared (`scripts/hostile_ratios.py`
//! prints the medians and the ratios). Before timing, each benchmark checks
//! the result once: the repair of a long periodic text must be the repair of
//! a short one, repeated.
//!
//! ```sh
//! cargo bench --bench hostile
//! python3 scripts/hostile_ratios.py
//! ```

use std::borrow::Cow;
use std::hint::black_box;
use std::time::Duration;

use criterion::{
    BenchmarkId, Criterion, SamplingMode, Throughput, criterion_group, criterion_main,
};

#[allow(dead_code)]
#[path = "../tests/support/hostile.rs"]
mod hostile;

use hostile::*;

fn clean(s: &str) -> String {
    zhfix::clean(s).into_owned()
}

/// Sizes at which the scalable inputs run.
const SIZES: [(&str, usize); 2] = [("1MB", MB), ("50MB", 50 * MB)];

/// A text and what `clean` must give.
struct Case {
    text: String,
    want: Want,
}

enum Want {
    /// Exactly this text.
    Exact(String),
    /// The input, borrowed.
    Unchanged,
    /// Something else, which cleaning again leaves as it is.
    Changed,
}

/// `unit` repeated to about `size` bytes (a multiple of the block), with
/// its expected repair. The block is at least 64 copies and 64 KB, seven
/// times the distance over which evidence fades: the first copies' repair
/// depends on the copies within reach to their right, so that a shorter
/// block is not periodic (`tests/hostile.rs` says the same at 28 KB).
fn periodic(unit: &str, size: usize) -> Case {
    let block = (64usize << 10).div_ceil(unit.len()).max(64);
    let copies = size.div_ceil(block * unit.len()) * block;
    Case {
        text: unit.repeat(copies),
        want: Want::Exact(periodic_expectation(clean, unit, block, copies)),
    }
}

/// A text that must come back unchanged and borrowed.
fn unchanged(text: String) -> Case {
    Case {
        text,
        want: Want::Unchanged,
    }
}

/// The scalable inputs: name and how to build one of `size` bytes.
type Make = fn(usize) -> Case;
const SCALABLE: &[(&str, Make)] = &[
    ("mixed-single-line", |n| periodic(MIXED_UNIT, n)),
    ("garbled-only", |n| periodic(&garbled_unit(), n)),
    ("garbled-alternating", |n| periodic(&alternating_unit(), n)),
    ("ascii-punctuation", |n| unchanged(ascii_punctuation(n))),
    ("whitespace-run", |n| unchanged(space_run(n))),
    ("spaced-out", |n| {
        // Every space goes but the last, which ends the text.
        let text = spaced_out(n);
        let want = format!("{} ", "中".repeat(text.len() / "中 ".len()));
        Case {
            text,
            want: Want::Exact(want),
        }
    }),
    ("whitespace-mix", |n| periodic(&whitespace_mix(1), n)),
];

fn verify(name: &str, case: &Case) {
    let got = zhfix::clean(&case.text);
    match &case.want {
        Want::Unchanged => assert!(
            matches!(got, Cow::Borrowed(_)),
            "{name}: expected the input back, borrowed"
        ),
        Want::Exact(want) => assert!(got == want.as_str(), "{name}: wrong repair"),
        Want::Changed => assert!(
            got != case.text && zhfix::clean(&got) == got,
            "{name}: expected a change that cleaning again keeps"
        ),
    }
}

fn hostile(c: &mut Criterion) {
    let mut g = c.benchmark_group("hostile");
    g.sampling_mode(SamplingMode::Flat);
    g.sample_size(10);
    g.warm_up_time(Duration::from_secs(1));
    g.measurement_time(Duration::from_secs(5));
    for &(name, make) in SCALABLE {
        for (label, size) in SIZES {
            let case = make(size);
            verify(name, &case);
            g.throughput(Throughput::Bytes(case.text.len() as u64));
            g.bench_with_input(BenchmarkId::new(name, label), &case.text, |b, text| {
                b.iter(|| zhfix::clean(black_box(text)))
            });
        }
    }
    // explain builds one Edit per change: its cost must scale too.
    for (label, size) in SIZES {
        let case = periodic(MIXED_UNIT, size);
        let Want::Exact(want) = &case.want else {
            unreachable!("periodic cases know their repair")
        };
        assert!(zhfix::explain(&case.text).output() == want);
        g.throughput(Throughput::Bytes(case.text.len() as u64));
        g.bench_with_input(
            BenchmarkId::new("mixed-single-line-explain", label),
            &case.text,
            |b, text| b.iter(|| zhfix::explain(black_box(text))),
        );
    }
    // Fixed sizes, as the issue gives them.
    let n = 1_000_000;
    let fixed = [
        (
            "closing-quotes-1M",
            Case {
                text: closers(n),
                want: Want::Exact(format!("中“{}", "”".repeat(n))),
            },
        ),
        ("lone-closing-quotes-1M", unchanged("〞".repeat(n))),
        (
            "nested-brackets-100k",
            Case {
                text: nested_brackets(100_000),
                want: Want::Exact(format!(
                    "{}（中）{}",
                    "〔".repeat(99_999),
                    "〕".repeat(99_999)
                )),
            },
        ),
        (
            "ascii-punctuation-in-chinese-10MB",
            Case {
                text: ascii_punctuation_in_chinese(10 * MB),
                want: Want::Changed,
            },
        ),
    ];
    for (name, case) in fixed {
        verify(name, &case);
        g.throughput(Throughput::Bytes(case.text.len() as u64));
        g.bench_with_input(BenchmarkId::new(name, "fixed"), &case.text, |b, text| {
            b.iter(|| zhfix::clean(black_box(text)))
        });
    }
    g.finish();
}

criterion_group!(benches, hostile);
criterion_main!(benches);

//! Paired timing of two builds of zhfix in one program (see `run.sh`):
//! `base` (an older revision) and `new` (the working tree), linked side by
//! side and timed alternately over the same inputs, so that this machine's
//! noise, which moves whole minutes, falls on both alike. Before timing it
//! checks that both give the same output on every input (with the
//! environment variable `PAIRED_DIFFER` set, for a change meant to alter
//! the output, it counts the inputs that differ instead).
//!
//! Usage: paired MODE [ROUNDS]; MODE is one of
//! - `docs`: correct text in documents of 2,500 characters;
//! - `whole`: the same text, one document per file (1 MB each);
//! - `garbled`: the synthetic garbled documents;
//! - `short`: sentences of 10–50 characters cut from them that `clean`
//!   changes (per call);
//! - `shortok`: sentences of 10–50 characters of correct text (per call).
//!
//! The inputs are those of `cargo bench --bench throughput`
//! (`benches/inputs`): correct text from `../shared/corpus/clean` and the
//! synthetic garbled documents of `../shared/eval/synthetic`, or without
//! `../shared` the government reports of `benches/corpora`, garbled there
//! as a tool of family A would.

use std::time::Instant;

// The throughput benchmark's inputs, so that both time the same text.
#[path = "../../benches/inputs/mod.rs"]
mod inputs;

fn main() {
    let mut args = std::env::args().skip(1);
    let mode = args.next().unwrap_or_else(|| "docs".into());
    let rounds: usize = args
        .next()
        .map_or(20, |a| a.parse().expect("ROUNDS: a number"));
    let inputs: Vec<String> = match mode.as_str() {
        "docs" => {
            let (_, files) = inputs::correct_files();
            files.iter().flat_map(|f| inputs::documents(f)).collect()
        }
        "whole" => inputs::correct_files().1,
        "garbled" => inputs::garbled_documents().1,
        "short" => inputs::sentences(&inputs::garbled_documents().1, usize::MAX)
            .into_iter()
            .filter(|s| znew::clean(s) != s.as_str())
            .take(1000)
            .collect(),
        "shortok" => inputs::sentences(&inputs::correct_files().1, 1000),
        _ => panic!("MODE: docs, whole, garbled, short or shortok"),
    };
    assert!(!inputs.is_empty(), "no inputs for {mode}");
    // A change meant to alter the output is timed with PAIRED_DIFFER set:
    // the inputs that differ are counted instead.
    let differ = std::env::var_os("PAIRED_DIFFER").is_some();
    let mut differing = 0;
    for s in &inputs {
        let same = zbase::clean(s) == znew::clean(s);
        assert!(same || differ, "the two builds differ on {s:?}");
        differing += usize::from(!same);
    }
    if differ {
        println!("{differing} of {} inputs differ", inputs.len());
    }
    let bytes: usize = inputs.iter().map(String::len).sum();
    let (mut base, mut new, mut ratios) = (Vec::new(), Vec::new(), Vec::new());
    for r in 0..rounds {
        let mut pair = [0.0f64; 2];
        // Alternate which build goes first.
        for k in [r % 2, 1 - r % 2] {
            let t = Instant::now();
            std::hint::black_box(if k == 0 {
                run_base(&inputs)
            } else {
                run_new(&inputs)
            });
            pair[k] = t.elapsed().as_secs_f64();
        }
        base.push(pair[0]);
        new.push(pair[1]);
        ratios.push(pair[1] / pair[0]);
    }
    let median = |v: &mut Vec<f64>| {
        v.sort_by(f64::total_cmp);
        v[v.len() / 2]
    };
    let (b, n, q) = (median(&mut base), median(&mut new), median(&mut ratios));
    let per = |t: f64| {
        if mode.starts_with("short") {
            format!("{:.2} µs a call", t * 1e6 / inputs.len() as f64)
        } else {
            format!("{:.1} MiB/s", bytes as f64 / t / 1_048_576.0)
        }
    };
    println!(
        "{mode}: {} inputs, {rounds} rounds; base {}, new {}; new/base time, median of the rounds' ratios: {q:.3}",
        inputs.len(),
        per(b),
        per(n)
    );
}

/// One pass of the base build over `inputs` (`run.sh`'s callgrind mode
/// counts the instructions under this function).
#[inline(never)]
fn run_base(inputs: &[String]) -> usize {
    run(inputs, zbase::clean)
}

/// [`run_base`] for the new build.
#[inline(never)]
fn run_new(inputs: &[String]) -> usize {
    run(inputs, znew::clean)
}

/// One pass of `clean` over `inputs`: the total length of the outputs.
#[inline(always)]
fn run(inputs: &[String], clean: impl for<'a> Fn(&'a str) -> std::borrow::Cow<'a, str>) -> usize {
    inputs
        .iter()
        .map(|s| clean(std::hint::black_box(s)).len())
        .sum()
}

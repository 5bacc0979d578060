//! Paired timing of two builds of zhfix in one program (see `run.sh`):
//! `base` (an older revision) and `new` (the working tree), linked side by
//! side and timed alternately over the same inputs, so that this machine's
//! noise, which moves whole minutes, falls on both alike. Before timing it
//! checks that both give the same output on every input.
//!
//! Usage: paired MODE [ROUNDS]; MODE is one of
//! - `docs`: correct text in documents of 2,500 characters;
//! - `whole`: the same text, one document per file (1 MB each);
//! - `garbled`: the synthetic garbled documents;
//! - `short`: sentences of 10–50 characters cut from them that `clean`
//!   changes (per call);
//! - `shortok`: sentences of 10–50 characters of correct text (per call).
//!
//! Correct text is the first megabyte of each file of
//! `../shared/corpus/clean`, or the government reports of `benches/corpora`
//! without it; garbled text needs `../shared/eval/synthetic`.

use std::path::{Path, PathBuf};
use std::time::Instant;

/// The first `max` bytes of `text`, cut after a line.
fn head(text: &str, max: usize) -> String {
    if text.len() <= max {
        return text.to_owned();
    }
    let mut end = max;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let cut = text[..end].rfind('\n').map_or(end, |i| i + 1);
    text[..cut].to_owned()
}

/// The files of `dir` whose names end with `suffix`, sorted.
fn files(dir: &Path, suffix: &str) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut paths: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.to_string_lossy().ends_with(suffix))
        .collect();
    paths.sort();
    paths
}

/// Sentences of 10 to 50 characters of `texts` that `keep` accepts, at
/// most 1,000.
fn sentences(texts: &[String], keep: impl Fn(&str) -> bool) -> Vec<String> {
    texts
        .iter()
        .flat_map(|t| t.split(['。', '！', '？', '\n']))
        .filter(|s| (10..=50).contains(&s.chars().count()) && keep(s))
        .take(1000)
        .map(str::to_owned)
        .collect()
}

/// Documents of about `chars` characters, cut after lines.
fn pieces(text: &str, chars: usize) -> Vec<String> {
    let (mut out, mut cur, mut n) = (Vec::new(), String::new(), 0);
    for line in text.split_inclusive('\n') {
        cur.push_str(line);
        n += line.chars().count();
        if n >= chars {
            out.push(std::mem::take(&mut cur));
            n = 0;
        }
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

fn main() {
    let mut args = std::env::args().skip(1);
    let mode = args.next().unwrap_or_else(|| "docs".into());
    let rounds: usize = args
        .next()
        .map_or(20, |a| a.parse().expect("ROUNDS: a number"));
    let repo = PathBuf::from(env!("ZHFIX_REPO"));
    let shared = repo.join("../shared");
    let correct: Vec<String> = {
        let shared_files = files(&shared.join("corpus/clean"), ".txt");
        let paths = if shared_files.is_empty() {
            files(&repo.join("benches/corpora"), ".txt")
        } else {
            shared_files
        };
        paths
            .iter()
            .map(|p| head(&std::fs::read_to_string(p).expect("readable"), 1_000_000))
            .collect()
    };
    let garbled: Vec<String> = files(&shared.join("eval/synthetic"), ".garbled.txt")
        .iter()
        .map(|p| std::fs::read_to_string(p).expect("readable"))
        .collect();
    let inputs: Vec<String> = match mode.as_str() {
        "docs" => correct.iter().flat_map(|t| pieces(t, 2_500)).collect(),
        "whole" => correct,
        "garbled" => garbled,
        "short" => sentences(&garbled, |s| znew::clean(s) != s),
        "shortok" => sentences(&correct, |_| true),
        _ => panic!("MODE: docs, whole, garbled, short or shortok"),
    };
    assert!(
        !inputs.is_empty(),
        "no inputs for {mode} (garbled text needs ../shared)"
    );
    for s in &inputs {
        assert!(
            zbase::clean(s) == znew::clean(s),
            "the two builds differ on {s:?}"
        );
    }
    let bytes: usize = inputs.iter().map(String::len).sum();
    let (mut base, mut new, mut ratios) = (Vec::new(), Vec::new(), Vec::new());
    for r in 0..rounds {
        let mut pair = [0.0f64; 2];
        // Alternate which build goes first.
        for k in [r % 2, 1 - r % 2] {
            let t = Instant::now();
            let mut n = 0;
            for s in &inputs {
                n += if k == 0 {
                    zbase::clean(std::hint::black_box(s)).len()
                } else {
                    znew::clean(std::hint::black_box(s)).len()
                };
            }
            std::hint::black_box(n);
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

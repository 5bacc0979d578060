//! Throughput of the default configuration, the figures of the README's
//! "Performance" section. Groups:
//!
//! - `load`: setting up the default tables from the embedded data, without
//!   the caches (`zhfix::__maintain::load_uncached`); the real first call of
//!   the process is also timed once and printed;
//! - `clean/correct-text`: correct text, the no-change path, fed as
//!   documents of 2,500 characters (`documents-2500`, and the same without
//!   the lexicon layer, `documents-2500-no-lexicon`; on every core, one
//!   `Fixer` shared by the threads, `documents-2500-N-threads`) and as whole
//!   files (`whole-files`);
//! - `clean/garbled`: garbled documents;
//! - `explain`: the same garbled documents through `explain`;
//! - `diagnose`: the garbled documents and the correct documents;
//! - `clean/short`: one call on a sentence of 10 to 50 characters (the
//!   time is per call), correct and garbled.
//!
//! Inputs: with `../shared` beside the repository, the first megabyte of
//! each file of `../shared/corpus/clean` (government, legal and technical
//! text) and the synthetic garbled documents of `../shared/eval/synthetic`.
//! Without it, the government reports committed in `benches/corpora` (see
//! its README), repeated to a megabyte a file, and the same text garbled
//! here as a rewrite tool of family A would (every other occurrence of the
//! originals of its pairs swapped, one `，` in three flattened to `,`).
//! They are built in `benches/inputs`, which the paired timing harness
//! (`scripts/paired/run.sh`) shares.
//!
//! Every benchmark checks its result once before timing: correct documents
//! come back borrowed or with Unicode and punctuation repairs only (no word
//! repair) and the same on every core as on one, nine in ten garbled
//! documents at least change and all clean again to themselves,
//! `explain` gives the output of `clean`, and `diagnose` flags a larger
//! share of the garbled documents than of the correct ones.
//!
//! ```sh
//! cargo bench --bench throughput
//! cargo bench --bench throughput -- clean/correct-text
//! ```

use std::borrow::Cow;
use std::hint::black_box;
use std::time::{Duration, Instant};

use criterion::{
    BenchmarkGroup, Criterion, SamplingMode, Throughput, criterion_group, criterion_main,
    measurement::WallTime,
};
use zhfix::Layer;

mod inputs;
use inputs::{correct_files, documents, garbled_documents, sentences};

fn total(texts: &[String]) -> u64 {
    texts.iter().map(|t| t.len() as u64).sum()
}

fn configure(g: &mut BenchmarkGroup<'_, WallTime>) {
    g.sampling_mode(SamplingMode::Flat);
    g.sample_size(10);
    g.warm_up_time(Duration::from_secs(1));
    g.measurement_time(Duration::from_secs(3));
}

/// No edit of the lexicon layer (a word repair) in `text`.
fn no_word_repair(text: &str) -> bool {
    zhfix::explain(text)
        .edits()
        .iter()
        .all(|e| e.layer() != Layer::Lexicon)
}

fn load(c: &mut Criterion) {
    // The first call of the process: caches empty.
    let t = Instant::now();
    let first = zhfix::clean("推动经济社会健康持续开展，在此根底上树立效劳意识，问题比拟突出");
    let elapsed = t.elapsed();
    assert_eq!(
        first,
        "推动经济社会健康持续发展，在此基础上树立服务意识，问题比较突出"
    );
    println!("first call of the process (load and one repair): {elapsed:?}");

    assert!(zhfix::__maintain::load_uncached() > 0);
    let mut g = c.benchmark_group("load");
    g.sample_size(20);
    g.measurement_time(Duration::from_secs(3));
    g.bench_function("default-tables", |b| {
        b.iter(zhfix::__maintain::load_uncached)
    });
    g.finish();
}

fn correct_text(c: &mut Criterion) {
    let (source, files) = correct_files();
    let docs: Vec<String> = files.iter().flat_map(|f| documents(f)).collect();
    let borrowed = docs
        .iter()
        .filter(|d| matches!(zhfix::clean(d), Cow::Borrowed(_)))
        .count();
    assert!(
        docs.iter().all(|d| no_word_repair(d)),
        "a word repair in correct text"
    );
    assert!(
        files.iter().all(|f| no_word_repair(f)) || source != "benches/corpora",
        "a word repair in the committed correct text"
    );
    println!(
        "clean/correct-text: {} bytes from {source}, {} documents, {borrowed} come back borrowed",
        total(&files),
        docs.len()
    );
    let mut g = c.benchmark_group("clean/correct-text");
    configure(&mut g);
    g.throughput(Throughput::Bytes(total(&docs)));
    g.bench_function("documents-2500", |b| {
        b.iter(|| {
            docs.iter()
                .map(|d| zhfix::clean(black_box(d)).len())
                .sum::<usize>()
        })
    });
    // The same without the lexicon layer: what the other layers cost.
    let no_lexicon = zhfix::Fixer::builder()
        .lexicon(false)
        .build()
        .expect("valid configuration");
    g.bench_function("documents-2500-no-lexicon", |b| {
        b.iter(|| {
            docs.iter()
                .map(|d| no_lexicon.clean(black_box(d)).len())
                .sum::<usize>()
        })
    });
    // The same documents on every core: one `Fixer` shared by reference
    // (`Send + Sync`, nothing in it locked), thread `k` cleaning documents
    // `k`, `k + threads`, … so that each gets its share of every file.
    let threads = std::thread::available_parallelism()
        .map_or(2, |n| n.get())
        .clamp(2, 64);
    let fixer = zhfix::Fixer::default();
    // The sum of `each(i)` over the documents, on the threads.
    let n = docs.len();
    let on_threads = |each: &(dyn Fn(usize) -> usize + Sync)| {
        std::thread::scope(|s| {
            let runs: Vec<_> = (0..threads)
                .map(|k| s.spawn(move || (k..n).step_by(threads).map(each).sum::<usize>()))
                .collect();
            runs.into_iter()
                .map(|r| r.join().expect("a cleaning thread panicked"))
                .sum::<usize>()
        })
    };
    // Checked once: the threads give each document what one thread gives.
    let alone: Vec<Cow<'_, str>> = docs.iter().map(|d| zhfix::clean(d)).collect();
    on_threads(&|i| {
        assert_eq!(fixer.clean(&docs[i]), alone[i], "threads change the output");
        0
    });
    g.bench_function(format!("documents-2500-{threads}-threads"), |b| {
        b.iter(|| on_threads(&|i| fixer.clean(black_box(&docs[i])).len()))
    });
    g.throughput(Throughput::Bytes(total(&files)));
    g.bench_function("whole-files", |b| {
        b.iter(|| {
            files
                .iter()
                .map(|f| zhfix::clean(black_box(f)).len())
                .sum::<usize>()
        })
    });
    g.finish();
}

fn garbled(c: &mut Criterion) {
    let (source, docs) = garbled_documents();
    let repaired: Vec<String> = docs.iter().map(|d| zhfix::clean(d).into_owned()).collect();
    let changed = docs.iter().zip(&repaired).filter(|(d, r)| d != r).count();
    assert!(
        changed * 10 >= docs.len() * 9,
        "only {changed} of {} garbled documents change",
        docs.len()
    );
    for r in &repaired {
        assert!(zhfix::clean(r) == r.as_str(), "not idempotent");
    }
    println!(
        "clean/garbled: {} documents, {} bytes from {source}, {changed} change",
        docs.len(),
        total(&docs)
    );
    let mut g = c.benchmark_group("clean/garbled");
    configure(&mut g);
    g.throughput(Throughput::Bytes(total(&docs)));
    g.bench_function("documents", |b| {
        b.iter(|| {
            docs.iter()
                .map(|d| zhfix::clean(black_box(d)).len())
                .sum::<usize>()
        })
    });
    g.finish();

    for (d, r) in docs.iter().zip(&repaired) {
        assert!(
            zhfix::explain(d).output() == r,
            "explain differs from clean"
        );
    }
    let mut g = c.benchmark_group("explain");
    configure(&mut g);
    g.throughput(Throughput::Bytes(total(&docs)));
    g.bench_function("garbled-documents", |b| {
        b.iter(|| {
            docs.iter()
                .map(|d| zhfix::explain(black_box(d)).edits().len())
                .sum::<usize>()
        })
    });
    g.finish();

    let (_, files) = correct_files();
    let correct: Vec<String> = files.iter().flat_map(|f| documents(f)).collect();
    let rate = |texts: &[String]| {
        texts
            .iter()
            .filter(|t| zhfix::diagnose(t).is_garbled())
            .count() as f64
            / texts.len().max(1) as f64
    };
    let (on_garbled, on_correct) = (rate(&docs), rate(&correct));
    assert!(
        on_garbled > on_correct,
        "diagnose flags {on_garbled} of the garbled and {on_correct} of the correct documents"
    );
    let mut g = c.benchmark_group("diagnose");
    configure(&mut g);
    g.throughput(Throughput::Bytes(total(&docs)));
    g.bench_function("garbled-documents", |b| {
        b.iter(|| {
            docs.iter()
                .filter(|d| zhfix::diagnose(black_box(d)).is_garbled())
                .count()
        })
    });
    g.throughput(Throughput::Bytes(total(&correct)));
    g.bench_function("correct-documents", |b| {
        b.iter(|| {
            correct
                .iter()
                .filter(|d| zhfix::diagnose(black_box(d)).is_garbled())
                .count()
        })
    });
    g.finish();
}

fn short(c: &mut Criterion) {
    let (_, files) = correct_files();
    let correct = sentences(&files, 1000);
    let borrowed = correct
        .iter()
        .filter(|s| matches!(zhfix::clean(s), Cow::Borrowed(_)))
        .count();
    assert!(
        borrowed * 10 >= correct.len() * 9,
        "only {borrowed} of {} correct sentences come back borrowed",
        correct.len()
    );
    let (_, docs) = garbled_documents();
    let garbled: Vec<String> = sentences(&docs, usize::MAX)
        .into_iter()
        .filter(|s| zhfix::clean(s) != s.as_str())
        .take(1000)
        .collect();
    assert!(!garbled.is_empty(), "no short garbled sentence is repaired");
    let mut g = c.benchmark_group("clean/short");
    g.sample_size(20);
    g.measurement_time(Duration::from_secs(3));
    for (name, set) in [("correct", &correct), ("garbled", &garbled)] {
        // One call per iteration, cycling through the sentences.
        g.throughput(Throughput::Bytes(total(set) / set.len() as u64));
        g.bench_function(name, |b| {
            let mut i = 0;
            b.iter(|| {
                i = (i + 1) % set.len();
                zhfix::clean(black_box(&set[i])).len()
            })
        });
    }
    g.finish();
}

criterion_group!(benches, load, correct_text, garbled, short);
criterion_main!(benches);

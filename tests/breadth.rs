//! The breadth floors of the lexicon model (`Params::breadth_floor`) are
//! the clean corpus's largest breadth per family, rounded up to a tenth:
//! measured on the corpus as the evaluation feeds it (pieces of about 2,500
//! characters cut at line ends), as lines alone, and as whole files.
//!
//! Slow (it reads the whole clean corpus three times with the language
//! model), so it is ignored by default; CI runs it in release mode:
//!
//!     cargo test --release --test integration breadth -- --ignored

use std::path::Path;

/// Pieces of `text` of at least `chars` characters, cut after a line.
fn pieces(text: &str, chars: usize) -> Vec<&str> {
    let mut out = Vec::new();
    let (mut start, mut n) = (0, 0);
    for (i, line) in text.split_inclusive('\n').scan(0, |at, l| {
        let i = *at;
        *at += l.len();
        Some((i, l))
    }) {
        n += line.chars().count();
        if n >= chars {
            out.push(&text[start..i + line.len()]);
            start = i + line.len();
            n = 0;
        }
    }
    if start < text.len() {
        out.push(&text[start..]);
    }
    out
}

#[test]
#[ignore = "slow: reads the whole clean corpus; CI runs it with --ignored in release mode"]
fn breadth_floors_are_the_clean_corpus_maxima() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let corpus = root.join("../shared/corpus/clean");
    if !corpus.is_dir() {
        println!(
            "note: {} is absent; breadth floors not checked",
            corpus.display()
        );
        return;
    }
    let mut paths: Vec<_> = std::fs::read_dir(&corpus)
        .expect("readable corpus directory")
        .map(|e| e.expect("readable entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    paths.sort();
    let mut most: Vec<(&str, f64, f64)> = Vec::new();
    let mut take = |text: &str| {
        for (k, (f, m, floor)) in zhfix::__maintain::breadth_maxima(text)
            .into_iter()
            .enumerate()
        {
            match most.get_mut(k) {
                Some(x) => x.1 = x.1.max(m),
                None => most.push((f, m, floor)),
            }
        }
    };
    for p in &paths {
        let text = std::fs::read_to_string(p).expect("UTF-8 corpus file");
        take(&text);
        for piece in pieces(&text, 2500) {
            take(piece);
        }
        for line in text.lines() {
            take(line);
        }
    }
    let mut wrong = Vec::new();
    for (f, m, floor) in &most {
        let want = (m * 10.0).ceil() / 10.0;
        println!("{f}: largest breadth {m:.3}, floor {floor}");
        if (want - floor).abs() > 1e-9 {
            wrong.push(format!(
                "{f}: floor {floor}, measured {m:.3} (floor {want})"
            ));
        }
    }
    assert!(
        wrong.is_empty(),
        "Params::breadth_floor is not the clean corpus's maxima:\n{}",
        wrong.join("\n")
    );
}

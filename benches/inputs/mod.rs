//! The inputs of the `throughput` benchmark, shared with the paired
//! timing harness (`scripts/paired/`), so that both time the same text.
//! Not a benchmark target of its own: a directory without `main.rs`.

#![allow(dead_code)] // each user takes what it needs

use std::path::{Path, PathBuf};

/// Bytes taken from each correct file.
pub const FILE_BYTES: usize = 1_000_000;
/// Characters per document.
pub const DOC_CHARS: usize = 2_500;

pub const COMMITTED: [&str; 2] = [
    include_str!("../corpora/gov_work_reports_2012_2015.txt"),
    include_str!("../corpora/gov_report_2025.txt"),
];
pub const PAIRS: &str = include_str!("../../data/lexicon/pairs.tsv");

/// `../shared` beside the repository (the paired harness names the
/// repository in `ZHFIX_REPO` when it is built).
fn shared() -> PathBuf {
    let repo = option_env!("ZHFIX_REPO").unwrap_or(env!("CARGO_MANIFEST_DIR"));
    Path::new(repo).join("../shared")
}

/// The `.txt` files of `dir` whose names end with `suffix`, sorted.
pub fn files(dir: &Path, suffix: &str) -> Vec<PathBuf> {
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

/// The first `max` bytes of `text`, cut after a line.
pub fn head(text: &str, max: usize) -> String {
    if text.len() <= max {
        return text.to_owned();
    }
    let mut end = max;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let end = text[..end].rfind('\n').map_or(end, |i| i + 1);
    text[..end].to_owned()
}

/// Pieces of `DOC_CHARS` characters.
pub fn documents(text: &str) -> Vec<String> {
    let chars: Vec<char> = text.chars().collect();
    chars
        .chunks(DOC_CHARS)
        .map(|c| c.iter().collect())
        .collect()
}

/// Correct text: (source, files).
pub fn correct_files() -> (&'static str, Vec<String>) {
    let found: Vec<String> = files(&shared().join("corpus/clean"), ".txt")
        .iter()
        .filter_map(|p| std::fs::read_to_string(p).ok())
        .map(|t| head(&t, FILE_BYTES))
        .collect();
    if !found.is_empty() {
        return ("../shared/corpus/clean", found);
    }
    let files = COMMITTED
        .iter()
        .map(|t| t.repeat(FILE_BYTES.div_ceil(t.len())))
        .collect();
    ("benches/corpora", files)
}

/// `text` as a rewrite tool of family A would garble it: every other
/// occurrence of each original of its pairs swapped for the garbled form,
/// one `，` in three flattened.
pub fn garble(text: &str) -> String {
    let mut out = text.to_owned();
    for line in PAIRS.lines().filter(|l| !l.starts_with('#')) {
        let f: Vec<&str> = line.split('\t').collect();
        if f.len() != 6 || !f[2].split(',').any(|x| x == "A") {
            continue;
        }
        let (garbled, original) = (f[0], f[1]);
        let mut next = String::with_capacity(out.len());
        let mut last = 0;
        for (n, (i, _)) in out.match_indices(original).enumerate() {
            if n % 2 == 1 {
                next.push_str(&out[last..i]);
                next.push_str(garbled);
                last = i + original.len();
            }
        }
        next.push_str(&out[last..]);
        out = next;
    }
    let mut n = 0;
    out.chars()
        .map(|c| {
            if c == '，' {
                n += 1;
                if n % 3 == 0 {
                    return ',';
                }
            }
            c
        })
        .collect()
}

/// Garbled documents: (source, documents).
pub fn garbled_documents() -> (&'static str, Vec<String>) {
    let found: Vec<String> = files(&shared().join("eval/synthetic"), ".garbled.txt")
        .iter()
        .filter_map(|p| std::fs::read_to_string(p).ok())
        .collect();
    if !found.is_empty() {
        return ("../shared/eval/synthetic", found);
    }
    let all: String = COMMITTED.concat();
    ("benches/corpora, garbled here", documents(&garble(&all)))
}

/// Sentences of 10 to 50 characters: the text between clause ends.
pub fn sentences(texts: &[String], max: usize) -> Vec<String> {
    let mut out = Vec::new();
    for t in texts {
        for s in t.split(['。', '！', '？', '\n']) {
            let n = s.chars().count();
            if (10..=50).contains(&n) {
                out.push(s.to_owned());
                if out.len() == max {
                    return out;
                }
            }
        }
    }
    out
}

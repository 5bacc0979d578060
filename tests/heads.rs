//! `data/lexicon/heads.tsv` is current: counting the clause heads in the
//! clean corpus, without the lines the evaluation documents hold, gives the
//! committed file.
//!
//! It needs the corpus in release mode (seconds), so it is ignored by
//! default; CI runs it:
//!
//!     cargo test --release --test integration heads -- --ignored
//!
//! With `ZHFIX_BLESS=1` it writes the file instead of comparing.

use std::collections::HashSet;
use std::path::Path;

use crate::support::corpus;

/// Characters of the chunks by which a corpus line is recognised in an
/// evaluation document.
const CHUNK: usize = 12;

/// The chunks of [`CHUNK`] characters, every `CHUNK / 2` characters, of
/// the gold texts of the evaluation sets, away from their marked spots
/// (`⟦a|b⟧`, where the gold names alternatives).
fn evaluation_chunks() -> HashSet<String> {
    let eval = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/eval");
    let mut chunks = HashSet::new();
    for set in ["synthetic", "dev", "ocr"] {
        let Ok(entries) = std::fs::read_dir(eval.join(set)) else {
            continue;
        };
        for e in entries {
            let path = e.expect("readable dir entry").path();
            if !path.to_string_lossy().ends_with(".gold.txt") {
                continue;
            }
            let text = std::fs::read_to_string(&path).expect("UTF-8 gold file");
            for line in text.lines() {
                // Each stretch between marked spots.
                for part in line.split(['⟦', '⟧']) {
                    let chars: Vec<char> = part.chars().filter(|c| !c.is_whitespace()).collect();
                    let mut at = 0;
                    while at + CHUNK <= chars.len() {
                        chunks.insert(chars[at..at + CHUNK].iter().collect());
                        at += CHUNK / 2;
                    }
                }
            }
        }
    }
    chunks
}

/// Whether `line` shares a chunk with an evaluation document.
fn in_evaluation(line: &str, chunks: &HashSet<String>) -> bool {
    let chars: Vec<char> = line.chars().filter(|c| !c.is_whitespace()).collect();
    chars
        .windows(CHUNK)
        .any(|w| chunks.contains(&w.iter().collect::<String>()))
}

#[test]
#[ignore = "needs the clean corpus in release mode; CI runs it with --ignored"]
fn heads_table_is_current() {
    let Some(files) = corpus::files("the clause-head table check") else {
        return;
    };
    let chunks = evaluation_chunks();
    assert!(
        !chunks.is_empty(),
        "the evaluation documents are beside the corpus"
    );
    let mut left_out = 0usize;
    let texts: Vec<String> = files
        .iter()
        .map(|(_, t)| {
            let kept: Vec<&str> = t
                .lines()
                .filter(|l| {
                    let out = in_evaluation(l, &chunks);
                    left_out += usize::from(out);
                    !out
                })
                .collect();
            kept.join("\n")
        })
        .collect();
    println!("left out {left_out} lines found in the evaluation documents");
    assert!(
        left_out > 0,
        "the evaluation documents come from the corpus"
    );
    let texts: Vec<&str> = texts.iter().map(String::as_str).collect();
    let table = zhfix::__maintain::lexicon_heads(&texts);
    corpus::bless_or_check("data/lexicon/heads.tsv", &table, "heads");
}

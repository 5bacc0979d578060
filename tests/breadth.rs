//! `data/lexicon/breadth.tsv` is current: measuring the breadth floors on
//! the clean corpus (each file whole, as pieces of about 2,500 characters
//! cut at line ends as the evaluation cuts them, and line by line) gives
//! the committed file.
//!
//! Slow (it reads the clean corpus three times with the language model),
//! so it is ignored by default; CI runs it in release mode:
//!
//!     cargo test --release --test integration breadth -- --ignored
//!
//! With `ZHFIX_BLESS=1` it writes the file instead of comparing.

use crate::support::corpus;

#[test]
#[ignore = "slow: reads the whole clean corpus; CI runs it with --ignored in release mode"]
fn breadth_floors_are_current() {
    let Some(files) = corpus::files("the breadth floors check") else {
        return;
    };
    let texts: Vec<&str> = files.iter().map(|(_, t)| t.as_str()).collect();
    let table = zhfix::__maintain::lexicon_breadth(&texts);
    println!("measured:\n{table}");
    corpus::bless_or_check("data/lexicon/breadth.tsv", &table, "breadth");
}

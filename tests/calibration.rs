//! `data/lexicon/calibration.tsv` is current: regenerating it from the
//! clean corpus gives the committed file.
//!
//! Slow (it reads the whole clean corpus with the language model), so it is
//! ignored by default; CI runs it in release mode:
//!
//!     cargo test --release --test integration calibration -- --ignored
//!
//! With `ZHFIX_BLESS=1` it writes the file instead of comparing.

use crate::support::corpus;

#[test]
#[ignore = "slow: reads the whole clean corpus; CI runs it with --ignored in release mode"]
fn calibration_is_current() {
    let Some(files) = corpus::files("calibration check") else {
        return;
    };
    let (names, texts): (Vec<String>, Vec<String>) = files.into_iter().unzip();
    let trained = zhfix::__maintain::lm_training_files();
    assert!(
        !trained.is_empty(),
        "the model header names its training files"
    );
    // Held out: the files the model never saw, and the other blocks of
    // 100 lines of those it saw in part.
    let heldout: Vec<String> = names
        .iter()
        .zip(&texts)
        .filter_map(|(n, t)| match trained.iter().find(|(f, _)| f == n) {
            None => Some(t.clone()),
            Some((_, split)) if split == "even" || split == "odd" => {
                let seen = usize::from(split == "odd");
                let kept: Vec<&str> = t
                    .split('\n')
                    .enumerate()
                    .filter(|(i, _)| (i / 100) % 2 != seen)
                    .map(|(_, l)| l)
                    .collect();
                Some(kept.join("\n"))
            }
            Some(_) => None,
        })
        .collect();
    assert!(
        !heldout.is_empty(),
        "some clean text is not in the model's training text"
    );
    let heldout: Vec<&str> = heldout.iter().map(String::as_str).collect();
    let all: Vec<&str> = texts.iter().map(String::as_str).collect();
    let table = zhfix::__maintain::calibrate_lexicon(&heldout, &all);
    corpus::bless_or_check("data/lexicon/calibration.tsv", &table, "calibration");
}

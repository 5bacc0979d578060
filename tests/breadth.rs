//! The breadth floors of the lexicon model (`Params::breadth_floor`) are
//! the clean corpus's largest breadth per family, rounded up to a tenth:
//! measured on the corpus as the evaluation feeds it (pieces of about 2,500
//! characters cut at line ends), as lines alone, and as whole files.
//!
//! Slow (it reads the whole clean corpus three times with the language
//! model), so it is ignored by default; CI runs it in release mode:
//!
//!     cargo test --release --test integration breadth -- --ignored

use crate::support::corpus;

#[test]
#[ignore = "slow: reads the whole clean corpus; CI runs it with --ignored in release mode"]
fn breadth_floors_are_the_clean_corpus_maxima() {
    let Some(files) = corpus::files("the breadth floors check") else {
        return;
    };
    let texts: Vec<&str> = files.iter().map(|(_, t)| t.as_str()).collect();
    let mut wrong = Vec::new();
    for (f, most, floor) in zhfix::__maintain::breadth_maxima(&texts) {
        let want = (most * 10.0).ceil() / 10.0;
        println!("{f}: largest breadth {most:.3}, floor {floor}");
        if (want - floor).abs() > 1e-9 {
            wrong.push(format!(
                "{f}: floor {floor}, measured {most:.3} (floor {want})"
            ));
        }
    }
    assert!(
        wrong.is_empty(),
        "Params::breadth_floor is not the clean corpus's maxima:\n{}",
        wrong.join("\n")
    );
}

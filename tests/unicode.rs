//! Tests of the Unicode layer that need files outside the crate: the
//! generator of `data/radicals.tsv` against the installed Unicode Character
//! Database, and the layer on the clean corpus of `../shared`. Each skips
//! with a printed note when what it needs is absent.

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;

use zhfix::{Fixer, Layer};

const UCD: &str = "/usr/share/unicode";

/// `data/radicals.tsv` is exactly what `scripts/radicals.py` makes from the
/// installed UCD (Debian package `unicode-data`), when its version is the
/// one the committed table names.
#[test]
fn radicals_table_matches_generator() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let committed = std::fs::read_to_string(root.join("data/radicals.tsv")).unwrap();
    let source = Path::new(UCD).join("EquivalentUnifiedIdeograph.txt");
    let Ok(ucd) = std::fs::read_to_string(&source) else {
        println!(
            "note: {} absent (apt-get install unicode-data): not checked",
            source.display()
        );
        return;
    };
    let version = |text: &str, marker: &str| -> Option<String> {
        let at = text.find(marker)? + marker.len();
        Some(text[at..].split(".txt").next()?.to_owned())
    };
    let theirs = version(&ucd, "# EquivalentUnifiedIdeograph-").expect("UCD version line");
    let ours = version(&committed, "# EquivalentUnifiedIdeograph-").expect("version in header");
    if theirs != ours {
        println!(
            "note: the installed UCD is {theirs}, data/radicals.tsv was made from {ours}: not compared (regenerate to update)"
        );
        return;
    }
    let out = match Command::new("python3")
        .arg(root.join("scripts/radicals.py"))
        .arg(UCD)
        .output()
    {
        Ok(out) => out,
        Err(e) => {
            println!("note: cannot run python3 ({e}): not checked");
            return;
        }
    };
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let generated = String::from_utf8(out.stdout).unwrap();
    assert!(
        generated == committed,
        "data/radicals.tsv differs from `python3 scripts/radicals.py {UCD}`: regenerate it"
    );
}

/// The Unicode layer alone on the correct text of `../shared/corpus/clean`:
/// the only edits allowed are full-width letters and digits made ASCII
/// (a width normalisation that the scorer folds); no spacing, invisible,
/// radical or compatibility edit. With `fullwidth(false)`, every file
/// comes back borrowed.
#[test]
fn unicode_layer_on_clean_corpus() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/clean");
    let Ok(entries) = std::fs::read_dir(&dir) else {
        println!("note: {} absent: not checked", dir.display());
        return;
    };
    let mut paths: Vec<_> = entries
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "txt"))
        .collect();
    paths.sort();
    assert!(!paths.is_empty(), "no corpus files in {}", dir.display());
    let mut only_unicode = Fixer::builder();
    for layer in Layer::ALL {
        only_unicode.layer(layer, layer == Layer::Unicode);
    }
    let fixer = only_unicode.build().unwrap();
    let strict = only_unicode.fullwidth(false).build().unwrap();
    let mut bad = Vec::new();
    for path in &paths {
        let text = std::fs::read_to_string(path).unwrap();
        let name = path.file_name().unwrap().to_string_lossy();
        let report = fixer.explain(&text);
        let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
        for e in report.edits() {
            *counts.entry(e.rule()).or_default() += 1;
            if e.rule() != "unicode/fullwidth" && bad.len() < 20 {
                let from = text[..e.start()]
                    .char_indices()
                    .rev()
                    .nth(10)
                    .map_or(0, |(i, _)| i);
                bad.push(format!(
                    "{name}: {:?} in {:?}: {e}",
                    e.before(),
                    &text[from..e.end()]
                ));
            }
        }
        println!("{name}: {counts:?}");
        assert!(
            matches!(strict.clean(&text), std::borrow::Cow::Borrowed(_)),
            "{name}: changed with fullwidth(false)"
        );
    }
    assert!(bad.is_empty(), "edits on correct text:\n{}", bad.join("\n"));
}

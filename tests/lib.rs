//! The integration test binary. Every file `tests/data/*.toml` holds cases:
//!
//! ```toml
//! [[case]]
//! name = "ascii-comma"               # unique within the file
//! input = "同志们:经研究决定,我们"
//! output = "同志们：经研究决定，我们"  # omit for a negative case: must not change
//! config = ["punct=off"]             # optional builder settings, see `builder_from`
//! rules = ["punct/ascii"]            # optional: the edits' rule ids, in order
//! known_failure = true               # optional: zhfix does not get this right yet
//! comment = "why the case exists"    # optional
//! issue = 2                          # optional: the issue or fuzz case it comes from
//! ```
//!
//! Each case checks that `clean(input) == output`, that the result is
//! borrowed exactly when nothing changed, that `explain` gives the same
//! output and its edits replay to it, and that cleaning the output changes
//! nothing (idempotence). A known failure must still fail, so that a fix is
//! noticed and the case moved to the passing files. Every case also goes
//! through the property checks of `support::check` (edits sorted and within
//! the input, lines without Chinese untouched, the paragraph property), so a
//! case found by the property tests or the fuzzer keeps checking what broke.

mod cli;
mod hostile;
mod lexicon;
mod properties;
mod support;
mod unicode;

use std::borrow::Cow;
use std::path::Path;

use serde::Deserialize;
use zhfix::{Fixer, Layer};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    case: Vec<Case>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Case {
    name: String,
    input: String,
    output: Option<String>,
    #[serde(default)]
    config: Vec<String>,
    rules: Option<Vec<String>>,
    #[serde(default)]
    known_failure: bool,
    #[allow(dead_code)]
    comment: Option<String>,
    #[allow(dead_code)]
    issue: Option<u32>,
}

/// Builds a fixer from `key=value` settings: `LAYER=on|off` for each layer
/// name, `spacing=on|off`, `fullwidth=on|off`, `family:NAME=on|off` and
/// `evidence=default|self-evident|strict|lenient`.
fn builder_from(config: &[String]) -> Fixer {
    let mut b = Fixer::builder();
    for setting in config {
        let (key, value) = setting
            .split_once('=')
            .unwrap_or_else(|| panic!("bad setting {setting:?}"));
        if key == "evidence" {
            let level = support::config::EVIDENCE
                .iter()
                .find(|(_, name)| *name == value)
                .unwrap_or_else(|| panic!("bad evidence level in {setting:?}"));
            b.evidence(level.0);
            continue;
        }
        let on = match value {
            "on" => true,
            "off" => false,
            _ => panic!("bad value in {setting:?}"),
        };
        match (Layer::from_name(key), key) {
            (Some(layer), _) => b.layer(layer, on),
            (None, "spacing") => b.spacing(on),
            (None, "fullwidth") => b.fullwidth(on),
            (None, k) if k.starts_with("family:") => b.family(&k["family:".len()..], on),
            _ => panic!("unknown setting {setting:?}"),
        };
    }
    b.build().expect("test configuration builds")
}

/// Escapes everything outside printable ASCII and CJK so failures show
/// invisible characters.
fn esc(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            ' '..='~' => c.to_string(),
            c if ('\u{3000}'..='\u{9FFF}').contains(&c)
                || ('\u{FF01}'..='\u{FF5E}').contains(&c) =>
            {
                c.to_string()
            }
            '“' | '”' | '…' | '—' => c.to_string(),
            c => c.escape_unicode().to_string(),
        })
        .collect()
}

fn check(file: &str, case: &Case) -> Result<(), String> {
    let fixer = builder_from(&case.config);
    let want = case.output.as_deref().unwrap_or(&case.input);
    let got = fixer.clean(&case.input);
    if got != want {
        return Err(format!(
            "{file}: {}\n  input:  {}\n  want:   {}\n  got:    {}",
            case.name,
            esc(&case.input),
            esc(want),
            esc(&got)
        ));
    }
    let borrowed = matches!(got, Cow::Borrowed(_));
    if borrowed != (case.input == want) {
        return Err(format!(
            "{file}: {}: borrowed={borrowed} but input==output is {}",
            case.name,
            case.input == want
        ));
    }
    let report = fixer.explain(&case.input);
    if report.output() != want {
        return Err(format!(
            "{file}: {}: explain gives {}",
            case.name,
            esc(report.output())
        ));
    }
    match report.replay(&case.input) {
        Ok(r) if r == want => {}
        other => return Err(format!("{file}: {}: replay gives {other:?}", case.name)),
    }
    if let Some(rules) = &case.rules {
        let got_rules: Vec<&str> = report.edits().iter().map(|e| e.rule()).collect();
        if got_rules != *rules {
            return Err(format!(
                "{file}: {}: rules {got_rules:?}, want {rules:?}",
                case.name
            ));
        }
    }
    let again = fixer.clean(want);
    if again != want {
        return Err(format!(
            "{file}: {}: not idempotent: clean(output) = {}",
            case.name,
            esc(&again)
        ));
    }
    support::check::check(&fixer, &case.input)
        .and_then(|()| support::check::check_split(&fixer, &case.input))
        .map_err(|msg| format!("{file}: {}: {msg}", case.name))
}

/// The cases of the data file at `path`.
fn read_cases(path: &Path) -> File {
    let text = std::fs::read_to_string(path).expect("readable test file");
    toml::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

#[test]
fn data_cases() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data");
    let mut paths: Vec<_> = std::fs::read_dir(&dir)
        .expect("tests/data exists")
        .map(|e| e.expect("readable dir entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .collect();
    paths.sort();
    assert!(!paths.is_empty(), "no test data in {}", dir.display());
    let (mut failures, mut count) = (Vec::new(), 0);
    for path in &paths {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let file = read_cases(path);
        let mut seen = std::collections::HashSet::new();
        for case in &file.case {
            assert!(
                seen.insert(&case.name),
                "{name}: duplicate case name {}",
                case.name
            );
            count += 1;
            match (check(&name, case), case.known_failure) {
                (Err(msg), false) => failures.push(msg),
                (Ok(()), true) => failures.push(format!(
                    "{name}: {}: marked known_failure but passes now: remove the mark",
                    case.name
                )),
                _ => {}
            }
        }
    }
    println!("{count} data cases in {} files", paths.len());
    assert!(
        failures.is_empty(),
        "{} failing cases:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// One `Fixer` shared by threads (it is `Send + Sync`) cleans every input
/// as one thread alone does, whatever the others clean meanwhile and in
/// whatever order: the vectors each thread keeps from one call for the next
/// carry nothing over.
#[test]
fn threads_clean_as_one_thread() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data");
    let mut inputs = Vec::new();
    for name in ["basics.toml", "lexicon.toml", "punct.toml", "unicode.toml"] {
        let file = read_cases(&dir.join(name));
        inputs.extend(file.case.into_iter().map(|c| c.input));
    }
    assert!(inputs.len() > 100, "only {} inputs", inputs.len());
    let fixer = Fixer::default();
    let alone: Vec<String> = inputs.iter().map(|t| fixer.clean(t).into_owned()).collect();
    let threads = 4;
    std::thread::scope(|s| {
        for k in 0..threads {
            let (fixer, inputs, alone) = (&fixer, &inputs, &alone);
            s.spawn(move || {
                // Each thread starts elsewhere in the list, and goes round it
                // three times.
                let n = inputs.len();
                for step in 0..3 * n {
                    let i = (step + k * n / threads) % n;
                    assert_eq!(
                        fixer.clean(&inputs[i]),
                        alone[i].as_str(),
                        "thread {k}: {:?}",
                        inputs[i]
                    );
                }
            });
        }
    });
}

mod breadth;
mod calibration;
mod corpus;
mod heads;

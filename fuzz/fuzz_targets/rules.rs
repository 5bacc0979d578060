//! The rule-file parser (`FixerBuilder::rules`, the format of
//! `data/lexicon/pairs.tsv`) on arbitrary text, then the fixer it builds on
//! arbitrary text.
//!
//! Input layout: the configuration bytes of the `clean` target, then the
//! rule text up to the first NUL byte, then the text to clean (invalid
//! UTF-8 replaced by U+FFFD in both).
//!
//! Asserted: building either succeeds or fails with an error that names
//! the source and a line of the rule text (`fuzz.tsv:LINE: problem`, one
//! line of message); when it succeeds, the fixer keeps every property of
//! `tests/support/check.rs` on the text, so user rules cannot break
//! idempotence or the edit invariants either.
#![no_main]

use libfuzzer_sys::fuzz_target;

#[allow(dead_code)]
#[path = "../../tests/support/check.rs"]
mod check;
#[allow(dead_code)]
#[path = "../../tests/support/config.rs"]
mod config;

use config::Config;

fuzz_target!(|data: &[u8]| {
    let Some((cfg, rest)) = Config::from_prefix(data) else {
        return;
    };
    let cut = rest.iter().position(|&b| b == 0).unwrap_or(rest.len());
    let rules = String::from_utf8_lossy(&rest[..cut]);
    let text = String::from_utf8_lossy(rest.get(cut + 1..).unwrap_or_default());

    let fixer = match cfg.builder().rules("fuzz.tsv", &rules).build() {
        Ok(f) => f,
        Err(e) => {
            let msg = e.to_string();
            let line = e
                .line()
                .unwrap_or_else(|| panic!("error without a line: {msg}"));
            assert!(
                (1..=rules.lines().count()).contains(&line),
                "line {line} of {} lines: {msg}",
                rules.lines().count()
            );
            assert!(
                msg.starts_with(&format!("fuzz.tsv:{line}: ")),
                "message does not name the source and line: {msg}"
            );
            assert!(!msg.contains('\n'), "message of several lines: {msg}");
            return;
        }
    };
    let result = check::check(&fixer, &text).and_then(|()| check::check_split(&fixer, &text));
    if let Err(msg) = result {
        panic!(
            "{msg}\n  rules: {}\n  {}",
            check::toml_string(&rules),
            cfg.describe()
        );
    }
});

//! Hostile inputs (`tests/support/hostile.rs`) complete and are repaired
//! correctly. Not timed: `benches/hostile.rs` measures their cost. Sizes
//! here are those of the issue where a debug build handles them in a few
//! seconds, and smaller otherwise (the benchmark runs the full sizes).

use std::borrow::Cow;

use zhfix::Fixer;

use crate::support::check::{check, esc};
use crate::support::config::{Config, KNOBS, bits};
use crate::support::hostile::*;

fn clean(s: &str) -> String {
    zhfix::clean(s).into_owned()
}

/// The first place two long strings differ, for a readable failure.
fn first_difference(a: &str, b: &str) -> String {
    let at = a
        .char_indices()
        .zip(b.chars())
        .find(|((_, x), y)| x != y)
        .map_or(a.len().min(b.len()), |((i, _), _)| i);
    let around = |s: &str| -> String {
        let from = (0..=at.saturating_sub(30).min(s.len()))
            .rev()
            .find(|&k| s.is_char_boundary(k))
            .unwrap_or(0);
        esc(&s[from..].chars().take(30).collect::<String>())
    };
    format!(
        "lengths {} and {}; near byte {at}: {} vs {}",
        a.len(),
        b.len(),
        around(a),
        around(b)
    )
}

fn assert_long_eq(got: &str, want: &str) {
    assert!(got == want, "{}", first_difference(got, want));
}

#[test]
fn long_single_line() {
    let copies = (4 * MB).div_ceil(64 * MIXED_UNIT.len()) * 64; // 4 MB
    let text = MIXED_UNIT.repeat(copies);
    assert!(!text.contains('\n') && text.len() >= 4 * MB);
    let want = periodic_expectation(clean, MIXED_UNIT, 64, copies);
    let unit = clean(MIXED_UNIT);
    assert!(
        unit.contains("同意人民政府（含外来人口）") && unit.contains("2023年GDP"),
        "{unit}"
    );
    assert_long_eq(&clean(&text), &want);
    check(&Fixer::default(), &MIXED_UNIT.repeat(64)).unwrap();
}

#[test]
fn a_million_closing_quotes() {
    let text = closers(1_000_000);
    let want = format!("中“{}", "”".repeat(1_000_000));
    assert_long_eq(&clean(&text), &want);
    let report = zhfix::explain(&text);
    assert_eq!(report.edits().len(), 1_000_000);
    assert_eq!(report.edits()[0].rule(), "punct/quote-close");
    assert_eq!(report.edits()[1].rule(), "punct/quote-lone");
    // Without an ideograph the line is not Chinese: nothing changes.
    let bare = "〞".repeat(1_000_000);
    assert!(matches!(zhfix::clean(&bare), Cow::Borrowed(_)));
}

#[test]
fn deeply_nested_brackets() {
    let n = 100_000;
    let text = nested_brackets(n);
    let want = format!("{}（中）{}", "〔".repeat(n - 1), "〕".repeat(n - 1));
    assert_long_eq(&clean(&text), &want);
    let open = "〔".repeat(n);
    assert_eq!(zhfix::clean(&open), open);
    check(&Fixer::default(), &nested_brackets(1000)).unwrap();
}

#[test]
fn garbled_forms_only_and_alternating() {
    for (name, unit) in [
        ("garbled", garbled_unit()),
        ("alternating", alternating_unit()),
    ] {
        let copies = 64 * 128;
        let text = unit.repeat(copies);
        assert!(text.len() > MB / 4, "{name}");
        // 256 copies are some 28 KB, three times the distance over which
        // evidence fades: the first copies' repair depends on the copies
        // within reach to their right, so fewer would not be periodic.
        let want = periodic_expectation(clean, &unit, 256, copies);
        assert_long_eq(&clean(&text), &want);
        check(&Fixer::default(), &unit.repeat(64)).unwrap();
    }
    assert_eq!(garbled_only(MB).len() / MB, 1);
    assert!(alternating(MB).starts_with("开展发展根底基础"));
}

#[test]
fn ascii_punctuation_ten_megabytes() {
    let text = ascii_punctuation(10 * MB);
    assert_eq!(text.len(), 10 * MB);
    // No ideograph: borrowed, by default and under every configuration.
    assert!(matches!(zhfix::clean(&text), Cow::Borrowed(_)));
    let text = &text[..256 * 1024];
    // Every combination of layers and options, then every evidence level
    // and every family switched off alone.
    let switches = zhfix::Layer::ALL.len() + KNOBS.len();
    let rest = Config::default_bits().0 & !((1 << switches) - 1);
    let configs = (0..1u64 << switches)
        .map(|low| Config(rest | low))
        .chain((switches..bits()).map(|k| Config(Config::default_bits().0 ^ 1 << k)));
    for config in configs {
        assert!(
            matches!(config.fixer().clean(text), Cow::Borrowed(_)),
            "{}",
            config.describe()
        );
    }
    // With ideographs among the marks: the properties hold.
    let text = ascii_punctuation_in_chinese(256 * 1024);
    check(&Fixer::default(), &text).unwrap();
}

#[test]
fn long_runs_of_whitespace() {
    // One run of spaces between ideographs is not spaced-out text.
    let text = space_run(10 * MB);
    assert!(matches!(zhfix::clean(&text), Cow::Borrowed(_)));
    // A spaced-out run of a million ideographs is closed up.
    let text = spaced_out(2 * MB);
    let n = text.len() / "中 ".len();
    assert_long_eq(&clean(&text), &format!("{} ", "中".repeat(n)));
    check(&Fixer::default(), &spaced_out(4096)).unwrap();
    // No-break spaces, ideographic spaces, tabs, blank lines.
    let unit = whitespace_mix(1);
    let copies = 64 * 16;
    let want = periodic_expectation(clean, &unit, 64, copies);
    assert_long_eq(&clean(&unit.repeat(copies)), &want);
    check(&Fixer::default(), &unit.repeat(4)).unwrap();
}

//! Property tests: for arbitrary text drawn from a mix that stresses every
//! layer, and for every builder configuration, the properties of
//! [`support::check`](crate::support::check) hold.
//!
//! The generator concatenates fragments: ideographs (common, rare, from the
//! supplementary planes), the garbled forms of the lexicon and their
//! originals (`data/lexicon/pairs.tsv` when it exists, plus the examples of
//! DESIGN.md), every punctuation mark the layers touch, ASCII words,
//! digits, URLs and e-mail addresses, whitespace and line breaks, combining
//! marks, emoji with joiners, right-to-left text, Kangxi and supplement
//! radicals, compatibility ideographs, full-width Latin, invisible
//! characters, spaced-out ideographs, the characters of
//! `data/confusables.tsv` and OCR misreadings (二O二三年, 金民), and any
//! `char` at all.
//!
//! Each property runs 256 cases by default; set `PROPTEST_CASES` for more
//! (`PROPTEST_CASES=20000 cargo test --release --test integration
//! properties`). A failure prints the input and the configuration as a
//! `config = […]` line: add it to `tests/data/regression.toml`.

use std::sync::LazyLock;

use proptest::prelude::*;
use proptest::test_runner::Config as PropConfig;
use zhfix::{Fixer, Layer};

use crate::support::check::{check, check_split, esc, is_han_like};
use crate::support::config::{Config, KNOBS, bits};

/// Fixed fragments, each a unit the layers may treat specially.
const FRAGMENTS: &[&str] = &[
    // Ideographs, alone and in words.
    "中",
    "国",
    "人",
    "民",
    "的",
    "了",
    "是",
    "在",
    "工作",
    "会议",
    "经济",
    "社会",
    "健康",
    "持续",
    "机制",
    "意识",
    "一",
    "二",
    "十",
    "〇",
    "二〇二三年",
    "吗",
    "呢",
    "为什么",
    "摘要",
    "编者按",
    "美",
    "市",
    "含外来人口",
    "𠀀",
    "𪜀",
    "\u{30000}",
    "㐀",
    "\u{FA0E}",
    // Quotes and brackets, Chinese and look-alike.
    "“",
    "”",
    "〝",
    "〞",
    "〟",
    "‘",
    "’",
    "\"",
    "'",
    "「",
    "」",
    "『",
    "』",
    "〔",
    "〕",
    "﹝",
    "﹞",
    "（",
    "）",
    "(",
    ")",
    "《",
    "》",
    "【",
    "】",
    "?",
    // Clause and sentence marks, full-width and ASCII.
    "，",
    "。",
    "、",
    "；",
    "：",
    "？",
    "！",
    ",",
    ".",
    ";",
    ":",
    "!",
    "...",
    "…",
    "……",
    "。。。",
    "—",
    "——",
    "--",
    "-",
    "·",
    "%",
    "&nbsp;",
    "#REF!",
    ":-)",
    "![",
    "2023〕5号",
    "国发〔2023〕5号",
    "1,000",
    "10:30",
    "3.14",
    // ASCII words, code, URLs.
    "Hello",
    "world",
    "QEMU",
    "apt-get",
    "f(a, b)",
    "MTA",
    "stable",
    "https://example.com/a?b=1,2;c",
    "www.example.cn",
    "user@example.com",
    "x = 1;",
    // Whitespace and line breaks.
    " ",
    " ",
    "  ",
    "    ",
    "\t",
    "\n",
    "\n",
    "\r\n",
    "\n\n",
    "\u{3000}",
    "\u{A0}",
    "\r",
    // Combining marks.
    "e\u{301}",
    "\u{301}",
    "\u{300}\u{301}",
    "a\u{20DD}",
    // Emoji, with joiners and selectors.
    "👨\u{200D}👩\u{200D}👧",
    "🏳\u{FE0F}\u{200D}🌈",
    "👩\u{200D}💻",
    "👍🏽",
    "🇨🇳",
    "\u{FE0F}",
    // Right-to-left text and direction marks.
    "العربية",
    "کتاب\u{200C}ها",
    "עברית",
    "\u{200F}",
    "\u{202E}",
    "\u{200E}",
    "क्\u{200D}ष",
    // Radicals and compatibility ideographs.
    "⼀",
    "⼈",
    "⼤",
    "⽇",
    "⿕",
    "⺟",
    "⻍",
    "\u{2E80}",
    "\u{2E9A}",
    "豈",
    "\u{2F800}",
    "⼯作",
    // Full-width Latin and digits.
    "Ａ",
    "ｚ",
    "１",
    "２０２３",
    "ＧＤＰ",
    "％",
    "＠",
    // Invisible characters.
    "\u{200B}",
    "\u{200C}",
    "\u{200D}",
    "\u{2060}",
    "\u{FEFF}",
    "\u{AD}",
    "å\u{AD}",
    // OCR misreadings and their contexts.
    "咖强",
    "金民",
    "衣村",
    "二O二三年",
    "2O23年",
    "l00万",
    "25l",
    "丶",
    "中国一东盟",
    "的：",
    "·",
    "一",
    "I18n",
    "x86_64",
    // Spaced-out ideographs.
    "经 济 技 术 开 发 区",
    "各 位 代 表 ： 现 在",
    "附 则",
    "中 ",
    // Replacement character, controls.
    "\u{FFFD}",
    "\u{0}",
    "\u{7F}",
    "\u{1B}[0m",
];

/// The garbled forms and originals of the lexicon: both columns of
/// `data/lexicon/pairs.tsv` when the file exists, plus the examples of
/// DESIGN.md.
static LEXICON: LazyLock<Vec<String>> = LazyLock::new(|| {
    let mut forms: Vec<String> = [
        "开展",
        "发展",
        "根底",
        "基础",
        "效劳",
        "服务",
        "比拟",
        "比较",
        "缺乏",
        "不足",
        "到达",
        "达到",
        "鼓励",
        "激励",
        "那么",
        "则",
        "根本",
        "基本",
        "效劳器",
        "前往",
        "返回",
        "局部",
        "能力",
        "力量",
        "水平",
        "才能",
        "推动经济社会健康持续开展",
        "在此根底上",
        "健全鼓励机制",
        "开展工作",
    ]
    .map(String::from)
    .to_vec();
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/data/lexicon/pairs.tsv");
    if let Ok(text) = std::fs::read_to_string(path) {
        for line in text.lines().filter(|l| !l.starts_with('#')) {
            for field in line.split('\t').take(2) {
                let field = field.trim();
                if !field.is_empty() && field.chars().all(is_han_like) {
                    forms.push(field.to_owned());
                }
            }
        }
    }
    forms.sort();
    forms.dedup();
    forms
});

/// The characters of `data/confusables.tsv`: ideographs and marks with
/// their look-alikes, which the OCR layer weighs.
static CONFUSABLES: LazyLock<Vec<String>> = LazyLock::new(|| {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/data/confusables.tsv");
    let mut chars: Vec<String> = std::fs::read_to_string(path)
        .unwrap_or_default()
        .lines()
        .filter(|l| !l.starts_with('#'))
        .filter_map(|l| l.chars().next())
        .map(String::from)
        .collect();
    if chars.is_empty() {
        chars.push("加".to_owned());
    }
    chars
});

/// One fragment of generated text.
fn fragment() -> impl Strategy<Value = String> {
    prop_oneof![
        12 => prop::sample::select(FRAGMENTS).prop_map(String::from),
        6 => prop::sample::select(LEXICON.clone()),
        3 => prop::sample::select(CONFUSABLES.clone()),
        3 => prop::char::range('\u{4E00}', '\u{9FFF}').prop_map(String::from),
        2 => "[a-zA-Z]{1,8}",
        2 => "[0-9]{1,6}",
        1 => any::<char>().prop_map(String::from),
        1 => prop::char::range('\u{2E80}', '\u{2FFF}').prop_map(String::from),
        1 => prop::char::range('\u{3000}', '\u{303F}').prop_map(String::from),
        1 => prop::char::range('\u{FF00}', '\u{FFEF}').prop_map(String::from),
        1 => prop::char::range('\u{2000}', '\u{206F}').prop_map(String::from),
    ]
}

/// Generated text: up to `max` fragments.
fn text(max: usize) -> impl Strategy<Value = String> {
    prop::collection::vec(fragment(), 0..max).prop_map(|v| v.concat())
}

/// A configuration: the default one a quarter of the time, otherwise any.
fn config() -> impl Strategy<Value = Config> {
    prop_oneof![
        1 => Just(Config::default_bits()),
        3 => any::<u64>().prop_map(Config),
    ]
}

fn prop_config() -> PropConfig {
    PropConfig {
        // Failures are kept as cases of tests/data/regression.toml instead.
        failure_persistence: None,
        ..PropConfig::default()
    }
}

proptest! {
    #![proptest_config(prop_config())]

    /// Idempotence, the Cow contract, the edits and their replay, the
    /// lines without Chinese: every property of `check`.
    #[test]
    fn every_text_keeps_the_properties(cfg in config(), s in text(40)) {
        let fixer = cfg.fixer();
        if let Err(msg) = check(&fixer, &s) {
            return Err(TestCaseError::fail(format!("{msg}\n  {}", cfg.describe())));
        }
    }

    /// Text made mostly of lines, so that the paragraph property sees many
    /// splits, and lines that differ in their evidence.
    #[test]
    fn paragraphs_are_repaired_alone_as_in_the_whole(
        cfg in config(),
        lines in prop::collection::vec(text(12), 1..8),
    ) {
        let s = lines.join("\n");
        let fixer = cfg.fixer();
        if let Err(msg) = check_split(&fixer, &s) {
            return Err(TestCaseError::fail(format!("{msg}\n  {}", cfg.describe())));
        }
    }

    /// Text without an ideograph or a radical comes back borrowed, whatever
    /// else it holds.
    #[test]
    fn text_without_chinese_is_unchanged(
        cfg in config(),
        s in text(40).prop_map(|s| s.chars().filter(|&c| !is_han_like(c)).collect::<String>()),
    ) {
        let fixer = cfg.fixer();
        let out = fixer.clean(&s);
        prop_assert!(
            matches!(out, std::borrow::Cow::Borrowed(_)),
            "{} became {}\n  {}",
            esc(&s),
            esc(&out),
            cfg.describe()
        );
    }
}

/// Every option of the builder is in `KNOBS` (or is a layer switch): the
/// builder's `Debug` output shows every boolean setting, and turning every
/// known setting away from its default must flip every one of them. A new
/// option fails here until it is added to `tests/support/config.rs`.
#[test]
fn every_builder_option_is_covered() {
    let bools = |s: &str| -> Vec<bool> {
        s.split(|c: char| !c.is_ascii_alphanumeric())
            .filter_map(|w| w.parse::<bool>().ok())
            .collect()
    };
    let default = Fixer::builder();
    let mut flipped = Fixer::builder();
    let fixer = Fixer::default();
    for layer in Layer::ALL {
        flipped.layer(layer, !fixer.is_enabled(layer));
    }
    for knob in KNOBS {
        (knob.set)(&mut flipped, !knob.default);
    }
    let (a, b) = (
        bools(&format!("{default:?}")),
        bools(&format!("{flipped:?}")),
    );
    assert!(
        !a.is_empty() && a.len() == b.len(),
        "{default:?}\n{flipped:?}"
    );
    assert!(
        a.iter().zip(&b).all(|(x, y)| x != y),
        "a builder setting is not covered by tests/support/config.rs KNOBS (or a \
         default there is wrong):\n  default: {default:?}\n  flipped: {flipped:?}"
    );
    // And the bits reproduce the default configuration.
    assert_eq!(
        format!("{:?}", Config::default_bits().builder()),
        format!("{default:?}")
    );
}

/// The fuzz targets read their configuration from the first bytes of the
/// input: every configuration comes back from its little-endian bytes, with
/// the rest of the input after them; a shorter input has none.
#[test]
fn fuzz_inputs_carry_every_configuration() {
    let n = bits().div_ceil(8);
    for cfg in [Config(0), Config::default_bits(), Config((1 << bits()) - 1)] {
        let mut data = cfg.0.to_le_bytes()[..n].to_vec();
        data.extend_from_slice("开展工作".as_bytes());
        assert_eq!(
            Config::from_prefix(&data),
            Some((cfg, "开展工作".as_bytes()))
        );
        assert_eq!(Config::from_prefix(&data[..n]), Some((cfg, &[][..])));
        assert_eq!(Config::from_prefix(&data[..n - 1]), None);
    }
}

/// The generator does produce what it promises: a sample holds each kind
/// of fragment, and lexicon forms are present.
#[test]
fn generator_covers_the_mix() {
    use proptest::strategy::ValueTree;
    use proptest::test_runner::TestRunner;
    let mut runner = TestRunner::deterministic();
    let strategy = text(40);
    let mut all = String::new();
    for _ in 0..200 {
        all.push_str(&strategy.new_tree(&mut runner).unwrap().current());
    }
    for needle in ["〞", "〔", ",", "\n", "⼈", "\u{200D}", "https://", "Ａ"] {
        assert!(all.contains(needle), "the generator never made {needle:?}");
    }
    assert!(LEXICON.iter().any(|f| all.contains(f.as_str())));
}

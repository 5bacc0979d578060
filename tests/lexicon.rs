//! Tests of the lexicon layer through the public API: the builder's
//! lexicon settings, `diagnose`, and idempotence on random mixes of the
//! pair table's forms and contexts. The cases of `tests/data/lexicon.toml`
//! are run by `data_cases` in `tests/lib.rs`.

use std::borrow::Cow;

use proptest::prelude::*;
use zhfix::{Evidence, Fixer};

/// The built-in pair table, read as text: its forms and the words of its
/// contexts make the random inputs.
const PAIRS: &str = include_str!("../data/lexicon/pairs.tsv");

/// Every garbled and original form, and every context word.
fn pieces() -> Vec<String> {
    let mut out = Vec::new();
    for line in PAIRS
        .lines()
        .filter(|l| !l.starts_with('#') && !l.is_empty())
    {
        let f: Vec<&str> = line.split('\t').collect();
        out.push(f[0].to_owned());
        out.push(f[1].to_owned());
        for pat in f[3].split(' ').chain(f[4].split(' ')).filter(|p| *p != "-") {
            for part in pat.split('_').filter(|p| !p.is_empty()) {
                out.push(part.to_owned());
            }
        }
    }
    out.extend(["，", "。", "\n", "的", "和", "我们", "工作"].map(String::from));
    out.sort();
    out.dedup();
    out
}

fn text_of(picks: &[usize], pieces: &[String]) -> String {
    picks
        .iter()
        .map(|&i| pieces[i % pieces.len()].as_str())
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    /// Cleaning twice changes nothing more, the edits replay, and the
    /// output is borrowed exactly when nothing changed: on texts dense
    /// with forms and contexts, where chains (把握←掌握←控制) and swaps
    /// (特殊↔特别) meet.
    #[test]
    fn clean_is_idempotent_on_lexicon_text(
        picks in proptest::collection::vec(any::<usize>(), 0..120),
        level in 0usize..4,
    ) {
        let pieces = pieces();
        let text = text_of(&picks, &pieces);
        let evidence = [Evidence::SelfEvident, Evidence::Strict, Evidence::Default, Evidence::Lenient][level];
        let fixer = Fixer::builder().evidence(evidence).build().unwrap();
        let once = fixer.clean(&text);
        prop_assert_eq!(matches!(once, Cow::Borrowed(_)), once == text);
        let twice = fixer.clean(&once);
        prop_assert_eq!(&*twice, &*once, "input {:?}", text);
        let report = fixer.explain(&text);
        prop_assert_eq!(report.output(), &*once);
        prop_assert_eq!(report.replay(&text).unwrap(), &*once);
    }
}

/// A garbled paragraph long enough to make family A active.
const SPEECH: &str = "推动经济社会健康持续开展，在此根底上，树立大局意识、效劳意识。\
                      人口到达100万，问题还比拟突出，存在着很多缺乏，要健全鼓励机制。";

#[test]
fn diagnose_a_garbled_speech() {
    let d = zhfix::diagnose(SPEECH);
    assert!(d.score() > 0.9, "{d}");
    assert!(d.is_garbled());
    assert_eq!(d.active_families(), ["A"]);
    let a = &d.families()[0];
    assert_eq!(a.name(), "A");
    assert!(a.is_active() && a.strength() >= a.threshold(), "{a}");
    let gendi = a.pairs().iter().find(|p| p.garbled() == "根底").unwrap();
    assert_eq!(
        (gendi.original(), gendi.occurrences(), gendi.confirmed()),
        ("基础", 1, 1)
    );
    // Display: a summary line, then one line per family.
    let shown = d.to_string();
    assert!(shown.starts_with("score 0.9"), "{shown}");
    assert!(shown.contains("active: A"), "{shown}");
    assert!(shown.contains("\n  A active "), "{shown}");
    assert!(shown.contains("根底>基础 ×1"), "{shown}");
}

#[test]
fn diagnose_correct_text() {
    for text in [
        "",
        "推动经济社会健康持续发展。认真开展工作，鼓励创新。",
        "投降后为敌人效劳的，处十年以上有期徒刑。",
        "开展工作",
    ] {
        let d = zhfix::diagnose(text);
        assert!(d.score() < 0.2, "{text}: {d}");
        assert!(!d.is_garbled(), "{text}: {d}");
        assert!(d.to_string().contains("no family active"));
    }
}

#[test]
fn diagnose_does_not_depend_on_the_layer_switch() {
    let off = Fixer::builder().lexicon(false).build().unwrap();
    assert_eq!(off.diagnose(SPEECH), zhfix::diagnose(SPEECH));
    // It reads the text after the Unicode layer: Kangxi radicals in a garbled
    // form do not hide it.
    let with_radical = SPEECH.replace("大局", "⼤局");
    assert_eq!(zhfix::diagnose(&with_radical).active_families(), ["A"]);
}

#[test]
fn evidence_levels() {
    let text = "树立效劳意识。要健全鼓励机制。推动经济社会健康持续开展。";
    let fixer = |level| Fixer::builder().evidence(level).build().unwrap();
    // Only the self-evident repair without document evidence.
    assert_eq!(
        fixer(Evidence::SelfEvident).clean(text),
        "树立服务意识。要健全鼓励机制。推动经济社会健康持续开展。"
    );
    // Every level makes the self-evident repair.
    for level in [Evidence::Strict, Evidence::Default, Evidence::Lenient] {
        assert!(fixer(level).clean(text).starts_with("树立服务意识"));
    }
    assert_eq!(
        Fixer::builder().build().unwrap().diagnose(text),
        zhfix::diagnose(text)
    );
}

#[test]
fn families_and_pairs_switch_off() {
    let no_a = Fixer::builder().family("A", false).build().unwrap();
    assert_eq!(no_a.clean("问题比拟突出"), "问题比拟突出");
    // 根底 is also in family tech.
    assert_eq!(no_a.clean("在此根底上"), "在此基础上");
    let none = Fixer::builder()
        .family("A", false)
        .family("tech", false)
        .build()
        .unwrap();
    assert_eq!(none.clean("在此根底上"), "在此根底上");
    // The last setting for a name wins.
    let back = Fixer::builder()
        .family("A", false)
        .family("A", true)
        .build()
        .unwrap();
    assert_eq!(back.clean("问题比拟突出"), "问题比较突出");
    let no_pair = Fixer::builder()
        .pair("效劳", "服务", false)
        .build()
        .unwrap();
    assert_eq!(no_pair.clean("效劳器前往302"), "效劳器返回302");
}

#[test]
fn unknown_names_fail_to_build() {
    let e = Fixer::builder().family("Z", true).build().unwrap_err();
    assert_eq!(e.to_string(), "there is no family named \"Z\"");
    assert_eq!(e.line(), None);
    let e = Fixer::builder()
        .pair("根底", "底细", false)
        .build()
        .unwrap_err();
    assert_eq!(e.to_string(), "there is no pair named \"根底>底细\"");
}

#[test]
fn user_rules() {
    let rules = "# our scanner's tool\n智能化装备\t智能装备\tA\t_制造\t-\tseen in our scans\n";
    let fixer = Fixer::builder().rules("ours.tsv", rules).build().unwrap();
    let report = fixer.explain("推进智能化装备制造");
    assert_eq!(report.output(), "推进智能装备制造");
    assert_eq!(
        report.edits()[0].rule(),
        "lexicon/A:智能化装备>智能装备@confirm"
    );
    // A user pair can be switched off like a built-in one.
    let off = Fixer::builder()
        .rules("ours.tsv", rules)
        .pair("智能化装备", "智能装备", false)
        .build()
        .unwrap();
    assert_eq!(off.clean("推进智能化装备制造"), "推进智能化装备制造");
}

#[test]
fn clause_scoped_contexts() {
    // A user pair whose protect context is clause-scoped: protect wins over
    // confirm inside the sentence, and only there.
    let rules = "智能化装备\t智能装备\tA\t_制造\t如果…_\t-\n";
    let fixer = Fixer::builder().rules("ours.tsv", rules).build().unwrap();
    assert_eq!(fixer.clean("推进智能化装备制造"), "推进智能装备制造");
    let kept = "如果要推进，智能化装备制造";
    assert_eq!(fixer.clean(kept), kept);
    assert_eq!(
        fixer.clean("如果要推进。智能化装备制造"),
        "如果要推进。智能装备制造"
    );
    // The built-in 那么 (← 则) is the `then` of `if … then` after a
    // conditional in its sentence: not even an occurrence.
    let occurrences = |text: &str| -> usize {
        zhfix::diagnose(text)
            .families()
            .iter()
            .flat_map(|f| f.pairs())
            .filter(|p| p.garbled() == "那么")
            .map(|p| p.occurrences())
            .max()
            .unwrap_or(0)
    };
    assert_eq!(occurrences("如果有问题，那么请及时反馈。"), 0);
    assert_eq!(occurrences("若进程收到终止信号，那么它会先保存状态。"), 0);
    assert_eq!(occurrences("有问题。那么请及时反馈。"), 1);
    assert_eq!(occurrences("如果有问题。那么请及时反馈。"), 1);
    // 以为 (← 认为) before 人民 is 以 + 为人民服务 (以为人民服务为宗旨), in
    // garbled text too (以为人民效劳为宗旨).
    let occurrences_of = |form: &str, text: &str| -> usize {
        zhfix::diagnose(text)
            .families()
            .iter()
            .flat_map(|f| f.pairs())
            .filter(|p| p.garbled() == form)
            .map(|p| p.occurrences())
            .max()
            .unwrap_or(0)
    };
    assert_eq!(occurrences_of("以为", "坚持以为人民效劳为宗旨"), 0);
    assert_eq!(occurrences_of("以为", "全心全意以为人民服务为己任"), 0);
    assert_eq!(occurrences_of("以为", "我们以为人民的利益高于一切"), 1);
}

#[test]
fn user_rules_errors_name_source_and_line() {
    let build = |text: &str| {
        Fixer::builder()
            .rules("ours.tsv", text)
            .build()
            .unwrap_err()
    };
    // Duplicates: within the text, across texts, and against a built-in
    // pair that is still on.
    let e = build("甲乙\t丙丁\tA\t-\t-\t-\n甲乙\t丙丁\tB\t-\t-\t-");
    assert_eq!(e.line(), Some(2));
    assert!(
        e.to_string()
            .starts_with("ours.tsv:2: duplicate pair 甲乙>丙丁"),
        "{e}"
    );
    let e = Fixer::builder()
        .rules("a.tsv", "甲乙\t丙丁\tA\t-\t-\t-")
        .rules("b.tsv", "\n甲乙\t丙丁\tA\t-\t-\t-")
        .build()
        .unwrap_err();
    assert!(
        e.to_string()
            .starts_with("b.tsv:2: duplicate pair 甲乙>丙丁 (first in a.tsv line 1)"),
        "{e}"
    );
    let e = build("开展\t发展\tA\t-\t-\t-");
    assert!(e.to_string().contains("it is built in"), "{e}");
    // A form with a separator of rule ids (found by the rules fuzz target:
    // `lexicon/B:送播>广播/d+v` read as two rules).
    let e = build("# mine\n送播\t广播/d+v\tB\t-\t-\t-");
    assert_eq!(e.line(), Some(2));
    assert!(
        e.to_string()
            .starts_with("ours.tsv:2: the original form \"广播/d+v\" contains `+`, `>` or `@`"),
        "{e}"
    );
    // Replacing a built-in pair once it is off.
    let fixer = Fixer::builder()
        .pair("开展", "发展", false)
        .rules("ours.tsv", "开展\t发展\tA\t_动力\t-\t-")
        .build()
        .unwrap();
    assert_eq!(fixer.clean("开展动力"), "发展动力");
    assert_eq!(fixer.clean("帮助开展中国家"), "帮助开展中国家");
    // The other kinds, one each.
    for (text, want) in [
        (
            "甲乙\t丙丁\tA\t-\t-",
            "ours.tsv:1: expected 6 TAB-separated fields",
        ),
        (
            "\t丙丁\tA\t-\t-\t-",
            "ours.tsv:1: the garbled form is empty",
        ),
        ("甲\t甲乙\tA\t-\t-\t-", "would not be idempotent"),
        (
            "abc\t甲乙\tA\t-\t-\t-",
            "ours.tsv:1: the garbled form \"abc\" has no Chinese character",
        ),
        ("甲乙\t丙丁\tX\t-\t-\t-", "ours.tsv:1: unknown family \"X\""),
        (
            "甲乙\t丙丁\tA\t甲_乙_\t-\t-",
            "ours.tsv:1: bad context pattern \"甲_乙_\"",
        ),
    ] {
        let e = build(text).to_string();
        assert!(e.contains(want), "{text:?}: {e}");
    }
}

#[test]
fn punctuation_marks_count_for_family_a() {
    // 〞 closing a “ and 〔…〕 around ordinary text are family A's marks.
    let text = "要坚持“月安排、周调度〞，突出“两个重点〞。全市人口〔含外来人口〕增加，\
                问题还比拟突出。";
    let d = zhfix::diagnose(text);
    let a = d.families().iter().find(|f| f.name() == "A").unwrap();
    let quotes = a.pairs().iter().find(|p| p.garbled() == "〞").unwrap();
    assert_eq!((quotes.original(), quotes.occurrences()), ("”", 2));
    let brackets = a.pairs().iter().find(|p| p.garbled() == "〔〕").unwrap();
    assert_eq!(brackets.occurrences(), 1);
    assert_eq!(d.active_families(), ["A"], "{d}");
    // The same words without the marks: no family.
    let plain =
        "要坚持“月安排、周调度”，突出“两个重点”。全市人口（含外来人口）增加，问题还比拟突出。";
    assert!(!zhfix::diagnose(plain).is_garbled());
}

#[test]
fn marks_count_after_the_punctuation_layer_repaired_them() {
    // The punctuation layer runs first and repairs the marks (〞, 〔〕); the
    // word layer reads the repaired text and still counts them. 鼓励 and
    // 开展 are repaired only on that evidence; 效劳意识 on its context alone.
    let garbled = "他指出：“要推动经济社会健康持续开展〞。〔含外来人口〕健全鼓励机制，\
                   树立效劳意识，“抓好落实〞。";
    let words = |fixer: &Fixer, text: &str| -> Vec<String> {
        let report = fixer.explain(text);
        report
            .edits()
            .iter()
            .filter(|e| e.rule().contains("lexicon/"))
            .map(|e| e.after().trim_end_matches('”').to_string())
            .collect()
    };
    let with_punct = Fixer::default();
    let without = Fixer::builder().punct(false).build().unwrap();
    assert_eq!(words(&with_punct, garbled), ["发展", "激励", "服务"]);
    assert_eq!(words(&without, garbled), words(&with_punct, garbled));
    assert_eq!(
        with_punct.clean(garbled),
        "他指出：“要推动经济社会健康持续发展”。（含外来人口）健全激励机制，树立服务意识，“抓好落实”。"
    );
    // The same words with correct punctuation: no evidence but 效劳意识's.
    let plain = "他指出：“要推动经济社会健康持续开展”。（含外来人口）健全鼓励机制，\
                 树立效劳意识，“抓好落实”。";
    assert_eq!(words(&with_punct, plain), ["服务"]);
    // A text longer than 64 KB has its marks found before the punctuation
    // layer's scan, and moved as its edits come (the ASCII commas here
    // become three bytes each); the debug build checks that they land on
    // the repaired marks.
    let line = "他指出:“要推动经济社会健康持续开展〞,〔含外来人口〕健全鼓励机制,\
                树立效劳意识,“抓好落实〞。\n";
    let long = line.repeat(1000);
    assert!(long.len() > 100_000);
    let want = "他指出：“要推动经济社会健康持续发展”，（含外来人口）健全激励机制，\
                树立服务意识，“抓好落实”。\n";
    assert_eq!(with_punct.clean(&long), want.repeat(1000));
}

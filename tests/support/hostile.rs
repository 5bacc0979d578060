//! Hostile inputs: texts built to hit the worst case of each layer. The
//! tests (`tests/hostile.rs`, not timed) check that each completes and is
//! repaired correctly; the benchmark group `hostile` (`benches/hostile.rs`,
//! which includes this file with `#[path]`) times them and compares the
//! cost per megabyte at 1 MB and at 50 MB.
//!
//! Every text of a given kind is built by repeating one unit, so its
//! correct repair is known without trusting the code under test at full
//! size: the repair of a long text must be the repair of a short one,
//! repeated ([`periodic_expectation`]).

/// One megabyte.
pub const MB: usize = 1 << 20;

/// A line of ordinary garbled text touching every layer that exists: ASCII
/// punctuation, look-alike quotes and brackets, radicals, full-width
/// digits, a zero-width space, a spaced-out run, and correct text. It has
/// no line break, so repeating it makes one long line.
pub const MIXED_UNIT: &str = "经研究决定,同意⼈民政府〔含外来人口〕的意见:要坚持“月安排、周调度〞,\
    ２０２３年ＧＤＰ增长5.2%。开展工作，鼓励创新\u{200B}。经 济 技 术 开 发 区建设……";

/// The garbled forms of the rewrite tool that DESIGN.md lists.
pub const GARBLED_FORMS: &[&str] = &[
    "开展", "根底", "效劳", "比拟", "缺乏", "到达", "鼓励", "那么", "根本",
];

/// Their originals, in the same order.
pub const ORIGINAL_FORMS: &[&str] = &[
    "发展", "基础", "服务", "比较", "不足", "达到", "激励", "则是", "基本",
];

/// `unit` repeated to `size` bytes at least (whole units only).
pub fn repeat_to(unit: &str, size: usize) -> String {
    unit.repeat(size.div_ceil(unit.len()))
}

/// The unit of [`garbled_only`]: every garbled form, then a full stop, so
/// that the end of each unit reads like the end of the text (a clause
/// boundary) and the lexicon sees the same context in both.
pub fn garbled_unit() -> String {
    GARBLED_FORMS.concat() + "。"
}

/// The unit of [`alternating`].
pub fn alternating_unit() -> String {
    let mut unit: String = GARBLED_FORMS
        .iter()
        .zip(ORIGINAL_FORMS)
        .flat_map(|(g, o)| [*g, *o])
        .collect();
    unit.push('。');
    unit
}

/// A text made only of garbled forms (and full stops), about `size`
/// bytes, one line.
pub fn garbled_only(size: usize) -> String {
    repeat_to(&garbled_unit(), size)
}

/// Garbled forms and originals alternating, about `size` bytes, one line.
pub fn alternating(size: usize) -> String {
    repeat_to(&alternating_unit(), size)
}

/// `size` bytes of ASCII punctuation in a pseudo-random order (every mark
/// the punctuation layer reads, and brackets it does not), no ideograph.
pub fn ascii_punctuation(size: usize) -> String {
    const MARKS: &[u8] = b",.;:?!()\"'-[]{}<>/&#@%*";
    let mut x: u32 = 0x2545_F491;
    (0..size)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 17;
            x ^= x << 5;
            MARKS[x as usize % MARKS.len()] as char
        })
        .collect()
}

/// The same punctuation with an ideograph every 16 bytes, so that every
/// mark is inside Chinese text and the layer weighs each one.
pub fn ascii_punctuation_in_chinese(size: usize) -> String {
    let marks = ascii_punctuation(size);
    let mut out = String::with_capacity(size + size / 4);
    for (k, c) in marks.chars().enumerate() {
        if k % 16 == 0 {
            out.push('中');
        }
        out.push(c);
    }
    out
}

/// One run of `size` bytes of spaces between two ideographs.
pub fn space_run(size: usize) -> String {
    format!("中{}中", " ".repeat(size))
}

/// A spaced-out run of ideographs `size` bytes long (`中 中 中 …`): every
/// space is removed.
pub fn spaced_out(size: usize) -> String {
    repeat_to("中 ", size)
}

/// Mixed whitespace runs: no-break spaces (which the Unicode layer turns
/// into spaces), ideographic spaces, tabs, and blank lines.
pub fn whitespace_mix(size: usize) -> String {
    let unit = format!(
        "中{}中{}中{}中{}",
        "\u{A0}".repeat(64),
        "\u{3000}".repeat(64),
        "\t".repeat(64),
        "\n".repeat(64)
    );
    repeat_to(&unit, size)
}

/// `n` look-alike closing quotes `〞` after `中“`, one line: the first closes
/// the quotation, the others have no opener.
pub fn closers(n: usize) -> String {
    format!("中“{}", "〞".repeat(n))
}

/// `n` nested `〔` around one ideograph, closed `n` times.
pub fn nested_brackets(n: usize) -> String {
    format!("{}中{}", "〔".repeat(n), "〕".repeat(n))
}

/// What `clean` must give for `unit` repeated `copies` times
/// (`copies ≥ block`): the repair of `unit` repeated `block` times, then the
/// repair every further copy adds. The first copies may be repaired
/// differently from later ones (the first starts the text: its left context
/// is the paragraph boundary), but from `block` copies on each further copy
/// must add the same text; the check that two further copies add it twice
/// keeps this honest.
pub fn periodic_expectation(
    clean: impl Fn(&str) -> String,
    unit: &str,
    block: usize,
    copies: usize,
) -> String {
    assert!(copies >= block);
    let short = clean(&unit.repeat(block));
    let one_more = clean(&unit.repeat(block + 1));
    let next = one_more
        .strip_prefix(short.as_str())
        .expect("one more copy leaves the repair of the others as it was");
    assert_eq!(
        clean(&unit.repeat(block + 2)),
        format!("{short}{next}{next}"),
        "the repair of the repeated unit is not periodic"
    );
    let mut want = String::with_capacity(short.len() + next.len() * (copies - block));
    want.push_str(&short);
    for _ in block..copies {
        want.push_str(next);
    }
    want
}

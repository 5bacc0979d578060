//! The OCR layer: characters and marks that an OCR engine misread as
//! look-alikes.
//!
//! OCR output of correct Chinese text differs from it in small, scattered
//! ways: an ideograph read as a look-alike (咖强 for 加强, 金民 for 全民,
//! 衣村 for 农村), a comma or a full stop read as `：` or `·`, `、` read as
//! `丶`, a dash read as `一`, a letter inside a number. Most look-alikes are
//! themselves real characters, so a table of misreadings cannot fix them:
//! what tells 衣村 from 农村 is knowledge of which sequences are Chinese.
//! The layer takes that from two sources built into the crate: the
//! character language model of `data/lm.bin` (see `src/lm.rs`) and the
//! common words of `data/words.txt`.
//!
//! # Rules
//!
//! Ids are `ocr/…`; those decided by the language model carry the change
//! and its gain, the rise of the line's log10 probability (`(7.2)`: the
//! line is 10^7.2 times likelier with the change; no `+` sign, which joins
//! the ids of merged edits):
//!
//! - `ocr/lm:金>全(7.2)`: an ideograph → a look-alike ideograph (from
//!   `data/confusables.tsv`). Considered only where the character forms no
//!   common word with its neighbours while the look-alike does (a non-word
//!   becomes a word: 金民 → 全民; 已经, 自己, 未来, 土地, 入口 are words and
//!   stay), where the model finds the character improbable after what
//!   precedes it (log10 P ≤ [`Params::max_here`]) and the four tokens it
//!   helps predict improbable together (≤ [`Params::max_window`]), and
//!   where the best look-alike raises the probability of the line by at
//!   least [`Params::min_gain`]. The gain counts the character itself and
//!   the three after it, so context on both sides decides.
//! - `ocr/lm:：>，(5.6)`: `：` or `·` between ideographs (or digits), or `·`
//!   ending a line, → `，` `。` `、` or `；`, the one the model prefers, when
//!   it gains at least [`Params::mark_gain`] and beats the runner-up by
//!   [`Params::mark_margin`]: `，` and `。` are often both possible, and then
//!   the mark is left alone. `一` between ideographs → `—` or `——` the same
//!   way (中国一东盟 → 中国—东盟); a numeral `一` loses heavily and stays.
//! - `ocr/stroke:丶>、`: the stroke `丶` (U+4E36) between ideographs → `、`.
//!   Modern text never uses the stroke there.
//! - `ocr/digit:O>0`, `ocr/digit:l>1`: `O`/`o` between digits, `l`/`I`
//!   between digits or before two digits, in a number that touches Chinese
//!   (2O23年 → 2023年, l00万 → 100万). Not a trailing letter (25l may be
//!   litres), not two letters side by side, not in identifiers (I18n,
//!   x86_64, v1.0l).
//! - `ocr/numeral:O>〇`: `O`/`o` among Chinese numerals (二O二三年 →
//!   二〇二三年). A digit `0` there stays: correct documents write 二0一一年.
//!
//! # Evidence from the text
//!
//! A real typo or an unusual word in correct text looks exactly like a
//! misreading to a model trained on one kind of text (补丁, 拖动 and 弧度 in
//! software help; 睦领 and 时侯 typed by a person). What sets OCR output
//! apart is that its errors come in numbers. So a change from the language
//! model is made only when
//!
//! - its gain alone is overwhelming ([`Params::alone_gain`] for an
//!   ideograph, [`Params::mark_alone_gain`] for a mark), or
//! - another candidate lies within [`Params::window`] bytes (about 300
//!   characters). Candidates that change the same character (every 补丁 of
//!   a manual) count as one, so a repeated unusual word does not support
//!   itself.
//!
//! The thresholds were set on `shared/eval/ocr` (real OCR output) against
//! the clean corpus (`shared/corpus/clean`, where nothing may change); see
//! the README for the figures, including those measured with a model that
//! never saw the evaluated paragraphs.
//!
//! # Limitations
//!
//! - Only the look-alikes in `data/confusables.tsv` are considered (about
//!   half the real one-character misreadings); 咖/加 is not among them (one
//!   is the other plus a component).
//! - One character at a time: two misread neighbours (维技 for 继续) are
//!   seldom fixed, and a character that forms a word by accident (实线 for
//!   实践, 送到 for 达到) is left alone.
//! - A lone misreading in an otherwise clean text is fixed only when its
//!   gain is overwhelming: correct text has lone typos that look the same.
//! - Dropped marks (the most common OCR error) are not put back, and `，`
//!   and `。` are not told apart where both read well.
//!
//! # Cost
//!
//! Linear in the input. Per line: one pass encoding the characters, one
//! pass marking the characters covered by common words (a bit test per
//! pair of neighbours, a hash probe per possible word), and language-model
//! lookups only around the characters that pass those tests and the
//! probability gates (at most four lookups per look-alike tried). Deciding
//! is one pass each way over the candidates.

mod numbers;
mod tables;

use crate::chars::is_han;
use crate::edit::Layer;
use crate::lm::{CharLm, Token};
use crate::patch::{Patch, Sink};

use self::tables::{Confusables, MAX_WORD, MIN_WORD, Words};

/// The thresholds of the layer, in log10 units of the language model.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Params {
    /// The least gain of a look-alike ideograph.
    pub min_gain: f32,
    /// The gain at which a look-alike ideograph needs no support.
    pub alone_gain: f32,
    /// The least gain of a mark.
    pub mark_gain: f32,
    /// The gain at which a mark needs no support.
    pub mark_alone_gain: f32,
    /// How far the best mark must beat the runner-up.
    pub mark_margin: f32,
    /// How far (bytes) support may lie.
    pub window: usize,
    /// The highest log10 probability of a character that is considered.
    pub max_here: f32,
    /// The highest log10 probability of a character and the three tokens
    /// after it for the character to be considered.
    pub max_window: f32,
}

impl Params {
    /// The thresholds zhfix uses. On the clean corpus, `min_gain` 3.0 or
    /// `alone_gain` 9.0 already make false edits (unusual words of software
    /// help supporting each other; lone typos of the source). The true fixes
    /// in `shared/eval/ocr` all have a character log10 P ≤ −2.15 and a window
    /// ≤ −7.0, hence the two gates, which also keep the common path cheap.
    /// Where `，` and `。` both read well the model prefers the wrong one
    /// often enough that a mark is changed only with a margin of 2.3.
    pub(crate) const DEFAULT: Params = Params {
        min_gain: 3.5,
        alone_gain: 10.5,
        mark_gain: 4.0,
        mark_alone_gain: 6.0,
        mark_margin: 2.3,
        window: 900,
        max_here: -2.0,
        max_window: -6.0,
    };
}

/// What a candidate is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    /// An ideograph read as a look-alike ideograph.
    Lex,
    /// A punctuation mark read as another mark, or a dash read as 一.
    Mark,
    /// 丶 for 、.
    Stroke,
    /// A mark that is misread but whose replacement the model cannot
    /// choose: support for the others, never changed itself.
    Undecided,
}

/// A change the layer considers.
#[derive(Clone, Debug)]
struct Candidate {
    start: usize,
    end: usize,
    before: char,
    after: String,
    gain: f32,
    kind: Kind,
}

/// Scans `text` and pushes the patches of this layer.
pub(crate) fn scan(text: &str, out: &mut dyn Sink<'_>) {
    scan_with(text, &Params::DEFAULT, CharLm::get(), out);
}

/// [`scan`] with other thresholds or another model.
pub(crate) fn scan_with(text: &str, p: &Params, lm: &CharLm, out: &mut dyn Sink<'_>) {
    let mut cands = Vec::new();
    let mut patches = Vec::new();
    let mut line = Line::default();
    let mut offset = 0;
    for l in text.split_inclusive('\n') {
        let body = l.strip_suffix('\n').unwrap_or(l);
        if body.chars().any(is_han) {
            numbers::scan_line(body, offset, &mut patches);
            line.fill(lm, body, offset);
            line.candidates(lm, p, &mut cands);
        }
        offset += l.len();
    }
    for c in decide(&cands, p) {
        let rule = match c.kind {
            Kind::Stroke => "ocr/stroke:丶>、".to_owned(),
            _ => format!("ocr/lm:{}>{}({:.1})", c.before, c.after, c.gain),
        };
        patches.push(Patch::new(
            c.start,
            c.end,
            c.after.clone(),
            Layer::Ocr,
            rule,
        ));
    }
    patches.sort_by_key(|p| p.start);
    for patch in patches {
        out.push(patch);
    }
}

/// The candidates whose evidence is strong enough: alone, or with support
/// from another candidate within the window.
fn decide<'c>(cands: &'c [Candidate], p: &Params) -> impl Iterator<Item = &'c Candidate> {
    // Candidates with the same key are the same evidence: a repeated
    // unusual word (补丁, 拖动) is not two misreadings.
    let key = |i: usize| -> u64 {
        let c = &cands[i];
        match c.kind {
            Kind::Lex => u64::from(c.before as u32),
            _ => 0x11_0000 + i as u64,
        }
    };
    let n = cands.len();
    // The distance to the nearest candidate with another key, found in one
    // pass each way: the last candidate seen, and the last one whose key
    // differs from it.
    let mut near = vec![usize::MAX; n];
    for backwards in [false, true] {
        let mut last: Option<usize> = None;
        let mut last_other: Option<usize> = None;
        for step in 0..n {
            let i = if backwards { n - 1 - step } else { step };
            let differs = last.is_some_and(|l| key(l) != key(i));
            let pick = if differs { last } else { last_other };
            if let Some(j) = pick {
                near[i] = near[i].min(cands[i].start.abs_diff(cands[j].start));
            }
            if differs {
                last_other = last;
            }
            last = Some(i);
        }
    }
    cands.iter().zip(near).filter_map(move |(c, near)| {
        let supported = near <= p.window;
        let keep = match c.kind {
            Kind::Stroke => true,
            Kind::Lex => c.gain >= p.alone_gain || (c.gain >= p.min_gain && supported),
            Kind::Mark => c.gain >= p.mark_alone_gain || (c.gain >= p.mark_gain && supported),
            Kind::Undecided => false,
        };
        keep.then_some(c)
    })
}

/// One line as language-model tokens, with the scratch space of its scan.
#[derive(Default)]
struct Line {
    /// BOUNDARY, the tokens, BOUNDARY.
    toks: Vec<Token>,
    /// Byte offset (in the text) and character of each token; the
    /// boundaries hold the line's start and end and `'\n'`.
    at: Vec<(usize, char)>,
    /// log10 P(token k | the tokens before), filled on first need.
    base: Vec<f32>,
    /// Whether token k lies inside a word of the list.
    covered: Vec<bool>,
}

impl Line {
    fn fill(&mut self, lm: &CharLm, body: &str, offset: usize) {
        self.toks.clear();
        self.at.clear();
        self.base.clear();
        self.covered.clear();
        self.toks.push(Token::BOUNDARY);
        self.at.push((offset, '\n'));
        for (i, c) in body.char_indices() {
            if let Some(t) = lm.encode(c) {
                self.toks.push(t);
                self.at.push((offset + i, c));
            }
        }
        self.toks.push(Token::BOUNDARY);
        self.at.push((offset + body.len(), '\n'));
    }

    /// Computes the log-probabilities of tokens `i..j` not known yet.
    fn ensure_base(&mut self, lm: &CharLm, i: usize, j: usize) {
        if self.base.is_empty() {
            self.base.resize(self.toks.len(), f32::NAN);
            self.base[0] = 0.0;
        }
        let n1 = lm.order() - 1;
        for k in i..j.min(self.toks.len()) {
            if self.base[k].is_nan() {
                self.base[k] = lm.log10_next(&self.toks[k.saturating_sub(n1)..k], self.toks[k]);
            }
        }
    }

    fn ch(&self, k: usize) -> char {
        self.at[k].1
    }

    /// The number of real tokens (boundaries excluded).
    fn len(&self) -> usize {
        self.toks.len() - 2
    }

    fn compute_covered(&mut self, words: &Words) {
        let n = self.len();
        self.covered = vec![false; n + 2];
        for s in 1..=n {
            if !is_han(self.ch(s)) {
                continue;
            }
            for l in MIN_WORD..=MAX_WORD {
                if s + l - 1 > n {
                    break;
                }
                if words.contains((s..s + l).map(|k| self.ch(k))) {
                    for k in s..s + l {
                        self.covered[k] = true;
                    }
                }
            }
        }
    }

    /// Whether the word list holds a word through token `k` when it reads
    /// `d`.
    fn forms_word(&self, words: &Words, k: usize, d: char) -> bool {
        let n = self.len();
        for l in MIN_WORD..=MAX_WORD {
            for s in (k + 1).saturating_sub(l).max(1)..=k {
                if s + l - 1 > n {
                    break;
                }
                if words.contains((s..s + l).map(|j| if j == k { d } else { self.ch(j) })) {
                    return true;
                }
            }
        }
        false
    }

    /// The change of the line's log10 probability when tokens `i..j` are
    /// replaced by `r` (at most 4 tokens).
    fn delta(&self, lm: &CharLm, i: usize, j: usize, r: &[Token]) -> f32 {
        let n1 = lm.order() - 1;
        let lo = i.saturating_sub(n1);
        let hi = (j + n1).min(self.toks.len());
        let mut w = [Token::BOUNDARY; 16];
        let mut len = 0;
        for &t in self.toks[lo..i].iter().chain(r).chain(&self.toks[j..hi]) {
            w[len] = t;
            len += 1;
        }
        let new: f32 = (i - lo..len)
            .map(|k| lm.log10_next(&w[k.saturating_sub(n1)..k], w[k]))
            .sum();
        let old: f32 = self.base[i..hi].iter().sum();
        new - old
    }

    /// The log-probability of token `i` and of the tokens it helps predict:
    /// minus the most the line's log10 probability can rise by changing it.
    fn window(&mut self, lm: &CharLm, i: usize) -> f32 {
        let hi = (i + lm.order()).min(self.toks.len());
        self.ensure_base(lm, i, hi);
        self.base[i..hi].iter().sum::<f32>()
    }

    fn candidates(&mut self, lm: &CharLm, p: &Params, out: &mut Vec<Candidate>) {
        let conf = Confusables::get();
        let words = Words::get();
        let n = self.len();
        for k in 1..=n {
            let c = self.ch(k);
            let prev = self.ch(k - 1);
            let next = self.ch(k + 1);
            match c {
                '丶' if is_han(prev) && (is_han(next) || next.is_ascii_digit()) => {
                    out.push(self.candidate(k, "、".to_owned(), 0.0, Kind::Stroke));
                }
                '：' | '·' | '一' => {
                    let ok = match c {
                        '：' => {
                            (is_han(prev) || prev.is_ascii_digit())
                                && (is_han(next) || next.is_ascii_digit())
                        }
                        '·' => is_han(prev) && (is_han(next) || next.is_ascii_digit() || k == n),
                        _ => is_han(prev) && is_han(next),
                    };
                    if !ok {
                        continue;
                    }
                    if -self.window(lm, k) < p.mark_gain {
                        continue;
                    }
                    let alts: &[&'static str] = match c {
                        '一' => &["—", "——"],
                        _ => &["，", "。", "、", "；"],
                    };
                    let mut best = ("", f32::NEG_INFINITY);
                    let mut second = f32::NEG_INFINITY;
                    for &a in alts {
                        let mut r = [Token::BOUNDARY; 2];
                        let mut m = 0;
                        for x in a.chars() {
                            r[m] = lm.encode(x).expect("marks have tokens");
                            m += 1;
                        }
                        let g = self.delta(lm, k, k + 1, &r[..m]);
                        if g > best.1 {
                            second = best.1;
                            best = (a, g);
                        } else if g > second {
                            second = g;
                        }
                    }
                    if best.1 >= p.mark_gain {
                        // A mark both `，` and `。` beat is evidence of
                        // misreading even where neither can be chosen.
                        let kind = if best.1 - second.max(0.0) >= p.mark_margin {
                            Kind::Mark
                        } else {
                            Kind::Undecided
                        };
                        out.push(self.candidate(k, best.0.to_owned(), best.1, kind));
                    }
                }
                c if is_han(c) => {
                    let alikes = conf.of(c);
                    if alikes.is_empty() {
                        continue;
                    }
                    if self.covered.is_empty() {
                        self.compute_covered(words);
                    }
                    if self.covered[k] {
                        continue;
                    }
                    // A misread ideograph is improbable where it stands and
                    // makes what follows improbable.
                    self.ensure_base(lm, k, k + 1);
                    if self.base[k] > p.max_here || self.window(lm, k) > p.max_window {
                        continue;
                    }
                    let mut best: Option<(char, f32)> = None;
                    for a in alikes {
                        if !self.forms_word(words, k, a.ch) {
                            continue;
                        }
                        let token = match lm.encode(a.ch) {
                            Some(t) if t != Token::UNK => t,
                            _ => continue,
                        };
                        let g = self.delta(lm, k, k + 1, &[token]);
                        if best.is_none_or(|(_, b)| g > b) {
                            best = Some((a.ch, g));
                        }
                    }
                    if let Some((d, g)) = best.filter(|&(_, g)| g >= p.min_gain) {
                        out.push(self.candidate(k, d.to_string(), g, Kind::Lex));
                    }
                }
                _ => {}
            }
        }
    }

    /// A candidate replacing token `k` by `after`.
    fn candidate(&self, k: usize, after: String, gain: f32, kind: Kind) -> Candidate {
        let (start, before) = self.at[k];
        Candidate {
            start,
            end: start + before.len_utf8(),
            before,
            after,
            gain,
            kind,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::patch::apply;

    fn fix(text: &str) -> String {
        let mut out = Vec::new();
        scan(text, &mut out);
        assert!(crate::fixer::patches_are_valid(text, &out), "{text}");
        apply(text, &out)
    }

    fn rules(text: &str) -> Vec<String> {
        let mut out = Vec::new();
        scan(text, &mut out);
        out.into_iter().map(|p| p.rule.into_owned()).collect()
    }

    #[test]
    fn look_alikes_with_support() {
        // Two misreadings support each other.
        assert_eq!(
            fix("我们必须维续加强国防建设，积极护大有效投资。"),
            "我们必须继续加强国防建设，积极扩大有效投资。"
        );
        assert_eq!(
            fix("在基本建没投资总额中，中尖预算内投资占比下降。"),
            "在基本建设投资总额中，中央预算内投资占比下降。"
        );
        let r = rules("在基本建没投资总额中，中尖预算内投资占比下降。");
        assert!(r[0].starts_with("ocr/lm:没>设("), "{r:?}");
    }

    #[test]
    fn lone_look_alike_needs_overwhelming_evidence() {
        // One misreading in otherwise correct text: like a typo of the
        // source, it is left alone unless the gain is overwhelming.
        assert_eq!(
            fix("积极发展蓄牧业和水产养殖业。"),
            "积极发展蓄牧业和水产养殖业。"
        );
        assert_eq!(
            fix("这是中华入民共和国的法律。"),
            "这是中华人民共和国的法律。"
        );
    }

    #[test]
    fn real_words_stay() {
        for s in [
            "已经完成的任务，以天下为己任，要相信自己。",
            "展望未来，末日论者的预言落空了。",
            "保护土地资源，士兵们守卫边疆。",
            "人口增长很快，入口处排起长队。",
            "一九八五年，一个人一天走了一百里，一一列举，逐一落实。",
            "中国—东盟自由贸易区，马克思·恩格斯全集。",
            "二0一一年国内生产总值达到四十七点三万亿元。",
            "他指出：这是我们的目标。",
            "战斗堡垒，补丁，拖动，弧度。",
        ] {
            assert_eq!(fix(s), s);
        }
    }

    #[test]
    fn marks() {
        assert_eq!(
            fix("这是第一项·本作品不适用于该法·在中国大陆可能在其他地区。"),
            "这是第一项，本作品不适用于该法，在中国大陆可能在其他地区。"
        );
        assert_eq!(fix("调整结构丶提高质量"), "调整结构、提高质量");
        assert_eq!(rules("调整结构丶提高质量"), ["ocr/stroke:丶>、"]);
        // 丶 that is not between ideographs stays.
        assert_eq!(fix("丶"), "丶");
    }

    #[test]
    fn support_is_another_character() {
        let c = |start: usize, before: char, kind: Kind| Candidate {
            start,
            end: start + 3,
            before,
            after: "x".to_owned(),
            gain: 5.0,
            kind,
        };
        let p = Params::DEFAULT;
        // The same character twice: no support.
        let same = [c(0, '页', Kind::Lex), c(30, '页', Kind::Lex)];
        assert_eq!(decide(&same, &p).count(), 0);
        // Two characters near each other support each other.
        let two = [c(0, '页', Kind::Lex), c(30, '拖', Kind::Lex)];
        assert_eq!(decide(&two, &p).count(), 2);
        // Too far apart: no support.
        let far = [c(0, '页', Kind::Lex), c(5000, '拖', Kind::Lex)];
        assert_eq!(decide(&far, &p).count(), 0);
        // An undecided mark supports, and is never changed.
        let und = [
            c(0, '：', Kind::Undecided),
            c(30, '页', Kind::Lex),
            c(60, '页', Kind::Lex),
        ];
        assert_eq!(decide(&und, &p).count(), 2);
        // Between the same characters, the nearest other one counts.
        let mixed = [
            c(0, '拖', Kind::Lex),
            c(2000, '页', Kind::Lex),
            c(2030, '页', Kind::Lex),
            c(2060, '拖', Kind::Lex),
        ];
        let kept: Vec<usize> = decide(&mixed, &p).map(|c| c.start).collect();
        assert_eq!(kept, [2000, 2030, 2060]);
    }

    #[test]
    fn linear_on_pathological_input() {
        // Many candidates, long lines, every trigger at once.
        let unit = "衣村丶金民：·一一2O23二O二三";
        let long = unit.repeat(2000);
        let t = std::time::Instant::now();
        let _ = fix(&long);
        let _ = fix(&"金民衣村".repeat(5000));
        assert!(t.elapsed().as_secs() < 20);
    }
}

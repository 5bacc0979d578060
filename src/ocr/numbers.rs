//! Letters that OCR reads inside numbers: `2O23` → `2023`, `l00` → `100`,
//! `二O二三年` → `二〇二三年`. These need no language model: the shapes are
//! the same and a number cannot hold a letter.

use crate::chars::is_han;
use crate::edit::Layer;
use crate::patch::Patch;

/// Chinese numerals that write a year or a number digit by digit.
fn is_cjk_digit(c: char) -> bool {
    matches!(
        c,
        '〇' | '一' | '二' | '三' | '四' | '五' | '六' | '七' | '八' | '九'
    )
}

/// The digit a letter stands for inside an ASCII number.
fn digit_for(c: char) -> Option<&'static str> {
    match c {
        'O' | 'o' => Some("0"),
        'l' | 'I' => Some("1"),
        _ => None,
    }
}

/// Whether `c` may touch a number that is repaired: anything but the
/// characters of identifiers, versions, paths and such (`I18n`, `v1.0l`,
/// `x86_64`, `a-l00`).
fn is_number_edge(c: Option<char>) -> bool {
    match c {
        None => true,
        Some(c) => {
            !(c.is_ascii_alphanumeric()
                || matches!(
                    c,
                    '_' | '.' | '-' | '/' | '\\' | '@' | '#' | '$' | '&' | '=' | '+' | '~'
                ))
        }
    }
}

/// Scans one line that holds an ideograph and pushes its patches, sorted.
pub(super) fn scan_line(line: &str, offset: usize, out: &mut Vec<Patch<'_>>) {
    let chars: Vec<(usize, char)> = line.char_indices().collect();
    let mut k = 0;
    while k < chars.len() {
        let (_, c) = chars[k];
        if c.is_ascii_alphanumeric() {
            // A maximal run of ASCII letters and digits.
            let mut e = k;
            while e < chars.len() && chars[e].1.is_ascii_alphanumeric() {
                e += 1;
            }
            ascii_run(&chars, k, e, offset, out);
            k = e;
        } else if is_cjk_digit(c) {
            let mut e = k;
            while e < chars.len() && (is_cjk_digit(chars[e].1) || matches!(chars[e].1, 'O' | 'o')) {
                e += 1;
            }
            cjk_run(&chars, k, e, offset, out);
            k = e.max(k + 1);
        } else {
            k += 1;
        }
    }
}

/// `chars[s..e]` is a run of ASCII letters and digits. It is a number with
/// misread digits when it holds at least two digits, otherwise only the
/// letters that look like digits, does not start with a letter that makes
/// a word with the next one (`lo`, `Io`), and touches Chinese text, not
/// the characters of an identifier.
fn ascii_run(chars: &[(usize, char)], s: usize, e: usize, offset: usize, out: &mut Vec<Patch<'_>>) {
    let run = &chars[s..e];
    let digits = run.iter().filter(|(_, c)| c.is_ascii_digit()).count();
    if digits < 2
        || digits == run.len()
        || run
            .iter()
            .any(|&(_, c)| !c.is_ascii_digit() && digit_for(c).is_none())
    {
        return;
    }
    let before = s.checked_sub(1).map(|i| chars[i].1);
    let after = chars.get(e).map(|&(_, c)| c);
    if !is_number_edge(before) || !is_number_edge(after) {
        return;
    }
    // Chinese on at least one side: an ideograph or full-width punctuation.
    let chinese = |c: Option<char>| c.is_some_and(|c| is_han(c) || crate::chars::is_cjk_punct(c));
    if !chinese(before) && !chinese(after) {
        return;
    }
    // Two letters side by side are a word, not a misread digit (`IO`).
    if run
        .windows(2)
        .any(|w| !w[0].1.is_ascii_digit() && !w[1].1.is_ascii_digit())
    {
        return;
    }
    for (n, &(i, c)) in run.iter().enumerate() {
        // A letter between two digits, or a leading `l`/`I` before two
        // digits (`l00`); a trailing letter may be a unit (`25l`, litres).
        let inside = n > 0 && n + 1 < run.len();
        let leading = n == 0 && matches!(c, 'l' | 'I') && run.len() >= 3;
        if !(inside || leading) {
            continue;
        }
        if let Some(d) = digit_for(c) {
            let rule = if matches!(c, 'O' | 'o') {
                "ocr/digit:O>0"
            } else {
                "ocr/digit:l>1"
            };
            out.push(Patch::new(offset + i, offset + i + 1, d, Layer::Ocr, rule));
        }
    }
}

/// `chars[s..e]` is a run of Chinese numerals and Latin `O`/`o`. An `O`
/// after a Chinese numeral and before another one, or ending the run right
/// before 年 (`二O二三`, `二OO一`, `一九九O年`), is the numeral zero `〇`.
/// A digit `0` there is left alone: correct documents write `二0一一年`.
fn cjk_run(chars: &[(usize, char)], s: usize, e: usize, offset: usize, out: &mut Vec<Patch<'_>>) {
    let run = &chars[s..e];
    if run.len() < 3 || run.iter().all(|&(_, c)| is_cjk_digit(c)) {
        return;
    }
    let after = chars.get(e).map(|&(_, c)| c);
    if after.is_some_and(|c| c.is_ascii_alphanumeric()) {
        return;
    }
    // The run's last numeral, and whether the letters after it end a year.
    let last = run.iter().rposition(|&(_, c)| is_cjk_digit(c)).unwrap_or(0);
    let year_end = after == Some('年');
    for (n, &(i, c)) in run.iter().enumerate() {
        if !matches!(c, 'O' | 'o') || n == 0 {
            continue;
        }
        if n < last || year_end {
            out.push(Patch::new(
                offset + i,
                offset + i + 1,
                "〇",
                Layer::Ocr,
                "ocr/numeral:O>〇",
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::patch::apply;

    fn fix(s: &str) -> String {
        let mut out = Vec::new();
        scan_line(s, 0, &mut out);
        apply(s, &out)
    }

    #[test]
    fn letters_in_numbers() {
        assert_eq!(fix("2O23年"), "2023年");
        assert_eq!(fix("增长l00万元"), "增长100万元");
        assert_eq!(fix("共1O0人"), "共100人");
        assert_eq!(fix("二O二三年"), "二〇二三年");
        assert_eq!(fix("二OO一年"), "二〇〇一年");
        assert_eq!(fix("一九九O年"), "一九九〇年");
    }

    #[test]
    fn identifiers_and_words_stay() {
        for s in [
            "I18n 支持",
            "x86_64 架构",
            "版本 v1.0l",
            "IO100 端口",
            "共l0人",
            "2O 人",
            "H2O 分子",
            "CO2 排放",
            "二0一一年",
            "一九九○年",
            "第一O号",
            "一O",
            "mp3 文件",
            "lo10 中文",
            "2O23 is",
            "a-l00 中",
            "B2B 平台",
            "资金25l亿元",
            "10O元",
        ] {
            assert_eq!(fix(s), s, "{s}");
        }
    }
}

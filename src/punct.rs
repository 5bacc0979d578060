//! The punctuation layer: look-alike quotes and brackets, ASCII punctuation
//! inside Chinese text, ellipses and dashes.
//!
//! Rules (ids `punct/…`):
//!
//! - `punct/ascii`: ASCII `, ; : ? !` directly after an ideograph → `，；：？！`.
//! - `punct/quote-close`: `〞` or `〟` closing a `“` → `”`.
//! - `punct/bracket`: `〔…〕` around ordinary text → `（…）`.

use crate::chars::is_han;
use crate::edit::Layer;
use crate::patch::Patch;

/// Scans `text` and pushes the patches of this layer.
pub(crate) fn scan(text: &str, out: &mut Vec<Patch<'_>>) {
    let mut prev: Option<char> = None;
    let mut open_quote = false;
    let mut open_bracket: Option<usize> = None;
    for (i, c) in text.char_indices() {
        match c {
            ',' | ';' | ':' | '?' | '!' if prev.is_some_and(is_han) => {
                let wide = match c {
                    ',' => "，",
                    ';' => "；",
                    ':' => "：",
                    '?' => "？",
                    _ => "！",
                };
                out.push(Patch::new(i, i + 1, wide, Layer::Punct, "punct/ascii"));
            }
            '“' => open_quote = true,
            '”' => open_quote = false,
            '〞' | '〟' if open_quote => {
                out.push(Patch::new(
                    i,
                    i + c.len_utf8(),
                    "”",
                    Layer::Punct,
                    "punct/quote-close",
                ));
                open_quote = false;
            }
            '〔' => open_bracket = Some(i),
            '〕' => {
                if let Some(s) = open_bracket.take() {
                    let inner = &text[s + 3..i];
                    if inner.chars().any(is_han) && inner.chars().count() > 4 {
                        out.push(Patch::new(s, s + 3, "（", Layer::Punct, "punct/bracket"));
                        out.push(Patch::new(i, i + 3, "）", Layer::Punct, "punct/bracket"));
                    }
                }
            }
            '\n' => {
                open_quote = false;
                open_bracket = None;
            }
            _ => {}
        }
        prev = Some(c);
    }
    out.sort_by_key(|p| p.start);
}

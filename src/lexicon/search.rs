//! The candidate search: every occurrence of a few hundred short forms in
//! one leftmost-longest pass.
//!
//! At each character, a bit per BMP code point says whether some form
//! starts with it; only then are the forms starting with that character
//! compared, longest first. The first that matches is taken and the search
//! goes on after it, else after the character. This finds exactly what a
//! leftmost-longest Aho-Corasick automaton finds (at the leftmost place
//! where a form occurs, the longest form that occurs there), without an
//! automaton to build: the forms are words of a few characters, so each
//! comparison is short, and most characters of a text start no form.

/// Forms compiled for [`Forms::find_iter`].
#[derive(Debug)]
pub(crate) struct Forms {
    /// The forms, by id.
    forms: Vec<Box<str>>,
    /// Per BMP code point: 1 + the index in `groups` of the forms that
    /// start with it, or 0 when none does.
    group_of: Vec<u16>,
    /// Per first character: its range of `by_first`.
    groups: Vec<(char, std::ops::Range<usize>)>,
    /// (first character, length, id), sorted by character and then by
    /// length, longest first.
    by_first: Vec<(char, std::cmp::Reverse<usize>, usize)>,
}

impl Forms {
    /// Compiles `forms`; a form's id is its index. Empty forms never match.
    pub(crate) fn new<S: AsRef<str>>(forms: &[S]) -> Forms {
        let mut by_first = Vec::with_capacity(forms.len());
        for (id, f) in forms.iter().enumerate() {
            let f = f.as_ref();
            if let Some(c) = f.chars().next() {
                by_first.push((c, std::cmp::Reverse(f.len()), id));
            }
        }
        by_first.sort_unstable();
        let mut groups: Vec<(char, std::ops::Range<usize>)> = Vec::new();
        for (k, e) in by_first.iter().enumerate() {
            match groups.last_mut() {
                Some((c, range)) if *c == e.0 => range.end = k + 1,
                _ => groups.push((e.0, k..k + 1)),
            }
        }
        let mut group_of = vec![0u16; 0x1_0000];
        for (g, (c, _)) in groups.iter().enumerate() {
            if let (Some(slot), Ok(v)) = (group_of.get_mut(*c as usize), u16::try_from(g + 1)) {
                *slot = v;
            }
        }
        Forms {
            forms: forms.iter().map(|f| Box::from(f.as_ref())).collect(),
            group_of,
            groups,
            by_first,
        }
    }

    /// The forms that start with `c`, longest first.
    fn starting_with(&self, c: char) -> &[(char, std::cmp::Reverse<usize>, usize)] {
        let group = match self.group_of.get(c as usize) {
            Some(0) if self.groups.len() < usize::from(u16::MAX) => return &[],
            Some(&g) if g != 0 => Some(usize::from(g) - 1),
            // Outside the BMP, or too many groups for the table.
            _ => self.groups.binary_search_by(|g| g.0.cmp(&c)).ok(),
        };
        group.map_or(&[], |g| &self.by_first[self.groups[g].1.clone()])
    }

    /// The occurrences in `text`, leftmost-longest, as (id, start, end)
    /// byte ranges, in order and never overlapping.
    pub(crate) fn find_iter<'a>(
        &'a self,
        text: &'a str,
    ) -> impl Iterator<Item = (usize, usize, usize)> + 'a {
        let mut i = 0;
        std::iter::from_fn(move || {
            while let Some(c) = text[i..].chars().next() {
                let at = i;
                i += c.len_utf8();
                let rest = &text[at..];
                for &(_, _, id) in self.starting_with(c) {
                    let form = &*self.forms[id];
                    if rest.starts_with(form) {
                        i = at + form.len();
                        return Some((id, at, i));
                    }
                }
            }
            None
        })
    }
}

#[cfg(test)]
mod tests {
    use aho_corasick::{AhoCorasick, MatchKind};

    use super::*;

    /// What a leftmost-longest Aho-Corasick automaton finds.
    fn reference(forms: &[&str], text: &str) -> Vec<(usize, usize, usize)> {
        AhoCorasick::builder()
            .match_kind(MatchKind::LeftmostLongest)
            .build(forms)
            .unwrap()
            .find_iter(text)
            .map(|m| (m.pattern().as_usize(), m.start(), m.end()))
            .collect()
    }

    #[test]
    fn leftmost_longest() {
        let forms = [
            "过程",
            "经由过程",
            "经由",
            "发展",
            "展开",
            "开展",
            "战",
            "和",
            "a",
            "ab",
            "😀x",
        ];
        for text in [
            "经由过程和发展",
            "开展开展开展",
            "发展开展战和",
            "经由过",
            "ab a b abc",
            "😀x😀😀x",
            "",
            "无关的文字",
        ] {
            let got: Vec<_> = Forms::new(&forms).find_iter(text).collect();
            assert_eq!(got, reference(&forms, text), "{text:?}");
        }
    }

    proptest::proptest! {
        #[test]
        fn same_as_aho_corasick(
            forms in proptest::collection::vec("[开展发过程经由和ab😀]{1,4}", 1..12),
            text in "[开展发过程经由和ab😀 ]{0,40}",
        ) {
            // Distinct forms, as the table has.
            let mut forms = forms;
            forms.sort();
            forms.dedup();
            let refs: Vec<&str> = forms.iter().map(String::as_str).collect();
            let got: Vec<_> = Forms::new(&refs).find_iter(&text).collect();
            proptest::prop_assert_eq!(got, reference(&refs, &text));
        }
    }
}

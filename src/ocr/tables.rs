//! The two tables the OCR layer reads: the look-alike characters
//! (`data/confusables.tsv`) and the common words (`data/words.txt`). Both
//! are parsed on first use.

use std::collections::{HashMap, HashSet};
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::LazyLock;

use crate::chars::is_han;

static CONFUSABLES_TSV: &str = include_str!("../../data/confusables.tsv");
static WORDS_TXT: &str = include_str!("../../data/words.txt");

/// A look-alike of a character: the ideograph and the glyph similarity
/// (400–1000).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct LookAlike {
    pub ch: char,
    pub score: u16,
}

/// For every ideograph of `data/confusables.tsv`, its look-alikes that are
/// ideographs, best first.
#[derive(Debug)]
pub(crate) struct Confusables {
    map: HashMap<char, Box<[LookAlike]>, Fx>,
}

impl Confusables {
    /// The table built into zhfix, read on first use.
    pub(crate) fn get() -> &'static Confusables {
        static TABLE: LazyLock<Confusables> = LazyLock::new(|| {
            Confusables::parse(CONFUSABLES_TSV)
                .expect("data/confusables.tsv is valid (checked by its unit test)")
        });
        &TABLE
    }

    /// Parses the table's format (see `data/README.md`). Errors name the
    /// line.
    pub(crate) fn parse(text: &str) -> Result<Confusables, String> {
        let mut map = HashMap::default();
        for (n, line) in text.lines().enumerate() {
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let err = |what: &str| format!("confusables.tsv:{}: {what}", n + 1);
            let (c, rest) = line.split_once('\t').ok_or_else(|| err("no tab"))?;
            let c = single(c).ok_or_else(|| err("the key is not one character"))?;
            if !is_han(c) {
                continue;
            }
            let mut alikes = Vec::new();
            for entry in rest.split(' ').filter(|e| !e.is_empty()) {
                let (d, score) = entry
                    .rsplit_once(':')
                    .ok_or_else(|| err("an entry has no ':'"))?;
                let d = single(d).ok_or_else(|| err("a neighbour is not one character"))?;
                let score: u16 = score.parse().map_err(|_| err("a score is not a number"))?;
                if is_han(d) && d != c {
                    alikes.push(LookAlike { ch: d, score });
                }
            }
            if !alikes.is_empty() {
                map.insert(c, alikes.into_boxed_slice());
            }
        }
        Ok(Confusables { map })
    }

    /// The look-alikes of `c`, most similar first; empty when it has none.
    pub(crate) fn of(&self, c: char) -> &[LookAlike] {
        self.map.get(&c).map_or(&[], |v| v)
    }
}

fn single(s: &str) -> Option<char> {
    let mut it = s.chars();
    let c = it.next()?;
    it.next().is_none().then_some(c)
}

/// The common words of `data/words.txt`: two to four ideographs of the
/// Basic Multilingual Plane, each held as its code points packed 16 bits
/// apiece into a `u64`.
#[derive(Debug)]
pub(crate) struct Words {
    set: HashSet<u64, Fx>,
    /// A bit for every pair of first two characters of a word (hashed to
    /// [`PAIR_BITS`] bits): most pairs of running text start no word, and a
    /// bit test in 128 KiB is cheaper than a probe of the set.
    pairs: Vec<u64>,
}

const PAIR_BITS: u32 = 20;

fn pair_bit(a: char, b: char) -> usize {
    let x = (u64::from(a as u32) << 21 | u64::from(b as u32)).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    (x >> (64 - PAIR_BITS)) as usize
}

/// The shortest and the longest word of the list.
pub(crate) const MIN_WORD: usize = 2;
pub(crate) const MAX_WORD: usize = 4;

impl Words {
    /// The list built into zhfix, read on first use.
    pub(crate) fn get() -> &'static Words {
        static LIST: LazyLock<Words> = LazyLock::new(|| {
            Words::parse(WORDS_TXT).expect("data/words.txt is valid (checked by its unit test)")
        });
        &LIST
    }

    /// Parses the list's format (see `data/README.md`). Errors name the
    /// line.
    pub(crate) fn parse(text: &str) -> Result<Words, String> {
        let mut set = HashSet::default();
        let mut pairs = vec![0u64; (1 << PAIR_BITS) / 64];
        for (n, line) in text.lines().enumerate() {
            if line.starts_with('#') {
                continue;
            }
            let key = key(line.chars())
                .filter(|_| (MIN_WORD..=MAX_WORD).contains(&line.chars().count()))
                .ok_or_else(|| {
                    format!(
                        "words.txt:{}: {line:?} is not a word of {MIN_WORD} to {MAX_WORD} ideographs",
                        n + 1
                    )
                })?;
            set.insert(key);
            let mut it = line.chars();
            if let (Some(a), Some(b)) = (it.next(), it.next()) {
                let bit = pair_bit(a, b);
                pairs[bit / 64] |= 1 << (bit % 64);
            }
        }
        Ok(Words { set, pairs })
    }

    /// Whether `chars` spell a word of the list.
    pub(crate) fn contains(&self, chars: impl IntoIterator<Item = char>) -> bool {
        let mut it = chars.into_iter();
        let (Some(a), Some(b)) = (it.next(), it.next()) else {
            return false;
        };
        let bit = pair_bit(a, b);
        if self.pairs[bit / 64] & (1 << (bit % 64)) == 0 {
            return false;
        }
        key([a, b].into_iter().chain(it)).is_some_and(|k| self.set.contains(&k))
    }

    /// The number of words.
    #[cfg(test)]
    pub(crate) fn len(&self) -> usize {
        self.set.len()
    }
}

/// The packed key of up to four BMP ideographs; `None` for anything else.
fn key(chars: impl IntoIterator<Item = char>) -> Option<u64> {
    let mut k = 0u64;
    for (n, c) in chars.into_iter().enumerate() {
        if n >= MAX_WORD || !is_han(c) || c as u32 > 0xFFFF {
            return None;
        }
        k = (k << 16) | u64::from(c as u32);
    }
    Some(k)
}

/// A fast hasher for the tables' small keys (chars and packed words): one
/// multiply and a fold. Not resistant to collisions chosen by an attacker,
/// which cannot matter here: the keys are the tables' own.
#[derive(Default)]
pub(crate) struct FxHasher(u64);

type Fx = BuildHasherDefault<FxHasher>;

impl Hasher for FxHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.write_u64(u64::from(b));
        }
    }

    fn write_u32(&mut self, n: u32) {
        self.write_u64(u64::from(n));
    }

    fn write_u64(&mut self, n: u64) {
        let x = (self.0 ^ n).wrapping_mul(0x9E37_79B9_7F4A_7C15);
        self.0 = x ^ (x >> 29);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn confusables_table_parses() {
        let t = Confusables::get();
        let of = |c| t.of(c).iter().map(|a| a.ch).collect::<String>();
        assert!(of('衣').contains('农'), "{}", of('衣'));
        assert!(of('金').contains('全'), "{}", of('金'));
        assert!(of('人').contains('入'), "{}", of('人'));
        // Marks are not look-alikes of ideographs here.
        assert!(t.of('一').iter().all(|a| is_han(a.ch)));
        assert!(t.of('，').is_empty());
        // Best first.
        assert!(t.of('未').windows(2).all(|w| w[0].score >= w[1].score));
    }

    #[test]
    fn confusables_errors_name_the_line() {
        let e = Confusables::parse("# head\n加\t咖\n").unwrap_err();
        assert!(e.starts_with("confusables.tsv:2:"), "{e}");
        assert!(Confusables::parse("加 咖:500\n").is_err());
        assert!(Confusables::parse("加\t咖:x\n").is_err());
    }

    #[test]
    fn words_list_parses() {
        let w = Words::get();
        assert!(w.len() > 50_000);
        for word in [
            "加强",
            "全民",
            "已经",
            "自己",
            "未来",
            "土地",
            "入口",
            "睦邻友好",
        ] {
            assert!(w.contains(word.chars()), "{word}");
        }
        for non in ["咖强", "金民", "衣村", "加", "加强工作队伍", "ab"] {
            assert!(!w.contains(non.chars()), "{non}");
        }
        assert!(
            Words::parse("加强\nx\n")
                .unwrap_err()
                .starts_with("words.txt:2:")
        );
    }
}

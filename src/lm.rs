//! A character n-gram language model of correct modern Chinese: which
//! character sequences read as real text.
//!
//! The word-substitution and OCR layers decide between alternatives with
//! it: the same clause read with 发展 and with 开展, or with 加强 and with
//! 咖强, and the reading with the higher probability is the likelier text.
//!
//! # The model
//!
//! An interpolated modified Kneser-Ney model of characters, stored in
//! backoff form (a log10 probability and a log10 backoff weight per kept
//! n-gram, one byte each through a codebook per order), pruned by count
//! thresholds per order. `data/lm.bin` names the order, the pruning and the
//! sizes in its text header; `data/README.md` gives the measurements behind
//! them. It is trained on the PRC government work reports 1978–2025 and the
//! laws and regulations of `../shared/corpus/clean` (documents of state
//! organs, Article 5 of the PRC Copyright Law) and half of its Debian and
//! LibreOffice text; it keeps hashed n-gram statistics, not text.
//! `scripts/lm/build.py` generates it deterministically, and
//! `scripts/lm/lm.py` reads it with the same scoring as this module.
//!
//! # Tokens
//!
//! [`CharLm::encode`] normalises a character first: whitespace and
//! zero-width characters are dropped (`None`); ASCII and full-width digits
//! are one token ([`Token::DIGIT`]), ASCII and full-width Latin letters
//! another ([`Token::LATIN`]); ASCII `, ; : ? ! ( )` are read as their
//! full-width twins; any other character outside the vocabulary (characters
//! seen at least three times in training) is [`Token::UNK`], whose
//! probability is divided among the rare character types it stands for. A
//! paragraph is scored as [`Token::BOUNDARY`], its tokens, [`Token::BOUNDARY`].
//!
//! # Cost
//!
//! The file (6.0 MB: order 4, about 940,000 n-grams) is used in place from
//! `include_bytes!`: setting the model up reads the header, copies the
//! codebooks and unigrams (about 30 KB) and fills a table from BMP
//! characters to tokens; it takes about 0.1 ms. A lookup hashes the history
//! once per order and reads at most eight 32-bit fingerprints of a
//! bucketized cuckoo hash table (two buckets of four slots) per order; it
//! never allocates; a bucket's codes sit beside its fingerprints. On the
//! shared 2-core development machine a position of
//! [`CharLm::log10_span`] costs about 48 ns when the entries it reads are
//! in cache and about 70 ns on varied text (39 and about 120 ns before the
//! prefetch described below). [`CharLm::log10_span`] scores a run of tokens with fewer probes:
//! the contexts whose backoff weights a position needs are the n-grams the
//! previous position looked up. It also hashes the n-grams of up to eight
//! positions first and asks the memory system for both buckets of each
//! (a prefetch, which does not wait), so that the reads of the table, most
//! of them cache misses, overlap instead of following one another: the
//! model's share of `clean` on correct documents fell from about 35% to
//! under 20%. The `prefetch-index` crate gives the prefetch instruction a safe interface
//! (this crate forbids `unsafe`); where it has none the prefetch does
//! nothing.
//! The `load` and `clean/correct-text` benchmarks measure both
//! (`cargo bench --bench throughput`).

use std::fmt;
use std::sync::LazyLock;

use prefetch_index::prefetch_index;

/// The embedded model.
static EMBEDDED: &[u8] = include_bytes!("../data/lm.bin");

static MODEL: LazyLock<CharLm> = LazyLock::new(|| {
    CharLm::from_bytes(EMBEDDED).expect("data/lm.bin is a valid model (checked by its unit test)")
});

const MAGIC: &[u8; 4] = b"ZHLM";
const VERSION: u32 = 1;
const FIRST_CHAR_ID: u16 = 4;
/// Slots per bucket of the n-gram table.
const BUCKET: usize = 4;
/// Bytes per bucket: 4 u32 fingerprints, 4 probability codes, 4 backoff
/// codes.
const BUCKET_BYTES: usize = 24;
/// The highest order a model may have.
const MAX_ORDER: usize = 8;
/// Positions whose n-grams [`CharLm::log10_span`] hashes together.
const WINDOW: usize = 8;

/// A normalised character: its id in the model's vocabulary, or one of the
/// special tokens. Only [`CharLm::encode`] and the constants make tokens, so
/// every token is valid for the model that made it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) struct Token(u16);

impl Token {
    /// The token's number in the model's vocabulary (below 2^16).
    pub(crate) fn id(self) -> u16 {
        self.0
    }

    /// A character outside the vocabulary.
    pub(crate) const UNK: Token = Token(0);
    /// The start (as history) and the end (as the last predicted token) of a
    /// paragraph.
    pub(crate) const BOUNDARY: Token = Token(1);
    /// Any ASCII or full-width digit.
    pub(crate) const DIGIT: Token = Token(2);
    /// Any ASCII or full-width Latin letter.
    pub(crate) const LATIN: Token = Token(3);
}

/// What one lookup learnt about the stored n-grams ending at its token (of
/// length L: the token and the L - 1 before it).
#[derive(Clone, Copy, Debug, Default)]
struct Ends {
    /// The backoff code of the entry of each length 2..=`found`.
    backoff: [u8; 9],
    /// Entries of lengths 2..=`found` are stored (1: none is).
    found: usize,
    /// The entry of length `found + 1` was looked for and is not stored.
    absent_next: bool,
}

/// Why a byte string is not a model this reader can use.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct LmError(&'static str);

impl fmt::Display for LmError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "invalid language model file: {}", self.0)
    }
}

impl std::error::Error for LmError {}

/// A character n-gram language model read in place from its file.
pub(crate) struct CharLm {
    bytes: &'static [u8],
    order: usize,
    /// For orders 2..=N (index order - 2): 256 log10 probabilities, then 256
    /// log10 backoff weights.
    books: Vec<[f32; 512]>,
    /// log10 P and log10 backoff of every token.
    unigrams: Vec<(f32, f32)>,
    /// Token id of every BMP character (0: not in the vocabulary).
    bmp: Vec<u16>,
    /// Byte offset of the vocabulary's code points (ids 4.., ascending).
    chars_at: usize,
    nchars: usize,
    /// Byte offset of the n-gram table (buckets of [`BUCKET_BYTES`]).
    table_at: usize,
    buckets: usize,
    /// log10 of the number of character types UNK stands for.
    unk_penalty: f32,
}

impl fmt::Debug for CharLm {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CharLm")
            .field("order", &self.order)
            .field("vocab", &self.unigrams.len())
            .field("buckets", &self.buckets)
            .field("bytes", &self.bytes.len())
            .finish()
    }
}

/// Reads bytes of the file one field after another.
struct Cursor<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl Cursor<'_> {
    fn take(&mut self, n: usize) -> Result<&[u8], LmError> {
        let end = self
            .at
            .checked_add(n)
            .filter(|&e| e <= self.bytes.len())
            .ok_or(LmError("the file is truncated"))?;
        let s = &self.bytes[self.at..end];
        self.at = end;
        Ok(s)
    }

    fn u32(&mut self) -> Result<u32, LmError> {
        let b = self.take(4)?;
        Ok(u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
    }

    fn f32(&mut self) -> Result<f32, LmError> {
        self.u32().map(f32::from_bits)
    }
}

/// The files the built-in model was trained on and which of their lines,
/// read from the `# Training text` lines of its header
/// (`#   NAME  sha256 …  lines SPLIT`): `all`, or `even` (`odd`) for the
/// even-numbered (odd-numbered) blocks of 100 lines.
pub(crate) fn training_files() -> Vec<(String, String)> {
    let end = EMBEDDED.windows(2).position(|w| w == b"\n\0").unwrap_or(0);
    let header = String::from_utf8_lossy(&EMBEDDED[..end]);
    header
        .lines()
        .filter_map(|l| {
            let mut f = l.trim_start_matches('#').split_whitespace();
            let name = f.next()?;
            (f.next() == Some("sha256")).then_some(())?;
            f.next()?;
            let split = match (f.next(), f.next()) {
                (Some("lines"), Some(split)) => split,
                _ => "all",
            };
            Some((name.to_owned(), split.to_owned()))
        })
        .collect()
}

/// Sets up the embedded model anew, without the cache; returns its
/// vocabulary size.
pub(crate) fn load_uncached() -> usize {
    CharLm::from_bytes(EMBEDDED)
        .expect("data/lm.bin is a valid model")
        .unigrams
        .len()
}

impl CharLm {
    /// The model built into zhfix (`data/lm.bin`), set up on first use.
    pub(crate) fn get() -> &'static CharLm {
        &MODEL
    }

    /// Reads a model file, such as a held-out model built with
    /// `scripts/lm/build.py --split even --out target/lm-half.bin`.
    pub(crate) fn from_bytes(bytes: &'static [u8]) -> Result<CharLm, LmError> {
        let text_end = bytes
            .windows(2)
            .position(|w| w == b"\n\0")
            .ok_or(LmError("no text header"))?
            + 2;
        let mut c = Cursor {
            bytes,
            at: text_end.div_ceil(8) * 8,
        };
        if c.take(4)? != MAGIC {
            return Err(LmError("bad magic"));
        }
        if c.u32()? != VERSION {
            return Err(LmError("unsupported version"));
        }
        let order = c.u32()? as usize;
        let vocab = c.u32()? as usize;
        let buckets = c.u32()? as usize;
        let unk_types = c.u32()?;
        if !(1..=MAX_ORDER).contains(&order) {
            return Err(LmError("the order is not between 1 and 8"));
        }
        if vocab < FIRST_CHAR_ID as usize || vocab > usize::from(u16::MAX) {
            return Err(LmError("the vocabulary size is out of range"));
        }
        let mut stored = 0usize;
        for n in 0..order {
            let count = c.u32()? as usize;
            if n > 0 {
                stored += count;
            }
        }
        if buckets
            .checked_mul(BUCKET)
            .is_none_or(|capacity| capacity < stored)
        {
            return Err(LmError("the n-gram table is too small"));
        }
        let mut books = Vec::with_capacity(order.saturating_sub(1));
        for _ in 1..order {
            let mut book = [0f32; 512];
            for x in &mut book {
                *x = c.f32()?;
            }
            books.push(book);
        }
        let mut unigrams = Vec::with_capacity(vocab);
        for _ in 0..vocab {
            unigrams.push((c.f32()?, c.f32()?));
        }
        let nchars = vocab - usize::from(FIRST_CHAR_ID);
        let chars_at = c.at;
        let mut bmp = vec![0u16; 0x1_0000];
        let mut prev = None;
        for i in 0..nchars {
            let cp = c.u32()?;
            if prev.is_some_and(|p| p >= cp) || char::from_u32(cp).is_none() {
                return Err(LmError("the vocabulary is not ascending code points"));
            }
            prev = Some(cp);
            if let Some(slot) = bmp.get_mut(cp as usize) {
                // `vocab` fits in u16, checked above.
                *slot = FIRST_CHAR_ID + i as u16;
            }
        }
        let table_at = c.at;
        c.take(
            buckets
                .checked_mul(BUCKET_BYTES)
                .ok_or(LmError("the table is too large"))?,
        )?;
        if c.at != bytes.len() {
            return Err(LmError("the file has trailing bytes"));
        }
        Ok(CharLm {
            bytes,
            order,
            books,
            unigrams,
            bmp,
            chars_at,
            nchars,
            table_at,
            buckets,
            unk_penalty: if unk_types > 1 {
                (unk_types as f32).log10()
            } else {
                0.0
            },
        })
    }

    /// The order N: a token is predicted from at most N - 1 previous ones.
    pub(crate) fn order(&self) -> usize {
        self.order
    }

    /// The token of `c` after normalisation, or `None` for characters the
    /// model skips (whitespace, zero-width characters).
    pub(crate) fn encode(&self, c: char) -> Option<Token> {
        let c = match c {
            '\t'..='\r'
            | ' '
            | '\u{85}'
            | '\u{A0}'
            | '\u{1680}'
            | '\u{2000}'..='\u{200D}'
            | '\u{2028}'
            | '\u{2029}'
            | '\u{202F}'
            | '\u{205F}'
            | '\u{2060}'
            | '\u{3000}'
            | '\u{FEFF}' => return None,
            '0'..='9' | '０'..='９' => return Some(Token::DIGIT),
            'A'..='Z' | 'a'..='z' | 'Ａ'..='Ｚ' | 'ａ'..='ｚ' => return Some(Token::LATIN),
            ',' => '，',
            ';' => '；',
            ':' => '：',
            '?' => '？',
            '!' => '！',
            '(' => '（',
            ')' => '）',
            c => c,
        };
        let cp = c as u32;
        if let Some(&id) = self.bmp.get(cp as usize) {
            return Some(Token(id));
        }
        // Outside the BMP: binary search of the in-file code points.
        let (mut lo, mut hi) = (0, self.nchars);
        while lo < hi {
            let mid = (lo + hi) / 2;
            let v = self.read_u32(self.chars_at + 4 * mid);
            match v.cmp(&cp) {
                std::cmp::Ordering::Less => lo = mid + 1,
                std::cmp::Ordering::Greater => hi = mid,
                std::cmp::Ordering::Equal => return Some(Token(FIRST_CHAR_ID + mid as u16)),
            }
        }
        Some(Token::UNK)
    }

    /// Appends the tokens of `text` to `out`, skipping the characters
    /// [`encode`](CharLm::encode) drops. No boundaries are added.
    pub(crate) fn encode_into(&self, text: &str, out: &mut Vec<Token>) {
        out.extend(text.chars().filter_map(|c| self.encode(c)));
    }

    /// log10 P(`next` | `history`). Only the last N - 1 tokens of `history`
    /// count; a history that starts a paragraph begins with
    /// [`Token::BOUNDARY`].
    pub(crate) fn log10_next(&self, history: &[Token], next: Token) -> f32 {
        let hist = &history[history.len().saturating_sub(self.order - 1)..];
        let keys = self.keys_ending(hist, next);
        self.next_with(hist, next, &keys[..hist.len()], &[], None).0
    }

    /// The keys of the n-grams `h_j … h_1 next` for j = 1, 2, … up to the
    /// length of `hist` (h_1 its last token): `keys[j - 1]`.
    fn keys_ending(&self, hist: &[Token], next: Token) -> [u64; MAX_ORDER - 1] {
        let mut keys = [0; MAX_ORDER - 1];
        let mut key = step(SEED, next);
        for (k, &t) in keys.iter_mut().zip(hist.iter().rev()) {
            key = step(key, t);
            *k = key;
        }
        keys
    }

    /// [`log10_next`](CharLm::log10_next), given what the lookup of the
    /// previous token (the last of `history`, with the same tokens before
    /// it) learnt about the n-grams ending there: these are the contexts
    /// whose backoff weights this lookup needs, so their entries are not
    /// looked up again. Returns the probability and what this lookup learnt
    /// about the n-grams ending at `next`. `hist` is the last N - 1 tokens
    /// of the history at most, `keys` the keys of the n-grams ending at
    /// `next` ([`keys_ending`](CharLm::keys_ending)), `before` those of the
    /// n-grams ending at the last token of `hist` as far as they are known.
    fn next_with(
        &self,
        hist: &[Token],
        next: Token,
        keys: &[u64],
        before: &[u64],
        prev: Option<&Ends>,
    ) -> (f32, Ends) {
        let len = hist.len();
        let mut ends = Ends::default();
        // The longest stored n-gram ending in `next`: h_j … h_1 next.
        let mut prob = self.unigrams[usize::from(next.0)].0;
        let mut matched = 0;
        while matched < len {
            let Some(at) = self.find(keys[matched]) else {
                ends.absent_next = true;
                break;
            };
            matched += 1;
            ends.backoff[matched + 1] = self.bytes[at + BUCKET];
            ends.found = matched + 1;
            prob = self.books[matched - 1][usize::from(self.bytes[at])];
        }
        // Plus the backoff weights of the stored contexts longer than the match.
        let mut score = prob;
        for k in matched + 1..=len {
            if k == 1 {
                score += self.unigrams[usize::from(hist[len - 1].0)].1;
            } else {
                // The context h_k … h_1 is the n-gram of length k ending at
                // h_1, which the previous lookup may have looked for; it is
                // hashed only when it did not.
                let code = match prev {
                    Some(p) if k <= p.found => Some(p.backoff[k]),
                    Some(p) if k == p.found + 1 && p.absent_next => None,
                    _ => {
                        let ctx = before.get(k - 2).copied().unwrap_or_else(|| {
                            hist[len - k..].iter().rev().fold(SEED, |h, &t| step(h, t))
                        });
                        self.find(ctx).map(|at| self.bytes[at + BUCKET])
                    }
                };
                let Some(code) = code else { break };
                score += self.books[k - 2][256 + usize::from(code)];
            }
        }
        if next == Token::UNK {
            score -= self.unk_penalty;
        }
        (score, ends)
    }

    /// Σ log10 P(`tokens[i]` | up to N - 1 previous tokens) for `i` in
    /// `from..to`: the log-probability of a span given what precedes it.
    /// The same sum as of [`log10_next`](CharLm::log10_next) at each
    /// position, in the same order, with fewer lookups: each position's
    /// contexts are the n-grams the previous position looked up.
    ///
    /// # Panics
    ///
    /// When `from..to` is not a range within `tokens`.
    pub(crate) fn log10_span(&self, tokens: &[Token], from: usize, to: usize) -> f32 {
        assert!(
            from <= to && to <= tokens.len(),
            "{from}..{to} is not within the tokens"
        );
        let n1 = self.order - 1;
        let hist = |i: usize| &tokens[i.saturating_sub(n1)..i];
        // The keys of the n-grams ending at each position of a window of
        // WINDOW positions (slots 1..) and at the position before it (slot
        // 0), hashed and their buckets asked for before any is looked up:
        // the memory system fetches them together. A window follows a full
        // one, whose last slot becomes slot 0.
        let mut window = [[0u64; MAX_ORDER - 1]; WINDOW + 1];
        let mut prev: Option<Ends> = None;
        (from..to)
            .map(|i| {
                let slot = (i - from) % WINDOW + 1;
                if slot == 1 {
                    window[0] = window[WINDOW];
                    let first = if i == from { i.saturating_sub(1) } else { i };
                    for j in first..to.min(i + WINDOW) {
                        let keys = self.keys_ending(hist(j), tokens[j]);
                        keys[..hist(j).len()].iter().for_each(|&k| self.prefetch(k));
                        window[j + 1 - i] = keys;
                    }
                }
                let h = hist(i);
                let before = match i {
                    0 => &[][..],
                    _ => &window[slot - 1][..hist(i - 1).len()],
                };
                let (p, ends) = self.next_with(
                    h,
                    tokens[i],
                    &window[slot][..h.len()],
                    before,
                    prev.as_ref(),
                );
                prev = Some(ends);
                p
            })
            .sum()
    }

    /// Asks the memory system for the two buckets of key `h` without
    /// waiting for them: the lookup of an n-gram that is not stored reads
    /// both, and at the table's load (0.95) many stored ones are in their
    /// second bucket. A bucket may straddle two cache lines.
    fn prefetch(&self, h: u64) {
        for b in [self.first_bucket(h), self.second_bucket(h)] {
            let at = self.table_at + BUCKET_BYTES * b;
            prefetch_index(self.bytes, at);
            prefetch_index(self.bytes, at + BUCKET_BYTES - 1);
        }
    }

    /// The first of the two buckets of key `h`.
    fn first_bucket(&self, h: u64) -> usize {
        (((h & 0xFFFF_FFFF) * self.buckets as u64) >> 32) as usize
    }

    /// The second of the two buckets of key `h`.
    fn second_bucket(&self, h: u64) -> usize {
        (((mix(h ^ K_ALT) & 0xFFFF_FFFF) * self.buckets as u64) >> 32) as usize
    }

    /// The byte offset of the probability code of the entry whose key
    /// hashes to `h` (its backoff code is [`BUCKET`] bytes further): the
    /// entry is in one of the [`BUCKET`] slots of one of its two buckets.
    fn find(&self, h: u64) -> Option<usize> {
        let fp = match (h >> 32) as u32 {
            0 => 1,
            f => f,
        };
        if let Some(at) = self.scan(self.first_bucket(h), fp) {
            return Some(at);
        }
        self.scan(self.second_bucket(h), fp)
    }

    /// The offset of the probability code of the slot of bucket `b` that
    /// holds fingerprint `fp`.
    fn scan(&self, b: usize, fp: u32) -> Option<usize> {
        let at = self.table_at + BUCKET_BYTES * b;
        let slots = self.bytes[at..at + 4 * BUCKET]
            .try_into()
            .expect("a bucket's fingerprints");
        first_slot(slots, fp).map(|i| at + 4 * BUCKET + i)
    }

    fn read_u32(&self, at: usize) -> u32 {
        let b = &self.bytes[at..at + 4];
        u32::from_le_bytes([b[0], b[1], b[2], b[3]])
    }
}

/// The first of a bucket's slots (four fingerprints, 32-bit little-endian
/// numbers) that holds `fp`. Compared at once, as four 32-bit lanes of one
/// number, without a branch on each: which slot holds a key is as good as
/// random, and a branch on it was often mispredicted (paired wall time
/// against the slot-by-slot search on the garbled documents, four runs:
/// 0.974, 0.983, 0.991, 1.018, for 3% more instructions). A lane of `y`
/// is zero where the slot holds `fp`; a borrow may flag lanes above a zero
/// one, never below, so the lowest flag is exact.
fn first_slot(slots: [u8; 4 * BUCKET], fp: u32) -> Option<usize> {
    const LO: u128 = 0x0000_0001_0000_0001_0000_0001_0000_0001;
    const HI: u128 = LO << 31;
    let y = u128::from_le_bytes(slots) ^ (LO * u128::from(fp));
    let zero = y.wrapping_sub(LO) & !y & HI;
    (zero != 0).then(|| zero.trailing_zeros() as usize / 32)
}

// The hash of a token sequence, folded from its last token to its first so
// that the keys of h_1 w, h_2 h_1 w, … come one step at a time. The same in
// scripts/lm/lm.py.
const SEED: u64 = 0x243F_6A88_85A3_08D3;
/// Mixed into a key for its second bucket.
const K_ALT: u64 = 0x5851_F42D_4C95_7F2D;

fn step(h: u64, t: Token) -> u64 {
    mix(h ^ (u64::from(t.0) + 1).wrapping_mul(0x9E37_79B9_7F4A_7C15))
}

fn mix(mut x: u64) -> u64 {
    x = (x ^ (x >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    x ^ (x >> 31)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::strategy::Just;

    fn tokens(lm: &CharLm, text: &str) -> Vec<Token> {
        let mut t = vec![Token::BOUNDARY];
        lm.encode_into(text, &mut t);
        t.push(Token::BOUNDARY);
        t
    }

    fn paragraph(lm: &CharLm, text: &str) -> f32 {
        let t = tokens(lm, text);
        lm.log10_span(&t, 1, t.len())
    }

    /// Scores written by the Python reader (scripts/lm/lm.py) when
    /// build.py generated the model: both readers must agree.
    #[test]
    fn agrees_with_python_reader() {
        let lm = CharLm::get();
        let fixture = include_str!("../tests/data/lm_scores.tsv");
        let mut n = 0;
        for line in fixture.lines().filter(|l| !l.starts_with('#')) {
            let f: Vec<&str> = line.split('\t').collect();
            assert_eq!(f.len(), 3, "bad fixture line {line:?}");
            let text = f[0].replace("\\t", "\t").replace("\\n", "\n");
            let whole: f32 = f[1].parse().unwrap();
            let inner: f32 = f[2].parse().unwrap();
            let got = paragraph(lm, &text);
            assert!(
                (got - whole).abs() < 1e-4,
                "{text:?}: rust {got}, python {whole}"
            );
            let mut t = Vec::new();
            lm.encode_into(&text, &mut t);
            let got = lm.log10_span(&t, 0, t.len());
            assert!(
                (got - inner).abs() < 1e-4,
                "{text:?}: rust {got}, python {inner}"
            );
            n += 1;
        }
        assert!(n >= 20, "the fixture has only {n} cases");
    }

    #[test]
    fn spans_sum_the_single_lookups() {
        // The shared lookups of log10_span change nothing: the same sum, to
        // the bit, as log10_next at each position.
        let lm = CharLm::get();
        for text in [
            "推动经济社会健康持续发展。在此基础上，树立服务意识",
            "认真开展工作，x7 😀 要进一步咖强领导，增强金民国防意识",
            "的的的的的的的的的的",
            "中",
        ] {
            let mut t = vec![Token::BOUNDARY];
            lm.encode_into(text, &mut t);
            t.push(Token::BOUNDARY);
            let n1 = lm.order() - 1;
            for from in 0..t.len() {
                for to in from..=t.len() {
                    let single: f32 = (from..to)
                        .map(|i| lm.log10_next(&t[i.saturating_sub(n1)..i], t[i]))
                        .sum();
                    assert_eq!(
                        lm.log10_span(&t, from, to).to_bits(),
                        single.to_bits(),
                        "{text:?} {from}..{to}"
                    );
                }
            }
        }
    }

    #[test]
    fn normalisation() {
        let lm = CharLm::get();
        assert_eq!(lm.encode(' '), None);
        assert_eq!(lm.encode('\u{3000}'), None);
        assert_eq!(lm.encode('\u{200B}'), None);
        assert_eq!(lm.encode('7'), Some(Token::DIGIT));
        assert_eq!(lm.encode('７'), Some(Token::DIGIT));
        assert_eq!(lm.encode('x'), Some(Token::LATIN));
        assert_eq!(lm.encode('Ｘ'), Some(Token::LATIN));
        assert_eq!(lm.encode(','), lm.encode('，'));
        assert_eq!(lm.encode(')'), lm.encode('）'));
        assert_eq!(lm.encode('\u{E000}'), Some(Token::UNK));
        assert_eq!(lm.encode('😀'), Some(Token::UNK));
        let fa = lm.encode('发').unwrap();
        assert!(fa != Token::UNK && fa != lm.encode('展').unwrap());
    }

    #[test]
    fn prefers_correct_chinese() {
        let lm = CharLm::get();
        for (good, bad) in [
            ("推动经济社会健康持续发展。", "推动经济社会健康持续开展。"),
            ("在此基础上", "在此根底上"),
            ("要进一步加强领导", "要进一步咖强领导"),
            ("增强全民国防意识", "增强金民国防意识"),
            ("认真开展工作", "认真发展工作"),
        ] {
            assert!(
                paragraph(lm, good) > paragraph(lm, bad),
                "{good} should score above {bad}"
            );
        }
    }

    #[test]
    fn probabilities_sum_to_one() {
        // Over the whole vocabulary, for a few histories of each length.
        let lm = CharLm::get();
        let vocab = lm.unigrams.len() as u16;
        for h in ["", "经", "经济", "经济社", "人民法院", "〇二"] {
            let mut hist = vec![Token::BOUNDARY];
            lm.encode_into(h, &mut hist);
            let total: f64 = (0..vocab)
                .filter(|&i| Token(i) != Token::UNK)
                .map(|i| 10f64.powf(f64::from(lm.log10_next(&hist, Token(i)))))
                .sum::<f64>()
                + 10f64.powf(f64::from(lm.log10_next(&hist, Token::UNK) + lm.unk_penalty));
            // Quantisation moves the sum a little off one.
            assert!((total - 1.0).abs() < 0.1, "history {h:?}: sum {total}");
        }
    }

    #[test]
    fn only_the_last_tokens_of_the_history_count() {
        let lm = CharLm::get();
        let mut long = Vec::new();
        lm.encode_into("我们要坚持以经济建设为中心", &mut long);
        let next = lm.encode('心').unwrap();
        let short = &long[long.len() - (lm.order() - 1)..];
        assert_eq!(lm.log10_next(&long, next), lm.log10_next(short, next));
        assert_eq!(lm.log10_span(&long, 0, 0), 0.0);
    }

    proptest::proptest! {
        /// [`first_slot`] finds what a search from the first slot finds,
        /// whatever the other slots hold (the same fingerprint twice,
        /// neighbours that differ in one bit, zeros).
        #[test]
        fn first_slot_is_the_first_that_holds_it(
            slots in proptest::collection::vec(
                proptest::prop_oneof![
                    Just(0u32),
                    Just(1),
                    Just(7),
                    Just(8),
                    Just(0x8000_0001),
                    Just(u32::MAX),
                    proptest::num::u32::ANY
                ],
                BUCKET,
            ),
            fp in proptest::prop_oneof![
                Just(1u32),
                Just(7),
                Just(8),
                Just(0x8000_0001),
                Just(u32::MAX),
                proptest::num::u32::ANY
            ],
        ) {
            let mut bytes = [0u8; 4 * BUCKET];
            for (k, f) in slots.iter().enumerate() {
                bytes[4 * k..4 * k + 4].copy_from_slice(&f.to_le_bytes());
            }
            let want = slots.iter().position(|&f| f == fp);
            proptest::prop_assert_eq!(first_slot(bytes, fp), want);
        }
    }

    #[test]
    fn rejects_damaged_files() {
        assert!(CharLm::from_bytes(b"").is_err());
        assert!(CharLm::from_bytes(b"# text\n\0\0\0\0\0\0\0\0ZHLM").is_err());
        let short = &EMBEDDED[..EMBEDDED.len() - 1];
        assert!(CharLm::from_bytes(short).is_err());
        let e = CharLm::from_bytes(&EMBEDDED[..100]).unwrap_err();
        assert!(e.to_string().starts_with("invalid language model file"));
    }
}

#!/usr/bin/env python3
"""Python reader of zhfix's character language model (data/lm.bin).

The same scoring as the Rust reader in src/lm.rs, for prototyping the layers
that use the model before porting them.  The file format, the normalisation
and the hash are defined here and used by the generator (build.py), so the
two cannot drift apart.

    import sys; sys.path.insert(0, "scripts/lm")
    import lm
    m = lm.CharLm.load("data/lm.bin")
    m.score("推动经济社会健康持续发展。")          # log10 P(text), boundaries included
    t = m.encode_text("健康持续发展，")
    m.log10_span(t, 4, 6)                          # log10 P(发展 | 健康持续)
    line = "推动经济社会健康持续开展。"
    m.window_score(line, 10, 12, "发展") > m.window_score(line, 10, 12, "开展")   # True

Command line:  python3 scripts/lm/lm.py [--model FILE] TEXT...   prints
log10 P and the per-character perplexity of each TEXT as one paragraph.

Normalisation (applied to every character before lookup):
  * whitespace (Unicode White_Space) and the zero-width characters U+200B,
    U+200C, U+200D, U+2060, U+FEFF are dropped;
  * ASCII and full-width digits are one token, DIGIT;
  * ASCII and full-width Latin letters are one token, LATIN;
  * ASCII , ; : ? ! ( ) become their full-width twins ，；：？！（）;
  * any other character outside the vocabulary is the token UNK.
A paragraph is scored as BOUNDARY c1 … cn BOUNDARY: one BOUNDARY token both
opens (as history) and closes (as the predicted last token) a paragraph.

Scoring: a backoff model (ARPA-like).  For history h (at most N-1 tokens)
and next token w, log10 P(w | h) = logp(h w) if the n-gram h w is stored,
else bow(h) + log10 P(w | h minus its first token), where bow(h) is 0 when
h is not stored.  Unigrams are dense (every token has one).  An UNK token
further pays log10(unk_types): the UNK mass is spread over the character
types it stands for, so an unknown character never scores above a rare
known one.
"""
import struct
import sys

# ---------------------------------------------------------------------------
# Tokens and normalisation

UNK, BOUNDARY, DIGIT, LATIN = 0, 1, 2, 3
FIRST_CHAR_ID = 4

# Unicode White_Space plus the zero-width characters: dropped.
DROPPED = frozenset(
    [chr(c) for c in range(0x09, 0x0E)]
    + [" ", "\x85", "\xa0", "\u1680"]
    + [chr(c) for c in range(0x2000, 0x200B)]
    + ["\u2028", "\u2029", "\u202f", "\u205f", "\u3000"]
    + ["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff"]
)
PUNCT = {",": "，", ";": "；", ":": "：", "?": "？", "!": "！", "(": "（", ")": "）"}


def char_class(c):
    """The normalised form of `c`: None when dropped, DIGIT or LATIN (ints) for
    those classes, else a one-character string (ASCII punctuation made
    full-width) still to be looked up in the vocabulary."""
    if c in DROPPED:
        return None
    o = ord(c)
    if 0x30 <= o <= 0x39 or 0xFF10 <= o <= 0xFF19:
        return DIGIT
    if 0x41 <= o <= 0x5A or 0x61 <= o <= 0x7A or 0xFF21 <= o <= 0xFF3A or 0xFF41 <= o <= 0xFF5A:
        return LATIN
    return PUNCT.get(c, c)


# ---------------------------------------------------------------------------
# Hash of a token sequence: folded from the last token to the first, so that
# the keys of h_k…h_1 w for k = 0, 1, 2… are computed one step at a time.

M64 = (1 << 64) - 1
SEED = 0x243F6A8885A308D3
K_TOKEN = 0x9E3779B97F4A7C15


def mix(x):
    x = ((x ^ (x >> 30)) * 0xBF58476D1CE4E5B9) & M64
    x = ((x ^ (x >> 27)) * 0x94D049BB133111EB) & M64
    return x ^ (x >> 31)


def step(h, token):
    return mix(h ^ (((token + 1) * K_TOKEN) & M64))


def seq_hash(tokens):
    """Hash of a token sequence (tokens in text order)."""
    h = SEED
    for t in reversed(tokens):
        h = step(h, t)
    return h


BUCKET = 4  # slots per bucket
BUCKET_BYTES = 24  # 4 fingerprints, 4 probability codes, 4 backoff codes
K_ALT = 0x5851F42D4C957F2D


def buckets_and_fp(h, nbuckets):
    """The two buckets an n-gram with hash h may sit in, and its stored
    fingerprint (the high 32 bits; 0 marks an empty slot, so a zero
    fingerprint becomes 1).  The first bucket comes from the low 32 bits of
    h, the second from the low 32 bits of a second mix."""
    b1 = ((h & 0xFFFFFFFF) * nbuckets) >> 32
    b2 = ((mix(h ^ K_ALT) & 0xFFFFFFFF) * nbuckets) >> 32
    fp = h >> 32
    return b1, b2, (fp if fp else 1)


# ---------------------------------------------------------------------------
# File format (little-endian).  See data/README.md.
#
#   text header   UTF-8, ends with "\n\0", zero-padded to a multiple of 8
#   magic         b"ZHLM", u32 version
#   u32 order N, u32 vocab (number of token ids, >= 4), u32 number of
#   buckets of the n-gram table, u32 unk_types, then N u32: the number of
#   stored n-grams of each order 1..N
#   codebooks     for each order 2..N: 256 f32 log10 probabilities, then 256
#                 f32 log10 backoff weights
#   unigrams      for each token id: f32 log10 P, f32 log10 backoff
#   chars         for ids 4..vocab: u32 code point, ascending
#   table         per bucket (24 bytes): 4 u32 fingerprints (0 = empty
#                 slot), the 4 slots' u8 probability codes, their 4 u8
#                 backoff codes
#
# The n-grams of orders 2..N sit in a bucketized cuckoo hash table: an n-gram
# is in one of the 4 slots of one of its two buckets (buckets_and_fp), so a
# lookup reads at most 8 fingerprints, and a bucket's codes sit beside its
# fingerprints (usually in the same cache line).

MAGIC = b"ZHLM"
VERSION = 1


def text_header_len(data):
    end = data.index(b"\n\0") + 2
    return (end + 7) // 8 * 8


class CharLm:
    def __init__(self, data):
        self.data = data
        off = text_header_len(data)
        if data[off:off + 4] != MAGIC:
            raise ValueError("not a zhfix language model (bad magic)")
        (version,) = struct.unpack_from("<I", data, off + 4)
        if version != VERSION:
            raise ValueError(f"unsupported model version {version}")
        off += 8
        self.order, self.vocab, self.buckets, self.unk_types = struct.unpack_from("<4I", data, off)
        self.capacity = self.buckets * BUCKET
        off += 16
        self.counts = list(struct.unpack_from(f"<{self.order}I", data, off))
        off += 4 * self.order
        self.prob_book = {}
        self.bow_book = {}
        for n in range(2, self.order + 1):
            self.prob_book[n] = struct.unpack_from("<256f", data, off)
            self.bow_book[n] = struct.unpack_from("<256f", data, off + 1024)
            off += 2048
        uni = struct.unpack_from(f"<{2 * self.vocab}f", data, off)
        self.uni_prob = uni[0::2]
        self.uni_bow = uni[1::2]
        off += 8 * self.vocab
        nchars = self.vocab - FIRST_CHAR_ID
        chars = struct.unpack_from(f"<{nchars}I", data, off)
        self.ids = {chr(c): i + FIRST_CHAR_ID for i, c in enumerate(chars)}
        self.chars = [None] * FIRST_CHAR_ID + [chr(c) for c in chars]
        off += 4 * nchars
        self.table_off = off
        if off + BUCKET_BYTES * self.buckets != len(data):
            raise ValueError("model file has the wrong length")
        self.unk_penalty = _log10(self.unk_types) if self.unk_types > 1 else 0.0

    @classmethod
    def load(cls, path):
        with open(path, "rb") as f:
            return cls(f.read())

    def header_text(self):
        return self.data[: self.data.index(b"\n\0") + 1].decode("utf-8")

    # -- tokens -------------------------------------------------------------

    def encode(self, c):
        """Token id of character `c`, or None when it is dropped."""
        k = char_class(c)
        if k is None or isinstance(k, int):
            return k
        return self.ids.get(k, UNK)

    def encode_text(self, text, boundaries=True):
        """Token ids of `text` (dropped characters left out), with a BOUNDARY
        at both ends when `boundaries`."""
        out = [BOUNDARY] if boundaries else []
        for c in text:
            t = self.encode(c)
            if t is not None:
                out.append(t)
        if boundaries:
            out.append(BOUNDARY)
        return out

    # -- lookups ------------------------------------------------------------

    def _find(self, h):
        """(prob code, bow code) of the entry with hash h, or None."""
        b1, b2, fp = buckets_and_fp(h, self.buckets)
        for b in (b1, b2):
            at = self.table_off + BUCKET_BYTES * b
            for i, f in enumerate(struct.unpack_from("<4I", self.data, at)):
                if f == fp:
                    return self.data[at + 16 + i], self.data[at + 20 + i]
        return None

    def log10_next(self, history, w):
        """log10 P(w | history); only the last N-1 tokens of history count."""
        n1 = self.order - 1
        hist = history[-n1:] if n1 else []
        L = len(hist)
        # Longest stored n-gram h_j w (j history tokens).
        prob = self.uni_prob[w]
        hg = step(SEED, w)
        j = 0
        while j < L:
            hg = step(hg, hist[L - 1 - j])
            e = self._find(hg)
            if e is None:
                break
            j += 1
            prob = self.prob_book[j + 1][e[0]]
        # Backoff weights of the stored contexts longer than the match.
        score = prob
        hc = SEED
        for k in range(1, L + 1):
            hc = step(hc, hist[L - k])
            if k <= j:
                continue
            if k == 1:
                score += self.uni_bow[hist[L - 1]]
            else:
                e = self._find(hc)
                if e is None:
                    break
                score += self.bow_book[k][e[1]]
        if w == UNK:
            score -= self.unk_penalty
        return score

    def log10_span(self, tokens, start, end):
        """Sum of log10 P(tokens[i] | up to N-1 previous tokens) for i in
        start..end."""
        n1 = self.order - 1
        s = 0.0
        for i in range(start, end):
            s += self.log10_next(tokens[max(0, i - n1):i], tokens[i])
        return s

    def window_score(self, line, start, end, word, window=6):
        """log10 P of line[start:end] replaced by `word`, followed by the
        `window` characters after it, given the `window` characters before it
        as history; a BOUNDARY where the line starts or ends inside the
        window.  Compare the value for two words to choose between them."""
        left = line[max(0, start - window):start]
        right = line[end:end + window]
        hist = ([BOUNDARY] if start - window <= 0 else []) + [t for t in map(self.encode, left) if t is not None]
        body = [t for t in map(self.encode, word + right) if t is not None]
        if end + window >= len(line):
            body.append(BOUNDARY)
        toks = hist + body
        return self.log10_span(toks, len(hist), len(toks))

    def score(self, text):
        """log10 P of `text` as one paragraph (boundaries included)."""
        t = self.encode_text(text)
        return self.log10_span(t, 1, len(t))


def _log10(x):
    import math

    return math.log10(x)


def main():
    import argparse
    import os

    here = os.path.dirname(os.path.abspath(__file__))
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--model", default=os.path.join(here, "..", "..", "data", "lm.bin"))
    ap.add_argument("text", nargs="+")
    a = ap.parse_args()
    m = CharLm.load(a.model)
    for text in a.text:
        t = m.encode_text(text)
        s = m.log10_span(t, 1, len(t))
        print(f"{s:.4f}\tppl={10 ** (-s / (len(t) - 1)):.1f}\t{text}")


if __name__ == "__main__":
    sys.exit(main())

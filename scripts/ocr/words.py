#!/usr/bin/env python3
"""Writes data/words.txt, the word list of the OCR layer, from jieba's
dictionary.

usage (from the repository root):
  python3 scripts/ocr/words.py [--jieba DICT]           # write data/words.txt
  python3 scripts/ocr/words.py [--jieba DICT] --check   # compare, exit 1 on difference

DICT is `jieba/dict.txt` of jieba 0.42.1 (MIT licence, (c) Sun Junyi), by
default target/jieba-0.42.1/jieba/dict.txt. Get it with
  pip download jieba==0.42.1 --no-deps -d target/
  tar xzf target/jieba-0.42.1.tar.gz -C target/
Its SHA-256 is checked against the pinned value below.

The list holds every jieba word of MIN_LEN to MAX_LEN characters, all of
them CJK ideographs, whose frequency is at least MIN_FREQ: the common
words of general modern Chinese. The OCR layer changes a character only
where it forms none of these words with its neighbours and its look-alike
does (a non-word becomes a word: 咖强 -> 加强). Deterministic: the same
dict.txt gives the same bytes.
"""
import argparse
import hashlib
import os
import sys

REPO = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
OUT = os.path.join(REPO, "data", "words.txt")
DEFAULT_DICT = os.path.join(REPO, "target", "jieba-0.42.1", "jieba", "dict.txt")
JIEBA_VERSION = "0.42.1"
DICT_SHA256 = "7197c3211ddd98962b036cdf40324d1ea2bfaa12bd028e68faa70111a88e12a8"
MIN_FREQ = 20
MIN_LEN = 2
MAX_LEN = 4


def is_ideograph(c):
    return "\u4e00" <= c <= "\u9fff" or "\u3400" <= c <= "\u4dbf"


def render(raw):
    words = set()
    for n, line in enumerate(raw.decode("utf-8").splitlines(), 1):
        fields = line.split()
        if len(fields) < 2:
            sys.exit(f"dict.txt:{n}: expected WORD FREQ [TAG]")
        word, freq = fields[0], int(fields[1])
        if MIN_LEN <= len(word) <= MAX_LEN and freq >= MIN_FREQ and all(map(is_ideograph, word)):
            words.add(word)
    words = sorted(words)
    head = [
        "# zhfix OCR word list: common words of modern Chinese. Generated, do not edit.",
        "# Produced by: python3 scripts/ocr/words.py (check with --check)",
        f"# Source: jieba {JIEBA_VERSION} jieba/dict.txt (MIT licence, (c) Sun Junyi,",
        "#   https://github.com/fxsjy/jieba), sha256 " + DICT_SHA256,
        f"# Kept: words of {MIN_LEN}-{MAX_LEN} characters, all CJK ideographs, jieba frequency >= {MIN_FREQ}.",
        "# Format: one word a line, sorted by code points.",
        f"# Words: {len(words)}",
    ]
    return ("\n".join(head + words) + "\n").encode("utf-8")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--jieba", default=DEFAULT_DICT)
    ap.add_argument("--check", action="store_true")
    a = ap.parse_args()
    with open(a.jieba, "rb") as f:
        raw = f.read()
    digest = hashlib.sha256(raw).hexdigest()
    if digest != DICT_SHA256:
        sys.exit(f"{a.jieba}: sha256 {digest}, expected {DICT_SHA256} (jieba {JIEBA_VERSION})")
    out = render(raw)
    if a.check:
        with open(OUT, "rb") as f:
            if f.read() != out:
                sys.exit(f"{OUT} differs from the generator's output: run python3 scripts/ocr/words.py")
        print(f"{OUT} matches the generator")
        return 0
    with open(OUT, "wb") as f:
        f.write(out)
    print(f"wrote {OUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
"""Measure character language models built by build.py: perplexity and two
task proxies.  This is how the committed model's order and pruning were chosen
(the table in data/README.md).

usage (from the repository root; a held-out model is built with
`python3 scripts/lm/build.py --split even --out target/lm-half.bin ...`):

  python3 scripts/lm/eval.py target/lm-half.bin [MODEL ...] [--sample K]

For each model it prints:
  size     file size in bytes
  ppl-in   perplexity per token on the odd blocks of the training files (the
           text a --split even model never saw; every K-th line)
  ppl-deb, ppl-lo  perplexity on tech_debian_docs.txt and
           tech_libreoffice_help.txt (out of domain; every K-th line)
  syn      task proxy 1: share of the word substitutions of
           ../shared/eval/synthetic (difflib replace ops between garbled and
           gold line, ideographs only) where the model scores the line's
           window of +-6 characters higher with the gold word than with the
           garbled one; the garbled text around it is kept as it is
  syn-ho   the same, counting only lines that are not in the even blocks of
           the training files (honest for a --split even model)
  syn-ood  the same, counting only lines that are in neither training file
           (taken from the Debian docs and the CPC reports: honest for any
           model)
  keep     task proxy 2: share of the occurrences of a garbled form of
           ../shared/eval/PAIRS.md in correct held-out text (odd blocks) where
           the model prefers the text as it is to the text with the original
           form put in (at most 60 occurrences per pair, evenly spaced);
           micro average, and in brackets the mean over pairs
"""
import argparse
import difflib
import glob
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import lm  # noqa: E402

SHARED = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "shared"))
CLEAN = os.path.join(SHARED, "corpus", "clean")
TRAIN = ["gov_national_work_reports_1978_2025.txt", "laws_regulations.txt"]
CJK = re.compile(r"^[\u3400-\u9fff]+$")
WINDOW = 6


def split_lines(name, parity, block=100):
    with open(os.path.join(CLEAN, name), encoding="utf-8") as f:
        lines = f.read().split("\n")
    return [l for i, l in enumerate(lines) if l and (parity is None or (i // block) % 2 == parity)]


def perplexity(m, lines):
    s, n = 0.0, 0
    for line in lines:
        t = m.encode_text(line)
        s += m.log10_span(t, 1, len(t))
        n += len(t) - 1
    return 10 ** (-s / n)


def window_score(m, line, start, end, word):
    """See lm.CharLm.window_score (+-6 characters)."""
    return m.window_score(line, start, end, word, WINDOW)


def synthetic_edits():
    """(gold line, garbled line, i1, i2, gold word) for each word substitution."""
    out = []
    for g in sorted(glob.glob(os.path.join(SHARED, "eval", "synthetic", "*.garbled.txt"))):
        with open(g, encoding="utf-8") as f:
            bad = f.read().split("\n")
        with open(g.replace(".garbled.txt", ".gold.txt"), encoding="utf-8") as f:
            good = f.read().split("\n")
        if len(bad) != len(good):
            continue
        for b, t in zip(bad, good):
            if b == t or "⟦" in t:
                continue
            sm = difflib.SequenceMatcher(None, b, t, autojunk=False)
            for op, i1, i2, j1, j2 in sm.get_opcodes():
                if op == "replace" and CJK.match(b[i1:i2]) and CJK.match(t[j1:j2]):
                    out.append((t, b, i1, i2, t[j1:j2]))
    return out


def pairs():
    with open(os.path.join(SHARED, "eval", "PAIRS.md"), encoding="utf-8") as f:
        text = f.read()
    found = re.findall(r"([\u4e00-\u9fff]+)\s*\(?←\s*([\u4e00-\u9fff]+)", text)
    seen, out = set(), []
    for bad, good in found:
        if bad != good and (bad, good) not in seen:
            seen.add((bad, good))
            out.append((bad, good))
    return out


def keep_cases(lines, per_pair=60):
    cases = {}
    for bad, good in pairs():
        occ = []
        for li, line in enumerate(lines):
            for mt in re.finditer(re.escape(bad), line):
                occ.append((li, mt.start()))
        if not occ:
            continue
        step = max(1, len(occ) // per_pair)
        cases[(bad, good)] = [(lines[li], s, s + len(bad), good) for li, s in occ[::step][:per_pair]]
    return cases


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("models", nargs="+")
    ap.add_argument("--sample", type=int, default=5, help="perplexity on every K-th line")
    ap.add_argument("--detail", action="store_true",
                    help="also print the keep proxy per pair (garbled, original, share kept, cases)")
    a = ap.parse_args()
    held = split_lines(TRAIN[0], 1) + split_lines(TRAIN[1], 1)
    seen = set(split_lines(TRAIN[0], 0) + split_lines(TRAIN[1], 0))
    trained = set(split_lines(TRAIN[0], None) + split_lines(TRAIN[1], None))
    deb = split_lines("tech_debian_docs.txt", None)
    lo = split_lines("tech_libreoffice_help.txt", None)
    syn = synthetic_edits()
    keep = keep_cases(held)
    nkeep = sum(len(v) for v in keep.values())
    print(f"# {len(syn)} synthetic substitutions ({sum(1 for e in syn if e[0] not in seen)} in lines"
          f" outside the even blocks, {sum(1 for e in syn if e[0] not in trained)} outside the"
          f" training files); {nkeep} occurrences of {len(keep)} garbled forms in held-out text")
    print("model\tsize\tppl-in\tppl-deb\tppl-lo\tsyn\tsyn-ho\tsyn-ood\tkeep")
    for path in a.models:
        m = lm.CharLm.load(path)
        k = a.sample
        ppl = [perplexity(m, x[::k]) for x in (held, deb, lo)]
        ok = [0, 0]
        ok_ho = [0, 0]
        ok_ood = [0, 0]
        for gold, bad, i1, i2, word in syn:
            win = window_score(m, bad, i1, i2, word) > window_score(m, bad, i1, i2, bad[i1:i2])
            ok[0] += win
            ok[1] += 1
            if gold not in seen:
                ok_ho[0] += win
                ok_ho[1] += 1
            if gold not in trained:
                ok_ood[0] += win
                ok_ood[1] += 1
        per = []
        tot = [0, 0]
        detail = []
        for (bad, orig), cs in keep.items():
            good = sum(window_score(m, line, s, e, line[s:e]) > window_score(m, line, s, e, w) for line, s, e, w in cs)
            per.append(good / len(cs))
            detail.append((good / len(cs), bad, orig, len(cs)))
            tot[0] += good
            tot[1] += len(cs)
        print(f"{os.path.basename(path)}\t{os.path.getsize(path)}\t{ppl[0]:.2f}\t{ppl[1]:.1f}\t{ppl[2]:.1f}\t"
              f"{ok[0] / ok[1]:.4f}\t{ok_ho[0] / max(ok_ho[1], 1):.4f}\t{ok_ood[0] / max(ok_ood[1], 1):.4f}\t"
              f"{tot[0] / tot[1]:.4f} ({sum(per) / len(per):.4f})", flush=True)
        if a.detail:
            for share, bad, orig, n in sorted(detail):
                print(f"  keep {bad} (not {orig}): {share:.2f} of {n}")


if __name__ == "__main__":
    sys.exit(main())

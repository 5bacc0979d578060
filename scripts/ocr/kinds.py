#!/usr/bin/env python3
"""Per-kind OCR repair figures: for each gold->OCR substitution event
(character-level alignment of garbled against gold), was it fixed in the
output, and how many edits of each kind were wrong (made where garbled==gold).
Kinds: cjk (ideograph), punct, digit, latin; "cjk->punct" is a gold
ideograph the OCR engine read as a mark.

usage (from the repository root, after cargo build --release --example zhfix):
  python3 scripts/ocr/kinds.py 'target/release/examples/zhfix --ocr' ../shared/eval/ocr
"""
import difflib, glob, os, subprocess, sys, collections, shlex
def kind(c):
    if c is None: return 'none'
    o = ord(c)
    if 0x4e00 <= o <= 0x9fff or 0x3400 <= o <= 0x4dbf: return 'cjk'
    if c.isdigit(): return 'digit'
    if c.isascii() and c.isalpha(): return 'latin'
    return 'punct'
def align(a, b):
    """map index in a -> char in b (or None) for 1:1 replace/equal regions"""
    m = {}
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == 'equal' or (op == 'replace' and i2 - i1 == j2 - j1):
            for k in range(i2 - i1): m[i1 + k] = b[j1 + k]
    return m
cmd, d = sys.argv[1], sys.argv[2]
fixed = collections.Counter(); total = collections.Counter(); broke = collections.Counter(); wrongfix = collections.Counter()
for g in sorted(glob.glob(os.path.join(d, '*.garbled.txt'))):
    garbled = open(g, encoding='utf-8').read()
    gold = open(g.replace('.garbled.', '.gold.'), encoding='utf-8').read()
    out = subprocess.run(shlex.split(cmd) + [g], capture_output=True, text=True).stdout
    to_gold = align(garbled, gold); to_out = align(garbled, out)
    for i, c in enumerate(garbled):
        gc = to_gold.get(i); oc = to_out.get(i)
        if gc is None or oc is None: continue
        key = f'{kind(gc)}->{kind(c)}'
        if gc != c:
            total[key] += 1
            if oc == gc: fixed[key] += 1
            elif oc != c: wrongfix[key] += 1
        elif oc != c:
            broke[key] += 1
for k in sorted(total, key=lambda k: -total[k]):
    print(f'{k:14} events {total[k]:4}  fixed {fixed[k]:4} ({fixed[k]/total[k]:.1%})  changed-wrongly {wrongfix[k]:3}')
print('edits on correct characters:', dict(broke))

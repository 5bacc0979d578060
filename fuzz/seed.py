#!/usr/bin/env python3
"""Seeds the fuzz corpora from the inputs of tests/data/*.toml.

Usage (from fuzz/): python3 seed.py
Writes corpus/clean/seed-NNN: two bytes choosing a configuration (the
clean target reads one bit per layer, option and lexicon family and two
for the evidence level, 15 bits today; all set means everything on, with
the lenient evidence level), then the case's input. Writes corpus/rules/seed-NNN
too: the same configuration bytes, a line of data/lexicon/pairs.tsv with its
garbled form changed (so it is not a duplicate), NUL, a case's input. The cli
target starts from its own empty corpus.
"""
import pathlib
import tomllib

root = pathlib.Path(__file__).resolve().parent
out = root / "corpus" / "clean"
out.mkdir(parents=True, exist_ok=True)
n = 0
inputs = []
for path in sorted((root.parent / "tests" / "data").glob("*.toml")):
    for case in tomllib.loads(path.read_text(encoding="utf-8")).get("case", []):
        (out / f"seed-{n:04}").write_bytes(b"\xff\xff" + case["input"].encode())
        inputs.append(case["input"])
        n += 1
print(f"{n} seeds in {out}")

# The rules target: a line or two of the built-in pair table, NUL, a text.
rules_out = root / "corpus" / "rules"
rules_out.mkdir(parents=True, exist_ok=True)
table = (root.parent / "data" / "lexicon" / "pairs.tsv").read_text(encoding="utf-8")
pairs = [l for l in table.splitlines() if l and not l.startswith("#")]
m = 0
for k, line in enumerate(pairs[::5]):
    text = inputs[k % len(inputs)] if inputs else ""
    # The user's own tool: a made-up garbled form for the same original.
    fields = line.split("\t")
    fields[0] = fields[0][::-1] if fields[0][::-1] not in fields[1] else fields[0] + "了"
    rules = "# fuzz seed\n" + "\t".join(fields) + "\n"
    (rules_out / f"seed-{m:04}").write_bytes(b"\xff\xff" + rules.encode() + b"\0" + text.encode())
    m += 1
print(f"{m} seeds in {rules_out}")

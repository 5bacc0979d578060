#!/usr/bin/env python3
"""Seeds the fuzz corpora from the inputs of tests/data/*.toml.

Usage (from fuzz/): python3 seed.py
Writes corpus/clean/seed-NNN: two bytes choosing a configuration (the
clean target reads one bit per layer, option and lexicon family and two
for the evidence level, 15 bits today; all set means everything on, with
the lenient evidence level), then the case's input. The cli target starts
from its own empty corpus.
"""
import pathlib
import tomllib

root = pathlib.Path(__file__).resolve().parent
out = root / "corpus" / "clean"
out.mkdir(parents=True, exist_ok=True)
n = 0
for path in sorted((root.parent / "tests" / "data").glob("*.toml")):
    for case in tomllib.loads(path.read_text(encoding="utf-8")).get("case", []):
        (out / f"seed-{n:04}").write_bytes(b"\xff\xff" + case["input"].encode())
        n += 1
print(f"{n} seeds in {out}")

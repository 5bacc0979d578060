#!/usr/bin/env python3
"""Prints the medians of the `hostile` benchmark group and, for each input
timed at 1 MB and 50 MB, the cost per megabyte at both sizes and their ratio
(issue 4 asks for at most 1.5).

Usage, from the repository root, after `cargo bench --bench hostile`:

    python3 scripts/hostile_ratios.py [target/criterion]

Reads criterion's `hostile/*/*/new/{estimates,benchmark}.json`. Exits 1 when
a ratio exceeds 1.5.
"""
import json
import pathlib
import sys

LIMIT = 1.5
root = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else "target/criterion") / "hostile"
if not root.is_dir():
    sys.exit(f"{root} not found: run `cargo bench --bench hostile` first")

rows = {}
for est in sorted(root.glob("*/*/new/estimates.json")):
    bench = json.loads((est.parent / "benchmark.json").read_text())
    median_ns = json.loads(est.read_text())["median"]["point_estimate"]
    size = bench["throughput"]["Bytes"]
    name, param = est.parts[-4], est.parts[-3]
    ms_per_mb = median_ns / 1e6 / (size / 2**20)
    rows.setdefault(name, {})[param] = (size, median_ns, ms_per_mb)

print(f"{'input':38} {'size':>6} {'median':>11} {'ms/MB':>8} {'MB/s':>8}")
worst = 0.0
for name, params in rows.items():
    for param, (size, median_ns, ms_per_mb) in sorted(params.items(), key=lambda p: p[1][0]):
        print(f"{name:38} {size / 2**20:5.1f}M {median_ns / 1e6:9.2f}ms "
              f"{ms_per_mb:8.3f} {1000 / ms_per_mb:8.0f}")
    if "1MB" in params and "50MB" in params:
        ratio = params["50MB"][2] / params["1MB"][2]
        worst = max(worst, ratio)
        print(f"{'':38} ratio of cost per MB, 50 MB / 1 MB: {ratio:.2f}")
print(f"worst ratio: {worst:.2f} (limit {LIMIT})")
sys.exit(1 if worst > LIMIT else 0)

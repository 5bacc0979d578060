#!/usr/bin/env bash
# Fuzz smoke test: builds every fuzz target and runs each for SECONDS
# (default 30) from the seeds of seed.py. CI runs it (.ci/run).
#
# It needs neither cargo-fuzz nor a nightly toolchain: the flags below are
# exactly those `cargo fuzz build -s none -O -a` passes (cargo-fuzz 0.13),
# so the build is shared with `cargo fuzz run -s none -O -a TARGET`.
# A failure leaves its input in artifacts/TARGET/ and exits non-zero.
#
# Usage: fuzz/smoke.sh [SECONDS]
set -euo pipefail
cd "$(dirname "$0")"
secs=${1:-30}
host=$(rustc -vV | sed -n 's/^host: //p')
bin="${CARGO_TARGET_DIR:-target}/$host/release"
RUSTFLAGS="-Cpasses=sancov-module -Cllvm-args=-sanitizer-coverage-level=4"
RUSTFLAGS+=" -Cllvm-args=-sanitizer-coverage-inline-8bit-counters"
RUSTFLAGS+=" -Cllvm-args=-sanitizer-coverage-pc-table"
RUSTFLAGS+=" -Cllvm-args=-sanitizer-coverage-trace-compares --cfg fuzzing"
RUSTFLAGS+=" -Cllvm-args=-simplifycfg-branch-fold-threshold=0"
RUSTFLAGS+=" -Cllvm-args=-sanitizer-coverage-stack-depth -Cdebug-assertions"
RUSTFLAGS+=" -Ccodegen-units=1"
export RUSTFLAGS
cargo build --quiet --release --target "$host" --bins \
    --config 'profile.release.debug="line-tables-only"'
python3 seed.py >/dev/null
for target in $(sed -n 's/^name = "\(.*\)"$/\1/p' Cargo.toml | grep -v zhfix-fuzz); do
    mkdir -p "corpus/$target" "artifacts/$target"
    echo "fuzz smoke: $target for ${secs}s"
    log="artifacts/$target/smoke.log"
    if ! "$bin/$target" -dict=zh.dict -max_len=4096 \
        -max_total_time="$secs" -artifact_prefix="artifacts/$target/" \
        -print_final_stats=1 "corpus/$target" >"$log" 2>&1; then
        grep -v -E '^#[0-9]+' "$log" | tail -40 >&2
        echo "fuzz smoke: $target failed; the input is in fuzz/artifacts/$target/" >&2
        exit 1
    fi
    grep -E '^stat::(number_of_executed_units|peak_rss_mb)' "$log"
done

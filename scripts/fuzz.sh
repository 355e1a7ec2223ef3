#!/usr/bin/env bash
# Fuzz session (not a test): builds lendguide and examples/fuzz in release,
# then feeds mutated content files to `check` and mutated worked examples to
# `calc -` for MINUTES minutes. Prints one summary line
#   fuzz: N runs (check C, calc K), P panics, H hangs, W wrong exit codes, U unlocated
# and exits 1 if anything was found; each failing input is saved under
# target/fuzz-findings/<kind>-<command>-seed<S>-run<N>/ with a repro.sh.
#
#   ./scripts/fuzz.sh [MINUTES] [fuzz options…]   default: 10 minutes
#   e.g. ./scripts/fuzz.sh 20 --seed 7 --jobs 1
#   JOBS=2                                         parallel workers
set -euo pipefail
cd "$(dirname "$0")/.."
minutes=${1:-10}
shift || true
cargo build --release --quiet --bin lendguide --example fuzz
exec ./target/release/examples/fuzz --minutes "$minutes" --jobs "${JOBS:-2}" "$@"

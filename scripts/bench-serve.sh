#!/usr/bin/env bash
# Live-preview benchmark (not a test): how long a one-guide edit takes to
# reach the browser under `lendguide serve` — file write → the `reload`
# server-sent event, and → the edited page served — on a copy of the
# bundled site and on generated corpora (examples/gen_corpus). Prints
# min/median/max over RUNS edits per site.
#
#   ./scripts/bench-serve.sh [SIZES…]      default: bundled 1000
#   RUNS=7                                 edits per site
#   BENCH_DIR=/tmp/lendguide-serve-bench   where the copies go
#   PROFILE=release                        or debug (what `cargo run` gives)
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
dir=${BENCH_DIR:-/tmp/lendguide-serve-bench}
runs=${RUNS:-7}
profile=${PROFILE:-release}
sizes=("$@")
[ $# -eq 0 ] && sizes=(bundled 1000)

flag=--release
[ "$profile" = debug ] && flag=""
cargo build $flag --quiet --bin lendguide --example gen_corpus --example serve_latency
target=${CARGO_TARGET_DIR:-$root/target}/$profile

for size in "${sizes[@]}"; do
  work="$dir/$size"
  rm -rf "$work" && mkdir -p "$work"
  if [ "$size" = bundled ]; then
    cp -r content "$work/content"
  else
    "$target/examples/gen_corpus" --guides "$size" --out "$work" >/dev/null
  fi
  guides=$(find "$work/content/lenders" -name '*.md' | wc -l)
  echo
  echo "# $size: $guides guides, $profile build, $runs edits of lenders/weilidai/waiver.md"
  "$target/examples/serve_latency" --bin "$target/lendguide" --site "$work" \
    --templates "$root/templates" --guide content/lenders/weilidai/waiver.md \
    --page /lenders/weilidai/waiver/ --runs "$runs"
done

#!/usr/bin/env bash
# Build benchmark (not a test): generates corpora of 1,000 and 10,000 guides
# with examples/gen_corpus and times a full `lendguide build` of each (a
# cold build into an empty folder, then a rebuild over it with nothing
# changed), reporting wall time and peak memory from /usr/bin/time.
#
#   ./scripts/bench-build.sh [SIZES…]     default: 1000 10000
#   BENCH_DIR=/tmp/lendguide-build-bench  where corpora and sites go
#   RUNS=3                                runs per measurement (median shown)
set -euo pipefail
cd "$(dirname "$0")/.."
dir=${BENCH_DIR:-/tmp/lendguide-build-bench}
runs=${RUNS:-3}
sizes=("${@:-1000}")
[ $# -eq 0 ] && sizes=(1000 10000)
command -v /usr/bin/time >/dev/null || { echo "needs /usr/bin/time (apt-get install -y time)"; exit 2; }
cargo build --release --quiet --bin lendguide --example gen_corpus
bin=$PWD/target/release/lendguide

# Prints "wall_seconds peak_kib" for one run of the command.
measure() {
  /usr/bin/time -f "%e %M" -o "$dir/time.txt" "$@" >/dev/null 2>&1
  cat "$dir/time.txt"
}
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

printf '%-8s %-8s %12s %14s %10s\n' guides pages "cold wall s" "rebuild wall s" "peak MiB"
for n in "${sizes[@]}"; do
  work="$dir/$n"
  mkdir -p "$work"
  ./target/release/examples/gen_corpus --guides "$n" --out "$work" >/dev/null
  cold=(); warm=(); mem=()
  for _ in $(seq "$runs"); do
    # Cold: no output, and nothing kept of earlier builds' checks beside it.
    rm -rf "$work/out" "$work/.out.kept"
    read -r s k < <(cd "$work" && measure "$bin" build --templates "$OLDPWD/templates" --out out)
    cold+=("$s"); mem+=("$k")
    read -r s k < <(cd "$work" && measure "$bin" build --templates "$OLDPWD/templates" --out out)
    warm+=("$s"); mem+=("$k")
  done
  pages=$(find "$work/out" -name '*.html' | wc -l)
  c=$(printf '%s\n' "${cold[@]}" | median)
  w=$(printf '%s\n' "${warm[@]}" | median)
  m=$(printf '%s\n' "${mem[@]}" | sort -n | tail -1)
  printf '%-8s %-8s %12s %14s %10s\n' "$n" "$pages" "$c" "$w" "$((m / 1024))"
done

#!/usr/bin/env bash
# One-guide rebuilds (benchmark, not a test; issue 12's "10k rebuild, one
# guide edited"): a generated corpus is built cold, then, round after round,
# a line is appended to one guide and the site rebuilt with `build --timings`,
# on the disk (not tmpfs), reusing the previous output, its spare and the
# kept store, as a contributor's rebuilds do.
#
#   ./scripts/bench-edit.sh [GUIDES] [ROUNDS] [BINARY…]   default: 10000 3
#   BENCH_DIR=target/bench-edit                           corpus and outputs
#
# With no BINARY, the release build of this checkout. With several, they take
# turns (A B A B …), each into its own output, so each sees the same load.
# Round 0 is the first rebuild after the cold build, which also makes the
# spare and writes the whole kept store; it is printed but left out of the
# summary. Prints each rebuild's wall, user and system seconds, peak RSS and
# stage timings, then per binary the median and range of the later rounds.
# The guide is put back as it was when the script ends.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$PWD
guides=${1:-10000}
rounds=${2:-3}
bins=("${@:3}")
dir=${BENCH_DIR:-$repo/target/bench-edit}

if [ ! -x /usr/bin/time ]; then
  echo "needs /usr/bin/time (apt-get install -y time)" >&2
  exit 2
fi
cargo build --release --quiet --bin lendguide --example gen_corpus
[ ${#bins[@]} -eq 0 ] && bins=("$repo/target/release/lendguide")
mkdir -p "$dir"
rm -f "$dir"/rounds-*
corpus=$dir/corpus-$guides
if [ ! -f "$corpus/content/site.yaml" ]; then
  rm -rf "$corpus"
  "$repo/target/release/examples/gen_corpus" --guides "$guides" --out "$corpus" >/dev/null
fi
guide=$(find "$corpus/content/lenders" -name waiver.md | sort | sed -n '45p;$p' | head -1)
cp "$guide" "$dir/guide.bak"
trap 'cp "$dir/guide.bak" "$guide"' EXIT

# build BINARY OUT → prints "wall user sys peak_kb" and the timings line
build() {
  /usr/bin/time -f "%e %U %S %M" -o "$dir/time" "$1" build --content "$corpus/content" \
    --templates "$repo/templates" --out "$2" --timings 2>"$dir/stderr" >/dev/null
  echo "$(cat "$dir/time") $(grep '^timings:' "$dir/stderr" | sed 's/(peak [0-9]* MB)//g')"
}

for i in "${!bins[@]}"; do
  out=$dir/out-$i
  rm -rf "$out" "$dir/.out-$i.spare" "$dir/.out-$i.kept"
  echo "binary $i: ${bins[$i]}"
  echo "  cold: $(build "${bins[$i]}" "$out")"
done
for ((round = 0; round <= rounds; round++)); do
  for i in "${!bins[@]}"; do
    echo "第${round}轮，第${i}个：每次通话都记下客服工号。" >>"$guide"
    line=$(build "${bins[$i]}" "$dir/out-$i")
    echo "  round $round, binary $i: $line"
    [ "$round" -gt 0 ] && echo "$line" >>"$dir/rounds-$i"
  done
done 2>&1 | tee "$dir/log"
stat() { sort -n | awk '{a[NR]=$1} END {printf "%s (%s–%s)", a[int((NR+1)/2)], a[1], a[NR]}'; }
echo
echo "rounds 1–$rounds, median (range):"
for i in "${!bins[@]}"; do
  f=$dir/rounds-$i
  [ -f "$f" ] || continue
  echo "  binary $i: wall $(cut -d' ' -f1 "$f" | stat) s, user $(cut -d' ' -f2 "$f" | stat) s," \
    "peak $(cut -d' ' -f4 "$f" | awk '{print int($1/1024)}' | stat) MiB"
  rm -f "$f"
done

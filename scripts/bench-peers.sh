#!/usr/bin/env bash
# Side-by-side benchmark (not a test): lendguide against Hugo on comparable
# corpora, run interleaved (lendguide, Hugo, lendguide, Hugo, …) so both see
# the same machine load. For lendguide, examples/gen_corpus generates N
# guides; for Hugo, this script writes N Markdown pages of about 2.6 KB of
# Chinese text each, five per section, like gen_corpus's five guides per
# lender. Nothing is downloaded except Hugo itself, from apt, when missing.
# Every build is cold: the output folder is removed before each run.
#
#   ./scripts/bench-peers.sh [SIZES…]    default: 1000 10000
#   BENCH_DIR=/tmp/lendguide-peers       where corpora and sites go
#   RUNS=3                               runs of each tool per size
#   BENCH_OUT=/dev/shm/lendguide-peers   where the built sites go (default:
#                                        beside each corpus); a tmpfs shows
#                                        the builds without the disk's cost
#
# Prints, per size and tool: median and range of wall seconds, peak RSS
# (the largest of the runs) and output size, then lendguide's median wall
# time as a multiple of Hugo's. Uses bash and coreutils only.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$PWD
dir=${BENCH_DIR:-/tmp/lendguide-peers}
runs=${RUNS:-3}
out_root=${BENCH_OUT:-}
sizes=("$@")
[ $# -eq 0 ] && sizes=(1000 10000)

if [ ! -x /usr/bin/time ]; then
  echo "needs /usr/bin/time (apt-get install -y time)" >&2
  exit 2
fi
if ! command -v hugo >/dev/null; then
  echo "installing Hugo from apt" >&2
  sudo=""
  [ "$(id -u)" -ne 0 ] && sudo=sudo
  $sudo apt-get install -y hugo >/dev/null
fi
cargo build --release --quiet --bin lendguide --example gen_corpus
lendguide=$repo/target/release/lendguide
hugo_version=$(hugo version | cut -d' ' -f2)

# The Hugo site: config, two minimal layouts and N pages in N/5 sections.
hugo_corpus() {
  local out=$1 n=$2 i s para body
  rm -rf "$out"
  mkdir -p "$out/layouts/_default" "$out/content"
  printf '%s\n' 'baseURL = "https://example.org/"' 'languageCode = "zh-cn"' \
    'title = "bench"' 'hasCJKLanguage = true' >"$out/hugo.toml"
  printf '%s\n' '<!doctype html><html lang="zh"><head><meta charset="utf-8"><title>{{ .Title }}</title></head>' \
    '<body><main><h1>{{ .Title }}</h1>{{ .Content }}</main></body></html>' >"$out/layouts/_default/single.html"
  printf '%s\n' '<!doctype html><html lang="zh"><head><meta charset="utf-8"><title>{{ .Title }}</title></head>' \
    '<body><main><h1>{{ .Title }}</h1><ul>{{ range .Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ul></main></body></html>' \
    >"$out/layouts/_default/list.html"
  para="逾期以后先不要慌，第一步是弄清楚自己到底欠了多少钱：本金、利息、罚息和复利各是多少，合同约定的利率是多少。然后通过官方客服热线或者应用内的在线客服说明困难情况，提出协商减免罚息或者分期还款的请求，记下每一次沟通的时间、工号和答复内容。"
  body=""
  for _ in 1 2 3 4 5 6 7; do body="$body$para"$'\n\n'; done
  for ((i = 0; i < n; i++)); do
    s=$((i / 5))
    [ $((i % 5)) -eq 0 ] && mkdir -p "$out/content/lender-$s"
    printf -- '---\ntitle: "第%d家机构的第%d篇协商指南"\ndate: 2025-01-18\n---\n\n## 第%d篇\n\n%s' \
      "$s" "$((i % 5 + 1))" "$i" "$body" >"$out/content/lender-$s/guide-$i.md"
  done
}

# Runs one build in folder $1 and sets WALL (centiseconds, from %e) and KIB
# (peak RSS); a failed build stops the benchmark.
timed() {
  local in=$1 wall
  shift
  if ! (cd "$in" && /usr/bin/time -f '%e %M' -o "$dir/time" "$@" >/dev/null 2>"$dir/stderr"); then
    echo "failed in $in: $*" >&2
    cat "$dir/stderr" >&2
    exit 1
  fi
  read -r wall KIB <"$dir/time"
  WALL=$((10#${wall%.*} * 100 + 10#${wall#*.}))
}

cs() { printf '%d.%02d' $(($1 / 100)) $(($1 % 100)); }

# Prints "median min max" of its arguments (integers).
stats() {
  local sorted
  mapfile -t sorted < <(printf '%s\n' "$@" | sort -n)
  local k=${#sorted[@]}
  echo "${sorted[$(((k - 1) / 2))]} ${sorted[0]} ${sorted[$((k - 1))]}"
}

row() {
  local size=$1 tool=$2 out=$3
  shift 3
  local -n walls=$1 mems=$2
  local med lo hi peak mb
  read -r med lo hi <<<"$(stats "${walls[@]}")"
  read -r peak _ _ <<<"$(printf '%s\n' "${mems[@]}" | sort -n | tail -1)"
  mb=$(du -sm "$out" | cut -f1)
  printf '| %s | %s | %s | %s–%s | %d | %d |\n' "$size" "$tool" "$(cs "$med")" "$(cs "$lo")" "$(cs "$hi")" \
    $((peak / 1024)) "$mb"
  echo "$med" >"$dir/median-$tool"
}

fs=$(mkdir -p "${out_root:-$dir}" && df -T "${out_root:-$dir}" | awk 'NR == 2 { print $2 }')
echo "lendguide $(git rev-parse --short HEAD), Hugo $hugo_version, $runs runs each, interleaved, $(nproc) cores, output on $fs"
echo
echo "| size | tool | median wall s | range s | peak RSS MB | output MB |"
echo "|---|---|---|---|---|---|"
ratios=()
for n in "${sizes[@]}"; do
  work=$dir/$n
  mkdir -p "$work"
  "$repo/target/release/examples/gen_corpus" --guides "$n" --out "$work/lendguide" >/dev/null
  hugo_corpus "$work/hugo" "$n"
  lout=$work/lendguide/out hout=$work/hugo/public
  if [ -n "$out_root" ]; then
    mkdir -p "$out_root/$n"
    lout=$out_root/$n/lendguide hout=$out_root/$n/hugo
  fi
  lw=() lm=() hw=() hm=()
  for ((r = 0; r < runs; r++)); do
    # Cold: no output, and nothing kept of earlier builds' checks beside it.
    rm -rf "$lout" "$(dirname "$lout")/.$(basename "$lout").kept"
    timed "$work/lendguide" "$lendguide" build --templates "$repo/templates" --out "$lout"
    lw+=("$WALL") lm+=("$KIB")
    rm -rf "$hout"
    timed "$work/hugo" hugo --quiet -d "$hout"
    hw+=("$WALL") hm+=("$KIB")
  done
  row "$n" lendguide "$lout" lw lm
  row "$n" hugo "$hout" hw hm
  l=$(cat "$dir/median-lendguide") h=$(cat "$dir/median-hugo")
  ratios+=("$n: lendguide/Hugo median wall = $(cs $((l * 100 / (h > 0 ? h : 1))))×")
done
echo
printf '%s\n' "${ratios[@]}"

#!/usr/bin/env bash
# Search benchmark (not a test): generates corpora of 1,000 and 10,000
# guides (mixed scripts), builds each with the release binary, and reports
# index bytes, bytes per cold query, recall/precision against "the page text
# contains the query", and time to first results in headless Chromium.
#
#   ./scripts/bench-search.sh [SIZES…]      default: 1000 10000
#   BENCH_DIR=/tmp/lendguide-bench          where corpora and sites go
#   BENCH_CHROMIUM=0                        skip the Chromium timings
#   BENCH_PAGEFIND=1                        also index the same site with Pagefind
#                                           (npm package `pagefind`, installed under
#                                           BENCH_DIR) and run the same queries on it
set -euo pipefail
cd "$(dirname "$0")/.."
dir=${BENCH_DIR:-/tmp/lendguide-bench}
sizes=("${@:-1000}")
[ $# -eq 0 ] && sizes=(1000 10000)
chromium_flag=--chromium
[ "${BENCH_CHROMIUM:-1}" = 0 ] && chromium_flag=""

cargo build --release --quiet --bin lendguide --example gen_corpus --example search_bench
pagefind_args=()
if [ "${BENCH_PAGEFIND:-0}" = 1 ] && [ -n "$chromium_flag" ]; then
  [ -x "$dir/pf/node_modules/.bin/pagefind" ] || npm install --silent --prefix "$dir/pf" pagefind@1 >/dev/null
  pagefind_args=(--pagefind "${BENCH_PAGEFIND_QUERIES:-100}")
fi
for n in "${sizes[@]}"; do
  work="$dir/$n"
  mkdir -p "$work"
  ./target/release/examples/gen_corpus --guides "$n" --out "$work"
  rm -rf "$work/site"
  start=$(date +%s.%N)
  (cd "$work" && "$OLDPWD/target/release/lendguide" build --content content --templates "$OLDPWD/templates" --out site >/dev/null)
  end=$(date +%s.%N)
  echo
  echo "# $n generated guides — build $(echo "$end - $start" | bc) s, site $(du -sh "$work/site" | cut -f1)"
  if [ ${#pagefind_args[@]} -gt 0 ]; then
    "$dir/pf/node_modules/.bin/pagefind" --site "$work/site" >/dev/null
    echo "pagefind index: $(du -sh "$work/site/pagefind" | cut -f1)"
  fi
  ./target/release/examples/search_bench --site "$work/site" --samples 300 $chromium_flag "${pagefind_args[@]}"
done

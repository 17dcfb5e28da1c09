#!/usr/bin/env bash
# casebook against Hugo and Hugo + Pagefind on the same synthetic corpus, in one run.
#
# Usage: bash benches/compare.sh [N] [RUNS]     (defaults: 10000 cases, 3 runs each)
#
# Generates the corpus with ../shared/tools/gencorpus.py (seed 1) as a casebook knowledge
# base and as a Hugo site, builds each RUNS times alternating the tools, with outputs on
# tmpfs (/dev/shm) when there is one, and prints median, min and max wall time, peak RSS
# (/usr/bin/time -v), and the ratios casebook/Hugo and casebook/(Hugo + Pagefind). Then, on
# the sites of the last run, what a visitor downloads for a first query and how fast
# queries run in Node, for casebook (search_download.mjs) and Pagefind (pagefind_download.mjs).
# Installs Hugo (Debian) and Pagefind (npm) when missing. Not part of CI.
set -euo pipefail
N=${1:-10000}
RUNS=${2:-3}
HERE=$(cd "$(dirname "$0")" && pwd)
REPO=$(dirname "$HERE")
WORK=${WORK:-$( [ -d /dev/shm ] && echo /dev/shm/casebook-compare || echo /tmp/casebook-compare )}
mkdir -p "$WORK"

command -v hugo >/dev/null || { apt-get update -qq && apt-get install -y -qq hugo >/dev/null; }
[ -x /usr/bin/time ] || apt-get install -y -qq time >/dev/null
if [ ! -x "$WORK/node_modules/.bin/pagefind" ]; then
  (cd "$WORK" && npm init -y >/dev/null && npm install --no-audit --no-fund pagefind@1.6.0 >/dev/null)
fi
PAGEFIND="$WORK/node_modules/.bin/pagefind"
(cd "$REPO" && cargo build --release --quiet)
CASEBOOK="$REPO/target/release/casebook"

for layout in casebook hugo; do
  [ -d "$WORK/$layout-$N" ] || python3 "$REPO/../shared/tools/gencorpus.py" --n "$N" --seed 1 --layout "$layout" --out "$WORK/$layout-$N" >/dev/null
done

# time_run NAME COMMAND...: appends "seconds kilobytes" to $WORK/NAME.times
time_run() {
  local name=$1; shift
  /usr/bin/time -v -o "$WORK/$name.time" "$@" >/dev/null 2>&1
  local wall rss
  wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {print $2}' "$WORK/$name.time" | awk -F: '{ if (NF==3) print $1*3600+$2*60+$3; else print $1*60+$2 }')
  rss=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$WORK/$name.time")
  echo "$wall $rss" >> "$WORK/$name.times"
}

rm -f "$WORK"/*.times
for run in $(seq 1 "$RUNS"); do
  rm -rf "$WORK/casebook-$N/public" "$WORK/hugo-$N/public"
  time_run casebook "$CASEBOOK" build --root "$WORK/casebook-$N"
  time_run hugo hugo --quiet --source "$WORK/hugo-$N" --destination "$WORK/hugo-$N/public"
  time_run pagefind "$PAGEFIND" --site "$WORK/hugo-$N/public"
  echo "run $run done" >&2
done

python3 - "$WORK" "$N" <<'PY'
import statistics, sys
work, n = sys.argv[1], sys.argv[2]
def load(name):
    rows = [tuple(map(float, line.split())) for line in open(f"{work}/{name}.times")]
    return [r[0] for r in rows], [r[1] for r in rows]
results = {name: load(name) for name in ("casebook", "hugo", "pagefind")}
hp = [h + p for h, p in zip(results["hugo"][0], results["pagefind"][0])]
print(f"N = {n}, {len(hp)} runs each, alternating; wall seconds and peak RSS")
print(f"{'tool':<22}{'median':>9}{'min':>9}{'max':>9}{'peak RSS':>12}")
for name, label in (("casebook", "casebook build"), ("hugo", "Hugo"), ("pagefind", "Pagefind (on Hugo)")):
    wall, rss = results[name]
    print(f"{label:<22}{statistics.median(wall):>9.2f}{min(wall):>9.2f}{max(wall):>9.2f}{max(rss)/1024/1024:>9.2f} GiB")
print(f"{'Hugo + Pagefind':<22}{statistics.median(hp):>9.2f}{min(hp):>9.2f}{max(hp):>9.2f}")
cb = statistics.median(results["casebook"][0])
print(f"casebook / Hugo:             {cb / statistics.median(results['hugo'][0]):.2f}")
print(f"casebook / (Hugo + Pagefind): {cb / statistics.median(hp):.2f}")
PY

QUERIES=("older people" "co-production" "budget" "community garden")
echo
echo "casebook search, first query and warm queries:"
node "$HERE/search_download.mjs" "$WORK/casebook-$N/public" "${QUERIES[@]}"
echo
echo "Pagefind, first query and warm queries:"
node "$HERE/pagefind_download.mjs" "$WORK/hugo-$N/public" "${QUERIES[@]}"

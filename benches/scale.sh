#!/usr/bin/env bash
# Does casebook build scale linearly? Builds a small and a large synthetic corpus alternately
# and prints, for each, median wall time, time per case and peak RSS, then the ratio of the
# large corpus's time per case to the small one's (1.0 is perfectly linear).
#
# Usage: bash benches/scale.sh [SMALL] [LARGE] [RUNS]   (defaults: 10000 100000 3)
#
# Corpora come from ../shared/tools/gencorpus.py (seed 1), kept under /dev/shm/casebook-compare
# (as benches/compare.sh keeps them) so that the output is on tmpfs. 100,000 cases are about
# 1 GB of Markdown and take a few minutes to generate. Not part of CI.
set -euo pipefail
SMALL=${1:-10000}
LARGE=${2:-100000}
RUNS=${3:-3}
HERE=$(cd "$(dirname "$0")" && pwd)
REPO=$(dirname "$HERE")
WORK=${WORK:-$( [ -d /dev/shm ] && echo /dev/shm/casebook-compare || echo /tmp/casebook-compare )}
mkdir -p "$WORK"
[ -x /usr/bin/time ] || apt-get install -y -qq time >/dev/null
(cd "$REPO" && cargo build --release --quiet)
CASEBOOK="$REPO/target/release/casebook"

for n in "$SMALL" "$LARGE"; do
  [ -d "$WORK/casebook-$n" ] || python3 "$REPO/../shared/tools/gencorpus.py" --n "$n" --seed 1 --layout casebook --out "$WORK/casebook-$n" >/dev/null
done

TIMES="$WORK/scale.times"
: > "$TIMES"
for run in $(seq 1 "$RUNS"); do
  for n in "$SMALL" "$LARGE"; do
    rm -rf "$WORK/casebook-$n/public"
    /usr/bin/time -f "$n %e %M" -o "$WORK/scale.time" "$CASEBOOK" build --root "$WORK/casebook-$n" >/dev/null 2>&1
    cat "$WORK/scale.time" >> "$TIMES"
  done
  echo "run $run done" >&2
done

python3 - "$TIMES" "$SMALL" "$LARGE" <<'PY'
import statistics, sys
times, small, large = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
rows = [line.split() for line in open(times)]
per_case = {}
print(f"{'cases':>8}{'median':>9}{'min':>9}{'max':>9}{'per case':>12}{'peak RSS':>12}")
for n in (small, large):
    wall = [float(r[1]) for r in rows if int(r[0]) == n]
    rss = max(int(r[2]) for r in rows if int(r[0]) == n)
    per_case[n] = statistics.median(wall) / n
    print(f"{n:>8}{statistics.median(wall):>8.2f}s{min(wall):>8.2f}s{max(wall):>8.2f}s"
          f"{per_case[n] * 1000:>9.3f} ms{rss / 1024 / 1024:>9.2f} GiB")
print(f"time per case, {large} / {small}: {per_case[large] / per_case[small]:.2f}")
PY

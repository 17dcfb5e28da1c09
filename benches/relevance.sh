#!/usr/bin/env bash
# Known-item relevance: casebook's browser runtime against Pagefind, on the real collections
# of ../shared/corpora, in one run.
#
# Usage: bash benches/relevance.sh [QUERIES_PER_KIND] [SEED]     (defaults: 150, 1)
#
# Converts IPS-X and Digital.gov with ../shared/tools into knowledge bases, builds each with
# the release binary, indexes the same built case pages with Pagefind (npm, pinned), then
# runs benches/relevance.mjs: seeded known-item queries of four kinds (three title words; the
# same with one typo; a changed word form; words of the body), each through both engines, and
# success@1, success@10 and MRR@10 per kind and engine. Installs Pagefind when missing. Not
# part of CI.
set -euo pipefail
PER_KIND=${1:-150}
SEED=${2:-1}
HERE=$(cd "$(dirname "$0")" && pwd)
REPO=$(dirname "$HERE")
SHARED="$REPO/../shared"
WORK=${WORK:-$( [ -d /dev/shm ] && echo /dev/shm/casebook-relevance || echo /tmp/casebook-relevance )}
mkdir -p "$WORK"

if [ ! -x "$WORK/node_modules/.bin/pagefind" ]; then
  (cd "$WORK" && npm init -y >/dev/null && npm install --no-audit --no-fund pagefind@1.6.0 >/dev/null)
fi
PAGEFIND="$WORK/node_modules/.bin/pagefind"
(cd "$REPO" && cargo build --release --quiet)
CASEBOOK="$REPO/target/release/casebook"

convert() {
  local name=$1; shift
  if [ ! -d "$WORK/$name/content/cases" ]; then
    rm -rf "$WORK/$name"
    python3 "$SHARED/tools/$@" --out "$WORK/$name" >/dev/null
  fi
}
convert ipsx convert_ipsx.py
convert digitalgov convert_digitalgov.py --region "United States" --organisation Digital.gov --approach "digital service"

COLLECTIONS=()
for name in ipsx digitalgov; do
  "$CASEBOOK" build --root "$WORK/$name" --output "$WORK/$name/public" 2>/dev/null
  rm -rf "$WORK/$name/public/pagefind"
  "$PAGEFIND" --site "$WORK/$name/public" --glob "cases/*/index.html" >/dev/null
  COLLECTIONS+=("$name=$WORK/$name")
done

node "$HERE/relevance.mjs" --per-kind "$PER_KIND" --seed "$SEED" "${COLLECTIONS[@]}"

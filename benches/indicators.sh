#!/usr/bin/env bash
# Indicator import benchmark (issue 3): generate 500 clusters x 20 members x
# 5 indicators x 20 periods = 1 000 000 value rows (scripts/gen_indicators.py),
# import the pledge then the values with `tdkt import indicators
# --create-missing` into a fresh SQLite file (every row parsed, matched to
# its cluster, member and pledged indicator, checked against its unit; 10 000
# member units created; one audited submission), and load the same file with
# a raw `sqlite3 .import` (no validation, no indexes) for the ratio. Then the
# same file again: every value corrected (the old one kept as history).
# Usage: benches/indicators.sh [CLUSTERS]   (needs python3, sqlite3; cargo build --release first)
set -euo pipefail
CLUSTERS=${1:-500}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BIN=${TDKT_BIN:-${CARGO_TARGET_DIR:-$ROOT/target}/release/tdkt}
DIR=$(mktemp -d)
trap 'rm -rf "$DIR"' EXIT
export TDKT_SECRET_KEY=$(printf '2a%.0s' $(seq 32)) TDKT_LOG=warn
python3 "$ROOT/scripts/gen_indicators.py" "$DIR/g" "$CLUSTERS"
ROWS=$(( $(wc -l < "$DIR/g/values.csv") - 1 ))
DB="sqlite:$DIR/bench.db"
"$BIN" --database-url "$DB" import pledge "$DIR/g/pledge.csv" --create-missing > /dev/null
t0=$(date +%s.%N)
"$BIN" --database-url "$DB" import indicators "$DIR/g/values.csv" --create-missing | tail -n 2
t1=$(date +%s.%N)
sqlite3 "$DIR/raw.db" "create table indicator_values (cluster text, period text, member text, indicator text, value text, unit text);"
t2=$(date +%s.%N)
sqlite3 "$DIR/raw.db" -cmd ".mode csv" ".import --skip 1 $DIR/g/values.csv indicator_values"
t3=$(date +%s.%N)
"$BIN" --database-url "$DB" import indicators "$DIR/g/values.csv" | tail -n 2
t4=$(date +%s.%N)
awk -v r="$ROWS" -v a="$t0" -v b="$t1" -v c="$t2" -v d="$t3" -v e="$t4" 'BEGIN {
  ti = b - a; tr = d - c; tc = e - d;
  printf "rows: %d\n", r;
  printf "tdkt import indicators (SQLite, validated): %.2f s, %.0f rows/s\n", ti, r / ti;
  printf "sqlite3 .import (raw, same file):          %.2f s, %.0f rows/s\n", tr, r / tr;
  printf "ratio tdkt/raw: %.2f (tdkt takes %.1fx as long)\n", tr / ti, ti / tr;
  printf "re-import (every value corrected, history kept): %.2f s, %.0f rows/s\n", tc, r / tc;
}'

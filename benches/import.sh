#!/usr/bin/env bash
# Import benchmark (issue 5): generate PEOPLE people / AWARDS award rows, import
# them with `tdkt import awards` into a fresh SQLite file (every row
# validated, people created with encrypted CCCD, audit), and load the same
# file with a raw `sqlite3 .import` (no validation, no indexes) for the ratio.
# Usage: benches/import.sh [PEOPLE] [AWARDS]   (needs sqlite3; cargo build --release first)
set -euo pipefail
PEOPLE=${1:-100000}
AWARDS=${2:-1000000}
BIN=${TDKT_BIN:-${CARGO_TARGET_DIR:-target}/release/tdkt}
DIR=$(mktemp -d)
trap 'rm -rf "$DIR"' EXIT
export TDKT_SECRET_KEY=$(printf '2a%.0s' $(seq 32)) TDKT_LOG=warn
cd "$DIR"
"$BIN" gen --people "$PEOPLE" --awards "$AWARDS" --out g
ROWS=$(( $(wc -l < g/awards.csv) - 1 ))
"$BIN" --database-url sqlite:bench.db demo > /dev/null
t0=$(date +%s.%N)
"$BIN" --database-url sqlite:bench.db import awards g/awards.csv --quiet
t1=$(date +%s.%N)
sqlite3 raw.db "create table awards (recipient_type text, cccd text, unit_code text, recipient_name text, award text, year integer, decision_no text, decision_date text, authority text);"
t2=$(date +%s.%N)
sqlite3 raw.db -cmd ".mode csv" ".import --skip 1 g/awards.csv awards"
t3=$(date +%s.%N)
t4=$(date +%s.%N)
"$BIN" --database-url sqlite:bench.db import awards g/awards.csv --quiet
t5=$(date +%s.%N)
awk -v r="$ROWS" -v a="$t0" -v b="$t1" -v c="$t2" -v d="$t3" -v e="$t4" -v f="$t5" 'BEGIN {
  ti = b - a; tr = d - c; tre = f - e;
  printf "rows: %d\n", r;
  printf "tdkt import awards (SQLite, validated): %.2f s, %.0f rows/s\n", ti, r / ti;
  printf "sqlite3 .import (raw, same file):       %.2f s, %.0f rows/s\n", tr, r / tr;
  printf "ratio tdkt/raw: %.2f\n", tr / ti;
  printf "re-import (no-op): %.2f s, %.0f rows/s\n", tre, r / tre;
}'

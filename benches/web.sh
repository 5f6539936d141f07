#!/usr/bin/env bash
# The web pages under load, as the people who use them (issue 16): the
# search, a unit's award page and the people list, requested by `wrk` on
# loopback as the administrator and as the officer of Cần Thơ
# (canbo.cantho, scoped to the city and its 2025 predecessors), each for
# DURATION seconds; next to each page, the same kind of query measured
# directly against the database by `tdkt bench search --as` in the same
# run, and the ratio of the two p99s: the web layer's overhead (HTTP,
# session and scope checks, the throttle's write, HTML).
#
# Searches and the people list are limited to 120 per minute per account
# (`tdkt_core::throttle::SEARCH_LIMIT`), so each account signs in SESSIONS
# times and wrk spreads its requests over those sessions (and over a list
# of names taken from the generated file); a page answered 429 anyway is
# counted in wrk's "Non-2xx" line, which is printed.
#
# Usage: benches/web.sh [PEOPLE] [AWARDS] [DURATION] [BACKEND]
#   BACKEND: sqlite (default) or postgres (BENCH_PG, default
#   postgres://postgres@127.0.0.1:5432). Port: TDKT_BENCH_PORT (18093).
#   cargo build --release -p tdkt-cli first; needs wrk, curl, python3.
set -euo pipefail
PEOPLE=${1:-100000}
AWARDS=${2:-1000000}
DURATION=${3:-8}
BACKEND=${4:-sqlite}
SESSIONS=${SESSIONS:-64}
CONNS=${CONNS:-16}
BIN=$(realpath "${TDKT_BIN:-${CARGO_TARGET_DIR:-target}/release/tdkt}")
PORT=${TDKT_BENCH_PORT:-18093}
PG=${BENCH_PG:-postgres://postgres@127.0.0.1:5432}
DB=tdkt_web_$$
DIR=$(mktemp -d)
SERVER=
command -v wrk > /dev/null || { echo "wrk is missing: apt-get install wrk" >&2; exit 1; }
cleanup() {
  if [ -n "$SERVER" ]; then kill "$SERVER" 2> /dev/null || true; wait "$SERVER" 2> /dev/null || true; fi
  cd /
  rm -rf "$DIR"
  if [ "$BACKEND" = postgres ]; then psql -q "$PG/postgres" -c "drop database if exists $DB" || true; fi
}
trap cleanup EXIT
export TDKT_SECRET_KEY=$(printf '2a%.0s' $(seq 32)) TDKT_LOG=error
cd "$DIR"
case $BACKEND in
  sqlite) URL=sqlite:$DIR/bench.db ;;
  postgres) psql -q "$PG/postgres" -c "create database $DB"; URL=$PG/$DB ;;
  *) echo "BACKEND: sqlite or postgres" >&2; exit 1 ;;
esac
export TDKT_DATABASE_URL=$URL
echo "load: $(cut -d' ' -f1-3 /proc/loadavg)  cpus: $(nproc)  backend: $BACKEND  binary: $BIN"
"$BIN" gen --people "$PEOPLE" --awards "$AWARDS" --out g > /dev/null
"$BIN" demo > /dev/null
"$BIN" import awards g/awards.csv --quiet

"$BIN" serve --addr "127.0.0.1:$PORT" --audit-checkpoint-every 0 --files-dir "$DIR/files" > server.log 2>&1 &
SERVER=$!
for _ in $(seq 100); do curl -sf -o /dev/null "http://127.0.0.1:$PORT/login" && break; sleep 0.2; done

# SESSIONS sessions of $1, one Cookie header a line, in $2
sessions() {
  : > "$2"
  for _ in $(seq "$SESSIONS"); do
    rm -f jar
    local token
    token=$(curl -s -c jar "http://127.0.0.1:$PORT/login" | grep -o 'name="csrf_token" value="[^"]*"' | head -1 | sed 's/.*value="//; s/"$//')
    curl -s -b jar -c jar -o /dev/null --data-urlencode "csrf_token=$token" \
      --data-urlencode "username=$1" --data-urlencode "password=tdkt-demo-2026" \
      --data-urlencode "next=/" "http://127.0.0.1:$PORT/login"
    local s
    s=$(awk '$6 == "tdkt_session" { print $7 }' jar)
    [ -n "$s" ] || { echo "sign-in of $1 failed" >&2; exit 1; }
    echo "tdkt_session=$s" >> "$2"
  done
}

# paths of one page kind for an account: $1 kind, $2 scope regex on unit codes
paths() {
  python3 - "$1" "$2" <<'EOF'
import csv, random, sys, urllib.parse
kind, scope = sys.argv[1], sys.argv[2]
import re
rows = [r for r in csv.DictReader(open("g/awards.csv", encoding="utf-8"))
        if r["recipient_type"] == "person" and re.match(scope, r["unit_code"])]
random.seed(7)
random.shuffle(rows)
rows = rows[:500]
for r in rows:
    if kind == "search":
        print("/search?q=" + urllib.parse.quote(r["recipient_name"]))
    elif kind == "unit":
        print("/units/" + r["unit_code"] + "/awards")
    else:
        print("/people?unit=" + r["unit_code"])
EOF
}

cat > rotate.lua <<'EOF'
-- each request: the next path and the next session, in turn
local paths, cookies = {}, {}
for l in io.lines(os.getenv("WRK_PATHS")) do paths[#paths + 1] = l end
for l in io.lines(os.getenv("WRK_COOKIES")) do cookies[#cookies + 1] = l end
local i = math.random(1, 1000)
request = function()
  i = i + 1
  return wrk.format("GET", paths[i % #paths + 1], { Cookie = cookies[i % #cookies + 1] })
end
EOF

declare -A web_rps web_p99 store_p99
for who in admin canbo.cantho; do
  case $who in
    admin) scope='.' ;;
    *) scope='^(can-tho|hau-giang|soc-trang)' ;;
  esac
  sessions "$who" "cookies.$who"
  echo "== $who: tdkt bench search --as $who (load $(cut -d' ' -f1-3 /proc/loadavg))"
  "$BIN" bench search --from g/awards.csv --queries 600 --as "$who" | tee "bench.$who"
  # the store's p99 of the kinds the pages run
  store_p99[$who/search]=$(grep -m1 'họ tên không dấu' "bench.$who" | grep -o 'p99 *[0-9.]*' | awk '{print $2}')
  store_p99[$who/unit]=$(grep -m1 'trang khen thưởng của đơn vị' "bench.$who" | grep -o 'p99 *[0-9.]*' | awk '{print $2}')
  for kind in search unit people; do
    paths "$kind" "$scope" > "paths.$kind"
    echo "== $who, $kind: wrk -t2 -c$CONNS -d${DURATION}s (load $(cut -d' ' -f1-3 /proc/loadavg))"
    WRK_PATHS=paths.$kind WRK_COOKIES=cookies.$who \
      wrk -t2 -c"$CONNS" -d"${DURATION}s" --latency -s rotate.lua "http://127.0.0.1:$PORT" | tee "wrk.$who.$kind"
    web_rps[$who/$kind]=$(awk '/Requests\/sec/ {print $2}' "wrk.$who.$kind")
    web_p99[$who/$kind]=$(awk '$1 == "99%" {print $2}' "wrk.$who.$kind")
  done
done

ms() { # wrk's "12.34ms" / "1.20s" / "850.00us" in ms
  case $1 in
    *us) echo "${1%us} / 1000" | bc -l ;;
    *ms) echo "${1%ms}" ;;
    *s) echo "${1%s} * 1000" | bc -l ;;
    *) echo "" ;;
  esac
}
echo
echo "== summary ($BACKEND, $PEOPLE people / $AWARDS awards, load $(cut -d' ' -f1-3 /proc/loadavg))"
printf '%-14s %-7s %10s %12s %14s %8s\n' account page 'web req/s' 'web p99 ms' 'store p99 ms' ratio
for who in admin canbo.cantho; do
  for kind in search unit people; do
    w=$(ms "${web_p99[$who/$kind]:-}")
    s=${store_p99[$who/$kind]:-}
    r=-
    if [ -n "$w" ] && [ -n "$s" ]; then r=$(echo "$w / $s" | bc -l | xargs printf '%.1f'); fi
    printf '%-14s %-7s %10s %12s %14s %8s\n' "$who" "$kind" "${web_rps[$who/$kind]:-}" \
      "$(printf '%.2f' "${w:-0}")" "${s:--}" "$r"
  done
done
echo "(store p99: 'names' kind of tdkt bench search for the search page, 'unit award page' for"
echo " the unit page; the people list has no direct counterpart in the bench.)"

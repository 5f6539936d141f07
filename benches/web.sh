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
# (`tdkt_core::throttle::SEARCH_LIMIT`, one bucket per account for both),
# so for each of these two pages the script adds SESSIONS twins of the
# account (`tdkt user add`: the same role and scope, so the same reads),
# signs each in once, and wrk spreads its requests over those sessions and
# over 500 paths taken from the generated file; SESSIONS × 120 must exceed
# the requests of one page in DURATION. A page answered 429 (or anything
# but 2xx/3xx) is counted in the summary's "non-2xx" column: a figure with
# non-2xx answers measures the refusal, not the page.
#
# Accounts: ACCOUNTS (default "admin canbo.cantho xem.cantho": the
# administrator, the officer and the viewer of Cần Thơ; twins of the viewer
# are viewers of Cần Thơ).
#
# A registry made once is measured again without remaking it: BENCH_FILE
# names the `tdkt gen` awards.csv it was imported from and BENCH_URL its
# database (sqlite:/path or postgres://…/name); it is then neither imported
# nor dropped (the twins are added once and kept), PEOPLE/AWARDS unused.
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
SESSIONS=${SESSIONS:-40}
CONNS=${CONNS:-16}
BIN=$(realpath "${TDKT_BIN:-${CARGO_TARGET_DIR:-target}/release/tdkt}")
PORT=${TDKT_BENCH_PORT:-18093}
PG=${BENCH_PG:-postgres://postgres@127.0.0.1:5432}
ACCOUNTS=${ACCOUNTS:-admin canbo.cantho xem.cantho}
FILE=${BENCH_FILE:+$(realpath "$BENCH_FILE")}
KEEP=${BENCH_URL:-}
DB=tdkt_web_$$
DIR=$(mktemp -d)
SERVER=
command -v wrk > /dev/null || { echo "wrk is missing: apt-get install wrk" >&2; exit 1; }
cleanup() {
  if [ -n "$SERVER" ]; then kill "$SERVER" 2> /dev/null || true; wait "$SERVER" 2> /dev/null || true; fi
  cd /
  rm -rf "$DIR"
  if [ "$BACKEND" = postgres ] && [ -z "$KEEP" ]; then psql -q "$PG/postgres" -c "drop database if exists $DB" || true; fi
}
trap cleanup EXIT
export TDKT_SECRET_KEY=${TDKT_SECRET_KEY:-$(printf '2a%.0s' $(seq 32))} TDKT_LOG=error
cd "$DIR"
case $BACKEND in
  sqlite) URL=${KEEP:-sqlite:$DIR/bench.db} ;;
  postgres)
    if [ -n "$KEEP" ]; then URL=$KEEP; else
      psql -q "$PG/postgres" -c "create database $DB"; URL=$PG/$DB
    fi ;;
  *) echo "BACKEND: sqlite or postgres" >&2; exit 1 ;;
esac
export TDKT_DATABASE_URL=$URL
echo "load: $(cut -d' ' -f1-3 /proc/loadavg)  cpus: $(nproc)  backend: $BACKEND  binary: $BIN"
if [ -z "$FILE" ]; then
  "$BIN" gen --people "$PEOPLE" --awards "$AWARDS" --out g > /dev/null
  FILE=$DIR/g/awards.csv
fi
if [ -z "$KEEP" ]; then
  "$BIN" demo > /dev/null
  "$BIN" import awards "$FILE" --quiet
fi
# the twins of each account, before the server starts (one writer); on a
# kept database those of an earlier run are there already
for who in $ACCOUNTS; do
  case $who in
    admin) role=(--role admin) ;;
    xem.*) role=(--role viewer --scope can-tho) ;;
    *) role=(--role officer --scope can-tho) ;;
  esac
  for kind in search people; do
    for i in $(seq "$SESSIONS"); do
      # (a kept database: the account is there from an earlier run; the
      # sign-in below fails loudly if it is not)
      TDKT_NEW_PASSWORD=tdkt-demo-2026 "$BIN" user add "${role[@]}" --full-name "Đo tải $i" "$who.$kind.$i" > /dev/null 2>&1 ||
        [ -n "$KEEP" ] || { echo "could not add $who.$kind.$i" >&2; exit 1; }
    done
  done
done

TDKT_LOG=warn "$BIN" serve --addr "127.0.0.1:$PORT" --audit-checkpoint-every 0 --files-dir "$DIR/files" > server.log 2>&1 &
SERVER=$!
for _ in $(seq 100); do curl -sf -o /dev/null "http://127.0.0.1:$PORT/login" && break; sleep 0.2; done

# one session of each account named in $1 (space-separated), one Cookie
# header a line, in $2
sessions() {
  : > "$2"
  for user in $1; do
    local s= try
    # a sign-in can fail under load (see docs/benchmarks.md): three tries
    for try in 1 2 3; do
      rm -f jar
      local token
      token=$(curl -s -c jar "http://127.0.0.1:$PORT/login" | grep -o 'name="csrf_token" value="[^"]*"' | head -1 | sed 's/.*value="//; s/"$//')
      curl -s -b jar -c jar -o /dev/null --data-urlencode "csrf_token=$token" \
        --data-urlencode "username=$user" --data-urlencode "password=tdkt-demo-2026" \
        --data-urlencode "next=/" "http://127.0.0.1:$PORT/login"
      s=$(awk '$6 == "tdkt_session" { print $7 }' jar)
      [ -n "$s" ] && break
      echo "sign-in of $user failed (try $try); the server said:" >&2
      tail -2 server.log >&2
    done
    [ -n "$s" ] || exit 1
    echo "tdkt_session=$s" >> "$2"
  done
}

# paths of one page kind for an account: $1 kind, $2 scope regex on unit codes
paths() {
  python3 - "$1" "$2" "$FILE" <<'EOF'
import csv, random, sys, urllib.parse
kind, scope = sys.argv[1], sys.argv[2]
import re
rows = [r for r in csv.DictReader(open(sys.argv[3], encoding="utf-8"))
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
-- each request: the next path and the next session, in turn; the answers
-- counted by status, printed at the end ("status 200: n")
local threads = {}
function setup(thread) threads[#threads + 1] = thread end
local paths, cookies = {}, {}
for l in io.lines(os.getenv("WRK_PATHS")) do paths[#paths + 1] = l end
for l in io.lines(os.getenv("WRK_COOKIES")) do cookies[#cookies + 1] = l end
local i = math.random(1, 1000)
statuses = {}
request = function()
  i = i + 1
  return wrk.format("GET", paths[i % #paths + 1], { Cookie = cookies[i % #cookies + 1] })
end
response = function(status)
  statuses[status] = (statuses[status] or 0) + 1
end
done = function(summary, latency)
  -- wrk's --latency table has no 95th percentile: the issue's aim is one
  print(string.format("latency ms: p50 %.2f p95 %.2f p99 %.2f",
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000))
  local total = {}
  for _, t in ipairs(threads) do
    for k, v in pairs(t:get("statuses")) do total[k] = (total[k] or 0) + v end
  end
  for k, v in pairs(total) do print("status " .. k .. ": " .. v) end
end
EOF

declare -A web_rps web_p95 web_p99 web_bad store_p95 store_p99
for who in $ACCOUNTS; do
  case $who in
    admin) scope='.' ;;
    *) scope='^(can-tho|hau-giang|soc-trang)' ;;
  esac
  echo "== $who: tdkt bench search --as $who (load $(cut -d' ' -f1-3 /proc/loadavg))"
  "$BIN" bench search --from "$FILE" --queries 600 --as "$who" | tee "bench.$who"
  # the store's p99 of the kinds the pages run
  for p in p95 p99; do
    declare -n store=store_$p
    store[$who/search]=$(grep -m1 'họ tên không dấu' "bench.$who" | grep -o "$p *[0-9.]*" | awk '{print $2}')
    store[$who/unit]=$(grep -m1 'trang khen thưởng của đơn vị' "bench.$who" | grep -o "$p *[0-9.]*" | awk '{print $2}')
    unset -n store
  done
  for kind in search unit people; do
    paths "$kind" "$scope" > "paths.$kind"
    case $kind in
      unit) users=$who ;; # not limited
      *) users=$(for i in $(seq "$SESSIONS"); do printf '%s ' "$who.$kind.$i"; done) ;;
    esac
    sessions "$users" "cookies.$who.$kind"
    echo "== $who, $kind: wrk -t2 -c$CONNS -d${DURATION}s (load $(cut -d' ' -f1-3 /proc/loadavg))"
    WRK_PATHS=paths.$kind WRK_COOKIES=cookies.$who.$kind \
      wrk -t2 -c"$CONNS" -d"${DURATION}s" --latency -s rotate.lua "http://127.0.0.1:$PORT" | tee "wrk.$who.$kind"
    web_rps[$who/$kind]=$(awk '/Requests\/sec/ {print $2}' "wrk.$who.$kind")
    web_p95[$who/$kind]=$(awk '/^latency ms:/ {print $6}' "wrk.$who.$kind")
    web_p99[$who/$kind]=$(awk '/^latency ms:/ {print $8}' "wrk.$who.$kind")
    web_bad[$who/$kind]=$(awk '/Non-2xx/ {print $5}' "wrk.$who.$kind")
  done
done

echo
echo "== summary ($BACKEND, ${KEEP:-$PEOPLE people / $AWARDS awards}, wrk -c$CONNS, load $(cut -d' ' -f1-3 /proc/loadavg))"
printf '%-14s %-7s %10s %8s %18s %18s %8s\n' account page 'web req/s' non-2xx 'web p95/p99 ms' 'store p95/p99 ms' ratio
for who in $ACCOUNTS; do
  for kind in search unit people; do
    w=${web_p99[$who/$kind]:-}
    s=${store_p99[$who/$kind]:-}
    r=-
    if [ -n "$w" ] && [ -n "$s" ]; then r=$(echo "$w / $s" | bc -l | xargs printf '%.1f'); fi
    printf '%-14s %-7s %10s %8s %18s %18s %8s\n' "$who" "$kind" "${web_rps[$who/$kind]:-}" "${web_bad[$who/$kind]:-0}" \
      "${web_p95[$who/$kind]:-–} / ${w:-–}" "${store_p95[$who/$kind]:-–} / ${s:-–}" "$r"
  done
done
echo "(store: the 'names' kind of tdkt bench search for the search page, 'unit award page' for"
echo " the unit page; the people list has no direct counterpart in the bench. ratio: of the p99s.)"

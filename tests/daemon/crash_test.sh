#!/usr/bin/env bash
# Crash safety: a burst of concurrent API writes, kill -9 in the middle, a restart, and every
# write that was answered 2xx must be there (SQLite WAL with synchronous=FULL; the API answers
# only after the commit). Three rounds.
# usage: crash_test.sh JAARKALENDER SOURCE_DIR
set -uo pipefail
bin=$1 src=$2
work=$(mktemp -d)
pid=""
trap '[ -n "$pid" ] && kill -9 "$pid" 2>/dev/null; rm -rf "$work"' EXIT
mkdir -p "$work/calendars" && cp -r "$src/calendars/voorbeeldschool" "$work/calendars/"
cat > "$work/jk.toml" <<CFG
[server]
port = 0
threads = 4
[store]
sqlite = "var/jk.db"
[calendars]
folder = "calendars"
CFG
source "$(dirname "$0")/daemon_lib.sh"
start
token=$("$bin" token --config "$work/jk.toml" voorbeeldschool anna)
api="http://127.0.0.1:$port/api/v1/schools/voorbeeldschool"
curl -s -H "Authorization: Bearer $token" "$api/events?status=planned" \
  | /usr/bin/python3 -c 'import json,sys; [print(e["uid"]) for e in json.load(sys.stdin) if e["kind"]!="test_period"]' > "$work/uids"
passed=0 failed=0
for round in 1 2 3; do
  api="http://127.0.0.1:$port/api/v1/schools/voorbeeldschool"
  : > "$work/acked-$round"
  # 8 concurrent writers, each marking its own events done, logging the ones answered 200.
  for w in $(seq 0 7); do
    ( sed -n "$(((round - 1) * 80 + w * 10 + 1)),$(((round - 1) * 80 + w * 10 + 10))p" "$work/uids" | while read -r uid; do
        c=$(curl -s -o /dev/null -w '%{http_code}' -X POST -H "Authorization: Bearer $token" \
            -H 'Content-Type: application/json' -d "{\"note\":\"ronde $round\"}" "$api/events/$uid/done")
        [ "$c" = 200 ] && echo "$uid" >> "$work/acked-$round"
      done ) &
  done
  # Kill in the middle of the burst: once some writes are acknowledged (a loaded machine
  # takes longer to answer the first one), a moment later.
  for _ in $(seq 1 100); do [ -s "$work/acked-$round" ] && break; sleep 0.1; done
  sleep 0.2
  kill -9 "$pid"; wait "$pid" 2>/dev/null; pid=""
  wait
  start
  api="http://127.0.0.1:$port/api/v1/schools/voorbeeldschool"
  curl -s -H "Authorization: Bearer $token" "$api/events?status=done" \
    | /usr/bin/python3 -c 'import json,sys; [print(e["uid"]) for e in json.load(sys.stdin)]' | sort > "$work/done-$round"
  missing=$(sort "$work/acked-$round" | comm -23 - "$work/done-$round" | wc -l)
  acked=$(wc -l < "$work/acked-$round")
  echo "round $round: $acked writes answered 2xx before kill -9, $missing missing after restart"
  if [ "$missing" = 0 ] && [ "$acked" -gt 0 ]; then passed=$((passed + 1)); else failed=$((failed + 1)); fi
done
kill -TERM "$pid"; wait "$pid" 2>/dev/null; pid=""
echo "$passed passed, $failed failed"
[ "$failed" = 0 ]

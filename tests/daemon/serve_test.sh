#!/usr/bin/env bash
# The real daemon on loopback, started by this test: subscribe links, GET/HEAD with conditional
# requests, feeds read straight from HTTP by python3-icalendar and ical.js, re-planning on SIGHUP,
# invalid files keeping the last good plan (also across a restart), bad requests, graceful stop.
# usage: serve_test.sh JAARKALENDER SOURCE_DIR
set -uo pipefail
bin=$1 src=$2
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
pid=""
cleanup() { [ -n "$pid" ] && kill -9 "$pid" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT
passed=0 failed=0
ok() { passed=$((passed + 1)); }
ko() { failed=$((failed + 1)); echo "FAIL: $*"; }
check() { if [ "$2" = "$3" ]; then ok; else ko "$1: got '$2', expected '$3'"; fi; }

mkdir -p "$work/calendars"
cp -r "$src/calendars/voorbeeldschool" "$work/calendars/"
cat > "$work/jk.toml" <<CFG
[server]
listen = "127.0.0.1"
port = 0
threads = 2
read_timeout_seconds = 2
public_url = "http://127.0.0.1:PORT"
[store]
sqlite = "var/jk.db"
[calendars]
folder = "calendars"
CFG

source "$(dirname "$0")/daemon_lib.sh"
base() { echo "http://127.0.0.1:$port"; }
# until SECONDS COMMAND...: polls every 0.1 s until the command succeeds or the time is up.
until_ok() { local n=$(( $1 * 10 )); shift; for _ in $(seq 1 "$n"); do "$@" && return 0; sleep 0.1; done; return 1; }
etag_is_not() { [ "$(header etag "$1")" != "$2" ]; }
status_is() { [ "$(code "$1")" = "$2" ]; }
code() { curl -s -o /dev/null -w '%{http_code}' "$@"; }
header() { curl -s -D - -o /dev/null "${@:2}" | tr -d '\r' | grep -i "^$1:" | cut -d' ' -f2-; }

start
check "healthz" "$(code "$(base)/healthz")" 200
check "readyz" "$(code "$(base)/readyz")" 200

# A subscription made while the daemon runs works at once (the daemon looks it up).
links=$("$bin" subscribe --config "$work/jk.toml" voorbeeldschool person bram)
https=$(echo "$links" | head -1); webcal=$(echo "$links" | tail -1)
case "$webcal" in webcal://*) ok ;; *) ko "no webcal link: $webcal" ;; esac
token=$(echo "$https" | grep -oE '[0-9a-f]{32}')
url="$(base)/feeds/$token.ics"
check "GET feed" "$(code "$url")" 200
check "content type" "$(header content-type "$url")" "text/calendar; charset=utf-8"
etag=$(header etag "$url"); lm=$(header last-modified "$url")
[ -n "$etag" ] && ok || ko "no ETag"
check "HEAD" "$(code -I "$url")" 200
check "HEAD length" "$(header content-length -I "$url")" "$(curl -s "$url" | wc -c)"
check "If-None-Match" "$(code -H "If-None-Match: $etag" "$url")" 304
check "If-None-Match list" "$(code -H "If-None-Match: \"x\", $etag" "$url")" 304
check "If-None-Match other" "$(code -H 'If-None-Match: "other"' "$url")" 200
check "If-Modified-Since" "$(code -H "If-Modified-Since: $lm" "$url")" 304
check "If-Modified-Since old" "$(code -H 'If-Modified-Since: Sun, 01 Jan 2023 00:00:00 GMT' "$url")" 200
check "no gzip" "$(header content-encoding -H 'Accept-Encoding: gzip' "$url")" ""

# Every kind of feed, read from HTTP by both parsers.
for spec in "school" "group groep-4-5" "role ib" "person anna"; do
  u=$("$bin" subscribe --config "$work/jk.toml" voorbeeldschool $spec | head -1)
  curl -s "$(base)/feeds/$(echo "$u" | grep -oE '[0-9a-f]{32}').ics" > "$work/feed-${spec// /-}.ics"
done
curl -s "$url" > "$work/feed-bram.ics"
/usr/bin/python3 - "$work"/feed-*.ics <<'PY' && ok || ko "python3-icalendar over HTTP"
import sys, datetime, icalendar
for path in sys.argv[1:]:
    cal = icalendar.Calendar.from_ical(open(path, "rb").read())
    n = 0
    for ev in cal.walk("VEVENT"):
        n += 1
        start = ev.decoded("DTSTART")
        if isinstance(start, datetime.datetime):
            assert start.tzinfo is not None, f"{path}: floating {ev['UID']}"
    assert n > 0, path
PY
(cd "$here/../feeds" && node - "$work"/feed-*.ics) <<'JS' && ok || ko "ical.js over HTTP"
const fs = require("fs");
import("ical.js").then(({ default: ICAL }) => {
  for (const path of process.argv.slice(2)) {
    const root = new ICAL.Component(ICAL.parse(fs.readFileSync(path, "utf8")));
    ICAL.TimezoneService.register(new ICAL.Timezone(root.getFirstSubcomponent("vtimezone")));
    const events = root.getAllSubcomponents("vevent").map((c) => new ICAL.Event(c));
    if (!events.length) throw new Error(path + ": no events");
    for (const e of events)
      if (!e.startDate.isDate && e.startDate.zone.tzid !== "Europe/Amsterdam") throw new Error(path + ": floating " + e.uid);
  }
}).catch((e) => { console.error(e.message); process.exit(1); });
JS

# The tracking API over HTTP: a token from the command, a consultation marked held, and the
# teacher's feed says so at once.
api_token=$("$bin" token --config "$work/jk.toml" voorbeeldschool anna)
auth="Authorization: Bearer $api_token"
check "API /me" "$(code -H "$auth" "$(base)/api/v1/me")" 200
check "API without token" "$(code "$(base)/api/v1/me")" 401
check "API mail preferences" "$(curl -s -H "$auth" "$(base)/api/v1/me/mail")" \
  '{"reminder":true,"change":true,"overdue":true,"digest":true}'
check "API mail off" "$(curl -s -X POST -H "$auth" -H 'Content-Type: application/json' \
  -d '{"digest":false}' "$(base)/api/v1/me/mail")" \
  '{"reminder":true,"change":true,"overdue":true,"digest":false}'
check "forged unsubscribe link" "$(code "$(base)/mail/uit/voorbeeldschool.bram.reminder.0123")" 404
check "stylesheet" "$(header content-type "$(base)/static/jk.css")" "text/css; charset=utf-8"
uid=$(curl -s -H "$auth" "$(base)/api/v1/schools/voorbeeldschool/events?rule=klassenconsultatie&subject=bram" \
  | /usr/bin/python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["uid"])')
before=$(header etag "$url")
check "API done" "$(code -X POST -H "$auth" -H 'Content-Type: application/json' -d '{"note":"goed"}' \
  "$(base)/api/v1/schools/voorbeeldschool/events/$uid/done")" 200
[ "$(header etag "$url")" != "$before" ] && ok || ko "feed did not change after done"
curl -s "$url" > "$work/held.ics"
/usr/bin/python3 - "$work/held.ics" "$uid" <<'PY' && ok || ko "feed does not say the event was held, or shows the note"
import sys, icalendar
cal = icalendar.Calendar.from_ical(open(sys.argv[1], "rb").read())
ev = [e for e in cal.walk("VEVENT") if str(e["UID"]) == sys.argv[2]]
desc = str(ev[0].get("DESCRIPTION", "")) if ev else "(event not in feed)"
# Held, but the note stays inside the daemon (staff type pupils' names in notes).
if not desc.startswith("Gehouden.") or "goed" in desc:
    print("description:", desc[:200])
    sys.exit(1)
PY
etag=$(header etag "$url")  # Bram's feed as it is now
check "API malformed" "$(code -X POST -H "$auth" -H 'Content-Type: application/json' -d '{x' \
  "$(base)/api/v1/schools/voorbeeldschool/events/$uid/done")" 400

# Unknown, malformed and tricky targets: 404 that tells nothing; wrong methods 405.
check "unknown token" "$(code "$(base)/feeds/0123456789abcdef0123456789abcdef.ics")" 404
check "short token" "$(code "$(base)/feeds/abc.ics")" 404
check "path trick" "$(code --path-as-is "$(base)/feeds/../../etc/passwd")" 404
check "POST feed" "$(code -X POST "$url")" 405
check "other path" "$(code "$(base)/nope")" 404
big=$(head -c 20000 /dev/zero | tr '\0' 'a')
check "header flood" "$(code -H "X-Big: $big" "$(base)/healthz")" 431
check "big body" "$(code -X POST --data-binary @<(head -c 200000 /dev/zero) "$(base)/healthz")" 413

# Slow and half-open clients are dropped after the read timeout (2 s here); others are served.
/usr/bin/python3 - "$port" <<'PY' && ok || ko "a slow client was not dropped"
import socket, sys, time
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])))
s.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n")  # never finishes the request
s.settimeout(8)
start = time.time()
data = s.recv(100)  # b"" when the server closes
assert data == b"" and 1.5 < time.time() - start < 7, (data, time.time() - start)
PY
check "served beside a slow client" "$(code "$(base)/healthz")" 200

# Re-plan on SIGHUP: Karin away in February moves some of her events; groep 3's feed stays.
# (Bram's changes too: Karin is no longer invited to the team meetings they share while away.)
# (Karin's link and its ETag first: the folder watch may re-plan as soon as the file changes.)
ku=$("$bin" subscribe --config "$work/jk.toml" voorbeeldschool person karin | head -1)
ktoken=$(echo "$ku" | grep -oE '[0-9a-f]{32}')
kurl="$(base)/feeds/$ktoken.ics"
ketag=$(header etag "$kurl")
gu=$("$bin" subscribe --config "$work/jk.toml" voorbeeldschool group groep-3 | head -1)
gurl="$(base)/feeds/$(echo "$gu" | grep -oE '[0-9a-f]{32}').ics"
getag=$(header etag "$gurl")
[ -n "$getag" ] && ok || ko "no ETag on groep 3's feed"
sed -i 's/absent = \[ { from = 2027-03-01, to = 2027-03-26, reason = "met verlof" } \]/absent = [ { from = 2027-02-01, to = 2027-04-30, reason = "met verlof" } ]/' \
  "$work/calendars/voorbeeldschool/school.toml"
kill -HUP "$pid"
until_ok 10 etag_is_not "$kurl" "$ketag" && ok || ko "Karin's feed did not change after SIGHUP"
check "unchanged feed keeps its ETag" "$(header etag "$gurl")" "$getag"
grep -q "SEQUENCE:1" <(curl -s "$kurl") && ok || ko "moved events did not raise SEQUENCE"

# The folder is watched: an edit without SIGHUP re-plans too (after a short debounce). Karin
# comes back early, at the end of February: what the planner gave up for her absence (she was
# away for most of the second consultation window) is planned again.
watched_etag=$(header etag "$kurl")
sed -i 's/absent = \[ { from = 2027-02-01, to = 2027-04-30, reason = "met verlof" } \]/absent = [ { from = 2027-02-01, to = 2027-02-26, reason = "met verlof" } ]/' \
  "$work/calendars/voorbeeldschool/school.toml"
until_ok 10 etag_is_not "$kurl" "$watched_etag" && ok || ko "a file edit did not re-plan"

# Prometheus metrics.
metrics=$(curl -s "$(base)/metrics")
echo "$metrics" | grep -qE '^jaarkalender_http_requests_total\{route="/feeds",status="304"\} [1-9]' && ok || ko "no 304 count"
echo "$metrics" | grep -qE '^jaarkalender_plan_runs_total [3-9]' && ok || ko "plan runs not counted"
echo "$metrics" | grep -qE '^jaarkalender_http_request_duration_seconds_bucket\{route="/feeds",le="\+Inf"\} [1-9]' && ok || ko "no latency histogram"

# A staff change through the API, written back by `export` as files that `check` accepts, with
# the school's own comments kept.
check "staff change" "$(code -X POST -H "$auth" -H 'Content-Type: application/json' \
  -d '{"kind":"closure","from":"2027-03-12","closure_kind":"studiedag","name":"Studiedag export"}' \
  "$(base)/api/v1/schools/voorbeeldschool/changes")" 201
"$bin" export --config "$work/jk.toml" voorbeeldschool "$work/export" >/dev/null && ok || ko "export failed"
grep -q 'name = "Studiedag export"' "$work/export/school.toml" && ok || ko "export lacks the change"
grep -q '^# Basisschool De Voorbeeld' "$work/export/school.toml" && ok || ko "export lost the comments"
"$bin" check "$work/export" >/dev/null 2>&1 && ok || ko "check refuses the export"

# The set-up through the API (a rule, working days from a date, the formatie from its own
# template), exported as files that `check` accepts and `plan` plans.
check "rule change" "$(code -X POST -H "$auth" -H 'Content-Type: application/json' \
  -d '{"kind":"rule","patch":true,"rule":{"id":"groepsbespreking","attendees":["most:group_teachers","any:role:ib|schoolleider"]}}' \
  "$(base)/api/v1/schools/voorbeeldschool/changes")" 201
check "works change" "$(code -X POST -H "$auth" -H 'Content-Type: application/json' \
  -d '{"kind":"works","person":"anna","from":"2027-02-01","works":["ma","di","wo","do","vr"]}' \
  "$(base)/api/v1/schools/voorbeeldschool/changes")" 201
curl -s -H "$auth" "$(base)/api/v1/schools/voorbeeldschool/formatie" > "$work/formatie.csv"
printf 'Nina Nieuw;nina@voorbeeld.nl;;ma, di;Groep 3b;\r\n' >> "$work/formatie.csv"
check "formatie import" "$(code -X POST -H "$auth" -H 'Content-Type: text/csv' \
  --data-binary @"$work/formatie.csv" "$(base)/api/v1/schools/voorbeeldschool/formatie")" 201
rm -rf "$work/export"
"$bin" export --config "$work/jk.toml" voorbeeldschool "$work/export" >/dev/null && ok || ko "export failed"
grep -q 'most:group_teachers' "$work/export/rules.toml" && ok || ko "export lacks the rule change"
grep -q 'from = 2027-02-01' "$work/export/school.toml" && ok || ko "export lacks the working days"
grep -q 'name = "Groep 3b"' "$work/export/school.toml" && ok || ko "export lacks the formatie's group"
"$bin" check "$work/export" >/dev/null 2>&1 && ok || ko "check refuses the set-up's export"
"$bin" plan "$work/export" --out "$work/export-plan" >/dev/null 2>&1 && ok || ko "plan of the export failed"
grep -q 'Groepsbespreking Groep 3b' "$work/export-plan/plan.json" && ok || ko "the new group is not planned"

# Next school year: the draft, changed through the API, exported as files that `check` accepts
# and that `plan` plans to the daemon's events of that year; an unknown year says which there are.
check "draft year" "$(code -X POST -H "$auth" -H 'Content-Type: application/json' \
  -d '{"school_year":"2027-2028"}' "$(base)/api/v1/schools/voorbeeldschool/years")" 201
check "draft change" "$(code -X POST -H "$auth" -H 'Content-Type: application/json' \
  -d '{"kind":"closure","school_year":"2027-2028","from":"2027-10-04","closure_kind":"studiedag","name":"Studiedag nieuw jaar"}' \
  "$(base)/api/v1/schools/voorbeeldschool/changes")" 201
rm -rf "$work/export-next"
"$bin" export --config "$work/jk.toml" voorbeeldschool "$work/export-next" --school-year 2027-2028 >/dev/null && ok || ko "export of the draft failed"
grep -q 'school_year = "2027-2028"' "$work/export-next/school.toml" && ok || ko "the draft's export is not of its year"
grep -q 'name = "Studiedag nieuw jaar"' "$work/export-next/school.toml" && ok || ko "the draft's export lacks its change"
"$bin" check "$work/export-next" >/dev/null 2>&1 && ok || ko "check refuses the draft's export"
"$bin" plan "$work/export-next" --out "$work/export-next-plan" >/dev/null 2>&1 && ok || ko "plan of the draft's export failed"
curl -s -H "$auth" "$(base)/api/v1/schools/voorbeeldschool/events?school_year=2027-2028" > "$work/next-events.json"
/usr/bin/python3 - "$work/export-next-plan/plan.json" "$work/next-events.json" <<'PY' && ok || ko "plan of the export differs from the daemon's draft"
import json, sys
plan = json.load(open(sys.argv[1]))["events"]
served = json.load(open(sys.argv[2]))
key = lambda e: (e["uid"], e["start"], e.get("status"))
a = sorted(key(e) for e in plan if e.get("status") != "cancelled")
b = sorted(key(e) for e in served if e.get("status") != "cancelled")
sys.exit(0 if a == b and len(a) > 200 else 1)
PY
"$bin" export --config "$work/jk.toml" voorbeeldschool "$work/export-x" --school-year 2031-2032 2>"$work/export-x.err" && ko "an unknown year exported" || ok
grep -q "2027-2028" "$work/export-x.err" && ok || ko "an unknown year does not say which years there are"

# Invalid files: the last good plan stays served, the errors are logged with their position.
good_etag=$(header etag "$kurl")
sed -i 's/^region = "midden"/regio = "midden"/' "$work/calendars/voorbeeldschool/school.toml"
kill -HUP "$pid"
until_ok 10 grep -qE "onbekende sleutel 'regio'" "$work/serve.log"
check "invalid file keeps serving" "$(code "$kurl")" 200
check "invalid file keeps the plan" "$(header etag "$kurl")" "$good_etag"
grep -qE "school.toml:[0-9]+:[0-9]+: onbekende sleutel 'regio'" "$work/serve.log" && ok || ko "errors not logged"

# Graceful stop, then a restart with the files still invalid serves the stored plan.
kill -TERM "$pid"
for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
if kill -0 "$pid" 2>/dev/null; then ko "daemon did not stop on SIGTERM"; else wait "$pid"; check "exit status" "$?" 0; fi
pid=""
start  # port 0: a new port, so new URLs
kurl="$(base)/feeds/$ktoken.ics"; url="$(base)/feeds/$token.ics"
check "restart with invalid files serves" "$(code "$kurl")" 200
check "restart serves the same plan" "$(header etag "$kurl")" "$good_etag"
grep -q "planning from the last good input" "$work/serve.log" && ok || ko "no fallback to the last good input in the store"

# Revoke: the link stops working.
"$bin" subscribe --config "$work/jk.toml" voorbeeldschool person bram --revoke > /dev/null
# The daemon re-reads subscriptions every 2 seconds.
until_ok 10 status_is "$url" 404 && ok || ko "revoked link still works"
kill -TERM "$pid"; wait "$pid" 2>/dev/null; pid=""

echo "$passed passed, $failed failed"
[ "$failed" = 0 ]

#!/usr/bin/env bash
# Plans the example school and five random schools, then reads every feed with two iCalendar
# parsers that share no code with libical: python3-icalendar (Debian) and ical.js (npm).
# usage: parse_feeds.sh JAARKALENDER JK_MAKE_SCHOOL SOURCE_DIR
set -euo pipefail
bin=$1 make_school=$2 src=$3
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

if [ ! -d "$here/node_modules/ical.js" ]; then
  (cd "$here" && npm ci --no-audit --no-fund >/dev/null 2>&1) || { echo "FAIL: npm ci in tests/feeds"; exit 1; }
fi

outs=()
# The example's files beside the outputs: the parser checks that no staff name is in a
# parents' jaarrooster (it reads every school.toml under this folder).
cp -r "$src/calendars/voorbeeldschool" "$work/src-voorbeeldschool"
"$bin" plan "$src/calendars/voorbeeldschool" --out "$work/example" >/dev/null 2>&1
outs+=("$work/example")
for seed in 3 17 42 99 123; do
  "$make_school" "$seed" "$work/school-$seed"
  "$bin" plan "$work/school-$seed" --out "$work/out-$seed" >/dev/null 2>&1
  outs+=("$work/out-$seed")
done
# A re-plan with moved events (SEQUENCE > 0) must read just as well.
"$bin" plan "$src/calendars/voorbeeldschool" --out "$work/replanned" \
  --previous "$work/example/plan.json" --stamp 2026-11-01T00:00:00Z >/dev/null 2>&1
outs+=("$work/replanned")

/usr/bin/python3 "$here/parse_feeds.py" "${outs[@]}"
node "$here/parse_feeds.mjs" "${outs[@]}"
echo "1 passed, 0 failed"
